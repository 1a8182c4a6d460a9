//! `poam lint`: find the item files, parse them in parallel, run the rules, collect findings.

use std::collections::HashMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{self, Diagnostic, Report};
use crate::error::Error;
use crate::history::audit;
use crate::history::{self, HistoryError, WalkOptions};
use crate::kev::KevCatalog;
use crate::model::item::Item;
use crate::parse;
use crate::policy;
use crate::rules::history::apply_waivers;
use crate::rules::{
    self, CurrentFile, HistoryContext, IdSite, ItemContext, ItemsFolder, Violation,
};
use crate::workspace::{display_name, LoadedItem, Workspace};

/// Which history the history rules look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryMode {
    /// No history rules (`--no-history`).
    Off,
    /// The whole first-parent history of HEAD.
    Full,
    /// The change from the merge base of this revision and HEAD to the working tree (`--base`).
    Base(String),
}

/// Which findings decide a pull request's check (`--base`; its command-line names are in
/// `crate::cli`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// Findings on the items the pull request adds, changes or deletes, configuration
    /// problems and the pull request's own history; the others are only counted.
    #[default]
    Pr,
    /// Every finding, as `poam lint` without `--base` reports them.
    All,
}

/// What lint needs besides the config.
#[derive(Clone, Debug)]
pub struct LintInput {
    pub today: NaiveDate,
    pub history: HistoryMode,
    /// Show a progress bar on a terminal when the history walk takes a while.
    pub progress: bool,
    /// Keep the text of the files with findings in the report, for a renderer that shows
    /// source snippets (the human format). Taking thousands out costs a few milliseconds
    /// the other formats need not pay.
    pub sources: bool,
}

/// What the field rules need from history.
#[derive(Clone, Debug, Default)]
pub struct RuleInput {
    /// Item id → date the item last changed in git, for a missing `status_date`.
    pub last_changed: HashMap<String, NaiveDate>,
}

/// Runs the field and deadline rules over the loaded items.
pub fn check_items(
    config: &Config,
    today: NaiveDate,
    input: &RuleInput,
    kev: Option<&KevCatalog>,
    elements: Elements,
    loaded: &[LoadedItem],
) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = loaded
        .par_iter()
        .flat_map_iter(|file| {
            if let Some(error) = &file.error {
                return rules::apply_levels(config, vec![rules::parse_error(&file.source, error)]);
            }
            let Some(item) = &file.item else {
                return Vec::new();
            };
            let stem = file
                .path
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default();
            let last_changed = item
                .id_text()
                .and_then(|id| input.last_changed.get(id).copied());
            let mut found = check_item_with(
                config,
                today,
                kev,
                elements,
                &file.source,
                item,
                &stem,
                last_changed,
            );
            // Sorted here, in parallel, the findings of files in name order form one sorted
            // run that the final (stable, so same-order) sort of the report merely confirms.
            diag::sort(&mut found);
            found
        })
        .collect();
    let sites: Vec<IdSite> = loaded
        .iter()
        .filter_map(|file| {
            let id = file.item.as_ref()?.id.as_ref()?;
            Some(IdSite {
                id: &id.value,
                file: &file.source,
                span: id.span,
            })
        })
        .collect();
    diagnostics.extend(rules::apply_levels(config, rules::duplicate_ids(&sites)));
    diagnostics
}

/// Assesses one parsed item and runs the item rules over it, without the people file and
/// the inventory (so the owner and asset rules stay quiet): for checks that only ask whether
/// an edit leaves the item readable. An editor's check passes them ([`check_item_with`], as
/// `poam lsp` does).
pub fn check_item(
    config: &Config,
    today: NaiveDate,
    kev: Option<&KevCatalog>,
    source: &crate::source::SourceFile,
    item: &Item,
    file_stem: &str,
    last_changed: Option<NaiveDate>,
) -> Vec<Diagnostic> {
    check_item_with(
        config,
        today,
        kev,
        Elements::default(),
        source,
        item,
        file_stem,
        last_changed,
    )
}

