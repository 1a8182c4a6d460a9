//! Two files carry the same item `id`.
//!
//! ## What it does
//! Reports every file whose `id` is also used by another file, pointing at the `id` in each
//! and naming the other locations (the first five, and how many more).
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

/// How many of the other files a finding names: each file's finding names the others, so
/// an id copied into 5,000 files named 25 million places (4.5 GB of JSON) when all were.
const NAMED: usize = 5;

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
                .take(NAMED)
                .collect();
            let mut names = others
                .iter()
                .map(|o| format!("{}:{}", o.file, o.start.line))
                .collect::<Vec<_>>()
                .join(", ");
            let unnamed = locations.len() - 1 - others.len();
            match unnamed {
                0 => {}
                1 => names.push_str(" and 1 other file"),
                n => names.push_str(&format!(" and {n} other files")),
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_names_five_other_files_and_counts_the_rest() {
        let files: Vec<SourceFile> = (0..8)
            .map(|n| SourceFile::new(format!("poams/V-1-{n}.yaml"), "id: V-1\n".into()))
            .collect();
        let sites: Vec<IdSite> = files
            .iter()
            .map(|file| IdSite {
                id: "V-1",
                file,
                span: Span::new(4, 7),
            })
            .collect();
        let found = check(&sites);
        assert_eq!(found.len(), 8);
        assert_eq!(
            found[0].message,
            "id `V-1` is also used by poams/V-1-1.yaml:1, poams/V-1-2.yaml:1, poams/V-1-3.yaml:1, poams/V-1-4.yaml:1, poams/V-1-5.yaml:1 and 2 other files"
        );
        assert_eq!(found[0].related.len(), 5);
        assert!(found[7]
            .message
            .ends_with("poams/V-1-4.yaml:1 and 2 other files"));
        // Two files: each names the other, nothing more.
        let two = check(&sites[..2]);
        assert_eq!(
            two[1].message,
            "id `V-1` is also used by poams/V-1-0.yaml:1"
        );
    }
}
