//! What each profile means for the commands: an item's standing, the summary a report and a
//! dashboard show, the fields a new or imported item starts with, and how an item maps into
//! each export. The deadline math itself stays in `crate::policy`; this floor sits just above
//! the item view, so its answers can be item rows.
//!
//! Every command asks [`of`] for the configured profile and calls the interface; no module
//! outside `crate::policy` and this one names a profile variant (the architecture test checks).

pub mod cmmc;
mod common;
pub mod cr26;
pub mod dod;
pub mod rev5;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Config;
use crate::edit::NewValue;
use crate::model::item::{Item, Risk};
use crate::policy::{Assessment, Policy, Profile};
use crate::view::{ItemRef, ItemView, StandingView};
use crate::workspace::Workspace;

/// One profile's answers to the commands.
///
/// The read side (standing, summary, required fields, what the templates and charts show)
/// comes first; the write side (new-item fields, import defaults, export mapping) follows in a
/// block of its own.
pub trait SystemProfile: Sync {
    /// The profile this implements.
    fn profile(&self) -> Profile;

    /// The profile's name as `poam.yaml` writes it.
    fn name(&self) -> &'static str {
        self.profile().name()
    }

    // --- Read side: standing, summary, required fields, pages ---

    /// Where an assessed item stands as of the assessment's `today`.
    fn standing(&self, assessment: &Assessment, policy: &Policy) -> StandingView;

    /// The item view of `item` (read from the file `path`), with its standing. A profile whose
    /// deadlines are not Rev5's leaves the Rev5 deadline keys empty (see [`crate::view`]).
    fn view(&self, path: &str, item: &Item, assessment: &Assessment, policy: &Policy) -> ItemView {
        ItemView::new(path, item, assessment, self.standing(assessment, policy))
    }

    /// Top-level item keys that must be present and non-empty (rule `missing-field`).
    fn required_fields(&self) -> &'static [&'static str] {
        // The table stays with the policy: rule `missing-field` reads it there, below this
        // floor (the rules may not name `profiles`, which asks them which rules apply).
        self.profile().required_fields()
    }

    /// What the monthly report and the dashboard show beside the counts every profile has.
    /// `refs[i]` is the row of `views[i]`.
    fn summary(
        &self,
        views: &[ItemView],
        refs: &[ItemRef],
        today: NaiveDate,
        config: &Config,
    ) -> ProfileSummary;

    /// Orders the open items of a summary: the ones that need attention first.
    fn sort_open(&self, items: &mut [ItemRef]);

    /// The template this profile renders for the built-in template `name` (`report.md.j2`,
    /// `site/index.html.j2`, ...): its own where its pages differ, else `name`.
    fn template(&self, name: &'static str) -> &'static str {
        name
    }

    /// The buckets the charts count open items in, most severe first.
    fn chart_buckets(&self) -> &'static [&'static str];

    /// The bucket (index into [`SystemProfile::chart_buckets`]) of an open item, and whether
    /// it is late; `None` when closed.
    fn chart_state(&self, assessment: &Assessment, policy: &Policy) -> Option<(usize, bool)>;

    /// The words the charts use for the buckets and for lateness.
    fn chart_words(&self) -> ChartWords;

    /// The site's `poam.csv`, when the profile has its own columns (`None`: the Rev5 columns).
    fn site_csv(&self, _views: &[ItemView]) -> Option<String> {
        None
    }

    // Writing and exchange: the fields an item starts with (`poam new`, `poam import scan`,
    // `poam import xlsx`) and how an item maps into the exports.

    /// The fields of a new item `id` made by `poam new` on `today`; `Err` with the reason when
    /// the request has no meaning under the profile.
    fn new_item(
        &self,
        id: &str,
        request: &NewItem<'_>,
        today: NaiveDate,
        policy: &Policy,
    ) -> Result<Starting, String>;

    /// The profile's fields of an item `poam import scan` creates (the rating, the deadline
    /// and the plan); the scanner's fields (title, assets, CVEs, severity…) are the importer's.
    fn scanned_item(&self, scanned: &Scanned<'_>, policy: &Policy) -> Starting;

    /// The fields of a row `poam import xlsx` read from a Rev5 POA&M workbook, as the profile
    /// keeps them. `fields` are in the item format (the workbook's columns converted): by
    /// default, as read.
    fn imported_row(&self, fields: Vec<(String, NewValue)>, _policy: &Policy) -> Starting {
        Starting {
            fields,
            ..Starting::default()
        }
    }

    /// How an item maps into the xlsx, CSV and OSCAL exports.
    fn export_mapping(&self, view: &ItemView) -> ExportMapping;

    /// The profile the exports name in their output (a workbook cell, a CSV column, an OSCAL
    /// prop), or `None` when the output is the Rev5 template as it has always been.
    fn export_marker(&self, policy: &Policy) -> Option<ExportMarker>;

    /// Whether `poam export ver` (FedRAMP's VER JSON reports) applies.
    fn reports_ver(&self) -> bool {
        false
    }

    /// The exports the status site offers on its downloads page, in the order listed.
    fn downloads(&self) -> &'static [SiteDownload];

    /// What a closed item must show of its closing (rule `closed-without-evidence`).
    fn closure_evidence(&self) -> ClosureEvidence;
}