/// The elements items refer to, when the repository defines them.
#[derive(Clone, Copy, Default)]
pub struct Elements<'a> {
    pub people: Option<&'a crate::people::People>,
    pub inventory: Option<&'a crate::inventory::Inventory>,
    /// The files the items' documents name.
    pub evidence: Option<&'a crate::evidence::EvidenceFiles>,
}

/// What is at the paths the loaded items' documents name (relative to the folder of
/// `poam.yaml`).
pub fn evidence_files(config: &Config, loaded: &[LoadedItem]) -> crate::evidence::EvidenceFiles {
    let paths = loaded
        .iter()
        .filter_map(|file| file.item.as_ref()?.documents.as_ref())
        .flat_map(|documents| documents.value.iter())
        .filter_map(|document| document.path.as_ref().map(|p| p.value.as_str()));
    crate::evidence::EvidenceFiles::gather(&config.root, paths)
}

/// [`check_item`] with the people file and inventory the reference rules check against.
#[allow(clippy::too_many_arguments)]
pub fn check_item_with(
    config: &Config,
    today: NaiveDate,
    kev: Option<&KevCatalog>,
    elements: Elements,
    source: &crate::source::SourceFile,
    item: &Item,
    file_stem: &str,
    last_changed: Option<NaiveDate>,
) -> Vec<Diagnostic> {
    let assessment = policy::assess(item, &config.policy, today, last_changed);
    rules::check_item(&ItemContext {
        file: source,
        item,
        config,
        today,
        kev,
        file_stem,
        assessment: &assessment,
        people: elements.people,
        inventory: elements.inventory,
        evidence: elements.evidence,
    })
}

/// Assembles the final report: sorted findings plus the sources they point into.
pub fn finish(
    today: NaiveDate,
    config_source: Option<&crate::source::SourceFile>,
    mut loaded: Vec<LoadedItem>,
    mut diagnostics: Vec<Diagnostic>,
    keep_sources: bool,
) -> Report {
    let items = loaded.len();
    let mut files: Vec<String> = loaded.iter().map(|f| f.source.name.clone()).collect();
    files.sort_unstable();
    diag::sort(&mut diagnostics);
    let sources = if keep_sources {
        take_sources(&mut loaded, &diagnostics, config_source)
    } else {
        std::collections::BTreeMap::new()
    };
    // Freeing thousands of parsed items takes a noticeable moment: the caller decides when.
    let mut leftovers = diag::Leftovers::default();
    leftovers.keep(loaded);
    Report {
        today,
        items,
        files,
        diagnostics,
        sources,
        untouched: None,
        suppressed: Vec::new(),
        suppression: diag::Suppression::default(),
        show_suppressed: false,
        leftovers,
    }
}

