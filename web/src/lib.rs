#![forbid(unsafe_code)]
#![warn(missing_docs)]
//! The practitioners' web calculator for `lac-timescales`: one page and a small JSON API.
//!
//! The server stores nothing. Every request is computed in memory and forgotten: there is no
//! database, no log of request bodies, no cookie, and no request reads a file (a `profile` that
//! is not a built-in id is refused, so a request cannot name a path on the server). A council's
//! own profile travels inside the request as `profile_toml`.
//!
//! | Route | What |
//! |---|---|
//! | `GET /` | the page (HTML, with `/app.js`, `/response.js` and `/style.css`, all compiled in) |
//! | `POST /api/schedule` | the library's JSON request in, its JSON response out |
//! | `POST /api/schedule.csv` | the same request, the schedule as CSV ([`lac_timescales::export::schedule_csv`]) |
//! | `POST /api/schedule.ics` | the same request, the schedule as iCalendar; `?case_id=` names the case for stable UIDs |
//! | `POST /api/audit` | the library's audit request and response |
//! | `GET /api/profiles` | the built-in profiles |
//! | `GET /api/vocabulary` | event kinds (with their fields), roles, duties and regimes, with plain-English labels |
//! | `GET /healthz` | `{"status": "ok", ...}` |
//!
//! Errors are the library's error object, `{"error": {"kind", "message"}}`, with where the error
//! lies when the library's error says so: `event_index` and `field` for an event, `field` for a
//! request field, `source` and `location` for a profile file. Bodies over
//! [`lac_timescales::json::MAX_REQUEST_BYTES`] (8 MiB) are refused with status 413.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Query};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use lac_timescales::export::{schedule_csv, schedule_ics, IcsOptions};
use lac_timescales::json::{self, ScheduleRequest, MAX_REQUEST_BYTES};
use lac_timescales::model::{Duty, Regime, Role};
use lac_timescales::profile::Profile;
use lac_timescales::{Error, ErrorKind};
use serde::{Deserialize, Serialize};

/// The Content-Security-Policy sent with every response: scripts, styles and requests only from
/// this server, no inline scripts or styles, no frames, no plugins.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Requests larger than this many bytes are computed on the blocking pool rather than on the
/// async workers, so that one huge case history does not stall other users' requests.
const BLOCKING_THRESHOLD: usize = 256 * 1024;

const INDEX_HTML: &str = include_str!("../static/index.html");
const APP_JS: &str = include_str!("../static/app.js");
const RESPONSE_JS: &str = include_str!("../static/response.js");
const STYLE_CSS: &str = include_str!("../static/style.css");

/// The router with every route, the body limit and the security headers.
///
/// # Example
/// ```
/// let app: axum::Router = lac_timescales_web::app();
/// # let _ = app;
/// ```
pub fn app() -> Router {
    Router::new()
        .route("/", get(|| async { asset(INDEX_HTML, "text/html; charset=utf-8") }))
        .route("/app.js", get(|| async { asset(APP_JS, "text/javascript; charset=utf-8") }))
        .route("/response.js", get(|| async { asset(RESPONSE_JS, "text/javascript; charset=utf-8") }))
        .route("/style.css", get(|| async { asset(STYLE_CSS, "text/css; charset=utf-8") }))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/healthz", get(healthz))
        .route("/api/profiles", get(|| async { json_ok(profiles_json().as_bytes().to_vec()) }))
        .route("/api/vocabulary", get(|| async { json_ok(vocabulary_json().as_bytes().to_vec()) }))
        .route("/api/schedule", post(|body| compute(body, Output::Schedule)))
        .route("/api/schedule.csv", post(|body| compute(body, Output::Csv)))
        .route("/api/schedule.ics", post(|q: Query<IcsQuery>, body| compute(body, Output::Ics(q.0.case_id))))
        .route("/api/audit", post(|body| compute(body, Output::Audit)))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .layer(axum::middleware::map_response(security_headers))
}

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Child data must not linger in caches: nothing is stored, here or on the way.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    res
}

fn asset(text: &'static str, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], text).into_response()
}

