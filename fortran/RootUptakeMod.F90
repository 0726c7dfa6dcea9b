!> Soil water stress and the distribution of root water uptake (CLM4.5,
!! CanopyFluxesMod.F90 of CLM4.5; Oleson et al. 2013, sec. 8.3).
!!
!! Wilting factor of layer i (unfrozen, with liquid water):
!!   w_i = min( (theta_eff/watsat) (psi_i - psi_c) / (psi_o - psi_c), 1 ),  >= 0
!! with psi_i = max(psi_c, -sucsat s^-B), s = max(theta/theta_eff, 0.01).
!! btran = sum_i rootfr_i w_i; uptake weights rootr_i = rootfr_i w_i / btran.
!! Transpiration is taken from layer i as rootr_i * qflx_tran.
module RootUptakeMod

  use shr_kind_mod, only: r8 => shr_kind_r8

  implicit none
  private

  public :: RootUptake

contains

  subroutine RootUptake(theta, watsat, sucsat, bsw, rootfr, smpso, smpsc, btran, rootr, smp)
    real(r8), intent(in), contiguous :: theta(:,:)    !< volumetric liquid water (ncol, nlev) [m3 m-3]
    real(r8), intent(in), contiguous :: watsat(:,:)   !< porosity (ncol, nlev) [m3 m-3]
    real(r8), intent(in), contiguous :: sucsat(:,:)   !< |saturated matric potential| (ncol, nlev) [mm]
    real(r8), intent(in), contiguous :: bsw(:,:)      !< Clapp-Hornberger B (ncol, nlev) [-]
    real(r8), intent(in), contiguous :: rootfr(:,:)   !< root fraction (ncol, nlev) [-]
    real(r8), intent(in), contiguous :: smpso(:)      !< psi at full stomatal opening psi_o (ncol) [mm]
    real(r8), intent(in), contiguous :: smpsc(:)      !< psi at full closure psi_c (ncol) [mm]
    real(r8), intent(out), contiguous :: btran(:)      !< transpiration factor (ncol) [0-1]
    real(r8), intent(out), contiguous :: rootr(:,:)    !< uptake weight (ncol, nlev) [-], sums to 1 if btran > 0
    !> Optional: matric potential of the layers (ncol, nlev) [mm] already
    !! computed by the caller from the same theta (SoilHydraulicsMod soil_psi).
    real(r8), intent(in), optional, contiguous :: smp(:,:)
    real(r8) :: s, psi, w
    integer  :: c, j
    btran = 0._r8
    rootr = 0._r8
    do j = 1, size(theta, 2)
       do c = 1, size(theta, 1)
          if (theta(c,j) > 0._r8 .and. rootfr(c,j) > 0._r8) then
             ! no ice in this column model: the effective porosity is watsat
             if (present(smp)) then
                psi = max(smpsc(c), smp(c,j))
             else
                s   = max(theta(c,j) / watsat(c,j), 0.01_r8)
                psi = max(smpsc(c), -sucsat(c,j) * s**(-bsw(c,j)))
             end if
             w   = max(0._r8, min((psi - smpsc(c)) / (smpso(c) - smpsc(c)), 1._r8))
             rootr(c,j) = rootfr(c,j) * w
             btran(c) = btran(c) + rootr(c,j)
          end if
       end do
    end do
    do j = 1, size(theta, 2)
       do c = 1, size(theta, 1)
          if (btran(c) > 0._r8) then
             rootr(c,j) = rootr(c,j) / btran(c)
          else
             rootr(c,j) = 0._r8
          end if
       end do
    end do
  end subroutine RootUptake

end module RootUptakeMod
