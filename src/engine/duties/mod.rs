//! Duties around the clocks, by what they count from.

mod event;
mod meeting;
mod period;
