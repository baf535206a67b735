//! Compliance audit: was each obligation of a case met, late, overdue or still pending, as at a
//! given date? Every input event is accounted for, and the results aggregate across cases.
//!
//! # How each status is decided
//!
//! Let *deadline* be the obligation's legal deadline (`latest`), *done* the date it was done
//! (a held review, a completed adjourned review, or a `duty_done` event matched to it), and
//! *as at* the audit date.
//!
//! | Status | When |
//! |---|---|
//! | `met` | done on or before the deadline |
//! | `late` | done after the deadline |
//! | `overdue` | not done, and the deadline is before the as-at date |
//! | `pending` | not done, and the deadline is on or after the as-at date |
//! | `not_applicable` | no deadline is fixed; or every rule for it would fall due before the child became looked after (counted back from a review held soon after: [`Obligation::not_applicable`] says so); or the obligation counts from an assumed day that has passed without what it assumes (a review not yet held, taken as held on its last working day or the day it was moved to; a previous visit not made), so its date will follow from the real one; or the child ceased to be looked after before the deadline (the duty fell away) |
//!
//! A duty counted back from a review that is still ahead (the child's consultation 15 working
//! days before it) is `overdue` once its own deadline passes: held by its deadline at the latest,
//! the review needed it by then. Once the review's assumed day passes without it, the duties
//! counted from that day are `not_applicable` (reported once, as the review, when it is overdue).
//!
//! The child ceasing to be looked after makes a duty fall away only when it comes after every
//! event that triggered the duty, before its deadline, and the duty was not triggered by a
//! review already held (the decisions and record of a held review are still owed).
//!
//! # Counting days late and days to spare
//!
//! **Working days late** = `calendar.working_days_between(deadline, done)`: the number of working
//! days after the deadline up to and including the day it was done. Because no working day lies
//! between a deadline and the last working day before it, this is the same number as counting
//! from `latest_working_day`. So a review due on Saturday 2 May 2026 and held on Tuesday 5 May
//! (Monday 4 May is the early May bank holiday) is 3 calendar days and 1 working day late, and one
//! held on Sunday 3 May is 1 calendar day and 0 working days late. The same count from done to
//! deadline gives the **margin** of a met obligation, from the as-at date to the deadline the
//! time **left** of a pending one, and from the deadline to the as-at date how long an
//! **overdue** one has been overdue. Calendar days are plain date differences.
//!
//! # Matching `duty_done` events
//!
//! A duty done **after a review** (the decisions, the record, the care plan: any duty the profile
//! counts after a review) belongs to a review by one rule, the same one the schedule uses when a
//! duty counts from another being done (the manager's 5 working days from receipt of the
//! decisions): review N when the event gives `review_number` N, else the latest review of the
//! period of care held on or before D (an adjourned review counts from its first meeting). It
//! records that review's obligation for X; if that one is already recorded as done, or there is
//! no such review, the event is unmatched, with the reason.
//!
//! Any other `duty_done` event on day D for duty X (optionally review N) is matched to one obligation for
//! X that is not yet done, whose review number is N when N is given, and that had arisen by D
//! (its `earliest` date, when it has one, is on or before D). Of those it takes the one with the
//! earliest deadline on or after D (the one then due), or failing that the one with the latest
//! deadline before D (the most recent one missed); obligations without a deadline come last.
//! Unmatched events are listed with the reason.
//!
//! # Aggregates
//!
//! [`Aggregates`] counts statuses by regime, review number (first, second, later), month and
//! year of the deadline, duty, role and basis (statutory and local misses apart), over one audit
//! or many. The **on-time percentage** is
//! `met / (met + late + overdue) × 100`: pending and not-applicable obligations are left out
//! of the denominator, because their outcome is not known or not due. It is `null` when the
//! denominator is 0.
//!
//! ```
//! use chrono::NaiveDate;
//! use lac_timescales::audit::{audit, AuditOptions, StatusKind};
//! use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
//! use lac_timescales::{calendar::Calendar, profile::Profile};
//!
//! let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! // Looked after from Thu 1 Jan 2026: the first review is due by Thu 29 Jan, held on Fri 23 Jan.
//! let case = CaseHistory::new(Jurisdiction::England, Child::default(), vec![
//!     Event::new(d(2026, 1, 1), EventKind::BecameLookedAfter),
//!     Event::new(d(2026, 1, 23), EventKind::ReviewHeld { meeting: true, regimes: None }),
//! ])?;
//! let opts = AuditOptions { as_at: Some(d(2026, 2, 2)), ..Default::default() };
//! let a = audit(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(), &opts)?;
//! let first = a.obligations.iter()
//!     .find(|o| o.obligation.duty == Duty::HoldReview && o.obligation.review_number == Some(1)).unwrap();
//! assert_eq!(first.status.kind(), StatusKind::Met); // 4 working days to spare
//! # Ok::<(), lac_timescales::Error>(())
//! ```

