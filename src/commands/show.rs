//! `poam show ID`: one item and where it stands, without running the whole lint.

use std::process::ExitCode;

use crate::cli::{GlobalArgs, ShowArgs, ShowFormat};
use crate::error::Error;
use crate::render;
use crate::view::{ShowDocument, VIEW_VERSION};
use crate::workspace::Workspace;

use crate::report::{Meta, Templates};

use super::{config, emit, emit_bytes, stdout_is_terminal, today, use_color, verbose_workspace};

pub fn run(args: &ShowArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let started = std::time::Instant::now();
    let config = config(global, None)?;
    super::check_output(&config, args.output.as_deref())?;
    if args.format == ShowFormat::Pdf {
        super::refuse_binary_to_terminal(args.output.as_deref(), "a PDF", "FILE.pdf")?;
    }
    let workspace = Workspace::open(config)?;
    verbose_workspace(global, &workspace, started);
    let today = today(global);
    let (file, item) = super::the_item(&workspace, &args.id)?;
    // `show` reads no git history: an item without `status_date` has no status age here.
    let view = crate::profiles::view(&file.source.name, item, &workspace.config.policy, today);
    let text = match args.format {
        ShowFormat::Pdf => {
            let templates = Templates::new(workspace.config.templates.as_deref())?;
            let meta = Meta::new(&workspace.config, today, None);
            let profile = crate::profiles::of(workspace.config.policy.profile);
            let bytes = crate::report::pdf::item(&templates, &meta, &view, profile)?;
            emit_bytes(args.output.as_deref(), &bytes)?;
            return Ok(ExitCode::SUCCESS);
        }
        ShowFormat::Human => {
            render::show::render(&view, use_color(global.color, stdout_is_terminal(None)))
        }
        ShowFormat::Json => render::json_document(&ShowDocument {
            version: VIEW_VERSION,
            item: &view,
        })?,
        ShowFormat::Yaml => render::yaml::render(&serde_json::to_value(ShowDocument {
            version: VIEW_VERSION,
            item: &view,
        })?),
    };
    emit(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
