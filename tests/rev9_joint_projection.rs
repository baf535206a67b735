//! rev9 (session 9): adversarial checks of 0ef64fd (the joint projection: a clock joins a
//! projected meeting only when it counts from that day or before; one that cannot keeps its
//! occurrence, made once) and 85112a4 (a repeating event duty under the rule in force on the
//! previous repetition's due date). Dates by hand; England review intervals: reg 33(1) 20
//! working days, 33(2)(a) three months, 33(2)(b) six months; adoption authorised (AAR 2005 reg
//! 36(1)): three months, then six; placed for adoption (reg 36(2)-(3)): four weeks, three
//! months, six.

mod json_rows;

use json_rows::{rows, run};

/// Looked after Mon 5 Jan 2026; review 1 never held (due Mon 2 Feb: overdue); authority to place
/// Mon 9 Feb 2026; as at Mon 16 Feb, horizon 12 months (to Tue 16 Feb 2027).
/// - the first projected meeting is on review 1's day, Mon 2 Feb: before the adoption clock
///   starts, so only the looked-after clock joins it;
/// - looked-after review 2, three months after 2 Feb: Sat 2 May (plan Fri 1 May); adoption
///   review 1, three months after 9 Feb: Sat 9 May (plan Fri 8 May). Both join the meeting of
///   Fri 1 May (the earliest day to plan for, after both clocks' starts): adoption review 1 is
///   one obligation, not two;
/// - both count six months from Fri 1 May: Sun 1 Nov 2026 (plan Fri 30 Oct), looked-after 3 and
///   adoption 2; six months after 30 Oct is Fri 30 Apr 2027, past the horizon.
/// - the meeting duties follow the meetings: the IRO's talk with the child on 2 Feb (review 1),
///   Fri 1 May (review 2), Fri 30 Oct (review 3).
#[test]
fn an_adoption_clock_started_after_an_overdue_review_joins_the_next_meeting() {
    let v = run(r#"{"jurisdiction":"england","as_at":"2026-02-16","horizon_months":12,"events":[
        {"event":"became_looked_after","date":"2026-01-05"},{"event":"authority_to_place","date":"2026-02-09"}]}"#);
    assert_eq!(
        rows(&v, "hold_review", Some("looked_after")),
        [
            "1 2026-02-02 2026-02-02 - false not_held/statutory",
            "2 2026-05-02 2026-05-01 - true -",
            "3 2026-11-01 2026-10-30 - true -",
        ]
    );
    assert_eq!(
        rows(&v, "hold_review", Some("adoption_authorised")),
        ["1 2026-05-09 2026-05-08 - false -", "2 2026-11-01 2026-10-30 - true -"]
    );
    assert_eq!(
        rows(&v, "iro_speak_to_child", None),
        ["1 2026-02-02 2026-02-02 - true -", "2 2026-05-01 2026-05-01 - true -", "3 2026-10-30 2026-10-30 - true -"]
    );
}

