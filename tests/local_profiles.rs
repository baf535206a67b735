//! The four built-in local profiles, each against its seed: the dates below were worked out by
//! hand from a printed calendar and the seed's words (quoted in each profile's rules), never by
//! asking the engine. Also the binding rule: a local rule can tighten statute, never loosen it.

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, Jurisdiction, Regime, Role};
use lac_timescales::profile::{Basis, Profile, ProfileKind, Status};
use lac_timescales::schedule::{schedule, Obligation, Schedule, ScheduleOptions};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn run(profile: &str, dob: Option<&str>, events: &str, as_at: &str, horizon: u32) -> Schedule {
    let v: Vec<serde_json::Value> = serde_json::from_str(events).unwrap();
    let evs = v.iter().enumerate().map(|(i, e)| Event::from_json(i, e)).collect::<Result<Vec<_>, _>>().unwrap();
    let c = CaseHistory::new(Jurisdiction::England, Child { date_of_birth: dob.map(d) }, evs).unwrap();
    let p = Profile::builtin(profile).unwrap();
    let opts = ScheduleOptions { as_at: Some(d(as_at)), horizon_months: Some(horizon), local_calendar: None };
    schedule(&c, &p, &Calendar::england_and_wales(), &opts).unwrap()
}

fn local(id: &str) -> Basis {
    Basis::Local(id.into())
}

/// The one obligation for `duty` about review `n` (or not about a review when `n` is None).
fn one(s: &Schedule, duty: Duty, n: Option<u32>) -> &Obligation {
    let v: Vec<&Obligation> = s.obligations.iter().filter(|o| o.duty == duty && o.review_number == n).collect();
    assert_eq!(
        v.len(),
        1,
        "{duty} review {n:?}: {:#?}",
        s.obligations.iter().map(|o| (o.duty, o.review_number, o.latest)).collect::<Vec<_>>()
    );
    v[0]
}

fn review(s: &Schedule, n: u32) -> &Obligation {
    s.obligations
        .iter()
        .find(|o| {
            o.duty == Duty::HoldReview
                && !o.early
                && o.regime == Some(Regime::LookedAfter)
                && o.review_number == Some(n)
        })
        .unwrap()
}

/// (basis, latest) of every rule considered: earliest deadline first, statute first on a tie.
fn considered(o: &Obligation) -> Vec<(Basis, Option<NaiveDate>)> {
    o.binding().map(|v| v.iter().map(|c| (c.basis.clone(), c.latest)).collect()).unwrap_or_default()
}

/// Looked after Mon 5 Jan 2026; first review Thu 29 Jan; second adjourned Wed 22 Apr (Easter:
/// Good Friday 3 Apr, Easter Monday 6 Apr) and completed Wed 6 May (early May bank holiday Mon 4
/// May; spring bank holiday Mon 25 May).
const YEAR: &str = r#"[
  {"event":"became_looked_after","date":"2026-01-05"},
  {"event":"care_plan_started","date":"2026-01-05"},
  {"event":"review_held","date":"2026-01-29"},
  {"event":"review_adjourned","date":"2026-04-22"},
  {"event":"review_held","date":"2026-05-06"}
]"#;

#[test]
fn every_local_profile_loads_on_england_with_local_verified_rules_quoting_the_seed() {
    for (id, n_rules) in [("sars-checklist", 10), ("isu-procedure", 25), ("dudley", 29), ("iro-expectations", 5)] {
        let p = Profile::builtin(id).unwrap();
        assert_eq!(p.kind, ProfileKind::Local, "{id}");
        assert_eq!(p.jurisdiction, Jurisdiction::England, "{id}");
        assert_eq!(p.statutory().id, "england", "{id}");
        let statutory = Profile::statutory_for(Jurisdiction::England).rules.len();
        let locals: Vec<_> = p.rules.iter().filter(|r| r.basis == local(id)).collect();
        assert_eq!(locals.len(), n_rules, "{id}: local rules");
        assert_eq!(p.rules.len(), statutory + n_rules, "{id}: statute stays underneath, unchanged");
        for r in locals {
            assert_eq!(r.citation.status, Status::V, "{id} line {}: checked against the seed", r.line);
            assert!(r.citation.instrument.contains("seed 00"), "{id} line {}: names its seed", r.line);
            assert!(r.text.as_deref().is_some_and(|t| t.len() > 20), "{id} line {}: quotes the seed", r.line);
        }
    }
    assert_eq!(
        Profile::builtin_ids(),
        ["england", "wales", "sars-checklist", "isu-procedure", "dudley", "iro-expectations"]
    );
}

