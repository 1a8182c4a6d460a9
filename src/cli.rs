//! Command-line arguments. Global options work before or after the subcommand.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::render::Format;

#[derive(Debug, Parser)]
#[command(
    name = "poam",
    version,
    about = "POA&Ms as code: lint FedRAMP POA&M items kept as YAML in a Git repo"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check POA&M items against the item format, FedRAMP's deadline rules and git history.
    Lint(LintArgs),
    /// Show the audit trail of items from git history: who changed what, when.
    Log(LogArgs),
    /// Show one item and where it stands: effective rating, deadline, days left, excuses.
    Show(ShowArgs),
    /// List the rules, or explain one.
    Rules(RulesArgs),
    /// Import files written by other tools: scanner outputs become and update items.
    Import(ImportArgs),
}

/// When to colour output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Options every command takes, before or after its name.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Colour output: auto (terminal and no NO_COLOR), always or never.
    #[arg(long, value_enum, default_value = "auto", global = true)]
    pub color: ColorChoice,
    /// Print only findings and errors: no summaries, no progress.
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more about what poam reads and decides (repeat for more).
    #[arg(long, short = 'v', action = ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Use this poam.yaml instead of searching for one.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Run as if poam was started in DIR (a folder of items without poam.yaml is then
    /// taken as the items folder).
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,
    /// The date rules measure against [default: the current UTC date].
    #[arg(long, env = "POAM_TODAY", value_parser = parse_date, global = true)]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// A repo root holding poam.yaml, or a bare folder of items [default: search upward for poam.yaml].
    pub path: Option<PathBuf>,
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

/// Output format of `poam show`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    #[default]
    Human,
    /// The versioned item view.
    Json,
    /// The item view as YAML.
    Yaml,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The item's id.
    pub id: String,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: ShowFormat,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Explain this rule (e.g. `overdue`); list all rules when omitted.
    pub code: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub what: ImportCommand,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Scanner findings become items; a re-scan adds assets and finds fixed items. A dry run
    /// unless --write.
    Scan(ImportScanArgs),
}

/// `--format` of `poam import scan`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ScanFormatArg {
    /// Detect the format from each file's content.
    #[default]
    Auto,
    /// Nessus .nessus (v2 XML).
    Nessus,
    /// Nessus Pro, Tenable VM or Tenable.sc CSV.
    TenableCsv,
    /// Trivy JSON.
    Trivy,
    /// Grype JSON.
    Grype,
    /// SARIF 2.1.0.
    Sarif,
    /// Qualys VM detections CSV.
    Qualys,
    /// OWASP ZAP JSON or XML report.
    Zap,
}

/// `--report` of `poam import scan`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ImportReportFormat {
    #[default]
    Human,
    /// The versioned JSON report.
    Json,
}

#[derive(Debug, Args)]
pub struct ImportScanArgs {
    /// Scanner files (one month's scans are imported together).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The files' format.
    #[arg(long, value_enum, default_value = "auto")]
    pub format: ScanFormatArg,
    /// Write the changes (without it, only report what would change).
    #[arg(long)]
    pub write: bool,
    /// Close fixed items, with a note naming the scan file, its date and the assets scanned
    /// clean (with --write).
    #[arg(long, requires = "write")]
    pub close_fixed: bool,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    pub report: ImportReportFormat,
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::model::item::parse_date(text).ok_or_else(|| format!("`{text}` is not a date YYYY-MM-DD"))
}
