//! The JSON request boundary (`json::schedule_json`, behind `schedule --json` and the C ABI):
//! any input gives a response or an error object, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match lac_timescales::json::schedule_json(&text) {
        Ok(response) => {
            let v: serde_json::Value = serde_json::from_str(&response).expect("a response is JSON");
            assert!(v.get("obligations").is_some() && v.get("error").is_none());
        }
        Err(err) => {
            let object = lac_timescales::json::error_json(&err);
            let e: lac_timescales::json::ErrorResponse =
                serde_json::from_str(&object).expect("an error is an error object");
            assert!(!e.error.kind.is_empty() && !e.error.message.is_empty());
        }
    }
});