/// The sources of the files the findings (sorted) point into, taken out of `loaded`, with
/// `poam.yaml`'s when a finding points there.
fn take_sources(
    loaded: &mut [LoadedItem],
    diagnostics: &[Diagnostic],
    config_source: Option<&crate::source::SourceFile>,
) -> std::collections::BTreeMap<String, crate::source::SourceFile> {
    // The files with findings, sorted: the findings are, so their files come in runs.
    let mut wanted: Vec<&str> = Vec::new();
    for d in diagnostics {
        if wanted.last() != Some(&d.location.file.as_str()) {
            wanted.push(&d.location.file);
        }
        wanted.extend(d.related.iter().map(|r| r.location.file.as_str()));
    }
    wanted.sort_unstable();
    wanted.dedup();
    let is_wanted = |name: &str| wanted.binary_search(&name).is_ok();
    // The sources of files with findings are taken out, in parallel: a migrated repository
    // has findings in nearly every one of thousands of files. The loaded files stay where
    // they are: an item is large, and moving thousands costs more than the placeholder left
    // behind.
    let mut sources: std::collections::BTreeMap<String, crate::source::SourceFile> = loaded
        .par_iter_mut()
        .filter(|file| is_wanted(&file.source.name))
        .map(|file| {
            let source = std::mem::replace(
                &mut file.source,
                crate::source::SourceFile::new(String::new(), String::new()),
            );
            (source.name.clone(), source)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    if let Some(source) = config_source.filter(|s| is_wanted(&s.name)) {
        sources.insert(source.name.clone(), source.clone());
    }
    sources
}

/// Drops the sources no finding (or related location) points into any more.
fn keep_sources_of_findings(report: &mut Report) {
    let wanted = files_pointed_into(&report.diagnostics);
    report
        .sources
        .retain(|name, _| wanted.contains(name.as_str()));
}

/// The files findings (or their related locations) point into.
fn files_pointed_into(diagnostics: &[Diagnostic]) -> std::collections::HashSet<&str> {
    diagnostics
        .iter()
        .flat_map(|d| {
            std::iter::once(d.location.file.as_str())
                .chain(d.related.iter().map(|r| r.location.file.as_str()))
        })
        .collect()
}

/// Keeps only the findings about the files named `names` (and the count of those files):
/// `poam lint FILE...` reports on the named files after checking the whole folder.
pub fn keep_files(report: &mut Report, names: &std::collections::BTreeSet<String>) {
    report
        .diagnostics
        .retain(|d| names.contains(d.location.file.as_str()));
    report
        .suppressed
        .retain(|d| names.contains(d.location.file.as_str()));
    keep_sources_of_findings(report);
    report.items = names.len();
    report.files.retain(|f| names.contains(f.as_str()));
}

/// Lints the items of the workspace: field and deadline rules, then history rules. Every
/// finding counts ([`Scope::All`]).
pub fn lint(workspace: Workspace, input: &LintInput) -> Result<Report, Error> {
    lint_in_scope(workspace, input, Scope::All)
}

/// [`lint`], keeping in pull-request mode only the findings `scope` says count.
pub fn lint_in_scope(
    workspace: Workspace,
    input: &LintInput,
    scope: Scope,
) -> Result<Report, Error> {
    lint_inner(workspace, input, scope, true)
}

/// [`lint`] without the baseline file: every finding it would suppress is reported
/// (`poam baseline` records them). Waivers still apply.
pub fn lint_without_baseline(workspace: Workspace, input: &LintInput) -> Result<Report, Error> {
    lint_inner(workspace, input, Scope::All, false)
}

fn lint_inner(
    mut workspace: Workspace,
    input: &LintInput,
    scope: Scope,
    use_baseline: bool,
) -> Result<Report, Error> {
    let repo = match input.history {
        HistoryMode::Off => None,
        HistoryMode::Full | HistoryMode::Base(_) => {
            match history::open(&workspace.config.items_dir) {
                Ok(repo) => Some(repo),
                Err(HistoryError::NotARepo { .. }) if input.history == HistoryMode::Full => None,
                Err(err) => return Err(Error::history(err)),
            }
        }
    };
    let folder = name_waivers(&mut workspace);
    if let Some(repo) = &repo {
        resolve_waivers(&mut workspace, repo)?;
        // Read serially: on its own thread beside the items' walk it measured 2.10 s against
        // 2.13 s on 20,000 commits (bench/README.md), too little for a thread.
        note_people_history(&mut workspace, repo)?;
    }
    let config = &workspace.config;
    let mut found = HistoryFindings::default();
    let mut touched = None;
    let mut walked = None;
    let mut merge_base = None;
    if input.history == HistoryMode::Full && repo.is_none() {
        found.notes.extend(rules::history_unavailable(
            config,
            &folder,
            rules::Unavailable::NotARepo,
        ));
    }
    if let Some(repo) = &repo {
        let options = WalkOptions {
            progress: input.progress,
        };
        let history_error = |err: HistoryError| Error::history(err);
        let (cutoff, unknown) = repository_context(config, repo, input.today)?;
        match &input.history {
            HistoryMode::Base(rev) => {
                let pr = repo.pr_history(rev, options).map_err(history_error)?;
                merge_base = Some(pr.merge_base.id.clone());
                let authority = pr_authority(&workspace, repo);
                found =
                    pr_history_findings(config, &pr, cutoff.as_ref(), &unknown, authority.as_ref());
                found.violations.extend(rules::rebase_merge_violations(
                    config,
                    &pr,
                    cutoff.as_ref(),
                    authority.as_ref(),
                ));
                if scope == Scope::Pr {
                    touched = Some(pr.touched());
                }
            }
            _ => {
                let history = repo.full_history(options).map_err(history_error)?;
                let authority = authority(&workspace, repo);
                found = full_history_findings(
                    config,
                    &folder,
                    &history,
                    &workspace.items,
                    cutoff.as_ref(),
                    &unknown,
                    authority.as_ref(),
                );
                // Freeing a large history takes a noticeable moment: the caller decides when.
                walked = Some(history);
            }
        }
    }
    let baseline = match (use_baseline, &repo, &merge_base) {
        (false, _, _) => None,
        (true, Some(repo), Some(commit)) => base_baseline(&workspace, repo, commit)?,
        (true, _, _) => load_baseline(&workspace)?,
    };
    let mut report = assemble(
        workspace,
        &folder,
        input.today,
        found,
        input.sources,
        baseline,
    );
    if let Some(history) = walked {
        report.leftovers.keep(history);
    }
    if let Some(touched) = &touched {
        keep_touched(&mut report, touched, &folder);
    }
    Ok(report)
}

/// Keeps the findings of a pull request's check: on items it touches (by file, or by a
/// related location such as the other file of a duplicate id), about
/// `poam.yaml`, and of the history rules (which judge only the pull request's change). The
/// others are counted in [`Report::untouched`].
fn keep_touched(report: &mut Report, touched: &history::Touched, folder: &ItemsFolder) {
    let kept = |d: &Diagnostic| {
        rules::is_history_code(d.code)
            || d.code == rules::Code::CodeownersStale
            || d.location.file == folder.name
            || touched.paths.contains(&d.location.file)
            || d.related
                .iter()
                .any(|r| touched.paths.contains(&r.location.file))
    };
    let mut files = std::collections::BTreeSet::new();
    let mut findings = 0;
    report.diagnostics.retain(|d| {
        let keep = kept(d);
        if !keep {
            findings += 1;
            files.insert(d.location.file.clone());
        }
        keep
    });
    keep_sources_of_findings(report);
    report.untouched = Some(diag::Untouched {
        findings,
        items: files.len(),
    });
}

/// Lints the workspace against a full history already walked (the site reads the same walk
/// for its timelines and charts).
pub fn lint_with_history(
    mut workspace: Workspace,
    today: NaiveDate,
    history: &history::History,
) -> Result<Report, Error> {
    let folder = name_waivers(&mut workspace);
    let repo = history::open(&workspace.config.items_dir).map_err(Error::history)?;
    resolve_waivers(&mut workspace, &repo)?;
    note_people_history(&mut workspace, &repo)?;
    let config = &workspace.config;
    let (cutoff, unknown) = repository_context(config, &repo, today)?;
    let authority = authority(&workspace, &repo);
    let found = full_history_findings(
        config,
        &folder,
        history,
        &workspace.items,
        cutoff.as_ref(),
        &unknown,
        authority.as_ref(),
    );
    drop(authority);
    let baseline = load_baseline(&workspace)?;
    // For the reports, which show no source snippets.
    Ok(assemble(workspace, &folder, today, found, false, baseline))
}

/// Lints the workspace in pull-request mode against a change already read (`poam report
/// --base` reads the same change for its summary).
pub fn lint_with_pr(
    mut workspace: Workspace,
    today: NaiveDate,
    repo: &history::GitRepo,
    pr: &history::PrHistory,
) -> Result<Report, Error> {
    let folder = name_waivers(&mut workspace);
    resolve_waivers(&mut workspace, repo)?;
    note_people_history(&mut workspace, repo)?;
    let config = &workspace.config;
    let (cutoff, unknown) = repository_context(config, repo, today)?;
    let authority = pr_authority(&workspace, repo);
    let found = pr_history_findings(config, pr, cutoff.as_ref(), &unknown, authority.as_ref());
    drop(authority);
    let baseline = base_baseline(&workspace, repo, &pr.merge_base.id)?;
    // For the reports, which show no source snippets.
    Ok(assemble(workspace, &folder, today, found, false, baseline))
}

/// The name findings give the baseline file: relative to the repository root, like the item
/// files.
fn baseline_name(workspace: &Workspace) -> String {
    display_name(
        &crate::baseline::path(&workspace.config),
        &workspace.display_root,
    )
}

/// The baseline file of the working tree, when there is one.
fn load_baseline(workspace: &Workspace) -> Result<Option<crate::baseline::Loaded>, Error> {
    crate::baseline::load(
        &crate::baseline::path(&workspace.config),
        &workspace.display_root,
        &baseline_name(workspace),
    )
}

/// A pull request's check: the baseline of the base commit (`commit`, the merge base), so a
/// pull request cannot add to it silently; with how the working tree's file differs from it.
fn base_baseline(
    workspace: &Workspace,
    repo: &history::GitRepo,
    commit: &str,
) -> Result<Option<crate::baseline::Loaded>, Error> {
    let path = crate::baseline::path(&workspace.config);
    let name = baseline_name(workspace);
    let base = match repo.file_at(commit, &path).map_err(Error::history)? {
        Some(bytes) => Some(crate::baseline::parse(bytes, &name)?),
        None => None,
    };
    let current = load_baseline(workspace)?;
    let empty = crate::baseline::BaselineFile::default();
    let changed = crate::baseline::change(
        base.as_ref().map_or(&empty, |b| &b.file),
        current.as_ref().map_or(&empty, |c| &c.file),
    );
    Ok(match base {
        Some(mut base) => {
            base.changed = changed;
            Some(base)
        }
        // No baseline at the base commit: none applies, but a new one is still reported.
        None => changed.map(|changed| crate::baseline::Loaded {
            file: empty,
            source: crate::source::SourceFile::new(name, String::new()),
            changed: Some(changed),
        }),
    })
}

/// Who may decide, when `poam.yaml` has `approvals:` (`decision-unauthorized`).
fn authority<'a>(
    workspace: &'a Workspace,
    repo: &'a history::GitRepo,
) -> Option<crate::authority::Authority<'a>> {
    let settings = workspace.config.approvals.as_ref()?;
    Some(crate::authority::Authority::new(
        settings,
        workspace.people.as_ref(),
        Some(repo),
        workspace.config.policy.profile,
    ))
}

