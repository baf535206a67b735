//! The C entry points, called through the rlib with random input: they never panic, always return
//! a documented status, write their out-parameters exactly as documented, and keep the last error
//! in step with the status.

#![deny(clippy::undocumented_unsafe_blocks)]

use std::ffi::{c_char, CStr, CString};

use lac_timescales_ffi::*;
use proptest::prelude::*;
use serde_json::Value;

fn last_error() -> Option<String> {
    // SAFETY: NULL with length 0 is allowed.
    let need = unsafe { lact_last_error(std::ptr::null_mut(), 0) };
    if need == 0 {
        return None;
    }
    let mut buf = vec![0u8; need];
    // SAFETY: `buf` has `need` writable bytes.
    assert_eq!(unsafe { lact_last_error(buf.as_mut_ptr().cast(), need) }, need);
    assert_eq!(buf.pop(), Some(0));
    Some(String::from_utf8(buf).expect("the message is UTF-8"))
}

/// Calls `lact_schedule_json` and checks the contract; returns the status and the response text.
fn call(request: &[u8]) -> Result<(lact_status, String), TestCaseError> {
    let c = CString::new(request.iter().map(|&b| if b == 0 { b'0' } else { b }).collect::<Vec<u8>>()).unwrap();
    let mut out: *mut c_char = std::ptr::null_mut();
    // SAFETY: `c` is NUL-terminated and lives for the call; `out` is a valid place for a pointer.
    let status = unsafe { lact_schedule_json(c.as_ptr(), &mut out) };
    prop_assert!(!out.is_null(), "no response for status {status:?}");
    // SAFETY: the library returned a NUL-terminated string it owns until lact_string_free.
    let text = unsafe { CStr::from_ptr(out) }.to_str().expect("UTF-8").to_string();
    // SAFETY: `out` came from the library and is freed once.
    unsafe { lact_string_free(out) };
    let value: Value = serde_json::from_str(&text).expect("the response is JSON");
    if status == lact_status::LACT_OK {
        prop_assert!(value.get("obligations").is_some(), "{text}");
        prop_assert_eq!(last_error(), None);
    } else {
        prop_assert!(
            matches!(
                status,
                lact_status::LACT_INVALID_UTF8
                    | lact_status::LACT_INVALID_JSON
                    | lact_status::LACT_INVALID_INPUT
                    | lact_status::LACT_INVALID_EVENT
                    | lact_status::LACT_INVALID_DATA
                    | lact_status::LACT_DATE_OUT_OF_RANGE
                    | lact_status::LACT_REQUEST_TOO_LARGE
            ),
            "unexpected status {:?} for {:?}",
            status,
            String::from_utf8_lossy(request)
        );
        let message = value["error"]["message"].as_str().expect("an error object").to_string();
        prop_assert_eq!(last_error(), Some(message.replace('\0', "\\0")));
        if status == lact_status::LACT_INVALID_JSON {
            prop_assert!(serde_json::from_slice::<Value>(request).is_err());
        }
    }
    Ok((status, text))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_through_the_c_entry_point(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let (status, _) = call(&bytes)?;
        prop_assert_ne!(status, lact_status::LACT_OK);
        if std::str::from_utf8(&bytes).is_err() {
            // (NUL bytes were replaced by '0': both are ASCII, so validity is unchanged.)
            prop_assert_eq!(status, lact_status::LACT_INVALID_UTF8);
        }
    }

    #[test]
    fn random_requests_through_the_c_entry_point(
        j in prop::sample::select(vec!["england", "wales", "narnia"]),
        days in prop::collection::vec((0u64..150, prop::sample::select(vec![
            "review_held", "significant_change", "iro_requested_review", "ceased_to_be_looked_after",
            "became_looked_after", "review_adjourned", "no_such_event",
        ])), 0..8),
        start in 0u64..80_000,
    ) {
        let mut d = chrono::NaiveDate::from_ymd_opt(1971, 1, 1).unwrap() + chrono::Days::new(start);
        let mut events = vec![serde_json::json!({"event": "became_looked_after", "date": d.to_string()})];
        for (gap, e) in days {
            d = d + chrono::Days::new(gap);
            events.push(serde_json::json!({"event": e, "date": d.to_string()}));
        }
        let request = serde_json::json!({"jurisdiction": j, "events": events}).to_string();
        let (status, text) = call(request.as_bytes())?;
        // The C layer gives exactly what the JSON boundary gives.
        match lac_timescales::json::schedule_json(&request) {
            Ok(expected) => { prop_assert_eq!(status, lact_status::LACT_OK); prop_assert_eq!(text, expected); }
            Err(expected) => { prop_assert_ne!(status, lact_status::LACT_OK); prop_assert_eq!(text, lac_timescales::json::error_json(&expected)); }
        }
    }

    #[test]
    fn random_dates_through_the_working_day_functions(y in prop_oneof![any::<i32>(), 1965i32..2205], m in -2i32..15, d in -2i32..34, n in prop_oneof![any::<i32>(), -3i32..1000]) {
        for forward in [true, false] {
            let (mut oy, mut om, mut od) = (-9, -9, -9);
            // SAFETY: the out-pointers are valid `int32_t`s.
            let status = unsafe {
                if forward {
                    lact_add_working_days(y, m, d, n, &mut oy, &mut om, &mut od)
                } else {
                    lact_sub_working_days(y, m, d, n, &mut oy, &mut om, &mut od)
                }
            };
            match status {
                lact_status::LACT_OK => {
                    prop_assert!((1971..=2199).contains(&oy) && (1..=12).contains(&om) && (1..=31).contains(&od));
                }
                lact_status::LACT_INVALID_INPUT | lact_status::LACT_DATE_OUT_OF_RANGE => {
                    prop_assert_eq!((oy, om, od), (-9, -9, -9));
                    prop_assert!(last_error().is_some());
                }
                other => prop_assert!(false, "unexpected {:?}", other),
            }
        }
        let mut w = -9;
        // SAFETY: `w` is a valid `int32_t`.
        let status = unsafe { lact_is_working_day(y, m, d, &mut w) };
        prop_assert!(matches!(status, lact_status::LACT_OK | lact_status::LACT_INVALID_INPUT | lact_status::LACT_DATE_OUT_OF_RANGE));
        let written_ok = if status == lact_status::LACT_OK { w == 0 || w == 1 } else { w == -9 };
        prop_assert!(written_ok, "status {:?}, out {}", status, w);
    }

    /// From a working day, n working days forward then n back returns to it, and the day reached
    /// is a working day.
    #[test]
    fn forward_then_back_returns_to_a_working_day(start in 0u64..80_000, n in 1i32..400) {
        let date = chrono::NaiveDate::from_ymd_opt(1971, 1, 1).unwrap() + chrono::Days::new(start);
        use chrono::Datelike;
        let (y, m, d) = (date.year(), date.month() as i32, date.day() as i32);
        let mut w = 0;
        // SAFETY: valid out-pointer.
        prop_assert_eq!(unsafe { lact_is_working_day(y, m, d, &mut w) }, lact_status::LACT_OK);
        prop_assume!(w == 1);
        let (mut y2, mut m2, mut d2) = (0, 0, 0);
        // SAFETY: valid out-pointers.
        prop_assume!(unsafe { lact_add_working_days(y, m, d, n, &mut y2, &mut m2, &mut d2) } == lact_status::LACT_OK);
        let mut w2 = 0;
        // SAFETY: valid out-pointer.
        prop_assert_eq!(unsafe { lact_is_working_day(y2, m2, d2, &mut w2) }, lact_status::LACT_OK);
        prop_assert_eq!(w2, 1);
        let (mut y3, mut m3, mut d3) = (0, 0, 0);
        // SAFETY: valid out-pointers.
        prop_assert_eq!(unsafe { lact_sub_working_days(y2, m2, d2, n, &mut y3, &mut m3, &mut d3) }, lact_status::LACT_OK);
        prop_assert_eq!((y3, m3, d3), (y, m, d));
    }
}
