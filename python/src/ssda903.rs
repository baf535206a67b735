//! SSDA903 audits on DataFrames and files: `audit_903_native`, called by
//! `lac_timescales/_ssda903.py`.
//!
//! A table arrives as a file path, or as columns taken from a DataFrame without a Python call per
//! value: text columns as one string with the values joined by `"\n"`, date columns as `int64`
//! ticks (numpy `datetime64`, `per_day` ticks a day). They are written out as the CSV text the
//! library reads (dates as ISO), so a DataFrame is audited by exactly the code that audits a
//! file. Results go back as columns, each filled as the audit's chunks arrive (the workers make
//! a chunk's columns, the calling thread appends them), so nothing is left to gather when the
//! audit ends: numbers and dates as numpy arrays handed over without a copy (for pandas and
//! polars, dates already in the form they keep: `datetime64[s]` seconds, `int32` days) or as
//! `bytearray`s of native-endian integers (for plain lists, which need no numpy), each text column
//! dictionary-encoded (distinct values and a `uint32` code per row), so no Python object is made
//! per row here; except, for pandas (which keeps a `str` reference per row in an object array),
//! the text columns, made as such object arrays on the calling thread as the chunks arrive, while
//! the workers audit the next ones ([`Objects`]).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use lac_timescales::export::csv_field;
use lac_timescales::model::Regime;
use lac_timescales::profile::{self, Profile};
use lac_timescales::ssda903::report::Summary;
use lac_timescales::ssda903::window::year_label;
use lac_timescales::ssda903::{
    audit, AuditOptions, AuditRow, Basis, Chunk, FileKind, Input, Prepare, Reject, ReturnInput, Sink, Superseded,
};
use lac_timescales::Error;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyDict, PyList, PyString, PyTuple};

use crate::{error_of_kind, py_error, NAT};

/// One column of a DataFrame, as Python sends it.
enum Column {
    /// Values joined by "\n".
    Text(String),
    /// numpy datetime64 ticks, `per_day` a day.
    Days(Vec<i64>, i64),
}

/// A table: a file, or a DataFrame's columns.
enum Table {
    Path(PathBuf),
    Frame { name: String, rows: usize, columns: Vec<(String, Column)> },
}

fn invalid(py: Python<'_>, msg: String) -> PyErr {
    error_of_kind(py, "invalid_input", &msg, None)
}

fn extract_table(py: Python<'_>, t: &Bound<'_, PyAny>) -> PyResult<Table> {
    let tag: String = t.get_item(0)?.extract()?;
    match tag.as_str() {
        "path" => Ok(Table::Path(t.get_item(1)?.extract()?)),
        "frame" => {
            let name: String = t.get_item(1)?.extract()?;
            let rows: usize = t.get_item(2)?.extract()?;
            let mut columns = Vec::new();
            for c in t.get_item(3)?.cast::<PyList>()?.iter() {
                let colname: String = c.get_item(0)?.extract()?;
                let kind: String = c.get_item(1)?.extract()?;
                let col = match kind.as_str() {
                    "text" => Column::Text(c.get_item(2)?.extract()?),
                    "days" => {
                        let a: PyReadonlyArray1<'_, i64> = c.get_item(2)?.extract()?;
                        Column::Days(a.as_slice()?.to_vec(), c.get_item(3)?.extract()?)
                    }
                    other => return Err(invalid(py, format!("unknown column kind {other:?}"))),
                };
                columns.push((colname, col));
            }
            Ok(Table::Frame { name, rows, columns })
        }
        other => Err(invalid(py, format!("unknown table kind {other:?}"))),
    }
}

fn push_iso(out: &mut String, ticks: i64, per_day: i64) {
    if ticks == NAT {
        return;
    }
    let day = ticks.div_euclid(per_day.max(1));
    let date = day
        .checked_add(UNIX_FROM_CE)
        .and_then(|d| i32::try_from(d).ok())
        .and_then(NaiveDate::from_num_days_from_ce_opt);
    match date {
        // YYYY-MM-DD, as chrono writes these years, without its formatting machinery.
        Some(d) if (0..=9999).contains(&d.year()) => {
            let (y, m, dd) = (d.year() as u32, d.month(), d.day());
            let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
            for c in [digit(y / 1000), digit(y / 100), digit(y / 10), digit(y), '-', digit(m / 10), digit(m), '-'] {
                out.push(c);
            }
            out.push(digit(dd / 10));
            out.push(digit(dd));
        }
        Some(d) => out.push_str(&d.to_string()),
        // Not a representable date: write the number, which the reader rejects by name.
        None => out.push_str(&day.to_string()),
    }
}

