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


# -- carbon: NEE against the tower, the HR question for carbon -----------------------
def carbon_run(year=2010, nyears=1, step="3h", nee=None, gpp=2e-5, ar=1e-5, hr=8e-6,
               hr_vr=None, w_scalar=None, rain=None):
    """A synthetic run with CLM carbon history variables (gC m-2 s-1; HR_vr
    gC m-3 s-1) on 4 soil layers of 0.1, 0.2, 0.3, 0.4 m. Scalars or
    functions of the time index give the fluxes."""
    time = pd.date_range(f"{year}-01-01", f"{year + nyears}-01-01", freq=step, inclusive="left")
    dz = np.array([0.1, 0.2, 0.3, 0.4])
    zi = np.cumsum(dz)
    val = lambda v: (v(time) if callable(v) else np.full(time.size, float(v)))   # noqa: E731
    g, a, h = val(gpp), val(ar), val(hr)
    n = val(nee) if nee is not None else a + h - g
    vr = hr_vr if hr_vr is not None else np.outer(h, [0.4, 0.3, 0.2, 0.1]) / dz
    ws = w_scalar if w_scalar is not None else np.full((time.size, 4), 0.5)
    ds = xr.Dataset({"GPP": ("time", g), "AR": ("time", a), "HR": ("time", h),
                     "ER": ("time", a + h), "NEE": ("time", n),
                     "HR_vr": (("time", "levsoi"), vr), "W_SCALAR": (("time", "levsoi"), ws),
                     "H2OSOI": (("time", "levsoi"), np.full((time.size, 4), 0.2))},
                    coords={"time": time, "levsoi": zi - dz / 2, "dzsoi": ("levsoi", dz),
                            "zisoi_top": ("levsoi", zi - dz), "zisoi_bot": ("levsoi", zi)})
    return ds


def tower_nee(year=2010, values=None):
    """Daily tower observations (NEE, and LE for the reader's sake) in
    gC m-2 s-1: a seasonal cycle of -1 to +0.5 gC m-2 d-1 unless given."""
    time = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    if values is None:
        values = (-0.25 - 0.75 * np.sin(2 * np.pi * (time.day_of_year.values - 120) / 365)) / 86400
    return xr.Dataset({"NEE": ("time", values, {"units": "gC m-2 s-1"})}, coords={"time": time})


def test_nee_scores_perfect_for_the_tower_itself_and_worse_when_shifted():
    obs = tower_nee()
    daily = obs.NEE.values
    same = carbon_run(step="1D", nee=lambda t: daily)
    shifted = carbon_run(step="1D", nee=lambda t: daily + 0.5 / 86400)
    table = evaluate.compare({"hr_off": same, "hr_on": shifted}, obs, site="X")
    get = lambda case, ts, m: float(table[(table.case == case) & (table.variable == "NEE")   # noqa: E731
                                          & (table.timescale == ts) & (table.metric == m)].value.iloc[0])
    for ts in ("daily", "seasonal"):
        assert get("hr_off", ts, "score") == pytest.approx(1.0)
        assert get("hr_off", ts, "bias") == pytest.approx(0.0, abs=1e-15)
        assert get("hr_on", ts, "score") < 0.9
        # the table holds rates like ET (per second): 0.5 gC m-2 d-1 = 0.5 / 86400 gC m-2 s-1
        assert get("hr_on", ts, "bias") * 86400 == pytest.approx(0.5)
        assert get("hr_on-hr_off", ts, "bias") * 86400 == pytest.approx(0.5)
    assert get("hr_on", "seasonal", "r") == pytest.approx(1.0)
    assert not ({"GPP", "ER"} & set(table.variable))       # the tower gives no GPP or ER


