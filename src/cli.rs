//! Command-line arguments. Global options work before or after the subcommand.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::builder::PossibleValue;
use clap::{ArgAction, Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::init::Ci;
use crate::lint::Scope;
use crate::render::log::LogFormat;
use crate::render::Format;

/// The commit the binary was built from (set by build.rs; `unknown` outside git).
pub const COMMIT: &str = match option_env!("POAM_COMMIT") {
    Some(commit) => commit,
    None => "unknown",
};

/// `0.1.0 (1a2b3c4)`: the version with the commit the binary was built from.
pub fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| format!("{} ({COMMIT})", env!("CARGO_PKG_VERSION")))
}

#[derive(Debug, Parser)]
#[command(
    name = "poam",
    version = version(),
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
    /// Record today's findings in poam-baseline.json, so lint reports them as suppressed.
    Baseline(BaselineArgs),
    /// Show one item and where it stands: effective rating, deadline, days left, excuses.
    Show(ShowArgs),
    /// List the rules, or explain one.
    Rules(RulesArgs),
    /// Start a POA&M repo: poam.yaml, an example item, a CI workflow, editor settings.
    Init(InitArgs),
    /// Create the next item with today's dates, the policy's due date and placeholders to fill.
    New(NewArgs),
    /// Close an item with its evidence.
    Close(CloseArgs),
    /// Record a vendor check-in of a vendor-dependent item.
    Checkin(CheckinArgs),
    /// Mark a milestone complete (appends a `complete` milestone change).
    Complete(CompleteArgs),
    /// Reopen a closed item.
    Reopen(ReopenArgs),
    /// Print the JSON Schema (draft-07) of the item format or of poam.yaml.
    Schema(SchemaArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Run the language server over standard input and output, for editors (item files and
    /// poam.yaml: diagnostics, hover, completion, fixes, go to definition).
    Lsp,
    /// Print the man page (roff).
    Man,
    /// Write the items in another format.
    Export(ExportArgs),
    /// Switch the repository to another profile.
    Migrate(MigrateArgs),
    /// Rename a person or an asset everywhere it is written. A dry run unless --write.
    Rename(RenameArgs),
    /// Write the monthly POA&M summary, or with `--base` what a pull request changes.
    Report(ReportArgs),
    /// Build a static status site: dashboard, items, controls, findings, downloads.
    Site(SiteArgs),
    /// Turn another format into item files: a filled FedRAMP Excel template.
    Import(ImportArgs),
    /// The inventory of assets items name: to and from FedRAMP's Integrated Inventory Workbook.
    Inventory(InventoryArgs),
    /// CMMC Level 2 (profile cmmc-l2): the SPRS score of assessment.yaml and Conditional status.
    Cmmc(CmmcArgs),
    /// Evidence files with a chain of custody: add them to an item with their SHA-256, verify them.
    Evidence(EvidenceArgs),
    /// Write the poam block of .github/CODEOWNERS: item files owned by their owners' GitHub
    /// handles, poam.yaml and the people file by the approvers.
    Codeowners(CodeownersArgs),
}

#[derive(Debug, Args)]
pub struct CodeownersArgs {
    /// Only check that the block is up to date: exit 1 when it is stale or missing.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct EvidenceArgs {
    #[command(subcommand)]
    pub what: EvidenceCommand,
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Copy files into the evidence folder (`evidence/<ID>/`) and record each in the item's
    /// `documents` with its SHA-256 and today's date. With --link, the file stays where it is
    /// (e.g. too large for git): only its hash and the address are recorded.
    Add(EvidenceAddArgs),
    /// Check every document: its file is there and has the recorded SHA-256, and (with git
    /// history) no recorded hash or date was rewritten. Exit 1 when one is not.
    Verify(EvidenceVerifyArgs),
}

#[derive(Debug, Args)]
pub struct EvidenceAddArgs {
    /// The item's id.
    pub id: String,
    /// The files to add.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The document type, as the FedRAMP template's Supporting Documents column says it.
    #[arg(
        long = "type",
        value_name = "TYPE",
        default_value = "Remediation Evidence"
    )]
    pub kind: String,
    /// What the document shows.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Keep the file outside the repository at this http(s) address: its hash is recorded,
    /// the file is not copied (one FILE only).
    #[arg(long, value_name = "URL")]
    pub link: Option<String>,
}

