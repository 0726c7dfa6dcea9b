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
from .convert import (check_range, clear_sky_shortwave, fill_gaps, longwave_estimate,
                      pressure_at, repair, saturation_vapour_pressure,
                      specific_humidity_from_rh, warn_cut_last_line)
from ..variables import FORCING_VARIABLES

NFIELDS = 38
SENTINELS = (-9999.0, -99.0, -99999.0)
SWC_DEPTHS = (0.05, 0.10, 0.20, 0.50, 1.00)   # m
DEFAULT_WIND = 2.0                            # m s-1, filled (no wind in hourly02)
MAX_INTERP_HOURS = 6
RH_MIN = 1.0                                  # %, floor on relative humidity


FIELD_NAMES = {9: "T_HR_AVG", 12: "P_CALC", 13: "SOLARAD", 14: "SOLARAD_FLAG", 26: "RH_HR_AVG",
               27: "RH_HR_AVG_FLAG", **{28 + i: f"SOIL_MOISTURE_{int(d * 100)}"
                                        for i, d in enumerate(SWC_DEPTHS)},
               **{33 + i: f"SOIL_TEMP_{int(d * 100)}" for i, d in enumerate(SWC_DEPTHS)}}
"""0-based field -> NOAA name, for the fields read as numbers."""

RANGES = {9: (-80.0, 60.0, "degC"), 12: (0.0, 500.0, "mm"), 13: (-50.0, 1500.0, "W m-2"),
          26: (0.0, 110.0, "%")}
"""Valid ranges (fields not missing): a value outside is refused; SOLARAD of
-50 to 0 W m-2 is set to 0 and RH of 100 to 110 % to 100, counted in the
attributes ``repaired_SWdown_negative`` and ``repaired_RH_above_100``."""


