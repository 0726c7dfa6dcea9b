!> The single-root (rhizosphere) model: water (RhizoWaterMod), solutes
!! (RhizoSoluteMod) and cation exchange (CationExchangeMod) in a soil
!! cylinder around one root, run over a time series of root water fluxes.
!!
!! Solutes, in this order (column k of the concentration arrays):
!!   1 NO3-, 2 NH4+, 3 K+, 4 Ca2+, 5 Mg2+, 6 Cl-,
!!   7 H+ released by the root to balance the charge of its uptake
!!     (negative: OH-/HCO3- released), 8 exudate carbon (neutral tracer).
!! NH4+, K+, Ca2+ and Mg2+ exchange on the CEC (Gaines-Thomas); the others
!! are not exchanged (H+ exchange and pH are not modelled).
!! Each step: water (Newton, step halved until it converges), then transport
!! of the solution with the water fluxes of that step (solution only, the
!! exchanger held), then exchange equilibrium at every node with the new
!! totals (sequential non-iterative splitting). Each part conserves exactly,
!! so the step does; the balance residuals are returned.
module RhizosphereMod

  use shr_kind_mod,       only: r8 => shr_kind_r8
  use shr_strconvert_mod, only: toString
  use RhizoWaterMod,      only: RhizoGrid, RhizoWaterStep, rhizo_pi, rbc_no_flux, rbc_potential, &
       rroot_flux, rroot_xylem, rhizo_soil_type, RhizoSoilInit, rhizo_psi
  use RhizoSoluteMod,     only: RhizoTransportStep
  use CationExchangeMod,  only: GainesThomasFractions, GainesThomasEquilibrium

  implicit none
  private

  public :: RhizosphereRun

  integer, parameter, public :: rz_nspec = 8          !< solutes carried
  integer, parameter, public :: rz_ncat  = 4          !< exchangeable cations
  integer, parameter, public :: rz_cat(rz_ncat) = [2, 3, 4, 5]   !< their solute index
  integer, parameter, public :: rz_h = 7, rz_c = 8    !< balancing H+ and exudate carbon
  real(r8), parameter, public :: rz_charge(rz_nspec) = &
       [-1._r8, 1._r8, 1._r8, 2._r8, 2._r8, -1._r8, 1._r8, 0._r8]   !< charges [-]
  integer, parameter :: max_halvings = 14