#[derive(Debug, Args)]
pub struct EvidenceVerifyArgs {
    /// A repo root holding poam.yaml [default: search upward for poam.yaml].
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: Format,
    /// Skip the history rule (`evidence-rewritten`).
    #[arg(long)]
    pub no_history: bool,
}

#[derive(Debug, Args)]
pub struct CmmcArgs {
    #[command(subcommand)]
    pub what: CmmcCommand,
}

#[derive(Debug, Subcommand)]
pub enum CmmcCommand {
    /// The SPRS score (DoD Assessment Methodology: 110 minus each requirement not met, floor
    /// -203), the Level 2 ratio, whether Conditional status is possible (32 CFR 170.21) and the
    /// closeout date. Exit 1 when Conditional status is not possible.
    Score(CmmcScoreArgs),
}

#[derive(Debug, Args)]
pub struct CmmcScoreArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: CmmcFormat,
}

/// Output format of `poam cmmc score`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum CmmcFormat {
    #[default]
    Human,
    /// The score, every deduction and every reason as JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct InventoryArgs {
    #[command(subcommand)]
    pub what: InventoryCommand,
}

#[derive(Debug, Subcommand)]
pub enum InventoryCommand {
    /// The inventory as the FedRAMP Integrated Inventory Workbook (the template's Inventory
    /// sheet as submitted: group labels, the 25 headers, one row per asset), or as CSV.
    Export(InventoryExportArgs),
    /// A filled Integrated Inventory Workbook (.xlsx) becomes one inventory file (default
    /// `inventory/iiw.yaml`). Exit 1 when some rows or cells were skipped (each is reported).
    Import(InventoryImportArgs),
}

#[derive(Debug, Args)]
pub struct InventoryImportArgs {
    /// The workbook.
    pub file: PathBuf,
    /// The inventory file to write (default: `iiw.yaml` in the inventory folder).
    #[arg(long, value_name = "FILE")]
    pub into: Option<PathBuf>,
    /// Replace the file when it exists (it may hold hand edits).
    #[arg(long)]
    pub force: bool,
}

/// What `poam inventory export` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    #[default]
    Xlsx,
    Csv,
}

#[derive(Debug, Args)]
pub struct InventoryExportArgs {
    /// Write to FILE instead of standard output (a workbook is never written to a terminal).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The workbook, or CSV with the same headers.
    #[arg(long, short = 'f', value_enum, default_value = "xlsx")]
    pub format: InventoryFormat,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    #[command(subcommand)]
    pub what: RenameCommand,
}

#[derive(Debug, Subcommand)]
pub enum RenameCommand {
    /// A person or team: its people-file entry (the old id becomes an alias), the teams'
    /// members and every item's `owner`.
    Person(RenameIds),
    /// An asset: its inventory `id` (the old id becomes an alias) and every item's `assets`
    /// entry naming it (a ` (port/PROTO)` detail is kept).
    Asset(RenameIds),
}

#[derive(Debug, Args)]
pub struct RenameIds {
    /// The id now.
    pub old: String,
    /// The id it becomes.
    pub new: String,
    /// Write the changes (default: only say what would change).
    #[arg(long)]
    pub write: bool,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    #[command(subcommand)]
    pub to: MigrateCommand,
}

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Switch to FedRAMP's 2026 rules (fedramp-cr26): set the profile and class in poam.yaml
    /// and add a `vdr:` stub to each open item. A dry run unless --write.
    Cr26(MigrateCr26Args),
}

