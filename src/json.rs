//! The JSON boundary: one request in, one response (or error object) out. Used by the
//! `schedule --json` example and by the C ABI, so both speak exactly the same JSON.
//!
//! Request (`jurisdiction` and `events` required):
//! ```json
//! {"jurisdiction": "england", "profile": "dudley", "as_at": "2026-06-01", "horizon_months": 12,
//!  "child": {"date_of_birth": "2012-04-01"},
//!  "events": [{"event": "became_looked_after", "date": "2026-01-05"}]}
//! ```
//! `profile` is a built-in id (`england`, `wales`, `sars-checklist`, `isu-procedure`, `dudley`,
//! `iro-expectations`) or a path to a local profile TOML file; `profile_toml` gives a local
//! profile inline instead. `closure_days` (list of dates) are applied to local rules only.
//!
//! Response: `{"obligations": [...], "next_review": {...} | null, "metadata": {...}}`, each
//! obligation with its `explanation` steps. Error: `{"error": {"kind": "...", "message": "..."}}`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::model::{CaseHistory, Child, Event, Jurisdiction};
use crate::profile::Profile;
use crate::schedule::{schedule, Explanation, Metadata, Obligation, Schedule, ScheduleOptions};

/// The largest request accepted, in bytes.
pub const MAX_REQUEST_BYTES: usize = 8 * 1024 * 1024;

/// A schedule request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduleRequest {
    /// `england` or `wales`.
    pub jurisdiction: Jurisdiction,
    /// A built-in profile id or a path to a local profile TOML file (default: the jurisdiction's
    /// statutory profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// A local profile given inline as TOML text (instead of `profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_toml: Option<String>,
    /// The as-at date (default: the last event's date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_at: Option<NaiveDate>,
    /// Planning horizon in months (default 12; 0 = none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_months: Option<u32>,
    /// Child details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child: Option<Child>,
    /// Council closure days, used for local rules only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure_days: Option<Vec<NaiveDate>>,
    /// The case history: events in date order.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::model::Event>"))]
    pub events: Vec<serde_json::Value>,
}

/// One obligation in a response, with its explanation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ObligationOut {
    /// The obligation.
    #[serde(flatten)]
    pub obligation: Obligation,
    /// How its date was reached.
    pub explanation: Vec<String>,
}

/// A schedule response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScheduleResponse {
    /// Every obligation, sorted by date.
    pub obligations: Vec<ObligationOut>,
    /// The next review due (not yet held), if any.
    pub next_review: Option<Obligation>,
    /// What produced the schedule.
    pub metadata: Metadata,
}

/// An error response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorResponse {
    /// The error.
    pub error: ErrorBody,
}

/// The body of an error response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    /// The fixed kind name ([`crate::ErrorKind::as_str`]).
    pub kind: String,
    /// What was wrong, naming the input.
    pub message: String,
}

impl ErrorResponse {
    /// The error object for `e`.
    pub fn from_error(e: &Error) -> ErrorResponse {
        ErrorResponse { error: ErrorBody { kind: e.kind().as_str().to_string(), message: e.to_string() } }
    }

    /// As JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|_| "{\"error\":{\"kind\":\"invalid_input\",\"message\":\"unprintable error\"}}".into())
    }
}

/// Parses a request from JSON text, with errors naming the field or event.
///
/// # Errors
/// [`Error::LimitExceeded`] above [`MAX_REQUEST_BYTES`]; [`Error::InvalidInput`] for malformed
/// JSON or fields.
pub fn parse_request(json: &str) -> Result<ScheduleRequest> {
    if json.len() > MAX_REQUEST_BYTES {
        return Err(Error::LimitExceeded {
            what: "request size in bytes".into(),
            actual: json.len(),
            limit: MAX_REQUEST_BYTES,
        });
    }
    serde_json::from_str(json)
        .map_err(|e| Error::input("request", format!("line {} column {}", e.line(), e.column()), e.to_string()))
}

