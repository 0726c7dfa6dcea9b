!> Monin-Obukhov similarity for the surface layer as in CLM4.5
!! (Oleson et al. 2013, NCAR/TN-503+STR, sec. 5.1-5.2; Zeng, Zhao & Dickinson
!! 1998, J. Climate 11, 2628-2644), checked against CTSM
!! src/biogeophys/FrictionVelocityMod.F90 and the RegCM CLM4.5 port
!! (mod_clm_frictionvelocity.F90, mod_clm_baregroundfluxes.F90).
!!
!! zeta = (z - d)/L. Flux-gradient relations (5.30, 5.31): unstable
!! phi_m = (1 - 16 zeta)^(-1/4), phi_h = phi_w = (1 - 16 zeta)^(-1/2);
!! stable (0 <= zeta <= 1) phi = 1 + 5 zeta; very stable (zeta > 1)
!! phi = 5 + zeta; very unstable below zeta_m = -1.574 (momentum) and
!! zeta_h = -0.465 (heat, moisture) the free-convection forms
!! 0.7 k^(2/3) (-zeta)^(1/3) and 0.9 k^(4/3) (-zeta)^(-1/3), matched at the
!! transition points. Integrated, these give the profiles (5.32-5.44):
!!
!!   u*   = k V_a / D_m(z_m - d, z0m),      theta* = k dtheta / D_h(z_h - d, z0h)
!!
!! with D the bracket of eqs. 5.32-5.35 (momentum) and 5.37-5.44 (heat and
!! moisture), psi_m (5.36) and psi_h = psi_w (5.45). As in CLM's code the
!! free-convection terms use the exponent 0.333 (not 1/3) and the constants
!! 1.14 and 0.8 (both from integrating the matched phi).
!!
!! temp1 = k / D_h(z_t - d, z0h) and temp2 = k / D_h(z_q - d, z0q) are CLM's
!! "relations for potential temperature / humidity profile": theta* = temp1
!! dtheta, q* = temp2 dq, and the aerodynamic resistances are
!! r_ah = 1/(temp1 u*), r_aw = 1/(temp2 u*), r_am = 1/(u*^2 / V_a) = ram1
!! [s m-1] (5.55-5.57).
!!
!! MoninObukIni gives the first guess of L from the bulk Richardson number
!! (5.46, 5.48); MoninObukUpdate is CLM's per-iteration update (5.49, 5.28,
!! 5.29): zeta from theta_v*, limited to [0.01, 2] (stable) or [-100, -0.01]
!! (unstable), and the wind V_a = max(u_atm, 0.1) (stable) or
!! sqrt(u_atm^2 + (beta w*)^2) (unstable) with beta = 1, z_i = 1000 m.
module FrictionVelocityMod

  use shr_kind_mod,       only: r8 => shr_kind_r8
  use clm_varcon,         only: vkc, grav
  use ieee_arithmetic,    only: ieee_is_finite
  use shr_strconvert_mod, only: toString

  implicit none
  private

  public :: FrictionVelocity   ! u*, temp1, temp2, ram1, fm for given L
  public :: MoninObukIni       ! first guess of L (and V_a) from the bulk Richardson number
  public :: MoninObukUpdate    ! CLM's update of L and V_a from u* and theta_v*
  public :: psi_m_unstable, psi_h_unstable
  public :: dprof_h            ! heat profile bracket (2-m temperature diagnostics)

  real(r8), parameter, public :: zetam = 1.574_r8   !< |zeta| of the momentum transition, very unstable [-] (5.30)
  real(r8), parameter, public :: zetat = 0.465_r8   !< |zeta| of the heat/moisture transition [-] (5.31)
  real(r8), parameter, public :: zeta_stable_min = 0.01_r8    !< (5.48, 5.49) [-]
  real(r8), parameter, public :: zeta_stable_max = 2._r8      !< [-]
  real(r8), parameter, public :: zeta_unstable_min = -100._r8 !< [-]
  real(r8), parameter, public :: zeta_unstable_max = -0.01_r8 !< [-]
  real(r8), parameter, public :: beta_conv = 1._r8  !< convective velocity scale factor beta [-] (5.28)
  real(r8), parameter, public :: zii = 1000._r8     !< convective boundary-layer height z_i [m] (5.29)
  real(r8), parameter :: third = 0.333_r8           !< CLM's 1/3 in the free-convection terms
  real(r8), parameter :: half_pi = 1.5707963267948966_r8

