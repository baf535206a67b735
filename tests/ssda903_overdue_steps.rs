//! SSDA903 audit, with an as-at date: a period of care still open counts the reviews it missed
//! as a period that ended does. Its first review not held is the overdue row; the next is counted
//! from the last working day by which that one was due, as if held then (as the engine projects a
//! review not held, and as the audit counts reviews never held before care ended), and each that
//! fell due before the as-at date is a row too. So the same history gives the same rows, with the
//! same lateness, whether the child left care on a day or was still looked after then.
//!
//! Dates worked out by hand (England and Wales bank holidays named where they fall). Looked after
//! Mon 1 May 2023: the first review is due within 20 working days (CPPCR reg 33(1)(a)), skipping
//! Mon 8 May 2023 (the coronation) and Mon 29 May 2023: Wed 31 May 2023. The second within 3
//! months of the first (reg 33(2)(a)), later ones within 6 months of the previous (reg 33(2)(b));
//! a month deadline on a day the month lacks is its last day.

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

/// One episode of a full history: child, start, `RNE`, `LS`, `PLACE`, end (if any), `REC`.
#[derive(Clone, Copy)]
struct Ep {
    child: &'static str,
    decom: NaiveDate,
    rne: &'static str,
    ls: &'static str,
    place: &'static str,
    dec: Option<NaiveDate>,
    rec: &'static str,
}

fn ep(child: &'static str, decom: NaiveDate, rne: &'static str, dec: Option<NaiveDate>) -> Ep {
    Ep { child, decom, rne, ls: "C2", place: "U1", dec, rec: if dec.is_some() { "E4A" } else { "" } }
}

fn ddmmyyyy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The returns for collection years `years` cut from a full history, as real returns are cut:
/// each holds every episode open at any time in its year (1 April to 31 March), with its `DEC`
/// and `REC` only when the episode ended by the year's end, and only the reviews held in it.
fn cut(history: &[Ep], reviews: &[(&str, NaiveDate)], years: &[i32]) -> Vec<(String, String, i32)> {
    years
        .iter()
        .map(|&y| {
            let (first, last) = (d(y - 1, 4, 1), d(y, 3, 31));
            let mut e = EP_HEADER.to_string();
            for x in history.iter().filter(|x| x.decom <= last && x.dec.is_none_or(|end| end >= first)) {
                let ended = x.dec.filter(|end| *end <= last);
                e.push_str(&format!(
                    "\n{},{},{},{},N1,{},PR1,{},{},,A1 1AA,B2 2BB,1234567",
                    x.child,
                    ddmmyyyy(x.decom),
                    x.rne,
                    x.ls,
                    x.place,
                    ended.map(ddmmyyyy).unwrap_or_default(),
                    if ended.is_some() { x.rec } else { "" }
                ));
            }
            e.push('\n');
            let mut r = RV_HEADER.to_string();
            for (c, day) in reviews.iter().filter(|(_, day)| first <= *day && *day <= last) {
                r.push_str(&format!("\n{c},01/01/2012,{},PN1", ddmmyyyy(*day)));
            }
            r.push('\n');
            (e, r, y)
        })
        .collect()
}

/// (review number, deadline, working days late, calendar days late, collection year).
fn facts(r: &AuditRow) -> (Option<u32>, Option<NaiveDate>, Option<i64>, Option<i64>, i32) {
    (r.review_number, r.deadline, r.working_days_late, r.calendar_days_late, r.collection_year)
}

fn overdue(c: &Collect) -> Vec<&AuditRow> {
    c.rows.iter().filter(|r| r.is_overdue()).collect()
}

const COUNTED: &str = "the last working day by which the previous review (not held) was due, as if held then";

