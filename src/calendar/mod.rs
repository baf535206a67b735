//! The England and Wales working-day calendar.
//!
//! A **working day** (CPPCR 2010 reg 2(1)) is any day that is not a Saturday or Sunday, Christmas
//! Day, Good Friday, or a bank holiday in England and Wales under the Banking and Financial
//! Dealings Act 1971. Christmas Eve and New Year's Eve are working days.
//!
//! [`Calendar::england_and_wales`] covers 1971-01-01 to 2199-12-31 ([`FIRST_DATE`],
//! [`LAST_DATE`]). Holidays come from the rules of the 1971 Act and the annual proclamations,
//! generated in code, plus a compiled-in data file (`data/bank-holidays/england-and-wales.tsv`) of
//! every one-off change. Years after the last announced year are projected by rule and marked
//! provisional. All arithmetic is O(1): two table look-ups, no day-by-day loop.
//!
//! # Example
//! ```
//! use chrono::NaiveDate;
//! use lac_timescales::calendar::Calendar;
//!
//! let cal = Calendar::england_and_wales();
//! let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! // 20 working days after Friday 9 September 2022 skips the State Funeral on Monday 19 September.
//! assert_eq!(cal.add_working_days(d(2022, 9, 9), 20)?, d(2022, 10, 10));
//! assert_eq!(cal.bank_holiday(d(2022, 9, 19))?.unwrap().name, "State Funeral of Queen Elizabeth II");
//! # Ok::<(), lac_timescales::Error>(())
//! ```

mod govuk;
pub(crate) mod rules;
mod table;

pub use table::{table_csv, table_sql, TableRow, TABLE_COLUMNS};

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A date written exactly `YYYY-MM-DD` (ten ASCII bytes), as chrono reads it with `%Y-%m-%d`;
/// `None` for any other text (left to chrono, for its error) and for a day that does not exist.
pub(crate) fn plain_date(text: &str) -> Option<NaiveDate> {
    let b: &[u8; 10] = text.as_bytes().try_into().ok()?;
    let digit = |i: usize| b[i].is_ascii_digit().then(|| u32::from(b[i] - b'0'));
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digit(0)? * 1000 + digit(1)? * 100 + digit(2)? * 10 + digit(3)?;
    let month = digit(5)? * 10 + digit(6)?;
    let day = digit(8)? * 10 + digit(9)?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// A date as a request must write it: exactly `YYYY-MM-DD` (ten ASCII bytes, no sign, no
/// spaces, two-digit month and day), a day that exists. The error says which of the two failed.
pub(crate) fn strict_date(text: &str) -> std::result::Result<NaiveDate, String> {
    if let Some(d) = plain_date(text) {
        return Ok(d);
    }
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    Err(if shape {
        "no such day (expected a real date YYYY-MM-DD)".to_string()
    } else {
        "not a date written YYYY-MM-DD (four-digit year, two-digit month and day, nothing else)".to_string()
    })
}

/// First date the calendar covers: 1 January 1971 (the Banking and Financial Dealings Act 1971).
pub const FIRST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1971, 1, 1) {
    Some(d) => d,
    None => unreachable!(),
};
/// Last date the calendar covers: 31 December 2199.
pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(d) => d,
    None => unreachable!(),
};

/// [`FIRST_DATE`] as an epoch day (days since 1 January 1970).
pub const FIRST_EPOCH_DAY: i64 = 365;
/// [`LAST_DATE`] as an epoch day (days since 1 January 1970).
pub const LAST_EPOCH_DAY: i64 = 84_005;

/// Why a day is a holiday: the legal basis of the bank holiday, or a caller-supplied closure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// A bank holiday listed in Schedule 1 of the Banking and Financial Dealings Act 1971
    /// (Easter Monday, last Monday in May, last Monday in August, 26 December).
    Schedule1,
    /// A bank holiday appointed by the annual royal proclamation (New Year's Day, early May).
    Proclamation,
    /// A common-law holiday: Good Friday or Christmas Day.
    CommonLaw,
    /// A one-off holiday or a holiday moved for one year (jubilees, royal weddings, the 2022
    /// State Funeral, the 2023 Coronation, moved May days).
    OneOff,
    /// A day standing in for New Year's Day, Christmas Day or Boxing Day falling at a weekend,
    /// whether appointed by Schedule 1 (27 December) or by proclamation; `source` says which.
    Substitute,
    /// A closure day added by the caller (e.g. a council's Christmas closure). Not a bank
    /// holiday: statutory duties must not use a calendar with closure days.
    Closure,
}

