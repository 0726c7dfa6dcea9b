"""The carbon cycle in the time loop (fortran/ColumnDriverMod.F90 carbon_step,
fortran/PlantCarbonMod.F90): conservation every step, the CLM4.5 flux
relations, CNAnnualUpdate and litterfall totals, the carbon spin-up, the HR
effect on decomposition and the tower's NEE range."""

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from hrclm import carbon, model
from hrclm.config import load_config
from hrclm.errors import InputError
from hrclm.model import CARBON_POOLS, ColumnSetup, run_case
from hrclm.sites import get_site

DT = 1800.0
SECSPYR = 365 * 86400.0
SHARED = Path(__file__).resolve().parents[2] / "shared" / "site_data_raw"
POOL_TOTALS = ("TOTLITC", "CWDC", "TOTSOMC")


def carbon_state(config, annsum_npp=120.0, pools=50.0):
    """The cold start of the configuration with carbon pools [gC m-3] and a
    year of NPP [gC m-2 yr-1] set, so that there is litter from the first step."""
    setup = ColumnSetup(config, get_site(config["site"]))
    state = setup.initial_state(290.0)
    for name in CARBON_POOLS:
        state.lev[:, :, model.STATE_LEV[name].index] = pools
    state.pat[:, :, model.STATE_PAT["annsum_npp"].index] = annsum_npp
    return setup, state


def short_run(days=20, site="US-SCd.nml", fields=None, nhtfrq=1, flag="I", **kw):
    config = load_config(site, spinup=False, start_year=2010, start_month=7, ndays=days,
                         init_water="field_capacity", hist_nhtfrq=[nhtfrq],
                         hist_fincl1=[f"{f}:{flag}" for f in fields], **kw)
    setup, state = carbon_state(config)
    return run_case(config, state=state), setup


def test_soil_carbon_is_conserved_every_step():
    """Total litter, CWD and soil carbon change by (litterfall - HR) dt every
    step, to round-off; ERRSOILC says so too."""
    res, _ = short_run(fields=POOL_TOTALS + ("LITFALL", "HR", "ERRSOILC"))
    ds = res.tapes[0]
    total = sum(ds[v].values for v in POOL_TOTALS)
    dtotal = np.diff(total)
    flux = (ds.LITFALL.values - ds.HR.values)[1:] * DT
    assert np.all(ds.HR.values > 0) and np.all(ds.LITFALL.values > 0)
    np.testing.assert_allclose(dtotal, flux, rtol=0, atol=1e-8 * total.max())
    assert np.abs(ds.ERRSOILC.values).max() < 1e-9
    assert ds.attrs["max_abs_soil_carbon_balance_error_gC_m-2"] < 1e-9


def test_flux_relations_of_clm45_cn():
    """One patch (US-SCd shrub): GPP is FPSN in carbon units; growth
    respiration is grperc / (1 + grperc) of what photosynthesis leaves after
    maintenance (CLM4.5 CNAllocation without N limitation), zero when MR
    exceeds GPP; AR = MR + GR; NEE = AR + HR - GPP; GPP is zero at night."""
    res, _ = short_run(fields=("FPSN", "GPP", "MR", "GR", "AR", "NPP", "HR", "ER", "NEE",
                               "NPP_PATCH", "SABV"))
    ds = res.tapes[0]
    gpp, mr = ds.GPP.values, ds.MR.values
    np.testing.assert_allclose(gpp, ds.FPSN.values * 12.011e-6, rtol=1e-12)
    np.testing.assert_allclose(ds.GR.values, 0.3 / 1.3 * np.maximum(gpp - mr, 0), rtol=1e-12,
                               atol=1e-20)
    np.testing.assert_allclose(ds.AR.values, mr + ds.GR.values, rtol=1e-12)
    np.testing.assert_allclose(ds.NEE.values, ds.AR.values + ds.HR.values - gpp, rtol=1e-10,
                               atol=1e-15)
    np.testing.assert_allclose(ds.NPP_PATCH.values[:, 0], ds.NPP.values, rtol=1e-12)
    night = ds.SABV.values == 0
    assert night.any() and np.all(gpp[night] == 0) and np.all(mr[night] > 0)
    assert np.all(ds.NEE.values[night] > 0)               # the ecosystem breathes out at night
    assert (gpp[~night] > mr[~night]).mean() > 0.5        # and mostly takes up by day in July


