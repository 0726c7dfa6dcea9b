"""Hostile inputs on every surface (issue 16): each is answered by one
sentence naming what, where and what would be valid, exit 2 (bad input),
no traceback, and before any long computation.

Each case writes its files into a fresh folder, runs ``hrclm ...`` in this
process (``hrclm.cli.main``: a Python traceback fails the test) or calls the
Python API, and asserts the exit code and the exact message (a regex
anchored at both ends). docs/guarantees.md lists what these cases cover.
"""

import re

import numpy as np
import pytest
import xarray as xr

import hrclm
from hrclm.cli import main
from hrclm.errors import InputError

TINY = "&hrclm_inparm\n ndays = 2\n spinup = .false.\n/\n"
BENCH = ('name = "t"\n[cases]\nhr_off = ["hr_off.nml"]\n[[site]]\nid = "US-SRM"\n'
         'forcing = "generator"\noverrides = {spinup = false, ndays = 2}\n')
SITE_TOML = None           # the packaged US-SRM site file, read once


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """One tiny run's files (h0, restart), a forcing file and an obs file."""
    from hrclm.io.weather import generate_forcing
    from hrclm.model import run_case, write_netcdf
    from hrclm.sites import get_site, site_file_text
    global SITE_TOML
    SITE_TOML = site_file_text("US-SRM")
    d = tmp_path_factory.mktemp("made")
    config = hrclm.load_config(ndays=2, spinup=False)
    result = run_case(config, output_dir=d)
    h0 = next(f for f in result.files if ".h0." in str(f))
    restart = next(f for f in result.files if ".r." in str(f))
    forcing = generate_forcing(get_site("US-SRM"), 2010, 1, 1800.0, 42, 400.0)
    forcing = forcing.isel(time=slice(0, 96))
    write_netcdf(forcing, d / "forcing.nc")
    write_netcdf(forcing.isel(time=slice(0, 0)), d / "forcing_empty.nc")
    nan = forcing.copy(deep=True)
    nan["Tair"][5] = np.nan
    write_netcdf(nan, d / "forcing_nan.nc")
    write_netcdf(forcing.isel(time=slice(0, None, 2)), d / "forcing_hourly.nc")
    h0ds = xr.load_dataset(h0)
    write_netcdf(h0ds.isel(time=slice(0, 0)), d / "h0_empty.nc")
    t = h0ds.time.values
    obs = xr.Dataset({"SWC": (("time", "depth"), np.full((t.size, 1), 0.1))},
                     coords={"time": t, "depth": [0.05]}, attrs={"site": "US-SRM"})
    write_netcdf(obs, d / "obs.nc")
    write_netcdf(obs.assign_coords(time=t + np.timedelta64(3650, "D")), d / "obs_later.nc")
    write_netcdf(obs.where(obs.SWC < 0), d / "obs_nan.nc")
    write_netcdf(xr.Dataset(attrs={"site": "US-SRM"}), d / "obs_nothing.nc")
    return {"h0": h0, "restart": restart, "dir": d}


def _write(folder, files):
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def _cli(argv, capsys):
    code = main(argv)
    cap = capsys.readouterr()
    return code, cap.err.strip()


