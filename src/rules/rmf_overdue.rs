//! An open DoD RMF item is past its deadline, or its risk acceptance has expired.
//!
//! ## What it does
//! Under `dod-rmf`, reports an open item that is not risk accepted and is past its scheduled
//! completion date (`due`), or, without `due`, past its category's deadline (detection + the
//! CAT I/II/III days of `deadlines:`, capped by the IAVA comply-by or KEV due date); and a
//! risk-accepted item whose `rmf.risk_accepted.expires` has passed.
//!
//! ## Why it matters
//! Late CAT I items and missed IAVA comply-by dates are what an authorizing official and
//! the component's cybersecurity service provider look at first; an expired acceptance is an
//! unaccepted risk.
//!
//! ## Example
//! ```yaml
//! status: open
//! due: 2026-10-01      # today is 2026-11-25
//! ```
//!
//! ## How to fix
//! Remediate and close the item, move `due` with a recorded reason, or renew the acceptance.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Not a FedRAMP rule: the CAT days are configuration (C-PAT's 30/180/365 by default); IAVAs
//! carry their own comply-by dates.

use crate::diag::Diagnostic;
use crate::policy::days_between;
use crate::policy::dod::EmassStatus;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::RmfOverdue,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Dod],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let a = ctx.assessment;
    let (Some(rmf), true) = (&a.rmf, a.open) else {
        return;
    };
    let item = ctx.item;
    if rmf.status == EmassStatus::RiskAccepted {
        if let (Some(expires), true) = (rmf.accepted_until, rmf.acceptance_expired) {
            let span = item
                .rmf
                .as_ref()
                .and_then(|r| r.risk_accepted.as_ref())
                .and_then(|r| r.expires.as_ref())
                .map_or(item.span, |e| e.span);
            out.push(
                ctx.report(
                    Code::RmfOverdue,
                    span,
                    format!(
                        "the risk acceptance expired {} ago ({expires})",
                        days(days_between(expires, ctx.today))
                    ),
                )
                .with_label("expired")
                .with_help("renew the acceptance with the authorizing official, or plan the fix"),
            );
        }
        return;
    }
    if let Some(due) = &item.due {
        if due.value < ctx.today {
            out.push(
                ctx.report(
                    Code::RmfOverdue,
                    due.span,
                    format!(
                        "open item is overdue: its scheduled completion date {} passed {} ago",
                        due.value,
                        days(days_between(due.value, ctx.today))
                    ),
                )
                .with_label("past due")
                .with_help(
                    "remediate and close the item, or move `due` with the approval recorded",
                ),
            );
        }
        return;
    }
    let Some(deadline) = a.policy_deadline.filter(|d| d.date < ctx.today) else {
        return;
    };
    let why = match (deadline.kev_bound, rmf.iava_comply_by) {
        (true, Some(iava)) if iava == deadline.date => "the IAVA comply-by date".to_owned(),
        (true, _) => "the KEV due date".to_owned(),
        (false, _) => format!(
            "{} days for {}",
            deadline.days,
            rmf.cat.map_or("the category", |c| c.label())
        ),
    };
    out.push(
        ctx.report(
            Code::RmfOverdue,
            deadline.rating.span,
            format!(
                "open item is past its deadline {} ({why}) by {}",
                deadline.date,
                days(days_between(deadline.date, ctx.today))
            ),
        )
        .with_label("deadline passed")
        .with_help(
            "remediate and close the item, or plan it with a `due` date the approver accepts",
        ),
    );
}
