//! The engine: a case history, a profile and a calendar give every dated obligation.
//!
//! ```
//! use chrono::NaiveDate;
//! use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction, Duty};
//! use lac_timescales::{calendar::Calendar, profile::Profile, schedule::{schedule, ScheduleOptions}};
//!
//! let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! let case = CaseHistory::new(Jurisdiction::England, Child::default(),
//!     vec![Event::new(d(2026, 1, 1), EventKind::BecameLookedAfter)])?;
//! let s = schedule(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(),
//!     &ScheduleOptions::default())?;
//! let first = s.next_review().unwrap();
//! assert_eq!(first.duty, Duty::HoldReview);
//! assert_eq!(first.latest, Some(d(2026, 1, 29))); // 20 working days after Thu 1 Jan 2026
//! # Ok::<(), lac_timescales::Error>(())
//! ```

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, DataVersion};
use crate::clocks::Walk;
use crate::error::{Error, Result};
use crate::model::{Anchor, CaseHistory, Duty, Jurisdiction, Regime, Role};
use crate::period::{self, Deadline, Direction, Period};
use crate::profile::{AdjournedReviewDate, Basis, Citation, Profile, Rule};

/// Options for [`schedule`].
#[derive(Debug, Clone, Default)]
pub struct ScheduleOptions {
    /// The date the schedule is seen from: reviews not held by then are overdue. Default: the
    /// date of the last event. Must not be before the last event.
    pub as_at: Option<NaiveDate>,
    /// Planning horizon in months after `as_at` for projected reviews. `None` = 12; `Some(0)` =
    /// no projection beyond the next review.
    pub horizon_months: Option<u32>,
    /// A calendar with council closure days, used for local rules only (statutory rules always
    /// use the calendar passed to [`schedule`]).
    pub local_calendar: Option<Calendar>,
}

/// What went wrong with an obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Breach {
    /// The review was held after its deadline.
    LateReview {
        /// When it was held.
        held: NaiveDate,
        /// Working days after the deadline.
        working_days_late: i64,
        /// Calendar days after the deadline.
        calendar_days_late: i64,
    },
    /// The deadline passed (as at the schedule's date, or before the clock stopped) with no review.
    NotHeld {
        /// The date as at which it had not been held.
        as_at: NaiveDate,
    },
    /// The review was adjourned more than once (the law allows one adjournment).
    SecondAdjournment {
        /// Dates of every adjourned meeting of this review.
        adjourned: Vec<NaiveDate>,
    },
    /// The adjourned review was completed after the 20 working days allowed.
    AdjournedReviewCompletedLate {
        /// When it was completed.
        completed: NaiveDate,
        /// Working days late.
        working_days_late: i64,
    },
    /// The review was moved to a date after its statutory deadline.
    RearrangedPastDeadline {
        /// The planned date before.
        from: NaiveDate,
        /// The new date.
        to: NaiveDate,
        /// The statutory (binding) deadline it passes.
        deadline: NaiveDate,
    },
}

/// Another rule that governs the same duty, with the deadline it gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Considered {
    /// Statutory or local.
    pub basis: Basis,
    /// The rule's period.
    pub period: Option<Period>,
    /// The deadline it gives (none: no day fixed).
    pub latest: Option<NaiveDate>,
    /// The rule's citation.
    pub citation: Arc<Citation>,
}

/// One dated obligation: who must do what, by when, on what authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Obligation {
    /// What must be done.
    pub duty: Duty,
    /// Who must do it.
    pub role: Role,
    /// The action in plain English (from the binding rule).
    pub action: Arc<str>,
    /// The review regime, when the obligation is about a review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regime: Option<Regime>,
    /// The review number within its regime and period of care, when about a review (`regime`
    /// set). For a repeating duty not about a review (`regime` absent, e.g. six-monthly case
    /// summaries) it is the repetition number: 1 for the first, 2 for the second, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_number: Option<u32>,
    /// The earliest date it can be done (its trigger), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earliest: Option<NaiveDate>,
    /// The legal deadline (none: no day fixed, e.g. an early review "before" a change).
    pub latest: Option<NaiveDate>,
    /// The last working day on or before `latest`: the day to plan for.
    pub latest_working_day: Option<NaiveDate>,
    /// Where the binding rule comes from.
    pub basis: Basis,
    /// When more than one rule governs this duty here: every rule considered, earliest deadline
    /// first (the first binds; ties go to statute).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding: Option<Vec<Considered>>,
    /// The binding rule's citation.
    pub citation: Arc<Citation>,
    /// Indices of the events that triggered it.
    pub triggered_by: Arc<[usize]>,
    /// True when it rests on an assumed date rather than a recorded one: a review not yet held
    /// (planned for its last working day), or another duty's completion that was not recorded
    /// (taken as that duty's deadline, e.g. receipt of the decisions).
    pub projected: bool,
    /// True when its date relies on bank holidays projected for a year not yet announced.
    pub provisional: bool,
    /// True for an early review (a trigger, not the regular clock).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub early: bool,
    /// When it was done, if the case history says (reviews held).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done: Option<NaiveDate>,
    /// What went wrong, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breach: Option<Breach>,
    #[serde(skip)]
    trail: Trail,
}

/// How an obligation's date was reached, kept for [`Schedule::explain`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Trail {
    anchor: Option<Anchor>,
    anchor_date: Option<NaiveDate>,
    assumed: bool,
    direction: Option<Direction>,
    period: Option<Period>,
    statutory_calendar: bool,
    note: Option<String>,
}

