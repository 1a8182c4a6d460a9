//! `dod-rmf`: the DoD RMF POA&M kept in eMASS. The deadline counts from detection by the
//! item's category (CAT I/II/III of `rmf.raw_severity`, days from `deadlines:`), capped by an
//! IAVA's comply-by date; an item's eMASS status is derived (open → Ongoing, open with
//! `rmf.risk_accepted` → Risk Accepted, closed → Completed). A risk-accepted item is not late
//! while its acceptance holds.
//!
//! Every page and the report are its own (`templates/dod/`): item lists by category with the
//! eMASS status, the scheduled completion and the IAVA comply-by date; an item page with the
//! eMASS fields and each milestone's status; a dashboard and a report of items by category,
//! overdue by category, IAVAs and the risk-accepted items with their expiry (no FedRAMP
//! escalation triggers, no Rev5 risk or due-date words).

use chrono::NaiveDate;
use serde::Serialize;

use super::common::{
    days_after, deadline, due_mapping, due_standing, due_start, new_item_fields, one_milestone,
    own_template, rating, scanned_due, standing_csv, CsvColumn, SCANNED_MILESTONE, STANDING_LEAD,
};
use super::rev5::Rev5Summary;
use super::{
    ChartWords, ExportMapping, ExportMarker, NewItem, ProfileSummary, Scanned, Starting,
    SystemProfile,
};
use crate::config::Config;
use crate::edit::NewValue;
use crate::policy::dod::Cat;
use crate::policy::rev5::Excuse;
use crate::policy::{Assessment, Policy, Profile};
use crate::view::{ItemRef, ItemView, StandingView, State};

pub struct Dod;

/// The buckets the charts count open items in.
const CAT_BUCKETS: [&str; 4] = ["cat-i", "cat-ii", "cat-iii", "unrated"];

/// The built-in templates this profile has its own form of.
const OWN_TEMPLATES: [&str; 9] = [
    "dod/report.md.j2",
    "dod/report.html.j2",
    "dod/site/index.html.j2",
    "dod/site/item.html.j2",
    "dod/site/items.html.j2",
    "dod/site/control.html.j2",
    "dod/site/people.html.j2",
    "dod/site/assets.html.j2",
    "dod/pdf/summary.typ",
];

impl SystemProfile for Dod {
    fn profile(&self) -> Profile {
        Profile::DodRmf
    }

    /// As Rev5's, but an open item stands accepted while its risk acceptance holds, with the
    /// acceptance's expiry as its next deadline.
    fn standing(&self, a: &Assessment, _policy: &Policy) -> StandingView {
        let mut standing = due_standing(self.name(), a, "iava", "cat-deadline");
        let accepted = matches!(a.excuse, Some(Excuse::RiskAccepted { .. }))
            || a.rmf.as_ref().is_some_and(|r| {
                r.status == crate::policy::dod::EmassStatus::RiskAccepted && !r.acceptance_expired
            });
        if a.open && accepted {
            standing.state = State::Accepted;
            standing.next_deadline =
                a.rmf.as_ref().and_then(|r| r.accepted_until).map(|until| {
                    deadline("accepted-until", until.to_string(), until, a.today, None)
                });
        }
        standing.rating = a
            .rmf
            .as_ref()
            .and_then(|r| r.cat)
            .map(|cat| rating(cat.label().to_owned(), "raw-severity"));
        standing.note = a
            .rmf
            .as_ref()
            .map(|r| format!("eMASS status: {}", r.status.label()));
        standing
    }

    fn summary(
        &self,
        views: &[ItemView],
        refs: &[ItemRef],
        today: NaiveDate,
        config: &Config,
    ) -> ProfileSummary {
        let mut summary = DodSummary::new(views, refs, today);
        let d = &config.policy.deadlines;
        summary.cat_days = CatDays {
            cat_i: Cat::CatI.days(d),
            cat_ii: Cat::CatII.days(d),
            cat_iii: Cat::CatIII.days(d),
        };
        ProfileSummary::Dod(Box::new(summary))
    }

