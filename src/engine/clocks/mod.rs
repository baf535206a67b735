//! The clock families: one file each.

mod adjournment;
mod early;
mod placements;
mod rearrangement;
mod review;
