#!/usr/bin/env python3
"""The audit_903 review-timeliness audit written the usual analyst's way, in pandas, for the speed
comparison in the README. Not run by CI (pandas is not a dependency of the project).

    cargo run --release --example calendar -- holidays 1990 2035 > /tmp/holidays.tsv
    python3 scripts/audit_903_pandas.py EPISODES.csv REVIEWS.csv --holidays /tmp/holidays.tsv --out /tmp/pd.csv

It reads the same files and writes the same columns as audit_903, vectorised: periods of care from
RNE = S (ended by the DEC of their last episode), reviews placed in periods with merge_asof,
numbered within the period, deadlines of 20 working days (4 weeks before 1 April 2011), then
3 months and 6 months (short breaks, LS V3/V4 on the period's first episode: 3 months, then
6 months), working days from numpy's business-day functions with the England and Wales holidays.

Simplifications against the Rust engine (so the two agree except on these): the regime is fixed by
the period's first episode (no switch between short breaks and full care within a period) and the
adoption clocks (LS E1, placements A3-A6) are not modelled. Rejected rows are counted, not listed.
"""

import argparse
import time

import numpy as np
import pandas as pd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("episodes")
    ap.add_argument("reviews")
    ap.add_argument("--holidays", required=True, help="YYYY-MM-DD<TAB>name lines (calendar example output)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    t0 = time.time()
    hol = pd.read_csv(a.holidays, sep="\t", header=None, usecols=[0], names=["d"])["d"].to_numpy(dtype="datetime64[D]")
    cal = np.busdaycalendar(holidays=hol)

    ep = pd.read_csv(a.episodes, dtype=str, usecols=["CHILD", "DECOM", "RNE", "LS", "DEC"], keep_default_na=False)
    rv = pd.read_csv(a.reviews, dtype=str, usecols=["CHILD", "REVIEW"], keep_default_na=False)
    n_ep, n_rv = len(ep), len(rv)
    ep["DECOM"] = pd.to_datetime(ep["DECOM"], format="%d/%m/%Y", errors="coerce")
    ep["DEC"] = pd.to_datetime(ep["DEC"], format="%d/%m/%Y", errors="coerce")
    rv["REVIEW"] = pd.to_datetime(rv["REVIEW"], format="%d/%m/%Y", errors="coerce")
    ep = ep[(ep["CHILD"] != "") & ep["DECOM"].notna()]
    rv = rv[(rv["CHILD"] != "") & rv["REVIEW"].notna()]
    ep = ep.drop_duplicates(["CHILD", "DECOM"]).sort_values(["CHILD", "DECOM"])
    rv = rv.drop_duplicates(["CHILD", "REVIEW"])

    # Periods of care.
    ep["pid"] = (ep["RNE"] == "S").astype(int).groupby(ep["CHILD"]).cumsum()
    ep = ep[ep["pid"] > 0]
    g = ep.groupby(["CHILD", "pid"], sort=False)
    per = g.agg(start=("DECOM", "first"), ls=("LS", "first")).reset_index()
    # The DEC of the last episode (groupby "last" would skip a blank one and close an open period).
    last = ep.drop_duplicates(["CHILD", "pid"], keep="last")[["CHILD", "pid", "DEC"]].rename(columns={"DEC": "end"})
    per = per.merge(last, on=["CHILD", "pid"])
    per["short"] = per["ls"].isin(["V3", "V4"])

    # Reviews into periods.
    rv = rv.sort_values("REVIEW")
    per = per.sort_values("start")
    m = pd.merge_asof(rv, per, left_on="REVIEW", right_on="start", by="CHILD", direction="backward")
    m = m[m["start"].notna() & (m["end"].isna() | (m["REVIEW"] <= m["end"]))].copy()
    m = m.sort_values(["CHILD", "start", "REVIEW"])
    m["n"] = m.groupby(["CHILD", "pid"]).cumcount() + 1
    m["prev"] = m.groupby(["CHILD", "pid"])["REVIEW"].shift()

    # Deadlines.
    first_la = (m["n"] == 1) & ~m["short"]
    start_d = m["start"].to_numpy(dtype="datetime64[D]")
    wd20 = np.busday_offset(start_d, 20, roll="backward", busdaycal=cal).astype("datetime64[ns]")
    old = m["start"] < pd.Timestamp("2011-04-01")
    deadline = pd.Series(pd.NaT, index=m.index, dtype="datetime64[ns]")
    deadline[first_la & ~old] = wd20[(first_la & ~old).to_numpy()]
    deadline[first_la & old] = m.loc[first_la & old, "start"] + pd.Timedelta(days=28)
    for months, mask in [
        (3, (m["n"] == 1) & m["short"]),
        (3, (m["n"] == 2) & ~m["short"]),
        (6, (m["n"] >= 3) | ((m["n"] >= 2) & m["short"])),
    ]:
        anchor = m.loc[mask, "prev"].where(m.loc[mask, "n"] > 1, m.loc[mask, "start"])
        deadline[mask] = anchor + pd.DateOffset(months=months)
    m["deadline"] = deadline
    dl = m["deadline"].to_numpy(dtype="datetime64[D]")
    rvd = m["REVIEW"].to_numpy(dtype="datetime64[D]")
    m["latest_working_day"] = np.busday_offset(dl, 0, roll="backward", busdaycal=cal)
    m["on_time"] = m["REVIEW"] <= m["deadline"]
    late_wd = np.busday_count(dl + 1, rvd + 1, busdaycal=cal)
    m["working_days_late"] = np.where(m["on_time"], 0, late_wd)
    m["calendar_days_late"] = np.where(m["on_time"], 0, (m["REVIEW"] - m["deadline"]).dt.days)
    m["regime"] = np.where(m["short"], "short_breaks", "looked_after")
    out = pd.DataFrame(
        {
            "CHILD": m["CHILD"],
            "period_start": m["start"].dt.strftime("%Y-%m-%d"),
            "regime": m["regime"],
            "review_number": m["n"],
            "REVIEW": m["REVIEW"].dt.strftime("%Y-%m-%d"),
            "deadline": m["deadline"].dt.strftime("%Y-%m-%d"),
            "latest_working_day": pd.Series(m["latest_working_day"], index=m.index).dt.strftime("%Y-%m-%d"),
            "on_time": m["on_time"].map({True: "true", False: "false"}),
            "working_days_late": m["working_days_late"],
            "calendar_days_late": m["calendar_days_late"],
            "note": "",
        }
    )
    out.to_csv(a.out, index=False)
    on = int(m["on_time"].sum())
    print(f"episodes {n_ep}, reviews {n_rv}: {len(out)} audited, {n_rv - len(out)} not usable")
    print(f"on time {on} of {len(out)} ({100.0 * on / max(1, len(out)):.1f}%) in {time.time() - t0:.2f} s")


if __name__ == "__main__":
    main()
