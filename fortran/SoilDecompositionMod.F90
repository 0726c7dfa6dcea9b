!> Vertically resolved litter and soil organic matter decomposition: the
!! CLM4.5 CENTURY-like ("BGC") cascade of Koven et al. (2013), as described in
!! the CLM4.5 Technical Note (Oleson et al. 2013, ch. 15) and shipped in
!! CESM1.2 (CNDecompCascadeMod_CENTURY / CNDecompCascadeBGCMod,
!! CNSoilLittVertTranspMod, CNVerticalProfileMod). Carbon only: no nitrogen
!! limitation (CLM4.5-CN's f_immob_demand, eqs. 15.27-15.35, is taken as 1).
!!
!! Pools (CLM order, all per layer, volumetric [gC m-3]):
!!   1 metabolic litter (L1), 2 cellulose litter (L2), 3 lignin litter (L3),
!!   4 coarse woody debris (CWD), 5 SOM1 (active), 6 SOM2 (slow), 7 SOM3 (passive).
!! Transitions t = donor -> receiver, respired fraction rf_t, path fraction f_t
!! (share of the donor's decay flux that takes path t; sums to 1 per donor):
!!   L1->S1 (rf 0.55), L2->S1 (0.5), L3->S2 (0.5)                (Table 15.4)
!!   S1->S2, S1->S3 (rf = 0.85 - 0.68 (1 - sand/100) for both,
!!                   f_S1S3 = 0.004 / (1 - rf), f_S1S2 = 1 - f_S1S3)
!!   S2->S1 (rf 0.55, f 0.42/0.45), S2->S3 (rf 0.55, f 0.03/0.45)
!!   S3->S1 (rf 0.55)
!!   CWD->L2 (rf 0, f 0.76), CWD->L3 (rf 0, f 0.24)
!! Balance of pool i in layer j (eq. 15.2, advection A = 0):
!!   dC_i/dt = R_i + sum_t[recv=i] (1 - rf_t) f_t k_d C_d - k_i C_i
!!             + d/dz (D dC_i/dz)                       (not for CWD)
!! with k_i = k_i,base * r_tsoil r_water r_depth r_oxygen * nf (eq. 15.10),
!! k_base = 1/tau, tau [yr] = 1/18.5, 1/4.9, 1/4.9, 1/0.3, 1/7.3, 1/0.2, 1/0.0045
!! for L1, L2, L3, CWD, S1, S2, S3, and nf the CLM4.5 normalisation of the Q10
!! function to CENTURY's arctangent at 15 degC (nf = 0.8206; tau/nf are the
!! turnover times of Table 15.3: 0.066, 0.25, 0.25, 4.1, 0.17, 6.1, 270 yr).
!!
!! Time stepping as CLM4.5 (CNDecomp + CNSoilLittVertTransp): decay fluxes
!! from the pools at the start of the step (explicit), then one implicit
!! diffusion solve per pool with zero-flux top and bottom. The fixed point of
!! this step is exactly the steady state of the continuous system, which
!! DecompSteadyState solves directly.
module SoilDecompositionMod

  use shr_kind_mod,         only: r8 => shr_kind_r8
  use shr_strconvert_mod,   only: toString, invalid_value
  use clm_varcon,           only: tfrz
  use ieee_arithmetic,      only: ieee_is_finite
  use SoilWaterMovementMod, only: solve_tridiagonal

  implicit none
  private

  public :: DecompCascade, DecompRateConstants, LitterInputProfile, SoilDecomposition, &
            DecompSteadyState, q10_normalization

  integer, parameter, public :: ndecomp_pools = 7    !< number of decomposing pools
  integer, parameter, public :: ndecomp_trans = 10   !< number of cascade transitions
  integer, parameter, public :: i_met_lit = 1, i_cel_lit = 2, i_lig_lit = 3, i_cwd = 4, &
                                i_soil1 = 5, i_soil2 = 6, i_soil3 = 7

  !> donor and receiver pool of each transition (CLM4.5 BGC order)
  integer, parameter, public :: cascade_donor(ndecomp_trans) = &
       [i_met_lit, i_cel_lit, i_lig_lit, i_soil1, i_soil1, i_soil2, i_soil2, i_soil3, i_cwd, i_cwd]
  integer, parameter, public :: cascade_receiver(ndecomp_trans) = &
       [i_soil1, i_soil1, i_soil2, i_soil2, i_soil3, i_soil1, i_soil3, i_soil1, i_cel_lit, i_lig_lit]

  real(r8), parameter :: secspyr = 86400._r8 * 365._r8   !< CLM's noleap year [s]
  !> turnover time at the reference conditions before normalisation [yr]
  !! (CESM1.2 CNDecompCascadeMod_CENTURY; Table 15.3 divided by nf)
  real(r8), parameter, public :: decomp_tau(ndecomp_pools) = &
       [1._r8/18.5_r8, 1._r8/4.9_r8, 1._r8/4.9_r8, 1._r8/0.3_r8, 1._r8/7.3_r8, 1._r8/0.2_r8, 1._r8/0.0045_r8]

  real(r8), parameter, public :: decomp_q10   = 1.5_r8     !< Q10 of decomposition [-] (eq. 15.5)
  real(r8), parameter, public :: decomp_tref  = tfrz + 25._r8  !< reference temperature [K] (eq. 15.5)
  real(r8), parameter, private :: pi_c = 3.14159265358979323846_r8
  !> nf (q10_normalization): CENTURY's arctangent function
  !! 11.75 + (29.7/pi) atan(pi 0.031 (T - 15.4)) at 15 degC over 30 degC, divided
  !! by the Q10 function at 15 degC
  real(r8), parameter :: q10_nf = ((11.75_r8 + (29.7_r8 / pi_c) * atan(pi_c * 0.031_r8 * (15._r8 - 15.4_r8))) &
       / (11.75_r8 + (29.7_r8 / pi_c) * atan(pi_c * 0.031_r8 * (30._r8 - 15.4_r8)))) &
       / decomp_q10**((15._r8 - 25._r8) / 10._r8)
  real(r8), parameter, public :: minpsi_hr    = -10._r8    !< psi_min of the water scalar [MPa] (eq. 15.6)
  real(r8), parameter, public :: mm_to_mpa    = 9.8e-6_r8  !< MPa per mm of water head (CLM4.5 code)
  real(r8), parameter, public :: decomp_depth_efolding = 0.5_r8  !< z_tau [m] (eq. 15.9)
  real(r8), parameter, public :: surfprof_exp = 10._r8     !< 1/e-folding depth of above-ground litter input [m-1]
  real(r8), parameter, public :: som_diffus   = 1.e-4_r8 / secspyr   !< bioturbation diffusivity [m2 s-1] (1 cm2 yr-1)
  real(r8), parameter, public :: cwd_fcel = 0.76_r8, cwd_flig = 0.24_r8   !< CWD fragmentation split [-]
  real(r8), parameter :: rf_l1s1 = 0.55_r8, rf_l2s1 = 0.5_r8, rf_l3s2 = 0.5_r8     ! Table 15.4
  real(r8), parameter :: rf_s2s1 = 0.55_r8, rf_s2s3 = 0.55_r8, rf_s3s1 = 0.55_r8   ! Table 15.4
  real(r8), parameter :: f_s2s1 = 0.42_r8 / 0.45_r8, f_s2s3 = 0.03_r8 / 0.45_r8

contains

  !-----------------------------------------------------------------------
  !> Factor nf that CLM4.5 applies to every Q10 rate so that it equals the
  !! CENTURY arctangent function of Parton et al. (1988), relative to 30 degC,
  !! at 15 degC [-] (0.8206 for Q10 1.5); the constant q10_nf.
  pure real(r8) function q10_normalization()
    q10_normalization = q10_nf
  end function q10_normalization

  !-----------------------------------------------------------------------
  !> Respired and path fractions of the 10 transitions for a layer of sand
  !! percentage sand [%] (CLM4.5 BGC cascade; SOM1 fractions depend on texture).
  pure subroutine DecompCascade(sand, rf, pathfrac)
    real(r8), intent(in)  :: sand                    !< sand content [%]
    real(r8), intent(out) :: rf(ndecomp_trans)       !< respired fraction [-]
    real(r8), intent(out) :: pathfrac(ndecomp_trans) !< share of the donor's decay flux [-]
    real(r8) :: t
    t = 0.85_r8 - 0.68_r8 * 0.01_r8 * (100._r8 - sand)
    rf       = [rf_l1s1, rf_l2s1, rf_l3s2, t, t, rf_s2s1, rf_s2s3, rf_s3s1, 0._r8, 0._r8]
    pathfrac = [1._r8, 1._r8, 1._r8, 1._r8 - 0.004_r8 / (1._r8 - t), 0.004_r8 / (1._r8 - t), &
                f_s2s1, f_s2s3, 1._r8, cwd_fcel, cwd_flig]
  end subroutine DecompCascade

  !-----------------------------------------------------------------------
  !> Decomposition rate constants per pool and layer and their scalars.
  !!   r_tsoil  = Q10**((T - T_ref)/10), Q10 = 1.5, T_ref = 25 degC       (15.5)
  !!   r_water  = log(psi_min/psi) / log(psi_min/psi_max) for psi > psi_min,
  !!              0 otherwise; psi = min(psi_layer, psi_max),
  !!              psi_max = -sucsat (saturation), psi_min = -10 MPa         (15.6)
  !!   r_depth  = exp(-z / z_tau), z_tau = 0.5 m                           (15.9)
  !!   k_i      = nf r_tsoil r_water r_depth r_oxygen / (tau_i secspyr)   (15.10)
  !! t_scalar is eq. 15.5 alone: CLM4.5's history T_SCALAR includes nf.
  subroutine DecompRateConstants(t_soisno, smp, sucsat, zsoi, o_scalar, decomp_k, &
       t_scalar, w_scalar, depth_scalar, ierr, errmsg)
    real(r8), intent(in), contiguous :: t_soisno(:,:)  !< soil temperature (ncol, nlev) [K]
    real(r8), intent(in), contiguous :: smp(:,:)       !< soil matric potential (ncol, nlev) [mm], <= 0
    real(r8), intent(in), contiguous :: sucsat(:,:)    !< |saturated matric potential| (ncol, nlev) [mm]
    real(r8), intent(in), contiguous :: zsoi(:,:)      !< node depth (ncol, nlev) [m]
    real(r8), intent(in), contiguous :: o_scalar(:,:)  !< oxygen scalar (ncol, nlev) [0-1]; 1 without CH4 model
    real(r8), intent(out), contiguous :: decomp_k(:,:,:)   !< rate constant (ncol, nlev, 7) [s-1]
    real(r8), intent(out), contiguous :: t_scalar(:,:)     !< (ncol, nlev) [-]
    real(r8), intent(out), contiguous :: w_scalar(:,:)     !< (ncol, nlev) [-]
    real(r8), intent(out), contiguous :: depth_scalar(:,:) !< (ncol, nlev) [-]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    real(r8) :: nf, maxpsi, psi, rs
    integer  :: c, j, i
    ierr = 0
    errmsg = ''
    decomp_k = 0._r8; t_scalar = 0._r8; w_scalar = 0._r8; depth_scalar = 0._r8
    do j = 1, size(t_soisno, 2)
       do c = 1, size(t_soisno, 1)
          if (.not. (ieee_is_finite(t_soisno(c,j)) .and. t_soisno(c,j) > 0._r8)) then
             call bad('t_soisno', t_soisno(c,j), 'give a finite soil temperature in K'); return
          end if
          if (.not. ieee_is_finite(smp(c,j))) then
             call bad('smp', smp(c,j), 'give a finite matric potential in mm (<= 0)'); return
          end if
          if (.not. (ieee_is_finite(sucsat(c,j)) .and. sucsat(c,j) > 0._r8)) then
             call bad('sucsat', sucsat(c,j), 'give a finite positive saturated suction in mm'); return
          end if
          if (.not. (ieee_is_finite(zsoi(c,j)) .and. zsoi(c,j) >= 0._r8)) then
             call bad('zsoi', zsoi(c,j), 'give a finite node depth >= 0 m'); return
          end if
          if (.not. (o_scalar(c,j) >= 0._r8 .and. o_scalar(c,j) <= 1._r8)) then
             call bad('o_scalar', o_scalar(c,j), 'give a value in [0, 1] (1 without the CH4 model)'); return
          end if
       end do
    end do
    nf = q10_nf
    do j = 1, size(t_soisno, 2)
       do c = 1, size(t_soisno, 1)
          t_scalar(c,j) = decomp_q10**((t_soisno(c,j) - decomp_tref) / 10._r8)      ! (15.5)
          maxpsi = -sucsat(c,j) * mm_to_mpa
          psi = min(smp(c,j) * mm_to_mpa, maxpsi)
          if (psi > minpsi_hr) then                                                 ! (15.6)
             w_scalar(c,j) = log(minpsi_hr / psi) / log(minpsi_hr / maxpsi)
          else
             w_scalar(c,j) = 0._r8
          end if
          depth_scalar(c,j) = exp(-zsoi(c,j) / decomp_depth_efolding)               ! (15.9)
          rs = nf * t_scalar(c,j) * w_scalar(c,j) * depth_scalar(c,j) * o_scalar(c,j)   ! (15.10)
          do i = 1, ndecomp_pools
             decomp_k(c,j,i) = rs / (decomp_tau(i) * secspyr)
          end do
       end do
    end do
  contains
    subroutine bad(what, val, why)
      character(len=*), intent(in) :: what, why
      real(r8), intent(in) :: val
      ierr = 1
      errmsg = invalid_value(what, val, c, 'layer', j, why, 'DecompRateConstants')
    end subroutine bad
  end subroutine DecompRateConstants

  !-----------------------------------------------------------------------
  !> Litter and CWD carbon input per layer and pool [gC m-3 s-1] from the
  !! patch litterfall of a column (CLM4.5 CNVerticalProfileMod):
  !!   above-ground profile  w_j = exp(-surfprof_exp z_j)           (leaf, above-ground CWD)
  !!   below-ground profile  w_j = rootfr_j (the patch's root fractions)  (fine root, coarse root CWD)
  !!   profile_j = w_j / (dz_j sum_k w_k)  [m-1], so that sum_j profile_j dz_j = 1.
  !! Leaf and fine-root litter are split into metabolic / cellulose / lignin by
  !! the PFT's fractions (lf_flab, lf_fcel, lf_flig; fr_flab, fr_fcel, fr_flig).
  !! Patch fluxes are per m2 of patch and weighted by wtcol.
  subroutine LitterInputProfile(zsoi, dz, rootfr, wtcol, leaf_litc, froot_litc, cwd_ag, cwd_bg, &
       lf_frac, fr_frac, input_vr, ierr, errmsg)
    real(r8), intent(in), contiguous :: zsoi(:,:), dz(:,:)     !< node depth, thickness (ncol, nlev) [m]
    real(r8), intent(in), contiguous :: rootfr(:,:,:)          !< root fraction (ncol, npatch, nlev) [-]
    real(r8), intent(in), contiguous :: wtcol(:,:)             !< patch weight on the column (ncol, npatch) [-]
    real(r8), intent(in), contiguous :: leaf_litc(:,:)         !< leaf litterfall (ncol, npatch) [gC m-2 s-1]
    real(r8), intent(in), contiguous :: froot_litc(:,:)        !< fine-root litterfall (ncol, npatch) [gC m-2 s-1]
    real(r8), intent(in), contiguous :: cwd_ag(:,:)            !< above-ground (dead stem) CWD input (ncol, npatch) [gC m-2 s-1]
    real(r8), intent(in), contiguous :: cwd_bg(:,:)            !< coarse-root CWD input (ncol, npatch) [gC m-2 s-1]
    real(r8), intent(in), contiguous :: lf_frac(:,:,:)         !< leaf litter lab/cel/lig fractions (ncol, npatch, 3) [-]
    real(r8), intent(in), contiguous :: fr_frac(:,:,:)         !< fine-root litter fractions (ncol, npatch, 3) [-]
    real(r8), intent(out), contiguous :: input_vr(:,:,:)       !< input (ncol, nlev, 7) [gC m-3 s-1]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    real(r8) :: sprof(size(zsoi, 2)), rprof(size(zsoi, 2)), s, w
    integer  :: c, p, j, k, nlev
    ierr = 0
    errmsg = ''
    input_vr = 0._r8
    nlev = size(zsoi, 2)
    do c = 1, size(zsoi, 1)
       do j = 1, nlev
          if (.not. (ieee_is_finite(dz(c,j)) .and. dz(c,j) > 0._r8)) then
             call bad('dz', dz(c,j), c, j, 'give a finite positive layer thickness in m'); return
          end if
          if (.not. (ieee_is_finite(zsoi(c,j)) .and. zsoi(c,j) >= 0._r8)) then
             call bad('zsoi', zsoi(c,j), c, j, 'give a finite node depth >= 0 m'); return
          end if
       end do
       s = 0._r8
       do j = 1, nlev
          sprof(j) = exp(-surfprof_exp * zsoi(c,j))
          s = s + sprof(j)
       end do
       sprof = sprof / s
       do p = 1, size(wtcol, 2)
          w = wtcol(c,p)
          if (.not. (w >= 0._r8 .and. w <= 1._r8)) then
             call bad('wtcol', w, c, p, 'give a patch weight in [0, 1]'); return
          end if
          if (.not. (leaf_litc(c,p) >= 0._r8 .and. froot_litc(c,p) >= 0._r8 .and. &
               cwd_ag(c,p) >= 0._r8 .and. cwd_bg(c,p) >= 0._r8 .and. ieee_is_finite(leaf_litc(c,p)) &
               .and. ieee_is_finite(froot_litc(c,p)) .and. ieee_is_finite(cwd_ag(c,p)) .and. &
               ieee_is_finite(cwd_bg(c,p)))) then
             call bad('leaf_litc', leaf_litc(c,p), c, p, &
                  'give finite litterfall >= 0 gC m-2 s-1 (leaf_litc, froot_litc, cwd_ag, cwd_bg)'); return
          end if
          do k = 1, 3
             if (.not. (lf_frac(c,p,k) >= 0._r8 .and. fr_frac(c,p,k) >= 0._r8)) then
                call bad('lf_frac', lf_frac(c,p,k), c, p, 'give litter fractions >= 0 (lf_frac, fr_frac)'); return
             end if
          end do
          if (abs(sum(lf_frac(c,p,:)) - 1._r8) > 1.e-6_r8 .or. abs(sum(fr_frac(c,p,:)) - 1._r8) > 1.e-6_r8) then
             call bad('lf_frac', sum(lf_frac(c,p,:)), c, p, &
                  'the three litter fractions of lf_frac and of fr_frac must each sum to 1'); return
          end if
          if (w == 0._r8) cycle
          s = 0._r8
          do j = 1, nlev
             if (.not. (rootfr(c,p,j) >= 0._r8 .and. ieee_is_finite(rootfr(c,p,j)))) then
                call bad('rootfr', rootfr(c,p,j), c, j, 'give root fractions >= 0'); return
             end if
             s = s + rootfr(c,p,j)
          end do
          if (s > 0._r8) then
             rprof = rootfr(c,p,:) / s
          else
             rprof = 0._r8       ! no roots on the decomposition grid: all below-ground input to layer 1
             rprof(1) = 1._r8
          end if
          do j = 1, nlev
             do k = 1, 3
                input_vr(c,j,k) = input_vr(c,j,k) + w * (leaf_litc(c,p) * lf_frac(c,p,k) * sprof(j) &
                     + froot_litc(c,p) * fr_frac(c,p,k) * rprof(j)) / dz(c,j)
             end do
             input_vr(c,j,i_cwd) = input_vr(c,j,i_cwd) + w * (cwd_ag(c,p) * sprof(j) &
                  + cwd_bg(c,p) * rprof(j)) / dz(c,j)
          end do
       end do
    end do
  contains
    subroutine bad(what, val, i1, i2, why)
      character(len=*), intent(in) :: what, why
      real(r8), intent(in) :: val
      integer, intent(in) :: i1, i2
      ierr = 1
      errmsg = invalid_value(what, val, i1, 'index', i2, why, 'LitterInputProfile')
    end subroutine bad
  end subroutine LitterInputProfile

  !-----------------------------------------------------------------------
  !> Check the common inputs of SoilDecomposition and DecompSteadyState.
  subroutine check_column_inputs(zsoi, dz, sand, decomp_k, input_vr, diffus, where, ierr, errmsg)
    real(r8), intent(in), contiguous :: zsoi(:,:), dz(:,:), sand(:,:), decomp_k(:,:,:), input_vr(:,:,:), diffus(:)
    character(len=*), intent(in) :: where
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer :: c, j, i
    ierr = 0
    errmsg = ''
    do c = 1, size(dz, 1)
       if (.not. (ieee_is_finite(diffus(c)) .and. diffus(c) >= 0._r8)) then
          ierr = 1
          errmsg = 'diffus = ' // toString(diffus(c)) // ' at column ' // toString(c) // &
               ' is not valid in ' // where // ': give a finite diffusivity >= 0 m2 s-1'
          return
       end if
       do j = 1, size(dz, 2)
          if (.not. (ieee_is_finite(dz(c,j)) .and. dz(c,j) > 0._r8)) then
             call bad('dz', dz(c,j), 'give a finite positive layer thickness in m'); return
          end if
          if (.not. ieee_is_finite(zsoi(c,j)) .or. (j > 1 .and. .not. zsoi(c,j) > zsoi(c,max(j-1,1)))) then
             call bad('zsoi', zsoi(c,j), 'give finite node depths in m increasing downward'); return
          end if
          if (.not. (sand(c,j) >= 0._r8 .and. sand(c,j) <= 100._r8)) then
             call bad('sand', sand(c,j), 'give a sand content in [0, 100] %'); return
          end if
          do i = 1, ndecomp_pools
             if (.not. (ieee_is_finite(decomp_k(c,j,i)) .and. decomp_k(c,j,i) >= 0._r8)) then
                call bad('decomp_k', decomp_k(c,j,i), 'give finite rate constants >= 0 s-1'); return
             end if
             if (.not. (ieee_is_finite(input_vr(c,j,i)) .and. input_vr(c,j,i) >= 0._r8)) then
                call bad('input_vr', input_vr(c,j,i), 'give finite litter inputs >= 0 gC m-3 s-1'); return
             end if
          end do
       end do
    end do
  contains
    subroutine bad(what, val, why)
      character(len=*), intent(in) :: what, why
      real(r8), intent(in) :: val
      ierr = 1
      errmsg = invalid_value(what, val, c, 'layer', j, why, where)
    end subroutine bad
  end subroutine check_column_inputs

  !-----------------------------------------------------------------------
  !> Conductances of the layer interfaces for diffusion [m s-1]:
  !! g(j) between layers j and j+1 = D / (z(j+1) - z(j)); no flux through the
  !! surface and the bottom of the decomposition grid.
  pure subroutine interface_conductance(zsoi, diffus, g)
    real(r8), intent(in)  :: zsoi(:), diffus
    real(r8), intent(out) :: g(0:size(zsoi))
    integer :: j, n
    n = size(zsoi)
    g = 0._r8
    do j = 1, n - 1
       g(j) = diffus / (zsoi(j+1) - zsoi(j))
    end do
  end subroutine interface_conductance

  !-----------------------------------------------------------------------
  !> Advance the decomposing pools by one carbon step of length dtime.
  !! 1. decay fluxes k_i C_i from the pools at the start of the step
  !!    (eqs. 15.11, 15.36-15.48 with f_immob_demand = 1), inputs added:
  !!    C* = C + dt (R + transfers in - k C);  HR_vr = sum_t rf_t f_t k_d C_d;
  !! 2. vertical mixing of every pool but CWD, implicit (backward Euler) and in
  !!    flux form, zero flux at the top and bottom:
  !!    dz_j (C_j - C*_j)/dt = g_{j-1}(C_{j-1} - C_j) - g_j (C_j - C_{j+1}).
  !! Carbon balance per layer: dz (C_new - C_old)/dt = dz (input - HR_vr + trans_vr);
  !! sum_j dz_j trans_vr_j = 0 to round-off. Requires k dt <= 1 (pools stay >= 0).
  subroutine SoilDecomposition(dtime, zsoi, dz, sand, decomp_k, input_vr, diffus, &
       decomp_cpools_vr, hr_vr, hr, trans_vr, ierr, errmsg)
    real(r8), intent(in) :: dtime                               !< carbon time step [s]
    real(r8), intent(in), contiguous :: zsoi(:,:), dz(:,:)      !< node depth, thickness (ncol, nlev) [m]
    real(r8), intent(in), contiguous :: sand(:,:)               !< sand content (ncol, nlev) [%]
    real(r8), intent(in), contiguous :: decomp_k(:,:,:)         !< rate constants (ncol, nlev, 7) [s-1]
    real(r8), intent(in), contiguous :: input_vr(:,:,:)         !< litter inputs (ncol, nlev, 7) [gC m-3 s-1]
    real(r8), intent(in), contiguous :: diffus(:)               !< bioturbation diffusivity (ncol) [m2 s-1]
    real(r8), intent(inout), contiguous :: decomp_cpools_vr(:,:,:)  !< pools (ncol, nlev, 7) [gC m-3], updated
    real(r8), intent(out), contiguous :: hr_vr(:,:)             !< heterotrophic respiration (ncol, nlev) [gC m-3 s-1]
    real(r8), intent(out), contiguous :: hr(:)                  !< column HR (ncol) [gC m-2 s-1]
    real(r8), intent(out), contiguous :: trans_vr(:,:)          !< net gain by vertical mixing, all pools (ncol, nlev) [gC m-3 s-1]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer  :: c, j, i, t, n
    real(r8) :: rf(ndecomp_trans), pf(ndecomp_trans), flux(ndecomp_pools), tr
    real(r8) :: g(0:size(dz, 2)), a(size(dz, 2)), b(size(dz, 2)), cc(size(dz, 2)), r(size(dz, 2)), x(size(dz, 2))
    real(r8) :: cstar(size(dz, 2), ndecomp_pools)
    hr_vr = 0._r8; hr = 0._r8; trans_vr = 0._r8
    if (.not. (ieee_is_finite(dtime) .and. dtime > 0._r8)) then
       ierr = 1
       errmsg = 'dtime = ' // toString(dtime) // ' is not valid in SoilDecomposition: give a finite time step > 0 s'
       return
    end if
    call check_column_inputs(zsoi, dz, sand, decomp_k, input_vr, diffus, 'SoilDecomposition', ierr, errmsg)
    if (ierr /= 0) return
    n = size(dz, 2)
    do c = 1, size(dz, 1)
       do j = 1, n
          do i = 1, ndecomp_pools
             if (.not. (ieee_is_finite(decomp_cpools_vr(c,j,i)) .and. decomp_cpools_vr(c,j,i) >= 0._r8)) then
                call bad('decomp_cpools_vr', decomp_cpools_vr(c,j,i), i, 'give finite pools >= 0 gC m-3'); return
             end if
             if (decomp_k(c,j,i) * dtime > 1._r8) then
                call bad('decomp_k*dtime', decomp_k(c,j,i) * dtime, i, &
                     'the explicit decay step needs k dtime <= 1: shorten the carbon step'); return
             end if
          end do
       end do
    end do

    do c = 1, size(dz, 1)
       ! 1. decomposition cascade, layer by layer
       do j = 1, n
          call DecompCascade(sand(c,j), rf, pf)
          do i = 1, ndecomp_pools
             flux(i) = decomp_k(c,j,i) * decomp_cpools_vr(c,j,i)             ! (15.11) [gC m-3 s-1]
             cstar(j,i) = decomp_cpools_vr(c,j,i) + dtime * (input_vr(c,j,i) - flux(i))
          end do
          do t = 1, ndecomp_trans
             tr = pf(t) * flux(cascade_donor(t))
             hr_vr(c,j) = hr_vr(c,j) + rf(t) * tr                            ! (15.36-15.42)
             cstar(j,cascade_receiver(t)) = cstar(j,cascade_receiver(t)) + dtime * (1._r8 - rf(t)) * tr  ! (15.43-15.48)
          end do
          hr(c) = hr(c) + hr_vr(c,j) * dz(c,j)
       end do
       ! 2. vertical mixing (not CWD), implicit
       call interface_conductance(zsoi(c,:), diffus(c), g)
       do i = 1, ndecomp_pools
          if (i == i_cwd .or. n == 1 .or. diffus(c) == 0._r8) then
             decomp_cpools_vr(c,:,i) = cstar(:,i)
             cycle
          end if
          do j = 1, n
             a(j)  = -g(j-1)
             cc(j) = -g(j)
             b(j)  = dz(c,j) / dtime + g(j-1) + g(j)
             r(j)  = dz(c,j) / dtime * cstar(j,i)
          end do
          call solve_tridiagonal(a, b, cc, r, x)
          do j = 1, n
             trans_vr(c,j) = trans_vr(c,j) + (x(j) - cstar(j,i)) / dtime
             decomp_cpools_vr(c,j,i) = x(j)
          end do
       end do
    end do
  contains
    subroutine bad(what, val, pool, why)
      character(len=*), intent(in) :: what, why
      real(r8), intent(in) :: val
      integer, intent(in) :: pool
      ierr = 1
      errmsg = what // ' = ' // toString(val) // ' at column ' // toString(c) // ', layer ' // &
           toString(j) // ', pool ' // toString(pool) // ' is not valid in SoilDecomposition: ' // why
    end subroutine bad
  end subroutine SoilDecomposition

  !-----------------------------------------------------------------------
  !> Steady state of the decomposing pools under constant inputs and rate
  !! constants: the pools C solve the linear system M C = -R of eq. 15.2 with
  !! dC/dt = 0 (decay, cascade transfers and diffusion, as in SoilDecomposition,
  !! whose fixed point this is). M (7 nlev x 7 nlev, unknowns ordered layer by
  !! layer) is solved densely by Gaussian elimination with partial pivoting and
  !! one step of iterative refinement. relres is the normwise backward error
  !! ||M C + R||_inf / (||M||_inf ||C||_inf + ||R||_inf) per column.
  !! A pool that neither decays nor mixes in a layer with input has no steady
  !! state: reported as an error.
  subroutine DecompSteadyState(zsoi, dz, sand, decomp_k, input_vr, diffus, decomp_cpools_vr, &
       relres, ierr, errmsg)
    real(r8), intent(in), contiguous :: zsoi(:,:), dz(:,:)      !< (ncol, nlev) [m]
    real(r8), intent(in), contiguous :: sand(:,:)               !< (ncol, nlev) [%]
    real(r8), intent(in), contiguous :: decomp_k(:,:,:)         !< (ncol, nlev, 7) [s-1]
    real(r8), intent(in), contiguous :: input_vr(:,:,:)         !< (ncol, nlev, 7) [gC m-3 s-1]
    real(r8), intent(in), contiguous :: diffus(:)               !< (ncol) [m2 s-1]
    real(r8), intent(out), contiguous :: decomp_cpools_vr(:,:,:)   !< steady-state pools (ncol, nlev, 7) [gC m-3]
    real(r8), intent(out), contiguous :: relres(:)              !< backward error of the solve (ncol) [-]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer  :: c, j, i, t, n, m, row, col
    real(r8) :: rf(ndecomp_trans), pf(ndecomp_trans)
    real(r8) :: g(0:size(dz, 2))
    real(r8) :: amat(size(dz, 2) * ndecomp_pools, size(dz, 2) * ndecomp_pools)
    real(r8) :: lu(size(dz, 2) * ndecomp_pools, size(dz, 2) * ndecomp_pools)
    real(r8) :: rhs(size(dz, 2) * ndecomp_pools), x(size(dz, 2) * ndecomp_pools)
    real(r8) :: res(size(dz, 2) * ndecomp_pools), dx(size(dz, 2) * ndecomp_pools)
    integer  :: piv(size(dz, 2) * ndecomp_pools)
    logical  :: singular
    decomp_cpools_vr = 0._r8
    relres = 0._r8
    call check_column_inputs(zsoi, dz, sand, decomp_k, input_vr, diffus, 'DecompSteadyState', ierr, errmsg)
    if (ierr /= 0) return
    n = size(dz, 2)
    m = n * ndecomp_pools
    do c = 1, size(dz, 1)
       amat = 0._r8
       call interface_conductance(zsoi(c,:), diffus(c), g)
       do j = 1, n
          call DecompCascade(sand(c,j), rf, pf)
          do i = 1, ndecomp_pools
             row = idx(j, i)
             rhs(row) = -input_vr(c,j,i)
             amat(row,row) = amat(row,row) - decomp_k(c,j,i)
             if (i /= i_cwd) then          ! diffusion, per unit volume of layer j
                amat(row,row) = amat(row,row) - (g(j-1) + g(j)) / dz(c,j)
                if (j > 1) amat(row, idx(j-1,i)) = amat(row, idx(j-1,i)) + g(j-1) / dz(c,j)
                if (j < n) amat(row, idx(j+1,i)) = amat(row, idx(j+1,i)) + g(j) / dz(c,j)
             end if
          end do
          do t = 1, ndecomp_trans
             row = idx(j, cascade_receiver(t))
             col = idx(j, cascade_donor(t))
             amat(row,col) = amat(row,col) + (1._r8 - rf(t)) * pf(t) * decomp_k(c,j,cascade_donor(t))
          end do
       end do
       lu = amat
       call lu_factor(lu, piv, singular)
       if (singular) then
          ierr = 1
          errmsg = 'decomp_k at column ' // toString(c) // ' is not valid in DecompSteadyState: ' // &
               'a pool neither decays nor mixes in some layer (e.g. w_scalar = 0 there), so the pools ' // &
               'have no steady state; give rate constants > 0 in every layer'
          return
       end if
       call lu_solve(lu, piv, rhs, x)
       res = rhs - matmul(amat, x)          ! one step of iterative refinement
       call lu_solve(lu, piv, res, dx)
       x = x + dx
       res = rhs - matmul(amat, x)
       relres(c) = maxval(abs(res)) / max(maxval(sum(abs(amat), dim=2)) * maxval(abs(x)) &
            + maxval(abs(rhs)), tiny(1._r8))
       do j = 1, n
          do i = 1, ndecomp_pools
             decomp_cpools_vr(c,j,i) = max(x(idx(j,i)), 0._r8)   ! round-off negatives only
          end do
       end do
    end do
  contains
    pure integer function idx(jj, ii)
      integer, intent(in) :: jj, ii
      idx = (jj - 1) * ndecomp_pools + ii
    end function idx
  end subroutine DecompSteadyState

  !> In-place LU factorisation with partial pivoting (column-oriented).
  pure subroutine lu_factor(a, piv, singular)
    real(r8), intent(inout) :: a(:,:)
    integer,  intent(out)   :: piv(:)
    logical,  intent(out)   :: singular
    integer  :: i, k, p, n
    real(r8) :: big, scale, tmp(size(a, 1))
    n = size(a, 1)
    singular = .false.
    scale = maxval(abs(a))
    do k = 1, n
       p = k - 1 + maxloc(abs(a(k:n,k)), dim=1)
       big = abs(a(p,k))
       piv(k) = p
       if (big <= 1.e3_r8 * epsilon(1._r8) * scale .or. big == 0._r8) then
          singular = .true.
          return
       end if
       if (p /= k) then
          tmp = a(k,:); a(k,:) = a(p,:); a(p,:) = tmp
       end if
       a(k+1:n,k) = a(k+1:n,k) / a(k,k)
       do i = k + 1, n
          a(k+1:n,i) = a(k+1:n,i) - a(k+1:n,k) * a(k,i)
       end do
    end do
  end subroutine lu_factor

  !> Solve with the factors of lu_factor.
  pure subroutine lu_solve(a, piv, b, x)
    real(r8), intent(in)  :: a(:,:), b(:)
    integer,  intent(in)  :: piv(:)
    real(r8), intent(out) :: x(:)
    integer  :: k, n
    real(r8) :: tmp
    n = size(b)
    x = b
    do k = 1, n
       if (piv(k) /= k) then
          tmp = x(k); x(k) = x(piv(k)); x(piv(k)) = tmp
       end if
    end do
    do k = 1, n                       ! L y = P b (unit lower)
       x(k+1:n) = x(k+1:n) - a(k+1:n,k) * x(k)
    end do
    do k = n, 1, -1                   ! U x = y
       x(k) = x(k) / a(k,k)
       x(1:k-1) = x(1:k-1) - a(1:k-1,k) * x(k)
    end do
  end subroutine lu_solve

end module SoilDecompositionMod
