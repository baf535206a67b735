//! The audit's reason for a duty counted from a mid-point assumed after a review not yet held
//! (the `Midpoint` arm of `assumed_day_passed` in `src/audit.rs`) had no test of its own
//! (session 8's note). Dates worked by hand from the calendar.

use chrono::NaiveDate;
use lac_timescales::audit::{audit, AuditOptions, Status};
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
use lac_timescales::profile::Profile;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A council's own rule: a progress review at the mid-point between reviews (as Dudley's), on
/// its own, so that nothing else counts from the review it follows.
const MIDWAY: &str = r#"
id = "midway"
name = "Mid-point progress reviews"
kind = "local"
extends = "england"
version = "1"
source = "test"

[[rule]]
duty = "progress_review"
role = "iro"
regimes = ["looked_after"]
anchor = "midpoint"
direction = "after"
period = "0 days"
action = "Hold a progress review at the mid-point"
citation = { instrument = "Test procedure", provision = "1", status = "V" }
"#;

/// England in 2009 (the Review of Children's Cases Regulations 1991: first review within four
/// weeks, second within three months, then six months; no statutory duty counts from a review
/// then). Looked after Mon 2 Mar 2009; first review due and held Mon 30 Mar 2009 (28 days).
/// Second review due Tue 30 Jun 2009 (three months), not held: assumed held on Tue 30 Jun, its
/// last working day. Third review due six months later, Wed 30 Dec 2009 (183 days on).
/// - Progress review 1: half way from Mon 30 Mar to Tue 30 Jun (92 days, half 46): Fri 15 May
///   2009, counted from a held review: overdue as at Thu 1 Oct 2009 by 139 calendar days and 97
///   working days (Sat 16 May to Thu 1 Oct: 19 weeks and 4 weekdays, less Mon 25 May and Mon
///   31 Aug, bank holidays).
/// - Progress review 2: half way from the assumed Tue 30 Jun to Wed 30 Dec (183 days, half 91):
///   Tue 29 Sep 2009. As at Thu 1 Oct that assumed mid-point has passed with review 2 still not
///   held: not applicable, its reason naming the mid-point and 2009-09-29.
#[test]
fn a_midpoint_after_a_review_not_held_that_has_passed_is_not_applicable() {
    let events = vec![
        Event::new(d(2009, 3, 2), EventKind::BecameLookedAfter),
        Event::new(d(2009, 3, 30), EventKind::ReviewHeld { meeting: true, regimes: None }),
    ];
    let case = CaseHistory::new(Jurisdiction::England, Child::default(), events).unwrap();
    let profile = Profile::from_toml("midway.toml", MIDWAY).unwrap();
    let opts = AuditOptions::as_at(d(2009, 10, 1)).with_horizon_months(0);
    let a = audit(&case, &profile, &Calendar::england_and_wales(), &opts).unwrap();
    let of = |duty: Duty, n: u32| {
        a.obligations
            .iter()
            .find(|o| o.obligation.duty == duty && o.obligation.review_number == Some(n))
            .unwrap_or_else(|| panic!("{duty:?} {n}: {:#?}", a.obligations))
    };
    let review2 = of(Duty::HoldReview, 2);
    assert_eq!(review2.obligation.latest, Some(d(2009, 6, 30)));
    assert_eq!(review2.status.kind().as_str(), "overdue");
    let first = of(Duty::ProgressReview, 1);
    assert_eq!(first.obligation.latest, Some(d(2009, 5, 15)));
    assert_eq!(first.status, Status::Overdue { overdue_working_days: 97, overdue_calendar_days: 139 });
    let second = of(Duty::ProgressReview, 2);
    assert_eq!(second.obligation.latest, Some(d(2009, 9, 29)));
    assert_eq!(
        second.status,
        Status::NotApplicable {
            reason: "it counts from the mid-point after a review not yet held (taken as 2009-09-29), which has \
                     passed: its date follows from the day that review is held"
                .into()
        }
    );
}
