"""CLM4.5 canopy radiation (SurfaceAlbedoMod, SurfaceRadiationMod) and the
solar geometry (hrclm.solar): conservation, limits with closed forms, an
independent numerical solution of the two-stream equations (TN eqs. 3.1-3.2),
soil albedo, the offline solar split and the zenith angle against published
values."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse import linalg as sparse_linalg

from hrclm import solar
from hrclm._fortran import core

NB = 2  # bands: 0 visible, 1 near-infrared


def f64(x, shape=None):
    a = np.asarray(x, dtype=np.float64)
    if shape is not None:
        a = np.broadcast_to(a, shape)
    return np.asfortranarray(a.copy())


def two_stream(coszen, elai, esai, xl, rhol, rhos, taul, taus, albgrd, albgri, check=True):
    coszen = np.atleast_1d(np.asarray(coszen, dtype=np.float64))
    n = coszen.size
    ins = [f64(coszen), f64(elai, (n,)), f64(esai, (n,)), f64(xl, (n,))]
    ins += [f64(v, (n, NB)) for v in (rhol, rhos, taul, taus, albgrd, albgri)]
    names = ["albd", "albi", "fabd", "fabi", "ftdd", "ftid", "ftii",
             "fabd_sun", "fabd_sha", "fabi_sun", "fabi_sha"]
    out = {k: np.full((n, NB), np.nan, order="F") for k in names}
    out["extkb"] = np.full(n, np.nan)
    out["fsun"] = np.full(n, np.nan)
    ierr, errmsg = core.f90wrap_hrclm_api__api_two_stream(
        n, *ins, *(out[k] for k in names), out["extkb"], out["fsun"])
    msg = errmsg.decode().strip() if isinstance(errmsg, bytes) else str(errmsg).strip()
    if check:
        assert ierr == 0, msg
    out["ierr"], out["errmsg"] = ierr, msg
    return out


def soil_albedo(isoicol, theta1):
    isoicol = np.atleast_1d(np.asarray(isoicol, dtype=np.int32))
    n = isoicol.size
    albgrd = np.zeros((n, NB), order="F")
    albgri = np.zeros((n, NB), order="F")
    ierr, errmsg = core.f90wrap_hrclm_api__api_soil_albedo(
        n, np.asfortranarray(isoicol), f64(theta1, (n,)), albgrd, albgri)
    msg = errmsg.decode().strip() if isinstance(errmsg, bytes) else str(errmsg).strip()
    return albgrd, albgri, ierr, msg


def solar_split(swdown, coszen):
    swdown = np.atleast_1d(np.asarray(swdown, dtype=np.float64))
    n = swdown.size
    solad = np.zeros((n, NB), order="F")
    solai = np.zeros((n, NB), order="F")
    core.f90wrap_hrclm_api__api_solar_split(n, f64(swdown), f64(coszen, (n,)), solad, solai)
    return solad, solai


def surface_radiation(solad, solai, ts, albgrd, albgri, elai, esai):
    n = solad.shape[0]
    out = {k: np.full(n, np.nan) for k in
           ("sabv", "sabg", "fsa", "fsr", "parsun", "parsha", "laisun", "laisha")}
    core.f90wrap_hrclm_api__api_surface_radiation(
        n, f64(solad), f64(solai), *(f64(ts[k]) for k in
                                     ("albd", "albi", "fabd", "fabi", "ftdd", "ftid", "ftii",
                                      "fabd_sun", "fabd_sha", "fabi_sun", "fabi_sha")),
        f64(albgrd, (n, NB)), f64(albgri, (n, NB)), f64(elai, (n,)), f64(esai, (n,)),
        f64(ts["fsun"]), *(out[k] for k in ("sabv", "sabg", "fsa", "fsr", "parsun", "parsha",
                                            "laisun", "laisha")))
    return out


# ---------------------------------------------------------------------------
# Independent reference: the two-stream ODEs solved numerically
# ---------------------------------------------------------------------------

def tn_parameters(cosz, xl, rho_l, rho_s, tau_l, tau_s, elai, esai):
    """K, mu_bar, omega, beta0, beta of TN eqs. 3.3-3.16 (CLM's clamps) in NumPy."""
    cosz = max(0.001, cosz)
    chil = min(max(xl, -0.4), 0.6)
    if abs(chil) <= 0.01:
        chil = 0.01
    phi1 = 0.5 - 0.633 * chil - 0.33 * chil ** 2
    phi2 = 0.877 * (1 - 2 * phi1)
    g = phi1 + phi2 * cosz
    k = g / cosz
    avmu = (1 - phi1 / phi2 * np.log((phi1 + phi2) / phi1)) / phi2
    vai = elai + esai
    wl, ws = elai / max(vai, 1e-6), esai / max(vai, 1e-6)
    rho = max(rho_l * wl + rho_s * ws, 1e-6)
    tau = max(tau_l * wl + tau_s * ws, 1e-6)
    if rho + tau > 1 - 1e-6:     # SurfaceAlbedoMod's omega_max
        rho, tau = rho * (1 - 1e-6) / (rho + tau), (1 - 1e-6) - rho * (1 - 1e-6) / (rho + tau)
    om = rho + tau
    # eq. 3.16 by numerical quadrature of its integral form
    mup = (np.arange(20000) + 0.5) / 20000
    gp = phi1 + phi2 * mup
    asu = 0.5 * om * np.mean(mup * g / (cosz * gp + mup * g))
    beta0 = (1 + avmu * k) / (om * avmu * k) * asu
    beta = 0.5 * (om + (rho - tau) * ((1 + chil) / 2) ** 2) / om
    return k, avmu, om, beta0, beta


def ode_reference(k, avmu, om, beta0, beta, vai, ad, ai, direct, n=300):
    """Eqs. 3.1-3.2 on a grid (trapezoid rule, Richardson-extrapolated).

    Returns albedo, diffuse below canopy, canopy absorption and sunlit
    absorption per unit incident flux, the last two integrated from the
    profiles (absorbed = (1 - omega) x intercepted), not as residuals."""
    def solve(n):
        b = 1 - om + om * beta
        c = om * beta
        d = om * avmu * k * beta0 if direct else 0.0
        f = om * avmu * k * (1 - beta0) if direct else 0.0
        x = np.linspace(0.0, vai, n + 1)
        dx = vai / n
        e = np.exp(-k * x)
        m = n + 1
        a = sparse.lil_matrix((2 * m, 2 * m))
        r = np.zeros(2 * m)
        i = np.arange(n)
        w = dx / (2 * avmu)
        # dU/dx = (b U - c D - d e)/avmu ; dD/dx = (c U - b D + f e)/avmu
        a[i, i + 1] = 1 - w * b
        a[i, i] = -1 - w * b
        a[i, m + i] = w * c
        a[i, m + i + 1] = w * c
        r[i] = -w * d * (e[i] + e[i + 1])
        a[n + i, m + i + 1] = 1 + w * b
        a[n + i, m + i] = -1 + w * b
        a[n + i, i] = -w * c
        a[n + i, i + 1] = -w * c
        r[n + i] = w * f * (e[i] + e[i + 1])
        a[2 * n, m] = 1.0                      # downward diffuse at the top
        r[2 * n] = 0.0 if direct else 1.0
        a[2 * n + 1, n] = 1.0                  # ground reflection at the bottom
        a[2 * n + 1, m + n] = -ai
        r[2 * n + 1] = ad * e[-1] if direct else 0.0
        s = sparse_linalg.spsolve(a.tocsc(), r)
        up, dn = s[:m], s[m:]
        trap = np.full(m, dx)
        trap[[0, -1]] = dx / 2
        s2 = np.exp(-k * vai)
        beam = (1 - s2) if direct else 0.0
        fab = (1 - om) * (beam + np.sum(trap * (up + dn)) / avmu)
        fab_sun = (1 - om) * (beam + np.sum(trap * (up + dn) * e) / avmu)
        return np.array([up[0], dn[-1], fab, fab_sun])
    return (4 * solve(2 * n) - solve(n)) / 3


# ---------------------------------------------------------------------------
# Two-stream
# ---------------------------------------------------------------------------

optic = st.floats(0.0, 0.5)
canopy = st.fixed_dictionaries({
    "coszen": st.floats(0.01, 1.0),
    "elai": st.floats(0.0, 10.0),
    "esai": st.floats(0.0, 3.0),
    "xl": st.floats(-0.6, 0.8),
    "rhol": st.tuples(optic, optic), "taul": st.tuples(optic, optic),
    "rhos": st.tuples(optic, optic), "taus": st.tuples(optic, optic),
    "albgrd": st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)),
    "albgri": st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)),
})


