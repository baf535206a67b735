//! CSV and iCalendar exports: RFC 4180 quoting, RFC 5545 folding and escaping checked by hand
//! and by parsing the file back with the `icalendar` crate, and stable UIDs.

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::export::{
    csv_field, ics_line, ics_text, obligation_uids, schedule_csv, schedule_ics, IcsOptions, SCHEDULE_CSV_HEADER,
};
use lac_timescales::model::{CaseHistory, Child, Duty, Event, Jurisdiction};
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, Schedule, ScheduleOptions};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn case(events: &str) -> CaseHistory {
    let v: Vec<serde_json::Value> = serde_json::from_str(events).unwrap();
    let evs = v.iter().enumerate().map(|(i, e)| Event::from_json(i, e)).collect::<Result<Vec<_>, _>>().unwrap();
    CaseHistory::new(Jurisdiction::England, Child::default(), evs).unwrap()
}

fn sched(c: &CaseHistory, profile: &Profile, as_at: &str) -> Schedule {
    let opts = ScheduleOptions { as_at: Some(d(as_at)), horizon_months: Some(0), local_calendar: None };
    schedule(c, profile, &Calendar::england_and_wales(), &opts).unwrap()
}

/// A local profile whose invitation rule has commas, quotes, a semicolon, a backslash and a
/// non-ASCII dash in its action and citation.
const LOCAL: &str = r#"
id = "quoting"
name = "Quoting test"
kind = "local"
extends = "england"
version = "1"
source = "test"

[[rule]]
duty = "send_consultation_documents"
role = "review_administrator"
anchor = "review_date"
direction = "before"
period = "10 working days"
action = 'Send invitations; to the child, parents and "carers" \ IRO — by post and e-mail, with the consultation papers and the last review record'
citation = { instrument = 'Council "Reviews" procedure, 2024 edition', provision = "para 4.2", status = "U" }
"#;

const TWO_EVENTS: &str =
    r#"[{"event":"became_looked_after","date":"2026-01-01"},{"event":"review_held","date":"2026-01-23"}]"#;

/// A minimal RFC 4180 reader for the tests: records of fields.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("bare LF ends a record"),
            (false, c) => field.push(c),
        }
    }
    assert!(row.is_empty() && field.is_empty(), "the last record must end with CRLF");
    rows
}

