//! Working-day offsets and period deadlines around Christmas and New Year, Easter, the jubilees,
//! the 2022 State Funeral, the 2023 Coronation, royal weddings and leap days, each counted by hand
//! (the comment above each case shows the count). Conventions: reference
//! `statutory-timescales.md` s.4. "+n" is the n-th working day after the anchor (the anchor is day
//! 0 and never counts); "-n" the n-th working day before it; `between(a, b)` counts the working
//! days x with a < x <= b (negative when b < a). Month periods use the corresponding date, falling
//! back to the month's last day; "at least n months before R" is the latest D with D + n months
//! on or before R. Calendar-day and month deadlines are not moved: the last working day on or
//! before them is reported beside them. Cases already in `tests/period.rs` are not repeated.

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::period::{at_least_before, within_after, Deadline, Period};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cal() -> Calendar {
    Calendar::england_and_wales()
}

fn add(a: &str, n: u32) -> NaiveDate {
    cal().add_working_days(d(a), n).unwrap()
}

fn sub(a: &str, n: u32) -> NaiveDate {
    cal().sub_working_days(d(a), n).unwrap()
}

fn between(a: &str, b: &str) -> i64 {
    cal().working_days_between(d(a), d(b)).unwrap()
}

fn after(a: &str, p: Period) -> Deadline {
    within_after(d(a), p, &cal()).unwrap()
}

fn before(a: &str, p: Period) -> Deadline {
    at_least_before(d(a), p, &cal()).unwrap()
}

/// The expected deadline: legal date, last working day on or before it, provisional flag.
fn dl(date: &str, latest_working_day: &str, provisional: bool) -> Deadline {
    Deadline { date: d(date), latest_working_day: d(latest_working_day), provisional }
}

use Period::{Days, Months, Weeks, WorkingDays};

#[test]
fn christmas_2022_on_a_sunday_and_new_year_2023_on_a_sunday() {
    // Sun 25 Dec; Mon 26 Boxing Day; Tue 27 Christmas substitute; Sun 1 Jan; Mon 2 Jan substitute.
    // Fri 23 Dec +1: Sat 24, Sun 25, Mon 26 Boxing, Tue 27 Christmas substitute -> Wed 28.
    assert_eq!(add("2022-12-23", 1), d("2022-12-28"));
    // Fri 23 Dec +5: Wed 28 (1), Thu 29 (2), Fri 30 (3), Sat 31, Sun 1, Mon 2 New Year substitute,
    // Tue 3 Jan (4), Wed 4 Jan (5).
    assert_eq!(add("2022-12-23", 5), d("2023-01-04"));
    // Tue 3 Jan 2023 -1: Mon 2 substitute, Sun 1, Sat 31 -> Fri 30 Dec 2022.
    assert_eq!(sub("2023-01-03", 1), d("2022-12-30"));
    // Wed 28 Dec -1: Tue 27, Mon 26 (holidays), Sun 25, Sat 24 -> Fri 23 Dec.
    assert_eq!(sub("2022-12-28", 1), d("2022-12-23"));
    // (Sat 24, Sat 31 Dec]: Sun 25, Mon 26 hol, Tue 27 hol, Wed 28, Thu 29, Fri 30, Sat 31 -> 3.
    assert_eq!(between("2022-12-24", "2022-12-31"), 3);
    // 28 days after Sun 27 Nov 2022 is Sun 25 Dec (27 Nov + 28 = 25 Dec): the legal date stays;
    // plan for Fri 23 Dec (Sat 24 is a weekend day).
    assert_eq!(after("2022-11-27", Days(28)), dl("2022-12-25", "2022-12-23", false));
}

