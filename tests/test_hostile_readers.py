"""Hostile input for every reader (issue 16): corrupt files (cut at any byte,
flipped bytes, shuffled or dropped columns, junk rows, wrong dates) give either
a clear InputError (the command line: exit 2, one 'hrclm: ' line) or a result
that equals the clean file's where the data are intact, with every repair
counted, never another exception or a value outside the physical range."""

import contextlib
import io
import random
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import hrclm
from hrclm.cli import main
from hrclm.io import read_ameriflux, read_plumber2_flux, read_plumber2_met, read_uscrn

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

# physical range of every forcing variable (hrclm units)
PHYSICAL = {"Tair": (190.0, 335.0), "Qair": (0.0, 0.06), "Psurf": (30000.0, 110000.0),
            "Wind": (0.0, 75.0), "SWdown": (0.0, 1500.0), "LWdown": (50.0, 750.0),
            "Rainf": (0.0, 0.5), "CO2air": (150.0, 1200.0)}


def assert_physical(forcing):
    for v, (lo, hi) in PHYSICAL.items():
        x = forcing[v].values
        assert np.all(np.isfinite(x)), v
        assert x.min() >= lo and x.max() <= hi, (v, x.min(), x.max())


@contextlib.contextmanager
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def read_or_error(reader, *args, **kwargs):
    """The reader's result, or None if it raised InputError (any other
    exception fails the test)."""
    try:
        with quiet():
            return reader(*args, **kwargs)
    except hrclm.InputError as err:
        message = str(err)
        assert "\n" not in message and message.strip() == message and message
        return None


