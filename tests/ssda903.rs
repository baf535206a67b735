//! SSDA903 audit: periods of care, deadlines and lateness on real-shaped returns (children already
//! looked after, several years), the basis of each deadline, rejects, accounting, overdue rows,
//! file handling. Every expected date is worked out by hand from the calendar (weekends, bank
//! holidays) and the review intervals (20 working days, 3 months, 6 months; short breaks 3 then 6
//! months; adoption placed 4 weeks, authorised 3 months), as written in the comments.

use std::io::Read;

use chrono::NaiveDate;
use lac_timescales::model::{EventKind, Regime};
use lac_timescales::profile::Profile;
use lac_timescales::ssda903::{
    audit, audit_str, build_periods, AuditOptions, AuditRow, Basis, Collect, Episode, FileKind, Input, Outcome,
    ReturnInput, Strategy as ReadStrategy,
};
use proptest::prelude::*;

const EP_HEADER: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";
const RV_HEADER: &str = "CHILD,DOB,REVIEW,REVIEW_CODE";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// An episodes row: CHILD, DECOM, RNE, LS, PLACE, DEC, REC.
fn ep(child: &str, decom: &str, rne: &str, ls: &str, place: &str, dec: &str, rec: &str) -> String {
    format!("{child},{decom},{rne},{ls},N1,{place},PR1,{dec},{rec},,A1 1AA,B2 2BB,1234567")
}

fn rv(child: &str, review: &str) -> String {
    format!("{child},01/01/2012,{review},PN1")
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

fn opts(as_at: Option<NaiveDate>) -> AuditOptions {
    let mut o = AuditOptions::new(&Profile::builtin("england").unwrap());
    o.as_at = as_at;
    o.threads = 1;
    o
}

fn dmy(s: &str) -> Option<NaiveDate> {
    lac_timescales::ssda903::parse_date(s)
}

/// Cuts returns from full histories as a real return is cut: for each collection year (named by
/// the year it ends), the episodes open at any time in the year with their original DECOM and
/// RNE (DEC and REC blank when the episode ended after the year), and the reviews held in it.
fn cut(eps: &[String], revs: &[String], years: &[i32]) -> Vec<(String, String, i32)> {
    years
        .iter()
        .map(|&y| {
            let (a, b) = (d(y - 1, 4, 1), d(y, 3, 31));
            let e: Vec<String> = eps
                .iter()
                .filter_map(|row| {
                    let mut f: Vec<String> = row.split(',').map(String::from).collect();
                    let decom = dmy(&f[1])?;
                    let dec = dmy(&f[7]);
                    if decom > b || dec.is_some_and(|x| x < a) {
                        return None;
                    }
                    if dec.is_some_and(|x| x > b) {
                        f[7].clear();
                        f[8].clear();
                    }
                    Some(f.join(","))
                })
                .collect();
            let r: Vec<String> = revs
                .iter()
                .filter(|row| dmy(row.split(',').nth(2).unwrap()).is_some_and(|x| a <= x && x <= b))
                .cloned()
                .collect();
            (file(EP_HEADER, &e), file(RV_HEADER, &r), y)
        })
        .collect()
}

fn run_returns(returns: &[(String, String, i32)], as_at: Option<NaiveDate>) -> (Collect, Outcome) {
    let inputs: Vec<ReturnInput<'_>> = returns
        .iter()
        .map(|(e, r, y)| ReturnInput::Csv {
            episodes: Input::Text { name: format!("SSDA903_{y}_episodes.csv"), text: e },
            reviews: Input::Text { name: format!("SSDA903_{y}_reviews.csv"), text: r },
            year: None,
        })
        .collect();
    let mut c = Collect::default();
    let o = audit(inputs, &opts(as_at), &mut c).unwrap();
    assert!(o.totals.balanced(), "{:?}", o.totals);
    (c, o)
}

/// One return of collection year `year`.
fn run_year(eps: &[String], revs: &[String], year: i32, as_at: Option<NaiveDate>) -> (Collect, Outcome) {
    run_returns(&[(file(EP_HEADER, eps), file(RV_HEADER, revs), year)], as_at)
}

/// Full histories cut into returns for every year from `from` to `to`.
fn run_history(eps: &[String], revs: &[String], from: i32, to: i32, as_at: Option<NaiveDate>) -> (Collect, Outcome) {
    let years: Vec<i32> = (from..=to).collect();
    run_returns(&cut(eps, revs, &years), as_at)
}

fn row<'a>(c: &'a Collect, child: &str, review: NaiveDate) -> &'a AuditRow {
    c.rows
        .iter()
        .find(|r| &*r.child == child && r.review == Some(review))
        .unwrap_or_else(|| panic!("no row for {child} {review}: {:?} {:?}", c.rows, c.rejects))
}

fn episode(line: u64, decom: NaiveDate, dec: Option<NaiveDate>, s: bool) -> Episode {
    Episode {
        line,
        decom,
        dec,
        starts_period: s,
        short_breaks: false,
        authorised: false,
        placed_for_adoption: false,
        adopted: false,
        year: 2027,
    }
}

fn kinds(events: &[lac_timescales::model::Event]) -> Vec<(NaiveDate, &'static str)> {
    events.iter().map(|e| (e.date, e.kind.name())).collect()
}

#[test]
fn rne_s_starts_a_period_and_dec_of_the_last_episode_ends_it() {
    // S on 5 Jan, a placement move on 1 Mar (RNE P), ended 30 Jun; a second S on 1 Sep, open.
    let eps = vec![
        episode(2, d(2026, 1, 5), Some(d(2026, 3, 1)), true),
        episode(3, d(2026, 3, 1), Some(d(2026, 6, 30)), false),
        episode(4, d(2026, 9, 1), None, true),
    ];
    let (periods, rejects) = build_periods(&eps, Some(d(2025, 4, 1)));
    assert!(rejects.is_empty());
    assert_eq!(periods.len(), 2);
    assert_eq!((periods[0].start, periods[0].end, periods[0].start_known), (d(2026, 1, 5), Some(d(2026, 6, 30)), true));
    assert_eq!(periods[0].lines, vec![2, 3]);
    assert_eq!(
        kinds(&periods[0].events),
        vec![(d(2026, 1, 5), "became_looked_after"), (d(2026, 6, 30), "ceased_to_be_looked_after")]
    );
    assert_eq!((periods[1].start, periods[1].end), (d(2026, 9, 1), None));
}

#[test]
fn episodes_before_the_first_s_make_a_period_that_began_before_the_data() {
    // First episode RNE P from 1 Mar 2024; the window opens 1 Apr 2024: the placeholder start is
    // the first DECOM (it is earlier than 29 Mar, three days before the window).
    let eps = vec![episode(2, d(2024, 3, 1), Some(d(2024, 6, 1)), false), episode(3, d(2024, 6, 1), None, false)];
    let (p, rejects) = build_periods(&eps, Some(d(2024, 4, 1)));
    assert!(rejects.is_empty());
    assert_eq!((p[0].start_known, p[0].start, p[0].first_decom, p[0].end), (false, d(2024, 3, 1), d(2024, 3, 1), None));
    // A first non-S episode inside the window (an inconsistent return): clocks start three days
    // before the window, 29 Mar 2024, so reviews from 1 Apr still fall in the period.
    let (p, _) = build_periods(&[episode(2, d(2024, 5, 1), None, false)], Some(d(2024, 4, 1)));
    assert_eq!((p[0].start, p[0].first_decom), (d(2024, 3, 29), d(2024, 5, 1)));
}

#[test]
fn short_breaks_adoption_and_authority_map_to_engine_events() {
    let a = episode(2, d(2026, 1, 5), Some(d(2026, 3, 2)), true);
    let mut b = episode(3, d(2026, 3, 2), Some(d(2026, 6, 1)), false);
    b.authorised = true;
    let mut c = episode(4, d(2026, 6, 1), Some(d(2027, 1, 20)), false);
    c.authorised = true;
    c.placed_for_adoption = true;
    c.adopted = true;
    let (p, _) = build_periods(&[c, a, b], None);
    assert_eq!(
        kinds(&p[0].events),
        vec![
            (d(2026, 1, 5), "became_looked_after"),
            (d(2026, 3, 2), "authority_to_place"),
            (d(2026, 6, 1), "placed_for_adoption"),
            (d(2027, 1, 20), "adoption_order_made"),
        ]
    );
    let mut v = episode(2, d(2026, 1, 5), Some(d(2026, 4, 1)), true);
    v.short_breaks = true;
    let w = episode(3, d(2026, 4, 1), None, false);
    let (p, _) = build_periods(&[v, w], None);
    assert_eq!(
        kinds(&p[0].events),
        vec![
            (d(2026, 1, 5), "short_breaks_started"),
            (d(2026, 4, 1), "short_breaks_ended"),
            (d(2026, 4, 1), "became_looked_after"),
        ]
    );
    assert!(matches!(p[0].events[0].kind, EventKind::ShortBreaksStarted));
}

#[test]
fn looked_after_reviews_deadlines_and_lateness() {
    // Became looked after Thu 1 Jan 2026: first review within 20 working days = Thu 29 Jan.
    // Second within 3 months of 29 Jan = Wed 29 Apr; held Thu 30 Apr: 1 calendar, 1 working day late.
    // Third within 6 months of 30 Apr = Fri 30 Oct; held Mon 2 Nov: 3 calendar days, 1 working day late.
    // Returns 2025-26 and 2026-27 cover the whole period: every number is known.
    let eps = vec![ep("100", "01/01/2026", "S", "C2", "U1", "", "")];
    let revs = vec![rv("100", "29/01/2026"), rv("100", "30/04/2026"), rv("100", "02/11/2026")];
    let (c, o) = run_history(&eps, &revs, 2026, 2027, None);
    assert_eq!((o.totals.reviews_audited, o.totals.reviews_assessed), (3, 3));
    let r1 = row(&c, "100", d(2026, 1, 29));
    assert_eq!(
        (r1.regime, r1.review_number, r1.deadline, r1.on_time),
        (Some(Regime::LookedAfter), Some(1), Some(d(2026, 1, 29)), Some(true))
    );
    assert_eq!((r1.basis, r1.collection_year), (Basis::KnownReviewNumber, 2026));
    let r2 = row(&c, "100", d(2026, 4, 30));
    assert_eq!((r2.review_number, r2.deadline, r2.on_time), (Some(2), Some(d(2026, 4, 29)), Some(false)));
    assert_eq!((r2.working_days_late, r2.calendar_days_late, r2.collection_year), (Some(1), Some(1), 2027));
    let r3 = row(&c, "100", d(2026, 11, 2));
    assert_eq!(
        (r3.review_number, r3.deadline, r3.latest_working_day),
        (Some(3), Some(d(2026, 10, 30)), Some(d(2026, 10, 30)))
    );
    let mut s = String::new();
    r3.write_csv(&mut s);
    assert_eq!(
        s,
        "100,2026-27,2026-01-01,looked_after,3,2026-11-02,2026-10-30,2026-10-30,false,1,3,known_review_number,statutory,\n"
    );
}

