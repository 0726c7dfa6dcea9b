"""Speed of the soil column (hrclm.column.run_soil_column): column-years per
second at a 30-minute step, HR off and on, one column and an ensemble.

Run:  .venv/bin/python bench/soil_column.py

Forcing: one generated year of rain pulses, daytime evaporation and
transpiration demand, HR switch on at night; CLM4.5's 10 active layers,
sandy loam, shrub roots. Each figure is the best of 3 runs; the ratios are
measured in the same run.
"""


import numpy as np

from _timing import best_of

from hrclm.column import HRParameters, run_soil_column
from hrclm.roots import zeng_rootfr
from hrclm.soil import clm45_grid, soil_properties


def forcing(nstep, dt=1800.0, seed=0):
    rng = np.random.default_rng(seed)
    rain = np.where(rng.random(nstep) < 0.02, rng.exponential(3.0, nstep) / dt, 0.0)
    hour = (np.arange(nstep) * dt / 3600.0) % 24
    day = (hour > 6) & (hour < 18)
    demand = np.where(day, 4.0 / 12 / 3600, 0.0)
    return dict(water_input=rain, evaporation=0.3 * demand, transpiration=demand,
                hr_switch=(~day).astype(float))


def main():
    g = clm45_grid(10)
    p = soil_properties(65.0, 10.0, g.z)
    rootfr = zeng_rootfr(g.zi, 7.0, 1.5)
    f = forcing(365 * 48)
    rates = {}
    for ncol in (1, 100):
        theta = np.full((ncol, 10), 0.2)
        props = soil_properties(np.full((ncol, 10), 65.0), 10.0, g.z)
        for label, hr in (("off", None), ("on", HRParameters())):
            t = best_of(lambda: run_soil_column(g, props, rootfr, theta, f, hr=hr,
                                                smpso=-83000.0, smpsc=-428000.0))
            rates[(ncol, label)] = ncol / t
            print(f"{ncol:>4} column(s), HR {label:>3}: {t:7.3f} s per simulated year, "
                  f"{ncol / t:8.1f} column-years per second")
    print(f"HR on / HR off run time, 1 column: {rates[(1, 'off')] / rates[(1, 'on')]:.2f}")
    print(f"per-column cost, 100 columns / 1 column (HR on): "
          f"{rates[(1, 'on')] / rates[(100, 'on')]:.2f}")


if __name__ == "__main__":
    main()
