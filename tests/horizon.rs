//! The planning horizon reads one day for every projected obligation: the day to plan for (the
//! last working day on or before its deadline), as the projection itself does. A projected review
//! due on a Saturday just past the horizon, planned for the Thursday inside it, is shown with the
//! duties before it (until session 9 the review was dropped and the IRO's talk with the child
//! before it was shown alone: found by orc9's oracle).
//!
//! Dates worked out by hand from the calendar:
//! - looked after Mon 2 Mar 2026; review 1 held Fri 27 Mar 2026 (due within 20 working days:
//!   Good Friday 3 Apr and Easter Monday 6 Apr 2026 are after it, so it is on time);
//! - review 2 within three months of Fri 27 Mar: Sat 27 Jun 2026, planned for Fri 26 Jun;
//! - review 3 within six months of Fri 26 Jun (review 2 assumed held then): Sat 26 Dec 2026. Fri
//!   25 Dec is Christmas Day, so it is planned for Thu 24 Dec 2026;
//! - as at Fri 24 Apr 2026, an 8-month horizon ends Thu 24 Dec 2026: review 3's planned day is
//!   inside it (its deadline is not);
//! - its written decisions, 5 working days after Thu 24 Dec: Boxing Day falls on a Saturday, so
//!   its substitute is Mon 28 Dec; Tue 29 (1), Wed 30 (2), Thu 31 (3), Fri 1 Jan 2027 is New
//!   Year's Day, Mon 4 Jan (4), Tue 5 Jan 2027 (5): past the horizon, not shown;
//! - review 4, six months after Thu 24 Dec: Thu 24 Jun 2027, past the horizon, not projected.

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, Obligation, ScheduleOptions};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn of(s: &[Obligation], duty: Duty, n: u32) -> Option<&Obligation> {
    s.iter().find(|o| o.duty == duty && o.review_number == Some(n))
}

#[test]
fn a_review_planned_inside_the_horizon_is_shown_with_the_duties_before_it() {
    let case = CaseHistory::new(
        Jurisdiction::England,
        Child::default(),
        vec![
            Event::new(d(2026, 3, 2), EventKind::BecameLookedAfter),
            Event::new(d(2026, 3, 27), EventKind::ReviewHeld { meeting: true, regimes: None }),
        ],
    )
    .unwrap();
    let opts = ScheduleOptions::as_at(d(2026, 4, 24)).with_horizon_months(8);
    let s = schedule(&case, &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), &opts).unwrap();
    assert_eq!(s.metadata.horizon_end, Some(d(2026, 12, 24)));
    let o = &s.obligations;

    let r2 = of(o, Duty::HoldReview, 2).expect("review 2");
    assert_eq!((r2.latest, r2.latest_working_day, r2.projected), (Some(d(2026, 6, 27)), Some(d(2026, 6, 26)), false));

    let r3 = of(o, Duty::HoldReview, 3).expect("review 3, planned for Thu 24 Dec inside the horizon, is shown");
    assert_eq!((r3.latest, r3.latest_working_day, r3.projected), (Some(d(2026, 12, 26)), Some(d(2026, 12, 24)), true));
    let talk = of(o, Duty::IroSpeakToChild, 3).expect("the IRO's talk with the child before review 3");
    assert_eq!(talk.latest, Some(d(2026, 12, 24)));

    assert!(of(o, Duty::IssueDecisions, 3).is_none(), "review 3's decisions are due Tue 5 Jan 2027, past the horizon");
    assert!(of(o, Duty::HoldReview, 4).is_none(), "review 4 (Thu 24 Jun 2027) is past the horizon");
    // Every projected obligation shown is planned for a day inside the horizon.
    for ob in o.iter().filter(|ob| ob.projected) {
        assert!(ob.latest_working_day.is_none_or(|w| w <= d(2026, 12, 24)), "{ob:?}");
    }
}

/// With the horizon one day shorter (as at Thu 23 Apr 2026: it ends Wed 23 Dec 2026), review 3
/// and its duties are all past it: none of them is shown.
#[test]
fn a_review_planned_past_the_horizon_is_left_out_with_its_duties() {
    let case = CaseHistory::new(
        Jurisdiction::England,
        Child::default(),
        vec![
            Event::new(d(2026, 3, 2), EventKind::BecameLookedAfter),
            Event::new(d(2026, 3, 27), EventKind::ReviewHeld { meeting: true, regimes: None }),
        ],
    )
    .unwrap();
    let opts = ScheduleOptions::as_at(d(2026, 4, 23)).with_horizon_months(8);
    let s = schedule(&case, &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), &opts).unwrap();
    assert_eq!(s.metadata.horizon_end, Some(d(2026, 12, 23)));
    assert!(s.obligations.iter().all(|o| o.review_number != Some(3)), "{:#?}", s.obligations);
}
