//! Reviews and social worker visits are two uses of one mechanism for a repeating duty
//! (`engine/repeat.rs`, ARCHITECTURE.md "One mechanism for a repeating duty"). Each test works the
//! same behaviour out by hand for both clocks, side by side (England, 2026 bank holidays: Good
//! Friday 3 April, early May bank holiday Monday 4 May), so that a change to one family's
//! behaviour that the other does not share fails here:
//!
//! - occurrence n + 1 counts from the date occurrence n was actually done, not from its deadline;
//! - a late occurrence is a breach counted in working and calendar days;
//! - a projected occurrence is assumed done on its last working day, and the next counts from
//!   that day;
//! - the next occurrence is always shown (horizon 0: that one only), later ones up to the horizon;
//! - not done as at the as-at date: overdue;
//! - a clock that stopped owes one more occurrence only if its deadline fell before it stopped.

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, Jurisdiction, Regime};
use lac_timescales::profile::{Basis, Profile};
use lac_timescales::schedule::{schedule, Breach, Obligation, Schedule, ScheduleOptions};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn run(events: &str, as_at: Option<&str>, horizon: u32) -> Schedule {
    let v: Vec<serde_json::Value> = serde_json::from_str(events).unwrap();
    let evs = v.iter().enumerate().map(|(i, e)| Event::from_json(i, e)).collect::<Result<Vec<_>, _>>().unwrap();
    let c = CaseHistory::new(Jurisdiction::England, Child::default(), evs).unwrap();
    let opts = ScheduleOptions { as_at: as_at.map(d), horizon_months: Some(horizon), local_calendar: None };
    schedule(&c, &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), &opts).unwrap()
}

/// The looked-after reviews, in order.
fn reviews(s: &Schedule) -> Vec<&Obligation> {
    s.obligations
        .iter()
        .filter(|o| o.duty == Duty::HoldReview && o.regime == Some(Regime::LookedAfter) && !o.early)
        .collect()
}

/// The social worker visits, in order.
fn visits(s: &Schedule) -> Vec<&Obligation> {
    s.obligations.iter().filter(|o| o.duty == Duty::VisitChild).collect()
}

/// (number, latest, latest working day, done, projected) of each occurrence.
type Row = (Option<u32>, Option<NaiveDate>, Option<NaiveDate>, Option<NaiveDate>, bool);

fn rows(list: &[&Obligation]) -> Vec<Row> {
    list.iter().map(|o| (o.review_number, o.latest, o.latest_working_day, o.done, o.projected)).collect()
}

const REVIEWS: &str = r#"[{"event":"became_looked_after","date":"2026-01-05"},
    {"event":"review_held","date":"2026-02-04"}]"#;

const VISITS: &str = r#"[{"event":"became_looked_after","date":"2026-01-05"},
    {"event":"placement_started","date":"2026-01-05"},
    {"event":"social_worker_visit","date":"2026-01-14"},
    {"event":"social_worker_visit","date":"2026-02-20"}]"#;

#[test]
fn each_occurrence_counts_from_when_the_previous_was_done_and_lateness_is_a_breach() {
    // Reviews: the first within 20 working days of Mon 5 Jan 2026 = Mon 2 Feb (6-9 Jan: 4,
    // 12-16: 9, 19-23: 14, 26-30: 19, 2 Feb: 20); held Wed 4 Feb, 2 working (2 calendar) days
    // late. The second counts from 4 Feb, the day it was held (not from 2 Feb): 3 months = Mon
    // 4 May 2026, a bank holiday, so plan for Fri 1 May.
    let s = run(REVIEWS, None, 0);
    let r = reviews(&s);
    assert_eq!(
        rows(&r),
        vec![
            (Some(1), Some(d("2026-02-02")), Some(d("2026-02-02")), Some(d("2026-02-04")), false),
            (Some(2), Some(d("2026-05-04")), Some(d("2026-05-01")), None, false),
        ]
    );
    assert_eq!(
        r[0].breach,
        Some(Breach::LateReview {
            held: d("2026-02-04"),
            working_days_late: 2,
            calendar_days_late: 2,
            basis: Basis::Statutory
        })
    );
    assert_eq!(r[1].breach, None);
    // Visits: the first within one week of Mon 5 Jan 2026 = Mon 12 Jan; done Wed 14 Jan, 2
    // working (2 calendar) days late. The second counts from 14 Jan, the day it was done: 6
    // weeks = Wed 25 Feb; done Fri 20 Feb, on time. The third: 6 weeks from Fri 20 Feb = Fri
    // 3 Apr 2026, Good Friday, so plan for Thu 2 Apr.
    let s = run(VISITS, None, 0);
    let v = visits(&s);
    assert_eq!(
        rows(&v),
        vec![
            (Some(1), Some(d("2026-01-12")), Some(d("2026-01-12")), Some(d("2026-01-14")), false),
            (Some(2), Some(d("2026-02-25")), Some(d("2026-02-25")), Some(d("2026-02-20")), false),
            (Some(3), Some(d("2026-04-03")), Some(d("2026-04-02")), None, false),
        ]
    );
    assert_eq!(
        v[0].breach,
        Some(Breach::LateDuty {
            done: d("2026-01-14"),
            working_days_late: 2,
            calendar_days_late: 2,
            basis: Basis::Statutory
        })
    );
    assert_eq!((v[1].breach.as_ref(), v[2].breach.as_ref()), (None, None));
}

