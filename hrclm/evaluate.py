"""Compare model output with observations, on xarray.

* Depth alignment: a sensor at depth d is compared with the thickness-weighted
  mean of the model layers over its footprint [d - w, d + w] (w =
  ``SENSOR_HALF_WIDTH``, clipped at the surface). A layer average over
  [top, bottom] (0-10, 10-40, 0-100 cm) is the thickness-weighted mean of the
  model layers over that interval, and for observations the thickness-weighted
  mean of the sensors, each standing for the depths nearer to it than to its
  neighbours (from the surface for the shallowest; as far below the deepest
  as its distance to the sensor above), required complete at each time.
* Time alignment: the model is averaged to the observation period (both on
  UTC period starts), then only times with both values count.
* Metrics: bias (model - obs), RMSE, Pearson r, Nash-Sutcliffe efficiency,
  Kling-Gupta efficiency (Gupta et al. 2009) and an ILAMB-style score, the
  mean of exp(-|bias|/sigma_obs) and exp(-cRMSE/sigma_obs) (after Collier et
  al. 2018), on the native step, daily and monthly means, and on the mean
  diel (by local hour) and mean seasonal (by month) cycles.
* HR signature: on dry nights (no rain for ``DRY_DAYS`` days before), the
  change of shallow soil moisture between local 20:00 and 06:00.
* Carbon: NEE (and GPP, ER where a tower file gives them) are scored like ET,
  as rates in gC m-2 s-1 (CLM's sign: NEE positive = carbon to the
  atmosphere) and reported in gC m-2 d-1. "HR" in the carbon functions is
  CLM's heterotrophic respiration, not hydraulic redistribution (QHR).
"""

import numpy as np
import pandas as pd
import xarray as xr

SENSOR_HALF_WIDTH = 0.025     # m
LAYERS = {"0-10cm": (0.0, 0.1), "10-40cm": (0.1, 0.4), "0-100cm": (0.0, 1.0)}
DRY_DAYS = 5
NIGHT = (20, 6)               # local hours: start, end
TIMESCALES = ("native", "daily", "monthly", "diel", "seasonal")
METRICS = ("bias", "rmse", "r", "nse", "kge", "score")
SECONDS_PER_DAY = 86400.0
CARBON_SCORED = ("NEE", "GPP", "ER")
"""Carbon fluxes scored against a tower when both the observations and the run
have them (same name in both), gC m-2 s-1."""
CARBON_UNIT = "gC m-2 d-1"
"""Unit carbon fluxes are reported in (figures, scorecard, report tables)."""
ANNUAL_FLUXES = ("GPP", "AR", "HR", "NEE")
"""Fluxes of the annual HR-on-minus-HR-off carbon table: gross primary
production, autotrophic and heterotrophic respiration, net ecosystem exchange."""
CARBON_RUN_VARIABLES = ("GPP", "AR", "HR", "NEE")
"""History variables whose absence means a run has no carbon cycle."""
DRY_SEASON_LENGTH = 3         # months
PERCENT_FLOOR = 1.0
"""Smallest |HR-off annual total| [gC m-2 yr-1] a change is given in percent
of; below it (e.g. an NEE near zero after carbon spin-up) the percentage is NaN."""


# -- metrics -----------------------------------------------------------------
def metrics(obs, mod):
    """Metrics of mod against obs over the pairs where both are finite.

    Returns a dict with bias, rmse, r, nse, kge, score and n.
    """
    obs = np.asarray(obs, dtype=float)
    mod = np.asarray(mod, dtype=float)
    ok = np.isfinite(obs) & np.isfinite(mod)
    o, m = obs[ok], mod[ok]
    n = int(ok.sum())
    if n < 2:
        return dict(bias=np.nan, rmse=np.nan, r=np.nan, nse=np.nan, kge=np.nan, score=np.nan, n=n)
    bias = float(np.mean(m - o))
    rmse = float(np.sqrt(np.mean((m - o) ** 2)))
    so, sm = float(np.std(o)), float(np.std(m))
    if sm <= 1e-12 * float(np.max(np.abs(m))):
        sm = 0.0            # a constant model (up to rounding of its averages) has no r
    r = float(np.corrcoef(o, m)[0, 1]) if so > 0 and sm > 0 else np.nan
    nse = float(1 - np.sum((m - o) ** 2) / np.sum((o - o.mean()) ** 2)) if so > 0 else np.nan
    if so > 0 and o.mean() != 0 and np.isfinite(r):
        kge = float(1 - np.sqrt((r - 1) ** 2 + (sm / so - 1) ** 2 + (m.mean() / o.mean() - 1) ** 2))
    else:
        kge = np.nan
    crmse = float(np.sqrt(np.mean(((m - m.mean()) - (o - o.mean())) ** 2)))
    score = float(0.5 * (np.exp(-abs(bias) / so) + np.exp(-crmse / so))) if so > 0 else np.nan
    return dict(bias=bias, rmse=rmse, r=r, nse=nse, kge=kge, score=score, n=n)


