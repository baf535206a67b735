//! SSDA903 audit: reviews that fell due and were never held before the review clock stopped (the
//! child left care, or the review regime ended), in the data. Each is a row of
//! `reviews_audit.csv` with no `REVIEW`, its number and deadline, `on_time` false, lateness
//! counted to the day the clock stopped, and a note in plain words; the summary counts them.
//!
//! Dates worked out by hand (England and Wales bank holidays named where they fall). Looked after
//! Mon 1 May 2023: the first review is due within 20 working days (CPPCR reg 33(1)(a)), skipping
//! Mon 8 May 2023 (the coronation) and Mon 29 May 2023: 2-5 May (4), 9-12 (8), 15-19 (13), 22-26
//! (18), Tue 30 (19), Wed 31 May 2023 (20). A review not held is taken as held on the last working
//! day by which it was due (as the engine projects one), and the next counts from that day.

mod audit_903_run;
use audit_903_run::run;
use chrono::NaiveDate;
use lac_timescales::ssda903::report::Summary;
use lac_timescales::ssda903::{AuditRow, Basis, Collect};

const EP_HEADER: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";
const RV_HEADER: &str = "CHILD,DOB,REVIEW,REVIEW_CODE";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ep(child: &str, decom: &str, rne: &str, dec: &str, rec: &str) -> String {
    format!("{child},{decom},{rne},C2,N1,U1,PR1,{dec},{rec},,A1 1AA,B2 2BB,1234567")
}

fn rv(child: &str, date: &str) -> String {
    format!("{child},01/01/2012,{date},PN1")
}

fn file(header: &str, rows: &[String]) -> String {
    let mut s = header.to_string();
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.push('\n');
    s
}

fn never_held(c: &Collect) -> Vec<&AuditRow> {
    c.rows.iter().filter(|r| r.is_never_held()).collect()
}

/// (review number, deadline, working days late, calendar days late, collection year).
fn facts(r: &AuditRow) -> (Option<u32>, Option<NaiveDate>, Option<i64>, Option<i64>, i32) {
    (r.review_number, r.deadline, r.working_days_late, r.calendar_days_late, r.collection_year)
}

/// Left care on the first review's deadline day, Wed 31 May 2023: the review was due "within" 20
/// working days, and the day the child left is the last of them, so time had not run out while
/// the child was looked after (a deadline is missed only once it has passed: the engine's clock
/// owes a review only when its deadline falls before the day the clock stopped). No row. Left a
/// day later, Thu 1 Jun 2023: missed by 1 working day, 1 calendar day.
#[test]
fn leaving_care_on_the_deadline_day_is_not_a_miss_and_the_day_after_is() {
    for (dec, want) in [("31/05/2023", None), ("01/06/2023", Some((1, 1)))] {
        let r = (file(EP_HEADER, &[ep("A1", "01/05/2023", "S", dec, "E4A")]), file(RV_HEADER, &[]), 2024);
        let (c, o) = run(&[r], None);
        let rows = never_held(&c);
        match want {
            None => assert!(c.rows.is_empty(), "left care on the deadline day: {:?}", c.rows),
            Some((wd, cd)) => {
                assert_eq!(rows.len(), 1, "{:?}", c.rows);
                let r = rows[0];
                assert_eq!(facts(r), (Some(1), Some(d(2023, 5, 31)), Some(wd), Some(cd), 2024));
                assert_eq!(
                    (r.review, r.on_time, r.basis, r.ended),
                    (None, Some(false), Basis::KnownReviewNumber, Some(d(2023, 6, 1)))
                );
                assert_eq!(r.period_start, Some(d(2023, 5, 1)));
                assert_eq!(r.note, "never held: the child left care on 2023-06-01 after it fell due");
                assert_eq!(r.missed, Some(lac_timescales::profile::Basis::Statutory));
                assert_eq!(o.totals.never_held, 1);
            }
        }
    }
}

