"""Run configuration from CLM-style Fortran namelists (read with f90nml).

One registry, :data:`REGISTRY`, defines every option once: group, name, type,
default, units, valid range or values, description and reference.
``namelists/defaults.nml`` is written from it (``hrclm namelist
--write-defaults``) and the docs' option table too (``hrclm namelist
--markdown``); the tests check that both agree with the registry.

A namelist file overrides defaults; several files are applied in order, for
example a site file and then ``hr_on.nml``. Options marked ``ensemble`` take a
list of values: a run then has one column per value (lists of different
lengths must be 1 or the same length).
"""

import difflib
import io
import math
import re
from os import PathLike
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import f90nml

from .errors import InputError, existing_file


@dataclass(frozen=True)
class Option:
    """One namelist option."""

    group: str
    name: str
    type: type
    default: object
    units: str
    doc: str
    valid: object = None          # (lo, hi) for numbers, tuple of strings for choices
    lo_open: bool = False         # exclude the lower bound
    hi_open: bool = False         # exclude the upper bound
    ensemble: bool = False        # may take a list of values, one per column
    reference: str = ""

    def valid_text(self):
        if self.type is bool:
            return ".true. or .false."
        if isinstance(self.valid, tuple) and self.valid and isinstance(self.valid[0], str):
            return ", ".join(repr(v) for v in self.valid)
        if self.valid is None:
            return "any"
        lo, hi = self.valid
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        return f"{left}{lo}, {hi}{right}"


_CLM = "Oleson et al. (2013) CLM4.5 Tech. Note NCAR/TN-503+STR"

NPFT = 16
"""Number of CLM4.5 plant functional types (entries of a per-PFT option)."""
_RYEL = "Ryel et al. (2002) Oecologia 130:173-184"

