"""Readers on the real samples in ../shared and on fixtures written here in the
exact published layouts."""

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hrclm
from hrclm.io import read_ameriflux, read_plumber2_flux, read_plumber2_met

SHARED = Path(__file__).resolve().parents[2] / "shared" / "site_data_raw"
CRT = SHARED / "US-CRT" / "AMF_US-CRT_BASE_HH_2-5.csv"
HEIGHTS = SHARED / "_metadata" / "BASE_MeasurementHeight_20250318.csv"
needs_shared = pytest.mark.skipif(not CRT.is_file(), reason="real AmeriFlux/PLUMBER2 samples "
                                  "not found at ../shared (only on the project's machines)")


@needs_shared
def test_ameriflux_base_real_sample():
    forcing, obs = read_ameriflux(CRT, utc_offset=-5, heights=HEIGHTS)
    assert forcing.time.size == 96 and obs.time.size == 96
    # first record starts 2011-01-01 00:00 EST = 05:00 UTC
    assert pd.Timestamp(forcing.time.values[0]) == pd.Timestamp("2011-01-01 05:00")
    assert forcing.attrs["product"] == "AmeriFlux BASE" and forcing.attrs["version"] == "2-5"
    row = pd.read_csv(CRT, skiprows=2).iloc[0]
    assert float(forcing.Tair[0]) == pytest.approx(row.TA + 273.15)
    assert float(forcing.LWdown[0]) == pytest.approx(row.LW_IN)
    assert float(obs.SWC[0, 0]) == pytest.approx(row.SWC / 100.0)      # % -> m3 m-3
    assert obs.depth.values.tolist() == [0.15]                          # from the height table
    le = pd.read_csv(CRT, skiprows=2).LE.replace(-9999, np.nan)
    assert obs.attrs["missing_fraction_LE"] == pytest.approx(le.isna().mean())   # 58 %
    assert forcing.attrs["missing_fraction_LE"] == pytest.approx(0.5833, abs=1e-4)
    i = int(np.flatnonzero(le.notna().values)[0])
    lam = 2.501e6 - 2361.0 * float(pd.read_csv(CRT, skiprows=2).TA[i])
    assert float(obs.ET[i]) == pytest.approx(le[i] / lam)


def write_base(tmp_path, rows, header="TIMESTAMP_START,TIMESTAMP_END,TA_1_1_1,TA_1_2_1,RH,SW_IN,"
               "LW_IN,P,PA,WS,LE,SWC_1_1_1,SWC_1_2_1", name="AMF_US-XXX_BASE_HH_1-5.csv"):
    path = tmp_path / name
    path.write_text("# Site: US-XXX\n# Version: 1-5\n" + header + "\n" + "\n".join(rows) + "\n")
    return path


def base_rows(n=4, step=30, start="202001010000"):
    t = pd.Timestamp(pd.to_datetime(start, format="%Y%m%d%H%M"))
    rows = []
    for i in range(n):
        a = (t + pd.Timedelta(minutes=step * i)).strftime("%Y%m%d%H%M")
        b = (t + pd.Timedelta(minutes=step * (i + 1))).strftime("%Y%m%d%H%M")
        rows.append(f"{a},{b},{10 + i},-9999,50,0,300,0.5,90,3,100,{20 + i},30")
    return rows


def test_base_fixture_qualifiers_units_and_depths(tmp_path):
    path = write_base(tmp_path, base_rows())
    forcing, obs = read_ameriflux(path, utc_offset=-7,
                                  swc_depths={"SWC_1_1_1": 0.05, "SWC_1_2_1": 0.3})
    assert forcing.attrs["column_TA"] == "TA_1_1_1"          # top sensor of profile 1
    np.testing.assert_allclose(forcing.Tair, [283.15, 284.15, 285.15, 286.15])
    np.testing.assert_allclose(forcing.Rainf, 0.5 / 1800.0)
    np.testing.assert_allclose(forcing.Psurf, 90000.0)
    np.testing.assert_allclose(obs.SWC.sel(depth=0.05), [0.20, 0.21, 0.22, 0.23])
    assert pd.Timestamp(forcing.time.values[0]) == pd.Timestamp("2020-01-01 07:00")
    # the same file inside the downloaded zip archive
    z = tmp_path / "AMF_US-XXX_BASE-BADM_1-5.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.write(path, path.name)
    forcing_z, _ = read_ameriflux(z, utc_offset=-7, swc_depths={"SWC_1_1_1": 0.05, "SWC_1_2_1": 0.3})
    np.testing.assert_array_equal(forcing_z.Tair, forcing.Tair)


