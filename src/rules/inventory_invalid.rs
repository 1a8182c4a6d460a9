//! An inventory file has an asset or value poam cannot use.
//!
//! ## What it does
//! Reports every problem in the inventory files other than repeated ids and aliases: a file
//! that cannot be parsed or is neither one asset (a mapping) nor a list of assets, an asset
//! without `id`, an unknown key (with "did you mean"), a Yes/No field that is not `true` or
//! `false`, a date that is not `YYYY-MM-DD`, a `kind` that is not one of the IIW's
//! inventories (`infrastructure`, `container`, `software`, `database`), and a file poam does
//! not read: outside the repository, not a regular file, too large, or a symlink to a folder
//! in the inventory folder (not followed). Assets that could be read are used by the other
//! rules.
//!
//! ## Why it matters
//! Items' assets are checked against the inventory. A silently skipped asset would make every
//! item naming it an `asset-unknown`; a misspelt key would hide a mandatory IIW column.
//!
//! ## Example
//! ```yaml
//! - id: web-prod-01.example.internal
//!   ip_address: 10.20.30.41   # the key is `ip`
//!   virtual: maybe            # true or false
//! ```
//!
//! ## How to fix
//! Correct the asset as the message says. The keys are the IIW's columns in snake_case (see
//! docs/configuration.md, "Inventory"), plus `aliases`, `retired`, `kind` and `last_scanned`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP Integrated Inventory Workbook (SSP Appendix M), row 4 (valid values).

use crate::diag::Diagnostic;
use crate::inventory::{Inventory, ProblemKind};

use super::{inventory_report, Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::InventoryInvalid,
    severity: Severity::Error,
    check: Check::Config,
    sets: &[RuleSet::Common],
};

pub fn check(inventory: &Inventory, out: &mut Vec<Diagnostic>) {
    for problem in &inventory.problems {
        if problem.kind != ProblemKind::Invalid {
            continue;
        }
        let mut diagnostic = inventory_report(
            inventory,
            Code::InventoryInvalid,
            problem.file,
            problem.span,
            problem.message.clone(),
        );
        diagnostic.help = problem.help.clone().map(Into::into);
        out.push(diagnostic);
    }
}