use std::cmp::Ordering;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{days_phrase, Calendar};
use crate::error::{Error, Result};
use crate::model::{Anchor, CaseHistory, Duty, Event, EventKind, Regime, Role};
use crate::profile::Profile;
use crate::schedule::{schedule, Breach, Metadata, Obligation, ScheduleOptions};

/// The planning horizon [`audit`] uses when [`AuditOptions::horizon_months`] is `None`: 0, no
/// projection beyond the next review (an audit looks back). A schedule's default is
/// [`crate::schedule::SCHEDULE_DEFAULT_HORIZON_MONTHS`], 12.
pub const AUDIT_DEFAULT_HORIZON_MONTHS: u32 = 0;

/// Options for [`audit`].
///
/// Defaults (also what `AuditOptions::default()` gives): as at the last event's date, a horizon
/// of [`AUDIT_DEFAULT_HORIZON_MONTHS`] (0) months, no local calendar. This differs from
/// [`ScheduleOptions`], whose horizon defaults to 12; build either with its constructor and say
/// the horizon when it matters:
///
/// ```
/// use chrono::NaiveDate;
/// use lac_timescales::audit::{AuditOptions, AUDIT_DEFAULT_HORIZON_MONTHS};
/// let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
/// let o = AuditOptions::as_at(d);
/// assert_eq!(o.as_at, Some(d));
/// assert_eq!(o.effective_horizon_months(), 0);
/// assert_eq!(AUDIT_DEFAULT_HORIZON_MONTHS, 0);
/// assert_eq!(AuditOptions::new().with_horizon_months(6).effective_horizon_months(), 6);
/// ```
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// The audit date. Default (`None`): the date of the last event. Must not be before the last
    /// event.
    pub as_at: Option<NaiveDate>,
    /// Planning horizon in months after the audit date for projected reviews. Default (`None`):
    /// [`AUDIT_DEFAULT_HORIZON_MONTHS`] = 0 (unlike [`ScheduleOptions`], 12): an audit looks
    /// back, and only the next review and its duties appear.
    pub horizon_months: Option<u32>,
    /// A calendar with council closure days, used for local rules only.
    pub local_calendar: Option<Calendar>,
}

impl AuditOptions {
    /// The defaults: as at the last event, a horizon of 0 ([`AUDIT_DEFAULT_HORIZON_MONTHS`]),
    /// no local calendar. Same as `default()`.
    ///
    /// ```
    /// use lac_timescales::audit::AuditOptions;
    /// assert_eq!(AuditOptions::new().effective_horizon_months(), 0);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The defaults, audited as at `date`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use lac_timescales::audit::AuditOptions;
    /// let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    /// assert_eq!(AuditOptions::as_at(d).as_at, Some(d));
    /// ```
    pub fn as_at(date: NaiveDate) -> Self {
        Self { as_at: Some(date), ..Self::default() }
    }

    /// These options with a horizon of `months`.
    ///
    /// ```
    /// use lac_timescales::audit::AuditOptions;
    /// assert_eq!(AuditOptions::new().with_horizon_months(3).horizon_months, Some(3));
    /// ```
    #[must_use]
    pub fn with_horizon_months(mut self, months: u32) -> Self {
        self.horizon_months = Some(months);
        self
    }

    /// These options with `calendar` for local rules.
    ///
    /// ```
    /// use lac_timescales::{audit::AuditOptions, calendar::Calendar};
    /// assert!(AuditOptions::new().with_local_calendar(Calendar::england_and_wales()).local_calendar.is_some());
    /// ```
    #[must_use]
    pub fn with_local_calendar(mut self, calendar: Calendar) -> Self {
        self.local_calendar = Some(calendar);
        self
    }

    /// The horizon [`audit`] will use: `horizon_months`, or 0 when it is `None`.
    ///
    /// ```
    /// use lac_timescales::audit::AuditOptions;
    /// assert_eq!(AuditOptions::default().effective_horizon_months(), 0);
    /// ```
    pub fn effective_horizon_months(&self) -> u32 {
        self.horizon_months.unwrap_or(AUDIT_DEFAULT_HORIZON_MONTHS)
    }
}

/// The outcome of one obligation as at the audit date. See the [module docs](self) for how it
/// is decided and how days are counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Status {
    /// Done on or before the deadline.
    Met {
        /// When it was done.
        done: NaiveDate,
        /// Working days to spare: `working_days_between(done, deadline)`.
        margin_working_days: i64,
        /// Calendar days to spare.
        margin_calendar_days: i64,
    },
    /// Done after the deadline.
    Late {
        /// When it was done.
        done: NaiveDate,
        /// Working days late: `working_days_between(deadline, done)`, the working days after
        /// the deadline up to and including the day it was done.
        late_working_days: i64,
        /// Calendar days late.
        late_calendar_days: i64,
    },
    /// Not done, and the deadline passed before the audit date.
    Overdue {
        /// Working days overdue as at the audit date: `working_days_between(deadline, as_at)`.
        overdue_working_days: i64,
        /// Calendar days overdue as at the audit date.
        overdue_calendar_days: i64,
    },
    /// Not done, and the deadline is on or after the audit date.
    Pending {
        /// Working days left: `working_days_between(as_at, deadline)`.
        working_days_left: i64,
        /// Calendar days left.
        calendar_days_left: i64,
    },
    /// Timeliness does not apply (no deadline, superseded, or resting on a review not held).
    NotApplicable {
        /// Why.
        reason: String,
    },
}

