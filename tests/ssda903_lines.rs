//! SSDA903: what a reject says about a line break inside a value (a quoted CSV field that runs
//! over two lines, or an XML value written over two lines), and which line of the file a reject
//! names, so that an analyst who opens the file at that line finds the row.
//!
//! Every line number below is counted by hand from the text written here (the header, or the
//! XML declaration, is line 1).

use lac_timescales::profile::Profile;
use lac_timescales::ssda903::{audit, AuditOptions, Collect, FileKind, Input, ReturnInput, Strategy};

const EP_HEADER: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";
const RV_HEADER: &str = "CHILD,DOB,REVIEW,REVIEW_CODE";

fn opts() -> AuditOptions {
    let mut o = AuditOptions::new(&Profile::builtin("england").unwrap());
    o.threads = 1;
    o
}

/// The rejects as (table, line, CHILD shown, reason), in the order the audit gives them.
fn rejects(c: &Collect) -> Vec<(FileKind, u64, String, String)> {
    c.rejects.iter().map(|r| (r.table, r.line, r.child.clone(), r.reason.clone())).collect()
}

fn csv_return<'a>(eps: &'a str, revs: &'a str, year: i32) -> ReturnInput<'a> {
    ReturnInput::Csv {
        episodes: Input::Text { name: format!("SSDA903_{year}_episodes.csv"), text: eps },
        reviews: Input::Text { name: format!("SSDA903_{year}_reviews.csv"), text: revs },
        year: None,
    }
}

/// A line break inside a quoted field is named as a line break, in every field whose value a
/// reject quotes (CHILD, DECOM, DEC, REVIEW), whichever line end the file uses; the reject's line
/// is the line the row starts on, and the lines after the row are counted on from the row's
/// last line.
#[test]
fn a_quoted_line_break_is_named_as_a_line_break_in_every_field() {
    for brk in ["\n", "\r\n", "\r"] {
        let eps = [
            EP_HEADER.to_string(),                                                           // line 1
            "A,01/05/2024,S,C2,N1,U1,PR1,,,,A1 1AA,B2 2BB,1".into(),                         // 2
            format!("\"B{brk}X\",01/05/2024,S,C2,N1,U1,PR1,,,,A1 1AA,B2 2BB,1"),             // 3-4
            format!("C,\"01/05/{brk}2024\",S,C2,N1,U1,PR1,,,,A1 1AA,B2 2BB,1"),              // 5-6
            format!("D,01/05/2024,S,C2,N1,U1,PR1,\"10/01/{brk}2025\",E11,,A1 1AA,B2 2BB,1"), // 7-8
            "E F,01/05/2024,S,C2,N1,U1,PR1,,,,A1 1AA,B2 2BB,1".into(),                       // 9
        ]
        .join(brk)
            + brk;
        // Other children after line 9 (no reviews, no rejects), so that a small budget partitions.
        let eps = eps
            + &(0..40).map(|k| format!("F{k},01/05/2024,S,C2,N1,U1,PR1,,,,A1 1AA,B2 2BB,1{brk}")).collect::<String>();
        let revs = [
            RV_HEADER.to_string(),                                 // line 1
            "A,01/01/2012,20/05/2024,PN1".into(),                  // 2
            format!("A,01/01/2012,\"21/05/{brk}2024\",PN1"),       // 3-4
            format!("\"G{brk}{brk}H\",01/01/2012,20/05/2024,PN1"), // 5-7
            "A\u{a0},01/01/2012,22/05/2024,PN1".into(),            // 8
        ]
        .join(brk)
            + brk;
        let mut c = Collect::default();
        let o = audit(vec![csv_return(&eps, &revs, 2025)], &opts(), &mut c).unwrap();
        assert!(o.totals.balanced());
        use FileKind::{Episodes as E, Reviews as R};
        let s = |x: &str| x.to_string();
        assert_eq!(
            rejects(&c),
            vec![
                // CHILD is checked as each row is read: the episodes table, then the reviews.
                (E, 3, s("B X"), s("CHILD \"B\\nX\" contains a line break")),
                (E, 9, s("E F"), s("CHILD \"E F\" contains a space")),
                (R, 5, s("G  H"), s("CHILD \"G\\n\\nH\" contains a line break")),
                (R, 8, s("A\u{a0}"), s("CHILD \"A\\u{a0}\" contains a non-breaking space")),
                // Then child by child: A's review, C's and D's episodes.
                (
                    R,
                    3,
                    s("A"),
                    s("bad date in REVIEW: \"21/05/\\n2024\" contains a line break (expected DD/MM/YYYY or YYYY-MM-DD)")
                ),
                (
                    E,
                    5,
                    s("C"),
                    s("bad date in DECOM: \"01/05/\\n2024\" contains a line break (expected DD/MM/YYYY or YYYY-MM-DD)")
                ),
                (
                    E,
                    7,
                    s("D"),
                    s("bad date in DEC: \"10/01/\\n2025\" contains a line break (expected DD/MM/YYYY or YYYY-MM-DD)")
                ),
            ],
            "line break {brk:?}"
        );
        // The same rejects when the rows go through partition files (a budget of 1 KiB).
        let dir = std::env::temp_dir().join(format!("lact-903-lines-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut small = opts();
        small.memory_budget = 1024;
        small.tmp_dir = dir.clone();
        let mut p = Collect::default();
        let op = audit(vec![csv_return(&eps, &revs, 2025)], &small, &mut p).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(matches!(op.strategy, Strategy::Partitioned(_)), "{:?}", op.strategy);
        let sorted = |c: &Collect| {
            let mut v = rejects(c);
            v.sort();
            v
        };
        assert_eq!(sorted(&p), sorted(&c), "partitioned, line break {brk:?}");
        // A: looked after from Wed 1 May 2024 (RNE S); review 1 due within 20 working days
        // (2-3, 7-10, 13-17, 20-24, 28-31 May; 6 and 27 May are bank holidays): Fri 31 May.
        // Held Mon 20 May: on time.
        assert_eq!(c.rows.len(), 1, "{:?}", c.rows);
        assert_eq!((&*c.rows[0].child, c.rows[0].on_time), ("A", Some(true)));
    }
}

/// The copy of an episode in a later return that differs only by a line break where the earlier
/// copy had a space is a conflict, named as a line break.
#[test]
fn a_line_break_against_a_space_in_two_copies_of_an_episode_is_named() {
    let e24 = format!("{EP_HEADER}\nA,01/05/2023,S,C2,N1,U1,PR1,,,,A1 1AA,\"B2\n2BB\",1\n");
    let r24 = format!("{RV_HEADER}\nA,01/01/2012,20/05/2023,PN1\n");
    let e25 = format!("{EP_HEADER}\nA,01/05/2023,S,C2,N1,U1,PR1,,,,A1 1AA,B2 2BB,1\n");
    let r25 = format!("{RV_HEADER}\nA,01/01/2012,10/05/2024,PN1\n");
    let mut c = Collect::default();
    let o = audit(vec![csv_return(&e24, &r24, 2024), csv_return(&e25, &r25, 2025)], &opts(), &mut c).unwrap();
    assert!(o.totals.balanced());
    assert!(c.rejects.is_empty(), "{:?}", c.rejects);
    assert_eq!(c.superseded.len(), 1);
    let s = &c.superseded[0];
    assert_eq!((s.line, s.kept_line), (2, 2));
    assert_eq!(s.conflict, "PL_POST: \"B2\\n2BB\" (2023-24) vs \"B2 2BB\" (2024-25)");
}
