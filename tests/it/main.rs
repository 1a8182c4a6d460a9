//! Integration tests: one binary, one module per area.

mod cli;
mod common;
mod docs;
mod edit;
mod history;
mod history_lint;
mod import_scan;
mod robustness;
mod rules;
mod sarif;
mod scan;
