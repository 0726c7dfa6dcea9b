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
    xr.Dataset({"Qle_daily": (("time", "y", "x"), le.reshape(-1, 1, 1).astype("float32"),
                              {"units": "W/m2", "Fluxnet_name": "LE_F_MDS"})},
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
    # tower ET vs generated weather: seasonal only (Srmax rows are annual, capacities static)
    assert set(ton[ton.variable.isin(["ET", "LE", "H"])].timescale) == {"seasonal"}
    assert set(ton.variable) - {"ET", "LE", "H"} == {"Srmax", "root_zone_capacity"}
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
    assert ">NEE</th>" in card and card.count("needs the carbon model") == 3
    cells = re.findall(r'data-score="([0-9.]+)" style="background:(#[0-9a-f]{6})">'
                       r"<b>[0-9.]+</b><br><small>([^<]*)<br>([^<]*)</small>", card)
    table = pd.read_csv(bench_dir / "out" / "metrics.csv")
    ton = table[(table.site == "US-Ton") & (table.metric == "score")
                & (table.timescale == "seasonal") & table.case.isin(["hr_off", "hr_on"])]
    assert len(cells) >= len(ton) >= 2
    for score, colour, value, unit in cells:
        assert colour == score_colour(float(score))
        assert unit in ("mm&nbsp;d⁻¹", "W&nbsp;m⁻²", "m³&nbsp;m⁻³")
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
