//! Reviewed snapshots of realistic full schedules (one line per obligation). Each snapshot was
//! read line by line against the calendar and the rules when accepted; a change to any date,
//! role, basis or flag shows up here.

use lac_timescales::json::{parse_request, run};
use lac_timescales::schedule::{Breach, Schedule};

fn render(s: &Schedule) -> String {
    let mut out = String::new();
    for o in &s.obligations {
        let review = match (o.regime, o.review_number) {
            (Some(r), Some(n)) => format!("{}#{}", r.as_str(), n),
            _ => "-".into(),
        };
        let date = |d: Option<chrono::NaiveDate>| {
            d.map(|d| d.format("%a %Y-%m-%d").to_string()).unwrap_or_else(|| "no date".into())
        };
        let mut flags = Vec::new();
        if o.early {
            flags.push("early".to_string());
        }
        if let Some(d) = o.done {
            flags.push(format!("done {d}"));
        }
        if o.projected {
            flags.push("projected".into());
        }
        if o.provisional {
            flags.push("provisional".into());
        }
        if let Some(b) = &o.breach {
            flags.push(match b {
                Breach::LateReview { working_days_late, .. } => format!("LATE {working_days_late}wd"),
                Breach::NotHeld { as_at, .. } => format!("NOT HELD as at {as_at}"),
                Breach::SecondAdjournment { .. } => "SECOND ADJOURNMENT".into(),
                Breach::AdjournedReviewCompletedLate { working_days_late, .. } => {
                    format!("COMPLETED LATE {working_days_late}wd")
                }
                Breach::RearrangedPastDeadline { to, deadline, .. } => format!("MOVED TO {to} PAST {deadline}"),
                Breach::LateDuty { calendar_days_late, .. } => format!("LATE {calendar_days_late}d"),
                Breach::NotDone { as_at, .. } => format!("NOT DONE as at {as_at}"),
                // `Breach` is non-exhaustive: a new kind shows here (and the snapshot changes).
                other => format!("{other}"),
            });
        }
        if let Some(b) = o.binding() {
            flags.push(format!(
                "binding: {}",
                b.iter()
                    .map(|c| format!(
                        "{}={}",
                        c.basis,
                        c.latest.map(|d| d.to_string()).unwrap_or_else(|| "none".into())
                    ))
                    .collect::<Vec<_>>()
                    .join(" < ")
            ));
        }
        out.push_str(&format!(
            "{} | legal {} | {:<19} | {:<28} | {:<24} | {:<22} | {} | {}\n",
            date(o.latest_working_day),
            o.latest.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            o.role.as_str(),
            o.duty.as_str(),
            review,
            o.basis.to_string(),
            o.citation.provision,
            flags.join(", ")
        ));
    }
    out
}

fn snap(request: &str) -> String {
    let req = parse_request(request).unwrap();
    let (_, s) = run(&req).unwrap();
    render(&s)
}

#[test]
fn england_first_year_with_adjournment_and_significant_change() {
    insta::assert_snapshot!(snap(
        r#"{"jurisdiction": "england", "as_at": "2026-06-01", "horizon_months": 9,
      "child": {"date_of_birth": "2011-02-14"},
      "events": [
        {"event": "became_looked_after", "date": "2026-01-05"},
        {"event": "review_held", "date": "2026-01-29"},
        {"event": "review_adjourned", "date": "2026-04-22"},
        {"event": "review_held", "date": "2026-05-06"},
        {"event": "significant_change", "date": "2026-05-27"}]}"#
    ));
}

#[test]
fn england_christmas_start_late_first_review_and_overdue_second() {
    insta::assert_snapshot!(snap(
        r#"{"jurisdiction": "england", "as_at": "2027-05-10", "horizon_months": 0,
      "events": [
        {"event": "became_looked_after", "date": "2026-12-24"},
        {"event": "review_held", "date": "2027-01-28"}]}"#
    ));
}