# -- depth alignment ---------------------------------------------------------
def _overlap(top, bot, lo, hi):
    return np.clip(np.minimum(bot, hi) - np.maximum(top, lo), 0.0, None)


def model_layer_mean(ds, lo, hi, var="H2OSOI"):
    """Thickness-weighted mean of a model layer variable over [lo, hi] m."""
    w = _overlap(ds.zisoi_top.values, ds.zisoi_bot.values, lo, hi)
    if w.sum() <= 0:
        raise ValueError(f"the model column does not reach {lo}-{hi} m")
    return (ds[var] * xr.DataArray(w, dims="levsoi")).sum("levsoi") / w.sum()


def model_at_depths(ds, depths, half_width=SENSOR_HALF_WIDTH, var="H2OSOI"):
    """Model soil moisture over each sensor's footprint, on a ``depth`` dimension."""
    cols = [model_layer_mean(ds, max(0.0, d - half_width), d + half_width, var) for d in depths]
    return xr.concat(cols, dim=xr.DataArray(np.asarray(depths, float), dims="depth", name="depth"))


def sensor_intervals(depths):
    """Depth interval each sensor stands for (nearest-sensor rule)."""
    d = np.asarray(depths, float)
    mids = 0.5 * (d[:-1] + d[1:])
    tops = np.concatenate([[0.0], mids])
    last = d[-1] + (d[-1] - mids[-1] if d.size > 1 else d[-1])
    bots = np.concatenate([mids, [last]])
    return tops, bots


def obs_layer_mean(swc, lo, hi):
    """Thickness-weighted mean of sensors over [lo, hi] m (NaN where a needed
    sensor is missing, or where the sensors do not reach hi)."""
    tops, bots = sensor_intervals(swc.depth.values)
    if bots[-1] < hi - 1e-9:
        return xr.full_like(swc.isel(depth=0), np.nan)
    w = _overlap(tops, bots, lo, hi)
    use = w > 0
    sub = swc.isel(depth=np.flatnonzero(use))
    wts = xr.DataArray(w[use], dims="depth")
    mean = (sub * wts).sum("depth") / w[use].sum()
    return mean.where(sub.notnull().all("depth"))


# -- time alignment and timescales ---------------------------------------------
def to_obs_times(model_series, obs_series):
    """Average a model series to the observation step and join on time."""
    mt = pd.DatetimeIndex(model_series.time.values)
    ot = pd.DatetimeIndex(obs_series.time.values)
    mstep = (mt[1] - mt[0]) if mt.size > 1 else pd.Timedelta(0)
    ostep = (ot[1] - ot[0]) if ot.size > 1 else mstep
    if ostep > mstep:
        model_series = model_series.resample(time=ostep).mean()
    common = np.intersect1d(model_series.time.values, obs_series.time.values)
    return model_series.sel(time=common), obs_series.sel(time=common)


def at_timescale(series, timescale, utc_offset):
    """A series on one timescale: native, daily or monthly means (local
    days), or the mean diel cycle (by local hour) or seasonal cycle (by month)."""
    local = series.assign_coords(time=series.time + np.timedelta64(int(utc_offset * 3600), "s"))
    if timescale == "native":
        return series
    if timescale == "daily":
        return local.resample(time="1D").mean()
    if timescale == "monthly":
        return local.resample(time="MS").mean()
    if timescale == "diel":
        return local.groupby("time.hour").mean()
    if timescale == "seasonal":
        return local.groupby("time.month").mean()
    raise ValueError(f"timescale {timescale!r} is not one of {TIMESCALES}")


def _scored(obs, mod, utc_offset):
    out = {}
    for ts in TIMESCALES:
        o = at_timescale(obs, ts, utc_offset)
        m = at_timescale(mod, ts, utc_offset)
        if ts in ("native", "daily", "monthly"):
            # a model value only counts where the observation has one
            m = m.where(o.notnull())
        out[ts] = metrics(o.values, m.values)
    return out


