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

/// An XML return written as a person (or a tool) writes one: a declaration, a comment over two
/// lines, a start tag over two lines, a `CHILDID` with a line break in it. Lines are numbered
/// here from 1.
const XML_LINES: [&str; 24] = [
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",          // 1
    "<EXPSSDA903>",                                        // 2
    "<!-- a comment",                                      // 3
    "     over two lines -->",                             // 4
    "<CHILD>",                                             // 5
    "  <HEADER><CHILDID>A</CHILDID><DOB>01/01/2012</DOB>", // 6
    "    <AREVIEW><REVIEW>20/05/2024</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>", // 7
    "    <AREVIEW>",                                       // 8
    "      <REVIEW>notadate</REVIEW>",                     // 9
    "    </AREVIEW>",                                      // 10
    "  </HEADER>",                                         // 11
    "  <EPISODE><DECOM>01/05/2024</DECOM><RNE>S</RNE><LS>C2</LS><PL>U1</PL></EPISODE>", // 12
    "  <EPISODE",                                          // 13
    "  ><DECOM>01/05/2024</DECOM><RNE>P</RNE><LS>C2</LS><PL>U1</PL></EPISODE>", // 14
    "</CHILD>",                                            // 15
    "<CHILD>",                                             // 16
    "  <HEADER><CHILDID>B",                                // 17
    "X</CHILDID></HEADER>",                                // 18
    "  <EPISODE><DECOM>01/05/2024</DECOM><RNE>S</RNE><LS>C2</LS><PL>U1</PL></EPISODE>", // 19
    "</CHILD>",                                            // 20
    "<CHILD><HEADER><CHILDID>C</CHILDID></HEADER>",        // 21
    "  <EPISODE><DECOM>31/02/2024</DECOM><RNE>S</RNE><LS>C2</LS><PL>U1</PL></EPISODE>", // 22
    "</CHILD>",                                            // 23
    "</EXPSSDA903>",                                       // 24
];

fn xml_audit(text: &str) -> lac_timescales::Result<(Collect, lac_timescales::ssda903::Outcome)> {
    let mut c = Collect::default();
    let r = ReturnInput::Xml { file: Input::Text { name: "SSDA903_2025.xml".into(), text }, year: None };
    let o = audit(vec![r], &opts(), &mut c)?;
    assert!(o.totals.balanced());
    Ok((c, o))
}

fn sorted_rejects(c: &Collect) -> Vec<(FileKind, u64, String, String)> {
    let mut v = rejects(c);
    v.sort();
    v
}

/// An XML reject's line is the line of the file where its `EPISODE` (or `AREVIEW`) element
/// starts, whichever line end the file uses (LF, CRLF or CR); and a `CHILDID` with a line break
/// is named as one.
#[test]
fn an_xml_reject_names_the_line_its_element_starts_on() {
    use FileKind::{Episodes as E, Reviews as R};
    let s = |x: &str| x.to_string();
    let want = vec![
        (E, 13, s("A"), s("duplicate: same CHILD and DECOM as line 12")),
        (E, 19, s("B X"), s("CHILD \"B\\nX\" contains a line break")),
        (E, 22, s("C"), s("bad date in DECOM: \"31/02/2024\" (expected DD/MM/YYYY or YYYY-MM-DD)")),
        (R, 8, s("A"), s("bad date in REVIEW: \"notadate\" (expected DD/MM/YYYY or YYYY-MM-DD)")),
    ];
    for end in ["\n", "\r\n", "\r"] {
        let (c, _) = xml_audit(&(XML_LINES.join(end) + end)).unwrap();
        assert_eq!(sorted_rejects(&c), want, "line end {end:?}");
        // A (S on Wed 1 May 2024) reviewed Mon 20 May 2024, due by Fri 31 May: on time.
        assert_eq!(c.rows.len(), 1, "{:?}", c.rows);
        assert_eq!((&*c.rows[0].child, c.rows[0].on_time), ("A", Some(true)));
    }
    // Written on one line (no line breaks at all): every element is on line 1 (and B's CHILDID
    // now holds a space).
    let (c, _) = xml_audit(&XML_LINES.join(" ")).unwrap();
    let one: Vec<_> = vec![
        (E, 1, s("A"), s("duplicate: same CHILD and DECOM as line 1")),
        (E, 1, s("B X"), s("CHILD \"B X\" contains a space")),
        (E, 1, s("C"), s("bad date in DECOM: \"31/02/2024\" (expected DD/MM/YYYY or YYYY-MM-DD)")),
        (R, 1, s("A"), s("bad date in REVIEW: \"notadate\" (expected DD/MM/YYYY or YYYY-MM-DD)")),
    ];
    assert_eq!(sorted_rejects(&c), one);
}

/// An XML file that cannot be read names the line (and byte) where reading stopped.
#[test]
fn an_unreadable_xml_file_names_its_line() {
    // A misspelt end tag on line 9: the reader stops at its end, on line 9 (byte 276: lines 1-8
    // are 39, 13, 15, 24, 8, 52, 81 and 14 bytes, each with its LF, so line 9 starts at byte 246,
    // and "      <REVIEW>notadate</REVIW>" is 30 bytes).
    let mut bad: Vec<String> = XML_LINES.iter().map(|l| l.to_string()).collect();
    bad[8] = "      <REVIEW>notadate</REVIW>".into();
    let e = xml_audit(&(bad.join("\n") + "\n")).unwrap_err().to_string();
    assert!(e.starts_with("SSDA903_2025.xml: line 9 (byte 276): "), "{e}");
    // Cut after line 7 (its LF read; lines 1-7 are 232 bytes): the file ends inside a CHILD
    // element, on line 8.
    let cut = XML_LINES[..7].join("\n") + "\n";
    let e = xml_audit(&cut).unwrap_err().to_string();
    assert!(e.starts_with("SSDA903_2025.xml: line 8 (byte 232): the file ends inside a CHILD element"), "{e}");
}

/// An XML return saved as UTF-16 (as some Windows tools save "Unicode" text) is refused as
/// UTF-16, saying what to do; not as "not an SSDA903 XML return".
#[test]
fn a_utf16_xml_return_is_named_as_utf16() {
    let text = XML_LINES.join("\n") + "\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let bom = |b: [u8; 2], t: &[u8]| -> Vec<u8> { b.iter().chain(t).copied().collect() };
    let cases = [
        (bom([0xFF, 0xFE], &le), "UTF-16 (little-endian, with a byte order mark)"),
        (bom([0xFE, 0xFF], &be), "UTF-16 (big-endian, with a byte order mark)"),
        (le, "UTF-16 (little-endian)"),
        (be, "UTF-16 (big-endian)"),
    ];
    for (bytes, what) in cases {
        let r = ReturnInput::Xml {
            file: Input::Reader { name: "SSDA903_2025.xml".into(), reader: Box::new(std::io::Cursor::new(bytes)) },
            year: None,
        };
        let e = audit(vec![r], &opts(), &mut Collect::default()).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "SSDA903_2025.xml: line 1 (byte 0): the file is {what}; an SSDA903 XML return is read as UTF-8: \
                 save it as UTF-8 and audit it again"
            )
        );
    }
}
