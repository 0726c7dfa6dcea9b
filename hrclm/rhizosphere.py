"""The root scale: water, solutes and cation exchange in the soil around one
root, under daytime transpiration and night-time hydraulic redistribution (HR).

The physics lives in the Fortran core (``fortran/RhizoWaterMod.F90``,
``RhizoSoluteMod.F90``, ``CationExchangeMod.F90``, ``RhizosphereMod.F90``);
this module shapes the inputs, converts a column run's layer fluxes to fluxes
per unit root length, and returns xarray Datasets on (time, r).

Geometry: a soil cylinder from the root surface (radius ``root_radius``) to
``outer_radius``; everything is per unit root length. The root water flux
``q_root`` [m2 s-1] is the volume of water crossing the root surface per metre
of root per second, positive for uptake, negative for efflux (night-time HR).

Units: radii in m, water content in m3 m-3, matric potential in mm (CLM),
concentrations in mol m-3 of soil solution (= mmol L-1), exchanger as
equivalent fractions of the CEC, fluxes per unit root length (water m2 s-1,
solutes mol m-1 s-1).

References
----------
de Jong van Lier, Q., Metselaar, K. and van Dam, J. C. (2006): Root water
extraction and limiting soil hydraulic conditions estimated by numerical
simulation. Vadose Zone J. 5, 1264-1277 (matric flux potential form).
Millington, R. J. and Quirk, J. P. (1961): Permeability of porous solids.
Trans. Faraday Soc. 57, 1200-1207.
Gaines, G. L. and Thomas, H. C. (1953): Adsorption studies on clay minerals.
II. J. Chem. Phys. 21, 714-718.
Appelo, C. A. J. and Postma, D. (2005): Geochemistry, Groundwater and
Pollution, 2nd ed., ch. 6 (exchange coefficients of PHREEQC's database).
Barber, S. A. (1995): Soil Nutrient Bioavailability, 2nd ed., Wiley
(Michaelis-Menten uptake at the root surface).
"""

import numpy as np
import xarray as xr

from ._fortran import core as _core, raise_on_error
from .errors import InputError

SOLUTES = ("NO3", "NH4", "K", "Ca", "Mg", "Cl", "H", "C_exudate")
"""Solutes carried, in the core's order. ``H`` is the H+ the root releases to
balance the charge of its uptake (negative: OH-/HCO3- released);
``C_exudate`` is a neutral tracer of exuded carbon."""

CHARGE = dict(NO3=-1, NH4=1, K=1, Ca=2, Mg=2, Cl=-1, H=1, C_exudate=0)
"""Charge of each solute [-]."""

CATIONS = ("NH4", "K", "Ca", "Mg")
"""Exchangeable cations (Gaines-Thomas), in the core's order."""

MPA_TO_MM = 1.0e6 / (1000.0 * 9.80616) * 1000.0
"""Matric potential: mm of water head per MPa (rho_w = 1000 kg m-3, g = 9.80616 m s-2)."""

#: Default parameters of :func:`run`; the same values are the defaults of the
#: namelist group &rhizosphere_inparm (hrclm.config), with sources there.
DEFAULTS = dict(
    root_radius=0.25e-3, outer_radius=0.1, nr=100, dtime=900.0,
    sand=65.0, clay=10.0, theta_init=0.20, outer_bc="no_flux", psi_outer=None,
    psi_root_min=-1.5, cec=0.10, bulk_density=1400.0,
    kex=dict(NH4=10**0.6, K=10**0.7, Ca=10**0.8, Mg=10**0.6),
    d0=1.0e-9, dispersivity=1.0e-3,
    imax=dict(NO3=5.0e-8, NH4=5.0e-8, K=3.0e-8, Ca=1.0e-9, Mg=1.0e-9, Cl=0.0, C_exudate=0.0),
    km=dict(NO3=0.025, NH4=0.025, K=0.015, Ca=0.05, Mg=0.05, Cl=1.0, C_exudate=1.0),
    c_init=dict(NO3=2.0, NH4=0.5, K=0.5, Ca=1.5, Mg=0.5, C_exudate=0.0),
    exudation=1.0e-10,
    hydraulics="clapp_hornberger",
    vg=dict(theta_r=0.065, theta_s=0.41, alpha=7.5, n=1.89, ksat=106.1e1 / 86400.0),
    root_boundary="flux", root_lp=5.0e-8,
    uptake_day=8.0e-11, efflux_night=2.0e-11, ndays=4,
    psi_xylem_day=-1.5, psi_xylem_night=-0.05,
    c_efflux=None,
)
"""``vg``: van Genuchten-Mualem parameters, ``theta_r``, ``theta_s`` [m3 m-3],
``alpha`` [m-1], ``n`` [-], ``ksat`` [mm s-1] (Carsel & Parrish 1988 sandy
loam: 0.065, 0.41, 0.075 cm-1, 1.89, 106.1 cm d-1). ``root_lp``: radial
hydraulic conductivity of the root per unit root surface [m s-1 MPa-1]."""


def _positive(name, value, units, hi=np.inf):
    v = float(value)
    if not (np.isfinite(v) and 0.0 < v < hi):
        raise InputError(f"{name} = {value!r} {units} is not valid: give a finite value > 0"
                         + (f" and < {hi}" if np.isfinite(hi) else ""), argument=name)
    return v


