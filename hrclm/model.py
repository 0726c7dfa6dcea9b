"""The column model's Python face: configuration + site + forcing -> history.

``run(config, forcing)`` is a short recipe of named steps:

1. :class:`ColumnSetup` turns the configuration and the site into the
   driver's named groups (:class:`hrclm.driver.ColumnInputs`);
2. the forcing source gives the run's steps (UTC) chunk by chunk
   (:func:`forcing_source`: a Dataset, a forcing file, USCRN files, or the
   weather generator year by year);
3. the initial state is a cold start, or a restart file (``finidat``);
4. spin-up cycles a period of the forcing until the column water settles;
5. :func:`integrate` advances the columns chunk by chunk through the one
   compiled driver, accumulating the history tapes (:mod:`hrclm.history`)
   and writing tapes and restarts as it goes.

Memory does not grow with run length: forcing is read by the chunk and
history leaves as records close (to files, or to memory when asked for).
"""

import os
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from . import __version__
from ._fortran import raise_on_error
from .column import LOWER_BC
from .config import Config, load_config
from .constants import MM_PER_MPA, crt_from_cm_per_mpa_per_h
from .driver import ColumnInputs, ColumnState, advance, forcing_block
from .errors import InputError, check_stop, existing_file
from .history import Tape, TapeSet, check_case_name, tapes_from_config
from .hr import NIGHT_RULES, RX_RULES, THICKNESS_RULES
from .carbon import litterfall_weight
from .io.weather import generate_forcing
from .sites import VEGETATION_UNITS, get_site
from .roots import zeng_rootfr
from .soil import (NLEVSOI, UPTAKE_RULES, clm45_grid, ground_grid, grid_from_thickness,
                   soil_properties, soil_thermal_params)
from .solar import cos_zenith, dayl_factor
from .variables import (CTL_I, FORCING_VARIABLES, HISTORY, MODE_CANOPY, NLEVBED, STATE_COL,
                        STATE_GRND, STATE_LEV, STATE_PAT)

__all__ = ["run", "run_with_state", "run_case", "RunResult", "ColumnSetup", "ModelState",
           "read_restart", "write_restart", "read_netcdf", "write_netcdf", "forcing_source"]

CARBON_POOLS = ("litr1c_vr", "litr2c_vr", "litr3c_vr", "cwdc_vr", "soil1c_vr", "soil2c_vr",
                "soil3c_vr")
"""The decomposing carbon pools of the state [gC m-3], in the order of
:data:`hrclm.carbon.POOLS`."""

ModelState = ColumnState
"""Prognostic state of the columns (all that a restart needs)."""

LAMBDA_REF = 2.501e6
"""Latent heat converting hr_le_max to a transpiration threshold [J kg-1]."""

MEMORY_FRACTION = 0.5
"""History kept in memory may use at most this fraction of physical memory."""

CHUNK_BYTES = 64 * 2**20
"""Largest history output buffer of one call of the core [bytes]."""

CANOPY_SCHEMES = {"clm45": 1, "penman_monteith": 2}
"""Canopy schemes of the driver (ColumnVarsMod canopy_clm45, canopy_pm)."""


