//! What an import did or would do, as JSON (a versioned document) and as text for people.
//!
//! Both are pure functions of the [`Plan`]. They live beside the importer rather than in
//! `src/render/`, which sits on a lower floor than the capabilities it would have to name.

use std::fmt::Write as _;

use serde::Serialize;

use super::reconcile::{closing_note, ItemEntry, NotScannedWhy, Plan, ScanSummary, Skipped};

use crate::render::text::{inline, plural};

/// Version of the JSON report; bumped when a field changes meaning or goes away.
pub const REPORT_VERSION: u32 = 1;

/// `poam import scan --report json`.
#[derive(Debug, Serialize)]
pub struct ImportReport<'p> {
    pub version: u32,
    pub scans: &'p [ScanSummary],
    pub created: Vec<&'p ItemEntry>,
    pub updated: Vec<&'p ItemEntry>,
    pub unchanged: &'p [ItemEntry],
    pub fixed: Vec<&'p ItemEntry>,
    pub not_scanned: Vec<&'p ItemEntry>,
    pub skipped: &'p [Skipped],
    /// Scanned targets no inventory asset has; absent without any.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub unmatched: &'p [super::assets::Unmatched],
    /// What the import sets in the inventory; absent without an inventory.
    #[serde(skip_serializing_if = "super::assets::InventoryChanges::is_empty")]
    pub inventory: &'p super::assets::InventoryChanges,
}

impl<'p> ImportReport<'p> {
    pub fn new(plan: &'p Plan) -> Self {
        ImportReport {
            version: REPORT_VERSION,
            scans: &plan.scans,
            created: plan.created.iter().map(|c| &c.entry).collect(),
            updated: plan.updated.iter().map(|u| &u.entry).collect(),
            unchanged: &plan.unchanged,
            fixed: plan.fixed.iter().map(|f| &f.entry).collect(),
            not_scanned: plan.not_scanned.iter().map(|n| &n.entry).collect(),
            skipped: &plan.skipped,
            unmatched: &plan.unmatched,
            inventory: &plan.inventory,
        }
    }
}

/// Pretty JSON with a final newline.
pub fn render_json(plan: &Plan) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(&ImportReport::new(plan))?;
    text.push('\n');
    Ok(text)
}

/// How the human report words its verbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Nothing written: "would create".
    DryRun,
    /// `--write`: "created".
    Write { close_fixed: bool },
}

