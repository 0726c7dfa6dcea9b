"""Carbon process modules of CLM4.5: vertically resolved litter / SOM
decomposition (``fortran/SoilDecompositionMod.F90``, Tech Note ch. 15) and
autotrophic respiration (``fortran/AutotrophicRespirationMod.F90``, Tech Note
sec. 13.7), which the column driver runs every step when ``use_carbon`` is on
(with ``fortran/PlantCarbonMod.F90`` for allocation and litterfall), and the
timing of litterfall from the prescribed LAI (:func:`litterfall_weight`).

Thin wrappers of the compiled core: arrays in, arrays out, float64. Shapes use
``ncol`` columns, ``npatch`` patches per column and ``nlev`` decomposition
layers; pools are the last axis, in CLM order :data:`POOLS`.

"HR" here is CLM's heterotrophic respiration (a carbon flux, gC m-2 s-1), not
hydraulic redistribution, which stays QHR elsewhere in hrclm.
"""

import numpy as np

from ._fortran import core as _core, raise_on_error

POOLS = ("LITR1", "LITR2", "LITR3", "CWD", "SOIL1", "SOIL2", "SOIL3")
"""Decomposing pools: metabolic, cellulose, lignin litter, coarse woody
debris, active, slow and passive SOM (CLM4.5 BGC cascade)."""

NPOOL = len(POOLS)

#: transitions of the cascade as (donor, receiver) pool indices (0-based)
TRANSITIONS = ((0, 4), (1, 4), (2, 5), (4, 5), (4, 6), (5, 4), (5, 6), (6, 4), (3, 1), (3, 2))

SECSPYR = 86400.0 * 365.0
"""Seconds in CLM's (noleap) year."""


def litterfall_weight(lai_daily):
    """Share of the year's leaf and fine-root litterfall falling on each day,
    per second [s-1], from a year of daily LAI (365 values, day 1 first).

    Litter comes from an evergreen part, the year's lowest LAI turned over
    once a year, spread evenly, and a deciduous part, every decline of the
    LAI from one day to the next (CLM4.5's evergreen turnover and deciduous
    leaf fall with leaf longevity one year; the CASA model's timing of
    litterfall by the fall of leaf area, Randerson et al. 1996, Global
    Biogeochem. Cycles 10, 585-602). The 365 daily values times 86400 s sum
    to 1; a year without leaves or without any change gives the even 1/365
    per day.
    """
    lai = np.asarray(lai_daily, dtype=np.float64)
    if lai.shape != (365,) or not np.all(np.isfinite(lai)) or np.any(lai < 0):
        raise ValueError("lai_daily must hold 365 finite daily LAI values >= 0")
    decline = np.maximum(lai - np.roll(lai, -1), 0.0)     # fall from day d to day d + 1
    share = lai.min() / 365.0 + decline
    total = share.sum()
    if total <= 0.0:
        share, total = np.ones(365), 365.0
    return share / total / 86400.0


def _f(a, shape=None):
    a = np.asarray(a, dtype=np.float64)
    if shape is not None:
        a = np.broadcast_to(a, shape)
    return np.asfortranarray(a.copy())


def constants():
    """Module constants: dict with tau [yr] (7,), nf, q10, psi_min [MPa],
    z_tau [m], som_diffus [m2 s-1], mm_to_mpa, mr_base [gC gN-1 s-1], grperc."""
    tau = np.zeros(7, order="F")
    c = np.zeros(8, order="F")
    _core.f90wrap_hrclm_api__api_decomp_constants(tau, c)
    keys = ("nf", "q10", "psi_min", "z_tau", "som_diffus", "mm_to_mpa", "mr_base", "grperc")
    out = dict(zip(keys, c.tolist()))
    out["tau"] = tau
    return out


def allocation_fractions(froot_leaf, stem_leaf, croot_stem, annsum_npp):
    """Shares of new growth carbon to leaf, fine root, stem and coarse root
    [-] (last axis, summing to 1) for patches with these allocation ratios and
    last year's NPP [gC m-2 yr-1] (``fortran/PlantCarbonMod.F90``;
    stem_leaf = -1 is CLM4.5's dynamic allocation of trees)."""
    args = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in
                                 (froot_leaf, stem_leaf, croot_stem, annsum_npp)))
    shape = args[0].shape
    flat = [np.asfortranarray(a.ravel()) for a in args]
    n = flat[0].size
    frac = np.zeros((n, 4), order="F")
    _core.f90wrap_hrclm_api__api_allocation_fractions(n, *flat, frac)
    return frac.reshape(shape + (4,))


