"""CLM4.5 leaf photosynthesis and stomatal conductance (fortran/PhotosynthesisMod.F90)
against NumPy references written from the CLM4.5 Technical Note, chapter 8
(Oleson et al. 2013), and the CLM4.5 canopy parameters of the PFT table."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrclm._fortran import core
from hrclm.pft import pft_table

TFRZ = 273.15
RGAS = 8314.467591            # J K-1 kmol-1 (clm_varcon)
PBOT = 101325.0
OAIR = 0.209 * PBOT
CAIR = 380e-6 * PBOT
RSMAX0 = 2.0e4


# ---------------------------------------------------------------------------
# Calls of the compiled core
# ---------------------------------------------------------------------------

def _col(v, n):
    return np.asfortranarray(np.broadcast_to(np.asarray(v, dtype=np.float64), (n,)).copy())


def esat_pa(t):
    """Saturation vapour pressure over water [Pa] (Magnus form; any smooth
    positive function serves the tests)."""
    tc = np.asarray(t) - TFRZ
    return 610.94 * np.exp(17.625 * tc / (tc + 243.04))


LEAF = dict(c3psn=1.0, vcmax25=60.0, mbbopt=9.0, bbbopt=10000.0, btran=1.0, dayl_factor=1.0,
            apar=300.0, tleaf=298.15, t10=293.15, tgcm=298.15, esat_tv=None, eair=None,
            cair=CAIR, oair=OAIR, rb=20.0, pbot=PBOT)
ORDER = list(LEAF)


def photosynthesis(**kw):
    """Run api_photosynthesis; returns dict of rs, psn, lmr, ci (arrays)."""
    args = dict(LEAF, **kw)
    if args["esat_tv"] is None:
        args["esat_tv"] = esat_pa(args["tleaf"])
    if args["eair"] is None:
        args["eair"] = 0.7 * np.asarray(args["esat_tv"])
    n = max(np.size(v) for v in args.values())
    cols = [_col(args[k], n) for k in ORDER]
    out = [np.zeros(n, order="F") for _ in range(4)]
    ierr, errmsg = core.f90wrap_hrclm_api__api_photosynthesis(n, *cols, *out)
    if ierr:
        raise ValueError(errmsg.decode().strip())
    return dict(zip(("rs", "psn", "lmr", "ci"), out)), args


def leaf_rates(c3psn, vcmax25, apar, tleaf, t10, ci, btran=1.0, dayl_factor=1.0,
               oair=OAIR, pbot=PBOT):
    vals = [c3psn, vcmax25, btran, dayl_factor, apar, tleaf, t10, oair, ci, pbot]
    n = max(np.size(v) for v in vals)
    cols = [_col(v, n) for v in vals]
    out = [np.zeros(n, order="F") for _ in range(5)]
    ierr, errmsg = core.f90wrap_hrclm_api__api_leaf_rates(n, *cols, *out)
    if ierr:
        raise ValueError(errmsg.decode().strip())
    return dict(zip(("wc", "wj", "wp", "ag", "lmr"), out))


# ---------------------------------------------------------------------------
# NumPy reference from the Tech Note (independent of the Fortran)
# ---------------------------------------------------------------------------

def _f(tv, ha):                                   # eq. 8.10
    return np.exp(ha / (298.15 * 1e-3 * RGAS) * (1 - 298.15 / tv))


def _fh(tv, hd, ds):                              # eq. 8.11
    return ((1 + np.exp((298.15 * ds - hd) / (298.15 * 1e-3 * RGAS)))
            / (1 + np.exp((ds * tv - hd) / (1e-3 * RGAS * tv))))


def _smaller_root(a, b, c):
    """Smaller root of a x^2 + b x + c = 0 (b < 0, c >= 0 here)."""
    return (-b - np.sqrt(b * b - 4 * a * c)) / (2 * a)


def reference_c3(vcmax25, apar, tv, t10, ci, pbot=PBOT, oair=OAIR, btran=1.0, dayl=1.0):
    """Tech Note eqs. 8.3-8.11 with the acclimation of 8.15-8.16 (Delta Hd =
    200000, Delta Ha = 72000 Vcmax / 50000 Jmax, Tp as Vcmax) and
    Tp25 = 0.167 Vcmax25; Kc25, Ko25 from Bernacchi, Gamma*25 = 0.5 oair/sco."""
    t10c = min(max(t10 - TFRZ, 11.0), 35.0)
    v25 = vcmax25 * dayl
    dsv = 668.39 - 1.07 * t10c
    dsj = 659.70 - 0.75 * t10c
    vcmax = v25 * _f(tv, 72000) * _fh(tv, 200000, dsv) * btran
    jmax = (2.59 - 0.035 * t10c) * v25 * _f(tv, 50000) * _fh(tv, 200000, dsj)
    tp = 0.167 * v25 * _f(tv, 72000) * _fh(tv, 200000, dsv)
    kc = 404.9e-6 * pbot * _f(tv, 79430)
    ko = 278.4e-3 * pbot * _f(tv, 36380)
    gstar = 0.5 * oair / (0.5 * 0.209 / 42.75e-6) * _f(tv, 37830)
    ipsii = 0.5 * 0.85 * 4.6 * apar                                  # eq. 8.7
    j = _smaller_root(0.7, -(ipsii + jmax), ipsii * jmax)            # eq. 8.6
    ac = vcmax * max(ci - gstar, 0) / (ci + kc * (1 + oair / ko))    # eq. 8.3
    aj = j * max(ci - gstar, 0) / (4 * ci + 8 * gstar)               # eq. 8.4
    ap = 3 * tp                                                      # eq. 8.5
    ai = _smaller_root(0.98, -(ac + aj), ac * aj)                    # eq. 8.8
    a = _smaller_root(0.95, -(ai + ap), ai * ap)
    rd = 0.015 * v25 * _f(tv, 46390) * _fh(tv, 150650, 490) * btran
    return dict(wc=ac, wj=aj, wp=ap, ag=a, lmr=rd)


def reference_c4(vcmax25, apar, tv, ci, pbot=PBOT, btran=1.0, dayl=1.0):
    """Tech Note eqs. 8.3-8.5, 8.8 (Theta_cj 0.80, Theta_ip 0.95), 8.12-8.14."""
    v25 = vcmax25 * dayl
    q10 = 2.0 ** ((tv - 298.15) / 10)
    vcmax = v25 * q10 / (1 + np.exp(0.3 * (tv - 313.15))) / (1 + np.exp(0.2 * (288.15 - tv))) * btran
    kp = 20000 * v25 * q10
    ac, aj, ap = vcmax, 0.05 * 4.6 * apar, kp * ci / pbot
    ai = _smaller_root(0.80, -(ac + aj), ac * aj)
    a = _smaller_root(0.95, -(ai + ap), ai * ap)
    rd = 0.025 * v25 * q10 / (1 + np.exp(1.3 * (tv - 328.15))) * btran
    return dict(wc=ac, wj=aj, wp=ap, ag=a, lmr=rd)


def _check_rates(got, ref, limiting):
    for k in ("wc", "wj", "wp", "ag", "lmr"):
        np.testing.assert_allclose(got[k][0], ref[k], rtol=1e-10, err_msg=k)
    w = {k: got[k][0] for k in ("wc", "wj", "wp")}
    assert min(w, key=w.get) == limiting, w
    assert got["ag"][0] < w[limiting]                    # co-limitation smooths below the minimum


# ---------------------------------------------------------------------------
# Collatz / Farquhar rates at stated ci
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("limiting, apar, tleaf, t10, ci", [
    ("wc", 800.0, 303.15, 293.15, 8.0),       # low ci, high light: Rubisco
    ("wj", 20.0, 298.15, 293.15, 30.0),       # low light: RuBP regeneration
    ("wp", 1500.0, 298.15, 284.15, 200.0),    # very high ci and light: triose phosphate export
])
def test_c3_limiting_rates(limiting, apar, tleaf, t10, ci):
    got = leaf_rates(1.0, 60.0, apar, tleaf, t10, ci)
    _check_rates(got, reference_c3(60.0, apar, tleaf, t10, ci), limiting)


@pytest.mark.parametrize("limiting, apar, tleaf, ci", [
    ("wc", 800.0, 303.15, 30.0),     # high light and CO2: Rubisco (Vcmax)
    ("wj", 50.0, 303.15, 30.0),      # low light
    ("wp", 800.0, 303.15, 2.0),      # very low ci: PEP carboxylase (kp ci / P)
])
def test_c4_limiting_rates(limiting, apar, tleaf, ci):
    got = leaf_rates(0.0, 50.0, apar, tleaf, 293.15, ci)
    _check_rates(got, reference_c4(50.0, apar, tleaf, ci), limiting)


def test_rates_scale_with_btran_and_day_length():
    ref = reference_c3(60.0, 500.0, 300.0, 290.0, 25.0, btran=0.4, dayl=0.7)
    got = leaf_rates(1.0, 60.0, 500.0, 300.0, 290.0, 25.0, btran=0.4, dayl_factor=0.7)
    for k in ("wc", "wj", "wp", "ag", "lmr"):
        np.testing.assert_allclose(got[k][0], ref[k], rtol=1e-10, err_msg=k)


# ---------------------------------------------------------------------------
# Ball-Berry conductance and the ci solution
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("c3, vcmax25, mbb, bbb, apar, rb, rh", [
    (1.0, 60.0, 9.0, 10000.0, 400.0, 20.0, 0.7),
    (1.0, 40.0, 9.0, 10000.0, 80.0, 80.0, 0.3),
    (0.0, 50.0, 4.0, 40000.0, 600.0, 30.0, 0.5),
    (0.0, 50.0, 4.0, 40000.0, 60.0, 10.0, 0.9),
])
def test_ball_berry_and_diffusion_at_solution(c3, vcmax25, mbb, bbb, apar, rb, rh):
    tleaf = 300.0
    out, a = photosynthesis(c3psn=c3, vcmax25=vcmax25, mbbopt=mbb, bbbopt=bbb, apar=apar,
                            rb=rb, tleaf=tleaf, tgcm=299.0, eair=rh * esat_pa(tleaf))
    psn, lmr, rs, ci = (out[k][0] for k in ("psn", "lmr", "rs", "ci"))
    an = psn - lmr
    assert an > 0 and rs < RSMAX0
    # CLM's conversion between umol H2O m-2 s-1 and m s-1 (Tech Note 8.1 text)
    cf = PBOT / (RGAS * 1e-3 * 299.0) * 1e6
    gs, gb = cf / rs, cf / rb
    esat = esat_pa(tleaf)
    ea = rh * esat
    cs = CAIR - 1.4 / gb * an * PBOT                                  # eq. 8.34
    hs = (gb * ea + gs * esat) / ((gb + gs) * esat)                  # eq. 8.35 as e_s / e_i
    np.testing.assert_allclose(gs, mbb * an * hs * PBOT / cs + bbb, rtol=1e-9)   # eq. 8.1
    # diffusion (eq. 8.31/8.37): An = (ca - ci) / ((1.4 rb + 1.6 rs) P), r in s m2 umol-1
    np.testing.assert_allclose(an, (CAIR - ci) / ((1.4 / gb + 1.6 / gs) * PBOT), rtol=1e-9)
    # ci is the solution of the coupled system: the gross rate at the returned ci
    # matches psn within CLM4.5's solver tolerance (1e-2 relative on ci)
    ag = leaf_rates(c3, vcmax25, apar, tleaf, 293.15, ci)["ag"][0]
    np.testing.assert_allclose(ag, psn, rtol=2e-2)


def test_dark_and_no_water():
    out, a = photosynthesis(apar=[0.0, -5.0, 300.0], btran=[1.0, 1.0, 0.0])
    np.testing.assert_array_equal(out["psn"], 0.0)
    cf = PBOT / (RGAS * 1e-3 * 298.15) * 1e6
    # dark: gs = b = bbbopt btran; btran = 0: b = max(0, 1) umol m-2 s-1 -> rs capped
    np.testing.assert_allclose(out["rs"][:2], cf / 10000.0, rtol=1e-12)
    assert out["rs"][2] == RSMAX0
    np.testing.assert_array_equal(out["ci"][:2], 0.0)        # CLM4.5 sets ci = 0 at night
    np.testing.assert_allclose(out["lmr"][:2], 0.015 * 60.0, rtol=1e-12)   # Rd25 at 25 C
    assert out["lmr"][2] == 0.0                               # Rd scaled by btran


def test_responses_to_light_co2_and_water():
    apar = np.array([10.0, 50.0, 100.0, 200.0, 400.0, 800.0])
    out, _ = photosynthesis(apar=apar)
    assert np.all(np.diff(out["psn"]) > 0)
    cair = np.array([15.0, 25.0, 40.0, 60.0, 90.0])                 # [Pa]
    out, _ = photosynthesis(cair=cair, apar=600.0)
    assert np.all(np.diff(out["psn"]) > 0)
    # C4 saturates at lower CO2 than C3
    c3, _ = photosynthesis(cair=[40.0, 80.0], apar=600.0)
    c4, _ = photosynthesis(c3psn=0.0, vcmax25=50.0, mbbopt=4.0, bbbopt=40000.0,
                           cair=[40.0, 80.0], apar=600.0)
    r3 = c3["psn"][1] / c3["psn"][0]
    r4 = c4["psn"][1] / c4["psn"][0]
    assert r4 < 1.03 < 1.15 < r3, (r3, r4)
    btran = np.array([0.05, 0.2, 0.4, 0.6, 0.8, 1.0])
    out, _ = photosynthesis(btran=btran)
    assert np.all(np.diff(out["rs"]) < 0)
    assert np.all(np.diff(out["psn"]) > 0)


def test_extreme_leaves_are_finite():
    tleaf = np.array([233.15, 323.15, 233.15, 323.15, 298.15, 298.15])
    out, _ = photosynthesis(tleaf=tleaf, t10=tleaf, tgcm=tleaf, c3psn=[1, 1, 0, 0, 1, 0],
                            eair=[0.0, 0.0, 1.0, 1.0, 0.0, 0.0], apar=[500, 500, 500, 500, 2000, 2000])
    for k in ("rs", "psn", "lmr", "ci"):
        assert np.all(np.isfinite(out[k])), k
    assert np.all(out["psn"] >= 0) and np.all((out["rs"] > 0) & (out["rs"] <= RSMAX0))


def test_bad_input_is_reported():
    with pytest.raises(ValueError, match=r"^btran = 1\.5.* at leaf 2 is not valid: give a value in \[0, 1\]"):
        photosynthesis(btran=[1.0, 1.5])
    with pytest.raises(ValueError, match=r"^c3psn = .* at leaf 1 is not valid"):
        photosynthesis(c3psn=0.5)
    with pytest.raises(ValueError, match=r"^rb = "):
        photosynthesis(rb=0.0)
    with pytest.raises(ValueError, match=r"^apar = "):
        photosynthesis(apar=np.nan)


@settings(max_examples=300, deadline=None)
@given(c3=st.sampled_from([0.0, 1.0]),
       vcmax25=st.floats(0.0, 150.0),
       btran=st.floats(0.0, 1.0),
       dayl=st.floats(0.0, 1.0),
       apar=st.floats(-10.0, 1500.0),
       tleaf=st.floats(228.15, 328.15),
       t10=st.floats(228.15, 318.15),
       rh=st.floats(0.0, 1.2),
       cair_ppm=st.floats(100.0, 2000.0),
       rb=st.floats(2.0, 500.0),
       pbot=st.floats(50000.0, 105000.0))
def test_random_valid_leaves(c3, vcmax25, btran, dayl, apar, tleaf, t10, rh, cair_ppm, rb, pbot):
    esat = esat_pa(tleaf)
    out, _ = photosynthesis(c3psn=c3, vcmax25=vcmax25, mbbopt=9.0 if c3 else 4.0,
                            bbbopt=10000.0 if c3 else 40000.0, btran=btran, dayl_factor=dayl,
                            apar=apar, tleaf=tleaf, t10=t10, tgcm=tleaf, esat_tv=esat,
                            eair=rh * esat, cair=cair_ppm * 1e-6 * pbot, oair=0.209 * pbot,
                            rb=rb, pbot=pbot)
    for k in ("rs", "psn", "lmr", "ci"):
        assert np.isfinite(out[k][0]), k
    assert out["psn"][0] >= 0.0 and out["lmr"][0] >= 0.0
    # rs between 1 / (10 m s-1) and rsmax0
    assert 0.1 <= out["rs"][0] <= RSMAX0
    if apar <= 0 or btran == 0 or vcmax25 * dayl == 0:
        assert out["psn"][0] == 0.0


# ---------------------------------------------------------------------------
# Canopy scaling, Vcmax25 from leaf N, day length
# ---------------------------------------------------------------------------

def nscaler(elai, extkb, laisun, laisha):
    n = np.size(elai)
    cols = [_col(v, n) for v in (elai, extkb, laisun, laisha)]
    sun, sha = np.zeros(n, order="F"), np.zeros(n, order="F")
    core.f90wrap_hrclm_api__api_canopy_nscaler(n, *cols, sun, sha)
    return sun, sha


def test_canopy_nitrogen_scaling_integrates_the_profile():
    kn = 0.30                                     # Tech Note 8.3: "The model uses Kn = 0.30"
    elai = np.array([0.5, 2.0, 5.0, 3.0])
    k = np.array([0.5, 0.8, 2.0, 0.6])
    laisun = (1 - np.exp(-k * elai)) / k          # integral of f_sun = exp(-K x)
    laisha = elai - laisun
    sun, sha = nscaler(elai, k, laisun, laisha)
    for i in range(elai.size):                    # eqs. 8.20-8.23 by quadrature
        x = np.linspace(0.0, elai[i], 20001)
        prof = np.exp(-kn * x)
        fsun = np.exp(-k[i] * x)
        np.testing.assert_allclose(sun[i] * laisun[i], np.trapezoid(prof * fsun, x), rtol=1e-7)
        np.testing.assert_allclose(sha[i] * laisha[i], np.trapezoid(prof * (1 - fsun), x), rtol=1e-7)
    assert np.all(sun > sha) and np.all(sun <= 1.0)
    # night (no sunlit leaves): the whole canopy integral goes to the shaded leaf
    sun, sha = nscaler([2.0, 0.0], [0.0, 0.5], [0.0, 0.0], [2.0, 0.0])
    np.testing.assert_allclose(sha[0], (1 - np.exp(-0.6)) / 0.3 / 2.0, rtol=1e-12)
    assert sun[0] == 0.0 and sun[1] == 0.0 and sha[1] == 0.0


def test_vcmax25_top_and_day_length_factor():
    t = pft_table()
    pfts = sorted(t)
    cols = [_col([getattr(t[p], k) for p in pfts], 16) for k in ("slatop", "leafcn", "flnr")]
    v = np.zeros(16, order="F")
    core.f90wrap_hrclm_api__api_vcmax25_top(16, *cols, v)
    np.testing.assert_allclose(v, [t[p].vcmax25top for p in pfts], atol=0.051)   # Table 8.1 (0.1 rounding)
    dayl = _col([0.0, 30000.0, 43200.0, 50000.0], 4)
    f = np.zeros(4, order="F")
    core.f90wrap_hrclm_api__api_dayl_factor(4, dayl, _col(50000.0, 4), f)
    np.testing.assert_allclose(f, [0.01, 0.36, (43200 / 50000) ** 2, 1.0])    # eq. 8.24


# ---------------------------------------------------------------------------
# PFT table: canopy columns
# ---------------------------------------------------------------------------

CANOPY_RANGES = {
    "c3psn": (0, 1), "slatop": (0.001, 0.1), "leafcn": (10, 60), "flnr": (0.01, 0.5),
    "vcmax25top": (20, 150), "mbbopt": (1, 12), "bbbopt": (1000, 50000),
    "xl": (-0.4, 0.6), "rholvis": (0.01, 0.3), "rholnir": (0.2, 0.7), "rhosvis": (0.05, 0.4),
    "rhosnir": (0.2, 0.7), "taulvis": (0.01, 0.2), "taulnir": (0.05, 0.5),
    "tausvis": (0.0, 0.3), "tausnir": (0.0, 0.4), "dleaf": (0.005, 0.2), "z0mr": (0.01, 0.2),
    "displar": (0.5, 0.8), "woody": (0, 1),
}


def test_pft_table_canopy_columns():
    t = pft_table()
    assert sorted(t) == list(range(1, 17))
    for name, (lo, hi) in CANOPY_RANGES.items():
        vals = np.array([getattr(t[i], name) for i in range(1, 17)])
        assert np.all(np.isfinite(vals)) and np.all((vals >= lo) & (vals <= hi)), name
    assert [t[i].c3psn for i in range(1, 17)] == [1.0] * 13 + [0.0] + [1.0] * 2
    assert [t[i].woody for i in range(1, 17)] == [1.0] * 11 + [0.0] * 5
    for i in range(1, 17):
        p = t[i]
        # leaf absorbs something in each band; C4 uses the C4 Ball-Berry parameters
        assert p.rholvis + p.taulvis < 1 and p.rholnir + p.taulnir < 1
        assert (p.mbbopt, p.bbbopt) == ((9.0, 10000.0) if p.c3psn == 1 else (4.0, 40000.0))
    # Tech Note Table 3.1 and 5.1 spot values
    assert (t[7].xl, t[7].rholnir, t[7].taulnir) == (0.25, 0.45, 0.25)
    assert (t[4].z0mr, t[1].displar, t[13].displar) == (0.075, 0.67, 0.68)
