//! A local rule that did not apply because the review predates the procedure is not shown
//! anywhere (pol9, session 9). Since session 9 Dudley's rules apply from 8 Aug 2022 and the ISU's
//! from 1 Jun 2017 (`in_force_from` on each rule, the mechanism statute's versions use; vectors
//! 150-153). The engine skips a rule not in force before it becomes a candidate, so neither the
//! obligation's `binding` (considered) list, nor its explanation, nor the audit (which carries
//! the obligation) says that Dudley's 90 days were not applied, or why: an IRO reading a Dudley
//! schedule of 2022 sees statute's three months and cannot tell whether Dudley's rule was
//! forgotten or did not apply yet.
//!
//! Fixed in session 10 (nif10), the way `before_care` works: a local candidate whose rule is not
//! yet in force is attached with a flag (`Builder::aside`: never binding, listed after the
//! others with `Considered::in_force_from`), and `Schedule::explain` says "Not applied: ...
//! applies only from ...". The other places rules are read: `tests/nif10_local_rules_not_in_force.rs`.
//!
//! The case is vector 151's: Dudley; looked after Mon 11 Jul 2022; first review held Fri 5 Aug
//! 2022, three days before Dudley's standards apply. The second review is due under statute
//! alone: three months, Sat 5 Nov 2022. Dudley's 90 days (Thu 3 Nov 2022) did not apply.

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
use lac_timescales::profile::{Basis, Profile};
use lac_timescales::schedule::{schedule, ScheduleOptions};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn dudleys_90_days_are_listed_as_not_applied_before_8_august_2022() {
    let case = CaseHistory::new(
        Jurisdiction::England,
        Child::default(),
        vec![
            Event::new(d(2022, 7, 11), EventKind::BecameLookedAfter),
            Event::new(d(2022, 8, 5), EventKind::ReviewHeld { meeting: true, regimes: None }),
        ],
    )
    .unwrap();
    let cal = Calendar::england_and_wales();
    let opts = ScheduleOptions::as_at(d(2022, 8, 20)).with_horizon_months(0);
    let s = schedule(&case, &Profile::builtin("dudley").unwrap(), &cal, &opts).unwrap();
    let i = s.obligations.iter().position(|o| o.duty == Duty::HoldReview && o.review_number == Some(2)).unwrap();
    let second = &s.obligations[i];
    // Statute binds: three months from Fri 5 Aug 2022.
    assert_eq!((second.latest, second.basis.clone()), (Some(d(2022, 11, 5)), Basis::Statutory));
    // Dudley's 90 days are listed as considered and not applied (they would give Thu 3 Nov).
    let listed = second.binding().unwrap_or_default();
    assert!(
        listed.iter().any(|c| c.basis == Basis::Local("dudley".into()) && c.citation.provision.contains("point 2")),
        "Dudley's 90-day rule is not in the considered list: {listed:?}"
    );
    // The explanation says so, with the day the standards apply from.
    let steps = s.explain(i, &cal, case.events()).unwrap().steps;
    assert!(
        steps.iter().any(|s| s.contains("Dudley") && s.contains("8 Aug 2022") && !s.starts_with("Authority:")),
        "{steps:#?}"
    );
}
