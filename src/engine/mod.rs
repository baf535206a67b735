//! The engine: a case history, a profile and a calendar give every dated obligation. Public
//! through [`crate::schedule`] (its items are re-exported there).
//!
//! [`schedule`] runs the passes in order (`Builder::run`): the review clocks (`clocks/review.rs`,
//! with early reviews, adjournment and rearrangement beside it), the duties counted from
//! meetings, periods of care and events (`duties/`), the placement clocks (`clocks/placements.rs`:
//! plans, notifications, visits), then the obligations are built in order. Reviews and visits
//! are two uses of one mechanism for a repeating duty (`repeat.rs`). Every candidate rule of an
//! obligation goes through `binding.rs` (the earliest deadline binds); the rules are grouped by
//! pass in `rules.rs`; the speed machinery is in `perf/`. See ARCHITECTURE.md.

use std::sync::Arc;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, DataVersion};
use crate::error::{Error, Result};
use crate::model::walk::Walk;
use crate::model::{Anchor, CaseHistory, Duty, Jurisdiction, Regime, Role, Roles, Shared};
use crate::period::{self, Deadline, Direction, Period};
use crate::profile::{AdjournedReviewDate, Basis, Citation, Profile, Rule};

mod binding;
mod clocks;
mod duties;
mod explain;
mod obligation;
mod perf;
mod repeat;
mod rules;

pub use obligation::{Breach, Considered, Explanation, Metadata, Obligation, Schedule, Triggers};
use obligation::{Rare, Trail};
use perf::{
    duty_rank, force_wide_keys, recycle, sort_key, Cache, FastMap, SlotEntry, Slots, NARROW_INDEX_BITS, WIDE_INDEX,
};
use repeat::{Prev, Recorded, Repeating, Running};
use rules::*;

/// The planning horizon [`schedule`] uses when [`ScheduleOptions::horizon_months`] is `None`:
/// 12 months of projected reviews after the as-at date. (An audit's default is
/// [`crate::audit::AUDIT_DEFAULT_HORIZON_MONTHS`], 0.)
pub const SCHEDULE_DEFAULT_HORIZON_MONTHS: u32 = 12;

/// Options for [`schedule`].
///
/// Defaults (also what `ScheduleOptions::default()` gives): as at the last event's date, a
/// horizon of [`SCHEDULE_DEFAULT_HORIZON_MONTHS`] (12) months, no local calendar. This differs
/// from [`crate::audit::AuditOptions`], whose horizon defaults to 0; build either with its
/// constructor and say the horizon when it matters:
///
/// ```
/// use chrono::NaiveDate;
/// use lac_timescales::schedule::{ScheduleOptions, SCHEDULE_DEFAULT_HORIZON_MONTHS};
/// let o = ScheduleOptions::new();
/// assert_eq!(o.effective_horizon_months(), 12);
/// assert_eq!(SCHEDULE_DEFAULT_HORIZON_MONTHS, 12);
/// let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
/// let o = ScheduleOptions::as_at(d).with_horizon_months(0);
/// assert_eq!((o.as_at, o.horizon_months), (Some(d), Some(0)));
/// assert_eq!(o.effective_horizon_months(), 0);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ScheduleOptions {
    /// The date the schedule is seen from: reviews not held by then are overdue. Default
    /// (`None`): the date of the last event. Must not be before the last event.
    pub as_at: Option<NaiveDate>,
    /// Planning horizon in months after `as_at` for projected reviews. Default (`None`):
    /// [`SCHEDULE_DEFAULT_HORIZON_MONTHS`] = 12; `Some(0)` = no projection beyond the next review.
    pub horizon_months: Option<u32>,
    /// A calendar with council closure days, used for local rules only (statutory rules always
    /// use the calendar passed to [`schedule`]).
    pub local_calendar: Option<Calendar>,
}

impl ScheduleOptions {
    /// The defaults: as at the last event, a 12-month horizon
    /// ([`SCHEDULE_DEFAULT_HORIZON_MONTHS`]), no local calendar. Same as `default()`.
    ///
    /// ```
    /// use lac_timescales::schedule::ScheduleOptions;
    /// assert_eq!(ScheduleOptions::new().effective_horizon_months(), 12);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The defaults, seen as at `date`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::schedule::ScheduleOptions;
    /// let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    /// assert_eq!(ScheduleOptions::as_at(d).as_at, Some(d));
    /// ```
    pub fn as_at(date: NaiveDate) -> Self {
        Self { as_at: Some(date), ..Self::default() }
    }

    /// These options with a horizon of `months` (0 = no projection beyond the next review).
    ///
    /// ```
    /// use lac_timescales::schedule::ScheduleOptions;
    /// assert_eq!(ScheduleOptions::new().with_horizon_months(24).horizon_months, Some(24));
    /// ```
    #[must_use]
    pub fn with_horizon_months(mut self, months: u32) -> Self {
        self.horizon_months = Some(months);
        self
    }

    /// These options with `calendar` for local rules.
    ///
    /// ```
    /// use lac_timescales::{calendar::Calendar, schedule::ScheduleOptions};
    /// let o = ScheduleOptions::new().with_local_calendar(Calendar::england_and_wales());
    /// assert!(o.local_calendar.is_some());
    /// ```
    #[must_use]
    pub fn with_local_calendar(mut self, calendar: Calendar) -> Self {
        self.local_calendar = Some(calendar);
        self
    }

    /// The horizon [`schedule`] will use: `horizon_months`, or 12 when it is `None`.
    ///
    /// ```
    /// use lac_timescales::schedule::ScheduleOptions;
    /// assert_eq!(ScheduleOptions::default().effective_horizon_months(), 12);
    /// ```
    pub fn effective_horizon_months(&self) -> u32 {
        self.horizon_months.unwrap_or(SCHEDULE_DEFAULT_HORIZON_MONTHS)
    }
}