def test_annual_update_and_litterfall_total():
    """Over a 365-day year the litterfall returns the given annsum_npp to the
    soil (leaves and fine roots timed by the LAI, wood evenly), and at its end
    annsum_npp becomes that year's NPP (CLM4.5 CNAnnualUpdate)."""
    config = load_config("US-SCd.nml", spinup=False, start_year=2010, nyears=1,
                         init_water="field_capacity", hist_nhtfrq=[17520],
                         hist_fincl1=["LITFALL:A", "NPP_PATCH:A", "NPP:A"])
    setup, state = carbon_state(config, annsum_npp=120.0)
    res = run_case(config, state=state)
    ds = res.tapes[0]
    assert ds.time.size == 1
    np.testing.assert_allclose(float(ds.LITFALL[0]) * SECSPYR, 120.0, rtol=1e-9)
    np.testing.assert_allclose(res.state["annsum_npp"][0, 0], float(ds.NPP_PATCH[0, 0]) * SECSPYR,
                               rtol=1e-9)
    assert res.state["annsum_counter"][0] == 0.0 and res.state["tempsum_npp"][0, 0] == 0.0


def test_litterfall_weight_follows_the_fall_of_leaves():
    lai = 0.2 + 0.8 * np.exp(-0.5 * ((np.arange(365) - 230) / 30.0) ** 2)   # monsoon green-up
    w = carbon.litterfall_weight(lai)
    assert np.isclose(w.sum() * 86400.0, 1.0, rtol=1e-12)
    assert w.argmax() > 230 and w[:200].max() < w.max() / 5     # falls as the leaves fall
    np.testing.assert_allclose(carbon.litterfall_weight(np.full(365, 2.0)), 1 / SECSPYR)
    np.testing.assert_allclose(carbon.litterfall_weight(np.zeros(365)), 1 / SECSPYR)
    with pytest.raises(ValueError, match="365 finite daily LAI"):
        carbon.litterfall_weight(np.ones(12))


def test_allocation_fractions_match_clm45():
    """Shrub (PFT 10: a1 = 1, a3 = 0.2, a2 = 0.3), grass (a1 = 2) and a tree
    with CLM4.5's dynamic stem allocation at annsum_npp = 300 (a3 = 0.95)."""
    f = carbon.allocation_fractions([1.0, 2.0, 1.0], [0.2, 0.0, -1.0], [0.3, 0.0, 0.3],
                                    [100.0, 100.0, 300.0])
    d = 1 + 1 + 0.2 * 1.3
    np.testing.assert_allclose(f[0], [1 / d, 1 / d, 0.2 / d, 0.06 / d])
    np.testing.assert_allclose(f[1], [1 / 3, 2 / 3, 0, 0])
    a3 = 2.7 / 2 - 0.4
    d = 2 + a3 * 1.3
    np.testing.assert_allclose(f[2], [1 / d, 1 / d, a3 / d, 0.3 * a3 / d])


@pytest.fixture(scope="module")
def spun_up():
    """US-SRM (mesquite shrub and C4 grass patches), generated 2010 weather:
    spin-up (water, then carbon) and the same year run once more."""
    config = load_config("US-SRM.nml", start_year=2010, nyears=1, hist_nhtfrq=[-24],
                         hist_fincl1=["GPP", "AR", "HR", "NEE", "NPP", "LITFALL", *POOL_TOTALS])
    return run_case(config)


def test_spin_up_reaches_the_carbon_steady_state(spun_up):
    """The direct steady-state solve and its Newton cycles converge (stated
    tolerance 0.5 gC m-2 yr-1 of litter and soil carbon per cycle), and over
    the spin-up year run again the litterfall balances the heterotrophic
    respiration to 1 % (a state off its steady state by the mean-rate
    approximation alone was 3 % off, one not spun up 100 %)."""
    ds = spun_up.tapes[0]
    assert ds.attrs["spinup_carbon_converged"] == 1
    assert ds.attrs["spinup_carbon_change_gC_m-2_yr-1"] < 0.5
    assert ds.attrs["spinup_carbon_relres"] < 1e-12
    total = sum(ds[v] for v in POOL_TOTALS).values
    assert total.min() > 100.0
    lit, hr = float(ds.LITFALL.mean()), float(ds.HR.mean())
    assert abs(lit - hr) / lit < 0.01
    assert abs(total[-1] - total[0]) < 0.02 * lit * SECSPYR


@pytest.mark.skipif(not (SHARED / "US-SRM").is_dir(),
                    reason="the tower file of US-SRM (../shared/site_data_raw) is not on this machine")
def test_annual_nee_within_the_towers_range(spun_up):
    """Annual NEE under generated weather lies inside the range of the tower's
    annual NEE estimates (mean of the days with data x 365, years with at
    least 50 such days: -82 to +85 gC m-2 yr-1 at US-SRM, 6 of 2004-2014),
    and GPP is of the semi-arid savanna's magnitude (100-600 gC m-2 yr-1)."""
    obs = xr.open_dataset(next((SHARED / "US-SRM").glob("*.nc"))).NEE_daily.to_series()
    per_year = obs.groupby(obs.index.year)
    annual = (per_year.mean() * 365)[per_year.count() >= 50]
    ds = spun_up.tapes[0]
    nee = float(ds.NEE.mean()) * SECSPYR
    assert annual.min() <= nee <= annual.max(), (nee, annual.tolist())
    assert 100.0 < float(ds.GPP.mean()) * SECSPYR < 600.0