#[derive(Debug, Args)]
pub struct MigrateCr26Args {
    /// The certification class: b, c or d (default: `cr26.class` in poam.yaml, else c).
    #[arg(long, value_name = "CLASS")]
    pub class: Option<String>,
    /// The certification package overview URI for the reports.
    #[arg(long, value_name = "URI")]
    pub uri: Option<String>,
    /// Write the changes (default: only say what would change).
    #[arg(long)]
    pub write: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub what: ExportCommand,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The FedRAMP POA&M Template Rev5 workbook: open items on `Open POA&M Items`, closed ones
    /// on `Closed POA&M Items`.
    Xlsx(ExportXlsxArgs),
    /// FedRAMP's Vulnerability Deviation Request form, filled from one item and poam.yaml.
    Dr(ExportDrArgs),
    /// The template's 31 columns plus a status column, one row per item.
    Csv(ExportCsvArgs),
    /// An eMASS POA&M import workbook (dod-rmf) in the layout of a branch template (Navy,
    /// Army, Marine Corps: one row per milestone) or the generic RMF one.
    Emass(ExportEmassArgs),
    /// An OSCAL 1.2.1 plan-of-action-and-milestones JSON document (FedRAMP conventions).
    Oscal(ExportOscalArgs),
    /// FedRAMP 2026 VER reports (fedramp-cr26): vulnerability detail report, accepted
    /// vulnerability info and historical VER activity, as JSON valid against FedRAMP's schemas.
    Ver(ExportVerArgs),
}

#[derive(Debug, Args)]
pub struct ExportVerArgs {
    /// The calendar month the detail and accepted reports cover (UTC).
    #[arg(long, value_name = "YYYY-MM")]
    pub period: String,
    /// The folder to write the three JSON files into (created if needed).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: PathBuf,
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
    #[arg(long, env = "POAM_TODAY", value_parser = parse_today, global = true)]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// A repo root holding poam.yaml, a bare folder of items, or item files (all items are
    /// checked together; only the named files are reported on) [default: search upward for
    /// poam.yaml].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
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
    /// With --base, which findings decide the exit status: `pr`, those on items the pull
    /// request adds, changes or deletes, configuration problems and its own history (the
    /// others are counted in one line); `all`, every finding.
    #[arg(
        long,
        value_enum,
        value_name = "SCOPE",
        requires = "base",
        default_value = "pr"
    )]
    pub scope: Scope,
    /// List the findings the baseline file or a waiver suppresses too (they never fail).
    #[arg(long)]
    pub show_suppressed: bool,
    /// Apply the safe fixes of the findings to the item files (through the item editor:
    /// comments and layout stay), then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, apply the unsafe fixes too (a guess the finding suggests).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Show the fixes as a unified diff instead of writing them (the item files stay as they
    /// are); exits 1 when there is something to fix.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// A repo root holding poam.yaml, or a bare folder of items [default: search upward for
    /// poam.yaml].
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Only drop the entries that no finding matches any more; add none.
    #[arg(long)]
    pub prune: bool,
    /// The last day deadline findings (overdue, due-soon, ...) stay suppressed; without it
    /// (or `baseline.max_age_days` in poam.yaml) they are not recorded.
    #[arg(long, value_name = "DATE", value_parser = parse_date, conflicts_with = "prune")]
    pub expires: Option<NaiveDate>,
    /// Skip the history rules.
    #[arg(long)]
    pub no_history: bool,
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
    pub format: LogFormat,
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
    /// A tagged PDF/UA document of the item (for a deviation request or a closure packet);
    /// needs `-o FILE.pdf` or a redirected standard output.
    Pdf,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The item's id.
    pub id: String,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: ShowFormat,
    /// Write the output to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportOscalArgs {
    /// Write the document to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Explain this rule (e.g. `overdue`); list all rules when omitted.
    pub code: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to set up (created when missing) [default: the working directory].
    pub dir: Option<PathBuf>,
    /// The CI service whose pipeline file to write: `github` (.github/workflows/poam.yml),
    /// `gitlab` (.gitlab-ci.yml) or `bitbucket` (bitbucket-pipelines.yml).
    #[arg(long, value_enum, value_name = "SERVICE", default_value = "github")]
    pub ci: Ci,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The original risk rating; the due date follows from it [default: moderate]. Refused
    /// under fedramp-cr26, where the item's evaluation rates it.
    #[arg(long, value_enum)]
    pub risk: Option<RiskArg>,
    /// The weakness name.
    #[arg(long)]
    pub title: Option<String>,
    /// Who found it: scanner, 3PAO, assessment.
    #[arg(long)]
    pub detector: Option<String>,
    /// A CVE id (repeatable).
    #[arg(long = "cve", value_name = "ID")]
    pub cves: Vec<String>,
    /// An affected asset (repeatable).
    #[arg(long = "asset", value_name = "TEXT")]
    pub assets: Vec<String>,
    /// Open the new file in `$VISUAL` or `$EDITOR`.
    #[arg(long)]
    pub edit: bool,
}