/// Which instance of a duty an obligation is: duties with the same key are one obligation and
/// their rules compete (the earliest deadline binds).
///
/// Slots (review `n` of run `r`) and meetings are kept apart, in `Builder::slots` and
/// `Builder::meeting_duty`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Scope {
    /// A period of care.
    Period(usize),
    /// An event (triggers, disputes, rearrangements).
    Event(usize),
    /// The k-th repetition of a repeating rule from an event.
    Repeat(usize, u32),
    /// A placement (one-off duties counted from its start or end).
    Placement(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum MeetingRef {
    Held(usize),
    Projected(usize),
}

/// A meeting for duty purposes. Held meetings borrow their slots and adjournments from the walk.
#[derive(Debug, Clone)]
struct Mtg<'a> {
    r: MeetingRef,
    date: NaiveDate,
    /// Completion date and whether it is assumed.
    completed: (NaiveDate, bool),
    assumed: bool,
    slots: SlotList<'a>,
    period: usize,
    /// Its place among the reviews of its period of care (1 for the first), secure panel reviews
    /// apart (0 for those).
    ordinal: u32,
    with_meeting: bool,
    adjourned: &'a [usize],
    events: Triggers,
}

/// The (run, review number) pairs a meeting satisfies: borrowed from the walk for held meetings,
/// inline for projected ones (a few clocks at most).
#[derive(Debug, Clone)]
enum SlotList<'a> {
    Borrowed(&'a [(usize, u32)]),
    Inline(usize, [(usize, u32); 4]),
    Owned(Vec<(usize, u32)>),
}

impl SlotList<'_> {
    fn iter(&self) -> std::slice::Iter<'_, (usize, u32)> {
        match self {
            SlotList::Borrowed(s) => s.iter(),
            SlotList::Inline(n, s) => s[..*n].iter(),
            SlotList::Owned(v) => v.iter(),
        }
    }
}

struct Cand<'a> {
    /// The rule (for an authorisation of a rearrangement: the review's rule, which
    /// `Pending::made` replaces when the obligation is built).
    rule: &'a Rule,
    duty: Duty,
    anchor_date: NaiveDate,
    assumed: bool,
    deadline: Option<Deadline>,
    statutory_calendar: bool,
    /// Its deadline falls before the child became looked after (a rule counted back from a
    /// review held soon after): it cannot apply, and any other rule binds before it.
    before_care: bool,
    /// Its rule is a local procedure's not yet in force on the date it was read on: attached
    /// apart (`Builder::aside`) to an obligation that other rules made, it never binds and is
    /// listed after them.
    not_in_force: bool,
    /// Index in `Builder::cands` of the candidate of the same obligation attached before this
    /// one, if any (the chain runs from the latest to the first attached).
    next: Option<u32>,
}

struct Pending {
    duty: Duty,
    regime: Option<Regime>,
    review_number: Option<u32>,
    /// Moved into the obligation when it is built.
    triggered_by: Triggers,
    early: bool,
    /// Shown whatever its day to plan for: a review projected to be held at a meeting inside the
    /// horizon (a joint meeting may come before its own deadline), as the duties of that meeting are.
    in_horizon: bool,
    done: Option<NaiveDate>,
    /// Index in `Builder::extras` of what few obligations have besides, if any.
    extra: Option<u32>,
    /// Indices in `Builder::cands` of the binding candidate and of the one attached last (the
    /// head of the chain through `Cand::next`), and how many candidates there are. Indices fit
    /// in 32 bits: `check_size` stops a schedule long before.
    best: u32,
    latest: u32,
    n_cands: u32,
    /// The held review meeting (index in the walk) a duty counted from a review belongs to, if any.
    meeting: Option<u32>,
}

/// What few obligations have besides (kept apart so that `Pending` stays small).
#[derive(Default)]
struct Extra {
    breach: Option<Breach>,
    note: Option<Box<str>>,
    /// A rule made by the engine for this obligation (authorising a rearrangement).
    made: Option<Arc<Rule>>,
    /// Why a rule of it cannot apply (its deadline falls before the child was looked after).
    before_care: Option<String>,
    /// An occurrence of a repeating clock missed before the clock stopped (`Rare::clock_stopped`).
    clock_stopped: bool,
}

/// The events that triggered an obligation: already shared, or a short list to share.
#[derive(Clone, Copy)]
enum Trig<'t> {
    Shared(&'t Triggers),
    List(&'t [usize]),
}

/// Up to three event indices, kept inline.
#[derive(Debug, Clone, Copy, Default)]
struct Evs {
    ev: [usize; 3],
    len: usize,
}

impl Evs {
    fn one(e: usize) -> Evs {
        Evs { ev: [e, 0, 0], len: 1 }
    }

    fn with(mut self, e: usize) -> Evs {
        // At most two events are ever listed (a start or previous meeting, then one more).
        if let Some(slot) = self.ev.get_mut(self.len) {
            *slot = e;
            self.len += 1;
        }
        self
    }

    fn as_slice(&self) -> &[usize] {
        &self.ev[..self.len]
    }
}

struct Builder<'a, 'c> {
    walk: &'a Walk,
    profile: &'a Profile,
    sets: &'c RuleSets,
    /// This thread's copies of the profile's rules ([`perf::thread_copies`]), in the order of the
    /// groups (`sets.rules`, [`perf::grouped_copies`]): obligations take their `Arc`s from these.
    rules: &'a [Rule],
    cal: &'a Calendar,
    local_cal: Option<&'a Calendar>,
    as_at: Option<NaiveDate>,
    pending: &'c mut Vec<Pending>,
    extras: &'c mut Vec<Extra>,
    /// Every candidate rule of every obligation (one shared vector rather than one per
    /// obligation); each obligation's candidates are chained through `Cand::next`.
    cands: Vec<Cand<'a>>,
    /// Obligations by (duty, scope), for scopes other than slots and meetings.
    index: &'c mut FastMap<(Duty, Scope), usize>,
    /// Each slot (run, review number): its obligation and binding deadline, for midpoints and
    /// rearrangements.
    slots: &'c mut Slots,
    /// The obligation of each (meeting, duty): `meeting_duty[meeting * sets.meeting_cols +
    /// sets.meeting_col[duty]]`, if any.
    meeting_duty: &'c mut Vec<Option<usize>>,
    order: &'c mut Vec<u128>,
    order_64: &'c mut Vec<u64>,
    /// Scratch: the candidate rules of the occurrences a repeating clock is about to make
    /// (`repeat.rs`).
    fitting: Vec<Cand<'a>>,
    /// A buffer kept from one schedule to the next ([`perf::recycle`]) for the meetings
    /// (`clocks/review.rs`).
    mtgs: Vec<Mtg<'a>>,
}

use crate::clocks::PRIMARY;

/// Calendar days from `a` to `b` (negative when `b` is before `a`): `(b - a).num_days()` from
/// the two day numbers.
fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    i64::from(b.num_days_from_ce()) - i64::from(a.num_days_from_ce())
}