def _read_one(path):
    """The file's records as a table of strings (fields 0-37) with the file
    name and line number, and whether the last line was dropped as cut."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"USCRN file {path} does not exist", argument="path")
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError as err:
        raise InputError(f"USCRN file {path} could not be read ({err.strerror})",
                         argument="path") from None
    lines = text.splitlines()
    cut = bool(text) and not text.endswith(("\n", "\r"))
    rows, numbers, dropped = [], [], 0
    for k, line in enumerate(lines, 1):
        fields = line.split()
        if not fields:
            continue
        if cut and k == len(lines):
            dropped = 1
            break
        if len(fields) != NFIELDS:
            raise InputError(f"USCRN file {path} line {k} has {len(fields)} fields; an hourly02 "
                             f"file has {NFIELDS} per line (is this a USCRN hourly02 file?)",
                             argument="path")
        rows.append(fields)
        numbers.append(k)
    if dropped:
        warn_cut_last_line(f"USCRN file {path}", len(lines))
    if not rows:
        raise InputError(f"USCRN file {path} holds no complete records", argument="path")
    table = pd.DataFrame(rows)
    table["file"] = str(path)
    table["line"] = numbers
    return table, dropped


def _where(t, i):
    return f"USCRN file {t.file.iloc[i]} line {t.line.iloc[i]}"


def _numeric(t, k, flag=None):
    """Field k as numbers, missing values NaN; refuses text that is not a number."""
    raw = t[k]
    v = pd.to_numeric(raw, errors="coerce").astype(float)
    junk = v.isna()
    if junk.any():
        i = int(np.flatnonzero(junk.values)[0])
        raise InputError(f"{_where(t, i)}: field {k + 1} ({FIELD_NAMES.get(k, k + 1)}) holds "
                         f"{raw.iloc[i]!r}, which is not a number; give a number or -9999.0 for "
                         "missing", argument=FIELD_NAMES.get(k))
    v = v.where(~v.isin(SENTINELS))
    if flag is not None:
        v = v.where(_numeric(t, flag) == 0)
    return v.values


def _datetime(t, d, h, what):
    s = t[d] + " " + t[h]
    ok = t[d].str.fullmatch(r"\d{8}") & t[h].str.fullmatch(r"\d{4}")
    out = pd.to_datetime(s.where(ok), format="%Y%m%d %H%M", errors="coerce")
    if out.isna().any():
        i = int(np.flatnonzero(out.isna().values)[0])
        raise InputError(f"{_where(t, i)}: the {what} date and time {t[d].iloc[i]!r} "
                         f"{t[h].iloc[i]!r} (fields {d + 1}-{h + 1}) are not YYYYMMDD HHMM",
                         argument="paths")
    return out


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
    read = [_read_one(p) for p in paths]
    tables = [r[0] for r in read]
    dropped = sum(r[1] for r in read)
    t = pd.concat(tables, ignore_index=True)
    stations = set(t[0])
    if len(stations) > 1:
        i = int(np.flatnonzero((t[0] != t[0].iloc[0]).values)[0])
        raise InputError(f"{_where(t, i)}: station WBAN {t[0].iloc[i]} differs from WBAN "
                         f"{t[0].iloc[0]} of {t.file.iloc[0]} line {t.line.iloc[0]}; give the "
                         "files of one station", argument="paths")
    end_utc = _datetime(t, 1, 2, "UTC")
    start_utc = end_utc - pd.Timedelta(hours=1)
    order = np.argsort(start_utc.values, kind="stable")
    t = t.iloc[order].reset_index(drop=True)
    start_utc = pd.DatetimeIndex(start_utc.values[order])
    end_utc = end_utc.iloc[order].reset_index(drop=True)
    if start_utc.has_duplicates:
        i = int(np.flatnonzero(start_utc.duplicated())[0])
        raise InputError(f"USCRN files repeat the hour starting {start_utc[i]} UTC "
                         f"({t.file.iloc[i - 1]} line {t.line.iloc[i - 1]} and {t.file.iloc[i]} "
                         f"line {t.line.iloc[i]}); give each year's file once", argument="paths")
    step = np.diff(start_utc.values).astype("timedelta64[m]").astype(int)
    if step.size and np.any(step != 60):
        i = int(np.argmax(step != 60))
        raise InputError(f"USCRN records are not hourly and contiguous: {step[i]} min between "
                         f"{start_utc[i]} UTC ({t.file.iloc[i]} line {t.line.iloc[i]}) and "
                         f"{start_utc[i + 1]} UTC ({t.file.iloc[i + 1]} line {t.line.iloc[i + 1]})",
                         argument="paths")
    lst_end = _datetime(t, 3, 4, "local standard")
    offset = (lst_end - end_utc).dt.total_seconds() / 3600.0
    utc_offset = float(np.round(offset.median()))
    if np.any(offset != utc_offset):
        i = int(np.argmax((offset != utc_offset).values))
        raise InputError(f"{_where(t, i)}: the local standard time {t[3].iloc[i]} {t[4].iloc[i]} "
                         f"is {offset.iloc[i]:g} h from UTC, but the station's offset is "
                         f"{utc_offset:g} h", argument="paths")
    coords = {}
    for k, name, lim in ((6, "LONGITUDE", 180.0), (7, "LATITUDE", 90.0)):
        v = pd.to_numeric(t[k], errors="coerce")
        bad = v.isna() | (v.abs() > lim)
        if bad.any():
            i = int(np.argmax(bad.values))
            raise InputError(f"{_where(t, i)}: {name} {t[k].iloc[i]!r} (field {k + 1}) is not a "
                             f"number from -{lim:g} to {lim:g}", argument="paths")
        coords[name] = float(v.median())
    lon, lat = coords["LONGITUDE"], coords["LATITUDE"]
    if elevation is None:
        if site is None:
            raise InputError("read_uscrn needs the station elevation (site= or elevation=); "
                             "hourly02 files do not carry it", argument="elevation")
        elevation = site.elevation
    local = start_utc + pd.Timedelta(hours=utc_offset)

    def when(i):
        return f"{_where(t, i)} (hour ending {end_utc.iloc[i]} UTC)"

    values = {k: _numeric(t, k, {13: 14, 26: 27}.get(k)) for k in RANGES}
    for k, (lo, hi, units) in RANGES.items():
        check_range(values[k], FIELD_NAMES[k], units, lo, hi, when)
    repairs = {}
    source = ", ".join(map(str, paths))
    sw = repair(values[13], values[13] < 0.0, 0.0, "repaired_SWdown_negative",
                "SOLARAD values of -50 to 0 W m-2 (night-time offset)", source, repairs)
    rh = repair(values[26], values[26] > 100.0, 100.0, "repaired_RH_above_100",
                "RH_HR_AVG values of 100 to 110 % (sensor overshoot)", source, repairs)
    raw = {"Tair": values[9] + TFRZ, "Rainf": values[12] / 3600.0, "SWdown": sw, "RH": rh}
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
    if rh_floored:
        import warnings
        warnings.warn(f"{source}: {rh_floored} RH_HR_AVG values below {RH_MIN:g} % set to "
                      f"{RH_MIN:g} % (attribute rh_floored_at_1_percent)", UserWarning,
                      stacklevel=2)
    raw["RH"] = np.maximum(raw["RH"], RH_MIN)
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
    forcing.attrs.update(repairs, dropped_cut_rows=dropped)
    for k in raw:
        forcing.attrs[f"missing_fraction_{k}"] = missing[k]
        forcing.attrs[f"filled_fraction_{k}"] = filled[k]

    swc = np.column_stack([_numeric(t, 28 + i) for i in range(5)])
    tsoi = np.column_stack([_numeric(t, 33 + i) for i in range(5)])
    swc, rejected = _reject_swc(swc, source)
    bad_t = (tsoi < -60.0) | (tsoi > 80.0)
    if bad_t.any():
        import warnings
        warnings.warn(f"{source}: {int(bad_t.sum())} soil temperatures outside -60 to 80 degC "
                      "were rejected (attribute tsoi_rejected_outside_-60_80)", stacklevel=2)
    tsoi = np.where(bad_t, np.nan, tsoi) + TFRZ
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
    obs.attrs["tsoi_rejected_outside_-60_80"] = int(bad_t.sum())
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
