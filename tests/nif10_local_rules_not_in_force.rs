//! A local procedure's rule that did not apply because the date it is read on comes before the
//! procedure's `in_force_from` is listed on the obligation the rules in force make: after the
//! others, marked with `in_force_from` (the deadline it would have given as `latest`), never
//! binding, and said in the explanation ("Not applied: ..."). It never makes an obligation of its
//! own, and the audit finds no breach of it. A statutory rule's superseded version is not listed.
//!
//! One test per place where rules are read: the review intervals, duties counted from a review
//! meeting, from a period of care, from an event, from a placement, and early reviews. Dates are
//! worked by hand from the calendar (no bank holiday falls inside any count below unless named).
//! The built-in dated local profiles: Dudley from Mon 8 Aug 2022, the ISU from Thu 1 Jun 2017.
//! Places no built-in profile reaches (a statutory and a local rule for one placement or event
//! duty) use a small local profile of this file, dated from Tue 1 Jan 2030.

use chrono::NaiveDate;
use lac_timescales::audit::{audit, AuditOptions, Status};
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
use lac_timescales::profile::{Basis, Profile};
use lac_timescales::schedule::{schedule, Obligation, Schedule, ScheduleOptions};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn held(on: NaiveDate) -> Event {
    Event::new(on, EventKind::ReviewHeld { meeting: true, regimes: None })
}

fn placed(on: NaiveDate) -> Event {
    Event::new(
        on,
        EventKind::PlacementStarted { intended_to_last_until_18: false, emergency: false, with_parent: false },
    )
}

fn case(events: Vec<Event>) -> CaseHistory {
    CaseHistory::new(Jurisdiction::England, Child::default(), events).unwrap()
}

fn run(profile: &Profile, events: Vec<Event>, as_at: NaiveDate) -> (Schedule, CaseHistory) {
    let c = case(events);
    let opts = ScheduleOptions::as_at(as_at).with_horizon_months(0);
    (schedule(&c, profile, &Calendar::england_and_wales(), &opts).unwrap(), c)
}

/// (basis, latest, in_force_from) of each rule listed, in order.
fn listed(o: &Obligation) -> Vec<(Basis, Option<NaiveDate>, Option<NaiveDate>)> {
    o.binding().unwrap_or_default().iter().map(|c| (c.basis.clone(), c.latest, c.in_force_from)).collect()
}

fn steps(s: &Schedule, i: usize, c: &CaseHistory) -> Vec<String> {
    s.explain(i, &Calendar::england_and_wales(), c.events()).unwrap().steps
}

fn dudley() -> Basis {
    Basis::Local("dudley".into())
}

fn isu() -> Basis {
    Basis::Local("isu-procedure".into())
}

/// A local profile on the England profile, its rules dated from Tue 1 Jan 2030 unless `from` says
/// otherwise: a placement duty statute also has, and an event and a period duty with a rule in
/// force beside the dated one.
fn test_profile(from: &str) -> Profile {
    let text = format!(
        r#"
id = "nif10-test"
name = "Test procedure"
kind = "local"
extends = "england"
version = "1"
source = "nif10 tests"

[[rule]]
duty = "notify_placement_ended"
role = "social_worker"
anchor = "placement_ended"
direction = "after"
period = "5 working days"
action = "Notify the end of the placement"
in_force_from = "{from}"
citation = {{ instrument = "Test procedure", provision = "placements", status = "V" }}

[[rule]]
duty = "resolve_dispute"
role = "iro"
anchor = "dispute_started"
direction = "after"
period = "20 working days"
action = "Resolve the dispute"
citation = {{ instrument = "Test procedure", provision = "disputes", status = "V" }}

[[rule]]
duty = "resolve_dispute"
role = "iro"
anchor = "dispute_started"
direction = "after"
period = "10 working days"
action = "Resolve the dispute sooner"
in_force_from = "{from}"
citation = {{ instrument = "Test procedure", provision = "disputes, quicker", status = "V" }}

[[rule]]
duty = "notify_review_service"
role = "review_administrator"
anchor = "became_looked_after"
direction = "after"
period = "2 working days"
action = "Notify the review service"
citation = {{ instrument = "Test procedure", provision = "notifications", status = "V" }}

[[rule]]
duty = "notify_review_service"
role = "review_administrator"
anchor = "became_looked_after"
direction = "after"
period = "24 hours"
action = "Notify the review service at once"
in_force_from = "{from}"
citation = {{ instrument = "Test procedure", provision = "notifications, quicker", status = "V" }}
"#
    );
    Profile::from_toml("nif10-test.toml", &text).unwrap()
}

