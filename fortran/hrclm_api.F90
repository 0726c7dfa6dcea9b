!> Python-facing interface of the hrclm Fortran core.
!!
!! f90wrap reads this module at build time and generates the glue that lets
!! Python call it (the generated code is never committed). Every routine takes
!! explicit-shape arrays (ncol, nlev), integer flags instead of logicals and a
!! fixed-length error message, and forwards to the physics modules, which keep
!! CLM-style assumed-shape interfaces and can be lifted into CLM/CTSM as they are.
!! Units are those of the physics module called; see its documentation.
module hrclm_api

  use shr_kind_mod, only: r8 => shr_kind_r8
  use shr_strconvert_mod, only: toString
  use HydraulicRedistributionMod, only: HydraulicRedistribution, HRNightSwitch, hr_conductance
  use SoilGridMod,                only: SoilGridCLM45, SoilGridFromDz
  use RootFractionMod,            only: RootFractionZeng2001
  use SoilHydraulicsMod,          only: SoilPropertiesCLM45, soil_psi, soil_theta
  use SoilWaterMovementMod,       only: SoilWaterEquilibrium
  use RootUptakeMod,              only: RootUptake, HydraulicUptakeWeights, uptake_hydraulic
  use ColumnVarsMod,              only: var_info, group_size, group_var, hist_nslot, nctl_i, nctl_r, &
                                        nlaypar, ncolpar, npatpar, npatlay, nforc, nstate_lev,   &
                                        nstate_col, nstate_pat, nstate_grnd, nlevbed
  use ColumnDriverMod,            only: ColumnDriverRun, ndiag

  implicit none
  private
  public :: api_hr_flux, api_hr_night_switch, api_hr_conductance
  public :: api_soil_grid_clm45, api_soil_grid_from_dz, api_root_fraction_zeng
  public :: api_soil_psi, api_soil_theta
  public :: api_column_run, api_var_info
  public :: api_soil_properties, api_soil_equilibrium, api_root_uptake
  public :: api_qsat, api_friction_velocity, api_monin_obuk_ini, api_monin_obuk_update, &
            api_ground_grid, api_soil_thermal_params, api_soil_therm_prop, api_soil_temperature
  public :: api_photosynthesis, api_leaf_rates, api_canopy_nscaler, api_vcmax25_top, api_dayl_factor
  public :: api_solar_split, api_soil_albedo, api_two_stream, api_surface_radiation
  public :: api_decomp_constants, api_decomp_cascade, api_decomp_rates, api_litter_input, api_soil_decomposition, api_decomp_steady_state, api_tissue_nitrogen, api_autotrophic_respiration
  public :: api_allocation_fractions
  public :: api_rhizosphere_run, api_gaines_thomas_fractions, api_gaines_thomas_equilibrium
  public :: api_rhizo_soil

  integer, parameter, public :: api_errmsg_len = 512   !< length of errmsg [characters]