# (id, files to write, argv, exit code, message regex without the leading "hrclm: ")
# {made} in argv is the module fixture's folder; {h0} and {restart} its files.
NML = {"tiny.nml": TINY}
CLI_CASES = [
    # -- namelists -------------------------------------------------------------------
    ("nml-missing", {}, ["run", "nope.nml"], 2, r"namelist file nope\.nml does not exist"),
    ("nml-empty", {"e.nml": ""}, ["run", "e.nml"], 2,
     r"namelist e\.nml holds no namelist group; an empty file is almost certainly a mistake: "
     r"give groups such as &hrclm_inparm \.\.\. / \(or leave the file out to run the defaults\)"),
    ("nml-folder", {"d/x": ""}, ["run", "d"], 2,
     r"namelist file d is a folder; give namelist files \(e\.g\. US-SRM\.nml hr_on\.nml\)"),
    ("nml-no-group", {"e.nml": "ndays = 2\n"}, ["run", "e.nml"], 2,
     r"namelist e\.nml holds no namelist group; an empty file is almost certainly a mistake: "
     r"give groups such as &hrclm_inparm \.\.\. / \(or leave the file out to run the defaults\)"),
    ("nml-unterminated", {"u.nml": "&hrclm_inparm\n ndays = 2\n"}, ["run", "u.nml"], 2,
     r"namelist u\.nml could not be read as a Fortran namelist: End-of-file reached before end "
     r"of namelist\."),
    ("nml-no-value", {"v.nml": "&hrclm_inparm\n ndays = = 2\n/\n"}, ["run", "v.nml"], 2,
     r"namelist v\.nml: &hrclm_inparm ndays = None is not valid: expected an integer in "
     r"\[0, 182500\]"),
    ("nml-dup-key", {"d.nml": "&hrclm_inparm\n ndays = 2\n seed = 1\n NDAYS = 3\n/\n"},
     ["run", "d.nml"], 2,
     r"namelist d\.nml: &hrclm_inparm ndays is given twice \(lines 2 and 4\); give each option "
     r"once"),
    ("nml-dup-key-one-line", {"d.nml": "&hrclm_inparm ndays = 2, ndays = 3 /\n"},
     ["run", "d.nml"], 2,
     r"namelist d\.nml: &hrclm_inparm ndays is given twice \(lines 1 and 1\); give each option "
     r"once"),
    ("nml-dup-group", {"d.nml": "&hrclm_inparm\n ndays = 2\n/\n&hrclm_inparm\n seed = 3\n/\n"},
     ["run", "d.nml"], 2,
     r"namelist d\.nml: group &hrclm_inparm is given twice \(lines 1 and 4\); give each group "
     r"once"),
    ("nml-unknown-group", {"g.nml": "&hrclm_inparam\n ndays = 2\n/\n"}, ["run", "g.nml"], 2,
     r"namelist g\.nml: unknown group &hrclm_inparam; did you mean &hrclm_inparm\? \(valid "
     r"groups: &hrclm_inparm, &hydraulic_redistribution, &soil_inparm, &canopy_inparm, &carbon_inparm, "
     r"&output_inparm, &rhizosphere_inparm\)"),
    ("nml-unknown-key", {"k.nml": "&hrclm_inparm\n ndayz = 2\n/\n"}, ["run", "k.nml"], 2,
     r"namelist k\.nml: group &hrclm_inparm has no option 'ndayz'; did you mean ndays\?"),
    ("nml-key-in-other-group", {"k.nml": "&hrclm_inparm\n root_uptake = 'clm45'\n/\n"},
     ["run", "k.nml"], 2,
     r"namelist k\.nml: group &hrclm_inparm has no option 'root_uptake'; it belongs in "
     r"&hydraulic_redistribution$"),
    ("nml-wrong-type", {"t.nml": "&hrclm_inparm\n ndays = 'two'\n/\n"}, ["run", "t.nml"], 2,
     r"namelist t\.nml: &hrclm_inparm ndays = 'two' is not valid: expected an integer in "
     r"\[0, 182500\]"),
    ("nml-out-of-range", {"r.nml": "&hrclm_inparm\n nyears = 0\n/\n"}, ["run", "r.nml"], 2,
     r"namelist r\.nml: &hrclm_inparm nyears = 0 is out of range: valid is \[1, 500\] yr"),
    ("nml-bad-choice", {"c.nml": "&soil_inparm\n lower_bc = 'bucket'\n/\n"}, ["run", "c.nml"], 2,
     r"namelist c\.nml: &soil_inparm lower_bc = 'bucket' is not valid: use one of 'aquifer', "
     r"'free_drainage', 'water_table', 'no_flow'"),
    ("nml-list-for-scalar", {"l.nml": "&hrclm_inparm\n ndays = 1, 2\n/\n"}, ["run", "l.nml"], 2,
     r"namelist l\.nml: &hrclm_inparm ndays = \[1, 2\] is not valid: ndays takes one value, "
     r"not a list"),
    ("nml-bool", {"b.nml": "&hydraulic_redistribution\n use_hr = 3\n/\n"}, ["run", "b.nml"], 2,
     r"namelist b\.nml: &hydraulic_redistribution use_hr = 3 is not valid: expected \.true\. "
     r"or \.false\."),
    ("nml-dtime-not-dividing-a-day", {"s.nml": "&hrclm_inparm\n dtime = 1700\n/\n"},
     ["run", "s.nml"], 2,
     r"namelist s\.nml: &hrclm_inparm dtime = 1700 is not valid: the time step must divide one "
     r"day \(86400 s\) evenly, e.g\. 900, 1800 or 3600 s"),
    ("nml-binary", {"x.nml": b"\x00\xff\xfe\x89PNG\x00"}, ["run", "x.nml"], 2,
     r"namelist x\.nml could not be read as text \(UnicodeDecodeError\); give a Fortran "
     r"namelist file"),
    ("nml-ensemble-lengths", {"n.nml": "&hydraulic_redistribution\n hr_crt = 0.1, 0.2\n/\n"
                                       "&soil_inparm\n wtfact = 0.1, 0.2, 0.3\n/\n"},
     ["run", "n.nml"], 2,
     r"ensemble options have lists of different lengths \[2, 3\]; give each one value or the "
     r"same number of values"),
    ("nml-case-name-escapes", {"n.nml": TINY + "&output_inparm\n case_name = '../x'\n/\n"},
     ["run", "n.nml"], 2,
     r"case_name = '\.\./x' is not valid: use letters, digits and \. _ \+ - only \(it becomes "
     r"part of file names\)"),
    ("nml-unknown-field", {"f.nml": TINY + "&output_inparm\n hist_fincl1 = 'NOPE'\n/\n"},
     ["run", "f.nml"], 2, r"&output_inparm hist_fincl1: 'NOPE' is not a history field; valid "
     r"fields are H2OSOI, SOILLIQ, QHR, .*"),
    ("nml-unknown-site", {"u.nml": "&hrclm_inparm\n site = 'XX-Nope'\n/\n"}, ["run", "u.nml"], 2,
     r"site 'XX-Nope' is not registered; registered sites: .*; to add one, put its TOML file in "
     r"a folder named in HRCLM_SITE_PATH \(hrclm sites --show US-SRM prints one to copy\)"),
    ("nml-forcing-file-missing", {"m.nml": "&hrclm_inparm\n forcing = 'file'\n "
                                           "forcing_file = 'no.nc'\n/\n"}, ["run", "m.nml"], 2,
     r"forcing_file no\.nc does not exist"),
    ("nml-uscrn-folder-missing", {"m.nml": "&hrclm_inparm\n forcing = 'uscrn'\n "
                                           "forcing_file = 'nodir'\n/\n"}, ["run", "m.nml"], 2,
     r"forcing = 'uscrn' but forcing_file = 'nodir' is not a folder holding USCRN hourly02 "
     r"files \(CRNH0203-\*\.txt\)"),
    ("nml-spinup-begin-not-a-date", {"p.nml": "&hrclm_inparm\n ndays = 2\n spinup_begin = "
                                              "'spring'\n/\n"}, ["run", "p.nml"], 2,
     r"&hrclm_inparm spinup_begin = 'spring' is not a date; give 'YYYY-MM-DD' \(UTC\)"),
    ("nml-finidat-missing", {"f.nml": "&hrclm_inparm\n ndays = 2\n finidat = 'r.nc'\n/\n"},
     ["run", "f.nml"], 2, r"restart file r\.nc does not exist"),
    ("nml-output-dir-unwritable", {"o.nml": TINY + "&output_inparm\n output_dir = "
                                                   "'/proc/hrclm'\n/\n"}, ["run", "o.nml"], 2,
     r"output folder /proc/hrclm cannot be written to \(no such file or directory\); give a "
     r"folder you can write to \(-o/--output, or output_dir\)"),
    # -- run -------------------------------------------------------------------------
    ("run-forcing-missing", NML, ["run", "tiny.nml", "--forcing", "f.nc"], 2,
     r"forcing file f\.nc does not exist"),
    ("run-forcing-folder", NML, ["run", "tiny.nml", "--forcing", "."], 2,
     r"forcing file \. is a folder, not a file; give a forcing file written by an hrclm reader"),
    ("run-forcing-garbage", {**NML, "g.nc": "not netCDF\n"}, ["run", "tiny.nml", "--forcing",
                                                              "g.nc"], 2,
     r"forcing file g\.nc could not be read as netCDF \(\w+\); give a forcing file written by "
     r"an hrclm reader"),
    ("run-forcing-is-history", NML, ["run", "tiny.nml", "--forcing", "{h0}"], 2,
     r"forcing lacks .*; an hrclm forcing Dataset has .*"),
    ("run-forcing-zero-steps", NML, ["run", "tiny.nml", "--forcing", "{made}/forcing_empty.nc"],
     2, r"forcing has no time steps"),
    ("run-forcing-nan", NML, ["run", "tiny.nml", "--forcing", "{made}/forcing_nan.nc"], 2,
     r"forcing Tair is missing \(NaN\) at 2010-01-01 02:30:00 \(index 5\); fill gaps in the "
     r"reader before running"),
    ("run-forcing-other-step", NML, ["run", "tiny.nml", "--forcing",
                                     "{made}/forcing_hourly.nc"], 2,
     r"forcing time step is \[3600\.0\] s but dtime = 1800\.0 s; resample the forcing or set "
     r"dtime"),
    ("run-forcing-period", {"p.nml": "&hrclm_inparm\n ndays = 2\n start_year = 1990\n "
                                     "forcing = 'file'\n forcing_file = '{made}/forcing.nc'\n/\n"},
     ["run", "p.nml"], 2,
     r"the forcing has no data between 1990-01-01 and 1990-01-03 \(UTC\); it covers "
     r"2010-01-01 00:00:00 to 2010-01-02 23:30:00"),
    ("run-output-is-a-file", NML, ["run", "tiny.nml", "-o", "tiny.nml"], 2,
     r"output folder tiny\.nml cannot be written to \(file exists\); give a folder you can "
     r"write to \(-o/--output, or output_dir\)"),
    ("run-output-too-long", NML, ["run", "tiny.nml", "-o", "a" * 300], 2,
     r"output folder a{300} cannot be written to \(file name too long\); give a folder you can "
     r"write to \(-o/--output, or output_dir\)"),
    ("run-output-unwritable", NML, ["run", "tiny.nml", "-o", "/proc/hrclm/out"], 2,
     r"output folder /proc/hrclm/out cannot be written to \(no such file or directory\); give a "
     r"folder you can write to \(-o/--output, or output_dir\)"),
    ("run-default-job-output-unwritable", {}, ["run", "-o", "/proc/hrclm"], 2,
     r"output folder /proc/hrclm cannot be written to \(no such file or directory\); give a "
     r"folder you can write to \(-o/--output, or output_dir\)"),
    # -- restart ---------------------------------------------------------------------
    ("restart-garbage", {**NML, "r.nc": "garbage\n"}, ["run", "tiny.nml", "--restart", "r.nc"],
     2, r"restart file r\.nc is not an hrclm restart \(written by hrclm run as "
        r"<case>\.hrclm\.r\.<date>\.nc, format hrclm-restart-5\)"),
    ("restart-empty-file", {**NML, "r.nc": ""}, ["run", "tiny.nml", "--restart", "r.nc"], 2,
     r"restart file r\.nc is not an hrclm restart \(written by hrclm run as "
     r"<case>\.hrclm\.r\.<date>\.nc, format hrclm-restart-5\)"),
    ("restart-folder", NML, ["run", "tiny.nml", "--restart", "."], 2,
     r"restart file \. is a folder; give a restart file \(<case>\.hrclm\.r\.<date>\.nc\) written "
     r"by hrclm run"),
    ("restart-is-history", NML, ["run", "tiny.nml", "--restart", "{h0}"], 2,
     r"restart file .*\.h0\..*\.nc is not an hrclm restart \(written by hrclm run as "
     r"<case>\.hrclm\.r\.<date>\.nc, format hrclm-restart-5\)"),
    ("restart-other-site", {"s.nml": TINY.replace("spinup", "site = 'US-Ton'\n spinup")},
     ["run", "s.nml", "--restart", "{restart}"], 2,
     r"restart file .* was written for site US-SRM .* but the configuration is site US-Ton "
     r".*; its water would be reinterpreted in another soil"),
    ("restart-other-layers", {"s.nml": TINY + "&soil_inparm\n layer_dz = 0.5, 0.5\n/\n"},
     ["run", "s.nml", "--restart", "{restart}"], 2,
     r"restart file .* holds 1 columns x 10 layers x \d+ patches but the configuration has 1 "
     r"columns x 2 layers x \d+ patches; use a restart written by the same configuration"),
    # -- compare ---------------------------------------------------------------------
    ("compare-output-missing", {}, ["compare", "h0.nc", "--obs", "{made}/obs.nc"], 2,
     r"model output h0\.nc does not exist"),
    ("compare-output-is-forcing", {}, ["compare", "{made}/forcing.nc", "--obs",
                                       "{made}/obs.nc"], 2,
     r"model output .*forcing\.nc has no H2OSOI; give h0 history files written by hrclm run "
     r"\(<case>\.hrclm\.h0\.<date>\.nc\)"),
    ("compare-output-garbage", {"h.nc": b"\x89HDF\x00garbage"}, ["compare", "h.nc", "--obs",
                                                                 "{made}/obs.nc"], 2,
     r"model output h\.nc could not be read as netCDF \(\w+\); give history files written by "
     r"hrclm run"),
    ("compare-output-zero-steps", {}, ["compare", "{made}/h0_empty.nc", "--obs",
                                       "{made}/obs.nc"], 2,
     r"model output .*h0_empty\.nc has no time steps; give h0 history files of a run that "
     r"covered at least one step"),
    ("compare-obs-missing", {}, ["compare", "{h0}", "--obs", "obs.nc"], 2,
     r"--obs obs\.nc does not exist"),
    ("compare-obs-folder-without-uscrn", {"o/readme.txt": "x"}, ["compare", "{h0}", "--obs",
                                                                "o"], 2,
     r"--obs o is a folder without USCRN hourly02 files \(CRNH0203-\*\.txt\); give an "
     r"observation netCDF or such a folder"),
    ("compare-obs-garbage", {"o.nc": "garbage"}, ["compare", "{h0}", "--obs", "o.nc"], 2,
     r"--obs o\.nc could not be read as netCDF \(\w+\); give an observation file written by an "
     r"hrclm reader or a folder of USCRN files"),
    ("compare-obs-holds-nothing", {}, ["compare", "{h0}", "--obs", "{made}/obs_nothing.nc"], 2,
     r"--obs .*obs_nothing\.nc holds neither SWC nor ET \(it has no variables\); give an "
     r"observation file written by an hrclm reader \(hrclm convert\)"),
    ("compare-obs-other-period", {}, ["compare", "{h0}", "--obs", "{made}/obs_later.nc"], 2,
     r"--obs .*obs_later\.nc covers 2019-12-30 00:00:00 to 2019-12-31 23:30:00 but the model "
     r"output covers 2010-01-01 00:00:00 to 2010-01-02 23:30:00 \(UTC\); give observations of "
     r"the run's period"),
    ("compare-out-is-a-file", {"f": "x"}, ["compare", "{h0}", "--obs", "{made}/obs.nc", "-o",
                                           "f"], 2,
     r"-o/--out folder f cannot be written to \(file exists\); give a folder you can write to "
     r"\(-o/--output, or output_dir\)"),
    # -- benchmark (all refused before a cluster starts or a run is computed) ---------
    ("bench-config-missing", {}, ["benchmark", "b.toml"], 2,
     r"benchmark config b\.toml does not exist"),
    ("bench-config-not-toml", {"b.toml": "name = \n"}, ["benchmark", "b.toml"], 2,
     r"benchmark config b\.toml is not valid TOML: .*"),
    ("bench-config-no-site", {"b.toml": 'name = "x"\n'}, ["benchmark", "b.toml"], 2,
     r"benchmark config b\.toml names no \[\[site\]\]"),
    ("bench-site-unknown-key", {"b.toml": BENCH + "colour = 1\n"}, ["benchmark", "b.toml"], 2,
     r"benchmark config b\.toml: \[\[site\]\] 1 has unknown keys colour; valid keys: .*"),
    ("bench-site-bad-forcing", {"b.toml": BENCH.replace('"generator"', '"era5"')},
     ["benchmark", "b.toml"], 2,
     r"benchmark config b\.toml: site US-SRM forcing = 'era5'; use 'generator', 'uscrn', "
     r"'file' or 'ameriflux'"),
    ("bench-case-bad", {"b.toml": BENCH.replace('["hr_off.nml"]', '3')}, ["benchmark",
                                                                        "b.toml"], 2,
     r"benchmark config b\.toml: case hr_off must be a list of namelists or a table with "
     r"namelists = \[\.\.\.\] and overrides = \{\.\.\.\}"),
    ("bench-baseline-missing", {"b.toml": BENCH}, ["benchmark", "b.toml", "--baseline",
                                                   "m.csv"], 2,
     r"--baseline m\.csv does not exist; give the metrics\.csv of an earlier hrclm benchmark"),
    ("bench-baseline-empty", {"b.toml": BENCH, "m.csv": ""},
     ["benchmark", "b.toml", "--baseline", "m.csv"], 2,
     r"--baseline m\.csv is empty; give the metrics\.csv of an earlier hrclm benchmark"),
    ("bench-baseline-binary", {"b.toml": BENCH, "m.csv": b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x00"},
     ["benchmark", "b.toml", "--baseline", "m.csv"], 2,
     r"--baseline m\.csv could not be read as CSV \(\w+\); give the metrics\.csv of an earlier "
     r"hrclm benchmark"),
    ("bench-baseline-wrong-columns", {"b.toml": BENCH, "m.csv": "a,b\n1,2\n"},
     ["benchmark", "b.toml", "--baseline", "m.csv"], 2,
     r"--baseline m\.csv lacks the column\(s\) site, case, variable, depth, timescale, metric, "
     r"value; give the metrics\.csv of an earlier hrclm benchmark \(columns site, case, "
     r"variable, depth, timescale, metric, value, n\)"),
    ("bench-baseline-not-numbers", {"b.toml": BENCH, "m.csv": "site,case,variable,depth,"
                                    "timescale,metric,value,n\nUS-SRM,hr_off,ET,,daily,rmse,"
                                    "high,3\n"},
     ["benchmark", "b.toml", "--baseline", "m.csv"], 2,
     r"--baseline m\.csv has values that are not numbers in column value; give the "
     r"metrics\.csv of an earlier hrclm benchmark"),
    ("bench-baseline-folder", {"b.toml": BENCH, "d/x": ""},
     ["benchmark", "b.toml", "--baseline", "d"], 2,
     r"--baseline d is a folder; give the metrics\.csv of an earlier hrclm benchmark \(e\.g\. "
     r"d/metrics\.csv\)"),
    ("bench-tolerance-negative", {"b.toml": BENCH}, ["benchmark", "b.toml", "--tolerance", "-1"],
     2, r"--tolerance -1\.0 is not valid: give a relative tolerance >= 0 \(e\.g\. 0\.01\)"),
    ("bench-workers-zero", {"b.toml": BENCH}, ["benchmark", "b.toml", "--workers", "0"], 2,
     r"--workers 0 is not valid: give a number of worker processes >= 1 \(or leave it out for "
     r"one per core\)"),
    ("bench-output-is-a-file", {"b.toml": BENCH, "o": "x"}, ["benchmark", "b.toml", "-o", "o"],
     2, r"benchmark output folder o/runs cannot be written to \((file exists|not a directory)\); "
        r"give a folder you can write to \(-o/--output, or output_dir\)"),
    ("bench-scheduler-not-an-address", {"b.toml": BENCH},
     ["benchmark", "b.toml", "--scheduler", "garbage"], 2,
     r"--scheduler 'garbage' is not a scheduler address; give one such as tcp://HOST:8786 or "
     r"leave --scheduler out for a LocalCluster"),
    # -- other commands ----------------------------------------------------------------
    ("namelist-write-defaults-unwritable", {}, ["namelist", "--write-defaults", "/proc/x.nml"],
     2, r"--write-defaults /proc/x\.nml cannot be written \(no such file or directory\); give a "
        r"file path in a folder you can write to"),
    ("sites-show-unknown", {}, ["sites", "--show", "XX-Nope"], 2,
     r"site 'XX-Nope' is not registered; registered sites: .*"),
]


@pytest.mark.parametrize("name, files, argv, code, message", CLI_CASES,
                         ids=[c[0] for c in CLI_CASES])
def test_cli_hostile(name, files, argv, code, message, made, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    subst = {"{made}": str(made["dir"]), "{h0}": str(made["h0"]),
             "{restart}": str(made["restart"])}

    def fill(text):
        for k, v in subst.items():
            text = text.replace(k, v)
        return text

    _write(tmp_path, {k: fill(v) if isinstance(v, str) else v for k, v in files.items()})
    before = set(tmp_path.rglob("*"))
    # refused before any long computation: the time loop is never entered
    import hrclm.model
    entered = []
    real = hrclm.model.integrate
    monkeypatch.setattr(hrclm.model, "integrate",
                        lambda *a, **k: entered.append(1) or real(*a, **k))
    got, err = _cli([fill(a) for a in argv], capsys)
    assert got == code and re.fullmatch("hrclm: " + message, err), err
    if code == 2:
        assert not entered, "the run started before the input was refused"
    new = {p for p in set(tmp_path.rglob("*")) - before if p.is_file()}
    assert not [p for p in new if p.suffix == ".nc"], new      # no run file written


# -- site files and environment variables -------------------------------------------------
def _site(**changes):
    text = SITE_TOML
    for old, new in changes.items():
        text = re.sub(old, new, text, count=1, flags=re.M)
    return text


SITE_CASES = [
    ("site-not-toml", "id = \n", r"site file {f} is not valid TOML \(.*\); fix it there or "
     r"start from a packaged one \(hrclm sites --show US-SRM prints it\)"),
    ("site-lacks-keys", 'id = "US-X"\nname = "x"\n', r"site file {f} lacks latitude, longitude, "
     r"elevation, utc_offset, igbp, canopy_height, measurement_height, pft, soil, lai, sources"),
    ("site-lai-11-months", {r"^lai\s*=\s*\[[^\]]*\]": "lai = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"},
     r"site file {f}: lai must have 12 monthly values"),
    ("site-pft-unknown", {r"^index\s*=\s*\d+": "index = 99"},
     r"site file {f}: \[\[pft\]\] 1 index = 99 is not a CLM4\.5 PFT; use one of 1-16 "
     r"\(hrclm/data/pft_clm45\.csv\)"),
    ("site-soil-without-sand", {r"sand\s*=\s*[\d.]+,?": ""},
     r"site file {f}: \[\[soil\]\] 1 lacks a number for sand; each \[\[soil\]\] needs top, "
     r"bottom \(m\), sand and clay \(%\)"),
    ("site-soil-sand-clay-over-100", {r"sand\s*=\s*[\d.]+": "sand = 90", r"clay\s*=\s*[\d.]+":
                                      "clay = 20"},
     r"site file {f}: soil horizon .* has sand \+ clay outside 0-100 %"),
    ("site-latitude-string", {r"^latitude\s*=.*$": 'latitude = "north"'},
     r"site file {f} has a value of the wrong type \(.*\); numbers must be numbers, not "
     r"strings"),
]


@pytest.mark.parametrize("name, content, message", SITE_CASES, ids=[c[0] for c in SITE_CASES])
def test_site_file_hostile(name, content, message, made, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "sites"
    folder.mkdir()
    f = folder / "bad.toml"
    f.write_text(_site(**content) if isinstance(content, dict) else content)
    monkeypatch.setenv("HRCLM_SITE_PATH", str(folder))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.nml").write_text(TINY)
    got, err = _cli(["run", "tiny.nml"], capsys)
    assert got == 2 and re.fullmatch("hrclm: " + message.replace("{f}", re.escape(str(f))),
                                     err), err
    assert not (tmp_path / "hrclm_output").exists()


ENV_CASES = [
    ("threads-word", {"HRCLM_NUM_THREADS": "two"},
     r"HRCLM_NUM_THREADS = 'two' is not valid: give a whole number >= 1 \(or unset it to use "
     r"every core\)"),
    ("threads-zero", {"HRCLM_NUM_THREADS": "0"},
     r"HRCLM_NUM_THREADS = '0' is not valid: give a whole number >= 1 \(or unset it to use "
     r"every core\)"),
    ("threads-negative", {"HRCLM_NUM_THREADS": "-4"},
     r"HRCLM_NUM_THREADS = '-4' is not valid: give a whole number >= 1 \(or unset it to use "
     r"every core\)"),
    ("site-path-not-a-folder", {"HRCLM_SITE_PATH": "/no/such/folder"},
     r"HRCLM_SITE_PATH names '/no/such/folder', which is not a folder; set it to folders "
     r"holding site TOML files, separated by ':'"),
]


@pytest.mark.parametrize("name, env, message", ENV_CASES, ids=[c[0] for c in ENV_CASES])
def test_environment_hostile(name, env, message, tmp_path, monkeypatch, capsys):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.chdir(tmp_path)
    # an ensemble of 2 columns, so that the thread count is asked for
    (tmp_path / "e.nml").write_text(TINY + "&hydraulic_redistribution\n hr_crt = 0.1, 0.2\n/\n")
    got, err = _cli(["run", "e.nml"], capsys)
    assert got == 2 and re.fullmatch("hrclm: " + message, err), err


# -- the Python API -----------------------------------------------------------------------
def _api(name):
    return {
        "run-int-config": lambda: hrclm.run(5),
        "run-list-config": lambda: hrclm.run(["hr_on.nml"]),
        "run-forcing-not-dataset": lambda: hrclm.run(hrclm.load_config(ndays=1, spinup=False),
                                                     forcing={"TBOT": 1}),
        "run-output-dir-int": lambda: hrclm.run(hrclm.load_config(ndays=1, spinup=False),
                                                output_dir=5),
        "run-state-wrong-type": lambda: hrclm.run(hrclm.load_config(ndays=1, spinup=False),
                                                  state="warm"),
        "load-config-int-path": lambda: hrclm.load_config(5),
        "load-config-wrong-type": lambda: hrclm.load_config(ndays="x"),
        "load-config-unknown": lambda: hrclm.load_config(ndayz=1),
        "replace-dtime": lambda: hrclm.load_config().replace(dtime=1700.0),
        "conductance-nan": lambda: hrclm.hr_conductance([-1.0, np.nan]),
        "conductance-positive": lambda: hrclm.hr_conductance([[-1.0, 5.0]]),
        "conductance-psi50-positive": lambda: hrclm.hr_conductance(-1.0, psi50=1.0),
        "conductance-b-zero": lambda: hrclm.hr_conductance(-1.0, b=0.0),
        "flux-shape": lambda: hrclm.hr_flux([-1.0, -2.0], [0.5, 0.3, 0.2], 100.0),
        "flux-psi-0d": lambda: hrclm.hr_flux(-1.0, 1.0, 100.0),
        "night-rule": lambda: hrclm.hr_night_switch(0.0, 0.0, rule="moon"),
    }[name]


API_CASES = [
    ("run-int-config", r"config is a int; give a Config \(hrclm\.load_config\(\.\.\.\)\), a "
     r"namelist path or None for the defaults"),
    ("run-list-config", r"config is a list; give a Config \(hrclm\.load_config\(\.\.\.\)\), a "
     r"namelist path or None for the defaults"),
    ("run-forcing-not-dataset", r"forcing is a dict; give an xarray Dataset in the hrclm layout "
     r"\(from an hrclm reader\) or None for the configuration's source"),
    ("run-output-dir-int", r"output_dir is a int; give a folder path \(str or Path\) or None "
     r"to keep the history in memory"),
    ("run-state-wrong-type", r"state is a str; give a ModelState \(the state returned by "
     r"hrclm\.run_with_state or read_restart\) or None"),
    ("load-config-int-path", r"namelist 5 is a int; give namelist file paths \(str or Path\), "
     r"e\.g\. load_config\('US-SRM\.nml', 'hr_on\.nml'\)"),
    ("load-config-wrong-type", r"namelist: &hrclm_inparm ndays = 'x' is not valid: expected an "
     r"integer in \[0, 182500\]"),
    ("load-config-unknown", r"namelist: has no option 'ndayz'; did you mean ndays\?"),
    ("replace-dtime", r"namelist: &hrclm_inparm dtime = 1700\.0 is not valid: the time step must "
     r"divide one day \(86400 s\) evenly, e\.g\. 900, 1800 or 3600 s"),
    ("conductance-nan", r"psi = nan at index \(1,\) is not valid: give a finite value <= 0 mm"),
    ("conductance-positive", r"psi = 5\.0 at index \(0, 1\) is not valid: give a finite value "
     r"<= 0 mm"),
    ("conductance-psi50-positive", r"psi50 = 1\.0 is not valid: give a finite value < 0 mm"),
    ("conductance-b-zero", r"b = 0\.0 is not valid: give a finite value > 0"),
    ("flux-shape", r"rootfr has shape \(1, 3\), which does not match psi's \(ncol, nlev\) = "
     r"\(1, 2\)"),
    ("flux-psi-0d", r"psi has shape \(\); give \(nlev,\) for one column or \(ncol, nlev\) for "
     r"several"),
    ("night-rule", r"night_rule = 'moon' is not valid; use one of 'transpiration', 'shortwave', "
     r"'both'"),
]


@pytest.mark.parametrize("name, message", API_CASES, ids=[c[0] for c in API_CASES])
def test_api_hostile(name, message):
    with pytest.raises(InputError) as err:
        _api(name)()
    assert re.fullmatch(message, str(err.value)), str(err.value)


def test_flux_nan_psi_names_the_layer():
    with pytest.raises(InputError) as err:
        hrclm.hr_flux([-1.0, np.nan], [0.5, 0.5], 100.0)
    assert "psi" in str(err.value) and "\n" not in str(err.value)


# -- warnings that are not errors -------------------------------------------------------------
def test_compare_with_observations_outside_the_run_warns(made, tmp_path, capsys):
    code = main(["compare", str(made["h0"]), "--obs", str(made["dir"] / "obs_nan.nc"), "-o",
                 str(tmp_path / "c")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 0
    assert [e for e in err if e.startswith("hrclm: warning:")] == [
        f"hrclm: warning: --obs {made['dir'] / 'obs_nan.nc'} has no values that overlap the "
        "model output (2010-01-01 00:00:00 to 2010-01-02 23:30:00, UTC); the metrics table "
        "holds no scores"]


# -- the scheduler that never answers, and reruns after a config change ------------------------
def test_scheduler_that_accepts_but_never_answers(tmp_path, monkeypatch, capsys):
    import socket
    import hrclm.benchmark as bm
    monkeypatch.setattr(bm, "SCHEDULER_TIMEOUT", 2)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b.toml").write_text(BENCH)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(5)
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
        got, err = _cli(["benchmark", "b.toml", "--scheduler", address], capsys)
    assert got == 2 and err == (f"hrclm: --scheduler {address} did not answer as a dask "
                                "scheduler within 2 s (no answer); give the address of a "
                                "running scheduler (tcp://HOST:8786) or leave --scheduler out "
                                "for a LocalCluster")


def test_benchmark_rerun_recognises_runs_by_configuration(tmp_path):
    from hrclm.benchmark import load_benchmark, run_case
    (tmp_path / "b.toml").write_text(BENCH)
    bench = load_benchmark(tmp_path / "b.toml")
    job, spec = bench.sites[0], bench.cases["hr_off"]
    path, _, skipped = run_case(job, "hr_off", spec, tmp_path)
    assert not skipped
    assert run_case(job, "hr_off", spec, tmp_path)[2]                 # same config: skipped
    job.overrides = dict(job.overrides, ndays=3)                       # config changed: rerun
    path, _, skipped = run_case(job, "hr_off", spec, tmp_path)
    assert not skipped
    with xr.open_dataset(path) as ds:
        assert ds.time.size == 3 * 48


def test_debug_shows_the_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"^namelist file nope\.nml does not exist$"):
        main(["--debug", "run", "nope.nml"])
