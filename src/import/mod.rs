//! Importers: files written by other tools become POA&M data.
//!
//! [`scan`] reads vulnerability-scanner outputs into one normalized model and groups the
//! findings into planned items (one per unique vulnerability per scanner, as FedRAMP asks).

pub mod scan;
