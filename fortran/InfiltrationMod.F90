!> Partition of water reaching the soil surface into surface runoff and
!! infiltration (CLM4.5 SurfaceRunoff and Infiltration, SoilHydrologyMod.F90;
!! Oleson et al. 2013, sec. 7.3), for an unfrozen column without snow.
!!
!!   fsat        = wtfact exp(-0.5 fover zwt)        saturated fraction [-]
!!   qover_sat   = fsat qflx_top                     saturation excess
!!   qinmax      = (1 - fsat) min(hksat(1:3))        infiltration capacity
!!   qover_inf   = max(0, qflx_top - qover_sat - qinmax)   infiltration excess
!!   qflx_infl   = qflx_top - qover_sat - qover_inf - qflx_evap
!!
!! CLM4.5 sends infiltration excess to a surface water store (h2osfc); this
!! column model sends it to surface runoff at once (no ponding), as
!! offline single-column setups commonly do. Soil evaporation is taken from
!! layer 1 through the infiltration flux, as in CLM4.5, and is limited to the
!! water that layer 1 can give in the step.
module InfiltrationMod

  use shr_kind_mod, only: r8 => shr_kind_r8

  implicit none
  private

  public :: SurfaceRunoffInfiltration

  real(r8), parameter, public :: fover  = 0.5_r8    !< decay factor of the saturated fraction [m-1]
  real(r8), parameter, public :: watmin = 0.01_r8   !< smallest liquid water of a layer [mm]

contains

  subroutine SurfaceRunoffInfiltration(dtime, use_fsat, qflx_top, qflx_evap_dmd, zwt, wtfact, &
       hksat, h2osoi_liq1, qflx_over, qflx_infl, qflx_evap)
    real(r8), intent(in)  :: dtime              !< time step [s]
    integer,  intent(in)  :: use_fsat           !< 1: saturated fraction from zwt; 0: fsat = 0
    real(r8), intent(in), contiguous :: qflx_top(:)        !< water reaching the soil surface (ncol) [mm s-1], >= 0
    real(r8), intent(in), contiguous :: qflx_evap_dmd(:)   !< soil evaporation demand (ncol) [mm s-1], >= 0
    real(r8), intent(in), contiguous :: zwt(:)             !< water table depth (ncol) [m]
    real(r8), intent(in), contiguous :: wtfact(:)          !< maximum saturated fraction f_max (ncol) [-]
    real(r8), intent(in), contiguous :: hksat(:,:)         !< saturated conductivity (ncol, nlev) [mm s-1]
    real(r8), intent(in), contiguous :: h2osoi_liq1(:)     !< liquid water of layer 1 (ncol) [mm]
    real(r8), intent(out), contiguous :: qflx_over(:)       !< surface runoff (ncol) [mm s-1]
    real(r8), intent(out), contiguous :: qflx_infl(:)       !< net flux into layer 1 (ncol) [mm s-1]
    real(r8), intent(out), contiguous :: qflx_evap(:)       !< soil evaporation taken (ncol) [mm s-1]
    real(r8) :: fsat, qinmax, qin
    integer  :: c, ntop
    ntop = min(3, size(hksat, 2))
    do c = 1, size(qflx_top)
       if (use_fsat == 1) then
          fsat = wtfact(c) * exp(-0.5_r8 * fover * zwt(c))
       else
          fsat = 0._r8
       end if
       qinmax = (1._r8 - fsat) * minval(hksat(c, 1:ntop))
       qin = qflx_top(c) * (1._r8 - fsat)
       qflx_over(c) = qflx_top(c) * fsat + max(0._r8, qin - qinmax)
       qin = min(qin, qinmax)
       qflx_evap(c) = min(qflx_evap_dmd(c), max(0._r8, (h2osoi_liq1(c) - watmin) / dtime + qin))
       qflx_infl(c) = qin - qflx_evap(c)
    end do
  end subroutine SurfaceRunoffInfiltration

end module InfiltrationMod
