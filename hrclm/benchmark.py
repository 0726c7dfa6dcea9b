"""Benchmark jobs: every site x case of a benchmark config as independent
tasks on dask.distributed, scored against observations, with a report and a
regression gate.

A benchmark config is a TOML file::

    name = "hr-study"
    [cases]                       # case name -> namelists applied in order
    hr_off = ["hr_off.nml"]
    hr_on = ["hr_on.nml"]
    hr_on_deep = {namelists = ["hr_on.nml"], overrides = {hr_top_layer = false}}
    [[site]]
    id = "USCRN-NM_Socorro_20_N"
    forcing = "uscrn"             # or "generator"
    forcing_path = "../shared/site_data_raw/uscrn/NM_Socorro_20_N"
    obs = "uscrn"                 # soil moisture from the same files
    start_year = 2020
    nyears = 2
    [[site]]
    id = "US-SRG"
    forcing = "ameriflux"         # a downloaded BASE or FLUXNET CSV/zip, scored against itself
    forcing_path = "AMF_US-SRG_BASE-BADM_19-5.zip"
    heights = "BASE_MeasurementHeight_20250318.csv"
    obs = "ameriflux"
    [[site]]
    id = "US-SRM"
    forcing = "generator"
    tower_et = "../shared/site_data_raw/US-SRM/US-SRM_daily_aggregated_2004-2014_FLUXNET2015_Flux.nc"
    nyears = 5
    [analyses]                    # optional; the values shown are the defaults
    srmax = true                  # Srmax (mass curve) per site: model HR off/on, observations
    srmax_return_periods = [2, 10, 20]   # years, for runs or records of 3 years or more
    hr_signature_obs = "raw"      # or "corrected": sensor-temperature-corrected observations

Relative paths are taken from the config file's folder. Each task writes its
output atomically, so a rerun after an interruption skips the site-cases that
finished and produces the same report.
"""

import base64
import hashlib
import html
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LOWER_IS_BETTER = {"rmse": True, "bias": True, "r": False, "nse": False, "kge": False,
                   "score": False}
ET_NOTE = ("ET, LE, H and NEE are scored on their mean seasonal cycles only: the model is driven "
           "by weather generated from the site's monthly normals, not by the weather the tower "
           "saw, so day-to-day agreement is not expected; the seasonal cycle shows whether the "
           "water supply and its timing are right, not whether HR is.")
TOWER_FLUXES = ("ET", "LE", "H", "NEE", "GPP", "ER")
"""Tower fluxes: scored on the mean seasonal cycle only under generated weather."""


@dataclass
class SiteJob:
    """One site of a benchmark: forcing and observation sources."""

    id: str
    forcing: str = "generator"
    forcing_path: str = ""
    obs: str = ""
    tower_et: str = ""
    heights: str = ""
    start_year: int = 2010
    nyears: int = 1
    overrides: dict = field(default_factory=dict)


ANALYSES = {"srmax": True, "srmax_return_periods": [2, 10, 20], "hr_signature_obs": "raw"}
"""The [analyses] keys of a benchmark config and their defaults."""


@dataclass
class Benchmark:
    name: str
    cases: dict
    sites: list
    source: str
    analyses: dict = field(default_factory=lambda: dict(ANALYSES))


def _analyses(raw, path):
    """The [analyses] table of a config, checked, with defaults filled in."""
    table = raw.get("analyses", {})
    where = f"benchmark config {path}: [analyses]"
    if not isinstance(table, dict):
        raise InputError(f"{where} must be a table (srmax = true, ...)", argument="analyses")
    unknown = set(table) - set(ANALYSES)
    if unknown:
        raise InputError(f"{where} has unknown keys {', '.join(sorted(unknown))}; valid keys: "
                         f"{', '.join(ANALYSES)}", argument="analyses")
    out = {**ANALYSES, **table}
    if not isinstance(out["srmax"], bool):
        raise InputError(f"{where} srmax = {out['srmax']!r}; use true or false",
                         argument="analyses")
    rp = out["srmax_return_periods"]
    if not (isinstance(rp, list) and rp and all(isinstance(v, (int, float))
                                                and not isinstance(v, bool) and v > 1 for v in rp)):
        raise InputError(f"{where} srmax_return_periods = {rp!r}; give a list of return periods "
                         "in years, each > 1 (e.g. [2, 10, 20])", argument="analyses")
    if out["hr_signature_obs"] not in ("raw", "corrected"):
        raise InputError(f"{where} hr_signature_obs = {out['hr_signature_obs']!r}; use 'raw' or "
                         "'corrected' (sensor-temperature-corrected observations)",
                         argument="analyses")
    return out


def load_benchmark(path):
    """Read and check a benchmark config (TOML)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"benchmark config {path} does not exist", argument="config")
    try:
        raw = tomllib.loads(path.read_text())
    except Exception as err:
        raise InputError(f"benchmark config {path} is not valid TOML: {err}",
                         argument="config") from None
    base = path.parent
    cases = raw.get("cases") or {"hr_off": ["hr_off.nml"], "hr_on": ["hr_on.nml"]}
    for name, case in cases.items():
        if isinstance(case, list):
            cases[name] = {"namelists": case, "overrides": {}}
        elif not (isinstance(case, dict) and set(case) <= {"namelists", "overrides"}):
            raise InputError(f"benchmark config {path}: case {name} must be a list of namelists or "
                             "a table with namelists = [...] and overrides = {...}",
                             argument="cases")
        else:
            cases[name] = {"namelists": case.get("namelists", []),
                           "overrides": case.get("overrides", {})}
    sites = []
    known = set(SiteJob.__dataclass_fields__)
    for i, entry in enumerate(raw.get("site", [])):
        unknown = set(entry) - known
        if unknown or "id" not in entry:
            raise InputError(f"benchmark config {path}: [[site]] {i + 1} has "
                             f"{'unknown keys ' + ', '.join(sorted(unknown)) if unknown else 'no id'}"
                             f"; valid keys: {', '.join(sorted(known))}", argument="config")
        job = SiteJob(**entry)
        for attr in ("forcing_path", "tower_et", "heights"):
            value = getattr(job, attr)
            if value and not Path(value).is_absolute():
                setattr(job, attr, str((base / value).resolve()))
        if job.forcing not in ("generator", "uscrn", "file", "ameriflux"):
            raise InputError(f"benchmark config {path}: site {job.id} forcing = {job.forcing!r}; "
                             "use 'generator', 'uscrn', 'file' or 'ameriflux'", argument="forcing")
        sites.append(job)
    if not sites:
        raise InputError(f"benchmark config {path} names no [[site]]", argument="config")
    # the real-data case (observed forcing) comes first
    sites.sort(key=lambda s: s.forcing == "generator")
    return Benchmark(raw.get("name", path.stem), cases, sites, str(path), _analyses(raw, path))


# -- tasks ---------------------------------------------------------------------
def case_config(job, case):
    from .config import load_config
    overrides = dict(site=job.id, start_year=job.start_year, nyears=job.nyears,
                     forcing="file" if job.forcing == "ameriflux" else job.forcing)
    overrides.update(job.overrides)
    overrides.update(case["overrides"])
    if job.forcing in ("uscrn", "file"):
        overrides["forcing_file"] = job.forcing_path
    if job.forcing == "uscrn":
        overrides.setdefault("dtime", 3600.0)
    return load_config(*case["namelists"], **overrides)


def _ameriflux(job):
    from .io.ameriflux import read_ameriflux
    from .sites import get_site
    return read_ameriflux(job.forcing_path, site=get_site(job.id), heights=job.heights or None)


def _signature(path):
    """Size and modification time of a file, or of each file in a folder."""
    p = Path(path)
    files = sorted(f for f in p.iterdir() if f.is_file()) if p.is_dir() else [p]
    return [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.exists()]


def run_key(job, case, spec):
    """What a finished site-case is recognised by: a hash of its resolved
    configuration and of its forcing and observation files (their size and
    modification time), stored in the run file's attributes."""
    config = case_config(job, spec)
    parts = [config.to_namelist(), repr(sorted(vars(job).items(), key=lambda kv: kv[0])),
             repr(case), repr(spec)]
    for attr in ("forcing_path", "tower_et", "heights"):
        value = getattr(job, attr)
        if value:
            parts.append(repr(_signature(value)))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _finished(path, key):
    import xarray as xr
    try:
        with xr.open_dataset(path) as ds:
            return ds.attrs.get("benchmark_key") == key
    except Exception:
        return False