# -- comparison ----------------------------------------------------------------
def compare(runs, obs, site=None):
    """Tidy metrics of model runs against observations.

    Parameters
    ----------
    runs : dict
        Case name (e.g. "hr_off", "hr_on") -> model output Dataset.
    obs : xarray.Dataset
        Observations from an hrclm reader: ``SWC`` (time, depth), ``ET``
        (time) [mm s-1], ``LE`` and ``H`` (time) [W m-2] (scored against
        EFLX_LH_TOT and FSH), ``NEE``, ``GPP``, ``ER`` (time) [gC m-2 s-1]
        (scored against the run's variables of the same name; left out where
        the run has none or computed no carbon, :func:`run_has_carbon`).

    Returns
    -------
    pandas.DataFrame
        Columns site, case, variable, depth, timescale, metric, value, n; plus
        rows with case "hr_on-hr_off" holding the differences of every metric
        when both cases are present (for the rows both cases have). Carbon
        flux metrics stay in gC m-2 s-1, like ET in mm s-1.
    """
    utc_offset = float(obs.attrs.get("utc_offset", 0.0))
    site = site or obs.attrs.get("site", "")
    rows = []
    for case, ds in runs.items():
        pairs = []
        if "SWC" in obs:
            depths = obs.depth.values
            mod = model_at_depths(ds, depths)
            for i, d in enumerate(depths):
                pairs.append(("SWC", f"{d:g} m", obs.SWC.isel(depth=i), mod.isel(depth=i)))
            for label, (lo, hi) in LAYERS.items():
                o = obs_layer_mean(obs.SWC, lo, hi)
                if o.notnull().any():
                    pairs.append(("SWC", label, o, model_layer_mean(ds, lo, hi)))
        if "ET" in obs:
            et = ds.QVEGT + ds.QVEGE + ds.QSOIL
            pairs.append(("ET", "", obs.ET, et))
        # turbulent fluxes [W m-2], where the tower gives them
        for name, model_name in (("LE", "EFLX_LH_TOT"), ("H", "FSH")):
            if name in obs and model_name in ds:
                pairs.append((name, "", obs[name], ds[model_name]))
        # carbon fluxes [gC m-2 s-1], where the tower and the run both have them
        for name in CARBON_SCORED:
            if name in obs and name in ds and run_has_carbon(ds):
                pairs.append((name, "", obs[name], ds[name]))
        for variable, depth, o, m in pairs:
            m, o = to_obs_times(m, o)
            for ts, values in _scored(o, m, utc_offset).items():
                for metric in METRICS:
                    rows.append((site, case, variable, depth, ts, metric, values[metric],
                                 values["n"]))
    table = pd.DataFrame(rows, columns=["site", "case", "variable", "depth", "timescale",
                                        "metric", "value", "n"])
    if {"hr_on", "hr_off"} <= set(runs):
        key = ["site", "variable", "depth", "timescale", "metric"]
        on = table[table.case == "hr_on"].set_index(key)
        off = table[table.case == "hr_off"].set_index(key)
        both = on.join(off[["value"]].rename(columns={"value": "value_off"}), how="inner")
        diff = both.assign(value=both.value - both.value_off).reset_index()
        diff["case"] = "hr_on-hr_off"
        table = pd.concat([table, diff[table.columns]], ignore_index=True)
    return table


def table_to_netcdf(table, path):
    """Write a tidy metrics table to netCDF (one record dimension)."""
    from .model import write_netcdf
    ds = xr.Dataset.from_dataframe(table.reset_index(drop=True))
    for c in ("site", "case", "variable", "depth", "timescale", "metric"):
        ds[c] = ds[c].astype(str)
    write_netcdf(ds, path)


