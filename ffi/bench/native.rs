//! The same schedule as `ffi/bench/bench_lact.c`, computed natively in Rust: the request is parsed
//! once, then `schedule::schedule` runs in a loop on 1 and 2 threads. The difference from the C
//! benchmark is the cost of the boundary (parsing the request, writing the response).
//!
//! ```sh
//! cargo run --release -p lac-timescales-ffi --example bench_native -- [SECONDS_PER_RUN] [MAX_THREADS]
//! cargo run --release -p lac-timescales-ffi --example bench_native -- calls N   # for callgrind
//! ```

use std::process::ExitCode;
use std::time::{Duration, Instant};

use lac_timescales::calendar::Calendar;
use lac_timescales::json;
use lac_timescales::schedule::schedule;

/// The README's sample request, as in `bench_lact.c`.
const REQUEST: &str = r#"{"jurisdiction": "england", "profile": "dudley", "as_at": "2026-06-01", "horizon_months": 12,
 "child": {"date_of_birth": "2011-02-14"},
 "events": [{"event": "became_looked_after", "date": "2026-01-05"},
            {"event": "review_held", "date": "2026-01-29"}]}"#;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let req = match json::parse_request(REQUEST) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let (case, profile, options) = match json::prepare(&req) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let cal = Calendar::england_and_wales();
    let run = |n: u64| -> usize {
        let mut obligations = 0;
        for _ in 0..n {
            obligations += schedule(&case, &profile, &cal, &options).map(|s| s.obligations.len()).unwrap_or(0);
        }
        obligations
    };
    if args.first().map(String::as_str) == Some("calls") {
        let n = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1);
        println!("calls: {n} obligations: {}", run(n));
        return ExitCode::SUCCESS;
    }
    let seconds: f64 = args.first().and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let max_threads: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2);
    println!("obligations per schedule: {}", run(1));
    for threads in 1..=max_threads {
        let start = Instant::now();
        let total: u64 = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let end = Instant::now() + Duration::from_secs_f64(seconds);
                        let mut calls = 0u64;
                        while Instant::now() < end {
                            run(64);
                            calls += 64;
                        }
                        calls
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
        });
        let secs = start.elapsed().as_secs_f64();
        println!(
            "threads: {threads}  schedules: {total}  seconds: {secs:.3}  schedules_per_second: {:.0}",
            total as f64 / secs
        );
    }
    ExitCode::SUCCESS
}
