//! C ABI for lac-timescales: JSON in, JSON out, for case-management systems written in C, C#/.NET,
//! Java, Python or anything else that can call a C function.
//!
//! The header is `ffi/include/lac_timescales.h` (generated from this file by cbindgen). Build the
//! library with `cargo build --release -p lac-timescales-ffi`: `liblac_timescales_ffi.so`
//! (`.dylib`, `.dll`) and `liblac_timescales_ffi.a` appear in `target/release/`.
//!
//! # Conventions
//!
//! - Every fallible function returns a [`lact_status`]. `LACT_OK` (0) is success; every other
//!   value is a failure, with fixed numbers that are never reused.
//! - Outputs go through out-parameters (pointers to caller-owned storage). An out-parameter is
//!   written only when the call succeeds. The one exception is `response_out` of
//!   [`lact_schedule_json`] and [`lact_audit_json`]: it is also written with a JSON error object
//!   when the failure is about the request (see those functions).
//! - Every pointer argument is checked: a NULL one gives `LACT_NULL_ARGUMENT` and nothing is
//!   written.
//! - After a failure, [`lact_last_error`] gives a message naming the input that was wrong. The
//!   message is per thread: each status-returning call on a thread replaces it (a success clears
//!   it).
//! - No Rust panic ever crosses the boundary: every entry point catches it and returns
//!   `LACT_PANIC` (or, for the functions without a status, a documented default). This needs the
//!   library built with `panic = "unwind"`, Cargo's default.
//! - All functions are thread-safe: they share only the built-in calendar, which is immutable
//!   once built.
//!
//! # Memory ownership
//!
//! - Strings the caller passes in (`request`) are borrowed for the duration of the call only.
//!   They must be NUL-terminated.
//! - A string the library returns through `response_out` is owned by the caller, who must release
//!   it exactly once with [`lact_string_free`] (from any thread), never with `free()`: it comes
//!   from Rust's allocator. Passing NULL to [`lact_string_free`] does nothing.
//! - [`lact_version`] returns a static string: never free it.
//! - [`lact_last_error`] copies into a buffer the caller owns.
//!
//! # Example (C)
//!
//! ```c
//! char *response = NULL;
//! lact_status st = lact_schedule_json(request, &response);
//! if (st == LACT_OK) {
//!     puts(response);                       /* the schedule, as `schedule --json` prints it */
//! } else {
//!     size_t need = lact_last_error(NULL, 0);
//!     char *msg = malloc(need);
//!     lact_last_error(msg, need);           /* e.g. "event 1 (review_held): date ..." */
//! }
//! lact_string_free(response);               /* also frees an error object; NULL is fine */
//! ```
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]
#![warn(missing_docs)]

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::{Datelike, NaiveDate};
use lac_timescales::calendar::Calendar;
use lac_timescales::json::{error_json, MAX_REQUEST_BYTES};
use lac_timescales::profile::{Profile, ProfileRegistry, MAX_PROFILE_BYTES};
use lac_timescales::{Error, ErrorKind};

