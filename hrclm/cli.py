"""Command line: ``hrclm run | convert | compare | benchmark | analyse | namelist | sites``.

``hrclm run`` with no arguments is the main job: the spring drought at
US-SRM from a spun-up state (weather generated from the site's monthly
normals), run with hydraulic redistribution off and on.
"""

import argparse
import os
import signal
import sys
import warnings
from pathlib import Path

import numpy as np

from . import __version__
from .config import defaults_namelist_text, load_config, options_markdown, registry_table
from .errors import InputError, clear_stop, request_stop

DEFAULT_EXPERIMENT = "US-SRM_spring.nml"
"""Namelist of the main job (namelists/US-SRM_spring.nml): the spring drought
at US-SRM from a state spun up on the 12 months before."""


def _run_one(config, forcing_path, outdir, progress):
    """Run one configuration, writing its tapes and restarts into outdir as it
    goes; return (h0 Dataset, files written)."""
    from .model import read_netcdf, run_case
    forcing = None
    if forcing_path:
        forcing = read_netcdf(forcing_path, "forcing file",
                              "give a forcing file written by an hrclm reader", "forcing")
    result = run_case(config, forcing, progress=progress,
                      output_dir=outdir if outdir is not None else config["output_dir"])
    return result.tapes[0], result.files


def shallow_deep(ds, shallow=0.3, deep=0.5):
    """Thickness-weighted theta above `shallow` m and below `deep` m."""
    top, bot = ds.zisoi_top.values, ds.zisoi_bot.values
    w_sh = np.clip(np.minimum(bot, shallow) - top, 0, None)
    w_dp = np.clip(bot - np.maximum(top, deep), 0, None)
    theta = ds.H2OSOI
    return ((theta * w_sh).sum("levsoi") / w_sh.sum(),
            (theta * w_dp).sum("levsoi") / w_dp.sum())


def summarize(off, on, dtime):
    """Short comparison of an HR-off and an HR-on run (text lines)."""
    lines = []
    for label, ds in (("HR off", off), ("HR on ", on)):
        et = float((ds.QVEGT + ds.QVEGE + ds.QSOIL).sum()) * dtime
        t = float(ds.QVEGT.sum()) * dtime
        days = ds.time.size * dtime / 86400
        gpp = float(ds.FPSN.sum()) * dtime * 12.011e-6 if "FPSN" in ds else float("nan")
        carbon = ""
        if int(ds.attrs.get("use_carbon", 0)) and "NEE" in ds:
            nee = float(ds.NEE.sum()) * dtime
            rh = float(ds.HR.sum()) * dtime if "HR" in ds else float("nan")
            carbon = (f", NEE {nee:+6.1f} gC m-2 (Rh {rh:.1f}), soil carbon balance error "
                      f"{ds.attrs.get('max_abs_soil_carbon_balance_error_gC_m-2', np.nan):.1e} "
                      "gC m-2")
        lines.append(f"{label}: ET {et:6.1f} mm in {days:.0f} days (transpiration {t:6.1f}), "
                     f"GPP {gpp:6.1f} gC m-2{carbon}, max water balance error "
                     f"{ds.attrs['max_abs_water_balance_error_mm']:.1e} mm, energy "
                     f"{ds.attrs['max_abs_energy_balance_error_W_m-2']:.1e} W m-2, "
                     f"spin-up {ds.attrs['spinup_years']} yr")
    lifted = (on.QHR.clip(min=0).sum("levsoi") * dtime)
    nights = float((on.HR_SWITCH.resample(time="1D").max() > 0).sum())
    moved = float(lifted.sum())
    tran = float(on.QVEGT.sum()) * dtime
    lines.append(f"HR moved {moved / max(nights, 1):.3f} mm per night on average, up or down "
                 f"({nights:.0f} nights), {moved:.1f} mm in total; HR / transpiration "
                 f"{moved / tran if tran > 0 else float('nan'):.2f}")
    sh_off, dp_off = shallow_deep(off)
    sh_on, dp_on = shallow_deep(on)
    lines.append(f"at the end: shallow (0-30 cm) theta HR off {float(sh_off[-1]):.4f}, HR on "
                 f"{float(sh_on[-1]):.4f} m3 m-3 ({float(sh_on[-1] - sh_off[-1]):+.4f}); "
                 f"deep (> 50 cm) {float(dp_off[-1]):.4f} vs {float(dp_on[-1]):.4f} (each run "
                 "from its own spun-up state)")
    return lines


