//! Integration tests: one binary, one module per area.

mod browser;
mod cli;
mod common;
mod docs;
mod history;
mod history_lint;
mod report;
mod robustness;
mod rules;
mod sarif;
mod site;