/// One non-working day that is not a weekend day, with its name and legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// The date.
    pub date: NaiveDate,
    /// Its name, e.g. "Spring bank holiday" or "Christmas Day (substitute day)".
    pub name: String,
    /// Its legal basis.
    pub kind: HolidayKind,
    /// True for a day projected by rule in a year not yet announced.
    pub provisional: bool,
    /// True for a day some sources list but that is not a bank holiday here (a working day).
    pub disputed: bool,
    /// Where the day comes from (instrument, proclamation, feed or caller).
    pub source: String,
}

/// The versions of the data behind a calendar, reported in every schedule's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DataVersion {
    /// Version of the built-in bank-holiday table.
    // Borrowed from the built-in data, so that every schedule's metadata carries it without
    // allocating (this comment is not a doc comment: doc comments are the JSON Schemas' texts).
    pub table_version: std::borrow::Cow<'static, str>,
    /// The last year whose bank holidays are announced (built-in or from a loaded GOV.UK feed).
    pub last_announced_year: i32,
    /// The last date whose holidays are confirmed. Any computation reaching past it is provisional.
    pub verified_through: NaiveDate,
    /// When the built-in table was last checked against GOV.UK.
    pub checked: NaiveDate,
    /// First supported date.
    pub first: NaiveDate,
    /// Last supported date.
    pub last: NaiveDate,
    /// Years replaced from a loaded GOV.UK feed (empty for the built-in calendar).
    pub govuk_feed_years: Vec<i32>,
    /// Number of caller-supplied closure days.
    pub closure_days: usize,
}

/// An England and Wales working-day calendar.
///
/// Cheap to clone (the tables are shared). Build it with [`Calendar::england_and_wales`], then
/// extend it with [`Calendar::with_closure_days`] or [`Calendar::with_govuk_json`], which return
/// new calendars and leave the original as it was.
///
/// ```
/// use chrono::NaiveDate;
/// use lac_timescales::calendar::Calendar;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let cal = Calendar::england_and_wales();
/// // Fri 25 Dec 2026 is Christmas Day; Boxing Day falls on Sat 26 Dec, so Mon 28 Dec is the
/// // substitute bank holiday: one working day after Thu 24 Dec 2026 is Tue 29 Dec 2026.
/// assert!(!cal.is_working_day(d(2026, 12, 28))?);
/// assert_eq!(cal.add_working_days(d(2026, 12, 24), 1)?, d(2026, 12, 29));
/// # Ok::<(), lac_timescales::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Calendar {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Sorted by date, at most one per date; weekend-falling holidays included.
    holidays: Vec<Holiday>,
    /// Listed by some sources, treated as working days.
    disputed: Vec<Holiday>,
    /// One entry per day from FIRST_DATE: (working days on or before the day) << 1 | is_working.
    packed: Vec<u32>,
    /// Every working day in the range, in order.
    working: Vec<NaiveDate>,
    /// The same working days as table indexes (day offsets from FIRST_DATE), for epoch-day results.
    working_index: Vec<u32>,
    /// Day index of 1 January of each year from FIRST_DATE's year: date -> index without division.
    year_start: Vec<u32>,
    version: DataVersion,
}

