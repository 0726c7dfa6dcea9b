"""The weather generator: whole calendar years in UTC, one random stream per
year (a year's weather does not depend on the run it is part of), the diurnal
cycle in local time, and the site's monthly normals reproduced."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from hrclm.errors import InputError
from hrclm.io import FORCING_VARIABLES, generate_forcing
from hrclm.sites import get_site

DT = 1800.0


@pytest.fixture(scope="module")
def srm():
    site = get_site("US-SRM")
    assert site.utc_offset == -7.0
    return site


def _local(forcing, site):
    return forcing.time.to_index() + pd.Timedelta(hours=site.utc_offset)


def test_calendar_year_in_utc(srm):
    f = generate_forcing(srm, 2010, 1, DT)
    t = f.time.to_index()
    assert t.size == 17520
    assert t[0] == pd.Timestamp("2010-01-01T00:00") and t[-1] == pd.Timestamp("2010-12-31T23:30")
    assert np.all(np.diff(t.values) == np.timedelta64(1800, "s"))
    assert f.time.attrs["long_name"] == "start of the period, UTC"
    two = generate_forcing(srm, 2011, 2, 3600.0)                   # 2012 is a leap year
    assert two.time.size == (365 + 366) * 24
    assert two.time.to_index()[-1] == pd.Timestamp("2012-12-31T23:00")


@pytest.mark.parametrize("utc_offset", [-7.0, 9.5, 0.0])
def test_year_alone_equals_year_in_longer_run(srm, utc_offset):
    """Seed per year: 2011 generated alone is, exactly, the 2011 of 2010-2012,
    whichever side of UTC the site is."""
    site = dataclasses.replace(srm, utc_offset=utc_offset)
    alone = generate_forcing(site, 2011, 1, DT, seed=5)
    three = generate_forcing(site, 2010, 3, DT, seed=5)
    part = three.sel(time=slice("2011-01-01T00:00", "2011-12-31T23:59"))
    assert np.array_equal(alone.time.values, part.time.values)
    for name in FORCING_VARIABLES:
        assert np.array_equal(alone[name].values, part[name].values), name
        assert np.all(np.isfinite(three[name].values)), name
    assert alone.attrs["start_year"] == 2011 and alone.attrs["nyears"] == 1
    assert three.attrs["start_year"] == 2010 and three.attrs["nyears"] == 3
    # and the years differ from each other
    y2010 = three.sel(time=slice("2010-01-01", "2010-12-31T23:59"))
    assert not np.array_equal(y2010.Tair.values, alone.Tair.values)


def test_temperature_peaks_in_the_local_afternoon(srm):
    f = generate_forcing(srm, 2010, 2, DT)
    local = _local(f, srm)
    diel = pd.Series(f.Tair.values).groupby(local.hour).mean()
    assert 13 <= int(diel.idxmax()) <= 17
    assert int(diel.idxmin()) in (1, 2, 3, 4, 5, 6)
    # the sun is up around local noon, not around UTC noon
    sw = pd.Series(f.SWdown.values).groupby(local.hour).mean()
    assert 11 <= int(sw.idxmax()) <= 13 and sw[0] == 0.0


def test_seed(srm):
    a = generate_forcing(srm, 2010, 1, DT, seed=1)
    b = generate_forcing(srm, 2010, 1, DT, seed=1)
    c = generate_forcing(srm, 2010, 1, DT, seed=2)
    for name in FORCING_VARIABLES:
        assert np.array_equal(a[name].values, b[name].values), name
    for name in ("Tair", "Qair", "Wind", "SWdown", "LWdown", "Rainf"):
        assert not np.array_equal(a[name].values, c[name].values), name
    assert a.attrs["seed"] == 1 and c.attrs["seed"] == 2


def test_annual_precipitation_matches_normals(srm):
    f = generate_forcing(srm, 1991, 30, 3600.0, seed=11)
    annual = float(f.Rainf.sum()) * 3600.0 / 30
    assert annual == pytest.approx(sum(srm.climate["precip"]), rel=0.15)
    assert float(f.Rainf.min()) == 0.0


def test_bad_arguments_are_refused(srm):
    with pytest.raises(InputError, match="utc_offset"):
        generate_forcing(dataclasses.replace(srm, utc_offset=-70.0), 2010, 1, DT)
    with pytest.raises(ValueError, match="nyears"):
        generate_forcing(srm, 2010, 0, DT)
