"""Readers for AmeriFlux BASE and FLUXNET/FLUXNET2015 half-hourly or hourly
CSV files (also inside the downloaded zip archives).

Layouts:

* AmeriFlux BASE (``AMF_<SITE>_BASE_HH_<ver>.csv`` or ``..._HR_...``): two
  comment lines (``# Site: <id>``, ``# Version: <ver>``), then a header with
  TIMESTAMP_START/TIMESTAMP_END (YYYYMMDDHHMM, local standard time), -9999 for
  missing. Variables may carry position qualifiers ``_<H>_<V>_<R>``
  (horizontal, vertical, replicate; for SWC/TS the vertical index grows with
  depth) and ``_PI``/``_F`` suffixes (PI-provided, gap-filled).
* FLUXNET2015 / AmeriFlux FLUXNET FULLSET and SUBSET
  (``FLX_<SITE>_FLUXNET2015_FULLSET_HH_<yrs>_<ver>.csv``,
  ``AMF_<SITE>_FLUXNET_SUBSET_HR_...``): one header line, gap-filled ``*_F``
  and ``*_F_MDS`` variables with ``*_QC`` flags (0 measured, > 0 gap-filled),
  ``LE_CORR`` (energy-balance corrected), ``SWC_F_MDS_<n>``.

Preference order for each quantity (the first column present and not all
missing wins; documented in :data:`PREFERENCE`): FLUXNET gap-filled (``_F``,
``_F_MDS``), then BASE PI gap-filled (``_PI_F``), then the plain name, then
``_PI``, then qualified columns in order of (H, V, R), i.e. the top sensor of
the first profile for above-ground variables.

Units in both products: TA degC, RH %, VPD hPa, PA kPa, WS m s-1, SW_IN and
LW_IN W m-2, P mm per record, LE and H W m-2, SWC %, CO2 umol mol-1. They are
converted once here to the hrclm forcing layout (K, kg kg-1, Pa, m s-1,
W m-2, kg m-2 s-1, ppm) and observations (ET in kg m-2 s-1 from LE with the
temperature-dependent latent heat; SWC in m3 m-3 on ``depth`` in m; NEE, GPP
and ER from NEE/GPP/RECO in umol CO2 m-2 s-1 to gC m-2 s-1, where present).
"""

import csv
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from ..constants import TFRZ
from ..errors import InputError
from .convert import (check_range, clear_sky_shortwave, fill_gaps, le_to_et, longwave_estimate,
                      one_line, pressure_at, reject, repair, saturation_vapour_pressure,
                      specific_humidity_from_rh, specific_humidity_from_vpd, warn_cut_last_line)
from ..variables import FORCING_VARIABLES

MISSING = -9999.0
MAX_INTERP_STEPS = 4
DEFAULT_WIND = 2.0
QUALIFIED = re.compile(r"^(?P<base>[A-Z0-9]+(?:_[A-Z]+)*?)(?:_PI)?(?:_F)?_(?P<h>\d+)_(?P<v>\d+)_(?P<r>\d+)$")

