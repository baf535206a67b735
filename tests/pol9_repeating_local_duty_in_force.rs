//! A local duty repeating from an event never starts when the event predates the procedure
//! (pol9, session 9). The ISU's six-monthly case summaries count from the start of the care plan
//! (`care_plan_started`, `repeat`); since session 9 the ISU's rules apply from 1 Jun 2017. The
//! engine decides whether the rule is in force once, on the event's date, for every repetition
//! (`src/engine/duties/event.rs`, `rule.in_force(mk.date)`), so a care plan started before
//! 1 Jun 2017 gets no case summary ever, even years later. Visits decide each occurrence by the
//! date of the previous one (ARCHITECTURE.md, "Rule versions"); by that reading (or by each
//! summary's own due date) the summaries from Sep 2017 or Mar 2018 on are the ISU's.
//!
//! Fixed in session 9: each repetition is under the rule in force on the date the previous one
//! fell due (the first: on the event's date).
//!
//! The case: ISU; looked after Tue 1 Mar 2016, care plan started Thu 10 Mar 2016; reviews held on
//! time. Case summaries every six months from 10 Mar 2016: Sat 10 Sep 2016, Fri 10 Mar 2017, Sun
//! 10 Sep 2017, Sat 10 Mar 2018. The one due Sat 10 Mar 2018 is counted from the one of Sun 10 Sep
//! 2017, after the procedure applies: it is the ISU's whichever reading is taken.

use lac_timescales::json::schedule_json;
use serde_json::Value;

#[test]
fn case_summaries_after_the_procedure_applies_are_due() {
    let out = schedule_json(
        r#"{"jurisdiction": "england", "profile": "isu-procedure", "as_at": "2018-01-10", "horizon_months": 0,
            "events": [
            {"event": "became_looked_after", "date": "2016-03-01"},
            {"event": "care_plan_started", "date": "2016-03-10"},
            {"event": "review_held", "date": "2016-03-24"},
            {"event": "review_held", "date": "2016-06-20"},
            {"event": "review_held", "date": "2016-12-15"},
            {"event": "review_held", "date": "2017-06-12"},
            {"event": "review_held", "date": "2017-12-04"}]}"#,
    )
    .unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    let summaries: Vec<&Value> =
        v["obligations"].as_array().unwrap().iter().filter(|o| o["duty"] == "case_summary").collect();
    // Sat 10 Sep 2016, Fri 10 Mar 2017 and Sun 10 Sep 2017 each count from a date before 1 Jun
    // 2017 (the care plan's start, then the previous summary's due date): not the ISU's. Sat 10
    // Mar 2018 counts from Sun 10 Sep 2017: the ISU's, and the next one after the as-at date.
    let due: Vec<&str> = summaries.iter().map(|o| o["latest"].as_str().unwrap()).collect();
    assert_eq!(due, ["2018-03-10"], "{summaries:#?}");
    assert_eq!(summaries[0]["review_number"], 4, "the fourth six-monthly repetition from the care plan");
}