/// Hard cap on projected meetings and repetitions, whatever the horizon.
const MAX_PROJECTION: usize = 400;

/// The most obligations one schedule may have, whatever the number of events and the horizon:
/// the total work of one request is bounded (a real child's schedule has hundreds).
pub const MAX_OBLIGATIONS: usize = 20_000;

/// The error when a schedule grows past [`MAX_OBLIGATIONS`] obligations, or past eight times
/// that many candidate rules (`candidates`): computing stops there, and the error names the
/// limit that was passed.
#[cold]
fn too_many_obligations(obligations: usize, candidates: usize) -> Error {
    if obligations > MAX_OBLIGATIONS {
        return Error::LimitExceeded {
            what: "number of obligations in one schedule (computing stopped there)".into(),
            actual: obligations,
            limit: MAX_OBLIGATIONS,
        };
    }
    Error::LimitExceeded {
        what: "number of candidate rules in one schedule, counting every rule that competes for each obligation \
               (computing stopped there)"
            .into(),
        actual: candidates,
        limit: 8 * MAX_OBLIGATIONS,
    }
}

/// Computes the schedule of `case` under `profile` on `calendar`.
///
/// # Errors
/// - [`Error::InvalidInput`] when the profile's jurisdiction differs from the case's, or `as_at`
///   is before the last event or outside the calendar;
/// - [`Error::InvalidEvent`] when no encoded rule was in force for a review clock on its start
///   date (e.g. a looked-after period starting before the 1991 Regulations);
/// - [`Error::DateOutOfRange`] when a deadline would fall outside the calendar;
/// - [`Error::InvalidInput`] naming `horizon_months` when only the projection does (the same
///   case with a horizon of 0 succeeds): the horizon runs past the calendar's last day.
///
/// ```
/// use chrono::NaiveDate;
/// use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
/// use lac_timescales::{calendar::Calendar, profile::Profile, schedule::{schedule, ScheduleOptions}};
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let case = CaseHistory::new(Jurisdiction::England, Child::default(),
///     vec![Event::new(d(2199, 6, 1), EventKind::BecameLookedAfter)])?;
/// let (p, cal) = (Profile::builtin("england")?, Calendar::england_and_wales());
/// // The default 12-month horizon would project reviews past 31 Dec 2199.
/// let e = schedule(&case, &p, &cal, &ScheduleOptions::new()).unwrap_err();
/// assert!(e.to_string().contains("horizon_months"), "{e}");
/// assert!(schedule(&case, &p, &cal, &ScheduleOptions::new().with_horizon_months(0)).is_ok());
/// # Ok::<(), lac_timescales::Error>(())
/// ```
pub fn schedule(
    case: &CaseHistory,
    profile: &Profile,
    calendar: &Calendar,
    options: &ScheduleOptions,
) -> Result<Schedule> {
    schedule_unblamed(case, profile, calendar, options)
        .map_err(|e| blame_event(blame_horizon(e, case, profile, calendar, options), case))
}

/// `e`, or, when it is a date counted past the calendar from a date an event gives (its `date`, or
/// a rearrangement's `from` or `to`), the same error naming that event and field: "20 working
/// days after event 0 (became_looked_after) on 2199-12-31 falls outside ..." (every event giving
/// that date, when several do). A date the schedule assumed (a review not yet held, taken on its
/// last working day) names no event, though one may fall on that day: only a rearrangement
/// moving a review `to` it.
#[cold]
#[inline(never)]
fn blame_event(e: Error, case: &CaseHistory) -> Error {
    let Error::ResultOutOfRange { date, what, first, last } = e else { return e };
    // Counted from an assumed date: only the day a review was moved to gives one.
    let assumed = what.ends_with(ASSUMED_DATE);
    let named: Vec<String> = case
        .events()
        .iter()
        .enumerate()
        .filter_map(|(i, ev)| {
            let field = match ev.kind {
                crate::model::EventKind::ReviewRearranged { to, .. } if assumed && to == date => ", to",
                _ if assumed => return None,
                _ if ev.date == date => "",
                crate::model::EventKind::ReviewRearranged { from, .. } if from == date => ", from",
                crate::model::EventKind::ReviewRearranged { to, .. } if to == date => ", to",
                _ => return None,
            };
            Some(format!("{i} ({}{field})", ev.kind.name()))
        })
        .collect();
    let what = match named.split_last() {
        None => what,
        Some((one, [])) => format!("{} event {one} on", what.trim_end_matches(ASSUMED_DATE)),
        Some((last, rest)) => {
            format!("{} events {} and {last} on", what.trim_end_matches(ASSUMED_DATE), rest.join(", "))
        }
    };
    Error::ResultOutOfRange { date, what, first, last }
}

/// How a date-range error counted from an assumed date (a review not yet held, taken on its last
/// working day; a duty's completion not recorded) names it: "5 working days after the assumed
/// date 2199-12-31 falls outside ...". [`blame_event`] names no event for it, though an event may
/// fall on that day.
const ASSUMED_DATE: &str = " the assumed date";

/// [`period::count`] where the inline count failed (its error, saying when the date counted from
/// was assumed): apart, so that the hot path's code stays as it was.
#[cold]
#[inline(never)]
fn count_slow(
    anchor_date: NaiveDate,
    p: Period,
    direction: Direction,
    cal: &Calendar,
    assumed: bool,
) -> Result<period::Deadline> {
    period::count(anchor_date, p, direction, cal).map_err(|e| if assumed { from_assumed_date(e) } else { e })
}

/// `e`, naming its date as assumed when it is a date counted past the calendar.
#[cold]
#[inline(never)]
fn from_assumed_date(e: Error) -> Error {
    match e {
        Error::ResultOutOfRange { date, what, first, last } => {
            Error::ResultOutOfRange { date, what: format!("{what}{ASSUMED_DATE}"), first, last }
        }
        e => e,
    }
}

/// `e`, or, when it is a date-range error that only the projection causes (the same case with a
/// horizon of 0 succeeds), an error naming `horizon_months`.
#[cold]
#[inline(never)]
fn blame_horizon(
    e: Error,
    case: &CaseHistory,
    profile: &Profile,
    calendar: &Calendar,
    options: &ScheduleOptions,
) -> Error {
    let months = options.effective_horizon_months();
    if !e.is_range()
        || months == 0
        || schedule_unblamed(case, profile, calendar, &ScheduleOptions { horizon_months: Some(0), ..options.clone() })
            .is_err()
    {
        return e;
    }
    let value = match options.horizon_months {
        Some(h) => h.to_string(),
        None => format!("{months} (the default)"),
    };
    Error::InvalidInput {
        field: "horizon_months".into(),
        value,
        reason: format!(
            "projecting that many months runs past {}, the calendar's last day ({e}): ask for fewer months",
            crate::calendar::LAST_DATE
        ),
    }
}

/// [`schedule`] without naming the horizon in a date-range error.
fn schedule_unblamed(
    case: &CaseHistory,
    profile: &Profile,
    calendar: &Calendar,
    options: &ScheduleOptions,
) -> Result<Schedule> {
    if profile.jurisdiction != case.jurisdiction() {
        return Err(Error::input(
            "profile",
            profile.id.clone(),
            format!("the profile is for {:?} but the case is in {:?}", profile.jurisdiction, case.jurisdiction()),
        ));
    }
    let events = case.events();
    let last_event = events.last().map(|e| e.date);
    let as_at = options.as_at.or(last_event);
    if let Some(a) = options.as_at {
        calendar.check_in_range(a).map_err(|e| Error::input("as_at", a.to_string(), e.to_string()))?;
        if let Some(l) = last_event {
            if a < l {
                return Err(Error::input(
                    "as_at",
                    a.to_string(),
                    format!("is before the last event's date {l}: events cannot lie after the as-at date"),
                ));
            }
        }
    }
    let horizon = options.effective_horizon_months();
    let horizon_end = match (as_at, horizon) {
        (_, 0) | (None, _) => None,
        (Some(a), h) => Some(
            a.checked_add_months(Months::new(h))
                .filter(|d| *d <= calendar.version().last)
                .unwrap_or(calendar.version().last),
        ),
    };
    // Written in place by the cache's closure, which returns only the names: a large value
    // returned through it was copied there with `memcpy`.
    let mut obligations = Ok(Vec::new());
    let names = Cache::with(|cache| {
        cache.select(&profile.rules);
        let names = cache.names(profile);
        let cands = recycle(std::mem::take(&mut cache.cands));
        let fitting = recycle(std::mem::take(&mut cache.fitting));
        let mtgs = recycle(std::mem::take(&mut cache.mtgs));
        let Cache { groups, pending, extras, slots, meeting_duty, order, order_64, index, .. } = &mut *cache;
        let mut b = Builder {
            walk: case.walk(),
            profile,
            sets: &groups[0].sets,
            rules: &groups[0].copies,
            cal: calendar,
            local_cal: options.local_calendar.as_ref(),
            as_at,
            pending,
            extras,
            cands,
            index,
            slots,
            meeting_duty,
            order,
            order_64,
            fitting,
            mtgs,
        };
        obligations = b.run(case, horizon_end, horizon == 0);
        (cache.cands, cache.fitting, cache.mtgs) = (recycle(b.cands), recycle(b.fitting), recycle(b.mtgs));
        names
    });
    Ok(Schedule {
        obligations: obligations?,
        metadata: Metadata {
            profile: names.id,
            profile_version: names.version,
            statutory_profile: profile.statutory_id().into(),
            statutory_profile_version: names.statutory_version,
            jurisdiction: profile.jurisdiction,
            adjourned_review_date: profile.settings.adjourned_review_date,
            as_at,
            horizon_end,
            calendar: calendar.version().clone(),
            library_version: env!("CARGO_PKG_VERSION").into(),
        },
    })
}

impl Profile {
    fn statutory_id(&self) -> &'static str {
        match self.jurisdiction {
            Jurisdiction::England => "england",
            Jurisdiction::Wales => "wales",
        }
    }
}