/// The result of a call. The numbers are fixed: a code is never renumbered or reused for another
/// meaning, and new codes only ever get new numbers.
///
/// | Code | Value | Meaning |
/// |---|---|---|
/// | `LACT_OK` | 0 | Success. |
/// | `LACT_NULL_ARGUMENT` | 1 | A pointer argument was NULL. Nothing was written. |
/// | `LACT_INVALID_UTF8` | 2 | The request is not valid UTF-8. |
/// | `LACT_INVALID_JSON` | 3 | The request is not well-formed JSON. |
/// | `LACT_INVALID_INPUT` | 4 | A field or argument is invalid: an unknown or missing field, a wrong type, a date that does not exist, a negative count. |
/// | `LACT_DATE_OUT_OF_RANGE` | 5 | A date, or a date computed from it, is outside 1971-01-01 to 2199-12-31. |
/// | `LACT_REQUEST_TOO_LARGE` | 6 | The request is over a limit (the message names it): more than 8 MiB (`MAX_REQUEST_BYTES`), 10,000 events or 10,000 closure days; a profile over 1 MiB or 2,000 rules; a schedule over 20,000 obligations; a 1,001st registered profile. |
/// | `LACT_PANIC` | 7 | An internal error (a caught panic). Please report it with the request. |
/// | `LACT_INVALID_EVENT` | 8 | An event is invalid or impossible (the message names its index, field and value). |
/// | `LACT_INVALID_DATA` | 9 | A data document is malformed: a local profile (`profile_toml` or a profile file), including a malformed period in it. |
/// | `LACT_UNSUPPORTED` | 10 | Reserved: no call of this release returns it (the numbering stays stable). |
/// | `LACT_INTERNAL` | 11 | The library could not produce its output (should not happen). Please report it. |
/// | `LACT_OTHER_ERROR` | 12 | The request failed with an error kind this version of the C layer has no code for; the error object's `kind` names it. |
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum lact_status {
    /// Success.
    LACT_OK = 0,
    /// A pointer argument was NULL. Nothing was written.
    LACT_NULL_ARGUMENT = 1,
    /// The request is not valid UTF-8.
    LACT_INVALID_UTF8 = 2,
    /// The request is not well-formed JSON.
    LACT_INVALID_JSON = 3,
    /// A field or argument is invalid (unknown or missing field, wrong type, a date that does not
    /// exist, a negative count).
    LACT_INVALID_INPUT = 4,
    /// A date, or a date computed from it, is outside 1971-01-01 to 2199-12-31.
    LACT_DATE_OUT_OF_RANGE = 5,
    /// The request is over a limit (the message names it): more than 8 MiB, 10,000 events or
    /// 10,000 closure days; a profile over 1 MiB or 2,000 rules; a schedule over 20,000
    /// obligations; a 1,001st registered profile.
    LACT_REQUEST_TOO_LARGE = 6,
    /// An internal error (a caught panic). Please report it with the request.
    LACT_PANIC = 7,
    /// An event is invalid or impossible (the message names its index, field and value).
    LACT_INVALID_EVENT = 8,
    /// A data document is malformed: a local profile, including a malformed period in it.
    LACT_INVALID_DATA = 9,
    /// Reserved: no call of this release returns it (kept so that the numbering stays stable).
    LACT_UNSUPPORTED = 10,
    /// The library could not produce its output (should not happen). Please report it.
    LACT_INTERNAL = 11,
    /// An error kind this version of the C layer has no code for; the error object names it.
    LACT_OTHER_ERROR = 12,
}

use lact_status::*;

/// The status for an error kind of the core crate.
fn status_for_kind(kind: ErrorKind) -> lact_status {
    match kind {
        ErrorKind::InvalidInput => LACT_INVALID_INPUT,
        ErrorKind::InvalidEvent => LACT_INVALID_EVENT,
        ErrorKind::InvalidData | ErrorKind::InvalidPeriod => LACT_INVALID_DATA,
        ErrorKind::DateOutOfRange => LACT_DATE_OUT_OF_RANGE,
        ErrorKind::LimitExceeded => LACT_REQUEST_TOO_LARGE,
        _ => LACT_OTHER_ERROR,
    }
}

/// The status for an error: its kind's, except that JSON which is not well-formed has its own.
fn status_for(e: &Error) -> lact_status {
    if e.is_malformed_json() {
        LACT_INVALID_JSON
    } else {
        status_for_kind(e.kind())
    }
}

thread_local! {
    /// The message of the last failure on this thread (NUL bytes already replaced).
    static LAST_ERROR: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
}

// The last error is set and cleared with `try_with`, never `with`: these run outside the
// boundary's `catch_unwind`, and a call made while the thread is exiting (from a pthread key's
// destructor, say, after this thread-local is gone) would otherwise panic there and abort the
// caller's process. Such a call still works; it just records no message.

fn set_last_error(message: &str) {
    // A message naming user input could contain a NUL; C would stop reading there.
    let bytes = message.replace('\0', "\\0").into_bytes();
    let _ = LAST_ERROR.try_with(|e| *e.borrow_mut() = Some(bytes));
}