def figure(off, on, path, dtime):
    """Shallow and deep soil moisture, HR off and on, and nightly HR."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    sh_off, dp_off = shallow_deep(off)
    sh_on, dp_on = shallow_deep(on)
    lifted = (on.QHR.clip(min=0).sum("levsoi") * dtime).resample(time="1D").sum()
    fig, ax = plt.subplots(3, 1, figsize=(10, 8), sharex=True)
    ax[0].plot(off.time, sh_off, label="HR off", color="0.4")
    ax[0].plot(on.time, sh_on, label="HR on", color="tab:blue")
    ax[0].set_ylabel("theta 0-30 cm (m3 m-3)")
    ax[0].legend(loc="upper left")
    ax[1].plot(off.time, dp_off, color="0.4")
    ax[1].plot(on.time, dp_on, color="tab:blue")
    ax[1].set_ylabel("theta > 50 cm (m3 m-3)")
    ax[2].bar(lifted.time, lifted, width=1.0, color="tab:green")
    ax[2].set_ylabel("HR moved (mm/day)")
    site = on.attrs.get("site", "")
    ax[0].set_title(f"hrclm {site}: hydraulic redistribution off vs on"
                    + (" (generated weather)" if on.attrs.get("forcing_generated") else ""))
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _print_written(files):
    for f in files:
        print(f"wrote {f}")


def cmd_run(args):
    overrides = {"finidat": args.restart} if args.restart else {}
    if args.namelist and args.with_nml:
        raise InputError("--with applies namelists to the main job (hrclm run without "
                         "namelists); with namelists given, list them all in order instead",
                         argument="with")
    if not args.namelist:
        # the main job: the dry-down experiment, HR off and on
        base = [DEFAULT_EXPERIMENT]
        runs = {}
        for case in ("hr_off", "hr_on"):
            config = load_config(*base, f"{case}.nml", *args.with_nml, **overrides)
            ds, files = _run_one(config, args.forcing, args.output, config["nyears"] > 2)
            runs[case] = ds
            _print_written(files)
        outdir = Path(args.output or config["output_dir"])
        fig = outdir / f"{load_config(*base)['site']}_hr_off_on.png"
        dtime = load_config(*base)["dtime"]
        figure(runs["hr_off"], runs["hr_on"], fig, dtime)
        print(f"wrote {fig}")
        print("\n".join(summarize(runs["hr_off"], runs["hr_on"], dtime)))
        return 0
    config = load_config(*args.namelist, **overrides)
    ds, files = _run_one(config, args.forcing, args.output, config["nyears"] > 2)
    _print_written(files)
    if not all(v in ds for v in ("QVEGT", "QVEGE", "QSOIL")) or ds.time.size == 0:
        return 0
    # mean flux over each record times the record's length
    length = (ds.time_bounds[:, 1] - ds.time_bounds[:, 0]) / np.timedelta64(1, "s")
    et = float(((ds.QVEGT + ds.QVEGE + ds.QSOIL) * length).sum()) / max(config.ncolumns(), 1)
    days = float(length.sum()) / 86400.0
    mean = " (mean over the columns)" if config.ncolumns() > 1 else ""
    print(f"ET {et:.1f} mm{mean} over {days:g} days; max water balance error "
          f"{ds.attrs['max_abs_water_balance_error_mm']:.1e} mm")
    return 0


def cmd_compare(args):
    from . import evaluate
    from .model import check_output_dir, read_netcdf
    from .sites import get_site
    import pandas as pd
    import xarray as xr
    # files of one case (several history files of a tape) are joined in time
    by_case = {}
    for path in args.output:
        ds = read_netcdf(path, "model output", "give history files written by hrclm run",
                         "output")
        if "H2OSOI" not in ds:
            raise InputError(f"model output {path} has no H2OSOI; give h0 history files written "
                             "by hrclm run (<case>.hrclm.h0.<date>.nc)", argument="output")
        if ds.sizes.get("time", 0) == 0:
            raise InputError(f"model output {path} has no time steps; give h0 history files of a "
                             "run that covered at least one step", argument="output")
        key = ds.attrs.get("case") or Path(path).stem
        by_case.setdefault(key, []).append(ds)
    runs = {}
    for key, parts in by_case.items():
        ds = parts[0] if len(parts) == 1 else xr.concat(
            sorted(parts, key=lambda d: d.time.values[0]), dim="time", data_vars="minimal",
            coords="minimal", compat="override")
        case = f"hr_{'on' if ds.attrs.get('use_hr') else 'off'}"
        runs[case if case not in runs else key] = ds
    site_id = next(iter(runs.values())).attrs.get("site", "")
    obs_path = Path(args.obs)
    if not obs_path.exists():
        raise InputError(f"--obs {obs_path} does not exist", argument="obs")
    if obs_path.is_dir():
        from .io.uscrn import read_uscrn
        files = sorted(obs_path.glob("CRNH0203-*.txt"))
        if not files:
            raise InputError(f"--obs {obs_path} is a folder without USCRN hourly02 files "
                             "(CRNH0203-*.txt); give an observation netCDF or such a folder",
                             argument="obs")
        _, obs = read_uscrn(files, site=get_site(site_id))
    else:
        obs = read_netcdf(obs_path, "--obs", "give an observation file written by an hrclm "
                          "reader or a folder of USCRN files", "obs")
    if "SWC" not in obs and "ET" not in obs:
        have = ", ".join(obs.data_vars) or "no variables"
        raise InputError(f"--obs {obs_path} holds neither SWC nor ET (it has {have}); give an "
                         "observation file written by an hrclm reader (hrclm convert)",
                         argument="obs")
    first, last = (pd.Timestamp(t) for t in (min(d.time.values[0] for d in runs.values()),
                                              max(d.time.values[-1] for d in runs.values())))
    if obs.sizes.get("time", 0) == 0 or not (
            (obs.time.values >= first.to_datetime64()) & (obs.time.values <= last.to_datetime64())
    ).any():
        span = (f"covers {pd.Timestamp(obs.time.values[0])} to "
                f"{pd.Timestamp(obs.time.values[-1])}" if obs.sizes.get("time", 0)
                else "has no time steps")
        raise InputError(f"--obs {obs_path} {span} but the model output covers {first} to "
                         f"{last} (UTC); give observations of the run's period", argument="obs")
    out = check_output_dir(args.out, "-o/--out folder")
    table = evaluate.compare(runs, obs, site=site_id)
    if not np.isfinite(table["value"].to_numpy(dtype=float)).any():
        warnings.warn(f"--obs {obs_path} has no values that overlap the model output "
                      f"({first} to {last}, UTC); the metrics table holds no scores", RuntimeWarning)
    table.to_csv(out / "metrics.csv", index=False)
    evaluate.table_to_netcdf(table, out / "metrics.nc")
    written = ["metrics.csv", "metrics.nc"]
    if "SWC" in obs:
        evaluate.plot_diel_shallow(obs, runs, out / "diel_shallow_swc.png")
        written.append("diel_shallow_swc.png")
    for case, ds in runs.items():
        evaluate.plot_time_depth(ds, out / f"time_depth_{case}.png", f"{site_id} {case}")
        written.append(f"time_depth_{case}.png")
    evaluate.plot_seasonal_et(runs, out / "seasonal_et.png", obs.get("ET"),
                              float(obs.attrs.get("utc_offset", 0.0)))
    written.append("seasonal_et.png")
    if "ET" in obs:
        evaluate.plot_et_scatter(runs, obs.ET, out / "et_scatter.png")
        written.append("et_scatter.png")
    print(f"wrote {', '.join(str(out / w) for w in written)}")
    daily = table[(table.timescale == "daily") & (table.metric.isin(["rmse", "r"]))]
    if not daily.empty:
        print(daily.pivot_table(index=["variable", "depth", "metric"], columns="case",
                                values="value").to_string(float_format=lambda v: f"{v:.4g}"))
    return 0


def cmd_benchmark(args):
    from .benchmark import compare_with_baseline, load_baseline, run_benchmark
    if not (args.tolerance >= 0 and np.isfinite(args.tolerance)):
        raise InputError(f"--tolerance {args.tolerance} is not valid: give a relative tolerance "
                         ">= 0 (e.g. 0.01)", argument="tolerance")
    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers {args.workers} is not valid: give a number of worker "
                         "processes >= 1 (or leave it out for one per core)", argument="workers")
    # the baseline is checked before anything is computed
    baseline = load_baseline(args.baseline) if args.baseline else None
    table, failures = run_benchmark(args.config, args.output, scheduler=args.scheduler,
                                    workers=args.workers)
    out = Path(args.output)
    print(f"wrote {out / 'metrics.csv'}, {out / 'metrics.nc'}, {out / 'report.html'}")
    status = 0
    for f in failures:
        print(f"hrclm: failed: {f}", file=sys.stderr)
        status = 1
    if args.baseline:
        worse = compare_with_baseline(table, baseline, args.tolerance)
        for w in worse:
            print(f"hrclm: worse than baseline: {w}", file=sys.stderr)
        if worse:
            print(f"hrclm: {len(worse)} metric(s) worse than {args.baseline} beyond a relative "
                  f"tolerance of {args.tolerance}", file=sys.stderr)
            status = 1
    return status

def _history(path, needs, hint="give an h0 history file written by hrclm run"):
    """An h0 tape with the variables ``needs``; one sentence otherwise."""
    from .model import read_netcdf
    ds = read_netcdf(path, "model output", hint, "output")
    missing = [v for v in needs if v not in ds]
    if missing:
        raise InputError(f"model output {path} has no {', '.join(missing)}; {hint}",
                         argument="output")
    return ds


def _observations(path, needs):
    """An observation Dataset (netCDF of an hrclm reader, or a USCRN folder)."""
    from .model import read_netcdf
    p = Path(path)
    if p.is_dir():
        from .io.uscrn import read_uscrn
        files = sorted(p.glob("CRNH0203-*.txt"))
        if not files:
            raise InputError(f"--obs {p} is a folder without USCRN hourly02 files "
                             "(CRNH0203-*.txt); give an observation netCDF or such a folder",
                             argument="obs")
        from .sites import get_site, registered_sites
        site_id = f"USCRN-{p.name}"
        if site_id not in registered_sites():
            raise InputError(f"--obs {p}: {site_id} is not a registered site, so its elevation "
                             "is unknown; convert the folder first with hrclm convert --elevation "
                             "M and give the observation netCDF", argument="obs")
        obs = read_uscrn(files, site=get_site(site_id))[1]
    else:
        obs = read_netcdf(p, "--obs", "give an observation file written by hrclm convert or a "
                          "folder of USCRN files", "obs")
    missing = [v for v in needs if v not in obs]
    if missing:
        raise InputError(f"observations {p} have no {', '.join(missing)}; give observations with "
                         f"{' and '.join(needs)} (hrclm convert of a USCRN folder or an AmeriFlux "
                         "file)", argument="obs")
    return obs


def _run_precip(ds, forcing_path):
    """Forcing precipitation Rainf [kg m-2 s-1] on a run's steps: from a forcing
    file, or regenerated when the run used the weather generator."""
    import xarray as xr
    from .model import GeneratedForcing, read_netcdf
    if forcing_path:
        f = read_netcdf(forcing_path, "--forcing", "give the forcing file the run used",
                        "forcing")
        if "Rainf" not in f:
            raise InputError(f"--forcing {forcing_path} has no Rainf; give the forcing file the "
                             "run used", argument="forcing")
        rain = f.Rainf
    elif ds.attrs.get("forcing_generated"):
        from .sites import get_site
        t = ds.time.values
        src = GeneratedForcing(get_site(ds.attrs["forcing_site"]), t[0],
                               t[-1] + np.timedelta64(int(ds.attrs["dtime"]), "s"),
                               float(ds.attrs["dtime"]), int(ds.attrs["forcing_seed"]), 400.0)
        rain = xr.DataArray(src.values(0, src.time.size)["Rainf"], dims="time",
                            coords={"time": src.time})
    else:
        raise InputError("the run was forced by a file: give it with --forcing (the run's "
                         "precipitation is read from its Rainf)", argument="forcing")
    missing = ~np.isin(ds.time.values, rain.time.values)
    if missing.any():
        raise InputError(f"the forcing has no precipitation for {int(missing.sum())} steps of the "
                         "run; give the forcing file the run used", argument="forcing")
    return rain.sel(time=ds.time)


def _return_periods(text):
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if not values or not all(v > 1 for v in values):
        raise InputError(f"--return-periods {text!r} is not valid; give years > 1 separated by "
                         "commas (e.g. 2,10,20)", argument="return_periods")
    return values


def cmd_analyse_srmax(args):
    """Srmax of model runs (forcing precipitation vs ET) and of observations."""
    from .analysis import srmax_from_run, srmax_from_tower
    rp = _return_periods(args.return_periods)
    if not args.output and not args.obs:
        raise InputError("hrclm analyse srmax needs h0 history files of runs, or --obs with P "
                         "and ET, or both", argument="output")
    results = []
    for path in args.output:
        ds = _history(path, ("QVEGT", "QVEGE", "QSOIL"))
        utc = float(ds.attrs.get("forcing_utc_offset", 0.0))
        label = ds.attrs.get("case") or Path(path).stem
        results.append((label, srmax_from_run(ds, _run_precip(ds, args.forcing), utc,
                                              return_periods=rp), ""))
    if args.obs:
        obs = _observations(args.obs, ("P", "ET"))
        out, why = srmax_from_tower(obs.P, obs.ET, float(obs.attrs.get("utc_offset", 0.0)),
                                    return_periods=rp)
        results.append(("observed", out, why))
    for label, out, why in results:
        if out is None:
            print(f"{label}: no Srmax: {why}")
            continue
        maxima = ", ".join(f"{int(y)} {v:.0f}" for y, v in zip(out.year.values,
                                                              out.annual_max.values))
        line = f"{label}: annual maximum deficit [mm]: {maxima}"
        if "srmax" in out:
            line += "; Srmax " + ", ".join(f"{p:g}-yr {v:.0f} mm" for p, v in
                                            zip(out.return_period.values, out.srmax.values))
        else:
            line += "; Srmax by return period needs 3 years or more"
        print(line)
    return 0


def cmd_analyse_sensitivity(args):
    """Flux sensitivities to layer soil moisture from a free and a prescribed run."""
    from .analysis import run_sensitivity
    free = _history(args.free, ("H2OSOI",))
    presc = _history(args.prescribed, ("H2OSOI",))
    fluxes = [f.strip() for f in args.flux.split(",") if f.strip()]
    out = run_sensitivity(free, presc, fluxes=fluxes, timescale=args.timescale,
                          utc_offset=float(free.attrs.get("forcing_utc_offset", 0.0)),
                          min_dtheta=args.min_dtheta)
    for name in fluxes:
        units = out[f"beta_{name}"].attrs["units"]
        for layer in out.layer.values:
            v = out[f"beta_{name}"].sel(layer=layer).values
            n = int(np.isfinite(v).sum())
            med = out.attrs[f"median_beta_{name}_{layer}"]
            print(f"{args.timescale} beta_{name} {layer}: " + (
                f"median {med:.3g} {units} ({n} values)" if n else
                f"no value with |d theta| >= {args.min_dtheta:g} m3 m-3"))
    return 0


def cmd_analyse_correct(args):
    """Sensor-temperature correction of observed soil moisture at one depth."""
    from .analysis import correct_sensor_temperature
    from .model import check_output_dir, write_netcdf
    obs = _observations(args.obs, ("SWC", "TSOI"))
    depths = obs.depth.values
    if not np.any(np.isclose(depths, args.depth)):
        raise InputError(f"--depth {args.depth:g} m is not a sensor depth of {args.obs}; use one "
                         f"of {', '.join(f'{d:g}' for d in depths)} m", argument="depth")
    d = float(depths[np.isclose(depths, args.depth)][0])
    swc, ts = obs.SWC.sel(depth=d), obs.TSOI.sel(depth=d)
    ok = (swc.notnull() & ts.notnull()).values
    rain = obs.P.isel(time=ok) if "P" in obs else None
    if args.out:
        check_output_dir(Path(args.out).parent or Path("."), "-o/--out folder")
    fit = correct_sensor_temperature(swc.isel(time=ok), ts.isel(time=ok), rain=rain,
                                     utc_offset=float(obs.attrs.get("utc_offset", 0.0)))
    print(f"{d:g} m: k = {fit.attrs['k']:.3g} +- {fit.attrs['k_se']:.2g} m3 m-3 K-1 from "
          f"{fit.attrs['n_days']} rain-free days; mean diel amplitude "
          f"{fit.attrs['diel_amplitude_before']:.4f} -> {fit.attrs['diel_amplitude_after']:.4f} "
          "m3 m-3")
    if args.out:
        ds = fit.corrected.rename("SWC_corrected").assign_attrs(units="m3 m-3").to_dataset()
        ds.attrs.update({k: v for k, v in fit.attrs.items()})
        ds.attrs["depth_m"] = d
        write_netcdf(ds, args.out)
        print(f"wrote {args.out}")
    return 0


def cmd_analyse_blend(args):
    """Blend observed soil-moisture snapshots into a run's soil moisture."""
    from . import evaluate
    from .analysis import blend
    from .model import write_netcdf
    ds = _history(args.output, ("H2OSOI", "WATSAT"))
    obs = _observations(args.obs, ("SWC",))
    if args.every < 1:
        raise InputError(f"--every {args.every} is not valid; give the days between snapshots "
                         "(>= 1)", argument="every")
    depths = obs.depth.values
    snaps = obs.SWC.resample(time=f"{args.every}D").first().dropna("time", how="all")
    inside = (snaps.time >= ds.time[0]) & (snaps.time <= ds.time[-1])
    snaps = snaps.isel(time=inside.values)
    if snaps.sizes["time"] == 0:
        raise InputError(f"--obs {args.obs} has no soil moisture within the run "
                         f"({str(ds.time.values[0])[:10]} to {str(ds.time.values[-1])[:10]}); "
                         "give observations of the run's period", argument="obs")
    model = evaluate.model_at_depths(ds, depths).transpose("time", "depth")
    upper = [float(evaluate.model_layer_mean(ds, max(0.0, d - evaluate.SENSOR_HALF_WIDTH),
                                             d + evaluate.SENSOR_HALF_WIDTH, "WATSAT").max())
             for d in depths]
    out = blend(model, snaps.transpose("time", "depth"), lower=0.0, upper=upper)
    write_netcdf(out, args.out)
    print(f"{snaps.sizes['time']} snapshots every {args.every} days blended at "
          f"{', '.join(f'{d:g}' for d in depths)} m; mean bias model - obs "
          f"{float(out.snapshot_bias.mean()):+.4f} m3 m-3; wrote {args.out}")
    return 0


