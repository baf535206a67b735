//! Issue 14: what the seeds say, read sentence by sentence (see `data/profiles/local/READING.md`).
//! Each test's dates were worked out by hand from the calendar, written in the comments; none
//! was produced by the engine.
//!
//! 2026 bank holidays used: Good Friday 3 Apr, Easter Monday 6 Apr, early May Monday 4 May,
//! spring Monday 25 May, summer Monday 31 Aug, Christmas Fri 25 Dec, Boxing Day substitute Mon
//! 28 Dec; 2027: New Year's Day Fri 1 Jan.

use chrono::NaiveDate;
use lac_timescales::audit::{audit, Audit, AuditOptions, AuditedObligation, Status, StatusKind};
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, Jurisdiction};
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, Obligation, Schedule, ScheduleOptions};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn case(dob: Option<&str>, events: &str) -> CaseHistory {
    let v: Vec<serde_json::Value> = serde_json::from_str(events).unwrap();
    let evs = v.iter().enumerate().map(|(i, e)| Event::from_json(i, e)).collect::<Result<Vec<_>, _>>().unwrap();
    CaseHistory::new(Jurisdiction::England, Child { date_of_birth: dob.map(d) }, evs).unwrap()
}

fn sched(profile: &str, dob: Option<&str>, events: &str, as_at: &str, horizon: u32) -> Schedule {
    let opts = ScheduleOptions { as_at: Some(d(as_at)), horizon_months: Some(horizon), local_calendar: None };
    schedule(&case(dob, events), &Profile::builtin(profile).unwrap(), &Calendar::england_and_wales(), &opts).unwrap()
}

fn aud(profile: &str, dob: Option<&str>, events: &str, as_at: &str) -> Audit {
    let opts = AuditOptions { as_at: Some(d(as_at)), ..Default::default() };
    audit(&case(dob, events), &Profile::builtin(profile).unwrap(), &Calendar::england_and_wales(), &opts).unwrap()
}

/// The one obligation for `duty` about review `n`.
fn one(s: &Schedule, duty: Duty, n: Option<u32>) -> &Obligation {
    let v: Vec<&Obligation> =
        s.obligations.iter().filter(|o| o.duty == duty && o.review_number == n && !o.early).collect();
    assert_eq!(
        v.len(),
        1,
        "{duty} {n:?}: {:#?}",
        s.obligations.iter().map(|o| (o.duty, o.review_number, o.latest)).collect::<Vec<_>>()
    );
    v[0]
}

fn found(a: &Audit, duty: Duty, n: Option<u32>) -> &AuditedObligation {
    a.obligations
        .iter()
        .find(|o| o.obligation.duty == duty && o.obligation.review_number == n && !o.obligation.early)
        .unwrap_or_else(|| panic!("no {duty} {n:?}"))
}

// ---- Point 2: one matching rule for recorded duties ----

/// Looked after Thu 12 Mar 2026; review 1 Tue 7 Apr (on time); review 2 Thu 2 Jul (three months
/// from 7 Apr is 7 Jul); the decisions recorded on Thu 30 Jul, with no review number.
fn decisions_recorded(extra: &str) -> String {
    format!(
        r#"[{{"event":"became_looked_after","date":"2026-03-12"}},{{"event":"review_held","date":"2026-04-07"}},
            {{"event":"review_held","date":"2026-07-02"}},{{"event":"duty_done","duty":"issue_decisions","date":"2026-07-30"}}{extra}]"#
    )
}

