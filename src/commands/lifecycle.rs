//! `poam close`, `poam checkin`, `poam complete`, `poam reopen`: one item edited in place
//! through the item editor, checked before it is saved, and what changed printed.

use std::process::ExitCode;
use std::time::Instant;

use crate::cli::{CheckinArgs, CloseArgs, CompleteArgs, GlobalArgs, ReopenArgs};
use crate::edit::ItemDocument;
use crate::error::Error;
use crate::lifecycle::{self, edit_failure, Transition};
use crate::model::item::Item;
use crate::workspace::Workspace;

use super::{config, emit, today, verbose_workspace};

pub fn close(args: &CloseArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let date = args.date.unwrap_or_else(|| today(global));
    let transition = Transition::Close {
        date,
        evidence: args.evidence.clone(),
    };
    let documents = Documents {
        files: &args.documents,
        kind: &args.document_type,
    };
    edit_item_with(&args.id, &transition, Some(&documents), global)
}

/// `--document` files of `poam close`, recorded in the same edit as the closure.
struct Documents<'a> {
    files: &'a [std::path::PathBuf],
    kind: &'a str,
}

pub fn checkin(args: &CheckinArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let transition = Transition::Checkin {
        date: args.date.unwrap_or_else(|| today(global)),
        note: args.note.clone(),
    };
    edit_item(&args.id, &transition, global)
}

pub fn complete(args: &CompleteArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let transition = Transition::Complete {
        milestone: args.milestone,
        date: args.date.unwrap_or_else(|| today(global)),
        description: args.description.clone(),
    };
    edit_item(&args.id, &transition, global)
}

pub fn reopen(args: &ReopenArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let transition = Transition::Reopen {
        date: today(global),
        reason: args.reason.clone(),
    };
    edit_item(&args.id, &transition, global)
}

fn edit_item(id: &str, transition: &Transition, global: &GlobalArgs) -> Result<ExitCode, Error> {
    edit_item_with(id, transition, None, global)
}

fn edit_item_with(
    id: &str,
    transition: &Transition,
    documents: Option<&Documents>,
    global: &GlobalArgs,
) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let workspace = Workspace::open(config(global, None)?)?;
    verbose_workspace(global, &workspace, started);
    lifecycle::check_date(id, transition, today(global))?;
    let (file, _) = super::the_item(&workspace, id)?;
    // Read the file again: the editor keeps the exact bytes and refuses to save over a change.
    let mut doc = ItemDocument::open(&file.path).map_err(edit_failure)?;
    let before = doc.text().to_owned();
    // Documents first, so that the closure sees them as its evidence.
    let mut recorded = Vec::new();
    if let Some(documents) = documents.filter(|d| !d.files.is_empty()) {
        recorded = super::evidence::record_documents(
            &mut doc,
            &workspace,
            id,
            documents.files,
            &super::evidence::Describe {
                kind: documents.kind,
                note: None,
                link: None,
            },
            today(global),
        )?;
    }
    let current = doc.text().to_owned();
    let item = Item::from_node(doc.node(), &current);
    let changes = lifecycle::apply(&mut doc, &item, transition)?;
    super::check_and_save(&workspace, file, today(global), &before, &mut doc)?;
    if !global.quiet {
        let mut text = format!("{}\n", file.source.name);
        for line in &recorded {
            text.push_str(&format!("{line}\n"));
        }
        for change in &changes {
            text.push_str(&format!("  {}\n", change.describe()));
        }
        emit(None, &text)?;
    }
    Ok(ExitCode::SUCCESS)
}
