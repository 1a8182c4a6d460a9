//! Ways in: files written by other tools and people become POA&M items.
//!
//! [`xlsx`] reads a filled FedRAMP POA&M template; [`scan`] reads vulnerability-scanner outputs
//! into one normalized model and groups the findings into planned items (one per unique
//! vulnerability per scanner, as FedRAMP asks); [`reconcile`] matches them to the items already
//! kept and writes the outcome through the item editor, as [`write`] does for the template's
//! rows; [`report`] says what happened.

pub mod assets;
pub mod emass;
pub mod inventory;
pub mod reconcile;
pub mod report;
pub mod scan;
pub mod write;
pub mod xlsx;
