"""CLM4.5 soil column geometry (and, with the soil-water issue, hydraulics).

The computations are done by the Fortran core (``fortran/SoilGridMod.F90``).
"""

from dataclasses import dataclass

import numpy as np

from ._fortran import core as _core, raise_on_error
from .constants import RYEL_B, RYEL_CRT, RYEL_PSI50
from .hr import _rule

NLEVGRND = 15
"""Number of CLM4.5 ground levels."""

NLEVSOI = 10
"""Number of hydrologically active CLM4.5 levels (the rest is bedrock)."""

ORGANIC_MAX = 130.0
"""Density of pure organic soil [kg m-3] (CLM4.5 organic_max)."""


@dataclass(frozen=True)
class SoilGrid:
    """Vertical soil grid.

    Attributes
    ----------
    z : ndarray (nlev,)
        Node depth [m], positive downward.
    dz : ndarray (nlev,)
        Layer thickness [m].
    zi : ndarray (nlev + 1,)
        Interface depth [m]; ``zi[0] = 0`` is the soil surface.
    """

    z: np.ndarray
    dz: np.ndarray
    zi: np.ndarray

    @property
    def nlev(self):
        return self.z.size


def clm45_grid(nlev=NLEVGRND):
    """CLM4.5's exponential soil grid (Oleson et al. 2013).

    Node depths ``z_i = 0.025 (exp(0.5 (i - 0.5)) - 1)`` m, i = 1..nlev.

    Parameters
    ----------
    nlev : int
        Number of levels (CLM4.5: 15, of which the top 10 are hydrologically
        active).

    Returns
    -------
    SoilGrid
    """
    nlev = int(nlev)
    if nlev < 1:
        raise ValueError(f"nlev = {nlev} is not valid; a soil grid needs at least 1 level")
    z, dz, zi = np.zeros(nlev), np.zeros(nlev), np.zeros(nlev + 1)
    _core.f90wrap_hrclm_api__api_soil_grid_clm45(nlev, z, dz, zi)
    return SoilGrid(z, dz, zi)


def grid_from_thickness(dz):
    """Soil grid from user-given layer thicknesses [m], nodes at mid-layer.

    Parameters
    ----------
    dz : array_like (nlev,)
        Layer thicknesses from the surface down [m], each > 0.

    Returns
    -------
    SoilGrid
    """
    dz = np.ascontiguousarray(np.atleast_1d(np.asarray(dz, dtype=np.float64)))
    if dz.ndim != 1 or dz.size == 0:
        raise ValueError(f"dz has shape {dz.shape}; give a 1-D list of layer thicknesses in m")
    z, zi = np.zeros(dz.size), np.zeros(dz.size + 1)
    ierr, errmsg = _core.f90wrap_hrclm_api__api_soil_grid_from_dz(dz.size, dz, z, zi)
    raise_on_error(ierr, errmsg)
    return SoilGrid(z, dz.copy(), zi)


@dataclass(frozen=True)
class SoilProperties:
    """CLM4.5 hydraulic parameters per layer, arrays (ncol, nlev).

    Attributes
    ----------
    watsat : porosity, volumetric water at saturation [m3 m-3]
    sucsat : magnitude of the saturated matric potential [mm]
    bsw : Clapp-Hornberger exponent B [-]
    hksat : saturated hydraulic conductivity [mm s-1]
    watfc : field capacity, water content where k = 0.1 mm d-1 [m3 m-3]
    """

    watsat: np.ndarray
    sucsat: np.ndarray
    bsw: np.ndarray
    hksat: np.ndarray
    watfc: np.ndarray

    def psi(self, theta):
        """Matric potential [mm] of volumetric water theta, with CLM's limits
        (0.01 <= theta/watsat <= 1, psi >= -1e8 mm)."""
        return _elementwise(_core.f90wrap_hrclm_api__api_soil_psi, theta, self)

    def theta(self, psi):
        """Volumetric water [m3 m-3] at matric potential psi [mm]; saturated
        for psi >= -sucsat."""
        return _elementwise(_core.f90wrap_hrclm_api__api_soil_theta, psi, self)


def _elementwise(routine, x, props):
    """Call an elementwise core routine on x broadcast against props' arrays."""
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64)
                                   for a in (x, props.watsat, props.sucsat, props.bsw)))
    flat = [np.ascontiguousarray(a.reshape(-1)) for a in arrays]
    out = np.zeros(flat[0].size)
    routine(out.size, *flat, out)
    return out.reshape(arrays[0].shape)


