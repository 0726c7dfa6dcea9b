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
