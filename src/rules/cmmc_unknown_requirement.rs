//! An item or the assessment names a requirement that NIST SP 800-171 Rev 2 does not have.
//!
//! ## What it does
//! Under `cmmc-l2`, reports an item whose `requirement` is not one of the 110 requirement ids
//! of NIST SP 800-171 Rev 2 (`3.1.1` to `3.14.7`), and a key of `results` or `partial` in
//! `assessment.yaml` that is not one. A Rev 3 id (`03.05.03`) or a CMMC practice id
//! (`IA.L2-3.5.3`) gets the Rev 2 id it means as a suggestion.
//!
//! ## Why it matters
//! CMMC Level 2 assesses the Rev 2 requirements and SPRS scores them; an item about an id
//! that does not exist plans nothing, its points cannot be counted, and the requirement it
//! meant stays unplanned.
//!
//! ## Example
//! ```yaml
//! requirement: 03.05.03   # Rev 3 numbering: Level 2 is Rev 2, `3.5.3`
//! ```
//!
//! ## How to fix
//! Write the Rev 2 id, as the requirement list in `docs/profiles/cmmc-l2.md` and
//! `data/cmmc/sp800-171-requirements.json` spell it.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Not FedRAMP: CMMC, 32 CFR 170.14(c)(3) (Level 2 is the 110 requirements of NIST SP 800-171
//! Rev 2).

use crate::diag::Diagnostic;
use crate::model::cmmc::CmmcAssessment;
use crate::model::Span;
use crate::policy::cmmc::{requirement, suggestion};

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::CmmcUnknownRequirement,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Cmmc],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(written) = &ctx.item.requirement else {
        return;
    };
    let id = written.value.trim();
    if id.is_empty() || requirement(id).is_some() {
        return;
    }
    out.push(
        ctx.report(
            Code::CmmcUnknownRequirement,
            written.span,
            format!("`{id}` is not a NIST SP 800-171 Rev 2 requirement"),
        )
        .with_help(help(id)),
    );
}

/// The keys of `results` and `partial` in `assessment.yaml` that name no requirement.
pub fn check_assessment(assessment: &CmmcAssessment, out: &mut Vec<Diagnostic>) {
    let keys = assessment
        .results
        .iter()
        .map(|(id, _)| id)
        .chain(assessment.partial.iter().map(|(id, _)| id));
    for id in keys {
        if requirement(&id.value).is_some() {
            continue;
        }
        out.push(report(
            assessment,
            id.span,
            format!("`{}` is not a NIST SP 800-171 Rev 2 requirement", id.value),
            help(&id.value),
        ));
    }
}

fn help(id: &str) -> String {
    match suggestion(id) {
        Some(s) => format!("did you mean `{s}`? CMMC Level 2 uses the Rev 2 ids, 3.1.1 to 3.14.7"),
        None => "CMMC Level 2 uses the Rev 2 ids, 3.1.1 to 3.14.7".to_owned(),
    }
}

fn report(assessment: &CmmcAssessment, span: Span, message: String, help: String) -> Diagnostic {
    Diagnostic {
        code: Code::CmmcUnknownRequirement,
        severity: Code::CmmcUnknownRequirement.default_severity(),
        item: None,
        location: assessment.source.location(span),
        label: None,
        message,
        help: Some(help.into()),
        related: Vec::new(),
        fix: None,
    }
}