#[test]
fn christmas_2021_on_a_saturday_and_new_year_2022_on_a_saturday() {
    // Sat 25 Dec; Mon 27 Christmas substitute; Tue 28 Boxing substitute; Sat 1 Jan; Mon 3 Jan sub.
    // Fri 24 Dec +1: Sat 25, Sun 26, Mon 27 sub, Tue 28 sub -> Wed 29.
    assert_eq!(add("2021-12-24", 1), d("2021-12-29"));
    // Thu 23 Dec +3: Fri 24 (1), [Sat 25 - Tue 28], Wed 29 (2), Thu 30 (3).
    assert_eq!(add("2021-12-23", 3), d("2021-12-30"));
    // Fri 31 Dec +1: Sat 1, Sun 2, Mon 3 Jan New Year substitute -> Tue 4 Jan 2022.
    assert_eq!(add("2021-12-31", 1), d("2022-01-04"));
    // (Fri 24 Dec, Tue 4 Jan]: Wed 29, Thu 30, Fri 31, Tue 4 -> 4.
    assert_eq!(between("2021-12-24", "2022-01-04"), 4);
    // Wed 29 Dec -2: Tue 28, Mon 27 (subs), Sun 26, Sat 25, Fri 24 (1), Thu 23 (2).
    assert_eq!(sub("2021-12-29", 2), d("2021-12-23"));
    // 4 weeks after Tue 30 Nov 2021 is Tue 28 Dec, the Boxing Day substitute: plan for Fri 24 Dec
    // (Mon 27 is the Christmas substitute, Sat 25 and Sun 26 the weekend).
    assert_eq!(after("2021-11-30", Weeks(4)), dl("2021-12-28", "2021-12-24", false));
}

#[test]
fn christmas_2027_on_a_saturday_and_new_year_2028_on_a_saturday() {
    // Sat 25 Dec; Mon 27 and Tue 28 substitutes; Sat 1 Jan 2028; Mon 3 Jan substitute.
    // Fri 24 Dec +1: Sat 25, Sun 26, Mon 27, Tue 28 -> Wed 29.
    assert_eq!(add("2027-12-24", 1), d("2027-12-29"));
    // Thu 23 Dec 2027 +10: Fri 24 (1), Wed 29 (2), Thu 30 (3), Fri 31 (4), [Sat 1, Sun 2, Mon 3
    // sub], Tue 4 (5), Wed 5 (6), Thu 6 (7), Fri 7 (8), Mon 10 (9), Tue 11 Jan 2028 (10).
    // 2028 is announced, so not provisional.
    assert_eq!(after("2027-12-23", WorkingDays(10)), dl("2028-01-11", "2028-01-11", false));
    // At least 5 working days before Tue 4 Jan 2028: Mon 3 sub, Sun 2, Sat 1, Fri 31 (1),
    // Thu 30 (2), Wed 29 (3), Tue 28 and Mon 27 subs, Sun 26, Sat 25, Fri 24 (4), Thu 23 (5).
    assert_eq!(before("2028-01-04", WorkingDays(5)), dl("2027-12-23", "2027-12-23", false));
    // Backwards: (Thu 23 Dec, Tue 4 Jan] holds Fri 24, Wed 29, Thu 30, Fri 31, Tue 4 -> -5.
    assert_eq!(between("2028-01-04", "2027-12-23"), -5);
}

#[test]
fn christmas_2026_on_a_friday_and_2028_on_a_monday() {
    // 2026: Fri 25 Dec; Sat 26 Boxing Day; Mon 28 Boxing substitute; Fri 1 Jan 2027.
    // Thu 24 Dec +1: Fri 25, Sat 26, Sun 27, Mon 28 sub -> Tue 29.
    assert_eq!(add("2026-12-24", 1), d("2026-12-29"));
    // Thu 31 Dec +1: Fri 1 Jan, Sat 2, Sun 3 -> Mon 4 Jan 2027.
    assert_eq!(add("2026-12-31", 1), d("2027-01-04"));
    // (Thu 24 Dec, Mon 4 Jan]: Tue 29, Wed 30, Thu 31, Mon 4 -> 4.
    assert_eq!(between("2026-12-24", "2027-01-04"), 4);
    // 2028: Mon 25 Christmas, Tue 26 Boxing. Fri 22 Dec +1: Sat 23, Sun 24, Mon 25, Tue 26 -> Wed 27.
    assert_eq!(add("2028-12-22", 1), d("2028-12-27"));
    // Fri 29 Dec 2028 +1: Sat 30, Sun 31, Mon 1 Jan 2029 (New Year, projected) -> Tue 2 Jan 2029;
    // the count reaches 2029, a year not yet announced, so it is provisional.
    assert_eq!(after("2028-12-29", WorkingDays(1)), dl("2029-01-02", "2029-01-02", true));
}