def soil_properties(sand, clay, z, orgdens=0.0):
    """Hydraulic parameters from texture, CLM4.5 (Clapp & Hornberger 1978;
    Cosby et al. 1984; organic soil after Lawrence & Slater 2008).

    Parameters
    ----------
    sand, clay : array_like (nlev,) or (ncol, nlev)
        Sand and clay content [%]; sand + clay <= 100.
    z : array_like, broadcastable
        Node depth of each layer [m] (organic properties vary with depth).
    orgdens : array_like, broadcastable
        Organic matter density [kg m-3], 0-130.

    Returns
    -------
    SoilProperties
        Arrays of the broadcast shape.
    """
    sand, clay, z, orgdens = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64)
                                                   for x in (sand, clay, z, orgdens)))
    shape = sand.shape
    if sand.ndim > 2:
        raise ValueError(f"sand has shape {shape}; give a value, (nlev,) or (ncol, nlev)")
    two = [np.asfortranarray(np.atleast_2d(x)) for x in (sand, clay, orgdens, z)]
    out = [np.zeros(two[0].shape, order="F") for _ in range(5)]
    ierr, ecol, elev, errmsg = _core.f90wrap_hrclm_api__api_soil_properties(
        two[0].shape[0], two[0].shape[1], *two, *out)
    raise_on_error(ierr, errmsg, ecol, elev, one_column=len(shape) <= 1)
    return SoilProperties(*(o.reshape(shape) for o in out))


def equilibrium_theta(zwt, grid, props):
    """Zeng & Decker (2009) hydrostatic-equilibrium water content of each layer.

    Parameters
    ----------
    zwt : float
        Water table depth [m].
    grid : SoilGrid
        The layers (nlev).
    props : SoilProperties
        One column's parameters, arrays (nlev,).

    Returns
    -------
    theta_eq : ndarray (nlev,)
        Layer-mean volumetric water at equilibrium [m3 m-3].
    psi_eq : ndarray (nlev,)
        Matching matric potential psi_E [mm].
    """
    n = grid.nlev
    vol_eq, zq = np.zeros(n + 1), np.zeros(n + 1)
    args = [np.ascontiguousarray(np.asarray(x, dtype=np.float64).reshape(n))
            for x in (props.watsat, props.sucsat, props.bsw)]
    _core.f90wrap_hrclm_api__api_soil_equilibrium(n, float(zwt), np.ascontiguousarray(grid.zi),
                                                  *args, vol_eq, zq)
    return vol_eq[:n], zq[:n]


UPTAKE_RULES = {"clm45": 1, "hydraulic": 2}
"""How transpiration is drawn from the layers (RootUptakeMod): ``"clm45"``,
CLM4.5's root fraction times wilting factor; ``"hydraulic"``, the parallel
root model through the HR scheme's root-system conductance C_RT."""


