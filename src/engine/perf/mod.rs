//! The speed machinery, kept apart from the law: the per-thread cache of rule groups and scratch
//! vectors, used in place ([`Cache::with`]), the slot index, the
//! integer hasher and the sort keys ([`sort_key`], [`sort_key_64`]). Nothing here changes a
//! result (unit tests compare the fast paths with the plain ones).

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::rules::RuleSets;
use super::{Cand, Extra, Mtg, Pending, Scope};
use crate::model::{Duty, Shared};
use crate::profile::{Basis, Citation, Profile, Rule};

/// What a thread keeps between schedules, so that a schedule allocates little besides its result:
/// the rule groups of the last few profiles and scratch vectors. It never
/// changes a result: groups are reused only for the very same rules (the same `Arc`s, which the
/// cache keeps alive so they cannot be replaced at the same address, in the same order), and the
/// scratch vectors are emptied after each use.
#[derive(Default)]
pub(in crate::engine) struct Cache {
    /// The rules each set of groups was built from, most recent first, with the groups and this
    /// thread's own copies of the rules ([`thread_copies`]) in the order of the groups
    /// ([`grouped_copies`]).
    pub(in crate::engine) groups: Vec<Group>,
    pub(in crate::engine) pending: Vec<Pending>,
    pub(in crate::engine) extras: Vec<Extra>,
    pub(in crate::engine) slots: Slots,
    pub(in crate::engine) meeting_duty: Vec<Option<usize>>,
    pub(in crate::engine) order: Vec<u128>,
    pub(in crate::engine) order_64: Vec<u64>,
    /// The candidate rules' vector, kept empty between schedules (see [`recycle`]).
    pub(in crate::engine) cands: Vec<Cand<'static>>,
    /// Obligations by (duty, scope) (`Builder::index`).
    pub(in crate::engine) index: FastMap<(Duty, Scope), usize>,
    /// Buffers of `Builder` kept empty between schedules (see [`recycle`]).
    pub(in crate::engine) fitting: Vec<Cand<'static>>,
    pub(in crate::engine) mtgs: Vec<Mtg<'static>>,
    /// The profile names and versions of recent schedules, interned ([`Cache::name`]).
    pub(in crate::engine) names: Vec<Shared<str>>,
}

/// The rule groups of one profile's rules, kept by a thread ([`Cache::select`]).
pub(in crate::engine) struct Group {
    /// The rules the groups were built from (compared by identity).
    rules: Vec<Arc<Rule>>,
    pub(in crate::engine) sets: RuleSets,
    /// This thread's copies of the rules ([`thread_copies`]) in the order of the groups
    /// ([`grouped_copies`]).
    pub(in crate::engine) copies: Vec<Rule>,
    /// The metadata names of the last profile scheduled with these rules: its id, version and
    /// statutory version, interned ([`Cache::names`]).
    names: Option<Names>,
}

/// A profile's id, version and statutory version, as a schedule's metadata carries them.
#[derive(Clone)]
pub(in crate::engine) struct Names {
    pub(in crate::engine) id: Shared<str>,
    pub(in crate::engine) version: Shared<str>,
    pub(in crate::engine) statutory_version: Shared<str>,
}

/// An emptied vector's buffer, reused for another lifetime of the same type: the candidates
/// borrow from one schedule's profile, so they cannot be kept as they are.
/// Collecting an emptied `vec::IntoIter` into a vector of a type with the same layout reuses the
/// buffer (the standard library's in-place collection); were it not to, this would merely
/// allocate. No element is ever converted.
pub(in crate::engine) fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// Profiles whose rule groups a thread keeps.
pub(in crate::engine) const CACHED_PROFILES: usize = 4;

/// Metadata names a thread keeps ([`Cache::name`]).
pub(in crate::engine) const KEPT_NAMES: usize = 16;

/// Scratch capacity kept after a schedule (larger vectors are shrunk back).
pub(in crate::engine) const KEEP_CAPACITY: usize = 1024;

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

