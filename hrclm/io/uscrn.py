"""Reader for USCRN hourly02 station files (NOAA U.S. Climate Reference
Network, ``CRNH0203-<year>-<station>.txt``).

Layout (NOAA headers.txt): 38 whitespace-separated fields per line; times are
the END of each hour in UTC (fields 2-3) and local standard time (4-5).
Used here: T_HR_AVG (10, degC), P_CALC (13, mm in the hour), SOLARAD (14,
W m-2, QC flag 15), RH_HR_AVG (27, %, QC flag 28), SOIL_MOISTURE_5..100
(29-33, m3 m-3), SOIL_TEMP_5..100 (34-38, degC). Missing values are -9999.0,
-99.000 and -99999; a non-zero QC flag marks a value as bad.

The product has no wind, pressure or longwave: wind is filled with a constant
(``DEFAULT_WIND``), pressure from the station elevation (standard atmosphere)
and longwave from Brutsaert's formula with clearness-based cloud (see
:func:`hrclm.io.convert.longwave_estimate`); the Dataset attributes say so.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from ..constants import TFRZ
from ..errors import InputError
from .convert import (clear_sky_shortwave, fill_gaps, longwave_estimate, pressure_at,
                      saturation_vapour_pressure, specific_humidity_from_rh)
from ..variables import FORCING_VARIABLES

NFIELDS = 38
SENTINELS = (-9999.0, -99.0, -99999.0)
SWC_DEPTHS = (0.05, 0.10, 0.20, 0.50, 1.00)   # m
DEFAULT_WIND = 2.0                            # m s-1, filled (no wind in hourly02)
MAX_INTERP_HOURS = 6
RH_MIN = 1.0                                  # %, floor on relative humidity


def _read_one(path):
    path = Path(path)
    try:
        table = pd.read_csv(path, sep=r"\s+", header=None, dtype=str)
    except Exception as err:
        raise InputError(f"USCRN file {path} could not be read: {err}", argument="path") from None
    if table.shape[1] != NFIELDS:
        raise InputError(f"USCRN file {path} has {table.shape[1]} fields per line; an hourly02 "
                         f"file has {NFIELDS} (is this a USCRN hourly02 file?)", argument="path")
    return table


def _numeric(col, flag=None):
    v = pd.to_numeric(col, errors="coerce").astype(float)
    v = v.where(~v.isin(SENTINELS))
    if flag is not None:
        v = v.where(pd.to_numeric(flag, errors="coerce") == 0)
    return v.values


def read_uscrn(paths, site=None, elevation=None, co2=400.0):
    """Read USCRN hourly02 files into forcing and observation Datasets.

    Parameters
    ----------
    paths : path or list of paths
        One or more hourly02 files of one station (e.g. one per year).
    site : hrclm.sites.Site, optional
        Registered site; gives elevation and id (else ``elevation`` is needed).
    elevation : float, optional
        Station elevation [m] when no site is given.
    co2 : float
        CO2 to put in the forcing [ppm] (not measured).

    Returns
    -------
    forcing : xarray.Dataset
        Hourly forcing (:data:`hrclm.io.FORCING_VARIABLES`) on UTC period starts,
        gaps filled (fractions in attributes ``filled_fraction_<var>``).
    obs : xarray.Dataset
        ``SWC`` [m3 m-3] and ``TSOI`` [K] on (time, depth), depth in m.
    """
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not paths:
        raise InputError("read_uscrn needs at least one file", argument="paths")
    tables = [_read_one(p) for p in paths]
    stations = {t[0].iloc[0] for t in tables}
    if len(stations) > 1:
        raise InputError(f"USCRN files {', '.join(map(str, paths))} are from different stations "
                         f"(WBAN {', '.join(sorted(stations))})", argument="paths")
    t = pd.concat(tables, ignore_index=True)
    end_utc = pd.to_datetime(t[1] + t[2], format="%Y%m%d%H%M")
    start_utc = end_utc - pd.Timedelta(hours=1)
    order = np.argsort(start_utc.values, kind="stable")
    t = t.iloc[order].reset_index(drop=True)
    start_utc = pd.DatetimeIndex(start_utc.values[order])
    if start_utc.has_duplicates:
        dup = start_utc[start_utc.duplicated()][0]
        raise InputError(f"USCRN files {', '.join(map(str, paths))} repeat the hour starting "
                         f"{dup} UTC; give each year's file once", argument="paths")
    step = np.diff(start_utc.values).astype("timedelta64[m]").astype(int)
    if step.size and np.any(step != 60):
        i = int(np.argmax(step != 60))
        raise InputError(f"USCRN records are not hourly and contiguous: {step[i]} min between "
                         f"{start_utc[i]} and {start_utc[i + 1]} UTC", argument="paths")
    lst_end = pd.to_datetime(t[3] + t[4], format="%Y%m%d%H%M")
    utc_offset = float(np.round((lst_end - end_utc).dt.total_seconds().median() / 3600.0))
    lon = float(pd.to_numeric(t[6]).median())
    lat = float(pd.to_numeric(t[7]).median())
    if elevation is None:
        if site is None:
            raise InputError("read_uscrn needs the station elevation (site= or elevation=); "
                             "hourly02 files do not carry it", argument="elevation")
        elevation = site.elevation
    local = start_utc + pd.Timedelta(hours=utc_offset)

    raw = {
        "Tair": _numeric(t[9]) + TFRZ,
        "Rainf": _numeric(t[12]) / 3600.0,
        "SWdown": _numeric(t[13], t[14]),
        "RH": _numeric(t[26], t[27]),
    }
    raw["SWdown"] = np.where(raw["SWdown"] < 0, 0.0, raw["SWdown"])
    missing = {k: float(np.isnan(v).mean()) for k, v in raw.items()}
    for k in raw:
        if missing[k] == 1.0:
            raise InputError(f"USCRN files {', '.join(map(str, paths))}: variable {k} is missing "
                             "in every record", argument=k)
    filled = {}
    for k, v in raw.items():
        raw[k], filled[k] = fill_gaps(v, local, MAX_INTERP_HOURS, zero=(k == "Rainf"))
    # the RH sensor reports down to 0 %; dry-air hours are floored at RH_MIN
    rh_floored = int((raw["RH"] < RH_MIN).sum())
    raw["RH"] = np.clip(raw["RH"], RH_MIN, 100.0)
    psurf = np.full(len(t), pressure_at(elevation))
    qair = specific_humidity_from_rh(raw["RH"], raw["Tair"], psurf)
    e = raw["RH"] / 100.0 * saturation_vapour_pressure(raw["Tair"])
    sw_clear = clear_sky_shortwave(start_utc, lat, lon, elevation, 3600.0)
    lw = longwave_estimate(raw["Tair"], e, raw["SWdown"], sw_clear, local)
    data = dict(Tair=raw["Tair"], Qair=qair, Psurf=psurf, Wind=np.full(len(t), DEFAULT_WIND),
                SWdown=raw["SWdown"], LWdown=lw, Rainf=raw["Rainf"],
                CO2air=np.full(len(t), float(co2)))
    forcing = xr.Dataset({k: ("time", v, {"units": FORCING_VARIABLES[k][0],
                                          "standard_name": FORCING_VARIABLES[k][1]})
                          for k, v in data.items()},
                         coords={"time": ("time", start_utc.values,
                                          {"long_name": "start of the period, UTC"})})
    site_id = site.id if site is not None else f"USCRN-WBAN{stations.pop()}"
    common = dict(product="USCRN hourly02", source_files="; ".join(str(p) for p in paths),
                  site=site_id, utc_offset=utc_offset, latitude=lat, longitude=lon,
                  elevation=float(elevation), version="hourly02 (NOAA NCEI)")
    forcing.attrs.update(common)
    forcing.attrs.update(
        generated=0, title=f"USCRN hourly forcing for {site_id}",
        note=(f"not measured by USCRN: Wind set to {DEFAULT_WIND} m s-1, Psurf from elevation "
              "(standard atmosphere), LWdown from Brutsaert (1975) with clearness-based cloud, "
              f"CO2air {co2} ppm; gaps of <= {MAX_INTERP_HOURS} h interpolated, longer gaps from "
              "the monthly mean diel cycle, missing precipitation set to 0"))
    forcing.attrs["rh_floored_at_1_percent"] = rh_floored
    for k in raw:
        forcing.attrs[f"missing_fraction_{k}"] = missing[k]
        forcing.attrs[f"filled_fraction_{k}"] = filled[k]

    swc = np.column_stack([_numeric(t[28 + i]) for i in range(5)])
    tsoi = np.column_stack([_numeric(t[33 + i]) for i in range(5)]) + TFRZ
    swc, rejected = _reject_swc(swc, paths)
    obs = xr.Dataset(
        {"SWC": (("time", "depth"), swc, {"long_name": "volumetric soil water content",
                                          "units": "m3 m-3"}),
         "TSOI": (("time", "depth"), tsoi, {"long_name": "soil temperature", "units": "K"}),
         "P": ("time", raw["Rainf"] * 3600.0, {"long_name": "precipitation in the hour "
                                                "(gaps set to 0)", "units": "mm"})},
        coords={"time": ("time", start_utc.values, {"long_name": "start of the period, UTC"}),
                "depth": ("depth", np.array(SWC_DEPTHS), {"units": "m", "positive": "down"})})
    obs.attrs.update(common)
    obs.attrs["title"] = f"USCRN soil observations for {site_id}"
    obs.attrs["swc_rejected_outside_0_0.6"] = rejected
    for i, d in enumerate(SWC_DEPTHS):
        obs.attrs[f"missing_fraction_SWC_{int(round(d * 100))}cm"] = float(np.isnan(swc[:, i]).mean())
    return forcing, obs


def _reject_swc(swc, source):
    """Set SWC outside [0, 0.6] m3 m-3 to NaN; return it and the count rejected."""
    bad = (swc < 0.0) | (swc > 0.6)
    n = int(bad.sum())
    if n:
        import warnings
        warnings.warn(f"{source}: {n} soil moisture values outside [0, 0.6] m3 m-3 were rejected",
                      stacklevel=3)
    return np.where(bad, np.nan, swc), n
