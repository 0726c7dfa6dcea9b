!> The column driver: the one time loop of hrclm. It advances ncol columns
!! over nstep steps in one of two surface modes and accumulates the history
!! tapes as it goes (HistAccumMod); inputs and outputs are the named groups
!! of ColumnVarsMod.
!!
!! Surface modes (ctl_i(ic_mode)):
!!   mode_canopy      SnowStore -> per patch: RootUptake (btran) ->
!!                    CanopyInterception -> the canopy scheme (ctl_i(ic_canopy)):
!!                      canopy_clm45: TwoStream -> SurfaceRadiation ->
!!                        CanopyFluxes or BareGroundFluxes (CLM4.5 ch. 3-5, 8)
!!                        -> column: SoilTemperature -> SoilFluxes corrections
!!                      canopy_pm: PenmanMonteithFluxes
!!                    -> HR switch D -> SoilHydrologyStep
!!   mode_prescribed  RootUptake (btran) -> transpiration = demand * btran,
!!                    water input, soil evaporation demand and D given
!!                    -> SoilHydrologyStep
!!
!! Water storage S = canopy water + snow + soil liquid water + aquifer [mm];
!! errh2o = dS - (W - E_t - E_w - E_g - R_surf - R_drain) dt with W the
!! precipitation (canopy mode) or the water input (prescribed mode), and a
!! step with |errh2o| > errh2o_max is an error naming the column and step.
!! Energy (canopy mode): errseb = (SW absorbed - net LW) - G - H - LE [W m-2];
!! with the CLM4.5 canopy also errsoi = sum(c_v dT)/dt - G, the heat the soil
!! stored against the heat the surface gave it [W m-2].
!! Carbon (ctl_i(ic_carbon) = 1, CLM4.5 canopy): after the water and energy
!! of the step, the patches' GPP, maintenance and growth respiration and NPP
!! (AutotrophicRespirationMod, PlantCarbonMod), their litterfall into the
!! soil layers, and decomposition of the litter and soil organic carbon pools
!! of every layer (SoilDecompositionMod), every step as CLM4.5 does; the soil
!! carbon balance errsoilc = sum(dz dC) - (litter input - HR) dt [gC m-2] is
!! checked every step as water and energy are.
module ColumnDriverMod

  use shr_kind_mod,               only: r8 => shr_kind_r8
  use ieee_arithmetic,            only: ieee_is_finite
  use shr_strconvert_mod,         only: toString
  use ColumnVarsMod
  use HistAccumMod,               only: HistAccumulate
  use RootUptakeMod,              only: RootUptake, HydraulicUptakeWeights, uptake_hydraulic
  use SoilHydraulicsMod,          only: soil_psi
  use CanopyHydrologyMod,         only: CanopyInterception, SnowStore
  use PenmanMonteithMod,          only: PenmanMonteithFluxes
  use clm_varcon,                 only: tfrz, sb, hvap, o2_molar_const, capr, cnfac
  use Biogeophysics1Mod,          only: GroundProperties
  use SurfaceAlbedoMod,           only: numrad, SolarSplit, SoilAlbedo, TwoStream
  use SurfaceRadiationMod,        only: SurfaceRadiation
  use PhotosynthesisMod,          only: CanopyNitrogenScaling
  use CanopyFluxesMod,            only: CanopyFluxes, canopy_min_area
  use BareGroundFluxesMod,        only: BareGroundFluxes
  use SoilTemperatureMod,         only: GroundGrid, SoilThermProp, SoilTemperature
  use HydraulicRedistributionMod, only: HRNightSwitch
  use SoilColumnMod,              only: SoilHydrologyStep, HRLowerBound, HRPairConductance, errh2o_max
  use SoilWaterMovementMod,       only: bc_aquifer, bc_no_flow
  use AutotrophicRespirationMod,  only: TissueNitrogen, MaintenanceRespiration, GrowthRespiration, &
                                        grperc, umolc_to_gc
  use PlantCarbonMod,             only: LiveWoodCarbon, Litterfall, AnnualUpdate
  use SoilDecompositionMod,       only: DecompRateConstants, LitterInputProfile, SoilDecomposition, &
                                        ndecomp_pools, decomp_tau, som_diffus

  implicit none
  private

  public :: ColumnDriverRun

  !> diag(:, 1) max |errh2o| [mm], diag(:, 2) max |errseb| [W m-2], diag(:, 3) steps
  !! whose HR the limiter reduced (the solve redone) [-], diag(:, 4) max |errsoi|
  !! [W m-2], diag(:, 5) most passes of the leaf temperature iteration [-],
  !! diag(:, 6) max |errsoilc| [gC m-2]
  integer, parameter, public :: ndiag = 6
  integer,  parameter :: hr_limit_iter = 4        !< solves redone at most to meet the HR bounds
  real(r8), parameter :: hr_limit_tol = 1.e-9_r8  !< HR bound tolerance [mm]
  real(r8), parameter :: errseb_max = 1.e-6_r8    !< largest energy balance error of a step [W m-2]
  real(r8), parameter :: errsoilc_max = 1.e-7_r8  !< largest soil carbon balance error of a step [gC m-2]

