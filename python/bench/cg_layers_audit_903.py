#!/usr/bin/env python3
"""Instruction counts of the Python side of one lac_timescales.audit_903 call (callgrind counts
are steady on a loaded machine, where wall clock is not): the DataFrames' columns read before the
native call, and the result built after it. Run under

    valgrind --tool=callgrind --toggle-collect=builtin_sorted --toggle-collect=builtin_max \\
        --callgrind-out-file=/tmp/cg.out python python/bench/cg_layers_audit_903.py {paths|pandas|polars}
    callgrind_annotate --inclusive=yes /tmp/cg.out | grep -E 'builtin_(sorted|max)'

Only the two wrapped steps are counted: the columns read inside `builtin_max`, the result built
inside `builtin_sorted` (the native call itself is not counted: run python without the toggles
and read `audit_903_native` and `lac_timescales::ssda903::audit` inclusive for it). The 14
yearly returns in --dir (SSDA903_YYYY_{episodes,reviews}.csv, 2012-2025), one audit thread.
"""

import argparse
import sys

import pandas as pd
import polars as pl

import lac_timescales as lt
from lac_timescales import _ssda903


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["paths", "pandas", "polars"])
    ap.add_argument("--dir", default="/tmp/903")
    a = ap.parse_args()
    pairs = [(f"{a.dir}/SSDA903_{y}_episodes.csv", f"{a.dir}/SSDA903_{y}_reviews.csv") for y in range(2012, 2026)]
    if a.kind == "pandas":
        pairs = [(pd.read_csv(e, dtype=str, keep_default_na=False), pd.read_csv(r, dtype=str, keep_default_na=False))
                 for e, r in pairs]
    elif a.kind == "polars":
        pairs = [(pl.read_csv(e, infer_schema=False), pl.read_csv(r, infer_schema=False)) for e, r in pairs]
    out = []
    result, table = _ssda903._result, _ssda903._table

    def wrapped_result(*args):
        sorted([0], key=lambda _: out.append(result(*args)) or 0)
        return out.pop()

    def wrapped_table(*args):
        max([0], key=lambda _: out.append(table(*args)) or 0)
        return out.pop()

    _ssda903._result, _ssda903._table = wrapped_result, wrapped_table
    res = lt.audit_903(pairs, threads=1)
    print(f"{len(res.reviews):,} review rows", file=sys.stderr)


if __name__ == "__main__":
    main()