fn local_test() -> Basis {
    Basis::Local("nif10-test".into())
}

/// Review intervals. Dudley; looked after Mon 11 Jul 2022, first review Fri 5 Aug 2022 (before
/// Mon 8 Aug 2022). The second: statute's three months, Sat 5 Nov 2022, binds; Dudley's 90 days
/// (Aug 26 + Sep 30 + Oct 31 = 87, then 3 Nov: Thu 3 Nov 2022), earlier, is listed after it, not
/// in force. The same history a week later (first review Mon 15 Aug 2022, after the date):
/// Dudley's 90 days (16 + 30 + 31 = 77, then 13 Nov: Sun 13 Nov 2022) bind over Tue 15 Nov 2022,
/// and nothing is marked.
#[test]
fn review_intervals() {
    let p = Profile::builtin("dudley").unwrap();
    let (s, c) =
        run(&p, vec![Event::new(d(2022, 7, 11), EventKind::BecameLookedAfter), held(d(2022, 8, 5))], d(2022, 8, 20));
    let i = s.obligations.iter().position(|o| o.duty == Duty::HoldReview && o.review_number == Some(2)).unwrap();
    let second = &s.obligations[i];
    assert_eq!((second.latest, &second.basis), (Some(d(2022, 11, 5)), &Basis::Statutory));
    assert_eq!(
        listed(second),
        vec![(Basis::Statutory, Some(d(2022, 11, 5)), None), (dudley(), Some(d(2022, 11, 3)), Some(d(2022, 8, 8)))]
    );
    let st = steps(&s, i, &c);
    assert!(
        st.iter().any(|x| x.starts_with("Not applied: Dudley")
            && x.contains("point 2")
            && x.contains("applies only from Mon 8 Aug 2022")
            && x.ends_with("the review this one counts from was held on Fri 5 Aug 2022.")),
        "{st:#?}"
    );
    assert!(
        st.iter().any(|x| x.contains("Thu 3 Nov 2022 (not applied: in force only from Mon 8 Aug 2022)")),
        "{st:#?}"
    );
    // No breach: as at Fri 4 Nov 2022 (after Dudley's 3 Nov, before statute's 5 Nov) the review
    // is still pending.
    let a = audit(
        &c,
        &p,
        &Calendar::england_and_wales(),
        &AuditOptions { as_at: Some(d(2022, 11, 4)), ..Default::default() },
    )
    .unwrap();
    let x = a
        .obligations
        .iter()
        .find(|x| x.obligation.duty == Duty::HoldReview && x.obligation.review_number == Some(2))
        .unwrap();
    assert!(matches!(x.status, Status::Pending { .. }), "{:?}", x.status);
    assert!(a.breaches.is_empty(), "{:?}", a.breaches);

    let (s, _) =
        run(&p, vec![Event::new(d(2022, 7, 18), EventKind::BecameLookedAfter), held(d(2022, 8, 15))], d(2022, 8, 20));
    let second = s.obligations.iter().find(|o| o.duty == Duty::HoldReview && o.review_number == Some(2)).unwrap();
    assert_eq!((second.latest, &second.basis), (Some(d(2022, 11, 13)), &dudley()));
    assert!(listed(second).iter().all(|c| c.2.is_none()), "{:?}", listed(second));
}

