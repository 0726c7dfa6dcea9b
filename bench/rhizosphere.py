"""Speed of the root-scale model (hrclm.rhizosphere): time per simulated day
(100 radial nodes, 6 ions + H+ and exudate tracer, 900 s steps) and per
column-driven season (a 92-day layer flux series at 1800 s). Printed, not
asserted. The root-scale model is a separate call: it does not touch the
column model's time loop.

Run:  python bench/rhizosphere.py
"""

import numpy as np
import xarray as xr

from _timing import best_of

from hrclm import rhizosphere as rz


def main():
    dt, ndays = 900.0, 10
    for label, eff in (("transpiration only", 0.0), ("transpiration + night HR", 2e-11)):
        q = rz.diel_root_flux(ndays, dt, 8e-11, eff)
        t = best_of(lambda: rz.run(q, dt, nr=100, theta_init=0.15))
        print(f"root scale, {label}: {t / ndays * 1e3:.1f} ms per simulated day "
              f"(nr=100, 8 solutes, dt={dt:.0f} s)")
    q = rz.diel_root_flux(ndays, dt, 8e-11, 2e-11)
    t = best_of(lambda: rz.run(q, dt, nr=100, theta_init=0.15, hydraulics="van_genuchten"))
    print(f"root scale, van Genuchten soil, night HR: {t / ndays * 1e3:.1f} ms per simulated day")
    psi_x = rz.diel_xylem_potential(ndays, dt, -1.5, -0.05)
    t = best_of(lambda: rz.run(None, dt, nr=100, theta_init=0.15, root_boundary="xylem",
                               psi_xylem=psi_x))
    print(f"root scale, xylem-potential boundary: {t / ndays * 1e3:.1f} ms per simulated day")
    # column-driven season: synthetic layer fluxes with a column's shape (the
    # column run itself is timed in bench/model.py)
    nstep = 92 * 48
    times = np.arange(nstep) * np.timedelta64(1800, "s") + np.datetime64("2010-06-01")
    hour = (np.arange(nstep) % 48) / 2.0
    sink = np.where((hour > 6) & (hour < 18), 3e-5 * np.sin(np.pi * (hour - 6) / 12), 0.0)
    hr = np.where((hour > 6) & (hour < 18), 0.0, 5e-6)
    col = xr.Dataset(dict(QROOTSINK=(("time", "levsoi"), sink[:, None]),
                          QHR=(("time", "levsoi"), hr[:, None]),
                          H2OSOI=(("time", "levsoi"), np.full((nstep, 1), 0.15))),
                     coords=dict(time=times, levsoi=[0.15], dzsoi=("levsoi", [0.1])))
    rld = rz.root_length_density(300.0, 30.0, 0.2, 0.1)
    t = best_of(lambda: rz.run_from_column(col, 0, rld, nr=100), repeat=1)
    print(f"root scale, column-driven season (92 d at 1800 s, nr=100): {t:.2f} s")


if __name__ == "__main__":
    main()
