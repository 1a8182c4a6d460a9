//! `poam migrate cr26 [--class C] [--uri URI] [--write]`: switch a repository's profile.

use std::process::ExitCode;

use crate::cli::{GlobalArgs, MigrateArgs, MigrateCommand};
use crate::config::Cr26Class;
use crate::error::Error;
use crate::migrate;
use crate::workspace::Workspace;

use super::{config, emit};

pub fn run(args: &MigrateArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let MigrateCommand::Cr26(args) = &args.to;
    let workspace = Workspace::open(config(global, None)?)?;
    let class = match &args.class {
        Some(name) => Cr26Class::from_name(name)
            .ok_or_else(|| Error::Export(format!("`--class {name}`: the class is b, c or d")))?,
        None => workspace.config.cr26.class.unwrap_or_default(),
    };
    if let Some(uri) = args.uri.as_deref().filter(|u| !u.contains("://")) {
        return Err(Error::Export(format!(
            "`--uri {uri}` is not an absolute URI: write the full address, e.g. https://example.com/fedramp/package"
        )));
    }
    let plan = migrate::plan(&workspace, class, args.uri.as_deref());
    if args.write {
        migrate::write(&workspace, &plan)?;
    }
    emit(None, &migrate::describe(&plan, args.write))?;
    Ok(ExitCode::SUCCESS)
}
