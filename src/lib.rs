#![forbid(unsafe_code)]
#![warn(missing_docs)]
//! Statutory timescales for reviews of looked-after children in England and Wales.

pub mod calendar;
mod error;
pub mod period;

pub use error::{Error, ErrorKind, Result};
pub mod audit;
pub(crate) mod clocks;
pub mod export;
pub mod input;
pub mod json;
pub mod model;
pub mod profile;
pub mod schedule;
pub mod ssda903;

/// The README's Rust examples run as doc tests, so the quick start stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
