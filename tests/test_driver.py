"""The one column driver: its two surface modes agree, history tapes average
in compiled code exactly as the instantaneous values say, tapes go to files
as the run goes (atomically), restarts match their configuration, spin-up
and the run period follow the forcing in UTC, and history that would not fit
in memory is refused up front."""

import hypothesis
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import strategies as st

import hrclm
from hrclm import model
from hrclm.cli import main
from hrclm.column import HRParameters, run_soil_column
from hrclm.config import load_config
from hrclm.errors import InputError
from hrclm.io import generate_forcing
from hrclm.model import ColumnSetup, run_case, write_netcdf
from hrclm.sites import get_site

DT = 1800.0
# parameters the prescribed mode does not read (canopy, soil heat), given as 0
UNUSED_LAYER = dict(csol=0.0, tkmg=0.0, tkdry=0.0, sand=0.0)
UNUSED_PATCH = {n: 0.0 for n in ("sai", "albedo", "rsmin", "rgl", "hs", "htop", "c3psn",
                                 "vcmax25top", "mbbopt", "bbbopt", "xl", "rholvis", "rholnir",
                                 "rhosvis", "rhosnir", "taulvis", "taulnir", "tausvis",
                                 "tausnir", "dleaf", "z0mr", "displar", "krs",
                                 *ColumnSetup.PFT_CARBON)}
FIELDS = ["H2OSOI", "QVEGT", "BTRAN", "ZWT", "H2OSNO", "QHR"]


def test_prescribed_mode_fed_by_the_canopy_mode_reproduces_its_soil_water():
    """The soil-only entry point is the driver's prescribed mode: fed with
    the water reaching the soil, the ground evaporation, the transpiration
    (as demand / btran) and the HR switch of a canopy-mode run, it gives the
    same soil water to round-off."""
    config = load_config("US-SCd.nml", "hr_on.nml", spinup=False, start_month=5, ndays=30,
                         init_water="field_capacity")          # one shrub patch
    canopy = hrclm.run(config)
    setup = ColumnSetup(config, get_site("US-SCd"))
    inp, state0 = setup.inputs, setup.initial_state()
    assert setup.npatch == 1
    btran = canopy.BTRAN.values
    demand = np.divide(canopy.QVEGT.values, btran, out=np.zeros_like(btran), where=btran > 0)
    forcing = dict(water_input=canopy.QTOPSOIL.values, evaporation=canopy.QSOIL.clip(min=0).values,
                   transpiration=demand, hr_switch=canopy.HR_SWITCH.values)
    hr = HRParameters(crt=inp.patch("crt")[0, 0], psi50=inp.patch("psi50")[0, 0],
                      b=inp.patch("hr_b")[0, 0], top_layer=False)
    soil = run_soil_column(setup.grid, setup.props, inp.patch("rootfr")[0, :, 0],
                           state0["h2osoi_liq"][0] / (setup.grid.dz * 1000.0), forcing,
                           dtime=DT, smpso=inp.patch("smpso")[0, 0], smpsc=inp.patch("smpsc")[0, 0],
                           zwt=state0["zwt"][0], wa=state0["wa"][0],
                           wtfact=inp.column("wtfact")[0],
                           rsub_top_max=inp.column("rsub_top_max")[0],
                           fdrai=inp.column("fdrai")[0], hr=hr)
    assert float(canopy.QHR.clip(min=0).sum()) > 0           # HR did something
    np.testing.assert_allclose(soil.H2OSOI.values, canopy.H2OSOI.values, rtol=0, atol=1e-12)
    np.testing.assert_allclose(soil.QHR.values, canopy.QHR.values, rtol=0, atol=1e-15)
    np.testing.assert_allclose(soil.QDRAI.values, canopy.QDRAI.values, rtol=1e-10, atol=1e-18)


def _two_tapes(**extra):
    """A daily tape of averages, maxima, minima and last values, and a tape
    of instantaneous values at every step, over the same run."""
    return load_config("US-SRM_drydown.nml", "hr_on.nml", ndays=10, hist_nhtfrq=[-24, 1],
                       hist_fincl1=["H2OSOI", "QVEGT", "BTRAN:X", "ZWT:M", "H2OSNO:I", "QHR"],
                       hist_fincl2=[f + ":I" for f in FIELDS], **extra)


