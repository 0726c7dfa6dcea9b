"""Timing helper shared by the bench scripts."""

import time


def best_of(fn, repeat=3):
    """Shortest wall time of `repeat` calls of fn() [s] (the least disturbed one)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)