def radial_grid(root_radius, outer_radius, nr):
    """Node and face radii [m] of the model's geometric radial grid.

    Faces ``root_radius * (outer_radius/root_radius)**(k/nr)``, k = 0..nr; nodes
    at the geometric mean of their two faces. Returns ``(r_node, r_face)``.
    """
    a = float(root_radius)
    b = float(outer_radius)
    if not a > 0:
        raise InputError(f"root_radius = {root_radius!r} m is not valid: the root radius must be "
                         "> 0 m (e.g. 0.25e-3)", argument="root_radius")
    if not b > a:
        raise InputError(f"outer_radius = {outer_radius!r} m is not valid: it must exceed the root "
                         f"radius {a} m", argument="outer_radius")
    faces = a * (b / a) ** (np.arange(int(nr) + 1) / int(nr))
    faces[0], faces[-1] = a, b
    return np.sqrt(faces[:-1] * faces[1:]), faces


def root_length_density(fine_root_biomass, specific_root_length, root_fraction, dz):
    """Root length density of a soil layer [m root per m3 soil].

    ``L_v = B_fr * SRL * f_layer / dz``: the patch's fine-root biomass per
    ground area ``B_fr`` [g m-2] times its specific root length ``SRL``
    [m g-1] is the root length per ground area [m m-2]; the layer holds the
    fraction ``f_layer`` [-] of it (CLM's root fraction of the layer) spread
    over its thickness ``dz`` [m].

    Parameters are scalars or arrays that broadcast. All must be > 0 (the
    root fraction may be 0, which gives 0).
    """
    b, s, f, dz = (np.asarray(x, dtype=float) for x in
                   (fine_root_biomass, specific_root_length, root_fraction, dz))
    for name, arr, units in (("fine_root_biomass", b, "g m-2"), ("specific_root_length", s, "m g-1"),
                             ("dz", dz, "m")):
        if not np.all(np.isfinite(arr) & (arr > 0)):
            raise InputError(f"{name} = {arr!r} {units} is not valid: give values > 0",
                             argument=name)
    if not np.all(np.isfinite(f) & (f >= 0) & (f <= 1)):
        raise InputError(f"root_fraction = {f!r} is not valid: give values in [0, 1]",
                         argument="root_fraction")
    return b * s * f / dz


CARBON_FRACTION = 0.5
"""Carbon per dry biomass of fine roots [gC g-1] (the usual 0.5; CLM's
carbon pools convert to biomass with the same factor)."""


def root_length_density_from_column(column, layer, specific_root_length,
                                    carbon_fraction=CARBON_FRACTION):
    """Root length density of a soil layer [m m-3] from a column run with
    carbon: each patch's mean fine-root carbon FROOTC_PATCH [gC m-2] over the
    run, as biomass (/ ``carbon_fraction``), times ``specific_root_length``
    [m g-1], the patch's root fraction in the layer (ROOTFR) and its cover
    weight, summed over patches and spread over the layer's thickness:
    ``L_v = sum_p w_p (C_fr,p / f_C) SRL r_p,j / dz_j``
    (:func:`root_length_density` per patch)."""
    missing = [v for v in ("FROOTC_PATCH", "ROOTFR", "dzsoi", "pft_weight") if v not in column]
    if missing:
        raise InputError(f"the column output has no {', '.join(missing)}; give the h0 tape of a "
                         "run with carbon (use_carbon, the CLM4.5 canopy) that keeps "
                         "FROOTC_PATCH", argument="column")
    nlev = column.sizes["levsoi"]
    if not (isinstance(layer, (int, np.integer)) and 0 <= layer < nlev):
        raise InputError(f"layer = {layer!r} is not valid: give a soil layer index in "
                         f"[0, {nlev - 1}]", argument="layer")
    frootc = column["FROOTC_PATCH"].mean("time").values          # (patch,)
    if not np.all(frootc > 0):
        raise InputError(f"fine-root carbon {np.round(frootc, 3).tolist()} gC m-2 (mean "
                         "FROOTC_PATCH) has a patch without fine roots: the run has no "
                         "carbon, or no leaves", argument="column")
    _positive("carbon_fraction", carbon_fraction, "gC g-1", hi=1.0)
    dz = float(column["dzsoi"][layer])
    rootfr = column["ROOTFR"].isel(levsoi=layer).values
    weights = column["pft_weight"].values
    return float(np.sum(weights * root_length_density(frootc / carbon_fraction,
                                                      specific_root_length, rootfr, dz)))


def flux_per_root_length(layer_flux, rld, dz):
    """Water flux per unit root length [m2 s-1] from a layer flux per ground area.

    ``q = layer_flux * 1e-3 / (rld * dz)``: a flux of ``layer_flux`` [mm s-1]
    (= 1e-3 m3 of water per m2 of ground per s) through ``rld * dz`` metres of
    root per m2 of ground. Sign kept: give net uptake (positive) to get the
    root-scale convention (positive = uptake).
    """
    rld = _positive("rld", rld, "m m-3")
    dz = _positive("dz", dz, "m")
    return np.asarray(layer_flux, dtype=float) * 1.0e-3 / (rld * dz)


def diel_root_flux(ndays, dtime, uptake_day, efflux_night, day_start=6.0, day_end=18.0):
    """A diel root water flux per root length [m2 s-1]: a half-sine of uptake
    peaking at ``uptake_day`` [m2 s-1] between ``day_start`` and ``day_end``
    [h], and a constant efflux ``efflux_night`` [m2 s-1] (>= 0, applied as
    negative flux) at night. Values at the middle of each step of ``dtime`` s."""
    dtime = _positive("dtime", dtime, "s")
    n = int(round(ndays * 86400.0 / dtime))
    hour = ((np.arange(n) + 0.5) * dtime / 3600.0) % 24.0
    day = (hour >= day_start) & (hour < day_end)
    q = np.where(day, uptake_day * np.sin(np.pi * (hour - day_start) / (day_end - day_start)),
                 -abs(efflux_night))
    return q