def run_case(job, case, spec, outdir):
    """Run one site-case and write its output atomically; skip it if a run
    file with the same configuration and forcing (:func:`run_key`) is there.
    Returns (path, seconds, skipped)."""
    from .model import run_with_state, write_netcdf
    path = Path(outdir) / "runs" / f"{job.id}_{case}.nc"
    key = run_key(job, case, spec)
    if path.is_file() and _finished(path, key):
        return str(path), 0.0, True
    t0 = time.perf_counter()
    forcing = _ameriflux(job)[0] if job.forcing == "ameriflux" else None
    config = case_config(job, spec)
    if forcing is not None:
        config = config.replace(dtime=float(forcing.attrs["dtime"]))
    ds, _ = run_with_state(config, forcing)
    ds.attrs["case"] = case
    ds.attrs["benchmark_key"] = key
    write_netcdf(ds, path)
    return str(path), time.perf_counter() - t0, False


def observations(job):
    """Observation Dataset of a site job, or None."""
    from .sites import get_site
    if job.obs == "uscrn":
        from .io.uscrn import read_uscrn
        files = sorted(Path(job.forcing_path).glob("CRNH0203-*.txt"))
        _, obs = read_uscrn(files, site=get_site(job.id))
        return obs
    if job.obs == "ameriflux":
        return _ameriflux(job)[1]
    if job.tower_et:
        from .io.plumber2 import read_plumber2_flux
        return read_plumber2_flux(job.tower_et)
    return None


COLUMNS = ["site", "case", "variable", "depth", "timescale", "metric", "value", "n"]


def _run_precip(job, spec, time):
    """The forcing's precipitation rate Rainf [kg m-2 s-1] on a run's steps."""
    import xarray as xr
    from .model import forcing_source
    from .sites import get_site
    config = case_config(job, spec)
    forcing = _ameriflux(job)[0] if job.forcing == "ameriflux" else None
    if forcing is not None:
        config = config.replace(dtime=float(forcing.attrs["dtime"]))
    src, _ = forcing_source(config, get_site(job.id), forcing)
    rain = xr.DataArray(src.values(0, src.time.size)["Rainf"], dims="time",
                        coords={"time": src.time})
    return rain.sel(time=time), config


OBS_SRMAX_WHY = {
    "uscrn": "USCRN stations measure precipitation but not evapotranspiration, so the "
             "observations cannot give Srmax",
    "tower_et": "the FLUXNET/PLUMBER2 daily tower file has LE and H but no precipitation, so "
                "the observations cannot give Srmax",
    "none": "no observations are configured for this site, so there is no observed Srmax",
}


def srmax_rows(job, runs, specs, obs, return_periods, utc_offset):
    """Srmax rows of a site's metrics table [mm]: the mass curve of each run
    (forcing precipitation vs model ET), of the observations where they hold
    both precipitation and ET (AmeriFlux: P and LE), and the model's own
    root-zone capacity per patch and cover-weighted (case "model_capacity"
    rows, variable "root_zone_capacity"). Returns (rows, note on the
    observed Srmax: "" or one sentence saying why there is none)."""
    from .analysis import model_root_zone_capacity, srmax_from_run, srmax_from_tower
    rows = []

    def add(case, out):
        years = int(out.sizes["year"])
        rows.append((job.id, case, "Srmax", "", "annual", "mean_annual_max",
                     float(out.annual_max.mean()), years))
        if "srmax" in out:
            for rp, v in zip(out.return_period.values, out.srmax.values):
                rows.append((job.id, case, "Srmax", "", "annual", f"srmax_{rp:g}yr", float(v),
                             years))

    rain, config = None, None
    for case, ds in runs.items():
        rain, config = _run_precip(job, specs[case], ds.time)
        add(case, srmax_from_run(ds, rain, utc_offset, return_periods=return_periods))
        for label, (cover, cap) in model_root_zone_capacity(config).items():
            rows.append((job.id, case, "root_zone_capacity", label, "static", "capacity", cap,
                         1))
    if job.forcing == "ameriflux" and obs is not None and "ET" in obs:
        forcing = _ameriflux(job)[0]
        precip = forcing.Rainf * float(forcing.attrs["dtime"])       # observed P [mm per record]
        out, why = srmax_from_tower(precip, obs.ET, utc_offset, return_periods=return_periods)
        if out is not None:
            add("observed", out)
        note = why and f"The AmeriFlux record cannot give Srmax: {why}"
    elif job.obs == "uscrn":
        note = OBS_SRMAX_WHY["uscrn"]
    elif job.tower_et:
        note = OBS_SRMAX_WHY["tower_et"]
    else:
        note = OBS_SRMAX_WHY["none"]
    return rows, (note + "." if note else "")


