"""Command line: ``hrclm demo``.

(``hrclm run | compare | benchmark | sites | namelist`` arrive with the site
driver, readers and benchmark.)
"""

import argparse
import sys

import numpy as np

from . import __version__
from .constants import RYEL_B, RYEL_CRT, RYEL_CRT_CM_PER_MPA_PER_H, RYEL_PSI50, mm_to_mpa, mpa_to_mm
from .errors import InputError
from .hr import hr_flux
from .roots import zeng_rootfr
from .soil import NLEVSOI, clm45_grid

def demo(args):
    """One 10-hour night of HR in a drought profile under big sagebrush."""
    grid = clm45_grid()
    z, dz, zi = grid.z[:NLEVSOI], grid.dz[:NLEVSOI], grid.zi[:NLEVSOI + 1]
    rootfr = zeng_rootfr(zi, ra=7.0, rb=1.5)           # temperate shrub PFT (Zeng 2001)
    psi = mpa_to_mm(np.where(zi[1:] <= 0.3, -3.0, np.where(zi[1:] <= 0.5, -2.0, -1.2)))
    night_s = 10 * 3600.0
    qhr = hr_flux(psi, rootfr, dz * 1000.0, crt=RYEL_CRT, psi50=RYEL_PSI50, b=RYEL_B,
                  top_layer=False, rx_rule="source")
    print(f"hrclm {__version__}: hydraulic redistribution demo (Ryel et al. 2002)")
    print(f"C_RT = {RYEL_CRT_CM_PER_MPA_PER_H} cm MPa-1 h-1, psi50 = "
          f"{mm_to_mpa(RYEL_PSI50):.1f} MPa, b = {RYEL_B}; CLM4.5 layers, shrub roots, "
          "top layer excluded\n")
    print(f"{'layer':>5} {'depth (m)':>10} {'psi (MPa)':>10} {'rootfr':>7} {'HR (mm/night)':>14}")
    for k in range(z.size):
        print(f"{k + 1:>5} {z[k]:>10.3f} {mm_to_mpa(psi[k]):>10.2f} {rootfr[k]:>7.3f} "
              f"{qhr[k] * night_s:>14.4f}")
    moved = qhr[qhr > 0].sum() * night_s
    print(f"\nwater lifted in one 10-h night: {moved:.3f} mm "
          "(measured HR: 0.04-1.3 mm/d, Neumann & Cardon 2012)")
    print(f"net column change (must be 0): {qhr.sum() * night_s:.2e} mm")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="hrclm", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"hrclm {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="HR in a drought profile over one night").set_defaults(func=demo)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as err:
        print(f"hrclm: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
