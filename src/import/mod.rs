//! Importers: files written by other tools become POA&M data.
//!
//! [`scan`] reads vulnerability-scanner outputs into one normalized model and groups the
//! findings into planned items (one per unique vulnerability per scanner, as FedRAMP asks);
//! [`reconcile`] matches them to the items already kept and writes the outcome through the
//! item editor; [`report`] says what happened.

pub mod reconcile;
pub mod report;
pub mod scan;
