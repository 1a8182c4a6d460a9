//! `poam import xlsx FILE`: item files from a filled FedRAMP POA&M template, written through
//! the item editor. Rows that cannot be converted or written are reported and skipped.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::{GlobalArgs, ImportXlsxArgs};
use crate::edit::EditError;
use crate::error::Error;
use crate::import::write::{self, Written};
use crate::import::xlsx::{self, ImportOptions, ImportedRow, RowProblem};
use crate::profiles;
use crate::render::text::plural;

use super::{config, exit_for};

pub fn run(args: &ImportXlsxArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    // The profile decides which of the workbook's columns become fields.
    let config = config(global, None)?;
    let into = match &args.into {
        Some(dir) => dir.clone(),
        None => config.items_dir.clone(),
    };
    std::fs::create_dir_all(&into).map_err(|source| Error::Write {
        path: into.clone(),
        source,
    })?;
    let options = ImportOptions {
        include_example: args.include_example,
    };
    let imported = xlsx::read(&args.file, options).map_err(Error::spreadsheet)?;
    write_imported(imported, &into, args.force, &config, global)
}

/// Writes the item files of `imported` rows into `into` (each row's fields handed to the
/// profile first), reports every row not imported on standard error, and returns exit code 1
/// when there is one: what `poam import xlsx` and `poam import emass` share.
pub(super) fn write_imported(
    mut imported: xlsx::Imported,
    into: &Path,
    force: bool,
    config: &crate::config::Config,
    global: &GlobalArgs,
) -> Result<ExitCode, Error> {
    let profile = profiles::of(config.policy.profile);
    let mut notes = HashMap::new();
    for row in &mut imported.rows {
        let start = profile.imported_row(std::mem::take(&mut row.fields), &config.policy);
        row.fields = start.fields;
        if let Some(note) = start.vdr_note {
            notes.insert((row.sheet, row.row), note);
        }
    }
    let mut problems = imported.problems;
    // Duplicate ids first, in sheet order: the first row of an id is the one imported.
    let mut first_row: HashMap<String, (&'static str, u32)> = HashMap::new();
    let mut unique: Vec<&ImportedRow> = Vec::new();
    for row in &imported.rows {
        if let Some((sheet, line)) = first_row.get(&row.id.to_ascii_lowercase()) {
            problems.push(row_problem(
                row,
                format!(
                    "POAM ID `{}` is also on {sheet}, row {line}; only the first is imported",
                    row.id
                ),
            ));
            continue;
        }
        first_row.insert(row.id.to_ascii_lowercase(), (row.sheet, row.row));
        unique.push(row);
    }
    // An id an item deleted from history carried is not handed to another: `poam log` would
    // read the two as one item. Such a row keeps its id only when its item is still there.
    let former: HashSet<String> = crate::ids::ids_in_history(into)?.into_iter().collect();
    unique.retain(|row| {
        let freed = former.contains(&row.id)
            && !into.join(xlsx::item_file_name(&row.id)).exists();
        if freed {
            problems.push(row_problem(
                row,
                format!(
                    "POAM ID `{}` belonged to an item deleted from the repository's history; a new item under it would mix the two in `poam log`: give the row a new id",
                    row.id
                ),
            ));
        }
        !freed
    });
    let outcomes = write::rows(into, &unique, &notes, force)?;
    let (mut created, mut replaced) = (0usize, 0usize);
    let mut failure = None;
    for (row, (path, outcome)) in unique.iter().zip(outcomes) {
        match outcome {
            Ok(Written::Created) => created += 1,
            Ok(Written::Replaced) => replaced += 1,
            Err(EditError::Exists { .. }) => problems.push(row_problem(
                row,
                format!(
                    "`{}` exists; nothing was written (pass --force to overwrite it)",
                    path.display()
                ),
            )),
            // A name this file system refuses is the row's problem, not the folder's.
            Err(EditError::Write { source, .. })
                if source.kind() == std::io::ErrorKind::InvalidFilename =>
            {
                problems.push(row_problem(
                    row,
                    format!("not written: the file system refuses the file name: {source}"),
                ));
            }
            Err(error @ (EditError::Read { .. } | EditError::Write { .. })) => {
                failure.get_or_insert(error);
            }
            Err(error) => problems.push(row_problem(row, format!("not written: {error}"))),
        }
    }
    problems.sort_by_key(|p| (p.sheet != crate::fedramp_template::OPEN_SHEET, p.row));
    // The report is printed whatever happens next: the rows it names were not imported.
    let mut stderr = std::io::stderr().lock();
    for problem in &problems {
        let _ = writeln!(stderr, "skipped: {problem}");
    }
    if let Some(error) = failure {
        return Err(Error::spreadsheet(error));
    }
    if !global.quiet {
        let _ = writeln!(
            stderr,
            "{} created{} in `{}`; {} skipped",
            plural(created, "item file"),
            if replaced > 0 {
                format!(", {replaced} replaced")
            } else {
                String::new()
            },
            shown(into).display(),
            plural(problems.len(), "row"),
        );
    }
    Ok(exit_for(!problems.is_empty()))
}

/// `dir` relative to the working directory when it lies below it.
fn shown(dir: &Path) -> &Path {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| dir.strip_prefix(cwd).ok())
        .filter(|relative| !relative.as_os_str().is_empty())
        .unwrap_or(dir)
}

fn row_problem(row: &ImportedRow, reason: String) -> RowProblem {
    RowProblem {
        sheet: row.sheet.to_owned(),
        row: row.row,
        column: None,
        reason,
    }
}
