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

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, DataVersion};
use crate::clocks::Walk;
use crate::error::{Error, Result};
use crate::model::{Anchor, CaseHistory, Duty, Jurisdiction, Regime, Role, Roles};
use crate::period::{self, Deadline, Direction, Period};
use crate::profile::{AdjournedReviewDate, Basis, Citation, Profile, Rule};

mod placements;

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
#[non_exhaustive]
pub enum Breach {
    /// The review was held after its deadline.
    LateReview {
        /// When it was held.
        held: NaiveDate,
        /// Working days after the deadline.
        working_days_late: i64,
        /// Calendar days after the deadline.
        calendar_days_late: i64,
        /// Whose standard it breaches: `statutory` when statute's own deadline (or rule) was
        /// missed, else `local:<profile>` (a local deadline earlier than statute's was missed but
        /// statute's was not).
        #[serde(default)]
        basis: Basis,
    },
    /// The deadline passed (as at the schedule's date, or before the clock stopped) with no review.
    NotHeld {
        /// The date as at which it had not been held.
        as_at: NaiveDate,
        /// Whose standard it breaches: `statutory` when statute's own deadline (or rule) was
        /// missed, else `local:<profile>` (a local deadline earlier than statute's was missed but
        /// statute's was not).
        #[serde(default)]
        basis: Basis,
    },
    /// The review was adjourned more than once (the law allows one adjournment).
    SecondAdjournment {
        /// Dates of every adjourned meeting of this review.
        adjourned: Vec<NaiveDate>,
        /// Whose standard it breaches: `statutory` when statute's own deadline (or rule) was
        /// missed, else `local:<profile>` (a local deadline earlier than statute's was missed but
        /// statute's was not).
        #[serde(default)]
        basis: Basis,
    },
    /// The adjourned review was completed after the 20 working days allowed.
    AdjournedReviewCompletedLate {
        /// When it was completed.
        completed: NaiveDate,
        /// Working days late.
        working_days_late: i64,
        /// Whose standard it breaches: `statutory` when statute's own deadline (or rule) was
        /// missed, else `local:<profile>` (a local deadline earlier than statute's was missed but
        /// statute's was not).
        #[serde(default)]
        basis: Basis,
    },
    /// The review was moved to a date after its binding deadline (statute's, or an earlier local
    /// one).
    RearrangedPastDeadline {
        /// The planned date before.
        from: NaiveDate,
        /// The new date.
        to: NaiveDate,
        /// The deadline it passes: statute's when the move passes it (`basis` statutory), else
        /// the local one.
        deadline: NaiveDate,
        /// Whose standard it breaches: `statutory` when statute's own deadline (or rule) was
        /// missed, else `local:<profile>` (a local deadline earlier than statute's was missed but
        /// statute's was not).
        #[serde(default)]
        basis: Basis,
    },
    /// A duty other than a review (a visit, say) was done after its deadline.
    LateDuty {
        /// When it was done.
        done: NaiveDate,
        /// Working days after the deadline.
        working_days_late: i64,
        /// Calendar days after the deadline.
        calendar_days_late: i64,
        /// Whose standard it breaches (as for a late review).
        #[serde(default)]
        basis: Basis,
    },
    /// The deadline of a duty other than a review passed (as at the schedule's date, or before
    /// its clock stopped) without it being done.
    NotDone {
        /// The date as at which it had not been done.
        as_at: NaiveDate,
        /// Whose standard it breaches (as for a review not held).
        #[serde(default)]
        basis: Basis,
    },
}

impl Breach {
    /// Whose standard the breach is of: `statutory` or `local:<profile>`.
    pub fn basis(&self) -> &Basis {
        match self {
            Breach::LateReview { basis, .. }
            | Breach::NotHeld { basis, .. }
            | Breach::SecondAdjournment { basis, .. }
            | Breach::AdjournedReviewCompletedLate { basis, .. }
            | Breach::RearrangedPastDeadline { basis, .. }
            | Breach::LateDuty { basis, .. }
            | Breach::NotDone { basis, .. } => basis,
        }
    }
}

impl std::fmt::Display for Breach {
    /// Plain English, e.g. "held 3 working days late (on 2026-02-05)".
    ///
    /// ```
    /// use lac_timescales::schedule::Breach;
    /// let b: Breach = serde_json::from_str(r#"{"kind": "not_held", "as_at": "2026-06-01"}"#).unwrap();
    /// assert_eq!(b.to_string(), "not held as at 2026-06-01 (statutory)");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Breach::LateReview { held, working_days_late, basis, .. } => {
                write!(f, "held {working_days_late} working days late (on {held}) ({basis})")
            }
            Breach::NotHeld { as_at, basis } => write!(f, "not held as at {as_at} ({basis})"),
            Breach::SecondAdjournment { adjourned, basis } => {
                write!(f, "adjourned {} times (one adjournment is allowed) ({basis})", adjourned.len())
            }
            Breach::AdjournedReviewCompletedLate { completed, working_days_late, basis } => {
                write!(f, "adjourned review completed {working_days_late} working days late (on {completed}) ({basis})")
            }
            Breach::RearrangedPastDeadline { from, to, deadline, basis } => {
                write!(f, "moved from {from} to {to}, past its deadline {deadline} ({basis})")
            }
            Breach::LateDuty { done, working_days_late, basis, .. } => {
                write!(f, "done {working_days_late} working days late (on {done}) ({basis})")
            }
            Breach::NotDone { as_at, basis } => write!(f, "not done as at {as_at} ({basis})"),
        }
    }
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
    /// True when its deadline falls before the child became looked after (counted back from a
    /// review held soon after): it cannot apply, and is listed after the rules that can.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub before_care: bool,
}

/// One dated obligation: who must do what, by when, on what authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Obligation {
    /// What must be done.
    pub duty: Duty,
    /// Who must do it: the binding rule's role.
    pub role: Role,
    /// Every role its rules name: `role`, and the roles of the other rules considered (a local
    /// procedure naming the team manager where statute names a senior manager keeps both, even
    /// when statute binds).
    #[serde(default)]
    pub roles: Roles,
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
    /// Why it cannot apply, when it cannot: every rule for it would fall due before the child
    /// became looked after (counted back from a review held soon after that day). It then has no
    /// deadline, and an audit reports it `not_applicable` with this reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<String>,
    #[serde(skip)]
    trail: Trail,
}

impl Obligation {
    /// Whose standard it breaches when it was not done by `on` (done late on `on`, or still not
    /// done as at `on`): its breach's basis when it has a breach; else `statutory` when statute's
    /// own deadline for it (its earliest statutory rule that can apply) is before `on`, and
    /// otherwise the binding rule's basis (a local deadline earlier than statute's was missed).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
    /// use lac_timescales::{calendar::Calendar, profile::{Basis, Profile}, schedule::*};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Dudley: second review within 90 days of Mon 2 Mar 2026 (Sun 31 May), statute three months (Tue 2 Jun).
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(), vec![
    ///     Event::new(d(2026, 2, 2), EventKind::BecameLookedAfter),
    ///     Event::new(d(2026, 3, 2), EventKind::ReviewHeld { meeting: true, regimes: None }),
    /// ])?;
    /// let s = schedule(&case, &Profile::builtin("dudley")?, &Calendar::england_and_wales(), &ScheduleOptions::default())?;
    /// let second = s.obligations.iter().find(|o| o.duty == Duty::HoldReview && o.review_number == Some(2)).unwrap();
    /// assert_eq!(second.basis_of_miss(d(2026, 6, 1)), Basis::Local("dudley".into()));
    /// assert_eq!(second.basis_of_miss(d(2026, 6, 3)), Basis::Statutory);
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn basis_of_miss(&self, on: NaiveDate) -> Basis {
        if let Some(b) = &self.breach {
            return b.basis().clone();
        }
        let statutory = match &self.binding {
            Some(all) => {
                all.iter().filter(|c| c.basis == Basis::Statutory && !c.before_care).filter_map(|c| c.latest).min()
            }
            None => self.latest.filter(|_| self.basis == Basis::Statutory),
        };
        match statutory {
            Some(s) if on > s => Basis::Statutory,
            _ => self.basis.clone(),
        }
    }

    /// The held review meeting (index in the walk) this obligation is counted after, for duties
    /// after a review: what a `duty_done` matched by `Walk::meeting_of_done` records.
    pub(crate) fn after_meeting(&self) -> Option<usize> {
        self.trail.meeting.filter(|_| self.trail.direction == Some(Direction::After))
    }
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
    /// The held review meeting (index in the walk) a duty counted from a review belongs to.
    meeting: Option<usize>,
}

impl std::fmt::Display for Obligation {
    /// One line: the day to act by, the duty (and review), who, the action, the authority and
    /// its status, and what happened.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
    /// use lac_timescales::{calendar::Calendar, profile::Profile, schedule::{schedule, ScheduleOptions}};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(),
    ///     vec![Event::new(d(2026, 1, 1), EventKind::BecameLookedAfter)])?;
    /// let s = schedule(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(),
    ///     &ScheduleOptions::default())?;
    /// assert_eq!(s.next_review().unwrap().to_string(),
    ///     "2026-01-29 hold_review (looked_after review 1), local_authority: Hold the first looked-after review \
    ///      [statutory; Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959), reg 33(1) [V]]");
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.latest_working_day {
            Some(d) => write!(f, "{d} ")?,
            None => f.write_str("no date fixed ")?,
        }
        f.write_str(self.duty.as_str())?;
        match (self.regime, self.review_number) {
            (Some(r), Some(n)) => write!(f, " ({r} review {n})")?,
            (None, Some(n)) => write!(f, " (no. {n})")?,
            _ => {}
        }
        write!(f, ", {}: {} [{}; {}]", self.role, self.action, self.basis, self.citation)?;
        if self.early {
            f.write_str(" early")?;
        }
        if let Some(d) = self.done {
            write!(f, " done {d}")?;
        }
        if self.projected {
            f.write_str(" projected")?;
        }
        if let Some(b) = &self.breach {
            write!(f, " BREACH: {b}")?;
        }
        Ok(())
    }
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
    pub statutory_profile: std::borrow::Cow<'static, str>,
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
    pub library_version: std::borrow::Cow<'static, str>,
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

