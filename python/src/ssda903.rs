//! SSDA903 audits on DataFrames and files: `audit_903_native`, called by
//! `lac_timescales/_ssda903.py`.
//!
//! A table arrives as a file path, or as columns taken from a DataFrame without a Python call per
//! value: text columns as one string with the values joined by `"\n"`, date columns as `int64`
//! ticks (numpy `datetime64`, `per_day` ticks a day). They are written out as the CSV text the
//! library reads (dates as ISO), so a DataFrame is audited by exactly the code that audits a
//! file. Results go back as columns: numbers and dates (epoch days) as `bytearray`s of
//! native-endian integers, each text column dictionary-encoded (distinct values and a `uint32`
//! code per row), so no Python object is made per row here.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use lac_timescales::export::csv_field;
use lac_timescales::profile::Profile;
use lac_timescales::ssda903::report::Summary;
use lac_timescales::ssda903::window::year_label;
use lac_timescales::ssda903::{audit, AuditOptions, AuditRow, FileKind, Input, Reject, ReturnInput, Sink, Superseded};
use lac_timescales::Error;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyDict, PyList, PyTuple};

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
    let unix = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    match chrono::TimeDelta::try_days(day).and_then(|d| unix.checked_add_signed(d)) {
        Some(d) => out.push_str(&d.to_string()),
        // Not a representable date: write the number, which the reader rejects by name.
        None => out.push_str(&day.to_string()),
    }
}

