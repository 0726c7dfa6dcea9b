!> Cation exchange on the soil's cation exchange capacity (CEC) in
!! equilibrium with the soil solution, Gaines-Thomas convention.
!!
!! Each exchangeable cation i (charge z_i) obeys the half reaction
!!     i^{z_i+} + z_i X-  <=>  iX_{z_i},    E_i = K_i c_i x^{z_i}
!! with E_i the equivalent fraction of the CEC held by i (sum E_i = 1),
!! c_i the solution concentration in mol L-1 (activities taken as
!! concentrations), x the activity of the free exchange site and K_i the
!! selectivity coefficient relative to Na+ (K_Na = 1). Any Gaines-Thomas
!! binary coefficient follows: K_GT(i/j) = E_i^{1/z_i} c_j^{1/z_j} /
!! (E_j^{1/z_j} c_i^{1/z_i}) = K_i^{1/z_i} / K_j^{1/z_j}.
!! (Gaines & Thomas 1953, J. Chem. Phys. 21:714; Appelo & Postma 2005,
!! Geochemistry, Groundwater and Pollution, ch. 6; the PHREEQC
!! EXCHANGE_SPECIES convention.)
!!
!! Given the total of each cation in a soil volume (solution + exchanger),
!! the equilibrium is one monotone equation in u = ln x, solved by Newton's
!! method kept inside a bracket. Fractions are normalised to sum to 1 and the
!! solution concentrations follow from the totals, so the exchanger holds
!! exactly the CEC and every cation's total is kept to round-off.
module CationExchangeMod

  use shr_kind_mod,       only: r8 => shr_kind_r8
  use shr_strconvert_mod, only: toString

  implicit none
  private

  public :: GainesThomasFractions     ! E_i from a solution composition
  public :: GainesThomasEquilibrium   ! solution and exchanger from totals

