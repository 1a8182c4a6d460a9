//! `owner` names no person or team of the people file.
//!
//! ## What it does
//! When the repository has a people file (`people.yaml` beside `poam.yaml`, or the file
//! `people:` names), reports an item whose `owner` is not the `id` of one of its entries. The
//! help suggests the nearest id, or the id of the entry whose `name` the owner text contains
//! (`owner: Jane Doe - Platform Team` → `jdoe`). Without a people file `owner` stays free
//! text and this rule is quiet. An id among an entry's `aliases` (a renamed person) resolves
//! to that entry; an id that git history shows was removed from the file is reported by
//! `owner-departed` instead.
//!
//! ## Why it matters
//! Defining people once lets a departed owner or a renamed team be fixed in one place, and
//! lets poam warn about owners who left (`owner-departed`). An owner that matches no entry
//! escapes both: it is a typo or a person nobody registered, and the authorizing official
//! cannot tell who is responsible.
//!
//! ## Example
//! ```yaml
//! owner: platfrom-team   # people.yaml defines platform-team
//! ```
//!
//! ## How to fix
//! Write the id of the person or team (`owner: platform-team`), or add an entry for them to
//! the people file.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column H (Point of Contact): the person or role
//! the authorizing official holds responsible; required for every item.

use crate::diag::Diagnostic;
use crate::people::Suggestion;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::OwnerUnknown,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let (Some(people), Some(owner)) = (ctx.people, &ctx.item.owner) else {
        return;
    };
    let id = owner.value.trim();
    // An empty owner is `missing-field`'s; one the history removed is `owner-departed`'s.
    if id.is_empty() || people.get(id).is_some() || people.removal(id).is_some() {
        return;
    }
    let help = match people.suggest(id) {
        Suggestion::ByName { id, name } => format!("`{id}` is {name}: write `owner: {id}`"),
        Suggestion::Nearest(near) => format!("did you mean `{near}`?"),
        Suggestion::None => format!(
            "write the id of a person or team of {}, or add an entry for them there",
            people.source.name
        ),
    };
    out.push(
        ctx.report(
            Code::OwnerUnknown,
            owner.span,
            format!(
                "owner `{id}` is not a person or team of {}",
                people.source.name
            ),
        )
        .with_label("unknown owner")
        .with_help(help),
    );
}
