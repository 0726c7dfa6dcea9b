"""CLM4.5 surface physics of the Fortran core: saturation humidity (QSatMod),
Monin-Obukhov surface layer (FrictionVelocityMod) and soil temperature with
CLM4.5 thermal properties (SoilTemperatureMod), against independent
references, analytic solutions and conservation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrclm._fortran import core

TFRZ = 273.15
VKC = 0.4
CAPR = 0.34   # CLM4.5 clm_varcon
CNFAC = 0.5   # CLM4.5 clm_varcon


def f64(a):
    return np.asfortranarray(np.asarray(a, dtype=np.float64))


# ----------------------------------------------------------------------------- QSat

def qsat(t, p):
    t, p = f64(np.atleast_1d(t)), f64(np.broadcast_to(p, np.shape(np.atleast_1d(t))))
    es, esdt, qs, qsdt = (np.zeros_like(t, order="F") for _ in range(4))
    core.f90wrap_hrclm_api__api_qsat(t.size, t, p, es, esdt, qs, qsdt)
    return es, esdt, qs, qsdt


def murphy_koop_liquid(t):
    """Murphy & Koop (2005, QJRMS 131, 1539), eq. 10: vapour pressure over liquid [Pa]."""
    return np.exp(54.842763 - 6763.22 / t - 4.210 * np.log(t) + 0.000367 * t
                  + np.tanh(0.0415 * (t - 218.8))
                  * (53.878 - 1331.22 / t - 9.44523 * np.log(t) + 0.014025 * t))


def murphy_koop_ice(t):
    """Murphy & Koop (2005), eq. 7: vapour pressure over ice [Pa]."""
    return np.exp(9.550426 - 5723.265 / t + 3.53068 * np.log(t) - 0.00728332 * t)


def tetens_liquid(t):
    """Tetens (Murray 1967) form over water [Pa]."""
    tc = t - TFRZ
    return 610.78 * np.exp(17.27 * tc / (tc + 237.3))


def test_qsat_water_matches_independent_references():
    t = TFRZ + np.linspace(0.0, 40.0, 81)
    es, _, _, _ = qsat(t, 1.0e5)
    # Flatau et al. fits Wexler's formulation to ~1e-4; Murphy-Koop agrees with it to ~0.05 %
    np.testing.assert_allclose(es, murphy_koop_liquid(t), rtol=1e-3)
    np.testing.assert_allclose(es, tetens_liquid(t), rtol=5e-3)
    assert abs(es[0] - 611.2) < 0.5          # 6.112 hPa at 0 C
    assert abs(es[40] - 2339.0) < 3.0         # ~23.39 hPa at 20 C


def test_qsat_ice_below_freezing():
    t = TFRZ + np.linspace(-40.0, -0.5, 80)
    es, _, _, _ = qsat(t, 1.0e5)
    np.testing.assert_allclose(es, murphy_koop_ice(t), rtol=2e-3)
    # over ice, not over supercooled water: lower by > 4 % at -10 C
    es10, _, _, _ = qsat(TFRZ - 10.0, 1.0e5)
    assert es10[0] < 0.96 * murphy_koop_liquid(TFRZ - 10.0)


def test_qsat_derivatives_match_centred_differences():
    for t in np.r_[TFRZ + np.linspace(-60, -0.3, 30), TFRZ + np.linspace(0.3, 45, 30)]:
        h = 0.01
        es_p, _, qs_p, _ = qsat(t + h, 9.0e4)
        es_m, _, qs_m, _ = qsat(t - h, 9.0e4)
        es, esdt, qs, qsdt = qsat(t, 9.0e4)
        # the derivative is its own Flatau fit, not the exact derivative: 0.2 %
        assert esdt[0] == pytest.approx((es_p[0] - es_m[0]) / (2 * h), rel=2e-3)
        assert qsdt[0] == pytest.approx((qs_p[0] - qs_m[0]) / (2 * h), rel=2e-3)
        assert qs[0] == pytest.approx(0.622 * es[0] / (9.0e4 - 0.378 * es[0]), rel=1e-14)


def test_qsat_clips_temperature_range_like_clm():
    es_hot, _, _, _ = qsat(np.array([TFRZ + 100.0, TFRZ + 150.0]), 2.0e5)
    es_cold, _, _, _ = qsat(np.array([TFRZ - 75.0, TFRZ - 120.0]), 1.0e5)
    assert es_hot[0] == es_hot[1] and es_cold[0] == es_cold[1]


# ------------------------------------------------------------------ Monin-Obukhov

def friction_velocity(obu, um=3.0, zu=30.0, zt=30.0, zq=30.0, d=0.0, z0m=0.05, z0h=0.005,
                      z0q=0.005):
    obu = f64(np.atleast_1d(obu))
    n = obu.size
    full = lambda v: f64(np.full(n, v))  # noqa: E731
    out = [np.zeros(n) for _ in range(5)]
    ierr, msg = core.f90wrap_hrclm_api__api_friction_velocity(
        n, full(d), full(z0m), full(z0h), full(z0q), obu, full(um), full(um), full(zu), full(zt),
        full(zq), *out)
    assert ierr == 0, msg
    ustar, temp1, temp2, ram1, fm = out
    return dict(ustar=ustar, rah=1 / (temp1 * ustar), raw=1 / (temp2 * ustar), ram=ram1, fm=fm)


@pytest.mark.parametrize("obu", [1e12, -1e12])
def test_neutral_limit_resistances(obu):
    um, z, d, z0m, z0h = 3.0, 30.0, 2.0, 0.05, 0.005
    r = friction_velocity(obu, um=um, zu=z, zt=z, zq=z, d=d, z0m=z0m, z0h=z0h, z0q=z0h)
    lm, lh = np.log((z - d) / z0m), np.log((z - d) / z0h)
    assert r["ram"][0] == pytest.approx(lm ** 2 / (VKC ** 2 * um), rel=1e-8)
    assert r["rah"][0] == pytest.approx(lm * lh / (VKC ** 2 * um), rel=1e-8)
    assert r["raw"][0] == pytest.approx(r["rah"][0], rel=1e-14)


def test_stability_raises_and_instability_lowers_resistances():
    neutral = friction_velocity(1e12)
    stable = friction_velocity(50.0)
    unstable = friction_velocity(-50.0)
    for key in ("ram", "rah"):
        assert stable[key][0] > 1.05 * neutral[key][0]
        assert unstable[key][0] < 0.95 * neutral[key][0]


def test_resistances_monotone_in_stability_across_all_branches():
    # zeta = (z - d)/L from very unstable (< -1.574) to very stable (> 1), the
    # range CLM allows (-100 .. 2) and beyond on the stable side
    zeta = np.r_[-np.logspace(2, -4, 300), np.logspace(-4, 1.5, 200)]
    r = friction_velocity(30.0 / zeta)
    assert np.all(np.diff(r["rah"]) > 0)
    # At a fixed V_a, CLM's free-convection momentum profile (5.32) has a
    # minimum of r_am in zeta: its 1.14 (-zeta)^0.333 term outgrows the
    # falling ln(-zeta_m L/z0m) (here near zeta = -14; nearer zero for larger
    # z0m/(z - d)). In CLM, V_a grows with the convective velocity there.
    sel = zeta > -5.0
    assert np.all(np.diff(r["ram"][sel]) > 0)
    assert np.all(np.diff(r["ram"][zeta < -20.0]) < 0)


def test_friction_velocity_rejects_invalid_input():
    n = 1
    one = lambda v: f64([v])  # noqa: E731
    out = [np.zeros(n) for _ in range(5)]
    ierr, msg = core.f90wrap_hrclm_api__api_friction_velocity(
        n, one(0.0), one(0.05), one(0.005), one(0.005), one(0.0), one(3.0), one(3.0), one(30.0),
        one(30.0), one(30.0), *out)
    assert ierr == 1 and b"obu" in msg and b"patch 1" in msg


def test_monin_obukhov_first_guess_limits():
    n = 4
    ur = f64([5.0, 0.5, 5.0, 0.5])
    thv = f64([290.0] * n)
    dthv = f64([0.0, 5.0, -0.5, -10.0])      # neutral, very stable, unstable, very unstable
    zldis, z0m = f64([30.0] * n), f64([0.05] * n)
    um, obu = np.zeros(n), np.zeros(n)
    core.f90wrap_hrclm_api__api_monin_obuk_ini(n, ur, thv, dthv, zldis, z0m, um, obu)
    zeta = 30.0 / obu
    assert zeta[0] == pytest.approx(0.01) and zeta[1] == pytest.approx(2.0)
    assert -100.0 <= zeta[3] < zeta[2] <= -0.01
    assert um[0] == 5.0 and um[2] == pytest.approx(np.hypot(5.0, 0.5))


# ------------------------------------------------------------------ soil temperature

def ground_grid(z_h, zi_h):
    nlev = len(z_h)
    z, dz, zi = np.zeros(nlev + 5), np.zeros(nlev + 5), np.zeros(nlev + 6)
    core.f90wrap_hrclm_api__api_ground_grid(nlev, f64(z_h), f64(zi_h), z, dz, zi)
    return z, dz, zi


def clm45_grid(n):
    j = np.arange(1, n + 1)
    z = 0.025 * (np.exp(0.5 * (j - 0.5)) - 1)
    zi = np.r_[0.0, 0.5 * (z[:-1] + z[1:]), z[-1] + 0.5 * (z[-1] - z[-2])]
    return z, np.diff(zi), zi


def thermal_params(sand, clay, om, watsat):
    sand, clay, om, watsat = (f64(np.atleast_2d(a)) for a in (sand, clay, om, watsat))
    ncol, nlev = sand.shape
    out = [np.zeros((ncol, nlev), order="F") for _ in range(4)]
    ierr, msg = core.f90wrap_hrclm_api__api_soil_thermal_params(ncol, nlev, sand, clay, om, watsat,
                                                                *out)
    assert ierr == 0, msg
    return dict(zip(("tkmg", "tksatu", "tkdry", "csol"), out))


def therm_prop(z, dz, zi, watsat, par, t, liq, ice):
    z, dz, zi, t, liq, ice = (f64(np.atleast_2d(a)) for a in (z, dz, zi, t, liq, ice))
    watsat = f64(np.atleast_2d(watsat))
    ncol, nlevgrnd = z.shape
    nlev = watsat.shape[1]
    out = [np.zeros((ncol, nlevgrnd), order="F") for _ in range(3)]
    ierr, msg = core.f90wrap_hrclm_api__api_soil_therm_prop(
        ncol, nlev, nlevgrnd, z, dz, zi, watsat, f64(par["tkmg"]), f64(par["tkdry"]),
        f64(par["csol"]), t, liq, ice, *out)
    assert ierr == 0, msg
    return dict(zip(("thk", "tk", "cv"), out))


def soil_step(dtime, z, dz, zi, tk, cv, hs, dhsdt, bottom, t, capr=CAPR, cnfac=CNFAC):
    """One step; returns (t_new, fact, fgr, hs_applied, ierr, msg); t is not modified."""
    z, dz, zi, tk, cv = (f64(np.atleast_2d(a)) for a in (z, dz, zi, tk, cv))
    tn = f64(np.atleast_2d(t)).copy(order="F")
    ncol, n = z.shape
    fact, fgr = np.zeros((ncol, n), order="F"), np.zeros((ncol, n), order="F")
    hsa = np.zeros(ncol)
    ierr, msg = core.f90wrap_hrclm_api__api_soil_temperature(
        ncol, n, dtime, capr, cnfac, z, dz, zi, tk, cv, f64(np.atleast_1d(hs)),
        f64(np.atleast_1d(dhsdt)), f64(np.atleast_1d(bottom)), tn, fact, fgr, hsa)
    return tn, fact, fgr, hsa, ierr, msg


def uniform_column(n, h):
    zi = np.arange(n + 1) * h
    return 0.5 * (zi[:-1] + zi[1:]), np.full(n, h), zi


def test_ground_grid_reproduces_clm45_fifteen_levels():
    z15, dz15, zi15 = clm45_grid(15)
    z, dz, zi = ground_grid(z15[:10], zi15[:11])
    np.testing.assert_allclose(z, z15, rtol=1e-13)
    np.testing.assert_allclose(dz, dz15, rtol=1e-13)
    np.testing.assert_allclose(zi, zi15, rtol=1e-13)
    # Table 6.1 of the CLM4.5 technical note
    np.testing.assert_allclose(dz[10:], [2.4826, 4.0931, 6.7484, 11.1262, 13.8512], atol=1e-4)
    # another soil grid: the same bedrock block hung below it
    zu, dzu, ziu = uniform_column(8, 0.25)
    z2, dz2, zi2 = ground_grid(zu, ziu)
    np.testing.assert_allclose(dz2[8:], dz15[10:], rtol=1e-13)
    np.testing.assert_allclose(zi2[8:] - 2.0, zi15[10:] - zi15[10], atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), capr=st.sampled_from([CAPR, 1.0]),
       dtime=st.sampled_from([60.0, 1800.0, 86400.0]))
def test_energy_conserved_to_round_off(seed, capr, dtime):
    rng = np.random.default_rng(seed)
    ncol, n = 3, int(rng.integers(2, 20))
    dz = rng.uniform(0.01, 2.0, (ncol, n))
    zi = np.c_[np.zeros(ncol), np.cumsum(dz, axis=1)]
    z = zi[:, :-1] + rng.uniform(0.2, 0.8, (ncol, n)) * dz      # nodes anywhere inside
    tk = rng.uniform(0.05, 4.0, (ncol, n))
    cv = rng.uniform(1e4, 4e6, (ncol, n)) * dz
    t = rng.uniform(230.0, 320.0, (ncol, n))
    hs = rng.uniform(-400.0, 600.0, ncol)
    dhsdt = -rng.uniform(0.0, 60.0, ncol)
    bottom = rng.uniform(-5.0, 5.0, ncol)
    tn, fact, fgr, hsa, ierr, msg = soil_step(dtime, z, dz, zi, tk, cv, hs, dhsdt, bottom, t,
                                              capr=capr)
    assert ierr == 0, msg
    ceff = dtime / fact                        # effective heat capacity [J m-2 K-1]
    stored = np.sum(ceff * (tn - t), axis=1) / dtime
    # round-off: a few ulps of the temperatures, times the heat capacity
    tol = 50 * np.finfo(float).eps * (np.sum(ceff * t, axis=1) / dtime + np.abs(hsa)
                                      + np.abs(bottom))
    np.testing.assert_array_less(np.abs(stored - (hsa - bottom)), tol)
    np.testing.assert_allclose(hsa, hs + dhsdt * (tn[:, 0] - t[:, 0]), rtol=1e-13, atol=1e-9)
    np.testing.assert_allclose(ceff[:, 1:], cv[:, 1:], rtol=1e-14)
    # layer budgets with the time-centred interface fluxes
    fin = np.c_[hsa, fgr[:, :-1]] - fgr
    err = np.abs(ceff * (tn - t) / dtime - fin)
    np.testing.assert_array_less(err, np.broadcast_to(tol[:, None], err.shape))


def test_capr_one_uses_layer_heat_capacity_on_halfway_nodes():
    z15, dz15, zi15 = clm45_grid(15)
    cv = 2e6 * dz15
    _, fact, _, _, ierr, _ = soil_step(1800.0, z15, dz15, zi15, np.ones(15), cv, 0.0, 0.0, 0.0,
                                       np.full(15, 280.0), capr=1.0)
    assert ierr == 0
    np.testing.assert_allclose(1800.0 / fact[0], cv, rtol=1e-13)
    _, fact, _, _, _, _ = soil_step(1800.0, z15, dz15, zi15, np.ones(15), cv, 0.0, 0.0, 0.0,
                                    np.full(15, 280.0), capr=CAPR)
    dz_star = 0.5 * (z15[0] + CAPR * z15[1])                           # tech note eq. 6.34
    assert 1800.0 / fact[0, 0] == pytest.approx(cv[0] * dz_star / dz15[0], rel=1e-13)


def test_steady_linear_profile_is_unchanged():
    n, h, k, g = 40, 0.05, 1.3, 25.0          # W m-1 K-1, W m-2 downward
    z, dz, zi = uniform_column(n, h)
    t0 = 290.0 - g / k * z                   # dT/dz = -G/k carries G downward
    tk = np.full(n, k)
    cv = 2.2e6 * dz
    t = t0.copy()
    for _ in range(500):
        # hs evaluated at the current T1 with a non-zero derivative
        hs = g - 10.0 * (t[0] - t0[0])
        t, fact, fgr, hsa, ierr, msg = soil_step(1800.0, z, dz, zi, tk, cv, hs, -10.0, g, t)
        t = t[0]
        assert ierr == 0, msg
    np.testing.assert_allclose(t, t0, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fgr[0], g, rtol=1e-9)


def test_sinusoidal_surface_temperature_damping_and_lag():
    """Periodic surface forcing on a deep uniform column (Carslaw & Jaeger):
    amplitude exp(-z/d), phase lag z/d, d = sqrt(2 kappa / omega)."""
    n, h = 100, 0.02                          # 2 m of 2-cm layers
    k, c = 1.2, 2.4e6                         # W m-1 K-1, J m-3 K-1
    z, dz, zi = uniform_column(n, h)
    tk, cv = np.full(n, k), c * dz
    period, dtime, amp, tmean = 86400.0, 900.0, 10.0, 285.0
    omega = 2 * np.pi / period
    d = np.sqrt(2 * k / c / omega)
    hcoup = 1e5                               # stiff coupling: T1 follows Ts
    steps = int(period / dtime)
    t = np.full(n, tmean)
    record = []
    for i in range(12 * steps):
        ts = tmean + amp * np.sin(omega * (i + 1) * dtime)     # implicit step: Ts at end
        hs = hcoup * (ts - t[0])
        tn, _, _, _, ierr, msg = soil_step(dtime, z, dz, zi, tk, cv, hs, -hcoup, 0.0, t,
                                           capr=1.0)
        assert ierr == 0, msg
        t = tn[0]
        if i >= 11 * steps:
            record.append(t.copy())
    rec = np.array(record)
    time = (np.arange(11 * steps, 12 * steps) + 1) * dtime
    design = np.c_[np.ones_like(time), np.sin(omega * time), np.cos(omega * time)]
    coef, *_ = np.linalg.lstsq(design, rec, rcond=None)
    a = np.hypot(coef[1], coef[2])
    phase = np.arctan2(coef[2], coef[1])      # T = A sin(omega t + phase)
    sel = (z > 0.03) & (z < 3 * d)
    zr = z[sel] - z[0]
    np.testing.assert_allclose(a[sel] / a[0], np.exp(-zr / d), rtol=0.03)
    np.testing.assert_allclose(np.unwrap(phase[sel] - phase[0]), -zr / d, atol=0.03)


def test_thermal_properties_clm45():
    nlev = 10
    z15, dz15, zi15 = clm45_grid(15)
    sand, clay = np.full((1, nlev), 40.0), np.full((1, nlev), 25.0)
    watsat = 0.489 - 0.00126 * sand
    par = thermal_params(sand, clay, np.zeros((1, nlev)), watsat)
    # hand calculation, tech note eqs. 6.80-6.84, 6.91
    tkm = (8.80 * 40 + 2.92 * 25) / 65
    bd = 2700 * (1 - watsat[0, 0])
    assert par["tkmg"][0, 0] == pytest.approx(tkm ** (1 - watsat[0, 0]), rel=1e-13)
    assert par["tksatu"][0, 0] == pytest.approx(par["tkmg"][0, 0] * 0.57 ** watsat[0, 0], rel=1e-13)
    assert par["tkdry"][0, 0] == pytest.approx((0.135 * bd + 64.7) / (2700 - 0.947 * bd), rel=1e-13)
    assert par["csol"][0, 0] == pytest.approx((2.128 * 40 + 2.385 * 25) / 65 * 1e6, rel=1e-13)
    # organic blending: om_frac = 1 gives the Farouki organic values
    org = thermal_params(sand, clay, np.ones((1, nlev)), np.full((1, nlev), 0.9))
    assert org["tkdry"][0, 0] == pytest.approx(0.05) and org["csol"][0, 0] == pytest.approx(2.5e6)
    assert org["tkmg"][0, 0] == pytest.approx(0.25 ** 0.1)

    def props(sr, t=285.0, ice_frac=0.0):
        vol = sr * watsat[0, 0]
        liq = np.r_[np.full(nlev, (1 - ice_frac) * vol * 1000.0) * dz15[:nlev], np.zeros(5)]
        ice = np.r_[np.full(nlev, ice_frac * vol * 917.0) * dz15[:nlev], np.zeros(5)]
        return therm_prop(z15, dz15, zi15, watsat, par, np.full(15, t), liq, ice)

    dry, damp, wet = props(0.0), props(0.3), props(1.0)
    # dry below wet; Kersten limits: dry -> tkdry, saturated unfrozen -> tksatu
    assert np.all(dry["thk"][0, :nlev] < damp["thk"][0, :nlev])
    assert np.all(damp["thk"][0, :nlev] < wet["thk"][0, :nlev])
    np.testing.assert_allclose(dry["thk"][0, :nlev], par["tkdry"][0], rtol=1e-13)
    np.testing.assert_allclose(wet["thk"][0, :nlev], par["tksatu"][0], rtol=1e-13)
    # unfrozen Kersten number log10(Sr) + 1
    ke = np.log10(0.3) + 1
    np.testing.assert_allclose(damp["thk"][0, :nlev],
                               ke * par["tksatu"][0] + (1 - ke) * par["tkdry"][0], rtol=1e-12)
    # Sr < 0.1 unfrozen: Ke = 0 (dry value); frozen Ke = Sr, saturated with ice
    np.testing.assert_allclose(props(0.05)["thk"][0, :nlev], par["tkdry"][0], rtol=1e-13)
    frozen = props(1.0, t=265.0, ice_frac=1.0)
    np.testing.assert_allclose(frozen["thk"][0, :nlev],
                               par["tkmg"][0] * 2.29 ** watsat[0, 0], rtol=1e-12)
    # heat capacity grows with water
    assert np.all(np.diff(np.c_[dry["cv"][0], damp["cv"][0], wet["cv"][0]][:nlev], axis=1) > 0)
    np.testing.assert_allclose(dry["cv"][0, :nlev],
                               par["csol"][0] * (1 - watsat[0]) * dz15[:nlev], rtol=1e-13)
    # bedrock below the soil
    np.testing.assert_allclose(wet["thk"][0, nlev:], 3.0)
    np.testing.assert_allclose(wet["cv"][0, nlev:], 2.0e6 * (1 - watsat[0, -1]) * dz15[nlev:],
                               rtol=1e-13)
    # harmonic interface conductivity (tech note eq. 6.11), zero at the bottom
    thk = wet["thk"][0]
    j = nlev - 1
    expect = thk[j] * thk[j + 1] * (z15[j + 1] - z15[j]) / (
        thk[j] * (z15[j + 1] - zi15[j + 1]) + thk[j + 1] * (zi15[j + 1] - z15[j]))
    assert wet["tk"][0, j] == pytest.approx(expect, rel=1e-13)
    assert wet["tk"][0, -1] == 0.0


@pytest.mark.parametrize("what, index, value, word", [
    ("dz", (0, 3), 0.0, b"dz"),
    ("cv", (1, 2), -1.0, b"cv"),
    ("tk", (0, 0), 0.0, b"tk"),
    ("t", (1, 4), np.nan, b"t_soisno"),
])
def test_soil_temperature_rejects_invalid_input(what, index, value, word):
    n = 6
    z, dz, zi = uniform_column(n, 0.1)
    arrays = dict(dz=np.tile(dz, (2, 1)), cv=np.full((2, n), 2e5), tk=np.ones((2, n)),
                  t=np.full((2, n), 280.0))
    arrays[what][index] = value
    *_, ierr, msg = soil_step(1800.0, np.tile(z, (2, 1)), arrays["dz"], np.tile(zi, (2, 1)),
                              arrays["tk"], arrays["cv"], np.zeros(2), np.zeros(2), np.zeros(2),
                              arrays["t"])
    msg = msg.decode().strip()
    assert ierr == 1
    assert msg.startswith(word.decode())
    assert f"column {index[0] + 1}, level {index[1] + 1}" in msg and "valid" in msg
