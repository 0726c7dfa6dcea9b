!> Turbulent fluxes of a patch without vegetation (L + S below
!! CanopyFluxesMod's canopy_min_area) (CLM4.5 Technical Note, Oleson et al.
!! 2013, sec. 5.2; CLM4.5 BareGroundFluxesMod).
!!
!! Three passes of the Monin-Obukhov iteration (FrictionVelocityMod) give
!! the resistances r_ah, r_aw between the reference height and the ground;
!! the scalar roughness follows Zilitinkevich (1970) as CLM4.5 does,
!!   z0h = z0q = z0m exp(-0.13 (u* z0m / 1.5e-5)^0.45)          (TN eq. 5.65)
!! Sensible heat H_g = -rho c_p (theta_atm - T_g)/r_ah, evaporation
!! E_g = -beta rho (q_atm - q_g)/r_aw (no beta for dew), and their
!! derivatives with respect to T_g for the soil temperature solve.
module BareGroundFluxesMod

  use shr_kind_mod,        only: r8 => shr_kind_r8
  use clm_varcon,          only: cpair, rair, vkc
  use FrictionVelocityMod, only: FrictionVelocity, MoninObukIni, MoninObukUpdate, dprof_h

  implicit none
  private

  public :: BareGroundFluxes

  integer,  parameter :: niters = 3          !< Monin-Obukhov passes [-]

contains

  !> Ground fluxes of the bare elements (veg(i) false); others untouched.
  subroutine BareGroundFluxes(veg, forc_t, forc_q, forc_pbot, forc_wind, forc_hgt, t_grnd, qg, &
       dqgdT, soilbeta, z0mg, eflx_sh_grnd, qflx_evap_soi, cgrnds, cgrndl, t_ref2m, ierr, errmsg)
    logical,  intent(in) :: veg(:)                       !< element is a vegetated patch
    real(r8), intent(in), contiguous :: forc_t(:), forc_q(:), forc_pbot(:)  !< [K], [kg kg-1], [Pa]
    real(r8), intent(in), contiguous :: forc_wind(:), forc_hgt(:)           !< [m s-1], [m]
    real(r8), intent(in), contiguous :: t_grnd(:)        !< ground temperature [K]
    real(r8), intent(in), contiguous :: qg(:), dqgdT(:)  !< [kg kg-1], [kg kg-1 K-1]
    real(r8), intent(in), contiguous :: soilbeta(:)      !< soil evaporation factor [-]
    real(r8), intent(in), contiguous :: z0mg(:)          !< ground roughness length [m]
    real(r8), intent(inout), contiguous :: eflx_sh_grnd(:)   !< ground sensible heat [W m-2]
    real(r8), intent(inout), contiguous :: qflx_evap_soi(:)  !< ground evaporation [mm s-1]
    real(r8), intent(inout), contiguous :: cgrnds(:)     !< d(sensible heat)/dT_g [W m-2 K-1]
    real(r8), intent(inout), contiguous :: cgrndl(:)     !< d(evaporation)/dT_g [mm s-1 K-1]
    real(r8), intent(inout), contiguous :: t_ref2m(:)    !< air temperature 2 m above the ground [K]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer  :: i, it
    real(r8) :: th, thv, thm, ea, rho, ur, um, obu, dth, dqh, dthv, zldis, z0hg
    real(r8) :: ustar, temp1, temp2, tstar, qstar, thvstar, raih, raiw, fv(1,5), z0h_fv, obu_fv
    ierr = 0; errmsg = ''
    do i = 1, size(veg)
       if (veg(i)) cycle
       th = forc_t(i)
       ea = forc_pbot(i) * forc_q(i) / (0.622_r8 + 0.378_r8 * forc_q(i))
       rho = (forc_pbot(i) - 0.378_r8 * ea) / (rair * forc_t(i))
       thv = th * (1._r8 + 0.61_r8 * forc_q(i))
       zldis = max(forc_hgt(i), z0mg(i) + 1._r8)
       thm = forc_t(i) + 0.0098_r8 * zldis
       ur = max(1._r8, forc_wind(i))
       dth = thm - t_grnd(i)
       dqh = forc_q(i) - qg(i)
       dthv = dth * (1._r8 + 0.61_r8 * forc_q(i)) + 0.61_r8 * th * dqh
       z0hg = z0mg(i)
       call MoninObukIni(ur, thv, dthv, zldis, z0mg(i), um, obu)
       do it = 1, niters
          call FrictionVelocity([0._r8], z0mg(i:i), [z0hg], [z0hg], [obu], [ur], [um], [zldis], &
               [zldis], [zldis], fv(:,1), fv(:,2), fv(:,3), fv(:,4), fv(:,5), ierr, errmsg)
          if (ierr /= 0) return
          ustar = fv(1,1); temp1 = fv(1,2); temp2 = fv(1,3)
          z0h_fv = z0hg; obu_fv = obu
          tstar = temp1 * dth
          qstar = temp2 * dqh
          z0hg = z0mg(i) / exp(0.13_r8 * (ustar * z0mg(i) / 1.5e-5_r8)**0.45_r8)
          thvstar = tstar * (1._r8 + 0.61_r8 * forc_q(i)) + 0.61_r8 * th * qstar
          call MoninObukUpdate(ur, thv, thvstar, ustar, zldis, um, obu)
       end do
       raih = rho * cpair * temp1 * ustar
       if (dqh > 0._r8) then                 ! dew: no beta
          raiw = rho * temp2 * ustar
       else
          raiw = soilbeta(i) * rho * temp2 * ustar
       end if
       cgrnds(i) = raih
       cgrndl(i) = raiw * dqgdT(i)
       eflx_sh_grnd(i) = -raih * dth
       qflx_evap_soi(i) = -raiw * dqh
       t_ref2m(i) = thm + temp1 * dth * (dprof_h(2._r8 + z0h_fv, z0h_fv, obu_fv) / vkc - 1._r8 / temp1)
    end do
  end subroutine BareGroundFluxes

end module BareGroundFluxesMod
