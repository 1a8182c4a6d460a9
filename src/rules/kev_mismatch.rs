//! A CVE is in CISA's KEV catalog but `kev_due` is missing or differs from its due date.
//!
//! ## What it does
//! With `kev_catalog` set in `poam.yaml`, looks up every CVE in `cves`. When any is in the
//! catalog, `kev_due` must equal the catalog's `dueDate` (the earliest one, when several CVEs
//! are listed).
//!
//! ## Why it matters
//! Known exploited vulnerabilities have binding due dates that can be shorter than FedRAMP's
//! 30 days, and they supersede the FedRAMP timeframe.
//!
//! ## Example
//! ```yaml
//! cves: [CVE-2021-44228]   # KEV due date 2021-12-24
//! # kev_due missing
//! ```
//!
//! ## How to fix
//! Set `kev_due` to the catalog's due date.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template columns AB–AC (BOD 22-01 tracking and due date); Rev5 baseline
//! RA-5(d): the KEV remediation date supersedes.

use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::KevMismatch,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(kev) = ctx.kev else { return };
    let Some(cves) = &ctx.item.cves else { return };
    let listed = cves
        .value
        .iter()
        .filter_map(|cve| kev.due_dates.get(&cve.value).map(|due| (cve, *due)))
        .min_by_key(|(_, due)| *due);
    let Some((cve, catalog_due)) = listed else {
        return;
    };
    match &ctx.item.kev_due {
        None => out.push(
            ctx.report(
                Code::KevMismatch,
                cve.span,
                format!(
                    "{} is in the KEV catalog (due {catalog_due}) but `kev_due` is missing",
                    cve.value
                ),
            )
            .with_help(format!("add `kev_due: {catalog_due}`")),
        ),
        Some(due) if due.value != catalog_due => out.push(
            ctx.report(
                Code::KevMismatch,
                due.span,
                format!(
                    "kev_due {} differs from the KEV catalog's due date {catalog_due} for {}",
                    due.value, cve.value
                ),
            )
            .with_help(format!("set `kev_due: {catalog_due}`")),
        ),
        Some(_) => {}
    }
}