#[test]
fn christmas_2016_and_the_millennium() {
    // 2016: Sun 25 Dec; Mon 26 Boxing; Tue 27 substitute; Sun 1 Jan 2017; Mon 2 Jan substitute.
    // (Fri 23 Dec 2016, Tue 3 Jan 2017]: Wed 28, Thu 29, Fri 30, Tue 3 -> 4.
    assert_eq!(between("2016-12-23", "2017-01-03"), 4);
    // 1999: Sat 25 Dec; Mon 27, Tue 28 substitutes; Fri 31 Millennium; Sat 1 Jan 2000; Mon 3 sub.
    // Fri 24 Dec 1999 +1: Sat 25, Sun 26, Mon 27, Tue 28 -> Wed 29.
    assert_eq!(add("1999-12-24", 1), d("1999-12-29"));
    // Thu 30 Dec 1999 +1: Fri 31 Millennium, Sat 1, Sun 2, Mon 3 Jan sub -> Tue 4 Jan 2000.
    assert_eq!(add("1999-12-30", 1), d("2000-01-04"));
    // (Thu 23 Dec 1999, Tue 4 Jan 2000]: Fri 24, Wed 29, Thu 30, Tue 4 -> 4.
    assert_eq!(between("1999-12-23", "2000-01-04"), 4);
}

#[test]
fn easter_2024_2025_2026_2027() {
    // 2024: Good Friday 29 Mar, Easter Sunday 31 Mar, Easter Monday 1 Apr.
    // Thu 28 Mar +1: Fri 29 GF, Sat 30, Sun 31, Mon 1 EM -> Tue 2 Apr.
    assert_eq!(add("2024-03-28", 1), d("2024-04-02"));
    // Tue 2 Apr -1: Mon 1 EM, Sun 31, Sat 30, Fri 29 GF -> Thu 28 Mar.
    assert_eq!(sub("2024-04-02", 1), d("2024-03-28"));
    // Thu 21 Mar +10: Fri 22 (1), Mon 25 (2), Tue 26 (3), Wed 27 (4), Thu 28 (5), [GF, EM],
    // Tue 2 (6), Wed 3 (7), Thu 4 (8), Fri 5 (9), Mon 8 Apr (10).
    assert_eq!(after("2024-03-21", WorkingDays(10)), dl("2024-04-08", "2024-04-08", false));
    // 2025: GF 18 Apr, Easter 20 Apr, EM 21 Apr, early May Mon 5 May.
    // Thu 17 Apr +1: Fri 18 GF, Sat, Sun, Mon 21 EM -> Tue 22 Apr.
    assert_eq!(add("2025-04-17", 1), d("2025-04-22"));
    // (Fri 11, Fri 25 Apr]: Mon 14, Tue 15, Wed 16, Thu 17, [Fri 18 GF, Mon 21 EM], Tue 22,
    // Wed 23, Thu 24, Fri 25 -> 8.
    assert_eq!(between("2025-04-11", "2025-04-25"), 8);
    // Tue 22 Apr +10: Wed 23 (1), Thu 24 (2), Fri 25 (3), Mon 28 (4), Tue 29 (5), Wed 30 (6),
    // Thu 1 May (7), Fri 2 (8), [Mon 5 early May], Tue 6 (9), Wed 7 May (10).
    assert_eq!(add("2025-04-22", 10), d("2025-05-07"));
    // 2026: GF 3 Apr, Easter 5 Apr, EM 6 Apr.
    // Easter Sunday 5 Apr +2 (anchor a weekend day, day 0): Mon 6 EM, Tue 7 (1), Wed 8 (2).
    assert_eq!(add("2026-04-05", 2), d("2026-04-08"));
    // Easter Monday 6 Apr -1 (anchor a holiday): Sun 5, Sat 4, Fri 3 GF -> Thu 2 Apr.
    assert_eq!(sub("2026-04-06", 1), d("2026-04-02"));
    // (Thu 2, Tue 7 Apr]: Fri 3 GF, Sat, Sun, Mon 6 EM, Tue 7 -> 1.
    assert_eq!(between("2026-04-02", "2026-04-07"), 1);
    // 2 weeks after Fri 20 Mar 2026 is Fri 3 Apr, Good Friday: plan for Thu 2 Apr.
    assert_eq!(after("2026-03-20", Weeks(2)), dl("2026-04-03", "2026-04-02", false));
    // 2027: GF 26 Mar, Easter 28 Mar, EM 29 Mar. Thu 25 Mar +1: Fri 26, Sat, Sun, Mon 29 -> Tue 30.
    assert_eq!(add("2027-03-25", 1), d("2027-03-30"));
}

