//! The PDF documents: the monthly report (`poam report --format pdf`), one item (`poam show
//! ID --format pdf`, for a deviation request or a closure packet) and the whole site as one
//! document with a table of contents (`poam site --pdf FILE`). Each is its data, serialized
//! for the typst templates of `templates/pdf/` (the keys are documented in `docs/pdf.md`),
//! typeset by [`world`].

mod world;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Error;
use crate::profiles::SystemProfile;
use crate::view::{display_id, risk_bucket, ItemRef, ItemView};

use super::site::{self, SiteInput};
use super::{Meta, Summary, Templates};

pub use world::{render, PdfJob, BUILT_IN};

/// A closed item in the report's list of closed items.
#[derive(Clone, Debug, Serialize)]
pub struct ClosedRow {
    pub id: String,
    pub title: Option<String>,
    /// The risk bucket (Critical counted as High).
    pub risk: &'static str,
    /// `closed.date`, else `status_date`.
    pub closed: Option<NaiveDate>,
}

/// The closed items of `views`, in the views' order (by id).
pub fn closed_rows(views: &[ItemView]) -> Vec<ClosedRow> {
    views
        .iter()
        .filter(|view| !view.assessment.open)
        .map(|view| ClosedRow {
            id: display_id(view),
            title: view.title.clone(),
            risk: risk_bucket(view),
            closed: view
                .closed
                .as_ref()
                .and_then(|c| c.date)
                .or(view.status_date),
        })
        .collect()
}

/// Which profile-specific parts the main templates import.
#[derive(Clone, Debug, Serialize)]
struct Parts {
    /// The summary template (`/pdf/summary.typ`, `/cr26/pdf/summary.typ`): it defines
    /// `summary-title(data)` and `summary-body(data, level: 2)`.
    summary: String,
}

impl Parts {
    fn of(profile: &dyn SystemProfile) -> Parts {
        Parts {
            summary: format!("/{}", profile.template("pdf/summary.typ")),
        }
    }
}

#[derive(Serialize)]
struct ReportData<'a> {
    meta: &'a Meta,
    summary: &'a Summary,
    closed_items: Vec<ClosedRow>,
    parts: Parts,
}

#[derive(Serialize)]
struct ItemData<'a> {
    meta: &'a Meta,
    item: &'a ItemView,
}

/// One item of the site's PDF: its view and its audit trail.
#[derive(Serialize)]
struct SiteItem<'a> {
    item: &'a ItemView,
    timeline: Vec<site::TimelineEntry>,
}

#[derive(Serialize)]
struct SiteData<'a> {
    meta: &'a Meta,
    summary: &'a Summary,
    closed_items: Vec<ClosedRow>,
    parts: Parts,
    /// Every item's row, by id.
    rows: Vec<ItemRef>,
    items: Vec<SiteItem<'a>>,
    has_history: bool,
    controls: Vec<site::ControlPage>,
    owners: Vec<site::OwnerSection>,
    has_people_file: bool,
    assets: Vec<site::AssetSection>,
    has_inventory: bool,
}

/// A document identifier's seed: the kind of document and the system.
fn ident(kind: &str, meta: &Meta) -> String {
    format!(
        "poam {kind} {} {}",
        meta.system.csp.as_deref().unwrap_or_default(),
        meta.system.name.as_deref().unwrap_or_default()
    )
}

/// The monthly report as PDF, in the profile's templates.
pub fn report(
    templates: &Templates,
    meta: &Meta,
    summary: &Summary,
    views: &[ItemView],
    profile: &dyn SystemProfile,
) -> Result<Vec<u8>, Error> {
    let data = ReportData {
        meta,
        summary,
        closed_items: closed_rows(views),
        parts: Parts::of(profile),
    };
    render(
        templates,
        &PdfJob {
            template: profile.template("pdf/report.typ"),
            data: &data,
            today: meta.today,
            ident: &ident("report", meta),
        },
    )
}

/// One item as PDF.
pub fn item(
    templates: &Templates,
    meta: &Meta,
    view: &ItemView,
    profile: &dyn SystemProfile,
) -> Result<Vec<u8>, Error> {
    let data = ItemData { meta, item: view };
    render(
        templates,
        &PdfJob {
            template: profile.template("pdf/item.typ"),
            data: &data,
            today: meta.today,
            ident: &ident(&format!("item {}", display_id(view)), meta),
        },
    )
}

/// The whole site as one PDF: the dashboard, the items list, every item with its audit
/// trail, the controls, people, assets and findings, behind a table of contents.
pub fn site(input: &SiteInput<'_>, templates: &Templates) -> Result<Vec<u8>, Error> {
    let pages = site::item_pages(input.views);
    let rows: Vec<ItemRef> = input
        .views
        .iter()
        .zip(&pages)
        .map(|(view, page)| ItemRef::new(view, page.clone()))
        .collect();
    let histories = input
        .history
        .map(crate::history::History::index)
        .unwrap_or_default();
    let items = input
        .views
        .iter()
        .map(|view| SiteItem {
            item: view,
            timeline: view
                .id
                .as_deref()
                .and_then(|id| histories.get(id))
                .map(|h| site::timeline(h, input.repo_url))
                .unwrap_or_default(),
        })
        .collect();
    let data = SiteData {
        meta: input.meta,
        summary: input.summary,
        closed_items: closed_rows(input.views),
        parts: Parts::of(input.profile),
        controls: site::controls(input.views, &rows),
        owners: site::owners(&rows, input.people, input.profile),
        has_people_file: input.people.is_some(),
        assets: site::assets(
            input.views,
            &rows,
            input.inventory,
            input.profile,
            input.meta.today,
        ),
        has_inventory: input.inventory.is_some(),
        rows,
        items,
        has_history: input.history.is_some(),
    };
    render(
        templates,
        &PdfJob {
            template: input.profile.template("pdf/site.typ"),
            data: &data,
            today: input.meta.today,
            ident: &ident("site", input.meta),
        },
    )
}