#[test]
fn a_decisions_record_without_a_number_belongs_to_the_latest_review_on_or_before_it() {
    let events = decisions_recorded("");
    let s = sched("england", None, &events, "2026-08-03", 0);
    // Review 1 (7 Apr): decisions due 5 working days later, 8, 9, 10, 13, 14 = Tue 14 Apr (Easter
    // is before the review). Nothing records them, so the manager's 5 working days count from
    // that deadline: 15, 16, 17, 20, 21 = Tue 21 Apr, assumed (projected). The record of 30 Jul
    // is not review 1's: it belongs to review 2, the latest review on or before 30 Jul.
    let c1 = one(&s, Duty::ConsiderDecisions, Some(1));
    assert_eq!((c1.latest, c1.projected), (Some(d("2026-04-21")), true));
    // Review 2 (2 Jul): decisions received 30 Jul; 31 Jul, 3, 4, 5, 6 Aug = Thu 6 Aug, recorded.
    let c2 = one(&s, Duty::ConsiderDecisions, Some(2));
    assert_eq!((c2.latest, c2.projected), (Some(d("2026-08-06")), false));

    // The audit matches the record by the same rule: review 2's decisions (due 3, 6, 7, 8, 9 Jul
    // = Thu 9 Jul) were done late on 30 Jul: 10 Jul (1), 13-17 (6), 20-24 (11), 27-30 (15)
    // working days, 21 calendar days. Review 1's decisions and consideration are overdue as at
    // Mon 3 Aug 2026, review 2's consideration pending (4, 5, 6 Aug: 3 working days left).
    let a = aud("england", None, &events, "2026-08-03");
    let dec2 = found(&a, Duty::IssueDecisions, Some(2));
    assert_eq!(dec2.status, Status::Late { done: d("2026-07-30"), late_working_days: 15, late_calendar_days: 21 });
    assert_eq!(dec2.done_by_event, Some(3));
    assert_eq!(found(&a, Duty::IssueDecisions, Some(1)).status.kind(), StatusKind::Overdue);
    assert_eq!(found(&a, Duty::ConsiderDecisions, Some(1)).status.kind(), StatusKind::Overdue);
    assert_eq!(
        found(&a, Duty::ConsiderDecisions, Some(2)).status,
        Status::Pending { working_days_left: 3, calendar_days_left: 3 }
    );
}

#[test]
fn a_numbered_decisions_record_belongs_to_that_review_and_a_second_one_is_unmatched() {
    // The same record numbered review 1: review 1's manager counts from 30 Jul (Thu 6 Aug);
    // review 2's from its assumed decisions deadline Thu 9 Jul: 10, 13, 14, 15, 16 = Thu 16 Jul.
    let events = decisions_recorded("").replace(
        r#""duty":"issue_decisions","date":"2026-07-30""#,
        r#""duty":"issue_decisions","review_number":1,"date":"2026-07-30""#,
    );
    let s = sched("england", None, &events, "2026-08-03", 0);
    assert_eq!(one(&s, Duty::ConsiderDecisions, Some(1)).latest, Some(d("2026-08-06")));
    assert_eq!(one(&s, Duty::ConsiderDecisions, Some(2)).latest, Some(d("2026-07-16")));
    let a = aud("england", None, &events, "2026-08-03");
    assert_eq!(found(&a, Duty::IssueDecisions, Some(1)).done_by_event, Some(3));
    assert_eq!(found(&a, Duty::IssueDecisions, Some(2)).done_by_event, None);
    // A second unnumbered record on Fri 31 Jul also belongs to review 2 (the latest on or before
    // it), whose decisions the first record (unnumbered) already covers: unmatched, with why.
    let events = decisions_recorded(r#",{"event":"duty_done","duty":"issue_decisions","date":"2026-07-31"}"#);
    let a = aud("england", None, &events, "2026-08-03");
    let why = a.events[4].unmatched.as_deref().unwrap();
    assert!(why.contains("already recorded") && why.contains("2026-07-31"), "{why}");
    // The schedule agrees: review 1's manager still counts from the assumed 14 Apr deadline.
    let s = sched("england", None, &events, "2026-08-03", 0);
    assert_eq!(one(&s, Duty::ConsiderDecisions, Some(1)).latest, Some(d("2026-04-21")));
}

// ---- Point 3: nothing is due before the child was looked after ----

/// Looked after Mon 5 Jan 2026; the first review held early, Fri 16 Jan (the 9th working day).
const EARLY_FIRST_REVIEW: &str = r#"[
  {"event":"became_looked_after","date":"2026-01-05"},
  {"event":"review_held","date":"2026-01-16"}
]"#;