def run_cli(argv):
    """(exit status, stdout, stderr) of hrclm.cli.main."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def assert_cli_clean(status, err):
    assert status in (0, 2)
    lines = err.splitlines()
    assert "Traceback" not in err
    assert all(line.startswith("hrclm: ") for line in lines), err
    if status == 2:
        assert len(lines) >= 1 and not lines[-1].startswith("hrclm: warning:"), err
        assert sum(not line.startswith("hrclm: warning:") for line in lines) == 1, err


# --------------------------------------------------------------------------
# AmeriFlux BASE

BASE_HEADER = "TIMESTAMP_START,TIMESTAMP_END,TA,RH,SW_IN,LW_IN,P,PA,WS,CO2,LE,SWC_1_1_1"
DEPTHS = {"SWC_1_1_1": 0.05}
COLUMN_OF = {"Tair": ["TA"], "Qair": ["TA", "RH", "PA"], "Psurf": ["PA"], "Wind": ["WS"],
             "SWdown": ["SW_IN"], "LWdown": ["LW_IN"], "Rainf": ["P"], "CO2air": ["CO2"]}


def base_text(n=48):
    t0 = pd.Timestamp("2020-06-01")
    lines = ["# Site: US-XXX", "# Version: 1-5", BASE_HEADER]
    for i in range(n):
        a = (t0 + pd.Timedelta(minutes=30 * i)).strftime("%Y%m%d%H%M")
        b = (t0 + pd.Timedelta(minutes=30 * (i + 1))).strftime("%Y%m%d%H%M")
        hour = (i % 48) / 2
        sw = max(0.0, 800 * np.sin(np.pi * (hour - 6) / 12))
        lines.append(f"{a},{b},{20 + 5 * np.sin(i / 8):.2f},{40 + i % 7},{sw:.1f},"
                     f"{330 + i % 5},{0.2 * (i % 9 == 0):.1f},{87 + 0.01 * i:.2f},{2 + i % 3},"
                     f"{-9999 if i % 11 == 0 else 400 + i % 4},{sw / 4:.1f},{15 - 0.01 * i:.2f}")
    return "\n".join(lines) + "\n"


BASE_TEXT = base_text()


def write_base(tmp_path, text, name="AMF_US-XXX_BASE_HH_1-5.csv"):
    path = Path(tmp_path) / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def read_base(path, **kw):
    return read_ameriflux(path, utc_offset=-7, swc_depths=DEPTHS, **kw)


@pytest.fixture(scope="module")
def clean_base(tmp_path_factory):
    path = write_base(tmp_path_factory.mktemp("clean"), BASE_TEXT)
    with quiet():
        return read_base(path)


def line_of_byte(data, positions):
    """0-based line numbers of the bytes at positions."""
    return {data.count(b"\n", 0, p) for p in positions}


def assert_base_matches(forcing, obs, clean, bad_lines=(), header_touched=False):
    """forcing/obs equal the clean ones at every time whose data line is intact."""
    cf, co = clean
    assert_physical(forcing)
    times = pd.DatetimeIndex(forcing.time.values)
    assert times.isin(pd.DatetimeIndex(cf.time.values)).all()
    # data row j of the clean file is on line j + 3 (0-based)
    clean_times = pd.DatetimeIndex(cf.time.values)
    bad_times = {clean_times[j - 3] for j in bad_lines if 3 <= j < 3 + clean_times.size}
    keep = ~times.isin(list(bad_times))
    sel = times[keep]
    for v, cols in COLUMN_OF.items():
        if header_touched and any(forcing.attrs.get(f"column_{c}") != cf.attrs.get(f"column_{c}")
                                  for c in cols):
            continue
        if v == "CO2air" and (bad_times or forcing.time.size != cf.time.size):
            continue    # gap filling of the -9999 CO2 values uses the neighbours
        np.testing.assert_allclose(forcing[v].sel(time=sel), cf[v].sel(time=sel), rtol=1e-12,
                                   err_msg=v)
    if "SWC" in obs and "SWC" in co:
        np.testing.assert_allclose(obs.SWC.sel(time=sel), co.SWC.sel(time=sel))


@SETTINGS
@given(cut=st.integers(0, len(BASE_TEXT) - 1))
def test_base_cut_anywhere(tmp_path, clean_base, cut):
    path = write_base(tmp_path, BASE_TEXT[:cut])
    result = read_or_error(read_base, path)
    if result is None:
        return
    forcing, obs = result
    assert forcing.attrs["dropped_cut_rows"] == (0 if BASE_TEXT[:cut].endswith("\n") else 1)
    n = forcing.time.size
    cf = clean_base[0]
    assert_physical(forcing)
    for v in COLUMN_OF:
        if v == "CO2air":      # the filled gaps depend on what follows
            good = ~np.isnan(pd.read_csv(io.StringIO(BASE_TEXT), skiprows=2)
                             .CO2.replace(-9999, np.nan).values[:n])
            np.testing.assert_allclose(forcing[v].values[good], cf[v].values[:n][good])
        else:
            np.testing.assert_allclose(forcing[v].values, cf[v].values[:n], err_msg=v)


@SETTINGS
@given(flips=st.lists(st.tuples(st.integers(0, len(BASE_TEXT) - 1), st.integers(0, 255)),
                      min_size=1, max_size=3))
def test_base_flipped_bytes(tmp_path, clean_base, flips):
    data = bytearray(BASE_TEXT.encode())
    for pos, byte in flips:
        data[pos] = byte
    assume(bytes(data) != BASE_TEXT.encode())
    path = write_base(tmp_path, bytes(data))
    result = read_or_error(read_base, path)
    if result is None:
        return
    touched = line_of_byte(BASE_TEXT.encode(), [p for p, _ in flips])
    # a changed line break merges lines: both are touched
    touched |= {k + 1 for k in touched}
    assert_base_matches(*result, clean_base, bad_lines=touched,
                        header_touched=bool(touched & {0, 1, 2}))


@SETTINGS
@given(order=st.permutations(list(range(12))), drop=st.sets(st.integers(2, 11), max_size=2),
       duplicate=st.sampled_from([None, 2, 5, 11]))
def test_base_columns_shuffled_dropped_duplicated(tmp_path, clean_base, order, drop, duplicate):
    lines = BASE_TEXT.splitlines()
    table = [line.split(",") for line in lines[2:]]
    cols = [c for c in order if c not in drop] + ([duplicate] if duplicate is not None else [])
    text = "\n".join(lines[:2] + [",".join(row[c] for c in cols) for row in table]) + "\n"
    path = write_base(tmp_path, text)
    result = read_or_error(read_base, path)
    if duplicate is not None and duplicate not in drop:
        assert result is None          # a column twice in the header is refused
    if result is None:
        return
    assert_base_matches(*result, clean_base, header_touched=True)
    if not drop:
        for v in COLUMN_OF:
            np.testing.assert_array_equal(result[0][v], clean_base[0][v])


@SETTINGS
@given(where=st.integers(3, 3 + 48), junk=st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e"
                  "\x85\u2028\u2029"), max_size=60))
def test_base_junk_row(tmp_path, clean_base, where, junk):
    lines = BASE_TEXT.splitlines()
    text = "\n".join(lines[:where] + [junk] + lines[where:]) + "\n"
    result = read_or_error(read_base, write_base(tmp_path, text))
    if junk.strip():
        assert result is None
    else:
        assert result is not None
        assert_base_matches(*result, clean_base)


@SETTINGS
@given(row=st.integers(0, 47), stamp=st.one_of(st.text(max_size=14).filter(
    lambda s: "," not in s and "\n" not in s and "\r" not in s),
    st.datetimes(min_value=pd.Timestamp("1990-01-01").to_pydatetime(),
                 max_value=pd.Timestamp("2030-01-01").to_pydatetime())
    .map(lambda d: d.strftime("%Y%m%d%H%M"))), column=st.sampled_from([0, 1]))
def test_base_wrong_dates(tmp_path, clean_base, row, stamp, column):
    lines = BASE_TEXT.splitlines()
    fields = lines[3 + row].split(",")
    assume(fields[column] != stamp.strip())
    fields[column] = stamp
    lines[3 + row] = ",".join(fields)
    result = read_or_error(read_base, write_base(tmp_path, "\n".join(lines) + "\n"))
    assert result is None


def base_zip(tmp_path):
    csv = write_base(tmp_path, BASE_TEXT)
    z = Path(tmp_path) / "AMF_US-XXX_BASE-BADM_1-5.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.write(csv, csv.name)
    csv.unlink()
    return z


@SETTINGS
@given(cut=st.integers(0, 10**6), flips=st.lists(st.tuples(st.integers(0, 10**6),
                                                           st.integers(0, 255)), max_size=3))
def test_base_zip_cut_or_flipped(tmp_path, clean_base, cut, flips):
    z = base_zip(tmp_path)
    data = bytearray(z.read_bytes())
    for pos, byte in flips:
        data[pos % len(data)] = byte
    if cut % 3 == 0:
        data = data[:cut % len(data)]
    z.write_bytes(bytes(data))
    result = read_or_error(read_base, z)
    if result is not None:
        for v in COLUMN_OF:
            np.testing.assert_array_equal(result[0][v], clean_base[0][v])


@SETTINGS
@given(cut=st.integers(0, len(BASE_TEXT) - 1), flips=st.lists(st.tuples(
    st.integers(0, len(BASE_TEXT) - 1), st.integers(0, 255)), max_size=2))
def test_convert_cli_on_corrupt_base(tmp_path, cut, flips):
    data = bytearray(BASE_TEXT.encode())
    for pos, byte in flips:
        data[pos] = byte
    path = write_base(tmp_path, bytes(data[:cut]))
    heights = Path(tmp_path) / "heights.csv"
    heights.write_text("Site_ID,Variable,Height\nUS-XXX,SWC_1_1_1,-0.05\n")
    status, out, err = run_cli(["convert", str(path), "--utc-offset", "-7", "--heights",
                                str(heights), "--forcing-out", str(Path(tmp_path) / "f.nc"),
                                "--obs-out", str(Path(tmp_path) / "o.nc")])
    assert_cli_clean(status, err)
    if status == 0:
        with xr.open_dataset(Path(tmp_path) / "f.nc") as f:
            assert_physical(f)


# explicit cases of the bugs of issue 16 ---------------------------------------

def test_base_cut_mid_number_drops_the_row_and_says_so(tmp_path, clean_base):
    """Issue 16: a CSV cut mid-row turned the last '-9999' into CO2 = -9 ppm
    for every step (the whole column is a gap-filled mean of -9)."""
    lines = BASE_TEXT.splitlines()
    last = lines[-1].split(",")
    last[9] = "-9999"
    lines[-1] = ",".join(last)
    text = "\n".join(lines)
    cut = text[:text.rindex("-9999") + 2]                      # ends in ",-9"
    path = write_base(tmp_path, cut)
    with pytest.warns(UserWarning, match=r"AMF_US-XXX_BASE_HH_1-5.csv ends inside line "
                      r"51 \(no line break\), so that record may be cut short; it was dropped "
                      r"\(attribute dropped_cut_rows\)$"):
        forcing, _ = read_base(path)
    assert forcing.time.size == 47 and forcing.attrs["dropped_cut_rows"] == 1
    assert forcing.CO2air.values.min() >= 400.0
    # on the command line: the warning on stderr, the count in the file
    status, out, err = run_cli(["convert", str(path), "--utc-offset", "-7", "--heights",
                                str(write_heights(tmp_path)),
                                "--forcing-out", str(tmp_path / "f.nc"),
                                "--obs-out", str(tmp_path / "o.nc")])
    assert status == 0
    assert err.startswith("hrclm: warning: ") and "it was dropped" in err
    assert "repairs (counted in the file attributes): dropped_cut_rows = 1" in out
    with xr.open_dataset(tmp_path / "f.nc") as f:
        assert f.attrs["dropped_cut_rows"] == 1


def test_base_short_line_in_the_middle_is_refused(tmp_path):
    lines = BASE_TEXT.splitlines()
    lines[10] = lines[10].rsplit(",", 3)[0]
    path = write_base(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(hrclm.InputError, match=r"AMF_US-XXX_BASE_HH_1-5.csv: line 11 has 9 "
                       r"fields but the header has 12; every data line needs one value \(or "
                       r"-9999\) per column$"):
        read_base(path)


def replace_field(text, row, column, value):
    lines = text.splitlines()
    fields = lines[3 + row].split(",")
    fields[column] = value
    lines[3 + row] = ",".join(fields)
    return "\n".join(lines) + "\n"


def test_base_negative_precipitation_is_refused(tmp_path):
    path = write_base(tmp_path, replace_field(BASE_TEXT, 4, 6, "-0.5"))
    with pytest.raises(hrclm.InputError, match=r"AMF_US-XXX_BASE_HH_1-5.csv line 8 "
                       r"\(TIMESTAMP_START 202006010200\): P = -0.5 mm per record is outside the "
                       r"valid range 0 to 500 mm per record$"):
        read_base(path)


def test_base_rh_of_250_percent_is_refused(tmp_path):
    path = write_base(tmp_path, replace_field(BASE_TEXT, 0, 3, "250"))
    with pytest.raises(hrclm.InputError, match=r"AMF_US-XXX_BASE_HH_1-5.csv line 4 "
                       r"\(TIMESTAMP_START 202006010000\): RH = 250 % is outside the valid range "
                       r"0 to 110 %$"):
        read_base(path)


def test_base_rh_overshoot_and_negative_sw_are_repaired_and_counted(tmp_path, clean_base):
    text = replace_field(replace_field(BASE_TEXT, 0, 3, "101.5"), 1, 3, "100.2")
    text = replace_field(text, 2, 4, "-3.1")
    path = write_base(tmp_path, text)
    with pytest.warns(UserWarning) as record:
        forcing, _ = read_base(path)
    messages = [str(w.message) for w in record]
    assert ("AMF_US-XXX_BASE_HH_1-5.csv: 2 RH values of 100 to 110 % (sensor overshoot) set to "
            "100 (attribute repaired_RH_above_100)") in messages[0]
    assert ("1 SW_IN values of -50 to 0 W m-2 (night-time offset) set to 0 (attribute "
            "repaired_SW_IN_negative)") in messages[1]
    assert forcing.attrs["repaired_RH_above_100"] == 2
    assert forcing.attrs["repaired_SW_IN_negative"] == 1
    assert clean_base[0].attrs["repaired_RH_above_100"] == 0
    assert float(forcing.SWdown[2]) == 0.0


def test_base_text_in_a_number_is_refused(tmp_path):
    path = write_base(tmp_path, replace_field(BASE_TEXT, 5, 2, "2x.5"))
    with pytest.raises(hrclm.InputError, match=r"AMF_US-XXX_BASE_HH_1-5.csv: column TA in line 9 "
                       r"\(TIMESTAMP_START 202006010230\) holds '2x.5', which is not a number; "
                       r"give a number or -9999 for missing$"):
        read_base(path)


def test_base_malformed_timestamp_is_refused(tmp_path):
    path = write_base(tmp_path, replace_field(BASE_TEXT, 5, 0, "2020060102X0"))
    with pytest.raises(hrclm.InputError, match=r"TIMESTAMP_START '2020060102X0' in line 9 \(data "
                       r"row 6\) is not a date and time YYYYMMDDHHMM$"):
        read_base(path)
    path = write_base(tmp_path, replace_field(BASE_TEXT, 5, 1, "202006010330"))
    with pytest.raises(hrclm.InputError, match=r"TIMESTAMP_END 202006010330 in line 9 is not 30 "
                       r"min after TIMESTAMP_START 202006010230$"):
        read_base(path)


def test_base_duplicate_column_is_refused(tmp_path):
    text = BASE_TEXT.replace(",WS,", ",TA,", 1)
    with pytest.raises(hrclm.InputError, match=r"column TA appears twice in the header \(line 3\); "
                       r"each variable may appear once$"):
        read_base(write_base(tmp_path, text))


def test_text_file_named_zip(tmp_path):
    z = tmp_path / "AMF_US-XXX_BASE-BADM_1-5.zip"
    z.write_text(BASE_TEXT)
    with pytest.raises(hrclm.InputError, match=r"AMF_US-XXX_BASE-BADM_1-5.zip is not a zip archive "
                       r"or is damaged \(File is not a zip file\); give the AmeriFlux/FLUXNET zip "
                       r"as downloaded or the CSV file inside it$"):
        read_base(z)
    status, out, err = run_cli(["convert", str(z), "--utc-offset", "-7",
                                "--forcing-out", str(tmp_path / "f.nc")])
    assert status == 2 and err.count("\n") == 1 and err.startswith("hrclm: ")
    assert "is not a zip archive" in err


def write_heights(tmp_path):
    h = Path(tmp_path) / "heights.csv"
    h.write_text("Site_ID,Variable,Height\nUS-XXX,SWC_1_1_1,-0.05\n")
    return h


def test_missing_or_bad_heights_file(tmp_path):
    path = write_base(tmp_path, BASE_TEXT)
    missing = tmp_path / "nope.csv"
    status, out, err = run_cli(["convert", str(path), "--utc-offset", "-7", "--heights",
                                str(missing), "--forcing-out", str(tmp_path / "f.nc")])
    assert status == 2
    assert err == (f"hrclm: --heights {missing} does not exist; give the AmeriFlux "
                   "measurement-height table (BASE_MeasurementHeight_<date>.csv)\n")
    with pytest.raises(hrclm.InputError, match=r"the measurement-height table .*nope.csv does not "
                       r"exist; give the AmeriFlux BASE_MeasurementHeight_<date>.csv file$"):
        read_ameriflux(path, utc_offset=-7, heights=missing)
    bad = tmp_path / "bad_heights.csv"
    bad.write_text("Site,Var,H\nUS-XXX,SWC_1_1_1,-0.05\n")
    with pytest.raises(hrclm.InputError, match=r"lacks the column\(s\) Site_ID, Variable, Height; "
                       r"it needs Site_ID, Variable and Height \(m\)$"):
        read_ameriflux(path, utc_offset=-7, heights=bad)
    bad.write_text("Site_ID,Variable,Height\nUS-XXX,SWC_1_1_1,deep\n")
    with pytest.raises(hrclm.InputError, match=r"Height 'deep' of US-XXX SWC_1_1_1 \(line 2\) is "
                       r"not a depth; soil moisture heights are numbers from -20 to 0 m$"):
        read_ameriflux(path, utc_offset=-7, heights=bad)


# --------------------------------------------------------------------------
# USCRN hourly02

def uscrn_text(n=48, wban="03048"):
    t0 = pd.Timestamp("2020-06-01 01:00")
    lines = []
    for i in range(n):
        end = t0 + pd.Timedelta(hours=i)
        lst = end - pd.Timedelta(hours=7)
        hour = (lst.hour - 0.5) % 24
        sw = max(0.0, 900 * np.sin(np.pi * (hour - 6) / 12))
        ta = 25 + 6 * np.sin(np.pi * (hour - 9) / 12)
        f = [wban, end.strftime("%Y%m%d"), end.strftime("%H%M"), lst.strftime("%Y%m%d"),
             lst.strftime("%H%M"), "2.622", "-106.89", "34.36", f"{ta:.1f}", f"{ta:.1f}",
             f"{ta + 1:.1f}", f"{ta - 1:.1f}", f"{0.4 * (i % 13 == 0):.1f}", f"{sw:.0f}", "0",
             f"{sw + 20:.0f}", "0", f"{max(sw - 20, 0):.0f}", "0", "C", f"{ta + 3:.1f}", "0",
             f"{ta + 4:.1f}", "0", f"{ta + 2:.1f}", "0", f"{20 + i % 9}", "0",
             f"{0.12 - 0.0005 * i:.3f}", "0.135", "0.135", "0.060", "0.059",
             f"{ta - 2:.1f}", "24.1", "22.9", "20.7", "18.2"]
        assert len(f) == 38
        lines.append(" ".join(f"{x:>7}" for x in f))
    return "\n".join(lines) + "\n"


USCRN_TEXT = uscrn_text()
USCRN_NAME = "CRNH0203-2020-NM_Test.txt"


def write_uscrn(tmp_path, data, name=USCRN_NAME):
    path = Path(tmp_path) / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def read_crn(path):
    return read_uscrn(path, elevation=1500.0)


@pytest.fixture(scope="module")
def clean_uscrn(tmp_path_factory):
    with quiet():
        return read_crn(write_uscrn(tmp_path_factory.mktemp("crn"), USCRN_TEXT))


def assert_uscrn_matches(result, clean, bad_lines=()):
    forcing, obs = result
    cf, co = clean
    assert_physical(forcing)
    times = pd.DatetimeIndex(forcing.time.values)
    clean_times = pd.DatetimeIndex(cf.time.values)
    assert times.isin(clean_times).all()
    bad_times = [clean_times[j] for j in bad_lines if j < clean_times.size]
    sel = times[~times.isin(bad_times)]
    for v in ("Tair", "Qair", "Psurf", "Wind", "SWdown", "Rainf", "CO2air"):
        np.testing.assert_allclose(forcing[v].sel(time=sel), cf[v].sel(time=sel), err_msg=v)
    if not bad_lines and times.size == clean_times.size:
        np.testing.assert_allclose(forcing.LWdown, cf.LWdown)
    np.testing.assert_allclose(obs.SWC.sel(time=sel), co.SWC.sel(time=sel))


@SETTINGS
@given(cut=st.integers(0, len(USCRN_TEXT) - 1))
def test_uscrn_cut_anywhere(tmp_path, clean_uscrn, cut):
    result = read_or_error(read_crn, write_uscrn(tmp_path, USCRN_TEXT[:cut]))
    if result is None:
        return
    assert result[0].attrs["dropped_cut_rows"] == (0 if USCRN_TEXT[:cut].endswith("\n") else 1)
    assert_uscrn_matches(result, clean_uscrn)


@SETTINGS
@given(flips=st.lists(st.tuples(st.integers(0, len(USCRN_TEXT) - 1), st.integers(0, 255)),
                      min_size=1, max_size=3))
def test_uscrn_flipped_bytes(tmp_path, clean_uscrn, flips):
    data = bytearray(USCRN_TEXT.encode())
    for pos, byte in flips:
        data[pos] = byte
    result = read_or_error(read_crn, write_uscrn(tmp_path, bytes(data)))
    if result is None:
        return
    touched = line_of_byte(USCRN_TEXT.encode(), [p for p, _ in flips])
    touched |= {k + 1 for k in touched}
    assert_uscrn_matches(result, clean_uscrn, bad_lines=touched)


@SETTINGS
@given(where=st.integers(0, 48), junk=st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e"
                  "\x85\u2028\u2029"), max_size=80))
def test_uscrn_junk_row(tmp_path, clean_uscrn, where, junk):
    lines = USCRN_TEXT.splitlines()
    text = "\n".join(lines[:where] + [junk] + lines[where:]) + "\n"
    result = read_or_error(read_crn, write_uscrn(tmp_path, text))
    if junk.strip():
        assert result is None
    else:
        assert_uscrn_matches(result, clean_uscrn)


@SETTINGS
@given(row=st.integers(0, 47), field=st.sampled_from([1, 2, 3, 4]),
       value=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1,
                     max_size=9))
def test_uscrn_wrong_dates(tmp_path, row, field, value):
    lines = USCRN_TEXT.splitlines()
    fields = lines[row].split()
    assume(fields[field] != value)
    fields[field] = value
    lines[row] = " ".join(fields)
    assert read_or_error(read_crn, write_uscrn(tmp_path, "\n".join(lines) + "\n")) is None


@SETTINGS
@given(cut=st.integers(0, len(USCRN_TEXT) - 1), flips=st.lists(st.tuples(
    st.integers(0, len(USCRN_TEXT) - 1), st.integers(0, 255)), max_size=2))
def test_convert_cli_on_corrupt_uscrn(tmp_path, cut, flips):
    data = bytearray(USCRN_TEXT.encode())
    for pos, byte in flips:
        data[pos] = byte
    folder = Path(tmp_path) / "crn"
    folder.mkdir(exist_ok=True)
    write_uscrn(folder, bytes(data[:cut]))
    status, out, err = run_cli(["convert", str(folder), "--elevation", "1500",
                                "--forcing-out", str(Path(tmp_path) / "f.nc"),
                                "--obs-out", str(Path(tmp_path) / "o.nc")])
    assert_cli_clean(status, err)


def test_uscrn_malformed_date_names_file_and_line(tmp_path):
    lines = USCRN_TEXT.splitlines()
    fields = lines[6].split()
    fields[1] = "2020-06-01"
    lines[6] = " ".join(fields)
    path = write_uscrn(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(hrclm.InputError, match=rf"USCRN file .*{USCRN_NAME} line 7: the UTC date "
                       r"and time '2020-06-01' '0700' \(fields 2-3\) are not YYYYMMDD HHMM$"):
        read_crn(path)
    status, out, err = run_cli(["convert", str(tmp_path), "--elevation", "1500",
                                "--forcing-out", str(tmp_path / "f.nc")])
    assert status == 2 and err.count("\n") == 1 and "line 7: the UTC date" in err


def test_uscrn_range_and_text_errors(tmp_path):
    def with_field(k, value, row=3):
        lines = USCRN_TEXT.splitlines()
        fields = lines[row].split()
        fields[k] = value
        lines[row] = " ".join(fields)
        return write_uscrn(tmp_path, "\n".join(lines) + "\n")

    with pytest.raises(hrclm.InputError, match=r"line 4 \(hour ending 2020-06-01 04:00:00 UTC\): "
                       r"P_CALC = -2 mm is outside the valid range 0 to 500 mm$"):
        read_crn(with_field(12, "-2.0"))
    with pytest.raises(hrclm.InputError, match=r"RH_HR_AVG = 250 % is outside the valid range 0 "
                       r"to 110 %$"):
        read_crn(with_field(26, "250"))
    with pytest.raises(hrclm.InputError, match=r"line 4: field 10 \(T_HR_AVG\) holds '2\?\.1', "
                       r"which is not a number; give a number or -9999.0 for missing$"):
        read_crn(with_field(9, "2?.1"))
    with pytest.warns(UserWarning, match=r"1 RH_HR_AVG values of 100 to 110 % \(sensor "
                      r"overshoot\) set to 100 \(attribute repaired_RH_above_100\)$"):
        forcing, _ = read_crn(with_field(26, "103"))
    assert forcing.attrs["repaired_RH_above_100"] == 1


def test_uscrn_cut_last_line(tmp_path, clean_uscrn):
    path = write_uscrn(tmp_path, USCRN_TEXT[:-40])
    with pytest.warns(UserWarning, match=r"ends inside line 48 \(no line break\), so that record "
                      r"may be cut short; it was dropped \(attribute dropped_cut_rows\)$"):
        forcing, _ = read_crn(path)
    assert forcing.time.size == 47 and forcing.attrs["dropped_cut_rows"] == 1


# --------------------------------------------------------------------------
# PLUMBER2 netCDF

def write_met(tmp_path, name="US-XXX_2010-2010_FLUXNET2015_Met.nc", **change):
    time = pd.date_range("2010-06-01", periods=48, freq="30min")
    dims = ("time", "y", "x")
    values = dict(Tair=295.0, Qair=0.006, Psurf=88000.0, Wind=2.5, SWdown=300.0, LWdown=340.0,
                  Rainf=0.0, CO2air=390.0)
    data = {}
    for v, x in values.items():
        a = np.full((48, 1, 1), x) + np.linspace(0, 1e-3 * x, 48)[:, None, None]
        if v in change:
            i, new = change[v]
            a[i] = new
        data[v] = (dims, a.astype("float32"))
    path = Path(tmp_path) / name
    xr.Dataset(data, coords={"time": time}, attrs={"site_code": "US-XXX"}).to_netcdf(path)
    return path


@pytest.fixture(scope="module")
def met_bytes(tmp_path_factory):
    path = write_met(tmp_path_factory.mktemp("met"))
    return path.read_bytes(), read_plumber2_met(path)


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cut=st.integers(0, 10**7), flips=st.lists(st.tuples(st.integers(0, 10**7),
                                                           st.integers(0, 255)), max_size=4))
def test_plumber2_met_cut_or_flipped(tmp_path, met_bytes, cut, flips):
    data = bytearray(met_bytes[0])
    for pos, byte in flips:
        data[pos % len(data)] = byte
    if cut % 2:
        data = data[:cut % len(data)]
    path = Path(tmp_path) / "US-XXX_Met.nc"
    path.write_bytes(bytes(data))
    forcing = read_or_error(read_plumber2_met, path)
    if forcing is not None:
        for v in PHYSICAL:
            x = forcing[v].values
            x = x[np.isfinite(x)]
            assert x.size == 0 or (x.min() >= min(PHYSICAL[v][0], 0) and x.max() <= PHYSICAL[v][1])
    status, out, err = run_cli(["convert", str(path), "--forcing-out",
                                str(Path(tmp_path) / "f.nc"), "--obs-out",
                                str(Path(tmp_path) / "o.nc")])
    assert_cli_clean(status, err)


def test_plumber2_out_of_range_and_not_netcdf(tmp_path):
    path = write_met(tmp_path, Rainf=(5, -1e-4))
    with pytest.raises(hrclm.InputError, match=r"US-XXX_2010-2010_FLUXNET2015_Met.nc time "
                       r"2010-06-01T02:30:00.000000000 \(index 5\): Rainf = -0.0001 kg m-2 s-1 is "
                       r"outside the valid range 0 to 0.5 kg m-2 s-1$"):
        read_plumber2_met(path)
    path = write_met(tmp_path, SWdown=(7, -2.0))
    with pytest.warns(UserWarning, match=r"1 SWdown values of -50 to 0 W m-2 set to 0 \(attribute "
                      r"repaired_SWdown_negative\)$"):
        forcing = read_plumber2_met(path)
    assert forcing.attrs["repaired_SWdown_negative"] == 1
    text = tmp_path / "US-XXX_Flux.nc"
    text.write_text("not a netCDF file\n")
    with pytest.raises(hrclm.InputError, match=r"US-XXX_Flux.nc could not be read as netCDF .*; "
                       r"give a PLUMBER2 Met or Flux netCDF file$"):
        read_plumber2_flux(text)
    status, out, err = run_cli(["convert", str(text), "--forcing-out", str(tmp_path / "f.nc")])
    assert status == 2 and err.count("\n") == 1 and "could not be read as netCDF" in err


def test_base_quote_or_nul_in_a_field_is_refused_not_joined(tmp_path):
    for bad, shown in (('"20.5', r"'\"20.5'"), ("2\x000.5", r"'2\\x000.5'")):
        path = write_base(tmp_path, replace_field(BASE_TEXT, 5, 2, bad))
        with pytest.raises(hrclm.InputError, match=r"column TA in line 9 \(TIMESTAMP_START "
                           rf"202006010230\) holds {shown}, which is not a number"):
            read_base(path)


def test_base_le_spike_is_rejected_and_counted(tmp_path):
    path = write_base(tmp_path, replace_field(BASE_TEXT, 5, 10, "4000"))
    with pytest.warns(UserWarning, match=r"1 LE values \(W m-2\) outside -500 to 1500 were "
                      r"rejected \(attribute rejected_LE_outside\)$"):
        _, obs = read_base(path)
    assert np.isnan(float(obs.LE[5])) and obs.attrs["rejected_LE_outside"] == 1


def test_uscrn_repeated_hour_names_both_lines(tmp_path):
    lines = USCRN_TEXT.splitlines()
    path = write_uscrn(tmp_path, "\n".join(lines[:5] + [lines[3]] + lines[5:]) + "\n")
    with pytest.raises(hrclm.InputError, match=r"USCRN files repeat the hour starting "
                       r"2020-06-01 03:00:00 UTC \(.*CRNH0203-2020-NM_Test.txt line 4 and "
                       r".*CRNH0203-2020-NM_Test.txt line 6\); give each year's file once$"):
        read_crn(path)


# --------------------------------------------------------------------------
# FLUXNET layout, PLUMBER2 flux files and the measurement-height table

FLX_HEADER = ("TIMESTAMP_START,TIMESTAMP_END,TA_F,TA_F_QC,SW_IN_F,LW_IN_F,VPD_F,PA_F,P_F,WS_F,"
              "CO2_F_MDS,LE_F_MDS,LE_F_MDS_QC,H_F_MDS,SWC_F_MDS_1")


def flx_text(n=24):
    t0 = pd.Timestamp("2004-07-01")
    lines = [FLX_HEADER]
    for i in range(n):
        a = (t0 + pd.Timedelta(hours=i)).strftime("%Y%m%d%H%M")
        b = (t0 + pd.Timedelta(hours=i + 1)).strftime("%Y%m%d%H%M")
        lines.append(f"{a},{b},{22 + i % 6},{i % 2},{max(0, 600 - 50 * abs(i - 12))},"
                     f"{350 + i % 4},{10 + i % 5},88.{i % 10},{0.5 * (i % 7 == 0)},{2 + i % 3},"
                     f"{380 + i % 3},{50 + i},{i % 3},{30 + i},{18 - 0.1 * i:.1f}")
    return "\n".join(lines) + "\n"


FLX_TEXT = flx_text()
FLX_NAME = "FLX_US-XXX_FLUXNET2015_FULLSET_HR_2004-2004_1-3.csv"


def read_flx(path):
    return read_ameriflux(path, utc_offset=-7, swc_depths={"SWC_F_MDS_1": 0.1})


@SETTINGS
@given(cut=st.integers(0, len(FLX_TEXT) - 1), flips=st.lists(st.tuples(
    st.integers(0, len(FLX_TEXT) - 1), st.integers(0, 255)), max_size=2))
def test_fluxnet_cut_or_flipped(tmp_path, cut, flips):
    with quiet():
        clean, _ = read_flx(write_base(tmp_path, FLX_TEXT, FLX_NAME))
    data = bytearray(FLX_TEXT.encode())
    for pos, byte in flips:
        data[pos] = byte
    result = read_or_error(read_flx, write_base(tmp_path, bytes(data[:cut]), FLX_NAME))
    if result is None:
        return
    forcing = result[0]
    assert_physical(forcing)
    touched = line_of_byte(FLX_TEXT.encode(), [p for p, _ in flips])
    touched |= {k + 1 for k in touched}
    if 0 in touched:
        return
    times = pd.DatetimeIndex(forcing.time.values)
    assert times.isin(pd.DatetimeIndex(clean.time.values)).all()
    good = [t for j, t in enumerate(pd.DatetimeIndex(clean.time.values))
            if j + 1 not in touched and t in times]
    for v in ("Tair", "Qair", "Psurf", "Wind", "SWdown", "LWdown", "Rainf", "CO2air"):
        np.testing.assert_allclose(forcing[v].sel(time=good), clean[v].sel(time=good), err_msg=v)


def test_byte_order_mark_is_read(tmp_path):
    forcing, _ = read_flx(write_base(tmp_path, "\ufeff" + FLX_TEXT, FLX_NAME))
    assert forcing.time.size == 24


@pytest.fixture(scope="module")
def flux_bytes(tmp_path_factory):
    time = pd.date_range("2010-06-01", periods=48, freq="30min")
    dims = ("time", "y", "x")
    flux = xr.Dataset({"Qle": (dims, np.linspace(0, 300, 48).reshape(48, 1, 1)),
                       "Qh": (dims, np.linspace(-20, 200, 48).reshape(48, 1, 1))},
                      coords={"time": time}, attrs={"site_code": "US-XXX"})
    path = tmp_path_factory.mktemp("flux") / "US-XXX_Flux.nc"
    flux.to_netcdf(path)
    return path.read_bytes(), read_plumber2_flux(path)


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cut=st.integers(0, 10**7), flips=st.lists(st.tuples(st.integers(0, 10**7),
                                                           st.integers(0, 255)), max_size=4))
def test_plumber2_flux_cut_or_flipped(tmp_path, flux_bytes, cut, flips):
    data = bytearray(flux_bytes[0])
    for pos, byte in flips:
        data[pos % len(data)] = byte
    if cut % 2:
        data = data[:cut % len(data)]
    path = Path(tmp_path) / "US-XXX_Flux.nc"
    path.write_bytes(bytes(data))
    obs = read_or_error(read_plumber2_flux, path)
    if obs is not None:
        for v in ("LE", "H"):
            x = obs[v].values[np.isfinite(obs[v].values)]
            assert x.size == 0 or (x.min() >= -500 and x.max() <= 1500)
    status, out, err = run_cli(["convert", str(path), "--forcing-out",
                                str(Path(tmp_path) / "f.nc"), "--obs-out",
                                str(Path(tmp_path) / "o.nc")])
    assert_cli_clean(status, err)


HEIGHTS_TEXT = "Site_ID,Variable,Height\nUS-XXX,SWC_1_1_1,-0.05\n"


@SETTINGS
@given(cut=st.integers(0, len(HEIGHTS_TEXT)), flips=st.lists(st.tuples(
    st.integers(0, len(HEIGHTS_TEXT) - 1), st.integers(0, 255)), max_size=2))
def test_heights_table_cut_or_flipped(tmp_path, cut, flips):
    data = bytearray(HEIGHTS_TEXT.encode())
    for pos, byte in flips:
        data[pos] = byte
    heights = Path(tmp_path) / "heights.csv"
    heights.write_bytes(bytes(data[:cut]))
    path = write_base(tmp_path, BASE_TEXT)
    result = read_or_error(read_ameriflux, path, utc_offset=-7, heights=heights)
    if result is not None:
        depth = float(result[1].depth[0])
        assert 0 <= depth <= 20


def test_base_empty_fields(tmp_path, clean_base):
    with pytest.raises(hrclm.InputError, match=r"TIMESTAMP_START '' in line 9 \(data row 6\) is "
                       r"not a date and time YYYYMMDDHHMM$"):
        read_base(write_base(tmp_path, replace_field(BASE_TEXT, 5, 0, "")))
    forcing, _ = read_base(write_base(tmp_path, replace_field(BASE_TEXT, 5, 2, "")))
    assert forcing.attrs["missing_fraction_TA"] == 1 / 48      # an empty field is missing,
    assert forcing.attrs["filled_by_reader_fraction_TA"] == 1 / 48   # filled and counted
    assert float(forcing.Tair[5]) == pytest.approx(0.5 * float(clean_base[0].Tair[4]
                                                               + clean_base[0].Tair[6]))
