//! The one public error type.
//!
//! Every error names the input that was wrong (a date, a field, an event index, a file and line)
//! and carries an [`ErrorKind`] so that callers and language bindings can branch on the kind of
//! failure without parsing messages. Kinds have fixed names (see [`ErrorKind::as_str`]) that are
//! never reused for something else.

use chrono::NaiveDate;

/// Everything that can go wrong in this crate.
///
/// Messages say what was wrong and with which value. Use [`Error::kind`] to branch.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use lac_timescales::{calendar::Calendar, ErrorKind};
///
/// let cal = Calendar::england_and_wales();
/// let err = cal.add_working_days(NaiveDate::from_ymd_opt(1970, 12, 31).unwrap(), 1).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::DateOutOfRange);
/// assert!(err.to_string().contains("1970-12-31"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A date given to the library lies outside the calendar's supported range.
    #[error("date {date} is outside the supported range {first} to {last}")]
    DateOutOfRange {
        /// The offending date.
        date: NaiveDate,
        /// First supported date.
        first: NaiveDate,
        /// Last supported date.
        last: NaiveDate,
    },
    /// A computed date (an offset from a valid date) would fall outside the supported range.
    #[error("{what} {date} falls outside the supported range {first} to {last}")]
    ResultOutOfRange {
        /// The date the computation started from.
        date: NaiveDate,
        /// What was computed, e.g. "20 working days after".
        what: String,
        /// First supported date.
        first: NaiveDate,
        /// Last supported date.
        last: NaiveDate,
    },
    /// A period written as text could not be understood.
    #[error("invalid period {text:?}: {reason}")]
    InvalidPeriod {
        /// The text as given.
        text: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A data document (GOV.UK feed, closure-day list, profile file, CSV, request) is malformed.
    #[error("{source_name}: {location}: {reason}")]
    InvalidData {
        /// Which document: a file name, or a description such as "GOV.UK bank-holidays JSON".
        source_name: String,
        /// Where in it: "line 12", "events\[3\].date", ...
        location: String,
        /// What was wrong, naming the value.
        reason: String,
    },
    /// An input value (a field of a request or an argument) is invalid.
    #[error("invalid {field} {value:?}: {reason}")]
    InvalidInput {
        /// The field or argument name.
        field: String,
        /// The value as given.
        value: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A case-history event is invalid or impossible.
    #[error("event {index} ({event}): {field} {value:?}: {reason}")]
    InvalidEvent {
        /// Zero-based index of the event in the input list.
        index: usize,
        /// The event's type, e.g. "review_held".
        event: String,
        /// The offending field, e.g. "date".
        field: String,
        /// The value as given.
        value: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A JSON document (a request) is not well-formed JSON: a syntax error or an early end. Its
    /// [`ErrorKind`] is [`ErrorKind::InvalidInput`]; bindings may tell it apart (the C ABI's
    /// `LACT_INVALID_JSON`) with [`Error::is_malformed_json`].
    #[error("invalid {document}: not well-formed JSON at line {line} column {column}: {reason}")]
    MalformedJson {
        /// Which document, e.g. "request".
        document: String,
        /// Line of the fault (from 1).
        line: usize,
        /// Column of the fault (from 1).
        column: usize,
        /// What was wrong.
        reason: String,
    },
    /// A request or case exceeds a documented limit.
    #[error("{what} is {actual}, above the limit of {limit}")]
    LimitExceeded {
        /// What was counted.
        what: String,
        /// The actual size.
        actual: usize,
        /// The limit.
        limit: usize,
    },
    /// A file could not be read or written (the SSDA903 audit's inputs, outputs and temporary
    /// files). The operating system's message is kept as text so the error stays `Clone`.
    #[error("{path}: {reason}")]
    Io {
        /// The file or directory.
        path: String,
        /// The operating system's message.
        reason: String,
    },
}

/// The kind of an [`Error`], for branching and for mapping to codes in bindings.
///
/// # Example
/// ```
/// use lac_timescales::ErrorKind;
/// assert_eq!(ErrorKind::InvalidEvent.as_str(), "invalid_event");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::DateOutOfRange`] or [`Error::ResultOutOfRange`].
    DateOutOfRange,
    /// [`Error::InvalidPeriod`].
    InvalidPeriod,
    /// [`Error::InvalidData`].
    InvalidData,
    /// [`Error::InvalidInput`] or [`Error::MalformedJson`].
    InvalidInput,
    /// [`Error::InvalidEvent`].
    InvalidEvent,
    /// [`Error::LimitExceeded`].
    LimitExceeded,
    /// [`Error::Io`].
    Io,
}

impl ErrorKind {
    /// The fixed snake_case name of the kind, as used in JSON error objects.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::DateOutOfRange => "date_out_of_range",
            ErrorKind::InvalidPeriod => "invalid_period",
            ErrorKind::InvalidData => "invalid_data",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::InvalidEvent => "invalid_event",
            ErrorKind::LimitExceeded => "limit_exceeded",
            ErrorKind::Io => "io",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::DateOutOfRange { .. } | Error::ResultOutOfRange { .. } => ErrorKind::DateOutOfRange,
            Error::InvalidPeriod { .. } => ErrorKind::InvalidPeriod,
            Error::InvalidData { .. } => ErrorKind::InvalidData,
            Error::InvalidInput { .. } | Error::MalformedJson { .. } => ErrorKind::InvalidInput,
            Error::InvalidEvent { .. } => ErrorKind::InvalidEvent,
            Error::LimitExceeded { .. } => ErrorKind::LimitExceeded,
            Error::Io { .. } => ErrorKind::Io,
        }
    }

    /// True when the error is about a date outside the supported range.
    pub fn is_range(&self) -> bool {
        self.kind() == ErrorKind::DateOutOfRange
    }

    /// True when the error is about JSON that is not well-formed ([`Error::MalformedJson`]), as
    /// opposed to well-formed JSON of the wrong shape.
    pub fn is_malformed_json(&self) -> bool {
        matches!(self, Error::MalformedJson { .. })
    }

    pub(crate) fn data(source_name: impl Into<String>, location: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidData { source_name: source_name.into(), location: location.into(), reason: reason.into() }
    }

    #[allow(dead_code)] // used by the request parser of the schedule engine
    pub(crate) fn input(field: impl Into<String>, value: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput { field: field.into(), value: value.into(), reason: reason.into() }
    }
}

