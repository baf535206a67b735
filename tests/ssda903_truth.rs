//! `audit_903` against the truth: full histories of synthetic children are cut into returns as real
//! returns are cut (the episodes open at any time in each collection year with their original
//! `DECOM` and `RNE`, `DEC`/`REC` blank while still open at the year's end, and only the year's
//! reviews). The audit of every year since the earliest period began is the truth (every review's
//! number is known there, which the test checks). Audits of the last one, two or three years,
//! in either file order, must get every assessed review right (an `assumption` row too: the
//! generator never holds a first review more than 3 months late, so the assumption is true),
//! report no review overdue or never held that is not (each overdue review of a child, the one
//! due and each next counted from it, as the truth has it), and give the same output in any
//! order.
//!
//! The generator is deterministic (xorshift), so `cargo test` needs no Python;
//! `scripts/gen_ssda903.py --returns` writes the same shape of files for manual runs.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use lac_timescales::profile::Profile;
use lac_timescales::ssda903::{audit, AuditOptions, AuditRow, Basis, Collect, Input, ReturnInput};

const EP_HEADER: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";
const RV_HEADER: &str = "CHILD,DOB,REVIEW,REVIEW_CODE";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn fmt(x: NaiveDate) -> String {
    x.format("%d/%m/%Y").to_string()
}

const LAST: i32 = 2025;

