//! The clock families: one file each.

mod adjournment;
mod early;
mod placements;
mod rearrangement;
pub(in crate::engine) mod review;
