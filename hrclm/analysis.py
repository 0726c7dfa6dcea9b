"""Root-zone analyses of the companion studies, on xarray.

* :func:`blend` -- sparse soil-moisture snapshots blended into a model's
  series: the model-minus-observation bias at each snapshot and depth,
  interpolated linearly in time, subtracted, and kept within bounds.
* :func:`flux_sensitivity`, :func:`similar_day_pairs`,
  :func:`observed_sensitivity` -- how a flux responds to root-zone soil
  moisture: from two model runs (free and prescribed soil moisture), and
  from observations on consecutive days of similar weather.
* :func:`srmax` -- root-zone storage capacity by the mass-curve method:
  the cumulative deficit of outflow over inflow (reset at zero), its annual
  maxima, and return-period values from a Gumbel fit (scipy).
* :func:`correct_sensor_temperature` -- the apparent temperature
  sensitivity of a dielectric soil-moisture sensor, estimated on rain-free
  days from the diel anomalies, and the series corrected for it.

All take and return xarray objects with a ``time`` coordinate (UTC); where
a day matters it is the local standard day of ``utc_offset`` [h].

References: Gao et al. (2014) GRL 41, 7916-7923 and Wang-Erlandsson et al.
(2016) HESS 20, 1459-1481 (mass-curve root-zone storage); Gumbel (1958).
"""

import numpy as np
import pandas as pd
import xarray as xr
from scipy import stats

from .errors import InputError

__all__ = ["blend", "flux_sensitivity", "model_flux", "layer_theta", "run_sensitivity",
           "similar_day_pairs", "observed_sensitivity", "srmax", "srmax_from_run",
           "srmax_from_tower", "root_zone_capacity", "model_root_zone_capacity",
           "correct_sensor_temperature", "SENSITIVITY_FLUXES", "LAYERS"]

LAYERS = {"0-10cm": (0.0, 0.1), "10-40cm": (0.1, 0.4), "0-100cm": (0.0, 1.0)}
"""Root-zone layers of the companion study: name -> (top, bottom) [m]."""

SENSITIVITY_FLUXES = {
    "ET": (("QVEGT", "QVEGE", "QSOIL"), 86400.0, "mm d-1"),
    "T": (("QVEGT",), 86400.0, "mm d-1"),
    "GPP": (("FPSN",), 12.011e-6 * 86400.0, "gC m-2 d-1"),
    "AR": (("AR",), 86400.0, "gC m-2 d-1"),
    "HR": (("HR",), 86400.0, "gC m-2 d-1"),
    "NEE": (("NEE",), 86400.0, "gC m-2 d-1"),
}
"""Fluxes whose sensitivity to soil moisture can be computed from a history
tape: name -> (history variables summed, factor to the unit, unit). ET and
transpiration from kg m-2 s-1 to mm d-1; GPP (FPSN, CLM4.5 photosynthesis)
from umol CO2 m-2 s-1 to gC m-2 d-1 (12.011 g mol-1); autotrophic
respiration AR, heterotrophic respiration HR (CLM's name, not hydraulic
redistribution) and NEE (positive to the atmosphere) from gC m-2 s-1 to
gC m-2 d-1 (runs with carbon, ``use_carbon``)."""


CARBON_FLUXES = ("AR", "HR", "NEE")
"""Fluxes of the carbon model: in runs with ``use_carbon`` only."""


def _local_days(time, utc_offset):
    return (pd.DatetimeIndex(time) + pd.Timedelta(hours=utc_offset)).normalize()


# ---------------------------------------------------------------------------
# blending

