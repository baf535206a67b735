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
    let why = talk.not_applicable().unwrap();
    assert!(why.contains("2025-12-23") && why.contains("2026-01-05"), "{why}");
    // Consultation documents 10 working days before: Fri 2 Jan 2026, also before 5 Jan.
    assert!(one(&s, Duty::SendConsultationDocuments, Some(1)).not_applicable().unwrap().contains("2026-01-02"));
    // The report 3 working days before (15, 14, 13): Tue 13 Jan, after 5 Jan: it applies.
    let report = one(&s, Duty::SubmitSocialWorkReport, Some(1));
    assert_eq!((report.latest, report.not_applicable()), (Some(d("2026-01-13")), None));
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
    assert!(one(&s, Duty::ConsultChildOnArrangements, Some(1)).not_applicable().is_some());
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
        (o.latest, o.basis.clone(), o.not_applicable()),
        (Some(d("2026-01-16")), lac_timescales::profile::Basis::Statutory, None)
    );
    let b = o.binding().unwrap();
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
    assert!(a.action.contains("past its date under the local procedure (dudley) 2026-05-31"), "{}", a.action);
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
    // Under statute alone nobody's authority is required (that is local practice, issue 10): no
    // authorisation obligation, and the breach is reported on review 2 itself.
    let s = sched("england", None, &events, "2026-05-18", 0);
    assert!(s.obligations.iter().all(|o| o.duty != Duty::AuthoriseRearrangement));
    let r2 = s.obligations.iter().find(|o| o.duty == Duty::HoldReview && o.review_number == Some(2)).unwrap();
    assert!(
        matches!(r2.breach, Some(Breach::RearrangedPastDeadline { basis: Basis::Statutory, deadline, .. }) if deadline == d("2026-06-02"))
    );
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

// ---- Point 6: each rule fires where its procedure applies ----

use lac_timescales::model::Regime;

/// Looked after Mon 5 Jan 2026; reviews Thu 29 Jan and Wed 22 Apr; placed for adoption Mon 1 Jun;
/// the first adoption review (the child's third review) held Mon 29 Jun, within four weeks.
const ADOPTION_REVIEW: &str = r#"[
  {"event":"became_looked_after","date":"2026-01-05"},
  {"event":"review_held","date":"2026-01-29"},
  {"event":"review_held","date":"2026-04-22"},
  {"event":"placed_for_adoption","date":"2026-06-01"},
  {"event":"review_held","date":"2026-06-29"}
]"#;

fn about(s: &Schedule, duty: Duty, regime: Regime, n: u32) -> Vec<&Obligation> {
    s.obligations.iter().filter(|o| o.duty == duty && o.regime == Some(regime) && o.review_number == Some(n)).collect()
}

#[test]
fn a_first_adoption_review_is_not_the_childs_first_review() {
    // Dudley's procedure covers children placed for adoption, but its "initial review" visit (15
    // working days before) is for the first review of the period of care, not the first review of
    // the adoption clock. The adoption review of Mon 29 Jun is the child's third: the subsequent-
    // review visit applies, 20 working days before: 26-22 Jun (5), 19-15 (10), 12-8 (15), 5-1 Jun
    // (20) = Mon 1 Jun; "within 4 weeks before" = Mon 1 Jun too.
    let s = sched("dudley", None, ADOPTION_REVIEW, "2026-06-29", 0);
    let v = about(&s, Duty::ConsultChildOnArrangements, Regime::AdoptionPlaced, 1);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].latest, Some(d("2026-06-01")));
    assert!(!v[0].citation.provision.contains("initial review"), "{}", v[0].citation.provision);
    assert!(v[0].binding().unwrap().iter().all(|c| !c.citation.provision.contains("initial review")));
    // The IRO's meeting before "the first review" (seed 004): only before review 1 of the period.
    let s = sched("iro-expectations", None, ADOPTION_REVIEW, "2026-06-29", 0);
    // (Its rule for every later review, by the day before, is the other rule of seed 004.)
    let meet: Vec<_> = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::IroMeetChild && o.citation.provision.contains("on allocation"))
        .map(|o| (o.regime, o.review_number, o.latest))
        .collect();
    assert_eq!(meet, [(Some(Regime::LookedAfter), Some(1), Some(d("2026-01-28")))]);
}

