//! The record of a document's evidence was changed or removed after it was added.
//!
//! ## What it does
//! Follows each `documents` entry that names a file (`path`) or an address (`url`) through
//! the item's history and reports a commit that changes its recorded `sha256` or `added`
//! date, or removes the entry, once it has been committed. A document is recognised by its
//! `path` (else its `url`); adding documents is always fine. Replacing an evidence file and
//! its recorded hash in one commit leaves `evidence-altered` quiet (file and record agree
//! again): this rule is what catches it. Works in full-history and `--base` mode.
//!
//! ## Why it matters
//! Git history is the chain of custody of evidence only while the hash recorded when a file
//! was added stays as it was: a new hash written over the old one, or an `added` date moved
//! back before the closing date, rewrites what the item claimed at the time.
//!
//! ## Example
//! ```yaml
//! documents:
//!   - {type: Remediation Evidence, name: rescan.txt, path: evidence/V-1/rescan.txt,
//!      sha256: 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae,  # was 9f86d0…
//!      added: 2026-11-02}
//! ```
//!
//! ## How to fix
//! Restore the entry (and the file) as they were committed, and add the new evidence as a new
//! document with `poam evidence add`. When the change was right (a document listed by
//! mistake), acknowledge it with a `history_waivers` entry that says why.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.2 (closing needs evidence the 3PAO can verify);
//! NIST SP 800-53 AU-10 (non-repudiation).

use crate::history::audit::Run;
use crate::model::{Node, Value};

use super::history::{list, Breach};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::EvidenceRewritten,
    severity: Severity::Error,
    check: Check::History(check),
    sets: &[RuleSet::Common],
};

const HELP: &str = "restore the entry as committed and add new evidence as a new document (`poam evidence add`); a `history_waivers` entry acknowledges a change that was right";

/// The fields of a document that are written once.
const WRITE_ONCE: &[&str] = &["sha256", "added"];

pub fn check(run: &Run, out: &mut Vec<Breach>) {
    for (at, before, after) in run.judged_pairs() {
        let new = list(after, "documents");
        for old in list(before, "documents") {
            let Some(key) = identity(old) else { continue };
            let found = new
                .iter()
                .enumerate()
                .find(|(_, doc)| identity(doc).as_ref() == Some(&key));
            let Some((index, doc)) = found else {
                let message = format!(
                    "document `{}` was removed: evidence once recorded stays in `documents`",
                    key.1
                );
                out.push(
                    Breach::new(
                        Code::EvidenceRewritten,
                        at,
                        "documents",
                        Some(old.to_json()),
                        None,
                    )
                    .message(message)
                    .help(HELP),
                );
                continue;
            };
            for field in WRITE_ONCE {
                let was = text(old, field);
                // A field recorded for the first time is no rewrite.
                if was.is_none() || was == text(doc, field) {
                    continue;
                }
                let value = |node: &Node| node.get(field).map(|e| e.value.to_json());
                let breach = Breach::new(
                    Code::EvidenceRewritten,
                    at,
                    format!("documents[{index}].{field}"),
                    value(old),
                    value(doc),
                );
                let message = format!(
                    "`{}` of document `{}` changed from {} to {}: it is written once, when the document is added",
                    field,
                    key.1,
                    breach.old_quoted(),
                    breach.new_quoted()
                );
                out.push(breach.message(message).help(HELP));
            }
        }
    }
}

/// What a document is recognised by across versions: its `path`, else its `url`.
fn identity(document: &Node) -> Option<(&'static str, String)> {
    ["path", "url"]
        .into_iter()
        .find_map(|key| text(document, key).map(|value| (key, value)))
}

/// A scalar field as trimmed text (a hash compared in lower case).
fn text(node: &Node, key: &str) -> Option<String> {
    let value = &node.get(key)?.value;
    let text = match &value.value {
        Value::Str(s) => s.trim().to_owned(),
        Value::Int(i) => i.to_string(),
        _ => return None,
    };
    if text.is_empty() {
        return None;
    }
    Some(if key == "sha256" {
        text.to_ascii_lowercase()
    } else {
        text
    })
}