fn first_ce() -> i32 {
    FIRST_DATE.num_days_from_ce()
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Inner {
    fn build(mut holidays: Vec<Holiday>, disputed: Vec<Holiday>, version: DataVersion) -> Inner {
        holidays.sort_by_key(|h| h.date);
        // One entry per date: a bank holiday wins over a closure on the same day.
        holidays.dedup_by(|later, earlier| {
            if later.date != earlier.date {
                return false;
            }
            if earlier.kind == HolidayKind::Closure && later.kind != HolidayKind::Closure {
                std::mem::swap(later, earlier);
            }
            true
        });
        let n_days = (LAST_DATE.num_days_from_ce() - first_ce() + 1) as usize;
        let mut packed = Vec::with_capacity(n_days);
        let mut working = Vec::with_capacity(n_days * 5 / 7);
        let mut working_index = Vec::with_capacity(n_days * 5 / 7);
        let mut next_holiday = holidays.iter().map(|h| h.date).peekable();
        let mut count: u32 = 0;
        for (index, day) in FIRST_DATE.iter_days().take(n_days).enumerate() {
            let mut is_holiday = false;
            while let Some(&h) = next_holiday.peek() {
                if h < day {
                    next_holiday.next();
                } else {
                    is_holiday = h == day;
                    break;
                }
            }
            let is_working = !is_weekend(day) && !is_holiday;
            if is_working {
                count += 1;
                working.push(day);
                working_index.push(index as u32);
            }
            packed.push(count << 1 | u32::from(is_working));
        }
        let year_start = (FIRST_DATE.year()..=LAST_DATE.year())
            .map(|y| (rules::ymd(y, 1, 1).num_days_from_ce() - first_ce()) as u32)
            .collect();
        Inner { holidays, disputed, packed, working, working_index, year_start, version }
    }

    fn builtin() -> Inner {
        let data = rules::parse_data_file(rules::BUILTIN_NAME, rules::BUILTIN)
            .expect("the built-in bank-holiday table parses (checked by tests)");
        let last_announced_year = data
            .rows
            .iter()
            .filter(|r| r.kind == rules::RowKind::Announced)
            .map(|r| r.date.year())
            .max()
            .expect("the built-in table lists announced years");
        let removed: BTreeSet<NaiveDate> =
            data.rows.iter().filter(|r| r.kind == rules::RowKind::Removed).map(|r| r.date).collect();
        let mut holidays: Vec<Holiday> = (FIRST_DATE.year()..=LAST_DATE.year())
            .flat_map(rules::rule_holidays)
            .filter(|h| !removed.contains(&h.date))
            .collect();
        let mut disputed = Vec::new();
        for row in &data.rows {
            let h = Holiday {
                date: row.date,
                name: row.name.clone(),
                kind: HolidayKind::OneOff,
                provisional: false,
                disputed: row.kind == rules::RowKind::Disputed,
                source: row.source.clone(),
            };
            match row.kind {
                rules::RowKind::OneOff => holidays.push(h),
                rules::RowKind::Disputed => disputed.push(h),
                rules::RowKind::Removed | rules::RowKind::Announced => {}
            }
        }
        for h in &mut holidays {
            h.provisional = h.date.year() > last_announced_year;
        }
        let version = DataVersion {
            table_version: std::borrow::Cow::Borrowed(data.version),
            last_announced_year,
            verified_through: data.verified_through,
            checked: data.checked,
            first: FIRST_DATE,
            last: LAST_DATE,
            govuk_feed_years: Vec::new(),
            closure_days: 0,
        };
        Inner::build(holidays, disputed, version)
    }
}

impl Calendar {
    /// The built-in England and Wales calendar, built once per process and shared.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    ///
    /// let cal = Calendar::england_and_wales();
    /// let christmas_eve = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
    /// assert!(cal.is_working_day(christmas_eve)?);
    /// assert_eq!(cal.version().last_announced_year, 2028);
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn england_and_wales() -> Calendar {
        static BUILTIN: OnceLock<Calendar> = OnceLock::new();
        BUILTIN.get_or_init(|| Calendar { inner: Arc::new(Inner::builtin()) }).clone()
    }

    /// The versions of the data behind this calendar.
    pub fn version(&self) -> &DataVersion {
        &self.inner.version
    }

    /// The table index of `date`: a year-start look-up plus the day of the year (no division).
    #[inline]
    fn index(&self, date: NaiveDate) -> Result<usize> {
        let y = date.year().wrapping_sub(FIRST_DATE.year()) as u32 as usize;
        match self.inner.year_start.get(y) {
            Some(&start) => Ok(start as usize + date.ordinal0() as usize),
            None => Err(out_of_range(date)),
        }
    }

    /// Whether `date` lies in the supported range (as [`Calendar::check_in_range`], without the error).
    #[inline]
    pub(crate) fn in_range(&self, date: NaiveDate) -> bool {
        self.index(date).is_ok()
    }

    /// The `n`-th working day after `date` (`n > 0`), or `None` where
    /// [`Calendar::add_working_days`] gives an error: for counting periods (`period`).
    #[inline]
    pub(crate) fn add_working_days_opt(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        let i = self.index(date).ok()?;
        self.add_at(i, n).map(|k| self.inner.working[k])
    }

    /// The `n`-th working day before `date` (`n > 0`), or `None` where
    /// [`Calendar::sub_working_days`] gives an error: for counting periods (`period`).
    #[inline]
    pub(crate) fn sub_working_days_opt(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        let i = self.index(date).ok()?;
        self.sub_at(i, n).map(|k| self.inner.working[k])
    }

    /// The last working day on or before `date` in one table look-up, for counting periods
    /// (`period`): `None` when `date` lies outside the range, `Some(None)` when no working day
    /// precedes it in the range (as [`Calendar::last_working_day_on_or_before`] otherwise).
    #[inline]
    pub(crate) fn plan_day(&self, date: NaiveDate) -> Option<Option<NaiveDate>> {
        let i = self.index(date).ok()?;
        let on_or_before = (self.inner.packed[i] >> 1) as usize;
        Some(on_or_before.checked_sub(1).map(|k| self.inner.working[k]))
    }

    /// Checks that `date` lies in the supported range.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] naming the date and the range.
    pub fn check_in_range(&self, date: NaiveDate) -> Result<()> {
        self.index(date).map(|_| ())
    }

    /// Whether `date` is a working day in England and Wales.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when `date` is outside 1971-01-01..=2199-12-31.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// assert!(!cal.is_working_day(NaiveDate::from_ymd_opt(2026, 4, 3).unwrap())?); // Good Friday
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    #[inline]
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool> {
        let i = self.index(date)?;
        Ok(self.inner.packed[i] & 1 == 1)
    }

    /// The holiday on `date`, if it is one (weekend-falling holidays included; closure days added
    /// with [`Calendar::with_closure_days`] have kind [`HolidayKind::Closure`]). Disputed days are
    /// working days and are not returned: see [`Calendar::disputed_days`].
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when `date` is outside the supported range.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::{Calendar, HolidayKind};
    /// let cal = Calendar::england_and_wales();
    /// let h = cal.bank_holiday(NaiveDate::from_ymd_opt(2023, 5, 8).unwrap())?.unwrap();
    /// assert_eq!(h.kind, HolidayKind::OneOff);
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn bank_holiday(&self, date: NaiveDate) -> Result<Option<&Holiday>> {
        self.index(date)?;
        let hs = &self.inner.holidays;
        Ok(hs.binary_search_by_key(&date, |h| h.date).ok().map(|i| &hs[i]))
    }

    /// Every holiday from `from` to `to` inclusive, sorted (weekend-falling ones included).
    /// Empty when `to < from`.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when either bound is outside the supported range.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Eight weekday holidays, plus Boxing Day on Saturday 26 December.
    /// assert_eq!(cal.bank_holidays(d(2026, 1, 1), d(2026, 12, 31))?.len(), 9);
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn bank_holidays(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<&Holiday>> {
        self.index(from)?;
        self.index(to)?;
        let hs = &self.inner.holidays;
        let start = hs.partition_point(|h| h.date < from);
        let end = hs.partition_point(|h| h.date <= to);
        Ok(hs.get(start..end.max(start)).unwrap_or(&[]).iter().collect())
    }

    /// Days that some sources list as holidays but that are working days here (14 Nov 1973).
    pub fn disputed_days(&self) -> &[Holiday] {
        &self.inner.disputed
    }

    /// The `n`-th working day after `date` (`date` is day 0 and never counts; it may itself be a
    /// non-working day). `n = 0` returns `date` unchanged.
    ///
    /// This is the counting rule for "within `n` working days of `date`". O(1).
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when `date` is outside the supported range, and
    /// [`Error::ResultOutOfRange`] when the answer would be.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Christmas 2026: Fri 25 Dec and Mon 28 Dec (Boxing Day substitute) are skipped.
    /// assert_eq!(cal.add_working_days(d(2026, 12, 24), 20)?, d(2027, 1, 26));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    #[inline]
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate> {
        let i = self.index(date)?;
        if n == 0 {
            return Ok(date);
        }
        match self.add_at(i, n) {
            Some(k) => Ok(self.inner.working[k]),
            None => Err(result_out_of_range(date, format!("{} after", working_days(u64::from(n))))),
        }
    }

    /// The index in `working` of the `n`-th working day after table index `i` (`n > 0`).
    #[inline]
    fn add_at(&self, i: usize, n: u32) -> Option<usize> {
        let on_or_before = (self.inner.packed[i] >> 1) as usize;
        let k = on_or_before + n as usize - 1;
        (k < self.inner.working.len()).then_some(k)
    }

    /// The index in `working` of the `n`-th working day before table index `i` (`n > 0`).
    #[inline]
    fn sub_at(&self, i: usize, n: u32) -> Option<usize> {
        let p = self.inner.packed[i];
        let before = ((p >> 1) - (p & 1)) as usize;
        before.checked_sub(n as usize)
    }

    /// The `n`-th working day before `date` (`date` itself never counts). `n = 0` returns `date`.
    ///
    /// This is the counting rule for "at least `n` working days before `date`". O(1).
    ///
    /// # Errors
    /// As [`Calendar::add_working_days`].
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // 3 working days before Tuesday 7 April 2026 skips Easter Monday and Good Friday.
    /// assert_eq!(cal.sub_working_days(d(2026, 4, 7), 3)?, d(2026, 3, 31));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    #[inline]
    pub fn sub_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate> {
        let i = self.index(date)?;
        if n == 0 {
            return Ok(date);
        }
        match self.sub_at(i, n) {
            Some(k) => Ok(self.inner.working[k]),
            None => Err(result_out_of_range(date, format!("{n} working days before"))),
        }
    }

    /// The number of working days `x` with `a < x <= b`; negative when `b < a`. O(1).
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when either date is outside the supported range.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(cal.working_days_between(d(2026, 1, 1), d(2026, 1, 29))?, 20);
    /// assert_eq!(cal.working_days_between(d(2026, 1, 29), d(2026, 1, 1))?, -20);
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    #[inline]
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64> {
        let (ia, ib) = (self.index(a)?, self.index(b)?);
        let (ca, cb) = (self.inner.packed[ia] >> 1, self.inner.packed[ib] >> 1);
        Ok(i64::from(cb) - i64::from(ca))
    }

    /// `date` if it is a working day, else the last working day before it.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] for a date outside the range, or when no working day precedes it
    /// in the range.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(cal.last_working_day_on_or_before(d(2026, 12, 28))?, d(2026, 12, 24));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    #[inline]
    pub fn last_working_day_on_or_before(&self, date: NaiveDate) -> Result<NaiveDate> {
        let i = self.index(date)?;
        let on_or_before = (self.inner.packed[i] >> 1) as usize;
        match on_or_before.checked_sub(1) {
            Some(k) => Ok(self.inner.working[k]),
            None => Err(result_out_of_range(date, "the last working day on or before".into())),
        }
    }

    /// `date` if it is a working day, else the first working day after it.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] for a date outside the range, or when no working day follows it
    /// in the range.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(cal.next_working_day_on_or_after(d(2026, 12, 25))?, d(2026, 12, 29));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    #[inline]
    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate> {
        let i = self.index(date)?;
        let p = self.inner.packed[i];
        let before = ((p >> 1) - (p & 1)) as usize;
        match self.inner.working.get(before) {
            Some(&d) => Ok(d),
            None => Err(result_out_of_range(date, "the next working day on or after".into())),
        }
    }

    /// The running count of working days from [`FIRST_DATE`] up to and including `date`: 1 on
    /// the first working day (Friday 1 January 1971), and a non-working day carries the number of
    /// the last working day before it. The `working_day_number` column of [`Calendar::table`].
    ///
    /// So the `n`-th working day after any date `d` is the working day numbered
    /// `working_day_number(d) + n`, and `working_days_between(a, b)` is the difference of the two
    /// numbers.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when `date` is outside the supported range.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(cal.working_day_number(d(1971, 1, 1))?, 1);
    /// // Sat 2 and Sun 3 January 1971 carry Friday's number; Monday 4 January is number 2.
    /// assert_eq!(cal.working_day_number(d(1971, 1, 3))?, 1);
    /// assert_eq!(cal.working_day_number(d(1971, 1, 4))?, 2);
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    #[inline]
    pub fn working_day_number(&self, date: NaiveDate) -> Result<u32> {
        Ok(self.inner.packed[self.index(date)?] >> 1)
    }

    /// The table index of an epoch day (days since 1 January 1970).
    #[inline]
    fn epoch_index(&self, day: i64) -> Result<usize> {
        if (FIRST_EPOCH_DAY..=LAST_EPOCH_DAY).contains(&day) {
            Ok((day - FIRST_EPOCH_DAY) as usize)
        } else {
            Err(epoch_out_of_range(day))
        }
    }

    /// [`Calendar::is_working_day`] on an epoch day: days since 1 January 1970, the value of a
    /// numpy `datetime64[D]`, an Arrow or Polars `Date`, or Unix time divided by 86,400. For
    /// bindings that hold dates as numbers; no conversion to [`NaiveDate`].
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when the day is outside the supported range
    /// ([`FIRST_EPOCH_DAY`]..=[`LAST_EPOCH_DAY`]); [`Error::InvalidInput`] when it is not even a
    /// representable date.
    ///
    /// # Example
    /// ```
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// // Epoch day 19_254 is Monday 19 September 2022, the State Funeral.
    /// assert!(!cal.is_working_epoch_day(19_254)?);
    /// assert!(cal.is_working_epoch_day(19_255)?);
    /// assert!(cal.is_working_epoch_day(0).is_err()); // 1 January 1970: before the calendar
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    #[inline]
    pub fn is_working_epoch_day(&self, day: i64) -> Result<bool> {
        Ok(self.inner.packed[self.epoch_index(day)?] & 1 == 1)
    }

    /// [`Calendar::add_working_days`] (`n > 0`) or [`Calendar::sub_working_days`] (`n < 0`, by
    /// `-n`) on an epoch day (see [`Calendar::is_working_epoch_day`]); `n = 0` returns `day`.
    ///
    /// # Errors
    /// As [`Calendar::is_working_epoch_day`], and [`Error::ResultOutOfRange`] when the answer
    /// would be outside the supported range.
    ///
    /// # Example
    /// ```
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// // 20 working days after Fri 9 Sep 2022 (epoch day 19_244) is Mon 10 Oct 2022 (19_275).
    /// assert_eq!(cal.offset_epoch_day(19_244, 20)?, 19_275);
    /// assert_eq!(cal.offset_epoch_day(19_275, -20)?, 19_244);
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    #[inline]
    pub fn offset_epoch_day(&self, day: i64, n: i64) -> Result<i64> {
        let i = self.epoch_index(day)?;
        let k = match n {
            0 => return Ok(day),
            1.. => u32::try_from(n).ok().and_then(|n| self.add_at(i, n)),
            _ => u32::try_from(n.unsigned_abs()).ok().and_then(|m| self.sub_at(i, m)),
        };
        match k {
            Some(k) => Ok(FIRST_EPOCH_DAY + i64::from(self.inner.working_index[k])),
            None => Err(epoch_result_out_of_range(day, n)),
        }
    }

    /// [`Calendar::working_days_between`] on epoch days (see [`Calendar::is_working_epoch_day`]).
    ///
    /// # Errors
    /// As [`Calendar::is_working_epoch_day`], for either day.
    ///
    /// # Example
    /// ```
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// assert_eq!(cal.working_days_between_epoch_days(19_244, 19_275)?, 20);
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    #[inline]
    pub fn working_days_between_epoch_days(&self, a: i64, b: i64) -> Result<i64> {
        let (ia, ib) = (self.epoch_index(a)?, self.epoch_index(b)?);
        Ok(i64::from(self.inner.packed[ib] >> 1) - i64::from(self.inner.packed[ia] >> 1))
    }

    /// True when a computation spanning `a` to `b` (either order) reaches past the last date
    /// whose holidays are confirmed, so its answer rests on projected holidays.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert!(!cal.is_provisional(d(2028, 12, 1), d(2028, 12, 31)));
    /// assert!(cal.is_provisional(d(2028, 12, 1), d(2029, 1, 31)));
    /// ```
    #[inline]
    pub fn is_provisional(&self, a: NaiveDate, b: NaiveDate) -> bool {
        a.max(b) > self.inner.version.verified_through
    }

    /// Holidays falling on weekdays strictly between `a` and `b` (either order): the days a
    /// working-day count between them skipped besides weekends, for explanations.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when either date is outside the supported range.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    /// let cal = Calendar::england_and_wales();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let skipped = cal.weekday_holidays_between(d(2022, 9, 9), d(2022, 10, 10))?;
    /// assert_eq!(skipped.len(), 1);
    /// assert_eq!(skipped[0].date, d(2022, 9, 19));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn weekday_holidays_between(&self, a: NaiveDate, b: NaiveDate) -> Result<Vec<&Holiday>> {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let mut v = self.bank_holidays(lo, hi)?;
        v.retain(|h| h.date != lo && h.date != hi && !is_weekend(h.date));
        Ok(v)
    }

    /// A new calendar with extra closure days (for example a council's Christmas closure), each
    /// with a name. Closure days are not bank holidays: use such a calendar only for local duties.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] naming the first closure day outside the supported range.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::{Calendar, HolidayKind};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let base = Calendar::england_and_wales();
    /// let council = base.with_closure_days([(d(2026, 12, 29), "Council closure".to_string())])?;
    /// assert!(base.is_working_day(d(2026, 12, 29))?);
    /// assert!(!council.is_working_day(d(2026, 12, 29))?);
    /// assert_eq!(council.bank_holiday(d(2026, 12, 29))?.unwrap().kind, HolidayKind::Closure);
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn with_closure_days<I>(&self, days: I) -> Result<Calendar>
    where
        I: IntoIterator<Item = (NaiveDate, String)>,
    {
        let mut holidays = self.inner.holidays.clone();
        let mut added = 0;
        for (date, name) in days {
            self.index(date)?;
            added += 1;
            holidays.push(Holiday {
                date,
                name: if name.trim().is_empty() { "Local closure day".into() } else { name },
                kind: HolidayKind::Closure,
                provisional: false,
                disputed: false,
                source: "closure day supplied by the caller (not a bank holiday)".into(),
            });
        }
        let mut version = self.inner.version.clone();
        version.closure_days += added;
        Ok(Calendar { inner: Arc::new(Inner::build(holidays, self.inner.disputed.clone(), version)) })
    }

    /// Parses a closure-day list: one `YYYY-MM-DD` per line, optionally followed by whitespace
    /// and a name; blank lines and lines starting with `#` are ignored.
    ///
    /// # Errors
    /// [`Error::InvalidData`] naming the line and the value.
    ///
    /// # Example
    /// ```
    /// use lac_timescales::calendar::Calendar;
    /// let days = Calendar::parse_closure_days("# council\n2026-12-29 Council closure\n2026-12-30\n")?;
    /// assert_eq!(days.len(), 2);
    /// assert!(Calendar::parse_closure_days("2026-12-32\n").is_err());
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn parse_closure_days(text: &str) -> Result<Vec<(NaiveDate, String)>> {
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (date, name) = match line.split_once(char::is_whitespace) {
                Some((d, n)) => (d, n.trim()),
                None => (line, ""),
            };
            let date = rules::parse_date("closure days", &format!("line {}", i + 1), date)?;
            out.push((date, name.to_string()));
        }
        Ok(out)
    }

    /// A new calendar taking England and Wales bank holidays from a GOV.UK bank-holidays JSON
    /// document: for every year the feed covers, its weekday dates replace the built-in ones, so
    /// days announced after this release are picked up. Those years are no longer provisional.
    ///
    /// # Errors
    /// [`Error::InvalidData`] for malformed JSON (with line and column), a missing
    /// `england-and-wales` division or `events` list, or an event with a missing title or bad
    /// date (naming the event index and value); [`Error::DateOutOfRange`] for a date outside the
    /// supported range.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::calendar::Calendar;
    /// let feed = r#"{"england-and-wales": {"division": "england-and-wales", "events": [
    ///     {"title": "New Year's Day", "date": "2029-01-01"},
    ///     {"title": "Extra day", "date": "2029-06-01"}]}}"#;
    /// let cal = Calendar::england_and_wales().with_govuk_json(feed)?;
    /// assert!(!cal.is_working_day(NaiveDate::from_ymd_opt(2029, 6, 1).unwrap())?);
    /// // The feed lists no Good Friday for 2029, so for that year the feed wins.
    /// assert!(cal.is_working_day(NaiveDate::from_ymd_opt(2029, 3, 30).unwrap())?);
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn with_govuk_json(&self, json: &str) -> Result<Calendar> {
        let events = govuk::parse(json)?;
        for (i, (date, _)) in events.iter().enumerate() {
            self.index(*date).map_err(|_| {
                Error::data(
                    govuk::SOURCE,
                    format!("england-and-wales.events[{i}].date"),
                    format!("{date} is outside the supported range {FIRST_DATE} to {LAST_DATE}"),
                )
            })?;
        }
        let years: BTreeSet<i32> = events.iter().map(|(d, _)| d.year()).collect();
        let feed_dates: BTreeSet<NaiveDate> = events.iter().map(|(d, _)| *d).collect();
        let mut holidays: Vec<Holiday> = self
            .inner
            .holidays
            .iter()
            .filter(|h| {
                h.kind == HolidayKind::Closure
                    || !years.contains(&h.date.year())
                    || is_weekend(h.date)
                    || feed_dates.contains(&h.date)
            })
            .cloned()
            .collect();
        for (date, title) in &events {
            if let Some(h) = holidays.iter_mut().find(|h| h.date == *date && h.kind != HolidayKind::Closure) {
                h.provisional = false;
            } else {
                holidays.push(Holiday {
                    date: *date,
                    name: title.clone(),
                    kind: HolidayKind::OneOff,
                    provisional: false,
                    disputed: false,
                    source: "GOV.UK bank-holidays feed (loaded by the caller)".into(),
                });
            }
        }
        let mut version = self.inner.version.clone();
        let mut last = version.last_announced_year;
        while years.contains(&(last + 1)) {
            last += 1;
        }
        if last > version.last_announced_year {
            version.last_announced_year = last;
            version.verified_through = rules::ymd(last, 12, 31);
        }
        let mut feed_years: BTreeSet<i32> = version.govuk_feed_years.iter().copied().collect();
        feed_years.extend(years.iter().copied());
        version.govuk_feed_years = feed_years.into_iter().collect();
        for h in &mut holidays {
            if h.kind != HolidayKind::Closure {
                h.provisional = h.date.year() > last && !years.contains(&h.date.year());
            }
        }
        Ok(Calendar { inner: Arc::new(Inner::build(holidays, self.inner.disputed.clone(), version)) })
    }
}

