//! Differential tests: the engine's looked-after review clocks (England and Wales) and the
//! duties after each review, against the naive oracle of `tests/oracle/mod.rs`, on random
//! histories.
//!
//! What the oracle models (and so what the generators make): periods of care (became looked
//! after, reviews held with a meeting satisfying every clock, some adjourned once and completed
//! later, ceased), one after another; decisions recorded with `duty_done`; no second
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
//!   before its deadline, while that day to plan for is within the horizon (README "Past and
//!   future": a review due on a Saturday after the horizon, planned for the Friday inside it, is
//!   shown).

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
    /// Held after its deadline: working days and calendar days late.
    Late(i64, i64),
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
    /// Each review: the day of its meeting (for an adjourned review, the adjourned meeting: the
    /// profiles' default `adjourned_review_date = "original"`, reference s.2) and the day it was
    /// completed (the same day unless adjourned).
    held: Vec<(NaiveDate, NaiveDate)>,
    ceased: Option<NaiveDate>,
}

fn periods(events: &[Event]) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    let mut adjourned = None;
    for e in events {
        match e.kind {
            EventKind::BecameLookedAfter => out.push(Period { start: e.date, held: vec![], ceased: None }),
            EventKind::ReviewAdjourned => adjourned = Some(e.date),
            EventKind::ReviewHeld { .. } => {
                out.last_mut().unwrap().held.push((adjourned.take().unwrap_or(e.date), e.date))
            }
            EventKind::CeasedToBeLookedAfter => out.last_mut().unwrap().ceased = Some(e.date),
            _ => {}
        }
    }
    out
}

/// Late or not, done on `done` when due on `due`; how late in working days (those after the
/// deadline up to and including the day done: README "Audit") and calendar days.
fn late(due: NaiveDate, done: NaiveDate) -> Status {
    if done > due {
        Status::Late(working_days_late(due, done), (done - due).num_days())
    } else {
        Status::Fine
    }
}

/// The horizon's end: `as_at` + `months`, none for 0 (no projection beyond the next review).
fn horizon_end(as_at: NaiveDate, months: u32) -> Option<NaiveDate> {
    (months > 0).then(|| as_at.checked_add_months(Months::new(months)).unwrap())
}

/// Every looked-after review the oracle expects, with the day each review was (or is assumed)
/// held, for the duties counted from it: `(review, held or assumed day, assumed)`.
fn oracle_reviews(j: Jurisdiction, events: &[Event], as_at: NaiveDate, horizon: u32) -> Vec<(Rev, NaiveDate, bool)> {
    oracle_reviews_with(j, events, as_at, horizon, next_review_due)
}