REGISTRY = [
    # --- run control -------------------------------------------------------
    Option("hrclm_inparm", "site", str, "US-SRM", "", "registered site (site_data/) to simulate"),
    Option("hrclm_inparm", "start_year", int, 2010, "", "first calendar year of the run",
           (1900, 2100)),
    Option("hrclm_inparm", "nyears", int, 1, "yr", "years simulated after spin-up", (1, 500)),
    Option("hrclm_inparm", "start_month", int, 1, "", "month the run starts in", (1, 12)),
    Option("hrclm_inparm", "ndays", int, 0, "d",
           "length of the run in days from the start month; 0: nyears whole years",
           (0, 365 * 500)),
    Option("hrclm_inparm", "dtime", float, 1800.0, "s",
           "model time step; must divide one hour or one day evenly", (60.0, 3600.0),
           reference=_CLM + " (dtime = 1800 s default)"),
    Option("hrclm_inparm", "forcing", str, "generator", "",
           "forcing source: 'generator' (weather generator from the site's monthly normals), "
           "'file' (a forcing netCDF in the hrclm layout) or 'uscrn' (a folder of USCRN hourly02 "
           "files)", ("generator", "file", "uscrn")),
    Option("hrclm_inparm", "forcing_file", str, "", "",
           "forcing netCDF (forcing = 'file') or folder of CRNH0203-*.txt files (forcing = 'uscrn')"),
    Option("hrclm_inparm", "seed", int, 42, "", "random seed of the weather generator",
           (0, 2**31 - 1)),
    Option("hrclm_inparm", "co2", float, 400.0, "ppm",
           "atmospheric CO2 when the forcing has none", (100.0, 2000.0)),
    Option("hrclm_inparm", "spinup", bool, True, "",
           "cycle the spin-up period of the forcing (spinup_begin, spinup_end) until the "
           "column water settles"),
    Option("hrclm_inparm", "spinup_max_years", int, 100, "1",
           "most spin-up cycles (the run warns and records it when they are used up)", (1, 500)),
    Option("hrclm_inparm", "spinup_tol", float, 1.0, "mm",
           "spin-up ends when total column water changes less than this over a cycle",
           (0.0, 1000.0), lo_open=True),
    Option("hrclm_inparm", "spinup_begin", str, "", "",
           "first day of the spin-up period, 'YYYY-MM-DD' (UTC); empty: the first whole calendar "
           "year of the forcing source"),
    Option("hrclm_inparm", "spinup_end", str, "", "",
           "day after the spin-up period, 'YYYY-MM-DD' (UTC); empty: one year after spinup_begin"),
    Option("hrclm_inparm", "finidat", str, "", "",
           "restart file to start from (CLM's finidat); no spin-up then. It must have been "
           "written for the same site, soil layers and number of columns"),
    # --- hydraulic redistribution -------------------------------------------
    Option("hydraulic_redistribution", "use_hr", bool, False, "",
           "hydraulic redistribution by roots on or off"),
    Option("hydraulic_redistribution", "hr_crt", float, 0.097, "cm MPa-1 h-1",
           "maximum radial soil-root conductance of the whole root system C_RT",
           (0.0, 1.0e4), ensemble=True, reference=_RYEL + " (big sagebrush)"),
    Option("hydraulic_redistribution", "hr_psi50", float, -1.0, "MPa",
           "soil water potential at which the soil-root conductance is halved",
           (-20.0, 0.0), lo_open=True, hi_open=True, ensemble=True, reference=_RYEL),
    Option("hydraulic_redistribution", "hr_b", float, 3.22, "1",
           "shape parameter of the soil-root conductance curve", (0.0, 20.0), lo_open=True,
           ensemble=True, reference=_RYEL),
    Option("hydraulic_redistribution", "hr_crt_pft", float, [], "cm MPa-1 h-1",
           "C_RT per CLM4.5 PFT (entry p for PFT p, e.g. hr_crt_pft(1) = 0.05); a PFT left "
           "unset takes hr_crt. Defaults: Ryel's big-sagebrush value for every PFT, sourced for "
           "the shrubs (PFTs 9-11), UNVERIFIED for trees (no Ryel-type calibration of a tree "
           "was found) and for grasses and crops", (0.0, 1.0e4), reference=_RYEL),
    Option("hydraulic_redistribution", "hr_psi50_pft", float, [], "MPa",
           "psi50 per CLM4.5 PFT (as hr_crt_pft; unset PFTs take hr_psi50)", (-20.0, 0.0),
           lo_open=True, hi_open=True, reference=_RYEL),
    Option("hydraulic_redistribution", "hr_b_pft", float, [], "1",
           "b per CLM4.5 PFT (as hr_crt_pft; unset PFTs take hr_b)", (0.0, 20.0), lo_open=True,
           reference=_RYEL),
    Option("hydraulic_redistribution", "hr_rx_rule", str, "source", "",
           "root fraction R_x in 1/(1 - R_x): the source layer's (SOILWAT2) or max of the pair "
           "(CABLE)", ("source", "max")),
    Option("hydraulic_redistribution", "hr_thickness_rule", str, "none", "",
           "root fraction correction for unequal layers: none or SOILWAT2's",
           ("none", "soilwat2")),
    Option("hydraulic_redistribution", "hr_top_layer", bool, False, "",
           "whether soil layer 1 exchanges water by HR (Lee et al. 2005, Wang 2011, SOILWAT2 and "
           "CABLE exclude it: roots there are few and its water leaves as soil evaporation)"),
    Option("hydraulic_redistribution", "hr_pfts", int, list(range(1, 12)), "",
           "CLM4.5 PFTs whose patches redistribute water (the others have no HR; their root "
           "uptake still uses their C_RT, see root_uptake); default "
           "the trees and shrubs (1-11), deep-rooted woody plants in which HR is documented "
           "(Ryel 2002 sagebrush, Scott 2008 mesquite, Brooks 2002 Douglas-fir and ponderosa "
           "pine, Ishikawa and Bledsoe 2000 blue oak); add 12-14 for grasses", (1, 16)),
    Option("hydraulic_redistribution", "root_uptake", str, "hydraulic", "",
           "how transpiration is drawn from the soil layers, with HR on or off: 'clm45', "
           "root fraction x wilting factor (Oleson et al. 2013, 8.3); 'hydraulic', the parallel "
           "root model through the same root-system conductance as HR (hr_crt for every PFT, "
           "c(psi) from hr_psi50, hr_b; a PFT with hr_crt = 0 takes CLM4.5's weights): wetter "
           "layers supply more than their root fraction (Couvreur et al. 2012, HESS 16, 2957)",
           ("clm45", "hydraulic")),
    Option("hydraulic_redistribution", "hr_night_rule", str, "both", "",
           "HR runs when transpiration, absorbed shortwave, or both are below their thresholds",
           ("transpiration", "shortwave", "both")),
    Option("hydraulic_redistribution", "hr_le_max", float, 10.0, "W m-2",
           "transpiration (as latent heat) below which HR runs", (0.0, 1000.0),
           reference="CABLE cbl_hyd_redistrib.F90 (10 W m-2)"),
    Option("hydraulic_redistribution", "hr_sabv_max", float, 1.0, "W m-2",
           "shortwave absorbed by vegetation below which HR runs", (0.0, 1500.0)),
    Option("hydraulic_redistribution", "hr_tair_min", float, -50.0, "degC",
           "no HR when the air is colder than this: a frozen-soil proxy for the "
           "Penman-Monteith canopy (set 0 there); the CLM4.5 canopy stops HR in each layer "
           "below 0 degC from its soil temperature, so the default -50 leaves that to it",
           (-50.0, 30.0)),
    # --- soil ---------------------------------------------------------------
    Option("soil_inparm", "lower_bc", str, "aquifer", "",
           "lower boundary: CLM4.5 unconfined aquifer, free drainage, water table at the "
           "column bottom, or no flow", ("aquifer", "free_drainage", "water_table", "no_flow"),
           reference=_CLM),
    Option("soil_inparm", "layer_dz", float, [], "m",
           "thicknesses of the soil layers from the top; empty: CLM4.5's 10 active layers",
           (0.0, 50.0), lo_open=True),
    Option("soil_inparm", "wtfact", float, 0.3, "1",
           "maximum saturated fraction of the surface (saturation-excess runoff)", (0.0, 1.0),
           ensemble=True, reference=_CLM + " (site value from the surface dataset)"),
    Option("soil_inparm", "rsub_top_max", float, 5.5e-3, "mm s-1",
           "sub-surface drainage with the water table at the surface; the default is the "
           "value CLM4.5 uses with origflag = 1 (CLM4.0); CLM4.5's default 10 sin(slope) needs "
           "the site's topographic slope", (0.0, 1.0), ensemble=True,
           reference="CLM4.5 SoilHydrologyMod Drainage (checked in the RegCM CLM4.5 port)"),
    Option("soil_inparm", "fdrai", float, 2.5, "m-1",
           "decay factor of drainage with water-table depth (1/h_kdepth)", (0.0, 20.0),
           ensemble=True, reference=_CLM),
    Option("soil_inparm", "zwt_init", float, -1.0, "m",
           "initial water table depth; negative: CLM4.5 cold start (25 m + column depth - "
           "wa/0.2)", (-1.0, 80.0)),
    Option("soil_inparm", "wa_init", float, 4000.0, "mm", "initial aquifer water",
           (0.0, 5000.0), reference=_CLM + " (cold start 4000 mm)"),
    Option("soil_inparm", "init_water", str, "sat_init", "",
           "initial soil water: sat_init times porosity, or field capacity of each layer",
           ("sat_init", "field_capacity")),
    Option("soil_inparm", "sat_init", float, 0.5, "1",
           "initial soil water as a fraction of porosity", (0.01, 1.0)),
    Option("soil_inparm", "orgdens", float, 0.0, "kg m-3",
           "soil organic matter density of every layer", (0.0, 130.0)),
    # --- canopy -------------------------------------------------------------
    Option("canopy_inparm", "canopy_scheme", str, "clm45", "",
           "canopy and ground biogeophysics: 'clm45' (two-stream radiation, Monin-Obukhov "
           "turbulence, Farquhar/Collatz photosynthesis with Ball-Berry conductance, leaf "
           "and ground energy balance, soil temperature) or 'penman_monteith' (the cheaper "
           "two-source Penman-Monteith canopy with Jarvis-Stewart conductance, isothermal "
           "net radiation and G = 0.3 Rn_ground; for speed studies)",
           ("clm45", "penman_monteith"), reference=_CLM),
    Option("canopy_inparm", "soil_color", int, 15, "1",
           "CLM4.5 soil colour class of the site (1 lightest - 20 darkest; Tech Note Table "
           "3.3) for the ground albedo; CLM takes it from its surface dataset. The default "
           "15 is a medium-light class, UNVERIFIED for any particular site",
           (1, 20), reference=_CLM),
    Option("canopy_inparm", "sco2", float, 0.0009, "ppm-1",
           "Penman-Monteith canopy only: relative fall of stomatal conductance per ppm of CO2 "
           "above 300 ppm (UNVERIFIED value, after the r_s-CO2 scaling of Yang et al. 2019 "
           "Nat. Clim. Change)",
           (0.0, 0.01), ensemble=True),
    Option("canopy_inparm", "rsmin_scale", float, 1.0, "1",
           "Penman-Monteith canopy only: multiplier on the PFT minimum stomatal resistance", (0.0, 100.0), lo_open=True,
           ensemble=True),
    # --- carbon -------------------------------------------------------------
    Option("carbon_inparm", "use_carbon", bool, True, "",
           "carbon fluxes (GPP, autotrophic and heterotrophic respiration, NEE) and the "
           "litter and soil organic carbon pools of every layer (CLM4.5 BGC cascade). Needs "
           "the CLM4.5 canopy: with canopy_scheme = 'penman_monteith' (no photosynthesis) "
           "or a prescribed-flux run there is no carbon and this option is ignored",
           reference=_CLM + " ch. 13, 15"),
    Option("carbon_inparm", "q10_mr", float, 1.5, "1",
           "Q10 of maintenance respiration: 1.5 as in the CLM4.5 code (CESM1.2 parameter "
           "file); the Tech Note's text gives 2.0", (1.0, 4.0), reference=_CLM + " sec. 13.7"),
    Option("carbon_inparm", "spinup_carbon_tol", float, 0.5, "gC m-2 yr-1",
           "carbon spin-up: after the direct steady-state solve, cycles (each correcting "
           "the pools by a Newton step of the mean-rate system) continue until the total "
           "litter and soil carbon changes by less than this over a cycle",
           (1.0e-6, 100.0)),
    # --- output -------------------------------------------------------------
    Option("output_inparm", "output_dir", str, "hrclm_output", "", "folder for output files"),
    Option("output_inparm", "case_name", str, "", "",
           "name of the run used in file names; empty: <site>_hr_on or <site>_hr_off"),
    Option("output_inparm", "write_restart", bool, True, "",
           "write restart files <case>.hrclm.r.<date>.nc (at the end and every rest_n "
           "rest_option) next to the history files"),
    Option("output_inparm", "rest_option", str, "end", "",
           "when restarts are written besides the end: 'end' only, every rest_n 'nmonths' or "
           "'nyears' (at calendar boundaries, UTC)", ("end", "nmonths", "nyears")),
    Option("output_inparm", "rest_n", int, 1, "1", "restart interval in rest_option units",
           (1, 1000)),
    Option("output_inparm", "hist_nhtfrq", int, [1], "1",
           "one value per history tape h0, h1, ...: 0 monthly, > 0 every N steps, < 0 every |N| "
           "hours (-24: daily)", (-8784, 1000000), reference=_CLM),
    Option("output_inparm", "hist_mfilt", int, [0], "1",
           "records per history file, per tape (one value for all); 0: one file for the run",
           (0, 10000000), reference=_CLM),
    Option("output_inparm", "hist_avgflag_pertape", str, ["A"], "",
           "averaging flag per tape: A average, I instantaneous, X maximum, M minimum over each "
           "record; a field may override it as 'NAME:I'", ("A", "I", "X", "M"),
           reference=_CLM),
]
REGISTRY += [
    Option("output_inparm", f"hist_fincl{k}", str, [], "",
           f"fields of tape h{k - 1} ('H2OSOI', 'QHR:I', ...)"
           + ("; empty: every field" if k == 1 else ""), reference=_CLM)
    for k in range(1, 5)
]

