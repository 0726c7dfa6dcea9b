!> Solute transport in the soil around one root: radial advection and
!! dispersion of dissolved ions, implicit in time, per unit root length.
!!
!!   d(theta c)/dt = (1/r) d/dr [ r (D_s + lambda |v| theta) dc/dr - r v theta c ]
!!
!! with v theta = F/(2 pi r) the Darcy flux of RhizoWaterMod (F per unit root
!! length, + outward), D_s the diffusion coefficient of the solute in soil
!! after Millington & Quirk (1961, Trans. Faraday Soc. 57:1200):
!!   D_s = D_0 theta^(10/3) / watsat^2   (tortuosity theta^(7/3)/watsat^2),
!! and lambda the longitudinal dispersivity [m]. Advection is upwind,
!! diffusion between nodes uses the exact steady radial conductance
!! 2 pi D_s / ln(r_j/r_i). The root surface is a semi-permeable membrane: water
!! crosses it, solutes do so only by uptake (Michaelis-Menten,
!! U = 2 pi a Imax c / (Km + c) per unit root length, linearised with the
!! denominator at the start of the step so that c stays >= 0) and exudation
!! (a prescribed source). Outer radius: no flux, or the bulk solution
!! (upwind inflow plus dispersion from the bulk concentration).
!! Every solute sees the same matrix except for its own uptake term, so the
!! solution's charge balance is kept when the root's uptake is balanced by
!! proton release (RhizosphereMod).
module RhizoSoluteMod

  use shr_kind_mod,         only: r8 => shr_kind_r8
  use SoilWaterMovementMod, only: solve_tridiagonal
  use RhizoWaterMod,        only: rhizo_pi, rbc_no_flux, rbc_potential

  implicit none
  private

  public :: RhizoTransportStep   ! one implicit step for a set of solutes
  public :: millington_quirk_ds  ! diffusion coefficient in soil

contains

  !> Diffusion coefficient of a solute in soil [m2 s-1] (Millington-Quirk).
  elemental function millington_quirk_ds(theta, watsat, d0) result(ds)
    real(r8), intent(in) :: theta   !< volumetric water [m3 m-3]
    real(r8), intent(in) :: watsat  !< porosity [m3 m-3]
    real(r8), intent(in) :: d0      !< diffusion coefficient in free water [m2 s-1]
    real(r8) :: ds
    ds = d0 * max(theta, 0._r8)**(10._r8 / 3._r8) / watsat**2
  end function millington_quirk_ds

  !-----------------------------------------------------------------------
  !> Advance the solution concentrations of nspec solutes by one step.
  !! Balance of solute k (to round-off):
  !! sum_i vol_i (theta_new c_new - theta_old c_old)_i
  !!   = dt (src_root(k) - uptake(k) - flux_out(k)).
  subroutine RhizoTransportStep(rnode, rface, theta_old, theta_new, fface, watsat, d0, disp, &
       outer_bc, c_outer, alpha_up, src_root, dt, conc, uptake, flux_out)
    real(r8), intent(in), contiguous :: rnode(:)      !< node radii (nr) [m]
    real(r8), intent(in), contiguous :: rface(0:)     !< face radii (0:nr) [m]
    real(r8), intent(in), contiguous :: theta_old(:)  !< water content at the start (nr) [m3 m-3]
    real(r8), intent(in), contiguous :: theta_new(:)  !< water content at the end (nr) [m3 m-3]
    real(r8), intent(in), contiguous :: fface(0:)     !< water flux across faces, + outward (0:nr) [m2 s-1]
    real(r8), intent(in)  :: watsat    !< porosity [m3 m-3]
    real(r8), intent(in)  :: d0        !< diffusion coefficient in free water [m2 s-1]
    real(r8), intent(in)  :: disp      !< dispersivity [m]
    integer,  intent(in)  :: outer_bc  !< rbc_no_flux or rbc_potential (bulk solution at R)
    real(r8), intent(in), contiguous :: c_outer(:)    !< bulk concentration at R (nspec) [mol m-3]
    real(r8), intent(in), contiguous :: alpha_up(:)   !< uptake coefficient, U = alpha c(1) (nspec) [m2 s-1]
    real(r8), intent(in), contiguous :: src_root(:)   !< exudation at the root surface (nspec) [mol m-1 s-1]
    real(r8), intent(in)  :: dt        !< time step [s]
    real(r8), intent(inout), contiguous :: conc(:,:)  !< solution concentration (nr, nspec) [mol m-3]
    real(r8), intent(out), contiguous :: uptake(:)    !< uptake by the root (nspec) [mol m-1 s-1]
    real(r8), intent(out), contiguous :: flux_out(:)  !< flux out across R (nspec) [mol m-1 s-1]

    real(r8) :: am(size(rnode)), bm(size(rnode)), cm(size(rnode)), rhs(size(rnode)), x(size(rnode))
    real(r8) :: b0(size(rnode)), gd(0:size(rnode)), thf, fp, fm
    integer  :: i, k, n

    n = size(rnode)
    gd = 0._r8
    do i = 1, n - 1
       thf = 0.5_r8 * (theta_new(i) + theta_new(i+1))
       gd(i) = 2._r8 * rhizo_pi * millington_quirk_ds(thf, watsat, d0) / log(rnode(i+1) / rnode(i)) &
            + disp * abs(fface(i)) / (rnode(i+1) - rnode(i))
    end do
    if (outer_bc == rbc_potential) then
       gd(n) = 2._r8 * rhizo_pi * millington_quirk_ds(theta_new(n), watsat, d0) / log(rface(n) / rnode(n)) &
            + disp * abs(fface(n)) / (rface(n) - rnode(n))
    end if
    ! matrix shared by every solute
    do i = 1, n
       b0(i) = rhizo_pi * (rface(i)**2 - rface(i-1)**2) * theta_new(i) / dt
       am(i) = 0._r8; cm(i) = 0._r8
    end do
    do i = 1, n - 1
       fp = max(fface(i), 0._r8); fm = min(fface(i), 0._r8)
       b0(i)   = b0(i) + fp + gd(i)
       cm(i)   = fm - gd(i)
       am(i+1) = -(fp + gd(i))
       b0(i+1) = b0(i+1) - fm + gd(i)
    end do
    fp = max(fface(n), 0._r8); fm = min(fface(n), 0._r8)
    if (outer_bc == rbc_potential) b0(n) = b0(n) + fp + gd(n)

    do k = 1, size(conc, 2)
       do i = 1, n
          rhs(i) = rhizo_pi * (rface(i)**2 - rface(i-1)**2) * theta_old(i) * conc(i,k) / dt
       end do
       rhs(1) = rhs(1) + src_root(k)
       if (outer_bc == rbc_potential) rhs(n) = rhs(n) - (fm - gd(n)) * c_outer(k)
       bm = b0
       bm(1) = bm(1) + alpha_up(k)
       call solve_tridiagonal(am, bm, cm, rhs, x)
       conc(:,k) = x
       uptake(k) = alpha_up(k) * x(1)
       if (outer_bc == rbc_potential) then
          flux_out(k) = fp * x(n) + fm * c_outer(k) - gd(n) * (c_outer(k) - x(n))
       else
          flux_out(k) = 0._r8
       end if
    end do
  end subroutine RhizoTransportStep

end module RhizoSoluteMod
