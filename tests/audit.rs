//! The audit: every status with days worked out by hand from the 2026 calendar, duty_done
//! matching, event accounting, breaches and the JSON boundary.
//!
//! 2026 bank holidays used: Good Friday 3 Apr, Easter Monday 6 Apr, early May Monday 4 May.

use chrono::NaiveDate;
use lac_timescales::audit::{audit, Audit, AuditOptions, AuditedObligation, Status, StatusKind};
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, Jurisdiction};
use lac_timescales::profile::Basis;
use lac_timescales::profile::Profile;
use lac_timescales::schedule::Breach;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn case(dob: Option<&str>, events: &str) -> CaseHistory {
    let v: Vec<serde_json::Value> = serde_json::from_str(events).unwrap();
    let evs = v.iter().enumerate().map(|(i, e)| Event::from_json(i, e)).collect::<Result<Vec<_>, _>>().unwrap();
    CaseHistory::new(Jurisdiction::England, Child { date_of_birth: dob.map(d) }, evs).unwrap()
}

fn run(dob: Option<&str>, events: &str, as_at: &str) -> Audit {
    run_with("england", dob, events, as_at)
}

fn run_with(profile: &str, dob: Option<&str>, events: &str, as_at: &str) -> Audit {
    let c = case(dob, events);
    let opts = AuditOptions { as_at: Some(d(as_at)), ..Default::default() };
    audit(&c, &Profile::builtin(profile).unwrap(), &Calendar::england_and_wales(), &opts).unwrap()
}

fn find(a: &Audit, duty: Duty, n: Option<u32>) -> &AuditedObligation {
    a.obligations
        .iter()
        .find(|o| o.obligation.duty == duty && o.obligation.review_number == n && !o.obligation.early)
        .unwrap_or_else(|| panic!("no {duty} {n:?} in {:#?}", a.obligations))
}

const LAC_1_JAN: &str = r#"{"event":"became_looked_after","date":"2026-01-01"}"#;

