//! Placements and their clocks: validation of the new events, hand-worked cases beside the
//! conformance vectors (065-075), outputs, and the properties of the visit clock.

use chrono::{Days, NaiveDate};
use lac_timescales::audit::{audit, AuditOptions, StatusKind};
use lac_timescales::calendar::Calendar;
use lac_timescales::export::{schedule_csv, schedule_ics, IcsOptions};
use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, Schedule, ScheduleOptions};
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn case(j: Jurisdiction, events: &str) -> lac_timescales::Result<CaseHistory> {
    let v: Vec<serde_json::Value> = serde_json::from_str(events).unwrap();
    let evs = v.iter().enumerate().map(|(i, e)| Event::from_json(i, e)).collect::<Result<Vec<_>, _>>()?;
    CaseHistory::new(j, Child::default(), evs)
}

fn run(events: &str, as_at: &str, horizon: u32) -> Schedule {
    let c = case(Jurisdiction::England, events).unwrap();
    let opts = ScheduleOptions { as_at: Some(d(as_at)), horizon_months: Some(horizon), local_calendar: None };
    schedule(&c, &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), &opts).unwrap()
}

fn visits(s: &Schedule) -> Vec<(Option<u32>, Option<NaiveDate>, Option<NaiveDate>)> {
    s.obligations.iter().filter(|o| o.duty == Duty::VisitChild).map(|o| (o.review_number, o.latest, o.done)).collect()
}

#[test]
fn new_events_are_validated_with_the_field_and_value_named() {
    // A placement before the child is looked after.
    let err = case(Jurisdiction::England, r#"[{"event":"placement_started","date":"2026-01-05"}]"#).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("placement_started") && text.contains("not looked after"), "{text}");
    // An unknown field on placement_started names the field and lists the allowed ones.
    let err = case(
        Jurisdiction::England,
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"placement_started","date":"2026-01-05","long_term":true}]"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("long_term") && err.contains("intended_to_last_until_18"), "{err}");
    // A flag of the wrong type.
    let err = case(
        Jurisdiction::England,
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"placement_started","date":"2026-01-05","emergency":"yes"}]"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("emergency") || err.contains("yes"), "{err}");
    // A visit while not looked after.
    let err = case(Jurisdiction::England, r#"[{"event":"social_worker_visit","date":"2026-01-05"}]"#).unwrap_err();
    assert!(err.to_string().contains("social_worker_visit"));
    // placement_ended cannot end a placement for adoption.
    let err = case(
        Jurisdiction::England,
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"placed_for_adoption","date":"2026-02-02"},
            {"event":"placement_ended","date":"2026-02-09"}]"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("returned_to_agency"), "{err}");
    // The flags default to false and round-trip.
    let c = case(
        Jurisdiction::England,
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"placement_started","date":"2026-01-05"}]"#,
    )
    .unwrap();
    assert_eq!(
        c.events()[1].kind,
        EventKind::PlacementStarted { intended_to_last_until_18: false, emergency: false, with_parent: false }
    );
    assert_eq!(serde_json::to_string(&c.events()[1]).unwrap(), r#"{"date":"2026-01-05","event":"placement_started"}"#);
}

#[test]
fn a_placement_not_intended_to_last_until_18_stays_at_six_weeks() {
    // Placed Mon 2 Mar 2026 (not long-term); visited Fri 6 Mar 2026, then Wed 3 Mar 2027 (late:
    // visit 2 was due Fri 17 Apr 2026). After the first year, "in any other case" six weeks:
    // 3 Mar 2027 + 42 days = Wed 14 Apr 2027.
    let s = run(
        r#"[{"event":"became_looked_after","date":"2026-03-02"},{"event":"placement_started","date":"2026-03-02"},
            {"event":"social_worker_visit","date":"2026-03-06"},{"event":"social_worker_visit","date":"2027-03-03"}]"#,
        "2027-03-03",
        0,
    );
    assert_eq!(
        visits(&s),
        vec![
            (Some(1), Some(d("2026-03-09")), Some(d("2026-03-06"))),
            (Some(2), Some(d("2026-04-17")), Some(d("2027-03-03"))),
            (Some(3), Some(d("2027-04-14")), None),
        ]
    );
    let late = s.obligations.iter().find(|o| o.duty == Duty::VisitChild && o.review_number == Some(2)).unwrap();
    let b = serde_json::to_value(late.breach.as_ref().unwrap()).unwrap();
    // 17 Apr 2026 to 3 Mar 2027: 320 calendar days.
    assert_eq!(b["kind"], "late_duty");
    assert_eq!(b["calendar_days_late"], 320);
    let three_months = s.obligations.iter().find(|o| o.review_number == Some(3) && o.duty == Duty::VisitChild).unwrap();
    assert_eq!(three_months.citation.provision, "reg 28(2)(c)(ii)");
}

