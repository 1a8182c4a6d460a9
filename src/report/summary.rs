//! The monthly summary: counts, deadlines, vendor dependencies, deviations, escalation
//! triggers and lint findings, computed from item views (never from the raw files), so every
//! date decision is the assessment's.
//!
//! Risk buckets use the effective rating (an approved risk adjustment's, else `risk`), with
//! Critical counted as High, as FedRAMP's template and escalation rules do. "Open longer than
//! N days" counts from `detected`.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::code::Severity;
use crate::diag::Report;
use crate::policy::days_between;
use crate::view::ItemView;

/// Days looked back for "opened" and "closed" counts and looked ahead for "due soon".
pub const WINDOW_DAYS: i64 = 30;

/// The risk buckets, most severe first.
pub const RISKS: [&str; 4] = ["high", "moderate", "low", "unrated"];

/// The bucket of an item: its effective rating, Critical counted as High.
pub fn risk_bucket(view: &ItemView) -> &'static str {
    match view.assessment.effective_risk {
        Some("critical" | "high") => "high",
        Some("moderate") => "moderate",
        Some("low") => "low",
        _ => "unrated",
    }
}

/// An item as listed in a summary table.
#[derive(Clone, Debug, Serialize)]
pub struct ItemRef {
    pub id: String,
    pub title: Option<String>,
    /// The risk bucket (see [`risk_bucket`]).
    pub risk: &'static str,
    pub owner: Option<String>,
    pub status: Option<&'static str>,
    pub open: bool,
    pub detected: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub days_left: Option<i64>,
    pub days_late: Option<i64>,
    pub overdue: bool,
    /// Days since `detected`.
    pub age_days: Option<i64>,
    /// The item's page in the site, relative to the site root.
    pub page: String,
}

impl ItemRef {
    pub fn new(view: &ItemView, page: String) -> ItemRef {
        ItemRef {
            id: display_id(view),
            title: view.title.clone(),
            risk: risk_bucket(view),
            owner: view.owner.clone(),
            status: view.status,
            open: view.assessment.open,
            detected: view.detected,
            due: view.due,
            days_left: view.assessment.days_left,
            days_late: view.assessment.days_late,
            overdue: view.assessment.overdue,
            age_days: view
                .detected
                .map(|d| days_between(d, view.assessment.today)),
            page,
        }
    }
}

/// The id an item is listed under: its `id`, else its file.
pub fn display_id(view: &ItemView) -> String {
    view.id.clone().unwrap_or_else(|| view.path.clone())
}