def blend(model, obs, lower=0.0, upper=None):
    """Blend observed soil-moisture snapshots into a model series.

    Parameters
    ----------
    model : xarray.DataArray (time, depth)
        Model volumetric soil moisture [m3 m-3] at the observation depths
        (e.g. :func:`hrclm.evaluate.model_at_depths`).
    obs : xarray.DataArray (time, depth)
        Snapshots [m3 m-3] at any times (NaN where a depth was not observed).
    lower, upper : float or array (depth,)
        Physical bounds of each depth [m3 m-3]: residual water content and
        saturation (porosity); default 0 and no upper bound.

    Returns
    -------
    xarray.Dataset
        ``blended`` (time, depth): model minus the bias interpolated linearly
        in time between snapshots (held constant before the first and after
        the last), clipped to [lower, upper]; ``bias`` (time, depth) used;
        ``snapshot_bias`` (snapshot time, depth) = model - obs at the
        snapshots; ``clipped`` (depth): steps that the bounds changed.
    """
    if "time" not in model.dims or "time" not in obs.dims:
        raise InputError("blend needs model and obs on a time dimension", argument="obs")
    other = [d for d in model.dims if d != "time"]
    model_at_obs = model.interp(time=obs.time)
    snap = (model_at_obs - obs).rename(time="snapshot")
    t_model = model.time.values.astype("datetime64[ns]").astype(np.int64)
    t_snap = snap.snapshot.values.astype("datetime64[ns]").astype(np.int64)

    def interp(b):
        ok = np.isfinite(b)
        if not ok.any():
            return np.zeros(t_model.size)
        return np.interp(t_model, t_snap[ok], b[ok])      # constant outside the snapshots

    bias = xr.apply_ufunc(interp, snap, input_core_dims=[["snapshot"]],
                          output_core_dims=[["time"]], vectorize=True)
    bias = bias.assign_coords(time=model.time).transpose(*model.dims)
    raw = model - bias
    shape = [model.sizes[d] for d in other]

    def bound(value):
        return xr.DataArray(np.broadcast_to(np.asarray(value, float), shape), dims=other)

    blended = raw.clip(min=bound(lower), max=bound(np.inf if upper is None else upper))
    clipped = (blended != raw).sum("time")
    return xr.Dataset({"blended": blended, "bias": bias, "snapshot_bias": snap,
                       "clipped": clipped},
                      attrs={"method": "bias at snapshots interpolated linearly in time, "
                                       "subtracted, clipped to [lower, upper]"})


# ---------------------------------------------------------------------------
# sensitivities

def flux_sensitivity(x_model, x_prescribed, theta_model, theta_prescribed, min_dtheta=1e-3):
    """beta_X = (X(theta_model) - X(theta_prescribed)) / (theta_model - theta_prescribed).

    Inputs are aligned DataArrays (e.g. daily means of a flux and of the
    root-zone soil moisture of a free run and of a run with prescribed soil
    moisture). Where |theta_model - theta_prescribed| < ``min_dtheta``
    [m3 m-3] the sensitivity is NaN (undefined). Units: those of X per
    m3 m-3. X may be any flux: ET, transpiration, GPP, autotrophic or
    heterotrophic respiration, NEE (:func:`run_sensitivity` computes them
    from two runs).
    """
    dtheta = theta_model - theta_prescribed
    beta = (x_model - x_prescribed) / dtheta
    return beta.where(np.abs(dtheta) >= min_dtheta)


def model_flux(ds, name):
    """A flux of :data:`SENSITIVITY_FLUXES` from a history Dataset, in its
    reporting unit (ET and T in mm d-1, GPP, AR, HR and NEE in gC m-2 d-1),
    on the tape's times."""
    if name not in SENSITIVITY_FLUXES:
        raise InputError(f"flux {name!r} is not known; use one of "
                         f"{', '.join(SENSITIVITY_FLUXES)}", argument="flux")
    variables, factor, units = SENSITIVITY_FLUXES[name]
    missing = [v for v in variables if v not in ds]
    if missing:
        need = ("with carbon (use_carbon = .true., the CLM4.5 canopy)" if name in CARBON_FLUXES
                else "with the CLM4.5 canopy")
        raise InputError(f"flux {name} needs {', '.join(missing)} in the model output, which "
                         f"lacks it; give an h0 tape of an hrclm run {need}", argument="flux")
    if name in CARBON_FLUXES and int(ds.attrs.get("use_carbon", 1)) == 0:
        raise InputError(f"flux {name} needs a run with carbon, but this run had "
                         "use_carbon = 0 (or a canopy without photosynthesis)", argument="flux")
    total = sum(ds[v] for v in variables) * factor
    return total.assign_attrs(units=units, long_name=name)