class ColumnSetup:
    """Time-invariant inputs of the compiled driver for one configuration.

    Each column holds one patch per PFT of the site (CLM's subgrid
    structure): its cover weight, root profile (Zeng 2001), vegetation
    parameters and, if the PFT is in ``hr_pfts``, the HR parameters. The
    reference height is the site's; the canopy height is the site's for
    woody patches (trees and shrubs, the tallest cover at the sites) and the
    PFT's default (Tech Note Table 2.2) for grasses and crops.
    """

    #: patch parameters taken as they are from the PFT table (hrclm/data/pft_clm45.csv)
    PFT_CANOPY = ("c3psn", "mbbopt", "bbbopt", "xl", "rholvis", "rholnir", "rhosvis",
                  "rhosnir", "taulvis", "taulnir", "tausvis", "tausnir", "dleaf", "z0mr",
                  "displar", "vcmax25top")
    #: carbon parameters taken as they are from the PFT table
    PFT_CARBON = ("slatop", "dsladlai", "leafcn", "frootcn", "livewdcn", "froot_leaf",
                  "stem_leaf", "croot_stem", "flivewd", "woody", "lf_flab", "lf_fcel", "lf_flig",
                  "fr_flab", "fr_fcel", "fr_flig")

    def __init__(self, config, site):
        self.config = config
        self.site = site
        self.ncol = ncol = config.ncolumns()
        #: carbon runs with the CLM4.5 canopy only (it needs GPP and soil temperature)
        self.carbon = bool(config["use_carbon"]) and config["canopy_scheme"] == "clm45"
        dz = config["layer_dz"]
        self.grid = g = grid_from_thickness(dz) if dz else clm45_grid(NLEVSOI)
        sand, clay = site.texture(g)
        self.props = p = soil_properties(sand, clay, g.z, config["orgdens"])
        self.pfts = site.pft_weights()                       # [(PFT, cover weight)]
        cv = config.column_values
        self.lower_bc = LOWER_BC[config["lower_bc"]]
        ctl = dict(mode=MODE_CANOPY, lower_bc=self.lower_bc, use_hr=int(bool(config["use_hr"])),
                   rx_rule=RX_RULES[config["hr_rx_rule"]],
                   thick_rule=THICKNESS_RULES[config["hr_thickness_rule"]],
                   top_layer=int(bool(config["hr_top_layer"])),
                   night_rule=NIGHT_RULES[config["hr_night_rule"]],
                   dtime=config["dtime"], hr_qvegt_max=config["hr_le_max"] / LAMBDA_REF,
                   hr_sabv_max=config["hr_sabv_max"], hr_tair_min=config["hr_tair_min"] + 273.15,
                   canopy=CANOPY_SCHEMES[config["canopy_scheme"]],
                   use_carbon=int(self.carbon), q10_mr=config["q10_mr"],
                   uptake=UPTAKE_RULES[config["root_uptake"]])
        thermal = soil_thermal_params(sand, clay, config["orgdens"], p.watsat)
        layers = dict(zsoi=g.z, dzsoi=g.dz, zisoi=g.zi[1:], watsat=p.watsat, sucsat=p.sucsat,
                      bsw=p.bsw, hksat=p.hksat, watfc=p.watfc, csol=thermal.csol,
                      tkmg=thermal.tkmg, tkdry=thermal.tkdry, sand=sand)
        self.ground_z = ground_grid(g.z, g.zi)[0]
        columns = dict(wtfact=cv("wtfact"), rsub_top_max=cv("rsub_top_max"), fdrai=cv("fdrai"),
                       zref=float(site.measurement_height), sco2=cv("sco2"),
                       soil_color=config["soil_color"])

        def per_patch(value_of):                 # (ncol, npatch) from a PFT -> value map
            return np.array([value_of(pft) for pft, _ in self.pfts], dtype=float)[None, :]

        # HR by the PFTs named in hr_pfts only; the others have C_RT = 0
        self.hr_patch = np.array([pft.index in config["hr_pfts"] for pft, _ in self.pfts])

        def hr_per_patch(name):                  # (ncol, npatch): the PFT's entry, else the column's
            by_pft = config[f"{name}_pft"]
            col = np.array(cv(name), dtype=float)[:, None]
            own = [by_pft[pft.index - 1] if pft.index <= len(by_pft) else None
                   for pft, _ in self.pfts]
            return np.where([v is None for v in own], col,
                            np.array([np.nan if v is None else v for v in own])[None, :])

        # every patch's roots conduct (uptake rule "hydraulic"); only hr_pfts redistribute
        krs = crt_from_cm_per_mpa_per_h(hr_per_patch("hr_crt"))
        crt = krs * self.hr_patch[None, :]
        patches = dict(wt=np.array([w for _, w in self.pfts])[None, :],
                       smpso=per_patch(lambda pft: pft.smpso), smpsc=per_patch(lambda pft: pft.smpsc),
                       sai=per_patch(lambda pft: pft.sai), albedo=per_patch(lambda pft: pft.albedo),
                       rsmin=np.array(cv("rsmin_scale"))[:, None] * per_patch(lambda pft: pft.rsmin),
                       rgl=per_patch(lambda pft: pft.rgl), hs=per_patch(lambda pft: pft.hs),
                       crt=crt, krs=krs, psi50=hr_per_patch("hr_psi50") * MM_PER_MPA,
                       hr_b=hr_per_patch("hr_b"),
                       htop=per_patch(lambda pft: float(site.canopy_height) if pft.woody
                                      else pft.htop),
                       **{name: per_patch(lambda pft, n=name: getattr(pft, n))
                          for name in self.PFT_CANOPY + self.PFT_CARBON})
        rootfr = np.stack([zeng_rootfr(g.zi, pft.ra, pft.rb) for pft, _ in self.pfts], axis=-1)
        self.npatch = len(self.pfts)
        #: share of the year's leaf litterfall on each day of the year [s-1]
        self._litfall_daily = litterfall_weight(site.lai_at(np.arange(1, 366)))
        self.inputs = ColumnInputs(ncol, g.nlev, self.npatch, ctl, layers, columns, patches,
                                   dict(rootfr=rootfr))

    def weights(self):
        """(ncol, npatch) cover weights of the patches."""
        return self.inputs.patch("wt")

    def initial_state(self, tair_mean=288.15):
        """CLM4.5 cold start (or field capacity), as the configuration says;
        soil, bedrock and leaves start at ``tair_mean`` [K] (the mean air
        temperature of the forcing's first year, where the run knows it)."""
        c, g = self.config, self.grid
        theta = (self.props.watfc if c["init_water"] == "field_capacity"
                 else c["sat_init"] * self.props.watsat)
        wa = np.full(self.ncol, c["wa_init"])
        zwt = (np.full(self.ncol, c["zwt_init"]) if c["zwt_init"] >= 0
               else 25.0 + g.zi[-1] - wa / 200.0)
        if self.lower_bc == LOWER_BC["water_table"]:
            zwt[:] = g.zi[-1]
        return ColumnState.from_values(self.ncol, g.nlev, self.npatch, self.weights(),
                                       h2osoi_liq=theta * g.dz * 1000.0, zwt=zwt, wa=wa,
                                       t_soisno=tair_mean, t_veg=tair_mean, t10=tair_mean)

    def identity(self):
        """What a restart must match: shapes, grid, soil and site."""
        return {"ncol": self.ncol, "nlev": self.grid.nlev, "npatch": self.npatch,
                "site": self.site.id,
                "dzsoi": self.grid.dz, "watsat": np.asarray(self.props.watsat, float)}

    def phenology(self, time):
        """The site-derived forcing at the given UTC step starts: LAI, the
        cosine of the solar zenith angle over each step and the day-length
        factor of Vcmax (CLM4.5)."""
        dtime = self.config["dtime"]
        lat, lon = self.site.latitude, self.site.longitude
        return {"LAI": self.lai(time), "coszen": cos_zenith(time, lat, lon, dtime),
                "dayl_factor": dayl_factor(time, lat), "litfall_w": self.litfall_w(time)}

    def litfall_w(self, time):
        """Share of the year's leaf and fine-root litterfall per second at the
        given UTC step starts [s-1] (:func:`hrclm.carbon.litterfall_weight` of
        the site's LAI, on local standard time; day 366 repeats day 365)."""
        day = np.minimum(np.floor(self._doy(time)).astype(int), 365)
        return self._litfall_daily[day - 1]

    def lai(self, time):
        """Leaf area index at the given UTC step starts, from the site's
        monthly LAI on local standard time [m2 m-2]."""
        return self.site.lai_at(self._doy(time))

    def _doy(self, time):
        """Fractional day of year (1 at the start of 1 January) of the given
        UTC times on the site's local standard time."""
        local = np.asarray(time, dtype="datetime64[s]") + np.timedelta64(
            int(round(self.site.utc_offset * 3600)), "s")
        year_start = local.astype("datetime64[Y]").astype("datetime64[s]")
        return 1.0 + (local - year_start).astype(np.float64) / 86400.0


# --------------------------------------------------------------------------
# forcing by the chunk

