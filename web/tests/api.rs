//! The HTTP API, driven in process through the router (no network, no browser), plus the real
//! binary on a loopback port for the command line and the socket.
//!
//! Expected dates are worked out by hand from the calendar in the comments.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use lac_timescales_web::{app, CONTENT_SECURITY_POLICY};
use serde_json::{json, Value};
use tower::ServiceExt;

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    fn header(&self, name: header::HeaderName) -> String {
        self.headers.get(name).map(|v| v.to_str().unwrap_or("").to_string()).unwrap_or_default()
    }
}

async fn call(method: Method, uri: &str, body: impl Into<Body>) -> Reply {
    let req = Request::builder().method(method).uri(uri).body(body.into()).expect("request");
    let res = app().oneshot(req).await.expect("the router never fails");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.expect("body").to_bytes().to_vec();
    Reply { status, headers, body }
}

async fn get(uri: &str) -> Reply {
    call(Method::GET, uri, Body::empty()).await
}

async fn post(uri: &str, body: &Value) -> Reply {
    call(Method::POST, uri, body.to_string()).await
}

/// Looked after on Thu 24 Dec 2026. The first review is due within 20 working days. Skipping
/// Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day substitute, the 26th being a Saturday),
/// Fri 1 Jan 2027 (New Year's Day) and weekends: 29, 30, 31 Dec (3), 4-8 Jan (8), 11-15 (13),
/// 18-22 (18), Mon 25 (19), Tue 26 Jan 2027 (20).
fn christmas_case() -> Value {
    json!({"jurisdiction": "england", "horizon_months": 0,
           "events": [{"event": "became_looked_after", "date": "2026-12-24"}]})
}

/// [`christmas_case`] audited as at Mon 1 Feb 2027 (an audit has no horizon).
fn christmas_audit() -> Value {
    let mut req = christmas_case();
    req["as_at"] = json!("2027-02-01");
    req.as_object_mut().unwrap().remove("horizon_months");
    req
}

