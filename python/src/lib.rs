//! `lac_timescales._native`: the Rust side of the Python package. The public API, its
//! documentation and the conversions between Python types live in `lac_timescales/*.py`; this
//! module works on plain values and on numpy arrays in place.
//!
//! Dates cross as epoch days (days since 1970-01-01) in `int64` arrays: a numpy `datetime64`
//! array viewed as `int64`, with `per_day` ticks a day (1 for `[D]`, 86,400,000,000,000 for
//! `[ns]`), so no array is converted on the Python side. `NaT` (`i64::MIN`) gives `NaT` (or a
//! missing mark). No `unsafe` here: PyO3's and numpy's macros and safe wrappers only.

use chrono::NaiveDate;
use lac_timescales::calendar::{table_csv, table_sql, Calendar};
use lac_timescales::Error;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

mod ssda903;

/// numpy's `NaT` as an `int64`.
pub(crate) const NAT: i64 = i64::MIN;

/// The Python exception for a library error: the class of `lac_timescales._errors` named by the
/// error's kind, with the library's message (prefixed by `context`, e.g. `dates[3]: `) and the
/// element's index when there is one.
pub(crate) fn py_error(py: Python<'_>, e: &Error, context: &str, index: Option<usize>) -> PyErr {
    error_of_kind(py, e.kind().as_str(), &format!("{context}{e}"), index)
}

/// An exception of the package's class for `kind` (see `_errors.py`).
pub(crate) fn error_of_kind(py: Python<'_>, kind: &str, message: &str, index: Option<usize>) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let module = py.import("lac_timescales._errors")?;
        let class = module.getattr("error_class")?.call1((kind,))?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("index", index)?;
        let exc = class.call((message,), Some(&kwargs))?;
        Ok(PyErr::from_value(exc))
    };
    make().unwrap_or_else(|err| err)
}

/// Where element `i` of an argument of length `len` comes from: a scalar (length 1) broadcasts.
#[inline]
fn at(len: usize, i: usize) -> usize {
    if len == 1 {
        0
    } else {
        i
    }
}

fn check_lengths(py: Python<'_>, names: (&str, &str), a: usize, b: usize) -> PyResult<usize> {
    if a == b || b == 1 {
        Ok(a)
    } else if a == 1 {
        Ok(b)
    } else {
        Err(error_of_kind(
            py,
            "invalid_input",
            &format!("{} has {a} elements but {} has {b}: give the same length, or a single value", names.0, names.1),
            None,
        ))
    }
}

fn check_per_day(per_day: i64) -> PyResult<i64> {
    if per_day >= 1 {
        Ok(per_day)
    } else {
        Err(PyValueError::new_err(format!("per_day must be at least 1, got {per_day}")))
    }
}

/// Why element `i` failed: a library error, or an offset too large to negate.
enum Failure {
    Lib(usize, Error),
    Offset(usize, i64),
}

fn failure_to_py(py: Python<'_>, f: Failure, dates: &str, n: &str) -> PyErr {
    match f {
        Failure::Lib(i, e) => py_error(py, &e, &format!("{dates}[{i}]: "), Some(i)),
        Failure::Offset(i, v) => error_of_kind(
            py,
            "invalid_input",
            &format!("{n}[{i}]: offset {v} is too large (at most {} working days either way)", u32::MAX),
            Some(i),
        ),
    }
}

/// The `n`-th working day after (sign 1) or before (sign -1) each date, in the dates' own
/// ticks. `n` has one element (used for every date) or one per date.
#[pyfunction]
#[pyo3(signature = (dates, per_day, n, sign, names))]
fn offset_array<'py>(
    py: Python<'py>,
    dates: PyReadonlyArray1<'py, i64>,
    per_day: i64,
    n: PyReadonlyArray1<'py, i64>,
    sign: i64,
    names: (String, String),
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let per_day = check_per_day(per_day)?;
    let (d, k) = (dates.as_slice()?, n.as_slice()?);
    let len = check_lengths(py, (&names.0, &names.1), d.len(), k.len())?;
    let cal = Calendar::england_and_wales();
    let result = py.detach(|| -> Result<Vec<i64>, Failure> {
        let mut out = Vec::with_capacity(len);
        for i in 0..len {
            let day = d[at(d.len(), i)];
            if day == NAT {
                out.push(NAT);
                continue;
            }
            let day = if per_day == 1 { day } else { day.div_euclid(per_day) };
            let raw = k[at(k.len(), i)];
            let by = raw.checked_mul(sign).ok_or(Failure::Offset(i, raw))?;
            match cal.offset_epoch_day(day, by) {
                Ok(r) => out.push(r * per_day),
                Err(e) => return Err(Failure::Lib(i, e)),
            }
        }
        Ok(out)
    });
    match result {
        Ok(v) => Ok(PyArray1::from_vec(py, v)),
        Err(f) => Err(failure_to_py(py, f, &names.0, &names.1)),
    }
}