fn clear_last_error() {
    let _ = LAST_ERROR.try_with(|e| *e.borrow_mut() = None);
}

/// A failed call: its status and the message for [`lact_last_error`].
struct Failure {
    status: lact_status,
    message: String,
}

impl Failure {
    fn null(argument: &str) -> Failure {
        Failure { status: LACT_NULL_ARGUMENT, message: format!("argument {argument} is NULL") }
    }

    fn from_error(e: &Error) -> Failure {
        Failure { status: status_for(e), message: e.to_string() }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    format!("internal error (panic): {what}; please report it with the input")
}

/// Runs `f` at the boundary: catches a panic, records the last error, returns the status.
fn boundary(f: impl FnOnce() -> Result<(), Failure>) -> lact_status {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => {
            clear_last_error();
            LACT_OK
        }
        Ok(Err(Failure { status, message })) => {
            set_last_error(&message);
            status
        }
        Err(payload) => {
            set_last_error(&panic_message(payload.as_ref()));
            LACT_PANIC
        }
    }
}

/// The version of this library (the `lac-timescales-ffi` crate version, e.g. `"0.1.0"`), as a
/// static NUL-terminated string. Never free it. Never fails and never returns NULL.
#[no_mangle]
pub extern "C" fn lact_version() -> *const c_char {
    const VERSION: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("the crate version contains a NUL"),
    };
    VERSION.as_ptr()
}

/// JSON text (UTF-8 bytes from the core crate's `*_bytes` functions, which skip the check a
/// `String` would need) as a C string, without scanning it for NUL bytes (about one instruction
/// per byte of a response): JSON text never contains a NUL byte. Every string this crate returns
/// comes from the core crate's JSON writers (the compact response writer, serde_json for pretty
/// responses, audits and error objects), and both escape every control character, NUL included,
/// as `\u0000`; text is UTF-8, in which a 0 byte is only ever the NUL character itself. Tests
/// (`ffi/tests/ffi_props.rs`, `src/json.rs`) send NULs and control characters through. (Neither
/// fact is needed for memory safety beyond the absence of NUL bytes.)
fn json_c_string(mut bytes: Vec<u8>) -> CString {
    debug_assert!(!bytes.contains(&0), "JSON text with a NUL byte");
    debug_assert!(std::str::from_utf8(&bytes).is_ok(), "JSON text that is not UTF-8");
    bytes.reserve_exact(1);
    // SAFETY: `bytes` contains no NUL byte, as argued above (and checked in debug builds).
    unsafe { CString::from_vec_unchecked(bytes) }
}

/// The shared body of the JSON entry points.
///
/// # Safety
/// As [`lact_schedule_json`].
unsafe fn json_call(
    request: *const c_char,
    response_out: *mut *mut c_char,
    call: fn(&str, &ProfileRegistry) -> Result<Vec<u8>, Error>,
) -> lact_status {
    boundary(|| {
        if request.is_null() {
            return Err(Failure::null("request"));
        }
        if response_out.is_null() {
            return Err(Failure::null("response_out"));
        }
        // SAFETY: `request` is not NULL (checked above), and the caller guarantees that it points
        // to a NUL-terminated string that stays valid and unchanged for the whole call.
        let bytes = unsafe { CStr::from_ptr(request) }.to_bytes();
        // The C layer's own checks (size before anything is read, then UTF-8), then the call.
        let outcome = if bytes.len() > MAX_REQUEST_BYTES {
            let e = Error::LimitExceeded {
                what: "request size in bytes".into(),
                actual: bytes.len(),
                limit: MAX_REQUEST_BYTES,
            };
            Err((LACT_REQUEST_TOO_LARGE, e))
        } else {
            match std::str::from_utf8(bytes) {
                Err(u) => Err((
                    LACT_INVALID_UTF8,
                    Error::InvalidInput {
                        field: "request".into(),
                        value: format!("byte {}", u.valid_up_to()),
                        reason: "the request is not valid UTF-8".into(),
                    },
                )),
                Ok(text) => call(text, ProfileRegistry::global()).map_err(|e| (status_for(&e), e)),
            }
        };
        let (status, body, message) = match outcome {
            Ok(json) => (LACT_OK, json, String::new()),
            Err((status, e)) => (status, error_json(&e).into_bytes(), e.to_string()),
        };
        let body = json_c_string(body);
        // SAFETY: `response_out` is not NULL (checked above), and the caller guarantees that it
        // points to writable storage for one `char *`, suitably aligned.
        unsafe { response_out.write(body.into_raw()) };
        if status == LACT_OK {
            Ok(())
        } else {
            Err(Failure { status, message })
        }
    })
}

