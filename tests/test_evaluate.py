"""Evaluation: metrics against hand computations, depth alignment, the HR
signature detector, and the real-data pipeline at USCRN NM Socorro 20 N."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import hrclm
from hrclm import evaluate
from hrclm.errors import InputError
from hrclm.cli import main
from hrclm.io.uscrn import read_uscrn
from hrclm.sites import get_site

SHARED = Path(__file__).resolve().parents[2] / "shared" / "site_data_raw"
SOCORRO = SHARED / "uscrn" / "NM_Socorro_20_N"
needs_shared = pytest.mark.skipif(not SOCORRO.is_dir(),
                                  reason="real USCRN data not found at ../shared (only on the "
                                         "project's machines)")


def test_metrics_against_hand_computed_values():
    obs = np.array([1.0, 2.0, 3.0, 4.0, np.nan])
    mod = np.array([2.0, 2.0, 4.0, 4.0, 9.0])
    m = evaluate.metrics(obs, mod)
    assert m["n"] == 4
    assert m["bias"] == pytest.approx(0.5)                       # (1 + 0 + 1 + 0) / 4
    assert m["rmse"] == pytest.approx(np.sqrt(0.5))             # sqrt((1 + 0 + 1 + 0) / 4)
    # r: obs anomalies -1.5 -0.5 0.5 1.5, model 3 3 4 4 -> anomalies -0.5 -0.5 0.5 0.5
    assert m["r"] == pytest.approx(2.0 / np.sqrt(5.0 * 1.0))
    assert m["nse"] == pytest.approx(1 - 2.0 / 5.0)              # SSE 2, SS_obs 5
    r, alpha, beta = 2 / np.sqrt(5), 1.0 / np.sqrt(1.25), 3.0 / 2.5
    assert m["kge"] == pytest.approx(1 - np.sqrt((r - 1) ** 2 + (alpha - 1) ** 2 + (beta - 1) ** 2))
    crmse = np.sqrt(np.mean(((mod[:4] - 3.0) - (obs[:4] - 2.5)) ** 2))
    so = np.std(obs[:4])
    assert m["score"] == pytest.approx(0.5 * (np.exp(-0.5 / so) + np.exp(-crmse / so)))
    perfect = evaluate.metrics(obs, obs)
    assert perfect["rmse"] == 0 and perfect["nse"] == 1 and perfect["kge"] == 1 and perfect["score"] == 1


def test_layer_means_are_thickness_weighted():
    time = pd.date_range("2020-01-01", periods=2, freq="h")
    swc = xr.DataArray([[0.1, 0.2, 0.3], [0.1, np.nan, 0.3]], dims=("time", "depth"),
                       coords={"time": time, "depth": [0.05, 0.2, 0.5]})
    # sensors stand for 0-0.125, 0.125-0.35, 0.35-0.65 m
    tops, bots = evaluate.sensor_intervals([0.05, 0.2, 0.5])
    np.testing.assert_allclose(tops, [0, 0.125, 0.35])
    np.testing.assert_allclose(bots, [0.125, 0.35, 0.65])
    mean = evaluate.obs_layer_mean(swc, 0.1, 0.4)
    expected = (0.025 * 0.1 + 0.225 * 0.2 + 0.05 * 0.3) / 0.3
    assert float(mean[0]) == pytest.approx(expected)
    assert np.isnan(float(mean[1]))                      # a needed sensor is missing
    assert np.isnan(float(evaluate.obs_layer_mean(swc, 0.0, 1.0)[0]))   # sensors stop at 0.65 m
    ds = xr.Dataset({"H2OSOI": (("time", "levsoi"), [[0.1, 0.3]])},
                    coords={"time": time[:1], "levsoi": [0.05, 0.3],
                            "zisoi_top": ("levsoi", [0.0, 0.1]), "zisoi_bot": ("levsoi", [0.1, 0.5])})
    assert float(evaluate.model_layer_mean(ds, 0.0, 0.2)[0]) == pytest.approx(0.2)
    assert float(evaluate.model_at_depths(ds, [0.05]).isel(depth=0)[0]) == pytest.approx(0.1)


def synthetic_theta(rise):
    """Hourly shallow soil moisture for 40 days, slowly drying, with a planted
    night-time rise of `rise` m3 m-3 between 20:00 and 06:00 local, and rain
    on day 10 (so the 5 following nights are not dry)."""
    utc_offset = -7
    local = pd.date_range("2021-05-01", periods=40 * 24, freq="h")
    hour = local.hour.values
    night = (hour >= 20) | (hour < 6)
    step = np.where(night, rise / 10.0, -0.0004)
    theta = 0.15 + np.cumsum(step)
    rain = np.zeros(local.size)
    rain[(local.day == 11) & (hour == 14)] = 12.0
    time = (local - pd.Timedelta(hours=utc_offset)).values
    theta = xr.DataArray(theta, dims="time", coords={"time": time})
    precip = xr.DataArray(rain, dims="time", coords={"time": time})
    return theta, precip, utc_offset


def test_hr_signature_finds_a_planted_rise_and_none_without():
    theta, precip, off = synthetic_theta(rise=0.002)
    sig = evaluate.hr_signature(theta, precip, off)
    # 39 nights with both ends; the first 4 (starting 1-4 May) lack 5 days of rain
    # record before their end, the 5 starting 11-15 May follow the rain: 30 dry nights
    assert sig["n_dry_nights"] == 30
    # 20:00 -> 06:00 spans 9 night-time increments of rise/10 and the 06:00 drying step
    assert sig["mean_dtheta"] == pytest.approx(0.9 * 0.002 - 0.0004, abs=1e-9)
    assert sig["frac_rising"] == 1.0
    assert sig["percentiles"][50] == pytest.approx(0.9 * 0.002 - 0.0004, abs=1e-9)
    assert set(sig["by_month_quartiles"]) == {5, 6}
    theta0, precip0, _ = synthetic_theta(rise=0.0)
    sig0 = evaluate.hr_signature(theta0, precip0, off)
    assert sig0["frac_rising"] == 0.0 and sig0["mean_dtheta"] < 0
    nights = evaluate.night_changes(theta, precip, off)
    assert not nights.loc["2021-05-11":"2021-05-15"].dry.any()


def uscrn_line(n_fields=38):
    return " ".join(["1"] * n_fields) + "\n"


def test_uscrn_reader_rejects_bad_files(tmp_path):
    bad = tmp_path / "CRNH0203-2020-X.txt"
    bad.write_text(uscrn_line(30) * 3)
    with pytest.raises(hrclm.InputError,
                       match=r"line 1 has 30 fields; an hourly02 file has 38 per line"):
        read_uscrn(bad, elevation=100.0)


@needs_shared
def test_uscrn_reader_on_the_real_socorro_files():
    files = sorted(SOCORRO.glob("CRNH0203-202[01]-*.txt"))
    forcing, obs = read_uscrn(files, site=get_site("USCRN-NM_Socorro_20_N"))
    assert forcing.time.size == 8784 + 8760 == obs.time.size
    # the first record ends at 01:00 UTC on 2020-01-01: its period starts at 00:00 UTC
    assert pd.Timestamp(forcing.time.values[0]) == pd.Timestamp("2020-01-01 00:00")
    assert forcing.attrs["utc_offset"] == -7.0
    first = files[0].read_text().splitlines()[0].split()
    assert float(forcing.Tair[0]) == pytest.approx(float(first[9]) + 273.15)
    assert float(forcing.Rainf[0]) == pytest.approx(float(first[12]) / 3600.0)
    assert float(obs.SWC[0, 0]) == pytest.approx(float(first[28]))
    # missing fractions counted by hand from the raw field
    raw_t = [float(line.split()[9]) for f in files for line in f.read_text().splitlines()]
    assert forcing.attrs["missing_fraction_Tair"] == pytest.approx(np.mean(np.array(raw_t) == -9999.0))
    assert not np.isnan(forcing.Tair).any()
    assert obs.depth.values.tolist() == [0.05, 0.1, 0.2, 0.5, 1.0]
    with pytest.raises(hrclm.InputError, match=r"repeat the hour starting 2020-01-01 00:00:00 UTC"):
        read_uscrn([files[0], files[0]], site=get_site("USCRN-NM_Socorro_20_N"))


@needs_shared
def test_real_data_end_to_end_socorro(tmp_path):
    """Forced by the station's own weather (2020-2021), HR off and on, scored
    against its soil moisture at five depths. Checks the pipeline, not the model."""
    site = get_site("USCRN-NM_Socorro_20_N")
    files = sorted(SOCORRO.glob("CRNH0203-202[01]-*.txt"))
    forcing, obs = read_uscrn(files, site=site)
    runs = {case: hrclm.run(hrclm.load_config("USCRN-NM_Socorro_20_N.nml", f"{case}.nml"), forcing)
            for case in ("hr_off", "hr_on")}
    table = evaluate.compare(runs, obs)
    swc = table[(table.variable == "SWC") & (table.case != "hr_on-hr_off")]
    assert set(swc.depth) >= {"0.05 m", "0.1 m", "0.2 m", "0.5 m", "1 m", "0-10cm", "10-40cm",
                              "0-100cm"}
    assert np.isfinite(swc.value).all()
    native = swc[(swc.timescale == "native") & (swc.depth == "0.05 m")]
    assert set(native.n) == {int(obs.SWC.sel(depth=0.05).notnull().sum())}
    assert set(table.case) == {"hr_off", "hr_on", "hr_on-hr_off"}
    for ds in runs.values():
        sig = evaluate.hr_signature(evaluate.model_at_depths(ds, [0.05]).isel(depth=0), obs.P, -7)
        assert sig["n_dry_nights"] > 300
    # the command line writes the table and the figures
    for case, ds in runs.items():
        hrclm.model.write_netcdf(ds, tmp_path / f"{case}.nc")
    assert main(["compare", str(tmp_path / "hr_off.nc"), str(tmp_path / "hr_on.nc"),
                 "--obs", str(SOCORRO), "-o", str(tmp_path / "cmp")]) == 0
    written = sorted(p.name for p in (tmp_path / "cmp").iterdir())
    assert written == ["diel_shallow_swc.png", "metrics.csv", "metrics.nc", "seasonal_et.png",
                       "time_depth_hr_off.png", "time_depth_hr_on.png"]


def test_hr_signature_on_corrected_observations_recovers_a_night_rise_hidden_by_the_sensor():
    """A sensor reading 0.0015 m3 m-3 K-1 high on a soil whose true moisture
    rises by 0.002 m3 m-3 over each night: raw, the night-time change is
    negative (the soil cools at night); corrected, the planted rise comes back."""
    from hrclm.benchmark import SiteJob, hr_signature_rows
    time = pd.date_range("2021-06-01", periods=24 * 40, freq="1h")
    hour = np.asarray(time.hour)
    tsoil = 300.0 + 6.0 * np.cos(2 * np.pi * (hour - 14) / 24)
    rise = np.where((hour >= 20) | (hour < 6), 0.002 * ((hour - 20) % 24) / 10, 0.0)
    rise[(hour >= 6) & (hour < 20)] = 0.002 * (1 - (hour[(hour >= 6) & (hour < 20)] - 6) / 14)
    swc = 0.1 + rise + 0.0015 * (tsoil - 300.0)
    obs = xr.Dataset({"SWC": (("time", "depth"), swc[:, None]),
                      "TSOI": (("time", "depth"), tsoil[:, None]),
                      "P": ("time", np.zeros(time.size))},
                     coords={"time": time, "depth": [0.05]}, attrs={"utc_offset": 0.0})
    job = SiteJob(id="test")
    raw = hr_signature_rows(job, obs, {}, "raw")
    corr = hr_signature_rows(job, obs, {}, "corrected")
    # raw: 20:00 -> 06:00 the soil cools by 3 K: 0.002 - 0.0045 = -0.0025
    assert raw[0][1] == "observed" and raw[0][6] == pytest.approx(-0.0025, abs=1e-9)
    assert corr[0][1] == "observed_corrected" and corr[0][6] == pytest.approx(0.002, abs=3e-4)
    assert corr[-1][2] == "sensor_temperature_k" and corr[-1][6] == pytest.approx(0.0015, rel=0.2)
    with pytest.raises(InputError, match=r"^site test: hr_signature_obs = 'corrected' needs a soil "
                                         r"temperature at the shallowest sensor \(0\.05 m\), which "
                                         r"the observations lack; use 'raw'$"):
        hr_signature_rows(job, obs.drop_vars("TSOI"), {}, "corrected")
