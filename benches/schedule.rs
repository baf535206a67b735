//! Full case schedules of synthetic histories: the same 1,024 histories of 5-10 events as
//! `cargo run --release --example schedule -- throughput N` (became looked after, then reviews,
//! some adjourned, some significant changes), England statute, 12-month horizon.
//!
//! Run: `cargo bench --bench schedule`. The README reports the figure.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, ScheduleOptions};
use std::hint::black_box;

/// The example's generator: a fixed linear congruential sequence.
fn cases() -> Vec<CaseHistory> {
    let base = NaiveDate::from_ymd_opt(2012, 1, 2).unwrap();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |m: u64| {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % m
    };
    (0..1024)
        .map(|_| {
            let start = base + chrono::Days::new(next(5000));
            let mut d = start;
            let mut events = vec![Event::new(d, EventKind::BecameLookedAfter)];
            let k = 4 + next(6) as usize;
            for j in 0..k {
                d = d + chrono::Days::new(if j == 0 { 15 + next(20) } else { 60 + next(150) });
                let kind = match next(10) {
                    0 => EventKind::SignificantChange { note: None },
                    1 => EventKind::ReviewAdjourned,
                    _ => EventKind::ReviewHeld { meeting: true, regimes: None },
                };
                events.push(Event::new(d, kind));
            }
            CaseHistory::new(Jurisdiction::England, Child::default(), events).unwrap()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let cal = Calendar::england_and_wales();
    let profile = Profile::builtin("england").unwrap();
    let opts = ScheduleOptions::default();
    let cases = cases();
    let mut g = c.benchmark_group("schedule");
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.bench_function("full_schedules_1024", |b| {
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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