#[test]
fn short_break_clock_for_v3_and_v4() {
    // Short breaks from Sun 1 Feb 2026: first review within 3 months = Fri 1 May. Held Tue 5 May:
    // Mon 4 May is the early May bank holiday, so 4 calendar days but 1 working day late.
    for ls in ["V3", "V4"] {
        let eps = vec![ep("200", "01/02/2026", "S", ls, "K2", "", "")];
        let (c, _) = run_history(&eps, &[rv("200", "05/05/2026")], 2026, 2027, None);
        let r = row(&c, "200", d(2026, 5, 5));
        assert_eq!((r.regime, r.review_number, r.deadline), (Some(Regime::ShortBreaks), Some(1), Some(d(2026, 5, 1))));
        assert_eq!((r.on_time, r.working_days_late, r.calendar_days_late), (Some(false), Some(1), Some(4)));
    }
}

#[test]
fn adoption_authorised_from_e1_and_placed_from_a3_to_a6() {
    // Looked after Mon 5 Jan 2026; first review within 20 working days = Mon 2 Feb (held then).
    // LS E1 from Mon 2 Mar: authority to place, first adoption review within 3 months = Tue 2 Jun.
    // The next looked-after review is due 3 months after 2 Feb = Sat 2 May (plan for Fri 1 May).
    // One meeting on Fri 15 May serves both: the earlier deadline (2 May) binds, so it is late by
    // 13 calendar days and 9 working days (Mon 4 May is a bank holiday; 5-8 and 11-15 May).
    // Placed for adoption (A4) Mon 1 Jun: first review within 4 weeks = Mon 29 Jun; held Fri 26 Jun.
    for place in ["A3", "A4", "A5", "A6"] {
        let eps = vec![
            ep("300", "05/01/2026", "S", "C2", "U1", "02/03/2026", "X1"),
            ep("300", "02/03/2026", "L", "E1", "U1", "01/06/2026", "X1"),
            ep("300", "01/06/2026", "P", "E1", place, "", ""),
        ];
        let revs = vec![rv("300", "02/02/2026"), rv("300", "15/05/2026"), rv("300", "26/06/2026")];
        let (c, o) = run_history(&eps, &revs, 2026, 2027, None);
        // Two returns: the E1 episode (2 Mar to 1 Jun 2026) is open in both years and is in both;
        // the 2026-27 copy wins, the 2025-26 copy (no DEC yet) is superseded.
        assert_eq!((o.totals.used(FileKind::Episodes), o.totals.superseded()), (3, 1));
        let r2 = row(&c, "300", d(2026, 5, 15));
        assert_eq!(
            (r2.regime, r2.review_number, r2.deadline),
            (Some(Regime::LookedAfter), Some(2), Some(d(2026, 5, 2)))
        );
        assert_eq!(r2.latest_working_day, Some(d(2026, 5, 1)));
        assert_eq!((r2.on_time, r2.working_days_late, r2.calendar_days_late), (Some(false), Some(9), Some(13)));
        assert!(r2.note.contains("adoption_authorised review 1 due 2026-06-02"), "{}", r2.note);
        let r3 = row(&c, "300", d(2026, 6, 26));
        assert_eq!(
            (r3.regime, r3.review_number, r3.deadline, r3.on_time),
            (Some(Regime::AdoptionPlaced), Some(1), Some(d(2026, 6, 29)), Some(true))
        );
    }
}

// ---- The basis of each deadline, on the 2024-25 return (window 1 Apr 2024 to 31 Mar 2025) ----

/// Child looked after since Wed 1 Jun 2022 (its original RNE = S episode, still open).
/// First review (had the data started there) within 20 working days: 2 and 3 Jun 2022 were bank
/// holidays (Platinum Jubilee), so Jun 6-10, 13-17, 20-24, 27-30 and Fri 1 Jul = 20: 1 Jul 2022.
fn since_2022(child: &str) -> Vec<String> {
    vec![ep(child, "01/06/2022", "S", "C2", "U1", "", "")]
}

#[test]
fn decided_by_the_data_on_time_whatever_came_before() {
    // Reviews Wed 15 May 2024 and Thu 1 Aug 2024. The second's previous review (15 May) is in the
    // data: due 15 Aug 2024 if 15 May was the first review (3 months), 15 Nov 2024 if not
    // (6 months). 1 Aug is on time either way: decided by the data, the earlier deadline shown.
    let revs = vec![rv("A", "15/05/2024"), rv("A", "01/08/2024")];
    let (c, o) = run_year(&since_2022("A"), &revs, 2025, None);
    let r = row(&c, "A", d(2024, 8, 1));
    assert_eq!(
        (r.basis, r.on_time, r.deadline, r.review_number),
        (Basis::DecidedByData, Some(true), Some(d(2024, 8, 15)), None)
    );
    assert_eq!(r.period_start, Some(d(2022, 6, 1)));
    assert!(r.note.contains("on time whatever the earlier reviews"), "{}", r.note);
    // The first review in the data, 15 May 2024: due 1 Jul 2022 if it was the first review, by
    // 30 Sep 2024 at the latest (6 months after a review on 31 Mar 2024): not assessable.
    let r1 = row(&c, "A", d(2024, 5, 15));
    assert_eq!((r1.basis, r1.on_time, r1.deadline), (Basis::NotAssessable, None, None));
    assert!(r1.note.contains("previous review before this return: add the 2023-24 return"), "{}", r1.note);
    assert_eq!((o.totals.reviews_audited, o.totals.reviews_assessed, o.totals.on_assumption), (2, 1, 0));
}

#[test]
fn judged_on_the_stated_assumption() {
    // Reviews 15 May 2024 and Thu 10 Oct 2024. If 15 May were the first review it would have been
    // due 1 Jul 2022 and held more than 3 months late (after 1 Oct 2022): the audit assumes it was
    // not, so 10 Oct is a later review due 6 months after 15 May = Fri 15 Nov 2024: on time, on the
    // stated assumption. (As a second review it would have been due 15 Aug 2024, late.)
    let revs = vec![rv("B", "15/05/2024"), rv("B", "10/10/2024")];
    let (c, o) = run_year(&since_2022("B"), &revs, 2025, None);
    let r = row(&c, "B", d(2024, 10, 10));
    assert_eq!(
        (r.basis, r.on_time, r.deadline, r.review_number),
        (Basis::Assumption, Some(true), Some(d(2024, 11, 15)), None)
    );
    assert!(r.note.contains("stated assumption"), "{}", r.note);
    assert!(r.note.contains("2022-07-01"), "{}", r.note);
    assert_eq!(o.totals.on_assumption, 1);
}

#[test]
fn not_assessable_when_the_previous_review_could_have_been_the_first() {
    // Looked after before the data: first episode RNE P from Fri 1 Mar 2024 (start unknown, on or
    // before 1 Mar). Reviews Wed 10 Apr 2024 and Sun 15 Sep 2024.
    // 10 Apr as a first review: due at the latest 20 working days after 1 Mar 2024 = Tue 2 Apr
    // (Mar 4-8, 11-15, 18-22, 25-28; Good Friday 29 Mar and Easter Monday 1 Apr; Tue 2 Apr = 20),
    // so it would be 6 working days late, not more than 3 months late: the assumption does not
    // apply. 15 Sep is due 10 Jul 2024 (3 months) or 10 Oct 2024 (6 months): not decided.
    let eps = vec![ep("C", "01/03/2024", "P", "C2", "U1", "", "")];
    let revs = vec![rv("C", "10/04/2024"), rv("C", "15/09/2024")];
    let (c, o) = run_year(&eps, &revs, 2025, None);
    let r = row(&c, "C", d(2024, 9, 15));
    assert_eq!((r.basis, r.on_time, r.deadline, r.period_start), (Basis::NotAssessable, None, None, None));
    assert!(r.note.contains("add the 2023-24 return"), "{}", r.note);
    assert!(r.note.contains("between 2024-07-10 and 2024-10-10"), "{}", r.note);
    // 10 Apr: late if the first review (due 2 Apr), on time if a later one (due by 30 Sep 2024);
    // the start is unknown so there is no earliest deadline either: not assessable.
    let r1 = row(&c, "C", d(2024, 4, 10));
    assert_eq!((r1.basis, r1.on_time), (Basis::NotAssessable, None));
    assert!(r1.note.contains("no later than 2024-09-30"), "{}", r1.note);
    assert_eq!((o.totals.reviews_audited, o.totals.reviews_assessed), (2, 0));
    assert_eq!(o.totals.periods_before_data, 1);
}

#[test]
fn first_review_in_the_data_six_months_after_the_window_opened_is_late_whatever() {
    // Only review in the data: Tue 15 Oct 2024. Whatever came before, the previous review was on or
    // before 31 Mar 2024, so the latest possible deadline is 6 months later, Mon 30 Sep 2024.
    // Late by 15 calendar days and 11 working days (Oct 1-4, 7-11, 14-15).
    let (c, _) = run_year(&since_2022("D"), &[rv("D", "15/10/2024")], 2025, None);
    let r = row(&c, "D", d(2024, 10, 15));
    assert_eq!((r.basis, r.on_time, r.deadline), (Basis::DecidedByData, Some(false), Some(d(2024, 9, 30))));
    assert_eq!((r.working_days_late, r.calendar_days_late), (Some(11), Some(15)));
    assert!(r.note.contains("late whatever the earlier reviews"), "{}", r.note);
    // One day earlier than six months after the window (Mon 30 Sep 2024) it is not decided.
    let (c, _) = run_year(&since_2022("D"), &[rv("D", "30/09/2024")], 2025, None);
    assert_eq!(row(&c, "D", d(2024, 9, 30)).basis, Basis::NotAssessable);
}

