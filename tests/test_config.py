"""Namelists: the registry as the single source, and exact error messages."""

from pathlib import Path

import pytest

import hrclm
from hrclm.cli import main
from hrclm.config import REGISTRY, defaults_namelist_text, load_config, options_markdown
from hrclm.errors import InputError

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


def test_hr_parameters_per_pft(tmp_path):
    """hr_crt_pft(p) sets C_RT of PFT p only (Fortran index syntax); the other
    PFTs keep hr_crt. At US-SRM only the shrub (PFT 10) redistributes: C_RT 0
    for it stops all HR, a larger one moves more water."""
    import numpy as np
    import hrclm
    path = tmp_path / "pft.nml"
    path.write_text("&hydraulic_redistribution\n    hr_crt_pft(10) = 0.0\n/\n")
    base = load_config("US-SRM.nml", "hr_on.nml", spinup=False, ndays=15, start_month=5)
    none = load_config("US-SRM.nml", "hr_on.nml", path, spinup=False, ndays=15, start_month=5)
    assert none["hr_crt_pft"] == [None] * 9 + [0.0]
    # the resolved namelist keeps the unset entries unset
    again = tmp_path / "again.nml"
    again.write_text(none.to_namelist())
    assert load_config(again)["hr_crt_pft"] == [None] * 9 + [0.0]
    more = base.replace(hr_crt_pft=[None] * 9 + [0.3])

    def moved(config):
        return float(hrclm.run(config).QHR.clip(min=0).sum()) * 1800.0

    m_base = moved(base)
    assert m_base > 0.1 and moved(none) == 0.0 and moved(more) > 2.0 * m_base


def test_per_pft_option_errors(tmp_path):
    path = tmp_path / "bad.nml"
    path.write_text("&hydraulic_redistribution\n    hr_crt_pft(3) = -1.0\n/\n")
    with pytest.raises(InputError, match=r"hr_crt_pft = \[None, None, -1\.0\] is out of range: "
                                         r"valid is \[0\.0, 10000\.0\] cm MPa-1 h-1$"):
        load_config(path)
    with pytest.raises(InputError, match=r"hr_psi50_pft has one entry per CLM4\.5 PFT, at most 16$"):
        load_config(hr_psi50_pft=[-1.0] * 17)
