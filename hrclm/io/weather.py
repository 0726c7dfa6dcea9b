"""A stochastic weather generator: sub-daily forcing from a site's monthly
climate normals, deterministic for a given seed.

Time: the generator makes whole calendar years in UTC, like the forcing the
readers give: ``nyears`` from ``start_year`` cover
``start_year``-01-01T00:00 UTC up to (not including) ``start_year + nyears``-01-01
UTC, one value per step of ``dtime``, each stamped with the start of its period.
Local standard time (the site's ``utc_offset``) is used only for what follows
the sun's local clock: the diurnal cycles of temperature and wind, the storm
hours, and which local day (wet or dry, warm or cold) a step belongs to. Solar
geometry is computed from UTC.

Each calendar year has its own random stream,
``numpy.random.default_rng([seed, year])``, so a year's weather is the same
whether it is generated alone or as part of a longer run starting earlier (or
later). Because a UTC year of a site off UTC touches a few hours of the local
day before 1 January or after 31 December, each year's stream makes the daily
weather of its local days from 31 December of the year before to 1 January of
the year after (one extra local day at each end), and the steps of that UTC
year take from it only what they need. The year boundary (UTC midnight) is
therefore where one year's stream hands over to the next: the weather there
may jump, and a storm in progress is cut off.

Method (each step documented so that a run can be reproduced and judged):

* Wet days: first-order Markov chain per month with unconditional wet-day
  probability ``wetfrac`` and lag-1 persistence r = 0.3: P(wet | wet) =
  pi + r (1 - pi), P(wet | dry) = pi (1 - r) (Richardson 1981 form). The
  chain starts fresh each year: the day before its first day (the extra
  31 December) counts as dry.
* Amount on a wet day: exponential with mean P_month / (pi * days), so the
  expected monthly total is the normal; it falls in one 3-hour storm starting
  at a random local hour (0-21 h, so the storm ends within its local day).
* Daily mean temperature: the monthly normal interpolated to the day plus an
  AR(1) anomaly (phi = 0.7, standard deviation 2.5 K), which starts fresh each
  year at 0 on its first day (the extra 31 December); daily range from the
  normal, 0.6 times that on wet days. Diurnal cycle: cosine with its maximum
  at 15:00 local standard time.
* Shortwave: extraterrestrial radiation from solar geometry (declination and
  eccentricity after Spencer 1971) times the FAO-56 clear-sky transmissivity
  0.75 + 2e-5 elevation (Allen et al. 1998, eq. 37), times 0.4 on wet days.
* Humidity: daily vapour pressure from the monthly relative humidity at the
  daily mean temperature (+10 % RH on wet days), never above saturation.
* Longwave: Brutsaert (1975) clear-sky emissivity 1.24 (e/T)^(1/7) (e in hPa),
  cloud fraction 0.8 on wet days and 0.1 on dry days, cloudy sky emitting as a
  black body: eps = (1 - c) eps_clear + c.
* Wind: the site's mean wind times a daily gamma factor (shape 4) and a
  diurnal factor 1 + 0.3 sin, strongest in the afternoon (15:00 local).
* Pressure: US standard atmosphere at the site elevation; CO2 constant.

The output is clearly labelled as generated in its attributes.
"""

import numpy as np
import pandas as pd
import xarray as xr

from ..constants import TFRZ
from ..errors import InputError
from ..variables import FORCING_VARIABLES
from .convert import SOLAR_CONSTANT, cos_zenith, pressure_at, saturation_vapour_pressure, specific_humidity

PERSISTENCE = 0.3
STORM_HOURS = 3.0


def generate_forcing(site, start_year, nyears, dtime=1800.0, seed=42, co2=400.0):
    """Generate sub-daily forcing for a registered site.

    Parameters
    ----------
    site : hrclm.sites.Site
        Site with monthly climate normals (tmean, trange [degC], precip [mm],
        wetfrac [-], rh [%], wind [m s-1]) and its ``utc_offset`` [h] of local
        standard time.
    start_year, nyears : int
        Calendar years to generate (UTC): from ``start_year``-01-01T00:00 UTC
        up to, not including, ``start_year + nyears``-01-01T00:00 UTC.
    dtime : float
        Step [s]; must divide one hour or one day evenly.
    seed : int
        Random seed (>= 0). Each year Y draws from
        ``numpy.random.default_rng([seed, Y])``: the same seed gives the same
        forcing, and year Y the same weather whatever the run it is part of.
    co2 : float
        Atmospheric CO2 [ppm].

    Returns
    -------
    xarray.Dataset
        The forcing variables of :data:`FORCING_VARIABLES` on ``time`` (UTC,
        period start), labelled as generated.
    """
    if not (86400.0 % dtime == 0 or 3600.0 % dtime == 0):
        raise ValueError(f"dtime = {dtime} s does not divide a day evenly")
    if not site.climate:
        raise InputError(f"site {site.id} has no [climate] monthly normals in {site.file}, and "
                         "the weather generator needs them; add them to the site file or give "
                         "tower forcing (forcing = 'file')", argument="forcing")
    if nyears < 1:
        raise ValueError(f"nyears = {nyears}: generate at least one calendar year")
    if not -24.0 < site.utc_offset < 24.0:
        raise InputError(f"site {site.id} has utc_offset = {site.utc_offset} h in {site.file}; "
                         "local standard time is within 24 h of UTC (give hours, e.g. -7)",
                         argument="site")
    years = [_generate_year(site, year, dtime, seed)
             for year in range(start_year, start_year + nyears)]
    time_utc = np.concatenate([t for t, _ in years])
    data = {k: np.concatenate([d[k] for _, d in years]) for k in FORCING_VARIABLES if k != "CO2air"}
    data["CO2air"] = np.full(time_utc.size, float(co2))
    ds = xr.Dataset({k: ("time", data[k], {"units": FORCING_VARIABLES[k][0],
                                           "standard_name": FORCING_VARIABLES[k][1]})
                     for k in FORCING_VARIABLES},
                    coords={"time": ("time", time_utc,
                                     {"long_name": "start of the period, UTC"})})
    ds.attrs.update(
        generated=1, product="hrclm weather generator (hrclm.io.weather)",
        source=f"monthly climate normals of site {site.id} in {site.file}",
        title=f"GENERATED forcing for {site.id}, not observations",
        site=site.id, utc_offset=float(site.utc_offset), seed=int(seed), dtime=float(dtime),
        start_year=int(start_year), nyears=int(nyears))
    return ds


