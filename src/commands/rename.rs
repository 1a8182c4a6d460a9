//! `poam rename person|asset OLD NEW [--write]`: one id changed everywhere it is written.

use std::process::ExitCode;

use crate::cli::{GlobalArgs, RenameArgs, RenameCommand};
use crate::error::Error;
use crate::rename::{self, Element};
use crate::workspace::Workspace;

use super::{config, emit};

pub fn run(args: &RenameArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let (element, ids) = match &args.what {
        RenameCommand::Person(ids) => (Element::Person, ids),
        RenameCommand::Asset(ids) => (Element::Asset, ids),
    };
    let workspace = Workspace::open(config(global, None)?)?;
    let mut plan = rename::plan(&workspace, element, &ids.old, &ids.new)?;
    if ids.write {
        rename::write(&mut plan)?;
    }
    emit(None, &rename::describe(&plan, ids.write))?;
    Ok(ExitCode::SUCCESS)
}
