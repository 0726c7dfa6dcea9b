"""Unit conversions and gap filling used by every reader (done once, in the
reader; the model never sees NaN)."""

import numpy as np
import pandas as pd

from ..constants import TFRZ

SIGMA = 5.67e-8          # Stefan-Boltzmann constant [W m-2 K-4]
SOLAR_CONSTANT = 1361.0  # W m-2


def saturation_vapour_pressure(t):
    """Saturation vapour pressure over water [Pa] at temperature t [K] (Tetens)."""
    tc = np.asarray(t) - TFRZ
    return 610.78 * np.exp(17.27 * tc / (np.asarray(t) - 35.86))


def specific_humidity(e, p):
    """Specific humidity [kg kg-1] from vapour pressure e and pressure p [Pa]."""
    return 0.622 * e / (p - 0.378 * e)


def specific_humidity_from_rh(rh, t, p):
    """Specific humidity [kg kg-1] from relative humidity [%], air temperature [K]
    and pressure [Pa]."""
    return specific_humidity(np.clip(rh, 0.0, 100.0) / 100.0 * saturation_vapour_pressure(t), p)


def specific_humidity_from_vpd(vpd, t, p):
    """Specific humidity [kg kg-1] from vapour-pressure deficit [Pa], air
    temperature [K] and pressure [Pa]."""
    e = np.maximum(saturation_vapour_pressure(t) - vpd, 0.0)
    return specific_humidity(e, p)


def pressure_at(elevation):
    """US standard atmosphere pressure [Pa] at elevation [m]."""
    return 101325.0 * (1.0 - 2.25577e-5 * elevation) ** 5.25588


def latent_heat(t):
    """Latent heat of vaporisation [J kg-1] at temperature t [K]
    (Henderson-Sellers 1984 linear form, as the Fortran core uses)."""
    return 2.501e6 - 2361.0 * (np.asarray(t) - TFRZ)


def le_to_et(le, t):
    """Evapotranspiration [kg m-2 s-1 = mm s-1] from latent heat flux [W m-2]
    at air temperature t [K]."""
    return np.asarray(le) / latent_heat(t)


def cos_zenith(time_utc, latitude, longitude):
    """Cosine of the solar zenith angle (>= 0) and the Earth-Sun distance
    factor at UTC times (Spencer 1971 declination and equation of time)."""
    t = pd.DatetimeIndex(time_utc)
    doy = t.day_of_year.values
    hour = t.hour.values + t.minute.values / 60.0
    g = 2.0 * np.pi * (doy - 1) / 365.0
    decl = (0.006918 - 0.399912 * np.cos(g) + 0.070257 * np.sin(g) - 0.006758 * np.cos(2 * g)
            + 0.000907 * np.sin(2 * g) - 0.002697 * np.cos(3 * g) + 0.00148 * np.sin(3 * g))
    eqtime = 229.18 * (0.000075 + 0.001868 * np.cos(g) - 0.032077 * np.sin(g)
                       - 0.014615 * np.cos(2 * g) - 0.040849 * np.sin(2 * g))
    solar_time = hour + (eqtime + 4.0 * longitude) / 60.0
    ha = np.deg2rad(15.0 * (solar_time - 12.0))
    lat = np.deg2rad(latitude)
    mu = np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(ha)
    ecc = (1.000110 + 0.034221 * np.cos(g) + 0.001280 * np.sin(g) + 0.000719 * np.cos(2 * g)
           + 0.000077 * np.sin(2 * g))
    return np.maximum(mu, 0.0), ecc


def clear_sky_shortwave(time_utc, latitude, longitude, elevation, dtime):
    """FAO-56 clear-sky shortwave [W m-2] at the middle of each period."""
    mid = pd.DatetimeIndex(time_utc) + pd.Timedelta(seconds=dtime / 2)
    mu, ecc = cos_zenith(mid, latitude, longitude)
    return SOLAR_CONSTANT * ecc * mu * (0.75 + 2e-5 * elevation)