    fn sort_open(&self, items: &mut [ItemRef]) {
        items.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then_with(|| cat_rank(a).cmp(&cat_rank(b)))
                .then_with(|| b.days_late.unwrap_or(0).cmp(&a.days_late.unwrap_or(0)))
                .then_with(|| a.due.cmp(&b.due))
                .then_with(|| a.id.cmp(&b.id))
        });
    }

    fn template(&self, name: &'static str) -> &'static str {
        own_template(&OWN_TEMPLATES, name)
    }

    fn chart_buckets(&self) -> &'static [&'static str] {
        &CAT_BUCKETS
    }

    fn chart_state(&self, a: &Assessment, _policy: &Policy) -> Option<(usize, bool)> {
        if !a.open {
            return None;
        }
        let bucket = match a.rmf.as_ref().and_then(|r| r.cat) {
            Some(Cat::CatI) => 0,
            Some(Cat::CatII) => 1,
            Some(Cat::CatIII) => 2,
            None => 3,
        };
        Some((bucket, a.overdue))
    }

    fn chart_words(&self) -> ChartWords {
        ChartWords {
            rating: "category",
            rating_short: "CAT",
            late: "overdue",
            // Past the CAT deadline or the IAVA comply-by date (not the Rev5 `due` date).
            late_title: "Past-deadline",
        }
    }

    /// The CAT, the eMASS status, the IAVA and the risk acceptance's expiry beside the standing.
    fn site_csv(&self, views: &[ItemView]) -> Option<String> {
        fn rmf<T>(
            view: &ItemView,
            field: impl Fn(&crate::view::RmfView) -> Option<T>,
        ) -> Option<T> {
            view.rmf.as_ref().and_then(field)
        }
        let columns: [CsvColumn; 5] = [
            ("cat", |v| {
                rmf(v, |r| r.cat_label).unwrap_or_default().to_owned()
            }),
            ("emass_status", |v| {
                rmf(v, |r| Some(r.emass_status))
                    .unwrap_or_default()
                    .to_owned()
            }),
            ("iava", |v| {
                rmf(v, |r| r.iava_id.clone()).unwrap_or_default()
            }),
            ("iava_comply_by", |v| {
                rmf(v, |r| r.iava_comply_by)
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            }),
            ("risk_accepted_expires", |v| {
                rmf(v, |r| r.risk_accepted_expires)
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            }),
        ];
        Some(standing_csv(views, &STANDING_LEAD, &columns))
    }

    // Writing and exchange

    /// Detected and status date `today`, an `rmf:` block to fill in (the raw severity from
    /// `--risk` when given: critical and high are CAT I), due at the category's deadline and
    /// one open milestone at it.
    fn new_item(
        &self,
        id: &str,
        request: &NewItem<'_>,
        today: NaiveDate,
        policy: &Policy,
    ) -> Result<Starting, String> {
        let cat = request.risk.map(Cat::from_risk).unwrap_or(Cat::CatII);
        let due = days_after(today, cat.days(&policy.deadlines));
        let mut fields = new_item_fields(id, request, today);
        fields.extend([
            ("resources".to_owned(), NewValue::Str(String::new())),
            ("due".to_owned(), NewValue::Date(due)),
            one_milestone(due, "", true),
            ("rmf".to_owned(), rmf_block(cat, request.detector)),
        ]);
        Ok(due_start(fields, Some(due), Some(cat.name().to_owned())))
    }

    /// The scanner's rating as the raw severity (critical and high are CAT I), `due` at the
    /// category's deadline from detection (capped by the KEV due date), one open milestone.
    fn scanned_item(&self, scanned: &Scanned<'_>, policy: &Policy) -> Starting {
        let cat = scanned.risk.map(Cat::from_risk);
        let due = scanned_due(scanned, cat.map(|cat| cat.days(&policy.deadlines)));
        let mut fields = Vec::new();
        if let Some(due) = due {
            fields.push(("due".into(), NewValue::Date(due)));
            fields.push(one_milestone(due, SCANNED_MILESTONE, true));
        }
        if let Some(cat) = cat {
            fields.push(("rmf".into(), rmf_block(cat, Some(scanned.detector))));
        }
        due_start(fields, due, cat.map(|c| c.name().to_owned()))
    }

    /// As Rev5's; the risk carries the eMASS status and the category.
    fn export_mapping(&self, view: &ItemView) -> ExportMapping {
        let mut risk_props = Vec::new();
        if let Some(rmf) = &view.rmf {
            risk_props.push(("emass-status", rmf.emass_status.to_owned()));
            if let Some(cat) = rmf.cat {
                risk_props.push(("dod-category", cat.to_owned()));
            }
            if let Some(iava) = &rmf.iava_id {
                risk_props.push(("iava", iava.clone()));
            }
        }
        due_mapping(view, risk_props)
    }

    fn export_marker(&self, _policy: &Policy) -> Option<ExportMarker> {
        Some(ExportMarker {
            profile: self.name(),
            label: self.name().to_owned(),
            scheduled_completion: "the scheduled completion date (`due`)",
        })
    }

    fn downloads(&self) -> &'static [super::SiteDownload] {
        use super::SiteDownload;
        &[SiteDownload::EmassWorkbook, SiteDownload::Oscal]
    }

    /// As under Rev5: a completed weakness shows `closed.evidence` text or a document added
    /// by the completion date (eMASS asks for the completion and its artifacts).
    fn closure_evidence(&self) -> super::ClosureEvidence {
        super::ClosureEvidence::TextOrDocument
    }
}

