#!/usr/bin/env python3
"""Splits a synthetic SSDA903 history (scripts/gen_ssda903.py) into yearly returns, as local
authorities submit them: each collection year (1 April to 31 March) gets the episodes open at any
time in it and the reviews held in it. Needs polars.

    python python/bench/split_years.py /tmp/903/episodes.csv /tmp/903/reviews.csv /tmp/903/years

writes DIR/SSDA903_YYYY_episodes.csv and DIR/SSDA903_YYYY_reviews.csv (YYYY = the year it ends).
"""

import os
import sys

import polars as pl


def main():
    episodes, reviews, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    e = pl.read_csv(episodes, infer_schema=False)
    r = pl.read_csv(reviews, infer_schema=False)
    date = lambda c: pl.col(c).str.strptime(pl.Date, "%d/%m/%Y", strict=False)  # noqa: E731
    r = r.with_columns(date("REVIEW").alias("_d"))
    e = e.with_columns(date("DECOM").alias("_s"), date("DEC").alias("_e"))
    years = r.select((pl.col("_d").dt.year() + (pl.col("_d").dt.month() >= 4).cast(pl.Int32)).alias("y"))["y"]
    for y in sorted(set(years.drop_nulls().to_list())):
        start, end = pl.date(y - 1, 4, 1), pl.date(y, 3, 31)
        ey = e.filter((pl.col("_s") <= end) & (pl.col("_e").is_null() | (pl.col("_e") >= start)))
        ry = r.filter((pl.col("_d") >= start) & (pl.col("_d") <= end))
        ey.drop("_s", "_e").write_csv(os.path.join(out, f"SSDA903_{y}_episodes.csv"))
        ry.drop("_d").write_csv(os.path.join(out, f"SSDA903_{y}_reviews.csv"))
        print(y, ey.height, ry.height)


if __name__ == "__main__":
    main()