def hr_signature_rows(job, obs, runs, which="raw"):
    """HR night-time signature rows (variable SWC_night_change, m3 m-3):
    observed (``which`` = "raw", as measured, or "corrected", after
    :func:`hrclm.analysis.correct_sensor_temperature` with the co-located
    soil temperature TSOI of the shallowest sensor) and each run. The
    observed row's case says which: "observed" or "observed_corrected"."""
    from . import evaluate
    from .analysis import correct_sensor_temperature
    d0 = float(obs.depth.values[0])
    utc = float(obs.attrs.get("utc_offset", 0.0))
    observed = obs.SWC.sel(depth=d0)
    label = "observed"
    if which == "corrected":
        if "TSOI" not in obs or not bool(obs.TSOI.sel(depth=d0).notnull().any()):
            raise InputError(f"site {job.id}: hr_signature_obs = 'corrected' needs a soil "
                             f"temperature at the shallowest sensor ({d0:g} m), which the "
                             "observations lack; use 'raw'", argument="analyses")
        ts = obs.TSOI.sel(depth=d0)
        ok = (observed.notnull() & ts.notnull()).values
        fit = correct_sensor_temperature(observed.isel(time=ok), ts.isel(time=ok),
                                         rain=obs.P.isel(time=ok), utc_offset=utc)
        observed = fit.corrected.reindex(time=observed.time)
        label = "observed_corrected"
    series = {label: observed}
    series.update({case: evaluate.model_at_depths(ds, [d0]).isel(depth=0)
                   for case, ds in runs.items()})
    rows = []
    nights = evaluate.night_changes(observed, obs.P, utc)
    sd_obs = float(nights[nights.dry].dtheta.std())            # spread of the observed nights
    obs_mean = np.nan
    for case, s in series.items():
        sig = evaluate.hr_signature(s, obs.P, utc)
        rows.append((job.id, case, "SWC_night_change", f"{d0:g} m", "dry_nights", "mean",
                     sig["mean_dtheta"], sig["n_dry_nights"]))
        if case == label:
            obs_mean = sig["mean_dtheta"]
        elif np.isfinite(obs_mean) and sd_obs > 0:
            # ILAMB-style bias score of the mean nightly change
            rows.append((job.id, case, "SWC_night_change", f"{d0:g} m", "dry_nights", "score",
                         float(np.exp(-abs(sig["mean_dtheta"] - obs_mean) / sd_obs)),
                         sig["n_dry_nights"]))
    if which == "corrected":
        rows.append((job.id, label, "sensor_temperature_k", f"{d0:g} m", "dry_days", "k",
                     fit.attrs["k"], fit.attrs["n_days"]))
    return rows


def nee_notes(runs, obs):
    """Why NEE is not scored, per case: {case: reason}, "" where it can be
    (the run has NEE and the observations hold tower NEE in the run period).
    The reasons are short enough for a scorecard cell."""
    from .evaluate import carbon_missing
    out = {}
    for case, ds in runs.items():
        why = carbon_missing(ds, ("NEE",))
        if why:
            out[case] = why
        elif obs is None:
            out[case] = "no observations"
        elif "NEE" not in obs:
            out[case] = ("tower NEE unreadable" if "NEE" in obs.attrs.get("carbon_note", "")
                         else "no tower NEE")
        elif not bool(obs.NEE.notnull().any()):
            out[case] = "no tower NEE in the run period"
        else:
            out[case] = ""
    return out


DRY_SEASON_RULE = {
    "precipitation": "the {n} consecutive calendar months (December may run into January) with "
                     "the least mean forcing precipitation over the run (ties: the lowest HR-off "
                     "soil moisture over 0-0.5 m, then the earliest)",
    "soil moisture": "the {n} consecutive calendar months with the lowest mean HR-off soil "
                     "moisture over 0-0.5 m (the forcing precipitation was not available)",
}


def carbon_hr_rows(site, runs, precip=None, utc_offset=0.0):
    """The HR question for carbon at one site: how hydraulic redistribution
    changes the carbon fluxes, from the hr_off and hr_on runs.

    Returns (rows of the metrics table, info, profiles):

    * case hr_off / hr_on, variable GPP, AR, HR (heterotrophic respiration),
      NEE, timescale "annual", metric "total": mean annual total [gC m-2 yr-1]
      (:func:`hrclm.evaluate.annual_totals`); case "hr_on-hr_off": metric
      "total" (the change, gC m-2 yr-1) and "percent" (of |HR off|);
    * variable HR_layer [gC m-2 d-1 per layer] and W_SCALAR [1], depth the
      layer's node depth (3 significant digits), timescale "dry_season", metric "mean": the
      dry-season means per layer of each run (:func:`dry_season_profile`);
    * info: dict with "why" ("" or why there is no analysis), "months" (the
      dry season), "rule" (how it was chosen), "change" (the
      :func:`hrclm.evaluate.annual_change` table);
    * profiles: {case: dry-season profile Dataset} for the figure.

    ``precip``: the forcing precipitation rate on the runs' times [kg m-2
    s-1]; without it the dry season comes from soil moisture."""
    from . import evaluate
    info = {"why": "", "months": [], "rule": "", "change": None}
    off, on = runs.get("hr_off"), runs.get("hr_on")
    if off is None or on is None:
        info["why"] = "needs both an hr_off and an hr_on run"
        return [], info, {}
    why = evaluate.carbon_missing(off) or evaluate.carbon_missing(on)
    if why:
        info["why"] = why
        return [], info, {}
    rows, whys = [], []
    days = float(evaluate.record_seconds(off.time).sum()) / evaluate.SECONDS_PER_DAY
    if days >= 365.0 - 1e-6:
        change = evaluate.annual_change(off, on)
        info["change"] = change
        years = int(change.years.iloc[0])
        for var, r in change.iterrows():
            rows += [(site, "hr_off", var, "", "annual", "total", r.hr_off, years),
                     (site, "hr_on", var, "", "annual", "total", r.hr_on, years),
                     (site, "hr_on-hr_off", var, "", "annual", "total", r.change, years),
                     (site, "hr_on-hr_off", var, "", "annual", "percent", r.percent, years)]
    else:
        whys.append(f"the run covers {days:.3g} days, less than the year the annual totals need")
    if not all(v in ds for ds in (off, on) for v in ("HR_vr", "W_SCALAR", "dzsoi")):
        info["why"] = "; ".join(whys + ["the runs lack HR_vr or W_SCALAR per layer"])
        return rows, info, {}
    soil = None
    if "H2OSOI" in off and "zisoi_top" in off and "zisoi_bot" in off:
        soil = evaluate.model_layer_mean(off, 0.0, min(0.5, float(off.zisoi_bot.max())))
    try:
        if precip is not None:
            months = evaluate.dry_season_months(precip, tiebreak=soil, utc_offset=utc_offset)
            rule = "precipitation"
        elif soil is not None:
            months = evaluate.dry_season_months(soil, utc_offset=utc_offset)
            rule = "soil moisture"
        else:
            raise ValueError("neither precipitation nor soil moisture defines a dry season")
    except ValueError as err:          # e.g. a run of a few days: no 3-month window
        info["why"] = "; ".join(whys + [f"no dry season: {err}"])
        return rows, info, {}
    info["why"] = "; ".join(whys)
    info["months"] = list(months)
    info["rule"] = DRY_SEASON_RULE[rule].format(n=len(months))
    profiles = {case: evaluate.dry_season_profile(runs[case], months, utc_offset)
                for case in ("hr_off", "hr_on")}
    for case, prof in profiles.items():
        for i, z in enumerate(prof.levsoi.values):
            for var in ("HR_layer", "W_SCALAR"):
                rows.append((site, case, var, f"{z:.3g} m", "dry_season", "mean",
                             float(prof[var].values[i]), prof.attrs["records"]))
    return rows, info, profiles


