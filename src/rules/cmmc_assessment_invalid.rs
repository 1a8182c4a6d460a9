//! `assessment.yaml` has a key or value poam cannot use.
//!
//! ## What it does
//! Under `cmmc-l2`, reports every problem of the assessment file beside `poam.yaml`: a file
//! that does not parse or is not a mapping, an unknown key (with "did you mean"), a `level`
//! other than 1 or 2, a `kind` other than `self` or `c3pao`, a date that is not `YYYY-MM-DD`, a
//! result other than `met`, `not-met` or `not-applicable`, and a `partial` entry that is not
//! the requirement's own partial implementation or is given for a requirement that is not
//! written as `not-met`. What could be read is scored; the rest counts as not assessed.
//!
//! ## Why it matters
//! The SPRS score, Conditional eligibility and the closeout clock all come from this file. A
//! result that silently failed to read would make a requirement look unassessed (or a typo
//! in `not-met` look met), and the score would be wrong in the direction nobody checks.
//!
//! ## Example
//! ```yaml
//! level: 2
//! kind: c3pao
//! assessed: 2026-11-12
//! results:
//!   "3.1.1": notmet            # `not-met`
//! partial:
//!   "3.5.3": not-fips-validated   # 3.5.3's partial value is `remote-and-privileged-only`
//! ```
//!
//! ## How to fix
//! Correct the entry as the message says. The keys are `level`, `kind`, `assessed`,
//! `conditional_date`, `results` and `partial`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Not FedRAMP: CMMC, 32 CFR 170.24 (MET, NOT MET, NOT APPLICABLE) and the NIST SP 800-171 DoD
//! Assessment Methodology v1.2.1, Section 5.e (partial values of 3.5.3 and 3.13.11).

use crate::diag::Diagnostic;
use crate::model::cmmc::CmmcAssessment;

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::CmmcAssessmentInvalid,
    severity: Severity::Error,
    check: Check::Config,
    sets: &[RuleSet::Cmmc],
};

pub fn check(assessment: &CmmcAssessment, out: &mut Vec<Diagnostic>) {
    let problems = assessment
        .problems
        .iter()
        .map(|p| (p.span, p.message.clone(), p.help.clone()))
        .chain(
            crate::policy::cmmc::partial_problems(assessment)
                .into_iter()
                .map(|(span, message, help)| (span, message, Some(help))),
        );
    for (span, message, help) in problems {
        out.push(Diagnostic {
            code: Code::CmmcAssessmentInvalid,
            severity: Code::CmmcAssessmentInvalid.default_severity(),
            item: None,
            location: assessment.source.location(span),
            label: None,
            message,
            help: help.map(Into::into),
            related: Vec::new(),
            fix: None,
        });
    }
}
