//! `poam site -o DIR`: the static status site.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{GlobalArgs, SiteArgs};
use crate::error::Error;
use crate::report::site::{self, SiteInput};
use crate::report::{self, Summary, Templates};

use super::{config, today};

pub fn run(args: &SiteArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let config = config(global, args.path.as_deref())?;
    let work_tree = crate::history::work_tree_root(&config.items_dir);
    let mut protected = vec![config.root.as_path(), config.items_dir.as_path()];
    if let Some(root) = &work_tree {
        protected.push(root);
    }
    let target = site::check_output(&args.output, &protected, &config.items_dir)?;
    let templates = Templates::new(config.templates.as_deref())?;
    let today = today(global);
    let progress = !global.quiet && std::io::stderr().is_terminal();
    let (inputs, downloads) =
        report::gather_with(config, today, progress, |workspace, history, views| {
            crate::export::site_downloads(workspace, history, views, today)
        })?;
    let pages = site::item_pages(&inputs.views);
    let profile = crate::profiles::of(inputs.config.policy.profile);
    let summary = Summary::new(
        &inputs.views,
        today,
        &inputs.lint,
        &|i| pages.get(i).cloned().unwrap_or_default(),
        profile,
        &inputs.config,
    );
    let (people, inventory) = inputs.elements()?;
    let input = SiteInput {
        meta: &inputs.meta,
        views: &inputs.views,
        summary: &summary,
        history: inputs.history.as_ref(),
        policy: &inputs.config.policy,
        profile,
        repo_url: inputs.config.repo_url.as_deref(),
        people: people.as_ref(),
        inventory: inventory.as_ref(),
        downloads: &downloads,
    };
    let written = site::publish(&target, |sink| site::render(&input, &templates, sink))?;
    if !global.quiet {
        super::emit(
            None,
            &format!("wrote {written} files to {}\n", args.output.display()),
        )?;
    }
    // Freeing the gathered history, items and findings piece by piece takes ~0.15 s for
    // 20,000 commits.
    super::keep_until_exit((inputs, summary, pages, downloads));
    Ok(ExitCode::SUCCESS)
}
