//! The SSDA903 summary's count of periods of care that "began before the data" (adv8, session 8:
//! it counted only the periods whose start is not in the data, so a child looked after since
//! before the window whose `RNE` = `S` episode is still open, as most are in a real return, was
//! not counted). Now it counts every period that began before the window's first day, and says
//! how many of them have no start in the data.

use chrono::NaiveDate;
use lac_timescales::profile::Profile;
use lac_timescales::ssda903::report::Summary;
use lac_timescales::ssda903::{audit, AuditOptions, Collect, Input, ReturnInput};

const EP_HEADER: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";
const RV_HEADER: &str = "CHILD,DOB,REVIEW,REVIEW_CODE";

fn ep(child: &str, decom: &str, rne: &str, dec: &str, rec: &str) -> String {
    format!("{child},{decom},{rne},C2,N1,U1,PR1,{dec},{rec},,A1 1AA,B2 2BB,1234567")
}

/// The 2024-25 return (window 1 Apr 2024 to 31 Mar 2025):
/// - A: `S` on Fri 21 Jul 2023, open: began before the data, its start in the data;
/// - B: first episode `P` on Thu 1 Feb 2024: began before the data, no start in the data;
/// - C: `S` on Tue 10 Dec 2024: began inside the window;
/// - D: `S` on Sun 31 Mar 2024, the day before the window opened, then `S` again on Mon 1 Apr
///   2024 after leaving care that day: two periods, the first before the data;
/// - E: first episode `L` on Wed 1 May 2024, inside the window, but its start is not in the data
///   (the period began on or before it, date unknown): counted before the data, as the audit
///   treats it.
///
/// Periods 6; before the data 4 (A, B, D's first, E); with no start in the data 2 (B, E).
#[test]
fn periods_that_began_before_the_window_are_counted_whether_their_start_is_in_the_data_or_not() {
    let eps = [
        ep("A", "21/07/2023", "S", "", ""),
        ep("B", "01/02/2024", "P", "", ""),
        ep("C", "10/12/2024", "S", "", ""),
        ep("D", "31/03/2024", "S", "01/04/2024", "E4A"),
        ep("D", "01/04/2024", "S", "", ""),
        ep("E", "01/05/2024", "L", "", ""),
    ];
    let episodes = format!("{EP_HEADER}\n{}\n", eps.join("\n"));
    let reviews = format!("{RV_HEADER}\n");
    let r = ReturnInput::Csv {
        episodes: Input::Text { name: "SSDA903_2025_episodes.csv".into(), text: &episodes },
        reviews: Input::Text { name: "SSDA903_2025_reviews.csv".into(), text: &reviews },
        year: None,
    };
    let mut o = AuditOptions::new(&Profile::builtin("england").unwrap());
    o.threads = 1;
    let mut c = Collect::default();
    let out = audit(vec![r], &o, &mut c).unwrap();
    assert!(out.totals.balanced());
    let t = &out.totals;
    assert_eq!((t.periods, t.periods_before_data, t.periods_start_unknown, t.children), (6, 4, 2, 5));
    let mut s = Summary::default();
    s.add_rows(&c.rows);
    let text = s.text(&out, "england", None::<NaiveDate>);
    assert!(
        text.contains(
            "\nPeriods of care: 6 (4 began before the data, 2 of them with no start in the data); children: 5\n"
        ),
        "{text}"
    );
}
