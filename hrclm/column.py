"""Soil-only entry point: advance CLM4.5 soil columns with or without hydraulic
redistribution under prescribed surface fluxes.

For researchers and verification: give layers, soil texture, roots, an
initial water profile and time series of water input, evaporation and
transpiration demand, and get an xarray Dataset with CLM history names. This
is the "prescribed" surface mode of the one column driver
(``fortran/ColumnDriverMod.F90``, through :func:`hrclm.driver.advance`): the
same time loop, input checks and water balance check as a whole-column run.
"""

from dataclasses import dataclass

import numpy as np

from ._fortran import raise_on_error
from .constants import RYEL_B, RYEL_CRT, RYEL_PSI50
from .driver import ColumnInputs, ColumnState, advance, forcing_block
from .errors import InputError
from .history import Tape, TapeSet
from .hr import RX_RULES, THICKNESS_RULES, _rule
from .soil import UPTAKE_RULES, SoilGrid, SoilProperties
from .variables import MODE_PRESCRIBED, PATPAR

LOWER_BC = {"aquifer": 1, "free_drainage": 2, "water_table": 3, "no_flow": 4}
"""Lower boundary conditions: CLM4.5's unconfined aquifer with a moving water
table; free drainage (unit gradient); a fixed water table (saturated
boundary) at the column bottom; no flow (impermeable bedrock)."""

RSUB_TOP_MAX = 5.5e-3
"""Drainage with the water table at the surface [mm s-1]: CLM4.5's value with
origflag = 1 (the CLM4.0 formulation); CLM4.5's default is 10 sin(slope)."""

FDRAI = 2.5
"""Decay factor of drainage with water-table depth, 1/h_kdepth [m-1]."""



@dataclass(frozen=True)
class HRParameters:
    """Ryel et al. (2002) HR parameters and options for a column run.

    Attributes
    ----------
    crt : float or array (ncol,)
        Root-system conductance C_RT [s-1] (default Ryel's 0.097 cm MPa-1 h-1).
    psi50 : float or array (ncol,)
        Potential of half soil-root conductance [mm] (default -1 MPa).
    b : float or array (ncol,)
        Conductance shape parameter [-] (default 3.22).
    rx_rule, thickness_rule, top_layer
        As for :func:`hrclm.hr_flux`.
    """

    crt: object = RYEL_CRT
    psi50: object = RYEL_PSI50
    b: object = RYEL_B
    rx_rule: str = "source"
    thickness_rule: str = "none"
    top_layer: bool = True


@dataclass
class SoilColumnState:
    """Prognostic state of ncol soil columns.

    Attributes
    ----------
    h2osoi_liq : ndarray (ncol, nlev)
        Liquid water per layer [mm] (= kg m-2).
    zwt : ndarray (ncol,)
        Water table depth [m].
    wa : ndarray (ncol,)
        Water in the unconfined aquifer [mm].
    """

    h2osoi_liq: np.ndarray
    zwt: np.ndarray
    wa: np.ndarray


_DEMANDS = ("water_input", "evaporation", "transpiration", "hr_switch")

SOIL_FIELDS = ("H2OSOI", "SOILLIQ", "QHR", "QINFL", "QOVER", "QDRAI", "QVEGT", "QSOIL", "ZWT",
               "BTRAN", "ERRH2O", "QTOPSOIL", "HR_SWITCH", "WA")
"""History fields of a soil-only run."""


