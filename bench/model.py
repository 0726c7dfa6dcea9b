"""Speed of the whole column model (hrclm.run), 30-minute step, 10 soil layers.

Run:  .venv/bin/python bench/model.py

1. site-years per second on one core, HR off and HR on (US-SRM, one generated
   year, no spin-up, output to memory, the default h0 tape: every field at
   every step) with the CLM4.5 canopy (default) and with the Penman-Monteith
   canopy, and HR on with a daily h0 tape (hist_nhtfrq = -24), without
   carbon, and with CLM4.5's root uptake weights; and, in the
   same loop, the peer model SOILWAT2 (../shared/peers/soilwat2/run.sh, its
   31-year example with yearly output, HR on; the binary's wall time) when
   it is there: the runs alternate, best of 7 each (SOILWAT2 best of 3), so
   that a slow spell of the machine hits all;
2. per-column cost with 1, 10, 100 and 1000 columns (an ensemble over
   hr_crt), relative to one column, on 30 days: for the compiled call alone
   (hrclm.driver.advance over the 30 days with the default every-step tape,
   as hrclm.model.run_case lays it out) and for the whole hrclm.run (which
   also cuts the run into chunks and builds the output Dataset), with one
   thread (HRCLM_NUM_THREADS=1) and with every core of the machine.
Ratios are measured within this one run.
"""

import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from _timing import best_of

import hrclm
from hrclm._fortran import raise_on_error, thread_count
from hrclm.config import load_config
from hrclm.driver import advance, forcing_block
from hrclm.history import TapeSet, tapes_from_config
from hrclm.io import generate_forcing
from hrclm.model import ColumnSetup
from hrclm.sites import get_site
from hrclm.variables import FORCING_VARIABLES


SOILWAT2_RUN = Path(__file__).resolve().parents[2] / "shared" / "peers" / "soilwat2" / "run.sh"
SOILWAT2_YEARS = 31          # the example's 1980-2010


def soilwat2_seconds(workdir):
    """Wall time [s] of SOILWAT2's binary for its 31-year example, HR on,
    yearly output (as run.sh reports it), or None if the peer is absent."""
    if not SOILWAT2_RUN.is_file():
        return None
    proc = subprocess.run(["bash", str(SOILWAT2_RUN), str(workdir), "1", "yearly"],
                          capture_output=True, text=True)
    found = re.search(r"wall ([0-9.]+) s", proc.stdout + proc.stderr)
    return float(found.group(1)) if proc.returncode == 0 and found else None


def site_years_per_second(forcing, repeat=7):
    configs = {
        "CLM4.5, HR off": load_config("US-SRM.nml", "hr_off.nml", spinup=False),
        "CLM4.5, HR on": load_config("US-SRM.nml", "hr_on.nml", spinup=False),
        "CLM4.5, HR on, no carbon": load_config("US-SRM.nml", "hr_on.nml", spinup=False,
                                                use_carbon=False),
        "CLM4.5, HR on, clm45 uptake": load_config("US-SRM.nml", "hr_on.nml", spinup=False,
                                                   root_uptake="clm45"),
        "CLM4.5, HR on, daily h0": load_config("US-SRM.nml", "hr_on.nml", spinup=False,
                                               hist_nhtfrq=[-24]),
        "Penman-Monteith, HR off": load_config("US-SRM.nml", "hr_off.nml", spinup=False,
                                               canopy_scheme="penman_monteith"),
        "Penman-Monteith, HR on": load_config("US-SRM.nml", "hr_on.nml", spinup=False,
                                              canopy_scheme="penman_monteith"),
    }
    years = forcing.time.size * 1800.0 / (365 * 86400.0)
    times = {label: [] for label in configs}
    peer = []
    workdir = Path(tempfile.gettempdir()) / "hrclm_bench_soilwat2"
    for k in range(repeat):
        for label, config in configs.items():
            t0 = time.perf_counter()
            hrclm.run(config, forcing)
            times[label].append(time.perf_counter() - t0)
        if k < 3:
            t = soilwat2_seconds(workdir)
            if t is not None:
                peer.append(t)
    rate = {label: years / min(t) for label, t in times.items()}
    for label, r in rate.items():
        print(f"{label:<26}: {1 / r:.4f} s per site-year = {r:.2f} site-years per second"
              + ("" if "daily" in label else " (h0 every step, all fields)"))
    for scheme in ("CLM4.5", "Penman-Monteith"):
        print(f"{scheme}: HR on / HR off run time: "
              f"{rate[f'{scheme}, HR off'] / rate[f'{scheme}, HR on']:.2f}")
    print(f"CLM4.5 HR on: carbon on / carbon off run time: "
          f"{rate['CLM4.5, HR on, no carbon'] / rate['CLM4.5, HR on']:.2f}")
    print(f"CLM4.5 HR on: hydraulic / clm45 root uptake run time: "
          f"{rate['CLM4.5, HR on, clm45 uptake'] / rate['CLM4.5, HR on']:.2f}")
    print(f"CLM4.5 / Penman-Monteith run time, HR on: "
          f"{rate['Penman-Monteith, HR on'] / rate['CLM4.5, HR on']:.2f}")
    if peer:
        sw2 = SOILWAT2_YEARS / min(peer)
        print(f"SOILWAT2 (daily step, HR on, yearly output; binary wall time): "
              f"{sw2:.1f} site-years per second; SOILWAT2 / hrclm CLM4.5 HR on: "
              f"{sw2 / rate['CLM4.5, HR on']:.1f}")
    else:
        print(f"SOILWAT2 not run: {SOILWAT2_RUN} is absent or failed")


def compiled_call(setup, forc, time_utc):
    """The compiled time loop alone: hrclm.driver.advance over every step of
    forc from a fresh initial state, with the configuration's tapes (kept in
    memory, no Dataset built)."""
    config = setup.config
    tapes = TapeSet(tapes_from_config(config), setup.grid.nlev, setup.ncol, config["dtime"],
                    time_utc, lambda: ({}, {}, {}))
    state = setup.initial_state()
    ierr, ecol, estep, errmsg, _ = advance(setup.inputs, state, forc, tapes, 0, time_utc.size)
    raise_on_error(ierr, errmsg, ecol)


def ensemble_cost(site, forcing):
    month = forcing.isel(time=slice(0, 30 * 48))
    time_utc = month.time.values
    per_col, per_col_run = {}, {}
    for ncol in (1, 10, 100, 1000):
        crt = list(np.linspace(0.01, 0.2, ncol)) if ncol > 1 else 0.097
        config = load_config("US-SRM.nml", "hr_on.nml", spinup=False, hr_crt=crt)
        setup = ColumnSetup(config, site)
        values = {v: month[v].values for v in FORCING_VARIABLES}
        values.update(setup.phenology(time_utc))
        forc = forcing_block(values, time_utc.size)
        repeat = 3 if ncol < 1000 else 2
        t = best_of(lambda: compiled_call(setup, forc, time_utc), repeat)
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
