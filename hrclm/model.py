"""The column driver: configuration + site + forcing -> output Dataset.

``run(config, forcing)`` prepares the time-invariant inputs once, spins the
column up on the first year if asked, then advances all columns (one per
ensemble member) through the forcing in compiled code, one chunk (a year) per
call, and returns CLM history variables on (time, levsoi) or
(column, time, levsoi).
"""

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from . import __version__
from ._fortran import core as _core, map_column_blocks, raise_on_error
from .column import LOWER_BC
from .config import Config, load_config
from .constants import MM_PER_MPA, crt_from_cm_per_mpa_per_h
from .errors import InputError
from .hr import NIGHT_RULES, RX_RULES, THICKNESS_RULES
from .io.weather import FORCING_VARIABLES, generate_forcing
from .sites import VEGETATION_UNITS, get_site
from .soil import NLEVSOI, clm45_grid, grid_from_thickness, soil_properties

# order of the per-column outputs of the compiled model (fortran/LandColumnMod.F90)
_COLUMN_OUTPUTS = [
    ("QVEGT", "canopy transpiration", "mm s-1"),
    ("QVEGE", "canopy evaporation of intercepted water", "mm s-1"),
    ("QSOIL", "ground evaporation", "mm s-1"),
    ("QINFL", "infiltration into layer 1, net of ground evaporation", "mm s-1"),
    ("QOVER", "surface runoff", "mm s-1"),
    ("QDRAI", "sub-surface drainage", "mm s-1"),
    ("ZWT", "water table depth", "m"),
    ("BTRAN", "transpiration beta factor", "1"),
    ("FSH", "sensible heat flux", "W m-2"),
    ("EFLX_LH_TOT", "total latent heat flux", "W m-2"),
    ("FGR", "ground heat flux", "W m-2"),
    ("FSA", "absorbed solar radiation", "W m-2"),
    ("FIRA", "net infrared (longwave) radiation, positive upward", "W m-2"),
    ("H2OCAN", "intercepted water", "mm"),
    ("H2OSNO", "snow water equivalent", "mm"),
    ("ERRH2O", "water balance error of the step", "mm"),
    ("ERRSEB", "surface energy balance error", "W m-2"),
    ("HR_SWITCH", "hydraulic redistribution switch D", "1"),
    ("WA", "water in the unconfined aquifer", "mm"),
]


@dataclass
class ModelState:
    """Prognostic state of the columns (all that a restart needs).

    Attributes: h2osoi_liq (ncol, nlev) [mm], zwt (ncol,) [m], wa (ncol,)
    [mm], h2ocan (ncol,) [mm], h2osno (ncol,) [mm].
    """

    h2osoi_liq: np.ndarray
    zwt: np.ndarray
    wa: np.ndarray
    h2ocan: np.ndarray
    h2osno: np.ndarray

    def copy(self):
        return ModelState(*(np.array(getattr(self, k), order="F", copy=True)
                            for k in ("h2osoi_liq", "zwt", "wa", "h2ocan", "h2osno")))

    def total_water(self):
        """Water held by each column [mm]."""
        return self.h2osoi_liq.sum(axis=1) + self.wa + self.h2ocan + self.h2osno


