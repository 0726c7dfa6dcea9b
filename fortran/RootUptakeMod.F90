!> Soil water stress and the distribution of root water uptake (CLM4.5,
!! CanopyFluxesMod.F90 of CLM4.5; Oleson et al. 2013, sec. 8.3).
!!
!! Wilting factor of layer i (unfrozen, with liquid water):
!!   w_i = min( (theta_eff/watsat) (psi_i - psi_c) / (psi_o - psi_c), 1 ),  >= 0
!! with psi_i = max(psi_c, -sucsat s^-B), s = max(theta/theta_eff, 0.01).
!! btran = sum_i rootfr_i w_i; uptake weights rootr_i = rootfr_i w_i / btran.
!! Transpiration is taken from layer i as rootr_i * qflx_tran.
!!
!! The rule uptake_hydraulic (an option, not CLM4.5) treats the roots as one
!! parallel network through the soil-root conductance of the HR scheme
!! (Couvreur et al. 2012, HESS 16, 2957; Vanderborght et al. 2021, HESS 25,
!! 4835, the "parallel root model"): layer i gives
!!   q_i = K_rs c_i R_i (psi_i - psi_x),   q_i >= 0,
!! where K_rs is the root-system conductance C_RT of Ryel et al. (2002),
!! c_i = 1 / (1 + (psi_i/psi50)^b) the relative soil-root conductance and
!! psi_x the potential in the root collar that makes sum_i q_i equal the
!! transpiration. With T = 0, c = 1 and root fractions summing to 1 the
!! same network gives Ryel's HR without its 1/(1 - R_x) factor; for c < 1
!! Ryel's pair conductance max(c_i, c_j) R_i R_j differs from the network's,
!! so uptake by day and HR by night share C_RT and c(psi), not one exact
!! network. Unlike the full parallel root model, q_i < 0 (daytime HR) is
!! not allowed. Wet layers supply more than their root fraction
!! (compensation), and btran drops CLM4.5's per-layer cap of 1:
!!   btran = min( sum_i R_i max(0, psi_i - psi_c) / (psi_o - psi_c), 1 ),
!! the uptake capacity at psi_x = psi_c relative to that of a profile
!! uniformly at psi_o, leaving out the c_i (equal to CLM4.5's btran
!! whenever no layer is wetter than psi_o). The amount transpired still
!! comes from the stomata; psi_x may fall below psi_c. A network without
!! conductance (K_rs = 0) takes CLM4.5's btran and weights.
module RootUptakeMod

  use shr_kind_mod, only: r8 => shr_kind_r8
  use HydraulicRedistributionMod, only: hr_conductance

  implicit none
  private

  public :: RootUptake               ! btran and uptake weights from the soil state
  public :: HydraulicUptakeWeights   ! uptake weights of the parallel root model

  integer, parameter, public :: uptake_clm45 = 1      !< CLM4.5: rootfr x wilting factor
  integer, parameter, public :: uptake_hydraulic = 2  !< parallel root model through C_RT