#[test]
fn the_isu_procedure_does_not_run_adoption_reviews() {
    // Seed 001 s.2: "In relation to children placed with prospective adopters or where there is
    // Authority to Place for Adoption, see the Adoption Reviews Procedure." No ISU rule applies to
    // the adoption review of 29 Jun; statute's duties remain (decisions 30 Jun, 1, 2, 3, 6 Jul =
    // Mon 6 Jul).
    let s = sched("isu-procedure", None, ADOPTION_REVIEW, "2026-06-29", 0);
    let on_adoption: Vec<_> = s
        .obligations
        .iter()
        .filter(|o| o.regime == Some(Regime::AdoptionPlaced))
        .filter(|o| {
            o.basis != Basis::Statutory || o.binding().is_some_and(|b| b.iter().any(|c| c.basis != Basis::Statutory))
        })
        .map(|o| o.duty)
        .collect();
    assert_eq!(on_adoption, []);
    let dec = about(&s, Duty::IssueDecisions, Regime::AdoptionPlaced, 1);
    assert_eq!((dec[0].latest, dec[0].basis.clone()), (Some(d("2026-07-06")), Basis::Statutory));
    // The looked-after review of 22 Apr still has the ISU's 5 working days before: 21, 20, 17,
    // 16, 15 = Wed 15 Apr.
    assert_eq!(about(&s, Duty::IroConsultSocialWorker, Regime::LookedAfter, 2)[0].latest, Some(d("2026-04-15")));
}

#[test]
fn a_clock_restarted_after_a_return_to_the_agency_has_no_second_first_review() {
    // Placed for adoption Mon 2 Mar 2026, returned to the agency Mon 16 Mar: the looked-after clock
    // restarts, its review 1 due 20 working days from the return: 17-20 (4), 23-27 (9), 30, 31 Mar,
    // 1, 2 Apr (13), Good Friday and Easter Monday skipped, 7-10 (17), 13, 14, 15 (20) = Wed 15 Apr.
    // It is the child's second review of the period: no first-review duty, the subsequent ones.
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"authority_to_place","date":"2026-02-16"},{"event":"placed_for_adoption","date":"2026-03-02"},
        {"event":"returned_to_agency","date":"2026-03-16"}]"#;
    let s = sched("iro-expectations", None, events, "2026-03-16", 0);
    let on_allocation =
        |o: &&Obligation| o.duty == Duty::IroMeetChild && o.citation.provision.contains("on allocation");
    assert_eq!(s.obligations.iter().filter(on_allocation).count(), 1);
    let s = sched("dudley", None, events, "2026-03-16", 0);
    let r1 = about(&s, Duty::HoldReview, Regime::LookedAfter, 1);
    assert!(r1.iter().any(|o| o.latest == Some(d("2026-04-15"))));
    // The subsequent visit: 20 working days before Wed 15 Apr: 14, 13, 10, 9, 8, 7 (6), Easter
    // skipped, 2, 1 Apr, 31, 30 Mar (10), 27-23 (15), 20-16 (20) = Mon 16 Mar.
    let visits: Vec<_> = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::ConsultChildOnArrangements && o.latest.is_some_and(|l| l > d("2026-03-01")))
        .collect();
    assert_eq!(visits.len(), 1, "{visits:#?}");
    assert_eq!(visits[0].latest, Some(d("2026-03-16")));
    assert!(visits[0].citation.provision.contains("Invitations"));
}

