//! rev9 (session 9): adversarial checks of b1ccbed / 997062f. Visits to a child placed with a
//! parent (CPPCR reg 28(3): "at least once a week until the first review", then not more than six
//! weeks) or placed for adoption (AAR 2005 reg 36(4)(a): "within one week of the placement and
//! thereafter at least once a week until the first review"; after it no dated visit is encoded)
//! stay weekly until the first review is actually held; a review not yet held counts only for a
//! visit counted from a day after the as-at date, from its planned day.
//!
//! Every date below is worked out by hand from the calendar (2026: no bank holiday between
//! 1 Jan and Good Friday 3 Apr). "1 week" is 7 calendar days; "6 weeks" is 42.

mod json_rows;

use json_rows::{rows, run};

const WITH_PARENT: &str = r#"{"event":"became_looked_after","date":"2026-01-05"},
    {"event":"placement_started","date":"2026-01-05","with_parent":true},
    {"event":"social_worker_visit","date":"2026-01-09"},
    {"event":"social_worker_visit","date":"2026-01-16"},
    {"event":"social_worker_visit","date":"2026-01-23"},
    {"event":"social_worker_visit","date":"2026-01-30"},
    {"event":"social_worker_visit","date":"2026-02-06"}"#;

/// Looked after and placed with a parent Mon 5 Jan 2026; visited every Friday from 9 Jan to
/// 6 Feb; the first review (due within 20 working days: Mon 2 Feb 2026) held late, Wed 11 Feb;
/// visited Fri 13 Feb; as at 13 Feb, horizon 3 months (to Wed 13 May 2026).
/// - visit 1: within one week of Mon 5 Jan: Mon 12 Jan (done Fri 9 Jan);
/// - visits 2-6: weekly from the previous visit (no review held by then): Fri 16, 23, 30 Jan,
///   6 Feb, 13 Feb. Visit 6 counts from Fri 6 Feb, before the review of 11 Feb: still weekly;
/// - visit 7 counts from Fri 13 Feb, after the first review: six weeks, Fri 27 Mar 2026;
/// - visit 8 (projected) from Fri 27 Mar: Fri 8 May 2026; visit 9 would be Fri 19 Jun, past the
///   horizon.
#[test]
fn with_a_parent_visits_turn_six_weekly_after_a_first_review_held_late() {
    let v = run(&format!(
        r#"{{"jurisdiction":"england","as_at":"2026-02-13","horizon_months":3,"events":[{WITH_PARENT},
        {{"event":"review_held","date":"2026-02-11"}},{{"event":"social_worker_visit","date":"2026-02-13"}}]}}"#
    ));
    assert_eq!(
        rows(&v, "visit_child", None),
        [
            "1 2026-01-12 2026-01-12 2026-01-09 false -",
            "2 2026-01-16 2026-01-16 2026-01-16 false -",
            "3 2026-01-23 2026-01-23 2026-01-23 false -",
            "4 2026-01-30 2026-01-30 2026-01-30 false -",
            "5 2026-02-06 2026-02-06 2026-02-06 false -",
            "6 2026-02-13 2026-02-13 2026-02-13 false -",
            "7 2026-03-27 2026-03-27 - false -",
            "8 2026-05-08 2026-05-08 - true -",
        ]
    );
    // The first review: due Mon 2 Feb, held Wed 11 Feb: 7 working days (9 calendar days) late.
    assert_eq!(
        rows(&v, "hold_review", Some("looked_after"))[0],
        "1 2026-02-02 2026-02-02 2026-02-11 false late_review/statutory"
    );
}

