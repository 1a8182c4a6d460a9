//! `poam site --audience NAME`: the data a site is built from, cut down to what one audience of
//! `poam.yaml` may see, before any page is rendered.
//!
//! What an audience may not see is removed from the data itself, so no template, JSON file,
//! CSV column or chart can show it: items outside its selection leave the views, the findings
//! and the history; hidden fields are emptied in the views (and their keys dropped from
//! `items.json`), their changes dropped from the timelines, and the findings about them
//! dropped. A finding or a commit message that quotes a hidden value anywhere in its text is
//! dropped (a finding) or emptied (a commit message) too, so a value cannot leak through free
//! text. The pages of hidden parts (people, assets, findings) are not built.

use std::collections::BTreeSet;

use crate::code::Code;
use crate::config::{Audience, Hidden};
use crate::diag::Diagnostic;
use crate::history::{History, Source};
use crate::view::ItemView;

use super::Inputs;

/// The top-level keys of the item view (and dotted paths below them) a hidden part removes.
pub fn hidden_keys(hide: &[Hidden]) -> Vec<&'static str> {
    let mut keys = Vec::new();
    for hidden in hide {
        keys.extend_from_slice(match hidden {
            Hidden::Assets => &["assets"][..],
            Hidden::Comments => &["comments"],
            Hidden::Evidence => &["documents", "closed.evidence"],
            Hidden::Owners => &["owner"],
            Hidden::History | Hidden::Findings => &[],
        });
    }
    keys
}

/// The rules whose findings are about a hidden part.
fn hidden_codes(hide: &[Hidden]) -> Vec<Code> {
    let mut codes = Vec::new();
    for hidden in hide {
        codes.extend_from_slice(match hidden {
            Hidden::Assets => &[
                Code::AssetUnknown,
                Code::AssetRetired,
                Code::InventoryInvalid,
                Code::InventoryDuplicateId,
                Code::InventoryMissingField,
                Code::InventoryAliasConflict,
                Code::InventoryNotScanned,
            ][..],
            Hidden::Evidence => &[
                Code::EvidenceMissing,
                Code::EvidenceAltered,
                Code::EvidenceRewritten,
                Code::ClosedWithoutEvidence,
            ],
            Hidden::Owners => &[
                Code::OwnerUnknown,
                Code::OwnerDeparted,
                Code::PeopleInvalid,
                Code::PeopleDuplicateId,
            ],
            Hidden::Comments | Hidden::History | Hidden::Findings => &[],
        });
    }
    codes
}

/// True when the audience's `items:` selection takes `view`.
pub fn selects(audience: &Audience, view: &ItemView) -> bool {
    let controls = audience.controls.is_empty()
        || view.controls.iter().any(|control| {
            let control = control.trim().to_ascii_uppercase();
            let family = control.split('-').next().unwrap_or_default();
            audience
                .controls
                .iter()
                .any(|wanted| *wanted == control || wanted == family)
        });
    let rating = view.assessment.effective_risk.or(view.risk);
    let risk = audience.risk.is_empty()
        || rating.is_some_and(|r| audience.risk.iter().any(|wanted| wanted.name() == r));
    controls && risk
}

/// Cuts `inputs` down to what `audience` may see.
pub fn apply(inputs: &mut Inputs, audience: &Audience) {
    let hide = &audience.hide;
    // Every value the audience may not see, for the free-text checks: the hidden fields of
    // every item, and the ids and titles of the items it does not get.
    let mut secrets: BTreeSet<String> = BTreeSet::new();
    for view in &inputs.views {
        if !selects(audience, view) {
            secrets.extend(view.id.clone());
            secrets.extend(view.title.clone());
        }
        secrets.extend(hidden_values(view, hide));
    }
    secrets.retain(|s| !s.trim().is_empty());
    let (kept, dropped): (Vec<ItemView>, Vec<ItemView>) = std::mem::take(&mut inputs.views)
        .into_iter()
        .partition(|view| selects(audience, view));
    inputs.views = kept;
    for view in &mut inputs.views {
        blank(view, hide);
    }
    let visible_ids: BTreeSet<&str> = inputs
        .views
        .iter()
        .filter_map(|v| v.id.as_deref())
        .collect();
    let visible_files: BTreeSet<&str> = inputs.views.iter().map(|v| v.path.as_str()).collect();
    let dropped_files: BTreeSet<&str> = dropped.iter().map(|v| v.path.as_str()).collect();
    let codes = hidden_codes(hide);
    let all_findings = hide.contains(&Hidden::Findings);
    inputs.lint.diagnostics.retain(|d| {
        !all_findings
            && !codes.contains(&d.code)
            && d.item.as_deref().is_some_and(|id| visible_ids.contains(id))
            && visible_files.contains(d.location.file.as_str())
            && d.related
                .iter()
                .all(|r| !dropped_files.contains(r.location.file.as_str()))
            && !quotes(d, &secrets)
    });
    inputs.lint.sources.clear();
    if hide.contains(&Hidden::History) {
        inputs.history = None;
    } else if let Some(history) = &mut inputs.history {
        cut_history(history, &visible_ids, &hidden_keys(hide), &secrets);
    }
}