#[test]
fn a_review_without_a_meeting_has_no_meeting_duties() {
    // A review held without a meeting (long-term foster placement) on Tue 20 Oct 2026: no talk
    // with the child about who attends and where, no attendee list; the report and the decisions
    // still apply.
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"long_term_foster_placement","date":"2026-02-02"},{"event":"review_held","date":"2026-04-28"},
        {"event":"review_held","date":"2026-10-20","meeting":false}]"#;
    for id in ["isu-procedure", "dudley", "sars-checklist"] {
        let s = sched(id, None, events, "2026-11-01", 0);
        for duty in [Duty::ConsultChildOnArrangements, Duty::ProvideAttendeeList] {
            assert!(about(&s, duty, Regime::LookedAfter, 3).is_empty(), "{id} {duty}");
        }
        assert_eq!(about(&s, Duty::SubmitSocialWorkReport, Regime::LookedAfter, 3).len(), 1, "{id}");
        assert_eq!(about(&s, Duty::IssueDecisions, Regime::LookedAfter, 3).len(), 1, "{id}");
        // Review 2 (28 Apr, with a meeting) keeps them.
        assert_eq!(about(&s, Duty::ConsultChildOnArrangements, Regime::LookedAfter, 2).len(), 1, "{id}");
    }
}

#[test]
fn every_local_rule_about_a_review_states_its_regimes() {
    use lac_timescales::model::Anchor::*;
    for id in ["sars-checklist", "isu-procedure", "dudley", "iro-expectations"] {
        for r in Profile::builtin(id).unwrap().rules.iter().filter(|r| r.basis != Basis::Statutory) {
            let about_a_review = matches!(
                r.anchor,
                ReviewDate
                    | ReviewCompleted
                    | Midpoint
                    | LastReviewMeeting
                    | DecisionsReceived
                    | PreviousReview
                    | RegimeStart
            );
            if about_a_review {
                let regimes = r.regimes.as_ref().unwrap_or_else(|| panic!("{id} line {}: no regimes", r.line));
                assert!(!regimes.contains(&Regime::SecureAccommodation), "{id} line {}", r.line);
                if id == "isu-procedure" || id == "sars-checklist" {
                    assert_eq!(regimes, &[Regime::LookedAfter], "{id} line {}", r.line);
                }
            }
        }
    }
}

// ---- Point 7: the long-term foster placement meeting (seed 001 s.1, s.10) ----

#[test]
fn the_yearly_meeting_is_discharged_by_the_next_meeting_and_a_meeting_less_review_waits_12_months() {
    // Designated long-term Mon 2 Feb 2026 (12 months: Tue 2 Feb 2027). Reviews with a meeting Thu
    // 29 Jan, Tue 28 Apr and Tue 20 Oct 2026; Mon 19 Apr 2027 without one (after 2 Feb 2027:
    // allowed). As at Sat 1 May 2027.
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"long_term_foster_placement","date":"2026-02-02"},{"event":"review_held","date":"2026-04-28"},
        {"event":"review_held","date":"2026-10-20"},{"event":"review_held","date":"2027-04-19","meeting":false}]"#;
    let s = sched("isu-procedure", None, events, "2027-05-01", 0);
    let m: Vec<_> = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::HoldReviewMeeting && !o.projected)
        .map(|o| (o.review_number, o.latest, o.done))
        .collect();
    // From 29 Jan 2026 (the last meeting before the designation: it used to give no duty): due
    // Fri 29 Jan 2027, met on 28 Apr 2026. From 28 Apr: due Wed 28 Apr 2027, met on 20 Oct 2026
    // (it used to stay open, a false overdue). From 20 Oct: due Wed 20 Oct 2027, not yet done.
    assert_eq!(
        m,
        [
            (Some(1), Some(d("2027-01-29")), Some(d("2026-04-28"))),
            (Some(2), Some(d("2027-04-28")), Some(d("2026-10-20"))),
            (Some(3), Some(d("2027-10-20")), None)
        ]
    );
    let a = aud("isu-procedure", None, events, "2027-05-01");
    let statuses: Vec<_> = a
        .obligations
        .iter()
        .filter(|o| o.obligation.duty == Duty::HoldReviewMeeting && !o.obligation.projected)
        .map(|o| o.status.kind())
        .collect();
    assert_eq!(statuses, [StatusKind::Met, StatusKind::Met, StatusKind::Pending]);

    // The same, but the review of Tue 20 Oct 2026 held without a meeting: only 8½ months in the
    // placement. The meeting was needed at it: the duty from 28 Apr falls due on 20 Oct 2026 and,
    // with no meeting since, is overdue as at 1 May 2027.
    let too_soon = events.replace(
        r#"{"event":"review_held","date":"2026-10-20"}"#,
        r#"{"event":"review_held","date":"2026-10-20","meeting":false}"#,
    );
    let s = sched("isu-procedure", None, &too_soon, "2027-05-01", 0);
    let o = one(&s, Duty::HoldReviewMeeting, Some(2));
    assert_eq!((o.latest, o.done), (Some(d("2026-10-20")), None));
    let a = aud("isu-procedure", None, &too_soon, "2027-05-01");
    assert_eq!(found(&a, Duty::HoldReviewMeeting, Some(2)).status.kind(), StatusKind::Overdue);
    let explained = s
        .explain(
            s.obligations.iter().position(|x| std::ptr::eq(x, o)).unwrap(),
            &Calendar::england_and_wales(),
            case(None, &too_soon).events(),
        )
        .unwrap();
    assert!(explained.steps.iter().any(|x| x.contains("before the child had been 12 months")), "{explained:?}");
}

