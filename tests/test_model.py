"""The whole column model: balances, physical sanity, HR on vs off, restart,
ensembles, output files, the weather generator and `hrclm run`."""

import f90nml
import numpy as np
import pandas as pd
import pytest
import xarray as xr

import hrclm
from hrclm.cli import main, shallow_deep
from hrclm.config import load_config
from hrclm.io import generate_forcing
from hrclm.model import run_case, run_with_state, write_netcdf
from hrclm.sites import get_site

DT = 1800.0


@pytest.fixture(scope="module")
def year_runs():
    """A generated year at two contrasting sites (semi-arid monsoon savanna and
    Mediterranean oak savanna), HR on, with spin-up."""
    return {site: run_with_state(load_config(f"{site}.nml", "hr_on.nml"))
            for site in ("US-SRM", "US-Ton", "US-SCd")}


@pytest.mark.parametrize("site", ["US-SRM", "US-Ton", "US-SCd"])
def test_water_and_energy_balance_over_a_year(year_runs, site):
    ds, _ = year_runs[site]
    assert float(np.abs(ds.ERRH2O).max()) < 1e-8                     # every step
    assert abs(float(ds.ERRH2O.sum())) < 1e-6                         # the year
    assert float(np.abs(ds.ERRSEB).max()) < 1e-9                      # W m-2
    # the heat the soil stored is the heat the surface gave it, every step
    assert float(np.abs(ds.ERRSOI).max()) < 1e-6                      # W m-2
    # SW absorbed + reflected = incoming
    forcing = generate_forcing(get_site(site), 2010, 1, DT, load_config(f"{site}.nml")["seed"],
                               400.0)
    np.testing.assert_allclose((ds.FSA + ds.FSR).values, forcing.SWdown.values, rtol=1e-10,
                               atol=1e-9)
    # dew is small next to evaporation: the year's latent heat is a loss
    assert float(ds.EFLX_LH_TOT.mean()) > 5.0 and float(ds.EFLX_LH_TOT.min()) > -100.0
    # spin-up reached its tolerance
    assert ds.attrs["spinup_final_change_mm"] < ds.attrs["spinup_tolerance_mm"]


@pytest.mark.parametrize("site", ["US-SRM", "US-Ton"])
def test_annual_et_within_precipitation_and_storage(year_runs, site):
    ds, state = year_runs[site]
    config = load_config(f"{site}.nml")
    forcing = generate_forcing(get_site(site), 2010, 1, DT, config["seed"], config["co2"])
    precip = float(forcing.Rainf.sum()) * DT
    et = float((ds.QVEGT + ds.QVEGE + ds.QSOIL).sum()) * DT
    runoff = float((ds.QOVER + ds.QDRAI).sum()) * DT
    storage_end = state.total_water()[0]
    storage_start = storage_end - (precip - et - runoff) - float(ds.ERRH2O.sum())
    assert et <= precip + (storage_start - storage_end) + 1e-6
    assert 0.3 * precip < et                                     # dry sites evaporate most rain


def test_no_photosynthesis_at_night_and_little_transpiration(year_runs):
    """GPP is zero in the dark; CLM4.5's stomata keep their minimum
    conductance (the Ball-Berry intercept) at night, so some transpiration
    goes on, but far less than by day."""
    ds, _ = year_runs["US-SRM"]
    forcing = generate_forcing(get_site("US-SRM"), 2010, 1, DT, 42, 400.0)
    night = forcing.SWdown.values == 0.0
    assert night.sum() > 0.4 * night.size
    assert np.all(ds.FPSN.values[night] == 0.0)
    assert float(ds.FPSN.values[~night].max()) > 5.0                  # umol m-2 s-1
    qvegt = ds.QVEGT.values
    assert qvegt[night].mean() < 0.25 * qvegt[~night].mean()


def test_parallel_root_uptake_draws_on_the_wetter_subsoil():
    """US-SRM spring dry-down from field capacity, HR off: the default
    root_uptake = 'hydraulic' takes a larger share of transpiration from
    below 0.3 m than CLM4.5's weights once the topsoil dries (the last 30
    days), its layer uptake sums to the transpiration in every step, and the
    water balance closes."""
    runs = {rule: run_with_state(load_config("US-SRM_drydown.nml", "hr_off.nml",
                                             root_uptake=rule))[0]
            for rule in ("clm45", "hydraulic")}
    assert runs["hydraulic"].attrs["root_uptake"] == "hydraulic"
    share = {}
    for rule, ds in runs.items():
        assert float(np.abs(ds.ERRH2O).max()) < 1e-8
        np.testing.assert_allclose(ds.QROOTSINK.sum("levsoi"), ds.QVEGT, rtol=1e-9, atol=1e-15)
        late = ds.isel(time=slice(-30 * 48, None))
        deep = late.QROOTSINK.where(late.levsoi >= 0.3).sum().item()
        share[rule] = deep / late.QROOTSINK.sum().item()
    assert share["hydraulic"] > share["clm45"] + 0.05, share