/// The text report: every scan, then each outcome with its items, then what to do next.
/// Text from the scans (titles, plugin ids, hosts, file names) is escaped as in every text
/// output ([`crate::render::text`]): a scanner's value runs no terminal or CI command.
pub fn render_human(plan: &Plan, mode: Mode) -> String {
    let esc = |text: &str| inline(text).into_owned();
    let dry = mode == Mode::DryRun;
    let closes = matches!(mode, Mode::Write { close_fixed: true });
    let verb = |would: &str, did: &str| {
        if dry {
            would.to_owned()
        } else {
            did.to_owned()
        }
    };
    let mut out = String::new();
    for scan in &plan.scans {
        let date = scan
            .scanned_at
            .map_or("undated".to_owned(), |d| d.to_string());
        let _ = writeln!(
            out,
            "{} ({}, {date}): {}, {}",
            esc(&scan.file),
            scan.format,
            plural(scan.assets_scanned.len(), "asset"),
            plural(scan.findings, "finding"),
        );
    }
    if !plan.unmatched.is_empty() {
        let _ = writeln!(
            out,
            "\n{} no inventory asset has (add them to the inventory, or an alias):",
            plural(plan.unmatched.len(), "scanned target")
        );
        for unmatched in &plan.unmatched {
            let _ = writeln!(
                out,
                "  {} ({})",
                esc(&unmatched.target),
                esc(&unmatched.file)
            );
        }
    }
    let inventory = &plan.inventory;
    if !inventory.scanned.is_empty() || !inventory.missed.is_empty() || inventory.unread_files > 0 {
        let _ = writeln!(
            out,
            "\nInventory: {} in the latest scan, {} not ({} `in_latest_scan`{}).",
            plural(inventory.scanned.len(), "asset"),
            inventory.missed.len(),
            verb("would set", "set"),
            if inventory.scanned.is_empty() {
                ""
            } else {
                ", `last_scanned` and `authenticated_scan` where the scan says"
            },
        );
        for id in &inventory.missed {
            let _ = writeln!(out, "  not scanned: {}", esc(id));
        }
        if inventory.unread_files > 0 {
            let _ = writeln!(
                out,
                "  no asset marked as not scanned: {} could not be read, and an asset only it reached would look missed",
                plural(inventory.unread_files, "scan file"),
            );
        }
    }
    if !inventory.added.is_empty() {
        let _ = writeln!(
            out,
            "\n{} {} to {} (complete their fields):",
            verb("Would add", "Added"),
            plural(inventory.added.len(), "stub asset"),
            esc(inventory.added_to.as_deref().unwrap_or("the inventory")),
        );
        for added in &inventory.added {
            let _ = writeln!(out, "  {}", esc(&added.id));
        }
    }
    if !plan.created.is_empty() {
        let _ = writeln!(
            out,
            "\n{} {}:",
            verb("Would create", "Created"),
            plural(plan.created.len(), "item")
        );
        for c in &plan.created {
            let risk = c.rating.as_deref().unwrap_or("unrated");
            let due = c
                .deadline
                .map_or(String::new(), |d| format!(", {} {}", d.kind, d.date));
            let mut notes = Vec::new();
            if let Some(kev) = c.kev_due {
                notes.push(format!("KEV due {kev}"));
            }
            if c.needs_rating {
                notes.push("no rating in the scan: rate it".to_owned());
            }
            if !c.vendor_status_flags.is_empty() {
                notes.push(format!(
                    "vendor: {}",
                    esc(&c.vendor_status_flags.join(", "))
                ));
            }
            if !c.recurs_closed.is_empty() {
                notes.push(format!(
                    "came back after {}",
                    esc(&c.recurs_closed.join(", "))
                ));
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" [{}]", notes.join("; "))
            };
            let _ = writeln!(
                out,
                "  {}  {} {}  {}: {risk}{due}, {}{notes}",
                esc(&c.entry.id),
                esc(&c.entry.detector),
                esc(&c.entry.detector_id),
                esc(&c.title),
                plural(c.entry.assets.len(), "asset"),
            );
        }
    }
    if !plan.updated.is_empty() {
        let _ = writeln!(
            out,
            "\n{} {}:",
            verb("Would update", "Updated"),
            plural(plan.updated.len(), "item")
        );
        for u in &plan.updated {
            let mut changes = Vec::new();
            if !u.entry.assets.is_empty() {
                changes.push(format!("add {}", esc(&u.entry.assets.join(", "))));
            }
            if !u.added_cves.is_empty() {
                changes.push(format!("add {}", esc(&u.added_cves.join(", "))));
            }
            if let Some(severity) = &u.scanner_severity {
                changes.push(format!("scanner_severity {}", esc(severity)));
            }
            if let Some(kev_due) = u.kev_due {
                changes.push(format!("kev_due {kev_due}"));
            }
            if !u.vendor_status_flags.is_empty() {
                changes.push(format!(
                    "[vendor: {}]",
                    esc(&u.vendor_status_flags.join(", "))
                ));
            }
            let _ = writeln!(out, "  {}  {}", esc(&u.entry.id), changes.join("; "));
        }
    }
    if !plan.unchanged.is_empty() {
        let _ = writeln!(
            out,
            "\nUnchanged: {} (still found, nothing new)",
            plural(plan.unchanged.len(), "item")
        );
    }
    if !plan.fixed.is_empty() {
        let heading = if closes {
            "Fixed and closed"
        } else {
            "Fixed (gone from every asset, all scanned)"
        };
        let _ = writeln!(out, "\n{heading}: {}", plural(plan.fixed.len(), "item"));
        for f in &plan.fixed {
            let _ = writeln!(out, "  {}  {}", esc(&f.entry.id), esc(&closing_note(f)));
        }
    }
    if !plan.not_scanned.is_empty() {
        let _ = writeln!(
            out,
            "\nNot scanned (kept open: a missing host is not a fix): {}",
            plural(plan.not_scanned.len(), "item")
        );
        for n in &plan.not_scanned {
            let why = match n.why {
                NotScannedWhy::Unreached => {
                    format!("not reached: {}", esc(&n.entry.assets.join(", ")))
                }
                NotScannedWhy::NoAssets => "the item lists no assets".to_owned(),
                NotScannedWhy::OlderScan => {
                    "the scans are older than the item's detection".to_owned()
                }
            };
            let _ = writeln!(out, "  {}  {why}", esc(&n.entry.id));
        }
    }
    if !plan.skipped.is_empty() {
        let what = match plan.skipped.len() {
            1 => "finding or file",
            _ => "findings or files",
        };
        let _ = writeln!(out, "\nSkipped {} {what}:", plan.skipped.len());
        for s in &plan.skipped {
            let _ = writeln!(
                out,
                "  {}: {}: {}",
                esc(&s.file),
                esc(&s.location.to_string()),
                esc(&s.reason)
            );
        }
    }
    if !plan.unreadable_items.is_empty() {
        let _ = writeln!(
            out,
            "\nUnreadable item files (their findings may be imported again; run `poam lint`): {}",
            esc(&plan.unreadable_items.join(", "))
        );
    }
    let writes =
        !plan.created.is_empty() || !plan.updated.is_empty() || (closes && !plan.fixed.is_empty());
    out.push('\n');
    if dry {
        if plan.created.is_empty() && plan.updated.is_empty() && plan.fixed.is_empty() {
            out.push_str("Nothing to write.\n");
        } else {
            out.push_str("Dry run: nothing written. Run with --write to apply");
            if !plan.fixed.is_empty() {
                out.push_str(" (and --close-fixed to close the fixed items)");
            }
            out.push_str(".\n");
        }
        return out;
    }
    if !writes {
        out.push_str("Nothing written: the items already match the scans.\n");
    }
    if !plan.fixed.is_empty() && !closes {
        out.push_str("Fixed items were left open: run again with --close-fixed to close them.\n");
    }
    out
}