def _generate_year(site, year, dtime, seed):
    """One calendar year (UTC) from its own random stream, ``default_rng([seed, year])``.

    Returns the UTC period starts (datetime64[ns]) and a dict of the forcing
    variables except CO2air.
    """
    rng = np.random.default_rng([seed, year])
    clim = site.climate
    time_utc = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01",
                             freq=pd.Timedelta(seconds=dtime), inclusive="left")
    local = time_utc + pd.Timedelta(hours=site.utc_offset)       # local standard time
    # the local days this UTC year touches: 31 Dec of the year before to 1 Jan of the next
    days = pd.date_range(pd.Timestamp(f"{year}-01-01") - pd.Timedelta(days=1),
                         f"{year + 1}-01-01", freq="D")
    nday = days.size
    month = days.month.values - 1
    dim = days.days_in_month.values

    # wet days: first-order Markov chain, the day before the first counted as dry
    pi = np.asarray(clim["wetfrac"], float)[month]
    wet = np.zeros(nday, bool)
    u = rng.random(nday)
    for d in range(nday):
        p = pi[d] + PERSISTENCE * (1 - pi[d]) if (d > 0 and wet[d - 1]) else pi[d] * (1 - PERSISTENCE)
        wet[d] = u[d] < p
    mean_amount = np.asarray(clim["precip"], float)[month] / np.maximum(pi * dim, 1e-9)
    amount = np.where(wet, rng.exponential(1.0, nday) * mean_amount, 0.0)     # mm/day
    storm_start = rng.uniform(0.0, 24.0 - STORM_HOURS, nday)                 # local hour

    # daily temperature: AR(1) anomaly starting at 0 on the first day
    doy = days.day_of_year.values
    mid = np.array([15.5, 45, 74.5, 105, 135.5, 166, 196.5, 227.5, 258, 288.5, 319, 349.5])
    tnorm = np.interp(doy, mid, np.asarray(clim["tmean"], float), period=365.25)
    anom = np.zeros(nday)
    eps = rng.normal(0.0, 2.5 * np.sqrt(1 - 0.7 ** 2), nday)
    for d in range(1, nday):
        anom[d] = 0.7 * anom[d - 1] + eps[d]
    tday = tnorm + anom + TFRZ
    dtr = np.interp(doy, mid, np.asarray(clim["trange"], float), period=365.25) * np.where(wet, 0.6, 1.0)
    rh = np.minimum(100.0, np.interp(doy, mid, np.asarray(clim["rh"], float), period=365.25)
                    + np.where(wet, 10.0, 0.0))
    e_day = rh / 100.0 * saturation_vapour_pressure(tday)
    wind_day = float(clim.get("wind", 2.0)) * rng.gamma(4.0, 0.25, nday)

    # to steps: local day and local hour (mid-step) of each UTC step
    iday = (local.normalize() - days[0]).days.values
    hour = local.hour.values + local.minute.values / 60.0 + 0.5 * dtime / 3600.0
    tair = tday[iday] + 0.5 * dtr[iday] * np.cos(2 * np.pi * (hour - 15.0) / 24.0)
    psurf = np.full(time_utc.size, pressure_at(site.elevation))
    e = np.minimum(e_day[iday], saturation_vapour_pressure(tair))
    qair = specific_humidity(e, psurf)
    in_storm = (hour >= storm_start[iday]) & (hour < storm_start[iday] + STORM_HOURS)
    rainf = np.where(in_storm, amount[iday] / (STORM_HOURS * 3600.0), 0.0)
    mu, ecc = cos_zenith(time_utc + pd.Timedelta(seconds=dtime / 2), site.latitude, site.longitude)
    tau = (0.75 + 2e-5 * site.elevation) * np.where(wet[iday], 0.4, 1.0)
    swdown = SOLAR_CONSTANT * ecc * mu * tau
    cloud = np.where(wet[iday], 0.8, 0.1)
    eps_clear = 1.24 * (e / 100.0 / tair) ** (1.0 / 7.0)
    lwdown = ((1 - cloud) * eps_clear + cloud) * 5.67e-8 * tair ** 4
    wind = wind_day[iday] * (1.0 + 0.3 * np.sin(2 * np.pi * (hour - 9.0) / 24.0))
    return time_utc.values, dict(Tair=tair, Qair=qair, Psurf=psurf, Wind=wind, SWdown=swdown,
                                 LWdown=lwdown, Rainf=rainf)
