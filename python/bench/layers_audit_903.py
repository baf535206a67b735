#!/usr/bin/env python3
"""Where the time of one lac_timescales.audit_903 call goes: the Python side before the native
call (reading the DataFrames' columns), the native call (the library's audit, and around it the
DataFrames written as CSV text and the result columns filled) and the Python side after it
(building the result DataFrames). Wall and CPU seconds (CPU of all threads), best of --repeat.

    python python/bench/layers_audit_903.py pair {paths|pandas|polars}    # /tmp/903/{episodes,reviews}.csv
    python python/bench/layers_audit_903.py years {paths|pandas|polars}   # /tmp/903/SSDA903_YYYY_*.csv, 2012-2025

For instruction counts of the native call alone (one audit thread), run under
`valgrind --tool=callgrind` with --threads 1 and read `_native::ssda903::audit_903_native` and
`lac_timescales::ssda903::audit` inclusive in callgrind_annotate --inclusive=yes.
"""

import argparse
import os
import time

import pandas as pd
import polars as pl

import lac_timescales as lt
from lac_timescales import _native, _ssda903


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("which", choices=["pair", "years"])
    ap.add_argument("kind", choices=["paths", "pandas", "polars"])
    ap.add_argument("--dir", default="/tmp/903")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--threads", type=int)
    a = ap.parse_args()
    if a.which == "pair":
        pairs = [(f"{a.dir}/episodes.csv", f"{a.dir}/reviews.csv")]
    else:
        pairs = [(f"{a.dir}/SSDA903_{y}_episodes.csv", f"{a.dir}/SSDA903_{y}_reviews.csv") for y in range(2012, 2026)]

    def load(p):
        if a.kind == "paths":
            return p
        if a.kind == "pandas":
            return pd.read_csv(p, dtype=str, keep_default_na=False)
        return pl.read_csv(p, infer_schema=False)

    tables = [(load(e), load(r)) for e, r in pairs]
    spent = {}

    def clock():
        return time.perf_counter(), time.process_time()

    def timed(name, f):
        def g(*args, **kw):
            w, c = clock()
            try:
                return f(*args, **kw)
            finally:
                w2, c2 = clock()
                spent[name] = (w2 - w, c2 - c)

        return g

    native, result = _native.audit_903_native, _ssda903._result
    _ssda903._native = type(
        "Native", (), {"audit_903_native": staticmethod(timed("native", native)), "take_objects": _native.take_objects}
    )
    _ssda903._result = timed("result", result)
    best = None
    for _ in range(a.repeat):
        spent.clear()
        w, c = clock()
        res = lt.audit_903(*tables[0], threads=a.threads) if a.which == "pair" else lt.audit_903(tables, threads=a.threads)
        w2, c2 = clock()
        if best is None or w2 - w < best[0][0]:
            best = ((w2 - w, c2 - c), dict(spent))
    (wall, cpu), spent = best
    (nw, nc), (rw, rc) = spent["native"], spent["result"]
    print(
        f"{a.which} {a.kind}: call {wall:.3f} s wall, {cpu:.3f} s CPU | before the native call {wall - nw - rw:.3f} / "
        f"{cpu - nc - rc:.3f} | native {nw:.3f} / {nc:.3f} | after {rw:.3f} / {rc:.3f} | "
        f"{len(res.reviews):,} reviews, {len(res.rejects):,} rejects | load {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
