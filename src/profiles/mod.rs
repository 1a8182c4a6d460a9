//! What each profile means for the commands: an item's standing, the summary a report and a
//! dashboard show, the fields a new or imported item starts with, and how an item maps into
//! each export. The deadline math itself stays in `crate::policy`; this floor sits just above
//! the item view, so its answers can be item rows.
//!
//! Every command asks [`of`] for the configured profile and calls the interface; no module
//! outside `crate::policy` and this one names a profile variant (the architecture test checks).

pub mod cr26;
pub mod rev5;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Config;
use crate::model::item::Item;
use crate::policy::{Assessment, Policy, Profile};
use crate::view::{ItemRef, ItemView, StandingView};
use crate::workspace::Workspace;

/// One profile's answers to the commands.
///
/// The read side (standing, summary, required fields, what the templates and charts show)
/// comes first; the write side (new-item fields, import defaults, export mapping) follows in a
/// block of its own.
pub trait SystemProfile: Sync {
    /// The profile's name as `poam.yaml` writes it.
    fn name(&self) -> &'static str;

    // --- Read side: standing, summary, required fields, pages ---

    /// Where an assessed item stands as of the assessment's `today`.
    fn standing(&self, assessment: &Assessment, policy: &Policy) -> StandingView;

    /// The item view of `item` (read from the file `path`), with its standing. A profile whose
    /// deadlines are not Rev5's leaves the Rev5 deadline keys empty (see [`crate::view`]).
    fn view(&self, path: &str, item: &Item, assessment: &Assessment, policy: &Policy) -> ItemView;

    /// Top-level item keys that must be present and non-empty (rule `missing-field`).
    fn required_fields(&self) -> &'static [&'static str];

    /// What the monthly report and the dashboard show beside the counts every profile has.
    /// `refs[i]` is the row of `views[i]`.
    fn summary(
        &self,
        views: &[ItemView],
        refs: &[ItemRef],
        today: NaiveDate,
        config: &Config,
    ) -> ProfileSummary;

    /// Orders the open items of a summary: the ones that need attention first.
    fn sort_open(&self, items: &mut [ItemRef]);

    /// The template this profile renders for the built-in template `name` (`report.md.j2`,
    /// `site/index.html.j2`, ...): its own where its pages differ, else `name`.
    fn template(&self, name: &'static str) -> &'static str;

    /// The buckets the charts count open items in, most severe first.
    fn chart_buckets(&self) -> &'static [&'static str];

    /// The bucket (index into [`SystemProfile::chart_buckets`]) of an open item, and whether
    /// it is late; `None` when closed.
    fn chart_state(&self, assessment: &Assessment, policy: &Policy) -> Option<(usize, bool)>;

    /// The words the charts use for the buckets and for lateness.
    fn chart_words(&self) -> ChartWords;

    /// The site's `poam.csv`, when the profile has its own columns (`None`: the Rev5 columns).
    fn site_csv(&self, views: &[ItemView]) -> Option<String>;
}

/// Days looked back for "opened" and "closed" counts and looked ahead for "due soon".
pub const WINDOW_DAYS: i64 = 30;

/// How the charts name what they count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ChartWords {
    /// What the buckets are, in a sentence: `effective risk`.
    pub rating: &'static str,
    /// The same, in a title: `risk`.
    pub rating_short: &'static str,
    /// A late item, in a sentence and a legend: `overdue`.
    pub late: &'static str,
    /// The same, starting a sentence or a title: `Overdue`.
    pub late_title: &'static str,
}

/// The profile's part of the summary, flattened into the template variable `summary`.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum ProfileSummary {
    Rev5(rev5::Rev5Summary),
    Cr26(Box<cr26::VdrSummary>),
}

/// The implementation of `profile`.
pub fn of(profile: Profile) -> &'static dyn SystemProfile {
    match profile {
        Profile::FedrampRev5 => &rev5::Rev5,
        Profile::FedrampCr26 => &cr26::Cr26,
    }
}

/// The views of every parsed item of the workspace, sorted by id then path, each with its
/// standing under the configured profile. `last_changed` gives the date git last saw an item
/// change, for items without a `status_date`.
pub fn views(
    workspace: &Workspace,
    today: NaiveDate,
    last_changed: &(dyn Fn(&str) -> Option<NaiveDate> + Sync),
) -> Vec<ItemView> {
    use rayon::prelude::*;
    let policy = &workspace.config.policy;
    let profile = of(policy.profile);
    let mut views: Vec<ItemView> = workspace
        .items
        .par_iter()
        .filter_map(|file| {
            let item = file.item.as_ref()?;
            let changed = item.id_text().and_then(last_changed);
            let assessment = crate::policy::assess(item, policy, today, changed);
            Some(profile.view(&file.source.name, item, &assessment, policy))
        })
        .collect();
    views.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.path.cmp(&b.path)));
    views
}

/// The view of one item under the configured profile (`poam show`).
pub fn view(path: &str, item: &Item, policy: &Policy, today: NaiveDate) -> ItemView {
    let assessment = crate::policy::assess(item, policy, today, None);
    of(policy.profile).view(path, item, &assessment, policy)
}

/// A deadline's date as written in views: `YYYY-MM-DD`, or RFC 3339 with a time of day.
fn deadline(
    kind: &'static str,
    date: String,
    day: NaiveDate,
    today: NaiveDate,
    target: Option<String>,
) -> crate::view::DeadlineView {
    let days_left = crate::policy::days_between(today, day);
    crate::view::DeadlineView {
        kind,
        date,
        target,
        days_left,
        passed: days_left < 0,
    }
}
