//! Reports and the status site: the monthly summary (`poam report`), the pull-request summary
//! (`poam report --base`) and the static site (`poam site`), all rendered with minijinja from
//! item views, the lint report and git history.
//!
//! Template variables are plain serialized data, documented in docs/templates.md: `meta` (system,
//! date, commit), `summary` ([`summary::Summary`]), `pr` ([`pr::PrSummary`]) and, in the site,
//! item views ([`crate::view::ItemView`]).

pub mod audience;
pub mod charts;
pub mod markdown;
pub mod pdf;
pub mod pr;
pub mod site;
pub mod summary;
pub mod templates;

use chrono::NaiveDate;
use serde::Serialize;
use templates::{context, Serde, Value};

use std::collections::HashMap;

use crate::config::Config;
use crate::diag::Report;
use crate::error::Error;
use crate::history::{History, HistoryError, WalkOptions};
use crate::lint::{HistoryMode, LintInput};
use crate::profiles::SystemProfile;
use crate::view::{ItemView, VIEW_VERSION};
use crate::workspace::{Listing, Workspace};

pub use pr::PrSummary;
pub use summary::Summary;
pub use templates::Templates;

/// Rows of one table in the Markdown forms before "and N more".
pub const MARKDOWN_ROWS: usize = 50;
/// GitHub's limit for a step summary and a comment body is about 1 MiB (65,536 characters for
/// a comment): the Markdown report stays under both by cutting tables, then, failing that,
/// the text.
pub const MARKDOWN_LIMIT: usize = 60_000;

