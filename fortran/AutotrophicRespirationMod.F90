!> Autotrophic (plant) respiration of CLM4.5-CN (Oleson et al. 2013, sec. 13.7;
!! CESM1.2 CNMRespMod, CNGRespMod), for the patches of a column.
!!
!! Maintenance respiration from tissue nitrogen (Ryan 1991), eqs. 13.46-13.50:
!!   leaf_mr      = N_leaf      MR_base Q10**((T_leaf - 20 degC)/10)
!!   livestem_mr  = N_livestem  MR_base Q10**((T_wood - 20 degC)/10)   (woody PFTs)
!!   livecroot_mr = N_livecroot MR_base Q10**((T_wood - 20 degC)/10)   (woody PFTs)
!!   froot_mr     = sum_j N_froot rootfr_j MR_base Q10**((T_soil,j - 20 degC)/10)
!!   MR = leaf_mr + froot_mr + livestem_mr + livecroot_mr
!! MR_base = 2.525e-6 gC gN-1 s-1 (0.0106 mol C mol N-1 h-1 of Ryan 1991).
!! Q10 is an argument: the Tech Note gives 2.0; the CLM4.5 code as shipped in
!! CESM1.2 uses 1.5 (CNMRespMod). The Tech Note and the code take T_leaf and
!! T_wood as the 2-m air temperature (t_ref2m); the caller chooses.
!! Leaf option (leaf_mr_opt = 1): CLM4.5-CN's actual leaf MR is the leaf
!! respiration of the photosynthesis model, (lmrsun laisun + lmrsha laisha)
!! [umol CO2 m-2 s-1] x 12.011e-6 gC umol-1 (CNMRespMod), not eq. 13.46.
!! Growth respiration (sec. 13.7.2): GR = grperc x (carbon allocated to new
!! growth, displayed and storage), grperc = 0.3, all incurred at allocation
!! (grpnow = 1). AR = MR + GR. All fluxes per m2 of patch, >= 0.
module AutotrophicRespirationMod

  use shr_kind_mod,       only: r8 => shr_kind_r8
  use shr_strconvert_mod, only: toString, invalid_value
  use clm_varcon,         only: tfrz
  use ieee_arithmetic,    only: ieee_is_finite

  implicit none
  private

  public :: TissueNitrogen, MaintenanceRespiration, GrowthRespiration

  real(r8), parameter, public :: mr_base = 2.525e-6_r8   !< base MR rate [gC gN-1 s-1] (13.46-13.49)
  real(r8), parameter, public :: mr_tref = tfrz + 20._r8 !< reference temperature of MR [K] (13.46)
  real(r8), parameter, public :: grperc  = 0.3_r8       !< growth respiration per new growth C [-] (13.7.2)
  real(r8), parameter, public :: umolc_to_gc = 12.011e-6_r8   !< gC per umol C (CNMRespMod)

