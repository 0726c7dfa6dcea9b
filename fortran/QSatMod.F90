!> Saturation vapour pressure and specific humidity, as CLM4.5 computes them
!! (CLM4.5 QSatMod; Oleson et al. 2013, sec. 5.5, eqs. 5.142-5.145).
!!
!! Saturation vapour pressure over liquid water (T >= T_f) or over ice
!! (T < T_f) is an eighth-order polynomial in t_c = T - T_f [deg C] (Flatau,
!! Walko & Cotton 1992, J. Appl. Meteorol. 31, 1507-1513, relative-error
!! fits); its temperature derivative is a separate eighth-order fit of the
!! same paper (so esdT is close to, but not exactly, the derivative of es).
!! Like CLM, t_c is clipped to [-75, 100] deg C before the polynomials are
!! evaluated (both es and esdT are then those at the clip limit).
!!
!!   q_s = 0.622 e_s / (p - 0.378 e_s)                              (5.144)
!!   dq_s/dT = 0.622 p / (p - 0.378 e_s)^2  de_s/dT                 (5.145)
!!
!! The coefficient values (hPa, hPa K-1) were checked against CTSM
!! src/biogeophys/QSatMod.F90 and the RegCM CLM4.5 port (mod_clm_qsat.F90);
!! the branch test is t_c >= 0 (water at exactly T_f) as in both.
module QSatMod

  use shr_kind_mod, only: r8 => shr_kind_r8
  use clm_varcon,   only: tfrz

  implicit none
  private

  public :: QSat

  ! Flatau et al. (1992), saturation vapour pressure over water [hPa], 0..100 C
  real(r8), parameter :: aw(0:8) = [ 6.11213476_r8,      0.444007856_r8,    0.143064234e-01_r8, &
                                     0.264461437e-03_r8, 0.305903558e-05_r8, 0.196237241e-07_r8, &
                                     0.892344772e-10_r8, -0.373208410e-12_r8, 0.209339997e-15_r8 ]
  ! its temperature derivative over water [hPa K-1]
  real(r8), parameter :: bw(0:8) = [ 0.444017302_r8,     0.286064092e-01_r8, 0.794683137e-03_r8, &
                                     0.121211669e-04_r8, 0.103354611e-06_r8, 0.404125005e-09_r8, &
                                     -0.788037859e-12_r8, -0.114596802e-13_r8, 0.381294516e-16_r8 ]
  ! saturation vapour pressure over ice [hPa], -75..0 C
  real(r8), parameter :: ai(0:8) = [ 6.11123516_r8,      0.503109514_r8,    0.188369801e-01_r8, &
                                     0.420547422e-03_r8, 0.614396778e-05_r8, 0.602780717e-07_r8, &
                                     0.387940929e-09_r8, 0.149436277e-11_r8, 0.262655803e-14_r8 ]
  ! its temperature derivative over ice [hPa K-1]
  real(r8), parameter :: bi(0:8) = [ 0.503277922_r8,     0.377289173e-01_r8, 0.126801703e-02_r8, &
                                     0.249468427e-04_r8, 0.313703411e-06_r8, 0.257180651e-08_r8, &
                                     0.133268878e-10_r8, 0.394116744e-13_r8, 0.498070196e-16_r8 ]

  real(r8), parameter :: tc_min = -75._r8    !< lower clip of T - T_f [deg C]
  real(r8), parameter :: tc_max = 100._r8    !< upper clip of T - T_f [deg C]
  real(r8), parameter :: hpa = 100._r8       !< Pa per hPa

contains

  !> Saturation vapour pressure es [Pa], its derivative esdT [Pa K-1],
  !! saturation specific humidity qs [kg kg-1] and dqs/dT qsdT [kg kg-1 K-1]
  !! at temperature t [K] and air pressure p [Pa] (p must exceed 0.378 es).
  elemental subroutine QSat(t, p, es, esdT, qs, qsdT)
    real(r8), intent(in)  :: t      !< temperature [K]
    real(r8), intent(in)  :: p      !< air pressure [Pa]
    real(r8), intent(out) :: es     !< saturation vapour pressure [Pa]
    real(r8), intent(out) :: esdT   !< d es / d T [Pa K-1]
    real(r8), intent(out) :: qs     !< saturation specific humidity [kg kg-1]
    real(r8), intent(out) :: qsdT   !< d qs / d T [kg kg-1 K-1]
    real(r8) :: tc, rden
    tc = min(tc_max, max(tc_min, t - tfrz))
    if (tc >= 0._r8) then
       es   = horner(aw, tc) * hpa
       esdT = horner(bw, tc) * hpa
    else
       es   = horner(ai, tc) * hpa
       esdT = horner(bi, tc) * hpa
    end if
    rden = 1._r8 / (p - 0.378_r8 * es)
    qs   = 0.622_r8 * es * rden                     ! (5.144)
    qsdT = 0.622_r8 * p * rden * rden * esdT        ! (5.145)
  end subroutine QSat

  !> Polynomial c(0) + c(1) x + ... + c(8) x^8 by Horner's rule.
  pure real(r8) function horner(c, x)
    real(r8), intent(in) :: c(0:8), x
    integer :: k
    horner = c(8)
    do k = 7, 0, -1
       horner = c(k) + x * horner
    end do
  end function horner

end module QSatMod
