"""hrclm side by side with SOILWAT2 on SOILWAT2's bundled example site.

Run (from the project root; about 15 s, plus about 15 s the first time to
build SOILWAT2):

    .venv/bin/python bench/soilwat2.py [--workdir DIR] [--rain-start 14 --rain-hours 3]

SOILWAT2 (DrylandEcology/SOILWAT2, GPL-3.0) is a daily-step peer model with
Ryel et al. (2002) hydraulic redistribution (HR). It is run as a separate
program through ``../shared/peers/soilwat2/run.sh`` (built once in
``--workdir``, default ``$TMPDIR/hrclm_bench_soilwat2``); this script only
reads its input files and its output CSVs, none of its code.

Both models run the example's 31 years (1980-2010) with HR off and on; the
report covers 1981-2010 (SOILWAT2 starts 1980 from -1.5 MPa without spin-up;
hrclm spins up on 1980). hrclm runs a second time, HR off and on, with
SOILWAT2's root fractions instead of its own (a sensitivity run: the site file
has no root-profile entry, so every patch's Zeng profile is replaced for that
run, see ``prescribed_roots``). Printed: the mapping; annual ET,
transpiration, evaporation, drainage and their change from HR; annual HR
moved (mm, up and down separately) and the net HR flux across each layer
bottom; a monthly water budget; monthly mean HR by layer; monthly matric
potential; run time per site-year; and every quantity of the annual table
(and every month of HR moved) on which the two models differ by more than a
factor of 2, with the explanation, quoting numbers of this run.

How SOILWAT2's site becomes an hrclm site (a TOML file written at run time
into a temporary folder named in ``HRCLM_SITE_PATH``, site id ``SW2-EX``)
-------------------------------------------------------------------------
Location (``Input/modelrun.in``): latitude, longitude and elevation as given
(39.59 N, 105.58 W, 1000 m); ``utc_offset`` = round(longitude / 15) = -7 h
(mountain standard time; SOILWAT2 has no clock, its days are taken as local
standard days).

Vegetation (``Input/veg.in``; covers grasses, shrubs, trees, forbs, bare
ground 0.2 each):

* trees  -> CLM4.5 PFT 1, needleleaf evergreen temperate tree (SOILWAT2's
  tree type is parameterised as an evergreen needleleaf forest: its albedo
  and interception are for 'evergreen needle forest', its biomass constant);
* shrubs -> PFT 10, broadleaf deciduous temperate shrub (SOILWAT2's shrub is
  big sagebrush, with a strongly seasonal live fraction);
* grasses -> PFT 13, C3 non-arctic grass (39.6 N; SOILWAT2 does not tell C3
  from C4, and PFTs 12-14 have the same hrclm parameters);
* forbs  -> PFT 13 as well (CLM4.5 has no forb PFT);
* bare ground: no PFT (hrclm normalises PFT covers to 1); it enters only
  through the grid-mean leaf area index below.

So the TOML has PFT 1: 0.2, PFT 10: 0.2, PFT 13: 0.4 (hrclm uses 0.25, 0.25,
0.5 of the vegetated part for the cover-weighted parameters and roots).
Leaf area index: SOILWAT2's own daily grid-mean LAI (output BIOMASS_LAI_total
of the HR-off run: cover x live biomass x CO2 multiplier / LAI_conv, summed
over types), averaged by calendar month over 1980-2010. Canopy height: the
cover-weighted mean of SOILWAT2's constant heights (trees 12 m, shrubs
0.5 m) and of grasses and forbs (taken as 0.3 m; SOILWAT2 makes theirs a
function of biomass); measurement height: canopy height + 2 m (SOILWAT2's
wind is a 2 m wind; it is used there without a profile correction).

Roots: hrclm has no way to take a root profile from a site file; it uses the
Zeng (2001) profiles of the mapped PFTs (cover-weighted). SOILWAT2 uses its
``trco`` columns of ``Input/soils.in``. Both are printed side by side.

Soil (``Input/soils.in``): the same 8 layers (0-5, 5-10, 10-20, 20-30, 30-40,
40-60, 60-80, 80-100 cm) through the namelist option ``layer_dz``, and the
same sand and clay per layer (one ``[[soil]]`` horizon per layer). Not
carried over: gravel (10-20 % of the volume in SOILWAT2, which removes that
much water capacity; hrclm has no gravel) and bulk density (hrclm's CLM4.5
pedotransfer functions use texture only). Both use Campbell/Clapp-Hornberger
retention curves with parameters from texture (SOILWAT2: its
"Cosby1984AndOthers" pedotransfer functions; hrclm: CLM4.5's, also after
Cosby et al. 1984), not necessarily the same regressions. Lower boundary: hrclm
``lower_bc = 'free_drainage'`` (SOILWAT2 has ``deepdrain = 1``: gravity
drainage out of the lowest layer).

HR parameters (``Input/veg.in``; the same for all four types): maxCondroot
-0.2328 cm/(-bar)/day = 0.2328 cm bar-1 d-1 = 2.328 cm MPa-1 d-1 =
0.097 cm MPa-1 h-1 (SOILWAT2 multiplies by 10/24 for a fixed 10-hour night);
swp50 10 (-bar) = -1.0 MPa; shapeCond 3.22. SOILWAT2 runs HR once per
vegetation type (with its own roots) and scales each type's flux by its cover,
so the column's conductance is sum(cover x maxCondroot) = 0.8 x 0.097 =
0.0776 cm MPa-1 h-1 = ``hr_crt``; ``hr_psi50`` = -1.0 MPa, ``hr_b`` = 3.22.
(hrclm takes one HR parameter set per column; the types share one here, so
nothing is lost but the per-type root profiles.) SOILWAT2's rules:
``hr_rx_rule = 'source'``, ``hr_thickness_rule = 'soilwat2'``,
``hr_top_layer = .false.``. hrclm runs HR on every 30-min step of night
(default ``hr_night_rule = 'both'``: transpiration and absorbed shortwave
below their thresholds) with the air above 0 C (``hr_tair_min``): 8-11 h a
day from May to October, 1-4 h from November to March here; SOILWAT2 applies
one day's flux worth 10 h on every day with unfrozen layers (HR is printed in
hours per day by month).

CO2: the yearly series of the scenario named in ``siteparam.in`` (RCP85) from
``Input/carbon.in`` as ``CO2air``.

Weather: SOILWAT2's daily inputs disaggregated to 30-min (UTC period starts)
--------------------------------------------------------------------------
Inputs: daily Tmax, Tmin [C] and precipitation [cm] (``Input/data_weather``),
monthly sky cover [%], wind [m s-1] and relative humidity [%]
(``Input/climate.in``); monthly values are interpolated linearly between
mid-month days (periodic) to each day, as SOILWAT2 also interpolates them.
Each 30-min step belongs to the local standard day holding its start.

* Air temperature: Tmin at sunrise, Tmax at 15:00 local standard time;
  between these anchors (sunrise -> 15:00 -> next day's sunrise) a half
  cosine, T = T0 + (T1 - T0) (1 - cos(pi f)) / 2, f the fraction of the
  interval elapsed at mid-step. Sunrise from the Spencer (1971) declination
  and equation of time.
* Shortwave: extraterrestrial irradiance on a horizontal surface at mid-step
  (``hrclm.io.convert.cos_zenith``, ``SOLAR_CONSTANT``) times the
  Angstrom-Prescott transmissivity a + b (1 - sky cover), a = 0.25, b = 0.50
  (FAO-56, Allen et al. 1998, eq. 35, sunshine fraction taken as 1 - sky
  cover). The daily totals are compared with SOILWAT2's own (PET_H_gh).
* Humidity: vapour pressure of the day = RH_month x e_sat(daily mean of Tmax
  and Tmin), constant through the day, capped at saturation of each step's
  temperature; to specific humidity at the pressure below.
* Longwave: Brutsaert (1975) clear-sky emissivity 1.24 (e / T)^(1/7) (e in
  hPa), sky cover c as black-body cloud: eps = (1 - c) eps_clear + c.
* Wind: the interpolated monthly value, constant through the day.
* Precipitation: the day's total falls evenly over 3 hours from 14:00 local
  standard time (``--rain-start``, ``--rain-hours`` change this). hrclm makes
  it snow when the air is below 0 C at the step; SOILWAT2 makes a whole day's
  precipitation snow when its daily mean temperature is below 0.61 C, so in
  the warm afternoon hours hrclm gets about half of SOILWAT2's snow (rain over
  24 h gives about the same snow as SOILWAT2; HR barely changes).
* Pressure: US standard atmosphere at the site's elevation
  (``hrclm.io.convert.pressure_at``).

HR measures (the same for both models, from daily net HR per layer, mm d-1,
positive into the layer: SOILWAT2's HYDRED_total, hrclm's daily mean QHR x
86400; hrclm's days are UTC days, 17:00-17:00 local, each holding one whole
night)
-------------------------------------------------------------------------
* moved: water received by HR, sum over layers of the positive daily net
  flux, summed over the year.
* up / down: each day, each receiving layer's gain is attributed to the losing
  layers in proportion to their losses; gains from deeper layers count as up,
  from shallower ones as down (up + down = moved).
* net flux across a depth: the sum of the daily net HR of the layers above it
  (positive: net upward that day); its positive and negative days are summed
  separately per year.
ET, transpiration: SOILWAT2's AET_evapotr_cm and AET_tran_cm (x 10 mm); hrclm's
QVEGT + QVEGE + QSOIL and QVEGT (x 86400 x days).

Run time: SOILWAT2 as the wall time run.sh reports for the binary (31
site-years, no spin-up), with the daily output this comparison reads (one run)
and with yearly output only (best of 3); hrclm as time.perf_counter() around hrclm.run (spin-up
included; per site-year both of the 31 reported years alone and counting the
spin-up cycles).
"""