def balanced_solution(c):
    """Complete a solution composition {solute: mol m-3} with Cl- so that it is
    electrically neutral; InputError if the anions already exceed the cations."""
    out = {k: float(c.get(k, 0.0)) for k in SOLUTES}
    for k, v in out.items():
        if not (np.isfinite(v) and v >= 0.0) and k != "H":
            raise InputError(f"concentration of {k} = {v!r} mol m-3 is not valid: "
                             "concentrations must be >= 0", argument="c_init")
    excess = sum(CHARGE[k] * v for k, v in out.items() if k != "Cl")
    if "Cl" in c and c["Cl"] is not None:
        return out
    if excess < 0:
        raise InputError(f"the solution has {-excess:g} molc m-3 more anions than cations; "
                         "give more cations or less nitrate", argument="c_init")
    out["Cl"] = excess
    return out


HYDRAULICS = ("clapp_hornberger", "van_genuchten")
ROOT_BOUNDARIES = ("flux", "xylem")


def root_conductance(root_lp, root_radius=DEFAULTS["root_radius"]):
    """Radial root conductance per unit root length [m2 s-1 per m of water
    head] from the root's radial hydraulic conductivity per unit surface
    ``root_lp`` [m s-1 MPa-1]: ``K_r = 2 pi a Lp_r / (MPa in m of head)``.

    The root water flux is then ``q = K_r (psi_soil(a) - psi_xylem)`` [m2 s-1],
    positive for uptake, with potentials in m of head.
    """
    lp = float(root_lp)
    if not (np.isfinite(lp) and lp >= 0.0):
        raise InputError(f"root_lp = {root_lp!r} m s-1 MPa-1 is not valid: give a value >= 0",
                         argument="root_lp")
    return 2.0 * np.pi * float(root_radius) * lp / (MPA_TO_MM * 1.0e-3)


def diel_xylem_potential(ndays, dtime, psi_day, psi_night, day_start=6.0, day_end=18.0):
    """A diel root xylem potential [MPa]: ``psi_night`` at night, falling as a
    half sine to ``psi_day`` at midday between ``day_start`` and ``day_end``
    [h]. Values at the middle of each step of ``dtime`` s."""
    dtime = _positive("dtime", dtime, "s")
    n = int(round(ndays * 86400.0 / dtime))
    hour = ((np.arange(n) + 0.5) * dtime / 3600.0) % 24.0
    day = (hour >= day_start) & (hour < day_end)
    return np.where(day, psi_night + (psi_day - psi_night)
                    * np.sin(np.pi * (hour - day_start) / (day_end - day_start)), psi_night)


def _soil_arrays(hydraulics, soil, vg, sand, clay):
    """(model code, watsat, sucsat, bsw, hksat, theta_r, alpha, n) for the core."""
    if hydraulics not in HYDRAULICS:
        raise InputError(f"hydraulics = {hydraulics!r} is not valid; use "
                         f"{' or '.join(repr(h) for h in HYDRAULICS)}", argument="hydraulics")
    if hydraulics == "van_genuchten":
        p = dict(DEFAULTS["vg"], **(vg or {}))
        unknown = set(p) - set(DEFAULTS["vg"])
        if unknown:
            raise InputError(f"vg has {sorted(unknown)}, which are not van Genuchten parameters; "
                             f"use {', '.join(DEFAULTS['vg'])}", argument="vg")
        return (1, float(p["theta_s"]), 0.0, 0.0, float(p["ksat"]), float(p["theta_r"]),
                float(p["alpha"]), float(p["n"]))
    if soil is None:
        from .soil import soil_properties
        q = soil_properties(sand, clay, 0.1)
        soil = dict(watsat=float(q.watsat), sucsat=float(q.sucsat), bsw=float(q.bsw),
                    hksat=float(q.hksat))
    return (0, *(float(soil[k]) for k in ("watsat", "sucsat", "bsw", "hksat")), 0.0, 0.0, 0.0)


def soil_hydraulics(theta=(), psi=(), *, hydraulics="clapp_hornberger", soil=None, vg=None,
                    sand=DEFAULTS["sand"], clay=DEFAULTS["clay"]):
    """The root-scale soil's curves, from the core (``RhizoWaterMod``).

    Returns a dict: at the water contents ``theta`` [m3 m-3], ``psi`` [mm],
    ``phi`` (matric flux potential) [m2 s-1] and ``dphi`` (dPhi/dtheta);
    at the potentials ``psi`` [mm], ``theta_of_psi`` [m3 m-3] and
    ``phi_of_psi`` [m2 s-1].
    """
    args = _soil_arrays(hydraulics, soil, vg, sand, clay)
    th = np.ascontiguousarray(np.atleast_1d(np.asarray(theta, dtype=float)))
    ps = np.ascontiguousarray(np.atleast_1d(np.asarray(psi, dtype=float)))
    n = max(th.size, ps.size, 1)
    th = np.resize(th, n) if th.size else np.full(n, args[1])
    ps = np.resize(ps, n) if ps.size else np.full(n, -1000.0)
    out = [np.zeros(n) for _ in range(5)]
    ierr, errmsg = _core.f90wrap_hrclm_api__api_rhizo_soil(n, *args, th, ps, *out)
    raise_on_error(ierr, errmsg)
    return dict(zip(("psi", "phi", "dphi", "theta_of_psi", "phi_of_psi"), out))


def _cation_arrays(values, name, units):
    d = dict(values)
    unknown = set(d) - set(CATIONS)
    if unknown:
        raise InputError(f"{name} has {sorted(unknown)}, which are not exchangeable cations; "
                         f"use {', '.join(CATIONS)}", argument=name)
    return np.array([float(d.get(k, 0.0)) for k in CATIONS])