#[test]
fn a_period_begun_in_the_window_has_known_numbers() {
    // S on Wed 5 Jun 2024: first review within 20 working days = Wed 3 Jul 2024 (Jun 6-7, 10-14,
    // 17-21, 24-28, Jul 1-3). Held Tue 2 Jul: on time, review 1, known.
    let eps = vec![ep("E", "05/06/2024", "S", "C2", "U1", "", "")];
    let (c, _) = run_year(&eps, &[rv("E", "02/07/2024")], 2025, None);
    let r = row(&c, "E", d(2024, 7, 2));
    assert_eq!(
        (r.basis, r.review_number, r.deadline, r.on_time),
        (Basis::KnownReviewNumber, Some(1), Some(d(2024, 7, 3)), Some(true))
    );
}

#[test]
fn statutory_and_local_misses_are_told_apart() {
    // Dudley's standard: the second review within 90 days of the first, statute's 3 months.
    // S on Wed 5 Jun 2024, first review Tue 2 Jul 2024 (due 3 Jul). Second review: statute
    // 2 Oct 2024, Dudley 2 Jul + 90 days = 30 Sep 2024 (29 days left in July, 31 in August, 30 in
    // September). Held Tue 1 Oct: late by Dudley's standard only. Child K held it Thu 3 Oct: late
    // against statute too.
    let eps = vec![ep("E", "05/06/2024", "S", "C2", "U1", "", ""), ep("K", "05/06/2024", "S", "C2", "U1", "", "")];
    let revs = vec![rv("E", "02/07/2024"), rv("E", "01/10/2024"), rv("K", "02/07/2024"), rv("K", "03/10/2024")];
    let mut o = opts(None);
    o.profile = Profile::builtin("dudley").unwrap();
    let mut c = Collect::default();
    audit_str(&file(EP_HEADER, &eps), &file(RV_HEADER, &revs), Some(2025), &o, &mut c).unwrap();
    let e = row(&c, "E", d(2024, 10, 1));
    assert_eq!(
        (e.deadline, e.on_time, e.missed.as_ref().map(|m| m.to_string())),
        (Some(d(2024, 9, 30)), Some(false), Some("local:dudley".into()))
    );
    let k = row(&c, "K", d(2024, 10, 3));
    assert_eq!((k.on_time, k.missed.as_ref().map(|m| m.to_string())), (Some(false), Some("statutory".into())));
    assert_eq!(row(&c, "E", d(2024, 7, 2)).missed, None);
    let mut s = lac_timescales::ssda903::report::Summary::default();
    for r in &c.rows {
        s.add_row(r);
    }
    assert_eq!((s.missed_statutory, s.missed_local_only), (1, 1));
}

#[test]
fn early_first_review_of_a_period_begun_just_before_the_window() {
    // S on Wed 20 Mar 2024, 12 days before the window. First review within 20 working days:
    // Mar 21-22, 25-28 (6; 29 Mar and 1 Apr are Easter), Apr 2-5 (10), 8-12 (15), 15-19 (20) =
    // Fri 19 Apr 2024. Held Wed 10 Apr: on time even if a review was held on 20 Mar (then due
    // 20 Jun). Decided by the data.
    let eps = vec![ep("F", "20/03/2024", "S", "C2", "U1", "", "")];
    let (c, _) = run_year(&eps, &[rv("F", "10/04/2024")], 2025, None);
    let r = row(&c, "F", d(2024, 4, 10));
    assert_eq!((r.basis, r.on_time, r.deadline), (Basis::DecidedByData, Some(true), Some(d(2024, 4, 19))));
}

#[test]
fn overdue_whole_window_without_a_review() {
    // Looked after since 1 Jun 2022, no review in 2024-25. Whatever came before, the next review
    // was due by 30 Sep 2024 at the latest (6 months after 31 Mar 2024). As at Mon 31 Mar 2025:
    // 182 calendar days; working days Oct 23 + Nov 21 + Dec 20 + Jan 22 + Feb 20 + Mar 21 = 127.
    // The next, counted from Mon 30 Sep 2024 as if held then, was due by Sun 30 Mar 2025 at the
    // latest: overdue too, 1 working day and 1 calendar day.
    let (c, o) = run_year(&since_2022("G"), &[], 2025, Some(d(2025, 3, 31)));
    assert_eq!((o.totals.overdue, o.totals.overdue_children, c.rows.len()), (2, 1, 2));
    let r = &c.rows[0];
    assert!(r.is_overdue());
    assert_eq!(
        (r.basis, r.deadline, r.working_days_late, r.calendar_days_late),
        (Basis::DecidedByData, Some(d(2024, 9, 30)), Some(127), Some(182))
    );
    let r = &c.rows[1];
    assert!(r.is_overdue());
    assert_eq!(
        (r.basis, r.deadline, r.working_days_late, r.calendar_days_late),
        (Basis::DecidedByData, Some(d(2025, 3, 30)), Some(1), Some(1))
    );
    // Reviewed 15 Oct 2024 (late): next due 15 Apr 2025 as a later review, so not overdue on
    // 31 Mar 2025 on the stated assumption (as a second review it would have been due 15 Jan).
    let (c, o) = run_year(&since_2022("G"), &[rv("G", "15/10/2024")], 2025, Some(d(2025, 3, 31)));
    assert_eq!((o.totals.overdue, c.rows.len()), (0, 1));
}

#[test]
fn as_at_before_the_data_or_after_the_window_is_refused() {
    let revs = vec![rv("A", "15/05/2024")];
    let mut c = Collect::default();
    let e = audit_str(
        &file(EP_HEADER, &since_2022("A")),
        &file(RV_HEADER, &revs),
        Some(2025),
        &opts(Some(d(2024, 5, 1))),
        &mut c,
    )
    .unwrap_err();
    assert!(e.to_string().contains("before the data's last date 2024-05-15"), "{e}");
    let e = audit_str(
        &file(EP_HEADER, &since_2022("A")),
        &file(RV_HEADER, &revs),
        Some(2025),
        &opts(Some(d(2025, 4, 1))),
        &mut c,
    )
    .unwrap_err();
    assert!(e.to_string().contains("after the last collection year"), "{e}");
}

// ---- Several returns ----

fn two_years() -> (Vec<String>, Vec<String>) {
    // Child H: looked after from 1 Jun 2022, left care Sun 30 Jun 2024 (E4A). Reviews Wed 10 May
    // 2023, Sun 5 Nov 2023, Wed 1 May 2024.
    // Child I: from Mon 3 Apr 2023 (S), LS C2; the 2024-25 return has LS C1 for the same episode.
    let eps = vec![
        ep("H", "01/06/2022", "S", "C2", "U1", "30/06/2024", "E4A"),
        ep("I", "03/04/2023", "S", "C2", "U1", "", ""),
    ];
    let revs = vec![rv("H", "10/05/2023"), rv("H", "05/11/2023"), rv("H", "01/05/2024"), rv("I", "28/04/2023")];
    (eps, revs)
}

#[test]
fn two_years_merge_later_year_wins_and_order_does_not_matter() {
    let (eps, revs) = two_years();
    let mut returns = cut(&eps, &revs, &[2024, 2025]);
    // The later return records I's legal status differently: a conflict to report.
    returns[1].0 = returns[1].0.replace("I,03/04/2023,S,C2", "I,03/04/2023,S,C1");
    let (c, o) = run_returns(&returns, Some(d(2025, 3, 31)));
    // H left care in the 2024-25 return: not overdue, though the 2023-24 copy is open.
    assert!(c.rows.iter().all(|r| !(r.is_overdue() && &*r.child == "H")), "{:?}", c.rows);
    assert_eq!(o.totals.superseded(), 2);
    let h = c.superseded.iter().find(|s| &*s.child == "H").unwrap();
    assert_eq!((h.year, h.kept_year, h.conflict.as_str()), (2024, 2025, ""));
    let i = c.superseded.iter().find(|s| &*s.child == "I").unwrap();
    assert_eq!(i.conflict, "LS: \"C2\" (2023-24) vs \"C1\" (2024-25)");
    assert_eq!(o.totals.conflicts, 1);
    // H: period from 1 Jun 2022, before the window (1 Apr 2023). 5 Nov 2023 is due 10 Aug 2023 if
    // 10 May was the first review (more than 3 months late then: due 1 Jul 2022), else 10 Nov 2023:
    // on time on the assumption. 1 May 2024 follows two reviews in the data: due 6 months after
    // 5 Nov 2023 = Sun 5 May 2024 whatever came before: on time, decided by the data.
    let r = row(&c, "H", d(2023, 11, 5));
    assert_eq!((r.basis, r.on_time, r.deadline), (Basis::Assumption, Some(true), Some(d(2023, 11, 10))));
    let r = row(&c, "H", d(2024, 5, 1));
    assert_eq!(
        (r.basis, r.on_time, r.deadline, r.collection_year),
        (Basis::DecidedByData, Some(true), Some(d(2024, 5, 5)), 2025)
    );
    // I: S on Mon 3 Apr 2023, first review within 20 working days: Apr 4-6 (3; Good Friday 7 and
    // Easter Monday 10 Apr), 11-14 (7), 17-21 (12), 24-28 (17), May 2-3 (19; 1 May bank holiday),
    // Thu 4 May = 20. Held 28 Apr 2023: review 1, known, on time.
    let r = row(&c, "I", d(2023, 4, 28));
    assert_eq!(
        (r.basis, r.review_number, r.deadline, r.on_time),
        (Basis::KnownReviewNumber, Some(1), Some(d(2023, 5, 4)), Some(true))
    );
    // Same answer whatever the order of the returns.
    let mut rev = returns.clone();
    rev.reverse();
    let (c2, o2) = run_returns(&rev, Some(d(2025, 3, 31)));
    assert_eq!(c.rows, c2.rows);
    assert_eq!(c.rejects, c2.rejects);
    assert_eq!(c.superseded, c2.superseded);
    assert_eq!(o.totals, o2.totals);
}

