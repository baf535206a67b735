//! rev9 (session 9): adversarial checks of 804fe05. A review missed when the child stops being
//! looked after is judged on the day the clock stopped: statute's deadline breached only when it
//! fell before that day (the last day looked after included).
//!
//! Dudley (in force from 8 Aug 2022): second review within 90 days of the first, beside
//! statute's three months (reg 33(2)(a)). Looked after Mon 11 May 2026; review 1 held Mon 1 Jun
//! 2026 (due within 20 working days: Tue 9 Jun, Mon 25 May being the spring bank holiday).
//! Review 2: Dudley, 90 days after 1 Jun: Jun 29 + Jul 31 = 60, + 30 = Sun 30 Aug 2026 (planned
//! for Fri 28 Aug: Mon 31 Aug is the summer bank holiday); statute, three months: Tue 1 Sep 2026.
//! Dudley's binds.

mod json_rows;

use json_rows::{rows, run};

fn ceased_on(day: &str) -> Vec<String> {
    let v = run(&format!(
        r#"{{"jurisdiction":"england","profile":"dudley","as_at":"2026-09-10","horizon_months":0,"events":[
        {{"event":"became_looked_after","date":"2026-05-11"}},{{"event":"review_held","date":"2026-06-01"}},
        {{"event":"ceased_to_be_looked_after","date":"{day}"}}]}}"#
    ));
    rows(&v, "hold_review", Some("looked_after"))
}

/// Ceased Wed 2 Sep: the last day looked after was Tue 1 Sep, statute's deadline, and it passed
/// without the review: statute is breached.
#[test]
fn ceased_the_day_after_statutes_deadline_breaches_statute() {
    assert_eq!(ceased_on("2026-09-02")[1], "2 2026-08-30 2026-08-28 - false not_held/statutory");
}

/// Ceased Tue 1 Sep (statute's deadline day): the last day looked after was Mon 31 Aug; statute's
/// deadline never passed while the child was looked after; Dudley's (Sun 30 Aug) did.
#[test]
fn ceased_on_statutes_deadline_breaches_only_the_local_standard() {
    assert_eq!(ceased_on("2026-09-01")[1], "2 2026-08-30 2026-08-28 - false not_held/local:dudley");
    assert_eq!(ceased_on("2026-08-31")[1], "2 2026-08-30 2026-08-28 - false not_held/local:dudley");
}

/// Ceased Sun 30 Aug, Dudley's deadline day: no deadline passed while looked after: no review 2.
#[test]
fn ceased_on_the_binding_deadline_owes_nothing() {
    assert_eq!(ceased_on("2026-08-30").len(), 1);
}
