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

use super::rev5::Rev5Summary;
use super::{
    deadline, new_item_fields, ChartWords, ExportDeadline, ExportMapping, ExportMarker, NewItem,
    ProfileSummary, Scanned, StartDeadline, Starting, SystemProfile,
};
use crate::config::Config;
use crate::edit::NewValue;
use crate::model::item::Item;
use crate::policy::dod::Cat;
use crate::policy::rev5::Excuse;
use crate::policy::{Assessment, Policy, Profile};
use crate::view::{ItemRef, ItemView, RatingView, StandingView, State};

pub struct Dod;

/// The buckets the charts count open items in.
const CAT_BUCKETS: [&str; 4] = ["cat-i", "cat-ii", "cat-iii", "unrated"];

/// The templates this profile has its own of, in the order of [`Dod::template`].
const OWN_TEMPLATES: [&str; 9] = [
    "report.md.j2",
    "report.html.j2",
    "site/index.html.j2",
    "site/item.html.j2",
    "site/items.html.j2",
    "site/control.html.j2",
    "site/people.html.j2",
    "site/assets.html.j2",
    "pdf/summary.typ",
];

impl SystemProfile for Dod {
    fn name(&self) -> &'static str {
        Profile::DodRmf.name()
    }

    fn standing(&self, a: &Assessment, _policy: &Policy) -> StandingView {
        let state = if !a.open {
            State::Closed
        } else if matches!(a.excuse, Some(Excuse::RiskAccepted { .. }))
            || a.rmf.as_ref().is_some_and(|r| {
                r.status == crate::policy::dod::EmassStatus::RiskAccepted && !r.acceptance_expired
            })
        {
            State::Accepted
        } else if a.overdue {
            State::Late
        } else if a.excuse.is_some() {
            State::Excused
        } else if a.due_soon {
            State::DueSoon
        } else {
            State::OnTime
        };
        let next_deadline = if !a.open || state == State::Accepted {
            a.rmf
                .as_ref()
                .and_then(|r| r.accepted_until)
                .filter(|_| a.open)
                .map(|until| deadline("accepted-until", until.to_string(), until, a.today, None))
        } else if let Some(due) = a.due {
            Some(deadline("due", due.to_string(), due, a.today, None))
        } else {
            a.policy_deadline.map(|p| {
                let kind = if p.kev_bound { "iava" } else { "cat-deadline" };
                deadline(kind, p.date.to_string(), p.date, a.today, None)
            })
        };
        StandingView {
            profile: self.name(),
            state,
            excuse: a.excuse.map(Excuse::describe),
            likely_late: false,
            next_deadline,
            rating: a.rmf.as_ref().and_then(|r| r.cat).map(|cat| RatingView {
                label: cat.label().to_owned(),
                source: "raw-severity",
                pain: None,
                irv: None,
                lev: None,
            }),
            note: a
                .rmf
                .as_ref()
                .map(|r| format!("eMASS status: {}", r.status.label())),
        }
    }

    fn view(&self, path: &str, item: &Item, assessment: &Assessment, policy: &Policy) -> ItemView {
        ItemView::new(path, item, assessment, self.standing(assessment, policy))
    }

    fn required_fields(&self) -> &'static [&'static str] {
        Profile::DodRmf.required_fields()
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
        match OWN_TEMPLATES.iter().position(|t| *t == name) {
            Some(0) => "dod/report.md.j2",
            Some(1) => "dod/report.html.j2",
            Some(2) => "dod/site/index.html.j2",
            Some(3) => "dod/site/item.html.j2",
            Some(4) => "dod/site/items.html.j2",
            Some(5) => "dod/site/control.html.j2",
            Some(6) => "dod/site/people.html.j2",
            Some(7) => "dod/site/assets.html.j2",
            Some(8) => "dod/pdf/summary.typ",
            _ => name,
        }
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
        let columns: [super::CsvColumn; 5] = [
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
        Some(super::standing_csv(views, &columns))
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
        let due = today + chrono::Days::new(u64::from(cat.days(&policy.deadlines)));
        let mut fields = new_item_fields(id, request, today);
        fields.extend([
            ("resources".to_owned(), NewValue::Str(String::new())),
            ("due".to_owned(), NewValue::Date(due)),
            (
                "milestones".to_owned(),
                NewValue::List(vec![NewValue::Map(vec![
                    ("id".to_owned(), NewValue::Int(1)),
                    ("date".to_owned(), NewValue::Date(due)),
                    ("description".to_owned(), NewValue::Str(String::new())),
                    ("status".to_owned(), NewValue::Str("open".to_owned())),
                ])]),
            ),
            ("rmf".to_owned(), rmf_block(cat, request.detector)),
        ]);
        Ok(Starting {
            fields,
            vdr_note: None,
            deadline: Some(StartDeadline {
                kind: "due",
                date: due,
            }),
            rating: Some(cat.name().to_owned()),
            needs_rating: false,
        })
    }

    /// The scanner's rating as the raw severity (critical and high are CAT I), `due` at the
    /// category's deadline from detection (capped by the KEV due date), one open milestone.
    fn scanned_item(&self, scanned: &Scanned<'_>, policy: &Policy) -> Starting {
        let cat = scanned.risk.map(Cat::from_risk);
        let due = cat
            .map(|cat| {
                let by_cat =
                    scanned.detected + chrono::Days::new(u64::from(cat.days(&policy.deadlines)));
                scanned.kev_due.map_or(by_cat, |kev| kev.min(by_cat))
            })
            .or(scanned.kev_due);
        let mut fields = Vec::new();
        if let Some(due) = due {
            fields.push(("due".into(), NewValue::Date(due)));
            fields.push((
                "milestones".into(),
                NewValue::List(vec![NewValue::Map(vec![
                    ("id".into(), NewValue::Int(1)),
                    ("date".into(), NewValue::Date(due)),
                    (
                        "description".into(),
                        NewValue::Str("Remediate on every asset and verify with a re-scan.".into()),
                    ),
                    ("status".into(), NewValue::Str("open".into())),
                ])]),
            ));
        }
        if let Some(cat) = cat {
            fields.push(("rmf".into(), rmf_block(cat, Some(scanned.detector))));
        }
        Starting {
            fields,
            vdr_note: None,
            deadline: due.map(|date| StartDeadline { kind: "due", date }),
            rating: cat.map(|c| c.name().to_owned()),
            needs_rating: cat.is_none(),
        }
    }

    fn imported_row(&self, fields: Vec<(String, NewValue)>, _policy: &Policy) -> Starting {
        Starting {
            fields,
            ..Starting::default()
        }
    }

    /// Scheduled Completion Date: `due`; the OSCAL deadline: `due`, else the category's
    /// deadline; the risk carries the eMASS status and the category.
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
        ExportMapping {
            scheduled_completion: view.due,
            deadline: view
                .due
                .or(view.assessment.policy_deadline)
                .map(|date| ExportDeadline { date, at: None }),
            comment: None,
            risk_props,
        }
    }

    fn export_marker(&self, _policy: &Policy) -> Option<ExportMarker> {
        Some(ExportMarker {
            profile: self.name(),
            label: self.name().to_owned(),
            scheduled_completion: "the scheduled completion date (`due`)",
        })
    }

    fn reports_ver(&self) -> bool {
        false
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
