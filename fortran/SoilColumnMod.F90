!> Soil column driver: advances ncol soil columns over nstep time steps in
!! compiled code (CLM4.5 hydrology order: root uptake -> surface runoff and
!! infiltration -> HR and soil water in one implicit solve -> drainage), and
!! checks the water balance of every column at every step.
!!
!! Storage S = sum of layer liquid water + aquifer water wa [mm]. Per step:
!!   errh2o = S(n+1) - S(n) - (qflx_top - qflx_over - qflx_evap - qflx_tran - qflx_drain) dtime
!! A step whose |errh2o| exceeds errh2o_max stops the run with an error that
!! names the column and the step.
module SoilColumnMod

  use shr_kind_mod,               only: r8 => shr_kind_r8
  use ieee_arithmetic,            only: ieee_is_finite
  use shr_strconvert_mod,         only: toString
  use SoilHydraulicsMod,          only: soil_psi, soil_theta
  use RootUptakeMod,              only: RootUptake
  use InfiltrationMod,            only: SurfaceRunoffInfiltration
  use HydraulicRedistributionMod, only: HydraulicRedistribution
  use SoilWaterMovementMod,       only: SoilWater, bc_aquifer, bc_free_drainage, bc_water_table, &
                                        bc_no_flow
  use DrainageMod,                only: Drainage

  implicit none
  private

  public :: SoilColumnRun
  public :: SoilHydrologyStep
  public :: HRLowerBound

  real(r8), parameter, public :: errh2o_max = 1.e-8_r8   !< largest water balance error of a step [mm]

