//! The monthly summary: counts, the profile's lists (Rev5: deadlines, vendor dependencies,
//! deviations, escalation triggers; CR26: N-ratings, evaluations, reductions, acceptances) and
//! lint findings, computed from item views (never from the raw files), so every date decision
//! is the assessment's and every judgement the profile's (`crate::profiles`).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::code::Severity;
use crate::config::Config;
use crate::diag::Report;
use crate::profiles::{ProfileSummary, SystemProfile};
use crate::view::{ItemRef, ItemView};

pub use crate::profiles::WINDOW_DAYS;

#[derive(Clone, Debug, Serialize)]
pub struct FindingCount {
    pub code: &'static str,
    pub severity: &'static str,
    pub count: usize,
}

/// One lint finding, flattened for templates.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: &'static str,
    pub item: Option<String>,
    pub file: String,
    pub line: usize,
    pub message: String,
    pub help: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct FindingsSummary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Counts per rule, most severe first.
    pub by_code: Vec<FindingCount>,
    /// Every finding, in the report's order.
    pub findings: Vec<Finding>,
}

impl FindingsSummary {
    pub fn new(report: &Report) -> FindingsSummary {
        let mut counts: BTreeMap<(std::cmp::Reverse<Severity>, &'static str), usize> =
            BTreeMap::new();
        let mut summary = FindingsSummary::default();
        for d in &report.diagnostics {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                _ => summary.notes += 1,
            }
            *counts
                .entry((std::cmp::Reverse(d.severity), d.code.as_str()))
                .or_default() += 1;
            summary.findings.push(Finding {
                code: d.code.as_str(),
                severity: d.severity.as_str(),
                item: d.item.clone(),
                file: d.location.file.clone(),
                line: d.location.start.line,
                message: d.message.clone(),
                help: d.help.as_deref().map(str::to_owned),
            });
        }
        summary.by_code = counts
            .into_iter()
            .map(|((severity, code), count)| FindingCount {
                code,
                severity: severity.0.as_str(),
                count,
            })
            .collect();
        summary
    }
}

/// Everything the monthly report and the dashboard show.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub today: NaiveDate,
    pub window_days: i64,
    pub open: usize,
    pub closed: usize,
    /// Items detected in the last `window_days` days.
    pub opened_recently: usize,
    /// Items closed in the last `window_days` days (`closed.date`, else `status_date`).
    pub closed_recently: usize,
    /// The profile's part (Rev5: `by_risk`, `overdue`, `due_soon`, `milestones_past_due`,
    /// `vendor_dependencies`, `deviations`, `deviation_counts`, `escalations`,
    /// `escalation_hit`; CR26: see [`crate::profiles::cr26::VdrSummary`]), as keys of the
    /// summary itself.
    #[serde(flatten)]
    pub profile: ProfileSummary,
    /// Open items, the ones that need attention first (Rev5: overdue first, most days late
    /// first, then by due date and id).
    pub open_items: Vec<ItemRef>,
    pub findings: FindingsSummary,
}

impl Summary {
    /// The summary of `views` as of `today` under `profile`; `page` names each item's site
    /// page.
    pub fn new(
        views: &[ItemView],
        today: NaiveDate,
        report: &Report,
        page: &dyn Fn(usize) -> String,
        profile: &dyn SystemProfile,
        config: &Config,
    ) -> Summary {
        let since = today - Duration::days(WINDOW_DAYS);
        let refs: Vec<ItemRef> = views
            .iter()
            .enumerate()
            .map(|(index, view)| ItemRef::new(view, page(index)))
            .collect();
        let mut summary = Summary {
            today,
            window_days: WINDOW_DAYS,
            open: 0,
            closed: 0,
            opened_recently: 0,
            closed_recently: 0,
            profile: profile.summary(views, &refs, today, config),
            open_items: Vec::new(),
            findings: FindingsSummary::new(report),
        };
        for (view, item) in views.iter().zip(refs) {
            if view.detected.is_some_and(|d| d > since && d <= today) {
                summary.opened_recently += 1;
            }
            if !view.assessment.open {
                summary.closed += 1;
                let closed_on = view
                    .closed
                    .as_ref()
                    .and_then(|c| c.date)
                    .or(view.status_date);
                if closed_on.is_some_and(|d| d > since && d <= today) {
                    summary.closed_recently += 1;
                }
                continue;
            }
            summary.open += 1;
            summary.open_items.push(item);
        }
        profile.sort_open(&mut summary.open_items);
        summary
    }
}
