//! rev9 (session 9): adversarial checks of c151b96. Visits in a placement made before the law
//! that owes them (CPPCR reg 28, in force 1 Apr 2011; Wales reg 31, 6 Apr 2016) are owed from
//! the first visit after it: a visit counts under the rule in force on the date of the previous
//! visit (care-planning-timescales.md; orc9's oracle reads the same: intervals beginning on or
//! after the law's day).

mod json_rows;

use json_rows::{rows, run};

/// England: looked after and placed Tue 1 Jun 2010 (not long-term); visits Sat 5 Jun 2010,
/// Tue 1 Feb 2011 (both counted from days before 1 Apr 2011: nothing owed), Sun 1 May 2011
/// (counted from 1 Feb 2011, before the law: nothing owed); as at Wed 1 Jun 2011, horizon 3
/// months (to Thu 1 Sep 2011).
/// - visit 4 counts from Sun 1 May 2011, within the placement's first year (to Wed 1 Jun 2011):
///   reg 28(2)(b), six weeks, Sun 12 Jun 2011, planned for Fri 10 Jun;
/// - visit 5 (projected) from Fri 10 Jun, after the first year, not long-term: reg 28(2)(c)(ii),
///   six weeks, Fri 22 Jul 2011;
/// - visit 6 would be Fri 2 Sep 2011, past the horizon.
#[test]
fn a_2010_placement_owes_visits_from_the_first_visit_after_1_april_2011() {
    let v = run(r#"{"jurisdiction":"england","as_at":"2011-06-01","horizon_months":3,"events":[
        {"event":"became_looked_after","date":"2010-06-01"},{"event":"placement_started","date":"2010-06-01"},
        {"event":"social_worker_visit","date":"2010-06-05"},{"event":"social_worker_visit","date":"2011-02-01"},
        {"event":"social_worker_visit","date":"2011-05-01"}]}"#);
    assert_eq!(
        rows(&v, "visit_child", None),
        ["4 2011-06-12 2011-06-10 - false -", "5 2011-07-22 2011-07-22 - true -"]
    );
    let cites: Vec<&str> = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["duty"] == "visit_child")
        .map(|o| v["citations"][o["citation"].as_u64().unwrap() as usize]["provision"].as_str().unwrap())
        .collect();
    assert_eq!(cites, ["reg 28(2)(b)", "reg 28(2)(c)(ii)"]);
}

/// A placement made and ended before 1 Apr 2011 (Tue 1 Jun 2010 to Wed 1 Dec 2010), never
/// visited: no visit was owed under the 2010 Regulations; as at 2012 none is shown.
#[test]
fn a_placement_ended_before_2011_owes_no_visit() {
    let v = run(r#"{"jurisdiction":"england","as_at":"2012-01-02","horizon_months":12,"events":[
        {"event":"became_looked_after","date":"2010-06-01"},{"event":"placement_started","date":"2010-06-01"},
        {"event":"placement_ended","date":"2010-12-01"}]}"#);
    assert!(rows(&v, "visit_child", None).is_empty(), "{:#?}", rows(&v, "visit_child", None));
}

/// Wales: looked after and placed Thu 1 Oct 2015; visits Tue 1 Dec 2015, Tue 1 Mar 2016 (both
/// from days before 6 Apr 2016), Sun 10 Apr 2016 (from 1 Mar 2016: nothing owed); as at Wed
/// 1 Jun 2016. Visit 4 from Sun 10 Apr 2016, in the first year (to 1 Oct 2016): reg 31(2)(b),
/// six weeks, Sun 22 May 2016 (planned for Fri 20 May), not done as at 1 Jun.
#[test]
fn a_welsh_2015_placement_owes_visits_from_the_first_visit_after_6_april_2016() {
    let v = run(r#"{"jurisdiction":"wales","as_at":"2016-06-01","horizon_months":0,"events":[
        {"event":"became_looked_after","date":"2015-10-01"},{"event":"placement_started","date":"2015-10-01"},
        {"event":"social_worker_visit","date":"2015-12-01"},{"event":"social_worker_visit","date":"2016-03-01"},
        {"event":"social_worker_visit","date":"2016-04-10"}]}"#);
    assert_eq!(rows(&v, "visit_child", None), ["4 2016-05-22 2016-05-20 - false not_done/statutory"]);
}

/// Looked after and placed Tue 1 Jun 2010 (not long-term), last visited Wed 1 Dec 2010, never
/// after; as at Fri 1 Jun 2012. From 1 Apr 2011 reg 28(2) requires visits "at intervals of not
/// more than six weeks" (thereafter, outside the first year, six weeks again); by June 2012 the
/// child has gone 18 months unvisited, 14 of them under the law. The engine shows no visit
/// obligation at all: the interval from the 2010 visit is under no rule (passed over only for a
/// visit recorded, never in the projection), so a child never visited after 1 Apr 2011 is never
/// owed one, and the audit reports nothing. The same with no visit at all since the placement.
/// Expected (one reading; the reference does not settle the transition): a visit owed within six
/// weeks of the law's first day, Fri 13 May 2011, not done as at 1 Jun 2012. This test asserts
/// only that some visit is owed and overdue, whatever its day.
#[test]
#[ignore = "a reading not taken (docs/fidelity.md, In-force dates): a placement made before 1 Apr 2011 with no visit after it owes no visit"]
fn a_2010_placement_never_visited_after_the_law_owes_a_visit() {
    let v = run(r#"{"jurisdiction":"england","as_at":"2012-06-01","horizon_months":0,"events":[
        {"event":"became_looked_after","date":"2010-06-01"},{"event":"placement_started","date":"2010-06-01"},
        {"event":"social_worker_visit","date":"2010-12-01"}]}"#);
    let visits = rows(&v, "visit_child", None);
    assert!(visits.iter().any(|r| r.ends_with("not_done/statutory")), "{visits:#?}");
}
