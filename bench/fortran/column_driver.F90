!> Standalone driver of LandColumnMod::ColumnModelRun, without Python.
!!
!! Used by bench/fortran_core.sh to time the compiled core alone, and to run
!! it under valgrind (callgrind) or perf. Not part of the package.
!!
!!   column_driver NCOL NDAYS USE_HR
!!
!! runs NCOL identical columns (CLM4.5 grid, 10 active layers, sandy loam,
!! Zeng roots of a shrubland) for NDAYS days at a 30-minute step under a
!! synthetic dry-season diel forcing with a short shower every ~6 days, with
!! HR on (USE_HR = 1) or off (0), and prints the compiled time per
!! column-step [us] and the largest water-balance error [mm].
program column_driver
  use shr_kind_mod,      only: r8 => shr_kind_r8
  use SoilGridMod,       only: SoilGridCLM45
  use RootFractionMod,   only: RootFractionZeng2001
  use SoilHydraulicsMod, only: SoilPropertiesCLM45
  use LandColumnMod,     only: ColumnModelRun, nout_col, o_errh2o
  implicit none

  integer, parameter :: nlev = 10
  real(r8), parameter :: dtime = 1800._r8           ! [s]
  integer :: ncol, ndays, use_hr, nstep, c, t, ierr, ecol, elev, estep, clock0, clock1, rate
  character(len=32) :: arg
  character(len=512) :: errmsg
  real(r8) :: z(15), dz(15), zi(0:15), hour
  real(r8), allocatable :: zsoi(:,:), dzsoi(:,:), zisoi(:,:), sand(:,:), clay(:,:), org(:,:)
  real(r8), allocatable :: watsat(:,:), sucsat(:,:), bsw(:,:), hksat(:,:), watfc(:,:), rootfr(:,:)
  real(r8), allocatable :: tair(:,:), qair(:,:), psurf(:,:), wind(:,:), swdown(:,:), lwdown(:,:)
  real(r8), allocatable :: precip(:,:), co2(:,:), lai(:,:)
  real(r8), allocatable :: liq(:,:), zwt(:), wa(:), h2ocan(:), h2osno(:)
  real(r8), allocatable :: out_liq(:,:,:), out_qhr(:,:,:), out_col(:,:,:)

  call get_command_argument(1, arg); read(arg, *) ncol
  call get_command_argument(2, arg); read(arg, *) ndays
  call get_command_argument(3, arg); read(arg, *) use_hr
  nstep = ndays * 48

  call SoilGridCLM45(z, dz, zi)
  allocate(zsoi(ncol,nlev), dzsoi(ncol,nlev), zisoi(ncol,0:nlev), sand(ncol,nlev), clay(ncol,nlev), &
       org(ncol,nlev), watsat(ncol,nlev), sucsat(ncol,nlev), bsw(ncol,nlev), hksat(ncol,nlev),       &
       watfc(ncol,nlev), rootfr(ncol,nlev))
  do c = 1, ncol
     zsoi(c,:) = z(1:nlev)
     dzsoi(c,:) = dz(1:nlev)
     zisoi(c,:) = zi(0:nlev)
  end do
  sand = 65._r8; clay = 10._r8; org = 0._r8                    ! [%], [%], [kg m-3]
  call SoilPropertiesCLM45(sand, clay, org, zsoi, watsat, sucsat, bsw, hksat, watfc, &
       ierr, ecol, elev, errmsg)
  call stop_on(ierr, errmsg)
  call RootFractionZeng2001(zisoi, spread(7._r8, 1, ncol), spread(1.5_r8, 1, ncol), rootfr, ierr, errmsg)
  call stop_on(ierr, errmsg)

  allocate(tair(ncol,nstep), qair(ncol,nstep), psurf(ncol,nstep), wind(ncol,nstep), swdown(ncol,nstep), &
       lwdown(ncol,nstep), precip(ncol,nstep), co2(ncol,nstep), lai(ncol,nstep))
  do t = 1, nstep
     hour = mod((t - 1) * 0.5_r8, 24._r8)
     tair(:,t) = 295._r8 + 8._r8 * cos(2._r8 * 3.14159265_r8 * (hour - 15._r8) / 24._r8)   ! [K]
     qair(:,t) = 0.004_r8                                                                   ! [kg kg-1]
     psurf(:,t) = 88000._r8                                                                 ! [Pa]
     wind(:,t) = 2._r8                                                                      ! [m s-1]
     swdown(:,t) = max(0._r8, 900._r8 * sin(3.14159265_r8 * (hour - 6._r8) / 12._r8))       ! [W m-2]
     lwdown(:,t) = 330._r8                                                                  ! [W m-2]
     precip(:,t) = merge(2.e-3_r8, 0._r8, mod(t, 300) < 6)                                  ! [mm s-1]
     co2(:,t) = 400._r8                                                                     ! [ppm]
     lai(:,t) = 0.6_r8                                                                      ! [m2 m-2]
  end do

  allocate(liq(ncol,nlev), zwt(ncol), wa(ncol), h2ocan(ncol), h2osno(ncol))
  liq = 0.5_r8 * watsat * dzsoi * 1000._r8                    ! half saturated [mm]
  zwt = 8.8_r8; wa = 4000._r8; h2ocan = 0._r8; h2osno = 0._r8  ! [m], [mm], [mm], [mm]
  allocate(out_liq(ncol,nlev,nstep), out_qhr(ncol,nlev,nstep), out_col(ncol,nout_col,nstep))

  call system_clock(clock0, rate)
  call ColumnModelRun(dtime, 1, zsoi, dzsoi, zisoi, watsat, sucsat, bsw, hksat, watfc, rootfr, &
       ! CLM4.5 shrub (hrclm/data/pft_clm45.csv), US-SRM heights, namelist defaults
       spread(-83000._r8, 1, ncol), spread(-428000._r8, 1, ncol),                            &
       spread(0.3_r8, 1, ncol), spread(5.5e-3_r8, 1, ncol), spread(2.5_r8, 1, ncol),          &
       spread(0.5_r8, 1, ncol), spread(2.5_r8, 1, ncol), spread(6.4_r8, 1, ncol),             &
       spread(0.2_r8, 1, ncol), spread(300._r8, 1, ncol), spread(100._r8, 1, ncol),           &
       spread(42._r8, 1, ncol), spread(0.0009_r8, 1, ncol),                                   &
       use_hr, spread(2.642e-9_r8, 1, ncol), spread(-101976._r8, 1, ncol), spread(3.22_r8, 1, ncol), &
       1, 0, 1, 3, 4.e-6_r8, 1._r8, 273.15_r8,                                                &
       tair, qair, psurf, wind, swdown, lwdown, precip, co2, lai,                             &
       liq, zwt, wa, h2ocan, h2osno, out_liq, out_qhr, out_col, ierr, ecol, estep, errmsg)
  call system_clock(clock1)
  call stop_on(ierr, errmsg)
  print '(a,i5,a,i4,a,i1,a,f7.3,a,es9.2,a)', 'columns', ncol, '  days', ndays, '  use_hr ', use_hr, &
       ':', 1.e6_r8 * real(clock1 - clock0, r8) / rate / (real(ncol, r8) * nstep), &
       ' us per column-step; max water-balance error', maxval(abs(out_col(:,o_errh2o,:))), ' mm'

contains

  subroutine stop_on(ierr, errmsg)
    integer, intent(in) :: ierr
    character(len=*), intent(in) :: errmsg
    if (ierr /= 0) then
       print '(a)', 'column_driver: ' // trim(errmsg)
       error stop 1
    end if
  end subroutine stop_on

end program column_driver
