!> The whole column model for ncol columns over nstep steps, in compiled
!! code: snow and canopy interception, energy partition and
!! evapotranspiration, root uptake, and soil hydrology with hydraulic
!! redistribution (SoilColumnMod), with water and energy balance checks.
!!
!! Order within a step: SnowStore -> CanopyInterception -> RootUptake (btran)
!! -> CanopyFluxes -> HR switch D -> SoilHydrologyStep -> balances.
!!
!! Water storage S = canopy water + snow + soil liquid water + aquifer [mm];
!! errh2o = dS - (P - E_t - E_w - E_g - R_surf - R_drain) dt, and a step with
!! |errh2o| > errh2o_max is an error naming the column and step.
!! Energy: errseb = (SW absorbed - net LW) - G - H - LE [W m-2].
module LandColumnMod

  use shr_kind_mod,               only: r8 => shr_kind_r8
  use ieee_arithmetic,            only: ieee_is_finite
  use shr_strconvert_mod,         only: toString
  use RootUptakeMod,              only: RootUptake
  use SoilHydraulicsMod,          only: soil_psi
  use CanopyHydrologyMod,         only: CanopyInterception, SnowStore
  use CanopyFluxesMod,            only: CanopyFluxes
  use HydraulicRedistributionMod, only: HRNightSwitch
  use SoilColumnMod,              only: SoilHydrologyStep, HRLowerBound, errh2o_max

  implicit none
  private

  public :: ColumnModelRun

  ! Index of each per-column output in out_col(:, k, :)
  integer, parameter, public :: nout_col = 19
  integer, parameter, public :: o_qvegt = 1, o_qvege = 2, o_qsoil = 3, o_qinfl = 4, o_qover = 5, &
       o_qdrai = 6, o_zwt = 7, o_btran = 8, o_fsh = 9, o_lh = 10, o_fgr = 11, o_fsa = 12,         &
       o_fira = 13, o_h2ocan = 14, o_h2osno = 15, o_errh2o = 16, o_errseb = 17, o_hrsw = 18,      &
       o_wa = 19

