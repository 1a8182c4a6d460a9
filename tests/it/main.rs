//! Integration tests: one binary, one module per area.

mod authoring;
mod ci_files;
mod cli;
mod common;
mod docs;
mod edit;
mod history;
mod history_lint;
mod readme;
mod robustness;
mod rules;
mod sarif;
mod schema;
