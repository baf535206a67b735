//! Builds `ffi/tests/c/stress_lact.c` (adv8's adversarial C program: threads re-registering a
//! council's profile while others schedule with it, per-thread last errors, dates in years far
//! outside the calendar) with the system C compiler against the shared library Cargo built for
//! this test run, and runs it. Under valgrind by hand:
//! `valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1 target/debug/deps/stress_lact_c`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    exe.parent().expect("the test executable's directory").to_path_buf()
}

#[test]
#[cfg(target_os = "linux")]
fn c_stress_program_passes() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib_dir = library_dir();
    let lib = lib_dir.join("liblac_timescales_ffi.so");
    assert!(lib.exists(), "{} was not built", lib.display());
    let out = lib_dir.join("stress_lact_c");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let compiled = Command::new(&cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-pthread", "-I"])
        .arg(crate_dir.join("include"))
        .arg(crate_dir.join("tests/c/stress_lact.c"))
        .arg("-o")
        .arg(&out)
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run the C compiler {cc:?}: {e}"));
    assert!(
        compiled.status.success(),
        "the C stress program did not compile:\n{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    let run = Command::new(&out).output().expect("run the C stress program");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the C stress program failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all checks passed"), "{stdout}");
}
