"""Magnitudes of hydraulic redistribution (HR) at the HR-study sites, HR on vs
HR off, next to literature ranges.

For each site: one year (start_year 2010, nyears 1, dtime 1800 s) under the
weather generator (namelist seed), spun up as by default, with the package
defaults (hr_pfts = woody PFTs 1-11, hr_top_layer = .false.):
``hrclm.load_config(f"{site}.nml", "hr_on.nml")`` and ``"hr_off.nml"``.

* nightly HR [mm/night]: per local night (20:00-06:00 local standard time,
  the site's utc_offset; history times are UTC period starts), the water
  moved = sum over layers of max(QHR, 0) x dtime; mean and 95th percentile
  over the complete nights with HR > 0.001 mm, and their number;
* HR/T over the dry season: sum of max(QHR, 0) x dtime over layers and steps
  divided by the sum of QVEGT x dtime, over the calendar months (local
  standard time) whose normal monthly precipitation (site.climate['precip'])
  is below 0.5 x the mean monthly precipitation;
* annual ET (QVEGT + QVEGE + QSOIL) and T, HR on minus HR off;
* PFT cover and which patches redistribute (attributes pft_cover and
  vegetation).

Then a Markdown table, the literature ranges, and for each site outside them
a hypothesis with a cheap quantitative check (a rerun with one option
changed). Nothing is written to disk (history kept in memory).

Run from outside the source tree, e.g.
``cd /tmp && python /path/to/hrclm/tools/hr_magnitudes.py``; add namelist
overrides for every run as ``KEY=VALUE`` arguments, e.g.
``root_uptake=hydraulic``.
"""

import re
import sys
import time
import warnings

import numpy as np
import pandas as pd

import hrclm
from hrclm.io import generate_forcing
from hrclm.sites import get_site

SITES = ["US-SRM", "US-Wrc", "US-SCc", "US-SCd", "US-SCf", "US-SCg", "US-SCs", "US-SCw"]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
NIGHT_MIN = 0.001        # mm: a night "with HR"
DRY_FACTOR = 0.5         # dry month: normal precipitation < 0.5 x mean monthly

# literature (as given in the brief)
LIT_NIGHT = (0.04, 1.3)  # mm/night, Neumann & Cardon (2012) review of measurements
LIT_HRT = (0.03, 0.79)   # HR/T, synthesis (Neumann & Cardon 2012), mean 0.27
RYEL_T = 3.5             # % more transpiration with HR over 100 days, Ryel et al. (2002)
RYEL_TOL = 3.0           # flag a T change more than this factor above RYEL_T
WARREN_PEAK = 0.3        # mm/day peak, Warren et al. (2007) Douglas-fir
WARREN_TOL = 2.0         # flag a peak off by more than this factor
WARREN_DEPTH = 0.6       # m: compare HR into layers with nodes above this depth too


# ----------------------------------------------------------------------------
# runs

OVERRIDES = {}           # KEY=VALUE arguments, applied to every run


def run(site, case, state=None, **overrides):
    """One run: (h0 Dataset in memory, final state, warning texts, seconds)."""
    config = hrclm.load_config(f"{site}.nml", f"{case}.nml", **{**OVERRIDES, **overrides})
    t0 = time.time()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds, final = hrclm.run_with_state(config, state=state)
    texts = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    return ds, final, texts, time.time() - t0


def dtime_of(ds):
    return float(ds.attrs["dtime"])


def local_time(ds, site):
    return pd.DatetimeIndex(ds.time.values) + pd.Timedelta(hours=site.utc_offset)


def moved(ds):
    """Water moved by HR per step [mm]: sum over layers of max(QHR, 0) x dtime."""
    return ds.QHR.clip(min=0).sum("levsoi").values * dtime_of(ds)


def upward_mask(ds):
    """Steps whose HR moved the water's centre of mass up (sum QHR z < 0)."""
    return (ds.QHR * ds.levsoi).sum("levsoi").values < 0