#[test]
fn a_projected_occurrence_is_assumed_done_on_its_last_working_day() {
    // Reviews, horizon 24 months from 4 Feb 2026 (to 4 Feb 2028): the second is planned for
    // Fri 1 May 2026 (4 May is a bank holiday); the third counts from 1 May: 6 months = Sun 1
    // Nov 2026, plan for Fri 30 Oct; the fourth from 30 Oct: Fri 30 Apr 2027; the fifth from
    // 30 Apr 2027: Sat 30 Oct 2027, plan for Fri 29 Oct; the sixth (Sat 29 Apr 2028, plan for
    // Fri 28 Apr) is past the horizon. Counted from 4 May instead, the third would be 4 Nov.
    let s = run(REVIEWS, None, 24);
    assert_eq!(
        rows(&reviews(&s))[1..],
        [
            (Some(2), Some(d("2026-05-04")), Some(d("2026-05-01")), None, false),
            (Some(3), Some(d("2026-11-01")), Some(d("2026-10-30")), None, true),
            (Some(4), Some(d("2027-04-30")), Some(d("2027-04-30")), None, true),
            (Some(5), Some(d("2027-10-30")), Some(d("2027-10-29")), None, true),
        ]
    );
    // Visits, horizon 3 months from 20 Feb 2026 (to 20 May 2026): the third is planned for Thu
    // 2 Apr (3 Apr is Good Friday); the fourth counts from 2 Apr: 6 weeks = Thu 14 May 2026; the
    // fifth (Thu 25 Jun) is past the horizon. Counted from 3 Apr instead, the fourth would be
    // Fri 15 May.
    let s = run(VISITS, None, 3);
    assert_eq!(
        rows(&visits(&s))[2..],
        [
            (Some(3), Some(d("2026-04-03")), Some(d("2026-04-02")), None, false),
            (Some(4), Some(d("2026-05-14")), Some(d("2026-05-14")), None, true),
        ]
    );
}

#[test]
fn the_next_occurrence_is_always_shown_even_past_the_horizon() {
    // Horizon 1 month from the last event: the next review (plan for 1 May 2026) and the next
    // visit (plan for 2 Apr 2026) lie beyond it and are shown, nothing after them.
    let s = run(REVIEWS, None, 1);
    assert_eq!(reviews(&s).last().map(|o| (o.review_number, o.projected)), Some((Some(2), false)));
    let s = run(VISITS, None, 1);
    assert_eq!(visits(&s).last().map(|o| (o.review_number, o.projected)), Some((Some(3), false)));
}

#[test]
fn an_occurrence_not_done_by_the_as_at_date_is_overdue() {
    // As at Tue 10 Feb 2026, the first review (due by Mon 2 Feb) was not held; as at Tue 20 Jan
    // 2026, the first visit (due by Mon 12 Jan) was not made. Both are statute's to miss.
    let s = run(r#"[{"event":"became_looked_after","date":"2026-01-05"}]"#, Some("2026-02-10"), 0);
    let r = reviews(&s);
    assert_eq!(rows(&r), vec![(Some(1), Some(d("2026-02-02")), Some(d("2026-02-02")), None, false)]);
    assert_eq!(r[0].breach, Some(Breach::NotHeld { as_at: d("2026-02-10"), basis: Basis::Statutory }));
    let s = run(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"placement_started","date":"2026-01-05"}]"#,
        Some("2026-01-20"),
        0,
    );
    let v = visits(&s);
    assert_eq!(rows(&v), vec![(Some(1), Some(d("2026-01-12")), Some(d("2026-01-12")), None, false)]);
    assert_eq!(v[0].breach, Some(Breach::NotDone { as_at: d("2026-01-20"), basis: Basis::Statutory }));
}