def _write_note(path, text):
    tmp = path.parent / f".{path.name}.tmp"
    tmp.write_text(text)
    tmp.replace(path)


def score_site(job, outputs, outdir, specs=None, analyses=None):
    """Metrics and figures of one site (all cases); returns the metrics table.

    ``specs`` (case -> spec of the config) and ``analyses`` (the [analyses]
    table, :data:`ANALYSES`) switch on the root-zone analyses: Srmax rows
    (:func:`srmax_rows`) and the HR signature on raw or corrected
    observations. A note on the observed Srmax is written to
    ``figures/<site>_srmax_note.txt`` for the report."""
    import xarray as xr
    from . import evaluate
    analyses = {**ANALYSES, **(analyses or {})}
    runs = {case: xr.load_dataset(outputs[case]) for case in sorted(outputs)}
    obs = observations(job)
    figdir = Path(outdir) / "figures"
    figdir.mkdir(parents=True, exist_ok=True)
    extra = []
    if analyses["srmax"] and specs:
        utc = float(next(iter(runs.values())).attrs.get("forcing_utc_offset", 0.0))
        extra, note = srmax_rows(job, runs, specs, obs, analyses["srmax_return_periods"], utc)
        tmp = figdir / f".{job.id}_srmax_note.txt.tmp"
        tmp.write_text(note)
        tmp.replace(figdir / f"{job.id}_srmax_note.txt")
    extra += carbon_analysis(job, runs, specs, figdir)
    extra = pd.DataFrame(extra, columns=COLUMNS)
    first = next(iter(runs.values()))
    if obs is not None:
        obs = obs.sel(time=slice(first.time.values[0], first.time.values[-1]))   # the run period
    notes = {"NEE": nee_notes(runs, obs)}
    _write_note(figdir / f"{job.id}_nee_note.json", json.dumps(notes))
    if obs is None:
        return extra
    generated = job.forcing == "generator"
    if generated and "ET" in obs:
        # tower fluxes vs generated weather: seasonal cycles only (ET_NOTE)
        obs = obs[[v for v in TOWER_FLUXES if v in obs]]
    table = evaluate.compare(runs, obs, site=job.id)
    if "SWC" in obs and "P" in obs:
        # the HR signature: night-time change of the shallowest sensor on dry nights
        rows = hr_signature_rows(job, obs, runs, analyses["hr_signature_obs"])
        table = pd.concat([table, pd.DataFrame(rows, columns=table.columns)], ignore_index=True)
    if len(extra):
        table = pd.concat([table, extra], ignore_index=True)
    if "SWC" in obs:
        evaluate.plot_diel_shallow(obs, runs, figdir / f"{job.id}_diel_shallow_swc.png")
        if obs.depth.size > 1:
            evaluate.plot_seasonal_profile(obs, runs, figdir / f"{job.id}_seasonal_profile.png")
        evaluate.plot_time_depth(first, figdir / f"{job.id}_time_depth.png", job.id)
    if "ET" in obs:
        evaluate.plot_seasonal_et(runs, figdir / f"{job.id}_seasonal_et.png", obs.ET,
                                  float(obs.attrs.get("utc_offset", 0.0)))
        if "H" in obs and "LE" in obs:
            evaluate.plot_seasonal_energy(runs, figdir / f"{job.id}_seasonal_energy.png", obs,
                                          float(obs.attrs.get("utc_offset", 0.0)))
        if generated:
            # (annual carbon totals and dry-season rows are not tower comparisons)
            table = table[~table.variable.isin(TOWER_FLUXES) |
                          ~table.timescale.isin(["native", "daily", "monthly", "diel"])]
    nee_fig = figdir / f"{job.id}_seasonal_nee.png"
    if "NEE" in obs and any(not evaluate.carbon_missing(ds, ("NEE",)) for ds in runs.values()):
        evaluate.plot_seasonal_nee(runs, nee_fig, obs.NEE, float(obs.attrs.get("utc_offset", 0.0)),
                                   f"{job.id}: mean seasonal cycle of NEE")
    else:
        nee_fig.unlink(missing_ok=True)          # none from an earlier run in this folder
    return table


def carbon_analysis(job, runs, specs, figdir):
    """:func:`carbon_hr_rows` of a site with its forcing precipitation (when
    the case specs are given), the dry-season figure
    (``figures/<site>_carbon_dry_season.png``) and a note for the report
    (``figures/<site>_carbon_hr.json``: why, months, rule). Returns the rows."""
    from . import evaluate
    precip, utc, precip_why = None, 0.0, ""
    first = next(iter(runs.values()))
    utc = float(first.attrs.get("forcing_utc_offset", 0.0))
    if specs and "hr_off" in runs and "hr_off" in specs \
            and not evaluate.carbon_missing(runs["hr_off"]):
        try:
            precip, _ = _run_precip(job, specs["hr_off"], runs["hr_off"].time)
        except Exception as err:    # noqa: BLE001 - the soil-moisture rule takes over, said why
            precip_why = f"{type(err).__name__}: {err}"
    rows, info, profiles = carbon_hr_rows(job.id, runs, precip, utc)
    (figdir / f"{job.id}_carbon_dry_season.png").unlink(missing_ok=True)
    if profiles:
        names = {1: "Jan", 2: "Feb", 3: "Mar", 4: "Apr", 5: "May", 6: "Jun", 7: "Jul",
                 8: "Aug", 9: "Sep", 10: "Oct", 11: "Nov", 12: "Dec"}
        evaluate.plot_dry_season_carbon(
            profiles, figdir / f"{job.id}_carbon_dry_season.png",
            f"{job.id}: dry season ({'-'.join(names[m] for m in info['months'])}), HR off vs on")
    note = {k: info[k] for k in ("why", "months", "rule")}
    note["precip_why"] = precip_why
    _write_note(figdir / f"{job.id}_carbon_hr.json", json.dumps(note))
    return rows