#[test]
fn jubilees_1977_2012_2022() {
    // 2012: spring holiday moved from Mon 28 May to Mon 4 Jun; Diamond Jubilee Tue 5 Jun.
    // Fri 1 Jun +1: Sat 2, Sun 3, Mon 4, Tue 5 -> Wed 6 Jun.
    assert_eq!(add("2012-06-01", 1), d("2012-06-06"));
    // Fri 25 May +1: Mon 28 May is a working day that year (the holiday moved) -> Mon 28 May.
    assert_eq!(add("2012-05-25", 1), d("2012-05-28"));
    // (Fri 25 May, Fri 8 Jun]: Mon 28, Tue 29, Wed 30, Thu 31, Fri 1, [Mon 4, Tue 5], Wed 6,
    // Thu 7, Fri 8 -> 8.
    assert_eq!(between("2012-05-25", "2012-06-08"), 8);
    // Wed 6 Jun -2: Tue 5, Mon 4, Sun 3, Sat 2, Fri 1 (1), Thu 31 May (2).
    assert_eq!(sub("2012-06-06", 2), d("2012-05-31"));
    // 2022: spring holiday moved from Mon 30 May to Thu 2 Jun; Platinum Jubilee Fri 3 Jun.
    // Wed 1 Jun +1: Thu 2, Fri 3, Sat 4, Sun 5 -> Mon 6 Jun.
    assert_eq!(add("2022-06-01", 1), d("2022-06-06"));
    // Fri 27 May +1: Mon 30 May is a working day that year -> Mon 30 May.
    assert_eq!(add("2022-05-27", 1), d("2022-05-30"));
    // (Fri 27 May, Fri 10 Jun]: Mon 30, Tue 31, Wed 1, [Thu 2, Fri 3], Mon 6, Tue 7, Wed 8, Thu 9,
    // Fri 10 -> 8.
    assert_eq!(between("2022-05-27", "2022-06-10"), 8);
    // At least 3 working days before Mon 6 Jun: Sun 5, Sat 4, Fri 3, Thu 2 (holidays), Wed 1 (1),
    // Tue 31 May (2), Mon 30 May (3).
    assert_eq!(before("2022-06-06", WorkingDays(3)), dl("2022-05-30", "2022-05-30", false));
    // 1977: spring holiday moved from Mon 30 May to Mon 6 Jun; Silver Jubilee Tue 7 Jun.
    // Fri 3 Jun +1: Sat 4, Sun 5, Mon 6, Tue 7 -> Wed 8 Jun.
    assert_eq!(add("1977-06-03", 1), d("1977-06-08"));
    // Fri 27 May 1977 +1: Mon 30 May is a working day that year -> Mon 30 May.
    assert_eq!(add("1977-05-27", 1), d("1977-05-30"));
}