fn json_ok(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn healthz() -> Response {
    json_ok(
        serde_json::json!({"status": "ok", "library_version": env!("CARGO_PKG_VERSION"), "stores": "nothing"})
            .to_string()
            .into_bytes(),
    )
}

async fn not_found(method: Method, uri: Uri) -> Response {
    let e = Error::InvalidInput {
        field: "path".into(),
        value: format!("{method} {}", uri.path()),
        reason: "no such page or API route (see GET /, POST /api/schedule, POST /api/audit, GET /api/profiles)".into(),
    };
    ApiError { status: StatusCode::NOT_FOUND, error: e }.into_response()
}

#[derive(Debug, Default, Deserialize)]
struct IcsQuery {
    case_id: Option<String>,
}

/// What a computing route returns.
#[derive(Debug, Clone)]
enum Output {
    Schedule,
    Csv,
    Ics(Option<String>),
    Audit,
}

/// A library error with the HTTP status it is sent with.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    error: Error,
}

/// The error object: the library's `{"error": {"kind", "message"}}`, plus where the error lies
/// when the library's error says so.
#[derive(Debug, Serialize)]
struct ErrorOut<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Debug, Serialize)]
struct ErrorDetail<'a> {
    kind: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
}

/// The error object for `e`, with its location.
pub fn error_json(e: &Error) -> String {
    let mut d = ErrorDetail {
        kind: e.kind().as_str(),
        message: e.to_string(),
        event_index: None,
        field: None,
        source: None,
        location: None,
    };
    match e {
        Error::InvalidEvent { index, field, .. } => {
            d.event_index = Some(*index);
            d.field = Some(field);
        }
        Error::InvalidInput { field, .. } => d.field = Some(field),
        Error::MalformedJson { document, .. } => d.field = Some(document),
        Error::InvalidData { source_name, location, .. } => {
            d.source = Some(source_name);
            d.location = Some(location);
        }
        _ => {}
    }
    serde_json::to_string(&ErrorOut { error: d }).unwrap_or_else(|_| {
        "{\"error\":{\"kind\":\"invalid_input\",\"message\":\"the error could not be written as JSON\"}}".into()
    })
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, [(header::CONTENT_TYPE, "application/json")], error_json(&self.error)).into_response()
    }
}

fn status_for(e: &Error) -> StatusCode {
    if e.kind() == ErrorKind::LimitExceeded {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::BAD_REQUEST
    }
}

fn client_error(error: Error) -> ApiError {
    ApiError { status: status_for(&error), error }
}

/// Reads and checks the body: size, UTF-8, the library's request parser, and no file paths.
fn parse_body(body: Result<Bytes, BytesRejection>) -> Result<ScheduleRequest, ApiError> {
    let bytes = body.map_err(|rejection| {
        let status = rejection.status();
        let error = if status == StatusCode::PAYLOAD_TOO_LARGE {
            Error::LimitExceeded {
                what: "request size in bytes".into(),
                actual: MAX_REQUEST_BYTES + 1,
                limit: MAX_REQUEST_BYTES,
            }
        } else {
            Error::InvalidInput { field: "request".into(), value: String::new(), reason: rejection.body_text() }
        };
        ApiError { status, error }
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        client_error(Error::InvalidInput {
            field: "request".into(),
            value: format!("byte {}", e.valid_up_to()),
            reason: "the request is not UTF-8 text".into(),
        })
    })?;
    let req = json::parse_request(text).map_err(client_error)?;
    if let Some(id) = &req.profile {
        // The library reads a profile file when `profile` is a path; a web request never may.
        if !Profile::builtin_ids().contains(&id.as_str()) {
            return Err(client_error(match Profile::builtin(id) {
                Err(e) => e,
                Ok(_) => Error::InvalidInput {
                    field: "profile".into(),
                    value: id.clone(),
                    reason: "not a built-in profile".into(),
                },
            }));
        }
    }
    Ok(req)
}