class DatasetForcing:
    """Forcing read from an xarray Dataset in the hrclm layout (possibly
    opened lazily from a file): steps [start, stop) on demand."""

    def __init__(self, ds, dtime):
        self.ds = ds
        self.dtime = dtime
        self.time = ds.time.values
        self.attrs = dict(ds.attrs)

    def values(self, start, stop):
        return {v: np.asarray(self.ds[v].values[start:stop], dtype=np.float64)
                for v in FORCING_VARIABLES}

    def select(self, t0, t1):
        keep = np.flatnonzero((self.time >= t0) & (self.time < t1))
        if keep.size == 0:
            return None
        return DatasetForcing(self.ds.isel(time=slice(keep[0], keep[-1] + 1)), self.dtime)

    def first_full_year(self):
        """(start, stop) of the first whole UTC calendar year, or None."""
        t = pd.DatetimeIndex(self.time)
        step = pd.Timedelta(seconds=self.dtime)
        for year in range(t[0].year, t[-1].year + 1):
            y0, y1 = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year + 1,
                                                                           month=1, day=1)
            if t[0] <= y0 and t[-1] >= y1 - step:
                return y0, y1
        return None


class GeneratedForcing:
    """The weather generator, one calendar year at a time (seeded per year,
    so a chunk's weather does not depend on how the run is cut)."""

    def __init__(self, site, t0, t1, dtime, seed, co2):
        self.site, self.dtime, self.seed, self.co2 = site, dtime, seed, co2
        self.time = pd.date_range(t0, t1, freq=pd.Timedelta(seconds=dtime),
                                  inclusive="left").values
        self._year = None
        probe = generate_forcing(site, pd.Timestamp(t0).year, 1, dtime, seed, co2)
        self.attrs = dict(probe.attrs)
        self.attrs.pop("start_year", None)
        self.attrs.pop("nyears", None)
        self._year = (pd.Timestamp(t0).year, probe)

    def _generated(self, year):
        if self._year is None or self._year[0] != year:
            self._year = (year, generate_forcing(self.site, year, 1, self.dtime, self.seed,
                                                 self.co2))
        return self._year[1]

    def values(self, start, stop):
        t = pd.DatetimeIndex(self.time[start:stop])
        out = {v: np.empty(t.size) for v in FORCING_VARIABLES}
        for year in np.unique(t.year):
            ds = self._generated(int(year))
            mine = np.flatnonzero(t.year == year)
            i0 = int(np.searchsorted(ds.time.values, t[mine[0]].to_datetime64()))
            for v in FORCING_VARIABLES:
                out[v][mine] = ds[v].values[i0:i0 + mine.size]
        return out

    def select(self, t0, t1):
        return GeneratedForcing(self.site, t0, t1, self.dtime, self.seed, self.co2)

    def first_full_year(self):
        y = pd.Timestamp(self.time[0]).year
        return pd.Timestamp(year=y, month=1, day=1), pd.Timestamp(year=y + 1, month=1, day=1)


def run_period(config):
    """(start, stop) of the run in UTC, from start_year, start_month and ndays
    or nyears."""
    start = pd.Timestamp(year=config["start_year"], month=config["start_month"], day=1)
    if config["ndays"] > 0:
        return start, start + pd.Timedelta(days=config["ndays"])
    return start, start + pd.DateOffset(years=config["nyears"])


def forcing_source(config, site, forcing=None):
    """(run forcing, full forcing source) for a configuration.

    A Dataset given by the caller is the run's forcing as it is. Otherwise
    the source is the weather generator, a forcing file or a USCRN folder,
    and the run takes its period (:func:`run_period`, UTC) from it.
    """
    dtime = config["dtime"]
    if forcing is not None:
        _check_forcing_dataset(forcing, dtime)
        src = DatasetForcing(forcing, dtime)
        return src, src
    t0, t1 = run_period(config)
    if config["forcing"] == "generator":
        full = GeneratedForcing(site, t0, t1, dtime, config["seed"], config["co2"])
        return full, full
    if config["forcing"] == "uscrn":
        from .io.uscrn import read_uscrn
        folder = Path(config["forcing_file"])
        files = sorted(folder.glob("CRNH0203-*.txt")) if folder.is_dir() else []
        if not files:
            raise InputError(f"forcing = 'uscrn' but forcing_file = {str(folder)!r} is not a folder "
                             "holding USCRN hourly02 files (CRNH0203-*.txt)", argument="forcing_file")
        ds, _ = read_uscrn(files, site=site, co2=config["co2"])
    else:
        ds = read_netcdf(config["forcing_file"], "forcing_file",
                         "give a forcing file written by an hrclm reader", "forcing_file",
                         lazy=True)
    _check_forcing_dataset(ds, dtime)
    full = DatasetForcing(ds, dtime)
    run = full.select(t0.to_datetime64(), t1.to_datetime64())
    if run is None:
        raise InputError(f"the forcing has no data between {t0.date()} and {t1.date()} (UTC); "
                         f"it covers {pd.Timestamp(full.time[0])} to {pd.Timestamp(full.time[-1])}",
                         argument="forcing")
    first, last = pd.Timestamp(run.time[0]), pd.Timestamp(run.time[-1]) + pd.Timedelta(seconds=dtime)
    if first > t0 or last < t1:
        note = (f"the forcing covers only {first} to {last} of the run period {t0} to {t1} "
                "(UTC); the run covers what the forcing covers")
        warnings.warn(note, RuntimeWarning, stacklevel=3)
        run.attrs["run_period_note"] = note
    return run, full


def _check_forcing_dataset(forcing, dtime):
    missing = [v for v in FORCING_VARIABLES if v not in forcing]
    if missing:
        raise InputError(f"forcing lacks {', '.join(missing)}; an hrclm forcing Dataset has "
                         f"{', '.join(FORCING_VARIABLES)}", argument="forcing")
    if forcing.time.size == 0:
        raise InputError("forcing has no time steps", argument="forcing")
    for v in FORCING_VARIABLES:
        bad = ~np.isfinite(forcing[v].values)
        if bad.any():
            i = int(np.argmax(bad))
            raise InputError(f"forcing {v} is missing (NaN) at {pd.Timestamp(forcing.time.values[i])}"
                             f" (index {i}); fill gaps in the reader before running",
                             argument=v)
    if forcing.time.size > 1:
        step = np.diff(forcing.time.values).astype("timedelta64[s]").astype(float)
        if not np.all(step == dtime):
            raise InputError(f"forcing time step is {sorted(set(step.tolist()))[:3]} s but dtime = "
                             f"{dtime} s; resample the forcing or set dtime", argument="dtime")