/// Looked after Mon 5 Jan 2026; review 1 held Thu 29 Jan; review 2 (due three months after:
/// Wed 29 Apr) rearranged on Wed 1 Apr to Fri 17 Apr; authority to place Mon 20 Apr; as at
/// 20 Apr, horizon 12 months (to Tue 20 Apr 2027).
/// - the planned meeting of 17 Apr is before the adoption clock's start: looked-after review 2
///   only;
/// - looked-after review 3, six months after 17 Apr: Sat 17 Oct (plan Fri 16 Oct); adoption
///   review 1, three months after 20 Apr: Mon 20 Jul. The next meeting is on Mon 20 Jul, and
///   both join it;
/// - from 20 Jul, six months: Wed 20 Jan 2027, looked-after 4 and adoption 2; the next, Tue
///   20 Jul 2027, is past the horizon.
#[test]
fn a_rearranged_review_before_the_adoption_clock_serves_the_looked_after_clock_only() {
    let v = run(r#"{"jurisdiction":"england","as_at":"2026-04-20","horizon_months":12,"events":[
        {"event":"became_looked_after","date":"2026-01-05"},{"event":"review_held","date":"2026-01-29"},
        {"event":"review_rearranged","date":"2026-04-01","from":"2026-04-29","to":"2026-04-17"},
        {"event":"authority_to_place","date":"2026-04-20"}]}"#);
    assert_eq!(
        rows(&v, "hold_review", Some("looked_after")),
        [
            "1 2026-02-02 2026-02-02 2026-01-29 false -",
            "2 2026-04-29 2026-04-29 - false -",
            "3 2026-10-17 2026-10-16 - true -",
            "4 2027-01-20 2027-01-20 - true -",
        ]
    );
    assert_eq!(
        rows(&v, "hold_review", Some("adoption_authorised")),
        ["1 2026-07-20 2026-07-20 - false -", "2 2027-01-20 2027-01-20 - true -"]
    );
    // The IRO's talk before each meeting: 17 Apr (review 2), 20 Jul (3), 20 Jan 2027 (4).
    assert_eq!(
        rows(&v, "iro_speak_to_child", None)[1..],
        ["2 2026-04-17 2026-04-17 - true -", "3 2026-07-20 2026-07-20 - true -", "4 2027-01-20 2027-01-20 - true -"]
    );
}

/// Placed for adoption Mon 23 Feb 2026 (authority Mon 9 Feb), looked after from Mon 5 Jan with
/// review 1 never held; as at Mon 2 Mar. The placement ends the looked-after and authorised
/// clocks: looked-after review 1 (due Mon 2 Feb) was missed, statute's deadline passing while
/// looked after; adoption-authorised review 1 (due 9 May) never fell due. The placement's
/// clock: four weeks, Mon 23 Mar; three months, Tue 23 Jun; six months, Wed 23 Dec 2026.
#[test]
fn a_placement_for_adoption_projects_its_own_clock() {
    let v = run(r#"{"jurisdiction":"england","as_at":"2026-03-02","horizon_months":12,"events":[
        {"event":"became_looked_after","date":"2026-01-05"},{"event":"authority_to_place","date":"2026-02-09"},
        {"event":"placed_for_adoption","date":"2026-02-23"}]}"#);
    assert_eq!(rows(&v, "hold_review", Some("looked_after")), ["1 2026-02-02 2026-02-02 - false not_held/statutory"]);
    assert!(rows(&v, "hold_review", Some("adoption_authorised")).is_empty());
    assert_eq!(
        rows(&v, "hold_review", Some("adoption_placed")),
        ["1 2026-03-23 2026-03-23 - false -", "2 2026-06-23 2026-06-23 - true -", "3 2026-12-23 2026-12-23 - true -"]
    );
}

/// ISU (its rules in force from Thu 1 Jun 2017): six-monthly case summaries from the care
/// plan's start, Thu 1 Dec 2016; as at Wed 10 Jan 2018, no horizon.
/// - repetition 1, Thu 1 Jun 2017: counted from the care plan's start, before the procedure:
///   not owed (though it falls due on the procedure's first day);
/// - repetition 2, Fri 1 Dec 2017: the previous fell due on 1 Jun 2017, the procedure's first
///   day: owed;
/// - repetition 3, Fri 1 Jun 2018: the next after the as-at date, shown.
#[test]
fn a_repeating_local_duty_starts_from_the_repetition_after_the_procedure() {
    let v =
        run(r#"{"jurisdiction":"england","profile":"isu-procedure","as_at":"2018-01-10","horizon_months":0,"events":[
        {"event":"became_looked_after","date":"2016-11-14"},{"event":"care_plan_started","date":"2016-12-01"}]}"#);
    assert_eq!(
        rows(&v, "case_summary", None),
        ["2 2017-12-01 2017-12-01 - false -", "3 2018-06-01 2018-06-01 - false -"]
    );
}
