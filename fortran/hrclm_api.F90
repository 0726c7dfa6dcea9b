!> Python-facing interface of the hrclm Fortran core.
!!
!! f90wrap reads this module at build time and generates the glue that lets
!! Python call it (the generated code is never committed). Every routine takes
!! explicit-shape arrays (ncol, nlev), integer flags instead of logicals and a
!! fixed-length error message, and forwards to the physics modules, which keep
!! CLM-style assumed-shape interfaces and can be lifted into CLM/CTSM as they are.
!! Units are those of the physics module called; see its documentation.
module hrclm_api

  use shr_kind_mod, only: r8 => shr_kind_r8
  use HydraulicRedistributionMod, only: HydraulicRedistribution, HRNightSwitch, hr_conductance
  use SoilGridMod,                only: SoilGridCLM45, SoilGridFromDz
  use RootFractionMod,            only: RootFractionZeng2001

  implicit none
  private
  public :: api_hr_flux, api_hr_night_switch, api_hr_conductance
  public :: api_soil_grid_clm45, api_soil_grid_from_dz, api_root_fraction_zeng

  integer, parameter, public :: api_errmsg_len = 512   !< length of errmsg [characters]

contains

  !> Ryel et al. (2002) HR flux [mm s-1]; see HydraulicRedistributionMod.
  subroutine api_hr_flux(ncol, nlev, psi, rootfr, dz, night, crt, psi50, hr_b, &
       rx_rule, thick_rule, top_layer, active, h2o_avail, h2o_room, dtime,      &
       qhr, ierr, ecol, elev, errmsg)
    integer,  intent(in)  :: ncol, nlev
    real(r8), intent(in)  :: psi(ncol, nlev)        ! [mm]
    real(r8), intent(in)  :: rootfr(ncol, nlev)     ! [-]
    real(r8), intent(in)  :: dz(ncol, nlev)         ! [mm]
    real(r8), intent(in)  :: night(ncol)            ! [-]
    real(r8), intent(in)  :: crt(ncol)              ! [s-1]
    real(r8), intent(in)  :: psi50(ncol)            ! [mm]
    real(r8), intent(in)  :: hr_b(ncol)             ! [-]
    integer,  intent(in)  :: rx_rule, thick_rule, top_layer
    integer,  intent(in)  :: active(ncol, nlev)     ! [0/1]
    real(r8), intent(in)  :: h2o_avail(ncol, nlev)  ! [mm]
    real(r8), intent(in)  :: h2o_room(ncol, nlev)   ! [mm]
    real(r8), intent(in)  :: dtime                  ! [s]
    real(r8), intent(inout) :: qhr(ncol, nlev)      ! [mm s-1], overwritten
    integer,  intent(out) :: ierr, ecol, elev
    character(len=api_errmsg_len), intent(out) :: errmsg
    call HydraulicRedistribution(psi, rootfr, dz, night, crt, psi50, hr_b, &
         rx_rule, thick_rule, top_layer, active, h2o_avail, h2o_room, dtime, &
         qhr, ierr, ecol, elev, errmsg)
  end subroutine api_hr_flux

  !> Night / low-transpiration switch D (0 or 1) per column.
  subroutine api_hr_night_switch(ncol, qvegt, sabv, rule, qvegt_max, sabv_max, night, ierr, errmsg)
    integer,  intent(in)  :: ncol
    real(r8), intent(in)  :: qvegt(ncol)   ! [mm s-1]
    real(r8), intent(in)  :: sabv(ncol)    ! [W m-2]
    integer,  intent(in)  :: rule
    real(r8), intent(in)  :: qvegt_max     ! [mm s-1]
    real(r8), intent(in)  :: sabv_max      ! [W m-2]
    real(r8), intent(inout) :: night(ncol) ! [-], overwritten
    integer,  intent(out) :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call HRNightSwitch(qvegt, sabv, rule, qvegt_max, sabv_max, night, ierr, errmsg)
  end subroutine api_hr_night_switch

  !> Relative soil-root conductance c = 1/(1 + (psi/psi50)**b) for n values.
  subroutine api_hr_conductance(n, psi, psi50, hr_b, cond)
    integer,  intent(in)  :: n
    real(r8), intent(in)  :: psi(n)      ! [mm]
    real(r8), intent(in)  :: psi50(n)    ! [mm]
    real(r8), intent(in)  :: hr_b(n)     ! [-]
    real(r8), intent(inout) :: cond(n)   ! [-], overwritten
    cond = hr_conductance(psi, psi50, hr_b)
  end subroutine api_hr_conductance

  !> CLM4.5 exponential soil grid of nlev levels [m]; zi(1) is the surface.
  subroutine api_soil_grid_clm45(nlev, z, dz, zi)
    integer,  intent(in)    :: nlev
    real(r8), intent(inout) :: z(nlev)       ! node depth [m], overwritten
    real(r8), intent(inout) :: dz(nlev)      ! thickness [m], overwritten
    real(r8), intent(inout) :: zi(nlev + 1)  ! interfaces [m], overwritten
    call SoilGridCLM45(z, dz, zi)
  end subroutine api_soil_grid_clm45

  !> Soil grid from user-given thicknesses [m].
  subroutine api_soil_grid_from_dz(nlev, dz, z, zi, ierr, errmsg)
    integer,  intent(in)    :: nlev
    real(r8), intent(in)    :: dz(nlev)      ! thickness [m]
    real(r8), intent(inout) :: z(nlev)       ! node depth [m], overwritten
    real(r8), intent(inout) :: zi(nlev + 1)  ! interfaces [m], overwritten
    integer,  intent(out)   :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call SoilGridFromDz(dz, z, zi, ierr, errmsg)
  end subroutine api_soil_grid_from_dz

  !> Zeng (2001) root fractions for ncol columns of nlev rooted layers [-].
  subroutine api_root_fraction_zeng(ncol, nlev, zi, ra, rb, rootfr, ierr, errmsg)
    integer,  intent(in)    :: ncol, nlev
    real(r8), intent(in)    :: zi(ncol, nlev + 1)    ! interfaces [m]
    real(r8), intent(in)    :: ra(ncol), rb(ncol)    ! [m-1]
    real(r8), intent(inout) :: rootfr(ncol, nlev)    ! [-], overwritten
    integer,  intent(out)   :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call RootFractionZeng2001(zi, ra, rb, rootfr, ierr, errmsg)
  end subroutine api_root_fraction_zeng

end module hrclm_api