PREFERENCE = {
    "TA": ["TA_F", "TA_F_MDS", "TA_PI_F", "TA", "TA_PI"],
    "SW_IN": ["SW_IN_F", "SW_IN_F_MDS", "SW_IN_PI_F", "SW_IN", "SW_IN_PI"],
    "LW_IN": ["LW_IN_F", "LW_IN_F_MDS", "LW_IN_PI_F", "LW_IN", "LW_IN_PI"],
    "VPD": ["VPD_F", "VPD_F_MDS", "VPD_PI_F", "VPD", "VPD_PI"],
    "RH": ["RH_F", "RH_PI_F", "RH", "RH_PI"],
    "PA": ["PA_F", "PA_PI_F", "PA", "PA_PI"],
    "P": ["P_F", "P_PI_F", "P", "P_PI"],
    "WS": ["WS_F", "WS_PI_F", "WS", "WS_PI"],
    "CO2": ["CO2_F_MDS", "CO2_PI_F", "CO2", "CO2_PI"],
    "LE": ["LE_F_MDS", "LE_PI_F", "LE", "LE_PI"],
    "H": ["H_F_MDS", "H_PI_F", "H", "H_PI"],
    # carbon fluxes [umol CO2 m-2 s-1]; FC (no storage term) is not taken for NEE
    "NEE": ["NEE_VUT_REF", "NEE_CUT_REF", "NEE_PI_F", "NEE", "NEE_PI"],
    "GPP": ["GPP_NT_VUT_REF", "GPP_DT_VUT_REF", "GPP_PI_F", "GPP", "GPP_PI"],
    "RECO": ["RECO_NT_VUT_REF", "RECO_DT_VUT_REF", "RECO_PI_F", "RECO", "RECO_PI"],
}
"""Column names tried for each quantity, in order, before qualified columns."""

CARBON_OBS = {"NEE": "NEE", "GPP": "GPP", "RECO": "ER"}
"""Carbon quantities read as observations (file quantity -> hrclm / CLM
history name), converted from umol CO2 m-2 s-1 to gC m-2 s-1 (x 12.011e-6),
NEE positive = carbon to the atmosphere (the AmeriFlux/FLUXNET sign)."""

RANGES = {
    "TA": (-80.0, 60.0, "degC"),
    "RH": (0.0, 110.0, "%"),
    "VPD": (-5.0, 150.0, "hPa"),
    "PA": (30.0, 110.0, "kPa"),
    "WS": (0.0, 75.0, "m s-1"),
    "SW_IN": (-50.0, 1500.0, "W m-2"),
    "LW_IN": (50.0, 750.0, "W m-2"),
    "P": (0.0, 500.0, "mm per record"),
    "CO2": (150.0, 1200.0, "umol mol-1"),
}
"""Valid range of each forcing quantity in the file's units: a value outside
is refused (InputError naming line and time). RH of 100-110 %, VPD of -5-0 hPa
and SW_IN of -50-0 W m-2 (sensor offsets) are set to 100, 0 and 0, counted in
the forcing attributes ``repaired_<quantity>_...`` and reported as warnings."""


def _open_text(path):
    path = Path(path)
    if not path.is_file():
        raise InputError(f"file {path} does not exist", argument="path")
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as z:
                members = [n for n in z.namelist()
                           if re.search(r"_(BASE|FLUXNET2015|FLUXNET)_.*(HH|HR)_.*\.csv$", n)]
                if not members:
                    raise InputError(f"zip archive {path} holds no AmeriFlux BASE or FLUXNET "
                                     "half-hourly/hourly CSV file", argument="path")
                member = sorted(members)[0]
                data = z.read(member)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
                NotImplementedError) as err:
            if isinstance(err, InputError):
                raise
            raise InputError(f"{path} is not a zip archive or is damaged ({one_line(err)}); give "
                             "the AmeriFlux/FLUXNET zip as downloaded or the CSV file inside it",
                             argument="path") from None
        return data.decode("utf-8-sig", "replace"), f"{path}:{member}"
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path} could not be read ({err.strerror})", argument="path") from None
    return data.decode("utf-8-sig", "replace"), str(path)      # -sig: a byte-order mark is dropped