# --------------------------------------------------------------------------
# the run

@dataclass
class RunResult:
    """What a run gives: one Dataset per history tape (``tapes[0]`` is h0),
    the final state, and the files written (tapes and restarts)."""

    tapes: list
    state: ColumnState
    files: list


def run(config=None, forcing=None, *, state=None, progress=False, output_dir=None,
        soil_moisture=None):
    """Run the column model.

    Parameters
    ----------
    config : Config, str, Path or None
        A :class:`hrclm.config.Config`, a namelist path, or None for defaults.
    forcing : xarray.Dataset, optional
        Forcing in the hrclm layout (:mod:`hrclm.io`), run as given; default:
        the source the configuration names, over its run period (UTC).
    state : ModelState, optional
        Start from this state; no spin-up is done then. A restart file is
        named by ``finidat`` in the configuration instead.
    progress : bool
        Show a progress bar on stderr.
    output_dir : str or Path, optional
        Write the history tapes (``<case>.hrclm.h<k>.<date>.nc``) and
        restarts there as the run goes and return h0 opened lazily from its
        files. Without it the history is kept in memory (refused up front,
        with the estimate, when it would not fit).
    soil_moisture : xarray.DataArray, optional
        Prescribed soil moisture of chosen layers (see :func:`run_case`).

    Returns
    -------
    xarray.Dataset
        The h0 tape: CLM history variables on (time, levsoi), or (column,
        time, levsoi) for an ensemble, with the complete resolved namelist,
        hrclm version and forcing provenance in the attributes.
    """
    return run_case(config, forcing, state=state, progress=progress, output_dir=output_dir,
                    soil_moisture=soil_moisture).tapes[0]


def run_with_state(config=None, forcing=None, *, state=None, progress=False, output_dir=None):
    """As :func:`run`, also returning the final :class:`ModelState`."""
    result = run_case(config, forcing, state=state, progress=progress, output_dir=output_dir)
    return result.tapes[0], result.state


def case_name(config):
    """The run's name in file names: case_name, or <site>_hr_on / _hr_off."""
    return check_case_name(config["case_name"] or
                           f"{config['site']}_hr_{'on' if config['use_hr'] else 'off'}")


def run_case(config=None, forcing=None, *, state=None, progress=False, output_dir=None,
             write_restarts=None, soil_moisture=None):
    """Run the model; return a :class:`RunResult` with every tape.

    ``write_restarts`` (default: with ``output_dir`` and the configuration's
    ``write_restart``) writes restarts into ``output_dir`` at the end and
    every ``rest_n`` ``rest_option``. ``soil_moisture`` (an xarray.DataArray
    on (time, levsoi) or (column, time, levsoi) [m3 m-3], holding every step
    of the run, NaN where a layer evolves freely) prescribes the soil
    moisture of the layers while the canopy responds (the companion study's
    prescribed mode): each such layer ends every step at the given value,
    and the water this adds or removes is the history field QIMPOSED (the
    water balance includes it).
    """
    if config is None:
        config = load_config()
    elif isinstance(config, (str, os.PathLike)):
        config = load_config(config)
    elif not isinstance(config, Config):
        raise InputError(f"config is a {type(config).__name__}; give a Config "
                         "(hrclm.load_config(...)), a namelist path or None for the defaults",
                         argument="config")
    if output_dir is not None and not isinstance(output_dir, (str, os.PathLike)):
        raise InputError(f"output_dir is a {type(output_dir).__name__}; give a folder path "
                         "(str or Path) or None to keep the history in memory",
                         argument="output_dir")
    if state is not None and not isinstance(state, ColumnState):
        raise InputError(f"state is a {type(state).__name__}; give a ModelState (the state "
                         "returned by hrclm.run_with_state or read_restart) or None",
                         argument="state")
    if forcing is not None and not isinstance(forcing, xr.Dataset):
        raise InputError(f"forcing is a {type(forcing).__name__}; give an xarray Dataset in the "
                         "hrclm layout (from an hrclm reader) or None for the configuration's "
                         "source", argument="forcing")
    site = get_site(config["site"])
    tapes_spec = tapes_from_config(config)
    case = case_name(config)
    src, full = forcing_source(config, site, forcing)
    setup = ColumnSetup(config, site)
    if output_dir is not None:
        check_output_dir(output_dir)
    if output_dir is None:
        _refuse_if_too_big(setup, tapes_spec, src)
    restart_from = ""
    spin = {"years": 0, "change": float("nan"), "converged": 1, "period": ""}
    if state is not None:
        state = _checked_state(state, setup, "the state given")
    elif config["finidat"]:
        state = read_restart(config["finidat"], setup)
        restart_from = str(config["finidat"])
    else:
        state = setup.initial_state(_mean_tair(full))
        if config["spinup"]:
            spin = spin_up(setup, full, state, config)
    write_restarts = (output_dir is not None and config["write_restart"]
                      if write_restarts is None else write_restarts)

    base_attrs = _attrs(setup, src, spin, restart_from, case)
    g = setup.grid
    coords = {
        "levsoi": ("levsoi", g.z, {"long_name": "node depth", "units": "m"}),
        "dzsoi": ("levsoi", g.dz, {"long_name": "layer thickness", "units": "m"}),
        "zisoi_top": ("levsoi", g.zi[:-1], {"long_name": "layer top", "units": "m"}),
        "zisoi_bot": ("levsoi", g.zi[1:], {"long_name": "layer bottom", "units": "m"}),
        "levgrnd": ("levgrnd", setup.ground_z, {"long_name": "node depth of the ground levels "
                                                "(soil layers, then bedrock)", "units": "m"}),
    }
    if setup.ncol > 1:
        coords["column"] = ("column", np.arange(setup.ncol))
    coords["patch"] = ("patch", np.arange(setup.npatch), {"long_name": "patch (PFT) on the column"})
    coords["pft"] = ("patch", [pft.index for pft, _ in setup.pfts],
                     {"long_name": "CLM4.5 plant functional type of the patch"})
    coords["pft_weight"] = ("patch", [w for _, w in setup.pfts],
                            {"long_name": "cover weight of the patch on the column", "units": "1"})
    extra = {name.upper(): xr.Variable("levsoi", np.asarray(getattr(setup.props, name)),
                                       {"units": "m3 m-3"}) for name in ("watsat", "watfc")}
    extra["ROOTFR"] = xr.Variable(("levsoi", "patch"), setup.inputs.patch("rootfr")[0],
                                  {"units": "1", "long_name": "root fraction of each patch in "
                                   "the layer (Zeng 2001; the roots of the first column)"})
    tapes = TapeSet(tapes_spec, g.nlev, setup.ncol, config["dtime"], src.time,
                    lambda: (base_attrs, coords, extra), outdir=output_dir, case=case,
                    npatch=setup.npatch)
    written = []

    def write_restart_at(st, when):
        path = Path(output_dir) / f"{case}.hrclm.r.{_stamp(when)}.nc"
        write_restart(st, path, setup)
        written.append(path)

    presc = _prescribed_soil_moisture(soil_moisture, setup, src)
    try:
        integrate(setup, src, state, tapes, progress=progress,
                  restart=write_restart_at if write_restarts else None, theta_presc=presc)
    except BaseException:
        tapes.abort()
        raise
    base_attrs.update(tapes.final_attrs)       # the balance errors, known at the end
    tapes.finish()
    datasets = tapes.datasets()
    files = [f for fs in tapes.files for f in fs] + written
    return RunResult(datasets, state, files)


