//! Integration tests: one binary, one module per area.

mod cli;
mod common;
mod docs;
mod edit;
mod export_ver;
mod history;
mod history_lint;
mod migrate;
mod robustness;
mod rules;
mod sarif;
mod vdr;
mod vdr_history;
