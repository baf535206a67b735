//! The GOV.UK bank-holidays feed parser (`Calendar::with_govuk_json`): any text gives a calendar
//! or a typed error, and a calendar it gives still answers in its whole range.
#![no_main]

use lac_timescales::calendar::{Calendar, FIRST_DATE, LAST_DATE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match Calendar::england_and_wales().with_govuk_json(text) {
            Ok(cal) => {
                assert!(cal.is_working_day(FIRST_DATE).is_ok() && cal.is_working_day(LAST_DATE).is_ok());
                assert!(cal.add_working_days(FIRST_DATE, 20).is_ok());
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
});