contains

  !-----------------------------------------------------------------------
  !> Tissue carbon and nitrogen of the respiring pools from LAI and biomass.
  !! Leaf C from LAI by inverting CLM4.5's canopy SLA profile
  !! (CNVegStructUpdate: tlai = slatop (exp(leafc dsladlai) - 1)/dsladlai,
  !! or slatop leafc when dsladlai = 0); leaf N = leafc / leafcn;
  !! fine-root N = frootc / frootcn; live stem / coarse-root N = C / livewdcn
  !! (zero for non-woody patches).
  subroutine TissueNitrogen(tlai, slatop, dsladlai, leafcn, frootc, frootcn, livestemc, livecrootc, &
       livewdcn, woody, leafc, leafn, frootn, livestemn, livecrootn, ierr, errmsg)
    real(r8), intent(in), contiguous :: tlai(:,:)       !< total LAI (ncol, npatch) [m2 m-2]
    real(r8), intent(in), contiguous :: slatop(:,:)     !< SLA at the canopy top (ncol, npatch) [m2 gC-1]
    real(r8), intent(in), contiguous :: dsladlai(:,:)   !< dSLA/dLAI (ncol, npatch) [m2 gC-1]
    real(r8), intent(in), contiguous :: leafcn(:,:)     !< leaf C:N (ncol, npatch) [gC gN-1]
    real(r8), intent(in), contiguous :: frootc(:,:)     !< fine-root C (ncol, npatch) [gC m-2]
    real(r8), intent(in), contiguous :: frootcn(:,:)    !< fine-root C:N (ncol, npatch) [gC gN-1]
    real(r8), intent(in), contiguous :: livestemc(:,:)  !< live stem C (ncol, npatch) [gC m-2]
    real(r8), intent(in), contiguous :: livecrootc(:,:) !< live coarse-root C (ncol, npatch) [gC m-2]
    real(r8), intent(in), contiguous :: livewdcn(:,:)   !< live wood C:N (ncol, npatch) [gC gN-1]
    real(r8), intent(in), contiguous :: woody(:,:)      !< 1 woody PFT, 0 not (ncol, npatch) [-]
    real(r8), intent(out), contiguous :: leafc(:,:), leafn(:,:)          !< [gC m-2], [gN m-2]
    real(r8), intent(out), contiguous :: frootn(:,:), livestemn(:,:), livecrootn(:,:)   !< [gN m-2]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer :: c, p
    ierr = 0
    errmsg = ''
    leafc = 0._r8; leafn = 0._r8; frootn = 0._r8; livestemn = 0._r8; livecrootn = 0._r8
    do p = 1, size(tlai, 2)
       do c = 1, size(tlai, 1)
          if (.not. (ieee_is_finite(tlai(c,p)) .and. tlai(c,p) >= 0._r8)) then
             call bad('tlai', tlai(c,p), 'give a finite LAI >= 0'); return
          end if
          if (.not. (ieee_is_finite(slatop(c,p)) .and. slatop(c,p) > 0._r8)) then
             call bad('slatop', slatop(c,p), 'give a finite SLA > 0 m2 gC-1'); return
          end if
          if (.not. (ieee_is_finite(dsladlai(c,p)) .and. dsladlai(c,p) >= 0._r8)) then
             call bad('dsladlai', dsladlai(c,p), 'give a finite dSLA/dLAI >= 0 m2 gC-1'); return
          end if
          if (.not. (leafcn(c,p) > 0._r8 .and. frootcn(c,p) > 0._r8 .and. ieee_is_finite(leafcn(c,p)) &
               .and. ieee_is_finite(frootcn(c,p)))) then
             call bad('leafcn', leafcn(c,p), 'give finite C:N ratios > 0 (leafcn, frootcn)'); return
          end if
          if (.not. (frootc(c,p) >= 0._r8 .and. livestemc(c,p) >= 0._r8 .and. livecrootc(c,p) >= 0._r8 &
               .and. ieee_is_finite(frootc(c,p)) .and. ieee_is_finite(livestemc(c,p)) &
               .and. ieee_is_finite(livecrootc(c,p)))) then
             call bad('frootc', frootc(c,p), 'give finite biomass >= 0 gC m-2 (frootc, livestemc, livecrootc)'); return
          end if
          if (.not. (woody(c,p) == 0._r8 .or. woody(c,p) == 1._r8)) then
             call bad('woody', woody(c,p), 'give 1 (woody) or 0'); return
          end if
          if (woody(c,p) == 1._r8 .and. .not. (livewdcn(c,p) > 0._r8 .and. ieee_is_finite(livewdcn(c,p)))) then
             call bad('livewdcn', livewdcn(c,p), 'give a finite live-wood C:N > 0 for woody patches'); return
          end if
          if (dsladlai(c,p) > 0._r8) then
             leafc(c,p) = log(1._r8 + tlai(c,p) * dsladlai(c,p) / slatop(c,p)) / dsladlai(c,p)
          else
             leafc(c,p) = tlai(c,p) / slatop(c,p)
          end if
          leafn(c,p) = leafc(c,p) / leafcn(c,p)
          frootn(c,p) = frootc(c,p) / frootcn(c,p)
          if (woody(c,p) == 1._r8) then
             livestemn(c,p) = livestemc(c,p) / livewdcn(c,p)
             livecrootn(c,p) = livecrootc(c,p) / livewdcn(c,p)
          end if
       end do
    end do
  contains
    subroutine bad(what, val, why)
      character(len=*), intent(in) :: what, why
      real(r8), intent(in) :: val
      ierr = 1
      errmsg = invalid_value(what, val, c, 'patch', p, why, 'TissueNitrogen')
    end subroutine bad
  end subroutine TissueNitrogen

  !-----------------------------------------------------------------------
  !> Maintenance respiration of the patches of each column (eqs. 13.46-13.50).
  !! froot_mr_lay(c,p,j) is the fine-root MR of layer j per m2 of patch
  !! [gC m-2 s-1] (not per m3): sum_j froot_mr_lay = froot_mr.
  subroutine MaintenanceRespiration(leafn, frootn, livestemn, livecrootn, t_leaf, t_wood, t_soisno, &
       rootfr, q10, leaf_mr_opt, lmr_canopy, leaf_mr, froot_mr, livestem_mr, livecroot_mr, &
       froot_mr_lay, mr, ierr, errmsg)
    real(r8), intent(in), contiguous :: leafn(:,:), frootn(:,:)          !< (ncol, npatch) [gN m-2]
    real(r8), intent(in), contiguous :: livestemn(:,:), livecrootn(:,:)  !< (ncol, npatch) [gN m-2]
    real(r8), intent(in), contiguous :: t_leaf(:,:)     !< temperature of leaf MR (ncol, npatch) [K]
    real(r8), intent(in), contiguous :: t_wood(:,:)     !< temperature of live-wood MR (ncol, npatch) [K]
    real(r8), intent(in), contiguous :: t_soisno(:,:)   !< soil temperature (ncol, nlev) [K]
    real(r8), intent(in), contiguous :: rootfr(:,:,:)   !< fine-root fraction (ncol, npatch, nlev) [-], sums to 1
    real(r8), intent(in) :: q10                         !< MR temperature sensitivity [-] (Tech Note 2.0, code 1.5)
    integer,  intent(in) :: leaf_mr_opt                 !< 0: leaf MR from leaf N (13.46); 1: from lmr_canopy
    real(r8), intent(in), contiguous :: lmr_canopy(:,:) !< canopy leaf respiration of photosynthesis (ncol, npatch) [umol CO2 m-2 s-1]
    real(r8), intent(out), contiguous :: leaf_mr(:,:), froot_mr(:,:)          !< (ncol, npatch) [gC m-2 s-1]
    real(r8), intent(out), contiguous :: livestem_mr(:,:), livecroot_mr(:,:)  !< (ncol, npatch) [gC m-2 s-1]
    real(r8), intent(out), contiguous :: froot_mr_lay(:,:,:)                  !< (ncol, npatch, nlev) [gC m-2 s-1]
    real(r8), intent(out), contiguous :: mr(:,:)                              !< (ncol, npatch) [gC m-2 s-1]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer  :: c, p, j
    real(r8) :: s, fwood
    real(r8) :: fsoil(size(t_soisno, 1), size(t_soisno, 2))
    ierr = 0
    errmsg = ''
    leaf_mr = 0._r8; froot_mr = 0._r8; livestem_mr = 0._r8; livecroot_mr = 0._r8
    froot_mr_lay = 0._r8; mr = 0._r8
    c = 0; p = 0
    if (.not. (ieee_is_finite(q10) .and. q10 > 0._r8)) then
       call bad('q10', q10, 'give a finite Q10 > 0 (Tech Note 2.0, CLM4.5 code 1.5)'); return
    end if
    if (leaf_mr_opt /= 0 .and. leaf_mr_opt /= 1) then
       call bad('leaf_mr_opt', real(leaf_mr_opt, r8), 'give 0 (from leaf N) or 1 (from photosynthesis lmr)'); return
    end if
    do p = 1, size(leafn, 2)
       do c = 1, size(leafn, 1)
          if (.not. (all([leafn(c,p), frootn(c,p), livestemn(c,p), livecrootn(c,p)] >= 0._r8) .and. &
               all(ieee_is_finite([leafn(c,p), frootn(c,p), livestemn(c,p), livecrootn(c,p)])))) then
             call bad('leafn', leafn(c,p), 'give finite tissue N >= 0 gN m-2 (leafn, frootn, livestemn, livecrootn)'); return
          end if
          if (.not. (ieee_is_finite(t_leaf(c,p)) .and. t_leaf(c,p) > 0._r8)) then
             call bad('t_leaf', t_leaf(c,p), 'give a finite temperature in K'); return
          end if
          if (.not. (ieee_is_finite(t_wood(c,p)) .and. t_wood(c,p) > 0._r8)) then
             call bad('t_wood', t_wood(c,p), 'give a finite temperature in K'); return
          end if
          if (leaf_mr_opt == 1 .and. .not. (ieee_is_finite(lmr_canopy(c,p)) .and. lmr_canopy(c,p) >= 0._r8)) then
             call bad('lmr_canopy', lmr_canopy(c,p), 'give a finite leaf respiration >= 0 umol CO2 m-2 s-1'); return
          end if
          s = 0._r8
          do j = 1, size(t_soisno, 2)
             if (.not. (ieee_is_finite(rootfr(c,p,j)) .and. rootfr(c,p,j) >= 0._r8)) then
                call bad('rootfr', rootfr(c,p,j), 'give root fractions >= 0'); return
             end if
             s = s + rootfr(c,p,j)
          end do
          if (frootn(c,p) > 0._r8 .and. abs(s - 1._r8) > 1.e-6_r8) then
             call bad('rootfr', s, 'the root fractions of a patch with fine roots must sum to 1 (given: this sum)'); return
          end if
       end do
    end do
    do j = 1, size(t_soisno, 2)
       do c = 1, size(t_soisno, 1)
          if (.not. (ieee_is_finite(t_soisno(c,j)) .and. t_soisno(c,j) > 0._r8)) then
             ierr = 1
             errmsg = 't_soisno = ' // toString(t_soisno(c,j)) // ' at column ' // toString(c) // &
                  ', layer ' // toString(j) // ' is not valid in MaintenanceRespiration: give a finite temperature in K'
             return
          end if
       end do
    end do

    ! the Q10 factor of each soil layer, shared by the patches' fine roots
    do j = 1, size(t_soisno, 2)
       do c = 1, size(t_soisno, 1)
          fsoil(c,j) = q10**((t_soisno(c,j) - mr_tref) / 10._r8)
       end do
    end do
    do p = 1, size(leafn, 2)
       do c = 1, size(leafn, 1)
          if (leaf_mr_opt == 1) then
             leaf_mr(c,p) = lmr_canopy(c,p) * umolc_to_gc                                   ! CNMRespMod
          else
             leaf_mr(c,p) = leafn(c,p) * mr_base * q10**((t_leaf(c,p) - mr_tref) / 10._r8)  ! (13.46)
          end if
          fwood = q10**((t_wood(c,p) - mr_tref) / 10._r8)
          livestem_mr(c,p)  = livestemn(c,p)  * mr_base * fwood                             ! (13.47)
          livecroot_mr(c,p) = livecrootn(c,p) * mr_base * fwood                             ! (13.48)
          do j = 1, size(t_soisno, 2)
             froot_mr_lay(c,p,j) = frootn(c,p) * rootfr(c,p,j) * mr_base * fsoil(c,j)      ! (13.49)
             froot_mr(c,p) = froot_mr(c,p) + froot_mr_lay(c,p,j)
          end do
          mr(c,p) = leaf_mr(c,p) + froot_mr(c,p) + livestem_mr(c,p) + livecroot_mr(c,p)     ! (13.50)
       end do
    end do
  contains
    subroutine bad(what, val, why)
      character(len=*), intent(in) :: what, why
      real(r8), intent(in) :: val
      ierr = 1
      errmsg = invalid_value(what, val, c, 'patch', p, why, 'MaintenanceRespiration')
    end subroutine bad
  end subroutine MaintenanceRespiration

  !-----------------------------------------------------------------------
  !> Growth respiration GR = grperc x new growth carbon (sec. 13.7.2).
  subroutine GrowthRespiration(cgrowth, gr, ierr, errmsg)
    real(r8), intent(in), contiguous :: cgrowth(:,:)  !< C allocated to new growth (ncol, npatch) [gC m-2 s-1]
    real(r8), intent(out), contiguous :: gr(:,:)      !< growth respiration (ncol, npatch) [gC m-2 s-1]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer :: c, p
    ierr = 0
    errmsg = ''
    gr = 0._r8
    do p = 1, size(cgrowth, 2)
       do c = 1, size(cgrowth, 1)
          if (.not. (ieee_is_finite(cgrowth(c,p)) .and. cgrowth(c,p) >= 0._r8)) then
             ierr = 1
             errmsg = 'cgrowth = ' // toString(cgrowth(c,p)) // ' at column ' // toString(c) // ', patch ' // &
                  toString(p) // ' is not valid in GrowthRespiration: give a finite new-growth flux >= 0 gC m-2 s-1'
             return
          end if
          gr(c,p) = grperc * cgrowth(c,p)
       end do
    end do
  end subroutine GrowthRespiration

end module AutotrophicRespirationMod