def _parse(text, source):
    """The data table (all columns but the timestamps numeric), the '#'
    metadata, the product, the file line of each data row and the number of
    rows dropped because the file was cut inside them."""
    lines = text.splitlines()
    meta = {}
    skip = 0
    for line in lines[:5]:
        m = re.match(r"#\s*(\w+):\s*([^,]*)", line)
        if m:
            meta[m.group(1).lower()] = m.group(2).strip()
            skip += 1
    if len(lines) <= skip or not lines[skip].strip():
        raise InputError(f"{source} has no header line (TIMESTAMP_START,TIMESTAMP_END,...) after "
                         f"its {skip} '#' lines; this is not an AmeriFlux BASE or FLUXNET file",
                         argument="path")
    header = lines[skip].split(",")
    for col in ("TIMESTAMP_START", "TIMESTAMP_END"):
        if col not in header:
            raise InputError(f"{source} has no {col} column; this is not an AmeriFlux BASE or "
                             "FLUXNET file", argument="path")
    seen = set()
    for k, name in enumerate(header):
        if not name.strip():
            raise InputError(f"{source}: header field {k + 1} (line {skip + 1}) is empty; every "
                             "column needs a name", argument="path")
        if name in seen:
            raise InputError(f"{source}: column {name} appears twice in the header (line "
                             f"{skip + 1}); each variable may appear once", argument="path")
        seen.add(name)
    # each data line must have the header's number of fields; a last line
    # without a line break that is short or may be cut mid-number is dropped
    cut = bool(text) and not text.endswith(("\n", "\r"))
    nfields = len(header)
    line_of_row, keep, dropped = [], [], 0
    for k in range(skip + 1, len(lines)):
        line = lines[k]
        if not line.strip():
            continue
        if cut and k == len(lines) - 1:
            dropped = 1
            break
        n = line.count(",") + 1
        if n != nfields:
            raise InputError(f"{source}: line {k + 1} has {n} fields but the header has "
                             f"{nfields}; every data line needs one value (or -9999) per column",
                             argument="path")
        line_of_row.append(k + 1)
        keep.append(line)
    if dropped:
        warn_cut_last_line(source, len(lines))
    if not keep:
        raise InputError(f"{source} has no complete data rows after its header", argument="path")
    try:
        # no quoting: a stray '"' must not join lines (the fields were counted per line)
        table = pd.read_csv(io.StringIO("\n".join([lines[skip]] + keep)),
                            dtype={"TIMESTAMP_START": str, "TIMESTAMP_END": str},
                            keep_default_na=False, na_values=[""], quoting=csv.QUOTE_NONE)
    except Exception:
        table = None
    if table is None or len(table) != len(keep) or list(table.columns) != header:
        # what the C parser reads otherwise (e.g. NUL bytes): split the lines here
        table = pd.DataFrame([line.split(",") for line in keep], columns=header)
    for c in table.columns:
        if c in ("TIMESTAMP_START", "TIMESTAMP_END"):
            table[c] = table[c].fillna("").astype(str).str.strip()
            continue
        if pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c]):
            table[c] = table[c].astype(float).where(table[c] != MISSING)
            continue
        # a column the parser did not read as numbers: find what is not one
        raw = table[c].astype(str).str.strip().where(table[c].notna(), "")
        num = pd.to_numeric(raw, errors="coerce")
        junk = num.isna() & (raw != "")
        if junk.any():
            i = int(np.flatnonzero(junk.values)[0])
            raise InputError(f"{source}: column {c} in line {line_of_row[i]} (TIMESTAMP_START "
                             f"{table.TIMESTAMP_START.iloc[i]}) holds {raw.iloc[i]!r}, which is "
                             "not a number; give a number or -9999 for missing", argument=c)
        table[c] = num.where(num != MISSING).astype(float)
    product = ("AmeriFlux BASE" if "site" in meta else
               "FLUXNET" if any(c.endswith("_F") or c.endswith("_F_MDS") for c in table.columns)
               else "unknown")
    if product == "unknown":
        raise InputError(f"{source} is neither AmeriFlux BASE (no '# Site:' header) nor FLUXNET "
                         "(no *_F or *_F_MDS columns)", argument="path")
    return table, meta, product, line_of_row, dropped


