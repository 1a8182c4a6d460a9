//! Two entries of the people file have the same `id`.
//!
//! ## What it does
//! Reports each entry of the people file whose `id` an earlier entry already has, pointing at
//! the earlier one too. Items naming that id are checked against the first entry.
//!
//! ## Why it matters
//! `owner:` names an id. With two entries for one id, poam and every reader of the file
//! would pick one of two people (or a person and a team) as responsible.
//!
//! ## Example
//! ```yaml
//! - id: jdoe
//!   name: Jane Doe
//! - id: jdoe
//!   name: John Doe
//! ```
//!
//! ## How to fix
//! Give each person and team its own id, and update the items that named the second one.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column H (Point of Contact).

use crate::diag::Diagnostic;
use crate::people::{People, ProblemKind};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::PeopleDuplicateId,
    severity: Severity::Error,
    check: Check::Config,
    sets: &[RuleSet::Common],
};

pub fn check(people: &People, out: &mut Vec<Diagnostic>) {
    for problem in &people.problems {
        let ProblemKind::DuplicateId { first } = problem.kind else {
            continue;
        };
        let first = people.source.location(first);
        let line = first.start.line;
        out.push(
            Diagnostic {
                code: Code::PeopleDuplicateId,
                severity: Code::PeopleDuplicateId.default_severity(),
                item: None,
                location: people.source.location(problem.span),
                label: Some("duplicate id".into()),
                message: format!("{} (line {line})", problem.message),
                help: problem.help.clone().map(Into::into),
                related: Vec::new(),
                fix: None,
            }
            .with_related(first, "first defined here"),
        );
    }
}
