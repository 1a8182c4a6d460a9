//! Exports: the POA&M in the formats agencies and FedRAMP consume, one module per format:
//! OSCAL ([`oscal`]), the FedRAMP Excel template ([`xlsx`]) and a flat CSV of the same columns
//! ([`csv`]), and FedRAMP's 2026 VER reports ([`ver`]).
//!
//! Every format reads only [`ItemView`]s (fields plus assessment): nothing about deadlines is
//! decided here. Which deadline an item shows and which profile the output names are the
//! profile's answers (`crate::profiles`). [`item_cells`] builds the 31 template cells A..AE of
//! one item once, for the workbook and the CSV.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::config::Config;
use crate::error::Error;
use crate::fedramp_template::{self as template, col, CLOSURE_EVIDENCE, COLUMN_COUNT};
use crate::history::{History, HistoryError};
use crate::profiles::{self, ExportMarker, SiteDownload, SystemProfile};
use crate::view::{DeviationView, ItemView};
use crate::workspace::Workspace;

use crate::output::Download;
use ver::Period;

pub mod csv;
pub mod dr;
pub mod emass;
pub mod inventory;
pub mod oscal;
pub mod ver;
pub mod xlsx;

/// A failed export (exit code 2): the workbook library refused a value or could not write.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ExportError(pub String);

/// One cell of an item row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Date(NaiveDate),
    Number(f64),
}

impl Cell {
    fn text(value: impl Into<String>) -> Cell {
        let value = value.into();
        if value.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(value)
        }
    }

    fn optional(value: Option<&str>) -> Cell {
        value.map_or(Cell::Empty, Cell::text)
    }

    fn date(value: Option<NaiveDate>) -> Cell {
        value.map_or(Cell::Empty, Cell::Date)
    }

    /// The cell as CSV text: dates `YYYY-MM-DD`, whole numbers without a decimal point.
    pub fn to_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Date(date) => date.format("%Y-%m-%d").to_string(),
            Cell::Number(number) => number.to_string(),
        }
    }
}

/// Rows 2 and 3 of each data sheet: who and what the POA&M is about, and when it was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderBlock {
    pub csp: String,
    pub system_name: String,
    /// `Low`, `Moderate` or `High` as the template writes it (empty when not configured).
    pub impact: String,
    pub poam_date: NaiveDate,
    /// The profile the workbook follows when it is not the Rev5 template's own (written
    /// beside the block).
    pub marker: Option<ExportMarker>,
}

impl HeaderBlock {
    /// The block from the config's `system:` and the run's date.
    pub fn new(config: &Config, today: NaiveDate) -> HeaderBlock {
        let system = &config.system;
        HeaderBlock {
            csp: system.csp.clone().unwrap_or_default(),
            system_name: system.name.clone().unwrap_or_default(),
            impact: system
                .impact
                .as_deref()
                .map(capitalized)
                .unwrap_or_default(),
            poam_date: today,
            marker: profiles::of(config.policy.profile).export_marker(&config.policy),
        }
    }
}

/// Whether an item belongs on the Closed sheet (anything not closed stays on the Open sheet,
/// where a reviewer will look for it).
pub fn is_closed(view: &ItemView) -> bool {
    view.status == Some("closed")
}

/// `moderate` → `Moderate`.
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    })
}

/// The template's rating: Critical is part of High (the template has no Critical).
pub fn template_rating(risk: &str) -> String {
    match risk {
        "critical" => "High".to_owned(),
        other => capitalized(other),
    }
}

/// Yes/No/Pending of a deviation column: approved is Yes, pending is Pending, rejected,
/// withdrawn and none are No.
pub fn deviation_answer(status: Option<&str>) -> &'static str {
    match status {
        Some("approved") => "Yes",
        Some("pending") => "Pending",
        _ => "No",
    }
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "Yes"
    } else {
        "No"
    }
}

/// The Status Date: `status_date`, else the closing date of a closed item, else the day git last
/// saw the item change (the assessment's status age when it came from a commit).
pub fn status_date(view: &ItemView) -> Option<NaiveDate> {
    let closing = view
        .closed
        .as_ref()
        .and_then(|c| c.date)
        .filter(|_| is_closed(view));
    let last_commit = view
        .assessment
        .status_age
        .as_ref()
        .filter(|s| s.source == "last-commit")
        .map(|s| s.date);
    view.status_date.or(closing).or(last_commit)
}