# -- HR signature ----------------------------------------------------------------
def night_changes(theta, precip, utc_offset, dry_days=DRY_DAYS, night=NIGHT):
    """Night-time change of soil moisture, night by night.

    Parameters
    ----------
    theta : xarray.DataArray (time)
        Shallow soil moisture [m3 m-3], UTC period starts.
    precip : xarray.DataArray (time)
        Precipitation in each period [mm] (any step), UTC period starts.
    utc_offset : float
        Local standard time minus UTC [h].

    Returns
    -------
    pandas.DataFrame
        One row per night (indexed by the local date the night starts on):
        ``dtheta`` = theta at the end hour - theta at the start hour, ``dry``
        (no rain in the dry_days before the night's end), ``month``.
    """
    off = pd.Timedelta(hours=utc_offset)
    th = pd.Series(theta.values, index=pd.DatetimeIndex(theta.time.values) + off)
    pr = pd.Series(precip.values, index=pd.DatetimeIndex(precip.time.values) + off)
    start_h, end_h = night
    starts = th[th.index.hour == start_h]
    starts = starts[starts.index.minute == 0]
    rows = []
    rain_cum = pr.fillna(0.0).cumsum()
    for t0, v0 in starts.items():
        t1 = t0.normalize() + pd.Timedelta(days=1, hours=end_h)
        if t1 not in th.index:
            continue
        v1 = th[t1]
        window = rain_cum.loc[:t1]
        before = rain_cum.loc[:t1 - pd.Timedelta(days=dry_days)]
        rain = (window.iloc[-1] - (before.iloc[-1] if before.size else 0.0)) if window.size else np.nan
        covered = pr.index[0] <= t1 - pd.Timedelta(days=dry_days)
        rows.append((t0.normalize(), v1 - v0, bool(covered and rain == 0.0), t0.month))
    return pd.DataFrame(rows, columns=["night", "dtheta", "dry", "month"]).set_index("night")


def hr_signature(theta, precip, utc_offset, dry_days=DRY_DAYS, night=NIGHT, threshold=0.0005):
    """Summary of the night-time rise of shallow soil moisture on dry nights.

    Returns a dict: number of dry nights, mean night-time change [m3 m-3],
    its 10/25/50/75/90th percentiles, the fraction of dry nights with a rise
    above ``threshold`` [m3 m-3] (sensor noise), and the mean and quartiles
    of the change by month (dicts month -> value).
    """
    nights = night_changes(theta, precip, utc_offset, dry_days, night)
    dry = nights[nights.dry].dropna()
    if dry.empty:
        return dict(n_dry_nights=0, mean_dtheta=np.nan, percentiles={}, frac_rising=np.nan,
                    by_month={}, by_month_quartiles={})
    by_month = dry.groupby("month").dtheta
    return dict(n_dry_nights=int(len(dry)), mean_dtheta=float(dry.dtheta.mean()),
                percentiles={q: float(np.percentile(dry.dtheta, q)) for q in (10, 25, 50, 75, 90)},
                frac_rising=float((dry.dtheta > threshold).mean()),
                by_month={int(k): float(v) for k, v in by_month.mean().items()},
                by_month_quartiles={int(k): tuple(float(x) for x in np.percentile(v, [25, 50, 75]))
                                    for k, v in by_month})


# -- figures -------------------------------------------------------------------
def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def dry_mask(precip, dry_days=DRY_DAYS):
    """True at times with no precipitation in the preceding ``dry_days`` days
    (and a record that long) [precip: amount per period, UTC period starts]."""
    p = pd.Series(np.nan_to_num(np.asarray(precip.values, float)),
                  index=pd.DatetimeIndex(precip.time.values))
    window = pd.Timedelta(days=dry_days)
    rain = p.rolling(window).sum()
    covered = p.index >= p.index[0] + window
    return xr.DataArray((rain.values == 0.0) & covered, dims="time",
                        coords={"time": precip.time.values})


def plot_diel_shallow(obs, runs, path, depth=None, dry_only=True):
    """Mean diel cycle of shallow soil moisture (anomaly from the mean) for
    observations and each run; with ``dry_only`` and precipitation in the
    observations (``P``), only times after ``DRY_DAYS`` rain-free days."""
    plt = _plt()
    utc_offset = float(obs.attrs.get("utc_offset", 0.0))
    depth = float(obs.depth.values[0]) if depth is None else depth
    fig, ax = plt.subplots(figsize=(6, 4))
    observed = obs.SWC.sel(depth=depth)
    series = {"observed": observed}
    for case, ds in runs.items():
        m, _ = to_obs_times(model_at_depths(ds, [depth]).isel(depth=0), observed)
        series[case] = m
    title = f"{obs.attrs.get('site', '')}: mean diel cycle at {depth:g} m"
    if dry_only and "P" in obs:
        mask = dry_mask(obs.P)
        series = {k: v.where(mask.reindex(time=v.time, fill_value=False)) for k, v in series.items()}
        title += f" ({DRY_DAYS}+ days without rain)"
    for label, s in series.items():
        diel = at_timescale(s - s.mean(), "diel", utc_offset)
        ax.plot(diel.hour, diel, marker="o", label=label)
    ax.set_xlabel("local hour")
    ax.set_ylabel("theta anomaly (m3 m-3)")
    ax.set_title(title, fontsize=9)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


