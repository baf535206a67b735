#![forbid(unsafe_code)]
#![warn(missing_docs)]
//! Statutory timescales for reviews of looked-after children in England and Wales.
//!
//! A case history (events such as a child becoming looked after and reviews held), a profile
//! (the rules: statute, or a council's procedure layered on it) and the England and Wales
//! working-day calendar give every dated obligation, each with its authority and an explanation.
//!
//! ```
//! use lac_timescales::chrono::NaiveDate;
//! use lac_timescales::calendar::Calendar;
//! use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction, Role};
//! use lac_timescales::profile::Profile;
//! use lac_timescales::schedule::{schedule, ScheduleOptions};
//!
//! let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! let cal = Calendar::england_and_wales();
//! // Looked after from Thu 24 Dec 2026; the first review is due within 20 working days:
//! // Christmas Day, the Boxing Day substitute (Mon 28 Dec) and New Year's Day are skipped.
//! let case = CaseHistory::new(Jurisdiction::England, Child::default(),
//!     vec![Event::new(d(2026, 12, 24), EventKind::BecameLookedAfter)])?;
//! let s = schedule(&case, &Profile::builtin("england")?, &cal, &ScheduleOptions::default())?;
//! let next = s.next_review().unwrap();
//! assert_eq!(next.latest, Some(d(2027, 1, 26)));
//! assert_eq!(next.citation.provision, "reg 33(1)");
//! // How that date was reached, step by step.
//! let i = s.obligations.iter().position(|o| std::ptr::eq(o, next)).unwrap();
//! let why = s.explain(i, &cal, case.events())?;
//! assert!(why.steps.iter().any(|step| step.contains("Christmas Day")));
//! // What the local authority has open, and what falls due within 33 days (to Tue 26 Jan).
//! assert!(s.open_for(Role::LocalAuthority, d(2026, 12, 24)).any(|o| std::ptr::eq(o, next)));
//! assert!(s.due_within(d(2026, 12, 24), 33).any(|o| std::ptr::eq(o, next)));
//! # Ok::<(), lac_timescales::Error>(())
//! ```
//!
//! Services use the JSON boundary ([`json::schedule_json`]); other languages the C ABI (crate
//! `lac-timescales-ffi`). Audits of what happened: [`audit::audit`].

// Modules in layers, lowest first: a module may `use crate::` only modules of lower layers (see
// ARCHITECTURE.md; `tests/layering.rs` fails on an upward import).
pub mod audit;
pub mod calendar;
pub(crate) mod clocks;
pub(crate) mod csv;
pub(crate) mod engine;
mod error;
pub mod export;
pub mod input;
pub mod json;
pub mod model;
pub mod period;
pub mod profile;
pub mod schedule;
pub mod ssda903;

pub use error::{Error, ErrorKind, Result};

/// The date library this crate's API uses (`chrono::NaiveDate` everywhere), re-exported so that
/// callers use the same version.
pub use chrono;

/// The README's Rust examples run as doc tests, so the quick start stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