def night_totals(ds, site, per_step):
    """Per complete local night (20:00-06:00 LST), the sum of per_step [mm];
    nights labelled by the date of their morning."""
    shifted = local_time(ds, site) + pd.Timedelta(hours=4)     # 20:00 -> 00:00, 06:00 -> 10:00
    inside = shifted.hour < 10
    steps_per_night = int(round(10 * 3600 / dtime_of(ds)))
    df = pd.DataFrame({"v": per_step[inside], "night": shifted[inside].normalize()})
    g = df.groupby("night")["v"].agg(["sum", "count"])
    return g.loc[g["count"] == steps_per_night, "sum"]


def nightly_stats(totals):
    hr = totals[totals > NIGHT_MIN]
    if hr.empty:
        return 0, np.nan, np.nan, np.nan
    return int(hr.size), float(hr.mean()), float(hr.quantile(0.95)), float(hr.max())


def dry_months(site):
    p = np.asarray(site.climate["precip"], float)
    return [m + 1 for m in np.flatnonzero(p < DRY_FACTOR * p.mean())]


def generated_rain(site, ds):
    """Monthly (local) totals [mm] of the generated rain of the run year."""
    c = ds.attrs
    year = pd.Timestamp(ds.time.values[0]).year
    f = generate_forcing(site, year, 1, dtime_of(ds), int(c["forcing_seed"]),
                         float(re.search(r"\bco2 = ([\d.]+)", c["namelist"]).group(1)))
    rain = f.Rainf.values * dtime_of(ds)
    t = pd.DatetimeIndex(f.time.values) + pd.Timedelta(hours=site.utc_offset)
    return pd.Series(rain, index=t).groupby(t.month).sum().reindex(range(1, 13), fill_value=0.0)


def totals(ds):
    dt = dtime_of(ds)
    return {"ET": float((ds.QVEGT + ds.QVEGE + ds.QSOIL).sum()) * dt,
            "T": float(ds.QVEGT.sum()) * dt, "E": float(ds.QSOIL.sum()) * dt,
            "Ei": float(ds.QVEGE.sum()) * dt, "R": float(ds.QOVER.sum()) * dt,
            "D": float(ds.QDRAI.sum()) * dt}


def hr_over_t(ds, site, months):
    m = np.isin(local_time(ds, site).month, months)
    t = ds.QVEGT.values[m].sum() * dtime_of(ds)
    return float(moved(ds)[m].sum() / t) if t > 0 else np.nan, float(t)


def patches(ds):
    cover = re.findall(r"PFT (\d+) (\S+) ([0-9.eE+-]+)", ds.attrs["pft_cover"])
    hr = dict(re.findall(r"PFT (\d+):.*?HR (on|off)", ds.attrs["vegetation"]))
    return [(int(i), name, float(f), hr.get(i) == "on") for i, name, f in cover]


def metrics(site, on, off):
    months = dry_months(site)
    per = moved(on)
    nights = night_totals(on, site, per)
    n, mean, p95, peak = nightly_stats(nights)
    up = upward_mask(on)
    shallow = on.levsoi.values < WARREN_DEPTH
    per_shallow = on.QHR.clip(min=0).values[:, shallow].sum(1) * dtime_of(on)
    n_sh, mean_sh, p95_sh, peak_sh = nightly_stats(night_totals(on, site, per_shallow))
    hrt, tdry = hr_over_t(on, site, months)
    rain = generated_rain(site, on)
    gen_dry = [m for m in range(1, 13) if rain[m] < DRY_FACTOR * rain.mean()]
    hrt_gen, _ = hr_over_t(on, site, gen_dry) if gen_dry else (np.nan, 0)
    ton, toff = totals(on), totals(off)
    lt = local_time(on, site)
    monthly = pd.DataFrame({"up": np.where(up, per, 0.0), "down": np.where(up, 0.0, per)},
                           index=lt).groupby(lt.month).sum()
    return {
        "site": site.id, "patches": patches(on), "dry": months, "gen_dry": gen_dry,
        "rain": rain, "n": n, "mean": mean, "p95": p95, "peak": peak,
        "shallow": (n_sh, mean_sh, p95_sh, peak_sh),
        "hrt": hrt, "hrt_gen": hrt_gen, "tdry": tdry,
        "hr_dry": float(per[np.isin(lt.month, months)].sum()),
        "hr_year": float(per.sum()), "hr_up": float(per[up].sum()),
        "night_share": float(nights.sum() / per.sum()) if per.sum() > 0 else np.nan,
        "monthly": monthly, "on": ton, "off": toff,
        "et_change": 100 * (ton["ET"] - toff["ET"]) / toff["ET"],
        "t_change": 100 * (ton["T"] - toff["T"]) / toff["T"],
        "zwt_on": (float(on.ZWT.min()), float(on.ZWT.max())),
        "zwt_off": (float(off.ZWT.min()), float(off.ZWT.max())),
        "bottom": float(on.zisoi_bot.values[-1]),
        "deep_sat": float((on.H2OSOI.isel(levsoi=slice(-3, None)) / on.WATSAT.isel(
            levsoi=slice(-3, None))).mean()),
    }


