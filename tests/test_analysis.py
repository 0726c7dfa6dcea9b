"""Root-zone analyses (hrclm.analysis): blending, sensitivities, root-zone
storage capacity, sensor-temperature correction, on planted series whose
answers are known."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from hrclm.analysis import (blend, correct_sensor_temperature, flux_sensitivity,
                            observed_sensitivity, similar_day_pairs, srmax)
from hrclm.config import load_config
from hrclm.errors import InputError


def _series(values, start="2020-01-01", freq="1h", dims=("time",), coords=None):
    time = pd.date_range(start, periods=len(values), freq=freq)
    return xr.DataArray(values, dims=dims, coords={"time": time, **(coords or {})})


def test_blend_passes_through_snapshots_keeps_bounds_and_leaves_an_unbiased_model():
    n = 24 * 60
    t = np.arange(n)
    truth = 0.2 + 0.05 * np.sin(2 * np.pi * t / (24 * 20))[:, None] * np.array([1.0, 0.5])
    model = truth + np.array([0.03, -0.02]) + 0.01 * np.sin(2 * np.pi * t / (24 * 7))[:, None]
    model = _series(model, dims=("time", "depth"), coords={"depth": [0.05, 0.3]})
    truth = model.copy(data=truth)
    snaps = truth.isel(time=slice(0, None, 24 * 10))               # every 10 days
    out = blend(model, snaps, lower=0.02, upper=[0.4, 0.45])
    np.testing.assert_allclose(out.blended.sel(time=snaps.time).values, snaps.values, atol=1e-12)
    assert float(out.blended.min()) >= 0.02 and float(out.blended.max()) <= 0.45
    # the bias is linear between snapshots: blended is closer to the truth than the model
    assert float(np.abs(out.blended - truth).mean()) < 0.3 * float(np.abs(model - truth).mean())
    # no bias: the model comes back unchanged
    same = blend(model, model.isel(time=slice(0, None, 24 * 10)))
    np.testing.assert_array_equal(same.blended.values, model.values)
    # the bounds clip, and the clipped steps are counted
    tight = blend(model, snaps, lower=0.0, upper=0.21)
    assert float(tight.blended.max()) <= 0.21 and int(tight.clipped.sum()) > 0


def test_sensitivity_recovers_a_planted_slope_and_the_day_pair_filter_is_exact():
    theta_m = _series(np.linspace(0.1, 0.3, 50), freq="1D")
    theta_p = theta_m - 0.05
    et_m = 2.0 + 12.0 * theta_m
    et_p = 2.0 + 12.0 * theta_p
    np.testing.assert_allclose(flux_sensitivity(et_m, et_p, theta_m, theta_p).values, 12.0)
    assert np.isnan(flux_sensitivity(et_m, et_m, theta_m, theta_m).values).all()
    # planted weather: only (0,1) qualifies: (1,2) differs in Tair by 20 %, (2,3) and
    # (3,4) have rain on day 3, (4,5) differs in shortwave by 54 %; without the
    # rain (2,3) and (3,4) qualify too
    tair = np.array([290.0, 291.0, 350.0, 351.0, 352.0, 352.0])
    sw = np.array([200.0, 205.0, 210.0, 212.0, 214.0, 330.0])
    rain = np.array([0.0, 0.0, 0.0, 5.0, 0.0, 0.0])
    pairs = similar_day_pairs(tair, sw, rain)
    assert pairs.tolist() == [0]
    rain[3] = 0.0
    assert similar_day_pairs(tair, sw, rain).tolist() == [0, 2, 3]
    theta = np.array([0.30, 0.28, 0.25, 0.23, 0.21, 0.20])
    x = 1.0 + 7.5 * theta
    est, median = observed_sensitivity(x, theta, [0, 2, 3])
    np.testing.assert_allclose(est, 7.5)
    assert median == pytest.approx(7.5)


def test_srmax_hand_worked_deficits_maxima_and_gumbel_quantiles():
    days = pd.date_range("2001-01-01", "2004-12-31", freq="1D")
    p = np.zeros(days.size)
    e = np.zeros(days.size)
    # each year: 10 days of 2 mm outflow (deficit 20 mm, x the year's factor), then a refill
    for k, year in enumerate((2001, 2002, 2003, 2004)):
        start = np.flatnonzero(days.year == year)[100]
        e[start:start + 10] = 2.0 * (k + 1)
        p[start + 20] = 20.0 * (k + 1)
    inflow, outflow = (xr.DataArray(v, dims="time", coords={"time": days}) for v in (p, e))
    out = srmax(inflow, outflow, balance=False)
    np.testing.assert_allclose(out.annual_max.values, [20.0, 40.0, 60.0, 80.0])
    assert float(out.deficit.max()) == 80.0 and float(out.deficit[-1]) == 0.0
    loc, scale = out.attrs["gumbel_loc"], out.attrs["gumbel_scale"]
    expected = loc - scale * np.log(-np.log(1 - 1 / np.array([2, 5, 10, 20, 40.0])))
    np.testing.assert_allclose(out.srmax.values, expected, rtol=1e-12)
    assert out.srmax.values[0] < out.srmax.values[-1]
    # balancing scales the outflow to the inflow total
    assert srmax(inflow, outflow).attrs["outflow_scale"] == pytest.approx(p.sum() / e.sum())
    with pytest.raises(InputError, match="must be finite"):
        srmax(inflow, outflow.where(outflow.time != days[5]))


def test_sensor_temperature_artefact_is_removed_and_a_night_rise_survives():
    n = 24 * 30
    time = pd.date_range("2021-06-01", periods=n, freq="1h")
    hour = np.asarray(time.hour)
    tsoil = 300.0 + 6.0 * np.cos(2 * np.pi * (hour - 14) / 24)            # peaks at 14:00
    true = np.full(n, 0.10)
    night_rise = np.where((hour >= 20) | (hour < 6), 0.002 * ((hour - 20) % 24) / 10, 0.0)
    rng = np.random.default_rng(0)
    observed = true + night_rise + 0.0015 * (tsoil - 300.0) + rng.normal(0, 1e-4, n)
    theta = xr.DataArray(observed, dims="time", coords={"time": time})
    ts = xr.DataArray(tsoil, dims="time", coords={"time": time})
    out = correct_sensor_temperature(theta, ts)
    # the night rise is not temperature: the estimate is close to the planted 0.0015
    assert out.attrs["k"] == pytest.approx(0.0015, rel=0.15)
    assert out.attrs["diel_amplitude_after"] < 0.5 * out.attrs["diel_amplitude_before"]
    corr = out.corrected.values
    cycle = pd.Series(corr, index=hour).groupby(level=0).mean()
    assert cycle[5] > cycle[20] + 0.001                                 # the night rise survives
    # without the night rise the corrected series is flat within the noise
    flat = correct_sensor_temperature(theta.copy(data=true + 0.0015 * (tsoil - 300.0)), ts)
    assert flat.attrs["k"] == pytest.approx(0.0015, rel=1e-9)
    np.testing.assert_allclose(flat.corrected.values, true, atol=1e-12)


SHARED = __import__("pathlib").Path(__file__).resolve().parents[1].parent / "shared" / \
    "site_data_raw" / "uscrn" / "NM_Socorro_20_N"


@pytest.mark.skipif(not SHARED.is_dir(), reason="real USCRN data not found at ../shared (only on "
                                                "the project's machines)")
def test_sevilleta_5cm_sensor_follows_soil_temperature_and_the_correction_removes_it():
    """USCRN NM Socorro 20 N, 2020-2023, 5 cm: on rain-free days the hourly
    diel anomalies of soil moisture and soil temperature are strongly
    correlated (the sensor reads high when warm); the correction removes most
    of the diel amplitude."""
    from hrclm.io import read_uscrn
    from hrclm.sites import get_site
    _, obs = read_uscrn(sorted(SHARED.glob("CRNH0203-*.txt")),
                        site=get_site("USCRN-NM_Socorro_20_N"))
    swc, ts = obs.SWC.sel(depth=0.05), obs.TSOI.sel(depth=0.05)
    ok = (swc.notnull() & ts.notnull()).values
    swc, ts = swc.isel(time=ok), ts.isel(time=ok)
    out = correct_sensor_temperature(swc, ts, utc_offset=obs.attrs.get("utc_offset", -7.0))
    days = (pd.DatetimeIndex(swc.time.values) - pd.Timedelta(hours=7)).normalize()
    wa = swc.values - pd.Series(swc.values, index=days).groupby(level=0).transform("mean").values
    ta = ts.values - pd.Series(ts.values, index=days).groupby(level=0).transform("mean").values
    assert np.corrcoef(wa, ta)[0, 1] > 0.5
    assert out.attrs["k"] > 0 and out.attrs["n_days"] > 300
    assert out.attrs["diel_amplitude_after"] < 0.5 * out.attrs["diel_amplitude_before"]


def test_root_zone_capacity_counts_available_water_down_to_the_rooting_depth():
    from hrclm.analysis import root_zone_capacity
    from hrclm.soil import grid_from_thickness, soil_properties
    g = grid_from_thickness(np.full(4, 0.5))
    p = soil_properties(40.0, 20.0, g.z)
    paw = (p.watfc - p.theta(np.full(4, -150000.0))) * 500.0          # mm per layer
    # roots 50 / 40 / 10 / 0 %: 95 % is reached half-way into layer 3
    got = root_zone_capacity(g, p, [0.5, 0.4, 0.1, 0.0], -150000.0)
    assert got == pytest.approx(paw[0] + paw[1] + 0.5 * paw[2], rel=1e-12)
    # a lower closure potential holds more plant-available water
    assert root_zone_capacity(g, p, [0.5, 0.4, 0.1, 0.0], -300000.0) > got


def test_prescribed_soil_moisture_holds_the_layers_and_closes_the_water_balance():
    import hrclm
    from hrclm.config import load_config
    config = load_config("US-SRM_drydown.nml", "hr_on.nml", ndays=20)
    free = hrclm.run(config)
    dt = config["dtime"]
    # all NaN: nothing prescribed, the free run exactly
    nan = free.H2OSOI.copy(data=np.full(free.H2OSOI.shape, np.nan))
    same = hrclm.run(config, soil_moisture=nan)
    np.testing.assert_array_equal(same.H2OSOI.values, free.H2OSOI.values)
    assert float(np.abs(same.QIMPOSED).max()) == 0.0
    # layers 4-6 held at 0.2 m3 m-3 (wetter than the free run)
    held = nan.copy()
    held[:, 3:6] = 0.2
    p = hrclm.run(config, soil_moisture=held)
    np.testing.assert_allclose(p.H2OSOI.values[:, 3:6], 0.2, rtol=1e-14)
    imposed = float(p.QIMPOSED.sum()) * dt
    assert imposed > 10.0                                     # water had to be added
    # the balance closes with the imposed flux: storage change from the outputs
    dz = p.dzsoi.values * 1000.0
    d_soil = float(((p.H2OSOI.values[-1] - p.H2OSOI.values[0]) * dz).sum())
    d_other = float((p.WA[-1] - p.WA[0]) + (p.H2OCAN[-1] - p.H2OCAN[0]) + (p.H2OSNO[-1] - p.H2OSNO[0]))
    forcing = hrclm.io.generate_forcing(hrclm.sites.get_site("US-SRM"), 2010, 1, dt)
    rain = float(forcing.Rainf.sel(time=p.time).isel(time=slice(1, None)).sum()) * dt
    out = float((p.QVEGT + p.QVEGE + p.QSOIL + p.QOVER + p.QDRAI).isel(time=slice(1, None)).sum()) * dt
    into = float(p.QIMPOSED.isel(time=slice(1, None)).sum()) * dt
    assert d_soil + d_other == pytest.approx(rain + into - out, abs=1e-6)
    # and the flux sensitivity of transpiration to root-zone soil moisture is defined
    daily = lambda x: x.resample(time="1D").mean()                  # noqa: E731
    rz = slice(0, 6)
    beta = flux_sensitivity(daily(free.QVEGT) * 86400, daily(p.QVEGT) * 86400,
                            daily(free.H2OSOI.isel(levsoi=rz).mean("levsoi")),
                            daily(p.H2OSOI.isel(levsoi=rz).mean("levsoi")))
    assert np.isfinite(beta.values).sum() >= 10


def test_prescribed_soil_moisture_errors():
    import hrclm
    from hrclm.config import load_config
    config = load_config("US-SRM_drydown.nml", ndays=2)
    free = hrclm.run(config)
    bad = free.H2OSOI.copy(data=np.full(free.H2OSOI.shape, np.nan))
    bad[5, 2] = 0.9
    with pytest.raises(InputError, match=r"^prescribed theta = 9\.0000E-01 at column 1, layer 3, "
                                         r"step 6 is not valid: it must lie in \[0, watsat = "):
        hrclm.run(config, soil_moisture=bad)
    with pytest.raises(InputError, match=r"^soil_moisture has no value for 48 steps of the run"):
        hrclm.run(config, soil_moisture=free.H2OSOI.isel(time=slice(0, 48)))
    with pytest.raises(InputError, match=r"^soil_moisture has 3 levsoi layers but the column "
                                         r"has 10$"):
        hrclm.run(config, soil_moisture=free.H2OSOI.isel(levsoi=slice(0, 3)))


def _fake_tape(theta_layers, gpp, et):
    """A history tape with three 0.1/0.3/0.6 m layers, the given H2OSOI
    (time, levsoi), FPSN [umol m-2 s-1] and ET (all as QVEGT) [mm s-1]."""
    time = pd.date_range("2021-01-01", periods=theta_layers.shape[0], freq="6h")
    return xr.Dataset({"H2OSOI": (("time", "levsoi"), theta_layers),
                       "QVEGT": ("time", et), "QVEGE": ("time", np.zeros_like(et)),
                       "QSOIL": ("time", np.zeros_like(et)), "FPSN": ("time", gpp),
                       "zisoi_top": ("levsoi", [0.0, 0.1, 0.4]),
                       "zisoi_bot": ("levsoi", [0.1, 0.4, 1.0])}, coords={"time": time})


def test_run_sensitivity_returns_the_planted_slope_of_gpp_and_et_daily_and_annual():
    from hrclm.analysis import run_sensitivity
    rng = np.random.default_rng(3)
    n = 4 * 400                                                  # 400 days, 6-hourly, 2 years
    theta = 0.15 + 0.05 * rng.random((n, 3))
    shift = np.array([0.02, 0.04, 0.06])                         # prescribed is drier, per layer
    root = lambda th: (th * [0.1, 0.3, 0.6]).sum(axis=1)          # noqa: E731  0-100 cm mean
    gpp = lambda th: 2.0 + 40.0 * root(th)                        # noqa: E731  umol m-2 s-1
    et = lambda th: (0.5 + 10.0 * root(th)) / 86400.0            # noqa: E731  mm s-1
    free = _fake_tape(theta, gpp(theta), et(theta))
    presc = _fake_tape(theta - shift, gpp(theta - shift), et(theta - shift))
    dth_root = float(root(shift[None, :])[0])
    for timescale in ("daily", "annual"):
        out = run_sensitivity(free, presc, fluxes=("ET", "GPP"), timescale=timescale)
        # 0-100 cm: the slope per m3 m-3, in gC m-2 d-1 (12.011e-6 g umol-1, 86400 s d-1)
        np.testing.assert_allclose(out.beta_GPP.sel(layer="0-100cm").values,
                                   40.0 * 12.011e-6 * 86400.0, rtol=1e-9)
        np.testing.assert_allclose(out.beta_ET.sel(layer="0-100cm").values, 10.0, rtol=1e-9)
        # 0-10 cm changed by 0.02 while the flux followed 0-100 cm (dth_root)
        np.testing.assert_allclose(out.beta_ET.sel(layer="0-10cm").values,
                                   10.0 * dth_root / 0.02, rtol=1e-9)
        assert out.beta_GPP.attrs["units"] == "gC m-2 d-1 per m3 m-3"
    # 2021 whole, 35 days of 2022: only 2021 makes an annual value
    assert run_sensitivity(free, presc, timescale="annual").sizes["time"] == 1
    assert run_sensitivity(free, presc).sizes["time"] == 400
    with pytest.raises(InputError, match=r"^flux NEE needs NEE in the model output, which lacks "
                                         r"it; give an h0 tape of an hrclm run with carbon "):
        run_sensitivity(free, presc, fluxes=("NEE",))
    with pytest.raises(InputError, match=r"^flux 'NPP' is not known; use one of ET, T, GPP, AR, "
                                         r"HR, NEE$"):
        run_sensitivity(free, presc, fluxes=("NPP",))
    with pytest.raises(InputError, match=r"^timescale 'weekly' is not valid"):
        run_sensitivity(free, presc, timescale="weekly")


def test_gpp_of_a_real_run_falls_when_the_root_zone_is_prescribed_drier():
    """US-SRM in July (two patches, CLM4.5 photosynthesis, water-limited:
    BTRAN < 1): prescribing the top metre 0.03 m3 m-3 drier lowers
    transpiration and GPP, so every beta of GPP, T and ET is positive, daily
    and over the run. CLM4.5's root uptake: from this cold start the default
    parallel root model draws on the wet subsoil and is not water-limited
    (BTRAN 1.0), which is not the case this test needs."""
    import hrclm
    from hrclm.analysis import run_sensitivity
    config = hrclm.load_config("US-SRM.nml", spinup=False, ndays=20, start_month=7,
                               root_uptake="clm45")
    free = hrclm.run(config)
    assert float(free.BTRAN.mean()) < 0.99                      # water-limited
    rz = np.flatnonzero(free.zisoi_bot.values <= 1.0)
    presc = free.H2OSOI.copy(data=np.full(free.H2OSOI.shape, np.nan))
    presc[:, rz] = np.clip(free.H2OSOI.values[:, rz] - 0.03, 0.02, None)
    dry = hrclm.run(config, soil_moisture=presc)
    assert float(dry.FPSN.mean()) < float(free.FPSN.mean())
    for timescale in ("daily", "annual"):
        out = run_sensitivity(free, dry, timescale=timescale, utc_offset=-7.0)
        for name in ("GPP", "T", "ET"):
            for layer in ("0-10cm", "10-40cm", "0-100cm"):
                assert out.attrs[f"median_beta_{name}_{layer}"] > 0, (timescale, name, layer)


def test_carbon_sensitivities_of_a_real_run():
    """The same July at US-SRM with litter and soil carbon in place: a drier
    root zone slows decomposition (beta_HR > 0: wetter soil, more
    heterotrophic respiration), lowers GPP and with it growth and leaf
    respiration (beta_AR > 0), and weakens the uptake (beta_NEE < 0: wetter
    soil, more negative NEE). CLM4.5's root uptake, as in the test above."""
    from hrclm.analysis import run_sensitivity
    from hrclm.model import CARBON_POOLS, STATE_LEV, STATE_PAT, ColumnSetup, run_case
    from hrclm.sites import get_site
    config = load_config("US-SRM.nml", spinup=False, ndays=20, start_month=7,
                         hist_fincl1=["H2OSOI", "AR", "HR", "NEE", "FPSN"], root_uptake="clm45")
    setup = ColumnSetup(config, get_site("US-SRM"))
    state = setup.initial_state(295.0)
    for name in CARBON_POOLS:
        state.lev[:, :, STATE_LEV[name].index] = 300.0
    state.pat[:, :, STATE_PAT["annsum_npp"].index] = 100.0
    free = run_case(config, state=state).tapes[0]
    rz = np.flatnonzero(free.zisoi_bot.values <= 1.0)
    presc = free.H2OSOI.copy(data=np.full(free.H2OSOI.shape, np.nan))
    presc[:, rz] = np.clip(free.H2OSOI.values[:, rz] - 0.03, 0.02, None)
    dry = run_case(config, state=state, soil_moisture=presc).tapes[0]
    out = run_sensitivity(free, dry, fluxes=("AR", "HR", "NEE"), timescale="annual",
                          utc_offset=-7.0)
    for layer in ("10-40cm", "0-100cm"):
        assert out.attrs[f"median_beta_HR_{layer}"] > 0
        assert out.attrs[f"median_beta_AR_{layer}"] > 0
        assert out.attrs[f"median_beta_NEE_{layer}"] < 0
    assert out.beta_NEE.attrs["units"] == "gC m-2 d-1 per m3 m-3"


