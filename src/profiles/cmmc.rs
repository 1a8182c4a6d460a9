//! `cmmc-l2`: the POA&M of a CMMC Level 2 assessment (32 CFR part 170).
//!
//! Items are about NIST SP 800-171 Rev 2 requirements (`requirement`), not scanner findings.
//! An open item's one deadline is the closeout: the Conditional CMMC Status Date
//! (`conditional_date` in `assessment.yaml`) + 180 days; it is due soon within 30 days of it
//! and late after it. Its rating is the points its requirement costs the SPRS score while not
//! met. The summary is the assessment's score (`crate::policy::cmmc::score`, the numbers of
//! `poam cmmc score`), the points at stake per open item, the closeout countdown and the
//! requirement table by family. Rev5 deadlines (`risk`, `due`) are informational.

use chrono::NaiveDate;
use serde::Serialize;

use super::common::{
    closed_standing, deadline, new_item_fields, one_milestone, own_template, rating, risk_refused,
    standing_csv, CsvColumn, STANDING_LEAD,
};
use super::{
    ChartWords, ExportDeadline, ExportMapping, ExportMarker, NewItem, ProfileSummary, Scanned,
    StartDeadline, Starting, SystemProfile,
};
use crate::config::Config;
use crate::edit::NewValue;
use crate::model::item::Item;
use crate::policy::cmmc::{self as math, Score, CLOSEOUT_WARNING_DAYS};
use crate::policy::{days_between, Assessment, Policy, Profile};
use crate::view::{ItemRef, ItemView, StandingView, State};

pub struct Cmmc;

/// The workbook's description of Scheduled Completion Date under CMMC.
const SCHEDULED_COMPLETION: &str = "cmmc-l2: the closeout date (Conditional CMMC Status Date + 180 days, 32 CFR 170.21(b)) by which every POA&M item must be closed; empty without a Conditional status date.";

/// The built-in templates this profile has its own form of.
const OWN_TEMPLATES: [&str; 10] = [
    "cmmc/report.md.j2",
    "cmmc/report.html.j2",
    "cmmc/site/index.html.j2",
    "cmmc/site/item.html.j2",
    "cmmc/site/items.html.j2",
    "cmmc/site/control.html.j2",
    "cmmc/site/people.html.j2",
    "cmmc/site/assets.html.j2",
    "cmmc/site/controls.html.j2",
    "cmmc/pdf/summary.typ",
];

/// Every open item counts the same towards the closeout: one chart bucket.
const BUCKETS: [&str; 1] = ["open"];

/// Fields `poam new` writes under every profile that a requirement's POA&M item has no use for.
const NOT_WRITTEN: &[&str] = &["controls", "detector_id", "assets"];

impl SystemProfile for Cmmc {
    fn profile(&self) -> Profile {
        Profile::CmmcL2
    }

    fn standing(&self, a: &Assessment, policy: &Policy) -> StandingView {
        let mut standing = closed_standing(self.name());
        if !a.open {
            return standing;
        }
        let Some(conditional) = policy.cmmc.conditional_date else {
            standing.state = State::OnTime;
            standing.note = Some(
                "no Conditional CMMC Status Date in assessment.yaml: the 180-day closeout has not started"
                    .into(),
            );
            return standing;
        };
        let closeout = math::closeout(conditional);
        let next = deadline("closeout", closeout.to_string(), closeout, a.today, None);
        standing.state = if next.days_left < 0 {
            standing.note = Some(format!(
                "open after the closeout ({conditional} + 180 days): Conditional CMMC status has expired (32 CFR 170.21(b))"
            ));
            State::Late
        } else if next.days_left <= CLOSEOUT_WARNING_DAYS {
            State::DueSoon
        } else {
            State::OnTime
        };
        standing.next_deadline = Some(next);
        standing
    }