def cmd_convert(args):
    """Read downloaded site files into hrclm forcing and observation netCDF."""
    from .io import read_ameriflux, read_plumber2_flux, read_plumber2_met, read_uscrn
    from .io.convert import one_line
    from .model import write_netcdf
    from .sites import get_site
    site = get_site(args.site) if args.site else None
    src = Path(args.input)
    if not src.exists():
        raise InputError(f"input {src} does not exist", argument="input")
    if args.heights is not None and not Path(args.heights).is_file():
        raise InputError(f"--heights {args.heights} does not exist; give the AmeriFlux "
                         "measurement-height table (BASE_MeasurementHeight_<date>.csv)",
                         argument="heights")
    forcing = obs = None
    if src.is_dir():
        files = sorted(src.glob("CRNH0203-*.txt"))
        if not files:
            raise InputError(f"folder {src} holds no USCRN hourly02 files (CRNH0203-*.txt)",
                             argument="input")
        forcing, obs = read_uscrn(files, site=site, elevation=args.elevation)
    elif src.suffix.lower() == ".nc":
        import xarray as xr
        try:
            with xr.open_dataset(src) as probe:
                is_met = "Tair" in probe
        except Exception as err:
            raise InputError(f"{src} could not be read as netCDF ({one_line(err)}); give a "
                             "PLUMBER2 Met or Flux netCDF file", argument="input") from None
        if is_met:
            forcing = read_plumber2_met(src)
        else:
            obs = read_plumber2_flux(src)
    else:
        forcing, obs = read_ameriflux(src, site=site, utc_offset=args.utc_offset,
                                      elevation=args.elevation, heights=args.heights)
    written = []
    for ds, out in ((forcing, args.forcing_out), (obs, args.obs_out)):
        if ds is None or (ds is obs and not len(obs.data_vars)):
            continue
        try:
            write_netcdf(ds, out)
        except OSError as err:
            raise InputError(f"{out} could not be written ({one_line(err.strerror or err)}); "
                             "give a writable path", argument="output") from None
        written.append(out)
    print(f"wrote {', '.join(written)}")
    repaired = {k: v for ds in (forcing, obs) if ds is not None for k, v in ds.attrs.items()
                if (k.startswith(("repaired_", "dropped_", "rh_floored")) and v)}
    if repaired:
        print("repairs (counted in the file attributes): "
              + ", ".join(f"{k} = {v}" for k, v in repaired.items()))
    return 0