/// Duties counted from a review meeting. Dudley; looked after Mon 11 Jul 2022, first review Fri
/// 5 Aug 2022. The full record: statute's 15 working days (8-12, 15-19, 22-26 Aug) Fri 26 Aug 2022
/// binds; Dudley's minutes in 5 working days (Fri 12 Aug 2022) are listed, not in force. As at
/// Sat 20 Aug 2022 the record, not done, is pending: no breach of Dudley's 12 Aug. A duty only
/// Dudley has (the social worker's report 3 days before the review) makes no obligation for this
/// review.
#[test]
fn meeting_duties() {
    let p = Profile::builtin("dudley").unwrap();
    let events = vec![Event::new(d(2022, 7, 11), EventKind::BecameLookedAfter), held(d(2022, 8, 5))];
    let (s, c) = run(&p, events, d(2022, 8, 20));
    let i =
        s.obligations.iter().position(|o| o.duty == Duty::CompleteReviewRecord && o.review_number == Some(1)).unwrap();
    let record = &s.obligations[i];
    assert_eq!((record.latest, &record.basis), (Some(d(2022, 8, 26)), &Basis::Statutory));
    assert_eq!(
        listed(record),
        vec![(Basis::Statutory, Some(d(2022, 8, 26)), None), (dudley(), Some(d(2022, 8, 12)), Some(d(2022, 8, 8)))]
    );
    let st = steps(&s, i, &c);
    assert!(
        st.iter().any(|x| x.starts_with("Not applied: Dudley")
            && x.contains("applies only from Mon 8 Aug 2022; this review was held on Fri 5 Aug 2022.")),
        "{st:#?}"
    );
    assert!(!s.obligations.iter().any(|o| o.duty == Duty::SubmitSocialWorkReport && o.review_number == Some(1)));
    let a = audit(
        &c,
        &p,
        &Calendar::england_and_wales(),
        &AuditOptions { as_at: Some(d(2022, 8, 20)), ..Default::default() },
    )
    .unwrap();
    let x = a.obligations.iter().find(|x| x.obligation.duty == Duty::CompleteReviewRecord).unwrap();
    assert!(matches!(x.status, Status::Pending { .. }), "{:?}", x.status);
    // The first review was due Mon 8 Aug 2022 (20 working days after 11 Jul) and held on time:
    // nothing is breached.
    assert!(a.breaches.is_empty(), "{:?}", a.breaches);
}