#[test]
fn a_missed_visit_is_overdue_and_later_visits_are_projected_to_the_horizon() {
    // Placed Mon 5 Jan 2026, never visited: visit 1 due Mon 12 Jan, not done as at Mon 2 Feb.
    // Then projected, each from the previous deadline (a working day here): Mon 23 Feb, Mon 6 Apr
    // (Easter Monday: plan for Thu 2 Apr), then from Thu 2 Apr: Thu 14 May, ... up to the horizon
    // (3 months: Sat 2 May 2026), and the first past it is left out.
    let s = run(
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"placement_started","date":"2026-01-05"}]"#,
        "2026-02-02",
        3,
    );
    let v: Vec<_> = s.obligations.iter().filter(|o| o.duty == Duty::VisitChild).collect();
    assert_eq!(v.len(), 3, "{:#?}", visits(&s));
    assert_eq!(v[0].latest, Some(d("2026-01-12")));
    assert_eq!(serde_json::to_value(v[0].breach.as_ref().unwrap()).unwrap()["kind"], "not_done");
    assert!(!v[0].projected);
    assert_eq!((v[1].latest, v[1].projected), (Some(d("2026-02-23")), true));
    assert_eq!((v[2].latest, v[2].latest_working_day), (Some(d("2026-04-06")), Some(d("2026-04-02"))));
    assert!(v[1].breach.is_none() && v[2].breach.is_none());
}

#[test]
fn a_plan_made_before_the_placement_is_met_in_the_audit() {
    // The placement plan recorded on Fri 27 Mar 2026, three days before the placement on Mon 30 Mar.
    let c = case(
        Jurisdiction::England,
        r#"[{"event":"became_looked_after","date":"2026-03-27"},
            {"event":"duty_done","date":"2026-03-27","duty":"prepare_placement_plan"},
            {"event":"placement_started","date":"2026-03-30"},
            {"event":"social_worker_visit","date":"2026-04-02"}]"#,
    )
    .unwrap();
    let opts = AuditOptions { as_at: Some(d("2026-04-02")), ..Default::default() };
    let a = audit(&c, &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), &opts).unwrap();
    let plan = a.obligations.iter().find(|o| o.obligation.duty == Duty::PreparePlacementPlan).unwrap();
    // Due Mon 30 Mar + 5 working days: Tue 31 1, Wed 1 Apr 2, Thu 2 3, Good Friday and Easter
    // Monday skipped, Tue 7 4, Wed 8 Apr 2026 5. Met on 27 Mar.
    assert_eq!(plan.obligation.latest, Some(d("2026-04-08")));
    assert_eq!(plan.status.kind(), StatusKind::Met);
    assert_eq!(plan.done_by_event, Some(1));
    // The visit on Thu 2 Apr met the first visit (due Mon 6 Apr, Easter Monday), recorded by event 3.
    let visit = a.obligations.iter().find(|o| o.obligation.duty == Duty::VisitChild).unwrap();
    assert_eq!(visit.status.kind(), StatusKind::Met);
    assert_eq!(visit.done_by_event, Some(3));
    assert!(a.events[3].unmatched.is_none(), "{:?}", a.events[3]);
}

#[test]
fn visits_and_plans_reach_the_csv_and_the_calendar() {
    let events =
        r#"[{"event":"became_looked_after","date":"2026-03-27"},{"event":"placement_started","date":"2026-03-27"}]"#;
    let s = run(events, "2026-03-27", 0);
    let csv = schedule_csv(&s);
    assert!(csv.lines().any(|l| l.contains(",visit_child,social_worker,") && l.contains("2026-04-03")), "{csv}");
    assert!(csv.lines().any(|l| l.contains(",prepare_placement_plan,") && l.contains("2026-04-07")), "{csv}");
    let c = case(Jurisdiction::England, events).unwrap();
    // The first visit's explanation: counted from the start of the placement, in weeks of 7
    // calendar days, Good Friday 3 Apr 2026 not moved.
    let k = s.obligations.iter().position(|o| o.duty == Duty::VisitChild).unwrap();
    let steps = s.explain(k, &Calendar::england_and_wales(), c.events()).unwrap().steps;
    assert!(steps.iter().any(|x| x == "Counted from the start of the placement: Fri 27 Mar 2026."), "{steps:#?}");
    assert!(steps.iter().any(|x| x.starts_with("Counting in weeks of 7 calendar days")), "{steps:#?}");
    assert!(steps.iter().any(|x| x.contains("Deadline: Fri 3 Apr 2026 (not a working day")), "{steps:#?}");
    let ics = schedule_ics(&s, &c, &IcsOptions::default());
    assert!(ics.contains("visit_child") || ics.contains("Visit the child"), "{ics}");
}

