//! An inventory asset has not been scanned recently.
//!
//! ## What it does
//! Reports an asset (not retired, nor a later duplicate of an id) whose `last_scanned` date
//! is more than `scan_days` days before today (`inventory.scan_days` in `poam.yaml`, default
//! 30), or whose `in_latest_scan` is `false` without a `last_scanned` within those days: an
//! asset missed by one scan but scanned within the window is fine. An asset with neither field
//! is left to `inventory-missing-field` (`in_latest_scan` is mandatory for infrastructure and
//! containers).
//!
//! ## Why it matters
//! FedRAMP expects 100% of the inventory scanned every month at the OS level, and the
//! inventory to agree with the raw scans; an asset no scan reaches has vulnerabilities no
//! POA&M item records.
//!
//! ## Example
//! ```yaml
//! - id: db-prod-01.example.internal
//!   in_latest_scan: false
//!   last_scanned: 2026-08-30   # more than 30 days ago
//! ```
//!
//! ## How to fix
//! Scan the asset (and import the scan), fix why the scanner cannot reach it, or retire it if
//! it is gone.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP Integrated Inventory Workbook (SSP Appendix M), column In Latest Scan; Rev5
//! playbook, continuous monitoring, vulnerability scanning (monthly scans of the whole
//! inventory).

use chrono::NaiveDate;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::inventory::Inventory;

use super::{days, inventory_report, Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::InventoryNotScanned,
    severity: Severity::Warning,
    check: Check::Config,
    sets: &[RuleSet::Common],
};

pub fn check(config: &Config, inventory: &Inventory, today: NaiveDate, out: &mut Vec<Diagnostic>) {
    let limit = i64::from(config.scan_days());
    for asset in &inventory.assets {
        if asset.is_retired(today) || !inventory.is_first(asset) {
            continue;
        }
        let last = asset.get("last_scanned").and_then(|v| match v.value {
            crate::inventory::FieldValue::Date(date) => Some((date, v.span)),
            _ => None,
        });
        let age = last.map(|(date, _)| (today - date).num_days());
        let recent = age.is_some_and(|age| age <= limit);
        let missed = asset.yes_no("in_latest_scan") == Some(false);
        if recent || !(missed || age.is_some()) {
            continue;
        }
        let (span, message) = match (last, age) {
            (Some((date, span)), Some(age)) => (
                span,
                format!(
                    "asset `{}` was last scanned on {date}, {} ago (more than {})",
                    asset.id.value,
                    days(age),
                    days(limit)
                ),
            ),
            _ => (
                asset.get("in_latest_scan").map_or(asset.id.span, |v| v.span),
                format!(
                    "asset `{}` was not in the latest scan, and no `last_scanned` date within {} says it was scanned since",
                    asset.id.value,
                    days(limit)
                ),
            ),
        };
        out.push(
            inventory_report(
                inventory,
                Code::InventoryNotScanned,
                asset.file,
                span,
                message,
            )
            .with_label("not scanned")
            .with_help("scan the asset and import the scan, or retire the asset if it is gone"),
        );
    }
}