def check_output_dir(output_dir, what="output folder"):
    """Refuse, before any computing, an output folder that cannot be made or
    written to (a file in the way, no permission, a name too long)."""
    path = Path(output_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".hrclm-probe.", suffix=".tmp", dir=path)
        os.close(fd)
        os.remove(tmp)
    except OSError as err:
        reason = (err.strerror or type(err).__name__).lower()
        raise InputError(f"{what} {path} cannot be written to ({reason}); give a folder you "
                         "can write to (-o/--output, or output_dir)",
                         argument="output_dir") from None
    return path


def _stamp(when):
    t = pd.Timestamp(when)
    return f"{t:%Y-%m-%d}-{t.hour * 3600 + t.minute * 60 + t.second:05d}"


def _restart_times(config, time, dtime):
    """Indices i (0 < i < nstep) before which a restart is written."""
    opt, n = config["rest_option"], config["rest_n"]
    if opt == "end" or time.size < 2:
        return []
    t = pd.DatetimeIndex(time)
    key = t.year.values if opt == "nyears" else t.year.values * 12 + t.month.values - 1
    new = np.flatnonzero(np.diff(key) != 0) + 1
    first = key[0]
    return [int(i) for i in new if (key[i] - first) % n == 0]


def _prescribed_soil_moisture(soil_moisture, setup, src):
    """(ncolp, nlev, nstep) array of prescribed soil moisture, or None."""
    if soil_moisture is None:
        return None
    da = soil_moisture
    if not isinstance(da, xr.DataArray) or "time" not in da.dims or "levsoi" not in da.dims:
        raise InputError("soil_moisture must be an xarray.DataArray on (time, levsoi) or "
                         "(column, time, levsoi) [m3 m-3]", argument="soil_moisture")
    if da.sizes["levsoi"] != setup.grid.nlev:
        raise InputError(f"soil_moisture has {da.sizes['levsoi']} levsoi layers but the column "
                         f"has {setup.grid.nlev}", argument="soil_moisture")
    missing = ~np.isin(src.time, da.time.values)
    if missing.any():
        raise InputError(f"soil_moisture has no value for {int(missing.sum())} steps of the run, "
                         f"the first at {pd.Timestamp(src.time[np.argmax(missing)])}; give every "
                         "step (NaN where a layer evolves freely)", argument="soil_moisture")
    da = da.sel(time=src.time)
    if "column" not in da.dims:
        da = da.expand_dims(column=1)
    return np.asfortranarray(da.transpose("column", "levsoi", "time").values, dtype=np.float64)