class ColumnSetup:
    """Time-invariant inputs of the compiled model for one configuration."""

    def __init__(self, config, site):
        self.config = config
        self.site = site
        self.ncol = ncol = config.ncolumns()
        dz = config["layer_dz"]
        self.grid = grid_from_thickness(dz) if dz else clm45_grid(NLEVSOI)
        nlev = self.grid.nlev
        sand, clay = site.texture(self.grid)
        self.props = soil_properties(sand, clay, self.grid.z, config["orgdens"])
        veg = site.vegetation()
        self.veg = veg

        def layers(x):
            return np.asfortranarray(np.broadcast_to(np.asarray(x, float), (ncol, nlev)))

        def cols(x):
            return np.ascontiguousarray(np.broadcast_to(np.asarray(x, float), (ncol,)))

        g = self.grid
        self.layer_args = [layers(g.z), layers(g.dz),
                           np.asfortranarray(np.broadcast_to(g.zi, (ncol, nlev + 1))),
                           layers(self.props.watsat), layers(self.props.sucsat),
                           layers(self.props.bsw), layers(self.props.hksat),
                           layers(self.props.watfc), layers(site.rootfr(g))]
        cv = config.column_values
        self.column_args = [cols(veg["smpso"]), cols(veg["smpsc"]), cols(cv("wtfact")),
                            cols(cv("rsub_top_max")), cols(cv("fdrai")), cols(veg["sai"]),
                            cols(veg["htop"]), cols(veg["zref"]), cols(veg["albedo"]),
                            cols(np.array(cv("rsmin_scale")) * veg["rsmin"]), cols(veg["rgl"]),
                            cols(veg["hs"]), cols(cv("sco2"))]
        self.hr_args = [cols(crt_from_cm_per_mpa_per_h(np.array(cv("hr_crt")))),
                        cols(np.array(cv("hr_psi50")) * MM_PER_MPA), cols(cv("hr_b"))]
        self.lower_bc = LOWER_BC[config["lower_bc"]]

    def initial_state(self):
        c, ncol, g = self.config, self.ncol, self.grid
        theta = (self.props.watfc if c["init_water"] == "field_capacity"
                 else c["sat_init"] * self.props.watsat)
        wa = np.full(ncol, c["wa_init"])
        zwt = (np.full(ncol, c["zwt_init"]) if c["zwt_init"] >= 0
               else 25.0 + g.zi[-1] - wa / 200.0)
        if self.lower_bc == LOWER_BC["water_table"]:
            zwt[:] = g.zi[-1]
        return ModelState(np.asfortranarray(np.broadcast_to(theta * g.dz * 1000.0,
                                                            (ncol, g.nlev))).copy(order="F"),
                          zwt, wa, np.zeros(ncol), np.zeros(ncol))

    def advance(self, forcing_arrays, lai, state, dtime):
        """Run the compiled model over the given steps; state is updated in place.

        Columns go to the compiled code in blocks of at most
        ``hrclm._fortran.COLUMN_BLOCK``, which keeps each call's scratch arrays
        small (they live on the stack) and its working set in cache; several
        blocks run in parallel threads (HRCLM_NUM_THREADS, default all cores).
        """
        c = self.config
        ncol, nlev = self.ncol, self.grid.nlev
        nstep = lai.shape[1]
        out_liq = np.zeros((ncol, nlev, nstep), order="F")
        out_qhr = np.zeros((ncol, nlev, nstep), order="F")
        out_col = np.zeros((ncol, len(_COLUMN_OUTPUTS), nstep), order="F")
        lambda_ref = 2.501e6
        options = (int(bool(c["use_hr"])),)
        flags = (RX_RULES[c["hr_rx_rule"]], THICKNESS_RULES[c["hr_thickness_rule"]],
                 int(bool(c["hr_top_layer"])), NIGHT_RULES[c["hr_night_rule"]],
                 c["hr_le_max"] / lambda_ref, c["hr_sabv_max"], c["hr_tair_min"] + 273.15)
        state_arrays = (state.h2osoi_liq, state.zwt, state.wa, state.h2ocan, state.h2osno)

        def run_block(blk):
            # parameters, forcing and state by block; the outputs are the
            # whole arrays, which the core writes in place
            part = [np.asfortranarray(a[blk]) for a in state_arrays]
            ierr, ecol, estep, errmsg = _core.f90wrap_hrclm_api__api_column_model_run(
                blk.stop - blk.start, ncol, blk.start, nlev, nstep, len(_COLUMN_OUTPUTS),
                float(dtime), self.lower_bc,
                *(np.asfortranarray(a[blk]) for a in self.layer_args),
                *(np.ascontiguousarray(a[blk]) for a in self.column_args), *options,
                *(np.ascontiguousarray(a[blk]) for a in self.hr_args), *flags,
                *(np.asfortranarray(a[blk]) for a in forcing_arrays), np.asfortranarray(lai[blk]),
                *part, out_liq, out_qhr, out_col)
            if ierr == 0:
                for full, new in zip(state_arrays, part):
                    full[blk] = new
            return ierr, ecol + blk.start if ecol > 0 else 0, estep, errmsg

        for ierr, ecol, estep, errmsg in map_column_blocks(ncol, run_block):
            if ierr != 0:
                return ierr, ecol, estep, errmsg, out_liq, out_qhr, out_col
        return 0, 0, 0, "", out_liq, out_qhr, out_col


