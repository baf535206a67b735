//! Bank holidays generated from the rules, and the built-in data file of one-off changes.

use chrono::{Datelike, NaiveDate, Weekday};

use super::{Holiday, HolidayKind};
use crate::error::{Error, Result};

const SCHEDULE_1: &str = "Banking and Financial Dealings Act 1971, Schedule 1";
const COMMON_LAW: &str = "Common law holiday in England and Wales";
const PROCLAMATION: &str = "Annual royal proclamation under s.1(3) Banking and Financial Dealings Act 1971";

/// First year whose New Year's Day is a bank holiday (by proclamation).
const NEW_YEAR_FROM: i32 = 1974;
/// First year with an early May bank holiday (by proclamation).
const EARLY_MAY_FROM: i32 = 1978;

/// Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
pub(crate) fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

pub(crate) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Only called with valid calendar dates built by the rules below.
    NaiveDate::from_ymd_opt(y, m, d).expect("rule-generated dates are valid")
}

fn first_monday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 1).expect("month has a Monday")
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 5)
        .or_else(|| NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 4))
        .expect("month has four Mondays")
}

fn holiday(date: NaiveDate, name: &str, kind: HolidayKind, source: &str) -> Holiday {
    Holiday { date, name: name.to_string(), kind, provisional: false, disputed: false, source: source.to_string() }
}

/// The holidays the rules alone give for `year`, weekend-falling ones included.
pub(crate) fn rule_holidays(year: i32) -> Vec<Holiday> {
    use HolidayKind::*;
    let mut out = Vec::with_capacity(10);
    if year >= NEW_YEAR_FROM {
        let jan1 = ymd(year, 1, 1);
        match jan1.weekday() {
            Weekday::Sat => {
                out.push(holiday(ymd(year, 1, 3), "New Year's Day (substitute day)", Substitute, PROCLAMATION))
            }
            Weekday::Sun => {
                out.push(holiday(ymd(year, 1, 2), "New Year's Day (substitute day)", Substitute, PROCLAMATION))
            }
            _ => out.push(holiday(jan1, "New Year's Day", Proclamation, PROCLAMATION)),
        }
    }
    let easter = easter_sunday(year);
    out.push(holiday(easter - chrono::Days::new(2), "Good Friday", CommonLaw, COMMON_LAW));
    out.push(holiday(easter + chrono::Days::new(1), "Easter Monday", Schedule1, SCHEDULE_1));
    if year >= EARLY_MAY_FROM {
        out.push(holiday(first_monday(year, 5), "Early May bank holiday", Proclamation, PROCLAMATION));
    }
    out.push(holiday(last_monday(year, 5), "Spring bank holiday", Schedule1, SCHEDULE_1));
    out.push(holiday(last_monday(year, 8), "Summer bank holiday", Schedule1, SCHEDULE_1));

    // Christmas. Schedule 1 gives 26 Dec unless a Sunday, and 27 Dec when 25 or 26 Dec is a
    // Sunday; the proclamation adds the remaining substitute day when 25 Dec is a Saturday
    // (Tue 28) or 26 Dec is a Saturday (Mon 28).
    let christmas = ymd(year, 12, 25);
    out.push(holiday(christmas, "Christmas Day", CommonLaw, COMMON_LAW));
    match christmas.weekday() {
        Weekday::Fri => {
            out.push(holiday(ymd(year, 12, 26), "Boxing Day", Schedule1, SCHEDULE_1));
            out.push(holiday(ymd(year, 12, 28), "Boxing Day (substitute day)", Substitute, PROCLAMATION));
        }
        Weekday::Sat => {
            // GOV.UK names 27 Dec for Christmas Day and 28 Dec for Boxing Day.
            out.push(holiday(
                ymd(year, 12, 27),
                "Christmas Day (substitute day)",
                Substitute,
                "Banking and Financial Dealings Act 1971, Schedule 1 (27 December when 26 December is a Sunday)",
            ));
            out.push(holiday(ymd(year, 12, 28), "Boxing Day (substitute day)", Substitute, PROCLAMATION));
        }
        Weekday::Sun => {
            out.push(holiday(ymd(year, 12, 26), "Boxing Day", Schedule1, SCHEDULE_1));
            out.push(holiday(
                ymd(year, 12, 27),
                "Christmas Day (substitute day)",
                Substitute,
                "Banking and Financial Dealings Act 1971, Schedule 1 (27 December when 25 December is a Sunday)",
            ));
        }
        _ => out.push(holiday(ymd(year, 12, 26), "Boxing Day", Schedule1, SCHEDULE_1)),
    }
    out
}

/// One row of the built-in data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DataRow {
    pub date: NaiveDate,
    pub kind: RowKind,
    pub name: String,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    OneOff,
    Removed,
    Disputed,
    Announced,
}

/// The parsed built-in data file (its version borrowed from the text).
#[derive(Debug, Clone)]
pub(crate) struct DataFile<'t> {
    pub version: &'t str,
    pub verified_through: NaiveDate,
    pub checked: NaiveDate,
    pub rows: Vec<DataRow>,
}

pub(crate) const BUILTIN_NAME: &str = "data/bank-holidays/england-and-wales.tsv";
pub(crate) const BUILTIN: &str = include_str!("../../data/bank-holidays/england-and-wales.tsv");

/// Parses the data file format described at the top of the built-in file.
pub(crate) fn parse_data_file<'t>(name: &str, text: &'t str) -> Result<DataFile<'t>> {
    let mut version = None;
    let mut verified_through = None;
    let mut checked = None;
    let mut rows = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let loc = || format!("line {line_no}");
        let line = raw.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if let Some(key) = cols[0].strip_prefix('@') {
            let value = cols.get(1).copied().unwrap_or("").trim();
            match key {
                "version" => version = Some(value),
                "verified_through" => verified_through = Some(parse_date(name, &loc(), value)?),
                "checked" => checked = Some(parse_date(name, &loc(), value)?),
                other => return Err(Error::data(name, loc(), format!("unknown metadata key {other:?}"))),
            }
            continue;
        }
        if cols.len() != 4 {
            return Err(Error::data(
                name,
                loc(),
                format!("expected 4 tab-separated columns (date, kind, name, source), found {}", cols.len()),
            ));
        }
        let date = parse_date(name, &loc(), cols[0].trim())?;
        let kind = match cols[1].trim() {
            "one_off" => RowKind::OneOff,
            "removed" => RowKind::Removed,
            "disputed" => RowKind::Disputed,
            "announced" => RowKind::Announced,
            other => {
                return Err(Error::data(
                    name,
                    loc(),
                    format!("unknown kind {other:?} (expected one_off, removed, disputed or announced)"),
                ))
            }
        };
        let (nm, src) = (cols[2].trim(), cols[3].trim());
        if nm.is_empty() || src.is_empty() {
            return Err(Error::data(name, loc(), "name and source must not be empty"));
        }
        rows.push(DataRow { date, kind, name: nm.to_string(), source: src.to_string() });
    }
    let missing = |k: &str| Error::data(name, "metadata", format!("missing @{k} line"));
    Ok(DataFile {
        version: version.ok_or_else(|| missing("version"))?,
        verified_through: verified_through.ok_or_else(|| missing("verified_through"))?,
        checked: checked.ok_or_else(|| missing("checked"))?,
        rows,
    })
}

pub(crate) fn parse_date(source: &str, location: &str, value: &str) -> Result<NaiveDate> {
    super::strict_date(value).map_err(|reason| Error::data(source, location, format!("bad date {value:?}: {reason}")))
}
