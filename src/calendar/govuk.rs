//! Reading GOV.UK's bank-holidays JSON document.

use chrono::NaiveDate;
use serde_json::Value;

use crate::error::{Error, Result};

pub(crate) const SOURCE: &str = "GOV.UK bank-holidays JSON";
const DIVISION: &str = "england-and-wales";

/// The England and Wales events of a GOV.UK feed: (date, title).
pub(crate) fn parse(json: &str) -> Result<Vec<(NaiveDate, String)>> {
    let doc: Value = serde_json::from_str(json).map_err(|e| {
        Error::data(SOURCE, format!("line {} column {}", e.line(), e.column()), format!("malformed JSON: {e}"))
    })?;
    let top = doc.as_object().ok_or_else(|| Error::data(SOURCE, "top level", "expected a JSON object of divisions"))?;
    let division = top.get(DIVISION).ok_or_else(|| {
        let found: Vec<&str> = top.keys().map(String::as_str).collect();
        Error::data(
            SOURCE,
            "top level",
            format!(
                "no {DIVISION:?} division (found: {})",
                if found.is_empty() { "nothing".into() } else { found.join(", ") }
            ),
        )
    })?;
    let events = division
        .get("events")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::data(SOURCE, format!("{DIVISION}.events"), "missing or not a list"))?;
    let mut out = Vec::with_capacity(events.len());
    for (i, ev) in events.iter().enumerate() {
        let at = |field: &str| format!("{DIVISION}.events[{i}].{field}");
        let date_text = ev
            .get("date")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::data(SOURCE, at("date"), "missing or not a string"))?;
        let date = super::strict_date(date_text)
            .map_err(|reason| Error::data(SOURCE, at("date"), format!("bad date {date_text:?}: {reason}")))?;
        let title = ev
            .get("title")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::data(SOURCE, at("title"), "missing or not a string"))?;
        out.push((date, title.to_string()));
    }
    if out.is_empty() {
        return Err(Error::data(SOURCE, format!("{DIVISION}.events"), "the list is empty"));
    }
    Ok(out)
}