/// Looked after from Mon 1 May 2023, no review held (the 2023-24 return). Ended on Fri 15 Mar
/// 2024, the audit writes three reviews never held (tests/ssda903_never_held.rs): review 1 due
/// Wed 31 May 2023; review 2 within 3 months of it, Thu 31 Aug 2023; review 3 within 6 months of
/// that, 29 Feb 2024 (a Thursday); lateness to 15 Mar: 203, 138 and 11 working days, 289, 197 and
/// 15 calendar days. Still open and audited as at Fri 15 Mar 2024, the same three reviews, the
/// same lateness, as overdue rows: the first the review due now, the next two counted as the
/// ended period's were.
#[test]
fn an_open_period_counts_each_review_missed_as_an_ended_one_does() {
    let as_at = d(2024, 3, 15);
    let want = vec![
        (Some(1), Some(d(2023, 5, 31)), Some(203), Some(289), 2024),
        (Some(2), Some(d(2023, 8, 31)), Some(138), Some(197), 2024),
        (Some(3), Some(d(2024, 2, 29)), Some(11), Some(15), 2024),
    ];
    let ended = cut(&[ep("B2", d(2023, 5, 1), "S", Some(as_at))], &[], &[2024]);
    let (c, _) = run(&ended, None);
    assert_eq!(c.rows.iter().map(facts).collect::<Vec<_>>(), want, "{:?}", c.rows);
    assert!(c.rows.iter().all(AuditRow::is_never_held));

    let open = cut(&[ep("B2", d(2023, 5, 1), "S", None)], &[], &[2024]);
    let (c, o) = run(&open, Some(as_at));
    let rows = overdue(&c);
    assert_eq!(rows.len(), c.rows.len(), "{:?}", c.rows);
    assert_eq!(rows.iter().map(|r| facts(r)).collect::<Vec<_>>(), want, "{:?}", c.rows);
    assert!(rows
        .iter()
        .all(|r| (r.review, r.on_time, r.basis, r.ended, r.line)
            == (None, Some(false), Basis::KnownReviewNumber, None, 0)));
    assert!(rows.iter().all(|r| r.missed == Some(lac_timescales::profile::Basis::Statutory)));
    assert_eq!(rows[0].note, "overdue at 2024-03-15: not held");
    assert_eq!(rows[1].note, format!("overdue at 2024-03-15: not held; counted from 2023-05-31, {COUNTED}"));
    assert_eq!(rows[2].note, format!("overdue at 2024-03-15: not held; counted from 2023-08-31, {COUNTED}"));
    assert_eq!(rows[2].latest_working_day, Some(d(2024, 2, 29)));
    assert_eq!((o.totals.overdue, o.totals.overdue_children, o.totals.never_held), (3, 1, 0));
    let mut s = Summary::default();
    s.add_rows(&c.rows);
    assert_eq!((s.overdue, s.never_held, s.missed_statutory, s.late_total), (3, 0, 3, 3));
    let text = s.text(&o, "england", Some(as_at));
    assert!(
        text.contains(
            "Overdue at 2024-03-15: 3 reviews due and not held, of 1 child (0 on the stated assumption); \
             0 more open children the data cannot decide\n"
        ),
        "{text}"
    );
    // Without an as-at date an open period has no row: nothing has stopped.
    let (c, _) = run(&open, None);
    assert!(c.rows.is_empty(), "{:?}", c.rows);
}