#[test]
fn met_with_margin() {
    // Looked after Thu 1 Jan 2026: review 1 due Thu 29 Jan (20 working days). Held Fri 23 Jan:
    // working days after it up to the deadline are Mon 26, Tue 27, Wed 28, Thu 29 = 4; 6 calendar days.
    let a = run(None, &format!(r#"[{LAC_1_JAN}, {{"event":"review_held","date":"2026-01-23"}}]"#), "2026-01-23");
    let r = find(&a, Duty::HoldReview, Some(1));
    assert_eq!(r.status, Status::Met { done: d("2026-01-23"), margin_working_days: 4, margin_calendar_days: 6 });
    assert_eq!(r.done_by_event, Some(1));
    // Held on the deadline itself: a margin of 0.
    let a = run(None, &format!(r#"[{LAC_1_JAN}, {{"event":"review_held","date":"2026-01-29"}}]"#), "2026-01-29");
    assert_eq!(
        find(&a, Duty::HoldReview, Some(1)).status,
        Status::Met { done: d("2026-01-29"), margin_working_days: 0, margin_calendar_days: 0 }
    );
}

/// Looked after Mon 19 Jan 2026; review 1 held Mon 2 Feb; review 2 is due within 3 months of
/// 2 Feb: Sat 2 May 2026 (legal deadline), last working day Fri 1 May.
fn second_review_held(on: &str) -> Audit {
    run(
        None,
        &format!(
            r#"[{{"event":"became_looked_after","date":"2026-01-19"}},
                {{"event":"review_held","date":"2026-02-02"}},
                {{"event":"review_held","date":"{on}"}}]"#
        ),
        on,
    )
}

#[test]
fn late_across_a_weekend_deadline_and_a_bank_holiday() {
    // Review 1: due Mon 16 Feb (20 working days after Mon 19 Jan), held Mon 2 Feb: 10 working days
    // to spare (3-6 Feb, 9-13 Feb, 16 Feb) and 14 calendar days.
    let a = second_review_held("2026-05-05");
    assert_eq!(
        find(&a, Duty::HoldReview, Some(1)).status,
        Status::Met { done: d("2026-02-02"), margin_working_days: 10, margin_calendar_days: 14 }
    );
    // Review 2 due Sat 2 May, held Tue 5 May: 3 calendar days late; of Sun 3, Mon 4 (early May
    // bank holiday) and Tue 5 only Tue 5 is a working day: 1 working day late.
    let r2 = find(&a, Duty::HoldReview, Some(2));
    assert_eq!(r2.obligation.latest, Some(d("2026-05-02")));
    assert_eq!(r2.obligation.latest_working_day, Some(d("2026-05-01")));
    assert_eq!(r2.status, Status::Late { done: d("2026-05-05"), late_working_days: 1, late_calendar_days: 3 });
    assert_eq!(r2.done_by_event, Some(2));
    // The schedule's own breach agrees, and the audit lists it.
    let want = Breach::LateReview {
        held: d("2026-05-05"),
        working_days_late: 1,
        calendar_days_late: 3,
        basis: Basis::Statutory,
    };
    assert!(a.breaches.iter().any(|b| b.obligation == r2.index && b.breach == want), "{:#?}", a.breaches);

    // Held Sun 3 May: 1 calendar day late, 0 working days (no working day after the deadline).
    let a = second_review_held("2026-05-03");
    assert_eq!(
        find(&a, Duty::HoldReview, Some(2)).status,
        Status::Late { done: d("2026-05-03"), late_working_days: 0, late_calendar_days: 1 }
    );
    // Held Sat 2 May, on the legal deadline (a Saturday): met, nothing to spare.
    let a = second_review_held("2026-05-02");
    assert_eq!(
        find(&a, Duty::HoldReview, Some(2)).status,
        Status::Met { done: d("2026-05-02"), margin_working_days: 0, margin_calendar_days: 0 }
    );
    // Held Fri 1 May: 1 calendar day to spare but no working day (Sat 2 May is not one).
    let a = second_review_held("2026-05-01");
    assert_eq!(
        find(&a, Duty::HoldReview, Some(2)).status,
        Status::Met { done: d("2026-05-01"), margin_working_days: 0, margin_calendar_days: 1 }
    );
}

#[test]
fn overdue_and_pending() {
    // Review 1 due Thu 29 Jan. As at Mon 2 Feb, not held: overdue by Fri 30 Jan and Mon 2 Feb =
    // 2 working days, 4 calendar days.
    let a = run(None, &format!("[{LAC_1_JAN}]"), "2026-02-02");
    assert_eq!(
        find(&a, Duty::HoldReview, Some(1)).status,
        Status::Overdue { overdue_working_days: 2, overdue_calendar_days: 4 }
    );
    // As at Mon 26 Jan: pending, Tue 27, Wed 28, Thu 29 left = 3 working days, 3 calendar days.
    let a = run(None, &format!("[{LAC_1_JAN}]"), "2026-01-26");
    assert_eq!(
        find(&a, Duty::HoldReview, Some(1)).status,
        Status::Pending { working_days_left: 3, calendar_days_left: 3 }
    );
    // As at the deadline itself: still pending, 0 left.
    let a = run(None, &format!("[{LAC_1_JAN}]"), "2026-01-29");
    assert_eq!(
        find(&a, Duty::HoldReview, Some(1)).status,
        Status::Pending { working_days_left: 0, calendar_days_left: 0 }
    );
}

#[test]
fn not_applicable_no_deadline_and_assumed_review_passed() {
    // A significant change in England creates an early review with no day fixed.
    let a = run(None, &format!(r#"[{LAC_1_JAN}, {{"event":"significant_change","date":"2026-01-10"}}]"#), "2026-01-12");
    let early = a.obligations.iter().find(|o| o.obligation.early).expect("early review");
    assert_eq!(early.status.kind(), StatusKind::NotApplicable);
    assert!(matches!(&early.status, Status::NotApplicable { reason } if reason.contains("no deadline")));

    // No review held by Mon 2 Mar: the review is overdue, and the decisions of the review assumed
    // on Thu 29 Jan (due Thu 5 Feb) are not applicable rather than overdue.
    let a = run(None, &format!("[{LAC_1_JAN}]"), "2026-03-02");
    assert_eq!(find(&a, Duty::HoldReview, Some(1)).status.kind(), StatusKind::Overdue);
    let dec = find(&a, Duty::IssueDecisions, Some(1));
    assert!(dec.obligation.projected);
    assert_eq!(dec.obligation.latest, Some(d("2026-02-05")));
    assert!(matches!(&dec.status, Status::NotApplicable { reason } if reason.contains("assumed review")));
}

#[test]
fn not_applicable_when_care_ends_before_the_deadline() {
    // Born 10 Jan 2010, looked after from Mon 2 Jun 2025: the pathway needs assessment is due
    // within 3 months of the 16th birthday, Sat 10 Jan 2026: Fri 10 Apr 2026.
    let events = |ceased: &str| {
        format!(
            r#"[{{"event":"became_looked_after","date":"2025-06-02"}},
                {{"event":"ceased_to_be_looked_after","date":"{ceased}"}}]"#
        )
    };
    // Care ended on Mon 2 Mar, before the deadline: the duty fell away.
    let a = run(Some("2010-01-10"), &events("2026-03-02"), "2026-05-01");
    let na = find(&a, Duty::CompleteNeedsAssessment, None);
    assert_eq!(na.obligation.latest, Some(d("2026-04-10")));
    assert!(matches!(&na.status, Status::NotApplicable { reason } if reason.contains("2026-03-02")), "{na:?}");
    // Care ended on Mon 20 Apr, after it: overdue as at Fri 1 May by 13-17, 20-24, 27 Apr-1 May =
    // 15 working days, 21 calendar days.
    let a = run(Some("2010-01-10"), &events("2026-04-20"), "2026-05-01");
    assert_eq!(
        find(&a, Duty::CompleteNeedsAssessment, None).status,
        Status::Overdue { overdue_working_days: 15, overdue_calendar_days: 21 }
    );
}

/// Review 1 held Fri 23 Jan (decisions due Fri 30 Jan), review 2 held Mon 20 Apr (decisions due
/// Mon 27 Apr: 21, 22, 23, 24, 27 Apr), then `extra` events.
fn two_reviews(extra: &str, as_at: &str) -> Audit {
    run(
        None,
        &format!(
            r#"[{LAC_1_JAN}, {{"event":"review_held","date":"2026-01-23"}},
                {{"event":"review_held","date":"2026-04-20"}}{extra}]"#
        ),
        as_at,
    )
}

#[test]
fn duty_done_without_a_number_matches_the_obligation_then_due() {
    // Done Fri 24 Apr: review 2's decisions (due Mon 27 Apr), with 1 working day and 3 calendar
    // days to spare. Review 1's decisions (due Fri 30 Jan) stay overdue.
    let a = two_reviews(r#", {"event":"duty_done","date":"2026-04-24","duty":"issue_decisions"}"#, "2026-04-24");
    let r2 = find(&a, Duty::IssueDecisions, Some(2));
    assert_eq!(r2.obligation.latest, Some(d("2026-04-27")));
    assert_eq!(r2.status, Status::Met { done: d("2026-04-24"), margin_working_days: 1, margin_calendar_days: 3 });
    assert_eq!(r2.done_by_event, Some(3));
    assert_eq!(find(&a, Duty::IssueDecisions, Some(1)).status.kind(), StatusKind::Overdue);
    assert_eq!(a.events[3].done, vec![r2.index]);

    // Done Tue 5 May, after every deadline: the most recent one missed (review 2), late by
    // 28, 29, 30 Apr, 1 May, 5 May = 5 working days (4 May is a bank holiday), 8 calendar days.
    let a = two_reviews(r#", {"event":"duty_done","date":"2026-05-05","duty":"issue_decisions"}"#, "2026-05-05");
    assert_eq!(
        find(&a, Duty::IssueDecisions, Some(2)).status,
        Status::Late { done: d("2026-05-05"), late_working_days: 5, late_calendar_days: 8 }
    );
    // With review_number 1 it is review 1's, late from Fri 30 Jan.
    let a = two_reviews(
        r#", {"event":"duty_done","date":"2026-05-05","duty":"issue_decisions","review_number":1}"#,
        "2026-05-05",
    );
    // Working days after Fri 30 Jan to Tue 5 May: February 20, March 22, April 22 - 2 holidays
    // = 20, May 1 and 5 = 2: 64. Calendar: 29 (to 28 Feb) + 31 + 30 + 5 = 95.
    assert_eq!(
        find(&a, Duty::IssueDecisions, Some(1)).status,
        Status::Late { done: d("2026-05-05"), late_working_days: 64, late_calendar_days: 95 }
    );
    // Review 2's decisions (due Mon 27 Apr) are then still not done as at 5 May.
    assert_eq!(find(&a, Duty::IssueDecisions, Some(2)).status.kind(), StatusKind::Overdue);
}

#[test]
fn unmatched_events_say_why() {
    let a = two_reviews(
        r#", {"event":"duty_done","date":"2026-04-21","duty":"issue_decisions","review_number":7},
            {"event":"duty_done","date":"2026-04-21","duty":"resolve_dispute"},
            {"event":"duty_done","date":"2026-04-22","duty":"issue_decisions","review_number":1},
            {"event":"duty_done","date":"2026-04-22","duty":"issue_decisions","review_number":1},
            {"event":"duty_done","date":"2026-04-22","duty":"complete_review_record","review_number":3},
            {"event":"long_term_foster_placement","date":"2026-04-23"}"#,
        "2026-04-24",
    );
    let reason = |i: usize| a.events[i].unmatched.clone().unwrap_or_default();
    // Duties after a review are matched to a review by one rule, the schedule's too (issue 14).
    assert_eq!(
        reason(3),
        "no review 7 was held in this period of care, so no obligation for duty issue_decisions follows it"
    );
    assert_eq!(reason(4), "no obligation for duty resolve_dispute in this schedule");
    assert_eq!(a.events[5].done, vec![find(&a, Duty::IssueDecisions, Some(1)).index]);
    assert!(a.events[5].unmatched.is_none());
    assert_eq!(reason(6), "the obligation for duty issue_decisions after review 1 is already recorded as done");
    // Review 3's record is a projected duty that arises only once review 3 is held (after 22 Apr).
    assert_eq!(
        reason(7),
        "no review 3 was held in this period of care, so no obligation for duty complete_review_record follows it"
    );
    assert_eq!(reason(8), "no rule of profile england creates or records an obligation from it");
    // Every event is accounted for: matched, or unmatched with a reason, never both.
    assert_eq!(a.events.len(), 9);
    for e in &a.events {
        assert_eq!(e.done.is_empty() && e.triggered.is_empty(), e.unmatched.is_some(), "{e:?}");
    }
    // Every obligation index an event names exists and names the event back.
    for e in &a.events {
        for &k in e.triggered.iter().chain(&e.done) {
            let o = &a.obligations[k];
            assert!(o.obligation.triggered_by.contains(&e.index) || o.done_by_event == Some(e.index));
        }
    }
}

#[test]
fn breaches_are_listed_with_their_obligations() {
    // Review 1 held Fri 23 Jan; review 2 due Thu 23 Apr, moved on 1 Apr from 20 to 28 Apr (past
    // the deadline), adjourned on 28 Apr and again on 5 May (a second adjournment), completed 12 May.
    let events = format!(
        r#"[{LAC_1_JAN}, {{"event":"review_held","date":"2026-01-23"}},
            {{"event":"review_rearranged","date":"2026-04-01","from":"2026-04-20","to":"2026-04-28"}},
            {{"event":"review_adjourned","date":"2026-04-28"}},
            {{"event":"review_adjourned","date":"2026-05-05"}},
            {{"event":"review_held","date":"2026-05-12"}}]"#
    );
    // Dudley's procedure (seed 002) asks for the IRO service manager's authority for a move past
    // the statutory date: an obligation of that local rule carries the breach.
    let a = run_with("dudley", None, &events, "2026-05-12");
    let by_duty = |duty: Duty| a.breaches.iter().find(|b| b.duty == duty).unwrap_or_else(|| panic!("{duty}"));
    let ra = by_duty(Duty::AuthoriseRearrangement);
    assert_eq!(
        ra.breach,
        Breach::RearrangedPastDeadline {
            from: d("2026-04-20"),
            to: d("2026-04-28"),
            deadline: d("2026-04-23"),
            basis: Basis::Statutory
        }
    );
    assert_eq!(a.obligations[ra.obligation].obligation.duty, Duty::AuthoriseRearrangement);
    // The authorisation was due when the move was made (1 Apr) and is not recorded: overdue.
    assert_eq!(a.obligations[ra.obligation].status.kind(), StatusKind::Overdue);
    let adj = by_duty(Duty::CompleteAdjournedReview);
    assert_eq!(
        adj.breach,
        Breach::SecondAdjournment { adjourned: vec![d("2026-04-28"), d("2026-05-05")], basis: Basis::Statutory }
    );
    assert_eq!(adj.review_number, Some(2));
    // Review 2 first met on Tue 28 Apr: 5 calendar days after Thu 23 Apr; working days Fri 24,
    // Mon 27, Tue 28 = 3. Its done event is the adjourned meeting (event 3).
    let r2 = find(&a, Duty::HoldReview, Some(2));
    assert_eq!(r2.status, Status::Late { done: d("2026-04-28"), late_working_days: 3, late_calendar_days: 5 });
    assert_eq!(r2.done_by_event, Some(3));
    assert_eq!(a.breaches.len(), 3, "{:#?}", a.breaches);
    assert_eq!(a.obligations[ra.obligation].obligation.basis.to_string(), "local:dudley");
    assert_eq!(a.obligations[ra.obligation].obligation.citation.provision, "Process for Rearranging Review Meetings");
    // Statute alone has no authorisation duty: the move is a breach of the review it moves, which
    // here was then held late (the late review is the breach reported).
    let s = run(None, &events, "2026-05-12");
    assert!(s.obligations.iter().all(|o| o.obligation.duty != Duty::AuthoriseRearrangement));
    assert_eq!(s.breaches.len(), 2, "{:#?}", s.breaches);
    assert!(matches!(find(&s, Duty::HoldReview, Some(2)).obligation.breach, Some(Breach::LateReview { .. })));
}

#[test]
fn audit_counts_match_the_statuses() {
    let a = second_review_held("2026-05-05");
    let mut want = [0u64; 5];
    for o in &a.obligations {
        want[o.status.kind() as usize] += 1;
    }
    let t = &a.aggregates.total;
    assert_eq!([t.met, t.late, t.overdue, t.pending, t.not_applicable], want);
    assert_eq!(a.aggregates.cases, 1);
    // Review 1 and 2 reviews (met, late) are among them.
    assert!(t.met >= 1 && t.late >= 1);
    assert_eq!(a.with_status(StatusKind::Late).filter(|o| o.obligation.duty == Duty::HoldReview).count(), 1);
}

#[test]
fn audit_json_boundary() {
    let out = lac_timescales::json::audit_json(
        r#"{"jurisdiction":"england","as_at":"2026-02-02","events":[{"event":"became_looked_after","date":"2026-01-01"}]}"#,
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["as_at"], "2026-02-02");
    let first = v["obligations"].as_array().unwrap().iter().find(|o| o["obligation"]["duty"] == "hold_review").unwrap();
    assert_eq!(
        first["status"],
        serde_json::json!({"kind": "overdue", "overdue_working_days": 2, "overdue_calendar_days": 4})
    );
    assert_eq!(v["events"][0]["triggered"], serde_json::json!([first["index"]]));
    // The first review's citation is an index into the response's citations table (reg 33(1),
    // the 20 working days rule), and each citation is listed once.
    let cited = &v["citations"][first["obligation"]["citation"].as_u64().unwrap() as usize];
    assert_eq!(cited["provision"], "reg 33(1)");
    let table = v["citations"].as_array().unwrap();
    for (i, c) in table.iter().enumerate() {
        assert!(!table[..i].contains(c), "citation {i} listed twice: {c}");
    }
    // The response reads back into the type.
    let back: lac_timescales::json::AuditResponse = serde_json::from_str(&out).unwrap();
    assert_eq!(back.as_at, d("2026-02-02"));
    assert_eq!(
        back.citation(back.obligations[first["index"].as_u64().unwrap() as usize].obligation.citation)
            .unwrap()
            .provision,
        "reg 33(1)"
    );

    // Errors: the same error object as the schedule boundary.
    let bad = [
        (r#"{"events": []}"#, "invalid_input"),
        ("not json", "invalid_input"),
        (r#"{"jurisdiction":"england","events":[{"event":"review_held","date":"2026-01-01"}]}"#, "invalid_event"),
        (
            r#"{"jurisdiction":"england","as_at":"2025-01-01","events":[{"event":"became_looked_after","date":"2026-01-01"}]}"#,
            "invalid_input",
        ),
        (r#"{"jurisdiction":"england","events":[]}"#, "invalid_input"),
    ];
    for (req, kind) in bad {
        let err = lac_timescales::json::error_json(&lac_timescales::json::audit_json(req).unwrap_err());
        let v: serde_json::Value = serde_json::from_str(&err).unwrap();
        assert_eq!(v["error"]["kind"], kind, "{req}: {err}");
        assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

/// An audited obligation built from JSON, with the fields the aggregates read.
fn ao(
    index: usize,
    duty: &str,
    role: &str,
    regime: Option<&str>,
    n: Option<u32>,
    latest: Option<&str>,
    status: serde_json::Value,
) -> serde_json::Value {
    let mut o = serde_json::json!({
        "duty": duty, "role": role, "action": "act", "latest": latest, "latest_working_day": latest,
        "basis": "statutory", "citation": {"instrument": "I", "provision": "P", "status": "V"},
        "triggered_by": [], "projected": false, "provisional": false
    });
    if let Some(r) = regime {
        o["regime"] = r.into();
    }
    if let Some(n) = n {
        o["review_number"] = n.into();
    }
    serde_json::json!({"index": index, "obligation": o, "status": status})
}

fn hand_audit(obligations: Vec<serde_json::Value>) -> Audit {
    let metadata = serde_json::to_value(&run(None, &format!("[{LAC_1_JAN}]"), "2026-01-01").metadata).unwrap();
    serde_json::from_value(serde_json::json!({
        "as_at": "2026-06-01", "obligations": obligations, "breaches": [], "events": [],
        "aggregates": lac_timescales::audit::Aggregates::default(), "metadata": metadata
    }))
    .unwrap()
}

#[test]
fn aggregates_by_every_dimension() {
    use lac_timescales::audit::{Aggregates, Counts};
    let met =
        serde_json::json!({"kind": "met", "done": "2026-01-01", "margin_working_days": 1, "margin_calendar_days": 1});
    let late =
        serde_json::json!({"kind": "late", "done": "2026-01-01", "late_working_days": 1, "late_calendar_days": 1});
    let overdue = serde_json::json!({"kind": "overdue", "overdue_working_days": 1, "overdue_calendar_days": 1});
    let pending = serde_json::json!({"kind": "pending", "working_days_left": 1, "calendar_days_left": 1});
    let na = serde_json::json!({"kind": "not_applicable", "reason": "r"});
    // Case 1: LA review 1 met (Jan), LA review 2 late (Apr), its decisions overdue (Apr), LA
    // review 3 pending (Oct); a needs assessment (no regime) met in Apr 2027.
    let a1 = hand_audit(vec![
        ao(0, "hold_review", "local_authority", Some("looked_after"), Some(1), Some("2026-01-29"), met.clone()),
        ao(1, "hold_review", "local_authority", Some("looked_after"), Some(2), Some("2026-04-23"), late.clone()),
        ao(2, "issue_decisions", "iro", Some("looked_after"), Some(2), Some("2026-04-30"), overdue.clone()),
        ao(3, "hold_review", "local_authority", Some("looked_after"), Some(3), Some("2026-10-23"), pending),
        ao(4, "complete_needs_assessment", "local_authority", None, None, Some("2027-04-10"), met.clone()),
    ]);
    // Case 2: a secure review 1 met (Jan 2026), an early review with no deadline.
    let a2 = hand_audit(vec![
        ao(0, "hold_review", "local_authority", Some("secure_accommodation"), Some(1), Some("2026-01-05"), met),
        ao(1, "hold_review", "local_authority", Some("looked_after"), Some(4), None, na),
    ]);
    let agg = Aggregates::from_audits([&a1, &a2]);
    let c = |met, late, overdue, pending, not_applicable, pct: Option<f64>| Counts {
        met,
        late,
        overdue,
        pending,
        not_applicable,
        on_time_percent: pct,
    };
    assert_eq!(agg.cases, 2);
    // 3 met of 3 + 1 + 1 due = 60%.
    assert_eq!(agg.total, c(3, 1, 1, 1, 1, Some(60.0)));
    let keys =
        |g: &[lac_timescales::audit::Group]| g.iter().map(|g| (g.key.clone(), g.counts.clone())).collect::<Vec<_>>();
    let s = |k: &str| k.to_string();
    // LA: met 1, late 1, overdue 1, pending 1, n/a 1: on time 1 of 3.
    assert_eq!(
        keys(&agg.by_regime),
        vec![
            (s("looked_after"), c(1, 1, 1, 1, 1, Some(100.0 / 3.0))),
            (s("secure_accommodation"), c(1, 0, 0, 0, 0, Some(100.0))),
            (s("none"), c(1, 0, 0, 0, 0, Some(100.0))),
        ]
    );
    assert_eq!(
        keys(&agg.by_review_number),
        vec![
            (s("first"), c(2, 0, 0, 0, 0, Some(100.0))),
            (s("second"), c(0, 1, 1, 0, 0, Some(0.0))),
            (s("later"), c(0, 0, 0, 1, 1, None)),
            (s("none"), c(1, 0, 0, 0, 0, Some(100.0))),
        ]
    );
    assert_eq!(
        keys(&agg.by_month),
        vec![
            (s("2026-01"), c(2, 0, 0, 0, 0, Some(100.0))),
            (s("2026-04"), c(0, 1, 1, 0, 0, Some(0.0))),
            (s("2026-10"), c(0, 0, 0, 1, 0, None)),
            (s("2027-04"), c(1, 0, 0, 0, 0, Some(100.0))),
            (s("none"), c(0, 0, 0, 0, 1, None)),
        ]
    );
    assert_eq!(
        keys(&agg.by_year),
        vec![
            (s("2026"), c(2, 1, 1, 1, 0, Some(50.0))),
            (s("2027"), c(1, 0, 0, 0, 0, Some(100.0))),
            (s("none"), c(0, 0, 0, 0, 1, None)),
        ]
    );
    // Duties in declaration order: hold_review, issue_decisions, complete_needs_assessment.
    assert_eq!(
        keys(&agg.by_duty),
        vec![
            (s("hold_review"), c(2, 1, 0, 1, 1, Some(200.0 / 3.0))),
            (s("issue_decisions"), c(0, 0, 1, 0, 0, Some(0.0))),
            (s("complete_needs_assessment"), c(1, 0, 0, 0, 0, Some(100.0))),
        ]
    );
    assert_eq!(
        keys(&agg.by_role),
        vec![(s("local_authority"), c(3, 1, 0, 1, 1, Some(75.0))), (s("iro"), c(0, 0, 1, 0, 0, Some(0.0)))]
    );

    // CSV: header, total first, one decimal, empty when undefined; CRLF.
    let csv = agg.to_csv();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], "dimension,key,met,late,overdue,pending,not_applicable,on_time_percent");
    assert_eq!(lines[1], "total,all,3,1,1,1,1,60.0");
    assert_eq!(lines[2], "regime,looked_after,1,1,1,1,1,33.3");
    assert!(lines.contains(&"review_number,later,0,0,0,1,1,"));
    assert!(lines.contains(&"duty,hold_review,2,1,0,1,1,66.7"));
    assert!(lines.contains(&"month,none,0,0,0,0,1,"));
    // Under the england profile every rule is statutory: one basis row, with the totals.
    assert_eq!(keys(&agg.by_basis), vec![(s("statutory"), c(3, 1, 1, 1, 1, Some(60.0)))]);
    assert!(lines.contains(&"basis,statutory,3,1,1,1,1,60.0"));
    // 1 header + 1 total + 3 + 4 + 5 + 3 + 3 + 2 + 1 rows, then the final CRLF's empty tail.
    assert_eq!(lines.len(), 1 + 1 + 3 + 4 + 5 + 3 + 3 + 2 + 1 + 1);
    assert_eq!(lines.last(), Some(&""));
    // Serde round trip.
    let back: Aggregates = serde_json::from_str(&serde_json::to_string(&agg).unwrap()).unwrap();
    assert_eq!(back, agg);
}

mod props {
    use super::*;
    use chrono::Days;
    use lac_timescales::audit::Aggregates;
    use lac_timescales::model::EventKind;
    use proptest::prelude::*;

    fn kind(k: u8, n: u8) -> EventKind {
        use EventKind::*;
        let duty = Duty::ALL[n as usize % Duty::ALL.len()];
        let review_number = (n % 3 > 0).then_some(u32::from(n % 5));
        match k % 16 {
            0 => BecameLookedAfter,
            1 => CeasedToBeLookedAfter,
            2..=5 => ReviewHeld { meeting: true, regimes: None },
            6 => ReviewAdjourned,
            7 => ReviewRearranged { from: d("2000-01-01"), to: d("2000-01-01") + Days::new(u64::from(n) * 3) },
            8 => SignificantChange { note: None },
            9 => AccommodationEnding,
            10 => AuthorityToPlace,
            11 => PlacedInSecureAccommodation,
            12 => SecureReviewHeld,
            _ => DutyDone { duty, review_number },
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        /// No panic on any history, and the audit's accounting holds together.
        #[test]
        fn audit_accounts_for_everything(
            wales in any::<bool>(),
            start in 0u64..9_000,
            evs in prop::collection::vec((any::<u8>(), any::<u8>(), 0u64..120), 0..16),
            extra in 0u64..400,
        ) {
            let mut day = d("2001-01-01") + Days::new(start);
            let mut events = vec![Event::new(day, EventKind::BecameLookedAfter)];
            for (k, n, gap) in evs {
                day = day + Days::new(gap);
                events.push(Event::new(day, kind(k, n)));
            }
            let j = if wales { Jurisdiction::Wales } else { Jurisdiction::England };
            let Ok(c) = CaseHistory::new(j, Child::default(), events) else { return Ok(()) };
            let p = Profile::statutory_for(j);
            let opts = AuditOptions { as_at: Some(day + Days::new(extra)), ..Default::default() };
            let Ok(a) = audit(&c, &p, &Calendar::england_and_wales(), &opts) else { return Ok(()) };
            prop_assert_eq!(a.events.len(), c.events().len());
            for e in &a.events {
                prop_assert_eq!(e.done.is_empty() && e.triggered.is_empty(), e.unmatched.is_some());
                for &k in e.done.iter().chain(&e.triggered) {
                    prop_assert!(k < a.obligations.len());
                }
            }
            for o in &a.obligations {
                let k = o.status.kind();
                match (o.obligation.done, o.obligation.latest) {
                    (Some(done), Some(l)) => prop_assert_eq!(k, if done > l { StatusKind::Late } else { StatusKind::Met }),
                    (_, None) => prop_assert_eq!(k, StatusKind::NotApplicable),
                    (None, Some(l)) if l >= a.as_at => prop_assert!(matches!(k, StatusKind::Pending | StatusKind::NotApplicable)),
                    (None, Some(_)) => prop_assert!(matches!(k, StatusKind::Overdue | StatusKind::NotApplicable)),
                }
            }
            let agg = Aggregates::from_audits([&a, &a]);
            prop_assert_eq!(agg.total.total(), 2 * a.obligations.len() as u64);
            for dim in [&agg.by_regime, &agg.by_review_number, &agg.by_month, &agg.by_year, &agg.by_duty, &agg.by_role, &agg.by_basis] {
                prop_assert_eq!(dim.iter().map(|g| g.counts.total()).sum::<u64>(), agg.total.total());
            }
            let json = serde_json::to_string(&a).unwrap();
            let back: Audit = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back.obligations.len(), a.obligations.len());
        }
    }
}

/// Obligations counted from an assumed day (a review not yet held, a visit not yet made) are not
/// applicable once that day has passed without it, whatever their own deadline; a duty counted
/// back from a review still ahead is overdue once its own deadline passes (vectors 146, 147).
/// Calendar: Good Friday 3 Apr 2026, Easter Monday 6 Apr.
#[test]
fn obligations_on_an_assumed_day_that_passed() {
    let with_horizon = |profile: &str, events: &str, as_at: &str| {
        let opts = AuditOptions { as_at: Some(d(as_at)), horizon_months: Some(12), ..Default::default() };
        let p = Profile::builtin(profile).unwrap();
        audit(&case(None, events), &p, &Calendar::england_and_wales(), &opts).unwrap()
    };
    let reason = |o: &AuditedObligation| match &o.status {
        Status::NotApplicable { reason } => reason.clone(),
        other => panic!("{:?} {:?}: {other:?}", o.obligation.duty, o.obligation.review_number),
    };
    // Review 1 held Sun 4 Jan 2026; review 2 due within three months, Sat 4 Apr, assumed held on its
    // last working day, Thu 2 Apr. As at Good Friday review 2 is still pending (it can be held on
    // the Saturday); review 3, counted from the assumed Thu 2 Apr (due Fri 2 Oct, six months on),
    // rests on a day that has passed: not pending with 126 working days left, but not applicable.
    let a = with_horizon(
        "england",
        r#"[{"event": "became_looked_after", "date": "2025-12-10"}, {"event": "review_held", "date": "2026-01-04"}]"#,
        "2026-04-03",
    );
    let second = find(&a, Duty::HoldReview, Some(2));
    assert_eq!(second.status, Status::Pending { working_days_left: 0, calendar_days_left: 1 });
    let third = find(&a, Duty::HoldReview, Some(3));
    assert_eq!(third.obligation.latest, Some(d("2026-10-02")));
    assert_eq!(
        reason(third),
        "it counts from the previous review, assumed held on 2026-04-02, which passed without the review: its date \
         follows from the day that review is held"
    );
    assert_eq!(
        reason(find(&a, Duty::IssueDecisions, Some(2))),
        "it counts from review 2 assumed held on 2026-04-02, which passed without the review: its date follows from \
         the day the review is held"
    );
    // A placement on Mon 5 Jan 2026, visited Fri 9 Jan: the next visit is due within six weeks, Fri
    // 20 Feb, and is overdue as at Tue 24 Feb by 2 working days (Mon 23, Tue 24). The visit after it,
    // counted from the assumed Fri 20 Feb (due Fri 3 Apr, Good Friday: last working day Thu 2 Apr),
    // rests on a visit that was not made: not applicable.
    let a = with_horizon(
        "england",
        r#"[{"event": "became_looked_after", "date": "2026-01-05"},
            {"event": "placement_started", "date": "2026-01-05"},
            {"event": "social_worker_visit", "date": "2026-01-09"}]"#,
        "2026-02-24",
    );
    let visits: Vec<&AuditedObligation> =
        a.obligations.iter().filter(|o| o.obligation.duty == Duty::VisitChild).collect();
    let due = |day: &str| visits.iter().find(|o| o.obligation.latest == Some(d(day))).copied();
    let next = due("2026-02-20").expect("the visit due Fri 20 Feb");
    assert_eq!(next.status, Status::Overdue { overdue_working_days: 2, overdue_calendar_days: 4 });
    let after = due("2026-04-03").expect("the visit due Fri 3 Apr");
    assert_eq!(after.obligation.latest_working_day, Some(d("2026-04-02")));
    assert_eq!(
        reason(after),
        "it counts from the previous occurrence (visit the child in the placement), assumed on 2026-02-20, which \
         passed with none recorded: its date follows from the day one is done"
    );
    // seed 004 (iro-expectations): an IRO allocated within 48 hours of Mon 5 Jan 2026 (Wed 7 Jan),
    // not recorded; the introductory letter within 48 hours of the allocation, counted from the
    // assumed Wed 7 Jan (Fri 9 Jan). As at Tue 10 Feb the allocation is overdue by 24 working days
    // (Thu 8 - Fri 9 Jan 2, three weeks 17, Mon 2 - Tue 10 Feb 24) and the letter not applicable.
    let a = {
        let opts = AuditOptions { as_at: Some(d("2026-02-10")), ..Default::default() };
        let p = Profile::builtin("iro-expectations").unwrap();
        let c = case(Some("2015-01-01"), r#"[{"event": "became_looked_after", "date": "2026-01-05"}]"#);
        audit(&c, &p, &Calendar::england_and_wales(), &opts).unwrap()
    };
    assert_eq!(
        find(&a, Duty::AppointIro, None).status,
        Status::Overdue { overdue_working_days: 24, overdue_calendar_days: 34 }
    );
    let letter = find(&a, Duty::SendIntroductionLetter, None);
    assert_eq!(letter.obligation.latest, Some(d("2026-01-09")));
    assert_eq!(
        reason(letter),
        "it counts from the IRO's appointment, not recorded and assumed on 2026-01-07, which has passed: its date \
         follows from the day it happens"
    );
}
