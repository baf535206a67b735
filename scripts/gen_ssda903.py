#!/usr/bin/env python3
"""Synthetic SSDA903 episodes and reviews files for audit_903 (standard library only).

    python3 scripts/gen_ssda903.py --reviews 1000000 --out-dir /tmp/903 [--seed 1] [--errors 0.001]
        [--shuffle]

Writes OUT/episodes.csv and OUT/reviews.csv with the SSDA903 headers and DD/MM/YYYY dates, sorted
by CHILD (fixed-width numeric ids, so byte order and numeric order agree) unless --shuffle.

Each child has one or two periods of care (an RNE = S episode, then placement and legal-status
changes). About 5% of periods are series of short breaks (LS V3/V4) and 3% go to adoption (LS E1,
then placement A4, ending E11 when adopted). Reviews follow the statutory intervals (20 working
days, then 3 and 6 months) with realistic slippage: most on time, some a few days or weeks late.
With --errors F, about a fraction F of rows are damaged (bad dates, blank CHILD, duplicate
reviews, reviews for unknown children) so that the rejects path is exercised too.
The sizes are approximate: generation stops after the requested number of review rows.

With --returns 2023,2024,2025 it also cuts the full histories into returns as real returns are cut
and writes OUT/SSDA903_YYYY_episodes.csv and OUT/SSDA903_YYYY_reviews.csv for each collection year
(named by the year it ends: 2025 = 1 April 2024 to 31 March 2025): the episodes open at any time
in the year with their original DECOM and RNE (DEC and REC blank when the episode ended after the
year), and only the reviews held in the year. With --xml each return is also written as the DfE
XML, OUT/SSDA903_YYYY.xml (root EXPSSDA903, CHILD with HEADER, AREVIEW and EPISODE). Audit them
with `audit_903 OUT/SSDA903_2025_episodes.csv OUT/SSDA903_2025_reviews.csv ...`; the full
histories (episodes.csv, reviews.csv) are the truth to compare with.
"""

import argparse
import datetime as dt
import os
import random

EPISODE_HEADER = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
REVIEW_HEADER = "CHILD,DOB,REVIEW,REVIEW_CODE"
CARE_LS = ["C2", "C2", "C2", "C1", "J2", "L2", "V2"]
PLACES = ["U1", "U3", "U4", "U5", "U6", "K2", "H5", "R1"]
LAST_DAY = dt.date(2025, 3, 31)


def fmt(d):
    return d.strftime("%d/%m/%Y")


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(y, m, day)
        except ValueError:
            continue
    raise ValueError(d)


def review_dates(rng, start, end):
    """Review dates of one period: statutory intervals with some slippage, within [start, end]."""
    out = []
    d = start + dt.timedelta(days=rng.randint(10, 27) + (rng.random() < 0.1) * rng.randint(3, 30))
    n = 1
    while d <= end:
        out.append(d)
        n += 1
        base = add_months(d, 3 if n == 2 else 6)
        slip = rng.randint(-40, 0) if rng.random() < 0.85 else rng.randint(1, 60)
        d = base + dt.timedelta(days=slip)
    return out


def child_rows(rng, child, dob):
    """Episode and review rows (lists of strings) of one child."""
    eps, revs = [], []
    start = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 11))
    for _period in range(1 if rng.random() < 0.8 else 2):
        if start > LAST_DAY:
            break
        kind = rng.random()
        short = kind < 0.05
        adoption = 0.05 <= kind < 0.08
        length = rng.randint(60, 365 * 6)
        end = start + dt.timedelta(days=length)
        open_period = end > LAST_DAY
        if open_period:
            end = LAST_DAY
        # Episodes: an S episode, then changes of placement or legal status.
        cuts = sorted({start + dt.timedelta(days=rng.randint(1, max(1, length - 1))) for _ in range(rng.randint(0, 3))})
        cuts = [c for c in cuts if start < c < end]
        bounds = [start] + cuts + [end]
        ls = rng.choice(["V3", "V4"]) if short else rng.choice(CARE_LS)
        for i in range(len(bounds) - 1):
            a, b = bounds[i], bounds[i + 1]
            rne = "S" if i == 0 else rng.choice(["P", "L", "T", "B"])
            place = "K2" if short else rng.choice(PLACES)
            this_ls = ls
            if adoption and i >= 1:
                this_ls = "E1"
                if i == len(bounds) - 2:
                    place = "A4"
            last = i == len(bounds) - 2
            dec = "" if (last and open_period) else fmt(b)
            rec = "X1"
            if last and not open_period:
                rec = "E11" if (adoption and place == "A4") else rng.choice(["E4A", "E13", "E8", "E2"])
            eps.append(f"{child},{fmt(a)},{rne},{this_ls},N1,{place},PR1,{dec},{rec},,A1 1AA,B2 2BB,{rng.randint(1000000, 9999999)}")
        for r in review_dates(rng, start, end):
            revs.append(f"{child},{fmt(dob)},{fmt(r)},PN{rng.randint(0, 7)}")
        start = end + dt.timedelta(days=rng.randint(30, 900))
    return eps, revs


def damage(rng, row, kind):
    f = row.split(",")
    if kind == 0:
        f[2 if len(f) == 4 else 1] = rng.choice(["31/02/2020", "notadate", "2020-01-01", ""])
    elif kind == 1:
        f[0] = ""
    return ",".join(f)