#[test]
fn state_funeral_2022_and_coronation_2023() {
    // State Funeral of Queen Elizabeth II: Mon 19 Sep 2022.
    // Fri 16 Sep +1: Sat 17, Sun 18, Mon 19 funeral -> Tue 20.
    assert_eq!(add("2022-09-16", 1), d("2022-09-20"));
    // Tue 20 Sep -1: Mon 19 funeral, Sun 18, Sat 17 -> Fri 16.
    assert_eq!(sub("2022-09-20", 1), d("2022-09-16"));
    // At least 5 working days before Fri 23 Sep: Thu 22 (1), Wed 21 (2), Tue 20 (3), [Mon 19,
    // Sun 18, Sat 17], Fri 16 (4), Thu 15 (5).
    assert_eq!(before("2022-09-23", WorkingDays(5)), dl("2022-09-15", "2022-09-15", false));
    // 1 week after Mon 12 Sep is Mon 19 Sep, the funeral: plan for Fri 16 Sep.
    assert_eq!(after("2022-09-12", Weeks(1)), dl("2022-09-19", "2022-09-16", false));
    // 2023: early May Mon 1 May; Coronation Mon 8 May; spring Mon 29 May.
    // Fri 28 Apr +1: Sat 29, Sun 30, Mon 1 May -> Tue 2 May.
    assert_eq!(add("2023-04-28", 1), d("2023-05-02"));
    // Fri 5 May +1: Sat 6, Sun 7, Mon 8 Coronation -> Tue 9 May.
    assert_eq!(add("2023-05-05", 1), d("2023-05-09"));
    // (Fri 28 Apr, Wed 31 May]: May 2023 has 23 weekdays (Mon 1-Fri 5, 8-12, 15-19, 22-26, 29-31)
    // less the three Monday holidays 1, 8 and 29 May -> 20.
    assert_eq!(between("2023-04-28", "2023-05-31"), 20);
    // Fri 28 Apr +20: Tue 2 (1), Wed 3, Thu 4, Fri 5 (4), Tue 9 (5) ... Fri 12 (8), 15-19 (9-13),
    // 22-26 (14-18), [Mon 29 spring], Tue 30 (19), Wed 31 May (20).
    assert_eq!(after("2023-04-28", WorkingDays(20)), dl("2023-05-31", "2023-05-31", false));
}

#[test]
fn royal_weddings_1981_and_2011() {
    // Wed 29 Jul 1981. Tue 28 Jul +1: Wed 29 wedding -> Thu 30 Jul.
    assert_eq!(add("1981-07-28", 1), d("1981-07-30"));
    // 2011: GF 22 Apr, EM 25 Apr, wedding Fri 29 Apr, early May Mon 2 May.
    // Thu 21 Apr +1: Fri 22 GF, Sat, Sun, Mon 25 EM -> Tue 26 Apr.
    assert_eq!(add("2011-04-21", 1), d("2011-04-26"));
    // Thu 28 Apr +1: Fri 29 wedding, Sat 30, Sun 1, Mon 2 May early May -> Tue 3 May.
    assert_eq!(add("2011-04-28", 1), d("2011-05-03"));
}

