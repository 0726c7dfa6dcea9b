!> Physical constants shared by the hrclm modules (CLM's clm_varcon names).
!! Values: CESM shr_const_mod and CLM4.5 clm_varcon, as used by CLM4.5
!! (Oleson et al. 2013, Table 2.6 and ch. 6).
!! Checked value by value against CESM shr_const_mod (copy in ESCOMP/CTSM
!! tools/mksurfdata_esmf/src/shr_const_mod.F90: G, STEBOL, KARMAN, RGAS =
!! AVOGAD*BOLTZ, MWDAIR 28.966, MWWV 18.016, CPDAIR, CPFW, CPICE, LATVAP,
!! LATICE, RHOFW, RHOICE, TKFRZ) and CLM4.5's clm_varcon.F90 (the
!! "tunable constants from clm2_3": zlnd 0.01 m, csoilc, capr, cnfac;
!! tkair, tkice, tkwat, thk_bedrock; CTSM src/main/clm_varcon.F90 for
!! csol_bedrock, which CLM4.5 keeps local to iniTimeConst with the same value).
!! No value needed correcting. CLM5 makes zlnd a parameter-file value; the
!! RegCM CLM4.5 port uses zlnd = 0.00085 m; 0.01 m here is CLM4.5's.
module clm_varcon
  use shr_kind_mod, only: r8 => shr_kind_r8
  implicit none
  private
  real(r8), parameter, public :: grav   = 9.80616_r8     !< gravitational acceleration [m s-2]
  real(r8), parameter, public :: denh2o = 1000._r8       !< density of liquid water [kg m-3]
  real(r8), parameter, public :: denice = 917._r8        !< density of ice [kg m-3]
  real(r8), parameter, public :: tfrz   = 273.15_r8      !< freezing temperature of water [K]
  real(r8), parameter, public :: sb     = 5.67e-8_r8     !< Stefan-Boltzmann constant [W m-2 K-4]
  real(r8), parameter, public :: vkc    = 0.4_r8         !< von Karman constant [-]
  real(r8), parameter, public :: rgas   = 8314.467591_r8 !< universal gas constant [J K-1 kmol-1]
  real(r8), parameter, public :: rair   = rgas / 28.966_r8   !< gas constant of dry air [J kg-1 K-1]
  real(r8), parameter, public :: rwat   = rgas / 18.016_r8   !< gas constant of water vapour [J kg-1 K-1]
  real(r8), parameter, public :: cpair  = 1.00464e3_r8   !< specific heat of dry air [J kg-1 K-1]
  real(r8), parameter, public :: cpliq  = 4.188e3_r8     !< specific heat of liquid water [J kg-1 K-1]
  real(r8), parameter, public :: cpice  = 2.11727e3_r8   !< specific heat of ice [J kg-1 K-1]
  real(r8), parameter, public :: hvap   = 2.501e6_r8     !< latent heat of evaporation [J kg-1]
  real(r8), parameter, public :: hfus   = 3.337e5_r8     !< latent heat of fusion [J kg-1]
  real(r8), parameter, public :: hsub   = hvap + hfus    !< latent heat of sublimation [J kg-1]
  real(r8), parameter, public :: tkair  = 0.023_r8       !< thermal conductivity of air [W m-1 K-1]
  real(r8), parameter, public :: tkice  = 2.290_r8       !< thermal conductivity of ice [W m-1 K-1]
  real(r8), parameter, public :: tkwat  = 0.57_r8        !< thermal conductivity of water [W m-1 K-1]
  real(r8), parameter, public :: zlnd   = 0.01_r8        !< roughness length of bare soil [m]
  real(r8), parameter, public :: csoilc = 0.004_r8       !< drag coefficient of soil under canopy [-]
  real(r8), parameter, public :: capr   = 0.34_r8        !< top soil layer heat-capacity tuning factor [-] (6.34)
  real(r8), parameter, public :: cnfac  = 0.5_r8         !< Crank-Nicolson factor of soil heat diffusion [-] (6.14)
  real(r8), parameter, public :: thk_bedrock  = 3.0_r8   !< thermal conductivity of bedrock [W m-1 K-1]
  real(r8), parameter, public :: csol_bedrock = 2.0e6_r8 !< heat capacity of bedrock [J m-3 K-1]
  real(r8), parameter, public :: o2_molar_const = 0.209_r8   !< O2 mole fraction of air [mol mol-1]
end module clm_varcon
