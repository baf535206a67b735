//! Explanation lines a practitioner would misread (pol9, session 9, reading the explanations of a
//! Dudley, an ISU and a Welsh case as an IRO):
//! - an obligation with no day fixed said "No deadline date: act before the event it precedes",
//!   though most such rules precede no event (a Welsh early review when the child is absent, an
//!   early review the IRO asks for, "as soon as reasonably practicable"), and an obligation that
//!   cannot apply said the same;
//! - a review held (or a visit made) listed the meeting that held it as what "triggered" it, and
//!   nothing said it was held, nor that it was late: "Triggered by event 1: review_held on Fri 6
//!   Feb 2026 ... Deadline: Mon 2 Feb 2026" left the reader to work out that it was late.
//!
//! Dates worked by hand from the 2026 calendar (no bank holiday from 2 Jan to 2 Apr).

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, Jurisdiction};
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, ScheduleOptions};

/// Every obligation's (duty, review number, early, steps).
fn explained(
    jurisdiction: Jurisdiction,
    profile: &str,
    as_at: &str,
    events: &str,
) -> Vec<(Duty, Option<u32>, bool, Vec<String>)> {
    let v: Vec<serde_json::Value> = serde_json::from_str(events).unwrap();
    let evs = v.iter().enumerate().map(|(i, e)| Event::from_json(i, e)).collect::<Result<Vec<_>, _>>().unwrap();
    let case = CaseHistory::new(jurisdiction, Child::default(), evs).unwrap();
    let cal = Calendar::england_and_wales();
    let as_at = NaiveDate::parse_from_str(as_at, "%Y-%m-%d").unwrap();
    let opts = ScheduleOptions::as_at(as_at).with_horizon_months(0);
    let s = schedule(&case, &Profile::builtin(profile).unwrap(), &cal, &opts).unwrap();
    (0..s.obligations.len())
        .map(|i| {
            let o = &s.obligations[i];
            (o.duty, o.review_number, o.early, s.explain(i, &cal, case.events()).unwrap().steps)
        })
        .collect()
}

fn steps_of(all: &[(Duty, Option<u32>, bool, Vec<String>)], duty: Duty, n: u32, early: bool) -> Vec<String> {
    all.iter()
        .find(|(d, k, e, _)| *d == duty && *k == Some(n) && *e == early)
        .map(|(_, _, _, s)| s.clone())
        .unwrap_or_else(|| panic!("no {duty} {n} (early {early})"))
}

fn has(steps: &[String], text: &str) {
    assert!(steps.iter().any(|s| s == text), "no step is {text:?}: {steps:#?}");
}

fn lacks(steps: &[String], text: &str) {
    assert!(!steps.iter().any(|s| s.contains(text)), "a step contains {text:?}: {steps:#?}");
}

/// Wales. Looked after Mon 5 Jan 2026. The first review is due within 20 working days (6-9 Jan 4,
/// 12-16 Jan 9, 19-23 Jan 14, 26-30 Jan 19, Mon 2 Feb 20): Mon 2 Feb 2026; held Fri 6 Feb, 4
/// working days late (3, 4, 5, 6 Feb). The child is absent on Mon 2 Mar: an early review (reg
/// 39(3)-(4)), no day fixed, held on Fri 20 Mar, which is also the second review (due within 3
/// months of 6 Feb, Wed 6 May 2026: held by the deadline).
#[test]
fn a_welsh_case_says_when_each_review_was_held_and_that_no_day_is_fixed() {
    let all = explained(
        Jurisdiction::Wales,
        "wales",
        "2026-03-31",
        r#"[{"event": "became_looked_after", "date": "2026-01-05"},
            {"event": "review_held", "date": "2026-02-06"},
            {"event": "child_absent", "date": "2026-03-02"},
            {"event": "review_held", "date": "2026-03-20"}]"#,
    );
    let first = steps_of(&all, Duty::HoldReview, 1, false);
    has(&first, "Triggered by event 0: became_looked_after on Mon 5 Jan 2026.");
    has(&first, "Deadline: Mon 2 Feb 2026.");
    has(&first, "Done on Fri 6 Feb 2026 (event 1: review_held), 4 working days after the deadline.");
    lacks(&first, "Triggered by event 1");
    let second = steps_of(&all, Duty::HoldReview, 2, false);
    has(&second, "Triggered by event 1: review_held on Fri 6 Feb 2026.");
    has(&second, "Deadline: Wed 6 May 2026.");
    has(&second, "Done on Fri 20 Mar 2026 (event 3: review_held), by the deadline.");
    let early = steps_of(&all, Duty::HoldReview, 2, true);
    has(&early, "Triggered by event 2: child_absent on Mon 2 Mar 2026.");
    has(&early, "No deadline date: the rule fixes no day.");
    has(&early, "Done on Fri 20 Mar 2026 (event 3: review_held).");
    for (_, _, _, steps) in &all {
        lacks(steps, "act before the event it precedes");
    }
}

/// Dudley. Looked after Mon 5 Jan 2026; first review Thu 29 Jan (due Mon 2 Feb: held by the
/// deadline). The second is due within 3 months and 90 days of Thu 29 Jan, both Wed 29 Apr 2026;
/// it met on Wed 22 Apr, was adjourned and completed on Wed 6 May: Dudley records it on the
/// original date, so it was held by the deadline on Wed 22 Apr (the adjourned meeting).
#[test]
fn a_dudley_review_adjourned_is_done_on_its_recorded_date() {
    let all = explained(
        Jurisdiction::England,
        "dudley",
        "2026-05-07",
        r#"[{"event": "became_looked_after", "date": "2026-01-05"},
            {"event": "review_held", "date": "2026-01-29"},
            {"event": "review_adjourned", "date": "2026-04-22"},
            {"event": "review_held", "date": "2026-05-06"}]"#,
    );
    let first = steps_of(&all, Duty::HoldReview, 1, false);
    has(&first, "Done on Thu 29 Jan 2026 (event 1: review_held), by the deadline.");
    let second = steps_of(&all, Duty::HoldReview, 2, false);
    has(&second, "Deadline: Wed 29 Apr 2026.");
    has(
        &second,
        "Done on Wed 22 Apr 2026 (event 2: review_adjourned; the adjourned meeting is the review's recorded date), by \
         the deadline.",
    );
    lacks(&second, "Triggered by event 2");
}

/// The SARS checklist: looked after Mon 5 Jan 2026, first review Fri 16 Jan. The IRO's talk with
/// the social worker 15 working days before it would be Tue 23 Dec 2025 (1 Jan and 25-26 Dec are
/// bank holidays), before the child was looked after: it cannot apply, and has no deadline
/// because of that, not because the rule fixes none.
#[test]
fn an_obligation_that_cannot_apply_says_so_at_its_deadline() {
    let all = explained(
        Jurisdiction::England,
        "sars-checklist",
        "2026-01-20",
        r#"[{"event": "became_looked_after", "date": "2026-01-05"},
            {"event": "review_held", "date": "2026-01-16"}]"#,
    );
    let talk = steps_of(&all, Duty::IroConsultSocialWorker, 1, false);
    assert!(talk.iter().any(|s| s.starts_with("Not applicable: ") && s.contains("2025-12-23")), "{talk:#?}");
    has(&talk, "No deadline date: it does not apply.");
    lacks(&talk, "the rule fixes no day");
}