/// Schedule metadata: what produced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Metadata {
    /// The profile id.
    pub profile: String,
    /// The profile version.
    pub profile_version: String,
    /// The statutory profile underneath and its version.
    pub statutory_profile: String,
    /// The statutory profile version.
    pub statutory_profile_version: String,
    /// Jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// Which date adjourned reviews are recorded on.
    pub adjourned_review_date: AdjournedReviewDate,
    /// The as-at date.
    pub as_at: Option<NaiveDate>,
    /// End of the planning horizon (none: no projection beyond the next review).
    pub horizon_end: Option<NaiveDate>,
    /// The calendar's data version.
    pub calendar: DataVersion,
    /// This library's version.
    pub library_version: String,
}

/// A computed schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// Every obligation, sorted by date (the day to plan for), undated ones last.
    pub obligations: Vec<Obligation>,
    /// What produced it.
    pub metadata: Metadata,
}

/// One obligation's explanation: the steps by which its date was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The steps, in plain English.
    pub steps: Vec<String>,
}

/// Order of urgency: the day to act by, then the legal deadline; undated last.
fn due_key(o: &Obligation) -> (bool, Option<NaiveDate>, Option<NaiveDate>) {
    (o.latest_working_day.is_none(), o.latest_working_day, o.latest)
}

impl Schedule {
    /// The next review due: the review (regular or early) not yet held with the earliest day to
    /// act by, then the earliest legal deadline (two clocks can share a day to act by).
    pub fn next_review(&self) -> Option<&Obligation> {
        self.obligations.iter().filter(|o| o.duty == Duty::HoldReview && o.done.is_none()).min_by_key(|o| due_key(o))
    }

    /// The next review due as seen on `as_at`: the earliest review not held by that date (a
    /// review held after `as_at` was still due on it). Overdue reviews count: they are still due.
    pub fn next_review_due(&self, as_at: NaiveDate) -> Option<&Obligation> {
        self.obligations
            .iter()
            .filter(|o| o.duty == Duty::HoldReview && o.done.is_none_or(|d| d > as_at))
            .min_by_key(|o| due_key(o))
    }

    /// Explains obligation `index`: trigger, rule, counting, days skipped, binding rule, versions.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an index out of range; calendar errors cannot occur for
    /// obligations the schedule produced with the same calendar.
    pub fn explain(&self, index: usize, calendar: &Calendar, events: &[crate::model::Event]) -> Result<Explanation> {
        let o = self.obligations.get(index).ok_or_else(|| {
            Error::input(
                "obligation index",
                index.to_string(),
                format!("the schedule has {} obligations", self.obligations.len()),
            )
        })?;
        let mut steps = Vec::new();
        let fmt = |d: NaiveDate| d.format("%a %-d %b %Y").to_string();
        steps.push(format!("{}: {}.", o.role.describe(), o.action));
        for &e in o.triggered_by.iter() {
            if let Some(ev) = events.get(e) {
                steps.push(format!("Triggered by event {e}: {} on {}.", ev.kind.name(), fmt(ev.date)));
            }
        }
        let t = &o.trail;
        if let (Some(anchor), Some(ad)) = (t.anchor, t.anchor_date) {
            let how = if t.assumed { " (assumed: that review has not been held yet)" } else { "" };
            steps.push(format!("Counted from {}: {}{how}.", anchor.describe(), fmt(ad)));
            match (t.period, t.direction) {
                (Some(p), Some(Direction::After)) => {
                    steps.push(format!("Rule: within {p} after it; the anchor day itself does not count."))
                }
                (Some(p), Some(Direction::Before)) => steps.push(format!("Rule: at least {p} before it.")),
                _ => steps.push("Rule: no day is fixed.".into()),
            }
            if let (Some(p), Some(l)) = (t.period, o.latest) {
                let counting = match p {
                    Period::WorkingDays(_) => "working days: weekends and bank holidays are skipped",
                    Period::Months(_) => {
                        "months: the same date in the later month, or that month's last day if it is shorter"
                    }
                    Period::Hours(_) => {
                        "hours: events carry dates only, so hours become whole days (24 hours = the next day)"
                    }
                    _ => "calendar days: every day counts",
                };
                steps.push(format!("Counting in {counting}."));
                let cal = calendar;
                if let Ok(skipped) = cal.weekday_holidays_between(ad, l) {
                    if matches!(p, Period::WorkingDays(_)) && !skipped.is_empty() {
                        let names: Vec<String> =
                            skipped.iter().map(|h| format!("{} ({})", fmt(h.date), h.name)).collect();
                        steps.push(format!("Non-working weekdays skipped: {}.", names.join(", ")));
                    }
                }
            }
        }
        if let Some(note) = &t.note {
            steps.push(note.clone());
        }
        match (o.latest, o.latest_working_day) {
            (Some(l), Some(w)) if l != w => steps.push(format!(
                "Deadline: {} (not a working day, and the law does not move it): plan to act by {}.",
                fmt(l),
                fmt(w)
            )),
            (Some(l), _) => steps.push(format!("Deadline: {}.", fmt(l))),
            _ => steps.push("No deadline date: act before the event it precedes.".into()),
        }
        if let Some(b) = &o.binding {
            let list: Vec<String> = b
                .iter()
                .map(|c| {
                    format!(
                        "{} {} -> {}",
                        c.basis,
                        c.period.map(|p| p.to_string()).unwrap_or_else(|| "no day fixed".into()),
                        c.latest.map(fmt).unwrap_or_else(|| "no date".into())
                    )
                })
                .collect();
            steps.push(format!("More than one rule governs this; the earliest deadline binds: {}.", list.join("; ")));
        }
        steps.push(format!(
            "Authority: {}{}.",
            o.citation,
            o.citation.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
        ));
        if o.provisional {
            steps.push(format!(
                "Provisional: the count uses bank holidays projected after {}.",
                self.metadata.calendar.verified_through
            ));
        }
        let t_cal = if t.statutory_calendar { "" } else { " with the local closure days" };
        steps.push(format!(
            "Rule set {} {} (statutory {} {}); calendar table {}{t_cal}, verified through {}.",
            self.metadata.profile,
            self.metadata.profile_version,
            self.metadata.statutory_profile,
            self.metadata.statutory_profile_version,
            self.metadata.calendar.table_version,
            self.metadata.calendar.verified_through
        ));
        Ok(Explanation { steps })
    }
}