def _pick(table, quantity):
    """The preferred column for a quantity, or None."""
    for name in PREFERENCE.get(quantity, [quantity]):
        if name in table and table[name].notna().any():
            return name
    qualified = []
    for c in table.columns:
        m = QUALIFIED.match(c)
        if m and m.group("base") == quantity and table[c].notna().any():
            qualified.append((int(m.group("h")), int(m.group("v")), int(m.group("r")), c))
    return sorted(qualified)[0][3] if qualified else None


def _gapfilled_fraction(table, column):
    qc = f"{column}_QC"
    if qc in table:
        return float((table[qc] > 0).mean())
    return 1.0 if column.endswith("_F") or "_F_" in column else 0.0


def read_ameriflux(path, site=None, utc_offset=None, elevation=None, latitude=None,
                   longitude=None, heights=None, swc_depths=None, co2=400.0, le_corrected=False):
    """Read an AmeriFlux BASE or FLUXNET CSV (or zip) into forcing and observations.

    Parameters
    ----------
    path : str or Path
        The CSV file or the downloaded zip archive.
    site : hrclm.sites.Site, optional
        Registered site: gives the UTC offset, elevation and location. Without
        it, ``utc_offset`` (and ``elevation``, ``latitude``, ``longitude`` when
        pressure or longwave must be filled) are needed.
    heights : str or Path, optional
        The AmeriFlux measurement-height table (BASE_MeasurementHeight_*.csv)
        giving SWC depths (negative heights).
    swc_depths : dict, optional
        Column name -> depth [m], overriding ``heights``.
    le_corrected : bool
        Use FLUXNET's energy-balance corrected LE_CORR for ET.

    Returns
    -------
    forcing, obs : xarray.Dataset
        Forcing in the hrclm layout and observations ET, H [W m-2] and SWC
        (time, depth), and NEE, GPP, ER [gC m-2 s-1] where the file has them
        (:data:`CARBON_OBS`), all on UTC period starts.
    """
    text, source = _open_text(path)
    table, meta, product, line_of_row, dropped = _parse(text, source)
    site_id = site.id if site is not None else meta.get("site", Path(path).stem)
    if utc_offset is None:
        if site is None:
            raise InputError(f"{source}: the UTC offset is not in the file; pass site= (a "
                             "registered site) or utc_offset= (hours)", argument="utc_offset")
        utc_offset = site.utc_offset
    stamps = {}
    for col in ("TIMESTAMP_START", "TIMESTAMP_END"):
        s = table[col]
        t = pd.to_datetime(s.where(s.str.fullmatch(r"\d{12}")), format="%Y%m%d%H%M",
                           errors="coerce")
        if t.isna().any():
            i = int(np.flatnonzero(t.isna().values)[0])
            raise InputError(f"{source}: {col} {s.iloc[i]!r} in line {line_of_row[i]} (data row "
                             f"{i + 1}) is not a date and time YYYYMMDDHHMM", argument=col)
        stamps[col] = t
    start = stamps["TIMESTAMP_START"]
    if start.duplicated().any():
        i = int(start.duplicated().idxmax())
        raise InputError(f"{source}: timestamp {table.TIMESTAMP_START[i]} is duplicated (data row "
                         f"{i + 1}) in line {line_of_row[i]}", argument="TIMESTAMP_START")
    steps = np.diff(start.values).astype("timedelta64[m]").astype(int)
    if np.any(steps <= 0):
        i = int(np.argmax(steps <= 0))
        raise InputError(f"{source}: timestamps are not sorted (data row {i + 2}, line "
                         f"{line_of_row[i + 1]}, starts before row {i + 1})",
                         argument="TIMESTAMP_START")
    step_min = int(np.median(steps)) if steps.size else 30
    if step_min not in (30, 60) or np.any(steps != step_min):
        bad = steps[steps != step_min][:1].tolist() or [step_min]
        raise InputError(f"{source}: the time step is {bad[0]} min; hrclm reads 30- or 60-minute "
                         "records without gaps in the timestamps", argument="TIMESTAMP_START")
    length = (stamps["TIMESTAMP_END"] - start).dt.total_seconds().values / 60.0
    if steps.size and np.any(length != step_min):
        i = int(np.argmax(length != step_min))
        raise InputError(f"{source}: TIMESTAMP_END {table.TIMESTAMP_END.iloc[i]} in line "
                         f"{line_of_row[i]} is not {step_min} min after TIMESTAMP_START "
                         f"{table.TIMESTAMP_START.iloc[i]}", argument="TIMESTAMP_END")
    dtime = step_min * 60.0
    local = pd.DatetimeIndex(start)
    time_utc = local - pd.Timedelta(hours=utc_offset)

    cols = {q: _pick(table, q) for q in PREFERENCE}
    for q in ("TA", "SW_IN", "P"):
        if cols[q] is None:
            raise InputError(f"{source}: required variable {q} is missing or all -9999 "
                             f"(looked for {', '.join(PREFERENCE[q])} and {q}_<H>_<V>_<R>)",
                             argument=q)
    if cols["RH"] is None and cols["VPD"] is None:
        raise InputError(f"{source}: neither RH nor VPD is present; one is needed for humidity",
                         argument="RH")
    elevation = elevation if elevation is not None else (site.elevation if site else None)
    lat = latitude if latitude is not None else (site.latitude if site else None)
    lon = longitude if longitude is not None else (site.longitude if site else None)

    raw, missing, gapfilled, used = {}, {}, {}, {}
    for q, c in cols.items():
        if c is None:
            continue
        v = table[c].to_numpy(dtype=float)
        missing[q] = float(np.isnan(v).mean())
        gapfilled[q] = _gapfilled_fraction(table, c)
        used[q] = c
        raw[q] = v
    # impossible values are refused; sensor offsets within a tolerance are
    # repaired, counted in the attributes and reported as warnings
    def where(i):
        return f"{source} line {line_of_row[i]} (TIMESTAMP_START {table.TIMESTAMP_START.iloc[i]})"

    repairs = {}
    for q, v in raw.items():
        if q in RANGES:
            lo, hi, units = RANGES[q]
            check_range(v, used[q], units, lo, hi, where)
    if "RH" in raw:
        raw["RH"] = repair(raw["RH"], raw["RH"] > 100.0, 100.0, "repaired_RH_above_100",
                           f"{used['RH']} values of 100 to 110 % (sensor overshoot)", source,
                           repairs)
    if "VPD" in raw:
        raw["VPD"] = repair(raw["VPD"], raw["VPD"] < 0.0, 0.0, "repaired_VPD_negative",
                            f"{used['VPD']} values of -5 to 0 hPa", source, repairs)
    raw["SW_IN"] = repair(raw["SW_IN"], raw["SW_IN"] < 0.0, 0.0, "repaired_SW_IN_negative",
                          f"{used['SW_IN']} values of -50 to 0 W m-2 (night-time offset)",
                          source, repairs)
    filled = {}
    for q in ("TA", "SW_IN", "LW_IN", "VPD", "RH", "PA", "WS", "CO2", "P"):
        if q in raw:
            raw[q], filled[q] = fill_gaps(raw[q], local, MAX_INTERP_STEPS, zero=(q == "P"))
    tair = raw["TA"] + TFRZ
    if "PA" in raw:
        psurf = raw["PA"] * 1000.0
    else:
        if elevation is None:
            raise InputError(f"{source}: PA is missing and no elevation was given to fill it",
                             argument="elevation")
        psurf = np.full(tair.size, pressure_at(elevation))
    if "RH" in raw:
        qair = specific_humidity_from_rh(raw["RH"], tair, psurf)
        e = np.clip(raw["RH"], 1.0, 100.0) / 100.0 * saturation_vapour_pressure(tair)
    else:
        qair = specific_humidity_from_vpd(raw["VPD"] * 100.0, tair, psurf)
        e = np.maximum(saturation_vapour_pressure(tair) - raw["VPD"] * 100.0, 1.0)
    swdown = raw["SW_IN"]                      # >= 0 (checked and repaired above)
    notes = []
    if "LW_IN" in raw:
        lwdown = raw["LW_IN"]
    else:
        if lat is None or lon is None or elevation is None:
            raise InputError(f"{source}: LW_IN is missing and no site location was given to "
                             "estimate it", argument="LW_IN")
        lwdown = longwave_estimate(tair, e, swdown,
                                   clear_sky_shortwave(time_utc, lat, lon, elevation, dtime), local)
        notes.append("LWdown estimated (Brutsaert 1975 with clearness-based cloud)")
    wind = raw.get("WS")
    if wind is None:
        wind = np.full(tair.size, DEFAULT_WIND)
        notes.append(f"Wind set to {DEFAULT_WIND} m s-1 (not in the file)")
    co2air = raw.get("CO2", np.full(tair.size, float(co2)))
    data = dict(Tair=tair, Qair=qair, Psurf=psurf, Wind=wind, SWdown=swdown,
                LWdown=lwdown, Rainf=raw["P"] / dtime, CO2air=co2air)
    forcing = xr.Dataset({k: ("time", v, {"units": FORCING_VARIABLES[k][0],
                                          "standard_name": FORCING_VARIABLES[k][1]})
                          for k, v in data.items()},
                         coords={"time": ("time", time_utc.values,
                                          {"long_name": "start of the period, UTC"})})
    common = dict(product=product, version=meta.get("version", _version_from_name(source)),
                  source_files=source, site=site_id, utc_offset=float(utc_offset),
                  dtime=dtime)
    forcing.attrs.update(common, generated=0, title=f"{product} forcing for {site_id}",
                         note="; ".join(notes) if notes else "all forcing variables from the file")
    for q, c in used.items():
        forcing.attrs[f"column_{q}"] = c
        forcing.attrs[f"missing_fraction_{q}"] = missing[q]
        forcing.attrs[f"gapfilled_fraction_{q}"] = gapfilled[q]
    for q, f in filled.items():
        forcing.attrs[f"filled_by_reader_fraction_{q}"] = f
    forcing.attrs.update(repairs, dropped_cut_rows=dropped)

    obs = xr.Dataset(coords={"time": ("time", time_utc.values,
                                      {"long_name": "start of the period, UTC"})})
    le_col = "LE_CORR" if le_corrected and "LE_CORR" in table else cols["LE"]
    rejected = {}
    if le_col is not None:
        le = reject(table[le_col].to_numpy(dtype=float), -500.0, 1500.0, "rejected_LE_outside",
                    f"{le_col} values (W m-2)", source, rejected)
        obs["LE"] = ("time", le, {"units": "W m-2", "source_column": le_col})
        obs["ET"] = ("time", le_to_et(le, tair), {"units": "kg m-2 s-1",
                                                  "long_name": "evapotranspiration from LE",
                                                  "source_column": le_col})
    if cols["H"] is not None:
        obs["H"] = ("time", reject(table[cols["H"]].to_numpy(dtype=float), -500.0, 1500.0,
                                   "rejected_H_outside", f"{cols['H']} values (W m-2)", source,
                                   rejected), {"units": "W m-2"})
    for q, name in CARBON_OBS.items():
        if cols[q] is not None:
            # +-100 umol m-2 s-1 holds any ecosystem's half-hourly carbon flux
            values = reject(table[cols[q]].to_numpy(dtype=float), -100.0, 100.0,
                            f"rejected_{name}_outside", f"{cols[q]} values (umol m-2 s-1)",
                            source, rejected)
            obs[name] = ("time", values * 12.011e-6,
                         {"units": "gC m-2 s-1", "source_column": cols[q],
                          "source_units": "umol CO2 m-2 s-1"})
    swc = _swc(table, source, site_id, heights, swc_depths)
    if swc is not None:
        obs["SWC"] = swc.assign_coords(time=time_utc.values)
    obs.attrs.update(common, title=f"{product} observations for {site_id}")
    obs.attrs.update(rejected)
    for v in obs.data_vars:
        obs.attrs[f"missing_fraction_{v}"] = float(obs[v].isnull().mean())
    return forcing, obs