def test_srmax_from_tower_daily_totals_gap_filling_and_the_reasons_it_gives_none():
    from hrclm.analysis import srmax_from_tower
    hours = pd.date_range("2001-01-01", "2004-12-31 23:00", freq="1h")
    days = pd.date_range("2001-01-01", "2004-12-31", freq="1D")
    p_day = np.where(np.asarray(days.day) == 1, 60.0, 0.0)             # 60 mm on each 1st
    e_day = np.full(days.size, 1.5)                                     # mm d-1
    e_day[np.asarray(days.month) == 7] = 3.0                            # more in July
    # hourly P [mm per hour] (all at 12:00) and ET [mm s-1] spread evenly over the day
    p_h = np.where(np.asarray(hours.hour) == 12, np.repeat(p_day, 24), 0.0)
    e_h = np.repeat(e_day, 24) / 86400.0
    da = lambda v, t: xr.DataArray(v, dims="time", coords={"time": t})  # noqa: E731
    out, why = srmax_from_tower(da(p_h, hours), da(e_h, hours), balance=False)
    assert why == ""
    ref = srmax(da(p_day, days), da(e_day, days), balance=False)
    np.testing.assert_allclose(out.deficit.values, ref.deficit.values, atol=1e-9)
    np.testing.assert_allclose(out.annual_max.values, ref.annual_max.values, atol=1e-9)
    assert out.attrs["et_filled_days"] == 0
    # a July day without ET is filled with July's mean: the same answer
    gap = e_h.copy()
    gap[np.asarray((hours.month == 7) & (hours.day == 20) & (hours.year == 2002))] = np.nan
    filled, _ = srmax_from_tower(da(p_h, hours), da(gap, hours), balance=False)
    assert filled.attrs["et_filled_days"] == 1
    np.testing.assert_allclose(filled.annual_max.values, ref.annual_max.values, atol=1e-9)
    # too short, too few ET days: None and one sentence
    short = slice(0, 24 * 100)
    none, why = srmax_from_tower(da(p_h[short], hours[short]), da(e_h[short], hours[short]))
    assert none is None and why == ("the record has 100 whole days of precipitation, fewer than "
                                    "the 365 the mass curve needs for one annual maximum")
    sparse = np.where(np.asarray(hours.month) <= 6, np.nan, e_h)
    none, why = srmax_from_tower(da(p_h, hours), da(sparse, hours))
    assert none is None and why.startswith("the tower gives ET on 50 % of the days")


