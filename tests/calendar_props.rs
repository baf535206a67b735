//! Property tests of the calendar and the counting rules.

use chrono::{Days, NaiveDate};
use lac_timescales::calendar::Calendar;
use lac_timescales::period::{at_least_before, within_after, Period};
use proptest::prelude::*;

fn date() -> impl Strategy<Value = NaiveDate> {
    // 1971-01-01 plus up to ~228 years, leaving room for offsets.
    (0u64..76_000).prop_map(|n| NaiveDate::from_ymd_opt(1971, 1, 1).unwrap() + Days::new(n))
}

fn period() -> impl Strategy<Value = Period> {
    prop_oneof![
        (0u32..300).prop_map(Period::WorkingDays),
        (0u32..400).prop_map(Period::Days),
        (0u32..60).prop_map(Period::Weeks),
        (0u32..24).prop_map(Period::Months),
        (0u32..200).prop_map(Period::Hours),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn add_then_between_gives_n_back(a in date(), n in 1u32..400) {
        let cal = Calendar::england_and_wales();
        let r = cal.add_working_days(a, n).unwrap();
        prop_assert_eq!(cal.working_days_between(a, r).unwrap(), i64::from(n));
        prop_assert_eq!(cal.working_days_between(r, a).unwrap(), -i64::from(n));
        prop_assert!(r > a);
    }

    #[test]
    fn add_and_sub_land_on_working_days(a in date(), n in 1u32..400) {
        let cal = Calendar::england_and_wales();
        prop_assert!(cal.is_working_day(cal.add_working_days(a, n).unwrap()).unwrap());
        let s = cal.sub_working_days(a + Days::new(1000), n).unwrap();
        prop_assert!(cal.is_working_day(s).unwrap());
    }

    #[test]
    fn sub_inverts_add_on_working_days(a in date(), n in 1u32..400) {
        let cal = Calendar::england_and_wales();
        let w = cal.next_working_day_on_or_after(a).unwrap();
        prop_assert_eq!(cal.sub_working_days(cal.add_working_days(w, n).unwrap(), n).unwrap(), w);
        // From any date x: n back then n forward reaches x itself, or the next working day when x
        // is not one.
        let x = a + Days::new(1000);
        prop_assert_eq!(cal.add_working_days(cal.sub_working_days(x, n).unwrap(), n).unwrap(),
            cal.next_working_day_on_or_after(x).unwrap());
    }

    #[test]
    fn a_later_anchor_never_gives_an_earlier_deadline(a in date(), gap in 0u64..40, p in period()) {
        let cal = Calendar::england_and_wales();
        let b = a + Days::new(gap);
        let (da, db) = (within_after(a, p, &cal).unwrap(), within_after(b, p, &cal).unwrap());
        prop_assert!(da.date <= db.date);
        prop_assert!(da.latest_working_day <= db.latest_working_day);
        let (ba, bb) = (at_least_before(a + Days::new(3000), p, &cal).unwrap(), at_least_before(b + Days::new(3000), p, &cal).unwrap());
        prop_assert!(ba.date <= bb.date);
    }

    #[test]
    fn latest_working_day_is_a_working_day_on_or_before_the_deadline(a in date(), p in period()) {
        let cal = Calendar::england_and_wales();
        let dl = within_after(a, p, &cal).unwrap();
        prop_assert!(dl.latest_working_day <= dl.date);
        prop_assert!(cal.is_working_day(dl.latest_working_day).unwrap());
        prop_assert!(cal.working_days_between(dl.latest_working_day, dl.date).unwrap() == 0);
    }

    #[test]
    fn at_least_before_is_the_latest_date_that_leaves_the_period(a in date(), p in period()) {
        let cal = Calendar::england_and_wales();
        let anchor = a + Days::new(3000);
        let dl = at_least_before(anchor, p, &cal).unwrap();
        if let Period::WorkingDays(n) = p {
            // Exactly n working days x with dl <= x < anchor, and dl is one of them (n > 0).
            let day_before = |x: NaiveDate| x.pred_opt().unwrap();
            prop_assert_eq!(cal.working_days_between(day_before(dl.date), day_before(anchor)).unwrap(), i64::from(n));
            if n > 0 {
                prop_assert!(cal.is_working_day(dl.date).unwrap());
            }
        } else {
            // Counting the period forward from the answer does not pass the anchor, and from the
            // next day it does: the answer is the latest date that still leaves the period.
            prop_assert!(within_after(dl.date, p, &cal).unwrap().date <= anchor);
            let next = dl.date + Days::new(1);
            let fwd = within_after(next, p, &cal).unwrap().date;
            prop_assert!(fwd > anchor, "{} before {}: {} is not the latest ({} reaches {})", p, anchor, dl.date, next, fwd);
        }
    }

    #[test]
    fn last_and_next_working_day_bracket_the_date(a in date()) {
        let cal = Calendar::england_and_wales();
        let (lo, hi) = (cal.last_working_day_on_or_before(a).unwrap(), cal.next_working_day_on_or_after(a).unwrap());
        prop_assert!(lo <= a && a <= hi);
        prop_assert_eq!(cal.is_working_day(a).unwrap(), lo == hi);
        prop_assert!(cal.working_days_between(lo, hi).unwrap() <= 1);
    }
}
