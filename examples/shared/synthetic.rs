//! The synthetic case histories timed by `schedule throughput N` and `cargo bench --bench
//! schedule` (one generator, so both measure the same work): 1,024 histories of 5-10 events
//! (became looked after, then reviews, some adjourned, some significant changes) from a fixed
//! linear congruential sequence.

use chrono::NaiveDate;
use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};

/// The 1,024 histories.
pub fn histories() -> Vec<CaseHistory> {
    let base = NaiveDate::from_ymd_opt(2012, 1, 2).expect("valid date");
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
            CaseHistory::new(Jurisdiction::England, Child::default(), events).expect("synthetic case is valid")
        })
        .collect()
}