SEASONS = {"DJF": (12, 1, 2), "MAM": (3, 4, 5), "JJA": (6, 7, 8), "SON": (9, 10, 11)}


def plot_seasonal_profile(obs, runs, path):
    """Mean soil moisture profile per season at the sensor depths: observed
    (points) and each run (lines), one panel per season (local months)."""
    plt = _plt()
    utc_offset = float(obs.attrs.get("utc_offset", 0.0))
    depths = obs.depth.values
    shift = np.timedelta64(int(utc_offset * 3600), "s")
    fig, axes = plt.subplots(1, 4, figsize=(12, 4), sharey=True)
    series = {"observed": obs.SWC}
    for case, ds in runs.items():
        series[case], _ = to_obs_times(model_at_depths(ds, depths), obs.SWC)
    for ax, (season, months) in zip(axes, SEASONS.items()):
        for label, s in series.items():
            month = (s.time + shift).dt.month
            prof = s.where(month.isin(months)).mean("time")
            style = dict(marker="o", ls="none", color="k") if label == "observed" else dict(marker=".")
            ax.plot(prof, depths, label=label, **style)
        ax.set_title(season)
        ax.set_xlabel("theta (m3 m-3)")
    axes[0].invert_yaxis()
    axes[0].set_ylabel("depth (m)")
    axes[-1].legend(fontsize=8)
    fig.suptitle(f"{obs.attrs.get('site', '')}: mean seasonal soil moisture profile", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_time_depth(ds, path, title=""):
    """Time-depth section of model soil moisture."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(9, 4))
    daily = ds.H2OSOI.resample(time="1D").mean()
    pc = ax.pcolormesh(daily.time, ds.levsoi, daily.T, shading="nearest")
    ax.set_ylim(min(1.5, float(ds.zisoi_bot.max())), 0)
    ax.set_ylabel("depth (m)")
    fig.colorbar(pc, label="theta (m3 m-3)")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_et_scatter(runs, obs_et, path):
    """Daily ET, model against observations (mm/day), one colour per run."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5, 5))
    top = 0.0
    for case, ds in runs.items():
        et = ds.QVEGT + ds.QVEGE + ds.QSOIL
        m, o = to_obs_times(et, obs_et)
        m = m.resample(time="1D").mean() * 86400.0
        o = o.resample(time="1D").mean() * 86400.0
        ax.scatter(o, m, s=6, alpha=0.5, label=case)
        top = max(top, float(np.nanmax(o)), float(np.nanmax(m)))
    ax.plot([0, top], [0, top], color="k", lw=0.8)
    ax.set_xlabel("observed ET (mm/day)")
    ax.set_ylabel("model ET (mm/day)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_seasonal_energy(runs, path, obs, utc_offset=0.0):
    """Mean seasonal cycles of sensible and latent heat (W m-2): runs (FSH,
    EFLX_LH_TOT) next to the tower's H and LE."""
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, (name, model_name, label) in zip(axes, (("H", "FSH", "sensible heat"),
                                                    ("LE", "EFLX_LH_TOT", "latent heat"))):
        for case, ds in runs.items():
            s = at_timescale(ds[model_name], "seasonal", utc_offset)
            ax.plot(s.month, s, marker="o", label=case)
        if name in obs:
            s = at_timescale(obs[name], "seasonal", utc_offset)
            ax.plot(s.month, s, marker="s", color="k", label="tower")
        ax.set_xlabel("month")
        ax.set_ylabel(f"{label} (W m-2)")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_seasonal_et(runs, path, obs_et=None, utc_offset=0.0):
    """Mean seasonal cycle of ET (mm/day): runs and, if given, observations."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 4))
    for case, ds in runs.items():
        et = (ds.QVEGT + ds.QVEGE + ds.QSOIL) * 86400.0
        s = at_timescale(et, "seasonal", utc_offset)
        ax.plot(s.month, s, marker="o", label=case)
    if obs_et is not None:
        s = at_timescale(obs_et * 86400.0, "seasonal", utc_offset)
        ax.plot(s.month, s, marker="s", color="k", label="tower")
    ax.set_xlabel("month")
    ax.set_ylabel("ET (mm/day)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# -- carbon --------------------------------------------------------------------
def per_day(rate):
    """A carbon flux rate [gC m-2 s-1] as gC m-2 d-1 (x 86400)."""
    return rate * SECONDS_PER_DAY


def run_has_carbon(ds):
    """Whether a run computed the carbon cycle: its attribute ``use_carbon``
    (the effective switch: 0 with use_carbon = .false., the Penman-Monteith
    canopy or prescribed fluxes, whose carbon history fields are zeros) when
    present, else whether it holds any of GPP, AR, HR, NEE that is not zero
    everywhere."""
    flag = ds.attrs.get("use_carbon")
    if flag is not None:
        try:
            return bool(int(flag))
        except (TypeError, ValueError):
            return str(flag).strip().lower() in ("true", ".true.", "t", "yes")
    return any(n in ds and bool((ds[n] != 0).any()) for n in CARBON_RUN_VARIABLES)


def carbon_missing(ds, names=CARBON_RUN_VARIABLES):
    """Why a run cannot give the carbon fluxes ``names``: "" when it has them
    all, "no carbon in run" when it computed no carbon cycle
    (:func:`run_has_carbon`: use_carbon false, a canopy without
    photosynthesis, or none of GPP, AR, HR, NEE on the tape), else the
    names it lacks."""
    if not run_has_carbon(ds) or all(n not in ds for n in CARBON_RUN_VARIABLES):
        return "no carbon in run"
    lacking = [n for n in names if n not in ds]
    return "run lacks " + ", ".join(lacking) if lacking else ""


def monthly_climatology(series, utc_offset=0.0):
    """Mean of a time series by calendar month (local time), on ``month`` =
    1..12 (NaN for months the series does not cover); same units as the series."""
    clim = at_timescale(series, "seasonal", utc_offset)
    return clim.reindex(month=np.arange(1, 13))


def dry_season_months(series, tiebreak=None, length=DRY_SEASON_LENGTH, utc_offset=0.0):
    """The dry season of a run: the ``length`` consecutive calendar months
    (a window may run from December into January) with the least mean of
    ``series`` by calendar month over the whole run (e.g. precipitation
    [mm s-1], or soil moisture [m3 m-3]). Windows with a month the series
    does not cover are not candidates. Equal windows (within 1e-9 of the
    least, relative; e.g. several rainless windows) are told apart by
    ``tiebreak`` (another series, least wins; e.g. root-zone soil moisture),
    then by the earliest first month. Returns a tuple of month numbers in
    calendar order of the window, e.g. (4, 5, 6) or (12, 1, 2)."""
    def windows(s):
        c = monthly_climatology(s, utc_offset).values
        return np.array([np.mean(c[[(m + k) % 12 for k in range(length)]]) for m in range(12)])

    main = windows(series)
    if not np.isfinite(main).any():
        raise ValueError("the series covers no window of "
                         f"{length} consecutive calendar months")
    best = np.nanmin(main)
    tol = 1e-9 * max(abs(best), np.nanmax(np.abs(main)), 1e-30)
    candidates = np.flatnonzero(np.isfinite(main) & (main <= best + tol))
    if tiebreak is not None and candidates.size > 1:
        second = windows(tiebreak)[candidates]
        if np.isfinite(second).any():
            candidates = candidates[[int(np.nanargmin(second))]]
    start = int(candidates[0])
    return tuple((start + k) % 12 + 1 for k in range(length))


def in_months(time, months, utc_offset=0.0):
    """True at the times (UTC period starts) whose local month is in ``months``."""
    local = pd.DatetimeIndex(np.asarray(time)) + pd.Timedelta(hours=utc_offset)
    return xr.DataArray(np.isin(local.month, list(months)), dims="time",
                        coords={"time": np.asarray(time)})


def dry_season_profile(ds, months, utc_offset=0.0):
    """Per-layer heterotrophic respiration and its moisture scalar averaged
    over the dry season ``months`` of a run with carbon.

    Returns a Dataset on ``levsoi`` (node depth, m): ``HR_layer`` = mean
    HR_vr x dzsoi [gC m-2 d-1 per layer; summed over layers it is the
    column HR], ``W_SCALAR`` [1] (mean), and the attribute ``records`` (the
    number of history records averaged)."""
    sel = in_months(ds.time, months, utc_offset)
    sub = ds.isel(time=np.flatnonzero(sel.values))
    if sub.time.size == 0:
        raise ValueError(f"the run has no records in months {months}")
    rh = per_day(sub.HR_vr.mean("time") * ds.dzsoi)
    rh.attrs.update(units=CARBON_UNIT, long_name="heterotrophic respiration of the layer "
                    "(HR_vr x dzsoi)")
    out = xr.Dataset({"HR_layer": rh,
                      "W_SCALAR": sub.W_SCALAR.mean("time").assign_attrs(units="1")})
    out.attrs.update(records=int(sub.time.size), months=list(months))
    return out


def record_seconds(time):
    """Length of each history record [s] from the spacing of its (period
    start) times; the last record is as long as the one before it."""
    t = pd.DatetimeIndex(np.asarray(time))
    if t.size < 2:
        raise ValueError("a run needs two records or more to integrate over time")
    dt = np.diff(t.values).astype("timedelta64[s]").astype(float)
    return np.append(dt, dt[-1])


def annual_totals(ds, names=ANNUAL_FLUXES):
    """Mean annual totals of carbon fluxes [gC m-2 yr-1]: each flux [gC m-2
    s-1] times its record length, summed per calendar year of the history
    times (UTC, the years the model runs; benchmark runs cover whole years),
    averaged over the years. Returns ({name: total}, number of years)."""
    seconds = record_seconds(ds.time)
    years = pd.DatetimeIndex(ds.time.values).year.values
    out = {}
    for name in names:
        amount = pd.Series(np.asarray(ds[name].values, float) * seconds)
        out[name] = float(amount.groupby(years).sum().mean())
    return out, int(np.unique(years).size)


def annual_change(off, on, names=ANNUAL_FLUXES):
    """Annual change of carbon fluxes from hydraulic redistribution: a table
    indexed by flux with columns hr_off, hr_on (mean annual totals,
    gC m-2 yr-1, :func:`annual_totals`), change (hr_on - hr_off,
    gC m-2 yr-1), percent (100 change / |hr_off|; NaN when |hr_off| is
    below :data:`PERCENT_FLOOR`) and years."""
    a, years = annual_totals(off, names)
    b, _ = annual_totals(on, names)
    rows = []
    for name in names:
        change = b[name] - a[name]
        percent = 100.0 * change / abs(a[name]) if abs(a[name]) >= PERCENT_FLOOR else np.nan
        rows.append((name, a[name], b[name], change, percent, years))
    return pd.DataFrame(rows, columns=["variable", "hr_off", "hr_on", "change", "percent",
                                       "years"]).set_index("variable")


def plot_seasonal_nee(runs, path, obs_nee=None, utc_offset=0.0, title=""):
    """Mean seasonal cycle of NEE [gC m-2 d-1, positive = carbon to the
    atmosphere]: each run that has NEE and, if given, the tower."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 4))
    for case, ds in runs.items():
        if "NEE" in ds and run_has_carbon(ds):
            s = at_timescale(per_day(ds.NEE), "seasonal", utc_offset)
            ax.plot(s.month, s, marker="o", label=case.replace("_", " "))
    if obs_nee is not None:
        s = at_timescale(per_day(obs_nee), "seasonal", utc_offset)
        ax.plot(s.month, s, marker="s", color="k", label="tower")
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xlabel("month")
    ax.set_ylabel(f"NEE ({CARBON_UNIT}; + = to atmosphere)")
    ax.set_title(title or "mean seasonal cycle of NEE", fontsize=9)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_dry_season_carbon(profiles, path, title=""):
    """Dry-season profiles of heterotrophic respiration per layer [gC m-2 d-1]
    and its moisture scalar W_SCALAR [1], one line per case
    (:func:`dry_season_profile` outputs)."""
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.5), sharey=True)
    for case, prof in profiles.items():
        z = prof.levsoi.values
        axes[0].plot(prof.HR_layer, z, marker="o", label=case.replace("_", " "))
        axes[1].plot(prof.W_SCALAR, z, marker="o", label=case.replace("_", " "))
    axes[0].set_xlabel(f"heterotrophic respiration of the layer ({CARBON_UNIT})")
    axes[1].set_xlabel("W_SCALAR (moisture scalar, 1)")
    axes[0].set_ylabel("depth (m)")
    axes[0].invert_yaxis()
    axes[1].legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