def test_daily_tape_equals_the_statistics_of_the_instantaneous_tape():
    daily, inst = run_case(_two_tapes()).tapes
    assert daily.time.size == 10 and inst.time.size == 10 * 48
    assert str(daily.time.values[0]).startswith("2010-03-01T00:00")
    np.testing.assert_array_equal(daily.time_bounds.values[:, 1] - daily.time_bounds.values[:, 0],
                                  np.timedelta64(86400, "s"))

    def by_day(name):
        v = inst[name].values
        return v.reshape((10, 48) + v.shape[1:])

    for name in ("H2OSOI", "QVEGT", "QHR"):
        np.testing.assert_allclose(daily[name].values, by_day(name).mean(axis=1), rtol=1e-13,
                                   atol=1e-20)
        assert daily[name].attrs["cell_methods"] == "time: mean"
    np.testing.assert_array_equal(daily.BTRAN.values, by_day("BTRAN").max(axis=1))
    np.testing.assert_array_equal(daily.ZWT.values, by_day("ZWT").min(axis=1))
    np.testing.assert_array_equal(daily.H2OSNO.values, by_day("H2OSNO")[:, -1])
    assert daily.BTRAN.attrs["cell_methods"] == "time: maximum"
    # the shallow soil dries over the day: the mean differs from the last value
    assert np.abs(daily.H2OSOI.values[:, 0] - by_day("H2OSOI")[:, -1, 0]).max() > 1e-5


def test_monthly_tape_closes_records_at_calendar_months():
    config = load_config("US-SRM.nml", "hr_on.nml", spinup=False, ndays=70, hist_nhtfrq=[0, 1],
                         hist_fincl2=["QVEGT:I", "H2OSOI:I"])
    monthly, inst = run_case(config).tapes
    starts = pd.DatetimeIndex(monthly.time.values)
    assert list(starts.strftime("%Y-%m-%d")) == ["2010-01-01", "2010-02-01", "2010-03-01"]
    ends = pd.DatetimeIndex(monthly.time_bounds.values[:, 1])
    assert list(ends.strftime("%Y-%m-%d")) == ["2010-02-01", "2010-03-01", "2010-03-12"]
    month = pd.DatetimeIndex(inst.time.values).month
    for k, m in enumerate((1, 2, 3)):
        np.testing.assert_allclose(monthly.QVEGT.values[k], inst.QVEGT.values[month == m].mean(),
                                   rtol=1e-12)


def test_tapes_go_to_files_as_the_run_goes(tmp_path, monkeypatch):
    """hist_mfilt records per file, CLM-like names, nothing half-written, and
    the files hold exactly what a run kept in memory holds."""
    monkeypatch.setattr(model, "CHUNK_BYTES", 1)         # one step per call of the core
    config = _two_tapes(hist_mfilt=[4, 0], case_name="split")
    result = run_case(config, output_dir=tmp_path, write_restarts=False)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["split.hrclm.h0.2010-03-01-00000.nc", "split.hrclm.h0.2010-03-05-00000.nc",
                     "split.hrclm.h0.2010-03-09-00000.nc", "split.hrclm.h1.2010-03-01-00000.nc"]
    sizes = [xr.open_dataset(tmp_path / n).time.size for n in names]
    assert sizes == [4, 4, 2, 480]
    memory = run_case(config).tapes
    for on_disk, in_memory in zip(result.tapes, memory):
        for name in FIELDS:
            np.testing.assert_array_equal(on_disk[name].values, in_memory[name].values)
    with xr.open_dataset(tmp_path / names[0]) as ds:
        assert ds.attrs["case"] == "split" and ds.attrs["tape"] == "h0"
        assert ds.attrs["max_abs_water_balance_error_mm"] < 1e-8
        assert ds.QVEGT.attrs["units"] == "mm s-1"