/// An export the status site makes in the same build and offers on its downloads page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteDownload {
    /// FedRAMP's POA&M template workbook (`poam export xlsx`).
    FedrampWorkbook,
    /// The eMASS POA&M import workbook (`poam export emass`), in the template `emass.component`
    /// names (Navy, Army, Marine Corps), else the RMF template.
    EmassWorkbook,
    /// The OSCAL POA&M (`poam export oscal`).
    Oscal,
    /// The CSV export (`poam export csv`).
    Csv,
    /// The SPRS score report (`poam cmmc score --format json`).
    ScoreJson,
    /// The month's three VER documents (`poam export ver`).
    Ver,
}

/// What a closed item must show of its closing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosureEvidence {
    /// `closed.evidence` text, or a document added on or before `closed.date`.
    TextOrDocument,
    /// A document added on or before `closed.date`: text alone is not enough.
    Document,
    /// Nothing: the profile asks for no closing evidence.
    Nothing,
}

/// A profile shows as its name (settings that hold one derive `Debug`).
impl std::fmt::Debug for dyn SystemProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Days looked back for "opened" and "closed" counts and looked ahead for "due soon".
pub const WINDOW_DAYS: i64 = 30;

/// How the charts name what they count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ChartWords {
    /// What the buckets are, in a sentence: `effective risk`.
    pub rating: &'static str,
    /// The same, in a title: `risk`.
    pub rating_short: &'static str,
    /// A late item, in a sentence and a legend: `overdue`.
    pub late: &'static str,
    /// The same, starting a sentence or a title: `Overdue`.
    pub late_title: &'static str,
}

/// The profile's part of the summary, flattened into the template variable `summary`.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum ProfileSummary {
    Rev5(rev5::Rev5Summary),
    Cr26(Box<cr26::VdrSummary>),
    Dod(Box<dod::DodSummary>),
    Cmmc(Box<cmmc::CmmcSummary>),
}

/// The implementation of `profile`.
pub fn of(profile: Profile) -> &'static dyn SystemProfile {
    match profile {
        Profile::FedrampRev5 => &rev5::Rev5,
        Profile::FedrampCr26 => &cr26::Cr26,
        Profile::DodRmf => &dod::Dod,
        Profile::CmmcL2 => &cmmc::Cmmc,
    }
}

/// What `poam new` was asked for.
#[derive(Clone, Copy, Debug)]
pub struct NewItem<'a> {
    /// `--risk`; `None` when not given.
    pub risk: Option<Risk>,
    pub title: Option<&'a str>,
    pub detector: Option<&'a str>,
    pub cves: &'a [String],
    pub assets: &'a [String],
}

/// What a scan says about a vulnerability no open item tracks.
#[derive(Clone, Copy, Debug)]
pub struct Scanned<'a> {
    /// The scanner's first-seen date, else the scan's date, else today.
    pub detected: NaiveDate,
    /// The CVSS band (or the scanner's rating when there is no score).
    pub risk: Option<Risk>,
    /// The earliest KEV due date of its CVEs.
    pub kev_due: Option<NaiveDate>,
    /// The CVSS v3 and v2 base scores of the finding that gave the rating.
    pub cvss3: Option<f64>,
    pub cvss2: Option<f64>,
    /// The scanner's own word for it, as written.
    pub scanner_severity: &'a str,
    pub detector: &'a str,
}

