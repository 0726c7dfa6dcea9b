!> CLM4.5 solar fluxes of a snow-free vegetated patch (Oleson et al. 2013,
!! NCAR/TN-503+STR, ch. 4.1; equation numbers as in CTSM
!! doc/source/tech_note/Radiative_Fluxes, which keeps the CLM4.5 labels):
!! absorbed by vegetation (eq. 4.1) and ground (eq. 4.2), reflected
!! (eq. 4.4), and absorbed PAR of the sunlit and shaded big leaf (eqs.
!! 4.5-4.6) from the per-unit-flux factors of SurfaceAlbedoMod.TwoStream.
!!
!! The sunlit / shaded PAR follows CLM4.5 (SurfaceAlbedo with nlevcan = 1
!! and SurfaceRadiation): the absorbed visible radiation of the sunlit
!! (shaded) canopy is divided by the sunlit (shaded) plant area
!! fsun (L+S) ((1 - fsun)(L+S)); the leaf areas are laisun = L fsun and
!! laisha = L (1 - fsun). CLM5 takes L^sun = (1 - exp(-K(L+S)))/K (TN eq.
!! 4.7), i.e. the same sunlit plant area.
module SurfaceRadiationMod

  use shr_kind_mod,     only: r8 => shr_kind_r8
  use SurfaceAlbedoMod, only: numrad, ivis

  implicit none
  private

  public :: SurfaceRadiation

contains

  subroutine SurfaceRadiation(forc_solad, forc_solai, albd, albi, fabd, fabi, ftdd, ftid, ftii, &
       fabd_sun, fabd_sha, fabi_sun, fabi_sha, albgrd, albgri, elai, esai, fsun, &
       sabv, sabg, fsa, fsr, parsun, parsha, laisun, laisha)
    real(r8), intent(in), contiguous :: forc_solad(:,:)  !< direct beam per band (n, numrad) [W m-2]
    real(r8), intent(in), contiguous :: forc_solai(:,:)  !< diffuse per band (n, numrad) [W m-2]
    real(r8), intent(in), contiguous :: albd(:,:)        !< surface albedo, direct (n, numrad) [-]
    real(r8), intent(in), contiguous :: albi(:,:)        !< surface albedo, diffuse (n, numrad) [-]
    real(r8), intent(in), contiguous :: fabd(:,:)        !< canopy absorbed per unit direct (n, numrad) [-]
    real(r8), intent(in), contiguous :: fabi(:,:)        !< canopy absorbed per unit diffuse (n, numrad) [-]
    real(r8), intent(in), contiguous :: ftdd(:,:)        !< direct below canopy per unit direct (n, numrad) [-]
    real(r8), intent(in), contiguous :: ftid(:,:)        !< diffuse below canopy per unit direct (n, numrad) [-]
    real(r8), intent(in), contiguous :: ftii(:,:)        !< diffuse below canopy per unit diffuse (n, numrad) [-]
    real(r8), intent(in), contiguous :: fabd_sun(:,:)    !< sunlit absorbed per unit direct (n, numrad) [-]
    real(r8), intent(in), contiguous :: fabd_sha(:,:)    !< shaded absorbed per unit direct (n, numrad) [-]
    real(r8), intent(in), contiguous :: fabi_sun(:,:)    !< sunlit absorbed per unit diffuse (n, numrad) [-]
    real(r8), intent(in), contiguous :: fabi_sha(:,:)    !< shaded absorbed per unit diffuse (n, numrad) [-]
    real(r8), intent(in), contiguous :: albgrd(:,:)      !< ground albedo, direct (n, numrad) [-]
    real(r8), intent(in), contiguous :: albgri(:,:)      !< ground albedo, diffuse (n, numrad) [-]
    real(r8), intent(in), contiguous :: elai(:)          !< exposed leaf area index (n) [m2 m-2]
    real(r8), intent(in), contiguous :: esai(:)          !< exposed stem area index (n) [m2 m-2]
    real(r8), intent(in), contiguous :: fsun(:)          !< sunlit fraction of the canopy (n) [-]
    real(r8), intent(out), contiguous :: sabv(:)         !< solar absorbed by vegetation (n) [W m-2 ground]
    real(r8), intent(out), contiguous :: sabg(:)         !< solar absorbed by the ground (n) [W m-2 ground]
    real(r8), intent(out), contiguous :: fsa(:)          !< solar absorbed, sabv + sabg (n) [W m-2 ground]
    real(r8), intent(out), contiguous :: fsr(:)          !< solar reflected (n) [W m-2 ground]
    real(r8), intent(out), contiguous :: parsun(:)       !< absorbed PAR per sunlit plant area (n) [W m-2]
    real(r8), intent(out), contiguous :: parsha(:)       !< absorbed PAR per shaded plant area (n) [W m-2]
    real(r8), intent(out), contiguous :: laisun(:)       !< sunlit leaf area index (n) [m2 m-2]
    real(r8), intent(out), contiguous :: laisha(:)       !< shaded leaf area index (n) [m2 m-2]
    real(r8) :: trd, tri, vai
    integer :: p, ib
    do p = 1, size(elai)
       sabv(p) = 0._r8
       sabg(p) = 0._r8
       fsr(p) = 0._r8
       do ib = 1, numrad
          ! eq. 4.1: absorbed by the canopy
          sabv(p) = sabv(p) + forc_solad(p,ib) * fabd(p,ib) + forc_solai(p,ib) * fabi(p,ib)
          ! eq. 4.2: direct and diffuse reaching the ground, absorbed there
          trd = forc_solad(p,ib) * ftdd(p,ib)
          tri = forc_solad(p,ib) * ftid(p,ib) + forc_solai(p,ib) * ftii(p,ib)
          sabg(p) = sabg(p) + trd * (1._r8 - albgrd(p,ib)) + tri * (1._r8 - albgri(p,ib))
          ! eq. 4.4: reflected
          fsr(p) = fsr(p) + albd(p,ib) * forc_solad(p,ib) + albi(p,ib) * forc_solai(p,ib)
       end do
       fsa(p) = sabv(p) + sabg(p)

       laisun(p) = elai(p) * fsun(p)
       laisha(p) = elai(p) * (1._r8 - fsun(p))
       vai = elai(p) + esai(p)
       ! eqs. 4.5-4.6 (visible band), per unit sunlit / shaded plant area
       ! zero where there is no sunlit (shaded) leaf: elai = 0 or fsun = 0 (1)
       if (elai(p) > 0._r8 .and. fsun(p) > 0._r8) then
          parsun(p) = (forc_solad(p,ivis) * fabd_sun(p,ivis) + forc_solai(p,ivis) * fabi_sun(p,ivis)) &
               / (fsun(p) * vai)
       else
          parsun(p) = 0._r8
       end if
       if (elai(p) > 0._r8 .and. fsun(p) < 1._r8) then
          parsha(p) = (forc_solad(p,ivis) * fabd_sha(p,ivis) + forc_solai(p,ivis) * fabi_sha(p,ivis)) &
               / ((1._r8 - fsun(p)) * vai)
       else
          parsha(p) = 0._r8
       end if
    end do
  end subroutine SurfaceRadiation

end module SurfaceRadiationMod