contains

  !-----------------------------------------------------------------------
  !> Equivalent fractions on the exchanger in equilibrium with a given
  !! solution (the solution is not changed: an infinite solution reservoir).
  subroutine GainesThomasFractions(conc, z, kex, frac, ierr, errmsg)
    real(r8), intent(in), contiguous  :: conc(:)   !< solution concentrations (ncat) [mol m-3]
    real(r8), intent(in), contiguous  :: z(:)      !< charges (ncat) [-]
    real(r8), intent(in), contiguous  :: kex(:)    !< selectivity coefficients vs Na+ (ncat) [-]
    real(r8), intent(out), contiguous :: frac(:)   !< equivalent fractions (ncat) [-]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    real(r8) :: theta_inf(1)
    real(r8) :: u, f, df, lo, hi, t
    integer  :: i, it
    ierr = 0; errmsg = ''
    theta_inf = 0._r8
    call check_exchange(conc, z, kex, 'concentration', ierr, errmsg)
    if (ierr /= 0) return
    if (sum(conc) <= 0._r8) then
       ierr = 1
       errmsg = 'concentration = 0 mol m-3 for every exchangeable cation is not valid: the exchanger needs ' // &
            'at least one cation in solution'
       return
    end if
    ! sum_i K_i c_i e^{z_i u} = 1, increasing in u
    lo = -50._r8; hi = 50._r8
    u = 0._r8
    do it = 1, 200
       f = -1._r8; df = 0._r8
       do i = 1, size(conc)
          t = kex(i) * conc(i) * 1.e-3_r8 * exp(z(i) * u)
          f = f + t; df = df + z(i) * t
       end do
       if (f > 0._r8) then
          hi = u
       else
          lo = u
       end if
       if (abs(f) < 1.e-15_r8) exit
       u = u - f / df
       if (.not. (u > lo .and. u < hi)) u = 0.5_r8 * (lo + hi)
    end do
    do i = 1, size(conc)
       frac(i) = kex(i) * conc(i) * 1.e-3_r8 * exp(z(i) * u)
    end do
    frac = frac / sum(frac)
  end subroutine GainesThomasFractions

  !-----------------------------------------------------------------------
  !> Partition of each cation's total between solution and exchanger.
  subroutine GainesThomasEquilibrium(total, theta, cecv, z, kex, conc, frac, ierr, errmsg)
    real(r8), intent(in), contiguous  :: total(:)  !< solution + exchanger per soil volume (ncat) [mol m-3]
    real(r8), intent(in)  :: theta                 !< volumetric water content [m3 m-3]
    real(r8), intent(in)  :: cecv                  !< exchange capacity per soil volume [molc m-3]
    real(r8), intent(in), contiguous  :: z(:)      !< charges (ncat) [-]
    real(r8), intent(in), contiguous  :: kex(:)    !< selectivity coefficients vs Na+ (ncat) [-]
    real(r8), intent(out), contiguous :: conc(:)   !< solution concentrations (ncat) [mol m-3]
    real(r8), intent(out), contiguous :: frac(:)   !< equivalent fractions on the exchanger (ncat) [-]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    real(r8) :: u, f, df, lo, hi, w, den, kc
    integer  :: i, it, n
    ierr = 0; errmsg = ''
    n = size(total)
    call check_exchange(total, z, kex, 'total', ierr, errmsg)
    if (ierr /= 0) return
    if (.not. (cecv > 0._r8) .or. .not. (theta > 0._r8)) then
       ierr = 1
       errmsg = 'cec = ' // toString(cecv) // ' molc m-3 with theta = ' // toString(theta) // &
            ' is not valid: both the exchange capacity and the water content must be > 0'
       return
    end if
    if (.not. (sum(z * total) > cecv)) then
       ierr = 1
       errmsg = 'total exchangeable cation charge = ' // toString(sum(z * total)) // &
            ' molc m-3 is not valid: it must exceed the exchange capacity ' // toString(cecv) // &
            ' molc m-3 (the solution would be left without cations)'
       return
    end if
    ! g(u) = sum_i w_i t_i / (theta + (cecv/z_i) w_i) - 1, w_i = K_i 1e-3 e^{z_i u}
    ! increases from -1 to sum z_i T_i / cecv - 1 > 0
    lo = -200._r8; hi = 200._r8
    u = 0._r8
    do it = 1, 300
       f = -1._r8; df = 0._r8
       do i = 1, n
          w = kex(i) * 1.e-3_r8 * exp(z(i) * u)
          den = theta + cecv / z(i) * w
          f  = f + w * total(i) / den
          df = df + z(i) * w * total(i) * theta / den**2
       end do
       if (f > 0._r8) then
          hi = u
       else
          lo = u
       end if
       if (abs(f) < 4._r8 * epsilon(1._r8)) exit
       if (df > 0._r8) then
          u = u - f / df
       else
          u = 0.5_r8 * (lo + hi)
       end if
       if (.not. (u > lo .and. u < hi)) u = 0.5_r8 * (lo + hi)
       if (hi - lo < 1.e-14_r8) exit
    end do
    do i = 1, n
       w = kex(i) * 1.e-3_r8 * exp(z(i) * u)
       kc = total(i) / (theta + cecv / z(i) * w)     ! solution concentration at this x
       frac(i) = w * kc
    end do
    frac = frac / sum(frac)
    do i = 1, n
       ! the exchanger takes E_i CEC / z_i; the solution keeps the rest
       conc(i) = max((total(i) - cecv * frac(i) / z(i)) / theta, 0._r8)
    end do
  end subroutine GainesThomasEquilibrium

  subroutine check_exchange(c, z, kex, what, ierr, errmsg)
    real(r8), intent(in), contiguous :: c(:), z(:), kex(:)
    character(len=*), intent(in) :: what
    integer, intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer :: i
    ierr = 0
    do i = 1, size(c)
       if (.not. (c(i) >= 0._r8 .and. c(i) < 1.e6_r8)) then
          ierr = 1
          errmsg = what // ' = ' // toString(c(i)) // ' mol m-3 of cation ' // toString(i) // &
               ' is not valid: give a finite value >= 0'
          return
       end if
       if (.not. (kex(i) > 0._r8 .and. kex(i) < 1.e30_r8)) then
          ierr = 1
          errmsg = 'selectivity = ' // toString(kex(i)) // ' of cation ' // toString(i) // &
               ' is not valid: selectivity coefficients must be > 0'
          return
       end if
       if (.not. (z(i) >= 1._r8 .and. z(i) <= 3._r8)) then
          ierr = 1
          errmsg = 'charge = ' // toString(z(i)) // ' of cation ' // toString(i) // &
               ' is not valid: exchangeable cations have charge 1, 2 or 3'
          return
       end if
    end do
  end subroutine check_exchange

end module CationExchangeMod