def longwave_estimate(t, e, swdown, sw_clear, time_local):
    """Incoming longwave [W m-2] where it was not measured.

    Clear-sky emissivity of Brutsaert (1975), 1.24 (e/T)^(1/7) with e in hPa;
    cloud fraction from the day's clearness, c = 1 - sum(SW)/sum(SW_clear)
    (after Crawford & Duchon 1999, applied per local day so that nights take
    the cloudiness of their day), clipped to [0, 1]; eps = (1 - c) eps_clear + c.
    """
    eps_clear = 1.24 * (np.asarray(e) / 100.0 / np.asarray(t)) ** (1.0 / 7.0)
    day = pd.DatetimeIndex(time_local).normalize()
    frame = pd.DataFrame({"sw": np.nan_to_num(swdown), "clear": sw_clear}, index=day)
    daily = frame.groupby(level=0).sum()
    cloud_day = (1.0 - daily.sw / daily.clear.where(daily.clear > 0)).clip(0.0, 1.0).fillna(0.5)
    cloud = cloud_day.reindex(day).values
    return ((1 - cloud) * eps_clear + cloud) * SIGMA * np.asarray(t) ** 4


def fill_gaps(values, time_local, max_interp_steps, zero=False):
    """Fill NaN in a time series; return filled values and the filled fraction.

    Rules: with ``zero`` (precipitation) every gap becomes 0. Otherwise gaps
    of at most ``max_interp_steps`` steps are interpolated linearly; longer
    gaps take the mean diel cycle of the same calendar month of the series
    (hour of local day x month), and any that remain the series mean.
    """
    s = pd.Series(np.asarray(values, dtype=float), index=pd.DatetimeIndex(time_local))
    missing = s.isna()
    frac = float(missing.mean()) if s.size else 0.0
    if not missing.any():
        return s.values, 0.0
    if zero:
        return s.fillna(0.0).values, frac
    interp = pd.Series(s.values).interpolate(limit=max_interp_steps, limit_area="inside",
                                             limit_direction="both")
    # interpolate() with a limit fills part of a long gap; undo that for gaps longer than the limit
    runs = (missing != missing.shift()).cumsum()
    run_len = missing.groupby(runs).transform("sum")
    long_gap = missing & (run_len > max_interp_steps)
    out = pd.Series(interp.values, index=s.index)
    out[long_gap.values] = np.nan
    key = [s.index.month, s.index.hour]
    clim = s.groupby(key).transform("mean")
    out = out.fillna(clim).fillna(s.mean())
    return out.values, frac


# --------------------------------------------------------------------------
# checks of raw input values: refuse what is impossible, count every repair

def one_line(text):
    """A message (e.g. from a library's exception) on one line."""
    return " ".join(str(text).split())


def check_range(values, name, units, lo, hi, where):
    """Raise InputError naming the first value of ``values`` outside [lo, hi]
    (NaN, i.e. missing, is allowed). ``where(i)`` says where record i is
    (file, line and time) for the message."""
    v = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        bad = np.isfinite(v) & ((v < lo) | (v > hi)) | np.isinf(v)
    if bad.any():
        from ..errors import InputError
        i = int(np.argmax(bad))
        more = f" (and {int(bad.sum()) - 1} more values)" if bad.sum() > 1 else ""
        raise InputError(f"{where(i)}: {name} = {v[i]:g} {units} is outside the valid range "
                         f"{lo:g} to {hi:g} {units}{more}", argument=name)


def repair(values, mask, new, key, what, source, repairs):
    """Set ``values[mask]`` to ``new``, count it in ``repairs[key]`` and say so
    with a warning (the command line shows it as 'hrclm: warning: ...')."""
    import warnings
    v = np.array(values, dtype=float)
    n = int(np.count_nonzero(mask))
    repairs[key] = repairs.get(key, 0) + n
    if n:
        v[mask] = new
        warnings.warn(f"{source}: {n} {what} set to {new:g} (attribute {key})", UserWarning,
                      stacklevel=3)
    return v


def reject(values, lo, hi, key, what, source, counts):
    """Observations outside [lo, hi] become missing (NaN), counted in
    ``counts[key]`` and reported as a warning; returns the values."""
    import warnings
    v = np.array(values, dtype=float)
    with np.errstate(invalid="ignore"):
        bad = (v < lo) | (v > hi)
    n = int(bad.sum())
    counts[key] = n
    if n:
        v[bad] = np.nan
        warnings.warn(f"{source}: {n} {what} outside {lo:g} to {hi:g} were rejected (attribute "
                      f"{key})", UserWarning, stacklevel=3)
    return v


def warn_cut_last_line(source, line):
    """Say that a file ends inside its last line (no line break), whose
    record was dropped because it may be cut short (counted by the reader
    in the attribute dropped_cut_rows)."""
    import warnings
    warnings.warn(f"{source} ends inside line {line} (no line break), so that record may be cut "
                  "short; it was dropped (attribute dropped_cut_rows)", UserWarning, stacklevel=3)
