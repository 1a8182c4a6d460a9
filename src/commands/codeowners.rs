//! `poam codeowners [--check]`: writes the poam block of `.github/CODEOWNERS` from the people
//! file and `approvals:`, or with `--check` says whether it is up to date (exit 1 when not).

use std::process::ExitCode;

use crate::cli::{CodeownersArgs, GlobalArgs};
use crate::codeowners;
use crate::error::Error;
use crate::workspace::Workspace;

use super::{config, emit, today, EXIT_FINDINGS};

pub fn run(args: &CodeownersArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let workspace = Workspace::open(config(global, None)?)?;
    let block = codeowners::block(&workspace, today(global));
    let path = codeowners::file(&workspace);
    let existing = codeowners::read(&workspace)?;
    let name = codeowners::FILE_NAME;
    if args.check {
        let fresh = existing
            .as_deref()
            .is_some_and(|text| codeowners::stale(text, &block).is_none());
        if fresh {
            emit(None, &format!("{name} is up to date\n"))?;
            return Ok(ExitCode::SUCCESS);
        }
        let why = if existing.is_some() {
            "is stale"
        } else {
            "does not exist"
        };
        emit(
            None,
            &format!("{name} {why}: run `poam codeowners` and commit it\n"),
        )?;
        return Ok(ExitCode::from(EXIT_FINDINGS));
    }
    super::refuse_outside_repository(&workspace.display_root, &path, codeowners::FILE_NAME)?;
    let text = codeowners::apply(existing.as_deref(), &block);
    if existing.as_deref() == Some(text.as_str()) {
        emit(None, &format!("{name} is up to date\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|source| Error::Write {
            path: folder.to_path_buf(),
            source,
        })?;
    }
    crate::output::write_atomic(&path, &text)?;
    emit(None, &format!("wrote {name}\n"))?;
    Ok(ExitCode::SUCCESS)
}