def test_hourly_model_nee_is_averaged_to_tower_days():
    """A model NEE of 1e-5 gC m-2 s-1 every hour is 0.864 gC m-2 d-1 against
    a daily tower record (bias and seasonal cycle)."""
    obs = tower_nee()
    run = carbon_run(step="1h", nee=1e-5)
    table = evaluate.compare({"hr_off": run}, obs, site="X")
    t = table[(table.variable == "NEE") & (table.metric == "bias")].set_index("timescale").value
    expected = 1e-5 - float(obs.NEE.mean())
    assert t["daily"] == pytest.approx(expected)
    assert evaluate.per_day(1e-5) == pytest.approx(0.864)
    assert int(table[(table.variable == "NEE") & (table.timescale == "daily")].n.iloc[0]) == 365
    # a constant model has no correlation, whatever the rounding of its daily means
    r = table[(table.variable == "NEE") & (table.metric == "r")].value
    assert r.isna().all()


def test_a_run_without_carbon_is_not_scored_and_says_why():
    from hrclm.benchmark import carbon_hr_rows, nee_notes
    obs = tower_nee()
    bare = carbon_run(step="1D").drop_vars(["GPP", "AR", "HR", "ER", "NEE", "HR_vr", "W_SCALAR"])
    with_c = carbon_run(step="1D")
    table = evaluate.compare({"hr_off": bare, "hr_on": with_c}, obs, site="X")
    assert set(table[table.variable == "NEE"].case) == {"hr_on"}      # no hr_on-hr_off rows
    assert evaluate.carbon_missing(bare) == "no carbon in run"
    assert evaluate.carbon_missing(with_c.drop_vars("AR")) == "run lacks AR"
    # use_carbon false or the Penman-Monteith canopy: the carbon fields are on the tape, as
    # zeros, and the run's attribute use_carbon = 0 says there was no carbon cycle
    zeros = with_c * 0.0
    zeros.attrs["use_carbon"] = 0
    assert evaluate.carbon_missing(zeros) == "no carbon in run"
    assert evaluate.carbon_missing(zeros.assign_attrs(use_carbon=1)) == ""
    assert evaluate.carbon_missing(with_c * 0.0) == "no carbon in run"       # no attribute: zeros
    assert "NEE" not in set(evaluate.compare({"hr_off": zeros}, obs, site="X").variable)
    assert nee_notes({"hr_off": zeros}, obs) == {"hr_off": "no carbon in run"}
    assert nee_notes({"hr_off": bare, "hr_on": with_c}, obs) == {"hr_off": "no carbon in run",
                                                                 "hr_on": ""}
    assert nee_notes({"hr_on": with_c}, obs.drop_vars("NEE")) == {"hr_on": "no tower NEE"}
    assert nee_notes({"hr_on": with_c}, None) == {"hr_on": "no observations"}
    assert nee_notes({"hr_on": with_c}, obs.assign(NEE=obs.NEE * np.nan)) == {
        "hr_on": "no tower NEE in the run period"}
    rows, info, profiles = carbon_hr_rows("X", {"hr_off": bare, "hr_on": with_c})
    assert rows == [] and profiles == {} and info["why"] == "no carbon in run"
    assert carbon_hr_rows("X", {"hr_on": with_c})[1]["why"] == "needs both an hr_off and an hr_on run"
    # a run of a few days: no annual totals and no dry season, said why, no traceback
    short = with_c.isel(time=slice(0, 5))
    rows, info, profiles = carbon_hr_rows("X", {"hr_off": short, "hr_on": short})
    assert rows == [] and profiles == {}
    assert info["why"] == ("the run covers 5 days, less than the year the annual totals need; "
                           "no dry season: the series covers no window of 3 consecutive "
                           "calendar months")


def monthly_series(values, year=2010, nyears=2):
    """Daily series taking values[month - 1] in each month."""
    time = pd.date_range(f"{year}-01-01", f"{year + nyears}-01-01", freq="D", inclusive="left")
    return xr.DataArray(np.asarray(values, float)[time.month - 1], dims="time",
                        coords={"time": time})


