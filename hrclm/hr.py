"""Hydraulic redistribution by roots (Ryel et al. 2002), computed by the Fortran core.

The physics lives in ``fortran/HydraulicRedistributionMod.F90``; this module
only shapes numpy arrays for it and turns its error codes into exceptions.

Units are CLM's throughout: soil matric potential ``psi`` in mm of water head
(negative), layer thickness ``dz`` in mm, fluxes in mm s-1 (= kg m-2 s-1),
C_RT in s-1. Use :func:`hrclm.constants.mpa_to_mm` and
:func:`hrclm.constants.crt_from_cm_per_mpa_per_h` to convert from the units of
the HR literature.

References
----------
Ryel, R. J., Caldwell, M. M., Yoder, C. K., Or, D. and Leffler, A. J. (2002):
Hydraulic redistribution in a stand of *Artemisia tridentata*: evaluation of
benefits to transpiration assessed with a simulation model. Oecologia 130,
173-184.
"""

import numpy as np

from ._fortran import core as _core, raise_on_error
from .constants import RYEL_B, RYEL_CRT, RYEL_PSI50
from .errors import InputError

RX_RULES = {"source": 1, "max": 2}
"""Which root fraction is R_x in ``1/(1 - R_x)``: ``"source"``, the wetter
(source) layer's, as SOILWAT2; ``"max"``, max(R_i, R_j), as CABLE."""

THICKNESS_RULES = {"none": 0, "soilwat2": 1}
"""Correction of root fractions for unequal layers: ``"none"``, or
``"soilwat2"``: the recipient's fraction is multiplied by dz_source/dz_recipient
when the source is the thinner layer."""

NIGHT_RULES = {"transpiration": 1, "shortwave": 2, "both": 3}
"""How the switch D is decided: transpiration below a threshold, absorbed
shortwave below a threshold, or both."""

QVEGT_NIGHT_MAX = 10.0 / 2.501e6
"""Default transpiration threshold for HR [mm s-1]: a latent heat flux of
10 W m-2 (CABLE's criterion) divided by the latent heat of vaporisation."""

SABV_NIGHT_MAX = 1.0
"""Default absorbed-shortwave threshold for HR [W m-2]: effectively night."""


def _rule(value, rules, name):
    try:
        return rules[value]
    except (KeyError, TypeError):
        valid = ", ".join(repr(k) for k in rules)
        raise InputError(f"{name} = {value!r} is not valid; use one of {valid}",
                         argument=name) from None


def _as_layers(name, value, shape):
    """Broadcast a per-layer argument to (ncol, nlev) float64, Fortran order."""
    arr = np.asarray(value, dtype=np.float64)
    try:
        arr = np.broadcast_to(arr, shape)
    except ValueError:
        raise InputError(f"{name} has shape {np.shape(value)}, which does not match "
                         f"psi's (ncol, nlev) = {shape}", argument=name) from None
    return np.asfortranarray(arr)


