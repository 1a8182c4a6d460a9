//! An open likely exploitable vulnerability that is not internet-reachable is at N5: treat it
//! as a FedRAMP Reportable Incident.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports an open item whose current rating is LEV+NIRV at N5. A
//! warning for Class D (SHOULD), a note for Class B and C (MAY).
//!
//! ## Why it matters
//! FedRAMP expects such vulnerabilities to be handled as reportable incidents until they are
//! partially mitigated to N4 or below.
//!
//! ## Example
//! ```yaml
//! vdr: {evaluated: 2026-11-24, irv: false, lev: true, pain: 5}
//! ```
//!
//! ## How to fix
//! Follow the incident process, and mitigate to N4 or below (record the reduction).
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-TFR-NRI (MAY for Class B and C, SHOULD for Class D).

use crate::diag::Diagnostic;
use crate::policy::cr26::{incident_nirv_force, Force, Incident};

use super::{current_rating_span, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrIncidentNirv,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(v) = ctx
        .assessment
        .vdr
        .as_ref()
        .filter(|v| v.incident == Some(Incident::Nirv))
    else {
        return;
    };
    let Some(current) = v.current else { return };
    let (severity, verb) = match incident_nirv_force(v.class) {
        Force::May => (Severity::Note, "MAY"),
        Force::Should | Force::Must => (Code::VdrIncidentNirv.default_severity(), "SHOULD"),
    };
    out.push(
        ctx.report(
            Code::VdrIncidentNirv,
            current_rating_span(ctx.item, ctx.today),
            format!(
                "open {current} vulnerability: Class {} {verb} treat it as a FedRAMP Reportable Incident until partially mitigated to N4 or below",
                v.class.label()
            ),
        )
        .with_severity(severity)
        .with_help("follow the incident process and record the reduction to N4 or below"),
    );
}