// ---- Point 8: smaller readings ----

#[test]
fn sars_quality_assurance_comes_before_the_report_across_easter() {
    // Review Tue 7 Apr 2026 (Easter Monday 6 Apr, Good Friday 3 Apr). Report 3 working days
    // before: 2, 1 Apr, 31 Mar = Tue 31 Mar. Quality assurance "at least 5 days before", in
    // working days: 2, 1, 31, 30, 27 = Fri 27 Mar, before the report is due (5 calendar days
    // before would be Thu 2 Apr, after it).
    let s = sched(
        "sars-checklist",
        None,
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"review_held","date":"2026-04-07"}]"#,
        "2026-04-07",
        0,
    );
    assert_eq!(one(&s, Duty::SubmitSocialWorkReport, Some(2)).latest, Some(d("2026-03-31")));
    assert_eq!(one(&s, Duty::QualityAssureReport, Some(2)).latest, Some(d("2026-03-27")));
}

#[test]
fn the_introduction_letter_is_for_children_aged_four_or_more() {
    // Looked after Mon 5 Jan 2026; the IRO allocated within 48 hours: Wed 7 Jan (not recorded, so
    // the letter counts from that deadline): due Fri 9 Jan. Born 6 Jan 2022: 4 on Tue 6 Jan
    // 2026, before the allocation: the letter is owed. Born 8 Jan 2022: 3 at the allocation: no
    // letter. Date of birth unknown: owed.
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"}]"#;
    let letter = |dob: Option<&str>| {
        let s = sched("iro-expectations", dob, events, "2026-01-05", 0);
        s.obligations.iter().filter(|o| o.duty == Duty::SendIntroductionLetter).map(|o| o.latest).collect::<Vec<_>>()
    };
    assert_eq!(letter(Some("2022-01-06")), [Some(d("2026-01-09"))]);
    assert_eq!(letter(Some("2022-01-08")), []);
    assert_eq!(letter(None), [Some(d("2026-01-09"))]);
}

#[test]
fn dudleys_five_day_discussion_is_for_subsequent_reviews() {
    // First review Thu 29 Jan 2026: the main text's 15 days before = Wed 14 Jan, alone (appendix
    // 4's 5 days is in its "subsequent reviews" column).
    let s = sched(
        "dudley",
        None,
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"}]"#,
        "2026-01-29",
        0,
    );
    let o = one(&s, Duty::IroConsultSocialWorker, Some(1));
    assert_eq!((o.latest, o.binding()), (Some(d("2026-01-14")), None));
}

// ---- Point 9: what a diary needs that nothing gave ----