# --- the root scale (issue 18): hrclm.rhizosphere ---------------------------
_UNV = "UNVERIFIED"
_PHREEQC = ("Gaines-Thomas log K vs Na+ of PHREEQC's database (Appelo & Postma 2005, "
            "Geochemistry, Groundwater and Pollution, ch. 6)")
_CARSEL = ("Carsel & Parrish (1988) Water Resour. Res. 24:755, sandy-loam class mean as "
           "tabulated in common soil catalogues; UNVERIFIED against the paper here")
_BARBER = "order of magnitude after Barber (1995) Soil Nutrient Bioavailability; UNVERIFIED"
REGISTRY += [
    Option("rhizosphere_inparm", "rz_root_radius", float, 0.25e-3, "m",
           "radius of the root (fine-root range 0.1-0.5 mm)", (1e-5, 5e-3), reference=_UNV),
    Option("rhizosphere_inparm", "rz_outer_radius", float, 0.1, "m",
           "outer radius of the soil cylinder around the root (the HR study's 10 cm domain)",
           (1e-3, 1.0), lo_open=True),
    Option("rhizosphere_inparm", "rz_nr", int, 100, "1", "radial cells (geometric grid)",
           (4, 2000)),
    Option("rhizosphere_inparm", "rz_dtime", float, 900.0, "s", "time step of the root-scale "
           "model", (1.0, 86400.0)),
    Option("rhizosphere_inparm", "rz_sand", float, 65.0, "%", "sand content of the soil "
           "(CLM4.5 pedotransfer functions)", (0.0, 100.0), reference=_UNV),
    Option("rhizosphere_inparm", "rz_clay", float, 10.0, "%", "clay content of the soil",
           (0.0, 100.0), reference=_UNV),
    Option("rhizosphere_inparm", "rz_theta_init", float, 0.20, "m3 m-3",
           "initial water content (uniform)", (0.0, 1.0), lo_open=True, reference=_UNV),
    Option("rhizosphere_inparm", "rz_outer_bc", str, "no_flux", "",
           "outer boundary: 'no_flux', or 'bulk' soil (potential and solution of the start)",
           ("no_flux", "bulk")),
    Option("rhizosphere_inparm", "rz_psi_root_min", float, -1.5, "MPa",
           "lowest soil potential at the root surface; uptake is limited to keep it",
           (-100.0, 0.0), hi_open=True, reference="wilting point convention; " + _UNV),
    Option("rhizosphere_inparm", "rz_cec", float, 0.10, "molc kg-1",
           "cation exchange capacity of the soil (10 cmolc kg-1)", (0.0, 10.0), lo_open=True,
           reference=_UNV),
    Option("rhizosphere_inparm", "rz_bulk_density", float, 1400.0, "kg m-3", "dry bulk density",
           (100.0, 2700.0), reference=_UNV),
    Option("rhizosphere_inparm", "rz_kex_nh4", float, 10**0.6, "1",
           "Gaines-Thomas selectivity of NH4+ vs Na+", (0.0, 1e6), lo_open=True,
           reference=_PHREEQC + "; NH4 value UNVERIFIED here"),
    Option("rhizosphere_inparm", "rz_kex_k", float, 10**0.7, "1",
           "Gaines-Thomas selectivity of K+ vs Na+", (0.0, 1e6), lo_open=True, reference=_PHREEQC),
    Option("rhizosphere_inparm", "rz_kex_ca", float, 10**0.8, "1",
           "Gaines-Thomas selectivity of Ca2+ vs Na+", (0.0, 1e6), lo_open=True,
           reference=_PHREEQC),
    Option("rhizosphere_inparm", "rz_kex_mg", float, 10**0.6, "1",
           "Gaines-Thomas selectivity of Mg2+ vs Na+", (0.0, 1e6), lo_open=True,
           reference=_PHREEQC),
    Option("rhizosphere_inparm", "rz_d0", float, 1.0e-9, "m2 s-1",
           "diffusion coefficient of the ions in free water (one value for all keeps the "
           "solution neutral; 0.7-2.0e-9 for these ions)", (1e-12, 1e-7),
           reference="PHREEQC -dw values 0.7e-9 (Mg) to 2.03e-9 (Cl); single value UNVERIFIED"),
    Option("rhizosphere_inparm", "rz_dispersivity", float, 1.0e-3, "m",
           "longitudinal dispersivity", (0.0, 1.0), reference=_UNV),
    *[Option("rhizosphere_inparm", f"rz_imax_{ion}", float, v, "mol m-2 s-1",
             f"maximum uptake of {name} per root surface (Michaelis-Menten)", (0.0, 1e-4),
             reference=_BARBER)
      for ion, name, v in (("no3", "NO3-", 5.0e-8), ("nh4", "NH4+", 5.0e-8), ("k", "K+", 3.0e-8),
                           ("ca", "Ca2+", 1.0e-9), ("mg", "Mg2+", 1.0e-9))],
    *[Option("rhizosphere_inparm", f"rz_km_{ion}", float, v, "mol m-3",
             f"Michaelis constant of {name} uptake", (0.0, 100.0), lo_open=True,
             reference=_BARBER)
      for ion, name, v in (("no3", "NO3-", 0.025), ("nh4", "NH4+", 0.025), ("k", "K+", 0.015),
                           ("ca", "Ca2+", 0.05), ("mg", "Mg2+", 0.05))],
    *[Option("rhizosphere_inparm", f"rz_c_{ion}", float, v, "mol m-3",
             f"initial (bulk) {name} in the soil solution; Cl- balances the charge",
             (0.0, 1000.0), reference=_UNV)
      for ion, name, v in (("no3", "NO3-", 2.0), ("nh4", "NH4+", 0.5), ("k", "K+", 0.5),
                           ("ca", "Ca2+", 1.5), ("mg", "Mg2+", 0.5))],
    Option("rhizosphere_inparm", "rz_exudation", float, 1.0e-10, "mol m-1 s-1",
           "carbon exudation per root length (a tracer)", (0.0, 1e-5), reference=_UNV),
    Option("rhizosphere_inparm", "rz_fine_root_biomass", float, 300.0, "g m-2",
           "fine-root biomass of the patch (for the root length density)", (0.0, 1e5),
           lo_open=True, reference=_UNV),
    Option("rhizosphere_inparm", "rz_specific_root_length", float, 30.0, "m g-1",
           "specific root length of fine roots (for the root length density)", (0.0, 1e4),
           lo_open=True, reference=_UNV),
    Option("rhizosphere_inparm", "rz_hydraulics", str, "clapp_hornberger", "",
           "soil hydraulic curves of the root-scale soil: 'clapp_hornberger' (CLM4.5 pedotransfer "
           "functions of rz_sand, rz_clay) or 'van_genuchten' (Mualem, l = 0.5; rz_vg_*)",
           ("clapp_hornberger", "van_genuchten")),
    Option("rhizosphere_inparm", "rz_vg_theta_r", float, 0.065, "m3 m-3",
           "van Genuchten residual water content (must be < rz_vg_theta_s)", (0.0, 1.0),
           hi_open=True, reference=_CARSEL),
    Option("rhizosphere_inparm", "rz_vg_theta_s", float, 0.41, "m3 m-3",
           "van Genuchten saturated water content", (0.0, 1.0), lo_open=True, hi_open=True,
           reference=_CARSEL),
    Option("rhizosphere_inparm", "rz_vg_alpha", float, 7.5, "m-1",
           "van Genuchten alpha (inverse air-entry head)", (0.0, 1e4), lo_open=True,
           hi_open=True, reference=_CARSEL + " (0.075 cm-1)"),
    Option("rhizosphere_inparm", "rz_vg_n", float, 1.89, "1",
           "van Genuchten n (m = 1 - 1/n)", (1.0, 20.0), lo_open=True, hi_open=True,
           reference=_CARSEL),
    Option("rhizosphere_inparm", "rz_vg_ksat", float, 106.1e1 / 86400.0, "mm s-1",
           "saturated hydraulic conductivity (van Genuchten soil)", (0.0, 1000.0), lo_open=True,
           hi_open=True, reference=_CARSEL + " (106.1 cm d-1)"),
    Option("rhizosphere_inparm", "rz_root_boundary", str, "flux", "",
           "root boundary: 'flux' (diel series of rz_uptake_day, rz_efflux_night) or 'xylem' "
           "(q = K_r (psi_soil(a) - psi_xylem), K_r = 2 pi a rz_root_lp; diel xylem potential "
           "rz_psi_xylem_day, rz_psi_xylem_night)", ("flux", "xylem")),
    Option("rhizosphere_inparm", "rz_root_lp", float, 5.0e-8, "m s-1 MPa-1",
           "radial hydraulic conductivity of the root per unit root surface (root_boundary = "
           "'xylem')", (0.0, 1e-4),
           reference="order of magnitude 1e-8 to 1e-7 for fine roots after Steudle & Peterson "
                     "(1998) J. Exp. Bot. 49:775; UNVERIFIED"),
    Option("rhizosphere_inparm", "rz_ndays", float, 4.0, "d",
           "length of the run of 'hrclm rhizosphere'", (0.0, 3650.0), lo_open=True),
    Option("rhizosphere_inparm", "rz_uptake_day", float, 8.0e-11, "m2 s-1",
           "peak of the half-sine daytime (06-18 h) root water uptake per root length "
           "(root_boundary = 'flux')", (0.0, 1e-6), reference=_UNV),
    Option("rhizosphere_inparm", "rz_efflux_night", float, 2.0e-11, "m2 s-1",
           "night-time root water efflux (HR) per root length (root_boundary = 'flux'); 0: "
           "transpiration only", (0.0, 1e-6), reference=_UNV),
    Option("rhizosphere_inparm", "rz_psi_xylem_day", float, -1.5, "MPa",
           "root xylem potential at midday (half sine from the night value; root_boundary = "
           "'xylem')", (-100.0, 0.0), reference=_UNV),
    Option("rhizosphere_inparm", "rz_psi_xylem_night", float, -0.05, "MPa",
           "root xylem potential at night, set by the wettest rooted soil (root_boundary = "
           "'xylem')", (-100.0, 0.0), reference=_UNV),
    *[Option("rhizosphere_inparm", f"rz_efflux_{ion}", float, 0.0, "mol m-3",
             f"{name} in the water the root releases at night (xylem sap); Cl- balances the "
             "charge; all 0: pure water", (0.0, 1000.0), reference=_UNV)
      for ion, name in (("no3", "NO3-"), ("nh4", "NH4+"), ("k", "K+"), ("ca", "Ca2+"),
                        ("mg", "Mg2+"))],
]

