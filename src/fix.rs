//! Applying the fixes rules attach to their findings (`poam lint --fix`, `--unsafe-fixes`,
//! `--diff`, and the language server's code actions).
//!
//! A fix is data on the finding ([`crate::diag::Fix`]): values to write in place of scalars
//! the parser read at given spans. This module finds each span's path in the item file and
//! writes the value through the item editor ([`crate::edit::ItemDocument`]), so comments,
//! quoting and layout stay, and an edit that would read back other than intended is refused.
//! A fix whose edits do not all apply is skipped whole.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Fix, FixValue, Safety};
use crate::edit::{EditError, ItemDocument, Key, NewValue};
use crate::model::{Node, Span, Value};
use crate::output::FolderSyncs;

/// The fix of `finding` that may be applied: safe ones always, unsafe ones when asked.
pub fn wanted(finding: &Diagnostic, unsafe_fixes: bool) -> Option<&Fix> {
    finding
        .fix
        .as_ref()
        .filter(|fix| fix.safety == Safety::Safe || unsafe_fixes)
}

/// Applies `fixes` to the document, each whole or not at all; returns how many applied.
pub fn apply(doc: &mut ItemDocument, fixes: &[&Fix]) -> usize {
    let mut applied = 0;
    for fix in fixes {
        let mut trial = doc.clone();
        let ok = fix.edits.iter().all(|edit| {
            // Spans are those of the text the rules read: found again in the current tree by
            // the original document, whose spans later edits have not moved.
            let Some(path) = path_to(doc.node(), edit.span) else {
                return false;
            };
            trial.set(&path, new_value(&edit.value)).is_ok()
        });
        if ok {
            *doc = trial;
            applied += 1;
        }
    }
    applied
}

/// The text of `text` (an item file at `path`) with `fixes` applied, and how many applied.
pub fn apply_to_text(
    path: &Path,
    text: &str,
    fixes: &[&Fix],
) -> Result<(String, usize), EditError> {
    let mut doc = ItemDocument::from_text(path.to_path_buf(), text.to_owned())?;
    let applied = apply_in_order(&mut doc, fixes);
    Ok((doc.text().to_owned(), applied))
}

fn new_value(value: &FixValue) -> NewValue {
    match value {
        FixValue::Text(text) => NewValue::Str(text.clone()),
        FixValue::Date(date) => NewValue::Date(*date),
    }
}

/// [`apply`], last span first: a later fix's span is found in the text before the earlier
/// fixes moved it. Fixes that apply together are written as one edit: one parse and check
/// of the file rather than one per fix (10,000 fixes in one item took 14 s one by one, each
/// parsing the whole file again).
fn apply_in_order(doc: &mut ItemDocument, fixes: &[&Fix]) -> usize {
    if fixes.len() > 1 {
        let edits: Option<Vec<(Vec<Key>, NewValue)>> = fixes
            .iter()
            .flat_map(|fix| &fix.edits)
            .map(|edit| Some((path_to(doc.node(), edit.span)?, new_value(&edit.value))))
            .collect();
        if edits.is_some_and(|edits| doc.set_all(&edits).is_ok()) {
            return fixes.len();
        }
    }
    let mut ordered: Vec<&Fix> = fixes.to_vec();
    ordered.sort_by_key(|fix| std::cmp::Reverse(fix.edits.first().map_or(0, |e| e.span.start)));
    let mut applied = 0;
    for fix in ordered {
        applied += apply(doc, &[fix]);
    }
    applied
}

/// One item file the fixes changed (or would change).
#[derive(Debug)]
pub struct FileFix {
    /// The file's name as findings give it.
    pub name: String,
    pub before: String,
    pub after: String,
    /// How many findings' fixes applied.
    pub applied: usize,
}