@pytest.mark.parametrize("rows, message", [
    (base_rows()[:2] + base_rows()[1:2], r"timestamp 202001010030 is duplicated \(data row 3\)"),
    ([base_rows()[1], base_rows()[0]], r"timestamps are not sorted"),
    (base_rows(step=15), r"the time step is 15 min; hrclm reads 30- or 60-minute records"),
])
def test_base_bad_timestamps(tmp_path, rows, message):
    path = write_base(tmp_path, rows)
    with pytest.raises(hrclm.InputError, match=message):
        read_ameriflux(path, utc_offset=-7, swc_depths={"SWC_1_1_1": 0.05, "SWC_1_2_1": 0.3})


def test_base_missing_required_column_and_depth(tmp_path):
    path = write_base(tmp_path, [r.replace(",0,300,", ",-9999,300,") for r in base_rows()])
    with pytest.raises(hrclm.InputError, match=r"required variable SW_IN is missing or all -9999"):
        read_ameriflux(path, utc_offset=-7)
    path = write_base(tmp_path, base_rows(), name="AMF_US-XXX_BASE_HH_1-5b.csv")
    with pytest.raises(hrclm.InputError, match=r"no depth for soil moisture column SWC_1_1_1; "
                       r"pass heights= \(the AmeriFlux measurement-height table; hrclm convert "
                       r"--heights\) or swc_depths=\{'SWC_1_1_1': depth_m\}$"):
        read_ameriflux(path, utc_offset=-7)
    with pytest.raises(hrclm.InputError, match=r"the UTC offset is not in the file"):
        read_ameriflux(path)


def test_fluxnet_fullset_fixture(tmp_path):
    """FLUXNET2015 FULLSET layout: no comment lines, *_F and *_F_MDS with *_QC,
    VPD in hPa instead of RH."""
    header = ("TIMESTAMP_START,TIMESTAMP_END,TA_F,TA_F_QC,SW_IN_F,SW_IN_F_QC,LW_IN_F,VPD_F,PA_F,"
              "P_F,WS_F,CO2_F_MDS,LE_F_MDS,LE_F_MDS_QC,LE_CORR,H_F_MDS,SWC_F_MDS_1")
    rows = ["200401010000,200401010100,5.0,0,0,0,280,2.0,88,0,2,380,10,0,12,5,15",
            "200401010100,200401010200,4.0,1,0,0,280,1.0,88,1.2,2,380,-9999,2,-9999,5,15"]
    path = tmp_path / "FLX_US-XXX_FLUXNET2015_FULLSET_HR_2004-2004_1-3.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    forcing, obs = read_ameriflux(path, utc_offset=-7, swc_depths={"SWC_F_MDS_1": 0.1})
    assert forcing.attrs["product"] == "FLUXNET" and forcing.attrs["version"] == "1-3"
    assert forcing.attrs["column_TA"] == "TA_F" and forcing.attrs["gapfilled_fraction_TA"] == 0.5
    e = 610.78 * np.exp(17.27 * 5.0 / (278.15 - 35.86)) - 200.0    # es - VPD [Pa]
    assert float(forcing.Qair[0]) == pytest.approx(0.622 * e / (88000.0 - 0.378 * e))
    np.testing.assert_allclose(forcing.Rainf, [0.0, 1.2 / 3600.0])
    assert obs.LE.attrs["source_column"] == "LE_F_MDS"
    _, obs_c = read_ameriflux(path, utc_offset=-7, swc_depths={"SWC_F_MDS_1": 0.1},
                              le_corrected=True)
    assert float(obs_c.LE[0]) == 12.0


@needs_shared
@pytest.mark.parametrize("site, years, days", [("US-SRM", "2004-2014", 4018),
                                               ("US-SRG", "2009-2014", 2191),
                                               ("US-Ton", "2001-2014", 5113)])
def test_plumber2_daily_flux_files(site, years, days):
    path = SHARED / site / f"{site}_daily_aggregated_{years}_FLUXNET2015_Flux.nc"
    obs = read_plumber2_flux(path)
    assert obs.time.size == days and obs.attrs["site"] == site
    assert obs.attrs["le_source"] == "LE_F_MDS"
    raw = __import__("xarray").open_dataset(path).Qle_daily.values.ravel()
    assert obs.attrs["missing_fraction_LE"] == pytest.approx(np.isnan(raw).mean())
    i = int(np.flatnonzero(np.isfinite(raw))[0])
    assert float(obs.ET[i]) == pytest.approx(raw[i] / (2.501e6 - 2361.0 * 20.0))
    with pytest.raises(hrclm.InputError, match=r"not a PLUMBER2 Met file; it lacks Tair"):
        read_plumber2_met(path)


