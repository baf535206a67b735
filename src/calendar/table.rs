//! The calendar as a table, one row per date (see [`TableRow`]).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::Calendar;
use crate::csv::csv_row;
use crate::error::{Error, Result};

/// One date of a calendar table ([`Calendar::table`]), for SQL, spreadsheets and Power BI.
///
/// Columns: `date`, `working_day` (1 or 0), `working_day_number`, `holiday` (name, or empty) and
/// `provisional` (1 for a date after the last one whose holidays are confirmed).
///
/// `working_day_number` is [`Calendar::working_day_number`]: the running count of working days
/// since 1 January 1971, so tables of different year ranges agree. A non-working day carries the
/// number of the last working day before it. Hence, for any date `d` (working or not):
/// - the `n`-th working day **after** `d` is the row with `working_day = 1` and
///   `working_day_number = number(d) + n`;
/// - the `n`-th working day **before** `d` is the row with `working_day = 1` and
///   `working_day_number = number(d) - n + 1 - working_day(d)` (a non-working `d` already carries
///   the number of the working day before it);
/// - the working days `x` with `a < x <= b` number `number(b) - number(a)`.
///
/// These are exactly [`Calendar::add_working_days`], [`Calendar::sub_working_days`] and
/// [`Calendar::working_days_between`]. A join that runs past the table's last year finds no row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableRow {
    /// The date.
    pub date: NaiveDate,
    /// Whether it is a working day.
    pub working_day: bool,
    /// [`Calendar::working_day_number`] of the date.
    pub working_day_number: u32,
    /// The name of the holiday (bank holiday, or a caller's closure day) on this date, weekend
    /// ones included; `None` on other days.
    pub holiday: Option<String>,
    /// True for a date after the calendar's `verified_through` date: its holidays are projected
    /// by rule, so whether it is a working day may still change.
    pub provisional: bool,
}

/// The column names of a calendar table, in order.
pub const TABLE_COLUMNS: [&str; 5] = ["date", "working_day", "working_day_number", "holiday", "provisional"];

/// Rows in one SQL `INSERT` statement (SQL Server accepts at most 1,000 in a `VALUES` list).
const SQL_ROWS_PER_INSERT: usize = 1000;

impl Calendar {
    /// One row per date from 1 January `first_year` to 31 December `last_year` (see [`TableRow`] for
    /// the columns and the joins they allow).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `last_year < first_year`; [`Error::DateOutOfRange`] when a
    /// year is outside 1971..=2199.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// let rows = cal.table(2022, 2022)?;
    /// assert_eq!(rows.len(), 365);
    /// let funeral = &rows[261]; // 19 September is day 262 of 2022
    /// assert_eq!(funeral.date, NaiveDate::from_ymd_opt(2022, 9, 19).unwrap());
    /// assert!(!funeral.working_day);
    /// assert_eq!(funeral.holiday.as_deref(), Some("State Funeral of Queen Elizabeth II"));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn table(&self, first_year: i32, last_year: i32) -> Result<Vec<TableRow>> {
        if last_year < first_year {
            return Err(Error::input(
                "last_year",
                last_year.to_string(),
                format!("must not be before first_year {first_year}"),
            ));
        }
        let year_date = |y: i32, m: u32, d: u32| {
            NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
                Error::input("year", y.to_string(), format!("outside the supported years {}", years_text()))
            })
        };
        let (first, last) = (year_date(first_year, 1, 1)?, year_date(last_year, 12, 31)?);
        let (i0, i1) = (self.index(first)?, self.index(last)?);
        let verified = self.inner.version.verified_through;
        let holidays = &self.inner.holidays;
        let mut h = holidays.partition_point(|x| x.date < first);
        let mut rows = Vec::with_capacity(i1 - i0 + 1);
        for (i, date) in (i0..=i1).zip(first.iter_days()) {
            let p = self.inner.packed[i];
            let holiday = match holidays.get(h) {
                Some(x) if x.date == date => {
                    h += 1;
                    Some(x.name.clone())
                }
                _ => None,
            };
            rows.push(TableRow {
                date,
                working_day: p & 1 == 1,
                working_day_number: p >> 1,
                holiday,
                provisional: date > verified,
            });
        }
        Ok(rows)
    }
}