def exchange_fractions(conc, kex=None):
    """Gaines-Thomas equivalent fractions of NH4, K, Ca, Mg on the exchanger
    in equilibrium with a solution ``conc`` {cation: mol m-3} [-].

    ``E_i = K_i c_i x^z_i`` with c in mol L-1 and ``sum E_i = 1`` (see
    ``fortran/CationExchangeMod.F90``); ``kex`` {cation: K vs Na+} defaults
    to :data:`DEFAULTS`. Returns a dict {cation: E}.
    """
    c = _cation_arrays(conc, "conc", "mol m-3")
    k = _cation_arrays(dict(DEFAULTS["kex"], **(kex or {})), "kex", "")
    z = np.array([float(CHARGE[i]) for i in CATIONS])
    frac = np.zeros(len(CATIONS))
    ierr, errmsg = _core.f90wrap_hrclm_api__api_gaines_thomas_fractions(len(CATIONS), c, z, k, frac)
    raise_on_error(ierr, errmsg)
    return dict(zip(CATIONS, frac))


def exchange_equilibrium(total, theta, cecv, kex=None):
    """Partition the totals {cation: mol m-3 of soil} (solution + exchanger)
    between the solution [mol m-3 of water] and the exchanger (equivalent
    fractions) at water content ``theta`` [m3 m-3] and exchange capacity
    ``cecv`` [molc m-3 of soil]. Returns ``(conc, frac)`` as dicts."""
    t = _cation_arrays(total, "total", "mol m-3")
    k = _cation_arrays(dict(DEFAULTS["kex"], **(kex or {})), "kex", "")
    z = np.array([float(CHARGE[i]) for i in CATIONS])
    conc = np.zeros(len(CATIONS)); frac = np.zeros(len(CATIONS))
    ierr, errmsg = _core.f90wrap_hrclm_api__api_gaines_thomas_equilibrium(
        len(CATIONS), t, float(theta), float(cecv), z, k, conc, frac)
    raise_on_error(ierr, errmsg)
    return dict(zip(CATIONS, conc)), dict(zip(CATIONS, frac))


