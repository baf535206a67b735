//! The synthetic case histories timed by `schedule throughput N` and `cargo bench --bench
//! schedule` (one generator, so both measure the same work): 1,024 histories of 5-10 events
//! (became looked after, then reviews, some adjourned, some significant changes) from a fixed
//! linear congruential sequence; and the same histories with placements and social worker
//! visits added ([`histories_with_placements`]).

use chrono::NaiveDate;
use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};

/// The 1,024 histories.
pub fn histories() -> Vec<CaseHistory> {
    events().into_iter().map(case).collect()
}

fn case(events: Vec<Event>) -> CaseHistory {
    CaseHistory::new(Jurisdiction::England, Child::default(), events).expect("synthetic case is valid")
}

/// The same 1,024 histories with a placement from the day the child became looked after (every
/// fourth intended to last until 18, every fifth an emergency), a move to a new placement in
/// every third history, and a social worker visit every 5-7 weeks (some late): about 27
/// events a history instead of 7.5.
pub fn histories_with_placements() -> Vec<CaseHistory> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |m: u64| {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % m
    };
    events()
        .into_iter()
        .enumerate()
        .map(|(k, base)| {
            let start = base[0].date;
            let end = base.last().map_or(start, |e| e.date);
            let mut extra = vec![Event::new(
                start,
                EventKind::PlacementStarted {
                    intended_to_last_until_18: k % 4 == 0,
                    emergency: k % 5 == 0,
                    with_parent: false,
                },
            )];
            let mut d = start + chrono::Days::new(1 + next(7));
            let moved = (k % 3 == 0).then(|| start + chrono::Days::new((end - start).num_days().max(2) as u64 / 2));
            while d <= end {
                if moved.is_some_and(|m| extra.iter().all(|e| e.date < m) && d >= m) {
                    let m = moved.unwrap_or(d);
                    extra.push(Event::new(
                        m,
                        EventKind::PlacementStarted {
                            intended_to_last_until_18: false,
                            emergency: false,
                            with_parent: false,
                        },
                    ));
                }
                extra.push(Event::new(d, EventKind::SocialWorkerVisit));
                d = d + chrono::Days::new(35 + next(15));
            }
            // Merge by date, keeping the base events first on a tie (the placement after
            // became_looked_after, visits after a review on the same day).
            let mut events = base;
            for e in extra {
                let at = events.iter().rposition(|x| x.date <= e.date).map_or(0, |i| i + 1);
                events.insert(at, e);
            }
            case(events)
        })
        .collect()
}

fn events() -> Vec<Vec<Event>> {
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
            events
        })
        .collect()
}
