//! An open internet-reachable, likely exploitable vulnerability is above N3: treat it as a
//! FedRAMP Reportable Incident.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports an open item whose current rating is LEV+IRV at N4 or N5.
//! A warning for Class C and D (SHOULD), a note for Class B (MAY).
//!
//! ## Why it matters
//! FedRAMP expects such vulnerabilities to be handled as reportable incidents until they are
//! partially mitigated to N3 or below.
//!
//! ## Example
//! ```yaml
//! vdr: {evaluated: 2026-11-24, irv: true, lev: true, pain: 4}
//! ```
//!
//! ## How to fix
//! Follow the incident process, and mitigate to N3 or below (record the reduction).
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-TFR-IRI (MAY for Class B, SHOULD for Class C and D).

use crate::diag::Diagnostic;
use crate::policy::cr26::{incident_irv_force, Force, Incident};

use super::{current_rating_span, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrIncidentIrv,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(v) = ctx
        .assessment
        .vdr
        .as_ref()
        .filter(|v| v.incident == Some(Incident::Irv))
    else {
        return;
    };
    let Some(current) = v.current else { return };
    let force = incident_irv_force(v.class);
    let (severity, verb) = match force {
        Force::May => (Severity::Note, "MAY"),
        Force::Should | Force::Must => (Code::VdrIncidentIrv.default_severity(), "SHOULD"),
    };
    out.push(
        ctx.report(
            Code::VdrIncidentIrv,
            current_rating_span(ctx.item, ctx.today),
            format!(
                "open {current} vulnerability: Class {} {verb} treat it as a FedRAMP Reportable Incident until partially mitigated to N3 or below",
                v.class.label()
            ),
        )
        .with_severity(severity)
        .with_help("follow the incident process and record the reduction to N3 or below"),
    );
}