def run(q_root, dtime=DEFAULTS["dtime"], *, root_radius=DEFAULTS["root_radius"],
        outer_radius=DEFAULTS["outer_radius"], nr=DEFAULTS["nr"], soil=None,
        sand=DEFAULTS["sand"], clay=DEFAULTS["clay"], theta_init=DEFAULTS["theta_init"],
        outer_bc=DEFAULTS["outer_bc"], psi_outer=DEFAULTS["psi_outer"],
        psi_root_min=DEFAULTS["psi_root_min"], solutes=True, c_init=None, c_outer=None,
        cec=DEFAULTS["cec"], bulk_density=DEFAULTS["bulk_density"], kex=None,
        d0=DEFAULTS["d0"], dispersivity=DEFAULTS["dispersivity"], imax=None, km=None,
        exudation=DEFAULTS["exudation"], time=None, hydraulics=DEFAULTS["hydraulics"], vg=None,
        root_boundary=DEFAULTS["root_boundary"], psi_xylem=None, root_lp=DEFAULTS["root_lp"],
        c_efflux=DEFAULTS["c_efflux"]):
    """Run the single-root model under a time series of root water fluxes.

    Parameters
    ----------
    q_root : array_like (nstep,) or None
        Water flux across the root surface per unit root length [m2 s-1]
        for each step, positive for uptake, negative for efflux (HR). Uptake is
        limited so that the soil at the root surface stays above
        ``psi_root_min``; the flux applied is returned as ``QROOT``. Not used
        (give None) with ``root_boundary="xylem"``.
    dtime : float
        Step length [s].
    root_radius, outer_radius : float
        Root radius and outer radius of the soil cylinder [m].
    nr : int
        Radial cells (geometric grid, fine near the root).
    hydraulics : {"clapp_hornberger", "van_genuchten"}
        Soil hydraulic curves. ``vg`` (dict) gives the van Genuchten-Mualem
        parameters ``theta_r``, ``theta_s`` [m3 m-3], ``alpha`` [m-1], ``n``
        [-], ``ksat`` [mm s-1] (defaults in :data:`DEFAULTS`; Mualem l = 0.5).
    soil : dict, optional
        Clapp-Hornberger parameters ``watsat`` [m3 m-3], ``sucsat`` [mm],
        ``bsw`` [-], ``hksat`` [mm s-1]; default: CLM4.5 pedotransfer
        functions of ``sand`` and ``clay`` [%].
    theta_init : float or array_like (nr,)
        Initial water content [m3 m-3].
    outer_bc : {"no_flux", "bulk"}
        Outer boundary: no flux of water or solutes, or the bulk soil with
        potential ``psi_outer`` [MPa] (default: that of ``theta_init`` at the
        outer node) and solution ``c_outer``.
    psi_root_min : float
        Lowest soil matric potential at the root surface [MPa].
    solutes : bool
        Carry solutes and cation exchange (False: water only).
    c_init : dict, optional
        Initial soil solution {solute: mol m-3}, uniform; Cl- completes the
        charge balance unless given. ``c_outer`` likewise (default c_init).
    cec : float
        Cation exchange capacity [molc kg-1]; ``bulk_density`` [kg m-3].
    kex : dict, optional
        Gaines-Thomas selectivity coefficients vs Na+ of NH4, K, Ca, Mg [-].
    d0 : float
        Diffusion coefficient in free water [m2 s-1] (one for all ions, which
        keeps the solution electrically neutral); ``dispersivity`` [m].
    imax, km : dict, optional
        Michaelis-Menten maximum influx per root surface [mol m-2 s-1] and
        half-saturation concentration [mol m-3] per solute.
    exudation : float
        Carbon exudation per root length [mol m-1 s-1].
    root_boundary : {"flux", "xylem"}
        ``"flux"``: the root water flux is ``q_root``. ``"xylem"``: it is
        computed every step as ``q = K_r (psi_a - psi_xylem)`` from the soil
        potential at the root surface ``psi_a`` (solved with the flow in the
        soil) and the xylem potential ``psi_xylem`` [MPa] (array, one value
        per step), with ``K_r = 2 pi a root_lp`` (:func:`root_conductance`)
        and ``root_lp`` the root's radial conductivity per surface [m s-1
        MPa-1]; efflux when the xylem is wetter than the soil. ``psi_root_min``
        does not apply.
    c_efflux : dict, optional
        Solution {solute: mol m-3} carried by water the root releases
        (efflux); default pure water. Cl- completes the charge balance.
    time : array_like, optional
        Time coordinate (the end of each step); default seconds from the start.

    Returns
    -------
    xarray.Dataset
        On (time, r): ``THETA`` [m3 m-3], ``PSI`` [mm], ``C_<solute>``
        [mol m-3], ``X_<cation>`` exchanged [mol m-3 soil], ``E_<cation>``
        equivalent fraction [-]; on (time): ``QROOT`` [m2 s-1],
        ``U_<solute>`` uptake [mol m-1 s-1], ``R_<solute>`` released with
        the efflux [mol m-1 s-1], ``PSI_ROOT`` soil potential at the root
        surface [mm] (and ``PSI_XYLEM`` [mm] in xylem mode), ``WBAL`` [m2] and
        ``SBAL_<solute>`` [mol m-1] balance residuals per step, ``NSUB``;
        coordinates ``r`` (nodes) and ``r_face``, ``volume`` [m2] per cell.

    Raises
    ------
    InputError
        For bad input (one sentence naming the argument and what is valid).
    """
    if root_boundary not in ROOT_BOUNDARIES:
        raise InputError(f"root_boundary = {root_boundary!r} is not valid; use 'flux' or 'xylem'",
                         argument="root_boundary")
    xylem = root_boundary == "xylem"
    series, sname, sunits = (psi_xylem, "psi_xylem", "MPa") if xylem else (q_root, "q_root",
                                                                          "m2 s-1")
    if series is None:
        raise InputError(f"{sname} is missing; give a time series [{sunits}] for root_boundary = "
                         f"{root_boundary!r}", argument=sname)
    q = np.ascontiguousarray(np.atleast_1d(np.asarray(series, dtype=np.float64)))
    if q.ndim != 1 or q.size == 0:
        raise InputError(f"{sname} has shape {np.shape(series)}; give a 1-D time series",
                         argument=sname)
    if not np.all(np.isfinite(q)):
        raise InputError(f"{sname} holds NaN or infinite values; give finite values [{sunits}]",
                         argument=sname)
    if xylem:
        psix = np.ascontiguousarray(q * MPA_TO_MM)
        kroot = root_conductance(root_lp, root_radius)
        q = np.zeros(q.size)
    else:
        psix = np.zeros(q.size)
        kroot = 0.0
    dtime = _positive("dtime", dtime, "s")
    nr = int(nr)
    if nr < 2:
        raise InputError(f"nr = {nr} is not valid: give at least 2 radial cells", argument="nr")
    r_node, r_face = radial_grid(root_radius, outer_radius, nr)
    hyd = _soil_arrays(hydraulics, soil, vg, sand, clay)
    watsat = hyd[1]
    th0 = np.ascontiguousarray(np.broadcast_to(np.asarray(theta_init, dtype=float), (nr,)))
    if outer_bc not in ("no_flux", "bulk"):
        raise InputError(f"outer_bc = {outer_bc!r} is not valid; use 'no_flux' or 'bulk'",
                         argument="outer_bc")
    if psi_outer is None:
        if hyd[0] == 0:
            s = min(max(th0[-1] / watsat, 0.01), 1.0)
            psi_outer_mm = -hyd[2] * s ** (-hyd[3])
        else:
            psi_outer_mm = float(soil_hydraulics(th0[-1], hydraulics=hydraulics, vg=vg)["psi"][0])
    else:
        psi_outer_mm = float(psi_outer) * MPA_TO_MM
    psi_min_mm = float(psi_root_min) * MPA_TO_MM

    c0 = balanced_solution(DEFAULTS["c_init"] if c_init is None else c_init)
    cb = c0 if c_outer is None else balanced_solution(c_outer)
    ce = {k: 0.0 for k in SOLUTES} if c_efflux is None else balanced_solution(c_efflux)
    kx = dict(DEFAULTS["kex"], **(kex or {}))
    im = dict(DEFAULTS["imax"], **(imax or {}))
    kmm = dict(DEFAULTS["km"], **(km or {}))
    for name, d, keys in (("kex", kx, CATIONS),):
        for k in keys:
            v = float(d[k])
            if not (np.isfinite(v) and v > 0):
                raise InputError(f"selectivity coefficient kex[{k!r}] = {v!r} is not valid: "
                                 "selectivity coefficients must be > 0", argument="kex")
    c_arr = np.asfortranarray(np.tile([c0[k] for k in SOLUTES], (nr, 1)))
    cb_arr = np.array([cb[k] for k in SOLUTES])
    ce_arr = np.array([ce[k] for k in SOLUTES])
    imax_arr = np.array([float(im.get(k, 0.0)) for k in SOLUTES])
    km_arr = np.array([float(kmm.get(k, 1.0)) for k in SOLUTES])
    kex_arr = np.array([float(kx[k]) for k in CATIONS])
    if solutes:
        _positive("cec", cec, "molc kg-1")
        _positive("bulk_density", bulk_density, "kg m-3")

    nstep, ns, nc = q.size, len(SOLUTES), len(CATIONS)
    rn = np.zeros(nr); rf = np.zeros(nr + 1)
    theta = np.zeros((nr, nstep), order="F"); psi = np.zeros((nr, nstep), order="F")
    conc = np.zeros((nr, ns, nstep), order="F"); frac = np.zeros((nr, nc, nstep), order="F")
    qact = np.zeros(nstep); psurf = np.zeros(nstep)
    upt = np.zeros((ns, nstep), order="F"); rel = np.zeros((ns, nstep), order="F")
    wbal = np.zeros(nstep); sbal = np.zeros((ns, nstep), order="F"); nsub = np.zeros(nstep)
    ierr, errmsg = _core.f90wrap_hrclm_api__api_rhizosphere_run(
        nr, nstep, ns, nc, float(root_radius), float(outer_radius), *hyd,
        psi_min_mm, 1 if outer_bc == "bulk" else 0, psi_outer_mm, th0, dtime,
        1 if xylem else 0, q, kroot, psix,
        1 if solutes else 0, c_arr, cb_arr, ce_arr, float(cec), float(bulk_density), kex_arr,
        float(d0), float(dispersivity), imax_arr, km_arr, float(exudation),
        rn, rf, theta, psi, conc, frac, qact, psurf, upt, rel, wbal, sbal, nsub)
    raise_on_error(ierr, errmsg)

    t = np.arange(1, nstep + 1) * dtime if time is None else np.asarray(time)
    vol = np.pi * (rf[1:] ** 2 - rf[:-1] ** 2)
    cecv = float(cec) * float(bulk_density)
    ds = xr.Dataset(coords=dict(
        time=("time", t), r=("r", rn, dict(long_name="radius of the cell node", units="m")),
        r_face=("r_face", rf, dict(long_name="radius of the cell faces", units="m")),
        volume=("r", vol, dict(long_name="cell volume per unit root length", units="m2"))))
    ds["THETA"] = (("time", "r"), theta.T, dict(long_name="volumetric water content",
                                                units="m3 m-3"))
    ds["PSI"] = (("time", "r"), psi.T, dict(long_name="soil matric potential", units="mm"))
    ds["QROOT"] = ("time", qact, dict(long_name="water flux across the root surface per root "
                                              "length, + uptake, mean over the step",
                                      units="m2 s-1"))
    ds["WBAL"] = ("time", wbal, dict(long_name="water balance residual of the step",
                                     units="m2"))
    ds["NSUB"] = ("time", nsub, dict(long_name="sub-steps used", units="1"))
    ds["PSI_ROOT"] = ("time", psurf, dict(long_name="soil matric potential at the root surface, "
                                                    "end of the step", units="mm"))
    if xylem:
        ds["PSI_XYLEM"] = ("time", psix, dict(long_name="root xylem potential", units="mm"))
    if solutes:
        for j, k in enumerate(SOLUTES):
            ds[f"C_{k}"] = (("time", "r"), conc[:, j, :].T,
                            dict(long_name=f"{k} in the soil solution", units="mol m-3"))
            ds[f"U_{k}"] = ("time", upt[j], dict(long_name=f"{k} uptake by the root per root "
                                                          "length, mean over the step",
                                                 units="mol m-1 s-1"))
            ds[f"R_{k}"] = ("time", rel[j], dict(long_name=f"{k} released into the soil with the "
                                                          "root's water efflux, mean over the step",
                                                 units="mol m-1 s-1"))
            ds[f"SBAL_{k}"] = ("time", sbal[j], dict(long_name=f"{k} balance residual of the step",
                                                     units="mol m-1"))
        for j, k in enumerate(CATIONS):
            ds[f"E_{k}"] = (("time", "r"), frac[:, j, :].T,
                            dict(long_name=f"equivalent fraction of the CEC held by {k}", units="1"))
            ds[f"X_{k}"] = (("time", "r"), frac[:, j, :].T * cecv / CHARGE[k],
                            dict(long_name=f"{k} on the exchanger", units="mol m-3"))
        ds["U_H"].attrs["long_name"] = "not used (H+ is released, see H_RELEASE)"
        ds["H_RELEASE"] = ("time", sum(CHARGE[k] * upt[j] for j, k in enumerate(SOLUTES[:6])),
                           dict(long_name="H+ released by the root to balance its uptake",
                                units="mol m-1 s-1"))
    ds.attrs.update(root_radius_m=float(root_radius), outer_radius_m=float(outer_radius),
                    dtime_s=dtime, outer_bc=outer_bc, hydraulics=hydraulics, watsat=watsat,
                    theta_r=hyd[5], hksat_mm_s=hyd[4], root_boundary=root_boundary,
                    root_conductance_m2_s_per_m=kroot, cec_molc_kg=float(cec),
                    bulk_density_kg_m3=float(bulk_density),
                    title="hrclm root-scale (single-root) model")
    if hyd[0] == 0:
        ds.attrs.update(sucsat_mm=hyd[2], bsw=hyd[3])
    else:
        ds.attrs.update(vg_alpha_m=hyd[6], vg_n=hyd[7])
    # the initial state, for balances and depletion measures
    ds.attrs["theta_init_mean"] = float(np.sum(vol * th0) / np.sum(vol))
    ds["THETA0"] = ("r", th0, dict(long_name="initial water content", units="m3 m-3"))
    if solutes:
        for k in SOLUTES:
            ds[f"C0_{k}"] = ("r", c_arr[:, SOLUTES.index(k)],
                             dict(long_name=f"initial {k} in solution", units="mol m-3"))
    return ds