/// Which instance of a duty an obligation is: duties with the same key are one obligation and
/// their rules compete (the earliest deadline binds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Scope {
    /// Review `n` of run `r`.
    Slot(usize, u32),
    /// A review meeting (held: index into walk.meetings; projected: index into projected list).
    Meeting(MeetingRef),
    /// A period of care.
    Period(usize),
    /// An event (triggers, disputes, rearrangements).
    Event(usize),
    /// The k-th repetition of a repeating rule from an event.
    Repeat(usize, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum MeetingRef {
    Held(usize),
    Projected(usize),
}

/// A meeting for duty purposes.
#[derive(Debug, Clone)]
struct Mtg {
    r: MeetingRef,
    date: NaiveDate,
    /// Completion date and whether it is assumed.
    completed: (NaiveDate, bool),
    assumed: bool,
    slots: Vec<(usize, u32)>,
    period: usize,
    with_meeting: bool,
    adjourned: Vec<usize>,
    events: Arc<[usize]>,
}

struct Cand {
    rule: Arc<Rule>,
    anchor_date: NaiveDate,
    assumed: bool,
    deadline: Option<Deadline>,
    statutory_calendar: bool,
}

struct Pending {
    duty: Duty,
    regime: Option<Regime>,
    review_number: Option<u32>,
    triggered_by: Arc<[usize]>,
    early: bool,
    done: Option<NaiveDate>,
    breach: Option<Breach>,
    /// Index in `Builder::cands` of the binding candidate, and how many candidates there are.
    best: usize,
    n_cands: u32,
    note: Option<String>,
}

struct Builder<'a> {
    walk: &'a Walk,
    profile: &'a Profile,
    cal: &'a Calendar,
    local_cal: Option<&'a Calendar>,
    as_at: Option<NaiveDate>,
    pending: Vec<Pending>,
    /// Every candidate rule of every obligation, with the obligation's index (one shared vector
    /// rather than one per obligation).
    cands: Vec<(usize, Cand)>,
    index: FastMap<(Duty, Scope), usize>,
    /// Binding deadline of each slot, for midpoints and rearrangements.
    slot_latest: FastMap<(usize, u32), Option<NaiveDate>>,
}

/// A multiply-rotate hasher (the Fx hash of rustc) for the engine's small internal maps, whose
/// keys are plain integers built by the engine itself: no untrusted keys, so no need for SipHash.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

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

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Order in which a meeting's regimes give its review number and regime.
const PRIMARY: [Regime; 6] = [
    Regime::LookedAfter,
    Regime::ShortBreaks,
    Regime::AdoptionPlaced,
    Regime::AdoptionAuthorised,
    Regime::PlacedWithParent,
    Regime::SecureAccommodation,
];

/// Hard cap on projected meetings and repetitions, whatever the horizon.
const MAX_PROJECTION: usize = 400;