/// The same history as at Mon 9 Feb 2026, before the review is held (it is overdue since Mon
/// 2 Feb). Visit 6 counts from Fri 6 Feb, on or before the as-at date: the history says no
/// review was held by then, so weekly: Fri 13 Feb. Visit 7 counts from Fri 13 Feb, after the
/// as-at date, when the overdue review is planned to have been held (whether on its own day,
/// 2 Feb, or no earlier than the as-at date, 9 Feb: both are before 13 Feb): six weeks, Fri
/// 27 Mar; visit 8 Fri 8 May (horizon: Sat 9 May 2026). With no horizon (0) only the next visit
/// (6, Fri 13 Feb) is shown, with the same date.
#[test]
fn with_a_parent_an_overdue_first_review_leaves_the_next_visit_weekly() {
    let req = |h: u32| {
        format!(r#"{{"jurisdiction":"england","as_at":"2026-02-09","horizon_months":{h},"events":[{WITH_PARENT}]}}"#)
    };
    let v = run(&req(3));
    let visits = rows(&v, "visit_child", None);
    assert_eq!(
        visits[5..],
        ["6 2026-02-13 2026-02-13 - false -", "7 2026-03-27 2026-03-27 - true -", "8 2026-05-08 2026-05-08 - true -"]
    );
    assert_eq!(rows(&v, "hold_review", Some("looked_after"))[0], "1 2026-02-02 2026-02-02 - false not_held/statutory");
    let v0 = run(&req(0));
    let visits0 = rows(&v0, "visit_child", None);
    assert_eq!(visits0.len(), 6, "{visits0:#?}");
    assert_eq!(visits0[5], "6 2026-02-13 2026-02-13 - false -");
    let v12 = run(&req(12));
    assert_eq!(rows(&v12, "visit_child", None)[..8], visits[..]);
}

const ADOPTION: &str = r#"{"event":"became_looked_after","date":"2026-01-05"},
    {"event":"authority_to_place","date":"2026-01-12"},
    {"event":"placed_for_adoption","date":"2026-02-02"},
    {"event":"social_worker_visit","date":"2026-02-06"},
    {"event":"social_worker_visit","date":"2026-02-13"}"#;

/// Placed for adoption Mon 2 Feb 2026; visited Fridays 6 Feb to 27 Feb; the first adoption
/// review (reg 36(2): not more than four weeks after the placement, Mon 2 Mar) held late, Wed
/// 4 Mar; visited Fri 6 Mar; as at 6 Mar.
/// - visit 1 within a week of 2 Feb: Mon 9 Feb; visits 2-4 weekly: 13, 20, 27 Feb;
/// - visit 5 counts from Fri 27 Feb, before the review of 4 Mar: weekly, Fri 6 Mar (done);
/// - after the visit of 6 Mar (after the first review) no dated visit: none is shown;
/// - review 2 (reg 36(3), three months after 4 Mar): Thu 4 Jun 2026.
#[test]
fn adoption_visits_stop_after_a_first_review_held_late() {
    let v = run(&format!(
        r#"{{"jurisdiction":"england","as_at":"2026-03-06","horizon_months":12,"events":[{ADOPTION},
        {{"event":"social_worker_visit","date":"2026-02-20"}},{{"event":"social_worker_visit","date":"2026-02-27"}},
        {{"event":"review_held","date":"2026-03-04"}},{{"event":"social_worker_visit","date":"2026-03-06"}}]}}"#
    ));
    assert_eq!(
        rows(&v, "visit_child", None),
        [
            "1 2026-02-09 2026-02-09 2026-02-06 false -",
            "2 2026-02-13 2026-02-13 2026-02-13 false -",
            "3 2026-02-20 2026-02-20 2026-02-20 false -",
            "4 2026-02-27 2026-02-27 2026-02-27 false -",
            "5 2026-03-06 2026-03-06 2026-03-06 false -",
        ]
    );
    assert_eq!(rows(&v, "hold_review", Some("adoption_placed"))[1], "2 2026-06-04 2026-06-04 - false -");
}