#[test]
fn every_duty_id_is_used_by_a_built_in_profile_or_by_the_engine() {
    let profiles: Vec<Profile> = Profile::builtin_ids().iter().map(|id| Profile::builtin(id).unwrap()).collect();
    for duty in Duty::ALL {
        let used = profiles.iter().any(|p| p.rules_for(*duty).next().is_some());
        // authorise_rearrangement is a local rule (Dudley), like every other duty a profile rule.
        assert!(used, "{duty} has no rule in any built-in profile");
    }
}

// ---- Dudley: "three months (90 days)", "six months (180 days)" ----

#[test]
fn dudley_90_days_cannot_loosen_three_months_from_31_january() {
    // First review Fri 31 Jan 2025. Three months: 31 Apr does not exist, so Wed 30 Apr 2025.
    // 90 days: Feb 28 is day 28, Mar 31 day 59, Apr 30 day 89, so Thu 1 May 2025.
    // Statute's 30 Apr is earlier and binds.
    let s = run(
        "dudley",
        None,
        r#"[{"event":"became_looked_after","date":"2025-01-06"},{"event":"review_held","date":"2025-01-31"}]"#,
        "2025-02-03",
        0,
    );
    let r = review(&s, 2);
    assert_eq!(r.latest, Some(d("2025-04-30")));
    assert_eq!(r.latest_working_day, Some(d("2025-04-30")));
    assert_eq!(r.basis, Basis::Statutory);
    assert_eq!(r.citation.provision, "reg 33(2)(a)");
    assert_eq!(considered(r), [(Basis::Statutory, Some(d("2025-04-30"))), (local("dudley"), Some(d("2025-05-01")))]);
}

#[test]
fn dudley_90_days_binds_when_earlier_than_three_months() {
    // Looked after Mon 2 Feb 2026; first review on its deadline, Mon 2 Mar (20 working days:
    // 3-6 Feb = 4, 9-13 = 9, 16-20 = 14, 23-27 = 19, 2 Mar = 20). From 2 Mar: 90 days = Sun
    // 31 May (Mar 31 day 29, Apr 30 day 59, May 31 day 90), last working day Fri 29 May; three
    // months = Tue 2 Jun. Dudley's 31 May binds.
    let s = run(
        "dudley",
        None,
        r#"[{"event":"became_looked_after","date":"2026-02-02"},{"event":"review_held","date":"2026-03-02"}]"#,
        "2026-03-03",
        0,
    );
    assert_eq!(review(&s, 1).breach, None);
    let r = review(&s, 2);
    assert_eq!((r.latest, r.latest_working_day), (Some(d("2026-05-31")), Some(d("2026-05-29"))));
    assert_eq!(r.basis, local("dudley"));
    assert_eq!(r.role, Role::LocalAuthority);
    assert_eq!(considered(r), [(local("dudley"), Some(d("2026-05-31"))), (Basis::Statutory, Some(d("2026-06-02")))]);
}

#[test]
fn dudley_and_statute_tie_in_a_leap_year_and_statute_is_named() {
    // First review Wed 31 Jan 2024. 90 days: Feb 29 day 29, Mar 31 day 60, Apr 30 day 90.
    // Three months: 31 Apr does not exist, so Tue 30 Apr. Same day: the statutory rule is named.
    let s = run(
        "dudley",
        None,
        r#"[{"event":"became_looked_after","date":"2024-01-08"},{"event":"review_held","date":"2024-01-31"}]"#,
        "2024-02-01",
        0,
    );
    let r = review(&s, 2);
    assert_eq!(r.latest, Some(d("2024-04-30")));
    assert_eq!(r.basis, Basis::Statutory);
    assert_eq!(considered(r), [(Basis::Statutory, Some(d("2024-04-30"))), (local("dudley"), Some(d("2024-04-30")))]);
}