#[derive(Clone, Debug, Serialize)]
pub struct RiskCount {
    pub risk: &'static str,
    pub open: usize,
    pub closed: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct MilestoneDue {
    pub item: ItemRef,
    pub milestone: u32,
    pub description: Option<String>,
    pub date: NaiveDate,
    pub days_late: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct VendorRow {
    pub item: ItemRef,
    pub product: Option<String>,
    pub last_checkin: Option<NaiveDate>,
    pub checkin_age_days: Option<i64>,
    pub fix_released: Option<NaiveDate>,
    pub stale: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeviationRow {
    pub item: ItemRef,
    /// `risk-adjustment`, `false-positive` or `operational-requirement`.
    pub kind: &'static str,
    pub status: Option<&'static str>,
    pub rationale: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeviationCount {
    pub kind: &'static str,
    pub status: &'static str,
    pub count: usize,
}

/// One FedRAMP performance-management escalation trigger.
#[derive(Clone, Debug, Serialize)]
pub struct Escalation {
    /// `high` or `moderate`.
    pub risk: &'static str,
    /// Items must be open longer than this many days (since `detected`).
    pub older_than_days: i64,
    /// The trigger fires at this many items.
    pub threshold: usize,
    /// `Detailed Finding Review` or `Corrective Action Plan`.
    pub action: &'static str,
    pub hit: bool,
    /// The open items of this rating older than `older_than_days`, oldest first.
    pub items: Vec<ItemRef>,
}

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
    /// Open and closed counts per risk bucket, High first.
    pub by_risk: Vec<RiskCount>,
    /// Items detected in the last `window_days` days.
    pub opened_recently: usize,
    /// Items closed in the last `window_days` days (`closed.date`, else `status_date`).
    pub closed_recently: usize,
    /// Open items past their due date, most days late first.
    pub overdue: Vec<ItemRef>,
    /// Open items not overdue and due within `window_days` days, soonest first.
    pub due_soon: Vec<ItemRef>,
    /// Open items' milestones past their effective date and not completed.
    pub milestones_past_due: Vec<MilestoneDue>,
    /// Open items with a vendor dependency, stale check-ins first.
    pub vendor_dependencies: Vec<VendorRow>,
    /// Deviation requests, pending first, then by type and item.
    pub deviations: Vec<DeviationRow>,
    /// Deviation requests counted by type and status, pending first.
    pub deviation_counts: Vec<DeviationCount>,
    /// The four FedRAMP escalation triggers, in the order High 30, High 60, Moderate 90,
    /// Moderate 120.
    pub escalations: Vec<Escalation>,
    /// True when any trigger is hit.
    pub escalation_hit: bool,
    /// Open items, overdue first (most days late first), then by due date and id.
    pub open_items: Vec<ItemRef>,
    pub findings: FindingsSummary,
}

const TRIGGERS: [(&str, i64, usize, &str); 4] = [
    ("high", 30, 5, "Detailed Finding Review"),
    ("high", 60, 5, "Corrective Action Plan"),
    ("moderate", 90, 10, "Detailed Finding Review"),
    ("moderate", 120, 10, "Corrective Action Plan"),
];

fn deviation_kind_rank(kind: &str) -> u8 {
    match kind {
        "risk-adjustment" => 0,
        "false-positive" => 1,
        _ => 2,
    }
}

fn status_rank(status: Option<&str>) -> u8 {
    match status {
        Some("pending") => 0,
        Some("approved") => 1,
        None => 3,
        _ => 2,
    }
}

impl Summary {
    /// The summary of `views` as of `today`; `page` names each item's site page.
    pub fn new(
        views: &[ItemView],
        today: NaiveDate,
        report: &Report,
        page: &dyn Fn(usize) -> String,
    ) -> Summary {
        let since = today - Duration::days(WINDOW_DAYS);
        let mut by_risk: Vec<RiskCount> = RISKS
            .iter()
            .map(|risk| RiskCount {
                risk,
                open: 0,
                closed: 0,
            })
            .collect();
        let mut summary = Summary {
            today,
            window_days: WINDOW_DAYS,
            open: 0,
            closed: 0,
            by_risk: Vec::new(),
            opened_recently: 0,
            closed_recently: 0,
            overdue: Vec::new(),
            due_soon: Vec::new(),
            milestones_past_due: Vec::new(),
            vendor_dependencies: Vec::new(),
            deviations: Vec::new(),
            deviation_counts: Vec::new(),
            escalations: Vec::new(),
            escalation_hit: false,
            open_items: Vec::new(),
            findings: FindingsSummary::new(report),
        };
        let mut escalations: Vec<Escalation> = TRIGGERS
            .iter()
            .map(|&(risk, older_than_days, threshold, action)| Escalation {
                risk,
                older_than_days,
                threshold,
                action,
                hit: false,
                items: Vec::new(),
            })
            .collect();
        for (index, view) in views.iter().enumerate() {
            let a = &view.assessment;
            let bucket = risk_bucket(view);
            let item = ItemRef::new(view, page(index));
            if let Some(count) = by_risk.iter_mut().find(|c| c.risk == bucket) {
                if a.open {
                    count.open += 1;
                } else {
                    count.closed += 1;
                }
            }
            if view.detected.is_some_and(|d| d > since && d <= today) {
                summary.opened_recently += 1;
            }
            if !a.open {
                summary.closed += 1;
                let closed_on = view
                    .closed
                    .as_ref()
                    .and_then(|c| c.date)
                    .or(view.status_date);
                if closed_on.is_some_and(|d| d > since && d <= today) {
                    summary.closed_recently += 1;
                }
                push_deviations(&mut summary.deviations, view, &item);
                continue;
            }
            summary.open += 1;
            if a.overdue {
                summary.overdue.push(item.clone());
            } else if a.days_left.is_some_and(|d| (0..=WINDOW_DAYS).contains(&d)) {
                summary.due_soon.push(item.clone());
            }
            for milestone in view
                .milestones
                .iter()
                .filter(|m| m.overdue && m.completed.is_none())
            {
                summary.milestones_past_due.push(MilestoneDue {
                    item: item.clone(),
                    milestone: milestone.id,
                    description: milestone.description.clone(),
                    date: milestone.date,
                    days_late: days_between(milestone.date, today),
                });
            }
            if let Some(vendor) = &view.vendor_dependency {
                let checkin = a.vendor_checkin.as_ref();
                summary.vendor_dependencies.push(VendorRow {
                    item: item.clone(),
                    product: vendor.product.clone(),
                    last_checkin: vendor.last_checkin,
                    checkin_age_days: checkin.and_then(|c| c.age_days),
                    fix_released: vendor.fix_released,
                    stale: checkin.is_some_and(|c| c.stale),
                });
            }
            push_deviations(&mut summary.deviations, view, &item);
            for trigger in &mut escalations {
                if bucket == trigger.risk
                    && item
                        .age_days
                        .is_some_and(|age| age > trigger.older_than_days)
                {
                    trigger.items.push(item.clone());
                }
            }
            summary.open_items.push(item);
        }
        summary.by_risk = by_risk;
        let late_key = |i: &ItemRef| {
            (
                std::cmp::Reverse(i.days_late.unwrap_or(0)),
                i.due,
                i.id.clone(),
            )
        };
        summary.overdue.sort_by_key(late_key);
        summary
            .due_soon
            .sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));
        summary.milestones_past_due.sort_by(|a, b| {
            b.days_late
                .cmp(&a.days_late)
                .then_with(|| a.item.id.cmp(&b.item.id))
                .then_with(|| a.milestone.cmp(&b.milestone))
        });
        summary.vendor_dependencies.sort_by(|a, b| {
            b.stale
                .cmp(&a.stale)
                .then_with(|| a.last_checkin.cmp(&b.last_checkin))
                .then_with(|| a.item.id.cmp(&b.item.id))
        });
        summary.deviations.sort_by(|a, b| {
            status_rank(a.status)
                .cmp(&status_rank(b.status))
                .then_with(|| deviation_kind_rank(a.kind).cmp(&deviation_kind_rank(b.kind)))
                .then_with(|| a.item.id.cmp(&b.item.id))
        });
        let mut counts: BTreeMap<(u8, u8, &'static str, &'static str), usize> = BTreeMap::new();
        for d in &summary.deviations {
            let status = d.status.unwrap_or("unset");
            *counts
                .entry((
                    status_rank(d.status),
                    deviation_kind_rank(d.kind),
                    d.kind,
                    status,
                ))
                .or_default() += 1;
        }
        summary.deviation_counts = counts
            .into_iter()
            .map(|((_, _, kind, status), count)| DeviationCount {
                kind,
                status,
                count,
            })
            .collect();
        for trigger in &mut escalations {
            trigger
                .items
                .sort_by(|a, b| b.age_days.cmp(&a.age_days).then_with(|| a.id.cmp(&b.id)));
            trigger.hit = trigger.items.len() >= trigger.threshold;
        }
        summary.escalation_hit = escalations.iter().any(|t| t.hit);
        summary.escalations = escalations;
        summary.open_items.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then_with(|| late_key(a).cmp(&late_key(b)))
        });
        summary
    }
}

fn push_deviations(rows: &mut Vec<DeviationRow>, view: &ItemView, item: &ItemRef) {
    let d = &view.deviations;
    if let Some(ra) = &d.risk_adjustment {
        rows.push(DeviationRow {
            item: item.clone(),
            kind: "risk-adjustment",
            status: ra.status,
            rationale: ra.rationale.clone(),
        });
    }
    for (kind, deviation) in [
        ("false-positive", &d.false_positive),
        ("operational-requirement", &d.operational_requirement),
    ] {
        if let Some(deviation) = deviation {
            rows.push(DeviationRow {
                item: item.clone(),
                kind,
                status: deviation.status,
                rationale: deviation.rationale.clone(),
            });
        }
    }
}