import argparse
import contextlib
import math
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

ROOT = Path(__file__).resolve().parent.parent
RUN_SH = ROOT.parent / "shared" / "peers" / "soilwat2" / "run.sh"
SITE_ID = "SW2-EX"
VEG_TYPES = ("grass", "shrub", "tree", "forb")          # column order of soils.in and veg.in
PFT_OF = {"tree": 1, "shrub": 10, "grass": 13, "forb": 13}
HEIGHT_GRASS_FORB = 0.3      # m, canopy height taken for grasses and forbs
ANGSTROM_A, ANGSTROM_B = 0.25, 0.50
TMAX_HOUR = 15.0             # local standard time of the daily maximum temperature
RAIN_START, RAIN_HOURS = 14.0, 3.0
DTIME = 1800.0
FIRST_REPORT_YEAR = 1981
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# ---------------------------------------------------------------------------
# SOILWAT2: run and read

def run_soilwat2(workdir, hr, output="full"):
    """Run SOILWAT2's example through run.sh; (case folder, wall time of the
    binary [s] as run.sh reports it)."""
    proc = subprocess.run(["bash", str(RUN_SH), str(workdir), str(int(hr)), output],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"run.sh failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    found = re.search(r"wall ([0-9.]+) s", proc.stdout + proc.stderr)
    return Path(workdir) / f"run_hr{int(hr)}_{output}", float(found.group(1))


def _data_lines(path):
    """Lines of a SOILWAT2 input file without comments, blank lines dropped."""
    lines = (line.split("#", 1)[0].strip() for line in Path(path).read_text().splitlines())
    return [line for line in lines if line]


def _commented_value(path, key):
    """The numbers on the line whose comment contains ``key``."""
    for line in Path(path).read_text().splitlines():
        if "#" in line and key in line.split("#", 1)[1]:
            return [float(x) for x in line.split("#", 1)[0].split()]
    raise ValueError(f"{path}: no line commented {key!r}")


def read_soils(path):
    """soils.in as a DataFrame: depth [cm], gravel, sand, clay [fraction] and
    trco of each vegetation type, one row per layer."""
    cols = ["depth", "matricd", "gravel", "evco"] + [f"trco_{v}" for v in VEG_TYPES] + \
           ["sand", "clay", "imperm", "soiltemp", "om"]
    rows = [[float(x) for x in line.split()] for line in _data_lines(path)]
    soil = pd.DataFrame(rows, columns=cols)
    soil["dz"] = np.diff(np.r_[0.0, soil.depth])
    return soil


def read_veg(path):
    """Cover, HR parameters and constant canopy heights per vegetation type."""
    data = _data_lines(path)
    cover = dict(zip(VEG_TYPES + ("bare",), (float(x) for x in data[1].split())))
    hr = {name: dict(zip(VEG_TYPES, _commented_value(path, key)))
          for name, key in (("flag", "flag to turn on/off"), ("maxCondroot", "maxCondroot"),
                            ("swp50", "swp50"), ("shapeCond", "shapeCond"))}
    height = dict(zip(VEG_TYPES, (h / 100.0 for h in
                                  _commented_value(path, "constant canopy height"))))
    return cover, hr, height


def read_climate(path):
    """Monthly sky cover [%], wind [m s-1], relative humidity [%] (climate.in)."""
    rows = [[float(x) for x in line.split()] for line in _data_lines(path)]
    return {"sky": np.array(rows[0]), "wind": np.array(rows[1]), "rh": np.array(rows[2])}


def read_site(modelrun, siteparam):
    """Longitude, latitude, elevation (modelrun.in) and the CO2 scenario name
    (siteparam.in)."""
    lon = _commented_value(modelrun, "longitude")[0]
    lat = _commented_value(modelrun, "latitude")[0]
    elev = _commented_value(modelrun, "elevation")[0]
    lines = Path(siteparam).read_text().splitlines()
    i = next(k for k, line in enumerate(lines) if "Name of CO2 scenario" in line)
    scenario = next(line.split("#")[0].strip() for line in lines[i + 1:]
                    if line.split("#")[0].strip())
    return dict(longitude=lon, latitude=lat, elevation=elev, co2_scenario=scenario)


def read_co2(path, scenario):
    """Yearly CO2 [ppm] of one scenario of carbon.in."""
    co2, inside = {}, False
    for line in _data_lines(path):
        a, b = line.split()[:2]
        if a == "0":
            inside = b == scenario
        elif inside:
            co2[int(a)] = float(b)
    return pd.Series(co2)


def read_weather(folder, years):
    """Daily Tmax, Tmin [C] and precipitation [mm] on local dates."""
    frames = []
    for year in years:
        rows = [[float(x) for x in line.split()] for line in
                _data_lines(Path(folder) / f"weath.{year}")]
        d = pd.DataFrame(rows, columns=["doy", "tmax", "tmin", "ppt"])
        d.index = pd.Timestamp(year=year, month=1, day=1) + pd.to_timedelta(d.doy - 1, unit="D")
        frames.append(d)
    w = pd.concat(frames)
    w["ppt"] *= 10.0                                    # cm -> mm
    return w[["tmax", "tmin", "ppt"]]


def read_years(path):
    text = Path(path).read_text()
    first = int(re.search(r"^StartYear\s+(\d+)", text, re.M).group(1))
    last = int(re.search(r"^EndYear\s+(\d+)", text, re.M).group(1))
    return list(range(first, last + 1))


def read_inputs(case):
    """Everything of SOILWAT2's example site that the hrclm site needs."""
    inp = Path(case) / "Input"
    site = read_site(inp / "modelrun.in", inp / "siteparam.in")
    years = read_years(inp / "domain.in")
    cover, hr, height = read_veg(inp / "veg.in")
    return dict(site=site, years=years, soil=read_soils(inp / "soils.in"), cover=cover, hr=hr,
                height=height, climate=read_climate(inp / "climate.in"),
                co2=read_co2(inp / "carbon.in", site["co2_scenario"]),
                weather=read_weather(inp / "data_weather", years))


def read_soilwat2_daily(case, nlayer):
    """Daily SOILWAT2 output on local dates: a frame of ET, T, drainage out of
    the lowest layer, runoff, snowfall [mm d-1], snow water equivalent [mm], global
    horizontal irradiation [MJ m-2 d-1] and LAI; per layer HR [mm d-1] and
    matric potential [MPa]."""
    out = Path(case) / "Output"
    d = pd.read_csv(out / "sw2_daily.csv")
    s = pd.read_csv(out / "sw2_daily_slyrs.csv")
    date = pd.to_datetime(d.Year.astype(str)) + pd.to_timedelta(d.Day - 1, unit="D")
    daily = pd.DataFrame({"et": d.AET_evapotr_cm.values * 10, "t": d.AET_tran_cm.values * 10,
                          "drain": d.DEEPSWC_lowLayerDrain_cm.values * 10,
                          "runoff": d.RUNOFF_net.values * 10,
                          "swe": d.SNOWPACK_snowpackWaterEquivalent_cm.values * 10,
                          "snowfall": d.PRECIP_snow_fall.values * 10,
                          "h_gh": d["PET_H_gh_MJm-2"].values, "lai": d.BIOMASS_LAI_total.values},
                         index=date)
    lay = range(1, nlayer + 1)
    hr = pd.DataFrame(s[[f"HYDRED_total_Lyr_{k}" for k in lay]].values * 10, index=date)
    psi = pd.DataFrame(s[[f"SWPMATRIC_Lyr_{k}" for k in lay]].values * -0.1, index=date)
    return daily, hr, psi


# ---------------------------------------------------------------------------
# the hrclm site

def utc_offset(longitude):
    return float(round(longitude / 15.0))


def canopy_height(cover, height):
    h = {v: (height[v] if height[v] > 0 else HEIGHT_GRASS_FORB) for v in VEG_TYPES}
    return sum(cover[v] * h[v] for v in VEG_TYPES) / sum(cover[v] for v in VEG_TYPES)


def monthly_lai(daily_lai):
    return daily_lai.groupby(daily_lai.index.month).mean().values


def site_toml(inputs, lai):
    """The hrclm site file (TOML text) for SOILWAT2's example."""
    s, soil, cover = inputs["site"], inputs["soil"], inputs["cover"]
    htop = canopy_height(cover, inputs["height"])
    pft = {}
    for v in VEG_TYPES:
        pft[PFT_OF[v]] = pft.get(PFT_OF[v], 0.0) + cover[v]
    lines = [
        f'id = "{SITE_ID}"',
        'name = "SOILWAT2 bundled example site (tests/example), generated by bench/soilwat2.py"',
        f"latitude = {s['latitude']}", f"longitude = {s['longitude']}",
        f"elevation = {s['elevation']}", f"utc_offset = {utc_offset(s['longitude'])}",
        'igbp = "SAV"', f"canopy_height = {htop:.3f}", f"measurement_height = {htop + 2.0:.3f}",
        f"lai = [{', '.join(f'{x:.4f}' for x in lai)}]", ""]
    for index, fraction in pft.items():
        lines += ["[[pft]]", f"index = {index}", f"fraction = {fraction}", ""]
    top = 0.0
    for _, row in soil.iterrows():
        lines += ["[[soil]]", f"top = {top / 100:.3f}", f"bottom = {row.depth / 100:.3f}",
                  f"sand = {row.sand * 100:.1f}", f"clay = {row.clay * 100:.1f}", ""]
        top = row.depth
    lines += ["[sources]",
              'location = "SOILWAT2 tests/example/Input/modelrun.in; utc_offset from longitude"',
              'pft = "SOILWAT2 veg.in covers: tree->1, shrub->10, grass and forb->13; bare ground dropped"',
              'lai = "SOILWAT2 output BIOMASS_LAI_total (HR off), monthly means 1980-2010"',
              'soil = "SOILWAT2 soils.in sand and clay per layer"',
              'canopy_height = "cover-weighted SOILWAT2 veg.in heights, grass and forb 0.3 m"',
              'measurement_height = "canopy height + 2 m"']
    return "\n".join(lines) + "\n"


def hr_options(inputs):
    """hrclm's HR options from SOILWAT2's veg.in (see the module docstring).

    hr_crt is the cover-weighted sum of maxCondroot, converted from cm per
    (-bar) per day to cm MPa-1 h-1 (x 10 bar/MPa / 24 h/d): hrclm weights each
    patch's HR by its cover within the vegetation (the covers sum to 1), so
    the vegetated fraction 0.8 of SOILWAT2 enters through hr_crt; hr_psi50
    and hr_b are cover-weighted means (the example's four types share one
    set). run.sh switches HR on or off for all four types together, so every
    PFT of the site redistributes (hr_pfts; hrclm's default is woody PFTs only).
    """
    hr, cover = inputs["hr"], inputs["cover"]
    veg = sum(cover[v] for v in VEG_TYPES)
    return dict(hr_crt=sum(cover[v] * -hr["maxCondroot"][v] * 10.0 / 24.0 for v in VEG_TYPES),
                hr_psi50=sum(cover[v] * -0.1 * hr["swp50"][v] for v in VEG_TYPES) / veg,
                hr_b=sum(cover[v] * hr["shapeCond"][v] for v in VEG_TYPES) / veg,
                hr_rx_rule="source", hr_thickness_rule="soilwat2", hr_top_layer=False,
                hr_pfts=sorted(set(PFT_OF.values())))


# ---------------------------------------------------------------------------
# weather: daily -> 30 min

def spencer(doy):
    """Solar declination [rad] and equation of time [min] (Spencer 1971)."""
    g = 2.0 * np.pi * (np.asarray(doy) - 1) / 365.0
    decl = (0.006918 - 0.399912 * np.cos(g) + 0.070257 * np.sin(g) - 0.006758 * np.cos(2 * g)
            + 0.000907 * np.sin(2 * g) - 0.002697 * np.cos(3 * g) + 0.00148 * np.sin(3 * g))
    eqt = 229.18 * (0.000075 + 0.001868 * np.cos(g) - 0.032077 * np.sin(g)
                    - 0.014615 * np.cos(2 * g) - 0.040849 * np.sin(2 * g))
    return decl, eqt


def sunrise_hour(days, latitude, longitude, offset):
    """Local standard time of sunrise [h] on each day."""
    decl, eqt = spencer(days.day_of_year.values)
    x = np.clip(-np.tan(np.deg2rad(latitude)) * np.tan(decl), -1.0, 1.0)
    half_day = np.rad2deg(np.arccos(x)) / 15.0
    clock_minus_solar = -(4.0 * (longitude - 15.0 * offset) + eqt) / 60.0
    return 12.0 - half_day + clock_minus_solar


def daily_from_monthly(days, monthly):
    """Monthly values interpolated linearly between mid-month days (periodic)."""
    mid = np.array([15.5, 45.0, 74.5, 105.0, 135.5, 166.0, 196.5, 227.5, 258.0, 288.5,
                    319.0, 349.5])
    return np.interp(days.day_of_year.values, mid, np.asarray(monthly, float), period=365.25)


def air_temperature(hours, days, tmax, tmin, sunrise):
    """Half-cosine between Tmin at sunrise and Tmax at TMAX_HOUR [C]; ``hours``
    are mid-step local hours counted from the first day's midnight."""
    start = np.arange(days.size) * 24.0
    t_anchor = np.ravel(np.column_stack([start + sunrise, start + TMAX_HOUR]))
    v_anchor = np.ravel(np.column_stack([tmin, tmax]))
    i = np.clip(np.searchsorted(t_anchor, hours, side="right") - 1, 0, t_anchor.size - 2)
    f = np.clip((hours - t_anchor[i]) / (t_anchor[i + 1] - t_anchor[i]), 0.0, 1.0)
    return v_anchor[i] + (v_anchor[i + 1] - v_anchor[i]) * 0.5 * (1.0 - np.cos(np.pi * f))


def disaggregate(inputs, dtime=DTIME, rain=(RAIN_START, RAIN_HOURS)):
    """SOILWAT2's daily weather as an hrclm forcing Dataset (UTC, 30-min period
    starts), by the method of the module docstring; ``rain``: (local standard
    hour the day's precipitation starts, hours it lasts)."""
    from hrclm.io.convert import (SIGMA, SOLAR_CONSTANT, cos_zenith, pressure_at,
                                  saturation_vapour_pressure, specific_humidity)
    from hrclm.variables import FORCING_VARIABLES
    s, clim, years = inputs["site"], inputs["climate"], inputs["years"]
    offset = utc_offset(s["longitude"])
    time_utc = pd.date_range(f"{years[0]}-01-01", f"{years[-1] + 1}-01-01",
                             freq=pd.Timedelta(seconds=dtime), inclusive="left")
    local = time_utc + pd.Timedelta(hours=offset)
    # local days touched, plus one for the last night's sunrise; ends padded with the nearest day
    days = pd.date_range(local[0].normalize(), local[-1].normalize() + pd.Timedelta(days=1))
    w = inputs["weather"].reindex(days).ffill().bfill()
    iday = (local.normalize() - days[0]).days.values
    hours = (local - days[0]) / pd.Timedelta(hours=1) + 0.5 * dtime / 3600.0
    hour_of_day = hours - 24.0 * iday

    tair = air_temperature(hours.values, days, w.tmax.values, w.tmin.values,
                           sunrise_hour(days, s["latitude"], s["longitude"], offset)) + 273.15
    psurf = np.full(time_utc.size, pressure_at(s["elevation"]))
    tmean = 0.5 * (w.tmax.values + w.tmin.values) + 273.15
    e_day = daily_from_monthly(days, clim["rh"]) / 100.0 * saturation_vapour_pressure(tmean)
    e = np.minimum(e_day[iday], saturation_vapour_pressure(tair))
    cloud = daily_from_monthly(days, clim["sky"])[iday] / 100.0
    mu, ecc = cos_zenith(time_utc + pd.Timedelta(seconds=dtime / 2), s["latitude"],
                         s["longitude"])
    swdown = SOLAR_CONSTANT * ecc * mu * (ANGSTROM_A + ANGSTROM_B * (1.0 - cloud))
    eps_clear = 1.24 * (e / 100.0 / tair) ** (1.0 / 7.0)
    lwdown = ((1.0 - cloud) * eps_clear + cloud) * SIGMA * tair ** 4
    wind = daily_from_monthly(days, clim["wind"])[iday]
    start, hours_wet = rain
    steps_per_hour = 3600.0 / dtime
    if not (0.0 <= start and hours_wet > 0.0 and start + hours_wet <= 24.0
            and (start * steps_per_hour).is_integer()
            and (hours_wet * steps_per_hour).is_integer()):
        raise ValueError(f"rain from {start} h for {hours_wet} h: give whole steps of one day")
    storm = (hour_of_day >= start) & (hour_of_day < start + hours_wet)
    rainf = np.where(storm, w.ppt.values[iday] / (hours_wet * 3600.0), 0.0)
    co2 = inputs["co2"].reindex(time_utc.year).values
    data = dict(Tair=tair, Qair=specific_humidity(e, psurf), Psurf=psurf, Wind=wind,
                SWdown=swdown, LWdown=lwdown, Rainf=rainf, CO2air=co2)
    return xr.Dataset(
        {k: ("time", np.asarray(data[k], float),
             {"units": FORCING_VARIABLES[k][0], "standard_name": FORCING_VARIABLES[k][1]})
         for k in FORCING_VARIABLES},
        coords={"time": ("time", time_utc.values, {"long_name": "start of the period, UTC"})},
        attrs={"source": "SOILWAT2 tests/example daily weather, disaggregated by "
                         "bench/soilwat2.py (method in its docstring)",
               "site": SITE_ID, "utc_offset": offset, "dtime": dtime})


# ---------------------------------------------------------------------------
# hrclm: run

HISTORY_FIELDS = ["QHR", "QVEGT", "QVEGE", "QSOIL", "QDRAI", "QOVER", "H2OSOI", "H2OSNO",
                  "HR_SWITCH"]


def column_roots(setup):
    """Cover-weighted root fractions of hrclm's patches on the column [-]."""
    return (setup.inputs.patch("rootfr")[0] * setup.weights()[0]).sum(axis=-1)


@contextlib.contextmanager
def prescribed_roots(rootfr):
    """Make hrclm use these root fractions instead of the PFTs' Zeng (2001)
    profiles, for a sensitivity run: a site file has no root-profile entry, so
    the Zeng profile hrclm.model gives every patch is replaced while the block
    runs (every patch then has these roots)."""
    import hrclm.model
    original = hrclm.model.zeng_rootfr
    hrclm.model.zeng_rootfr = lambda zi, ra, rb: np.array(rootfr, dtype=float)
    try:
        yield
    finally:
        hrclm.model.zeng_rootfr = original


def hrclm_config(inputs, use_hr):
    from hrclm.config import load_config
    return load_config(site=SITE_ID, use_hr=use_hr, spinup=True,
                       layer_dz=list(inputs["soil"].dz / 100.0), lower_bc="free_drainage",
                       hist_nhtfrq=[-24], hist_fincl1=HISTORY_FIELDS, **hr_options(inputs))


def run_hrclm(inputs, forcing, use_hr):
    """One hrclm run over the whole forcing: (daily history Dataset, wall
    time of hrclm.run [s]); warnings are printed."""
    import hrclm
    config = hrclm_config(inputs, use_hr)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t0 = time.perf_counter()
        ds = hrclm.run(config, forcing)
        seconds = time.perf_counter() - t0
    for w in caught:
        print(f"hrclm warning (HR {'on' if use_hr else 'off'}): {w.message}")
    return ds.load(), seconds


def hrclm_daily(ds, setup):
    """hrclm's daily output as SOILWAT2's: a frame of ET, T, drainage, runoff
    [mm d-1], snow [mm] and HR switch [h d-1]; per layer HR [mm d-1] and matric
    potential [MPa] (Clapp-Hornberger, from H2OSOI and the layers' parameters)."""
    from hrclm.constants import MM_PER_MPA
    date = pd.DatetimeIndex(ds.time.values)
    day = 86400.0
    daily = pd.DataFrame({"et": (ds.QVEGT + ds.QVEGE + ds.QSOIL).values * day,
                          "t": ds.QVEGT.values * day, "drain": ds.QDRAI.values * day,
                          "runoff": ds.QOVER.values * day, "swe": ds.H2OSNO.values,
                          "switch": ds.HR_SWITCH.values * 24.0}, index=date)
    hr = pd.DataFrame(ds.QHR.values * day, index=date)
    p = setup.props
    watsat, sucsat, bsw = (np.asarray(x, float).reshape(-1) for x in (p.watsat, p.sucsat, p.bsw))
    sat = np.clip(ds.H2OSOI.values / watsat, 0.01, 1.0)
    psi = pd.DataFrame(-sucsat * sat ** (-bsw) / MM_PER_MPA, index=date)
    return daily, hr, psi


# ---------------------------------------------------------------------------
# HR measures and statistics

def hr_moved(hr):
    """Daily water received by HR and its up and down parts [mm d-1] (each
    gain attributed to the day's losing layers in proportion to their loss)."""
    q = hr.values
    gain, loss = np.maximum(q, 0.0), np.maximum(-q, 0.0)
    total_loss = loss.sum(axis=1, keepdims=True)
    share = np.divide(loss, total_loss, out=np.zeros_like(loss), where=total_loss > 0)
    below = np.triu(np.ones((q.shape[1], q.shape[1])), k=1)   # below[i, j]: j deeper than i
    up = np.einsum("di,ij,dj->d", gain, below, share)
    moved = gain.sum(axis=1)
    return pd.DataFrame({"moved": moved, "up": up, "down": moved - up}, index=hr.index)


def interface_flux(hr):
    """Daily net HR across the bottom of each layer [mm d-1], positive upward."""
    return pd.DataFrame(np.cumsum(hr.values, axis=1), index=hr.index)


def report_years(frame):
    return frame[frame.index.year >= FIRST_REPORT_YEAR]


def annual_mean(series):
    """Mean over the report years of the annual sums."""
    s = report_years(series)
    return float(s.groupby(s.index.year).sum().mean())


def monthly_mean(frame):
    """Mean monthly sums over the report years (rows: columns of frame)."""
    f = report_years(frame)
    return f.groupby([f.index.year, f.index.month]).sum().groupby(level=1).mean().T


def monthly_median(frame):
    f = report_years(frame)
    return f.groupby(f.index.month).median().T


def summarise(daily, hr):
    """Annual means [mm yr-1]: ET, T, E = ET - T, drainage, runoff, HR moved,
    up, down, and net HR up and down across each layer bottom ('up@k')."""
    moved = hr_moved(hr)
    out = {"ET": annual_mean(daily.et), "T": annual_mean(daily.t),
           "E": annual_mean(daily.et - daily.t), "drain": annual_mean(daily.drain),
           "runoff": annual_mean(daily.runoff), "HR moved": annual_mean(moved.moved),
           "HR up": annual_mean(moved.up), "HR down": annual_mean(moved.down)}
    flux = interface_flux(hr)
    for k in range(flux.shape[1] - 1):
        out[f"up@{k}"] = annual_mean(flux[k].clip(lower=0))
        out[f"down@{k}"] = annual_mean(-flux[k].clip(upper=0))
    return out


# ---------------------------------------------------------------------------
# report

def fmt_table(frame, fmt="{:7.2f}", index_width=14, width=8):
    head = " " * index_width + "".join(f"{str(c):>{width}}" for c in frame.columns)
    rows = [f"{str(i):<{index_width}}" + "".join(" " + fmt.format(v) for v in r)
            for i, r in zip(frame.index, frame.values)]
    return "\n".join([head] + rows)


def layer_labels(soil):
    top = np.r_[0.0, soil.depth.values[:-1]]
    return [f"{t:.0f}-{b:.0f} cm" for t, b in zip(top, soil.depth.values)]


def soilwat2_roots(inputs):
    """SOILWAT2's cover-weighted transpiration coefficients per layer (sum 1)."""
    soil, cover = inputs["soil"], inputs["cover"]
    roots = sum(cover[v] * soil[f"trco_{v}"].values for v in VEG_TYPES)
    return roots / roots.sum()


def hrclm_snowfall(forcing):
    """Mean annual precipitation falling at air temperatures below 0 C [mm yr-1]
    (hrclm's snow; local years)."""
    f = forcing.to_dataframe()
    snow = f.Rainf * DTIME * (f.Tair < 273.15)
    snow.index = snow.index + pd.Timedelta(hours=float(forcing.attrs["utc_offset"]))
    return annual_mean(snow)


def factor(a, b):
    """How many times b is a (>= 1 either way); inf for opposite signs or a zero."""
    if a * b <= 0:
        return math.inf if (a or b) else 1.0
    return max(a / b, b / a)


def annual_rows(sums, nlev, depths):
    """(key, label, {model: value}) rows of the annual table."""
    names = list(sums)
    rows = []
    for key, label in (("ET", "ET"), ("T", "transpiration"), ("E", "evaporation (ET - T)"),
                       ("drain", "drainage out of 1 m"), ("runoff", "surface runoff")):
        for hr in (0, 1):
            rows.append((key, f"{label}, HR {'on' if hr else 'off'}",
                         {n: sums[n][hr][key] for n in names}))
        if key in ("ET", "T", "E", "drain"):
            rows.append((key + " change", f"{label} change from HR",
                         {n: sums[n][1][key] - sums[n][0][key] for n in names}))
            rows.append((key + " change %", f"{label} change from HR (%)",
                         {n: 100 * (sums[n][1][key] / sums[n][0][key] - 1)
                          if sums[n][0][key] else math.nan for n in names}))
    for key in ("HR moved", "HR up", "HR down"):
        rows.append((key, key + " (HR on)", {n: sums[n][1][key] for n in names}))
    for k in range(nlev - 1):
        for d in ("up", "down"):
            rows.append((f"net {d}", f"net HR {d} across {depths[k]:.0f} cm",
                         {n: sums[n][1][f"{d}@{k}"] for n in names}))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(),
                                                          "hrclm_bench_soilwat2"),
                        help="where run.sh builds and runs SOILWAT2 (kept between runs)")
    parser.add_argument("--rain-start", type=float, default=RAIN_START,
                        help="local standard hour at which each day's precipitation starts "
                             f"(default {RAIN_START:g})")
    parser.add_argument("--rain-hours", type=float, default=RAIN_HOURS,
                        help=f"hours over which it falls evenly (default {RAIN_HOURS:g})")
    args = parser.parse_args(argv)
    if not RUN_SH.is_file():
        sys.exit(f"SOILWAT2 peer not found at {RUN_SH}")

    # SOILWAT2: build once (untimed), then daily-output runs and best-of-3 yearly-output runs
    run_soilwat2(args.workdir, 1, "yearly")
    case, sw2_time = {}, {}
    for hr in (0, 1):
        case[hr], sw2_time[("full", hr)] = run_soilwat2(args.workdir, hr, "full")
        sw2_time[("yearly", hr)] = min(run_soilwat2(args.workdir, hr, "yearly")[1]
                                       for _ in range(3))
    inputs = read_inputs(case[1])
    nlev = len(inputs["soil"])
    models = {"SOILWAT2": {hr: read_soilwat2_daily(case[hr], nlev) for hr in (0, 1)}}

    # hrclm: its site file in a temporary folder, the forcing, the runs
    from hrclm.model import ColumnSetup
    from hrclm.sites import SITE_PATH_ENV, get_site
    lai = monthly_lai(models["SOILWAT2"][0][0].lai)
    site_path = os.environ.get(SITE_PATH_ENV)
    with tempfile.TemporaryDirectory(prefix="hrclm_sw2_site_") as site_dir:
        Path(site_dir, f"{SITE_ID}.toml").write_text(site_toml(inputs, lai))
        os.environ[SITE_PATH_ENV] = site_dir + (os.pathsep + site_path if site_path else "")
        forcing = disaggregate(inputs, rain=(args.rain_start, args.rain_hours))
        setup = ColumnSetup(hrclm_config(inputs, True), get_site(SITE_ID))
        hrclm_time, spin = {}, {}
        for label, roots in (("hrclm", None), ("hrclm, SW2 roots", soilwat2_roots(inputs))):
            models[label] = {}
            for hr in (0, 1):
                with prescribed_roots(roots) if roots is not None else contextlib.nullcontext():
                    ds, seconds = run_hrclm(inputs, forcing, bool(hr))
                if roots is None:
                    hrclm_time[hr], spin[hr] = seconds, int(ds.attrs["spinup_years"])
                models[label][hr] = hrclm_daily(ds, setup)
    if site_path is None:
        del os.environ[SITE_PATH_ENV]
    else:
        os.environ[SITE_PATH_ENV] = site_path
    report(inputs, forcing, models, setup, lai, sw2_time, hrclm_time, spin)


