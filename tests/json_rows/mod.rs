//! Helpers the rev9 tests share (each integration-test file is its own crate): a schedule through
//! the JSON boundary, and one duty's obligations as short text rows to compare with hand-worked ones.

use serde_json::Value;

/// The schedule for a JSON request (through the JSON boundary, as the CLI and C ABI see it).
pub fn run(request: &str) -> Value {
    let out = lac_timescales::json::schedule_json(request).unwrap_or_else(|e| panic!("{e}: {request}"));
    serde_json::from_str(&out).unwrap()
}

/// The obligations of one duty (and regime, if given), each as
/// "number latest day-to-plan-for done projected breach-kind/basis" ("-" for none).
pub fn rows(v: &Value, duty: &str, regime: Option<&str>) -> Vec<String> {
    let s = |x: &Value| x.as_str().map_or("-".to_string(), str::to_string);
    v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["duty"] == duty && regime.is_none_or(|r| o["regime"] == r))
        .map(|o| {
            let breach = if o["breach"].is_null() {
                "-".to_string()
            } else {
                format!("{}/{}", s(&o["breach"]["kind"]), s(&o["breach"]["basis"]))
            };
            format!(
                "{} {} {} {} {} {}",
                o["review_number"].as_u64().map_or("-".to_string(), |n| n.to_string()),
                s(&o["latest"]),
                s(&o["latest_working_day"]),
                s(&o["done"]),
                o["projected"].as_bool().unwrap(),
                breach
            )
        })
        .collect()
}
