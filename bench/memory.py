"""Peak resident memory of a 10-site-year half-hourly run with full output
(one site, 10 generated years, spin-up off), measured in a fresh process.

Run:  .venv/bin/python bench/memory.py
"""

import resource
import subprocess
import sys

CHILD = r"""
import resource, hrclm
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
ds = hrclm.run(hrclm.load_config("US-SRM.nml", "hr_on.nml", spinup=False, nyears=10))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(base / 1024, peak / 1024, ds.nbytes / 2**20)
"""


def main():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True)
    base, peak, nbytes = (float(x) for x in out.stdout.split())
    print(f"10 site-years, half-hourly, full output: peak RSS {peak:.0f} MiB "
          f"(after imports {base:.0f} MiB; output Dataset {nbytes:.0f} MiB); "
          f"{(peak - base) / 10:.0f} MiB per site-year above the imports")


if __name__ == "__main__":
    main()
