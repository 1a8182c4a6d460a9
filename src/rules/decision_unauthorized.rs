//! A decision was made by someone who does not hold a role `approvals:` gives it to.
//!
//! ## What it does
//! With `approvals:` in `poam.yaml`, finds each change that makes a decision: closing an item
//! (`status` becomes `closed`, decision `close`), approving or rejecting a deviation (a
//! `deviations.<kind>.status` becomes `approved` or `rejected`, `deviation-decision`),
//! accepting a vulnerability (CR26 `vdr.accepted` or RMF `rmf.risk_accepted` recorded,
//! `accept`), moving `due` (`due-change`) and reopening (`closed` back to another status,
//! `reopen`); under `dod-rmf`, closing or risk-accepting an item that is CAT I before or after
//! the change is also a `cat-i` decision (default role `cat-i-approver`). An item's first
//! version is judged against nothing: a file added already closed or approved, or added back
//! under any name after a deletion, is the decision of the commit that added it. The commit that
//! made it must be by a person of the people file holding one of the decision's roles on the
//! commit's date (not after their `until`). Who that is depends on `approvals.signatures`:
//! `required` (the signer: a valid SSH or OpenPGP signature by a key listed under the person's
//! `keys:`, checked as `git verify-commit` checks it with an allowed-signers file), `author`
//! (the default: the person whose `email` is the commit's author email) or `off` (nobody is
//! checked). A signature by a person holding the role `merge-bot` (the key a forge signs its
//! squash merges with) stands for the commit's author. Full history judges every commit of the
//! branch; `--base` judges the commits of the pull request, naming the one from which the
//! decided value stayed as it is.
//!
//! ## Why it matters
//! A POA&M records decisions the authorizing official and the ISSO answer for: an item closed
//! as fixed, a risk adjustment approved, a deadline moved. Anyone with push access can write
//! `status: closed`; only a signature by a key of a person holding the role proves the right
//! person decided.
//!
//! ## Example
//! ```yaml
//! # poam.yaml
//! approvals:
//!   close: [isso]
//!   signatures: required
//! # commit by bob@example.com (role: engineer), unsigned
//! status: closed
//! ```
//!
//! ## How to fix
//! Have a person holding the role make (and sign) the change, e.g. by reviewing the pull
//! request and committing the decision themselves; for a decision made outside git, add a
//! `history_waivers` entry naming the commit and the reason. docs/approvals.md sets up SSH
//! commit signing, the keys of the people file and squash merges.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.2 and §2.5: closure and deviation requests are
//! approved by the AO; NIST SP 800-53 AU-10 (non-repudiation) and CM-5 (access restrictions
//! for change).

use crate::authority::Authority;
use crate::config::Decision;
use crate::history::audit::Run;
use crate::model::{Node, Value};
use crate::policy::Profile;

use super::history::{at_path, scalar, Breach};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::DecisionUnauthorized,
    severity: Severity::Error,
    check: Check::Decision(check),
    sets: &[RuleSet::Common],
};

/// The kinds of deviation whose `status` records a decision.
const DEVIATIONS: &[&str] = &[
    "risk_adjustment",
    "false_positive",
    "operational_requirement",
];

pub fn check(run: &Run, authority: &Authority, out: &mut Vec<Breach>) {
    let profile = authority.profile();
    // An item's first version is a decision too when it is written already decided (a file
    // added `status: closed`, or added again after a deletion under another name): judged
    // against nothing, so creating the file is no way around the gate.
    let first = run
        .steps
        .first()
        .filter(|step| step.judged)
        .map(|step| (0, None, step.node));
    let pairs = run
        .judged_pairs()
        .map(|(at, before, after)| (at, Some(before), after));
    for (at, before, after) in first.into_iter().chain(pairs) {
        for (decision, field, old, new) in decisions(profile, before, after) {
            let Some(version) = run.blame(at, &field) else {
                continue;
            };
            if let Err(refusal) = authority.judge(decision, &version.source) {
                out.push(
                    Breach::new(Code::DecisionUnauthorized, at, field, old, new)
                        .message(refusal.message)
                        .help(refusal.help),
                );
            }
        }
    }
}

type Found = (
    Decision,
    String,
    Option<serde_json::Value>,
    Option<serde_json::Value>,
);

