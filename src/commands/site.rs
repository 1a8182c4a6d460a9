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
    let target = match &args.output {
        Some(output) => Some(site::check_output(output, &protected, &config.items_dir)?),
        None => None,
    };
    if let Some(pdf) = &args.pdf {
        super::check_output(&config, Some(pdf))?;
    }
    let templates = Templates::new(config.templates.as_deref())?;
    let today = today(global);
    let progress = !global.quiet && std::io::stderr().is_terminal();
    // The audience is checked before anything is read: a typo must not build a full site.
    let audience = match &args.audience {
        Some(name) => Some(config.audiences.get(name).cloned().ok_or_else(|| {
            let names: Vec<&str> = config.audiences.keys().map(String::as_str).collect();
            Error::Refused(if names.is_empty() {
                format!("no audience `{name}`: poam.yaml defines no `audiences`")
            } else {
                format!(
                    "no audience `{name}` in poam.yaml (it defines {})",
                    names.join(", ")
                )
            })
        })?),
        None => None,
    };
    let mut inputs = report::gather(config, today, progress)?;
    if let Some(audience) = &audience {
        report::audience::apply(&mut inputs, audience);
    }
    let hidden = audience.as_ref().map_or(&[][..], |a| a.hide.as_slice());
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
    let (mut people, mut inventory) = inputs.elements()?;
    if hidden.contains(&crate::config::Hidden::Owners) {
        people = None;
    }
    if hidden.contains(&crate::config::Hidden::Assets) {
        inventory = None;
    }
    let evidence_base = evidence_base(&inputs);
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
        hidden,
        evidence_base: evidence_base.as_deref(),
        waivers: &inputs.config.waivers,
    };
    if let (Some(target), Some(output)) = (&target, &args.output) {
        let written = site::publish(target, |sink| site::render(&input, &templates, sink))?;
        if !global.quiet {
            super::emit(
                None,
                &format!("wrote {written} files to {}\n", output.display()),
            )?;
        }
    }
    if let Some(pdf) = &args.pdf {
        let bytes = report::pdf::site(&input, &templates)?;
        super::emit_bytes(Some(pdf), &bytes)?;
        if !global.quiet {
            super::emit(None, &format!("wrote {}\n", pdf.display()))?;
        }
    }
    // Freeing the gathered history, items and findings piece by piece takes ~0.15 s for
    // 20,000 commits.
    super::keep_until_exit((inputs, summary, pages));
    Ok(ExitCode::SUCCESS)
}

/// `<repo_url>/blob/<HEAD>/<folder of poam.yaml>/`: where the site links evidence files (the
/// files as of the commit the site shows), when `repo_url` is set and there is a commit.
fn evidence_base(inputs: &report::Inputs) -> Option<String> {
    let url = inputs.config.repo_url.as_deref()?;
    let commit = inputs.meta.commit.as_ref()?;
    let root = std::fs::canonicalize(&inputs.config.root).ok()?;
    let work_tree = crate::history::work_tree_root(&inputs.config.items_dir)?;
    let work_tree = std::fs::canonicalize(work_tree).ok()?;
    let prefix = root.strip_prefix(&work_tree).ok()?;
    let mut base = format!("{url}/blob/{}/", commit.id);
    for step in prefix.components() {
        base.push_str(&step.as_os_str().to_string_lossy());
        base.push('/');
    }
    Some(base)
}
