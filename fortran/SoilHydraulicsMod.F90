!> Soil hydraulic properties of CLM4.5 (Oleson et al. 2013, ch. 7; CLM4.5 code
!! iniTimeConst.F90 and SoilHydrologyMod.F90).
!!
!! Mineral soil after Clapp & Hornberger (1978) and Cosby et al. (1984), mixed
!! with organic soil (Lawrence & Slater 2008) whose properties vary with depth;
!! saturated conductivity with percolation theory for the organic part.
!! Water retention psi = -sucsat (theta/watsat)^(-bsw), conductivity
!! k = hksat (theta/watsat)^(2 bsw + 3), with CLM's limits
!! 0.01 <= theta/watsat <= 1 and psi >= smpmin.
module SoilHydraulicsMod

  use shr_kind_mod,       only: r8 => shr_kind_r8
  use ieee_arithmetic,    only: ieee_is_finite
  use shr_strconvert_mod, only: toString

  implicit none
  private

  public :: SoilPropertiesCLM45   ! watsat, sucsat, bsw, hksat, watfc from texture
  public :: soil_psi              ! matric potential from volumetric water
  public :: soil_dpsidtheta       ! its derivative
  public :: soil_theta            ! volumetric water at a matric potential (inverse of soil_psi)

  real(r8), parameter, public :: smpmin       = -1.e8_r8   !< lowest matric potential [mm]
  real(r8), parameter, public :: organic_max  = 130._r8    !< density of pure organic soil [kg m-3]
  real(r8), parameter, public :: zsapric      = 0.5_r8     !< depth of sapric peat [m]
  real(r8), parameter, public :: s_min        = 0.01_r8    !< lowest relative saturation used in psi [-]

