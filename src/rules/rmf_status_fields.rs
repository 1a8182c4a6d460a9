//! A DoD RMF item lacks what its eMASS status requires, or has what it forbids.
//!
//! ## What it does
//! Under `dod-rmf`, checks the status-dependent fields of the eMASS templates' instructions,
//! with the item's eMASS status derived from its fields (open → Ongoing, open with
//! `rmf.risk_accepted` → Risk Accepted, closed → Completed):
//! - every status: `rmf.raw_severity` and `rmf.identification_source` (description, Office/Org
//!   from `owner` and resources are `missing-field`'s);
//! - Ongoing: a scheduled completion date (`due`) and at least one milestone;
//! - Risk Accepted: `comments`, and neither a scheduled completion date nor milestones;
//! - Completed: `comments`, `due`, at least one milestone, and every milestone `completed` or
//!   `archived`;
//! - every milestone: a `status`; a `completed` milestone: its completion date (a `complete`
//!   milestone change).
//!
//! ## Why it matters
//! eMASS refuses an upload whose rows break these rules, and the whole workbook waits on the
//! one bad row. Checking them in Git finds the row before the upload does.
//!
//! ## Example
//! ```yaml
//! status: open
//! rmf:
//!   risk_accepted: {date: 2026-07-01}
//! due: 2027-01-31      # a Risk Accepted item has no scheduled completion date
//! ```
//!
//! ## How to fix
//! Add what the status needs, or remove what it forbids (a Risk Accepted item's `due` and
//! milestones); say in `comments` why the risk is accepted or how completion was verified.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Not a FedRAMP rule: the DoD eMASS POA&M templates' Instructions sheets (Navy, Army, 2026)
//! and the eMASS API's POA&M business rules.

use crate::diag::Diagnostic;
use crate::model::rmf::MilestoneStatus;
use crate::model::Span;
use crate::policy::dod::EmassStatus;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::RmfStatusFields,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Dod],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let (Some(rmf_assessment), Some(status)) = (&ctx.assessment.rmf, &ctx.item.status) else {
        return;
    };
    let item = ctx.item;
    let emass = rmf_assessment.status;
    let label = emass.label();
    let a_label = if emass == EmassStatus::Ongoing {
        "an Ongoing"
    } else {
        match emass {
            EmassStatus::RiskAccepted => "a Risk Accepted",
            _ => "a Completed",
        }
    };
    let rmf = item.rmf.as_deref();
    let rmf_span = rmf.map_or(item.span, |r| r.span);
    let mut push = |span: Span, message: String, help: &'static str| {
        out.push(
            ctx.report(Code::RmfStatusFields, span, message)
                .with_label(label)
                .with_help(help),
        );
    };
    if let Some(rmf) = rmf {
        if rmf.raw_severity.is_none() && !item.is_invalid("rmf.raw_severity") {
            push(
                rmf_span,
                format!("{a_label} item needs `rmf.raw_severity`"),
                "write `raw_severity: cat-i`, `cat-ii`, `cat-iii` or a level from `very-low` to `very-high`",
            );
        }
        if rmf.identification_source.is_none() {
            push(
                rmf_span,
                format!("{a_label} item needs `rmf.identification_source`"),
                "say how the weakness was found, e.g. `Vulnerability Management`",
            );
        }
    }
    let milestones = item.milestones.as_ref().map_or(&[][..], |m| &m.value[..]);
    match emass {
        EmassStatus::Ongoing | EmassStatus::Completed => {
            if item.due.is_none() && !item.is_invalid("due") {
                push(
                    status.span,
                    format!("{a_label} item needs a scheduled completion date (`due`)"),
                    "add `due:` with the date the weakness will be (or was to be) fixed",
                );
            }
            if milestones.is_empty() {
                push(
                    item.milestones.as_ref().map_or(status.span, |m| m.span),
                    format!("{a_label} item needs at least one milestone"),
                    "add a milestone with its date, description and status",
                );
            }
        }
        EmassStatus::RiskAccepted => {
            if let Some(due) = &item.due {
                push(
                    due.span,
                    "a Risk Accepted item has no scheduled completion date".to_owned(),
                    "remove `due`; the acceptance's expiry goes in `rmf.risk_accepted.expires`",
                );
            }
            if let Some(list) = item.milestones.as_ref().filter(|m| !m.value.is_empty()) {
                push(
                    list.span,
                    "a Risk Accepted item has no milestones".to_owned(),
                    "remove the milestones: eMASS refuses them on a Risk Accepted item",
                );
            }
        }
    }
    if emass != EmassStatus::Ongoing && item.comments.is_none() {
        push(
            status.span,
            format!("{a_label} item needs `comments`"),
            "say why the risk is accepted, or how the fix was verified",
        );
    }
    if emass == EmassStatus::RiskAccepted {
        return;
    }
    for (index, milestone) in milestones.iter().enumerate() {
        let id = milestone.id.as_ref().map(|i| i.value);
        let completed = id.is_some_and(|id| {
            ctx.assessment
                .milestones
                .iter()
                .any(|m| m.id == id && m.complete())
        });
        let name = id.map_or("a milestone".to_owned(), |id| format!("milestone {id}"));
        match milestone.status.as_ref().map(|s| (s.value, s.span)) {
            None if !item.is_invalid(&format!("milestones[{index}].status")) => push(
                milestone.span,
                format!("{name} has no `status`"),
                "write `status: open`, `in-progress`, `completed` or `archived`",
            ),
            Some((MilestoneStatus::Completed, span)) if !completed => push(
                span,
                format!("{name} is `completed` without a completion date"),
                "record the completion as a `complete` milestone change with its date",
            ),
            Some((value, span)) if emass == EmassStatus::Completed && !value.is_done() => push(
                span,
                format!("{name} is `{}` on a Completed item", value.name()),
                "every milestone of a Completed item is `completed` or `archived`",
            ),
            _ => {}
        }
    }
}
