//! Schedules: a case history, a profile and a calendar give every dated obligation. The engine
//! that computes them lives in `src/engine/` (see ARCHITECTURE.md); this module is its public
//! face, and its paths (`lac_timescales::schedule::...`) are stable.
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

pub use crate::engine::{
    schedule, Breach, Considered, Explanation, Metadata, Obligation, Schedule, ScheduleOptions, Triggers,
    MAX_OBLIGATIONS, SCHEDULE_DEFAULT_HORIZON_MONTHS,
};