def report(inputs, forcing, models, setup, lai, sw2_time, hrclm_time, spin):
    soil, labels, years = inputs["soil"], layer_labels(inputs["soil"]), inputs["years"]
    nlev, nyears, s = len(soil), len(years), inputs["site"]
    sw2, hrc = models["SOILWAT2"], models["hrclm"]
    print(f"SOILWAT2 example site vs hrclm (site {SITE_ID}): both run {years[0]}-{years[-1]}, "
          f"statistics over {FIRST_REPORT_YEAR}-{years[-1]}")
    print("=" * 100)

    print("\nMapping (details in this script's docstring)")
    print(f"  lat {s['latitude']}, lon {s['longitude']}, elevation {s['elevation']:.0f} m, "
          f"utc_offset {utc_offset(s['longitude']):+.0f} h, CO2 {s['co2_scenario']} "
          f"({inputs['co2'][years[0]]:.0f}-{inputs['co2'][years[-1]]:.0f} ppm)")
    print("  cover " + ", ".join(f"{v} {inputs['cover'][v]:g} -> PFT {PFT_OF[v]}"
                                 for v in VEG_TYPES) + f", bare ground {inputs['cover']['bare']:g}"
          " -> none")
    o = hr_options(inputs)
    print(f"  HR: hr_crt {o['hr_crt']:.4f} cm MPa-1 h-1 (= 0.8 cover x 0.097), hr_psi50 "
          f"{o['hr_psi50']:.2f} MPa, hr_b {o['hr_b']:.2f}, hr_rx_rule 'source', "
          "hr_thickness_rule 'soilwat2', hr_top_layer .false.")
    print(f"  canopy height {setup.site.canopy_height:.2f} m, reference height "
          f"{setup.site.measurement_height:.2f} m;"
          " lower_bc 'free_drainage'; layer_dz " + ", ".join(f"{x:g}" for x in soil.dz / 100))
    print("  monthly LAI (SOILWAT2 grid mean) " + " ".join(f"{x:.2f}" for x in lai))
    tab = pd.DataFrame({"sand %": soil.sand.values * 100, "clay %": soil.clay.values * 100,
                        "gravel %": soil.gravel.values * 100, "SW2 roots": soilwat2_roots(inputs),
                        "hrclm roots": column_roots(setup)}, index=labels)
    print("\nSoil layers and root fractions (SOILWAT2: cover-weighted trco; hrclm: Zeng 2001 "
          "profiles of the PFTs)")
    print(fmt_table(tab, "{:11.3f}", width=12))

    f = forcing.to_dataframe()
    local = f.index + pd.Timedelta(hours=utc_offset(s["longitude"]))
    sw_day = (f.SWdown * DTIME / 1e6).groupby(local.normalize()).sum()
    sw_both = pd.concat([sw_day, sw2[0][0].h_gh], axis=1, join="inner")
    w = inputs["weather"]
    print(f"\nForcing check (means): precipitation {annual_mean(w.ppt):.0f} mm/yr SOILWAT2, "
          f"{annual_mean(pd.Series(f.Rainf.values * DTIME, index=local)):.0f} hrclm, of it "
          f"snow {annual_mean(sw2[0][0].snowfall):.0f} (SOILWAT2) and "
          f"{hrclm_snowfall(forcing):.0f} (hrclm, air below 0 C); shortwave "
          f"{sw_both.iloc[:, 0].mean():.2f} MJ m-2 d-1 disaggregated, "
          f"{sw_both.iloc[:, 1].mean():.2f} SOILWAT2 (PET_H_gh); air temperature "
          f"{f.Tair.mean() - 273.15:.2f} C, (Tmax + Tmin)/2 {(0.5 * (w.tmax + w.tmin)).mean():.2f} C")

    sums = {name: {hr: summarise(m[hr][0], m[hr][1]) for hr in (0, 1)}
            for name, m in models.items()}
    rows = annual_rows(sums, nlev, soil.depth.values)
    print("\nAnnual means (mm/yr unless %); 'hrclm, SW2 roots': hrclm with SOILWAT2's root "
          "fractions (sensitivity run)")
    print(f"{'':38}" + "".join(f"{n:>18}" for n in models))
    for _, label, v in rows:
        print(f"{label:38}" + "".join(f"{v[n]:18.2f}" for n in models))

    print("\nMonthly water budget, HR off (mm/month; snow: mean snow water equivalent, mm)")
    for name in ("SOILWAT2", "hrclm"):
        d = models[name][0][0]
        tab = monthly_mean(pd.DataFrame({"ET": d.et, "T": d.t, "E (ET-T)": d.et - d.t,
                                         "drainage": d.drain}))
        tab.loc["snow"] = report_years(d.swe).groupby(report_years(d.swe).index.month).mean()
        tab.columns = MONTHS
        print(f"-- {name}")
        print(fmt_table(tab, "{:7.1f}"))

    balance = {n: float(np.abs(report_years(m[1][1]).sum(axis=1)).max()) for n, m in models.items()}
    print("\nHR conserves water: largest |sum over layers| of a day's net HR (mm/d) "
          + ", ".join(f"{n} {v:.1e}" for n, v in balance.items()))

    print("\nMonthly mean net HR into each layer, HR on (mm/month; + gain, - loss)")
    for name in ("SOILWAT2", "hrclm"):
        tab = monthly_mean(models[name][1][1])
        tab.index, tab.columns = labels, MONTHS
        print(f"-- {name}")
        print(fmt_table(tab))
    print("\nMonthly HR moved (water received by HR), HR on (mm/month)")
    tab = pd.DataFrame({n: monthly_mean(hr_moved(m[1][1])[["moved"]]).iloc[0]
                        for n, m in models.items()}).T
    tab.columns = MONTHS
    print(fmt_table(tab, index_width=18))

    print("\nMonthly median matric potential, HR on (MPa)")
    psi = {}
    for name in ("SOILWAT2", "hrclm"):
        psi[name] = tab = monthly_median(models[name][1][2])
        tab.index, tab.columns = labels, MONTHS
        print(f"-- {name}")
        print(fmt_table(tab))
    switch = monthly_mean(hrc[1][0][["switch"]]).iloc[0] / pd.Series(
        [31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], index=range(1, 13))
    print("\nhrclm hours per day with HR running (HR_SWITCH; SOILWAT2: 10 h on every day with "
          "unfrozen layers): " + " ".join(f"{m} {v:.1f}" for m, v in zip(MONTHS, switch)))

    print(f"\nRun time per site-year (wall time on this machine, whose speed drifts by up to "
          f"25 %; {nyears} run years)")
    for hr in (0, 1):
        print(f"  HR {'on ' if hr else 'off'}: SOILWAT2 {1e3 * sw2_time[('yearly', hr)] / nyears:6.2f}"
              f" ms with yearly output (best of 3), {1e3 * sw2_time[('full', hr)] / nyears:6.2f} ms "
              f"with the daily to yearly output read here; hrclm "
              f"{1e3 * hrclm_time[hr] / nyears:6.1f} ms per run year, "
              f"{1e3 * hrclm_time[hr] / (nyears + spin[hr]):6.1f} ms per simulated year "
              f"({nyears} + {spin[hr]} spin-up; one run, 30-min step, daily history in memory)")

    print("\nDifferences larger than a factor of 2, hrclm vs SOILWAT2 (rows of the annual table "
          "with at least 1 mm/yr in one model; months of 'HR moved' with at least 1 mm/month)")
    moved = pd.DataFrame({n: monthly_mean(hr_moved(m[1][1])[["moved"]]).iloc[0]
                          for n, m in models.items()})
    rows += [(f"moved {MONTHS[k - 1]}", f"HR moved in {MONTHS[k - 1]}", moved.loc[k].to_dict())
             for k in moved.index]
    flagged = [(key, label, v) for key, label, v in rows if not key.endswith("%")
               and max(abs(v["SOILWAT2"]), abs(v["hrclm"])) >= 1.0
               and factor(v["SOILWAT2"], v["hrclm"]) > 2.0]
    ctx = context(inputs, setup, sums, psi, models, forcing)
    seen = set()
    for key, label, v in flagged:
        fac = factor(v["SOILWAT2"], v["hrclm"])
        how = (f"factor {fac:.1f}" if not math.isinf(fac) else
               "one is zero" if 0 in (v["SOILWAT2"], v["hrclm"]) else "opposite signs")
        print(f"  * {label}: SOILWAT2 {v['SOILWAT2']:.2f}, hrclm {v['hrclm']:.2f} ({how}; "
              f"hrclm with SOILWAT2's roots {v['hrclm, SW2 roots']:.2f})")
        group = explain_group(key)
        if group in seen:
            print(f"    see '{group}' above")
            continue
        seen.add(group)
        text = EXPLANATIONS.get(group, "no explanation written for this quantity")
        for line in textwrap.wrap(f"[{group}] " + text.format(**ctx), 94):
            print("    " + line)
    if not flagged:
        print("  none")