def test_hr_moistens_decomposition_above_and_dries_it_below():
    """A dry top over a moist subsoil in June (US-SCd shrub, no spin-up):
    hydraulic redistribution lifts water, so the moisture scalar of
    decomposition rises in the layers HR feeds (2-5) and falls, or stays, in
    the deep layers it draws from."""
    out = {}
    for use_hr in (False, True):
        config = load_config("US-SCd.nml", spinup=False, start_year=2010, start_month=6,
                             ndays=20, init_water="field_capacity", use_hr=use_hr,
                             hist_nhtfrq=[0], hist_fincl1=["W_SCALAR", "HR_vr", "QHR"])
        setup, state = carbon_state(config)
        liq = state.lev[:, :, model.STATE_LEV["h2osoi_liq"].index]
        liq[:, :5] *= 0.3                                      # a dry top half metre
        out[use_hr] = run_case(config, state=state).tapes[0].mean("time")
    on, off = out[True], out[False]
    assert float(on.QHR[1:5].sum()) > 0
    assert np.all(on.W_SCALAR.values[1:5] >= off.W_SCALAR.values[1:5])
    assert float(on.W_SCALAR[1:5].mean()) > float(off.W_SCALAR[1:5].mean()) + 1e-3
    assert float(on.HR_vr[1:5].mean()) > float(off.HR_vr[1:5].mean())


def test_carbon_needs_the_clm45_canopy():
    """With the Penman-Monteith canopy there is no photosynthesis: no carbon
    (the option is documented as ignored), and the run says so."""
    config = load_config("US-SCd.nml", spinup=False, ndays=2, canopy_scheme="penman_monteith",
                         hist_fincl1=["QVEGT"])
    ds = run_case(config).tapes[0]
    assert ds.attrs["use_carbon"] == 0


def test_bad_carbon_state_is_refused():
    config = load_config("US-SCd.nml", spinup=False, ndays=2, hist_fincl1=["GPP"])
    setup, state = carbon_state(config)
    state.lev[0, 3, model.STATE_LEV["soil2c_vr"].index] = -1.0
    with pytest.raises(InputError, match=r"decomp_cpools_vr = -1.0+E\+00 at column 1, layer 4, pool 6 "
                                         r"is not valid in SoilDecomposition"):
        run_case(config, state=state)
    setup, state = carbon_state(config)
    state.col[:, model.STATE_COL["annsum_counter"].index] = -5.0
    with pytest.raises(InputError, match=r"annsum_counter = -5.0+E\+00 s at column 1 is not valid"):
        run_case(config, state=state)


def test_fine_roots_follow_the_leaves_and_give_the_root_length_density():
    """FROOTC_PATCH = froot_leaf x leaf C = froot_leaf x LAI / slatop for the
    shrub (PFT 10: a1 = 1) and the C4 grass (PFT 14: a1 = 2) of US-SRM (SLA
    0.03 m2 gC-1, no SLA gradient), and the root-scale model's root length
    density of a layer follows from them (hrclm.rhizosphere)."""
    from hrclm import rhizosphere as rz
    res, _ = short_run(days=3, site="US-SRM.nml", fields=("FROOTC", "FROOTC_PATCH", "TLAI"),
                       nhtfrq=1)
    ds = res.tapes[0]
    lai = ds.TLAI.values
    assert list(ds.pft.values) == [10, 14]
    np.testing.assert_allclose(ds.FROOTC_PATCH.values[:, 0], 1.0 * lai / 0.03, rtol=1e-12)
    np.testing.assert_allclose(ds.FROOTC_PATCH.values[:, 1], 2.0 * lai / 0.03, rtol=1e-12)
    w = ds.pft_weight.values
    np.testing.assert_allclose(ds.FROOTC.values, ds.FROOTC_PATCH.values @ w, rtol=1e-12)
    layer, srl = 3, 20.0
    want = sum(w[p] * float(ds.FROOTC_PATCH[:, p].mean()) / 0.5 * srl
               * float(ds.ROOTFR[layer, p]) / float(ds.dzsoi[layer]) for p in range(2))
    assert rz.root_length_density_from_column(ds, layer, srl) == pytest.approx(want, rel=1e-12)
    with pytest.raises(InputError, match=r"^the column output has no FROOTC_PATCH; give the h0 "
                                         r"tape of a run with carbon"):
        rz.root_length_density_from_column(ds.drop_vars("FROOTC_PATCH"), layer, srl)
