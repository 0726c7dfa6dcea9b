!> Vertical soil water movement: the Zeng & Decker (2009) modified Richards
!! equation as discretised in CLM4.5 (SoilHydrologyMod.F90, subroutine
!! SoilWater; Oleson et al. 2013, sec. 7.4), with hydraulic redistribution
!! (HR) solved in the same implicit system.
!!
!! Layer balance, z positive downward, fluxes positive downward [mm s-1]:
!!   dz_i dtheta_i / dt = q_{i-1} - q_i - e_i + H_i
!!   q_i = -k_i [ (psi_{i+1} - psi_E,i+1) - (psi_i - psi_E,i) ] / (z_{i+1} - z_i)
!! psi_E is the hydrostatic (equilibrium) potential for the current water
!! table, so a column at equilibrium has no flux (Zeng & Decker 2009). Each
!! flux is linearised in the layer water changes, q^{n+1} = q^n + dq/dtheta
!! dtheta, giving one linear system per step (no iteration, as CLM).
!!
!! HR is implicit too: with the pair conductances K_ij of the Ryel module
!! (HydraulicRedistributionMod, argument hr_kpair) frozen at the start of the
!! step, H_i^{n+1} = sum_j K_ij (psi_j^{n+1} - psi_i^{n+1}) is linearised with
!! the same dpsi/dtheta as the Richards fluxes. The HR terms couple every
!! rooted layer with every other, so a column with HR on is solved as a dense
!! system (Gaussian elimination with partial pivoting); without HR it is
!! CLM's tridiagonal system. Because K is symmetric, sum_i H_i^{n+1} = 0.
!! This is the tightly coupled treatment that Tang, Riley & Niu (2015, JAMES)
!! found robust, in contrast to updating soil water after the HR step.
!!
!! Lower boundary (lower_bc):
!!   1  CLM4.5 unconfined aquifer: below-column water table with an extra
!!      "aquifer layer" (layer nlev+1), zero flux at its bottom; with the
!!      water table inside the column the bottom flux is zero and the
!!      recharge qcharge is diagnosed as in CLM4.5.
!!   2  free drainage: unit hydraulic gradient, q_nlev = k_nlev; standard
!!      Richards gravity term (no water table).
!!   3  fixed water table at the bottom of the column (saturated boundary,
!!      psi = -sucsat there): for benchmarks and sites with a shallow table.
!!   4  no flow: impermeable bedrock below the column.
module SoilWaterMovementMod

  use shr_kind_mod,      only: r8 => shr_kind_r8
  use SoilHydraulicsMod, only: smpmin, s_min, soil_psi

  implicit none
  private

  public :: SoilWater
  public :: SoilWaterEquilibrium
  public :: solve_tridiagonal   ! also used by SoilTemperatureMod

  integer, parameter, public :: bc_aquifer       = 1
  integer, parameter, public :: bc_free_drainage = 2
  integer, parameter, public :: bc_water_table   = 3
  integer, parameter, public :: bc_no_flow       = 4