/// A full history over two returns: looked after from Mon 1 May 2023, review 1 held Fri 26 May
/// 2023 (on time), none after; still looked after on Mon 31 Mar 2025. Cut into the 2023-24 and
/// 2024-25 returns (the episode open in both, the review in the first).
/// - review 2 within 3 months of 26 May: Sat 26 Aug 2023 (last working day Fri 25 Aug);
/// - review 3 within 6 months of Fri 25 Aug 2023: Sun 25 Feb 2024 (Fri 23 Feb);
/// - review 4 within 6 months of Fri 23 Feb 2024: Fri 23 Aug 2024;
/// - review 5 within 6 months of Fri 23 Aug 2024: Sun 23 Feb 2025 (Fri 21 Feb);
/// - review 6 would be due 21 Aug 2025, after the as-at date: not a row.
///
/// Lateness to Mon 31 Mar 2025. From Sun 23 Feb 2025: 24-28 Feb (5), March 3-28 (20), 31 (1) = 26
/// working days; 5 + 31 = 36 calendar days. From Fri 23 Aug 2024: 27-30 Aug (4; Mon 26 Aug a bank
/// holiday), September 21, October 23, November 21, December 20 (25, 26 Dec), January 22 (1 Jan),
/// February 20, March 21 = 152 working days; 8 + 30 + 31 + 30 + 31 + 31 + 28 + 31 = 220 calendar
/// days. Every overdue row is of the as-at date's collection year, 2024-25.
#[test]
fn reviews_missed_over_several_returns_are_each_a_row_at_the_as_at_date() {
    let history = [ep("K1", d(2023, 5, 1), "S", None)];
    let returns = cut(&history, &[("K1", d(2023, 5, 26))], &[2024, 2025]);
    let (c, o) = run(&returns, Some(d(2025, 3, 31)));
    assert_eq!(c.rows.len(), 5, "{:?}", c.rows);
    assert_eq!((c.rows[0].review, c.rows[0].on_time), (Some(d(2023, 5, 26)), Some(true)));
    let rows = overdue(&c);
    let got: Vec<_> = rows.iter().map(|r| (r.review_number, r.deadline, r.latest_working_day)).collect();
    assert_eq!(
        got,
        vec![
            (Some(2), Some(d(2023, 8, 26)), Some(d(2023, 8, 25))),
            (Some(3), Some(d(2024, 2, 25)), Some(d(2024, 2, 23))),
            (Some(4), Some(d(2024, 8, 23)), Some(d(2024, 8, 23))),
            (Some(5), Some(d(2025, 2, 23)), Some(d(2025, 2, 21))),
        ]
    );
    assert_eq!(facts(rows[2]), (Some(4), Some(d(2024, 8, 23)), Some(152), Some(220), 2025));
    assert_eq!(facts(rows[3]), (Some(5), Some(d(2025, 2, 23)), Some(26), Some(36), 2025));
    assert!(rows.iter().all(|r| r.collection_year == 2025));
    assert!(!rows[0].note.contains("counted from"), "{}", rows[0].note);
    assert!(rows[1].note.ends_with(&format!("counted from 2023-08-25, {COUNTED}")), "{}", rows[1].note);
    assert!(rows[3].note.ends_with(&format!("counted from 2024-08-23, {COUNTED}")), "{}", rows[3].note);
    assert_eq!((o.totals.overdue, o.totals.overdue_children), (4, 1));
}

/// A review a stopped clock missed is a review never held, never also the overdue row of a period
/// still open. Looked after Mon 1 May 2023, review 1 held Fri 26 May 2023; review 2 due within 3
/// months, Sat 26 Aug 2023, not held. Placed for adoption on Mon 2 Oct 2023 (`LS` E1, `PLACE` A4,
/// still placed at the end of the return): the looked-after reviews stop (CPPCR reg 3), so review
/// 2 is never held, lateness to 2 Oct: 29-31 Aug (3; Mon 28 Aug a bank holiday), September 21, 2
/// Oct (1) = 25 working days, 37 calendar days.
///
/// The adoption reviews start (AAR 2005 reg 36(2)-(3)): the first within 28 days of the placement,
/// Mon 30 Oct 2023; the second within 3 months of the first (as if held on 30 Oct), Tue 30 Jan
/// 2024; the third 30 Jul 2024, after the as-at date. As at Sun 31 Mar 2024 both are overdue. From
/// 30 Oct 2023: 31 Oct (1), November 22, December 19 (25, 26 Dec), January 22 (1 Jan), February 21,
/// March 20 (Good Friday 29 Mar) = 105 working days; 1 + 30 + 31 + 31 + 29 + 31 = 153 calendar
/// days. From 30 Jan 2024: 1 + 21 + 20 = 42 working days, 1 + 29 + 31 = 61 calendar days.
///
/// The audit made the looked-after review 2 its overdue row as well (late to 31 Mar 2024, a
/// clock that had stopped on 2 Oct), and reported no adoption review.
#[test]
fn a_review_missed_when_placed_for_adoption_is_not_also_overdue() {
    let placed = Ep { ls: "E1", place: "A4", rne: "P", ..ep("L2", d(2023, 10, 2), "P", None) };
    let history = [ep("L2", d(2023, 5, 1), "S", Some(d(2023, 10, 2))), placed];
    let returns = cut(&history, &[("L2", d(2023, 5, 26))], &[2024]);
    let (c, o) = run(&returns, Some(d(2024, 3, 31)));
    assert_eq!(c.rows.len(), 4, "{:?}", c.rows);
    let never: Vec<_> = c.rows.iter().filter(|r| r.is_never_held()).collect();
    assert_eq!(never.len(), 1, "{:?}", c.rows);
    assert_eq!(facts(never[0]), (Some(2), Some(d(2023, 8, 26)), Some(25), Some(37), 2024));
    assert_eq!(never[0].regime.map(|r| r.as_str()), Some("looked_after"));
    assert_eq!(never[0].note, "never held: its review clock stopped on 2023-10-02 after it fell due");
    let rows = overdue(&c);
    let got: Vec<_> = rows.iter().map(|r| (r.regime.map(|x| x.as_str()), facts(r))).collect();
    assert_eq!(
        got,
        vec![
            (Some("adoption_placed"), (Some(1), Some(d(2023, 10, 30)), Some(105), Some(153), 2024)),
            (Some("adoption_placed"), (Some(2), Some(d(2024, 1, 30)), Some(42), Some(61), 2024)),
        ]
    );
    assert_eq!(rows[0].note, "overdue at 2024-03-31: not held");
    assert!(rows[1].note.ends_with(&format!("counted from 2023-10-30, {COUNTED}")), "{}", rows[1].note);
    assert_eq!((o.totals.overdue, o.totals.overdue_children, o.totals.never_held), (2, 1, 1));
}