/// Runs the request and writes the output: `(content type, file name for a download, body)`.
fn run(req: &ScheduleRequest, output: &Output) -> Result<(&'static str, Option<&'static str>, Vec<u8>), Error> {
    Ok(match output {
        Output::Schedule => {
            // The library's lean response: a citations table, explanations with "explain": true,
            // compact unless "pretty": true.
            let (case, s) = json::run(req)?;
            ("application/json", None, json::response_json(&case, &s, req.response_options())?.into_bytes())
        }
        Output::Csv => {
            let (_, s) = json::run(req)?;
            ("text/csv; charset=utf-8", Some("schedule.csv"), schedule_csv(&s).into_bytes())
        }
        Output::Ics(case_id) => {
            let (case, s) = json::run(req)?;
            let case_id = case_id.clone().filter(|c| !c.trim().is_empty()).unwrap_or_else(|| {
                let first = case.events().first().map(|e| e.date.to_string()).unwrap_or_default();
                format!("{}-{first}", req.jurisdiction_id())
            });
            let ics = schedule_ics(&s, &case, &IcsOptions { case_id, dtstamp: None });
            ("text/calendar; charset=utf-8", Some("schedule.ics"), ics.into_bytes())
        }
        Output::Audit => {
            // The library's audit response: citations sent once, in a table, as for schedules;
            // compact unless "pretty": true.
            let (_, a) = json::run_audit(req)?;
            ("application/json", None, json::audit_response_json_bytes(&a, req.response_options().pretty)?)
        }
    })
}

trait JurisdictionId {
    fn jurisdiction_id(&self) -> &'static str;
}

impl JurisdictionId for ScheduleRequest {
    fn jurisdiction_id(&self) -> &'static str {
        match self.jurisdiction {
            lac_timescales::model::Jurisdiction::England => "england",
            lac_timescales::model::Jurisdiction::Wales => "wales",
        }
    }
}

/// Parse, compute and answer; a panic anywhere in the library becomes a 500 error object.
fn answer(body: Result<Bytes, BytesRejection>, output: &Output) -> Response {
    let req = match parse_body(body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    match catch_unwind(AssertUnwindSafe(|| run(&req, output))) {
        Ok(Ok((content_type, file, bytes))) => {
            let mut res = ([(header::CONTENT_TYPE, content_type)], bytes).into_response();
            if let Some(name) = file {
                let value = format!("attachment; filename=\"{name}\"");
                if let Ok(v) = HeaderValue::from_str(&value) {
                    res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
                }
            }
            res
        }
        Ok(Err(e)) => client_error(e).into_response(),
        Err(_) => ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            error: Error::InvalidInput {
                field: "request".into(),
                value: String::new(),
                reason: "the calculation failed unexpectedly; nothing was stored. Please report this case shape \
                         (without the child's details) to the maintainers"
                    .into(),
            },
        }
        .into_response(),
    }
}

async fn compute(body: Result<Bytes, BytesRejection>, output: Output) -> Response {
    let large = body.as_ref().map(|b| b.len() > BLOCKING_THRESHOLD).unwrap_or(false);
    if large {
        match tokio::task::spawn_blocking(move || answer(body, &output)).await {
            Ok(r) => r,
            Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, Body::from("the calculation did not finish")).into_response(),
        }
    } else {
        answer(body, &output)
    }
}

/// One built-in profile, as `GET /api/profiles` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInfo {
    /// The id to send as `profile`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `statutory` or `local`.
    pub kind: String,
    /// `england` or `wales`: the statute it is (or layers on).
    pub jurisdiction: String,
    /// Its version.
    pub version: String,
    /// The document it encodes.
    pub source: String,
}

/// The built-in profiles.
pub fn profiles() -> Vec<ProfileInfo> {
    Profile::builtin_ids()
        .into_iter()
        .filter_map(|id| Profile::builtin(id).ok())
        .map(|p| ProfileInfo {
            id: p.id.clone(),
            name: p.name.clone(),
            kind: match p.kind {
                lac_timescales::profile::ProfileKind::Statutory => "statutory".into(),
                lac_timescales::profile::ProfileKind::Local => "local".into(),
            },
            jurisdiction: match p.jurisdiction {
                lac_timescales::model::Jurisdiction::England => "england".into(),
                lac_timescales::model::Jurisdiction::Wales => "wales".into(),
            },
            version: p.version.clone(),
            source: p.source.clone(),
        })
        .collect()
}

fn profiles_json() -> &'static str {
    static CELL: OnceLock<String> = OnceLock::new();
    CELL.get_or_init(|| serde_json::to_string(&profiles()).unwrap_or_else(|_| "[]".into()))
}