def layer_theta(ds, lo, hi):
    """Thickness-weighted mean of the model's H2OSOI over [lo, hi] m [m3 m-3]."""
    top, bot = ds.zisoi_top.values, ds.zisoi_bot.values
    w = np.clip(np.minimum(bot, hi) - np.maximum(top, lo), 0.0, None)
    if w.sum() <= 0:
        raise InputError(f"the model column does not reach the layer {lo}-{hi} m",
                         argument="layers")
    return (ds.H2OSOI * xr.DataArray(w, dims="levsoi")).sum("levsoi") / w.sum()


def _aggregate(x, timescale, utc_offset):
    local = x.assign_coords(time=x.time + np.timedelta64(int(round(utc_offset * 3600)), "s"))
    if timescale == "daily":
        return local.resample(time="1D").mean()
    if timescale == "annual":
        # a year counts if it holds (nearly) as many steps as the fullest one:
        # the few hours the UTC offset moves into a neighbouring year do not
        count = local.resample(time="YS").count()
        return local.resample(time="YS").mean().where(count >= 0.95 * count.max(), drop=True)
    raise InputError(f"timescale {timescale!r} is not valid; use 'daily' or 'annual'",
                     argument="timescale")


def run_sensitivity(free, prescribed, fluxes=("ET", "T", "GPP"), layers=None,
                    timescale="daily", utc_offset=0.0, min_dtheta=1e-3):
    """Sensitivities beta_X of model fluxes to layer soil moisture, from a free
    run and a run with prescribed soil moisture (``hrclm.run(...,
    soil_moisture=...)``) over the same period.

    Parameters
    ----------
    free, prescribed : xarray.Dataset
        h0 history tapes of the two runs (QVEGT, QVEGE, QSOIL, FPSN, H2OSOI).
    fluxes : sequence of str
        Names in :data:`SENSITIVITY_FLUXES` (ET, T, GPP, AR, HR: heterotrophic
        respiration, NEE); the carbon ones need runs with carbon.
    layers : dict name -> (top, bottom) [m], default :data:`LAYERS`
        (0-10, 10-40 and 0-100 cm).
    timescale : "daily" or "annual"
        Means over local days (``utc_offset`` [h]) or local calendar years
        (only years with at least 95 % of the steps of the fullest one: a run
        shorter than a year gives its own mean).

    Returns
    -------
    xarray.Dataset
        ``beta_<X>`` (layer, time) in the flux's unit per m3 m-3 (e.g.
        mm d-1 per m3 m-3, gC m-2 d-1 per m3 m-3), NaN where the layer's
        soil moisture differs by less than ``min_dtheta``; ``dtheta``
        (layer, time) = theta_free - theta_prescribed [m3 m-3]; and the
        median of each beta over time as attribute ``median_beta_<X>_<layer>``.
    """
    layers = LAYERS if layers is None else layers
    for name in fluxes:
        model_flux(free.isel(time=slice(0, 1)), name)          # refuse unknown / absent fluxes
    if free.sizes["time"] != prescribed.sizes["time"] or not np.array_equal(free.time.values,
                                                                           prescribed.time.values):
        raise InputError("run_sensitivity needs the free and the prescribed run on the same "
                         "times; run both with the same configuration", argument="prescribed")
    agg = lambda x: _aggregate(x, timescale, utc_offset)       # noqa: E731
    names = list(layers)
    dth, out = [], {}
    for lo, hi in layers.values():
        dth.append(agg(layer_theta(free, lo, hi)) - agg(layer_theta(prescribed, lo, hi)))
    dtheta = xr.concat(dth, dim=xr.DataArray(names, dims="layer", name="layer"))
    attrs = {}
    for name in fluxes:
        dx = agg(model_flux(free, name)) - agg(model_flux(prescribed, name))
        beta = (dx / dtheta).where(np.abs(dtheta) >= min_dtheta)
        units = f"{SENSITIVITY_FLUXES[name][2]} per m3 m-3"
        out[f"beta_{name}"] = beta.assign_attrs(units=units, timescale=timescale)
        for layer in names:
            v = beta.sel(layer=layer).values
            attrs[f"median_beta_{name}_{layer}"] = (float(np.nanmedian(v)) if np.isfinite(v).any()
                                                    else float("nan"))
    out["dtheta"] = dtheta.assign_attrs(units="m3 m-3")
    return xr.Dataset(out, attrs={**attrs, "timescale": timescale})