_BY_GROUP = {}
for _opt in REGISTRY:
    _BY_GROUP.setdefault(_opt.group, {})[_opt.name] = _opt


def namelist_dir():
    """The folder holding defaults.nml, hr_on.nml, hr_off.nml and site namelists."""
    return resources.files("hrclm") / "namelists"


def _where(path):
    return f"namelist {path}" if path else "namelist"


def _check_value(opt, value, path):
    """Convert and check one value; raise InputError naming key, value and range."""
    where = f"{_where(path)}: &{opt.group} {opt.name} = {value!r}"
    values = value if isinstance(value, list) else [value]
    is_list_option = isinstance(opt.default, list)
    if isinstance(value, list) and not (opt.ensemble or is_list_option):
        raise InputError(f"{where} is not valid: {opt.name} takes one value, not a list",
                         argument=opt.name)
    per_pft = opt.name.endswith("_pft")
    if per_pft and len(values) > NPFT:
        raise InputError(f"{where} is not valid: {opt.name} has one entry per CLM4.5 PFT, at most "
                         f"{NPFT}", argument=opt.name)
    out = []
    for v in values:
        if per_pft and v is None:          # an entry left unset: the PFT takes the scalar option
            out.append(None)
            continue
        if opt.type is bool:
            if not isinstance(v, bool):
                raise InputError(f"{where} is not valid: expected .true. or .false.",
                                 argument=opt.name)
        elif opt.type is int:
            if isinstance(v, bool) or not isinstance(v, int):
                raise InputError(f"{where} is not valid: expected an integer in "
                                 f"{opt.valid_text()}", argument=opt.name)
        elif opt.type is float:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise InputError(f"{where} is not valid: expected a real number in "
                                 f"{opt.valid_text()} {opt.units}".rstrip(), argument=opt.name)
            v = float(v)
        elif opt.type is str:
            if not isinstance(v, str):
                raise InputError(f"{where} is not valid: expected a quoted string",
                                 argument=opt.name)
        if opt.valid is not None and opt.type is not bool:
            if opt.type is str:
                if v not in opt.valid:
                    raise InputError(f"{where} is not valid: use one of {opt.valid_text()}",
                                     argument=opt.name)
            else:
                lo, hi = opt.valid
                bad = v < lo or v > hi or (opt.lo_open and v == lo) or (opt.hi_open and v == hi)
                if bad:
                    raise InputError(f"{where} is out of range: valid is {opt.valid_text()} "
                                     f"{opt.units}".rstrip(), argument=opt.name)
                if opt.name == "dtime" and 86400.0 % v != 0.0:
                    raise InputError(f"{where} is not valid: the time step must divide one day "
                                     "(86400 s) evenly, e.g. 900, 1800 or 3600 s",
                                     argument=opt.name)
        out.append(v)
    if is_list_option or (opt.ensemble and isinstance(value, list)):
        return out
    return out[0]


