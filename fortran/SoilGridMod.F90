!> Vertical soil grid of CLM4.5 (Oleson et al. 2013, NCAR/TN-503+STR, ch. 6;
!! CLM4.5 code iniTimeConst.F90).
!!
!! Node depths z_i = scalez (exp(0.5 (i - 0.5)) - 1) with scalez = 0.025 m,
!! thicknesses dz_1 = (z_1 + z_2)/2, dz_i = (z_{i+1} - z_{i-1})/2,
!! dz_N = z_N - z_{N-1}, and interfaces zi_0 = 0, zi_i = (z_i + z_{i+1})/2,
!! zi_N = z_N + dz_N/2. A user-given list of thicknesses gives nodes at the
!! layer mid-points instead.
module SoilGridMod

  use shr_kind_mod,    only: r8 => shr_kind_r8
  use ieee_arithmetic, only: ieee_is_finite
  use shr_strconvert_mod, only: toString

  implicit none
  private

  public :: SoilGridCLM45        ! CLM4.5 exponential grid
  public :: SoilGridFromDz       ! grid from user-given thicknesses

  real(r8), parameter, public :: scalez = 0.025_r8   !< CLM4.5 grid scale factor [m]

contains

  !> CLM4.5's exponential grid of nlevgrnd levels (15 in CLM4.5) [m].
  subroutine SoilGridCLM45(z, dz, zi)
    real(r8), intent(out), contiguous :: z(:)    !< node depth (nlevgrnd) [m]
    real(r8), intent(out), contiguous :: dz(:)   !< layer thickness (nlevgrnd) [m]
    real(r8), intent(out), contiguous :: zi(0:)  !< interface depth (0:nlevgrnd) [m]
    integer :: j, n
    n = size(z)
    do j = 1, n
       z(j) = scalez * (exp(0.5_r8 * (j - 0.5_r8)) - 1._r8)
    end do
    if (n == 1) then
       dz(1) = 2._r8 * z(1)
    else
       dz(1) = 0.5_r8 * (z(1) + z(2))
       do j = 2, n - 1
          dz(j) = 0.5_r8 * (z(j+1) - z(j-1))
       end do
       dz(n) = z(n) - z(n-1)
    end if
    zi(0) = 0._r8
    do j = 1, n - 1
       zi(j) = 0.5_r8 * (z(j) + z(j+1))
    end do
    zi(n) = z(n) + 0.5_r8 * dz(n)
  end subroutine SoilGridCLM45

  !> Grid from given thicknesses: interfaces are cumulative sums, nodes at mid-layer [m].
  subroutine SoilGridFromDz(dz, z, zi, ierr, errmsg)
    real(r8), intent(in), contiguous :: dz(:)   !< layer thickness (nlev) [m], > 0
    real(r8), intent(out), contiguous :: z(:)    !< node depth (nlev) [m]
    real(r8), intent(out), contiguous :: zi(0:)  !< interface depth (0:nlev) [m]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer :: j
    ierr = 0
    errmsg = ''
    z = 0._r8
    zi = 0._r8
    do j = 1, size(dz)
       if (.not. (ieee_is_finite(dz(j)) .and. dz(j) > 0._r8)) then
          ierr = 1
          errmsg = 'dz = ' // toString(dz(j)) // ' at layer ' // toString(j) // &
               ' is not valid: layer thicknesses must be finite and > 0 m'
          return
       end if
       zi(j) = zi(j-1) + dz(j)
       z(j) = 0.5_r8 * (zi(j-1) + zi(j))
    end do
  end subroutine SoilGridFromDz

end module SoilGridMod