/// As at Tue 3 Mar 2026, the first adoption review (due Mon 2 Mar) not held. Visit 5 counts
/// from Fri 27 Feb (before the as-at date; no review held by then): weekly, Fri 6 Mar. The one
/// after counts from Fri 6 Mar, after the review planned (overdue): none. Review 2 three months
/// after its assumed day (Mon 2 Mar): Tue 2 Jun 2026.
#[test]
fn adoption_visits_stay_weekly_while_the_first_review_is_overdue() {
    let v = run(&format!(
        r#"{{"jurisdiction":"england","as_at":"2026-03-03","horizon_months":12,"events":[{ADOPTION},
        {{"event":"social_worker_visit","date":"2026-02-20"}},{{"event":"social_worker_visit","date":"2026-02-27"}}]}}"#
    ));
    let visits = rows(&v, "visit_child", None);
    assert_eq!(visits.len(), 5, "{visits:#?}");
    assert_eq!(visits[4], "5 2026-03-06 2026-03-06 - false -");
    assert_eq!(
        rows(&v, "hold_review", Some("adoption_placed"))[..2],
        ["1 2026-03-02 2026-03-02 - false not_held/statutory", "2 2026-06-02 2026-06-02 - true -"]
    );
}

/// The first adoption review rearranged (on Fri 20 Feb) from Mon 2 Mar to Mon 9 Mar 2026; as at
/// Fri 27 Feb. Visit 5 from Fri 27 Feb (on the as-at date): weekly, Fri 6 Mar. Visit 6 from
/// Fri 6 Mar: the review is planned for 9 Mar, after it: weekly, Fri 13 Mar (projected). The
/// next counts from 13 Mar, after the planned review: none. Review 2 three months after Mon
/// 9 Mar: Tue 9 Jun 2026.
#[test]
fn adoption_visits_follow_a_rearranged_first_review() {
    let v = run(&format!(
        r#"{{"jurisdiction":"england","as_at":"2026-02-27","horizon_months":12,"events":[{ADOPTION},
        {{"event":"review_rearranged","date":"2026-02-20","from":"2026-03-02","to":"2026-03-09"}},
        {{"event":"social_worker_visit","date":"2026-02-20"}},{{"event":"social_worker_visit","date":"2026-02-27"}}]}}"#
    ));
    let visits = rows(&v, "visit_child", None);
    assert_eq!(visits[4..], ["5 2026-03-06 2026-03-06 - false -", "6 2026-03-13 2026-03-13 - true -"]);
    assert_eq!(rows(&v, "hold_review", Some("adoption_placed"))[1], "2 2026-06-09 2026-06-09 - true -");
}

/// Planning ahead: placed with a parent Mon 5 Jan 2026, visited Fri 9 Jan; as at Mon 12 Jan,
/// horizon 3 months (to Sun 12 Apr). The first review is planned for its deadline, Mon 2 Feb.
/// Visits weekly from 9 Jan: Fri 16, 23, 30 Jan, 6 Feb (each counted from a day before 2 Feb);
/// the one after counts from Fri 6 Feb, after the planned review: six weeks, Fri 20 Mar; the
/// next, Fri 1 May, is past the horizon.
#[test]
fn with_a_parent_projected_visits_turn_six_weekly_after_the_planned_first_review() {
    let v = run(r#"{"jurisdiction":"england","as_at":"2026-01-12","horizon_months":3,"events":[
        {"event":"became_looked_after","date":"2026-01-05"},
        {"event":"placement_started","date":"2026-01-05","with_parent":true},
        {"event":"social_worker_visit","date":"2026-01-09"}]}"#);
    assert_eq!(
        rows(&v, "visit_child", None),
        [
            "1 2026-01-12 2026-01-12 2026-01-09 false -",
            "2 2026-01-16 2026-01-16 - false -",
            "3 2026-01-23 2026-01-23 - true -",
            "4 2026-01-30 2026-01-30 - true -",
            "5 2026-02-06 2026-02-06 - true -",
            "6 2026-03-20 2026-03-20 - true -",
        ]
    );
}
