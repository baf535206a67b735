//! `Window::new` is public and takes any `i32` years. Since the runs are worked out in the
//! constructor (session 3), `year_start(i32::MIN)` (`year - 1`) overflowed there: a panic in a
//! debug build (found by an adversarial run). `year_start` and `year_label` no longer overflow.

use lac_timescales::ssda903::Window;

#[test]

fn a_window_of_the_smallest_year_is_made_without_a_panic() {
    let w = Window::new([2025, i32::MIN]);
    assert_eq!(w.years(), &[i32::MIN, 2025]);
    assert!(!w.covers(chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()));
}

#[test]
fn the_extreme_years_are_named_and_dated_without_a_panic() {
    use lac_timescales::ssda903::window::{year_end, year_label, year_start};
    assert_eq!(year_label(i32::MIN), "-2147483649-52");
    assert_eq!(year_label(i32::MAX), "2147483646-47");
    assert_eq!(year_start(i32::MIN), chrono::NaiveDate::MIN);
    assert_eq!(year_end(i32::MAX), chrono::NaiveDate::MAX);
    assert_eq!(year_label(2025), "2024-25");
    assert_eq!(year_label(2000), "1999-00");
}