contains

  subroutine RootUptake(theta, watsat, sucsat, bsw, rootfr, smpso, smpsc, btran, rootr, smp, rule, krs, &
       live)
    real(r8), intent(in), contiguous :: theta(:,:)    !< volumetric liquid water (ncol, nlev) [m3 m-3]
    real(r8), intent(in), contiguous :: watsat(:,:)   !< porosity (ncol, nlev) [m3 m-3]
    real(r8), intent(in), contiguous :: sucsat(:,:)   !< |saturated matric potential| (ncol, nlev) [mm]
    real(r8), intent(in), contiguous :: bsw(:,:)      !< Clapp-Hornberger B (ncol, nlev) [-]
    real(r8), intent(in), contiguous :: rootfr(:,:)   !< root fraction (ncol, nlev) [-]
    real(r8), intent(in), contiguous :: smpso(:)      !< psi at full stomatal opening psi_o (ncol) [mm]
    real(r8), intent(in), contiguous :: smpsc(:)      !< psi at full closure psi_c (ncol) [mm]
    real(r8), intent(out), contiguous :: btran(:)      !< transpiration factor (ncol) [0-1]
    real(r8), intent(out), contiguous :: rootr(:,:)    !< uptake weight (ncol, nlev) [-], sums to 1 if btran > 0
    !> Optional: matric potential of the layers (ncol, nlev) [mm] already
    !! computed by the caller from the same theta (SoilHydraulicsMod soil_psi).
    real(r8), intent(in), optional, contiguous :: smp(:,:)
    !> Optional: uptake_clm45 (default) or uptake_hydraulic (no per-layer cap
    !! of the wilting factor; the weights are then redone by
    !! HydraulicUptakeWeights once the transpiration is known).
    integer, intent(in), optional :: rule
    !> Optional with rule: root-system conductance (ncol) [s-1]; a column with
    !! krs = 0 has no conducting network and keeps CLM4.5's cap.
    real(r8), intent(in), optional, contiguous :: krs(:)
    !> Optional: layers the roots may draw from (ncol, nlev); CLM4.5 takes no
    !! water from soil at or below tfrz - 2 K (CanopyFluxes). Excluded layers
    !! add nothing to btran and get no weight.
    logical, intent(in), optional, contiguous :: live(:,:)
    real(r8) :: s, psi, w, wmax(size(theta, 1))
    integer  :: c, j
    wmax = 1._r8
    if (present(rule)) then
       if (rule == uptake_hydraulic) then
          wmax = huge(1._r8)
          if (present(krs)) where (krs <= 0._r8) wmax = 1._r8
       end if
    end if
    btran = 0._r8
    rootr = 0._r8
    do j = 1, size(theta, 2)
       do c = 1, size(theta, 1)
          if (present(live)) then
             if (.not. live(c,j)) cycle
          end if
          if (theta(c,j) > 0._r8 .and. rootfr(c,j) > 0._r8) then
             ! no ice in this column model: the effective porosity is watsat
             if (present(smp)) then
                psi = max(smpsc(c), smp(c,j))
             else
                s   = max(theta(c,j) / watsat(c,j), 0.01_r8)
                psi = max(smpsc(c), -sucsat(c,j) * s**(-bsw(c,j)))
             end if
             w   = max(0._r8, min((psi - smpsc(c)) / (smpso(c) - smpsc(c)), wmax(c)))
             rootr(c,j) = rootfr(c,j) * w
             btran(c) = btran(c) + rootr(c,j)
          end if
       end do
    end do
    do j = 1, size(theta, 2)
       do c = 1, size(theta, 1)
          if (btran(c) > 0._r8) then
             rootr(c,j) = rootr(c,j) / btran(c)
          else
             rootr(c,j) = 0._r8
          end if
       end do
    end do
    btran = min(btran, 1._r8)
  end subroutine RootUptake

  !> Uptake weights of the parallel root model (rule uptake_hydraulic).
  !!
  !! Solves sum_i K_rs c_i R_i (psi_i - psi_x)^+ = qtran for the collar
  !! potential psi_x over the layers the plant may draw from (rootr > 0 on
  !! entry: unfrozen and wetter than psi_c), and returns q_i / qtran. The
  !! left side is piecewise linear in psi_x: starting from all those layers,
  !! the layers at or below the current psi_x are dropped and psi_x solved
  !! again until none is dropped (at most nlev passes; psi_x only rises).
  !! Columns with no transpiration or K_rs = 0 keep the weights they have.
  subroutine HydraulicUptakeWeights(qtran, krs, smp, psi50, hr_b, rootfr, rootr, psi_x)
    real(r8), intent(in), contiguous :: qtran(:)      !< transpiration of the patch (ncol) [mm s-1]
    real(r8), intent(in), contiguous :: krs(:)        !< root-system conductance (ncol) [s-1]
    real(r8), intent(in), contiguous :: smp(:,:)      !< soil matric potential (ncol, nlev) [mm]
    real(r8), intent(in), contiguous :: psi50(:)      !< potential of half soil-root conductance (ncol) [mm]
    real(r8), intent(in), contiguous :: hr_b(:)       !< shape parameter of the conductance (ncol) [-]
    real(r8), intent(in), contiguous :: rootfr(:,:)   !< root fraction (ncol, nlev) [-]
    real(r8), intent(inout), contiguous :: rootr(:,:) !< in: > 0 where uptake is allowed; out: weights [-]
    real(r8), intent(out), optional, contiguous :: psi_x(:) !< collar potential (ncol) [mm]; 0 where not solved
    real(r8) :: a(size(smp, 2)), w(size(smp, 2)), asum, apsi, px, wsum
    logical  :: act(size(smp, 2)), dropped
    integer  :: c, j, pass
    if (present(psi_x)) psi_x = 0._r8
    do c = 1, size(smp, 1)
       if (qtran(c) <= 0._r8 .or. krs(c) <= 0._r8) cycle
       do j = 1, size(smp, 2)
          act(j) = rootr(c,j) > 0._r8
          a(j) = 0._r8
          if (act(j)) a(j) = krs(c) * rootfr(c,j) * hr_conductance(smp(c,j), psi50(c), hr_b(c))
          act(j) = act(j) .and. a(j) > 0._r8
       end do
       if (.not. any(act)) cycle
       px = 0._r8
       do pass = 1, size(smp, 2)
          asum = 0._r8; apsi = 0._r8
          do j = 1, size(smp, 2)
             if (act(j)) then
                asum = asum + a(j)
                apsi = apsi + a(j) * smp(c,j)
             end if
          end do
          if (asum <= 0._r8) exit                 ! all dropped by round-off (qtran ~ 0)
          px = (apsi - qtran(c)) / asum
          dropped = .false.
          do j = 1, size(smp, 2)
             if (act(j) .and. smp(c,j) <= px) then
                act(j) = .false.
                dropped = .true.
             end if
          end do
          if (.not. dropped) exit
       end do
       ! the weights sum to 1 in exact arithmetic; normalise against round-off
       ! in psi_x (it matters when qtran is tiny next to krs |psi|), and keep
       ! the entry weights if nothing is left
       wsum = 0._r8
       do j = 1, size(smp, 2)
          w(j) = 0._r8
          if (act(j)) w(j) = a(j) * max(smp(c,j) - px, 0._r8)
          wsum = wsum + w(j)
       end do
       if (.not. (wsum > 0._r8 .and. wsum <= huge(1._r8))) cycle
       do j = 1, size(smp, 2)
          rootr(c,j) = w(j) / wsum
       end do
       if (present(psi_x)) psi_x(c) = px
    end do
  end subroutine HydraulicUptakeWeights

end module RootUptakeMod
