//! The explanation a practitioner reads (`Schedule::explain`), for the cases where its wording
//! was wrong or silent before session 8 (rules8's reading of the explanations): a period of 0
//! days, a date assumed from something other than a review, and two rules on the same day.
//! Dates worked by hand from the 2026 calendar (no bank holiday between January and May but Good
//! Friday 3 Apr and Easter Monday 6 Apr).

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, Jurisdiction};
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, ScheduleOptions};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The explanation of the first obligation for `duty` (and, when given, due on `latest`).
fn explain(profile: &str, events: &str, horizon: u32, duty: Duty, latest: Option<&str>) -> Vec<String> {
    let v: Vec<serde_json::Value> = serde_json::from_str(events).unwrap();
    let evs = v.iter().enumerate().map(|(i, e)| Event::from_json(i, e)).collect::<Result<Vec<_>, _>>().unwrap();
    let case = CaseHistory::new(Jurisdiction::England, Child::default(), evs).unwrap();
    let cal = Calendar::england_and_wales();
    let opts = ScheduleOptions::new().with_horizon_months(horizon);
    let s = schedule(&case, &Profile::builtin(profile).unwrap(), &cal, &opts).unwrap();
    let i = s
        .obligations
        .iter()
        .position(|o| o.duty == duty && latest.is_none_or(|l| o.latest == Some(d(l))))
        .unwrap_or_else(|| panic!("no {duty} due {latest:?}"));
    s.explain(i, &cal, case.events()).unwrap().steps
}

fn has(steps: &[String], text: &str) {
    assert!(steps.iter().any(|s| s.contains(text)), "no step contains {text:?}: {steps:#?}");
}

/// ISU: looked after Mon 2 Feb 2026; the first review is due within 20 working days (3-6 Feb 4,
/// 9-13 Feb 9, 16-20 Feb 14, 23-27 Feb 19, Mon 2 Mar 20). Statute's "speak to the child before
/// the review" and the ISU's own rule both fall on that day: "0 days before" is the day itself,
/// and on a tie statute's rule is named, the ISU's listed beside it with its citation.
#[test]
fn a_tie_on_the_day_of_the_review() {
    let steps = explain(
        "isu-procedure",
        r#"[{"event": "became_looked_after", "date": "2026-02-02"}]"#,
        0,
        Duty::IroSpeakToChild,
        Some("2026-03-02"),
    );
    has(&steps, "Rule: on that day at the latest (0 days before it).");
    has(&steps, "Deadline: Mon 2 Mar 2026.");
    has(&steps, "On the same day, statute's rule is the one named.");
    has(&steps, "Also considered: local:isu-procedure, 3.4.1 Looked After Reviews (ISU procedure, seed 001)");
    has(
        &steps,
        "Authority: Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959), reg 36(1)(b)",
    );
    has(&steps, "(assumed: that review has not been held yet, so it is taken as held on the day it is planned for)");
}

/// Dudley: looked after Mon 2 Feb 2026, the first review assumed held on its last day, Mon 2 Mar.
/// The second is due within 90 days of it (Dudley: Sun 31 May) or three months (statute: Tue 2
/// Jun): Sun 31 May binds, and the progress review falls half way, 45 days after 2 Mar: Thu 16
/// Apr, "0 days after" the mid-point. Its action ends with a question mark and no full stop.
#[test]
fn a_progress_review_on_the_mid_point() {
    let steps = explain(
        "dudley",
        r#"[{"event": "became_looked_after", "date": "2026-02-02"}]"#,
        7,
        Duty::ProgressReview,
        Some("2026-04-16"),
    );
    has(&steps, "Counted from the mid-point between reviews: Thu 16 Apr 2026 (assumed: the review it is counted from has not been held yet).");
    has(&steps, "Rule: on that day (0 days after it).");
    assert!(steps.iter().any(|s| s.ends_with("are the last review's decisions on track?")), "{steps:#?}");
    assert!(!steps.iter().any(|s| s.ends_with("?.")), "{steps:#?}");
}

/// England: looked after Mon 5 Jan 2026, the first review held Thu 29 Jan. The decisions are due
/// within 5 working days (Thu 5 Feb); their receipt is not recorded, so the senior manager's 5
/// working days count from that deadline: Thu 12 Feb.
#[test]
fn counted_from_a_duty_not_recorded() {
    let steps = explain(
        "england",
        r#"[{"event": "became_looked_after", "date": "2026-01-05"}, {"event": "review_held", "date": "2026-01-29"}]"#,
        0,
        Duty::ConsiderDecisions,
        Some("2026-02-12"),
    );
    has(&steps, "Counted from receipt of the review decisions: Thu 5 Feb 2026 (assumed: not recorded, so taken as that duty's deadline).");
}

/// England: placed Mon 5 Jan 2026 and visited Fri 9 Jan; the next visit is due within six weeks,
/// Fri 20 Feb, and the one after within six weeks of that day, taken as done: Fri 3 Apr (Good
/// Friday; plan for Thu 2 Apr).
#[test]
fn counted_from_a_visit_not_yet_made() {
    let steps = explain(
        "england",
        r#"[{"event": "became_looked_after", "date": "2026-01-05"}, {"event": "placement_started", "date": "2026-01-05"},
            {"event": "social_worker_visit", "date": "2026-01-09"}]"#,
        12,
        Duty::VisitChild,
        Some("2026-04-03"),
    );
    has(&steps, "Fri 20 Feb 2026 (assumed: the previous one is not recorded yet, so it is taken as done on its last working day).");
    has(&steps, "plan to act by Thu 2 Apr 2026.");
}