/// The deadline an item starts with, as the command reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StartDeadline {
    /// `due` (Rev5) or `evaluate by` (CR26).
    pub kind: &'static str,
    pub date: NaiveDate,
}

/// The fields an item starts with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Starting {
    /// In any order: the editor writes them in the documented order.
    pub fields: Vec<(String, NewValue)>,
    /// A comment written at the top of the `vdr:` block (the evaluate-by date).
    pub vdr_note: Option<String>,
    pub deadline: Option<StartDeadline>,
    /// The rating the import report names (`high`); `None` when a person must rate it.
    pub rating: Option<String>,
    /// Nothing rates the item yet and the profile needs a rating from a person.
    pub needs_rating: bool,
}

impl Starting {
    /// The item file.
    pub fn render(&self) -> String {
        render_new_item(&self.fields, self.vdr_note.as_deref())
    }
}

/// A new item file of `fields` (see [`crate::edit::render_new_item`]) with `vdr_note` as a
/// comment on the first line inside the `vdr:` block.
pub fn render_new_item(fields: &[(String, NewValue)], vdr_note: Option<&str>) -> String {
    let text = crate::edit::render_new_item(fields);
    let Some(note) = vdr_note else {
        return text;
    };
    // Top-level keys start in column 0 and nothing else does (values are indented or follow
    // the key), so the `vdr:` line is found by its text.
    let Some(at) = text
        .match_indices("vdr:")
        .map(|(at, _)| at)
        .find(|at| *at == 0 || text.as_bytes()[at - 1] == b'\n')
    else {
        return text;
    };
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let mut out = String::with_capacity(text.len() + note.len() + 8);
    out.push_str(&text[..line_end]);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    for line in note.lines() {
        out.push_str("  # ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&text[line_end..]);
    out
}

/// How one item maps into the xlsx, CSV and OSCAL exports where the profiles differ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportMapping {
    /// Scheduled Completion Date (column L of the workbook and the CSV).
    pub scheduled_completion: Option<NaiveDate>,
    /// The OSCAL risk's `deadline`.
    pub deadline: Option<ExportDeadline>,
    /// A line put before the item's own Comments (column Z), e.g. the CR26 evaluation.
    pub comment: Option<String>,
    /// Extra OSCAL props of the risk: (name, value), in poam's namespace.
    pub risk_props: Vec<(&'static str, String)>,
}

/// A deadline as the exports write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportDeadline {
    pub date: NaiveDate,
    /// The exact time when the deadline has one (RFC 3339, UTC), for OSCAL's date-time.
    pub at: Option<String>,
}

/// How an export says which profile it follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportMarker {
    /// The profile's name (`fedramp-cr26`): the OSCAL prop and the CSV column.
    pub profile: &'static str,
    /// For people: `fedramp-cr26 (Class C)`, in the workbook's header block.
    pub label: String,
    /// What Scheduled Completion Date holds, for the workbook's description row.
    pub scheduled_completion: &'static str,
}

/// The views of every parsed item of the workspace, sorted by id then path, each with its
/// standing under the configured profile. `last_changed` gives the date git last saw an item
/// change, for items without a `status_date`.
pub fn views(
    workspace: &Workspace,
    today: NaiveDate,
    last_changed: &(dyn Fn(&str) -> Option<NaiveDate> + Sync),
) -> Vec<ItemView> {
    use rayon::prelude::*;
    let policy = &workspace.config.policy;
    let profile = of(policy.profile);
    let mut views: Vec<ItemView> = workspace
        .items
        .par_iter()
        .filter_map(|file| {
            let item = file.item.as_ref()?;
            let changed = item.id_text().and_then(last_changed);
            let assessment = crate::policy::assess(item, policy, today, changed);
            Some(profile.view(&file.source.name, item, &assessment, policy))
        })
        .collect();
    views.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.path.cmp(&b.path)));
    views
}

/// The view of one item under the configured profile (`poam show`).
pub fn view(path: &str, item: &Item, policy: &Policy, today: NaiveDate) -> ItemView {
    let assessment = crate::policy::assess(item, policy, today, None);
    of(policy.profile).view(path, item, &assessment, policy)
}

/// One CSV cell: quoted when needed; formula text is defused (see
/// [`crate::output::spreadsheet_text`]) so spreadsheet programs do not run item text.
pub(crate) fn csv_cell(text: &str) -> String {
    let text = crate::output::spreadsheet_text(text);
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.into_owned()
    }
}