def test_frozen_soil_stops_hr_and_uptake_in_its_layers():
    site = get_site("US-Ton")
    forcing = generate_forcing(site, 2010, 1, DT, 1, 400.0).isel(time=slice(0, 10 * 48))
    tair = forcing.Tair.values.copy()
    tair[96:240] = 265.0                                           # days 3-5 frozen
    forcing["Tair"] = ("time", tair, forcing.Tair.attrs)
    qair = np.minimum(forcing.Qair.values, 0.6 * 0.622 * 610.78 * np.exp(17.27 * (tair - 273.15) / (tair - 35.86)) / forcing.Psurf.values)
    forcing["Qair"] = ("time", qair, forcing.Qair.attrs)
    ds = hrclm.run(load_config("US-Ton.nml", "hr_on.nml", spinup=False), forcing)
    frozen = slice(96, 240)
    # the topsoil freezes; no HR through frozen layers; roots in soil below
    # tfrz - 2 K take up nothing (CLM4.5), so btran and transpiration fall
    tsoi = ds.TSOI.isel(levgrnd=slice(0, ds.sizes["levsoi"])).values
    qhr = ds.QHR.values
    cold = tsoi[95:239] < 273.15                  # at the start of each step of the frozen days
    assert cold[:, 1].any()
    assert np.all(qhr[frozen][cold] == 0.0)
    froze = (tsoi[frozen] <= 271.15).any(axis=1)
    # no uptake from a layer at or below tfrz - 2 K at the start of the step
    assert froze.any()
    assert np.all(ds.QROOTSINK.values[frozen][tsoi[95:239] <= 271.15] == 0.0)
    assert float(ds.BTRAN.values[frozen][froze].min()) < 0.9
    assert float(ds.QVEGT[frozen].max()) < 0.25 * float(ds.QVEGT[240:].max())


def test_transpiration_falls_with_btran():
    """Same weather, wet and dry initial soil: the drier column has the lower
    btran at every daytime step, and transpires less at nearly every one and
    in total. The exceptions: steps where the wet column's latent heat hits
    the available energy (PenmanMonteithMod scales transpiration and soil
    evaporation down together), which the dry column, with little soil
    evaporation, does not reach."""
    site = get_site("US-Ton")
    forcing = generate_forcing(site, 2010, 1, DT, 3, 400.0).isel(time=slice(130 * 48, 132 * 48))
    runs = [hrclm.run(load_config("US-Ton.nml", spinup=False, sat_init=s), forcing)
            for s in (0.6, 0.25)]
    day = (runs[0].QVEGT > 0).values
    assert day.sum() > 10
    assert np.all(runs[1].BTRAN.values[day] < runs[0].BTRAN.values[day])
    assert np.mean(runs[1].QVEGT.values[day] < runs[0].QVEGT.values[day]) >= 0.95
    assert float(runs[1].QVEGT.sum()) < 0.8 * float(runs[0].QVEGT.sum())


def test_hr_raises_dry_season_shallow_soil_moisture():
    """The default dry-down experiment: HR on keeps the shallow soil wetter
    through the pre-monsoon drought and dries the deep soil. Compared over
    the last 10 days of the May-June drought: before the first day from
    1 May on which more than 1 mm reaches the soil (after rain HR runs
    downward and the shallow soil is wetter without it), or the run's end."""
    off = hrclm.run(load_config("US-SRM_drydown.nml", "hr_off.nml"))
    on = hrclm.run(load_config("US-SRM_drydown.nml", "hr_on.nml"))
    sh_off, dp_off = shallow_deep(off)
    sh_on, dp_on = shallow_deep(on)
    daily_input = (off.QTOPSOIL * DT).resample(time="1D").sum()
    wet = np.flatnonzero(daily_input.values[61:] > 1.0)             # from 1 May
    end = 48 * (61 + int(wet[0])) if wet.size else off.time.size
    assert end >= 80 * 48                              # a drought of at least 80 days
    last = slice(end - 10 * 48, end)
    assert float(sh_on[last].mean()) > float(sh_off[last].mean()) + 0.002
    assert float(dp_on[-1]) < float(dp_off[-1])
    assert float(np.abs(off.QHR).max()) == 0.0
    # a column with C_RT = 0 is the HR-off column exactly (with C_RT = 0 the
    # root network has no conductance, so uptake takes CLM4.5's weights)
    zero = hrclm.run(load_config("US-SRM_drydown.nml", "hr_on.nml", hr_crt=0.0))
    off45 = hrclm.run(load_config("US-SRM_drydown.nml", "hr_off.nml", root_uptake="clm45"))
    np.testing.assert_array_equal(zero.H2OSOI.values, off45.H2OSOI.values)


