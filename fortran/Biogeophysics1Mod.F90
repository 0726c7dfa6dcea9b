!> Ground surface properties for the turbulent fluxes (CLM4.5 Technical Note,
!! Oleson et al. 2013, sec. 5.2-5.4; CLM4.5 Biogeophysics1Mod): the specific
!! humidity of the soil surface and its temperature derivative, the soil
!! evaporation factor beta, ground emissivity and roughness.
!!
!!   q_g = alpha q_sat(T_g),  alpha = exp(psi_1 g / (R_wv T_g))    (TN eq. 5.73)
!!   psi_1 = max(-sucsat s^-b, -1e8 mm), s = max(theta_1/watsat, 0.01)
!! If q_sat(T_g) > q_atm > q_g the ground takes the air humidity and
!! dq_g/dT = 0 (CLM's guard against evaporation into saturated air).
!!   beta = 0.25 (1 - cos(pi min(theta_1/theta_fc, 1)))^2 below field
!!   capacity (Lee & Pielke 1992), else 1                          (TN eq. 5.68)
!! Ground emissivity 0.96 (soil) and roughness zlnd = 0.01 m (TN sec. 5.1,
!! 4.2). Snow and surface water are not represented yet.
module Biogeophysics1Mod

  use shr_kind_mod, only: r8 => shr_kind_r8
  use clm_varcon,   only: grav, rwat, zlnd
  use QSatMod,      only: QSat

  implicit none
  private

  public :: GroundProperties
  public :: soil_beta

  real(r8), parameter, public :: emg_soil = 0.96_r8   !< emissivity of soil [-]
  real(r8), parameter :: smpmin = -1.e8_r8            !< lowest soil potential for the surface humidity [mm]

contains

  !> Soil evaporation factor beta of Lee & Pielke (1992) as in CLM4.5 [-].
  elemental real(r8) function soil_beta(theta1, watfc1)
    real(r8), intent(in) :: theta1   !< volumetric water of layer 1 [m3 m-3]
    real(r8), intent(in) :: watfc1   !< field capacity of layer 1 [m3 m-3]
    real(r8), parameter :: pi = 3.14159265358979_r8
    if (theta1 < watfc1) then
       soil_beta = 0.25_r8 * (1._r8 - cos(pi * max(min(theta1 / watfc1, 1._r8), 0.01_r8)))**2
    else
       soil_beta = 1._r8
    end if
  end function soil_beta

  !> Ground humidity, its derivative, beta, emissivity and roughness.
  elemental subroutine GroundProperties(t_grnd, forc_q, forc_pbot, theta1, watsat1, sucsat1, bsw1, &
       watfc1, qg, dqgdT, soilbeta, emg, z0mg)
    real(r8), intent(in)  :: t_grnd      !< ground (soil layer 1) temperature [K]
    real(r8), intent(in)  :: forc_q      !< air specific humidity [kg kg-1]
    real(r8), intent(in)  :: forc_pbot   !< air pressure [Pa]
    real(r8), intent(in)  :: theta1, watsat1, watfc1   !< layer 1 water, porosity, field capacity [m3 m-3]
    real(r8), intent(in)  :: sucsat1     !< saturated matric potential (magnitude) [mm]
    real(r8), intent(in)  :: bsw1        !< Clapp-Hornberger b [-]
    real(r8), intent(out) :: qg          !< ground specific humidity [kg kg-1]
    real(r8), intent(out) :: dqgdT       !< dqg/dT [kg kg-1 K-1]
    real(r8), intent(out) :: soilbeta    !< soil evaporation factor [-]
    real(r8), intent(out) :: emg         !< ground emissivity [-]
    real(r8), intent(out) :: z0mg        !< ground roughness length [m]
    real(r8) :: s, psit, alpha, es, esdT, qsatg, qsatgdT
    real(r8), parameter :: roverg = rwat / grav * 1000._r8   ! [mm K-1]
    s = max(min(theta1 / watsat1, 1._r8), 0.01_r8)
    psit = max(smpmin, -sucsat1 * s**(-bsw1))
    alpha = exp(psit / roverg / t_grnd)
    call QSat(t_grnd, forc_pbot, es, esdT, qsatg, qsatgdT)
    qg = alpha * qsatg
    dqgdT = alpha * qsatgdT
    if (qsatg > forc_q .and. forc_q > qg) then
       qg = forc_q
       dqgdT = 0._r8
    end if
    soilbeta = soil_beta(theta1, watfc1)
    emg = emg_soil
    z0mg = zlnd
  end subroutine GroundProperties

end module Biogeophysics1Mod