def test_a_failing_run_leaves_its_finished_files_and_no_temporaries(tmp_path, monkeypatch):
    monkeypatch.setattr(model, "CHUNK_BYTES", 1)         # one step per call of the core
    site = get_site("US-SRM")
    forcing = generate_forcing(site, 2010, 1, DT).isel(time=slice(0, 10 * 48))
    tair = forcing.Tair.values.copy()
    tair[6 * 48 + 3] = 400.0                                     # day 7
    forcing["Tair"] = ("time", tair, forcing.Tair.attrs)
    config = load_config("US-SRM.nml", spinup=False, hist_nhtfrq=[-24], hist_mfilt=[4],
                         case_name="bad")
    with pytest.raises(InputError, match=r"^forcing Tair = 4\.0000E\+02 K at column 1, step 292 "
                                         r"is not valid: it must be finite and in \(150, 350\) K "
                                         r"\[time 2010-01-07 01:30:00\]"):
        run_case(config, forcing, output_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.hrclm.h0.2010-01-01-00000.nc"]


def test_restart_that_does_not_match_is_refused_naming_both(tmp_path, capsys):
    config = load_config("US-SRM_drydown.nml", "hr_on.nml", ndays=2, case_name="r")
    result = run_case(config, output_dir=tmp_path)
    restart = [f for f in result.files if ".hrclm.r." in f.name][0]
    assert restart.name == "r.hrclm.r.2010-03-03-00000.nc"
    ens = config.replace(hr_crt=[0.05, 0.1, 0.2], finidat=str(restart))
    with pytest.raises(InputError, match=r"holds 1 columns x 10 layers x 2 patches but the "
                                         r"configuration has 3 columns x 10 layers x 2 patches"):
        hrclm.run(ens)
    thin = config.replace(layer_dz=[0.1] * 10, finidat=str(restart))
    with pytest.raises(InputError, match=r"has layer thicknesses \[0\.0175, .*\] m but the "
                                         r"configuration has \[0\.1, 0\.1, .*\] m"):
        hrclm.run(thin)
    other = load_config("US-Ton.nml", ndays=2, finidat=str(restart))
    with pytest.raises(InputError, match=r"was written for site US-SRM .* but the configuration "
                                         r"is site US-Ton .*; its water would be reinterpreted"):
        hrclm.run(other)
    junk = tmp_path / "junk.nc"
    junk.write_text("not a restart")
    assert main(["run", "US-SRM_drydown.nml", "--restart", str(junk), "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (f"hrclm: restart file {junk} is not an hrclm restart "
                                       "(written by hrclm run as <case>.hrclm.r.<date>.nc, format "
                                       "hrclm-restart-5)\n")


def test_spin_up_cycles_the_first_whole_utc_year_of_the_forcing_and_warns_at_its_cap():
    site = get_site("US-SRM")
    forcing = generate_forcing(site, 2009, 3, DT).sel(time=slice("2009-07-01", "2011-06-30"))
    config = load_config("US-SRM.nml", spinup=True, spinup_max_years=1, spinup_tol=1e-9)
    with pytest.warns(RuntimeWarning, match=r"^spin-up stopped at its cap of 1 cycles "
                                            r"\(spinup_max_years\) with column water still "
                                            r"changing by [\d.e+-]+ mm per cycle"):
        ds = hrclm.run(config, forcing.isel(time=slice(0, 48)))
    assert ds.attrs["spinup_converged"] == 0 and ds.attrs["spinup_years"] == 1
    # a Dataset given to run is the forcing source: its first whole year is 2010
    with pytest.warns(RuntimeWarning):
        ds = hrclm.run(config, forcing)
    assert ds.attrs["spinup_period"] == ("2010-01-01 00:00:00 to 2010-12-31 23:30:00 "
                                         "(UTC step starts)")
    named = config.replace(spinup_begin="2009-08-01", spinup_end="2009-09-01", spinup_tol=1000.0)
    ds = hrclm.run(named, forcing)
    assert ds.attrs["spinup_converged"] == 1
    assert ds.attrs["spinup_period"].startswith("2009-08-01 00:00:00 to 2009-08-31 23:30:00")


def test_a_calendar_year_of_a_utc_forcing_file_runs_that_year(tmp_path):
    site = get_site("US-SRM")
    path = tmp_path / "forcing.nc"
    write_netcdf(generate_forcing(site, 2009, 3, 3600.0), path)
    config = load_config("US-SRM.nml", forcing="file", forcing_file=str(path), start_year=2010,
                         nyears=1, dtime=3600.0, spinup=False, hist_nhtfrq=[1],
                         hist_fincl1=["ZWT"])
    ds = hrclm.run(config)
    assert ds.time.size == 8760
    assert str(ds.time.values[0]).startswith("2010-01-01T00:00")
    assert str(ds.time.values[-1]).startswith("2010-12-31T23:00")


def test_history_that_would_not_fit_in_memory_is_refused_up_front():
    config = load_config("US-SRM.nml", "hr_on.nml", spinup=False, nyears=100,
                         hr_crt=list(np.linspace(0.01, 0.2, 2000)))
    with pytest.raises(InputError, match=r"^the history of this run would need about [\d.]+ GiB "
                                         r"in memory, more than [\d.]+ GiB \(50% of this machine's "
                                         r"memory\); write it to files"):
        hrclm.run(config)


@pytest.mark.parametrize("options, message", [
    (dict(hist_nhtfrq=[1, -24]), r"^&output_inparm hist_fincl2 is empty but tape h1 is asked "
                                 r"for by hist_nhtfrq"),
    (dict(hist_fincl1=["H2OSOI", "QHRR"]), r"^&output_inparm hist_fincl1: 'QHRR' is not a "
                                           r"history field; valid fields are H2OSOI, "),
    (dict(hist_fincl1=["H2OSOI:Q"]), r"^&output_inparm hist_fincl1: 'H2OSOI:Q' has flag 'Q'; "
                                     r"use A, I, X or M$"),
    (dict(hist_nhtfrq=[-24, 1], hist_fincl2=["QHR"], hist_mfilt=[1, 2, 3]),
     r"^&output_inparm hist_mfilt has 3 values but hist_nhtfrq has 2"),
    (dict(dtime=3600.0, hist_nhtfrq=[-1, 1], hist_fincl2=["QHR"]), None),
    (dict(case_name="../up"), r"^case_name = '\.\./up' is not valid: use letters, digits"),
])
def test_tape_options_are_checked(options, message):
    config = load_config("US-SRM_drydown.nml", ndays=1, **options)
    if message is None:
        assert hrclm.run(config).time.size == 24
        return
    with pytest.raises(InputError, match=message):
        hrclm.run(config)


def test_sigterm_stops_the_command_cleanly(tmp_path):
    """SIGTERM (and Ctrl-C) stop `hrclm run` with exit 130 and one sentence,
    leaving no partial or temporary file."""
    import signal
    import subprocess
    import sys
    import time
    nml = tmp_path / "long.nml"
    nml.write_text("&hrclm_inparm\n nyears = 40\n spinup = .false.\n/\n")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from hrclm.cli import main; "
                             "sys.exit(main())", "run", "US-Ton.nml", str(nml), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    time.sleep(3.0)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.decode().endswith("hrclm: interrupted; files of the unfinished run were removed, "
                                 "finished files (and restarts already written) were kept\n")
    assert not out.exists() or list(out.iterdir()) == []


def test_forcing_shorter_than_the_run_warns_and_is_recorded(tmp_path, capsys):
    site = get_site("US-SRM")
    path = tmp_path / "f.nc"
    write_netcdf(generate_forcing(site, 2010, 1, DT).sel(time=slice("2010-03-01", "2010-03-02")),
                 path)
    nml = tmp_path / "run.nml"
    nml.write_text(f"&hrclm_inparm\n forcing = 'file'\n forcing_file = '{path}'\n"
                   " start_year = 2010\n start_month = 3\n ndays = 30\n spinup = .false.\n/\n")
    assert main(["run", str(nml), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert err == ("hrclm: warning: the forcing covers only 2010-03-01 00:00:00 to 2010-03-03 "
                   "00:00:00 of the run period 2010-03-01 00:00:00 to 2010-03-31 00:00:00 (UTC); "
                   "the run covers what the forcing covers\n")
    (h0,) = (tmp_path / "out").glob("*.h0.*.nc")
    with xr.open_dataset(h0) as ds:
        assert ds.time.size == 96
        assert ds.attrs["forcing_run_period_note"].startswith("the forcing covers only")


def test_ensemble_summary_is_the_mean_over_columns(tmp_path, capsys):
    nml = tmp_path / "ens.nml"
    nml.write_text("&hydraulic_redistribution\n use_hr = .true.\n hr_crt = 0.0, 0.0\n/\n")
    assert main(["run", "US-SRM_drydown.nml", str(nml), "-o", str(tmp_path)]) == 0
    # C_RT = 0: no HR, and uptake by CLM4.5's weights (a network without conductance)
    one = hrclm.run(load_config("US-SRM_drydown.nml", "hr_off.nml", root_uptake="clm45"))
    et = float((one.QVEGT + one.QVEGE + one.QSOIL).sum()) * DT
    assert f"ET {et:.1f} mm (mean over the columns) over 122 days" in capsys.readouterr().out


def test_temporaries_of_a_killed_run_are_removed_by_the_next(tmp_path):
    stale = [tmp_path / ".k.hrclm.h0.2010-03-01-00000.nc.abc123.tmp",
             tmp_path / ".k.hrclm.r.2010-03-02-00000.nc.x9.tmp"]
    other = tmp_path / ".other.hrclm.h0.2010-03-01-00000.nc.q.tmp"     # another case's
    for f in stale + [other]:
        f.write_bytes(b"\0" * 1000)
    run_case(load_config("US-SRM_drydown.nml", ndays=1, case_name="k"), output_dir=tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [other.name, "k.hrclm.h0.2010-03-01-00000.nc", "k.hrclm.r.2010-03-02-00000.nc"]


def _two_patch_prescribed(nstep=96, use_hr=0, top_layer=0, roots=None, crt=(0.0, 0.0)):
    """A soil column of two patches in the prescribed mode, run directly on
    the driver (hrclm.driver): constant transpiration demand, no rain."""
    from hrclm.driver import ColumnInputs, ColumnState, advance, forcing_block
    from hrclm.history import Tape, TapeSet
    from hrclm.soil import clm45_grid, soil_properties
    from hrclm.constants import crt_from_cm_per_mpa_per_h, MM_PER_MPA
    from hrclm.variables import HISTORY
    g = clm45_grid(10)
    p = soil_properties(40.0, 20.0, g.z)
    if roots is None:
        roots = np.stack([np.r_[np.full(5, 0.2), np.zeros(5)],
                          np.r_[np.zeros(5), np.full(5, 0.2)]], axis=-1)
    ctl = dict(mode=2, lower_bc=4, use_hr=use_hr, rx_rule=1, thick_rule=1, top_layer=top_layer,
               night_rule=1, dtime=DT, hr_qvegt_max=0.0, hr_sabv_max=0.0, hr_tair_min=0.0,
               canopy=1, use_carbon=0, q10_mr=1.5, uptake=1)
    inputs = ColumnInputs(1, 10, 2, ctl,
                          dict(zsoi=g.z, dzsoi=g.dz, zisoi=g.zi[1:], watsat=p.watsat,
                               sucsat=p.sucsat, bsw=p.bsw, hksat=p.hksat, watfc=p.watfc, **UNUSED_LAYER),
                          dict(wtfact=0.3, rsub_top_max=0.0, fdrai=2.5, zref=0.0, sco2=0.0,
                               soil_color=0.0),
                          dict(wt=[0.3, 0.7], smpso=-66000.0, smpsc=-255000.0, **UNUSED_PATCH,
                               crt=crt_from_cm_per_mpa_per_h(np.array(crt)),
                               psi50=-1.0 * MM_PER_MPA, hr_b=3.22),
                          dict(rootfr=roots))
    # a dry top and a wet bottom
    theta = np.where(g.z < 0.3, 0.5, 0.95) * p.watsat
    state = ColumnState.from_values(1, 10, 2, h2osoi_liq=theta * g.dz * 1000.0, zwt=g.zi[-1],
                                    wa=4000.0)
    time = np.datetime64("2010-06-01") + np.arange(nstep) * np.timedelta64(1800, "s")
    tapes = TapeSet([Tape(0, 1, 0, [(n, "A") for n in HISTORY])], 10, 1, DT, time,
                    lambda: ({}, {}, {}), npatch=2)
    forc = forcing_block(dict(transpiration=np.full(nstep, 2e-5), hr_switch=np.ones(nstep)),
                         nstep)
    ierr, _, _, errmsg, diag = advance(inputs, state, forc, tapes, 0, nstep)
    assert ierr == 0, errmsg
    assert diag[0, 0] < 1e-8
    return tapes.datasets()[0]


def test_patches_take_water_only_where_their_roots_are_and_sum_by_cover():
    ds = _two_patch_prescribed()
    sink = ds.QROOTSINK.values                                    # (time, levsoi)
    tran_p = ds.QVEGT_PATCH.values                                # (time, patch)
    assert tran_p.min() > 0
    # patch 0 has roots in layers 1-5 only, patch 1 in layers 6-10 only
    np.testing.assert_allclose(sink[:, :5].sum(axis=1), 0.3 * tran_p[:, 0], rtol=1e-12)
    np.testing.assert_allclose(sink[:, 5:].sum(axis=1), 0.7 * tran_p[:, 1], rtol=1e-12)
    np.testing.assert_allclose(ds.QVEGT.values, 0.3 * tran_p[:, 0] + 0.7 * tran_p[:, 1],
                               rtol=1e-12)
    np.testing.assert_allclose(ds.BTRAN.values, (np.array([0.3, 0.7]) * ds.BTRAN_PATCH.values).sum(1),
                               rtol=1e-12)


def test_hr_by_patches_conserves_water_and_skips_the_top_layer():
    roots = np.stack([np.full(10, 0.1), np.r_[np.full(3, 0.3), np.full(7, 0.1 / 7)]], axis=-1)
    off = _two_patch_prescribed(roots=roots)
    one = _two_patch_prescribed(use_hr=1, roots=roots, crt=(0.097, 0.0))
    both = _two_patch_prescribed(use_hr=1, roots=roots, crt=(0.097, 0.097))
    for ds in (one, both):
        qhr = ds.QHR.values
        assert qhr.max() > 0 and np.abs(qhr.sum(axis=1)).max() < 1e-16     # a transfer only
        np.testing.assert_array_equal(qhr[:, 0], 0.0)                     # top layer excluded
        assert qhr[:, 1:3].sum() > 0                                      # up into dry layers 2-3
    assert np.abs(off.QHR.values).max() == 0.0
    # a second redistributing patch moves more water
    assert both.QHR.clip(min=0).sum() > one.QHR.clip(min=0).sum()
    top = _two_patch_prescribed(use_hr=1, top_layer=1, roots=roots, crt=(0.097, 0.097))
    assert top.QHR.values[:, 0].max() > 0


def test_two_identical_patches_equal_one(tmp_path, monkeypatch):
    """A site whose one PFT is split into two patches of the same PFT gives
    the one-patch column's results."""
    from hrclm.sites import site_file_text
    config = load_config("US-SCd.nml", "hr_on.nml", spinup=False, ndays=60, start_month=5,
                         init_water="field_capacity")
    one = hrclm.run(config)
    text = site_file_text("US-SCd")
    head, _, rest = text.partition("[[pft]]")
    tail = rest[rest.index("\n[") + 1:]
    assert "[[pft]]" not in tail                                   # US-SCd has one PFT
    (tmp_path / "US-SCd.toml").write_text(
        head + "[[pft]]\nindex = 10\nfraction = 0.5\n[[pft]]\nindex = 10\nfraction = 0.5\n\n" + tail)
    monkeypatch.setenv("HRCLM_SITE_PATH", str(tmp_path))
    two = hrclm.run(config)
    assert two.sizes["patch"] == 2 and one.sizes["patch"] == 1
    assert two.attrs["site_file"] == str(tmp_path / "US-SCd.toml")
    assert float(one.QHR.clip(min=0).sum()) > 0
    for name in ("H2OSOI", "QVEGT", "QHR", "QSOIL", "EFLX_LH_TOT"):
        np.testing.assert_allclose(two[name].values, one[name].values, rtol=1e-12, atol=1e-18)


def _bound_run(dz, rel, roots, crt_cm, sand, clay, dtime):
    """One step of HR alone (prescribed mode, no other fluxes, no-flow bottom)
    on one column: (start water, HR applied over the step, lower bound,
    saturation) per layer [mm]."""
    from hrclm.constants import MM_PER_MPA, crt_from_cm_per_mpa_per_h
    from hrclm.driver import ColumnInputs, ColumnState, advance, forcing_block
    from hrclm.history import Tape, TapeSet
    from hrclm.soil import grid_from_thickness, soil_properties
    n = len(dz)
    g = grid_from_thickness(np.asarray(dz))
    p = soil_properties(sand, clay, g.z)
    ctl = dict(mode=2, lower_bc=4, use_hr=1, rx_rule=1, thick_rule=1, top_layer=1, night_rule=1,
               dtime=dtime, hr_qvegt_max=0.0, hr_sabv_max=0.0, hr_tair_min=0.0, canopy=1,
               use_carbon=0, q10_mr=1.5, uptake=1)
    smpsc = -255000.0
    inp = ColumnInputs(1, n, 1, ctl, dict(zsoi=g.z, dzsoi=g.dz, zisoi=g.zi[1:], watsat=p.watsat,
                                          sucsat=p.sucsat, bsw=p.bsw, hksat=p.hksat, watfc=p.watfc, **UNUSED_LAYER),
                       dict(wtfact=0.3, rsub_top_max=0.0, fdrai=2.5, zref=0.0, sco2=0.0, soil_color=0.0),
                       dict(wt=1.0, smpso=-66000.0, smpsc=smpsc, **UNUSED_PATCH, crt=crt_from_cm_per_mpa_per_h(crt_cm),
                            psi50=-1.0 * MM_PER_MPA, hr_b=3.22),
                       dict(rootfr=(np.asarray(roots) / np.sum(roots))[:, None]))
    h0 = np.asarray(rel) * p.watsat * g.dz * 1000.0
    state = ColumnState.from_values(1, n, 1, h2osoi_liq=h0, zwt=g.zi[-1], wa=4000.0)
    tapes = TapeSet([Tape(0, 1, 0, [("QHR", "A")])], n, 1, dtime,
                    np.array(["2010-06-01T00:00"], dtype="datetime64[ns]"), lambda: ({}, {}, {}))
    ierr, _, _, errmsg, diag = advance(inp, state, forcing_block(dict(hr_switch=[1.0]), 1),
                                       tapes, 0, 1)
    assert ierr == 0, errmsg
    assert diag[0, 0] < 1e-8
    qhr = tapes.datasets()[0].QHR.values[0]
    theta_c = p.watsat * (-smpsc / p.sucsat) ** (-1.0 / p.bsw)     # psi(theta_c) = smpsc
    return h0, qhr * dtime, theta_c * g.dz * 1000.0, p.watsat * g.dz * 1000.0


@hypothesis.settings(max_examples=80, deadline=None)
@hypothesis.given(
    layers=st.lists(st.tuples(st.sampled_from([0.001, 0.003, 0.01, 0.05, 0.2, 0.6]),
                              st.one_of(st.floats(0.0, 1.0), st.sampled_from([0.0, 1e-6, 0.01, 1.0])),
                              st.floats(1e-6, 1.0)), min_size=3, max_size=12),
    crt_cm=st.sampled_from([0.097, 1.0, 10.0, 300.0]),
    sand=st.floats(5.0, 60.0), clay=st.floats(5.0, 35.0),
    dtime=st.sampled_from([900.0, 1800.0, 3600.0]))
def test_hr_limiter_bounds_the_flux_the_implicit_solve_applies(layers, crt_cm, sand, clay, dtime):
    """HR alone never takes a layer below the closure water content (or below
    where it started, if lower) nor above saturation over a step, whatever
    the profile: thin and nearly dry layers, strong conductances."""
    dz, rel, roots = zip(*layers)
    h0, moved, low, sat = _bound_run(dz, rel, roots, crt_cm, sand, clay, dtime)
    assert abs(moved.sum()) < 1e-9 * max(1.0, np.abs(moved).sum())
    after = h0 + moved
    assert np.all(after >= np.minimum(h0, low) - 1e-9)
    assert np.all(after <= np.maximum(h0, sat) + 1e-9)


def test_restarts_every_month_continue_the_run_exactly(tmp_path):
    """rest_option = 'nmonths': a restart at every month start, each valid for
    the time in its name; continuing from the middle one gives the unsplit run."""
    config = load_config("US-SRM.nml", "hr_on.nml", spinup=False, ndays=90, rest_option="nmonths",
                         case_name="m", hist_nhtfrq=[-24])
    whole = run_case(config, output_dir=tmp_path / "a")
    names = sorted(f.name for f in whole.files if ".hrclm.r." in f.name)
    assert names == ["m.hrclm.r.2010-02-01-00000.nc", "m.hrclm.r.2010-03-01-00000.nc",
                     "m.hrclm.r.2010-04-01-00000.nc"]
    forcing = generate_forcing(get_site("US-SRM"), 2010, 1, DT).sel(
        time=slice("2010-02-01", "2010-03-31T23:30"))
    rest = config.replace(finidat=str(tmp_path / "a" / names[0]))
    second = hrclm.run(rest, forcing)
    np.testing.assert_array_equal(second.H2OSOI.values, whole.tapes[0].H2OSOI.values[31:])


def test_compare_joins_the_history_files_of_a_case(tmp_path):
    """hrclm compare takes the h0 files of a run split by hist_mfilt and
    joins them in time: the scores use every record."""
    config = load_config("US-SRM_drydown.nml", ndays=3, hist_mfilt=[48], case_name="split")
    result = run_case(config, output_dir=tmp_path / "out", write_restarts=False)
    files = sorted(str(f) for f in result.files)
    assert len(files) == 3
    whole = result.tapes[0].load()
    obs = xr.Dataset({"ET": ("time", (whole.QVEGT + whole.QVEGE + whole.QSOIL).values * 1.1)},
                     coords={"time": whole.time.values}, attrs={"utc_offset": -7.0})
    write_netcdf(obs, tmp_path / "obs.nc")
    assert main(["compare", *files, "--obs", str(tmp_path / "obs.nc"), "-o",
                 str(tmp_path / "cmp")]) == 0
    table = pd.read_csv(tmp_path / "cmp" / "metrics.csv")
    native = table[(table.variable == "ET") & (table.timescale == "native")]
    assert set(native.n) == {3 * 48}
    bias = float(native[native.metric == "bias"].value.iloc[0])
    et = float((whole.QVEGT + whole.QVEGE + whole.QSOIL).mean())
    assert bias == pytest.approx(-0.1 * et, rel=1e-9)


def test_deep_columns_run_in_threads_with_a_stack_that_fits():
    """1000 layers (the dense HR system alone is 8 MB a column) in 130 columns
    (three blocks on threads), and 1500 layers in one column: they run and
    close the water balance instead of overflowing a thread's stack."""
    for nlev, ncol in ((1000, 130), (1500, 1)):
        config = load_config("US-SRM_drydown.nml", "hr_off.nml", ndays=1,
                             layer_dz=[3.8 / nlev] * nlev, hist_nhtfrq=[-24],
                             rsmin_scale=list(np.linspace(1.0, 2.0, ncol)) if ncol > 1 else 1.0)
        ds = hrclm.run(config)
        assert ds.sizes["levsoi"] == nlev
        assert ds.attrs["max_abs_water_balance_error_mm"] < 1e-8


@pytest.mark.parametrize("group, index, name, where", [
    ("grnd", (0, 3, 0), "t_soisno", "ground level 4"),
    ("pat", (0, 1, 1), "t_veg", "patch 2"),
])
def test_an_impossible_initial_temperature_is_refused(group, index, name, where):
    """The CLM4.5 canopy reads soil, bedrock and leaf temperatures from the
    state: a value outside (150, 400) K is refused before the first step."""
    from hrclm.model import run_with_state
    config = load_config("US-SRM.nml", spinup=False, ndays=2)
    state = ColumnSetup(config, get_site("US-SRM")).initial_state()
    getattr(state, group)[index] = 500.0
    with pytest.raises(InputError, match=rf"^{name} = 5\.0000E\+02 K at column 1, {where} is not "
                                         r"valid: it must lie in \(150, 400\) K"):
        run_with_state(config, state=state)


def test_a_stop_request_whose_interrupt_was_lost_still_stops_the_run():
    """The CLI's SIGTERM handler raises KeyboardInterrupt and also sets a flag:
    if the exception lands where Python ignores it (a finaliser running at
    that moment), the time loop stops at the next chunk all the same."""
    from hrclm.errors import clear_stop, request_stop
    config = load_config("US-SCd.nml", spinup=False, ndays=3, hist_fincl1=["QVEGT"])
    request_stop()
    try:
        with pytest.raises(KeyboardInterrupt):
            run_case(config)
    finally:
        clear_stop()
    assert run_case(config).tapes[0].time.size == 3 * 48