# -- orchestration ---------------------------------------------------------------
def run_benchmark(config_path, outdir, scheduler=None, workers=None, progress=True):
    """Run all site-cases on dask.distributed, score them, write the report.

    Returns (metrics table, list of failure messages).
    """
    from dask.distributed import Client, LocalCluster, as_completed
    from .model import check_output_dir
    bench = load_benchmark(config_path)
    outdir = Path(outdir)
    check_output_dir(outdir / "runs", "benchmark output folder")
    if scheduler:
        client = connect(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=workers or None, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    failures, outputs = [], {}
    try:
        futures = {}
        for job in bench.sites:
            for case, spec in bench.cases.items():
                f = client.submit(run_case, job, case, spec, str(outdir), pure=False,
                                  key=f"run-{job.id}-{case}")
                futures[f] = (job, case)
        total, done = len(futures), 0
        for f in as_completed(futures):
            job, case = futures[f]
            done += 1
            try:
                path, secs, skipped = f.result()
                outputs.setdefault(job.id, {})[case] = path
                status = "skipped (already done)" if skipped else f"done in {secs:.1f} s"
            except Exception as err:   # a failing site is reported, the others go on
                failures.append(f"{job.id} {case}: {type(err).__name__}: {err}")
                status = "FAILED"
            if progress:
                print(f"[{done}/{total}] {job.id} {case}: {status}", file=sys.stderr)
        score_futures = {}
        for job in bench.sites:
            if len(outputs.get(job.id, {})) == len(bench.cases):
                score_futures[client.submit(score_site, job, outputs[job.id], str(outdir),
                                            bench.cases, bench.analyses,
                                            pure=False, key=f"score-{job.id}")] = job
        tables = []
        for f in as_completed(score_futures):
            job = score_futures[f]
            try:
                tables.append(f.result())
            except Exception as err:
                failures.append(f"{job.id} scoring: {type(err).__name__}: {err}")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    columns = ["site", "case", "variable", "depth", "timescale", "metric", "value", "n"]
    filled = [t for t in tables if len(t)]
    table = pd.concat(filled, ignore_index=True) if filled else pd.DataFrame(columns=columns)
    order = {job.id: i for i, job in enumerate(bench.sites)}
    table = table.sort_values(["site", "case", "variable", "depth", "timescale", "metric"],
                              key=lambda c: c.map(order) if c.name == "site" else c,
                              kind="stable").reset_index(drop=True)
    write_outputs(bench, table, failures, outdir)
    return table, failures


SCHEDULER_TIMEOUT = 15
"""Seconds to wait for a dask scheduler to answer [s]."""


def connect(address, timeout=None):
    """A dask Client of the scheduler at ``address``; InputError naming the
    address if nothing answers as a dask scheduler within ``timeout`` s
    (default :data:`SCHEDULER_TIMEOUT`)."""
    timeout = SCHEDULER_TIMEOUT if timeout is None else timeout
    import threading
    from dask.distributed import Client
    box = {}

    def attempt():
        try:
            # not the process's default client: a failed attempt must not stay
            # behind as one (xarray would then take its locks from it)
            box["client"] = Client(address, timeout=f"{timeout}s", set_as_default=False)
        except Exception as err:     # noqa: BLE001 - reported below in one sentence
            box["error"] = err

    # the handshake with a port that accepts but never answers is not bounded by
    # Client's timeout: wait for it in a thread of our own
    thread = threading.Thread(target=attempt, daemon=True, name="hrclm-connect")
    thread.start()
    thread.join(timeout + 1)
    if "client" in box:
        return box["client"]
    err = box.get("error")
    if isinstance(err, ValueError):
        raise InputError(f"--scheduler {address!r} is not a scheduler address; give one such as "
                         "tcp://HOST:8786 or leave --scheduler out for a LocalCluster",
                         argument="scheduler")
    reason = "no answer" if err is None else type(err).__name__
    raise InputError(f"--scheduler {address} did not answer as a dask scheduler within "
                     f"{timeout} s ({reason}); give the address of a running scheduler "
                     "(tcp://HOST:8786) or leave --scheduler out for a LocalCluster",
                     argument="scheduler")


def write_outputs(bench, table, failures, outdir):
    from .evaluate import table_to_netcdf
    outdir = Path(outdir)
    tmp = outdir / ".metrics.csv.tmp"
    table.to_csv(tmp, index=False)
    tmp.replace(outdir / "metrics.csv")
    if len(table):
        table_to_netcdf(table, outdir / "metrics.nc")
    (outdir / "report.html").write_text(report_html(bench, table, failures, outdir))


# -- regression gate ---------------------------------------------------------------
BASELINE_COLUMNS = ["site", "case", "variable", "depth", "timescale", "metric", "value"]


def load_baseline(path):
    """Read and check a baseline metrics.csv (before any run is computed);
    InputError in one sentence naming the file and what would be valid."""
    path = Path(path)
    valid = "give the metrics.csv of an earlier hrclm benchmark"
    if path.is_dir():
        raise InputError(f"--baseline {path} is a folder; {valid} (e.g. {path / 'metrics.csv'})",
                         argument="baseline")
    if not path.is_file():
        raise InputError(f"--baseline {path} does not exist; {valid}", argument="baseline")
    try:
        base = pd.read_csv(path, dtype={"depth": str})
    except pd.errors.EmptyDataError:
        raise InputError(f"--baseline {path} is empty; {valid}", argument="baseline") from None
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError, OSError) as err:
        raise InputError(f"--baseline {path} could not be read as CSV ({type(err).__name__}); "
                         f"{valid}", argument="baseline") from None
    missing = [c for c in BASELINE_COLUMNS if c not in base.columns]
    if missing:
        raise InputError(f"--baseline {path} lacks the column(s) {', '.join(missing)}; {valid} "
                         f"(columns {', '.join(BASELINE_COLUMNS)}, n)", argument="baseline")
    try:
        base["value"] = pd.to_numeric(base["value"])
    except (ValueError, TypeError):
        raise InputError(f"--baseline {path} has values that are not numbers in column value; "
                         f"{valid}", argument="baseline") from None
    base["depth"] = base["depth"].fillna("")
    return base


def compare_with_baseline(table, baseline, tolerance=0.01):
    """Metrics that got worse than the baseline by more than ``tolerance``
    times |baseline| (metrics carry the units of their variable, so the
    tolerance is relative), or that disappeared. ``baseline``: a path or a
    table from :func:`load_baseline`. Returns messages."""
    base = baseline if isinstance(baseline, pd.DataFrame) else load_baseline(baseline)
    cur = table.copy()
    cur["depth"] = cur["depth"].fillna("").astype(str)
    key = ["site", "case", "variable", "depth", "timescale", "metric"]
    merged = base.merge(cur, on=key, how="left", suffixes=("_base", "_new"))
    worse = []
    for _, row in merged.iterrows():
        if row.case == "hr_on-hr_off" or row.metric not in LOWER_IS_BETTER:
            continue
        b, n = row.value_base, row.value_new
        label = f"{row.site} {row.case} {row.variable} {row.depth} {row.timescale} {row.metric}"
        if not np.isfinite(b):
            continue
        if not np.isfinite(n):
            worse.append(f"{label}: missing now (baseline {b:.4g})")
            continue
        scale = max(abs(b), 1e-12)
        if row.metric == "bias":
            delta = abs(n) - abs(b)
        elif LOWER_IS_BETTER[row.metric]:
            delta = n - b
        else:
            delta = b - n
        if delta > tolerance * scale:
            worse.append(f"{label}: {b:.4g} -> {n:.4g}")
    return worse