/// Whether each date is a working day, and which were `NaT` (`None` when none were).
#[pyfunction]
#[pyo3(signature = (dates, per_day, name))]
#[allow(clippy::type_complexity)]
fn is_working_array<'py>(
    py: Python<'py>,
    dates: PyReadonlyArray1<'py, i64>,
    per_day: i64,
    name: String,
) -> PyResult<(Bound<'py, PyArray1<bool>>, Option<Bound<'py, PyArray1<bool>>>)> {
    let per_day = check_per_day(per_day)?;
    let d = dates.as_slice()?;
    let cal = Calendar::england_and_wales();
    let result = py.detach(|| -> Result<(Vec<bool>, Option<Vec<bool>>), (usize, Error)> {
        let mut out = Vec::with_capacity(d.len());
        let mut missing: Option<Vec<bool>> = None;
        for (i, &day) in d.iter().enumerate() {
            if day == NAT {
                missing.get_or_insert_with(|| vec![false; d.len()])[i] = true;
                out.push(false);
                continue;
            }
            let day = if per_day == 1 { day } else { day.div_euclid(per_day) };
            out.push(cal.is_working_epoch_day(day).map_err(|e| (i, e))?);
        }
        Ok((out, missing))
    });
    match result {
        Ok((v, m)) => Ok((PyArray1::from_vec(py, v), m.map(|m| PyArray1::from_vec(py, m)))),
        Err((i, e)) => Err(py_error(py, &e, &format!("{name}[{i}]: "), Some(i))),
    }
}

/// Working days `x` with `a < x <= b` for each pair (either may have one element), and which
/// pairs had a `NaT` (`None` when none did).
#[pyfunction]
#[pyo3(signature = (a, per_day_a, b, per_day_b, names))]
#[allow(clippy::type_complexity)]
fn between_array<'py>(
    py: Python<'py>,
    a: PyReadonlyArray1<'py, i64>,
    per_day_a: i64,
    b: PyReadonlyArray1<'py, i64>,
    per_day_b: i64,
    names: (String, String),
) -> PyResult<(Bound<'py, PyArray1<i64>>, Option<Bound<'py, PyArray1<bool>>>)> {
    let (pa, pb) = (check_per_day(per_day_a)?, check_per_day(per_day_b)?);
    let (x, y) = (a.as_slice()?, b.as_slice()?);
    let len = check_lengths(py, (&names.0, &names.1), x.len(), y.len())?;
    let cal = Calendar::england_and_wales();
    let result = py.detach(|| -> Result<(Vec<i64>, Option<Vec<bool>>), (usize, bool, Error)> {
        let mut out = Vec::with_capacity(len);
        let mut missing: Option<Vec<bool>> = None;
        for i in 0..len {
            let (da, db) = (x[at(x.len(), i)], y[at(y.len(), i)]);
            if da == NAT || db == NAT {
                missing.get_or_insert_with(|| vec![false; len])[i] = true;
                out.push(0);
                continue;
            }
            let da = if pa == 1 { da } else { da.div_euclid(pa) };
            let db = if pb == 1 { db } else { db.div_euclid(pb) };
            match cal.working_days_between_epoch_days(da, db) {
                Ok(v) => out.push(v),
                Err(e) => {
                    // Name the argument whose date is out of range.
                    let first = cal.is_working_epoch_day(da).is_err();
                    return Err((i, first, e));
                }
            }
        }
        Ok((out, missing))
    });
    match result {
        Ok((v, m)) => Ok((PyArray1::from_vec(py, v), m.map(|m| PyArray1::from_vec(py, m)))),
        Err((i, first, e)) => {
            let name = if first { &names.0 } else { &names.1 };
            Err(py_error(py, &e, &format!("{name}[{i}]: "), Some(i)))
        }
    }
}

