!> One step of soil hydrology for ncol columns once the surface fluxes are
!! known (CLM4.5 order: surface runoff and infiltration -> HR and soil water
!! in one implicit solve -> drainage), and the HR lower bound. The time loop,
!! the input checks and the water balance check are in ColumnDriverMod.
module SoilColumnMod

  use shr_kind_mod,               only: r8 => shr_kind_r8
  use SoilHydraulicsMod,          only: soil_theta
  use InfiltrationMod,            only: SurfaceRunoffInfiltration
  use HydraulicRedistributionMod, only: HydraulicRedistribution
  use SoilWaterMovementMod,       only: SoilWater, bc_aquifer, bc_free_drainage, bc_water_table, &
                                        bc_no_flow
  use DrainageMod,                only: Drainage

  implicit none
  private

  public :: SoilHydrologyStep
  public :: HRLowerBound
  public :: HRPairConductance

  real(r8), parameter, public :: errh2o_max = 1.e-8_r8   !< largest water balance error of a step [mm]

contains

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
  !> Ryel HR pair conductances of one patch for the implicit solve: what
  !! each layer may give (down to theta_c) and take (up to saturation), then
  !! HydraulicRedistribution on the patch's roots and parameters.
  subroutine HRPairConductance(dtime, psi, rootfr, dzsoi, watsat, theta_c, h2osoi_liq, night, &
       crt, psi50, hr_b, rx_rule, thick_rule, top_layer, kpair, ierr, ecol, errmsg)
    real(r8), intent(in)    :: dtime                  !< time step [s]
    real(r8), intent(in), contiguous :: psi(:,:)               !< matric potential (ncol, nlev) [mm]
    real(r8), intent(in), contiguous :: rootfr(:,:)            !< the patch's root fraction (ncol, nlev) [-]
    real(r8), intent(in), contiguous :: dzsoi(:,:), watsat(:,:)   !< [m], [m3 m-3]
    real(r8), intent(in), contiguous :: theta_c(:,:)           !< the patch's HR lower bound [m3 m-3]
    real(r8), intent(in), contiguous :: h2osoi_liq(:,:)        !< liquid water (ncol, nlev) [mm]
    real(r8), intent(in), contiguous :: night(:)               !< HR switch D of the patch (ncol) [-]
    real(r8), intent(in), contiguous :: crt(:), psi50(:), hr_b(:)   !< (ncol) [s-1], [mm], [-]
    integer,  intent(in)    :: rx_rule, thick_rule, top_layer
    real(r8), intent(out), contiguous :: kpair(:,:,:)          !< pair conductance (ncol, nlev, nlev) [s-1]
    integer,  intent(out)   :: ierr, ecol
    character(len=*), intent(out) :: errmsg
    real(r8) :: avail(size(psi,1), size(psi,2)), room(size(psi,1), size(psi,2))
    real(r8) :: qhr0(size(psi,1), size(psi,2)), dzmm(size(psi,1), size(psi,2))
    integer  :: active(size(psi,1), size(psi,2)), elev, j, c
    do j = 1, size(psi, 2)
       do c = 1, size(psi, 1)
          dzmm(c,j) = dzsoi(c,j) * 1000._r8
          avail(c,j) = max(0._r8, h2osoi_liq(c,j) - theta_c(c,j) * dzmm(c,j))
          room(c,j) = max(0._r8, watsat(c,j) * dzmm(c,j) - h2osoi_liq(c,j))
          active(c,j) = 1
       end do
    end do
    call HydraulicRedistribution(psi, rootfr, dzmm, night, crt, psi50, hr_b, rx_rule, thick_rule, &
         top_layer, active, avail, room, dtime, qhr0, ierr, ecol, elev, errmsg, hr_kpair=kpair,  &
         check=.false.)
  end subroutine HRPairConductance

  !-----------------------------------------------------------------------
  !> One step of soil hydrology for ncol columns, after the surface fluxes,
  !! root uptake and HR pair conductances are known: surface runoff and
  !! infiltration, HR and soil water in one implicit solve, then drainage
  !! and bound corrections.
  subroutine SoilHydrologyStep(dtime, lower_bc, zsoi, dzsoi, zisoi, watsat, sucsat, bsw, hksat, &
       wtfact, rsub_top_max, fdrai, hr_on, kpair, qflx_top, qflx_evap_dmd, rootsoi,           &
       h2osoi_liq, zwt, wa, qinfl, qover, qevap, qdrai, qhr, smp)
    real(r8), intent(in)    :: dtime                  !< time step [s]
    integer,  intent(in)    :: lower_bc               !< lower boundary (SoilWaterMovementMod)
    real(r8), intent(in), contiguous :: zsoi(:,:), dzsoi(:,:)  !< node depth, thickness (ncol, nlev) [m]
    real(r8), intent(in), contiguous :: zisoi(:,0:)            !< interfaces (ncol, 0:nlev) [m]
    real(r8), intent(in), contiguous :: watsat(:,:), sucsat(:,:), bsw(:,:), hksat(:,:)  !< [-], [mm], [-], [mm s-1]
    real(r8), intent(in), contiguous :: wtfact(:), rsub_top_max(:), fdrai(:)  !< (ncol) [-], [mm s-1], [m-1]
    integer,  intent(in)    :: hr_on                  !< 1: HR pair conductances kpair apply
    real(r8), intent(in), contiguous :: kpair(:,:,:)           !< HR pair conductance (ncol, nlev, nlev) [s-1]
    real(r8), intent(in), contiguous :: qflx_top(:)            !< water reaching the soil (ncol) [mm s-1]
    real(r8), intent(in), contiguous :: qflx_evap_dmd(:)       !< soil evaporation demand (ncol) [mm s-1]
    real(r8), intent(in), contiguous :: rootsoi(:,:)           !< root uptake per layer (ncol, nlev) [mm s-1]
    real(r8), intent(inout), contiguous :: h2osoi_liq(:,:)        !< liquid water (ncol, nlev) [mm]
    real(r8), intent(inout), contiguous :: zwt(:), wa(:)          !< water table [m], aquifer water [mm]
    real(r8), intent(out), contiguous :: qinfl(:), qover(:), qevap(:), qdrai(:)  !< (ncol) [mm s-1]
    real(r8), intent(out), contiguous :: qhr(:,:)               !< HR into each layer (ncol, nlev) [mm s-1]
    !> Optional: matric potential at the start of the step (ncol, nlev) [mm]
    real(r8), intent(in), optional, contiguous :: smp(:,:)
    integer  :: jwt(size(zwt))
    real(r8) :: qcharge(size(zwt)), qrsub(size(zwt))

    ! surface runoff, infiltration, soil evaporation
    call SurfaceRunoffInfiltration(dtime, merge(1, 0, lower_bc == bc_aquifer), qflx_top, &
         qflx_evap_dmd, zwt, wtfact, hksat, h2osoi_liq(:,1), qover, qinfl, qevap)

    ! soil water with HR in the same implicit system
    call SoilWater(dtime, lower_bc, zsoi, dzsoi, zisoi, watsat, sucsat, bsw, hksat, zwt, &
         qinfl, rootsoi, hr_on, kpair, h2osoi_liq, qcharge, qhr, jwt, smp)

    ! water table, aquifer, drainage, and explicit bound corrections
    call Drainage(dtime, lower_bc, zisoi, dzsoi, watsat, sucsat, bsw, rsub_top_max, &
         fdrai, qcharge, jwt, h2osoi_liq, zwt, wa, qdrai, qrsub)

  end subroutine SoilHydrologyStep

end module SoilColumnMod
