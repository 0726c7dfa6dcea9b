"""CLM4.5 soil column: pedotransfer values, equilibrium, reference solutions,
convergence, conservation, HR dry-down, and bad input."""

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hrclm
from hrclm.column import HRParameters, run_soil_column
from hrclm.pft import get_pft
from hrclm.roots import zeng_rootfr
from hrclm.soil import (clm45_grid, equilibrium_theta, grid_from_thickness, root_uptake,
                        soil_properties)

scipy_integrate = pytest.importorskip("scipy.integrate")

DAY = 86400.0


def no_fluxes(nstep):
    zero = np.zeros(nstep)
    return dict(water_input=zero, evaporation=zero, transpiration=zero)


def test_pedotransfer_spot_values():
    """science.md 4.1 item 6: sand 50 %, clay 20 %, no organic matter."""
    p = soil_properties(50.0, 20.0, z=0.1)
    assert p.watsat == pytest.approx(0.426, abs=1e-12)
    assert p.bsw == pytest.approx(6.09, abs=1e-12)
    assert p.sucsat == pytest.approx(10 * 10 ** 1.225, rel=1e-12)      # 167.9 mm
    assert p.hksat == pytest.approx(0.0070556 * 10 ** -0.119, rel=1e-12)  # 5.37e-3 mm/s
    # field capacity: k(theta_fc) = 0.1 mm/day
    k_fc = p.hksat * (p.watfc / p.watsat) ** (2 * p.bsw + 3)
    assert k_fc * DAY == pytest.approx(0.1, rel=1e-10)
    # organic matter raises porosity
    assert soil_properties(50.0, 20.0, z=0.1, orgdens=100.0).watsat > p.watsat


def test_psi_and_theta_are_inverse():
    p = soil_properties([20.0, 80.0], [40.0, 5.0], z=[0.1, 1.0])
    theta = np.array([0.2, 0.1])
    np.testing.assert_allclose(p.theta(p.psi(theta)), theta, rtol=1e-12)
    assert np.all(p.psi(p.watsat) == -p.sucsat)


def test_hydrostatic_equilibrium_is_kept_for_a_year():
    """Zeng & Decker (2009): a column at the equilibrium profile of its water
    table has no flux; the standard Richards form would drain it."""
    g = clm45_grid(10)
    p = soil_properties(np.linspace(20, 70, 10), np.linspace(30, 10, 10), g.z)
    theta_eq, _ = equilibrium_theta(2.0, g, p)
    nstep = 365 * 48
    ds = run_soil_column(g, p, zeng_rootfr(g.zi, 7, 2), theta_eq, no_fluxes(nstep),
                         zwt=2.0, rsub_top_max=0.0)
    assert float(np.abs(ds.H2OSOI.isel(time=-1) - theta_eq).max()) < 1e-10
    assert float(ds.ZWT.isel(time=-1)) == pytest.approx(2.0, abs=1e-10)
    # the same profile under plain free drainage does move
    ds_fd = run_soil_column(g, p, zeng_rootfr(g.zi, 7, 2), theta_eq, no_fluxes(480),
                            lower_bc="free_drainage")
    assert float(np.abs(ds_fd.H2OSOI.isel(time=-1) - theta_eq).max()) > 1e-3


def test_steady_infiltration_reaches_unit_gradient():
    """Free drainage, constant rain q < k_sat: the deep profile tends to the
    theta at which k(theta) = q (unit hydraulic gradient)."""
    g = grid_from_thickness(np.full(30, 0.05))
    p = soil_properties(40.0, 20.0, g.z)
    q = 0.1 * p.hksat[0]
    nstep = 24 * 120
    forcing = dict(water_input=np.full(nstep, q), evaporation=np.zeros(nstep),
                   transpiration=np.zeros(nstep))
    ds = run_soil_column(g, p, np.full(30, 1 / 30), np.full(30, 0.15), forcing,
                         dtime=3600.0, lower_bc="free_drainage")
    theta_ug = p.watsat[0] * (q / p.hksat[0]) ** (1 / (2 * p.bsw[0] + 3))
    np.testing.assert_allclose(ds.H2OSOI.isel(time=-1, levsoi=slice(5, None)), theta_ug, rtol=1e-4)
    assert float(ds.QDRAI.isel(time=-1)) == pytest.approx(q, rel=1e-4)
    assert float(ds.QOVER.sum()) == 0.0