def test_restart_split_run_is_bit_identical(tmp_path):
    """A run cut anywhere and continued from its restart file (finidat) gives,
    step by step, exactly the unsplit run."""
    config = load_config("US-Ton.nml", "hr_on.nml", spinup=False, nyears=2)
    forcing = generate_forcing(get_site("US-Ton"), 2010, 2, DT, 42, 400.0)
    whole, state_whole = run_with_state(config, forcing)
    n1 = 365 * 48 + 17 * 48 + 5                       # split anywhere
    first = run_case(config, forcing.isel(time=slice(0, n1)), output_dir=tmp_path)
    restart = [f for f in first.files if ".hrclm.r." in f.name]
    assert [f.name for f in restart] == ["US-Ton_hr_on.hrclm.r.2011-01-18-09000.nc"]
    second, state2 = run_with_state(config.replace(finidat=str(restart[0])),
                                    forcing.isel(time=slice(n1, None)))
    for name in ("H2OSOI", "QHR", "QVEGT", "ZWT", "EFLX_LH_TOT", "H2OSNO", "TSOI", "TV", "FPSN",
                 "FSH"):
        joined = np.concatenate([first.tapes[0][name].values, second[name].values], axis=0)
        np.testing.assert_array_equal(joined, whole[name].values)
    np.testing.assert_array_equal(state2.h2osoi_liq, state_whole.h2osoi_liq)
    np.testing.assert_array_equal(state2.zwt, state_whole.zwt)
    np.testing.assert_array_equal(state2.grnd, state_whole.grnd)        # soil temperature
    np.testing.assert_array_equal(state2.pat, state_whole.pat)          # leaf temperature
    np.testing.assert_array_equal(state2.col, state_whole.col)          # incl. t10
    assert second.attrs["initial_state"] == str(restart[0])


def test_ensemble_columns_and_reproducible_from_output(tmp_path):
    config = load_config("US-SRM_drydown.nml", "hr_on.nml", hr_crt=[0.0, 0.097, 0.3])
    ds = hrclm.run(config)
    assert ds.sizes["column"] == 3 and ds.H2OSOI.dims == ("column", "time", "levsoi")
    lifted = (ds.QHR.clip(min=0).sum(("time", "levsoi"))).values
    assert lifted[0] == 0.0 and 0.0 < lifted[1] < lifted[2]
    # the output carries the complete namelist: rerunning from it gives the same result
    path = tmp_path / "ens.nc"
    write_netcdf(ds, path)
    with xr.open_dataset(path) as saved:
        nml_text = saved.attrs["namelist"]
        assert saved.attrs["hrclm_version"] == hrclm.__version__
        assert saved.attrs["forcing_generated"] == 1
        # the vegetation the column used: US-SRM is 35 % shrub, 65 % C4 grass, one patch
        # each, whose CLM4.5 psi_o, psi_c are -83000, -428000 and -74000, -275000 mm
        # (Tech Note Table 8.1)
        assert saved.attrs["pft_cover"] == ("PFT 10 broadleaf_deciduous_temperate_shrub 0.35; "
                                            "PFT 14 c4_grass 0.65")
        veg = saved.attrs["vegetation"].split(" | ")
        assert veg[0].startswith("patch 0 PFT 10: smpso = -83000 mm; smpsc = -428000 mm; ")
        assert veg[1].startswith("patch 1 PFT 14: smpso = -74000 mm; smpsc = -275000 mm; ")
        assert veg[0].endswith("HR on") and veg[1].endswith("HR off")     # hr_pfts: woody
        (tmp_path / "from_output.nml").write_text(nml_text)
        again = hrclm.run(load_config(tmp_path / "from_output.nml"))
        np.testing.assert_array_equal(again.H2OSOI.values, saved.H2OSOI.values)
    assert f90nml.reads(nml_text)["hydraulic_redistribution"]["hr_crt"] == [0.0, 0.097, 0.3]


