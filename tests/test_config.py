"""Namelists: the registry as the single source, and exact error messages."""

from pathlib import Path

import pytest

import hrclm
from hrclm.cli import main
from hrclm.config import REGISTRY, defaults_namelist_text, load_config, options_markdown

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path, text, name="case.nml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_defaults_file_and_docs_are_generated_from_the_registry():
    assert (ROOT / "namelists" / "defaults.nml").read_text() == defaults_namelist_text()
    assert (ROOT / "docs" / "namelist_options.md").read_text() == options_markdown()
    # and reading defaults.nml gives the registry defaults
    config = load_config(ROOT / "namelists" / "defaults.nml")
    for opt in REGISTRY:
        assert config[opt.name] == opt.default, opt.name


def test_hr_on_and_off_files():
    assert load_config("hr_on.nml")["use_hr"] is True
    assert load_config("hr_off.nml")["use_hr"] is False
    on = load_config("US-SRM.nml", "hr_on.nml")
    assert on["site"] == "US-SRM" and on["hr_crt"] == 0.097


def test_unknown_key_names_file_group_and_closest_key(tmp_path):
    path = write(tmp_path, "&hydraulic_redistribution\n  hr_psi5 = -1.0\n/\n")
    with pytest.raises(hrclm.InputError) as err:
        load_config(path)
    assert str(err.value) == (f"namelist {path}: group &hydraulic_redistribution has no option "
                              "'hr_psi5'; did you mean hr_psi50?")


def test_unknown_group(tmp_path):
    path = write(tmp_path, "&hydraulic_redistrib\n  use_hr = .true.\n/\n")
    with pytest.raises(hrclm.InputError, match=r"unknown group &hydraulic_redistrib; did you "
                       r"mean &hydraulic_redistribution\?"):
        load_config(path)


@pytest.mark.parametrize("line, message", [
    ("hr_psi50 = 1.0", "&hydraulic_redistribution hr_psi50 = 1.0 is out of range: valid is "
                       "(-20.0, 0.0) MPa"),
    ("hr_b = 'steep'", "&hydraulic_redistribution hr_b = 'steep' is not valid: expected a real "
                       "number in (0.0, 20.0] 1"),
    ("use_hr = 1", "&hydraulic_redistribution use_hr = 1 is not valid: expected .true. or .false."),
    ("hr_rx_rule = 'min'", "&hydraulic_redistribution hr_rx_rule = 'min' is not valid: use one "
                           "of 'source', 'max'"),
    ("hr_night_rule = 'source', 'max'", "&hydraulic_redistribution hr_night_rule = ['source', "
                                        "'max'] is not valid: hr_night_rule takes one value, "
                                        "not a list"),
])
def test_bad_values_name_key_value_and_range(tmp_path, line, message):
    path = write(tmp_path, f"&hydraulic_redistribution\n  {line}\n/\n")
    with pytest.raises(hrclm.InputError) as err:
        load_config(path)
    assert str(err.value) == f"namelist {path}: {message}"


def test_missing_file():
    with pytest.raises(hrclm.InputError, match=r"^namelist file nowhere/x\.nml does not exist$"):
        load_config("nowhere/x.nml")


def test_ensemble_lists(tmp_path):
    path = write(tmp_path, "&hydraulic_redistribution\n  use_hr = .true.\n"
                           "  hr_crt = 0.0, 0.097, 0.5\n/\n")
    config = load_config(path)
    assert config.ncolumns() == 3
    assert config.column_values("hr_crt") == [0.0, 0.097, 0.5]
    assert config.column_values("hr_b") == [3.22] * 3
    bad = write(tmp_path, "&hydraulic_redistribution\n  hr_crt = 0.1, 0.2\n  hr_b = 1, 2, 3\n/\n",
                "bad.nml")
    with pytest.raises(hrclm.InputError, match=r"lists of different lengths \[2, 3\]"):
        load_config(bad)


def test_cli_namelist_and_errors(tmp_path, capsys):
    assert main(["namelist"]) == 0
    out = capsys.readouterr().out
    for opt in REGISTRY:
        assert opt.name in out
    bad = write(tmp_path, "&soil_inparm\n  lower_bc = 'bucket'\n/\n")
    assert main(["run", str(bad), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err == (f"hrclm: namelist {bad}: &soil_inparm lower_bc = 'bucket' is not valid: use one "
                   "of 'aquifer', 'free_drainage', 'water_table', 'no_flow'\n")
    assert not (tmp_path / "out").exists()
