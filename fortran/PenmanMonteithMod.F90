!> Surface energy partition and evapotranspiration: a two-source
!! Penman-Monteith canopy with a Jarvis-Stewart stomatal conductance limited
!! by btran, light, vapour-pressure deficit, temperature and CO2, and CLM4.5's
!! soil evaporation factor beta.
!!
!! hrclm does not carry CLM4.5's photosynthesis-stomatal conductance pair
!! (Collatz/Farquhar with Ball-Berry and an iterated leaf temperature); it
!! uses this cheaper canopy, documented in docs/science_notes.md:
!!
!! Radiation (isothermal net radiation, surface at air temperature):
!!   Rn = (1 - albedo) SW + LW - eps sigma Ta^4,  tau = exp(-kext (L + S))
!!   canopy share Rn_c = (1 - tau) Rn, ground share Rn_g = tau Rn,
!!   ground heat flux G = cg Rn_g, available energy A_c = Rn_c, A_g = Rn_g - G
!! Penman-Monteith (Monteith 1965; FAO-56, Allen et al. 1998):
!!   lambda E = (Delta A + rho cp VPD / ra) / (Delta + gamma (1 + rs / ra))
!!   ra neutral log profile, d = 0.67 h, z0m = 0.123 h, z0h = 0.1 z0m.
!! Conductance (Jarvis 1976; Stewart 1988; factors as in Noah, Chen et al.
!! 1996): gc = L / rsmin * F1(SW) F2(VPD) F3(T) F4 fco2, F4 = btran,
!!   F1 = (rsmin/rsmax + f)/(1 + f), f = 0.55 (SW/rgl) (2/L),
!!   F2 = 1/(1 + hs (qsat(Ta) - qa)), F3 = 1 - 0.0016 (298 - Ta)^2 >= 0,
!!   fco2 = 1/(1 + sco2 (CO2 - 300 ppm)) (stomatal closure with CO2).
!! Fluxes: transpiration E_t = fdry PM(A_c, 1/gc); wet canopy evaporation
!! E_w = fwet PM(A_c, 0), at most the canopy water; ground evaporation
!! E_g = beta PM(A_g, 0), beta of CLM4.5 (Lee & Pielke 1992); none on snow
!! or frozen ground (Ta < T_f). If lambda (E_t + E_w + E_g) exceeds
!! max(A_c + A_g, 0), all three are scaled down together, so latent heat
!! never exceeds the available energy (no evaporation when A <= 0, e.g. at
!! night). Sensible heat H = A - lambda E closes the energy balance.
module PenmanMonteithMod

  use shr_kind_mod, only: r8 => shr_kind_r8
  use clm_varcon,   only: tfrz, cpair, rair, sb, vkc
  use Biogeophysics1Mod, only: soil_beta

  implicit none
  private

  public :: PenmanMonteithFluxes
  public :: latent_heat_vap

  real(r8), parameter, public :: emg    = 0.97_r8       !< surface emissivity [-]
  real(r8), parameter, public :: kext   = 0.5_r8        !< radiation extinction coefficient [-]
  real(r8), parameter, public :: cg     = 0.3_r8        !< ground heat flux / ground net radiation [-]
  real(r8), parameter, public :: rsmax  = 5000._r8      !< cuticular (maximum) stomatal resistance [s m-1]
  real(r8), parameter, public :: wind_min = 0.5_r8      !< smallest wind speed used in ra [m s-1]