/// Computes a schedule: `request` is the JSON request of `schedule --json` (see the README and
/// `ffi/schema/schedule-request.schema.json`).
///
/// On `LACT_OK`, `*response_out` is set to a new NUL-terminated UTF-8 string holding the response
/// JSON, exactly as `cargo run --example schedule -- --json` prints it
/// (`ffi/schema/schedule-response.schema.json`).
///
/// On `LACT_INVALID_UTF8`, `LACT_INVALID_JSON`, `LACT_INVALID_INPUT`, `LACT_INVALID_EVENT`,
/// `LACT_INVALID_DATA`, `LACT_DATE_OUT_OF_RANGE`, `LACT_REQUEST_TOO_LARGE`, `LACT_UNSUPPORTED` and
/// `LACT_OTHER_ERROR`, `*response_out` is set to a new string holding the error object
/// `{"error": {"kind": "...", "message": "..."}}` (the same object `schedule --json` prints; for
/// invalid UTF-8 and an oversized request the C layer makes it, with kinds `invalid_input` and
/// `limit_exceeded`).
///
/// In both cases the caller owns the string and must release it with [`lact_string_free`].
/// On `LACT_NULL_ARGUMENT`, `LACT_PANIC` and `LACT_INTERNAL`, `*response_out` is not written.
/// After any failure, [`lact_last_error`] gives the message.
///
/// # Safety
/// `request` must be NULL or point to a NUL-terminated string that stays valid and unchanged
/// during the call. `response_out` must be NULL or point to writable storage for one `char *`.
#[no_mangle]
pub unsafe extern "C" fn lact_schedule_json(request: *const c_char, response_out: *mut *mut c_char) -> lact_status {
    // SAFETY: the caller's guarantees are exactly those `json_call` needs.
    unsafe { json_call(request, response_out, lac_timescales::json::schedule_json_bytes_with) }
}

/// Runs a compliance audit: `request` is the audit request JSON; on success `*response_out`
/// holds the audit response JSON. Statuses, the error object and memory ownership are exactly as
/// for [`lact_schedule_json`]. The request is the schedule request (`as_at` is the audit date);
/// the response is the JSON of `lac_timescales::json::audit_json`.
///
/// # Safety
/// As [`lact_schedule_json`].
#[no_mangle]
pub unsafe extern "C" fn lact_audit_json(request: *const c_char, response_out: *mut *mut c_char) -> lact_status {
    // SAFETY: the caller's guarantees are exactly those `json_call` needs.
    unsafe { json_call(request, response_out, lac_timescales::json::audit_json_bytes_with) }
}

