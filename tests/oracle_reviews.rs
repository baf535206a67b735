//! Differential tests: the engine's looked-after review clocks (England and Wales) and the
//! duties after each review, against the naive oracle of `tests/oracle/mod.rs`, on random
//! histories.
//!
//! What the oracle models (and so what the generators make): periods of care (became looked
//! after, reviews held with a meeting satisfying every clock, ceased), one after another; no
//! adjournments, rearrangements, early-review triggers, placements or other regimes. Reviews are
//! placed relative to the oracle's own deadlines, so that they land on the deadline, the day
//! after, its last working day, early and late; starts cluster on month ends, 29 February,
//! Christmas, New Year, Easter, the one-off holidays and the 1 Apr 2011 / 6 Apr 2016 boundaries.
//!
//! The law, as the reference (`../shared/reference/statutory-timescales.md`) states it:
//! - England, CPPCR reg 33(1)-(2) (from 1 Apr 2011): first review within 20 working days of
//!   becoming looked after; second within 3 months of the first; later within 6 months of the
//!   previous. Before 1 Apr 2011, the 1991 Regulations reg 3: 4 weeks, 3 months, 6 months.
//! - Wales, 2015 Regulations reg 39 (from 6 Apr 2016): 20 working days, 3 months, 6 months;
//!   before, the 2007 Regulations (from 1 Jul 2007; the 1991 Regulations before that, the same
//!   intervals): 4 weeks (28 days), 3 months, 6 months.
//! - Each later review counts from the actual date of the previous one (s.2).
//! - Which regulations govern the first review: the reference's table reads "Looked after,
//!   England before 1 Apr 2011" (Wales: "before 6 Apr 2016"). The oracle reads it as the date
//!   the clock starts from (becoming looked after); the later intervals are the same in both.
//! - A review not held by the time the child ceases to be looked after was missed only if its
//!   deadline fell before the day the child ceased (the child was looked after on every day up
//!   to and including the deadline); otherwise the clock simply stops.
//! - The next review of a running clock is always shown (overdue when its deadline is before the
//!   as-at date); later ones are projected, each assumed held on the last working day on or
//!   before its deadline, while their deadline is within the horizon (README "Past and future").

mod oracle;

use chrono::{Days, Months, NaiveDate};
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction, Regime};
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, Breach, Schedule, ScheduleOptions};
use oracle::*;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// The oracle's reading of the review clock.

/// The first review's deadline for a child who became looked after on `s`.
fn first_review_due(j: Jurisdiction, s: NaiveDate) -> NaiveDate {
    let boundary = match j {
        Jurisdiction::England => d(2011, 4, 1),
        Jurisdiction::Wales => d(2016, 4, 6),
    };
    if s >= boundary {
        working_days_after(s, 20)
    } else {
        days_after(s, 28)
    }
}

/// The deadline of review `k + 1` after review `k` (k >= 1) was held (or assumed held) on `h`.
fn next_review_due(k: u32, h: NaiveDate) -> NaiveDate {
    months_after(h, if k == 1 { 3 } else { 6 })
}

/// What became of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    /// Held on or before its deadline, or not yet due.
    Fine,
    /// Held after its deadline.
    Late,
    /// Not held and its deadline passed (before the child ceased, or before the as-at date).
    Missed,
}

/// One review as the oracle sees it: number in its period of care, deadline, planning day, date
/// held, status, projected.
type Rev = (u32, NaiveDate, NaiveDate, Option<NaiveDate>, Status, bool);

/// One period of care read from a history: start, reviews held, end.
#[derive(Debug, Clone)]
struct Period {
    start: NaiveDate,
    held: Vec<NaiveDate>,
    ceased: Option<NaiveDate>,
}

fn periods(events: &[Event]) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    for e in events {
        match e.kind {
            EventKind::BecameLookedAfter => out.push(Period { start: e.date, held: vec![], ceased: None }),
            EventKind::ReviewHeld { .. } => out.last_mut().unwrap().held.push(e.date),
            EventKind::CeasedToBeLookedAfter => out.last_mut().unwrap().ceased = Some(e.date),
            _ => {}
        }
    }
    out
}

/// The horizon's end: `as_at` + `months`, none for 0 (no projection beyond the next review).
fn horizon_end(as_at: NaiveDate, months: u32) -> Option<NaiveDate> {
    (months > 0).then(|| as_at.checked_add_months(Months::new(months)).unwrap())
}