/// Full histories: (episode rows as (CHILD, DECOM, RNE, LS, DEC, REC)), review rows (CHILD, date).
#[allow(clippy::type_complexity)]
fn generate(
    seed: u64,
    children: u32,
) -> (Vec<(String, NaiveDate, &'static str, &'static str, Option<NaiveDate>, &'static str)>, Vec<(String, NaiveDate)>) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let end_of_data = d(LAST, 3, 31);
    let mut eps = Vec::new();
    let mut revs = Vec::new();
    for c in 0..children {
        let child = format!("{}", 500_000 + c);
        let mut start = d(2015, 1, 1) + Days::new(rng.below(365 * 10 + 60));
        for _ in 0..(1 + u64::from(rng.chance(20))) {
            if start > end_of_data {
                break;
            }
            let len = 30 + rng.below(365 * 5);
            let end = start + Days::new(len);
            let open = end > end_of_data;
            let ls = if rng.chance(6) { "V3" } else { "C2" };
            // Episodes: S, then up to two placement changes.
            let mut bounds = vec![start];
            for _ in 0..rng.below(3) {
                let cut = start + Days::new(1 + rng.below(len.max(2) - 1));
                if cut < end.min(end_of_data) && !bounds.contains(&cut) {
                    bounds.push(cut);
                }
            }
            bounds.sort();
            for (i, &a) in bounds.iter().enumerate() {
                let last = i + 1 == bounds.len();
                let b = if last { end } else { bounds[i + 1] };
                let dec = if last && open { None } else { Some(b) };
                let rec = match dec {
                    None => "",
                    Some(_) if last => "E4A",
                    Some(_) => "X1",
                };
                eps.push((child.clone(), a, if i == 0 { "S" } else { "P" }, ls, dec, rec));
            }
            // Reviews: the first within about 20 working days (at most a month late), then 3 and
            // 6 months with slippage either way.
            let stop = end.min(end_of_data);
            let mut r = start + Days::new(5 + rng.below(24) + if rng.chance(10) { rng.below(30) } else { 0 });
            let mut n = 1;
            while r <= stop {
                revs.push((child.clone(), r));
                n += 1;
                let months = if n == 2 && ls != "V3" { 3 } else { 6 };
                let base = r.checked_add_months(Months::new(months)).unwrap();
                r = if rng.chance(85) { base - Days::new(rng.below(40)) } else { base + Days::new(1 + rng.below(60)) };
                if rng.chance(3) {
                    // A long gap: no review for a year.
                    r = r + Days::new(365);
                } else if rng.chance(2) {
                    // No review again in this period (several missed in a row, still open or not).
                    break;
                }
            }
            start = end + Days::new(30 + rng.below(700));
        }
    }
    (eps, revs)
}

fn year_of(x: NaiveDate) -> i32 {
    if x.month() >= 4 {
        x.year() + 1
    } else {
        x.year()
    }
}

#[allow(clippy::type_complexity)]
fn cut(
    eps: &[(String, NaiveDate, &'static str, &'static str, Option<NaiveDate>, &'static str)],
    revs: &[(String, NaiveDate)],
    years: &[i32],
) -> Vec<(String, String, i32)> {
    years
        .iter()
        .map(|&y| {
            let (a, b) = (d(y - 1, 4, 1), d(y, 3, 31));
            let mut e = String::from(EP_HEADER);
            for (child, decom, rne, ls, dec, rec) in eps {
                if *decom > b || dec.is_some_and(|x| x < a) {
                    continue;
                }
                let (dec, rec) = match dec {
                    Some(x) if *x <= b => (fmt(*x), *rec),
                    _ => (String::new(), ""),
                };
                let place = if *ls == "V3" { "K2" } else { "U1" };
                e += &format!("\n{child},{},{rne},{ls},N1,{place},PR1,{dec},{rec},,A1 1AA,B2 2BB,1234567", fmt(*decom));
            }
            e.push('\n');
            let mut r = String::from(RV_HEADER);
            for (child, x) in revs {
                if year_of(*x) == y {
                    r += &format!("\n{child},01/01/2010,{},PN1", fmt(*x));
                }
            }
            r.push('\n');
            (e, r, y)
        })
        .collect()
}

fn run(returns: &[(String, String, i32)], as_at: NaiveDate, threads: usize) -> Collect {
    let inputs: Vec<ReturnInput<'_>> = returns
        .iter()
        .map(|(e, r, y)| ReturnInput::Csv {
            episodes: Input::Text { name: format!("SSDA903_{y}_episodes.csv"), text: e },
            reviews: Input::Text { name: format!("SSDA903_{y}_reviews.csv"), text: r },
            year: None,
        })
        .collect();
    let mut o = AuditOptions::new(&Profile::builtin("england").unwrap());
    o.as_at = Some(as_at);
    o.threads = threads;
    let mut c = Collect::default();
    let out = audit(inputs, &o, &mut c).unwrap();
    assert!(out.totals.balanced());
    c
}

#[test]
fn returns_cut_from_full_histories_agree_with_the_truth() {
    let as_at = d(LAST, 3, 31);
    let mut checked = BTreeMap::<Basis, u64>::new();
    let mut not_assessable = 0u64;
    let mut never_held = 0u64;
    let (mut overdue, mut overdue_stepped) = (0u64, 0u64);
    for seed in 1..=3u64 {
        let (eps, revs) = generate(seed, 250);
        let all_years: Vec<i32> = (2015..=LAST).collect();
        let truth = run(&cut(&eps, &revs, &all_years), as_at, 1);
        let truth_rows: BTreeMap<(String, NaiveDate), &AuditRow> =
            truth.rows.iter().filter_map(|r| Some(((r.child.to_string(), r.review?), r))).collect();
        assert!(
            truth.rejects.is_empty(),
            "the truth run rejected rows: {:?}",
            &truth.rejects[..truth.rejects.len().min(5)]
        );
        assert!(truth.rows.iter().all(|r| r.basis == Basis::KnownReviewNumber), "the truth must be fully known");
        let mut truth_missed: BTreeMap<(String, NaiveDate), Vec<&AuditRow>> = BTreeMap::new();
        for r in truth.rows.iter().filter(|r| r.is_never_held()) {
            truth_missed.entry((r.child.to_string(), r.ended.unwrap())).or_default().push(r);
        }
        let mut truth_overdue: BTreeMap<String, Vec<&AuditRow>> = BTreeMap::new();
        for r in truth.rows.iter().filter(|r| r.is_overdue()) {
            truth_overdue.entry(r.child.to_string()).or_default().push(r);
        }
        for k in 1..=3 {
            let years: Vec<i32> = (LAST - k + 1..=LAST).collect();
            let returns = cut(&eps, &revs, &years);
            let got = run(&returns, as_at, 2);
            // Same output whatever the order of the files.
            let mut rev = returns.clone();
            rev.reverse();
            let got2 = run(&rev, as_at, 1);
            assert_eq!(got.rows, got2.rows, "order changed the rows (seed {seed}, years {years:?})");
            assert_eq!(got.rejects, got2.rejects);
            assert!(got.rejects.is_empty(), "{:?}", &got.rejects[..got.rejects.len().min(5)]);
            // Every review never held in a period that began inside the cut is found, the same.
            let first_day = d(LAST - k, 4, 1);
            for t in truth.rows.iter().filter(|t| t.is_never_held() && t.period_start.is_some_and(|s| s >= first_day)) {
                assert!(
                    got.rows.iter().any(|r| r.is_never_held()
                        && (&r.child, r.ended, r.review_number, r.deadline, r.basis)
                            == (&t.child, t.ended, t.review_number, t.deadline, Basis::KnownReviewNumber)),
                    "seed {seed} years {years:?}: the truth's review never held is missing: {t:?}"
                );
            }
            // So is every review overdue at the as-at date.
            for t in truth.rows.iter().filter(|t| t.is_overdue() && t.period_start.is_some_and(|s| s >= first_day)) {
                assert!(
                    got.rows.iter().any(|r| r.is_overdue()
                        && (&r.child, r.review_number, r.deadline, r.basis)
                            == (&t.child, t.review_number, t.deadline, Basis::KnownReviewNumber)),
                    "seed {seed} years {years:?}: the truth's overdue review is missing: {t:?}"
                );
            }
            for r in &got.rows {
                if r.is_overdue() {
                    // Overdue in the full history too: due no later than the row says (the latest
                    // possible deadline when the earlier reviews are not in the cut), the same one
                    // when its number is known.
                    let t = truth_overdue.get(&*r.child).map(Vec::as_slice).unwrap_or(&[]);
                    let ok = t.iter().any(|t| {
                        t.deadline <= r.deadline
                            && (r.basis != Basis::KnownReviewNumber
                                || (t.review_number, t.deadline) == (r.review_number, r.deadline))
                    });
                    assert!(ok, "seed {seed} years {years:?}: overdue but not in the truth: {r:?}\ntruth {t:?}");
                    overdue += 1;
                    overdue_stepped += u64::from(r.note.contains("counted from"));
                    continue;
                }
                if r.is_never_held() {
                    // Never held in the full history too: the same meeting (same day the clock
                    // stopped) due no later than the row says (the latest possible deadline when
                    // the earlier reviews are not in the cut), the same one when its number is known.
                    let t =
                        truth_missed.get(&(r.child.to_string(), r.ended.unwrap())).map(Vec::as_slice).unwrap_or(&[]);
                    let ok = t.iter().any(|t| {
                        t.deadline <= r.deadline
                            && (r.basis != Basis::KnownReviewNumber
                                || (t.review_number, t.deadline) == (r.review_number, r.deadline))
                    });
                    assert!(ok, "seed {seed} years {years:?}: never held but not in the truth: {r:?}\ntruth {t:?}");
                    never_held += 1;
                    continue;
                }
                let t = truth_rows[&(r.child.to_string(), r.review.unwrap())];
                match r.on_time {
                    None => not_assessable += 1,
                    Some(on) => {
                        *checked.entry(r.basis).or_default() += 1;
                        assert_eq!(Some(on), t.on_time, "seed {seed} years {years:?}: {r:?}\ntruth {t:?}");
                        if r.basis == Basis::KnownReviewNumber {
                            assert_eq!(
                                (r.review_number, r.deadline),
                                (t.review_number, t.deadline),
                                "{r:?}\ntruth {t:?}"
                            );
                        }
                    }
                }
            }
        }
    }
    // Every basis was exercised.
    for b in [Basis::KnownReviewNumber, Basis::DecidedByData, Basis::Assumption] {
        assert!(checked.get(&b).copied().unwrap_or(0) > 20, "too few {b} rows: {checked:?}");
    }
    eprintln!(
        "checked by basis: {checked:?}; not assessable: {not_assessable}; never held: {never_held}; overdue: \
         {overdue} ({overdue_stepped} after the first)"
    );
    assert!(overdue_stepped > 0 && overdue > overdue_stepped, "too few overdue rows: {overdue} ({overdue_stepped})");
    assert!(not_assessable > 0);
    assert!(never_held > 20, "too few reviews never held: {never_held}");
}
