//! `poam evidence add` and `poam evidence verify`: evidence files with a chain of custody.
//!
//! `add` copies each file into the evidence folder (`evidence/<ID>/` beside `poam.yaml`) and
//! appends a `documents` entry `{type, name, path, sha256, added}` through the item editor, so
//! file and hash land in the same commit. `verify` runs the evidence rules (`evidence-missing`,
//! `evidence-altered`, `closed-without-evidence`, and with history `evidence-rewritten`) and
//! renders their findings like `poam lint`.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{EvidenceAddArgs, EvidenceArgs, EvidenceCommand, EvidenceVerifyArgs, GlobalArgs};
use crate::code::{Code, Severity};
use crate::edit::{ItemDocument, Key, NewValue};
use crate::error::Error;
use crate::evidence::{self, AddError};
use crate::lifecycle::edit_failure;
use crate::lint::{self, HistoryMode, LintInput};
use crate::render;
use crate::workspace::Workspace;

use super::{config, emit, exit_for, stdout_is_terminal, today, use_color};

/// The rules `poam evidence verify` reports.
pub const EVIDENCE_CODES: &[Code] = &[
    Code::EvidenceMissing,
    Code::EvidenceAltered,
    Code::EvidenceRewritten,
    Code::ClosedWithoutEvidence,
];

pub fn run(args: &EvidenceArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    match &args.what {
        EvidenceCommand::Add(args) => add(args, global),
        EvidenceCommand::Verify(args) => verify(args, global),
    }
}