def run_soil_column(grid, props, rootfr, theta, forcing, *, dtime=1800.0, smpso=-66000.0,
                    smpsc=-255000.0, lower_bc="aquifer", zwt=None, wa=4000.0, wtfact=0.3,
                    rsub_top_max=RSUB_TOP_MAX, fdrai=FDRAI, hr=None, uptake="hydraulic",
                    chunk_steps=17520, time=None, state=None, return_state=False):
    """Advance soil columns under prescribed surface fluxes.

    Parameters
    ----------
    grid : SoilGrid
        The hydrologically active layers (nlev).
    props : SoilProperties
        Hydraulic parameters, (nlev,) or (ncol, nlev).
    rootfr : array_like (nlev,) or (ncol, nlev)
        Root fraction per layer [-].
    theta : array_like (nlev,) or (ncol, nlev)
        Initial volumetric liquid water [m3 m-3], within [0, watsat].
    forcing : mapping or xarray.Dataset
        Time series (nstep,) or (ncol, nstep), all in mm s-1 except the switch:
        ``water_input`` (water reaching the soil surface, >= 0),
        ``evaporation`` (soil evaporation demand, >= 0; the column gives what
        layer 1 holds), ``transpiration`` (unstressed transpiration demand,
        >= 0; the column takes demand * btran), and optionally ``hr_switch``
        (HR switch D in [0, 1]; default 1, always on when HR is on).
    dtime : float
        Time step [s].
    smpso, smpsc : float or array (ncol,)
        Soil potential at full stomatal opening and closure [mm].
    lower_bc : {"aquifer", "free_drainage", "water_table", "no_flow"}
        Lower boundary (see :data:`LOWER_BC`).
    zwt : float or array (ncol,), optional
        Initial water table depth [m]; default CLM4.5's cold start,
        25 m + column depth - wa / (0.2 * 1000 mm m-1) (8.8 m for wa = 4000 mm).
    wa : float or array (ncol,)
        Initial aquifer water [mm] (CLM4.5 cold start: 4000).
    wtfact : float or array (ncol,)
        Maximum saturated fraction for saturation-excess runoff [-].
    rsub_top_max : float or array (ncol,)
        Drainage with the water table at the surface [mm s-1]. 0 switches
        sub-surface drainage off.
    fdrai : float or array (ncol,)
        Decay factor of drainage with table depth [m-1].
    hr : HRParameters or None
        Hydraulic redistribution on with these parameters, or off (None).
    uptake : {"clm45", "hydraulic"}
        How transpiration is drawn from the layers (:data:`hrclm.soil.UPTAKE_RULES`):
        CLM4.5's weights, or the parallel root model through the conductance
        of ``hr`` (Ryel's defaults when HR is off).
    chunk_steps : int
        Steps per call of the compiled loop (bounds memory for long runs).
    time : array_like (nstep,), optional
        Time coordinate of the output; default step numbers.
    state : SoilColumnState, optional
        Start from this state (e.g. the end of a previous run) instead of
        theta, zwt and wa. It is not modified.
    return_state : bool
        Also return the final :class:`SoilColumnState`.

    Returns
    -------
    xarray.Dataset
        On (time, levsoi), or (column, time, levsoi) for several columns:
        H2OSOI [m3 m-3], SOILLIQ [kg m-2], QHR [mm s-1, into the layer],
        QINFL, QOVER, QDRAI, QVEGT, QSOIL [mm s-1], ZWT [m], BTRAN [-],
        ERRH2O [mm] (water balance error of each step), with levsoi node
        depth, thickness and interfaces as coordinates. With
        ``return_state``, a tuple (Dataset, final SoilColumnState).

    Raises
    ------
    InputError
        For bad input, and for any step whose water balance error exceeds
        1e-8 mm, naming the column and step.
    """
    if not isinstance(grid, SoilGrid):
        raise InputError("grid must be a hrclm.soil.SoilGrid (clm45_grid or grid_from_thickness)",
                         argument="grid")
    nlev = grid.nlev
    theta = np.asarray(theta, dtype=np.float64)
    ncol = _column_count(props.watsat, rootfr, theta)
    shape = (ncol, nlev)

    def layers(name, value):
        arr = np.asarray(value, dtype=np.float64)
        if arr.shape[-1:] != (nlev,):
            raise InputError(f"{name} has shape {arr.shape}; its last dimension must be the "
                             f"{nlev} layers of the grid", argument=name)
        return np.asfortranarray(np.broadcast_to(arr, shape))

    def columns(name, value):
        arr = np.asarray(value, dtype=np.float64)
        if arr.ndim > 1 or (arr.ndim == 1 and arr.size not in (1, ncol)):
            raise InputError(f"{name} has shape {arr.shape}; give a scalar or one value per "
                             f"column ({ncol})", argument=name)
        return np.ascontiguousarray(np.broadcast_to(arr.reshape(-1), (ncol,)))

    watsat, sucsat, bsw, hksat = (layers(n, getattr(props, n))
                                  for n in ("watsat", "sucsat", "bsw", "hksat"))
    rootfr2 = layers("rootfr", rootfr)
    dz2 = layers("dz", grid.dz)
    theta2 = layers("theta", theta)
    bc = _rule(lower_bc, LOWER_BC, "lower_bc")
    if state is None:
        wa1 = columns("wa", wa).copy()
        state = SoilColumnState(
            h2osoi_liq=np.asfortranarray(theta2 * dz2 * 1000.0),
            zwt=(25.0 + grid.zi[-1] - wa1 / 200.0) if zwt is None else columns("zwt", zwt).copy(),
            wa=wa1)
    else:
        state = SoilColumnState(np.asfortranarray(np.broadcast_to(state.h2osoi_liq, shape)),
                                columns("zwt", state.zwt).copy(), columns("wa", state.wa).copy())
    if bc == LOWER_BC["water_table"]:
        state.zwt[:] = grid.zi[-1]

    use_hr = hr is not None
    hr = hr or HRParameters()
    ctl = dict(mode=MODE_PRESCRIBED, lower_bc=bc, use_hr=int(use_hr),
               rx_rule=_rule(hr.rx_rule, RX_RULES, "rx_rule"),
               thick_rule=_rule(hr.thickness_rule, THICKNESS_RULES, "thickness_rule"),
               top_layer=int(bool(hr.top_layer)), night_rule=1, dtime=float(dtime),
               hr_qvegt_max=0.0, hr_sabv_max=0.0, hr_tair_min=0.0, canopy=1,
               use_carbon=0, q10_mr=1.5, uptake=_rule(uptake, UPTAKE_RULES, "uptake"))
    # watfc and the thermal parameters are read by the canopy mode only; one
    # patch holds all the roots
    layer_par = dict(zsoi=grid.z, dzsoi=dz2, zisoi=grid.zi[1:], watsat=watsat, sucsat=sucsat,
                     bsw=bsw, hksat=hksat, watfc=watsat, csol=0.0, tkmg=0.0, tkdry=0.0,
                     sand=0.0)
    col_par = dict(wtfact=columns("wtfact", wtfact),
                   rsub_top_max=columns("rsub_top_max", rsub_top_max),
                   fdrai=columns("fdrai", fdrai), zref=0.0, sco2=0.0, soil_color=0.0)

    def patch(name, value):
        return columns(name, value)[:, None]

    patch_par = dict(wt=1.0, smpso=patch("smpso", smpso), smpsc=patch("smpsc", smpsc),
                     crt=patch("crt", hr.crt), psi50=patch("psi50", hr.psi50),
                     hr_b=patch("b", hr.b), krs=patch("crt", hr.crt),
                     # canopy parameters: not read in the prescribed mode
                     **{name: 0.0 for name in PATPAR if name not in (
                         "wt", "smpso", "smpsc", "crt", "psi50", "hr_b", "krs")})
    inputs = ColumnInputs(ncol, nlev, 1, ctl, layer_par, col_par, patch_par,
                          dict(rootfr=rootfr2[:, :, None]))
    st = ColumnState.from_values(ncol, nlev, 1, h2osoi_liq=state.h2osoi_liq, zwt=state.zwt,
                                 wa=state.wa)

    series = _forcing_series(forcing, ncol)
    nstep = series["water_input"].shape[1]
    synthetic = np.datetime64("2000-01-01") + np.arange(nstep) * np.timedelta64(int(dtime * 1e9), "ns")
    fields = [(name, "A") for name in SOIL_FIELDS]
    tapes = TapeSet([Tape(0, 1, 0, fields)], nlev, ncol, float(dtime), synthetic,
                    lambda: ({}, {}, {}))
    for start in range(0, nstep, int(chunk_steps)):
        stop = min(nstep, start + int(chunk_steps))
        forc = forcing_block({k: v[:, start:stop] for k, v in series.items()}, stop - start,
                             ncolf=ncol)
        ierr, ecol, estep, errmsg, _ = advance(inputs, st, forc, tapes, start, stop)
        if ierr != 0:
            msg = errmsg.decode().strip() if isinstance(errmsg, bytes) else str(errmsg).strip()
            if estep > 0:
                msg = msg.replace(f"step {estep}", f"step {start + estep} (time index "
                                  f"{start + estep - 1})")
            raise_on_error(ierr, msg, ecol, 0, one_column=False)
    ds = tapes.datasets()[0].drop_vars("time_bounds")
    for name in ds.data_vars:
        ds[name].attrs.pop("cell_methods", None)
    if ncol == 1:
        ds = ds.expand_dims(column=1).transpose("column", "time", ...)
    ds = ds.assign_coords(time=np.arange(nstep) if time is None else np.asarray(time))
    ds = ds.assign_coords(
        levsoi=("levsoi", grid.z, {"long_name": "node depth", "units": "m"}),
        dzsoi=("levsoi", grid.dz, {"long_name": "layer thickness", "units": "m"}),
        zisoi_top=("levsoi", grid.zi[:-1], {"long_name": "layer top", "units": "m"}),
        zisoi_bot=("levsoi", grid.zi[1:], {"long_name": "layer bottom", "units": "m"}))
    if bc != LOWER_BC["aquifer"]:
        ds["ZWT"].attrs["note"] = "fixed at the column bottom (lower boundary is not the aquifer)"
    ds.attrs = {"dtime": float(dtime), "use_hr": int(use_hr), "root_uptake": uptake,
                "lower_bc": [k for k, v in LOWER_BC.items() if v == bc][0],
                "max_abs_water_balance_error_mm":
                    float(np.abs(ds.ERRH2O).max()) if nstep else 0.0}
    if use_hr:
        ds.attrs.update(hr_rx_rule=hr.rx_rule, hr_thickness_rule=hr.thickness_rule,
                        hr_top_layer=int(bool(hr.top_layer)))
    if ncol == 1:
        ds = ds.isel(column=0)
    state = SoilColumnState(st["h2osoi_liq"].copy(order="F"), st["zwt"].copy(), st["wa"].copy())
    return (ds, state) if return_state else ds


