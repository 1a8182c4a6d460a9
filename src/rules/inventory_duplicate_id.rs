//! Two inventory assets have the same `id`.
//!
//! ## What it does
//! Reports each asset whose `id` (its unique asset identifier) an earlier asset already has,
//! in the same inventory file or another, pointing at the earlier one too. Items naming that
//! id are checked against the first asset.
//!
//! ## Why it matters
//! The IIW's unique asset identifier "must be unique": POA&M items, scans and deviation
//! requests name assets by it. Two assets under one id make every finding on it ambiguous.
//!
//! ## Example
//! ```yaml
//! # inventory/web.yaml
//! - id: web-prod-01.example.internal
//! # inventory/legacy.yaml
//! - id: web-prod-01.example.internal
//! ```
//!
//! ## How to fix
//! Give each asset its own id; if both entries describe one asset, merge them (its other
//! names belong in `aliases`).
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP Integrated Inventory Workbook (SSP Appendix M), column UNIQUE ASSET IDENTIFIER:
//! "Must be unique."

use crate::diag::Diagnostic;
use crate::inventory::{Inventory, ProblemKind};

use super::{inventory_report, Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::InventoryDuplicateId,
    severity: Severity::Error,
    check: Check::Config,
    sets: &[RuleSet::Common],
};

pub fn check(inventory: &Inventory, out: &mut Vec<Diagnostic>) {
    for problem in &inventory.problems {
        let ProblemKind::DuplicateId { first } = problem.kind else {
            continue;
        };
        let mut diagnostic = inventory_report(
            inventory,
            Code::InventoryDuplicateId,
            problem.file,
            problem.span,
            problem.message.clone(),
        )
        .with_label("duplicate id");
        diagnostic.help = problem.help.clone().map(Into::into);
        if let Some(file) = inventory.file(first.0) {
            diagnostic = diagnostic.with_related(file.location(first.1), "first defined here");
        }
        out.push(diagnostic);
    }
}
