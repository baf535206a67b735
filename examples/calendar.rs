//! The England and Wales working-day calendar from the command line.
//!
//! ```text
//! cargo run --example calendar -- [OPTIONS] holidays FROM_YEAR TO_YEAR
//! cargo run --example calendar -- [OPTIONS] offset            < lines "YYYY-MM-DD N"
//! cargo run --example calendar -- [OPTIONS] between A B
//! cargo run --example calendar -- [OPTIONS] table FROM_YEAR TO_YEAR [--format csv|sql]
//! cargo run --release --example calendar -- throughput N
//!
//! OPTIONS (before the subcommand):
//!   --govuk-json FILE     take bank holidays from a GOV.UK bank-holidays JSON file
//!   --closure-days FILE   extra closure days, one YYYY-MM-DD a line (optionally a name after it)
//! ```
//!
//! `holidays` prints one line per weekday that is not a working day: `YYYY-MM-DD<TAB>name`, with
//! `<TAB>provisional` for days projected by rule in years not yet announced.
//! `offset` reads `YYYY-MM-DD N` lines (N non-zero: positive = N-th working day after, negative =
//! N-th working day before) and prints one date per line; a bad line prints `error: <reason>` in
//! its place and the exit status is 1.
//! `between A B` prints the number of working days x with A < x <= B (negative when B < A).
//! `table` prints one row per date (`date`, `working_day`, `working_day_number`, `holiday`,
//! `provisional`) as CSV (the default) or as an SQL script creating and filling `lac_calendar`.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::time::Instant;

use chrono::{Datelike, NaiveDate, Weekday};
use lac_timescales::calendar::{table_csv, table_sql, Calendar};

const USAGE: &str = "usage: calendar [--govuk-json FILE] [--closure-days FILE] <holidays FROM_YEAR TO_YEAR | offset | between A B | table FROM_YEAR TO_YEAR [--format csv|sql] | throughput N>
       calendar --help";

/// The prefix of an error about the arguments themselves (printed with the usage); any other
/// error is about the data and is printed alone.
const ARGS: &str = "arguments: ";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(args) {
        Ok(code) => code,
        Err(msg) => match msg.strip_prefix(ARGS) {
            Some(msg) => {
                eprintln!("error: {msg}\n{USAGE}");
                ExitCode::from(2)
            }
            None => {
                eprintln!("error: {msg}");
                ExitCode::from(2)
            }
        },
    }
}

/// A data file named on the command line: a regular file of at most 8 MiB (a FIFO or a device is
/// refused rather than read without end).
fn read(file: &str, flag: &str) -> Result<String, String> {
    lac_timescales::input::read_file(std::path::Path::new(file), 8 * 1024 * 1024, flag).map_err(|e| match e {
        lac_timescales::Error::InvalidInput { reason, .. } => format!("cannot read {file}: {reason}"),
        e => e.to_string(),
    })
}

fn run(args: Vec<String>) -> Result<ExitCode, String> {
    let mut cal = Calendar::england_and_wales();
    let mut rest = args.as_slice();
    loop {
        match rest {
            [flag, file, tail @ ..] if flag == "--govuk-json" => {
                let text = read(file, "--govuk-json")?;
                cal = cal.with_govuk_json(&text).map_err(|e| e.to_string())?;
                rest = tail;
            }
            [flag, file, tail @ ..] if flag == "--closure-days" => {
                let text = read(file, "--closure-days")?;
                let days = Calendar::parse_closure_days(&text).map_err(|e| format!("{file}: {e}"))?;
                cal = cal.with_closure_days(days).map_err(|e| format!("{file}: {e}"))?;
                rest = tail;
            }
            [flag] if flag.starts_with("--") => return Err(format!("{ARGS}{flag} needs a FILE")),
            _ => break,
        }
    }
    match rest {
        [cmd, from, to] if cmd == "holidays" => holidays(&cal, from, to),
        [cmd] if cmd == "offset" => offset(&cal),
        [cmd, a, b] if cmd == "between" => {
            let n = cal.working_days_between(date(a)?, date(b)?).map_err(|e| e.to_string())?;
            println!("{n}");
            Ok(ExitCode::SUCCESS)
        }
        [cmd, n] if cmd == "throughput" => throughput(&cal, n),
        [cmd, from, to] if cmd == "table" => table(&cal, from, to, "csv"),
        [cmd, from, to, flag, format] if cmd == "table" && flag == "--format" => table(&cal, from, to, format),
        [] => Err(format!("{ARGS}no subcommand given")),
        other => Err(format!("{ARGS}unrecognised arguments: {}", other.join(" "))),
    }
}

fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| format!("bad date {text:?} (expected YYYY-MM-DD): {e}"))
}

fn year(text: &str) -> Result<i32, String> {
    text.parse().map_err(|_| format!("bad year {text:?}"))
}

fn holidays(cal: &Calendar, from: &str, to: &str) -> Result<ExitCode, String> {
    let (from, to) = (year(from)?, year(to)?);
    let start = NaiveDate::from_ymd_opt(from, 1, 1).ok_or(format!("bad year {from}"))?;
    let end = NaiveDate::from_ymd_opt(to, 12, 31).ok_or(format!("bad year {to}"))?;
    let out = std::io::stdout();
    let mut out = out.lock();
    for h in cal.bank_holidays(start, end).map_err(|e| e.to_string())? {
        if matches!(h.date.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        let flag = if h.provisional { "\tprovisional" } else { "" };
        writeln!(out, "{}\t{}{}", h.date, h.name, flag).map_err(|e| e.to_string())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn table(cal: &Calendar, from: &str, to: &str, format: &str) -> Result<ExitCode, String> {
    let rows = cal.table(year(from)?, year(to)?).map_err(|e| e.to_string())?;
    let text = match format {
        "csv" => table_csv(&rows),
        "sql" => table_sql(&rows, "lac_calendar").map_err(|e| e.to_string())?,
        other => return Err(format!("unknown format {other:?} (expected csv or sql)")),
    };
    // Stdout may be a closed pipe (`| head`): stop quietly rather than fail.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(ExitCode::SUCCESS)
}

fn offset_line(cal: &Calendar, line: &str) -> Result<NaiveDate, String> {
    let mut parts = line.split_whitespace();
    let (Some(d), Some(n), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("expected \"YYYY-MM-DD N\", got {line:?}"));
    };
    let d = date(d)?;
    let n: i64 = n.parse().map_err(|_| format!("bad offset {n:?} (expected a non-zero whole number)"))?;
    let magnitude = u32::try_from(n.unsigned_abs()).map_err(|_| format!("offset {n} is too large"))?;
    let r = match n {
        0 => return Err("offset 0 is not allowed (use a positive or negative number)".into()),
        n if n > 0 => cal.add_working_days(d, magnitude),
        _ => cal.sub_working_days(d, magnitude),
    };
    r.map_err(|e| e.to_string())
}

fn offset(cal: &Calendar) -> Result<ExitCode, String> {
    let stdin = std::io::stdin();
    let out = std::io::stdout();
    let mut out = out.lock();
    let mut failed = false;
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| format!("reading stdin: {e}"))?;
        match offset_line(cal, &line) {
            Ok(d) => writeln!(out, "{d}"),
            Err(e) => {
                failed = true;
                writeln!(out, "error: {e}")
            }
        }
        .map_err(|e| e.to_string())?;
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn throughput(cal: &Calendar, n: &str) -> Result<ExitCode, String> {
    let n: usize = n.parse().map_err(|_| format!("bad count {n:?}"))?;
    if n == 0 {
        return Err("throughput needs a count above 0".into());
    }
    // A power of two, so picking an input is a mask rather than a division.
    const INPUTS: usize = 1 << 20;
    // Varied anchors (1971-2148) and offsets (1-260) from a fixed sequence, built before timing.
    let base = NaiveDate::from_ymd_opt(1971, 1, 1).expect("valid date");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let inputs: Vec<(NaiveDate, u32)> = (0..INPUTS)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (base + chrono::Days::new((x >> 33) % 65_000), ((x >> 17) % 260) as u32 + 1)
        })
        .collect();
    let start = Instant::now();
    let mut checksum = 0u64;
    for i in 0..n {
        let (d, k) = inputs[i & (INPUTS - 1)];
        if let Ok(r) = cal.add_working_days(std::hint::black_box(d), k) {
            checksum = checksum.wrapping_add(u64::from(r.ordinal()));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("calls: {n}");
    println!("checksum: {checksum}");
    println!("seconds: {secs:.6}");
    println!("offsets_per_second: {:.0}", n as f64 / secs);
    Ok(ExitCode::SUCCESS)
}
