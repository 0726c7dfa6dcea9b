!> The named groups that cross the seam between the column driver
!! (ColumnDriverMod) and its caller, and the one table of their variables.
!!
!! CTSM passes soilstate, waterstate, canopystate, atm2lnd, ... objects; hrclm
!! passes one array per group, its last dimension indexed by the named
!! constants below, so that the caller fills and reads every variable by name:
!!
!!   ctl_i(nctl_i), ctl_r(nctl_r)        run control (mode, options, dtime)
!!   laypar(ncol, nlev, nlaypar)          soil layer parameters (soilstate)
!!   colpar(ncol, ncolpar)                column parameters
!!   patpar(ncol, npatch, npatpar)        patch (PFT) parameters: cover weight,
!!                                        vegetation and HR (pftcon)
!!   patlay(ncol, nlev, npatch, npatlay)  patch parameters per layer (roots)
!!   forc(ncolf, nforc, nstep)            forcing (atm2lnd, phenology, or the
!!                                        prescribed surface fluxes)
!!   state_lev(ncol, nlev, nstate_lev)    prognostic state per layer
!!   state_col(ncol, nstate_col)          prognostic state per column
!!   state_pat(ncol, npatch, nstate_pat)  prognostic state per patch
!!   state_grnd(ncol, nlevgrnd, nstate_grnd) prognostic state per ground level
!!                                        (nlevgrnd = nlev + nlevbed)
!!   history fields (nhist)               what a step can write to history tapes
!!
!! A column holds npatch patches (CLM's subgrid structure: PFTs sharing the
!! soil column, each with its cover weight); column fluxes are the
!! cover-weighted sums of the patch fluxes.
!!
!! Each group also has a table of var_info (name, units, long name, ...) that
!! Python reads through hrclm_api (api_var_info): the names, units and order
!! are defined here and nowhere else. To add a variable: append it to the
!! group's index list and table here, then use it where the physics needs it
!! (docs/developing.md).
module ColumnVarsMod

  implicit none
  private

  !> One variable of a group.
  type, public :: var_info
     character(len=16) :: name       = ''   !< short name (CLM history name for outputs)
     character(len=16) :: units      = ''   !< units ('1' when dimensionless)
     character(len=96) :: long_name  = ''   !< description
     character(len=48) :: std_name   = ''   !< CF standard name (forcing), else empty
     integer           :: levels     = 0    !< 0: one value per column; 1: one per soil layer;
                                            !< 2: one per patch; 3: one per ground level
                                            !< (soil layers and bedrock, nlev + nlevbed)
     integer           :: role       = 0    !< forcing: 1 atmosphere (readers), 2 phenology
                                            !< (site), 3 prescribed surface fluxes
  end type var_info

  ! ---------------------------------------------------------------------
  ! Run control
  integer, parameter, public :: mode_canopy = 1       !< surface mode: canopy, snow, interception
  integer, parameter, public :: mode_prescribed = 2   !< surface mode: surface fluxes given

  integer, parameter, public :: canopy_clm45 = 1     !< canopy: CLM4.5 biogeophysics
  integer, parameter, public :: canopy_pm = 2        !< canopy: Penman-Monteith / Jarvis (PenmanMonteithMod)

  integer, parameter, public :: ic_mode = 1, ic_lower_bc = 2, ic_use_hr = 3, ic_rx_rule = 4, &
       ic_thick_rule = 5, ic_top_layer = 6, ic_night_rule = 7, ic_canopy = 8, ic_carbon = 9, &
       ic_uptake = 10
  integer, parameter, public :: nctl_i = 10
  type(var_info), parameter, public :: ctl_i_info(nctl_i) = [ &
       var_info('mode', '1', 'surface mode: 1 canopy, 2 prescribed surface fluxes'), &
       var_info('lower_bc', '1', 'lower boundary: 1 aquifer, 2 free drainage, 3 water table, 4 no flow'), &
       var_info('use_hr', '1', '1: hydraulic redistribution on'), &
       var_info('rx_rule', '1', 'HR root fraction rule (HydraulicRedistributionMod)'), &
       var_info('thick_rule', '1', 'HR layer thickness rule (HydraulicRedistributionMod)'), &
       var_info('top_layer', '1', '1: soil layer 1 takes part in HR'), &
       var_info('night_rule', '1', 'HR switch rule (HydraulicRedistributionMod)'), &
       var_info('canopy', '1', 'canopy scheme: 1 CLM4.5 biogeophysics, 2 Penman-Monteith/Jarvis'), &
       var_info('use_carbon', '1', '1: carbon fluxes and soil carbon (CLM4.5 canopy only)'), &
       var_info('uptake', '1', 'root uptake rule: 1 CLM4.5, 2 parallel root model (RootUptakeMod)')]

  integer, parameter, public :: rc_dtime = 1, rc_qvegt_max = 2, rc_sabv_max = 3, rc_tair_min = 4, &
       rc_q10_mr = 5
  integer, parameter, public :: nctl_r = 5
  type(var_info), parameter, public :: ctl_r_info(nctl_r) = [ &
       var_info('dtime', 's', 'time step'), &
       var_info('hr_qvegt_max', 'mm s-1', 'transpiration below which HR runs'), &
       var_info('hr_sabv_max', 'W m-2', 'shortwave absorbed by vegetation below which HR runs'), &
       var_info('hr_tair_min', 'K', 'no HR below this air temperature'), &
       var_info('q10_mr', '1', 'Q10 of maintenance respiration')]

  ! ---------------------------------------------------------------------
  ! Soil layer parameters laypar(ncol, nlev, :)
  integer, parameter, public :: lp_zsoi = 1, lp_dzsoi = 2, lp_zisoi = 3, lp_watsat = 4, &
       lp_sucsat = 5, lp_bsw = 6, lp_hksat = 7, lp_watfc = 8, lp_csol = 9, lp_tkmg = 10, lp_tkdry = 11, &
       lp_sand = 12
  integer, parameter, public :: nlaypar = 12
  type(var_info), parameter, public :: laypar_info(nlaypar) = [ &
       var_info('zsoi', 'm', 'node depth', levels=1), &
       var_info('dzsoi', 'm', 'layer thickness', levels=1), &
       var_info('zisoi', 'm', 'depth of the layer bottom interface', levels=1), &
       var_info('watsat', 'm3 m-3', 'porosity', levels=1), &
       var_info('sucsat', 'mm', 'saturated matric potential (magnitude)', levels=1), &
       var_info('bsw', '1', 'Clapp-Hornberger b', levels=1), &
       var_info('hksat', 'mm s-1', 'saturated hydraulic conductivity', levels=1), &
       var_info('watfc', 'm3 m-3', 'water content at field capacity', levels=1), &
       var_info('csol', 'J m-3 K-1', 'heat capacity of the soil solids', levels=1), &
       var_info('tkmg', 'W m-1 K-1', 'thermal conductivity of the soil minerals', levels=1), &
       var_info('tkdry', 'W m-1 K-1', 'thermal conductivity of dry soil', levels=1), &
       var_info('sand', '%', 'sand content of the mineral soil', levels=1)]

  ! ---------------------------------------------------------------------
  ! Column parameters colpar(ncol, :)
  integer, parameter, public :: cp_wtfact = 1, cp_rsub_top_max = 2, cp_fdrai = 3, &
       cp_zref = 4, cp_sco2 = 5, cp_soil_color = 6
  integer, parameter, public :: ncolpar = 6
  type(var_info), parameter, public :: colpar_info(ncolpar) = [ &
       var_info('wtfact', '1', 'maximum saturated fraction of the surface'), &
       var_info('rsub_top_max', 'mm s-1', 'drainage with the water table at the surface'), &
       var_info('fdrai', 'm-1', 'decay factor of drainage with water-table depth'), &
       var_info('zref', 'm', 'reference (measurement) height above the ground'), &
       var_info('sco2', 'ppm-1', 'relative fall of stomatal conductance per ppm CO2 (Penman-Monteith)'), &
       var_info('soil_color', '1', 'CLM soil colour class (1 light - 20 dark)')]

  ! ---------------------------------------------------------------------
  ! Patch parameters patpar(ncol, npatch, :); a patch of weight 0 is empty
  integer, parameter, public :: pp_wt = 1, pp_smpso = 2, pp_smpsc = 3, pp_sai = 4, &
       pp_albedo = 5, pp_rsmin = 6, pp_rgl = 7, pp_hs = 8, pp_crt = 9, pp_psi50 = 10, pp_hr_b = 11, &
       pp_htop = 12, pp_c3psn = 13, pp_vcmax25top = 14, pp_mbbopt = 15, pp_bbbopt = 16, pp_xl = 17, &
       pp_rholvis = 18, pp_rholnir = 19, pp_rhosvis = 20, pp_rhosnir = 21, pp_taulvis = 22,        &
       pp_taulnir = 23, pp_tausvis = 24, pp_tausnir = 25, pp_dleaf = 26, pp_z0mr = 27, pp_displar = 28, &
       pp_slatop = 29, pp_dsladlai = 30, pp_leafcn = 31, pp_frootcn = 32, pp_livewdcn = 33,        &
       pp_froot_leaf = 34, pp_stem_leaf = 35, pp_croot_stem = 36, pp_flivewd = 37, pp_woody = 38,  &
       pp_lf_flab = 39, pp_lf_fcel = 40, pp_lf_flig = 41, pp_fr_flab = 42, pp_fr_fcel = 43, pp_fr_flig = 44, &
       pp_krs = 45
  integer, parameter, public :: npatpar = 45
  type(var_info), parameter, public :: patpar_info(npatpar) = [ &
       var_info('wt', '1', 'cover weight of the patch on its column (the weights sum to 1)', levels=2), &
       var_info('smpso', 'mm', 'soil potential at full stomatal opening', levels=2), &
       var_info('smpsc', 'mm', 'soil potential at full stomatal closure', levels=2), &
       var_info('sai', 'm2 m-2', 'stem area index', levels=2), &
       var_info('albedo', '1', 'surface shortwave albedo', levels=2), &
       var_info('rsmin', 's m-1', 'minimum stomatal resistance', levels=2), &
       var_info('rgl', 'W m-2', 'radiation parameter of the stomatal resistance', levels=2), &
       var_info('hs', '(kg kg-1)-1', 'vapour pressure deficit parameter of the stomatal resistance', levels=2), &
       var_info('crt', 's-1', 'HR root-system conductance C_RT (0: no HR by this patch)', levels=2), &
       var_info('psi50', 'mm', 'HR potential of half soil-root conductance', levels=2), &
       var_info('hr_b', '1', 'HR conductance shape parameter', levels=2), &
       var_info('htop', 'm', 'canopy top height', levels=2), &
       var_info('c3psn', '1', 'photosynthetic pathway: 1 C3, 0 C4', levels=2), &
       var_info('vcmax25top', 'umol m-2 s-1', 'Vcmax at 25 C at the canopy top', levels=2), &
       var_info('mbbopt', '1', 'Ball-Berry slope', levels=2), &
       var_info('bbbopt', 'umol m-2 s-1', 'Ball-Berry intercept without water stress', levels=2), &
       var_info('xl', '1', 'leaf angle departure from a spherical distribution', levels=2), &
       var_info('rholvis', '1', 'leaf reflectance, visible', levels=2), &
       var_info('rholnir', '1', 'leaf reflectance, near-infrared', levels=2), &
       var_info('rhosvis', '1', 'stem reflectance, visible', levels=2), &
       var_info('rhosnir', '1', 'stem reflectance, near-infrared', levels=2), &
       var_info('taulvis', '1', 'leaf transmittance, visible', levels=2), &
       var_info('taulnir', '1', 'leaf transmittance, near-infrared', levels=2), &
       var_info('tausvis', '1', 'stem transmittance, visible', levels=2), &
       var_info('tausnir', '1', 'stem transmittance, near-infrared', levels=2), &
       var_info('dleaf', 'm', 'characteristic leaf dimension', levels=2), &
       var_info('z0mr', '1', 'momentum roughness length / canopy height', levels=2), &
       var_info('displar', '1', 'displacement height / canopy height', levels=2), &
       var_info('slatop', 'm2 gC-1', 'specific leaf area at the canopy top', levels=2), &
       var_info('dsladlai', 'm2 gC-1', 'increase of specific leaf area per unit LAI', levels=2), &
       var_info('leafcn', 'gC gN-1', 'leaf C:N', levels=2), &
       var_info('frootcn', 'gC gN-1', 'fine-root C:N', levels=2), &
       var_info('livewdcn', 'gC gN-1', 'live wood C:N', levels=2), &
       var_info('froot_leaf', '1', 'new fine-root C per new leaf C', levels=2), &
       var_info('stem_leaf', '1', 'new stem C per new leaf C (-1: CLM4.5 dynamic allocation)', levels=2), &
       var_info('croot_stem', '1', 'new coarse-root C per new stem C', levels=2), &
       var_info('flivewd', '1', 'live fraction of new wood', levels=2), &
       var_info('woody', '1', '1: woody PFT (live stem and coarse roots), 0: not', levels=2), &
       var_info('lf_flab', '1', 'leaf litter labile (metabolic) fraction', levels=2), &
       var_info('lf_fcel', '1', 'leaf litter cellulose fraction', levels=2), &
       var_info('lf_flig', '1', 'leaf litter lignin fraction', levels=2), &
       var_info('fr_flab', '1', 'fine-root litter labile (metabolic) fraction', levels=2), &
       var_info('fr_fcel', '1', 'fine-root litter cellulose fraction', levels=2), &
       var_info('fr_flig', '1', 'fine-root litter lignin fraction', levels=2), &
       var_info('krs', 's-1', 'root-system conductance for uptake (uptake rule 2; the PFT''s C_RT)', levels=2)]

  ! Patch parameters per soil layer patlay(ncol, nlev, npatch, :)
  integer, parameter, public :: pl_rootfr = 1
  integer, parameter, public :: npatlay = 1
  type(var_info), parameter, public :: patlay_info(npatlay) = [ &
       var_info('rootfr', '1', 'root fraction of the patch in the layer', levels=1)]

  ! ---------------------------------------------------------------------
  ! Forcing forc(ncolf, :, nstep): ncolf is 1 (every column the same) or ncol
  integer, parameter, public :: fo_tair = 1, fo_qair = 2, fo_psurf = 3, fo_wind = 4, &
       fo_swdown = 5, fo_lwdown = 6, fo_rainf = 7, fo_co2 = 8, fo_lai = 9,            &
       fo_water_input = 10, fo_evaporation = 11, fo_transpiration = 12, fo_hr_switch = 13, &
       fo_coszen = 14, fo_dayl_factor = 15, fo_litfall_w = 16
  integer, parameter, public :: nforc = 16
  type(var_info), parameter, public :: forc_info(nforc) = [ &
       var_info('Tair', 'K', 'air temperature', 'air_temperature', role=1), &
       var_info('Qair', 'kg kg-1', 'specific humidity', 'specific_humidity', role=1), &
       var_info('Psurf', 'Pa', 'surface air pressure', 'surface_air_pressure', role=1), &
       var_info('Wind', 'm s-1', 'wind speed', 'wind_speed', role=1), &
       var_info('SWdown', 'W m-2', 'downward shortwave radiation', &
                'surface_downwelling_shortwave_flux_in_air', role=1), &
       var_info('LWdown', 'W m-2', 'downward longwave radiation', &
                'surface_downwelling_longwave_flux_in_air', role=1), &
       var_info('Rainf', 'kg m-2 s-1', 'precipitation (rain and snow)', 'precipitation_flux', role=1), &
       var_info('CO2air', 'ppm', 'atmospheric CO2', 'mole_fraction_of_carbon_dioxide_in_air', role=1), &
       var_info('LAI', 'm2 m-2', 'leaf area index', 'leaf_area_index', role=2), &
       var_info('water_input', 'mm s-1', 'water reaching the soil surface', role=3), &
       var_info('evaporation', 'mm s-1', 'soil evaporation demand', role=3), &
       var_info('transpiration', 'mm s-1', 'unstressed transpiration demand (taken times btran)', role=3), &
       var_info('hr_switch', '1', 'HR switch D in [0, 1]', role=3), &
       var_info('coszen', '1', 'cosine of the solar zenith angle (mean over the step)', role=2), &
       var_info('dayl_factor', '1', 'day-length factor of Vcmax (dayl/max_dayl)**2', role=2), &
       var_info('litfall_w', 's-1', 'share of the year''s leaf and fine-root litterfall falling '// &
                'per second (from the LAI)', role=2)]

  ! ---------------------------------------------------------------------
  ! Prognostic state
  !> the decomposing carbon pools sl_litr1c .. sl_soil3c are consecutive, in
  !! SoilDecompositionMod's order
  integer, parameter, public :: sl_h2osoi_liq = 1, sl_litr1c = 2, sl_litr2c = 3, sl_litr3c = 4, &
       sl_cwdc = 5, sl_soil1c = 6, sl_soil2c = 7, sl_soil3c = 8
  integer, parameter, public :: nstate_lev = 8
  type(var_info), parameter, public :: state_lev_info(nstate_lev) = [ &
       var_info('h2osoi_liq', 'kg m-2', 'soil liquid water', levels=1), &
       var_info('litr1c_vr', 'gC m-3', 'metabolic litter carbon', levels=1), &
       var_info('litr2c_vr', 'gC m-3', 'cellulose litter carbon', levels=1), &
       var_info('litr3c_vr', 'gC m-3', 'lignin litter carbon', levels=1), &
       var_info('cwdc_vr', 'gC m-3', 'coarse woody debris carbon', levels=1), &
       var_info('soil1c_vr', 'gC m-3', 'active soil organic carbon (SOM1)', levels=1), &
       var_info('soil2c_vr', 'gC m-3', 'slow soil organic carbon (SOM2)', levels=1), &
       var_info('soil3c_vr', 'gC m-3', 'passive soil organic carbon (SOM3)', levels=1)]

  integer, parameter, public :: sc_zwt = 1, sc_wa = 2, sc_h2osno = 3, sc_t10 = 4, sc_annsum_counter = 5
  integer, parameter, public :: nstate_col = 5
  type(var_info), parameter, public :: state_col_info(nstate_col) = [ &
       var_info('zwt', 'm', 'water table depth'), &
       var_info('wa', 'mm', 'water in the unconfined aquifer'), &
       var_info('h2osno', 'mm', 'snow water equivalent'), &
       var_info('t10', 'K', '10-day running mean air temperature (photosynthesis acclimation)'), &
       var_info('annsum_counter', 's', 'time since the last annual carbon update')]

  integer, parameter, public :: sp_h2ocan = 1, sp_t_veg = 2, sp_tempsum_npp = 3, sp_annsum_npp = 4
  integer, parameter, public :: nstate_pat = 4
  type(var_info), parameter, public :: state_pat_info(nstate_pat) = [ &
       var_info('h2ocan', 'mm', 'intercepted water of the patch', levels=2), &
       var_info('t_veg', 'K', 'leaf temperature of the patch', levels=2), &
       var_info('tempsum_npp', 'gC m-2', 'NPP of the patch summed since the last annual update', levels=2), &
       var_info('annsum_npp', 'gC m-2 yr-1', 'NPP of the patch over the last year (sets its litterfall)', &
                levels=2)]

  !> Ground levels for temperature: the nlev soil layers and nlevbed bedrock
  !! levels below them (SoilTemperatureMod, GroundGrid)
  integer, parameter, public :: nlevbed = 5
  integer, parameter, public :: sg_t_soisno = 1
  integer, parameter, public :: nstate_grnd = 1
  type(var_info), parameter, public :: state_grnd_info(nstate_grnd) = [ &
       var_info('t_soisno', 'K', 'soil and bedrock temperature', levels=3)]

  ! ---------------------------------------------------------------------
  ! History fields: the values of one step, fld(ncol, nslot), a field of one
  ! value per layer taking nlev slots (hist_slot gives the first). The carbon
  ! fields h_gpp .. h_npp_p come last (the driver zeroes them as one block
  ! when carbon is off): add new non-carbon fields before them.
  integer, parameter, public :: h_h2osoi = 1, h_soilliq = 2, h_qhr = 3, h_qvegt = 4, h_qvege = 5, &
       h_qsoil = 6, h_qinfl = 7, h_qover = 8, h_qdrai = 9, h_qtopsoil = 10, h_zwt = 11,             &
       h_btran = 12, h_fsh = 13, h_lh = 14, h_fgr = 15, h_fsa = 16, h_fira = 17, h_h2ocan = 18,     &
       h_h2osno = 19, h_errh2o = 20, h_errseb = 21, h_hrsw = 22, h_wa = 23, h_tlai = 24,           &
       h_btran_p = 25, h_qvegt_p = 26, h_qrootsink = 27, h_qimposed = 28, h_tsoi = 29, h_tg = 30,  &
       h_tv = 31, h_fpsn = 32, h_fpsn_p = 33, h_errsoi = 34, h_sabv = 35, h_sabg = 36, h_fsr = 37,  &
       h_tsa = 38, h_gpp = 39, h_ar = 40, h_mr = 41, h_gr = 42, h_npp = 43, h_hr = 44, h_er = 45,      &
       h_nee = 46, h_litfall = 47, h_hr_vr = 48, h_w_scalar = 49, h_t_scalar = 50, h_decomp_scalar = 51, &
       h_totlitc = 52, h_cwdc = 53, h_totsomc = 54, h_litr1c_vr = 55, h_litr2c_vr = 56, h_litr3c_vr = 57, &
       h_cwdc_vr = 58, h_soil1c_vr = 59, h_soil2c_vr = 60, h_soil3c_vr = 61, h_errsoilc = 62,         &
       h_frootc = 63, h_frootc_p = 64, h_npp_p = 65
  integer, parameter, public :: nhist = 65
  type(var_info), parameter, public :: hist_info(nhist) = [ &
       var_info('H2OSOI', 'm3 m-3', 'volumetric soil water', levels=1), &
       var_info('SOILLIQ', 'kg m-2', 'soil liquid water', levels=1), &
       var_info('QHR', 'mm s-1', 'hydraulic redistribution into the layer (positive: gain)', levels=1), &
       var_info('QVEGT', 'mm s-1', 'canopy transpiration'), &
       var_info('QVEGE', 'mm s-1', 'canopy evaporation of intercepted water'), &
       var_info('QSOIL', 'mm s-1', 'ground evaporation'), &
       var_info('QINFL', 'mm s-1', 'infiltration into layer 1, net of ground evaporation'), &
       var_info('QOVER', 'mm s-1', 'surface runoff'), &
       var_info('QDRAI', 'mm s-1', 'sub-surface drainage'), &
       var_info('QTOPSOIL', 'mm s-1', 'water reaching the soil surface (throughfall, drip, melt)'), &
       var_info('ZWT', 'm', 'water table depth'), &
       var_info('BTRAN', '1', 'transpiration beta factor'), &
       var_info('FSH', 'W m-2', 'sensible heat flux'), &
       var_info('EFLX_LH_TOT', 'W m-2', 'total latent heat flux'), &
       var_info('FGR', 'W m-2', 'ground heat flux'), &
       var_info('FSA', 'W m-2', 'absorbed solar radiation'), &
       var_info('FIRA', 'W m-2', 'net infrared (longwave) radiation, positive upward'), &
       var_info('H2OCAN', 'mm', 'intercepted water'), &
       var_info('H2OSNO', 'mm', 'snow water equivalent'), &
       var_info('ERRH2O', 'mm', 'water balance error of the step'), &
       var_info('ERRSEB', 'W m-2', 'surface energy balance error'), &
       var_info('HR_SWITCH', '1', 'hydraulic redistribution switch D (cover-weighted over patches)'), &
       var_info('WA', 'mm', 'water in the unconfined aquifer'), &
       var_info('TLAI', 'm2 m-2', 'leaf area index'), &
       var_info('BTRAN_PATCH', '1', 'transpiration beta factor of each patch', levels=2), &
       var_info('QVEGT_PATCH', 'mm s-1', 'transpiration of each patch (per unit patch area)', levels=2), &
       var_info('QROOTSINK', 'mm s-1', 'root water uptake from the layer (all patches)', levels=1), &
       var_info('QIMPOSED', 'mm s-1', 'water added to the soil to hold prescribed soil moisture '// &
                '(negative: removed)'), &
       var_info('TSOI', 'K', 'soil and bedrock temperature', levels=3), &
       var_info('TG', 'K', 'ground temperature'), &
       var_info('TV', 'K', 'vegetation temperature (cover-weighted over patches)'), &
       var_info('FPSN', 'umol m-2 s-1', 'gross photosynthesis (GPP)'), &
       var_info('FPSN_PATCH', 'umol m-2 s-1', 'gross photosynthesis of each patch (per unit patch area)', &
                levels=2), &
       var_info('ERRSOI', 'W m-2', 'soil heat balance error'), &
       var_info('SABV', 'W m-2', 'solar radiation absorbed by vegetation'), &
       var_info('SABG', 'W m-2', 'solar radiation absorbed by the ground'), &
       var_info('FSR', 'W m-2', 'reflected solar radiation'), &
       var_info('TSA', 'K', '2-m air temperature (cover-weighted over patches)'), &
       var_info('GPP', 'gC m-2 s-1', 'gross primary production'), &
       var_info('AR', 'gC m-2 s-1', 'autotrophic respiration (MR + GR)'), &
       var_info('MR', 'gC m-2 s-1', 'maintenance respiration'), &
       var_info('GR', 'gC m-2 s-1', 'growth respiration'), &
       var_info('NPP', 'gC m-2 s-1', 'net primary production'), &
       var_info('HR', 'gC m-2 s-1', 'heterotrophic respiration (not hydraulic redistribution: QHR)'), &
       var_info('ER', 'gC m-2 s-1', 'ecosystem respiration (AR + HR)'), &
       var_info('NEE', 'gC m-2 s-1', 'net ecosystem exchange (ER - GPP; positive: to the atmosphere)'), &
       var_info('LITFALL', 'gC m-2 s-1', 'litterfall (leaves, fine roots and wood)'), &
       var_info('HR_vr', 'gC m-3 s-1', 'heterotrophic respiration in the layer', levels=1), &
       var_info('W_SCALAR', '1', 'moisture scalar of decomposition', levels=1), &
       var_info('T_SCALAR', '1', 'temperature scalar of decomposition (Q10 part)', levels=1), &
       var_info('DECOMP_SCALAR', '1', 'decomposition rate / base rate (nf T W depth O scalars)', levels=1), &
       var_info('TOTLITC', 'gC m-2', 'litter carbon (metabolic, cellulose, lignin)'), &
       var_info('CWDC', 'gC m-2', 'coarse woody debris carbon'), &
       var_info('TOTSOMC', 'gC m-2', 'soil organic matter carbon (SOM1-3)'), &
       var_info('LITR1C_vr', 'gC m-3', 'metabolic litter carbon', levels=1), &
       var_info('LITR2C_vr', 'gC m-3', 'cellulose litter carbon', levels=1), &
       var_info('LITR3C_vr', 'gC m-3', 'lignin litter carbon', levels=1), &
       var_info('CWDC_vr', 'gC m-3', 'coarse woody debris carbon', levels=1), &
       var_info('SOIL1C_vr', 'gC m-3', 'active soil organic carbon (SOM1)', levels=1), &
       var_info('SOIL2C_vr', 'gC m-3', 'slow soil organic carbon (SOM2)', levels=1), &
       var_info('SOIL3C_vr', 'gC m-3', 'passive soil organic carbon (SOM3)', levels=1), &
       var_info('ERRSOILC', 'gC m-2', 'soil carbon balance error of the step'), &
       var_info('FROOTC', 'gC m-2', 'fine-root carbon (cover-weighted over patches)'), &
       var_info('FROOTC_PATCH', 'gC m-2', 'fine-root carbon of each patch (per unit patch area)', &
                levels=2), &
       var_info('NPP_PATCH', 'gC m-2 s-1', 'net primary production of each patch (per unit patch area)', &
                levels=2)]

  ! Groups, as numbered for api_var_info
  integer, parameter, public :: grp_ctl_i = 1, grp_ctl_r = 2, grp_laypar = 3, grp_colpar = 4, &
       grp_forc = 5, grp_state_lev = 6, grp_state_col = 7, grp_hist = 8, grp_patpar = 9,          &
       grp_patlay = 10, grp_state_pat = 11, grp_state_grnd = 12
  integer, parameter, public :: ngroup = 12

  public :: group_size, group_var, hist_slot, hist_nslot, hist_width

