!> Hydraulic redistribution (HR) of soil water by roots, after Ryel et al. (2002).
!!
!! Ryel, R. J., Caldwell, M. M., Yoder, C. K., Or, D. and Leffler, A. J. (2002):
!! Hydraulic redistribution in a stand of Artemisia tridentata: evaluation of
!! benefits to transpiration assessed with a simulation model. Oecologia 130,
!! 173-184 (eqs. 6-7).
!!
!! Net water gained by layer i through the root system (positive into layer i):
!!
!!   H_i = C_RT * sum_{j /= i} (psi_j - psi_i) * max(c_i, c_j) * R_i R_j / (1 - R_x) * D
!!   c_k = 1 / (1 + (psi_k / psi50)**b)
!!
!! The sum is evaluated pair by pair: each pair (i, j) moves one amount of water
!! from the wetter layer (higher psi, the source) to the drier one (the
!! recipient), so sum_i H_i dz-weighted is exactly zero.
!!
!! Every choice that the HR literature argues about is an explicit argument:
!!   * rx_rule    which root fraction is R_x: the source layer's (SOILWAT2,
!!                DrylandEcology/SOILWAT2 SW_Flow_lib.c) or max(R_i, R_j) (CABLE,
!!                cbl_hyd_redistrib.F90);
!!   * thick_rule no correction, or SOILWAT2's correction for unequal layers
!!                (R_recipient scaled by dz_source/dz_recipient when the source
!!                is the thinner layer);
!!   * top_layer  whether layer 1 exchanges water (SOILWAT2 and Wang 2011 keep
!!                the top layer out, arguing that its fine roots die when dry);
!!   * active     per-layer mask (frozen soil, bedrock) supplied by the caller;
!!   * night      the switch D in [0, 1] per column (see HRNightSwitch);
!!   * limiter    water available above a lower bound and room below
!!                saturation, per layer, so that no layer can cross either
!!                bound within one time step.
!!
!! Units at the interface are CLM's: psi in mm of water head (negative), HR flux
!! in mm s-1 (= kg m-2 s-1) of water per unit ground area, layer thickness dz in
!! mm, C_RT in s-1 (mm s-1 of flux per mm of head difference). Ryel's
!! C_RT = 0.097 cm MPa-1 h-1 is 2.642e-9 s-1 in these units.
!!
!! Errors: a non-zero ierr with a one-sentence errmsg naming the argument and
!! the (1-based) column and layer. The module never stops the program and
!! holds no state.
module HydraulicRedistributionMod

  use shr_kind_mod,    only: r8 => shr_kind_r8
  use ieee_arithmetic, only: ieee_is_finite
  use shr_strconvert_mod, only: toString

  implicit none
  private

  public :: HydraulicRedistribution   ! pairwise Ryel HR flux for (ncol, nlev)
  public :: HRNightSwitch             ! the switch D from transpiration and/or absorbed shortwave
  public :: hr_conductance            ! relative soil-root conductance c(psi)

  ! which root fraction is R_x
  integer, parameter, public :: hr_rx_source = 1   !< R_x = root fraction of the source (wetter) layer
  integer, parameter, public :: hr_rx_max    = 2   !< R_x = max(R_i, R_j)
  ! layer-thickness correction
  integer, parameter, public :: hr_thick_none     = 0  !< root fractions used as given
  integer, parameter, public :: hr_thick_soilwat2 = 1  !< R_recipient * dz_source/dz_recipient if source thinner
  ! night switch rules
  integer, parameter, public :: hr_night_qvegt = 1  !< D = 1 when transpiration < threshold
  integer, parameter, public :: hr_night_sabv  = 2  !< D = 1 when absorbed shortwave < threshold
  integer, parameter, public :: hr_night_both  = 3  !< D = 1 when both are below their thresholds

  ! Root fractions of a column must sum to one within this tolerance [-]
  real(r8), parameter, public :: hr_rootfr_sum_tol = 1.e-6_r8