/// A calendar table as CSV (RFC 4180: header row, CRLF line ends): `working_day` and
/// `provisional` as `1`/`0`, `holiday` empty on ordinary days.
///
/// # Example
/// ```
/// use lac_timescales::calendar::{table_csv, Calendar};
/// let rows = Calendar::england_and_wales().table(2026, 2026)?;
/// let csv = table_csv(&rows);
/// assert!(csv.starts_with("date,working_day,working_day_number,holiday,provisional\r\n"));
/// assert!(csv.contains("\r\n2026-01-01,0,13910,New Year's Day,0\r\n"));
/// # Ok::<(), lac_timescales::Error>(())
/// ```
pub fn table_csv(rows: &[TableRow]) -> String {
    let mut out = String::with_capacity(32 * (rows.len() + 1));
    csv_row(&mut out, TABLE_COLUMNS);
    for r in rows {
        csv_row(
            &mut out,
            [
                r.date.to_string().as_str(),
                flag(r.working_day),
                r.working_day_number.to_string().as_str(),
                r.holiday.as_deref().unwrap_or(""),
                flag(r.provisional),
            ],
        );
    }
    out
}

fn flag(b: bool) -> &'static str {
    if b {
        "1"
    } else {
        "0"
    }
}

/// A calendar table as an SQL script: `CREATE TABLE`, `INSERT` statements of at most 1,000 rows
/// (SQL Server's limit), and an index on `(working_day_number, working_day)` for the joins.
/// Dates are `'YYYY-MM-DD'` literals, which SQL Server, PostgreSQL, MySQL and SQLite all read
/// into a `DATE` column.
///
/// # Errors
/// [`Error::InvalidInput`] when `table_name` is not a plain identifier (a letter or `_`, then
/// letters, digits or `_`, at most 64 characters).
///
/// # Example
/// ```
/// use lac_timescales::calendar::{table_sql, Calendar};
/// let rows = Calendar::england_and_wales().table(2026, 2026)?;
/// let sql = table_sql(&rows, "lac_calendar")?;
/// assert!(sql.contains("CREATE TABLE lac_calendar ("));
/// assert!(sql.contains("('2026-01-01', 0, 13910, 'New Year''s Day', 0)"));
/// assert!(table_sql(&rows, "x; DROP TABLE y").is_err());
/// # Ok::<(), lac_timescales::Error>(())
/// ```
pub fn table_sql(rows: &[TableRow], table_name: &str) -> Result<String> {
    let ok = table_name.len() <= 64
        && table_name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && table_name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        return Err(Error::input(
            "table_name",
            table_name,
            "expected a plain SQL identifier: a letter or _, then letters, digits or _ (at most 64)",
        ));
    }
    let mut out = String::with_capacity(48 * (rows.len() + 1));
    let span = match (rows.first(), rows.last()) {
        (Some(a), Some(b)) => format!("{} to {}", a.date, b.date),
        _ => "no dates".to_string(),
    };
    out.push_str(&format!(
        "-- England and Wales working-day calendar, {span}, from lac-timescales {}.\n\
         -- working_day_number counts working days since 1971-01-01; a non-working day carries the\n\
         -- number of the working day before it. n working days after d: the row with working_day = 1\n\
         -- and working_day_number = d.working_day_number + n.\n\
         CREATE TABLE {table_name} (\n  date DATE NOT NULL PRIMARY KEY,\n  working_day SMALLINT NOT NULL,\n  \
         working_day_number INTEGER NOT NULL,\n  holiday VARCHAR(100),\n  provisional SMALLINT NOT NULL\n);\n",
        env!("CARGO_PKG_VERSION")
    ));
    for chunk in rows.chunks(SQL_ROWS_PER_INSERT) {
        out.push_str(&format!("INSERT INTO {table_name} ({}) VALUES\n", TABLE_COLUMNS.join(", ")));
        for (k, r) in chunk.iter().enumerate() {
            let name = r.holiday.as_deref().unwrap_or("").replace('\'', "''");
            out.push_str(&format!(
                "('{}', {}, {}, '{}', {}){}\n",
                r.date,
                flag(r.working_day),
                r.working_day_number,
                name,
                flag(r.provisional),
                if k + 1 == chunk.len() { ";" } else { "," }
            ));
        }
    }
    out.push_str(&format!("CREATE INDEX {table_name}_number ON {table_name} (working_day_number, working_day);\n"));
    Ok(out)
}

/// The supported years, for messages.
fn years_text() -> String {
    format!("{}..={}", super::FIRST_DATE.year(), super::LAST_DATE.year())
}
