"""Readers for PLUMBER2-style netCDF files (Ukkola et al. 2022, ESSD 14,
449-461): the Met files (Tair, Qair, Psurf, Wind, SWdown, LWdown, Rainf,
CO2air, already in ALMA/SI units) and the Flux files (Qle, Qh with *_qc; NEE,
GPP and ecosystem respiration where present), and the daily aggregated flux
files derived from them (Qle_daily, Qh_daily, NEE_daily, as in the CalLMIP
Phase 1b files).
"""

from pathlib import Path

import numpy as np
import xarray as xr

from ..errors import InputError
from .convert import check_range, le_to_et, one_line, reject, repair
from ..variables import FORCING_VARIABLES

T_DEFAULT = 293.15   # K, latent heat temperature when the file has no air temperature

RANGES = {"Tair": (180.0, 340.0), "Qair": (0.0, 0.06), "Psurf": (30000.0, 110000.0),
          "Wind": (0.0, 75.0), "SWdown": (-50.0, 1500.0), "LWdown": (50.0, 750.0),
          "Rainf": (0.0, 0.5), "CO2air": (150.0, 1200.0)}
"""Valid range of each Met variable (its units): a value outside is refused;
SWdown of -50 to 0 W m-2 is set to 0 and counted (``repaired_SWdown_negative``)."""


def _open(path):
    path = Path(path)
    if not path.is_file():
        raise InputError(f"file {path} does not exist", argument="path")
    try:
        with xr.open_dataset(path) as ds:
            # PLUMBER2 stores variables on (time, y, x) with one grid cell
            squeeze = [d for d in ("x", "y", "lat", "lon") if d in ds.dims and ds.sizes[d] == 1]
            ds = ds.isel({d: 0 for d in squeeze}).load()
    except Exception as err:
        raise InputError(f"{path} could not be read as netCDF ({one_line(err)}); give a PLUMBER2 "
                         "Met or Flux netCDF file", argument="path") from None
    if "time" not in ds.coords or not np.issubdtype(ds.time.dtype, np.datetime64):
        raise InputError(f"{path}: time is missing or could not be decoded to dates; a PLUMBER2 "
                         "file has a CF time coordinate", argument="time")
    if ds.time.ndim != 1 or ds.time.size == 0:
        raise InputError(f"{path}: time has {ds.time.size} values; a PLUMBER2 file has at least "
                         "one time", argument="time")
    t = ds.time.values
    if np.isnat(t).any() or np.any(np.diff(t) <= np.timedelta64(0)):
        i = int(np.argmax(np.isnat(t))) if np.isnat(t).any() else \
            int(np.argmax(np.diff(t) <= np.timedelta64(0))) + 1
        raise InputError(f"{path}: time {t[i]} (index {i}) is missing, repeated or out of order; "
                         "times must increase", argument="time")
    for v in ds.data_vars:
        if ds[v].ndim > 1 or (ds[v].ndim == 1 and ds[v].dims != ("time",)):
            if v in FORCING_VARIABLES or v in ("Qle", "Qh", "Qle_daily", "Qh_daily"):
                raise InputError(f"{path}: {v} has dimensions {ds[v].dims}; a PLUMBER2 variable "
                                 "is on (time) or (time, y, x) with one grid cell",
                                 argument=v)
    return ds, path


def _common(ds, path, product):
    site = ds.attrs.get("site_code", path.name.split("_")[0])
    return dict(product=product, source_files=str(path), site=site,
                version=str(ds.attrs.get("Fluxnet_dataset_version",
                                         ds.attrs.get("PLUMBER2_version", "unknown"))),
                utc_offset=0.0)