def depletion_width(ds, solute="NO3", fraction=0.9, reference=None):
    """Width of the depletion zone around the root [m], per time.

    The distance from the root surface to the first node at which the
    solution concentration of ``solute`` has returned to ``fraction`` of the
    bulk value ``reference`` [mol m-3] (default: the initial concentration at
    the outer node). 0 when the node next to the root is already above it;
    the full domain when no node is.
    """
    if not 0 < fraction <= 1:
        raise InputError(f"fraction = {fraction!r} is not valid: give a value in (0, 1]",
                         argument="fraction")
    c = ds[f"C_{solute}"]
    ref = float(ds[f"C0_{solute}"][-1]) if reference is None else float(reference)
    above = (c >= fraction * ref).values
    r = ds["r"].values
    a = float(ds["r_face"][0])
    idx = np.where(above.any(axis=1), above.argmax(axis=1), len(r) - 1)
    width = np.where(idx == 0, 0.0, r[idx] - a)
    return xr.DataArray(width, coords=dict(time=ds["time"]), dims="time", name=f"DZW_{solute}",
                        attrs=dict(long_name=f"depletion-zone width of {solute} ({fraction:g} of "
                                             "bulk)", units="m"))


def value_at(ds, var, distance):
    """``ds[var]`` at the node nearest ``distance`` [m] from the root surface."""
    r = ds["r"].values - float(ds["r_face"][0])
    return ds[var].isel(r=int(np.argmin(np.abs(r - float(distance)))))


