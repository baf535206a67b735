//! `Summary`'s late list is a public field: a caller may take it (to show it) and count on. The
//! standing cut-off added in session 3 (to copy fewer late rows) dropped late rows the list should
//! then hold (found by an adversarial run); the cut now lapses when the list is found short.

use std::sync::Arc;

use chrono::NaiveDate;
use lac_timescales::ssda903::report::Summary;
use lac_timescales::ssda903::{AuditRow, Basis};

fn late_row(child: &str, working_days_late: i64) -> AuditRow {
    AuditRow {
        child: Arc::from(child),
        collection_year: 2025,
        period_start: None,
        regime: None,
        review_number: Some(2),
        review: NaiveDate::from_ymd_opt(2024, 6, 3),
        deadline: NaiveDate::from_ymd_opt(2024, 5, 1),
        latest_working_day: NaiveDate::from_ymd_opt(2024, 5, 1),
        on_time: Some(false),
        working_days_late: Some(working_days_late),
        calendar_days_late: Some(working_days_late),
        basis: Basis::KnownReviewNumber,
        missed: Some(lac_timescales::profile::Basis::Statutory),
        note: String::new(),
        line: 1,
        ended: None,
    }
}

/// 2,000 late rows, 2,000 down to 1 working days late: the 2,000th fills the list to 4 x 500, so
/// it is cut to the 500 most late (2,000 down to 1,501 working days late). The caller takes that
/// list, then counts one more late row, 10 working days late: the only late row counted since,
/// so the list must hold it (c9826a7 did; the first standing cut-off of 1,501 dropped it).
#[test]

fn a_late_row_counted_after_the_list_was_taken_is_kept() {
    let mut s = Summary::default();
    for i in 0..2000 {
        s.add_row(&late_row(&format!("c{i:04}"), 2000 - i));
    }
    let shown = std::mem::take(&mut s.late);
    assert_eq!(shown.len(), 500);
    assert_eq!(shown[0].working_days_late, Some(2000));
    assert_eq!(shown[499].working_days_late, Some(1501));
    s.add_row(&late_row("z", 10));
    s.keep_late();
    assert_eq!(s.late_total, 2001);
    assert_eq!(s.late.len(), 1, "the one late row counted after the list was taken");
    assert_eq!(&*s.late[0].child, "z");
}