def _forcing_arrays(forcing, ncol, start, stop):
    arrays = []
    for name in FORCING_VARIABLES:
        v = np.asarray(forcing[name].values[start:stop], dtype=np.float64)
        arrays.append(np.asfortranarray(np.broadcast_to(v, (ncol, v.size))))
    return arrays


def _check_forcing(forcing, dtime):
    missing = [v for v in FORCING_VARIABLES if v not in forcing]
    if missing:
        raise InputError(f"forcing lacks {', '.join(missing)}; an hrclm forcing Dataset has "
                         f"{', '.join(FORCING_VARIABLES)}", argument="forcing")
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
            raise InputError(f"forcing time step is {sorted(set(step))[:3]} s but dtime = "
                             f"{dtime} s; resample the forcing or set dtime", argument="dtime")


def _local_day_of_year(forcing, site):
    local = pd.DatetimeIndex(forcing.time.values) + pd.Timedelta(hours=site.utc_offset)
    return local.day_of_year.values + (local.hour.values + local.minute.values / 60.0) / 24.0


def spin_up(setup, forcing, lai, state, dtime):
    """Repeat the first year of forcing until total column water changes by less
    than spinup_tol [mm] over a year (all columns), at most spinup_max_years.

    Returns the number of years run and the last change of column water [mm].
    """
    c = setup.config
    steps_per_year = int(round(365 * 86400 / dtime))
    n = min(steps_per_year, forcing.time.size)
    arrays = _forcing_arrays(forcing, setup.ncol, 0, n)
    lai1 = np.asfortranarray(lai[:, :n])
    change = np.inf
    for year in range(1, c["spinup_max_years"] + 1):
        before = state.total_water()
        ierr, ecol, estep, errmsg, *_ = setup.advance(arrays, lai1, state, dtime)
        raise_on_error(ierr, _step_message(errmsg, estep, forcing, 0, "spin-up "), ecol)
        change = float(np.abs(state.total_water() - before).max())
        if change < c["spinup_tol"]:
            return year, change
    return c["spinup_max_years"], change


def _step_message(errmsg, estep, forcing, offset, prefix=""):
    msg = errmsg.decode().strip() if isinstance(errmsg, bytes) else str(errmsg).strip()
    if estep > 0:
        i = offset + estep - 1
        msg = f"{msg} [{prefix}time {pd.Timestamp(forcing.time.values[i])}]"
    return msg


def run(config=None, forcing=None, *, state=None, progress=False):
    """Run the column model.

    Parameters
    ----------
    config : Config, str, Path or None
        A :class:`hrclm.config.Config`, a namelist path, or None for defaults.
    forcing : xarray.Dataset, optional
        Forcing in the hrclm layout (:mod:`hrclm.io`); default: as the
        configuration says (weather generator or forcing_file).
    state : ModelState, optional
        Start from this state (a restart); no spin-up is done then.
    progress : bool
        Show a progress bar on stderr (updated once per simulated year).

    Returns
    -------
    xarray.Dataset
        CLM history variables with the complete resolved namelist, hrclm
        version and forcing provenance in the attributes. Use
        :func:`run_with_state` to get the final state as well.
    """
    return run_with_state(config, forcing, state=state, progress=progress)[0]