contains

  !> psi_m(zeta) for zeta < 0 (5.36), x = (1 - 16 zeta)^(1/4).
  elemental real(r8) function psi_m_unstable(zeta)
    real(r8), intent(in) :: zeta   !< [-], <= 0
    real(r8) :: x2, x
    x2 = sqrt(1._r8 - 16._r8 * zeta)
    x = sqrt(x2)
    psi_m_unstable = 2._r8 * log(0.5_r8 * (1._r8 + x)) + log(0.5_r8 * (1._r8 + x2)) &
         - 2._r8 * atan(x) + half_pi
  end function psi_m_unstable

  !> psi_h(zeta) = psi_w(zeta) for zeta < 0 (5.45).
  elemental real(r8) function psi_h_unstable(zeta)
    real(r8), intent(in) :: zeta   !< [-], <= 0
    psi_h_unstable = 2._r8 * log(0.5_r8 * (1._r8 + sqrt(1._r8 - 16._r8 * zeta)))
  end function psi_h_unstable

  !> Momentum profile bracket D_m: u* = k V_a / D_m (5.32-5.35).
  elemental real(r8) function dprof_m(zldis, z0, obu)
    real(r8), intent(in) :: zldis   !< height above displacement [m]
    real(r8), intent(in) :: z0      !< roughness length [m]
    real(r8), intent(in) :: obu     !< Monin-Obukhov length [m]
    real(r8) :: zeta
    zeta = zldis / obu
    if (zeta < -zetam) then                        ! very unstable (5.32)
       dprof_m = log(-zetam * obu / z0) - psi_m_unstable(-zetam) + psi_m_unstable(z0 / obu) &
            + 1.14_r8 * ((-zeta)**third - zetam**third)
    else if (zeta < 0._r8) then                    ! unstable (5.33)
       dprof_m = log(zldis / z0) - psi_m_unstable(zeta) + psi_m_unstable(z0 / obu)
    else if (zeta <= 1._r8) then                   ! stable (5.34)
       dprof_m = log(zldis / z0) + 5._r8 * zeta - 5._r8 * z0 / obu
    else                                           ! very stable (5.35)
       dprof_m = log(obu / z0) + 5._r8 - 5._r8 * z0 / obu + (5._r8 * log(zeta) + zeta - 1._r8)
    end if
  end function dprof_m

  !> Heat / moisture profile bracket D_h: theta* = k dtheta / D_h (5.37-5.44).
  elemental real(r8) function dprof_h(zldis, z0, obu)
    real(r8), intent(in) :: zldis   !< height above displacement [m]
    real(r8), intent(in) :: z0      !< roughness length for heat or moisture [m]
    real(r8), intent(in) :: obu     !< Monin-Obukhov length [m]
    real(r8) :: zeta
    zeta = zldis / obu
    if (zeta < -zetat) then                        ! very unstable (5.37, 5.41)
       dprof_h = log(-zetat * obu / z0) - psi_h_unstable(-zetat) + psi_h_unstable(z0 / obu) &
            + 0.8_r8 * (zetat**(-third) - (-zeta)**(-third))
    else if (zeta < 0._r8) then                    ! unstable (5.38, 5.42)
       dprof_h = log(zldis / z0) - psi_h_unstable(zeta) + psi_h_unstable(z0 / obu)
    else if (zeta <= 1._r8) then                   ! stable (5.39, 5.43)
       dprof_h = log(zldis / z0) + 5._r8 * zeta - 5._r8 * z0 / obu
    else                                           ! very stable (5.40, 5.44)
       dprof_h = log(obu / z0) + 5._r8 - 5._r8 * z0 / obu + (5._r8 * log(zeta) + zeta - 1._r8)
    end if
  end function dprof_h

  !> Friction velocity and the heat / moisture transfer relations for n
  !! patches at a given Monin-Obukhov length (CLM4.5 FrictionVelocity).
  !! All arrays have size n. ierr = 1 with a message for invalid input.
  subroutine FrictionVelocity(displa, z0m, z0h, z0q, obu, ur, um, forc_hgt_u, forc_hgt_t, &
       forc_hgt_q, ustar, temp1, temp2, ram1, fm, ierr, errmsg)
    real(r8), intent(in), contiguous :: displa(:)      !< displacement height d [m]
    real(r8), intent(in), contiguous :: z0m(:)         !< roughness length, momentum [m]
    real(r8), intent(in), contiguous :: z0h(:)         !< roughness length, sensible heat [m]
    real(r8), intent(in), contiguous :: z0q(:)         !< roughness length, water vapour [m]
    real(r8), intent(in), contiguous :: obu(:)         !< Monin-Obukhov length L [m], /= 0
    real(r8), intent(in), contiguous :: ur(:)          !< wind at the reference height [m s-1] (unused but kept as CLM's interface)
    real(r8), intent(in), contiguous :: um(:)          !< wind incl. convective velocity V_a [m s-1], > 0
    real(r8), intent(in), contiguous :: forc_hgt_u(:)  !< height of the wind forcing [m]
    real(r8), intent(in), contiguous :: forc_hgt_t(:)  !< height of the temperature forcing [m]
    real(r8), intent(in), contiguous :: forc_hgt_q(:)  !< height of the humidity forcing [m]
    real(r8), intent(out), contiguous :: ustar(:)      !< friction velocity u* [m s-1]
    real(r8), intent(out), contiguous :: temp1(:)      !< heat relation: r_ah = 1/(temp1 u*) [-]
    real(r8), intent(out), contiguous :: temp2(:)      !< moisture relation: r_aw = 1/(temp2 u*) [-]
    real(r8), intent(out), contiguous :: ram1(:)       !< momentum resistance 1/(u*^2/V_a) [s m-1]
    real(r8), intent(out), contiguous :: fm(:)         !< psi_m at the wind height, CLM's fmnew [-] (see below)
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer :: i
    real(r8) :: zldis, zeta, x
    ierr = 0
    errmsg = ''
    ustar = 0._r8; temp1 = 0._r8; temp2 = 0._r8; ram1 = 0._r8; fm = 0._r8
    do i = 1, size(obu)
       if (.not. (ieee_is_finite(obu(i)) .and. obu(i) /= 0._r8)) then
          call bad('obu', obu(i), i, 'the Monin-Obukhov length must be finite and non-zero (m)')
          return
       end if
       if (.not. (ieee_is_finite(um(i)) .and. um(i) > 0._r8)) then
          call bad('um', um(i), i, 'the wind speed must be finite and > 0 m s-1')
          return
       end if
       if (.not. (z0m(i) > 0._r8 .and. z0h(i) > 0._r8 .and. z0q(i) > 0._r8)) then
          call bad('z0m/z0h/z0q', min(z0m(i), z0h(i), z0q(i)), i, 'roughness lengths must be > 0 m')
          return
       end if
       if (.not. (forc_hgt_u(i) - displa(i) > z0m(i) .and. forc_hgt_t(i) - displa(i) > z0h(i) &
            .and. forc_hgt_q(i) - displa(i) > z0q(i))) then
          call bad('forc_hgt_u/t/q - displa', min(forc_hgt_u(i), forc_hgt_t(i), forc_hgt_q(i)) - displa(i), &
               i, 'forcing heights above the displacement height must exceed the roughness lengths')
          return
       end if
       ustar(i) = vkc * um(i) / dprof_m(forc_hgt_u(i) - displa(i), z0m(i), obu(i))
       temp1(i) = vkc / dprof_h(forc_hgt_t(i) - displa(i), z0h(i), obu(i))
       if (forc_hgt_q(i) == forc_hgt_t(i) .and. z0q(i) == z0h(i)) then
          temp2(i) = temp1(i)
       else
          temp2(i) = vkc / dprof_h(forc_hgt_q(i) - displa(i), z0q(i), obu(i))
       end if
       ram1(i) = 1._r8 / (ustar(i) * ustar(i) / um(i))
       ! CLM's fmnew (used for its 10-m wind): psi_m of min(zeta, 1) with the
       ! Businger-Dyer forms only; CLM averages it over the stability
       ! iterations (fm = (fm_old + fmnew)/2 after the first), left to the caller.
       zldis = forc_hgt_u(i) - displa(i)
       zeta = min(zldis / obu(i), 1._r8)
       if (zeta < 0._r8) then
          x = (1._r8 - 16._r8 * zeta)**0.25_r8
          fm(i) = 2._r8 * log(0.5_r8 * (1._r8 + x)) + log(0.5_r8 * (1._r8 + x * x)) &
               - 2._r8 * atan(x) + half_pi
       else
          fm(i) = -5._r8 * zeta
       end if
    end do
  contains
    subroutine bad(what, val, i, why)
      character(len=*), intent(in) :: what, why
      real(r8), intent(in) :: val
      integer, intent(in) :: i
      ierr = 1
      errmsg = what // ' = ' // toString(val) // ' at patch ' // toString(i) // ' is not valid: ' // why
    end subroutine bad
  end subroutine FrictionVelocity

  !> First guess of the Monin-Obukhov length from the bulk Richardson number
  !! (CLM4.5 MoninObukIni; 5.46, 5.48), with initial u* = 0.06 m s-1 and
  !! convective velocity 0.5 m s-1 as in CLM.
  elemental subroutine MoninObukIni(ur, thv, dthv, zldis, z0m, um, obu)
    real(r8), intent(in)  :: ur      !< wind at the reference height [m s-1]
    real(r8), intent(in)  :: thv     !< virtual potential temperature of the air [K]
    real(r8), intent(in)  :: dthv    !< theta_v(atm) - theta_v(surface) [K]
    real(r8), intent(in)  :: zldis   !< reference height minus displacement [m]
    real(r8), intent(in)  :: z0m     !< roughness length, momentum [m]
    real(r8), intent(out) :: um      !< wind incl. convective velocity V_a [m s-1]
    real(r8), intent(out) :: obu     !< Monin-Obukhov length [m]
    real(r8), parameter :: wc0 = 0.5_r8   ! initial convective velocity [m s-1]
    real(r8) :: rib, zeta
    if (dthv >= 0._r8) then
       um = max(ur, 0.1_r8)
    else
       um = sqrt(ur * ur + wc0 * wc0)
    end if
    rib = grav * zldis * dthv / (thv * um * um)                           ! (5.46)
    if (rib >= 0._r8) then                                                ! (5.48)
       zeta = rib * log(zldis / z0m) / (1._r8 - 5._r8 * min(rib, 0.19_r8))
       zeta = min(zeta_stable_max, max(zeta, zeta_stable_min))
    else
       zeta = rib * log(zldis / z0m)
       zeta = max(zeta_unstable_min, min(zeta, zeta_unstable_max))
    end if
    obu = zldis / zeta
  end subroutine MoninObukIni

  !> CLM's update of L and V_a inside the stability iteration (5.49 with its
  !! limits, 5.28, 5.29), from u* and theta_v* = temp1 dtheta (1 + 0.61 q)
  !! + 0.61 theta q* of the last FrictionVelocity call.
  elemental subroutine MoninObukUpdate(ur, thv, thvstar, ustar, zldis, um, obu)
    real(r8), intent(in)  :: ur        !< wind at the reference height [m s-1]
    real(r8), intent(in)  :: thv       !< virtual potential temperature of the air [K]
    real(r8), intent(in)  :: thvstar   !< virtual potential temperature scale theta_v* [K]
    real(r8), intent(in)  :: ustar     !< friction velocity [m s-1]
    real(r8), intent(in)  :: zldis     !< reference height minus displacement [m]
    real(r8), intent(out) :: um        !< wind incl. convective velocity V_a [m s-1]
    real(r8), intent(out) :: obu       !< Monin-Obukhov length [m]
    real(r8) :: zeta, wc
    zeta = zldis * vkc * grav * thvstar / (ustar * ustar * thv)          ! (5.49)
    if (zeta >= 0._r8) then
       zeta = min(zeta_stable_max, max(zeta, zeta_stable_min))
       um = max(ur, 0.1_r8)
    else
       zeta = max(zeta_unstable_min, min(zeta, zeta_unstable_max))
       wc = beta_conv * (-grav * ustar * thvstar * zii / thv)**third   ! (5.28, 5.29)
       um = sqrt(ur * ur + wc * wc)
    end if
    obu = zldis / zeta
  end subroutine MoninObukUpdate

end module FrictionVelocityMod
