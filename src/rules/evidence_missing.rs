//! A document's evidence file is not there.
//!
//! ## What it does
//! Reports a `documents` entry whose `path` names no regular file: nothing is there, a
//! folder or a symlink is there, a folder on the way is a symlink, or the file cannot be
//! read. Paths are relative to the folder of `poam.yaml`. A document kept outside the
//! repository (`url`, no `path`) is not checked: poam does not fetch it.
//!
//! ## Why it matters
//! A POA&M item that cites evidence nobody can open is not evidence: the 3PAO verifies
//! closure evidence at assessments and the authorizing official may ask for it at any time.
//! A symlink is refused because the file it points at has no history in the repository; so
//! is a file reached through a symlinked folder (`evidence -> /mnt/share`).
//!
//! ## Example
//! ```yaml
//! documents:
//!   - {type: Remediation Evidence, name: rescan.txt, path: evidence/V-1/rescan.txt,
//!      sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, added: 2026-11-02}
//! # evidence/V-1/rescan.txt was deleted
//! ```
//!
//! ## How to fix
//! Restore the file from git (`git checkout <commit> -- evidence/V-1/rescan.txt`), or, when
//! the document was listed by mistake, remove the entry (a history rule,
//! `evidence-rewritten`, then asks for the reason in a waiver).
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.2 (closing needs available evidence) and
//! column Y (Supporting Documents).

use crate::diag::Diagnostic;
use crate::evidence::FileState;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::EvidenceMissing,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let (Some(files), Some(documents)) = (ctx.evidence, &ctx.item.documents) else {
        return;
    };
    for (i, document) in documents.value.iter().enumerate() {
        let Some(path) = &document.path else { continue };
        let what = match files.get(&path.value) {
            Some(FileState::Missing) => "is not there".to_owned(),
            Some(FileState::NotAFile { what }) => format!("is {what}, not a file"),
            Some(FileState::Unreadable { reason }) => format!("cannot be read ({reason})"),
            Some(FileState::Present { .. }) | None => continue,
        };
        out.push(
            ctx.report(
                Code::EvidenceMissing,
                path.span,
                format!(
                    "`documents[{i}].path`: evidence file `{}` {what}",
                    path.value
                ),
            )
            .with_label("no evidence file here")
            .with_help("restore the file from git, or add it again with `poam evidence add`"),
        );
    }
}