def run_with_state(config=None, forcing=None, *, state=None, progress=False):
    """As :func:`run`, also returning the final :class:`ModelState`."""
    if config is None:
        config = load_config()
    elif not isinstance(config, Config):
        config = load_config(config)
    site = get_site(config["site"])
    dtime = config["dtime"]
    if forcing is None:
        forcing = _forcing_from_config(config, site)
    _check_forcing(forcing, dtime)
    setup = ColumnSetup(config, site)
    lai = np.asfortranarray(np.broadcast_to(site.lai_at(_local_day_of_year(forcing, site)),
                                            (setup.ncol, forcing.time.size)))
    spin = (0, float("nan"))
    if state is None:
        state = setup.initial_state()
        if config["spinup"]:
            spin = spin_up(setup, forcing, lai, state, dtime)
    else:
        state = state.copy()
    nstep = forcing.time.size
    chunk = int(round(365 * 86400 / dtime))
    pieces = []
    for start in range(0, nstep, chunk):
        stop = min(nstep, start + chunk)
        arrays = _forcing_arrays(forcing, setup.ncol, start, stop)
        ierr, ecol, estep, errmsg, liq, qhr, col = setup.advance(
            arrays, np.asfortranarray(lai[:, start:stop]), state, dtime)
        raise_on_error(ierr, _step_message(errmsg, estep, forcing, start), ecol)
        pieces.append((liq, qhr, col))
        if progress:
            _progress_bar(stop, nstep)
    liq, qhr, col = (pieces[0][k] if len(pieces) == 1 else
                     np.concatenate([p[k] for p in pieces], axis=2) for k in range(3))
    ds = _history(setup, forcing, liq, qhr, col, lai, spin)
    return ds, state


def _progress_bar(done, total, width=40):
    """One updating line on stderr: [#####.....] 52 %."""
    filled = int(width * done / total)
    end = "\n" if done >= total else ""
    sys.stderr.write(f"\rhrclm [{'#' * filled}{'.' * (width - filled)}] {100 * done / total:3.0f} %{end}")
    sys.stderr.flush()


def _forcing_from_config(config, site):
    start = pd.Timestamp(year=config["start_year"], month=config["start_month"], day=1)
    if config["ndays"] > 0:
        stop = start + pd.Timedelta(days=config["ndays"])
    else:
        stop = start + pd.DateOffset(years=config["nyears"])
    if config["forcing"] == "generator":
        years = stop.year - start.year + 1
        forcing = generate_forcing(site, config["start_year"], years, config["dtime"],
                                   config["seed"], config["co2"])
    elif config["forcing"] == "uscrn":
        from .io.uscrn import read_uscrn
        folder = Path(config["forcing_file"])
        files = sorted(folder.glob("CRNH0203-*.txt")) if folder.is_dir() else []
        if not files:
            raise InputError(f"forcing = 'uscrn' but forcing_file = {str(folder)!r} is not a folder "
                             "holding USCRN hourly02 files (CRNH0203-*.txt)", argument="forcing_file")
        forcing, _ = read_uscrn(files, site=site, co2=config["co2"])
    else:
        forcing = read_netcdf(config["forcing_file"], "forcing_file",
                              "give a forcing file written by an hrclm reader", "forcing_file")
    # select the run period in local standard time
    offset = pd.Timedelta(hours=site.utc_offset)
    local = pd.DatetimeIndex(forcing.time.values) + offset
    keep = (local >= start) & (local < stop)
    if not keep.any():
        raise InputError(f"the forcing has no data between {start.date()} and {stop.date()} "
                         "(local standard time)", argument="forcing")
    return forcing.isel(time=np.flatnonzero(keep))