#[test]
fn leap_days_and_month_ends_after() {
    // 3 months after Thu 30 Nov 2023: 30 Feb 2024 does not exist -> Thu 29 Feb 2024 (leap).
    assert_eq!(after("2023-11-30", Months(3)), dl("2024-02-29", "2024-02-29", false));
    // 3 months after Sun 30 Nov 2025 -> Sat 28 Feb 2026 (common year); plan for Fri 27 Feb.
    assert_eq!(after("2025-11-30", Months(3)), dl("2026-02-28", "2026-02-27", false));
    // 3 months after Sat 31 Aug 2024 -> Sat 30 Nov 2024 (no 31 Nov); plan for Fri 29 Nov.
    assert_eq!(after("2024-08-31", Months(3)), dl("2024-11-30", "2024-11-29", false));
    // 3 months after Thu 31 Aug 2028 -> Thu 30 Nov 2028 (2028 announced: not provisional).
    assert_eq!(after("2028-08-31", Months(3)), dl("2028-11-30", "2028-11-30", false));
    // 6 months after Tue 31 Aug 2027 -> 31 Feb 2028 does not exist -> Tue 29 Feb 2028.
    assert_eq!(after("2027-08-31", Months(6)), dl("2028-02-29", "2028-02-29", false));
    // 3 months after Thu 29 Feb 2024 -> Wed 29 May 2024 (the spring holiday was Mon 27 May).
    assert_eq!(after("2024-02-29", Months(3)), dl("2024-05-29", "2024-05-29", false));
    // 3 months after Tue 29 Feb 2028 -> Mon 29 May 2028, the spring bank holiday: plan for Fri 26.
    assert_eq!(after("2028-02-29", Months(3)), dl("2028-05-29", "2028-05-26", false));
    // 1 month after Thu 29 Feb 2024 -> Fri 29 Mar 2024, Good Friday: plan for Thu 28 Mar.
    assert_eq!(after("2024-02-29", Months(1)), dl("2024-03-29", "2024-03-28", false));
    // Working days across the leap day. Wed 28 Feb 2024 +1 -> Thu 29 Feb.
    assert_eq!(add("2024-02-28", 1), d("2024-02-29"));
    // Mon 28 Feb 2028 +2: Tue 29 Feb (1), Wed 1 Mar (2).
    assert_eq!(add("2028-02-28", 2), d("2028-03-01"));
    // (Fri 23 Feb, Fri 1 Mar 2024]: Mon 26, Tue 27, Wed 28, Thu 29, Fri 1 -> 5.
    assert_eq!(between("2024-02-23", "2024-03-01"), 5);
}

#[test]
fn leap_days_and_month_ends_before() {
    // At least 1 month before Sun 31 Mar 2024: D = Thu 29 Feb (29 Feb + 1 month = 29 Mar <= 31 Mar;
    // 1 Mar + 1 month = 1 Apr is too late).
    assert_eq!(before("2024-03-31", Months(1)), dl("2024-02-29", "2024-02-29", false));
    // At least 1 month before Fri 31 Mar 2028 -> Tue 29 Feb 2028.
    assert_eq!(before("2028-03-31", Months(1)), dl("2028-02-29", "2028-02-29", false));
    // At least 1 month before Tue 31 Mar 2026 -> Sat 28 Feb 2026 (common year); plan for Fri 27.
    assert_eq!(before("2026-03-31", Months(1)), dl("2026-02-28", "2026-02-27", false));
    // At least 3 months before Mon 29 May 2028 -> Tue 29 Feb 2028 (29 Feb + 3 months = 29 May).
    assert_eq!(before("2028-05-29", Months(3)), dl("2028-02-29", "2028-02-29", false));
    // At least 1 month before Thu 29 Feb 2024 (a month end): every day of January + 1 month lands
    // on or before 29 Feb, so the latest is Wed 31 Jan 2024.
    assert_eq!(before("2024-02-29", Months(1)), dl("2024-01-31", "2024-01-31", false));
    // At least 12 months before Fri 28 Feb 2025 (a month end): Thu 29 Feb 2024 + 12 months =
    // 28 Feb 2025 (no 29 Feb 2025), and 1 Mar 2024 + 12 months is too late -> Thu 29 Feb 2024.
    assert_eq!(before("2025-02-28", Months(12)), dl("2024-02-29", "2024-02-29", false));
}