/// A period that began before the data, with no review in it: the overdue reviews are decided
/// under the latest possible earlier reviews, as reviews never held are. Looked after since before
/// the 2024-25 return (first episode `RNE` P, `DECOM` 1 Jun 2022), no review in 2024-25, still
/// looked after on Mon 31 Mar 2025. The latest possible earlier reviews are on 30 and 31 Mar 2024,
/// the last two days before the data; the next is then a later review, due within 6 months of
/// 31 Mar 2024: Mon 30 Sep 2024 (September has no 31st). Every other history gives an earlier
/// deadline (with no earlier review, the first was due in June 2022), so the review is overdue
/// whatever they were, with the latest deadline shown (as before this change). The next, counted
/// from Mon 30 Sep 2024: Sun 30 Mar 2025 (last working day Fri 28 Mar), also overdue whatever the
/// earlier reviews: 1 working day and 1 calendar day late at Mon 31 Mar. Review numbers not known.
#[test]
fn overdue_reviews_before_which_the_data_is_silent_are_decided_by_the_latest_history() {
    let history = [ep("M3", d(2022, 6, 1), "P", None)];
    let returns = cut(&history, &[], &[2025]);
    let (c, o) = run(&returns, Some(d(2025, 3, 31)));
    let rows = overdue(&c);
    assert_eq!(rows.len(), c.rows.len(), "{:?}", c.rows);
    let got: Vec<_> = rows.iter().map(|r| (r.deadline, r.latest_working_day, r.basis, r.review_number)).collect();
    assert_eq!(
        got,
        vec![
            (Some(d(2024, 9, 30)), Some(d(2024, 9, 30)), Basis::DecidedByData, None),
            (Some(d(2025, 3, 30)), Some(d(2025, 3, 28)), Basis::DecidedByData, None),
        ]
    );
    assert_eq!((rows[1].working_days_late, rows[1].calendar_days_late), (Some(1), Some(1)));
    assert_eq!(
        rows[1].note,
        format!(
            "overdue at 2025-03-31: not held; counted from 2024-09-30, {COUNTED}; overdue whatever the earlier reviews \
             (latest possible deadline shown); period of care began before the data (first episode in it: DECOM 01/06/2022)"
        )
    );
    assert_eq!((o.totals.overdue, o.totals.overdue_children), (2, 1));
}

