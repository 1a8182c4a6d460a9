//! What each profile means for the commands: an item's standing, the summary a report and a
//! dashboard show, the fields a new or imported item starts with, and how an item maps into
//! each export. The deadline math itself stays in `crate::policy`; this floor sits just above
//! the item view, so its answers can be item rows.
//!
//! Every command asks [`of`] for the configured profile and calls the interface; no module
//! outside `crate::policy` and this one names a profile variant (the architecture test checks).

mod cr26;
mod rev5;

use crate::policy::Profile;

/// One profile's answers to the commands.
pub trait SystemProfile: Sync {
    /// The profile's name as `poam.yaml` writes it.
    fn name(&self) -> &'static str;
}

/// The implementation of `profile`.
pub fn of(profile: Profile) -> &'static dyn SystemProfile {
    match profile {
        Profile::FedrampRev5 => &rev5::Rev5,
        Profile::FedrampCr26 => &cr26::Cr26,
    }
}