/// Registers a local profile for this process: afterwards a request's `"profile": "<id>"` names
/// it, at [`lact_schedule_json`] and [`lact_audit_json`] on every thread. `toml` is the profile
/// text (as in `data/profiles/local/`, at most 1 MiB) and `id` must equal its `id` field.
/// Registering an id again replaces the profile; built-in ids (`england`, `dudley`, ...) cannot
/// be registered. Requests never read files: this is how a host program gives its councils'
/// profiles by name (a request can also carry one inline as `profile_toml`).
///
/// Returns `LACT_OK`; `LACT_NULL_ARGUMENT`; `LACT_INVALID_UTF8`; `LACT_REQUEST_TOO_LARGE` (over
/// 1 MiB, or more than 1,000 registered profiles; replacing a registered id is always allowed);
/// `LACT_INVALID_DATA` (the profile is malformed: the message names the line and value; this
/// includes an `id` field that is not lower-case letters, digits and `-`, or is a statutory
/// profile's id, `england` or `wales`); `LACT_INVALID_INPUT` (`id` differs from the profile's id,
/// or is a built-in local profile's, such as `dudley`); or `LACT_PANIC`. Nothing is registered on
/// failure.
///
/// # Safety
/// `id` and `toml` must be NULL or point to NUL-terminated strings that stay valid and unchanged
/// during the call.
#[no_mangle]
pub unsafe extern "C" fn lact_register_profile(id: *const c_char, toml: *const c_char) -> lact_status {
    boundary(|| {
        if id.is_null() {
            return Err(Failure::null("id"));
        }
        if toml.is_null() {
            return Err(Failure::null("toml"));
        }
        // SAFETY: both are not NULL (checked above), and the caller guarantees NUL-terminated
        // strings that stay valid and unchanged for the whole call.
        let (id, toml) = unsafe { (CStr::from_ptr(id).to_bytes(), CStr::from_ptr(toml).to_bytes()) };
        let id = utf8(id, "id")?;
        if toml.len() > MAX_PROFILE_BYTES {
            return Err(Failure::from_error(&Error::LimitExceeded {
                what: "toml size in bytes".into(),
                actual: toml.len(),
                limit: MAX_PROFILE_BYTES,
            }));
        }
        let toml = utf8(toml, "toml")?;
        let profile = Profile::from_toml(id, toml).map_err(|e| Failure::from_error(&e))?;
        if profile.id != id {
            return Err(Failure::from_error(&Error::InvalidInput {
                field: "id".into(),
                value: id.chars().take(100).collect(),
                reason: format!("the profile's own id is {:?}: they must be the same", profile.id),
            }));
        }
        ProfileRegistry::global().register(profile).map_err(|e| Failure::from_error(&e))
    })
}

/// Removes a profile registered with [`lact_register_profile`]. Writes 1 to `*removed_out` when
/// there was one, else 0. Returns `LACT_OK`, `LACT_NULL_ARGUMENT`, `LACT_INVALID_UTF8` or
/// `LACT_PANIC`.
///
/// # Safety
/// `id` must be NULL or point to a NUL-terminated string; `removed_out` must be NULL or point to a
/// writable `int32_t`.
#[no_mangle]
pub unsafe extern "C" fn lact_unregister_profile(id: *const c_char, removed_out: *mut i32) -> lact_status {
    boundary(|| {
        if id.is_null() {
            return Err(Failure::null("id"));
        }
        if removed_out.is_null() {
            return Err(Failure::null("removed_out"));
        }
        // SAFETY: `id` is not NULL (checked above) and the caller guarantees a NUL-terminated
        // string that stays valid for the call.
        let id = utf8(unsafe { CStr::from_ptr(id) }.to_bytes(), "id")?;
        let removed = ProfileRegistry::global().unregister(id);
        // SAFETY: `removed_out` is not NULL (checked above) and the caller guarantees it points to
        // a writable, aligned `int32_t`.
        unsafe { removed_out.write(i32::from(removed)) };
        Ok(())
    })
}

/// `bytes` as UTF-8, or an `LACT_INVALID_UTF8` failure naming `argument`.
fn utf8<'a>(bytes: &'a [u8], argument: &str) -> Result<&'a str, Failure> {
    std::str::from_utf8(bytes).map_err(|u| Failure {
        status: LACT_INVALID_UTF8,
        message: format!("argument {argument} is not valid UTF-8 (at byte {})", u.valid_up_to()),
    })
}

/// Releases a string returned through `response_out`. NULL does nothing.
///
/// Never panics across the boundary; a caught panic is ignored (and the string leaked).
///
/// # Safety
/// `s` must be NULL or a pointer returned by this library through `response_out` that has not
/// been freed yet. Freeing it twice, or freeing anything else, is undefined behaviour.
#[no_mangle]
pub unsafe extern "C" fn lact_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller guarantees `s` came from `CString::into_raw` in this library (every
        // string handed out goes through `json_call`) and has not been freed.
        drop(unsafe { CString::from_raw(s) });
    }));
}