def integrate(setup, src, state, tapes, *, progress=False, restart=None, theta_presc=None):
    """Advance the columns through every step of ``src`` in chunks (at most a
    year, and at most CHUNK_BYTES of history output), splitting chunks where
    a restart is due. Returns the largest water and energy balance errors."""
    config = setup.config
    dtime = config["dtime"]
    nstep = src.time.size
    per_year = int(round(365 * 86400 / dtime))
    per_step = max(tapes.record_bytes_per_step() * setup.ncol, 1.0)
    chunk = int(max(1, min(per_year, CHUNK_BYTES // per_step)))
    cuts = set(range(0, nstep, chunk)) | set(_restart_times(config, src.time, dtime)
                                             if restart else [])
    cuts = sorted(cuts) + [nstep]
    due = set(_restart_times(config, src.time, dtime)) if restart else set()
    maxerr = np.zeros(2)
    maxcerr = 0.0
    limited = np.zeros(setup.ncol)
    for start, stop in zip(cuts[:-1], cuts[1:]):
        values = src.values(start, stop)
        values.update(setup.phenology(src.time[start:stop]))
        forc = forcing_block(values, stop - start)
        presc = None if theta_presc is None else theta_presc[:, :, start:stop]
        ierr, ecol, estep, errmsg, diag = advance(setup.inputs, state, forc, tapes, start, stop,
                                                  presc)
        raise_on_error(ierr, _step_message(errmsg, estep, src.time, start), ecol)
        maxerr = np.maximum(maxerr, diag[:, :2].max(axis=0))
        maxcerr = max(maxcerr, float(diag[:, 5].max()))
        limited += diag[:, 2]
        tapes.final_attrs.update({"max_abs_water_balance_error_mm": float(maxerr[0]),
                                  "max_abs_energy_balance_error_W_m-2": float(maxerr[1]),
                                  "hr_limited_steps": int(limited.max())})
        if setup.carbon:
            tapes.final_attrs["max_abs_soil_carbon_balance_error_gC_m-2"] = maxcerr
        if restart is not None and (stop in due or stop == nstep):
            when = src.time[stop] if stop < nstep else src.time[-1] + np.timedelta64(
                int(dtime), "s")
            restart(state, when)
        if progress:
            _progress_bar(stop, nstep)
        check_stop()                 # a stop request whose KeyboardInterrupt was lost
    return maxerr


def _mean_tair(src):
    """Mean air temperature of the first year of a forcing source [K]."""
    n = min(src.time.size, int(round(365 * 86400 / src.dtime)))
    return float(np.mean(src.values(0, n)["Tair"]))


def spin_up(setup, full, state, config):
    """Cycle the spin-up period of the forcing source until total column water
    changes by less than spinup_tol [mm] over a cycle (every column), at most
    spinup_max_years cycles. The period is spinup_begin .. spinup_end (UTC),
    or by default the first whole calendar year of the forcing source (all
    of it if it holds no whole year). A spin-up that stops at its cap warns
    and says so in the run's attributes (spinup_converged = 0).
    """
    if config["spinup_begin"]:
        t0 = _date(config, "spinup_begin")
        t1 = _date(config, "spinup_end") if config["spinup_end"] else t0 + pd.DateOffset(years=1)
        src = full.select(t0.to_datetime64(), t1.to_datetime64())
        if src is None or t1 <= t0:
            raise InputError(f"spin-up period {t0.date()} to {t1.date()} (spinup_begin, "
                             "spinup_end) holds no forcing steps", argument="spinup_begin")
    else:
        year = full.first_full_year()
        src = full if year is None else full.select(year[0].to_datetime64(),
                                                    year[1].to_datetime64())
    period = f"{pd.Timestamp(src.time[0])} to {pd.Timestamp(src.time[-1])} (UTC step starts)"
    change = np.inf
    ncycle = config["spinup_max_years"]
    out = {"years": ncycle, "change": change, "converged": 0, "period": period}
    with _carbon_off(setup):                    # water first: carbon does not change it
        for cycle in range(1, ncycle + 1):
            before = state.total_water()
            _spin_cycle(setup, src, state, cycle)
            change = float(np.abs(state.total_water() - before).max())
            if change < config["spinup_tol"]:
                out.update(years=cycle, change=change, converged=1)
                break
    if not out["converged"]:
        out["change"] = change
        warnings.warn(f"spin-up stopped at its cap of {ncycle} cycles (spinup_max_years) with "
                      f"column water still changing by {change:.3g} mm per cycle (spinup_tol = "
                      f"{config['spinup_tol']:g} mm); the run starts from a state not in "
                      "equilibrium", RuntimeWarning, stacklevel=3)
    if setup.carbon:
        out.update(carbon_spin_up(setup, src, state, config, out["years"]))
    return out


def _spin_cycle(setup, src, state, cycle, fields=(("ERRH2O", "X"),)):
    """One spin-up cycle over ``src``; returns the mean of ``fields`` over it
    (one record) as a Dataset."""
    spec = [Tape(0, src.time.size, 1, list(fields))]
    tapes = TapeSet(spec, setup.grid.nlev, setup.ncol, setup.config["dtime"], src.time,
                    lambda: ({}, {}, {}), npatch=setup.npatch)
    try:
        integrate(setup, src, state, tapes)
    except InputError as err:
        raise InputError(f"spin-up cycle {cycle}: {err}", argument=err.argument,
                         column=err.column) from None
    return tapes.datasets()[0]


class _carbon_off:
    """Context in which the driver runs without carbon (restored after)."""

    def __init__(self, setup):
        self.ctl, self.k = setup.inputs.ctl_i, CTL_I["use_carbon"].index

    def __enter__(self):
        self.saved = int(self.ctl[self.k])
        self.ctl[self.k] = 0

    def __exit__(self, *exc):
        self.ctl[self.k] = self.saved


def carbon_spin_up(setup, src, state, config, cycle0):
    """Bring the carbon pools to the steady state of the spin-up period.

    1. One cycle with carbon gives each patch's NPP (its litterfall from then
       on: annsum_npp) and the mean decomposition rate scalar of each layer.
    2. The pools are set to the steady state of the linear pool system under
       those mean rates and the mean litter input, M C + R = 0, solved
       directly (:func:`hrclm.carbon.steady_state`).
    3. Cycles follow. Rates and pools covary within a cycle (litter piles up
       while the soil is dry and decays after rain), so the mean-rate steady
       state is not exactly the cycle's; each cycle's mean rate of change r
       corrects the pools it started from by the Newton step of the
       mean-rate system, C <- C - M^-1 r, until the litter and soil carbon
       changes by less than spinup_carbon_tol [gC m-2 yr-1] over a cycle (at
       most spinup_max_years cycles).
    Returns the attributes of the carbon spin-up.
    """
    from . import carbon
    dz = setup.grid.dz
    ncol, npatch, nlev = setup.ncol, setup.npatch, setup.grid.nlev
    seconds = src.time.size * setup.config["dtime"]
    pool_index = [STATE_LEV[name].index for name in CARBON_POOLS]

    def new_year():
        state.col[:, STATE_COL["annsum_counter"].index] = 0.0
        state.pat[:, :, STATE_PAT["tempsum_npp"].index] = 0.0

    new_year()
    means = _spin_cycle(setup, src, state, cycle0 + 1,
                        fields=(("NPP_PATCH", "A"), ("DECOMP_SCALAR", "A")))
    annsum = np.asarray(means["NPP_PATCH"].values, float).reshape(ncol, npatch) * carbon.SECSPYR
    scal = np.asarray(means["DECOMP_SCALAR"].values, float).reshape(ncol, nlev)
    decomp_k = scal[:, :, None] / (carbon.constants()["tau"] * carbon.SECSPYR)[None, None, :]
    p = setup.inputs.patch
    frac = carbon.allocation_fractions(p("froot_leaf"), p("stem_leaf"), p("croot_stem"), annsum)
    a = np.maximum(annsum, 0.0) / carbon.SECSPYR
    rootfr = np.moveaxis(p("rootfr"), 2, 1)                      # (ncol, npatch, nlev)
    lf = np.stack([p("lf_flab"), p("lf_fcel"), p("lf_flig")], axis=-1)
    fr = np.stack([p("fr_flab"), p("fr_fcel"), p("fr_flig")], axis=-1)
    inputs = carbon.litter_input(setup.grid.z, dz, rootfr, p("wt"), a * frac[..., 0],
                                 a * frac[..., 1], a * frac[..., 2], a * frac[..., 3], lf, fr)
    sand = setup.inputs.layer("sand")

    def solve(rate):                                             # -M^-1 rate, rate >= 0
        try:
            return carbon.steady_state(setup.grid.z, dz, sand, decomp_k, rate)
        except InputError as err:
            raise InputError(f"carbon spin-up: {err}", argument="use_carbon") from None

    pools, relres = solve(inputs)
    state.lev[:, :, pool_index] = pools
    state.pat[:, :, STATE_PAT["annsum_npp"].index] = annsum
    tol = config["spinup_carbon_tol"]
    change = np.inf
    cycles = 0
    for cycles in range(1, config["spinup_max_years"] + 1):
        before = state.lev[:, :, pool_index].copy()
        new_year()
        _spin_cycle(setup, src, state, cycle0 + 1 + cycles)
        rate = (state.lev[:, :, pool_index] - before) / seconds          # [gC m-3 s-1]
        change = float(np.max(np.abs((rate * dz[None, :, None]).sum(axis=(1, 2)))) *
                       carbon.SECSPYR)
        if change < tol:
            break
        step = solve(np.maximum(rate, 0.0))[0] - solve(np.maximum(-rate, 0.0))[0]
        state.lev[:, :, pool_index] = np.maximum(before + step, 0.0)
    else:
        warnings.warn(f"carbon spin-up stopped at its cap of {cycles} cycles with soil carbon "
                      f"still changing by {change:.3g} gC m-2 yr-1 (spinup_carbon_tol = "
                      f"{tol:g})", RuntimeWarning, stacklevel=3)
    new_year()                           # the run starts a new year of NPP (CNAnnualUpdate)
    return {"carbon_cycles": cycles + 1, "carbon_change_gC_m-2_yr-1": change,
            "carbon_converged": int(change < tol), "carbon_relres": float(np.max(relres))}


def _date(config, name):
    try:
        return pd.Timestamp(config[name])
    except (ValueError, TypeError):
        raise InputError(f"&hrclm_inparm {name} = {config[name]!r} is not a date; give "
                         "'YYYY-MM-DD' (UTC)", argument=name) from None


def _refuse_if_too_big(setup, tapes_spec, src):
    """Refuse a run whose history kept in memory would not fit."""
    n = src.time.size
    dtime = setup.config["dtime"]
    total = 0.0
    for t in tapes_spec:
        width = sum(HISTORY[name].width(setup.grid.nlev, setup.npatch) for name, _ in t.fields)
        per = t.nhtfrq if t.nhtfrq > 0 else (-t.nhtfrq * 3600 / dtime if t.nhtfrq < 0
                                             else 28 * 86400 / dtime)
        total += setup.ncol * width * np.ceil(n / per) * 8.0
    total *= 2           # the records, and the Dataset built from them
    limit = _physical_memory() * MEMORY_FRACTION
    if total > limit:
        raise InputError(f"the history of this run would need about {total / 2**30:.1f} GiB in "
                         f"memory, more than {limit / 2**30:.1f} GiB ({MEMORY_FRACTION:.0%} of this "
                         "machine's memory); write it to files (output_dir=..., or hrclm run) or "
                         "ask for coarser tapes (hist_nhtfrq = -24 for daily means)",
                         argument="hist_nhtfrq")


def _physical_memory():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def _attrs(setup, src, spin, restart_from, case):
    config = setup.config
    attrs = {
        "title": f"hrclm column run at {setup.site.id}",
        "case": case,
        "hrclm_version": __version__,
        "site": setup.site.id,
        "site_file": setup.site.file,
        "pft_cover": "; ".join(f"PFT {p.index} {p.name} {f:.4g}"
                               for p, f in setup.site.pft_weights()),
        "vegetation": " | ".join(
            f"patch {k} PFT {pft.index}: " + "; ".join(
                f"{name} = {getattr(pft, name):.6g} {VEGETATION_UNITS[name]}".rstrip()
                for name in ("smpso", "smpsc", "rsmin", "rgl", "hs", "sai", "albedo"))
            + f"; HR {'on' if setup.hr_patch[k] else 'off'}"
            for k, (pft, _) in enumerate(setup.pfts)),
        "canopy": f"htop = {setup.site.canopy_height:g} m; zref = "
                  f"{setup.site.measurement_height:g} m",
        "namelist": config.to_namelist(),
        "namelist_sources": "; ".join(config.sources),
        "use_hr": int(bool(config["use_hr"])),
        "root_uptake": config["root_uptake"],
        "dtime": float(config["dtime"]),
        "initial_state": restart_from or ("spin-up" if spin["years"] else "cold start"),
        "spinup_years": int(spin["years"]),
        "spinup_final_change_mm": float(spin["change"]),
        "spinup_tolerance_mm": float(config["spinup_tol"]),
        "spinup_converged": int(spin["converged"]),
        "spinup_period": spin["period"],
        "use_carbon": int(setup.carbon),
        **{f"spinup_{k}": v for k, v in spin.items() if k.startswith("carbon")},
        "max_abs_water_balance_error_mm": float("nan"),
        "max_abs_energy_balance_error_W_m-2": float("nan"),
        "hr_limited_steps": 0,
    }
    for k, v in src.attrs.items():
        attrs[f"forcing_{k}"] = v if isinstance(v, (str, int, float)) else str(v)
    return attrs


def _step_message(errmsg, estep, time, offset, prefix=""):
    msg = errmsg.decode().strip() if isinstance(errmsg, bytes) else str(errmsg).strip()
    if estep > 0:
        i = offset + estep - 1
        # the core counts steps from the start of its call; the run from its start
        msg = msg.replace(f"step {estep}", f"step {i + 1}", 1)
        msg = f"{msg} [{prefix}time {pd.Timestamp(time[i])}]"
    return msg


def _progress_bar(done, total, width=40):
    """One updating line on stderr: [#####.....] 52 %."""
    filled = int(width * done / total)
    end = "\n" if done >= total else ""
    sys.stderr.write(f"\rhrclm [{'#' * filled}{'.' * (width - filled)}] {100 * done / total:3.0f} %{end}")
    sys.stderr.flush()


# --------------------------------------------------------------------------
# files

RESTART_FORMAT = "hrclm-restart-5"


def write_restart(state, path, setup):
    """Write a state and the identity of its configuration (shapes, grid,
    soil, site) to netCDF, atomically."""
    ident = setup.identity()
    data = {name: (("column", "levsoi"), state[name], {"units": v.units, "long_name": v.long_name})
            for name, v in STATE_LEV.items()}
    data.update({name: ("column", state[name], {"units": v.units, "long_name": v.long_name})
                 for name, v in STATE_COL.items()})
    data.update({name: (("column", "patch"), state[name], {"units": v.units,
                                                          "long_name": v.long_name})
                 for name, v in STATE_PAT.items()})
    data.update({name: (("column", "levgrnd"), state[name], {"units": v.units,
                                                             "long_name": v.long_name})
                 for name, v in STATE_GRND.items()})
    data["dzsoi"] = ("levsoi", ident["dzsoi"], {"units": "m"})
    data["watsat"] = ("levsoi", ident["watsat"], {"units": "m3 m-3"})
    ds = xr.Dataset(data, attrs={"format": RESTART_FORMAT, "hrclm_version": __version__,
                                 "site": ident["site"], "ncol": ident["ncol"],
                                 "nlev": ident["nlev"], "npatch": ident["npatch"],
                                 "namelist": setup.config.to_namelist()})
    write_netcdf(ds, path)


def read_restart(path, setup=None):
    """Read a state written by :func:`write_restart`; with ``setup``, refuse
    (one sentence naming both) a restart whose shapes, grid, soil or site do
    not match the configuration."""
    path = existing_file(path, "restart file", "finidat",
                         "; give a restart file (<case>.hrclm.r.<date>.nc) written by hrclm run")
    try:
        with xr.open_dataset(path) as ds:
            if ds.attrs.get("format") != RESTART_FORMAT:
                raise ValueError
            lev = np.stack([ds[name].values for name in STATE_LEV], axis=-1)
            col = np.stack([ds[name].values for name in STATE_COL], axis=-1)
            pat = np.stack([ds[name].values for name in STATE_PAT], axis=-1)
            grnd = np.stack([ds[name].values for name in STATE_GRND], axis=-1)
            ident = {"ncol": int(ds.attrs["ncol"]), "nlev": int(ds.attrs["nlev"]),
                     "npatch": int(ds.attrs["npatch"]),
                     "site": str(ds.attrs["site"]), "dzsoi": ds.dzsoi.values,
                     "watsat": ds.watsat.values}
    except InputError:
        raise
    except Exception:
        raise InputError(f"restart file {path} is not an hrclm restart (written by hrclm run "
                         f"as <case>.hrclm.r.<date>.nc, format {RESTART_FORMAT})",
                         argument="finidat") from None
    state = ColumnState(lev, col, pat, grnd)
    if lev.shape[:2] != (ident["ncol"], ident["nlev"]) or pat.shape[:2] != (ident["ncol"],
            ident["npatch"]) or grnd.shape[:2] != (ident["ncol"], ident["nlev"] + NLEVBED):
        raise InputError(f"restart file {path} is damaged: its arrays do not have the "
                         f"{ident['ncol']} columns x {ident['nlev']} layers it states",
                         argument="finidat")
    if setup is not None:
        _match_restart(ident, setup, path)
        state.weights = setup.weights()
    return state


def _match_restart(ident, setup, path):
    want = setup.identity()
    if (ident["ncol"], ident["nlev"], ident["npatch"]) != (want["ncol"], want["nlev"],
                                                           want["npatch"]):
        raise InputError(f"restart file {path} holds {ident['ncol']} columns x {ident['nlev']} "
                         f"layers x {ident['npatch']} patches but the configuration has "
                         f"{want['ncol']} columns x {want['nlev']} layers x {want['npatch']} "
                         "patches; use a restart written by the same configuration",
                         argument="finidat")
    if not np.allclose(ident["dzsoi"], want["dzsoi"], rtol=1e-12, atol=0):
        raise InputError(f"restart file {path} has layer thicknesses {np.round(ident['dzsoi'], 4).tolist()}"
                         f" m but the configuration has {np.round(want['dzsoi'], 4).tolist()} m",
                         argument="finidat")
    if ident["site"] != want["site"] or not np.allclose(ident["watsat"], want["watsat"],
                                                        rtol=1e-12, atol=0):
        raise InputError(f"restart file {path} was written for site {ident['site']} (its soil "
                         f"porosity {np.round(ident['watsat'], 3).tolist()}) but the "
                         f"configuration is site {want['site']} (porosity "
                         f"{np.round(want['watsat'], 3).tolist()}); its water would be "
                         "reinterpreted in another soil", argument="finidat")


def _checked_state(state, setup, what):
    lev, col, pat = np.asarray(state.lev), np.asarray(state.col), np.asarray(state.pat)
    want = (setup.ncol, setup.grid.nlev)
    if lev.shape[:2] != want or col.shape[0] != setup.ncol or pat.shape[:2] != (
            setup.ncol, setup.npatch) or np.asarray(state.grnd).shape[:2] != (
            setup.ncol, setup.grid.nlev + NLEVBED):
        raise InputError(f"{what} holds {lev.shape[0]} columns x {lev.shape[1]} layers but the "
                         f"configuration has {want[0]} columns x {want[1]} layers",
                         argument="state")
    state = state.copy()
    state.weights = setup.weights()
    return state


def read_netcdf(path, what, hint, argument, lazy=False):
    """Load a netCDF file into memory (or open it lazily, read on use), or
    raise InputError in one sentence naming what the file was for (``what``)
    and what would be valid (``hint``)."""
    path = existing_file(path, what, argument, f", not a file; {hint}")
    try:
        return xr.open_dataset(path) if lazy else xr.load_dataset(path)
    except Exception as err:
        raise InputError(f"{what} {path} could not be read as netCDF ({type(err).__name__}); "
                         f"{hint}", argument=argument) from None


def write_netcdf(ds, path):
    """Write a Dataset to netCDF atomically: a temporary file in the same
    folder is renamed over the target only when complete, so a failed write
    leaves no partial file (and an older file at the path untouched)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        ds.to_netcdf(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