impl std::fmt::Display for Status {
    /// Plain English with the numbers, e.g. "late by 3 working days (5 calendar days), done
    /// 2026-02-05".
    ///
    /// ```
    /// use lac_timescales::audit::Status;
    /// let s = Status::Overdue { overdue_working_days: 2, overdue_calendar_days: 4 };
    /// assert_eq!(s.to_string(), "overdue by 2 working days (4 calendar days)");
    /// // Due Mon 2 Feb 2026, done Tue 3 Feb: one day of each, in the singular.
    /// let done = chrono::NaiveDate::from_ymd_opt(2026, 2, 3).unwrap();
    /// let s = Status::Late { done, late_working_days: 1, late_calendar_days: 1 };
    /// assert_eq!(s.to_string(), "late by 1 working day (1 calendar day), done 2026-02-03");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Met { done, margin_working_days: w, margin_calendar_days: c } => {
                write!(
                    f,
                    "met with {} ({}) to spare, done {done}",
                    days_phrase(*w, "working"),
                    days_phrase(*c, "calendar")
                )
            }
            Status::Late { done, late_working_days: w, late_calendar_days: c } => {
                write!(f, "late by {} ({}), done {done}", days_phrase(*w, "working"), days_phrase(*c, "calendar"))
            }
            Status::Overdue { overdue_working_days: w, overdue_calendar_days: c } => {
                write!(f, "overdue by {} ({})", days_phrase(*w, "working"), days_phrase(*c, "calendar"))
            }
            Status::Pending { working_days_left: w, calendar_days_left: c } => {
                write!(f, "pending, {} ({}) left", days_phrase(*w, "working"), days_phrase(*c, "calendar"))
            }
            Status::NotApplicable { reason } => write!(f, "not applicable: {reason}"),
        }
    }
}

/// The kind of a [`Status`], without its numbers: for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    /// [`Status::Met`].
    Met,
    /// [`Status::Late`].
    Late,
    /// [`Status::Overdue`].
    Overdue,
    /// [`Status::Pending`].
    Pending,
    /// [`Status::NotApplicable`].
    NotApplicable,
}

impl StatusKind {
    /// The snake_case id.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Met => "met",
            StatusKind::Late => "late",
            StatusKind::Overdue => "overdue",
            StatusKind::Pending => "pending",
            StatusKind::NotApplicable => "not_applicable",
        }
    }
}

impl Status {
    /// The kind of status.
    pub fn kind(&self) -> StatusKind {
        match self {
            Status::Met { .. } => StatusKind::Met,
            Status::Late { .. } => StatusKind::Late,
            Status::Overdue { .. } => StatusKind::Overdue,
            Status::Pending { .. } => StatusKind::Pending,
            Status::NotApplicable { .. } => StatusKind::NotApplicable,
        }
    }
}

/// One obligation of the schedule with its audit status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditedObligation {
    /// Its index in [`Audit::obligations`] (and in the schedule it came from).
    pub index: usize,
    /// The obligation; its `done` also reflects a matched `duty_done` event.
    pub obligation: Obligation,
    /// The event that records it as done, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_by_event: Option<usize>,
    /// The outcome.
    pub status: Status,
}

/// A breach found by the schedule, with the obligation it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditBreach {
    /// Index of the obligation in [`Audit::obligations`].
    pub obligation: usize,
    /// Its duty.
    pub duty: Duty,
    /// Its review number, if about a review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_number: Option<u32>,
    /// What went wrong.
    pub breach: Breach,
}

/// How one input event was used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventAccount {
    /// Index of the event in the input list.
    pub index: usize,
    /// The event name, e.g. `duty_done`.
    pub event: String,
    /// Its date.
    pub date: NaiveDate,
    /// Obligations it records as done.
    pub done: Vec<usize>,
    /// Obligations it triggered (counted from it, or created by it).
    pub triggered: Vec<usize>,
    /// Why it matched no obligation (set exactly when `done` and `triggered` are both empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unmatched: Option<String>,
}

/// Counts of statuses and the on-time percentage, `met / (met + late + overdue) × 100`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Counts {
    /// Done on time.
    pub met: u64,
    /// Done late.
    pub late: u64,
    /// Not done, deadline passed.
    pub overdue: u64,
    /// Not done, deadline to come.
    pub pending: u64,
    /// Not applicable.
    pub not_applicable: u64,
    /// `met / (met + late + overdue) × 100`; `None` when that denominator is 0.
    pub on_time_percent: Option<f64>,
}

