//! Likelihood or residual risk is not what the eMASS risk matrix gives.
//!
//! ## What it does
//! Under `dod-rmf`, computes `rmf.likelihood` from `rmf.relevance_of_threat` (row) and
//! `rmf.severity` (column), and `rmf.residual_risk` from the likelihood (row) and
//! `rmf.impact` (column), with the 5x5 matrix of the eMASS templates' Instructions; reports a
//! written value that differs, with the right value in the help.
//!
//! ## Why it matters
//! The templates compute both cells ("DO NOT CHANGE"); a hand-written value that disagrees is
//! a risk statement the assessor will not accept, and eMASS recomputes it on upload anyway.
//!
//! ## Example
//! ```yaml
//! rmf:
//!   relevance_of_threat: high
//!   severity: moderate
//!   likelihood: high        # the matrix gives moderate
//! ```
//!
//! ## How to fix
//! Write the value the help names (`likelihood: moderate`), or change the inputs if they were
//! wrong.
//!
//! ## Automatic fix
//! Unsafe (`--unsafe-fixes`): the value the matrix gives replaces the written one. It is
//! unsafe because the inputs may be what is wrong.
//!
//! ## FedRAMP reference
//! Not a FedRAMP rule: the eMASS POA&M templates' Instructions (Navy C1:I20, the same table as
//! NIST SP 800-30 Rev 1 Table I-2).

use crate::diag::{Diagnostic, Fix, FixValue, Safety};
use crate::model::rmf::Level;
use crate::model::{Sp, Span};
use crate::policy::dod::matrix;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::RmfMatrix,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Dod],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(rmf) = ctx.item.rmf.as_deref() else {
        return;
    };
    let value = |l: &Option<Sp<Level>>| l.as_ref().map(|l| l.value);
    let mut judge =
        |written: &Option<Sp<Level>>, key: &str, inputs: Option<(Level, Level)>, from: &str| {
            let (Some(written), Some((row, column))) = (written, inputs) else {
                return;
            };
            let right = matrix(row, column);
            if written.value != right {
                let span: Span = written.span;
                out.push(
                    ctx.report(
                        Code::RmfMatrix,
                        span,
                        format!(
                            "`{key}` is {} but the eMASS matrix gives {} for {from}",
                            written.value.label(),
                            right.label()
                        ),
                    )
                    .with_label(format!("should be {}", right.name()))
                    .with_help(format!("write `{key}: {}`", right.name()))
                    .with_fix(Fix::replace(
                        Safety::Unsafe,
                        format!("write `{key}: {}`", right.name()),
                        span,
                        FixValue::Text(right.name().to_owned()),
                    )),
                );
            }
        };
    let relevance = value(&rmf.relevance_of_threat);
    let severity = value(&rmf.severity);
    let likelihood_inputs = relevance.zip(severity);
    judge(
        &rmf.likelihood,
        "likelihood",
        likelihood_inputs,
        &likelihood_inputs.map_or(String::new(), |(r, s)| {
            format!(
                "relevance of threat {} and severity {}",
                r.label(),
                s.label()
            )
        }),
    );
    // The residual risk reads the likelihood the matrix gives when both are known.
    let likelihood = likelihood_inputs
        .map(|(r, s)| matrix(r, s))
        .or(value(&rmf.likelihood));
    let residual_inputs = likelihood.zip(value(&rmf.impact));
    judge(
        &rmf.residual_risk,
        "residual_risk",
        residual_inputs,
        &residual_inputs.map_or(String::new(), |(l, i)| {
            format!("likelihood {} and impact {}", l.label(), i.label())
        }),
    );
}