class Config:
    """Resolved configuration: every registered option with its value.

    Build with :func:`load_config`. Values are reached as ``config[name]``
    (names are unique across groups) or ``config.groups[group][name]``.
    """

    def __init__(self, groups, sources):
        self.groups = groups
        self.sources = sources

    def __getitem__(self, name):
        for values in self.groups.values():
            if name in values:
                return values[name]
        raise KeyError(name)

    def ncolumns(self):
        """Number of columns: the common length of the list-valued ensemble options."""
        lengths = {len(v) for g in self.groups.values() for k, v in g.items()
                   if isinstance(v, list) and _BY_GROUP_NAME[k].ensemble}
        lengths.discard(1)
        if len(lengths) > 1:
            raise InputError("ensemble options have lists of different lengths "
                             f"{sorted(lengths)}; give each one value or the same number of values")
        return lengths.pop() if lengths else 1

    def column_values(self, name):
        """Values of an option per column (a list of ncolumns())."""
        v = self[name]
        n = self.ncolumns()
        return list(v) * (n if len(v) == 1 else 1) if isinstance(v, list) else [v] * n

    def to_namelist(self):
        """The complete resolved configuration as namelist text."""
        # empty lists (unset list options) are left out: Fortran has no empty literal
        nml = f90nml.Namelist({g: {k: x for k, x in v.items() if x != []}
                               for g, v in self.groups.items()})
        buf = io.StringIO()
        nml.write(buf)
        return buf.getvalue()

    def replace(self, **changes):
        """A copy with some options changed (checked like namelist values)."""
        groups = {g: dict(v) for g, v in self.groups.items()}
        for name, value in changes.items():
            opt = _BY_GROUP_NAME.get(name)
            if opt is None:
                raise InputError(_unknown_key_message(name, None, None), argument=name)
            groups[opt.group][name] = _check_value(opt, value, None)
        return Config(groups, self.sources + ["(overrides)"])