impl Counts {
    /// Adds one obligation of status `kind`.
    pub fn add(&mut self, kind: StatusKind) {
        match kind {
            StatusKind::Met => self.met += 1,
            StatusKind::Late => self.late += 1,
            StatusKind::Overdue => self.overdue += 1,
            StatusKind::Pending => self.pending += 1,
            StatusKind::NotApplicable => self.not_applicable += 1,
        }
        let due = self.met + self.late + self.overdue;
        self.on_time_percent = (due > 0).then(|| self.met as f64 * 100.0 / due as f64);
    }

    /// Every obligation counted.
    pub fn total(&self) -> u64 {
        self.met + self.late + self.overdue + self.pending + self.not_applicable
    }
}

/// The counts of one group, e.g. key `looked_after` in [`Aggregates::by_regime`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Group {
    /// The group: a regime, duty or role id; `first`, `second` or `later`; `YYYY-MM`; `YYYY`; or
    /// `none` for obligations without that attribute.
    pub key: String,
    /// Its counts.
    pub counts: Counts,
}

/// Timeliness counts over one or more audits, overall and broken down. Every breakdown covers
/// every obligation (those without the attribute are under `none`), so each sums to `total`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Aggregates {
    /// How many audits (cases) were added.
    pub cases: u64,
    /// Every obligation.
    pub total: Counts,
    /// By review regime (`none`: not about a review).
    pub by_regime: Vec<Group>,
    /// By review number: `first`, `second`, `later` (3 and on); `none`: not about a review.
    pub by_review_number: Vec<Group>,
    /// By month of the legal deadline, `YYYY-MM` (`none`: no deadline).
    pub by_month: Vec<Group>,
    /// By year of the legal deadline, `YYYY` (`none`: no deadline).
    pub by_year: Vec<Group>,
    /// By duty id.
    pub by_duty: Vec<Group>,
    /// By role id.
    pub by_role: Vec<Group>,
    /// By whose standard the outcome is judged (`statutory` or `local:<profile>`): a late or
    /// overdue obligation under the standard it breaches (statute when statute's own deadline
    /// passed too: [`Obligation::basis_of_miss`]), any other under its binding rule's basis. So a
    /// review held within statute's three months but after a local 90 days counts as a local
    /// miss, not a statutory one.
    #[serde(default)]
    pub by_basis: Vec<Group>,
}

const NONE: &str = "none";

fn bump(groups: &mut Vec<Group>, key: &str, kind: StatusKind) {
    match groups.iter_mut().find(|g| g.key == key) {
        Some(g) => g.counts.add(kind),
        None => {
            let mut counts = Counts::default();
            counts.add(kind);
            groups.push(Group { key: key.to_string(), counts });
        }
    }
}

/// Sorts groups by a rank (declaration order of the ids; dates in order), `none` last.
fn sort_groups(groups: &mut [Group], rank: impl Fn(&str) -> Option<usize>) {
    groups.sort_by(|a, b| {
        let (ka, kb) = ((a.key == NONE, rank(&a.key)), (b.key == NONE, rank(&b.key)));
        ka.cmp(&kb).then_with(|| a.key.cmp(&b.key))
    });
}

fn review_number_key(o: &Obligation) -> &'static str {
    match (o.regime, o.review_number) {
        (Some(_), Some(1)) => "first",
        (Some(_), Some(2)) => "second",
        (Some(_), Some(_)) => "later",
        _ => NONE,
    }
}