def run(case):
    return two_stream(case["coszen"], case["elai"], case["esai"], case["xl"],
                      [case["rhol"]], [case["rhos"]], [case["taul"]], [case["taus"]],
                      [case["albgrd"]], [case["albgri"]])


@settings(max_examples=300, deadline=None)
@given(canopy)
def test_two_stream_conserves_and_stays_in_bounds(case):
    r = run(case)
    ad, ai = np.array([case["albgrd"]]), np.array([case["albgri"]])
    for v in r.values():
        if isinstance(v, np.ndarray):
            assert np.all(np.isfinite(v))
    # direct: canopy + reflected + ground = 1 ; diffuse likewise (TN eqs. 3.21, 3.22)
    direct = r["fabd"] + r["albd"] + (1 - ad) * r["ftdd"] + (1 - ai) * r["ftid"]
    diffuse = r["fabi"] + r["albi"] + (1 - ai) * r["ftii"]
    np.testing.assert_allclose(direct, 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(diffuse, 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(r["fabd_sun"] + r["fabd_sha"], r["fabd"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(r["fabi_sun"] + r["fabi_sha"], r["fabi"], rtol=0, atol=1e-12)
    tol = 1e-9
    for k in ("albd", "albi", "fabd", "fabi", "ftdd", "ftid", "ftii",
              "fabd_sun", "fabd_sha", "fabi_sun", "fabi_sha"):
        assert np.all(r[k] >= -tol) and np.all(r[k] <= 1 + tol), (k, r[k])
    assert np.all(r["fabd_sun"] <= r["fabd"] + tol) and np.all(r["fabi_sun"] <= r["fabi"] + tol)
    # the ground cannot absorb more than arrives (the flux reaching it can exceed 1
    # through multiple reflection between a bright ground and the canopy)
    assert np.all((1 - ad) * r["ftdd"] + (1 - ai) * r["ftid"] <= 1 + tol)
    assert np.all((1 - ai) * r["ftii"] <= 1 + tol)


@settings(max_examples=40, deadline=None)
@given(canopy.filter(lambda c: c["elai"] + c["esai"] > 0.05))
def test_two_stream_matches_numerical_solution_of_the_ode(case):
    """Closed form (TN eqs. 3.17-3.57) against a grid solution of eqs. 3.1-3.2,
    with the canopy absorption integrated from the profiles; the direct and
    diffuse ground albedos differ."""
    r = run(case)
    vai = case["elai"] + case["esai"]
    for ib in range(NB):
        k, avmu, om, beta0, beta = tn_parameters(
            case["coszen"], case["xl"], case["rhol"][ib], case["rhos"][ib],
            case["taul"][ib], case["taus"][ib], case["elai"], case["esai"])
        assert r["extkb"][0] == pytest.approx(k, rel=1e-12)
        # keep the grid fine enough for the optical depths drawn
        n = int(min(max(60 * max(k, 1 / avmu) * vai, 200), 1500))
        ad, ai = case["albgrd"][ib], case["albgri"][ib]
        alb, dn, fab, fsun_ = ode_reference(k, avmu, om, beta0, beta, vai, ad, ai, True, n)
        got = np.array([r["albd"][0, ib], r["ftid"][0, ib], r["fabd"][0, ib], r["fabd_sun"][0, ib]])
        np.testing.assert_allclose(got, [alb, dn, fab, fsun_], rtol=0, atol=2e-5)
        alb, dn, fab, fsun_ = ode_reference(k, avmu, om, beta0, beta, vai, ad, ai, False, n)
        got = np.array([r["albi"][0, ib], r["ftii"][0, ib], r["fabi"][0, ib], r["fabi_sun"][0, ib]])
        np.testing.assert_allclose(got, [alb, dn, fab, fsun_], rtol=0, atol=2e-5)


def test_two_stream_near_the_sigma_singularity():
    """sigma (eq. 3.36) = 0 where K equals the diffuse eigenvalue h; for
    near-black leaves on a spherical-like distribution this is near coszen
    0.5. The result must stay finite and agree with the ODE."""
    cz = np.linspace(0.45, 0.6, 301)
    r = two_stream(cz, 2.0, 0.0, 0.0, [[0.0, 0.0]], [[0.0, 0.0]], [[0.0, 0.0]], [[0.0, 0.0]],
                   [[0.2, 0.2]], [[0.2, 0.2]])
    assert np.all(np.isfinite(r["albd"])) and np.all(np.isfinite(r["fabd_sun"]))
    # smooth in coszen: no spike where sigma crosses zero
    assert np.max(np.abs(np.diff(r["albd"][:, 0], 2))) < 1e-6
    assert np.max(np.abs(np.diff(r["fabd_sun"][:, 0], 2))) < 1e-6


def test_black_leaves_black_soil_is_beer_law():
    cz = np.array([0.2, 0.5, 0.9])
    lai, sai = 6.0, 1.0
    r = two_stream(cz, lai, sai, 0.0, [[0.0, 0.0]], [[0.0, 0.0]], [[0.0, 0.0]], [[0.0, 0.0]],
                   [[0.0, 0.0]], [[0.0, 0.0]])
    # spherical leaves: G = 0.5; CLM moves chi_L = 0 to 0.01 (phi2 /= 0 in eq. 3.4),
    # so G(mu) = phi1 + phi2 mu departs from 0.5 by up to 1 %
    np.testing.assert_allclose(r["extkb"], 0.5 / cz, rtol=1e-2)
    phi1 = 0.5 - 0.633 * 0.01 - 0.33 * 0.01 ** 2
    phi2 = 0.877 * (1 - 2 * phi1)
    np.testing.assert_allclose(r["extkb"], (phi1 + phi2 * cz) / cz, rtol=1e-12)
    beer = 1 - np.exp(-r["extkb"] * (lai + sai))
    for ib in range(NB):
        # leaves floored at rho = tau = 1e-6 (CLM): omega = 2e-6
        np.testing.assert_allclose(r["fabd"][:, ib], beer, atol=1e-5)
        np.testing.assert_allclose(r["ftdd"][:, ib], np.exp(-r["extkb"] * (lai + sai)), rtol=1e-12)
        np.testing.assert_allclose(r["albd"][:, ib], 0.0, atol=1e-5)
        # all direct absorption is by sunlit leaves
        np.testing.assert_allclose(r["fabd_sun"][:, ib], beer, atol=1e-5)


@settings(max_examples=200, deadline=None)
@given(st.floats(0.01, 1.0), st.floats(0.0, 10.0), st.floats(0.0, 3.0), st.floats(-0.4, 0.6))
def test_sunlit_fraction_of_the_big_leaf(cz, lai, sai, xl):
    r = two_stream(cz, lai, sai, xl, [[0.1, 0.4]], [[0.2, 0.4]], [[0.05, 0.3]], [[0.001, 0.001]],
                   [[0.1, 0.2]], [[0.1, 0.2]])
    k, vai = r["extkb"][0], lai + sai
    if vai == 0:
        assert r["fsun"][0] == 0.0
    else:
        np.testing.assert_allclose(r["fsun"][0], -np.expm1(-k * vai) / (k * vai), rtol=1e-9)


def test_no_canopy_is_the_ground_and_night_is_clm_night():
    cz = np.array([0.7, 0.0, -0.3])
    r = two_stream(cz, [0.0, 3.0, 3.0], [0.0, 0.5, 0.5], 0.0, [[0.1, 0.4]], [[0.2, 0.4]],
                   [[0.05, 0.3]], [[0.001, 0.001]], [[0.15, 0.3]], [[0.12, 0.28]])
    np.testing.assert_array_equal(r["albd"][0], [0.15, 0.3])
    np.testing.assert_array_equal(r["albi"][0], [0.12, 0.28])
    np.testing.assert_array_equal(r["fabd"][0], 0.0)
    np.testing.assert_array_equal(r["ftdd"][0], 1.0)
    np.testing.assert_array_equal(r["ftii"][0], 1.0)
    for p in (1, 2):
        np.testing.assert_array_equal(r["albd"][p], 1.0)
        np.testing.assert_array_equal(r["albi"][p], 1.0)
        for k in ("fabd", "fabi", "ftdd", "ftid", "ftii", "fabd_sun", "fabi_sha"):
            np.testing.assert_array_equal(r[k][p], 0.0)
        assert r["fsun"][p] == 0.0 and r["extkb"][p] == 0.0


@pytest.mark.parametrize("field, value, words", [
    ("coszen", np.nan, "coszen = NaN at patch 1"),
    ("elai", -1.0, "elai = -1.0000E+00 at patch 1"),
    ("rhol", 0.8, "rhol + taul = 1.3000E+00 at patch 1, band 1"),
    ("albgri", 1.5, "albgri = 1.5000E+00 at patch 1, band 1"),
])
def test_two_stream_rejects_invalid_input(field, value, words):
    case = dict(coszen=0.5, elai=2.0, esai=0.5, xl=0.0, rhol=[[0.1, 0.4]], rhos=[[0.2, 0.4]],
                taul=[[0.5, 0.3]], taus=[[0.001, 0.001]], albgrd=[[0.1, 0.2]], albgri=[[0.1, 0.2]])
    if field in ("rhol", "albgri"):
        case[field] = [[value, 0.2]]
    else:
        case[field] = value
    r = two_stream(check=False, **case)
    assert r["ierr"] == 1
    assert r["errmsg"].startswith(words) and "is not valid" in r["errmsg"]


# ---------------------------------------------------------------------------
# Surface radiation
# ---------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(canopy, st.floats(0.0, 1200.0))
def test_surface_radiation_balance_and_par(case, sw):
    r = run(case)
    solad, solai = solar_split([sw], [case["coszen"]])
    out = surface_radiation(solad, solai, r, [case["albgrd"]], [case["albgri"]],
                            case["elai"], case["esai"])
    total = solad.sum() + solai.sum()
    np.testing.assert_allclose(out["fsa"] + out["fsr"], total, rtol=0, atol=1e-9 * max(total, 1))
    np.testing.assert_allclose(out["fsa"], out["sabv"] + out["sabg"], rtol=0, atol=1e-12 * max(total, 1))
    assert min(out["sabv"][0], out["sabg"][0]) >= -1e-10 * max(total, 1)
    lai, vai, fsun = case["elai"], case["elai"] + case["esai"], r["fsun"][0]
    np.testing.assert_allclose(out["laisun"], lai * fsun, rtol=1e-14)
    np.testing.assert_allclose(out["laisun"] + out["laisha"], lai, rtol=1e-14)
    # PAR per unit sunlit / shaded plant area times that area = canopy visible absorption
    apar = solad[0, 0] * r["fabd"][0, 0] + solai[0, 0] * r["fabi"][0, 0]
    if lai > 0:
        back = out["parsun"][0] * fsun * vai + out["parsha"][0] * (1 - fsun) * vai
        # (fabd is a residual of O(1) terms: round-off ~1e-11 of the incoming flux)
        np.testing.assert_allclose(back, apar, rtol=1e-9, atol=1e-10 * max(total, 1))
    else:
        assert out["parsun"][0] == 0 and out["parsha"][0] == 0


def test_surface_radiation_at_night_reflects_what_arrives():
    r = two_stream([-0.1], 3.0, 0.5, 0.0, [[0.1, 0.4]], [[0.2, 0.4]], [[0.05, 0.3]],
                   [[0.001, 0.001]], [[0.1, 0.2]], [[0.1, 0.2]])
    solad, solai = solar_split([5.0], [-0.1])
    assert np.all(solad == 0)
    out = surface_radiation(solad, solai, r, [[0.1, 0.2]], [[0.1, 0.2]], 3.0, 0.5)
    assert out["sabv"][0] == 0 and out["sabg"][0] == 0 and out["fsr"][0] == pytest.approx(5.0)
    assert out["parsun"][0] == 0 and out["parsha"][0] == 0
    assert out["laisun"][0] == 0 and out["laisha"][0] == 3.0


# ---------------------------------------------------------------------------
# Soil albedo (TN eq. 3.61, Table 3.3)
# ---------------------------------------------------------------------------

# Table 3.3, classes 1, 10, 20: (dry vis, dry nir, sat vis, sat nir)
TABLE_3_3 = {1: (0.36, 0.61, 0.25, 0.50), 10: (0.25, 0.39, 0.14, 0.28), 20: (0.08, 0.16, 0.04, 0.08)}


def test_soil_albedo_dry_wet_and_monotone():
    for cls, (dv, dn, sv, sn) in TABLE_3_3.items():
        dry, dry_i, ierr, _ = soil_albedo([cls], [0.0])
        assert ierr == 0
        np.testing.assert_allclose(dry[0], [dv, dn], rtol=1e-12)
        np.testing.assert_array_equal(dry, dry_i)
        for wet_theta in (0.275, 0.4, 0.5):
            wet, _, _, _ = soil_albedo([cls], [wet_theta])
            np.testing.assert_allclose(wet[0], [sv, sn], rtol=1e-12)
    theta = np.linspace(0.0, 0.6, 121)
    for cls in range(1, 21):
        alb, _, ierr, _ = soil_albedo(np.full(theta.size, cls), theta)
        assert ierr == 0
        assert np.all(np.diff(alb, axis=0) <= 1e-15)
        # between the limits: albsat + 0.11 - 0.40 theta
        _, _, _, _ = soil_albedo([cls], [0.1])
    mid, _, _, _ = soil_albedo([1], [0.1])
    np.testing.assert_allclose(mid[0], [0.25 + 0.07, 0.50 + 0.07], rtol=1e-12)


@pytest.mark.parametrize("cls", [0, 21, -3])
def test_soil_albedo_rejects_colour_class(cls):
    _, _, ierr, msg = soil_albedo([3, cls], [0.2, 0.2])
    assert ierr == 1
    assert msg.startswith(f"isoicol = {cls} at patch 2 is not valid") and "1 to 20" in msg
    assert msg.count(".") <= 1


# ---------------------------------------------------------------------------
# Solar split (CLM offline data atmosphere)
# ---------------------------------------------------------------------------

def test_solar_split_sums_bounds_and_night():
    sw = np.array([0.0, 1.0, 50.0, 200.0, 400.0, 800.0, 1100.0, 1400.0, 300.0])
    cz = np.array([0.5] * 8 + [-0.2])
    solad, solai = solar_split(sw, cz)
    np.testing.assert_allclose(solad.sum(axis=1) + solai.sum(axis=1), sw, rtol=1e-15, atol=0)
    np.testing.assert_allclose(solad[:, 0] + solai[:, 0], 0.5 * sw, rtol=1e-15)
    day = (sw > 0) & (cz > 0)
    frac = solad[day] / (solad[day] + solai[day])
    assert np.all(frac >= 0.01 - 1e-15) and np.all(frac <= 0.99 + 1e-15)
    assert np.all(solad[~day] == 0.0)
    assert solai[-1].sum() == pytest.approx(300.0)
    # TN Offline Mode eqs. 31.7-31.8 at 400 W m-2 (200 W m-2 per band)
    s = 200.0
    rvis = 0.17639 + 0.00380 * s - 9.0039e-6 * s ** 2 + 8.1351e-9 * s ** 3
    rnir = 0.29548 + 0.00504 * s - 1.4957e-5 * s ** 2 + 1.4881e-8 * s ** 3
    np.testing.assert_allclose(solad[4] / s, [rvis, rnir], rtol=1e-12)


# ---------------------------------------------------------------------------
# Solar geometry
# ---------------------------------------------------------------------------

def _minutes(day, start="10:00", end="14:00"):
    return np.arange(np.datetime64(f"{day}T{start}"), np.datetime64(f"{day}T{end}"),
                     np.timedelta64(1, "m"))


def test_cos_zenith_equinox_noon_on_the_equator():
    t = _minutes("2021-03-20")
    mu = solar.cos_zenith(t, 0.0, 0.0)
    assert mu.max() > 0.9999
    # solar noon at Greenwich on 20 March is about 12:07-12:08 UTC (equation of time -7.5 min)
    noon = t[mu.argmax()]
    assert np.datetime64("2021-03-20T12:05") <= noon <= np.datetime64("2021-03-20T12:10")


def test_cos_zenith_high_latitude_winter_noon_and_night():
    mu = solar.cos_zenith(_minutes("2021-12-21"), 60.0, 0.0)
    # elevation at noon 90 - 60 - 23.44 = 6.56 degrees
    assert mu.max() == pytest.approx(np.sin(np.deg2rad(6.56)), abs=0.003)
    assert solar.cos_zenith(np.datetime64("2021-12-21T12:00"), 80.0, 0.0) < 0
    assert solar.cos_zenith(np.datetime64("2021-06-01T00:00"), 45.0, 0.0) < 0
    assert solar.cos_zenith(np.datetime64("2021-06-01T00:00"), 45.0, 180.0) > 0


def test_cos_zenith_against_nrel_spa_example():
    """Reda & Andreas (2004, NREL/TP-560-34302), worked example: 17 Oct 2003
    12:30:30 local (UTC-7), 39.742476 N, 105.1786 W: topocentric zenith
    50.11162 degrees (refraction there is about 0.01 degree)."""
    mu = solar.cos_zenith(np.datetime64("2003-10-17T19:30:30"), 39.742476, -105.1786)
    assert np.rad2deg(np.arccos(mu)) == pytest.approx(50.11162, abs=0.1)


def test_cos_zenith_midpoint_and_broadcast():
    t0 = np.array(["2021-07-01T06:00", "2021-07-01T12:00"], dtype="datetime64[s]")
    a = solar.cos_zenith(t0, 47.0, 8.0, dtime=3600.0)
    b = solar.cos_zenith(t0 + np.timedelta64(1800, "s"), 47.0, 8.0)
    np.testing.assert_array_equal(a, b)
    assert solar.cos_zenith(t0, [0.0, 10.0], 0.0).shape == (2,)
    with pytest.raises(TypeError):
        solar.cos_zenith(0.0, 0.0, 0.0)


def test_daylength():
    t = np.datetime64("2021-06-21T12:00")
    d = solar.daylength(t, [0.0, 60.0, 80.0, -80.0])
    assert d[0] == pytest.approx(43200.0, abs=1.0)
    # geometric day length at 60 N on the June solstice: about 18.5 h
    assert d[1] / 3600 == pytest.approx(18.5, abs=0.1)
    assert d[2] == 86400.0 and d[3] == 0.0