/// [`authority`] for a pull request's check: under `merge_strategy: squash`, its decisions are
/// judged as the squash commit will be (docs/approvals.md, step 4).
fn pr_authority<'a>(
    workspace: &'a Workspace,
    repo: &'a history::GitRepo,
) -> Option<crate::authority::Authority<'a>> {
    let authority = authority(workspace, repo)?;
    Some(match workspace.config.merge_strategy {
        Some(crate::config::MergeStrategy::Squash) => authority.for_squash_merges(),
        _ => authority,
    })
}

/// The history rules' and the decision rules' violations along `runs`.
fn judge_runs(
    config: &Config,
    runs: &[audit::Run],
    authority: Option<&crate::authority::Authority>,
) -> Vec<Violation> {
    let mut judged = rules::judge_history(runs, config.policy.profile);
    if let Some(authority) = authority {
        judged.extend(rules::judge_decisions(
            runs,
            config.policy.profile,
            authority,
        ));
    }
    judged
}

fn pr_history_findings(
    config: &Config,
    pr: &history::PrHistory,
    cutoff: Option<&history::Cutoff>,
    unknown_waivers: &[bool],
    authority: Option<&crate::authority::Authority>,
) -> HistoryFindings {
    let mut found = HistoryFindings::default();
    let mut judged = rules::judge_history(&audit::pr_runs(pr, cutoff), config.policy.profile);
    if let Some(authority) = authority {
        judged.extend(rules::judge_decisions(
            &audit::pr_decision_runs(pr, cutoff),
            config.policy.profile,
            authority,
        ));
    }
    // A pull request sees only its own commits: a waiver of a mainline commit matching
    // nothing here is expected.
    found.violations = apply_waivers(judged, &config.history_waivers).kept;
    found
        .notes
        .extend(rules::check_waivers(config, unknown_waivers, None));
    found
}