contains

  !> Number of variables of group g (0 for an unknown group).
  pure integer function group_size(g)
    integer, intent(in) :: g
    select case (g)
    case (grp_ctl_i);     group_size = nctl_i
    case (grp_ctl_r);     group_size = nctl_r
    case (grp_laypar);    group_size = nlaypar
    case (grp_colpar);    group_size = ncolpar
    case (grp_forc);      group_size = nforc
    case (grp_state_lev); group_size = nstate_lev
    case (grp_state_col); group_size = nstate_col
    case (grp_hist);      group_size = nhist
    case (grp_patpar);    group_size = npatpar
    case (grp_patlay);    group_size = npatlay
    case (grp_state_pat); group_size = nstate_pat
    case (grp_state_grnd); group_size = nstate_grnd
    case default;         group_size = 0
    end select
  end function group_size

  !> Variable i of group g.
  pure function group_var(g, i) result(v)
    integer, intent(in) :: g, i
    type(var_info) :: v
    select case (g)
    case (grp_ctl_i);     v = ctl_i_info(i)
    case (grp_ctl_r);     v = ctl_r_info(i)
    case (grp_laypar);    v = laypar_info(i)
    case (grp_colpar);    v = colpar_info(i)
    case (grp_forc);      v = forc_info(i)
    case (grp_state_lev); v = state_lev_info(i)
    case (grp_state_col); v = state_col_info(i)
    case (grp_hist);      v = hist_info(i)
    case (grp_patpar);    v = patpar_info(i)
    case (grp_patlay);    v = patlay_info(i)
    case (grp_state_pat); v = state_pat_info(i)
    case (grp_state_grnd); v = state_grnd_info(i)
    end select
  end function group_var

  !> Number of slots of history field h: 1, nlev, npatch or nlev + nlevbed.
  pure integer function hist_width(h, nlev, npatch)
    integer, intent(in) :: h, nlev, npatch
    select case (hist_info(h)%levels)
    case (1);     hist_width = nlev
    case (2);     hist_width = npatch
    case (3);     hist_width = nlev + nlevbed
    case default; hist_width = 1
    end select
  end function hist_width

  !> First slot of history field h in fld(ncol, nslot).
  pure integer function hist_slot(h, nlev, npatch)
    integer, intent(in) :: h, nlev, npatch
    integer :: k
    hist_slot = 1
    do k = 1, h - 1
       hist_slot = hist_slot + hist_width(k, nlev, npatch)
    end do
  end function hist_slot

  !> Number of slots of all history fields.
  pure integer function hist_nslot(nlev, npatch)
    integer, intent(in) :: nlev, npatch
    hist_nslot = hist_slot(nhist, nlev, npatch) + hist_width(nhist, nlev, npatch) - 1
  end function hist_nslot

end module ColumnVarsMod
