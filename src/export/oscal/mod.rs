//! The OSCAL 1.2.1 `plan-of-action-and-milestones` document, built from item views.
//!
//! One `poam-item` per item, each with one discovery observation and one risk (FedRAMP's
//! conventions: facets, deviation props and `POAM-ID` in the `http://fedramp.gov/ns/oscal`
//! namespace), a risk log from the item file and its git history, and documents as
//! back-matter resources. Assets, detectors, vendor products and owners are shared
//! definitions.
//!
//! Deterministic by construction: every UUID is a version 5 UUID of the system, the item id
//! and the object's role, so exporting twice gives the same bytes and changing one item
//! changes only its objects (and shared definitions it alone adds or drops). No clock is read:
//! the caller passes `today` and `last_modified`.
//!
//! OSCAL's string rules hold for every value: text is trimmed, single-line fields have their
//! whitespace collapsed, empty values are left out (or replaced where OSCAL requires one),
//! and every date-time carries a timezone.
//!
//! Three parts: `model` is the typed document (OSCAL's shapes, only what poam fills),
//! `build` turns item views into it, and `write` streams it to a writer without ever
//! holding it whole.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::config::System;
use crate::history::{History, ItemHistory};
use crate::inventory::Inventory;
use crate::model::item::Item;
use crate::people::People;
use crate::profiles::{ExportMarker, SystemProfile};
use crate::view::ItemView;

mod build;
mod model;
mod write;

use build::Builder;
pub use model::{Document, Poam};

/// The OSCAL version the document declares and validates against.
pub const OSCAL_VERSION: &str = "1.2.1";
/// FedRAMP's OSCAL namespace: props, facet system and `system-id` identifier type.
pub const FEDRAMP_NS: &str = "http://fedramp.gov/ns/oscal";
/// poam's own namespace: the profile the document follows and the profile's item props
/// (CR26's class, N-rating, evaluation and deadline kind, which FedRAMP has no OSCAL names for).
pub const POAM_NS: &str = "urn:poam:oscal";

/// Everything the export reads.
pub struct ExportInput<'a> {
    pub system: &'a System,
    /// The POA&M date: the document's `version`, and the fallback for missing dates.
    pub today: NaiveDate,
    /// `metadata.last-modified`: HEAD's commit time, or `today` at midnight UTC outside git.
    pub last_modified: DateTime<FixedOffset>,
    /// The items, sorted by id (as [`crate::profiles::views`] returns them).
    pub items: &'a [ItemView],
    /// What git history says about each item, by id (empty outside git).
    pub logs: &'a BTreeMap<String, ItemLog>,
    /// Maps each item (the risk's deadline and props).
    pub profile: &'a dyn SystemProfile,
    /// The profile named in `metadata` when it is not the Rev5 POA&M's own.
    pub marker: Option<&'a ExportMarker>,
    /// The people file: its entries become `metadata.parties` (their roles, roles and
    /// responsible parties), and an item whose `owner` is one of them points at its party.
    pub people: Option<&'a People>,
    /// The inventory: its assets become `local-definitions.inventory-items` (FedRAMP's prop
    /// names), and an item's asset that resolves to one (by id or alias) points at it.
    pub inventory: Option<&'a Inventory>,
}

/// What git history says about one item, for its risk log.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemLog {
    /// Each committed change of the OSCAL risk status, oldest first (the first is the status
    /// the item was created with).
    pub status_changes: Vec<StatusChange>,
    /// Every `vendor_dependency.last_checkin` any committed version recorded.
    pub vendor_checkins: BTreeSet<NaiveDate>,
    /// When each entry of `milestone_changes` (an append-only list) was first committed,
    /// by index.
    pub milestone_changes_committed: Vec<DateTime<FixedOffset>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StatusChange {
    pub time: DateTime<FixedOffset>,
    pub status: &'static str,
    pub commit: String,
    pub summary: String,
}

/// The OSCAL risk status of an item: `closed`; else `deviation-requested` while a deviation
/// request is pending; else `deviation-approved` once one is approved; else `open`.
/// `deviations` are the statuses of the risk adjustment, false positive and operational
/// requirement.
pub fn risk_status(closed: bool, deviations: [Option<&str>; 3]) -> &'static str {
    if closed {
        "closed"
    } else if deviations.contains(&Some("pending")) {
        "deviation-requested"
    } else if deviations.contains(&Some("approved")) {
        "deviation-approved"
    } else {
        "open"
    }
}

fn item_status(item: &Item) -> &'static str {
    let deviations = item.deviations.as_ref();
    let status = |d: Option<&crate::model::item::Deviation>| {
        d.and_then(|d| d.status.as_ref()).map(|s| s.value.name())
    };
    risk_status(
        item.is_closed(),
        [
            deviations
                .and_then(|d| d.risk_adjustment.as_ref())
                .and_then(|r| r.status.as_ref())
                .map(|s| s.value.name()),
            status(deviations.and_then(|d| d.false_positive.as_ref())),
            status(deviations.and_then(|d| d.operational_requirement.as_ref())),
        ],
    )
}

/// The status changes and vendor check-ins of every item that exists at HEAD, by id. Items
/// are read in parallel.
pub fn item_logs(history: &History) -> BTreeMap<String, ItemLog> {
    use rayon::prelude::*;
    let logs: Vec<(String, ItemLog)> = history
        .items
        .par_iter()
        .filter(|i| i.exists)
        .map(|item| (item.id.clone(), item_log(item)))
        .collect();
    let mut by_id = BTreeMap::new();
    for (id, log) in logs {
        // Two existing files with one id: the later one's log, as before.
        by_id.insert(id, log);
    }
    by_id
}

fn item_log(item: &ItemHistory) -> ItemLog {
    let mut log = ItemLog::default();
    for version in &item.versions {
        let (Some(node), Some(commit)) = (version.node(), version.source.commit()) else {
            continue;
        };
        let parsed = Item::from_node(node, &version.path);
        let status = item_status(&parsed);
        if log.status_changes.last().map(|c| c.status) != Some(status) {
            log.status_changes.push(StatusChange {
                time: commit.time,
                status,
                commit: commit.short_id().to_owned(),
                summary: commit.summary.clone(),
            });
        }
        let changes = parsed
            .milestone_changes
            .as_ref()
            .map_or(0, |c| c.value.len());
        while log.milestone_changes_committed.len() < changes {
            log.milestone_changes_committed.push(commit.time);
        }
        if let Some(date) = parsed
            .vendor_dependency
            .as_ref()
            .and_then(|v| v.last_checkin.as_ref())
        {
            log.vendor_checkins.insert(date.value);
        }
    }
    log
}

/// The document as pretty-printed JSON with a final newline; an element that cannot be
/// serialised is an error, never a short document.
pub fn render(input: &ExportInput<'_>) -> std::io::Result<String> {
    let mut out = Vec::new();
    write(input, &mut out)?;
    String::from_utf8(out).map_err(|err| std::io::Error::new(std::io::ErrorKind::InvalidData, err))
}

/// Writes the document as pretty-printed JSON with a final newline: the same bytes as
/// `serde_json::to_string_pretty` of [`document`] and a newline. Items are built and
/// serialised on the rayon pool a wave at a time while earlier waves are written, so neither
/// the document nor its text is ever whole in memory.
pub fn write(input: &ExportInput<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    Builder::new(input).write(out)
}

/// The document.
pub fn document(input: &ExportInput<'_>) -> Document {
    Builder::new(input).build()
}