/// Checks that each column of a DataFrame has one value a row (a text value with a line break
/// would split its row).
fn check_frame(py: Python<'_>, name: &str, rows: usize, columns: &[(String, Column)]) -> PyResult<()> {
    for (colname, c) in columns {
        match c {
            Column::Text(t) => {
                let values = if rows == 0 { 0 } else { t.bytes().filter(|&b| b == b'\n').count() + 1 };
                if values != rows {
                    return Err(invalid(
                        py,
                        format!("{name}: column {colname} has a value with a line break (the column gave {values} values for {rows} rows)"),
                    ));
                }
                // The reader ends a line at a CR too, quoted or not: a CR inside a value would
                // move every later row to the next line, so rows would be traced to the wrong
                // index labels. A CR ending a value (before its "\n" or the text's end) is
                // dropped by `frame_csv`.
                let b = t.as_bytes();
                if let Some(i) = memchr::memchr_iter(b'\r', b).find(|&i| b.get(i + 1).is_some_and(|&n| n != b'\n')) {
                    let row = memchr::memchr_iter(b'\n', &b[..i]).count();
                    return Err(invalid(
                        py,
                        format!("{name}: column {colname} has a carriage return inside the value of row {row} (counting from 0; a line break, which would split its row)"),
                    ));
                }
            }
            Column::Days(v, _) => {
                if v.len() != rows {
                    return Err(invalid(
                        py,
                        format!("{name}: column {colname} has {} values for {rows} rows", v.len()),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The positions of the `"\n"`s in a text, in order, found eight bytes at a time (values are
/// short: a call to `memchr` for each costs more than the search).
struct LineEnds<'a> {
    text: &'a [u8],
    /// Where the word of `mask` starts.
    base: usize,
    /// A high bit for each `"\n"` of the word at `base` not yet given.
    mask: u64,
}

impl<'a> LineEnds<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineEnds { text, base: 0, mask: Self::word_mask(text) }
    }

    /// The `"\n"`s of the first 8 bytes of `at` (fewer at the end), as the high bit of each.
    fn word_mask(at: &[u8]) -> u64 {
        const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        let mut w = [0u8; 8];
        match at.first_chunk::<8>() {
            Some(c) => w = *c,
            None => w[..at.len()].copy_from_slice(at),
        }
        // Bytes equal to '\n' become 0 (padding stays 0x0a); a byte's high bit then ends set iff
        // it was 0 (no carry crosses bytes: (b & 0x7f) + 0x7f <= 0xfe).
        let x = u64::from_le_bytes(w) ^ (u64::from(b'\n') * 0x0101_0101_0101_0101);
        !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7)
    }
}

impl Iterator for LineEnds<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.base += 8;
            let rest = self.text.get(self.base..).filter(|r| !r.is_empty())?;
            self.mask = Self::word_mask(rest);
        }
        let i = self.base + self.mask.trailing_zeros() as usize / 8;
        self.mask &= self.mask - 1;
        Some(i)
    }
}

/// A DataFrame's columns as CSV text (header first), one line per row in order, so that line
/// `i + 2` is row `i`. The columns were checked by [`check_frame`].
///
/// A text column's values are found by their ends ([`LineEnds`]: each value ends at the next
/// `"\n"`) and, in the usual column (nothing to quote and no CR to strip, checked once per
/// column), copied together with the `"\n"` that ends them, which becomes the row's `,` where
/// another column follows: one copy a value, no byte-by-byte search.
fn frame_csv(rows: usize, columns: &[(String, Column)]) -> String {
    /// Where a column is up to.
    enum Cur<'a> {
        Text {
            text: &'a [u8],
            /// Where the next value starts.
            at: usize,
            /// The `"\n"` after each value but the last.
            ends: LineEnds<'a>,
            /// Nothing to quote and no CR to strip in the whole column.
            plain: bool,
        },
        Days(&'a [i64], i64),
    }
    let mut curs: Vec<Cur<'_>> = columns
        .iter()
        .map(|(_, c)| match c {
            Column::Text(t) => {
                let text = t.as_bytes();
                Cur::Text {
                    text,
                    at: 0,
                    ends: LineEnds::new(text),
                    plain: memchr::memchr3(b',', b'"', b'\r', text).is_none(),
                }
            }
            Column::Days(v, per_day) => Cur::Days(v, *per_day),
        })
        .collect();
    let text_len: usize = columns.iter().map(|(_, c)| if let Column::Text(t) = c { t.len() } else { 11 * rows }).sum();
    let mut out: Vec<u8> = Vec::with_capacity(text_len + 2 * rows + 64);
    let mut scratch = String::new();
    for (i, (colname, _)) in columns.iter().enumerate() {
        if i > 0 {
            scratch.push(',');
        }
        csv_field(&mut scratch, colname);
    }
    scratch.push('\n');
    out.extend_from_slice(scratch.as_bytes());
    let last = curs.len().saturating_sub(1);
    for r in 0..rows {
        if curs.is_empty() {
            out.push(b'\n');
        }
        for (i, cur) in curs.iter_mut().enumerate() {
            let sep = if i == last { b'\n' } else { b',' };
            match cur {
                Cur::Text { text, at, ends, plain } => {
                    let start = *at;
                    match ends.next() {
                        // The value and the "\n" after it, which becomes `sep`.
                        Some(end) if *plain => {
                            out.extend_from_slice(text.get(start..=end).unwrap_or_default());
                            if let Some(b) = out.last_mut() {
                                *b = sep;
                            }
                            *at = end + 1;
                        }
                        next => {
                            let end = next.unwrap_or(text.len());
                            let v = text.get(start..end).unwrap_or_default();
                            *at = end + 1;
                            if *plain {
                                out.extend_from_slice(v);
                            } else {
                                // Cut at ASCII bytes, so still UTF-8.
                                let v = std::str::from_utf8(v).unwrap_or_default();
                                scratch.clear();
                                csv_field(&mut scratch, v.strip_suffix('\r').unwrap_or(v));
                                out.extend_from_slice(scratch.as_bytes());
                            }
                            out.push(sep);
                        }
                    }
                }
                Cur::Days(v, per_day) => {
                    scratch.clear();
                    push_iso(&mut scratch, v.get(r).copied().unwrap_or(NAT), *per_day);
                    out.extend_from_slice(scratch.as_bytes());
                    out.push(sep);
                }
            }
        }
    }
    // The text is UTF-8: whole values of UTF-8 columns, cut at ASCII bytes, and ASCII.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Writes the DataFrames' CSV text, tables shared out among up to `threads` threads (largest
/// first, each to the least loaded thread). `jobs` are (rows, columns) pairs; the texts come back
/// in their order (`None` if a thread stopped, which it cannot short of memory).
fn frames_csv(jobs: &[(usize, &[(String, Column)])], threads: usize) -> Option<Vec<String>> {
    let size = |(rows, cols): &(usize, &[(String, Column)])| -> usize {
        cols.iter().map(|(_, c)| if let Column::Text(t) = c { t.len() } else { 11 * rows }).sum::<usize>() + rows
    };
    let threads = threads.clamp(1, jobs.len().max(1));
    if threads == 1 {
        return Some(jobs.iter().map(|(rows, cols)| frame_csv(*rows, cols)).collect());
    }
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(size(&jobs[i])));
    let mut shares: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); threads];
    for i in order {
        if let Some(least) = shares.iter_mut().min_by_key(|(load, _)| *load) {
            least.0 += size(&jobs[i]);
            least.1.push(i);
        }
    }
    let mut out = vec![None; jobs.len()];
    std::thread::scope(|s| {
        let handles: Vec<_> = shares
            .iter()
            .map(|(_, mine)| {
                s.spawn(move || mine.iter().map(|&i| (i, frame_csv(jobs[i].0, jobs[i].1))).collect::<Vec<_>>())
            })
            .collect();
        for h in handles {
            for (i, text) in h.join().unwrap_or_default() {
                out[i] = Some(text);
            }
        }
    });
    out.into_iter().collect()
}

/// A text column sent to Python dictionary-encoded: its distinct values, first seen first, and a
/// code per row. Values repeat (a child has many reviews; notes and reasons follow a few
/// templates), so Python makes each distinct string once and gathers the column from the codes
/// (numpy `take`, polars `gather`) instead of making a string object per row.
#[derive(Default)]
struct Dict {
    /// The codes of the values but the empty one (see [`same`]).
    index: HashMap<String, u32, BuildHasherDefault<Fx>>,
    /// The code of the empty value, once listed (the usual `note` and `conflict`).
    empty: Option<u32>,
    values: Vec<String>,
    codes: Vec<u32>,
}