def similar_day_pairs(tair, swdown, precip, rel_tol=0.1, precip_max=1.0):
    """Consecutive days of similar weather: day d and d+1 with daily mean air
    temperature [K] and shortwave [W m-2] within ``rel_tol`` of each other
    (relative to day d) and daily precipitation [mm] at most ``precip_max``
    on both days. Inputs: daily DataArrays on one ``time`` axis. Returns the
    integer positions d of the first day of each pair."""
    t, s, p = (np.asarray(x, dtype=float) for x in (tair, swdown, precip))
    close = lambda a: np.abs(a[1:] - a[:-1]) <= rel_tol * np.abs(a[:-1])   # noqa: E731
    ok = close(t) & close(s) & (p[:-1] <= precip_max) & (p[1:] <= precip_max)
    return np.flatnonzero(ok)


def observed_sensitivity(x, theta, pairs, min_dtheta=1e-3):
    """dX/dtheta from consecutive days of similar weather (``pairs`` from
    :func:`similar_day_pairs`): one estimate per pair, (X[d+1] - X[d]) /
    (theta[d+1] - theta[d]), NaN where theta changed by less than
    ``min_dtheta``. Returns (estimates, median)."""
    x, theta = np.asarray(x, float), np.asarray(theta, float)
    d = np.asarray(pairs, int)
    dtheta = theta[d + 1] - theta[d]
    est = np.where(np.abs(dtheta) >= min_dtheta, (x[d + 1] - x[d]) / np.where(dtheta == 0, 1, dtheta),
                   np.nan)
    return est, float(np.nanmedian(est)) if np.isfinite(est).any() else float("nan")


# ---------------------------------------------------------------------------
# root-zone storage capacity

