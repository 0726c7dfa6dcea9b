!> Water flow in the soil around one root: the Richards equation in radial
!! (cylindrical) coordinates, per unit root length, solved implicitly.
!!
!! Soil hydraulics are CLM's Clapp & Hornberger (1978) curves
!! (SoilHydraulicsMod): psi = -sucsat s^-b, K = Ks s^(2b+3), s = theta/watsat.
!! Horizontal radial flow has no gravity term, so the Richards equation can be
!! written with the matric flux potential (Kirchhoff transform)
!!     Phi(theta) = integral of K dpsi = Ks sucsat s^(b+3) / (b+3)      [m2 s-1]
!! (de Jong van Lier et al. 2006, Vadose Zone J. 5:1264; Schroeder et al. 2008,
!! Vadose Zone J. 7:1089) as
!!     d(theta)/dt = (1/r) d/dr ( r dPhi/dr ).
!! Finite volumes on a geometric grid from the root surface a to the outer
!! radius R; the flow between nodes r_i and r_j per unit root length is
!! 2 pi (Phi_i - Phi_j) / ln(r_j / r_i), exact for steady radial flow, so a
!! steady profile is reproduced at the nodes. Backward Euler in time, Newton
!! iterations on theta with a tridiagonal Jacobian; every iteration keeps the
!! water of the domain exactly (to round-off) consistent with the boundary
!! fluxes it reports, so the balance closes whether or not theta converged.
!!
!! Root boundary: a flux per unit root length q [m2 s-1] (m3 of water per m of
!! root per s), positive for uptake, negative for night efflux (HR), limited
!! for uptake so that the potential at the root surface stays >= psi_root_min
!! (the soil then supplies what it can). Outer boundary: no flux, or a
!! prescribed bulk-soil potential.
module RhizoWaterMod

  use shr_kind_mod,       only: r8 => shr_kind_r8
  use shr_strconvert_mod, only: toString
  use SoilHydraulicsMod,  only: soil_theta
  use SoilWaterMovementMod, only: solve_tridiagonal

  implicit none
  private

  public :: RhizoGrid          ! geometric radial grid: nodes and faces
  public :: rhizo_mfp          ! matric flux potential Phi(theta)
  public :: rhizo_dmfp         ! dPhi/dtheta
  public :: RhizoWaterStep     ! one implicit time step of radial water flow

  integer, parameter, public :: rbc_no_flux   = 0   !< outer boundary: no flux
  integer, parameter, public :: rbc_potential = 1   !< outer boundary: prescribed potential

  real(r8), parameter, public :: rhizo_pi = 3.14159265358979323846_r8

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

  !> Matric flux potential [m2 s-1] of Clapp-Hornberger soil at theta.
  elemental function rhizo_mfp(theta, watsat, sucsat, bsw, hksat) result(phi)
    real(r8), intent(in) :: theta    !< volumetric water [m3 m-3]
    real(r8), intent(in) :: watsat   !< porosity [m3 m-3]
    real(r8), intent(in) :: sucsat   !< |saturated matric potential| [mm]
    real(r8), intent(in) :: bsw      !< Clapp-Hornberger B [-]
    real(r8), intent(in) :: hksat    !< saturated conductivity [mm s-1]
    real(r8) :: phi
    real(r8) :: s
    s = max(theta / watsat, 0._r8)
    phi = (hksat * 1.e-3_r8) * (sucsat * 1.e-3_r8) / (bsw + 3._r8) * s**(bsw + 3._r8)
  end function rhizo_mfp

  !> dPhi/dtheta [m2 s-1 per m3 m-3] = K(theta) |dpsi/dtheta|.
  elemental function rhizo_dmfp(theta, watsat, sucsat, bsw, hksat) result(dphi)
    real(r8), intent(in) :: theta, watsat, sucsat, bsw, hksat
    real(r8) :: dphi
    real(r8) :: s
    s = max(theta / watsat, 0._r8)
    dphi = (hksat * 1.e-3_r8) * (sucsat * 1.e-3_r8) / watsat * s**(bsw + 2._r8)
  end function rhizo_dmfp

  !-----------------------------------------------------------------------
  !> One backward-Euler step of radial water flow.
  !!
  !! ok = .false. (and theta_new = theta_old) when Newton did not converge in
  !! maxit iterations or the soil would dry to theta <= 0 or wet beyond
  !! saturation: the caller then retries with a shorter step.
  !! Returned fluxes are the ones the new theta is exactly consistent with:
  !! sum_i vol_i (theta_new - theta_old)_i = dt (fface(0) - fface(nr)).
  subroutine RhizoWaterStep(rnode, rface, theta_old, watsat, sucsat, bsw, hksat, &
       q_root, psi_root_min, outer_bc, psi_outer, dt, theta_new, fface, q_act, ok)
    real(r8), intent(in), contiguous :: rnode(:)      !< node radii (nr) [m]
    real(r8), intent(in), contiguous :: rface(0:)     !< face radii (0:nr) [m]
    real(r8), intent(in), contiguous :: theta_old(:)  !< water content at the start (nr) [m3 m-3]
    real(r8), intent(in)  :: watsat        !< porosity [m3 m-3]
    real(r8), intent(in)  :: sucsat        !< |saturated matric potential| [mm]
    real(r8), intent(in)  :: bsw           !< Clapp-Hornberger B [-]
    real(r8), intent(in)  :: hksat         !< saturated conductivity [mm s-1]
    real(r8), intent(in)  :: q_root        !< requested root water flux per root length [m2 s-1], + uptake
    real(r8), intent(in)  :: psi_root_min  !< lowest soil potential at the root surface [mm]
    integer,  intent(in)  :: outer_bc      !< rbc_no_flux or rbc_potential
    real(r8), intent(in)  :: psi_outer     !< bulk-soil potential at the outer radius [mm]
    real(r8), intent(in)  :: dt            !< time step [s]
    real(r8), intent(out), contiguous :: theta_new(:)  !< water content at the end (nr) [m3 m-3]
    real(r8), intent(out), contiguous :: fface(0:)     !< water flux across each face, + outward (0:nr) [m2 s-1]
    real(r8), intent(out) :: q_act         !< root water flux applied, + uptake [m2 s-1]
    logical,  intent(out) :: ok

    integer, parameter :: maxit = 40
    real(r8) :: vol(size(rnode)), g(0:size(rnode))
    real(r8) :: phi(size(rnode)), dphi(size(rnode))
    real(r8) :: am(size(rnode)), bm(size(rnode)), cm(size(rnode)), res(size(rnode)), dth(size(rnode))
    real(r8) :: phi_lim, phi_out, alpha, qlim, dq1, fout, dfout, tol
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
    phi_lim = rhizo_mfp(soil_theta(psi_root_min, watsat, sucsat, bsw), watsat, sucsat, bsw, hksat)
    phi_out = rhizo_mfp(soil_theta(psi_outer, watsat, sucsat, bsw), watsat, sucsat, bsw, hksat)
    tol = 1.e-11_r8 * watsat

    theta_new = theta_old
    ok = .false.
    fface = 0._r8
    q_act = 0._r8
    do it = 1, maxit
       phi  = rhizo_mfp(theta_new, watsat, sucsat, bsw, hksat)
       dphi = rhizo_dmfp(theta_new, watsat, sucsat, bsw, hksat)
       ! root boundary: requested flux, or the most the soil can deliver
       qlim = g(0) * (phi(1) - phi_lim)
       limited = q_root > 0._r8 .and. q_root >= qlim
       if (limited) then
          q_act = qlim; dq1 = g(0) * dphi(1)
       else
          q_act = q_root; dq1 = 0._r8
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
       ! keep theta positive: shorten the Newton step if it would more than halve theta
       alpha = 1._r8
       do i = 1, n
          if (dth(i) < 0._r8) alpha = min(alpha, 0.5_r8 * theta_new(i) / (-dth(i)))
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
    if (.not. ok .or. any(.not. (theta_new > 0._r8)) .or. any(theta_new > watsat * (1._r8 + 1.e-9_r8))) then
       ok = .false.
       theta_new = theta_old
    end if
  end subroutine RhizoWaterStep

end module RhizoWaterMod
