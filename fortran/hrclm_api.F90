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
  use shr_strconvert_mod, only: toString
  use HydraulicRedistributionMod, only: HydraulicRedistribution, HRNightSwitch, hr_conductance
  use SoilGridMod,                only: SoilGridCLM45, SoilGridFromDz
  use RootFractionMod,            only: RootFractionZeng2001
  use SoilHydraulicsMod,          only: SoilPropertiesCLM45, soil_psi, soil_theta
  use SoilWaterMovementMod,       only: SoilWaterEquilibrium
  use RootUptakeMod,              only: RootUptake
  use SoilColumnMod,              only: SoilColumnRun
  use LandColumnMod,              only: ColumnModelRun, nout_col

  implicit none
  private
  public :: api_hr_flux, api_hr_night_switch, api_hr_conductance
  public :: api_soil_grid_clm45, api_soil_grid_from_dz, api_root_fraction_zeng
  public :: api_soil_psi, api_soil_theta
  public :: api_column_model_run
  public :: api_soil_properties, api_soil_equilibrium, api_root_uptake, api_soil_column_run

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

  !> CLM4.5 hydraulic parameters from texture; see SoilHydraulicsMod.
  subroutine api_soil_properties(ncol, nlev, sand, clay, orgdens, zsoi, watsat, sucsat, bsw, &
       hksat, watfc, ierr, ecol, elev, errmsg)
    integer,  intent(in)    :: ncol, nlev
    real(r8), intent(in)    :: sand(ncol, nlev), clay(ncol, nlev)   ! [%]
    real(r8), intent(in)    :: orgdens(ncol, nlev)                  ! [kg m-3]
    real(r8), intent(in)    :: zsoi(ncol, nlev)                     ! [m]
    real(r8), intent(inout) :: watsat(ncol, nlev), sucsat(ncol, nlev), bsw(ncol, nlev)
    real(r8), intent(inout) :: hksat(ncol, nlev), watfc(ncol, nlev)
    integer,  intent(out)   :: ierr, ecol, elev
    character(len=api_errmsg_len), intent(out) :: errmsg
    call SoilPropertiesCLM45(sand, clay, orgdens, zsoi, watsat, sucsat, bsw, hksat, watfc, &
         ierr, ecol, elev, errmsg)
  end subroutine api_soil_properties

  !> Matric potential [mm] of n volumetric water contents, CLM limits applied.
  subroutine api_soil_psi(n, theta, watsat, sucsat, bsw, psi)
    integer,  intent(in)    :: n
    real(r8), intent(in)    :: theta(n), watsat(n), sucsat(n), bsw(n)
    real(r8), intent(inout) :: psi(n)
    psi = soil_psi(theta, watsat, sucsat, bsw)
  end subroutine api_soil_psi

  !> Volumetric water [m3 m-3] at n matric potentials [mm].
  subroutine api_soil_theta(n, psi, watsat, sucsat, bsw, theta)
    integer,  intent(in)    :: n
    real(r8), intent(in)    :: psi(n), watsat(n), sucsat(n), bsw(n)
    real(r8), intent(inout) :: theta(n)
    theta = soil_theta(psi, watsat, sucsat, bsw)
  end subroutine api_soil_theta

  !> Zeng-Decker equilibrium theta and psi_E [m3 m-3, mm] for one column.
  subroutine api_soil_equilibrium(nlev, zwt, zi, watsat, sucsat, bsw, vol_eq, zq, jwt)
    integer,  intent(in)    :: nlev
    real(r8), intent(in)    :: zwt                 ! [m]
    real(r8), intent(in)    :: zi(nlev + 1)        ! [m]
    real(r8), intent(in)    :: watsat(nlev), sucsat(nlev), bsw(nlev)
    real(r8), intent(inout) :: vol_eq(nlev + 1), zq(nlev + 1)
    integer,  intent(out)   :: jwt
    call SoilWaterEquilibrium(zwt, zi, watsat, sucsat, bsw, vol_eq, zq, jwt)
  end subroutine api_soil_equilibrium

  !> btran and uptake weights rootr; see RootUptakeMod.
  subroutine api_root_uptake(ncol, nlev, theta, watsat, sucsat, bsw, rootfr, smpso, smpsc, &
       btran, rootr)
    integer,  intent(in)    :: ncol, nlev
    real(r8), intent(in)    :: theta(ncol, nlev), watsat(ncol, nlev), sucsat(ncol, nlev)
    real(r8), intent(in)    :: bsw(ncol, nlev), rootfr(ncol, nlev)
    real(r8), intent(in)    :: smpso(ncol), smpsc(ncol)
    real(r8), intent(inout) :: btran(ncol), rootr(ncol, nlev)
    call RootUptake(theta, watsat, sucsat, bsw, rootfr, smpso, smpsc, btran, rootr)
  end subroutine api_root_uptake

  !> Advance ncol soil columns over nstep steps; see SoilColumnMod.
  subroutine api_soil_column_run(ncol, nlev, nstep, dtime, lower_bc, zsoi, dzsoi, zisoi, &
       watsat, sucsat, bsw, hksat, rootfr, smpso, smpsc, wtfact, rsub_top_max, fdrai,    &
       use_hr, crt, psi50, hr_b, rx_rule, thick_rule, top_layer,                         &
       qflx_top, qflx_evap_dmd, qflx_tran_dmd, hr_switch, h2osoi_liq, zwt, wa,          &
       out_liq, out_qhr, out_qinfl, out_qover, out_qdrai, out_qtran, out_qevap,          &
       out_zwt, out_btran, out_errh2o, ierr, ecol, estep, errmsg)
    integer,  intent(in)    :: ncol, nlev, nstep, lower_bc
    real(r8), intent(in)    :: dtime
    real(r8), intent(in)    :: zsoi(ncol, nlev), dzsoi(ncol, nlev), zisoi(ncol, nlev + 1)
    real(r8), intent(in)    :: watsat(ncol, nlev), sucsat(ncol, nlev), bsw(ncol, nlev)
    real(r8), intent(in)    :: hksat(ncol, nlev), rootfr(ncol, nlev)
    real(r8), intent(in)    :: smpso(ncol), smpsc(ncol), wtfact(ncol), rsub_top_max(ncol), fdrai(ncol)
    integer,  intent(in)    :: use_hr, rx_rule, thick_rule, top_layer
    real(r8), intent(in)    :: crt(ncol), psi50(ncol), hr_b(ncol)
    real(r8), intent(in)    :: qflx_top(ncol, nstep), qflx_evap_dmd(ncol, nstep)
    real(r8), intent(in)    :: qflx_tran_dmd(ncol, nstep), hr_switch(ncol, nstep)
    real(r8), intent(inout) :: h2osoi_liq(ncol, nlev), zwt(ncol), wa(ncol)
    real(r8), intent(inout) :: out_liq(ncol, nlev, nstep), out_qhr(ncol, nlev, nstep)
    real(r8), intent(inout) :: out_qinfl(ncol, nstep), out_qover(ncol, nstep), out_qdrai(ncol, nstep)
    real(r8), intent(inout) :: out_qtran(ncol, nstep), out_qevap(ncol, nstep), out_zwt(ncol, nstep)
    real(r8), intent(inout) :: out_btran(ncol, nstep), out_errh2o(ncol, nstep)
    integer,  intent(out)   :: ierr, ecol, estep
    character(len=api_errmsg_len), intent(out) :: errmsg
    call SoilColumnRun(dtime, lower_bc, zsoi, dzsoi, zisoi, watsat, sucsat, bsw, hksat, &
         rootfr, smpso, smpsc, wtfact, rsub_top_max, fdrai,                             &
         use_hr, crt, psi50, hr_b, rx_rule, thick_rule, top_layer,                       &
         qflx_top, qflx_evap_dmd, qflx_tran_dmd, hr_switch, h2osoi_liq, zwt, wa,        &
         out_liq, out_qhr, out_qinfl, out_qover, out_qdrai, out_qtran, out_qevap,        &
         out_zwt, out_btran, out_errh2o, ierr, ecol, estep, errmsg)
  end subroutine api_soil_column_run

  !> Advance ncol whole columns (canopy, soil, HR) over nstep steps; see LandColumnMod.
  !! out_col(:, k, :) holds, for k = 1..19: QVEGT, QVEGE, QSOIL, QINFL, QOVER,
  !! QDRAI [mm s-1], ZWT [m], BTRAN [-], FSH, EFLX_LH_TOT, FGR, FSA, FIRA
  !! [W m-2], H2OCAN, H2OSNO [mm], ERRH2O [mm], ERRSEB [W m-2], HR switch [-], WA [mm].
  subroutine api_column_model_run(ncol, ncol_all, col0, nlev, nstep, nout, dtime, lower_bc,    &
       zsoi, dzsoi, zisoi,                                                                      &
       watsat, sucsat, bsw, hksat, watfc, rootfr, smpso, smpsc, wtfact, rsub_top_max, fdrai,    &
       sai, htop, zref, albedo, rsmin, rgl, hs, sco2,                                           &
       use_hr, crt, psi50, hr_b, rx_rule, thick_rule, top_layer, night_rule, qvegt_max,         &
       sabv_max, hr_tair_min, tair, qair, psurf, wind, swdown, lwdown, precip, co2, lai,        &
       h2osoi_liq, zwt, wa, h2ocan, h2osno, out_liq, out_qhr, out_col, ierr, ecol, estep, errmsg)
    !! Runs the block of ncol columns col0+1 .. col0+ncol of an ensemble of
    !! ncol_all columns: parameters, forcing and state are the block's, the
    !! outputs are the whole ensemble's arrays, written in place (parallel
    !! calls on different blocks share them without copies).
    integer,  intent(in)    :: ncol, ncol_all, col0, nlev, nstep, nout, lower_bc
    real(r8), intent(in)    :: dtime
    real(r8), intent(in)    :: zsoi(ncol, nlev), dzsoi(ncol, nlev), zisoi(ncol, nlev + 1)
    real(r8), intent(in)    :: watsat(ncol, nlev), sucsat(ncol, nlev), bsw(ncol, nlev)
    real(r8), intent(in)    :: hksat(ncol, nlev), watfc(ncol, nlev), rootfr(ncol, nlev)
    real(r8), intent(in)    :: smpso(ncol), smpsc(ncol), wtfact(ncol), rsub_top_max(ncol), fdrai(ncol)
    real(r8), intent(in)    :: sai(ncol), htop(ncol), zref(ncol), albedo(ncol), rsmin(ncol)
    real(r8), intent(in)    :: rgl(ncol), hs(ncol), sco2(ncol)
    integer,  intent(in)    :: use_hr, rx_rule, thick_rule, top_layer, night_rule
    real(r8), intent(in)    :: crt(ncol), psi50(ncol), hr_b(ncol)
    real(r8), intent(in)    :: qvegt_max, sabv_max, hr_tair_min
    real(r8), intent(in)    :: tair(ncol, nstep), qair(ncol, nstep), psurf(ncol, nstep)
    real(r8), intent(in)    :: wind(ncol, nstep), swdown(ncol, nstep), lwdown(ncol, nstep)
    real(r8), intent(in)    :: precip(ncol, nstep), co2(ncol, nstep), lai(ncol, nstep)
    real(r8), intent(inout) :: h2osoi_liq(ncol, nlev), zwt(ncol), wa(ncol), h2ocan(ncol), h2osno(ncol)
    real(r8), intent(inout) :: out_liq(ncol_all, nlev, nstep), out_qhr(ncol_all, nlev, nstep)
    real(r8), intent(inout) :: out_col(ncol_all, nout, nstep)
    integer,  intent(out)   :: ierr, ecol, estep
    character(len=api_errmsg_len), intent(out) :: errmsg
    integer :: c1, c2
    if (nout /= nout_col) then
       ierr = 1; ecol = 0; estep = 0
       errmsg = 'out_col must hold 19 output variables'
       return
    end if
    if (col0 < 0 .or. col0 + ncol > ncol_all) then
       ierr = 1; ecol = 0; estep = 0
       errmsg = 'columns ' // toString(col0 + 1) // ' to ' // toString(col0 + ncol) // &
            ' are not valid: the ensemble has ' // toString(ncol_all) // ' columns'
       return
    end if
    c1 = col0 + 1
    c2 = col0 + ncol
    call ColumnModelRun(dtime, lower_bc, zsoi, dzsoi, zisoi, watsat, sucsat, bsw, hksat,      &
         watfc, rootfr, smpso, smpsc, wtfact, rsub_top_max, fdrai, sai, htop, zref, albedo,    &
         rsmin, rgl, hs, sco2, use_hr, crt, psi50, hr_b, rx_rule, thick_rule, top_layer,       &
         night_rule, qvegt_max, sabv_max, hr_tair_min, tair, qair, psurf, wind, swdown,        &
         lwdown, precip, co2, lai, h2osoi_liq, zwt, wa, h2ocan, h2osno,                        &
         out_liq(c1:c2,:,:), out_qhr(c1:c2,:,:), out_col(c1:c2,:,:), ierr, ecol, estep, errmsg)
  end subroutine api_column_model_run

end module hrclm_api