contains

  subroutine ColumnDriverRun(ctl_i, ctl_r, laypar, colpar, patpar, patlay, forc, theta_presc, &
       state_lev, state_col, state_pat, state_grnd, hsrc, hflag, tape_first, tape_n, tape_base, &
       recend, hcnt, hacc, hout, diag, ierr, ecol, estep, errmsg)
    integer,  intent(in)    :: ctl_i(:)                      !< integer run control (nctl_i)
    real(r8), intent(in)    :: ctl_r(:)                      !< real run control (nctl_r)
    real(r8), intent(in), contiguous :: laypar(:,:,:)        !< soil layer parameters (ncol, nlev, nlaypar)
    real(r8), intent(in), contiguous :: colpar(:,:)          !< column parameters (ncol, ncolpar)
    real(r8), intent(in), contiguous :: patpar(:,:,:)        !< patch parameters (ncol, npatch, npatpar)
    real(r8), intent(in), contiguous :: patlay(:,:,:,:)      !< patch layer parameters (ncol, nlev, npatch, npatlay)
    real(r8), intent(in), contiguous :: forc(:,:,:)          !< forcing (ncolf, nforc, nstep), ncolf 1 or ncol
    !> prescribed soil moisture (ncolp, nlev, nstepp) [m3 m-3]: ncolp 1 or ncol, nstepp 1
    !! (no prescription) or nstep; NaN where a layer evolves freely. A prescribed
    !! layer ends each step at the given value; the water this adds or removes
    !! is the imposed flux QIMPOSED of the water balance.
    real(r8), intent(in), contiguous :: theta_presc(:,:,:)
    real(r8), intent(inout), contiguous :: state_lev(:,:,:)  !< layer state (ncol, nlev, nstate_lev)
    real(r8), intent(inout), contiguous :: state_col(:,:)    !< column state (ncol, nstate_col)
    real(r8), intent(inout), contiguous :: state_pat(:,:,:)  !< patch state (ncol, npatch, nstate_pat)
    real(r8), intent(inout), contiguous :: state_grnd(:,:,:) !< ground level state (ncol, nlev + nlevbed, nstate_grnd)
    integer,  intent(in)    :: hsrc(:), hflag(:)             !< history slots: source slot, flag (nh)
    integer,  intent(in)    :: tape_first(:), tape_n(:), tape_base(:)   !< tapes (ntape)
    integer,  intent(in)    :: recend(:,:)                   !< 1 where a step ends a record (ntape, nstep)
    integer,  intent(inout) :: hcnt(:)                       !< steps in each tape's open record (ntape)
    real(r8), intent(inout), contiguous :: hacc(:,:)         !< history accumulators (ncol, nh)
    real(r8), intent(inout) :: hout(:,:)                     !< closed history records (ncol, nout)
    real(r8), intent(out)   :: diag(:,:)                     !< largest balance errors (ncol, ndiag)
    integer,  intent(out)   :: ierr, ecol, estep
    character(len=*), intent(out) :: errmsg

    integer  :: ncol, nlev, npatch, nstep, ncolf, c, t, k, p, j, mode, use_hr, hr_on
    integer  :: islot(nhist), hrec(size(tape_n))
    real(r8) :: dtime
    real(r8), allocatable :: theta(:,:), qhr(:,:), smp(:,:), dzmm(:,:), rootsoi(:,:)
    real(r8), allocatable :: zisoi(:,:), f(:,:), fld(:,:), kpair(:,:,:), kpair_p(:,:,:)
    real(r8), allocatable :: theta_c(:,:,:), rootr(:,:,:), btran_p(:,:), qtran_p(:,:), night_p(:,:)
    real(r8), allocatable :: liq0(:,:), theta_lo(:,:), hr_scale(:,:)
    logical,  allocatable :: live(:,:)        ! layers roots may draw from (unfrozen)
    ! CLM4.5 canopy: ground levels, radiation, per-patch ground fluxes
    real(r8), allocatable :: zg(:,:), dzg(:,:), zig(:,:), tk(:,:), cv(:,:), tsoi0(:,:), ice(:,:), liqg(:,:), &
         thk(:,:), fact(:,:), fgr_lev(:,:)
    real(r8), allocatable :: solad(:,:), solai(:,:), albgrd(:,:), albgri(:,:), albd(:,:), albi(:,:), &
         fabd(:,:), fabi(:,:), ftdd(:,:), ftid(:,:), ftii(:,:), fabd_sun(:,:), fabd_sha(:,:),        &
         fabi_sun(:,:), fabi_sha(:,:), optics(:,:,:)
    real(r8), allocatable :: shg_p(:,:), evg_p(:,:), cgs_p(:,:), cgl_p(:,:), fpsn_p(:,:)
    ! carbon: patch fluxes [gC m-2 s-1] and temperatures, roots by patch, soil layers
    real(r8), allocatable :: lmr_p(:,:), t2m_p(:,:), rootfr_cpl(:,:,:), gpp_p(:,:), mr_p(:,:), gr_p(:,:), &
         npp_p(:,:), cwork(:,:,:), decomp_k(:,:,:), input_vr(:,:,:), t_scalar(:,:), w_scalar(:,:),      &
         depth_scalar(:,:), o_scalar(:,:), hr_vr(:,:), trans_vr(:,:), froot_mr_lay(:,:,:)
    real(r8), dimension(size(state_col, 1)) :: gpp, ar, mr, gr, npp, hrc, litfall, errsoilc, diffus
    logical  :: carbon
    logical,  allocatable :: veg(:)
    integer,  allocatable :: niter(:)
    integer  :: nlevgrnd, canopy
    real(r8), dimension(size(state_col, 1)) :: zwt0, wa0, qimposed
    integer  :: ncolp, iter
    logical  :: presc
    real(r8), dimension(size(state_col, 1)) :: btran, qrain, qsnow, qmelt, qtop, qintr, fwet, &
         fdry, qtran, qevap_can, qevap_dmd, fsa, fira, fgr, avail, lambda, night, qinfl,      &
         qover, qevap, qdrai, storage0, le, fsh, qin, errseb, h2ocan, wt,                     &
         qthru_p, qevap_can_p, qevap_dmd_p, sabv_p, fsa_p, fira_p, fgr_p, avail_p
    real(r8), dimension(size(state_col, 1)) :: tg0, qg, dqgdT, soilbeta, emg, z0mg, extkb, fsun,  &
         sabg_p, fsr_p, parsun, parsha, laisun, laisha, nsun, nsha, elai, esai, pco2, po2,            &
         evap_veg, sh_veg, shg_tmp, evg_tmp, cgs_tmp, cgl_tmp, dlrad, ulrad, rssun, rssha, errveg,    &
         hs, dhsdT, lwup, sabv, sabg, fsr, fpsn, tv, qsub, qdew, qsoil_dmd, fgr_soil, errsoi,         &
         sh_grnd, tinc, shv_p, zero, t2m, tsa
    real(r8) :: storage1, err

    ncol = size(state_lev, 1)
    nlev = size(state_lev, 2)
    npatch = size(patpar, 2)
    ncolf = size(forc, 1)
    nstep = size(forc, 3)
    ncolp = size(theta_presc, 1)
    ! soil moisture is prescribed when theta_presc has a value for every step
    ! (a single step counts only if some layer is not NaN: (1, nlev, 1) of NaN
    ! is how a caller says "none")
    presc = (size(theta_presc, 3) == nstep .and. nstep > 1) .or. &
         (size(theta_presc, 3) == 1 .and. nstep == 1 .and. any(theta_presc == theta_presc))
    mode = ctl_i(ic_mode)
    use_hr = ctl_i(ic_use_hr)
    dtime = ctl_r(rc_dtime)
    ierr = 0; ecol = 0; estep = 0; errmsg = ''
    diag = 0._r8
    hrec = 0
    do k = 1, nhist
       islot(k) = hist_slot(k, nlev, npatch)
    end do
    nlevgrnd = nlev + nlevbed
    canopy = ctl_i(ic_canopy)
    allocate(thk(ncol,nlevgrnd), fact(ncol,nlevgrnd), fgr_lev(ncol,nlevgrnd))
    allocate(zg(ncol,nlevgrnd), dzg(ncol,nlevgrnd), zig(ncol,0:nlevgrnd), tk(ncol,nlevgrnd),         &
         cv(ncol,nlevgrnd), tsoi0(ncol,nlevgrnd), ice(ncol,nlevgrnd), liqg(ncol,nlevgrnd),          &
         solad(ncol,numrad), solai(ncol,numrad), albgrd(ncol,numrad), albgri(ncol,numrad),          &
         albd(ncol,numrad), albi(ncol,numrad), fabd(ncol,numrad), fabi(ncol,numrad),                &
         ftdd(ncol,numrad), ftid(ncol,numrad), ftii(ncol,numrad), fabd_sun(ncol,numrad),            &
         fabd_sha(ncol,numrad), fabi_sun(ncol,numrad), fabi_sha(ncol,numrad), optics(ncol,numrad,4), &
         shg_p(ncol,npatch), evg_p(ncol,npatch), cgs_p(ncol,npatch), cgl_p(ncol,npatch),            &
         fpsn_p(ncol,npatch), veg(ncol), niter(ncol))
    allocate(theta(ncol,nlev), qhr(ncol,nlev), smp(ncol,nlev), dzmm(ncol,nlev),               &
         rootsoi(ncol,nlev), zisoi(ncol,0:nlev), f(ncol,nforc), fld(ncol,hist_nslot(nlev,npatch)), &
         kpair(ncol,nlev,nlev), kpair_p(ncol,nlev,nlev), theta_c(ncol,nlev,npatch),            &
         rootr(ncol,nlev,npatch), btran_p(ncol,npatch), qtran_p(ncol,npatch), night_p(ncol,npatch), &
         liq0(ncol,nlev), theta_lo(ncol,nlev), hr_scale(ncol,nlev), live(ncol,nlev))
    carbon = ctl_i(ic_carbon) == 1
    allocate(lmr_p(ncol,npatch), t2m_p(ncol,npatch))
    lmr_p = 0._r8
    t2m_p = 0._r8
    if (carbon) then
       allocate(rootfr_cpl(ncol,npatch,nlev), gpp_p(ncol,npatch), mr_p(ncol,npatch), gr_p(ncol,npatch), &
            npp_p(ncol,npatch), cwork(ncol,npatch,18), decomp_k(ncol,nlev,ndecomp_pools),             &
            input_vr(ncol,nlev,ndecomp_pools), t_scalar(ncol,nlev), w_scalar(ncol,nlev),             &
            depth_scalar(ncol,nlev), o_scalar(ncol,nlev), hr_vr(ncol,nlev), trans_vr(ncol,nlev),      &
            froot_mr_lay(ncol,npatch,nlev))
       do p = 1, npatch
          do j = 1, nlev
             rootfr_cpl(:,p,j) = patlay(:,j,p,pl_rootfr)
          end do
       end do
       o_scalar = 1._r8                      ! no methane / oxygen model
       diffus = som_diffus
    end if

    associate(zsoi => laypar(:,:,lp_zsoi), dzsoi => laypar(:,:,lp_dzsoi),                   &
         watsat => laypar(:,:,lp_watsat), sucsat => laypar(:,:,lp_sucsat),                    &
         bsw => laypar(:,:,lp_bsw), hksat => laypar(:,:,lp_hksat), watfc => laypar(:,:,lp_watfc), &
         wtfact => colpar(:,cp_wtfact), rsub_top_max => colpar(:,cp_rsub_top_max),            &
         fdrai => colpar(:,cp_fdrai), zref => colpar(:,cp_zref),                              &
         sco2 => colpar(:,cp_sco2),                                                           &
         h2osoi_liq => state_lev(:,:,sl_h2osoi_liq),                                          &
         zwt => state_col(:,sc_zwt), wa => state_col(:,sc_wa), h2osno => state_col(:,sc_h2osno), &
         t10 => state_col(:,sc_t10),                                                          &
         h2ocan_p => state_pat(:,:,sp_h2ocan), t_veg_p => state_pat(:,:,sp_t_veg),            &
         t_soisno => state_grnd(:,:,sg_t_soisno))

    dzmm = dzsoi * 1000._r8
    zisoi(:,0) = 0._r8
    zisoi(:,1:nlev) = laypar(:,:,lp_zisoi)
    call check_inputs()
    if (ierr /= 0) return
    do c = 1, ncol
       call GroundGrid(zsoi(c,:), zisoi(c,:), zg(c,:), dzg(c,:), zig(c,:))
    end do
    ice = 0._r8                              ! hook: no frozen soil water yet
    liqg = 0._r8
    do p = 1, npatch
       call HRLowerBound(watsat, sucsat, bsw, patpar(:,p,pp_smpsc), theta_c(:,:,p))
    end do
    ! the lowest HR lower bound of the patches that redistribute
    theta_lo = watsat
    do p = 1, npatch
       do j = 1, nlev
          where (patpar(:,p,pp_crt) > 0._r8) theta_lo(:,j) = min(theta_lo(:,j), theta_c(:,j,p))
       end do
    end do

    do t = 1, nstep
       do k = 1, nforc
          do c = 1, ncol
             f(c,k) = forc(min(c, ncolf), k, t)
          end do
       end do
       call patch_sum(h2ocan_p, h2ocan)
       do c = 1, ncol
          storage0(c) = sum(h2osoi_liq(c,:)) + wa(c) + h2ocan(c) + h2osno(c)
       end do
       do k = 1, nlev
          do c = 1, ncol
             theta(c,k) = state_lev(c,k,sl_h2osoi_liq) / dzmm(c,k)
          end do
       end do
       smp = soil_psi(theta, watsat, sucsat, bsw)      ! once per step, shared below
       night_p = 0._r8
       qtop = 0._r8; qtran = 0._r8; qevap_can = 0._r8; qevap_dmd = 0._r8
       fsa = 0._r8; fira = 0._r8; fgr = 0._r8; avail = 0._r8

       if (mode == mode_canopy) then
          call SnowStore(dtime, f(:,fo_tair), f(:,fo_rainf), h2osno, qrain, qsnow, qmelt)
          if (canopy == canopy_clm45) call clm45_column_start()
       end if
       ! no uptake from layers at or below tfrz - 2 K (CLM4.5 CanopyFluxes)
       if (mode == mode_canopy .and. canopy == canopy_clm45) then
          live = state_grnd(:,1:nlev,sg_t_soisno) > tfrz - 2._r8
       else
          live = .true.
       end if
       ! each patch: interception, btran and uptake weights, canopy fluxes
       do p = 1, npatch
          wt = patpar(:,p,pp_wt)
          call RootUptake(theta, watsat, sucsat, bsw, patlay(:,:,p,pl_rootfr), patpar(:,p,pp_smpso), &
               patpar(:,p,pp_smpsc), btran_p(:,p), rootr(:,:,p), smp, ctl_i(ic_uptake),      &
               patpar(:,p,pp_krs), live)
          if (mode == mode_canopy) then
             call CanopyInterception(dtime, qrain, f(:,fo_lai), patpar(:,p,pp_sai), h2ocan_p(:,p),   &
                  qthru_p, qintr, fwet, fdry)
             if (canopy == canopy_pm) then
                call PenmanMonteithFluxes(f(:,fo_tair), f(:,fo_qair), f(:,fo_psurf), f(:,fo_wind),  &
                     f(:,fo_swdown), f(:,fo_lwdown), f(:,fo_co2), f(:,fo_lai), patpar(:,p,pp_sai),  &
                     patpar(:,p,pp_htop), zref, patpar(:,p,pp_albedo), patpar(:,p,pp_rsmin),         &
                     patpar(:,p,pp_rgl), patpar(:,p,pp_hs), sco2, btran_p(:,p), fwet, fdry,          &
                     h2ocan_p(:,p), dtime, theta(:,1), watfc(:,1), h2osno, qtran_p(:,p),             &
                     qevap_can_p, qevap_dmd_p, sabv_p, fsa_p, fira_p, fgr_p, avail_p, lambda)
             else
                call clm45_patch(p)
                if (ierr /= 0) return
             end if
             h2ocan_p(:,p) = h2ocan_p(:,p) - qevap_can_p * dtime
             if (use_hr == 1) then
                call HRNightSwitch(qtran_p(:,p), sabv_p, ctl_i(ic_night_rule),                &
                     ctl_r(rc_qvegt_max), ctl_r(rc_sabv_max), night_p(:,p), ierr, errmsg)
                if (ierr /= 0) return
                where (f(:,fo_tair) < ctl_r(rc_tair_min)) night_p(:,p) = 0._r8
             end if
             qtop = qtop + wt * qthru_p
             qevap_can = qevap_can + wt * qevap_can_p
             qevap_dmd = qevap_dmd + wt * qevap_dmd_p
             fsa = fsa + wt * fsa_p
             fira = fira + wt * fira_p
             fgr = fgr + wt * fgr_p
             avail = avail + wt * avail_p
          else
             qtran_p(:,p) = f(:,fo_transpiration) * btran_p(:,p)
             if (use_hr == 1) night_p(:,p) = f(:,fo_hr_switch)
          end if
          qtran = qtran + wt * qtran_p(:,p)
       end do
       if (mode == mode_canopy) then
          qtop = qtop + qmelt
          qin = f(:,fo_rainf)
          if (canopy == canopy_clm45) then
             call clm45_column_end()
             if (ierr /= 0) return
          end if
       else
          qtop = f(:,fo_water_input)
          qevap_dmd = f(:,fo_evaporation)
          qin = qtop
       end if

       ! root uptake from each layer, and HR pair conductances, summed over patches
       if (ctl_i(ic_uptake) == uptake_hydraulic) then
          do p = 1, npatch
             call HydraulicUptakeWeights(qtran_p(:,p), patpar(:,p,pp_krs), smp, patpar(:,p,pp_psi50), &
                  patpar(:,p,pp_hr_b), patlay(:,:,p,pl_rootfr), rootr(:,:,p))
          end do
       end if
       do j = 1, nlev
          do c = 1, ncol
             rootsoi(c,j) = patpar(c,1,pp_wt) * rootr(c,j,1) * qtran_p(c,1)
          end do
       end do
       do p = 2, npatch
          do j = 1, nlev
             do c = 1, ncol
                rootsoi(c,j) = rootsoi(c,j) + patpar(c,p,pp_wt) * rootr(c,j,p) * qtran_p(c,p)
             end do
          end do
       end do
       hr_on = merge(1, 0, use_hr == 1 .and. any(night_p > 0._r8))
       if (hr_on == 1 .and. npatch == 1) then
          ! one patch (of weight 1): its pair conductances are the column's
          call HRPairConductance(dtime, smp, patlay(:,:,1,pl_rootfr), dzsoi, watsat,            &
               theta_c(:,:,1), h2osoi_liq, night_p(:,1), patpar(:,1,pp_crt),                      &
               patpar(:,1,pp_psi50), patpar(:,1,pp_hr_b), ctl_i(ic_rx_rule),                      &
               ctl_i(ic_thick_rule), ctl_i(ic_top_layer), kpair, ierr, ecol, errmsg)
          if (ierr /= 0) then
             estep = t
             errmsg = trim(errmsg) // ' (patch 1, step ' // toString(t) // ')'
             return
          end if
       else if (hr_on == 1) then
          kpair = 0._r8
          do p = 1, npatch
             if (.not. any(night_p(:,p) > 0._r8 .and. patpar(:,p,pp_crt) > 0._r8)) cycle
             call HRPairConductance(dtime, smp, patlay(:,:,p,pl_rootfr), dzsoi, watsat,         &
                  theta_c(:,:,p), h2osoi_liq, night_p(:,p), patpar(:,p,pp_crt),                  &
                  patpar(:,p,pp_psi50), patpar(:,p,pp_hr_b), ctl_i(ic_rx_rule),                  &
                  ctl_i(ic_thick_rule), ctl_i(ic_top_layer), kpair_p, ierr, ecol, errmsg)
             if (ierr /= 0) then
                estep = t
                errmsg = trim(errmsg) // ' (patch ' // toString(p) // ', step ' // toString(t) // ')'
                return
             end if
             do k = 1, nlev
                do j = 1, nlev
                   kpair(:,j,k) = kpair(:,j,k) + patpar(:,p,pp_wt) * kpair_p(:,j,k)
                end do
             end do
          end do
       end if

       if (hr_on == 1 .and. mode == mode_canopy .and. canopy == canopy_clm45) then
          ! no HR into or out of a frozen layer (SOILWAT2, CABLE)
          do k = 1, nlev
             do j = 1, nlev
                where (t_soisno(:,j) < tfrz .or. t_soisno(:,k) < tfrz) kpair(:,j,k) = 0._r8
             end do
          end do
       end if
       if (hr_on == 1) then
          ! the start of the step, to redo it if the HR applied breaks a bound
          liq0 = h2osoi_liq
          zwt0 = zwt
          wa0 = wa
       end if
       do iter = 0, hr_limit_iter + 1
          call SoilHydrologyStep(dtime, ctl_i(ic_lower_bc), zsoi, dzsoi, zisoi, watsat, sucsat,  &
               bsw, hksat, wtfact, rsub_top_max, fdrai, hr_on, kpair, qtop, qevap_dmd, rootsoi,  &
               h2osoi_liq, zwt, wa, qinfl, qover, qevap, qdrai, qhr, smp)
          if (hr_on == 0 .or. iter > hr_limit_iter) exit
          ! HR limiter on the fluxes the implicit solve applied: HR alone may not
          ! take a layer below the lowest closure water content of the patches
          ! that redistribute (theta_lo) nor above saturation
          if (.not. hr_limit(iter == hr_limit_iter)) exit
          if (iter == 0) then
             where (any(hr_scale < 1._r8, dim=2)) diag(:, 3) = diag(:, 3) + 1._r8
          end if
          h2osoi_liq = liq0
          zwt = zwt0
          wa = wa0
       end do

       if (mode == mode_canopy .and. canopy == canopy_clm45) then
          ! evaporation the soil could not supply: its energy stays as sensible heat
          ! (CLM4.5 SoilFluxes); ground evaporation = sublimation + soil - dew
          sh_grnd = sh_grnd + hvap * (qsoil_dmd - qevap)
          qevap = qsub + qevap - qdew
       end if

       ! prescribed soil moisture: the layers end the step at the given value
       qimposed = 0._r8
       if (presc) then
          do j = 1, nlev
             do c = 1, ncol
                associate(tp => theta_presc(min(c, ncolp), j, t))
                if (tp == tp) then                      ! not NaN
                   qimposed(c) = qimposed(c) + (tp * dzmm(c,j) - h2osoi_liq(c,j)) / dtime
                   h2osoi_liq(c,j) = tp * dzmm(c,j)
                end if
                end associate
             end do
          end do
       end if

       ! one water balance check for both modes
       call patch_sum(h2ocan_p, h2ocan)
       do c = 1, ncol
          storage1 = sum(h2osoi_liq(c,:)) + wa(c) + h2ocan(c) + h2osno(c)
          err = storage1 - storage0(c) - (qin(c) + qimposed(c) - qtran(c) - qevap_can(c) - qevap(c) &
               - qover(c) - qdrai(c)) * dtime
          fld(c, islot(h_errh2o)) = err
          diag(c, 1) = max(diag(c, 1), abs(err))
          if (.not. (abs(err) <= errh2o_max)) then
             ierr = 2; ecol = c; estep = t
             errmsg = 'water balance error ' // toString(err) // ' mm at column ' // toString(c) // &
                  ', step ' // toString(t) // ' exceeds ' // toString(errh2o_max) // &
                  ' mm; the time step or the input fluxes are not valid for this soil'
             return
          end if
       end do

       if (mode == mode_canopy .and. canopy == canopy_clm45) then
          le = hvap * (qtran + qevap_can + qevap)
          fsh = sh_veg + sh_grnd
          fgr = fgr_soil
          fira = lwup - f(:,fo_lwdown)
          errseb = fsa - fira - fgr - fsh - le
          diag(:, 4) = max(diag(:, 4), abs(errsoi))
       else if (mode == mode_canopy) then
          errsoi = 0._r8
          le = lambda * (qtran + qevap_can + qevap)
          fsh = avail - le
          errseb = fsa - fira - fgr - fsh - le
       else
          le = 0._r8; fsh = 0._r8; fgr = 0._r8; fsa = 0._r8; fira = 0._r8; errseb = 0._r8
          errsoi = 0._r8
       end if
       diag(:, 2) = max(diag(:, 2), abs(errseb))
       ! one energy check, as for water: the surface and the soil heat balances
       do c = 1, ncol
          if (.not. (abs(errseb(c)) <= errseb_max .and. abs(errsoi(c)) <= errseb_max)) then
             ierr = 2; ecol = c; estep = t
             errmsg = 'energy balance error ' // toString(errseb(c)) // ' W m-2 (surface), ' // &
                  toString(errsoi(c)) // ' W m-2 (soil heat) at column ' // toString(c) // &
                  ', step ' // toString(t) // ' exceeds ' // toString(errseb_max) // &
                  ' W m-2; the forcing or the time step is not valid for this column'
             return
          end if
       end do
       call patch_sum(btran_p, btran)
       call patch_sum(night_p, night)
       if (carbon) then
          call carbon_step()
          if (ierr /= 0) return
       end if

       ! this step's history fields
       do k = 1, nlev
          do c = 1, ncol
             fld(c, islot(h_soilliq) + k - 1) = state_lev(c,k,sl_h2osoi_liq)
             fld(c, islot(h_h2osoi) + k - 1) = state_lev(c,k,sl_h2osoi_liq) / dzmm(c,k)
             fld(c, islot(h_qhr) + k - 1) = qhr(c,k)
             fld(c, islot(h_qrootsink) + k - 1) = rootsoi(c,k)
          end do
       end do
       do p = 1, npatch
          fld(:, islot(h_btran_p) + p - 1) = btran_p(:,p)
          fld(:, islot(h_qvegt_p) + p - 1) = qtran_p(:,p)
       end do
       fld(:, islot(h_qvegt)) = qtran
       fld(:, islot(h_qvege)) = qevap_can
       fld(:, islot(h_qsoil)) = qevap
       fld(:, islot(h_qinfl)) = qinfl
       fld(:, islot(h_qover)) = qover
       fld(:, islot(h_qdrai)) = qdrai
       fld(:, islot(h_qtopsoil)) = qtop
       fld(:, islot(h_zwt)) = zwt
       fld(:, islot(h_btran)) = btran
       fld(:, islot(h_fsh)) = fsh
       fld(:, islot(h_lh)) = le
       fld(:, islot(h_fgr)) = fgr
       fld(:, islot(h_fsa)) = fsa
       fld(:, islot(h_fira)) = fira
       fld(:, islot(h_h2ocan)) = h2ocan
       fld(:, islot(h_h2osno)) = h2osno
       fld(:, islot(h_errseb)) = errseb
       fld(:, islot(h_hrsw)) = night
       fld(:, islot(h_wa)) = wa
       fld(:, islot(h_tlai)) = f(:,fo_lai)
       fld(:, islot(h_qimposed)) = qimposed
       if (mode == mode_canopy .and. canopy == canopy_clm45) then
          do k = 1, nlevgrnd
             fld(:, islot(h_tsoi) + k - 1) = t_soisno(:,k)
          end do
          do p = 1, npatch
             fld(:, islot(h_fpsn_p) + p - 1) = fpsn_p(:,p)
          end do
          call patch_sum(t_veg_p, tv)
          fld(:, islot(h_tg)) = t_soisno(:,1)
          fld(:, islot(h_tv)) = tv
          fld(:, islot(h_fpsn)) = fpsn
          fld(:, islot(h_errsoi)) = errsoi
          fld(:, islot(h_sabv)) = sabv
          fld(:, islot(h_sabg)) = sabg
          fld(:, islot(h_fsr)) = fsr
          fld(:, islot(h_tsa)) = tsa
       else
          do k = 1, nlevgrnd
             fld(:, islot(h_tsoi) + k - 1) = 0._r8
          end do
          do p = 1, npatch
             fld(:, islot(h_fpsn_p) + p - 1) = 0._r8
          end do
          fld(:, islot(h_tg)) = 0._r8; fld(:, islot(h_tv)) = 0._r8; fld(:, islot(h_fpsn)) = 0._r8
          fld(:, islot(h_errsoi)) = 0._r8; fld(:, islot(h_sabv)) = 0._r8
          fld(:, islot(h_sabg)) = 0._r8; fld(:, islot(h_fsr)) = 0._r8; fld(:, islot(h_tsa)) = 0._r8
       end if
       call carbon_history()
       call HistAccumulate(fld, hsrc, hflag, tape_first, tape_n, tape_base, recend(:,t), &
            hcnt, hrec, hacc, hout)
    end do

    end associate

  contains

    !> Carbon of the step (CLM4.5 canopy): plant fluxes of each patch, the
    !! annual NPP update, litterfall into the layers and decomposition, with
    !! the soil carbon balance check.
    subroutine carbon_step()
      integer  :: cc, jj, ii
      real(r8) :: cin
      associate(pp => patpar, t_soisno => state_grnd(:,1:nlev,sg_t_soisno),                   &
           cpools => state_lev(:,:,sl_litr1c:sl_soil3c), sand => laypar(:,:,lp_sand),         &
           zsoi => laypar(:,:,lp_zsoi), dzsoi => laypar(:,:,lp_dzsoi),                        &
           annsum_npp => state_pat(:,:,sp_annsum_npp), tempsum_npp => state_pat(:,:,sp_tempsum_npp), &
           annsum_counter => state_col(:,sc_annsum_counter),                                  &
           tlai => cwork(:,:,1), frootc => cwork(:,:,2), livestemc => cwork(:,:,3),           &
           livecrootc => cwork(:,:,4), leafc => cwork(:,:,5), leafn => cwork(:,:,6),          &
           frootn => cwork(:,:,7), livestemn => cwork(:,:,8), livecrootn => cwork(:,:,9),     &
           leaf_mr => cwork(:,:,10), froot_mr => cwork(:,:,11), livestem_mr => cwork(:,:,12), &
           livecroot_mr => cwork(:,:,13), cgrowth => cwork(:,:,14), leaf_litc => cwork(:,:,15), &
           froot_litc => cwork(:,:,16), cwd_ag => cwork(:,:,17), cwd_bg => cwork(:,:,18))
      ! plant tissue: leaves from the LAI, fine roots with the leaves, live wood
      ! in steady state with its allocation (PlantCarbonMod)
      do ii = 1, npatch
         tlai(:,ii) = f(:,fo_lai)
      end do
      frootc = 0._r8
      call LiveWoodCarbon(pp(:,:,pp_froot_leaf), pp(:,:,pp_stem_leaf), pp(:,:,pp_croot_stem),        &
           pp(:,:,pp_flivewd), pp(:,:,pp_woody), annsum_npp, livestemc, livecrootc, ierr, errmsg)
      if (ierr == 0) call TissueNitrogen(tlai, pp(:,:,pp_slatop), pp(:,:,pp_dsladlai), pp(:,:,pp_leafcn), &
           frootc, pp(:,:,pp_frootcn), livestemc, livecrootc, pp(:,:,pp_livewdcn), pp(:,:,pp_woody),     &
           leafc, leafn, frootn, livestemn, livecrootn, ierr, errmsg)
      if (ierr /= 0) then
         estep = t
         return
      end if
      frootc = pp(:,:,pp_froot_leaf) * leafc
      frootn = frootc / pp(:,:,pp_frootcn)
      ! maintenance respiration: leaves from photosynthesis (CLM4.5-CN), wood at
      ! the 2-m air temperature, fine roots at each layer's temperature
      call MaintenanceRespiration(leafn, frootn, livestemn, livecrootn, t2m_p, t2m_p, t_soisno,     &
           rootfr_cpl, ctl_r(rc_q10_mr), 1, lmr_p, leaf_mr, froot_mr, livestem_mr, livecroot_mr,  &
           froot_mr_lay, mr_p, ierr, errmsg)
      if (ierr /= 0) then
         estep = t
         return
      end if
      ! growth respiration on what photosynthesis leaves after maintenance
      ! (CLM4.5 CNAllocation without nitrogen limitation: growth + GR = GPP - MR)
      gpp_p = fpsn_p * umolc_to_gc
      cgrowth = max(gpp_p - mr_p, 0._r8) / (1._r8 + grperc)
      call GrowthRespiration(cgrowth, gr_p, ierr, errmsg)
      npp_p = gpp_p - mr_p - gr_p
      ! litterfall into the layers, decomposition
      call Litterfall(pp(:,:,pp_froot_leaf), pp(:,:,pp_stem_leaf), pp(:,:,pp_croot_stem), annsum_npp, &
           f(:,fo_litfall_w), leaf_litc, froot_litc, cwd_ag, cwd_bg, ierr, errmsg)
      if (ierr == 0) call LitterInputProfile(zsoi, dzsoi, rootfr_cpl, pp(:,:,pp_wt), leaf_litc,       &
           froot_litc, cwd_ag, cwd_bg, pp(:,:,pp_lf_flab:pp_lf_flig), pp(:,:,pp_fr_flab:pp_fr_flig),  &
           input_vr, ierr, errmsg)
      if (ierr == 0) call DecompRateConstants(t_soisno, smp, laypar(:,:,lp_sucsat), zsoi, o_scalar,  &
           decomp_k, t_scalar, w_scalar, depth_scalar, ierr, errmsg)
      if (ierr /= 0) then
         estep = t
         return
      end if
      litfall = 0._r8
      do cc = 1, ncol
         errsoilc(cc) = pool_total(cc, sl_litr1c, sl_soil3c)      ! the pools before the step
      end do
      call SoilDecomposition(dtime, zsoi, dzsoi, sand, decomp_k, input_vr, diffus, cpools, hr_vr, hrc, &
           trans_vr, ierr, errmsg)
      if (ierr /= 0) then
         estep = t
         return
      end if
      do cc = 1, ncol
         cin = 0._r8
         do ii = 1, ndecomp_pools
            do jj = 1, nlev
               cin = cin + input_vr(cc,jj,ii) * dzsoi(cc,jj)
            end do
         end do
         litfall(cc) = cin
         errsoilc(cc) = pool_total(cc, sl_litr1c, sl_soil3c) - errsoilc(cc) - (cin - hrc(cc)) * dtime
         diag(cc, 6) = max(diag(cc, 6), abs(errsoilc(cc)))
         if (.not. (abs(errsoilc(cc)) <= errsoilc_max)) then
            ierr = 2; ecol = cc; estep = t
            errmsg = 'soil carbon balance error ' // toString(errsoilc(cc)) // ' gC m-2 at column ' // &
                 toString(cc) // ', step ' // toString(t) // ' exceeds ' // toString(errsoilc_max) // &
                 ' gC m-2; the carbon pools or litter inputs are not valid'
            return
         end if
      end do
      ! the year's NPP sum, renewed every 365 days (litterfall above used the last one)
      call AnnualUpdate(dtime, npp_p, annsum_counter, tempsum_npp, annsum_npp)
      call patch_sum(gpp_p, gpp)
      call patch_sum(mr_p, mr)
      call patch_sum(gr_p, gr)
      ar = mr + gr
      npp = gpp - ar
      end associate
    end subroutine carbon_step

    !> The carbon history fields of the step (zero without carbon).
    subroutine carbon_history()
      integer :: jj, ii, pp2
      integer, parameter :: pool_fld(ndecomp_pools) = [h_litr1c_vr, h_litr2c_vr, h_litr3c_vr, &
           h_cwdc_vr, h_soil1c_vr, h_soil2c_vr, h_soil3c_vr]
      integer :: cc
      if (.not. carbon) then
         ! the carbon fields are the last ones, h_gpp .. h_npp_p
         fld(:, islot(h_gpp):islot(h_npp_p) + npatch - 1) = 0._r8
         return
      end if
      do jj = 1, nlev
         fld(:, islot(h_hr_vr) + jj - 1) = hr_vr(:,jj)
         fld(:, islot(h_w_scalar) + jj - 1) = w_scalar(:,jj)
         fld(:, islot(h_t_scalar) + jj - 1) = t_scalar(:,jj)
         fld(:, islot(h_decomp_scalar) + jj - 1) = decomp_k(:,jj,1) * decomp_tau(1) * 86400._r8 * 365._r8
         do ii = 1, ndecomp_pools
            fld(:, islot(pool_fld(ii)) + jj - 1) = state_lev(:,jj,sl_litr1c + ii - 1)
         end do
      end do
      do pp2 = 1, npatch
         fld(:, islot(h_npp_p) + pp2 - 1) = npp_p(:,pp2)
         fld(:, islot(h_frootc_p) + pp2 - 1) = cwork(:,pp2,2)
      end do
      call patch_sum(cwork(:,:,2), fld(:, islot(h_frootc)))
      fld(:, islot(h_gpp)) = gpp
      fld(:, islot(h_ar)) = ar
      fld(:, islot(h_mr)) = mr
      fld(:, islot(h_gr)) = gr
      fld(:, islot(h_npp)) = npp
      fld(:, islot(h_hr)) = hrc
      fld(:, islot(h_er)) = ar + hrc
      fld(:, islot(h_nee)) = ar + hrc - gpp
      fld(:, islot(h_litfall)) = litfall
      fld(:, islot(h_errsoilc)) = errsoilc
      do cc = 1, ncol
         fld(cc, islot(h_totlitc)) = pool_total(cc, sl_litr1c, sl_litr3c)
         fld(cc, islot(h_cwdc)) = pool_total(cc, sl_cwdc, sl_cwdc)
         fld(cc, islot(h_totsomc)) = pool_total(cc, sl_soil1c, sl_soil3c)
      end do
    end subroutine carbon_history

    !> Carbon of pools i1 .. i2 (state_lev indices) of column cc [gC m-2].
    real(r8) function pool_total(cc, i1, i2)
      integer, intent(in) :: cc, i1, i2
      integer :: jj, ii
      pool_total = 0._r8
      do ii = i1, i2
         do jj = 1, nlev
            pool_total = pool_total + state_lev(cc,jj,ii) * laypar(cc,jj,lp_dzsoi)
         end do
      end do
    end function pool_total

    !> CLM4.5 canopy, before the patches: ground properties at the start-of-step
    !! ground temperature, the solar split and the soil albedo, and the column
    !! sums the patches add to.
    subroutine clm45_column_start()
      integer :: cc
      associate(t_soisno => state_grnd(:,:,sg_t_soisno), t10 => state_col(:,sc_t10))
      ! 10-day running mean air temperature (CLM's running mean over 10 days of steps)
      t10 = t10 + (f(:,fo_tair) - t10) * min(1._r8, dtime / (10._r8 * 86400._r8))
      tg0 = t_soisno(:,1)
      do cc = 1, ncol
         call GroundProperties(tg0(cc), f(cc,fo_qair), f(cc,fo_psurf), theta(cc,1), laypar(cc,1,lp_watsat), &
              laypar(cc,1,lp_sucsat), laypar(cc,1,lp_bsw), laypar(cc,1,lp_watfc), qg(cc), dqgdT(cc), &
              soilbeta(cc), emg(cc), z0mg(cc))
      end do
      call SolarSplit(f(:,fo_swdown), f(:,fo_coszen), solad, solai)
      call SoilAlbedo(nint(colpar(:,cp_soil_color)), theta(:,1), albgrd, albgri, ierr, errmsg)
      if (ierr /= 0) then
         estep = t
         return
      end if
      pco2 = f(:,fo_co2) * 1.e-6_r8 * f(:,fo_psurf)
      po2 = o2_molar_const * f(:,fo_psurf)
      hs = 0._r8; dhsdT = 0._r8; lwup = 0._r8; sabv = 0._r8; sabg = 0._r8; fsr = 0._r8
      fpsn = 0._r8; sh_veg = 0._r8; tsa = 0._r8
      end associate
    end subroutine clm45_column_start

    !> CLM4.5 canopy of patch p: radiation, leaf or bare-ground fluxes, and the
    !! patch's share of the ground heat flux hs and of its T_g derivative
    !! dhsdT (CLM4.5 SoilTemperature, TN eq. 6.x: hs = S_g + L_g,down - L_g,up
    !! - H_g - lambda E_g at the start-of-step T_g).
    subroutine clm45_patch(p)
      integer, intent(in) :: p
      real(r8) :: w, fveg
      integer  :: cc
      associate(zref => colpar(:,cp_zref), h2ocan_p => state_pat(:,:,sp_h2ocan),                 &
           t_veg_p => state_pat(:,:,sp_t_veg), t10 => state_col(:,sc_t10))
      elai = f(:,fo_lai)
      esai = patpar(:,p,pp_sai)
      veg = elai + esai >= canopy_min_area
      where (.not. veg)
         elai = 0._r8
         esai = 0._r8
      end where
      optics(:,1,1) = patpar(:,p,pp_rholvis); optics(:,2,1) = patpar(:,p,pp_rholnir)
      optics(:,1,2) = patpar(:,p,pp_rhosvis); optics(:,2,2) = patpar(:,p,pp_rhosnir)
      optics(:,1,3) = patpar(:,p,pp_taulvis); optics(:,2,3) = patpar(:,p,pp_taulnir)
      optics(:,1,4) = patpar(:,p,pp_tausvis); optics(:,2,4) = patpar(:,p,pp_tausnir)
      call TwoStream(f(:,fo_coszen), elai, esai, patpar(:,p,pp_xl), optics(:,:,1), optics(:,:,2),  &
           optics(:,:,3), optics(:,:,4), albgrd, albgri, albd, albi, fabd, fabi, ftdd, ftid, ftii, &
           fabd_sun, fabd_sha, fabi_sun, fabi_sha, extkb, fsun, ierr, errmsg)
      if (ierr /= 0) then
         estep = t
         errmsg = trim(errmsg) // ' (patch ' // toString(p) // ', step ' // toString(t) // ')'
         return
      end if
      call SurfaceRadiation(solad, solai, albd, albi, fabd, fabi, ftdd, ftid, ftii, fabd_sun,     &
           fabd_sha, fabi_sun, fabi_sha, albgrd, albgri, elai, esai, fsun, sabv_p, sabg_p, fsa_p, fsr_p, &
           parsun, parsha, laisun, laisha)
      call CanopyNitrogenScaling(elai, extkb, laisun, laisha, nsun, nsha)
      qtran_p(:,p) = 0._r8; evap_veg = 0._r8; dlrad = 0._r8; ulrad = 0._r8; fpsn_p(:,p) = 0._r8
      lmr_p(:,p) = 0._r8
      shv_p = 0._r8; niter = 0
      call CanopyFluxes(veg, dtime, f(:,fo_tair), f(:,fo_qair), f(:,fo_psurf), f(:,fo_wind),      &
           f(:,fo_lwdown), pco2, po2, zref, patpar(:,p,pp_htop), patpar(:,p,pp_z0mr),              &
           patpar(:,p,pp_displar), patpar(:,p,pp_dleaf), elai, esai, fwet, fdry, laisun, laisha,   &
           sabv_p, parsun, parsha, nsun, nsha, patpar(:,p,pp_c3psn), patpar(:,p,pp_vcmax25top),    &
           patpar(:,p,pp_mbbopt), patpar(:,p,pp_bbbopt), f(:,fo_dayl_factor), t10, btran_p(:,p),         &
           h2ocan_p(:,p), tg0, qg, dqgdT, soilbeta, emg, z0mg, t_veg_p(:,p), qtran_p(:,p),          &
           evap_veg, shv_p, shg_tmp, evg_tmp, cgs_tmp, cgl_tmp, dlrad, ulrad, fpsn_p(:,p),          &
           lmr_p(:,p), rssun, rssha, errveg, niter, t2m, ierr, errmsg)
      if (ierr /= 0) then
         estep = t
         errmsg = trim(errmsg) // ' (patch ' // toString(p) // ', step ' // toString(t) // ')'
         return
      end if
      call BareGroundFluxes(veg, f(:,fo_tair), f(:,fo_qair), f(:,fo_psurf), f(:,fo_wind), zref,  &
           tg0, qg, dqgdT, soilbeta, z0mg, shg_tmp, evg_tmp, cgs_tmp, cgl_tmp, t2m, ierr, errmsg)
      if (ierr /= 0) then
         estep = t
         errmsg = trim(errmsg) // ' (patch ' // toString(p) // ', step ' // toString(t) // ')'
         return
      end if
      where (.not. veg) t_veg_p(:,p) = f(:,fo_tair)
      t2m_p(:,p) = t2m
      diag(:, 5) = max(diag(:, 5), real(niter, r8))
      ! evaporation of intercepted water (negative: dew on the leaves)
      qevap_can_p = evap_veg - qtran_p(:,p)
      do cc = 1, ncol
         w = patpar(cc,p,pp_wt)
         fveg = merge(1._r8, 0._r8, veg(cc))
         hs(cc) = hs(cc) + w * (sabg_p(cc) + dlrad(cc) + (1._r8 - fveg) * emg(cc) * f(cc,fo_lwdown) &
              - emg(cc) * sb * tg0(cc)**4 - shg_tmp(cc) - hvap * evg_tmp(cc))
         dhsdT(cc) = dhsdT(cc) + w * (-cgs_tmp(cc) - hvap * cgl_tmp(cc) - 4._r8 * emg(cc) * sb * tg0(cc)**3)
         lwup(cc) = lwup(cc) + w * (ulrad(cc) + (1._r8 - fveg) * ((1._r8 - emg(cc)) * f(cc,fo_lwdown) &
              + emg(cc) * sb * tg0(cc)**4))
         sabv(cc) = sabv(cc) + w * sabv_p(cc)
         sabg(cc) = sabg(cc) + w * sabg_p(cc)
         fsr(cc) = fsr(cc) + w * fsr_p(cc)
         fpsn(cc) = fpsn(cc) + w * fpsn_p(cc,p)
         sh_veg(cc) = sh_veg(cc) + w * shv_p(cc)
         tsa(cc) = tsa(cc) + w * t2m(cc)
      end do
      shg_p(:,p) = shg_tmp
      evg_p(:,p) = evg_tmp
      cgs_p(:,p) = cgs_tmp
      cgl_p(:,p) = cgl_tmp
      fsa_p = sabv_p + sabg_p
      fgr_p = 0._r8; fira_p = 0._r8; avail_p = 0._r8
      lambda = hvap
      ! ground evaporation is the column's (after the soil temperature solve)
      qevap_dmd_p = 0._r8
      end associate
    end subroutine clm45_patch

    !> CLM4.5 canopy, after the patches: the soil temperature solve with the
    !! linearised surface flux, the ground fluxes moved to the new T_g
    !! (CLM4.5 SoilFluxes), and the ground evaporation split into snow
    !! sublimation, a soil evaporation demand and dew onto the soil.
    subroutine clm45_column_end()
      integer :: cc, kk, pp
      associate(t_soisno => state_grnd(:,:,sg_t_soisno), h2osno => state_col(:,sc_h2osno),    &
           h2osoi_liq => state_lev(:,:,sl_h2osoi_liq))
      ! liquid water of the soil layers; bedrock holds none
      liqg(:,1:nlev) = h2osoi_liq
      call SoilThermProp(zg, dzg, zig, laypar(:,:,lp_watsat), laypar(:,:,lp_tkmg),                &
           laypar(:,:,lp_tkdry), laypar(:,:,lp_csol), t_soisno, liqg, ice, thk, tk, cv, ierr, errmsg)
      if (ierr == 0) then
         tsoi0 = t_soisno
         zero = 0._r8
         call SoilTemperature(dtime, capr, cnfac, zg, dzg, zig, tk, cv, hs, dhsdT, zero,           &
              t_soisno, fact, fgr_lev, fgr_soil, ierr, errmsg)
      end if
      if (ierr /= 0) then
         estep = t
         errmsg = trim(errmsg) // ' (step ' // toString(t) // ')'
         return
      end if
      tinc = t_soisno(:,1) - tg0
      ! heat stored (effective capacities dtime/fact, CLM4.5 eq. 6.34) against heat given
      errsoi = 0._r8
      do kk = 1, nlevgrnd
         errsoi = errsoi + (t_soisno(:,kk) - tsoi0(:,kk)) / fact(:,kk)
      end do
      errsoi = errsoi - fgr_soil
      sh_grnd = 0._r8
      qsoil_dmd = 0._r8
      do pp = 1, npatch
         do cc = 1, ncol
            shg_p(cc,pp) = shg_p(cc,pp) + cgs_p(cc,pp) * tinc(cc)
            evg_p(cc,pp) = evg_p(cc,pp) + cgl_p(cc,pp) * tinc(cc)
            sh_grnd(cc) = sh_grnd(cc) + patpar(cc,pp,pp_wt) * shg_p(cc,pp)
            qsoil_dmd(cc) = qsoil_dmd(cc) + patpar(cc,pp,pp_wt) * evg_p(cc,pp)
         end do
      end do
      lwup = lwup + 4._r8 * emg * sb * tg0**3 * tinc
      ! ground evaporation: from the snow first, then the soil; dew wets the soil
      qsub = 0._r8; qdew = 0._r8
      do cc = 1, ncol
         if (qsoil_dmd(cc) < 0._r8) then
            qdew(cc) = -qsoil_dmd(cc)
            qsoil_dmd(cc) = 0._r8
         else if (h2osno(cc) > 0._r8) then
            qsub(cc) = min(qsoil_dmd(cc), h2osno(cc) / dtime)
            h2osno(cc) = h2osno(cc) - qsub(cc) * dtime
            qsoil_dmd(cc) = qsoil_dmd(cc) - qsub(cc)
         end if
      end do
      qevap_dmd = qsoil_dmd
      qtop = qtop + qdew
      end associate
    end subroutine clm45_column_end

    !> After a solve with HR: true if the HR flux applied would take a layer
    !! beyond its bounds from the start of the step [theta_lo, watsat] (more
    !! than hr_limit_tol mm); then the pair conductances of the offending
    !! layers are scaled down so that the flux just meets the bound (the
    !! implicit flux scales about linearly with them), or, on the last try,
    !! HR is switched off in the offending columns for this step, and the
    !! step is to be redone from its start.
    logical function hr_limit(last)
      logical, intent(in) :: last
      integer :: cc, jj, kk
      real(r8) :: gain, lo, hi, f
      hr_limit = .false.
      hr_scale = 1._r8
      do jj = 1, nlev
         do cc = 1, ncol
            gain = qhr(cc,jj) * dtime
            lo = min(liq0(cc,jj), theta_lo(cc,jj) * dzmm(cc,jj))
            hi = max(liq0(cc,jj), laypar(cc,jj,lp_watsat) * dzmm(cc,jj))
            if (liq0(cc,jj) + gain < lo - hr_limit_tol) then
               hr_scale(cc,jj) = max(0._r8, (liq0(cc,jj) - lo) / (-gain)) * 0.99_r8
               hr_limit = .true.
            else if (liq0(cc,jj) + gain > hi + hr_limit_tol) then
               hr_scale(cc,jj) = max(0._r8, (hi - liq0(cc,jj)) / gain) * 0.99_r8
               hr_limit = .true.
            end if
         end do
      end do
      if (.not. hr_limit) return
      do kk = 1, nlev
         do jj = 1, nlev
            do cc = 1, ncol
               if (last .and. any(hr_scale(cc,:) < 1._r8)) then
                  kpair(cc,jj,kk) = 0._r8        ! no HR in this column this step
               else
                  f = min(hr_scale(cc,jj), hr_scale(cc,kk))
                  if (f < 1._r8) kpair(cc,jj,kk) = kpair(cc,jj,kk) * f
               end if
            end do
         end do
      end do
    end function hr_limit

    !> Cover-weighted sum over the patches of a column (CLM's p2c).
    subroutine patch_sum(x_p, x)
      real(r8), intent(in)  :: x_p(:,:)    !< (ncol, npatch)
      real(r8), intent(out) :: x(:)        !< (ncol)
      integer :: pp
      x = 0._r8
      do pp = 1, npatch
         x = x + patpar(:,pp,pp_wt) * x_p(:,pp)
      end do
    end subroutine patch_sum

    !> One check of everything the loop relies on, before the first step.
    subroutine check_inputs()
      integer :: cc, kk, tt
      if (.not. (dtime > 0._r8 .and. ieee_is_finite(dtime))) then
         ierr = 1
         errmsg = 'dtime = ' // toString(dtime) // ' is not valid: the time step must be > 0 s'
         return
      end if
      if (mode /= mode_canopy .and. mode /= mode_prescribed) then
         ierr = 1
         errmsg = 'mode = ' // toString(mode) // ' is not valid: use 1 (canopy) or 2 (prescribed)'
         return
      end if
      if (ctl_i(ic_lower_bc) < bc_aquifer .or. ctl_i(ic_lower_bc) > bc_no_flow) then
         ierr = 1
         errmsg = 'lower_bc = ' // toString(ctl_i(ic_lower_bc)) // &
              ' is not valid: use 1 (aquifer), 2 (free drainage), 3 (water table at the bottom) or 4 (no flow)'
         return
      end if
      if (nlev < 2) then
         ierr = 1
         errmsg = 'nlev = ' // toString(nlev) // ' is not valid: the soil column needs at least 2 layers'
         return
      end if
      if (ncolf /= 1 .and. ncolf /= ncol) then
         ierr = 1
         errmsg = 'ncolf = ' // toString(ncolf) // ' is not valid: the forcing has 1 column or ' // &
              toString(ncol)
         return
      end if
      do kk = 1, nlev
         do cc = 1, ncol
            if (.not. (state_lev(cc,kk,sl_h2osoi_liq) >= 0._r8 .and. state_lev(cc,kk,sl_h2osoi_liq) &
                 <= laypar(cc,kk,lp_watsat) * dzmm(cc,kk) * (1._r8 + 1.e-12_r8))) then
               ierr = 1; ecol = cc
               errmsg = 'initial theta = ' // toString(state_lev(cc,kk,sl_h2osoi_liq) / dzmm(cc,kk)) // &
                    ' at column ' // toString(cc) // ', layer ' // toString(kk) // &
                    ' is not valid: it must lie in [0, watsat = ' // toString(laypar(cc,kk,lp_watsat)) // ']'
               return
            end if
         end do
      end do
      do cc = 1, ncol
         if (.not. (state_col(cc,sc_zwt) >= 0._r8 .and. state_col(cc,sc_zwt) <= 80._r8)) then
            ierr = 1; ecol = cc
            errmsg = 'zwt = ' // toString(state_col(cc,sc_zwt)) // ' m at column ' // toString(cc) // &
                 ' is not valid: the water table depth must lie in [0, 80] m'
            return
         end if
         if (.not. (abs(sum(patpar(cc,:,pp_wt)) - 1._r8) <= 1.e-9_r8 .and. all(patpar(cc,:,pp_wt) >= 0._r8))) then
            ierr = 1; ecol = cc
            errmsg = 'patch weights ' // toString(sum(patpar(cc,:,pp_wt))) // ' (sum) at column ' // &
                 toString(cc) // ' are not valid: they must be >= 0 and sum to 1'
            return
         end if
         do kk = 1, npatch
            if (.not. (patpar(cc,kk,pp_smpsc) < patpar(cc,kk,pp_smpso) .and. patpar(cc,kk,pp_smpso) <= 0._r8)) then
               ierr = 1; ecol = cc
               errmsg = 'smpsc = ' // toString(patpar(cc,kk,pp_smpsc)) // ', smpso = ' // &
                    toString(patpar(cc,kk,pp_smpso)) // ' mm at column ' // toString(cc) // ', patch ' // &
                    toString(kk) // ' are not valid: need smpsc < smpso <= 0'
               return
            end if
         end do
      end do
      if ((ncolp /= 1 .and. ncolp /= ncol) .or. size(theta_presc, 2) /= nlev .or. &
           (size(theta_presc, 3) /= 1 .and. size(theta_presc, 3) /= nstep)) then
         ierr = 1
         errmsg = 'theta_presc has shape (' // toString(ncolp) // ', ' // toString(size(theta_presc, 2)) // &
              ', ' // toString(size(theta_presc, 3)) // ') but must be (1 or ' // toString(ncol) // ', ' // &
              toString(nlev) // ', 1 or ' // toString(nstep) // ')'
         return
      end if
      if (presc) then
         do tt = 1, nstep
            do kk = 1, nlev
               do cc = 1, ncolp
                  associate(tp => theta_presc(cc,kk,tt))
                  if (tp == tp .and. .not. (tp >= 0._r8 .and. tp <= laypar(min(cc, ncol),kk,lp_watsat))) then
                     ierr = 1; ecol = cc; estep = tt
                     errmsg = 'prescribed theta = ' // toString(tp) // ' at column ' // toString(cc) // &
                          ', layer ' // toString(kk) // ', step ' // toString(tt) // &
                          ' is not valid: it must lie in [0, watsat = ' // &
                          toString(laypar(min(cc, ncol),kk,lp_watsat)) // '] (or be NaN: free)'
                  end if
                  end associate
                  if (ierr /= 0) return
               end do
            end do
         end do
      end if
      if (mode == mode_canopy .and. canopy /= canopy_clm45 .and. canopy /= canopy_pm) then
         ierr = 1
         errmsg = 'canopy = ' // toString(canopy) // ' is not valid: use 1 (CLM4.5) or 2 (Penman-Monteith)'
         return
      end if
      if (mode == mode_canopy .and. canopy == canopy_clm45) then
         do cc = 1, ncol
            do kk = 1, nlev + nlevbed
               call check_temperature('t_soisno', state_grnd(cc,kk,sg_t_soisno), cc, 'ground level', kk)
               if (ierr /= 0) return
            end do
            do kk = 1, npatch
               call check_temperature('t_veg', state_pat(cc,kk,sp_t_veg), cc, 'patch', kk)
               if (ierr /= 0) return
            end do
            call check_temperature('t10', state_col(cc,sc_t10), cc, 'column', cc)
            if (ierr /= 0) return
         end do
      end if
      if (ierr == 0 .and. carbon) call check_carbon()
      if (ierr /= 0) return
      if (mode == mode_canopy) then
         call check_canopy_forcing()
      else
         call check_prescribed_forcing()
      end if
    end subroutine check_inputs

    !> Carbon needs the CLM4.5 canopy (GPP, leaf respiration, soil
    !! temperature), allocation ratios and a valid annual NPP counter.
    subroutine check_carbon()
      integer :: cc, kk
      if (.not. (mode == mode_canopy .and. canopy == canopy_clm45)) then
         ierr = 1
         errmsg = 'use_carbon = 1 is not valid with this surface mode or canopy scheme: the carbon ' // &
              'cycle needs the CLM4.5 canopy (mode 1, canopy 1) for GPP and soil temperature'
         return
      end if
      if (.not. (ieee_is_finite(ctl_r(rc_q10_mr)) .and. ctl_r(rc_q10_mr) > 0._r8)) then
         ierr = 1
         errmsg = 'q10_mr = ' // toString(ctl_r(rc_q10_mr)) // ' is not valid: give a finite Q10 > 0 ' // &
              '(CLM4.5 code 1.5, Technical Note 2.0)'
         return
      end if
      do cc = 1, ncol
         if (.not. (state_col(cc,sc_annsum_counter) >= 0._r8 .and. &
              state_col(cc,sc_annsum_counter) < 86400._r8 * 366._r8)) then
            ierr = 1; ecol = cc
            errmsg = 'annsum_counter = ' // toString(state_col(cc,sc_annsum_counter)) // ' s at column ' // &
                 toString(cc) // ' is not valid: it must lie in [0, 1 year)'
            return
         end if
         do kk = 1, npatch
            associate(x => patpar(cc,kk,:))
            if (.not. (x(pp_froot_leaf) >= 0._r8 .and. x(pp_croot_stem) >= 0._r8 .and. &
                 (x(pp_stem_leaf) >= 0._r8 .or. x(pp_stem_leaf) == -1._r8) .and. &
                 x(pp_flivewd) >= 0._r8 .and. x(pp_flivewd) <= 1._r8 .and. x(pp_froot_leaf) < 100._r8 &
                 .and. x(pp_croot_stem) < 100._r8 .and. x(pp_stem_leaf) < 100._r8)) then
               ierr = 1; ecol = cc
               errmsg = 'allocation ratios froot_leaf = ' // toString(x(pp_froot_leaf)) // ', stem_leaf = ' // &
                    toString(x(pp_stem_leaf)) // ', croot_stem = ' // toString(x(pp_croot_stem)) // &
                    ', flivewd = ' // toString(x(pp_flivewd)) // ' at column ' // toString(cc) // &
                    ', patch ' // toString(kk) // ' are not valid: need ratios in [0, 100) ' // &
                    '(stem_leaf -1: dynamic) and flivewd in [0, 1]'
            end if
            if (.not. (ieee_is_finite(state_pat(cc,kk,sp_tempsum_npp)) .and. &
                 ieee_is_finite(state_pat(cc,kk,sp_annsum_npp)))) then
               ierr = 1; ecol = cc
               errmsg = 'tempsum_npp, annsum_npp = ' // toString(state_pat(cc,kk,sp_tempsum_npp)) // ', ' // &
                    toString(state_pat(cc,kk,sp_annsum_npp)) // ' at column ' // toString(cc) // ', patch ' // &
                    toString(kk) // ' are not valid: give finite NPP sums'
            end if
            end associate
            if (ierr /= 0) return
         end do
      end do
    end subroutine check_carbon

    !> A temperature of the initial state must lie in (150, 400) K.
    subroutine check_temperature(name, x, cc, what, kk)
      character(len=*), intent(in) :: name, what
      real(r8), intent(in) :: x
      integer,  intent(in) :: cc, kk
      if (x > 150._r8 .and. x < 400._r8) return
      ierr = 1; ecol = cc
      errmsg = name // ' = ' // toString(x) // ' K at column ' // toString(cc) // ', ' // what // ' ' // &
           toString(kk) // ' is not valid: it must lie in (150, 400) K'
    end subroutine check_temperature

    subroutine check_canopy_forcing()
      integer :: cc, tt
      do tt = 1, nstep
         do cc = 1, ncolf
            associate(x => forc(cc,:,tt))
            if (.not. (ieee_is_finite(x(fo_tair)) .and. x(fo_tair) > 150._r8 .and. x(fo_tair) < 350._r8)) then
               call bad(fo_tair, x(fo_tair), 'in (150, 350) K', cc, tt)
            else if (.not. (x(fo_qair) >= 0._r8 .and. x(fo_qair) < 0.1_r8)) then
               call bad(fo_qair, x(fo_qair), 'in [0, 0.1) kg kg-1', cc, tt)
            else if (.not. (x(fo_psurf) > 3.e4_r8 .and. x(fo_psurf) < 1.2e5_r8)) then
               call bad(fo_psurf, x(fo_psurf), 'in (3e4, 1.2e5) Pa', cc, tt)
            else if (.not. (x(fo_wind) >= 0._r8 .and. x(fo_wind) < 100._r8)) then
               call bad(fo_wind, x(fo_wind), 'in [0, 100) m s-1', cc, tt)
            else if (.not. (x(fo_swdown) >= 0._r8 .and. x(fo_swdown) < 1500._r8)) then
               call bad(fo_swdown, x(fo_swdown), 'in [0, 1500) W m-2', cc, tt)
            else if (.not. (x(fo_lwdown) > 0._r8 .and. x(fo_lwdown) < 800._r8)) then
               call bad(fo_lwdown, x(fo_lwdown), 'in (0, 800) W m-2', cc, tt)
            else if (.not. (x(fo_rainf) >= 0._r8 .and. x(fo_rainf) < 1._r8)) then
               call bad(fo_rainf, x(fo_rainf), 'in [0, 1) kg m-2 s-1', cc, tt)
            else if (.not. (x(fo_co2) > 0._r8 .and. x(fo_co2) < 5000._r8)) then
               call bad(fo_co2, x(fo_co2), 'in (0, 5000) ppm', cc, tt)
            else if (.not. (x(fo_lai) >= 0._r8 .and. x(fo_lai) < 20._r8)) then
               call bad(fo_lai, x(fo_lai), 'in [0, 20) m2 m-2', cc, tt)
            else if (canopy == canopy_clm45 .and. .not. (x(fo_coszen) >= -1._r8 .and. x(fo_coszen) <= 1._r8)) then
               call bad(fo_coszen, x(fo_coszen), 'in [-1, 1]', cc, tt)
            else if (canopy == canopy_clm45 .and. .not. (x(fo_dayl_factor) >= 0._r8 .and. x(fo_dayl_factor) <= 1._r8)) then
               call bad(fo_dayl_factor, x(fo_dayl_factor), 'in [0, 1]', cc, tt)
            end if
            end associate
            if (ierr /= 0) return
         end do
      end do
    end subroutine check_canopy_forcing

    subroutine check_prescribed_forcing()
      integer :: cc, tt
      do tt = 1, nstep
         do cc = 1, ncolf
            associate(x => forc(cc,:,tt))
            if (.not. (x(fo_water_input) >= 0._r8 .and. x(fo_evaporation) >= 0._r8 .and. &
                 x(fo_transpiration) >= 0._r8 .and. ieee_is_finite(x(fo_water_input)) .and. &
                 ieee_is_finite(x(fo_evaporation)) .and. ieee_is_finite(x(fo_transpiration)))) then
               ierr = 1; ecol = cc; estep = tt
               errmsg = 'forcing at column ' // toString(cc) // ', step ' // toString(tt) // &
                    ' is not valid: water input ' // toString(x(fo_water_input)) // &
                    ', evaporation demand ' // toString(x(fo_evaporation)) // &
                    ' and transpiration demand ' // toString(x(fo_transpiration)) // &
                    ' mm s-1 must all be finite and >= 0'
            end if
            end associate
            if (ierr /= 0) return
         end do
      end do
    end subroutine check_prescribed_forcing

    subroutine bad(k, value, valid, cc, tt)
      integer,  intent(in) :: k, cc, tt
      real(r8), intent(in) :: value
      character(len=*), intent(in) :: valid
      ierr = 1; ecol = cc; estep = tt
      errmsg = 'forcing ' // trim(forc_info(k)%name) // ' = ' // toString(value) // ' ' // &
           trim(forc_info(k)%units) // ' at column ' // toString(cc) // ', step ' // toString(tt) // &
           ' is not valid: it must be finite and ' // valid
    end subroutine bad

  end subroutine ColumnDriverRun

end module ColumnDriverMod