#[test]
fn a_stopped_clock_owes_an_occurrence_only_if_its_deadline_fell_before_it_stopped() {
    // Reviews: the first is due by Mon 2 Feb 2026. Care ending on Tue 3 Feb leaves it missed (not
    // held as at 3 Feb); ending on Mon 2 Feb, the deadline itself, owes none.
    let ended = |date: &str| {
        format!(
            r#"[{{"event":"became_looked_after","date":"2026-01-05"}},{{"event":"ceased_to_be_looked_after","date":"{date}"}}]"#
        )
    };
    let s = run(&ended("2026-02-03"), None, 12);
    let r = reviews(&s);
    assert_eq!(rows(&r), vec![(Some(1), Some(d("2026-02-02")), Some(d("2026-02-02")), None, false)]);
    assert_eq!(r[0].breach, Some(Breach::NotHeld { as_at: d("2026-02-03"), basis: Basis::Statutory }));
    assert!(reviews(&run(&ended("2026-02-02"), None, 12)).is_empty());
    // Visits: the first is due by Mon 12 Jan 2026. The placement ending on Tue 13 Jan leaves it
    // missed (not done as at 13 Jan); ending on Mon 12 Jan owes none.
    let ended = |date: &str| {
        format!(
            r#"[{{"event":"became_looked_after","date":"2026-01-05"}},{{"event":"placement_started","date":"2026-01-05"}},
                {{"event":"placement_ended","date":"{date}"}}]"#
        )
    };
    let s = run(&ended("2026-01-13"), None, 12);
    let v = visits(&s);
    assert_eq!(rows(&v), vec![(Some(1), Some(d("2026-01-12")), Some(d("2026-01-12")), None, false)]);
    assert_eq!(v[0].breach, Some(Breach::NotDone { as_at: d("2026-01-13"), basis: Basis::Statutory }));
    assert!(visits(&run(&ended("2026-01-12"), None, 12)).is_empty());
}

#[test]
fn a_clock_stops_where_no_rule_fits() {
    // A placement with a parent before the assessment (CPPCR reg 19(b)): its first review within
    // 10 working days of Mon 2 Mar 2026 = Mon 16 Mar; the profile has no rule for a second, so
    // that clock stops after the review held on Fri 13 Mar while the looked-after clock runs on.
    let s = run(
        r#"[{"event":"became_looked_after","date":"2026-03-02"},
            {"event":"placed_with_parent_before_assessment","date":"2026-03-02"},
            {"event":"review_held","date":"2026-03-13"}]"#,
        None,
        24,
    );
    let pwp: Vec<_> = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::HoldReview && o.regime == Some(Regime::PlacedWithParent))
        .map(|o| (o.review_number, o.latest, o.done))
        .collect();
    assert_eq!(pwp, vec![(Some(1), Some(d("2026-03-16")), Some(d("2026-03-13")))]);
    assert!(reviews(&s).len() >= 4, "{:?}", rows(&reviews(&s)));
    // Adoption visits (AAR 2005 reg 36(4)(a)): weekly until the first review, then no rule fits
    // and the clock stops. Placed for adoption Mon 2 Mar 2026: the first visit by Mon 9 Mar,
    // done then; the second by Mon 16 Mar, done then; the third counts from 16 Mar, before the
    // review of Tue 17 Mar, so weekly again: by Mon 23 Mar, done then. From 23 Mar the first
    // review has been held: no rule fits, and no fourth visit is owed or projected.
    let s = run(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"authority_to_place","date":"2026-02-02"},
            {"event":"placed_for_adoption","date":"2026-03-02"},
            {"event":"social_worker_visit","date":"2026-03-09"},{"event":"social_worker_visit","date":"2026-03-16"},
            {"event":"review_held","date":"2026-03-17"},{"event":"social_worker_visit","date":"2026-03-23"}]"#,
        None,
        12,
    );
    let v: Vec<_> = visits(&s).iter().map(|o| (o.review_number, o.latest, o.done)).collect();
    assert_eq!(
        v,
        vec![
            (Some(1), Some(d("2026-03-09")), Some(d("2026-03-09"))),
            (Some(2), Some(d("2026-03-16")), Some(d("2026-03-16"))),
            (Some(3), Some(d("2026-03-23")), Some(d("2026-03-23"))),
        ]
    );
}