# -- report ------------------------------------------------------------------------
def _img(path):
    data = base64.b64encode(Path(path).read_bytes()).decode()
    return f'<img src="data:image/png;base64,{data}" style="max-width:48%">'


def ranking(table):
    """HR on vs off per site, variable and depth: daily score for soil
    moisture, seasonal score for the tower fluxes (ET, LE, H, NEE, GPP, ER);
    positive delta = HR on closer to obs."""
    rows = []
    pick = table[(table.metric == "score") & (table.case.isin(["hr_off", "hr_on"]))]
    for (site, variable, depth), g in pick.groupby(["site", "variable", "depth"], sort=False):
        ts = "seasonal" if variable in TOWER_FLUXES else "daily"
        g = g[g.timescale == ts].set_index("case").value
        if {"hr_off", "hr_on"} <= set(g.index):
            rows.append((site, variable, depth, ts, g["hr_off"], g["hr_on"],
                         g["hr_on"] - g["hr_off"]))
    return pd.DataFrame(rows, columns=["site", "variable", "depth", "timescale", "score_hr_off",
                                       "score_hr_on", "delta"])


SCORE_VARIABLES = [
    # (column label, variable, depth, timescale, unit of the bias, factor to that unit)
    ("ET", "ET", "", "seasonal", "mm d-1", 86400.0),
    ("LE", "LE", "", "seasonal", "W m-2", 1.0),
    ("H", "H", "", "seasonal", "W m-2", 1.0),
    ("SWC 0-10 cm", "SWC", "0-10cm", "daily", "m3 m-3", 1.0),
    ("SWC 10-40 cm", "SWC", "10-40cm", "daily", "m3 m-3", 1.0),
    ("SWC 0-100 cm", "SWC", "0-100cm", "daily", "m3 m-3", 1.0),
    ("HR signature", "SWC_night_change", None, "dry_nights", "m3 m-3", 1.0),
    ("NEE", "NEE", "", "seasonal", "gC m-2 d-1", 86400.0),
]
"""Columns of the scorecard: ET, LE and H scored on the mean seasonal cycle,
soil moisture on daily means of the 0-10, 10-40 and 0-100 cm layers, the HR
night-time signature on dry nights, NEE on the mean seasonal cycle (bias in
gC m-2 d-1; the metrics table holds gC m-2 s-1)."""

OPTIONAL_SCORE_VARIABLES = [
    ("GPP", "GPP", "", "seasonal", "gC m-2 d-1", 86400.0),
    ("ER", "ER", "", "seasonal", "gC m-2 d-1", 86400.0),
]
"""Scorecard columns shown only when some site scored them (a tower file
giving GPP or ecosystem respiration)."""

DIGITS = {"HR signature": 5, "NEE": 3, "GPP": 3, "ER": 3}
"""Decimals of the value under the score, per scorecard column (default:
two significant digits)."""


def score_columns(table):
    """The scorecard's columns for a metrics table: :data:`SCORE_VARIABLES`
    and those of :data:`OPTIONAL_SCORE_VARIABLES` the table scored."""
    scored = set(table.variable[table.metric == "score"]) if len(table) else set()
    return SCORE_VARIABLES + [c for c in OPTIONAL_SCORE_VARIABLES if c[1] in scored]


def score_colour(score):
    """Background colour of a score in [0, 1] (ILAMB-style, red = 0, yellow =
    0.5, green = 1; matplotlib's RdYlGn kept away from its darkest ends so
    black text stays readable), as #rrggbb; grey for NaN."""
    import matplotlib
    if not np.isfinite(score):
        return "#e6e6e6"
    rgba = matplotlib.colormaps["RdYlGn"](0.1 + 0.8 * float(np.clip(score, 0.0, 1.0)))
    return matplotlib.colors.to_hex(rgba)


def _cell(score, note):
    if not np.isfinite(score):
        return f'<td class="na">{note}</td>'
    return (f'<td class="sc" data-score="{score:.4f}" style="background:{score_colour(score)}">'
            f'<b>{score:.2f}</b><br><small>{note}</small></td>')


def _fmt(value, unit, digits=None):
    """A signed value and its unit on two lines (HTML), e.g. +0.31 / mm d-1."""
    if not np.isfinite(value):
        return "n/a"
    nice = {"mm d-1": "mm&nbsp;d⁻¹", "W m-2": "W&nbsp;m⁻²", "m3 m-3": "m³&nbsp;m⁻³",
            "gC m-2 d-1": "gC&nbsp;m⁻²&nbsp;d⁻¹"}.get(unit, unit)
    if digits is not None:
        number = f"{value:+.{digits}f}"
    elif unit == "m3 m-3":
        number = f"{value:+.3f}"
    else:
        number = f"{value:+.2g}" if abs(value) < 10 else f"{value:+.0f}"
    return f"{number}<br>{nice}"


def scorecard(table, sites, cases):
    """The scorecard rows: per site, case and column of :func:`score_columns`,
    (score [0-1], bias in the column's unit); NaN where not scored."""
    out = {}
    for site in sites:
        t = table[table.site == site]
        for label, var, depth, ts, unit, factor in score_columns(table):
            sel = t[(t.variable == var) & (t.timescale == ts)]
            if depth is not None:
                sel = sel[sel.depth.fillna("").astype(str) == depth]
            for case in cases:
                c = sel[sel.case == case]
                get = lambda m: (float(c[c.metric == m].value.iloc[0])        # noqa: E731
                                 if (c.metric == m).any() else np.nan)
                score = get("score")
                value = get("bias") if var != "SWC_night_change" else get("mean")
                out[(site, label, case)] = (score, value * factor, unit)
    return out