def _column_count(*arrays):
    counts = {np.asarray(a).shape[0] for a in arrays if np.ndim(a) == 2}
    if len(counts) > 1:
        raise InputError(f"per-layer inputs disagree on the number of columns: {sorted(counts)}",
                         argument="columns")
    return counts.pop() if counts else 1


def _forcing_series(forcing, ncol):
    """(ncol, nstep) float64 arrays of the four forcing series."""
    missing = [k for k in _DEMANDS[:3] if k not in forcing]
    if missing:
        raise InputError(f"forcing lacks {', '.join(missing)}; it needs water_input, evaporation "
                         "and transpiration in mm s-1 (and optionally hr_switch)",
                         argument="forcing")
    # a scalar hr_switch (default 1: HR may run at every step) broadcasts like the rest
    raw = {k: np.asarray(getattr(forcing[k], "values", forcing[k]) if k in forcing else 1.0,
                         dtype=np.float64) for k in _DEMANDS}
    nstep = max(a.shape[-1] for a in raw.values() if a.ndim >= 1)
    series = {}
    for k, arr in raw.items():
        try:
            # (nstep,) becomes one row for every column
            series[k] = np.broadcast_to(arr, (ncol, nstep))
        except ValueError:
            raise InputError(f"forcing {k} has shape {arr.shape}; give (nstep,) = ({nstep},) or "
                             f"(ncol, nstep) = ({ncol}, {nstep})", argument=k) from None
    return series