    fn view(&self, path: &str, item: &Item, assessment: &Assessment, policy: &Policy) -> ItemView {
        let mut standing = self.standing(assessment, policy);
        standing.rating = item
            .requirement
            .as_ref()
            .and_then(|r| math::points(r.value.trim(), &policy.cmmc))
            .map(|points| rating(points_label(points), "sprs"));
        let mut view = ItemView::new(path, item, assessment, standing);
        view.assessment = view.assessment.without_rev5_deadlines();
        view
    }

    fn summary(
        &self,
        views: &[ItemView],
        refs: &[ItemRef],
        today: NaiveDate,
        config: &Config,
    ) -> ProfileSummary {
        ProfileSummary::Cmmc(Box::new(CmmcSummary::new(views, refs, today, config)))
    }

    fn sort_open(&self, items: &mut [ItemRef]) {
        // Late first, then the most points at stake, then id.
        items.sort_by(|a, b| {
            let key = |i: &ItemRef| {
                (
                    i.standing.state,
                    std::cmp::Reverse(
                        i.standing
                            .rating
                            .as_ref()
                            .map_or(0, |r| points_of(&r.label)),
                    ),
                    i.id.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
    }

    fn template(&self, name: &'static str) -> &'static str {
        own_template(&OWN_TEMPLATES, name)
    }

    fn chart_buckets(&self) -> &'static [&'static str] {
        &BUCKETS
    }

    fn chart_state(&self, a: &Assessment, policy: &Policy) -> Option<(usize, bool)> {
        a.open
            .then(|| (0, self.standing(a, policy).state == State::Late))
    }

    fn chart_words(&self) -> ChartWords {
        ChartWords {
            rating: "status",
            rating_short: "status",
            late: "past the closeout",
            late_title: "Past the closeout",
        }
    }

    /// The 800-171 requirement beside the standing (the closeout is the next deadline).
    fn site_csv(&self, views: &[ItemView]) -> Option<String> {
        let columns: [CsvColumn; 1] =
            [("requirement", |v| v.requirement.clone().unwrap_or_default())];
        Some(standing_csv(views, &STANDING_LEAD, &columns))
    }

    // Writing and exchange

    /// Today's placeholders with an empty `requirement` and one milestone at the closeout
    /// (or 180 days from today without a Conditional status date); no Rev5 rating or due date.
    fn new_item(
        &self,
        id: &str,
        request: &NewItem<'_>,
        today: NaiveDate,
        policy: &Policy,
    ) -> Result<Starting, String> {
        if request.risk.is_some() {
            return Err(risk_refused(
                self.name(),
                "an item's points come from its `requirement`",
            ));
        }
        let by = policy
            .cmmc
            .conditional_date
            .map_or_else(|| math::closeout(today), math::closeout);
        let mut fields: Vec<(String, NewValue)> = new_item_fields(id, request, today)
            .into_iter()
            .filter(|(key, _)| !NOT_WRITTEN.contains(&key.as_str()))
            .collect();
        fields.extend([
            ("requirement".to_owned(), NewValue::Str(String::new())),
            one_milestone(by, "", false),
        ]);
        Ok(Starting {
            fields,
            vdr_note: None,
            deadline: policy.cmmc.conditional_date.map(|c| StartDeadline {
                kind: "closeout",
                date: math::closeout(c),
            }),
            rating: None,
            needs_rating: false,
        })
    }

    /// A scanner finding is not a requirement: the item starts with the scanner's fields
    /// only, and a person names its `requirement`.
    fn scanned_item(&self, _scanned: &Scanned<'_>, _policy: &Policy) -> Starting {
        Starting::default()
    }

    /// Scheduled Completion Date and the OSCAL deadline: the closeout; the requirement and
    /// its points before the item's own comments and as OSCAL props.
    fn export_mapping(&self, view: &ItemView) -> ExportMapping {
        let closeout = view
            .standing
            .next_deadline
            .as_ref()
            .and_then(|d| d.date.parse::<NaiveDate>().ok());
        let mut props = Vec::new();
        let mut comment = None;
        if let Some(requirement) = &view.requirement {
            props.push(("cmmc-requirement", requirement.clone()));
            let points = view.standing.rating.as_ref().map(|r| r.label.clone());
            if let Some(points) = &points {
                props.push(("sprs-points", points_of(points).to_string()));
            }
            comment = Some(format!(
                "cmmc-l2: NIST SP 800-171 Rev 2 requirement {requirement}{}",
                points.map_or_else(String::new, |p| format!(", {p} at stake in the SPRS score"))
            ));
        }
        ExportMapping {
            scheduled_completion: closeout,
            deadline: closeout.map(|date| ExportDeadline { date, at: None }),
            comment,
            risk_props: props,
        }
    }

    fn export_marker(&self, _policy: &Policy) -> Option<ExportMarker> {
        Some(ExportMarker {
            profile: self.name(),
            label: format!("{} (CMMC Level 2)", self.name()),
            scheduled_completion: SCHEDULED_COMPLETION,
        })
    }

    fn downloads(&self) -> &'static [super::SiteDownload] {
        use super::SiteDownload;
        &[
            SiteDownload::Oscal,
            SiteDownload::Csv,
            SiteDownload::ScoreJson,
        ]
    }

    /// As under Rev5: a closed item shows `closed.evidence` text or a document added by its
    /// closing date, which the closeout assessment verifies.
    fn closure_evidence(&self) -> super::ClosureEvidence {
        super::ClosureEvidence::TextOrDocument
    }
}

/// `5 points`, `1 point`.
fn points_label(points: u8) -> String {
    if points == 1 {
        "1 point".to_owned()
    } else {
        format!("{points} points")
    }
}

/// The number of a [`points_label`].
fn points_of(label: &str) -> u8 {
    label
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The CMMC part of the summary: the key `cmmc` of the template variable `summary`.
#[derive(Clone, Debug, Serialize)]
pub struct CmmcSummary {
    pub cmmc: CmmcPage,
}

/// What the report and the dashboard show under `cmmc-l2`.
#[derive(Clone, Debug, Serialize)]
pub struct CmmcPage {
    /// `assessment.yaml` was found and read.
    pub assessed: bool,
    /// `self` or `c3pao`.
    pub kind: Option<&'static str>,
    pub assessed_on: Option<NaiveDate>,
    /// The score and what it allows; `None` without an assessment.
    pub score: Option<Score>,
    /// The score to one decimal, `−203` to `110` (`None` without a score).
    pub score_text: Option<String>,
    /// `0.85`.
    pub ratio_text: Option<String>,
    pub status: &'static str,
    /// Why Conditional status is not possible, one line each.
    pub reasons: Vec<String>,
    pub closeout: Option<Closeout>,
    /// Open items with the points their requirement costs, most points first.
    pub at_stake: Vec<Stake>,
    /// The points of all open items' requirements (each requirement counted once).
    pub points_at_stake: u32,
    /// The 110 requirements by family.
    pub families: Vec<Family>,
}

/// The closeout countdown.
#[derive(Clone, Debug, Serialize)]
pub struct Closeout {
    pub conditional_date: NaiveDate,
    pub date: NaiveDate,
    pub days_left: i64,
    pub passed: bool,
    /// Open items that must close by then.
    pub open_items: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Stake {
    pub item: ItemRef,
    pub requirement: Option<String>,
    pub points: Option<u8>,
    /// The requirement's result in the assessment (`not-met`, `met`…), when written.
    pub result: Option<&'static str>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Family {
    /// `3.1`.
    pub id: String,
    pub name: String,
    pub met: usize,
    pub not_met: usize,
    pub not_applicable: usize,
    pub not_assessed: usize,
    pub requirements: Vec<RequirementRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RequirementRow {
    pub id: String,
    pub title: String,
    /// `met`, `not-met`, `not-applicable`, or `not-assessed`.
    pub result: &'static str,
    /// Points subtracted when not met (with the partial value that applies); `None` for 3.12.4.
    pub value: Option<u8>,
    /// Ids of the items that name the requirement.
    pub items: Vec<ItemLink>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ItemLink {
    pub id: String,
    pub page: String,
    pub open: bool,
}

impl CmmcSummary {
    fn new(views: &[ItemView], refs: &[ItemRef], today: NaiveDate, config: &Config) -> CmmcSummary {
        let assessment = config.cmmc.as_deref();
        let score = assessment.map(math::score);
        let policy = &config.policy.cmmc;
        let result_of = |id: &str| {
            assessment
                .and_then(|a| a.result(id))
                .map(|f| f.value.name())
        };
        let mut at_stake: Vec<Stake> = views
            .iter()
            .zip(refs)
            .filter(|(view, _)| view.assessment.open)
            .map(|(view, item)| {
                let requirement = view.requirement.as_deref().map(str::trim);
                Stake {
                    item: item.clone(),
                    requirement: requirement.map(str::to_owned),
                    points: requirement.and_then(|r| math::points(r, policy)),
                    result: requirement.and_then(result_of),
                }
            })
            .collect();
        at_stake.sort_by(|a, b| {
            (std::cmp::Reverse(a.points), &a.item.id)
                .cmp(&(std::cmp::Reverse(b.points), &b.item.id))
        });
        let mut counted: Vec<&str> = at_stake
            .iter()
            .filter_map(|s| s.requirement.as_deref())
            .collect();
        counted.sort_unstable();
        counted.dedup();
        let points_at_stake = counted
            .iter()
            .filter_map(|r| math::points(r, policy))
            .map(u32::from)
            .sum();
        let mut families: Vec<Family> = Vec::new();
        for r in math::requirements() {
            let result = result_of(&r.id).unwrap_or("not-assessed");
            let items = views
                .iter()
                .zip(refs)
                .filter(|(view, _)| view.requirement.as_deref().map(str::trim) == Some(&r.id))
                .map(|(view, item)| ItemLink {
                    id: item.id.clone(),
                    page: item.page.clone(),
                    open: view.assessment.open,
                })
                .collect();
            let row = RequirementRow {
                id: r.id.clone(),
                title: r.title.clone(),
                result,
                value: math::points(&r.id, policy),
                items,
            };
            if families.last().is_none_or(|f| f.id != r.family_id()) {
                families.push(Family {
                    id: r.family_id().to_owned(),
                    name: r.family.clone(),
                    met: 0,
                    not_met: 0,
                    not_applicable: 0,
                    not_assessed: 0,
                    requirements: Vec::new(),
                });
            }
            if let Some(family) = families.last_mut() {
                match result {
                    "met" => family.met += 1,
                    "not-met" => family.not_met += 1,
                    "not-applicable" => family.not_applicable += 1,
                    _ => family.not_assessed += 1,
                }
                family.requirements.push(row);
            }
        }
        let open_items = views.iter().filter(|v| v.assessment.open).count();
        let closeout = policy.conditional_date.map(|conditional| {
            let date = math::closeout(conditional);
            let days_left = days_between(today, date);
            Closeout {
                conditional_date: conditional,
                date,
                days_left,
                passed: days_left < 0,
                open_items,
            }
        });
        CmmcSummary {
            cmmc: CmmcPage {
                assessed: assessment.is_some(),
                kind: assessment.and_then(|a| a.kind).map(|k| k.value.name()),
                assessed_on: assessment.and_then(|a| a.assessed).map(|d| d.value),
                score_text: score.as_ref().and_then(|s| s.score).map(|s| s.to_string()),
                ratio_text: score
                    .as_ref()
                    .and_then(|s| s.ratio)
                    .map(|r| format!("{r:.2}")),
                status: score.as_ref().map_or("not-assessed", |s| s.status.name()),
                reasons: score
                    .as_ref()
                    .map(|s| s.reasons.iter().map(math::Reason::text).collect())
                    .unwrap_or_default(),
                score,
                closeout,
                at_stake,
                points_at_stake,
                families,
            },
        }
    }
}

/// What `poam cmmc score` reports: the score of `assessment.yaml` with the items that plan
/// each NOT MET requirement and the closeout countdown (JSON version 1).
#[derive(Clone, Debug, Serialize)]
pub struct ScoreReport {
    pub version: u32,
    /// The assessment file, as findings name it.
    pub file: String,
    pub level: u8,
    pub kind: Option<&'static str>,
    pub assessed: Option<NaiveDate>,
    /// `None` when 3.12.4 is not met (no system security plan: no score).
    pub score: Option<i32>,
    pub maximum: i32,
    pub floor: i32,
    pub ratio: Option<f64>,
    /// The least score that allows Conditional status (0.8 × 110).
    pub conditional_minimum: i32,
    pub met: usize,
    pub not_met: usize,
    pub not_applicable: usize,
    pub not_assessed: Vec<&'static str>,
    /// `final`, `conditional` or `not-eligible`.
    pub status: &'static str,
    pub reasons: Vec<ReasonRow>,
    /// Every requirement NOT MET, in NIST order.
    pub deductions: Vec<DeductionRow>,
    /// Sum of the deductions' points.
    pub points_lost: u32,
    pub conditional_date: Option<NaiveDate>,
    pub closeout: Option<NaiveDate>,
    pub closeout_days_left: Option<i64>,
    /// Open items of the repository.
    pub open_items: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReasonRow {
    #[serde(flatten)]
    pub reason: math::Reason,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeductionRow {
    pub id: String,
    pub family: String,
    pub title: String,
    /// Points subtracted; `None` for 3.12.4.
    pub points: Option<u8>,
    pub partial: Option<&'static str>,
    /// 32 CFR 170.21 allows it on a POA&M.
    pub poam_allowed: bool,
    /// Ids of the items naming the requirement (open and closed).
    pub items: Vec<String>,
}

/// The score report of the workspace's assessment as of `today`; `None` without
/// `assessment.yaml`. `items` are the parsed items.
pub fn score_report<'i>(
    config: &Config,
    items: impl Iterator<Item = &'i Item>,
    today: NaiveDate,
) -> Option<ScoreReport> {
    let assessment = config.cmmc.as_deref()?;
    let score = math::score(assessment);
    let mut planned: Vec<(String, String)> = Vec::new();
    let mut open_items = 0;
    for item in items {
        if item.is_open() {
            open_items += 1;
        }
        if let (Some(r), Some(id)) = (&item.requirement, item.id_text()) {
            planned.push((r.value.trim().to_owned(), id.to_owned()));
        }
    }
    planned.sort();
    let deductions: Vec<DeductionRow> = score
        .deductions
        .iter()
        .map(|d| {
            let r = math::requirement(&d.id);
            DeductionRow {
                id: d.id.clone(),
                family: r.map(|r| r.family.clone()).unwrap_or_default(),
                title: r.map(|r| r.title.clone()).unwrap_or_default(),
                points: d.points,
                partial: d.partial,
                poam_allowed: d.poam_allowed,
                items: planned
                    .iter()
                    .filter(|(req, _)| *req == d.id)
                    .map(|(_, id)| id.clone())
                    .collect(),
            }
        })
        .collect();
    Some(ScoreReport {
        version: 1,
        file: assessment.source.name.clone(),
        level: score.level,
        kind: assessment.kind.map(|k| k.value.name()),
        assessed: assessment.assessed.map(|d| d.value),
        score: score.score,
        maximum: math::MAXIMUM,
        floor: math::FLOOR,
        ratio: score.ratio,
        conditional_minimum: math::CONDITIONAL_MINIMUM,
        met: score.met,
        not_met: score.not_met,
        not_applicable: score.not_applicable,
        not_assessed: score.not_assessed.clone(),
        status: score.status.name(),
        reasons: score
            .reasons
            .iter()
            .map(|r| ReasonRow {
                reason: r.clone(),
                text: r.text(),
            })
            .collect(),
        points_lost: deductions
            .iter()
            .filter_map(|d| d.points)
            .map(u32::from)
            .sum(),
        deductions,
        conditional_date: score.conditional_date,
        closeout: score.closeout,
        closeout_days_left: score.closeout.map(|c| days_between(today, c)),
        open_items,
    })
}
