//! Integration tests: one binary, one module per area.

mod architecture;
mod authoring;
mod browser;
mod ci_files;
mod cli;
mod common;
mod docs;
mod edit;
mod export_ver;
mod fuzz_regressions;
mod history;
mod history_lint;
mod merges;
mod migrate;
mod oscal;
mod readme;
mod report;
mod robustness;
mod rules;
mod sarif;
mod schema;
mod show;
mod site;
mod trust;
mod vdr;
mod vdr_history;
