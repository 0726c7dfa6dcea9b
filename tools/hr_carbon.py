"""HR and soil carbon, layer by layer: three runs per site on one generated
year (the numbers in docs/science_notes.md, "What HR does to decomposition").

1. HR off, spun up (water, then carbon) to its own steady state;
2. HR on, spun up to its own steady state;
3. HR switched on in the steady state of run 1 (same soil carbon).

Prints the annual GPP, AR, Rh (CLM's HR) and NEE of each run [gC m-2 yr-1]
(hrclm.evaluate.annual_totals) and, for the dry season, Rh per layer
(HR_vr dz, mgC m-2 d-1), the moisture scalar W_SCALAR
(hrclm.evaluate.dry_season_profile) and the HR flux QHR into each layer
[mm d-1]. The dry season is the benchmark's (hrclm.evaluate.dry_season_months
of the forcing's precipitation) unless --months names one; the science notes
quote --months 5,6.

Run (from any folder but the source tree):
    python tools/hr_carbon.py [US-SRM US-SRG US-Ton] [--months 5,6] [--year 2010]
"""

import argparse

import numpy as np
import xarray as xr

from hrclm import evaluate
from hrclm.config import load_config
from hrclm.model import forcing_source, run_case
from hrclm.sites import get_site

FIELDS = ["GPP", "AR", "HR", "NEE", "HR_vr", "W_SCALAR", "QHR", "H2OSOI"]


def three_runs(site, year):
    """{case: h0 daily Dataset} of the three experiments, and the forcing's
    daily precipitation [kg m-2 s-1] on the run's records."""
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
    src, _ = forcing_source(config, get_site(site))
    rain = xr.DataArray(src.values(0, src.time.size)["Rainf"], dims="time",
                        coords={"time": src.time}).resample(time="1D").mean()
    return out, rain


def report(site, runs, months):
    print(f"{site}: annual [gC m-2 yr-1]      GPP      AR      Rh     NEE")
    for case, ds in runs.items():
        totals, _ = evaluate.annual_totals(ds, ("GPP", "AR", "HR", "NEE"))
        print(f"  {case:<26}" + "".join(f"{totals[v]:8.1f}" for v in ("GPP", "AR", "HR", "NEE")))
    print(f"  dry season, months {months}: depth [m], Rh [mgC m-2 d-1] off / on / switched, "
          "W_SCALAR off / on / switched, QHR on / switched [mm d-1]")
    prof = [evaluate.dry_season_profile(ds, months) for ds in runs.values()]
    qhr = [runs[c].QHR.isel(time=np.flatnonzero(evaluate.in_months(runs[c].time, months).values))
           .mean("time") * 86400.0 for c in ("hr_on", "hr_on_switched")]
    for j, z in enumerate(runs["hr_off"].levsoi.values):
        print(f"  {z:6.3f}  " + " ".join(f"{float(p.HR_layer[j]) * 1e3:7.2f}" for p in prof)
              + "   " + " ".join(f"{float(p.W_SCALAR[j]):.3f}" for p in prof)
              + "   " + " ".join(f"{float(q[j]):+.3f}" for q in qhr))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", default=["US-SRM", "US-SRG", "US-Ton"])
    parser.add_argument("--months", default="", help="dry-season months, e.g. 5,6 (default: "
                        "the benchmark's rule, the 3 months of least forcing precipitation)")
    parser.add_argument("--year", type=int, default=2010, help="generated year (default 2010)")
    args = parser.parse_args(argv)
    for site in args.sites:
        runs, rain = three_runs(site, args.year)
        theta = runs["hr_off"].H2OSOI.sel(levsoi=slice(0, 0.5)).mean("levsoi")
        months = ([int(m) for m in args.months.split(",")] if args.months else
                  list(evaluate.dry_season_months(rain, tiebreak=theta)))
        report(site, runs, months)


if __name__ == "__main__":
    main()