def cascade(sand):
    """Respired fraction and path fraction of the 10 transitions
    (:data:`TRANSITIONS`) for sand contents [%]; arrays (n, 10)."""
    sand = _f(np.atleast_1d(sand))
    n = sand.size
    rf = np.zeros((n, 10), order="F")
    pf = np.zeros((n, 10), order="F")
    _core.f90wrap_hrclm_api__api_decomp_cascade(n, sand, rf, pf)
    return rf, pf


def decomp_rates(t_soisno, smp, sucsat, zsoi, o_scalar=1.0):
    """Rate constants [s-1] (ncol, nlev, 7) and the scalars (ncol, nlev) [-].

    Returns dict with decomp_k, t_scalar (eq. 15.5, without CLM's
    normalisation factor nf, which is in decomp_k), w_scalar, depth_scalar.
    ``smp`` and ``sucsat`` in mm (smp <= 0), temperatures in K, depth in m.
    """
    t = np.atleast_2d(np.asarray(t_soisno, dtype=np.float64))
    ncol, nlev = t.shape
    shp = (ncol, nlev)
    args = [_f(v, shp) for v in (t, smp, sucsat, zsoi, o_scalar)]
    k = np.zeros((ncol, nlev, NPOOL), order="F")
    ts, ws, ds = (np.zeros(shp, order="F") for _ in range(3))
    ierr, errmsg = _core.f90wrap_hrclm_api__api_decomp_rates(ncol, nlev, *args, k, ts, ws, ds)
    raise_on_error(ierr, errmsg)
    return dict(decomp_k=k, t_scalar=ts, w_scalar=ws, depth_scalar=ds)


def litter_input(zsoi, dz, rootfr, wtcol, leaf_litc, froot_litc, cwd_ag=0.0, cwd_bg=0.0,
                 lf_frac=(0.25, 0.5, 0.25), fr_frac=(0.25, 0.5, 0.25)):
    """Litter inputs [gC m-3 s-1] (ncol, nlev, 7) from patch litterfall
    [gC m-2 s-1] (ncol, npatch); rootfr (ncol, npatch, nlev)."""
    rootfr = np.asarray(rootfr, dtype=np.float64)
    ncol, npatch, nlev = rootfr.shape
    cp = (ncol, npatch)
    args = [_f(zsoi, (ncol, nlev)), _f(dz, (ncol, nlev)), _f(rootfr)]
    args += [_f(v, cp) for v in (wtcol, leaf_litc, froot_litc, cwd_ag, cwd_bg)]
    args += [_f(lf_frac, cp + (3,)), _f(fr_frac, cp + (3,))]
    out = np.zeros((ncol, nlev, NPOOL), order="F")
    ierr, errmsg = _core.f90wrap_hrclm_api__api_litter_input(ncol, npatch, nlev, *args, out)
    raise_on_error(ierr, errmsg)
    return out


def decomposition_step(cpools, dtime, zsoi, dz, sand, decomp_k, input_vr, diffus=None):
    """Advance pools [gC m-3] (ncol, nlev, 7) by one carbon step ``dtime`` [s].

    Returns dict: cpools (new array), hr_vr [gC m-3 s-1] (ncol, nlev),
    hr [gC m-2 s-1] (ncol,), trans_vr [gC m-3 s-1] (ncol, nlev; net gain by
    vertical mixing, all pools). ``diffus`` [m2 s-1] per column defaults to
    CLM4.5's 1 cm2 yr-1.
    """
    c = _f(cpools)
    ncol, nlev, _ = c.shape
    if diffus is None:
        diffus = constants()["som_diffus"]
    shp = (ncol, nlev)
    hr_vr = np.zeros(shp, order="F")
    hr = np.zeros(ncol, order="F")
    tr = np.zeros(shp, order="F")
    ierr, errmsg = _core.f90wrap_hrclm_api__api_soil_decomposition(
        ncol, nlev, float(dtime), _f(zsoi, shp), _f(dz, shp), _f(sand, shp),
        _f(decomp_k, c.shape), _f(input_vr, c.shape), _f(diffus, (ncol,)), c, hr_vr, hr, tr)
    raise_on_error(ierr, errmsg)
    return dict(cpools=c, hr_vr=hr_vr, hr=hr, trans_vr=tr)


