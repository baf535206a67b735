#![forbid(unsafe_code)]
#![warn(missing_docs)]
//! Statutory timescales for reviews of looked-after children in England and Wales.

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

/// The README's Rust examples run as doc tests, so the quick start stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