/// Computes the schedule of `case` under `profile` on `calendar`.
///
/// # Errors
/// - [`Error::InvalidInput`] when the profile's jurisdiction differs from the case's, or `as_at`
///   is before the last event or outside the calendar;
/// - [`Error::InvalidEvent`] when no encoded rule was in force for a review clock on its start
///   date (e.g. a looked-after period starting before the 1991 Regulations);
/// - [`Error::DateOutOfRange`] when a deadline would fall outside the calendar.
pub fn schedule(
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
    let horizon = options.horizon_months.unwrap_or(12);
    let horizon_end = match (as_at, horizon) {
        (_, 0) | (None, _) => None,
        (Some(a), h) => Some(
            a.checked_add_months(Months::new(h))
                .filter(|d| *d <= calendar.version().last)
                .unwrap_or(calendar.version().last),
        ),
    };
    let mut b = Builder {
        walk: case.walk(),
        profile,
        cal: calendar,
        local_cal: options.local_calendar.as_ref(),
        as_at,
        pending: Vec::with_capacity(64),
        cands: Vec::with_capacity(64),
        index: FastMap::with_capacity_and_hasher(64, Default::default()),
        slot_latest: FastMap::with_capacity_and_hasher(16, Default::default()),
    };
    let meetings = b.clocks(horizon_end, horizon == 0)?;
    b.meeting_duties(&meetings, case)?;
    b.period_duties(case)?;
    b.event_duties(horizon_end)?;
    b.rearrangements(&meetings);
    let mut obligations = b.finish();
    if let Some(h) = horizon_end {
        obligations.retain(|o| !o.projected || o.latest.is_none_or(|l| l <= h));
    }
    obligations.sort_by_key(|o| {
        (o.latest_working_day.or(o.latest).is_none(), o.latest_working_day.or(o.latest), o.review_number, o.duty)
    });
    Ok(Schedule {
        obligations,
        metadata: Metadata {
            profile: profile.id.clone(),
            profile_version: profile.version.clone(),
            statutory_profile: profile.statutory_id().to_string(),
            statutory_profile_version: profile.statutory_version.clone(),
            jurisdiction: profile.jurisdiction,
            adjourned_review_date: profile.settings.adjourned_review_date,
            as_at,
            horizon_end,
            calendar: calendar.version().clone(),
            library_version: env!("CARGO_PKG_VERSION").to_string(),
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

impl<'a> Builder<'a> {
    fn cal_for(&self, rule: &Rule) -> (&Calendar, bool) {
        match (&rule.basis, self.local_cal) {
            (Basis::Local(_), Some(c)) => (c, false),
            _ => (self.cal, true),
        }
    }

    fn cand(&self, rule: &Arc<Rule>, anchor_date: NaiveDate, assumed: bool) -> Result<Cand> {
        let (cal, statutory_calendar) = self.cal_for(rule);
        let deadline = match rule.period {
            Some(p) => Some(period::count(anchor_date, p, rule.direction, cal)?),
            None => None,
        };
        Ok(Cand { rule: rule.clone(), anchor_date, assumed, deadline, statutory_calendar })
    }

    /// Adds a candidate rule to the obligation (duty, scope), creating it when new. The earliest
    /// deadline binds; on a tie the first candidate (statute comes first in a profile) keeps it.
    fn add(
        &mut self,
        scope: Scope,
        cand: Cand,
        regime: Option<Regime>,
        review_number: Option<u32>,
        triggered_by: &Arc<[usize]>,
        early: bool,
    ) -> usize {
        let key = (cand.rule.duty, scope);
        let c = self.cands.len();
        let i = *self.index.entry(key).or_insert_with(|| {
            self.pending.push(Pending {
                duty: cand.rule.duty,
                regime,
                review_number,
                triggered_by: triggered_by.clone(),
                early,
                done: None,
                breach: None,
                best: c,
                n_cands: 0,
                note: None,
            });
            self.pending.len() - 1
        });
        let p = &mut self.pending[i];
        if p.n_cands > 0 && earlier(&cand, &self.cands[p.best].1) {
            p.best = c;
        }
        p.n_cands += 1;
        self.cands.push((i, cand));
        i
    }

    fn best(&self, i: usize) -> &Cand {
        &self.cands[self.pending[i].best].1
    }

    fn binding_latest(&self, i: usize) -> Option<NaiveDate> {
        self.best(i).deadline.map(|d| d.date)
    }

    /// The review-interval rules for review `n` of `regime` counted from `anchor`.
    fn interval_rules(&self, regime: Regime, n: u32, anchor: NaiveDate) -> impl Iterator<Item = &'a Arc<Rule>> + 'a {
        let want = if n == 1 { Anchor::RegimeStart } else { Anchor::PreviousReview };
        self.profile.rules.iter().filter(move |r| {
            r.duty == Duty::HoldReview
                && r.anchor == want
                && r.reviews.matches(n)
                && r.in_force(anchor)
                && r.regimes.as_ref().is_some_and(|rs| rs.contains(&regime))
        })
    }

    /// The binding deadline of the review after review `n` of run `r` (held on `held`): the
    /// scheduled slot's when there is one, else counted from `held` by the interval rules (the
    /// clock stopped before that review fell due, so it has no slot).
    fn next_deadline(&self, r: usize, n: u32, held: NaiveDate) -> Result<Option<NaiveDate>> {
        if let Some(l) = self.slot_latest.get(&(r, n + 1)) {
            return Ok(*l);
        }
        let mut best: Option<NaiveDate> = None;
        for rule in self.interval_rules(self.walk.runs[r].regime, n + 1, held) {
            if let Some(p) = rule.period {
                let d = period::count(held, p, rule.direction, self.cal_for(rule).0)?.date;
                best = Some(best.map_or(d, |b| b.min(d)));
            }
        }
        Ok(best)
    }

    /// Adds the hold_review obligation for review `n` of run `r`; returns its index.
    fn slot(&mut self, r: usize, n: u32, anchor: NaiveDate, assumed: bool, trig: &[usize]) -> Result<usize> {
        let run = &self.walk.runs[r];
        if !self.interval_rules(run.regime, n, anchor).any(|x| x.basis == Basis::Statutory) {
            return Err(Error::InvalidEvent {
                index: trig.first().copied().unwrap_or(run.start_event),
                event: "review clock".into(),
                field: "date".into(),
                value: anchor.to_string(),
                reason: format!(
                    "no statutory rule for {} review {n} is encoded for that date in the {} profile (earlier law is not encoded)",
                    run.regime.as_str(),
                    self.profile.statutory_id()
                ),
            });
        }
        let mut idx = None;
        let trig: Arc<[usize]> = Arc::from(trig);
        for rule in self.interval_rules(run.regime, n, anchor) {
            let c = self.cand(rule, anchor, assumed)?;
            idx = Some(self.add(Scope::Slot(r, n), c, Some(run.regime), Some(n), &trig, false));
        }
        let i = idx.expect("at least one rule");
        let latest = self.binding_latest(i);
        self.slot_latest.insert((r, n), latest);
        Ok(i)
    }

    fn recorded_date(&self, m: usize) -> Result<(NaiveDate, bool)> {
        let mt = &self.walk.meetings[m];
        if mt.adjournments.is_empty() || self.profile.settings.adjourned_review_date == AdjournedReviewDate::Original {
            return Ok((mt.date, false));
        }
        match mt.completed {
            Some((d, _)) => Ok((d, false)),
            None => Ok((self.cal.add_working_days(mt.date, 20)?, true)),
        }
    }

    /// Regular review clocks, held reviews and projections. Returns the meetings for duties.
    fn clocks(&mut self, horizon_end: Option<NaiveDate>, no_horizon: bool) -> Result<Vec<Mtg>> {
        let walk = self.walk;
        let mut open: Vec<(usize, u32, NaiveDate, bool, Vec<usize>)> = Vec::new();
        for (r, run) in walk.runs.iter().enumerate() {
            let mut anchor = (run.start, false);
            let mut trig = vec![run.start_event];
            for (k, &m) in run.held.iter().enumerate() {
                let n = k as u32 + 1;
                let mt = &walk.meetings[m];
                let mut t = trig.clone();
                t.push(mt.event);
                let i = self.slot(r, n, anchor.0, anchor.1, &t)?;
                self.pending[i].done = Some(mt.date);
                if let Some(l) = self.binding_latest(i) {
                    if mt.date > l {
                        self.pending[i].breach = Some(Breach::LateReview {
                            held: mt.date,
                            working_days_late: self.cal.working_days_between(l, mt.date)?,
                            calendar_days_late: (mt.date - l).num_days(),
                        });
                    }
                }
                anchor = self.recorded_date(m)?;
                trig = vec![mt.event];
            }
            let n = run.held.len() as u32 + 1;
            if run.regime == Regime::PlacedWithParent && !run.held.is_empty() {
                continue;
            }
            match run.end {
                None => open.push((r, n, anchor.0, anchor.1, trig)),
                Some((end, end_event)) => {
                    // The clock stopped: a review whose deadline passed before it stopped was missed.
                    let mut missed = false;
                    for rule in self.interval_rules(run.regime, n, anchor.0) {
                        if let Some(p) = rule.period {
                            if period::within_after(anchor.0, p, self.cal)?.date < end {
                                missed = true;
                            }
                        }
                    }
                    if missed {
                        let mut t = trig.clone();
                        t.push(end_event);
                        let i = self.slot(r, n, anchor.0, anchor.1, &t)?;
                        self.pending[i].breach = Some(Breach::NotHeld { as_at: end });
                    }
                }
            }
        }
        let planned = walk.rearrangements.iter().rev().find(|x| x.meeting.is_none()).map(|x| (x.to, x.event));
        let (secure, other): (Vec<_>, Vec<_>) =
            open.into_iter().partition(|s| walk.runs[s.0].regime == Regime::SecureAccommodation);
        let mut mtgs: Vec<Mtg> = walk
            .meetings
            .iter()
            .enumerate()
            .map(|(m, mt)| {
                let completed = match mt.completed {
                    Some((d, _)) => (d, false),
                    None => (self.cal.add_working_days(mt.date, 20).unwrap_or(mt.date), true),
                };
                let mut events = vec![mt.event];
                events.extend(mt.adjournments.iter().copied().filter(|e| *e != mt.event));
                if let Some((_, e)) = mt.completed {
                    if e != mt.event {
                        events.push(e);
                    }
                }
                Mtg {
                    r: MeetingRef::Held(m),
                    date: mt.date,
                    completed,
                    assumed: false,
                    slots: mt.slots.clone(),
                    period: mt.period,
                    with_meeting: mt.with_meeting,
                    adjourned: mt.adjournments.clone(),
                    events: events.into(),
                }
            })
            .collect();
        let early = self.early_reviews(&mtgs)?;
        let mut projected = 0usize;
        for (list, plan, early_dates) in [(other, planned, early), (secure, None, Vec::new())] {
            let mut open = list;
            let mut iteration = 0usize;
            while !open.is_empty() && iteration < MAX_PROJECTION {
                let mut dates = Vec::new();
                for (r, n, anchor, assumed, trig) in &open {
                    let i = self.slot(*r, *n, *anchor, *assumed || iteration > 0, trig)?;
                    if let Some(d) = self.best(i).deadline {
                        dates.push(d.latest_working_day);
                    }
                    if let (Some(as_at), Some(l)) = (self.as_at, self.binding_latest(i)) {
                        if iteration == 0 && l < as_at {
                            self.pending[i].breach = Some(Breach::NotHeld { as_at });
                        }
                    }
                }
                if iteration == 0 {
                    dates.extend(early_dates.iter().copied());
                }
                let next = match (iteration, plan) {
                    (0, Some((to, _))) => Some(to),
                    _ => dates.iter().min().copied(),
                };
                let Some(date) = next else { break };
                if iteration > 0 && (no_horizon || horizon_end.is_none_or(|h| date > h)) {
                    break;
                }
                let period = walk.runs[open[0].0].period;
                let events = match (iteration, plan) {
                    (0, Some((_, e))) => vec![e],
                    _ => Vec::new(),
                };
                mtgs.push(Mtg {
                    r: MeetingRef::Projected(projected),
                    date,
                    completed: (date, true),
                    assumed: true,
                    slots: open.iter().map(|s| (s.0, s.1)).collect(),
                    period,
                    with_meeting: true,
                    adjourned: Vec::new(),
                    events: events.into(),
                });
                projected += 1;
                open = open
                    .into_iter()
                    .filter(|s| walk.runs[s.0].regime != Regime::PlacedWithParent)
                    .map(|(r, n, _, _, _)| (r, n + 1, date, true, Vec::new()))
                    .collect();
                iteration += 1;
                if no_horizon {
                    break;
                }
            }
        }
        Ok(mtgs)
    }

    /// Early reviews from triggers; returns the latest working days of those still open.
    fn early_reviews(&mut self, mtgs: &[Mtg]) -> Result<Vec<NaiveDate>> {
        let walk = self.walk;
        let mut open_dates = Vec::new();
        for mk in walk.markers.iter().filter(|m| m.anchor.is_trigger()) {
            let Some(lac) = walk.runs.iter().position(|r| {
                r.period == mk.period
                    && r.regime == Regime::LookedAfter
                    && r.start <= mk.date
                    && r.end.is_none_or(|(e, _)| e >= mk.date)
            }) else {
                continue;
            };
            let rules: Vec<Arc<Rule>> = self
                .profile
                .rules_for(Duty::HoldReview)
                .filter(|r| r.anchor == mk.anchor && r.in_force(mk.date) && r.applies_to_regime(Regime::LookedAfter))
                .cloned()
                .collect();
            if rules.is_empty() {
                continue;
            }
            let of_clock = |m: &&Mtg| !m.assumed && m.slots.iter().any(|(r, _)| *r == lac);
            // A trigger dated on the day something ends (accommodation_ending) needs its review
            // before that day, so before the event itself: it is met by a review brought forward
            // for it, i.e. held before the day although its regular deadline fell on or after it.
            // A regular review that was simply due earlier does not count. Otherwise (and for
            // every other trigger) the first review held on or after the trigger counts.
            let before_day = rules.iter().any(|r| r.direction == Direction::Before);
            let brought_forward = || {
                mtgs.iter().filter(of_clock).rev().find(|m| {
                    m.date < mk.date
                        && m.slots.iter().any(|(r, n)| {
                            *r == lac
                                && self.slot_latest.get(&(*r, *n)).copied().flatten().is_some_and(|l| l >= mk.date)
                        })
                })
            };
            let satisfied = before_day
                .then(brought_forward)
                .flatten()
                .or_else(|| mtgs.iter().filter(of_clock).find(|m| m.date >= mk.date));
            let number = match satisfied {
                Some(m) => m.slots.iter().find(|(r, _)| *r == lac).map(|s| s.1),
                None => Some(walk.runs[lac].held.len() as u32 + 1),
            };
            let mut idx = 0;
            for rule in &rules {
                let c = self.cand(rule, mk.date, false)?;
                idx = self.add(
                    Scope::Event(mk.event),
                    c,
                    Some(Regime::LookedAfter),
                    number,
                    &Arc::from(&[mk.event][..]),
                    true,
                );
            }
            match satisfied {
                Some(m) => {
                    self.pending[idx].done = Some(m.date);
                    let mut t = self.pending[idx].triggered_by.to_vec();
                    t.extend(m.events.first().copied());
                    self.pending[idx].triggered_by = t.into();
                    if let Some(l) = self.binding_latest(idx) {
                        if m.date > l {
                            self.pending[idx].breach = Some(Breach::LateReview {
                                held: m.date,
                                working_days_late: self.cal.working_days_between(l, m.date)?,
                                calendar_days_late: (m.date - l).num_days(),
                            });
                        }
                    }
                }
                None => {
                    if let Some(c) = self.best(idx).deadline {
                        open_dates.push(c.latest_working_day);
                        if self.as_at.is_some_and(|a| c.date < a) {
                            self.pending[idx].breach = Some(Breach::NotHeld { as_at: self.as_at.unwrap_or(c.date) });
                        }
                    }
                }
            }
        }
        Ok(open_dates)
    }

    fn primary(&self, m: &Mtg) -> Option<(usize, u32, Regime)> {
        PRIMARY.iter().find_map(|reg| {
            m.slots.iter().find(|(r, _)| self.walk.runs[*r].regime == *reg).map(|(r, n)| (*r, *n, *reg))
        })
    }

    /// Duties anchored on a review meeting.
    fn meeting_duties(&mut self, mtgs: &[Mtg], case: &CaseHistory) -> Result<()> {
        let profile = self.profile;
        // The rules that can apply to a meeting, split by pass: those counting from another
        // duty's completion go second, once that duty's deadline is known.
        let meeting_anchor = |a: Anchor| {
            matches!(
                a,
                Anchor::ReviewDate
                    | Anchor::ReviewCompleted
                    | Anchor::Midpoint
                    | Anchor::LastReviewMeeting
                    | Anchor::DecisionsReceived
            )
        };
        let relevant: Vec<&Arc<Rule>> =
            profile.rules.iter().filter(|r| r.duty != Duty::HoldReview && meeting_anchor(r.anchor)).collect();
        for pass in 0..2 {
            for m in mtgs {
                let Some((run, n, regime)) = self.primary(m) else { continue };
                for &rule in &relevant {
                    if !rule.reviews.matches(n) || !rule.applies_to_regime(regime) {
                        continue;
                    }
                    let is_done_anchor = rule.anchor.done_duty().is_some();
                    if (pass == 1) != is_done_anchor {
                        continue;
                    }
                    if rule.duty == Duty::CompleteAdjournedReview && m.adjourned.is_empty() {
                        continue;
                    }
                    let (anchor, assumed) = match rule.anchor {
                        Anchor::ReviewDate => (m.date, m.assumed),
                        Anchor::ReviewCompleted => (m.completed.0, m.completed.1),
                        Anchor::Midpoint => match self.next_deadline(run, n, m.date)? {
                            Some(next) => {
                                let mid = m.date + Days::new(((next - m.date).num_days().max(0) / 2) as u64);
                                // A clock that stopped before the mid-point has no mid-point duty.
                                if self.walk.runs[run].end.is_some_and(|(e, _)| e < mid) {
                                    continue;
                                }
                                (mid, m.assumed)
                            }
                            None => continue,
                        },
                        Anchor::LastReviewMeeting => {
                            let ltf = self.walk.long_term_foster.iter().any(|(_, d, p)| *p == m.period && *d <= m.date);
                            if !ltf || !m.with_meeting {
                                continue;
                            }
                            (m.date, m.assumed)
                        }
                        Anchor::DecisionsReceived => {
                            let dep = Duty::IssueDecisions;
                            let recorded = self.walk.done.iter().find(|d| {
                                d.duty == dep
                                    && d.period == Some(m.period)
                                    && d.review_number.map_or(d.date >= m.date, |x| x == n)
                                    && !m.assumed
                            });
                            match (recorded, self.index.get(&(dep, Scope::Meeting(m.r)))) {
                                (Some(d), _) => (d.date, false),
                                (None, Some(&i)) => match self.binding_latest(i) {
                                    Some(l) => (l, true),
                                    None => continue,
                                },
                                (None, None) => continue,
                            }
                        }
                        _ => continue,
                    };
                    if !rule.in_force(m.date) {
                        continue;
                    }
                    let c = self.cand(rule, anchor, assumed)?;
                    let i = self.add(Scope::Meeting(m.r), c, Some(regime), Some(n), &m.events, false);
                    if rule.duty == Duty::CompleteAdjournedReview {
                        self.adjourned_breach(i, m, case)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn adjourned_breach(&mut self, i: usize, m: &Mtg, case: &CaseHistory) -> Result<()> {
        let events = case.events();
        if !m.completed.1 {
            self.pending[i].done = Some(m.completed.0);
        }
        if m.adjourned.len() >= 2 {
            self.pending[i].breach = Some(Breach::SecondAdjournment {
                adjourned: m.adjourned.iter().filter_map(|e| events.get(*e).map(|x| x.date)).collect(),
            });
        } else if let Some(l) = self.binding_latest(i) {
            if !m.completed.1 && m.completed.0 > l {
                self.pending[i].breach = Some(Breach::AdjournedReviewCompletedLate {
                    completed: m.completed.0,
                    working_days_late: self.cal.working_days_between(l, m.completed.0)?,
                });
            } else if m.completed.1 && self.as_at.is_some_and(|a| a > l) {
                self.pending[i].breach = Some(Breach::NotHeld { as_at: self.as_at.unwrap_or(l) });
            }
        }
        Ok(())
    }

    /// Duties anchored on a period of care.
    fn period_duties(&mut self, case: &CaseHistory) -> Result<()> {
        let profile = self.profile;
        let dob = case.child().date_of_birth;
        for pass in 0..2 {
            for (p, period) in self.walk.periods.iter().enumerate() {
                let end = period.end.map(|(d, _)| d);
                let within = |d: NaiveDate| period.start <= d && end.is_none_or(|e| e >= d);
                for rule in &profile.rules {
                    let is_done_anchor = rule.anchor.done_duty().is_some();
                    if (pass == 1) != is_done_anchor {
                        continue;
                    }
                    let mut trig = vec![period.start_event];
                    let (anchor, assumed) = match rule.anchor {
                        Anchor::BecameLookedAfter if !period.short_breaks => (period.start, false),
                        Anchor::CeasedToBeLookedAfter if period.ceased => {
                            let Some((e, ev)) = period.end else { continue };
                            trig.push(ev);
                            (e, false)
                        }
                        Anchor::SixteenthBirthday if !period.short_breaks => {
                            let Some(b) = dob else { continue };
                            let sixteen = b.checked_add_months(Months::new(192)).unwrap_or(b);
                            let eligible = period.start.checked_add_days(Days::new(91)).unwrap_or(period.start);
                            let a = sixteen.max(eligible);
                            if !within(a) {
                                continue;
                            }
                            (a, false)
                        }
                        Anchor::DateOfBirth if !period.short_breaks => {
                            let Some(b) = dob else { continue };
                            let Some(per) = rule.period else { continue };
                            let dl = period::count(b, per, rule.direction, self.cal)?;
                            if !within(dl.date) {
                                continue;
                            }
                            (b, false)
                        }
                        a @ (Anchor::IroAppointed | Anchor::ReviewServiceNotified) if !period.short_breaks => {
                            let dep = a.done_duty().expect("done anchor");
                            let recorded = self.walk.done.iter().find(|d| d.duty == dep && d.period == Some(p));
                            match (recorded, self.index.get(&(dep, Scope::Period(p)))) {
                                (Some(d), _) => {
                                    trig.push(d.event);
                                    (d.date, false)
                                }
                                (None, Some(&i)) => match self.binding_latest(i) {
                                    Some(l) => (l, true),
                                    None => continue,
                                },
                                (None, None) => continue,
                            }
                        }
                        _ => continue,
                    };
                    if !rule.in_force(period.start.max(anchor.min(period.start.max(anchor)))) {
                        continue;
                    }
                    if let Some(min) = rule.when_looked_after_for {
                        if period::within_after(period.start, min, self.cal)?.date > anchor {
                            continue;
                        }
                    }
                    let c = self.cand(rule, anchor, assumed)?;
                    self.add(Scope::Period(p), c, None, None, &Arc::from(&trig[..]), false);
                }
            }
        }
        Ok(())
    }

    /// Duties anchored on events (other than early-review clocks): disputes, care plans, triggers.
    fn event_duties(&mut self, horizon_end: Option<NaiveDate>) -> Result<()> {
        let profile = self.profile;
        let until = match (self.as_at, horizon_end) {
            (Some(a), Some(h)) => Some(a.max(h)),
            (a, h) => a.or(h),
        };
        for mk in &self.walk.markers {
            let end = self.walk.periods.get(mk.period).and_then(|p| p.end.map(|(d, _)| d));
            for rule in profile
                .rules
                .iter()
                .filter(|r| r.anchor == mk.anchor && r.duty != Duty::HoldReview && r.in_force(mk.date))
            {
                if !rule.repeat {
                    let c = self.cand(rule, mk.date, false)?;
                    self.add(Scope::Event(mk.event), c, None, None, &Arc::from(&[mk.event][..]), false);
                    continue;
                }
                let Some(p) = rule.period else { continue };
                for k in 1..=MAX_PROJECTION as u32 {
                    let step = match p {
                        Period::Months(n) => Period::Months(n * k),
                        Period::Weeks(n) => Period::Weeks(n * k),
                        Period::Days(n) => Period::Days(n * k),
                        Period::WorkingDays(n) => Period::WorkingDays(n * k),
                        Period::Hours(n) => Period::Hours(n * k),
                    };
                    let Ok(dl) = period::within_after(mk.date, step, self.cal) else {
                        break;
                    };
                    // Repetitions up to the as-at date or horizon, and the next one after it (like
                    // the next review, the next repetition is always shown).
                    if end.is_some_and(|e| dl.date > e) {
                        break;
                    }
                    let last = until.is_none_or(|u| dl.date > u);
                    let (cal, statutory_calendar) = self.cal_for(rule);
                    let deadline = Some(period::within_after(mk.date, step, cal)?);
                    let c =
                        Cand { rule: rule.clone(), anchor_date: mk.date, assumed: false, deadline, statutory_calendar };
                    let i = self.add(Scope::Repeat(mk.event, k), c, None, Some(k), &Arc::from(&[mk.event][..]), false);
                    self.pending[i].note =
                        Some(format!("Repetition {k}: {step} after the anchor, counted from the anchor itself."));
                    if last {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// Rearrangements past the binding review deadline: a breach, and authorisation needed.
    fn rearrangements(&mut self, mtgs: &[Mtg]) {
        for ra in &self.walk.rearrangements {
            let target = match ra.meeting {
                Some(m) => mtgs.iter().find(|x| x.r == MeetingRef::Held(m)),
                None => mtgs.iter().find(|x| x.events.contains(&ra.event)),
            };
            let Some(t) = target else { continue };
            let mut binding_slot: Option<(NaiveDate, usize)> = None;
            for (r, n) in &t.slots {
                if let Some(&i) = self.index.get(&(Duty::HoldReview, Scope::Slot(*r, *n))) {
                    if let Some(l) = self.binding_latest(i) {
                        if binding_slot.is_none_or(|(b, _)| l < b) {
                            binding_slot = Some((l, i));
                        }
                    }
                }
            }
            let Some((deadline, slot_i)) = binding_slot else {
                continue;
            };
            if ra.to <= deadline {
                continue;
            }
            let p = &self.pending[slot_i];
            let bc = self.best(slot_i);
            let rule = Arc::new(Rule {
                duty: Duty::AuthoriseRearrangement,
                role: Role::IroServiceManager,
                anchor: Anchor::PreviousReview,
                direction: Direction::After,
                period: Some(Period::Days(0)),
                action: format!(
                    "Authorise moving review {} from {} to {}: past its statutory date {}",
                    p.review_number.unwrap_or(0),
                    ra.from,
                    ra.to,
                    deadline
                )
                .into(),
                ..(*bc.rule).clone()
            });
            let (regime, number) = (p.regime, p.review_number);
            // Authority is needed when the move is made: the deadline is the rearrangement's date.
            let deadline_made = Deadline {
                date: ra.date,
                latest_working_day: self.cal.last_working_day_on_or_before(ra.date).unwrap_or(ra.date),
                provisional: false,
            };
            let c = Cand {
                rule,
                anchor_date: ra.date,
                assumed: false,
                deadline: Some(deadline_made),
                statutory_calendar: true,
            };
            let i = self.add(Scope::Event(ra.event), c, regime, number, &Arc::from(&[ra.event][..]), false);
            self.pending[i].breach = Some(Breach::RearrangedPastDeadline { from: ra.from, to: ra.to, deadline });
            self.pending[i].note = Some("Moving a review past its statutory date breaches the review regulations; local procedures require the IRO service manager's authority, given when the move is made.".into());
        }
    }

    fn finish(self) -> Vec<Obligation> {
        let cal = self.cal;
        let cands = &self.cands;
        // Sort by the day to plan for (undated last), then review number and duty: sort small
        // keys, then build each obligation once, in order.
        let mut order: Vec<_> = self
            .pending
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let dl = cands[p.best].1.deadline;
                let day = dl.map(|d| d.latest_working_day);
                (day.is_none(), day, p.review_number, p.duty, i)
            })
            .collect();
        order.sort_unstable();
        let mut pending: Vec<Option<Pending>> = self.pending.into_iter().map(Some).collect();
        order
            .into_iter()
            .filter_map(|k| pending[k.4].take().map(|p| (k.4, p)))
            .map(|(pi, p)| {
                let b = &cands[p.best].1;
                let binding_list = (p.n_cands > 1).then(|| {
                    let mut v: Vec<&Cand> = cands.iter().filter(|(o, _)| *o == pi).map(|(_, c)| c).collect();
                    v.sort_by_key(|c| {
                        (c.deadline.is_none(), c.deadline.map(|d| d.date), c.rule.basis != Basis::Statutory)
                    });
                    v.iter()
                        .map(|c| Considered {
                            basis: c.rule.basis.clone(),
                            period: c.rule.period,
                            latest: c.deadline.map(|d| d.date),
                            citation: c.rule.citation.clone(),
                        })
                        .collect()
                });
                let earliest =
                    (b.rule.direction == Direction::After && b.rule.duty != Duty::HoldReview).then_some(b.anchor_date);
                let provisional =
                    b.deadline.is_some_and(|d| d.provisional || cal.is_provisional(b.anchor_date, d.date));
                Obligation {
                    duty: p.duty,
                    role: b.rule.role,
                    action: b.rule.action.clone(),
                    regime: p.regime,
                    review_number: p.review_number,
                    earliest,
                    latest: b.deadline.map(|d| d.date),
                    latest_working_day: b.deadline.map(|d| d.latest_working_day),
                    basis: b.rule.basis.clone(),
                    binding: binding_list,
                    citation: b.rule.citation.clone(),
                    triggered_by: p.triggered_by,
                    projected: b.assumed,
                    provisional,
                    early: p.early,
                    done: p.done,
                    breach: p.breach,
                    trail: Trail {
                        anchor: Some(b.rule.anchor),
                        anchor_date: Some(b.anchor_date),
                        assumed: b.assumed,
                        direction: Some(b.rule.direction),
                        period: b.rule.period,
                        statutory_calendar: b.statutory_calendar,
                        note: p.note,
                    },
                }
            })
            .collect()
    }
}

/// Whether candidate `a` has an earlier deadline than `b` (no deadline counts as latest).
fn earlier(a: &Cand, b: &Cand) -> bool {
    match (a.deadline, b.deadline) {
        (Some(x), Some(y)) => x.date < y.date,
        (Some(_), None) => true,
        _ => false,
    }
}