impl Cache {
    /// Runs `f` on this thread's cache, in place, then empties the cache of this schedule's data
    /// ([`Cache::clean`]), also when `f` panics; on a fresh cache if this thread's is in use or the
    /// thread is ending.
    /// `f` runs once.
    pub(in crate::engine) fn with<R>(mut f: impl FnMut(&mut Cache) -> R) -> R {
        /// Empties the cache when dropped: after `f`, and also on the way out of a panic in `f`
        /// (the FFI and the Python module catch panics and go on using the thread, whose next
        /// schedule must not find this one's data).
        struct Clean<'c>(&'c mut Cache);
        impl Drop for Clean<'_> {
            fn drop(&mut self) {
                self.0.clean();
            }
        }
        CACHE
            .try_with(|c| {
                c.try_borrow_mut().ok().map(|mut c| {
                    let guard = Clean(&mut c);
                    f(&mut *guard.0)
                })
            })
            .ok()
            .flatten()
            .unwrap_or_else(|| f(&mut Cache::default()))
    }

    /// Empties the cache of a schedule's data, keeping the buffers up to [`KEEP_CAPACITY`].
    fn clean(&mut self) {
        self.pending.clear();
        self.extras.clear();
        self.slots.list.clear();
        self.slots.map.clear();
        self.meeting_duty.clear();
        self.order.clear();
        self.order_64.clear();
        self.cands.clear();
        self.cands.shrink_to(KEEP_CAPACITY);
        self.index.clear();
        if self.index.capacity() > KEEP_CAPACITY {
            self.index.shrink_to(KEEP_CAPACITY);
        }
        self.fitting.clear();
        self.fitting.shrink_to(KEEP_CAPACITY);
        self.mtgs.clear();
        self.mtgs.shrink_to(KEEP_CAPACITY);
        self.pending.shrink_to(KEEP_CAPACITY);
        self.extras.shrink_to(KEEP_CAPACITY);
        self.slots.list.shrink_to(KEEP_CAPACITY);
        if self.slots.map.capacity() > KEEP_CAPACITY {
            self.slots.map.shrink_to(KEEP_CAPACITY);
        }
        self.meeting_duty.shrink_to(KEEP_CAPACITY);
        self.order.shrink_to(KEEP_CAPACITY);
        self.order_64.shrink_to(KEEP_CAPACITY);
    }

    /// `text` as a [`Shared`] string, for a schedule's metadata (the profile's id and versions):
    /// found among the few this thread keeps (a comparison of a few bytes), else interned once and
    /// kept, so that a schedule neither allocates nor frees them.
    pub(in crate::engine) fn name(&mut self, text: &str) -> Shared<str> {
        if let Some(n) = self.names.iter().find(|n| ***n == *text) {
            return n.clone();
        }
        let n = Shared::new(text);
        if self.names.len() == KEPT_NAMES {
            self.names.remove(0);
        }
        self.names.push(n.clone());
        n
    }

    /// The metadata names of `profile`, whose rules' groups are at the front ([`Cache::select`]):
    /// those kept with the groups when they are the same text (three short comparisons), else
    /// found or interned by [`Cache::name`] and kept with the groups.
    pub(in crate::engine) fn names(&mut self, profile: &Profile) -> Names {
        if let Some(n) = self.groups.first().and_then(|g| g.names.as_ref()) {
            if *n.id == *profile.id
                && *n.version == *profile.version
                && *n.statutory_version == *profile.statutory_version
            {
                return n.clone();
            }
        }
        let n = Names {
            id: self.name(&profile.id),
            version: self.name(&profile.version),
            statutory_version: self.name(&profile.statutory_version),
        };
        if let Some(g) = self.groups.first_mut() {
            g.names = Some(n.clone());
        }
        n
    }

    /// Moves the groups of `rules` to the front, building them if they are not cached.
    pub(in crate::engine) fn select(&mut self, rules: &[Arc<Rule>]) {
        // Every pointer compared, without stopping at the first difference (a loop the compiler
        // can run several pointers at a time; the cache holds few profiles). Differences rather
        // than exclusive ors: the offset of an `Arc`'s value within its block cancels out, and is
        // not added to every pointer.
        let same =
            |cached: &[Arc<Rule>]| {
                cached.len() == rules.len()
                    && cached.iter().zip(rules).fold(0usize, |diff, (a, b)| {
                        diff | (Arc::as_ptr(a) as usize).wrapping_sub(Arc::as_ptr(b) as usize)
                    }) == 0
            };
        match self.groups.iter().position(|g| same(&g.rules)) {
            Some(0) => {}
            Some(k) => {
                let entry = self.groups.remove(k);
                self.groups.insert(0, entry);
            }
            None => {
                self.groups.truncate(CACHED_PROFILES - 1);
                let sets = RuleSets::new(rules);
                let grouped = grouped_copies(&thread_copies(rules), &sets);
                self.groups.insert(0, Group { rules: rules.to_vec(), sets, copies: grouped, names: None });
            }
        }
    }
}