def cmd_namelist(args):
    if args.write_defaults:
        try:
            Path(args.write_defaults).write_text(defaults_namelist_text())
        except OSError as err:
            raise InputError(f"--write-defaults {args.write_defaults} cannot be written "
                             f"({(err.strerror or type(err).__name__).lower()}); give a file "
                             "path in a folder you can write to", argument="write_defaults") \
                from None
        print(f"wrote {args.write_defaults}")
    else:
        sys.stdout.write(options_markdown() if args.markdown else registry_table())
    return 0


def cmd_sites(args):
    from .sites import SITE_PATH_ENV, registered_sites, site_file_text, user_site_dirs
    if args.show:
        sys.stdout.write(site_file_text(args.show))
        return 0
    sites = registered_sites()
    print(f"{'site':<24} {'name':<28} {'lat':>8} {'lon':>9} {'elev':>6}  igbp  pft (fraction)")
    for s in sites.values():
        pfts = ", ".join(f"{p['index']} ({p['fraction']:.2f})" for p in s.pft)
        print(f"{s.id:<24} {s.name[:28]:<28} {s.latitude:8.3f} {s.longitude:9.3f} "
              f"{s.elevation:6.0f}  {s.igbp:<4}  {pfts}")
    user = user_site_dirs()
    if user:
        print(f"\nsearched first ({SITE_PATH_ENV}): {os.pathsep.join(user)}")
    else:
        print(f"\nyour own sites: TOML files (hrclm sites --show US-SRM > NEW.toml, then edit) "
              f"in folders named in {SITE_PATH_ENV}")
    return 0