#[test]
fn dudley_180_days_binds_before_six_months() {
    // Second review recorded on its original date, Wed 22 Apr 2026 (adjourned; Dudley records
    // the original date). 180 days: Apr 30 day 8, May 31 day 39, Jun 30 day 69, Jul 31 day 100,
    // Aug 31 day 131, Sep 30 day 161, Oct 19 day 180: Mon 19 Oct. Six months: Thu 22 Oct.
    let s = run("dudley", None, YEAR, "2026-06-01", 12);
    let r = review(&s, 3);
    assert_eq!((r.latest, r.latest_working_day), (Some(d("2026-10-19")), Some(d("2026-10-19"))));
    assert_eq!(r.basis, local("dudley"));
    assert!(r.citation.provision.contains("point 3"));
    assert_eq!(considered(r), [(local("dudley"), Some(d("2026-10-19"))), (Basis::Statutory, Some(d("2026-10-22")))]);
}

#[test]
fn dudley_duties_before_and_after_each_review() {
    let s = run("dudley", Some("2011-02-14"), YEAR, "2026-06-01", 12);
    // 24 hours after Mon 5 Jan: Tue 6 Jan, business support.
    let n = one(&s, Duty::NotifyReviewService, None);
    assert_eq!((n.latest, n.role), (Some(d("2026-01-06")), Role::ReviewAdministrator));
    // First review Thu 29 Jan: visit 15 working days before = Thu 8 Jan (28, 27, 26, 23, 22,
    // 21, 20, 19, 16, 15, 14, 13, 12, 9, 8).
    let v1 = one(&s, Duty::ConsultChildOnArrangements, Some(1));
    assert_eq!(v1.latest, Some(d("2026-01-08")));
    assert!(v1.citation.provision.contains("initial review"));
    // Second review Wed 22 Apr: 20 working days before, skipping Easter Monday 6 Apr and Good
    // Friday 3 Apr = Mon 23 Mar; "within 4 weeks before" = Wed 25 Mar. The earlier binds.
    let v2 = one(&s, Duty::ConsultChildOnArrangements, Some(2));
    assert_eq!(v2.latest, Some(d("2026-03-23")));
    assert_eq!(considered(v2), [(local("dudley"), Some(d("2026-03-23"))), (local("dudley"), Some(d("2026-03-25")))]);
    // Attendee list: 4 weeks before 22 Apr = 25 Mar; none for the first review.
    assert_eq!(one(&s, Duty::ProvideAttendeeList, Some(2)).latest, Some(d("2026-03-25")));
    assert!(s.obligations.iter().all(|o| !(o.duty == Duty::ProvideAttendeeList && o.review_number == Some(1))));
    // SW and IRO discuss: 15 days before 22 Apr = Tue 7 Apr; appendix 4's 5 days = Fri 17 Apr.
    let c2 = one(&s, Duty::IroConsultSocialWorker, Some(2));
    assert_eq!(c2.latest, Some(d("2026-04-07")));
    assert_eq!(considered(c2).len(), 2);
    // Report 3 days before 22 Apr: Sun 19 Apr, so by Fri 17 Apr.
    let rep = one(&s, Duty::SubmitSocialWorkReport, Some(2));
    assert_eq!((rep.latest, rep.latest_working_day), (Some(d("2026-04-19")), Some(d("2026-04-17"))));
    // Review 2 was adjourned on 22 Apr and completed on Wed 6 May. Post-review duties count from
    // the completing meeting (READING.md: the decisions are made when the review is completed).
    // Decisions on LCS within 5 working days of 6 May: 7, 8, 11, 12, 13 = Wed 13 May, the same
    // day as statute's 5 working days from completion: statute is named, both listed.
    let dec = one(&s, Duty::IssueDecisions, Some(2));
    assert_eq!((dec.latest, dec.basis.clone()), (Some(d("2026-05-13")), Basis::Statutory));
    assert_eq!(considered(dec), [(Basis::Statutory, Some(d("2026-05-13"))), (local("dudley"), Some(d("2026-05-13")))]);
    // Minutes within 5 working days (Dudley, Wed 13 May) against the full record in 15 (statute,
    // from 6 May: 7, 8, 11-15, 18-22, skip 25 May, 26, 27, 28 = Thu 28 May).
    let rec = one(&s, Duty::CompleteReviewRecord, Some(2));
    assert_eq!(considered(rec), [(local("dudley"), Some(d("2026-05-13"))), (Basis::Statutory, Some(d("2026-05-28")))]);
    // Record sent within 20 working days of 6 May: 28 May is the 15th, 29, 1 Jun, 2, 3, 4 Jun
    // (20th) = Thu 4 Jun, the same day as statute.
    assert_eq!(one(&s, Duty::DistributeReviewRecord, Some(2)).latest, Some(d("2026-06-04")));
    // Care plan updated and agreed within 10 working days of 6 May: 7, 8, 11, 12, 13, 14, 15,
    // 18, 19, 20 = Wed 20 May.
    assert_eq!(one(&s, Duty::UpdateCarePlan, Some(2)).latest, Some(d("2026-05-20")));
    let agree = one(&s, Duty::AgreeCarePlan, Some(2));
    assert_eq!((agree.latest, agree.role), (Some(d("2026-05-20")), Role::TeamManager));
    // Progress review at the mid-point: 29 Jan to the second review's deadline 29 Apr is 90 days;
    // half is 45: Sun 15 Mar, so by Fri 13 Mar.
    let pr = one(&s, Duty::ProgressReview, Some(1));
    assert_eq!((pr.latest, pr.latest_working_day), (Some(d("2026-03-15")), Some(d("2026-03-13"))));
    // Pathway needs assessment started at 15 and a half: 14 Feb 2011 + 186 months = Fri 14 Aug 2026.
    assert_eq!(one(&s, Duty::StartNeedsAssessment, None).latest, Some(d("2026-08-14")));
}