def _version_from_name(source):
    m = re.search(r"_(\d+-\d+)\.(csv|zip)", source)
    return m.group(1) if m else "unknown"


def _swc_columns(table):
    out = []
    for c in table.columns:
        if c == "SWC" or c.startswith("SWC_"):
            if c.endswith("_QC") or not table[c].notna().any():
                continue
            out.append(c)
    return out


def _read_heights(heights):
    """The measurement-height table (Site_ID, Variable, Height columns)."""
    path = Path(heights)
    if not path.is_file():
        raise InputError(f"the measurement-height table {path} does not exist; give the AmeriFlux "
                         "BASE_MeasurementHeight_<date>.csv file", argument="heights")
    try:
        tab = pd.read_csv(path, dtype=str, encoding_errors="replace")
    except Exception as err:
        raise InputError(f"the measurement-height table {path} could not be read as CSV "
                         f"({one_line(err)})", argument="heights") from None
    lacking = [c for c in ("Site_ID", "Variable", "Height") if c not in tab]
    if lacking:
        raise InputError(f"the measurement-height table {path} lacks the column(s) "
                         f"{', '.join(lacking)}; it needs Site_ID, Variable and Height (m)",
                         argument="heights")
    return tab, path


def _depth_from_heights(heights, site_id, column):
    tab, path = heights
    rows = tab[(tab.Site_ID == site_id) & (tab.Variable == column)]
    if rows.empty:
        return None
    h = rows.Height.iloc[-1]
    value = pd.to_numeric(pd.Series([h]), errors="coerce").iloc[0]
    if not np.isfinite(value) or value > 0 or value < -20:
        raise InputError(f"the measurement-height table {path}: Height {h!r} of {site_id} "
                         f"{column} (line {rows.index[-1] + 2}) is not a depth; soil moisture "
                         "heights are numbers from -20 to 0 m", argument="heights")
    return -float(value)