def test_steady_evaporation_above_a_water_table_matches_quadrature():
    """Reference solution: steady upward flux E from a water table at depth L
    (psi = -sucsat there) through a uniform Clapp-Hornberger soil satisfies
    dpsi/dz = 1 + E/k(psi) (z down). Integrated here with scipy; the model
    (2 cm layers, fixed water table at the bottom) must reach the same
    profile within 1 % in theta."""
    nlev, dz = 50, 0.02
    g = grid_from_thickness(np.full(nlev, dz))
    p = soil_properties(40.0, 20.0, g.z)
    ws, ss, b, ks = (float(x[0]) for x in (p.watsat, p.sucsat, p.bsw, p.hksat))
    evap = 0.5 / DAY                                      # 0.5 mm/day
    nstep = 24 * 365
    forcing = dict(water_input=np.zeros(nstep), evaporation=np.full(nstep, evap),
                   transpiration=np.zeros(nstep))
    ds = run_soil_column(g, p, np.full(nlev, 1 / nlev), np.full(nlev, 0.3), forcing,
                         dtime=3600.0, lower_bc="water_table")
    assert float(ds.QSOIL.isel(time=-1)) == pytest.approx(evap, rel=1e-6)   # not water-limited

    def k_of_psi(psi):
        return ks * min(1.0, (psi / -ss) ** (-(2 * b + 3) / b))

    L = nlev * dz * 1000.0                                # mm
    sol = scipy_integrate.solve_ivp(lambda z, psi: [1.0 + evap / k_of_psi(psi[0])],
                                    (L, 0.0), [-ss], dense_output=True, rtol=1e-10, atol=1e-8)
    psi_ref = sol.sol(g.z * 1000.0)[0]
    theta_ref = p.theta(psi_ref)
    np.testing.assert_allclose(ds.H2OSOI.isel(time=-1), theta_ref, rtol=0.01)


def wetting_front(dtime):
    """Theta after 3 h of 20 mm/h rain on a dry loam, then 3 h of redistribution."""
    g = clm45_grid(10)
    p = soil_properties(40.0, 20.0, g.z)
    n_rain, n = int(3 * 3600 / dtime), int(6 * 3600 / dtime)
    rain = np.zeros(n)
    rain[:n_rain] = 20.0 / 3600.0
    forcing = dict(water_input=rain, evaporation=np.zeros(n), transpiration=np.zeros(n))
    ds = run_soil_column(g, p, zeng_rootfr(g.zi, 7, 2), np.full(10, 0.12), forcing,
                         dtime=dtime, lower_bc="free_drainage")
    return ds.H2OSOI.isel(time=-1).values


def test_time_step_convergence_after_a_wetting_front():
    """Stated tolerance: halving the step from 30 to 15 min changes theta by
    less than 0.025 m3 m-3 (the front layer; measured 0.022), from 15 to
    7.5 min by less than 0.002 (measured 0.0015); below that the change
    halves with the step (first order, CLM's once-linearised implicit scheme)."""
    t = [wetting_front(dt) for dt in (1800.0, 900.0, 450.0, 225.0, 112.5)]
    d = [np.abs(t[i] - t[i + 1]).max() for i in range(4)]
    assert d[0] < 0.025
    assert d[1] < 0.002
    assert 0.35 < d[2] / d[1] < 0.65 and 0.35 < d[3] / d[2] < 0.65


def test_year_of_random_rain_and_transpiration_conserves_water():
    g = clm45_grid(10)
    p = soil_properties(60.0, 15.0, g.z)
    pft = get_pft("broadleaf_deciduous_temperate_shrub")
    rootfr = zeng_rootfr(g.zi, pft.ra, pft.rb)
    rng = np.random.default_rng(42)
    n, dt = 365 * 48, 1800.0
    rain = np.where(rng.random(n) < 0.02, rng.exponential(3.0, n) / dt, 0.0)
    hour = (np.arange(n) * 0.5) % 24
    day = (hour > 6) & (hour < 18)
    demand = np.where(day, 4.0 / 12 / 3600, 0.0)
    forcing = dict(water_input=rain, evaporation=0.3 * demand, transpiration=demand,
                   hr_switch=(~day).astype(float))
    theta0 = np.full(10, 0.2)
    ds, state = run_soil_column(g, p, rootfr, theta0, forcing, smpso=pft.smpso, smpsc=pft.smpsc,
                                hr=HRParameters(), return_state=True, wa=4000.0)
    assert float(np.abs(ds.ERRH2O).sum()) < 1e-6
    # the same check done here from the outputs alone
    storage0 = (theta0 * g.dz * 1000).sum() + 4000.0
    storage1 = state.h2osoi_liq.sum() + state.wa.sum()
    fluxes = (ds.QOVER + ds.QSOIL + ds.QVEGT + ds.QDRAI).sum().item() * dt
    assert abs(storage1 - storage0 - (rain.sum() * dt - fluxes)) < 1e-6
    # bounds: never above saturation or below the minimum of 0.01 mm
    assert float((ds.H2OSOI - p.watsat).max()) <= 1e-12
    assert float(ds.SOILLIQ.min()) >= 0.01 - 1e-12
    # btran limits and transpiration falling as the soil dries
    assert float(ds.BTRAN.min()) >= 0.0 and float(ds.BTRAN.max()) <= 1.0
    assert np.all(ds.QVEGT.values <= demand + 1e-18)


