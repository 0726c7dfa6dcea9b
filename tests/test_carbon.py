"""Carbon process modules (fortran/SoilDecompositionMod.F90,
fortran/AutotrophicRespirationMod.F90) against NumPy references written from
the CLM4.5 Technical Note (Oleson et al. 2013: ch. 15 decomposition, sec. 13.7
autotrophic respiration) and the CLM4.5 code as shipped with CESM1.2."""

import numpy as np
import pytest
from hypothesis import given, settings, HealthCheck
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from hrclm import carbon
from hrclm.errors import InputError
from hrclm.soil import clm45_grid

TFRZ = 273.15
SECSPYR = 86400.0 * 365.0
DAY = 86400.0
GRID = clm45_grid(10)
Z, DZ = GRID.z, GRID.dz
NLEV = Z.size
MM_PER_MPA = 1.0 / 9.8e-6          # CLM4.5: 1 mm of head = 9.8e-6 MPa


# ---------------------------------------------------------------------------
# NumPy references (Tech Note ch. 15; CESM1.2 CNDecompCascadeMod_CENTURY)
# ---------------------------------------------------------------------------

def catanf(tc):
    return 11.75 + (29.7 / np.pi) * np.arctan(np.pi * 0.031 * (tc - 15.4))


NF = (catanf(15.0) / catanf(30.0)) / 1.5 ** (-1.0)
TAU = np.array([1 / 18.5, 1 / 4.9, 1 / 4.9, 1 / 0.3, 1 / 7.3, 1 / 0.2, 1 / 0.0045])   # yr


def t_scalar_ref(t):                                  # eq. 15.5
    return 1.5 ** ((np.asarray(t) - (TFRZ + 25.0)) / 10.0)


def w_scalar_ref(psi_mpa, psisat_mpa, psimin=-10.0):  # eq. 15.6, CLM4.5 code form
    psi = np.minimum(psi_mpa, psisat_mpa)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.log(psimin / psi) / np.log(psimin / psisat_mpa)
    return np.where(psi > psimin, w, 0.0)


def cascade_ref(sand):
    """(rf, pathfrac) of carbon.TRANSITIONS (Tech Note Table 15.4 and the CESM1.2 code)."""
    t = 0.85 - 0.68 * 0.01 * (100.0 - sand)
    rf = np.array([0.55, 0.5, 0.5, t, t, 0.55, 0.55, 0.55, 0.0, 0.0])
    pf = np.array([1, 1, 1, 1 - 0.004 / (1 - t), 0.004 / (1 - t), 0.42 / 0.45, 0.03 / 0.45, 1,
                   0.76, 0.24])
    return rf, pf


def hr_vr_ref(c, k, sand):
    """Heterotrophic respiration per layer [gC m-3 s-1] of pools c (nlev, 7)."""
    out = np.zeros(c.shape[0])
    for j in range(c.shape[0]):
        rf, pf = cascade_ref(sand[j])
        for t, (d, _) in enumerate(carbon.TRANSITIONS):
            out[j] += rf[t] * pf[t] * k[j, d] * c[j, d]
    return out


# ---------------------------------------------------------------------------
# A column climate and litterfall used by several tests
# ---------------------------------------------------------------------------

def column_setup(ncol=1, tsurf=288.0, smp_mm=-3.0e4, sand=40.0, sucsat=150.0):
    t = np.broadcast_to(tsurf - 4.0 * Z / Z[-1], (ncol, NLEV))          # cooler at depth
    smp = np.broadcast_to(smp_mm * (1.0 + Z), (ncol, NLEV))
    rates = carbon.decomp_rates(t, smp, sucsat, np.broadcast_to(Z, (ncol, NLEV)))
    zi = GRID.zi
    rootfr = 0.97 ** (zi[:-1] * 100) - 0.97 ** (zi[1:] * 100)            # Jackson-type profile
    rootfr = rootfr / rootfr.sum()
    inputs = carbon.litter_input(
        np.broadcast_to(Z, (ncol, NLEV)), np.broadcast_to(DZ, (ncol, NLEV)),
        np.broadcast_to(rootfr, (ncol, 1, NLEV)), 1.0,
        leaf_litc=300.0 / SECSPYR, froot_litc=200.0 / SECSPYR,
        cwd_ag=30.0 / SECSPYR, cwd_bg=20.0 / SECSPYR)
    return dict(k=rates["decomp_k"], inputs=inputs, sand=np.full((ncol, NLEV), sand),
                zsoi=np.broadcast_to(Z, (ncol, NLEV)), dz=np.broadcast_to(DZ, (ncol, NLEV)),
                rootfr=rootfr)


