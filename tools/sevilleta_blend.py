"""Worked example of the companion study's chain on real data we hold:
USCRN NM Socorro 20 N (Sevilleta), 2020-2023, forced by its own hourly
weather, HR off and on.

1. Run the model free.
2. Draw snapshots of the observed soil moisture (5-100 cm) every N days,
   interpolate them in depth to the model's layer nodes within the sensors'
   range, and blend them into the model's layer soil moisture
   (hrclm.analysis.blend, bounds [0, porosity]).
3. Rerun with the blended soil moisture prescribed in those layers
   (hrclm.run(..., soil_moisture=...)); the water it takes is QIMPOSED.
4. Daily and annual sensitivities of ET, transpiration, GPP, autotrophic
   respiration AR, heterotrophic respiration HR and NEE to the soil moisture
   of the 0-10, 10-40 and 0-100 cm layers, beta = (X_free - X_prescribed) /
   (theta_free - theta_prescribed) (hrclm.analysis.run_sensitivity). Both
   runs start from the same spun-up state (the spin-up runs free), so their
   soil carbon pools agree at the start.

Run (beside ../shared, from any folder but the source tree):
    python tools/sevilleta_blend.py [--every 30]
"""

import argparse
from pathlib import Path

import numpy as np

import hrclm
from hrclm.analysis import blend, run_sensitivity
from hrclm.config import load_config
from hrclm.io import read_uscrn
from hrclm.sites import get_site

SITE = "USCRN-NM_Socorro_20_N"
FLUXES = ("ET", "T", "GPP", "AR", "HR", "NEE")
FOLDER = Path(__file__).resolve().parents[1].parent / "shared" / "site_data_raw" / "uscrn" / \
    "NM_Socorro_20_N"


def snapshots_at_nodes(obs_swc, nodes, every_days):
    """Observed SWC every ``every_days`` days at noon UTC, linear in depth to
    the model nodes within the sensors' range (NaN outside)."""
    days = obs_swc.time.dt.floor("1D")
    pick = obs_swc.where((obs_swc.time.dt.hour == 12)
                         & ((days - days[0]).dt.days % every_days == 0), drop=True)
    depths = obs_swc.depth.values
    inside = (nodes >= depths.min()) & (nodes <= depths.max())
    values = np.full((pick.time.size, nodes.size), np.nan)
    for i, row in enumerate(pick.values):
        ok = np.isfinite(row)
        if ok.sum() >= 2:
            values[i, inside] = np.interp(nodes[inside], depths[ok], row[ok], left=np.nan,
                                          right=np.nan)
    return pick.time.values, values, inside


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=30, help="days between snapshots")
    args = parser.parse_args(argv)
    files = sorted(FOLDER.glob("CRNH0203-*.txt"))
    if not files:
        raise SystemExit(f"no USCRN files in {FOLDER}")
    _, obs = read_uscrn(files, site=get_site(SITE))
    for case in ("hr_off", "hr_on"):
        config = load_config(f"{SITE}.nml", f"{case}.nml", forcing_file=str(FOLDER), nyears=4)
        free = hrclm.run(config)
        nodes = free.levsoi.values
        t_snap, v_snap, inside = snapshots_at_nodes(obs.SWC, nodes, args.every)
        theta = free.H2OSOI.isel(levsoi=np.flatnonzero(inside))
        snaps = theta.isel(time=slice(0, len(t_snap))).copy(data=v_snap[:, inside])
        snaps = snaps.assign_coords(time=t_snap)
        b = blend(theta, snaps, lower=0.0, upper=free.WATSAT.values[inside])
        presc = free.H2OSOI.copy(data=np.full(free.H2OSOI.shape, np.nan))
        presc[:, np.flatnonzero(inside)] = b.blended.values
        run = hrclm.run(config, soil_moisture=presc)
        dt = config["dtime"]
        print(f"{case}: {len(t_snap)} snapshots every {args.every} days, layers "
              f"{np.round(nodes[inside], 3).tolist()} m prescribed; mean bias model - obs "
              f"{float(b.snapshot_bias.mean()):+.4f} m3 m-3; water imposed "
              f"{float(run.QIMPOSED.sum()) * dt:+.1f} mm over the run; "
              f"ET free {float((free.QVEGT + free.QVEGE + free.QSOIL).sum()) * dt:.1f} mm, "
              f"prescribed {float((run.QVEGT + run.QVEGE + run.QSOIL).sum()) * dt:.1f} mm")

        for timescale in ("daily", "annual"):
            sens = run_sensitivity(free, run, fluxes=FLUXES, timescale=timescale,
                                   utc_offset=-7.0, min_dtheta=0.005)
            for name in FLUXES:
                units = sens[f"beta_{name}"].attrs["units"]
                for layer in sens.layer.values:
                    v = sens[f"beta_{name}"].sel(layer=layer).values
                    v = v[np.isfinite(v)]
                    print(f"  {timescale} beta_{name} {layer}: " + (
                        f"median {np.median(v):8.2f} {units} (IQR {np.percentile(v, 25):.2f} to "
                        f"{np.percentile(v, 75):.2f}; {v.size} values with |d theta| >= 0.005)"
                        if v.size else "no value with |d theta| >= 0.005"))

if __name__ == "__main__":
    main()
