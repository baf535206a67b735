//! rev9 (session 9): since 0ef64fd a clock that cannot join a projected meeting (it counts from a
//! later day) waits for the next one, where it may bring that meeting forward. A clock that joins
//! the earlier meeting is then planned for a day well before its own deadline; when that deadline
//! is past the horizon, `finish` leaves the review out (its day to plan for, its own
//! `latest_working_day`, is past it) while the meeting's duties, counted from the meeting's day,
//! are shown: the duties of a review without the review, the symptom e63b867 fixed for one clock
//! (orc9: "the IRO's talk with the child before it was shown alone").

use serde_json::Value;

/// Looked after Mon 5 Jan 2026; review 1 held Thu 29 Jan. Accommodation to end Tue 3 Mar: an
/// early review by the day before (reg 33(3)), Mon 2 Mar, not held as at Wed 4 Mar. Authority to
/// place Wed 4 Mar: adoption review 1 within three months (AAR reg 36(1)), Thu 4 Jun 2026. Horizon
/// four months: to Sat 4 Jul 2026.
/// - The first projected meeting is the early review's, Mon 2 Mar (review 2): before the adoption
///   clock started, so the looked-after clock alone joins it;
/// - the looked-after review 3 is due six months after 2 Mar (reg 33(2)(b)): Wed 2 Sep 2026;
///   adoption review 1 on Thu 4 Jun. The next meeting is on Thu 4 Jun, the earliest day to plan
///   for, and both clocks join it: review 3 is planned for Thu 4 Jun, inside the horizon.
/// - Shown: the IRO's talk with the child before review 3 (Thu 4 Jun), review 3's written
///   decisions (Thu 11 Jun), its record (Thu 25 Jun, Thu 2 Jul). Not shown: review 3 itself (its
///   own day to plan for, Wed 2 Sep, is past the horizon).
///
/// Expected: review 3 shown with its duties (it is planned for a meeting inside the horizon, as
/// tests/horizon.rs shows a review with the duties before it), or neither. Got: its duties alone.
///
/// Reproduce: `schedule_json` with the request below.
#[test]
fn a_review_whose_joint_meeting_is_inside_the_horizon_is_shown_with_its_duties() {
    let out = lac_timescales::json::schedule_json(
        r#"{"jurisdiction":"england","as_at":"2026-03-04","horizon_months":4,"events":[
        {"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"accommodation_ending","date":"2026-03-03"},{"event":"authority_to_place","date":"2026-03-04"}]}"#,
    )
    .unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    let obs = v["obligations"].as_array().unwrap();
    let la = |duty: &str, n: u64| {
        obs.iter().any(|o| o["duty"] == duty && o["regime"] == "looked_after" && o["review_number"] == n)
    };
    // The duties of review 3 are shown, planned for the joint meeting of Thu 4 Jun 2026.
    let talk = obs
        .iter()
        .find(|o| o["duty"] == "iro_speak_to_child" && o["review_number"] == 3)
        .expect("the IRO's talk before review 3");
    assert_eq!(talk["latest"], "2026-06-04");
    assert!(la("issue_decisions", 3));
    // So is review 3 (deadline Wed 2 Sep 2026).
    assert!(la("hold_review", 3), "review 3 left out while its duties are shown");
}

/// The same with a twelve-month horizon (to Thu 4 Mar 2027): review 3 (Wed 2 Sep 2026) and its
/// duties are all shown; adoption review 1 is Thu 4 Jun; then both count six months from 4 Jun:
/// Fri 4 Dec 2026.
#[test]
fn with_a_longer_horizon_the_review_and_its_duties_are_shown() {
    let out = lac_timescales::json::schedule_json(
        r#"{"jurisdiction":"england","as_at":"2026-03-04","horizon_months":12,"events":[
        {"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"accommodation_ending","date":"2026-03-03"},{"event":"authority_to_place","date":"2026-03-04"}]}"#,
    )
    .unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    let reviews: Vec<(String, u64, String)> = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["duty"] == "hold_review" && o["early"] != true)
        .map(|o| {
            (
                o["regime"].as_str().unwrap().to_string(),
                o["review_number"].as_u64().unwrap(),
                o["latest"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let r = |g: &str, n: u64, d: &str| (g.to_string(), n, d.to_string());
    assert_eq!(
        reviews,
        [
            r("looked_after", 1, "2026-02-02"),
            r("looked_after", 2, "2026-04-29"),
            r("adoption_authorised", 1, "2026-06-04"),
            r("looked_after", 3, "2026-09-02"),
            r("adoption_authorised", 2, "2026-12-04"),
            r("looked_after", 4, "2026-12-04"),
        ]
    );
}

/// The same through a rearranged review. Looked after Mon 5 Jan 2026; review 1 held Thu 29 Jan;
/// review 2 (due Wed 29 Apr) rearranged on Wed 1 Apr to Fri 17 Apr; authority to place Mon
/// 20 Apr; as at 20 Apr, horizon four months (to Thu 20 Aug 2026). The planned meeting of 17 Apr
/// is before the adoption clock's start (looked-after review 2 alone); review 3 is due six months
/// after it, Sat 17 Oct (plan Fri 16 Oct); adoption review 1 on Mon 20 Jul: both join the
/// meeting of Mon 20 Jul, inside the horizon. Shown: the IRO's talk before review 3 (20 Jul),
/// its decisions (Mon 27 Jul), its record (Mon 10 Aug, Mon 17 Aug). Not shown: review 3.
#[test]
fn a_review_joining_the_adoption_clocks_meeting_after_a_rearrangement_is_shown_with_its_duties() {
    let out = lac_timescales::json::schedule_json(
        r#"{"jurisdiction":"england","as_at":"2026-04-20","horizon_months":4,"events":[
        {"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"review_rearranged","date":"2026-04-01","from":"2026-04-29","to":"2026-04-17"},
        {"event":"authority_to_place","date":"2026-04-20"}]}"#,
    )
    .unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    let obs = v["obligations"].as_array().unwrap();
    let la = |duty: &str, n: u64| {
        obs.iter().find(|o| o["duty"] == duty && o["regime"] == "looked_after" && o["review_number"] == n)
    };
    assert_eq!(la("iro_speak_to_child", 3).expect("the IRO's talk before review 3")["latest"], "2026-07-20");
    assert_eq!(la("distribute_review_record", 3).expect("review 3's record")["latest"], "2026-08-17");
    assert!(la("hold_review", 3).is_some(), "review 3 left out while its duties are shown");
}