def parse(s):
    """A DD/MM/YYYY date, or None (blank, or damaged by --errors: not a date, or not DD/MM/YYYY)."""
    try:
        return dt.datetime.strptime(s, "%d/%m/%Y").date() if s else None
    except ValueError:
        return None


def cut_return(eps_all, revs_all, year, latest):
    """The episodes and reviews rows of the return for collection year `year` (ending 31 March).
    A row whose start (DECOM) or REVIEW date cannot be read (damaged by --errors) goes in the
    latest return only (`latest`), as a data error in that year's return."""
    a, b = dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
    eps, revs = [], []
    for row in eps_all:
        f = row.split(",")
        decom, dec = parse(f[1]), parse(f[7])
        if decom is None:
            if year == latest:
                eps.append(row)
            continue
        if decom > b or (dec is not None and dec < a):
            continue
        if dec is not None and dec > b:
            f[7] = ""
            f[8] = ""
        eps.append(",".join(f))
    for row in revs_all:
        r = parse(row.split(",")[2])
        if (r is None and year == latest) or (r is not None and a <= r <= b):
            revs.append(row)
    return eps, revs


def write_xml(path, eps, revs):
    """The return as the DfE XML: one CHILD per child, reviews as AREVIEW in its HEADER."""
    from xml.sax.saxutils import escape

    by_child = {}
    for row in eps:
        by_child.setdefault(row.split(",")[0], ([], []))[0].append(row.split(","))
    for row in revs:
        by_child.setdefault(row.split(",")[0], ([], []))[1].append(row.split(","))
    names = EPISODE_HEADER.split(",")
    with open(path, "w", encoding="us-ascii", newline="") as f:
        f.write("<?xml version='1.0' encoding='us-ascii'?>\n<EXPSSDA903>\n")
        for child, (es, rs) in by_child.items():
            dob = rs[0][1] if rs else "01/01/2010"
            f.write(f"<CHILD><HEADER><CHILDID>{escape(child)}</CHILDID><SEX>1</SEX><DOB>{dob}</DOB>")
            for r in rs:
                f.write(f"<AREVIEW><REVIEW>{r[2]}</REVIEW><REVIEW_CODE>{r[3]}</REVIEW_CODE></AREVIEW>")
            f.write("</HEADER>")
            for e in es:
                f.write("<EPISODE>")
                for n, v in zip(names[1:], e[1:]):
                    tag = "PL" if n == "PLACE" else n
                    f.write(f"<{tag}>{escape(v)}</{tag}>" if v else f"<{tag} />")
                f.write("</EPISODE>")
            f.write("</CHILD>\n")
        f.write("</EXPSSDA903>\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reviews", type=int, default=100000, help="about this many review rows")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--errors", type=float, default=0.0, help="fraction of damaged rows")
    ap.add_argument("--shuffle", action="store_true", help="shuffle rows (unsorted input)")
    ap.add_argument("--returns", default="", help="also cut returns for these collection years, e.g. 2024,2025")
    ap.add_argument("--xml", action="store_true", help="with --returns, also write each return as the DfE XML")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out_dir, exist_ok=True)
    eps_all, revs_all = [], []
    child = 1000000
    while len(revs_all) < a.reviews:
        child += 1
        dob = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 20))
        eps, revs = child_rows(rng, child, dob)
        if a.errors:
            for rows in (eps, revs):
                for i in range(len(rows)):
                    if rng.random() < a.errors:
                        rows[i] = damage(rng, rows[i], rng.randint(0, 1))
                if rows is revs and revs and rng.random() < a.errors * 5:
                    revs.append(revs[-1])  # duplicate review
            if rng.random() < a.errors:
                revs.insert(0, f"{child - 1000000 + 9000000},01/01/2010,01/06/2020,PN1")  # unknown child
        eps_all.extend(eps)
        revs_all.extend(revs[: a.reviews - len(revs_all)])
    if a.shuffle:
        rng.shuffle(eps_all)
        rng.shuffle(revs_all)
    with open(os.path.join(a.out_dir, "episodes.csv"), "w", newline="") as f:
        f.write(EPISODE_HEADER + "\n")
        f.write("\n".join(eps_all) + "\n")
    with open(os.path.join(a.out_dir, "reviews.csv"), "w", newline="") as f:
        f.write(REVIEW_HEADER + "\n")
        f.write("\n".join(revs_all) + "\n")
    print(f"{len(eps_all)} episodes, {len(revs_all)} reviews, {child - 1000000} children -> {a.out_dir}")
    years = [int(x) for x in a.returns.split(",") if x.strip()]
    for y in years:
        eps, revs = cut_return(eps_all, revs_all, y, max(years))
        for name, header, rows in (("episodes", EPISODE_HEADER, eps), ("reviews", REVIEW_HEADER, revs)):
            with open(os.path.join(a.out_dir, f"SSDA903_{y}_{name}.csv"), "w", newline="") as f:
                f.write(header + "\n" + "".join(r + "\n" for r in rows))
        if a.xml:
            write_xml(os.path.join(a.out_dir, f"SSDA903_{y}.xml"), eps, revs)
        print(f"return {y - 1}-{y % 100:02d}: {len(eps)} episodes, {len(revs)} reviews")


if __name__ == "__main__":
    main()