/// What the history contributes to a lint: notes about the history itself, the dates items
/// last changed, and the violations of the history rules.
#[derive(Default)]
struct HistoryFindings {
    notes: Vec<Diagnostic>,
    input: RuleInput,
    violations: Vec<Violation>,
}

/// Where folder-level findings point: `poam.yaml`, else the items folder.
fn items_folder(workspace: &Workspace) -> ItemsFolder {
    let config = &workspace.config;
    let name = display_name(
        config.file.as_deref().unwrap_or(&config.items_dir),
        &workspace.display_root,
    );
    ItemsFolder {
        name: if name.is_empty() {
            ".".to_owned()
        } else {
            name
        },
    }
}

/// The items folder's name, which the waivers' findings now carry too: they point into
/// `poam.yaml`, named like the item files.
fn name_waivers(workspace: &mut Workspace) -> ItemsFolder {
    let folder = items_folder(workspace);
    for waiver in &mut workspace.config.history_waivers {
        waiver.location.file.clone_from(&folder.name);
    }
    for waiver in &mut workspace.config.waivers {
        waiver.location.file.clone_from(&folder.name);
    }
    folder
}

/// Resolves the waivers' commits to full ids (see [`rules::history::resolve_waivers`]).
fn resolve_waivers(workspace: &mut Workspace, repo: &history::GitRepo) -> Result<(), Error> {
    let mut waivers = std::mem::take(&mut workspace.config.history_waivers);
    let resolved = rules::history::resolve_waivers(&workspace.config, &mut waivers, repo);
    workspace.config.history_waivers = waivers;
    resolved
}