/// Applies the wanted fixes of `findings` to their files (named relative to `root`), in
/// parallel, each file locked, read, edited and (when `write`) written atomically. Files
/// whose fixes all failed to apply are left out; a file that cannot be read or written is an
/// error.
pub fn fix_files(
    root: &Path,
    findings: &[Diagnostic],
    unsafe_fixes: bool,
    write: bool,
) -> Result<Vec<FileFix>, EditError> {
    let mut by_file: BTreeMap<&str, Vec<&Fix>> = BTreeMap::new();
    for finding in findings {
        if let Some(fix) = wanted(finding, unsafe_fixes) {
            by_file
                .entry(finding.location.file.as_str())
                .or_default()
                .push(fix);
        }
    }
    let files: Vec<(&str, Vec<&Fix>)> = by_file.into_iter().collect();
    // One sync per folder after all the saves, not one per file.
    let folder_syncs = FolderSyncs::new();
    let results: Vec<Result<Option<FileFix>, EditError>> = files
        .par_iter()
        .map(|(name, fixes)| {
            let path = root.join(name);
            let mut doc = ItemDocument::open(&path)?;
            let before = doc.text().to_owned();
            let applied = apply_in_order(&mut doc, fixes);
            if applied == 0 || doc.text() == before {
                return Ok(None);
            }
            if write {
                doc.save_deferring_folder_sync(&folder_syncs)?;
            }
            Ok(Some(FileFix {
                name: (*name).to_owned(),
                after: doc.text().to_owned(),
                before,
                applied,
            }))
        })
        .collect();
    // The files written before a failure are synced too.
    let synced = folder_syncs
        .sync()
        .map_err(|(path, source)| EditError::Write { path, source });
    let mut fixed = Vec::new();
    for result in results {
        if let Some(file) = result? {
            fixed.push(file);
        }
    }
    synced?;
    Ok(fixed)
}

/// The path of keys and list positions to the node whose value spans exactly `span`.
pub fn path_to(node: &Node, span: Span) -> Option<Vec<Key>> {
    let mut path = Vec::new();
    find(node, span, &mut path).then_some(path)
}

fn find(node: &Node, span: Span, path: &mut Vec<Key>) -> bool {
    if node.span == span && !matches!(node.value, Value::Seq(_) | Value::Map(_)) {
        return true;
    }
    if node.span.start > span.start || node.span.end < span.end {
        return false;
    }
    match &node.value {
        Value::Map(entries) => entries.iter().any(|entry| {
            path.push(Key::Name(entry.key.clone()));
            let found = find(&entry.value, span, path);
            if !found {
                path.pop();
            }
            found
        }),
        Value::Seq(items) => items.iter().enumerate().any(|(index, item)| {
            path.push(Key::Index(index));
            let found = find(item, span, path);
            if !found {
                path.pop();
            }
            found
        }),
        _ => false,
    }
}

/// A unified diff of what the fixes change in one file (`--diff`), `a/` and `b/` before its
/// name as git writes them.
pub fn unified_diff(file: &FileFix) -> String {
    similar::TextDiff::from_lines(&file.before, &file.after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{}", file.name), &format!("b/{}", file.name))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FixEdit;

    fn fix(span: Span, value: FixValue) -> Fix {
        Fix {
            safety: Safety::Safe,
            title: String::new(),
            edits: vec![FixEdit { span, value }],
        }
    }

    #[test]
    fn fixes_write_through_the_editor_keeping_comments_and_layout() {
        let text = "id: V-1\n# reviewed\ncontrols: [\"ac-2 (1)\", SC-8]  # as scanned\nstatus: Open\nstatus_date: 2026/11/05\n";
        let at = |needle: &str| {
            let start = text.find(needle).unwrap_or(0);
            Span::new(start, start + needle.len())
        };
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap_or_default();
        let fixes = [
            fix(at("\"ac-2 (1)\""), FixValue::Text("AC-2(1)".into())),
            fix(at("Open"), FixValue::Text("open".into())),
            fix(at("2026/11/05"), FixValue::Date(date)),
        ];
        let refs: Vec<&Fix> = fixes.iter().collect();
        let (after, applied) = apply_to_text(Path::new("V-1.yaml"), text, &refs).expect("parses");
        assert_eq!(applied, 3);
        assert_eq!(
            after,
            // The editor drops quotes the new value does not need.
            "id: V-1\n# reviewed\ncontrols: [AC-2(1), SC-8]  # as scanned\nstatus: open\nstatus_date: 2026-11-05\n"
        );
    }

    #[test]
    fn a_fix_at_a_span_of_no_scalar_is_skipped() {
        let text = "id: V-1\nstatus: open\n";
        let stray = fix(Span::new(0, 4), FixValue::Text("x".into()));
        let (after, applied) =
            apply_to_text(Path::new("V-1.yaml"), text, &[&stray]).expect("parses");
        assert_eq!((after.as_str(), applied), (text, 0));
    }
}