#[test]
fn a_rule_counted_back_to_before_the_child_was_looked_after_does_not_apply() {
    // Working days back from Fri 16 Jan 2026: 15 (1), 14, 13, 12 (4), 9, 8, 7, 6, 5 Jan (9),
    // 2 Jan (10), Thu 1 Jan a bank holiday, 31 Dec 2025 (11), 30, 29 (13), Fri 26 and Thu 25
    // Dec bank holidays, 24 (14), Tue 23 Dec 2025 (15). Both before Mon 5 Jan 2026.
    let s = sched("sars-checklist", None, EARLY_FIRST_REVIEW, "2026-01-20", 0);
    // SARS: the IRO speaks to the social worker 15 working days before: Tue 23 Dec 2025.
    let talk = one(&s, Duty::IroConsultSocialWorker, Some(1));
    assert_eq!((talk.latest, talk.latest_working_day), (None, None));
    let why = talk.not_applicable.as_deref().unwrap();
    assert!(why.contains("2025-12-23") && why.contains("2026-01-05"), "{why}");
    // Consultation documents 10 working days before: Fri 2 Jan 2026, also before 5 Jan.
    assert!(one(&s, Duty::SendConsultationDocuments, Some(1))
        .not_applicable
        .as_deref()
        .unwrap()
        .contains("2026-01-02"));
    // The report 3 working days before (15, 14, 13): Tue 13 Jan, after 5 Jan: it applies.
    let report = one(&s, Duty::SubmitSocialWorkReport, Some(1));
    assert_eq!((report.latest, report.not_applicable.as_deref()), (Some(d("2026-01-13")), None));
    // The audit says not applicable, with the reason, instead of overdue.
    let a = aud("sars-checklist", None, EARLY_FIRST_REVIEW, "2026-01-20");
    match &found(&a, Duty::IroConsultSocialWorker, Some(1)).status {
        Status::NotApplicable { reason } => {
            assert!(reason.contains("before the child became looked after"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(found(&a, Duty::SubmitSocialWorkReport, Some(1)).status.kind(), StatusKind::Overdue);
    // Dudley: the first visit 15 working days before the first review: Tue 23 Dec 2025.
    let s = sched("dudley", None, EARLY_FIRST_REVIEW, "2026-01-20", 0);
    assert!(one(&s, Duty::ConsultChildOnArrangements, Some(1)).not_applicable.is_some());
    let a = aud("dudley", None, EARLY_FIRST_REVIEW, "2026-01-20");
    assert_eq!(found(&a, Duty::ConsultChildOnArrangements, Some(1)).status.kind(), StatusKind::NotApplicable);
}

#[test]
fn when_one_rule_falls_before_care_another_that_can_apply_binds() {
    // A local rule asking the IRO to speak to the child 15 working days before the review (Tue 23
    // Dec 2025 for the review of Fri 16 Jan 2026) cannot apply; statute's "before the review"
    // (at the latest on its day, Fri 16 Jan) still does, and binds. Both are listed, the one
    // that cannot apply last and marked.
    let text = r#"
id = "early-talk"
name = "t"
kind = "local"
extends = "england"
version = "1"
source = "test"
[[rule]]
duty = "iro_speak_to_child"
role = "iro"
anchor = "review_date"
direction = "before"
period = "15 working days"
action = "Talk to the child"
citation = { instrument = "test", provision = "1", status = "V" }
"#;
    let p = Profile::from_toml("early-talk.toml", text).unwrap();
    let opts = ScheduleOptions { as_at: Some(d("2026-01-20")), horizon_months: Some(0), local_calendar: None };
    let s = schedule(&case(None, EARLY_FIRST_REVIEW), &p, &Calendar::england_and_wales(), &opts).unwrap();
    let o = one(&s, Duty::IroSpeakToChild, Some(1));
    assert_eq!(
        (o.latest, o.basis.clone(), o.not_applicable.as_deref()),
        (Some(d("2026-01-16")), lac_timescales::profile::Basis::Statutory, None)
    );
    let b = o.binding.as_ref().unwrap();
    assert_eq!((b[0].latest, b[0].before_care), (Some(d("2026-01-16")), false));
    assert_eq!((b[1].latest, b[1].before_care), (Some(d("2025-12-23")), true));
}

// ---- Point 4: a breach says whose standard it breaches ----

use lac_timescales::profile::Basis;
use lac_timescales::schedule::Breach;

/// Dudley. Looked after Mon 2 Feb 2026; first review on its deadline, Mon 2 Mar (20 working
/// days: 3-6 Feb = 4, 9-13 = 9, 16-20 = 14, 23-27 = 19, 2 Mar = 20). Second review: Dudley's 90
/// days = Sun 31 May (Mar 31 day 29, Apr 30 day 59, May 31 day 90); statute's three months =
/// Tue 2 Jun.
fn dudley_second(extra: &str) -> String {
    format!(
        r#"[{{"event":"became_looked_after","date":"2026-02-02"}},{{"event":"review_held","date":"2026-03-02"}}{extra}]"#
    )
}

fn local(id: &str) -> Basis {
    Basis::Local(id.into())
}

#[test]
fn a_review_within_statute_but_after_dudleys_90_days_is_a_local_breach() {
    // Held Mon 1 Jun: 1 working day and 1 calendar day after 31 May, within statute's 2 Jun.
    let s = sched("dudley", None, &dudley_second(r#",{"event":"review_held","date":"2026-06-01"}"#), "2026-06-02", 0);
    let r = one(&s, Duty::HoldReview, Some(2));
    assert_eq!(
        r.breach,
        Some(Breach::LateReview {
            held: d("2026-06-01"),
            working_days_late: 1,
            calendar_days_late: 1,
            basis: local("dudley")
        })
    );
    // Held Wed 3 Jun: past statute's 2 Jun too; late by 1, 2, 3 Jun = 3 working days against the
    // binding 31 May, and a statutory breach.
    let s = sched("dudley", None, &dudley_second(r#",{"event":"review_held","date":"2026-06-03"}"#), "2026-06-03", 0);
    let r = one(&s, Duty::HoldReview, Some(2));
    assert_eq!(
        r.breach,
        Some(Breach::LateReview {
            held: d("2026-06-03"),
            working_days_late: 3,
            calendar_days_late: 3,
            basis: Basis::Statutory
        })
    );
    // Not held as at Mon 1 Jun: a local miss; as at Wed 3 Jun: a statutory one.
    let s = sched("dudley", None, &dudley_second(""), "2026-06-01", 0);
    assert_eq!(
        one(&s, Duty::HoldReview, Some(2)).breach,
        Some(Breach::NotHeld { as_at: d("2026-06-01"), basis: local("dudley") })
    );
    let s = sched("dudley", None, &dudley_second(""), "2026-06-03", 0);
    assert_eq!(
        one(&s, Duty::HoldReview, Some(2)).breach,
        Some(Breach::NotHeld { as_at: d("2026-06-03"), basis: Basis::Statutory })
    );
}

#[test]
fn moving_a_review_past_dudleys_date_is_named_as_dudleys_not_statutes() {
    // On Mon 18 May the review planned for Fri 29 May is moved to Mon 1 Jun: past Dudley's 31 May,
    // not statute's 2 Jun.
    let moved = |to: &str| {
        dudley_second(&format!(
            r#",{{"event":"review_rearranged","date":"2026-05-18","from":"2026-05-29","to":"{to}"}}"#
        ))
    };
    let s = sched("dudley", None, &moved("2026-06-01"), "2026-05-18", 0);
    let a = one(&s, Duty::AuthoriseRearrangement, Some(2));
    assert_eq!(
        a.breach,
        Some(Breach::RearrangedPastDeadline {
            from: d("2026-05-29"),
            to: d("2026-06-01"),
            deadline: d("2026-05-31"),
            basis: local("dudley")
        })
    );
    assert!(a.action.contains("past its date under the dudley procedure 2026-05-31"), "{}", a.action);
    assert!(!a.action.contains("statutory"), "{}", a.action);
    // Dudley's own rule: the IRO Service Manager authorises it, due the day of the move.
    assert_eq!(
        (a.role, a.basis.clone(), a.latest),
        (lac_timescales::model::Role::IroServiceManager, local("dudley"), Some(d("2026-05-18")))
    );
    // Moved to Wed 3 Jun: past statute's Tue 2 Jun, named by statute's date.
    let s = sched("dudley", None, &moved("2026-06-03"), "2026-05-18", 0);
    let a = one(&s, Duty::AuthoriseRearrangement, Some(2));
    assert_eq!(
        a.breach,
        Some(Breach::RearrangedPastDeadline {
            from: d("2026-05-29"),
            to: d("2026-06-03"),
            deadline: d("2026-06-02"),
            basis: Basis::Statutory
        })
    );
    assert!(a.action.contains("past its statutory date 2026-06-02"), "{}", a.action);
}

#[test]
fn audit_aggregates_count_statutory_and_local_misses_apart() {
    // Review 2 held Mon 1 Jun: late against Dudley only. As at Tue 2 Jun the only obligation done
    // late is that review: one late under local:dudley, none under statute.
    let a = aud("dudley", None, &dudley_second(r#",{"event":"review_held","date":"2026-06-01"}"#), "2026-06-02");
    let group =
        |key: &str| a.aggregates.by_basis.iter().find(|g| g.key == key).map(|g| g.counts.clone()).unwrap_or_default();
    assert_eq!(group("local:dudley").late, 1);
    assert_eq!(group("statutory").late, 0);
    // Review 1 (Mon 2 Mar, on its statutory deadline) is counted as met under statute.
    assert!(group("statutory").met >= 1);
    assert_eq!(a.breaches.iter().filter(|b| *b.breach.basis() == Basis::Statutory).count(), 0);
    // Held Wed 3 Jun instead: the late review is a statutory miss.
    let a = aud("dudley", None, &dudley_second(r#",{"event":"review_held","date":"2026-06-03"}"#), "2026-06-03");
    let late_statutory = a.aggregates.by_basis.iter().find(|g| g.key == "statutory").unwrap().counts.late;
    assert_eq!(late_statutory, 1);
    assert!(a.aggregates.to_csv().contains("\r\nbasis,statutory,"));
}

#[test]
fn the_isu_gives_the_decision_to_move_a_review_to_the_iro() {
    // Looked after Mon 2 Feb 2026, first review Mon 2 Mar; the second is due within three months,
    // Tue 2 Jun. On Mon 18 May it is moved from Fri 29 May to Wed 3 Jun: past statute's date. The
    // ISU procedure (s.4.2) has the IRO agree it, not the IRO service manager.
    let events =
        dudley_second(r#",{"event":"review_rearranged","date":"2026-05-18","from":"2026-05-29","to":"2026-06-03"}"#);
    let s = sched("isu-procedure", None, &events, "2026-05-18", 0);
    let a = one(&s, Duty::AuthoriseRearrangement, Some(2));
    assert_eq!(
        (a.role, a.basis.clone(), a.latest),
        (lac_timescales::model::Role::Iro, local("isu-procedure"), Some(d("2026-05-18")))
    );
    assert!(
        matches!(a.breach, Some(Breach::RearrangedPastDeadline { basis: Basis::Statutory, deadline, .. }) if deadline == d("2026-06-02"))
    );
    // Under statute alone the engine's default: the IRO service manager.
    let s = sched("england", None, &events, "2026-05-18", 0);
    assert_eq!(one(&s, Duty::AuthoriseRearrangement, Some(2)).role, lac_timescales::model::Role::IroServiceManager);
}

// ---- Point 5: roles survive a tie ----

use lac_timescales::model::Role;

#[test]
fn an_obligation_keeps_every_role_its_rules_name() {
    // SARS, review 2 held Wed 22 Apr 2026: decisions due 23, 24, 27, 28, 29 Apr = Wed 29 Apr (not
    // recorded); consideration within 5 working days of receipt: 30 Apr, 1 May, Mon 4 May a bank
    // holiday, 5, 6, 7 = Thu 7 May, by statute's senior manager and the checklist's team manager
    // alike. Statute binds on the tie; both roles stay.
    let s = sched(
        "sars-checklist",
        None,
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"review_held","date":"2026-04-22"}]"#,
        "2026-04-23",
        0,
    );
    let c = one(&s, Duty::ConsiderDecisions, Some(2));
    assert_eq!((c.latest, c.role), (Some(d("2026-05-07")), Role::SeniorManager));
    assert_eq!(c.roles.iter().collect::<Vec<_>>(), [Role::TeamManager, Role::SeniorManager]);
    let json = serde_json::to_value(c).unwrap();
    assert_eq!(json["role"], "senior_manager");
    assert_eq!(json["roles"], serde_json::json!(["team_manager", "senior_manager"]));
    // Dudley: the team manager authorises the decisions (no day fixed), statute's senior manager
    // has 5 working days from receipt. Review 1 held Thu 29 Jan 2026: decisions 30 Jan, 2, 3, 4,
    // 5 Feb = Thu 5 Feb; consideration 6, 9, 10, 11, 12 Feb = Thu 12 Feb.
    let s = sched(
        "dudley",
        None,
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"}]"#,
        "2026-01-30",
        0,
    );
    let c = one(&s, Duty::ConsiderDecisions, Some(1));
    assert_eq!((c.latest, c.role), (Some(d("2026-02-12")), Role::SeniorManager));
    assert!(c.roles.contains(Role::TeamManager) && c.roles.contains(Role::SeniorManager));
    // A duty with one rule has its one role.
    let r = one(&s, Duty::UpdateCarePlan, Some(1));
    assert_eq!(r.roles.iter().collect::<Vec<_>>(), [Role::SocialWorker]);
}
