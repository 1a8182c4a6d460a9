//! `fedramp-rev5`: the Rev5 POA&M (30/90/180 days, deviation requests, vendor dependencies,
//! milestones, escalation triggers).
//!
//! Risk buckets use the effective rating (an approved risk adjustment's, else `risk`), with
//! Critical counted as High, as FedRAMP's template and escalation rules do. "Open longer than
//! N days" counts from `detected`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::common::{
    days_after, due_mapping, due_standing, due_start, new_item_fields, one_milestone, rating,
    scanned_due, SCANNED_MILESTONE,
};
use super::{
    ChartWords, ExportMapping, ExportMarker, NewItem, ProfileSummary, Scanned, Starting,
    SystemProfile, WINDOW_DAYS,
};
use crate::config::Config;
use crate::edit::NewValue;
use crate::model::item::Risk;
use crate::policy::rev5::days_for;
use crate::policy::{days_between, Assessment, Policy, Profile};
use crate::view::{risk_bucket, ItemRef, ItemView, StandingView, RISKS};

pub struct Rev5;

/// The rating `poam new` writes when `--risk` is not given.
const NEW_ITEM_RISK: Risk = Risk::Moderate;

impl SystemProfile for Rev5 {
    fn profile(&self) -> Profile {
        Profile::FedrampRev5
    }

    fn standing(&self, a: &Assessment, _policy: &Policy) -> StandingView {
        StandingView {
            rating: a.rating.map(|r| {
                let source = if r.adjusted {
                    "risk-adjustment"
                } else {
                    "risk"
                };
                rating(r.rating.name().to_owned(), source)
            }),
            ..due_standing(self.name(), a, "kev", "policy-deadline")
        }
    }

    fn summary(
        &self,
        views: &[ItemView],
        refs: &[ItemRef],
        today: NaiveDate,
        _config: &Config,
    ) -> ProfileSummary {
        ProfileSummary::Rev5(Rev5Summary::new(views, refs, today))
    }

    fn sort_open(&self, items: &mut [ItemRef]) {
        items.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then_with(|| late_key(a).cmp(&late_key(b)))
        });
    }

    fn chart_buckets(&self) -> &'static [&'static str] {
        &RISKS
    }

    fn chart_state(&self, a: &Assessment, _policy: &Policy) -> Option<(usize, bool)> {
        if !a.open {
            return None;
        }
        let bucket = match a.rating.map(|r| r.rating.name()) {
            Some("critical" | "high") => 0,
            Some("moderate") => 1,
            Some("low") => 2,
            _ => 3,
        };
        Some((bucket, a.overdue))
    }

    fn chart_words(&self) -> ChartWords {
        ChartWords {
            rating: "effective risk",
            rating_short: "risk",
            late: "overdue",
            late_title: "Overdue",
        }
    }

    // Writing and exchange

    /// Detected and status date `today`, due at the policy's deadline for the rating, one
    /// milestone at the due date, empty placeholders elsewhere.
    fn new_item(
        &self,
        id: &str,
        request: &NewItem<'_>,
        today: NaiveDate,
        policy: &Policy,
    ) -> Result<Starting, String> {
        let risk = request.risk.unwrap_or(NEW_ITEM_RISK);
        let due = days_after(today, days_for(&policy.deadlines, risk));
        let mut fields = new_item_fields(id, request, today);
        fields.extend([
            ("due".to_owned(), NewValue::Date(due)),
            ("risk".to_owned(), NewValue::Str(risk.name().to_owned())),
            one_milestone(due, "", false),
        ]);
        Ok(due_start(fields, Some(due), Some(risk.name().to_owned())))
    }

    /// `risk` from the scan, `due` at the policy's deadline from detection (capped by the KEV
    /// due date; the KEV date alone when the scan gives no rating) and one milestone at it.
    fn scanned_item(&self, scanned: &Scanned<'_>, policy: &Policy) -> Starting {
        let due = scanned_due(
            scanned,
            scanned.risk.map(|risk| days_for(&policy.deadlines, risk)),
        );
        let mut fields = Vec::new();
        if let Some(risk) = scanned.risk {
            fields.push(("risk".into(), NewValue::Str(risk.name().to_owned())));
        }
        if let Some(due) = due {
            fields.push(("due".into(), NewValue::Date(due)));
            fields.push(one_milestone(due, SCANNED_MILESTONE, false));
        }
        due_start(fields, due, scanned.risk.map(|r| r.name().to_owned()))
    }

    fn export_mapping(&self, view: &ItemView) -> ExportMapping {
        due_mapping(view, Vec::new())
    }

    /// The Rev5 template needs no marker: the exports are byte for byte what they were.
    fn export_marker(&self, _policy: &Policy) -> Option<ExportMarker> {
        None
    }

    fn downloads(&self) -> &'static [super::SiteDownload] {
        use super::SiteDownload;
        &[SiteDownload::FedrampWorkbook, SiteDownload::Oscal]
    }

    /// The Completion Guide (§2.2) closes an item when the corrective actions are applied
    /// and evidence is available: the evidence column's text, or a document added by then.
    fn closure_evidence(&self) -> super::ClosureEvidence {
        super::ClosureEvidence::TextOrDocument
    }
}

/// Most days late first, then by due date and id.
fn late_key(i: &ItemRef) -> (std::cmp::Reverse<i64>, Option<NaiveDate>, String) {
    (
        std::cmp::Reverse(i.days_late.unwrap_or(0)),
        i.due,
        i.id.clone(),
    )
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

/// The Rev5 part of the monthly summary and the dashboard.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Rev5Summary {
    /// Open and closed counts per risk bucket, High first.
    pub by_risk: Vec<RiskCount>,
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

impl Rev5Summary {
    /// The Rev5 summary of `views` as of `today`; `refs[i]` is the row of `views[i]`.
    pub fn new(views: &[ItemView], refs: &[ItemRef], today: NaiveDate) -> Rev5Summary {
        let mut by_risk: Vec<RiskCount> = RISKS
            .iter()
            .map(|risk| RiskCount {
                risk,
                open: 0,
                closed: 0,
            })
            .collect();
        let mut summary = Rev5Summary::default();
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
        for (view, item) in views.iter().zip(refs) {
            let a = &view.assessment;
            let bucket = risk_bucket(view);
            if let Some(count) = by_risk.iter_mut().find(|c| c.risk == bucket) {
                if a.open {
                    count.open += 1;
                } else {
                    count.closed += 1;
                }
            }
            if !a.open {
                push_deviations(&mut summary.deviations, view, item);
                continue;
            }
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
            push_deviations(&mut summary.deviations, view, item);
            for trigger in &mut escalations {
                if bucket == trigger.risk
                    && item
                        .age_days
                        .is_some_and(|age| age > trigger.older_than_days)
                {
                    trigger.items.push(item.clone());
                }
            }
        }
        summary.by_risk = by_risk;
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