/// Planned milestones as the template writes them: `(n) YYYY-MM-DD: description` blocks
/// separated by a blank line. Milestones added by a `new` change appear in Milestone Changes.
pub fn milestones_text(view: &ItemView) -> String {
    let mut out = String::new();
    for milestone in &view.milestones {
        let Some(planned) = milestone.planned_date else {
            continue;
        };
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let _ = write!(out, "({}) {}:", milestone.id, planned.format("%Y-%m-%d"));
        if let Some(description) = &milestone.description {
            let _ = write!(out, " {}", description.trim());
        }
    }
    out
}

/// Milestone changes: `(n) New|Update|Complete YYYY-MM-DD : description`, blank-line separated.
pub fn milestone_changes_text(view: &ItemView) -> String {
    let mut out = String::new();
    for change in &view.milestone_changes {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        if let Some(id) = change.milestone {
            let _ = write!(out, "({id})");
        }
        if let Some(kind) = change.kind {
            let _ = write!(out, " {}", capitalized(kind));
        }
        if let Some(date) = change.date {
            let _ = write!(out, " {}", date.format("%Y-%m-%d"));
        }
        out.push_str(" :");
        if let Some(description) = &change.description {
            let _ = write!(out, " {}", description.trim());
        }
    }
    out
}

/// Deviation Rationale: one `Type : rationale` block per deviation that has a rationale.
fn rationale_text(view: &ItemView) -> String {
    let d = &view.deviations;
    let blocks = [
        (
            template::RISK_ADJUSTMENT,
            d.risk_adjustment
                .as_ref()
                .and_then(|r| r.rationale.as_deref()),
        ),
        (
            template::FALSE_POSITIVE,
            d.false_positive
                .as_ref()
                .and_then(|r: &DeviationView| r.rationale.as_deref()),
        ),
        (
            template::OPERATIONAL_REQUIREMENT,
            d.operational_requirement
                .as_ref()
                .and_then(|r| r.rationale.as_deref()),
        ),
    ];
    blocks
        .iter()
        .filter_map(|(kind, text)| Some(format!("{kind} : {}", (*text)?.trim())))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Supporting Documents: `Type : Name`, one per line; a closed item's evidence last.
fn documents_text(view: &ItemView) -> String {
    let mut lines: Vec<String> = view
        .documents
        .iter()
        .filter_map(|d| match (d.kind.as_deref(), d.name.as_deref()) {
            (Some(kind), Some(name)) => Some(format!("{kind} : {name}")),
            (None, Some(name)) => Some(name.to_owned()),
            (Some(kind), None) => Some(format!("{kind} :")),
            (None, None) => None,
        })
        .collect();
    if let Some(evidence) = view.closed.as_ref().and_then(|c| c.evidence.as_deref()) {
        lines.push(format!("{CLOSURE_EVIDENCE} : {}", evidence.trim()));
    }
    lines.join("\n")
}

/// A plugin id of plain digits is written as a number (the template validates column F as
/// one); anything else, leading zeros included, stays text.
fn detector_id_cell(id: Option<&str>) -> Cell {
    match id {
        Some(text)
            if (1..=15).contains(&text.len())
                && text.bytes().all(|b| b.is_ascii_digit())
                && (text == "0" || !text.starts_with('0')) =>
        {
            text.parse::<f64>()
                .map_or_else(|_| Cell::text(text), Cell::Number)
        }
        other => Cell::optional(other),
    }
}

/// The 31 cells A..AE of one item, in the template's formats, as `profile` maps it
/// (Scheduled Completion Date, and a line on the profile's own state before the Comments).
pub fn item_cells(view: &ItemView, profile: &dyn SystemProfile) -> Vec<Cell> {
    let mapping = profile.export_mapping(view);
    let mut cells = vec![Cell::Empty; COLUMN_COUNT];
    let deviations = &view.deviations;
    let adjustment = deviations.risk_adjustment.as_ref();
    let vendor = view.vendor_dependency.as_ref();
    cells[col::ID] = Cell::optional(view.id.as_deref());
    cells[col::CONTROLS] = Cell::text(view.controls.join(", "));
    cells[col::TITLE] = Cell::optional(view.title.as_deref());
    cells[col::DESCRIPTION] = Cell::optional(view.description.as_deref().map(str::trim_end));
    cells[col::DETECTOR] = Cell::optional(view.detector.as_deref());
    cells[col::DETECTOR_ID] = detector_id_cell(view.detector_id.as_deref());
    cells[col::ASSETS] = Cell::text(view.assets.join("\n"));
    cells[col::OWNER] = Cell::optional(view.owner.as_deref());
    cells[col::RESOURCES] = Cell::optional(view.resources.as_deref().map(str::trim_end));
    cells[col::REMEDIATION] = Cell::optional(view.remediation.as_deref().map(str::trim_end));
    cells[col::DETECTED] = Cell::date(view.detected);
    cells[col::DUE] = Cell::date(mapping.scheduled_completion);
    cells[col::MILESTONES] = Cell::text(milestones_text(view));
    cells[col::MILESTONE_CHANGES] = Cell::text(milestone_changes_text(view));
    cells[col::STATUS_DATE] = Cell::date(status_date(view));
    cells[col::VENDOR_DEPENDENCY] = Cell::text(yes_no(vendor.is_some()));
    cells[col::VENDOR_CHECKIN] = Cell::date(vendor.and_then(|v| v.last_checkin));
    cells[col::VENDOR_PRODUCT] = Cell::optional(vendor.and_then(|v| v.product.as_deref()));
    cells[col::RISK] = Cell::optional(view.risk.map(template_rating).as_deref());
    cells[col::ADJUSTED_RISK] = Cell::text(
        adjustment
            .and_then(|a| a.adjusted_risk)
            .map_or_else(|| "N/A".to_owned(), template_rating),
    );
    cells[col::RISK_ADJUSTMENT] = Cell::text(deviation_answer(adjustment.and_then(|a| a.status)));
    cells[col::FALSE_POSITIVE] = Cell::text(deviation_answer(
        deviations.false_positive.as_ref().and_then(|d| d.status),
    ));
    cells[col::OPERATIONAL_REQUIREMENT] = Cell::text(deviation_answer(
        deviations
            .operational_requirement
            .as_ref()
            .and_then(|d| d.status),
    ));
    cells[col::DEVIATION_RATIONALE] = Cell::text(rationale_text(view));
    cells[col::DOCUMENTS] = Cell::text(documents_text(view));
    let comments = view.comments.as_deref().map(str::trim_end);
    cells[col::COMMENTS] = match (mapping.comment, comments) {
        (Some(line), Some(own)) if !own.is_empty() => Cell::text(format!("{line}\n\n{own}")),
        (Some(line), _) => Cell::text(line),
        (None, own) => Cell::optional(own),
    };
    cells[col::AUTO_APPROVE] = adjustment
        .and_then(|a| a.auto_approved)
        .map_or(Cell::Empty, |a| Cell::text(yes_no(a)));
    cells[col::KEV] = Cell::text(yes_no(view.kev_due.is_some()));
    cells[col::KEV_DUE] = Cell::date(view.kev_due);
    cells[col::CVES] = Cell::text(view.cves.join(", "));
    cells[col::SERVICES] = Cell::text(view.services.join("\n"));
    cells
}

/// The day git last saw each item change, by item id, for Status Date of items without a
/// `status_date`. Empty when the items are not in a git repository (no history, so those
/// Status Dates stay blank); a history that is there but cannot be read is an error.
pub fn last_changes(config: &Config) -> Result<HashMap<String, NaiveDate>, Error> {
    let mut dates = HashMap::new();
    let repo = match crate::history::open(&config.items_dir) {
        Ok(repo) => repo,
        Err(HistoryError::NotARepo { .. }) => return Ok(dates),
        Err(err) => return Err(Error::history(err)),
    };
    let history = repo
        .full_history(crate::history::WalkOptions { progress: false })
        .map_err(Error::history)?;
    for item in &history.items {
        // At a shallow boundary the last change is unknown: better no date than a wrong one.
        if let Some(change) = history.last_change(&item.id).filter(|c| c.exact) {
            let date = change.commit.time.with_timezone(&chrono::Utc).date_naive();
            dates.insert(item.id.clone(), date);
        }
    }
    Ok(dates)
}

/// The item views and risk logs an OSCAL export of `workspace` writes, as of `today`, built
/// side by side. Refuses an export with no items ([`refuse_incomplete`] is checked first).
pub fn oscal_items(
    workspace: &Workspace,
    today: NaiveDate,
    history: Option<&History>,
) -> Result<(Vec<ItemView>, BTreeMap<String, oscal::ItemLog>), Error> {
    // One lookup per item: an index, not a search of every item's history.
    let index = history.map(History::index);
    let last_changed = |id: &str| {
        let item = index.as_ref()?.get(id)?;
        Some(item.last_change()?.commit.time.date_naive())
    };
    let (views, logs) = rayon::join(
        || profiles::views(workspace, today, &last_changed),
        || history.map(oscal::item_logs).unwrap_or_default(),
    );
    if views.is_empty() {
        return Err(Error::Export(format!(
            "no items to export in `{}`: an OSCAL POA&M needs at least one poam-item",
            workspace.config.items_dir.display()
        )));
    }
    Ok((views, logs))
}

/// Every export that lists the items (OSCAL, the FedRAMP workbook, the CSV, the eMASS
/// workbook, the VER reports) refuses the same two things, so no deliverable says less than
/// another: an item file that does not parse (the export would silently leave it out) and two
/// items with one id (the POA&M ID would name two weaknesses).
pub fn refuse_incomplete(workspace: &Workspace) -> Result<(), Error> {
    let broken: Vec<&str> = workspace.unreadable().collect();
    if !broken.is_empty() {
        return Err(Error::Export(format!(
            "{} item file(s) do not parse, so the export would leave them out: {}\n  run `poam lint` to see what is wrong",
            broken.len(),
            crate::render::text::first_of(&broken, 5)
        )));
    }
    let mut files_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (file, item) in workspace.parsed() {
        if let Some(id) = item.id_text() {
            files_of.entry(id).or_default().push(&file.source.name);
        }
    }
    let list: Vec<String> = files_of
        .iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(id, files)| format!("`{id}` ({})", crate::render::text::first_of(files, 5)))
        .collect();
    if list.is_empty() {
        return Ok(());
    }
    Err(Error::Export(format!(
        "duplicate item ids, each must be unique in the POA&M: {}",
        list.join("; ")
    )))
}

