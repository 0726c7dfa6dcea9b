"""Physical constants and unit conversions used on the Python side.

Values are those of CESM's ``shr_const_mod`` as used by CLM4.5 and by the
Fortran module ``clm_varcon`` of hrclm (``fortran/clm_varcon.F90``).
"""

GRAV = 9.80616
"""Gravitational acceleration [m s-2] (CESM shr_const_g)."""

DENH2O = 1000.0
"""Density of liquid water [kg m-3] (CESM shr_const_rhofw)."""

TFRZ = 273.15
"""Freezing temperature of water [K] (CESM shr_const_tkfrz)."""

MM_PER_MPA = 1.0e9 / (DENH2O * GRAV)
"""Water head of one MPa [mm MPa-1]: 1e6 Pa / (rho_w g) in m, times 1000."""


def mpa_to_mm(psi_mpa):
    """Convert a water potential from MPa to mm of water head (CLM units).

    Parameters
    ----------
    psi_mpa : float or array_like
        Water potential [MPa].

    Returns
    -------
    float or ndarray
        Water potential [mm].
    """
    return psi_mpa * MM_PER_MPA


def mm_to_mpa(psi_mm):
    """Convert a water potential from mm of water head to MPa."""
    return psi_mm / MM_PER_MPA


def crt_from_cm_per_mpa_per_h(crt):
    """Convert Ryel's root-system conductance C_RT to CLM units.

    Ryel et al. (2002) give C_RT in cm of water depth per MPa per hour. With
    potentials in mm of head and fluxes in mm s-1 (CLM), C_RT is in s-1:
    ``C_RT[s-1] = C_RT[cm MPa-1 h-1] * 10 / MM_PER_MPA / 3600``.

    Parameters
    ----------
    crt : float or array_like
        C_RT [cm MPa-1 h-1].

    Returns
    -------
    float or ndarray
        C_RT [s-1].
    """
    return crt * 10.0 / MM_PER_MPA / 3600.0


# Ryel et al. (2002), Artemisia tridentata; values as used by SOILWAT2
# (DrylandEcology/SOILWAT2 tests/example/Input/veg.in) and CABLE
# (cbl_hyd_redistrib.F90). See docs/science.md section 1.2.
RYEL_CRT_CM_PER_MPA_PER_H = 0.097
"""Ryel et al. (2002) C_RT for big sagebrush [cm MPa-1 h-1]."""

RYEL_CRT = crt_from_cm_per_mpa_per_h(RYEL_CRT_CM_PER_MPA_PER_H)
"""Ryel et al. (2002) C_RT in CLM units [s-1] (about 2.642e-9)."""

RYEL_PSI50 = mpa_to_mm(-1.0)
"""Ryel et al. (2002) psi50, -1 MPa, in mm of head (about -101976 mm)."""

RYEL_B = 3.22
"""Ryel et al. (2002) shape parameter b of the soil-root conductance [-]."""
