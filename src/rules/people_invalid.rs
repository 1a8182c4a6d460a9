//! The people file has an entry or value poam cannot use.
//!
//! ## What it does
//! Reports every problem in the people file (`people.yaml`) other than a repeated id: a file
//! that is not a list of entries, an entry that is not a mapping or has no `id`, an unknown
//! key (with "did you mean"), a value of the wrong shape, an `until` that is not a date, and a
//! team `members` entry that names no entry of the file. Entries that could be read are used
//! by the other rules.
//!
//! ## Why it matters
//! Owners are checked against this file. A silently skipped entry would make every item it
//! owns an `owner-unknown`; a misspelt `until` would hide a departed owner.
//!
//! ## Example
//! ```yaml
//! - id: jdoe
//!   mail: jane@example.com   # the key is `email`
//!   until: end of march      # not a date
//! ```
//!
//! ## How to fix
//! Correct the entry as the message says. Entries are `{id, name, email, roles, organization,
//! phone, until, github, keys}`; a team has `members` (ids of other entries).
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
    code: Code::PeopleInvalid,
    severity: Severity::Error,
    check: Check::Config,
    sets: &[RuleSet::Common],
};

pub fn check(people: &People, out: &mut Vec<Diagnostic>) {
    for problem in &people.problems {
        if problem.kind != ProblemKind::Invalid {
            continue;
        }
        out.push(Diagnostic {
            code: Code::PeopleInvalid,
            severity: Code::PeopleInvalid.default_severity(),
            item: None,
            location: people.source.location(problem.span),
            label: None,
            message: problem.message.clone(),
            help: problem.help.clone().map(Into::into),
            related: Vec::new(),
            fix: None,
        });
    }
}
