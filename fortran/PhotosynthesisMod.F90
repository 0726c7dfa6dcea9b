!> CLM4.5 leaf photosynthesis and stomatal conductance for one big leaf
!! (sunlit or shaded), as a standalone module.
!!
!! Follows the CLM4.5 Technical Note (Oleson et al. 2013, NCAR/TN-503+STR,
!! chapter 8 "Stomatal resistance and photosynthesis", as published in
!! ESCOMP/CTSM doc/source/tech_note/CHAPTER_8/CLM45_Tech_Note_Chpt_8_Photosynthesis.rst)
!! and the CLM4.5 source (CanopyFluxesMod.F90, subroutines Photosynthesis,
!! ci_func, hybrid, brent, quadratic; SurfaceAlbedoMod.F90 TwoStream for the
!! sun/shade Vcmax scaling; CanopyFluxes for the day-length factor), read in
!! the CESM1.2-era copy kept in E3SM-Project/E3SM (models/lnd/clm/src/clm4_5)
!! and in the RegCM port (ICTP/RegCM Main/clmlib/clm4.5/mod_clm_canopyfluxes.F90).
!! Equation numbers below are those of the CLM4.5 Technical Note, chapter 8.
!!
!! Units are CLM's: partial pressures in Pa, photosynthetic rates in
!! umol CO2 m-2 (leaf) s-1, conductances inside the solver in umol H2O m-2 s-1,
!! resistances returned in s m-1, temperatures in K.
!!
!! What CLM4.5 does here that the bare Collatz/Farquhar equations do not:
!!  * Kattge & Knorr (2007) temperature acclimation of Vcmax, Jmax and TPU
!!    (Tech Note eqs. 8.15-8.16), which needs the 10-day mean air temperature t10.
!!  * Tp25 = 0.167 Vcmax25, Rd25 = 0.015 (C3) / 0.025 (C4) Vcmax25 (satellite-
!!    phenology, i.e. non-CN, branch of CLM4.5), kp25 = 20000 Vcmax25 (C4).
!!  * Vcmax25 and everything derived from it is multiplied by the day-length
!!    factor (eq. 8.24); Vcmax and Rd are multiplied by btran (section 8.5).
!!  * ci is found with the hybrid secant/Brent solver of Sun et al. (2012)
!!    (CLM4.5 'hybrid'; relative tolerance 1e-2 on ci, |f| <= 1e-4 Pa, at most
!!    40 secant steps, Brent at most 20 steps); not a fixed number of iterations.
!!
!! Deviations from the CLM4.5 code (all for robustness, none changes a
!! converged answer): the solver never divides by a zero secant slope (it stops
!! at the best point so far); its fallback picks the smallest |f| (CLM compares
!! signed f); after the solver the leaf state is recomputed once at the ci it
!! returns, so psn, rs and ci are mutually consistent; Aj is set to 0 when
!! ci <= Gamma* without evaluating 0/0; inputs are checked and reported through
!! ierr/errmsg instead of stopping.
module PhotosynthesisMod

  use shr_kind_mod,       only: r8 => shr_kind_r8
  use ieee_arithmetic,    only: ieee_is_finite
  use shr_strconvert_mod, only: toString
  use clm_varcon,         only: tfrz, rgas

  implicit none
  private

  public :: Photosynthesis, LeafRates, CanopyNitrogenScaling, Vcmax25Top, DaylFactor

  real(r8), parameter, public :: rsmax0   = 2.e4_r8   !< maximum stomatal resistance [s m-1] (CLM4.5 rsmax0)
  real(r8), parameter, public :: kn_clm45 = 0.30_r8   !< leaf N decay coefficient of the big-leaf scaling [-]
                                                      !! (Tech Note 8.3: "The model uses Kn = 0.30"; SurfaceAlbedoMod extkn)

  ! Vcmax25 from leaf nitrogen (Tech Note eq. 8.17)
  real(r8), parameter :: fnr   = 7.16_r8              ! g Rubisco / g N in Rubisco
  real(r8), parameter :: act25 = 3.6_r8 * 1000._r8 / 60._r8   ! Rubisco activity at 25 C: 3.6 umol/mg/min = 60 umol g-1 s-1

  ! Kc, Ko, Gamma* at 25 C (Bernacchi et al. 2001; Tech Note 8.2)
  real(r8), parameter :: kc25_frac = 404.9e-6_r8      ! Kc25 / pbot [-]
  real(r8), parameter :: ko25_frac = 278.4e-3_r8      ! Ko25 / pbot [-]
  ! CLM4.5 derives the Rubisco specificity from Gamma*25 = 42.75 umol/mol at
  ! O2 = 0.209 mol/mol and recomputes Gamma*25 = 0.5 oair / sco
  real(r8), parameter :: sco = 0.5_r8 * 0.209_r8 / (42.75e-6_r8)

  ! Activation energies [J mol-1] (Table 8.2, and 8.15 text for the acclimated set)
  real(r8), parameter :: kcha = 79430._r8, koha = 36380._r8, cpha = 37830._r8
  real(r8), parameter :: vcmaxha = 72000._r8, jmaxha = 50000._r8, tpuha = 72000._r8  ! acclimated (Kattge & Knorr)
  real(r8), parameter :: lmrha = 46390._r8
  ! Deactivation energies [J mol-1] and entropy [J mol-1 K-1]
  real(r8), parameter :: vcmaxhd = 200000._r8, jmaxhd = 200000._r8, tpuhd = 200000._r8  ! acclimated
  real(r8), parameter :: lmrhd = 150650._r8, lmrse = 490._r8

  ! Electron transport and co-limitation (Tech Note 8.6-8.8)
  real(r8), parameter :: fnps = 0.15_r8          ! fraction of light absorbed by non-photosynthetic pigments (Phi_PSII = 0.85)
  real(r8), parameter :: theta_psii = 0.7_r8     ! curvature of electron transport
  real(r8), parameter :: theta_ip = 0.95_r8      ! co-limitation of Ai and Ap
  real(r8), parameter :: theta_cj_c3 = 0.98_r8, theta_cj_c4 = 0.80_r8
  real(r8), parameter :: qe_c4 = 0.05_r8         ! C4 quantum efficiency [mol CO2 mol-1 photon]
  real(r8), parameter :: par_to_ppfd = 4.6_r8    ! umol photons J-1

  ! Bounds of the argument checks
  real(r8), parameter :: tmin_ok = 150._r8, tmax_ok = 400._r8   ! [K]

  !> Everything the ci solver needs for one leaf (internal).
  type :: leaf_t
     logical  :: c3
     real(r8) :: vcmax, je, tpu, kp, kc, ko, cp, lmr, apar
     real(r8) :: oair, cair, pbot, gb_mol, rh_can, mbb, bbb, theta_cj
  end type leaf_t