contains

  !> Latent heat of vaporisation [J kg-1] at temperature t [K] (Henderson-Sellers 1984 linear fit).
  elemental real(r8) function latent_heat_vap(t)
    real(r8), intent(in) :: t
    latent_heat_vap = 2.501e6_r8 - 2361._r8 * (t - tfrz)
  end function latent_heat_vap

  !> Energy partition and evapotranspiration demands for ncol columns.
  subroutine PenmanMonteithFluxes(tair, qair, psurf, wind, swdown, lwdown, co2, lai, sai, htop, zref, &
       albedo, rsmin, rgl, hs, sco2, btran, fwet, fdry, h2ocan, dtime, theta1, watfc1, h2osno, &
       qflx_tran, qflx_evap_can, qflx_evap_soi_dmd, sabv, fsa, fira, fgr, avail_energy, lambda)
    real(r8), intent(in), contiguous :: tair(:), qair(:), psurf(:), wind(:)  !< [K], [kg kg-1], [Pa], [m s-1]
    real(r8), intent(in), contiguous :: swdown(:), lwdown(:), co2(:)         !< [W m-2], [W m-2], [ppm]
    real(r8), intent(in), contiguous :: lai(:), sai(:), htop(:), zref(:)     !< [m2 m-2], [m2 m-2], [m], [m]
    real(r8), intent(in), contiguous :: albedo(:), rsmin(:), rgl(:), hs(:)   !< [-], [s m-1], [W m-2], [kg kg-1]-1
    real(r8), intent(in), contiguous :: sco2(:)                              !< CO2 sensitivity [ppm-1]
    real(r8), intent(in), contiguous :: btran(:), fwet(:), fdry(:)           !< [-]
    real(r8), intent(in), contiguous :: h2ocan(:)                            !< canopy water [mm]
    real(r8), intent(in)  :: dtime                                !< time step [s]
    real(r8), intent(in), contiguous :: theta1(:), watfc1(:)                 !< layer 1 water, field capacity [m3 m-3]
    real(r8), intent(in), contiguous :: h2osno(:)                            !< snow water [mm]
    real(r8), intent(out), contiguous :: qflx_tran(:)          !< transpiration [mm s-1]
    real(r8), intent(out), contiguous :: qflx_evap_can(:)      !< evaporation of intercepted water [mm s-1]
    real(r8), intent(out), contiguous :: qflx_evap_soi_dmd(:)  !< ground evaporation demand [mm s-1]
    real(r8), intent(out), contiguous :: sabv(:)               !< shortwave absorbed by vegetation [W m-2]
    real(r8), intent(out), contiguous :: fsa(:)                !< shortwave absorbed by the surface [W m-2]
    real(r8), intent(out), contiguous :: fira(:)               !< net longwave, positive upward [W m-2]
    real(r8), intent(out), contiguous :: fgr(:)                !< ground heat flux [W m-2]
    real(r8), intent(out), contiguous :: avail_energy(:)       !< Rn - G [W m-2]
    real(r8), intent(out), contiguous :: lambda(:)             !< latent heat of vaporisation [J kg-1]

    real(r8) :: es, ea, vpd, delta, gamma, rho, ra, d, z0m, z0h, z, u, tau, rn, rnc, rng, ac, ag
    real(r8) :: f, f1, f2, f3, fco2, gc, qsat, le_tot, scale, e_pot_c, e_pot_g, tc
    integer  :: c

    do c = 1, size(tair)
       tc = tair(c) - tfrz
       lambda(c) = latent_heat_vap(tair(c))
       es = 610.78_r8 * exp(17.27_r8 * tc / (tair(c) - 35.86_r8))        ! Tetens [Pa]
       delta = 4098._r8 * es / (tair(c) - 35.86_r8)**2                   ! [Pa K-1]
       ea = qair(c) * psurf(c) / (0.622_r8 + 0.378_r8 * qair(c))
       vpd = max(0._r8, es - ea)
       qsat = 0.622_r8 * es / (psurf(c) - 0.378_r8 * es)
       rho = psurf(c) / (rair * tair(c) * (1._r8 + 0.61_r8 * qair(c)))
       gamma = cpair * psurf(c) / (0.622_r8 * lambda(c))

       ! neutral aerodynamic resistance above the canopy
       d = 0.67_r8 * htop(c)
       z0m = max(0.123_r8 * htop(c), 0.01_r8)
       z0h = 0.1_r8 * z0m
       z = max(zref(c), d + z0m + 1._r8)
       u = max(wind(c), wind_min)
       ra = log((z - d) / z0m) * log((z - d) / z0h) / (vkc**2 * u)

       ! radiation
       tau = exp(-kext * (lai(c) + sai(c)))
       fsa(c) = (1._r8 - albedo(c)) * swdown(c)
       sabv(c) = (1._r8 - tau) * fsa(c)
       fira(c) = emg * sb * tair(c)**4 - emg * lwdown(c)
       rn = fsa(c) - fira(c)
       rnc = (1._r8 - tau) * rn
       rng = tau * rn
       fgr(c) = cg * rng
       ac = rnc
       ag = rng - fgr(c)
       avail_energy(c) = ac + ag

       ! Jarvis-Stewart canopy conductance [m s-1]
       if (lai(c) > 0._r8 .and. tair(c) > tfrz) then
          f = 0.55_r8 * (max(swdown(c), 0._r8) / rgl(c)) * (2._r8 / lai(c))
          f1 = (rsmin(c) / rsmax + f) / (1._r8 + f)
          f2 = 1._r8 / (1._r8 + hs(c) * max(0._r8, qsat - qair(c)))
          f3 = max(0._r8, 1._r8 - 0.0016_r8 * (298._r8 - tair(c))**2)
          fco2 = 1._r8 / (1._r8 + sco2(c) * (co2(c) - 300._r8))
          gc = lai(c) / rsmin(c) * f1 * f2 * f3 * max(0._r8, fco2) * btran(c)
       else
          gc = 0._r8
       end if

       e_pot_c = max(0._r8, penman_monteith(ac, 0._r8))
       if (gc > 0._r8) then
          qflx_tran(c) = fdry(c) * max(0._r8, penman_monteith(ac, 1._r8 / gc))
       else
          qflx_tran(c) = 0._r8
       end if
       qflx_evap_can(c) = min(fwet(c) * e_pot_c, h2ocan(c) / dtime)
       if (h2osno(c) > 0._r8 .or. tair(c) <= tfrz) then
          qflx_evap_soi_dmd(c) = 0._r8
       else
          e_pot_g = max(0._r8, penman_monteith(ag, 0._r8))
          qflx_evap_soi_dmd(c) = soil_beta(theta1(c), watfc1(c)) * e_pot_g
       end if

       ! latent heat may not exceed the available energy
       le_tot = lambda(c) * (qflx_tran(c) + qflx_evap_can(c) + qflx_evap_soi_dmd(c))
       if (le_tot > max(avail_energy(c), 0._r8)) then
          if (le_tot > 0._r8) then
             scale = max(avail_energy(c), 0._r8) / le_tot
          else
             scale = 0._r8
          end if
          qflx_tran(c) = qflx_tran(c) * scale
          qflx_evap_can(c) = qflx_evap_can(c) * scale
          qflx_evap_soi_dmd(c) = qflx_evap_soi_dmd(c) * scale
       end if
    end do

  contains

    !> Penman-Monteith evaporation [mm s-1] for available energy a [W m-2]
    !! and surface resistance rs [s m-1].
    real(r8) function penman_monteith(a, rs) result(e)
      real(r8), intent(in) :: a, rs
      e = (delta * a + rho * cpair * vpd / ra) / (lambda(c) * (delta + gamma * (1._r8 + rs / ra)))
    end function penman_monteith

  end subroutine PenmanMonteithFluxes

end module PenmanMonteithMod