def read_plumber2_met(path):
    """Forcing Dataset from a PLUMBER2 Met file (times are converted to UTC
    period starts as written; PLUMBER2 times are UTC)."""
    ds, path = _open(path)
    missing = [v for v in FORCING_VARIABLES if v not in ds]
    if missing:
        raise InputError(f"{path}: not a PLUMBER2 Met file; it lacks {', '.join(missing)}",
                         argument="path")
    forcing = xr.Dataset({v: ("time", ds[v].values.astype(float),
                              {"units": FORCING_VARIABLES[v][0],
                               "standard_name": FORCING_VARIABLES[v][1]})
                          for v in FORCING_VARIABLES},
                         coords={"time": ds.time.values})

    def where(i):
        return f"{path} time {forcing.time.values[i]} (index {i})"

    repairs = {}
    for v, (lo, hi) in RANGES.items():
        check_range(forcing[v].values, v, FORCING_VARIABLES[v][0], lo, hi, where)
    sw = forcing.SWdown.values
    forcing["SWdown"].values = repair(sw, sw < 0.0, 0.0, "repaired_SWdown_negative",
                                      "SWdown values of -50 to 0 W m-2", str(path), repairs)
    forcing.attrs.update(repairs)
    for v in FORCING_VARIABLES:
        if np.isnan(forcing[v]).all():
            raise InputError(f"{path}: {v} is missing at every time", argument=v)
        forcing.attrs[f"missing_fraction_{v}"] = float(np.isnan(forcing[v]).mean())
        qc = f"{v}_qc"
        if qc in ds:
            forcing.attrs[f"gapfilled_fraction_{v}"] = float((ds[qc].values > 0).mean())
    forcing.attrs.update(_common(ds, path, "PLUMBER2 Met"), generated=0)
    return forcing


CARBON_SOURCES = {
    # hrclm (CLM history) name -> names a flux file may use for it, daily first
    "NEE": ("NEE_daily", "NEE"),
    "GPP": ("GPP_daily", "GPP"),
    "ER": ("Reco_daily", "RECO_daily", "ER_daily", "Resp_daily", "Reco", "RECO", "ER", "Resp"),
}
"""Carbon fluxes a flux file may hold, read as NEE, GPP and ER (ecosystem
respiration) in gC m-2 s-1 with CLM's signs: NEE positive = carbon to the
atmosphere (FLUXNET's NEE_VUT_REF is already so), GPP and ER positive."""

CARBON_RANGE = 40.0 / 86400.0
"""Largest plausible |daily mean carbon flux| [gC m-2 s-1] (40 gC m-2 d-1);
values beyond it are rejected (missing)."""

GRAMS_C_PER_UMOL_CO2 = 12.011e-6
"""Grams of carbon in one micromole of CO2 [gC umol-1]."""


def carbon_factor(units):
    """Factor from a carbon flux's ``units`` attribute to gC m-2 s-1, or None
    when the units are not recognised: gC m-2 d-1 (daily totals or daily
    mean rates, e.g. "gC/m2/d") -> 1/86400; umol CO2 m-2 s-1 -> 12.011e-6;
    gC m-2 s-1 -> 1."""
    u = str(units).lower().replace(" ", "").replace("co2", "").replace("µ", "u")
    u = u.replace("m-2", "/m2").replace("s-1", "/s").replace("d-1", "/d")
    u = u.replace("day-1", "/d").replace("/day", "/d").replace("gc", "g")
    return {"g/m2/d": 1.0 / 86400.0, "umol/m2/s": GRAMS_C_PER_UMOL_CO2,
            "g/m2/s": 1.0}.get(u)