#[test]
fn absence_risk_and_a_childs_request_tell_the_iro_under_the_isu_and_dudley() {
    // In England these are not statutory early-review triggers. Seed 001 s.2: "The IRO should be
    // consulted without delay, and consideration give to holding an early review" when the child
    // is persistently absent, at risk of harm, or asks for one; seed 002 for a child missing from
    // the placement or with safeguarding concerns. No day is fixed ("without delay").
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"child_absent","date":"2026-03-02"},{"event":"child_at_risk","date":"2026-03-09"},
        {"event":"child_requested_review","date":"2026-03-16"}]"#;
    let informs = |id: &str| -> Vec<(usize, Option<NaiveDate>, Role, Vec<Role>)> {
        sched(id, None, events, "2026-03-16", 0)
            .obligations
            .iter()
            .filter(|o| o.duty == Duty::InformIro)
            .map(|o| (o.triggered_by[0], o.latest, o.role, o.roles.iter().collect()))
            .collect()
    };
    let both = vec![Role::Iro, Role::SocialWorker];
    assert_eq!(
        informs("isu-procedure"),
        [
            (2, None, Role::SocialWorker, both.clone()),
            (3, None, Role::SocialWorker, both.clone()),
            (4, None, Role::SocialWorker, both.clone())
        ]
    );
    // Dudley: absence and risk; no rule for the child's own request outside adoption reviews.
    assert_eq!(informs("dudley"), [(2, None, Role::SocialWorker, both.clone()), (3, None, Role::SocialWorker, both)]);
    let a = aud("dudley", None, events, "2026-03-16");
    assert!(a.events[2].unmatched.is_none() && a.events[3].unmatched.is_none());
    let why = a.events[4].unmatched.as_deref().unwrap();
    assert!(why.contains("not a statutory early-review trigger") && why.contains("profile dudley"), "{why}");
    // Under statute alone: said plainly, for each.
    let a = aud("england", None, events, "2026-03-16");
    for i in 2..5 {
        let why = a.events[i].unmatched.as_deref().unwrap();
        assert!(why.starts_with("in England") && why.contains("isu-procedure and dudley"), "{why}");
    }
}

#[test]
fn permanence_plan_by_the_second_review_and_the_next_review_set_at_the_end_of_each() {
    // Looked after Mon 5 Jan 2026; review 1 Thu 29 Jan; review 2 adjourned Wed 22 Apr, completed
    // Wed 6 May. ISU s.9: the permanence plan at the second review (22 Apr, 0 days before); s.4.2:
    // the IRO sets the next review's date at the end of each review (29 Jan; 6 May, the
    // completing meeting).
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"review_adjourned","date":"2026-04-22"},{"event":"review_held","date":"2026-05-06"}]"#;
    let s = sched("isu-procedure", None, events, "2026-05-06", 0);
    let pp: Vec<_> = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::PermanencePlan)
        .map(|o| (o.review_number, o.latest, o.role))
        .collect();
    assert_eq!(pp, [(Some(2), Some(d("2026-04-22")), Role::SocialWorker)]);
    assert_eq!(one(&s, Duty::SetNextReviewDate, Some(1)).latest, Some(d("2026-01-29")));
    assert_eq!(one(&s, Duty::SetNextReviewDate, Some(2)).latest, Some(d("2026-05-06")));
    // Dudley: the IRO ensures a permanence plan ratified at the second review.
    let s = sched("dudley", None, events, "2026-05-06", 0);
    let o = one(&s, Duty::PermanencePlan, Some(2));
    assert_eq!((o.latest, o.role), (Some(d("2026-04-22")), Role::Iro));
}

#[test]
fn the_needs_assessment_starts_at_once_for_a_child_who_comes_into_care_after_fifteen_and_a_half() {
    // Born Sun 10 Jan 2010: 15½ on Fri 10 Jul 2025. Looked after from Sat 3 Jan 2026: Dudley's
    // assessment "when a young person in care reaches the age of 15½" is due at once, by the
    // first working day of care, Mon 5 Jan 2026 (it used to give no duty at all).
    let s = sched(
        "dudley",
        Some("2010-01-10"),
        r#"[{"event":"became_looked_after","date":"2026-01-03"}]"#,
        "2026-01-03",
        0,
    );
    let o = one(&s, Duty::StartNeedsAssessment, None);
    assert_eq!((o.latest, o.latest_working_day), (Some(d("2026-01-05")), Some(d("2026-01-05"))));
    // Statute's completion stays: 3 months after the 16th birthday (Sun 10 Jan 2026), or after
    // 13 weeks in care if later: 3 Jan + 91 days = Sat 4 Apr 2026; + 3 months = Sat 4 Jul 2026.
    assert_eq!(one(&s, Duty::CompleteNeedsAssessment, None).latest, Some(d("2026-07-04")));
}

