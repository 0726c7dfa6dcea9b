"""Wall time of a benchmark job: 15 sites x 2 cases (HR off, on) x 5 generated
years, on a dask LocalCluster with 1 worker and with all cores, and the
speed-up. Spin-up is on (as in real use); outputs go to a temporary folder.

Run:  .venv/bin/python bench/benchmark_job.py [workers]
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from hrclm.benchmark import run_benchmark
from hrclm.sites import registered_sites


def config_text(sites):
    parts = ['name = "speed"\n[cases]\nhr_off = ["hr_off.nml"]\nhr_on = ["hr_on.nml"]\n']
    for s in sites:
        parts.append(f'[[site]]\nid = "{s}"\nforcing = "generator"\nstart_year = 2010\nnyears = 5\n')
    return "\n".join(parts)


def main(workers=None):
    workers = workers or os.cpu_count()
    sites = [s for s in registered_sites() if not s.startswith("USCRN")][:15]
    tmp = Path(tempfile.mkdtemp(prefix="hrclm_bench_"))
    try:
        cfg = tmp / "speed.toml"
        cfg.write_text(config_text(sites))
        wall = {}
        for n in sorted({1, workers}):
            out = tmp / f"out{n}"
            t0 = time.perf_counter()
            table, failures = run_benchmark(cfg, out, workers=n, progress=False)
            wall[n] = time.perf_counter() - t0
            print(f"{len(sites)} sites x 2 cases x 5 years, {n} worker(s): {wall[n]:.1f} s wall"
                  f"{'' if not failures else f' ({len(failures)} failures)'}")
        if len(wall) > 1:
            print(f"speed-up with {workers} workers over 1: {wall[1] / wall[workers]:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
