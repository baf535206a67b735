#!/usr/bin/env python3
"""The audit_903 review-timeliness audit written as a polars user would (lazy frames, join_asof,
window expressions, polars' business-day functions), for the speed comparison in the README. Not
run by CI (polars is not a dependency of the project).

    cargo run --release --example calendar -- holidays 1990 2035 > /tmp/holidays.tsv
    python3 scripts/audit_903_polars.py EPISODES.csv REVIEWS.csv --holidays /tmp/holidays.tsv --out /tmp/pl.csv

The same audit as scripts/audit_903_pandas.py, on full histories (one episodes and one reviews
file): periods of care from RNE = S (ended by the DEC of their last episode), reviews placed in
periods with join_asof, numbered within the period, deadlines of 20 working days (4 weeks before
1 April 2011), then 3 months and 6 months (short breaks, LS V3/V4 on the period's first episode:
3 months, then 6 months), working days with the England and Wales holidays. The same
simplifications as the pandas script: no switch of regime within a period, no adoption clocks,
rejected rows counted, not listed.
"""

import argparse
import datetime as dt
import time

import polars as pl


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("episodes")
    ap.add_argument("reviews")
    ap.add_argument("--holidays", required=True, help="YYYY-MM-DD<TAB>name lines (calendar example output)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    t0 = time.time()
    with open(a.holidays) as f:
        hol = [dt.date.fromisoformat(line.split("\t", 1)[0]) for line in f if line.strip()]

    def date(c):
        return pl.col(c).str.strip_chars().str.to_date("%d/%m/%Y", strict=False)

    ep = (
        pl.scan_csv(a.episodes, infer_schema=False)
        .select("CHILD", "DECOM", "RNE", "LS", "DEC")
        .with_columns(date("DECOM"), date("DEC"), pl.col("CHILD").str.strip_chars())
        .filter((pl.col("CHILD") != "") & pl.col("DECOM").is_not_null())
        .unique(["CHILD", "DECOM"], keep="first", maintain_order=True)
        .sort("CHILD", "DECOM")
        .with_columns(pid=(pl.col("RNE") == "S").cast(pl.Int32).cum_sum().over("CHILD"))
        .filter(pl.col("pid") > 0)
    )
    per = (
        ep.group_by("CHILD", "pid")
        .agg(start=pl.col("DECOM").first(), ls=pl.col("LS").first(), end=pl.col("DEC").last())
        .with_columns(short=pl.col("ls").is_in(["V3", "V4"]))
        .sort("start")
    )
    rv = (
        pl.scan_csv(a.reviews, infer_schema=False)
        .select("CHILD", "REVIEW")
        .with_columns(date("REVIEW"), pl.col("CHILD").str.strip_chars())
        .filter((pl.col("CHILD") != "") & pl.col("REVIEW").is_not_null())
        .unique(["CHILD", "REVIEW"], keep="first", maintain_order=True)
        .sort("REVIEW")
    )
    n_rv = pl.scan_csv(a.reviews, infer_schema=False).select(pl.len()).collect().item()
    m = (
        rv.join_asof(per, left_on="REVIEW", right_on="start", by="CHILD", strategy="backward", check_sortedness=False)
        .filter(pl.col("start").is_not_null() & (pl.col("end").is_null() | (pl.col("REVIEW") <= pl.col("end"))))
        .sort("CHILD", "start", "REVIEW")
        .with_columns(
            n=pl.int_range(1, pl.len() + 1).over("CHILD", "pid"),
            prev=pl.col("REVIEW").shift().over("CHILD", "pid"),
        )
    )
    n, short, start, prev = pl.col("n"), pl.col("short"), pl.col("start"), pl.col("prev")
    deadline = (
        pl.when((n == 1) & ~short & (start >= dt.date(2011, 4, 1)))
        .then(start.dt.add_business_days(20, holidays=hol, roll="backward"))
        .when((n == 1) & ~short)
        .then(start + pl.duration(days=28))
        .when((n == 1) & short)
        .then(start.dt.offset_by("3mo"))
        .when((n == 2) & ~short)
        .then(prev.dt.offset_by("3mo"))
        .otherwise(prev.dt.offset_by("6mo"))
    )
    m = m.with_columns(deadline=deadline).with_columns(
        latest_working_day=pl.col("deadline").dt.add_business_days(0, holidays=hol, roll="backward"),
        on_time=pl.col("REVIEW") <= pl.col("deadline"),
    )
    late_wd = pl.business_day_count(
        pl.col("deadline") + pl.duration(days=1), pl.col("REVIEW") + pl.duration(days=1), holidays=hol
    )
    out = m.select(
        "CHILD",
        period_start=start,
        regime=pl.when(short).then(pl.lit("short_breaks")).otherwise(pl.lit("looked_after")),
        review_number=n,
        REVIEW=pl.col("REVIEW"),
        deadline=pl.col("deadline"),
        latest_working_day=pl.col("latest_working_day"),
        on_time=pl.col("on_time"),
        working_days_late=pl.when(pl.col("on_time")).then(0).otherwise(late_wd),
        calendar_days_late=pl.when(pl.col("on_time"))
        .then(0)
        .otherwise((pl.col("REVIEW") - pl.col("deadline")).dt.total_days()),
        note=pl.lit(None, dtype=pl.String),
    ).collect()
    out.write_csv(a.out)
    on = int(out.get_column("on_time").sum())
    print(f"reviews {n_rv}: {out.height} audited, {n_rv - out.height} not usable")
    print(f"on time {on} of {out.height} ({100.0 * on / max(1, out.height):.1f}%) in {time.time() - t0:.2f} s")


if __name__ == "__main__":
    main()
