//! The assessment does not allow Conditional CMMC status.
//!
//! ## What it does
//! Under `cmmc-l2`, reports each reason 32 CFR 170.21 gives why a POA&M cannot lead to
//! Conditional status: a NOT MET requirement that may never be on a POA&M (3.1.20, 3.1.22,
//! 3.10.3, 3.10.4, 3.10.5), a NOT MET requirement worth more than 1 point (except 3.13.11 when
//! encryption is employed but not FIPS-validated), 3.12.4 NOT MET (without a system security
//! plan there is no score), a score below 88 (0.8 of 110), requirements with no result, and
//! `level: 1` with requirements NOT MET. Each points at the result that causes it; the score
//! and missing results point at `results`.
//!
//! ## Why it matters
//! Below these bars the contractor has no CMMC status at all until the requirements are met:
//! a POA&M does not help, and a contract that requires Level 2 cannot be awarded. Small SPRS
//! calculators get this wrong (e.g. giving credit for a plan of action); the DoD methodology
//! gives none.
//!
//! ## Example
//! ```yaml
//! results:
//!   "3.1.20": not-met    # external connections: never on a POA&M
//!   "3.5.3": not-met     # MFA: 5 points (3 with remote-and-privileged-only), over 1
//! ```
//!
//! ## How to fix
//! Meet the requirement before the assessment closes, or re-assess once it is met; `poam cmmc
//! score` shows the score and every reason.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Not FedRAMP: CMMC, 32 CFR 170.21(a)(1) and (a)(2); NIST SP 800-171 DoD Assessment
//! Methodology v1.2.1 (scores, 3.12.4).

use crate::diag::Diagnostic;
use crate::model::cmmc::CmmcAssessment;
use crate::model::Span;
use crate::policy::cmmc::{score, Reason};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::CmmcNotEligible,
    severity: Severity::Error,
    check: Check::Config,
    sets: &[RuleSet::Cmmc],
};

pub fn check(assessment: &CmmcAssessment, out: &mut Vec<Diagnostic>) {
    let score = score(assessment);
    let at = |id: &str| {
        score
            .deductions
            .iter()
            .find(|d| d.id == id)
            .map_or(assessment.anchor(), |d| d.span)
    };
    for reason in &score.reasons {
        let span: Span = match reason {
            Reason::LevelOne => assessment.level.map_or(assessment.anchor(), |l| l.span),
            Reason::NoSecurityPlan => at("3.12.4"),
            Reason::Excluded { id } | Reason::WorthMore { id, .. } => at(id),
            Reason::BelowMinimum { .. } | Reason::NotAssessed { .. } => assessment.anchor(),
        };
        let help = match reason {
            Reason::NotAssessed { .. } => format!(
                "write a result for every requirement: {}",
                abbreviated(&score.not_assessed)
            ),
            Reason::BelowMinimum { .. } => {
                "meet requirements until the score reaches 88; `poam cmmc score` lists what each costs"
                    .to_owned()
            }
            _ => "meet the requirement: it cannot wait on a POA&M".to_owned(),
        };
        out.push(Diagnostic {
            code: Code::CmmcNotEligible,
            severity: Code::CmmcNotEligible.default_severity(),
            item: None,
            location: assessment.source.location(span),
            label: None,
            message: format!("no Conditional status: {}", reason.text()),
            help: Some(help.into()),
            related: Vec::new(),
            fix: None,
        });
    }
}

/// The first ids of `ids` and how many more.
fn abbreviated(ids: &[&str]) -> String {
    const SHOWN: usize = 8;
    let mut text = ids
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        text.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    text
}
