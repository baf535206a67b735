//! The local profile loader (`Profile::from_toml`): any text gives a profile or a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = lac_timescales::profile::Profile::from_toml("fuzz.toml", text) {
            assert!(!e.to_string().is_empty());
        }
    }
});