/// The exports the site offers on its downloads page, made from the same workspace and
/// history as the pages: the ones the profile names ([`SystemProfile::downloads`]), in its
/// order (under fedramp-rev5 the FedRAMP POA&M workbook and the OSCAL POA&M; under
/// fedramp-cr26 also the month's three VER documents; under dod-rmf the eMASS workbook and
/// OSCAL; under cmmc-l2 OSCAL, the CSV export and the SPRS score). An export that cannot be
/// made (an item file that does not parse, no `package_overview_uri`) is listed with the
/// reason instead.
pub fn site_downloads(
    workspace: &Workspace,
    history: Option<&History>,
    views: &[ItemView],
    today: NaiveDate,
) -> Vec<Download> {
    use rayon::prelude::*;
    let profile = crate::profiles::of(workspace.config.policy.profile);
    // Asked once for every download that lists the items.
    let complete = refuse_incomplete(workspace).map_err(|e| e.to_string());
    profile
        .downloads()
        .par_iter()
        .map(|kind| site_download(*kind, workspace, history, views, today, profile, &complete))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// The files of one export of the downloads page.
fn site_download(
    kind: SiteDownload,
    workspace: &Workspace,
    history: Option<&History>,
    views: &[ItemView],
    today: NaiveDate,
    profile: &dyn SystemProfile,
    complete: &Result<(), String>,
) -> Vec<Download> {
    let config = &workspace.config;
    let one = |file: &str, title: &str, contents: Result<Vec<u8>, String>| {
        vec![Download {
            file: file.into(),
            title: title.into(),
            contents,
        }]
    };
    match kind {
        SiteDownload::FedrampWorkbook => {
            let block = HeaderBlock::new(config, today);
            one(
                "poam.xlsx",
                "POA&M workbook (poam export xlsx)",
                complete.clone().and_then(|()| {
                    xlsx::workbook(views, &block, profile).map_err(|e| e.to_string())
                }),
            )
        }
        SiteDownload::EmassWorkbook => {
            let template = crate::emass_template::Template::for_component(
                config
                    .emass
                    .iter()
                    .find(|(key, _)| *key == "component")
                    .map(|(_, value)| value.as_str()),
            );
            let header = emass::EmassHeader::new(config, workspace.people.as_ref(), today);
            one(
                "poam-emass.xlsx",
                &format!(
                    "eMASS POA&M workbook, {} template (poam export emass --template {})",
                    template.label(),
                    template.name()
                ),
                complete.clone().and_then(|()| {
                    emass::workbook(views, template, &header, workspace.people.as_ref())
                        .map_err(|e| e.to_string())
                }),
            )
        }
        SiteDownload::Oscal => one(
            "poam-oscal.json",
            "OSCAL POA&M (poam export oscal)",
            complete
                .clone()
                .and_then(|()| oscal_bytes(workspace, history, today, profile)),
        ),
        SiteDownload::Csv => {
            let block = HeaderBlock::new(config, today);
            one(
                "poam-export.csv",
                "POA&M CSV (poam export csv)",
                complete.clone().and_then(|()| {
                    csv::csv(views, profile, block.marker.as_ref())
                        .map(String::into_bytes)
                        .map_err(|e| e.to_string())
                }),
            )
        }
        SiteDownload::ScoreJson => {
            let items = workspace.parsed().map(|(_, item)| item);
            let contents = match crate::profiles::cmmc::score_report(config, items, today) {
                Some(report) => crate::render::json_document(&report)
                    .map(String::into_bytes)
                    .map_err(|e| e.to_string()),
                None => Err(format!(
                    "no {} beside poam.yaml: no score",
                    crate::workspace::ASSESSMENT_FILE
                )),
            };
            one(
                "cmmc-score.json",
                "SPRS score and deductions (poam cmmc score --format json)",
                contents,
            )
        }
        SiteDownload::Ver => ver_downloads(workspace, today),
    }
}

/// The OSCAL POA&M of the workspace, as `poam export oscal` writes it ([`refuse_incomplete`]
/// is the caller's).
fn oscal_bytes(
    workspace: &Workspace,
    history: Option<&History>,
    today: NaiveDate,
    profile: &dyn SystemProfile,
) -> Result<Vec<u8>, String> {
    let (views, logs) = oscal_items(workspace, today, history).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    write_oscal(workspace, &views, &logs, history, today, profile, &mut out)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// Writes the OSCAL POA&M of the workspace from its [`oscal_items`]: one place for
/// `poam export oscal` and the site's download, so the two are the same document.
pub fn write_oscal(
    workspace: &Workspace,
    views: &[ItemView],
    logs: &BTreeMap<String, oscal::ItemLog>,
    history: Option<&History>,
    today: NaiveDate,
    profile: &dyn SystemProfile,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // The document changes when a commit changes the items; outside git, on the POA&M date.
    let last_modified = history
        .and_then(|h| h.head.as_ref())
        .map(|head| head.time)
        .unwrap_or_else(|| {
            Utc.from_utc_datetime(&today.and_time(NaiveTime::MIN))
                .fixed_offset()
        });
    let config = &workspace.config;
    let marker = profile.export_marker(&config.policy);
    let input = oscal::ExportInput {
        system: &config.system,
        today,
        last_modified,
        items: views,
        logs,
        profile,
        marker: marker.as_ref(),
        people: workspace.people.as_ref(),
        inventory: workspace.inventory.as_ref(),
    };
    oscal::write(&input, out)
}

/// The month's three VER documents (`poam export ver`), each with its title.
fn ver_downloads(workspace: &Workspace, today: NaiveDate) -> Vec<Download> {
    let Some(period) = Period::parse(&format!("{:04}-{:02}", today.year(), today.month())) else {
        return Vec::new();
    };
    let titles = [
        "VER vulnerability detail report (VER-RPT-VDT)",
        "VER accepted vulnerability information (VER-RPT-AVI)",
        "VER historical activity (VER-TFR-MRH)",
    ];
    match ver::build(workspace, period, today, ver::generated_at(today))
        .map_err(|e| e.to_string())
        .and_then(|reports| reports.files().map_err(|e| e.to_string()))
    {
        Ok(made) => made
            .into_iter()
            .zip(titles)
            .map(|((name, text), title)| Download {
                file: name.to_owned(),
                title: format!("{title}, {}", period.name()),
                contents: Ok(text.into_bytes()),
            })
            .collect(),
        Err(why) => [ver::DETAIL_FILE, ver::ACCEPTED_FILE, ver::HISTORY_FILE]
            .into_iter()
            .zip(titles)
            .map(|(name, title)| Download {
                file: name.to_owned(),
                title: format!("{title}, {}", period.name()),
                contents: Err(why.clone()),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_follow_the_template() {
        assert_eq!(template_rating("critical"), "High");
        assert_eq!(template_rating("moderate"), "Moderate");
        assert_eq!(deviation_answer(Some("approved")), "Yes");
        assert_eq!(deviation_answer(Some("pending")), "Pending");
        assert_eq!(deviation_answer(Some("rejected")), "No");
        assert_eq!(deviation_answer(Some("withdrawn")), "No");
        assert_eq!(deviation_answer(None), "No");
    }

    #[test]
    fn plugin_ids_of_digits_are_numbers() {
        assert_eq!(detector_id_cell(Some("104743")), Cell::Number(104_743.0));
        assert_eq!(detector_id_cell(Some("00123")), Cell::Text("00123".into()));
        assert_eq!(detector_id_cell(Some("QID-1")), Cell::Text("QID-1".into()));
        assert_eq!(detector_id_cell(None), Cell::Empty);
    }
}
