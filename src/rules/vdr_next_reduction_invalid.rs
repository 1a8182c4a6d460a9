//! The planned next reduction is incomplete, does not lower the rating, or is dated before
//! the last one.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports a `vdr.next_reduction` without `at` or `pain`, with a `pain`
//! outside 1-5 or not lower than the current N-rating, or with `at` before the last recorded
//! reduction (or the evaluation).
//!
//! ## Why it matters
//! The report's projected next reduction must be a real reduction in the future of the
//! vulnerability's history.
//!
//! ## Example
//! ```yaml
//! vdr:
//!   pain: 3
//!   next_reduction: {at: 2026-12-05, pain: 3}   # not lower
//! ```
//!
//! ## How to fix
//! Plan a strictly lower N-rating at a time after the last reduction.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-RPT-VDT item 8 (MUST): estimated time and target N-rating of the next reduction.

use crate::diag::Diagnostic;
use crate::policy::cr26::valid_pain;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrNextReductionInvalid,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(v) = &ctx.assessment.vdr else { return };
    let Some(vdr) = &ctx.item.vdr else { return };
    let Some(next) = &vdr.next_reduction else {
        return;
    };
    let item = ctx.item;
    let missing: Vec<&str> = [("at", next.at.is_none()), ("pain", next.pain.is_none())]
        .into_iter()
        .filter(|(key, absent)| *absent && !item.is_invalid(&format!("vdr.next_reduction.{key}")))
        .map(|(key, _)| key)
        .collect();
    if !missing.is_empty() {
        out.push(
            ctx.report(
                Code::VdrNextReductionInvalid,
                super::first_line(&ctx.file.text, next.span),
                format!("`next_reduction` has no `{}`", missing.join("` or `")),
            )
            .with_help("write `next_reduction: {at: <date>, pain: <lower rating>}`"),
        );
    }
    if let Some(pain) = &next.pain {
        match (valid_pain(pain.value), v.current) {
            (None, _) => out.push(
                ctx.report(
                    Code::VdrNextReductionInvalid,
                    pain.span,
                    format!(
                        "next_reduction pain {} is not a PAIN N-rating: ratings are 1 to 5",
                        pain.value
                    ),
                )
                .with_help("write the target N-rating, 1 to 5"),
            ),
            (Some(target), Some(current)) if target >= current.pain => out.push(
                ctx.report(
                    Code::VdrNextReductionInvalid,
                    pain.span,
                    format!(
                        "next_reduction to N{target} is not lower than the current rating {current}"
                    ),
                )
                .with_help(format!("plan a rating below N{}", current.pain)),
            ),
            _ => {}
        }
    }
    if let (Some(at), Some(since)) = (&next.at, v.current_since) {
        if at.value.at < since.at {
            out.push(
                ctx.report(
                    Code::VdrNextReductionInvalid,
                    at.span,
                    format!(
                        "next_reduction at {} is before the current rating was reached ({since})",
                        at.value
                    ),
                )
                .with_help("plan the next reduction after the last one"),
            );
        }
    }
}
