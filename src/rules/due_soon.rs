//! An open item is due within `due_soon_days`.
//!
//! ## What it does
//! Notes an open item whose `due` date is today or within `due_soon_days` (14 by default).
//!
//! ## Why it matters
//! A reminder before the item turns late, while there is still time to finish or to record a
//! vendor dependency.
//!
//! ## Example
//! ```yaml
//! status: open
//! due: 2026-12-01   # today is 2026-11-25: due in 6 days
//! ```
//!
//! ## How to fix
//! Nothing is wrong yet. Finish the work, or turn the rule off with `rules: {due-soon: off}`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §3: items past their timeframe are late.

use crate::diag::Diagnostic;
use crate::policy::days_between;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::DueSoon,
    severity: Severity::Note,
    check: Check::Item(check),
    sets: &[RuleSet::Rev5],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let Some(due) = item.due.as_ref().filter(|_| ctx.assessment.due_soon) else {
        return;
    };
    let left = days_between(ctx.today, due.value);
    {
        let when = if left == 0 {
            "today".to_owned()
        } else {
            format!("in {}", days(left))
        };
        out.push(
            ctx.report(
                Code::DueSoon,
                due.span,
                format!("open item is due {when} ({})", due.value),
            )
            .with_help("finish the remaining milestones before the due date"),
        );
    }
}
