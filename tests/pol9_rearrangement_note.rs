//! The note on a rearrangement's authorisation names the procedure by its basis identifier,
//! "the local:isu-procedure procedure requires the IRO's authority" (pol9, session 9, reading an
//! ISU case's explanations as an IRO would): an identifier, and "procedure procedure". The note
//! is made in `src/engine/clocks/rearrangement.rs`; fixed in session 9: "the local procedure
//! (isu-procedure) requires the IRO's authority", as the web page labels a local basis.
//!
//! The case: ISU; looked after Mon 5 Jan 2026, first review Thu 29 Jan; the second is due within
//! 3 months, Wed 29 Apr 2026. On Mon 20 Apr it was moved from Fri 24 Apr to Wed 6 May, past it.

use lac_timescales::json::schedule_json;
use serde_json::Value;

#[test]
fn the_authorisation_note_names_the_procedure_plainly() {
    let out = schedule_json(
        r#"{"jurisdiction": "england", "profile": "isu-procedure", "as_at": "2026-04-21", "horizon_months": 0,
            "explain": true, "events": [
            {"event": "became_looked_after", "date": "2026-01-05"},
            {"event": "review_held", "date": "2026-01-29"},
            {"event": "review_rearranged", "date": "2026-04-20", "from": "2026-04-24", "to": "2026-05-06"}]}"#,
    )
    .unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    let auth = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["duty"] == "authorise_rearrangement")
        .expect("an authorisation");
    assert_eq!(auth["latest"], "2026-04-20");
    let text = auth["explanation"].to_string();
    assert!(text.contains("the local procedure (isu-procedure) requires the IRO's authority"), "{text}");
    assert!(!text.contains("local:isu-procedure procedure"), "{text}");
}
