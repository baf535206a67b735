//! Profiles that share their rules (the same `Arc`s) but not their names, scheduled one after
//! another on one thread and on several: each schedule's metadata names its own profile, and its
//! obligations are those a thread that never saw another profile makes. The engine keeps, per
//! thread, the rule groups of the last few profiles keyed by the rules' addresses, and the
//! metadata names with those groups (`engine::perf::Cache`): these tests would catch names kept
//! from the wrong profile, or groups of one rule order reused for another.

use std::sync::Arc;

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, Schedule, ScheduleOptions};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn case() -> CaseHistory {
    CaseHistory::new(
        Jurisdiction::England,
        Child::default(),
        vec![
            Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
            Event::new(d(2026, 1, 29), EventKind::ReviewHeld { meeting: true, regimes: None }),
            Event::new(d(2026, 4, 22), EventKind::ReviewAdjourned),
            Event::new(d(2026, 5, 6), EventKind::ReviewHeld { meeting: true, regimes: None }),
        ],
    )
    .unwrap()
}

/// `base` under another id and versions, with the very same rule `Arc`s.
fn renamed(base: &Profile, id: &str, version: &str, statutory_version: &str) -> Profile {
    let mut p = base.clone();
    p.id = id.into();
    p.version = version.into();
    p.statutory_version = statutory_version.into();
    assert!(p.rules.iter().zip(&base.rules).all(|(a, b)| Arc::ptr_eq(a, b)));
    p
}

fn opts() -> ScheduleOptions {
    ScheduleOptions::as_at(d(2026, 6, 1)).with_horizon_months(6)
}

/// The schedule a thread that has scheduled nothing else makes.
fn fresh(case: &CaseHistory, p: &Profile) -> Schedule {
    std::thread::scope(|s| {
        s.spawn(|| schedule(case, p, &Calendar::england_and_wales(), &opts()).unwrap()).join().unwrap()
    })
}

fn names(s: &Schedule) -> (&str, &str, &str) {
    (&s.metadata.profile, &s.metadata.profile_version, &s.metadata.statutory_profile_version)
}

/// Checks `s` against `want`, the same profile's schedule on a fresh thread: its names are the
/// profile's own, its obligations and metadata the same.
fn check(s: &Schedule, p: &Profile, want: &Schedule) {
    assert_eq!(names(s), (p.id.as_str(), p.version.as_str(), p.statutory_version.as_str()));
    assert_eq!(format!("{s:?}"), format!("{want:?}"));
    assert_eq!(serde_json::to_string(s).unwrap(), serde_json::to_string(want).unwrap());
}

/// Twenty profiles with the same rules (more than the names a thread keeps interned, 16), and
/// two that differ only in one name each, scheduled in turn on one thread, three rounds.
#[test]
fn profiles_sharing_rules_keep_their_own_names_on_one_thread() {
    let case = case();
    let base = Profile::builtin("dudley").unwrap();
    let mut profiles: Vec<Profile> =
        (0..20).map(|k| renamed(&base, &format!("copy-{k}"), &format!("v{k}"), &format!("s{k}"))).collect();
    // Differing from copy-0 in the version only, then in the statutory version only.
    profiles.push(renamed(&base, "copy-0", "v0-other", "s0"));
    profiles.push(renamed(&base, "copy-0", "v0", "s0-other"));
    profiles.push(base.clone());
    let want: Vec<Schedule> = profiles.iter().map(|p| fresh(&case, p)).collect();
    // The fresh schedules name their own profiles (by hand: the ids and versions set above).
    assert_eq!(names(&want[3]), ("copy-3", "v3", "s3"));
    assert_eq!(names(&want[20]), ("copy-0", "v0-other", "s0"));
    assert_eq!(names(&want[21]), ("copy-0", "v0", "s0-other"));
    assert_eq!(names(&want[22]), ("dudley", "2026.1", base.statutory_version.as_str()));
    let cal = Calendar::england_and_wales();
    for round in 0..3 {
        for (k, p) in profiles.iter().enumerate() {
            // Each twice running (names kept with the groups), then the next.
            for _ in 0..2 {
                let s = schedule(&case, p, &cal, &opts()).unwrap();
                check(&s, p, &want[k]);
            }
        }
        // Back and forth between two profiles of the same rules.
        for k in 0..6 {
            let p = &profiles[if (k + round) % 2 == 0 { 20 } else { 21 }];
            let w = &want[if (k + round) % 2 == 0 { 20 } else { 21 }];
            check(&schedule(&case, p, &cal, &opts()).unwrap(), p, w);
        }
    }
}

/// The same profiles on four threads at once, each in its own order.
#[test]
fn profiles_sharing_rules_keep_their_own_names_on_several_threads() {
    let case = case();
    let base = Profile::builtin("england").unwrap();
    let profiles: Vec<Profile> =
        (0..6).map(|k| renamed(&base, &format!("p{k}"), &format!("{k}.0"), &format!("st{k}"))).collect();
    let want: Vec<Schedule> = profiles.iter().map(|p| fresh(&case, p)).collect();
    assert_eq!(names(&want[5]), ("p5", "5.0", "st5"));
    std::thread::scope(|s| {
        for t in 0..4usize {
            let (case, profiles, want) = (&case, &profiles, &want);
            s.spawn(move || {
                let cal = Calendar::england_and_wales();
                for i in 0..60usize {
                    let k = (i * (t + 1) + t) % profiles.len();
                    check(&schedule(case, &profiles[k], &cal, &opts()).unwrap(), &profiles[k], &want[k]);
                }
            });
        }
    });
}

/// Profiles made of the same rule `Arc`s in other orders (statute's rules reversed, local rules
/// moved first) or with one rule left out: each gives the schedule a fresh thread gives, whichever
/// was scheduled before it on the thread (the groups are keyed by the addresses in order).
#[test]
fn reordered_rules_at_the_same_addresses_are_not_mixed_up() {
    let case = case();
    let base = Profile::builtin("dudley").unwrap();
    let n_statute = Profile::builtin("england").unwrap().rules.len();
    let mut local_first = base.clone();
    local_first.rules.rotate_left(n_statute);
    local_first.id = "local-first".into();
    let mut reversed = base.clone();
    reversed.rules.reverse();
    reversed.id = "reversed".into();
    let mut fewer = base.clone();
    fewer.rules.pop();
    fewer.id = "fewer".into();
    // Two rules swapped: same length, same set of addresses.
    let mut swapped = base.clone();
    swapped.rules.swap(0, n_statute);
    swapped.id = "swapped".into();
    let profiles = [base, local_first, reversed, fewer, swapped];
    let want: Vec<Schedule> = profiles.iter().map(|p| fresh(&case, p)).collect();
    let cal = Calendar::england_and_wales();
    // More profiles than a thread caches (4), in several orders.
    for order in [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 0, 4, 2, 3], [2, 2, 0, 4, 4]] {
        for k in order {
            check(&schedule(&case, &profiles[k], &cal, &opts()).unwrap(), &profiles[k], &want[k]);
        }
    }
}