def dry_down(use_hr, nights=10, dtime=1800.0):
    """Semi-arid sandy loam: shallow layers (< 0.3 m) at -3 MPa, -1.5 MPa to
    0.5 m and -1.2 MPa below (a late dry season),
    shrub roots, no rain, no evaporation or transpiration, water table deep
    no flow through the column bottom, so that only HR and Richards flow move
    water. HR on at night (20:00-06:00)."""
    g = clm45_grid(10)
    p = soil_properties(65.0, 10.0, g.z)
    pft = get_pft("broadleaf_deciduous_temperate_shrub")
    rootfr = zeng_rootfr(g.zi, pft.ra, pft.rb)
    psi0 = np.where(g.z < 0.3, -3.0, np.where(g.z < 0.5, -1.5, -1.2)) * hrclm.constants.MM_PER_MPA
    theta0 = p.theta(psi0)
    n = nights * int(DAY / dtime)
    hour = (np.arange(n) * dtime / 3600.0) % 24
    night = ((hour >= 20) | (hour < 6)).astype(float)
    forcing = dict(no_fluxes(n), hr_switch=night)
    ds = run_soil_column(g, p, rootfr, theta0, forcing, smpso=pft.smpso, smpsc=pft.smpsc,
                         lower_bc="no_flow", dtime=dtime, hr=HRParameters() if use_hr else None)
    return g, theta0, night, ds


def test_hr_dry_down_lifts_water_at_night():
    """Recorded (2026-11-21): 0.99, 0.60, 0.42, 0.31, 0.25, 0.20, 0.17, 0.15,
    0.13, 0.11 mm lifted in nights 1-10 (falling as the shallow soil wets).
    With the deep soil at -0.3 MPa the first night lifts 3.2 mm, above the
    measured range: Ryel's sagebrush C_RT is large for a wet deep profile."""
    g, theta0, night, on = dry_down(True)
    _, _, _, off = dry_down(False)
    dzmm = g.dz * 1000.0
    total0 = (theta0 * dzmm).sum()
    # HR alone creates no water: column total unchanged to round-off
    np.testing.assert_allclose((on.SOILLIQ).sum("levsoi"), total0, rtol=0, atol=1e-9)
    np.testing.assert_allclose((off.SOILLIQ).sum("levsoi"), total0, rtol=0, atol=1e-9)
    # each night: shallow layers (2-5) gain, deep layers (7-10) lose, HR on only
    start = np.flatnonzero(np.diff(night) > 0) + 1            # first step of each night
    end = np.flatnonzero(np.diff(night) < 0)                  # last step of each night
    for s, e in zip(start, end[end > start[0]]):
        d_on = (on.SOILLIQ.isel(time=e) - on.SOILLIQ.isel(time=s - 1)).values
        d_off = (off.SOILLIQ.isel(time=e) - off.SOILLIQ.isel(time=s - 1)).values
        assert np.all(d_on[1:5] > 0) and np.all(d_on[6:10] < 0)
        assert np.all(d_on[1:5] > 100 * np.abs(d_off[1:5]))
        # nightly total lifted, from the per-layer HR flux
        lifted = (on.QHR.isel(time=slice(s, e + 1)).clip(min=0).sum() * 1800.0).item()
        assert 0.04 <= lifted <= 1.3, lifted
    assert float(np.abs(off.QHR).max()) == 0.0
    # QHR sums to zero in every step
    assert float(np.abs(on.QHR.sum("levsoi")).max()) < 1e-16


