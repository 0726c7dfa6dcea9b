"""Speed of the whole column model (hrclm.run), 30-minute step, 10 soil layers.

Run:  .venv/bin/python bench/model.py

1. site-years per second on one core, HR off and HR on (US-SRM, one generated
   year, no spin-up, output to memory): off and on runs alternate, best of 7
   each, so that a slow spell of the machine hits both;
2. per-column cost with 1, 10, 100 and 1000 columns (an ensemble over
   hr_crt), relative to one column, on 30 days: for the compiled call alone
   and for the whole hrclm.run (which also builds the output Dataset), with
   one thread (HRCLM_NUM_THREADS=1) and with every core of the machine.
Ratios are measured within this one run.
"""

import os
import time

import numpy as np

from _timing import best_of

import hrclm
from hrclm._fortran import thread_count
from hrclm.config import load_config
from hrclm.model import ColumnSetup, _forcing_arrays, _local_day_of_year
from hrclm.io import generate_forcing
from hrclm.sites import get_site


def site_years_per_second(forcing, repeat=7):
    configs = {label: load_config("US-SRM.nml", f"hr_{label}.nml", spinup=False)
               for label in ("off", "on")}
    times = {"off": [], "on": []}
    for _ in range(repeat):
        for label, config in configs.items():
            t0 = time.perf_counter()
            hrclm.run(config, forcing)
            times[label].append(time.perf_counter() - t0)
    rate = {label: 1.0 / min(t) for label, t in times.items()}
    for label in ("off", "on"):
        print(f"HR {label:>3}: {1 / rate[label]:.4f} s per site-year = "
              f"{rate[label]:.1f} site-years per second")
    print(f"HR on / HR off run time: {rate['off'] / rate['on']:.2f}")


def ensemble_cost(site, forcing):
    month = forcing.isel(time=slice(0, 30 * 48))
    per_col, per_col_run = {}, {}
    for ncol in (1, 10, 100, 1000):
        crt = list(np.linspace(0.01, 0.2, ncol)) if ncol > 1 else 0.097
        config = load_config("US-SRM.nml", "hr_on.nml", spinup=False, hr_crt=crt)
        setup = ColumnSetup(config, site)
        arrays = _forcing_arrays(month, ncol, 0, month.time.size)
        lai = np.asfortranarray(np.broadcast_to(site.lai_at(_local_day_of_year(month, site)),
                                                (ncol, month.time.size)))
        repeat = 3 if ncol < 1000 else 2
        t = best_of(lambda: setup.advance(arrays, lai, setup.initial_state(), 1800.0), repeat)
        t_run = best_of(lambda: hrclm.run(config, month), repeat)
        per_col[ncol], per_col_run[ncol] = t / ncol, t_run / ncol
        print(f"{ncol:>5} columns, 30 days: compiled call {t * 1e3:9.1f} ms "
              f"({per_col[ncol] * 1e3:.3f} ms per column); hrclm.run {t_run * 1e3:9.1f} ms "
              f"({per_col_run[ncol] * 1e3:.3f} ms per column)")
    for ncol in (10, 100, 1000):
        print(f"per-column cost {ncol:>4} / 1 column: compiled call "
              f"{per_col[ncol] / per_col[1]:.3f}, hrclm.run {per_col_run[ncol] / per_col_run[1]:.3f}")


def main():
    site = get_site("US-SRM")
    forcing = generate_forcing(site, 2010, 1, 1800.0, 42, 400.0)
    site_years_per_second(forcing)
    cores = thread_count()
    for threads in sorted({1, cores}):
        os.environ["HRCLM_NUM_THREADS"] = str(threads)
        print(f"-- ensembles, {threads} thread(s) (HRCLM_NUM_THREADS={threads})")
        ensemble_cost(site, forcing)


if __name__ == "__main__":
    main()