contains

  !-----------------------------------------------------------------------
  !> Relative soil-root conductance, Ryel et al. (2002) eq. 7 [-].
  !! psi and psi50 in the same units (both negative); b > 0.
  elemental function hr_conductance(psi, psi50, b) result(c)
    real(r8), intent(in) :: psi    !< soil matric potential [mm]
    real(r8), intent(in) :: psi50  !< potential at which c = 0.5 [mm]
    real(r8), intent(in) :: b      !< shape parameter [-]
    real(r8) :: c
    ! (psi/psi50)**b as exp(b ln(psi/psi50)), half the cost of pow; psi = 0 gives c = 1
    c = 1._r8 / (1._r8 + exp(b * log(psi / psi50)))
  end function hr_conductance

  !-----------------------------------------------------------------------
  !> Night / low-transpiration switch D per column [0 or 1].
  subroutine HRNightSwitch(qvegt, sabv, rule, qvegt_max, sabv_max, night, ierr, errmsg)
    real(r8), intent(in)  :: qvegt(:)    !< canopy transpiration (ncol) [mm s-1]
    real(r8), intent(in)  :: sabv(:)     !< shortwave absorbed by vegetation (ncol) [W m-2]
    integer,  intent(in)  :: rule        !< hr_night_qvegt, hr_night_sabv or hr_night_both
    real(r8), intent(in)  :: qvegt_max   !< transpiration below which HR runs [mm s-1]
    real(r8), intent(in)  :: sabv_max    !< absorbed shortwave below which HR runs [W m-2]
    real(r8), intent(out) :: night(:)    !< D (ncol) [-]
    integer,  intent(out) :: ierr        !< 0 on success
    character(len=*), intent(out) :: errmsg
    integer :: c

    ierr = 0
    errmsg = ''
    night = 0._r8
    if (rule < hr_night_qvegt .or. rule > hr_night_both) then
       ierr = 1
       errmsg = 'night_rule = ' // toString(rule) // &
            ' is not valid: use 1 (transpiration), 2 (absorbed shortwave) or 3 (both)'
       return
    end if
    do c = 1, size(night)
       if (.not. (ieee_is_finite(qvegt(c)) .and. ieee_is_finite(sabv(c)))) then
          ierr = 1
          errmsg = 'qvegt = ' // toString(qvegt(c)) // ', sabv = ' // toString(sabv(c)) // &
               ' at column ' // toString(c) // ' are not valid: both must be finite'
          return
       end if
       select case (rule)
       case (hr_night_qvegt)
          if (qvegt(c) < qvegt_max) night(c) = 1._r8
       case (hr_night_sabv)
          if (sabv(c) < sabv_max) night(c) = 1._r8
       case (hr_night_both)
          if (qvegt(c) < qvegt_max .and. sabv(c) < sabv_max) night(c) = 1._r8
       end select
    end do
  end subroutine HRNightSwitch

  !-----------------------------------------------------------------------
  !> Ryel et al. (2002) HR flux into every layer of every column.
  !!
  !! Limiter: for each layer, the total it would give away in one step
  !! (sum of outgoing pair fluxes * dtime) may not exceed h2o_avail, and the
  !! total it would receive may not exceed h2o_room. Where a bound would be
  !! crossed, all outgoing (or incoming) pair fluxes of that layer are scaled
  !! down by one common factor; a pair is scaled by the smaller factor of its
  !! source and recipient. Because fluxes are only ever scaled down, one pass
  !! guarantees both bounds (gross, not net, limits: stricter than SOILWAT2's
  !! iterated net limiter, and free of its convergence failure). Pair
  !! antisymmetry is kept, so sum_i qhr_i = 0 to round-off.
  subroutine HydraulicRedistribution(psi, rootfr, dz, night, crt, psi50, hr_b, &
       rx_rule, thick_rule, top_layer, active, h2o_avail, h2o_room, dtime,     &
       qhr, ierr, ecol, elev, errmsg, hr_kpair, check)
    real(r8), intent(in)  :: psi(:,:)       !< soil matric potential (ncol, nlev) [mm], <= 0
    real(r8), intent(in)  :: rootfr(:,:)    !< active root fraction (ncol, nlev) [-], sums to 1
    real(r8), intent(in)  :: dz(:,:)        !< layer thickness (ncol, nlev) [mm], > 0
    real(r8), intent(in)  :: night(:)       !< switch D (ncol) [-], in [0, 1]
    real(r8), intent(in)  :: crt(:)         !< whole-root-system conductance C_RT (ncol) [s-1], >= 0
    real(r8), intent(in)  :: psi50(:)       !< potential of half conductance (ncol) [mm], < 0
    real(r8), intent(in)  :: hr_b(:)        !< conductance shape parameter b (ncol) [-], > 0
    integer,  intent(in)  :: rx_rule        !< hr_rx_source or hr_rx_max
    integer,  intent(in)  :: thick_rule     !< hr_thick_none or hr_thick_soilwat2
    integer,  intent(in)  :: top_layer      !< 1: layer 1 takes part; 0: it does not
    integer,  intent(in)  :: active(:,:)    !< 1: layer may exchange water; 0: excluded (ncol, nlev)
    real(r8), intent(in)  :: h2o_avail(:,:) !< water a layer may lose this step (ncol, nlev) [mm], >= 0 (+Inf: no bound)
    real(r8), intent(in)  :: h2o_room(:,:)  !< water a layer may gain this step (ncol, nlev) [mm], >= 0 (+Inf: no bound)
    real(r8), intent(in)  :: dtime          !< time step [s], > 0
    real(r8), intent(out), contiguous :: qhr(:,:)  !< HR flux into each layer (ncol, nlev) [mm s-1]
    integer,  intent(out) :: ierr           !< 0 on success, 1 on bad input
    integer,  intent(out) :: ecol, elev     !< column and layer of the bad input (0 if n/a)
    character(len=*), intent(out) :: errmsg
    !> Optional: effective conductance of each layer pair after the limiter
    !! (ncol, nlev, nlev) [s-1], symmetric, zero on the diagonal, such that
    !! qhr(c,i) = sum_j hr_kpair(c,i,j) * (psi(c,j) - psi(c,i)). A soil-water
    !! solver uses it to treat HR implicitly (SoilWaterMovementMod).
    real(r8), intent(out), optional, contiguous :: hr_kpair(:,:,:)
    !> Optional: .false. skips the input checks, for a caller (such as the
    !! column model) whose inputs are valid by construction. Default .true.
    logical,  intent(in),  optional :: check

    ! one column's layers, copied to contiguous local vectors
    real(r8), dimension(size(psi,2)) :: ps, rf, dzl, cond, qout, qin, lim_out, lim_in
    logical  :: takes_part(size(psi,2))
    real(r8) :: kbase(size(psi,2) * (size(psi,2) - 1) / 2)   ! unlimited pair conductance [s-1]
    integer  :: src(size(psi,2) * (size(psi,2) - 1) / 2)     ! source layer of each pair
    real(r8), dimension(size(psi,2)) :: inv_1mr, inv_r       ! 1 / (1 - R), 1 / R per layer [-]
    real(r8) :: q, kpq, rsrc, rrec, rinv, rfrac                ! [mm s-1], [s-1], root fractions [-]
    integer  :: ncol, nlev, c, i, j, k, p, isrc, irec
    logical  :: limited                                          ! a bound cuts some flux

    ncol = size(psi, 1)
    nlev = size(psi, 2)
    ierr = 0; ecol = 0; elev = 0; errmsg = ''
    if (present(check)) then
       if (check) call check_inputs()
    else
       call check_inputs()
    end if
    if (ierr /= 0) then
       qhr = 0._r8
       if (present(hr_kpair)) hr_kpair = 0._r8
       return
    end if

    ! every element of qhr and hr_kpair is written once per column below
    ! (zeroing the whole arrays first costs as much as the pair loops)
    do c = 1, ncol
       do k = 1, nlev
          qhr(c,k) = 0._r8
       end do
       if (present(hr_kpair)) then
          do k = 1, nlev
             hr_kpair(c,k,k) = 0._r8
          end do
       end if
       if (night(c) <= 0._r8 .or. crt(c) <= 0._r8) then
          if (present(hr_kpair)) then
             do j = 2, nlev
                do i = 1, j - 1
                   hr_kpair(c,i,j) = 0._r8
                   hr_kpair(c,j,i) = 0._r8
                end do
             end do
          end if
          cycle
       end if
       do k = 1, nlev
          ps(k) = psi(c,k)
          rf(k) = rootfr(c,k)
          dzl(k) = dz(c,k)
          takes_part(k) = active(c,k) /= 0 .and. rf(k) > 0._r8
       end do
       if (top_layer == 0) takes_part(1) = .false.
       cond = hr_conductance(ps, psi50(c), hr_b(c))
       do k = 1, nlev
          inv_1mr(k) = huge(1._r8)                          ! all roots in this layer
          if (rf(k) < 1._r8) inv_1mr(k) = 1._r8 / (1._r8 - rf(k))
          inv_r(k) = huge(1._r8)                            ! no roots: the layer takes no part
          if (rf(k) > 0._r8) inv_r(k) = 1._r8 / rf(k)
       end do

       ! pass 1: every pair's unlimited flux, and the gross flux of each layer.
       ! kbase(p) is the pair's conductance before the limiter [s-1], so that
       ! its flux is kbase(p) * (psi_source - psi_recipient)
       qout = 0._r8
       qin = 0._r8
       p = 0
       do j = 2, nlev
          if (.not. takes_part(j)) then
             kbase(p+1:p+j-1) = 0._r8
             p = p + j - 1
             cycle
          end if
          do i = 1, j - 1
             p = p + 1
             kbase(p) = 0._r8
             if (.not. takes_part(i) .or. ps(i) == ps(j)) cycle
             if (ps(j) > ps(i)) then
                isrc = j; irec = i
             else
                isrc = i; irec = j
             end if
             src(p) = isrc
             rsrc = rf(isrc)
             rrec = rf(irec)
             ! R_source R_recipient / (1 - R_x), with 1 - R_x floored at the
             ! partner's fraction (it is never smaller when the column sums to
             ! one; the floor keeps all roots in one layer finite), as
             ! R_x * (R_partner * min(1 / (1 - R_x), 1 / R_partner)): the
             ! bracket is <= 1, so no intermediate product underflows
             if (rx_rule == hr_rx_source .or. rsrc >= rrec) then
                rinv = min(inv_1mr(isrc), inv_r(irec))     ! R_x = R_source
                rfrac = rsrc * (rrec * rinv)
             else
                rinv = min(inv_1mr(irec), inv_r(isrc))     ! R_x = max(R_i, R_j) = R_recipient
                rfrac = rrec * (rsrc * rinv)
             end if
             if (thick_rule == hr_thick_soilwat2 .and. dzl(isrc) < dzl(irec)) &
                  rfrac = rfrac * dzl(isrc) / dzl(irec)     ! R_recipient scaled by dz_source / dz_recipient
             kbase(p) = crt(c) * max(cond(i), cond(j)) * rfrac * night(c)
             q = kbase(p) * (ps(isrc) - ps(irec))
             qout(isrc) = qout(isrc) + q
             qin(irec) = qin(irec) + q
          end do
       end do

       ! limiter: one factor per layer on its outgoing and on its incoming fluxes
       limited = .false.
       do k = 1, nlev
          lim_out(k) = 1._r8
          lim_in(k) = 1._r8
          if (qout(k) * dtime > h2o_avail(c,k)) lim_out(k) = h2o_avail(c,k) / (qout(k) * dtime)
          if (qin(k) * dtime > h2o_room(c,k)) lim_in(k) = h2o_room(c,k) / (qin(k) * dtime)
          limited = limited .or. lim_out(k) < 1._r8 .or. lim_in(k) < 1._r8
       end do

       if (.not. limited) then
          ! no bound is hit (the usual case): the net fluxes of pass 1 stand
          do k = 1, nlev
             qhr(c,k) = qin(k) - qout(k)
          end do
          if (present(hr_kpair)) then
             p = 0
             do j = 2, nlev
                do i = 1, j - 1
                   p = p + 1
                   hr_kpair(c, i, j) = kbase(p)
                   hr_kpair(c, j, i) = kbase(p)
                end do
             end do
          end if
          cycle
       end if

       ! pass 2: limited pair fluxes, net flux per layer, pair conductances
       p = 0
       do j = 2, nlev
          do i = 1, j - 1
             p = p + 1
             if (kbase(p) <= 0._r8) then
                if (present(hr_kpair)) then
                   hr_kpair(c, i, j) = 0._r8
                   hr_kpair(c, j, i) = 0._r8
                end if
                cycle
             end if
             isrc = src(p)
             irec = i + j - isrc
             kpq = kbase(p) * min(lim_out(isrc), lim_in(irec))
             q = kpq * (ps(isrc) - ps(irec))
             qhr(c, isrc) = qhr(c, isrc) - q
             qhr(c, irec) = qhr(c, irec) + q
             if (present(hr_kpair)) then
                hr_kpair(c, i, j) = kpq
                hr_kpair(c, j, i) = kpq
             end if
          end do
       end do
    end do

  contains

    !> Sets ierr, ecol, elev and errmsg for the first bad input found.
    subroutine check_inputs()
      integer :: cc, k
      ierr = 0
      ecol = 0
      elev = 0
      errmsg = ''
      if (size(rootfr,1) /= ncol .or. size(rootfr,2) /= nlev .or.          &
          size(dz,1) /= ncol .or. size(dz,2) /= nlev .or.                  &
          size(active,1) /= ncol .or. size(active,2) /= nlev .or.          &
          size(h2o_avail,1) /= ncol .or. size(h2o_avail,2) /= nlev .or.    &
          size(h2o_room,1) /= ncol .or. size(h2o_room,2) /= nlev .or.      &
          size(qhr,1) /= ncol .or. size(qhr,2) /= nlev .or.                &
          size(night) /= ncol .or. size(crt) /= ncol .or.                  &
          size(psi50) /= ncol .or. size(hr_b) /= ncol) then
         ierr = 1
         errmsg = 'array arguments disagree in shape; all layer arrays must be (ncol, nlev) ' // &
              'and night, crt, psi50, hr_b must have ncol elements'
         return
      end if
      if (present(hr_kpair)) then
         if (size(hr_kpair,1) /= ncol .or. size(hr_kpair,2) /= nlev .or. size(hr_kpair,3) /= nlev) then
            ierr = 1
            errmsg = 'hr_kpair must be (ncol, nlev, nlev)'
            return
         end if
      end if
      if (rx_rule /= hr_rx_source .and. rx_rule /= hr_rx_max) then
         call fail(0, 0, 'rx_rule', real(rx_rule, r8), 'use 1 (source layer, SOILWAT2) or 2 (max of the pair, CABLE)')
         return
      end if
      if (thick_rule /= hr_thick_none .and. thick_rule /= hr_thick_soilwat2) then
         call fail(0, 0, 'thick_rule', real(thick_rule, r8), 'use 0 (none) or 1 (SOILWAT2 thickness correction)')
         return
      end if
      if (top_layer /= 0 .and. top_layer /= 1) then
         call fail(0, 0, 'top_layer', real(top_layer, r8), 'use 0 (layer 1 excluded) or 1 (layer 1 takes part)')
         return
      end if
      if (.not. (ieee_is_finite(dtime) .and. dtime > 0._r8)) then
         call fail(0, 0, 'dtime', dtime, 'it must be a finite number of seconds > 0')
         return
      end if
      do cc = 1, ncol
         if (.not. (ieee_is_finite(crt(cc)) .and. crt(cc) >= 0._r8)) then
            call fail(cc, 0, 'crt', crt(cc), 'it must be finite and >= 0 s-1')
            return
         end if
         if (.not. (ieee_is_finite(psi50(cc)) .and. psi50(cc) < 0._r8)) then
            call fail(cc, 0, 'psi50', psi50(cc), 'it must be finite and < 0 mm')
            return
         end if
         if (.not. (ieee_is_finite(hr_b(cc)) .and. hr_b(cc) > 0._r8)) then
            call fail(cc, 0, 'b', hr_b(cc), 'it must be finite and > 0')
            return
         end if
         if (.not. (ieee_is_finite(night(cc)) .and. night(cc) >= 0._r8 .and. night(cc) <= 1._r8)) then
            call fail(cc, 0, 'night', night(cc), 'the switch D must lie in [0, 1]')
            return
         end if
      end do
      do k = 1, nlev
         do cc = 1, ncol
            if (.not. (ieee_is_finite(psi(cc,k)) .and. psi(cc,k) <= 0._r8)) then
               call fail(cc, k, 'psi', psi(cc,k), 'soil matric potential must be finite and <= 0 mm')
               return
            end if
            if (.not. (ieee_is_finite(rootfr(cc,k)) .and. rootfr(cc,k) >= 0._r8 .and. rootfr(cc,k) <= 1._r8)) then
               call fail(cc, k, 'rootfr', rootfr(cc,k), 'root fractions must be finite and within [0, 1]')
               return
            end if
            if (.not. (ieee_is_finite(dz(cc,k)) .and. dz(cc,k) > 0._r8)) then
               call fail(cc, k, 'dz', dz(cc,k), 'layer thickness must be finite and > 0 mm')
               return
            end if
            if (active(cc,k) /= 0 .and. active(cc,k) /= 1) then
               call fail(cc, k, 'active', real(active(cc,k), r8), 'use 0 (excluded) or 1 (takes part)')
               return
            end if
            if (.not. (h2o_avail(cc,k) >= 0._r8)) then   ! NaN fails too; +Inf = unbounded
               call fail(cc, k, 'h2o_avail', h2o_avail(cc,k), 'it must be >= 0 mm (+Inf for no bound)')
               return
            end if
            if (.not. (h2o_room(cc,k) >= 0._r8)) then    ! NaN fails too; +Inf = unbounded
               call fail(cc, k, 'h2o_room', h2o_room(cc,k), 'it must be >= 0 mm (+Inf for no bound)')
               return
            end if
         end do
      end do
      do cc = 1, ncol
         if (abs(sum(rootfr(cc,:)) - 1._r8) > hr_rootfr_sum_tol) then
            call fail(cc, 0, 'sum(rootfr)', sum(rootfr(cc,:)), 'root fractions of a column must sum to 1 within 1e-6')
            return
         end if
      end do
    end subroutine check_inputs

    !> One sentence: what is wrong, where (1-based column, layer), what is valid.
    subroutine fail(cc, k, name, value, valid)
      integer,          intent(in) :: cc, k
      character(len=*), intent(in) :: name, valid
      real(r8),         intent(in) :: value
      character(len=64) :: loc
      ierr = 1
      ecol = cc
      elev = k
      if (cc > 0 .and. k > 0) then
         loc = ' at column ' // toString(cc) // ', layer ' // toString(k)
      else if (cc > 0) then
         loc = ' at column ' // toString(cc)
      else
         loc = ''
      end if
      errmsg = name // ' = ' // toString(value) // trim(loc) // ' is not valid: ' // valid
    end subroutine fail

  end subroutine HydraulicRedistribution

end module HydraulicRedistributionMod