/// A placement (flags at random) from a random date, and the gaps (in days, 0 to 1) fraction of the
/// time allowed at which each visit is made.
fn placement() -> impl Strategy<Value = (NaiveDate, bool, bool, bool, Vec<u8>)> {
    (0u64..6_000, any::<bool>(), any::<bool>(), any::<bool>(), prop::collection::vec(0u8..=100, 1..14)).prop_map(
        |(start, lt, em, wp, fr)| (NaiveDate::from_ymd_opt(2012, 1, 2).unwrap() + Days::new(start), lt, em, wp, fr),
    )
}

fn placement_events(start: NaiveDate, lt: bool, em: bool, wp: bool) -> Vec<Event> {
    vec![
        Event::new(start, EventKind::BecameLookedAfter),
        Event::new(
            start,
            EventKind::PlacementStarted { intended_to_last_until_18: lt, emergency: em, with_parent: wp },
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Visits each made on or before the deadline the schedule gives for it never produce a
    /// breach, and the deadline after a visit never precedes that visit.
    #[test]
    fn visits_on_time_never_breach((start, lt, em, wp, fractions) in placement()) {
        let cal = Calendar::england_and_wales();
        let profile = Profile::builtin("england").unwrap();
        let mut events = placement_events(start, lt, em, wp);
        let mut prev = start;
        for f in fractions {
            let c = CaseHistory::new(Jurisdiction::England, Child::default(), events.clone()).unwrap();
            let s = schedule(&c, &profile, &cal, &ScheduleOptions { horizon_months: Some(0), ..Default::default() }).unwrap();
            let next = s.obligations.iter().find(|o| o.duty == Duty::VisitChild && o.done.is_none()).unwrap();
            let latest = next.latest.unwrap();
            prop_assert!(latest >= prev, "deadline {latest} before the previous visit {prev}");
            let gap = (latest - prev).num_days();
            let visit = prev + Days::new((gap * i64::from(f) / 100) as u64);
            events.push(Event::new(visit, EventKind::SocialWorkerVisit));
            prev = visit;
        }
        let c = CaseHistory::new(Jurisdiction::England, Child::default(), events).unwrap();
        let s = schedule(&c, &profile, &cal, &ScheduleOptions { horizon_months: Some(12), ..Default::default() }).unwrap();
        for o in s.obligations.iter().filter(|o| o.duty == Duty::VisitChild) {
            prop_assert!(o.breach.is_none(), "{o:#?}");
        }
    }

    /// Whatever the visits (late ones too), each visit's deadline counts from the previous visit
    /// (or the start of the placement) and never precedes it.
    #[test]
    fn the_next_deadline_never_precedes_the_visit((start, lt, em, wp, gaps) in placement()) {
        let mut events = placement_events(start, lt, em, wp);
        let mut day = start;
        for g in &gaps {
            day = day + Days::new(u64::from(*g));
            events.push(Event::new(day, EventKind::SocialWorkerVisit));
        }
        let c = CaseHistory::new(Jurisdiction::England, Child::default(), events).unwrap();
        let s = schedule(&c, &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), &ScheduleOptions::default()).unwrap();
        let v: Vec<_> = s.obligations.iter().filter(|o| o.duty == Duty::VisitChild).collect();
        let mut sorted = v.clone();
        sorted.sort_by_key(|o| o.review_number);
        let mut prev = start;
        for o in sorted {
            let latest = o.latest.unwrap();
            prop_assert!(latest >= prev, "visit {:?}: deadline {latest} before {prev}", o.review_number);
            prop_assert_eq!(o.earliest, Some(prev));
            prev = o.done.unwrap_or(o.latest_working_day.unwrap());
        }
    }
}