def test_dry_season_is_the_driest_three_consecutive_months():
    #               J   F   M   A    M    J    J   A   S   O   N   D
    rain = monthly_series([20, 15, 10, 2, 1, 0.5, 60, 80, 30, 15, 12, 25])
    assert evaluate.dry_season_months(rain) == (4, 5, 6)
    # a driest window across the turn of the year
    assert evaluate.dry_season_months(monthly_series(
        [1, 2, 30, 40, 50, 60, 60, 50, 40, 30, 20, 1])) == (12, 1, 2)
    # rainless May-Sep: five equal windows, told apart by soil moisture (driest Jul-Sep)
    rain = monthly_series([50, 40, 30, 10, 0, 0, 0, 0, 0, 10, 30, 50])
    soil = monthly_series([.30, .30, .28, .25, .20, .15, .12, .10, .09, .15, .25, .30])
    assert evaluate.dry_season_months(rain) == (5, 6, 7)                # earliest without it
    assert evaluate.dry_season_months(rain, tiebreak=soil) == (7, 8, 9)
    # months the run does not cover are not candidates
    part = monthly_series([5] * 12, nyears=1).sel(time=slice("2010-03-01", "2010-08-31"))
    assert evaluate.dry_season_months(part) == (3, 4, 5)
    mask = evaluate.in_months(rain.time, (12, 1, 2))
    assert int(mask.sum()) == 2 * (31 + 31 + 28)


def test_annual_change_equals_hand_computed_sums():
    """Two years of 3-hourly records: HR off has constant fluxes; HR on adds
    1e-6 gC m-2 s-1 of GPP in 2010 and 3e-6 in 2011 and its AR follows."""
    off = carbon_run(nyears=2, gpp=2e-5, ar=1e-5, hr=8e-6)
    extra = lambda t: np.where(t.year == 2010, 1e-6, 3e-6)             # noqa: E731
    on = carbon_run(nyears=2, gpp=lambda t: 2e-5 + extra(t), ar=lambda t: 1e-5 + 0.5 * extra(t),
                    hr=8e-6)
    year = 365 * 86400.0            # 2010 and 2011 are not leap years
    totals, years = evaluate.annual_totals(off)
    assert years == 2
    assert totals["GPP"] == pytest.approx(2e-5 * year)                 # 630.72 gC m-2 yr-1
    assert totals["NEE"] == pytest.approx((1e-5 + 8e-6 - 2e-5) * year)
    change = evaluate.annual_change(off, on)
    mean_extra = 0.5 * (1e-6 + 3e-6) * year                            # 63.072 gC m-2 yr-1
    assert change.loc["GPP", "change"] == pytest.approx(mean_extra)
    assert change.loc["AR", "change"] == pytest.approx(0.5 * mean_extra)
    assert change.loc["HR", "change"] == pytest.approx(0.0, abs=1e-9)
    assert change.loc["NEE", "change"] == pytest.approx(-0.5 * mean_extra)
    assert change.loc["GPP", "percent"] == pytest.approx(10.0)
    assert change.loc["NEE", "percent"] == pytest.approx(100 * -0.5 * mean_extra
                                                         / abs(-2e-6 * year))
    # the same numbers as metrics-table rows
    from hrclm.benchmark import carbon_hr_rows
    rows, info, profiles = carbon_hr_rows("X", {"hr_off": off, "hr_on": on})
    t = pd.DataFrame(rows, columns=["site", "case", "variable", "depth", "timescale", "metric",
                                    "value", "n"])
    a = t[t.timescale == "annual"].set_index(["case", "variable", "metric"]).value
    assert a[("hr_on-hr_off", "GPP", "total")] == pytest.approx(mean_extra)
    assert a[("hr_on", "GPP", "total")] == pytest.approx(2e-5 * year + mean_extra)
    assert a[("hr_on-hr_off", "NEE", "percent")] == pytest.approx(change.loc["NEE", "percent"])
    assert set(t[t.timescale == "annual"].n) == {2}
    # years are the runs' (UTC) calendar years, whatever the site's time zone
    rows, _, _ = carbon_hr_rows("X", {"hr_off": off, "hr_on": on}, utc_offset=-7.0)
    assert rows[0][6] == pytest.approx(totals["GPP"]) and rows[0][7] == 2
    # no percentage of an HR-off total near zero (NEE after carbon spin-up)
    balanced = carbon_run(nyears=2, gpp=2e-5, ar=1e-5, hr=1e-5 + 1e-9)   # NEE 0.03 gC m-2 yr-1
    small = evaluate.annual_change(balanced, on)
    assert np.isnan(small.loc["NEE", "percent"]) and np.isfinite(small.loc["GPP", "percent"])