def steady_state(zsoi, dz, sand, decomp_k, input_vr, diffus=None):
    """Steady-state pools [gC m-3] (ncol, nlev, 7) under constant inputs and
    rate constants (direct dense solve) and its backward error (ncol,)."""
    k = np.asarray(decomp_k, dtype=np.float64)
    ncol, nlev, _ = k.shape
    if diffus is None:
        diffus = constants()["som_diffus"]
    shp = (ncol, nlev)
    c = np.zeros(k.shape, order="F")
    relres = np.zeros(ncol, order="F")
    ierr, errmsg = _core.f90wrap_hrclm_api__api_decomp_steady_state(
        ncol, nlev, _f(zsoi, shp), _f(dz, shp), _f(sand, shp), _f(k), _f(input_vr, k.shape),
        _f(diffus, (ncol,)), c, relres)
    raise_on_error(ierr, errmsg)
    return c, relres


def tissue_nitrogen(tlai, slatop, leafcn, frootc, frootcn, livestemc=0.0, livecrootc=0.0,
                    livewdcn=50.0, woody=0.0, dsladlai=0.0):
    """Leaf C [gC m-2] and tissue N [gN m-2] per patch (ncol, npatch)."""
    tlai = np.atleast_2d(np.asarray(tlai, dtype=np.float64))
    ncol, npatch = tlai.shape
    cp = (ncol, npatch)
    args = [_f(v, cp) for v in (tlai, slatop, dsladlai, leafcn, frootc, frootcn, livestemc,
                                livecrootc, livewdcn, woody)]
    out = [np.zeros(cp, order="F") for _ in range(5)]
    ierr, errmsg = _core.f90wrap_hrclm_api__api_tissue_nitrogen(ncol, npatch, *args, *out)
    raise_on_error(ierr, errmsg)
    return dict(zip(("leafc", "leafn", "frootn", "livestemn", "livecrootn"), out))


def autotrophic_respiration(leafn, frootn, t_leaf, t_soisno, rootfr, q10, livestemn=0.0,
                            livecrootn=0.0, t_wood=None, cgrowth=0.0, lmr_canopy=None):
    """Maintenance, growth and total autotrophic respiration [gC m-2 s-1].

    Patch arrays (ncol, npatch); t_soisno (ncol, nlev) [K]; rootfr
    (ncol, npatch, nlev). ``lmr_canopy`` [umol CO2 m-2 s-1] given: leaf MR
    from photosynthesis (CLM4.5-CN), else from leaf N (eq. 13.46).
    Returns dict of leaf_mr, froot_mr, livestem_mr, livecroot_mr, mr, gr, ar
    (ncol, npatch) and froot_mr_lay (ncol, npatch, nlev) [gC m-2 s-1].
    """
    rootfr = np.asarray(rootfr, dtype=np.float64)
    ncol, npatch, nlev = rootfr.shape
    cp = (ncol, npatch)
    if t_wood is None:
        t_wood = t_leaf
    opt = 0 if lmr_canopy is None else 1
    lmr = 0.0 if lmr_canopy is None else lmr_canopy
    args = [_f(v, cp) for v in (leafn, frootn, livestemn, livecrootn, t_leaf, t_wood)]
    args += [_f(t_soisno, (ncol, nlev)), _f(rootfr), float(q10), opt, _f(lmr, cp), _f(cgrowth, cp)]
    names = ("leaf_mr", "froot_mr", "livestem_mr", "livecroot_mr")
    out = [np.zeros(cp, order="F") for _ in names]
    lay = np.zeros((ncol, npatch, nlev), order="F")
    tot = [np.zeros(cp, order="F") for _ in range(3)]
    ierr, errmsg = _core.f90wrap_hrclm_api__api_autotrophic_respiration(
        ncol, npatch, nlev, *args, *out, lay, *tot)
    raise_on_error(ierr, errmsg)
    res = dict(zip(names, out))
    res.update(froot_mr_lay=lay, mr=tot[0], gr=tot[1], ar=tot[2])
    return res