/// Duties counted from a period of care. A duty only a local procedure has makes no obligation
/// before the procedure applies, and does after: the ISU's IRO within 5 working days of becoming
/// looked after (Wed 31 May 2017: none; Thu 1 Jun 2017: 2, 5, 6, 7, 8 Jun, Thu 8 Jun 2017);
/// Dudley's notification within 24 hours (Fri 5 Aug 2022: none; Mon 8 Aug 2022: Tue 9 Aug 2022).
/// With a rule in force beside a dated one (this file's profile, looked after Mon 5 Jan 2026):
/// 2 working days, Wed 7 Jan 2026, binds; 24 hours, Tue 6 Jan 2026, is listed, not in force.
#[test]
fn period_duties() {
    let isu_p = Profile::builtin("isu-procedure").unwrap();
    let appoint = |from: NaiveDate| {
        let (s, _) = run(&isu_p, vec![Event::new(from, EventKind::BecameLookedAfter)], from);
        s.obligations
            .iter()
            .filter(|o| o.duty == Duty::AppointIro)
            .map(|o| (o.latest, o.basis.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(appoint(d(2017, 5, 31)), vec![]);
    assert_eq!(appoint(d(2017, 6, 1)), vec![(Some(d(2017, 6, 8)), isu())]);
    let dud = Profile::builtin("dudley").unwrap();
    let notify = |from: NaiveDate| {
        let (s, _) = run(&dud, vec![Event::new(from, EventKind::BecameLookedAfter)], from);
        s.obligations.iter().filter(|o| o.duty == Duty::NotifyReviewService).map(|o| o.latest).collect::<Vec<_>>()
    };
    assert_eq!(notify(d(2022, 8, 5)), vec![]);
    assert_eq!(notify(d(2022, 8, 8)), vec![Some(d(2022, 8, 9))]);

    let (s, c) =
        run(&test_profile("2030-01-01"), vec![Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter)], d(2026, 1, 5));
    let i = s.obligations.iter().position(|o| o.duty == Duty::NotifyReviewService).unwrap();
    let o = &s.obligations[i];
    assert_eq!((o.latest, o.citation.provision.as_str()), (Some(d(2026, 1, 7)), "notifications"));
    assert_eq!(
        listed(o),
        vec![(local_test(), Some(d(2026, 1, 7)), None), (local_test(), Some(d(2026, 1, 6)), Some(d(2030, 1, 1)))]
    );
    let st = steps(&s, i, &c);
    assert!(
        st.iter().any(|x| x.starts_with("Not applied: Test procedure, notifications, quicker")
            && x.ends_with("applies only from Tue 1 Jan 2030; the period of care began on Mon 5 Jan 2026.")),
        "{st:#?}"
    );
}

/// Duties counted from an event. The ISU's "inform the IRO" when the child is absent (a duty only
/// the ISU has, no day fixed): absent on Wed 31 May 2017, none; on Thu 1 Jun 2017, one. This
/// file's profile, dispute started Mon 5 Jan 2026: 20 working days (6-9, 12-16, 19-23, 26-30 Jan,
/// 2 Feb), Mon 2 Feb 2026, binds; 10 working days (6-9, 12-16, 19 Jan), Mon 19 Jan 2026, earlier,
/// is listed, not in force.
#[test]
fn event_duties() {
    let isu_p = Profile::builtin("isu-procedure").unwrap();
    let inform = |on: NaiveDate| {
        let events =
            vec![Event::new(d(2017, 5, 1), EventKind::BecameLookedAfter), Event::new(on, EventKind::ChildAbsent)];
        let (s, _) = run(&isu_p, events, on);
        s.obligations.iter().filter(|o| o.duty == Duty::InformIro).count()
    };
    assert_eq!(inform(d(2017, 5, 31)), 0);
    assert!(inform(d(2017, 6, 1)) > 0);

    let events = vec![
        Event::new(d(2026, 1, 2), EventKind::BecameLookedAfter),
        Event::new(d(2026, 1, 5), EventKind::DisputeStarted),
    ];
    let (s, c) = run(&test_profile("2030-01-01"), events, d(2026, 1, 5));
    let i = s.obligations.iter().position(|o| o.duty == Duty::ResolveDispute).unwrap();
    let o = &s.obligations[i];
    assert_eq!(o.latest, Some(d(2026, 2, 2)));
    assert_eq!(
        listed(o),
        vec![(local_test(), Some(d(2026, 2, 2)), None), (local_test(), Some(d(2026, 1, 19)), Some(d(2030, 1, 1)))]
    );
    let st = steps(&s, i, &c);
    assert!(st.iter().any(|x| x.ends_with("the event it is counted from was on Mon 5 Jan 2026.")), "{st:#?}");
}

/// Placement duties. This file's profile, placement ended Mon 2 Mar 2026: statute's 10 working
/// days (3-6, 9-13, 16 Mar), Mon 16 Mar 2026, binds; the procedure's 5 working days (3-6, 9 Mar),
/// Mon 9 Mar 2026, is listed, not in force. With the procedure in force from Thu 1 Jan 2026 its
/// 9 Mar binds and nothing is marked.
#[test]
fn placement_duties() {
    let events = || {
        vec![
            Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
            placed(d(2026, 1, 5)),
            Event::new(d(2026, 3, 2), EventKind::PlacementEnded),
        ]
    };
    let (s, c) = run(&test_profile("2030-01-01"), events(), d(2026, 3, 2));
    let i = s.obligations.iter().position(|o| o.duty == Duty::NotifyPlacementEnded).unwrap();
    let o = &s.obligations[i];
    assert_eq!((o.latest, &o.basis), (Some(d(2026, 3, 16)), &Basis::Statutory));
    assert_eq!(
        listed(o),
        vec![(Basis::Statutory, Some(d(2026, 3, 16)), None), (local_test(), Some(d(2026, 3, 9)), Some(d(2030, 1, 1)))]
    );
    // The procedure names the social worker; not in force, it adds no role.
    assert_eq!(o.roles.iter().collect::<Vec<_>>(), vec![o.role]);
    let st = steps(&s, i, &c);
    assert!(st.iter().any(|x| x.ends_with("the placement ended on Mon 2 Mar 2026.")), "{st:#?}");

    let (s, _) = run(&test_profile("2026-01-01"), events(), d(2026, 3, 2));
    let o = s.obligations.iter().find(|o| o.duty == Duty::NotifyPlacementEnded).unwrap();
    assert_eq!((o.latest, &o.basis), (Some(d(2026, 3, 9)), &local_test()));
    assert!(listed(o).iter().all(|c| c.2.is_none()));
}

/// Early reviews. ISU; looked after Mon 4 Jan 2016, accommodation ending Mon 1 Feb 2016: the
/// review is due the day before, Sun 31 Jan 2016, under statute; the ISU's same rule (from Thu
/// 1 Jun 2017) is listed, not in force, and the explanation names no tie. From Mon 3 Jul 2017 (the
/// same history from Thu 1 Jun 2017) both apply: listed, neither marked.
#[test]
fn early_reviews() {
    let p = Profile::builtin("isu-procedure").unwrap();
    let early = |from: NaiveDate, ending: NaiveDate| {
        let events =
            vec![Event::new(from, EventKind::BecameLookedAfter), Event::new(ending, EventKind::AccommodationEnding)];
        let (s, c) = run(&p, events, ending);
        let i = s.obligations.iter().position(|o| o.duty == Duty::HoldReview && o.early).unwrap();
        (s, c, i)
    };
    let (s, c, i) = early(d(2016, 1, 4), d(2016, 2, 1));
    let o = &s.obligations[i];
    assert_eq!((o.latest, &o.basis), (Some(d(2016, 1, 31)), &Basis::Statutory));
    assert_eq!(
        listed(o),
        vec![(Basis::Statutory, Some(d(2016, 1, 31)), None), (isu(), Some(d(2016, 1, 31)), Some(d(2017, 6, 1)))]
    );
    let st = steps(&s, i, &c);
    assert!(st.iter().any(|x| x.ends_with("the event that triggers it was on Mon 1 Feb 2016.")), "{st:#?}");
    assert!(!st.iter().any(|x| x.contains("On the same day")), "{st:#?}");
    let (s, _, i) = early(d(2017, 6, 1), d(2017, 7, 3));
    let o = &s.obligations[i];
    assert_eq!(o.latest, Some(d(2017, 7, 2)));
    assert_eq!(listed(o), vec![(Basis::Statutory, Some(d(2017, 7, 2)), None), (isu(), Some(d(2017, 7, 2)), None)]);
}

/// Only local rules not yet in force: statute's superseded versions are not listed. England, a
/// placement made Mon 4 Jan 2021: the placement plan is due within 5 working days (5-8, 11 Jan),
/// Mon 11 Jan 2021, under the version in force from 26 Sep 2020, alone (the 2011 and 2020
/// versions are not in force and are not listed).
#[test]
fn statutes_other_versions_are_not_listed() {
    let p = Profile::builtin("england").unwrap();
    let events = vec![Event::new(d(2021, 1, 4), EventKind::BecameLookedAfter), placed(d(2021, 1, 4))];
    let (s, _) = run(&p, events, d(2021, 1, 4));
    let o = s.obligations.iter().find(|o| o.duty == Duty::PreparePlacementPlan).unwrap();
    assert_eq!(o.latest, Some(d(2021, 1, 11)));
    assert_eq!(o.binding(), None);
}