#[test]
fn dudley_fifteen_and_a_half_at_a_month_end() {
    // Born 31 Aug 2010: 186 months later is "31 Feb 2026", so the month's last day, Sat 28 Feb;
    // the last working day is Fri 27 Feb.
    let s =
        run("dudley", Some("2010-08-31"), r#"[{"event":"became_looked_after","date":"2026-01-05"}]"#, "2026-01-05", 0);
    let o = one(&s, Duty::StartNeedsAssessment, None);
    assert_eq!((o.latest, o.latest_working_day), (Some(d("2026-02-28")), Some(d("2026-02-27"))));
}

#[test]
fn dudley_records_an_adjourned_review_on_its_original_date() {
    let p = Profile::builtin("dudley").unwrap();
    assert_eq!(p.settings.adjourned_review_date, lac_timescales::profile::AdjournedReviewDate::Original);
}

// ---- SARS checklist ----

#[test]
fn sars_checklist_before_and_after_a_review_across_easter_and_may_bank_holidays() {
    let s = run(
        "sars-checklist",
        None,
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"review_held","date":"2026-04-22"}]"#,
        "2026-04-23",
        0,
    );
    // Review 2, Wed 22 Apr 2026. Working days back: 21, 20, 17, 16, 15, 14, 13, 10, 9, 8 (10th),
    // 7, skip Easter Monday 6 Apr and Good Friday 3 Apr, 2, 1, 31 Mar (14th), 30 (15th), 27,
    // 26, 25, 24, 23 (20th).
    let child = one(&s, Duty::ConsultChildOnArrangements, Some(2));
    assert_eq!(
        (child.latest, child.role, child.basis.clone()),
        (Some(d("2026-03-23")), Role::Iro, local("sars-checklist"))
    );
    assert_eq!(one(&s, Duty::IroConsultSocialWorker, Some(2)).latest, Some(d("2026-03-30")));
    let docs = one(&s, Duty::SendConsultationDocuments, Some(2));
    assert_eq!((docs.latest, docs.role), (Some(d("2026-04-08")), Role::ReviewAdministrator));
    // "at least 5 days before": read in working days like the rest of the checklist (issue 14;
    // it was calendar days, Fri 17 Apr): 21, 20, 17, 16, 15 = Wed 15 Apr.
    let qa = one(&s, Duty::QualityAssureReport, Some(2));
    assert_eq!((qa.latest, qa.role), (Some(d("2026-04-15")), Role::TeamManager));
    // 3 working days: 21, 20, 17.
    assert_eq!(one(&s, Duty::SubmitSocialWorkReport, Some(2)).latest, Some(d("2026-04-17")));
    // Decisions: 5 working days after completion (22 Apr): 23, 24, 27, 28, 29 = Wed 29 Apr, the
    // same day as the IRO Handbook: statute is named, both listed.
    let dec = one(&s, Duty::IssueDecisions, Some(2));
    assert_eq!(dec.latest, Some(d("2026-04-29")));
    assert_eq!(dec.basis, Basis::Statutory);
    assert_eq!(
        considered(dec),
        [(Basis::Statutory, Some(d("2026-04-29"))), (local("sars-checklist"), Some(d("2026-04-29")))]
    );
    // The team manager considers within 5 working days of receipt (assumed the decisions
    // deadline, 29 Apr): 30 Apr, 1 May, skip 4 May, 5, 6, 7 = Thu 7 May.
    let cons = one(&s, Duty::ConsiderDecisions, Some(2));
    assert_eq!(cons.latest, Some(d("2026-05-07")));
    assert_eq!(considered(cons).len(), 2);
    // Monitoring within 25 working days: ... 22 May is the 21st, skip 25 May, 26, 27, 28, 29.
    let mon = one(&s, Duty::MonitorProgress, Some(2));
    assert_eq!((mon.latest, mon.role), (Some(d("2026-05-29")), Role::Iro));
}