def test_nightly_hr_converges_with_the_time_step():
    """science.md 4.2: nightly HR totals agree within a few % for 30, 15 and
    5 min steps (measured: 0.987, 0.991, 0.993 mm in night 1)."""
    totals = []
    for dt in (1800.0, 900.0, 300.0):
        _, _, night, ds = dry_down(True, nights=3, dtime=dt)
        lifted = (ds.QHR.clip(min=0).sum("levsoi") * dt).values.reshape(3, -1).sum(axis=1)
        totals.append(lifted)
    np.testing.assert_allclose(totals[0], totals[2], rtol=0.02)
    np.testing.assert_allclose(totals[1], totals[2], rtol=0.01)


def test_btran_and_uptake_weights():
    g = clm45_grid(10)
    p = soil_properties(50.0, 20.0, g.z)
    rootfr = zeng_rootfr(g.zi, 7, 2)
    wet_b, wet_r = root_uptake(p.watsat * 0.9, p, rootfr, -66000.0, -255000.0, rule="clm45")
    assert wet_b == pytest.approx(1.0) and wet_r.sum() == pytest.approx(1.0)
    dry = p.theta(np.full(10, -300000.0))                    # drier than psi_c
    dry_b, dry_r = root_uptake(dry, p, rootfr, -66000.0, -255000.0, rule="clm45")
    assert dry_b == 0.0 and np.all(dry_r == 0.0)
    # drying one layer lowers btran by its root fraction times its lost wilting factor
    mixed = p.watsat * 0.9
    mixed[3] = dry[3]
    b, r = root_uptake(mixed, p, rootfr, -66000.0, -255000.0, rule="clm45")
    assert b == pytest.approx(1.0 - rootfr[3]) and r[3] == 0.0


@pytest.mark.parametrize("call, message", [
    (lambda: soil_properties([50.0, 70.0], [20.0, 40.0], [0.1, 0.3]),
     r"^sand = 7\.0000E\+01 %, clay = 4\.0000E\+01 % at column 1, layer 2 are not valid: both "
     r"must be >= 0 % and sand \+ clay <= 100 % \(numpy index \[1\]\)$"),
    (lambda: grid_from_thickness([0.1, 0.0, 0.2]),
     r"^dz = 0\.0000E\+00 at layer 2 is not valid: layer thicknesses must be finite and > 0 m$"),
    (lambda: get_pft(99), r"^PFT 99 is not known; valid CLM4.5 PFTs are 1 \("),
    (lambda: get_pft("oak"), r"^PFT 'oak' is not known"),
])
def test_bad_soil_input(call, message):
    with pytest.raises(hrclm.InputError, match=message):
        call()


def test_theta_outside_bounds_is_refused():
    g = clm45_grid(10)
    p = soil_properties(50.0, 20.0, g.z)
    theta = np.full(10, 0.2)
    theta[4] = 0.5
    with pytest.raises(hrclm.InputError, match=r"^initial theta = 5\.0000E-01 at column 1, "
                       r"layer 5 is not valid: it must lie in \[0, watsat = 4\.2600E-01\]"):
        run_soil_column(g, p, zeng_rootfr(g.zi, 7, 2), theta, no_fluxes(2))
    with pytest.raises(hrclm.InputError, match=r"^forcing at column 1, step 2 \(time index 1\) is not valid"):
        f = no_fluxes(3)
        f["water_input"] = np.array([0.0, -1.0, 0.0])
        run_soil_column(g, p, zeng_rootfr(g.zi, 7, 2), np.full(10, 0.2), f)
    with pytest.raises(hrclm.InputError, match=r"^lower_bc = 'bucket' is not valid"):
        run_soil_column(g, p, zeng_rootfr(g.zi, 7, 2), np.full(10, 0.2), no_fluxes(2),
                        lower_bc="bucket")