contains

  subroutine SoilColumnRun(dtime, lower_bc, zsoi, dzsoi, zisoi, watsat, sucsat, bsw, hksat, &
       rootfr, smpso, smpsc, wtfact, rsub_top_max, fdrai,                                 &
       use_hr, crt, psi50, hr_b, rx_rule, thick_rule, top_layer,                           &
       qflx_top, qflx_evap_dmd, qflx_tran_dmd, hr_switch,                                  &
       h2osoi_liq, zwt, wa,                                                                &
       out_liq, out_qhr, out_qinfl, out_qover, out_qdrai, out_qtran, out_qevap,            &
       out_zwt, out_btran, out_errh2o, ierr, ecol, estep, errmsg)
    real(r8), intent(in)    :: dtime                 !< time step [s]
    integer,  intent(in)    :: lower_bc              !< 1 aquifer, 2 free drainage, 3 water table at bottom, 4 no flow
    real(r8), intent(in), contiguous :: zsoi(:,:)             !< node depth (ncol, nlev) [m]
    real(r8), intent(in), contiguous :: dzsoi(:,:)            !< thickness (ncol, nlev) [m]
    real(r8), intent(in), contiguous :: zisoi(:,0:)           !< interfaces (ncol, 0:nlev) [m]
    real(r8), intent(in), contiguous :: watsat(:,:), sucsat(:,:), bsw(:,:), hksat(:,:)  !< [-], [mm], [-], [mm s-1]
    real(r8), intent(in), contiguous :: rootfr(:,:)           !< root fraction (ncol, nlev) [-]
    real(r8), intent(in), contiguous :: smpso(:), smpsc(:)    !< psi_o, psi_c of the PFT (ncol) [mm]
    real(r8), intent(in), contiguous :: wtfact(:)             !< maximum saturated fraction (ncol) [-]
    real(r8), intent(in), contiguous :: rsub_top_max(:)       !< drainage at zwt = 0 (ncol) [mm s-1]
    real(r8), intent(in), contiguous :: fdrai(:)              !< drainage decay factor (ncol) [m-1]
    integer,  intent(in)    :: use_hr                !< 1: hydraulic redistribution on
    real(r8), intent(in), contiguous :: crt(:), psi50(:), hr_b(:)   !< HR parameters (ncol) [s-1], [mm], [-]
    integer,  intent(in)    :: rx_rule, thick_rule, top_layer  !< HR options (HydraulicRedistributionMod)
    real(r8), intent(in), contiguous :: qflx_top(:,:)         !< water reaching the soil (ncol, nstep) [mm s-1]
    real(r8), intent(in), contiguous :: qflx_evap_dmd(:,:)    !< soil evaporation demand (ncol, nstep) [mm s-1]
    real(r8), intent(in), contiguous :: qflx_tran_dmd(:,:)    !< unstressed transpiration (ncol, nstep) [mm s-1]
    real(r8), intent(in), contiguous :: hr_switch(:,:)        !< HR switch D (ncol, nstep) [-]
    real(r8), intent(inout), contiguous :: h2osoi_liq(:,:)       !< liquid water (ncol, nlev) [mm]
    real(r8), intent(inout), contiguous :: zwt(:)                !< water table depth (ncol) [m]
    real(r8), intent(inout), contiguous :: wa(:)                 !< aquifer water (ncol) [mm]
    real(r8), intent(out)   :: out_liq(:,:,:)        !< liquid water (ncol, nlev, nstep) [mm]
    real(r8), intent(out)   :: out_qhr(:,:,:)        !< HR into each layer (ncol, nlev, nstep) [mm s-1]
    real(r8), intent(out)   :: out_qinfl(:,:), out_qover(:,:), out_qdrai(:,:)  !< (ncol, nstep) [mm s-1]
    real(r8), intent(out)   :: out_qtran(:,:), out_qevap(:,:)                   !< (ncol, nstep) [mm s-1]
    real(r8), intent(out)   :: out_zwt(:,:)          !< water table depth (ncol, nstep) [m]
    real(r8), intent(out)   :: out_btran(:,:)        !< transpiration factor (ncol, nstep) [-]
    real(r8), intent(out)   :: out_errh2o(:,:)       !< water balance error (ncol, nstep) [mm]
    integer,  intent(out)   :: ierr, ecol, estep
    character(len=*), intent(out) :: errmsg

    integer  :: ncol, nlev, nstep, c, t
    real(r8), allocatable :: theta(:,:), rootr(:,:), qhr(:,:), dzmm(:,:), theta_c(:,:), smp(:,:)
    real(r8) :: btran(size(zwt)), qtran(size(zwt)), qover(size(zwt)), qinfl(size(zwt))
    real(r8) :: qevap(size(zwt)), qdrai(size(zwt))
    real(r8) :: storage0(size(zwt)), storage1, err

    ncol = size(h2osoi_liq, 1)
    nlev = size(h2osoi_liq, 2)
    nstep = size(qflx_top, 2)
    ierr = 0; ecol = 0; estep = 0; errmsg = ''
    allocate(theta(ncol,nlev), rootr(ncol,nlev), qhr(ncol,nlev), dzmm(ncol,nlev), theta_c(ncol,nlev), &
         smp(ncol,nlev))
    dzmm = dzsoi * 1000._r8
    call HRLowerBound(watsat, sucsat, bsw, smpsc, theta_c)

    call check_inputs()
    if (ierr /= 0) return

    do t = 1, nstep
       do c = 1, ncol
          storage0(c) = sum(h2osoi_liq(c,:)) + wa(c)
       end do
       theta = h2osoi_liq / dzmm
       smp = soil_psi(theta, watsat, sucsat, bsw)

       ! root water uptake
       call RootUptake(theta, watsat, sucsat, bsw, rootfr, smpso, smpsc, btran, rootr, smp)
       qtran = qflx_tran_dmd(:,t) * btran

       call SoilHydrologyStep(dtime, lower_bc, zsoi, dzsoi, zisoi, watsat, sucsat, bsw, hksat, &
            theta_c, rootfr, wtfact, rsub_top_max, fdrai, use_hr, crt, psi50, hr_b, rx_rule,   &
            thick_rule, top_layer, qflx_top(:,t), qflx_evap_dmd(:,t), qtran, rootr,             &
            hr_switch(:,t), h2osoi_liq, zwt, wa, qinfl, qover, qevap, qdrai, qhr,               &
            ierr, ecol, errmsg, smp)
       if (ierr /= 0) then
          estep = t
          errmsg = trim(errmsg) // ' (step ' // toString(t) // ')'
          return
       end if

       ! water balance of every column
       do c = 1, ncol
          storage1 = sum(h2osoi_liq(c,:)) + wa(c)
          err = storage1 - storage0(c) &
               - (qflx_top(c,t) - qover(c) - qevap(c) - qtran(c) - qdrai(c)) * dtime
          out_errh2o(c,t) = err
          if (.not. (abs(err) <= errh2o_max)) then
             ierr = 2; ecol = c; estep = t
             errmsg = 'water balance error ' // toString(err) // ' mm at column ' // toString(c) // &
                  ', step ' // toString(t) // ' exceeds ' // toString(errh2o_max) // &
                  ' mm; the time step or the input fluxes are not valid for this soil'
             return
          end if
       end do

       out_liq(:,:,t) = h2osoi_liq
       out_qhr(:,:,t) = qhr
       out_qinfl(:,t) = qinfl
       out_qover(:,t) = qover
       out_qdrai(:,t) = qdrai
       out_qtran(:,t) = qtran
       out_qevap(:,t) = qevap
       out_zwt(:,t)   = zwt
       out_btran(:,t) = btran
    end do

  contains

    subroutine check_inputs()
      integer :: cc, k, tt
      if (.not. (dtime > 0._r8 .and. ieee_is_finite(dtime))) then
         ierr = 1
         errmsg = 'dtime = ' // toString(dtime) // ' is not valid: the time step must be > 0 s'
         return
      end if
      if (lower_bc < bc_aquifer .or. lower_bc > bc_no_flow) then
         ierr = 1
         errmsg = 'lower_bc = ' // toString(lower_bc) // &
              ' is not valid: use 1 (aquifer), 2 (free drainage), 3 (water table at the bottom) or 4 (no flow)'
         return
      end if
      if (nlev < 2) then
         ierr = 1
         errmsg = 'nlev = ' // toString(nlev) // ' is not valid: the soil column needs at least 2 layers'
         return
      end if
      do k = 1, nlev
         do cc = 1, ncol
            if (.not. (h2osoi_liq(cc,k) >= 0._r8 .and. h2osoi_liq(cc,k) <= watsat(cc,k) * dzmm(cc,k) &
                 * (1._r8 + 1.e-12_r8))) then
               ierr = 1; ecol = cc
               errmsg = 'initial theta = ' // toString(h2osoi_liq(cc,k) / dzmm(cc,k)) // &
                    ' at column ' // toString(cc) // ', layer ' // toString(k) // &
                    ' is not valid: it must lie in [0, watsat = ' // toString(watsat(cc,k)) // ']'
               return
            end if
         end do
      end do
      do cc = 1, ncol
         if (.not. (zwt(cc) >= 0._r8 .and. zwt(cc) <= 80._r8)) then
            ierr = 1; ecol = cc
            errmsg = 'zwt = ' // toString(zwt(cc)) // ' m at column ' // toString(cc) // &
                 ' is not valid: the water table depth must lie in [0, 80] m'
            return
         end if
         if (.not. (smpsc(cc) < smpso(cc) .and. smpso(cc) <= 0._r8)) then
            ierr = 1; ecol = cc
            errmsg = 'smpsc = ' // toString(smpsc(cc)) // ', smpso = ' // toString(smpso(cc)) // &
                 ' mm at column ' // toString(cc) // ' are not valid: need smpsc < smpso <= 0'
            return
         end if
      end do
      do tt = 1, nstep
         do cc = 1, ncol
            if (.not. (qflx_top(cc,tt) >= 0._r8 .and. qflx_evap_dmd(cc,tt) >= 0._r8 .and. &
                 qflx_tran_dmd(cc,tt) >= 0._r8 .and. ieee_is_finite(qflx_top(cc,tt)) .and. &
                 ieee_is_finite(qflx_evap_dmd(cc,tt)) .and. ieee_is_finite(qflx_tran_dmd(cc,tt)))) then
               ierr = 1; ecol = cc; estep = tt
               errmsg = 'forcing at column ' // toString(cc) // ', step ' // toString(tt) // &
                    ' is not valid: water input ' // toString(qflx_top(cc,tt)) // &
                    ', evaporation demand ' // toString(qflx_evap_dmd(cc,tt)) // &
                    ' and transpiration demand ' // toString(qflx_tran_dmd(cc,tt)) // &
                    ' mm s-1 must all be finite and >= 0'
               return
            end if
         end do
      end do
    end subroutine check_inputs

  end subroutine SoilColumnRun


  !-----------------------------------------------------------------------
  !> Water content at the PFT's closure potential psi_c [m3 m-3]: HR cannot
  !! dry a source layer beyond it (SOILWAT2 uses the wilting point likewise).
  subroutine HRLowerBound(watsat, sucsat, bsw, smpsc, theta_c)
    real(r8), intent(in), contiguous :: watsat(:,:), sucsat(:,:), bsw(:,:)   !< (ncol, nlev)
    real(r8), intent(in), contiguous :: smpsc(:)                             !< psi_c (ncol) [mm]
    real(r8), intent(out), contiguous :: theta_c(:,:)                         !< (ncol, nlev) [m3 m-3]
    integer :: j
    do j = 1, size(watsat, 2)
       theta_c(:,j) = soil_theta(smpsc, watsat(:,j), sucsat(:,j), bsw(:,j))
    end do
  end subroutine HRLowerBound

  !-----------------------------------------------------------------------
  !> One step of soil hydrology for ncol columns, after the surface fluxes are
  !! known: surface runoff and infiltration, HR and soil water in one
  !! implicit solve, then drainage and bound corrections.
  subroutine SoilHydrologyStep(dtime, lower_bc, zsoi, dzsoi, zisoi, watsat, sucsat, bsw, hksat, &
       theta_c, rootfr, wtfact, rsub_top_max, fdrai, use_hr, crt, psi50, hr_b, rx_rule,        &
       thick_rule, top_layer, qflx_top, qflx_evap_dmd, qflx_tran, rootr, hr_switch,            &
       h2osoi_liq, zwt, wa, qinfl, qover, qevap, qdrai, qhr, ierr, ecol, errmsg, smp)
    real(r8), intent(in)    :: dtime                  !< time step [s]
    integer,  intent(in)    :: lower_bc               !< lower boundary (SoilWaterMovementMod)
    real(r8), intent(in), contiguous :: zsoi(:,:), dzsoi(:,:)  !< node depth, thickness (ncol, nlev) [m]
    real(r8), intent(in), contiguous :: zisoi(:,0:)            !< interfaces (ncol, 0:nlev) [m]
    real(r8), intent(in), contiguous :: watsat(:,:), sucsat(:,:), bsw(:,:), hksat(:,:)  !< [-], [mm], [-], [mm s-1]
    real(r8), intent(in), contiguous :: theta_c(:,:)           !< HR lower bound (ncol, nlev) [m3 m-3]
    real(r8), intent(in), contiguous :: rootfr(:,:)            !< root fraction (ncol, nlev) [-]
    real(r8), intent(in), contiguous :: wtfact(:), rsub_top_max(:), fdrai(:)  !< (ncol) [-], [mm s-1], [m-1]
    integer,  intent(in)    :: use_hr, rx_rule, thick_rule, top_layer
    real(r8), intent(in), contiguous :: crt(:), psi50(:), hr_b(:)   !< HR parameters (ncol) [s-1], [mm], [-]
    real(r8), intent(in), contiguous :: qflx_top(:)            !< water reaching the soil (ncol) [mm s-1]
    real(r8), intent(in), contiguous :: qflx_evap_dmd(:)       !< soil evaporation demand (ncol) [mm s-1]
    real(r8), intent(in), contiguous :: qflx_tran(:)           !< transpiration (ncol) [mm s-1]
    real(r8), intent(in), contiguous :: rootr(:,:)             !< uptake weights (ncol, nlev) [-]
    real(r8), intent(in), contiguous :: hr_switch(:)           !< HR switch D (ncol) [-]
    real(r8), intent(inout), contiguous :: h2osoi_liq(:,:)        !< liquid water (ncol, nlev) [mm]
    real(r8), intent(inout), contiguous :: zwt(:), wa(:)          !< water table [m], aquifer water [mm]
    real(r8), intent(out), contiguous :: qinfl(:), qover(:), qevap(:), qdrai(:)  !< (ncol) [mm s-1]
    real(r8), intent(out), contiguous :: qhr(:,:)               !< HR into each layer (ncol, nlev) [mm s-1]
    integer,  intent(out)   :: ierr, ecol
    character(len=*), intent(out) :: errmsg
    !> Optional: matric potential at the start of the step (ncol, nlev) [mm]
    real(r8), intent(in), optional, contiguous :: smp(:,:)

    real(r8) :: rootsoi(size(rootr,1), size(rootr,2)), psi(size(rootr,1), size(rootr,2))
    real(r8) :: avail(size(rootr,1), size(rootr,2)), room(size(rootr,1), size(rootr,2))
    real(r8) :: qhr0(size(rootr,1), size(rootr,2)), dzmm(size(rootr,1), size(rootr,2))
    real(r8) :: kpair(size(rootr,1), size(rootr,2), size(rootr,2))
    integer  :: active(size(rootr,1), size(rootr,2)), jwt(size(zwt)), elev, j, c
    logical  :: hr_on
    real(r8) :: qcharge(size(zwt)), qrsub(size(zwt))

    ierr = 0; ecol = 0; errmsg = ''
    dzmm = dzsoi * 1000._r8
    do j = 1, size(rootr, 2)
       rootsoi(:,j) = rootr(:,j) * qflx_tran
    end do
    ! surface runoff, infiltration, soil evaporation
    call SurfaceRunoffInfiltration(dtime, merge(1, 0, lower_bc == bc_aquifer), qflx_top, &
         qflx_evap_dmd, zwt, wtfact, hksat, h2osoi_liq(:,1), qover, qinfl, qevap)

    ! hydraulic redistribution: pair conductances for the implicit solve
    ! (skipped in steps where the switch D is off in every column)
    hr_on = use_hr == 1 .and. any(hr_switch > 0._r8)
    if (hr_on) then
       if (.not. present(smp)) psi = soil_psi(h2osoi_liq / dzmm, watsat, sucsat, bsw)
       ! one pass: what each layer may give (down to theta_c) and take (up to watsat)
       do j = 1, size(rootr, 2)
          do c = 1, size(rootr, 1)
             if (present(smp)) psi(c,j) = smp(c,j)
             avail(c,j) = max(0._r8, h2osoi_liq(c,j) - theta_c(c,j) * dzmm(c,j))
             room(c,j) = max(0._r8, watsat(c,j) * dzmm(c,j) - h2osoi_liq(c,j))
             active(c,j) = 1
          end do
       end do
       call HydraulicRedistribution(psi, rootfr, dzmm, hr_switch, crt, psi50, hr_b, &
            rx_rule, thick_rule, top_layer, active, avail, room, dtime, qhr0,     &
            ierr, ecol, elev, errmsg, hr_kpair=kpair, check=.false.)
       if (ierr /= 0) return
    end if   ! without HR, SoilWater does not read kpair

    ! soil water with HR in the same implicit system
    call SoilWater(dtime, lower_bc, zsoi, dzsoi, zisoi, watsat, sucsat, bsw, hksat, zwt, &
         qinfl, rootsoi, merge(1, 0, hr_on), kpair, h2osoi_liq, qcharge, qhr, jwt, smp)

    ! water table, aquifer, drainage, and explicit bound corrections
    call Drainage(dtime, lower_bc, zisoi, dzsoi, watsat, sucsat, bsw, rsub_top_max, &
         fdrai, qcharge, jwt, h2osoi_liq, zwt, wa, qdrai, qrsub)

  end subroutine SoilHydrologyStep

end module SoilColumnMod
