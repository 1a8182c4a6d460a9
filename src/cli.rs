//! Command-line arguments.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::render::Format;

#[derive(Debug, Parser)]
#[command(
    name = "poam",
    version,
    about = "POA&Ms as code: lint FedRAMP POA&M items kept as YAML in a Git repo"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check POA&M items against the item format, FedRAMP's deadline rules and git history.
    Lint(LintArgs),
    /// Show the audit trail of items from git history: who changed what, when.
    Log(LogArgs),
    /// List the rules, or explain one.
    Rules(RulesArgs),
}

#[derive(Debug, Args)]
pub struct Common {
    /// The date rules measure against [default: the current UTC date].
    #[arg(long, env = "POAM_TODAY", value_parser = parse_date, global = true)]
    pub today: Option<NaiveDate>,
    /// Use this poam.yaml instead of searching for one.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// A repo root holding poam.yaml, or a bare folder of items [default: search upward for poam.yaml].
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Skip the history rules.
    #[arg(long, conflicts_with = "base")]
    pub no_history: bool,
    /// Pull-request mode: check only the change from the merge base of REV and HEAD, plus the
    /// working tree (e.g. `origin/main`).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Item ids to show [default: all items].
    pub ids: Vec<String>,
    /// A repo root holding poam.yaml, or a folder of items [default: search upward for poam.yaml].
    #[arg(long, short = 'C', value_name = "PATH")]
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
    /// Only events on or after this date.
    #[arg(long, value_parser = parse_date)]
    pub since: Option<NaiveDate>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: crate::render::log::LogFormat,
    /// Write the log to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Explain this rule (e.g. `overdue`); list all rules when omitted.
    pub code: Option<String>,
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::model::item::parse_date(text).ok_or_else(|| format!("`{text}` is not a date YYYY-MM-DD"))
}
