//! Collection years and the window of dates the returns cover.
//!
//! An SSDA903 return covers one collection year, 1 April to 31 March. A year is named here by the
//! calendar year in which it **ends** (as the DfE names returns: the 2025 return is 2024-25).

use chrono::{Datelike, NaiveDate};

/// The first day of collection year `year` (1 April of `year - 1`).
pub fn year_start(year: i32) -> NaiveDate {
    year.checked_sub(1).and_then(|y| NaiveDate::from_ymd_opt(y, 4, 1)).unwrap_or(NaiveDate::MIN)
}

/// The last day of collection year `year` (31 March of `year`).
pub fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 3, 31).unwrap_or(NaiveDate::MAX)
}

/// The collection year a date falls in (named by the year it ends).
///
/// ```
/// use lac_timescales::ssda903::window::{year_of, year_label};
/// let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(year_of(d(2024, 4, 1)), 2025);
/// assert_eq!(year_of(d(2025, 3, 31)), 2025);
/// assert_eq!(year_label(2025), "2024-25");
/// ```
pub fn year_of(d: NaiveDate) -> i32 {
    if d.month() >= 4 {
        d.year() + 1
    } else {
        d.year()
    }
}

/// `2024-25` for 2025.
pub fn year_label(year: i32) -> String {
    format!("{}-{:02}", i64::from(year) - 1, year.rem_euclid(100))
}

/// The collection year named in a file name: `SSDA903_2025_reviews.csv` gives 2025 (the year
/// ending 31 March 2025); `903_2024_25_episodes.csv` or `2024-25` gives 2025 as well. `None` when
/// the name holds no year from 1990 to 2199, or two different ones.
///
/// ```
/// use lac_timescales::ssda903::window::year_from_name;
/// assert_eq!(year_from_name("SSDA903_2025_reviews.csv"), Some(2025));
/// assert_eq!(year_from_name("/data/903_2024_25_episodes.csv"), Some(2025));
/// assert_eq!(year_from_name("returns/2023-24/episodes.csv"), None); // the directory is not the name
/// assert_eq!(year_from_name("episodes.csv"), None);
/// assert_eq!(year_from_name("episodes_2023_vs_2025.csv"), None);
/// ```
pub fn year_from_name(path: &str) -> Option<i32> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let b = name.as_bytes();
    let mut found: Option<i32> = None;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let j = (i..b.len()).find(|&k| !b[k].is_ascii_digit()).unwrap_or(b.len());
        let mut next = j;
        if j - i == 4 {
            let y: i32 = name[i..j].parse().ok()?;
            let mut year = y;
            // "2024_25" / "2024-25": the year ending in 2025.
            if j + 3 <= b.len()
                && matches!(b[j], b'_' | b'-')
                && b[j + 1].is_ascii_digit()
                && b[j + 2].is_ascii_digit()
                && (j + 3 == b.len() || !b[j + 3].is_ascii_digit())
            {
                let yy: i32 = name[j + 1..j + 3].parse().ok()?;
                if yy == (y + 1) % 100 {
                    year = y + 1;
                    next = j + 3;
                }
            }
            if (1990..=2199).contains(&year) {
                match found {
                    Some(f) if f != year => return None,
                    _ => found = Some(year),
                }
            }
        }
        i = next;
    }
    found
}

/// The collection years the data covers: a review is in the data if and only if it was held on a
/// day of one of these years (every return holds all reviews of its year).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Window {
    years: Vec<i32>,
    /// [`Window::runs`], worked out once.
    runs: Vec<(NaiveDate, NaiveDate)>,
}

impl Window {
    /// The window of these years (any order, repeats ignored).
    pub fn new(years: impl IntoIterator<Item = i32>) -> Window {
        let mut years: Vec<i32> = years.into_iter().collect();
        years.sort_unstable();
        years.dedup();
        let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        let mut prev: Option<i32> = None;
        for &y in &years {
            match (prev, runs.last_mut()) {
                (Some(p), Some(last)) if p + 1 == y => last.1 = year_end(y),
                _ => runs.push((year_start(y), year_end(y))),
            }
            prev = Some(y);
        }
        Window { years, runs }
    }

    /// The years, in order.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// Whether `d` lies in one of the years.
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.years.binary_search(&year_of(d)).is_ok()
    }

    /// The first day covered.
    pub fn first_day(&self) -> Option<NaiveDate> {
        self.years.first().map(|&y| year_start(y))
    }

    /// The last day covered.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.years.last().map(|&y| year_end(y))
    }

    /// Runs of consecutive years as (first day, last day), in order.
    pub fn runs(&self) -> Vec<(NaiveDate, NaiveDate)> {
        self.runs.clone()
    }

    /// [`Window::runs`] without a copy.
    pub(crate) fn run_slice(&self) -> &[(NaiveDate, NaiveDate)] {
        &self.runs
    }
}