/// The same clocks in a period that ended: each clock's reviews are stepped on, the adoption
/// reviews after the looked-after ones stopped. As above to the placement for adoption on Mon 2
/// Oct 2023 (looked-after review 2 never held, 25 working days, 37 calendar days); the child then
/// left care on Thu 15 Feb 2024 (`REC` E4A), with no adoption review held: the first, due Mon 30
/// Oct 2023, and the second, due Tue 30 Jan 2024 counted from it, were never held. To 15 Feb
/// 2024: from 30 Oct, 31 Oct (1), November 22, December 19, January 22, 1-15 February 11 = 75
/// working days, 1 + 30 + 31 + 31 + 15 = 108 calendar days; from 30 Jan, 1 + 11 = 12 working
/// days, 1 + 15 = 16 calendar days.
///
/// The audit stepped only from the reviews found at the last step, so it stopped after the
/// looked-after review and never found the second adoption review.
#[test]
fn each_clock_in_a_period_that_ended_is_stepped_on() {
    let placed = Ep { ls: "E1", place: "A4", ..ep("N4", d(2023, 10, 2), "P", Some(d(2024, 2, 15))) };
    let history = [ep("N4", d(2023, 5, 1), "S", Some(d(2023, 10, 2))), placed];
    let returns = cut(&history, &[("N4", d(2023, 5, 26))], &[2024]);
    let (c, o) = run(&returns, None);
    let got: Vec<_> =
        c.rows.iter().filter(|r| r.is_never_held()).map(|r| (r.regime.map(|x| x.as_str()), facts(r))).collect();
    assert_eq!(
        got,
        vec![
            (Some("looked_after"), (Some(2), Some(d(2023, 8, 26)), Some(25), Some(37), 2024)),
            (Some("adoption_placed"), (Some(1), Some(d(2023, 10, 30)), Some(75), Some(108), 2024)),
            (Some("adoption_placed"), (Some(2), Some(d(2024, 1, 30)), Some(12), Some(16), 2024)),
        ],
        "{:?}",
        c.rows
    );
    assert_eq!((c.rows.len(), o.totals.never_held), (4, 3));
}

/// A period open at the end of one return whose child is not in the next: the returns show the
/// child looked after on Sun 31 Mar 2024, the 2023-24 return's last day, and nothing after. The
/// reviews that fell due before then and were not held are decided by the data; only what came
/// after is not. Looked after from Mon 1 May 2023, review 1 held Fri 26 May 2023; the full
/// history goes on, but the 2024-25 return leaves the child out (child Z keeps it from being
/// empty). Review 2 within 3 months of 26 May: Sat 26 Aug 2023 (last working day Fri 25 Aug);
/// review 3 within 6 months of Fri 25 Aug: Sun 25 Feb 2024 (Fri 23 Feb); review 4 would be due 23
/// Aug 2024, after 31 Mar 2024: not decided, not a row.
///
/// Lateness to Sun 31 Mar 2024: from Sat 26 Aug 2023, 29-31 Aug (3; Mon 28 Aug a bank holiday),
/// September 21, October 22, November 22, December 19 (25, 26 Dec), January 22 (1 Jan), February
/// 21, March 20 (Good Friday 29 Mar) = 150 working days, 5 + 30 + 31 + 30 + 31 + 31 + 29 + 31 =
/// 218 calendar days; from Sun 25 Feb 2024, 26-29 Feb (4) and March 20 = 24 working days, 4 + 31
/// = 35 calendar days. Without an as-at date and with one alike; with one, whether a review is
/// overdue at it stays not assessable (the child's care after 31 Mar 2024 is not in the data).
///
/// The audit wrote nothing for these reviews: the period went only to "overdue not assessable".
#[test]
fn reviews_missed_before_a_child_drops_out_of_the_returns_are_rows() {
    let history = [ep("P5", d(2023, 5, 1), "S", None), ep("Z", d(2023, 5, 1), "S", None)];
    let reviews = [("P5", d(2023, 5, 26)), ("Z", d(2023, 5, 26)), ("Z", d(2023, 8, 25)), ("Z", d(2024, 2, 20))];
    let mut returns = cut(&history, &reviews, &[2024, 2025]);
    let dropped: Vec<&str> = returns[1].0.lines().filter(|l| !l.starts_with("P5,")).collect();
    returns[1].0 = dropped.join("\n") + "\n";
    let note = "not held by 2024-03-31, the last day the returns show the child looked after (the child is not in the \
                2024-25 return, and when care ended is not in the data)";
    for as_at in [None, Some(d(2025, 3, 31))] {
        let (c, o) = run(&returns, as_at);
        let rows: Vec<_> = c.rows.iter().filter(|r| &*r.child == "P5").collect();
        assert_eq!(rows.len(), 3, "{:?}", c.rows);
        assert_eq!((rows[0].review, rows[0].on_time), (Some(d(2023, 5, 26)), Some(true)));
        let got: Vec<_> = rows[1..].iter().map(|r| (facts(r), r.latest_working_day, r.ended)).collect();
        assert_eq!(
            got,
            vec![
                (
                    (Some(2), Some(d(2023, 8, 26)), Some(150), Some(218), 2024),
                    Some(d(2023, 8, 25)),
                    Some(d(2024, 3, 31))
                ),
                ((Some(3), Some(d(2024, 2, 25)), Some(24), Some(35), 2024), Some(d(2024, 2, 23)), Some(d(2024, 3, 31))),
            ],
            "{:?}",
            c.rows
        );
        assert!(rows[1..].iter().all(|r| r.review.is_none() && r.basis == Basis::KnownReviewNumber));
        assert_eq!(rows[1].note, note);
        assert_eq!(
            rows[2].note,
            format!("{note}; counted from 2023-08-25, the last working day by which the previous review (not held) was due, as if held then")
        );
        assert_eq!(o.totals.never_held, 2);
        assert_eq!(o.totals.overdue_not_assessable, u64::from(as_at.is_some()));
        // Child Z, in both returns, reviewed on time to Tue 20 Feb 2024 (review 3, due 25 Feb): its
        // review 4, due Tue 20 Aug 2024, and review 5, counted from it, Thu 20 Feb 2025, are
        // overdue at 31 Mar 2025; without an as-at date its period, open, has no such row.
        let z: Vec<_> = c.rows.iter().filter(|r| &*r.child == "Z" && r.review.is_none()).map(|r| r.deadline).collect();
        let want: Vec<Option<NaiveDate>> =
            if as_at.is_some() { vec![Some(d(2024, 8, 20)), Some(d(2025, 2, 20))] } else { vec![] };
        assert_eq!(z, want);
    }
}