def run_from_column(column, layer, rld, *, dtime=None, root_boundary="flux",
                    root_lp=DEFAULTS["root_lp"], **kwargs):
    """Run the single-root model under one soil layer of a column run.

    The layer's net water flux per unit root length is
    ``q = (QROOTSINK - QHR) * 1e-3 / (rld * dz)`` [m2 s-1]: root uptake from
    the layer [mm s-1] minus what HR puts into it [mm s-1] (so that night-time
    HR into the layer is root efflux, negative q), through ``rld * dz`` metres
    of root per m2 of ground.

    With ``root_boundary="flux"`` (default) q is the root boundary. With
    ``"xylem"`` the root boundary is a xylem potential and the radial root
    conductance ``K_r`` (from ``root_lp`` [m s-1 MPa-1], see
    :func:`root_conductance`): the xylem potential series is derived so that
    the root-scale model's flux equals q, i.e. ``psi_x = psi_a - q / K_r``
    with ``psi_a`` the soil potential at the root surface of a water-only run
    under q; the run under that series then gives back q (night efflux = the
    column's HR into the layer divided by its root length) to the solver's
    tolerance, and ``PSI_XYLEM`` shows the xylem potential this implies
    (positive values would need root pressure). ``QROOT_MISMATCH`` [-] is the
    largest |QROOT - q| relative to max |q|.

    Parameters
    ----------
    column : xarray.Dataset
        Output of :func:`hrclm.run` with QROOTSINK and QHR on (time, levsoi)
        and the layer thickness ``dzsoi`` [m].
    layer : int
        0-based index of the soil layer.
    rld : float
        Root length density of that layer [m m-3]; see
        :func:`root_length_density`.
    **kwargs
        Passed to :func:`run`; ``theta_init`` defaults to the layer's first
        H2OSOI (capped at 0.95 of the root-scale soil's porosity).
    """
    for v in ("QROOTSINK", "QHR"):
        if v not in column:
            raise InputError(f"the column output has no {v}; run hrclm with it on the history "
                             "tape (hist_fincl1 empty keeps every field)", argument="column")
    nlev = column.sizes["levsoi"]
    if not (isinstance(layer, (int, np.integer)) and 0 <= layer < nlev):
        raise InputError(f"layer = {layer!r} is not valid: give a soil layer index in "
                         f"[0, {nlev - 1}]", argument="layer")
    dz = float(column["dzsoi"][layer])
    sink = column["QROOTSINK"].isel(levsoi=layer).values
    hr = column["QHR"].isel(levsoi=layer).values
    q = flux_per_root_length(sink - hr, rld, dz)
    if dtime is None:
        dtime = float(column.attrs.get("dtime", 1800.0))
        if column.sizes["time"] > 1:
            dtime = float((column["time"][1] - column["time"][0]) / np.timedelta64(1, "s"))
    if "theta_init" not in kwargs and "H2OSOI" in column:
        th = float(column["H2OSOI"].isel(levsoi=layer, time=0))
        if kwargs.get("hydraulics", DEFAULTS["hydraulics"]) == "van_genuchten":
            ws = float(dict(DEFAULTS["vg"], **(kwargs.get("vg") or {}))["theta_s"])
        elif kwargs.get("soil") is None:
            from .soil import soil_properties
            ws = float(soil_properties(kwargs.get("sand", DEFAULTS["sand"]),
                                       kwargs.get("clay", DEFAULTS["clay"]), 0.1).watsat)
        else:
            ws = float(kwargs["soil"]["watsat"])
        kwargs["theta_init"] = min(th, 0.95 * ws)
    time = column["time"].values + np.timedelta64(int(round(dtime)), "s")
    if root_boundary == "xylem":
        kw = {k: v for k, v in kwargs.items() if k not in ("solutes", "c_efflux")}
        water = run(q, dtime, time=time, solutes=False, **kw)
        kr = root_conductance(root_lp, kwargs.get("root_radius", DEFAULTS["root_radius"]))
        if not kr > 0:
            raise InputError(f"root_lp = {root_lp!r} m s-1 MPa-1 is not valid for root_boundary = "
                             "'xylem': give a value > 0", argument="root_lp")
        psi_x = (water.PSI_ROOT.values - water.QROOT.values / kr * 1.0e3) / MPA_TO_MM   # MPa
        ds = run(None, dtime, time=time, root_boundary="xylem", psi_xylem=psi_x,
                 root_lp=root_lp, **kwargs)
    elif root_boundary == "flux":
        ds = run(q, dtime, time=time, **kwargs)
    else:
        raise InputError(f"root_boundary = {root_boundary!r} is not valid; use 'flux' or 'xylem'",
                         argument="root_boundary")
    scale = float(np.max(np.abs(q))) if q.size else 0.0
    ds.attrs["QROOT_MISMATCH"] = (float(np.max(np.abs(ds.QROOT.values - q))) / scale
                                  if scale > 0 else 0.0)
    ds["QROOT_REQUESTED"] = ("time", q, dict(long_name="root water flux per root length from the "
                                                       "column layer, + uptake", units="m2 s-1"))
    ds.attrs.update(column_case=str(column.attrs.get("case", "")), column_layer=int(layer),
                    column_layer_depth_m=float(column["levsoi"][layer]), rld_m_m3=float(rld),
                    column_dz_m=dz)
    return ds