/// Reads the people file's history, so that owners a commit removed from it are known as
/// departed (`owner-departed`).
fn note_people_history(workspace: &mut Workspace, repo: &history::GitRepo) -> Result<(), Error> {
    let (Some(people), Some(path)) = (workspace.people.as_mut(), workspace.config.people_file())
    else {
        return Ok(());
    };
    let versions = repo.file_versions(&path).map_err(Error::history)?;
    people.note_history(&versions);
    Ok(())
}

/// What every history mode reads of the repository besides the history: the
/// `history_since` cutoff, and for each waiver whether its commit is unknown.
fn repository_context(
    config: &Config,
    repo: &history::GitRepo,
    today: NaiveDate,
) -> Result<(Option<history::Cutoff>, Vec<bool>), Error> {
    let cutoff = match &config.history_since {
        Some(since) => Some(resolve_since(config, repo, since, today)?),
        None => None,
    };
    Ok((cutoff, unknown_waivers(config)))
}

/// For each `history_waivers` entry, whether its commit is unknown to the repository (the
/// waivers are resolved first).
fn unknown_waivers(config: &Config) -> Vec<bool> {
    config
        .history_waivers
        .iter()
        .map(|w| w.resolved.is_none())
        .collect()
}

fn full_history_findings(
    config: &Config,
    folder: &ItemsFolder,
    history: &history::History,
    loaded: &[LoadedItem],
    cutoff: Option<&history::Cutoff>,
    unknown_waivers: &[bool],
    authority: Option<&crate::authority::Authority>,
) -> HistoryFindings {
    let mut found = HistoryFindings::default();
    if history.head.is_none() {
        found.notes.extend(rules::history_unavailable(
            config,
            folder,
            rules::Unavailable::NoCommits,
        ));
    }
    if let Some(warning) = history.shallow_warning() {
        found
            .notes
            .extend(rules::history_shallow(config, folder, &warning));
    }
    let index = history.index();
    for file in loaded {
        let Some(id) = file.item.as_ref().and_then(Item::id_text) else {
            continue;
        };
        let Some(item) = index.get(id) else {
            continue;
        };
        // At a shallow boundary the last change is unknown: better no date than a wrong one.
        if let Some(change) = item.last_change().filter(|c| c.exact) {
            let date = change.commit.time.with_timezone(&chrono::Utc).date_naive();
            found.input.last_changed.insert(id.to_owned(), date);
        }
    }
    let judged = judge_runs(config, &audit::full_runs(history, cutoff), authority);
    let waived = apply_waivers(judged, &config.history_waivers);
    found.violations = waived.kept;
    // Without commits the one `history-unavailable` note says it all.
    if history.head.is_some() {
        found.notes.extend(rules::check_waivers(
            config,
            unknown_waivers,
            Some(&waived.matches),
        ));
    }
    found
}