def carbon_observations(ds, path, rejected):
    """Carbon flux DataArrays of an opened flux file, in gC m-2 s-1 (see
    :data:`CARBON_SOURCES`), and a note on what could not be read. Returns
    ({name: (values, attrs)}, note); a flux missing from the file is simply
    absent, one with units that are not recognised is left out and named in
    the note."""
    out, skipped = {}, []
    for name, candidates in CARBON_SOURCES.items():
        src = next((c for c in candidates if c in ds and ds[c].dims == ("time",)), None)
        if src is None:
            continue
        units = ds[src].attrs.get("units", "")
        factor = carbon_factor(units)
        if factor is None:
            skipped.append(f"{src} (units {units!r} not recognised; give gC m-2 d-1, "
                           "umol m-2 s-1 or gC m-2 s-1)")
            continue
        values = reject(ds[src].values.astype(float) * factor, -CARBON_RANGE, CARBON_RANGE,
                        f"rejected_{name}_outside", f"{src} values (gC m-2 s-1)", str(path),
                        rejected)
        if np.isnan(values).all():
            skipped.append(f"{src} (missing at every time)")
            continue
        out[name] = (values, {"units": "gC m-2 s-1", "source_variable": src,
                              "source_units": str(units),
                              "source_fluxnet_name": str(ds[src].attrs.get("Fluxnet_name", "")),
                              "sign": ("positive = carbon to the atmosphere" if name != "GPP"
                                       else "positive = uptake")})
    note = ("carbon fluxes left out: " + "; ".join(skipped)) if skipped else ""
    return out, note


def read_plumber2_flux(path, tair=None):
    """Observation Dataset (LE, ET, H; NEE, GPP, ER where the file has
    them) from a PLUMBER2 Flux file or a daily aggregated flux file.

    ET = Qle / lambda(T) with lambda from ``tair`` (a DataArray on the same
    times, K) when given, else at 20 degC (documented in the attributes).
    Daily files give daily means in kg m-2 s-1 on the day's start. Carbon
    fluxes are rates in gC m-2 s-1 like ET (a daily NEE_daily total in
    gC m-2 d-1 becomes its daily mean rate, / 86400), CLM's sign
    (:func:`carbon_observations`); the attribute ``carbon_note`` names any
    carbon variable that could not be read.
    """
    ds, path = _open(path)
    name = "Qle" if "Qle" in ds else ("Qle_daily" if "Qle_daily" in ds else None)
    if name is None:
        raise InputError(f"{path}: not a PLUMBER2 flux file; it has neither Qle nor Qle_daily",
                         argument="path")
    daily = name.endswith("_daily")
    time = ds.time.values
    rejected = {}
    le = reject(ds[name].values.astype(float), -500.0, 1500.0, "rejected_LE_outside",
                f"{name} values (W m-2)", str(path), rejected)
    if np.isnan(le).all():
        raise InputError(f"{path}: {name} is missing at every time", argument=name)
    if tair is not None:
        t = np.asarray(tair.values, float)
        t_note = "latent heat at the forcing air temperature"
    else:
        t = np.full(le.shape, T_DEFAULT)
        t_note = f"latent heat at {T_DEFAULT - 273.15:.0f} degC (no air temperature given)"
    obs = xr.Dataset({"LE": ("time", le, {"units": "W m-2", "source_variable": name}),
                      "ET": ("time", le_to_et(le, t), {"units": "kg m-2 s-1",
                                                     "long_name": "evapotranspiration",
                                                     "note": t_note})},
                     coords={"time": time})
    hname = "Qh_daily" if daily else "Qh"
    if hname in ds:
        obs["H"] = ("time", reject(ds[hname].values.astype(float), -500.0, 1500.0,
                                   "rejected_H_outside", f"{hname} values (W m-2)", str(path),
                                   rejected), {"units": "W m-2"})
    carbon, carbon_note = carbon_observations(ds, path, rejected)
    for cname, (values, attrs) in carbon.items():
        obs[cname] = ("time", values, attrs)
    obs.attrs.update(_common(ds, path, "PLUMBER2 daily flux" if daily else "PLUMBER2 Flux"),
                     timestep="daily" if daily else "sub-daily", le_source=str(
                         ds[name].attrs.get("Fluxnet_name", name)),
                     le_gapfilled_percent=float(ds[name].attrs.get("Gap-filled_%", np.nan)))
    obs.attrs.update(rejected)
    if carbon_note:
        obs.attrs["carbon_note"] = carbon_note
    for v in obs.data_vars:
        obs.attrs[f"missing_fraction_{v}"] = float(obs[v].isnull().mean())
    return obs