# ----------------------------------------------------------------------------
# printing

def fmt(x, spec=".3f"):
    return "-" if x is None or (isinstance(x, float) and not np.isfinite(x)) else format(x, spec)


def month_list(ms):
    return ",".join(MONTHS[m - 1] for m in ms) if ms else "none"


def table(rows):
    head = ["site", "PFTs (cover)", "dry-season months", "nights with HR",
            "nightly HR mean [mm]", "nightly HR p95 [mm]", "HR/T dry season [%]", "ET off [mm]",
            "ET on [mm]", "ET change %", "T change %"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        pfts = ", ".join(f"PFT{i} {f:.2f}{' (HR)' if hr else ''}" for i, _, f, hr in r["patches"])
        cells = [r["site"], pfts, month_list(r["dry"]), str(r["n"]), fmt(r["mean"]),
                 fmt(r["p95"]), fmt(100 * r["hrt"], ".0f"), fmt(r["off"]["ET"], ".1f"),
                 fmt(r["on"]["ET"], ".1f"), fmt(r["et_change"], "+.1f"),
                 fmt(r["t_change"], "+.1f")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


LITERATURE = """Literature to compare (values as given; not re-checked against the papers here):
- Neumann & Cardon (2012) review: 0.04-1.3 mm/night of HR measured.
- Ryel et al. (2002), big sagebrush: HR added ~3.5 % to transpiration over 100 days.
- Global synthesis (Neumann & Cardon 2012): HR ~ 27 % of transpiration on average (range 3-79 %).
- Warren et al. (2007), old-growth Douglas-fir: HR peaks near 0.3 mm/day (relevant to US-Wrc).
- Scott et al. (2008) at US-SRM: HR downward after dormant-season rain, upward as the shallow
  soil dries."""


def flags(r):
    """Which comparisons put the site outside the literature."""
    out = []
    if r["n"] == 0:
        out.append("no night with HR (literature: 0.04-1.3 mm/night)")
    else:
        if not LIT_NIGHT[0] <= r["mean"] <= LIT_NIGHT[1]:
            out.append(f"nightly mean {r['mean']:.3f} mm outside {LIT_NIGHT[0]}-{LIT_NIGHT[1]}")
        if r["p95"] > LIT_NIGHT[1]:
            out.append(f"nightly p95 {r['p95']:.2f} mm above {LIT_NIGHT[1]}")
    if np.isfinite(r["hrt"]) and not LIT_HRT[0] <= r["hrt"] <= LIT_HRT[1]:
        out.append(f"dry-season HR/T {100 * r['hrt']:.0f} % outside {100 * LIT_HRT[0]:.0f}-"
                       f"{100 * LIT_HRT[1]:.0f} %")
    if r["site"] == "US-Wrc" and r["n"]:
        if not WARREN_PEAK / WARREN_TOL <= r["peak"] <= WARREN_PEAK * WARREN_TOL:
            out.append(f"peak night {r['peak']:.2f} mm vs Warren ~{WARREN_PEAK} mm/day "
                       f"(more than x{WARREN_TOL:g} off)")
    if r["hr_year"] > 0 and abs(r["t_change"]) > RYEL_T * RYEL_TOL:
        out.append(f"T change {r['t_change']:+.1f} % vs Ryel ~{RYEL_T} % (more than x{RYEL_TOL:g})")
    return out


# ----------------------------------------------------------------------------
# checks of the hypotheses (each a rerun with one option changed)

def inside_night(m):
    """Nightly mean and p95 inside the measured range."""
    return m["n"] > 0 and LIT_NIGHT[0] <= m["mean"] <= LIT_NIGHT[1] and m["p95"] <= LIT_NIGHT[1]


def inside_ryel(t_change):
    return abs(t_change) <= RYEL_T * RYEL_TOL


def yes(ok):
    return "yes" if ok else "no"


def warned(w):
    return f" [warnings: {sorted(set(w))}]" if w else ""


def check_no_woody(site, r, off):
    """No patch redistributes: let the site's other PFTs redistribute too."""
    extra = [i for i, _, _, hr in r["patches"] if not hr]
    ds, _, w, _ = run(site.id, "hr_on", hr_pfts=list(range(1, 12)) + extra)
    m = metrics(site, ds, off)
    ok = inside_night(m) and LIT_HRT[0] <= m["hrt"] <= LIT_HRT[1]
    return (f"check: rerun HR on with hr_pfts = 1-11 + {extra}: {m['n']} nights with HR, "
            f"mean {fmt(m['mean'])} / p95 {fmt(m['p95'])} mm/night, dry-season HR/T "
            f"{fmt(100 * m['hrt'], '.0f')} %, T change {m['t_change']:+.1f} %, ET change "
            f"{m['et_change']:+.1f} % -> zero HR explained: yes; with grass HR inside the "
            f"nightly and HR/T ranges: {yes(ok)}" + warned(w))


def check_water_table(site, r):
    """Water table near the roots: rerun both cases with free drainage."""
    on, _, w1, _ = run(site.id, "hr_on", lower_bc="free_drainage")
    off, _, w2, _ = run(site.id, "hr_off", lower_bc="free_drainage")
    m = metrics(site, on, off)
    return (f"check: rerun on and off with lower_bc = 'free_drainage' (no water table): "
            f"nightly mean {fmt(m['mean'])} (was {fmt(r['mean'])}), p95 {fmt(m['p95'])} "
            f"(was {fmt(r['p95'])}), peak {fmt(m['peak'])} mm (was {fmt(r['peak'])}); "
            f"deep-layer saturation {m['deep_sat']:.2f} (was {r['deep_sat']:.2f}); HR/T "
            f"{fmt(100 * m['hrt'], '.0f')} % (was {fmt(100 * r['hrt'], '.0f')} %); ET change "
            f"{m['et_change']:+.1f} % (was {r['et_change']:+.1f} %) -> brings nightly HR into "
            f"range: {yes(inside_night(m))}" + warned(w1 + w2))


def check_conductance(site, r, off, factor=0.1):
    """Is HR limited by C_RT (scales with it) or by the water available?"""
    crt = float(re.search(r"hr_crt = ([\d.eE+-]+)", off.attrs["namelist"]).group(1))
    ds, _, w, _ = run(site.id, "hr_on", hr_crt=crt * factor)
    m = metrics(site, ds, off)
    warren = ""
    if r["site"] == "US-Wrc":
        warren = (f", peak within x{WARREN_TOL:g} of Warren's {WARREN_PEAK} mm: "
                  f"{yes(WARREN_PEAK / WARREN_TOL <= m['peak'] <= WARREN_PEAK * WARREN_TOL)}")
    return (f"check: rerun HR on with hr_crt x {factor:g} ({crt * factor:.4g} cm MPa-1 h-1): "
            f"nightly mean {fmt(m['mean'])} mm (x{m['mean'] / r['mean']:.2f}), p95 "
            f"{fmt(m['p95'])} mm, peak {fmt(m['peak'])} mm (x{m['peak'] / r['peak']:.2f}), T "
            f"change {m['t_change']:+.1f} % (was {r['t_change']:+.1f} %) -> nightly HR in range: "
            f"{yes(inside_night(m))}, T change within x{RYEL_TOL:g} of Ryel: "
            f"{yes(inside_ryel(m['t_change']))}{warren}" + warned(w))


def check_common_start(site, r, off_state, off):
    """Equilibrium vs response: HR on from the HR-off spun-up state."""
    ds, _, w, _ = run(site.id, "hr_on", state=off_state)
    dry = dry_months(site)
    lt_on, lt_off = local_time(ds, site), local_time(off, site)
    t_on = ds.QVEGT.values[np.isin(lt_on.month, dry)].sum()
    t_off = off.QVEGT.values[np.isin(lt_off.month, dry)].sum()
    m = metrics(site, ds, off)
    ndays = int(np.isin(pd.date_range("2010-01-01", "2010-12-31").month, dry).sum())
    dry_change = 100 * (t_on - t_off) / t_off
    return (f"check: HR on started from the HR-off spun-up state (no spin-up of its own): "
            f"annual T change {m['t_change']:+.1f} % (equilibrium {r['t_change']:+.1f} %), "
            f"dry-season ({ndays} days) T change {dry_change:+.1f} %, ET change "
            f"{m['et_change']:+.1f} % (equilibrium {r['et_change']:+.1f} %) -> annual T change "
            f"within x{RYEL_TOL:g} of Ryel: {yes(inside_ryel(m['t_change']))}, dry-season: "
            f"{yes(inside_ryel(dry_change))}" + warned(w)), m["t_change"], dry_change


def explain(site, r, off, off_state):
    """One-line hypotheses, each followed by its check, for a flagged site."""
    lines = []
    woody = sum(f for _, _, f, hr in r["patches"] if hr)
    if r["n"] == 0:
        lines.append(f"why: no patch is in hr_pfts (HR-doing cover {woody:.2f}: "
                     f"{', '.join(n for _, n, _, _ in r['patches'])} only), so HR is off by "
                     "construction (the default leaves grasses out)")
        lines.append(check_no_woody(site, r, off))
        return lines
    high = r["p95"] > LIT_NIGHT[1] or r["mean"] > LIT_NIGHT[1] or (
        r["site"] == "US-Wrc" and r["peak"] > WARREN_PEAK * WARREN_TOL)
    if high:
        lines.append(
            f"why (high nightly HR), hypothesis 1: the water table ({r['zwt_on'][0]:.2f}-"
            f"{r['zwt_on'][1]:.2f} m, column bottom {r['bottom']:.2f} m) keeps the deep layers wet "
            f"(saturation {r['deep_sat']:.2f}) under a dry summer topsoil, so HR lifts "
            f"{r['hr_up']:.0f} mm/yr ({100 * r['hr_up'] / r['hr_year']:.0f} % of HR in upward "
            f"steps); the generated year is also wet ({r['rain'].sum():.0f} mm vs normal "
            f"{sum(site.climate['precip']):.0f} mm)")
        lines.append(check_water_table(site, r))
        lines.append(
            f"why (high nightly HR), hypothesis 2: Ryel's sagebrush C_RT on a cover of "
            f"{woody:.2f} redistributing is too conductive here (HR conductance-limited, not "
            f"water-limited); note Warren's figure is for the upper soil: HR into layers with "
            f"nodes above {WARREN_DEPTH} m here mean {fmt(r['shallow'][1])}, peak "
            f"{fmt(r['shallow'][3])} mm/night")
        lines.append(check_conductance(site, r, off))
    if not inside_ryel(r["t_change"]):
        d = {k: r["on"][k] - r["off"][k] for k in ("T", "E", "ET")}
        rd_off = r["off"]["R"] + r["off"]["D"]
        rd_on = r["on"]["R"] + r["on"]["D"]
        if abs(d["ET"]) < 0.25 * abs(d["T"]):
            source = (f"the T gain is taken from soil evaporation (T {d['T']:+.0f}, E "
                      f"{d['E']:+.0f}, ET {d['ET']:+.0f} mm): HR moves wet-season rain below the "
                      f"evaporating top layers ({r['hr_year'] - r['hr_up']:.0f} mm/yr in downward "
                      f"steps) and back up to the roots in the dry season ({r['hr_up']:.0f} mm/yr)")
        else:
            source = (f"ET rises with T (T {d['T']:+.0f}, E {d['E']:+.0f}, ET {d['ET']:+.0f} mm), "
                      f"paid by runoff + drainage ({rd_off:.0f} -> {rd_on:.0f} mm) and storage: HR "
                      f"lifts {r['hr_up']:.0f} mm/yr from the wet deep layers in the dry season")
        lines.append(
            f"why (T change {r['t_change']:+.1f} %): {source}; T off is {r['off']['T']:.0f} mm "
            f"and the HR-doing cover {woody:.2f}; and the table compares two separately spun-up "
            f"equilibria over a year, Ryel's 3.5 % a 100-day response of one stand")
        text, annual, dry = check_common_start(site, r, off_state, off)
        lines.append(text)
        if not (inside_ryel(annual) or inside_ryel(dry)) and not high:
            unverified = "" if "UNVERIFIED" in site.sources.get("pft", "UNVERIFIED") else "not "
            lines.append(
                f"why (T change), hypothesis 2: the T gain scales with C_RT (Ryel's sagebrush "
                f"value on an HR-doing cover of {woody:.2f}, a cover {unverified}marked "
                f"UNVERIFIED in the registry)")
            lines.append(check_conductance(site, r, off))
    return lines


def scott_check(r):
    """US-SRM: direction of HR by month against Scott et al. (2008)."""
    mo = r["monthly"].reindex(range(1, 13), fill_value=0.0)
    wet = [m for m in range(1, 13) if r["rain"][m] >= 10]
    dry = [m for m in range(1, 13) if r["rain"][m] < 1]
    down_wet = sum(mo.down[m] > mo.up[m] for m in wet)
    up_dry = sum(mo.up[m] > mo.down[m] for m in dry)
    return (f"Scott et al. (2008) pattern at US-SRM: downward > upward in {down_wet} of {len(wet)} "
            f"months with >= 10 mm generated rain; upward > downward in {up_dry} of {len(dry)} "
            f"rain-free months, but upward HR is only {mo.up.sum():.1f} mm/yr "
            f"({mo.up[dry].mean() if dry else float('nan'):.2f} mm/month in rain-free months, "
            f"~{mo.up.sum() / 365:.3f} mm/night) against {mo.down.sum():.1f} mm/yr downward")


# ----------------------------------------------------------------------------

def main():
    for arg in sys.argv[1:]:
        key, sep, value = arg.partition("=")
        if not sep:
            sys.exit(f"argument {arg!r} is not valid: give namelist overrides as KEY=VALUE")
        OVERRIDES[key] = value
    t_start = time.time()
    rows, runs, notes = [], {}, []
    for sid in SITES:
        site = get_site(sid)
        on, _, w_on, s_on = run(sid, "hr_on")
        off, off_state, w_off, s_off = run(sid, "hr_off")
        runs[sid] = (site, on, off, off_state)
        r = metrics(site, on, off)
        rows.append(r)
        for case, ds, w, sec in (("hr_on", on, w_on, s_on), ("hr_off", off, w_off, s_off)):
            a = ds.attrs
            notes.append(f"{sid} {case}: {sec:.1f} s, spin-up {a['spinup_years']} cycles "
                         f"(converged {a['spinup_converged']}, last change "
                         f"{a['spinup_final_change_mm']:.3g} mm), max water balance error "
                         f"{a['max_abs_water_balance_error_mm']:.1e} mm, HR-limited steps "
                         f"{a['hr_limited_steps']}"
                         + (f"; WARNINGS: {w}" if w else ""))
        print(f"ran {sid} ({s_on + s_off:.1f} s)", flush=True)

    print()
    print(f"HR magnitudes, weather generator (seed {runs[SITES[0]][1].attrs['forcing_seed']}), "
          f"{pd.Timestamp(runs[SITES[0]][1].time.values[0]).year}, spun up, hrclm "
          f"{hrclm.__version__}, package defaults (hr_pfts 1-11, hr_top_layer false)"
          + (f", overrides {OVERRIDES}" if OVERRIDES else ""))
    print()
    print(table(rows))
    print()
    names = {f"{i} {n}" for r in rows for i, n, _, _ in r["patches"]}
    print("PFT names: " + "; ".join(sorted(names,
                                           key=lambda s: int(s.split()[0]))) +
          ". (HR) marks the patches that redistribute.")
    print("Nightly HR: sum over layers of max(QHR, 0) x dtime, 20:00-06:00 local standard time, "
          "complete nights with > 0.001 mm; it counts water moved down as well as up (below: "
          "upward share). HR/T: same HR sum over the dry-season months / QVEGT sum (HR-on run). "
          "Dry season: months whose normal precipitation (site.climate['precip']) < 0.5 x the "
          "mean monthly normal.")
    print()
    print(LITERATURE)
    print()
    print("Per site (HR-on run unless said):")
    for r in rows:
        site = runs[r["site"]][0]
        print(f"- {r['site']}: annual HR moved {r['hr_year']:.1f} mm "
              f"({100 * r['hr_up'] / r['hr_year']:.0f} % "
              f"in upward steps, {100 * r['night_share']:.0f} % in the 20-06 night window)"
              if r["hr_year"] > 0 else f"- {r['site']}: no HR", end="")
        print(f"; dry-season HR {r['hr_dry']:.1f} mm / T {r['tdry']:.1f} mm; peak night "
              f"{fmt(r['peak'], '.2f')} mm; generated rain {r['rain'].sum():.0f} mm vs normal "
              f"{sum(site.climate['precip']):.0f} mm; dry months by the generated rain: "
              f"{month_list(r['gen_dry'])} (HR/T {fmt(100 * r['hrt_gen'], '.0f')} %); T off/on "
              f"{r['off']['T']:.0f}/{r['on']['T']:.0f} mm, soil evaporation off/on "
              f"{r['off']['E']:.0f}/{r['on']['E']:.0f} mm, runoff+drainage off/on "
              f"{r['off']['R'] + r['off']['D']:.0f}/{r['on']['R'] + r['on']['D']:.0f} mm; water "
              f"table off {r['zwt_off'][0]:.2f}-{r['zwt_off'][1]:.2f} m, on "
              f"{r['zwt_on'][0]:.2f}-{r['zwt_on'][1]:.2f} m")
    srm = next(r for r in rows if r["site"] == "US-SRM")
    mo = srm["monthly"].reindex(range(1, 13), fill_value=0.0)
    print()
    print("US-SRM direction by month (Scott et al. 2008), mm moved in upward / downward steps, "
          "with the generated rain:")
    print("  " + "  ".join(f"{MONTHS[m - 1]} {mo.up[m]:.1f}/{mo.down[m]:.1f} "
                           f"(P {srm['rain'][m]:.0f})" for m in range(1, 13)))
    print(scott_check(srm))
    print()
    print("Runs:")
    for n in notes:
        print("  " + n)
    print()
    print("Outside the literature ranges (rules: nightly mean outside 0.04-1.3 mm or p95 > 1.3 mm; "
          f"dry-season HR/T outside 3-79 %; US-Wrc peak night more than x{WARREN_TOL:g} from "
          f"{WARREN_PEAK} mm; T change more than x{RYEL_TOL:g} Ryel's {RYEL_T} %):")
    any_flag = False
    for r in rows:
        f = flags(r)
        if not f:
            continue
        any_flag = True
        site, on, off, off_state = runs[r["site"]]
        print(f"* {r['site']}: " + "; ".join(f))
        for line in explain(site, r, off, off_state):
            print(f"    {line}")
    if not any_flag:
        print("  none")
    print()
    print(f"total time {time.time() - t_start:.0f} s")


if __name__ == "__main__":
    main()
