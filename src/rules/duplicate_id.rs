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
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column A: a unique identifier for each POA&M item.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Location};

use super::Code;

/// One item's id and where it is written.
pub struct IdSite {
    pub id: String,
    pub location: Location,
}

pub fn check(sites: &[IdSite]) -> Vec<Diagnostic> {
    let mut by_id: BTreeMap<&str, Vec<&IdSite>> = BTreeMap::new();
    for site in sites {
        by_id.entry(site.id.as_str()).or_default().push(site);
    }
    let mut out = Vec::new();
    for (id, group) in by_id.into_iter().filter(|(_, g)| g.len() > 1) {
        for site in &group {
            let others: Vec<&&IdSite> =
                group.iter().filter(|o| !std::ptr::eq(**o, *site)).collect();
            let names = others
                .iter()
                .map(|o| format!("{}:{}", o.location.file, o.location.start.line))
                .collect::<Vec<_>>()
                .join(", ");
            let mut diagnostic = Diagnostic {
                code: Code::DuplicateId,
                severity: Code::DuplicateId.default_severity(),
                item: Some(id.to_owned()),
                location: site.location.clone(),
                label: Some("duplicate id".into()),
                message: format!("id `{id}` is also used by {names}"),
                help: Some("every item needs its own id; merge the items or renumber one".into()),
                related: Vec::new(),
            };
            for other in others {
                diagnostic = diagnostic.with_related(
                    other.location.clone(),
                    format!("`{id}` is also defined here"),
                );
            }
            out.push(diagnostic);
        }
    }
    out
}