/// The kind of an event's optional field, for the page's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// A date, `YYYY-MM-DD`.
    Date,
    /// Free text.
    Text,
    /// True or false.
    Boolean,
    /// A positive whole number.
    Number,
    /// One duty id.
    Duty,
    /// A list of regime ids.
    Regimes,
}

/// One field of an event besides `event` and `date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EventField {
    /// The JSON name.
    pub name: &'static str,
    /// Its label on the page.
    pub label: &'static str,
    /// Its kind.
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// Whether the event needs it.
    pub required: bool,
    /// For a `boolean` field: the library's value when the field is left out.
    pub default: bool,
}

/// One event kind, as the page lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EventInfo {
    /// The JSON `event` name.
    pub event: &'static str,
    /// Plain English.
    pub label: &'static str,
    /// Its fields besides `event` and `date`.
    pub fields: &'static [EventField],
}

const fn field(name: &'static str, label: &'static str, field_type: FieldType, required: bool) -> EventField {
    EventField { name, label, field_type, required, default: false }
}

/// A yes/no field, with the library's value when it is left out.
const fn flag(name: &'static str, label: &'static str, default: bool) -> EventField {
    EventField { name, label, field_type: FieldType::Boolean, required: false, default }
}

const fn ev(event: &'static str, label: &'static str, fields: &'static [EventField]) -> EventInfo {
    EventInfo { event, label, fields }
}

/// Every event kind the library accepts (see the README's Events section), with plain labels.
pub const EVENTS: &[EventInfo] = &[
    ev("became_looked_after", "Became looked after", &[]),
    ev(
        "review_held",
        "Review held (or an adjourned review completed)",
        &[
            flag("meeting", "Held with a meeting", true),
            field(
                "regimes",
                "Counts only for these review clocks (none ticked: every running clock)",
                FieldType::Regimes,
                false,
            ),
        ],
    ),
    ev("review_adjourned", "Review meeting adjourned", &[]),
    ev(
        "review_rearranged",
        "Review moved to a new date",
        &[
            field("from", "Planned date before the move", FieldType::Date, true),
            field("to", "New planned date", FieldType::Date, true),
        ],
    ),
    ev(
        "significant_change",
        "Significant change to the care plan proposed",
        &[field("note", "Note (optional)", FieldType::Text, false)],
    ),
    ev("iro_requested_review", "IRO asked for a review", &[]),
    ev("accommodation_ending", "Accommodation (or police protection, remand) ends on this date", &[]),
    ev("placement_not_safeguarding", "Visit found the placement does not safeguard the child", &[]),
    ev(
        "placement_started",
        "Placed (or moved to a new placement)",
        &[
            flag("intended_to_last_until_18", "Intended to last until the child is 18", false),
            flag("emergency", "Made in an emergency", false),
            flag("with_parent", "Placed with a parent", false),
        ],
    ),
    ev("placement_ended", "Placement ended", &[]),
    ev("social_worker_visit", "Social worker visited the child", &[]),
    ev("care_plan_started", "Care plan started", &[]),
    ev("long_term_foster_placement", "Moved to a long-term foster placement", &[]),
    ev("dispute_started", "IRO started the dispute resolution process", &[]),
    ev("iro_changed", "The child's IRO changed", &[]),
    ev(
        "duty_done",
        "A duty was done (for the audit)",
        &[
            field("duty", "Which duty", FieldType::Duty, true),
            field("review_number", "For review number (optional)", FieldType::Number, false),
        ],
    ),
    ev("ceased_to_be_looked_after", "Stopped being looked after", &[]),
    ev("short_breaks_started", "Series of short breaks started", &[]),
    ev("short_breaks_ended", "Series of short breaks ended", &[]),
    ev("authority_to_place", "Authorised to place for adoption", &[]),
    ev("authority_to_place_ended", "Authority to place for adoption ended", &[]),
    ev("placed_for_adoption", "Placed for adoption", &[]),
    ev("returned_to_agency", "Returned to the agency from an adoptive placement", &[]),
    ev("adoption_order_made", "Adoption order made", &[]),
    ev("placed_in_secure_accommodation", "Placed in secure accommodation", &[]),
    ev("left_secure_accommodation", "Left secure accommodation", &[]),
    ev("secure_review_held", "Secure accommodation panel review held", &[]),
    ev("placed_with_parent_before_assessment", "Placed with a parent before the assessment was complete", &[]),
    ev("child_requested_review", "Child asked for a review (Wales)", &[]),
    ev("child_absent", "Child absent, or often absent, from the placement (Wales)", &[]),
    ev("child_at_risk", "Notice that the child is at risk of harm (Wales)", &[]),
    ev("family_support_referral", "Referred to an integrated family support team (Wales)", &[]),
];