def srmax(inflow, outflow, return_periods=(2, 5, 10, 20, 40), balance=True, year_start_month=1):
    """Root-zone storage capacity by the mass-curve method.

    Parameters
    ----------
    inflow, outflow : xarray.DataArray (time)
        Daily water input to the root zone (rain + snowmelt) and output (ET
        or transpiration) [mm d-1].
    return_periods : sequence of float
        Years for which Srmax is given.
    balance : bool
        Scale the outflow so that it sums to the inflow over the record
        (the long-term water balance closed, runoff and drainage removed).
    year_start_month : int
        First month of the (hydrological) year over which maxima are taken.

    Returns
    -------
    xarray.Dataset
        ``deficit`` (time) [mm]: the cumulative deficit of outflow over
        inflow, reset to zero whenever inflow catches up; ``annual_max``
        (year) [mm]; ``srmax`` (return_period) [mm] from a Gumbel fit of the
        annual maxima; attributes: the Gumbel location and scale, the
        Kolmogorov-Smirnov statistic and p-value of the fit, the outflow
        scale factor.
    """
    p = np.asarray(inflow, float)
    e = np.asarray(outflow, float)
    if p.shape != e.shape or p.ndim != 1:
        raise InputError("srmax needs inflow and outflow as daily series of the same length",
                         argument="inflow")
    if not (np.all(np.isfinite(p)) and np.all(np.isfinite(e))):
        raise InputError("srmax: inflow and outflow must be finite (fill gaps first)",
                         argument="inflow")
    scale = p.sum() / e.sum() if balance and e.sum() > 0 else 1.0
    deficit = np.empty(p.size)
    d = 0.0
    for i in range(p.size):
        d = max(0.0, d + scale * e[i] - p[i])
        deficit[i] = d
    time = pd.DatetimeIndex(inflow.time.values)
    year = time.year - (time.month < year_start_month).astype(int)
    annual = pd.Series(deficit, index=time).groupby(year).max()
    out = xr.Dataset({"deficit": ("time", deficit, {"units": "mm"}),
                      "annual_max": ("year", annual.values, {"units": "mm"})},
                     coords={"time": inflow.time.values, "year": annual.index.values})
    attrs = {"outflow_scale": float(scale), "method": "mass curve, deficit reset at zero"}
    if annual.size >= 3 and np.ptp(annual.values) == 0:
        # the same maximum every year: no spread to fit, every return period gives it
        rp = np.asarray(return_periods, float)
        out["srmax"] = ("return_period", np.full(rp.size, float(annual.values[0])), {"units": "mm"})
        out = out.assign_coords(return_period=("return_period", rp, {"units": "yr"}))
        attrs["note"] = "the same annual maximum every year: no Gumbel fit needed"
    elif annual.size >= 3:
        loc, sc = stats.gumbel_r.fit(annual.values)
        rp = np.asarray(return_periods, float)
        q = stats.gumbel_r.ppf(1.0 - 1.0 / rp, loc=loc, scale=sc)
        ks = stats.kstest(annual.values, "gumbel_r", args=(loc, sc))
        out["srmax"] = ("return_period", q, {"units": "mm"})
        out = out.assign_coords(return_period=("return_period", rp, {"units": "yr"}))
        attrs.update(gumbel_loc=float(loc), gumbel_scale=float(sc), ks_statistic=float(ks.statistic),
                     ks_pvalue=float(ks.pvalue))
    else:
        attrs["note"] = "fewer than 3 years: no Gumbel fit"
    out.attrs.update(attrs)
    return out


def _daily_total(x, per_second, utc_offset):
    """Daily totals [mm d-1] of a per-step series: a rate [kg m-2 s-1 = mm s-1]
    (``per_second``) times the step, or an amount per step [mm]; local days."""
    t = pd.DatetimeIndex(x.time.values)
    step = (t[1] - t[0]).total_seconds() if t.size > 1 else 86400.0
    amount = np.asarray(x, float) * (step if per_second else 1.0)
    s = pd.Series(amount, index=t + pd.Timedelta(hours=utc_offset))
    total = s.resample("1D").sum(min_count=1)
    count = s.resample("1D").count()
    whole = count >= round(86400.0 / step)
    return total.where(whole)


def srmax_from_run(ds, precip, utc_offset=0.0, **kwargs):
    """Mass-curve Srmax (:func:`srmax`) of a model run: inflow the forcing's
    precipitation (Rainf, all phases; snow counted when it falls), outflow the
    run's ET (QVEGT + QVEGE + QSOIL), both as daily totals over whole local
    days [mm d-1].

    Parameters
    ----------
    ds : xarray.Dataset
        h0 history tape of the run.
    precip : xarray.DataArray (time)
        The forcing's precipitation rate on the run's steps [kg m-2 s-1].

    Returns the :func:`srmax` Dataset (deficits, annual maxima, return
    periods where the run has 3 years or more) [mm].
    """
    et = ds.QVEGT + ds.QVEGE + ds.QSOIL
    p = _daily_total(precip.sel(time=ds.time), True, utc_offset)
    e = _daily_total(et, True, utc_offset)
    keep = p.notna() & e.notna()
    da = lambda v: xr.DataArray(v[keep].values, dims="time", coords={"time": v.index[keep]})  # noqa: E731
    return srmax(da(p), da(e), **kwargs)