#[test]
fn a_change_of_iro_brings_letters_to_the_child_under_dudley() {
    // Seed 002: "Introduction letters, profile cards and farewell letters will be provided to
    // children when children first come into care and should there be a change of IRO". No day
    // is fixed. Looked after Mon 5 Jan 2026; the IRO changed on Mon 2 Mar (event 2).
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"iro_changed","date":"2026-03-02"}]"#;
    let s = sched("dudley", None, events, "2026-03-02", 0);
    let letters: Vec<_> = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::SendIntroductionLetter)
        .map(|o| (o.triggered_by.to_vec(), o.latest, o.role, o.earliest))
        .collect();
    assert_eq!(
        letters,
        [(vec![0], None, Role::Iro, Some(d("2026-01-05"))), (vec![2], None, Role::Iro, Some(d("2026-03-02")))]
    );
    // Under statute alone the event records nothing, and the audit says so.
    let a = aud("england", None, events, "2026-03-02");
    assert!(a.events[2].unmatched.as_deref().unwrap().contains("no rule of profile england"));
    // A change of IRO for a child not looked after is impossible.
    let bad: Vec<serde_json::Value> = serde_json::from_str(r#"[{"event":"iro_changed","date":"2026-03-02"}]"#).unwrap();
    let evs = vec![Event::from_json(0, &bad[0]).unwrap()];
    let err = CaseHistory::new(Jurisdiction::England, Child::default(), evs).unwrap_err();
    assert!(err.to_string().contains("not looked after"), "{err}");
}

#[test]
fn the_isu_holds_a_review_before_the_child_stops_being_looked_after() {
    // ISU s.4.2: "A Looked After Review must take place before a decision is taken to cease
    // looking after the child." Looked after Mon 5 Jan 2026, review 1 Thu 29 Jan; the planned end
    // (accommodation_ending) Fri 20 Mar 2026. The review is due by the day before: Thu 19 Mar, the
    // same day as statute's reg 33(3) (named on a tie, the ISU's rule listed beside it).
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"accommodation_ending","date":"2026-03-20"}]"#;
    let early = |s: &Schedule| -> Vec<(Option<NaiveDate>, Vec<Basis>)> {
        s.obligations
            .iter()
            .filter(|o| o.duty == Duty::HoldReview && o.early)
            .map(|o| (o.latest, o.binding().into_iter().flatten().map(|c| c.basis.clone()).collect()))
            .collect()
    };
    let isu = sched("isu-procedure", None, events, "2026-03-20", 0);
    assert_eq!(early(&isu), [(Some(d("2026-03-19")), vec![Basis::Statutory, Basis::Local("isu-procedure".into())])]);
    // Under statute alone the same day, with no local rule listed.
    let eng = sched("england", None, events, "2026-03-20", 0);
    assert_eq!(early(&eng).len(), 1);
    assert_eq!(early(&eng)[0].0, Some(d("2026-03-19")));
    assert!(!early(&eng)[0].1.contains(&Basis::Local("isu-procedure".into())));
    // A review held on Wed 18 Mar, brought forward for it, discharges it (not overdue on 20 Mar).
    let held = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"review_held","date":"2026-03-18"},{"event":"accommodation_ending","date":"2026-03-20"}]"#;
    let a = aud("isu-procedure", None, held, "2026-03-20");
    let o = a.obligations.iter().find(|o| o.obligation.duty == Duty::HoldReview && o.obligation.early).unwrap();
    assert_eq!(o.obligation.done, Some(d("2026-03-18")));
}

#[test]
fn the_isu_shares_the_care_plan_with_parents_and_tells_absent_parents_the_outcome() {
    // ISU s.6: the Care Plan (Review) form shared with the child and parents "prior to the
    // review", and parents unable to attend "informed in writing of the outcome": no day fixed
    // for either; one of each per review (reviews Thu 29 Jan and Thu 23 Apr 2026), the social
    // worker's. Statute alone has neither.
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"review_held","date":"2026-04-23"}]"#;
    let s = sched("isu-procedure", None, events, "2026-04-23", 0);
    for n in [1, 2] {
        for duty in [Duty::ShareCarePlan, Duty::InformParentsOfOutcome] {
            let o = one(&s, duty, Some(n));
            assert_eq!((o.latest, o.role), (None, Role::SocialWorker), "{duty} {n}");
            assert_eq!(o.basis, Basis::Local("isu-procedure".into()));
        }
    }
    let e = sched("england", None, events, "2026-04-23", 0);
    assert!(!e.obligations.iter().any(|o| matches!(o.duty, Duty::ShareCarePlan | Duty::InformParentsOfOutcome)));
}