def step(cp, s, dtime=DAY, diffus=None):
    return carbon.decomposition_step(cp, dtime, s["zsoi"], s["dz"], s["sand"], s["k"],
                                     s["inputs"], diffus)


# ---------------------------------------------------------------------------
# Parameters and scalars
# ---------------------------------------------------------------------------

def test_constants_match_tech_note_tables():
    c = carbon.constants()
    assert c["nf"] == pytest.approx(NF, rel=1e-14)
    assert c["nf"] == pytest.approx(0.8206, abs=1e-4)
    np.testing.assert_allclose(c["tau"], TAU, rtol=1e-15)
    # Table 15.3 turnover times (yr, 2 significant figures) = code tau / nf
    table153 = np.array([0.066, 0.25, 0.25, 4.1, 0.17, 6.1, 270.0])
    np.testing.assert_allclose(c["tau"] / c["nf"], table153, rtol=0.03)
    assert c["q10"] == 1.5 and c["psi_min"] == -10.0 and c["z_tau"] == 0.5
    assert c["som_diffus"] == pytest.approx(1e-4 / SECSPYR, rel=1e-15)      # 1 cm2 yr-1
    assert c["mr_base"] == 2.525e-6 and c["grperc"] == 0.3


@pytest.mark.parametrize("sand", [0.0, 40.0, 92.0])
def test_cascade_fractions(sand):
    rf, pf = carbon.cascade(sand)
    rf_ref, pf_ref = cascade_ref(sand)
    np.testing.assert_allclose(rf[0], rf_ref, rtol=1e-15)
    np.testing.assert_allclose(pf[0], pf_ref, rtol=1e-14)
    for donor in range(carbon.NPOOL):        # path fractions of each donor sum to 1
        sel = [t for t, (d, _) in enumerate(carbon.TRANSITIONS) if d == donor]
        assert pf[0, sel].sum() == pytest.approx(1.0, abs=1e-15)


def test_temperature_scalar_q10_1p5():
    t = np.array([[253.15, 273.15, 283.15, 298.15, 308.15, 318.15]])
    r = carbon.decomp_rates(t, -1000.0, 100.0, 0.1)
    np.testing.assert_allclose(r["t_scalar"], t_scalar_ref(t), rtol=1e-14)
    assert r["t_scalar"][0, 3] == pytest.approx(1.0, abs=1e-15)       # T_ref = 25 degC
    assert r["t_scalar"][0, 4] == pytest.approx(1.5, rel=1e-14)       # +10 K: x Q10
    assert r["t_scalar"][0, 1] == pytest.approx(1.5 ** -2.5, rel=1e-14)


def test_water_scalar_andren_paustian():
    sucsat = 200.0                                        # mm; psi_max = -1.96e-3 MPa
    psisat = -sucsat * 9.8e-6
    psi_mpa = np.array([-1e-4, psisat, -0.01, -0.1, -1.0, -5.0, -9.99, -10.0, -15.0])
    r = carbon.decomp_rates(np.full((1, psi_mpa.size), 290.0), psi_mpa * MM_PER_MPA, sucsat, 0.2)
    np.testing.assert_allclose(r["w_scalar"][0], w_scalar_ref(psi_mpa, psisat), rtol=1e-12, atol=1e-15)
    w = r["w_scalar"][0]
    assert w[0] == 1.0 and w[1] == pytest.approx(1.0, rel=1e-14)   # at or wetter than saturation
    assert w[4] == pytest.approx(np.log(10.0) / np.log(10.0 / 1.96e-3), rel=1e-12)   # -1 MPa: 0.2700
    assert w[7] == 0.0 and w[8] == 0.0                              # at and below psi_min
    assert np.all(np.diff(w) <= 0)