// ---- ISU procedure ----

#[test]
fn isu_procedure_appointment_decisions_from_the_meeting_and_case_summaries() {
    let s = run("isu-procedure", None, YEAR, "2026-06-01", 12);
    // IRO appointed within 5 working days of Mon 5 Jan: 6, 7, 8, 9, 12 = Mon 12 Jan.
    let a = one(&s, Duty::AppointIro, None);
    assert_eq!(
        (a.latest, a.role, a.basis.clone()),
        (Some(d("2026-01-12")), Role::IroServiceManager, local("isu-procedure"))
    );
    // Notify the ISU "as soon as": no day fixed.
    let n = one(&s, Duty::NotifyReviewService, None);
    assert_eq!((n.latest, n.role), (None, Role::SocialWorker));
    // Review 2 adjourned 22 Apr, completed Wed 6 May. The Decision Record "within five working
    // days of the meeting" counts from the meeting that completed the review: 7, 8, 11, 12, 13 =
    // Wed 13 May, the same day as statute (named on a tie).
    let dec = one(&s, Duty::IssueDecisions, Some(2));
    assert_eq!((dec.latest, dec.basis.clone()), (Some(d("2026-05-13")), Basis::Statutory));
    assert_eq!(
        considered(dec),
        [(Basis::Statutory, Some(d("2026-05-13"))), (local("isu-procedure"), Some(d("2026-05-13")))]
    );
    // Record within 15 working days of the review's completion (6 May): 7, 8 (2), 11-15 (7),
    // 18-22 (12), skip 25 May, 26, 27, 28 (15) = Thu 28 May, as statute.
    let rec = one(&s, Duty::CompleteReviewRecord, Some(2));
    assert_eq!(
        considered(rec),
        [(Basis::Statutory, Some(d("2026-05-28"))), (local("isu-procedure"), Some(d("2026-05-28")))]
    );
    // Distribution within 20 working days of completion (6 May), both: 28 May is the 15th, 29,
    // 1 Jun, 2, 3, 4 Jun (20th).
    let dist = one(&s, Duty::DistributeReviewRecord, Some(2));
    assert_eq!((dist.latest, dist.basis.clone()), (Some(d("2026-06-04")), Basis::Statutory));
    // Before review 2 (22 Apr): child 20 working days before = 23 Mar; IRO and social worker 5
    // working days before = Wed 15 Apr; Care Plan (Review) form 3 working days before = 17 Apr.
    assert_eq!(one(&s, Duty::ConsultChildOnArrangements, Some(2)).latest, Some(d("2026-03-23")));
    assert_eq!(one(&s, Duty::IroConsultSocialWorker, Some(2)).latest, Some(d("2026-04-15")));
    assert_eq!(one(&s, Duty::SubmitSocialWorkReport, Some(2)).latest, Some(d("2026-04-17")));
    // Case summaries 6, 12 and 18 months after the care plan started (5 Jan), each counted from
    // the start: Sun 5 Jul 2026 (by Fri 3 Jul), Tue 5 Jan 2027, Mon 5 Jul 2027.
    let sums: Vec<_> = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::CaseSummary)
        .map(|o| (o.review_number, o.latest, o.latest_working_day))
        .collect();
    assert_eq!(sums[0], (Some(1), Some(d("2026-07-05")), Some(d("2026-07-03"))));
    assert_eq!(sums[1], (Some(2), Some(d("2027-01-05")), Some(d("2027-01-05"))));
    // The planning horizon ends 1 Jun 2027; the next summary after it, Mon 5 Jul 2027, is shown
    // too, as the next review always is; no more.
    assert_eq!(sums[2], (Some(3), Some(d("2027-07-05")), Some(d("2027-07-05"))));
    assert_eq!(sums.len(), 3);
}

