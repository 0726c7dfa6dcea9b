!> Root fractions per soil layer, Zeng (2001) two-parameter profile as in CLM4.5.
!!
!! Zeng, X. (2001): Global vegetation root distribution for land modeling.
!! J. Hydrometeorol. 2, 525-530. CLM4.5: iniTimeConst.F90.
!!
!! Cumulative root fraction above depth d: Y(d) = 1 - 0.5 (exp(-r_a d) + exp(-r_b d)).
!! Layer i (interfaces zi_{i-1}, zi_i) holds Y(zi_i) - Y(zi_{i-1}); the deepest
!! rooted layer holds everything below its top, so the profile sums to one.
module RootFractionMod

  use shr_kind_mod,    only: r8 => shr_kind_r8
  use ieee_arithmetic, only: ieee_is_finite
  use shr_strconvert_mod, only: toString

  implicit none
  private

  public :: RootFractionZeng2001

contains

  !> Zeng (2001) root fractions of nlevroot layers for ncol columns [-].
  subroutine RootFractionZeng2001(zi, ra, rb, rootfr, ierr, errmsg)
    real(r8), intent(in), contiguous :: zi(:,0:)      !< interface depths (ncol, 0:nlevroot) [m]
    real(r8), intent(in), contiguous :: ra(:)         !< Zeng r_a per column [m-1], > 0
    real(r8), intent(in), contiguous :: rb(:)         !< Zeng r_b per column [m-1], > 0
    real(r8), intent(out), contiguous :: rootfr(:,:)   !< root fraction (ncol, nlevroot) [-]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer :: c, j, n
    real(r8) :: top, bot

    ierr = 0
    errmsg = ''
    rootfr = 0._r8
    n = size(rootfr, 2)
    do c = 1, size(rootfr, 1)
       if (.not. (ieee_is_finite(ra(c)) .and. ra(c) > 0._r8 .and. &
                  ieee_is_finite(rb(c)) .and. rb(c) > 0._r8)) then
          ierr = 1
          errmsg = 'Zeng root parameters r_a = ' // toString(ra(c)) // ', r_b = ' // &
               toString(rb(c)) // ' at column ' // toString(c) // &
               ' are not valid: both must be finite and > 0 m-1'
          return
       end if
       do j = 1, n
          top = 0.5_r8 * (exp(-ra(c) * zi(c, j-1)) + exp(-rb(c) * zi(c, j-1)))
          if (j < n) then
             bot = 0.5_r8 * (exp(-ra(c) * zi(c, j)) + exp(-rb(c) * zi(c, j)))
          else
             bot = 0._r8
          end if
          rootfr(c, j) = top - bot
       end do
    end do
  end subroutine RootFractionZeng2001

end module RootFractionMod