def scorecard_html(table, sites, cases, signature_obs="raw", notes=None):
    """The report's opening table: sites x variables, each case side by side,
    coloured by score (:func:`score_colour`), with the bias (model - obs)
    under each score in its unit. ``notes``: {(site, column label, case):
    why the cell is not scored}, e.g. "no carbon in run" for NEE."""
    notes = notes or {}
    columns = score_columns(table)
    cards = scorecard(table, sites, cases)
    head1 = "".join(f'<th colspan="{len(cases)}">{html.escape(label)}</th>'
                    for label, *_ in columns)
    head2 = "".join(f"<th class='case'>{html.escape(c.replace('hr_', 'HR ').replace('_', ' '))}</th>"
                    for _ in columns for c in cases)
    rows = []
    for site in sites:
        cells = []
        for label, *_ in columns:
            for case in cases:
                score, value, unit = cards[(site, label, case)]
                note = (_fmt(value, unit, DIGITS.get(label)) if np.isfinite(score)
                        else html.escape(notes.get((site, label, case)) or "not scored"))
                cells.append(_cell(score, note))
        rows.append(f'<tr><th class="site"><a href="#{html.escape(site)}">{html.escape(site)}'
                    f"</a></th>{''.join(cells)}</tr>")
    legend = "".join(f'<span style="background:{score_colour(v)}">{v:.1f}</span>'
                     for v in np.linspace(0, 1, 6))
    which = ("sensor-temperature-corrected observations" if signature_obs == "corrected"
             else "observations as measured (not corrected for sensor temperature)")
    return (
        '<h2 id="scorecard">Scorecard</h2>'
        '<table class="scorecard"><thead><tr><th rowspan="2" class="site">site</th>' + head1 + "</tr><tr>"
        + head2 + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        f'<p class="legend">score (0-1, dimensionless; ILAMB-style) {legend}</p>'
        "<p class='caption'>Each cell: the score (0 = poor, 1 = perfect; the mean of "
        "exp(-|bias|/&sigma;<sub>obs</sub>) and exp(-cRMSE/&sigma;<sub>obs</sub>)) and, below "
        "it, the bias model - observation with its unit. ET, LE and H: mean seasonal cycle "
        "(tower fluxes against generated weather are not expected to agree day by day); SWC: "
        "daily means of the layer (m³ m⁻³); HR signature: mean change of the shallowest soil "
        "moisture over dry nights (20:00-06:00 local), scored by exp(-|model - obs| / "
        f"&sigma; of the observed nightly changes), against {which}; the value below it is the "
        "model's mean nightly change. NEE: mean seasonal cycle of the daily net ecosystem "
        "exchange against the tower's (gC m⁻² d⁻¹, positive = carbon to the atmosphere, CLM's "
        "sign); a grey cell says why it is not scored (e.g. no carbon in the run, no tower NEE)."
        "</p>")


def _nee_notes(bench, outdir):
    """{(site, "NEE", case): reason} from the notes score_site wrote."""
    out = {}
    for job in bench.sites:
        path = Path(outdir) / "figures" / f"{job.id}_nee_note.json"
        if path.is_file():
            for case, why in json.loads(path.read_text()).get("NEE", {}).items():
                if why:
                    out[(job.id, "NEE", case)] = why
    return out


def _percent(value):
    """A percentage for the report, or why there is none."""
    from .evaluate import PERCENT_FLOOR
    if np.isfinite(value):
        return f"{value:+.1f} %"
    return f"n/a (|HR off| &lt; {PERCENT_FLOOR:g} gC m⁻² yr⁻¹)"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _carbon_html(table, site, note, figure):
    """The site's carbon section: NEE scores in gC m-2 d-1 (HR off vs on) and
    "the HR question for carbon": the annual change of GPP, AR, HR
    (heterotrophic) and NEE from hydraulic redistribution [gC m-2 yr-1, %],
    the dry-season rule and the per-layer figure."""
    t = table[table.site == site]
    parts = []
    nee = t[t.variable.isin(["NEE", "GPP", "ER"]) & t.timescale.isin(["daily", "seasonal"])
            & t.metric.isin(["score", "bias", "rmse", "r"]) & t.case.isin(["hr_off", "hr_on"])]
    if len(nee):
        shown = nee.copy()
        per_day = shown.metric.isin(["bias", "rmse"])
        shown.loc[per_day, "value"] = shown.loc[per_day, "value"] * 86400.0
        pivot = shown.pivot_table(index=["variable", "timescale", "metric"], columns="case",
                                  values="value")
        parts.append("<h3>Carbon fluxes against the tower</h3><p>Bias and RMSE in gC m⁻² d⁻¹ "
                     "(model - tower; NEE positive = carbon to the atmosphere), r and score "
                     "dimensionless:</p>" + pivot.to_html(float_format=lambda v: f"{v:.3f}"))
    annual = t[(t.timescale == "annual") & t.variable.isin(["GPP", "AR", "HR", "NEE"])]
    if not len(annual) and not (note and note.get("why")):
        return "".join(parts)
    parts.append("<h3>The HR question for carbon</h3>")
    if len(annual):
        labels = {"GPP": "GPP", "AR": "AR (autotrophic respiration)",
                  "HR": "HR (heterotrophic respiration)", "NEE": "NEE (+ = to atmosphere)"}
        rows = []
        for var in ("GPP", "AR", "HR", "NEE"):
            g = annual[annual.variable == var]
            get = lambda case, metric: (float(g[(g.case == case) & (g.metric == metric)]  # noqa: E731
                                              .value.iloc[0])
                                        if ((g.case == case) & (g.metric == metric)).any()
                                        else np.nan)
            if not len(g):
                continue
            rows.append(f"<tr><td>{labels[var]}</td><td>{get('hr_off', 'total'):.1f}</td>"
                        f"<td>{get('hr_on', 'total'):.1f}</td>"
                        f"<td>{get('hr_on-hr_off', 'total'):+.2f}</td>"
                        f"<td>{_percent(get('hr_on-hr_off', 'percent'))}</td></tr>")
        years = int(annual.n.iloc[0])
        parts.append("<table class='carbon'><tr><th>flux</th><th>HR off (gC m⁻² yr⁻¹)</th>"
                     "<th>HR on (gC m⁻² yr⁻¹)</th><th>change, on - off (gC m⁻² yr⁻¹)</th>"
                     "<th>change (% of HR off)</th></tr>" + "".join(rows) + "</table>"
                     f"<p class='caption'>Mean annual totals over the run ({years} yr). Here HR "
                     "is CLM's heterotrophic respiration; hydraulic redistribution is the case "
                     "(HR off / HR on).</p>")
    if note and note.get("months"):
        months = "-".join(MONTHS[m - 1] for m in note["months"])
        parts.append(f"<p>Dry season: {months}, chosen as {html.escape(note['rule'])}. The "
                     "figure shows, averaged over it, the heterotrophic respiration of each "
                     "soil layer (HR_vr &times; dzsoi, gC m⁻² d⁻¹ per layer; the layers sum to "
                     "the column HR) and its moisture scalar W_SCALAR, HR off vs on.</p>")
    if note and note.get("why"):
        what = "No per-layer carbon analysis" if len(annual) else "No carbon analysis"
        parts.append(f"<p>{what}: {html.escape(note['why'])}.</p>")
    if figure is not None and figure.is_file():
        parts.append(_img(figure))
    return "".join(parts)