impl<'a> Builder<'a, '_> {
    /// Every obligation, sorted by the day to plan for (undated last), then review number and duty.
    fn run(&mut self, case: &CaseHistory, horizon_end: Option<NaiveDate>, no_horizon: bool) -> Result<Vec<Obligation>> {
        let meetings = self.clocks(horizon_end, no_horizon)?;
        self.meeting_duties(&meetings, case)?;
        self.period_duties(case)?;
        self.event_duties(horizon_end)?;
        self.placement_duties(&meetings, horizon_end, no_horizon)?;
        self.rearrangements(&meetings)?;
        self.check_size()?;
        self.mtgs = meetings;
        Ok(self.finish(horizon_end))
    }

    /// An error once the schedule is over [`MAX_OBLIGATIONS`].
    pub(in crate::engine) fn check_size(&self) -> Result<()> {
        if self.pending.len() > MAX_OBLIGATIONS || self.cands.len() > 8 * MAX_OBLIGATIONS {
            return Err(too_many_obligations(self.pending.len(), self.cands.len()));
        }
        Ok(())
    }

    /// Rule `k` of the grouped rules.
    fn rule(&self, k: usize) -> &'a Rule {
        &self.rules[k]
    }

    fn cal_for(&self, rule: &Rule) -> (&'a Calendar, bool) {
        match (&rule.basis, self.local_cal) {
            (Basis::Local(_), Some(c)) => (c, false),
            _ => (self.cal, true),
        }
    }

    #[inline(always)]
    fn cand(&self, rule: &'a Rule, anchor_date: NaiveDate, assumed: bool) -> Result<Cand<'a>> {
        let (cal, statutory_calendar) = self.cal_for(rule);
        self.cand_on(rule, anchor_date, assumed, cal, statutory_calendar)
    }

    /// [`Builder::cand`] on `cal`, the calendar [`Builder::cal_for`] gives for `rule` (and
    /// whether it is the statutory one).
    #[inline(always)]
    fn cand_on(
        &self,
        rule: &'a Rule,
        anchor_date: NaiveDate,
        assumed: bool,
        cal: &Calendar,
        statutory_calendar: bool,
    ) -> Result<Cand<'a>> {
        self.check_size()?;
        let deadline = match rule.period {
            // Counted inline; where that fails, `count` gives the error.
            Some(p) => Some(match period::count_opt(anchor_date, p, rule.direction, cal) {
                Some(d) => d,
                None => count_slow(anchor_date, p, rule.direction, cal, assumed)?,
            }),
            None => None,
        };
        Ok(Cand {
            rule,
            duty: rule.duty,
            anchor_date,
            assumed,
            deadline,
            statutory_calendar,
            before_care: false,
            not_in_force: false,
            next: None,
        })
    }

    /// Adds a candidate rule to the obligation (duty, scope), creating it when new.
    fn add(
        &mut self,
        scope: Scope,
        cand: Cand<'a>,
        regime: Option<Regime>,
        review_number: Option<u32>,
        triggered_by: Trig<'_>,
        early: bool,
    ) -> usize {
        let key = (cand.duty, scope);
        let existing = self.index.get(&key).copied();
        let i = self.attach(existing, cand, regime, review_number, triggered_by, early, None);
        if existing.is_none() {
            self.index.insert(key, i);
        }
        i
    }

    /// The extras of obligation `i`, made empty if it has none yet.
    fn extra(&mut self, i: usize) -> &mut Extra {
        let e = match self.pending[i].extra {
            None => {
                self.extras.push(Extra::default());
                // At most one extra an obligation: fewer than `check_size` allows.
                self.pending[i].extra = Some((self.extras.len() - 1) as u32);
                self.extras.len() - 1
            }
            Some(e) => e as usize,
        };
        &mut self.extras[e]
    }

    fn slot_entry(&self, key: (usize, u32)) -> Option<&SlotEntry> {
        self.slots.get(key).map(|k| &self.slots.list[k])
    }

    /// Builds the obligations in order, leaving out projected ones whose day to plan for (last working
    /// day on or before the deadline) is past the horizon.
    #[inline(never)]
    fn finish(&mut self, horizon_end: Option<NaiveDate>) -> Vec<Obligation> {
        let verified_through = self.cal.version().verified_through;
        let cands = &self.cands;
        let pending = &mut *self.pending;
        let extras = &mut *self.extras;
        // Sort small keys (64 bits when they fit, else 128), then build each obligation once, in order.
        let (order, order_64) = (&mut *self.order, &mut *self.order_64);
        // The obligations kept (projected ones past the horizon are left out) and their sort fields,
        // for 128-bit keys.
        let kept = pending.iter().enumerate().filter_map(|(i, p)| {
            let b = &cands[p.best as usize];
            // The day to plan for, as the projection reads the horizon (`Builder::project`): a
            // projected review due on a Saturday after the horizon's last day, planned for the
            // Friday inside it, is shown with the duties before it.
            let past = b.assumed
                && !p.in_horizon
                && horizon_end.is_some_and(|h| b.deadline.is_some_and(|d| d.latest_working_day > h));
            (!past).then(|| (b.deadline.map(|d| d.latest_working_day), p.review_number, p.duty, i))
        });
        // Sorted: the obligation's index is then the key's low bits (`index_mask` of it).
        let narrow = !force_wide_keys() && narrow_keys(pending, cands, horizon_end, order_64);
        let index_mask = if narrow {
            order_64.sort_unstable();
            (1 << NARROW_INDEX_BITS) - 1
        } else {
            order.clear();
            order.extend(kept.map(|(day, number, duty, i)| sort_key(day, number, duty, i)));
            order.sort_unstable();
            order_64.clear();
            order_64.extend(order.iter().map(|&k| (k & WIDE_INDEX) as u64));
            u64::MAX
        };
        let mut out = Vec::with_capacity(order_64.len());
        // Built in place (the fields written straight into the vector): what few obligations have
        // besides is moved in afterwards. Moving a whole obligation, or values made on the stack
        // for every obligation, stalled on stores forwarded to wider loads (`perf annotate`).
        // The places in `out` of the obligations with extras, whose breach is moved in afterwards
        // (kept in `order`, free once sorted: a 48-byte breach carried through every obligation's
        // making cost more than this second pass over the few).
        let with_extras = &mut *order;
        with_extras.clear();
        out.extend(order_64.iter().enumerate().map(|(k, &key)| {
            let p = &mut pending[(key & index_mask) as usize];
            let b = &cands[p.best as usize];
            // What few obligations have (other rules considered, a breach, a note, a rule made
            // for it, a rule that cannot apply) is made apart.
            let (rare, roles, rule, deadline) = if p.n_cands > 1 || p.extra.is_some() {
                if p.extra.is_some() {
                    with_extras.push(k as u128);
                }
                let (rare, roles, made) = rare(p, cands, extras);
                // Every rule of it falls before the child was looked after: it cannot apply.
                let not_applicable = rare.as_ref().is_some_and(|r| r.not_applicable.is_some());
                let rule: &Rule = made.unwrap_or(b.rule);
                let roles = if made.is_some() { Roles::of(rule.role) } else { roles.with(rule.role) };
                (rare, roles, rule, if not_applicable { None } else { b.deadline })
            } else {
                (None, Roles::of(b.rule.role), b.rule, b.deadline)
            };
            let earliest =
                (rule.direction == Direction::After && rule.duty != Duty::HoldReview && !rule.before_or_within)
                    .then_some(b.anchor_date);
            // `cal.is_provisional(b.anchor_date, d.date)`, its date read once.
            let provisional = deadline.is_some_and(|d| d.provisional || b.anchor_date.max(d.date) > verified_through);
            Obligation {
                duty: p.duty,
                role: rule.role,
                roles,
                action: rule.action.clone(),
                regime: p.regime,
                review_number: p.review_number,
                earliest,
                latest: deadline.map(|d| d.date),
                latest_working_day: deadline.map(|d| d.latest_working_day),
                basis: rule.basis.clone(),
                citation: rule.citation.clone(),
                triggered_by: std::mem::take(&mut p.triggered_by),
                projected: b.assumed,
                provisional,
                early: p.early,
                done: p.done,
                breach: None,
                rare,
                trail: Trail {
                    anchor: Some(rule.anchor),
                    anchor_date: Some(b.anchor_date),
                    assumed: b.assumed,
                    direction: Some(rule.direction),
                    period: rule.period,
                    statutory_calendar: b.statutory_calendar,
                    meeting: p.meeting,
                },
            }
        }));
        for &k in with_extras.iter() {
            let o = out.get_mut(k as usize);
            let x = order_64
                .get(k as usize)
                .and_then(|&key| pending[(key & index_mask) as usize].extra)
                .and_then(|e| extras.get_mut(e as usize));
            if let (Some(o), Some(x)) = (o, x) {
                o.breach = x.breach.take();
            }
        }
        with_extras.clear();
        out
    }
}

