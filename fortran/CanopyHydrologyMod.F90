!> Canopy interception (CLM4.5 Hydrology1 and FracWet; Oleson et al. 2013,
!! sec. 7.1) and a degree-day snow store.
!!
!! Interception: a fraction fpi = 0.25 (1 - exp(-0.5 (L + S))) of rain is
!! caught by the canopy, whose store holds at most dewmx (L + S) (dewmx = 0.1
!! mm); the excess drips. Wetted fraction fwet = (W / (dewmx (L + S)))^(2/3)
!! <= 1; dry leaf fraction fdry = (1 - fwet) L / (L + S).
!!
!! Snow (not CLM's multilayer snow): precipitation falls as snow when the air
!! is below freezing and melts at ddf (T - T_f) when above (degree-day
!! method, e.g. Hock 2003); snow is not intercepted and does not sublimate.
module CanopyHydrologyMod

  use shr_kind_mod, only: r8 => shr_kind_r8
  use clm_varcon,   only: tfrz

  implicit none
  private

  public :: CanopyInterception
  public :: SnowStore

  real(r8), parameter, public :: dewmx = 0.1_r8        !< canopy water capacity per unit L + S [mm]
  real(r8), parameter, public :: ddf_snow = 3.0_r8     !< degree-day melt factor [mm K-1 d-1]

contains

  !> Rain interception, drip and wetted fraction for ncol columns.
  subroutine CanopyInterception(dtime, rain, lai, sai, h2ocan, qflx_thru, qflx_intr, fwet, fdry)
    real(r8), intent(in)    :: dtime         !< time step [s]
    real(r8), intent(in), contiguous :: rain(:)       !< rainfall (ncol) [mm s-1]
    real(r8), intent(in), contiguous :: lai(:), sai(:)!< leaf and stem area index (ncol) [m2 m-2]
    real(r8), intent(inout), contiguous :: h2ocan(:)     !< canopy water (ncol) [mm]
    real(r8), intent(out), contiguous :: qflx_thru(:)  !< throughfall plus drip reaching the ground (ncol) [mm s-1]
    real(r8), intent(out), contiguous :: qflx_intr(:)  !< water kept by the canopy this step (ncol) [mm s-1]
    real(r8), intent(out), contiguous :: fwet(:)       !< wetted fraction of the canopy (ncol) [-]
    real(r8), intent(out), contiguous :: fdry(:)       !< dry, transpiring leaf fraction (ncol) [-]
    real(r8) :: vai, cap, caught, drip
    integer  :: c
    do c = 1, size(rain)
       vai = lai(c) + sai(c)
       cap = dewmx * vai
       caught = 0.25_r8 * (1._r8 - exp(-0.5_r8 * vai)) * rain(c)
       h2ocan(c) = h2ocan(c) + caught * dtime
       drip = max(0._r8, h2ocan(c) - cap) / dtime
       h2ocan(c) = h2ocan(c) - drip * dtime
       qflx_intr(c) = caught - drip
       qflx_thru(c) = rain(c) - caught + drip
       if (cap > 0._r8) then
          fwet(c) = min(1._r8, (h2ocan(c) / cap)**(2._r8 / 3._r8))
       else
          fwet(c) = 0._r8
       end if
       if (vai > 0._r8) then
          fdry(c) = (1._r8 - fwet(c)) * lai(c) / vai
       else
          fdry(c) = 0._r8
       end if
    end do
  end subroutine CanopyInterception

  !> Snowfall below freezing, degree-day melt above.
  subroutine SnowStore(dtime, tair, precip, h2osno, qflx_rain, qflx_snow, qflx_melt)
    real(r8), intent(in)    :: dtime         !< time step [s]
    real(r8), intent(in), contiguous :: tair(:)       !< air temperature (ncol) [K]
    real(r8), intent(in), contiguous :: precip(:)     !< precipitation (ncol) [mm s-1]
    real(r8), intent(inout), contiguous :: h2osno(:)     !< snow water equivalent (ncol) [mm]
    real(r8), intent(out), contiguous :: qflx_rain(:)  !< liquid precipitation (ncol) [mm s-1]
    real(r8), intent(out), contiguous :: qflx_snow(:)  !< snowfall (ncol) [mm s-1]
    real(r8), intent(out), contiguous :: qflx_melt(:)  !< snow melt (ncol) [mm s-1]
    integer :: c
    do c = 1, size(tair)
       if (tair(c) < tfrz) then
          qflx_snow(c) = precip(c)
          qflx_rain(c) = 0._r8
          qflx_melt(c) = 0._r8
       else
          qflx_snow(c) = 0._r8
          qflx_rain(c) = precip(c)
          qflx_melt(c) = min(h2osno(c) / dtime, ddf_snow * (tair(c) - tfrz) / 86400._r8)
       end if
       h2osno(c) = h2osno(c) + (qflx_snow(c) - qflx_melt(c)) * dtime
    end do
  end subroutine SnowStore

end module CanopyHydrologyMod