contains

  !-----------------------------------------------------------------------
  !> Run the root-scale model over nstep steps of length dtime; state after
  !! every step. Soil hydraulics Clapp-Hornberger or van Genuchten; root
  !! boundary a given flux or a xylem potential with a radial conductance;
  !! water leaving the root (efflux) carries the solution c_efflux.
  subroutine RhizosphereRun(a, rout, hyd_model, watsat, sucsat, bsw, hksat, theta_r, vg_alpha, vg_n, &
       psi_root_min, outer_bc, psi_outer, theta_init, dtime, root_bc, q_root, kroot, psi_xylem,         &
       solutes, c_init, c_outer, c_efflux, cec, bulk_density, kex, d0, disp, imax, km, exud_c,          &
       rnode, rface, theta, psi, conc, frac, q_act, psi_surf, uptake, release, wbal, sbal, nsub,        &
       ierr, errmsg)
    real(r8), intent(in) :: a             !< root radius [m]
    real(r8), intent(in) :: rout          !< outer radius [m]
    integer,  intent(in) :: hyd_model     !< 0 Clapp-Hornberger, 1 van Genuchten
    real(r8), intent(in) :: watsat        !< porosity (van Genuchten theta_s) [m3 m-3]
    real(r8), intent(in) :: sucsat        !< Clapp-Hornberger |saturated matric potential| [mm]
    real(r8), intent(in) :: bsw           !< Clapp-Hornberger B [-]
    real(r8), intent(in) :: hksat         !< saturated conductivity [mm s-1]
    real(r8), intent(in) :: theta_r       !< van Genuchten residual water content [m3 m-3]
    real(r8), intent(in) :: vg_alpha      !< van Genuchten alpha [m-1]
    real(r8), intent(in) :: vg_n          !< van Genuchten n [-]
    real(r8), intent(in) :: psi_root_min  !< lowest soil potential at the root surface (root_bc 0) [mm]
    integer,  intent(in) :: outer_bc      !< 0 no flux, 1 bulk potential and solution at R
    real(r8), intent(in) :: psi_outer     !< bulk potential at R [mm]
    real(r8), intent(in), contiguous :: theta_init(:)   !< initial water content (nr) [m3 m-3]
    real(r8), intent(in) :: dtime         !< step [s]
    integer,  intent(in) :: root_bc       !< 0 given flux q_root, 1 xylem potential psi_xylem and kroot
    real(r8), intent(in), contiguous :: q_root(:)       !< root water flux per root length (nstep) [m2 s-1], + uptake
    real(r8), intent(in) :: kroot         !< radial root conductance per root length [m2 s-1 per m of head]
    real(r8), intent(in), contiguous :: psi_xylem(:)    !< root xylem potential (nstep) [mm]
    integer,  intent(in) :: solutes       !< 1: carry solutes, 0: water only
    real(r8), intent(in), contiguous :: c_init(:,:)     !< initial solution (nr, nspec) [mol m-3]
    real(r8), intent(in), contiguous :: c_outer(:)      !< bulk solution at R (nspec) [mol m-3]
    real(r8), intent(in), contiguous :: c_efflux(:)     !< solution carried by root efflux (nspec) [mol m-3]
    real(r8), intent(in) :: cec           !< cation exchange capacity [molc kg-1]
    real(r8), intent(in) :: bulk_density  !< dry bulk density [kg m-3]
    real(r8), intent(in), contiguous :: kex(:)          !< selectivity vs Na+ of NH4, K, Ca, Mg (ncat) [-]
    real(r8), intent(in) :: d0            !< diffusion coefficient in free water [m2 s-1]
    real(r8), intent(in) :: disp          !< dispersivity [m]
    real(r8), intent(in), contiguous :: imax(:)         !< maximum uptake per root surface (nspec) [mol m-2 s-1]
    real(r8), intent(in), contiguous :: km(:)           !< Michaelis constant (nspec) [mol m-3]
    real(r8), intent(in) :: exud_c        !< exudation of carbon per root length [mol m-1 s-1]
    real(r8), intent(out), contiguous :: rnode(:)       !< node radii (nr) [m]
    real(r8), intent(out), contiguous :: rface(0:)      !< face radii (0:nr) [m]
    real(r8), intent(out), contiguous :: theta(:,:)     !< water content (nr, nstep) [m3 m-3]
    real(r8), intent(out), contiguous :: psi(:,:)       !< matric potential (nr, nstep) [mm]
    real(r8), intent(out), contiguous :: conc(:,:,:)    !< solution (nr, nspec, nstep) [mol m-3]
    real(r8), intent(out), contiguous :: frac(:,:,:)    !< exchanger fractions (nr, ncat, nstep) [-]
    real(r8), intent(out), contiguous :: q_act(:)       !< root water flux applied, mean over the step (nstep) [m2 s-1]
    real(r8), intent(out), contiguous :: psi_surf(:)    !< soil potential at the root surface, end of step (nstep) [mm]
    real(r8), intent(out), contiguous :: uptake(:,:)    !< uptake, mean over the step (nspec, nstep) [mol m-1 s-1]
    real(r8), intent(out), contiguous :: release(:,:)   !< solutes released with efflux, mean (nspec, nstep) [mol m-1 s-1]
    real(r8), intent(out), contiguous :: wbal(:)        !< water balance residual per step (nstep) [m2]
    real(r8), intent(out), contiguous :: sbal(:,:)      !< solute balance residual per step (nspec, nstep) [mol m-1]
    integer,  intent(out), contiguous :: nsub(:)        !< sub-steps used (nstep)
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg

    integer  :: nr, nstep, k, i, j, s, ns, h
    real(r8) :: vol(size(theta_init)), th(size(theta_init)), th0(size(theta_init)), th1(size(theta_init))
    real(r8) :: ff(0:size(theta_init)), c(size(theta_init), rz_nspec), c0(size(theta_init), rz_nspec)
    real(r8) :: e(size(theta_init), rz_ncat), e0(size(theta_init), rz_ncat)
    real(r8) :: z(rz_ncat), tot(rz_ncat), cw(rz_ncat), fw(rz_ncat)
    real(r8) :: alpha(rz_nspec), src(rz_nspec), up(rz_nspec), fo(rz_nspec), hup(1), hfo(1)
    real(r8) :: upsum(rz_nspec), inv0(rz_nspec), inv1(rz_nspec), flow(rz_nspec), rl(rz_nspec), rlsum(rz_nspec)
    real(r8) :: cecv, dts, qsum, wflow, q1, chg, chgabs, ps1
    logical  :: ok
    type(rhizo_soil_type) :: soil

    ierr = 0; errmsg = ''
    nr = size(theta_init); nstep = size(q_root)
    call RhizoGrid(a, rout, rnode, rface, ierr, errmsg)
    if (ierr /= 0) return
    call RhizoSoilInit(hyd_model, watsat, sucsat, bsw, hksat, theta_r, vg_alpha, vg_n, soil, ierr, errmsg)
    if (ierr /= 0) return
    if (.not. (dtime > 0._r8)) then
       ierr = 1; errmsg = 'dtime = ' // toString(dtime) // ' s is not valid: the step must be > 0 s'
       return
    end if
    if (.not. (psi_root_min < 0._r8) .or. .not. (psi_outer <= 0._r8)) then
       ierr = 1
       errmsg = 'psi_root_min = ' // toString(psi_root_min) // ' mm and psi_outer = ' // toString(psi_outer) // &
            ' mm are not valid: give psi_root_min < 0 and psi_outer <= 0'
       return
    end if
    do i = 1, nr
       if (.not. (theta_init(i) > soil%theta_r .and. theta_init(i) <= watsat)) then
          ierr = 1
          errmsg = 'theta = ' // toString(theta_init(i)) // ' m3 m-3 at radial node ' // toString(i) // &
               ' is not valid: the water content must lie in (' // toString(soil%theta_r) // ', watsat = ' // &
               toString(watsat) // ']'
          return
       end if
    end do
    if (root_bc /= rroot_flux .and. root_bc /= rroot_xylem) then
       ierr = 1
       errmsg = 'root boundary = ' // toString(root_bc) // ' is not valid: use 0 (given flux) or 1 (xylem potential)'
       return
    end if
    if (root_bc == rroot_xylem) then
       if (.not. (kroot >= 0._r8 .and. kroot < 1._r8)) then
          ierr = 1
          errmsg = 'root conductance = ' // toString(kroot) // ' m2 s-1 per m of head is not valid: give a value ' // &
               'in [0, 1)'
          return
       end if
       do k = 1, nstep
          if (.not. (abs(psi_xylem(k)) < 1.e9_r8)) then
             ierr = 1
             errmsg = 'psi_xylem = ' // toString(psi_xylem(k)) // ' mm at step ' // toString(k) // &
                  ' is not valid: give a finite xylem potential, |psi| < 1e9 mm'
             return
          end if
       end do
    end if
    do k = 1, nstep
       if (.not. (abs(q_root(k)) < 1.e-3_r8)) then
          ierr = 1
          errmsg = 'q_root = ' // toString(q_root(k)) // ' m2 s-1 at step ' // toString(k) // &
               ' is not valid: give a finite root water flux per root length, |q| < 1e-3 m2 s-1'
          return
       end if
    end do
    do i = 1, nr
       vol(i) = rhizo_pi * (rface(i)**2 - rface(i-1)**2)
    end do

    cecv = cec * bulk_density
    z = rz_charge(rz_cat)
    c = 0._r8; e = 0._r8
    if (solutes == 1) then
       if (.not. (cec > 0._r8)) then
          ierr = 1; errmsg = 'cec = ' // toString(cec) // ' molc kg-1 is not valid: the exchange capacity must be > 0'
          return
       end if
       if (.not. (bulk_density > 0._r8)) then
          ierr = 1; errmsg = 'bulk_density = ' // toString(bulk_density) // ' kg m-3 is not valid: give a value > 0'
          return
       end if
       if (.not. (d0 > 0._r8 .and. disp >= 0._r8)) then
          ierr = 1
          errmsg = 'd0 = ' // toString(d0) // ' m2 s-1 and dispersivity = ' // toString(disp) // &
               ' m are not valid: give d0 > 0 and dispersivity >= 0'
          return
       end if
       do j = 1, rz_nspec
          if (j /= rz_h .and. .not. (imax(j) >= 0._r8 .and. km(j) > 0._r8)) then
             ierr = 1
             errmsg = 'imax = ' // toString(imax(j)) // ' mol m-2 s-1, km = ' // toString(km(j)) // &
                  ' mol m-3 of solute ' // toString(j) // ' are not valid: give imax >= 0 and km > 0'
             return
          end if
          do i = 1, nr
             if (j /= rz_h .and. .not. (c_init(i,j) >= 0._r8)) then
                ierr = 1
                errmsg = 'concentration = ' // toString(c_init(i,j)) // ' mol m-3 of solute ' // toString(j) // &
                     ' at radial node ' // toString(i) // ' is not valid: concentrations must be >= 0'
                return
             end if
          end do
          if (j /= rz_h .and. .not. (c_outer(j) >= 0._r8)) then
             ierr = 1
             errmsg = 'concentration = ' // toString(c_outer(j)) // ' mol m-3 of solute ' // toString(j) // &
                  ' at the outer radius is not valid: concentrations must be >= 0'
             return
          end if
       end do
       if (.not. (exud_c >= 0._r8)) then
          ierr = 1; errmsg = 'exudation = ' // toString(exud_c) // ' mol m-1 s-1 is not valid: give a value >= 0'
          return
       end if
       do j = 1, rz_nspec
          if (.not. (c_efflux(j) >= 0._r8 .and. c_efflux(j) < 1.e4_r8)) then
             ierr = 1
             errmsg = 'efflux concentration = ' // toString(c_efflux(j)) // ' mol m-3 of solute ' // toString(j) // &
                  ' is not valid: give values in [0, 1e4) mol m-3'
             return
          end if
       end do
       chg = sum(rz_charge * c_efflux); chgabs = sum(abs(rz_charge * c_efflux))
       if (abs(chg) > 1.e-9_r8 * max(chgabs, 1.e-30_r8)) then
          ierr = 1
          errmsg = 'efflux solution charge = ' // toString(chg) // ' molc m-3 is not valid: the solution ' // &
               'released by the root must be electrically neutral (balance it with Cl-)'
          return
       end if
       do i = 1, nr
          chg = sum(rz_charge * c_init(i,:)); chgabs = sum(abs(rz_charge * c_init(i,:)))
          if (abs(chg) > 1.e-9_r8 * max(chgabs, 1.e-30_r8)) then
             ierr = 1
             errmsg = 'solution charge = ' // toString(chg) // ' molc m-3 at radial node ' // toString(i) // &
                  ' is not valid: the initial solution must be electrically neutral (balance it with Cl-)'
             return
          end if
       end do
       c = c_init
       ! the exchanger starts in equilibrium with the given solution
       do i = 1, nr
          cw = c(i, rz_cat)
          call GainesThomasFractions(cw, z, kex, fw, ierr, errmsg)
          if (ierr /= 0) then
             errmsg = trim(errmsg) // ' (radial node ' // toString(i) // ')'
             return
          end if
          e(i,:) = fw
       end do
    end if

    th = theta_init
    do k = 1, nstep
       ! water first, whole step at once or in 2, 4, ... sub-steps
       ns = 1
       do h = 0, max_halvings
          ns = 2**h
          dts = dtime / real(ns, r8)
          th0 = th; c0 = c; e0 = e
          qsum = 0._r8; wflow = 0._r8; upsum = 0._r8; flow = 0._r8; rlsum = 0._r8
          ok = .true.
          do s = 1, ns
             call RhizoWaterStep(rnode, rface, th0, soil, root_bc, q_root(k), kroot, psi_xylem(k), &
                  psi_root_min, outer_bc, psi_outer, dts, th1, ff, q1, ps1, ok)
             if (.not. ok) exit
             qsum = qsum + q1 * dts
             wflow = wflow + (ff(0) - ff(nr)) * dts
             if (solutes == 1) then
                call solute_substep(th0, th1, ff, dts, c0, e0, up, fo, rl, ierr, errmsg)
                if (ierr /= 0) then
                   errmsg = trim(errmsg) // ' (step ' // toString(k) // ')'
                   return
                end if
                upsum = upsum + up * dts
                flow = flow + fo * dts
                rlsum = rlsum + rl * dts
             end if
             th0 = th1
          end do
          if (ok) exit
       end do
       if (.not. ok) then
          ierr = 1
          if (root_bc == rroot_xylem) then
             errmsg = 'psi_xylem = ' // toString(psi_xylem(k)) // ' mm at step ' // toString(k) // &
                  ' is not valid: the soil around the root cannot take the efflux it drives (it would ' // &
                  'saturate or the solver failed even with ' // toString(ns) // ' sub-steps); give a lower ' // &
                  'xylem potential or a smaller root conductance'
          else
             errmsg = 'q_root = ' // toString(q_root(k)) // ' m2 s-1 at step ' // toString(k) // &
                  ' is not valid: the soil around the root cannot take this flux (it would saturate or ' // &
                  'the solver failed even with ' // toString(ns) // ' sub-steps); give a smaller efflux'
          end if
          return
       end if
       nsub(k) = ns
       ! balances of the step (from the stored state, independent of the sub-steps)
       wbal(k) = sum(vol * (th0 - th)) - wflow
       if (solutes == 1) then
          do j = 1, rz_nspec
             inv0(j) = inventory(j, th, c, e); inv1(j) = inventory(j, th0, c0, e0)
          end do
          src = 0._r8; src(rz_c) = exud_c * dtime
          src(rz_h) = sum(rz_charge(1:rz_h-1) * upsum(1:rz_h-1))
          src = src + rlsum
          sbal(:,k) = inv1 - inv0 - src + upsum + flow
       else
          sbal(:,k) = 0._r8
       end if
       release(:,k) = rlsum / dtime
       psi_surf(k) = ps1
       th = th0; c = c0; e = e0
       theta(:,k) = th
       psi(:,k) = rhizo_psi(soil, th)
       conc(:,:,k) = c
       frac(:,:,k) = e
       q_act(k) = qsum / dtime
       uptake(:,k) = upsum / dtime
    end do

  contains

    !> Amount of solute j per unit root length [mol m-1]: solution + exchanger.
    real(r8) function inventory(j, thx, cx, ex)
      integer,  intent(in) :: j
      real(r8), intent(in) :: thx(:), cx(:,:), ex(:,:)
      integer :: m
      inventory = sum(vol * thx * cx(:,j))
      do m = 1, rz_ncat
         if (rz_cat(m) == j) inventory = inventory + sum(vol * cecv * ex(:,m) / z(m))
      end do
    end function inventory

    !> Transport then exchange for one sub-step (state in cx, ex updated).
    subroutine solute_substep(tha, thb, fx, dtx, cx, ex, upx, fox, rlx, ierr, errmsg)
      real(r8), intent(in) :: tha(:), thb(:), fx(0:), dtx
      real(r8), intent(inout) :: cx(:,:), ex(:,:)
      real(r8), intent(out) :: upx(:), fox(:), rlx(:)
      integer,  intent(out) :: ierr
      character(len=*), intent(out) :: errmsg
      integer :: jj, ii
      real(r8) :: srcx(rz_nspec), ch(size(cx,1),1), cob(1), al(1), sr(1)
      ierr = 0; errmsg = ''
      alpha = 0._r8; srcx = 0._r8
      do jj = 1, rz_nspec
         if (jj /= rz_h) alpha(jj) = 2._r8 * rhizo_pi * a * imax(jj) / (km(jj) + cx(1,jj))
      end do
      srcx(rz_c) = exud_c
      ! water leaving the root (fx(0) > 0, outward) carries the efflux solution
      rlx = max(fx(0), 0._r8) * c_efflux
      srcx = srcx + rlx
      call RhizoTransportStep(rnode, rface, tha, thb, fx, watsat, d0, disp, outer_bc, c_outer, alpha, &
           srcx, dtx, cx, upx, fox)
      ! the root releases H+ (or OH-, if negative) for the net charge it took
      ! up; transport is linear, so the response to that source, solved from a
      ! zero state with a zero bulk, is added to H+ exactly
      sr(1) = sum(rz_charge(1:rz_h-1) * upx(1:rz_h-1))
      if (sr(1) /= 0._r8) then
         ch = 0._r8; cob = 0._r8; al = 0._r8
         call RhizoTransportStep(rnode, rface, tha, thb, fx, watsat, d0, disp, outer_bc, cob, al, sr, dtx, &
              ch, hup, hfo)
         ! zero initial state and zero bulk: the pure response to the source
         cx(:,rz_h) = cx(:,rz_h) + ch(:,1)
         fox(rz_h) = fox(rz_h) + hfo(1)
      end if
      ! exchange equilibrium with the new totals
      do ii = 1, size(cx, 1)
         tot = thb(ii) * cx(ii, rz_cat) + cecv * ex(ii,:) / z
         call GainesThomasEquilibrium(tot, thb(ii), cecv, z, kex, cw, fw, ierr, errmsg)
         if (ierr /= 0) then
            errmsg = trim(errmsg) // ' at radial node ' // toString(ii)
            return
         end if
         cx(ii, rz_cat) = cw
         ex(ii,:) = fw
      end do
    end subroutine solute_substep

  end subroutine RhizosphereRun

end module RhizosphereMod