/// The same when the return in between is not given: looked after from Wed 1 Jun 2022, review 1
/// Fri 24 Jun 2022 (due Fri 1 Jul: 20 working days, 2 and 3 Jun 2022 the Jubilee bank holidays),
/// review 2 Fri 23 Sep 2022 (due 3 months after the first, Sat 24 Sep); review 3 due 6 months
/// after that, Thu 23 Mar 2023, held late on Tue 11 Apr 2023; left care Mon 15 May 2023. Only the
/// 2022-23 and 2024-25 returns are given: the first shows the child looked after on Fri 31 Mar
/// 2023, the second does not show the child. Review 3 was not held by 31 Mar 2023: 24 and 27-31
/// March = 6 working days, 8 calendar days late then, a row of the 2022-23 year. The 2023-24
/// return, not given, could hold a review (it does, 11 Apr), but none by 31 Mar 2023.
///
/// The audit let the reviews that might be in the missing return count for this one too, and
/// wrote nothing.
#[test]
fn a_return_not_given_after_the_last_day_seen_does_not_hide_a_review_missed_before_it() {
    let history = [ep("Q6", d(2022, 6, 1), "S", Some(d(2023, 5, 15))), ep("Z", d(2022, 6, 1), "S", None)];
    let reviews = [
        ("Q6", d(2022, 6, 24)),
        ("Q6", d(2022, 9, 23)),
        ("Q6", d(2023, 4, 11)),
        ("Z", d(2024, 6, 1)),
        ("Z", d(2024, 11, 1)),
    ];
    let returns = cut(&history, &reviews, &[2023, 2025]);
    assert!(!returns[1].0.contains("Q6"));
    let (c, o) = run(&returns, None);
    let rows: Vec<_> = c.rows.iter().filter(|r| &*r.child == "Q6").collect();
    assert_eq!(rows.len(), 3, "{:?}", c.rows);
    assert_eq!(
        (facts(rows[2]), rows[2].ended, rows[2].basis),
        ((Some(3), Some(d(2023, 3, 23)), Some(6), Some(8), 2023), Some(d(2023, 3, 31)), Basis::KnownReviewNumber)
    );
    assert!(rows[2].note.starts_with("not held by 2023-03-31, the last day the returns show the child looked after"));
    assert_eq!(o.totals.never_held, 1);
}
