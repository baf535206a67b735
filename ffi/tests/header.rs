//! The committed C header is exactly what cbindgen generates from `ffi/src/lib.rs`.
//!
//! Regenerate it after changing the ABI with
//! `LACT_BLESS=1 cargo test -p lac-timescales-ffi --test header`.

use std::path::Path;

#[test]
fn committed_header_matches_cbindgen_output() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("ffi/cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header")
        .write(&mut generated);
    let generated = String::from_utf8(generated).expect("the header is UTF-8");
    let path = crate_dir.join("include/lac_timescales.h");
    if std::env::var_os("LACT_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write the header");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ffi/include/lac_timescales.h is out of date with ffi/src/lib.rs; \
         regenerate it with LACT_BLESS=1 cargo test -p lac-timescales-ffi --test header"
    );
}

#[test]
fn header_declares_every_entry_point_and_fixed_status_numbers() {
    let header = include_str!("../include/lac_timescales.h");
    for f in [
        "const char *lact_version(void);",
        "lact_status lact_schedule_json(const char *request, char **response_out);",
        "lact_status lact_audit_json(const char *request, char **response_out);",
        "void lact_string_free(char *s);",
        "lact_status lact_register_profile(const char *id, const char *toml);",
        "lact_status lact_unregister_profile(const char *id, int32_t *removed_out);",
        "size_t lact_last_error(char *buf, size_t len);",
        "lact_status lact_is_working_day(int32_t year, int32_t month, int32_t day, int32_t *is_working_out);",
    ] {
        assert!(header.contains(f), "missing {f}");
    }
    for s in ["LACT_OK = 0,", "LACT_NULL_ARGUMENT = 1,", "LACT_PANIC = 7,", "LACT_OTHER_ERROR = 12,"] {
        assert!(header.contains(s), "missing {s}");
    }
}
