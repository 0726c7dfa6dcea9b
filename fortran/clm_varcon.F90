!> Physical constants shared by the hrclm modules (CLM's clm_varcon names).
!! Values: CESM shr_const_mod (g, rho_w, T_f) as used by CLM4.5.
module clm_varcon
  use shr_kind_mod, only: r8 => shr_kind_r8
  implicit none
  private
  real(r8), parameter, public :: grav   = 9.80616_r8   !< gravitational acceleration [m s-2]
  real(r8), parameter, public :: denh2o = 1000._r8     !< density of liquid water [kg m-3]
  real(r8), parameter, public :: tfrz   = 273.15_r8    !< freezing temperature of water [K]
end module clm_varcon
