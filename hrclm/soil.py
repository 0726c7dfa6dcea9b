"""CLM4.5 soil column geometry (and, with the soil-water issue, hydraulics).

The computations are done by the Fortran core (``fortran/SoilGridMod.F90``).
"""

from dataclasses import dataclass

import numpy as np

from ._fortran import core as _core, raise_on_error

NLEVGRND = 15
"""Number of CLM4.5 ground levels."""

NLEVSOI = 10
"""Number of hydrologically active CLM4.5 levels (the rest is bedrock)."""


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