#[test]
fn the_stale_copy_alone_would_make_h_overdue() {
    // Only the 2023-24 return: H's episode is open at 31 Mar 2024. Reviewed 5 Nov 2023: next due
    // 5 May 2024 (after two reviews in the data), so as at 31 Mar 2024 H is not overdue. Child I
    // (first review Fri 28 Apr 2023, none since) is: its second review was due 3 months after the
    // first, Fri 28 Jul 2023; as at Sun 31 Mar 2024 that is 247 calendar days. Its third, counted
    // from 28 Jul 2023 as if held then, was due 6 months later, Sun 28 Jan 2024: 3 + 29 + 31 = 63
    // calendar days.
    let (eps, revs) = two_years();
    let returns = cut(&eps, &revs, &[2024]);
    let (c, _) = run_returns(&returns, Some(d(2024, 3, 31)));
    let overdue: Vec<_> = c.rows.iter().filter(|r| r.is_overdue()).collect();
    assert_eq!(overdue.len(), 2, "{overdue:?}");
    assert_eq!(
        (&*overdue[0].child, overdue[0].review_number, overdue[0].deadline),
        ("I", Some(2), Some(d(2023, 7, 28)))
    );
    assert_eq!((overdue[0].calendar_days_late, overdue[0].basis), (Some(247), Basis::KnownReviewNumber));
    assert_eq!(
        (&*overdue[1].child, overdue[1].review_number, overdue[1].deadline, overdue[1].calendar_days_late),
        ("I", Some(3), Some(d(2024, 1, 28)), Some(63))
    );
}

#[test]
fn two_returns_of_the_same_year_are_refused() {
    let a = file(EP_HEADER, &since_2022("A"));
    let r = file(RV_HEADER, &[]);
    let mk = |n: &str| ReturnInput::Csv {
        episodes: Input::Text { name: format!("{n}_2025_e.csv"), text: &a },
        reviews: Input::Text { name: format!("{n}_2025_r.csv"), text: &r },
        year: None,
    };
    let e = audit(vec![mk("x"), mk("y")], &opts(None), &mut Collect::default()).unwrap_err();
    assert!(e.to_string().contains("two returns for the same collection year 2024-25"), "{e}");
}

/// Two returns' episodes files given first, then their reviews files (the order a shell glob of
/// `SSDA903_20*_episodes.csv SSDA903_20*_reviews.csv` gives): the pair's names give two years,
/// and the error says how to order the files (adv8, session 8).
#[test]
fn files_of_two_years_in_one_pair_say_how_to_order_them() {
    let a = file(EP_HEADER, &since_2022("A"));
    let r = file(RV_HEADER, &[]);
    let pair = ReturnInput::Csv {
        episodes: Input::Text { name: "SSDA903_2024_episodes.csv".into(), text: &a },
        reviews: Input::Text { name: "SSDA903_2025_episodes.csv".into(), text: &r },
        year: None,
    };
    let e = audit(vec![pair], &opts(None), &mut Collect::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid file names \"SSDA903_2024_episodes.csv, SSDA903_2025_episodes.csv\": the file names give different \
         collection years (2024 and 2025): the files of one return are for one year; give each return's episodes file \
         followed by its reviews file (SSDA903_2024_episodes.csv SSDA903_2024_reviews.csv SSDA903_2025_episodes.csv \
         SSDA903_2025_reviews.csv ...), as `SSDA903_20*.csv` lists them"
    );
}

// ---- Rejects and whole-file failures ----

fn reasons(c: &Collect) -> Vec<(FileKind, u64, String)> {
    let mut v: Vec<_> = c.rejects.iter().map(|r| (r.table, r.line, r.reason.clone())).collect();
    v.sort_by_key(|x| (x.0, x.1, x.2.clone()));
    v
}

#[test]
fn every_kind_of_reject_names_file_line_and_reason() {
    let eps = vec![
        ep("500", "05/01/2025", "S", "C2", "U1", "", ""),             // line 2
        ep("500", "05/01/2025", "P", "C2", "U3", "", ""),             // 3: duplicate DECOM
        ep("", "05/01/2025", "S", "C2", "U1", "", ""),                // 4: missing CHILD
        ep("501", "31/02/2025", "S", "C2", "U1", "", ""),             // 5: bad date
        ep("\u{a0}502", "05/01/2025", "S", "C2", "U1", "", ""),       // 6: non-breaking space
        EP_HEADER.to_string(),                                        // 7: repeated header
        ep("503", "05/03/2025", "S", "C2", "U1", "01/03/2025", "X1"), // 8: DEC before DECOM
    ];
    let revs = vec![
        rv("500", "02/02/2025"), // 2: fine
        rv("500", "02/02/2025"), // 3: duplicate
        rv("500", "notadate"),   // 4: bad date
        rv("500", "01/01/2025"), // 5: outside the period (starts 5 Jan)
        rv("999", "02/02/2025"), // 6: unknown child
        "500,01/01/2012".into(), // 7: too few fields
        rv("500", "02/02/2024"), // 8: outside the return's year
    ];
    let mut c = Collect::default();
    let o = audit_str(&file(EP_HEADER, &eps), &file(RV_HEADER, &revs), Some(2025), &opts(None), &mut c).unwrap();
    let t = &o.totals;
    assert!(t.balanced());
    assert_eq!((t.rows_in(FileKind::Episodes), t.used(FileKind::Episodes), t.rejected(FileKind::Episodes)), (7, 1, 6));
    assert_eq!((t.rows_in(FileKind::Reviews), t.used(FileKind::Reviews), t.rejected(FileKind::Reviews)), (7, 1, 6));
    let r = reasons(&c);
    let has = |f: FileKind, line: u64, text: &str| {
        assert!(r.iter().any(|x| x.0 == f && x.1 == line && x.2.contains(text)), "{f:?} {line} {text:?} in {r:#?}")
    };
    has(FileKind::Episodes, 3, "duplicate: same CHILD and DECOM as line 2");
    has(FileKind::Episodes, 4, "missing CHILD");
    has(FileKind::Episodes, 5, "bad date in DECOM: \"31/02/2025\"");
    has(FileKind::Episodes, 6, "contains a non-breaking space");
    has(FileKind::Episodes, 7, "repeated header row");
    has(FileKind::Episodes, 8, "DEC \"01/03/2025\" is before DECOM");
    has(FileKind::Reviews, 3, "duplicate: same CHILD and REVIEW date as line 2");
    has(FileKind::Reviews, 4, "bad date in REVIEW: \"notadate\"");
    has(FileKind::Reviews, 5, "outside every period of care (05/01/2025 to open)");
    has(FileKind::Reviews, 6, "unknown child");
    has(FileKind::Reviews, 7, "too few fields");
    has(FileKind::Reviews, 8, "outside this return's collection year 2024-25");
    assert!(t.whole_file_failures().is_empty());
}

/// A date field of ten NUL bytes is a bad date, not the empty slot of the workers' date cache
/// (whose key it shares); before the cache checked its slots were taken, it read as year -262143.
#[test]
fn a_date_of_ten_nul_bytes_is_a_bad_date() {
    let nul = "\0".repeat(10);
    let eps = vec![ep("500", "05/01/2025", "S", "C2", "U1", "", ""), ep("501", &nul, "S", "C2", "U1", "", "")];
    let revs = vec![rv("500", &nul), rv("500", "30/01/2025")];
    let mut c = Collect::default();
    let o = audit_str(&file(EP_HEADER, &eps), &file(RV_HEADER, &revs), Some(2025), &opts(None), &mut c).unwrap();
    assert!(o.totals.balanced());
    let r = reasons(&c);
    let want = |f: FileKind, line: u64, text: &str| r.iter().any(|x| x.0 == f && x.1 == line && x.2.starts_with(text));
    assert!(want(FileKind::Episodes, 3, "bad date in DECOM: \"\\0\\0"), "{r:#?}");
    assert!(want(FileKind::Reviews, 2, "bad date in REVIEW: \"\\0\\0"), "{r:#?}");
    assert_eq!(r.len(), 2, "{r:#?}");
    // Looked after Sun 5 Jan 2025: the first review is due within 20 working days, by Fri 31 Jan.
    let first = row(&c, "500", d(2025, 1, 30));
    assert_eq!((first.deadline, first.on_time), (Some(d(2025, 1, 31)), Some(true)));
}

#[test]
fn invalid_utf8_in_child_is_a_reject_and_the_rest_stands() {
    let mut bytes = file(EP_HEADER, &[ep("600", "05/01/2025", "S", "C2", "U1", "", "")]).into_bytes();
    bytes.extend_from_slice(b"6\xff01,05/01/2025,S,C2,N1,U1,PR1,,,,,,\n");
    let revs = file(RV_HEADER, &[rv("600", "30/01/2025")]);
    let r = ReturnInput::Csv {
        episodes: Input::Reader { name: "e.csv".into(), reader: Box::new(std::io::Cursor::new(bytes)) },
        reviews: Input::Text { name: "r.csv".into(), text: &revs },
        year: Some(2025),
    };
    let mut c = Collect::default();
    let o = audit(vec![r], &opts(None), &mut c).unwrap();
    assert!(o.totals.balanced());
    assert_eq!(c.rejects.len(), 1);
    assert!(c.rejects[0].reason.contains("not valid UTF-8"), "{:?}", c.rejects);
    assert_eq!(c.rows.len(), 1);
}

#[test]
fn swapped_files_fail_as_whole_files_naming_the_cause() {
    let eps = file(EP_HEADER, &since_2022("A"));
    let revs = file(RV_HEADER, &[rv("A", "15/05/2024")]);
    let mut c = Collect::default();
    let o = audit_str(&revs, &eps, Some(2025), &opts(None), &mut c).unwrap();
    let f = o.totals.whole_file_failures();
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(c.rejects.iter().any(|r| r.reason.contains("are the files swapped?")), "{:?}", c.rejects);
}

#[test]
fn iso_dates_and_cr_line_ends_read_like_the_usual_ones() {
    let eps = "CHILD,DECOM,RNE,LS,PLACE,DEC,REC\rE,2024-06-05,S,C2,U1,,\r";
    let revs = "CHILD,REVIEW\r\nE,2024-07-02\r\n\r\n";
    let mut c = Collect::default();
    let o = audit_str(eps, revs, None, &opts(None), &mut c).unwrap();
    assert_eq!(o.window.years(), &[2025]);
    assert_eq!(c.rows.len(), 1, "{:?}", c.rejects);
    assert_eq!((c.rows[0].deadline, c.rows[0].on_time), (Some(d(2024, 7, 3)), Some(true)));
    assert_eq!(o.totals.sources[1].blank_lines, 1);
    // An empty table is a whole-file failure.
    let o = audit_str(eps, "CHILD,REVIEW\n", Some(2025), &opts(None), &mut Collect::default()).unwrap();
    assert!(o.totals.whole_file_failures()[0].contains("no data rows"));
}

