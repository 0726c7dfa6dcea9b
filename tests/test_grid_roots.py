"""CLM4.5 soil grid and Zeng (2001) root fractions against the tables of
science.md (sections 2.1 and 2.9, computed there from the published formulas),
and the PFT parameter table against the CLM4.5 Tech Note and the Noah table."""

import numpy as np
import pytest

import hrclm
from hrclm.pft import pft_table
from hrclm.roots import zeng_rootfr
from hrclm.soil import NLEVSOI, clm45_grid, grid_from_thickness

# science.md table 2.1 (m, 4 decimals)
TABLE_Z = [0.0071, 0.0279, 0.0623, 0.1189, 0.2122, 0.3661, 0.6198, 1.0380, 1.7276, 2.8646,
           4.7392, 7.8298, 12.9253, 21.3265, 35.1776]
TABLE_DZ = [0.0175, 0.0276, 0.0455, 0.0750, 0.1236, 0.2038, 0.3360, 0.5539, 0.9133, 1.5058,
            2.4826, 4.0931, 6.7484, 11.1262, 13.8512]
TABLE_ZI = [0.0175, 0.0451, 0.0906, 0.1655, 0.2891, 0.4929, 0.8289, 1.3828, 2.2961, 3.8019,
            6.2845, 10.3775, 17.1259, 28.2520, 42.1032]


def test_clm45_grid_matches_table():
    g = clm45_grid()
    assert g.nlev == 15
    np.testing.assert_allclose(g.z, TABLE_Z, atol=6e-5)
    np.testing.assert_allclose(g.dz, TABLE_DZ, atol=6e-5)
    np.testing.assert_allclose(g.zi[1:], TABLE_ZI, atol=6e-5)
    assert g.zi[0] == 0.0
    # layers tile the column: thicknesses are the interface differences
    np.testing.assert_allclose(np.diff(g.zi), g.dz, rtol=1e-12)


@pytest.mark.parametrize("ra, rb, table", [
    (7.0, 2.0, [0.0749, 0.1036, 0.1391, 0.1664, 0.1695, 0.1441, 0.1056, 0.0653, 0.0264, 0.0051]),
    (7.0, 1.5, [0.0707, 0.0974, 0.1302, 0.1547, 0.1569, 0.1355, 0.1089, 0.0829, 0.0469, 0.0160]),
    (11.0, 2.0, [0.1048, 0.1338, 0.1595, 0.1618, 0.1388, 0.1124, 0.0934, 0.0639, 0.0264, 0.0051]),
    (7.0, 1.0, [0.0664, 0.0910, 0.1207, 0.1413, 0.1401, 0.1192, 0.1015, 0.0943, 0.0751, 0.0503]),
    (6.0, 2.0, [0.0671, 0.0946, 0.1308, 0.1633, 0.1756, 0.1561, 0.1138, 0.0671, 0.0265, 0.0051]),
])
def test_zeng_root_fractions_match_table(ra, rb, table):
    zi = clm45_grid().zi[:NLEVSOI + 1]
    fr = zeng_rootfr(zi, ra, rb)
    np.testing.assert_allclose(fr, table, atol=6e-5)
    assert fr.sum() == pytest.approx(1.0, abs=1e-15)


# CLM4.5 Technical Note (Oleson et al. 2013): Table 8.3 (r_a, r_b [m-1]),
# Table 8.1 (psi_o, psi_c [mm]) and Table 2.2 (z_top [m]), PFTs 1-16 in order
TECH_NOTE = {
    "ra": [7.0] * 5 + [6.0] * 3 + [7.0] * 3 + [11.0] * 3 + [6.0] * 2,
    "rb": [2.0] * 3 + [1.0] * 2 + [2.0] * 3 + [1.5] * 3 + [2.0] * 3 + [3.0] * 2,
    "smpso": [-66000.0] * 5 + [-35000.0] * 3 + [-83000.0] * 3 + [-74000.0] * 5,
    "smpsc": [-255000.0] * 5 + [-224000.0] * 3 + [-428000.0] * 3 + [-275000.0] * 5,
    "htop": [17.0, 17.0, 14.0, 35.0, 35.0, 18.0, 20.0, 20.0] + [0.5] * 8,
}


# Noah LSM vegetation table (VEGPARM.TBL, USGS classes): RS [s m-1], RGL [W m-2],
# HS; classes in the order needleleaf evergreen (PFTs 1-2), needleleaf deciduous
# (3), broadleaf evergreen (4-5), broadleaf deciduous (6-8), shrubland (9-11),
# grassland (12-14), dryland cropland (15-16)
NOAH = {
    "rsmin": [125.0] * 2 + [150.0] * 3 + [100.0] * 3 + [300.0] * 3 + [40.0] * 5,
    "rgl": [30.0] * 8 + [100.0] * 8,
    "hs": [47.35] * 3 + [41.69] * 2 + [54.53] * 3 + [42.0] * 3 + [36.35] * 3 + [36.25] * 2,
}


@pytest.mark.parametrize("name, source", [(k, TECH_NOTE) for k in sorted(TECH_NOTE)]
                         + [(k, NOAH) for k in sorted(NOAH)])
def test_pft_table_follows_its_sources(name, source):
    table = pft_table()
    assert sorted(table) == list(range(1, 17))
    assert [getattr(table[i], name) for i in range(1, 17)] == source[name]


def test_zeng_many_columns_and_user_grid():
    g = grid_from_thickness([0.1, 0.2, 0.3, 0.4])
    np.testing.assert_allclose(g.zi, [0.0, 0.1, 0.3, 0.6, 1.0])
    np.testing.assert_allclose(g.z, [0.05, 0.2, 0.45, 0.8])
    fr = zeng_rootfr(np.vstack([g.zi, g.zi]), ra=[7.0, 11.0], rb=[1.0, 2.0])
    assert fr.shape == (2, 4)
    np.testing.assert_allclose(fr.sum(axis=1), 1.0, atol=1e-15)
    # grasses (larger r_a) are shallower than broadleaf evergreen trees
    assert fr[1, 0] > fr[0, 0]


def test_bad_grid_and_root_parameters():
    with pytest.raises(hrclm.InputError, match=r"^dz = -1\.0000E-01 at layer 2 is not valid: "
                       r"layer thicknesses must be finite and > 0 m$"):
        grid_from_thickness([0.1, -0.1])
    with pytest.raises(hrclm.InputError, match=r"^Zeng root parameters r_a = 0\.0000E\+00, "
                       r"r_b = 2\.0000E\+00 at column 1 are not valid"):
        zeng_rootfr([0.0, 0.1, 0.2], 0.0, 2.0)