SRMAX_MIN_DAYS = 365
"""Shortest record [d] the mass curve is computed from (one annual maximum)."""
SRMAX_MIN_COVERAGE = 0.8
"""Smallest fraction of days with observed ET [-]; the others are filled with
the mean ET of their calendar month."""


def srmax_from_tower(precip, et, utc_offset=0.0, **kwargs):
    """Mass-curve Srmax (:func:`srmax`) from station or tower observations.

    Parameters
    ----------
    precip : xarray.DataArray (time)
        Observed precipitation per record [mm] (e.g. an AmeriFlux BASE P or a
        USCRN hourly total), gap-free (gap-filled) as the readers give it.
    et : xarray.DataArray (time)
        Observed ET [kg m-2 s-1 = mm s-1] (from LE), on any step.

    Returns
    -------
    (xarray.Dataset or None, str)
        The :func:`srmax` Dataset [mm] and an empty string; or None and one
        sentence saying why the record cannot give Srmax (shorter than
        :data:`SRMAX_MIN_DAYS` days, or ET on fewer than
        :data:`SRMAX_MIN_COVERAGE` of the days). Days without ET are filled
        with the mean daily ET of their calendar month (stated in the
        Dataset's ``et_filled_days`` attribute).
    """
    p = _daily_total(precip, False, utc_offset)
    e = _daily_total(et, True, utc_offset).reindex(p.index)
    p = p.dropna()
    if p.size < SRMAX_MIN_DAYS:
        return None, (f"the record has {p.size} whole days of precipitation, fewer than the "
                      f"{SRMAX_MIN_DAYS} the mass curve needs for one annual maximum")
    e = e.reindex(p.index)
    coverage = float(e.notna().mean())
    if coverage < SRMAX_MIN_COVERAGE:
        return None, (f"the tower gives ET on {100 * coverage:.0f} % of the days with "
                      f"precipitation, fewer than the {100 * SRMAX_MIN_COVERAGE:.0f} % the mass "
                      "curve needs")
    filled = int(e.isna().sum())
    e = e.fillna(e.groupby(e.index.month).transform("mean"))
    da = lambda v: xr.DataArray(v.values, dims="time", coords={"time": v.index})  # noqa: E731
    out = srmax(da(p), da(e), **kwargs)
    out.attrs["et_filled_days"] = filled
    return out, ""


def model_root_zone_capacity(config, root_share=0.95):
    """The model's own root-zone storage capacity for a configuration
    (:func:`root_zone_capacity` of each patch of the site, on the model's
    grid and soil): a dict PFT label -> (cover fraction [-], capacity [mm]),
    and "cover-weighted" -> (1, capacity [mm]). It does not depend on HR."""
    from .model import ColumnSetup
    from .roots import zeng_rootfr
    from .sites import get_site
    setup = ColumnSetup(config, get_site(config["site"]))
    out = {}
    for pft, cover in setup.pfts:
        rootfr = zeng_rootfr(setup.grid.zi, pft.ra, pft.rb)
        out[f"PFT {pft.index} {pft.name}"] = (float(cover), root_zone_capacity(
            setup.grid, setup.props, rootfr, pft.smpsc, root_share))
    out["cover-weighted"] = (1.0, float(sum(c * v for c, v in out.values())))
    return out


