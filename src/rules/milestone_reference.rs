//! Milestone numbers are duplicated, or a milestone change names the wrong milestone.
//!
//! ## What it does
//! Reports a planned milestone whose `id` repeats an earlier one; a `milestone_changes` entry
//! of kind `update` or `complete` naming a milestone that does not exist; and an entry of kind
//! `new` reusing a number that a milestone already has.
//!
//! ## Why it matters
//! Milestone changes are only meaningful against the milestone they amend. A change that
//! points nowhere, or two milestones with one number, breaks the audit trail.
//!
//! ## Example
//! ```yaml
//! milestones:
//!   - {id: 1, date: 2026-02-01, description: Patch staging}
//! milestone_changes:
//!   - {milestone: 2, kind: update, date: 2026-02-10, description: Slipped}  # no milestone 2
//! ```
//!
//! ## How to fix
//! Number milestones uniquely; give new milestones a fresh number with kind `new`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template, columns M and N: milestone numbers are unique; changes reference
//! them as `(##) New/Update/Complete`.

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::model::item::ChangeKind;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::MilestoneReference,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Rev5],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let mut known = BTreeSet::new();
    for milestone in ctx.item.milestones.iter().flat_map(|m| m.value.iter()) {
        let Some(id) = &milestone.id else { continue };
        if !known.insert(id.value) {
            out.push(
                ctx.report(
                    Code::MilestoneReference,
                    id.span,
                    format!("milestone id {} is used twice", id.value),
                )
                .with_help("give every planned milestone its own number"),
            );
        }
    }
    for change in ctx
        .item
        .milestone_changes
        .iter()
        .flat_map(|c| c.value.iter())
    {
        let (Some(id), Some(kind)) = (&change.milestone, &change.kind) else {
            continue;
        };
        match kind.value {
            ChangeKind::New => {
                if !known.insert(id.value) {
                    out.push(
                        ctx.report(
                            Code::MilestoneReference,
                            id.span,
                            format!(
                                "new milestone {} reuses the number of an existing milestone",
                                id.value
                            ),
                        )
                        .with_help(format!(
                            "number new milestones after the last one ({})",
                            known.iter().max().unwrap_or(&0) + 1
                        )),
                    );
                }
            }
            ChangeKind::Update | ChangeKind::Complete => {
                if !known.contains(&id.value) {
                    let verb = if kind.value == ChangeKind::Update {
                        "updates"
                    } else {
                        "completes"
                    };
                    out.push(
                        ctx.report(
                            Code::MilestoneReference,
                            id.span,
                            format!("change {verb} milestone {}, which does not exist", id.value),
                        )
                        .with_help(
                            "reference a planned milestone, or add it first with kind `new`",
                        ),
                    );
                }
            }
        }
    }
}
