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
    assert_eq!(names(&want[22]), ("dudley", "2026.2", base.statutory_version.as_str()));
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

/// Schedules that stop with an error part-way (a date past the calendar's end in the meeting
/// pass; more obligations than allowed; more candidate rules than allowed) interleaved on one
/// thread with schedules that succeed: each gives what a fresh thread gives (the cache is emptied
/// whichever way a schedule ends).
#[test]
fn a_schedule_that_fails_part_way_leaves_nothing_for_the_next() {
    let ev = |date, kind| Event::new(date, kind);
    let held = || EventKind::ReviewHeld { meeting: true, regimes: None };
    // Adjourned on Fri 20 Dec 2199: completion within 20 working days falls after 31 Dec 2199.
    let range = CaseHistory::new(
        Jurisdiction::England,
        Child::default(),
        vec![ev(d(2199, 12, 1), EventKind::BecameLookedAfter), ev(d(2199, 12, 20), EventKind::ReviewAdjourned)],
    )
    .unwrap();
    // A review every day for 2,000 days: over 20,000 obligations under Dudley's rules (from 2 Jan
    // 2023: Dudley's rules apply from 8 Aug 2022).
    let daily = |start: NaiveDate, n: i64, step: i64| {
        let mut events = vec![ev(start, EventKind::BecameLookedAfter)];
        events.extend((1..=n).map(|k| ev(start + chrono::Duration::days(k * step), held())));
        CaseHistory::new(Jurisdiction::England, Child::default(), events).unwrap()
    };
    let many = daily(d(2023, 1, 2), 2_000, 1);
    // 1,999 local rules for one duty at each of 80 weekly reviews: over 8 x 20,000 candidates.
    let rules: String = (0..1_999)
        .map(|k| {
            format!(
                "[[rule]]\nduty = \"iro_speak_to_child\"\nrole = \"iro\"\nanchor = \"review_date\"\n\
                 direction = \"before\"\nperiod = \"0 days\"\naction = \"Speak\"\n\
                 citation = {{ instrument = \"I\", provision = \"p{}\", status = \"V\" }}\n",
                k % 7
            )
        })
        .collect();
    let crowded = Profile::from_toml(
        "crowded.toml",
        &format!("id = \"crowded\"\nname = \"C\"\nkind = \"local\"\nextends = \"england\"\nversion = \"1\"\nsource = \"x\"\n{rules}"),
    )
    .unwrap();
    let weekly = daily(d(2000, 1, 3), 80, 7);
    let fewer_weekly = daily(d(2000, 1, 3), 10, 7);
    let (england, dudley) = (Profile::builtin("england").unwrap(), Profile::builtin("dudley").unwrap());
    let ok = case();
    let runs: Vec<(&CaseHistory, &Profile)> = vec![
        (&ok, &dudley),
        (&range, &england),
        (&ok, &england),
        (&many, &dudley),
        (&ok, &dudley),
        (&weekly, &crowded),
        (&fewer_weekly, &crowded),
        (&ok, &dudley),
        (&range, &dudley),
        (&ok, &dudley),
    ];
    let outcome = |s: Result<Schedule, lac_timescales::Error>| match s {
        Ok(s) => Ok(format!("{s:?}")),
        Err(e) => Err(e.to_string()),
    };
    let cal = Calendar::england_and_wales();
    // No as-at date (the events run to 2199), no projection.
    let open = ScheduleOptions::default().with_horizon_months(0);
    let want: Vec<_> = runs
        .iter()
        .map(|(c, p)| std::thread::scope(|s| s.spawn(|| outcome(schedule(c, p, &cal, &open))).join().unwrap()))
        .collect();
    // The failures are those meant (by hand: the limits and the range).
    let err = |k: usize| want[k].clone().unwrap_err();
    assert!(
        err(1).contains("3 months after event 1 (review_adjourned) on 2199-12-20 falls outside the supported range 1971-01-01 to 2199-12-31"),
        "{}",
        err(1)
    );
    assert!(err(3).contains("above the limit of 20000"), "{}", err(3));
    // Candidate rules over 8 x 20,000: the error names that limit, not the obligations'.
    assert!(err(5).contains("number of candidate rules") && err(5).contains("above the limit of 160000"), "{}", err(5));
    assert!(want[6].is_ok() && want[0].is_ok());
    for _ in 0..2 {
        for (k, (c, p)) in runs.iter().enumerate() {
            assert_eq!(outcome(schedule(c, p, &cal, &open)), want[k], "run {k}");
        }
    }
}