@functools.lru_cache(maxsize=None)
def ryel_dry_season(uptake, use_hr):
    """Ryel's sagebrush parameters (C_RT 0.097 cm MPa-1 h-1, psi50 -1 MPa, b
    3.22) on CLM4.5's ten layers, a CLM4.5 shrub's roots, sandy loam, a
    100-day dry season from an early-summer profile (-0.5 MPa above 0.3 m,
    -0.1 MPa below), no rain, transpiration demand 3 mm/day and soil
    evaporation demand 1 mm/day in daytime, HR at night, layer 1 excluded,
    free drainage. Returns (water moved by HR, transpiration) [mm]."""
    g = clm45_grid(10)
    p = soil_properties(65.0, 10.0, g.z)
    pft = get_pft("broadleaf_deciduous_temperate_shrub")
    rootfr = zeng_rootfr(g.zi, pft.ra, pft.rb)
    theta0 = p.theta(np.where(g.z < 0.3, -0.5, -0.1) * hrclm.constants.MM_PER_MPA)
    n = 100 * 48
    hour = (np.arange(n) * 0.5) % 24
    day = (hour >= 6) & (hour < 18)
    shape = np.where(day, np.sin(np.pi * (hour - 6) / 12), 0.0)
    demand = 3.0 * shape / (shape.sum() / 100 * 1800.0)          # 3 mm/day [mm s-1]
    forcing = dict(water_input=np.zeros(n), evaporation=demand / 3.0, transpiration=demand,
                   hr_switch=(~day).astype(float))
    ds = run_soil_column(g, p, rootfr, theta0, forcing, smpso=pft.smpso, smpsc=pft.smpsc,
                         lower_bc="free_drainage", uptake=uptake,
                         hr=HRParameters(top_layer=False) if use_hr else None)
    assert float(np.abs(ds.ERRH2O).max()) < 1e-9
    return float(ds.QHR.clip(min=0).sum()) * 1800.0, float(ds.QVEGT.sum()) * 1800.0


@pytest.mark.xfail(strict=True, reason="measured miss (session 5): HR / T = 0.61 and T +92 % "
                   "with CLM4.5's root uptake; issue 13 asks for 0.03-0.5 (Ryel et al. 2002: "
                   "T +3.5 % in 100 days). The parallel root model gives 0.30 (next test)")
def test_hr_over_a_100_day_dry_season_with_clm45_uptake():
    moved, tran = ryel_dry_season("clm45", True)
    assert 0.03 <= moved / tran <= 0.5


def test_hr_over_a_100_day_dry_season_with_the_parallel_root_model():
    """The same season with uptake and HR through one root network (root_uptake
    = 'hydraulic'): HR / T lies in the issue's 0.03-0.5 (measured 0.296), and
    HR's gain in transpiration is far smaller than with CLM4.5's uptake
    (measured +15.0 % against +91.6 %), because without HR the roots already
    draw on the wet subsoil by day. Ryel et al. report +3.5 %."""
    moved, tran = ryel_dry_season("hydraulic", True)
    assert 0.03 <= moved / tran <= 0.5
    gain_hyd = tran / ryel_dry_season("hydraulic", False)[1] - 1.0
    _, t_clm_on = ryel_dry_season("clm45", True)
    gain_clm = t_clm_on / ryel_dry_season("clm45", False)[1] - 1.0
    assert 0.0 < gain_hyd < 0.5 * gain_clm


def uptake_case(g, p, psi_mpa, rootfr, qtran):
    theta = p.theta(np.asarray(psi_mpa) * hrclm.constants.MM_PER_MPA)
    return root_uptake(theta, p, rootfr, -66000.0, -255000.0, rule="hydraulic", qtran=qtran)


def test_parallel_root_uptake_is_clm45_on_a_uniform_profile():
    """With every layer at the same potential (below psi_o) the collar draws
    from each layer in proportion to its roots: CLM4.5's weights and btran."""
    g = clm45_grid(10)
    p = soil_properties(50.0, 20.0, g.z)
    rootfr = zeng_rootfr(g.zi, 7, 2)
    theta = p.theta(np.full(10, -1.2e5))
    b45, r45 = root_uptake(theta, p, rootfr, -66000.0, -255000.0, rule="clm45")
    bh, rh = root_uptake(theta, p, rootfr, -66000.0, -255000.0, rule="hydraulic", qtran=1e-4)
    assert bh == pytest.approx(b45, rel=1e-12)
    np.testing.assert_allclose(rh, r45, rtol=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-3.0, -0.01), min_size=10, max_size=10),
       st.floats(1e-7, 1e-3))