def test_depth_scalar_and_rate_constants():
    z = np.array([[0.0, 0.1, 0.5, 1.0, 3.0]])
    t, smp, sucsat = 283.15, -5.0e4, 120.0
    r = carbon.decomp_rates(np.full(z.shape, t), smp, sucsat, z, o_scalar=0.7)
    np.testing.assert_allclose(r["depth_scalar"], np.exp(-z / 0.5), rtol=1e-15)
    ws = w_scalar_ref(smp * 9.8e-6, -sucsat * 9.8e-6)
    expect = (NF * t_scalar_ref(t) * ws * np.exp(-z / 0.5) * 0.7)[..., None] / (TAU * SECSPYR)
    np.testing.assert_allclose(r["decomp_k"], expect, rtol=1e-13)


def test_decomposition_stops_at_or_below_psi_min():
    s = column_setup()
    smp = np.full((1, NLEV), -1.0e3)
    smp[0, 2] = -10.0 * MM_PER_MPA          # exactly psi_min
    smp[0, 5] = -40.0 * MM_PER_MPA          # drier
    r = carbon.decomp_rates(np.full((1, NLEV), 300.0), smp, 150.0, Z[None, :])
    assert np.all(r["w_scalar"][0, [2, 5]] == 0.0) and np.all(r["decomp_k"][0, [2, 5]] == 0.0)
    s["k"] = r["decomp_k"]
    cp = np.full((1, NLEV, 7), 500.0)
    s["inputs"] = np.zeros_like(cp)
    out = step(cp, s, diffus=0.0)
    assert np.all(out["hr_vr"][0, [2, 5]] == 0.0)
    np.testing.assert_array_equal(out["cpools"][0, [2, 5]], cp[0, [2, 5]])
    assert np.all(out["hr_vr"][0, [0, 1, 3, 4]] > 0.0)