contains

  !-----------------------------------------------------------------------
  ! Temperature functions (Tech Note eqs. 8.10, 8.11)
  !-----------------------------------------------------------------------
  pure real(r8) function ft(tl, ha)
    real(r8), intent(in) :: tl, ha
    ft = exp(ha / (rgas * 1.e-3_r8 * (tfrz + 25._r8)) * (1._r8 - (tfrz + 25._r8) / tl))
  end function ft

  pure real(r8) function fth(tl, hd, se, cc)
    real(r8), intent(in) :: tl, hd, se, cc
    fth = cc / (1._r8 + exp((-hd + se * tl) / (rgas * 1.e-3_r8 * tl)))
  end function fth

  pure real(r8) function fth25(hd, se)
    real(r8), intent(in) :: hd, se
    fth25 = 1._r8 + exp((-hd + se * (tfrz + 25._r8)) / (rgas * 1.e-3_r8 * (tfrz + 25._r8)))
  end function fth25

  !> Roots of a x**2 + b x + c = 0 (Numerical Recipes form, as CLM's quadratic);
  !! a /= 0 always here; a negative discriminant (round-off only) counts as 0.
  pure subroutine quadratic(a, b, c, r1, r2)
    real(r8), intent(in)  :: a, b, c
    real(r8), intent(out) :: r1, r2
    real(r8) :: q, d
    d = sqrt(max(b * b - 4._r8 * a * c, 0._r8))
    if (b >= 0._r8) then
       q = -0.5_r8 * (b + d)
    else
       q = -0.5_r8 * (b - d)
    end if
    r1 = q / a
    if (q /= 0._r8) then
       r2 = c / q
    else
       r2 = 1.e36_r8
    end if
  end subroutine quadratic

  !-----------------------------------------------------------------------
  !> Leaf parameters at leaf temperature (Tech Note 8.2, 8.5; CLM4.5 non-CN branch).
  !-----------------------------------------------------------------------
  pure subroutine leaf_parameters(c3, vcmax25, btran, dayl_factor, apar, tl, t10, oair, pbot, lf)
    logical,  intent(in) :: c3
    real(r8), intent(in) :: vcmax25, btran, dayl_factor, apar, tl, t10, oair, pbot
    type(leaf_t), intent(inout) :: lf
    real(r8) :: v25, t10c, vcmaxse, jmaxse, jmax, qabs, r1, r2, q10fac

    lf%c3 = c3
    lf%apar = apar
    lf%oair = oair
    lf%pbot = pbot
    if (c3) then
       lf%theta_cj = theta_cj_c3
    else
       lf%theta_cj = theta_cj_c4
    end if
    ! Kc, Ko, Gamma* (8.9 with 8.10); Gamma*25 from oair via sco (CLM4.5 code)
    lf%kc = kc25_frac * pbot * ft(tl, kcha)
    lf%ko = ko25_frac * pbot * ft(tl, koha)
    lf%cp = 0.5_r8 * oair / sco * ft(tl, cpha)

    ! Vcmax25 of this leaf including CLM4.5's day-length factor (8.24)
    v25 = vcmax25 * dayl_factor
    q10fac = 2._r8**((tl - (tfrz + 25._r8)) / 10._r8)

    ! Leaf respiration: Rd25 = 0.015 Vcmax25 (C3), 0.025 Vcmax25 (C4) (8.2 text);
    ! C3 temperature response 8.9-8.11 (Table 8.2), C4 8.13
    if (c3) then
       lf%lmr = 0.015_r8 * v25 * ft(tl, lmrha) * fth(tl, lmrhd, lmrse, fth25(lmrhd, lmrse))
    else
       lf%lmr = 0.025_r8 * v25 * q10fac / (1._r8 + exp(1.3_r8 * (tl - (tfrz + 55._r8))))
    end if

    if (apar <= 0._r8) then
       lf%vcmax = 0._r8
       lf%tpu = 0._r8
       lf%kp = 0._r8
       lf%je = 0._r8
    else
       ! Acclimation to the 10-day mean temperature, 11-35 C (8.15, 8.16)
       t10c = min(max(t10 - tfrz, 11._r8), 35._r8)
       vcmaxse = 668.39_r8 - 1.07_r8 * t10c
       jmaxse  = 659.70_r8 - 0.75_r8 * t10c
       if (c3) then
          lf%vcmax = v25 * ft(tl, vcmaxha) * fth(tl, vcmaxhd, vcmaxse, fth25(vcmaxhd, vcmaxse))
       else
          ! C4 Vcmax (8.12): Q10 = 2, high (s1 = 0.3, s2 = 313.15 K) and low (s3 = 0.2, s4 = 288.15 K) inhibition
          lf%vcmax = v25 * q10fac / (1._r8 + exp(0.2_r8 * ((tfrz + 15._r8) - tl))) &
               / (1._r8 + exp(0.3_r8 * (tl - (tfrz + 40._r8))))
       end if
       jmax = (2.59_r8 - 0.035_r8 * t10c) * v25 * ft(tl, jmaxha) * fth(tl, jmaxhd, jmaxse, fth25(jmaxhd, jmaxse))
       ! Tp acclimates as Vcmax (8.15 text: tpuse = vcmaxse)
       lf%tpu = 0.167_r8 * v25 * ft(tl, tpuha) * fth(tl, tpuhd, vcmaxse, fth25(tpuhd, vcmaxse))
       lf%kp = 20000._r8 * v25 * q10fac                      ! (8.14)
       ! Electron transport (8.6, 8.7): smaller root of theta J^2 - (I + Jmax) J + I Jmax = 0
       qabs = 0.5_r8 * (1._r8 - fnps) * apar * par_to_ppfd
       call quadratic(theta_psii, -(qabs + jmax), qabs * jmax, r1, r2)
       lf%je = min(r1, r2)
    end if
    ! Soil water stress on Vcmax and Rd (section 8.5)
    lf%vcmax = lf%vcmax * btran
    lf%lmr = lf%lmr * btran
  end subroutine leaf_parameters

  !> Limiting rates and co-limited gross rate at ci (8.3-8.5, 8.8) [umol CO2 m-2 s-1].
  pure subroutine gross_rates(lf, ci, ac, aj, ap, ag)
    type(leaf_t), intent(in) :: lf
    real(r8), intent(in)  :: ci
    real(r8), intent(out) :: ac, aj, ap, ag
    real(r8) :: ai, r1, r2
    if (lf%c3) then
       ac = lf%vcmax * max(ci - lf%cp, 0._r8) / (ci + lf%kc * (1._r8 + lf%oair / lf%ko))
       if (ci > lf%cp) then
          aj = lf%je * (ci - lf%cp) / (4._r8 * ci + 8._r8 * lf%cp)
       else
          aj = 0._r8
       end if
       ap = 3._r8 * lf%tpu
    else
       ac = lf%vcmax
       aj = qe_c4 * max(lf%apar, 0._r8) * par_to_ppfd
       ap = lf%kp * max(ci, 0._r8) / lf%pbot
    end if
    call quadratic(lf%theta_cj, -(ac + aj), ac * aj, r1, r2)
    ai = min(r1, r2)
    call quadratic(theta_ip, -(ai + ap), ai * ap, r1, r2)
    ag = min(r1, r2)
  end subroutine gross_rates

  !> CLM4.5 ci_func: f(ci) = ci - [ca - An P (1.4 gs + 1.6 gb)/(gb gs)], with gs
  !! from the Ball-Berry quadratic (8.36) at An(ci); f = 0 and gs = b when An < 0.
  pure subroutine ci_func(lf, ci, fval, gs_mol, an, ag)
    type(leaf_t), intent(in) :: lf
    real(r8), intent(in)  :: ci
    real(r8), intent(out) :: fval, gs_mol, an, ag
    real(r8) :: ac, aj, ap, cs, r1, r2
    call gross_rates(lf, ci, ac, aj, ap, ag)
    an = ag - lf%lmr
    if (an < 0._r8) then
       fval = 0._r8
       gs_mol = lf%bbb
       return
    end if
    cs = max(lf%cair - 1.4_r8 / lf%gb_mol * an * lf%pbot, 1.e-6_r8)          ! (8.34)
    call quadratic(cs, cs * (lf%gb_mol - lf%bbb) - lf%mbb * an * lf%pbot, &
         -lf%gb_mol * (cs * lf%bbb + lf%mbb * an * lf%pbot * lf%rh_can), r1, r2)
    gs_mol = max(r1, r2)
    fval = ci - lf%cair + an * lf%pbot * (1.4_r8 * gs_mol + 1.6_r8 * lf%gb_mol) / (lf%gb_mol * gs_mol)  ! (8.37)
  end subroutine ci_func

  !> CLM4.5 'hybrid': secant steps from x0, Brent once a sign change brackets the root.
  pure subroutine solve_ci(lf, x0)
    type(leaf_t), intent(in) :: lf
    real(r8), intent(inout) :: x0
    real(r8), parameter :: eps = 1.e-2_r8, eps1 = 1.e-4_r8
    integer,  parameter :: itmax = 40
    real(r8) :: x1, f0, f1, x, dx, tol, minx, minf, gs, an, ag
    integer :: iter

    call ci_func(lf, x0, f0, gs, an, ag)
    if (f0 == 0._r8) return
    minx = x0
    minf = abs(f0)
    x1 = 0.99_r8 * x0
    call ci_func(lf, x1, f1, gs, an, ag)
    if (f1 == 0._r8) then
       x0 = x1
       return
    end if
    if (abs(f1) < minf) then
       minx = x1
       minf = abs(f1)
    end if
    iter = 0
    do
       iter = iter + 1
       if (f1 == f0) then            ! flat secant: keep the best point (not in CLM)
          x0 = minx
          exit
       end if
       dx = -f1 * (x1 - x0) / (f1 - f0)
       x = x1 + dx
       tol = abs(x) * eps
       if (abs(dx) < tol) then
          x0 = x
          exit
       end if
       x0 = x1
       f0 = f1
       x1 = x
       call ci_func(lf, x1, f1, gs, an, ag)
       if (abs(f1) < minf) then
          minx = x1
          minf = abs(f1)
       end if
       if (abs(f1) <= eps1) then
          x0 = x1
          exit
       end if
       if (f1 * f0 < 0._r8) then
          call brent(lf, x, x0, x1, f0, f1, tol)
          x0 = x
          exit
       end if
       if (iter > itmax) then
          x0 = minx
          exit
       end if
    end do
  end subroutine solve_ci

  !> Brent's method on ci_func between xa and xb (CLM4.5 brent: at most 20 steps,
  !! tolerance 2 * 1e-2 |b| + tol/2).
  pure subroutine brent(lf, x, xa, xb, fa_in, fb_in, tol)
    type(leaf_t), intent(in) :: lf
    real(r8), intent(out) :: x
    real(r8), intent(in)  :: xa, xb, fa_in, fb_in, tol
    integer,  parameter :: itmax = 20
    real(r8), parameter :: eps = 1.e-2_r8
    integer :: iter
    real(r8) :: a, b, c, d, e, fa, fb, fc, p, q, r, s, tol1, xm, gs, an, ag

    a = xa; b = xb; fa = fa_in; fb = fb_in
    c = b; fc = fb
    d = b - a; e = d
    do iter = 1, itmax
       if ((fb > 0._r8 .and. fc > 0._r8) .or. (fb < 0._r8 .and. fc < 0._r8)) then
          c = a; fc = fa
          d = b - a; e = d
       end if
       if (abs(fc) < abs(fb)) then
          a = b; b = c; c = a
          fa = fb; fb = fc; fc = fa
       end if
       tol1 = 2._r8 * eps * abs(b) + 0.5_r8 * tol
       xm = 0.5_r8 * (c - b)
       if (abs(xm) <= tol1 .or. fb == 0._r8) exit
       if (abs(e) >= tol1 .and. abs(fa) > abs(fb)) then
          s = fb / fa
          if (a == c) then
             p = 2._r8 * xm * s
             q = 1._r8 - s
          else
             q = fa / fc
             r = fb / fc
             p = s * (2._r8 * xm * q * (q - r) - (b - a) * (r - 1._r8))
             q = (q - 1._r8) * (r - 1._r8) * (s - 1._r8)
          end if
          if (p > 0._r8) q = -q
          p = abs(p)
          if (2._r8 * p < min(3._r8 * xm * q - abs(tol1 * q), abs(e * q))) then
             e = d
             d = p / q
          else
             d = xm
             e = d
          end if
       else
          d = xm
          e = d
       end if
       a = b
       fa = fb
       if (abs(d) > tol1) then
          b = b + d
       else
          b = b + sign(tol1, xm)
       end if
       call ci_func(lf, b, fb, gs, an, ag)
       if (fb == 0._r8) exit
    end do
    x = b
  end subroutine brent

  !-----------------------------------------------------------------------
  !> Argument check shared by Photosynthesis and LeafRates: ok = .false. and a
  !! one-sentence message for the first bad value.
  !-----------------------------------------------------------------------
  subroutine check(name, x, i, lo, hi, lo_open, ok, errmsg, what)
    character(len=*), intent(in) :: name, what
    real(r8), intent(in) :: x, lo, hi
    integer,  intent(in) :: i
    logical,  intent(in) :: lo_open
    logical,  intent(inout) :: ok
    character(len=*), intent(inout) :: errmsg
    logical :: good
    if (.not. ok) return
    good = ieee_is_finite(x) .and. x <= hi
    if (lo_open) then
       good = good .and. x > lo
    else
       good = good .and. x >= lo
    end if
    if (.not. good) then
       ok = .false.
       errmsg = name // ' = ' // toString(x) // ' at leaf ' // toString(i) // ' is not valid: ' // what
    end if
  end subroutine check

  subroutine check_c3psn(c3psn, i, ok, errmsg)
    real(r8), intent(in) :: c3psn
    integer,  intent(in) :: i
    logical,  intent(inout) :: ok
    character(len=*), intent(inout) :: errmsg
    if (.not. ok) return
    if (.not. (c3psn == 0._r8 .or. c3psn == 1._r8)) then
       ok = .false.
       errmsg = 'c3psn = ' // toString(c3psn) // ' at leaf ' // toString(i) // &
            ' is not valid: give 1 (C3) or 0 (C4)'
    end if
  end subroutine check_c3psn

  !-----------------------------------------------------------------------
  !> CLM4.5 leaf photosynthesis and stomatal resistance of one big leaf
  !! (sunlit OR shaded; CLM4.5 calls it once with phase 'sun', once with 'sha').
  !!
  !! Day (apar > 0): gross rate from the co-limited Collatz/Farquhar rates at
  !! the ci solved with the Ball-Berry model (8.1) and the diffusion equations
  !! (8.31-8.37). Night (apar <= 0): psn = 0, gs = b, ci = 0 (as CLM4.5).
  !-----------------------------------------------------------------------
  subroutine Photosynthesis(c3psn, vcmax25, mbbopt, bbbopt, btran, dayl_factor, apar, tleaf, t10, &
       tgcm, esat_tv, eair, cair, oair, rb, pbot, rs, psn, lmr, ci, ierr, errmsg)
    real(r8), intent(in)  :: c3psn(:)       !< photosynthetic pathway, 1 C3, 0 C4 [-]
    real(r8), intent(in)  :: vcmax25(:)     !< Vcmax at 25 C of this leaf, canopy-scaled (vcmax25top * nscaler),
                                            !! without the day-length factor [umol CO2 m-2 s-1]
    real(r8), intent(in)  :: mbbopt(:)      !< Ball-Berry slope m [-] (CLM4.5: 9 C3, 4 C4)
    real(r8), intent(in)  :: bbbopt(:)      !< Ball-Berry intercept before water stress [umol H2O m-2 s-1] (10000 C3, 40000 C4)
    real(r8), intent(in)  :: btran(:)       !< soil water stress factor [0, 1]
    real(r8), intent(in)  :: dayl_factor(:) !< day-length factor of Vcmax25 (eq. 8.24) [0, 1]
    real(r8), intent(in)  :: apar(:)        !< absorbed PAR per unit leaf area of this leaf [W m-2]
    real(r8), intent(in)  :: tleaf(:)       !< leaf temperature [K]
    real(r8), intent(in)  :: t10(:)         !< 10-day mean 2 m air temperature, for acclimation (8.15-8.16) [K]
    real(r8), intent(in)  :: tgcm(:)        !< air temperature of the umol <-> m s-1 conversion [K] (CLM4.5: thm)
    real(r8), intent(in)  :: esat_tv(:)     !< saturation vapour pressure at tleaf [Pa]
    real(r8), intent(in)  :: eair(:)        !< canopy air vapour pressure [Pa]
    real(r8), intent(in)  :: cair(:)        !< CO2 partial pressure of the (canopy) air [Pa]
    real(r8), intent(in)  :: oair(:)        !< O2 partial pressure [Pa]
    real(r8), intent(in)  :: rb(:)          !< leaf boundary layer resistance [s m-1]
    real(r8), intent(in)  :: pbot(:)        !< atmospheric pressure [Pa]
    real(r8), intent(out) :: rs(:)          !< stomatal resistance [s m-1], <= rsmax0
    real(r8), intent(out) :: psn(:)         !< gross leaf photosynthesis [umol CO2 m-2 s-1]
    real(r8), intent(out) :: lmr(:)         !< leaf maintenance respiration [umol CO2 m-2 s-1]
    real(r8), intent(out) :: ci(:)          !< intercellular CO2 partial pressure [Pa] (0 at night, as CLM4.5)
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    type(leaf_t) :: lf
    integer :: p, n
    logical :: ok
    real(r8) :: cf, ceair, x, fval, gs_mol, an, ag

    ierr = 0
    errmsg = ''
    n = size(c3psn)
    rs = rsmax0
    psn = 0._r8
    lmr = 0._r8
    ci = 0._r8
    ok = .true.
    do p = 1, n
       ! one cheap test of every argument (the leaf iteration calls this often);
       ! the named checks below only run to word the message of a bad value
       if ((c3psn(p) == 0._r8 .or. c3psn(p) == 1._r8) .and. vcmax25(p) >= 0._r8 .and.        &
            vcmax25(p) <= 1.e4_r8 .and. mbbopt(p) >= 0._r8 .and. mbbopt(p) <= 1.e3_r8 .and.   &
            bbbopt(p) >= 0._r8 .and. bbbopt(p) <= 1.e7_r8 .and. btran(p) >= 0._r8 .and.       &
            btran(p) <= 1._r8 .and. dayl_factor(p) >= 0._r8 .and. dayl_factor(p) <= 1._r8 .and. &
            ieee_is_finite(apar(p)) .and. apar(p) <= 1.e4_r8 .and. tleaf(p) >= tmin_ok .and.  &
            tleaf(p) <= tmax_ok .and. t10(p) >= tmin_ok .and. t10(p) <= tmax_ok .and.         &
            tgcm(p) >= tmin_ok .and. tgcm(p) <= tmax_ok .and. esat_tv(p) > 0._r8 .and.        &
            esat_tv(p) <= 1.e6_r8 .and. eair(p) >= 0._r8 .and. eair(p) <= 1.e6_r8 .and.       &
            cair(p) > 0._r8 .and. cair(p) <= 1.e5_r8 .and. oair(p) >= 0._r8 .and.             &
            oair(p) <= 1.e6_r8 .and. rb(p) > 0._r8 .and. rb(p) <= 1.e8_r8 .and.               &
            pbot(p) >= 1.e3_r8 .and. pbot(p) <= 2.e5_r8) cycle
       call check_c3psn(c3psn(p), p, ok, errmsg)
       call check('vcmax25', vcmax25(p), p, 0._r8, 1.e4_r8, .false., ok, errmsg, 'give 0 to 1e4 umol m-2 s-1')
       call check('mbbopt', mbbopt(p), p, 0._r8, 1.e3_r8, .false., ok, errmsg, 'give 0 to 1e3')
       call check('bbbopt', bbbopt(p), p, 0._r8, 1.e7_r8, .false., ok, errmsg, 'give 0 to 1e7 umol m-2 s-1')
       call check('btran', btran(p), p, 0._r8, 1._r8, .false., ok, errmsg, 'give a value in [0, 1]')
       call check('dayl_factor', dayl_factor(p), p, 0._r8, 1._r8, .false., ok, errmsg, 'give a value in [0, 1]')
       call check('apar', apar(p), p, -huge(1._r8), 1.e4_r8, .false., ok, errmsg, 'give a finite value <= 1e4 W m-2')
       call check('tleaf', tleaf(p), p, tmin_ok, tmax_ok, .false., ok, errmsg, 'give 150 to 400 K')
       call check('t10', t10(p), p, tmin_ok, tmax_ok, .false., ok, errmsg, 'give 150 to 400 K')
       call check('tgcm', tgcm(p), p, tmin_ok, tmax_ok, .false., ok, errmsg, 'give 150 to 400 K')
       call check('esat_tv', esat_tv(p), p, 0._r8, 1.e6_r8, .true., ok, errmsg, 'give a value > 0 Pa')
       call check('eair', eair(p), p, 0._r8, 1.e6_r8, .false., ok, errmsg, 'give a value >= 0 Pa')
       call check('cair', cair(p), p, 0._r8, 1.e5_r8, .true., ok, errmsg, 'give a value > 0 Pa')
       call check('oair', oair(p), p, 0._r8, 1.e6_r8, .false., ok, errmsg, 'give a value >= 0 Pa')
       call check('rb', rb(p), p, 0._r8, 1.e8_r8, .true., ok, errmsg, 'give a value > 0 s m-1')
       call check('pbot', pbot(p), p, 1.e3_r8, 2.e5_r8, .false., ok, errmsg, 'give 1e3 to 2e5 Pa')
       if (.not. ok) then
          ierr = 1
          return
       end if
    end do

    do p = 1, n
       call leaf_parameters(nint(c3psn(p)) == 1, vcmax25(p), btran(p), dayl_factor(p), apar(p), &
            tleaf(p), t10(p), oair(p), pbot(p), lf)
       lmr(p) = lf%lmr
       ! umol m-3 of air: gs [m s-1] = gs_mol / cf (8.1 text)
       cf = pbot(p) / (rgas * 1.e-3_r8 * tgcm(p)) * 1.e6_r8
       lf%bbb = max(bbbopt(p) * btran(p), 1._r8)
       lf%mbb = mbbopt(p)
       lf%gb_mol = cf / rb(p)
       lf%cair = cair(p)
       if (apar(p) <= 0._r8) then
          psn(p) = 0._r8
          rs(p) = min(rsmax0, cf / lf%bbb)
          ci(p) = 0._r8
          cycle
       end if
       ceair = min(eair(p), esat_tv(p))
       lf%rh_can = ceair / esat_tv(p)
       ! initial guess, then CLM4.5's hybrid solver for ci
       if (lf%c3) then
          x = 0.7_r8 * cair(p)
       else
          x = 0.4_r8 * cair(p)
       end if
       call solve_ci(lf, x)
       ! leaf state at the solver's ci
       call ci_func(lf, x, fval, gs_mol, an, ag)
       if (an < 0._r8) gs_mol = lf%bbb
       ci(p) = cair(p) - an * pbot(p) * (1.4_r8 * gs_mol + 1.6_r8 * lf%gb_mol) / (lf%gb_mol * gs_mol)
       rs(p) = min(cf / gs_mol, rsmax0)
       psn(p) = ag
    end do
  end subroutine Photosynthesis

  !-----------------------------------------------------------------------
  !> Limiting gross rates at a given ci (no stomatal model): wc, wj, wp are
  !! Ac, Aj, Ap of eqs. 8.3-8.5 (C4: Vcmax, alpha 4.6 phi, kp ci/P) and ag the
  !! co-limited gross rate (8.8) [umol CO2 m-2 s-1]; lmr as Photosynthesis.
  !-----------------------------------------------------------------------
  subroutine LeafRates(c3psn, vcmax25, btran, dayl_factor, apar, tleaf, t10, oair, ci, pbot, &
       wc, wj, wp, ag, lmr, ierr, errmsg)
    real(r8), intent(in)  :: c3psn(:), vcmax25(:), btran(:), dayl_factor(:)   !< as Photosynthesis
    real(r8), intent(in)  :: apar(:)     !< absorbed PAR [W m-2]
    real(r8), intent(in)  :: tleaf(:)    !< leaf temperature [K]
    real(r8), intent(in)  :: t10(:)      !< 10-day mean air temperature [K]
    real(r8), intent(in)  :: oair(:)     !< O2 partial pressure [Pa]
    real(r8), intent(in)  :: ci(:)       !< intercellular CO2 partial pressure [Pa]
    real(r8), intent(in)  :: pbot(:)     !< atmospheric pressure [Pa]
    real(r8), intent(out) :: wc(:), wj(:), wp(:), ag(:), lmr(:)   !< [umol CO2 m-2 s-1]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    type(leaf_t) :: lf
    integer :: p
    logical :: ok
    ierr = 0
    errmsg = ''
    wc = 0._r8; wj = 0._r8; wp = 0._r8; ag = 0._r8; lmr = 0._r8
    ok = .true.
    do p = 1, size(c3psn)
       call check_c3psn(c3psn(p), p, ok, errmsg)
       call check('vcmax25', vcmax25(p), p, 0._r8, 1.e4_r8, .false., ok, errmsg, 'give 0 to 1e4 umol m-2 s-1')
       call check('btran', btran(p), p, 0._r8, 1._r8, .false., ok, errmsg, 'give a value in [0, 1]')
       call check('dayl_factor', dayl_factor(p), p, 0._r8, 1._r8, .false., ok, errmsg, 'give a value in [0, 1]')
       call check('apar', apar(p), p, -huge(1._r8), 1.e4_r8, .false., ok, errmsg, 'give a finite value <= 1e4 W m-2')
       call check('tleaf', tleaf(p), p, tmin_ok, tmax_ok, .false., ok, errmsg, 'give 150 to 400 K')
       call check('t10', t10(p), p, tmin_ok, tmax_ok, .false., ok, errmsg, 'give 150 to 400 K')
       call check('oair', oair(p), p, 0._r8, 1.e6_r8, .false., ok, errmsg, 'give a value >= 0 Pa')
       call check('ci', ci(p), p, 0._r8, 1.e5_r8, .false., ok, errmsg, 'give 0 to 1e5 Pa')
       call check('pbot', pbot(p), p, 1.e3_r8, 2.e5_r8, .false., ok, errmsg, 'give 1e3 to 2e5 Pa')
       if (.not. ok) then
          ierr = 1
          return
       end if
    end do
    do p = 1, size(c3psn)
       call leaf_parameters(nint(c3psn(p)) == 1, vcmax25(p), btran(p), dayl_factor(p), apar(p), &
            tleaf(p), t10(p), oair(p), pbot(p), lf)
       call gross_rates(lf, ci(p), wc(p), wj(p), wp(p), ag(p))
       lmr(p) = lf%lmr
    end do
  end subroutine LeafRates

  !-----------------------------------------------------------------------
  !> CLM4.5 big-leaf canopy integration of the exponential leaf-N profile
  !! (Tech Note 8.19-8.23; SurfaceAlbedoMod TwoStream, nlevcan = 1):
  !! nscaler_sun = [1 - exp(-(kn+K) L)]/(kn+K) / L_sun,
  !! nscaler_sha = {[1 - exp(-kn L)]/kn - [1 - exp(-(kn+K) L)]/(kn+K)} / L_sha,
  !! kn = 0.30. With no sunlit leaves (night, laisun = 0) all of the canopy
  !! integral goes to the shaded leaf, as CLM4.5 does when coszen <= 0.
  !-----------------------------------------------------------------------
  pure subroutine CanopyNitrogenScaling(elai, extkb, laisun, laisha, nscaler_sun, nscaler_sha)
    real(r8), intent(in)  :: elai(:)        !< exposed leaf area index [m2 m-2]
    real(r8), intent(in)  :: extkb(:)       !< direct-beam extinction coefficient K [-] (per unit leaf area)
    real(r8), intent(in)  :: laisun(:)      !< sunlit leaf area index [m2 m-2]
    real(r8), intent(in)  :: laisha(:)      !< shaded leaf area index [m2 m-2]
    real(r8), intent(out) :: nscaler_sun(:) !< multiplier of vcmax25top for the sunlit big leaf [-]
    real(r8), intent(out) :: nscaler_sha(:) !< multiplier of vcmax25top for the shaded big leaf [-]
    integer :: p
    real(r8) :: isun, itot
    do p = 1, size(elai)
       nscaler_sun(p) = 0._r8
       nscaler_sha(p) = 0._r8
       if (.not. (elai(p) > 0._r8)) cycle
       itot = (1._r8 - exp(-kn_clm45 * elai(p))) / kn_clm45
       if (laisun(p) > 0._r8 .and. extkb(p) > 0._r8) then
          isun = (1._r8 - exp(-(kn_clm45 + extkb(p)) * elai(p))) / (kn_clm45 + extkb(p))
          nscaler_sun(p) = isun / laisun(p)
       else
          isun = 0._r8
       end if
       if (laisha(p) > 0._r8) nscaler_sha(p) = max(itot - isun, 0._r8) / laisha(p)
    end do
  end subroutine CanopyNitrogenScaling

  !-----------------------------------------------------------------------
  !> Vcmax25 at the canopy top from leaf nitrogen (Tech Note 8.17, 8.18):
  !! Vcmax25 = Na FLNR FNR aR25 with Na = 1/(CN_L SLA0), FNR = 7.16,
  !! aR25 = 60 umol CO2 g-1 Rubisco s-1. The day-length factor is applied in
  !! Photosynthesis, not here; CLM4.5 without CN also multiplies by the PFT's
  !! fnitr (not included: UNVERIFIED values).
  !-----------------------------------------------------------------------
  pure subroutine Vcmax25Top(slatop, leafcn, flnr, vcmax25_top)
    real(r8), intent(in)  :: slatop(:)      !< specific leaf area at the canopy top [m2 g-1 C]
    real(r8), intent(in)  :: leafcn(:)      !< leaf C:N [g C g-1 N]
    real(r8), intent(in)  :: flnr(:)        !< fraction of leaf N in Rubisco [g N g-1 N]
    real(r8), intent(out) :: vcmax25_top(:) !< [umol CO2 m-2 s-1] (Fortran names are case-blind: not 'vcmax25top')
    integer :: p
    do p = 1, size(slatop)
       if (slatop(p) > 0._r8 .and. leafcn(p) > 0._r8) then
          vcmax25_top(p) = 1._r8 / (slatop(p) * leafcn(p)) * flnr(p) * fnr * act25
       else
          vcmax25_top(p) = 0._r8
       end if
    end do
  end subroutine Vcmax25Top

  !-----------------------------------------------------------------------
  !> CLM4.5 day-length factor of Vcmax (Tech Note 8.24; CanopyFluxes):
  !! f = (dayl / max_dayl)**2 bounded to [0.01, 1]; 1 when max_dayl <= 0.
  !-----------------------------------------------------------------------
  elemental real(r8) function DaylFactor(dayl, max_dayl)
    real(r8), intent(in) :: dayl      !< day length [s]
    real(r8), intent(in) :: max_dayl  !< maximum day length of the location [s]
    if (max_dayl > 0._r8) then
       DaylFactor = min(1._r8, max(0.01_r8, (dayl * dayl) / (max_dayl * max_dayl)))
    else
       DaylFactor = 1._r8
    end if
  end function DaylFactor

end module PhotosynthesisMod