/// `a == b`, compared here eight bytes at a time rather than by `memcmp`. glibc's AVX-512
/// `memcmp` (2.36, Debian 12) reads a short value with a masked load, which is slow when the
/// masked-off bytes are not mapped: for an empty `String`, whose address is Rust's dangling 1,
/// the processor takes a fault-suppression assist of hundreds of cycles on every call. That was
/// once a row, for the empty `note` of almost every review and the empty `conflict` of every
/// superseded copy (perf put 6-8% of the Python call's samples in `memcmp`). The values compared
/// here are short (child ids, notes).
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    for (p, q) in (&mut x).zip(&mut y) {
        if word(p) != word(q) {
            return false;
        }
    }
    word(x.remainder()) == word(y.remainder())
}

/// Up to 8 bytes as a word (zero-padded), with no call to `memcpy` or `memcmp`.
#[inline]
fn word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    for (slot, &v) in w.iter_mut().zip(b) {
        *slot = v;
    }
    u64::from_le_bytes(w)
}

impl Dict {
    /// The code of `v`, added if new. The empty value is not looked up in `index` (whose key
    /// comparison would call `memcmp` on it, see [`same`]).
    fn intern(&mut self, v: &str) -> u32 {
        if v.is_empty() {
            return *self.empty.get_or_insert_with(|| {
                self.values.push(String::new());
                (self.values.len() - 1) as u32
            });
        }
        match self.index.get(v) {
            Some(&c) => c,
            None => {
                let c = self.values.len() as u32;
                self.values.push(v.to_string());
                self.index.insert(v.to_string(), c);
                c
            }
        }
    }

    fn push(&mut self, v: &str) {
        // Rows come grouped by child, so the previous row's value is the likeliest.
        if let Some(&last) = self.codes.last() {
            if same(&self.values[last as usize], v) {
                self.codes.push(last);
                return;
            }
        }
        let code = self.intern(v);
        self.codes.push(code);
    }

    /// For a column whose equal values come together (the child, in rows grouped by child): the
    /// previous row's code, else a new value, with no lookup (a value that came earlier and
    /// comes back is listed again, which costs Python one more string, not a wrong row).
    fn push_run(&mut self, v: &str) {
        if let Some(&last) = self.codes.last() {
            if same(&self.values[last as usize], v) {
                self.codes.push(last);
                return;
            }
        }
        self.codes.push(self.values.len() as u32);
        self.values.push(v.to_string());
    }

    /// Drops the index (the values and codes stay): done on the worker thread that made the
    /// column, which is then only read.
    fn seal(&mut self) {
        self.index = HashMap::default();
    }
}

/// The Fx hash (rustc's): a few instructions a word where the default SipHash takes a few hundred
/// a string. The keys are the audit's own output values, looked up in one call.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_i64(&mut self, i: i64) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        // The product's entropy is in its high bits; hashbrown picks buckets with the low ones
        // (which alone would follow the first bytes of a string: CHILD ids share them).
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 29)
    }
}

/// A text column of few distinct values, each found by a key cheaper to compare than its text
/// (a collection year, an enum, a file's shared name): the text is made once per distinct key,
/// not once a row.
struct Few<K> {
    seen: Vec<(K, u32)>,
    /// Where in `seen` the previous row's key is (the likeliest).
    last: usize,
    dict: Dict,
}

impl<K> Default for Few<K> {
    fn default() -> Self {
        Few { seen: Vec::new(), last: 0, dict: Dict::default() }
    }
}

impl<K: PartialEq + Clone> Few<K> {
    fn push(&mut self, key: &K, label: impl FnOnce(&K) -> String) {
        let code = match self.seen.get(self.last) {
            Some((k, code)) if k == key => *code,
            _ => match self.seen.iter().position(|(k, _)| k == key) {
                Some(i) => {
                    self.last = i;
                    self.seen[i].1
                }
                None => {
                    let code = self.dict.intern(&label(key));
                    self.last = self.seen.len();
                    self.seen.push((key.clone(), code));
                    code
                }
            },
        };
        self.dict.codes.push(code);
    }
}

impl Few<Arc<str>> {
    /// A file name as the audit shares it, found by address: the rows of a file share one
    /// `Arc`, so finding it takes no string comparison (another `Arc` of the same name is another
    /// key with the same text, hence the same code).
    fn push_shared(&mut self, key: &Arc<str>) {
        let code = match self.seen.get(self.last) {
            Some((k, code)) if Arc::ptr_eq(k, key) => *code,
            _ => match self.seen.iter().position(|(k, _)| Arc::ptr_eq(k, key)) {
                Some(i) => {
                    self.last = i;
                    self.seen[i].1
                }
                None => {
                    let code = self.dict.intern(key);
                    self.last = self.seen.len();
                    self.seen.push((key.clone(), code));
                    code
                }
            },
        };
        self.dict.codes.push(code);
    }
}

/// A date column of repeated dates, dictionary-encoded like a [`Dict`] (epoch days), so that
/// Python makes a `datetime.date` once per distinct date.
#[derive(Default)]
struct Days {
    index: HashMap<i64, u32, BuildHasherDefault<Fx>>,
    values: Vec<i64>,
    codes: Vec<u32>,
}

impl Days {
    fn push(&mut self, day: i64) {
        if let Some(&last) = self.codes.last() {
            if self.values[last as usize] == day {
                self.codes.push(last);
                return;
            }
        }
        let next = self.values.len() as u32;
        let code = *self.index.entry(day).or_insert(next);
        if code == next {
            self.values.push(day);
        }
        self.codes.push(code);
    }
}

/// A number that crosses to Python as native-endian bytes.
trait Raw: Copy {
    const SIZE: usize;
    fn put(self, out: &mut [u8]);
}

macro_rules! raw {
    ($($t:ty),*) => {$(
        impl Raw for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_ne_bytes());
            }
        }
    )*};
}
raw!(i64, i32, u32, i8, u8);

/// The audit rows, column by column (the columns of `reviews_audit.csv`, and the line).
#[derive(Default)]
struct Reviews {
    child: Dict,
    year: Few<i32>,
    period_start: Vec<i64>,
    regime: Few<Option<Regime>>,
    review_number: Vec<i64>,
    review: Vec<i64>,
    deadline: Vec<i64>,
    latest_working_day: Vec<i64>,
    on_time: Vec<i8>,
    working_days_late: Vec<i64>,
    calendar_days_late: Vec<i64>,
    basis: Few<Basis>,
    /// Whose deadline a late or overdue review missed (`statutory` or `local:<profile>`), else empty.
    missed: Few<Option<profile::Basis>>,
    note: Dict,
    line: Vec<i64>,
}