def config_kwargs(config):
    """Keyword arguments of :func:`run` from a Config's &rhizosphere_inparm."""
    g = config.groups["rhizosphere_inparm"]
    return dict(
        root_radius=g["rz_root_radius"], outer_radius=g["rz_outer_radius"], nr=g["rz_nr"],
        dtime=g["rz_dtime"], sand=g["rz_sand"], clay=g["rz_clay"], theta_init=g["rz_theta_init"],
        outer_bc=g["rz_outer_bc"], psi_root_min=g["rz_psi_root_min"], cec=g["rz_cec"],
        bulk_density=g["rz_bulk_density"],
        kex=dict(NH4=g["rz_kex_nh4"], K=g["rz_kex_k"], Ca=g["rz_kex_ca"], Mg=g["rz_kex_mg"]),
        d0=g["rz_d0"], dispersivity=g["rz_dispersivity"],
        imax=dict(NO3=g["rz_imax_no3"], NH4=g["rz_imax_nh4"], K=g["rz_imax_k"],
                  Ca=g["rz_imax_ca"], Mg=g["rz_imax_mg"]),
        km=dict(NO3=g["rz_km_no3"], NH4=g["rz_km_nh4"], K=g["rz_km_k"], Ca=g["rz_km_ca"],
                Mg=g["rz_km_mg"]),
        c_init=dict(NO3=g["rz_c_no3"], NH4=g["rz_c_nh4"], K=g["rz_c_k"], Ca=g["rz_c_ca"],
                    Mg=g["rz_c_mg"]),
        exudation=g["rz_exudation"],
        hydraulics=g["rz_hydraulics"],
        vg=dict(theta_r=g["rz_vg_theta_r"], theta_s=g["rz_vg_theta_s"], alpha=g["rz_vg_alpha"],
                n=g["rz_vg_n"], ksat=g["rz_vg_ksat"]),
        root_boundary=g["rz_root_boundary"], root_lp=g["rz_root_lp"],
        c_efflux=dict(NO3=g["rz_efflux_no3"], NH4=g["rz_efflux_nh4"], K=g["rz_efflux_k"],
                      Ca=g["rz_efflux_ca"], Mg=g["rz_efflux_mg"]),
    )


def run_config(config):
    """Run the single-root model from a Config's &rhizosphere_inparm: a diel
    root boundary of ``rz_ndays`` days, either the water flux (half-sine
    uptake peaking at ``rz_uptake_day``, constant efflux ``rz_efflux_night``)
    or the xylem potential (``rz_psi_xylem_night`` falling as a half sine to
    ``rz_psi_xylem_day`` at midday). Returns the Dataset of :func:`run`."""
    g = config.groups["rhizosphere_inparm"]
    kw = config_kwargs(config)
    dtime = kw.pop("dtime")
    if kw["root_boundary"] == "xylem":
        psi_x = diel_xylem_potential(g["rz_ndays"], dtime, g["rz_psi_xylem_day"],
                                     g["rz_psi_xylem_night"])
        if psi_x.size == 0:
            raise InputError(f"rz_ndays = {g['rz_ndays']} d is shorter than one step of "
                             f"rz_dtime = {dtime} s; give a longer run", argument="rz_ndays")
        return run(None, dtime, psi_xylem=psi_x, **kw)
    q = diel_root_flux(g["rz_ndays"], dtime, g["rz_uptake_day"], g["rz_efflux_night"])
    if q.size == 0:
        raise InputError(f"rz_ndays = {g['rz_ndays']} d is shorter than one step of "
                         f"rz_dtime = {dtime} s; give a longer run", argument="rz_ndays")
    return run(q, dtime, **kw)


def summary(ds):
    """Short text lines about a root-scale run: the water and solute balance
    errors and the depletion-zone widths at the end."""
    water = float((ds.volume * ds.THETA0).sum())
    days = ds.sizes["time"] * ds.attrs["dtime_s"] / 86400.0
    lines = [f"root scale: {days:g} days, {ds.sizes['r']} radial cells, "
             f"{ds.attrs['hydraulics']} soil, root boundary '{ds.attrs['root_boundary']}'; "
             f"root water flux {float(ds.QROOT.min()):.3g} to {float(ds.QROOT.max()):.3g} m2 s-1",
             f"water balance error: max {float(np.abs(ds.WBAL).max()):.2e} m2 per step "
             f"({float(np.abs(ds.WBAL).max()) / water:.1e} of the water in the cylinder)"]
    if "C_NO3" in ds:
        worst = max(float(np.abs(ds[f"SBAL_{k}"]).max())
                    / max(float((ds.volume * ds.THETA * ds[f"C_{k}"]).sum("r").max()), 1e-30)
                    for k in ("NO3", "NH4", "K", "Ca", "Mg", "Cl"))
        lines.append(f"solute balance error: max {worst:.1e} of the dissolved amount per step")
        widths = ", ".join(f"{k} {float(depletion_width(ds, k)[-1]) * 1e3:.2f} mm"
                           for k in ("NO3", "NH4", "K"))
        lines.append(f"depletion-zone width (90 % of bulk) at the end: {widths}")
    return lines
