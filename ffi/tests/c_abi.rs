//! Builds `ffi/tests/c/test_lact.c` with the system C compiler against the shared library that
//! Cargo built for this test run, and runs it. `ffi/ci.sh` runs the same program under valgrind.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The directory holding `liblac_timescales_ffi.so`: Cargo builds the library's cdylib next to
/// this test executable (`target/<profile>/deps/`).
fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    exe.parent().expect("the test executable's directory").to_path_buf()
}

fn shared_library_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "liblac_timescales_ffi.dylib"
    } else {
        "liblac_timescales_ffi.so"
    }
}

#[test]
#[cfg(unix)]
fn c_test_program_passes() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib_dir = library_dir();
    let lib = lib_dir.join(shared_library_name());
    assert!(lib.exists(), "{} was not built", lib.display());
    let out = lib_dir.join("test_lact_c");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let compiled = Command::new(&cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-pthread", "-I"])
        .arg(crate_dir.join("include"))
        .arg(crate_dir.join("tests/c/test_lact.c"))
        .arg("-o")
        .arg(&out)
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run the C compiler {cc:?}: {e}"));
    assert!(
        compiled.status.success(),
        "the C test program did not compile:\n{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    let run = Command::new(&out).output().expect("run the C test program");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the C test program failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("checks passed"), "{stdout}");
}