#[test]
fn isu_procedure_long_term_foster_meeting_and_dispute() {
    let s = run(
        "isu-procedure",
        None,
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
            {"event":"long_term_foster_placement","date":"2026-02-02"},{"event":"dispute_started","date":"2026-03-02"},
            {"event":"review_held","date":"2026-04-28"},{"event":"review_held","date":"2026-10-20","meeting":false}]"#,
        "2026-11-01",
        0,
    );
    // A meeting at least once a year in the long-term placement (designated Mon 2 Feb 2026), and
    // no review without a meeting before 12 months in it (seed 001 s.1 and s.10; issue 14 point 7
    // changed this test, which used to ignore both). From the 29 Jan meeting (the last before the
    // designation): due Fri 29 Jan 2027, discharged by the meeting of Tue 28 Apr 2026. From the
    // 28 Apr meeting: the next review, Tue 20 Oct 2026, was held without a meeting before 12
    // months in the placement (2 Feb 2027), so the meeting was due at it, 20 Oct 2026, and no
    // meeting has been held since. The next review (due Tue 20 Apr 2027, six months after 20 Oct)
    // is projected as held with a meeting, so a projected meeting is due a year after it: Thu 20
    // Apr 2028.
    let m: Vec<_> = s
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::HoldReviewMeeting)
        .map(|o| (o.latest, o.done, o.projected))
        .collect();
    assert_eq!(
        m,
        [
            (Some(d("2026-10-20")), None, false),
            (Some(d("2027-01-29")), Some(d("2026-04-28")), false),
            (Some(d("2028-04-20")), None, true)
        ]
    );
    // Dispute started Mon 2 Mar: 20 working days = 3-6 (4), 9-13 (9), 16-20 (14), 23-27 (19),
    // Mon 30 Mar (20).
    let dsp = one(&s, Duty::ResolveDispute, None);
    assert_eq!((dsp.latest, dsp.role), (Some(d("2026-03-30")), Role::IroServiceManager));
}

// ---- IRO expectations ----