    /// The obligations of `role` still open as at `as_at`: not done by then (done later, or not
    /// at all), and not found inapplicable, in the schedule's order (undated ones last). A role
    /// counts when any rule for the obligation names it.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction, Role};
    /// use lac_timescales::{calendar::Calendar, profile::Profile, schedule::{schedule, ScheduleOptions}};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(), vec![
    ///     Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
    ///     Event::new(d(2026, 1, 29), EventKind::ReviewHeld { meeting: true, regimes: None }),
    /// ])?;
    /// let s = schedule(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(),
    ///     &ScheduleOptions::default())?;
    /// // The first review was held on 29 Jan: as at 1 Feb, the local authority's next open
    /// // review is the second (three months after 29 Jan: 29 Apr).
    /// let open: Vec<_> = s.open_for(Role::LocalAuthority, d(2026, 2, 1))
    ///     .filter(|o| o.duty == lac_timescales::model::Duty::HoldReview).collect();
    /// assert_eq!(open[0].latest, Some(d(2026, 4, 29)));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn open_for(&self, role: Role, as_at: NaiveDate) -> impl Iterator<Item = &Obligation> {
        self.obligations.iter().filter(move |o| {
            (o.role == role || o.roles.contains(role)) && o.done.is_none_or(|d| d > as_at) && o.not_applicable.is_none()
        })
    }

    /// The obligations not done by `as_at` whose day to act by falls within `days` calendar days
    /// after it (from `as_at` itself to `as_at + days`), in the schedule's order. Overdue ones
    /// (before `as_at`) are not included: see [`Schedule::open_for`] and `breach`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
    /// use lac_timescales::{calendar::Calendar, profile::Profile, schedule::{schedule, ScheduleOptions}};
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let case = CaseHistory::new(Jurisdiction::England, Child::default(),
    ///     vec![Event::new(d(2026, 1, 1), EventKind::BecameLookedAfter)])?;
    /// let s = schedule(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(),
    ///     &ScheduleOptions::default())?;
    /// // The first review is due Thu 29 Jan 2026: 28 days after 1 Jan, not 27.
    /// assert!(s.due_within(d(2026, 1, 1), 28).any(|o| o.latest == Some(d(2026, 1, 29))));
    /// assert!(!s.due_within(d(2026, 1, 1), 27).any(|o| o.latest == Some(d(2026, 1, 29))));
    /// # Ok::<(), lac_timescales::Error>(())
    /// ```
    pub fn due_within(&self, as_at: NaiveDate, days: u32) -> impl Iterator<Item = &Obligation> {
        let end = as_at.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
        self.obligations.iter().filter(move |o| {
            o.done.is_none_or(|d| d > as_at)
                && o.not_applicable.is_none()
                && o.latest_working_day.is_some_and(|w| w >= as_at && w <= end)
        })
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
        let others: Vec<&str> = o.roles.iter().filter(|r| *r != o.role).map(|r| r.describe()).collect();
        if !others.is_empty() {
            steps.push(format!("The other rules considered also name: {}.", others.join(", ")));
        }
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
        if let Some(why) = &o.not_applicable {
            steps.push(format!("Not applicable: {why}."));
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
    /// The n-th occurrence of a duty repeating from when it was last done, in a placement.
    Occurrence(usize, u32),
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
    events: Arc<[usize]>,
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

/// No next candidate.
const NONE: usize = usize::MAX;

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
    /// Index in `Builder::cands` of the next candidate of the same obligation, or [`NONE`].
    next: usize,
}

struct Pending {
    duty: Duty,
    regime: Option<Regime>,
    review_number: Option<u32>,
    /// Taken when the obligation is built.
    triggered_by: Option<Arc<[usize]>>,
    early: bool,
    done: Option<NaiveDate>,
    /// Index in `Builder::extras` of what few obligations have besides, or [`NONE`].
    extra: usize,
    /// Indices in `Builder::cands` of the binding, first and last candidates, and how many there are.
    best: usize,
    first: usize,
    last: usize,
    n_cands: u32,
    /// The held review meeting (index in the walk) a duty counted from a review belongs to, or
    /// `u32::MAX`.
    meeting: u32,
}

/// What few obligations have besides (kept apart so that `Pending` stays small).
#[derive(Default)]
struct Extra {
    breach: Option<Breach>,
    note: Option<String>,
    /// A rule made by the engine for this obligation (authorising a rearrangement).
    made: Option<Arc<Rule>>,
    /// Why a rule of it cannot apply (its deadline falls before the child was looked after).
    before_care: Option<String>,
}

/// The events that triggered an obligation: already shared, or a short list to share.
#[derive(Clone, Copy)]
enum Trig<'t> {
    Shared(&'t Arc<[usize]>),
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

/// A review clock still running after the history: review `n` of run `r`, counted from `anchor`.
#[derive(Debug, Clone, Copy)]
struct Open {
    r: usize,
    n: u32,
    anchor: NaiveDate,
    assumed: bool,
    trig: Evs,
}

/// The groups of rules the engine visits, in profile order within each group.
const INTERVAL: usize = 0;
const EARLY: usize = 1;
/// Two groups each (second: anchored on another duty being done).
const MEETING: usize = 2;
const PERIOD: usize = 4;
const MARKER: usize = 6;
/// Counted from a placement's start or end, or from the last time the duty was done.
const PLACEMENT: usize = 7;
/// Counted from a `review_rearranged` event.
const REARRANGE: usize = 8;
const GROUPS: usize = 9;

/// The group a rule belongs to, if the engine can use it at all. Each rule is in one group at
/// most (the anchors of the groups are disjoint).
fn group(r: &Rule) -> Option<usize> {
    use Anchor::*;
    // One exhaustive match (a new anchor must be placed here); the unit test
    // `groups_agree_with_anchor_kinds` checks it against `Anchor::is_trigger` and `done_duty`.
    let review = r.duty == Duty::HoldReview;
    let g = match r.anchor {
        RegimeStart | PreviousReview if review => INTERVAL,
        ReviewDate | ReviewCompleted | Midpoint | LastReviewMeeting if !review => MEETING,
        DecisionsReceived if !review => MEETING + 1,
        BecameLookedAfter | CeasedToBeLookedAfter | SixteenthBirthday | DateOfBirth => PERIOD,
        IroAppointed | ReviewServiceNotified => PERIOD + 1,
        SignificantChange
        | IroRequestedReview
        | AccommodationEnding
        | PlacementNotSafeguarding
        | ChildRequestedReview
        | ChildAbsent
        | ChildAtRisk
        | FamilySupportReferral => {
            if review {
                EARLY
            } else {
                MARKER
            }
        }
        CarePlanStarted | DisputeStarted if !review => MARKER,
        PlacementStarted | PlacementEnded | LastDone if !review => PLACEMENT,
        ReviewRearranged if !review => REARRANGE,
        RegimeStart | PreviousReview | ReviewDate | ReviewCompleted | Midpoint | LastReviewMeeting
        | DecisionsReceived | CarePlanStarted | DisputeStarted | PlacementStarted | PlacementEnded | LastDone
        | ReviewRearranged => return None,
    };
    Some(g)
}

/// The profile's rules sorted by [`group`] once per schedule, so that no loop scans them all.
struct RuleSets {
    /// Indices into the profile's rules, grouped.
    rules: Vec<usize>,
    bounds: [usize; GROUPS + 1],
    /// When the interval group has at most 64 rules: bit `j` stands for its `j`-th rule, set in
    /// `[regime][class]` when the rule names that regime and fits reviews of that class (first,
    /// second, third onward: anchor and review filter). A prefilter only: every pick is still
    /// checked by [`interval_fits`].
    interval_masks: Option<[[u64; 3]; REGIMES]>,
    /// A column for each duty some meeting rule has (`None`: none), and how many there are:
    /// `Builder::meeting_duty` has one row of columns per meeting.
    meeting_col: [Option<usize>; DUTIES],
    meeting_cols: usize,
    /// The duties that repeat from the date they were last done (some rule counts from
    /// `last_done`), in declaration order.
    repeating: Vec<Duty>,
}

/// Number of review regimes.
const REGIMES: usize = Regime::ALL.len();

impl Default for RuleSets {
    fn default() -> RuleSets {
        RuleSets {
            rules: Vec::new(),
            bounds: [0; GROUPS + 1],
            interval_masks: None,
            meeting_col: [None; DUTIES],
            meeting_cols: 0,
            repeating: Vec::new(),
        }
    }
}

/// Indices into `RuleSets::rules`: the set bits of a mask, or else a whole range.
struct Picks {
    mask: u64,
    base: usize,
    rest: std::ops::Range<usize>,
}

impl Iterator for Picks {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.mask != 0 {
            let j = self.mask.trailing_zeros() as usize;
            self.mask &= self.mask - 1;
            return Some(self.base + j);
        }
        self.rest.next()
    }
}

impl RuleSets {
    fn new(profile_rules: &[Arc<Rule>]) -> RuleSets {
        let mut bounds = [0usize; GROUPS + 1];
        for r in profile_rules {
            if let Some(g) = group(r) {
                bounds[g + 1] += 1;
            }
        }
        for g in 0..GROUPS {
            bounds[g + 1] += bounds[g];
        }
        let mut rules = vec![0; bounds[GROUPS]];
        let mut at = bounds;
        for (k, r) in profile_rules.iter().enumerate() {
            if let Some(g) = group(r) {
                rules[at[g]] = k;
                at[g] += 1;
            }
        }
        let interval = bounds[INTERVAL]..bounds[INTERVAL + 1];
        let interval_masks = (interval.len() <= 64).then(|| {
            let mut masks = [[0u64; 3]; REGIMES];
            for (j, r) in rules[interval].iter().map(|&k| &profile_rules[k]).enumerate() {
                for reg in r.regimes.iter().flatten() {
                    for (class, n) in [1, 2, 3].into_iter().enumerate() {
                        let anchor = if n == 1 { Anchor::RegimeStart } else { Anchor::PreviousReview };
                        if r.anchor == anchor && r.reviews.matches(n) {
                            masks[*reg as usize][class] |= 1 << j;
                        }
                    }
                }
            }
            masks
        });
        let mut meeting_col = [None; DUTIES];
        let mut meeting_cols = 0;
        for &k in &rules[bounds[MEETING]..bounds[MEETING + 2]] {
            let col = &mut meeting_col[profile_rules[k].duty as usize];
            if col.is_none() {
                *col = Some(meeting_cols);
                meeting_cols += 1;
            }
        }
        let mut repeating: Vec<Duty> = rules[bounds[PLACEMENT]..bounds[PLACEMENT + 1]]
            .iter()
            .map(|&k| &profile_rules[k])
            .filter(|r| r.anchor == Anchor::LastDone)
            .map(|r| r.duty)
            .collect();
        repeating.sort_unstable();
        repeating.dedup();
        RuleSets { rules, bounds, interval_masks, meeting_col, meeting_cols, repeating }
    }

    /// The interval rules that may fit review `n` of `regime` (a superset, in profile order).
    fn interval_picks(&self, regime: Regime, n: u32) -> Picks {
        let base = self.bounds[INTERVAL];
        match self.interval_masks {
            Some(masks) if n > 0 => {
                let class = (n as usize - 1).min(2);
                Picks { mask: masks[regime as usize][class], base, rest: 0..0 }
            }
            _ => Picks { mask: 0, base, rest: self.range(INTERVAL) },
        }
    }

    fn range(&self, g: usize) -> std::ops::Range<usize> {
        self.bounds[g]..self.bounds[g + 1]
    }
}

/// Whether `rule` sets the interval for review `n` of `regime` counted from `anchor`.
fn interval_fits(rule: &Rule, regime: Regime, n: u32, anchor: NaiveDate) -> bool {
    let want = if n == 1 { Anchor::RegimeStart } else { Anchor::PreviousReview };
    rule.anchor == want
        && rule.reviews.matches(n)
        && rule.in_force(anchor)
        && rule.regimes.as_ref().is_some_and(|rs| rs.contains(&regime))
}

/// Shared lists of triggering events, kept from one schedule to the next: most obligations are
/// triggered by one event or two, with small indices, so the same few lists recur.
#[derive(Default)]
struct TrigCache {
    empty: Option<Arc<[usize]>>,
    /// `[e]` for `e < MAX_SINGLE`.
    singles: Vec<Option<Arc<[usize]>>>,
    /// `[a, b]`, at most `MAX_PAIRS` of them.
    pairs: FastMap<(usize, usize), Arc<[usize]>>,
}

const MAX_SINGLE: usize = 1024;
const MAX_PAIRS: usize = 4096;

impl TrigCache {
    /// A shared list holding `list`.
    fn get(&mut self, list: &[usize]) -> Arc<[usize]> {
        match *list {
            [] => self.empty.get_or_insert_with(|| Arc::from(list)).clone(),
            [e] if e < MAX_SINGLE => {
                if self.singles.len() <= e {
                    self.singles.resize(e + 1, None);
                }
                self.singles[e].get_or_insert_with(|| Arc::from(list)).clone()
            }
            [a, b] => match self.pairs.get(&(a, b)) {
                Some(x) => x.clone(),
                None => {
                    let x: Arc<[usize]> = Arc::from(list);
                    if self.pairs.len() < MAX_PAIRS {
                        self.pairs.insert((a, b), x.clone());
                    }
                    x
                }
            },
            _ => Arc::from(list),
        }
    }
}

/// What a thread keeps between schedules, so that a schedule allocates little besides its result:
/// the rule groups of the last few profiles, shared trigger lists, and scratch vectors. It never
/// changes a result: groups are reused only for the very same rules (the same `Arc`s, which the
/// cache keeps alive so they cannot be replaced at the same address, in the same order), and the
/// scratch vectors are emptied after each use.
#[derive(Default)]
struct Cache {
    /// The rules each set of groups was built from, most recent first.
    groups: Vec<(Vec<Arc<Rule>>, RuleSets)>,
    trigs: TrigCache,
    pending: Vec<Pending>,
    extras: Vec<Extra>,
    slots: Slots,
    meeting_duty: Vec<usize>,
    order: Vec<u128>,
    order_64: Vec<u64>,
}

/// Profiles whose rule groups a thread keeps.
const CACHED_PROFILES: usize = 4;

/// Scratch capacity kept after a schedule (larger vectors are shrunk back).
const KEEP_CAPACITY: usize = 1024;

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

impl Cache {
    /// This thread's cache (a fresh one if it is in use or the thread is ending).
    fn take() -> Cache {
        CACHE
            .try_with(|c| c.try_borrow_mut().map(|mut c| std::mem::take(&mut *c)).unwrap_or_default())
            .unwrap_or_default()
    }

    /// Gives the cache back to the thread, emptied of this schedule's data.
    fn give_back(mut self) {
        self.pending.clear();
        self.extras.clear();
        self.slots.list.clear();
        self.slots.map.clear();
        self.meeting_duty.clear();
        self.order.clear();
        self.order_64.clear();
        self.pending.shrink_to(KEEP_CAPACITY);
        self.extras.shrink_to(KEEP_CAPACITY);
        self.slots.list.shrink_to(KEEP_CAPACITY);
        self.slots.map.shrink_to(KEEP_CAPACITY);
        self.meeting_duty.shrink_to(KEEP_CAPACITY);
        self.order.shrink_to(KEEP_CAPACITY);
        self.order_64.shrink_to(KEEP_CAPACITY);
        let _ = CACHE.try_with(|c| {
            if let Ok(mut c) = c.try_borrow_mut() {
                *c = self;
            }
        });
    }

    /// Moves the groups of `rules` to the front, building them if they are not cached.
    fn select(&mut self, rules: &[Arc<Rule>]) {
        let same = |cached: &[Arc<Rule>]| {
            cached.len() == rules.len() && cached.iter().zip(rules).all(|(a, b)| Arc::ptr_eq(a, b))
        };
        match self.groups.iter().position(|(cached, _)| same(cached)) {
            Some(0) => {}
            Some(k) => {
                let entry = self.groups.remove(k);
                self.groups.insert(0, entry);
            }
            None => {
                self.groups.truncate(CACHED_PROFILES - 1);
                self.groups.insert(0, (rules.to_vec(), RuleSets::new(rules)));
            }
        }
    }
}

struct Builder<'a, 'c> {
    walk: &'a Walk,
    profile: &'a Profile,
    sets: &'c RuleSets,
    cal: &'a Calendar,
    local_cal: Option<&'a Calendar>,
    as_at: Option<NaiveDate>,
    pending: &'c mut Vec<Pending>,
    extras: &'c mut Vec<Extra>,
    /// Every candidate rule of every obligation (one shared vector rather than one per
    /// obligation); each obligation's candidates are chained through `Cand::next`.
    cands: Vec<Cand<'a>>,
    /// Obligations by (duty, scope), for scopes other than slots and meetings.
    index: FastMap<(Duty, Scope), usize>,
    /// Each slot (run, review number): its obligation and binding deadline, for midpoints and
    /// rearrangements.
    slots: &'c mut Slots,
    /// The obligation of each (meeting, duty): `meeting_duty[meeting * sets.meeting_cols +
    /// sets.meeting_col[duty]]`, or [`NONE`].
    meeting_duty: &'c mut Vec<usize>,
    trigs: &'c mut TrigCache,
    order: &'c mut Vec<u128>,
    order_64: &'c mut Vec<u64>,
}

/// A review slot's obligation.
struct SlotEntry {
    key: (usize, u32),
    i: usize,
    latest: Option<NaiveDate>,
}

/// The slots made so far: a short list searched in order, indexed by a map once it grows.
#[derive(Default)]
struct Slots {
    list: Vec<SlotEntry>,
    /// Key -> position in `list`, kept only beyond `SHORT_SLOTS` entries.
    map: FastMap<(usize, u32), usize>,
}

const SHORT_SLOTS: usize = 16;

impl Slots {
    fn get(&self, key: (usize, u32)) -> Option<usize> {
        if self.list.len() <= SHORT_SLOTS {
            self.list.iter().position(|e| e.key == key)
        } else {
            self.map.get(&key).copied()
        }
    }

    fn push(&mut self, e: SlotEntry) {
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

/// Number of duties.
const DUTIES: usize = Duty::ALL.len();

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

use crate::clocks::PRIMARY;

/// Hard cap on projected meetings and repetitions, whatever the horizon.
const MAX_PROJECTION: usize = 400;

/// The most obligations one schedule may have, whatever the number of events and the horizon:
/// the total work of one request is bounded (a real child's schedule has hundreds).
pub const MAX_OBLIGATIONS: usize = 20_000;

/// The error when a schedule grows past [`MAX_OBLIGATIONS`] (or its candidate rules past eight
/// times that): computing stops there.
#[cold]
fn too_many_obligations(actual: usize) -> Error {
    Error::LimitExceeded {
        what: "number of obligations in one schedule (computing stopped there)".into(),
        actual,
        limit: MAX_OBLIGATIONS,
    }
}

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
    let mut cache = Cache::take();
    cache.select(&profile.rules);
    let Cache { groups, trigs, pending, extras, slots, meeting_duty, order, order_64 } = &mut cache;
    let mut b = Builder {
        walk: case.walk(),
        profile,
        sets: &groups[0].1,
        cal: calendar,
        local_cal: options.local_calendar.as_ref(),
        as_at,
        pending,
        extras,
        cands: Vec::with_capacity(64),
        index: FastMap::default(),
        slots,
        meeting_duty,
        trigs,
        order,
        order_64,
    };
    let obligations = b.run(case, horizon_end, horizon == 0);
    cache.give_back();
    Ok(Schedule {
        obligations: obligations?,
        metadata: Metadata {
            profile: profile.id.clone(),
            profile_version: profile.version.clone(),
            statutory_profile: profile.statutory_id().into(),
            statutory_profile_version: profile.statutory_version.clone(),
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

/// The sort key of an obligation: undated last, then the day to plan for, review number (none
/// first), duty, and the order of creation. One integer, so sorting compares plain numbers.
/// Fields: undated (bit 127), day (82-122), review number + 1 (48-80), duty (32-47), index (0-31).
fn sort_key(day: Option<NaiveDate>, review_number: Option<u32>, duty: Duty, i: usize) -> u128 {
    let (undated, day) = match day {
        // Year (order-preserving map of the signed year onto u32), then day of the year.
        Some(d) => (0u128, u128::from((d.year() as u32) ^ 0x8000_0000) << 9 | u128::from(d.ordinal())),
        None => (1, 0),
    };
    let number = review_number.map_or(0, |n| u128::from(n) + 1);
    undated << 127 | day << 82 | number << 48 | (duty_rank(duty) as u128 & 0xFFFF) << 32 | (i as u128 & WIDE_INDEX)
}

/// The index field of a 128-bit sort key.
const WIDE_INDEX: u128 = 0xFFFF_FFFF;

/// The position of a duty in [`Duty::ALL`] (its declaration order), for sorting.
fn duty_rank(duty: Duty) -> usize {
    duty as usize
}

/// Whether to sort on 128-bit keys even when 64-bit ones fit (a test hook: both orders are the same).
#[cfg(test)]
fn force_wide_keys() -> bool {
    tests::FORCE_WIDE.with(|f| f.get())
}

#[cfg(not(test))]
fn force_wide_keys() -> bool {
    false
}

/// Bits of the index field of a 64-bit sort key.
const NARROW_INDEX_BITS: u32 = 21;

/// The same key in 64 bits, when every field fits: dates in 1900-3947 (the calendar covers
/// 1971-2199), review numbers below 65,535, duties below 64 and fewer than 2^21 obligations.
/// Compares exactly as [`sort_key`] does (checked by a unit test); `None` when a field does not
/// fit, and the schedule then sorts on 128-bit keys (so the number of duties has no cap).
fn sort_key_64(day: Option<NaiveDate>, review_number: Option<u32>, duty: Duty, i: usize) -> Option<u64> {
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
        Ok(self.finish(horizon_end))
    }

    /// Rule `k` of the grouped rules.
    fn rule(&self, k: usize) -> &'a Rule {
        let profile: &'a Profile = self.profile;
        &profile.rules[self.sets.rules[k]]
    }

    fn cal_for(&self, rule: &Rule) -> (&'a Calendar, bool) {
        match (&rule.basis, self.local_cal) {
            (Basis::Local(_), Some(c)) => (c, false),
            _ => (self.cal, true),
        }
    }

    /// An error once the schedule is over [`MAX_OBLIGATIONS`].
    fn check_size(&self) -> Result<()> {
        if self.pending.len() > MAX_OBLIGATIONS || self.cands.len() > 8 * MAX_OBLIGATIONS {
            return Err(too_many_obligations(self.pending.len()));
        }
        Ok(())
    }

    fn cand(&self, rule: &'a Rule, anchor_date: NaiveDate, assumed: bool) -> Result<Cand<'a>> {
        self.check_size()?;
        let (cal, statutory_calendar) = self.cal_for(rule);
        let deadline = match rule.period {
            Some(p) => Some(period::count(anchor_date, p, rule.direction, cal)?),
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
            next: NONE,
        })
    }

    /// Adds a candidate rule to obligation `existing`, or to a new obligation when `None`;
    /// returns the obligation's index. The earliest deadline binds; on a tie the first candidate
    /// (statute comes first in a profile) keeps it.
    fn attach(
        &mut self,
        existing: Option<usize>,
        cand: Cand<'a>,
        regime: Option<Regime>,
        review_number: Option<u32>,
        triggered_by: Trig<'_>,
        early: bool,
    ) -> usize {
        let c = self.cands.len();
        let i = match existing {
            Some(i) => {
                let p = &mut self.pending[i];
                if earlier(&cand, &self.cands[p.best]) {
                    p.best = c;
                }
                self.cands[p.last].next = c;
                p.last = c;
                p.n_cands += 1;
                i
            }
            None => {
                let triggered_by = match triggered_by {
                    Trig::Shared(a) => a.clone(),
                    Trig::List(list) => self.trigs.get(list),
                };
                self.pending.push(Pending {
                    duty: cand.duty,
                    regime,
                    review_number,
                    triggered_by: Some(triggered_by),
                    early,
                    done: None,
                    extra: NONE,
                    best: c,
                    first: c,
                    last: c,
                    n_cands: 1,
                    meeting: u32::MAX,
                });
                self.pending.len() - 1
            }
        };
        self.cands.push(cand);
        i
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
        let i = self.attach(existing, cand, regime, review_number, triggered_by, early);
        if existing.is_none() {
            self.index.insert(key, i);
        }
        i
    }

    /// The extras of obligation `i`, made empty if it has none yet.
    fn extra(&mut self, i: usize) -> &mut Extra {
        let e = match self.pending[i].extra {
            NONE => {
                self.extras.push(Extra::default());
                self.pending[i].extra = self.extras.len() - 1;
                self.extras.len() - 1
            }
            e => e,
        };
        &mut self.extras[e]
    }

    fn best(&self, i: usize) -> &Cand<'a> {
        &self.cands[self.pending[i].best]
    }

    fn binding_latest(&self, i: usize) -> Option<NaiveDate> {
        self.best(i).deadline.map(|d| d.date)
    }

    /// The earliest deadline of obligation `i`'s statutory rules, if it has one.
    fn statutory_latest(&self, i: usize) -> Option<NaiveDate> {
        let mut c = self.pending[i].first;
        let mut best: Option<NaiveDate> = None;
        while let Some(cand) = self.cands.get(c) {
            if cand.rule.basis == Basis::Statutory {
                if let Some(d) = cand.deadline {
                    best = Some(best.map_or(d.date, |b| b.min(d.date)));
                }
            }
            c = cand.next;
        }
        best
    }

    /// Whose standard obligation `i` breaches when not done by `on`: statute's when its own
    /// deadline has passed too (or the duty has no statutory rule with a deadline and the binding
    /// rule is statutory), else the binding local rule's.
    fn breach_basis(&self, i: usize, on: NaiveDate) -> Basis {
        match self.statutory_latest(i) {
            Some(s) if on > s => Basis::Statutory,
            _ => self.best(i).rule.basis.clone(),
        }
    }

    fn slot_entry(&self, key: (usize, u32)) -> Option<&SlotEntry> {
        self.slots.get(key).map(|k| &self.slots.list[k])
    }

    /// The binding deadline of the review after review `n` of run `r` (held on `held`): the
    /// scheduled slot's when there is one, else counted from `held` by the interval rules (the
    /// clock stopped before that review fell due, so it has no slot).
    fn next_deadline(&self, r: usize, n: u32, held: NaiveDate) -> Result<Option<NaiveDate>> {
        if let Some(e) = self.slot_entry((r, n + 1)) {
            return Ok(e.latest);
        }
        let regime = self.walk.runs[r].regime;
        let mut best: Option<NaiveDate> = None;
        for k in self.sets.interval_picks(regime, n + 1) {
            let rule = self.rule(k);
            if !interval_fits(rule, regime, n + 1, held) {
                continue;
            }
            if let Some(p) = rule.period {
                let d = period::count(held, p, rule.direction, self.cal_for(rule).0)?.date;
                best = Some(best.map_or(d, |b| b.min(d)));
            }
        }
        Ok(best)
    }

    /// Adds the hold_review obligation for review `n` of run `r`; returns its index.
    fn slot(&mut self, r: usize, n: u32, anchor: NaiveDate, assumed: bool, trig: &[usize]) -> Result<usize> {
        let walk = self.walk;
        let run = &walk.runs[r];
        let regime = run.regime;
        if !self.sets.interval_picks(regime, n).any(|k| {
            let x = self.rule(k);
            interval_fits(x, regime, n, anchor) && x.basis == Basis::Statutory
        }) {
            return Err(Error::InvalidEvent {
                index: trig.first().copied().unwrap_or(run.start_event),
                event: "review clock".into(),
                field: "date".into(),
                value: anchor.to_string(),
                reason: format!(
                    "no statutory rule for {} review {n} is encoded for that date in the {} profile (earlier law is not encoded)",
                    regime.as_str(),
                    self.profile.statutory_id()
                ),
            });
        }
        let at = self.slots.get((r, n));
        let mut idx = at.map(|k| self.slots.list[k].i);
        for k in self.sets.interval_picks(regime, n) {
            let rule = self.rule(k);
            if !interval_fits(rule, regime, n, anchor) {
                continue;
            }
            let c = self.cand(rule, anchor, assumed)?;
            idx = Some(self.attach(idx, c, Some(regime), Some(n), Trig::List(trig), false));
        }
        let i = idx.expect("at least one rule");
        let latest = self.binding_latest(i);
        match at {
            Some(k) => self.slots.list[k].latest = latest,
            None => self.slots.push(SlotEntry { key: (r, n), i, latest }),
        }
        Ok(i)
    }

    fn recorded_date(&self, m: usize) -> Result<(NaiveDate, bool)> {
        let mt = &self.walk.meetings[m];
        if mt.adjournments.is_empty() || self.profile.settings.adjourned_review_date == AdjournedReviewDate::Original {
            return Ok((mt.date, false));
        }
        match mt.completed {
            Some((d, _)) => Ok((d, false)),
            None => Ok((self.adjourned_completion(mt.date)?, true)),
        }
    }

    /// When a review adjourned at a meeting on `date` and not yet completed is assumed to be
    /// completed: the deadline of the profile's `complete_adjourned_review` rules (the earliest
    /// if several; 20 working days in both statutory profiles), or the meeting itself when the
    /// profile has none.
    fn adjourned_completion(&self, date: NaiveDate) -> Result<NaiveDate> {
        let mut best: Option<NaiveDate> = None;
        for k in self.sets.range(MEETING) {
            let rule = self.rule(k);
            if rule.duty != Duty::CompleteAdjournedReview || rule.anchor != Anchor::ReviewDate || !rule.in_force(date) {
                continue;
            }
            if let Some(p) = rule.period {
                let d = period::count(date, p, rule.direction, self.cal_for(rule).0)?.date;
                best = Some(best.map_or(d, |b| b.min(d)));
            }
        }
        Ok(best.unwrap_or(date))
    }

    /// Regular review clocks, held reviews and projections. Returns the meetings for duties.
    fn clocks(&mut self, horizon_end: Option<NaiveDate>, no_horizon: bool) -> Result<Vec<Mtg<'a>>> {
        let walk = self.walk;
        // Clocks still running after the history: secure accommodation is projected on its own.
        let (mut other, mut secure): (Vec<Open>, Vec<Open>) = (Vec::new(), Vec::new());
        for (r, run) in walk.runs.iter().enumerate() {
            let mut anchor = (run.start, false);
            let mut trig = Evs::one(run.start_event);
            for (k, &m) in run.held.iter().enumerate() {
                let n = k as u32 + 1;
                let mt = &walk.meetings[m];
                let t = trig.with(mt.event);
                let i = self.slot(r, n, anchor.0, anchor.1, t.as_slice())?;
                self.pending[i].done = Some(mt.date);
                if let Some(l) = self.binding_latest(i) {
                    if mt.date > l {
                        let basis = self.breach_basis(i, mt.date);
                        self.extra(i).breach = Some(Breach::LateReview {
                            held: mt.date,
                            working_days_late: self.cal.working_days_between(l, mt.date)?,
                            calendar_days_late: (mt.date - l).num_days(),
                            basis,
                        });
                    }
                }
                anchor = self.recorded_date(m)?;
                trig = Evs::one(mt.event);
            }
            let n = run.held.len() as u32 + 1;
            if run.regime == Regime::PlacedWithParent && !run.held.is_empty() {
                continue;
            }
            match run.end {
                None => {
                    let list = if run.regime == Regime::SecureAccommodation { &mut secure } else { &mut other };
                    list.push(Open { r, n, anchor: anchor.0, assumed: anchor.1, trig });
                }
                Some((end, end_event)) => {
                    // The clock stopped: a review whose deadline passed before it stopped was missed.
                    let mut missed = false;
                    for k in self.sets.interval_picks(run.regime, n) {
                        let rule = self.rule(k);
                        if !interval_fits(rule, run.regime, n, anchor.0) {
                            continue;
                        }
                        if let Some(p) = rule.period {
                            if period::within_after(anchor.0, p, self.cal)?.date < end {
                                missed = true;
                            }
                        }
                    }
                    if missed {
                        let t = trig.with(end_event);
                        let i = self.slot(r, n, anchor.0, anchor.1, t.as_slice())?;
                        // The day before the clock stopped is the last day it could be held.
                        let basis = self.breach_basis(i, end.pred_opt().unwrap_or(end));
                        self.extra(i).breach = Some(Breach::NotHeld { as_at: end, basis });
                    }
                }
            }
        }
        let planned = walk.rearrangements.iter().rev().find(|x| x.meeting.is_none()).map(|x| (x.to, x.event));
        let mut mtgs: Vec<Mtg<'a>> = Vec::with_capacity(walk.meetings.len() + 4);
        // Reviews so far in each period of care (secure panel reviews apart).
        let mut in_period: Vec<u32> = vec![0; walk.periods.len()];
        let mut next_ordinal = |period: usize, secure: bool| match in_period.get_mut(period) {
            Some(k) if !secure => {
                *k += 1;
                *k
            }
            _ => 0,
        };
        for (m, mt) in walk.meetings.iter().enumerate() {
            let completed = match mt.completed {
                Some((d, _)) => (d, false),
                None => (self.adjourned_completion(mt.date).unwrap_or(mt.date), true),
            };
            let extra_completion = mt.completed.is_some_and(|(_, e)| e != mt.event);
            let events: Arc<[usize]> = if mt.adjournments.is_empty() && !extra_completion {
                self.trigs.get(&[mt.event])
            } else {
                let mut events = vec![mt.event];
                events.extend(mt.adjournments.iter().copied().filter(|e| *e != mt.event));
                if let Some((_, e)) = mt.completed {
                    if e != mt.event {
                        events.push(e);
                    }
                }
                events.into()
            };
            mtgs.push(Mtg {
                r: MeetingRef::Held(m),
                date: mt.date,
                completed,
                assumed: false,
                slots: SlotList::Borrowed(&mt.slots),
                period: mt.period,
                ordinal: next_ordinal(mt.period, mt.secure),
                with_meeting: mt.with_meeting,
                adjourned: &mt.adjournments,
                events,
            });
        }
        let early = self.early_reviews(&mtgs)?;
        let mut projected = 0usize;
        for (list, plan, early_date, is_secure) in [(other, planned, early, false), (secure, None, None, true)] {
            let mut open = list;
            let mut iteration = 0usize;
            while !open.is_empty() && iteration < MAX_PROJECTION {
                // The earliest day to plan for among the open slots (and, at first, early reviews).
                let mut first: Option<NaiveDate> = None;
                for s in &open {
                    let i = self.slot(s.r, s.n, s.anchor, s.assumed || iteration > 0, s.trig.as_slice())?;
                    if let Some(d) = self.best(i).deadline {
                        first = Some(first.map_or(d.latest_working_day, |f| f.min(d.latest_working_day)));
                    }
                    if let (Some(as_at), Some(l)) = (self.as_at, self.binding_latest(i)) {
                        if iteration == 0 && l < as_at {
                            let basis = self.breach_basis(i, as_at);
                            self.extra(i).breach = Some(Breach::NotHeld { as_at, basis });
                        }
                    }
                }
                if iteration == 0 {
                    if let Some(e) = early_date {
                        first = Some(first.map_or(e, |f| f.min(e)));
                    }
                }
                let next = match (iteration, plan) {
                    (0, Some((to, _))) => Some(to),
                    _ => first,
                };
                let Some(date) = next else { break };
                if iteration > 0 && (no_horizon || horizon_end.is_none_or(|h| date > h)) {
                    break;
                }
                let period = walk.runs[open[0].r].period;
                let events = match (iteration, plan) {
                    (0, Some((_, e))) => self.trigs.get(&[e]),
                    _ => self.trigs.get(&[]),
                };
                mtgs.push(Mtg {
                    r: MeetingRef::Projected(projected),
                    date,
                    completed: (date, true),
                    assumed: true,
                    slots: if open.len() <= 4 {
                        let mut s = [(0, 0); 4];
                        for (x, o) in s.iter_mut().zip(&open) {
                            *x = (o.r, o.n);
                        }
                        SlotList::Inline(open.len(), s)
                    } else {
                        SlotList::Owned(open.iter().map(|s| (s.r, s.n)).collect())
                    },
                    period,
                    ordinal: next_ordinal(period, is_secure),
                    with_meeting: true,
                    adjourned: &[],
                    events,
                });
                projected += 1;
                open.retain(|s| walk.runs[s.r].regime != Regime::PlacedWithParent);
                for s in &mut open {
                    *s = Open { r: s.r, n: s.n + 1, anchor: date, assumed: true, trig: Evs::default() };
                }
                iteration += 1;
                if no_horizon {
                    break;
                }
            }
        }
        Ok(mtgs)
    }

    /// Early reviews from triggers; returns the earliest latest working day of those still open.
    fn early_reviews(&mut self, mtgs: &[Mtg<'a>]) -> Result<Option<NaiveDate>> {
        let walk = self.walk;
        let mut open_first: Option<NaiveDate> = None;
        let rules = self.sets.range(EARLY);
        if rules.is_empty() {
            return Ok(None);
        }
        for mk in walk.markers.iter().filter(|m| m.anchor.is_trigger()) {
            let Some(lac) = walk.runs.iter().position(|r| {
                r.period == mk.period
                    && r.regime == Regime::LookedAfter
                    && r.start <= mk.date
                    && r.end.is_none_or(|(e, _)| e >= mk.date)
            }) else {
                continue;
            };
            let fits =
                |r: &Rule| r.anchor == mk.anchor && r.in_force(mk.date) && r.applies_to_regime(Regime::LookedAfter);
            if !rules.clone().any(|k| fits(self.rule(k))) {
                continue;
            }
            let of_clock = |m: &&Mtg| !m.assumed && m.slots.iter().any(|(r, _)| *r == lac);
            // A trigger dated on the day something ends (accommodation_ending) needs its review
            // before that day, so before the event itself: it is met by a review brought forward
            // for it, i.e. held before the day although its regular deadline fell on or after it.
            // A regular review that was simply due earlier does not count. Otherwise (and for
            // every other trigger) the first review held on or after the trigger counts.
            let before_day = rules.clone().any(|k| {
                let r = self.rule(k);
                fits(r) && r.direction == Direction::Before
            });
            let brought_forward = || {
                mtgs.iter().filter(of_clock).rev().find(|m| {
                    m.date < mk.date
                        && m.slots.iter().any(|(r, n)| {
                            *r == lac && self.slot_entry((*r, *n)).and_then(|e| e.latest).is_some_and(|l| l >= mk.date)
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
            for k in rules.clone() {
                let rule = self.rule(k);
                if !fits(rule) {
                    continue;
                }
                let c = self.cand(rule, mk.date, false)?;
                idx = self.add(
                    Scope::Event(mk.event),
                    c,
                    Some(Regime::LookedAfter),
                    number,
                    Trig::List(&[mk.event]),
                    true,
                );
            }
            match satisfied {
                Some(m) => {
                    self.pending[idx].done = Some(m.date);
                    let mut t = self.pending[idx].triggered_by.as_deref().unwrap_or(&[]).to_vec();
                    t.extend(m.events.first().copied());
                    self.pending[idx].triggered_by = Some(t.into());
                    if let Some(l) = self.binding_latest(idx) {
                        if m.date > l {
                            let basis = self.breach_basis(idx, m.date);
                            self.extra(idx).breach = Some(Breach::LateReview {
                                held: m.date,
                                working_days_late: self.cal.working_days_between(l, m.date)?,
                                calendar_days_late: (m.date - l).num_days(),
                                basis,
                            });
                        }
                    }
                }
                None => {
                    if let Some(c) = self.best(idx).deadline {
                        open_first = Some(open_first.map_or(c.latest_working_day, |f| f.min(c.latest_working_day)));
                        if let Some(a) = self.as_at.filter(|a| c.date < *a) {
                            let basis = self.breach_basis(idx, a);
                            self.extra(idx).breach = Some(Breach::NotHeld { as_at: a, basis });
                        }
                    }
                }
            }
        }
        Ok(open_first)
    }

    fn primary(&self, m: &Mtg) -> Option<(usize, u32, Regime)> {
        PRIMARY.iter().find_map(|reg| {
            m.slots.iter().find(|(r, _)| self.walk.runs[*r].regime == *reg).map(|(r, n)| (*r, *n, *reg))
        })
    }

    /// Duties anchored on a review meeting.
    fn meeting_duties(&mut self, mtgs: &[Mtg<'a>], case: &CaseHistory) -> Result<()> {
        // The rules that can apply to a meeting, split by pass: those counting from another
        // duty's completion go second, once that duty's deadline is known.
        for pass in 0..2 {
            let rules = self.sets.range(MEETING + pass);
            if rules.is_empty() {
                continue;
            }
            if self.meeting_duty.is_empty() {
                self.meeting_duty.resize(mtgs.len() * self.sets.meeting_cols, NONE);
            }
            for (mi, m) in mtgs.iter().enumerate() {
                let Some((run, n, regime)) = self.primary(m) else { continue };
                // `reviews` counts the reviews of the period of care (secure panels: their own).
                let in_care = if m.ordinal > 0 { m.ordinal } else { n };
                for k in rules.clone() {
                    let rule = self.rule(k);
                    if !rule.reviews.matches(in_care) || !rule.applies_to_regime(regime) {
                        continue;
                    }
                    if rule.needs_meeting && !m.with_meeting {
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
                            if yearly_meeting(self.walk, mtgs, mi).is_none() {
                                continue;
                            }
                            (m.date, m.assumed)
                        }
                        Anchor::DecisionsReceived => {
                            let dep = Duty::IssueDecisions;
                            // The one matching rule (`Walk::meeting_of_done`), as the audit uses.
                            let recorded = match m.r {
                                MeetingRef::Held(hm) => {
                                    self.walk.done.iter().find(|d| d.duty == dep && d.meeting == Some(hm))
                                }
                                MeetingRef::Projected(_) => None,
                            };
                            let issued = self.sets.meeting_col[dep as usize]
                                .map(|col| self.meeting_duty[mi * self.sets.meeting_cols + col])
                                .filter(|&i| i != NONE);
                            match (recorded, issued) {
                                (Some(d), _) => (d.date, false),
                                (None, Some(i)) => match self.binding_latest(i) {
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
                    let mut c = self.cand(rule, anchor, assumed)?;
                    let yearly = (rule.anchor == Anchor::LastReviewMeeting)
                        .then(|| yearly_meeting(self.walk, mtgs, mi))
                        .flatten();
                    if let Some((review, _)) = yearly.and_then(|y| y.too_soon) {
                        // A review without a meeting before 12 months in the placement: the meeting
                        // was needed at that review.
                        let lwd = self.cal.last_working_day_on_or_before(review).unwrap_or(review);
                        c.deadline = Some(Deadline { date: review, latest_working_day: lwd, provisional: false });
                    }
                    // Nothing is due before the child was looked after: a rule counted back from a
                    // review held soon after that day cannot apply (issue 14; READING.md).
                    let care_start = self.walk.periods.get(m.period).map(|p| p.start);
                    let early_count = c.deadline.zip(care_start).filter(|(dl, s)| dl.date < *s);
                    c.before_care = early_count.is_some();
                    let Some(col) = self.sets.meeting_col[rule.duty as usize] else { continue };
                    let at = mi * self.sets.meeting_cols + col;
                    let existing = (self.meeting_duty[at] != NONE).then_some(self.meeting_duty[at]);
                    let i = self.attach(existing, c, Some(regime), Some(n), Trig::Shared(&m.events), false);
                    self.meeting_duty[at] = i;
                    if let Some((dl, start)) = early_count {
                        let why = format!(
                            "counted back from review {n} on {anchor}, it would fall due on {}, before the child became \
                             looked after on {start}: the review was held too soon after for this rule to apply",
                            dl.date
                        );
                        self.extra(i).before_care = Some(why);
                    }
                    if let MeetingRef::Held(hm) = m.r {
                        self.pending[i].meeting = u32::try_from(hm).unwrap_or(u32::MAX);
                    }
                    if rule.duty == Duty::CompleteAdjournedReview {
                        self.adjourned_breach(i, m, case)?;
                    }
                    if let Some(y) = yearly {
                        self.pending[i].done = y.done;
                        if let Some((review, year)) = y.too_soon {
                            self.extra(i).note = Some(format!(
                                "The review of {review} was held without a meeting before the child had been 12 months in the \
                                 designated long-term foster placement ({year}): a meeting was needed at that review."
                            ));
                        }
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
            // The once-only rule is statute's (CPPCR reg 36(2)).
            self.extra(i).breach = Some(Breach::SecondAdjournment {
                adjourned: m.adjourned.iter().filter_map(|e| events.get(*e).map(|x| x.date)).collect(),
                basis: Basis::Statutory,
            });
        } else if let Some(l) = self.binding_latest(i) {
            if !m.completed.1 && m.completed.0 > l {
                let basis = self.breach_basis(i, m.completed.0);
                self.extra(i).breach = Some(Breach::AdjournedReviewCompletedLate {
                    completed: m.completed.0,
                    working_days_late: self.cal.working_days_between(l, m.completed.0)?,
                    basis,
                });
            } else if let Some(a) = self.as_at.filter(|a| m.completed.1 && *a > l) {
                let basis = self.breach_basis(i, a);
                self.extra(i).breach = Some(Breach::NotHeld { as_at: a, basis });
            }
        }
        Ok(())
    }

    /// Duties anchored on a period of care.
    fn period_duties(&mut self, case: &CaseHistory) -> Result<()> {
        let walk = self.walk;
        let dob = case.child().date_of_birth;
        for pass in 0..2 {
            let rules = self.sets.range(PERIOD + pass);
            if rules.is_empty() {
                continue;
            }
            for (p, period) in walk.periods.iter().enumerate() {
                let end = period.end.map(|(d, _)| d);
                let within = |d: NaiveDate| period.start <= d && end.is_none_or(|e| e >= d);
                for k in rules.clone() {
                    let rule = self.rule(k);
                    let mut trig = Evs::one(period.start_event);
                    // An age the child had already reached when the period of care began: the duty
                    // is due at once, on its first day (Dudley: the needs assessment at 15½).
                    let mut at_once = false;
                    let (anchor, assumed) = match rule.anchor {
                        Anchor::BecameLookedAfter if !period.short_breaks => (period.start, false),
                        Anchor::CeasedToBeLookedAfter if period.ceased => {
                            let Some((e, ev)) = period.end else { continue };
                            trig = trig.with(ev);
                            (e, false)
                        }
                        Anchor::SixteenthBirthday if !period.short_breaks => {
                            let (Some(b), Some(age)) = (dob, rule.age) else { continue };
                            let sixteen = period::within_after(b, age, self.cal)?.date;
                            let eligible = match rule.eligible_after {
                                Some(e) => period::within_after(period.start, e, self.cal)?.date,
                                None => period.start,
                            };
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
                            let adult = b.checked_add_months(Months::new(216)).unwrap_or(b);
                            at_once = dl.date < period.start && period.start < adult;
                            if !within(dl.date) && !at_once {
                                continue;
                            }
                            (b, false)
                        }
                        a @ (Anchor::IroAppointed | Anchor::ReviewServiceNotified) if !period.short_breaks => {
                            let dep = a.done_duty().expect("done anchor");
                            let recorded = walk.done.iter().find(|d| d.duty == dep && d.period == Some(p));
                            match (recorded, self.index.get(&(dep, Scope::Period(p)))) {
                                (Some(d), _) => {
                                    trig = trig.with(d.event);
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
                    if let (Some(age), Some(b)) = (rule.when_aged_at_least, dob) {
                        if period::within_after(b, age, self.cal)?.date > anchor {
                            continue;
                        }
                    }
                    let mut c = self.cand(rule, anchor, assumed)?;
                    if at_once {
                        let day = self.cal.next_working_day_on_or_after(period.start).unwrap_or(period.start);
                        c.deadline = Some(Deadline { date: day, latest_working_day: day, provisional: false });
                    }
                    let i = self.add(Scope::Period(p), c, None, None, Trig::List(trig.as_slice()), false);
                    if at_once {
                        self.extra(i).note = Some(format!(
                            "The child had already reached that age when the period of care began ({}): due at once, by the first working day of it.",
                            period.start
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Duties anchored on events (other than early-review clocks): disputes, care plans, triggers.
    fn event_duties(&mut self, horizon_end: Option<NaiveDate>) -> Result<()> {
        let walk = self.walk;
        let rules = self.sets.range(MARKER);
        if rules.is_empty() {
            return Ok(());
        }
        let until = match (self.as_at, horizon_end) {
            (Some(a), Some(h)) => Some(a.max(h)),
            (a, h) => a.or(h),
        };
        for mk in &walk.markers {
            let end = walk.periods.get(mk.period).and_then(|p| p.end.map(|(d, _)| d));
            for k in rules.clone() {
                let rule = self.rule(k);
                if rule.anchor != mk.anchor || !rule.in_force(mk.date) {
                    continue;
                }
                if !rule.repeat {
                    let c = self.cand(rule, mk.date, false)?;
                    self.add(Scope::Event(mk.event), c, None, None, Trig::List(&[mk.event]), false);
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
                    let c = Cand {
                        rule,
                        duty: rule.duty,
                        anchor_date: mk.date,
                        assumed: false,
                        deadline,
                        statutory_calendar,
                        before_care: false,
                        next: NONE,
                    };
                    self.check_size()?;
                    let i = self.add(Scope::Repeat(mk.event, k), c, None, Some(k), Trig::List(&[mk.event]), false);
                    self.extra(i).note =
                        Some(format!("Repetition {k}: {step} after the anchor, counted from the anchor itself."));
                    if last {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// Rearrangements past the binding review deadline: a breach, and, where the profile has a
    /// rule counted from the rearrangement (local practice: the IRO service manager authorises
    /// the move when it is made), an obligation under that rule carrying the breach. Without
    /// such a rule the breach is reported on the review itself (unless it already has one).
    fn rearrangements(&mut self, mtgs: &[Mtg<'a>]) -> Result<()> {
        let walk = self.walk;
        for ra in &walk.rearrangements {
            let target = match ra.meeting {
                Some(m) => mtgs.iter().find(|x| x.r == MeetingRef::Held(m)),
                None => mtgs.iter().find(|x| x.events.contains(&ra.event)),
            };
            let Some(t) = target else { continue };
            let mut binding_slot: Option<(NaiveDate, usize)> = None;
            for (r, n) in t.slots.iter() {
                if let Some(i) = self.slot_entry((*r, *n)).map(|e| e.i) {
                    if let Some(l) = self.binding_latest(i) {
                        if binding_slot.is_none_or(|(b, _)| l < b) {
                            binding_slot = Some((l, i));
                        }
                    }
                }
            }
            let Some((binding, slot_i)) = binding_slot else {
                continue;
            };
            if ra.to <= binding {
                continue;
            }
            // Past statute's own date: a statutory breach, named by that date. Past only an
            // earlier local date: a breach of the local procedure, named by the local date.
            let (deadline, basis) = match self.statutory_latest(slot_i) {
                Some(s) if ra.to > s => (s, Basis::Statutory),
                _ => (binding, self.best(slot_i).rule.basis.clone()),
            };
            let whose = match &basis {
                Basis::Statutory => "its statutory date".to_string(),
                Basis::Local(id) => format!("its date under the {id} procedure"),
            };
            let breach = Breach::RearrangedPastDeadline { from: ra.from, to: ra.to, deadline, basis: basis.clone() };
            let (regime, number) = (self.pending[slot_i].regime, self.pending[slot_i].review_number);
            // Who authorises the move, and when: the profile's own rule counted from the
            // rearrangement (local practice, with its own citation), if it has one.
            let mut idx = None;
            for k in self.sets.range(REARRANGE) {
                let rule = self.rule(k);
                if rule.anchor != Anchor::ReviewRearranged || !rule.in_force(ra.date) {
                    continue;
                }
                if let (Some(rs), Some(reg)) = (&rule.regimes, regime) {
                    if !rs.contains(&reg) {
                        continue;
                    }
                }
                let c = self.cand(rule, ra.date, false)?;
                idx = Some(self.add(Scope::Event(ra.event), c, regime, number, Trig::List(&[ra.event]), false));
            }
            match idx {
                Some(i) => {
                    let rule = self.best(i).rule;
                    let made = Arc::new(Rule {
                        action: format!(
                            "Authorise moving review {} from {} to {}: past {whose} {deadline} ({})",
                            number.unwrap_or(0),
                            ra.from,
                            ra.to,
                            rule.action
                        )
                        .into(),
                        ..Rule::clone(rule)
                    });
                    let note = match &basis {
                        Basis::Statutory => format!(
                            "Moving a review past its statutory date breaches the review regulations; the {} procedure requires the {}'s authority, given when the move is made.",
                            rule.basis,
                            rule.role.describe()
                        ),
                        Basis::Local(id) => format!(
                            "The new date is within statute's ({}) but past the {id} procedure's earlier date: a breach of that procedure, not of the regulations.",
                            self.statutory_latest(slot_i).map(|d| d.to_string()).unwrap_or_default()
                        ),
                    };
                    self.extra(i).made = Some(made);
                    self.extra(i).breach = Some(breach);
                    self.extra(i).note = Some(note);
                }
                None => {
                    // Statute alone has no authorisation duty: the move is a breach of the review
                    // it moves (unless that review already has one, e.g. it was then held late).
                    let x = self.extra(slot_i);
                    if x.breach.is_none() {
                        x.breach = Some(breach);
                    }
                }
            }
        }
        Ok(())
    }

    /// Builds the obligations in order, leaving out projected ones past the horizon.
    fn finish(&mut self, horizon_end: Option<NaiveDate>) -> Vec<Obligation> {
        let cal = self.cal;
        let cands = &self.cands;
        let pending = &mut *self.pending;
        let extras = &mut *self.extras;
        // Sort small keys (64 bits when they fit, else 128), then build each obligation once, in order.
        let (order, order_64) = (&mut *self.order, &mut *self.order_64);
        // The obligations kept (projected ones past the horizon are left out) and their sort fields.
        let kept = pending.iter().enumerate().filter_map(|(i, p)| {
            let b = &cands[p.best];
            let past = b.assumed && horizon_end.is_some_and(|h| b.deadline.is_some_and(|d| d.date > h));
            (!past).then(|| (b.deadline.map(|d| d.latest_working_day), p.review_number, p.duty, i))
        });
        let mut narrow = !force_wide_keys();
        for (day, number, duty, i) in kept.clone() {
            if !narrow {
                break;
            }
            match sort_key_64(day, number, duty, i) {
                Some(k) => order_64.push(k),
                None => narrow = false,
            }
        }
        // Sorted, then each key replaced by the obligation's index.
        if narrow {
            order_64.sort_unstable();
            for k in order_64.iter_mut() {
                *k &= (1 << NARROW_INDEX_BITS) - 1;
            }
        } else {
            order.extend(kept.map(|(day, number, duty, i)| sort_key(day, number, duty, i)));
            order.sort_unstable();
            order_64.clear();
            order_64.extend(order.iter().map(|&k| (k & WIDE_INDEX) as u64));
        }
        let mut out = Vec::with_capacity(order_64.len());
        out.extend(order_64.iter().map(|&pi| {
            let p = &mut pending[pi as usize];
            let b = &cands[p.best];
            let mut roles = Roles::default();
            let binding = (p.n_cands > 1).then(|| {
                let mut v: Vec<&Cand> = Vec::with_capacity(p.n_cands as usize);
                let mut c = p.first;
                while let Some(cand) = cands.get(c) {
                    v.push(cand);
                    roles = roles.with(cand.rule.role);
                    c = cand.next;
                }
                v.sort_by_key(|c| {
                    (c.before_care, c.deadline.is_none(), c.deadline.map(|d| d.date), c.rule.basis != Basis::Statutory)
                });
                v.iter()
                    .map(|c| Considered {
                        basis: c.rule.basis.clone(),
                        period: c.rule.period,
                        latest: c.deadline.map(|d| d.date),
                        citation: c.rule.citation.clone(),
                        before_care: c.before_care,
                    })
                    .collect()
            });
            let (breach, note, made, before_care) = match extras.get_mut(p.extra) {
                Some(x) => (x.breach.take(), x.note.take(), x.made.take(), x.before_care.take()),
                None => (None, None, None, None),
            };
            // Every rule of it falls before the child was looked after: it cannot apply.
            let not_applicable = before_care.filter(|_| b.before_care);
            let deadline = if not_applicable.is_some() { None } else { b.deadline };
            let rule: &Rule = made.as_deref().unwrap_or(b.rule);
            let earliest =
                (rule.direction == Direction::After && rule.duty != Duty::HoldReview && !rule.before_or_within)
                    .then_some(b.anchor_date);
            let provisional = deadline.is_some_and(|d| d.provisional || cal.is_provisional(b.anchor_date, d.date));
            Obligation {
                duty: p.duty,
                role: rule.role,
                roles: if made.is_some() { Roles::of(rule.role) } else { roles.with(rule.role) },
                action: rule.action.clone(),
                regime: p.regime,
                review_number: p.review_number,
                earliest,
                latest: deadline.map(|d| d.date),
                latest_working_day: deadline.map(|d| d.latest_working_day),
                basis: rule.basis.clone(),
                binding,
                citation: rule.citation.clone(),
                triggered_by: p.triggered_by.take().unwrap_or_else(|| Arc::from(&[][..])),
                projected: b.assumed,
                provisional,
                early: p.early,
                done: p.done,
                breach,
                not_applicable,
                trail: Trail {
                    anchor: Some(rule.anchor),
                    anchor_date: Some(b.anchor_date),
                    assumed: b.assumed,
                    direction: Some(rule.direction),
                    period: rule.period,
                    statutory_calendar: b.statutory_calendar,
                    note,
                    meeting: (p.meeting != u32::MAX).then_some(p.meeting as usize),
                },
            }
        }));
        out
    }
}

/// A yearly review meeting in a long-term foster placement, counted from review meeting `mi`.
#[derive(Clone, Copy)]
struct Yearly {
    /// The next review held with a meeting, which discharges it.
    done: Option<NaiveDate>,
    /// A review held without a meeting before the child had been 12 months in the placement
    /// (that review's date, and the end of those 12 months): the meeting was due at it.
    too_soon: Option<(NaiveDate, NaiveDate)>,
}

/// Whether the yearly meeting duty counts from review meeting `mi` (held with a meeting, while the
/// child is in a designated long-term foster placement that was designated before the next review
/// with a meeting), and what discharges or breaches it (seed 001 s.1, s.10).
fn yearly_meeting(walk: &Walk, mtgs: &[Mtg], mi: usize) -> Option<Yearly> {
    let m = mtgs.get(mi)?;
    if !m.with_meeting || m.ordinal == 0 {
        return None;
    }
    let later = || mtgs[mi + 1..].iter().filter(|x| x.period == m.period && x.ordinal > 0);
    let next_meeting = later().find(|x| x.with_meeting);
    // The designation that governs the interval: the latest one before the next review with a
    // meeting (a new designated placement starts its own 12 months).
    let designated = walk
        .long_term_foster
        .iter()
        .filter(|(_, d, p)| *p == m.period && next_meeting.is_none_or(|x| *d < x.date))
        .map(|(_, d, _)| *d)
        .max()?;
    let year = designated.checked_add_months(Months::new(12)).unwrap_or(designated);
    let too_soon = later()
        .take_while(|x| !x.with_meeting)
        .find(|x| !x.assumed && x.date >= designated && x.date <= year)
        .map(|x| (x.date, year));
    Some(Yearly { done: next_meeting.filter(|x| !x.assumed).map(|x| x.date), too_soon })
}

/// Whether candidate `a` has an earlier deadline than `b` (no deadline counts as latest, and a
/// rule that cannot apply because it falls before the child was looked after after every other).
fn earlier(a: &Cand, b: &Cand) -> bool {
    if a.before_care != b.before_care {
        return b.before_care;
    }
    match (a.deadline, b.deadline) {
        (Some(x), Some(y)) => x.date < y.date,
        (Some(_), None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        pub(super) static FORCE_WIDE: Cell<bool> = const { Cell::new(false) };
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
                } else if matches!(anchor, Anchor::CarePlanStarted | Anchor::DisputeStarted) {
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
        use crate::model::{Child, Event, EventKind};
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let cal = Calendar::england_and_wales();
        let case = CaseHistory::new(
            Jurisdiction::England,
            Child::default(),
            vec![
                Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter),
                Event::new(d(2026, 1, 29), EventKind::ReviewHeld { meeting: true, regimes: None }),
            ],
        )
        .unwrap();
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