/// `copies` (in the profile's order) in the order of the groups, `sets.rules`: rule `k` of the
/// groups is `grouped[k]`, one look-up (rules in no group are left out: the engine never uses
/// them).
pub(in crate::engine) fn grouped_copies(copies: &[Rule], sets: &RuleSets) -> Vec<Rule> {
    sets.rules.iter().filter_map(|&k| copies.get(k).cloned()).collect()
}

/// Copies of `rules` owned by this thread: the same values, with their own `Arc`s for the local
/// basis and for any action or citation not interned ([`Shared`]: only past the registry's bound;
/// rules that shared one share its copy).
///
/// An obligation clones its rule's basis (and these, when counted): with the profile's own
/// `Arc`s, every such count change on one thread takes the cache line from the other core when
/// two threads schedule with the same profile, and two threads were hardly faster than one
/// (`perf record`: the `lock` instructions of `Arc::clone` and of dropping obligations were a
/// third of the samples). Obligations built from these copies touch counts no other thread uses;
/// interned actions and citations touch none.
pub(in crate::engine) fn thread_copies(rules: &[Arc<Rule>]) -> Vec<Rule> {
    let mut actions: FastMap<usize, Shared<str>> = FastMap::default();
    let mut citations: FastMap<usize, Shared<Citation>> = FastMap::default();
    let mut bases: FastMap<usize, Arc<str>> = FastMap::default();
    rules
        .iter()
        .map(|r| {
            let mut copy = Rule::clone(r);
            if !r.action.is_interned() {
                copy.action = actions
                    .entry(r.action.as_ptr() as *const u8 as usize)
                    .or_insert_with(|| Shared::counted(Arc::from(&*r.action)))
                    .clone();
            }
            if !r.citation.is_interned() {
                copy.citation = citations
                    .entry(r.citation.as_ptr() as usize)
                    .or_insert_with(|| Shared::counted(Arc::new(Citation::clone(&r.citation))))
                    .clone();
            }
            if let Basis::Local(id) = &r.basis {
                copy.basis = Basis::Local(
                    bases.entry(Arc::as_ptr(id) as *const u8 as usize).or_insert_with(|| Arc::from(&**id)).clone(),
                );
            }
            copy
        })
        .collect()
}

/// A review slot's obligation.
pub(in crate::engine) struct SlotEntry {
    pub(in crate::engine) key: (usize, u32),
    pub(in crate::engine) i: usize,
    pub(in crate::engine) latest: Option<NaiveDate>,
}

/// The slots made so far: a short list searched in order, indexed by a map once it grows.
#[derive(Default)]
pub(in crate::engine) struct Slots {
    pub(in crate::engine) list: Vec<SlotEntry>,
    /// Key -> position in `list`, kept only beyond `SHORT_SLOTS` entries.
    pub(in crate::engine) map: FastMap<(usize, u32), usize>,
}

pub(in crate::engine) const SHORT_SLOTS: usize = 16;

impl Slots {
    pub(in crate::engine) fn get(&self, key: (usize, u32)) -> Option<usize> {
        if self.list.len() <= SHORT_SLOTS {
            self.list.iter().position(|e| e.key == key)
        } else {
            self.map.get(&key).copied()
        }
    }

    pub(in crate::engine) fn push(&mut self, e: SlotEntry) {
        let key = e.key;
        self.list.push(e);
        if self.list.len() > SHORT_SLOTS {
            if self.map.is_empty() {
                self.map.extend(self.list.iter().enumerate().map(|(k, e)| (e.key, k)));
            } else {
                self.map.insert(key, self.list.len() - 1);
            }
        }
    }
}

