//! Exports: the POA&M in the formats agencies and FedRAMP consume. Each format is one module
//! that reads item views (fields plus assessment) and returns the document; commands write it.

pub mod oscal;
pub mod ver;
