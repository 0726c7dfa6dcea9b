!> Standalone driver of ColumnDriverMod::ColumnDriverRun, without Python.
!!
!! Used by bench/fortran_core.sh to time the compiled core alone, and to run
!! it under valgrind (callgrind) or perf. Not part of the package.
!!
!!   column_driver NCOL NDAYS USE_HR [TAPES [CANOPY [CARBON]]]
!!
!! CANOPY 1: CLM4.5 biogeophysics (default), 2: Penman-Monteith / Jarvis.
!! CARBON 1: carbon fluxes and soil carbon every step (CLM4.5 canopy only;
!! PFT 10 allocation, pools 100 gC m-3, annsum_npp 100 gC m-2 yr-1), 0 off
!! (default).
!!
!! runs NCOL identical columns (CLM4.5 grid, 10 active layers, sandy loam,
!! one patch, a shrub with Zeng roots; canopy mode, aquifer lower boundary) for NDAYS
!! days at a 30-minute step under a synthetic dry-season diel forcing with a
!! short shower every ~6 days (one forcing column shared by all columns, as
!! hrclm passes it for ensembles), with HR on (USE_HR = 1) or off (0), and
!! prints the compiled time per column-step [us] and the largest
!! water-balance error [mm], for one or both of two history set-ups:
!!
!!   TAPES = 0  physics: one tape of one slot (ERRH2O, maximum) whose record
!!              ends only at the last step, so that history costs almost
!!              nothing (the time to compare with the old ColumnModelRun,
!!              and the case run under valgrind);
!!   TAPES = 1  a tape of every history field (all hist_nslot(nlev) slots,
!!              averages) with a record at every step, as hrclm's default
!!              h0 tape (hist_nhtfrq = 1);
!!   TAPES = 2  both, each run 3 times from the same initial state, the two
!!              alternating; the shortest time of each is printed (default).
program column_driver
  use shr_kind_mod,      only: r8 => shr_kind_r8
  use ieee_arithmetic,   only: ieee_value, ieee_quiet_nan
  use SoilGridMod,       only: SoilGridCLM45
  use RootFractionMod,   only: RootFractionZeng2001
  use SoilHydraulicsMod, only: SoilPropertiesCLM45
  use SoilTemperatureMod, only: SoilThermalParams
  use ColumnVarsMod
  use HistAccumMod,      only: avg_a, avg_x
  use ColumnDriverMod,   only: ColumnDriverRun, ndiag
  implicit none

  integer, parameter :: nlev = 10, ncolf = 1, npatch = 1
  real(r8), parameter :: dtime = 1800._r8           ! [s]
  integer :: ncol, ndays, use_hr, tapes, nstep, rep, c, t, s, ierr, ecol, elev, estep, nslot
  character(len=32) :: arg
  character(len=512) :: errmsg
  real(r8) :: z(15), dz(15), zi(0:15), hour, us, us_min, us_all, err_min, err_all
  real(r8), allocatable :: zisoi(:,:), sand(:,:), clay(:,:), org(:,:), tksatu(:,:)
  real(r8), allocatable :: laypar(:,:,:), colpar(:,:), patpar(:,:,:), patlay(:,:,:,:), forc(:,:,:)
  real(r8), allocatable :: state_lev(:,:,:), state_col(:,:), state_pat(:,:,:), diag(:,:), state_grnd(:,:,:)
  real(r8), allocatable :: theta_presc(:,:,:)     ! (1, nlev, 1) NaN: no prescribed soil moisture
  integer  :: ctl_i(nctl_i), canopy, carbon
  real(r8) :: ctl_r(nctl_r)

  call get_command_argument(1, arg); read(arg, *) ncol
  call get_command_argument(2, arg); read(arg, *) ndays
  call get_command_argument(3, arg); read(arg, *) use_hr
  tapes = 2
  if (command_argument_count() >= 4) then
     call get_command_argument(4, arg); read(arg, *) tapes
  end if
  canopy = canopy_clm45
  if (command_argument_count() >= 5) then
     call get_command_argument(5, arg); read(arg, *) canopy
  end if
  carbon = 0
  if (command_argument_count() >= 6) then
     call get_command_argument(6, arg); read(arg, *) carbon
  end if
  nstep = ndays * 48
  nslot = hist_nslot(nlev, npatch)

  ! run control: canopy mode, aquifer lower boundary, namelist defaults of the HR rules
  ctl_i(ic_mode) = mode_canopy
  ctl_i(ic_lower_bc) = 1
  ctl_i(ic_use_hr) = use_hr
  ctl_i(ic_rx_rule) = 1
  ctl_i(ic_thick_rule) = 0
  ctl_i(ic_top_layer) = 1              ! as in earlier sessions' numbers (namelist default now 0)
  ctl_i(ic_night_rule) = 3
  ctl_i(ic_canopy) = canopy
  ctl_i(ic_carbon) = carbon
  ctl_i(ic_uptake) = 1                 ! CLM4.5 root uptake
  ctl_r(rc_dtime) = dtime
  ctl_r(rc_qvegt_max) = 4.e-6_r8        ! [mm s-1]
  ctl_r(rc_sabv_max) = 1._r8            ! [W m-2]
  ctl_r(rc_tair_min) = 223.15_r8        ! [K] (namelist default -50 C)
  ctl_r(rc_q10_mr) = 1.5_r8

  ! soil layer parameters
  call SoilGridCLM45(z, dz, zi)
  allocate(laypar(ncol,nlev,nlaypar), zisoi(ncol,0:nlev), sand(ncol,nlev), clay(ncol,nlev), &
       org(ncol,nlev))
  do c = 1, ncol
     laypar(c,:,lp_zsoi) = z(1:nlev)
     laypar(c,:,lp_dzsoi) = dz(1:nlev)
     laypar(c,:,lp_zisoi) = zi(1:nlev)
     zisoi(c,:) = zi(0:nlev)
  end do
  sand = 65._r8; clay = 10._r8; org = 0._r8                    ! [%], [%], [kg m-3]
  laypar(:,:,lp_sand) = sand
  allocate(tksatu(ncol,nlev))
  call SoilPropertiesCLM45(sand, clay, org, laypar(:,:,lp_zsoi), laypar(:,:,lp_watsat), &
       laypar(:,:,lp_sucsat), laypar(:,:,lp_bsw), laypar(:,:,lp_hksat), laypar(:,:,lp_watfc), &
       ierr, ecol, elev, errmsg)
  call stop_on(ierr, errmsg)
  call SoilThermalParams(sand, clay, org, laypar(:,:,lp_watsat), laypar(:,:,lp_tkmg), tksatu, &
       laypar(:,:,lp_tkdry), laypar(:,:,lp_csol), ierr, errmsg)
  call stop_on(ierr, errmsg)
  allocate(patlay(ncol,nlev,npatch,npatlay))
  call RootFractionZeng2001(zisoi, spread(7._r8, 1, ncol), spread(1.5_r8, 1, ncol), &
       patlay(:,:,1,pl_rootfr), ierr, errmsg)
  call stop_on(ierr, errmsg)

  ! column and patch parameters: CLM4.5 shrub (hrclm/data/pft_clm45.csv), US-SRM
  ! heights, namelist defaults
  allocate(colpar(ncol,ncolpar), patpar(ncol,npatch,npatpar))
  colpar(:,cp_wtfact) = 0.3_r8
  colpar(:,cp_rsub_top_max) = 5.5e-3_r8
  colpar(:,cp_fdrai) = 2.5_r8
  colpar(:,cp_soil_color) = 15._r8
  colpar(:,cp_zref) = 6.4_r8
  colpar(:,cp_sco2) = 0.0009_r8
  patpar(:,1,pp_wt) = 1._r8
  patpar(:,1,pp_smpso) = -83000._r8
  patpar(:,1,pp_smpsc) = -428000._r8
  patpar(:,1,pp_sai) = 0.5_r8
  patpar(:,1,pp_albedo) = 0.2_r8
  patpar(:,1,pp_rsmin) = 300._r8
  patpar(:,1,pp_rgl) = 100._r8
  patpar(:,1,pp_hs) = 42._r8
  patpar(:,1,pp_crt) = 2.642e-9_r8
  patpar(:,1,pp_psi50) = -101976._r8
  patpar(:,1,pp_hr_b) = 3.22_r8
  ! CLM4.5 canopy of the broadleaf deciduous temperate shrub (PFT 10, hrclm/data/pft_clm45.csv)
  patpar(:,1,pp_htop) = 2.5_r8
  patpar(:,1,pp_c3psn) = 1._r8
  patpar(:,1,pp_vcmax25top) = 54._r8
  patpar(:,1,pp_mbbopt) = 9._r8
  patpar(:,1,pp_bbbopt) = 10000._r8
  patpar(:,1,pp_xl) = 0.25_r8
  patpar(:,1,pp_rholvis) = 0.1_r8; patpar(:,1,pp_rholnir) = 0.45_r8
  patpar(:,1,pp_rhosvis) = 0.16_r8; patpar(:,1,pp_rhosnir) = 0.39_r8
  patpar(:,1,pp_taulvis) = 0.05_r8; patpar(:,1,pp_taulnir) = 0.25_r8
  patpar(:,1,pp_tausvis) = 0.001_r8; patpar(:,1,pp_tausnir) = 0.001_r8
  patpar(:,1,pp_dleaf) = 0.04_r8
  patpar(:,1,pp_z0mr) = 0.12_r8
  patpar(:,1,pp_displar) = 0.68_r8
  ! carbon of PFT 10 (hrclm/data/pft_clm45.csv)
  patpar(:,1,pp_slatop) = 0.03_r8; patpar(:,1,pp_dsladlai) = 0._r8; patpar(:,1,pp_leafcn) = 25._r8
  patpar(:,1,pp_frootcn) = 42._r8; patpar(:,1,pp_livewdcn) = 50._r8; patpar(:,1,pp_froot_leaf) = 1._r8
  patpar(:,1,pp_stem_leaf) = 0.2_r8; patpar(:,1,pp_croot_stem) = 0.3_r8; patpar(:,1,pp_flivewd) = 0.5_r8
  patpar(:,1,pp_woody) = 1._r8
  patpar(:,1,pp_lf_flab) = 0.25_r8; patpar(:,1,pp_lf_fcel) = 0.5_r8; patpar(:,1,pp_lf_flig) = 0.25_r8
  patpar(:,1,pp_fr_flab) = 0.25_r8; patpar(:,1,pp_fr_fcel) = 0.5_r8; patpar(:,1,pp_fr_flig) = 0.25_r8

  ! forcing, one column shared by all
  allocate(forc(ncolf,nforc,nstep))
  forc = 0._r8
  do t = 1, nstep
     hour = mod((t - 1) * 0.5_r8, 24._r8)
     forc(:,fo_tair,t) = 295._r8 + 8._r8 * cos(2._r8 * 3.14159265_r8 * (hour - 15._r8) / 24._r8)  ! [K]
     forc(:,fo_qair,t) = 0.004_r8                                                                  ! [kg kg-1]
     forc(:,fo_psurf,t) = 88000._r8                                                                ! [Pa]
     forc(:,fo_wind,t) = 2._r8                                                                     ! [m s-1]
     forc(:,fo_swdown,t) = max(0._r8, 900._r8 * sin(3.14159265_r8 * (hour - 6._r8) / 12._r8))      ! [W m-2]
     forc(:,fo_lwdown,t) = 330._r8                                                                 ! [W m-2]
     forc(:,fo_rainf,t) = merge(2.e-3_r8, 0._r8, mod(t, 300) < 6)                                  ! [mm s-1]
     forc(:,fo_co2,t) = 400._r8                                                                    ! [ppm]
     forc(:,fo_lai,t) = 0.6_r8                                                                     ! [m2 m-2]
     forc(:,fo_coszen,t) = max(-1._r8, min(1._r8, 0.8_r8 * sin(3.14159265_r8 * (hour - 6._r8) / 12._r8)))  ! [-]
     forc(:,fo_dayl_factor,t) = 0.9_r8                                                             ! [-]
     forc(:,fo_litfall_w,t) = 1._r8 / (365._r8 * 86400._r8)                                        ! [s-1]
  end do

  allocate(state_lev(ncol,nlev,nstate_lev), state_col(ncol,nstate_col), &
       state_pat(ncol,npatch,nstate_pat), diag(ncol,ndiag), theta_presc(1,nlev,1), &
       state_grnd(ncol,nlev+nlevbed,nstate_grnd))
  theta_presc = ieee_value(1._r8, ieee_quiet_nan)

  ! TAPES = 2: the two set-ups alternate, best of 3 each (the machine's speed drifts)
  us_min = huge(1._r8); us_all = huge(1._r8)
  do rep = 1, merge(3, 1, tapes == 2)
     if (tapes == 0 .or. tapes == 2) then
        call run_case(.false., us)
        us_min = min(us_min, us)
        err_min = maxval(diag(:,1))
     end if
     if (tapes == 1 .or. tapes == 2) then
        call run_case(.true., us)
        us_all = min(us_all, us)
        err_all = maxval(diag(:,1))
     end if
  end do
  if (tapes == 0 .or. tapes == 2) then
     print '(a,i5,a,i4,a,i1,a,f7.3,a,es9.2,a)', 'columns', ncol, '  days', ndays, '  use_hr ', use_hr, &
          ':', us_min, ' us per column-step; max water-balance error', err_min, ' mm'
  end if
  if (tapes == 2) then
     print '(a,i3,a,f7.3,a,f6.3,a)', '    with a tape of all ', nslot, ' slots every step:', us_all, &
          ' us per column-step (history +', us_all - us_min, ')'
  else if (tapes == 1) then
     print '(a,i5,a,i4,a,i1,a,f7.3,a,i3,a,es9.2,a)', 'columns', ncol, '  days', ndays, '  use_hr ', &
          use_hr, ':', us_all, ' us per column-step with a tape of all ', nslot, &
          ' slots every step; max water-balance error', err_all, ' mm'
  end if

contains

  !> Run from the initial state with the physics tape (every = .false.) or
  !! the every-field, every-step tape; us: compiled time per column-step [us].
  subroutine run_case(every, us)
    logical,  intent(in)  :: every
    real(r8), intent(out) :: us
    integer, allocatable :: hsrc(:), hflag(:), recend(:,:)
    integer :: tape_first(1), tape_n(1), tape_base(1), hcnt(1), clock0, clock1, rate
    real(r8), allocatable :: hacc(:,:), hout(:,:)

    if (every) then
       hsrc = [(s, s = 1, nslot)]
       hflag = [(avg_a, s = 1, nslot)]
       allocate(recend(1,nstep))
       recend = 1
       allocate(hout(ncol, nslot * nstep))
    else
       hsrc = [hist_slot(h_errh2o, nlev, npatch)]
       hflag = [avg_x]
       allocate(recend(1,nstep))
       recend = 0
       recend(1,nstep) = 1
       allocate(hout(ncol, 1))
    end if
    tape_first = 1; tape_n = size(hsrc); tape_base = 0; hcnt = 0
    allocate(hacc(ncol, size(hsrc)))
    hacc = 0._r8
    hout = 0._r8                                               ! touched before timing

    ! initial state: half saturated, CLM4.5 cold-start aquifer
    state_lev = 0._r8
    state_col = 0._r8
    state_pat = 0._r8
    state_lev(:,:,sl_litr1c:sl_soil3c) = 100._r8                  ! [gC m-3]
    state_pat(:,:,sp_annsum_npp) = 100._r8                        ! [gC m-2 yr-1]
    state_lev(:,:,sl_h2osoi_liq) = 0.5_r8 * laypar(:,:,lp_watsat) * laypar(:,:,lp_dzsoi) * 1000._r8  ! [mm]
    state_col(:,sc_zwt) = 8.8_r8                               ! [m]
    state_col(:,sc_wa) = 4000._r8                              ! [mm]
    state_pat(:,:,sp_h2ocan) = 0._r8                           ! [mm]
    state_col(:,sc_h2osno) = 0._r8                             ! [mm]
    state_col(:,sc_t10) = 295._r8                              ! [K]
    state_pat(:,:,sp_t_veg) = 295._r8                          ! [K]
    state_grnd(:,:,sg_t_soisno) = 295._r8                      ! [K]

    call system_clock(clock0, rate)
    call ColumnDriverRun(ctl_i, ctl_r, laypar, colpar, patpar, patlay, forc, theta_presc, &
         state_lev, state_col, state_pat, state_grnd, hsrc, hflag, tape_first, tape_n, tape_base, recend, &
         hcnt, hacc, hout, diag, ierr, ecol, estep, errmsg)
    call system_clock(clock1)
    call stop_on(ierr, errmsg)
    us = 1.e6_r8 * real(clock1 - clock0, r8) / rate / (real(ncol, r8) * nstep)
  end subroutine run_case

  subroutine stop_on(ierr, errmsg)
    integer, intent(in) :: ierr
    character(len=*), intent(in) :: errmsg
    if (ierr /= 0) then
       print '(a)', 'column_driver: ' // trim(errmsg)
       error stop 1
    end if
  end subroutine stop_on

end program column_driver