def cmd_rhizosphere(args):
    """Run the root-scale model from &rhizosphere_inparm and write its netCDF."""
    from . import rhizosphere
    from .io.convert import one_line
    from .model import write_netcdf
    config = load_config(*args.namelist)
    ds = rhizosphere.run_config(config)
    try:
        write_netcdf(ds, args.output)      # a temporary file, renamed when complete
    except OSError as err:
        raise InputError(f"{args.output} could not be written ({one_line(err.strerror or err)}); "
                         "give a writable path", argument="output") from None
    print(f"wrote {args.output}")
    print("\n".join(rhizosphere.summary(ds)))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="hrclm", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"hrclm {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="run the model (no namelist: the US-SRM dry-down "
                                   "experiment, HR off and on)")
    p.add_argument("namelist", nargs="*", help="namelist files, applied in order")
    p.add_argument("--forcing", help="forcing netCDF in the hrclm layout")
    p.add_argument("-o", "--output", help="output folder (default: output_dir of the namelist, "
                                          "hrclm_output)")
    p.add_argument("--restart", metavar="FILE", help="start from this restart file (sets finidat)")
    p.add_argument("--with", dest="with_nml", action="append", default=[], metavar="NML",
                   help="the main job (no namelist given) with this namelist applied after "
                        "hr_off.nml / hr_on.nml (repeatable), e.g. one that sets "
                        "root_uptake = 'clm45'")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("compare", help="score model output against observations")
    p.add_argument("output", nargs="+", help="h0 history files of hrclm run (e.g. HR off and on; "
                                             "files of one case are joined in time)")
    p.add_argument("--obs", required=True,
                   help="observation netCDF from an hrclm reader, or a folder of USCRN files")
    p.add_argument("-o", "--out", default="hrclm_compare", help="folder for the table and figures")
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("benchmark", help="run and score every site x case of a benchmark "
                                         "config on dask")
    p.add_argument("config", help="benchmark config (TOML)")
    p.add_argument("-o", "--output", default="hrclm_benchmark", help="output folder")
    p.add_argument("--scheduler", help="address of a running dask scheduler "
                                       "(default: a LocalCluster on this machine)")
    p.add_argument("--workers", type=int, help="LocalCluster worker processes (default: cores)")
    p.add_argument("--baseline", help="metrics.csv of an earlier run; exit 1 if a metric is worse")
    p.add_argument("--tolerance", type=float, default=0.01,
                   help="relative tolerance of the baseline comparison (default 0.01)")
    p.set_defaults(func=cmd_benchmark)
    p = sub.add_parser("analyse", help="root-zone analyses: srmax, sensitivity, correct, blend")
    asub = p.add_subparsers(dest="analysis", required=True)
    a = asub.add_parser("srmax", help="root-zone storage capacity by the mass curve [mm]")
    a.add_argument("output", nargs="*", help="h0 history files of runs (precipitation from "
                                             "--forcing, or regenerated for generated weather)")
    a.add_argument("--forcing", help="forcing netCDF the runs used (Rainf)")
    a.add_argument("--obs", help="observations with P and ET (hrclm convert of an AmeriFlux file)")
    a.add_argument("--return-periods", default="2,10,20", help="years (default 2,10,20)")
    a.set_defaults(func=cmd_analyse_srmax)
    a = asub.add_parser("sensitivity", help="beta of ET, T, GPP to layer soil moisture from a "
                                            "free and a prescribed run")
    a.add_argument("free", help="h0 history of the free run")
    a.add_argument("prescribed", help="h0 history of the run with prescribed soil moisture")
    a.add_argument("--flux", default="ET,T,GPP", help="fluxes (default ET,T,GPP; also AR, HR "
                                                      "(heterotrophic) and NEE from runs with "
                                                      "carbon)")
    a.add_argument("--timescale", default="daily", help="daily or annual")
    a.add_argument("--min-dtheta", type=float, default=1e-3,
                   help="smallest soil-moisture difference counted [m3 m-3]")
    a.set_defaults(func=cmd_analyse_sensitivity)
    a = asub.add_parser("correct", help="sensor-temperature correction of observed soil moisture")
    a.add_argument("obs", help="observation netCDF (SWC, TSOI) or a folder of USCRN files")
    a.add_argument("--depth", type=float, default=0.05, help="sensor depth [m] (default 0.05)")
    a.add_argument("-o", "--out", help="netCDF to write the corrected series to")
    a.set_defaults(func=cmd_analyse_correct)
    a = asub.add_parser("blend", help="blend observed soil-moisture snapshots into a run")
    a.add_argument("output", help="h0 history file of the run")
    a.add_argument("obs", help="observation netCDF (SWC) or a folder of USCRN files")
    a.add_argument("--every", type=int, default=30, help="days between snapshots (default 30)")
    a.add_argument("-o", "--out", default="blended.nc", help="netCDF to write")
    a.set_defaults(func=cmd_analyse_blend)
    p = sub.add_parser("convert", help="read downloaded site files (AmeriFlux BASE or FLUXNET "
                                       "CSV/zip, PLUMBER2 netCDF, a folder of USCRN files) into "
                                       "forcing and observation netCDF")
    p.add_argument("input", help="the downloaded file or folder")
    p.add_argument("--site", help="registered site id (gives UTC offset, elevation, location)")
    p.add_argument("--utc-offset", type=float, help="hours, if the site is not registered")
    p.add_argument("--elevation", type=float, help="m, if the site is not registered")
    p.add_argument("--heights", help="AmeriFlux measurement-height table (SWC depths)")
    p.add_argument("--forcing-out", default="forcing.nc", help="forcing netCDF to write")
    p.add_argument("--obs-out", default="obs.nc", help="observation netCDF to write")
    p.set_defaults(func=cmd_convert)
    p = sub.add_parser("namelist", help="print the namelist options")
    p.add_argument("--markdown", action="store_true", help="as a Markdown table")
    p.add_argument("--write-defaults", metavar="FILE", help="write defaults.nml to FILE")
    p.set_defaults(func=cmd_namelist)
    p = sub.add_parser("sites", help="list the registered sites (HRCLM_SITE_PATH folders first)")
    p.add_argument("--show", metavar="SITE", help="print the site's TOML file (a template for a new site)")
    p.set_defaults(func=cmd_sites)
    p = sub.add_parser("rhizosphere", help="run the root-scale (single-root) model from "
                                           "&rhizosphere_inparm and write it to netCDF")
    p.add_argument("namelist", nargs="*", help="namelist files, applied in order")
    p.add_argument("-o", "--output", default="rhizosphere.nc", help="netCDF to write "
                                                                    "(default rhizosphere.nc)")
    p.set_defaults(func=cmd_rhizosphere)
    parser.add_argument("--debug", action="store_true",
                        help="show the Python traceback of an error")
    args = parser.parse_args(argv)
    clear_stop()
    previous = _terminate_as_interrupt()
    try:
        with warnings.catch_warnings():
            # one line per warning, as for errors
            warnings.showwarning = lambda message, *a, **k: print(f"hrclm: warning: {message}",
                                                                  file=sys.stderr)
            return args.func(args)
    except InputError as err:
        if args.debug:
            raise
        print(f"hrclm: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("hrclm: interrupted; files of the unfinished run were removed, finished files "
              "(and restarts already written) were kept", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _terminate_as_interrupt():
    """SIGTERM stops a run as Ctrl-C does (cleanly, exit 130). Returns the
    previous handler, or None where it cannot be set (not the main thread)."""
    def handler(signum, frame):
        request_stop()
        raise KeyboardInterrupt
    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:
        return None


if __name__ == "__main__":
    sys.exit(main())