#[test]
fn england_adoption_journey_authorised_placed_and_order() {
    insta::assert_snapshot!(snap(
        r#"{"jurisdiction": "england", "horizon_months": 0,
      "events": [
        {"event": "became_looked_after", "date": "2025-09-01"},
        {"event": "review_held", "date": "2025-09-26"},
        {"event": "review_held", "date": "2025-12-15"},
        {"event": "authority_to_place", "date": "2026-02-02"},
        {"event": "review_held", "date": "2026-04-30"},
        {"event": "placed_for_adoption", "date": "2026-06-01"},
        {"event": "review_held", "date": "2026-06-26"},
        {"event": "review_held", "date": "2026-09-21"},
        {"event": "adoption_order_made", "date": "2026-11-16"}]}"#
    ));
}

#[test]
fn wales_secure_accommodation_beside_looked_after_reviews() {
    insta::assert_snapshot!(snap(
        r#"{"jurisdiction": "wales", "as_at": "2026-06-30", "horizon_months": 6,
      "events": [
        {"event": "became_looked_after", "date": "2026-03-02"},
        {"event": "placed_in_secure_accommodation", "date": "2026-03-16"},
        {"event": "review_held", "date": "2026-03-27"},
        {"event": "secure_review_held", "date": "2026-04-02"},
        {"event": "left_secure_accommodation", "date": "2026-05-29"}]}"#
    ));
}

#[test]
fn england_across_the_2011_change_of_regulations() {
    insta::assert_snapshot!(snap(
        r#"{"jurisdiction": "england", "horizon_months": 0,
      "events": [
        {"event": "became_looked_after", "date": "2010-12-20"},
        {"event": "review_held", "date": "2011-01-14"},
        {"event": "review_held", "date": "2011-04-13"},
        {"event": "review_held", "date": "2011-10-12"},
        {"event": "ceased_to_be_looked_after", "date": "2012-01-16"}]}"#
    ));
}

#[test]
fn england_rearranged_past_deadline_and_second_adjournment() {
    insta::assert_snapshot!(snap(
        r#"{"jurisdiction": "england", "horizon_months": 0,
      "events": [
        {"event": "became_looked_after", "date": "2026-01-05"},
        {"event": "review_held", "date": "2026-01-29"},
        {"event": "review_rearranged", "date": "2026-04-20", "from": "2026-04-28", "to": "2026-05-05"},
        {"event": "review_adjourned", "date": "2026-05-05"},
        {"event": "review_adjourned", "date": "2026-05-19"},
        {"event": "review_held", "date": "2026-06-09"}]}"#
    ));
}

#[test]
fn dudley_first_year_adjourned_second_review_and_180_days() {
    insta::assert_snapshot!(snap(
        r#"{"jurisdiction":"england","profile":"dudley","as_at":"2026-06-01","horizon_months":6,
            "child":{"date_of_birth":"2011-02-14"},
            "events":[{"event":"became_looked_after","date":"2026-01-05"},
                      {"event":"review_held","date":"2026-01-29"},
                      {"event":"review_adjourned","date":"2026-04-22"},
                      {"event":"review_held","date":"2026-05-06"}]}"#
    ));
}

#[test]
fn isu_procedure_case_summaries_long_term_foster_and_dispute() {
    insta::assert_snapshot!(snap(
        r#"{"jurisdiction":"england","profile":"isu-procedure","as_at":"2026-11-01","horizon_months":0,
            "events":[{"event":"became_looked_after","date":"2026-01-05"},
                      {"event":"care_plan_started","date":"2026-01-12"},
                      {"event":"review_held","date":"2026-01-29"},
                      {"event":"long_term_foster_placement","date":"2026-02-02"},
                      {"event":"dispute_started","date":"2026-03-02"},
                      {"event":"review_held","date":"2026-04-28"},
                      {"event":"review_held","date":"2026-10-20","meeting":false}]}"#
    ));
}