impl Reviews {
    fn reserve(&mut self, n: usize) {
        for d in [
            &mut self.child,
            &mut self.year.dict,
            &mut self.regime.dict,
            &mut self.basis.dict,
            &mut self.missed.dict,
            &mut self.note,
        ] {
            d.codes.reserve(n);
        }
        for v in [
            &mut self.period_start,
            &mut self.review_number,
            &mut self.review,
            &mut self.deadline,
            &mut self.latest_working_day,
            &mut self.working_days_late,
            &mut self.calendar_days_late,
            &mut self.line,
        ] {
            v.reserve(n);
        }
        self.on_time.reserve(n);
    }

    fn push(&mut self, r: &AuditRow) {
        self.push_rows(std::slice::from_ref(r));
    }

    /// Rows (a chunk's, grouped by child), made a column at a time: the number and date columns
    /// as one `extend` each (no capacity check per value), and the child's code reused while the
    /// rows share its `Arc` (found without comparing text).
    fn push_rows(&mut self, rows: &[AuditRow]) {
        let mut previous: Option<&Arc<str>> = None;
        for r in rows {
            match self.child.codes.last() {
                Some(&last) if previous.is_some_and(|p| Arc::ptr_eq(p, &r.child)) => self.child.codes.push(last),
                _ => self.child.push_run(&r.child),
            }
            previous = Some(&r.child);
        }
        for r in rows {
            self.year.push(&r.collection_year, |y| year_label(*y));
            self.regime.push(&r.regime, |g| g.map_or("", |x| x.as_str()).to_string());
            self.basis.push(&r.basis, |b| b.as_str().to_string());
            self.missed.push(&r.missed, |m| m.as_ref().map_or(String::new(), |m| m.to_string()));
            self.note.push(&r.note);
        }
        self.period_start.extend(rows.iter().map(|r| epoch(r.period_start)));
        self.review_number.extend(rows.iter().map(|r| r.review_number.map_or(-1, i64::from)));
        self.review.extend(rows.iter().map(|r| epoch(r.review)));
        self.deadline.extend(rows.iter().map(|r| epoch(r.deadline)));
        self.latest_working_day.extend(rows.iter().map(|r| epoch(r.latest_working_day)));
        self.on_time.extend(rows.iter().map(|r| r.on_time.map_or(-1, i8::from)));
        self.working_days_late.extend(rows.iter().map(|r| r.working_days_late.unwrap_or(NAT)));
        self.calendar_days_late.extend(rows.iter().map(|r| r.calendar_days_late.unwrap_or(NAT)));
        self.line.extend(rows.iter().map(|r| r.line as i64));
    }
}

#[derive(Default)]
struct Rejects {
    file: Few<Arc<str>>,
    table: Vec<u8>,
    line: Vec<i64>,
    child: Dict,
    reason: Dict,
}

impl Rejects {
    fn push(&mut self, r: &Reject) {
        self.file.push_shared(&r.file);
        self.table.push(u8::from(r.table == FileKind::Reviews));
        self.line.push(r.line as i64);
        self.child.push(&r.child);
        self.reason.push(&r.reason);
    }
}

#[derive(Default)]
struct SupersededColumns {
    child: Dict,
    decom: Days,
    file: Few<Arc<str>>,
    line: Vec<i64>,
    year: Few<i32>,
    kept_file: Few<Arc<str>>,
    kept_line: Vec<i64>,
    kept_year: Few<i32>,
    conflict: Dict,
}

impl SupersededColumns {
    fn reserve(&mut self, n: usize) {
        for d in [
            &mut self.child,
            &mut self.file.dict,
            &mut self.year.dict,
            &mut self.kept_file.dict,
            &mut self.kept_year.dict,
            &mut self.conflict,
        ] {
            d.codes.reserve(n);
        }
        self.decom.codes.reserve(n);
        for v in [&mut self.line, &mut self.kept_line] {
            v.reserve(n);
        }
    }

    fn push(&mut self, s: &Superseded) {
        self.push_row(s, false);
    }

    /// `same_child`: the row's `child` is the previous row's (the same `Arc`), so its code is the
    /// previous row's, found without comparing text.
    fn push_row(&mut self, s: &Superseded, same_child: bool) {
        match self.child.codes.last() {
            Some(&last) if same_child => self.child.codes.push(last),
            _ => self.child.push_run(&s.child),
        }
        self.decom.push(epoch(Some(s.decom)));
        self.file.push_shared(&s.file);
        self.line.push(s.line as i64);
        self.year.push(&s.year, |y| year_label(*y));
        self.kept_file.push_shared(&s.kept_file);
        self.kept_line.push(s.kept_line as i64);
        self.kept_year.push(&s.kept_year, |y| year_label(*y));
        self.conflict.push(&s.conflict);
    }
}

/// The three outputs as columns, for a run of the output: one chunk's (made on the audit's worker
/// thread by [`prepare`]), or rows given one by one.
#[derive(Default)]
struct Tables {
    reviews: Reviews,
    rejects: Rejects,
    superseded: SupersededColumns,
}

impl Tables {
    fn push_chunk(&mut self, c: &Chunk) {
        self.reviews.reserve(c.rows.len());
        self.superseded.reserve(c.superseded.len());
        self.reviews.push_rows(&c.rows);
        for r in &c.rejects {
            self.rejects.push(r);
        }
        let mut previous: Option<&Arc<str>> = None;
        for s in &c.superseded {
            self.superseded.push_row(s, previous.is_some_and(|p| Arc::ptr_eq(p, &s.child)));
            previous = Some(&s.child);
        }
    }

    fn is_empty(&self) -> bool {
        self.reviews.line.is_empty() && self.rejects.line.is_empty() && self.superseded.line.is_empty()
    }

    /// Drops the lookup tables, which only adding rows needs.
    fn seal(&mut self) {
        let v = &mut self.reviews;
        for d in [&mut v.child, &mut v.note] {
            d.seal();
        }
        let j = &mut self.rejects;
        for d in [&mut j.child, &mut j.reason] {
            d.seal();
        }
        let s = &mut self.superseded;
        s.decom.index = HashMap::default();
        for d in [&mut s.child, &mut s.conflict] {
            d.seal();
        }
    }
}

/// [`Sink::prepare`]: a chunk's columns, made on the worker thread that audited it.
fn prepare(c: &mut Chunk) {
    let mut t = Tables::default();
    t.push_chunk(c);
    t.seal();
    // In a mutex so that the calling thread can take the columns (moving their strings, not
    // copying them): it is the only one to lock it.
    c.prepared = Some(Arc::new(std::sync::Mutex::new(t)));
}

/// Which output table a column is of.
#[derive(Clone, Copy, PartialEq)]
enum Out {
    Reviews,
    Rejects,
    Superseded,
}

