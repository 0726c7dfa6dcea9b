!> History tapes, accumulated as the run goes (CLM's hist_avgflag): each
!! tape is a list of slots of the step's fields, each with a flag, and a
!! record ends at steps the caller marks. At the end of a record the tape's
!! values are written to the output buffer and the accumulators restart.
!!
!! Flags (CLM's): avg_a average over the record's steps, avg_i the value of
!! the record's last step (instantaneous), avg_x maximum, avg_m minimum.
!!
!! Layout: the nh history slots of all tapes are concatenated; tape k owns
!! slots tape_first(k) .. tape_first(k) + tape_n(k) - 1. Record r (1-based,
!! counted within one call) of tape k goes to
!!   hout(:, tape_base(k) + (r - 1) * tape_n(k) + 1 : ... + tape_n(k)).
module HistAccumMod

  use shr_kind_mod, only: r8 => shr_kind_r8

  implicit none
  private

  integer, parameter, public :: avg_a = 1, avg_i = 2, avg_x = 3, avg_m = 4

  public :: HistAccumulate

contains

  !> Add one step's fields to every tape; close the records that end now.
  subroutine HistAccumulate(fld, hsrc, hflag, tape_first, tape_n, tape_base, recend, &
       hcnt, hrec, hacc, hout)
    real(r8), intent(in), contiguous :: fld(:,:)        !< this step's fields (ncol, nslot) [units of each field]
    integer,  intent(in)    :: hsrc(:)          !< slot in fld of each history slot (nh)
    integer,  intent(in)    :: hflag(:)         !< avg_a, avg_i, avg_x or avg_m (nh)
    integer,  intent(in)    :: tape_first(:), tape_n(:), tape_base(:)   !< (ntape)
    integer,  intent(in)    :: recend(:)        !< 1 where this step ends the tape's record (ntape)
    integer,  intent(inout) :: hcnt(:)          !< steps in the open record (ntape)
    integer,  intent(inout) :: hrec(:)          !< records closed in this call (ntape)
    real(r8), intent(inout), contiguous :: hacc(:,:)    !< accumulators (ncol, nh)
    real(r8), intent(inout) :: hout(:,:)                !< closed records (ncol, nout), may be a section
    integer :: k, s, h, o
    real(r8) :: rcnt

    do k = 1, size(tape_n)
       hcnt(k) = hcnt(k) + 1
       if (hcnt(k) == 1 .and. recend(k) == 1) then
          ! a record of one step (hist_nhtfrq = 1): every flag gives the value itself
          hrec(k) = hrec(k) + 1
          o = tape_base(k) + (hrec(k) - 1) * tape_n(k)
          do s = 0, tape_n(k) - 1
             hout(:, o + s + 1) = fld(:, hsrc(tape_first(k) + s))
          end do
          hcnt(k) = 0
          cycle
       end if
       do s = 0, tape_n(k) - 1
          h = tape_first(k) + s
          if (hcnt(k) == 1) then
             hacc(:, h) = fld(:, hsrc(h))
          else
             select case (hflag(h))
             case (avg_a)
                hacc(:, h) = hacc(:, h) + fld(:, hsrc(h))
             case (avg_i)
                hacc(:, h) = fld(:, hsrc(h))
             case (avg_x)
                hacc(:, h) = max(hacc(:, h), fld(:, hsrc(h)))
             case (avg_m)
                hacc(:, h) = min(hacc(:, h), fld(:, hsrc(h)))
             end select
          end if
       end do
       if (recend(k) == 1) then
          hrec(k) = hrec(k) + 1
          o = tape_base(k) + (hrec(k) - 1) * tape_n(k)
          rcnt = real(hcnt(k), r8)
          do s = 0, tape_n(k) - 1
             h = tape_first(k) + s
             if (hflag(h) == avg_a .and. hcnt(k) > 1) then
                hout(:, o + s + 1) = hacc(:, h) / rcnt
             else
                hout(:, o + s + 1) = hacc(:, h)
             end if
          end do
          hcnt(k) = 0
       end if
    end do
  end subroutine HistAccumulate

end module HistAccumMod