contains

  !-----------------------------------------------------------------------
  !> Zeng-Decker equilibrium water content and potential for a water table
  !! depth zwt, per layer, plus the values for a below-column aquifer layer.
  pure subroutine SoilWaterEquilibrium(zwt, zi, watsat, sucsat, bsw, vol_eq, zq, jwt)
    real(r8), intent(in)  :: zwt          !< water table depth [m]
    real(r8), intent(in), contiguous :: zi(0:)       !< interfaces (0:nlev) [m]
    real(r8), intent(in), contiguous :: watsat(:), sucsat(:), bsw(:)   !< (nlev) [-], [mm], [-]
    real(r8), intent(out), contiguous :: vol_eq(:)    !< equilibrium theta (nlev+1) [m3 m-3]
    real(r8), intent(out), contiguous :: zq(:)        !< equilibrium potential psi_E (nlev+1) [mm]
    integer,  intent(out) :: jwt          !< layer just above the water table (0..nlev)
    real(r8) :: zwtmm, z0, z1, e, tempi, temp0, voleq1, prev_tempi
    logical  :: have_prev
    integer  :: j, n
    n = size(watsat)
    have_prev = .false.
    prev_tempi = 0._r8
    zwtmm = zwt * 1000._r8
    jwt = n
    do j = 1, n
       if (zwt <= zi(j)) then
          jwt = j - 1
          exit
       end if
    end do
    do j = 1, n
       z0 = zi(j-1) * 1000._r8
       z1 = zi(j) * 1000._r8
       e  = 1._r8 - 1._r8 / bsw(j)
       if (zwtmm <= z0) then
          vol_eq(j) = watsat(j)
       else if (zwtmm < z1) then
          ! saturated below the water table, hydrostatic average above it
          tempi = 1._r8
          temp0 = exp(e * log((sucsat(j) + zwtmm - z0) / sucsat(j)))
          voleq1 = -sucsat(j) * watsat(j) / e / (zwtmm - z0) * (tempi - temp0)
          vol_eq(j) = (voleq1 * (zwtmm - z0) + watsat(j) * (z1 - zwtmm)) / (z1 - z0)
       else
          ! the top of this layer is the bottom of the one above: with the same
          ! sucsat and bsw its power is already known
          if (j > 1 .and. have_prev) then
             if (sucsat(j) == sucsat(j-1) .and. bsw(j) == bsw(j-1)) then
                temp0 = prev_tempi
             else
                temp0 = exp(e * log((sucsat(j) + zwtmm - z0) / sucsat(j)))
             end if
          else
             temp0 = exp(e * log((sucsat(j) + zwtmm - z0) / sucsat(j)))
          end if
          tempi = exp(e * log((sucsat(j) + zwtmm - z1) / sucsat(j)))
          vol_eq(j) = -sucsat(j) * watsat(j) / e / (z1 - z0) * (tempi - temp0)
          prev_tempi = tempi
          have_prev = .true.
       end if
       vol_eq(j) = min(watsat(j), max(vol_eq(j), 0._r8))
       zq(j) = soil_psi(vol_eq(j), watsat(j), sucsat(j), bsw(j))
    end do
    ! the aquifer layer between the column bottom and a deeper water table
    vol_eq(n+1) = watsat(n)
    zq(n+1) = -sucsat(n)
    if (jwt == n .and. zwtmm > zi(n) * 1000._r8) then
       e = 1._r8 - 1._r8 / bsw(n)
       tempi = 1._r8
       temp0 = exp(e * log((sucsat(n) + zwtmm - zi(n) * 1000._r8) / sucsat(n)))
       vol_eq(n+1) = -sucsat(n) * watsat(n) / e / (zwtmm - zi(n) * 1000._r8) * (tempi - temp0)
       vol_eq(n+1) = min(watsat(n), max(vol_eq(n+1), 0._r8))
       zq(n+1) = soil_psi(vol_eq(n+1), watsat(n), sucsat(n), bsw(n))
    end if
  end subroutine SoilWaterEquilibrium

  !-----------------------------------------------------------------------
  !> Advance liquid soil water over one time step.
  subroutine SoilWater(dtime, lower_bc, zsoi, dzsoi, zisoi, watsat, sucsat, bsw, hksat, &
       zwt, qflx_infl, qflx_rootsoi, use_hr, hr_kpair, h2osoi_liq, qcharge, qflx_hr, jwt, smp_in)
    real(r8), intent(in)    :: dtime              !< time step [s]
    integer,  intent(in)    :: lower_bc           !< bc_aquifer, bc_free_drainage or bc_water_table
    real(r8), intent(in), contiguous :: zsoi(:,:)          !< node depth (ncol, nlev) [m]
    real(r8), intent(in), contiguous :: dzsoi(:,:)         !< thickness (ncol, nlev) [m]
    real(r8), intent(in), contiguous :: zisoi(:,0:)        !< interfaces (ncol, 0:nlev) [m]
    real(r8), intent(in), contiguous :: watsat(:,:)        !< porosity [m3 m-3]
    real(r8), intent(in), contiguous :: sucsat(:,:)        !< |saturated potential| [mm]
    real(r8), intent(in), contiguous :: bsw(:,:)           !< Clapp-Hornberger B [-]
    real(r8), intent(in), contiguous :: hksat(:,:)         !< saturated conductivity [mm s-1]
    real(r8), intent(in), contiguous :: zwt(:)             !< water table depth (ncol) [m]
    real(r8), intent(in), contiguous :: qflx_infl(:)       !< infiltration into layer 1 (ncol) [mm s-1]
    real(r8), intent(in), contiguous :: qflx_rootsoi(:,:)  !< root uptake from each layer (ncol, nlev) [mm s-1]
    integer,  intent(in)    :: use_hr             !< 1: add HR from hr_kpair; 0: no HR
    real(r8), intent(in), contiguous :: hr_kpair(:,:,:)    !< HR pair conductance (ncol, nlev, nlev) [s-1]
    real(r8), intent(inout), contiguous :: h2osoi_liq(:,:)    !< liquid water (ncol, nlev) [mm]
    real(r8), intent(out), contiguous :: qcharge(:)         !< flux across the column bottom (ncol) [mm s-1]:
                                                  !< aquifer recharge (bc 1) or drainage (bc 2, 3)
    real(r8), intent(out), contiguous :: qflx_hr(:,:)  !< HR flux applied, H^{n+1} (ncol, nlev) [mm s-1]
    integer,  intent(out), contiguous :: jwt(:)             !< layer above the water table (ncol)
    !> Optional: matric potential of the layers at the start of the step
    !! (ncol, nlev) [mm], as soil_psi gives it, to save recomputing it
    real(r8), intent(in), optional, contiguous :: smp_in(:,:)

    integer  :: ncol, n, c, j, k
    real(r8), dimension(size(h2osoi_liq,2)+1) :: zmm, dzmm, vol_eq, zq, rhs, dwat
    real(r8), dimension(size(h2osoi_liq,2)) :: vol, smp, dsmpdw, hk, dhkdw, hrn
    real(r8), dimension(size(h2osoi_liq,2)) :: dpsi   ! linearised potential change of the step [mm]
    real(r8), dimension(size(h2osoi_liq,2)) :: ws_c, ss_c, bsw_c   ! this column's parameters
    real(r8) :: zi_c(0:size(h2osoi_liq,2))                         ! this column's interfaces [m]
    ! the tridiagonal system, CLM style: sub-diagonal amx, diagonal bmx,
    ! super-diagonal cmx (layers 1..nlev and the aquifer layer nlev+1)
    real(r8), dimension(size(h2osoi_liq,2)+1) :: amx, bmx, cmx
    real(r8) :: amat(size(h2osoi_liq,2), size(h2osoi_liq,2))   ! dense system of the layers when HR is on
    real(r8) :: den, num, qin, qout, dqidw0, dqidw1, dqodw1, dqodw2
    real(r8) :: s_node, smp1, dsmpdw1, s1, s2, ka, wh, kij, zbot, f
    logical  :: dense

    ncol = size(h2osoi_liq, 1)
    n = size(h2osoi_liq, 2)
    qflx_hr = 0._r8

    do c = 1, ncol
       zmm(1:n)  = zsoi(c,:) * 1000._r8
       dzmm(1:n) = dzsoi(c,:) * 1000._r8
       vol = h2osoi_liq(c,:) / dzmm(1:n)

       if (lower_bc == bc_aquifer) then
          ! contiguous copies: passing the strided rows would make the compiler
          ! pack them into heap temporaries at every step
          ws_c = watsat(c,:); ss_c = sucsat(c,:); bsw_c = bsw(c,:); zi_c = zisoi(c,:)
          call SoilWaterEquilibrium(zwt(c), zi_c, ws_c, ss_c, bsw_c, vol_eq, zq, jwt(c))
       else
          ! standard Richards gravity term: psi_E differences equal depth differences
          zq(1:n) = zmm(1:n)
          jwt(c) = n
       end if

       ! conductivity at the interface below each layer and matric potential at nodes
       do j = 1, n
          k = min(n, j + 1)
          s1 = min(1._r8, 0.5_r8 * (vol(j) + vol(k)) / (0.5_r8 * (watsat(c,j) + watsat(c,k))))
          ! s1**(2B+2) as exp((2B+2) ln s1) (see soil_psi); s1 = 0 gives 0
          s2 = hksat(c,j) * exp((2._r8 * bsw(c,j) + 2._r8) * log(s1))
          hk(j) = s1 * s2
          dhkdw(j) = (2._r8 * bsw(c,j) + 3._r8) * s2 / (watsat(c,j) + watsat(c,k))
          s_node = min(1._r8, max(vol(j) / watsat(c,j), s_min))
          if (present(smp_in)) then
             smp(j) = smp_in(c,j)
          else
             smp(j) = soil_psi(vol(j), watsat(c,j), sucsat(c,j), bsw(c,j))
          end if
          dsmpdw(j) = -bsw(c,j) * smp(j) / (s_node * watsat(c,j))
       end do

       amx(1) = 0._r8
       cmx(n) = 0._r8
       cmx(n+1) = 0._r8
       amx(n+1) = 0._r8
       rhs(n+1) = 0._r8
       ! top layer
       j = 1
       qin = qflx_infl(c)
       call interface_flux(j, smp(j+1), dsmpdw(j+1), zq(j+1), zmm(j+1), qout, dqodw1, dqodw2)
       rhs(j) = qin - qout - qflx_rootsoi(c,j)
       bmx(j) = dzmm(j) / dtime + dqodw1
       cmx(j) = dqodw2
       ! interior layers
       do j = 2, n - 1
          call interface_flux(j-1, smp(j), dsmpdw(j), zq(j), zmm(j), qin, dqidw0, dqidw1)
          call interface_flux(j, smp(j+1), dsmpdw(j+1), zq(j+1), zmm(j+1), qout, dqodw1, dqodw2)
          rhs(j) = qin - qout - qflx_rootsoi(c,j)
          amx(j) = -dqidw0
          bmx(j) = dzmm(j) / dtime - dqidw1 + dqodw1
          cmx(j) = dqodw2
       end do
       ! bottom layer and the layer below it
       j = n
       call interface_flux(j-1, smp(j), dsmpdw(j), zq(j), zmm(j), qin, dqidw0, dqidw1)
       amx(j) = -dqidw0
       select case (lower_bc)
       case (bc_aquifer)
          zmm(n+1) = 0.5_r8 * (1000._r8 * zwt(c) + zmm(n))
          if (jwt(c) < n) then
             ! water table inside the column: no flow out of its bottom,
             ! the aquifer layer is inert
             dzmm(n+1) = dzmm(n)
             rhs(j) = qin - qflx_rootsoi(c,j)
             bmx(j) = dzmm(j) / dtime - dqidw1
             bmx(n+1) = dzmm(n+1) / dtime
          else
             dzmm(n+1) = 1000._r8 * zwt(c) - zmm(n)
             s_node = min(1._r8, max(0.5_r8 * (1._r8 + vol(j) / watsat(c,j)), s_min))
             smp1 = max(smpmin, -sucsat(c,j) * exp(-bsw(c,j) * log(s_node)))
             dsmpdw1 = -bsw(c,j) * smp1 / (s_node * watsat(c,j))
             call interface_flux(j, smp1, dsmpdw1, zq(n+1), zmm(n+1), qout, dqodw1, dqodw2)
             rhs(j) = qin - qout - qflx_rootsoi(c,j)
             bmx(j) = dzmm(j) / dtime - dqidw1 + dqodw1
             cmx(j) = dqodw2
             ! aquifer layer: gains what the column loses, zero flux at its bottom
             rhs(n+1) = qout
             amx(n+1) = -dqodw1
             bmx(n+1) = dzmm(n+1) / dtime - dqodw2
          end if
       case (bc_free_drainage)
          s1 = min(1._r8, vol(j) / watsat(c,j))
          qout = hksat(c,j) * s1**(2._r8 * bsw(c,j) + 3._r8)
          dqodw1 = (2._r8 * bsw(c,j) + 3._r8) * hksat(c,j) * s1**(2._r8 * bsw(c,j) + 2._r8) / watsat(c,j)
          if (vol(j) >= watsat(c,j)) dqodw1 = 0._r8
          rhs(j) = qin - qout - qflx_rootsoi(c,j)
          bmx(j) = dzmm(j) / dtime - dqidw1 + dqodw1
          bmx(n+1) = 1._r8
       case (bc_no_flow)
          qout = 0._r8
          dqodw1 = 0._r8
          rhs(j) = qin - qflx_rootsoi(c,j)
          bmx(j) = dzmm(j) / dtime - dqidw1
          bmx(n+1) = 1._r8
       case (bc_water_table)
          ! saturated boundary at the column bottom: psi = -sucsat, k at the
          ! mean saturation of the bottom layer and the boundary
          zbot = zisoi(c,n) * 1000._r8
          s1 = min(1._r8, 0.5_r8 * (vol(j) + watsat(c,j)) / watsat(c,j))
          s2 = hksat(c,j) * s1**(2._r8 * bsw(c,j) + 2._r8)
          ka = s1 * s2
          den = zbot - zmm(j)
          num = (-sucsat(c,j) - smp(j)) - (zbot - zmm(j))
          qout = -ka * num / den
          dqodw1 = -(-ka * dsmpdw(j) + num * (2._r8 * bsw(c,j) + 3._r8) * s2 * 0.5_r8 / watsat(c,j)) / den
          rhs(j) = qin - qout - qflx_rootsoi(c,j)
          bmx(j) = dzmm(j) / dtime - dqidw1 + dqodw1
          bmx(n+1) = 1._r8
       end select

       ! hydraulic redistribution, implicit in the same system: each pair
       ! (j, k) with K_jk > 0 couples two layers; K is symmetric, so the
       ! upper triangle holds every pair once
       dense = .false.
       if (use_hr == 1) then
          find_pair: do k = 2, n
             do j = 1, k - 1
                if (hr_kpair(c,j,k) > 0._r8) then
                   dense = .true.
                   exit find_pair
                end if
             end do
          end do find_pair
       end if

       if (dense) then
          amat = 0._r8
          do j = 1, n
             amat(j,j) = bmx(j)
             if (j > 1) amat(j,j-1) = amx(j)
             if (j < n) amat(j,j+1) = cmx(j)
          end do
          ! the layer below the column couples to layer n only: eliminate it
          f = cmx(n) / bmx(n+1)
          amat(n,n) = amat(n,n) - f * amx(n+1)
          rhs(n) = rhs(n) - f * rhs(n+1)
          hrn = 0._r8
          do k = 2, n
             do j = 1, k - 1
                kij = hr_kpair(c,j,k)
                if (kij > 0._r8) then
                   f = kij * (smp(k) - smp(j))
                   hrn(j) = hrn(j) + f
                   hrn(k) = hrn(k) - f
                   amat(j,j) = amat(j,j) + kij * dsmpdw(j)
                   amat(k,k) = amat(k,k) + kij * dsmpdw(k)
                   amat(j,k) = amat(j,k) - kij * dsmpdw(k)
                   amat(k,j) = amat(k,j) - kij * dsmpdw(j)
                end if
             end do
          end do
          do j = 1, n
             rhs(j) = rhs(j) + hrn(j)
          end do
          call solve_dense(amat, rhs(1:n), dwat(1:n))
          dwat(n+1) = (rhs(n+1) - amx(n+1) * dwat(n)) / bmx(n+1)
       else
          call solve_tridiagonal(amx, bmx, cmx, rhs, dwat)
       end if

       do j = 1, n
          h2osoi_liq(c,j) = h2osoi_liq(c,j) + dwat(j) * dzmm(j)
       end do
       if (dense) then
          ! the HR flux applied, H^{n+1}, pair by pair so that it sums to zero
          do j = 1, n
             qflx_hr(c,j) = hrn(j)
             dpsi(j) = dsmpdw(j) * dwat(j)
          end do
          do k = 2, n
             do j = 1, k - 1
                kij = hr_kpair(c,j,k)
                if (kij > 0._r8) then
                   f = kij * (dpsi(k) - dpsi(j))
                   qflx_hr(c,j) = qflx_hr(c,j) + f
                   qflx_hr(c,k) = qflx_hr(c,k) - f
                end if
             end do
          end do
       end if

       ! flux across the column bottom
       j = n
       select case (lower_bc)
       case (bc_aquifer)
          if (jwt(c) < n) then
             ! recharge diagnosed from the head above the water table (CLM4.5);
             ! it moves the water table (DrainageMod), not soil water
             k = jwt(c) + 1
             s1 = min(1._r8, max(vol(k) / watsat(c,k), s_min))
             ka = hksat(c,k) * s1**(2._r8 * bsw(c,k) + 3._r8)
             wh = max(smpmin, smp(max(1, jwt(c)))) - zq(max(1, jwt(c)))
             if (jwt(c) == 0) then
                qcharge(c) = -ka * (0._r8 - wh) / ((zwt(c) + 1.e-3_r8) * 1000._r8)
             else
                qcharge(c) = -ka * (0._r8 - wh) / ((zwt(c) - zsoi(c, jwt(c))) * 1000._r8 * 2._r8)
             end if
             qcharge(c) = max(-10._r8 / dtime, min(10._r8 / dtime, qcharge(c)))
          else
             qcharge(c) = dwat(n+1) * dzmm(n+1) / dtime
          end if
       case (bc_free_drainage, bc_water_table)
          ! exactly the linearised bottom flux the column lost
          qcharge(c) = qout + dqodw1 * dwat(j)
       case default
          qcharge(c) = 0._r8
       end select
    end do

  contains

    !> Flux across the interface below layer jj (to the node at depth zlow)
    !! and its derivatives with respect to the upper and lower water content.
    subroutine interface_flux(jj, smp_low, dsmpdw_low, zq_low, zmm_low, q, dqdw_up, dqdw_low)
      integer,  intent(in)  :: jj
      real(r8), intent(in)  :: smp_low, dsmpdw_low, zq_low, zmm_low
      real(r8), intent(out) :: q, dqdw_up, dqdw_low
      real(r8) :: d, nm
      d  = zmm_low - zmm(jj)
      nm = (smp_low - smp(jj)) - (zq_low - zq(jj))
      q = -hk(jj) * nm / d
      dqdw_up  = -(-hk(jj) * dsmpdw(jj) + nm * dhkdw(jj)) / d
      dqdw_low = -( hk(jj) * dsmpdw_low + nm * dhkdw(jj)) / d
    end subroutine interface_flux

  end subroutine SoilWater

  !-----------------------------------------------------------------------
  !> Thomas algorithm (as CLM's Tridiagonal): sub-diagonal a (a(1) unused),
  !! diagonal b, super-diagonal c (c(n) unused), right-hand side r.
  pure subroutine solve_tridiagonal(a, b, c, r, x)
    real(r8), intent(in), contiguous :: a(:), b(:), c(:), r(:)
    real(r8), intent(out), contiguous :: x(:)
    real(r8) :: gam(size(r)), bet
    integer  :: j, n
    n = size(r)
    bet = b(1)
    x(1) = r(1) / bet
    do j = 2, n
       gam(j) = c(j-1) / bet
       bet = b(j) - a(j) * gam(j)
       x(j) = (r(j) - a(j) * x(j-1)) / bet
    end do
    do j = n - 1, 1, -1
       x(j) = x(j) - gam(j+1) * x(j+1)
    end do
  end subroutine solve_tridiagonal

  !> Gaussian elimination with partial pivoting for a small dense system,
  !! looping down columns (Fortran storage order).
  !! The matrix and right-hand side are overwritten.
  pure subroutine solve_dense(a, r, x)
    real(r8), intent(inout), contiguous :: a(:,:), r(:)
    real(r8), intent(out), contiguous :: x(:)
    real(r8) :: tmp, akj, big
    real(r8) :: dinv(size(r))   ! reciprocals of the pivots: no divisions in the back substitution
    integer  :: i, j, k, p, n
    n = size(r)
    do k = 1, n - 1
       p = k
       big = abs(a(k,k))
       do i = k + 1, n
          if (abs(a(i,k)) > big) then
             p = i
             big = abs(a(i,k))
          end if
       end do
       if (p /= k) then
          do j = k, n
             tmp = a(k,j); a(k,j) = a(p,j); a(p,j) = tmp
          end do
          tmp = r(k); r(k) = r(p); r(p) = tmp
       end if
       ! multipliers stored below the diagonal, then update column by column
       dinv(k) = 1._r8 / a(k,k)
       do i = k + 1, n
          a(i,k) = a(i,k) * dinv(k)
       end do
       do j = k + 1, n
          akj = a(k,j)
          do i = k + 1, n
             a(i,j) = a(i,j) - a(i,k) * akj
          end do
       end do
       tmp = r(k)
       do i = k + 1, n
          r(i) = r(i) - a(i,k) * tmp
       end do
    end do
    ! back substitution by columns (contiguous in memory, no dot-product chain)
    dinv(n) = 1._r8 / a(n,n)
    do j = n, 1, -1
       x(j) = r(j) * dinv(j)
       do i = 1, j - 1
          r(i) = r(i) - a(i,j) * x(j)
       end do
    end do
  end subroutine solve_dense

end module SoilWaterMovementMod
