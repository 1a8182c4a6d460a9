//! The baseline file `poam-baseline.json`: the findings a repository had when it adopted poam,
//! which lint then reports as suppressed instead of failing on them.
//!
//! Each entry names the item (or, for a finding about no item, the file), the rule, a
//! fingerprint and the message, the date it was recorded and, for a deadline finding, the date
//! it expires. The fingerprint is a hash of the item, the rule and the message with every run
//! of digits replaced by `#`: it survives moved lines and unrelated edits (a finding has no
//! line in it) and the daily change of "overdue by 41 days", but not a change of what the
//! finding is about (another field, another control id written in letters). Entries are
//! matched to findings as a multiset: two identical findings need two entries.
//!
//! The file is written with a stable key order (the order of [`Entry`]'s fields) and entries
//! sorted by item, rule, fingerprint, so that a re-run changes only what changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::code::Code;
use crate::config::Config;
use crate::diag::{BaselineChange, Diagnostic};
use crate::error::Error;
use crate::model::Span;
use crate::source::SourceFile;

/// The baseline file's name, beside `poam.yaml` (in the items folder for a bare folder).
pub const FILE_NAME: &str = "poam-baseline.json";

/// The format version written in the file.
pub const VERSION: u32 = 1;

/// Where the baseline of this configuration lives.
pub fn path(config: &Config) -> PathBuf {
    config.root.join(FILE_NAME)
}

/// The document as written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub version: u32,
    pub entries: Vec<Entry>,
}

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The item id; for a finding about no item, the file it points into.
    pub item: String,
    /// The rule's code.
    pub rule: String,
    /// See the module documentation.
    pub fingerprint: String,
    /// The message when recorded, for the reader (not compared).
    pub message: String,
    /// When the entry was recorded.
    pub recorded: NaiveDate,
    /// The last day the entry suppresses its finding: deadline findings only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<NaiveDate>,
}

impl Entry {
    fn expired(&self, today: NaiveDate) -> bool {
        self.expires.is_some_and(|expires| expires < today)
    }
}

/// A baseline file read from disk or from a commit, with its text for locations.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub file: BaselineFile,
    pub source: SourceFile,
    /// A pull request's check: how the working tree's baseline differs from the base commit's
    /// (the one that applies), when it does.
    pub changed: Option<BaselineChange>,
}

/// Findings a baseline may not hold: those about the baseline and the waivers themselves.
pub fn baselinable(code: Code) -> bool {
    !matches!(
        code,
        Code::BaselineStale
            | Code::WaiverExpired
            | Code::WaiverUnknownItem
            | Code::WaiverUnmatched
            | Code::WaiverUnknownCommit
    )
}

/// Deadline findings: a late item, milestone, check-in or evaluation. The baseline holds them
/// only with an expiry, so it cannot hide a late item for ever.
pub fn is_deadline(code: Code) -> bool {
    matches!(
        code,
        Code::Overdue
            | Code::DueSoon
            | Code::MilestoneOverdue
            | Code::VendorCheckinStale
            | Code::VdrEvaluationLate
            | Code::VdrReductionLate
            | Code::VdrOverdueUnexplained
            | Code::VdrKevNotRemediated
            | Code::RmfOverdue
    )
}

/// The item (or file) a finding is recorded under.
fn subject(d: &Diagnostic) -> &str {
    d.item.as_deref().unwrap_or(&d.location.file)
}

/// The message with every run of ASCII digits replaced by `#`, and the plural `s` of the word
/// after a number dropped: "1 day ago" and "17 days ago" are the same finding on another day.
fn normalised(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut after_number = false;
    for (index, token) in message.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        let mut folded = String::with_capacity(token.len());
        let mut in_digits = false;
        for c in token.chars() {
            if c.is_ascii_digit() {
                if !in_digits {
                    folded.push('#');
                }
                in_digits = true;
            } else {
                folded.push(c);
                in_digits = false;
            }
        }
        if after_number {
            let word = folded.trim_end_matches(|c: char| !c.is_alphabetic()).len();
            if folded[..word].ends_with('s') {
                folded.remove(word - 1);
            }
        }
        after_number = folded.ends_with('#');
        out.push_str(&folded);
    }
    out
}

