//! An open item's `owner` is a person whose `until` date has passed.
//!
//! ## What it does
//! Reports an open item whose `owner` is a people-file entry with an `until` date before
//! today: the person has left the organisation or the role. A team is never departed itself;
//! its members are not checked one by one.
//!
//! With git history (`poam lint` without `--no-history`), it also reports an open item whose
//! `owner` was an entry of the people file until a commit removed it, while no entry holds the
//! id now (neither as `id` nor among `aliases`): the finding names that commit, and
//! `owner-unknown` stays quiet about the id. Without history such an owner is simply unknown.
//!
//! ## Why it matters
//! Every POA&M item needs a point of contact the authorizing official can hold responsible.
//! An item owned by someone who left is an item nobody works on; it shows up late months
//! later.
//!
//! ## Example
//! ```yaml
//! # people.yaml
//! - id: tnguyen
//!   name: Tom Nguyen
//!   until: 2026-10-31
//! # poams/V-1005.yaml
//! owner: tnguyen
//! # or: people.yaml had `- id: rlee` until commit 3f2a9c1 removed it
//! owner: rlee
//! ```
//!
//! ## How to fix
//! Hand the item to someone else (`owner:` another id, or a team), or correct `until` if the
//! person is still responsible.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column H (Point of Contact).

use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::OwnerDeparted,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let (Some(people), Some(owner)) = (ctx.people, &ctx.item.owner) else {
        return;
    };
    if !ctx.item.is_open() {
        return;
    }
    let Some(person) = people.get(owner.value.trim()) else {
        if let Some(removal) = people.removal(owner.value.trim()) {
            let who = removal
                .name
                .as_deref()
                .map_or_else(String::new, |name| format!(" ({name})"));
            out.push(
                ctx.report(
                    Code::OwnerDeparted,
                    owner.span,
                    format!(
                        "owner `{}`{who} was removed from {} on {} (commit {})",
                        owner.value.trim(),
                        people.source.name,
                        removal.date,
                        removal.commit
                    ),
                )
                .with_label("departed owner")
                .with_help("hand the item to a current person or team"),
            );
        }
        return;
    };
    let Some(until) = person.until.as_ref().filter(|u| u.value < ctx.today) else {
        return;
    };
    let who = person.name.as_deref().unwrap_or(&person.id.value);
    let location = people.source.location(until.span);
    out.push(
        ctx.report(
            Code::OwnerDeparted,
            owner.span,
            format!(
                "owner `{}` ({who}) is responsible only until {}, before today ({})",
                person.id.value, until.value, ctx.today
            ),
        )
        .with_label("departed owner")
        .with_help("hand the item to a current person or team")
        .with_related(location, format!("`until: {}`", until.value)),
    );
}
