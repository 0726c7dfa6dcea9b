"""Benchmark jobs on dask: a failing site does not stop the others, reruns
resume, and the baseline gate fails on a worse metric."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from hrclm.benchmark import compare_with_baseline, load_benchmark
from hrclm.cli import main

import hrclm


@pytest.fixture(scope="module")
def bench_dir(tmp_path_factory, base_file):
    d = tmp_path_factory.mktemp("bench")
    # a daily tower ET file in the PLUMBER2/CalLMIP daily layout
    time = pd.date_range("2010-01-01", "2010-12-31", freq="D")
    le = 40.0 + 30.0 * np.sin(2 * np.pi * (time.day_of_year.values - 100) / 365.0)
    nee = -0.2 - 0.8 * np.sin(2 * np.pi * (time.day_of_year.values - 100) / 365.0)
    xr.Dataset({"Qle_daily": (("time", "y", "x"), le.reshape(-1, 1, 1).astype("float32"),
                              {"units": "W/m2", "Fluxnet_name": "LE_F_MDS"}),
                "NEE_daily": (("time", "y", "x"), nee.reshape(-1, 1, 1).astype("float32"),
                              {"units": "gC/m2/d", "Fluxnet_name": "NEE_VUT_REF"})},
               coords={"time": time}, attrs={"site_code": "US-Ton"}).to_netcdf(d / "ton_et.nc")
    # a downloaded AmeriFlux BASE file in the exact layout (two days), with SWC depths
    base_file(d, "US-SRG", "2010-07-01", ta_mean=25.0, ta_amp=8.0, sw_max=800.0, swc=(8.0, 12.0))
    (d / "bench.toml").write_text('''
name = "test"
[cases]
hr_off = ["hr_off.nml"]
hr_on = {namelists = ["hr_on.nml"], overrides = {hr_top_layer = false}}
[[site]]
id = "US-SRG"
forcing = "ameriflux"
forcing_path = "AMF_US-SRG_BASE_HH_1-5.csv"
heights = "heights.csv"
obs = "ameriflux"
overrides = {spinup = false}
[[site]]
id = "US-Ton"
forcing = "generator"
tower_et = "ton_et.nc"
start_year = 2010
nyears = 1
overrides = {spinup = false}
[[site]]
id = "USCRN-AZ_Tucson_11_W"
forcing = "uscrn"
forcing_path = "no/such/folder"
obs = "uscrn"
''')
    return d


def test_benchmark_runs_reports_failures_and_resumes(bench_dir, capsys):
    out = bench_dir / "out"
    status = main(["benchmark", str(bench_dir / "bench.toml"), "-o", str(out), "--workers", "2"])
    err = capsys.readouterr().err
    assert status == 1                                   # the Tucson site failed ...
    assert "USCRN-AZ_Tucson_11_W hr_off: InputError: forcing = 'uscrn' but forcing_file" in err
    table = pd.read_csv(out / "metrics.csv")
    assert set(table.site) == {"US-Ton", "US-SRG"}       # ... and the others were scored
    ton = table[table.site == "US-Ton"]
    assert set(ton.case) == {"hr_off", "hr_on", "hr_on-hr_off"}
    # tower ET (and NEE) vs generated weather: seasonal only (Srmax rows are annual,
    # capacities static; the carbon rows of the HR question annual and dry-season)
    assert set(ton[ton.variable.isin(["ET", "LE", "H", "NEE"])].timescale) <= {"seasonal",
                                                                                "annual"}
    carbon = {"NEE", "GPP", "AR", "HR", "HR_layer", "W_SCALAR"}
    assert set(ton.variable) - {"ET", "LE", "H"} - carbon == {"Srmax", "root_zone_capacity"}
    run = xr.open_dataset(out / "runs" / "US-Ton_hr_off.nc")
    if "NEE" in run:       # the carbon cycle is in the time loop
        assert carbon <= set(ton.variable)
        assert set(ton[ton.variable == "HR_layer"].timescale) == {"dry_season"}
    srg = table[(table.site == "US-SRG") & (table.variable == "SWC")]
    assert set(srg.depth) >= {"0.05 m", "0.3 m"} and set(srg[srg.timescale == "native"].n) == {96}
    runs = sorted(p.name for p in (out / "runs").iterdir())
    assert "US-SRG_hr_on.nc" in runs
    report = (out / "report.html").read_text()
    assert "Failures" in report and "GENERATED forcing" in report and "seasonal cycle" in report
    # the real-data (observed forcing) case is listed first
    assert report.index("USCRN-AZ_Tucson_11_W") < report.index("<h2 id=\"US-Ton\"")
    assert report.index("<h2 id=\"US-SRG\"") < report.index("<h2 id=\"US-Ton\"")     # observed forcing first
    first = (out / "metrics.csv").read_bytes()
    main(["benchmark", str(bench_dir / "bench.toml"), "-o", str(out), "--workers", "1"])
    assert "US-Ton hr_on: skipped (already done)" in capsys.readouterr().err
    assert (out / "metrics.csv").read_bytes() == first


def test_baseline_gate(bench_dir, tmp_path):
    table = pd.read_csv(bench_dir / "out" / "metrics.csv", dtype={"depth": str})
    assert compare_with_baseline(table, bench_dir / "out" / "metrics.csv") == []
    better = table.copy()
    sel = (better.case == "hr_on") & (better.metric == "rmse") & np.isfinite(better.value) \
        & (better.value > 0)
    better.loc[sel, "value"] = better.loc[sel, "value"] * 0.5      # baseline was better
    better.to_csv(tmp_path / "baseline.csv", index=False)
    worse = compare_with_baseline(table, tmp_path / "baseline.csv")
    assert len(worse) == int(sel.sum()) and all("rmse" in w for w in worse)


def test_bad_benchmark_configs(tmp_path):
    (tmp_path / "b.toml").write_text('[[site]]\nid = "US-SRM"\nforcng = "generator"\n')
    with pytest.raises(hrclm.InputError, match=r"\[\[site\]\] 1 has unknown keys forcng"):
        load_benchmark(tmp_path / "b.toml")
    with pytest.raises(hrclm.InputError, match=r"benchmark config .*nothere.toml does not exist"):
        load_benchmark(tmp_path / "nothere.toml")


def test_report_opens_with_a_scorecard_of_every_site_and_variable(bench_dir):
    """The report made by the benchmark above: the scorecard comes before the
    first site section, names every site and variable (NEE waiting for the
    carbon model), every score cell carries a unit and the colour of its
    score; Srmax per site with units and the reason observations give none."""
    import re
    from hrclm.benchmark import SCORE_VARIABLES, score_colour
    report = (bench_dir / "out" / "report.html").read_text()
    card = report[report.index('<table class="scorecard">'):]
    card = card[:card.index("</table>")]
    assert report.index('id="scorecard"') < report.index('<h2 id="US-SRG"')
    for site in ("US-SRG", "US-Ton", "USCRN-AZ_Tucson_11_W"):
        assert f">{site}</a>" in card
    for label, *_ in SCORE_VARIABLES:
        assert f">{label}</th>" in card
    assert ">NEE</th>" in card and "needs the carbon model" not in card
    with xr.open_dataset(bench_dir / "out" / "runs" / "US-Ton_hr_off.nc") as run:
        has_carbon = "NEE" in run
    if has_carbon:        # US-Ton's tower file has NEE; US-SRG's AmeriFlux record is read without
        assert card.count("no tower NEE") == 2 and "gC&nbsp;m⁻²&nbsp;d⁻¹" in card
    else:
        assert card.count("no carbon in run") == 4
    cells = re.findall(r'data-score="([0-9.]+)" style="background:(#[0-9a-f]{6})">'
                       r"<b>[0-9.]+</b><br><small>([^<]*)<br>([^<]*)</small>", card)
    table = pd.read_csv(bench_dir / "out" / "metrics.csv")
    ton = table[(table.site == "US-Ton") & (table.metric == "score")
                & (table.timescale == "seasonal") & table.case.isin(["hr_off", "hr_on"])]
    assert len(cells) >= len(ton) >= 2
    for score, colour, value, unit in cells:
        assert colour == score_colour(float(score))
        assert unit in ("mm&nbsp;d⁻¹", "W&nbsp;m⁻²", "m³&nbsp;m⁻³", "gC&nbsp;m⁻²&nbsp;d⁻¹")
    assert score_colour(0.0) != score_colour(1.0) and score_colour(float("nan")) == "#e6e6e6"
    # the US-Ton ET scores of the table are the ones shown
    shown = {round(float(s), 4) for s, *_ in cells}
    assert {round(v, 4) for v in ton[ton.variable == "ET"].value} <= shown
    # Srmax per site, in mm, and why the observations give none
    ton_srmax = table[(table.site == "US-Ton") & (table.variable == "Srmax")]
    assert set(ton_srmax.case) == {"hr_off", "hr_on"} and (ton_srmax.value > 0).all()
    assert "Root-zone storage capacity" in report and " mm</td>" in report
    assert ("the FLUXNET/PLUMBER2 daily tower file has LE and H but no precipitation, so the "
            "observations cannot give Srmax." in report)
    assert ("The AmeriFlux record cannot give Srmax: the record has 2 whole days of "
            "precipitation" in report)
    assert "observations as measured (not corrected for sensor temperature)" in report


def test_bad_analyses_tables(tmp_path):
    site = '[[site]]\nid = "US-SRM"\n'
    for table, message in (
            ("srmx = true", r"\[analyses\] has unknown keys srmx; valid keys: srmax, "
                            r"srmax_return_periods, hr_signature_obs$"),
            ("srmax = 1", r"\[analyses\] srmax = 1; use true or false$"),
            ("srmax_return_periods = [1, 10]", r"\[analyses\] srmax_return_periods = \[1, 10\]; "
                                               r"give a list of return periods in years, each > 1"),
            ('hr_signature_obs = "fixed"', r"\[analyses\] hr_signature_obs = 'fixed'; use 'raw' or "
                                           r"'corrected'")):
        (tmp_path / "b.toml").write_text(f"[analyses]\n{table}\n{site}")
        with pytest.raises(hrclm.InputError, match=r"^benchmark config .*b\.toml: " + message):
            load_benchmark(tmp_path / "b.toml")
    (tmp_path / "b.toml").write_text(site)
    assert load_benchmark(tmp_path / "b.toml").analyses == {
        "srmax": True, "srmax_return_periods": [2, 10, 20], "hr_signature_obs": "raw"}


def synthetic_site_run(path, nee=None, carbon=True):
    """A one-year daily run file with what score_site reads: water fluxes for
    ET, and CLM carbon history variables (constant NEE 1e-5 gC m-2 s-1 unless
    given; GPP 2e-5, AR 1e-5, HR 1.2e-5) on 4 soil layers."""
    time = pd.date_range("2010-01-01", "2010-12-31", freq="D")
    dz = np.array([0.1, 0.2, 0.3, 0.4])
    zi = np.cumsum(dz)
    month = time.month.values
    theta = np.where(np.isin(month, [4, 5, 6]), 0.05, 0.2)[:, None] * np.ones(4)
    one = np.ones(time.size)
    ds = xr.Dataset({"QVEGT": ("time", 1e-5 * one), "QVEGE": ("time", 0 * one),
                     "QSOIL": ("time", 1e-6 * one), "H2OSOI": (("time", "levsoi"), theta)},
                    coords={"time": time, "levsoi": zi - dz / 2, "dzsoi": ("levsoi", dz),
                            "zisoi_top": ("levsoi", zi - dz), "zisoi_bot": ("levsoi", zi)})
    if carbon:
        ds["GPP"] = ("time", 2e-5 * one)
        ds["AR"] = ("time", 1e-5 * one)
        ds["HR"] = ("time", 1.2e-5 * one)
        ds["NEE"] = ("time", (1e-5 if nee is None else nee) * one)
        ds["HR_vr"] = (("time", "levsoi"), np.outer(1.2e-5 * one, [0.4, 0.3, 0.2, 0.1]) / dz)
        ds["W_SCALAR"] = (("time", "levsoi"), 0.5 * np.ones((time.size, 4)))
    ds.to_netcdf(path)
    return str(path)


def test_scorecard_nee_column_from_synthetic_runs(tmp_path):
    """score_site and the report on synthetic runs (no model run): a constant
    model NEE of 1e-5 gC m-2 s-1 against a tower NEE whose monthly means
    average to zero shows a bias of +0.864 gC m-2 d-1 in the NEE column; a
    run without carbon says so; the HR question for carbon gets its table and
    figure."""
    import re
    from hrclm.benchmark import Benchmark, SiteJob, score_site, write_outputs
    time = pd.date_range("2010-01-01", "2010-12-31", freq="D")
    nee = np.where(time.month.values % 2 == 0, 0.5, -0.5)        # gC m-2 d-1, mean 0 by month
    xr.Dataset({"Qle_daily": (("time", "y", "x"), np.full((time.size, 1, 1), 40.0, "float32"),
                              {"units": "W/m2"}),
                "NEE_daily": (("time", "y", "x"), nee.reshape(-1, 1, 1).astype("float32"),
                              {"units": "gC/m2/d", "Fluxnet_name": "NEE_VUT_REF"})},
               coords={"time": time}, attrs={"site_code": "US-Aaa"}).to_netcdf(tmp_path / "t.nc")
    runs = tmp_path / "runs"
    runs.mkdir()
    a = SiteJob(id="US-Aaa", tower_et=str(tmp_path / "t.nc"), start_year=2010)
    b = SiteJob(id="US-Bbb", tower_et=str(tmp_path / "t.nc"), start_year=2010)
    out_a = {"hr_off": synthetic_site_run(runs / "a_off.nc"),
             "hr_on": synthetic_site_run(runs / "a_on.nc", nee=2e-5)}
    out_b = {"hr_off": synthetic_site_run(runs / "b_off.nc", carbon=False),
             "hr_on": synthetic_site_run(runs / "b_on.nc", carbon=False)}
    table = pd.concat([score_site(a, out_a, tmp_path), score_site(b, out_b, tmp_path)],
                      ignore_index=True)
    seasonal = table[(table.site == "US-Aaa") & (table.variable == "NEE")]
    assert set(seasonal.timescale) == {"seasonal", "annual"}       # generated weather
    bias = seasonal[seasonal.metric == "bias"].set_index("case").value
    assert bias["hr_off"] * 86400 == pytest.approx(0.864, abs=1e-6)
    assert bias["hr_on"] * 86400 == pytest.approx(1.728, abs=1e-6)
    assert "NEE" not in set(table[table.site == "US-Bbb"].variable)
    # the HR question for carbon: annual change in the metrics table
    change = table[(table.case == "hr_on-hr_off") & (table.timescale == "annual")
                   & (table.metric == "total")].set_index("variable").value
    assert change["NEE"] == pytest.approx(1e-5 * 365 * 86400)            # 315.36 gC m-2 yr-1
    assert change["GPP"] == 0.0
    bench = Benchmark("t", {"hr_off": {}, "hr_on": {}}, [a, b], "t.toml")
    write_outputs(bench, table, [], tmp_path)
    report = (tmp_path / "report.html").read_text()
    card = report[report.index('<table class="scorecard">'):]
    card = card[:card.index("</table>")]
    nee_cells = re.findall(r"<small>([+-][0-9.]+)<br>gC&nbsp;m⁻²&nbsp;d⁻¹</small>", card)
    assert nee_cells == ["+0.864", "+1.728"]
    assert card.count(">no carbon in run</td>") == 2
    assert "The HR question for carbon" in report and "+315.36" in report
    assert "Dry season: Apr-May-Jun" in report             # lowest soil moisture (no specs here)
    assert (tmp_path / "figures" / "US-Aaa_carbon_dry_season.png").is_file()
    assert (tmp_path / "figures" / "US-Aaa_seasonal_nee.png").is_file()
    assert "No carbon analysis: no carbon in run." in report
    # the regression gate ignores the annual totals and dry-season means (no skill metrics)
    worse = table.copy()
    worse.loc[worse.timescale.isin(["annual", "dry_season"]), "value"] *= 3
    assert compare_with_baseline(table, worse) == []
    sel = (worse.variable == "NEE") & (worse.metric == "score") & (worse.case == "hr_on")
    worse.loc[sel, "value"] = 1.0
    assert [w.split(":")[0] for w in compare_with_baseline(table, worse)] == [
        "US-Aaa hr_on NEE  seasonal score"]
