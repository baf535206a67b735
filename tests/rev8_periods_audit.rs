//! rev8: the audit of a child with an earlier period of care. A cessation in an earlier period
//! does not make the current period's projected duties (triggered by no event) fall away.
//!
//! 2025 bank holidays used: Good Friday 18 Apr, Easter Monday 21 Apr.

use chrono::NaiveDate;
use lac_timescales::audit::{audit, AuditOptions, Status};
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, Jurisdiction};
use lac_timescales::profile::Profile;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Period 1: looked after Mon 8 Jan 2024, review 1 held Thu 25 Jan 2024, ceased Mon 3 Jun 2024.
/// Period 2: looked after again Mon 6 Jan 2025, review 1 held Thu 23 Jan 2025; review 2 due
/// within 3 months, Wed 23 Apr 2025 (a working day), not yet held and assumed on that day.
/// As at Sat 1 Mar 2025 the IRO's talk with the child for review 2 (by the review day, Wed 23 Apr)
/// is pending: working days Mon 3 - Mon 31 Mar 21, Tue 1 - Fri 4 Apr 4, 7-11 Apr 5, Mon 14 -
/// Thu 17 Apr 4 (Good Friday 18, Easter Monday 21 Apr), Tue 22 - Wed 23 Apr 2: 36; calendar days
/// 30 + 23 = 53. The decisions (5 working days after the review: 24, 25, 28, 29, 30 Apr) are due
/// Wed 30 Apr: 41 working days, 60 calendar days left. Before the fix both were not applicable,
/// "the child ceased to be looked after on 2024-06-03 (event 2), before its deadline": the
/// cessation ended period 1, not period 2.
#[test]
fn a_cessation_in_an_earlier_period_does_not_end_this_periods_duties() {
    let events = r#"[{"event":"became_looked_after","date":"2024-01-08"},
        {"event":"review_held","date":"2024-01-25"},
        {"event":"ceased_to_be_looked_after","date":"2024-06-03"},
        {"event":"became_looked_after","date":"2025-01-06"},
        {"event":"review_held","date":"2025-01-23"}]"#;
    let v: Vec<serde_json::Value> = serde_json::from_str(events).unwrap();
    let evs = v.iter().enumerate().map(|(i, e)| Event::from_json(i, e)).collect::<Result<Vec<_>, _>>().unwrap();
    let case = CaseHistory::new(Jurisdiction::England, Child::default(), evs).unwrap();
    let opts = AuditOptions { as_at: Some(d("2025-03-01")), horizon_months: Some(0), ..Default::default() };
    let a = audit(&case, &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), &opts).unwrap();
    let second = |duty: Duty| {
        a.obligations
            .iter()
            .filter(|o| o.obligation.duty == duty && o.obligation.review_number == Some(2))
            .max_by_key(|o| o.obligation.latest)
            .unwrap_or_else(|| panic!("no {duty} for review 2"))
    };
    let review = second(Duty::HoldReview);
    assert_eq!(review.obligation.latest, Some(d("2025-04-23")));
    assert_eq!(review.status, Status::Pending { working_days_left: 36, calendar_days_left: 53 });
    let talk = second(Duty::IroSpeakToChild);
    assert!(talk.obligation.projected);
    assert_eq!(talk.obligation.latest, Some(d("2025-04-23")));
    assert_eq!(talk.status, Status::Pending { working_days_left: 36, calendar_days_left: 53 });
    let decisions = second(Duty::IssueDecisions);
    assert_eq!(decisions.obligation.latest, Some(d("2025-04-30")));
    assert_eq!(decisions.status, Status::Pending { working_days_left: 41, calendar_days_left: 60 });
    // Period 1's review 2 (due Thu 25 Apr 2024, before the cessation) is still overdue.
    let first_period = a
        .obligations
        .iter()
        .find(|o| o.obligation.duty == Duty::HoldReview && o.obligation.latest == Some(d("2024-04-25")))
        .expect("period 1's review 2");
    assert!(matches!(first_period.status, Status::Overdue { .. }), "{:?}", first_period.status);
}

/// Looked after Mon 5 Jan 2026, review 1 held Tue 20 Jan; review 2 due within 3 months, Mon 20
/// Apr, not held (overdue as at Wed 10 Jun 2026). Review 3 counts from review 2 assumed held on
/// Mon 20 Apr (due Tue 20 Oct): not applicable, its date follows from the day review 2 is held.
/// The duties of review 3 count from review 3's day, which rests on the same passed assumption:
/// not applicable too (they were pending, the IRO's talk with 93 working days left; one whose own
/// deadline had passed was reported overdue, a breach, for a review whose date is not known).
#[test]
fn the_duties_of_a_review_resting_on_a_passed_assumption_are_not_applicable() {
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},
        {"event":"review_held","date":"2026-01-20"}]"#;
    let v: Vec<serde_json::Value> = serde_json::from_str(events).unwrap();
    let evs = v.iter().enumerate().map(|(i, e)| Event::from_json(i, e)).collect::<Result<Vec<_>, _>>().unwrap();
    let case = CaseHistory::new(Jurisdiction::England, Child::default(), evs).unwrap();
    let opts = AuditOptions { as_at: Some(d("2026-06-10")), horizon_months: Some(12), ..Default::default() };
    let a = audit(&case, &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), &opts).unwrap();
    let third = |duty: Duty| {
        a.obligations
            .iter()
            .find(|o| o.obligation.duty == duty && o.obligation.review_number == Some(3) && !o.obligation.early)
            .unwrap_or_else(|| panic!("no {duty} for review 3"))
    };
    assert!(matches!(
        a.obligations
            .iter()
            .find(|o| o.obligation.duty == Duty::HoldReview && o.obligation.review_number == Some(2))
            .unwrap()
            .status,
        Status::Overdue { .. }
    ));
    let review = third(Duty::HoldReview);
    assert_eq!(review.obligation.latest, Some(d("2026-10-20")));
    assert!(matches!(review.status, Status::NotApplicable { .. }), "{:?}", review.status);
    let talk = third(Duty::IroSpeakToChild);
    assert_eq!(talk.obligation.latest, Some(d("2026-10-20")));
    assert_eq!(
        talk.status,
        Status::NotApplicable {
            reason: "it counts from review 3, whose date counts from the previous review, assumed held on 2026-04-20, \
                     which passed without the review: its date follows from the day that review is held"
                .into()
        }
    );
    assert!(matches!(third(Duty::IssueDecisions).status, Status::NotApplicable { .. }));
    // Review 4 (due Tue 20 Apr 2027) counts from review 3 assumed on Tue 20 Oct 2026, still
    // ahead: its duties keep their status (pending).
    let fourth_talk = a
        .obligations
        .iter()
        .find(|o| o.obligation.duty == Duty::IroSpeakToChild && o.obligation.review_number == Some(4))
        .unwrap();
    assert!(matches!(fourth_talk.status, Status::Pending { .. }), "{:?}", fourth_talk.status);
}
