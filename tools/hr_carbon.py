"""HR and soil carbon, layer by layer: three runs per site on one generated
year (the numbers in docs/science_notes.md, "What HR does to decomposition").

1. HR off, spun up (water, then carbon) to its own steady state;
2. HR on, spun up to its own steady state;
3. HR switched on in the steady state of run 1 (same soil carbon).

Prints the annual GPP, AR, Rh (CLM's HR) and NEE of each run [gC m-2 yr-1]
and, for the dry-season months, Rh per layer (HR_vr dz, mgC m-2 d-1), the
moisture scalar W_SCALAR and the HR flux QHR into each layer [mm d-1].

Run (from any folder but the source tree):
    python tools/hr_carbon.py [US-SRM US-SRG US-Ton] [--months 5,6] [--year 2010]
"""

import argparse

import numpy as np

from hrclm.config import load_config
from hrclm.model import run_case

FIELDS = ["GPP", "AR", "HR", "NEE", "HR_vr", "W_SCALAR", "QHR"]
YEAR = 86400.0 * 365.0


def three_runs(site, year):
    """{case: h0 daily Dataset} of the three experiments."""
    out, state = {}, None
    for case in ("hr_off", "hr_on"):
        config = load_config(f"{site}.nml", f"{case}.nml", start_year=year, nyears=1,
                             hist_nhtfrq=[-24], hist_fincl1=FIELDS)
        res = run_case(config)
        out[case] = res.tapes[0]
        if case == "hr_off":
            state = res.state
    config = load_config(f"{site}.nml", "hr_on.nml", start_year=year, nyears=1, spinup=False,
                         hist_nhtfrq=[-24], hist_fincl1=FIELDS)
    out["hr_on_switched"] = run_case(config, state=state).tapes[0]
    return out


def report(site, runs, months):
    print(f"{site}: annual [gC m-2 yr-1]      GPP      AR      Rh     NEE")
    for case, ds in runs.items():
        print(f"  {case:<26}" + "".join(f"{float(ds[v].mean()) * YEAR:8.1f}"
                                         for v in ("GPP", "AR", "HR", "NEE")))
    off = runs["hr_off"]
    dry = off.time.dt.month.isin(months)
    print(f"  months {months}: depth [m], Rh [mgC m-2 d-1] off / on / switched, "
          "W_SCALAR off / on / switched, QHR on / switched [mm d-1]")
    dz = off.dzsoi.values
    for j, z in enumerate(off.levsoi.values):
        rh = [float((ds.HR_vr[:, j] * dz[j]).where(dry).mean()) * 86400e3 for ds in runs.values()]
        w = [float(ds.W_SCALAR[:, j].where(dry).mean()) for ds in runs.values()]
        q = [float(runs[c].QHR[:, j].where(dry).mean()) * 86400 for c in ("hr_on", "hr_on_switched")]
        print(f"  {z:6.3f}  " + " ".join(f"{v:7.2f}" for v in rh) + "   "
              + " ".join(f"{v:.3f}" for v in w) + "   " + " ".join(f"{v:+.3f}" for v in q))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", default=["US-SRM", "US-SRG", "US-Ton"])
    parser.add_argument("--months", default="5,6", help="dry-season months (default 5,6)")
    parser.add_argument("--year", type=int, default=2010, help="generated year (default 2010)")
    args = parser.parse_args(argv)
    months = [int(m) for m in args.months.split(",")]
    for site in args.sites:
        report(site, three_runs(site, args.year), months)


if __name__ == "__main__":
    main()
