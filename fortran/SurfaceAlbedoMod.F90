!> CLM4.5 surface albedo for a snow-free vegetated soil patch: the offline
!! split of total solar radiation into bands and beams, the soil colour
!! albedo and the two-stream canopy radiative transfer with the sunlit /
!! shaded big-leaf partition of absorbed radiation.
!!
!! References (equation and table numbers are those of the CLM Technical
!! Note as kept in CTSM doc/source/tech_note/Surface_Albedos, whose labels
!! carry the CLM4.5 numbering of Oleson et al. 2013, NCAR/TN-503+STR,
!! ch. 3; checked against the CLM4.5 code as ported to RegCM,
!! Main/clmlib/clm4.5/mod_clm_surfacealbedo.F90):
!!   two-stream parameters      eqs. 3.3-3.16 (Sellers 1985; Dickinson 1983)
!!   two-stream solution        eqs. 3.17-3.22, 3.31-3.57
!!   sunlit / shaded absorption eqs. 3.23-3.30 (Dai et al. 2004; Bonan et al. 2011)
!!   soil albedo                eq. 3.61 (Delta = 0.11 - 0.40 theta1) and the
!!                              table "Dry and saturated soil albedos" (Table 3.3)
!!   solar split                CLM offline data atmosphere (TN "Offline Mode",
!!                              eqs. 31.2-31.8 in the CLM5 note; ch. 26 of the
!!                              CLM4.5 note: chapter number UNVERIFIED)
!!
!! Not represented: snow on the ground or on the canopy (eqs. 3.5-3.7,
!! 3.58-3.59 with f_sno = 0), frozen soil, lakes, glaciers and the
!! multi-layer canopy option (nlevcan > 1). All routines work on arrays
!! over n patches; no module state, no STOP.
module SurfaceAlbedoMod

  use shr_kind_mod,       only: r8 => shr_kind_r8
  use shr_strconvert_mod, only: toString

  implicit none
  private

  integer, parameter, public :: numrad = 2   !< number of solar bands [-]
  integer, parameter, public :: ivis = 1     !< visible band (< 0.7 um)
  integer, parameter, public :: inir = 2     !< near-infrared band (>= 0.7 um)
  integer, parameter, public :: nsoilcol = 20   !< number of CLM4.5 soil colour classes

  public :: SolarSplit, SoilAlbedo, TwoStream

  !> Saturated and dry soil albedo per colour class and band [-]
  !! (Table 3.3 of CLM4.5, "Dry and saturated soil albedos", 20 classes;
  !! the same numbers are in CTSM SurfaceAlbedoMod for mxsoil_color = 20).
  real(r8), parameter :: albsat(nsoilcol, numrad) = reshape([ &
       0.25_r8, 0.23_r8, 0.21_r8, 0.20_r8, 0.19_r8, 0.18_r8, 0.17_r8, 0.16_r8, 0.15_r8, 0.14_r8, &
       0.13_r8, 0.12_r8, 0.11_r8, 0.10_r8, 0.09_r8, 0.08_r8, 0.07_r8, 0.06_r8, 0.05_r8, 0.04_r8, &
       0.50_r8, 0.46_r8, 0.42_r8, 0.40_r8, 0.38_r8, 0.36_r8, 0.34_r8, 0.32_r8, 0.30_r8, 0.28_r8, &
       0.26_r8, 0.24_r8, 0.22_r8, 0.20_r8, 0.18_r8, 0.16_r8, 0.14_r8, 0.12_r8, 0.10_r8, 0.08_r8], &
       [nsoilcol, numrad])
  real(r8), parameter :: albdry(nsoilcol, numrad) = reshape([ &
       0.36_r8, 0.34_r8, 0.32_r8, 0.31_r8, 0.30_r8, 0.29_r8, 0.28_r8, 0.27_r8, 0.26_r8, 0.25_r8, &
       0.24_r8, 0.23_r8, 0.22_r8, 0.20_r8, 0.18_r8, 0.16_r8, 0.14_r8, 0.12_r8, 0.10_r8, 0.08_r8, &
       0.61_r8, 0.57_r8, 0.53_r8, 0.51_r8, 0.49_r8, 0.48_r8, 0.45_r8, 0.43_r8, 0.41_r8, 0.39_r8, &
       0.37_r8, 0.35_r8, 0.33_r8, 0.31_r8, 0.29_r8, 0.27_r8, 0.25_r8, 0.23_r8, 0.21_r8, 0.16_r8], &
       [nsoilcol, numrad])

  real(r8), parameter :: mpe = 1.e-6_r8        !< CLM's floor against division by zero [-]
  real(r8), parameter :: cosz_min = 0.001_r8   !< CLM's lower bound on coszen in the two-stream [-]
  real(r8), parameter :: tau_max = 40._r8      !< CLM's cap on the optical depths in s1, s2 [-]
  !> Smallest |sigma| (eq. 3.36) let through: at sigma = 0 (K equal to the
  !! diffuse eigenvalue h) the closed form is 0/0. Not in CLM; see TwoStream.
  real(r8), parameter :: sigma_min = 1.e-8_r8
  !> Largest scattering coefficient omega = rho + tau let through: at omega = 1
  !! (non-absorbing elements) h = 0 and the closed form is 0/0. Not in CLM,
  !! whose leaf optics stay far below; rho and tau are scaled down together.
  real(r8), parameter :: omega_max = 1._r8 - 1.e-6_r8