/// The 64-bit sort keys of the obligations kept (projected ones past `horizon_end` are left
/// out), made in one pass into `keys`: each is the key [`perf::sort_key_64`] gives (unit test
/// `one_pass_keys_are_those_of_sort_key_64`). `false` when a field of some obligation's key, kept
/// or not, does not fit in 64 bits: `keys` is then to be discarded, and the caller sorts on
/// 128-bit keys, in the same order.
fn narrow_keys(pending: &[Pending], cands: &[Cand], horizon_end: Option<NaiveDate>, keys: &mut Vec<u64>) -> bool {
    keys.clear();
    if pending.len() > 1 << NARROW_INDEX_BITS {
        return false;
    }
    // Every obligation's key is written at the next place, which only a kept one takes.
    keys.resize(pending.len(), 0);
    let mut n = 0;
    // The horizon's end as a key's day field (year from 1900, then day of the year): a projected
    // obligation whose day to plan for is after it is left out. Every day before 1900 wraps to a
    // large year, as in the keys; no horizon: after every day.
    let h =
        horizon_end.map_or(u64::MAX, |h| u64::from(h.year().wrapping_sub(1900) as u32) << 9 | u64::from(h.ordinal()));
    // The bits of every field above its width, gathered over all keys: none when all fit. A
    // year before 1900 wraps to a large number.
    let mut over = 0u64;
    for (i, p) in pending.iter().enumerate() {
        let b = &cands[p.best as usize];
        let (day, past) = match b.deadline {
            Some(d) => {
                let w = d.latest_working_day;
                let year = u64::from(w.year().wrapping_sub(1900) as u32);
                over |= year >> 11;
                let day = year << 9 | u64::from(w.ordinal());
                (day, b.assumed && !p.in_horizon && day > h)
            }
            // After every date.
            None => (1 << 20, false),
        };
        let number = p.review_number.map_or(0, |n| u64::from(n) + 1);
        let duty = duty_rank(p.duty) as u64;
        over |= number >> 16 | duty >> 6;
        let key = day << 43 | number << 27 | duty << NARROW_INDEX_BITS | i as u64;
        debug_assert!(perf::sort_key_64(b.deadline.map(|d| d.latest_working_day), p.review_number, p.duty, i)
            .is_none_or(|k| k == key));
        keys[n] = key;
        n += usize::from(!past);
    }
    keys.truncate(n);
    over == 0
}