/// Builds the case, profile and options a request describes.
///
/// # Errors
/// As [`parse_request`], plus event, profile and calendar errors.
pub fn prepare(req: &ScheduleRequest) -> Result<(CaseHistory, Profile, ScheduleOptions)> {
    if req.events.len() > crate::model::MAX_EVENTS {
        return Err(Error::LimitExceeded {
            what: "number of events".into(),
            actual: req.events.len(),
            limit: crate::model::MAX_EVENTS,
        });
    }
    let events = req.events.iter().enumerate().map(|(i, v)| Event::from_json(i, v)).collect::<Result<Vec<_>>>()?;
    let case = CaseHistory::new(req.jurisdiction, req.child.clone().unwrap_or_default(), events)?;
    let profile = match (&req.profile, &req.profile_toml) {
        (Some(_), Some(_)) => {
            return Err(Error::input("profile_toml", "…", "give either profile or profile_toml, not both"))
        }
        (None, Some(text)) => Profile::from_toml("profile_toml", text)?,
        (Some(id), None) if Profile::builtin_ids().contains(&id.as_str()) => Profile::builtin(id)?,
        (Some(path), None) if path.ends_with(".toml") => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::input("profile", path.clone(), format!("cannot read the file: {e}")))?;
            Profile::from_toml(path, &text)?
        }
        (Some(id), None) => Profile::builtin(id)?,
        (None, None) => Profile::statutory_for(req.jurisdiction),
    };
    let local_calendar = match &req.closure_days {
        Some(days) => Some(Calendar::england_and_wales().with_closure_days(days.iter().map(|d| (*d, String::new())))?),
        None => None,
    };
    Ok((case, profile, ScheduleOptions { as_at: req.as_at, horizon_months: req.horizon_months, local_calendar }))
}

/// Runs a request: the schedule and the response object.
///
/// # Errors
/// As [`prepare`] and [`schedule`].
pub fn run(req: &ScheduleRequest) -> Result<(CaseHistory, Schedule, ScheduleResponse)> {
    let (case, profile, options) = prepare(req)?;
    let cal = Calendar::england_and_wales();
    let s = schedule(&case, &profile, &cal, &options)?;
    let obligations = (0..s.obligations.len())
        .map(|i| {
            let Explanation { steps } = s.explain(i, &cal, case.events())?;
            Ok(ObligationOut { obligation: s.obligations[i].clone(), explanation: steps })
        })
        .collect::<Result<Vec<_>>>()?;
    let resp = ScheduleResponse { obligations, next_review: s.next_review().cloned(), metadata: s.metadata.clone() };
    Ok((case, s, resp))
}

/// The whole boundary: JSON request text in, JSON response text out; errors become an error
/// object (`Err` carries its text).
///
/// # Example
/// ```
/// let out = lac_timescales::json::schedule_json(
///     r#"{"jurisdiction": "england", "events": [{"event": "became_looked_after", "date": "2026-01-01"}]}"#,
/// ).unwrap();
/// assert!(out.contains("\"next_review\""));
/// let err = lac_timescales::json::schedule_json(r#"{"events": []}"#).unwrap_err();
/// assert!(err.contains("\"kind\":\"invalid_input\""));
/// ```
pub fn schedule_json(request: &str) -> std::result::Result<String, String> {
    let result = parse_request(request).and_then(|r| run(&r));
    match result {
        Ok((_, _, resp)) => serde_json::to_string_pretty(&resp)
            .map_err(|e| ErrorResponse::from_error(&Error::input("response", "", e.to_string())).to_json()),
        Err(e) => Err(ErrorResponse::from_error(&e).to_json()),
    }
}

// STUB: replaced by the audit helper's implementation
/// The audit boundary: JSON audit request in, JSON audit response out; errors become an error
/// object (`Err` carries its text). Not yet implemented: always an error of kind `unsupported`.
///
/// # Errors
/// Always, with kind `unsupported`.
pub fn audit_json(request: &str) -> std::result::Result<String, String> {
    let _ = request;
    Err(ErrorResponse {
        error: ErrorBody { kind: "unsupported".into(), message: "the compliance audit is not available yet".into() },
    }
    .to_json())
}
