!> Number-to-text conversion for error messages (name after CESM's
!! shr_strconvert_mod; a host model may substitute its own).
module shr_strconvert_mod
  use shr_kind_mod, only: r8 => shr_kind_r8
  implicit none
  private
  public :: toString
  public :: invalid_value
  interface toString
     module procedure r8_to_string
     module procedure int_to_string
  end interface toString
contains
  !> A real as text with 5 significant digits, e.g. '-1.0000E-01', 'NaN'.
  function r8_to_string(x) result(s)
    real(r8), intent(in) :: x
    character(len=:), allocatable :: s
    character(len=16) :: buf
    write(buf, '(es11.4)') x
    s = trim(adjustl(buf))
  end function r8_to_string
  !> An integer as text without padding.
  function int_to_string(i) result(s)
    integer, intent(in) :: i
    character(len=:), allocatable :: s
    character(len=16) :: buf
    write(buf, '(i0)') i
    s = trim(buf)
  end function int_to_string
  !> The one wording of an invalid-value message: '<name> = <value> at column
  !! <c>, <kind> <k> is not valid[ in <routine>]: <why>'.
  function invalid_value(name, value, c, kind, k, why, routine) result(s)
    character(len=*), intent(in) :: name, kind, why
    real(r8), intent(in) :: value
    integer,  intent(in) :: c, k
    character(len=*), intent(in), optional :: routine
    character(len=:), allocatable :: s
    s = name // ' = ' // r8_to_string(value) // ' at column ' // int_to_string(c) // ', ' // &
         kind // ' ' // int_to_string(k) // ' is not valid'
    if (present(routine)) s = s // ' in ' // routine
    s = s // ': ' // why
  end function invalid_value
end module shr_strconvert_mod