/// Every looked-after review the oracle expects, with the day each review was (or is assumed)
/// held, for the duties counted from it: `(review, held or assumed day, assumed)`.
fn oracle_reviews(j: Jurisdiction, events: &[Event], as_at: NaiveDate, horizon: u32) -> Vec<(Rev, NaiveDate, bool)> {
    let h_end = horizon_end(as_at, horizon);
    let mut out = Vec::new();
    for p in periods(events) {
        let mut due = first_review_due(j, p.start);
        let mut k = 1u32;
        for &h in &p.held {
            let st = if h > due { Status::Late } else { Status::Fine };
            out.push(((k, due, last_working_day_on_or_before(due), Some(h), st, false), h, false));
            due = next_review_due(k, h);
            k += 1;
        }
        match p.ceased {
            Some(c) => {
                if due < c {
                    out.push(((k, due, last_working_day_on_or_before(due), None, Status::Missed, false), due, true));
                }
            }
            None => {
                // The next review, always; then projected ones within the horizon.
                let st = if due < as_at { Status::Missed } else { Status::Fine };
                let mut assumed = last_working_day_on_or_before(due);
                out.push(((k, due, assumed, None, st, false), assumed, true));
                if let Some(h_end) = h_end {
                    loop {
                        due = next_review_due(k, assumed);
                        k += 1;
                        if due > h_end {
                            break;
                        }
                        assumed = last_working_day_on_or_before(due);
                        out.push(((k, due, assumed, None, Status::Fine, true), assumed, true));
                    }
                }
            }
        }
    }
    out
}

fn engine_reviews(s: &Schedule) -> Vec<Rev> {
    let mut v: Vec<Rev> = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::HoldReview && o.regime == Some(Regime::LookedAfter) && !o.early)
        .map(|o| {
            let st = match o.breach {
                None => Status::Fine,
                Some(Breach::LateReview { .. }) => Status::Late,
                Some(Breach::NotHeld { .. }) => Status::Missed,
                Some(ref b) => panic!("unexpected breach {b:?} on {o:?}"),
            };
            (o.review_number.unwrap(), o.latest.unwrap(), o.latest_working_day.unwrap(), o.done, st, o.projected)
        })
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------------
// Random histories, placed relative to the oracle's deadlines.

/// When a review is held, relative to its deadline.
#[derive(Debug, Clone, Copy)]
enum When {
    OnDeadline,
    DayAfter,
    LastWorkingDay,
    /// Some days before the deadline (not before the previous event).
    Early(u64),
    /// Some days after the deadline.
    Late(u64),
}

fn when() -> impl Strategy<Value = When> {
    prop_oneof![
        3 => Just(When::OnDeadline),
        3 => Just(When::DayAfter),
        2 => Just(When::LastWorkingDay),
        2 => (1u64..90).prop_map(When::Early),
        2 => (2u64..70).prop_map(When::Late),
    ]
}

/// One period of care: the gap after the previous one's cessation, the reviews, and when it
/// ends relative to the deadline of the next review (none: still looked after).
#[derive(Debug, Clone)]
struct PeriodPlan {
    gap: u64,
    reviews: Vec<(When, Option<u64>)>,
    end: Option<i64>,
}

fn start_date(j: Jurisdiction) -> impl Strategy<Value = NaiveDate> {
    let centres = edge_centres();
    let uniform_from = match j {
        Jurisdiction::England => d(1992, 1, 1),
        Jurisdiction::Wales => d(1992, 1, 1),
    };
    prop_oneof![
        (0..centres.len(), -3i64..4).prop_map({
            let centres = centres.clone();
            move |(i, off)| centres[i].checked_add_signed(chrono::Duration::days(off)).unwrap()
        }),
        (0..centres.len(), -35i64..35)
            .prop_map(move |(i, off)| centres[i].checked_add_signed(chrono::Duration::days(off)).unwrap()),
        (0u64..(40 * 365)).prop_map(move |n| uniform_from + Days::new(n)),
    ]
}

fn period_plan() -> impl Strategy<Value = PeriodPlan> {
    (
        1u64..60,
        prop::collection::vec((when(), prop::option::weighted(0.5, 0u64..12)), 0..7),
        prop::option::weighted(0.4, prop_oneof![Just(-1i64), Just(0i64), Just(1i64), -40i64..40]),
    )
        .prop_map(|(gap, reviews, end)| PeriodPlan { gap, reviews, end })
}