#[test]
fn a_child_with_too_many_rows_is_rejected_not_a_crash() {
    let mut revs = Vec::new();
    let n = lac_timescales::ssda903::read::MAX_CHILD_ROWS + 5;
    for k in 0..n {
        revs.push(rv("Z", &format!("{:02}/{:02}/2024", 1 + k % 28, 4 + (k / 28) % 9)));
    }
    let eps = vec![ep("Z", "01/04/2024", "S", "C2", "U1", "", "")];
    let (c, o) = run_year(&eps, &revs, 2025, None);
    assert!(c.rejects.iter().any(|r| r.reason.contains("more than")), "no cap reject");
    assert!(o.totals.balanced());
}

/// A temporary directory of one test (for its partition files), removed when dropped.
struct OwnTmp(std::path::PathBuf);

impl Drop for OwnTmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn own_tmp(name: &str) -> OwnTmp {
    let d = std::env::temp_dir().join(format!("lact-ssda903-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    OwnTmp(d)
}

/// [`lines_of`], each list sorted (for output partitioned by `CHILD`, whose order differs).
fn sorted_lines_of(c: &Collect) -> (Vec<String>, Vec<String>) {
    let (mut a, mut b) = lines_of(c);
    a.sort();
    b.sort();
    (a, b)
}

fn lines_of(c: &Collect) -> (Vec<String>, Vec<String>) {
    let fmt = |f: &dyn Fn(&mut String)| {
        let mut s = String::new();
        f(&mut s);
        s
    };
    let a: Vec<String> = c.rows.iter().map(|r| fmt(&|s| r.write_csv(s))).collect();
    let b: Vec<String> = c.rejects.iter().map(|r| fmt(&|s| r.write_csv(s))).collect();
    (a, b)
}

#[test]
fn partitions_and_memory_give_the_same_answer_and_clean_up() {
    let mut eps = Vec::new();
    let mut revs = Vec::new();
    for k in 0..60u32 {
        let child = format!("{}", 1000 + k);
        eps.push(ep(
            &child,
            "05/01/2022",
            if k % 3 == 0 { "P" } else { "S" },
            if k % 5 == 0 { "V3" } else { "C2" },
            "U1",
            "",
            "",
        ));
        revs.push(rv(&child, &format!("{:02}/05/2024", 1 + k % 28)));
        revs.push(rv(&child, &format!("{:02}/10/2024", 1 + k % 28)));
    }
    revs.push(rv("", "02/02/2025"));
    let dir = std::env::temp_dir().join(format!("lact-ssda903-parts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (ef, rf) = (dir.join("SSDA903_2025_e.csv"), dir.join("SSDA903_2025_r.csv"));
    std::fs::write(&ef, file(EP_HEADER, &eps)).unwrap();
    std::fs::write(&rf, file(RV_HEADER, &revs)).unwrap();
    let paths =
        || vec![ReturnInput::Csv { episodes: Input::Path(ef.clone()), reviews: Input::Path(rf.clone()), year: None }];
    let mut o = opts(None);
    o.tmp_dir = dir.clone();
    let mut mem = Collect::default();
    let om = audit(paths(), &o, &mut mem).unwrap();
    assert_eq!(om.strategy, ReadStrategy::InMemory);
    o.memory_budget = 2000;
    o.threads = 2;
    let mut part = Collect::default();
    let op = audit(paths(), &o, &mut part).unwrap();
    assert!(matches!(op.strategy, ReadStrategy::Partitioned(n) if n >= 2), "{:?}", op.strategy);
    assert!(op.totals.balanced());
    // Partitioned output lists children partition by partition: compare the lines as sets.
    assert_eq!(sorted_lines_of(&mem), sorted_lines_of(&part));
    assert!(std::fs::read_dir(&dir).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().starts_with(".audit")));
    // A pipe-like reader is read once, as a stream.
    let text = file(EP_HEADER, &eps);
    let mut once = Collect::default();
    let r = ReturnInput::Csv {
        episodes: Input::Reader {
            name: "SSDA903_2025_e.csv".into(),
            reader: Box::new(text.as_bytes().chain(&b""[..])),
        },
        reviews: Input::Path(rf.clone()),
        year: None,
    };
    audit(vec![r], &opts(None), &mut once).unwrap();
    assert_eq!(lines_of(&once).0, lines_of(&mem).0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_file_is_an_error_not_a_panic() {
    let r = ReturnInput::Csv {
        episodes: Input::Path("/nonexistent/nope.csv".into()),
        reviews: Input::Path("/nonexistent/nope2.csv".into()),
        year: Some(2025),
    };
    let err = audit(vec![r], &opts(None), &mut Collect::default()).unwrap_err();
    assert!(err.to_string().contains("nope.csv"), "{err}");
    assert_eq!(err.kind(), lac_timescales::ErrorKind::Io);
}

fn any_date() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..=31, 1u32..=12, 2022i32..=2025).prop_map(|(d, m, y)| format!("{d:02}/{m:02}/{y}")),
        (2022i32..=2025, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        Just(String::new()),
        Just("notadate".to_string()),
        Just("99999999999999/01/2024".to_string()),
        Just("1/1/20241".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Random rows (bad dates, blank children, duplicates, odd codes): never a panic, every row
    /// used, rejected or superseded, and every assessed row consistent.
    #[test]
    fn rows_in_equal_rows_out_plus_rejects(
        eps in proptest::collection::vec(
            (0u8..6, any_date(), prop_oneof![Just("S"), Just("P"), Just("L")],
             prop_oneof![Just("C2"), Just("V3"), Just("E1")], prop_oneof![Just("U1"), Just("A4")],
             any_date(), prop_oneof![Just("X1"), Just("E11")]),
            0..25),
        revs in proptest::collection::vec((0u8..7, any_date()), 0..40),
        as_at in proptest::option::of(Just(d(2025, 3, 31))),
    ) {
        let child = |k: u8| if k == 0 { String::new() } else { format!("{k}") };
        let e: Vec<String> = eps.iter().map(|(k, a, r, l, p, b, c)| ep(&child(*k), a, r, l, p, b, c)).collect();
        let r: Vec<String> = revs.iter().map(|(k, a)| rv(&child(*k), a)).collect();
        let mut c = Collect::default();
        match audit_str(&file(EP_HEADER, &e), &file(RV_HEADER, &r), Some(2025), &opts(as_at), &mut c) {
            Ok(o) => {
                prop_assert!(o.totals.balanced());
                prop_assert_eq!(o.totals.rows_in(FileKind::Episodes), e.len() as u64);
                prop_assert_eq!(o.totals.rows_in(FileKind::Reviews), r.len() as u64);
                let held = c.rows.iter().filter(|x| x.review.is_some()).count() as u64;
                let rej_r = c.rejects.iter().filter(|x| x.table == FileKind::Reviews).count() as u64;
                prop_assert_eq!(held + rej_r, r.len() as u64);
                for x in &c.rows {
                    prop_assert_eq!(x.on_time.is_none(), x.basis == Basis::NotAssessable);
                    if let (Some(on), Some(w), Some(cd)) = (x.on_time, x.working_days_late, x.calendar_days_late) {
                        prop_assert_eq!(on, w == 0 && cd == 0);
                    }
                }
            }
            // Only the as-at refusal can stop it (a random date after 31 Mar 2025 is not in the
            // year, so it is rejected and never the last date; DECOMs can be).
            Err(err) => prop_assert!(err.to_string().contains("as-at"), "{}", err),
        }
    }
}

/// The same return as the DfE XML: CHILD > HEADER (CHILDID, DOB, AREVIEW*) and EPISODE*, with
/// PLACE written as PL, empty values as empty elements, and a value escaped.
fn to_xml(eps: &str, revs: &str) -> String {
    let names: Vec<&str> = EP_HEADER.split(',').collect();
    let mut children: Vec<String> = Vec::new();
    let rows = |t: &str| {
        t.lines()
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|l| l.split(',').map(String::from).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    let (e, r) = (rows(eps), rows(revs));
    for x in e.iter().chain(&r) {
        if !children.contains(&x[0]) {
            children.push(x[0].clone());
        }
    }
    let mut s = String::from("<?xml version='1.0' encoding='us-ascii'?>\n<EXPSSDA903>\n");
    for c in &children {
        s += &format!("<CHILD>\n  <HEADER><CHILDID>{c}</CHILDID><SEX>1</SEX><DOB>01/01/2012</DOB>\n");
        for x in r.iter().filter(|x| &x[0] == c) {
            s += &format!("    <AREVIEW><REVIEW>{}</REVIEW><REVIEW_CODE>{}</REVIEW_CODE></AREVIEW>\n", x[2], x[3]);
        }
        s += "  </HEADER>\n";
        for x in e.iter().filter(|x| &x[0] == c) {
            s += "  <EPISODE>";
            for (n, v) in names.iter().zip(x).skip(1) {
                let tag = if *n == "PLACE" { "PL" } else { n };
                let v = v.replace("A1 1AA", "A1 &amp; 1AA");
                s += &if v.is_empty() { format!("<{tag} />") } else { format!("<{tag}>{v}</{tag}>") };
            }
            s += "</EPISODE>\n";
        }
        s += "</CHILD>\n";
    }
    s + "</EXPSSDA903>\n"
}

#[test]
fn the_same_data_as_csv_and_as_xml_give_identical_results() {
    let (mut eps, mut revs) = two_years();
    eps.extend(since_2022("B"));
    revs.extend([rv("B", "15/05/2024"), rv("B", "10/10/2024")]);
    eps.push(ep("J", "01/05/2023", "S", "E1", "A4", "", ""));
    revs.push(rv("J", "20/05/2023"));
    let mut returns = cut(&eps, &revs, &[2024, 2025]);
    returns[1].1.push_str(&rv("B", "notadate"));
    returns[1].1.push('\n');
    let (csv, oc) = run_returns(&returns, Some(d(2025, 3, 31)));
    let xmls: Vec<String> = returns.iter().map(|(e, r, _)| to_xml(e, r)).collect();
    assert!(xmls[1].contains("<PL>U1</PL>") && xmls[1].contains("&amp;"));
    let inputs: Vec<ReturnInput<'_>> = xmls
        .iter()
        .zip(&returns)
        .rev()
        .map(|(x, (_, _, y))| ReturnInput::Xml {
            file: Input::Text { name: format!("SSDA903_{y}.xml"), text: x },
            year: None,
        })
        .collect();
    let mut xml = Collect::default();
    let ox = audit(inputs, &opts(Some(d(2025, 3, 31))), &mut xml).unwrap();
    assert!(ox.totals.balanced());
    assert!(!csv.rows.is_empty() && csv.rows.iter().any(|r| r.basis == Basis::Assumption));
    // reviews_audit.csv is identical (its lines do not carry the row's line number, which for XML
    // is the line its element starts on).
    assert_eq!(lines_of(&csv).0, lines_of(&xml).0);
    // Rejects and superseded copies: the same, but for the file names and the line numbers.
    let strip = |c: &Collect| -> Vec<(String, String)> {
        c.rejects.iter().map(|r| (r.child.clone(), r.reason.clone())).collect()
    };
    assert_eq!(strip(&csv), strip(&xml));
    assert_eq!(csv.rejects.len(), 1);
    let sup = |c: &Collect| -> Vec<(String, NaiveDate, String)> {
        c.superseded.iter().map(|s| (s.child.to_string(), s.decom, s.conflict.clone())).collect()
    };
    assert_eq!(sup(&csv), sup(&xml));
    assert_eq!(
        (oc.totals.reviews_audited, oc.totals.reviews_assessed),
        (ox.totals.reviews_audited, ox.totals.reviews_assessed)
    );
}

#[test]
fn a_truncated_or_foreign_xml_file_is_an_error() {
    let x = "<?xml version='1.0'?><EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID>";
    let r = ReturnInput::Xml { file: Input::Text { name: "SSDA903_2025.xml".into(), text: x }, year: None };
    let e = audit(vec![r], &opts(None), &mut Collect::default()).unwrap_err();
    assert!(e.to_string().contains("ends inside a CHILD element"), "{e}");
    let r = ReturnInput::Xml {
        file: Input::Text { name: "SSDA903_2025.xml".into(), text: "<html><body/></html>" },
        year: None,
    };
    let e = audit(vec![r], &opts(None), &mut Collect::default()).unwrap_err();
    assert!(e.to_string().contains("no EXPSSDA903 root element"), "{e}");
    // A foreign root with an empty CHILD in it is not "truncated" (t9 finding F12).
    let r = ReturnInput::Xml {
        file: Input::Text { name: "SSDA903_2025.xml".into(), text: "<WRONGROOT><CHILD/></WRONGROOT>" },
        year: None,
    };
    let e = audit(vec![r], &opts(None), &mut Collect::default()).unwrap_err();
    assert!(e.to_string().contains("no EXPSSDA903 root element"), "{e}");
    // A return with no reviews at all: the whole-file message names the XML element, not line ends.
    let x = "<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID></HEADER><EPISODE><DECOM>01/05/2024</DECOM>\
             <RNE>S</RNE><LS>C2</LS><PL>U1</PL></EPISODE></CHILD></EXPSSDA903>";
    let r = ReturnInput::Xml { file: Input::Text { name: "SSDA903_2025.xml".into(), text: x }, year: None };
    let o = audit(vec![r], &opts(None), &mut Collect::default()).unwrap();
    let f = o.totals.whole_file_failures();
    assert_eq!(f, vec!["SSDA903_2025.xml (reviews table): no AREVIEW elements in any CHILD".to_string()], "{f:?}");
}

#[test]
fn same_year_duplicate_episodes_give_the_same_answer_in_either_row_order() {
    // Two copies of child 7's episode from Wed 1 May 2024 in one 2024-25 return, one open and one
    // ended Sat 1 Jun 2024. Review 1 on Mon 20 May 2024 (due within 20 working days: 2-3, 7-10,
    // 13-17, 20-24, 28-31 May (6 and 27 May are bank holidays) = Fri 31 May): on time. If the
    // period ended on 1 Jun nothing is overdue at 31 Mar 2025; if it were open, review 2 (due 3
    // months after 20 May = 20 Aug 2024) would be. Whichever copy is kept, it must not depend on
    // which line comes first: the copy with an end is kept, the other is the duplicate.
    let open = ep("7", "01/05/2024", "S", "C2", "U1", "", "");
    let ended = ep("7", "01/05/2024", "S", "C2", "U1", "01/06/2024", "E4A");
    let revs = vec![rv("7", "20/05/2024")];
    let as_at = Some(d(2025, 3, 31));
    let (a, _) = run_year(&[open.clone(), ended.clone()], &revs, 2025, as_at);
    let (b, _) = run_year(&[ended, open], &revs, 2025, as_at);
    assert_eq!(lines_of(&a).0, lines_of(&b).0);
    assert!(a.rows.iter().all(|r| !r.is_overdue()), "{:?}", a.rows);
    assert_eq!(a.rows.len(), 1);
    assert_eq!(a.rejects.len(), 1);
    assert!(a.rejects[0].reason.starts_with("duplicate"), "{:?}", a.rejects);
}

/// Records the order in which the audit's output arrives.
#[derive(Default)]
struct Order {
    events: Vec<String>,
}

impl lac_timescales::ssda903::Sink for Order {
    fn row(&mut self, row: &AuditRow) -> std::io::Result<()> {
        self.events.push(format!("row {}", row.child));
        Ok(())
    }
    fn reject(&mut self, r: &lac_timescales::ssda903::Reject) -> std::io::Result<()> {
        self.events.push(format!("reject {}", r.reason));
        Ok(())
    }
}

#[test]
fn rows_past_the_cap_are_rejected_and_never_written_to_partitions() {
    // Memory is bounded by MAX_CHILD_ROWS rows per child on the partitioned path only if the rows
    // past the cap are rejected while reading (before any child is audited), not written to a
    // partition and rejected afterwards. Held in memory (the input is within the budget and held
    // anyway), the audit rejects the same rows when it reaches the child.
    let cap = lac_timescales::ssda903::read::MAX_CHILD_ROWS;
    let mut revs = Vec::new();
    for k in 0..cap + 50 {
        revs.push(rv("Z", &format!("{:02}/{:02}/2024", 1 + k % 28, 4 + (k / 28) % 9)));
    }
    let eps = file(EP_HEADER, &[ep("Z", "01/04/2024", "S", "C2", "U1", "", "")]);
    let mut lines = Vec::new();
    let tmp = own_tmp("cap");
    for budget in [512u64 << 20, 4096] {
        let mut o = opts(None);
        o.memory_budget = budget;
        // A directory of its own: tests run in parallel in one process, and the partition
        // directory is named after the process.
        o.tmp_dir = tmp.0.clone();
        let mut sink = Order::default();
        let out = audit_str(&eps, &file(RV_HEADER, &revs), Some(2025), &o, &mut sink).unwrap();
        assert!(out.totals.balanced());
        let first_row = sink.events.iter().position(|e| e.starts_with("row ")).expect("an audit row");
        let capped: Vec<usize> =
            sink.events.iter().enumerate().filter(|(_, e)| e.contains("more than")).map(|(i, _)| i).collect();
        // One episode row and cap + 50 review rows: the last 51 rows are past the cap.
        assert_eq!(capped.len(), 51, "budget {budget}");
        if budget == 4096 {
            assert!(out.strategy != ReadStrategy::InMemory, "a 4 KiB budget partitions");
            assert!(capped.iter().all(|&i| i < first_row), "cap rejects arrived after the audit rows");
        }
        let mut c = Collect::default();
        audit_str(&eps, &file(RV_HEADER, &revs), Some(2025), &o, &mut c).unwrap();
        let mut l: Vec<u64> = c.rejects.iter().filter(|r| r.reason.contains("more than")).map(|r| r.line).collect();
        l.sort_unstable();
        lines.push(l);
    }
    // The same rows either way: the review rows after the first `cap - 1` (lines 2 onwards of the
    // reviews table; the child's episode row is its first row).
    let want: Vec<u64> = (0..51u64).map(|k| (cap as u64 - 1) + 2 + k).collect();
    assert_eq!(lines[0], want);
    assert_eq!(lines[1], want);
}

#[test]
fn a_whole_file_failure_names_the_reasons_its_rows_were_rejected() {
    // Reviews of a child looked after from 1 May 2024, but given as the 2023-24 return (its year
    // from the caller): both reviews are outside that year (1 Apr 2023 to 31 Mar 2024). The header
    // and the dates are fine, so the message must not blame them; it names the reason.
    let eps = file(EP_HEADER, &[ep("7", "01/05/2024", "S", "C2", "U1", "", "")]);
    let revs = file(RV_HEADER, &[rv("7", "20/05/2024"), rv("7", "20/06/2024")]);
    let o = audit_str(&eps, &revs, Some(2024), &opts(None), &mut Collect::default()).unwrap();
    let f = o.totals.whole_file_failures();
    let rv_msg = f.iter().find(|m| m.contains("reviews table")).expect("the reviews table fails");
    assert!(rv_msg.contains("all 2 rows were rejected (2 REVIEW outside this return's collection year)"), "{rv_msg}");
    assert!(!rv_msg.contains("bad header"), "{rv_msg}");
    // An episodes table without DEC: its message gives the header problem; the reviews table's
    // says its children have no episodes, not that its own header is bad.
    let no_dec = "CHILD,DECOM,RNE,LS,PLACE,REC\n7,01/05/2024,S,C2,U1,\n";
    let revs = file(RV_HEADER, &[rv("7", "20/05/2024")]);
    let o = audit_str(no_dec, &revs, Some(2025), &opts(None), &mut Collect::default()).unwrap();
    let f = o.totals.whole_file_failures();
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(f[0].contains("episodes table") && f[0].contains("missing column DEC"), "{f:?}");
    assert!(f[1].contains("reviews table") && f[1].contains("1 unknown child"), "{f:?}");
    assert!(!f[1].contains("bad header"), "{f:?}");
}

#[test]
fn a_later_return_s_episode_is_not_lost_to_an_earlier_return_s_open_copy() {
    // Child 7 looked after from Wed 1 Jun 2022 (RNE S); the 2022-23 return shows the episode open.
    // It ended in 2023-24, a year not given; the child came back Mon 2 Dec 2024 (RNE S). Only the
    // 2022-23 and 2024-25 returns are audited. The review of Fri 20 Dec 2024 is the new period's
    // first: due within 20 working days of 2 Dec: 3-6 (4), 9-13 (9), 16-20 (14), 23-24 (16), 27
    // (17; 25 and 26 Dec are bank holidays), 30-31 (19), 2 Jan (20; 1 Jan is a bank holiday) =
    // Thu 2 Jan 2025: on time, review 1, known. Before, the 2024 S episode was rejected as
    // overlapping the stale open period and the review judged in it.
    let r2023 = (
        file(EP_HEADER, &[ep("7", "01/06/2022", "S", "C2", "U1", "", "")]),
        file(RV_HEADER, &[rv("7", "24/06/2022")]),
        2023,
    );
    let r2025 = (
        file(EP_HEADER, &[ep("7", "02/12/2024", "S", "C2", "U1", "", "")]),
        file(RV_HEADER, &[rv("7", "20/12/2024")]),
        2025,
    );
    let (c, _) = run_returns(&[r2023, r2025], Some(d(2025, 3, 31)));
    assert!(c.rejects.is_empty(), "{:?}", c.rejects);
    let r = row(&c, "7", d(2024, 12, 20));
    assert_eq!(r.period_start, Some(d(2024, 12, 2)));
    assert_eq!((r.review_number, r.deadline, r.on_time), (Some(1), Some(d(2025, 1, 2)), Some(true)));
    assert_eq!(r.basis, Basis::KnownReviewNumber);
    // The old period's review of Fri 24 Jun 2022 is its first: due within 20 working days of Wed
    // 1 Jun 2022 (2 and 3 Jun are the Jubilee bank holidays): 6-10 (5), 13-17 (10), 20-24 (15),
    // 27-30 (19), Fri 1 Jul (20). On time; its row says the episode's end is not in the data.
    let old = row(&c, "7", d(2022, 6, 24));
    assert_eq!((old.review_number, old.deadline, old.on_time), (Some(1), Some(d(2022, 7, 1)), Some(true)));
    assert!(old.note.contains("taken to have ended by 31/03/2024"), "{}", old.note);
    // Overdue at 31 Mar 2025: the new period's second review is due 3 months after 20 Dec 2024 =
    // 20 Mar 2025, not held: overdue (and nothing from the old period).
    let over: Vec<&AuditRow> = c.rows.iter().filter(|r| r.is_overdue()).collect();
    assert_eq!(over.len(), 1, "{over:?}");
    assert_eq!((over[0].review_number, over[0].deadline), (Some(2), Some(d(2025, 3, 20))));
}

#[test]
fn copies_differing_only_in_the_case_of_a_code_do_not_conflict() {
    // The same episode (child 8 from 1 May 2023) in the 2023-24 return with LS "C2" and in the
    // 2024-25 return with "c2": the audit reads both as C2, so the later copy supersedes the
    // earlier without a conflict. A real change (PLACE U1 to U4) is still one.
    let r2024 = (
        file(
            EP_HEADER,
            &[ep("8", "01/05/2023", "S", "C2", "U1", "", ""), ep("9", "01/05/2023", "S", "C2", "U1", "", "")],
        ),
        file(RV_HEADER, &[rv("8", "20/05/2023"), rv("9", "20/05/2023")]),
        2024,
    );
    let r2025 = (
        file(
            EP_HEADER,
            &[ep("8", "01/05/2023", "S", "c2", "U1", "", ""), ep("9", "01/05/2023", "S", "C2", "U4", "", "")],
        ),
        file(RV_HEADER, &[rv("8", "20/11/2024"), rv("9", "20/11/2024")]),
        2025,
    );
    let (c, o) = run_returns(&[r2024, r2025], None);
    assert_eq!(c.superseded.len(), 2);
    let conflict = |child: &str| c.superseded.iter().find(|s| &*s.child == child).unwrap().conflict.clone();
    assert_eq!(conflict("8"), "");
    assert!(conflict("9").starts_with("PLACE"), "{}", conflict("9"));
    assert_eq!(o.totals.conflicts, 1);
}

#[test]
fn a_child_that_a_spreadsheet_would_run_as_a_formula_is_a_reject() {
    // CHILD is alphanumeric in the 903. `=HYPERLINK(...)` (quoted, as its comma needs) would be
    // written to reviews_audit.csv and run by a spreadsheet: it is rejected, and the rest stands.
    let eps = file(
        EP_HEADER,
        &[
            ep("\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", "01/05/2024", "S", "C2", "U1", "", ""),
            ep("A-1", "01/05/2024", "S", "C2", "U1", "", ""),
        ],
    );
    let revs = file(RV_HEADER, &[rv("@SUM(1)", "20/05/2024"), rv("A-1", "20/05/2024")]);
    let mut c = Collect::default();
    let o = audit_str(&eps, &revs, Some(2025), &opts(None), &mut c).unwrap();
    assert!(o.totals.balanced());
    assert_eq!(c.rows.len(), 1, "{:?}", c.rows);
    assert_eq!(&*c.rows[0].child, "A-1");
    assert_eq!(c.rejects.len(), 2, "{:?}", c.rejects);
    assert!(c.rejects.iter().all(|r| r.reason.contains("would run it as a formula")), "{:?}", c.rejects);
    // rejects.csv shows the value with a leading quote, so that it is not run there either.
    assert!(c.rejects.iter().all(|r| r.child.starts_with('\'')), "{:?}", c.rejects);
}

#[test]
fn the_summary_says_one_child_and_what_happened_when_every_review_was_rejected() {
    // Child G, looked after since 1 Jun 2022, has no review in 2024-25: overdue at 31 Mar 2025
    // (see overdue_whole_window_without_a_review). Its one review row, 1 May 2023, is in 2023-24,
    // outside the 2024-25 return's year: rejected, so no review is assessed at all (t9 findings
    // F10 and F12: "0 of 0 reviews assessed" and "1 children").
    let (c, o) = run_year(&since_2022("G"), &[rv("G", "01/05/2023")], 2025, Some(d(2025, 3, 31)));
    assert_eq!((o.totals.overdue, o.totals.overdue_children), (2, 1));
    assert_eq!(c.rejects.len(), 1, "{:?}", c.rejects);
    let mut s = lac_timescales::ssda903::report::Summary::default();
    for r in &c.rows {
        s.add_row(r);
    }
    for r in &c.rejects {
        s.add_reject(r);
    }
    assert_eq!(
        s.coverage_line(),
        "no review assessed: every review row read was rejected (1; most often REVIEW outside this return's collection year: 1); see rejects.csv"
    );
    let text = s.text(&o, "england", Some(d(2025, 3, 31)));
    assert!(
        text.contains(
            "Overdue at 2025-03-31: 2 reviews due and not held, of 1 child (0 on the stated assumption); 0 more open children"
        ),
        "{text}"
    );
    let html = s.html(&o, &[], "england", Some(d(2025, 3, 31)));
    assert!(html.contains("<b>1</b>child overdue now (2 reviews due and not held)"), "{html}");
}

#[test]
fn a_childid_with_a_non_breaking_space_is_a_reject_in_xml_as_in_csv() {
    // CHILD "8" followed by U+00A0: CSV rejects it (trimmed of ASCII spaces only); the XML reader
    // must not trim it away and accept the child (t9 finding F12).
    let eps = vec![ep("8\u{a0}", "01/05/2024", "S", "C2", "U1", "", "")];
    let revs = vec![rv("8\u{a0}", "20/05/2024")];
    let (csv, _) = run_year(&eps, &revs, 2025, None);
    assert!(csv.rows.is_empty() && csv.rejects.len() == 2, "{:?}", csv.rejects);
    let x = to_xml(&file(EP_HEADER, &eps), &file(RV_HEADER, &revs)).replace('\u{a0}', "&#160;");
    assert!(x.contains("<CHILDID>8&#160;</CHILDID>"), "{x}");
    let r = ReturnInput::Xml { file: Input::Text { name: "SSDA903_2025.xml".into(), text: &x }, year: None };
    let mut xml = Collect::default();
    let o = audit(vec![r], &opts(None), &mut xml);
    assert!(xml.rows.is_empty(), "{:?}", xml.rows);
    assert_eq!(xml.rejects.len(), 2, "{:?} {:?}", xml.rejects, o.map(|o| o.totals));
    assert!(xml.rejects.iter().all(|r| r.reason.contains("non-breaking space")), "{:?}", xml.rejects);
}

#[test]
fn a_quoted_field_with_a_line_break_is_one_record_and_a_stray_quote_loses_one_row_only() {
    // RFC 4180 (as a spreadsheet writes it): a line break inside a quoted PL_POST does not end the
    // record (t9 finding F5: it gave two rejects and child A lost its episode). Child A is
    // reviewed on Mon 20 May 2024 after an S episode on Wed 1 May 2024: the same rows whether the
    // postcode is "B2 2BB" or "B2<line break>2BB", and 2 episode rows read, not 3.
    let plain = vec![ep("A", "01/05/2024", "S", "C2", "U1", "", ""), ep("Z", "01/05/2024", "S", "C2", "U1", "", "")];
    let revs = vec![rv("A", "20/05/2024"), rv("Z", "20/05/2024")];
    let (want, _) = run_year(&plain, &revs, 2025, None);
    assert_eq!(want.rows.len(), 2);
    assert!(want.rejects.is_empty());
    for brk in ["\n", "\r\n", "\r"] {
        let mut broken = plain.clone();
        broken[0] = broken[0].replace("B2 2BB", &format!("\"B2{brk}2BB\""));
        let (got, o) = run_year(&broken, &revs, 2025, None);
        assert_eq!(lines_of(&got).0, lines_of(&want).0, "{brk:?}: {:?}", got.rejects);
        assert!(got.rejects.is_empty(), "{:?}", got.rejects);
        assert_eq!(o.totals.sources[0].rows_in, 2, "{brk:?}");
    }
    // A stray quote that never closes: that line is the one reject; the rows after it stand.
    let mut stray = plain.clone();
    stray[0] = stray[0].replace("B2 2BB", "\"B2 2BB");
    let (got, o) = run_year(&stray, &revs, 2025, None);
    assert_eq!(got.rejects.len(), 2, "{:?}", got.rejects);
    assert!(got.rejects[0].reason.starts_with("unterminated quoted field"), "{:?}", got.rejects);
    assert_eq!(got.rejects[0].line, 2);
    // A's review has no episode now: "unknown child".
    assert!(got.rejects[1].reason.starts_with("unknown child"), "{:?}", got.rejects);
    assert_eq!(got.rows.len(), 1);
    assert_eq!(&*got.rows[0].child, "Z");
    assert_eq!(o.totals.sources[0].rows_in, 2);
}

#[test]
fn reader_threads_give_the_rejects_and_rows_of_reading_one_file_after_another() {
    // Two returns given latest first, a bad row in each of the four tables. Read on the calling
    // thread (threads = 1) or ahead on reader threads (3), the rows read as bad come first, in
    // the returns' year order, then table (episodes, reviews), then line; the rest is the same.
    let e24 = file(
        EP_HEADER,
        &[ep("A", "01/06/2023", "S", "C2", "U1", "", ""), ep("=X", "01/06/2023", "S", "C2", "U1", "", "")],
    );
    let r24 = file(RV_HEADER, &[rv("", "20/06/2023"), rv("A", "20/06/2023")]);
    let e25 = file(
        EP_HEADER,
        &[ep("A B", "01/06/2023", "S", "C2", "U1", "", ""), ep("A", "01/06/2023", "S", "C2", "U1", "", "")],
    );
    let r25 = file(RV_HEADER, &[rv("A", "01/11/2024"), rv("A\u{a0}", "02/11/2024")]);
    let run = |threads: usize| -> Collect {
        fn mk<'a>(y: i32, e: &'a str, r: &'a str) -> ReturnInput<'a> {
            ReturnInput::Csv {
                episodes: Input::Text { name: format!("SSDA903_{y}_episodes.csv"), text: e },
                reviews: Input::Text { name: format!("SSDA903_{y}_reviews.csv"), text: r },
                year: None,
            }
        }
        let mut o = opts(None);
        o.threads = threads;
        let mut c = Collect::default();
        let out = audit(vec![mk(2025, &e25, &r25), mk(2024, &e24, &r24)], &o, &mut c).unwrap();
        assert!(out.totals.balanced());
        c
    };
    let (one, three) = (run(1), run(3));
    let at = |c: &Collect| -> Vec<(String, u64)> { c.rejects.iter().map(|r| (r.file.to_string(), r.line)).collect() };
    let expected: Vec<(String, u64)> = vec![
        ("SSDA903_2024_episodes.csv".into(), 3), // CHILD "=X": runs as a formula
        ("SSDA903_2024_reviews.csv".into(), 2),  // missing CHILD
        ("SSDA903_2025_episodes.csv".into(), 2), // CHILD "A B": a space
        ("SSDA903_2025_reviews.csv".into(), 3),  // CHILD "A" and a non-breaking space
    ];
    assert_eq!(at(&one), expected);
    assert_eq!(at(&three), expected);
    assert_eq!((one.rows.clone(), one.superseded.clone()), (three.rows.clone(), three.superseded.clone()));
    // A's 2023-24 episode is superseded by its 2024-25 copy; its two reviews are audited.
    assert_eq!(three.superseded.len(), 1);
    assert_eq!(
        three.rows.iter().map(|r| r.review).collect::<Vec<_>>(),
        vec![Some(d(2023, 6, 20)), Some(d(2024, 11, 1))]
    );
}

#[test]
fn tables_read_whole_give_what_tables_read_in_parts_give() {
    // Files as analysts' tools write them: CRLF and lone-CR line ends, blank lines, a quoted field
    // with a line break, a quoted CHILD, a CHILD longer than 8 bytes, a line over the length
    // limit, and (one table) a byte that is not UTF-8. Read whole by reader threads (threads 2,
    // the input within the budget), on the calling thread in parts (threads 1), or partitioned
    // (a small budget): the same rows, rejects and superseded copies.
    struct Gone(std::path::PathBuf);
    impl Drop for Gone {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let dir = std::env::temp_dir().join(format!("lact-ssda903-whole-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let _gone = Gone(dir.clone());
    let long = format!("L1,{}", "x".repeat(1 << 20));
    let e24: Vec<u8> = [
        EP_HEADER.to_string(),
        ep("A", "01/06/2023", "S", "C2", "U1", "", ""),
        String::new(),
        ep("LONGCHILD1", "01/06/2023", "S", "C2", "U1", "", ""),
        "\"B\",01/06/2023,S,C2,N1,\"two\nlines\",U1,,,,,,".to_string(),
        long.clone(),
        ep("A", "01/06/2023", "S", "C2", "U1", "", ""),
    ]
    .join("\r\n")
    .into_bytes();
    let r24: Vec<u8> =
        [RV_HEADER.to_string(), rv("A", "20/06/2023"), rv("LONGCHILD1", "20/06/2023"), rv("B", "01/07/2023")]
            .join("\r")
            .into_bytes();
    let mut e25 = vec![
        ep("A", "01/06/2023", "S", "C2", "U1", "10/01/2025", "E11"),
        ep("C", "01/05/2024", "S", "C2", "U1", "", ""),
    ];
    // Other children, so that a small budget partitions.
    e25.extend((0..40).map(|k| ep(&format!("F{k}"), "01/05/2024", "S", "C2", "U1", "", "")));
    let e25 = file(EP_HEADER, &e25);
    let mut r25 = file(RV_HEADER, &[rv("A", "01/11/2024"), rv("C", "20/05/2024"), rv("\"LONGCHILD1\"", "02/12/2024")])
        .into_bytes();
    // A row whose CHILD is not UTF-8 (rejected), in a table that is therefore not UTF-8 whole.
    r25.extend_from_slice(b"Z\xff,01/01/2010,03/03/2025,\n");
    let paths: Vec<std::path::PathBuf> =
        [("2024_e", e24), ("2024_r", r24), ("2025_e", e25.into_bytes()), ("2025_r", r25)]
            .into_iter()
            .map(|(n, t)| {
                let p = dir.join(format!("SSDA903_{n}.csv"));
                std::fs::write(&p, t).unwrap();
                p
            })
            .collect();
    let run = |threads: usize, budget: u64| -> (Collect, ReadStrategy) {
        let inputs = vec![
            ReturnInput::Csv {
                episodes: Input::Path(paths[0].clone()),
                reviews: Input::Path(paths[1].clone()),
                year: None,
            },
            ReturnInput::Csv {
                episodes: Input::Path(paths[2].clone()),
                reviews: Input::Path(paths[3].clone()),
                year: None,
            },
        ];
        let mut o = opts(None);
        o.threads = threads;
        o.memory_budget = budget;
        o.tmp_dir = dir.clone();
        let mut c = Collect::default();
        let out = audit(inputs, &o, &mut c).unwrap();
        assert!(out.totals.balanced());
        (c, out.strategy)
    };
    let (parts, _) = run(1, 512 << 20);
    let (whole, s) = run(2, 512 << 20);
    assert_eq!(s, ReadStrategy::InMemory);
    assert_eq!(lines_of(&whole), lines_of(&parts));
    assert_eq!(whole.superseded, parts.superseded);
    // What was read, worked out by hand: A's 2023-24 copies are superseded by its 2024-25 copy
    // (which fills in DEC and REC); the long line and the CHILD that is not UTF-8 are rejected.
    assert_eq!(whole.superseded.len(), 2);
    let reasons: Vec<&str> = whole.rejects.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(whole.rejects.len(), 2, "{reasons:?}");
    assert!(reasons.iter().any(|r| r.starts_with("line longer than")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("UTF-8")), "{reasons:?}");
    let children: Vec<&str> = whole.rows.iter().map(|r| &*r.child).collect();
    for c in ["A", "B", "C", "LONGCHILD1"] {
        assert!(children.contains(&c), "{c} missing from {children:?}");
    }
    assert_eq!(whole.rows.iter().filter(|r| &*r.child == "LONGCHILD1").count(), 2);
    let (part, s) = run(2, 1024);
    assert!(matches!(s, ReadStrategy::Partitioned(_)), "{s:?}");
    assert_eq!(sorted_lines_of(&whole), sorted_lines_of(&part));
}

#[test]
fn the_row_past_the_cap_in_an_xml_return_is_the_one_read_last_held_or_partitioned() {
    // One CHILD in two CHILD elements of an XML return: the first has `cap - 1` reviews and one
    // episode (exactly the cap of rows), the second one more episode. Rows count against the cap
    // in the order the file gives them (the first element's reviews and episode, then the
    // second's episode), so the row past the cap is the second element's episode. Not the last
    // review, which is last in table and line order but not in reading order. The same whether
    // the rows are held in memory or partitioned. Its line: the declaration (1), the root (2),
    // the first CHILD's start and HEADER (3), `cap - 1` reviews (4 to `cap + 2`), `</HEADER>`
    // (`cap + 3`), the first episode (`cap + 4`), `</CHILD>` (`cap + 5`), the second CHILD and
    // its HEADER (`cap + 6`), its episode: line `cap + 7`.
    let cap = lac_timescales::ssda903::read::MAX_CHILD_ROWS;
    let episode = |decom: &str, dec: &str, rec: &str| {
        let end = |t: &str, v: &str| if v.is_empty() { format!("<{t} />") } else { format!("<{t}>{v}</{t}>") };
        format!(
            "<EPISODE><DECOM>{decom}</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL>\
             <PLACE_PROVIDER>PR1</PLACE_PROVIDER>{}{}<REASON_PLACE_CHANGE /><HOME_POST /><PL_POST /><URN />\
             </EPISODE>\n",
            end("DEC", dec),
            end("REC", rec)
        )
    };
    let mut x = String::from("<?xml version='1.0'?>\n<EXPSSDA903>\n");
    x += "<CHILD><HEADER><CHILDID>77</CHILDID><SEX>1</SEX><DOB>01/01/2012</DOB>\n";
    for k in 0..cap - 1 {
        x += &format!(
            "<AREVIEW><REVIEW>{:02}/{:02}/2024</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>\n",
            1 + k % 28,
            5 + (k / 28) % 7
        );
    }
    x += "</HEADER>\n";
    x += &episode("01/05/2024", "", "");
    x += "</CHILD>\n<CHILD><HEADER><CHILDID>77</CHILDID><SEX>1</SEX><DOB>01/01/2012</DOB></HEADER>\n";
    x += &episode("01/04/2024", "30/04/2024", "E11");
    x += "</CHILD>\n</EXPSSDA903>\n";
    let tmp = own_tmp("xml-cap");
    for budget in [512u64 << 20, 4096] {
        let mut o = opts(None);
        o.memory_budget = budget;
        // A directory of its own: tests run in parallel in one process, and the partition
        // directory is named after the process.
        o.tmp_dir = tmp.0.clone();
        let r = ReturnInput::Xml { file: Input::Text { name: "SSDA903_2025.xml".into(), text: &x }, year: None };
        let mut c = Collect::default();
        let out = audit(vec![r], &o, &mut c).unwrap();
        assert!(out.totals.balanced());
        assert_eq!(out.strategy == ReadStrategy::InMemory, budget > 4096, "budget {budget}: {:?}", out.strategy);
        let capped: Vec<(FileKind, u64)> =
            c.rejects.iter().filter(|r| r.reason.contains("more than")).map(|r| (r.table, r.line)).collect();
        assert_eq!(capped, vec![(FileKind::Episodes, cap as u64 + 7)], "budget {budget}");
    }
}