// ---- Session 8: citations as each document numbers them, quotes as written ----

/// The citation of the one rule of `profile` itself (statute's rules are not searched) for
/// `duty` whose quoted `text` contains `quoted`.
fn cited(profile: &str, duty: Duty, quoted: &str) -> lac_timescales::profile::Citation {
    let p = Profile::builtin(profile).unwrap();
    let own = Basis::Local(profile.into());
    let v: Vec<_> =
        p.rules_for(duty).filter(|r| r.basis == own && r.text.as_deref().is_some_and(|t| t.contains(quoted))).collect();
    assert_eq!(v.len(), 1, "{profile} {duty} {quoted:?}");
    (*v[0].citation).clone()
}

#[test]
fn each_local_rule_cites_the_section_its_words_are_in_as_the_seed_numbers_it() {
    // Seed 004 numbers its sections: the allocation and the letter are in "1. Duties of the Local
    // Authority" (which also says "The IRO should meet the child before the first Review."); the
    // key points of communication are a list in "3. Direct Engagement with Children".
    let s1 = "1. Duties of the Local Authority";
    assert_eq!(cited("iro-expectations", Duty::AppointIro, "within 48 hours").provision, s1);
    assert_eq!(cited("iro-expectations", Duty::SendIntroductionLetter, "introductory letter").provision, s1);
    assert_eq!(
        cited("iro-expectations", Duty::IroMeetChild, "prior to the day of the first review").provision,
        "1. Duties of the Local Authority; 3. Direct Engagement with Children: on allocation"
    );
    assert_eq!(
        cited("iro-expectations", Duty::IroContactChild, "Midway between reviews").provision,
        "3. Direct Engagement with Children: midway between reviews"
    );
    // Seed 002 (unnumbered headings): "When a young person in care reaches the aged of 15 ½" is
    // under "Pathway Plan Reviews" (the key-documents list only names the assessment); "to be sent
    // to the child and attendees within 20 working days" is under "The role and responsibility of
    // the Independent Reviewing Officer", and the appendix's "Following the CIC Review" repeats it.
    assert_eq!(cited("dudley", Duty::StartNeedsAssessment, "15 1/2").provision, "Pathway Plan Reviews");
    assert_eq!(
        cited("dudley", Duty::DistributeReviewRecord, "within 20 working days").provision,
        "The role and responsibility of the Independent Reviewing Officer; Following the CIC Review"
    );
}

#[test]
fn dudleys_appendix_is_quoted_as_written() {
    // Appendix 4's boxes, as the seed spells them ("witin", "meetin,g", "prrior"): a council
    // searching its own text for the quote finds it.
    for (duty, words) in [
        (Duty::ConsultChildOnArrangements, "witin 4 weeks"),
        (Duty::ProvideAttendeeList, "at least 4 weeks prior to the review meetin,g"),
        (Duty::IroConsultSocialWorker, "5 days prrior to the meeting"),
    ] {
        let c = cited("dudley", duty, words);
        assert!(c.provision.starts_with("Appendix 4"), "{duty}: {}", c.provision);
    }
}

#[test]
fn a_welsh_interval_rule_quotes_only_its_own_words() {
    // Wales reg 39(1) is "o fewn 20 diwrnod gwaith" (within 20 working days); reg 39(2)(a)-(b) are
    // the three and six months, and do not carry that phrase.
    let p = Profile::builtin("wales").unwrap();
    for r in p.rules_for(Duty::HoldReview) {
        let note = r.citation.note.as_deref().unwrap_or("");
        let says_20 = note.contains("20 diwrnod gwaith");
        let is_20_working_days = r.period.is_some_and(|x| x.to_string() == "20 working days");
        assert_eq!(says_20, is_20_working_days, "wales line {}: {} {note}", r.line, r.citation.provision);
    }
}

