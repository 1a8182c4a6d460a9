//! One alias is claimed by two inventory assets.
//!
//! ## What it does
//! Reports an `aliases` entry that another asset also lists as an alias, or that is another
//! asset's `id` (compared without case: host names and digests are case-insensitive),
//! pointing at the other asset's entry too. An asset listing its own id as an alias is fine.
//!
//! ## Why it matters
//! Aliases are how a scanner's name for a target (an IP, FQDN, NetBIOS name or image digest)
//! leads to one inventory asset. An alias on two assets sends a finding to either, so the
//! POA&M might name the wrong asset, and a reused IP often means one of the assets is stale.
//!
//! ## Example
//! ```yaml
//! - id: web-prod-01.example.internal
//!   aliases: [10.20.30.41]
//! - id: web-prod-02.example.internal
//!   aliases: [10.20.30.41]   # the same address
//! ```
//!
//! ## How to fix
//! Remove the alias from the asset that no longer has it (retire the old asset if it is
//! gone).
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP Integrated Inventory Workbook (SSP Appendix M) instructions: column A must be
//! verifiable in the raw scans (hostname, IP or URL).

use crate::diag::Diagnostic;
use crate::inventory::{Inventory, ProblemKind};

use super::{inventory_report, Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::InventoryAliasConflict,
    severity: Severity::Error,
    check: Check::Config,
    sets: &[RuleSet::Common],
};

pub fn check(inventory: &Inventory, out: &mut Vec<Diagnostic>) {
    for problem in &inventory.problems {
        let ProblemKind::AliasConflict { first } = problem.kind else {
            continue;
        };
        let mut diagnostic = inventory_report(
            inventory,
            Code::InventoryAliasConflict,
            problem.file,
            problem.span,
            problem.message.clone(),
        )
        .with_label("alias of two assets");
        diagnostic.help = problem.help.clone().map(Into::into);
        if let Some(file) = inventory.file(first.0) {
            diagnostic = diagnostic.with_related(file.location(first.1), "also claimed here");
        }
        out.push(diagnostic);
    }
}
