//! Deadline policy: the profiles and the assessment of one item as of `today`.
//!
//! Every date computed about an item (effective rating, clock start, policy deadline, days
//! left, excuses, check-in and status ages, effective milestone dates) is computed once, in
//! [`rev5::assess`], and read by the rules, the item view, reports and exports.

pub mod cmmc;
pub mod cr26;
pub mod dod;
pub mod profile;
pub mod rev5;

pub use cr26::VdrAssessment;
pub use profile::{CmmcPolicy, Cr26Class, Deadlines, Policy, Profile};
pub use rev5::{assess, days_between, Assessment};