/// The rare block of obligation `p` (its rules when more than one, earliest deadline first; its
/// note and why it cannot apply, taken from its extras), every role its rules name when
/// more than one (else none: the caller adds the binding rule's), and the rule made for it, if any.
///
/// Most obligations that come here have one rule and extras with a breach only (and perhaps a
/// rule made for them): they make no block, and are answered here without the work (and the
/// saved registers) of [`rare_block`].
#[cold]
#[inline(never)]
fn rare<'x>(p: &Pending, cands: &[Cand], extras: &'x mut [Extra]) -> (Option<Arc<Rare>>, Roles, Option<&'x Rule>) {
    let extra = p.extra.and_then(|e| extras.get(e as usize));
    if p.n_cands <= 1
        && !cands.get(p.best as usize).is_some_and(|b| b.before_care)
        && extra.is_some_and(|x| x.note.is_none() && !x.clock_stopped)
    {
        let extras: &'x [Extra] = extras;
        return (None, Roles::default(), p.extra.and_then(|e| extras.get(e as usize)).and_then(|x| x.made.as_deref()));
    }
    rare_block(p, cands, extras)
}

/// [`rare`], in full.
#[cold]
#[inline(never)]
fn rare_block<'x>(
    p: &Pending,
    cands: &[Cand],
    extras: &'x mut [Extra],
) -> (Option<Arc<Rare>>, Roles, Option<&'x Rule>) {
    let mut roles = Roles::default();
    let binding = (p.n_cands > 1).then(|| {
        let mut v: Vec<&Cand> = Vec::with_capacity(p.n_cands as usize);
        let mut c = Some(p.latest);
        while let Some(cand) = c.and_then(|k| cands.get(k as usize)) {
            v.push(cand);
            // A rule not yet in force names no one who must act.
            if !cand.not_in_force {
                roles = roles.with(cand.rule.role);
            }
            c = cand.next;
        }
        // In the order they were attached (statute first), for the stable sort to keep on ties.
        v.reverse();
        v.sort_by_key(|c| {
            (
                c.not_in_force,
                c.before_care,
                c.deadline.is_none(),
                c.deadline.map(|d| d.date),
                c.rule.basis != Basis::Statutory,
            )
        });
        v.iter()
            .map(|c| Considered {
                basis: c.rule.basis.clone(),
                period: c.rule.period,
                latest: c.deadline.map(|d| d.date),
                citation: c.rule.citation.clone(),
                before_care: c.before_care,
                in_force_from: if c.not_in_force { c.rule.in_force_from } else { None },
            })
            .collect()
    });
    let Some(x) = p.extra.and_then(|e| extras.get_mut(e as usize)) else {
        return (Rare { binding, ..Rare::default() }.shared(), roles, None);
    };
    let before_care = cands.get(p.best as usize).is_some_and(|b| b.before_care);
    // Extras with a breach only (most of them) make no block.
    if binding.is_none() && x.note.is_none() && !x.clock_stopped && (!before_care || x.before_care.is_none()) {
        return (None, roles, x.made.as_deref());
    }
    let not_applicable = if before_care { x.before_care.take() } else { None };
    (
        Rare { binding, not_applicable, note: x.note.take(), clock_stopped: x.clock_stopped }.shared(),
        roles,
        x.made.as_deref(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use perf::{sort_key_64, FORCE_WIDE};

    /// Looked after Mon 5 Jan 2026, the first review held Thu 29 Jan 2026 (England): the history
    /// several of the engine's unit tests schedule.
    fn first_review_case() -> CaseHistory {
        use crate::model::{Child, Event, EventKind};
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        CaseHistory::new(
            Jurisdiction::England,
            Child::default(),
            vec![
                Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
                Event::new(d(2026, 1, 29), EventKind::ReviewHeld { meeting: true, regimes: None }),
            ],
        )
        .unwrap()
    }

    /// Sorting on 64-bit keys (when they fit) and on 128-bit keys gives the same schedules.
    #[test]
    fn wide_and_narrow_keys_give_the_same_schedule() {
        use crate::model::{Child, Event, EventKind};
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let cal = Calendar::england_and_wales();
        let events = vec![
            Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
            Event::new(d(2026, 1, 29), EventKind::ReviewHeld { meeting: true, regimes: None }),
            Event::new(d(2026, 3, 2), EventKind::AuthorityToPlace),
            Event::new(d(2026, 4, 22), EventKind::ReviewAdjourned),
            Event::new(d(2026, 5, 6), EventKind::ReviewHeld { meeting: true, regimes: None }),
            Event::new(d(2026, 5, 27), EventKind::SignificantChange { note: None }),
        ];
        let case = CaseHistory::new(Jurisdiction::England, Child::default(), events).unwrap();
        let profile = Profile::builtin("england").unwrap();
        let opts = ScheduleOptions { horizon_months: Some(24), ..Default::default() };
        let narrow = schedule(&case, &profile, &cal, &opts).unwrap();
        FORCE_WIDE.with(|f| f.set(true));
        let wide = schedule(&case, &profile, &cal, &opts).unwrap();
        FORCE_WIDE.with(|f| f.set(false));
        assert!(narrow.obligations.len() > 20);
        assert_eq!(narrow, wide);
        // Sorted by the day to plan for.
        let days: Vec<_> = narrow.obligations.iter().filter_map(|o| o.latest_working_day).collect();
        assert!(days.windows(2).all(|w| w[0] <= w[1]));
    }

    /// `group` spells out each anchor's kind in one match; it must agree with the model's own
    /// classification of anchors (triggers, anchors on a duty being done).
    #[test]
    fn groups_agree_with_anchor_kinds() {
        let meeting = [Anchor::ReviewDate, Anchor::ReviewCompleted, Anchor::Midpoint, Anchor::LastReviewMeeting];
        let period =
            [Anchor::BecameLookedAfter, Anchor::CeasedToBeLookedAfter, Anchor::SixteenthBirthday, Anchor::DateOfBirth];
        let base = Profile::builtin("england").unwrap().rules[0].clone();
        for &anchor in Anchor::ALL {
            for duty in [Duty::HoldReview, Duty::IssueDecisions] {
                let rule = Rule { anchor, duty, ..(*base).clone() };
                let review = duty == Duty::HoldReview;
                let done = usize::from(anchor.done_duty().is_some());
                let expected = if matches!(anchor, Anchor::RegimeStart | Anchor::PreviousReview) {
                    review.then_some(INTERVAL)
                } else if anchor.is_trigger() {
                    Some(if review { EARLY } else { MARKER })
                } else if meeting.contains(&anchor) || anchor == Anchor::DecisionsReceived {
                    (!review).then_some(MEETING + done)
                } else if period.contains(&anchor)
                    || matches!(anchor, Anchor::IroAppointed | Anchor::ReviewServiceNotified)
                {
                    Some(PERIOD + done)
                } else if matches!(anchor, Anchor::CarePlanStarted | Anchor::DisputeStarted | Anchor::IroChanged) {
                    (!review).then_some(MARKER)
                } else if matches!(anchor, Anchor::PlacementStarted | Anchor::PlacementEnded | Anchor::LastDone) {
                    (!review).then_some(PLACEMENT)
                } else if anchor == Anchor::ReviewRearranged {
                    (!review).then_some(REARRANGE)
                } else {
                    panic!("anchor {anchor} is in no group");
                };
                assert_eq!(group(&rule), expected, "{anchor} {duty}");
            }
        }
    }

    /// The per-thread cache keeps rule groups by the identity of the rules. A profile whose rule
    /// at the same position is replaced by one of another group must be grouped afresh.
    #[test]
    fn a_replaced_rule_is_grouped_afresh() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let cal = Calendar::england_and_wales();
        let case = first_review_case();
        let speak = |p: &Profile| -> Vec<Option<NaiveDate>> {
            let s = schedule(&case, p, &cal, &ScheduleOptions::default()).unwrap();
            s.obligations.iter().filter(|o| o.duty == Duty::IroSpeakToChild).map(|o| o.latest).collect()
        };
        let mut profile = Profile::builtin("england").unwrap();
        // Statute: at the latest on the day of each review (0 days before it): Thu 29 Jan 2026 for
        // the review held, then the projected reviews.
        assert_eq!(speak(&profile).first(), Some(&Some(d(2026, 1, 29))));
        assert!(speak(&profile).len() > 1);
        // The same rule counted instead from the day the child became looked after, 3 working days:
        // Mon 5 Jan 2026 + 3 = Thu 8 Jan 2026, once for the period of care.
        let k = profile.rules.iter().position(|r| r.duty == Duty::IroSpeakToChild).unwrap();
        let mut moved = (*profile.rules[k]).clone();
        moved.anchor = Anchor::BecameLookedAfter;
        moved.direction = Direction::After;
        moved.period = Some(Period::WorkingDays(3));
        profile.rules[k] = Arc::new(moved);
        assert_eq!(speak(&profile), vec![Some(d(2026, 1, 8))]);
    }

    /// Rules of one duty that give the same deadline are listed in profile order, and the first
    /// binds: each new candidate heads its obligation's chain (`attach`) and `rare` turns the
    /// chain back to the order the candidates were attached in, for its stable sort.
    #[test]
    fn tied_rules_are_listed_in_profile_order() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let cal = Calendar::england_and_wales();
        let case = first_review_case();
        let mut profile = Profile::builtin("england").unwrap();
        let k = profile.rules.iter().position(|r| r.duty == Duty::IroSpeakToChild).unwrap();
        let statute = profile.rules[k].citation.provision.clone();
        // Two statutory copies of the rule right after it, told apart by their provisions: all three
        // fall due on the day of the review (0 days before it).
        for (j, provision) in ["copy one", "copy two"].into_iter().enumerate() {
            let mut copy = (*profile.rules[k]).clone();
            copy.citation = Shared::counted(Arc::new(crate::profile::Citation {
                provision: provision.into(),
                ..(*copy.citation).clone()
            }));
            profile.rules.insert(k + 1 + j, Arc::new(copy));
        }
        let s = schedule(&case, &profile, &cal, &ScheduleOptions::default()).unwrap();
        let o =
            s.obligations.iter().find(|o| o.duty == Duty::IroSpeakToChild && o.latest == Some(d(2026, 1, 29))).unwrap();
        let listed: Vec<&str> = o.binding().unwrap().iter().map(|c| c.citation.provision.as_str()).collect();
        assert_eq!(listed, [statute.as_str(), "copy one", "copy two"]);
        assert_eq!(o.citation.provision, statute);
    }

    /// `days_between` is chrono's difference in days, across years, leap days and the range.
    #[test]
    fn days_between_is_the_difference_in_days() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // Worked by hand: 28 Feb to 1 Mar 2024 is 2 days (29 Feb); 31 Dec 2026 to 1 Jan 2027 is 1.
        assert_eq!(days_between(d(2024, 2, 28), d(2024, 3, 1)), 2);
        assert_eq!(days_between(d(2026, 12, 31), d(2027, 1, 1)), 1);
        assert_eq!(days_between(d(2027, 1, 1), d(2026, 12, 31)), -1);
        let start = d(1970, 1, 1);
        let days: Vec<NaiveDate> = start.iter_days().take_while(|x| x.year() <= 2200).step_by(97).collect();
        for a in &days {
            for b in days.iter().step_by(13) {
                assert_eq!(days_between(*a, *b), (*b - *a).num_days(), "{a} {b}");
            }
        }
        assert_eq!(days_between(NaiveDate::MIN, NaiveDate::MAX), (NaiveDate::MAX - NaiveDate::MIN).num_days());
    }

    /// The keys made in one pass are those of `sort_key_64`, projected obligations past the
    /// horizon left out, and the pass says so when one of them does not fit in 64 bits.
    #[test]
    fn one_pass_keys_are_those_of_sort_key_64() {
        let profile = Profile::builtin("england").unwrap();
        let rule = &*profile.rules[0];
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let dates =
            [None, d(1900, 1, 1), d(2026, 6, 30), d(2026, 7, 1), d(2199, 12, 31), d(1899, 12, 31), d(3948, 1, 1)];
        let numbers = [None, Some(0), Some(1), Some(65_534), Some(65_535), Some(u32::MAX)];
        let duties = [Duty::ALL[0], *Duty::ALL.last().unwrap()];
        let pending = |duty: Duty, review_number: Option<u32>, best: u32| Pending {
            duty,
            regime: None,
            review_number,
            triggered_by: Triggers::default(),
            early: false,
            in_horizon: false,
            done: None,
            extra: None,
            best,
            latest: best,
            n_cands: 1,
            meeting: None,
        };
        let cand = |day: Option<NaiveDate>, assumed: bool| Cand {
            rule,
            duty: rule.duty,
            anchor_date: NaiveDate::MIN,
            assumed,
            deadline: day.map(|date| Deadline { date, latest_working_day: date, provisional: false }),
            statutory_calendar: true,
            before_care: false,
            not_in_force: false,
            next: None,
        };
        let (mut kept, mut wide, mut left_out) = (0, 0, 0);
        for horizon in [None, d(2026, 6, 30)] {
            for &day in &dates {
                for &number in &numbers {
                    for assumed in [false, true] {
                        for &duty in &duties {
                            // One obligation that always fits, then the one tried.
                            let p = vec![pending(Duty::HoldReview, Some(2), 0), pending(duty, number, 1)];
                            let c = vec![cand(d(2026, 3, 2), false), cand(day, assumed)];
                            let mut keys = vec![7];
                            let fits = narrow_keys(&p, &c, horizon, &mut keys);
                            let past = assumed && day.zip(horizon).is_some_and(|(x, h)| x > h);
                            let expected: Vec<u64> = [(d(2026, 3, 2), Some(2), Duty::HoldReview, 0, false)]
                                .into_iter()
                                .chain([(day, number, duty, 1, past)])
                                .filter(|k| !k.4)
                                .filter_map(|(day, number, duty, i, _)| sort_key_64(day, number, duty, i))
                                .collect();
                            if sort_key_64(day, number, duty, 1).is_some() {
                                assert!(fits, "{day:?} {number:?} {duty:?}");
                                assert_eq!(keys, expected);
                                kept += usize::from(expected.len() == 2);
                            } else {
                                // A key that does not fit sends the schedule to 128-bit keys, even
                                // when its obligation is left out (the order is the same).
                                assert!(!fits, "{day:?} {number:?} {duty:?}");
                                wide += 1;
                            }
                            left_out += usize::from(past);
                        }
                    }
                }
            }
        }
        // Both outcomes are reached, and some obligations past the horizon are left out.
        assert!(kept > 50 && wide > 50 && left_out > 10, "{kept} {wide} {left_out}");
    }

    /// The 64-bit key, when it fits, orders exactly as the 128-bit key.
    #[test]
    fn narrow_sort_keys_order_as_wide_ones() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |m: u64| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) % m
        };
        let first = NaiveDate::from_ymd_opt(1890, 1, 1).unwrap();
        let mut keys = Vec::new();
        for _ in 0..20_000 {
            // Nearby values, so that ties on the leading fields are common.
            let day = (next(8) > 0).then(|| first + Days::new(next(4) * 20_000 + next(3)));
            let number = (next(3) > 0).then(|| [0, 1, 2, 65_533, 65_534, 65_535, u32::MAX][next(7) as usize]);
            let duty = Duty::ALL[next(3) as usize * (Duty::ALL.len() - 1) / 2];
            let i = [0, 1, 5, (1 << 21) - 1, 1 << 21][next(5) as usize];
            keys.push((sort_key(day, number, duty, i), sort_key_64(day, number, duty, i)));
        }
        let mut narrow = 0;
        for w in keys.windows(2) {
            if let ((a, Some(a64)), (b, Some(b64))) = (w[0], w[1]) {
                assert_eq!(a.cmp(&b), a64.cmp(&b64));
                narrow += 1;
            }
        }
        assert!(narrow > 5_000, "{narrow}");
        // Out of range: none.
        assert_eq!(sort_key_64(NaiveDate::from_ymd_opt(1899, 12, 31), None, Duty::HoldReview, 0), None);
        assert_eq!(sort_key_64(None, Some(65_535), Duty::HoldReview, 0), None);
        assert_eq!(sort_key_64(None, None, Duty::HoldReview, 1 << 21), None);
        let last = *Duty::ALL.last().unwrap();
        assert!(sort_key_64(NaiveDate::from_ymd_opt(2199, 12, 31), Some(65_534), last, (1 << 21) - 1).is_some());
    }
}
