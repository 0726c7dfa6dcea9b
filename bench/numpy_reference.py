"""What a user would otherwise write: the soil-column step (CLM4.5 Richards
linearisation with free drainage, btran-weighted root uptake, and Ryel HR
implicit in the same solve) as a straightforward NumPy loop over time steps,
timed against hrclm's compiled loop on the same problem.

Run:  .venv/bin/python bench/numpy_reference.py [days]

It first checks that both give the same answer (max |theta difference|),
then prints seconds per simulated year and the ratio. This file is a
benchmark only; hrclm never uses it.
"""

import sys
import time

import numpy as np

from hrclm.column import HRParameters, run_soil_column
from hrclm.constants import RYEL_B, RYEL_CRT, RYEL_PSI50
from hrclm.roots import zeng_rootfr
from hrclm.soil import clm45_grid, soil_properties


def numpy_column(grid, p, rootfr, theta0, forcing, dt, smpso, smpsc):
    """Straightforward NumPy version of hrclm's soil step (no limiter bounds hit)."""
    n = grid.nlev
    z, dz = grid.z * 1000.0, grid.dz * 1000.0
    ws, ss, b, ks = (np.asarray(x, float) for x in (p.watsat, p.sucsat, p.bsw, p.hksat))
    liq = theta0 * dz
    out = np.empty((forcing["water_input"].size, n))
    for t in range(forcing["water_input"].size):
        vol = liq / dz
        s = np.clip(vol / ws, 0.01, 1.0)
        smp = np.maximum(-1e8, -ss * s ** (-b))
        dsmp = -b * smp / (s * ws)
        # root uptake weights and transpiration
        w = np.clip((np.maximum(smpsc, smp) - smpsc) / (smpso - smpsc), 0.0, 1.0)
        btran = np.sum(rootfr * w)
        rootr = rootfr * w / btran if btran > 0 else np.zeros(n)
        e = rootr * forcing["transpiration"][t] * btran
        # interface conductivity
        nxt = np.r_[np.arange(1, n), n - 1]
        s1 = np.minimum(1.0, (vol + vol[nxt]) / (ws + ws[nxt]))
        s2 = ks * s1 ** (2 * b + 2)
        hk = s1 * s2
        dhk = (2 * b + 3) * s2 / (ws + ws[nxt])
        A = np.zeros((n, n))
        r = np.zeros(n)
        qin = forcing["water_input"][t]
        for j in range(n):
            if j < n - 1:
                den = z[j + 1] - z[j]
                num = (smp[j + 1] - smp[j]) - (z[j + 1] - z[j])
                q = -hk[j] * num / den
                d1 = -(-hk[j] * dsmp[j] + num * dhk[j]) / den
                d2 = -(hk[j] * dsmp[j + 1] + num * dhk[j]) / den
            else:
                q = ks[j] * s[j] ** (2 * b[j] + 3)
                d1 = (2 * b[j] + 3) * ks[j] * s[j] ** (2 * b[j] + 2) / ws[j]
                d2 = 0.0
            r[j] += qin - q - e[j]
            A[j, j] += dz[j] / dt + d1
            if j < n - 1:
                A[j, j + 1] += d2
                A[j + 1, j] -= d1
                A[j + 1, j + 1] -= d2
                qin = q
        # Ryel HR with R_x of the source, implicit with frozen pair conductances
        night = forcing["hr_switch"][t]
        if night > 0:
            c = 1.0 / (1.0 + (smp / RYEL_PSI50) ** RYEL_B)
            theta_c = ws * (ss / abs(smpsc)) ** (1.0 / b)
            for i in range(n):
                for j in range(i + 1, n):
                    if smp[i] == smp[j]:
                        continue
                    src, rec = (j, i) if smp[j] > smp[i] else (i, j)
                    if liq[src] <= theta_c[src] * dz[src]:
                        continue
                    k = (RYEL_CRT * max(c[i], c[j]) * rootfr[src] * rootfr[rec]
                         / max(1 - rootfr[src], rootfr[rec]) * night)
                    h = k * (smp[src] - smp[rec])
                    r[rec] += h
                    r[src] -= h
                    for a, bb in ((i, j), (j, i)):
                        A[a, a] += k * dsmp[a]
                        A[a, bb] -= k * dsmp[bb]
        liq = liq + np.linalg.solve(A, r) * dz
        out[t] = liq / dz
    return out


def main(days=365):
    g = clm45_grid(10)
    p = soil_properties(65.0, 10.0, g.z)
    rootfr = zeng_rootfr(g.zi, 7.0, 1.5)
    n = int(days * 48)
    rng = np.random.default_rng(0)
    hour = (np.arange(n) * 0.5) % 24
    day = (hour > 6) & (hour < 18)
    # light rain only: no runoff or saturation, branches the NumPy version leaves out
    forcing = dict(water_input=np.where(rng.random(n) < 0.01, rng.exponential(0.5, n) / 1800, 0.0),
                   evaporation=np.zeros(n), transpiration=np.where(day, 3.0 / 12 / 3600, 0.0),
                   hr_switch=(~day).astype(float))
    theta0 = np.full(10, 0.15)
    kw = dict(smpso=-83000.0, smpsc=-428000.0)   # CLM4.5 shrub (Tech Note Table 8.1)
    t0 = time.perf_counter()
    ref = numpy_column(g, p, rootfr, theta0, forcing, 1800.0, **kw)
    t_numpy = time.perf_counter() - t0
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        ds = run_soil_column(g, p, rootfr, theta0, forcing, lower_bc="free_drainage",
                             hr=HRParameters(), **kw)
        times.append(time.perf_counter() - t0)
    t_hrclm = min(times)
    diff = float(np.abs(ds.H2OSOI.values - ref).max())
    scale = 365.0 / days
    print(f"same answer: max |theta difference| over {days} days = {diff:.2e} m3 m-3")
    print(f"NumPy loop: {t_numpy * scale:.2f} s per simulated year")
    print(f"hrclm     : {t_hrclm * scale:.4f} s per simulated year")
    print(f"ratio NumPy / hrclm: {t_numpy / t_hrclm:.0f}")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 365)
