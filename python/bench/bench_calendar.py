#!/usr/bin/env python3
"""Working-day offsets on 1,000,000 dates: lac_timescales against numpy.busday_offset with a
prebuilt holiday calendar (numpy.busdaycalendar), with the answers compared element by element.

    pip install numpy pandas polars ./python
    python python/bench/bench_calendar.py [--n 1000000] [--repeat 7]

Dates are uniform over 1972-01-01 .. 2198-06-30 (so that 260 working days either way stay inside 1971-2199), offsets uniform over 1..260 (one per date) and
also a single offset of 20. numpy gets datetime64[D] arrays and a calendar built once, before
timing; its holidays are the calendar's weekday holidays 1971-2199. Prints the best of
--repeat runs of each, and the load average (the machine may be shared).
"""

import argparse
import os
import time

import numpy as np

import lac_timescales as lt


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    a = ap.parse_args()
    rng = np.random.default_rng(20261201)
    first, last = np.datetime64("1972-01-01"), np.datetime64("2198-06-30")
    dates = first + rng.integers(0, int((last - first).astype(np.int64)) + 1, a.n).astype("timedelta64[D]")
    n = rng.integers(1, 261, a.n)

    table = lt.calendar_table(1971, 2199, output="columns")
    holidays = np.array(
        [d for d, w, h in zip(table["date"], table["working_day"], table["holiday"]) if not w and d.weekday() < 5],
        dtype="datetime64[D]",
    )
    cal = np.busdaycalendar(weekmask="1111100", holidays=holidays)

    print(f"{a.n:,} dates; load average before: {os.getloadavg()[0]:.2f}")
    rows = []
    for label, ours, theirs in [
        (
            "add, one offset per date",
            lambda: lt.add_working_days(dates, n),
            lambda: np.busday_offset(dates, n, roll="backward", busdaycal=cal),
        ),
        (
            "add, offset 20",
            lambda: lt.add_working_days(dates, 20),
            lambda: np.busday_offset(dates, 20, roll="backward", busdaycal=cal),
        ),
        (
            "sub, one offset per date",
            lambda: lt.sub_working_days(dates, n),
            lambda: np.busday_offset(dates, -n, roll="forward", busdaycal=cal),
        ),
        (
            "is_working_day",
            lambda: lt.is_working_day(dates),
            lambda: np.is_busday(dates, busdaycal=cal),
        ),
        (
            "working_days_between",
            lambda: lt.working_days_between(dates, dates + n.astype("timedelta64[D]")),
            lambda: np.busday_count(dates + 1, dates + n.astype("timedelta64[D]") + 1, busdaycal=cal),
        ),
    ]:
        t_ours, r_ours = best(ours, a.repeat)
        t_np, r_np = best(theirs, a.repeat)
        exact = bool(np.array_equal(r_ours, r_np))
        rows.append((label, t_ours, t_np, exact))
        print(f"{label:28s} lac_timescales {t_ours * 1e3:8.2f} ms   numpy {t_np * 1e3:8.2f} ms   "
              f"{t_np / t_ours:6.1f}x   exact: {exact}")
    try:
        import pandas as pd
        import polars as pl

        s = pd.Series(dates.astype("datetime64[ns]"))
        t_pd, _ = best(lambda: lt.add_working_days(s, n), a.repeat)
        p = pl.Series("d", dates)
        t_pl, _ = best(lambda: lt.add_working_days(p, n), a.repeat)
        print(f"{'add on pandas Series [ns]':28s} lac_timescales {t_pd * 1e3:8.2f} ms")
        print(f"{'add on polars Series Date':28s} lac_timescales {t_pl * 1e3:8.2f} ms")
    except ImportError:
        pass
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if not all(r[3] for r in rows):
        raise SystemExit("answers differ from numpy")


if __name__ == "__main__":
    main()