def _swc(table, source, site_id, heights, swc_depths):
    columns = _swc_columns(table)
    if not columns:
        return None
    depths = []
    if heights is not None and not isinstance(heights, tuple):
        heights = _read_heights(heights)
    for c in columns:
        d = (swc_depths or {}).get(c)
        if d is None and heights is not None:
            d = _depth_from_heights(heights, site_id, c)
        if d is None:
            raise InputError(f"{source}: no depth for soil moisture column {c}; pass heights= "
                             "(the AmeriFlux measurement-height table; hrclm convert --heights) "
                             f"or swc_depths={{'{c}': depth_m}}", argument="swc_depths")
        depths.append(d)
    values = table[columns].to_numpy(dtype=float) / 100.0          # percent -> m3 m-3
    bad = (values < 0.0) | (values > 0.6)
    if bad.any():
        import warnings
        warnings.warn(f"{source}: {int(bad.sum())} soil moisture values outside [0, 0.6] "
                      "m3 m-3 (after % -> m3 m-3) were rejected", stacklevel=3)
        values = np.where(bad, np.nan, values)
    order = np.argsort(depths, kind="stable")
    da = xr.DataArray(values[:, order], dims=("time", "depth"),
                      coords={"depth": ("depth", np.asarray(depths)[order],
                                        {"units": "m", "positive": "down"}),
                              "column": ("depth", np.asarray(columns)[order])},
                      attrs={"units": "m3 m-3", "long_name": "volumetric soil water content",
                             "rejected_outside_0_0.6": int(bad.sum())})
    return da