#[cold]
fn out_of_range(date: NaiveDate) -> Error {
    Error::DateOutOfRange { date, first: FIRST_DATE, last: LAST_DATE }
}

/// The date of an epoch day, when chrono can represent it.
fn epoch_date(day: i64) -> Option<NaiveDate> {
    let unix = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    let days = chrono::TimeDelta::try_days(day)?;
    unix.checked_add_signed(days)
}

#[cold]
fn epoch_out_of_range(day: i64) -> Error {
    match epoch_date(day) {
        Some(date) => out_of_range(date),
        None => Error::input("date", format!("epoch day {day}"), "not a representable date"),
    }
}

/// "1 working day", "2 working days".
fn working_days(n: u64) -> String {
    days_phrase(n, "working")
}

/// A count of days of a kind, singular for one: "1 working day", "2 calendar days". The one
/// wording the calendar's errors, the audit's statuses and the explanations share.
pub(crate) fn days_phrase(n: impl Into<i128> + std::fmt::Display + Copy, kind: &str) -> String {
    if n.into() == 1 {
        format!("1 {kind} day")
    } else {
        format!("{n} {kind} days")
    }
}

#[cold]
fn epoch_result_out_of_range(day: i64, n: i64) -> Error {
    let what = if n > 0 {
        format!("{} after", working_days(n.unsigned_abs()))
    } else {
        format!("{} before", working_days(n.unsigned_abs()))
    };
    match epoch_date(day) {
        Some(date) => result_out_of_range(date, what),
        None => epoch_out_of_range(day),
    }
}

#[cold]
fn result_out_of_range(date: NaiveDate, what: String) -> Error {
    Error::ResultOutOfRange { date, what, first: FIRST_DATE, last: LAST_DATE }
}