def test_dry_season_profile_of_heterotrophic_respiration():
    """HR_vr x dzsoi per layer in gC m-2 d-1, averaged over the dry months
    only; with soil moisture alone the dry season is its lowest 3 months."""
    from hrclm.benchmark import carbon_hr_rows
    off = carbon_run(step="1D", hr=1e-5)
    month = off.time.dt.month.values
    dry = np.isin(month, [4, 5, 6])
    # HR on: twice the respiration in the deepest layer during the dry season only
    vr = off.HR_vr.values.copy()
    vr[dry, 3] *= 2.0
    ws = np.where(dry[:, None], [0.1, 0.2, 0.3, 0.6], 0.5)
    on = carbon_run(step="1D", hr=1e-5, hr_vr=vr, w_scalar=ws)
    off["H2OSOI"] = off.H2OSOI.copy(data=np.where(dry, 0.05, 0.25)[:, None] * np.ones(4))
    prof = evaluate.dry_season_profile(on, (4, 5, 6))
    # layer shares 0.4, 0.3, 0.2, 0.1 of 1e-5 gC m-2 s-1 = 0.864 gC m-2 d-1; deepest doubled
    np.testing.assert_allclose(prof.HR_layer, [0.3456, 0.2592, 0.1728, 0.1728])
    np.testing.assert_allclose(prof.W_SCALAR, [0.1, 0.2, 0.3, 0.6])
    assert prof.attrs["records"] == int(dry.sum())
    assert float(evaluate.dry_season_profile(off, (4, 5, 6)).HR_layer.sum()) == pytest.approx(0.864)
    rows, info, profiles = carbon_hr_rows("X", {"hr_off": off, "hr_on": on})
    assert info["months"] == [4, 5, 6] and "soil moisture" in info["rule"]
    t = pd.DataFrame(rows, columns=["site", "case", "variable", "depth", "timescale", "metric",
                                    "value", "n"])
    deep = t[(t.variable == "HR_layer") & (t.depth == "0.8 m")].set_index("case").value
    assert deep["hr_on"] == pytest.approx(2 * deep["hr_off"]) == pytest.approx(0.1728)
    # with precipitation the rule follows the rain: driest Oct-Dec here
    rain = monthly_series([9, 9, 9, 9, 9, 9, 9, 9, 9, 1, 1, 1], nyears=1)
    rows, info, _ = carbon_hr_rows("X", {"hr_off": off, "hr_on": on}, precip=rain)
    assert info["months"] == [10, 11, 12] and "precipitation" in info["rule"]


def write_tower_file(path, variables):
    """A daily flux file in the PLUMBER2/CalLMIP layout: (time, y, x) variables
    given as {name: (values, units)} plus Qle_daily."""
    time = pd.date_range("2010-01-01", periods=365, freq="D")
    data = {"Qle_daily": (("time", "y", "x"), np.full((365, 1, 1), 40.0, "float32"),
                          {"units": "W/m2"})}
    for name, (values, units) in variables.items():
        data[name] = (("time", "y", "x"), np.asarray(values, "float32").reshape(-1, 1, 1),
                      {"units": units, "Fluxnet_name": name.replace("_daily", "")})
    xr.Dataset(data, coords={"time": time}, attrs={"site_code": "US-Xxx"}).to_netcdf(path)
    return time