def test_srmax_from_run_uses_the_forcing_precipitation_and_the_runs_et():
    from hrclm.analysis import srmax_from_run
    time = pd.date_range("2010-01-01", "2012-12-31 18:00", freq="6h")
    n = time.size
    rng = np.random.default_rng(1)
    rain = np.where(rng.random(n) < 0.05, 2e-4, 0.0)                  # kg m-2 s-1
    et = np.full(n, 1.5 / 86400.0)
    tape = _fake_tape(np.full((n, 3), 0.2), np.zeros(n), et).assign_coords(time=time)
    out = srmax_from_run(tape, xr.DataArray(rain, dims="time", coords={"time": time}),
                         balance=False)
    p_day = rain.reshape(-1, 4).sum(axis=1) * 21600.0
    ref = srmax(xr.DataArray(p_day, dims="time", coords={"time": time[::4]}),
                xr.DataArray(np.full(p_day.size, 1.5), dims="time", coords={"time": time[::4]}),
                balance=False)
    np.testing.assert_allclose(out.annual_max.values, ref.annual_max.values, rtol=1e-12)
    assert out.sizes["year"] == 3 and "srmax" in out


def test_cli_analyse_srmax_and_sensitivity_and_their_one_sentence_errors(tmp_path, capsys):
    """`hrclm analyse` on a short generated run: Srmax from the regenerated
    precipitation equals the library's answer with the forcing's Rainf;
    bad input gets one sentence and exit 2."""
    import hrclm
    from hrclm.analysis import srmax_from_run
    from hrclm.cli import main
    from hrclm.model import forcing_source, write_netcdf
    from hrclm.sites import get_site
    config = hrclm.load_config("US-SRM.nml", spinup=False, ndays=20, start_month=7)
    free = hrclm.run(config)
    write_netcdf(free, tmp_path / "free.nc")
    src, _ = forcing_source(config, get_site("US-SRM"))
    rain = xr.DataArray(src.values(0, src.time.size)["Rainf"], dims="time",
                        coords={"time": src.time})
    ref = srmax_from_run(free, rain, -7.0)
    assert main(["analyse", "srmax", str(tmp_path / "free.nc")]) == 0
    out = capsys.readouterr().out
    assert f"annual maximum deficit [mm]: 2010 {float(ref.annual_max[0]):.0f};" in out
    assert main(["analyse", "sensitivity", str(tmp_path / "free.nc"), str(tmp_path / "free.nc"),
                 "--flux", "GPP"]) == 0
    assert "daily beta_GPP 0-10cm: no value with |d theta| >= 0.001 m3 m-3" in capsys.readouterr().out
    for argv, message in (
            (["analyse", "srmax"], "hrclm: hrclm analyse srmax needs h0 history files of runs, "
                                   "or --obs with P and ET, or both\n"),
            (["analyse", "srmax", str(tmp_path / "free.nc"), "--return-periods", "1"],
             "hrclm: --return-periods '1' is not valid; give years > 1 separated by commas "
             "(e.g. 2,10,20)\n"),
            (["analyse", "sensitivity", str(tmp_path / "free.nc"), str(tmp_path / "free.nc"),
              "--flux", "NPP"], "hrclm: flux 'NPP' is not known; use one of ET, T, GPP, AR, HR, "
                                "NEE\n"),
            (["analyse", "correct", str(tmp_path / "free.nc")],
             f"hrclm: observations {tmp_path / 'free.nc'} have no SWC; give observations "
             "with SWC and TSOI (hrclm convert of a USCRN folder or an AmeriFlux file)\n")):
        assert main(argv) == 2
        assert capsys.readouterr().err == message