/// The as-at date: the last event's date plus a gap, or the next review's deadline (from the
/// oracle), or the day after it.
#[derive(Debug, Clone, Copy)]
enum AsAt {
    Gap(u64),
    OnNextDeadline,
    DayAfterNextDeadline,
}

/// A history: jurisdiction, start, periods of care; the as-at date and the horizon.
fn plan(j: Jurisdiction) -> impl Strategy<Value = (NaiveDate, Vec<PeriodPlan>, AsAt, u32)> {
    (
        start_date(j),
        prop::collection::vec(period_plan(), 1..4),
        prop_oneof![
            Just(AsAt::Gap(0)),
            (0u64..150).prop_map(AsAt::Gap),
            Just(AsAt::OnNextDeadline),
            Just(AsAt::DayAfterNextDeadline)
        ],
        prop_oneof![Just(0u32), Just(12u32), 1u32..30],
    )
}

/// The as-at date a plan asks for.
fn as_at_of(j: Jurisdiction, events: &[Event], a: AsAt) -> NaiveDate {
    let last = events.last().unwrap().date;
    let next = || {
        // The running clock's next review: the last one not held (earlier periods' missed
        // reviews come before it).
        let running = periods(events).last().unwrap().ceased.is_none();
        let next = oracle_reviews(j, events, last, 0).into_iter().rfind(|r| r.0 .3.is_none() && !r.0 .5);
        next.filter(|_| running).map(|r| r.0 .1)
    };
    match a {
        AsAt::Gap(n) => last + Days::new(n),
        AsAt::OnNextDeadline => next().map_or(last, |n| n.max(last)),
        AsAt::DayAfterNextDeadline => next().map_or(last, |n| (n + Days::new(1)).max(last)),
    }
}

/// Builds the events of a plan, placing each review with the oracle's deadlines. Decisions are
/// recorded (`duty_done issue_decisions`) some days after a review when the plan says so (only
/// within the period of care).
fn build(j: Jurisdiction, start: NaiveDate, plans: &[PeriodPlan]) -> Vec<Event> {
    let mut ev: Vec<Event> = Vec::new();
    let mut s = start;
    for (i, p) in plans.iter().enumerate() {
        if i > 0 {
            s = ev.last().unwrap().date + Days::new(p.gap);
        }
        ev.push(Event::new(s, EventKind::BecameLookedAfter));
        let mut due = first_review_due(j, s);
        let mut last = s;
        let mut decisions: Vec<(NaiveDate, u32)> = Vec::new();
        for (k, (w, dec)) in p.reviews.iter().enumerate() {
            let k = k as u32 + 1;
            let h = match *w {
                When::OnDeadline => due,
                When::DayAfter => due + Days::new(1),
                When::LastWorkingDay => last_working_day_on_or_before(due),
                When::Early(n) => due - Days::new(n),
                When::Late(n) => due + Days::new(n),
            };
            // Reviews of one clock on one day are one meeting sent twice (an error): one a day.
            let h = h.max(if k == 1 { last } else { last + Days::new(1) });
            ev.push(Event::new(h, EventKind::ReviewHeld { meeting: true, regimes: None }));
            if let Some(n) = dec {
                decisions.push((h + Days::new(*n), k));
            }
            last = h;
            due = next_review_due(k, h);
        }
        let end =
            p.end.map(|off| due.checked_add_signed(chrono::Duration::days(off)).unwrap().max(last + Days::new(1)));
        for (date, k) in decisions {
            if end.is_none_or(|e| date < e) {
                ev.push(Event::new(date, EventKind::DutyDone { duty: Duty::IssueDecisions, review_number: Some(k) }));
            }
        }
        // Stable: on one day, a review comes before decisions recorded that day for it.
        ev.sort_by_key(|e| e.date);
        match end {
            Some(e) => ev.push(Event::new(e, EventKind::CeasedToBeLookedAfter)),
            None => break,
        }
    }
    ev
}

fn run(j: Jurisdiction, events: &[Event], as_at: NaiveDate, horizon: u32) -> Schedule {
    let cal = Calendar::england_and_wales();
    let case = CaseHistory::new(j, Child::default(), events.to_vec()).unwrap_or_else(|e| panic!("{e}: {events:?}"));
    let p = Profile::builtin(if j == Jurisdiction::England { "england" } else { "wales" }).unwrap();
    let opts = ScheduleOptions { as_at: Some(as_at), horizon_months: Some(horizon), ..Default::default() };
    schedule(&case, &p, &cal, &opts).unwrap_or_else(|e| panic!("{e}: {events:?}"))
}