#[tokio::test]
async fn schedule_gives_the_first_review_date_and_its_explanation() {
    // The library's lean response: citations sent once, next_review an index.
    let r = post("/api/schedule", &christmas_case()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header(header::CONTENT_TYPE), "application/json");
    let v = r.json();
    let next = &v["obligations"][v["next_review"].as_u64().expect("an index") as usize];
    assert_eq!(next["duty"], "hold_review");
    assert_eq!(next["latest"], "2027-01-26");
    assert_eq!(v["citations"][next["citation"].as_u64().unwrap() as usize]["provision"], "reg 33(1)");
    assert!(next.get("explanation").is_none(), "explanations only on request");

    let mut req = christmas_case();
    req["explain"] = json!(true);
    let v = post("/api/schedule", &req).await.json();
    let first = &v["obligations"][v["next_review"].as_u64().unwrap() as usize];
    let steps: Vec<&str> = first["explanation"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(
        steps.contains(
            &"Non-working weekdays skipped: Fri 25 Dec 2026 (Christmas Day), Mon 28 Dec 2026 (Boxing Day (substitute day)), Fri 1 Jan 2027 (New Year's Day)."
        ),
        "{steps:#?}"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    for (method, uri) in [(Method::GET, "/"), (Method::GET, "/api/profiles"), (Method::POST, "/api/schedule")] {
        let r = call(method.clone(), uri, Body::from("{}")).await;
        assert_eq!(r.header(header::CONTENT_SECURITY_POLICY), CONTENT_SECURITY_POLICY, "{method} {uri}");
        assert_eq!(r.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(r.header(header::CACHE_CONTROL), "no-store");
        assert_eq!(r.header(header::X_FRAME_OPTIONS), "DENY");
    }
    assert!(CONTENT_SECURITY_POLICY.starts_with("default-src 'self';"));
    assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
}

#[tokio::test]
async fn the_page_has_no_inline_script_or_style_and_its_assets_are_served() {
    let r = get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header(header::CONTENT_TYPE), "text/html; charset=utf-8");
    let html = r.text();
    // Every <script> has a src and no body; no style attribute or <style> element, no inline
    // event handler, nothing from another origin.
    for (i, _) in html.match_indices("<script") {
        let tag_end = i + html[i..].find('>').unwrap();
        assert!(html[i..tag_end].contains("src=\"/"), "inline script at {i}");
        assert!(html[tag_end + 1..].starts_with("</script>"), "script with a body at {i}");
    }
    assert!(!html.contains("<style") && !html.contains(" style=") && !html.contains(" onclick="));
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"));
    for (path, ty) in [
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/response.js", "text/javascript; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
    ] {
        let a = get(path).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(a.header(header::CONTENT_TYPE), ty, "{path}");
        let text = a.text();
        assert!(!text.contains("http://") && !text.contains("https://"), "{path} refers to another origin");
        assert!(!text.contains("innerHTML") && !text.contains("eval("), "{path}");
    }
}

#[tokio::test]
async fn a_profile_path_is_refused_so_no_request_reads_a_file() {
    // This file exists relative to the test's working directory (web/): if the server passed the
    // path to the library, the library would read and use it.
    assert!(std::path::Path::new("../data/profiles/local/dudley.toml").exists());
    for path in ["../data/profiles/local/dudley.toml", "/etc/passwd", "dudley.toml"] {
        let mut req = christmas_case();
        req["profile"] = json!(path);
        let r = post("/api/schedule", &req).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.text());
        let e = &r.json()["error"];
        assert_eq!(e["kind"], "invalid_input");
        assert_eq!(e["field"], "profile");
        assert_eq!(
            e["message"],
            format!(
                "invalid profile {path:?}: unknown profile (built-in: england, wales, sars-checklist, isu-procedure, dudley, iro-expectations; a host program can register others; a local profile can be given inline as profile_toml)"
            )
        );
    }
}

#[tokio::test]
async fn event_errors_name_the_event_index_and_field() {
    let req = json!({"jurisdiction": "england", "events": [
        {"event": "became_looked_after", "date": "2026-12-24"},
        {"event": "review_held", "date": "2026-12-20"}]});
    let r = post("/api/schedule", &req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let e = &r.json()["error"];
    assert_eq!(e["kind"], "invalid_event");
    assert_eq!(e["event_index"], 1);
    assert_eq!(e["field"], "date");
    assert_eq!(
        e["message"],
        "event 1 (review_held): date \"2026-12-20\": events must be in date order: event 0 is dated 2026-12-24"
    );

    // A rearrangement without its `from`: serde's words name the missing field.
    let req = json!({"jurisdiction": "england", "events": [
        {"event": "became_looked_after", "date": "2026-12-24"},
        {"event": "review_rearranged", "date": "2027-01-04", "to": "2027-01-20"}]});
    let e = post("/api/schedule", &req).await.json()["error"].clone();
    assert_eq!(e["event_index"], 1);
    assert!(e["message"].as_str().unwrap().contains("missing field `from`"), "{e}");
}

#[tokio::test]
async fn request_field_and_profile_file_errors_are_located() {
    let mut req = christmas_case();
    req["as_at"] = json!("2026-01-01");
    let e = post("/api/schedule", &req).await.json()["error"].clone();
    assert_eq!(e["field"], "as_at");
    assert_eq!(
        e["message"],
        "invalid as_at \"2026-01-01\": is before the last event's date 2026-12-24: events cannot lie after the as-at date"
    );

    let mut req = christmas_case();
    req["jurisdiction"] = json!("wales");
    req["profile"] = json!("dudley");
    let e = post("/api/schedule", &req).await.json()["error"].clone();
    assert_eq!(e["field"], "profile");
    assert_eq!(e["message"], "invalid profile \"dudley\": the profile is for England but the case is in Wales");

    // The library's own doc example of a bad local profile: a misspelt role on line 10.
    let toml = "\nid = \"my-council\"\nname = \"My council\"\nkind = \"local\"\nextends = \"england\"\nversion = \"1\"\nsource = \"Our procedure\"\n[[rule]]\nduty = \"submit_social_work_report\"\nrole = \"socail_worker\"\nanchor = \"review_date\"\ndirection = \"before\"\nperiod = \"5 working days\"\naction = \"Send your report to the IRO\"\ncitation = { instrument = \"My council procedure\", provision = \"s.4\", status = \"V\" }\n";
    let mut req = christmas_case();
    req["profile_toml"] = json!(toml);
    let r = post("/api/schedule", &req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let e = &r.json()["error"];
    assert_eq!(e["kind"], "invalid_data");
    assert_eq!(e["source"], "profile_toml");
    assert_eq!(e["location"], "line 10");
    assert!(e["message"].as_str().unwrap().contains("socail_worker"), "{e}");

    // The same profile spelt right is used: its report duty is due 5 working days before review
    // 1 (Tue 26 Jan 2027): Mon 25 (1), Fri 22 (2), Thu 21 (3), Wed 20 (4), Tue 19 Jan 2027 (5).
    req["profile_toml"] = json!(toml.replace("socail_worker", "social_worker"));
    let v = post("/api/schedule", &req).await.json();
    let report = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["duty"] == "submit_social_work_report")
        .expect("the local duty");
    assert_eq!(report["latest"], "2027-01-19");
    assert_eq!(report["basis"], "local:my-council");
}

#[tokio::test]
async fn malformed_and_hostile_bodies_are_refused_with_the_error_object() {
    for (body, field) in [
        (Body::from("{"), "request"),
        (Body::from("not json"), "request"),
        (Body::from(""), "request"),
        (Body::from(vec![0xff, 0xfe, 0x00]), "request"),
        (Body::from("[".repeat(100_000)), "request"),
        (Body::from(r#"{"jurisdiction": "scotland", "events": []}"#), "request"),
        (Body::from(r#"{"jurisdiction": "england", "events": [], "surprise": 1}"#), "request"),
    ] {
        let r = call(Method::POST, "/api/schedule", body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
        let e = &r.json()["error"];
        assert_eq!(e["kind"], "invalid_input", "{e}");
        assert_eq!(e["field"], field, "{e}");
    }
    // Events that are not objects, and a date that does not exist.
    let r = post("/api/schedule", &json!({"jurisdiction": "england", "events": [3]})).await;
    assert_eq!(r.json()["error"]["event_index"], 0);
    let r = post(
        "/api/schedule",
        &json!({"jurisdiction": "england", "events": [{"event": "became_looked_after", "date": "2026-02-30"}]}),
    )
    .await;
    assert_eq!(r.json()["error"]["field"], "date");
}

#[tokio::test]
async fn bodies_over_8_mib_are_refused() {
    let limit = 8 * 1024 * 1024;
    assert_eq!(lac_timescales::json::MAX_REQUEST_BYTES, limit);
    let big = format!("{{\"jurisdiction\": \"england\", \"events\": [], \"profile_toml\": \"{}\"}}", "x".repeat(limit));
    let r = call(Method::POST, "/api/schedule", big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["error"]["kind"], "limit_exceeded");
    // Just under the limit is read (and then judged on its content).
    let ok = format!("{{\"jurisdiction\": \"england\", \"events\": []{}}}", " ".repeat(limit - 60));
    let r = call(Method::POST, "/api/schedule", ok).await;
    assert_eq!(r.status, StatusCode::OK, "{}", &r.text()[..200.min(r.body.len())]);
}

#[tokio::test]
async fn too_many_events_is_a_limit_error() {
    let events: Vec<Value> = (0..10_001).map(|_| json!({"event": "child_absent", "date": "2026-01-01"})).collect();
    let r = post("/api/schedule", &json!({"jurisdiction": "england", "events": events})).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["error"]["message"], "number of events is 10001, above the limit of 10000");
}

#[tokio::test]
async fn audit_as_at_a_date() {
    // No review held; as at Mon 1 Feb 2027 the first review (deadline Tue 26 Jan) is overdue by
    // Wed 27, Thu 28, Fri 29 Jan and Mon 1 Feb = 4 working days, 6 calendar days.
    let req = christmas_audit();
    let r = post("/api/audit", &req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["as_at"], "2027-02-01");
    let review = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["obligation"]["duty"] == "hold_review" && o["obligation"]["review_number"] == 1)
        .expect("review 1");
    assert_eq!(review["status"], json!({"kind": "overdue", "overdue_working_days": 4, "overdue_calendar_days": 6}));
    // The library's audit response: the citation is an index into the citations table.
    assert_eq!(v["citations"][review["obligation"]["citation"].as_u64().unwrap() as usize]["provision"], "reg 33(1)");
}

#[tokio::test]
async fn audit_is_pretty_when_asked_as_the_library_writes_it() {
    let mut req = christmas_audit();
    let compact = post("/api/audit", &req).await;
    assert_eq!(compact.status, StatusCode::OK, "{}", compact.text());
    assert!(!compact.text().contains('\n'), "compact by default");
    assert_eq!(compact.text(), lac_timescales::json::audit_json(&req.to_string()).unwrap());
    req["pretty"] = json!(true);
    let pretty = post("/api/audit", &req).await;
    assert_eq!(pretty.status, StatusCode::OK, "{}", pretty.text());
    assert!(pretty.text().starts_with("{\n  \""), "{}", &pretty.text()[..40]);
    assert_eq!(pretty.text(), lac_timescales::json::audit_json(&req.to_string()).unwrap());
    assert_eq!(pretty.json(), compact.json());
}

#[tokio::test]
async fn csv_and_icalendar_downloads_use_the_library_exports() {
    let r = post("/api/schedule.csv", &christmas_case()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
    assert_eq!(r.header(header::CONTENT_DISPOSITION), "attachment; filename=\"schedule.csv\"");
    let csv = r.text();
    assert!(csv.starts_with("index,duty,role,action,regime,review_number,earliest,latest,latest_working_day,"));
    // CRLF line ends; the first review's row after its index number.
    let review1 = ",hold_review,local_authority,Hold the first looked-after review,looked_after,1,,2027-01-26,2027-01-26,statutory,";
    assert!(csv.ends_with("\r\n") && !csv.replace("\r\n", "").contains('\n'), "CRLF line ends");
    let row = csv.split("\r\n").find(|l| l.contains(review1)).unwrap_or_else(|| panic!("{csv}"));
    assert!(row.split(',').next().is_some_and(|i| i.parse::<usize>().is_ok()), "{row}");

    let ics = |case: &str| {
        let case = case.to_string();
        async move { post(&format!("/api/schedule.ics?case_id={case}"), &christmas_case()).await }
    };
    let a = ics("case-4711").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header(header::CONTENT_TYPE), "text/calendar; charset=utf-8");
    let a = a.text();
    assert!(a.starts_with("BEGIN:VCALENDAR\r\n") && a.contains("DUE;VALUE=DATE:20270126\r\n"));
    assert!(!a.contains("4711"), "the case id is hashed, never written out");
    let uids = |t: &str| t.lines().filter(|l| l.starts_with("UID:")).map(String::from).collect::<Vec<_>>();
    assert_eq!(uids(&a), uids(&ics("case-4711").await.text()), "same case, same UIDs");
    assert_ne!(uids(&a), uids(&ics("case-4712").await.text()), "another case, other UIDs");
    // Errors come back as the error object, as for the schedule.
    let r = post("/api/schedule.ics", &json!({"jurisdiction": "england", "events": [1]})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["kind"], "invalid_event");
}

#[tokio::test]
async fn profiles_vocabulary_health_and_unknown_routes() {
    let v = get("/api/profiles").await.json();
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["england", "wales", "sars-checklist", "isu-procedure", "dudley", "iro-expectations"]);
    assert_eq!(v[1]["jurisdiction"], "wales");
    assert_eq!(v[4]["kind"], "local");

    let v = get("/api/vocabulary").await.json();
    assert_eq!(v["events"].as_array().unwrap().len(), 32);
    assert_eq!(v["roles"].as_array().unwrap().len(), 8);
    assert_eq!(v["roles"][1], json!({"id": "iro", "label": "IRO"}));

    let h = get("/healthz").await;
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!(h.json()["status"], "ok");

    let r = get("/etc/passwd").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["field"], "path");
    let r = get("/api/schedule").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

/// Kills the child process when dropped, so a failing test leaves no server behind.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_binary_prints_help_refuses_bad_arguments_and_serves_on_loopback() {
    let bin = env!("CARGO_BIN_EXE_lac-timescales-web");
    let out = Command::new(bin).arg("--help").output().expect("run --help");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.starts_with("usage: lac-timescales-web [--port N] [--bind ADDR]"), "{help}");
    assert!(help.contains("Nothing is stored"));

    for bad in [&["--port", "http"][..], &["--port"], &["--bind", "intranet"], &["--verbose"]] {
        let out = Command::new(bin).args(bad).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "), "{bad:?}");
    }

    let mut child = Command::new(bin).args(["--port", "0"]).stdout(Stdio::piped()).spawn().expect("start the server");
    let stdout = child.stdout.take().expect("stdout");
    let server = Running(child);
    let mut first = String::new();
    let mut reader = BufReader::new(stdout);
    reader.read_line(&mut first).expect("first line");
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let addr = first
        .trim()
        .strip_prefix("lac-timescales-web listening on http://")
        .and_then(|s| s.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "binds to loopback by default: {addr}");
    let mut s = TcpStream::connect(&addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let body = christmas_case().to_string();
    write!(
        s,
        "POST /api/schedule HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).expect("reply");
    assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
    assert!(reply.contains("\"latest\":\"2027-01-26\""));
    drop(server);
}