def _srmax_html(table, site, note):
    """Per-site Srmax table [mm]: mass curve of observations and each run, the
    model's root-zone capacity; ``note`` says why observations give none."""
    t = table[(table.site == site) & table.variable.isin(["Srmax", "root_zone_capacity"])]
    if not len(t):
        return ""
    rows = []
    for case, g in t[t.variable == "Srmax"].groupby("case", sort=False):
        vals = {m: v for m, v in zip(g.metric, g.value)}
        years = int(g.n.iloc[0])
        rp = "; ".join(f"{m[6:-2]}-yr {v:.0f} mm" for m, v in vals.items()
                       if m.startswith("srmax_"))
        rows.append(f"<tr><td>{html.escape(case.replace('_', ' '))}</td>"
                    f"<td>{vals.get('mean_annual_max', np.nan):.0f} mm</td><td>{years} yr</td>"
                    f"<td>{rp or 'needs 3 years or more (Gumbel fit)'}</td></tr>")
    cap = t[t.variable == "root_zone_capacity"]
    first_case = cap.case.iloc[0] if len(cap) else None
    caps = "; ".join(f"{html.escape(str(d))} {v:.0f} mm" for d, v in
                     zip(cap[cap.case == first_case].depth, cap[cap.case == first_case].value))
    return ("<h3>Root-zone storage capacity</h3><table><tr><th>source</th>"
            "<th>mean annual max deficit</th><th>record</th><th>Srmax by return period "
            "(Gumbel)</th></tr>" + "".join(rows) + "</table>"
            "<p>Mass curve (Gao et al. 2014): daily precipitation in, ET out (scaled to balance "
            "over the record), the cumulative deficit reset at zero; model runs use the "
            "forcing's precipitation and the run's ET. "
            + (f"Observations: {html.escape(note)} " if note else "")
            + (f"The model's own capacity (plant-available water between field capacity and "
               f"closure potential to 95 % of the roots; the same HR off and on): {caps}."
               if caps else "") + "</p>")


def report_html(bench, table, failures, outdir):
    """A self-contained HTML report (figures embedded)."""
    figdir = Path(outdir) / "figures"
    css = ("body{font-family:sans-serif;max-width:1280px;margin:auto;padding:0 8px}"
           "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
           "table.scorecard{font-size:13px;width:100%;table-layout:fixed}"
           "table.scorecard td,table.scorecard th{text-align:center;padding:3px 2px;"
           "overflow-wrap:anywhere}"
           "table.scorecard th.site{text-align:left;font-weight:normal;width:150px}"
           "table.scorecard th.case{font-size:11px;font-weight:normal}"
           "table.scorecard small{font-size:10px}"
           "td.na{background:#f2f2f2;color:#666;font-size:11px}"
           ".legend span{display:inline-block;width:44px;text-align:center;margin-right:2px}"
           ".caption{font-size:12px;color:#333}img{margin:4px}")
    parts = [f"<html><head><meta charset='utf-8'><title>hrclm benchmark {html.escape(bench.name)}"
             f"</title><style>{css}</style></head><body>",
             f"<h1>hrclm benchmark: {html.escape(bench.name)}</h1>",
             f"<p>Config {html.escape(bench.source)}; cases: "
             f"{html.escape(', '.join(bench.cases))}; {len(bench.sites)} sites.</p>"]
    if failures:
        parts.append("<h2>Failures</h2><ul>" + "".join(f"<li>{html.escape(f)}</li>"
                                                       for f in failures) + "</ul>")
    analyses = getattr(bench, "analyses", ANALYSES)
    parts.append(scorecard_html(table, [j.id for j in bench.sites], list(bench.cases),
                                analyses["hr_signature_obs"], _nee_notes(bench, outdir)))
    rank = ranking(table)
    for job in bench.sites:
        kind = ("observed forcing (real-data case)" if job.forcing != "generator"
                else "GENERATED forcing (weather generator)")
        parts.append(f'<h2 id="{html.escape(job.id)}">{html.escape(job.id)} &mdash; {kind}</h2>')
        r = rank[rank.site == job.id]
        if len(r):
            parts.append("<p>Score (0-1, ILAMB-style; daily for soil moisture, seasonal for ET, LE, H "
                         "and NEE), "
                         "HR off vs HR on:</p>" + r.round(4).to_html(index=False))
        site_rows = table[(table.site == job.id) & (table.timescale.isin(["daily", "seasonal"]))
                          & (table.metric.isin(["bias", "rmse", "r", "kge"]))
                          & ~table.variable.isin(["NEE", "GPP", "ER"])]
        if len(site_rows):
            pivot = site_rows.pivot_table(index=["variable", "depth", "timescale", "metric"],
                                          columns="case", values="value")
            parts.append("<details><summary>per-depth metrics</summary>"
                         + pivot.to_html(float_format=lambda v: f"{v:.4g}") + "</details>")
        sig = table[(table.site == job.id) & (table.variable == "SWC_night_change")
                    & (table.metric == "mean")]
        if len(sig):
            k = table[(table.site == job.id) & (table.variable == "sensor_temperature_k")]
            used = (f"observations corrected for the sensor's temperature sensitivity (k = "
                    f"{float(k.value.iloc[0]):.5f} m3 m-3 K-1 from {int(k.n.iloc[0])} rain-free "
                    "days, hrclm.analysis.correct_sensor_temperature)" if len(k)
                    else "observations as measured (not corrected for sensor temperature)")
            parts.append("<p>HR signature: mean change of the shallowest soil moisture from "
                         f"20:00 to 06:00 on dry nights (m3 m-3; a rise is positive), on {used}:</p>"
                         + sig[["case", "depth", "value", "n"]].rename(
                             columns={"value": "mean change (m3 m-3)", "n": "nights"}).to_html(
                             index=False, float_format=lambda v: f"{v:.5f}"))
        note = figdir / f"{job.id}_srmax_note.txt"
        parts.append(_srmax_html(table, job.id, note.read_text() if note.is_file() else ""))
        if job.tower_et:
            parts.append(f"<p><em>{html.escape(ET_NOTE)}</em></p>")
        for fig in sorted(figdir.glob(f"{job.id}_*.png")):
            if not fig.name.startswith(f"{job.id}_carbon_"):
                parts.append(_img(fig))
        cnote = figdir / f"{job.id}_carbon_hr.json"
        parts.append(_carbon_html(table, job.id,
                                  json.loads(cnote.read_text()) if cnote.is_file() else None,
                                  figdir / f"{job.id}_carbon_dry_season.png"))
        if not len(r) and not job.tower_et and job.obs != "uscrn":
            parts.append("<p>No observations configured for this site.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