/// Copies the message of the last failure on this thread into `buf`, NUL-terminated, and returns
/// the buffer size the whole message needs: its length in bytes plus one for the NUL.
///
/// - No failure recorded (no call yet, or the last call succeeded): returns 0 and, when `buf` is
///   not NULL and `len` is at least 1, writes an empty string.
/// - `buf` is NULL or `len` is 0: writes nothing; returns the size needed. Use this to size a
///   buffer.
/// - `len` is at least the size needed: writes the whole message and its NUL; returns the size.
/// - `len` is too small (but at least 1): the message is never truncated. Writes an empty string
///   (`buf[0] = '\0'`) and returns the size needed, which is greater than `len`: call again with
///   a bigger buffer.
///
/// The message is UTF-8 and names the offending input. Reading it does not clear it. Returns 0 if
/// an internal panic was caught, and in a call made while the thread is exiting (from a thread
/// key's destructor, once this library's thread-local storage is gone: calls made there work but
/// record no message).
///
/// # Safety
/// `buf` must be NULL or point to `len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn lact_last_error(buf: *mut c_char, len: usize) -> usize {
    catch_unwind(AssertUnwindSafe(|| {
        let read = LAST_ERROR.try_with(|e| {
            let e = e.borrow();
            let (needed, message) = match e.as_deref() {
                None => (0, &[][..]),
                Some(m) => (m.len() + 1, m),
            };
            if buf.is_null() || len == 0 {
                return needed;
            }
            if needed != 0 && len >= needed {
                // SAFETY: `buf` is not NULL and the caller guarantees `len` writable bytes;
                // `message.len() + 1 == needed <= len`, and `message` (Rust-owned) cannot overlap
                // the caller's buffer.
                unsafe {
                    std::ptr::copy_nonoverlapping(message.as_ptr(), buf.cast::<u8>(), message.len());
                    buf.add(message.len()).write(0);
                }
            } else {
                // SAFETY: `buf` is not NULL and `len >= 1`, so its first byte is writable.
                unsafe { buf.write(0) };
            }
            needed
        });
        // The thread is exiting and its message is gone: as when no failure is recorded.
        read.unwrap_or_else(|_| {
            if !buf.is_null() && len >= 1 {
                // SAFETY: `buf` is not NULL and `len >= 1`, so its first byte is writable.
                unsafe { buf.write(0) };
            }
            0
        })
    }))
    .unwrap_or(0)
}

/// A date from C arguments, or a failure naming it: `LACT_INVALID_INPUT` for a day that does not
/// exist (2026-02-29, month 13), `LACT_DATE_OUT_OF_RANGE` for a real day in a year too far from the
/// calendar for chrono to hold it (e.g. year 2147483647: the same status as for year 2200).
fn date_from(year: i32, month: i32, day: i32) -> Result<NaiveDate, Failure> {
    let date =
        u32::try_from(month).ok().zip(u32::try_from(day).ok()).and_then(|(m, d)| NaiveDate::from_ymd_opt(year, m, d));
    date.ok_or_else(|| {
        let value = format!("{year:04}-{month:02}-{day:02}");
        // The same month and day in a year of the same kind (leap or not) that chrono holds.
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let exists = u32::try_from(month)
            .ok()
            .zip(u32::try_from(day).ok())
            .and_then(|(m, d)| NaiveDate::from_ymd_opt(if leap { 2000 } else { 2001 }, m, d))
            .is_some();
        if exists {
            Failure {
                status: LACT_DATE_OUT_OF_RANGE,
                message: format!("date {value} is outside the supported range 1971-01-01 to 2199-12-31"),
            }
        } else {
            Failure::from_error(&Error::InvalidInput {
                field: "date".into(),
                value,
                reason: "no such day in the calendar".into(),
            })
        }
    })
}

fn count_from(n: i32) -> Result<u32, Failure> {
    u32::try_from(n).map_err(|_| {
        Failure::from_error(&Error::InvalidInput {
            field: "n".into(),
            value: n.to_string(),
            reason: "the number of working days must not be negative".into(),
        })
    })
}