contains

  subroutine ColumnModelRun(dtime, lower_bc, zsoi, dzsoi, zisoi, watsat, sucsat, bsw, hksat,  &
       watfc, rootfr, smpso, smpsc, wtfact, rsub_top_max, fdrai,                               &
       sai, htop, zref, albedo, rsmin, rgl, hs, sco2,                                          &
       use_hr, crt, psi50, hr_b, rx_rule, thick_rule, top_layer, night_rule, qvegt_max,        &
       sabv_max, hr_tair_min,                                                                  &
       tair, qair, psurf, wind, swdown, lwdown, precip, co2, lai,                              &
       h2osoi_liq, zwt, wa, h2ocan, h2osno,                                                    &
       out_liq, out_qhr, out_col, ierr, ecol, estep, errmsg)
    real(r8), intent(in)    :: dtime                       !< time step [s]
    integer,  intent(in)    :: lower_bc                    !< lower boundary (SoilWaterMovementMod)
    real(r8), intent(in), contiguous :: zsoi(:,:), dzsoi(:,:)       !< node depth, thickness (ncol, nlev) [m]
    real(r8), intent(in), contiguous :: zisoi(:,0:)                 !< interfaces (ncol, 0:nlev) [m]
    real(r8), intent(in), contiguous :: watsat(:,:), sucsat(:,:), bsw(:,:), hksat(:,:), watfc(:,:)
    real(r8), intent(in), contiguous :: rootfr(:,:)                 !< root fraction (ncol, nlev) [-]
    real(r8), intent(in), contiguous :: smpso(:), smpsc(:)          !< psi_o, psi_c (ncol) [mm]
    real(r8), intent(in), contiguous :: wtfact(:), rsub_top_max(:), fdrai(:)  !< (ncol) [-], [mm s-1], [m-1]
    real(r8), intent(in), contiguous :: sai(:), htop(:), zref(:)    !< stem area [m2 m-2], canopy top, reference height [m]
    real(r8), intent(in), contiguous :: albedo(:), rsmin(:), rgl(:), hs(:), sco2(:)  !< CanopyFluxesMod parameters
    integer,  intent(in)    :: use_hr, rx_rule, thick_rule, top_layer, night_rule
    real(r8), intent(in), contiguous :: crt(:), psi50(:), hr_b(:)   !< HR parameters (ncol) [s-1], [mm], [-]
    real(r8), intent(in)    :: qvegt_max, sabv_max         !< HR switch thresholds [mm s-1], [W m-2]
    real(r8), intent(in)    :: hr_tair_min                 !< no HR below this air temperature [K]
    real(r8), intent(in), contiguous :: tair(:,:), qair(:,:), psurf(:,:), wind(:,:)   !< (ncol, nstep) [K], [kg kg-1], [Pa], [m s-1]
    real(r8), intent(in), contiguous :: swdown(:,:), lwdown(:,:)    !< (ncol, nstep) [W m-2]
    real(r8), intent(in), contiguous :: precip(:,:)                 !< (ncol, nstep) [mm s-1]
    real(r8), intent(in), contiguous :: co2(:,:)                    !< (ncol, nstep) [ppm]
    real(r8), intent(in), contiguous :: lai(:,:)                    !< leaf area index (ncol, nstep) [m2 m-2]
    real(r8), intent(inout), contiguous :: h2osoi_liq(:,:)             !< soil liquid water (ncol, nlev) [mm]
    real(r8), intent(inout), contiguous :: zwt(:), wa(:), h2ocan(:), h2osno(:)   !< [m], [mm], [mm], [mm]
    real(r8), intent(out)   :: out_liq(:,:,:)              !< soil liquid water (ncol, nlev, nstep) [mm]
    real(r8), intent(out)   :: out_qhr(:,:,:)              !< HR flux (ncol, nlev, nstep) [mm s-1]
    real(r8), intent(out)   :: out_col(:,:,:)              !< per-column outputs (ncol, nout_col, nstep)
    integer,  intent(out)   :: ierr, ecol, estep
    character(len=*), intent(out) :: errmsg

    integer  :: ncol, nlev, nstep, c, t
    real(r8), allocatable :: theta(:,:), rootr(:,:), qhr(:,:), theta_c(:,:), smp(:,:)
    real(r8), dimension(size(zwt)) :: btran, qrain, qsnow, qmelt, qthru, qintr, fwet, fdry, qtran, &
         qevap_can, qevap_dmd, sabv, fsa, fira, fgr, avail, lambda, night, qinfl, qover, qevap,   &
         qdrai, storage0, le, fsh
    real(r8) :: storage1, err

    ncol = size(h2osoi_liq, 1)
    nlev = size(h2osoi_liq, 2)
    nstep = size(tair, 2)
    ierr = 0; ecol = 0; estep = 0; errmsg = ''
    allocate(theta(ncol,nlev), rootr(ncol,nlev), qhr(ncol,nlev), theta_c(ncol,nlev), smp(ncol,nlev))
    call HRLowerBound(watsat, sucsat, bsw, smpsc, theta_c)
    call check_forcing()
    if (ierr /= 0) return

    do t = 1, nstep
       do c = 1, ncol
          storage0(c) = sum(h2osoi_liq(c,:)) + wa(c) + h2ocan(c) + h2osno(c)
       end do
       theta = h2osoi_liq / (dzsoi * 1000._r8)
       smp = soil_psi(theta, watsat, sucsat, bsw)      ! once per step, shared below

       call SnowStore(dtime, tair(:,t), precip(:,t), h2osno, qrain, qsnow, qmelt)
       call CanopyInterception(dtime, qrain, lai(:,t), sai, h2ocan, qthru, qintr, fwet, fdry)
       call RootUptake(theta, watsat, sucsat, bsw, rootfr, smpso, smpsc, btran, rootr, smp)
       call CanopyFluxes(tair(:,t), qair(:,t), psurf(:,t), wind(:,t), swdown(:,t), lwdown(:,t), &
            co2(:,t), lai(:,t), sai, htop, zref, albedo, rsmin, rgl, hs, sco2, btran, fwet, fdry,  &
            h2ocan, dtime, theta(:,1), watfc(:,1), h2osno, qtran, qevap_can, qevap_dmd, sabv, fsa, &
            fira, fgr, avail, lambda)
       h2ocan = h2ocan - qevap_can * dtime

       night = 0._r8
       if (use_hr == 1) then
          call HRNightSwitch(qtran, sabv, night_rule, qvegt_max, sabv_max, night, ierr, errmsg)
          if (ierr /= 0) return
          where (tair(:,t) < hr_tair_min) night = 0._r8
       end if

       call SoilHydrologyStep(dtime, lower_bc, zsoi, dzsoi, zisoi, watsat, sucsat, bsw, hksat,  &
            theta_c, rootfr, wtfact, rsub_top_max, fdrai, use_hr, crt, psi50, hr_b, rx_rule,     &
            thick_rule, top_layer, qthru + qmelt, qevap_dmd, qtran, rootr, night,                 &
            h2osoi_liq, zwt, wa, qinfl, qover, qevap, qdrai, qhr, ierr, ecol, errmsg, smp)
       if (ierr /= 0) then
          estep = t
          errmsg = trim(errmsg) // ' (step ' // toString(t) // ')'
          return
       end if

       le = lambda * (qtran + qevap_can + qevap)
       fsh = avail - le
       do c = 1, ncol
          storage1 = sum(h2osoi_liq(c,:)) + wa(c) + h2ocan(c) + h2osno(c)
          err = storage1 - storage0(c) - (precip(c,t) - qtran(c) - qevap_can(c) - qevap(c) &
               - qover(c) - qdrai(c)) * dtime
          out_col(c, o_errh2o, t) = err
          if (.not. (abs(err) <= errh2o_max)) then
             ierr = 2; ecol = c; estep = t
             errmsg = 'water balance error ' // toString(err) // ' mm at column ' // toString(c) // &
                  ', step ' // toString(t) // ' exceeds ' // toString(errh2o_max) // ' mm'
             return
          end if
       end do

       out_liq(:,:,t) = h2osoi_liq
       out_qhr(:,:,t) = qhr
       out_col(:, o_qvegt, t) = qtran
       out_col(:, o_qvege, t) = qevap_can
       out_col(:, o_qsoil, t) = qevap
       out_col(:, o_qinfl, t) = qinfl
       out_col(:, o_qover, t) = qover
       out_col(:, o_qdrai, t) = qdrai
       out_col(:, o_zwt, t)   = zwt
       out_col(:, o_btran, t) = btran
       out_col(:, o_fsh, t)   = fsh
       out_col(:, o_lh, t)    = le
       out_col(:, o_fgr, t)   = fgr
       out_col(:, o_fsa, t)   = fsa
       out_col(:, o_fira, t)  = fira
       out_col(:, o_h2ocan, t) = h2ocan
       out_col(:, o_h2osno, t) = h2osno
       out_col(:, o_errseb, t) = fsa - fira - fgr - fsh - le
       out_col(:, o_hrsw, t)  = night
       out_col(:, o_wa, t)    = wa
    end do

  contains

    subroutine check_forcing()
      integer :: cc, tt
      do tt = 1, nstep
         do cc = 1, ncol
            if (.not. (ieee_is_finite(tair(cc,tt)) .and. tair(cc,tt) > 150._r8 .and. tair(cc,tt) < 350._r8)) then
               call bad('Tair', tair(cc,tt), 'K', 'in (150, 350) K', cc, tt)
            else if (.not. (qair(cc,tt) >= 0._r8 .and. qair(cc,tt) < 0.1_r8)) then
               call bad('Qair', qair(cc,tt), 'kg kg-1', 'in [0, 0.1) kg kg-1', cc, tt)
            else if (.not. (psurf(cc,tt) > 3.e4_r8 .and. psurf(cc,tt) < 1.2e5_r8)) then
               call bad('Psurf', psurf(cc,tt), 'Pa', 'in (3e4, 1.2e5) Pa', cc, tt)
            else if (.not. (wind(cc,tt) >= 0._r8 .and. wind(cc,tt) < 100._r8)) then
               call bad('Wind', wind(cc,tt), 'm s-1', 'in [0, 100) m s-1', cc, tt)
            else if (.not. (swdown(cc,tt) >= 0._r8 .and. swdown(cc,tt) < 1500._r8)) then
               call bad('SWdown', swdown(cc,tt), 'W m-2', 'in [0, 1500) W m-2', cc, tt)
            else if (.not. (lwdown(cc,tt) > 0._r8 .and. lwdown(cc,tt) < 800._r8)) then
               call bad('LWdown', lwdown(cc,tt), 'W m-2', 'in (0, 800) W m-2', cc, tt)
            else if (.not. (precip(cc,tt) >= 0._r8 .and. precip(cc,tt) < 1._r8)) then
               call bad('Rainf', precip(cc,tt), 'kg m-2 s-1', 'in [0, 1) kg m-2 s-1', cc, tt)
            else if (.not. (co2(cc,tt) > 0._r8 .and. co2(cc,tt) < 5000._r8)) then
               call bad('CO2air', co2(cc,tt), 'ppm', 'in (0, 5000) ppm', cc, tt)
            else if (.not. (lai(cc,tt) >= 0._r8 .and. lai(cc,tt) < 20._r8)) then
               call bad('LAI', lai(cc,tt), 'm2 m-2', 'in [0, 20) m2 m-2', cc, tt)
            end if
            if (ierr /= 0) then
               ecol = cc; estep = tt
               return
            end if
         end do
      end do
    end subroutine check_forcing

    subroutine bad(name, value, units, valid, cc, tt)
      character(len=*), intent(in) :: name, units, valid
      real(r8), intent(in) :: value
      integer,  intent(in) :: cc, tt
      ierr = 1
      errmsg = 'forcing ' // name // ' = ' // toString(value) // ' ' // units // ' at column ' // &
           toString(cc) // ', step ' // toString(tt) // ' is not valid: it must be finite and ' // valid
    end subroutine bad

  end subroutine ColumnModelRun

end module LandColumnMod