/// The decisions the change from `before` (`None`: the item's first version) to `after`
/// makes, with the field and both values; then those `profile` adds (CAT I under `dod-rmf`).
fn decisions(profile: Profile, before: Option<&Node>, after: &Node) -> Vec<Found> {
    let mut out = Vec::new();
    let json = |node: Option<&Node>, keys: &[&str]| {
        node.and_then(|node| at_path(node, keys))
            .map(|n| n.to_json())
    };
    let status = |node: Option<&Node>| node.and_then(|node| scalar(node, &["status"]));
    let (old_status, new_status) = (status(before), status(Some(after)));
    let closed = Some("closed");
    if new_status.as_deref() == closed && old_status.as_deref() != closed {
        out.push((
            Decision::Close,
            "status".to_owned(),
            json(before, &["status"]),
            json(Some(after), &["status"]),
        ));
    }
    if old_status.as_deref() == closed && new_status.is_some() && new_status.as_deref() != closed {
        out.push((
            Decision::Reopen,
            "status".to_owned(),
            json(before, &["status"]),
            json(Some(after), &["status"]),
        ));
    }
    for kind in DEVIATIONS {
        let keys = ["deviations", kind, "status"];
        let new = scalar(after, &keys);
        let old = before.and_then(|node| scalar(node, &keys));
        if matches!(new.as_deref(), Some("approved" | "rejected")) && old != new {
            out.push((
                Decision::DeviationDecision,
                format!("deviations.{kind}.status"),
                json(before, &keys),
                json(Some(after), &keys),
            ));
        }
    }
    // CR26's acceptance and the RMF risk acceptance record the same decision.
    for keys in [["vdr", "accepted"], ["rmf", "risk_accepted"]] {
        if let Some(new) = recorded(after, &keys) {
            let changed = before
                .and_then(|node| recorded(node, &keys))
                .is_none_or(|old| old.to_json() != new.to_json());
            if changed {
                out.push((
                    Decision::Accept,
                    keys.join("."),
                    json(before, &keys),
                    Some(new.to_json()),
                ));
            }
        }
    }
    let due = |node: &Node| {
        at_path(node, &["due"])
            .filter(|n| !matches!(n.value, Value::Null))
            .map(|n| n.to_json())
    };
    if let Some(old) = before.and_then(due) {
        let new = due(after);
        if new.as_ref() != Some(&old) {
            out.push((Decision::DueChange, "due".to_owned(), Some(old), new));
        }
    }
    let common: Vec<(Decision, &str)> = out.iter().map(|(d, f, _, _)| (*d, f.as_str())).collect();
    let extra = crate::policy::profile_decisions(profile, before, after, &common);
    for (decision, field) in extra {
        let Some((_, _, old, new)) = out.iter().find(|(_, f, _, _)| *f == field) else {
            continue;
        };
        let (old, new) = (old.clone(), new.clone());
        out.push((decision, field, old, new));
    }
    out
}

/// `vdr.accepted` or `rmf.risk_accepted`, when recorded.
fn recorded<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    at_path(node, keys).filter(|n| !n.is_empty())
}

