//! A requirement the assessment found NOT MET has no item on the POA&M.
//!
//! ## What it does
//! Under `cmmc-l2`, reports each requirement written as `not-met` in `assessment.yaml` that
//! no item names in its `requirement` (an open item plans it; a closed one has done it and
//! waits for the closeout assessment). Quiet under `level: 1`, where no POA&M is allowed.
//!
//! ## Why it matters
//! Conditional CMMC status rests on a POA&M that covers every NOT MET requirement, and the
//! closeout assessment re-assesses exactly those (32 CFR 170.21). A requirement without an
//! item has no owner, no milestones and no plan to be met within the 180 days.
//!
//! ## Example
//! ```yaml
//! # assessment.yaml
//! results:
//!   "3.1.8": not-met    # and no item has `requirement: 3.1.8`
//! ```
//!
//! ## How to fix
//! Add an item (`poam new --title "…"`, then `requirement: 3.1.8`) with an owner and
//! milestones that close it before the closeout.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Not FedRAMP: CMMC, 32 CFR 170.21(a) (a POA&M for the requirements scored NOT MET).

use crate::diag::Diagnostic;
use crate::model::cmmc::{CmmcAssessment, Finding};
use crate::policy::cmmc::requirement;

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::CmmcUnplanned,
    severity: Severity::Error,
    check: Check::Config,
    sets: &[RuleSet::Cmmc],
};

/// `planned`: the requirement ids the items name (trimmed).
pub fn check(assessment: &CmmcAssessment, planned: &[&str], out: &mut Vec<Diagnostic>) {
    if assessment.level.is_some_and(|l| l.value == 1) {
        return;
    }
    for (id, finding) in &assessment.results {
        if finding.value != Finding::NotMet
            || requirement(&id.value).is_none()
            || planned.contains(&id.value.as_str())
        {
            continue;
        }
        out.push(Diagnostic {
            code: Code::CmmcUnplanned,
            severity: Code::CmmcUnplanned.default_severity(),
            item: None,
            location: assessment.source.location(id.span),
            label: None,
            message: format!("{} is NOT MET and no item plans it", id.value),
            help: Some(
                format!(
                    "add an item with `requirement: {}`, an owner and milestones before the closeout",
                    id.value
                )
                .into(),
            ),
            related: Vec::new(),
            fix: None,
        });
    }
}
