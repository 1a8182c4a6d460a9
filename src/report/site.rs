//! `poam site`: a static status site, written into a folder in one swap.
//!
//! Every page is rendered in parallel and written as soon as it is rendered into a sibling
//! temporary folder, which replaces the previous build by two renames: a reader sees the old
//! site or the new one, never half of one. The folder must be new, empty, or an
//! earlier build (it holds the `.poam-site` marker); it may not be the repository root, the
//! items folder, or a folder holding either.

use crate::profiles::csv_cell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use super::templates::{context, Serde, Value};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::error::Error;
use crate::history::{History, ItemHistory};
use crate::inventory::{asset_name, Inventory};
use crate::output::{Staging, WRITERS};
use crate::people::People;
use crate::profiles::SystemProfile;
use crate::view::{display_id, ItemRef, ItemView, ItemsDocument, State, VIEW_VERSION};

use super::charts::{self, Chart, HistorySeries};
use super::summary::Summary;
use super::templates::Templates;
use super::Meta;

/// The marker file that says a folder is a site poam built (and may replace).
pub const MARKER: &str = ".poam-site";
/// Events shown on an item page, newest first.
const TIMELINE_LIMIT: usize = 500;
const VALUE_LIMIT: usize = 200;

/// Everything a site is built from.
pub struct SiteInput<'a> {
    pub meta: &'a Meta,
    pub views: &'a [ItemView],
    pub summary: &'a Summary,
    /// The full history, when the items are in a git repository with commits.
    pub history: Option<&'a History>,
    pub policy: &'a crate::policy::Policy,
    /// The profile: which templates, charts and CSV columns the site shows.
    pub profile: &'a dyn SystemProfile,
    /// `repo_url` from config: commit ids link to `<repo_url>/commit/<id>`.
    pub repo_url: Option<&'a str>,
    /// The people file, when there is one: the people page names owners by it.
    pub people: Option<&'a People>,
    /// The inventory, when there is one: the assets page lists its assets.
    pub inventory: Option<&'a Inventory>,
    /// What the audience the site is built for may not see (`poam site --audience`): the
    /// data is already cut down (see [`super::audience`]); this leaves out the pages, the
    /// `items.json` keys and the CSV columns of the hidden parts.
    pub hidden: &'a [crate::config::Hidden],
    /// Where the evidence files of this commit are on the web: `<repo_url>/blob/<commit>/`
    /// plus the folder of poam.yaml, when `repo_url` is set and there is a commit.
    pub evidence_base: Option<&'a str>,
    /// The per-item `waivers` of `poam.yaml`: the findings page lists them.
    pub waivers: &'a [crate::config::Waiver],
    /// Files the command produced for the downloads page (the FedRAMP workbook, the OSCAL
    /// document, the VER documents), written under `downloads/`.
    pub downloads: &'a [Download],
}

pub use crate::output::Download;

/// One row of the downloads page.
#[derive(Serialize)]
struct DownloadRow {
    /// Relative to the site root.
    path: String,
    title: String,
    bytes: Option<usize>,
    sha256: Option<String>,
    error: Option<String>,
}

