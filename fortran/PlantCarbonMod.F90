!> Plant carbon of patches whose leaf area is prescribed (hrclm's phenology
!! comes from the site's LAI, as in CLM's satellite-phenology mode), with the
!! carbon fluxes of CLM4.5-CN (Oleson et al. 2013, ch. 13) and litterfall that
!! returns the plant's net production to the soil.
!!
!! Tissue carbon of a patch:
!!   leafc      from the LAI (AutotrophicRespirationMod TissueNitrogen)
!!   frootc     = froot_leaf leafc (CLM4.5's allocation ratio a1 applied to the
!!                standing leaf carbon: fine roots come and go with the leaves)
!!   livestemc  = flivewd A_stem / lwtop,  livecrootc = flivewd A_croot / lwtop
!!                (woody PFTs): the live-wood pools in steady state with their
!!                yearly allocation A = f annsum_npp and CLM4.5's turnover of
!!                live into dead wood, lwtop = 0.7 yr-1 (CNPhenology).
!! Allocation of new growth (CLM4.5 CNAllocation, without nitrogen limitation):
!!   leaf : fine root : stem : coarse root = 1 : a1 : a3 : a3 a2
!!   a1 = froot_leaf, a2 = croot_stem, a3 = stem_leaf, or for stem_leaf = -1
!!   (trees) a3 = 2.7 / (1 + exp(-0.004 (annsum_npp - 300))) - 0.4 (eq. 13.x,
!!   CNAllocation's dynamic stem allocation).
!! Litterfall (steady-state vegetation, as in CASA, Potter et al. 1993 and
!! Randerson et al. 1996): over a year the plant returns to the soil the NPP of
!! the previous year, annsum_npp, split by the allocation above:
!!   leaf and fine-root litter  = f_leaf, f_froot x annsum_npp x litfall_w(t)
!!   dead stem, dead coarse root (to CWD) = f_stem, f_croot x annsum_npp / year
!! with litfall_w [s-1] the share of the year's leaf litterfall falling per
!! second, from the decline of the prescribed LAI (hrclm.carbon.litterfall_weight).
!! annsum_npp is CLM4.5's annual NPP sum (CNAnnualUpdate), renewed every 365
!! days from tempsum_npp.
module PlantCarbonMod

  use shr_kind_mod,       only: r8 => shr_kind_r8
  use shr_strconvert_mod, only: invalid_value
  use ieee_arithmetic,    only: ieee_is_finite

  implicit none
  private

  public :: AllocationFractions, LiveWoodCarbon, Litterfall, AnnualUpdate

  real(r8), parameter, public :: secspyr = 86400._r8 * 365._r8   !< CLM's (noleap) year [s]
  real(r8), parameter, public :: lwtop = 0.7_r8                  !< live wood turnover [yr-1] (CNPhenology lwtop_ann)

contains

  !-----------------------------------------------------------------------
  !> Shares of new growth carbon going to leaf, fine root, stem and coarse
  !! root [-] (they sum to 1) for one patch.
  pure subroutine AllocationFractions(froot_leaf, stem_leaf, croot_stem, annsum_npp, f)
    real(r8), intent(in)  :: froot_leaf   !< a1 [-]
    real(r8), intent(in)  :: stem_leaf    !< a3 [-], or -1 for CLM4.5's dynamic allocation
    real(r8), intent(in)  :: croot_stem   !< a2 [-]
    real(r8), intent(in)  :: annsum_npp   !< NPP of the last year [gC m-2 yr-1]
    real(r8), intent(out) :: f(4)         !< leaf, fine root, stem, coarse root [-]
    real(r8) :: a3, d
    if (stem_leaf < 0._r8) then
       a3 = 2.7_r8 / (1._r8 + exp(-0.004_r8 * (annsum_npp - 300._r8))) - 0.4_r8
    else
       a3 = stem_leaf
    end if
    d = 1._r8 + froot_leaf + a3 * (1._r8 + croot_stem)
    f = [1._r8, froot_leaf, a3, a3 * croot_stem] / d
  end subroutine AllocationFractions

  !-----------------------------------------------------------------------
  !> Live stem and live coarse-root carbon [gC m-2] of woody patches in steady
  !! state with their allocation (zero for non-woody patches).
  subroutine LiveWoodCarbon(froot_leaf, stem_leaf, croot_stem, flivewd, woody, annsum_npp, &
       livestemc, livecrootc, ierr, errmsg)
    real(r8), intent(in), contiguous :: froot_leaf(:,:), stem_leaf(:,:), croot_stem(:,:)  !< (ncol, npatch) [-]
    real(r8), intent(in), contiguous :: flivewd(:,:), woody(:,:)     !< (ncol, npatch) [-]
    real(r8), intent(in), contiguous :: annsum_npp(:,:)              !< (ncol, npatch) [gC m-2 yr-1]
    real(r8), intent(out), contiguous :: livestemc(:,:), livecrootc(:,:)   !< (ncol, npatch) [gC m-2]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer  :: c, p
    real(r8) :: f(4), a
    ierr = 0
    errmsg = ''
    livestemc = 0._r8; livecrootc = 0._r8
    do p = 1, size(woody, 2)
       do c = 1, size(woody, 1)
          if (.not. ieee_is_finite(annsum_npp(c,p))) then
             ierr = 1
             errmsg = invalid_value('annsum_npp', annsum_npp(c,p), c, 'patch', p, &
                  'give a finite annual NPP in gC m-2 yr-1', 'LiveWoodCarbon')
             return
          end if
          if (woody(c,p) /= 1._r8) cycle
          call AllocationFractions(froot_leaf(c,p), stem_leaf(c,p), croot_stem(c,p), annsum_npp(c,p), f)
          a = max(annsum_npp(c,p), 0._r8) * flivewd(c,p) / lwtop
          livestemc(c,p) = a * f(3)
          livecrootc(c,p) = a * f(4)
       end do
    end do
  end subroutine LiveWoodCarbon

  !-----------------------------------------------------------------------
  !> Litterfall of the patches [gC m-2 s-1]: leaf and fine-root litter timed
  !! by litfall_w, dead wood evenly over the year; nothing after a year of
  !! negative NPP.
  subroutine Litterfall(froot_leaf, stem_leaf, croot_stem, annsum_npp, litfall_w, &
       leaf_litc, froot_litc, cwd_ag, cwd_bg, ierr, errmsg)
    real(r8), intent(in), contiguous :: froot_leaf(:,:), stem_leaf(:,:), croot_stem(:,:)  !< (ncol, npatch) [-]
    real(r8), intent(in), contiguous :: annsum_npp(:,:)   !< (ncol, npatch) [gC m-2 yr-1]
    real(r8), intent(in), contiguous :: litfall_w(:)      !< (ncol) [s-1]
    real(r8), intent(out), contiguous :: leaf_litc(:,:), froot_litc(:,:)  !< (ncol, npatch) [gC m-2 s-1]
    real(r8), intent(out), contiguous :: cwd_ag(:,:), cwd_bg(:,:)         !< (ncol, npatch) [gC m-2 s-1]
    integer,  intent(out) :: ierr
    character(len=*), intent(out) :: errmsg
    integer  :: c, p
    real(r8) :: f(4), a
    ierr = 0
    errmsg = ''
    do p = 1, size(annsum_npp, 2)
       do c = 1, size(annsum_npp, 1)
          if (.not. (ieee_is_finite(litfall_w(c)) .and. litfall_w(c) >= 0._r8)) then
             ierr = 1
             errmsg = invalid_value('litfall_w', litfall_w(c), c, 'patch', p, &
                  'give a finite litterfall weight >= 0 s-1', 'Litterfall')
             return
          end if
          call AllocationFractions(froot_leaf(c,p), stem_leaf(c,p), croot_stem(c,p), annsum_npp(c,p), f)
          a = max(annsum_npp(c,p), 0._r8)
          leaf_litc(c,p) = a * f(1) * litfall_w(c)
          froot_litc(c,p) = a * f(2) * litfall_w(c)
          cwd_ag(c,p) = a * f(3) / secspyr
          cwd_bg(c,p) = a * f(4) / secspyr
       end do
    end do
  end subroutine Litterfall

  !-----------------------------------------------------------------------
  !> CLM4.5 CNAnnualUpdate: sum NPP over the year; every 365 days the sum
  !! becomes annsum_npp and a new sum starts.
  subroutine AnnualUpdate(dtime, npp, annsum_counter, tempsum_npp, annsum_npp)
    real(r8), intent(in) :: dtime                          !< time step [s]
    real(r8), intent(in), contiguous :: npp(:,:)           !< NPP of the step (ncol, npatch) [gC m-2 s-1]
    real(r8), intent(inout), contiguous :: annsum_counter(:)    !< (ncol) [s]
    real(r8), intent(inout), contiguous :: tempsum_npp(:,:)     !< (ncol, npatch) [gC m-2]
    real(r8), intent(inout), contiguous :: annsum_npp(:,:)      !< (ncol, npatch) [gC m-2 yr-1]
    integer :: c
    tempsum_npp = tempsum_npp + npp * dtime
    annsum_counter = annsum_counter + dtime
    do c = 1, size(annsum_counter)
       if (annsum_counter(c) >= secspyr) then
          annsum_npp(c,:) = tempsum_npp(c,:)
          tempsum_npp(c,:) = 0._r8
          annsum_counter(c) = 0._r8
       end if
    end do
  end subroutine AnnualUpdate

end module PlantCarbonMod