def _as_columns(name, value, ncol):
    """Broadcast a per-column argument (scalar or (ncol,)) to (ncol,) float64."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.size not in (1, ncol)):
        raise InputError(f"{name} has shape {arr.shape}; give a scalar or one value "
                         f"per column ({ncol})", argument=name)
    return np.ascontiguousarray(np.broadcast_to(arr.reshape(-1), (ncol,)))


def hr_conductance(psi, psi50=RYEL_PSI50, b=RYEL_B):
    """Relative soil-root conductance, Ryel et al. (2002) eq. 7.

    ``c = 1 / (1 + (psi / psi50)**b)``; 1 in wet soil, 0.5 at ``psi50``.

    Parameters
    ----------
    psi : array_like
        Soil matric potential [mm], <= 0.
    psi50 : float or array_like
        Potential at which the conductance is halved [mm], < 0.
    b : float or array_like
        Shape parameter [-], > 0.

    Returns
    -------
    ndarray
        c [-], same shape as the broadcast inputs.

    Raises
    ------
    InputError
        For psi > 0 or NaN, psi50 >= 0 or b <= 0, naming the argument, the
        value and the numpy index of the first bad one.
    """
    psi, psi50, b = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64)
                                          for x in (psi, psi50, b)))
    shape = psi.shape
    for name, arr, bad, valid in (("psi", psi, ~(psi <= 0.0), "<= 0 mm"),
                                  ("psi50", psi50, ~(psi50 < 0.0), "< 0 mm"),
                                  ("b", b, ~(b > 0.0), "> 0")):
        if bad.any():
            i = np.unravel_index(int(np.argmax(bad)), shape) if shape else ()
            where = f" at index {tuple(int(k) for k in i)}" if shape else ""
            raise InputError(f"{name} = {float(arr[i])!r}{where} is not valid: give a finite "
                             f"value {valid}", argument=name)
    flat = [np.ascontiguousarray(x.reshape(-1)) for x in (psi, psi50, b)]
    cond = np.zeros(flat[0].size)
    _core.f90wrap_hrclm_api__api_hr_conductance(cond.size, *flat, cond)
    return cond.reshape(shape)


def hr_night_switch(qvegt, sabv, rule="both", qvegt_max=QVEGT_NIGHT_MAX,
                    sabv_max=SABV_NIGHT_MAX):
    """The HR switch D per column: 1 when plants are not transpiring, else 0.

    Parameters
    ----------
    qvegt : float or array_like
        Canopy transpiration per column [mm s-1].
    sabv : float or array_like
        Shortwave radiation absorbed by the vegetation per column [W m-2].
    rule : {"transpiration", "shortwave", "both"}
        Which criterion decides (see :data:`NIGHT_RULES`).
    qvegt_max : float
        Transpiration below which HR runs [mm s-1]; default 10 W m-2 of
        latent heat as in CABLE (cbl_hyd_redistrib.F90).
    sabv_max : float
        Absorbed shortwave below which HR runs [W m-2].

    Returns
    -------
    ndarray
        D per column, 0.0 or 1.0.
    """
    code = _rule(rule, NIGHT_RULES, "night_rule")
    qvegt, sabv = np.broadcast_arrays(np.atleast_1d(np.asarray(qvegt, dtype=np.float64)),
                                      np.atleast_1d(np.asarray(sabv, dtype=np.float64)))
    qvegt = np.ascontiguousarray(qvegt)
    sabv = np.ascontiguousarray(sabv)
    night = np.zeros(qvegt.size)
    ierr, errmsg = _core.f90wrap_hrclm_api__api_hr_night_switch(
        qvegt.size, qvegt, sabv, code, float(qvegt_max), float(sabv_max), night)
    raise_on_error(ierr, errmsg)
    return night


def hr_flux(psi, rootfr, dz, night=1.0, *, crt=RYEL_CRT, psi50=RYEL_PSI50, b=RYEL_B,
            rx_rule="source", thickness_rule="none", top_layer=True, active=None,
            h2o_avail=None, h2o_room=None, dtime=1800.0):
    """Net hydraulic-redistribution flux into each soil layer (Ryel et al. 2002).

    ``H_i = C_RT sum_j (psi_j - psi_i) max(c_i, c_j) R_i R_j / (1 - R_x) D``,
    evaluated pair by pair so that water only moves from the wetter layer to
    the drier one and ``sum_i H_i = 0`` to round-off.

    Parameters
    ----------
    psi : array_like, (nlev,) or (ncol, nlev)
        Soil matric potential [mm], <= 0.
    rootfr : array_like, same shape as psi
        Fraction of active roots in each layer [-]; each column sums to 1
        (within 1e-6).
    dz : array_like, broadcastable to psi
        Layer thickness [mm].
    night : float or array_like (ncol,)
        The switch D in [0, 1]; see :func:`hr_night_switch`.
    crt : float or array_like (ncol,)
        Root-system conductance C_RT [s-1]; default Ryel's 0.097 cm MPa-1 h-1.
    psi50 : float or array_like (ncol,)
        Potential of half soil-root conductance [mm]; default -1 MPa.
    b : float or array_like (ncol,)
        Conductance shape parameter [-]; default 3.22.
    rx_rule : {"source", "max"}
        Which root fraction is R_x (see :data:`RX_RULES`).
    thickness_rule : {"none", "soilwat2"}
        Correction for unequal layer thickness (see :data:`THICKNESS_RULES`).
    top_layer : bool
        Whether layer 1 exchanges water (SOILWAT2 and Wang 2011 exclude it).
    active : array_like of bool, broadcastable to psi, optional
        Layers allowed to exchange water (e.g. False where frozen). Default all.
    h2o_avail : array_like, broadcastable to psi, optional
        Water each layer may lose this step before reaching its lower bound
        (residual or wilting water) [mm]. Default: no bound.
    h2o_room : array_like, broadcastable to psi, optional
        Water each layer may gain this step before saturation [mm].
        Default: no bound.
    dtime : float
        Time step [s]; used only by the limiter.

    Returns
    -------
    ndarray, same shape as psi
        HR flux into each layer [mm s-1] (negative: the layer loses water).

    Raises
    ------
    InputError
        For non-finite or out-of-range input, naming the argument and the
        numpy index of the first bad value.
    """
    psi = np.asarray(psi, dtype=np.float64)
    if psi.ndim not in (1, 2) or psi.size == 0:
        raise InputError(f"psi has shape {psi.shape}; give (nlev,) for one column or "
                         "(ncol, nlev) for several", argument="psi")
    one_column = psi.ndim == 1
    psi2 = np.asfortranarray(np.atleast_2d(psi))
    shape = psi2.shape
    ncol, nlev = shape

    def layers(name, value):
        value = np.asarray(value)
        if one_column and value.ndim == 1:
            value = value[np.newaxis, :]
        return _as_layers(name, value, shape)

    rootfr2 = layers("rootfr", rootfr)
    dz2 = layers("dz", dz)
    inf = np.inf
    avail2 = layers("h2o_avail", inf if h2o_avail is None else h2o_avail)
    room2 = layers("h2o_room", inf if h2o_room is None else h2o_room)
    active2 = np.asfortranarray(layers("active", True if active is None else active)
                                .astype(np.int32))
    night1 = _as_columns("night", night, ncol)
    crt1 = _as_columns("crt", crt, ncol)
    psi501 = _as_columns("psi50", psi50, ncol)
    b1 = _as_columns("b", b, ncol)
    qhr = np.zeros(shape, order="F")
    ierr, ecol, elev, errmsg = _core.f90wrap_hrclm_api__api_hr_flux(
        ncol, nlev, psi2, rootfr2, dz2, night1, crt1, psi501, b1,
        _rule(rx_rule, RX_RULES, "rx_rule"),
        _rule(thickness_rule, THICKNESS_RULES, "thickness_rule"),
        1 if top_layer else 0, active2, avail2, room2, float(dtime), qhr)
    raise_on_error(ierr, errmsg, ecol, elev, one_column)
    return qhr[0] if one_column else np.ascontiguousarray(qhr)