/// The `rmf:` block a new item starts with: its raw severity and the fields to fill in.
fn rmf_block(cat: Cat, source: Option<&str>) -> NewValue {
    NewValue::Map(vec![
        (
            "raw_severity".to_owned(),
            NewValue::Str(cat.name().to_owned()),
        ),
        (
            "identification_source".to_owned(),
            NewValue::Str(source.unwrap_or_default().to_owned()),
        ),
    ])
}

/// CAT I first, unrated last.
fn cat_rank(i: &ItemRef) -> usize {
    let label = i.standing.rating.as_ref().map(|r| r.label.as_str());
    [Some("CAT I"), Some("CAT II"), Some("CAT III")]
        .iter()
        .position(|l| *l == label)
        .unwrap_or(3)
}

/// Open, overdue and closed counts of one category.
#[derive(Clone, Debug, Serialize)]
pub struct CatCount {
    /// `cat-i`, `cat-ii`, `cat-iii` or `unrated`.
    pub cat: &'static str,
    /// `CAT I` .. `Unrated`.
    pub label: &'static str,
    pub open: usize,
    pub overdue: usize,
    pub closed: usize,
}

/// An open item under an IAVA.
#[derive(Clone, Debug, Serialize)]
pub struct IavaRow {
    pub item: ItemRef,
    pub iava: Option<String>,
    pub comply_by: Option<NaiveDate>,
    /// Open and the comply-by date has passed.
    pub late: bool,
}

/// An open, risk-accepted item.
#[derive(Clone, Debug, Serialize)]
pub struct AcceptedRow {
    pub item: ItemRef,
    pub accepted: Option<NaiveDate>,
    /// `null`: long-term.
    pub expires: Option<NaiveDate>,
    pub expired: bool,
}

/// The DoD part of the monthly summary and the dashboard: the Rev5 lists that mean the same
/// here (overdue, due soon, milestones past due) plus counts by category, IAVAs and the
/// risk-accepted items.
#[derive(Clone, Debug, Serialize)]
pub struct DodSummary {
    #[serde(flatten)]
    pub lists: Rev5Summary,
    pub by_cat: Vec<CatCount>,
    pub iavas: Vec<IavaRow>,
    pub risk_accepted: Vec<AcceptedRow>,
    /// The configured days per category.
    pub cat_days: CatDays,
}

/// The configured days per category (`deadlines:`).
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct CatDays {
    pub cat_i: u32,
    pub cat_ii: u32,
    pub cat_iii: u32,
}

impl DodSummary {
    pub fn new(views: &[ItemView], refs: &[ItemRef], today: NaiveDate) -> DodSummary {
        let labels = ["CAT I", "CAT II", "CAT III", "Unrated"];
        let mut by_cat: Vec<CatCount> = CAT_BUCKETS
            .iter()
            .zip(labels)
            .map(|(cat, label)| CatCount {
                cat,
                label,
                open: 0,
                overdue: 0,
                closed: 0,
            })
            .collect();
        let mut iavas = Vec::new();
        let mut risk_accepted = Vec::new();
        for (view, item) in views.iter().zip(refs) {
            let rmf = view.rmf.as_ref();
            let bucket = rmf
                .and_then(|r| r.cat)
                .and_then(|c| CAT_BUCKETS.iter().position(|b| *b == c))
                .unwrap_or(3);
            let count = &mut by_cat[bucket];
            if view.assessment.open {
                count.open += 1;
                count.overdue += usize::from(view.assessment.overdue);
            } else {
                count.closed += 1;
            }
            let Some(rmf) = rmf.filter(|_| view.assessment.open) else {
                continue;
            };
            if rmf.iava_id.is_some() || rmf.iava_comply_by.is_some() {
                iavas.push(IavaRow {
                    item: item.clone(),
                    iava: rmf.iava_id.clone(),
                    comply_by: rmf.iava_comply_by,
                    late: rmf.iava_comply_by.is_some_and(|c| c < today),
                });
            }
            if rmf.emass_status == "Risk Accepted" {
                risk_accepted.push(AcceptedRow {
                    item: item.clone(),
                    accepted: rmf.risk_accepted,
                    expires: rmf.risk_accepted_expires,
                    expired: rmf.acceptance_expired,
                });
            }
        }
        iavas.sort_by(|a, b| (a.comply_by, &a.item.id).cmp(&(b.comply_by, &b.item.id)));
        risk_accepted.sort_by(|a, b| {
            (a.expires.is_none(), a.expires, &a.item.id).cmp(&(
                b.expires.is_none(),
                b.expires,
                &b.item.id,
            ))
        });
        DodSummary {
            lists: Rev5Summary::new(views, refs, today),
            by_cat,
            iavas,
            risk_accepted,
            cat_days: CatDays::default(),
        }
    }
}