def test_plumber2_met_and_flux_fixture(tmp_path):
    """PLUMBER2 layout: variables on (time, y, x), ALMA units, *_qc flags."""
    import xarray as xr
    time = pd.date_range("2010-01-01", periods=4, freq="30min")
    dims = ("time", "y", "x")

    def var(v):
        return (dims, np.full((4, 1, 1), v, dtype="float32"))

    met = xr.Dataset({"Tair": var(290.0), "Qair": var(0.005), "Psurf": var(90000.0),
                      "Wind": var(2.0), "SWdown": var(100.0), "LWdown": var(300.0),
                      "Rainf": var(0.0), "CO2air": var(390.0),
                      "Tair_qc": (dims, np.array([0, 1, 1, 0], "int8").reshape(4, 1, 1))},
                     coords={"time": time}, attrs={"site_code": "US-XXX"})
    met.to_netcdf(tmp_path / "US-XXX_2010-2010_FLUXNET2015_Met.nc")
    forcing = hrclm.io.read_plumber2_met(tmp_path / "US-XXX_2010-2010_FLUXNET2015_Met.nc")
    assert forcing.Tair.dims == ("time",) and float(forcing.Tair[0]) == 290.0
    assert forcing.attrs["gapfilled_fraction_Tair"] == 0.5 and forcing.attrs["site"] == "US-XXX"
    flux = xr.Dataset({"Qle": (dims, np.array([100.0, np.nan, 50.0, 0.0]).reshape(4, 1, 1)),
                       "Qh": var(20.0)}, coords={"time": time}, attrs={"site_code": "US-XXX"})
    flux.to_netcdf(tmp_path / "US-XXX_Flux.nc")
    obs = hrclm.io.read_plumber2_flux(tmp_path / "US-XXX_Flux.nc", tair=forcing.Tair)
    assert float(obs.ET[0]) == pytest.approx(100.0 / (2.501e6 - 2361.0 * 16.85))
    assert obs.attrs["missing_fraction_ET"] == 0.25


def test_swc_outside_range_is_rejected_with_a_message(tmp_path):
    rows = base_rows()
    rows[2] = rows[2].replace(",22,30", ",75,30")          # 75 % is not a soil water content
    path = write_base(tmp_path, rows)
    with pytest.warns(UserWarning, match=r"1 soil moisture values outside \[0, 0.6\] m3 m-3 .* "
                      r"were rejected"):
        _, obs = read_ameriflux(path, utc_offset=-7,
                                swc_depths={"SWC_1_1_1": 0.05, "SWC_1_2_1": 0.3})
    assert np.isnan(float(obs.SWC.sel(depth=0.05)[2]))
    assert obs.SWC.attrs["rejected_outside_0_0.6"] == 1


def test_convert_then_run_from_the_command_line(tmp_path, capsys, base_file):
    """A user's same-day path: convert a downloaded BASE file, run, compare."""
    from hrclm.cli import main
    path, depths = base_file(tmp_path, "US-XXX", "2020-01-01")
    f, o = tmp_path / "f.nc", tmp_path / "o.nc"
    assert main(["convert", str(path), "--utc-offset", "-7", "--elevation", "1000",
                 "--heights", str(depths), "--forcing-out", str(f), "--obs-out", str(o)]) == 0
    nml = tmp_path / "run.nml"
    nml.write_text(f"&hrclm_inparm\n site = 'US-SRM'\n forcing = 'file'\n forcing_file = '{f}'\n"
                   " start_year = 2020\n ndays = 2\n spinup = .false.\n/\n")
    assert main(["run", str(nml), "hr_on.nml", "-o", str(tmp_path / "out")]) == 0
    h0 = sorted((tmp_path / "out").glob("US-SRM_hr_on.hrclm.h0.*.nc"))
    assert len(h0) == 1
    assert main(["compare", str(h0[0]), "--obs", str(o),
                 "-o", str(tmp_path / "cmp")]) == 0
    table = pd.read_csv(tmp_path / "cmp" / "metrics.csv")
    assert set(table.depth.dropna()) >= {"0.05 m", "0.3 m"}
    # the run covers 2020-01-01 to -03 UTC; the file starts at local (UTC-7) midnight
    assert int(table[(table.depth == "0.05 m") & (table.timescale == "native")].n.iloc[0]) == 82