# ---------------------------------------------------------------------------
# Conservation, every step, random valid inputs
# ---------------------------------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pools=hnp.arrays(np.float64, (2, NLEV, 7), elements=st.floats(0.0, 5.0e4)),
    inputs=hnp.arrays(np.float64, (2, NLEV, 7), elements=st.floats(0.0, 1.0e-4)),
    tsoi=hnp.arrays(np.float64, (2, NLEV), elements=st.floats(250.0, 320.0)),
    smp=hnp.arrays(np.float64, (2, NLEV), elements=st.floats(-2.0e6, 0.0)),
    sand=st.floats(0.0, 100.0),
    dtime=st.sampled_from([1800.0, 3600.0, DAY]),
    diffus=st.sampled_from([0.0, 1e-4 / SECSPYR, 1e-6]),
)
def test_conservation_every_step(pools, inputs, tsoi, smp, sand, dtime, diffus):
    zs = np.broadcast_to(Z, (2, NLEV))
    dz = np.broadcast_to(DZ, (2, NLEV))
    k = carbon.decomp_rates(tsoi, smp, 150.0, zs)["decomp_k"]
    sandv = np.full((2, NLEV), sand)
    out = carbon.decomposition_step(pools, dtime, zs, dz, sandv, k, inputs, diffus)
    new = out["cpools"]
    assert np.all(new >= 0.0)
    scale = (np.abs(pools).sum(axis=2) + dtime * inputs.sum(axis=2)).max() + 1e-30
    # per layer: change = inputs - respired + vertical transport (areal, gC m-2)
    lhs = (new - pools).sum(axis=2) * dz
    rhs = (inputs.sum(axis=2) - out["hr_vr"] + out["trans_vr"]) * dtime * dz
    np.testing.assert_allclose(lhs, rhs, rtol=0, atol=1e-13 * scale)
    # mixing moves carbon between layers only; CWD is not mixed
    assert np.all(np.abs((out["trans_vr"] * dz).sum(axis=1)) * dtime <= 1e-13 * scale * NLEV)
    # column: change = inputs - HR (nothing leaves the column otherwise)
    col = ((new - pools).sum(axis=2) * dz).sum(axis=1)
    np.testing.assert_allclose(col, ((inputs.sum(axis=2) * dz).sum(axis=1) - out["hr"]) * dtime,
                               rtol=0, atol=1e-12 * scale)
    # HR per layer reproduces the cascade of Table 15.4 applied to the old pools
    for c in range(2):
        np.testing.assert_allclose(out["hr_vr"][c], hr_vr_ref(pools[c], k[c], np.full(NLEV, sand)),
                                   rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(out["hr"], (out["hr_vr"] * dz).sum(axis=1), rtol=1e-13, atol=1e-300)
    if diffus == 0.0:       # no mixing: every pool of every layer exactly as the explicit cascade
        assert np.all(out["trans_vr"] == 0.0)


def test_mixing_alone_spreads_and_conserves():
    s = column_setup()
    s["k"] = np.zeros_like(s["k"])
    s["inputs"] = np.zeros_like(s["inputs"])
    cp = np.zeros((1, NLEV, 7))
    cp[0, 3, :] = 1000.0
    tot0 = (cp[0] * DZ[:, None]).sum(axis=0)
    out = step(cp, s, dtime=10 * SECSPYR, diffus=1e-4 / SECSPYR)
    new = out["cpools"][0]
    np.testing.assert_allclose((new * DZ[:, None]).sum(axis=0), tot0, rtol=1e-14)
    assert out["hr"][0] == 0.0
    np.testing.assert_array_equal(new[:, 3], cp[0, :, 3])          # CWD is not mixed
    other = [0, 1, 2, 4, 5, 6]
    assert np.all(new[3, other] < 1000.0) and np.all(new[[2, 4]][:, other] > 0.0)


# ---------------------------------------------------------------------------
# Litter input profiles (CNVerticalProfileMod)
# ---------------------------------------------------------------------------

def test_litter_input_profiles():
    s = column_setup()
    inp = s["inputs"][0]
    # totals per pool [gC m-2 s-1]
    tot = (inp * DZ[:, None]).sum(axis=0)
    leaf, froot, cwd = 300.0 / SECSPYR, 200.0 / SECSPYR, 50.0 / SECSPYR
    np.testing.assert_allclose(tot[:3], 0.25 * np.array([1, 2, 1]) * (leaf + froot), rtol=1e-13)
    assert tot[3] == pytest.approx(cwd, rel=1e-13) and np.all(tot[4:] == 0.0)
    # leaf litter on exp(-10 z), fine-root litter on the root fractions
    surf = np.exp(-10.0 * Z) / np.exp(-10.0 * Z).sum()
    expect_met = 0.25 * (leaf * surf + froot * s["rootfr"]) / DZ
    np.testing.assert_allclose(inp[:, 0], expect_met, rtol=1e-13)


# ---------------------------------------------------------------------------
# Steady state
# ---------------------------------------------------------------------------

def test_steady_state_stays_put_for_100_years():
    s = column_setup()
    css, relres = carbon.steady_state(s["zsoi"], s["dz"], s["sand"], s["k"], s["inputs"])
    assert relres[0] < 1e-14
    assert np.all(css > 0.0)
    # the steady state balances inputs: column HR = column inputs
    out = step(css, s)
    assert out["hr"][0] == pytest.approx((s["inputs"][0] * DZ[:, None]).sum(), rel=1e-10)
    cp = css.copy()
    for _ in range(100 * 365):          # 100 years of daily carbon steps
        cp = step(cp, s)["cpools"]
    # stated tolerance: every pool of every layer within 1e-10 (relative); reached: ~8e-12
    np.testing.assert_allclose(cp, css, rtol=1e-10, atol=0)


def test_started_elsewhere_approaches_steady_state():
    s = column_setup(tsurf=298.0, smp_mm=-1.0e3)
    css, _ = carbon.steady_state(s["zsoi"], s["dz"], s["sand"], s["k"], s["inputs"])

    def dist(c):                        # dz-weighted L1 distance, gC m-2
        return (np.abs(c - css)[0] * DZ[:, None]).sum()

    cp = np.zeros_like(css)
    prev = dist(cp)
    d0 = prev
    for year in range(100):
        for _ in range(73):             # 5-day carbon steps
            cp = step(cp, s, dtime=5 * DAY)["cpools"]
        d = dist(cp)
        assert d <= prev * (1 + 1e-12)  # never moves away (compartmental system)
        prev = d
    assert prev < 0.8 * d0              # the passive pool (tau ~ 270 yr x scalars) dominates
    rel = np.abs(cp - css)[0] / css[0]
    assert rel[:5, :4].max() < 1e-5     # litter and CWD of the top 5 layers: there
    assert rel[:3, 4:6].max() < 2e-2    # SOM1, SOM2 of the top 3 layers: nearly there
    assert rel[:, 6].max() < 1.0        # SOM3 everywhere on its way (started at 0)


def test_steady_state_without_decay_is_an_error():
    s = column_setup()
    s["k"][0, 4, :] = 0.0               # a dry layer (w = 0) receiving CWD that cannot mix
    with pytest.raises(InputError, match="no steady state"):
        carbon.steady_state(s["zsoi"], s["dz"], s["sand"], s["k"], s["inputs"])


# ---------------------------------------------------------------------------
# Autotrophic respiration (sec. 13.7)
# ---------------------------------------------------------------------------

ROOTFR = np.array([0.3, 0.25, 0.2, 0.12, 0.08, 0.05])


def mr_ref(n, t, q10):                  # eqs. 13.46-13.49
    return n * 2.525e-6 * q10 ** ((np.asarray(t) - (TFRZ + 20.0)) / 10.0)


def test_maintenance_respiration_values_and_q10_doubling():
    tsoi = np.array([[291.0, 290.0, 289.0, 288.0, 287.0, 286.0]])
    leafn, frootn, lsn, lcn = 2.0, 1.5, 0.8, 0.4
    kw = dict(livestemn=lsn, livecrootn=lcn, cgrowth=0.0)
    a = carbon.autotrophic_respiration(leafn, frootn, 295.0, tsoi, ROOTFR[None, None, :], 2.0, **kw)
    b = carbon.autotrophic_respiration(leafn, frootn, 305.0, tsoi + 10.0, ROOTFR[None, None, :], 2.0, **kw)
    assert a["leaf_mr"][0, 0] == pytest.approx(mr_ref(leafn, 295.0, 2.0), rel=1e-14)
    assert a["livestem_mr"][0, 0] == pytest.approx(mr_ref(lsn, 295.0, 2.0), rel=1e-14)
    assert a["livecroot_mr"][0, 0] == pytest.approx(mr_ref(lcn, 295.0, 2.0), rel=1e-14)
    np.testing.assert_allclose(a["froot_mr_lay"][0, 0], mr_ref(frootn * ROOTFR, tsoi[0], 2.0), rtol=1e-14)
    assert a["froot_mr"][0, 0] == pytest.approx(a["froot_mr_lay"].sum(), rel=1e-14)
    for name in ("leaf_mr", "froot_mr", "livestem_mr", "livecroot_mr", "mr"):
        assert b[name][0, 0] == pytest.approx(2.0 * a[name][0, 0], rel=1e-13)
    # at 20 degC every tissue respires at the base rate
    c = carbon.autotrophic_respiration(leafn, frootn, 293.15, np.full((1, 6), 293.15),
                                       ROOTFR[None, None, :], 1.5, **kw)
    assert c["mr"][0, 0] == pytest.approx(2.525e-6 * (leafn + frootn + lsn + lcn), rel=1e-14)


def test_growth_respiration_and_ar():
    cg = np.array([[0.0, 1e-6, 3.3e-5]])
    r = carbon.autotrophic_respiration(np.ones((1, 3)), 1.0, 290.0, np.full((1, 6), 288.0),
                                       np.broadcast_to(ROOTFR, (1, 3, 6)), 1.5, cgrowth=cg)
    np.testing.assert_allclose(r["gr"], 0.3 * cg, rtol=1e-15)
    np.testing.assert_allclose(r["ar"], r["mr"] + r["gr"], rtol=1e-15)


def test_leaf_mr_from_photosynthesis_and_non_woody():
    r = carbon.autotrophic_respiration(2.0, 1.0, 300.0, np.full((1, 6), 290.0), ROOTFR[None, None, :],
                                       2.0, lmr_canopy=1.5)
    assert r["leaf_mr"][0, 0] == pytest.approx(1.5 * 12.011e-6, rel=1e-15)
    tn = carbon.tissue_nitrogen(3.0, 0.03, 25.0, 120.0, 42.0, livestemc=500.0, livecrootc=100.0,
                                woody=0.0)
    assert tn["livestemn"][0, 0] == 0.0 and tn["livecrootn"][0, 0] == 0.0


@pytest.mark.parametrize("dsladlai", [0.0, 0.002])
def test_tissue_nitrogen(dsladlai):
    lai, sla, leafcn = 2.5, 0.012, 30.0
    tn = carbon.tissue_nitrogen(lai, sla, leafcn, frootc=150.0, frootcn=42.0, livestemc=600.0,
                                livecrootc=180.0, livewdcn=50.0, woody=1.0, dsladlai=dsladlai)
    leafc = tn["leafc"][0, 0]
    if dsladlai == 0.0:       # CNVegStructUpdate: tlai = slatop leafc
        assert leafc == pytest.approx(lai / sla, rel=1e-15)
    else:                     # tlai = slatop (exp(leafc dsladlai) - 1) / dsladlai
        assert sla * np.expm1(leafc * dsladlai) / dsladlai == pytest.approx(lai, rel=1e-13)
    assert tn["leafn"][0, 0] == pytest.approx(leafc / leafcn, rel=1e-15)
    assert tn["frootn"][0, 0] == pytest.approx(150.0 / 42.0, rel=1e-15)
    assert tn["livestemn"][0, 0] == pytest.approx(12.0, rel=1e-15)
    assert tn["livecrootn"][0, 0] == pytest.approx(3.6, rel=1e-15)


# ---------------------------------------------------------------------------
# Bad input: one clear error
# ---------------------------------------------------------------------------

def test_bad_decomposition_inputs():
    s = column_setup()
    cp = np.full((1, NLEV, 7), 100.0)
    neg = cp.copy()
    neg[0, 4, 5] = -1.0
    with pytest.raises(InputError, match=r"^decomp_cpools_vr = .*layer 5, pool 6.*>= 0") as e:
        step(neg, s)
    assert e.value.argument == "decomp_cpools_vr"
    for dt in (0.0, -3600.0, np.nan):
        with pytest.raises(InputError, match=r"^dtime = .*time step > 0"):
            step(cp, s, dtime=dt)
    t = np.full((1, NLEV), 290.0)
    t[0, 3] = np.nan
    with pytest.raises(InputError, match=r"^t_soisno = .*layer 4.*finite soil temperature"):
        carbon.decomp_rates(t, -1e3, 100.0, Z[None, :])
    t[0, 3] = np.inf
    with pytest.raises(InputError, match=r"^t_soisno = "):
        carbon.decomp_rates(t, -1e3, 100.0, Z[None, :])
    big = s.copy()
    big["k"] = s["k"] * 1e6
    with pytest.raises(InputError, match=r"k dtime <= 1"):
        step(cp, big, dtime=DAY)
    bad_in = s.copy()
    bad_in["inputs"] = s["inputs"].copy()
    bad_in["inputs"][0, 0, 0] = -1e-9
    with pytest.raises(InputError, match=r"^input_vr = "):
        step(cp, bad_in)


def test_bad_respiration_inputs():
    t = np.full((1, 6), 290.0)
    t[0, 2] = np.nan
    with pytest.raises(InputError, match=r"^t_soisno = .*layer 3.*MaintenanceRespiration"):
        carbon.autotrophic_respiration(1.0, 1.0, 290.0, t, ROOTFR[None, None, :], 2.0)
    with pytest.raises(InputError, match=r"^t_leaf = "):
        carbon.autotrophic_respiration(1.0, 1.0, np.nan, np.full((1, 6), 290.0), ROOTFR[None, None, :], 2.0)
    with pytest.raises(InputError, match=r"^leafn = "):
        carbon.autotrophic_respiration(-1.0, 1.0, 290.0, np.full((1, 6), 290.0), ROOTFR[None, None, :], 2.0)
    with pytest.raises(InputError, match=r"^rootfr = .*sum to 1"):
        carbon.autotrophic_respiration(1.0, 1.0, 290.0, np.full((1, 6), 290.0),
                                       0.5 * ROOTFR[None, None, :], 2.0)
    with pytest.raises(InputError, match=r"^cgrowth = "):
        carbon.autotrophic_respiration(1.0, 1.0, 290.0, np.full((1, 6), 290.0), ROOTFR[None, None, :],
                                       2.0, cgrowth=-1.0)