def test_failed_write_leaves_no_partial_file(tmp_path):
    path = tmp_path / "out.nc"
    path.write_text("an older file")
    bad = xr.Dataset({"x": ("t", np.arange(3.0))}, attrs={"bad": {"a": 1}})   # not storable
    with pytest.raises(Exception):
        write_netcdf(bad, path)
    assert path.read_text() == "an older file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nc"]


def test_weather_generator_reproduces_normals():
    site = get_site("US-SRM")
    f = generate_forcing(site, 2001, 20, 3600.0, seed=7)
    g = generate_forcing(site, 2001, 20, 3600.0, seed=7)
    xr.testing.assert_identical(f, g)
    assert f.attrs["generated"] == 1 and "GENERATED" in f.attrs["title"]
    annual = float(f.Rainf.sum()) * 3600.0 / 20
    assert annual == pytest.approx(sum(site.climate["precip"]), rel=0.15)
    local = f.time.to_index() + np.timedelta64(int(site.utc_offset), "h")
    tmean = pd.Series(f.Tair.values - 273.15).groupby(local.month).mean().values
    np.testing.assert_allclose(tmean, site.climate["tmean"], atol=1.0)
    hour = local.hour
    assert float(f.SWdown[(hour == 0)].max()) == 0.0 and float(f.SWdown.max()) < 1361.0
    assert float(f.LWdown.min()) > 150.0


