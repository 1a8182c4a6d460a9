//! Integration tests: one binary, one module per area.

mod architecture;
mod cli;
mod common;
mod docs;
mod edit;
mod fuzz_regressions;
mod history;
mod history_lint;
mod robustness;
mod rules;
mod sarif;
mod show;
mod trust;
