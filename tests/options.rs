//! The two options types and their different default horizons (issue 12 point 5): a schedule
//! projects 12 months by default, an audit 0. Dates worked out by hand from the 2026 calendar.
//!
//! Child looked after on Thu 1 Jan 2026 (England). First review by 20 working days later:
//! Thu 29 Jan 2026 (no bank holiday in January after New Year's Day). The next review within 3
//! months of it: 29 Apr 2026; then within 6 months: 29 Oct 2026; then 29 Apr 2027. As at
//! 1 Jan 2026 a 12-month horizon ends 1 Jan 2027, so three reviews are shown; with a horizon of
//! 0 only the next review (29 Jan 2026).

use chrono::NaiveDate;
use lac_timescales::audit::{audit, AuditOptions, AUDIT_DEFAULT_HORIZON_MONTHS};
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, ScheduleOptions, SCHEDULE_DEFAULT_HORIZON_MONTHS};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn case() -> CaseHistory {
    CaseHistory::new(
        Jurisdiction::England,
        Child::default(),
        vec![Event::new(d(2026, 1, 1), EventKind::BecameLookedAfter)],
    )
    .unwrap()
}

fn review_deadlines(opts: &ScheduleOptions) -> Vec<NaiveDate> {
    let s = schedule(&case(), &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), opts).unwrap();
    s.obligations.iter().filter(|o| o.duty == Duty::HoldReview).filter_map(|o| o.latest).collect()
}

#[test]
fn the_named_defaults_are_12_and_0() {
    assert_eq!(SCHEDULE_DEFAULT_HORIZON_MONTHS, 12);
    assert_eq!(AUDIT_DEFAULT_HORIZON_MONTHS, 0);
    assert_eq!(ScheduleOptions::new().effective_horizon_months(), 12);
    assert_eq!(ScheduleOptions::default().effective_horizon_months(), 12);
    assert_eq!(AuditOptions::new().effective_horizon_months(), 0);
    assert_eq!(AuditOptions::default().effective_horizon_months(), 0);
}

#[test]
fn a_schedule_projects_twelve_months_by_default() {
    let three = vec![d(2026, 1, 29), d(2026, 4, 29), d(2026, 10, 29)];
    assert_eq!(review_deadlines(&ScheduleOptions::new()), three);
    assert_eq!(review_deadlines(&ScheduleOptions::as_at(d(2026, 1, 1))), three);
    assert_eq!(review_deadlines(&ScheduleOptions::new().with_horizon_months(12)), three);
    // The struct literal with public fields still works (None = 12).
    assert_eq!(review_deadlines(&ScheduleOptions { as_at: None, horizon_months: None, local_calendar: None }), three);
    assert_eq!(review_deadlines(&ScheduleOptions::new().with_horizon_months(0)), vec![d(2026, 1, 29)]);
}

#[test]
fn an_audit_projects_nothing_by_default() {
    let run = |o: &AuditOptions| {
        let a = audit(&case(), &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), o).unwrap();
        a.obligations
            .iter()
            .filter(|x| x.obligation.duty == Duty::HoldReview)
            .filter_map(|x| x.obligation.latest)
            .collect::<Vec<_>>()
    };
    assert_eq!(run(&AuditOptions::as_at(d(2026, 1, 1))), vec![d(2026, 1, 29)]);
    assert_eq!(run(&AuditOptions::new()), vec![d(2026, 1, 29)]);
    assert_eq!(
        run(&AuditOptions::as_at(d(2026, 1, 1)).with_horizon_months(12)),
        vec![d(2026, 1, 29), d(2026, 4, 29), d(2026, 10, 29)]
    );
}
