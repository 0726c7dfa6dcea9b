"""Speed of the Ryel HR flux (hrclm.hr_flux) per column, for 1 to 1000 columns.

Run:  .venv/bin/python bench/hr_flux.py

Prints microseconds per column-step for each column count and the ratio of
the 1000-column per-column cost to the single-column one, measured in one run
(ratios, not absolute times, are comparable across machines).
"""

import timeit

import numpy as np

import hrclm
from hrclm.constants import mpa_to_mm
from hrclm.roots import zeng_rootfr
from hrclm.soil import NLEVSOI, clm45_grid


def main():
    grid = clm45_grid()
    dz = grid.dz[:NLEVSOI] * 1000.0
    rootfr = zeng_rootfr(grid.zi[:NLEVSOI + 1], 7.0, 1.5)
    rng = np.random.default_rng(1)
    per_col = {}
    for ncol in (1, 10, 100, 1000):
        psi = mpa_to_mm(-rng.uniform(0.01, 4.0, (ncol, NLEVSOI)))
        rf = np.broadcast_to(rootfr, (ncol, NLEVSOI))
        avail = np.full((ncol, NLEVSOI), 10.0)
        call = lambda: hrclm.hr_flux(psi, rf, dz, h2o_avail=avail, h2o_room=avail)
        number = max(1, 20000 // ncol)
        best = min(timeit.repeat(call, number=number, repeat=5)) / number
        per_col[ncol] = best / ncol
        print(f"{ncol:>5} columns: {best * 1e6:10.1f} us per call, "
              f"{per_col[ncol] * 1e6:8.3f} us per column-step")
    print(f"per-column cost, 1000 columns / 1 column: {per_col[1000] / per_col[1]:.3f}")


if __name__ == "__main__":
    main()