/// The shared body of the working-day offset functions.
///
/// # Safety
/// As [`lact_add_working_days`].
#[allow(clippy::too_many_arguments)]
unsafe fn offset_call(
    year: i32,
    month: i32,
    day: i32,
    n: i32,
    year_out: *mut i32,
    month_out: *mut i32,
    day_out: *mut i32,
    forward: bool,
) -> lact_status {
    boundary(|| {
        for (name, p) in [("year_out", year_out), ("month_out", month_out), ("day_out", day_out)] {
            if p.is_null() {
                return Err(Failure::null(name));
            }
        }
        let date = date_from(year, month, day)?;
        let n = count_from(n)?;
        let cal = Calendar::england_and_wales();
        let result = if forward { cal.add_working_days(date, n) } else { cal.sub_working_days(date, n) };
        let result = result.map_err(|e| Failure::from_error(&e))?;
        // Year is within 1971..=2199, month 1..=12, day 1..=31: all fit in i32.
        let (y, m, d) = (result.year(), result.month() as i32, result.day() as i32);
        // SAFETY: the three pointers are not NULL (checked above), and the caller guarantees each
        // points to a writable, aligned `int32_t`.
        unsafe {
            year_out.write(y);
            month_out.write(m);
            day_out.write(d);
        }
        Ok(())
    })
}

/// The `n`-th working day after `year-month-day` in England and Wales: the deadline for "within
/// `n` working days of" that date. The date itself is day 0 and never counts (it may be a weekend
/// or holiday); `n = 0` gives the date itself. E.g. 2026-12-24 plus 20 is 2027-01-26.
///
/// On `LACT_OK` writes the result to `*year_out`, `*month_out` (1-12) and `*day_out` (1-31);
/// on failure writes nothing. Fails with `LACT_NULL_ARGUMENT`, `LACT_INVALID_INPUT` (no such date,
/// or `n < 0`), `LACT_DATE_OUT_OF_RANGE` (the date or the result is outside 1971-01-01 to
/// 2199-12-31) or `LACT_PANIC`.
///
/// # Safety
/// Each out-pointer must be NULL or point to a writable `int32_t`.
#[no_mangle]
pub unsafe extern "C" fn lact_add_working_days(
    year: i32,
    month: i32,
    day: i32,
    n: i32,
    year_out: *mut i32,
    month_out: *mut i32,
    day_out: *mut i32,
) -> lact_status {
    // SAFETY: the caller's guarantees are exactly those `offset_call` needs.
    unsafe { offset_call(year, month, day, n, year_out, month_out, day_out, true) }
}

/// The `n`-th working day before `year-month-day`: the deadline for "at least `n` working days
/// before" that date (the date itself never counts). E.g. 2026-04-07 minus 3 is 2026-03-31
/// (Easter Monday and Good Friday are skipped). Outputs and statuses as
/// [`lact_add_working_days`].
///
/// # Safety
/// Each out-pointer must be NULL or point to a writable `int32_t`.
#[no_mangle]
pub unsafe extern "C" fn lact_sub_working_days(
    year: i32,
    month: i32,
    day: i32,
    n: i32,
    year_out: *mut i32,
    month_out: *mut i32,
    day_out: *mut i32,
) -> lact_status {
    // SAFETY: the caller's guarantees are exactly those `offset_call` needs.
    unsafe { offset_call(year, month, day, n, year_out, month_out, day_out, false) }
}