/// The finding's fingerprint: 16 hex digits of SHA-1 over item, rule and normalised message.
pub fn fingerprint(d: &Diagnostic) -> String {
    let mut hasher = Sha1::new();
    hasher.update(subject(d).as_bytes());
    hasher.update([0]);
    hasher.update(d.code.as_str().as_bytes());
    hasher.update([0]);
    hasher.update(normalised(&d.message).as_bytes());
    let digest = hasher.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// A baseline of every finding of a 10,000-item repository is a few megabytes.
const SIZE_LIMIT: crate::parse::SizeLimit =
    crate::parse::SizeLimit::new(64 * 1024 * 1024, "baseline files");

/// Reads the baseline file at `path` inside the work tree `root`, named `name` in findings;
/// `None` when there is none. Read as the repository's other files are: a link out of the
/// work tree (to `/dev/zero`, say) is refused, not read.
pub fn load(path: &Path, root: &Path, name: &str) -> Result<Option<Loaded>, Error> {
    match SIZE_LIMIT.read_inside(path, root) {
        Ok(bytes) => parse(bytes, name).map(Some),
        Err(crate::parse::ReadError::Io(err)) if err.kind() == std::io::ErrorKind::NotFound => {
            Ok(None)
        }
        Err(err) => Err(Error::Io {
            path: path.to_path_buf(),
            source: err.into_io(),
        }),
    }
}

/// Reads the text of a baseline file named `name`.
pub fn parse(bytes: Vec<u8>, name: &str) -> Result<Loaded, Error> {
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Refused(format!("{name}: the baseline file is not UTF-8 text")))?;
    let file: BaselineFile = serde_json::from_str(&text).map_err(|err| {
        Error::Refused(format!(
            "{name}:{}:{}: the baseline file cannot be read: {err}\n  help: run `poam baseline` to write it again",
            err.line(),
            err.column()
        ))
    })?;
    if file.version != VERSION {
        return Err(Error::Refused(format!(
            "{name}: baseline file version {} is not one this poam reads ({VERSION})",
            file.version
        )));
    }
    for entry in &file.entries {
        if Code::from_name(&entry.rule).is_none() {
            return Err(Error::Refused(format!(
                "{name}: baseline entry for `{}` names rule `{}`, which does not exist\n  help: run `poam baseline` to write it again",
                entry.item, entry.rule
            )));
        }
    }
    Ok(Loaded {
        file,
        source: SourceFile::new(name.to_owned(), text),
        changed: None,
    })
}

/// How findings and entries matched.
#[derive(Debug, Default)]
pub struct Matched {
    /// For each finding (same order), the entry it matched, if any.
    pub entry_of: Vec<Option<usize>>,
    /// For each entry, whether a finding matched it.
    pub used: Vec<bool>,
}

/// Matches findings to entries by fingerprint, each entry at most once.
pub fn match_entries(entries: &[Entry], diagnostics: &[Diagnostic]) -> Matched {
    let mut by_fingerprint: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, entry) in entries.iter().enumerate().rev() {
        by_fingerprint
            .entry(entry.fingerprint.as_str())
            .or_default()
            .push(index);
    }
    let mut used = vec![false; entries.len()];
    let entry_of = diagnostics
        .iter()
        .map(|d| {
            if !baselinable(d.code) {
                return None;
            }
            let index = by_fingerprint.get_mut(fingerprint(d).as_str())?.pop()?;
            // A fingerprint with another rule or item in it is not this finding's.
            let entry = &entries[index];
            if entry.rule != d.code.as_str() || entry.item != subject(d) {
                return None;
            }
            used[index] = true;
            Some(index)
        })
        .collect();
    Matched { entry_of, used }
}

/// What the baseline did to a list of findings.
#[derive(Debug, Default)]
pub struct Applied {
    pub kept: Vec<Diagnostic>,
    pub suppressed: Vec<Diagnostic>,
    /// `baseline-stale` findings for the entries nothing matched.
    pub stale: Vec<Diagnostic>,
}

/// Splits `diagnostics` into those the baseline suppresses (matched, not expired) and the
/// rest, and reports the entries nothing matched.
pub fn apply(
    config: &Config,
    baseline: &Loaded,
    diagnostics: Vec<Diagnostic>,
    today: NaiveDate,
) -> Applied {
    let entries = &baseline.file.entries;
    let matched = match_entries(entries, &diagnostics);
    let mut applied = Applied::default();
    for (d, entry) in diagnostics.into_iter().zip(matched.entry_of) {
        match entry {
            Some(index) if !entries[index].expired(today) => applied.suppressed.push(d),
            _ => applied.kept.push(d),
        }
    }
    let text = &baseline.source.text;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let nth = seen.entry(entry.fingerprint.as_str()).or_insert(0);
        *nth += 1;
        if matched.used[index] {
            continue;
        }
        let span = locate(text, &entry.fingerprint, *nth);
        let location = baseline.source.location(span);
        applied.stale.extend(crate::rules::baseline_stale(
            config,
            location,
            &entry.item,
            &entry.rule,
            entry.recorded,
        ));
    }
    applied
}

/// The span of the `nth` (from 1) `"fingerprint": "…"` pair with this fingerprint, or of the
/// file's start when it is not written that way.
fn locate(text: &str, fingerprint: &str, nth: usize) -> Span {
    let needle = format!("\"{fingerprint}\"");
    let mut from = 0;
    let mut found = None;
    for _ in 0..nth {
        match text.get(from..).and_then(|rest| rest.find(&needle)) {
            Some(at) => {
                found = Some(from + at);
                from += at + needle.len();
            }
            None => break,
        }
    }
    match found {
        Some(at) => {
            // Point at the entry's first line, `{`, when it is there.
            let start = text.get(..at).and_then(|t| t.rfind('{')).unwrap_or(at);
            Span::new(start, start + 1)
        }
        None => Span::new(0, 0),
    }
}