def context(inputs, setup, sums, psi, models, forcing):
    """Numbers the explanations quote."""
    soil = inputs["soil"]
    shallow = ((soil.depth > 5) & (soil.depth <= 20)).values
    deep = (soil.depth > 40).values
    bottom = (soil.depth > 60).values
    hroot, sroot = column_roots(setup), soilwat2_roots(inputs)
    sw2, hrc = models["SOILWAT2"], models["hrclm"]

    def swe_peak(d):
        m = report_years(d.swe).groupby(report_years(d.swe).index.month).mean()
        return m.max(), MONTHS[int(m.idxmax()) - 1]

    def months(series, which):
        return monthly_mean(pd.DataFrame({"x": series})).iloc[0][list(which)].sum()

    (s_swe, s_mon), (h_swe, h_mon) = swe_peak(sw2[0][0]), swe_peak(hrc[0][0])
    h_off, h_on = hrc[0][0], hrc[1][0]
    ctx = {"h_shallow": hroot[shallow].sum(), "s_shallow": sroot[shallow].sum(),
           "h_deep": hroot[deep].sum(), "s_deep": sroot[deep].sum(),
           "s_swe": s_swe, "s_swe_mon": s_mon, "h_swe": h_swe, "h_swe_mon": h_mon,
           "s_snow": annual_mean(sw2[0][0].snowfall), "h_snow": hrclm_snowfall(forcing),
           "s_e_am": months(sw2[0][0].et - sw2[0][0].t, (4, 5)),
           "h_e_am": months(h_off.et - h_off.t, (4, 5)),
           "h_dT_mj": months(h_on.t - h_off.t, (5, 6)),
           "h_dT_js": months(h_on.t - h_off.t, (7, 8, 9)),
           "h_dE_aj": months((h_on.et - h_on.t) - (h_off.et - h_off.t), (4, 5, 6, 7)),
           "s_dT_max": (monthly_mean(pd.DataFrame({"x": sw2[1][0].t - sw2[0][0].t}))
                        .abs().max(axis=1).iloc[0]),
           "h_switch_winter": monthly_mean(hrc[1][0][["switch"]]).iloc[0][[11, 12, 1, 2, 3]]
           .sum() / 151.0}
    for name, tag in (("SOILWAT2", "s"), ("hrclm", "h")):
        for col, month in (("may", 4), ("jun", 5)):
            ctx[f"{tag}_psi_{col}_2"] = psi[name].iloc[1, month]
            ctx[f"{tag}_psi_{col}_8"] = psi[name].iloc[-1, month]
    for name, tag in (("SOILWAT2", "s"), ("hrclm", "h"), ("hrclm, SW2 roots", "r")):
        for key in ("HR up", "HR down", "T", "E", "ET", "drain"):
            k = key.replace("HR ", "")
            ctx[f"{tag}_{k}_on"] = sums[name][1][key]
            ctx[f"{tag}_d{k}"] = sums[name][1][key] - sums[name][0][key]
        ctx[f"{tag}_bottom_gain"] = annual_mean(models[name][1][1].loc[:, bottom].sum(axis=1))
    return ctx