/// `close status `open` -> `closed``, for tests.
#[cfg(test)]
fn describe(found: &[Found]) -> Vec<String> {
    found
        .iter()
        .map(|(d, field, old, new)| {
            format!(
                "{} {field} {} -> {}",
                d.as_str(),
                super::history::quoted(old.as_ref()),
                super::history::quoted(new.as_ref())
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(text: &str) -> Node {
        crate::parse::parse_str(text).expect("parses")
    }

    fn profile(name: &str) -> Profile {
        Profile::from_name(name).expect("a profile")
    }

    /// The decisions of the change `before` -> `after` under the Rev5 profile.
    fn rev5(before: &Node, after: &Node) -> Vec<Found> {
        decisions(profile("fedramp-rev5"), Some(before), after)
    }

    #[test]
    fn each_decision_is_found_with_its_field() {
        let base = "id: A\nstatus: open\ndue: 2026-04-05\n";
        let found = |after: &str| describe(&rev5(&node(base), &node(after)));
        assert_eq!(
            found("id: A\nstatus: closed\ndue: 2026-04-05\n"),
            ["close status `open` -> `closed`"]
        );
        assert_eq!(
            found("id: A\nstatus: open\ndue: 2026-05-05\n"),
            ["due-change due `2026-04-05` -> `2026-05-05`"]
        );
        assert_eq!(
            found("id: A\nstatus: open\ndue: 2026-04-05\ndeviations:\n  risk_adjustment: {status: approved}\n"),
            ["deviation-decision deviations.risk_adjustment.status (absent) -> `approved`"]
        );
        assert_eq!(
            found("id: A\nstatus: open\ndue: 2026-04-05\nvdr:\n  accepted: {date: 2026-03-01, rationale: No fix.}\n"),
            ["accept vdr.accepted (absent) -> `{\"date\":\"2026-03-01\",\"rationale\":\"No fix.\"}`"]
        );
        let closed = "id: A\nstatus: closed\ndue: 2026-04-05\n";
        assert_eq!(
            describe(&rev5(&node(closed), &node(base))),
            ["reopen status `closed` -> `open`"]
        );
        // Near misses: a pending deviation, an unchanged approval, a due set for the first
        // time, a comment.
        assert!(found("id: A\nstatus: open\ndue: 2026-04-05\ndeviations:\n  risk_adjustment: {status: pending}\n").is_empty());
        let approved = "id: A\nstatus: open\ndue: 2026-04-05\ndeviations:\n  false_positive: {status: approved}\n";
        assert!(describe(&rev5(
            &node(approved),
            &node(&format!("{approved}comments: ok\n"))
        ))
        .is_empty());
        assert!(describe(&rev5(&node("id: A\nstatus: open\n"), &node(base))).is_empty());
        assert!(found(&format!("{base}comments: ok\n")).is_empty());
    }

    #[test]
    fn a_first_version_already_decided_is_a_decision() {
        let first = |text: &str| describe(&decisions(profile("fedramp-rev5"), None, &node(text)));
        assert_eq!(
            first("id: A\nstatus: closed\ndue: 2026-04-05\n"),
            ["close status (absent) -> `closed`"]
        );
        assert_eq!(
            first("id: A\nstatus: open\ndeviations:\n  false_positive: {status: approved}\n"),
            ["deviation-decision deviations.false_positive.status (absent) -> `approved`"]
        );
        assert_eq!(
            first("id: A\nstatus: open\nrmf:\n  risk_accepted: {date: 2026-03-01}\n"),
            ["accept rmf.risk_accepted (absent) -> `{\"date\":\"2026-03-01\"}`"]
        );
        // Near misses: an open item with a due date and a pending deviation decides nothing.
        assert!(first("id: A\nstatus: open\ndue: 2026-04-05\ndeviations:\n  false_positive: {status: pending}\n").is_empty());
    }

    #[test]
    fn a_cat_i_item_closed_or_accepted_is_a_cat_i_decision_under_dod_rmf() {
        let open = "id: A\nstatus: open\nrmf:\n  raw_severity: cat-i\n";
        let dod = |before: Option<&str>, after: &str| {
            let before = before.map(node);
            describe(&decisions(
                profile("dod-rmf"),
                before.as_ref(),
                &node(after),
            ))
        };
        assert_eq!(
            dod(
                Some(open),
                "id: A\nstatus: closed\nrmf:\n  raw_severity: cat-i\n"
            ),
            [
                "close status `open` -> `closed`",
                "cat-i status `open` -> `closed`"
            ]
        );
        // Lowering the severity in the same change does not escape it; nor does adding the
        // file already accepted.
        assert_eq!(
            dod(
                Some(open),
                "id: A\nstatus: closed\nrmf:\n  raw_severity: cat-iii\n"
            ),
            [
                "close status `open` -> `closed`",
                "cat-i status `open` -> `closed`"
            ]
        );
        assert_eq!(
            dod(None, "id: A\nstatus: open\nrmf:\n  raw_severity: very-high\n  risk_accepted: {date: 2026-03-01}\n"),
            [
                "accept rmf.risk_accepted (absent) -> `{\"date\":\"2026-03-01\"}`",
                "cat-i rmf.risk_accepted (absent) -> `{\"date\":\"2026-03-01\"}`"
            ]
        );
        // Near misses: a CAT II item closed, a CAT I item whose due moves, and a CAT I item
        // closed under another profile.
        assert_eq!(
            dod(
                Some("id: A\nstatus: open\nrmf:\n  raw_severity: cat-ii\n"),
                "id: A\nstatus: closed\nrmf:\n  raw_severity: cat-ii\n"
            ),
            ["close status `open` -> `closed`"]
        );
        assert_eq!(
            dod(
                Some("id: A\nstatus: open\ndue: 2026-04-05\nrmf:\n  raw_severity: cat-i\n"),
                "id: A\nstatus: open\ndue: 2026-05-05\nrmf:\n  raw_severity: cat-i\n"
            ),
            ["due-change due `2026-04-05` -> `2026-05-05`"]
        );
        assert_eq!(
            describe(&rev5(
                &node(open),
                &node("id: A\nstatus: closed\nrmf:\n  raw_severity: cat-i\n")
            )),
            ["close status `open` -> `closed`"]
        );
    }
}