#[test]
fn dudleys_own_adjournment_rule_is_cited_beside_statutes() {
    // Seed 002: "The review may only be adjourned once and should be completed within 20 working
    // days from the date of the adjourned review." Looked after Mon 5 Jan 2026, review 1 Thu 29 Jan;
    // review 2 adjourned Wed 22 Apr and completed Wed 6 May. 20 working days from 22 Apr: 23-24
    // Apr = 2, 27-30 Apr = 6, Fri 1 May = 7, (Mon 4 May bank holiday), 5-8 May = 11, 11-15 = 16,
    // 18-21 = 20: Thu 21 May 2026, for statute's reg 36(2) (U) and Dudley's standard alike. On the
    // tie statute is named and Dudley's rule is listed beside it.
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"review_adjourned","date":"2026-04-22"},{"event":"review_held","date":"2026-05-06"}]"#;
    let considered = |profile: &str| -> Vec<(Basis, Option<NaiveDate>)> {
        let s = sched(profile, None, events, "2026-06-01", 0);
        let o = one(&s, Duty::CompleteAdjournedReview, Some(2));
        assert_eq!(
            (o.latest, o.done, o.basis.clone()),
            (Some(d("2026-05-21")), Some(d("2026-05-06")), Basis::Statutory)
        );
        o.binding().unwrap_or_default().iter().map(|c| (c.basis.clone(), c.latest)).collect()
    };
    assert_eq!(
        considered("dudley"),
        [(Basis::Statutory, Some(d("2026-05-21"))), (Basis::Local("dudley".into()), Some(d("2026-05-21")))]
    );
    assert!(considered("england").iter().all(|(b, _)| *b == Basis::Statutory));
    let c = cited(
        "dudley",
        Duty::CompleteAdjournedReview,
        "completed within 20 working days from the date of the adjourned review",
    );
    assert_eq!(
        (c.provision.as_str(), c.status),
        ("Process for Rearranging Review Meetings (adjournment)", lac_timescales::profile::Status::V)
    );
}

#[test]
fn the_isu_and_dudley_cite_their_own_iro_meeting_with_the_child_beside_statutes() {
    // Seed 001 s.8: "The IRO must speak with the child in person before each review" (s.5: "must
    // meet with the child before the review"); seed 002: "The IRO will visit or speak to the child
    // prior to their review". No day is fixed, so each is read as statute's reg 36(1)(b) is: at
    // the latest on the day of the review. Looked after Mon 5 Jan 2026, review 1 held Thu 29 Jan:
    // due Thu 29 Jan under every profile, statute named on the tie and the procedure's own rule
    // listed beside it (until session 8 only statute's unverified rule was cited).
    let events = r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"}]"#;
    for (profile, provision) in [
        (
            "isu-procedure",
            "s.8 Independent Reviewing Officer's Responsibilities; s.5 Invitations and the Child's Participation",
        ),
        ("dudley", "Invitations and the Importance of Child's Participation"),
    ] {
        let s = sched(profile, None, events, "2026-01-29", 0);
        let o = one(&s, Duty::IroSpeakToChild, Some(1));
        assert_eq!(
            (o.latest, o.role, o.basis.clone()),
            (Some(d("2026-01-29")), Role::Iro, Basis::Statutory),
            "{profile}"
        );
        let listed: Vec<_> = o.binding().unwrap_or_default().iter().map(|c| (c.basis.clone(), c.latest)).collect();
        assert_eq!(
            listed,
            [(Basis::Statutory, Some(d("2026-01-29"))), (Basis::Local(profile.into()), Some(d("2026-01-29")))],
            "{profile}"
        );
        assert_eq!(o.binding().unwrap()[1].citation.provision, provision, "{profile}");
    }
    // Statute alone, and a profile whose seed says nothing of it (SARS), list statute only.
    for profile in ["england", "sars-checklist"] {
        let s = sched(profile, None, events, "2026-01-29", 0);
        assert!(one(&s, Duty::IroSpeakToChild, Some(1)).binding().is_none(), "{profile}");
    }
}