def test_tower_reader_gives_nee_and_gpp_er_when_the_file_has_them(tmp_path):
    from hrclm.io.plumber2 import read_plumber2_flux
    day = np.arange(365)
    nee = 0.864 * np.sin(2 * np.pi * day / 365)              # gC m-2 d-1
    gpp = 2.0 + np.cos(2 * np.pi * day / 365)
    write_tower_file(tmp_path / "c.nc", {"NEE_daily": (nee, "gC/m2/d"),
                                         "GPP_daily": (gpp, "gC m-2 d-1"),
                                         "Reco_daily": (gpp + nee, "gC/m2/d")})
    obs = read_plumber2_flux(tmp_path / "c.nc")
    assert obs.NEE.attrs["units"] == "gC m-2 s-1"
    np.testing.assert_allclose(obs.NEE.values * 86400, nee, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(obs.ER.values * 86400, gpp + nee, rtol=1e-6, atol=1e-6)
    # GPP and ER scored when the tower gives them; a run equal to the tower is perfect
    run = carbon_run(step="1D", gpp=lambda t: obs.GPP.values, nee=lambda t: obs.NEE.values)
    run["ER"] = obs.ER.values * xr.ones_like(run.NEE)
    table = evaluate.compare({"hr_off": run}, obs[["NEE", "GPP", "ER"]], site="X")
    scores = table[(table.metric == "score") & (table.timescale == "seasonal")]
    assert set(scores.variable) >= {"NEE", "GPP", "ER"}
    assert scores.set_index("variable").value[["NEE", "GPP", "ER"]].tolist() == pytest.approx(
        [1.0, 1.0, 1.0])
    # a file without NEE: nothing carbon, no error; unknown units: left out and said why
    write_tower_file(tmp_path / "e.nc", {})
    assert not {"NEE", "GPP", "ER"} & set(read_plumber2_flux(tmp_path / "e.nc").data_vars)
    write_tower_file(tmp_path / "u.nc", {"NEE_daily": (nee, "mol/m2/yr")})
    odd = read_plumber2_flux(tmp_path / "u.nc")
    assert "NEE" not in odd and "NEE_daily (units 'mol/m2/yr' not recognised" in \
        odd.attrs["carbon_note"]


US_SRM = SHARED / "US-SRM" / "US-SRM_daily_aggregated_2004-2014_FLUXNET2015_Flux.nc"


@pytest.mark.skipif(not US_SRM.is_file(), reason="the US-SRM daily tower file is not at "
                    "../shared/site_data_raw/US-SRM (only on the project's machines)")
def test_tower_reader_on_the_real_us_srm_file():
    from hrclm.io.plumber2 import read_plumber2_flux
    obs = read_plumber2_flux(US_SRM)
    raw = xr.open_dataset(US_SRM).NEE_daily.squeeze()
    np.testing.assert_allclose(obs.NEE.values * 86400, raw.values, rtol=1e-6, equal_nan=True)
    assert obs.NEE.attrs["source_fluxnet_name"] == "NEE_VUT_REF"
    # the monsoon takes up carbon: August NEE is negative with CLM's sign
    assert float(obs.NEE.groupby("time.month").mean().sel(month=8)) < 0


def test_ameriflux_reader_gives_nee_in_gc_per_second(tmp_path, base_file):
    """A BASE file with NEE_PI [umol CO2 m-2 s-1]: NEE in gC m-2 s-1 (x 12.011e-6),
    so that a site forced by its own weather gets NEE scored day by day."""
    from hrclm.io.ameriflux import read_ameriflux
    csv, heights = base_file(tmp_path, "US-SRG", "2010-07-01")
    lines = csv.read_text().splitlines()
    nee = [(-5.0 if 12 <= i % 48 < 36 else 2.0) for i in range(96)]
    lines[2] += ",NEE_PI"
    lines[3:] = [f"{line},{v}" for line, v in zip(lines[3:], nee)]
    csv.write_text("\n".join(lines) + "\n")
    _, obs = read_ameriflux(csv, site=get_site("US-SRG"), heights=heights)
    np.testing.assert_allclose(obs.NEE.values, np.array(nee) * 12.011e-6)
    assert obs.NEE.attrs["source_column"] == "NEE_PI" and "GPP" not in obs
    # one day: 24 h at -5, 24 h at +2 umol m-2 s-1 -> -1.5 x 12.011e-6 x 86400 gC m-2 d-1
    daily = evaluate.at_timescale(evaluate.per_day(obs.NEE), "daily", obs.attrs["utc_offset"])
    assert float(daily.mean()) == pytest.approx(-1.5 * 12.011e-6 * 86400)