/// How a column is read from a piece's [`Tables`].
#[derive(Clone, Copy)]
enum Get {
    I64(fn(&Tables) -> &[i64]),
    /// Epoch days (NAT for none), sent in the date form the caller asked for.
    Date(fn(&Tables) -> &[i64]),
    I8(fn(&Tables) -> &[i8]),
    U8(fn(&Tables) -> &[u8]),
    /// Text; each piece's distinct values listed in turn (a value in several pieces is listed
    /// once for each, which costs Python a string object each), moved from the piece.
    Text(fn(&mut Tables) -> &mut Dict),
    /// Text listed once in all (for the columns Python looks values up in: collection years,
    /// file names).
    Unique(fn(&Tables) -> &Dict),
    /// Dates dictionary-encoded.
    Days(fn(&Tables) -> &Days),
}

/// The output columns, in order: (table, name, how to read it).
const COLUMNS: [(Out, &str, Get); 29] = [
    (Out::Reviews, "CHILD", Get::Text(|t| &mut t.reviews.child)),
    (Out::Reviews, "collection_year", Get::Unique(|t| &t.reviews.year.dict)),
    (Out::Reviews, "period_start", Get::Date(|t| &t.reviews.period_start)),
    (Out::Reviews, "regime", Get::Text(|t| &mut t.reviews.regime.dict)),
    (Out::Reviews, "review_number", Get::I64(|t| &t.reviews.review_number)),
    (Out::Reviews, "REVIEW", Get::Date(|t| &t.reviews.review)),
    (Out::Reviews, "deadline", Get::Date(|t| &t.reviews.deadline)),
    (Out::Reviews, "latest_working_day", Get::Date(|t| &t.reviews.latest_working_day)),
    (Out::Reviews, "on_time", Get::I8(|t| &t.reviews.on_time)),
    (Out::Reviews, "working_days_late", Get::I64(|t| &t.reviews.working_days_late)),
    (Out::Reviews, "calendar_days_late", Get::I64(|t| &t.reviews.calendar_days_late)),
    (Out::Reviews, "basis", Get::Text(|t| &mut t.reviews.basis.dict)),
    (Out::Reviews, "missed", Get::Text(|t| &mut t.reviews.missed.dict)),
    (Out::Reviews, "note", Get::Text(|t| &mut t.reviews.note)),
    (Out::Reviews, "line", Get::I64(|t| &t.reviews.line)),
    (Out::Rejects, "file", Get::Unique(|t| &t.rejects.file.dict)),
    (Out::Rejects, "table", Get::U8(|t| &t.rejects.table)),
    (Out::Rejects, "line", Get::I64(|t| &t.rejects.line)),
    (Out::Rejects, "CHILD", Get::Text(|t| &mut t.rejects.child)),
    (Out::Rejects, "reason", Get::Text(|t| &mut t.rejects.reason)),
    (Out::Superseded, "CHILD", Get::Text(|t| &mut t.superseded.child)),
    (Out::Superseded, "DECOM", Get::Days(|t| &t.superseded.decom)),
    (Out::Superseded, "file", Get::Unique(|t| &t.superseded.file.dict)),
    (Out::Superseded, "line", Get::I64(|t| &t.superseded.line)),
    (Out::Superseded, "collection_year", Get::Unique(|t| &t.superseded.year.dict)),
    (Out::Superseded, "kept_file", Get::Unique(|t| &t.superseded.kept_file.dict)),
    (Out::Superseded, "kept_line", Get::I64(|t| &t.superseded.kept_line)),
    (Out::Superseded, "kept_collection_year", Get::Unique(|t| &t.superseded.kept_year.dict)),
    (Out::Superseded, "conflict", Get::Text(|t| &mut t.superseded.conflict)),
];

/// One output column, whole: each piece appended as it arrives (on the calling thread, while the
/// audit's workers go on with the next chunks), so that nothing is left to gather at the end.
enum Whole {
    I64(Vec<i64>),
    I8(Vec<i8>),
    U8(Vec<u8>),
    /// Text: the values listed so far and a code per row.
    Text(Vec<String>, Vec<u32>),
    /// Text listed once in all: the index of the values.
    Unique(HashMap<String, u32, BuildHasherDefault<Fx>>, Vec<String>, Vec<u32>),
    /// Dates listed once in all (so that Python makes a date object once per distinct date, not
    /// once per piece that has it): the index of the values, the values and a code per row.
    Days(HashMap<i64, u32, BuildHasherDefault<Fx>>, Vec<i64>, Vec<u32>),
}

impl Whole {
    fn new(get: Get) -> Whole {
        match get {
            Get::I64(_) | Get::Date(_) => Whole::I64(Vec::new()),
            Get::I8(_) => Whole::I8(Vec::new()),
            Get::U8(_) => Whole::U8(Vec::new()),
            Get::Text(_) => Whole::Text(Vec::new(), Vec::new()),
            Get::Unique(_) => Whole::Unique(HashMap::default(), Vec::new(), Vec::new()),
            Get::Days(_) => Whole::Days(HashMap::default(), Vec::new(), Vec::new()),
        }
    }

    /// Appends a piece's column.
    fn add(&mut self, get: Get, t: &mut Tables) {
        match (self, get) {
            (Whole::I64(v), Get::I64(f) | Get::Date(f)) => v.extend_from_slice(f(t)),
            (Whole::I8(v), Get::I8(f)) => v.extend_from_slice(f(t)),
            (Whole::U8(v), Get::U8(f)) => v.extend_from_slice(f(t)),
            (Whole::Text(values, codes), Get::Text(f)) => {
                let d = f(t);
                let base = values.len() as u32;
                values.append(&mut d.values);
                codes.extend(d.codes.iter().map(|&c| c + base));
            }
            (Whole::Unique(index, values, codes), Get::Unique(f)) => {
                let d = f(t);
                let map: Vec<u32> = d
                    .values
                    .iter()
                    .map(|v| match index.get(v.as_str()) {
                        Some(&c) => c,
                        None => {
                            let c = values.len() as u32;
                            values.push(v.clone());
                            index.insert(v.clone(), c);
                            c
                        }
                    })
                    .collect();
                codes.extend(d.codes.iter().map(|&c| map[c as usize]));
            }
            (Whole::Days(index, values, codes), Get::Days(f)) => {
                let d = f(t);
                let map: Vec<u32> = d
                    .values
                    .iter()
                    .map(|&day| {
                        let next = values.len() as u32;
                        let code = *index.entry(day).or_insert(next);
                        if code == next {
                            values.push(day);
                        }
                        code
                    })
                    .collect();
                codes.extend(d.codes.iter().map(|&c| map[c as usize]));
            }
            // `new` made the kind of each column from its `Get`.
            _ => {}
        }
    }
}

