//! Exports: the workspace written in other formats, one module per format.

pub mod ver;