/// A DataFrame's columns as CSV text (header first), one line per row in order, so that line
/// `i + 2` is row `i`.
fn frame_csv(py: Python<'_>, name: &str, rows: usize, columns: &[(String, Column)]) -> PyResult<String> {
    // What is left to write of each text column, and whether its values go out as they are
    // (nothing to quote and no CR to strip: the usual case, checked once per column).
    let mut rest: Vec<(&str, bool)> = Vec::with_capacity(columns.len());
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
                rest.push((t.as_str(), !t.bytes().any(|b| matches!(b, b',' | b'"' | b'\r'))));
            }
            Column::Days(v, _) => {
                if v.len() != rows {
                    return Err(invalid(
                        py,
                        format!("{name}: column {colname} has {} values for {rows} rows", v.len()),
                    ));
                }
                rest.push(("", true));
            }
        }
    }
    let text_len: usize = columns.iter().map(|(_, c)| if let Column::Text(t) = c { t.len() } else { 11 * rows }).sum();
    let mut out = String::with_capacity(text_len + rows + 64);
    for (i, (colname, _)) in columns.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(&mut out, colname);
    }
    out.push('\n');
    for r in 0..rows {
        for (i, (_, c)) in columns.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match c {
                Column::Text(_) => {
                    let (t, plain) = rest[i];
                    let (v, tail) = t.split_once('\n').unwrap_or((t, ""));
                    rest[i].0 = tail;
                    if plain {
                        out.push_str(v);
                    } else {
                        csv_field(&mut out, v.strip_suffix('\r').unwrap_or(v));
                    }
                }
                Column::Days(v, per_day) => push_iso(&mut out, v[r], *per_day),
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// A text column sent to Python dictionary-encoded: its distinct values, first seen first, and a
/// code per row. Values repeat (a child has many reviews; notes and reasons follow a few
/// templates), so Python makes each distinct string once and gathers the column from the codes
/// (numpy `take`, polars `gather`) instead of making a string object per row.
#[derive(Default)]
struct Dict {
    index: HashMap<String, u32, BuildHasherDefault<Fx>>,
    values: Vec<String>,
    codes: Vec<u32>,
}

impl Dict {
    fn push(&mut self, v: &str) {
        // Rows come grouped by child, so the previous row's value is the likeliest.
        if let Some(&last) = self.codes.last() {
            if self.values[last as usize] == v {
                self.codes.push(last);
                return;
            }
        }
        let code = match self.index.get(v) {
            Some(&c) => c,
            None => {
                let c = self.values.len() as u32;
                self.values.push(v.to_string());
                self.index.insert(v.to_string(), c);
                c
            }
        };
        self.codes.push(code);
    }

    /// `(values, codes)`: a list of str and a bytearray of native-endian `uint32`.
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        (PyList::new(py, &self.values)?, bytes(py, &self.codes)?).into_pyobject(py)
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
    fn finish(&self) -> u64 {
        // The product's entropy is in its high bits; hashbrown picks buckets with the low ones
        // (which alone would follow the first bytes of a string: CHILD ids share them).
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 29)
    }
}

/// Collection-year labels (`2024-25`), dictionary-encoded: a handful of years, found by number so
/// that the label is formatted once a year rather than once a row.
#[derive(Default)]
struct Years {
    seen: Vec<(i32, u32)>,
    dict: Dict,
}

impl Years {
    fn push(&mut self, year: i32) {
        match self.seen.iter().find(|(y, _)| *y == year) {
            Some(&(_, code)) => self.dict.codes.push(code),
            None => {
                self.dict.push(&year_label(year));
                let code = self.dict.codes[self.dict.codes.len() - 1];
                self.seen.push((year, code));
            }
        }
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
raw!(i64, u32, i8, u8);

/// A column of numbers as a `bytearray` of their native-endian bytes: Python views it with
/// `numpy.frombuffer` (no copy) or `memoryview.cast`, so the result needs no numpy when the
/// caller asked for plain lists.
fn bytes<'py, T: Raw>(py: Python<'py>, v: &[T]) -> PyResult<Bound<'py, PyByteArray>> {
    PyByteArray::new_with(py, v.len() * T::SIZE, |out| {
        for (chunk, x) in out.chunks_exact_mut(T::SIZE).zip(v) {
            x.put(chunk);
        }
        Ok(())
    })
}

/// The output, column by column, and the summary's figures.
#[derive(Default)]
struct Columns {
    child: Dict,
    year: Years,
    period_start: Vec<i64>,
    regime: Dict,
    review_number: Vec<i64>,
    review: Vec<i64>,
    deadline: Vec<i64>,
    latest_working_day: Vec<i64>,
    on_time: Vec<i8>,
    working_days_late: Vec<i64>,
    calendar_days_late: Vec<i64>,
    basis: Dict,
    /// Whose deadline a late or overdue review missed (`statutory` or `local:<profile>`), else empty.
    missed: Dict,
    note: Dict,
    line: Vec<i64>,
    rejects: Rejects,
    superseded: SupersededColumns,
    summary: Summary,
    /// Scratch for formatting a value before it is looked up.
    scratch: String,
}

#[derive(Default)]
struct Rejects {
    file: Dict,
    table: Vec<u8>,
    line: Vec<i64>,
    child: Dict,
    reason: Dict,
}

#[derive(Default)]
struct SupersededColumns {
    child: Dict,
    decom: Vec<i64>,
    file: Dict,
    line: Vec<i64>,
    year: Years,
    kept_file: Dict,
    kept_line: Vec<i64>,
    kept_year: Years,
    conflict: Dict,
}

/// Days from 1 January of year 1 to 1 January 1970.
const UNIX_FROM_CE: i64 = 719_163;

/// Epoch days (NAT for none).
fn epoch(d: Option<NaiveDate>) -> i64 {
    d.map_or(NAT, |d| i64::from(d.num_days_from_ce()) - UNIX_FROM_CE)
}

impl Sink for Columns {
    fn row(&mut self, r: &AuditRow) -> std::io::Result<()> {
        self.child.push(&r.child);
        self.year.push(r.collection_year);
        self.period_start.push(epoch(r.period_start));
        self.regime.push(r.regime.map_or("", |x| x.as_str()));
        self.review_number.push(r.review_number.map_or(-1, i64::from));
        self.review.push(epoch(r.review));
        self.deadline.push(epoch(r.deadline));
        self.latest_working_day.push(epoch(r.latest_working_day));
        self.on_time.push(r.on_time.map_or(-1, i8::from));
        self.working_days_late.push(r.working_days_late.unwrap_or(NAT));
        self.calendar_days_late.push(r.calendar_days_late.unwrap_or(NAT));
        self.basis.push(r.basis.as_str());
        self.scratch.clear();
        if let Some(m) = &r.missed {
            let _ = write!(self.scratch, "{m}");
        }
        self.missed.push(&self.scratch);
        self.note.push(&r.note);
        self.line.push(r.line as i64);
        self.summary.add_row(r);
        Ok(())
    }
    fn reject(&mut self, r: &Reject) -> std::io::Result<()> {
        self.summary.add_reject(r);
        let j = &mut self.rejects;
        j.file.push(&r.file);
        j.table.push(u8::from(r.table == FileKind::Reviews));
        j.line.push(r.line as i64);
        j.child.push(&r.child);
        j.reason.push(&r.reason);
        Ok(())
    }
    fn superseded(&mut self, s: &Superseded) -> std::io::Result<()> {
        self.summary.add_superseded(s);
        let c = &mut self.superseded;
        c.child.push(&s.child);
        c.decom.push(epoch(Some(s.decom)));
        c.file.push(&s.file);
        c.line.push(s.line as i64);
        c.year.push(s.year);
        c.kept_file.push(&s.kept_file);
        c.kept_line.push(s.kept_line as i64);
        c.kept_year.push(s.kept_year);
        c.conflict.push(&s.conflict);
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
/// summary (see `_ssda903.py`).
#[pyfunction]
#[pyo3(signature = (returns, as_at=None, profile=None, threads=None, tmp_dir=None))]
pub(crate) fn audit_903_native<'py>(
    py: Python<'py>,
    returns: &Bound<'py, PyList>,
    as_at: Option<NaiveDate>,
    profile: Option<String>,
    threads: Option<usize>,
    tmp_dir: Option<PathBuf>,
) -> PyResult<Bound<'py, PyDict>> {
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
    for s in &mut specs {
        for (t, text) in &mut s.tables {
            if let Table::Frame { name, rows, columns } = t {
                *text = Some(frame_csv(py, name, *rows, columns)?);
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
        let mut cols = Columns::default();
        audit(inputs, &opts, &mut cols).map(|o| (o, cols))
    });
    let (outcome, mut cols) = outcome.map_err(|e| py_error(py, &e, "", None))?;
    cols.summary.keep_late();
    let out = PyDict::new(py);
    let text = cols.summary.text(&outcome, &format!("{} ({})", profile.id, profile.name), opts.as_at);
    out.set_item("summary_text", text)?;
    // Output columns: numbers as bytes, text dictionary-encoded (see `_ssda903.py`).
    let c = PyDict::new(py);
    c.set_item("CHILD", cols.child.to_py(py)?)?;
    c.set_item("collection_year", cols.year.dict.to_py(py)?)?;
    c.set_item("period_start", bytes(py, &cols.period_start)?)?;
    c.set_item("regime", cols.regime.to_py(py)?)?;
    c.set_item("review_number", bytes(py, &cols.review_number)?)?;
    c.set_item("REVIEW", bytes(py, &cols.review)?)?;
    c.set_item("deadline", bytes(py, &cols.deadline)?)?;
    c.set_item("latest_working_day", bytes(py, &cols.latest_working_day)?)?;
    c.set_item("on_time", bytes(py, &cols.on_time)?)?;
    c.set_item("working_days_late", bytes(py, &cols.working_days_late)?)?;
    c.set_item("calendar_days_late", bytes(py, &cols.calendar_days_late)?)?;
    c.set_item("basis", cols.basis.to_py(py)?)?;
    c.set_item("missed", cols.missed.to_py(py)?)?;
    c.set_item("note", cols.note.to_py(py)?)?;
    c.set_item("line", bytes(py, &cols.line)?)?;
    out.set_item("reviews", c)?;
    let j = &cols.rejects;
    let rj = PyDict::new(py);
    rj.set_item("file", j.file.to_py(py)?)?;
    rj.set_item("table", bytes(py, &j.table)?)?;
    rj.set_item("line", bytes(py, &j.line)?)?;
    rj.set_item("CHILD", j.child.to_py(py)?)?;
    rj.set_item("reason", j.reason.to_py(py)?)?;
    out.set_item("rejects", rj)?;
    let s = &cols.superseded;
    let sp = PyDict::new(py);
    sp.set_item("CHILD", s.child.to_py(py)?)?;
    sp.set_item("DECOM", bytes(py, &s.decom)?)?;
    sp.set_item("file", s.file.to_py(py)?)?;
    sp.set_item("line", bytes(py, &s.line)?)?;
    sp.set_item("collection_year", s.year.dict.to_py(py)?)?;
    sp.set_item("kept_file", s.kept_file.to_py(py)?)?;
    sp.set_item("kept_line", bytes(py, &s.kept_line)?)?;
    sp.set_item("kept_collection_year", s.kept_year.dict.to_py(py)?)?;
    sp.set_item("conflict", s.conflict.to_py(py)?)?;
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
        ("overdue_not_assessable", t.overdue_not_assessable),
        ("children", t.children),
        ("periods", t.periods),
        ("periods_before_data", t.periods_before_data),
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
    Ok(())
}