def test_parallel_root_uptake_solves_its_flux_equation(psi_mpa, qtran):
    """On any profile: weights >= 0 summing to 1, none from layers drier than
    psi_c, and one collar potential psi_x for every layer that gives water
    (psi_i - q_i / (K c_i R_i) equal), with every eligible layer that gives
    none at or below psi_x."""
    g = clm45_grid(10)
    p = soil_properties(50.0, 20.0, g.z)
    rootfr = zeng_rootfr(g.zi, 7, 2)
    btran, w = uptake_case(g, p, psi_mpa, rootfr, qtran)
    psi = p.psi(p.theta(np.asarray(psi_mpa) * hrclm.constants.MM_PER_MPA))
    eligible = psi > -255000.0
    if not eligible.any():
        assert btran == 0.0 and np.all(w == 0.0)
        return
    assert w.sum() == pytest.approx(1.0, abs=1e-12) and np.all(w >= 0.0)
    assert np.all(w[~eligible] == 0.0)
    a = hrclm.constants.RYEL_CRT * rootfr / (1.0 + (psi / hrclm.constants.RYEL_PSI50) ** 3.22)
    give = w > 0
    psi_x = psi[give] - w[give] * qtran / a[give]
    np.testing.assert_allclose(psi_x, psi_x.mean(), rtol=1e-9, atol=1e-6)
    assert np.all(psi[eligible & ~give] <= psi_x.mean() + 1e-6)
    # btran: CLM4.5's wilting factors without the per-layer cap, capped at 1 in total
    wilt = np.clip((psi - -255000.0) / (-66000.0 - -255000.0), 0.0, None)
    assert btran == pytest.approx(min(1.0, (rootfr * wilt).sum()), rel=1e-12)


def test_parallel_root_uptake_compensates_from_wet_layers():
    """Dry topsoil over wet subsoil: the subsoil gives more than its CLM4.5
    share; a small flux comes from the wettest layers only, a large one
    spreads towards the conductances c_i R_i."""
    g = clm45_grid(10)
    p = soil_properties(50.0, 20.0, g.z)
    rootfr = zeng_rootfr(g.zi, 7, 2)
    psi_mpa = np.where(g.z < 0.3, -1.8, -0.1)
    theta = p.theta(psi_mpa * hrclm.constants.MM_PER_MPA)
    b45, r45 = root_uptake(theta, p, rootfr, -66000.0, -255000.0, rule="clm45")
    _, small = uptake_case(g, p, psi_mpa, rootfr, 1e-6)
    _, large = uptake_case(g, p, psi_mpa, rootfr, 1.0)
    deep = g.z >= 0.3
    assert small[deep].sum() > r45[deep].sum()
    assert np.all(small[~deep] == 0.0)
    psi = p.psi(theta)
    cond = rootfr / (1.0 + (psi / hrclm.constants.RYEL_PSI50) ** 3.22)
    np.testing.assert_allclose(large, cond / cond.sum(), rtol=0.02)


@pytest.mark.parametrize("qtran", [1e-12, 1e-18, 1e-22, 5e-324])
def test_parallel_root_uptake_weights_stay_normalised_for_a_vanishing_flux(qtran):
    """Round-off in the collar potential must not spoil the weights when the
    transpiration is tiny next to krs |psi|: on a uniform profile, on a
    profile with one layer wetter than psi_c and on a saturated one, the
    weights stay >= 0 and sum to 1."""
    g = clm45_grid(10)
    p = soil_properties(50.0, 20.0, g.z)
    rootfr = zeng_rootfr(g.zi, 7, 2)
    one_wet = np.full(10, -4.0)
    one_wet[5] = -0.5
    for psi_mpa in (np.full(10, -1.2), one_wet, np.full(10, -1e-6)):
        _, w = uptake_case(g, p, psi_mpa, rootfr, qtran)
        assert np.all(w >= 0.0) and w.sum() == pytest.approx(1.0, abs=1e-12)
    _, w = uptake_case(g, p, one_wet, rootfr, qtran)
    assert w[5] == pytest.approx(1.0, abs=1e-12)


def test_parallel_root_uptake_without_conductance_is_clm45():
    """krs = 0: no conducting network, so btran and the weights are CLM4.5's."""
    g = clm45_grid(10)
    p = soil_properties(50.0, 20.0, g.z)
    rootfr = zeng_rootfr(g.zi, 7, 2)
    theta = p.theta(np.where(g.z < 0.3, -1.8, -0.1) * hrclm.constants.MM_PER_MPA)
    b45, r45 = root_uptake(theta, p, rootfr, -66000.0, -255000.0, rule="clm45")
    b0, r0 = root_uptake(theta, p, rootfr, -66000.0, -255000.0, qtran=1e-4, krs=0.0)
    assert b0 == b45 and b0 < 1.0
    np.testing.assert_array_equal(r0, r45)