#[test]
fn iro_expectations_allocation_letter_first_meeting_and_midway_contact() {
    let s = run("iro-expectations", None, YEAR, "2026-06-01", 12);
    // 48 hours from Mon 5 Jan (a date, no time): Wed 7 Jan. The letter 48 hours after the
    // allocation deadline: Fri 9 Jan.
    assert_eq!(one(&s, Duty::AppointIro, None).latest, Some(d("2026-01-07")));
    assert_eq!(one(&s, Duty::SendIntroductionLetter, None).latest, Some(d("2026-01-09")));
    // Meet the child before the day of their first review (Thu 29 Jan): Wed 28 Jan, under the
    // "on allocation" rule. Before later reviews too, "only in the rarest of occasions"
    // immediately before (issue 14 point 9; this test used to say none): review 2 on Wed 22 Apr,
    // by Tue 21 Apr.
    let first = one(&s, Duty::IroMeetChild, Some(1));
    assert_eq!((first.latest, first.binding()), (Some(d("2026-01-28")), None));
    assert!(first.citation.provision.contains("on allocation"));
    assert_eq!(one(&s, Duty::IroMeetChild, Some(2)).latest, Some(d("2026-04-21")));
    // Midway between review 1 (29 Jan) and review 2's deadline (29 Apr): Sun 15 Mar, by Fri 13 Mar.
    let c = one(&s, Duty::IroContactChild, Some(1));
    assert_eq!((c.latest, c.latest_working_day), (Some(d("2026-03-15")), Some(d("2026-03-13"))));
}

#[test]
fn iro_expectations_letter_counts_from_a_recorded_allocation() {
    // Allocated on Tue 6 Jan (recorded): the letter is due 48 hours later, Thu 8 Jan.
    let s = run(
        "iro-expectations",
        None,
        r#"[{"event":"became_looked_after","date":"2026-01-05"},{"event":"duty_done","duty":"appoint_iro","date":"2026-01-06"}]"#,
        "2026-01-06",
        0,
    );
    assert_eq!(one(&s, Duty::SendIntroductionLetter, None).latest, Some(d("2026-01-08")));
}