def _history(setup, forcing, liq, qhr, col, lai, spin):
    g = setup.grid
    dzmm = g.dz * 1000.0
    one = setup.ncol == 1
    # one column: no column dimension (built directly, not by isel afterwards)
    layer = ("time", "levsoi") if one else ("column", "time", "levsoi")
    flat = ("time",) if one else ("column", "time")

    def per_layer(a):
        a = np.moveaxis(a, 2, 1)            # (column, time, levsoi)
        return a[0] if one else a

    def per_column(a):
        return a[0] if one else a

    soilliq = per_layer(liq)
    variables = {
        "H2OSOI": xr.Variable(layer, soilliq / dzmm,
                              {"long_name": "volumetric soil water", "units": "m3 m-3"}),
        "SOILLIQ": xr.Variable(layer, soilliq,
                               {"long_name": "soil liquid water", "units": "kg m-2"}),
        "QHR": xr.Variable(layer, per_layer(qhr),
                           {"long_name": "hydraulic redistribution into the layer "
                                         "(positive: gain)", "units": "mm s-1"}),
        "TLAI": xr.Variable(flat, per_column(np.asarray(lai)),
                            {"long_name": "leaf area index", "units": "m2 m-2"}),
    }
    for k, (name, long_name, units) in enumerate(_COLUMN_OUTPUTS):
        variables[name] = xr.Variable(flat, per_column(col[:, k, :]),
                                      {"long_name": long_name, "units": units})
    for name in ("watsat", "watfc"):
        variables[name.upper()] = xr.Variable("levsoi", np.asarray(getattr(setup.props, name)),
                                              {"units": "m3 m-3"})
    coords = {
        "time": forcing.time.values,
        "levsoi": ("levsoi", g.z, {"long_name": "node depth", "units": "m"}),
        "dzsoi": ("levsoi", g.dz, {"long_name": "layer thickness", "units": "m"}),
        "zisoi_top": ("levsoi", g.zi[:-1], {"long_name": "layer top", "units": "m"}),
        "zisoi_bot": ("levsoi", g.zi[1:], {"long_name": "layer bottom", "units": "m"}),
    }
    if not one:
        coords["column"] = ("column", np.arange(setup.ncol))
    ds = xr.Dataset(variables, coords=coords)
    config = setup.config
    ds.attrs.update({
        "title": f"hrclm column run at {setup.site.id}",
        "hrclm_version": __version__,
        "site": setup.site.id,
        "site_file": setup.site.file,
        "pft_cover": "; ".join(f"PFT {p.index} {p.name} {f:.4g}"
                               for p, f in setup.site.pft_weights()),
        "vegetation": "; ".join(f"{k} = {v:.6g} {VEGETATION_UNITS[k]}".rstrip()
                                for k, v in setup.veg.items()),
        "namelist": config.to_namelist(),
        "namelist_sources": "; ".join(config.sources),
        "use_hr": int(bool(config["use_hr"])),
        "spinup_years": int(spin[0]),
        "spinup_final_change_mm": float(spin[1]),
        "spinup_tolerance_mm": float(config["spinup_tol"]),
        "max_abs_water_balance_error_mm": float(np.abs(col[:, 15, :]).max()),
        "max_abs_energy_balance_error_W_m-2": float(np.abs(col[:, 16, :]).max()),
        "time_convention": "UTC, start of each period",
    })
    for k, v in forcing.attrs.items():
        ds.attrs[f"forcing_{k}"] = v if isinstance(v, (str, int, float)) else str(v)
    return ds


def read_netcdf(path, what, hint, argument):
    """Load a netCDF file into memory, or raise InputError in one sentence
    naming what the file was for (``what``) and what would be valid (``hint``)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{what} {path} does not exist", argument=argument)
    try:
        return xr.load_dataset(path)
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


def write_restart(state, path, config):
    """Write a ModelState to netCDF (atomically)."""
    ds = xr.Dataset({
        "h2osoi_liq": (("column", "levsoi"), state.h2osoi_liq, {"units": "kg m-2"}),
        "zwt": ("column", state.zwt, {"units": "m"}),
        "wa": ("column", state.wa, {"units": "mm"}),
        "h2ocan": ("column", state.h2ocan, {"units": "mm"}),
        "h2osno": ("column", state.h2osno, {"units": "mm"}),
    }, attrs={"hrclm_version": __version__, "namelist": config.to_namelist()})
    write_netcdf(ds, path)


def read_restart(path):
    """Read a ModelState written by :func:`write_restart`."""
    with xr.open_dataset(path) as ds:
        return ModelState(np.asfortranarray(ds.h2osoi_liq.values), ds.zwt.values.copy(),
                          ds.wa.values.copy(), ds.h2ocan.values.copy(), ds.h2osno.values.copy())
