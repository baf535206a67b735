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
