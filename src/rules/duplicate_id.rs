//! Two files carry the same item `id`.
//!
//! ## What it does
//! Reports every file whose `id` is also used by another file, pointing at the `id` in each
//! and naming the other locations.
//!
//! ## Why it matters
//! The POA&M ID identifies a weakness for its whole life. Two items with one id make the
//! history, the exports and the agency's tracking ambiguous.
//!
//! ## Example
//! ```yaml
//! # poams/V-1.yaml and poams/old/V-1.yaml both say:
//! id: V-1
//! ```
//!
//! ## How to fix
//! Give one of them a new id (and file name). If both describe the same weakness on the same
//! assets, merge them and keep the earlier detection date.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column A: a unique identifier for each POA&M item.

use crate::diag::{Diagnostic, Location, SourceFile};
use crate::model::Span;

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::DuplicateId,
    severity: Severity::Error,
    check: Check::Files,
    sets: &[RuleSet::Common],
};

/// One item's id and where it is written.
pub struct IdSite<'a> {
    pub id: &'a str,
    pub file: &'a SourceFile,
    pub span: Span,
}

pub fn check(sites: &[IdSite]) -> Vec<Diagnostic> {
    // By id, each id's sites in the order given (a stable sort).
    let mut by_id: Vec<&IdSite> = sites.iter().collect();
    by_id.sort_by(|a, b| a.id.cmp(b.id));
    let mut out = Vec::new();
    for group in by_id.chunk_by(|a, b| a.id == b.id).filter(|g| g.len() > 1) {
        let id = group[0].id;
        // Located only here: nearly every id is unique, and locating costs a line lookup.
        let locations: Vec<Location> = group.iter().map(|s| s.file.location(s.span)).collect();
        for (index, location) in locations.iter().enumerate() {
            let others: Vec<&Location> = locations
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != index)
                .map(|(_, l)| l)
                .collect();
            let names = others
                .iter()
                .map(|o| format!("{}:{}", o.file, o.start.line))
                .collect::<Vec<_>>()
                .join(", ");
            let mut diagnostic = Diagnostic {
                code: Code::DuplicateId,
                severity: Code::DuplicateId.default_severity(),
                item: Some(id.to_owned()),
                location: location.clone(),
                label: Some("duplicate id".into()),
                message: format!("id `{id}` is also used by {names}"),
                help: Some("every item needs its own id; merge the items or renumber one".into()),
                related: Vec::new(),
                fix: None,
            };
            for other in others {
                diagnostic =
                    diagnostic.with_related(other.clone(), format!("`{id}` is also defined here"));
            }
            out.push(diagnostic);
        }
    }
    out
}
