//! A known exploited vulnerability was closed as anything but remediated, or is open past its
//! KEV due date.
//!
//! ## What it does
//! Under `fedramp-cr26`, for an item with `kev_due` or a CVE in the configured KEV catalog:
//! reports a closed item whose `vdr.disposition` is not `remediated`, and an open item whose
//! `kev_due` is before today, even when it is accepted.
//!
//! ## Why it matters
//! KEVs are to be remediated by CISA's due dates even if fully mitigated; acceptance does not
//! lift that.
//!
//! ## Example
//! ```yaml
//! kev_due: 2026-11-20      # today 2026-11-25
//! status: open
//! ```
//!
//! ## How to fix
//! Remediate the vulnerability (patch or remove the component) and close it as `remediated`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VDR-TFR-KEV (SHOULD): remediate KEVs by the catalog's due dates, even if fully mitigated,
//! as required by CISA BOD 26-04.

use crate::diag::Diagnostic;
use crate::model::vdr::Disposition;
use crate::policy::days_between;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrKevNotRemediated,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(v) = &ctx.assessment.vdr else { return };
    let item = ctx.item;
    let in_catalog = ctx.kev.is_some_and(|kev| {
        item.cves
            .iter()
            .flat_map(|c| c.value.iter())
            .any(|cve| kev.due_dates.contains_key(&cve.value))
    });
    if item.kev_due.is_none() && !in_catalog {
        return;
    }
    if item.is_closed() {
        let Some(disposition) = item
            .vdr
            .as_ref()
            .and_then(|vdr| vdr.disposition.as_ref())
            .filter(|d| d.value != Disposition::Remediated)
        else {
            return;
        };
        out.push(
            ctx.report(
                Code::VdrKevNotRemediated,
                disposition.span,
                format!(
                    "known exploited vulnerability closed as {}, not remediated",
                    disposition.value.name()
                ),
            )
            .with_help(
                "KEVs are remediated even if fully mitigated: patch or remove the component",
            ),
        );
        return;
    }
    if let (true, Some(kev_due)) = (v.kev_late, &item.kev_due) {
        let accepted = if v.accepted { " (accepted)" } else { "" };
        out.push(
            ctx.report(
                Code::VdrKevNotRemediated,
                kev_due.span,
                format!(
                    "open known exploited vulnerability{accepted} is past its KEV due date {}, by {} (today {})",
                    kev_due.value,
                    days(days_between(kev_due.value, ctx.today)),
                    ctx.today
                ),
            )
            .with_label("past KEV due date")
            .with_help("remediate it: acceptance does not lift the KEV due date"),
        );
    }
}