def explain_group(key):
    """Which explanation a flagged row of the report belongs to."""
    if key.startswith("moved "):
        month = MONTHS.index(key.split()[1]) + 1
        return "lift" if 4 <= month <= 7 else "descent" if 8 <= month <= 10 else "winter HR"
    return {"HR up": "lift", "net up": "lift", "HR down": "descent", "net down": "descent",
            "ET change": "ET change", "T change": "T change", "E change": "T change",
            "drain change": "drainage change", "runoff": "runoff",
            "T": "transpiration", "E": "evaporation", "ET": "evaporation",
            "drain": "drainage"}.get(key, key)


EXPLANATIONS = {
    "lift": (
        "Hydraulic lift (April-July, deep -> 5-20 cm) is larger in hrclm, for two reasons. (1) "
        "Roots: the Zeng (2001) profiles of the mapped PFTs put {h_shallow:.0%} of hrclm's roots "
        "in 5-20 cm and {h_deep:.0%} below 40 cm, SOILWAT2's trco {s_shallow:.0%} and "
        "{s_deep:.0%}; the Ryel flux of a layer pair scales with R_i R_j / (1 - R_source), so "
        "shallow recipients with more roots draw more, and their uptake dries them sooner. "
        "With SOILWAT2's root fractions hrclm lifts {r_up_on:.1f} mm/yr instead of "
        "{h_up_on:.1f} (SOILWAT2 {s_up_on:.1f}). (2) Gradient: hrclm's upper soil dries earlier "
        "in the season, so the deep-to-shallow gradient that drives lift is larger. Median "
        "potentials at 5-10 cm and 80-100 cm: May {h_psi_may_2:.2f} and {h_psi_may_8:.2f} MPa "
        "in hrclm, {s_psi_may_2:.2f} and {s_psi_may_8:.2f} in SOILWAT2; June {h_psi_jun_2:.2f} "
        "and {h_psi_jun_8:.2f} in hrclm, {s_psi_jun_2:.2f} and {s_psi_jun_8:.2f} in SOILWAT2. "
        "The cause is the timing of the spring water (monthly table): hrclm's snowpack peaks "
        "lower and earlier ({h_swe:.0f} mm in {h_swe_mon}, SOILWAT2 {s_swe:.0f} mm in "
        "{s_swe_mon}) because it melts with a fixed 3 mm/d/K on every half hour above 0 C, "
        "winter afternoons included, while SOILWAT2's melt rate per degree of its lagged snow "
        "temperature rises from 0 at the winter solstice to 2.7 mm/d/C at the summer solstice "
        "(siteparam.in RmeltMin, RmeltMax); so hrclm's melt water drains in February-April, "
        "and CLM's ground evaporation from the wet surface layer in April-May ({h_e_am:.0f} "
        "mm, SOILWAT2 {s_e_am:.0f} mm with snow sublimation) then dries layers 1-3 from "
        "above, while SOILWAT2's snowmelt in April-May rewets the whole profile just before "
        "the growing season. The rain hours of the disaggregation change hrclm's snow "
        "({h_snow:.0f} mm/yr here, SOILWAT2 {s_snow:.0f}) but hardly its lift (try "
        "--rain-start 0 --rain-hours 24)."),
    "descent": (
        "Hydraulic descent (August-October, after rain on dry soil) is within a factor of 2 "
        "over the year (SOILWAT2 {s_down_on:.1f}, hrclm {h_down_on:.1f}, hrclm with SOILWAT2's "
        "roots {r_down_on:.1f} mm/yr); the roots explain most of the difference."),
    "winter HR": (
        "hrclm stops HR when the air is below 0 C (hr_tair_min, a frozen-soil proxy), "
        "SOILWAT2 only in frozen layers: from November to March hrclm runs HR "
        "{h_switch_winter:.1f} h per day on average, SOILWAT2 10 h on every unfrozen day."),
    "T change": (
        "Transpiration change from HR: hrclm {h_dT:+.1f} mm/yr, SOILWAT2 {s_dT:+.1f}. In "
        "hrclm HR raises T in May-June ({h_dT_mj:+.1f} mm) by lifting deep water to the roots "
        "at 5-20 cm, and lowers it more in July-September ({h_dT_js:+.1f} mm): the deep water "
        "lifted in spring is gone when the summer drought comes, and part of it evaporated "
        "from the surface instead (E {h_dE_aj:+.1f} mm in April-July). SOILWAT2 lifts much "
        "less (see lift) and its T changes by at most {s_dT_max:.1f} mm in any month. With "
        "SOILWAT2's roots hrclm's T changes by {r_dT:+.1f} mm/yr, so the roots are not the "
        "cause; the larger spring gradient (see lift) is."),
    "ET change": (
        "The ET change from HR is below 1 % of ET in both models (SOILWAT2 {s_dET:+.1f}, "
        "hrclm {h_dET:+.1f} mm/yr); its sign follows the net direction of HR. hrclm with Zeng "
        "roots moves water net upward (lift {h_up_on:.1f} > descent {h_down_on:.1f} mm/yr), and "
        "the water evaporates instead of being transpired (T {h_dT:+.1f}, E {h_dE:+.1f}). "
        "SOILWAT2, and hrclm with SOILWAT2's roots, move water net downward (descent "
        "{s_down_on:.1f} > lift {s_up_on:.1f}; {r_down_on:.1f} > {r_up_on:.1f}), part of it "
        "drains out of the 1 m profile (drainage {s_ddrain:+.1f}; {r_ddrain:+.1f}) and ET "
        "falls ({s_dET:+.1f}; {r_dET:+.1f} mm/yr): with the same roots the two models agree."),
    "drainage change": (
        "The sign of the drainage change from HR follows the net HR into the two layers "
        "below 60 cm, from which water drains out of the profile: SOILWAT2 "
        "{s_bottom_gain:+.1f} mm/yr (drainage {s_ddrain:+.1f}), hrclm {h_bottom_gain:+.1f} "
        "(drainage {h_ddrain:+.1f}), hrclm with SOILWAT2's roots {r_bottom_gain:+.1f} "
        "(drainage {r_ddrain:+.1f}); see ET change."),
    "runoff": (
        "SOILWAT2's example makes no surface runoff (siteparam.in removes no ponded water "
        "as runoff and has no runon); hrclm has CLM4.5's saturation-excess runoff over the "
        "saturated fraction (wtfact 0.3), about 0.2 % of precipitation."),
}


if __name__ == "__main__":
    main()