/// The values of `view`'s hidden fields, as text.
fn hidden_values(view: &ItemView, hide: &[Hidden]) -> Vec<String> {
    let mut values = Vec::new();
    for hidden in hide {
        match hidden {
            Hidden::Assets => values.extend(view.assets.iter().cloned()),
            Hidden::Comments => values.extend(view.comments.clone()),
            Hidden::Evidence => {
                for doc in &view.documents {
                    values.extend(doc.name.clone());
                    values.extend(doc.path.clone());
                    values.extend(doc.url.clone());
                    values.extend(doc.sha256.clone());
                    values.extend(doc.note.clone());
                }
                values.extend(view.closed.as_ref().and_then(|c| c.evidence.clone()));
            }
            Hidden::Owners => values.extend(view.owner.clone()),
            Hidden::History | Hidden::Findings => {}
        }
    }
    values
}

/// Empties `view`'s hidden fields.
fn blank(view: &mut ItemView, hide: &[Hidden]) {
    for hidden in hide {
        match hidden {
            Hidden::Assets => view.assets.clear(),
            Hidden::Comments => view.comments = None,
            Hidden::Evidence => {
                view.documents.clear();
                if let Some(closed) = &mut view.closed {
                    closed.evidence = None;
                }
            }
            Hidden::Owners => view.owner = None,
            Hidden::History | Hidden::Findings => {}
        }
    }
}

/// True when the finding's text quotes one of `secrets`.
fn quotes(d: &Diagnostic, secrets: &BTreeSet<String>) -> bool {
    let texts = std::iter::once(d.message.as_str())
        .chain(d.help.as_deref())
        .chain(d.label.as_deref())
        .chain(d.related.iter().map(|r| r.message.as_str()));
    texts
        .into_iter()
        .any(|text| secrets.iter().any(|s| text.contains(s.as_str())))
}

/// Keeps the histories of the visible items, without the changes of hidden fields; a commit
/// message quoting a hidden value is emptied.
fn cut_history(
    history: &mut History,
    visible: &BTreeSet<&str>,
    keys: &[&str],
    secrets: &BTreeSet<String>,
) {
    history
        .items
        .retain(|item| visible.contains(item.id.as_str()));
    // A commit message is free text: it may quote part of a hidden value ("ticket SEC-4711"),
    // so one sharing any word of four characters or more with a hidden value is left out.
    let words: BTreeSet<String> = secrets.iter().flat_map(|s| words_of(s)).collect();
    for item in &mut history.items {
        for event in &mut item.events {
            event
                .changes
                .retain(|change| !keys.iter().any(|key| under(&change.path, key)));
            for change in &mut event.changes {
                for key in keys {
                    if let Some(rest) = inside(key, &change.path) {
                        for value in [&mut change.old, &mut change.new].into_iter().flatten() {
                            strip(value, rest);
                        }
                    }
                }
            }
            if let Source::Commit(commit) = &mut event.source {
                if shares_a_word(&commit.summary, &words) {
                    let mut quiet = (**commit).clone();
                    quiet.summary = String::new();
                    *commit = std::sync::Arc::new(quiet);
                }
            }
            event.parse_error = event
                .parse_error
                .take()
                .filter(|text| !shares_a_word(text, &words));
        }
    }
}

/// The words of `text` that can identify something: runs of letters and digits, four
/// characters or more, in lower case.
fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
}

fn shares_a_word(text: &str, words: &BTreeSet<String>) -> bool {
    words_of(text).any(|w| words.contains(&w))
}

/// True when the change path `path` is `key` or lies below it (`documents[0].name`).
fn under(path: &str, key: &str) -> bool {
    path == key
        || path
            .strip_prefix(key)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// When `key` lies below the change path `path` (`closed.evidence` below `closed`), what is
/// left of it inside the changed value (`evidence`).
fn inside<'k>(key: &'k str, path: &str) -> Option<&'k str> {
    if path.is_empty() {
        return Some(key);
    }
    key.strip_prefix(path)?.strip_prefix('.')
}

/// Removes the dotted `path` from a JSON value.
fn strip(value: &mut serde_json::Value, path: &str) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    match path.split_once('.') {
        None => {
            object.remove(path);
        }
        Some((first, rest)) => {
            if let Some(inner) = object.get_mut(first) {
                strip(inner, rest);
            }
        }
    }
}

/// `items.json` of an audience: the item view without the hidden keys.
pub fn strip_view_keys(items: &mut serde_json::Value, keys: &[&str]) {
    let Some(list) = items.as_array_mut() else {
        return;
    };
    for item in list {
        for key in keys {
            strip(item, key);
        }
    }
}

/// `poam.csv` without the columns of hidden parts (`owner`); a record the CSV writer refuses
/// is an error, never a short file.
pub fn strip_csv_columns(text: &str, hide: &[Hidden]) -> Result<String, csv::Error> {
    let columns: Vec<&str> = hide
        .iter()
        .flat_map(|hidden| match hidden {
            Hidden::Owners => &["owner"][..],
            Hidden::Assets => &["assets"],
            Hidden::Comments => &["comments"],
            Hidden::Evidence => &["documents", "evidence"],
            Hidden::History | Hidden::Findings => &[],
        })
        .copied()
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut rows = reader.records();
    let Some(Ok(header)) = rows.next() else {
        return Ok(text.to_owned());
    };
    let keep: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, name)| !columns.contains(name))
        .map(|(i, _)| i)
        .collect();
    if keep.len() == header.len() {
        return Ok(text.to_owned());
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut write = |record: &csv::StringRecord| {
        writer.write_record(keep.iter().map(|&i| record.get(i).unwrap_or_default()))
    };
    write(&header)?;
    for row in rows.flatten() {
        write(&row)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|err| csv::Error::from(err.into_error()))?;
    // Every field came from the UTF-8 `text`.
    Ok(String::from_utf8(bytes).unwrap_or_default())
}
