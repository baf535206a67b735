//! `add_working_days` over a million varied dates and offsets.
//!
//! Run: `cargo bench --bench calendar`. The README reports the figure.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lac_timescales::calendar::Calendar;
use std::hint::black_box;

fn inputs(n: usize) -> Vec<(NaiveDate, u32)> {
    // A fixed linear congruential sequence: varied anchors across 1971-2150, offsets 1..=260.
    let start = NaiveDate::from_ymd_opt(1971, 1, 1).unwrap();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let day = (x >> 33) % 65_000;
            let n = ((x >> 17) % 260) as u32 + 1;
            (start + chrono::Days::new(day), n)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let cal = Calendar::england_and_wales();
    let data = inputs(1_000_000);
    let mut g = c.benchmark_group("calendar");
    g.throughput(Throughput::Elements(data.len() as u64));
    g.bench_function("add_working_days_1m", |b| {
        b.iter(|| {
            let mut acc = 0i64;
            for &(d, n) in &data {
                if let Ok(r) = cal.add_working_days(black_box(d), black_box(n)) {
                    acc += i64::from(chrono::Datelike::day(&r));
                }
            }
            acc
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