/// A value as it is shown in an error message: at most 100 characters (longer ones are cut,
/// with their length), so that an error never carries a whole oversized input back.
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 100;
    match value.char_indices().nth(MAX) {
        None => value.to_string(),
        Some((cut, _)) => format!("{}… ({} bytes)", &value[..cut], value.len()),
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The longest text an error message repeats from its input, in characters.
pub(crate) const MAX_ECHO_CHARS: usize = 80;

/// `text` as an error message may repeat it: whole when it is at most [`MAX_ECHO_CHARS`]
/// characters, else its first characters and how long it was, so that a long value never makes a
/// long message (a 3 MB event name gives a short error, not three copies of it).
pub(crate) fn excerpt(text: &str) -> String {
    if text.chars().count() <= MAX_ECHO_CHARS {
        return text.to_string();
    }
    let head: String = text.chars().take(60).collect();
    format!("{head}... ({} bytes)", text.len())
}

#[cfg(test)]
mod excerpt_tests {
    use super::excerpt;

    #[test]
    fn short_text_whole_long_text_cut_with_its_length() {
        assert_eq!(excerpt("review_held"), "review_held");
        let eighty = "é".repeat(80);
        assert_eq!(excerpt(&eighty), eighty);
        let long = "K".repeat(3_000_000);
        assert_eq!(excerpt(&long), format!("{}... (3000000 bytes)", "K".repeat(60)));
        // Cut on a character boundary: 81 two-byte characters, 162 bytes.
        assert_eq!(excerpt(&"é".repeat(81)), format!("{}... (162 bytes)", "é".repeat(60)));
    }
}