impl Aggregates {
    /// Aggregates over `audits`.
    pub fn from_audits<'a>(audits: impl IntoIterator<Item = &'a Audit>) -> Aggregates {
        let mut a = Aggregates::default();
        for x in audits {
            a.add(x);
        }
        a
    }

    /// Adds one audit's obligations.
    pub fn add(&mut self, audit: &Audit) {
        self.cases += 1;
        for ao in &audit.obligations {
            let o = &ao.obligation;
            let k = ao.status.kind();
            self.total.add(k);
            bump(&mut self.by_regime, o.regime.map_or(NONE, Regime::as_str), k);
            bump(&mut self.by_review_number, review_number_key(o), k);
            let month = o.latest.map_or_else(|| NONE.to_string(), |l| format!("{:04}-{:02}", l.year(), l.month()));
            bump(&mut self.by_month, &month, k);
            let year = o.latest.map_or_else(|| NONE.to_string(), |l| format!("{:04}", l.year()));
            bump(&mut self.by_year, &year, k);
            bump(&mut self.by_duty, o.duty.as_str(), k);
            bump(&mut self.by_role, o.role.as_str(), k);
            let basis = match &ao.status {
                Status::Late { done, .. } => o.basis_of_miss(*done),
                Status::Overdue { .. } => o.basis_of_miss(audit.as_at),
                _ => o.basis.clone(),
            };
            bump(&mut self.by_basis, &basis.to_string(), k);
        }
        sort_groups(&mut self.by_regime, |k| Regime::ALL.iter().position(|r| r.as_str() == k));
        sort_groups(&mut self.by_review_number, |k| ["first", "second", "later"].iter().position(|r| *r == k));
        sort_groups(&mut self.by_month, |_| None);
        sort_groups(&mut self.by_year, |_| None);
        sort_groups(&mut self.by_duty, |k| Duty::ALL.iter().position(|r| r.as_str() == k));
        sort_groups(&mut self.by_role, |k| Role::ALL.iter().position(|r| r.as_str() == k));
        sort_groups(&mut self.by_basis, |k| Some(usize::from(k != "statutory")));
    }

    /// The aggregates as CSV (RFC 4180, CRLF line ends), one row per group, headed
    /// `dimension,key,met,late,overdue,pending,not_applicable,on_time_percent`. The first row is
    /// dimension `total`, key `all`; the percentage has one decimal place and is empty when
    /// undefined.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        crate::csv::csv_row(
            &mut out,
            ["dimension", "key", "met", "late", "overdue", "pending", "not_applicable", "on_time_percent"],
        );
        let total = [Group { key: "all".into(), counts: self.total.clone() }];
        let dims: [(&str, &[Group]); 8] = [
            ("total", &total),
            ("regime", &self.by_regime),
            ("review_number", &self.by_review_number),
            ("month", &self.by_month),
            ("year", &self.by_year),
            ("duty", &self.by_duty),
            ("role", &self.by_role),
            ("basis", &self.by_basis),
        ];
        for (dim, groups) in dims {
            for g in groups {
                let c = &g.counts;
                let pct = c.on_time_percent.map(|p| format!("{p:.1}")).unwrap_or_default();
                crate::csv::csv_row(
                    &mut out,
                    [
                        dim,
                        &g.key,
                        &c.met.to_string(),
                        &c.late.to_string(),
                        &c.overdue.to_string(),
                        &c.pending.to_string(),
                        &c.not_applicable.to_string(),
                        &pct,
                    ],
                );
            }
        }
        out
    }
}

/// A case's audit as at a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Audit {
    /// The audit date.
    pub as_at: NaiveDate,
    /// Every obligation of the schedule as at that date, in the schedule's order, with status.
    pub obligations: Vec<AuditedObligation>,
    /// Every breach the schedule found (second adjournment, rearrangement past the deadline,
    /// late or missed reviews...).
    pub breaches: Vec<AuditBreach>,
    /// Every input event, in input order, and what it was used for.
    pub events: Vec<EventAccount>,
    /// This case's counts.
    pub aggregates: Aggregates,
    /// What produced the schedule.
    pub metadata: Metadata,
}

impl Audit {
    /// The audited obligations with status `kind`.
    pub fn with_status(&self, kind: StatusKind) -> impl Iterator<Item = &AuditedObligation> {
        self.obligations.iter().filter(move |o| o.status.kind() == kind)
    }
}