/// The `n`-th working day after (`n > 0`) or before (`n < 0`) one date.
#[pyfunction]
#[pyo3(signature = (date, n, names))]
fn offset_date(py: Python<'_>, date: NaiveDate, n: i64, names: (String, String)) -> PyResult<NaiveDate> {
    // Through the epoch-day arithmetic, so a single date fails exactly as an array element does.
    let unix = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let day = (date - unix).num_days();
    let r = Calendar::england_and_wales().offset_epoch_day(day, n);
    r.map(|r| unix + chrono::TimeDelta::days(r)).map_err(|e| py_error(py, &e, &format!("{}: ", names.0), None))
}

/// Whether one date is a working day.
#[pyfunction]
#[pyo3(signature = (date, name))]
fn is_working_date(py: Python<'_>, date: NaiveDate, name: String) -> PyResult<bool> {
    Calendar::england_and_wales().is_working_day(date).map_err(|e| py_error(py, &e, &format!("{name}: "), None))
}

/// Working days `x` with `a < x <= b`.
#[pyfunction]
#[pyo3(signature = (a, b, names))]
fn between_dates(py: Python<'_>, a: NaiveDate, b: NaiveDate, names: (String, String)) -> PyResult<i64> {
    let cal = Calendar::england_and_wales();
    cal.working_days_between(a, b).map_err(|e| {
        let name = if cal.check_in_range(a).is_err() { &names.0 } else { &names.1 };
        py_error(py, &e, &format!("{name}: "), None)
    })
}

/// The calendar table as columns of Python lists: dates, working_day, working_day_number,
/// holiday ("" when none), provisional.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn table_columns(
    py: Python<'_>,
    first_year: i32,
    last_year: i32,
) -> PyResult<(Vec<NaiveDate>, Vec<bool>, Vec<u32>, Vec<String>, Vec<bool>)> {
    let rows = Calendar::england_and_wales().table(first_year, last_year).map_err(|e| py_error(py, &e, "", None))?;
    let mut cols = (
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
    );
    for r in rows {
        cols.0.push(r.date);
        cols.1.push(r.working_day);
        cols.2.push(r.working_day_number);
        cols.3.push(r.holiday.unwrap_or_default());
        cols.4.push(r.provisional);
    }
    Ok(cols)
}

/// The calendar table as CSV or SQL text (the same text as the `calendar table` example).
#[pyfunction]
#[pyo3(signature = (first_year, last_year, format, table_name))]
fn table_text(py: Python<'_>, first_year: i32, last_year: i32, format: &str, table_name: &str) -> PyResult<String> {
    let rows = Calendar::england_and_wales().table(first_year, last_year).map_err(|e| py_error(py, &e, "", None))?;
    match format {
        "csv" => Ok(table_csv(&rows)),
        "sql" => table_sql(&rows, table_name).map_err(|e| py_error(py, &e, "", None)),
        other => Err(error_of_kind(
            py,
            "invalid_input",
            &format!("invalid output {other:?}: expected one of columns, pandas, polars, csv, sql"),
            None,
        )),
    }
}

/// The calendar's data versions, as a JSON object text.
#[pyfunction]
fn calendar_version() -> PyResult<String> {
    serde_json::to_string(Calendar::england_and_wales().version()).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// A schedule request (JSON text) to its response (JSON text), as the JSON API.
#[pyfunction]
fn schedule_json(py: Python<'_>, request: &str) -> PyResult<String> {
    py.detach(|| lac_timescales::json::schedule_json(request)).map_err(|e| py_error(py, &e, "", None))
}

/// An audit request (JSON text) to its response (JSON text), as the JSON API.
#[pyfunction]
fn audit_json(py: Python<'_>, request: &str) -> PyResult<String> {
    py.detach(|| lac_timescales::json::audit_json(request)).map_err(|e| py_error(py, &e, "", None))
}

/// The version of the Rust library inside.
#[pyfunction]
fn library_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(offset_array, m)?)?;
    m.add_function(wrap_pyfunction!(is_working_array, m)?)?;
    m.add_function(wrap_pyfunction!(between_array, m)?)?;
    m.add_function(wrap_pyfunction!(offset_date, m)?)?;
    m.add_function(wrap_pyfunction!(is_working_date, m)?)?;
    m.add_function(wrap_pyfunction!(between_dates, m)?)?;
    m.add_function(wrap_pyfunction!(table_columns, m)?)?;
    m.add_function(wrap_pyfunction!(table_text, m)?)?;
    m.add_function(wrap_pyfunction!(calendar_version, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_json, m)?)?;
    m.add_function(wrap_pyfunction!(audit_json, m)?)?;
    m.add_function(wrap_pyfunction!(library_version, m)?)?;
    ssda903::register(m)?;
    Ok(())
}
