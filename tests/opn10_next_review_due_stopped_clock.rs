//! `Schedule::next_review_due` (src/engine/obligation.rs) returned a review that
//! a clock which has stopped missed, rather than the review due next on a clock still running.
//! The SSDA903 audit used it for its overdue row and so reported a looked-after review, missed
//! before a placement for adoption, as overdue months after its clock had stopped (fixed in the
//! audit by opn10, which no longer calls it). Fixed in the engine in session 10: a review missed
//! before its clock stopped is no longer due (`Trail::clock_stopped`).
//!
//! Looked after Mon 1 May 2023, review 1 held Fri 26 May 2023. Review 2 due within 3 months of it
//! (CPPCR reg 33(2)(a)): Sat 26 Aug 2023 (last working day Fri 25 Aug), not held. Placed for
//! adoption Mon 2 Oct 2023: the looked-after reviews stop (reg 3), review 2 missed. The adoption
//! reviews start (AAR 2005 reg 36(2)): the first within 28 days, Mon 30 Oct 2023. As at Sun 31
//! Mar 2024 the review due next is that adoption review; the looked-after review 2 is no longer
//! due at all (its clock stopped), it was missed.

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction, Regime};
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, ScheduleOptions};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn the_next_review_due_is_on_a_clock_still_running() {
    let case = CaseHistory::new(
        Jurisdiction::England,
        Child::default(),
        vec![
            Event::new(d(2023, 5, 1), EventKind::BecameLookedAfter),
            Event::new(d(2023, 5, 26), EventKind::ReviewHeld { meeting: true, regimes: None }),
            Event::new(d(2023, 10, 2), EventKind::AuthorityToPlace),
            Event::new(d(2023, 10, 2), EventKind::PlacedForAdoption),
        ],
    )
    .unwrap();
    let profile = Profile::builtin("england").unwrap();
    let s = schedule(&case, &profile, &Calendar::england_and_wales(), &ScheduleOptions::new()).unwrap();
    let next = s.next_review_due(d(2024, 3, 31)).expect("a review is due");
    assert_eq!(
        (next.regime, next.review_number, next.latest),
        (Some(Regime::AdoptionPlaced), Some(1), Some(d(2023, 10, 30)))
    );
}