/// Audits `case` under `profile` as at `options.as_at`.
///
/// Looked after from Mon 5 Jan 2026 and nothing since: the first review was due by Mon 2 Feb (20
/// working days) and, as at Tue 10 Feb, is overdue by 6 working days (3, 4, 5, 6, 9 and 10 Feb)
/// and 8 calendar days. Its decisions, counted from the day it was assumed held, are not
/// applicable: the review they rest on was not held.
///
/// ```
/// use chrono::NaiveDate;
/// use lac_timescales::audit::{audit, AuditOptions, Status, StatusKind};
/// use lac_timescales::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction};
/// use lac_timescales::{calendar::Calendar, profile::Profile};
///
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let case = CaseHistory::new(Jurisdiction::England, Child::default(),
///     vec![Event::new(d(2026, 1, 5), EventKind::BecameLookedAfter)])?;
/// let opts = AuditOptions { as_at: Some(d(2026, 2, 10)), ..Default::default() };
/// let a = audit(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(), &opts)?;
/// let of = |duty| a.obligations.iter().find(|o| o.obligation.duty == duty).unwrap();
/// assert_eq!(of(Duty::HoldReview).obligation.latest, Some(d(2026, 2, 2)));
/// assert_eq!(of(Duty::HoldReview).status, Status::Overdue { overdue_working_days: 6, overdue_calendar_days: 8 });
/// assert_eq!(of(Duty::IssueDecisions).status.kind(), StatusKind::NotApplicable);
/// assert_eq!(a.with_status(StatusKind::Overdue).count(), 1);
/// # Ok::<(), lac_timescales::Error>(())
/// ```
///
/// # Errors
/// As [`schedule`]; [`Error::InvalidInput`] when there is no audit date (none given and the case
/// has no events); calendar errors for dates outside the calendar.
pub fn audit(case: &CaseHistory, profile: &Profile, calendar: &Calendar, options: &AuditOptions) -> Result<Audit> {
    let events = case.events();
    let as_at = options.as_at.or_else(|| events.last().map(|e| e.date)).ok_or_else(|| {
        Error::input("as_at", "", "an audit needs an as-at date: none was given and the case has no events")
    })?;
    let sopts = ScheduleOptions {
        as_at: Some(as_at),
        horizon_months: Some(options.effective_horizon_months()),
        local_calendar: options.local_calendar.clone(),
    };
    let s = schedule(case, profile, calendar, &sopts)?;
    let mut obligations: Vec<Obligation> = s.obligations;
    let mut done_by: Vec<Option<usize>> = obligations.iter().map(|o| o.done_by(events)).collect();
    let mut accounts: Vec<EventAccount> = events
        .iter()
        .enumerate()
        .map(|(i, e)| EventAccount {
            index: i,
            event: e.kind.name().to_string(),
            date: e.date,
            done: Vec::new(),
            triggered: Vec::new(),
            unmatched: None,
        })
        .collect();
    // duty_done events, in input order.
    let walk = case.walk();
    for (i, e) in events.iter().enumerate() {
        if let EventKind::DutyDone { duty, review_number } = &e.kind {
            let meeting = walk.done.iter().find(|d| d.event == i).and_then(|d| d.meeting);
            let found = match match_after_review(&obligations, *duty, meeting, *review_number, e.date) {
                Some(found) => found,
                None => match_duty_done(&obligations, *duty, *review_number, e.date),
            };
            match found {
                Ok(k) => {
                    obligations[k].done = Some(e.date);
                    done_by[k] = Some(i);
                }
                Err(reason) => accounts[i].unmatched = Some(reason),
            }
        }
    }
    for (k, o) in obligations.iter().enumerate() {
        for &e in o.triggered_by.iter() {
            if let Some(a) = accounts.get_mut(e) {
                if done_by[k] != Some(e) && !a.triggered.contains(&k) {
                    a.triggered.push(k);
                }
            }
        }
        if let Some(a) = done_by[k].and_then(|e| accounts.get_mut(e)) {
            a.done.push(k);
        }
    }
    for a in accounts.iter_mut().filter(|a| a.done.is_empty() && a.triggered.is_empty() && a.unmatched.is_none()) {
        let kind = events.get(a.index).map(|e| &e.kind);
        a.unmatched = Some(match kind {
            Some(
                EventKind::CeasedToBeLookedAfter
                | EventKind::ShortBreaksEnded
                | EventKind::AuthorityToPlaceEnded
                | EventKind::AdoptionOrderMade
                | EventKind::LeftSecureAccommodation
                | EventKind::ReturnedToAgency,
            ) => format!(
                "it ends a period of care or a review clock, and no rule of profile {} counts from it",
                profile.id
            ),
            Some(EventKind::ReviewRearranged { .. }) => {
                "the new date does not pass the review's deadline, so the move needs no authorisation".into()
            }
            Some(k @ (EventKind::ChildAbsent | EventKind::ChildAtRisk | EventKind::ChildRequestedReview))
                if case.jurisdiction() == crate::model::Jurisdiction::England =>
            {
                format!(
                    "in England {} is not a statutory early-review trigger (it is in Wales), and profile {} has no local \
                     rule for it (the isu-procedure and dudley profiles tell the IRO)",
                    k.name(),
                    profile.id
                )
            }
            _ => format!("no rule of profile {} creates or records an obligation from it", profile.id),
        });
    }
    let assumed = assumed_reviews(&obligations, events, as_at);
    let mut audited = Vec::with_capacity(obligations.len());
    for (k, o) in obligations.into_iter().enumerate() {
        let status = status_of(&o, as_at, case, calendar, &assumed)?;
        audited.push(AuditedObligation { index: k, obligation: o, done_by_event: done_by[k], status });
    }
    let breaches = audited
        .iter()
        .filter_map(|a| {
            a.obligation.breach.as_ref().map(|b| AuditBreach {
                obligation: a.index,
                duty: a.obligation.duty,
                review_number: a.obligation.review_number,
                breach: b.clone(),
            })
        })
        .collect();
    let mut out = Audit {
        as_at,
        obligations: audited,
        breaches,
        events: accounts,
        aggregates: Aggregates::default(),
        metadata: s.metadata,
    };
    out.aggregates = Aggregates::from_audits([&out]);
    Ok(out)
}

/// For a duty done after a review (decisions, record, care plan...): the obligation of the review
/// the event belongs to by the one matching rule the schedule also uses (`Walk::meeting_of_done`:
/// the review numbered, else the latest review on or before the event's date). `None` when the
/// duty has no obligation counted after a review, so the general rule applies.
fn match_after_review(
    obligations: &[Obligation],
    duty: Duty,
    meeting: Option<usize>,
    review_number: Option<u32>,
    date: NaiveDate,
) -> Option<std::result::Result<usize, String>> {
    if duty == Duty::HoldReview || !obligations.iter().any(|o| o.duty == duty && o.after_meeting().is_some()) {
        return None;
    }
    let which = match review_number {
        Some(n) => format!("review {n}"),
        None => format!("the latest review on or before {date}"),
    };
    let Some(m) = meeting else {
        return Some(Err(match review_number {
            Some(n) => {
                format!("no review {n} was held in this period of care, so no obligation for duty {duty} follows it")
            }
            None => format!("no review was held on or before {date}, so no obligation for duty {duty} follows one"),
        }));
    };
    let mine: Vec<usize> = (0..obligations.len())
        .filter(|&k| obligations[k].duty == duty && obligations[k].after_meeting() == Some(m))
        .collect();
    Some(match mine.iter().find(|&&k| obligations[k].done.is_none()) {
        Some(&k) => Ok(k),
        None if mine.is_empty() => Err(format!("no obligation for duty {duty} follows {which}")),
        None => Err(format!("the obligation for duty {duty} after {which} is already recorded as done")),
    })
}

/// Finds the obligation a `duty_done` event records (see the module docs), or says why none.
fn match_duty_done(
    obligations: &[Obligation],
    duty: Duty,
    review_number: Option<u32>,
    date: NaiveDate,
) -> std::result::Result<usize, String> {
    let of_duty: Vec<(usize, &Obligation)> = obligations.iter().enumerate().filter(|(_, o)| o.duty == duty).collect();
    if of_duty.is_empty() {
        return Err(format!("no obligation for duty {duty} in this schedule"));
    }
    let numbered: Vec<(usize, &Obligation)> =
        of_duty.into_iter().filter(|(_, o)| review_number.is_none_or(|n| o.review_number == Some(n))).collect();
    let n_text = review_number.map(|n| format!(" with review number {n}")).unwrap_or_default();
    if numbered.is_empty() {
        return Err(format!("no obligation for duty {duty}{n_text} in this schedule"));
    }
    let open: Vec<(usize, &Obligation)> = numbered.into_iter().filter(|(_, o)| o.done.is_none()).collect();
    if open.is_empty() {
        return Err(format!("every obligation for duty {duty}{n_text} is already recorded as done"));
    }
    let arisen: Vec<(usize, &Obligation)> =
        open.into_iter().filter(|(_, o)| o.earliest.is_none_or(|e| e <= date)).collect();
    if arisen.is_empty() {
        return Err(format!("no obligation for duty {duty}{n_text} had arisen by {date}"));
    }
    let due = arisen.iter().filter(|(_, o)| o.latest.is_some_and(|l| l >= date)).min_by_key(|(i, o)| (o.latest, *i));
    let missed = arisen.iter().filter(|(_, o)| o.latest.is_some_and(|l| l < date)).max_by(|(i, a), (j, b)| {
        a.latest.cmp(&b.latest).then_with(|| j.cmp(i)) // the latest deadline; on a tie the first
    });
    let undated = arisen.iter().find(|(_, o)| o.latest.is_none());
    due.or(missed).or(undated).map(|(i, _)| *i).ok_or_else(|| format!("no obligation for duty {duty}{n_text} fits"))
}

/// A review not held that a schedule assumes held on a day (its last working day, or the day it
/// was moved to): its regime, number, that day, and whether the review is overdue as at the
/// audit date (not held by its deadline).
struct AssumedReview {
    regime: Regime,
    number: u32,
    day: NaiveDate,
    overdue: bool,
    /// The previous review's assumed day, when the review's own date counts from it and it has
    /// passed without that review: the review's day is then not known either.
    previous_passed: Option<NaiveDate>,
}

/// The reviews the obligations of `obligations` assume held (read from the duties counted from
/// such a review's day or completion; none triggered by a held meeting).
fn assumed_reviews(obligations: &[Obligation], events: &[Event], as_at: NaiveDate) -> Vec<AssumedReview> {
    let mut out: Vec<AssumedReview> = Vec::new();
    for o in obligations.iter().filter(|o| o.projected && !after_held_review(o, events)) {
        let (Some((anchor, day)), Some(regime), Some(number)) = (o.assumed_anchor(), o.regime, o.review_number) else {
            continue;
        };
        let from_the_review =
            matches!(anchor, Anchor::ReviewDate | Anchor::ReviewCompleted | Anchor::LastReviewMeeting);
        if o.duty == Duty::HoldReview
            || !from_the_review
            || out.iter().any(|r| (r.regime, r.number) == (regime, number))
        {
            continue;
        }
        // The review's own obligation: the latest one of that regime and number not done (an
        // earlier period of care may have one missed).
        let review = obligations
            .iter()
            .filter(|r| r.duty == Duty::HoldReview && r.regime == Some(regime) && r.review_number == Some(number))
            .filter(|r| r.done.is_none())
            .max_by_key(|r| r.latest);
        let overdue = review.and_then(|r| r.latest).is_some_and(|deadline| deadline < as_at);
        let previous_passed = review
            .filter(|r| r.projected)
            .and_then(|r| r.assumed_anchor())
            .filter(|&(anchor, previous)| anchor == Anchor::PreviousReview && previous < as_at)
            .map(|(_, previous)| previous);
        out.push(AssumedReview { regime, number, day, overdue, previous_passed });
    }
    out
}

/// Whether obligation `o` was triggered by a review meeting that was held.
fn after_held_review(o: &Obligation, events: &[Event]) -> bool {
    o.triggered_by.iter().any(|&e| events.get(e).is_some_and(|ev| ev.kind.is_review_meeting()))
}

/// Why projected obligation `o` (not triggered by a held meeting) is not applicable as at
/// `as_at`: the assumed day it counts from passed without what it assumes. `None` while that day
/// is still ahead (its own deadline may still have passed: overdue), and, when nothing says what
/// it counts from, `None` unless its deadline passed.
fn assumed_day_passed(
    o: &Obligation,
    deadline: NaiveDate,
    as_at: NaiveDate,
    assumed: &[AssumedReview],
) -> Option<String> {
    let review = match (o.duty, o.regime, o.review_number) {
        (Duty::HoldReview, _, _) => None,
        (_, Some(regime), Some(number)) => assumed.iter().find(|r| (r.regime, r.number) == (regime, number)),
        _ => None,
    };
    if let Some(r) = review {
        if let Some(previous) = r.previous_passed {
            return Some(format!(
                "it counts from review {}, whose date counts from the previous review, assumed held on {previous}, \
                 which passed without the review: its date follows from the day that review is held",
                r.number
            ));
        }
        return (r.day < as_at).then(|| {
            if r.overdue {
                "it rests on an assumed review date that passed without the review (that review is reported overdue)"
                    .to_string()
            } else {
                format!(
                    "it counts from review {} assumed held on {}, which passed without the review: its date follows \
                     from the day the review is held",
                    r.number, r.day
                )
            }
        });
    }
    match o.assumed_anchor() {
        Some((anchor, day)) => (day < as_at).then(|| match anchor {
            Anchor::PreviousReview => format!(
                "it counts from the previous review, assumed held on {day}, which passed without the review: its date \
                 follows from the day that review is held"
            ),
            Anchor::LastDone => format!(
                "it counts from the previous occurrence ({}), assumed on {day}, which passed with none recorded: its \
                 date follows from the day one is done",
                o.duty.describe().to_lowercase()
            ),
            Anchor::Midpoint => format!(
                "it counts from the mid-point after a review not yet held (taken as {day}), which has passed: its \
                 date follows from the day that review is held"
            ),
            _ => format!(
                "it counts from {}, not recorded and assumed on {day}, which has passed: its date follows from the \
                 day it happens",
                anchor.describe()
            ),
        }),
        None => (deadline < as_at)
            .then(|| "it rests on an assumed date that passed without the event it assumes being recorded".to_string()),
    }
}

fn status_of(
    o: &Obligation,
    as_at: NaiveDate,
    case: &CaseHistory,
    cal: &Calendar,
    assumed: &[AssumedReview],
) -> Result<Status> {
    if let Some(why) = o.not_applicable() {
        return Ok(Status::NotApplicable { reason: why.to_string() });
    }
    let Some(deadline) = o.latest else {
        return Ok(Status::NotApplicable { reason: "no deadline is fixed for it".into() });
    };
    if let Some(done) = o.done {
        return Ok(match done.cmp(&deadline) {
            Ordering::Greater => Status::Late {
                done,
                late_working_days: cal.working_days_between(deadline, done)?,
                late_calendar_days: (done - deadline).num_days(),
            },
            _ => Status::Met {
                done,
                margin_working_days: cal.working_days_between(done, deadline)?,
                margin_calendar_days: (deadline - done).num_days(),
            },
        });
    }
    let events = case.events();
    let after_review = after_held_review(o, events);
    if o.projected && !after_review {
        if let Some(reason) = assumed_day_passed(o, deadline, as_at, assumed) {
            return Ok(Status::NotApplicable { reason });
        }
    }
    let last_trigger = o.triggered_by.iter().copied().max();
    if !after_review {
        // An obligation no event triggered (projected) belongs to the period running at its
        // deadline: a cessation followed by a new period starting by then ended an earlier one.
        let restarted_after = |i: usize| {
            events[i + 1..].iter().any(|r| {
                matches!(r.kind, EventKind::BecameLookedAfter | EventKind::ShortBreaksStarted) && r.date <= deadline
            })
        };
        let ended = events.iter().enumerate().find(|(i, e)| {
            matches!(e.kind, EventKind::CeasedToBeLookedAfter | EventKind::ShortBreaksEnded)
                && last_trigger.map_or(!restarted_after(*i), |t| *i > t)
                && e.date < deadline
        });
        if let Some((i, e)) = ended {
            return Ok(Status::NotApplicable {
                reason: format!(
                    "the child ceased to be looked after on {} (event {i}), before its deadline {deadline}",
                    e.date
                ),
            });
        }
    }
    Ok(if deadline < as_at {
        Status::Overdue {
            overdue_working_days: cal.working_days_between(deadline, as_at)?,
            overdue_calendar_days: (as_at - deadline).num_days(),
        }
    } else {
        Status::Pending {
            working_days_left: cal.working_days_between(as_at, deadline)?,
            calendar_days_left: (deadline - as_at).num_days(),
        }
    })
}