def root_zone_capacity(grid, props, rootfr, smpsc, root_share=0.95):
    """The model's own root-zone storage capacity [mm]: plant-available water
    between field capacity and the closure potential psi_c of the PFT, over
    the layers holding the top ``root_share`` of the roots (the last of them
    counted by the part of its roots needed to reach the share).

    Parameters
    ----------
    grid : hrclm.soil.SoilGrid
    props : hrclm.soil.SoilProperties (watfc per layer)
    rootfr : array (nlev,)
        Root fractions of one patch [-].
    smpsc : float
        psi_c of the PFT [mm].

    Returns the capacity [mm], comparable with :func:`srmax`.
    """
    rootfr = np.asarray(rootfr, float)
    paw = np.clip(np.asarray(props.watfc) - props.theta(np.full(grid.nlev, float(smpsc))), 0.0,
                  None) * grid.dz * 1000.0
    cum = np.cumsum(rootfr) / rootfr.sum()
    before = np.concatenate([[0.0], cum[:-1]])
    part = np.clip((root_share - before) / np.maximum(cum - before, 1e-300), 0.0, 1.0)
    return float(np.sum(paw * part))


# ---------------------------------------------------------------------------
# sensor temperature

def _diel_anomaly(x, days):
    s = pd.Series(np.asarray(x, float), index=days)
    return s.values - s.groupby(level=0).transform("mean").values


def correct_sensor_temperature(theta, tsoil, rain=None, utc_offset=0.0, dry_days=2,
                               rain_max=0.2):
    """Remove a soil-moisture sensor's apparent temperature sensitivity.

    The diel anomalies (value minus its local-day mean) of soil moisture are
    regressed, through the origin, on those of the co-located soil
    temperature over rain-free days (no more than ``rain_max`` mm on the
    day and the ``dry_days`` days before, if ``rain`` [mm per step] is
    given); the correction removes k x the temperature's diel anomaly, so
    daily means are unchanged and what does not follow temperature (a
    night-time HR rise) survives.

    Parameters
    ----------
    theta, tsoil : xarray.DataArray (time)
        Observed soil moisture [m3 m-3] and soil temperature [K or degC] at
        one sensor, on the same times (hourly or finer).

    Returns
    -------
    xarray.Dataset
        ``corrected`` (time); attributes k [m3 m-3 K-1] and its standard
        error, the number of days used, and the amplitude of the mean diel
        cycle before and after [m3 m-3].
    """
    days = _local_days(theta.time.values, utc_offset)
    ta = _diel_anomaly(tsoil, days)
    wa = _diel_anomaly(theta, days)
    use = np.isfinite(ta) & np.isfinite(wa)
    if rain is not None:
        daily = pd.Series(np.asarray(rain, float), index=days).groupby(level=0).sum()
        wet = daily > rain_max
        recent = wet.rolling(dry_days + 1, min_periods=1).max().astype(bool)
        use &= ~recent.reindex(days).values
    n_days = int(pd.Index(days[use]).nunique())
    if use.sum() < 3 or not np.any(ta[use] != 0):
        raise InputError("correct_sensor_temperature: too few rain-free values with a diel "
                         "temperature cycle to estimate the sensitivity", argument="theta")
    x, y = ta[use], wa[use]
    k = float(np.sum(x * y) / np.sum(x * x))
    resid = y - k * x
    k_se = float(np.sqrt(np.sum(resid ** 2) / (x.size - 1) / np.sum(x * x)))
    corrected = theta - k * xr.DataArray(ta, coords={"time": theta.time}, dims="time")

    def amplitude(v):
        hours = (pd.DatetimeIndex(v.time.values) + pd.Timedelta(hours=utc_offset)).hour
        cycle = pd.Series(v.values, index=hours).groupby(level=0).mean()
        return float(cycle.max() - cycle.min())

    return xr.Dataset({"corrected": corrected},
                      attrs={"k": k, "k_units": "m3 m-3 per unit of tsoil", "k_se": k_se,
                             "n_days": n_days, "diel_amplitude_before": amplitude(theta),
                             "diel_amplitude_after": amplitude(corrected)})