/// The findings of the config, the items and the history, sorted into a report.
fn assemble(
    workspace: Workspace,
    folder: &ItemsFolder,
    today: NaiveDate,
    found: HistoryFindings,
    keep_sources: bool,
    baseline: Option<crate::baseline::Loaded>,
) -> Report {
    let codeowners = rules::check_codeowners(&workspace, today);
    let Workspace {
        config,
        items: loaded,
        kev,
        people,
        inventory,
        ..
    } = workspace;
    let config = &config;
    // `poam.yaml` named like the item files, for findings that point into it.
    let config_source = config
        .source
        .as_ref()
        .map(|s| crate::source::SourceFile::new(folder.name.clone(), s.text.to_string()));
    let mut diagnostics = found.notes;
    let codeowners_source = codeowners.map(|(finding, source)| {
        diagnostics.push(finding);
        source
    });
    if let Some(source) = &config_source {
        diagnostics.extend(rules::check_config(config, source));
    }
    if let Some(people) = &people {
        diagnostics.extend(rules::check_people(config, people));
    }
    if let Some(inventory) = &inventory {
        diagnostics.extend(rules::check_inventory(config, inventory, today));
    }
    if let Some(assessment) = config.cmmc.as_deref() {
        let planned: Vec<&str> = loaded
            .iter()
            .filter_map(|file| file.item.as_ref()?.requirement.as_ref())
            .map(|r| r.value.trim())
            .collect();
        diagnostics.extend(rules::check_assessment(config, assessment, &planned));
    }
    let evidence = evidence_files(config, &loaded);
    let elements = Elements {
        people: people.as_ref(),
        inventory: inventory.as_ref(),
        evidence: Some(&evidence),
    };
    let item_findings = check_items(config, today, &found.input, kev.as_ref(), elements, &loaded);
    // Usually nothing precedes them: take the (possibly tens of thousands of) item findings
    // as they are rather than copying them after nothing.
    if diagnostics.is_empty() {
        diagnostics = item_findings;
    } else {
        diagnostics.extend(item_findings);
    }
    let violations = &found.violations;
    if !violations.is_empty() {
        let ids = violations.iter().map(|v| v.item_id.as_str()).collect();
        let paths = violations.iter().map(|v| v.path.as_str()).collect();
        let ctx = history_context(&loaded, &ids, &paths);
        diagnostics.extend(rules::check_history(config, violations, &ctx));
    }
    let mut suppressed = Vec::new();
    let mut suppression = diag::Suppression::default();
    if !config.waivers.is_empty() {
        let ids: std::collections::HashSet<&str> = loaded
            .iter()
            .filter_map(|file| file.item.as_ref().and_then(Item::id_text))
            .collect();
        let mut matches = vec![0; config.waivers.len()];
        diagnostics.retain(|d| {
            let waiver = config.waivers.iter().position(|w| {
                w.expires >= today && w.rule == d.code && d.item.as_deref() == Some(&w.item)
            });
            match waiver {
                Some(index) => {
                    matches[index] += 1;
                    suppressed.push(d.clone());
                    false
                }
                None => true,
            }
        });
        suppression.waived = suppressed.len();
        diagnostics.extend(rules::check_item_waivers(
            config,
            today,
            &|id| ids.contains(id),
            &matches,
        ));
    }
    let mut baseline_source = None;
    if let Some(baseline) = baseline {
        // Matched in report order, so that which of two identical findings an entry takes
        // does not depend on the order rules ran in.
        diag::sort(&mut diagnostics);
        let applied = crate::baseline::apply(config, &baseline, diagnostics, today);
        diagnostics = applied.kept;
        suppression.baseline = applied.suppressed.len();
        suppressed.extend(applied.suppressed);
        if !applied.stale.is_empty() {
            baseline_source = Some(baseline.source.clone());
        }
        diagnostics.extend(applied.stale);
        suppression.baseline_changed = baseline.changed;
    }
    diag::sort(&mut suppressed);
    let mut report = finish(
        today,
        config_source.as_ref(),
        loaded,
        diagnostics,
        keep_sources,
    );
    report.suppressed = suppressed;
    report.suppression = suppression;
    if let Some(source) = codeowners_source.filter(|_| keep_sources) {
        report.sources.insert(source.name.clone(), source);
    }
    if let Some(source) = baseline_source.filter(|_| keep_sources) {
        report.sources.insert(source.name.clone(), source);
    }
    // The people file's text, for the snippets of findings that point into it.
    if let Some(people) =
        people.filter(|p| keep_sources && report_points_into(&report, &p.source.name))
    {
        report
            .sources
            .insert(people.source.name.clone(), people.source);
    }
    // The assessment's text (`cmmc-l2`), likewise.
    if let Some(assessment) = config
        .cmmc
        .as_deref()
        .filter(|a| keep_sources && report_points_into(&report, &a.source.name))
    {
        report
            .sources
            .insert(assessment.source.name.clone(), assessment.source.clone());
    }
    // Likewise the inventory files findings point into.
    if let Some(inventory) = inventory.filter(|_| keep_sources) {
        let named = files_pointed_into(&report.diagnostics);
        let wanted: Vec<_> = inventory
            .files
            .into_iter()
            .filter(|file| named.contains(file.name.as_str()))
            .collect();
        for file in wanted {
            report.sources.insert(file.name.clone(), file);
        }
    }
    report
}