/// A multiply-rotate hasher (the Fx hash of rustc) for the engine's small internal maps, whose
/// keys are plain integers built by the engine itself: no untrusted keys, so no need for SipHash.
#[derive(Default, Clone, Copy)]
pub(in crate::engine) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_isize(&mut self, n: isize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(in crate::engine) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The sort key of an obligation: undated last, then the day to plan for, review number (none
/// first), duty, and the order of creation. One integer, so sorting compares plain numbers.
/// Fields: undated (bit 127), day (82-122), review number + 1 (48-80), duty (32-47), index (0-31).
pub(in crate::engine) fn sort_key(day: Option<NaiveDate>, review_number: Option<u32>, duty: Duty, i: usize) -> u128 {
    let (undated, day) = match day {
        // Year (order-preserving map of the signed year onto u32), then day of the year.
        Some(d) => (0u128, u128::from((d.year() as u32) ^ 0x8000_0000) << 9 | u128::from(d.ordinal())),
        None => (1, 0),
    };
    let number = review_number.map_or(0, |n| u128::from(n) + 1);
    undated << 127 | day << 82 | number << 48 | (duty_rank(duty) as u128 & 0xFFFF) << 32 | (i as u128 & WIDE_INDEX)
}

/// The index field of a 128-bit sort key.
pub(in crate::engine) const WIDE_INDEX: u128 = 0xFFFF_FFFF;

/// The position of a duty in [`Duty::ALL`] (its declaration order), for sorting.
pub(in crate::engine) fn duty_rank(duty: Duty) -> usize {
    duty as usize
}

/// Bits of the index field of a 64-bit sort key.
pub(in crate::engine) const NARROW_INDEX_BITS: u32 = 21;

/// The same key in 64 bits, when every field fits: dates in 1900-3947 (the calendar covers
/// 1971-2199), review numbers below 65,535, duties below 64 and fewer than 2^21 obligations.
/// Compares exactly as [`sort_key`] does (checked by a unit test); `None` when a field does not
/// fit, and the schedule then sorts on 128-bit keys (so the number of duties has no cap).
pub(in crate::engine) fn sort_key_64(
    day: Option<NaiveDate>,
    review_number: Option<u32>,
    duty: Duty,
    i: usize,
) -> Option<u64> {
    let day = match day {
        Some(d) => {
            let y = u64::try_from(d.year() - 1900).ok().filter(|y| *y < 2048)?;
            y << 9 | u64::from(d.ordinal())
        }
        // Above every date.
        None => 1 << 20,
    };
    let number = match review_number {
        None => 0,
        Some(n) if n < u32::from(u16::MAX) => u64::from(n) + 1,
        Some(_) => return None,
    };
    let duty = u64::try_from(duty_rank(duty)).ok().filter(|d| *d < 64)?;
    if i >= 1 << NARROW_INDEX_BITS {
        return None;
    }
    Some(day << 43 | number << 27 | duty << NARROW_INDEX_BITS | i as u64)
}

/// Whether to sort on 128-bit keys even when 64-bit ones fit (a test hook: both orders are the same).
#[cfg(test)]
pub(in crate::engine) fn force_wide_keys() -> bool {
    FORCE_WIDE.with(|f| f.get())
}

#[cfg(not(test))]
pub(in crate::engine) fn force_wide_keys() -> bool {
    false
}

#[cfg(test)]
thread_local! {
    /// Test hook: sort on 128-bit keys even when 64-bit ones fit.
    pub(in crate::engine) static FORCE_WIDE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::engine::{schedule, ScheduleOptions};
    use crate::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
    use crate::profile::{Basis, Profile};

    /// A recycled vector is empty and keeps its buffer (for another lifetime of the same type),
    /// so that a schedule does not allocate its candidates afresh.
    #[test]
    fn recycle_empties_and_keeps_the_buffer() {
        let text = String::from("a b c");
        let mut v: Vec<&str> = Vec::with_capacity(100);
        v.extend(text.split(' '));
        let w: Vec<&'static str> = recycle(v);
        assert!(w.is_empty());
        assert!(w.capacity() >= 100, "{}", w.capacity());
    }

    /// Obligations carry the profile's interned actions and citations (no reference count) and
    /// take the local basis from this thread's copies of the rules, not from the profile every
    /// thread shares; the copies keep the profile's values, and rules that shared a counted
    /// (not interned) action or citation share its copy.
    #[test]
    fn obligations_use_this_threads_copies_of_the_rules() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let case = CaseHistory::new(
            Jurisdiction::England,
            Child::default(),
            vec![Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter)],
        )
        .unwrap();
        let profile = Profile::builtin_shared("dudley").unwrap();
        let cal = Calendar::england_and_wales();
        let s = schedule(&case, &profile, &cal, &ScheduleOptions::default()).unwrap();
        let shared_basis = |p: *const u8| {
            profile.rules.iter().any(|r| matches!(&r.basis, Basis::Local(id) if Arc::as_ptr(id) as *const u8 == p))
        };
        let mut local_basis = 0;
        for o in &s.obligations {
            assert!(o.action.is_interned() && o.citation.is_interned(), "{o}");
            assert!(profile.rules.iter().any(|r| r.citation.as_ptr() == o.citation.as_ptr()), "{o}");
            if let Basis::Local(id) = &o.basis {
                assert!(!shared_basis(Arc::as_ptr(id) as *const u8), "{o}");
                local_basis += 1;
            }
        }
        assert!(local_basis > 0);
        // The values are the profile's.
        let copies = thread_copies(&profile.rules);
        assert_eq!(copies.len(), profile.rules.len());
        for (c, r) in copies.iter().zip(&profile.rules) {
            assert_eq!(c, &**r);
            assert_eq!((c.action.as_ptr(), c.citation.as_ptr()), (r.action.as_ptr(), r.citation.as_ptr()));
        }
        // In the order of the groups: rule `j` of the groups is the profile's rule `sets.rules[j]`.
        let sets = RuleSets::new(&profile.rules);
        let grouped = grouped_copies(&copies, &sets);
        assert!(grouped.len() > 10 && grouped.len() == sets.rules.len());
        for (g, &k) in grouped.iter().zip(&sets.rules) {
            assert_eq!(g, &*profile.rules[k]);
        }
        // Counted (not interned) actions and citations: each thread has its own copy, shared by
        // the rules that shared one.
        let counted: Vec<Arc<Rule>> = {
            let action = Shared::<str>::counted(Arc::from("Do it"));
            let citation = Shared::counted(Arc::new(Citation::clone(&profile.rules[0].citation)));
            let other = Shared::counted(Arc::new(Citation::clone(&profile.rules[1].citation)));
            let with = |k: usize, citation: &Shared<Citation>| {
                Arc::new(Rule { action: action.clone(), citation: citation.clone(), ..Rule::clone(&profile.rules[k]) })
            };
            vec![with(0, &citation), with(1, &other), with(2, &citation)]
        };
        let copies = thread_copies(&counted);
        for (c, r) in copies.iter().zip(&counted) {
            assert_eq!(c, &**r);
            assert!(!c.action.is_interned() && !c.citation.is_interned());
            assert_ne!(c.action.as_ptr(), r.action.as_ptr());
            assert_ne!(c.citation.as_ptr(), r.citation.as_ptr());
        }
        assert_eq!(copies[0].action.as_ptr(), copies[1].action.as_ptr());
        assert_eq!(copies[0].citation.as_ptr(), copies[2].citation.as_ptr());
        assert_ne!(copies[0].citation.as_ptr(), copies[1].citation.as_ptr());
    }

    /// A panic inside [`Cache::with`] (the FFI and the Python module catch panics and go on using
    /// the thread) leaves none of that schedule's data for the next schedule on the thread: the
    /// next one is the same as before the panic. (With the cache moved out for a schedule, a
    /// panic dropped it; used in place, it must be emptied on the way out of a panic too.)
    #[test]
    fn a_panic_leaves_no_data_for_the_next_schedule() {
        // (Built here, not taken from the engine's test fixture: perf stays below the engine's
        // layers, `tests/layering.rs`.)
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let case = CaseHistory::new(
            Jurisdiction::England,
            Child::default(),
            vec![
                Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
                Event::new(d(2026, 1, 29), EventKind::ReviewHeld { meeting: true, regimes: None }),
            ],
        )
        .unwrap();
        let profile = Profile::builtin_shared("england").unwrap();
        let cal = Calendar::england_and_wales();
        let before = schedule(&case, &profile, &cal, &ScheduleOptions::default()).unwrap();
        assert!(before.obligations.len() > 10);
        // A schedule that fails half way, with data in the cache.
        let caught = std::panic::catch_unwind(|| {
            Cache::with(|c| {
                c.meeting_duty.extend([Some(0); 256]);
                c.order.push(1);
                panic!("a schedule failing half way");
            })
        });
        assert!(caught.is_err());
        let after = std::panic::catch_unwind(|| schedule(&case, &profile, &cal, &ScheduleOptions::default()));
        let after = after.expect("no panic after a panic").unwrap();
        assert_eq!(format!("{:?}", after.obligations), format!("{:?}", before.obligations));
    }
}