/// One document to record.
struct Recorded {
    name: String,
    /// `path` (copied) or `url` (linked).
    place: (&'static str, String),
    sha256: String,
    written: bool,
}

fn add(args: &EvidenceAddArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let workspace = Workspace::open(config(global, None)?)?;
    let id = args.id.as_str();
    let (file, _) = super::the_item(&workspace, id)?;
    if let Some(link) = &args.link {
        if args.files.len() != 1 {
            return Err(Error::Refused(
                "--link names where one file is kept: give one FILE; nothing was written".into(),
            ));
        }
        if !(link.starts_with("https://") || link.starts_with("http://"))
            || link.contains(char::is_whitespace)
        {
            return Err(Error::Refused(format!(
                "--link `{link}` is not an http or https address; nothing was written"
            )));
        }
    }
    let today = today(global);
    // The item is locked before any file is copied: a failed edit leaves only files that a
    // second run reuses (an identical file is never copied twice).
    let mut doc = ItemDocument::open(&file.path).map_err(edit_failure)?;
    let before = doc.text().to_owned();
    let lines = record_documents(
        &mut doc,
        &workspace,
        id,
        &args.files,
        &Describe {
            kind: &args.kind,
            note: args.note.as_deref(),
            link: args.link.as_deref(),
        },
        today,
    )?;
    super::check_and_save(&workspace, file, today, &before, &mut doc)?;
    if !global.quiet {
        emit(
            None,
            &format!("{}\n{}\n", file.source.name, lines.join("\n")),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What `documents` entries say besides the file: its type, a note, a link.
pub(super) struct Describe<'a> {
    pub kind: &'a str,
    pub note: Option<&'a str>,
    pub link: Option<&'a str>,
}

/// Copies `files` into the item's evidence folder (or, with a link, hashes them) and appends a
/// `documents` entry for each to `doc`, added `today`: what `poam evidence add` and
/// `poam close --document` write. Returns a line per file for the command's output.
pub(super) fn record_documents(
    doc: &mut ItemDocument,
    workspace: &Workspace,
    id: &str,
    files: &[std::path::PathBuf],
    describe: &Describe,
    today: chrono::NaiveDate,
) -> Result<Vec<String>, Error> {
    let root = workspace.config.root.clone();
    let folder = format!("{}/{id}", workspace.config.evidence_dir());
    let recorded = files
        .iter()
        .map(|path| record(&root, &folder, path, describe.link))
        .collect::<Result<Vec<_>, Error>>()?;
    let known = known_places(doc.node());
    let mut lines = Vec::new();
    for entry in &recorded {
        if let Some(sha256) = known.iter().find(|(place, _)| *place == entry.place.1) {
            if sha256.1.as_deref() == Some(entry.sha256.as_str()) {
                lines.push(format!("  {} is already recorded", entry.place.1));
                continue;
            }
            return Err(Error::Refused(format!(
                "{id}: `{}` is already recorded with another SHA-256; evidence is never replaced: add the new file under another name; nothing was written to the item",
                entry.place.1
            )));
        }
        let mut fields = vec![
            ("type".to_owned(), NewValue::Str(describe.kind.to_owned())),
            ("name".to_owned(), NewValue::Str(entry.name.clone())),
            (
                entry.place.0.to_owned(),
                NewValue::Str(entry.place.1.clone()),
            ),
            ("sha256".to_owned(), NewValue::Str(entry.sha256.clone())),
            ("added".to_owned(), NewValue::Date(today)),
        ];
        if let Some(note) = describe.note {
            fields.push(("note".to_owned(), NewValue::Str(note.to_owned())));
        }
        doc.append(&[Key::from("documents")], NewValue::Map(fields))
            .map_err(edit_failure)?;
        lines.push(format!(
            "  {} {} sha256 {}",
            if entry.written { "added" } else { "recorded" },
            entry.place.1,
            entry.sha256
        ));
    }
    Ok(lines)
}

/// Copies `file` into `folder` (or, with `link`, only hashes it).
fn record(root: &Path, folder: &str, file: &Path, link: Option<&str>) -> Result<Recorded, Error> {
    let failed = |err: AddError| Error::Refused(format!("{err}; nothing was written to the item"));
    let name = evidence::evidence_name(file).ok_or_else(|| {
        failed(AddError::BadName {
            path: file.to_path_buf(),
        })
    })?;
    if let Some(link) = link {
        let sha256 = evidence::sha256_file(file).map_err(|source| {
            failed(AddError::Read {
                path: file.to_path_buf(),
                source,
            })
        })?;
        return Ok(Recorded {
            name,
            place: ("url", link.to_owned()),
            sha256,
            written: false,
        });
    }
    let copied = evidence::copy_in(root, folder, file).map_err(failed)?;
    Ok(Recorded {
        name,
        place: ("path", copied.path),
        sha256: copied.sha256,
        written: copied.written,
    })
}

/// The `path` or `url` of each document the item lists, with its recorded hash.
fn known_places(node: &crate::model::Node) -> Vec<(String, Option<String>)> {
    let Some(crate::model::Value::Seq(documents)) = node.get("documents").map(|e| &e.value.value)
    else {
        return Vec::new();
    };
    let text = |doc: &crate::model::Node, key: &str| match doc.get(key).map(|e| &e.value.value) {
        Some(crate::model::Value::Str(s)) => Some(s.trim().to_owned()),
        _ => None,
    };
    documents
        .iter()
        .filter_map(|doc| {
            let place = text(doc, "path").or_else(|| text(doc, "url"))?;
            Some((place, text(doc, "sha256").map(|s| s.to_ascii_lowercase())))
        })
        .collect()
}

fn verify(args: &EvidenceVerifyArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let config = config(global, args.path.as_deref())?;
    let workspace = Workspace::open(config)?;
    let documents: usize = workspace
        .parsed()
        .filter_map(|(_, item)| item.documents.as_ref())
        .map(|d| d.value.len())
        .sum();
    let input = LintInput {
        today: today(global),
        history: if args.no_history {
            HistoryMode::Off
        } else {
            HistoryMode::Full
        },
        progress: false,
        sources: args.format == render::Format::Human,
    };
    let mut report = lint::lint(workspace, &input)?;
    report
        .diagnostics
        .retain(|d| EVIDENCE_CODES.contains(&d.code));
    let color =
        args.format == render::Format::Human && use_color(global.color, stdout_is_terminal(None));
    let mut text = if report.diagnostics.is_empty() && args.format == render::Format::Human {
        String::new()
    } else {
        render::render(&report, args.format, color)?
    };
    if args.format == render::Format::Human && !global.quiet {
        text.push_str(&format!(
            "{documents} document{} in {} items checked: {} finding{}\n",
            if documents == 1 { "" } else { "s" },
            report.items,
            report.diagnostics.len(),
            if report.diagnostics.len() == 1 {
                ""
            } else {
                "s"
            },
        ));
    }
    emit(None, &text)?;
    let failing = report
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    Ok(exit_for(failing))
}
