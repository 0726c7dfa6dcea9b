!> Water flow in the soil around one root: the Richards equation in radial
!! (cylindrical) coordinates, per unit root length, solved implicitly.
!!
!! Soil hydraulics, one of (rhizo_soil_type, set by RhizoSoilInit):
!!  - Clapp & Hornberger (1978), as CLM (SoilHydraulicsMod):
!!    psi = -sucsat s^-b, K = Ks s^(2b+3), s = theta/watsat; saturated
!!    (K = Ks) for psi >= -sucsat.
!!  - Mualem-van Genuchten (van Genuchten 1980, Soil Sci. Soc. Am. J.
!!    44:892; Mualem 1976, Water Resour. Res. 12:513):
!!    S = (theta - theta_r)/(theta_s - theta_r) = [1 + (alpha |psi|)^n]^-m,
!!    m = 1 - 1/n, K = Ks S^l [1 - (1 - S^(1/m))^m]^2 with l = 0.5.
!! Horizontal radial flow has no gravity term, so the Richards equation can be
!! written with the matric flux potential (Kirchhoff transform)
!!     Phi(psi) = integral from -infinity to psi of K dpsi'          [m2 s-1]
!! (de Jong van Lier et al. 2006, Vadose Zone J. 5:1264; Schroeder et al. 2008,
!! Vadose Zone J. 7:1089) as
!!     d(theta)/dt = (1/r) d/dr ( r dPhi/dr ).
!! Clapp-Hornberger: Phi = Ks sucsat s^(b+3) / (b+3) in closed form.
!! Van Genuchten has no closed form: Phi is integrated once per run in
!! u = ln(alpha |psi|) (where K |psi| is smooth) by 5-point Gauss-Legendre on
!! 0.1-decade intervals, and between a tabulated point and any psi by the same
!! rule; its relative error is below 1e-12 (checked against adaptive
!! quadrature in the tests). Only Phi goes through the quadrature: water is
!! counted in theta, so conservation does not depend on it.
!!
!! Finite volumes on a geometric grid from the root surface a to the outer
!! radius R; the flow between nodes r_i and r_j per unit root length is
!! 2 pi (Phi_i - Phi_j) / ln(r_j / r_i), exact for steady radial flow, so a
!! steady profile is reproduced at the nodes. Backward Euler in time, Newton
!! iterations on theta with a tridiagonal Jacobian; every iteration keeps the
!! water of the domain exactly (to round-off) consistent with the boundary
!! fluxes it reports, so the balance closes whether or not theta converged.
!!
!! Root boundary, per unit root length, + uptake (m3 of water per m of root
!! per s = m2 s-1), one of:
!!  - rroot_flux: a given flux q, limited for uptake so that the potential at
!!    the root surface stays >= psi_root_min (the soil then supplies what it
!!    can);
!!  - rroot_xylem: q = K_r (psi_a - psi_x), a radial root conductance K_r
!!    [m2 s-1 per m of head, = m s-1] times the difference between the soil
!!    potential at the root surface psi_a and the root xylem potential psi_x
!!    (efflux, q < 0, when the xylem is wetter than the soil). psi_a is solved
!!    with the flow from node 1 to the surface, g0 (Phi_1 - Phi(psi_a)) = q.
!! Outer boundary: no flux, or a prescribed bulk-soil potential.
module RhizoWaterMod

  use shr_kind_mod,       only: r8 => shr_kind_r8
  use shr_strconvert_mod, only: toString
  use SoilHydraulicsMod,  only: soil_psi
  use SoilWaterMovementMod, only: solve_tridiagonal

  implicit none
  private

  public :: RhizoGrid          ! geometric radial grid: nodes and faces
  public :: RhizoSoilInit      ! check the hydraulic parameters, tabulate Phi
  public :: rhizo_mfp          ! matric flux potential Phi(theta)
  public :: rhizo_dmfp         ! dPhi/dtheta
  public :: rhizo_psi          ! matric potential psi(theta)
  public :: rhizo_theta        ! water content theta(psi)
  public :: rhizo_mfp_psi      ! Phi(psi)
  public :: rhizo_psi_mfp      ! psi(Phi), the inverse
  public :: RhizoWaterStep     ! one implicit time step of radial water flow

  integer, parameter, public :: rbc_no_flux   = 0   !< outer boundary: no flux
  integer, parameter, public :: rbc_potential = 1   !< outer boundary: prescribed potential
  integer, parameter, public :: rroot_flux    = 0   !< root boundary: given flux
  integer, parameter, public :: rroot_xylem   = 1   !< root boundary: xylem potential and K_r
  integer, parameter, public :: rhyd_clapp_hornberger = 0
  integer, parameter, public :: rhyd_van_genuchten    = 1

  real(r8), parameter, public :: rhizo_pi = 3.14159265358979323846_r8

  integer,  parameter :: ntab = 200                   ! Phi table intervals (0.1 decade)
  real(r8), parameter :: tab_u0 = -8._r8 * 2.302585092994045684_r8   ! ln(alpha |psi|) of the wet end
  real(r8), parameter :: tab_du = 0.1_r8 * 2.302585092994045684_r8   ! interval [ln units]
  real(r8), parameter :: vg_l = 0.5_r8                ! Mualem pore-connectivity [-]
  real(r8), parameter :: gl_x(5) = [-0.906179845938663992797626878299_r8, &
       -0.538469310105683091036314420700_r8, 0._r8, 0.538469310105683091036314420700_r8, &
       0.906179845938663992797626878299_r8]
  real(r8), parameter :: gl_w(5) = [0.236926885056189087514264040720_r8, &
       0.478628670499366468030681964510_r8, 0.568888888888888888888888888889_r8, &
       0.478628670499366468030681964510_r8, 0.236926885056189087514264040720_r8]

  !> Hydraulic properties of the root-scale soil. Potentials in m inside.
  type, public :: rhizo_soil_type
     integer  :: model   = rhyd_clapp_hornberger
     real(r8) :: watsat  = 0._r8   !< saturated water content [m3 m-3]
     real(r8) :: theta_r = 0._r8   !< residual water content [m3 m-3] (0 for Clapp-Hornberger)
     real(r8) :: ksat    = 0._r8   !< saturated conductivity [m s-1]
     real(r8) :: sucsat  = 0._r8   !< Clapp-Hornberger |air-entry potential| [m]
     real(r8) :: bsw     = 0._r8   !< Clapp-Hornberger B [-]
     real(r8) :: alpha   = 0._r8   !< van Genuchten alpha [m-1]
     real(r8) :: n       = 0._r8   !< van Genuchten n [-]
     real(r8) :: m       = 0._r8   !< 1 - 1/n [-]
     real(r8) :: ptail   = 0._r8   !< dry-end power of K |psi| in |psi| (van Genuchten)
     real(r8) :: phi0    = 0._r8   !< Phi at psi = 0 [m2 s-1] (van Genuchten)
     real(r8) :: tab_phi(0:ntab) = 0._r8   !< Phi at u_k = tab_u0 + k tab_du [m2 s-1]
  end type rhizo_soil_type

