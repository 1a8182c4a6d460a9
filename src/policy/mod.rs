//! Deadline policy: the profiles and the assessment of one item as of `today`.
//!
//! Every date computed about an item (effective rating, clock start, policy deadline, days
//! left, excuses, check-in and status ages, effective milestone dates) is computed once, in
//! [`assess`], and read by the rules, the item view, reports and exports.

pub mod assess;
pub mod profile;

pub use assess::{assess, days_between, Assessment};
pub use profile::{Deadlines, Policy, Profile};