_BY_GROUP_NAME = {o.name: o for o in REGISTRY}


def _unknown_key_message(key, group, path):
    if group and key in _BY_GROUP_NAME:
        return (f"{_where(path)}: group &{group} has no option {key!r}; it belongs in "
                f"&{_BY_GROUP_NAME[key].group}")
    names = list(_BY_GROUP.get(group, {})) if group else list(_BY_GROUP_NAME)
    close = difflib.get_close_matches(key, names, n=1) or \
        difflib.get_close_matches(key, list(_BY_GROUP_NAME), n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    in_group = f" group &{group}" if group else ""
    return f"{_where(path)}:{in_group} has no option {key!r}{hint}"


def defaults():
    """The registry's defaults as a Config."""
    groups = {}
    for opt in REGISTRY:
        groups.setdefault(opt.group, {})[opt.name] = (list(opt.default)
                                                      if isinstance(opt.default, list)
                                                      else opt.default)
    return Config(groups, ["registry defaults"])


def read_namelist(path):
    """Read and check one namelist file; return {group: {name: value}}."""
    path = existing_file(path, "namelist file", "namelist",
                         "; give namelist files (e.g. US-SRM.nml hr_on.nml)")
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"namelist {path} could not be read as text ({type(err).__name__}); "
                         "give a Fortran namelist file", argument="namelist") from None
    _refuse_repeats(text, path)
    try:
        nml = f90nml.read(str(path))
    except Exception as err:  # f90nml raises several types for malformed files
        raise InputError(f"namelist {path} could not be read as a Fortran namelist: {err}",
                         argument="namelist") from None
    if not len(nml):
        raise InputError(f"namelist {path} holds no namelist group; an empty file is almost "
                         "certainly a mistake: give groups such as &hrclm_inparm ... / (or "
                         "leave the file out to run the defaults)", argument="namelist")
    out = {}
    for group, values in nml.items():
        if group not in _BY_GROUP:
            close = difflib.get_close_matches(group, list(_BY_GROUP), n=1)
            hint = f"; did you mean &{close[0]}?" if close else ""
            raise InputError(f"namelist {path}: unknown group &{group}{hint} (valid groups: "
                             f"{', '.join('&' + g for g in _BY_GROUP)})", argument=group)
        for key, value in values.items():
            opt = _BY_GROUP[group].get(key)
            if opt is None:
                raise InputError(_unknown_key_message(key, group, path), argument=key)
            start = getattr(values, "start_index", {}).get(key)
            if start and start[0] and isinstance(value, list):
                value = [None] * (start[0] - 1) + value       # x(10) = ...: entries 1-9 unset
            elif start and start[0] and start[0] > 1:
                value = [None] * (start[0] - 1) + [value]
            out.setdefault(group, {})[key] = _check_value(opt, value, path)
    return out


