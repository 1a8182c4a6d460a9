//! A recorded reduction is incomplete, precedes the evaluation, is out of order, does not
//! lower the rating, or lies in the future.
//!
//! ## What it does
//! Under `fedramp-cr26`, checks every entry of `vdr.reductions`: it needs `at` and `pain`
//! (1-5); `at` must not be before `vdr.evaluated`, before the previous reduction, or after
//! today; `pain` must be strictly lower than the rating before it. Reductions on an item that
//! was never evaluated are reported too.
//!
//! ## Why it matters
//! Reductions are the report's "completed and evaluated" history and set the current rating
//! every deadline is looked up with; a wrong one moves deadlines silently.
//!
//! ## Example
//! ```yaml
//! vdr:
//!   evaluated: 2026-11-12
//!   pain: 3
//!   reductions:
//!     - {at: 2026-11-10, pain: 2}   # before the evaluation
//! ```
//!
//! ## How to fix
//! Correct the entry, or remove it if the reduction did not happen (yet).
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-RPT-VDT item 7 (MUST): time and N-rating of each completed and evaluated reduction;
//! FRD-PMV (partially mitigated: a lower N-rating).

use crate::diag::Diagnostic;
use crate::model::vdr::Moment;
use crate::policy::cr26::valid_pain;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrReductionInvalid,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let Some(vdr) = &item.vdr else { return };
    let evaluated = vdr.evaluated.as_ref().map(|e| e.value);
    let mut previous_pain = vdr.pain.as_ref().and_then(|p| valid_pain(p.value));
    let mut previous_at: Option<Moment> = None;
    for (i, reduction) in vdr.reductions().iter().enumerate() {
        let mut report = |span, message: String, help: &str| {
            out.push(
                ctx.report(Code::VdrReductionInvalid, span, message)
                    .with_help(help.to_owned()),
            );
        };
        let here = format!("reductions[{i}]");
        let Some(evaluated) = evaluated else {
            report(
                super::first_line(&ctx.file.text, reduction.span),
                format!("{here} is recorded but the vulnerability was never evaluated"),
                "record `vdr.evaluated` with `irv`, `lev` and `pain` first",
            );
            continue;
        };
        let missing: Vec<&str> = [
            ("at", reduction.at.is_none()),
            ("pain", reduction.pain.is_none()),
        ]
        .into_iter()
        .filter(|(key, absent)| *absent && !item.is_invalid(&format!("vdr.{here}.{key}")))
        .map(|(key, _)| key)
        .collect();
        if !missing.is_empty() {
            report(
                super::first_line(&ctx.file.text, reduction.span),
                format!("{here} has no `{}`", missing.join("` or `")),
                "a reduction records when it was completed (`at`) and the N-rating it reached (`pain`)",
            );
        }
        if let Some(at) = &reduction.at {
            if at.value.at < evaluated.at {
                report(
                    at.span,
                    format!(
                        "{here} at {} is before the evaluation {evaluated}",
                        at.value
                    ),
                    "reductions follow the evaluation; correct the date",
                );
            } else if let Some(prev) = previous_at.filter(|p| at.value.at < p.at) {
                report(
                    at.span,
                    format!(
                        "{here} at {} is before the previous reduction at {prev}",
                        at.value
                    ),
                    "list reductions in the order they were completed",
                );
            }
            if at.value.date() > ctx.today {
                report(
                    at.span,
                    format!(
                        "{here} at {} is in the future (today {})",
                        at.value, ctx.today
                    ),
                    "record a reduction once it is completed; plan it in `next_reduction`",
                );
            }
            previous_at = Some(at.value);
        }
        if let Some(pain) = &reduction.pain {
            match valid_pain(pain.value) {
                None => report(
                    pain.span,
                    format!(
                        "{here} pain {} is not a PAIN N-rating: ratings are 1 to 5",
                        pain.value
                    ),
                    "write the N-rating reached, 1 to 5",
                ),
                Some(p) => {
                    if let Some(before) = previous_pain.filter(|b| p >= *b) {
                        report(
                            pain.span,
                            format!(
                                "{here} to N{p} is not lower than the rating before it, N{before}"
                            ),
                            "a reduction reaches a strictly lower N-rating",
                        );
                    }
                    previous_pain = Some(p);
                }
            }
        }
    }
}