/// Text compared the way people read ids and controls: runs of digits by their value, so
/// `SC-8` comes before `SC-13` and `V-9` before `V-10`; otherwise by the text.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
                let (m, n) = (run(x), run(y));
                let trim = |s: &[u8]| -> usize { s.iter().take_while(|b| **b == b'0').count() };
                let (dx, dy) = (&x[trim(&x[..m]).min(m)..m], &y[trim(&y[..n]).min(n)..n]);
                let order = dx.len().cmp(&dy.len()).then_with(|| dx.cmp(dy));
                if order != Ordering::Equal {
                    return order;
                }
                x = &x[m..];
                y = &y[n..];
            }
            (Some(c), Some(d)) => {
                let order = c.to_ascii_lowercase().cmp(&d.to_ascii_lowercase());
                if order != Ordering::Equal {
                    return order;
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

/// A waiver as the findings page shows it.
#[derive(serde::Serialize)]
struct WaiverRow<'a> {
    item: &'a str,
    rule: &'static str,
    reason: &'a str,
    expires: String,
    ticket: Option<&'a str>,
    expired: bool,
}

/// One document on an item page: what it is, its SHA-256, and a link to the file (at the
/// site's commit, when the repository's address is known) or to where it is kept.
#[derive(Serialize)]
struct DocumentLink {
    href: Option<String>,
}

/// The links of an item's documents, in order: an `http(s)` `url` as written, else the
/// evidence file at `evidence_base` (each step of its path percent-encoded).
fn document_links(view: &ItemView, evidence_base: Option<&str>) -> Vec<DocumentLink> {
    const STEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    view.documents
        .iter()
        .map(|doc| {
            let url = doc
                .url
                .as_deref()
                .map(str::trim)
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                .map(str::to_owned);
            let file = || {
                let path = doc.path.as_deref()?;
                let encoded: Vec<String> = path
                    .split('/')
                    .map(|step| percent_encoding::utf8_percent_encode(step, STEP).to_string())
                    .collect();
                Some(format!("{}{}", evidence_base?, encoded.join("/")))
            };
            DocumentLink {
                href: url.or_else(file),
            }
        })
        .collect()
}

/// A file name for an id: letters, digits, `.`, `_` and `-` kept, anything else `_`.
pub fn slug(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    if out.is_empty() || out.starts_with('.') {
        out.insert(0, '_');
    }
    out
}

/// Unique page names for the views, in order, decided by the ids alone (never by the order
/// the files were read in): `items/<slug>.html`, lower case so that no two differ only in
/// case (one file on a case-insensitive file system). Views whose slugs meet (`V-1` and
/// `v-1`; `a/b` and `a_b`; one id in two files) get `items/<slug>~<hash>.html` from a hash
/// of the exact id (and of the file, for one id in two files); only an id that is its own
/// slug keeps the plain name. `~` is never in a slug, so no such name meets another page.
pub fn item_pages(views: &[ItemView]) -> Vec<String> {
    let ids: Vec<String> = views.iter().map(display_id).collect();
    let bases: Vec<String> = ids.iter().map(|id| slug(id).to_ascii_lowercase()).collect();
    let mut sharing: HashMap<&str, usize> = HashMap::new();
    let mut same_id: HashMap<&str, usize> = HashMap::new();
    for (id, base) in ids.iter().zip(&bases) {
        *sharing.entry(base).or_default() += 1;
        *same_id.entry(id).or_default() += 1;
    }
    // Name-based (SHA-1) UUIDs as a stable hash: the same on every machine and build.
    let hashes: Vec<Option<String>> = views
        .iter()
        .zip(ids.iter().zip(&bases))
        .map(|(view, (id, base))| {
            let alone = sharing[base.as_str()] == 1 || (id == base && same_id[id.as_str()] == 1);
            let key = if same_id[id.as_str()] == 1 {
                id.clone()
            } else {
                format!("{id}\0{}", view.path)
            };
            (!alone).then(|| {
                uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, key.as_bytes())
                    .simple()
                    .to_string()
            })
        })
        .collect();
    let short = |base: &str, hash: &Option<String>| match hash {
        Some(hash) => format!("{base}~{}", &hash[..8]),
        None => base.to_owned(),
    };
    let mut taken: HashMap<String, usize> = HashMap::new();
    for (base, hash) in bases.iter().zip(&hashes) {
        *taken.entry(short(base, hash)).or_default() += 1;
    }
    bases
        .iter()
        .zip(&hashes)
        .map(|(base, hash)| {
            let name = short(base, hash);
            // Two short hashes that meet (one chance in four billion, or made on purpose)
            // fall back to the whole hash.
            let name = match hash {
                Some(hash) if taken[&name] > 1 => format!("{base}~{hash}"),
                _ => name,
            };
            format!("items/{name}.html")
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct TimelineEntry {
    date: String,
    author: String,
    commit: Option<String>,
    commit_url: Option<String>,
    summary: String,
    kind: &'static str,
    path: String,
    parse_error: Option<String>,
    changes: Vec<TimelineChange>,
}

#[derive(Serialize)]
struct TimelineChange {
    field: String,
    before: Option<String>,
    after: Option<String>,
}

fn show(value: Option<&serde_json::Value>) -> Option<String> {
    let text = match value? {
        serde_json::Value::Null => return None,
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some(if text.chars().count() > VALUE_LIMIT {
        format!("{}…", text.chars().take(VALUE_LIMIT).collect::<String>())
    } else {
        text
    })
}

pub(super) fn timeline(history: &ItemHistory, repo_url: Option<&str>) -> Vec<TimelineEntry> {
    history
        .events
        .iter()
        .rev()
        .take(TIMELINE_LIMIT)
        .map(|event| {
            let commit = event.commit();
            TimelineEntry {
                date: commit.map_or_else(|| "uncommitted".to_owned(), |c| c.time_rfc3339()),
                author: commit.map(|c| c.author.name.clone()).unwrap_or_default(),
                commit: commit.map(|c| c.short_id().to_owned()),
                commit_url: commit
                    .zip(repo_url)
                    .map(|(c, url)| format!("{url}/commit/{}", c.id)),
                summary: commit.map(|c| c.summary.clone()).unwrap_or_default(),
                kind: event.kind.as_str(),
                path: event.path.clone(),
                parse_error: event.parse_error.clone(),
                changes: event
                    .changes
                    .iter()
                    .map(|c| TimelineChange {
                        field: c.path.clone(),
                        before: show(c.old.as_ref()),
                        after: show(c.new.as_ref()),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct ControlPage {
    control: String,
    /// The catalog's title and family (`AC`, `Access Control`), when the control is in it.
    title: Option<String>,
    family: Option<String>,
    family_title: Option<String>,
    page: String,
    open: usize,
    closed: usize,
    items: Vec<ItemRef>,
}

pub(super) fn controls(views: &[ItemView], refs: &[ItemRef]) -> Vec<ControlPage> {
    let mut by_control: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, view) in views.iter().enumerate() {
        let mut seen: Vec<String> = view
            .controls
            .iter()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect();
        seen.sort();
        seen.dedup();
        for control in seen {
            by_control.entry(control).or_default().push(i);
        }
    }
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_control: Vec<(String, Vec<usize>)> = by_control.into_iter().collect();
    by_control.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    by_control
        .into_iter()
        .map(|(control, indexes)| {
            let base = slug(&control).to_ascii_lowercase();
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            let page = if *n == 1 {
                format!("controls/{base}.html")
            } else {
                format!("controls/{base}-{n}.html")
            };
            let items: Vec<ItemRef> = indexes.iter().map(|i| refs[*i].clone()).collect();
            let known = Catalog::get().control(&control);
            ControlPage {
                title: known.map(|c| c.title.to_owned()),
                family: known.map(|c| c.family.to_owned()),
                family_title: known.map(|c| c.family_title.to_owned()),
                control,
                page,
                open: items.iter().filter(|i| i.open).count(),
                closed: items.iter().filter(|i| !i.open).count(),
                items,
            }
        })
        .collect()
}

/// One owner on the people page: who, and their open items (late ones by the profile's
/// standing, so both profiles count the same way the dashboard does).
#[derive(Serialize)]
pub(super) struct OwnerSection {
    /// The people-file id, or the owner text when it names no entry; empty for no owner.
    owner: String,
    /// The entry's name, when the owner is an entry of the people file.
    name: Option<String>,
    /// An entry of the people file (else free text, or no owner).
    known: bool,
    team: bool,
    /// The section's anchor on the page.
    anchor: String,
    open: usize,
    late: usize,
    /// The open items, in the profile's order for open items.
    items: Vec<ItemRef>,
}

/// The people page: every entry of the people file (a repeated id once) and every other owner
/// of an open item, sorted by id; items without an owner last.
pub(super) fn owners(
    refs: &[ItemRef],
    people: Option<&People>,
    profile: &dyn SystemProfile,
) -> Vec<OwnerSection> {
    let mut sections: BTreeMap<(bool, String), OwnerSection> = BTreeMap::new();
    let mut section = |owner: &str| -> (bool, String) {
        let person = people.and_then(|p| p.get(owner));
        let id = person.map_or_else(|| owner.to_owned(), |p| p.id.value.clone());
        let key = (id.is_empty(), id.clone());
        sections.entry(key.clone()).or_insert_with(|| OwnerSection {
            anchor: if id.is_empty() {
                "no-owner".to_owned()
            } else {
                format!("owner-{}", slug(&id))
            },
            owner: id,
            name: person.and_then(|p| p.name.clone()),
            known: person.is_some(),
            team: person.is_some_and(|p| p.is_team()),
            open: 0,
            late: 0,
            items: Vec::new(),
        });
        key
    };
    if let Some(people) = people {
        for person in &people.entries {
            section(&person.id.value);
        }
    }
    let mut placed = Vec::new();
    for item in refs.iter().filter(|i| i.open) {
        let owner = item.owner.as_deref().map(str::trim).unwrap_or_default();
        placed.push((section(owner), item));
    }
    for (key, item) in placed {
        if let Some(section) = sections.get_mut(&key) {
            section.open += 1;
            if item.standing.state == State::Late {
                section.late += 1;
            }
            section.items.push(item.clone());
        }
    }
    let mut sections: Vec<OwnerSection> = sections.into_values().collect();
    for section in &mut sections {
        profile.sort_open(&mut section.items);
    }
    sections
}

/// One asset on the assets page: what the inventory says of it, and the open items naming it
/// (late ones by the profile's standing, as on the dashboard).
#[derive(Serialize)]
pub(super) struct AssetSection {
    /// The inventory's unique asset identifier, or the name the items write when the
    /// inventory does not hold it.
    asset: String,
    /// An asset of the inventory (else a name only items write: `asset-unknown`).
    known: bool,
    kind: Option<&'static str>,
    owner: Option<String>,
    last_scanned: Option<NaiveDate>,
    in_latest_scan: Option<bool>,
    retired: bool,
    anchor: String,
    open: usize,
    late: usize,
    items: Vec<ItemRef>,
}

/// The assets page: every asset of the inventory (in file order, a repeated id once) and
/// every other name an open item's `assets` writes (sorted), each with the open items naming
/// it through its id or an alias.
pub(super) fn assets(
    views: &[ItemView],
    refs: &[ItemRef],
    inventory: Option<&Inventory>,
    profile: &dyn SystemProfile,
    today: NaiveDate,
) -> Vec<AssetSection> {
    let section = |asset: String, known: Option<&crate::inventory::Asset>| AssetSection {
        anchor: format!("asset-{}", slug(&asset)),
        known: known.is_some(),
        kind: known.map(|a| a.kind().as_str()),
        owner: known.and_then(|a| a.text("system_owner").map(str::to_owned)),
        last_scanned: known.and_then(|a| a.date("last_scanned")),
        in_latest_scan: known.and_then(|a| a.yes_no("in_latest_scan")),
        retired: known.is_some_and(|a| a.is_retired(today)),
        asset,
        open: 0,
        late: 0,
        items: Vec::new(),
    };
    let mut known: Vec<AssetSection> = Vec::new();
    let mut position: BTreeMap<String, usize> = BTreeMap::new();
    for asset in inventory.map_or(&[][..], |i| i.assets.as_slice()) {
        if !position.contains_key(&asset.id.value) {
            position.insert(asset.id.value.clone(), known.len());
            known.push(section(asset.id.value.clone(), Some(asset)));
        }
    }
    let mut unknown: BTreeMap<String, AssetSection> = BTreeMap::new();
    for (view, item) in views.iter().zip(refs).filter(|(_, item)| item.open) {
        let mut named: Vec<(bool, String)> = view
            .assets
            .iter()
            .map(
                |entry| match inventory.and_then(|i| i.resolve_entry(entry)) {
                    Some(resolved) => (true, resolved.asset().id.value.clone()),
                    None => (false, asset_name(entry).trim().to_owned()),
                },
            )
            .filter(|(_, name)| !name.is_empty())
            .collect();
        named.sort();
        named.dedup();
        for (is_known, name) in named {
            let target = match (is_known, position.get(&name)) {
                (true, Some(&at)) => &mut known[at],
                _ => unknown
                    .entry(name.clone())
                    .or_insert_with(|| section(name, None)),
            };
            target.open += 1;
            if item.standing.state == State::Late {
                target.late += 1;
            }
            target.items.push(item.clone());
        }
    }
    let mut sections: Vec<AssetSection> = known.into_iter().chain(unknown.into_values()).collect();
    for section in &mut sections {
        profile.sort_open(&mut section.items);
    }
    sections
}

/// `poam.csv`: one row per item with the main fields and the computed ones.
pub fn csv(views: &[ItemView]) -> String {
    let mut out = String::from(
        "id,title,controls,risk,effective_risk,owner,status,detected,due,policy_deadline,days_left,overdue,vendor_product,last_checkin,closed,path\n",
    );
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for v in views {
        let a = &v.assessment;
        let text = |value: String| csv_cell(&value);
        let cells = [
            text(v.id.clone().unwrap_or_default()),
            text(v.title.clone().unwrap_or_default()),
            text(v.controls.join(" ")),
            text(v.risk.unwrap_or_default().to_owned()),
            text(a.effective_risk.unwrap_or_default().to_owned()),
            text(v.owner.clone().unwrap_or_default()),
            text(v.status.unwrap_or_default().to_owned()),
            text(date(v.detected)),
            text(date(v.due)),
            text(date(a.policy_deadline)),
            // A number, as the other profiles' CSVs write it (`-5`, not defused text).
            a.days_left.map(|d| d.to_string()).unwrap_or_default(),
            text(a.overdue.to_string()),
            text(
                v.vendor_dependency
                    .as_ref()
                    .and_then(|d| d.product.clone())
                    .unwrap_or_default(),
            ),
            text(date(
                v.vendor_dependency.as_ref().and_then(|d| d.last_checkin),
            )),
            text(date(v.closed.as_ref().and_then(|c| c.date))),
            text(v.path.clone()),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// `items.json`: the item view document.
fn items_json(input: &SiteInput<'_>) -> Result<String, Error> {
    let document = ItemsDocument {
        version: VIEW_VERSION,
        today: input.meta.today,
        items: input.views,
    };
    let keys = super::audience::hidden_keys(input.hidden);
    if keys.is_empty() {
        return crate::render::json_document(&document).map_err(Error::from);
    }
    // The keys an audience may not see are not in its file at all.
    let mut value = serde_json::to_value(&document)?;
    super::audience::strip_view_keys(&mut value["items"], &keys);
    crate::render::json_document(&value).map_err(Error::from)
}

/// `poam.csv`: the profile's columns, else [`csv`]'s.
fn site_csv(input: &SiteInput<'_>) -> Result<String, Error> {
    // The columns an audience may not see are not in its file at all.
    super::audience::strip_csv_columns(
        &input
            .profile
            .site_csv(input.views)
            .unwrap_or_else(|| csv(input.views)),
        input.hidden,
    )
    .map_err(|err| Error::site(crate::error::Caused::new("cannot write `poam.csv`", err)))
}

/// Owners on the dashboard, at most.
const TOP_ROWS: usize = 10;

/// The dashboard's owner summary: owners with open items, most open first (then most late,
/// then by name).
fn top_owners(
    refs: &[ItemRef],
    people: Option<&People>,
    profile: &dyn SystemProfile,
) -> Vec<OwnerSection> {
    let mut sections: Vec<OwnerSection> = owners(refs, people, profile)
        .into_iter()
        .filter(|s| s.open > 0)
        .map(|mut s| {
            s.items.clear();
            s
        })
        .collect();
    sections.sort_by(|a, b| {
        b.open
            .cmp(&a.open)
            .then(b.late.cmp(&a.late))
            .then_with(|| natural_cmp(&a.owner, &b.owner))
    });
    sections.truncate(TOP_ROWS);
    sections
}

/// The dashboard's control summary: controls with open items, most open first.
#[derive(Serialize)]
struct ControlCount<'a> {
    control: &'a str,
    title: Option<&'a str>,
    page: &'a str,
    open: usize,
    closed: usize,
}

fn top_controls(controls: &[ControlPage]) -> Vec<ControlCount<'_>> {
    let mut rows: Vec<ControlCount<'_>> = controls
        .iter()
        .filter(|c| c.open > 0)
        .map(|c| ControlCount {
            control: &c.control,
            title: c.title.as_deref(),
            page: &c.page,
            open: c.open,
            closed: c.closed,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.open
            .cmp(&a.open)
            .then_with(|| natural_cmp(a.control, b.control))
    });
    rows.truncate(TOP_ROWS);
    rows
}

fn chart_value(chart: &Chart) -> Value {
    context! {
        key => chart.key,
        title => &chart.title,
        alt => &chart.alt,
        labels => &chart.labels,
        series => Serde(&chart.series),
        svg => Value::from_safe_string(chart.svg.clone()),
    }
}

/// Where [`render`] hands each file the moment it is rendered: (path relative to the site
/// root, contents). Called from several threads at once.
pub type Sink<'a> = dyn Fn(&str, Vec<u8>) -> Result<(), Error> + Sync + 'a;

/// A single page or data file of the site other than the item pages, rendered on its own.
enum Job<'a> {
    Findings,
    Control(&'a ControlPage),
    ItemsHtml,
    Index,
    ControlsHtml,
    PeopleHtml,
    AssetsHtml,
    Downloads,
    Rules,
    Script,
    Style,
    Marker,
}

/// Renders every file of the site on the rayon pool and hands each to `sink` as soon as it is
/// ready, from whichever thread rendered it. Stops at the first error.
///
/// Each file is a task of its own: the big single ones (`findings.html`, `items.json`, the
/// control pages, ...) are started first, one per thread that is free, while the item pages
/// are shared out among all threads; no core is left idle while one thread renders a big file.
pub fn render(input: &SiteInput<'_>, templates: &Templates, sink: &Sink<'_>) -> Result<(), Error> {
    let pages = item_pages(input.views);
    let refs: Vec<ItemRef> = input
        .views
        .iter()
        .zip(&pages)
        .map(|(view, page)| ItemRef::new(view, page.clone()))
        .collect();
    let controls = controls(input.views, &refs);
    // Serialized once: every page shares the value (the summary, with its lists of items, is
    // read by the dashboard and a profile's controls page).
    let meta = Value::from(Serde(input.meta));
    let summary = Value::from(Serde(input.summary));
    let hidden: Vec<&str> = input.hidden.iter().map(|h| h.name()).collect();
    let site = |root: &str, page: &str| {
        context! { root => root, page => page, meta => meta.clone(), hidden => hidden.clone() }
    };
    let histories = input.history.map(History::index).unwrap_or_default();
    let control_pages: BTreeMap<&str, &str> = controls
        .iter()
        .map(|c| (c.control.as_str(), c.page.as_str()))
        .collect();
    // Before the pages, not in the index's task: the replay runs on all threads, and a task
    // waiting on it would take on item pages meanwhile and finish late.
    let series = input
        .history
        .map(|h| HistorySeries::new(h, input.policy, input.profile, input.meta.today))
        .unwrap_or_default();
    let mut chart_list = Vec::new();
    if input.history.is_some() {
        chart_list.push(charts::open_over_time(&series, input.profile));
        chart_list.push(charts::overdue_over_time(&series, input.profile));
    }
    chart_list.push(charts::age_against_deadline(input.views, input.profile));
    let run = |job: &Job<'_>| -> Result<(String, String), Error> {
        Ok(match job {
            Job::Downloads => {
                let offer = |path: String, title: String, bytes: Vec<u8>| {
                    let row = DownloadRow {
                        title,
                        bytes: Some(bytes.len()),
                        sha256: Some(crate::evidence::sha256_bytes(&bytes)),
                        error: None,
                        path: path.clone(),
                    };
                    sink(&path, bytes).map(|()| row)
                };
                let mut rows = vec![
                    offer(
                        "items.json".into(),
                        "The item view with computed fields (JSON)".into(),
                        items_json(input)?.into_bytes(),
                    )?,
                    offer(
                        "poam.csv".into(),
                        "One row per item (CSV)".into(),
                        site_csv(input)?.into_bytes(),
                    )?,
                ];
                for download in input.downloads {
                    let path = format!("downloads/{}", slug(&download.file));
                    rows.push(match &download.contents {
                        Ok(bytes) => offer(path, download.title.clone(), bytes.clone())?,
                        Err(why) => DownloadRow {
                            path,
                            title: download.title.clone(),
                            bytes: None,
                            sha256: None,
                            error: Some(why.clone()),
                        },
                    });
                }
                (
                    "downloads.html".into(),
                    templates.render(
                        "site/downloads.html.j2",
                        context! { site => site("", "downloads"), downloads => Serde(&rows) },
                    )?,
                )
            }
            Job::Rules => {
                for code in <crate::code::Code as strum::IntoEnumIterator>::iter() {
                    let text = templates.render(
                        "site/rule.html.j2",
                        context! {
                            site => site("../", "findings"),
                            code => code.as_str(),
                            severity => code.default_severity().as_str(),
                            doc => code.doc(),
                        },
                    )?;
                    sink(&format!("rules/{}.html", code.as_str()), text.into_bytes())?;
                }
                (
                    "rules/index.html".into(),
                    templates.render(
                        "site/rules.html.j2",
                        context! {
                            site => site("../", "findings"),
                            rules => <crate::code::Code as strum::IntoEnumIterator>::iter()
                                .map(|code| context! {
                                    code => code.as_str(),
                                    severity => code.default_severity().as_str(),
                                    summary => code.summary(),
                                })
                                .collect::<Vec<_>>(),
                        },
                    )?,
                )
            }
            Job::Findings => {
                let page_of_file: HashMap<&str, &str> = input
                    .views
                    .iter()
                    .zip(&pages)
                    .map(|(view, page)| (view.path.as_str(), page.as_str()))
                    .collect();
                let groups: Vec<Value> = ["error", "warning", "note"]
                    .iter()
                    .map(|severity| {
                        let mut rows: Vec<&super::summary::Finding> = input
                            .summary
                            .findings
                            .findings
                            .iter()
                            .filter(|f| f.severity == *severity)
                            .collect();
                        rows.sort_by(|a, b| {
                            a.code
                                .cmp(b.code)
                                .then_with(|| natural_cmp(&a.file, &b.file))
                                .then(a.line.cmp(&b.line))
                        });
                        let rows: Vec<Value> = rows
                            .into_iter()
                            .map(|f| {
                                context! {
                                    finding => Serde(f),
                                    page => page_of_file.get(f.file.as_str()).map(|p| (*p).to_owned()),
                                }
                            })
                            .collect();
                        context! { severity => *severity, findings => rows }
                    })
                    .collect();
                (
                    "findings.html".into(),
                    templates.render(
                        "site/findings.html.j2",
                        context! {
                            site => site("", "findings"),
                            findings => Serde(&input.summary.findings),
                            groups => groups,
                            waivers => Serde(input.waivers.iter().map(|w| WaiverRow {
                                item: &w.item,
                                rule: w.rule.as_str(),
                                reason: &w.reason,
                                expires: w.expires.to_string(),
                                ticket: w.ticket.as_deref(),
                                expired: w.expires < input.meta.today,
                            }).collect::<Vec<_>>()),
                        },
                    )?,
                )
            }
            Job::Script => ("site.js".into(), templates.raw("site.js")?),
            Job::Control(control) => (
                control.page.clone(),
                templates.render(
                    input.profile.template("site/control.html.j2"),
                    context! { site => site("../", "controls"), control => Serde(control) },
                )?,
            ),
            Job::ItemsHtml => (
                "items.html".into(),
                templates.render(
                    input.profile.template("site/items.html.j2"),
                    context! { site => site("", "items"), items => Serde(&refs) },
                )?,
            ),
            Job::Index => (
                "index.html".into(),
                templates.render(
                    input.profile.template("site/index.html.j2"),
                    context! {
                        site => site("", "index"),
                        summary => summary.clone(),
                        charts => chart_list.iter().map(chart_value).collect::<Vec<_>>(),
                        has_history => input.history.is_some(),
                        // An audience that may not see owners gets no owner table at all.
                        owners => Serde(&if input.hidden.contains(&crate::config::Hidden::Owners) {
                            Vec::new()
                        } else {
                            top_owners(&refs, input.people, input.profile)
                        }),
                        controls => Serde(&top_controls(&controls)),
                    },
                )?,
            ),
            Job::ControlsHtml => (
                "controls.html".into(),
                templates.render(
                    input.profile.template("site/controls.html.j2"),
                    context! {
                        site => site("", "controls"),
                        controls => Serde(&controls),
                        // A profile's controls page may show its own table (`cmmc-l2`: the
                        // requirements by family).
                        summary => summary.clone(),
                    },
                )?,
            ),
            Job::PeopleHtml => (
                "people.html".into(),
                templates.render(
                    input.profile.template("site/people.html.j2"),
                    context! {
                        site => site("", "people"),
                        owners => Serde(&owners(&refs, input.people, input.profile)),
                        has_people_file => input.people.is_some(),
                    },
                )?,
            ),
            Job::AssetsHtml => (
                "assets.html".into(),
                templates.render(
                    input.profile.template("site/assets.html.j2"),
                    context! {
                        site => site("", "assets"),
                        assets => Serde(&assets(
                            input.views,
                            &refs,
                            input.inventory,
                            input.profile,
                            input.meta.today,
                        )),
                        has_inventory => input.inventory.is_some(),
                    },
                )?,
            ),
            Job::Style => (
                "style.css".into(),
                super::stylesheet(templates, input.meta)?,
            ),
            Job::Marker => (
                MARKER.into(),
                "A status site generated by poam site. poam replaces this folder on the next build.\n"
                    .into(),
            ),
        })
    };
    let run = |job: &Job<'_>| run(job).map(|(path, text)| (path, text.into_bytes()));
    let render_item = |((view, page), item_ref): ((&ItemView, &String), &ItemRef)| {
        let history = view.id.as_deref().and_then(|id| histories.get(id)).copied();
        let events = history
            .map(|h| timeline(h, input.repo_url))
            .unwrap_or_default();
        let links: Vec<Option<String>> = view
            .controls
            .iter()
            .map(|c| {
                control_pages
                    .get(c.trim().to_ascii_uppercase().as_str())
                    .map(|p| (*p).to_owned())
            })
            .collect();
        let text = templates.render(
            input.profile.template("site/item.html.j2"),
            context! {
                site => site("../", "items"),
                item => Serde(view),
                item_ref => Serde(item_ref),
                control_pages => links,
                document_links => Serde(&document_links(view, input.evidence_base)),
                timeline => Serde(&events),
                has_history => input.history.is_some(),
            },
        )?;
        sink(page, text.into_bytes())
    };
    // Biggest first: a free thread takes the oldest task waiting.
    let mut jobs = vec![Job::Findings, Job::Downloads];
    jobs.extend(controls.iter().map(Job::Control));
    jobs.extend([
        Job::ItemsHtml,
        Job::Rules,
        Job::Script,
        Job::Index,
        Job::ControlsHtml,
        Job::PeopleHtml,
        Job::AssetsHtml,
        Job::Style,
        Job::Marker,
    ]);
    // The pages of what the audience may not see are not built.
    use crate::config::Hidden;
    jobs.retain(|job| match job {
        Job::Findings => !input.hidden.contains(&Hidden::Findings),
        Job::PeopleHtml => !input.hidden.contains(&Hidden::Owners),
        Job::AssetsHtml => !input.hidden.contains(&Hidden::Assets),
        _ => true,
    });
    let failure = FirstError::default();
    rayon::scope(|scope| {
        for job in &jobs {
            scope.spawn(|_| {
                if failure.is_set() {
                    return;
                }
                if let Err(err) = run(job).and_then(|(path, text)| sink(&path, text)) {
                    failure.fail(err);
                }
            });
        }
        let items = input
            .views
            .par_iter()
            .zip(&pages)
            .zip(&refs)
            .try_for_each(|item| {
                if failure.is_set() {
                    // Another file failed: the build is abandoned, its error is reported.
                    return Ok(());
                }
                render_item(item)
            });
        if let Err(err) = items {
            failure.fail(err);
        }
    });
    failure.into_error().map_or(Ok(()), Err)
}

/// The first error of many threads, and whether there was one yet (so the others can stop).
#[derive(Default)]
struct FirstError {
    set: AtomicBool,
    error: Mutex<Option<Error>>,
}

impl FirstError {
    fn fail(&self, err: Error) {
        self.set.store(true, Ordering::Relaxed);
        self.error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(err);
    }

    fn is_set(&self) -> bool {
        self.set.load(Ordering::Relaxed)
    }

    fn into_error(self) -> Option<Error> {
        self.error
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Refuses an output folder that is or holds one of `protected` (the repository root, the
/// items folder), or that lies inside `items_dir`.
pub fn check_output(out: &Path, protected: &[&Path], items_dir: &Path) -> Result<PathBuf, Error> {
    let resolve = crate::output::resolve_output;
    let target = resolve(out)?;
    if target.parent().is_none() {
        return Err(Error::site(format!(
            "refusing to write the site to `{}`: pick a folder of its own, e.g. `-o site`",
            out.display()
        )));
    }
    for protected in protected {
        let protected = resolve(protected)?;
        if protected.starts_with(&target) {
            return Err(Error::site(format!(
                "refusing to write the site to `{}`: it is or holds `{}`, which the build would replace; pick a folder of its own, e.g. `-o site`",
                out.display(),
                protected.display()
            )));
        }
    }
    let items = resolve(items_dir)?;
    if target.starts_with(&items) {
        return Err(Error::site(format!(
            "refusing to write the site to `{}`: it is inside the items folder `{}`",
            out.display(),
            items.display()
        )));
    }
    Ok(target)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Builds the site as the folder `target` (already checked), replacing an earlier build, and
/// returns how many files it wrote. `build` (e.g. [`render`]) hands every file to the sink it
/// is given, which passes it at once to the writer threads, writing into a fresh private
/// folder; only when all are written does that folder take the place of `target`.
///
/// Creating ten thousand files is what a build spends most on, most of it in the file system
/// finding free inodes. So pages are written by several threads, each staging in a folder of
/// its own (see [`Staging`]), while the next ones are rendered: on the loaded 2-core machine
/// (2026-12-06, `bench/site.py` repository, interleaved) writing each page with `fs::write` on
/// the rayon thread that rendered it instead took 1.30x as long for a first build (14.2 s
/// against 11.0 s) and 1.20x for a rebuild.
pub fn publish(
    target: &Path,
    build: impl FnOnce(&Sink<'_>) -> Result<(), Error>,
) -> Result<usize, Error> {
    if target.exists() {
        let is_empty = std::fs::read_dir(target)
            .map_err(io(target))?
            .next()
            .is_none();
        if !target.is_dir() || !(is_empty || target.join(MARKER).is_file()) {
            return Err(Error::site(format!(
                "refusing to replace `{}`: it is not empty and not a site poam built (no `{MARKER}` file in it)",
                target.display()
            )));
        }
    }
    let parent = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let pid = std::process::id();
    let fresh = parent.join(format!(".{name}.poam-new-{pid}"));
    let old = parent.join(format!(".{name}.poam-old-{pid}"));
    // What a killed build of this site left: its fresh or old folder, named by its process.
    let (new_prefix, old_prefix) = (format!(".{name}.poam-new-"), format!(".{name}.poam-old-"));
    crate::output::remove_stale(parent, |entry| {
        let pid = entry
            .strip_prefix(&new_prefix)
            .or_else(|| entry.strip_prefix(&old_prefix))?;
        (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
            .then(|| pid.parse().ok())
            .flatten()
    });
    for leftover in [&fresh, &old] {
        if leftover.exists() {
            std::fs::remove_dir_all(leftover).map_err(io(leftover))?;
        }
    }
    let write_all = || -> Result<usize, Error> {
        std::fs::create_dir(&fresh).map_err(io(&fresh))?;
        let made: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
        let written = AtomicUsize::new(0);
        let staging = Staging::new(&fresh, WRITERS);
        let write = |relative: &str, text: Vec<u8>, stage: Option<&Path>| -> Result<(), Error> {
            if let Some(dir) = Path::new(relative).parent() {
                if !dir.as_os_str().is_empty() {
                    // Held while the folder is made, so no thread writes into it before.
                    let mut made = made.lock().unwrap_or_else(PoisonError::into_inner);
                    if !made.contains(dir) {
                        let path = fresh.join(dir);
                        std::fs::create_dir_all(&path).map_err(io(&path))?;
                        made.insert(dir.to_path_buf());
                    }
                }
            }
            let number = written.fetch_add(1, Ordering::Relaxed);
            let path = fresh.join(relative);
            // The fresh folder is private until the swap: no temporary file is needed for
            // atomicity, only to create the file in the thread's own folder.
            match stage {
                Some(dir) => {
                    let temp = dir.join(number.to_string());
                    std::fs::write(&temp, text).map_err(io(&temp))?;
                    std::fs::rename(&temp, &path).map_err(io(&path))
                }
                None => std::fs::write(&path, text).map_err(io(&path)),
            }
        };
        // The files are rendered on the rayon pool (one thread a core) and written by more
        // threads than cores, which mostly wait on the file system; the bounded queue between
        // them keeps only a few rendered files in memory.
        let (send, receive) = std::sync::mpsc::sync_channel::<(String, Vec<u8>)>(WRITERS * 4);
        let receive = Mutex::new(receive);
        let failure = FirstError::default();
        let built = std::thread::scope(|threads| {
            for writer in 0..WRITERS {
                let (receive, failure, write) = (&receive, &failure, &write);
                let stage = staging.for_writer(writer);
                let started = std::thread::Builder::new().spawn_scoped(threads, move || loop {
                    let next = receive
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .recv();
                    let Ok((relative, text)) = next else { break };
                    // After a failure the queue is still drained, so the renderers never wait.
                    if failure.is_set() {
                        continue;
                    }
                    if let Err(err) = write(&relative, text, stage) {
                        failure.fail(err);
                    }
                });
                if let Err(e) = started {
                    // Nothing is sent once this is set, so no renderer waits on a full queue.
                    failure.fail(Error::site(crate::error::Caused::new(
                        "cannot start the writer threads",
                        e,
                    )));
                    break;
                }
            }
            let sink = |relative: &str, text: Vec<u8>| -> Result<(), Error> {
                if failure.is_set() {
                    return Err(Error::site("a page could not be written"));
                }
                send.send((relative.to_owned(), text))
                    .map_err(|_| Error::site("the writer threads stopped"))
            };
            let built = build(&sink);
            drop(send);
            built
        });
        // A write error explains a stopped build better than the renderer's own.
        if let Some(err) = failure.into_error() {
            return Err(err);
        }
        built?;
        Ok(written.into_inner())
    };
    let written = match write_all() {
        Ok(written) => written,
        Err(err) => {
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(err);
        }
    };
    if target.exists() {
        std::fs::rename(target, &old).map_err(io(target))?;
        if let Err(source) = std::fs::rename(&fresh, target) {
            // Put the earlier build back rather than leave no site at all.
            let _ = std::fs::rename(&old, target);
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(Error::Write {
                path: target.to_path_buf(),
                source,
            });
        }
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    } else {
        std::fs::rename(&fresh, target).map_err(io(target))?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("V-12"), "V-12");
        assert_eq!(slug("../etc/passwd"), "_.._etc_passwd");
        assert_eq!(slug("<script>"), "_script_");
        assert_eq!(slug(""), "_");
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn published_files_land_in_the_folder_and_are_counted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("site");
        let written = publish(&target, |sink| {
            sink(MARKER, "marker\n".into())?;
            sink("index.html", "<p>index</p>\n".into())?;
            sink("items/v-1.html", "<p>V-1</p>\n".into())
        })
        .expect("published");
        assert_eq!(written, 3);
        assert_eq!(names(dir.path()), ["site"], "no temporary folder is left");
        assert_eq!(names(&target), [MARKER, "index.html", "items"]);
        assert_eq!(
            std::fs::read_to_string(target.join("items/v-1.html")).expect("read"),
            "<p>V-1</p>\n"
        );
    }

    #[test]
    fn a_failed_build_leaves_the_earlier_site_and_no_fresh_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("site");
        publish(&target, |sink| sink(MARKER, "first\n".into())).expect("first build");
        let err = publish(&target, |sink| {
            sink(MARKER, "second\n".into())?;
            sink("items/v-1.html", "<p>V-1</p>\n".into())?;
            Err(Error::site("the template failed"))
        })
        .expect_err("the build fails");
        assert!(err.to_string().contains("the template failed"), "{err}");
        assert_eq!(names(dir.path()), ["site"], "the fresh folder is removed");
        assert_eq!(names(&target), [MARKER]);
        assert_eq!(
            std::fs::read_to_string(target.join(MARKER)).expect("read"),
            "first\n"
        );
    }

    #[test]
    fn a_write_error_names_the_path_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("site");
        // `clash` cannot be both a file and a folder: one of the two writes fails.
        let err = publish(&target, |sink| {
            sink("clash", "a file\n".into())?;
            sink("clash/page.html", "a page\n".into())
        })
        .expect_err("the write fails");
        assert!(matches!(err, Error::Write { .. }), "{err:?}");
        assert!(err.to_string().contains("clash"), "{err}");
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    }

    #[test]
    fn controls_and_ids_sort_by_their_numbers() {
        let mut controls = vec!["SC-13", "SC-8", "AC-2(1)", "AC-2", "AC-12", "sc-7", "SC-08"];
        controls.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            controls,
            ["AC-2", "AC-2(1)", "AC-12", "sc-7", "SC-08", "SC-8", "SC-13"]
        );
        assert_eq!(
            natural_cmp("V-0009", "V-10"),
            std::cmp::Ordering::Less,
            "leading zeros do not count"
        );
    }

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=1+2"), "'=1+2");
        assert_eq!(csv_cell("plain"), "plain");
    }
}