_STRING = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")
_GROUP_START = re.compile(r"[&$]\s*([A-Za-z_]\w*)")
_KEY = re.compile(r"([A-Za-z_][\w%]*)\s*(\([^)]*\))?\s*=")


def _refuse_repeats(text, path):
    """A group or a key given twice in one file is refused (f90nml would take
    the last silently), naming both lines."""
    groups, keys, group = {}, {}, None
    for lineno, line in enumerate(text.splitlines(), 1):
        line = _STRING.sub("''", line).split("!", 1)[0]
        pos = 0
        while pos < len(line):
            if group is None:
                m = _GROUP_START.search(line, pos)
                if not m:
                    break
                name = m.group(1).lower()
                if name in ("end",):
                    pos = m.end()
                    continue
                if name in groups:
                    raise InputError(f"namelist {path}: group &{name} is given twice (lines "
                                     f"{groups[name]} and {lineno}); give each group once",
                                     argument=name)
                groups[name] = lineno
                group, keys, pos = name, {}, m.end()
                continue
            end = re.compile(r"/|[&$]\s*end\b", re.I).search(line, pos)
            stop = end.start() if end else len(line)
            for m in _KEY.finditer(line, pos, stop):
                key = (m.group(1) + re.sub(r"\s", "", m.group(2) or "")).lower()
                if key in keys:
                    raise InputError(f"namelist {path}: &{group} {key} is given twice (lines "
                                     f"{keys[key]} and {lineno}); give each option once",
                                     argument=key)
                keys[key] = lineno
            if end is None:
                break
            group, pos = None, end.end()