contains

  !> Ryel et al. (2002) HR flux [mm s-1]; see HydraulicRedistributionMod.
  subroutine api_hr_flux(ncol, nlev, psi, rootfr, dz, night, crt, psi50, hr_b, &
       rx_rule, thick_rule, top_layer, active, h2o_avail, h2o_room, dtime,      &
       qhr, ierr, ecol, elev, errmsg)
    integer,  intent(in)  :: ncol, nlev
    real(r8), intent(in)  :: psi(ncol, nlev)        ! [mm]
    real(r8), intent(in)  :: rootfr(ncol, nlev)     ! [-]
    real(r8), intent(in)  :: dz(ncol, nlev)         ! [mm]
    real(r8), intent(in)  :: night(ncol)            ! [-]
    real(r8), intent(in)  :: crt(ncol)              ! [s-1]
    real(r8), intent(in)  :: psi50(ncol)            ! [mm]
    real(r8), intent(in)  :: hr_b(ncol)             ! [-]
    integer,  intent(in)  :: rx_rule, thick_rule, top_layer
    integer,  intent(in)  :: active(ncol, nlev)     ! [0/1]
    real(r8), intent(in)  :: h2o_avail(ncol, nlev)  ! [mm]
    real(r8), intent(in)  :: h2o_room(ncol, nlev)   ! [mm]
    real(r8), intent(in)  :: dtime                  ! [s]
    real(r8), intent(inout) :: qhr(ncol, nlev)      ! [mm s-1], overwritten
    integer,  intent(out) :: ierr, ecol, elev
    character(len=api_errmsg_len), intent(out) :: errmsg
    call HydraulicRedistribution(psi, rootfr, dz, night, crt, psi50, hr_b, &
         rx_rule, thick_rule, top_layer, active, h2o_avail, h2o_room, dtime, &
         qhr, ierr, ecol, elev, errmsg)
  end subroutine api_hr_flux

  !> Night / low-transpiration switch D (0 or 1) per column.
  subroutine api_hr_night_switch(ncol, qvegt, sabv, rule, qvegt_max, sabv_max, night, ierr, errmsg)
    integer,  intent(in)  :: ncol
    real(r8), intent(in)  :: qvegt(ncol)   ! [mm s-1]
    real(r8), intent(in)  :: sabv(ncol)    ! [W m-2]
    integer,  intent(in)  :: rule
    real(r8), intent(in)  :: qvegt_max     ! [mm s-1]
    real(r8), intent(in)  :: sabv_max      ! [W m-2]
    real(r8), intent(inout) :: night(ncol) ! [-], overwritten
    integer,  intent(out) :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call HRNightSwitch(qvegt, sabv, rule, qvegt_max, sabv_max, night, ierr, errmsg)
  end subroutine api_hr_night_switch

  !> Relative soil-root conductance c = 1/(1 + (psi/psi50)**b) for n values.
  subroutine api_hr_conductance(n, psi, psi50, hr_b, cond)
    integer,  intent(in)  :: n
    real(r8), intent(in)  :: psi(n)      ! [mm]
    real(r8), intent(in)  :: psi50(n)    ! [mm]
    real(r8), intent(in)  :: hr_b(n)     ! [-]
    real(r8), intent(inout) :: cond(n)   ! [-], overwritten
    cond = hr_conductance(psi, psi50, hr_b)
  end subroutine api_hr_conductance

  !> CLM4.5 exponential soil grid of nlev levels [m]; zi(1) is the surface.
  subroutine api_soil_grid_clm45(nlev, z, dz, zi)
    integer,  intent(in)    :: nlev
    real(r8), intent(inout) :: z(nlev)       ! node depth [m], overwritten
    real(r8), intent(inout) :: dz(nlev)      ! thickness [m], overwritten
    real(r8), intent(inout) :: zi(nlev + 1)  ! interfaces [m], overwritten
    call SoilGridCLM45(z, dz, zi)
  end subroutine api_soil_grid_clm45

  !> Soil grid from user-given thicknesses [m].
  subroutine api_soil_grid_from_dz(nlev, dz, z, zi, ierr, errmsg)
    integer,  intent(in)    :: nlev
    real(r8), intent(in)    :: dz(nlev)      ! thickness [m]
    real(r8), intent(inout) :: z(nlev)       ! node depth [m], overwritten
    real(r8), intent(inout) :: zi(nlev + 1)  ! interfaces [m], overwritten
    integer,  intent(out)   :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call SoilGridFromDz(dz, z, zi, ierr, errmsg)
  end subroutine api_soil_grid_from_dz

  !> Zeng (2001) root fractions for ncol columns of nlev rooted layers [-].
  subroutine api_root_fraction_zeng(ncol, nlev, zi, ra, rb, rootfr, ierr, errmsg)
    integer,  intent(in)    :: ncol, nlev
    real(r8), intent(in)    :: zi(ncol, nlev + 1)    ! interfaces [m]
    real(r8), intent(in)    :: ra(ncol), rb(ncol)    ! [m-1]
    real(r8), intent(inout) :: rootfr(ncol, nlev)    ! [-], overwritten
    integer,  intent(out)   :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call RootFractionZeng2001(zi, ra, rb, rootfr, ierr, errmsg)
  end subroutine api_root_fraction_zeng

  !> CLM4.5 hydraulic parameters from texture; see SoilHydraulicsMod.
  subroutine api_soil_properties(ncol, nlev, sand, clay, orgdens, zsoi, watsat, sucsat, bsw, &
       hksat, watfc, ierr, ecol, elev, errmsg)
    integer,  intent(in)    :: ncol, nlev
    real(r8), intent(in)    :: sand(ncol, nlev), clay(ncol, nlev)   ! [%]
    real(r8), intent(in)    :: orgdens(ncol, nlev)                  ! [kg m-3]
    real(r8), intent(in)    :: zsoi(ncol, nlev)                     ! [m]
    real(r8), intent(inout) :: watsat(ncol, nlev), sucsat(ncol, nlev), bsw(ncol, nlev)
    real(r8), intent(inout) :: hksat(ncol, nlev), watfc(ncol, nlev)
    integer,  intent(out)   :: ierr, ecol, elev
    character(len=api_errmsg_len), intent(out) :: errmsg
    call SoilPropertiesCLM45(sand, clay, orgdens, zsoi, watsat, sucsat, bsw, hksat, watfc, &
         ierr, ecol, elev, errmsg)
  end subroutine api_soil_properties

  !> Matric potential [mm] of n volumetric water contents, CLM limits applied.
  subroutine api_soil_psi(n, theta, watsat, sucsat, bsw, psi)
    integer,  intent(in)    :: n
    real(r8), intent(in)    :: theta(n), watsat(n), sucsat(n), bsw(n)
    real(r8), intent(inout) :: psi(n)
    psi = soil_psi(theta, watsat, sucsat, bsw)
  end subroutine api_soil_psi

  !> Volumetric water [m3 m-3] at n matric potentials [mm].
  subroutine api_soil_theta(n, psi, watsat, sucsat, bsw, theta)
    integer,  intent(in)    :: n
    real(r8), intent(in)    :: psi(n), watsat(n), sucsat(n), bsw(n)
    real(r8), intent(inout) :: theta(n)
    theta = soil_theta(psi, watsat, sucsat, bsw)
  end subroutine api_soil_theta

  !> Zeng-Decker equilibrium theta and psi_E [m3 m-3, mm] for one column.
  subroutine api_soil_equilibrium(nlev, zwt, zi, watsat, sucsat, bsw, vol_eq, zq, jwt)
    integer,  intent(in)    :: nlev
    real(r8), intent(in)    :: zwt                 ! [m]
    real(r8), intent(in)    :: zi(nlev + 1)        ! [m]
    real(r8), intent(in)    :: watsat(nlev), sucsat(nlev), bsw(nlev)
    real(r8), intent(inout) :: vol_eq(nlev + 1), zq(nlev + 1)
    integer,  intent(out)   :: jwt
    call SoilWaterEquilibrium(zwt, zi, watsat, sucsat, bsw, vol_eq, zq, jwt)
  end subroutine api_soil_equilibrium

  !> btran and uptake weights rootr of a transpiration qtran under rule
  !! (1 CLM4.5, 2 parallel root model with conductance krs, psi50, hr_b);
  !! psi_x is the collar potential of rule 2 (0 where not solved). See
  !! RootUptakeMod.
  subroutine api_root_uptake(ncol, nlev, rule, theta, watsat, sucsat, bsw, rootfr, smpso, smpsc, &
       qtran, krs, psi50, hr_b, btran, rootr, psi_x)
    integer,  intent(in)    :: ncol, nlev, rule
    real(r8), intent(in)    :: theta(ncol, nlev), watsat(ncol, nlev), sucsat(ncol, nlev)
    real(r8), intent(in)    :: bsw(ncol, nlev), rootfr(ncol, nlev)
    real(r8), intent(in)    :: smpso(ncol), smpsc(ncol), qtran(ncol), krs(ncol), psi50(ncol), hr_b(ncol)
    real(r8), intent(inout) :: btran(ncol), rootr(ncol, nlev), psi_x(ncol)
    real(r8) :: smp(ncol, nlev)
    smp = soil_psi(theta, watsat, sucsat, bsw)
    call RootUptake(theta, watsat, sucsat, bsw, rootfr, smpso, smpsc, btran, rootr, smp, rule, krs)
    psi_x = 0._r8
    if (rule == uptake_hydraulic) &
         call HydraulicUptakeWeights(qtran, krs, smp, psi50, hr_b, rootfr, rootr, psi_x)
  end subroutine api_root_uptake

  !> Name, units, long name, CF standard name and levels (0: per column, 1:
  !! per soil layer) of variable i of group g (ColumnVarsMod: 1 ctl_i, 2
  !! ctl_r, 3 laypar, 4 colpar, 5 forc, 6 state_lev, 7 state_col, 8 history
  !! fields, 9 patpar, 10 patlay, 11 state_pat, 12 state_grnd); n is the group's size (0 for an unknown group, then nothing else
  !! is set). Python reads the groups once, at import.
  subroutine api_var_info(g, i, n, name, units, long_name, std_name, levels, role)
    integer,  intent(in)  :: g, i
    integer,  intent(out) :: n, levels, role
    character(len=16), intent(out) :: name, units
    character(len=96), intent(out) :: long_name
    character(len=48), intent(out) :: std_name
    type(var_info) :: v
    n = group_size(g)
    name = ''; units = ''; long_name = ''; std_name = ''; levels = 0; role = 0
    if (i < 1 .or. i > n) return
    v = group_var(g, i)
    name = v%name; units = v%units; long_name = v%long_name; std_name = v%std_name
    levels = v%levels; role = v%role
  end subroutine api_var_info

  !> Advance the columns col0+1 .. col0+ncol of an ensemble of ncol_all
  !! columns over nstep steps; see ColumnDriverMod. Every array holds the
  !! whole ensemble; the block's columns are read and written in place, so
  !! parallel calls on different blocks share them without copies. The
  !! sizes of the groups must be those of ColumnVarsMod (api_var_info).
  subroutine api_column_run(ncol_all, col0, ncol, nlev, npatch, nstep, ncolf, ncolp, nstepp,   &
       nci, ncr, nlp, ncp, npp, npl, nfo, nsl, nsc, nsp, nh, ntape, nout, ctl_i, ctl_r, laypar,   &
       colpar, patpar, patlay, forc, theta_presc, state_lev, state_col, state_pat, nsg, state_grnd, &
       hsrc, hflag, tape_first, tape_n, tape_base, recend, hcnt, hacc, hout, diag, ierr, ecol,     &
       estep, errmsg)
    integer,  intent(in)    :: ncol_all, col0, ncol, nlev, npatch, nstep, ncolf, ncolp, nstepp
    integer,  intent(in)    :: nci, ncr, nlp, ncp, npp, npl, nfo, nsl, nsc, nsp, nh, ntape, nout
    integer,  intent(in)    :: ctl_i(nci)                     ! run control
    real(r8), intent(in)    :: ctl_r(ncr)                     ! run control [s, mm s-1, W m-2, K]
    real(r8), intent(in)    :: laypar(ncol_all, nlev, nlp)    ! soil layer parameters
    real(r8), intent(in)    :: colpar(ncol_all, ncp)          ! column parameters
    real(r8), intent(in)    :: patpar(ncol_all, npatch, npp)  ! patch parameters
    real(r8), intent(in)    :: patlay(ncol_all, nlev, npatch, npl)  ! patch parameters per layer
    real(r8), intent(in)    :: forc(ncolf, nfo, nstep)        ! forcing (ncolf = 1 or ncol_all)
    real(r8), intent(in)    :: theta_presc(ncolp, nlev, nstepp)  ! prescribed soil moisture [m3 m-3], NaN: free
    real(r8), intent(inout) :: state_lev(ncol_all, nlev, nsl) ! layer state
    real(r8), intent(inout) :: state_col(ncol_all, nsc)       ! column state
    real(r8), intent(inout) :: state_pat(ncol_all, npatch, nsp)  ! patch state
    integer,  intent(in)    :: nsg
    real(r8), intent(inout) :: state_grnd(ncol_all, nlev + nlevbed, nsg)  ! ground level state
    integer,  intent(in)    :: hsrc(nh), hflag(nh)            ! history slots
    integer,  intent(in)    :: tape_first(ntape), tape_n(ntape), tape_base(ntape)
    integer,  intent(in)    :: recend(ntape, nstep)           ! 1: step ends a record
    integer,  intent(in)    :: hcnt(ntape)                    ! steps already in each open record
    real(r8), intent(inout) :: hacc(ncol_all, nh)             ! history accumulators
    real(r8), intent(inout) :: hout(ncol_all, nout)           ! closed records
    real(r8), intent(inout) :: diag(ncol_all, ndiag)          ! largest balance errors [mm, W m-2]
    integer,  intent(out)   :: ierr, ecol, estep
    character(len=api_errmsg_len), intent(out) :: errmsg
    integer :: c1, c2, cnt(ntape), nslot
    real(r8), allocatable :: lay(:,:,:), cpar(:,:), frc(:,:,:), slev(:,:,:), scol(:,:), acc(:,:)
    real(r8), allocatable :: ppar(:,:,:), play(:,:,:,:), spat(:,:,:), tpre(:,:,:), sgrd(:,:,:)
    ierr = 0; ecol = 0; estep = 0; errmsg = ''
    nslot = hist_nslot(nlev, npatch)
    if (nci /= nctl_i .or. ncr /= nctl_r .or. nlp /= nlaypar .or. ncp /= ncolpar .or. &
         npp /= npatpar .or. npl /= npatlay .or. nfo /= nforc .or. nsl /= nstate_lev .or. &
         nsc /= nstate_col .or. nsp /= nstate_pat .or. nsg /= nstate_grnd) then
       ierr = 1
       errmsg = 'group sizes do not match the compiled core (ColumnVarsMod); rebuild hrclm'
       return
    end if
    if (col0 < 0 .or. ncol < 1 .or. npatch < 1 .or. col0 + ncol > ncol_all .or. (ncolf /= 1 .and. ncolf /= ncol_all)) then
       ierr = 1
       errmsg = 'columns ' // toString(col0 + 1) // ' to ' // toString(col0 + ncol) // &
            ' with ' // toString(ncolf) // ' forcing columns are not valid: the ensemble has ' // &
            toString(ncol_all) // ' columns'
       return
    end if
    if (any(hsrc < 1) .or. any(hsrc > nslot) .or. any(hflag < 1) .or. any(hflag > 4) .or.   &
         any(tape_first < 1) .or. any(tape_first + tape_n - 1 > nh) .or. any(tape_n < 0) .or. &
         any(tape_base < 0) .or. any(hcnt < 0)) then
       ierr = 1
       errmsg = 'history tapes are not valid: slots must lie in [1, ' // toString(nslot) // &
            '] and flags in [1, 4]'
       return
    end if
    if (any(tape_base + sum(recend, dim=2) * tape_n > nout)) then
       ierr = 1
       errmsg = 'history output buffer of ' // toString(nout) // ' values per column is too small'
       return
    end if
    c1 = col0 + 1
    c2 = col0 + ncol
    cnt = hcnt
    ! the block's inputs and state as contiguous heap copies (the driver's
    ! physics wants contiguous arrays); the closed records are written in place
    lay = laypar(c1:c2,:,:)
    cpar = colpar(c1:c2,:)
    ppar = patpar(c1:c2,:,:)
    play = patlay(c1:c2,:,:,:)
    spat = state_pat(c1:c2,:,:)
    slev = state_lev(c1:c2,:,:)
    sgrd = state_grnd(c1:c2,:,:)
    scol = state_col(c1:c2,:)
    acc = hacc(c1:c2,:)
    if (ncolf == 1) then
       frc = forc
    else
       frc = forc(c1:c2,:,:)
    end if
    if (ncolp == ncol_all .and. ncol_all > 1) then
       tpre = theta_presc(c1:c2,:,:)
    else
       tpre = theta_presc
    end if
    call ColumnDriverRun(ctl_i, ctl_r, lay, cpar, ppar, play, frc, tpre, slev, scol, spat, sgrd, hsrc, hflag, &
         tape_first, tape_n, tape_base, recend, cnt, acc, hout(c1:c2,:), diag(c1:c2,:), ierr, ecol, &
         estep, errmsg)
    if (ierr == 0) then
       state_lev(c1:c2,:,:) = slev
       state_col(c1:c2,:) = scol
       state_pat(c1:c2,:,:) = spat
       state_grnd(c1:c2,:,:) = sgrd
       hacc(c1:c2,:) = acc
    end if
  end subroutine api_column_run

  !================================================================  ! Surface physics: QSatMod, FrictionVelocityMod, SoilTemperatureMod.
  ! (use statements are local so that this block stays self-contained)

  !> Saturation vapour pressure / humidity and their T-derivatives for n values.
  subroutine api_qsat(n, t, p, es, esdt, qs, qsdt)
    use QSatMod, only: QSat
    integer,  intent(in)    :: n
    real(r8), intent(in)    :: t(n)      ! [K]
    real(r8), intent(in)    :: p(n)      ! [Pa]
    real(r8), intent(inout) :: es(n)     ! [Pa], overwritten
    real(r8), intent(inout) :: esdt(n)   ! [Pa K-1], overwritten
    real(r8), intent(inout) :: qs(n)     ! [kg kg-1], overwritten
    real(r8), intent(inout) :: qsdt(n)   ! [kg kg-1 K-1], overwritten
    call QSat(t, p, es, esdt, qs, qsdt)
  end subroutine api_qsat

  !> u*, temp1, temp2, ram1 and fm of n patches at given L; see FrictionVelocityMod.
  subroutine api_friction_velocity(n, displa, z0m, z0h, z0q, obu, ur, um, forc_hgt_u, forc_hgt_t, &
       forc_hgt_q, ustar, temp1, temp2, ram1, fm, ierr, errmsg)
    use FrictionVelocityMod, only: FrictionVelocity
    integer,  intent(in)    :: n
    real(r8), intent(in)    :: displa(n), z0m(n), z0h(n), z0q(n)       ! [m]
    real(r8), intent(in)    :: obu(n)                                   ! [m]
    real(r8), intent(in)    :: ur(n), um(n)                             ! [m s-1]
    real(r8), intent(in)    :: forc_hgt_u(n), forc_hgt_t(n), forc_hgt_q(n)   ! [m]
    real(r8), intent(inout) :: ustar(n)                                 ! [m s-1], overwritten
    real(r8), intent(inout) :: temp1(n), temp2(n)                       ! [-], overwritten
    real(r8), intent(inout) :: ram1(n)                                  ! [s m-1], overwritten
    real(r8), intent(inout) :: fm(n)                                    ! [-], overwritten
    integer,  intent(out)   :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call FrictionVelocity(displa, z0m, z0h, z0q, obu, ur, um, forc_hgt_u, forc_hgt_t, forc_hgt_q, &
         ustar, temp1, temp2, ram1, fm, ierr, errmsg)
  end subroutine api_friction_velocity

  !> First-guess V_a and L of n patches from the bulk Richardson number.
  subroutine api_monin_obuk_ini(n, ur, thv, dthv, zldis, z0m, um, obu)
    use FrictionVelocityMod, only: MoninObukIni
    integer,  intent(in)    :: n
    real(r8), intent(in)    :: ur(n)       ! [m s-1]
    real(r8), intent(in)    :: thv(n)      ! [K]
    real(r8), intent(in)    :: dthv(n)     ! [K]
    real(r8), intent(in)    :: zldis(n)    ! [m]
    real(r8), intent(in)    :: z0m(n)      ! [m]
    real(r8), intent(inout) :: um(n)       ! [m s-1], overwritten
    real(r8), intent(inout) :: obu(n)      ! [m], overwritten
    call MoninObukIni(ur, thv, dthv, zldis, z0m, um, obu)
  end subroutine api_monin_obuk_ini

  !> CLM's per-iteration update of V_a and L of n patches.
  subroutine api_monin_obuk_update(n, ur, thv, thvstar, ustar, zldis, um, obu)
    use FrictionVelocityMod, only: MoninObukUpdate
    integer,  intent(in)    :: n
    real(r8), intent(in)    :: ur(n)       ! [m s-1]
    real(r8), intent(in)    :: thv(n)      ! [K]
    real(r8), intent(in)    :: thvstar(n)  ! [K]
    real(r8), intent(in)    :: ustar(n)    ! [m s-1]
    real(r8), intent(in)    :: zldis(n)    ! [m]
    real(r8), intent(inout) :: um(n)       ! [m s-1], overwritten
    real(r8), intent(inout) :: obu(n)      ! [m], overwritten
    call MoninObukUpdate(ur, thv, thvstar, ustar, zldis, um, obu)
  end subroutine api_monin_obuk_update

  !> Ground levels: nlev soil layers + 5 CLM4.5 bedrock layers [m].
  subroutine api_ground_grid(nlev, z_h, zi_h, z, dz, zi)
    use SoilTemperatureMod, only: GroundGrid
    integer,  intent(in)    :: nlev
    real(r8), intent(in)    :: z_h(nlev)         ! [m]
    real(r8), intent(in)    :: zi_h(nlev + 1)    ! [m]
    real(r8), intent(inout) :: z(nlev + 5)       ! [m], overwritten
    real(r8), intent(inout) :: dz(nlev + 5)      ! [m], overwritten
    real(r8), intent(inout) :: zi(nlev + 6)      ! [m], overwritten
    call GroundGrid(z_h, zi_h, z, dz, zi)
  end subroutine api_ground_grid

  !> CLM4.5 soil thermal parameters per layer; see SoilTemperatureMod.
  subroutine api_soil_thermal_params(ncol, nlev, sand, clay, om_frac, watsat, tkmg, tksatu, tkdry, &
       csol, ierr, errmsg)
    use SoilTemperatureMod, only: SoilThermalParams
    integer,  intent(in)    :: ncol, nlev
    real(r8), intent(in)    :: sand(ncol, nlev), clay(ncol, nlev)     ! [%]
    real(r8), intent(in)    :: om_frac(ncol, nlev)                    ! [-]
    real(r8), intent(in)    :: watsat(ncol, nlev)                     ! [m3 m-3]
    real(r8), intent(inout) :: tkmg(ncol, nlev), tksatu(ncol, nlev), tkdry(ncol, nlev)  ! [W m-1 K-1]
    real(r8), intent(inout) :: csol(ncol, nlev)                       ! [J m-3 K-1]
    integer,  intent(out)   :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call SoilThermalParams(sand, clay, om_frac, watsat, tkmg, tksatu, tkdry, csol, ierr, errmsg)
  end subroutine api_soil_thermal_params

  !> Node and interface conductivities and heat capacities of nlevgrnd levels.
  subroutine api_soil_therm_prop(ncol, nlev, nlevgrnd, z, dz, zi, watsat, tkmg, tkdry, csol, &
       t_soisno, h2osoi_liq, h2osoi_ice, thk, tk, cv, ierr, errmsg)
    use SoilTemperatureMod, only: SoilThermProp
    integer,  intent(in)    :: ncol, nlev, nlevgrnd
    real(r8), intent(in)    :: z(ncol, nlevgrnd), dz(ncol, nlevgrnd)  ! [m]
    real(r8), intent(in)    :: zi(ncol, nlevgrnd + 1)                 ! [m]
    real(r8), intent(in)    :: watsat(ncol, nlev)                     ! [m3 m-3]
    real(r8), intent(in)    :: tkmg(ncol, nlev), tkdry(ncol, nlev)    ! [W m-1 K-1]
    real(r8), intent(in)    :: csol(ncol, nlev)                       ! [J m-3 K-1]
    real(r8), intent(in)    :: t_soisno(ncol, nlevgrnd)               ! [K]
    real(r8), intent(in)    :: h2osoi_liq(ncol, nlevgrnd), h2osoi_ice(ncol, nlevgrnd)  ! [kg m-2]
    real(r8), intent(inout) :: thk(ncol, nlevgrnd), tk(ncol, nlevgrnd)  ! [W m-1 K-1], overwritten
    real(r8), intent(inout) :: cv(ncol, nlevgrnd)                     ! [J m-2 K-1], overwritten
    integer,  intent(out)   :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call SoilThermProp(z, dz, zi, watsat, tkmg, tkdry, csol, t_soisno, h2osoi_liq, h2osoi_ice, &
         thk, tk, cv, ierr, errmsg)
  end subroutine api_soil_therm_prop

  !> One Crank-Nicolson step of soil heat diffusion; see SoilTemperatureMod.
  subroutine api_soil_temperature(ncol, nlevgrnd, dtime, capr, cnfac, z, dz, zi, tk, cv, hs, dhsdt, &
       bottom_flux, t_soisno, fact, fgr, hs_applied, ierr, errmsg)
    use SoilTemperatureMod, only: SoilTemperature
    integer,  intent(in)    :: ncol, nlevgrnd
    real(r8), intent(in)    :: dtime                                  ! [s]
    real(r8), intent(in)    :: capr, cnfac                            ! [-]
    real(r8), intent(in)    :: z(ncol, nlevgrnd), dz(ncol, nlevgrnd)  ! [m]
    real(r8), intent(in)    :: zi(ncol, nlevgrnd + 1)                 ! [m]
    real(r8), intent(in)    :: tk(ncol, nlevgrnd)                     ! [W m-1 K-1]
    real(r8), intent(in)    :: cv(ncol, nlevgrnd)                     ! [J m-2 K-1]
    real(r8), intent(in)    :: hs(ncol), dhsdt(ncol), bottom_flux(ncol)   ! [W m-2], [W m-2 K-1]
    real(r8), intent(inout) :: t_soisno(ncol, nlevgrnd)               ! [K], updated
    real(r8), intent(inout) :: fact(ncol, nlevgrnd)                   ! [m2 K J-1 s], overwritten
    real(r8), intent(inout) :: fgr(ncol, nlevgrnd)                    ! [W m-2], overwritten
    real(r8), intent(inout) :: hs_applied(ncol)                       ! [W m-2], overwritten
    integer,  intent(out)   :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call SoilTemperature(dtime, capr, cnfac, z, dz, zi, tk, cv, hs, dhsdt, bottom_flux, t_soisno, &
         fact, fgr, hs_applied, ierr, errmsg)
  end subroutine api_soil_temperature
  !---------------------------------------------------------------------------
  ! CLM4.5 leaf photosynthesis and stomatal conductance (PhotosynthesisMod).
  ! Units: see PhotosynthesisMod; n leaves, outputs overwritten.
  !---------------------------------------------------------------------------

  !> Gross photosynthesis, stomatal resistance, respiration and ci of n big leaves.
  subroutine api_photosynthesis(n, c3psn, vcmax25, mbbopt, bbbopt, btran, dayl_factor, apar, tleaf, &
       t10, tgcm, esat_tv, eair, cair, oair, rb, pbot, rs, psn, lmr, ci, ierr, errmsg)
    use PhotosynthesisMod, only: Photosynthesis
    integer,  intent(in)  :: n
    real(r8), intent(in)  :: c3psn(n)        ! [1 C3, 0 C4]
    real(r8), intent(in)  :: vcmax25(n)      ! [umol CO2 m-2 s-1]
    real(r8), intent(in)  :: mbbopt(n)       ! [-]
    real(r8), intent(in)  :: bbbopt(n)       ! [umol H2O m-2 s-1]
    real(r8), intent(in)  :: btran(n)        ! [-]
    real(r8), intent(in)  :: dayl_factor(n)  ! [-]
    real(r8), intent(in)  :: apar(n)         ! [W m-2]
    real(r8), intent(in)  :: tleaf(n)        ! [K]
    real(r8), intent(in)  :: t10(n)          ! [K]
    real(r8), intent(in)  :: tgcm(n)         ! [K]
    real(r8), intent(in)  :: esat_tv(n)      ! [Pa]
    real(r8), intent(in)  :: eair(n)         ! [Pa]
    real(r8), intent(in)  :: cair(n)         ! [Pa]
    real(r8), intent(in)  :: oair(n)         ! [Pa]
    real(r8), intent(in)  :: rb(n)           ! [s m-1]
    real(r8), intent(in)  :: pbot(n)         ! [Pa]
    real(r8), intent(inout) :: rs(n)         ! [s m-1], overwritten
    real(r8), intent(inout) :: psn(n)        ! [umol CO2 m-2 s-1], overwritten
    real(r8), intent(inout) :: lmr(n)        ! [umol CO2 m-2 s-1], overwritten
    real(r8), intent(inout) :: ci(n)         ! [Pa], overwritten
    integer,  intent(out) :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call Photosynthesis(c3psn, vcmax25, mbbopt, bbbopt, btran, dayl_factor, apar, tleaf, t10, tgcm, &
         esat_tv, eair, cair, oair, rb, pbot, rs, psn, lmr, ci, ierr, errmsg)
  end subroutine api_photosynthesis

  !> Limiting gross rates wc, wj, wp, the co-limited gross rate ag and lmr at a given ci.
  subroutine api_leaf_rates(n, c3psn, vcmax25, btran, dayl_factor, apar, tleaf, t10, oair, ci, pbot, &
       wc, wj, wp, ag, lmr, ierr, errmsg)
    use PhotosynthesisMod, only: LeafRates
    integer,  intent(in)  :: n
    real(r8), intent(in)  :: c3psn(n), vcmax25(n), btran(n), dayl_factor(n)   ! as api_photosynthesis
    real(r8), intent(in)  :: apar(n)         ! [W m-2]
    real(r8), intent(in)  :: tleaf(n)        ! [K]
    real(r8), intent(in)  :: t10(n)          ! [K]
    real(r8), intent(in)  :: oair(n)         ! [Pa]
    real(r8), intent(in)  :: ci(n)           ! [Pa]
    real(r8), intent(in)  :: pbot(n)         ! [Pa]
    real(r8), intent(inout) :: wc(n), wj(n), wp(n), ag(n), lmr(n)   ! [umol CO2 m-2 s-1], overwritten
    integer,  intent(out) :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call LeafRates(c3psn, vcmax25, btran, dayl_factor, apar, tleaf, t10, oair, ci, pbot, &
         wc, wj, wp, ag, lmr, ierr, errmsg)
  end subroutine api_leaf_rates

  !> Sun/shade multipliers of vcmax25top from the CLM4.5 leaf-N profile (kn = 0.30).
  subroutine api_canopy_nscaler(n, elai, extkb, laisun, laisha, nscaler_sun, nscaler_sha)
    use PhotosynthesisMod, only: CanopyNitrogenScaling
    integer,  intent(in)  :: n
    real(r8), intent(in)  :: elai(n)         ! [m2 m-2]
    real(r8), intent(in)  :: extkb(n)        ! [-]
    real(r8), intent(in)  :: laisun(n)       ! [m2 m-2]
    real(r8), intent(in)  :: laisha(n)       ! [m2 m-2]
    real(r8), intent(inout) :: nscaler_sun(n) ! [-], overwritten
    real(r8), intent(inout) :: nscaler_sha(n) ! [-], overwritten
    call CanopyNitrogenScaling(elai, extkb, laisun, laisha, nscaler_sun, nscaler_sha)
  end subroutine api_canopy_nscaler

  !> Canopy-top Vcmax25 from leaf N [umol CO2 m-2 s-1].
  subroutine api_vcmax25_top(n, slatop, leafcn, flnr, vcmax25_top)
    use PhotosynthesisMod, only: Vcmax25Top
    integer,  intent(in)  :: n
    real(r8), intent(in)  :: slatop(n)       ! [m2 g-1 C]
    real(r8), intent(in)  :: leafcn(n)       ! [g C g-1 N]
    real(r8), intent(in)  :: flnr(n)         ! [-]
    real(r8), intent(inout) :: vcmax25_top(n) ! [umol CO2 m-2 s-1], overwritten
    call Vcmax25Top(slatop, leafcn, flnr, vcmax25_top)
  end subroutine api_vcmax25_top

  !> CLM4.5 day-length factor of Vcmax [-].
  subroutine api_dayl_factor(n, dayl, max_dayl, factor)
    use PhotosynthesisMod, only: DaylFactor
    integer,  intent(in)  :: n
    real(r8), intent(in)  :: dayl(n)         ! [s]
    real(r8), intent(in)  :: max_dayl(n)     ! [s]
    real(r8), intent(inout) :: factor(n)     ! [-], overwritten
    factor = DaylFactor(dayl, max_dayl)
  end subroutine api_dayl_factor
  ! ---- canopy radiation (SurfaceAlbedoMod, SurfaceRadiationMod); band 1 visible, 2 near-infrared ----

  !> Offline split of total shortwave into direct / diffuse per band [W m-2].
  subroutine api_solar_split(n, swdown, coszen, forc_solad, forc_solai)
    use SurfaceAlbedoMod, only: SolarSplit
    integer,  intent(in) :: n
    real(r8), intent(in) :: swdown(n)              ! [W m-2]
    real(r8), intent(in) :: coszen(n)              ! [-]
    real(r8), intent(inout) :: forc_solad(n, 2)    ! [W m-2], overwritten
    real(r8), intent(inout) :: forc_solai(n, 2)    ! [W m-2], overwritten
    call SolarSplit(swdown, coszen, forc_solad, forc_solai)
  end subroutine api_solar_split

  !> Soil albedo from colour class and top-layer water [-].
  subroutine api_soil_albedo(n, isoicol, theta1, albgrd, albgri, ierr, errmsg)
    use SurfaceAlbedoMod, only: SoilAlbedo
    integer,  intent(in) :: n
    integer,  intent(in) :: isoicol(n)             ! [1..20]
    real(r8), intent(in) :: theta1(n)              ! [m3 m-3]
    real(r8), intent(inout) :: albgrd(n, 2)        ! [-], overwritten
    real(r8), intent(inout) :: albgri(n, 2)        ! [-], overwritten
    integer,  intent(out) :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call SoilAlbedo(isoicol, theta1, albgrd, albgri, ierr, errmsg)
  end subroutine api_soil_albedo

  !> Two-stream canopy radiation per unit incident flux [-]; extkb [-], fsun [-].
  subroutine api_two_stream(n, coszen, elai, esai, xl, rhol, rhos, taul, taus, albgrd, albgri, &
       albd, albi, fabd, fabi, ftdd, ftid, ftii, fabd_sun, fabd_sha, fabi_sun, fabi_sha,        &
       extkb, fsun, ierr, errmsg)
    use SurfaceAlbedoMod, only: TwoStream
    integer,  intent(in) :: n
    real(r8), intent(in) :: coszen(n), elai(n), esai(n), xl(n)   ! [-], [m2 m-2], [m2 m-2], [-]
    real(r8), intent(in) :: rhol(n, 2), rhos(n, 2), taul(n, 2), taus(n, 2)   ! [-]
    real(r8), intent(in) :: albgrd(n, 2), albgri(n, 2)           ! [-]
    real(r8), intent(inout) :: albd(n, 2), albi(n, 2), fabd(n, 2), fabi(n, 2)   ! [-], overwritten
    real(r8), intent(inout) :: ftdd(n, 2), ftid(n, 2), ftii(n, 2)               ! [-], overwritten
    real(r8), intent(inout) :: fabd_sun(n, 2), fabd_sha(n, 2), fabi_sun(n, 2), fabi_sha(n, 2)  ! [-]
    real(r8), intent(inout) :: extkb(n), fsun(n)                                ! [-], overwritten
    integer,  intent(out) :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call TwoStream(coszen, elai, esai, xl, rhol, rhos, taul, taus, albgrd, albgri, &
         albd, albi, fabd, fabi, ftdd, ftid, ftii, fabd_sun, fabd_sha, fabi_sun, fabi_sha, &
         extkb, fsun, ierr, errmsg)
  end subroutine api_two_stream

  !> Absorbed / reflected solar [W m-2 ground], absorbed PAR [W m-2 plant area], laisun/laisha [m2 m-2].
  subroutine api_surface_radiation(n, forc_solad, forc_solai, albd, albi, fabd, fabi, ftdd, ftid, &
       ftii, fabd_sun, fabd_sha, fabi_sun, fabi_sha, albgrd, albgri, elai, esai, fsun,           &
       sabv, sabg, fsa, fsr, parsun, parsha, laisun, laisha)
    use SurfaceRadiationMod, only: SurfaceRadiation
    integer,  intent(in) :: n
    real(r8), intent(in) :: forc_solad(n, 2), forc_solai(n, 2)   ! [W m-2]
    real(r8), intent(in) :: albd(n, 2), albi(n, 2), fabd(n, 2), fabi(n, 2)   ! [-]
    real(r8), intent(in) :: ftdd(n, 2), ftid(n, 2), ftii(n, 2)               ! [-]
    real(r8), intent(in) :: fabd_sun(n, 2), fabd_sha(n, 2), fabi_sun(n, 2), fabi_sha(n, 2)  ! [-]
    real(r8), intent(in) :: albgrd(n, 2), albgri(n, 2)           ! [-]
    real(r8), intent(in) :: elai(n), esai(n), fsun(n)            ! [m2 m-2], [m2 m-2], [-]
    real(r8), intent(inout) :: sabv(n), sabg(n), fsa(n), fsr(n)  ! [W m-2], overwritten
    real(r8), intent(inout) :: parsun(n), parsha(n)              ! [W m-2], overwritten
    real(r8), intent(inout) :: laisun(n), laisha(n)              ! [m2 m-2], overwritten
    call SurfaceRadiation(forc_solad, forc_solai, albd, albi, fabd, fabi, ftdd, ftid, ftii, &
         fabd_sun, fabd_sha, fabi_sun, fabi_sha, albgrd, albgri, elai, esai, fsun,         &
         sabv, sabg, fsa, fsr, parsun, parsha, laisun, laisha)
  end subroutine api_surface_radiation

  !---------------------------------------------------------------------------
  ! Carbon: vertically resolved decomposition (SoilDecompositionMod) and
  ! autotrophic respiration (AutotrophicRespirationMod). Pools: 1 metabolic,
  ! 2 cellulose, 3 lignin litter, 4 CWD, 5-7 SOM1-3. Outputs overwritten.
  !---------------------------------------------------------------------------

  !> Constants: tau(7) [yr]; consts = nf [-], Q10 [-], psi_min [MPa], z_tau [m],
  !! D_bioturbation [m2 s-1], MPa per mm, MR base [gC gN-1 s-1], grperc [-].
  subroutine api_decomp_constants(tau, consts)
    use SoilDecompositionMod, only: decomp_tau, q10_normalization, decomp_q10, minpsi_hr, &
                                    decomp_depth_efolding, som_diffus, mm_to_mpa
    use AutotrophicRespirationMod, only: mr_base, grperc
    real(r8), intent(inout) :: tau(7)        ! [yr], overwritten
    real(r8), intent(inout) :: consts(8)     ! see above, overwritten
    tau = decomp_tau
    consts = [q10_normalization(), decomp_q10, minpsi_hr, decomp_depth_efolding, som_diffus, &
              mm_to_mpa, mr_base, grperc]
  end subroutine api_decomp_constants

  !> Respired and path fractions of the 10 cascade transitions for n sand contents.
  !> Shares of new growth to leaf, fine root, stem, coarse root; see PlantCarbonMod.
  subroutine api_allocation_fractions(n, froot_leaf, stem_leaf, croot_stem, annsum_npp, frac)
    use PlantCarbonMod, only: AllocationFractions
    integer,  intent(in)    :: n
    real(r8), intent(in)    :: froot_leaf(n), stem_leaf(n), croot_stem(n)   ! [-]
    real(r8), intent(in)    :: annsum_npp(n)       ! [gC m-2 yr-1]
    real(r8), intent(inout) :: frac(n, 4)          ! [-], overwritten
    integer :: i
    real(r8) :: f(4)
    do i = 1, n
       call AllocationFractions(froot_leaf(i), stem_leaf(i), croot_stem(i), annsum_npp(i), f)
       frac(i,:) = f
    end do
  end subroutine api_allocation_fractions

  subroutine api_decomp_cascade(n, sand, rf, pathfrac)
    use SoilDecompositionMod, only: DecompCascade
    integer,  intent(in)    :: n
    real(r8), intent(in)    :: sand(n)            ! [%]
    real(r8), intent(inout) :: rf(n, 10)          ! [-], overwritten
    real(r8), intent(inout) :: pathfrac(n, 10)    ! [-], overwritten
    integer :: i
    real(r8) :: a(10), b(10)
    do i = 1, n
       call DecompCascade(sand(i), a, b)
       rf(i,:) = a
       pathfrac(i,:) = b
    end do
  end subroutine api_decomp_cascade

  !> Decomposition rate constants [s-1] and the T, W and depth scalars [-].
  subroutine api_decomp_rates(ncol, nlev, t_soisno, smp, sucsat, zsoi, o_scalar, decomp_k, &
       t_scalar, w_scalar, depth_scalar, ierr, errmsg)
    use SoilDecompositionMod, only: DecompRateConstants
    integer,  intent(in)  :: ncol, nlev
    real(r8), intent(in)  :: t_soisno(ncol, nlev)      ! [K]
    real(r8), intent(in)  :: smp(ncol, nlev)           ! [mm]
    real(r8), intent(in)  :: sucsat(ncol, nlev)        ! [mm]
    real(r8), intent(in)  :: zsoi(ncol, nlev)          ! [m]
    real(r8), intent(in)  :: o_scalar(ncol, nlev)      ! [-]
    real(r8), intent(inout) :: decomp_k(ncol, nlev, 7) ! [s-1], overwritten
    real(r8), intent(inout) :: t_scalar(ncol, nlev), w_scalar(ncol, nlev), depth_scalar(ncol, nlev)  ! [-]
    integer,  intent(out) :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call DecompRateConstants(t_soisno, smp, sucsat, zsoi, o_scalar, decomp_k, t_scalar, w_scalar, &
         depth_scalar, ierr, errmsg)
  end subroutine api_decomp_rates

  !> Litter and CWD inputs per layer and pool [gC m-3 s-1] from patch litterfall [gC m-2 s-1].
  subroutine api_litter_input(ncol, npatch, nlev, zsoi, dz, rootfr, wtcol, leaf_litc, froot_litc, &
       cwd_ag, cwd_bg, lf_frac, fr_frac, input_vr, ierr, errmsg)
    use SoilDecompositionMod, only: LitterInputProfile
    integer,  intent(in)  :: ncol, npatch, nlev
    real(r8), intent(in)  :: zsoi(ncol, nlev), dz(ncol, nlev)        ! [m]
    real(r8), intent(in)  :: rootfr(ncol, npatch, nlev)              ! [-]
    real(r8), intent(in)  :: wtcol(ncol, npatch)                     ! [-]
    real(r8), intent(in)  :: leaf_litc(ncol, npatch), froot_litc(ncol, npatch)   ! [gC m-2 s-1]
    real(r8), intent(in)  :: cwd_ag(ncol, npatch), cwd_bg(ncol, npatch)         ! [gC m-2 s-1]
    real(r8), intent(in)  :: lf_frac(ncol, npatch, 3), fr_frac(ncol, npatch, 3) ! [-]
    real(r8), intent(inout) :: input_vr(ncol, nlev, 7)               ! [gC m-3 s-1], overwritten
    integer,  intent(out) :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call LitterInputProfile(zsoi, dz, rootfr, wtcol, leaf_litc, froot_litc, cwd_ag, cwd_bg, &
         lf_frac, fr_frac, input_vr, ierr, errmsg)
  end subroutine api_litter_input

  !> One carbon step of decomposition and vertical mixing; pools [gC m-3] updated.
  subroutine api_soil_decomposition(ncol, nlev, dtime, zsoi, dz, sand, decomp_k, input_vr, diffus, &
       cpools, hr_vr, hr, trans_vr, ierr, errmsg)
    use SoilDecompositionMod, only: SoilDecomposition
    integer,  intent(in)  :: ncol, nlev
    real(r8), intent(in)  :: dtime                          ! [s]
    real(r8), intent(in)  :: zsoi(ncol, nlev), dz(ncol, nlev)   ! [m]
    real(r8), intent(in)  :: sand(ncol, nlev)               ! [%]
    real(r8), intent(in)  :: decomp_k(ncol, nlev, 7)        ! [s-1]
    real(r8), intent(in)  :: input_vr(ncol, nlev, 7)        ! [gC m-3 s-1]
    real(r8), intent(in)  :: diffus(ncol)                   ! [m2 s-1]
    real(r8), intent(inout) :: cpools(ncol, nlev, 7)        ! [gC m-3], updated
    real(r8), intent(inout) :: hr_vr(ncol, nlev)            ! [gC m-3 s-1], overwritten
    real(r8), intent(inout) :: hr(ncol)                     ! [gC m-2 s-1], overwritten
    real(r8), intent(inout) :: trans_vr(ncol, nlev)         ! [gC m-3 s-1], overwritten
    integer,  intent(out) :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call SoilDecomposition(dtime, zsoi, dz, sand, decomp_k, input_vr, diffus, cpools, hr_vr, hr, &
         trans_vr, ierr, errmsg)
  end subroutine api_soil_decomposition

  !> Steady-state pools [gC m-3] by a direct dense solve; relres = backward error [-].
  subroutine api_decomp_steady_state(ncol, nlev, zsoi, dz, sand, decomp_k, input_vr, diffus, &
       cpools, relres, ierr, errmsg)
    use SoilDecompositionMod, only: DecompSteadyState
    integer,  intent(in)  :: ncol, nlev
    real(r8), intent(in)  :: zsoi(ncol, nlev), dz(ncol, nlev)   ! [m]
    real(r8), intent(in)  :: sand(ncol, nlev)               ! [%]
    real(r8), intent(in)  :: decomp_k(ncol, nlev, 7)        ! [s-1]
    real(r8), intent(in)  :: input_vr(ncol, nlev, 7)        ! [gC m-3 s-1]
    real(r8), intent(in)  :: diffus(ncol)                   ! [m2 s-1]
    real(r8), intent(inout) :: cpools(ncol, nlev, 7)        ! [gC m-3], overwritten
    real(r8), intent(inout) :: relres(ncol)                 ! [-], overwritten
    integer,  intent(out) :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call DecompSteadyState(zsoi, dz, sand, decomp_k, input_vr, diffus, cpools, relres, ierr, errmsg)
  end subroutine api_decomp_steady_state

  !> Tissue C and N of the respiring pools from LAI and biomass; see AutotrophicRespirationMod.
  subroutine api_tissue_nitrogen(ncol, npatch, tlai, slatop, dsladlai, leafcn, frootc, frootcn, &
       livestemc, livecrootc, livewdcn, woody, leafc, leafn, frootn, livestemn, livecrootn, ierr, errmsg)
    use AutotrophicRespirationMod, only: TissueNitrogen
    integer,  intent(in)  :: ncol, npatch
    real(r8), intent(in)  :: tlai(ncol, npatch)                          ! [m2 m-2]
    real(r8), intent(in)  :: slatop(ncol, npatch), dsladlai(ncol, npatch)   ! [m2 gC-1]
    real(r8), intent(in)  :: leafcn(ncol, npatch), frootcn(ncol, npatch), livewdcn(ncol, npatch)  ! [gC gN-1]
    real(r8), intent(in)  :: frootc(ncol, npatch), livestemc(ncol, npatch), livecrootc(ncol, npatch)  ! [gC m-2]
    real(r8), intent(in)  :: woody(ncol, npatch)                         ! [1/0]
    real(r8), intent(inout) :: leafc(ncol, npatch)                       ! [gC m-2], overwritten
    real(r8), intent(inout) :: leafn(ncol, npatch), frootn(ncol, npatch) ! [gN m-2], overwritten
    real(r8), intent(inout) :: livestemn(ncol, npatch), livecrootn(ncol, npatch)   ! [gN m-2], overwritten
    integer,  intent(out) :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call TissueNitrogen(tlai, slatop, dsladlai, leafcn, frootc, frootcn, livestemc, livecrootc, &
         livewdcn, woody, leafc, leafn, frootn, livestemn, livecrootn, ierr, errmsg)
  end subroutine api_tissue_nitrogen

  !> Maintenance, growth and total autotrophic respiration [gC m-2 s-1] of the patches.
  subroutine api_autotrophic_respiration(ncol, npatch, nlev, leafn, frootn, livestemn, livecrootn, &
       t_leaf, t_wood, t_soisno, rootfr, q10, leaf_mr_opt, lmr_canopy, cgrowth, leaf_mr, froot_mr, &
       livestem_mr, livecroot_mr, froot_mr_lay, mr, gr, ar, ierr, errmsg)
    use AutotrophicRespirationMod, only: MaintenanceRespiration, GrowthRespiration
    integer,  intent(in)  :: ncol, npatch, nlev
    real(r8), intent(in)  :: leafn(ncol, npatch), frootn(ncol, npatch)          ! [gN m-2]
    real(r8), intent(in)  :: livestemn(ncol, npatch), livecrootn(ncol, npatch)  ! [gN m-2]
    real(r8), intent(in)  :: t_leaf(ncol, npatch), t_wood(ncol, npatch)         ! [K]
    real(r8), intent(in)  :: t_soisno(ncol, nlev)                               ! [K]
    real(r8), intent(in)  :: rootfr(ncol, npatch, nlev)                         ! [-]
    real(r8), intent(in)  :: q10                                                ! [-]
    integer,  intent(in)  :: leaf_mr_opt                                        ! [0/1]
    real(r8), intent(in)  :: lmr_canopy(ncol, npatch)                           ! [umol CO2 m-2 s-1]
    real(r8), intent(in)  :: cgrowth(ncol, npatch)                              ! [gC m-2 s-1]
    real(r8), intent(inout) :: leaf_mr(ncol, npatch), froot_mr(ncol, npatch)    ! [gC m-2 s-1], overwritten
    real(r8), intent(inout) :: livestem_mr(ncol, npatch), livecroot_mr(ncol, npatch)   ! [gC m-2 s-1]
    real(r8), intent(inout) :: froot_mr_lay(ncol, npatch, nlev)                 ! [gC m-2 s-1], overwritten
    real(r8), intent(inout) :: mr(ncol, npatch), gr(ncol, npatch), ar(ncol, npatch)   ! [gC m-2 s-1]
    integer,  intent(out) :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call MaintenanceRespiration(leafn, frootn, livestemn, livecrootn, t_leaf, t_wood, t_soisno, rootfr, &
         q10, leaf_mr_opt, lmr_canopy, leaf_mr, froot_mr, livestem_mr, livecroot_mr, froot_mr_lay, mr, &
         ierr, errmsg)
    if (ierr /= 0) return
    call GrowthRespiration(cgrowth, gr, ierr, errmsg)
    if (ierr /= 0) return
    ar = mr + gr
  end subroutine api_autotrophic_respiration
  !=======================================================================
  ! The root scale (issue 18): radial single-root model; see RhizosphereMod,
  ! RhizoWaterMod, RhizoSoluteMod, CationExchangeMod.
  !=======================================================================

  !> Gaines-Thomas equivalent fractions [-] in equilibrium with a solution.
  subroutine api_gaines_thomas_fractions(ncat, conc, z, kex, frac, ierr, errmsg)
    use CationExchangeMod, only: GainesThomasFractions
    integer,  intent(in)    :: ncat
    real(r8), intent(in)    :: conc(ncat), z(ncat), kex(ncat)   ! [mol m-3], [-], [-]
    real(r8), intent(inout) :: frac(ncat)                       ! [-], overwritten
    integer,  intent(out)   :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call GainesThomasFractions(conc, z, kex, frac, ierr, errmsg)
  end subroutine api_gaines_thomas_fractions

  !> Partition of cation totals [mol m-3 soil] between solution and exchanger.
  subroutine api_gaines_thomas_equilibrium(ncat, total, theta, cecv, z, kex, conc, frac, ierr, errmsg)
    use CationExchangeMod, only: GainesThomasEquilibrium
    integer,  intent(in)    :: ncat
    real(r8), intent(in)    :: total(ncat)          ! [mol m-3]
    real(r8), intent(in)    :: theta, cecv          ! [m3 m-3], [molc m-3]
    real(r8), intent(in)    :: z(ncat), kex(ncat)   ! [-]
    real(r8), intent(inout) :: conc(ncat), frac(ncat)   ! [mol m-3], [-], overwritten
    integer,  intent(out)   :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    call GainesThomasEquilibrium(total, theta, cecv, z, kex, conc, frac, ierr, errmsg)
  end subroutine api_gaines_thomas_equilibrium

  !> Run the single-root model with every option (soil hydraulics, root
  !! boundary, efflux composition); see RhizosphereRun.
  subroutine api_rhizosphere_run(nr, nstep, nspec, ncat, a, rout, hyd_model, watsat, sucsat, bsw, &
       hksat, theta_r, vg_alpha, vg_n, psi_root_min, outer_bc, psi_outer, theta_init, dtime, root_bc,   &
       q_root, kroot, psi_xylem, solutes, c_init, c_outer, c_efflux, cec, bulk_density, kex, d0, disp,  &
       imax, km, exud_c, rnode, rface, theta, psi, conc, frac, q_act, psi_surf, uptake, release, wbal,  &
       sbal, nsub, ierr, errmsg)
    use RhizosphereMod, only: RhizosphereRun
    integer,  intent(in)    :: nr, nstep, nspec, ncat   ! nspec = 8, ncat = 4
    real(r8), intent(in)    :: a, rout                  ! root and outer radius [m]
    integer,  intent(in)    :: hyd_model                ! 0 Clapp-Hornberger, 1 van Genuchten
    real(r8), intent(in)    :: watsat, sucsat, bsw, hksat   ! [m3 m-3], [mm], [-], [mm s-1]
    real(r8), intent(in)    :: theta_r, vg_alpha, vg_n  ! [m3 m-3], [m-1], [-]
    real(r8), intent(in)    :: psi_root_min             ! [mm]
    integer,  intent(in)    :: outer_bc                 ! 0 no flux, 1 bulk soil at rout
    real(r8), intent(in)    :: psi_outer                ! [mm]
    real(r8), intent(in)    :: theta_init(nr)           ! [m3 m-3]
    real(r8), intent(in)    :: dtime                    ! [s]
    integer,  intent(in)    :: root_bc                  ! 0 given flux, 1 xylem potential
    real(r8), intent(in)    :: q_root(nstep)            ! [m2 s-1], + uptake
    real(r8), intent(in)    :: kroot                    ! [m2 s-1 per m of head]
    real(r8), intent(in)    :: psi_xylem(nstep)         ! [mm]
    integer,  intent(in)    :: solutes                  ! 0/1
    real(r8), intent(in)    :: c_init(nr, nspec)        ! [mol m-3]
    real(r8), intent(in)    :: c_outer(nspec), c_efflux(nspec)   ! [mol m-3]
    real(r8), intent(in)    :: cec                      ! [molc kg-1]
    real(r8), intent(in)    :: bulk_density             ! [kg m-3]
    real(r8), intent(in)    :: kex(ncat)                ! [-]
    real(r8), intent(in)    :: d0, disp                 ! [m2 s-1], [m]
    real(r8), intent(in)    :: imax(nspec), km(nspec)   ! [mol m-2 s-1], [mol m-3]
    real(r8), intent(in)    :: exud_c                   ! [mol m-1 s-1]
    real(r8), intent(inout) :: rnode(nr), rface(nr + 1) ! [m], overwritten
    real(r8), intent(inout) :: theta(nr, nstep), psi(nr, nstep)     ! [m3 m-3], [mm]
    real(r8), intent(inout) :: conc(nr, nspec, nstep)   ! [mol m-3]
    real(r8), intent(inout) :: frac(nr, ncat, nstep)    ! [-]
    real(r8), intent(inout) :: q_act(nstep), psi_surf(nstep)   ! [m2 s-1], [mm]
    real(r8), intent(inout) :: uptake(nspec, nstep), release(nspec, nstep)   ! [mol m-1 s-1]
    real(r8), intent(inout) :: wbal(nstep)              ! [m2]
    real(r8), intent(inout) :: sbal(nspec, nstep)       ! [mol m-1]
    real(r8), intent(inout) :: nsub(nstep)              ! sub-steps used [-]
    integer,  intent(out)   :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    integer :: isub(nstep)
    isub = 0
    call RhizosphereRun(a, rout, hyd_model, watsat, sucsat, bsw, hksat, theta_r, vg_alpha, vg_n, &
         psi_root_min, outer_bc, psi_outer, theta_init, dtime, root_bc, q_root, kroot, psi_xylem,     &
         solutes, c_init, c_outer, c_efflux, cec, bulk_density, kex, d0, disp, imax, km, exud_c,      &
         rnode, rface, theta, psi, conc, frac, q_act, psi_surf, uptake, release, wbal, sbal, isub,    &
         ierr, errmsg)
    nsub = real(isub, r8)
  end subroutine api_rhizosphere_run

  !> Root-scale soil hydraulics at given water contents: matric potential
  !! [mm], matric flux potential Phi [m2 s-1] and dPhi/dtheta; and theta
  !! [m3 m-3] and Phi at given potentials [mm]. See RhizoWaterMod.
  subroutine api_rhizo_soil(n, hyd_model, watsat, sucsat, bsw, hksat, theta_r, vg_alpha, vg_n, &
       theta, psi_in, psi, phi, dphi, theta_of_psi, phi_of_psi, ierr, errmsg)
    use RhizoWaterMod, only: rhizo_soil_type, RhizoSoilInit, rhizo_psi, rhizo_mfp, rhizo_dmfp, &
         rhizo_theta, rhizo_mfp_psi
    integer,  intent(in)    :: n, hyd_model
    real(r8), intent(in)    :: watsat, sucsat, bsw, hksat, theta_r, vg_alpha, vg_n
    real(r8), intent(in)    :: theta(n), psi_in(n)      ! [m3 m-3], [mm]
    real(r8), intent(inout) :: psi(n), phi(n), dphi(n), theta_of_psi(n), phi_of_psi(n)
    integer,  intent(out)   :: ierr
    character(len=api_errmsg_len), intent(out) :: errmsg
    type(rhizo_soil_type) :: soil
    call RhizoSoilInit(hyd_model, watsat, sucsat, bsw, hksat, theta_r, vg_alpha, vg_n, soil, ierr, errmsg)
    if (ierr /= 0) return
    psi = rhizo_psi(soil, theta)
    phi = rhizo_mfp(soil, theta)
    dphi = rhizo_dmfp(soil, theta)
    theta_of_psi = rhizo_theta(soil, psi_in)
    phi_of_psi = rhizo_mfp_psi(soil, psi_in)
  end subroutine api_rhizo_soil

end module hrclm_api
