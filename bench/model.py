"""Speed of the whole column model (hrclm.run), 30-minute step, 10 soil layers.

Run:  .venv/bin/python bench/model.py

1. site-years per second on one core, HR off and HR on (US-SRM, one generated
   year, no spin-up, output to memory), best of 3;
2. per-column cost of one call with 1, 10, 100 and 1000 columns (an
   ensemble over hr_crt), relative to one column, on 30 days.
Ratios are measured within this one run.
"""

import time

import numpy as np

import hrclm
from hrclm.config import load_config
from hrclm.io import generate_forcing
from hrclm.sites import get_site


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    site = get_site("US-SRM")
    forcing = generate_forcing(site, 2010, 1, 1800.0, 42, 400.0)
    rate = {}
    for label, nml in (("off", "hr_off.nml"), ("on", "hr_on.nml")):
        config = load_config("US-SRM.nml", nml, spinup=False)
        t = best_of(lambda: hrclm.run(config, forcing))
        rate[label] = 1.0 / t
        print(f"HR {label:>3}: {t:.3f} s per site-year = {rate[label]:.1f} site-years per second")
    print(f"HR on / HR off run time: {rate['off'] / rate['on']:.2f}")

    month = forcing.isel(time=slice(0, 30 * 48))
    per_col = {}
    for ncol in (1, 10, 100, 1000):
        crt = list(np.linspace(0.01, 0.2, ncol)) if ncol > 1 else 0.097
        config = load_config("US-SRM.nml", "hr_on.nml", spinup=False, hr_crt=crt)
        t = best_of(lambda: hrclm.run(config, month), repeat=2 if ncol < 1000 else 1)
        per_col[ncol] = t / ncol
        print(f"{ncol:>5} columns: {t:.3f} s for 30 days, {per_col[ncol] * 1e3:.3f} ms per column")
    for ncol in (10, 100, 1000):
        print(f"per-column cost {ncol} / 1 column: {per_col[ncol] / per_col[1]:.3f}")


if __name__ == "__main__":
    main()
