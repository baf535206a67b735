#!/usr/bin/env python3
"""audit_903 from Python on a large synthetic return, against scripts/audit_903_pandas.py.

    python3 scripts/gen_ssda903.py --reviews 1000000 --out-dir /tmp/903
    cargo run --release --example calendar -- holidays 1990 2035 > /tmp/holidays.tsv
    python python/bench/bench_audit_903.py /tmp/903/episodes.csv /tmp/903/reviews.csv --holidays /tmp/holidays.tsv
    # and the same history as 14 yearly returns (gen_ssda903.py --returns $(seq -s, 2012 2025)):
    python python/bench/bench_audit_903.py /tmp/903/episodes.csv /tmp/903/reviews.csv \
        --holidays /tmp/holidays.tsv --returns $(cat /tmp/903/args | sed 's|SSDA|/tmp/903/SSDA|g')

Times, each the best of --repeat runs (wall clock; the machine may be shared, so the load
average is printed): lac_timescales.audit_903 on the file paths; on pandas DataFrames read with
pandas.read_csv (the read timed apart); on polars DataFrames; and the pandas script end to end
(it reads the files itself); with --returns, the three kinds again on the yearly returns
(EPISODES REVIEWS pairs, as the audit_903 example takes them). CPU time is printed too: on a
loaded machine it is the steadier measure.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import time

import pandas as pd
import polars as pl

import lac_timescales as lt


CPU = {}


def cpu_now():
    # This process's CPU (all its threads) plus its finished children's (the pandas script).
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def best(fn, repeat, label=None):
    """Best wall time of `repeat` runs; the CPU time of that run is kept in CPU[label]."""
    times, out = [], None
    for _ in range(repeat):
        # The previous run's result is freed before the clock starts: freeing a million-row
        # result (a reference per text value) is not part of the call being timed.
        out = None
        t, c = time.perf_counter(), cpu_now()
        out = fn()
        times.append((time.perf_counter() - t, cpu_now() - c))
    wall, cpu = min(times)
    if label:
        CPU[label] = cpu
    return wall, out


def year_of(path):
    """The collection year in a return's file name (SSDA903_2025_episodes.csv: 2025), else None."""
    m = re.search(r"(?:^|[^0-9])(20[0-9]{2})(?:[^0-9]|$)", os.path.basename(path))
    return int(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("episodes")
    ap.add_argument("reviews")
    ap.add_argument("--holidays", help="for the pandas script (calendar example's holidays output)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--returns", nargs="+", metavar="FILE", help="yearly returns: EPISODES REVIEWS pairs")
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    script = os.path.join(here, "..", "..", "scripts", "audit_903_pandas.py")
    print(f"load average before: {os.getloadavg()[0]:.2f}")

    t_paths, res = best(lambda: lt.audit_903(a.episodes, a.reviews), a.repeat, "paths")
    print(f"lac_timescales.audit_903(paths)            {t_paths:7.2f} s  "
          f"({len(res.reviews):,} review rows, {len(res.rejects):,} rejects)")

    t_read, (pe, pr) = best(
        lambda: (pd.read_csv(a.episodes, dtype=str, keep_default_na=False),
                 pd.read_csv(a.reviews, dtype=str, keep_default_na=False)),
        a.repeat,
    )
    t_pd, _ = best(lambda: lt.audit_903(pe, pr), a.repeat, "pandas")
    print(f"pandas.read_csv (both tables)               {t_read:7.2f} s")
    print(f"lac_timescales.audit_903(pandas DataFrames) {t_pd:7.2f} s  (read + audit {t_read + t_pd:.2f} s)")

    t_plread, (qe, qr) = best(
        lambda: (pl.read_csv(a.episodes, infer_schema=False), pl.read_csv(a.reviews, infer_schema=False)), a.repeat
    )
    t_pl, _ = best(lambda: lt.audit_903(qe, qr), a.repeat, "polars")
    print(f"polars.read_csv (both tables)               {t_plread:7.2f} s")
    print(f"lac_timescales.audit_903(polars DataFrames) {t_pl:7.2f} s  (read + audit {t_plread + t_pl:.2f} s)")

    if a.holidays:
        out = "/tmp/bench_audit_903_pandas.csv"
        t_script, _ = best(
            lambda: subprocess.run(
                [sys.executable, script, a.episodes, a.reviews, "--holidays", a.holidays, "--out", out],
                check=True, capture_output=True,
            ),
            a.repeat,
            "script",
        )
        print(f"scripts/audit_903_pandas.py (end to end)    {t_script:7.2f} s")
        print(f"ratios: paths {t_script / t_paths:.1f}x; pandas read + audit {t_script / (t_read + t_pd):.1f}x; "
              f"pandas frames in memory {t_script / t_pd:.1f}x; polars read + audit {t_script / (t_plread + t_pl):.1f}x")
    if a.returns:
        pairs = list(zip(a.returns[::2], a.returns[1::2]))
        t, res = best(lambda: lt.audit_903(pairs), a.repeat, "returns paths")
        print(f"{len(pairs)} returns: lac_timescales.audit_903(paths)  {t:7.2f} s  ({len(res.reviews):,} review rows)")
        frames = [(pd.read_csv(e, dtype=str, keep_default_na=False), pd.read_csv(r, dtype=str, keep_default_na=False))
                  for e, r in pairs]
        t, _ = best(lambda: lt.audit_903(frames), a.repeat, "returns pandas")
        print(f"{len(pairs)} returns: audit_903(pandas DataFrames) {t:7.2f} s")
        # With each return's collection year given (a DataFrame has no file name to take it from,
        # so without it the reader finds each row's year from its dates).
        years = [year_of(e) for e, _ in pairs]
        t, _ = best(lambda: lt.audit_903([(e, r, y) for (e, r), y in zip(frames, years)]), a.repeat,
                    "returns pandas with year")
        print(f"{len(pairs)} returns: audit_903(pandas DataFrames, year given) {t:7.2f} s")
        frames = [(pl.read_csv(e, infer_schema=False), pl.read_csv(r, infer_schema=False)) for e, r in pairs]
        t, _ = best(lambda: lt.audit_903(frames), a.repeat, "returns polars")
        print(f"{len(pairs)} returns: audit_903(polars DataFrames) {t:7.2f} s")
        t, _ = best(lambda: lt.audit_903([(e, r, y) for (e, r), y in zip(frames, years)]), a.repeat,
                    "returns polars with year")
        print(f"{len(pairs)} returns: audit_903(polars DataFrames, year given) {t:7.2f} s")
    print("CPU seconds (user + system, all threads) of the best runs: "
          + ", ".join(f"{k} {v:.2f}" for k, v in CPU.items()))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