/// How the result's columns go to Python: as numpy arrays (taking the vectors, no copy; dates
/// as `datetime64[s]` seconds for pandas or `int32` days for polars), or, for the plain lists
/// of `output="columns"` (numpy may not be installed), as `bytearray`s (dates as `int64` days).
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    Pandas,
    Polars,
    Bytes,
}

/// The `int32` a polars `Date` column has for a missing date (Python marks those null).
const NO_DAY: i32 = i32::MIN;

fn bytes_of<'py, T: Raw>(py: Python<'py>, v: &[T]) -> PyResult<Bound<'py, PyAny>> {
    Ok(PyByteArray::new_with(py, v.len() * T::SIZE, |out| {
        for (slot, x) in out.chunks_exact_mut(T::SIZE).zip(v) {
            x.put(slot);
        }
        Ok(())
    })?
    .into_any())
}

fn array<'py, T: Raw + numpy::Element>(py: Python<'py>, v: Vec<T>, layout: Layout) -> PyResult<Bound<'py, PyAny>> {
    match layout {
        Layout::Bytes => bytes_of(py, &v),
        _ => Ok(PyArray1::from_vec(py, v).into_any()),
    }
}

/// A column for Python: numbers as an array (see [`Layout`]), text as `(values, codes)` (a list
/// of str and `uint32` codes), dictionary-encoded dates as `(days, codes)`.
fn export<'py>(py: Python<'py>, get: Get, whole: Whole, layout: Layout) -> PyResult<Bound<'py, PyAny>> {
    Ok(match (whole, get) {
        (Whole::I64(mut v), Get::Date(_)) => match layout {
            Layout::Pandas => {
                for d in &mut v {
                    if *d != NAT {
                        *d *= 86_400;
                    }
                }
                array(py, v, layout)?
            }
            Layout::Polars => {
                let days: Vec<i32> = v.iter().map(|&d| if d == NAT { NO_DAY } else { d as i32 }).collect();
                array(py, days, layout)?
            }
            Layout::Bytes => array(py, v, layout)?,
        },
        (Whole::I64(v), _) => array(py, v, layout)?,
        (Whole::I8(v), _) => array(py, v, layout)?,
        (Whole::U8(v), _) => array(py, v, layout)?,
        (Whole::Text(values, codes), _) | (Whole::Unique(_, values, codes), _) => {
            (PyList::new(py, values)?, array(py, codes, layout)?).into_pyobject(py)?.into_any()
        }
        (Whole::Days(_, values, codes), _) => {
            (array(py, values, layout)?, array(py, codes, layout)?).into_pyobject(py)?.into_any()
        }
    })
}

/// The output as whole columns, filled as the pieces arrive, and the summary's figures.
struct Columns {
    /// Whether the workers make the columns ([`Sink::prepare`]); else this thread does (the same
    /// columns: the tests compare the two).
    prepare: bool,
    /// In the order of [`COLUMNS`].
    whole: Vec<Whole>,
    /// Rows given one by one (rejects found while reading), since the last piece.
    open: Tables,
    summary: Summary,
    /// For pandas, when Python asks: the [`Get::Text`] columns made here as the object arrays
    /// pandas keeps text in, as the pieces arrive (see [`Objects`]).
    objects: Option<Objects>,
}

/// The [`Get::Text`] and [`Get::Unique`] columns as Python objects, a reference to a `str` (or to
/// the missing mark pandas uses, for an empty `regime` or `missed`) per row, appended while the
/// audit's workers go on with the next chunks, so that the object arrays pandas keeps text in are
/// ready when the audit ends instead of being gathered after it (`take_objects`), when one core
/// would be idle. The calling thread takes the GIL for each piece.
struct Objects {
    /// What an empty `regime` or `missed` becomes (pandas' missing mark for its text dtype).
    na: Py<PyAny>,
    /// Per column of [`COLUMNS`] (empty for the columns that are neither [`Get::Text`] nor
    /// [`Get::Unique`]).
    cols: Vec<Vec<Py<PyAny>>>,
    /// Per column of [`COLUMNS`]: for a [`Get::Unique`] column, the `str` made for each value so
    /// far (once in all, as the values are listed once in all).
    unique: Vec<HashMap<String, Py<PyAny>, BuildHasherDefault<Fx>>>,
}

impl Objects {
    fn new(na: Py<PyAny>) -> Objects {
        Objects {
            na,
            cols: COLUMNS.iter().map(|_| Vec::new()).collect(),
            unique: COLUMNS.iter().map(|_| HashMap::default()).collect(),
        }
    }

    /// Appends a piece's [`Get::Text`] and [`Get::Unique`] columns: a `str` made once per value
    /// the piece lists (for [`Get::Unique`], once per value in all), then a reference per row.
    fn add(&mut self, t: &mut Tables) {
        Python::attach(|py| {
            for (i, (_, name, get)) in COLUMNS.iter().enumerate() {
                let (values, codes): (Vec<Py<PyAny>>, &[u32]) = match get {
                    Get::Text(f) => {
                        let d = f(t);
                        let maybe_empty = matches!(*name, "regime" | "missed");
                        let values = d
                            .values
                            .iter()
                            .map(|v| {
                                if maybe_empty && v.is_empty() {
                                    self.na.clone_ref(py)
                                } else {
                                    PyString::new(py, v).into_any().unbind()
                                }
                            })
                            .collect();
                        (values, &d.codes)
                    }
                    Get::Unique(f) => {
                        let d = f(t);
                        let known = &mut self.unique[i];
                        let values = d
                            .values
                            .iter()
                            .map(|v| match known.get(v.as_str()) {
                                Some(o) => o.clone_ref(py),
                                None => {
                                    let o = PyString::new(py, v).into_any().unbind();
                                    known.insert(v.clone(), o.clone_ref(py));
                                    o
                                }
                            })
                            .collect();
                        (values, &d.codes)
                    }
                    _ => continue,
                };
                let out = &mut self.cols[i];
                out.reserve(codes.len());
                // Every code is one of the piece's values (the `Dict` made them so).
                out.extend(codes.iter().map(|&c| values.get(c as usize).unwrap_or(&self.na).clone_ref(py)));
            }
        });
    }
}

impl Columns {
    fn new(prepare: bool) -> Columns {
        Columns {
            prepare,
            whole: COLUMNS.iter().map(|(_, _, get)| Whole::new(*get)).collect(),
            open: Tables::default(),
            summary: Summary::default(),
            objects: None,
        }
    }