#[test]
fn dudley_progress_review_survives_a_placement_for_adoption_after_the_mid_point_only() {
    // Review 1 on Thu 29 Jan 2026; review 2 would be due Wed 29 Apr; the mid-point is Sun 15 Mar.
    // Placed for adoption on Fri 20 Mar (after it): the looked-after clock stops, review 2 never
    // falls due, but the progress review of 15 Mar was already owed. Placed on Tue 10 Mar
    // (before it): there is no mid-point duty.
    let base = r#"{"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"authority_to_place","date":"2026-03-02"}"#;
    let after = run(
        "dudley",
        None,
        &format!(r#"[{base},{{"event":"placed_for_adoption","date":"2026-03-20"}}]"#),
        "2026-03-20",
        0,
    );
    let pr: Vec<_> = after
        .obligations
        .iter()
        .filter(|o| o.duty == Duty::ProgressReview && o.regime == Some(Regime::LookedAfter))
        .map(|o| (o.review_number, o.latest, o.latest_working_day))
        .collect();
    assert_eq!(pr, [(Some(1), Some(d("2026-03-15")), Some(d("2026-03-13")))]);
    let before = run(
        "dudley",
        None,
        &format!(r#"[{base},{{"event":"placed_for_adoption","date":"2026-03-10"}}]"#),
        "2026-03-10",
        0,
    );
    assert!(before
        .obligations
        .iter()
        .all(|o| !(o.duty == Duty::ProgressReview && o.regime == Some(Regime::LookedAfter))));
}

// ---- Issue 14, point 1: after an adjourned review, duties count from the completing meeting ----

/// Looked after Tue 27 Oct 2026; first review due 20 working days later: 28-30 Oct (3), 2-6 Nov
/// (8), 9-13 (13), 16-20 (18), 23, 24 Nov (20) = Tue 24 Nov. Adjourned that day, completed Mon
/// 21 Dec (within 20 working days: 25, 26, 27 Nov, 30 Nov-4 Dec, 7-11, 14-18, 21 Dec is the 19th).
const ADJOURNED_AT_CHRISTMAS: &str = r#"[
  {"event":"became_looked_after","date":"2026-10-27"},
  {"event":"review_adjourned","date":"2026-11-24"},
  {"event":"review_held","date":"2026-12-21"}
]"#;

#[test]
fn post_review_duties_of_an_adjourned_review_count_from_the_completing_meeting() {
    // Counted from the adjourned meeting (24 Nov), Dudley's decisions fell due on Tue 1 Dec,
    // before the review existed. From the completing meeting, Mon 21 Dec 2026: 22 (1), 23 (2),
    // 24 (3), Fri 25 Christmas Day, Mon 28 the Boxing Day substitute, 29 (4), 30 (5) = Wed 30 Dec.
    let s = run("dudley", None, ADJOURNED_AT_CHRISTMAS, "2026-12-21", 0);
    let dec = one(&s, Duty::IssueDecisions, Some(1));
    assert_eq!(considered(dec), [(Basis::Statutory, Some(d("2026-12-30"))), (local("dudley"), Some(d("2026-12-30")))]);
    // Minutes in 5 working days: also Wed 30 Dec (statute's full record: 15 working days).
    assert_eq!(one(&s, Duty::CompleteReviewRecord, Some(1)).latest, Some(d("2026-12-30")));
    // Sent within 20 working days: 22, 23, 24, 29, 30, 31 (6), Fri 1 Jan 2027 a bank holiday,
    // 4-8 Jan (11), 11-15 (16), 18, 19, 20, 21 (20) = Thu 21 Jan 2027.
    assert_eq!(one(&s, Duty::DistributeReviewRecord, Some(1)).latest, Some(d("2027-01-21")));
    // Care plan within 10 working days: 22, 23, 24, 29, 30, 31 (6), 4, 5, 6, 7 Jan (10) = Thu 7 Jan.
    assert_eq!(one(&s, Duty::UpdateCarePlan, Some(1)).latest, Some(d("2027-01-07")));
    assert_eq!(one(&s, Duty::AgreeCarePlan, Some(1)).latest, Some(d("2027-01-07")));
    // No post-review duty of any profile falls before the completing meeting (the next review's
    // date is set on its day).
    for id in ["dudley", "isu-procedure", "sars-checklist", "iro-expectations", "england"] {
        let s = run(id, None, ADJOURNED_AT_CHRISTMAS, "2026-12-21", 0);
        for o in s.obligations.iter().filter(|o| o.earliest.is_some() && o.review_number == Some(1)) {
            if o.duty != Duty::CompleteAdjournedReview && o.duty != Duty::HoldReview {
                assert!(o.latest.is_none_or(|l| l >= d("2026-12-21")), "{id} {} due {:?}", o.duty, o.latest);
            }
        }
    }
    // ISU: the Decision Record on the same Wed 30 Dec; the record within 15 working days of the
    // completion: 31 Dec is the 6th, 4-8 Jan (11), 11, 12, 13, 14 (15) = Thu 14 Jan 2027.
    let s = run("isu-procedure", None, ADJOURNED_AT_CHRISTMAS, "2026-12-21", 0);
    assert_eq!(one(&s, Duty::IssueDecisions, Some(1)).latest, Some(d("2026-12-30")));
    assert_eq!(one(&s, Duty::CompleteReviewRecord, Some(1)).latest, Some(d("2027-01-14")));
}

#[test]
fn no_built_in_rule_counts_a_post_review_duty_from_the_adjourned_meeting() {
    // A rule counted after `review_date` counts from the first (possibly adjourned) meeting: only
    // the completion of an adjourned review itself may do that (reg 36(2): 20 working days from
    // the adjournment). Every other post-review duty counts from `review_completed`.
    for id in Profile::builtin_ids() {
        for r in Profile::builtin(id).unwrap().rules.iter() {
            if r.anchor == lac_timescales::model::Anchor::ReviewDate
                && r.direction == lac_timescales::period::Direction::After
            {
                assert_eq!(r.duty, Duty::CompleteAdjournedReview, "{id} line {}", r.line);
            }
        }
    }
}