def root_uptake(theta, props, rootfr, smpso, smpsc, *, rule="hydraulic", qtran=0.0, krs=None,
                psi50=None, b=None):
    """Soil water stress factor btran and root uptake weights rootr.

    ``"clm45"`` (Oleson et al. 2013, sec. 8.3):
    ``w_i = min((psi_i - psi_c)/(psi_o - psi_c), 1)`` (>= 0),
    ``btran = sum_i rootfr_i w_i``, ``rootr_i = rootfr_i w_i / btran``.

    ``"hydraulic"`` (the model's default; parallel root model of Couvreur et
    al. 2012 and Vanderborght et al. 2021, without uptake of negative sign):
    layer i gives ``q_i = krs c_i rootfr_i (psi_i - psi_x)`` (>= 0, from
    layers wetter than psi_c only) with the relative soil-root conductance
    ``c_i = 1/(1 + (psi_i/psi50)^b)`` of Ryel et al. (2002) and the collar
    potential ``psi_x`` that makes the q_i sum to ``qtran``;
    ``rootr_i = q_i / qtran``. btran is CLM4.5's without the per-layer cap
    of w_i at 1, capped at 1 in total. With ``krs = 0`` both are CLM4.5's.

    Parameters
    ----------
    theta : array_like (nlev,) or (ncol, nlev)
        Volumetric liquid water [m3 m-3].
    props : SoilProperties
    rootfr : array_like
        Root fraction per layer [-].
    smpso, smpsc : float or array_like (ncol,)
        Potential at full opening and full closure of stomata [mm].
    rule : {"clm45", "hydraulic"}
    qtran : float or array_like (ncol,)
        Transpiration to distribute [mm s-1] (``"hydraulic"`` only; with 0
        the weights are ``rootfr_i w_i`` normalised, w_i without its cap).
    krs, psi50, b : float or array_like (ncol,), optional
        Root-system conductance [s-1], potential of half soil-root
        conductance [mm] and shape [-]; default Ryel et al.'s values. The
        namelist's units convert with
        :func:`hrclm.constants.crt_from_cm_per_mpa_per_h` (cm MPa-1 h-1)
        and :func:`hrclm.constants.mpa_to_mm`.

    Returns
    -------
    btran : float or ndarray (ncol,)
    rootr : ndarray like theta
    """
    code = _rule(rule, UPTAKE_RULES, "rule")
    theta = np.asarray(theta, dtype=np.float64)
    one = theta.ndim == 1
    layers = [np.asfortranarray(np.atleast_2d(np.broadcast_to(np.asarray(x, dtype=np.float64),
                                                              theta.shape)))
              for x in (theta, props.watsat, props.sucsat, props.bsw, rootfr)]
    ncol, nlev = layers[0].shape
    cols = [np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=np.float64), (ncol,)))
            for x in (smpso, smpsc, qtran, RYEL_CRT if krs is None else krs,
                      RYEL_PSI50 if psi50 is None else psi50, RYEL_B if b is None else b)]
    btran, rootr, psi_x = np.zeros(ncol), np.zeros((ncol, nlev), order="F"), np.zeros(ncol)
    _core.f90wrap_hrclm_api__api_root_uptake(ncol, nlev, code, *layers, *cols, btran, rootr,
                                             psi_x)
    return (btran[0], rootr[0]) if one else (btran, np.ascontiguousarray(rootr))


@dataclass(frozen=True)
class SoilThermalParameters:
    """CLM4.5 soil thermal parameters per layer (Tech Note ch. 6): ``tkmg``
    mineral/organic solid conductivity raised to (1 - watsat), ``tksatu``
    saturated unfrozen conductivity, ``tkdry`` dry conductivity [W m-1 K-1],
    ``csol`` heat capacity of the solids [J m-3 K-1]."""

    tkmg: np.ndarray
    tksatu: np.ndarray
    tkdry: np.ndarray
    csol: np.ndarray


def soil_thermal_params(sand, clay, orgdens, watsat):
    """Thermal parameters from texture, organic matter and porosity, CLM4.5.

    Parameters
    ----------
    sand, clay : array_like (nlev,) or (ncol, nlev)
        Sand and clay content [%].
    orgdens : array_like, broadcastable
        Organic matter density [kg m-3], 0-130; the organic fraction is
        (orgdens / 130)**2 as for the hydraulic parameters (CLM4.5).
    watsat : array_like, broadcastable
        Porosity [m3 m-3].
    """
    sand, clay, orgdens, watsat = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (sand, clay, orgdens, watsat)))
    shape = sand.shape
    om_frac = (orgdens / ORGANIC_MAX) ** 2
    two = [np.asfortranarray(np.atleast_2d(x)) for x in (sand, clay, om_frac, watsat)]
    out = [np.zeros(two[0].shape, order="F") for _ in range(4)]
    ierr, errmsg = _core.f90wrap_hrclm_api__api_soil_thermal_params(
        two[0].shape[0], two[0].shape[1], *two, *out)
    raise_on_error(ierr, errmsg)
    return SoilThermalParameters(*(o.reshape(shape) for o in out))


def ground_grid(z_h, zi):
    """Ground levels for soil temperature of a soil grid with node depths
    ``z_h`` (nlev) and interfaces ``zi`` (nlev + 1, surface first) [m]: the
    nlev soil layers and 5 bedrock levels with the thicknesses of CLM4.5's
    levels 11-15. Returns (z, dz, zi) [m]."""
    zi = np.ascontiguousarray(zi, dtype=np.float64)
    z_h = np.ascontiguousarray(z_h, dtype=np.float64)
    nlev = zi.size - 1
    z, dz, zig = np.zeros(nlev + 5), np.zeros(nlev + 5), np.zeros(nlev + 6)
    _core.f90wrap_hrclm_api__api_ground_grid(nlev, z_h, zi, z, dz, zig)
    return z, dz, zig