/// A risk rating on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RiskArg {
    Low,
    Moderate,
    High,
    Critical,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// The item's id.
    pub id: String,
    /// What shows the weakness is gone (a rescan, a ticket, a change record). Not needed when
    /// the item lists a document added on or before the closing date, or with `--document`.
    #[arg(long)]
    pub evidence: Option<String>,
    /// A file that shows the weakness is gone, copied into the evidence folder and recorded
    /// in `documents` (as `poam evidence add` does) in the same edit; repeatable.
    #[arg(long = "document", value_name = "FILE")]
    pub documents: Vec<std::path::PathBuf>,
    /// The `type` recorded for `--document` files.
    #[arg(
        long = "document-type",
        value_name = "TYPE",
        default_value = "Remediation Evidence"
    )]
    pub document_type: String,
    /// The closing date [default: today].
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct CheckinArgs {
    /// The item's id.
    pub id: String,
    /// The check-in date [default: today].
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// What the vendor said; appended to `comments`.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompleteArgs {
    /// The item's id.
    pub id: String,
    /// The milestone's number.
    pub milestone: u32,
    /// The completion date [default: today].
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// What was done [default: "Milestone N completed."].
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReopenArgs {
    /// The item's id.
    pub id: String,
    /// Why the weakness is back; appended to `comments`.
    #[arg(long)]
    pub reason: String,
}

/// Which schema `poam schema` prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// One item file.
    #[default]
    Item,
    /// `poam.yaml`.
    Config,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file format.
    #[arg(value_enum, default_value = "item")]
    pub kind: SchemaKind,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Output format of `poam report`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportFormatArg {
    /// GitHub-flavoured Markdown (for `$GITHUB_STEP_SUMMARY` and PR comments).
    #[default]
    Md,
    /// One self-contained HTML file.
    Html,
    /// A tagged PDF/UA document, fonts embedded; needs `-o FILE.pdf` or a redirected
    /// standard output.
    Pdf,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A repo root holding poam.yaml, or a bare folder of items [default: search upward for poam.yaml].
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "md")]
    pub format: ReportFormatArg,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Pull-request mode: what the change from the merge base of REV and HEAD, plus the
    /// working tree, does to the POA&M (Markdown only).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// A repo root holding poam.yaml, or a bare folder of items [default: search upward for poam.yaml].
    pub path: Option<PathBuf>,
    /// The folder to build the site in; an earlier build there is replaced.
    #[arg(long, short = 'o', value_name = "DIR", required_unless_present = "pdf")]
    pub output: Option<PathBuf>,
    /// Also (or, without `-o`, only) write the whole site as one tagged PDF document with a
    /// table of contents to FILE.
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Build for one of the audiences of poam.yaml (`audiences:`): what it may not see is
    /// left out of every page and file [default: everything].
    #[arg(long, value_name = "NAME")]
    pub audience: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportDrArgs {
    /// The item's id.
    pub id: String,
    /// Write the workbook to FILE [default: standard output, unless it is a terminal].
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportXlsxArgs {
    /// Write the workbook to FILE [default: standard output, unless it is a terminal].
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportEmassArgs {
    /// The eMASS template to follow.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(["navy", "army", "marine-corps", "rmf"]))]
    pub template: String,
    /// Write the workbook to FILE [default: standard output, unless it is a terminal].
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportEmassArgs {
    /// The workbook to read (any of the four eMASS templates, told apart by row 7).
    pub file: PathBuf,
    /// Folder to write the item files to [default: the items folder of poam.yaml].
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// Overwrite item files that already exist.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ExportCsvArgs {
    /// Write the CSV to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub what: ImportCommand,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A filled FedRAMP POA&M template (.xlsx): one item file per row of the Open and Closed
    /// sheets. Exit 1 when some rows were skipped (each is reported).
    Xlsx(ImportXlsxArgs),
    /// An eMASS POA&M workbook (Navy, Army, Marine Corps or RMF template): milestone rows
    /// regrouped into items. Exit 1 when some rows were skipped (each is reported).
    Emass(ImportEmassArgs),
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
    /// Add every scanned target no inventory asset has to the inventory as a stub asset
    /// (`added-by-scan.yaml` in the inventory folder), for a person to complete.
    #[arg(long)]
    pub add_unknown_assets: bool,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    pub report: ImportReportFormat,
}

#[derive(Debug, Args)]
pub struct ImportXlsxArgs {
    /// The workbook to read.
    pub file: PathBuf,
    /// Folder to write the item files to [default: the items folder of poam.yaml].
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// Overwrite item files that already exist.
    #[arg(long)]
    pub force: bool,
    /// Also import the template's example row (`V-1Example`).
    #[arg(long)]
    pub include_example: bool,
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::model::item::parse_date(text).ok_or_else(|| format!("`{text}` is not a date YYYY-MM-DD"))
}

/// The latest `--today`: deadlines run at most 3,650 days past it (the longest window
/// `poam.yaml` allows), and an item can only hold a date up to 9999-12-31.
const LATEST_TODAY: (i32, u32, u32) = (9989, 12, 31);

/// `--today`: a date early enough that every deadline reckoned from it can be written.
pub fn parse_today(text: &str) -> Result<NaiveDate, String> {
    let date = parse_date(text)?;
    let (year, month, day) = LATEST_TODAY;
    if NaiveDate::from_ymd_opt(year, month, day).is_some_and(|latest| date > latest) {
        return Err(format!(
            "`{text}` is too late: deadlines run up to ten years past today, and an item's dates end at 9999-12-31 (the latest today is {year}-{month}-{day})"
        ));
    }
    Ok(date)
}

// The command-line names of the library's own choices: clap is named only here and in
// `main.rs`, so the renderers and lint stay free of it.

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Format::Human,
            Format::Short,
            Format::Json,
            Format::Github,
            Format::Sarif,
            Format::Rdjson,
            Format::Gitlab,
            Format::Junit,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            Format::Human => "human",
            Format::Short => "short",
            Format::Json => "json",
            Format::Github => "github",
            Format::Sarif => "sarif",
            Format::Rdjson => "rdjson",
            Format::Gitlab => "gitlab",
            Format::Junit => "junit",
        }))
    }
}

impl ValueEnum for Ci {
    fn value_variants<'a>() -> &'a [Self] {
        &[Ci::Github, Ci::Gitlab, Ci::Bitbucket]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            Ci::Github => "github",
            Ci::Gitlab => "gitlab",
            Ci::Bitbucket => "bitbucket",
        }))
    }
}

impl ValueEnum for LogFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[LogFormat::Human, LogFormat::Json, LogFormat::Md]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            LogFormat::Human => "human",
            LogFormat::Json => "json",
            LogFormat::Md => "md",
        }))
    }
}

impl ValueEnum for Scope {
    fn value_variants<'a>() -> &'a [Self] {
        &[Scope::Pr, Scope::All]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Scope::Pr => PossibleValue::new("pr").help(
                "Findings on the items the pull request adds, changes or deletes, configuration \
                 problems and the pull request's own history; the others are only counted",
            ),
            Scope::All => PossibleValue::new("all")
                .help("Every finding, as `poam lint` without `--base` reports them"),
        })
    }
}

/// The completion script of `shell` for the `poam` command.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "poam", &mut script);
    script
}

/// The man page of `poam`, in roff.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    Ok(page)
}
