"""Write site_data/<SITE>.toml and namelists/<SITE>.nml for the registry sites
that have no hand-written entry, from the metadata tables in the shared data:

* FluxnetLSM Site_metadata.csv: latitude, longitude, elevation, IGBP,
  measurement and canopy height (VERIFIED: copied from the table);
* FLUXNET2015 BIF: MAT, MAP, UTC offset where the site is in FLUXNET2015;
* AmeriFlux BASE measurement-height table: SWC sensor depths;
* CalLMIP protocol Table 1 (as read in PROVENANCE.md): soil texture for
  US-SRG, US-Var, US-Whs, US-Wkg;
* everything else from the per-site notes below, marked UNVERIFIED.

Run once from the project root with the shared data beside it:

    python tools/make_site_entries.py ../shared/site_data_raw

Existing files are left alone (hand-written entries win).
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

# Monthly shapes (January..December), UNVERIFIED templates by climate type:
# precipitation fractions of the annual total and wet-day fractions.
SHAPES = {
    "mediterranean": dict(
        p=[0.19, 0.17, 0.14, 0.07, 0.03, 0.005, 0.001, 0.002, 0.01, 0.05, 0.12, 0.202],
        wet=[0.35, 0.33, 0.30, 0.18, 0.08, 0.02, 0.01, 0.01, 0.03, 0.10, 0.25, 0.33],
        rh=[80, 75, 70, 62, 55, 45, 40, 42, 45, 55, 70, 80]),
    "monsoon": dict(
        p=[0.079, 0.047, 0.077, 0.011, 0.017, 0.024, 0.291, 0.297, 0.056, 0.002, 0.022, 0.077],
        wet=[0.16, 0.09, 0.13, 0.02, 0.04, 0.04, 0.30, 0.27, 0.11, 0.02, 0.04, 0.09],
        rh=[39, 31, 34, 19, 16, 17, 38, 41, 31, 24, 29, 37]),
    "humid": dict(
        p=[0.075, 0.07, 0.085, 0.085, 0.09, 0.09, 0.09, 0.09, 0.085, 0.08, 0.08, 0.08],
        wet=[0.40, 0.38, 0.40, 0.40, 0.40, 0.38, 0.35, 0.33, 0.33, 0.35, 0.38, 0.40],
        rh=[75, 72, 68, 65, 68, 72, 74, 76, 77, 75, 76, 77]),
    "plains": dict(
        p=[0.03, 0.04, 0.07, 0.09, 0.14, 0.14, 0.08, 0.09, 0.10, 0.10, 0.06, 0.05],
        wet=[0.15, 0.17, 0.22, 0.25, 0.30, 0.28, 0.22, 0.22, 0.22, 0.20, 0.17, 0.15],
        rh=[68, 66, 62, 62, 68, 68, 62, 62, 66, 64, 66, 68]),
}

# Per-site notes not found in the tables (UNVERIFIED unless the source says so).
SITES = {
    "US-Wrc": dict(name="Wind River Crane (old-growth Douglas-fir)", utc=-8, mat=8.8, map=2452,
                   clim_src="AmeriFlux site page (science.md 3.2): MAT 8.8 degC, MAP 2452 mm",
                   shape="mediterranean", amp=8.0, pft=[(1, 1.0)], soil=(40, 15),
                   lai=[8.0] * 12),
    "US-SCs": dict(name="Southern California Climate Gradient - coastal sage", utc=-8, mat=17.0,
                   map=300, shape="mediterranean", amp=5.0, pft=[(9, 0.6), (13, 0.4)],
                   soil=(55, 20), lai=[1.2, 1.4, 1.5, 1.3, 1.0, 0.8, 0.7, 0.6, 0.6, 0.7, 0.9, 1.1]),
    "US-SCg": dict(name="Southern California Climate Gradient - grassland", utc=-8, mat=17.0,
                   map=300, shape="mediterranean", amp=5.0, pft=[(13, 1.0)], soil=(55, 20),
                   lai=[1.0, 1.5, 1.8, 1.2, 0.5, 0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8]),
    "US-SCf": dict(name="Southern California Climate Gradient - oak/pine forest", utc=-8,
                   mat=11.0, map=600, shape="mediterranean", amp=8.0, pft=[(1, 0.5), (7, 0.5)],
                   soil=(60, 12), lai=[1.5, 1.5, 1.8, 2.2, 2.6, 2.8, 2.8, 2.7, 2.5, 2.0, 1.7, 1.5]),
    "US-SCw": dict(name="Southern California Climate Gradient - pinyon/juniper", utc=-8,
                   mat=14.0, map=250, shape="mediterranean", amp=9.0, pft=[(1, 0.4), (9, 0.6)],
                   soil=(65, 10), lai=[0.8] * 12),
    "US-SCc": dict(name="Southern California Climate Gradient - desert chaparral", utc=-8,
                   mat=15.0, map=200, shape="mediterranean", amp=9.0, pft=[(9, 1.0)],
                   soil=(70, 8), lai=[0.6] * 12),
    "US-SCd": dict(name="Southern California Climate Gradient - Sonoran desert", utc=-8,
                   mat=22.0, map=100, shape="mediterranean", amp=10.0, pft=[(10, 1.0)],
                   soil=(75, 7), lai=[0.3] * 12),
    "US-Ho1": dict(name="Howland Forest (main tower)", utc=-5, mat=5.3, map=1070, shape="humid",
                   amp=13.0, pft=[(2, 0.8), (7, 0.2)], soil=(45, 10), lai=[5.0] * 12),
    "US-Ha1": dict(name="Harvard Forest EMS tower", shape="humid", amp=12.0, pft=[(7, 0.8), (1, 0.2)],
                   soil=(55, 8), lai=[0.5, 0.5, 0.5, 0.8, 2.5, 4.5, 5.0, 5.0, 4.5, 2.5, 0.8, 0.5]),
    "US-Dk3": dict(name="Duke Forest loblolly pine", utc=-5, mat=14.4, map=1170, shape="humid",
                   amp=10.0, pft=[(1, 1.0)], soil=(35, 25), lai=[3.0, 3.0, 3.2, 3.6, 4.2, 4.6,
                                                                 4.8, 4.8, 4.5, 4.0, 3.5, 3.1]),
    "US-Me2": dict(name="Metolius mature ponderosa pine", shape="mediterranean", amp=9.0,
                   pft=[(1, 1.0)], soil=(65, 10), lai=[2.8] * 12),
    "US-Wkg": dict(name="Walnut Gulch Kendall grassland", shape="monsoon", amp=9.0,
                   pft=[(14, 0.8), (10, 0.2)], soil=(70, 10),
                   lai=[0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.6, 1.0, 0.9, 0.5, 0.3, 0.2]),
    "US-ARM": dict(name="ARM Southern Great Plains", shape="plains", amp=12.0, pft=[(15, 1.0)],
                   soil=(30, 30), lai=[0.5, 0.6, 1.0, 2.0, 3.0, 2.0, 0.8, 0.6, 0.6, 0.8, 0.7, 0.5]),
    "US-SRG": dict(name="Santa Rita Grassland", shape="monsoon", amp=9.5, pft=[(14, 0.9), (10, 0.1)],
                   soil=(82, 6), lai=[0.2, 0.2, 0.2, 0.25, 0.25, 0.25, 0.6, 1.0, 0.9, 0.5, 0.3, 0.2]),
    "US-Var": dict(name="Vaira Ranch annual grassland", shape="mediterranean", amp=8.5,
                   pft=[(13, 1.0)], soil=(29, 13),
                   lai=[1.0, 1.5, 2.0, 2.2, 1.0, 0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7]),
    "US-Whs": dict(name="Walnut Gulch Lucky Hills shrubland", shape="monsoon", amp=9.0,
                   pft=[(10, 0.8), (14, 0.2)], soil=(58, 10),
                   lai=[0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.6, 0.8, 0.7, 0.5, 0.4, 0.3]),
}
CALLMIP_SOIL = {"US-SRG", "US-Var", "US-Whs", "US-Wkg"}


def fmt(values):
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


def main(shared):
    shared = Path(shared)
    meta = pd.read_csv(shared / "_metadata" / "FluxnetLSM_Site_metadata_subset.csv",
                       encoding="latin-1").set_index("SiteCode")
    bif = pd.read_excel(shared / "_metadata" / "FLX_AA-Flx_BIF_LATEST.xlsx")
    heights = pd.read_csv(shared / "_metadata" / "BASE_MeasurementHeight_20250318.csv", dtype=str)
    root = Path(__file__).resolve().parents[1]
    for sid, s in SITES.items():
        out = root / "site_data" / f"{sid}.toml"
        if out.exists():
            continue
        m = meta.loc[sid]
        b = dict(bif[bif.SITE_ID == sid][["VARIABLE", "DATAVALUE"]].values.tolist())
        mat = float(b["MAT"]) if "MAT" in b else s["mat"]
        annual_p = float(b["MAP"]) if "MAP" in b else s["map"]
        utc = int(float(b["UTC_OFFSET"])) if "UTC_OFFSET" in b else s["utc"]
        clim_src = ("FLUXNET2015 BIF GRP_CLIM_AVG: MAT %s degC, MAP %s mm" % (b["MAT"], b["MAP"])
                    if "MAT" in b else s.get("clim_src", "UNVERIFIED: MAT and MAP from memory"))
        shape = SHAPES[s["shape"]]
        month = np.arange(12)
        # coldest in mid-January: cosine with the site amplitude, mean = MAT
        tmean = mat - s["amp"] * np.cos(2 * np.pi * (month + 0.5 - 0.5) / 12.0)
        precip = annual_p * np.asarray(shape["p"]) / np.sum(shape["p"])
        swc = heights[(heights.Site_ID == sid) & heights.Variable.str.startswith("SWC")]
        depths = sorted({round(-float(h), 3) for h in swc.Height if float(h) <= 0})
        hc = m.CanopyHeight if np.isfinite(m.CanopyHeight) else (20.0 if s["pft"][0][0] <= 8 else 0.5)
        zm = m.MeasurementHeight if np.isfinite(m.MeasurementHeight) else hc + 5.0
        sand, clay = s["soil"]
        soil_src = ("CalLMIP Phase 1 protocol Table 1 (read from the PDF text; check)"
                    if sid in CALLMIP_SOIL else "UNVERIFIED: typical texture for the site")
        text = f'''# {s["name"]} (AmeriFlux {sid}). Written by tools/make_site_entries.py;
# values marked UNVERIFIED in [sources] need checking against the original source.
id = "{sid}"
name = "{s["name"]}"
latitude = {m.SiteLatitude:.4f}
longitude = {m.SiteLongitude:.4f}
elevation = {float(m.SiteElevation):.1f}
utc_offset = {utc}
igbp = "{m.IGBP_vegetation_short}"
canopy_height = {hc:g}
measurement_height = {zm:g}
swc_depths = {fmt(depths)}

# monthly leaf area index, January to December [m2 m-2]
lai = {fmt(s["lai"])}
'''
        for idx, frac in s["pft"]:
            text += f"\n[[pft]]\nindex = {idx}\nfraction = {frac:g}\n"
        text += f"\n[[soil]]\ntop = 0.0\nbottom = 1.0\nsand = {sand:g}\nclay = {clay:g}\n"
        text += f'''
[climate]
tmean = {fmt(np.round(tmean, 2))}
trange = {fmt([12.0] * 12)}
precip = {fmt(np.round(precip, 1))}
wetfrac = {fmt(shape["wet"])}
rh = {fmt(shape["rh"])}
wind = 2.5

[sources]
location = "FluxnetLSM Site_metadata.csv (latitude, longitude, elevation, IGBP)"
utc_offset = "{"FLUXNET2015 BIF UTC_OFFSET" if "UTC_OFFSET" in b else "UNVERIFIED: time zone of the state"}"
climate_annual = "{clim_src}"
climate = "UNVERIFIED: {s["shape"]} template of tools/make_site_entries.py scaled to the annual values; temperature amplitude {s["amp"]} K; daily range 12 K"
wind = "UNVERIFIED typical value"
canopy_height = "{"FluxnetLSM CanopyHeight" if np.isfinite(m.CanopyHeight) else "UNVERIFIED default"}"
measurement_height = "{"FluxnetLSM MeasurementHeight" if np.isfinite(m.MeasurementHeight) else "UNVERIFIED: canopy height + 5 m"}"
pft = "UNVERIFIED: from the vegetation description and IGBP class"
soil = "{soil_src}"
lai = "UNVERIFIED seasonal template"
swc_depths = "{"AmeriFlux BASE measurement-height table 2025-03-18" if depths else "none listed in the AmeriFlux measurement-height table"}"
'''
        out.write_text(text)
        (root / "namelists" / f"{sid}.nml").write_text(
            f"! Site namelist: {sid} with forcing from the weather generator "
            f"(site_data/{sid}.toml).\n! Combine with hr_on.nml or hr_off.nml.\n"
            f"&hrclm_inparm\n    site = '{sid}'\n    start_year = 2010\n    nyears = 1\n"
            f"    forcing = 'generator'\n/\n")
        print(f"wrote {out.name}")


if __name__ == "__main__":
    main(sys.argv[1])