contains

  !-----------------------------------------------------------------------
  !> Radial grid of nr cells between the root surface and the outer radius,
  !! faces spaced geometrically (fine at the root): rface(k) = a (R/a)^(k/nr),
  !! k = 0..nr; node i at the geometric mean of its faces.
  subroutine RhizoGrid(a, rout, rnode, rface, ierr, errmsg)
    real(r8), intent(in)  :: a                      !< root radius [m]
    real(r8), intent(in)  :: rout                   !< outer radius of the soil cylinder [m]
    real(r8), intent(out), contiguous :: rnode(:)   !< node radii (nr) [m]
    real(r8), intent(out), contiguous :: rface(0:)  !< face radii (0:nr) [m]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer :: k, nr
    ierr = 0; errmsg = ''
    nr = size(rnode)
    if (.not. (a > 0._r8 .and. a < 1._r8)) then
       ierr = 1
       errmsg = 'root_radius = ' // toString(a) // ' m is not valid: the root radius must lie in (0, 1) m'
       return
    end if
    if (.not. (rout > a .and. rout < 100._r8)) then
       ierr = 1
       errmsg = 'outer_radius = ' // toString(rout) // ' m is not valid: it must exceed the root radius ' // &
            toString(a) // ' m (and be < 100 m)'
       return
    end if
    if (nr < 2 .or. size(rface) /= nr + 1) then
       ierr = 1
       errmsg = 'nr = ' // toString(nr) // ' is not valid: give at least 2 radial cells'
       return
    end if
    do k = 0, nr
       rface(k) = a * (rout / a)**(real(k, r8) / real(nr, r8))
    end do
    rface(0) = a; rface(nr) = rout
    do k = 1, nr
       rnode(k) = sqrt(rface(k-1) * rface(k))
    end do
  end subroutine RhizoGrid

  !-----------------------------------------------------------------------
  !> Check the hydraulic parameters and set up the soil (tabulate Phi for
  !! van Genuchten). Clapp-Hornberger uses watsat, sucsat [mm], bsw and
  !! hksat [mm s-1]; van Genuchten watsat (theta_s), theta_r [m3 m-3],
  !! alpha [m-1], n [-] and hksat [mm s-1].
  subroutine RhizoSoilInit(model, watsat, sucsat, bsw, hksat, theta_r, alpha, n, soil, ierr, errmsg)
    integer,  intent(in)  :: model     !< rhyd_clapp_hornberger or rhyd_van_genuchten
    real(r8), intent(in)  :: watsat    !< porosity / saturated water content [m3 m-3]
    real(r8), intent(in)  :: sucsat    !< Clapp-Hornberger |saturated matric potential| [mm]
    real(r8), intent(in)  :: bsw       !< Clapp-Hornberger B [-]
    real(r8), intent(in)  :: hksat     !< saturated conductivity [mm s-1]
    real(r8), intent(in)  :: theta_r   !< van Genuchten residual water content [m3 m-3]
    real(r8), intent(in)  :: alpha     !< van Genuchten alpha [m-1]
    real(r8), intent(in)  :: n         !< van Genuchten n [-]
    type(rhizo_soil_type), intent(out) :: soil
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer  :: k, q
    real(r8) :: acc, ua, ub, h
    ierr = 0; errmsg = ''
    soil%model = model
    select case (model)
    case (rhyd_clapp_hornberger)
       if (.not. (watsat > 0._r8 .and. watsat < 1._r8 .and. sucsat > 0._r8 .and. bsw > 0._r8 &
            .and. hksat > 0._r8)) then
          ierr = 1
          errmsg = 'soil hydraulic parameters (watsat = ' // toString(watsat) // ', sucsat = ' // &
               toString(sucsat) // ' mm, bsw = ' // toString(bsw) // ', hksat = ' // toString(hksat) // &
               ' mm s-1) are not valid: give 0 < watsat < 1 and sucsat, bsw, hksat > 0'
          return
       end if
       soil%watsat = watsat; soil%theta_r = 0._r8; soil%ksat = hksat * 1.e-3_r8
       soil%sucsat = sucsat * 1.e-3_r8; soil%bsw = bsw
    case (rhyd_van_genuchten)
       if (.not. (n > 1._r8 .and. n < 20._r8)) then
          ierr = 1
          errmsg = 'van Genuchten n = ' // toString(n) // ' is not valid: give 1 < n < 20 (m = 1 - 1/n must be > 0)'
          return
       end if
       if (.not. (alpha > 0._r8 .and. alpha < 1.e4_r8)) then
          ierr = 1
          errmsg = 'van Genuchten alpha = ' // toString(alpha) // ' m-1 is not valid: give 0 < alpha < 1e4 m-1'
          return
       end if
       if (.not. (watsat > 0._r8 .and. watsat < 1._r8 .and. theta_r >= 0._r8 .and. theta_r < watsat)) then
          ierr = 1
          errmsg = 'van Genuchten theta_r = ' // toString(theta_r) // ' and theta_s = ' // toString(watsat) // &
               ' m3 m-3 are not valid: give 0 <= theta_r < theta_s < 1'
          return
       end if
       if (.not. (hksat > 0._r8 .and. hksat < 1.e3_r8)) then
          ierr = 1
          errmsg = 'van Genuchten ksat = ' // toString(hksat) // ' mm s-1 is not valid: give 0 < ksat < 1000 mm s-1'
          return
       end if
       soil%watsat = watsat; soil%theta_r = theta_r; soil%ksat = hksat * 1.e-3_r8
       soil%alpha = alpha; soil%n = n; soil%m = 1._r8 - 1._r8 / n
       ! dry end: S ~ (alpha |psi|)^-(n m), K |psi| ~ |psi|^-(n m l + 2 n - 1)
       soil%ptail = n * soil%m * vg_l + 2._r8 * n - 1._r8
       h = exp(tab_u0 + ntab * tab_du) / alpha
       soil%tab_phi(ntab) = vg_k_of_h(soil, h) * h / soil%ptail
       do k = ntab - 1, 0, -1
          ua = tab_u0 + k * tab_du; ub = ua + tab_du
          acc = 0._r8
          do q = 1, 5
             acc = acc + gl_w(q) * vg_integrand(soil, 0.5_r8 * (ua + ub) + 0.5_r8 * (ub - ua) * gl_x(q))
          end do
          soil%tab_phi(k) = soil%tab_phi(k+1) + 0.5_r8 * (ub - ua) * acc
       end do
       ! below the wet end K = Ks to within (1e-8)^(n-1) relative
       soil%phi0 = soil%tab_phi(0) + soil%ksat * exp(tab_u0) / alpha
    case default
       ierr = 1
       errmsg = 'soil hydraulics = ' // toString(model) // ' is not valid: use 0 (Clapp-Hornberger) or ' // &
            '1 (van Genuchten)'
    end select
  end subroutine RhizoSoilInit

  !> Van Genuchten K [m s-1] at |psi| = h [m].
  pure function vg_k_of_h(soil, h) result(k)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in) :: h
    real(r8) :: k
    real(r8) :: s
    s = (1._r8 + (soil%alpha * h)**soil%n)**(-soil%m)
    k = vg_k_of_s(soil, s)
  end function vg_k_of_h

  !> Van Genuchten-Mualem K [m s-1] at effective saturation s.
  pure function vg_k_of_s(soil, s) result(k)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in) :: s
    real(r8) :: k
    real(r8) :: y, f, term
    integer  :: j
    y = max(s, 0._r8)**(1._r8 / soil%m)
    if (y < 0.01_r8) then
       ! 1 - (1 - y)^m without cancellation: the binomial series, every term > 0
       term = soil%m * y; f = term
       do j = 1, 12
          term = term * (real(j, r8) - soil%m) / real(j + 1, r8) * y
          f = f + term
       end do
    else
       f = 1._r8 - (1._r8 - min(y, 1._r8))**soil%m
    end if
    k = soil%ksat * max(s, 0._r8)**vg_l * f * f
  end function vg_k_of_s

  !> K |psi| at u = ln(alpha |psi|): dPhi/du [m2 s-1].
  pure function vg_integrand(soil, u) result(f)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in) :: u
    real(r8) :: f, h
    h = exp(u) / soil%alpha
    f = vg_k_of_h(soil, h) * h
  end function vg_integrand

  !> Effective saturation [-] (van Genuchten) or relative saturation
  !! theta/watsat (Clapp-Hornberger) of theta.
  elemental function rhizo_sat(soil, theta) result(s)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in) :: theta
    real(r8) :: s
    s = (theta - soil%theta_r) / (soil%watsat - soil%theta_r)
  end function rhizo_sat

  !> Matric potential [mm] at theta [m3 m-3].
  elemental function rhizo_psi(soil, theta) result(psi)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in) :: theta
    real(r8) :: psi, s
    if (soil%model == rhyd_clapp_hornberger) then
       psi = soil_psi(theta, soil%watsat, soil%sucsat * 1.e3_r8, soil%bsw)
    else
       s = min(max(rhizo_sat(soil, theta), 1.e-300_r8), 1._r8)
       psi = -1.e3_r8 / soil%alpha * max(s**(-1._r8 / soil%m) - 1._r8, 0._r8)**(1._r8 / soil%n)
    end if
  end function rhizo_psi

  !> Water content [m3 m-3] at matric potential psi [mm] (saturated at and
  !! above the air-entry potential).
  elemental function rhizo_theta(soil, psi) result(theta)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in) :: psi
    real(r8) :: theta, h
    h = -psi * 1.e-3_r8
    if (soil%model == rhyd_clapp_hornberger) then
       if (h <= soil%sucsat) then
          theta = soil%watsat
       else
          theta = soil%watsat * (h / soil%sucsat)**(-1._r8 / soil%bsw)
       end if
    else
       if (h <= 0._r8) then
          theta = soil%watsat
       else
          theta = soil%theta_r + (soil%watsat - soil%theta_r) * &
               (1._r8 + (soil%alpha * h)**soil%n)**(-soil%m)
       end if
    end if
  end function rhizo_theta

  !> Matric flux potential Phi [m2 s-1] at theta [m3 m-3].
  elemental function rhizo_mfp(soil, theta) result(phi)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in) :: theta
    real(r8) :: phi, s
    if (soil%model == rhyd_clapp_hornberger) then
       s = max(theta / soil%watsat, 0._r8)
       phi = soil%ksat * soil%sucsat / (soil%bsw + 3._r8) * s**(soil%bsw + 3._r8)
    else
       s = rhizo_sat(soil, theta)
       if (s >= 1._r8) then
          phi = soil%phi0
       else if (s <= 0._r8) then
          phi = 0._r8
       else
          phi = vg_mfp_h(soil, max(s**(-1._r8 / soil%m) - 1._r8, 0._r8)**(1._r8 / soil%n) / soil%alpha)
       end if
    end if
  end function rhizo_mfp

  !> Van Genuchten Phi [m2 s-1] at |psi| = h [m] >= 0, from the table.
  pure function vg_mfp_h(soil, h) result(phi)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in) :: h
    real(r8) :: phi, u, ub, acc
    integer  :: k, q
    if (h <= exp(tab_u0) / soil%alpha) then
       phi = soil%phi0 - soil%ksat * h
       return
    end if
    u = log(soil%alpha * h)
    k = int((u - tab_u0) / tab_du)
    if (k >= ntab) then
       phi = vg_k_of_h(soil, h) * h / soil%ptail
       return
    end if
    k = max(k, 0)
    ub = tab_u0 + (k + 1) * tab_du
    acc = 0._r8
    do q = 1, 5
       acc = acc + gl_w(q) * vg_integrand(soil, 0.5_r8 * (u + ub) + 0.5_r8 * (ub - u) * gl_x(q))
    end do
    phi = soil%tab_phi(k+1) + 0.5_r8 * (ub - u) * acc
  end function vg_mfp_h

  !> dPhi/dtheta [m2 s-1 per m3 m-3] = K(theta) |dpsi/dtheta| (finite at
  !! saturation: van Genuchten's slope is taken at S = 1 - 1e-10 there).
  elemental function rhizo_dmfp(soil, theta) result(dphi)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in) :: theta
    real(r8) :: dphi, s, x
    if (soil%model == rhyd_clapp_hornberger) then
       s = max(theta / soil%watsat, 0._r8)
       dphi = soil%ksat * soil%sucsat / soil%watsat * s**(soil%bsw + 2._r8)
    else
       s = min(max(rhizo_sat(soil, theta), 1.e-300_r8), 1._r8 - 1.e-10_r8)
       x = s**(-1._r8 / soil%m) - 1._r8
       ! |dpsi/dS| = x^(1/n - 1) S^(-1/m - 1) / (alpha n m)
       dphi = vg_k_of_s(soil, s) * x**(1._r8 / soil%n - 1._r8) * s**(-1._r8 / soil%m - 1._r8) / &
            (soil%alpha * soil%n * soil%m) / (soil%watsat - soil%theta_r)
    end if
  end function rhizo_dmfp

  !> Hydraulic conductivity [m s-1] at psi [m] (K = Ks at and above air entry).
  pure function rhizo_k_psi(soil, psi_m) result(k)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in) :: psi_m
    real(r8) :: k
    if (soil%model == rhyd_clapp_hornberger) then
       if (-psi_m <= soil%sucsat) then
          k = soil%ksat
       else
          k = soil%ksat * (-psi_m / soil%sucsat)**(-(2._r8 * soil%bsw + 3._r8) / soil%bsw)
       end if
    else
       if (psi_m >= 0._r8) then
          k = soil%ksat
       else
          k = vg_k_of_h(soil, -psi_m)
       end if
    end if
  end function rhizo_k_psi

  !> Phi [m2 s-1] at psi [mm], continued above the air-entry potential (or 0)
  !! with K = Ks: Phi = Phi_sat + Ks (psi - psi_e), so that it increases
  !! strictly with psi.
  elemental function rhizo_mfp_psi(soil, psi) result(phi)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in) :: psi
    real(r8) :: phi, h
    h = -psi * 1.e-3_r8
    if (soil%model == rhyd_clapp_hornberger) then
       if (h <= soil%sucsat) then
          phi = soil%ksat * soil%sucsat / (soil%bsw + 3._r8) + soil%ksat * (soil%sucsat - h)
       else
          phi = soil%ksat * soil%sucsat / (soil%bsw + 3._r8) * (h / soil%sucsat)**(-(soil%bsw + 3._r8) / soil%bsw)
       end if
    else
       if (h <= 0._r8) then
          phi = soil%phi0 - soil%ksat * h
       else
          phi = vg_mfp_h(soil, h)
       end if
    end if
  end function rhizo_mfp_psi

  !> psi [mm] with Phi(psi) = phi [m2 s-1], the inverse of rhizo_mfp_psi.
  function rhizo_psi_mfp(soil, phi) result(psi)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in) :: phi
    real(r8) :: psi, phisat, lo, hi, u, f, df, un
    integer  :: it
    if (soil%model == rhyd_clapp_hornberger) then
       phisat = soil%ksat * soil%sucsat / (soil%bsw + 3._r8)
       if (phi >= phisat) then
          psi = 1.e3_r8 * (-soil%sucsat + (phi - phisat) / soil%ksat)
       else
          psi = -1.e3_r8 * soil%sucsat * (max(phi, 1.e-300_r8) / phisat)**(-soil%bsw / (soil%bsw + 3._r8))
       end if
       return
    end if
    if (phi >= soil%phi0) then
       psi = 1.e3_r8 * (phi - soil%phi0) / soil%ksat
       return
    end if
    ! Newton in u = ln(alpha |psi|) kept inside a bracket; Phi falls with u
    lo = -60._r8; hi = 60._r8; u = 0._r8
    do it = 1, 200
       f = vg_mfp_h(soil, exp(u) / soil%alpha) - phi
       if (f > 0._r8) then
          lo = u
       else
          hi = u
       end if
       df = -vg_integrand(soil, u)
       un = u - f / df
       if (.not. (un > lo .and. un < hi)) un = 0.5_r8 * (lo + hi)
       if (abs(un - u) < 1.e-14_r8 * max(1._r8, abs(u))) then
          u = un
          exit
       end if
       u = un
    end do
    psi = -1.e3_r8 * exp(u) / soil%alpha
  end function rhizo_psi_mfp

  !-----------------------------------------------------------------------
  !> Root-surface potential psi_a [m] and root flux q [m2 s-1, + uptake] for
  !! a xylem potential psi_x [m] and root conductance kr [m s-1], given
  !! Phi at node 1: g0 (phi1 - Phi(psi_a)) = kr (psi_a - psi_x) = q. Also
  !! dq/dphi1 = kr g0 / (g0 K(psi_a) + kr) (the two resistances in series).
  subroutine xylem_interface(soil, g0, phi1, psi1, psi_x, kr, psi_a, q, dqdphi)
    type(rhizo_soil_type), intent(in) :: soil
    real(r8), intent(in)  :: g0, phi1, psi1, psi_x, kr
    real(r8), intent(out) :: psi_a, q, dqdphi
    real(r8) :: lo, hi, x, f, df, xn, ka
    integer  :: it
    if (kr <= 0._r8) then
       psi_a = psi1; q = 0._r8; dqdphi = 0._r8
       return
    end if
    lo = min(psi1, psi_x); hi = max(psi1, psi_x)
    x = psi1
    do it = 1, 200
       ka = rhizo_k_psi(soil, x)
       f = g0 * (phi1 - rhizo_mfp_psi(soil, 1.e3_r8 * x)) - kr * (x - psi_x)   ! falls with x
       if (f > 0._r8) then
          lo = x
       else
          hi = x
       end if
       df = -(g0 * ka + kr)
       xn = x - f / df
       if (.not. (xn >= lo .and. xn <= hi)) then
          if (lo < 0._r8 .and. hi < 0._r8 .and. hi / lo < 0.5_r8) then
             xn = -sqrt(lo * hi)          ! geometric bisection across decades
          else
             xn = 0.5_r8 * (lo + hi)
          end if
       end if
       if (abs(xn - x) <= 1.e-14_r8 * max(abs(x), 1.e-6_r8) .or. hi - lo <= 1.e-14_r8 * max(abs(x), 1.e-6_r8)) then
          x = xn
          exit
       end if
       x = xn
    end do
    psi_a = x
    ka = rhizo_k_psi(soil, psi_a)
    q = kr * (psi_a - psi_x)
    dqdphi = kr * g0 / (g0 * ka + kr)
  end subroutine xylem_interface

  !-----------------------------------------------------------------------
  !> One backward-Euler step of radial water flow.
  !!
  !! ok = .false. (and theta_new = theta_old) when Newton did not converge in
  !! maxit iterations or the soil would dry to theta <= theta_r or wet beyond
  !! saturation: the caller then retries with a shorter step.
  !! Returned fluxes are the ones the new theta is exactly consistent with:
  !! sum_i vol_i (theta_new - theta_old)_i = dt (fface(0) - fface(nr)).
  subroutine RhizoWaterStep(rnode, rface, theta_old, soil, root_bc, q_root, kroot, psi_xylem, &
       psi_root_min, outer_bc, psi_outer, dt, theta_new, fface, q_act, psi_surf, ok)
    real(r8), intent(in), contiguous :: rnode(:)      !< node radii (nr) [m]
    real(r8), intent(in), contiguous :: rface(0:)     !< face radii (0:nr) [m]
    real(r8), intent(in), contiguous :: theta_old(:)  !< water content at the start (nr) [m3 m-3]
    type(rhizo_soil_type), intent(in) :: soil         !< soil hydraulics (RhizoSoilInit)
    integer,  intent(in)  :: root_bc       !< rroot_flux or rroot_xylem
    real(r8), intent(in)  :: q_root        !< rroot_flux: root water flux per root length [m2 s-1], + uptake
    real(r8), intent(in)  :: kroot         !< rroot_xylem: radial root conductance per root length [m s-1]
    real(r8), intent(in)  :: psi_xylem     !< rroot_xylem: root xylem potential [mm]
    real(r8), intent(in)  :: psi_root_min  !< rroot_flux: lowest soil potential at the root surface [mm]
    integer,  intent(in)  :: outer_bc      !< rbc_no_flux or rbc_potential
    real(r8), intent(in)  :: psi_outer     !< bulk-soil potential at the outer radius [mm]
    real(r8), intent(in)  :: dt            !< time step [s]
    real(r8), intent(out), contiguous :: theta_new(:)  !< water content at the end (nr) [m3 m-3]
    real(r8), intent(out), contiguous :: fface(0:)     !< water flux across each face, + outward (0:nr) [m2 s-1]
    real(r8), intent(out) :: q_act         !< root water flux applied, + uptake [m2 s-1]
    real(r8), intent(out) :: psi_surf      !< soil potential at the root surface at the end [mm]
    logical,  intent(out) :: ok

    integer, parameter :: maxit = 40
    real(r8) :: vol(size(rnode)), g(0:size(rnode))
    real(r8) :: phi(size(rnode)), dphi(size(rnode))
    real(r8) :: am(size(rnode)), bm(size(rnode)), cm(size(rnode)), res(size(rnode)), dth(size(rnode))
    real(r8) :: phi_lim, phi_out, alpha, qlim, dq1, fout, dfout, tol, psia, dqdphi
    logical  :: limited
    integer  :: i, n, it

    n = size(rnode)
    do i = 1, n
       vol(i) = rhizo_pi * (rface(i)**2 - rface(i-1)**2)
    end do
    g(0) = 2._r8 * rhizo_pi / log(rnode(1) / rface(0))          ! root surface to node 1
    do i = 1, n - 1
       g(i) = 2._r8 * rhizo_pi / log(rnode(i+1) / rnode(i))
    end do
    g(n) = 2._r8 * rhizo_pi / log(rface(n) / rnode(n))          ! node n to the outer radius
    phi_lim = rhizo_mfp_psi(soil, psi_root_min)
    phi_out = rhizo_mfp(soil, rhizo_theta(soil, psi_outer))
    tol = 1.e-11_r8 * soil%watsat

    theta_new = theta_old
    ok = .false.
    fface = 0._r8
    q_act = 0._r8
    psi_surf = 0._r8
    do it = 1, maxit
       phi  = rhizo_mfp(soil, theta_new)
       dphi = rhizo_dmfp(soil, theta_new)
       if (root_bc == rroot_xylem) then
          ! flux through the root's radial conductance, in series with the
          ! soil between node 1 and the root surface
          call xylem_interface(soil, g(0), phi(1), 1.e-3_r8 * rhizo_psi(soil, theta_new(1)), &
               1.e-3_r8 * psi_xylem, kroot, psia, q_act, dqdphi)
          dq1 = dqdphi * dphi(1)
       else
          ! requested flux, or the most the soil can deliver
          qlim = g(0) * (phi(1) - phi_lim)
          limited = q_root > 0._r8 .and. q_root >= qlim
          if (limited) then
             q_act = qlim; dq1 = g(0) * dphi(1)
          else
             q_act = q_root; dq1 = 0._r8
          end if
       end if
       if (outer_bc == rbc_potential) then
          fout = g(n) * (phi(n) - phi_out); dfout = g(n) * dphi(n)
       else
          fout = 0._r8; dfout = 0._r8
       end if
       fface(0) = -q_act
       do i = 1, n - 1
          fface(i) = g(i) * (phi(i) - phi(i+1))
       end do
       fface(n) = fout
       do i = 1, n
          res(i) = vol(i) / dt * (theta_new(i) - theta_old(i)) + fface(i) - fface(i-1)
          am(i) = 0._r8; cm(i) = 0._r8
          bm(i) = vol(i) / dt
          if (i > 1) then
             am(i) = -g(i-1) * dphi(i-1)
             bm(i) = bm(i) + g(i-1) * dphi(i)
          end if
          if (i < n) then
             cm(i) = -g(i) * dphi(i+1)
             bm(i) = bm(i) + g(i) * dphi(i)
          end if
       end do
       bm(1) = bm(1) + dq1
       bm(n) = bm(n) + dfout
       res = -res
       call solve_tridiagonal(am, bm, cm, res, dth)
       ! keep theta above theta_r: shorten the Newton step if it would more
       ! than halve theta - theta_r
       alpha = 1._r8
       do i = 1, n
          if (dth(i) < 0._r8) alpha = min(alpha, 0.5_r8 * (theta_new(i) - soil%theta_r) / (-dth(i)))
       end do
       ! fluxes linearised about this iterate: the ones the updated theta balances
       fface(0) = -(q_act + dq1 * dth(1))
       do i = 1, n - 1
          fface(i) = g(i) * (phi(i) + dphi(i) * dth(i) - phi(i+1) - dphi(i+1) * dth(i+1))
       end do
       fface(n) = fout + dfout * dth(n)
       theta_new = theta_new + alpha * dth
       if (alpha == 1._r8 .and. maxval(abs(dth)) < tol) then
          ok = .true.
          exit
       end if
    end do
    q_act = -fface(0)
    if (.not. ok .or. any(.not. (theta_new > soil%theta_r)) .or. &
         any(theta_new > soil%watsat * (1._r8 + 1.e-9_r8))) then
       ok = .false.
       theta_new = theta_old
       return
    end if
    ! soil potential at the root surface: q = g0 (Phi_1 - Phi(a))
    psi_surf = rhizo_psi_mfp(soil, rhizo_mfp(soil, theta_new(1)) - q_act / g(0))
  end subroutine RhizoWaterStep

end module RhizoWaterMod