contains

  !-----------------------------------------------------------------------
  !> Hydraulic parameters per layer from sand, clay and organic matter.
  !!
  !! CLM4.5 default (10 active layers) uses om_frac = (orgdens/organic_max)**2;
  !! field capacity is theta at k = 0.1 mm d-1.
  subroutine SoilPropertiesCLM45(sand, clay, orgdens, zsoi, watsat, sucsat, bsw, &
       hksat, watfc, ierr, ecol, elev, errmsg)
    real(r8), intent(in), contiguous :: sand(:,:)     !< sand content (ncol, nlev) [%]
    real(r8), intent(in), contiguous :: clay(:,:)     !< clay content (ncol, nlev) [%]
    real(r8), intent(in), contiguous :: orgdens(:,:)  !< organic matter density (ncol, nlev) [kg m-3]
    real(r8), intent(in), contiguous :: zsoi(:,:)     !< node depth (ncol, nlev) [m]
    real(r8), intent(out), contiguous :: watsat(:,:)   !< porosity, theta at saturation [m3 m-3]
    real(r8), intent(out), contiguous :: sucsat(:,:)   !< magnitude of saturated matric potential [mm]
    real(r8), intent(out), contiguous :: bsw(:,:)      !< Clapp-Hornberger exponent B [-]
    real(r8), intent(out), contiguous :: hksat(:,:)    !< saturated hydraulic conductivity [mm s-1]
    real(r8), intent(out), contiguous :: watfc(:,:)    !< field capacity [m3 m-3]
    integer,  intent(out) :: ierr, ecol, elev
    character(len=*), intent(out) :: errmsg

    real(r8), parameter :: pcalpha = 0.5_r8     ! percolation threshold [-]
    real(r8), parameter :: pcbeta  = 0.139_r8   ! percolation exponent [-]
    real(r8) :: om_frac, om_watsat, om_b, om_sucsat, om_hksat
    real(r8) :: xksat, perc_norm, perc_frac, uncon_frac, uncon_hksat
    integer  :: c, j

    ierr = 0; ecol = 0; elev = 0; errmsg = ''
    do j = 1, size(sand, 2)
       do c = 1, size(sand, 1)
          if (.not. (ieee_is_finite(sand(c,j)) .and. ieee_is_finite(clay(c,j)) .and. &
               sand(c,j) >= 0._r8 .and. clay(c,j) >= 0._r8 .and. sand(c,j) + clay(c,j) <= 100._r8)) then
             ierr = 1; ecol = c; elev = j
             errmsg = 'sand = ' // toString(sand(c,j)) // ' %, clay = ' // toString(clay(c,j)) // &
                  ' % at column ' // toString(c) // ', layer ' // toString(j) // &
                  ' are not valid: both must be >= 0 % and sand + clay <= 100 %'
             return
          end if
          if (.not. (ieee_is_finite(orgdens(c,j)) .and. orgdens(c,j) >= 0._r8 &
               .and. orgdens(c,j) <= organic_max)) then
             ierr = 1; ecol = c; elev = j
             errmsg = 'orgdens = ' // toString(orgdens(c,j)) // ' kg m-3 at column ' // toString(c) // &
                  ', layer ' // toString(j) // ' is not valid: organic matter density must lie in [0, 130] kg m-3'
             return
          end if

          om_frac   = (orgdens(c,j) / organic_max)**2
          om_watsat = max(0.93_r8 - 0.1_r8 * (zsoi(c,j) / zsapric), 0.83_r8)
          om_b      = min(2.7_r8 + 9.3_r8 * (zsoi(c,j) / zsapric), 12.0_r8)
          om_sucsat = min(10.3_r8 - 0.2_r8 * (zsoi(c,j) / zsapric), 10.1_r8)
          om_hksat  = max(0.28_r8 - 0.2799_r8 * (zsoi(c,j) / zsapric), 1.e-4_r8)

          watsat(c,j) = (1._r8 - om_frac) * (0.489_r8 - 0.00126_r8 * sand(c,j)) + om_frac * om_watsat
          bsw(c,j)    = (1._r8 - om_frac) * (2.91_r8 + 0.159_r8 * clay(c,j)) + om_frac * om_b
          sucsat(c,j) = (1._r8 - om_frac) * 10._r8 * (10._r8**(1.88_r8 - 0.0131_r8 * sand(c,j))) &
               + om_frac * om_sucsat
          xksat       = 0.0070556_r8 * (10._r8**(-0.884_r8 + 0.0153_r8 * sand(c,j)))

          ! organic fraction above the percolation threshold conducts in connected paths
          perc_norm = (1._r8 - pcalpha)**(-pcbeta)
          if (om_frac > pcalpha) then
             perc_frac = perc_norm * (om_frac - pcalpha)**pcbeta
          else
             perc_frac = 0._r8
          end if
          uncon_frac = (1._r8 - om_frac) + (1._r8 - perc_frac) * om_frac
          if (om_frac < 1._r8) then
             uncon_hksat = uncon_frac / ((1._r8 - om_frac) / xksat + ((1._r8 - perc_frac) * om_frac) / om_hksat)
          else
             uncon_hksat = 0._r8
          end if
          hksat(c,j) = uncon_frac * uncon_hksat + (perc_frac * om_frac) * om_hksat
          watfc(c,j) = watsat(c,j) * (0.1_r8 / (hksat(c,j) * 86400._r8))**(1._r8 / (2._r8 * bsw(c,j) + 3._r8))
       end do
    end do
  end subroutine SoilPropertiesCLM45

  !-----------------------------------------------------------------------
  !> Matric potential [mm] of volumetric water theta, CLM limits applied.
  elemental function soil_psi(theta, watsat, sucsat, bsw) result(psi)
    real(r8), intent(in) :: theta    !< volumetric liquid water [m3 m-3]
    real(r8), intent(in) :: watsat   !< porosity [m3 m-3]
    real(r8), intent(in) :: sucsat   !< |saturated matric potential| [mm]
    real(r8), intent(in) :: bsw      !< Clapp-Hornberger B [-]
    real(r8) :: psi
    real(r8) :: s
    s = min(max(theta / watsat, s_min), 1._r8)
    ! s**(-bsw) as exp(-bsw ln s): about half the cost of pow for s > 0,
    ! within a few ulp (SoilWaterEquilibrium calls this function too, so a
    ! column at equilibrium has exactly zero driving head)
    psi = max(smpmin, -sucsat * exp(-bsw * log(s)))
  end function soil_psi

  !> d psi / d theta [mm per m3 m-3] at theta, as used by CLM4.5's linearisation.
  elemental function soil_dpsidtheta(theta, watsat, sucsat, bsw) result(dpsi)
    real(r8), intent(in) :: theta, watsat, sucsat, bsw
    real(r8) :: dpsi
    real(r8) :: s
    s = min(max(theta / watsat, s_min), 1._r8)
    dpsi = -bsw * soil_psi(theta, watsat, sucsat, bsw) / (s * watsat)
  end function soil_dpsidtheta

  !> Volumetric water [m3 m-3] at matric potential psi [mm]: the inverse of
  !! soil_psi, theta = watsat (psi / -sucsat)^(-1/bsw), saturated for psi >= -sucsat.
  elemental function soil_theta(psi, watsat, sucsat, bsw) result(theta)
    real(r8), intent(in) :: psi, watsat, sucsat, bsw
    real(r8) :: theta
    if (psi >= -sucsat) then
       theta = watsat
    else
       theta = watsat * (psi / (-sucsat))**(-1._r8 / bsw)
    end if
  end function soil_theta

end module SoilHydraulicsMod