/// Whether `year-month-day` is a working day in England and Wales (not a Saturday, Sunday,
/// Christmas Day, Good Friday or bank holiday).
///
/// On `LACT_OK` writes 1 (working day) or 0 to `*is_working_out` (an `int32_t`, not a C `bool`,
/// so that every language's marshalling agrees on its size); on failure writes nothing. Fails with
/// `LACT_NULL_ARGUMENT`, `LACT_INVALID_INPUT` (no such date), `LACT_DATE_OUT_OF_RANGE` or
/// `LACT_PANIC`.
///
/// # Safety
/// `is_working_out` must be NULL or point to a writable `int32_t`.
#[no_mangle]
pub unsafe extern "C" fn lact_is_working_day(year: i32, month: i32, day: i32, is_working_out: *mut i32) -> lact_status {
    boundary(|| {
        if is_working_out.is_null() {
            return Err(Failure::null("is_working_out"));
        }
        let date = date_from(year, month, day)?;
        let working = Calendar::england_and_wales().is_working_day(date).map_err(|e| Failure::from_error(&e))?;
        // SAFETY: `is_working_out` is not NULL (checked above), and the caller guarantees it points
        // to a writable, aligned `int32_t`.
        unsafe { is_working_out.write(i32::from(working)) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last_error() -> Option<String> {
        // SAFETY: NULL with length 0 is allowed.
        let need = unsafe { lact_last_error(std::ptr::null_mut(), 0) };
        if need == 0 {
            return None;
        }
        let mut buf = vec![0u8; need];
        // SAFETY: `buf` has `need` writable bytes.
        let got = unsafe { lact_last_error(buf.as_mut_ptr().cast(), buf.len()) };
        assert_eq!(got, need);
        assert_eq!(buf[need - 1], 0);
        buf.pop();
        Some(String::from_utf8(buf).unwrap())
    }

    #[test]
    fn a_panic_becomes_lact_panic_with_a_message() {
        let status = boundary(|| panic!("boom at the boundary"));
        assert_eq!(status, LACT_PANIC);
        let message = last_error().unwrap();
        assert!(message.contains("boom at the boundary"), "{message}");
        // A later success clears it.
        assert_eq!(boundary(|| Ok(())), LACT_OK);
        assert_eq!(last_error(), None);
    }

    #[test]
    fn every_error_kind_has_its_own_code() {
        use lac_timescales::ErrorKind as K;
        assert_eq!(status_for_kind(K::InvalidInput), LACT_INVALID_INPUT);
        assert_eq!(status_for_kind(K::InvalidEvent), LACT_INVALID_EVENT);
        assert_eq!(status_for_kind(K::InvalidData), LACT_INVALID_DATA);
        assert_eq!(status_for_kind(K::InvalidPeriod), LACT_INVALID_DATA);
        assert_eq!(status_for_kind(K::DateOutOfRange), LACT_DATE_OUT_OF_RANGE);
        assert_eq!(status_for_kind(K::LimitExceeded), LACT_REQUEST_TOO_LARGE);
        // Well-formed JSON of the wrong shape is invalid input; JSON that is not well-formed has
        // its own code, told apart by the typed error (no re-parsing).
        let shape = lac_timescales::json::schedule_json("[1]").unwrap_err();
        assert_eq!(status_for(&shape), LACT_INVALID_INPUT);
        let syntax = lac_timescales::json::schedule_json("{\"jurisdiction\": ").unwrap_err();
        assert_eq!(status_for(&syntax), LACT_INVALID_JSON);
        assert_eq!(syntax.kind(), K::InvalidInput);
    }

    #[test]
    fn the_numbers_are_fixed() {
        let expected = [
            (LACT_OK, 0),
            (LACT_NULL_ARGUMENT, 1),
            (LACT_INVALID_UTF8, 2),
            (LACT_INVALID_JSON, 3),
            (LACT_INVALID_INPUT, 4),
            (LACT_DATE_OUT_OF_RANGE, 5),
            (LACT_REQUEST_TOO_LARGE, 6),
            (LACT_PANIC, 7),
            (LACT_INVALID_EVENT, 8),
            (LACT_INVALID_DATA, 9),
            (LACT_UNSUPPORTED, 10),
            (LACT_INTERNAL, 11),
            (LACT_OTHER_ERROR, 12),
        ];
        for (status, n) in expected {
            assert_eq!(status as i32, n, "{status:?}");
        }
    }

    #[test]
    fn nul_bytes_in_a_message_are_escaped() {
        set_last_error("value \"a\0b\"");
        assert_eq!(last_error().unwrap(), "value \"a\\0b\"");
        clear_last_error();
    }

    #[test]
    fn the_version_is_the_crate_version() {
        // SAFETY: lact_version returns a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(lact_version()) };
        assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    }
}