/// What recording the findings did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recorded {
    pub file: BaselineFile,
    /// Entries kept from the old file (with their dates).
    pub kept: usize,
    /// Entries new in this file.
    pub added: usize,
    /// Entries of the old file dropped (their findings are gone).
    pub removed: usize,
    /// Deadline findings left out for want of an expiry.
    pub deadline_skipped: usize,
}

/// A baseline of every baselinable finding in `diagnostics`. An entry of `old` that a finding
/// still matches keeps its dates (so re-recording never extends an expiry); a new deadline
/// finding gets `expires`, and is left out without one.
pub fn record(
    diagnostics: &[Diagnostic],
    old: Option<&BaselineFile>,
    today: NaiveDate,
    expires: Option<NaiveDate>,
) -> Recorded {
    let old_entries: &[Entry] = old.map_or(&[], |f| f.entries.as_slice());
    let matched = match_entries(old_entries, diagnostics);
    let mut recorded = Recorded::default();
    let mut entries = Vec::new();
    for (d, entry) in diagnostics.iter().zip(&matched.entry_of) {
        if !baselinable(d.code) {
            continue;
        }
        if let Some(index) = entry {
            entries.push(old_entries[*index].clone());
            recorded.kept += 1;
            continue;
        }
        let deadline = is_deadline(d.code);
        if deadline && expires.is_none() {
            recorded.deadline_skipped += 1;
            continue;
        }
        entries.push(Entry {
            item: subject(d).to_owned(),
            rule: d.code.as_str().to_owned(),
            fingerprint: fingerprint(d),
            message: d.message.clone(),
            recorded: today,
            expires: if deadline { expires } else { None },
        });
        recorded.added += 1;
    }
    recorded.removed = matched.used.iter().filter(|used| !**used).count();
    sort(&mut entries);
    recorded.file = BaselineFile {
        version: VERSION,
        entries,
    };
    recorded
}

/// The entries of `old` that a finding still matches (expired ones included: their findings
/// are back, and the entry says since when); the count removed.
pub fn prune(old: &BaselineFile, diagnostics: &[Diagnostic]) -> (BaselineFile, usize) {
    let matched = match_entries(&old.entries, diagnostics);
    let entries: Vec<Entry> = old
        .entries
        .iter()
        .zip(&matched.used)
        .filter(|(_, used)| **used)
        .map(|(entry, _)| entry.clone())
        .collect();
    let removed = old.entries.len() - entries.len();
    (
        BaselineFile {
            version: VERSION,
            entries,
        },
        removed,
    )
}

fn sort(entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
        (&a.item, &a.rule, &a.fingerprint, a.recorded, a.expires).cmp(&(
            &b.item,
            &b.rule,
            &b.fingerprint,
            b.recorded,
            b.expires,
        ))
    });
}

/// The file's text: pretty JSON, keys in field order, a final newline.
pub fn to_text(file: &BaselineFile) -> Result<String, Error> {
    let mut text = serde_json::to_string_pretty(file)?;
    text.push('\n');
    Ok(text)
}

/// How `current` differs from `base`: entries (fingerprint and expiry) added and removed.
pub fn change(base: &BaselineFile, current: &BaselineFile) -> Option<BaselineChange> {
    let key = |e: &Entry| (e.fingerprint.clone(), e.expires);
    let mut counts: HashMap<(String, Option<NaiveDate>), i64> = HashMap::new();
    for entry in &current.entries {
        *counts.entry(key(entry)).or_default() += 1;
    }
    for entry in &base.entries {
        *counts.entry(key(entry)).or_default() -= 1;
    }
    let added: i64 = counts.values().filter(|n| **n > 0).sum();
    let removed: i64 = -counts.values().filter(|n| **n < 0).sum::<i64>();
    let change = BaselineChange {
        added: usize::try_from(added).unwrap_or(0),
        removed: usize::try_from(removed).unwrap_or(0),
    };
    (change.added + change.removed > 0).then_some(change)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_fold_so_a_daily_count_keeps_its_fingerprint() {
        assert_eq!(
            normalised("due 2026-10-01 passed 55 days ago"),
            "due #-#-# passed # day ago"
        );
        assert_eq!(
            normalised("due 2026-10-01 passed 1 day ago"),
            normalised("due 2026-10-01 passed 17 days ago")
        );
        assert_eq!(normalised("in 10 days)."), "in # day).");
    }

    #[test]
    fn a_changed_baseline_counts_added_and_removed_entries() {
        let entry = |fp: &str| Entry {
            item: "V-1".into(),
            rule: "overdue".into(),
            fingerprint: fp.into(),
            message: String::new(),
            recorded: NaiveDate::default(),
            expires: None,
        };
        let base = BaselineFile {
            version: 1,
            entries: vec![entry("a"), entry("b")],
        };
        let current = BaselineFile {
            version: 1,
            entries: vec![entry("b"), entry("c"), entry("c")],
        };
        assert_eq!(
            change(&base, &current),
            Some(BaselineChange {
                added: 2,
                removed: 1
            })
        );
        assert_eq!(change(&base, &base), None);
    }
}