/// Looked after Mon 1 May 2023 to Fri 15 Mar 2024, no review at all (the 2023-24 return).
/// - review 1 due Wed 31 May 2023 (above), taken as held then;
/// - review 2 within 3 months of it (reg 33(2)(a)): Thu 31 Aug 2023, a working day;
/// - review 3 within 6 months of that (reg 33(2)(b)): 31 Aug + 6 months = 29 Feb 2024 (February
///   has no 31st: its last day), a Thursday;
/// - review 4 would be due 29 Aug 2024, after the child left: not missed.
///
/// Lateness to Fri 15 Mar 2024: from 29 Feb, 1 Mar (1), 4-8 (5), 11-15 (5) = 11 working days, 15
/// calendar days; from 31 Aug 2023: September 21, October 22, November 22, December 19 (25, 26
/// Dec), January 22 (1 Jan), February 21, 1-15 March 11 = 138 working days, 197 calendar days;
/// from 31 May 2023: June 22, July 21, August 22 (28 Aug) = 65 more, 203 working days, 289
/// calendar days.
#[test]
fn several_reviews_missed_in_a_row_each_counted_from_the_day_the_last_was_due() {
    let r = (file(EP_HEADER, &[ep("B2", "01/05/2023", "S", "15/03/2024", "E4A")]), file(RV_HEADER, &[]), 2024);
    let (c, o) = run(&[r], None);
    let rows = never_held(&c);
    let got: Vec<_> = rows.iter().map(|r| facts(r)).collect();
    assert_eq!(
        got,
        vec![
            (Some(1), Some(d(2023, 5, 31)), Some(203), Some(289), 2024),
            (Some(2), Some(d(2023, 8, 31)), Some(138), Some(197), 2024),
            (Some(3), Some(d(2024, 2, 29)), Some(11), Some(15), 2024),
        ]
    );
    assert_eq!(c.rows.len(), 3, "{:?}", c.rows);
    assert!(rows[1].note.contains("counted from 2023-05-31"), "{}", rows[1].note);
    assert!(rows[2].note.contains("counted from 2023-08-31"), "{}", rows[2].note);
    assert!(rows.iter().all(|r| r.note.starts_with("never held: the child left care on 2024-03-15 after it fell due")));
    assert_eq!(o.totals.never_held, 3);
    // The summary counts them apart from overdue rows, as late against statute.
    let mut s = Summary::default();
    s.add_rows(&c.rows);
    assert_eq!((s.never_held, s.overdue, s.missed_statutory, s.late_total, s.all.all), (3, 0, 3, 3, 0));
    let text = s.text(&o, "england", None);
    assert!(
        text.contains("Never held before care ended (or the review regime ended) after falling due: 3 reviews\n"),
        "{text}"
    );
}

/// A review held on time, then the next never held: review 1 on Fri 26 May 2023 (due 31 May),
/// review 2 within 3 months of it, Sat 26 Aug 2023 (the last working day before it Fri 25 Aug);
/// the child left care on Wed 27 Sep 2023: from Sat 26 Aug, 29-31 Aug (3; Mon 28 Aug is a bank
/// holiday) and 1-27 Sep (19) = 22 working days, 32 calendar days.
#[test]
fn a_review_missed_after_one_held_counts_from_the_review_held() {
    let r = (
        file(EP_HEADER, &[ep("C3", "01/05/2023", "S", "27/09/2023", "E4A")]),
        file(RV_HEADER, &[rv("C3", "26/05/2023")]),
        2024,
    );
    let (c, _) = run(&[r], None);
    assert_eq!(c.rows.len(), 2, "{:?}", c.rows);
    assert_eq!((c.rows[0].review, c.rows[0].on_time), (Some(d(2023, 5, 26)), Some(true)));
    let r = &c.rows[1];
    assert_eq!(facts(r), (Some(2), Some(d(2023, 8, 26)), Some(22), Some(32), 2024));
    assert_eq!(r.latest_working_day, Some(d(2023, 8, 25)));
    assert!(!r.note.contains("counted from"), "{}", r.note);
}