    /// Appends a piece (its text values are moved out of it).
    fn add(&mut self, t: &mut Tables) {
        if let Some(o) = &mut self.objects {
            o.add(t);
        }
        let objects = self.objects.is_some();
        for ((_, _, get), w) in COLUMNS.iter().zip(&mut self.whole) {
            if !(objects && matches!(get, Get::Text(_))) {
                w.add(*get, t);
            }
        }
    }

    /// Closes the piece of rows given one by one, if any, so that what follows comes after it.
    fn close(&mut self) {
        if !self.open.is_empty() {
            let mut t = std::mem::take(&mut self.open);
            self.add(&mut t);
        }
    }
}

/// Days from 1 January of year 1 to 1 January 1970.
const UNIX_FROM_CE: i64 = 719_163;

/// Epoch days (NAT for none).
fn epoch(d: Option<NaiveDate>) -> i64 {
    d.map_or(NAT, |d| i64::from(d.num_days_from_ce()) - UNIX_FROM_CE)
}

impl Sink for Columns {
    fn row(&mut self, r: &AuditRow) -> std::io::Result<()> {
        self.open.reviews.push(r);
        self.summary.add_row(r);
        Ok(())
    }
    fn reject(&mut self, r: &Reject) -> std::io::Result<()> {
        self.open.rejects.push(r);
        self.summary.add_reject(r);
        Ok(())
    }
    fn superseded(&mut self, s: &Superseded) -> std::io::Result<()> {
        self.open.superseded.push(s);
        self.summary.add_superseded(s);
        Ok(())
    }
    fn prepare(&self) -> Option<Prepare> {
        self.prepare.then_some(prepare as Prepare)
    }
    // The workers made the chunk's columns (else they are made here); this thread appends them
    // to the whole columns and counts the summary, as the `audit_903` example does.
    fn chunk(&mut self, c: &Chunk) -> std::io::Result<()> {
        self.close();
        match c.prepared.as_ref().and_then(|p| p.downcast_ref::<std::sync::Mutex<Tables>>()) {
            Some(m) => {
                let mut t = m.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                self.add(&mut t);
            }
            None => {
                let mut t = Tables::default();
                t.push_chunk(c);
                self.add(&mut t);
            }
        }
        self.summary.add_chunk(c);
        Ok(())
    }
}

fn load_profile(spec: &str) -> lac_timescales::Result<Profile> {
    if Profile::builtin_ids().contains(&spec) {
        return Profile::builtin(spec);
    }
    if spec.ends_with(".toml") || std::path::Path::new(spec).is_file() {
        let text = std::fs::read_to_string(spec)
            .map_err(|e| Error::Io { path: spec.to_string(), reason: format!("cannot read the profile: {e}") })?;
        return Profile::from_toml(spec, &text);
    }
    Profile::builtin(spec)
}