#[test]
fn csv_field_quoting() {
    let q = |s: &str| {
        let mut out = String::new();
        csv_field(&mut out, s);
        out
    };
    assert_eq!(q("plain text"), "plain text");
    assert_eq!(q("reg 33(1)"), "reg 33(1)");
    assert_eq!(q("a,b"), "\"a,b\"");
    assert_eq!(q(r#"say "hi""#), r#""say ""hi""""#);
    assert_eq!(q("two\nlines"), "\"two\nlines\"");
    assert_eq!(q("cr\rhere"), "\"cr\rhere\"");
    assert_eq!(q(""), "");
}

#[test]
fn schedule_csv_rows_and_quoting() {
    let c = case(TWO_EVENTS);
    let s = sched(&c, &Profile::builtin("england").unwrap(), "2026-01-23");
    let csv = schedule_csv(&s);
    let rows = read_csv(&csv);
    assert_eq!(rows[0], SCHEDULE_CSV_HEADER.to_vec());
    assert_eq!(rows.len(), s.obligations.len() + 1);
    assert!(rows.iter().all(|r| r.len() == SCHEDULE_CSV_HEADER.len()));
    // Review 1: due Thu 29 Jan 2026, held Fri 23 Jan; the instrument's commas force quotes.
    let i = s.obligations.iter().position(|o| o.duty == Duty::HoldReview && o.review_number == Some(1)).unwrap();
    let want = format!(
        "{i},hold_review,local_authority,Hold the first looked-after review,looked_after,1,,2026-01-29,2026-01-29,\
         statutory,\"Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959)\",reg 33(1),V,\
         2026-01-23,,false,false,false,0 1\r\n"
    );
    assert!(csv.contains(&want), "{csv}");

    // A citation with a comma and quotes, from a local profile.
    let p = Profile::from_toml("quoting.toml", LOCAL).unwrap();
    let s = sched(&c, &p, "2026-01-23");
    let csv = schedule_csv(&s);
    assert!(csv.contains(r#","Council ""Reviews"" procedure, 2024 edition",para 4.2,U,"#), "{csv}");
    assert!(csv.contains(r#","Send invitations; to the child, parents and ""carers"" \ IRO — by post"#));
    let rows = read_csv(&csv);
    let inv = rows.iter().find(|r| r[1] == "send_consultation_documents").unwrap();
    assert_eq!(inv[10], r#"Council "Reviews" procedure, 2024 edition"#);
    assert_eq!(inv[9], "local:quoting");
}

#[test]
fn ics_escaping() {
    assert_eq!(ics_text(r"a\b;c,d"), r"a\\b\;c\,d");
    assert_eq!(ics_text("one\ntwo\r\nthree\rfour"), r"one\ntwo\nthree\nfour");
    assert_eq!(ics_text("tab\there\u{7}bell"), "tab\there bell");
    assert_eq!(ics_text("Meet — Café"), "Meet — Café");
}

#[test]
fn ics_folding_at_75_octets() {
    // 80 ASCII characters: 75 on the first line, then a space and the last 5.
    let mut out = String::new();
    ics_line(&mut out, &"A".repeat(80));
    assert_eq!(out, format!("{}\r\n {}\r\n", "A".repeat(75), "A".repeat(5)));
    // Exactly 75: not folded.
    let mut out = String::new();
    ics_line(&mut out, &"B".repeat(75));
    assert_eq!(out, format!("{}\r\n", "B".repeat(75)));
    // A 3-octet dash at octets 74-76 moves whole to the next line: 73 octets, then " —YYY".
    let mut out = String::new();
    ics_line(&mut out, &format!("{}—YYY", "X".repeat(73)));
    assert_eq!(out, format!("{}\r\n —YYY\r\n", "X".repeat(73)));
    // Continuation lines hold 74 octets after their space: 75 + 74 + 1 = 150.
    let mut out = String::new();
    ics_line(&mut out, &"C".repeat(150));
    assert_eq!(out, format!("{}\r\n {}\r\n {}\r\n", "C".repeat(75), "C".repeat(74), "C"));
}

fn todos(ics: &str) -> Vec<icalendar::parser::Component<'static>> {
    let unfolded = icalendar::parser::unfold(ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("parses").components;
    let owned: Vec<_> = cal
        .into_iter()
        .map(|c| icalendar::parser::Component {
            name: c.name.into_owned(),
            properties: c
                .properties
                .into_iter()
                .map(|p| icalendar::parser::Property {
                    name: p.name.into_owned(),
                    val: p.val.into_owned(),
                    params: p
                        .params
                        .into_iter()
                        .map(|x| icalendar::parser::Parameter {
                            key: x.key.into_owned(),
                            val: x.val.map(|v| v.into_owned()),
                        })
                        .collect(),
                })
                .collect(),
            components: Vec::new(),
        })
        .collect();
    owned
}

fn prop(c: &icalendar::parser::Component<'_>, name: &str) -> String {
    c.find_prop(name).unwrap_or_else(|| panic!("no {name}")).val.clone().unescape_text().as_str().to_string()
}

#[test]
fn ics_parses_back_with_every_obligation() {
    let c = case(TWO_EVENTS);
    let p = Profile::from_toml("quoting.toml", LOCAL).unwrap();
    let s = sched(&c, &p, "2026-01-23");
    let ics = schedule_ics(&s, &c, &IcsOptions { case_id: "child 42".into(), dtstamp: None });
    // CRLF everywhere, no line over 75 octets.
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'));
    assert!(ics.split("\r\n").all(|l| l.len() <= 75), "{ics}");
    assert!(ics.split("\r\n").any(|l| l.starts_with(' ')), "the long descriptions are folded");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//lac-timescales//lac-timescales "));

    let items = todos(&ics);
    assert_eq!(items.len(), s.obligations.len());
    for (item, o) in items.iter().zip(&s.obligations) {
        assert_eq!(item.name.as_str(), "VTODO");
        assert_eq!(prop(item, "SUMMARY"), &*o.action);
        assert_eq!(prop(item, "DTSTAMP"), "20260123T000000Z");
        let due = item.find_prop("DUE").unwrap();
        assert_eq!(due.params.len(), 1);
        assert_eq!(due.params[0].key.as_str(), "VALUE");
        assert_eq!(due.params[0].val.as_ref().map(|v| v.as_str()), Some("DATE"));
        assert_eq!(due.val.as_str(), o.latest_working_day.unwrap().format("%Y%m%d").to_string());
        let desc = prop(item, "DESCRIPTION");
        assert!(desc.starts_with(&format!("Who: {}\n", o.role.describe())), "{desc}");
        assert!(desc.contains(&format!("Authority: {}, {} [", o.citation.instrument, o.citation.provision)));
        assert_eq!(prop(item, "CATEGORIES"), o.duty.as_str());
    }
    // The hand-checked item: review 1, due and held.
    let r1 = s.obligations.iter().position(|o| o.duty == Duty::HoldReview && o.review_number == Some(1)).unwrap();
    let item = &items[r1];
    assert_eq!(item.find_prop("DUE").unwrap().val.as_str(), "20260129");
    assert_eq!(prop(item, "STATUS"), "COMPLETED");
    assert_eq!(
        prop(item, "DESCRIPTION"),
        "Who: Local authority\nReview: 1 (looked-after review)\nLegal deadline: Thu 29 Jan 2026\n\
         Authority: Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959), reg 33(1) [V]\n\
         Basis: statutory\nDone: Fri 23 Jan 2026"
    );
    // The escaped and folded local action reads back exactly, quotes, semicolon, backslash and all.
    let inv = s.obligations.iter().position(|o| o.duty == Duty::SendConsultationDocuments).unwrap();
    assert_eq!(
        prop(&items[inv], "SUMMARY"),
        r#"Send invitations; to the child, parents and "carers" \ IRO — by post and e-mail, with the consultation papers and the last review record"#
    );
    assert_eq!(prop(&items[inv], "STATUS"), "NEEDS-ACTION");
    assert!(ics.contains("SUMMARY:Send invitations\\; to the child\\, parents and \"carers\" \\\\ IRO"));
}

#[test]
fn ics_deadline_on_a_weekend_names_the_day_to_plan_for() {
    // Review 1 held Mon 2 Feb 2026; review 2 is due within 3 months: Sat 2 May, plan for Fri 1 May.
    let c =
        case(r#"[{"event":"became_looked_after","date":"2026-01-19"},{"event":"review_held","date":"2026-02-02"}]"#);
    let s = sched(&c, &Profile::builtin("england").unwrap(), "2026-02-02");
    let ics = schedule_ics(&s, &c, &IcsOptions { case_id: "x".into(), dtstamp: None });
    let i = s.obligations.iter().position(|o| o.duty == Duty::HoldReview && o.review_number == Some(2)).unwrap();
    let items = todos(&ics);
    assert_eq!(items[i].find_prop("DUE").unwrap().val.as_str(), "20260501");
    assert!(prop(&items[i], "DESCRIPTION")
        .contains("Legal deadline: Sat 2 May 2026 (not a working day; plan to act by Fri 1 May 2026)"));
    assert_eq!(prop(&items[i], "STATUS"), "NEEDS-ACTION");
    // An explicit DTSTAMP.
    let stamp = d("2026-03-04").and_hms_opt(5, 6, 7).unwrap();
    let ics = schedule_ics(&s, &c, &IcsOptions { case_id: "x".into(), dtstamp: Some(stamp) });
    assert!(ics.contains("\r\nDTSTAMP:20260304T050607Z\r\n"));
}

#[test]
fn uids_are_stable_and_unique() {
    let p = Profile::builtin("england").unwrap();
    let a = case(TWO_EVENTS);
    let sa = sched(&a, &p, "2026-01-23");
    let ua = obligation_uids(&sa, &a, "child 42");
    // Re-exporting gives the same UIDs; each is 32 hex digits at lac-timescales, all distinct.
    assert_eq!(ua, obligation_uids(&sa, &a, "child 42"));
    for u in &ua {
        let (hex, host) = u.split_once('@').unwrap();
        assert_eq!(host, "lac-timescales");
        assert_eq!(hex.len(), 32);
        assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!u.contains("child"), "the case id never appears");
    }
    let mut sorted = ua.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ua.len());
    // Another case id: every UID differs.
    let other = obligation_uids(&sa, &a, "child 43");
    assert!(ua.iter().all(|u| !other.contains(u)));

    // The same case with review 2 held on Mon 20 Apr and an early-review trigger added: review 2
    // and review 1's duties keep their UIDs though review 2 is now held and its dates moved.
    let b = case(
        r#"[{"event":"became_looked_after","date":"2026-01-01"},{"event":"review_held","date":"2026-01-23"},
            {"event":"review_held","date":"2026-04-20"},{"event":"significant_change","date":"2026-04-27"}]"#,
    );
    let sb = sched(&b, &p, "2026-04-27");
    let ub = obligation_uids(&sb, &b, "child 42");
    let uid_of = |s: &Schedule, u: &[String], duty: Duty, n: u32| {
        let i = s
            .obligations
            .iter()
            .position(|o| o.duty == duty && o.review_number == Some(n) && !o.early)
            .unwrap_or_else(|| panic!("{duty} {n}"));
        u[i].clone()
    };
    for (duty, n) in
        [(Duty::HoldReview, 1), (Duty::HoldReview, 2), (Duty::IssueDecisions, 1), (Duty::IssueDecisions, 2)]
    {
        assert_eq!(uid_of(&sa, &ua, duty, n), uid_of(&sb, &ub, duty, n), "{duty} {n}");
    }
    // The early review (review 3 of the clock, as is the regular review 3) has its own UID.
    let early = sb.obligations.iter().position(|o| o.early).unwrap();
    assert_eq!(sb.obligations[early].review_number, Some(3));
    assert_ne!(ub[early], uid_of(&sb, &ub, Duty::HoldReview, 3));
    let mut sorted = ub.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ub.len());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
        /// Any text: folded lines stay within 75 octets, unfold to the original, and TEXT escaping
        /// is undone by the icalendar crate's unescaper (control characters other than tab and
        /// line breaks become spaces).
        #[test]
        fn fold_and_escape_round_trip(text in "\\PC{0,300}", raw in any::<String>()) {
            let mut out = String::new();
            let line = format!("DESCRIPTION:{}", ics_text(&text));
            ics_line(&mut out, &line);
            prop_assert!(out.ends_with("\r\n"));
            prop_assert!(out.split("\r\n").all(|l| l.len() <= 75));
            prop_assert_eq!(icalendar::parser::unfold(&out), format!("{line}\r\n"));
            let value = icalendar::parser::ParseString::from(ics_text(&text)).unescape_text();
            prop_assert_eq!(value.as_str(), text.as_str());
            // Arbitrary strings (controls included) never panic and never leave a bare CR or LF.
            let escaped = ics_text(&raw);
            prop_assert!(!escaped.contains('\n') && !escaped.contains('\r'));
            let mut f = String::new();
            csv_field(&mut f, &raw);
            prop_assert_eq!(read_csv(&format!("{f}\r\n")), vec![vec![raw.clone()]]);
        }
    }
}