/// True when a finding of `report` (or one of its related places) is in the file `name`.
fn report_points_into(report: &Report, name: &str) -> bool {
    report
        .diagnostics
        .iter()
        .any(|d| d.location.file == name || d.related.iter().any(|r| r.location.file == name))
}

/// Resolves `history_since`, pointing at it in `poam.yaml` when it names nothing or lies in
/// the future (which would silently switch the history rules off).
fn resolve_since(
    config: &Config,
    repo: &history::GitRepo,
    since: &crate::model::Sp<String>,
    today: NaiveDate,
) -> Result<history::Cutoff, Error> {
    let cutoff = repo.resolve_since(&since.value).map_err(|err| match err {
        HistoryError::BadSince { .. } => config.problem(
            since.span,
            format!(
                "`history_since: {}` is neither a date (YYYY-MM-DD) nor a commit of this repository",
                since.value
            ),
            Some("give the date or the commit (hash, tag, branch) from which history rules apply".into()),
        ),
        other => Error::history(other),
    })?;
    if let history::Cutoff::Date(date) = &cutoff {
        if *date > today {
            return Err(config.problem(
                since.span,
                format!("`history_since: {date}` is after today ({today}): it would switch every history rule off"),
                Some("use a date on or before today, or remove `history_since`".into()),
            ));
        }
    }
    Ok(cutoff)
}

/// The current files of the items violations concern (by id, or by path), re-parsed for
/// field lookup (few items have violations, so the trees of the others are not kept).
fn history_context<'a>(
    loaded: &'a [LoadedItem],
    ids: &std::collections::HashSet<&str>,
    paths: &std::collections::HashSet<&str>,
) -> HistoryContext<'a> {
    let mut current = HashMap::new();
    for file in loaded {
        let id = file.item.as_ref().and_then(Item::id_text);
        let by_id = id.filter(|id| ids.contains(id));
        let by_path = paths.contains(file.source.name.as_str());
        if by_id.is_none() && !by_path {
            continue;
        }
        let Ok(node) = parse::parse_str(&file.source.text) else {
            continue;
        };
        let node = std::rc::Rc::new(node);
        // A file is found by its current id, or by its path when the id changed since.
        if let Some(id) = by_id {
            current.entry(id.to_owned()).or_insert_with(|| CurrentFile {
                source: &file.source,
                node: node.clone(),
            });
        }
        if by_path {
            current
                .entry(file.source.name.clone())
                .or_insert(CurrentFile {
                    source: &file.source,
                    node,
                });
        }
    }
    HistoryContext { current }
}
