//! An evidence file's SHA-256 differs from the one the item records.
//!
//! ## What it does
//! Hashes the file each `documents` entry's `path` names and reports the entry when the
//! file's SHA-256 is not the `sha256` recorded beside it (`poam evidence add` records it).
//! The history rule `evidence-rewritten` checks the other half of the chain: that the
//! recorded hash itself is still the one recorded when the document was added.
//!
//! ## Why it matters
//! Closing evidence that can be swapped after the fact proves nothing. The hash recorded in
//! the item, in the same commit as the file, makes git history the chain of custody: a changed
//! byte in the file shows here.
//!
//! ## Example
//! ```yaml
//! documents:
//!   - {type: Remediation Evidence, name: rescan.txt, path: evidence/V-1/rescan.txt,
//!      sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, added: 2026-11-02}
//! # evidence/V-1/rescan.txt was edited since
//! ```
//!
//! ## How to fix
//! Restore the file as it was added (`git log -- evidence/V-1/rescan.txt` shows when it
//! changed). New evidence is a new document: add it with `poam evidence add` under another
//! name instead of editing the old one.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.2 (closing needs evidence the 3PAO can verify);
//! NIST SP 800-53 AU-10 (non-repudiation) and SI-7 (integrity).

use crate::diag::Diagnostic;
use crate::evidence::FileState;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::EvidenceAltered,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let (Some(files), Some(documents)) = (ctx.evidence, &ctx.item.documents) else {
        return;
    };
    for (i, document) in documents.value.iter().enumerate() {
        let (Some(path), Some(recorded)) = (&document.path, &document.sha256) else {
            continue;
        };
        let Some(FileState::Present { sha256 }) = files.get(&path.value) else {
            continue;
        };
        if *sha256 == recorded.value {
            continue;
        }
        out.push(
            ctx.report(
                Code::EvidenceAltered,
                recorded.span,
                format!(
                    "evidence file `{}` has SHA-256 {}, but `documents[{i}].sha256` records {}",
                    path.value,
                    short(sha256),
                    short(&recorded.value)
                ),
            )
            .with_label("recorded when the file was added")
            .with_help(format!(
                "restore the file as it was added (`git log -- {}`); new evidence is a new document (`poam evidence add`)",
                path.value
            )),
        );
    }
}

/// The first 12 hex digits: enough to tell two hashes apart in a message.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