def test_hrclm_run_main_job(tmp_path, capsys):
    assert main(["run", "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["US-SRM_hr_off.hrclm.h0.2010-03-01-00000.nc",
                     "US-SRM_hr_off.hrclm.r.2010-07-01-00000.nc", "US-SRM_hr_off_on.png",
                     "US-SRM_hr_on.hrclm.h0.2010-03-01-00000.nc",
                     "US-SRM_hr_on.hrclm.r.2010-07-01-00000.nc"]
    assert "HR moved" in out and "mm per night" in out
    with xr.open_dataset(tmp_path / "US-SRM_hr_on.hrclm.h0.2010-03-01-00000.nc") as ds:
        assert ds.attrs["use_hr"] == 1
        assert ds.attrs["max_abs_water_balance_error_mm"] < 1e-8
        assert ds.time.size == 122 * 48
        ratio = float(ds.QHR.clip(min=0).sum()) / float(ds.QVEGT.sum())
    assert f"HR / transpiration {ratio:.2f}" in out


def test_hrclm_run_main_job_with_a_namelist(tmp_path, capsys):
    """--with applies a namelist to both runs of the main job, after
    hr_off.nml / hr_on.nml; with namelists given it is refused."""
    nml = tmp_path / "short.nml"
    nml.write_text("&hrclm_inparm\n ndays = 3\n spinup = .false.\n/\n"
                   "&hydraulic_redistribution\n root_uptake = 'clm45'\n/\n")
    out = tmp_path / "out"
    assert main(["run", "--with", str(nml), "-o", str(out)]) == 0
    assert "HR / transpiration" in capsys.readouterr().out
    for case, use_hr in (("hr_off", 0), ("hr_on", 1)):
        with xr.open_dataset(out / f"US-SRM_{case}.hrclm.h0.2010-03-01-00000.nc") as ds:
            assert ds.time.size == 3 * 48
            assert ds.attrs["root_uptake"] == "clm45" and ds.attrs["use_hr"] == use_hr
    assert main(["run", "US-SRM.nml", "--with", str(nml), "-o", str(tmp_path / "x")]) == 2
    assert capsys.readouterr().err == (
        "hrclm: --with applies namelists to the main job (hrclm run without namelists); with "
        "namelists given, list them all in order instead\n")
    assert not (tmp_path / "x").exists()


def test_large_ensemble_goes_in_blocks_and_matches_single_runs():
    """200 columns (several compiled calls of hrclm._fortran.COLUMN_BLOCK columns, run in threads) give, column by
    column, exactly what a one-column run with the same parameter gives."""
    crt = list(np.linspace(0.0, 0.3, 200))
    config = load_config("US-SRM_drydown.nml", "hr_on.nml", ndays=5, hr_crt=crt)
    ens = hrclm.run(config)
    assert ens.sizes["column"] == 200
    for k in (0, 137, 199):
        one = hrclm.run(load_config("US-SRM_drydown.nml", "hr_on.nml", ndays=5, hr_crt=crt[k]))
        np.testing.assert_array_equal(ens.H2OSOI.isel(column=k).values, one.H2OSOI.values)


def test_threads_from_environment(monkeypatch):
    """HRCLM_NUM_THREADS sets the ensemble threads; a bad value is one sentence, and one
    thread gives the same ensemble as several."""
    from hrclm._fortran import thread_count
    from hrclm.errors import InputError
    monkeypatch.setenv("HRCLM_NUM_THREADS", "3")
    assert thread_count() == 3
    monkeypatch.setenv("HRCLM_NUM_THREADS", "two")
    with pytest.raises(InputError, match=r"^HRCLM_NUM_THREADS = 'two' is not valid: give a whole "
                                         r"number >= 1 \(or unset it to use every core\)$"):
        thread_count()
    crt = list(np.linspace(0.0, 0.3, 130))                  # three blocks
    config = load_config("US-SRM_drydown.nml", "hr_on.nml", ndays=2, hr_crt=crt)
    monkeypatch.setenv("HRCLM_NUM_THREADS", "1")
    one = hrclm.run(config)
    monkeypatch.setenv("HRCLM_NUM_THREADS", "2")
    two = hrclm.run(config)
    np.testing.assert_array_equal(one.H2OSOI.values, two.H2OSOI.values)
    assert np.ptp(one.H2OSOI.isel(time=-1, levsoi=0).values) > 0    # the members differ


def test_spring_hr_runs_down_after_rain_and_up_as_the_soil_dries():
    """The default experiment (US-SRM spring from a spun-up state): net HR
    across the interfaces of the top 0.3 m runs downward in the two days
    after each rain of more than 5 mm and upward once the topsoil has dried
    for more than 15 days, as Scott et al. (2008) found at US-SRM. (With the
    CLM4.5 ground evaporation, beta and litter resistance, the topsoil dries
    more slowly than it did with the Penman-Monteith canopy: the turn comes
    13 days after the last rain in this run, 10 days before.)"""
    on = hrclm.run(load_config("US-SRM_spring.nml", "hr_on.nml"))
    assert on.attrs["spinup_converged"] == 1
    assert on.attrs["spinup_period"].startswith("2009-03-01 00:00:00 to 2010-02-28 23:30:00")
    shallow = int((on.zisoi_bot <= 0.3).sum())
    # net upward flux across the bottom of layers 1..k [mm per day], k < shallow
    flux = (on.QHR * DT).cumsum("levsoi").isel(levsoi=slice(0, shallow)).sum("levsoi")
    up = flux.resample(time="1D").sum().values
    rain = (on.QTOPSOIL * DT).resample(time="1D").sum().values
    wet = np.flatnonzero(rain > 5.0)
    assert wet.size >= 2
    after = np.unique(np.concatenate([w + np.arange(1, 3) for w in wet]))
    after = after[(after < up.size) & ~np.isin(after, wet)]
    assert np.all(up[after] < 0)                                # downward after rain
    last_rain = np.maximum.accumulate(np.where(rain > 1.0, np.arange(up.size), -99))
    # days after the run's first rain only: before it, how long the topsoil
    # has been drying is not known
    dry = np.flatnonzero((np.arange(up.size) - last_rain > 15) & (last_rain >= 0))
    assert dry.size > 30 and np.all(up[dry] > 0)                # upward in the drought


def test_two_metre_temperature_lies_between_the_air_and_the_ground():
    """TSA (CLM4.5's t_ref2m from the Monin-Obukhov profile of the last
    leaf-iteration pass) is warmer than the reference-height air, and cooler
    than the ground, when the ground heats the air by day; cooler than the
    reference-height air when the surface cools it at night (the canopy
    air, cooled by the leaves, may then be colder than the ground)."""
    ds = hrclm.run(load_config("US-SRM.nml", spinup=False, ndays=20, start_month=6))
    forcing = generate_forcing(get_site("US-SRM"), 2010, 1, DT, 42, 400.0)
    ta = forcing.Tair.sel(time=ds.time).values
    tsa, tg = ds.TSA.values, ds.TG.values
    day = tg > ta + 5.0
    night = tg < ta - 1.0
    assert day.sum() > 50 and night.sum() > 30
    assert np.all(tsa[day] > ta[day]) and np.all(tsa[day] < tg[day])
    assert np.all(tsa[night] < ta[night])