/// The header facts every report and page shows.
#[derive(Clone, Debug, Serialize)]
pub struct Meta {
    /// Version of the item view and of these variables.
    pub version: u32,
    pub today: NaiveDate,
    pub system: SystemMeta,
    /// HEAD, when the items are in a git repository with commits.
    pub commit: Option<CommitMeta>,
    pub tool: &'static str,
    /// `marking:` of poam.yaml (e.g. `CUI`): a banner at the top and bottom of every page.
    pub marking: Option<String>,
    /// Item files that do not parse, by name: no count or list of a report holds them, so the
    /// report says so rather than answer as if it had every item.
    pub unreadable: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SystemMeta {
    pub csp: Option<String>,
    pub name: Option<String>,
    pub impact: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CommitMeta {
    pub id: String,
    pub short_id: String,
    pub date: String,
    /// `<repo_url>/commit/<id>` when config has `repo_url`.
    pub url: Option<String>,
}

impl Meta {
    pub fn new(
        config: &Config,
        today: NaiveDate,
        head: Option<&crate::history::CommitMeta>,
    ) -> Meta {
        Meta {
            version: VIEW_VERSION,
            today,
            system: SystemMeta {
                csp: config.system.csp.clone(),
                name: config.system.name.clone(),
                impact: config.system.impact.clone(),
            },
            commit: head.map(|c| CommitMeta {
                id: c.id.clone(),
                short_id: c.short_id().to_owned(),
                date: c.time_rfc3339(),
                url: config
                    .repo_url
                    .as_ref()
                    .map(|url| format!("{url}/commit/{}", c.id)),
            }),
            tool: concat!("poam ", env!("CARGO_PKG_VERSION")),
            marking: config.marking.clone(),
            unreadable: Vec::new(),
        }
    }
}

/// Output form of `poam report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Html,
}

/// Cuts Markdown over [`MARKDOWN_LIMIT`] at a line break, saying so.
fn fit_markdown(mut text: String) -> String {
    if text.len() <= MARKDOWN_LIMIT {
        return text;
    }
    let mut cut = MARKDOWN_LIMIT - 200;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    if let Some(line) = text[..cut].rfind('\n') {
        cut = line + 1;
    }
    text.truncate(cut);
    text.push_str(
        "\n_The report was cut here to fit a GitHub summary; see the full report or the site._\n",
    );
    text
}

/// The monthly summary in `format`, in the profile's templates.
pub fn monthly(
    templates: &Templates,
    format: ReportFormat,
    meta: &Meta,
    summary: &Summary,
    profile: &dyn SystemProfile,
) -> Result<String, Error> {
    let limit = match format {
        ReportFormat::Markdown => MARKDOWN_ROWS,
        ReportFormat::Html => usize::MAX / 2,
    };
    let ctx = context! {
        meta => Serde(meta),
        system => Serde(&meta.system),
        today => meta.today.to_string(),
        commit => Serde(&meta.commit),
        summary => Serde(summary),
        limit => limit,
    };
    match format {
        ReportFormat::Markdown => templates
            .render(profile.template("report.md.j2"), ctx)
            .map(fit_markdown),
        ReportFormat::Html => {
            // Inlined as it is: escaped, its quoted font names would break the rule. `</` is
            // written `<\/` (the same in CSS) so no stylesheet text can close the element.
            let css = Value::from_safe_string(stylesheet(templates, meta)?.replace("</", "<\\/"));
            templates.render(
                profile.template("report.html.j2"),
                context! { css => css, ..ctx },
            )
        }
    }
}

/// `style.css` (overrides applied) followed by the print rules this build's facts decide: the
/// system name and date in the bottom margin of every printed page, page numbers, and the
/// `marking:` banner in the top and bottom margins.
pub fn stylesheet(templates: &Templates, meta: &Meta) -> Result<String, Error> {
    let mut css = templates.raw("style.css")?;
    let system = [meta.system.csp.as_deref(), meta.system.name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let footer = if system.is_empty() {
        format!("As of {}", meta.today)
    } else {
        format!("{system} · as of {}", meta.today)
    };
    css.push_str(
        "\n/* Print margins: written by poam for this build. */\n@media print {\n  @page {\n",
    );
    css.push_str(&format!(
        "    @bottom-left {{ content: {}; font-size: 8pt; color: #444; }}\n",
        css_string(&footer)
    ));
    css.push_str(
        "    @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); font-size: 8pt; color: #444; }\n",
    );
    if let Some(marking) = &meta.marking {
        let banner = css_string(marking);
        css.push_str(&format!(
            "    @top-center {{ content: {banner}; font-size: 10pt; font-weight: bold; letter-spacing: .05em; }}\n    @bottom-center {{ content: {banner}; font-size: 10pt; font-weight: bold; letter-spacing: .05em; }}\n"
        ));
    }
    css.push_str("  }\n}\n");
    Ok(css)
}

/// `text` as a CSS string: quotes and backslashes escaped, line breaks and other control
/// characters as spaces, `<` as its escape (the CSS may be inlined in a `<style>`).
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\3c "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The pull-request summary, Markdown.
pub fn pull_request(templates: &Templates, meta: &Meta, pr: &PrSummary) -> Result<String, Error> {
    templates
        .render(
            "pr.md.j2",
            context! { meta => Serde(meta), pr => Serde(pr), limit => MARKDOWN_ROWS },
        )
        .map(fit_markdown)
}

/// What the monthly report and the site are built from.
pub struct Inputs {
    pub config: Config,
    pub meta: Meta,
    /// Item views, sorted by id then path.
    pub views: Vec<ItemView>,
    /// The lint findings of the whole workspace (history rules included when there is history).
    pub lint: Report,
    /// The full history, when the items are in a git repository with commits.
    pub history: Option<History>,
    /// Where finding file names are relative to: for [`Inputs::elements`].
    display_root: std::path::PathBuf,
}

impl Inputs {
    /// The people file and the inventory, for the site's people and assets pages: read again
    /// (lint kept its own copies), and only by the site, which shows them.
    pub fn elements(
        &self,
    ) -> Result<
        (
            Option<crate::people::People>,
            Option<crate::inventory::Inventory>,
        ),
        Error,
    > {
        Ok((
            crate::workspace::load_people(&self.config, &self.display_root)?,
            crate::workspace::load_inventory(&self.config, &self.display_root)?,
        ))
    }
}

/// Loads everything for `config` as of `today`: the item files and the full git history
/// (when there is one) side by side, then the item views (status age from the last commit for
/// items without `status_date`) and the lint report.
pub fn gather(config: Config, today: NaiveDate, progress: bool) -> Result<Inputs, Error> {
    gather_with(config, today, progress, |_, _, _| ()).map(|(inputs, ())| inputs)
}

/// [`gather`], handing the workspace, the history and the item views to `also` before lint
/// takes the workspace: for what the command makes from them besides (the site's downloads).
pub fn gather_with<T>(
    config: Config,
    today: NaiveDate,
    progress: bool,
    also: impl FnOnce(&Workspace, Option<&History>, &[ItemView]) -> T,
) -> Result<(Inputs, T), Error> {
    let (workspace, history) = Workspace::open_with_history(config, progress);
    let history = history?.filter(|history| history.head.is_some());
    let workspace = workspace?;
    let config = workspace.config.clone();
    let display_root = workspace.display_root.clone();
    let last_changed: HashMap<String, NaiveDate> = history
        .as_ref()
        .map(|h| {
            let index = h.index();
            workspace
                .ids()
                .into_iter()
                .filter_map(|id| {
                    // At a shallow boundary the last change is unknown: no date then.
                    let change = index.get(id)?.last_change().filter(|c| c.exact)?;
                    Some((
                        id.to_owned(),
                        change.commit.time.with_timezone(&chrono::Utc).date_naive(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let views = crate::profiles::views(&workspace, today, &|id| last_changed.get(id).copied());
    let also = also(&workspace, history.as_ref(), &views);
    let unreadable_items: Vec<String> = workspace.unreadable().map(str::to_owned).collect();
    let lint = match &history {
        Some(history) => crate::lint::lint_with_history(workspace, today, history)?,
        None => crate::lint::lint(
            workspace,
            &LintInput {
                today,
                history: HistoryMode::Off,
                progress,
                sources: false,
            },
        )?,
    };
    let meta = Meta {
        unreadable: unreadable_items,
        ..Meta::new(
            &config,
            today,
            history.as_ref().and_then(|h| h.head.as_deref()),
        )
    };
    Ok((
        Inputs {
            config,
            meta,
            views,
            lint,
            history,
            display_root,
        },
        also,
    ))
}

/// The pull-request summary of the change from the merge base of `base` and HEAD to the
/// working tree, with the lint findings of the touched items.
///
/// Only the files those findings depend on are parsed and linted (see
/// [`crate::workspace::ReadListing::load_touched`]): the cost follows the change, not the size of the POA&M.
pub fn gather_pr(
    listing: Listing,
    base: &str,
    today: NaiveDate,
    progress: bool,
) -> Result<(Meta, PrSummary), Error> {
    let history_error = |e: HistoryError| Error::history(e);
    let repo = crate::history::open(&listing.config().items_dir).map_err(history_error)?;
    // The files are read once: git hashes them to find uncommitted changes, then the few the
    // findings depend on are parsed.
    let files = listing.read()?;
    let pr = repo
        .pr_history_with(base, WalkOptions { progress }, &files.contents())
        .map_err(history_error)?;
    let (ids, paths) = PrSummary::touched(&pr);
    let workspace = files.load_touched(&paths.iter().cloned().collect(), &finding_ids(&pr, &ids));
    let config = workspace.config.clone();
    let mut lint = crate::lint::lint_with_pr(workspace, today, &repo, &pr)?;
    lint.diagnostics.retain(|d| {
        d.item
            .as_ref()
            .is_some_and(|id| ids.binary_search(id).is_ok())
            || paths.binary_search(&d.location.file).is_ok()
    });
    let meta = Meta::new(&config, today, Some(&pr.head));
    let mut summary = PrSummary::new(base, &pr, summary::FindingsSummary::new(&lint));
    summary.baseline_changed = lint.suppression.baseline_changed;
    Ok((meta, summary))
}

/// Every id a finding about the change's items can carry or look an item up by: the
/// `touched` items' ids (former ids included, see [`PrSummary::touched`]) and the id of each
/// of their versions (history findings
/// name the version's id and point at the current file holding it).
fn finding_ids(pr: &crate::history::PrHistory, touched: &[String]) -> Vec<String> {
    let mut ids = touched.to_vec();
    ids.extend(
        pr.items
            .iter()
            .flat_map(|item| &item.versions)
            .filter_map(|version| crate::history::item_id(version.node()?)),
    );
    ids.sort_unstable();
    ids.dedup();
    ids
}
