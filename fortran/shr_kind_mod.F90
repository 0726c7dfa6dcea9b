!> Numeric kinds used by every hrclm Fortran module.
!! Named as in CLM/CESM (shr_kind_mod) so that a module lifted into CLM/CTSM
!! compiles there against the host model's own shr_kind_mod unchanged.
module shr_kind_mod
  implicit none
  private
  integer, parameter, public :: shr_kind_r8 = selected_real_kind(12)  !< 8-byte real
  integer, parameter, public :: shr_kind_cl = 256                     !< long character length
end module shr_kind_mod