/// Audits returns given as `("csv", episodes, reviews, year)` or `("xml", path, year)` tuples,
/// each table `("path", path)` or `("frame", name, rows, [(column, "text"|"days", data,
/// per_day)])`. Returns a dict of output columns, rejects, superseded copies, totals and the
/// summary (see `_ssda903.py`). `prepare=False` makes the output columns on the calling thread
/// instead of the audit's workers (for the tests: the result is the same). `layout` is how the
/// columns are sent (see [`Layout`]): `"pandas"`, `"polars"` or `"bytes"`. `text_na=(na,)`
/// (pandas layout only) sends the text columns that are not looked up by value (`CHILD`,
/// `regime`, `basis`, `missed`, `note`, `reason`, `conflict`) as object arrays of `str`, an empty
/// `regime` or `missed` as `na`, and those that are (`collection_year`, `file`, `kept_file`,
/// `kept_collection_year`) as `(values, codes, objects)`, made as the audit goes (see
/// [`Objects`]).
// The arguments are the Python function's keywords.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (returns, as_at=None, profile=None, threads=None, tmp_dir=None, prepare=true, layout="bytes", text_na=None))]
pub(crate) fn audit_903_native<'py>(
    py: Python<'py>,
    returns: &Bound<'py, PyList>,
    as_at: Option<NaiveDate>,
    profile: Option<String>,
    threads: Option<usize>,
    tmp_dir: Option<PathBuf>,
    prepare: bool,
    layout: &str,
    text_na: Option<(Py<PyAny>,)>,
) -> PyResult<Bound<'py, PyDict>> {
    let layout = match layout {
        "pandas" => Layout::Pandas,
        "polars" => Layout::Polars,
        "bytes" => Layout::Bytes,
        other => return Err(invalid(py, format!("unknown layout {other:?}: pandas, polars or bytes"))),
    };
    if text_na.is_some() && layout != Layout::Pandas {
        return Err(invalid(py, "text_na is for the pandas layout".to_string()));
    }
    let text_na = text_na.map(|(na,)| na);
    let profile_id = profile.unwrap_or_else(|| "england".into());
    let profile = load_profile(&profile_id).map_err(|e| py_error(py, &e, "profile: ", None))?;
    let mut opts = AuditOptions::new(&profile);
    opts.as_at = as_at;
    if let Some(n) = threads {
        if !(1..=256).contains(&n) {
            return Err(invalid(py, format!("invalid threads {n}: a whole number from 1 to 256")));
        }
        opts.threads = n;
    }
    if let Some(d) = tmp_dir {
        opts.tmp_dir = d;
    }
    // Read the specs, and write DataFrames as CSV text (held here while the audit borrows it).
    struct Spec {
        xml: bool,
        tables: Vec<(Table, Option<String>)>,
        year: Option<i32>,
    }
    let mut specs = Vec::new();
    for r in returns.iter() {
        let r = r.cast::<PyTuple>()?;
        let kind: String = r.get_item(0)?.extract()?;
        let spec = match kind.as_str() {
            "csv" => Spec {
                xml: false,
                tables: vec![(extract_table(py, &r.get_item(1)?)?, None), (extract_table(py, &r.get_item(2)?)?, None)],
                year: r.get_item(3)?.extract()?,
            },
            "xml" => Spec {
                xml: true,
                tables: vec![(Table::Path(r.get_item(1)?.extract()?), None)],
                year: r.get_item(2)?.extract()?,
            },
            other => return Err(invalid(py, format!("unknown return kind {other:?}"))),
        };
        specs.push(spec);
    }
    let mut jobs = Vec::new();
    for s in &specs {
        for (t, _) in &s.tables {
            if let Table::Frame { name, rows, columns } = t {
                check_frame(py, name, *rows, columns)?;
                jobs.push((*rows, columns.as_slice()));
            }
        }
    }
    let texts = py.detach(|| frames_csv(&jobs, opts.threads)).ok_or_else(|| {
        invalid(py, "writing the DataFrames' columns as CSV: a thread stopped (out of memory?)".to_string())
    })?;
    let mut texts = texts.into_iter();
    for s in &mut specs {
        for (t, text) in &mut s.tables {
            if let Table::Frame { .. } = t {
                *text = texts.next();
            }
        }
    }
    let outcome = py.detach(|| {
        fn input(t: &(Table, Option<String>)) -> Input<'_> {
            match t {
                (Table::Path(p), _) => Input::Path(p.clone()),
                (Table::Frame { name, .. }, text) => {
                    Input::Text { name: name.clone(), text: text.as_deref().unwrap_or("") }
                }
            }
        }
        let inputs: Vec<ReturnInput<'_>> = specs
            .iter()
            .map(|s| {
                if s.xml {
                    ReturnInput::Xml { file: input(&s.tables[0]), year: s.year }
                } else {
                    ReturnInput::Csv { episodes: input(&s.tables[0]), reviews: input(&s.tables[1]), year: s.year }
                }
            })
            .collect();
        let mut cols = Columns::new(prepare);
        cols.objects = text_na.map(Objects::new);
        audit(inputs, &opts, &mut cols).map(|o| (o, cols))
    });
    let (outcome, mut cols) = outcome.map_err(|e| py_error(py, &e, "", None))?;
    cols.summary.keep_late();
    let out = PyDict::new(py);
    let text = cols.summary.text(&outcome, &format!("{} ({})", profile.id, profile.name), opts.as_at);
    out.set_item("summary_text", text)?;
    // Output columns: numbers as bytes, text dictionary-encoded (see `_ssda903.py`).
    cols.close();
    let tables = [PyDict::new(py), PyDict::new(py), PyDict::new(py)];
    let whole = std::mem::take(&mut cols.whole);
    let mut objects = cols.objects.take().map(|o| o.cols.into_iter());
    for ((table, name, get), w) in COLUMNS.iter().zip(whole) {
        let made = objects.as_mut().and_then(Iterator::next);
        let column = match (made, get) {
            (Some(v), Get::Text(_)) => PyArray1::from_vec(py, v).into_any(),
            // Python also looks these values up (by collection year, by file): the pair, and the
            // object array third.
            (Some(v), Get::Unique(_)) => {
                let pair = export(py, *get, w, layout)?;
                let pair = pair.cast::<PyTuple>()?;
                PyTuple::new(py, [pair.get_item(0)?, pair.get_item(1)?, PyArray1::from_vec(py, v).into_any()])?
                    .into_any()
            }
            _ => export(py, *get, w, layout)?,
        };
        tables[*table as usize].set_item(*name, column)?;
    }
    let [c, rj, sp] = tables;
    out.set_item("reviews", c)?;
    out.set_item("rejects", rj)?;
    out.set_item("superseded", sp)?;
    // Totals and figures.
    let t = &outcome.totals;
    let sources = PyList::empty(py);
    for s in &t.sources {
        let d = PyDict::new(py);
        d.set_item("file", s.file.to_string())?;
        d.set_item("table", s.table.as_str())?;
        d.set_item("collection_year", year_label(s.year))?;
        d.set_item("rows_in", s.rows_in)?;
        d.set_item("used", s.used)?;
        d.set_item("rejected", s.rejected)?;
        d.set_item("superseded", s.superseded)?;
        d.set_item("blank_lines", s.blank_lines)?;
        sources.append(d)?;
    }
    let totals = PyDict::new(py);
    totals.set_item("sources", sources)?;
    totals.set_item("balanced", t.balanced())?;
    for (k, v) in [
        ("episodes_in", t.rows_in(FileKind::Episodes)),
        ("episodes_used", t.used(FileKind::Episodes)),
        ("episodes_rejected", t.rejected(FileKind::Episodes)),
        ("episodes_superseded", t.superseded()),
        ("reviews_in", t.rows_in(FileKind::Reviews)),
        ("reviews_audited", t.reviews_audited),
        ("reviews_rejected", t.rejected(FileKind::Reviews)),
        ("reviews_assessed", t.reviews_assessed),
        ("on_assumption", t.on_assumption),
        ("overdue", t.overdue),
        ("overdue_children", t.overdue_children),
        ("overdue_not_assessable", t.overdue_not_assessable),
        ("children", t.children),
        ("periods", t.periods),
        ("periods_before_data", t.periods_before_data),
        ("periods_start_unknown", t.periods_start_unknown),
        ("never_held", t.never_held),
        ("conflicts", t.conflicts),
    ] {
        totals.set_item(k, v)?;
    }
    totals.set_item("collection_years", outcome.window.years().iter().map(|y| year_label(*y)).collect::<Vec<_>>())?;
    totals.set_item("whole_file_failures", t.whole_file_failures())?;
    let count = |c: &lac_timescales::ssda903::report::Count| -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("reviews", c.all)?;
        d.set_item("assessed", c.assessed)?;
        d.set_item("on_time", c.on_time)?;
        d.set_item("on_assumption", c.assumption)?;
        Ok(d)
    };
    totals.set_item("all", count(&cols.summary.all)?)?;
    let by_year = PyDict::new(py);
    for (y, c) in &cols.summary.by_year {
        by_year.set_item(year_label(*y), count(c)?)?;
    }
    totals.set_item("by_collection_year", by_year)?;
    let by_number = PyDict::new(py);
    for (name, c) in ["first", "second", "later", "not_known"].iter().zip(&cols.summary.by_number) {
        by_number.set_item(*name, count(c)?)?;
    }
    totals.set_item("by_review_number", by_number)?;
    let by_basis = PyDict::new(py);
    for (b, n) in &cols.summary.by_basis {
        by_basis.set_item(b.as_str(), *n)?;
    }
    totals.set_item("by_basis", by_basis)?;
    out.set_item("totals", totals)?;
    Ok(out)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(audit_903_native, m)?)?;
    m.add_function(wrap_pyfunction!(take_objects, m)?)?;
    Ok(())
}

/// `values[codes]` for an object array (numpy `take`, a reference per row): what Python gathers
/// a dictionary-encoded text column with, a few times faster than numpy's take of objects.
#[pyfunction]
pub(crate) fn take_objects<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, Py<PyAny>>,
    codes: PyReadonlyArray1<'py, u32>,
) -> PyResult<Bound<'py, PyArray1<Py<PyAny>>>> {
    let values = values.as_slice()?;
    let codes = codes.as_slice()?;
    let mut out = Vec::with_capacity(codes.len());
    for &c in codes {
        match values.get(c as usize) {
            Some(v) => out.push(v.clone_ref(py)),
            None => return Err(invalid(py, format!("code {c} out of range: {} values", values.len()))),
        }
    }
    Ok(PyArray1::from_vec(py, out))
}
