//! Full case schedules of synthetic histories: the same 1,024 histories of 5-10 events as
//! `cargo run --release --example schedule -- throughput N` (became looked after, then reviews,
//! some adjourned, some significant changes), England statute, 12-month horizon; and the same
//! histories with placements and social worker visits added.
//!
//! Run: `cargo bench --bench schedule`. The README reports the figure.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lac_timescales::calendar::Calendar;
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, ScheduleOptions};
use std::hint::black_box;

#[path = "../examples/shared/synthetic.rs"]
mod synthetic;

fn bench(c: &mut Criterion) {
    let cal = Calendar::england_and_wales();
    let profile = Profile::builtin("england").unwrap();
    let opts = ScheduleOptions::default();
    let mut g = c.benchmark_group("schedule");
    for (name, cases) in [
        ("full_schedules_1024", synthetic::histories()),
        ("full_schedules_1024_with_placements", synthetic::histories_with_placements()),
    ] {
        g.throughput(Throughput::Elements(cases.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut obligations = 0usize;
                for case in &cases {
                    if let Ok(s) = schedule(black_box(case), &profile, &cal, &opts) {
                        obligations += s.obligations.len();
                    }
                }
                obligations
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
