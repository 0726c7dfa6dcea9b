"""Peak resident memory of whole runs, each measured in a fresh process
(resource.getrusage ru_maxrss of the child), US-SRM, HR on, spin-up off,
forcing from the weather generator.

Run:  .venv/bin/python bench/memory.py

Cases:
* 10, 30 and 100 site-years with a daily h0 tape (hist_nhtfrq = -24, every
  field averaged), history kept in memory (hrclm.run without output_dir) and
  written to files as the run goes (hrclm.run(config, output_dir=tmpdir));
  target: peak under 300 MiB for all three;
* a 1000-column one-year ensemble (hr_crt = 0.01 .. 0.2) with a daily h0
  tape, in memory and to files; target: peak under 1 GiB;
* for comparison with earlier sessions: 10 site-years with the default h0
  tape (every field at every 30-minute step), in memory.
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CHILD = r"""
import json, os, resource, sys, tempfile
import numpy as np
import hrclm
import netCDF4  # imported up front so that "after imports" is the same for both outputs
case = json.loads(sys.argv[1])
options = dict(spinup=False, nyears=case["nyears"])
if case["daily"]:
    options["hist_nhtfrq"] = [-24]
if case["ncol"] > 1:
    options["hr_crt"] = list(np.linspace(0.01, 0.2, case["ncol"]))
config = hrclm.load_config("US-SRM.nml", "hr_on.nml", **options)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if case["files"]:
    with tempfile.TemporaryDirectory() as tmp:
        ds = hrclm.run(config, output_dir=tmp)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size = sum(os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp))
        ds.close()
else:
    ds = hrclm.run(config)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = ds.nbytes
print(json.dumps([base / 1024, peak / 1024, size / 2**20]))
"""

MIB = 2.0**20

CASES = [
    # label, ncol, nyears, daily, files, target [MiB]
    ("10 site-years, half-hourly h0 (every step), in memory", 1, 10, False, False, None),
    ("10 site-years, daily h0, in memory", 1, 10, True, False, 300),
    ("30 site-years, daily h0, in memory", 1, 30, True, False, 300),
    ("100 site-years, daily h0, in memory", 1, 100, True, False, 300),
    ("10 site-years, daily h0, to files", 1, 10, True, True, 300),
    ("30 site-years, daily h0, to files", 1, 30, True, True, 300),
    ("100 site-years, daily h0, to files", 1, 100, True, True, 300),
    ("1000 columns x 1 year, daily h0, in memory", 1000, 1, True, False, 1024),
    ("1000 columns x 1 year, daily h0, to files", 1000, 1, True, True, 1024),
]


def measure(ncol, nyears, daily, files):
    case = {"ncol": ncol, "nyears": nyears, "daily": daily, "files": files}
    # run from bench/ so that the child imports the installed hrclm, not the
    # source tree of the working directory (python -c puts the cwd first on sys.path)
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(case)], capture_output=True,
                         text=True, cwd=HERE)
    if out.returncode != 0:
        raise RuntimeError(f"case {case} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    for label, ncol, nyears, daily, files, target in CASES:
        base, peak, size = measure(ncol, nyears, daily, files)
        what = "files" if files else "Dataset"
        verdict = ("" if target is None else
                   f"; target < {target:.0f} MiB: {'met' if peak < target else 'MISSED'}")
        print(f"{label}: peak RSS {peak:.0f} MiB (after imports {base:.0f} MiB, "
              f"{peak - base:.0f} MiB above them; output {what} {size:.1f} MiB){verdict}",
              flush=True)


if __name__ == "__main__":
    main()