/// A period still open at the as-at date: its reviews not held are overdue rows (counted to the
/// as-at date; tests/ssda903_overdue_steps.rs), never also reviews never held. Looked after Wed 1
/// May 2024: 20 working days, skipping Mon 6 May and Mon 27 May 2024: 2-3 May (2), 7-10 (6),
/// 13-17 (11), 20-24 (16), 28-31 (20): Fri 31 May 2024. The next within 3 months of it, Sat 31 Aug
/// 2024 (last working day Fri 30 Aug); the next within 6 months of Fri 30 Aug: Fri 28 Feb 2025
/// (February has no 30th). Without an as-at date, no row at all: nothing has stopped.
#[test]
fn an_open_period_gives_overdue_rows_only() {
    let r = (file(EP_HEADER, &[ep("D4", "01/05/2024", "S", "", "")]), file(RV_HEADER, &[]), 2025);
    let (c, o) = run(std::slice::from_ref(&r), Some(d(2025, 3, 31)));
    assert_eq!(c.rows.len(), 3, "{:?}", c.rows);
    assert!(c.rows.iter().all(|r| r.is_overdue() && !r.is_never_held()));
    let got: Vec<_> = c.rows.iter().map(|r| (r.review_number, r.deadline)).collect();
    assert_eq!(
        got,
        [(Some(1), Some(d(2024, 5, 31))), (Some(2), Some(d(2024, 8, 31))), (Some(3), Some(d(2025, 2, 28)))]
    );
    assert_eq!((o.totals.overdue, o.totals.never_held), (3, 0));
    let (c, o) = run(&[r], None);
    assert!(c.rows.is_empty(), "{:?}", c.rows);
    assert_eq!(o.totals.never_held, 0);
}

/// A review never held is decided by the data alone, so it is reported without an as-at date as
/// with one (adv8's child G7: 1 May to Thu 20 Jul 2023, review 1 due 31 May; review 2 would be
/// due 31 Aug, after). From 31 May: June 22, 1-20 July 14 = 36 working days, 50 calendar days.
#[test]
fn a_review_never_held_needs_no_as_at_date() {
    let r = (file(EP_HEADER, &[ep("G7", "01/05/2023", "S", "20/07/2023", "E4A")]), file(RV_HEADER, &[]), 2024);
    for as_at in [None, Some(d(2024, 3, 31))] {
        let (c, _) = run(std::slice::from_ref(&r), as_at);
        assert_eq!(c.rows.len(), 1, "{:?}", c.rows);
        assert_eq!(facts(&c.rows[0]), (Some(1), Some(d(2023, 5, 31)), Some(36), Some(50), 2024));
    }
}

/// A period that ended before the data's window (an episode in the 2024-25 return that ended in
/// 2023, a data error): reviews before 1 Apr 2024 are not in the data, so nothing says the review
/// was not held. No row.
#[test]
fn a_period_that_ended_before_the_window_reports_nothing() {
    let r = (file(EP_HEADER, &[ep("E5", "01/05/2023", "S", "20/07/2023", "E4A")]), file(RV_HEADER, &[]), 2025);
    let (c, o) = run(&[r], None);
    assert!(c.rows.is_empty(), "{:?}", c.rows);
    assert_eq!((o.totals.never_held, o.totals.periods), (0, 1));
}

/// A period that began before the data (first episode `RNE` = `P`, in the 2024-25 return) and
/// ended Mon 14 Oct 2024, no review in the year: whatever the earlier reviews, the latest the next
/// could be due is 6 months after a review on Sun 31 Mar 2024: Mon 30 Sep 2024. Missed whatever
/// came before: decided by the data, number unknown; 1-4, 7-11, 14 Oct = 10 working days, 14
/// calendar days. Had the child left on 30 Sep, no row (not missed under the latest history).
#[test]
fn a_period_that_began_before_the_data_reports_the_latest_possible_deadline() {
    for (dec, rows) in [("14/10/2024", 1), ("30/09/2024", 0)] {
        let r = (file(EP_HEADER, &[ep("F6", "01/02/2024", "P", dec, "E4A")]), file(RV_HEADER, &[]), 2025);
        let (c, _) = run(&[r], None);
        assert_eq!(c.rows.len(), rows, "{dec}: {:?}", c.rows);
        if rows == 1 {
            let r = &c.rows[0];
            assert_eq!(facts(r), (None, Some(d(2024, 9, 30)), Some(10), Some(14), 2025));
            assert_eq!((r.basis, r.period_start), (Basis::DecidedByData, None));
            assert!(
                r.note.contains("missed whatever the earlier reviews (latest possible deadline shown)"),
                "{}",
                r.note
            );
            assert!(r.note.contains("period of care began before the data"), "{}", r.note);
        }
    }
}