contains

  !> Split total downward shortwave into visible / near-infrared and direct
  !! / diffuse as CLM's offline data atmosphere does (TN Offline Mode,
  !! eqs. 31.2-31.8 of the CLM5 note): alpha = 0.5 of the total is visible
  !! (eq. 31.6); the direct fraction of each band is a cubic in the band's
  !! flux S_b [W m-2], clipped to [0.01, 0.99] (eqs. 31.7, 31.8):
  !!   R_vis = 0.17639 + 0.00380 S - 9.0039e-6 S^2 + 8.1351e-9 S^3
  !!   R_nir = 0.29548 + 0.00504 S - 1.4957e-5 S^2 + 1.4881e-8 S^3
  !! The split does not depend on coszen in CLM; here coszen <= 0 (or
  !! swdown <= 0) makes everything diffuse (half per band), so that no
  !! direct beam arrives with the sun below the horizon. The four parts sum
  !! to swdown (to round-off); swdown is not checked (negative stays negative).
  subroutine SolarSplit(swdown, coszen, forc_solad, forc_solai)
    real(r8), intent(in),  contiguous :: swdown(:)          !< total downward shortwave (n) [W m-2]
    real(r8), intent(in),  contiguous :: coszen(:)          !< cosine of the solar zenith angle (n) [-]
    real(r8), intent(out), contiguous :: forc_solad(:,:)    !< direct beam per band (n, numrad) [W m-2]
    real(r8), intent(out), contiguous :: forc_solai(:,:)    !< diffuse per band (n, numrad) [W m-2]
    real(r8), parameter :: a(0:3) = [0.17639_r8, 0.00380_r8, -9.0039e-6_r8, 8.1351e-9_r8]
    real(r8), parameter :: b(0:3) = [0.29548_r8, 0.00504_r8, -1.4957e-5_r8, 1.4881e-8_r8]
    real(r8) :: svis, snir, rvis, rnir
    integer :: p
    do p = 1, size(swdown)
       svis = 0.5_r8 * swdown(p)          ! eq. 31.6
       snir = swdown(p) - svis
       if (coszen(p) > 0._r8 .and. swdown(p) > 0._r8) then
          rvis = min(0.99_r8, max(0.01_r8, a(0) + svis * (a(1) + svis * (a(2) + svis * a(3)))))  ! eq. 31.7
          rnir = min(0.99_r8, max(0.01_r8, b(0) + snir * (b(1) + snir * (b(2) + snir * b(3)))))  ! eq. 31.8
       else
          rvis = 0._r8
          rnir = 0._r8
       end if
       forc_solad(p, ivis) = rvis * svis              ! eq. 31.2
       forc_solai(p, ivis) = svis - forc_solad(p, ivis)   ! eq. 31.4
       forc_solad(p, inir) = rnir * snir              ! eq. 31.3
       forc_solai(p, inir) = snir - forc_solad(p, inir)   ! eq. 31.5
    end do
  end subroutine SolarSplit

  !> Snow-free, unfrozen soil albedo from the colour class and the water
  !! content of the top layer (eq. 3.61):
  !!   alb = min(albsat + Delta, albdry),  Delta = max(0.11 - 0.40 theta1, 0),
  !! the same for direct and diffuse. theta1 >= 0.275 gives albsat; theta1 = 0
  !! gives albdry (albdry - albsat <= 0.11 in every class). CLM uses the total
  !! volumetric water h2osoi_vol of layer 1; snow and frozen soil are not
  !! represented here (they would enter through eqs. 3.58-3.59).
  subroutine SoilAlbedo(isoicol, theta1, albgrd, albgri, ierr, errmsg)
    integer,  intent(in),  contiguous :: isoicol(:)       !< soil colour class 1..20 (n) [-]
    real(r8), intent(in),  contiguous :: theta1(:)        !< volumetric water of soil layer 1 (n) [m3 m-3]
    real(r8), intent(out), contiguous :: albgrd(:,:)      !< ground albedo, direct (n, numrad) [-]
    real(r8), intent(out), contiguous :: albgri(:,:)      !< ground albedo, diffuse (n, numrad) [-]
    integer,  intent(out) :: ierr                         !< 0, or 1 for invalid input
    character(len=*), intent(out) :: errmsg               !< one sentence when ierr /= 0
    real(r8) :: inc
    integer :: p, ib, ic
    ierr = 0
    errmsg = ''
    albgrd = 0._r8
    albgri = 0._r8
    do p = 1, size(isoicol)
       ic = isoicol(p)
       if (ic < 1 .or. ic > nsoilcol) then
          ierr = 1
          errmsg = 'isoicol = ' // toString(ic) // ' at patch ' // toString(p) // &
               ' is not valid: soil colour classes are 1 to ' // toString(nsoilcol)
          return
       end if
       if (.not. (theta1(p) >= 0._r8 .and. theta1(p) <= 1._r8)) then
          ierr = 1
          errmsg = 'theta1 = ' // toString(theta1(p)) // ' m3 m-3 at patch ' // toString(p) // &
               ' is not valid: volumetric water must lie in [0, 1]'
          return
       end if
       inc = max(0.11_r8 - 0.40_r8 * theta1(p), 0._r8)
       do ib = 1, numrad
          albgrd(p, ib) = min(albsat(ic, ib) + inc, albdry(ic, ib))
          albgri(p, ib) = albgrd(p, ib)
       end do
    end do
  end subroutine SoilAlbedo

  !> Two-stream canopy radiative transfer (TN ch. 3.1) for a single-layer
  !! sun/shade big-leaf canopy (CLM4.5 with nlevcan = 1), per band and per
  !! unit incident direct beam or diffuse flux.
  !!
  !! Patches with coszen <= 0 get CLM's night values: albd = albi = 1,
  !! nothing absorbed or transmitted, extkb = fsun = 0. Patches with
  !! elai + esai = 0 see the bare ground: albd = albgrd, albi = albgri,
  !! ftdd = ftii = 1, ftid = 0, nothing absorbed, fsun = 0.
  !!
  !! Differences from the CLM4.5 code, each equal to it where CLM's own
  !! arithmetic is exact:
  !!  - the single-scattering integral (eq. 3.16) is evaluated without the
  !!    cancellation that made CLM5 clamp mu phi2 + G(mu) at 1e-6: a series
  !!    is used where that term is small against mu phi1;
  !!  - the solution is written with CLM's u1 = b - c/alb_g multiplied through
  !!    by alb_g, so a black ground (albedo 0) needs no division by zero;
  !!  - the direct-beam solution uses the diffuse ground albedo for the
  !!    reflection of downward diffuse light (u1, u2) and the direct one for
  !!    the reflected beam (u3 and the c term of h2, h3). CLM puts albgrd in
  !!    all three (eqs. 3.37-3.39), which is the same when albgrd = albgri
  !!    (always so for SoilAlbedo) but otherwise does not conserve energy
  !!    against its own fabd (eq. 3.21, which uses albgri for ftid);
  !!  - where |sigma| < 1e-8 (K equal to the diffuse eigenvalue h, where the
  !!    closed form is 0/0) mu_bar K is raised so that sigma = 1e-8 for that
  !!    band's solution (a relative change in K of order 1e-8);
  !!  - rho + tau is capped at 1 - 1e-6 (omega = 1 makes h = 0, 0/0);
  !!  - fsun = (1 - exp(-K (L+S))) / (K (L+S)) exactly; CLM4.5 divides by
  !!    min(K (L+S), 40), which differs only where K (L+S) > 40.
  !! CLM5 (CTSM) differs from CLM4.5 in its parameter tables and the 1e-6
  !! clamp noted above; the equations used here are the same.
  subroutine TwoStream(coszen, elai, esai, xl, rhol, rhos, taul, taus, albgrd, albgri,     &
       albd, albi, fabd, fabi, ftdd, ftid, ftii, fabd_sun, fabd_sha, fabi_sun, fabi_sha,   &
       extkb, fsun, ierr, errmsg)
    real(r8), intent(in), contiguous :: coszen(:)      !< cosine of the solar zenith angle (n) [-]
    real(r8), intent(in), contiguous :: elai(:)        !< exposed one-sided leaf area index (n) [m2 m-2]
    real(r8), intent(in), contiguous :: esai(:)        !< exposed one-sided stem area index (n) [m2 m-2]
    real(r8), intent(in), contiguous :: xl(:)          !< leaf angle departure from spherical chi_L (n) [-]
    real(r8), intent(in), contiguous :: rhol(:,:)      !< leaf reflectance (n, numrad) [-]
    real(r8), intent(in), contiguous :: rhos(:,:)      !< stem reflectance (n, numrad) [-]
    real(r8), intent(in), contiguous :: taul(:,:)      !< leaf transmittance (n, numrad) [-]
    real(r8), intent(in), contiguous :: taus(:,:)      !< stem transmittance (n, numrad) [-]
    real(r8), intent(in), contiguous :: albgrd(:,:)    !< ground albedo, direct (n, numrad) [-]
    real(r8), intent(in), contiguous :: albgri(:,:)    !< ground albedo, diffuse (n, numrad) [-]
    real(r8), intent(out), contiguous :: albd(:,:)     !< surface albedo, direct (n, numrad) [-]
    real(r8), intent(out), contiguous :: albi(:,:)     !< surface albedo, diffuse (n, numrad) [-]
    real(r8), intent(out), contiguous :: fabd(:,:)     !< absorbed by canopy per unit direct (n, numrad) [-]
    real(r8), intent(out), contiguous :: fabi(:,:)     !< absorbed by canopy per unit diffuse (n, numrad) [-]
    real(r8), intent(out), contiguous :: ftdd(:,:)     !< direct below canopy per unit direct (n, numrad) [-]
    real(r8), intent(out), contiguous :: ftid(:,:)     !< diffuse below canopy per unit direct (n, numrad) [-]
    real(r8), intent(out), contiguous :: ftii(:,:)     !< diffuse below canopy per unit diffuse (n, numrad) [-]
    real(r8), intent(out), contiguous :: fabd_sun(:,:) !< absorbed by sunlit canopy per unit direct (n, numrad) [-]
    real(r8), intent(out), contiguous :: fabd_sha(:,:) !< absorbed by shaded canopy per unit direct (n, numrad) [-]
    real(r8), intent(out), contiguous :: fabi_sun(:,:) !< absorbed by sunlit canopy per unit diffuse (n, numrad) [-]
    real(r8), intent(out), contiguous :: fabi_sha(:,:) !< absorbed by shaded canopy per unit diffuse (n, numrad) [-]
    real(r8), intent(out), contiguous :: extkb(:)      !< direct beam extinction coefficient G(mu)/mu (n) [-]
    real(r8), intent(out), contiguous :: fsun(:)       !< sunlit fraction of the canopy (n) [-]
    integer,  intent(out) :: ierr                      !< 0, or 1 for invalid input
    character(len=*), intent(out) :: errmsg            !< one sentence when ierr /= 0

    real(r8) :: cosz, chil, phi1, phi2, gdir, avmu, kb, vai, wl, ws, x, y, qsc
    real(r8) :: rho, tau, omega, asu, betad, betai
    real(r8) :: b, c, d, f, h, bc2, sigma, t0, kk, p1, p2, p3, p4, s1, s2
    real(r8) :: ad, ai, v1, e2, e3, d1, u2, u3, e4, e5, d2, e6, e7, e8, e9
    real(r8) :: h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, a1, a2
    integer  :: p, ib

    ierr = 0
    errmsg = ''
    ! night values (CLM SurfaceAlbedo initialisation)
    albd = 1._r8;     albi = 1._r8
    fabd = 0._r8;     fabi = 0._r8
    ftdd = 0._r8;     ftid = 0._r8;     ftii = 0._r8
    fabd_sun = 0._r8; fabd_sha = 0._r8; fabi_sun = 0._r8; fabi_sha = 0._r8
    extkb = 0._r8;    fsun = 0._r8

    call check_inputs()
    if (ierr /= 0) return

    do p = 1, size(coszen)
       if (.not. (coszen(p) > 0._r8)) cycle

       ! ---- band-independent parameters (eqs. 3.3, 3.4, 3.14, 3.16) ----
       cosz = max(cosz_min, coszen(p))
       chil = min(max(xl(p), -0.4_r8), 0.6_r8)          ! valid range of eq. 3.3
       if (abs(chil) <= 0.01_r8) chil = 0.01_r8          ! keeps phi2 /= 0 (CLM)
       phi1 = 0.5_r8 - 0.633_r8 * chil - 0.330_r8 * chil * chil
       phi2 = 0.877_r8 * (1._r8 - 2._r8 * phi1)
       gdir = phi1 + phi2 * cosz                          ! G(mu), eq. 3.3
       kb = gdir / cosz                                   ! K = G(mu)/mu
       avmu = (1._r8 - phi1 / phi2 * log((phi1 + phi2) / phi1)) / phi2   ! eq. 3.4
       ! eq. 3.16: a_s = omega/2 G(mu) q with q = [1 - (a/x) ln(1 + x/a)] / x,
       ! x = mu phi2 + G(mu), a = mu phi1; q -> 1/(2a) as x -> 0
       x = gdir + phi2 * cosz
       y = x / (phi1 * cosz)
       if (abs(y) < 1.e-3_r8) then
          qsc = (0.5_r8 - y / 3._r8 + y * y / 4._r8 - y * y * y / 5._r8) / (phi1 * cosz)
       else
          qsc = (1._r8 - log(1._r8 + y) / y) / x
       end if
       extkb(p) = kb

       vai = elai(p) + esai(p)
       if (vai <= 0._r8) then
          ! no exposed canopy: the surface is the ground (CLM filter_novegsol)
          albd(p,:) = albgrd(p,:)
          albi(p,:) = albgri(p,:)
          ftdd(p,:) = 1._r8
          ftid(p,:) = 0._r8
          ftii(p,:) = 1._r8
          cycle
       end if

       ! sunlit fraction of the big leaf (CLM4.5 TwoStream, nlevcan = 1; TN eq. 4.7 / (L+S))
       x = kb * vai
       if (x < 1.e-4_r8) then
          fsun(p) = 1._r8 - x / 2._r8 + x * x / 6._r8
       else
          fsun(p) = (1._r8 - exp(-min(x, tau_max))) / x
       end if

       ! leaf / stem weights (eqs. 3.11, 3.12, with CLM's floors)
       wl = elai(p) / max(vai, mpe)
       ws = esai(p) / max(vai, mpe)

       do ib = 1, numrad
          rho = max(rhol(p,ib) * wl + rhos(p,ib) * ws, mpe)   ! eq. 3.11
          tau = max(taul(p,ib) * wl + taus(p,ib) * ws, mpe)   ! eq. 3.12
          if (rho + tau > omega_max) then     ! not in CLM: see omega_max
             rho = rho * (omega_max / (rho + tau))
             tau = omega_max - rho
          end if
          omega = rho + tau                                   ! eq. 3.8
          asu = 0.5_r8 * omega * gdir * qsc                   ! eq. 3.16
          betad = (1._r8 + avmu * kb) / (omega * avmu * kb) * asu   ! eq. 3.15
          betai = 0.5_r8 * (omega + (rho - tau) * ((1._r8 + chil) / 2._r8)**2) / omega  ! eqs. 3.13-3.14
          ! no snow on the canopy: eqs. 3.8-3.10

          ! ---- common terms (eqs. 3.31-3.36, 3.42-3.45) ----
          b = 1._r8 - omega + omega * betai
          c = omega * betai
          bc2 = b * b - c * c
          h = sqrt(bc2) / avmu
          t0 = avmu * kb
          sigma = t0 * t0 - bc2
          if (abs(sigma) < sigma_min) then
             t0 = sqrt(bc2 + sigma_min)
             sigma = t0 * t0 - bc2
          end if
          kk = t0 / avmu                       ! K used in this band's solution
          d = t0 * omega * betad
          f = t0 * omega * (1._r8 - betad)
          p1 = b + avmu * h
          p2 = b - avmu * h
          p3 = b + t0
          p4 = b - t0
          s1 = exp(-min(h * vai, tau_max))     ! eq. 3.40
          s2 = exp(-min(kk * vai, tau_max))    ! eq. 3.41

          ad = albgrd(p,ib)
          ai = albgri(p,ib)
          ! CLM's u1 = b - c/alb times alb (eq. 3.37), and d1 (eq. 3.46) times alb
          v1 = b * ai - c
          e2 = v1 - avmu * h * ai
          e3 = v1 + avmu * h * ai
          d1 = p1 * e2 / s1 - p2 * e3 * s1
          u2 = b - c * ai                      ! eq. 3.38
          u3 = f + c * ad                      ! eq. 3.39
          e4 = u2 + avmu * h
          e5 = u2 - avmu * h
          d2 = e4 / s1 - e5 * s1               ! eq. 3.47

          ! ---- direct beam (eqs. 3.48-3.53, 3.17, 3.19, 3.21) ----
          h1 = -d * p4 - c * f
          e6 = d - h1 * p3 / sigma
          e7 = (d * ai - c * ad - h1 / sigma * (v1 + t0 * ai)) * s2
          h2 = (e6 * e2 / s1 - p2 * e7) / d1
          h3 = -(e6 * e3 * s1 - p1 * e7) / d1
          h4 = -f * p3 - c * d
          e8 = h4 / sigma
          e9 = (u3 - e8 * (u2 - t0)) * s2
          h5 = -(e8 * e4 / s1 + e9) / d2
          h6 = (e8 * e5 * s1 + e9) / d2

          albd(p,ib) = h1 / sigma + h2 + h3
          ftid(p,ib) = h4 * s2 / sigma + h5 * s1 + h6 / s1
          ftdd(p,ib) = s2
          fabd(p,ib) = 1._r8 - albd(p,ib) - (1._r8 - ad) * ftdd(p,ib) - (1._r8 - ai) * ftid(p,ib)

          ! sunlit / shaded (eqs. 3.23-3.26)
          a1 = h1 / sigma * (1._r8 - s2 * s2) / (2._r8 * kk) &
               + h2 * (1._r8 - s2 * s1) / (kk + h) &
               + h3 * (1._r8 - s2 / s1) / (kk - h)
          a2 = h4 / sigma * (1._r8 - s2 * s2) / (2._r8 * kk) &
               + h5 * (1._r8 - s2 * s1) / (kk + h) &
               + h6 * (1._r8 - s2 / s1) / (kk - h)
          fabd_sun(p,ib) = (1._r8 - omega) * (1._r8 - s2 + (a1 + a2) / avmu)
          fabd_sha(p,ib) = fabd(p,ib) - fabd_sun(p,ib)

          ! ---- diffuse (eqs. 3.54-3.57, 3.18, 3.20, 3.22) ----
          h7 = c * e2 / (d1 * s1)
          h8 = -c * e3 * s1 / d1
          h9 = e4 / (d2 * s1)
          h10 = -e5 * s1 / d2
          albi(p,ib) = h7 + h8
          ftii(p,ib) = h9 * s1 + h10 / s1
          fabi(p,ib) = 1._r8 - albi(p,ib) - (1._r8 - ai) * ftii(p,ib)

          ! sunlit / shaded (eqs. 3.27-3.30)
          a1 = h7 * (1._r8 - s2 * s1) / (kk + h) + h8 * (1._r8 - s2 / s1) / (kk - h)
          a2 = h9 * (1._r8 - s2 * s1) / (kk + h) + h10 * (1._r8 - s2 / s1) / (kk - h)
          fabi_sun(p,ib) = (1._r8 - omega) / avmu * (a1 + a2)
          fabi_sha(p,ib) = fabi(p,ib) - fabi_sun(p,ib)
       end do
    end do

  contains

    !> First invalid input (NaN included) -> ierr = 1 and one sentence.
    subroutine check_inputs()
      integer :: q, jb
      do q = 1, size(coszen)
         if (.not. (abs(coszen(q)) <= 1._r8)) then
            call fail('coszen', coszen(q), q, 0, 'the cosine of the solar zenith angle must lie in [-1, 1]')
         else if (.not. (elai(q) >= 0._r8 .and. elai(q) < 100._r8)) then
            call fail('elai', elai(q), q, 0, 'the exposed leaf area index must lie in [0, 100) m2 m-2')
         else if (.not. (esai(q) >= 0._r8 .and. esai(q) < 100._r8)) then
            call fail('esai', esai(q), q, 0, 'the exposed stem area index must lie in [0, 100) m2 m-2')
         else if (.not. (abs(xl(q)) <= 1._r8)) then
            call fail('xl', xl(q), q, 0, 'the leaf angle index must lie in [-1, 1]')
         end if
         if (ierr /= 0) return
         do jb = 1, numrad
            if (.not. (rhol(q,jb) >= 0._r8 .and. taul(q,jb) >= 0._r8 .and. &
                 rhol(q,jb) + taul(q,jb) <= 1._r8)) then
               call fail('rhol + taul', rhol(q,jb) + taul(q,jb), q, jb, &
                    'leaf reflectance and transmittance must be >= 0 with a sum <= 1')
            else if (.not. (rhos(q,jb) >= 0._r8 .and. taus(q,jb) >= 0._r8 .and. &
                 rhos(q,jb) + taus(q,jb) <= 1._r8)) then
               call fail('rhos + taus', rhos(q,jb) + taus(q,jb), q, jb, &
                    'stem reflectance and transmittance must be >= 0 with a sum <= 1')
            else if (.not. (albgrd(q,jb) >= 0._r8 .and. albgrd(q,jb) <= 1._r8)) then
               call fail('albgrd', albgrd(q,jb), q, jb, 'the ground albedo must lie in [0, 1]')
            else if (.not. (albgri(q,jb) >= 0._r8 .and. albgri(q,jb) <= 1._r8)) then
               call fail('albgri', albgri(q,jb), q, jb, 'the ground albedo must lie in [0, 1]')
            end if
            if (ierr /= 0) return
         end do
      end do
    end subroutine check_inputs

    subroutine fail(name, value, q, jb, why)
      character(len=*), intent(in) :: name, why
      real(r8), intent(in) :: value
      integer, intent(in) :: q, jb
      ierr = 1
      if (jb > 0) then
         errmsg = name // ' = ' // toString(value) // ' at patch ' // toString(q) // ', band ' // &
              toString(jb) // ' is not valid: ' // why
      else
         errmsg = name // ' = ' // toString(value) // ' at patch ' // toString(q) // &
              ' is not valid: ' // why
      end if
    end subroutine fail

  end subroutine TwoStream

end module SurfaceAlbedoMod