def load_config(*paths, **overrides):
    """Defaults, then each namelist file in order, then keyword overrides.

    Parameters
    ----------
    *paths : str or Path
        Namelist files. A bare name such as ``"hr_on.nml"`` or ``"US-SRM.nml"``
        that does not exist as a path is looked up in :func:`namelist_dir`.
    **overrides
        Option values by name (checked like namelist values).

    Returns
    -------
    Config
    """
    config = defaults()
    groups = {g: dict(v) for g, v in config.groups.items()}
    sources = ["registry defaults"]
    for p in paths:
        if not isinstance(p, (str, PathLike)):
            raise InputError(f"namelist {p!r} is a {type(p).__name__}; give namelist file paths "
                             "(str or Path), e.g. load_config('US-SRM.nml', 'hr_on.nml')",
                             argument="namelist")
        p = Path(p)
        if not p.exists() and p.parent == Path("."):
            packaged = namelist_dir() / p.name
            if packaged.is_file():
                p = Path(str(packaged))
        for group, values in read_namelist(p).items():
            groups[group].update(values)
        sources.append(str(p))
    config = Config(groups, sources)
    if overrides:
        config = config.replace(**overrides)
    config.ncolumns()          # lists of different lengths fail here
    return config


def registry_table(markdown=False):
    """The registry as a text table (``hrclm namelist``) or Markdown (docs)."""
    rows = [("group", "option", "type", "default", "units", "valid", "description")]
    for o in REGISTRY:
        default = _fortran_literal(o.default)
        typ = o.type.__name__ + (" or list" if o.ensemble else "")
        desc = o.doc + (f" [{o.reference}]" if o.reference else "")
        rows.append((o.group, o.name, typ, default, o.units or "-", o.valid_text(), desc))
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines) + "\n"
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    return "\n".join("  ".join(r[i].ljust(widths[i]) for i in range(6)) + "  " + r[6]
                     for r in rows) + "\n"


def options_markdown():
    """docs/namelist_options.md: a heading, a note, and the registry table."""
    return ("# Namelist options\n\nGenerated from the registry in `hrclm/config.py` by "
            "`hrclm namelist --markdown`; do not edit by hand. Units of `1` mean dimensionless. "
            "Options marked \"or list\" take one value per ensemble column.\n\n"
            + registry_table(markdown=True))


def _fortran_literal(value):
    if isinstance(value, bool):
        return ".true." if value else ".false."
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return ", ".join(_fortran_literal(v) for v in value) if value else "(empty)"
    return f"{value:g}" if isinstance(value, float) else str(value)


def defaults_namelist_text():
    """Text of namelists/defaults.nml, generated from the registry."""
    header = ("! hrclm default options, written from the registry in hrclm/config.py\n"
              "! (hrclm namelist --write-defaults). Do not edit by hand.\n")
    return header + defaults().to_namelist()


__all__ = ["Option", "REGISTRY", "Config", "defaults", "load_config", "read_namelist",
           "registry_table", "namelist_dir", "defaults_namelist_text", "options_markdown"]
