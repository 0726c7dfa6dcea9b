"""Monthly climate statistics from USCRN hourly02 files, for the site registry.

Used once to fill the [climate] tables of site_data/*.toml; the numbers are
copied there with this script named as their source. Run from the project
root with the shared data beside it:

    python tools/uscrn_monthly_normals.py ../shared/site_data_raw/uscrn/AZ_Tucson_11_W

Prints, per calendar month: mean air temperature (degC), mean daily range
(degC), precipitation (mm per month), fraction of days with >= 0.25 mm, and
mean relative humidity (%). Fields follow NOAA's headers.txt (T_HR_AVG,
T_MAX, T_MIN, P_CALC, RH_HR_AVG); -9999/-99.000 are missing.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

COLS = {3: "LST_DATE", 4: "LST_TIME", 9: "T_HR_AVG", 10: "T_MAX", 11: "T_MIN",
        12: "P_CALC", 26: "RH_HR_AVG"}


def main(folder):
    frames = [pd.read_csv(f, sep=r"\s+", header=None, usecols=list(COLS), dtype=str)
              for f in sorted(Path(folder).glob("CRNH0203-*.txt"))]
    df = pd.concat(frames).rename(columns=COLS)
    for c in ("T_HR_AVG", "T_MAX", "T_MIN", "P_CALC", "RH_HR_AVG"):
        df[c] = pd.to_numeric(df[c]).where(lambda x: x > -99.0)
    df["date"] = pd.to_datetime(df["LST_DATE"], format="%Y%m%d")
    daily = df.groupby("date").agg(t=("T_HR_AVG", "mean"), tmax=("T_MAX", "max"),
                                   tmin=("T_MIN", "min"), p=("P_CALC", "sum"),
                                   rh=("RH_HR_AVG", "mean"), n=("P_CALC", "count"))
    daily = daily[daily.n >= 20]
    daily["month"] = daily.index.month
    daily["year"] = daily.index.year
    monthly_p = daily.groupby(["year", "month"]).p.sum().groupby("month").mean()
    out = pd.DataFrame({
        "tmean": daily.groupby("month").t.mean(),
        "trange": (daily.tmax - daily.tmin).groupby(daily.month).mean(),
        "precip": monthly_p,
        "wetfrac": (daily.p >= 0.25).groupby(daily.month).mean(),
        "rh": daily.groupby("month").rh.mean(),
    })
    print(f"years: {sorted(daily.year.unique())}")
    print(out.round(2).to_string())
    print(f"annual mean T {out.tmean.mean():.2f} degC, annual P {out.precip.sum():.1f} mm")


if __name__ == "__main__":
    main(sys.argv[1])
