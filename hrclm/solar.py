"""Solar geometry for the canopy radiation: cosine of the solar zenith angle
and day length.

Declination and equation of time are Spencer's (1971) Fourier series
(J. W. Spencer, "Fourier series representation of the position of the sun",
Search 2(5), 172; the coefficients as tabulated by Iqbal 1983, "An
Introduction to Solar Radiation", ch. 1). Their errors (declination about
0.0006 rad, equation of time under a minute) are far below what matters
for a land model. CLM itself takes the declination from Berger's (1978)
orbital series (shr_orb_mod; CLM4.5 TN eqs. 3.76-3.87) and has no equation
of time; the two declinations agree to a fraction of a degree for the
present orbit.

The day angle is the fractional day of the (Gregorian, UTC) year:
Gamma = 2 pi d / N, with d = 0 at 1 January 00:00 UTC and N = 365 or 366.
"""

import numpy as np

__all__ = ["solar_declination", "equation_of_time", "cos_zenith", "daylength"]

_SECONDS_PER_DAY = 86400.0


def _as_utc(time):
    t = np.asarray(time)
    if not np.issubdtype(t.dtype, np.datetime64):
        raise TypeError(f"time must be numpy datetime64 (UTC), not {t.dtype}")
    return t.astype("datetime64[ms]")


def _day_angle(t):
    """Gamma [rad] of datetime64[ms] times t, and the fraction of the UTC day."""
    year = t.astype("datetime64[Y]")
    start = year.astype("datetime64[ms]")
    ndays = ((year + 1).astype("datetime64[D]") - year.astype("datetime64[D]")).astype(float)
    days = (t - start) / np.timedelta64(1, "D")
    return 2.0 * np.pi * days / ndays, np.mod(days, 1.0)


def solar_declination(time):
    """Solar declination [rad] at numpy datetime64 UTC times (Spencer 1971)."""
    g, _ = _day_angle(_as_utc(time))
    return (0.006918 - 0.399912 * np.cos(g) + 0.070257 * np.sin(g)
            - 0.006758 * np.cos(2 * g) + 0.000907 * np.sin(2 * g)
            - 0.002697 * np.cos(3 * g) + 0.001480 * np.sin(3 * g))


def equation_of_time(time):
    """Equation of time [rad of Earth rotation] (apparent minus mean solar
    time; multiply by 720/pi for minutes) at numpy datetime64 UTC times
    (Spencer 1971)."""
    g, _ = _day_angle(_as_utc(time))
    return (0.000075 + 0.001868 * np.cos(g) - 0.032077 * np.sin(g)
            - 0.014615 * np.cos(2 * g) - 0.040849 * np.sin(2 * g))


def cos_zenith(time, lat, lon, dtime=None):
    """Cosine of the solar zenith angle [-].

    Parameters
    ----------
    time : numpy datetime64 (array-like), UTC
        Start of each model step (or the instant itself when dtime is None).
    lat, lon : float or array [degrees north, degrees east]
        Broadcast against time.
    dtime : float, optional [s]
        Step length. When given, the value is taken at the step's MIDPOINT
        time + dtime/2 (CLM likewise uses one zenith angle per step); it is
        not an average over the step.

    Returns
    -------
    numpy array [-]: mu = sin(lat) sin(decl) + cos(lat) cos(decl) cos(h)
    (CLM4.5 TN eq. 3.76), with the hour angle h from true solar time
    (longitude plus equation of time). Negative when the sun is below the
    horizon; nothing is clipped.
    """
    t = _as_utc(time)
    if dtime is not None:
        t = t + np.timedelta64(int(round(float(dtime) * 500.0)), "ms")
    g, frac = _day_angle(t)
    decl = solar_declination(t)
    eot = equation_of_time(t)
    phi = np.deg2rad(np.asarray(lat, dtype=float))
    hour = 2.0 * np.pi * frac - np.pi + np.deg2rad(np.asarray(lon, dtype=float)) + eot
    return np.sin(phi) * np.sin(decl) + np.cos(phi) * np.cos(decl) * np.cos(hour)


def daylength(time, lat):
    """Day length [s] (sun centre above the geometric horizon, no refraction),
    as in the CLM4.5 day-length factor of Vcmax, f(DYL) = (DYL/DYL_max)^2
    (TN photosynthesis chapter, DYL = 2 * 13750.9871 acos[-sin(lat) sin(decl)
    / (cos(lat) cos(decl))]; equation number not checked against the CLM4.5
    PDF), with the argument clipped to [-1, 1] (0 s in polar night, 86400 s
    in polar day).

    time : numpy datetime64 UTC (the declination is taken at that instant);
    lat : degrees north.
    """
    decl = solar_declination(time)
    phi = np.deg2rad(np.clip(np.asarray(lat, dtype=float), -89.99, 89.99))
    arg = np.clip(-np.tan(phi) * np.tan(decl), -1.0, 1.0)
    return 2.0 * (_SECONDS_PER_DAY / (2.0 * np.pi)) * np.arccos(arg)


#: Obliquity of the ecliptic [rad] (the largest declination), for the longest day
OBLIQUITY = np.deg2rad(23.44)


def dayl_factor(time, lat):
    """CLM4.5 day-length factor of Vcmax, (dayl / dayl_max)**2 bounded to
    [0.01, 1], with dayl_max the day length at the summer solstice of the
    latitude (CLM4.5 CanopyFluxes) [-].

    time : numpy datetime64 UTC; lat : degrees north.
    """
    decl_max = OBLIQUITY if float(np.mean(lat)) >= 0 else -OBLIQUITY
    phi = np.deg2rad(np.clip(np.asarray(lat, dtype=float), -89.99, 89.99))
    arg = np.clip(-np.tan(phi) * np.tan(decl_max), -1.0, 1.0)
    dayl_max = 2.0 * (_SECONDS_PER_DAY / (2.0 * np.pi)) * np.arccos(arg)
    return np.clip((daylength(time, lat) / dayl_max) ** 2, 0.01, 1.0)