/// As [`oracle_reviews`], with another rule for the deadline of review k + 1 (a local profile's
/// earlier deadline beside statute's).
fn oracle_reviews_with(
    j: Jurisdiction,
    events: &[Event],
    as_at: NaiveDate,
    horizon: u32,
    next_review_due: fn(u32, NaiveDate) -> NaiveDate,
) -> Vec<(Rev, NaiveDate, bool)> {
    let h_end = horizon_end(as_at, horizon);
    let mut out = Vec::new();
    for p in periods(events) {
        let mut due = first_review_due(j, p.start);
        let mut k = 1u32;
        for &(h, _) in &p.held {
            let st = late(due, h);
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
                        if last_working_day_on_or_before(due) > h_end {
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
                Some(Breach::LateReview { working_days_late, calendar_days_late, .. }) => {
                    Status::Late(working_days_late, calendar_days_late)
                }
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
    /// When each review is held, and optionally: the decisions recorded some days after it
    /// (or after its completion); the meeting adjourned and completed some days later.
    reviews: Vec<(When, Option<u64>, Option<u64>)>,
    end: Option<i64>,
}

fn start_date(j: Jurisdiction) -> impl Strategy<Value = NaiveDate> {
    let centres = edge_centres();
    let uniform_from = match j {
        Jurisdiction::England => d(1992, 1, 1),
        Jurisdiction::Wales => d(1992, 1, 1),
    };
    let bounds = rule_boundaries();
    prop_oneof![
        (0..bounds.len(), -2i64..3)
            .prop_map(move |(i, off)| bounds[i].checked_add_signed(chrono::Duration::days(off)).unwrap()),
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
        prop::collection::vec(
            (
                when(),
                prop::option::weighted(0.5, 0u64..12),
                prop::option::weighted(0.15, prop_oneof![Just(26u64), Just(27u64), Just(28u64), 1u64..40]),
            ),
            0..7,
        ),
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
    build_with(j, start, plans, next_review_due)
}

/// As [`build`], reviews placed with another rule for the deadline of review k + 1.
fn build_with(
    j: Jurisdiction,
    start: NaiveDate,
    plans: &[PeriodPlan],
    next_review_due: fn(u32, NaiveDate) -> NaiveDate,
) -> Vec<Event> {
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
        for (k, (w, dec, adj)) in p.reviews.iter().enumerate() {
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
            // An adjourned meeting on h, completed c days later (a review_held on the completion).
            let c = match adj {
                Some(c) => {
                    ev.push(Event::new(h, EventKind::ReviewAdjourned));
                    h + Days::new(*c)
                }
                None => h,
            };
            ev.push(Event::new(c, EventKind::ReviewHeld { meeting: true, regimes: None }));
            if let Some(n) = dec {
                decisions.push((c + Days::new(*n), k));
            }
            last = c;
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
        (2, d(2011, 7, 4), d(2011, 7, 4), Some(d(2011, 7, 5)), Status::Late(1, 1), false),
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

// ---------------------------------------------------------------------------------------------
// 2. Wales.

/// The oracle by hand for Wales: looked after Tue 5 Apr 2016 (the 2007 Regulations: 28 days):
/// due Tue 3 May 2016; looked after Wed 6 Apr 2016 (the 2015 Regulations: 20 working days; Mon 2
/// May is the early May holiday): 7-8 Apr (2), 11-15 (7), 18-22 (12), 25-29 (17), 3-5 May (20):
/// Thu 5 May 2016. Held Thu 5 May; the second is due Fri 5 Aug 2016; held early on Fri 1 Jul; the
/// third is due 6 months after that, Sun 1 Jan 2017 (planning day Fri 30 Dec 2016).
#[test]
fn wales_review_clock_by_hand() {
    let j = Jurisdiction::Wales;
    assert_eq!(first_review_due(j, d(2016, 4, 5)), d(2016, 5, 3));
    assert_eq!(first_review_due(j, d(2016, 4, 6)), d(2016, 5, 5));
    let events = vec![ev(d(2016, 4, 6), EventKind::BecameLookedAfter), held(d(2016, 5, 5)), held(d(2016, 7, 1))];
    let want = vec![
        (1, d(2016, 5, 5), d(2016, 5, 5), Some(d(2016, 5, 5)), Status::Fine, false),
        (2, d(2016, 8, 5), d(2016, 8, 5), Some(d(2016, 7, 1)), Status::Fine, false),
        (3, d(2017, 1, 1), d(2016, 12, 30), None, Status::Fine, false),
    ];
    let mut got: Vec<Rev> = oracle_reviews(j, &events, d(2016, 7, 1), 0).into_iter().map(|r| r.0).collect();
    got.sort();
    assert_eq!(got, want);
    check_reviews(j, &events, d(2016, 7, 1), 0).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Wales: as for England, under the 2015 Regulations from 6 Apr 2016 and the 2007 (and
    /// 1991) Regulations before.
    #[test]
    fn wales_review_clock_matches_the_oracle((start, plans, as_at, horizon) in plan(Jurisdiction::Wales)) {
        let j = Jurisdiction::Wales;
        let events = build(j, start, &plans);
        let as_at = as_at_of(j, &events, as_at);
        check_reviews(j, &events, as_at, horizon)?;
    }
}

// ---------------------------------------------------------------------------------------------
// 3. The duties after a review (England; IRO Handbook 2010, statutory guidance, in force from
//    1 Apr 2011 with the CPPCR: reference s.1 and s.3).
//
// - written record of the decisions: within 5 working days of the review;
// - full record completed within 15, distributed within 20 working days;
// - the senior manager may object within 5 working days of receiving the decisions (received:
//   the day they were recorded as issued, else assumed on their deadline);
// - the IRO speaks to the child before the review (no day fixed in law: the library's reading,
//   "at the latest on the day of the review", is taken here).
// A review not yet held is assumed held on the last working day on or before its deadline; what
// rests on an assumed day is shown like the projected reviews, while its day to plan for (the last
// working day on or before its deadline) is within the horizon (always with a horizon of 0, which
// projects only the next review).

/// One duty: duty, review number, deadline, done, projected.
type DutyRow = (Duty, u32, Option<NaiveDate>, Option<NaiveDate>, bool);

const AROUND_REVIEW: [Duty; 8] = [
    Duty::CompleteAdjournedReview,
    Duty::IroSpeakToChild,
    Duty::IssueDecisions,
    Duty::CompleteReviewRecord,
    Duty::DistributeReviewRecord,
    Duty::ConsiderDecisions,
    Duty::HealthAssessment,
    Duty::PersonalEducationPlan,
];

fn oracle_review_duties(events: &[Event], as_at: NaiveDate, horizon: u32) -> Vec<DutyRow> {
    let h_end = horizon_end(as_at, horizon);
    // Decisions recorded, per period of care and review number.
    let mut recorded: Vec<Vec<(u32, NaiveDate)>> = Vec::new();
    for e in events {
        match e.kind {
            EventKind::BecameLookedAfter => recorded.push(Vec::new()),
            EventKind::DutyDone { duty: Duty::IssueDecisions, review_number: Some(k) } => {
                recorded.last_mut().unwrap().push((k, e.date))
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for ((k, _, _, _, status, _), day, assumed) in oracle_reviews(Jurisdiction::England, events, as_at, horizon) {
        if day < d(2011, 4, 1) {
            continue;
        }
        // A review missed before the child ceased to be looked after was never held: nothing is
        // counted from it.
        let period = period_index(events, day);
        if status == Status::Missed && periods(events)[period].ceased.is_some() {
            continue;
        }
        let show = |latest: NaiveDate, rests_on_assumed: bool| {
            !rests_on_assumed || h_end.is_none_or(|h| last_working_day_on_or_before(latest) <= h)
        };
        // Duties after the review count from its completion (README "Adjournment"); the IRO's talk
        // with the child and the duties before the first review, from its meeting.
        let completed = if assumed { day } else { periods(events)[period].held[k as usize - 1].1 };
        let adjourned = completed != day;
        // Receipt of the decisions: the day they were recorded as issued for this review.
        let dec = recorded[period].iter().find(|(n, _)| *n == k).map(|(_, date)| *date).filter(|_| !assumed);
        let decisions_due = working_days_after(completed, 5);
        let rows = [
            (Duty::IroSpeakToChild, day, None, assumed),
            // The schedule's `done` is for reviews and visits; a recorded duty is matched by the
            // audit, so it is not compared here.
            (Duty::IssueDecisions, decisions_due, None, assumed),
            (Duty::CompleteReviewRecord, working_days_after(completed, 15), None, assumed),
            (Duty::DistributeReviewRecord, working_days_after(completed, 20), None, assumed),
            (
                Duty::ConsiderDecisions,
                working_days_after(dec.unwrap_or(decisions_due), 5),
                None,
                assumed || dec.is_none(),
            ),
        ];
        // Before the first review (care-planning-timescales.md): the health assessment (reg 7,
        // G: "before the first review", read as by the day before it) and the personal
        // education plan (statutory guidance, G: "available for the first review", by its day).
        let first = [
            (Duty::HealthAssessment, day - Days::new(1), None, assumed),
            (Duty::PersonalEducationPlan, day, None, assumed),
        ];
        let first = if k == 1 { &first[..] } else { &[] };
        // An adjourned review: completed within 20 working days of the adjourned meeting (CPPCR
        // reg 36(2), U: "not more than 20 working days"); done on its completion.
        let adjournment = [(Duty::CompleteAdjournedReview, working_days_after(day, 20), Some(completed), false)];
        let adjournment = if adjourned { &adjournment[..] } else { &[] };
        for &(duty, latest, done, proj) in rows.iter().chain(first).chain(adjournment) {
            if show(latest, proj) {
                // A deadline before the child became looked after (the health assessment of a
                // review held on the first day of care) cannot apply: no deadline.
                let latest = Some(latest).filter(|l| *l >= periods(events)[period].start);
                out.push((duty, k, latest, done, proj));
            }
        }
    }
    out.sort();
    out
}

/// The index of the period of care a day falls in (the last one started on or before it).
fn period_index(events: &[Event], day: NaiveDate) -> usize {
    periods(events).iter().rposition(|p| p.start <= day).unwrap()
}

fn engine_review_duties(s: &Schedule) -> Vec<DutyRow> {
    let mut v: Vec<DutyRow> = s
        .obligations
        .iter()
        .filter(|o| AROUND_REVIEW.contains(&o.duty))
        .map(|o| (o.duty, o.review_number.unwrap(), o.latest, o.done, o.projected))
        .collect();
    v.sort();
    v
}

fn check_review_duties(events: &[Event], as_at: NaiveDate, horizon: u32) -> Result<(), TestCaseError> {
    let s = run(Jurisdiction::England, events, as_at, horizon);
    let want = oracle_review_duties(events, as_at, horizon);
    let got = engine_review_duties(&s);
    prop_assert_eq!(&got, &want, "as at {} horizon {}: {:?}", as_at, horizon, events);
    Ok(())
}

/// The oracle by hand: looked after Mon 2 Mar 2026; review 1 held Fri 27 Mar 2026; decisions
/// recorded as issued Wed 1 Apr. Easter 2026 is Fri 3 - Mon 6 Apr. Decisions within 5 working
/// days: 30, 31 Mar, 1, 2, 7 Apr: Tue 7 Apr. Full record 15: 8-10 (8), 13-17 (13), 20, 21: Tue 21
/// Apr. Distributed 20: 22-24 (18), 27, 28: Tue 28 Apr. Objection within 5 working days of receipt
/// (1 Apr): 2, 7, 8, 9, 10: Fri 10 Apr. Review 2 is due Sat 27 Jun, assumed held Fri 26 Jun:
/// decisions Fri 3 Jul, record Fri 17 Jul, distributed Fri 24 Jul, objection (receipt assumed on
/// 3 Jul) Fri 10 Jul; all projected. Before review 1: the health assessment by Thu 26 Mar, the
/// education plan by Fri 27 Mar.
#[test]
fn england_post_review_duties_by_hand() {
    let events = vec![
        ev(d(2026, 3, 2), EventKind::BecameLookedAfter),
        held(d(2026, 3, 27)),
        ev(d(2026, 4, 1), EventKind::DutyDone { duty: Duty::IssueDecisions, review_number: Some(1) }),
    ];
    let mut want = vec![
        (Duty::IroSpeakToChild, 1, Some(d(2026, 3, 27)), None, false),
        (Duty::IssueDecisions, 1, Some(d(2026, 4, 7)), None, false),
        (Duty::CompleteReviewRecord, 1, Some(d(2026, 4, 21)), None, false),
        (Duty::DistributeReviewRecord, 1, Some(d(2026, 4, 28)), None, false),
        (Duty::ConsiderDecisions, 1, Some(d(2026, 4, 10)), None, false),
        (Duty::HealthAssessment, 1, Some(d(2026, 3, 26)), None, false),
        (Duty::PersonalEducationPlan, 1, Some(d(2026, 3, 27)), None, false),
        (Duty::IroSpeakToChild, 2, Some(d(2026, 6, 26)), None, true),
        (Duty::IssueDecisions, 2, Some(d(2026, 7, 3)), None, true),
        (Duty::CompleteReviewRecord, 2, Some(d(2026, 7, 17)), None, true),
        (Duty::DistributeReviewRecord, 2, Some(d(2026, 7, 24)), None, true),
        (Duty::ConsiderDecisions, 2, Some(d(2026, 7, 10)), None, true),
    ];
    want.sort();
    assert_eq!(oracle_review_duties(&events, d(2026, 4, 1), 0), want);
    check_review_duties(&events, d(2026, 4, 1), 0).unwrap();
}

/// An adjourned review by hand: looked after Mon 2 Mar 2026; review 1 adjourned Fri 27 Mar,
/// completed Mon 20 Apr. The review's date stays 27 Mar (the profiles' default, "original"):
/// review 2 is due Sat 27 Jun. Completion within 20 working days of 27 Mar (Easter 3-6 Apr
/// skipped): 30, 31 Mar, 1, 2, 7-10, 13-17, 20-24, 27, 28 Apr: Tue 28 Apr, done 20 Apr. Decisions
/// within 5 working days of the completion: 21-24, 27 Apr: Mon 27 Apr; record 15 (Mon 4 May is
/// a bank holiday): 28-30 Apr, 1, 5-8, 11, 12 May: Tue 12 May; distributed 20: 13-15, 18, 19 May:
/// Tue 19 May; objection (receipt assumed 27 Apr): 28-30 Apr, 1, 5 May: Tue 5 May.
#[test]
fn adjourned_review_by_hand() {
    let events = vec![
        ev(d(2026, 3, 2), EventKind::BecameLookedAfter),
        ev(d(2026, 3, 27), EventKind::ReviewAdjourned),
        held(d(2026, 4, 20)),
    ];
    let rows = oracle_review_duties(&events, d(2026, 4, 20), 0);
    let of_1: Vec<_> = rows.iter().filter(|r| r.1 == 1).map(|r| (r.0, r.2.unwrap(), r.3)).collect();
    let mut want = vec![
        (Duty::CompleteAdjournedReview, d(2026, 4, 28), Some(d(2026, 4, 20))),
        (Duty::IroSpeakToChild, d(2026, 3, 27), None),
        (Duty::HealthAssessment, d(2026, 3, 26), None),
        (Duty::PersonalEducationPlan, d(2026, 3, 27), None),
        (Duty::IssueDecisions, d(2026, 4, 27), None),
        (Duty::CompleteReviewRecord, d(2026, 5, 12), None),
        (Duty::DistributeReviewRecord, d(2026, 5, 19), None),
        (Duty::ConsiderDecisions, d(2026, 5, 5), None),
    ];
    want.sort();
    assert_eq!(of_1, want);
    let revs: Vec<Rev> =
        oracle_reviews(Jurisdiction::England, &events, d(2026, 4, 20), 0).into_iter().map(|r| r.0).collect();
    assert_eq!(revs[1].1, d(2026, 6, 27));
    check_reviews(Jurisdiction::England, &events, d(2026, 4, 20), 0).unwrap();
    check_review_duties(&events, d(2026, 4, 20), 0).unwrap();
}

/// Approval of the decision to stop looking after a child (CPPCR reg 39, from 1 Apr 2015, V:
/// reference s.2): for a child looked after for 20 working days or more, before the decision takes
/// effect (the library's reading: by the day the child ceases). "Looked after for 20 working
/// days" is counted as in s.4: 20 working days after the day the child became looked after (day
/// 0) have been reached by the day of ceasing. Each cessation's deadline.
fn oracle_cessation_approvals(events: &[Event]) -> Vec<Option<NaiveDate>> {
    periods(events)
        .iter()
        .filter_map(|p| p.ceased.filter(|c| *c >= d(2015, 4, 1) && *c >= working_days_after(p.start, 20)))
        .map(Some)
        .collect()
}

fn check_cessation_approvals(events: &[Event], as_at: NaiveDate) -> Result<(), TestCaseError> {
    let s = run(Jurisdiction::England, events, as_at, 0);
    let got: Vec<Option<NaiveDate>> =
        s.obligations.iter().filter(|o| o.duty == Duty::ApproveCessation).map(|o| o.latest).collect();
    prop_assert_eq!(got, oracle_cessation_approvals(events), "{:?}", events);
    Ok(())
}

/// By hand: looked after Mon 2 Mar 2026; 20 working days after it is Mon 30 Mar. Ceasing on Fri
/// 27 Mar needs no approval; ceasing on Mon 30 Mar needs it, by that day.
#[test]
fn cessation_approval_by_hand() {
    let la = ev(d(2026, 3, 2), EventKind::BecameLookedAfter);
    let events = vec![la.clone(), ev(d(2026, 3, 27), EventKind::CeasedToBeLookedAfter)];
    assert_eq!(oracle_cessation_approvals(&events), vec![]);
    check_cessation_approvals(&events, d(2026, 3, 27)).unwrap();
    let events = vec![la, ev(d(2026, 3, 30), EventKind::CeasedToBeLookedAfter)];
    assert_eq!(oracle_cessation_approvals(&events), vec![Some(d(2026, 3, 30))]);
    check_cessation_approvals(&events, d(2026, 3, 30)).unwrap();
    // Reg 39 applies from 1 Apr 2015 (by the day the child ceases): looked after Mon 2 Feb 2015,
    // ceasing Tue 31 Mar 2015 needs no approval, ceasing Wed 1 Apr 2015 does.
    let la = ev(d(2015, 2, 2), EventKind::BecameLookedAfter);
    let events = vec![la.clone(), ev(d(2015, 3, 31), EventKind::CeasedToBeLookedAfter)];
    assert_eq!(oracle_cessation_approvals(&events), vec![]);
    check_cessation_approvals(&events, d(2015, 3, 31)).unwrap();
    let events = vec![la, ev(d(2015, 4, 1), EventKind::CeasedToBeLookedAfter)];
    assert_eq!(oracle_cessation_approvals(&events), vec![Some(d(2015, 4, 1))]);
    check_cessation_approvals(&events, d(2015, 4, 1)).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// England: the record of decisions and the other duties around each review are the
    /// oracle's.
    #[test]
    fn england_post_review_duties_match_the_oracle((start, plans, as_at, horizon) in plan(Jurisdiction::England)) {
        let j = Jurisdiction::England;
        let events = build(j, start, &plans);
        let as_at = as_at_of(j, &events, as_at);
        check_review_duties(&events, as_at, horizon)?;
        check_cessation_approvals(&events, as_at)?;
    }
}

/// A review planned inside the horizon is shown with the duties before it (a defect orc9's oracle
/// found, fixed in session 9: the review was dropped by its legal deadline and the duty before it
/// kept).
///
/// Looked after Mon 2 Mar 2026; review 1 held Fri 27 Mar 2026 (due Mon 30 Mar). As at Fri 24 Apr
/// 2026 with a horizon of 8 months (to Thu 24 Dec 2026): review 2 is due Sat 27 Jun 2026
/// (3 months), assumed held on its last working day, Fri 26 Jun; review 3 is then due Sat 26 Dec
/// 2026 (6 months), planned for Thu 24 Dec (Fri 25 Dec is Christmas Day): inside the horizon, so
/// it is shown, with the IRO's talk with the child "before review 3" (`iro_speak_to_child`, CPPCR
/// reg 36(1)(b), on the review's planned day, Thu 24 Dec 2026). Its decisions (Tue 5 Jan 2027)
/// are past the horizon.
#[test]
fn a_review_planned_inside_the_horizon_is_shown_with_the_duty_before_it() {
    let events = vec![ev(d(2026, 3, 2), EventKind::BecameLookedAfter), held(d(2026, 3, 27))];
    let s = run(Jurisdiction::England, &events, d(2026, 4, 24), 8);
    let reviews = engine_reviews(&s);
    assert_eq!(
        reviews.iter().map(|r| (r.0, r.1, r.2)).collect::<Vec<_>>(),
        vec![
            (1, d(2026, 3, 30), d(2026, 3, 30)),
            (2, d(2026, 6, 27), d(2026, 6, 26)),
            (3, d(2026, 12, 26), d(2026, 12, 24))
        ]
    );
    let of_review_3: Vec<_> = engine_review_duties(&s).into_iter().filter(|r| r.1 == 3).collect();
    assert_eq!(of_review_3, vec![(Duty::IroSpeakToChild, 3, Some(d(2026, 12, 24)), None, true)]);
    check_reviews(Jurisdiction::England, &events, d(2026, 4, 24), 8).unwrap();
    check_review_duties(&events, d(2026, 4, 24), 8).unwrap();
}

// ---------------------------------------------------------------------------------------------
// The audit of the same histories (England): each review held and the next one due, and the
// written decisions of each review held (matched to `duty_done issue_decisions` with its review
// number), as met, late, overdue or pending, with the days counted as the README's "Audit"
// section defines them (working days after the first date up to and including the second).

/// An audit outcome: kind and its two numbers (working days, calendar days).
type Outcome = (&'static str, i64, i64);

fn outcome(due: NaiveDate, done: Option<NaiveDate>, as_at: NaiveDate) -> Outcome {
    let days = |a: NaiveDate, b: NaiveDate| (working_days_late(a, b), (b - a).num_days());
    match done {
        Some(x) if x <= due => ("met", days(x, due).0, days(x, due).1),
        Some(x) => ("late", days(due, x).0, days(due, x).1),
        None if due < as_at => ("overdue", days(due, as_at).0, days(due, as_at).1),
        None => ("pending", days(as_at, due).0, days(as_at, due).1),
    }
}

/// The oracle's audit rows: (duty, review number, deadline) and the outcome. Reviews missed
/// before a cessation are left out (what an audit says of them is not modelled).
fn oracle_audit(events: &[Event], as_at: NaiveDate) -> Vec<((Duty, u32, NaiveDate), Outcome)> {
    let ps = periods(events);
    let mut out = Vec::new();
    for ((k, due, _, held, _, projected), day, assumed) in oracle_reviews(Jurisdiction::England, events, as_at, 0) {
        let period = period_index(events, day);
        if projected || (held.is_none() && ps[period].ceased.is_some()) {
            continue;
        }
        out.push(((Duty::HoldReview, k, due), outcome(due, held, as_at)));
        if !assumed && day >= d(2011, 4, 1) {
            let mut n = 0;
            let recorded = events.iter().find(|e| {
                n += matches!(e.kind, EventKind::BecameLookedAfter) as usize;
                n == period + 1 && e.kind == EventKind::DutyDone { duty: Duty::IssueDecisions, review_number: Some(k) }
            });
            let completed = ps[period].held[k as usize - 1].1;
            let due = working_days_after(completed, 5);
            out.push(((Duty::IssueDecisions, k, due), outcome(due, recorded.map(|e| e.date), as_at)));
        }
    }
    out.sort();
    out
}

fn check_audit(events: &[Event], as_at: NaiveDate) -> Result<(), TestCaseError> {
    use lac_timescales::audit::{audit, AuditOptions, Status as A};
    let case = CaseHistory::new(Jurisdiction::England, Child::default(), events.to_vec()).unwrap();
    let a = audit(
        &case,
        &Profile::builtin("england").unwrap(),
        &Calendar::england_and_wales(),
        &AuditOptions::as_at(as_at),
    )
    .unwrap();
    let engine: std::collections::BTreeMap<(Duty, u32, NaiveDate), Outcome> = a
        .obligations
        .iter()
        .filter(|o| o.obligation.regime == Some(Regime::LookedAfter) && !o.obligation.early)
        .filter(|o| matches!(o.obligation.duty, Duty::HoldReview | Duty::IssueDecisions))
        .filter_map(|o| {
            let key = (o.obligation.duty, o.obligation.review_number?, o.obligation.latest?);
            let v = match &o.status {
                A::Met { margin_working_days: w, margin_calendar_days: c, .. } => ("met", *w, *c),
                A::Late { late_working_days: w, late_calendar_days: c, .. } => ("late", *w, *c),
                A::Overdue { overdue_working_days: w, overdue_calendar_days: c } => ("overdue", *w, *c),
                A::Pending { working_days_left: w, calendar_days_left: c } => ("pending", *w, *c),
                A::NotApplicable { .. } => ("not_applicable", 0, 0),
            };
            Some((key, v))
        })
        .collect();
    for (key, want) in oracle_audit(events, as_at) {
        prop_assert_eq!(engine.get(&key), Some(&want), "{:?} as at {}: {:?}", key, as_at, events);
    }
    Ok(())
}

/// The oracle's audit by hand: looked after Mon 2 Mar 2026, review 1 held Fri 27 Mar (due Mon 30
/// Mar: met with 1 working day, 3 calendar days to spare); decisions recorded Wed 8 Apr (due Tue
/// 7 Apr: late by 1 working day, 1 calendar day); as at Mon 29 Jun 2026, review 2 (due Sat 27
/// Jun) is overdue by 1 working day (Mon 29 Jun), 2 calendar days.
#[test]
fn audit_by_hand() {
    let events = vec![
        ev(d(2026, 3, 2), EventKind::BecameLookedAfter),
        held(d(2026, 3, 27)),
        ev(d(2026, 4, 8), EventKind::DutyDone { duty: Duty::IssueDecisions, review_number: Some(1) }),
    ];
    let as_at = d(2026, 6, 29);
    assert_eq!(
        oracle_audit(&events, as_at),
        vec![
            ((Duty::HoldReview, 1, d(2026, 3, 30)), ("met", 1, 3)),
            ((Duty::HoldReview, 2, d(2026, 6, 27)), ("overdue", 1, 2)),
            ((Duty::IssueDecisions, 1, d(2026, 4, 7)), ("late", 1, 1)),
        ]
    );
    check_audit(&events, as_at).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// England: the audit's outcome for each review and each review's written decisions is the
    /// oracle's.
    #[test]
    fn england_audit_matches_the_oracle((start, plans, as_at, _horizon) in plan(Jurisdiction::England)) {
        let j = Jurisdiction::England;
        let events = build(j, start, &plans);
        let as_at = as_at_of(j, &events, as_at);
        check_audit(&events, as_at)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Two clocks at once: authority to place for adoption while looked after (reference s.2: "while
// authorised to place but not placed, looked-after reviews continue and one meeting can satisfy
// both clocks (CPPCR reg 32(3))"). Adoption Agencies Regulations 2005 reg 36(1) (V): the first
// review not more than 3 months after authority to place is first held, then not more than 6
// months after the previous review. Each review held satisfies both clocks. A running clock's
// next review is shown; the projection assumes the clocks reviewed together, at one meeting on
// the earliest of their last working days (README "Clocks": one meeting satisfies every running
// clock), each counting its next review from that meeting; a projected review is shown when the
// meeting it is held at is within the horizon (even if its own day to plan for is after it), and
// the projection stops once the meeting itself is past it.

/// Every review of both clocks: regime and review. The authority (if any) is in the last period
/// of care, which has not ended.
fn oracle_two_clocks(events: &[Event], as_at: NaiveDate, horizon: u32) -> Vec<(Regime, Rev)> {
    let h_end = horizon_end(as_at, horizon);
    let authority = events.iter().find(|e| e.kind == EventKind::AuthorityToPlace).map(|e| e.date);
    let mut out = Vec::new();
    let ps = periods(events);
    for (i, p) in ps.iter().enumerate() {
        let last = i + 1 == ps.len();
        // Each clock: regime, reviews held (meeting days), first deadline, rule for the next.
        type Next = fn(u32, NaiveDate) -> NaiveDate;
        let mut clocks: Vec<(Regime, Vec<NaiveDate>, NaiveDate, Next)> = vec![(
            Regime::LookedAfter,
            p.held.iter().map(|h| h.0).collect(),
            first_review_due(Jurisdiction::England, p.start),
            next_review_due,
        )];
        if let (true, Some(a)) = (last, authority) {
            let held = p.held.iter().map(|h| h.0).filter(|h| *h > a).collect();
            clocks.push((Regime::AdoptionAuthorised, held, months_after(a, 3), |_, h| months_after(h, 6)));
        }
        // Recorded reviews, and each clock's next (number, deadline).
        let mut next: Vec<(Regime, u32, NaiveDate, Next)> = Vec::new();
        for (regime, held, first, rule) in clocks {
            let mut due = first;
            let mut k = 1;
            for h in held {
                out.push((regime, (k, due, last_working_day_on_or_before(due), Some(h), late(due, h), false)));
                due = rule(k, h);
                k += 1;
            }
            next.push((regime, k, due, rule));
        }
        match p.ceased {
            Some(c) => {
                for (regime, k, due, _) in next {
                    if due < c {
                        out.push((regime, (k, due, last_working_day_on_or_before(due), None, Status::Missed, false)));
                    }
                }
            }
            None => {
                for &(regime, k, due, _) in &next {
                    let st = if due < as_at { Status::Missed } else { Status::Fine };
                    out.push((regime, (k, due, last_working_day_on_or_before(due), None, st, false)));
                }
                let Some(h_end) = h_end else { continue };
                let mut meeting = next.iter().map(|n| last_working_day_on_or_before(n.2)).min().unwrap();
                loop {
                    for n in next.iter_mut() {
                        n.2 = (n.3)(n.1, meeting);
                        n.1 += 1;
                    }
                    meeting = next.iter().map(|n| last_working_day_on_or_before(n.2)).min().unwrap();
                    if meeting > h_end {
                        break;
                    }
                    // Every review held at a meeting inside the horizon is shown, even one whose
                    // own day to plan for is after it (the meeting brought it forward).
                    for &(regime, k, due, _) in &next {
                        out.push((regime, (k, due, last_working_day_on_or_before(due), None, Status::Fine, true)));
                    }
                }
            }
        }
    }
    out.sort();
    out
}

fn engine_two_clocks(s: &Schedule) -> Vec<(Regime, Rev)> {
    let mut v: Vec<(Regime, Rev)> = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::HoldReview && !o.early)
        .map(|o| {
            let st = match o.breach {
                None => Status::Fine,
                Some(Breach::LateReview { working_days_late, calendar_days_late, .. }) => {
                    Status::Late(working_days_late, calendar_days_late)
                }
                Some(Breach::NotHeld { .. }) => Status::Missed,
                Some(ref b) => panic!("unexpected breach {b:?} on {o:?}"),
            };
            (
                o.regime.unwrap(),
                (o.review_number.unwrap(), o.latest.unwrap(), o.latest_working_day.unwrap(), o.done, st, o.projected),
            )
        })
        .collect();
    v.sort();
    v
}

/// Adds authority to place `off` days into the last period of care (when it has not ended and
/// the Adoption Agencies Regulations 2005 are in force), on a day with no other event.
fn with_authority(mut events: Vec<Event>, off: u64) -> Vec<Event> {
    let p = periods(&events).pop().unwrap();
    if p.ceased.is_some() {
        return events;
    }
    let mut a = p.start + Days::new(off);
    while events.iter().any(|e| e.date == a) {
        a = a + Days::new(1);
    }
    if a < d(2005, 12, 30) {
        return events;
    }
    // The known defect of `a_joint_meeting_before_the_authority_counts_for_adoption` (below): when
    // the looked-after clock's next review was due (its last working day) before the authority,
    // the projection counts the adoption clock from a meeting before it existed. Such histories
    // are left out here; the ignored test keeps the defect in view.
    let la_next = oracle_reviews(Jurisdiction::England, &events, events.last().unwrap().date, 0).last().map(|r| r.0 .2);
    if la_next.is_some_and(|n| n < a) {
        return events;
    }
    events.push(Event::new(a, EventKind::AuthorityToPlace));
    events.sort_by_key(|e| e.date);
    events
}

fn check_two_clocks(events: &[Event], as_at: NaiveDate, horizon: u32) -> Result<(), TestCaseError> {
    let s = run(Jurisdiction::England, events, as_at, horizon);
    prop_assert_eq!(
        engine_two_clocks(&s),
        oracle_two_clocks(events, as_at, horizon),
        "as at {} horizon {}: {:?}",
        as_at,
        horizon,
        events
    );
    Ok(())
}

/// By hand: looked after Mon 2 Mar 2026; review 1 held Fri 27 Mar; authority to place Sun 10 May;
/// reviews held Sat 20 Jun and Tue 1 Sep. Looked-after: review 1 due Mon 30 Mar, review 2 due
/// Sat 27 Jun (held 20 Jun), review 3 due 6 months after 20 Jun, Sun 20 Dec 2026 (held 1 Sep),
/// review 4 due Mon 1 Mar 2027. Adoption: review 1 due Mon 10 Aug (held 20
/// Jun), review 2 due Sun 20 Dec (held 1 Sep), review 3 due Mon 1 Mar 2027. As at 1 Dec 2026 with
/// a horizon of 12 months (to 1 Dec 2027): the next meeting is assumed on Mon 1 Mar 2027 for both;
/// then both are due Wed 1 Sep 2027 (6 months), shown; the meeting after, Wed 1 Mar 2028, is past
/// the horizon.
#[test]
fn two_clocks_by_hand() {
    let events = vec![
        ev(d(2026, 3, 2), EventKind::BecameLookedAfter),
        held(d(2026, 3, 27)),
        ev(d(2026, 5, 10), EventKind::AuthorityToPlace),
        held(d(2026, 6, 20)),
        held(d(2026, 9, 1)),
    ];
    let (la, ad) = (Regime::LookedAfter, Regime::AdoptionAuthorised);
    let mut want = vec![
        (la, (1, d(2026, 3, 30), d(2026, 3, 30), Some(d(2026, 3, 27)), Status::Fine, false)),
        (la, (2, d(2026, 6, 27), d(2026, 6, 26), Some(d(2026, 6, 20)), Status::Fine, false)),
        (la, (3, d(2026, 12, 20), d(2026, 12, 18), Some(d(2026, 9, 1)), Status::Fine, false)),
        (la, (4, d(2027, 3, 1), d(2027, 3, 1), None, Status::Fine, false)),
        (la, (5, d(2027, 9, 1), d(2027, 9, 1), None, Status::Fine, true)),
        (ad, (1, d(2026, 8, 10), d(2026, 8, 10), Some(d(2026, 6, 20)), Status::Fine, false)),
        (ad, (2, d(2026, 12, 20), d(2026, 12, 18), Some(d(2026, 9, 1)), Status::Fine, false)),
        (ad, (3, d(2027, 3, 1), d(2027, 3, 1), None, Status::Fine, false)),
        (ad, (4, d(2027, 9, 1), d(2027, 9, 1), None, Status::Fine, true)),
    ];
    want.sort();
    assert_eq!(oracle_two_clocks(&events, d(2026, 12, 1), 12), want);
    check_two_clocks(&events, d(2026, 12, 1), 12).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// England with authority to place (about half the histories): both clocks' reviews are
    /// the oracle's, projected together.
    #[test]
    fn two_clocks_match_the_oracle((start, plans, as_at, horizon) in plan(Jurisdiction::England), off in prop::option::of(0u64..400)) {
        let j = Jurisdiction::England;
        let events = build(j, start, &plans);
        let events = match off {
            Some(off) => with_authority(events, off),
            None => events,
        };
        let as_at = as_at_of(j, &events, as_at);
        check_two_clocks(&events, as_at, horizon)?;
    }
}

/// The projection no longer counts the adoption clock from a meeting assumed before authority to
/// place existed (a defect orc9's oracle found, fixed in session 9: a clock joins a projected
/// meeting only when it counts from that day or before; before 30 Dec 2005 the whole schedule was
/// refused). What follows is the defect as found; after it, what is expected, worked by hand.
///
/// Looked after Mon 1 Jan 2024, no review held; authority to place Mon 12 Jan 2026; as at 12 Jan
/// 2026 with a horizon of 12 months. The looked-after review 1 was due Mon 29 Jan 2024 (overdue).
/// The adoption clock starts on 12 Jan 2026: its review 1 is due Sun 12 Apr 2026 (AAR 2005 reg
/// 36(1), V: "not more than three months after authority to place is first held"). The engine
/// projects both clocks as one meeting on the earliest last working day, Mon 29 Jan 2024, and
/// counts the adoption clock's review 2 from it: adoption reviews 2-5 due 29 Jul 2024, 29 Oct
/// 2024, 29 Apr 2025 and 29 Oct 2025, all before the authority existed and before its own first
/// review. Expected: no adoption review before the authority; each adoption review due after the
/// one before it. Got: adoption_authorised review 2 due 2024-07-29 (projected). The same history
/// moved to 2005 (looked after Wed 31 Aug 2005, authority Fri 26 May 2006, as at that day, horizon
/// 12) is refused outright: "no statutory rule for adoption_authorised review 2 is encoded for
/// that date" (the assumed meeting, 28 Sep 2005, is before the Adoption Agencies Regulations 2005
/// came into force), though the history is valid and the adoption clock starts in 2006.
///
/// By hand, now: the looked-after clock is projected alone from Mon 29 Jan 2024 (reviews due 29
/// Apr 2024, 29 Oct 2024, 29 Apr 2025, 29 Oct 2025, then Wed 29 Apr 2026); the adoption review 1,
/// due Sun 12 Apr 2026, planned for Fri 10 Apr (Good Friday and Easter Monday were 3 and 6 Apr),
/// is the earlier, so both clocks meet on Fri 10 Apr 2026. Adoption review 2 (six months, as the
/// looked-after review 7): Sat 10 Oct 2026, planned for Fri 9 Oct; then Fri 9 Apr 2027, past the
/// horizon (Tue 12 Jan 2027).
#[test]
fn a_joint_meeting_before_the_authority_counts_for_adoption() {
    let events = vec![ev(d(2024, 1, 1), EventKind::BecameLookedAfter), ev(d(2026, 1, 12), EventKind::AuthorityToPlace)];
    let s = run(Jurisdiction::England, &events, d(2026, 1, 12), 12);
    let mut adoption: Vec<(u32, NaiveDate)> = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::HoldReview && o.regime == Some(Regime::AdoptionAuthorised))
        .map(|o| (o.review_number.unwrap(), o.latest.unwrap()))
        .collect();
    adoption.sort();
    assert_eq!(adoption, vec![(1, d(2026, 4, 12)), (2, d(2026, 10, 10))]);
    let events =
        vec![ev(d(2005, 8, 31), EventKind::BecameLookedAfter), ev(d(2006, 5, 26), EventKind::AuthorityToPlace)];
    let case = CaseHistory::new(Jurisdiction::England, Child::default(), events).unwrap();
    let opts = ScheduleOptions { as_at: Some(d(2006, 5, 26)), horizon_months: Some(12), ..Default::default() };
    let got = schedule(&case, &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), &opts);
    assert!(got.is_ok(), "{:?}", got.err());
}

// ---------------------------------------------------------------------------------------------
// A local profile beside statute: Dudley (local-procedures.md, seed 002): the second review "no
// more than three months (90 days)" after the first, later ones "no more than six months (180
// days)": both encoded, "the earlier deadline binds". A late review breaches statute when held
// after statute's deadline, else only the local standard (README "Whose breach"). Dudley's
// standards apply from 8 Aug 2022, the one date the seed gives (docs/fidelity.md): a review
// counted from a review held before that day is statute's alone (the rule in force on the date of
// the previous review, as everywhere).

/// Dudley's binding deadline of review k + 1 after review k held on `h`.
fn dudley_next_review_due(k: u32, h: NaiveDate) -> NaiveDate {
    if h < d(2022, 8, 8) {
        return next_review_due(k, h);
    }
    next_review_due(k, h).min(days_after(h, if k == 1 { 90 } else { 180 }))
}

/// Each review of the looked-after clock whose deadline was missed: number, deadline, and whose
/// standard the miss breaches ("statutory" or "local:dudley").
fn dudley_bases(events: &[Event], as_at: NaiveDate) -> Vec<(u32, NaiveDate, &'static str)> {
    let mut out = Vec::new();
    for p in periods(events) {
        let mut k = 1;
        let mut statute = first_review_due(Jurisdiction::England, p.start);
        let mut binding = statute;
        for &(h, _) in &p.held {
            if h > binding {
                out.push((k, binding, if h > statute { "statutory" } else { "local:dudley" }));
            }
            statute = next_review_due(k, h);
            binding = dudley_next_review_due(k, h);
            k += 1;
        }
        let stop = p.ceased.unwrap_or(as_at);
        if binding < stop {
            out.push((k, binding, if statute < stop { "statutory" } else { "local:dudley" }));
        }
    }
    out.sort();
    out
}

fn check_dudley(events: &[Event], as_at: NaiveDate, horizon: u32) -> Result<(), TestCaseError> {
    let cal = Calendar::england_and_wales();
    let case = CaseHistory::new(Jurisdiction::England, Child::default(), events.to_vec()).unwrap();
    let opts = ScheduleOptions { as_at: Some(as_at), horizon_months: Some(horizon), ..Default::default() };
    let s = schedule(&case, &Profile::builtin("dudley").unwrap(), &cal, &opts).unwrap();
    let mut want: Vec<Rev> = oracle_reviews_with(Jurisdiction::England, events, as_at, horizon, dudley_next_review_due)
        .into_iter()
        .map(|r| r.0)
        .collect();
    want.sort();
    prop_assert_eq!(&engine_reviews(&s), &want, "as at {} horizon {}: {:?}", as_at, horizon, events);
    let mut bases: Vec<(u32, NaiveDate, &'static str)> = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::HoldReview && o.regime == Some(Regime::LookedAfter) && !o.early)
        .filter_map(|o| {
            let basis = match o.breach.as_ref()?.basis() {
                lac_timescales::profile::Basis::Statutory => "statutory",
                lac_timescales::profile::Basis::Local(id) if &**id == "dudley" => "local:dudley",
                other => panic!("{other:?}"),
            };
            Some((o.review_number.unwrap(), o.latest.unwrap(), basis))
        })
        .collect();
    bases.sort();
    let want = dudley_bases(events, as_at);
    prop_assert_eq!(bases, want, "as at {}: {:?}", as_at, events);
    Ok(())
}

/// By hand: looked after Mon 5 Jan 2026; review 1 held Thu 29 Jan (due Mon 2 Feb). Review 2:
/// statute 3 months, Wed 29 Apr; Dudley 90 days, also Wed 29 Apr (2 days of January left, 28 of
/// February, 31 of March, 29 of April: 90): a tie.
/// Held Fri 1 May: late, breaching statute. Review 3: statute 6 months, Sun 1 Nov; Dudley 180
/// days, Wed 28 Oct (30 of May, 30 of June, 31 of July, 31 of August, 30 of September, 28 of
/// October: 180). Held Fri 30 Oct: late against Dudley only.
#[test]
fn dudley_by_hand() {
    assert_eq!(dudley_next_review_due(1, d(2026, 1, 29)), d(2026, 4, 29));
    assert_eq!(dudley_next_review_due(2, d(2026, 5, 1)), d(2026, 10, 28));
    // 31 Jan + 3 months = 30 Apr (89 days): statute binds.
    assert_eq!(dudley_next_review_due(1, d(2026, 1, 31)), d(2026, 4, 30));
    // Before Dudley's standards (8 Aug 2022) statute alone: Fri 5 Aug 2022 + 3 months = Sat 5 Nov
    // (90 days would be Thu 3 Nov); from Mon 8 Aug 2022, 90 days: Sun 6 Nov (3 months: Tue 8 Nov).
    assert_eq!(dudley_next_review_due(1, d(2022, 8, 5)), d(2022, 11, 5));
    assert_eq!(dudley_next_review_due(1, d(2022, 8, 8)), d(2022, 11, 6));
    let events = vec![
        ev(d(2026, 1, 5), EventKind::BecameLookedAfter),
        held(d(2026, 1, 29)),
        held(d(2026, 5, 1)),
        held(d(2026, 10, 30)),
    ];
    assert_eq!(
        dudley_bases(&events, d(2026, 10, 30)),
        vec![(2, d(2026, 4, 29), "statutory"), (3, d(2026, 10, 28), "local:dudley")]
    );
    check_dudley(&events, d(2026, 10, 30), 0).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Dudley beside statute: the binding deadline of every review is the earlier one, and each
    /// miss breaches the standard it breaches.
    #[test]
    fn dudley_review_clock_matches_the_oracle((start, plans, as_at, horizon) in plan(Jurisdiction::England)) {
        let j = Jurisdiction::England;
        let plans: Vec<PeriodPlan> = plans.into_iter().map(|mut p| { p.reviews.iter_mut().for_each(|r| r.2 = None); p }).collect();
        let events = build_with(j, start, &plans, dudley_next_review_due);
        let as_at = as_at_of(j, &events, as_at);
        check_dudley(&events, as_at, horizon)?;
    }
}

/// A review missed because the child ceased to be looked after the day after statute's deadline
/// breaches statute (a defect orc9's oracle found, fixed in session 9: it breached only the local
/// standard, because the review clock judged whose standard on the day before the cessation).
///
/// Dudley profile (in force from 8 Aug 2022). Looked after Sat 1 Jul 2023; review 1 held Fri 28
/// Jul 2023 (20 working days: 3-7 Jul (5), 10-14 (10), 17-21 (15), 24-28 (20): on its deadline);
/// review 2 due within 90 days (Dudley: 3 days left of July, 31 of August, 30 of September, 26 of
/// October), Thu 26 Oct, and within 3 months (statute), Sat 28 Oct 2023. Not held; the child
/// ceased to be looked after on Sun 29 Oct. The review was missed (its binding deadline, 26 Oct,
/// fell before the cessation), and statute's deadline, 28 Oct, also fell before it: the child was
/// looked after all of 28 Oct and no review was held by then (README "Whose breach": `statutory`
/// when statute's deadline was missed): `not_held` with basis `statutory`.
#[test]
fn a_miss_at_cessation_the_day_after_statute_s_deadline_breaches_statute() {
    let events = vec![
        ev(d(2023, 7, 1), EventKind::BecameLookedAfter),
        held(d(2023, 7, 28)),
        ev(d(2023, 10, 29), EventKind::CeasedToBeLookedAfter),
    ];
    let case = CaseHistory::new(Jurisdiction::England, Child::default(), events).unwrap();
    let s = schedule(
        &case,
        &Profile::builtin("dudley").unwrap(),
        &Calendar::england_and_wales(),
        &ScheduleOptions::default(),
    )
    .unwrap();
    let second = s.obligations.iter().find(|o| o.duty == Duty::HoldReview && o.review_number == Some(2)).unwrap();
    assert_eq!(second.latest, Some(d(2023, 10, 26)));
    assert!(matches!(second.breach, Some(Breach::NotHeld { .. })), "{:?}", second.breach);
    assert_eq!(second.breach.as_ref().unwrap().basis(), &lac_timescales::profile::Basis::Statutory);
}

// ---------------------------------------------------------------------------------------------
// "At least N working days before R" (reference s.4), through a local profile whose duties count
// back from each review: the SARS checklist (local-procedures.md, seed 000), with R the review's
// meeting (held, or assumed on the last working day of its deadline, shown as the projected
// reviews are):
// - the IRO discusses with the child who to invite and where: at least 20 working days before R
//   (the profile applies it from the second review: 20 working days before a first review falls
//   before care, its note says);
// - the IRO speaks to the social worker: at least 15 working days before R;
// - consultation documents sent: at least 10 working days before R;
// - the social worker's report to the IRO: at least 3 working days before R.
// A deadline before the child became looked after cannot apply (no deadline). The team manager's
// "at least 5 days before" is the ignored test below (a reading).

const SARS_BEFORE: [(Duty, u32); 4] = [
    (Duty::ConsultChildOnArrangements, 20),
    (Duty::IroConsultSocialWorker, 15),
    (Duty::SendConsultationDocuments, 10),
    (Duty::SubmitSocialWorkReport, 3),
];

fn oracle_sars_before(events: &[Event], as_at: NaiveDate, horizon: u32) -> Vec<DutyRow> {
    let h_end = horizon_end(as_at, horizon);
    let mut out = Vec::new();
    for ((k, _, _, _, status, _), day, assumed) in oracle_reviews(Jurisdiction::England, events, as_at, horizon) {
        let period = period_index(events, day);
        if status == Status::Missed && periods(events)[period].ceased.is_some() {
            continue;
        }
        for (duty, n) in SARS_BEFORE {
            if duty == Duty::ConsultChildOnArrangements && k == 1 {
                continue;
            }
            let latest = working_days_before(day, n);
            if assumed && h_end.is_some_and(|h| latest > h) {
                continue;
            }
            let latest = Some(latest).filter(|l| *l >= periods(events)[period].start);
            out.push((duty, k, latest, None, assumed));
        }
    }
    out.sort();
    out
}

fn check_sars_before(events: &[Event], as_at: NaiveDate, horizon: u32) -> Result<(), TestCaseError> {
    let cal = Calendar::england_and_wales();
    let case = CaseHistory::new(Jurisdiction::England, Child::default(), events.to_vec()).unwrap();
    let opts = ScheduleOptions { as_at: Some(as_at), horizon_months: Some(horizon), ..Default::default() };
    let s = schedule(&case, &Profile::builtin("sars-checklist").unwrap(), &cal, &opts).unwrap();
    let last_review = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::HoldReview && o.regime == Some(Regime::LookedAfter) && o.done.is_none())
        .filter_map(|o| o.review_number)
        .max()
        .unwrap_or(0);
    let mut got: Vec<DutyRow> = s
        .obligations
        .iter()
        .filter(|o| SARS_BEFORE.iter().any(|(duty, _)| *duty == o.duty))
        .map(|o| (o.duty, o.review_number.unwrap(), o.latest, o.done, o.projected))
        // The known defect of `a_duty_before_a_review_past_the_horizon_is_shown_without_it`.
        .filter(|r| !(r.4 && r.1 > last_review))
        .collect();
    got.sort();
    prop_assert_eq!(
        got,
        oracle_sars_before(events, as_at, horizon),
        "as at {} horizon {}: {:?}",
        as_at,
        horizon,
        events
    );
    Ok(())
}

/// By hand: looked after Mon 2 Mar 2026, review 1 held Fri 27 Mar, review 2 held Tue 16 Jun
/// 2026. Before review 2 (R = Tue 16 Jun): 3 working days: 15, 12, 11 Jun: Thu 11 Jun; 10: 10-8,
/// 5-2 Jun: Tue 2 Jun; 15: 1 Jun, 29-26 May (Mon 25 May is the spring bank holiday): Tue 26 May;
/// 20: 22-18 May: Mon 18 May. Before review 1 (R = Fri 27 Mar): 3: Tue 24 Mar; 10: Fri 13 Mar;
/// 15: Fri 6 Mar (20: before care, and not a rule for a first review).
#[test]
fn sars_before_by_hand() {
    assert_eq!(working_days_before(d(2026, 6, 16), 3), d(2026, 6, 11));
    let events = vec![ev(d(2026, 3, 2), EventKind::BecameLookedAfter), held(d(2026, 3, 27)), held(d(2026, 6, 16))];
    let got: Vec<_> = oracle_sars_before(&events, d(2026, 6, 16), 0).into_iter().filter(|r| !r.4).collect();
    let mut want = vec![
        (Duty::IroConsultSocialWorker, 1, Some(d(2026, 3, 6)), None, false),
        (Duty::SendConsultationDocuments, 1, Some(d(2026, 3, 13)), None, false),
        (Duty::SubmitSocialWorkReport, 1, Some(d(2026, 3, 24)), None, false),
        (Duty::ConsultChildOnArrangements, 2, Some(d(2026, 5, 18)), None, false),
        (Duty::IroConsultSocialWorker, 2, Some(d(2026, 5, 26)), None, false),
        (Duty::SendConsultationDocuments, 2, Some(d(2026, 6, 2)), None, false),
        (Duty::SubmitSocialWorkReport, 2, Some(d(2026, 6, 11)), None, false),
    ];
    want.sort();
    assert_eq!(got, want);
    check_sars_before(&events, d(2026, 6, 16), 0).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The SARS checklist's duties before each review are the oracle's "at least N working days
    /// before".
    #[test]
    fn sars_before_duties_match_the_oracle((start, plans, as_at, horizon) in plan(Jurisdiction::England)) {
        let j = Jurisdiction::England;
        let events = build(j, start, &plans);
        let as_at = as_at_of(j, &events, as_at);
        check_sars_before(&events, as_at, horizon)?;
    }
}

/// A reading: the team manager quality-assures the social work report "at least 5 days before
/// the review" (seed 000; local-procedures.md: "at least 5 days before R"). The reference's rule
/// for the seeds (local-procedures.md, head): "Where a seed says 'days' without 'working', encode
/// calendar days and note the ambiguity in the rule's citation note". The profile reads it as 5
/// working days instead, with a note giving its reason (in calendar days it would fall after the
/// report's own deadline around bank holidays). Review on Tue 7 Apr 2026: expected (the
/// reference's rule) Thu 2 Apr 2026; got Fri 27 Mar 2026 (5 working days: 2, 1 Apr, 31, 30, 27
/// Mar; Good Friday and Easter Monday skipped). Which reading is right is for the lead: the
/// profile's reason is sound, but it departs from the reference's stated rule.
#[test]
#[ignore = "reading: sars-checklist's '5 days' before the review is encoded as working days; the reference says calendar days"]
fn sars_quality_assurance_in_calendar_days() {
    let events = vec![ev(d(2026, 3, 2), EventKind::BecameLookedAfter), held(d(2026, 3, 27)), held(d(2026, 4, 7))];
    let case = CaseHistory::new(Jurisdiction::England, Child::default(), events).unwrap();
    let s = schedule(
        &case,
        &Profile::builtin("sars-checklist").unwrap(),
        &Calendar::england_and_wales(),
        &ScheduleOptions::default(),
    )
    .unwrap();
    let qa = s.obligations.iter().find(|o| o.duty == Duty::QualityAssureReport && o.review_number == Some(2)).unwrap();
    assert_eq!(qa.latest, Some(d(2026, 4, 2)));
}