fn check_reviews(j: Jurisdiction, events: &[Event], as_at: NaiveDate, horizon: u32) -> Result<(), TestCaseError> {
    let s = run(j, events, as_at, horizon);
    let mut want: Vec<Rev> = oracle_reviews(j, events, as_at, horizon).into_iter().map(|r| r.0).collect();
    want.sort();
    let got = engine_reviews(&s);
    prop_assert_eq!(&got, &want, "as at {} horizon {}: {:?}", as_at, horizon, events);
    Ok(())
}

fn ev(date: NaiveDate, k: EventKind) -> Event {
    Event::new(date, k)
}

fn held(date: NaiveDate) -> Event {
    ev(date, EventKind::ReviewHeld { meeting: true, regimes: None })
}

// ---------------------------------------------------------------------------------------------
// 1. England.

/// The oracle itself, by hand: looked after Mon 7 Mar 2011 (the 1991 Regulations: 4 weeks, due
/// Mon 4 Apr 2011, after the CPPCR came into force); held Mon 4 Apr (on the day); the second is
/// due 3 months later, Mon 4 Jul 2011; held Tue 5 Jul (a day late); the third is due 6 months
/// after that, Thu 5 Jan 2012. A child looked after on Fri 1 Apr 2011 instead (CPPCR: 20 working
/// days, skipping Good Friday 22 Apr, Easter Monday 25 Apr, the royal wedding Fri 29 Apr and the
/// early May holiday Mon 2 May): Thu 5 May 2011.
#[test]
fn england_review_clock_by_hand() {
    let j = Jurisdiction::England;
    assert_eq!(first_review_due(j, d(2011, 3, 7)), d(2011, 4, 4));
    // April 2011 working days from Mon 4: 4-8 (5), 11-15 (10), 18-21 (14), 26-28 (17), 3-5 May (20).
    assert_eq!(first_review_due(j, d(2011, 4, 1)), d(2011, 5, 5));
    let events = vec![ev(d(2011, 3, 7), EventKind::BecameLookedAfter), held(d(2011, 4, 4)), held(d(2011, 7, 5))];
    let want = vec![
        (1, d(2011, 4, 4), d(2011, 4, 4), Some(d(2011, 4, 4)), Status::Fine, false),
        (2, d(2011, 7, 4), d(2011, 7, 4), Some(d(2011, 7, 5)), Status::Late, false),
        (3, d(2012, 1, 5), d(2012, 1, 5), None, Status::Fine, false),
    ];
    let mut got: Vec<Rev> = oracle_reviews(j, &events, d(2011, 7, 5), 0).into_iter().map(|r| r.0).collect();
    got.sort();
    assert_eq!(got, want);
    check_reviews(j, &events, d(2011, 7, 5), 0).unwrap();
    // Looked after Thu 24 Dec 2026 (reference s.4): due Tue 26 Jan 2027; ceased on Tue 26 Jan:
    // the deadline did not fall before the cessation, so nothing was missed.
    let events =
        vec![ev(d(2026, 12, 24), EventKind::BecameLookedAfter), ev(d(2027, 1, 26), EventKind::CeasedToBeLookedAfter)];
    assert!(oracle_reviews(j, &events, d(2027, 1, 26), 0).is_empty());
    // Ceased on Wed 27 Jan: review 1, due the 26th, was missed.
    let events =
        vec![ev(d(2026, 12, 24), EventKind::BecameLookedAfter), ev(d(2027, 1, 27), EventKind::CeasedToBeLookedAfter)];
    let got: Vec<Rev> = oracle_reviews(j, &events, d(2027, 1, 27), 0).into_iter().map(|r| r.0).collect();
    assert_eq!(got, vec![(1, d(2027, 1, 26), d(2027, 1, 26), None, Status::Missed, false)]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// England: every looked-after review the engine reports (number, deadline, planning day,
    /// date held, late or missed, projected) is the oracle's, and none is missing.
    #[test]
    fn england_review_clock_matches_the_oracle((start, plans, as_at, horizon) in plan(Jurisdiction::England)) {
        let j = Jurisdiction::England;
        let events = build(j, start, &plans);
        let as_at = as_at_of(j, &events, as_at);
        check_reviews(j, &events, as_at, horizon)?;
    }
}