#[derive(Serialize)]
struct Named {
    id: &'static str,
    label: &'static str,
}

fn vocabulary_json() -> &'static str {
    static CELL: OnceLock<String> = OnceLock::new();
    CELL.get_or_init(|| {
        let named = |pairs: Vec<(&'static str, &'static str)>| {
            pairs.into_iter().map(|(id, label)| Named { id, label }).collect::<Vec<_>>()
        };
        let v = serde_json::json!({
            "events": EVENTS,
            "roles": named(Role::ALL.iter().map(|r| (r.as_str(), r.describe())).collect()),
            "duties": named(Duty::ALL.iter().map(|d| (d.as_str(), d.describe())).collect()),
            "regimes": named(Regime::ALL.iter().map(|r| (r.as_str(), r.describe())).collect()),
        });
        v.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lac_timescales::model::Event;

    /// Every event kind the library accepts is listed, once, with exactly its fields.
    #[test]
    fn event_table_matches_the_library() {
        // The library's own list, from its error for an unknown kind ("expected one of `a`, `b`").
        let err = Event::from_json(0, &serde_json::json!({"event": "no_such_event", "date": "2026-01-05"}))
            .expect_err("an unknown kind")
            .to_string();
        let expected = err.split("expected one of ").nth(1).expect("the list of kinds");
        let mut known: Vec<&str> = expected.split(", ").map(|k| k.trim_matches('`')).collect();
        known.sort_unstable();
        let mut names: Vec<&str> = EVENTS.iter().map(|e| e.event).collect();
        names.sort_unstable();
        assert_eq!(names, known, "the page's event list differs from the library's");
        for e in EVENTS {
            let mut v = serde_json::json!({"event": e.event, "date": "2026-01-05"});
            for f in e.fields {
                v[f.name] = match f.field_type {
                    FieldType::Date => serde_json::json!("2026-01-06"),
                    FieldType::Text => serde_json::json!("x"),
                    FieldType::Boolean => serde_json::json!(true),
                    FieldType::Number => serde_json::json!(1),
                    FieldType::Duty => serde_json::json!("issue_decisions"),
                    FieldType::Regimes => serde_json::json!(["looked_after"]),
                };
            }
            let parsed = Event::from_json(0, &v).unwrap_or_else(|err| panic!("{}: {err}", e.event));
            assert_eq!(parsed.kind.name(), e.event);
            let listed: Vec<&str> = e.fields.iter().map(|f| f.name).collect();
            assert_eq!(parsed.kind.fields(), listed.as_slice(), "{}", e.event);
            // A required field left out is an error naming that field's event.
            for f in e.fields.iter().filter(|f| f.required) {
                let mut w = v.clone();
                w.as_object_mut().map(|o| o.remove(f.name));
                assert!(Event::from_json(0, &w).is_err(), "{} without {}", e.event, f.name);
            }
        }
    }

    #[test]
    fn error_json_locates_event_errors() {
        let e = Error::InvalidEvent {
            index: 3,
            event: "review_held".into(),
            field: "date".into(),
            value: "2026-02-30".into(),
            reason: "not a valid date".into(),
        };
        let v: serde_json::Value = serde_json::from_str(&error_json(&e)).unwrap();
        assert_eq!(v["error"]["kind"], "invalid_event");
        assert_eq!(v["error"]["event_index"], 3);
        assert_eq!(v["error"]["field"], "date");
        assert_eq!(v["error"]["message"], "event 3 (review_held): date \"2026-02-30\": not a valid date");
    }
}
