!> Soil temperature as in CLM4.5 without snow, surface water or phase change
!! (Oleson et al. 2013, NCAR/TN-503+STR, ch. 6, "CLM45 tech note" below;
!! checked against the CLM4.5 port in RegCM, mod_clm_soiltemperature.F90 and
!! mod_clm_initimeconst.F90, and CTSM SoilTemperatureMod.F90 /
!! SoilStateInitTimeConstMod.F90).
!!
!! Ground levels (GroundGrid): the nlev hydrologically active layers plus
!! nbedrock = 5 bedrock layers with CLM4.5's thicknesses of levels 11-15.
!!
!! Thermal properties (SoilThermalParams, SoilThermProp; sec. 6.3):
!!   lambda_s  = (1 - f_om) (8.80 %sand + 2.92 %clay)/(%sand + %clay) + f_om 0.25   (6.81, 6.82)
!!   tkmg      = lambda_s^(1 - theta_sat)                                           (6.80, solid part)
!!   tksatu    = tkmg 0.57^theta_sat       (saturated, unfrozen; CLM's tksatu)
!!   rho_d     = 2700 (1 - theta_sat,min)  (mineral porosity, see SoilThermalParams)
!!   lambda_dry= (1 - f_om) (0.135 rho_d + 64.7)/(2700 - 0.947 rho_d) + f_om 0.05   (6.83, 6.84)
!!   c_s       = [(1 - f_om) (2.128 %sand + 2.385 %clay)/(%sand + %clay) + f_om 2.5] 1e6 (6.90, 6.91)
!!   S_r = (theta_liq + theta_ice)/theta_sat <= 1                                   (6.86)
!!   K_e = max(0, log10(S_r) + 1) if T >= T_f, S_r if T < T_f                       (6.85)
!!   lambda_sat = tkmg lambda_liq^(f_l theta_sat) lambda_ice^((1 - f_l) theta_sat),
!!                f_l = theta_liq/(theta_liq + theta_ice)                            (6.80)
!!   lambda = K_e lambda_sat + (1 - K_e) lambda_dry (S_r > 1e-7), lambda_dry else;
!!   lambda = lambda_bedrock = 3 W m-1 K-1 below the soil                           (6.78)
!!   c dz = c_s (1 - theta_sat) dz + C_ice w_ice + C_liq w_liq  [J m-2 K-1]         (6.89)
!!   interface conductivity (harmonic, 6.10-6.12):
!!   lambda[z_h,i] = lambda_i lambda_i+1 (z_i+1 - z_i) /
!!                   (lambda_i (z_i+1 - z_h,i) + lambda_i+1 (z_h,i - z_i))
!!
!! Heat diffusion (SoilTemperature; sec. 6.1, eqs. 6.13-6.45 without snow):
!! Crank-Nicolson with alpha = cnfac = 0.5 (6.14); the surface flux h is
!! linearised in the top-layer temperature, h^{n+1} = h^n + dh/dT (T1^{n+1} -
!! T1^n) (6.18), so it is implicit; top layer coefficients (6.29-6.32 with
!! f_sno = 0), interior (6.42-6.45); the top layer's heat capacity uses the
!! thickness dz_1* = 0.5 [z_1 - z_h,0 + c_a (z_2 - z_h,0)] (6.34, c_a = capr)
!! instead of dz_1; CLM's zero-flux bottom (6.35-6.39) is generalised to a
!! prescribed bottom flux (CLM's eflx_bot; zero in CLM4.5). The tridiagonal
!! system is solved with the Thomas algorithm of SoilWaterMovementMod.
!!
!! Energy: with C_j = dtime / fact_j (= cv_j except for the top layer when
!! capr /= 1), sum_j C_j (T_j^{n+1} - T_j^n) / dtime = hs_applied - bottom_flux
!! holds to round-off, because every interface flux enters the two adjacent
!! layers with opposite signs.
module SoilTemperatureMod

  use shr_kind_mod,         only: r8 => shr_kind_r8
  use clm_varcon,           only: tfrz, denh2o, denice, cpliq, cpice, tkwat, tkice, &
                                  thk_bedrock, csol_bedrock
  use SoilWaterMovementMod, only: solve_tridiagonal
  use ieee_arithmetic,      only: ieee_is_finite
  use shr_strconvert_mod,   only: toString, invalid_value

  implicit none
  private

  public :: GroundGrid
  public :: SoilThermalParams
  public :: SoilThermProp
  public :: SoilTemperature

  integer,  parameter, public :: nbedrock = 5        !< bedrock levels below the soil
  real(r8), parameter :: scalez = 0.025_r8           ! CLM4.5 grid scale [m] (6.5)
  ! Organic-matter thermal parameters (Farouki 1981; CLM4.5 iniTimeConst, 6.81-6.90)
  real(r8), parameter, public :: om_tkm  = 0.25_r8   !< conductivity of organic solids [W m-1 K-1]
  real(r8), parameter, public :: om_tkd  = 0.05_r8   !< conductivity of dry organic soil [W m-1 K-1]
  real(r8), parameter, public :: om_csol = 2.5e6_r8  !< heat capacity of organic solids [J m-3 K-1]
  real(r8), parameter :: rho_solid = 2700._r8        ! density of soil solids in rho_d [kg m-3] (6.84)
  real(r8), parameter :: sr_min = 1.e-7_r8           ! S_r below which lambda = lambda_dry (6.78)

contains

  !-----------------------------------------------------------------------
  !> Ground levels for soil temperature: the nlev hydrology layers (nodes
  !! z_h, interfaces zi_h) followed by nbedrock = 5 bedrock layers with the
  !! thicknesses of CLM4.5's levels 11-15 (z_j = 0.025 (exp(0.5 (j - 0.5)) - 1),
  !! interfaces halfway between nodes, 6.5-6.7), each bedrock node at the same
  !! distance below its upper interface as in CLM4.5. When the hydrology grid
  !! is CLM4.5's levels 1-10 (interfaces ending at 3.8019 m), this gives
  !! exactly CLM4.5's 15 ground levels; otherwise CLM4.5's bedrock block is
  !! shifted to start at the bottom of the given soil.
  pure subroutine GroundGrid(z_h, zi_h, z, dz, zi)
    real(r8), intent(in),  contiguous :: z_h(:)    !< hydrology node depths (nlev) [m]
    real(r8), intent(in),  contiguous :: zi_h(0:)  !< hydrology interfaces (0:nlev) [m]
    real(r8), intent(out), contiguous :: z(:)      !< ground node depths (nlev + 5) [m]
    real(r8), intent(out), contiguous :: dz(:)     !< ground thicknesses (nlev + 5) [m]
    real(r8), intent(out), contiguous :: zi(0:)    !< ground interfaces (0:nlev + 5) [m]
    real(r8) :: zc(15), zic(0:15), dzc(15)
    integer :: j, n, k
    n = size(z_h)
    do j = 1, 15
       zc(j) = scalez * (exp(0.5_r8 * (j - 0.5_r8)) - 1._r8)
    end do
    zic(0) = 0._r8
    do j = 1, 14
       zic(j) = 0.5_r8 * (zc(j) + zc(j+1))
    end do
    dzc(15) = zc(15) - zc(14)
    zic(15) = zc(15) + 0.5_r8 * dzc(15)
    do j = 1, 15
       dzc(j) = zic(j) - zic(j-1)
    end do
    z(1:n) = z_h
    zi(0:n) = zi_h(0:n)
    dz(1:n) = zi_h(1:n) - zi_h(0:n-1)
    do k = 1, nbedrock
       j = n + k
       dz(j) = dzc(10 + k)
       zi(j) = zi(j-1) + dz(j)
       z(j)  = zi(j-1) + (zc(10 + k) - zic(9 + k))
    end do
  end subroutine GroundGrid

  !-----------------------------------------------------------------------
  !> Soil thermal parameters per soil layer from texture, organic fraction and
  !! porosity (CLM4.5 iniTimeConst; tech note 6.80-6.84, 6.90, 6.91).
  !! The dry bulk density uses the mineral porosity 0.489 - 0.00126 %sand, as
  !! CLM4.5's code does (bd is computed before watsat is blended with the
  !! organic porosity; the tech note writes theta_sat). All arrays (ncol, nlev).
  subroutine SoilThermalParams(sand, clay, om_frac, watsat, tkmg, tksatu, tkdry, csol, ierr, errmsg)
    real(r8), intent(in),  contiguous :: sand(:,:)     !< sand content [%]
    real(r8), intent(in),  contiguous :: clay(:,:)     !< clay content [%]
    real(r8), intent(in),  contiguous :: om_frac(:,:)  !< organic-matter fraction f_om [-], 0..1
    real(r8), intent(in),  contiguous :: watsat(:,:)   !< porosity (organic-blended) [m3 m-3]
    real(r8), intent(out), contiguous :: tkmg(:,:)     !< solid conductivity^(1 - watsat) [W m-1 K-1]
    real(r8), intent(out), contiguous :: tksatu(:,:)   !< saturated unfrozen conductivity [W m-1 K-1]
    real(r8), intent(out), contiguous :: tkdry(:,:)    !< dry conductivity [W m-1 K-1]
    real(r8), intent(out), contiguous :: csol(:,:)     !< heat capacity of soil solids [J m-3 K-1]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer :: c, j
    real(r8) :: tkm, bd, f
    ierr = 0
    errmsg = ''
    tkmg = 0._r8; tksatu = 0._r8; tkdry = 0._r8; csol = 0._r8
    do j = 1, size(sand, 2)
       do c = 1, size(sand, 1)
          if (.not. (sand(c,j) >= 0._r8 .and. clay(c,j) >= 0._r8 .and. &
               sand(c,j) + clay(c,j) > 0._r8 .and. sand(c,j) + clay(c,j) <= 100._r8)) then
             call bad('sand + clay', sand(c,j) + clay(c,j), &
                  'sand and clay must be >= 0 % with 0 < sand + clay <= 100 %')
             return
          end if
          if (.not. (om_frac(c,j) >= 0._r8 .and. om_frac(c,j) <= 1._r8)) then
             call bad('om_frac', om_frac(c,j), 'the organic fraction must be in [0, 1]')
             return
          end if
          if (.not. (watsat(c,j) > 0._r8 .and. watsat(c,j) < 1._r8)) then
             call bad('watsat', watsat(c,j), 'the porosity must be in (0, 1) m3 m-3')
             return
          end if
          f = om_frac(c,j)
          tkm = (1._r8 - f) * (8.80_r8 * sand(c,j) + 2.92_r8 * clay(c,j)) / (sand(c,j) + clay(c,j)) &
               + f * om_tkm                                                        ! (6.81, 6.82)
          bd = (1._r8 - (0.489_r8 - 0.00126_r8 * sand(c,j))) * rho_solid
          tkmg(c,j) = tkm**(1._r8 - watsat(c,j))
          tksatu(c,j) = tkmg(c,j) * tkwat**watsat(c,j)
          tkdry(c,j) = (1._r8 - f) * (0.135_r8 * bd + 64.7_r8) / (rho_solid - 0.947_r8 * bd) &
               + f * om_tkd                                                        ! (6.83, 6.84)
          csol(c,j) = ((1._r8 - f) * (2.128_r8 * sand(c,j) + 2.385_r8 * clay(c,j)) &
               / (sand(c,j) + clay(c,j))) * 1.e6_r8 + f * om_csol                   ! (6.90, 6.91)
       end do
    end do
  contains
    subroutine bad(what, val, why)
      character(len=*), intent(in) :: what, why
      real(r8), intent(in) :: val
      ierr = 1
      errmsg = invalid_value(what, val, c, 'layer', j, why)
    end subroutine bad
  end subroutine SoilThermalParams

  !-----------------------------------------------------------------------
  !> Thermal conductivity at the level interfaces and heat capacity of every
  !! ground level (CLM4.5 SoilThermProp without snow, urban, lake, wetland
  !! and glacier branches). Levels 1..nlev are soil; levels nlev+1..nlevgrnd
  !! are bedrock (lambda = thk_bedrock, c_s = csol_bedrock, porosity of the
  !! deepest soil layer). Liquid and ice of bedrock levels are normally zero.
  subroutine SoilThermProp(z, dz, zi, watsat, tkmg, tkdry, csol, t_soisno, h2osoi_liq, h2osoi_ice, &
       thk, tk, cv, ierr, errmsg)
    real(r8), intent(in),  contiguous :: z(:,:)          !< node depth (ncol, nlevgrnd) [m]
    real(r8), intent(in),  contiguous :: dz(:,:)         !< thickness (ncol, nlevgrnd) [m]
    real(r8), intent(in),  contiguous :: zi(:,0:)        !< interfaces (ncol, 0:nlevgrnd) [m]
    real(r8), intent(in),  contiguous :: watsat(:,:)     !< porosity (ncol, nlev) [m3 m-3]
    real(r8), intent(in),  contiguous :: tkmg(:,:)       !< (ncol, nlev) [W m-1 K-1]
    real(r8), intent(in),  contiguous :: tkdry(:,:)      !< (ncol, nlev) [W m-1 K-1]
    real(r8), intent(in),  contiguous :: csol(:,:)       !< (ncol, nlev) [J m-3 K-1]
    real(r8), intent(in),  contiguous :: t_soisno(:,:)   !< temperature (ncol, nlevgrnd) [K]
    real(r8), intent(in),  contiguous :: h2osoi_liq(:,:) !< liquid water (ncol, nlevgrnd) [kg m-2]
    real(r8), intent(in),  contiguous :: h2osoi_ice(:,:) !< ice (ncol, nlevgrnd) [kg m-2]
    real(r8), intent(out), contiguous :: thk(:,:)        !< conductivity at the nodes (ncol, nlevgrnd) [W m-1 K-1]
    real(r8), intent(out), contiguous :: tk(:,:)         !< conductivity at interface zi(j), j < nlevgrnd; 0 at the bottom [W m-1 K-1]
    real(r8), intent(out), contiguous :: cv(:,:)         !< heat capacity (ncol, nlevgrnd) [J m-2 K-1]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer :: c, j, nlev, nlevgrnd, js
    real(r8) :: satw, dke, fl, dksat, vliq, vice
    ierr = 0
    errmsg = ''
    thk = 0._r8; tk = 0._r8; cv = 0._r8
    nlev = size(watsat, 2)
    nlevgrnd = size(z, 2)
    do c = 1, size(z, 1)
       do j = 1, nlevgrnd
          if (.not. (ieee_is_finite(dz(c,j)) .and. dz(c,j) > 0._r8)) then
             call bad('dz', dz(c,j), 'thicknesses must be finite and > 0 m'); return
          end if
          if (.not. (h2osoi_liq(c,j) >= 0._r8 .and. h2osoi_ice(c,j) >= 0._r8)) then
             call bad('h2osoi_liq/ice', min(h2osoi_liq(c,j), h2osoi_ice(c,j)), &
                  'water and ice must be >= 0 kg m-2'); return
          end if
          if (.not. ieee_is_finite(t_soisno(c,j))) then
             call bad('t_soisno', t_soisno(c,j), 'temperatures must be finite (K)'); return
          end if
          js = min(j, nlev)
          if (.not. (watsat(c,js) > 0._r8 .and. watsat(c,js) < 1._r8 .and. tkmg(c,js) > 0._r8 &
               .and. tkdry(c,js) > 0._r8 .and. csol(c,js) > 0._r8)) then
             call bad('watsat/tkmg/tkdry/csol', min(watsat(c,js), tkmg(c,js), tkdry(c,js), csol(c,js)), &
                  'soil thermal parameters must be > 0 (porosity < 1)'); return
          end if
          if (j <= nlev) then
             vliq = h2osoi_liq(c,j) / (denh2o * dz(c,j))
             vice = h2osoi_ice(c,j) / (denice * dz(c,j))
             satw = min(1._r8, (vliq + vice) / watsat(c,j))                        ! (6.86)
             if (satw > sr_min) then
                if (t_soisno(c,j) >= tfrz) then                                   ! (6.85)
                   dke = max(0._r8, log10(satw) + 1._r8)
                else
                   dke = satw
                end if
                fl = vliq / (vliq + vice)
                dksat = tkmg(c,j) * tkwat**(fl * watsat(c,j)) * tkice**((1._r8 - fl) * watsat(c,j)) ! (6.80)
                thk(c,j) = dke * dksat + (1._r8 - dke) * tkdry(c,j)                ! (6.78)
             else
                thk(c,j) = tkdry(c,j)
             end if
             cv(c,j) = csol(c,j) * (1._r8 - watsat(c,j)) * dz(c,j)                 ! (6.89)
          else
             thk(c,j) = thk_bedrock                                                ! (6.78)
             cv(c,j) = csol_bedrock * (1._r8 - watsat(c,nlev)) * dz(c,j)           ! (6.89, 6.91)
          end if
          cv(c,j) = cv(c,j) + cpice * h2osoi_ice(c,j) + cpliq * h2osoi_liq(c,j)
       end do
       do j = 1, nlevgrnd - 1                                                      ! (6.11)
          tk(c,j) = thk(c,j) * thk(c,j+1) * (z(c,j+1) - z(c,j)) / &
               (thk(c,j) * (z(c,j+1) - zi(c,j)) + thk(c,j+1) * (zi(c,j) - z(c,j)))
       end do
       tk(c,nlevgrnd) = 0._r8
    end do
  contains
    subroutine bad(what, val, why)
      character(len=*), intent(in) :: what, why
      real(r8), intent(in) :: val
      ierr = 1
      errmsg = invalid_value(what, val, c, 'level', j, why)
    end subroutine bad
  end subroutine SoilThermProp

  !-----------------------------------------------------------------------
  !> One time step of soil heat diffusion for ncol columns of nlevgrnd >= 2
  !! levels (CLM4.5 SoilTemperature without snow / surface water / phase
  !! change). Sign conventions: hs, hs_applied and fgr are positive downward
  !! (into the soil); bottom_flux is positive downward, i.e. out of the column.
  !! t_soisno(:,1) on return is CLM's ground temperature T_g of a snow-free
  !! column when capr = CLM's 0.34 (6.34).
  subroutine SoilTemperature(dtime, capr, cnfac, z, dz, zi, tk, cv, hs, dhsdT, bottom_flux, &
       t_soisno, fact, fgr, hs_applied, ierr, errmsg)
    real(r8), intent(in) :: dtime                         !< time step [s]
    real(r8), intent(in) :: capr                          !< top-layer heat-capacity factor c_a [-] (CLM: 0.34; 1: none)
    real(r8), intent(in) :: cnfac                         !< Crank-Nicolson factor alpha [-] (CLM: 0.5)
    real(r8), intent(in),  contiguous :: z(:,:)           !< node depth (ncol, nlevgrnd) [m]
    real(r8), intent(in),  contiguous :: dz(:,:)          !< thickness (ncol, nlevgrnd) [m]
    real(r8), intent(in),  contiguous :: zi(:,0:)         !< interfaces (ncol, 0:nlevgrnd) [m]
    real(r8), intent(in),  contiguous :: tk(:,:)          !< interface conductivity (ncol, nlevgrnd) [W m-1 K-1]
    real(r8), intent(in),  contiguous :: cv(:,:)          !< heat capacity (ncol, nlevgrnd) [J m-2 K-1]
    real(r8), intent(in),  contiguous :: hs(:)            !< heat flux into the soil surface at T1^n [W m-2]
    real(r8), intent(in),  contiguous :: dhsdT(:)         !< d hs / d T1 [W m-2 K-1], <= 0
    real(r8), intent(in),  contiguous :: bottom_flux(:)   !< heat flux out of the bottom, downward [W m-2]
    real(r8), intent(inout), contiguous :: t_soisno(:,:)  !< temperature (ncol, nlevgrnd) [K]
    real(r8), intent(out), contiguous :: fact(:,:)        !< dtime / effective heat capacity [m2 K J-1 s]
    real(r8), intent(out), contiguous :: fgr(:,:)         !< heat flux across interface zi(j), downward,
                                                          !! time-centred; fgr(:,nlevgrnd) = bottom_flux [W m-2]
    real(r8), intent(out), contiguous :: hs_applied(:)    !< hs + dhsdT (T1^{n+1} - T1^n) [W m-2]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer :: c, j, n
    real(r8) :: at(size(z,2)), bt(size(z,2)), ct(size(z,2)), rt(size(z,2)), tnew(size(z,2))
    real(r8) :: fn(size(z,2)), g(size(z,2)), fnew, t1old
    ierr = 0
    errmsg = ''
    fact = 0._r8; fgr = 0._r8; hs_applied = 0._r8
    n = size(z, 2)
    if (n < 2) then
       call bad0('nlevgrnd', real(n, r8), 'the column needs at least 2 levels'); return
    end if
    if (.not. (ieee_is_finite(dtime) .and. dtime > 0._r8)) then
       call bad0('dtime', dtime, 'the time step must be finite and > 0 s'); return
    end if
    if (.not. (capr > 0._r8 .and. capr <= 1._r8)) then
       call bad0('capr', capr, 'the top-layer factor must be in (0, 1]'); return
    end if
    if (.not. (cnfac >= 0._r8 .and. cnfac <= 0.5_r8)) then
       call bad0('cnfac', cnfac, 'the Crank-Nicolson factor must be in [0, 0.5] for stability'); return
    end if
    do c = 1, size(z, 1)
       j = 1
       if (.not. (ieee_is_finite(hs(c)) .and. ieee_is_finite(bottom_flux(c)))) then
          call bad('hs/bottom_flux', merge(hs(c), bottom_flux(c), .not. ieee_is_finite(hs(c))), &
               'heat fluxes must be finite (W m-2)'); return
       end if
       if (.not. (ieee_is_finite(dhsdT(c)) .and. dhsdT(c) <= 0._r8)) then
          call bad('dhsdT', dhsdT(c), 'the surface flux derivative must be finite and <= 0 W m-2 K-1'); return
       end if
       do j = 1, n
          if (.not. (ieee_is_finite(dz(c,j)) .and. dz(c,j) > 0._r8)) then
             call bad('dz', dz(c,j), 'thicknesses must be finite and > 0 m'); return
          end if
          if (.not. (ieee_is_finite(cv(c,j)) .and. cv(c,j) > 0._r8)) then
             call bad('cv', cv(c,j), 'heat capacities must be finite and > 0 J m-2 K-1'); return
          end if
          if (.not. (ieee_is_finite(t_soisno(c,j)) .and. t_soisno(c,j) > 0._r8)) then
             call bad('t_soisno', t_soisno(c,j), 'temperatures must be finite and > 0 K'); return
          end if
          if (j < n) then
             if (.not. (ieee_is_finite(tk(c,j)) .and. tk(c,j) > 0._r8)) then
                call bad('tk', tk(c,j), 'interface conductivities must be finite and > 0 W m-1 K-1'); return
             end if
             if (.not. (z(c,j+1) > z(c,j))) then
                call bad('z', z(c,j+1), 'node depths must increase downward (m)'); return
             end if
          end if
       end do
    end do

    do c = 1, size(z, 1)
       ! dtime / heat capacity, with dz_1* for the top layer (6.34)
       do j = 1, n
          fact(c,j) = dtime / cv(c,j)
       end do
       fact(c,1) = fact(c,1) * dz(c,1) / (0.5_r8 * (z(c,1) - zi(c,0) + capr * (z(c,2) - zi(c,0))))
       ! conductances tk / (z_j+1 - z_j) and the old upward fluxes fn (CLM's sign)
       do j = 1, n - 1
          g(j) = tk(c,j) / (z(c,j+1) - z(c,j))
          fn(j) = g(j) * (t_soisno(c,j+1) - t_soisno(c,j))
       end do
       fn(n) = -bottom_flux(c)                      ! CLM's eflx_bot (upward into the column)
       ! top layer (6.29-6.32, f_sno = 0)
       at(1) = 0._r8
       bt(1) = 1._r8 + (1._r8 - cnfac) * fact(c,1) * g(1) - fact(c,1) * dhsdT(c)
       ct(1) = -(1._r8 - cnfac) * fact(c,1) * g(1)
       rt(1) = t_soisno(c,1) + fact(c,1) * (hs(c) - dhsdT(c) * t_soisno(c,1) + cnfac * fn(1))
       ! interior (6.42-6.45)
       do j = 2, n - 1
          at(j) = -(1._r8 - cnfac) * fact(c,j) * g(j-1)
          bt(j) = 1._r8 + (1._r8 - cnfac) * fact(c,j) * (g(j) + g(j-1))
          ct(j) = -(1._r8 - cnfac) * fact(c,j) * g(j)
          rt(j) = t_soisno(c,j) + cnfac * fact(c,j) * (fn(j) - fn(j-1))
       end do
       ! bottom (6.36-6.39, with the prescribed flux fully in the source term)
       at(n) = -(1._r8 - cnfac) * fact(c,n) * g(n-1)
       bt(n) = 1._r8 + (1._r8 - cnfac) * fact(c,n) * g(n-1)
       ct(n) = 0._r8
       rt(n) = t_soisno(c,n) - cnfac * fact(c,n) * fn(n-1) + fact(c,n) * fn(n)
       call solve_tridiagonal(at, bt, ct, rt, tnew)
       t1old = t_soisno(c,1)
       ! time-centred downward interface fluxes (CLM's eflx_fgr)
       do j = 1, n - 1
          fnew = g(j) * (tnew(j+1) - tnew(j))
          fgr(c,j) = -(cnfac * fn(j) + (1._r8 - cnfac) * fnew)
       end do
       fgr(c,n) = bottom_flux(c)
       hs_applied(c) = hs(c) + dhsdT(c) * (tnew(1) - t1old)       ! (6.18)
       t_soisno(c,:) = tnew
    end do
  contains
    subroutine bad(what, val, why)
      character(len=*), intent(in) :: what, why
      real(r8), intent(in) :: val
      ierr = 1
      errmsg = invalid_value(what, val, c, 'level', j, why)
    end subroutine bad
    subroutine bad0(what, val, why)
      character(len=*), intent(in) :: what, why
      real(r8), intent(in) :: val
      ierr = 1
      errmsg = what // ' = ' // toString(val) // ' is not valid: ' // why
    end subroutine bad0
  end subroutine SoilTemperature

end module SoilTemperatureMod
