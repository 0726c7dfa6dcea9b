"""The site registry: every required site is there, cites its sources, and
runs from its own namelist."""

import numpy as np
import pytest

import hrclm
from hrclm.cli import main
from hrclm.sites import get_site, registered_sites

REQUIRED = ["US-Wrc", "US-SCs", "US-SCg", "US-SCf", "US-SCw", "US-SCd", "US-SCc", "US-SRM",
            "US-Ho1", "US-Ha1", "US-Dk3", "US-Me2", "US-Ton", "US-Wkg", "US-ARM", "US-SRG",
            "US-Var", "US-Whs", "USCRN-NM_Socorro_20_N", "USCRN-AZ_Tucson_11_W"]
CITED = ["location", "climate", "canopy_height", "measurement_height", "pft", "soil", "lai",
         "swc_depths"]


def test_every_required_site_is_registered_with_sources():
    sites = registered_sites()
    assert set(REQUIRED) <= set(sites)
    for sid in REQUIRED:
        s = sites[sid]
        for key in CITED:
            assert key in s.sources, f"{sid} does not cite a source for {key}"
        assert -180 <= s.longitude <= 180 and -90 <= s.latitude <= 90
        assert abs(sum(p["fraction"] for p in s.pft) - 1.0) < 1e-9
        assert len(s.lai) == 12 and all(len(s.climate[k]) == 12 for k in ("tmean", "precip"))


@pytest.mark.parametrize("sid", [s for s in REQUIRED if not s.startswith("USCRN")])
def test_each_site_namelist_runs(sid):
    config = hrclm.load_config(f"{sid}.nml", "hr_on.nml", spinup=False, ndays=20,
                               start_month=6)
    ds = hrclm.run(config)
    assert ds.time.size == 20 * 48
    assert float(np.abs(ds.ERRH2O).max()) < 1e-8
    assert ds.attrs["site"] == sid


def test_unknown_site_and_sites_command(capsys):
    with pytest.raises(hrclm.InputError, match=r"^site 'US-XYZ' is not registered; registered "
                       r"sites: US-ARM, "):
        get_site("US-XYZ")
    assert main(["sites"]) == 0
    out = capsys.readouterr().out
    for sid in REQUIRED:
        assert sid in out


# -- the user's own sites (HRCLM_SITE_PATH) ------------------------------------

def _user_site(folder, capsys, site_id, climate=True):
    """Write a site file for `site_id` made from US-SRM's (as `hrclm sites --show`
    prints it), optionally without the [climate] normals; returns its path."""
    import re
    assert main(["sites", "--show", "US-SRM"]) == 0
    text = capsys.readouterr().out.replace('id = "US-SRM"', f'id = "{site_id}"')
    if not climate:
        text = re.sub(r"\n\[climate\].*?(?=\n\[sources\])", "", text, flags=re.S)
    path = folder / f"{site_id}.toml"
    path.write_text(text)
    return path


def test_user_site_from_a_downloaded_file_runs_the_same_day(tmp_path, capsys, monkeypatch,
                                                            base_file):
    """A site that is not in the package: its file in HRCLM_SITE_PATH, then the
    downloaded BASE file converted with --site and run with site = its id."""
    sites_dir = tmp_path / "my_sites"
    sites_dir.mkdir()
    toml = _user_site(sites_dir, capsys, "US-XXX", climate=False)
    monkeypatch.setenv("HRCLM_SITE_PATH", str(sites_dir))
    assert main(["sites"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].startswith("US-XXX ")      # user folders are searched first
    assert f"searched first (HRCLM_SITE_PATH): {sites_dir}" in out

    path, depths = base_file(tmp_path, "US-XXX", "2020-01-01")
    f, o = tmp_path / "f.nc", tmp_path / "o.nc"
    assert main(["convert", str(path), "--site", "US-XXX", "--heights", str(depths),
                 "--forcing-out", str(f), "--obs-out", str(o)]) == 0
    nml = tmp_path / "run.nml"
    nml.write_text(f"&hrclm_inparm\n site = 'US-XXX'\n forcing = 'file'\n forcing_file = '{f}'\n"
                   " start_year = 2020\n ndays = 2\n spinup = .false.\n/\n")
    assert main(["run", str(nml), "hr_on.nml", "-o", str(tmp_path / "out")]) == 0
    h0 = sorted((tmp_path / "out").glob("US-XXX_hr_on.hrclm.h0.*.nc"))
    ds = hrclm.model.read_netcdf(h0[0], "run", "", "run")
    assert ds.attrs["site"] == "US-XXX" and ds.attrs["site_file"] == str(toml)
    # 2020-01-01 to -03 UTC, from the first step of the file (local, UTC-7, midnight)
    assert ds.time.size == 2 * 48 - 14 and float(np.abs(ds.ERRH2O).max()) < 1e-8
    assert str(ds.time.values[0]).startswith("2020-01-01T07:00")

    # without monthly normals the weather generator cannot run, and says why
    config = hrclm.load_config(site="US-XXX", ndays=2, spinup=False)
    with pytest.raises(hrclm.InputError) as err:
        hrclm.run(config)
    assert str(err.value) == (f"site US-XXX has no [climate] monthly normals in {toml}, and the "
                              "weather generator needs them; add them to the site file or give "
                              "tower forcing (forcing = 'file')")


def test_user_site_file_overrides_the_packaged_one(tmp_path, capsys, monkeypatch):
    toml = _user_site(tmp_path, capsys, "US-SRM")
    toml.write_text(toml.read_text().replace("canopy_height = 2.5", "canopy_height = 4.0"))
    assert get_site("US-SRM").canopy_height == 2.5
    monkeypatch.setenv("HRCLM_SITE_PATH", str(tmp_path))
    assert get_site("US-SRM").canopy_height == 4.0
    assert get_site("US-SRM").file == str(toml)
    ds = hrclm.run(hrclm.load_config("US-SRM.nml", ndays=1, spinup=False))
    assert ds.attrs["site_file"] == str(toml)
    assert ds.attrs["forcing_source"].endswith(f"in {toml}")


def test_bad_user_site_path_and_files(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HRCLM_SITE_PATH", str(tmp_path / "nowhere"))
    with pytest.raises(hrclm.InputError) as err:
        get_site("US-SRM")
    assert str(err.value) == (f"HRCLM_SITE_PATH names '{tmp_path / 'nowhere'}', which is not a "
                              "folder; set it to folders holding site TOML files, separated "
                              "by ':'")
    assert main(["sites"]) == 2
    assert capsys.readouterr().out == ""                  # nothing half-printed

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "X.toml").write_text('id = "X"\nlatitude = \n')
    monkeypatch.setenv("HRCLM_SITE_PATH", str(bad))
    with pytest.raises(hrclm.InputError, match=rf"^site file {bad / 'X.toml'} is not valid TOML "
                       r"\(.*\); fix it there or start from a packaged one \(hrclm sites --show US-SRM prints it\)$"):
        get_site("US-SRM")

    monkeypatch.delenv("HRCLM_SITE_PATH")
    typed = tmp_path / "typed"
    typed.mkdir()
    toml = _user_site(typed, capsys, "US-YYY")
    toml.write_text(toml.read_text().replace("latitude = 31.8214", 'latitude = "31.8 N"'))
    monkeypatch.setenv("HRCLM_SITE_PATH", str(typed))
    with pytest.raises(hrclm.InputError, match=rf"^site file {toml} has a value of the wrong "
                       r"type \(.*\); numbers must be numbers, not strings$"):
        get_site("US-YYY")
