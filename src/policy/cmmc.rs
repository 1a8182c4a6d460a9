//! `cmmc-l2`: the SPRS score of a CMMC Level 2 assessment, whether Conditional status is
//! possible, and the 180-day closeout.
//!
//! - **Score** (NIST SP 800-171 DoD Assessment Methodology v1.2.1, Section 5 and Annex A):
//!   110 minus the value of every requirement NOT MET; a plan of action earns no credit.
//!   3.5.3 and 3.13.11 have a partial value (3 instead of 5, see [`Partial`]); 3.12.4 (the
//!   system security plan) has no value: without one there is no assessment, so no score. The
//!   values sum to 313, so the lowest score is [`FLOOR`] (−203).
//! - **Conditional status** (32 CFR 170.21(a)(2)): score / 110 ≥ 0.8 (at least
//!   [`CONDITIONAL_MINIMUM`] points); no requirement on the POA&M worth more than 1 point except
//!   3.13.11 when encryption is employed but not FIPS-validated; never one of [`NO_POAM`].
//!   Level 1 allows no POA&M at all (170.21(a)(1)).
//! - **Closeout** (170.21(b)): every POA&M item closed within [`CLOSEOUT_DAYS`] days of the
//!   Conditional CMMC Status Date, else Conditional status expires.
//!
//! The tables are `data/cmmc/` (origin in its SOURCES.md), embedded and read once.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::profile::CmmcPolicy;
use crate::model::cmmc::{CmmcAssessment, Finding, Partial};
use crate::model::Span;
use crate::source::SourceFile;

const POINTS_JSON: &str = include_str!("../../data/cmmc/sprs-points-detail.json");
const REQUIREMENTS_JSON: &str = include_str!("../../data/cmmc/sp800-171-requirements.json");

/// The highest score: every requirement met.
pub const MAXIMUM: i32 = 110;
/// The lowest score: 110 − 313, every valued requirement not met.
pub const FLOOR: i32 = -203;
/// 0.8 × 110, rounded up: the least score that allows Conditional status (32 CFR 170.21).
pub const CONDITIONAL_MINIMUM: i32 = 88;
/// Days after the Conditional CMMC Status Date by which the POA&M must be closed.
pub const CLOSEOUT_DAYS: u64 = 180;
/// Days before the closeout from which `cmmc-closeout` warns.
pub const CLOSEOUT_WARNING_DAYS: i64 = 30;
/// The requirements 32 CFR 170.21(a)(2)(iii) never allows on a Level 2 POA&M.
pub const NO_POAM: [&str; 6] = ["3.1.20", "3.1.22", "3.12.4", "3.10.3", "3.10.4", "3.10.5"];
/// The one requirement worth more than 1 point that may be on a POA&M, and only when
/// encryption is employed but not FIPS-validated (32 CFR 170.21(a)(2)(ii)).
pub const FIPS_EXCEPTION: &str = "3.13.11";

/// One requirement of NIST SP 800-171 Rev 2 with its SPRS value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// `3.5.3`.
    pub id: String,
    /// The requirement's sentence (Rev 2 has no short titles).
    pub title: String,
    /// `Identification and Authentication`.
    pub family: String,
    /// Points subtracted when not met; `None` for 3.12.4 (no value: no assessment without it).
    pub value: Option<u8>,
    /// Points subtracted when partially implemented (3.5.3, 3.13.11).
    pub partial_value: Option<u8>,
    /// Annex A's comment, e.g. when not to subtract points.
    pub comment: Option<String>,
}

impl Requirement {
    /// The family's number: `3.5` for `3.5.3`.
    pub fn family_id(&self) -> &str {
        self.id
            .rsplit_once('.')
            .map_or(self.id.as_str(), |(f, _)| f)
    }

    /// The partial implementation that earns the partial value, for the two that have one.
    pub fn partial_kind(&self) -> Option<Partial> {
        match self.id.as_str() {
            "3.5.3" => Some(Partial::RemoteAndPrivilegedOnly),
            "3.13.11" => Some(Partial::NotFipsValidated),
            _ => None,
        }
    }

    /// Points subtracted when not met, with `partial` as the assessment writes it for this
    /// requirement (ignored unless it is the requirement's own partial implementation).
    pub fn deduction(&self, partial: Option<Partial>) -> Option<u8> {
        match self.partial_value {
            Some(part) if partial.is_some() && partial == self.partial_kind() => Some(part),
            _ => self.value,
        }
    }
}

#[derive(Deserialize)]
struct RawPoints {
    id: String,
    value: Option<u8>,
    partial_value: Option<u8>,
    comment: Option<String>,
}

#[derive(Deserialize)]
struct RawRequirement {
    id: String,
    title: String,
    family: String,
}

struct Tables {
    requirements: Vec<Requirement>,
    by_id: HashMap<String, usize>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        // The embedded files are checked by the tests below: a broken one is a build defect.
        let points: Vec<RawPoints> = serde_json::from_str(POINTS_JSON).unwrap_or_default();
        let raw: Vec<RawRequirement> = serde_json::from_str(REQUIREMENTS_JSON).unwrap_or_default();
        let values: HashMap<&str, &RawPoints> = points.iter().map(|p| (p.id.as_str(), p)).collect();
        let requirements: Vec<Requirement> = raw
            .into_iter()
            .map(|r| {
                let p = values.get(r.id.as_str());
                Requirement {
                    value: p.and_then(|p| p.value),
                    partial_value: p.and_then(|p| p.partial_value),
                    comment: p.and_then(|p| p.comment.clone()),
                    id: r.id,
                    title: r.title,
                    family: r.family,
                }
            })
            .collect();
        let by_id = requirements
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Tables {
            requirements,
            by_id,
        }
    })
}

/// The 110 requirements, in NIST's order.
pub fn requirements() -> &'static [Requirement] {
    &tables().requirements
}

/// The requirement `id` (`3.5.3`).
pub fn requirement(id: &str) -> Option<&'static Requirement> {
    let t = tables();
    t.by_id.get(id).map(|&i| &t.requirements[i])
}

/// The requirement `text` most likely means: a Rev 3 id (`03.05.03`) or a CMMC practice id
/// (`IA.L2-3.5.3`) written for a Rev 2 one, else the nearest spelling.
pub fn suggestion(text: &str) -> Option<&'static str> {
    let tail = text.rsplit('-').next().unwrap_or(text);
    let unpadded: Vec<String> = tail
        .split('.')
        .map(|part| part.trim_start_matches('0').to_owned())
        .collect();
    let candidate = unpadded.join(".");
    if let Some(r) = requirement(&candidate) {
        return Some(&r.id);
    }
    let ids: Vec<&'static str> = requirements().iter().map(|r| r.id.as_str()).collect();
    crate::model::item::nearest(text, &ids, 1)
        .into_iter()
        .next()
}

/// The points an item about requirement `id` puts at stake: what not meeting it subtracts,
/// with the assessment's partial implementation.
pub fn points(id: &str, policy: &CmmcPolicy) -> Option<u8> {
    let r = requirement(id)?;
    let partial = match r.partial_kind() {
        Some(Partial::RemoteAndPrivilegedOnly) if policy.partial_mfa => r.partial_kind(),
        Some(Partial::NotFipsValidated) if policy.partial_crypto => r.partial_kind(),
        _ => None,
    };
    r.deduction(partial)
}

/// The day the POA&M must be closed by: the Conditional CMMC Status Date + 180 days.
pub fn closeout(conditional_date: NaiveDate) -> NaiveDate {
    conditional_date + chrono::Days::new(CLOSEOUT_DAYS)
}

/// Reads the text of `assessment.yaml`, named `name` in findings; a file that does not parse
/// is kept with its problem.
pub fn read_assessment(name: String, bytes: &[u8]) -> CmmcAssessment {
    match crate::parse::parse_bytes(bytes) {
        Ok((text, node)) => CmmcAssessment::from_node(&node, SourceFile::new(name, text)),
        Err(err) => unreadable_assessment(
            SourceFile::new(name, String::from_utf8_lossy(bytes).into_owned()),
            err.span,
            &err.message,
        ),
    }
}

/// An assessment with no results, for the one problem that kept `source` from being read.
pub fn unreadable_assessment(source: SourceFile, span: Span, why: &str) -> CmmcAssessment {
    let empty = crate::model::Node {
        value: crate::model::Value::Null,
        span: Span::default(),
    };
    let mut assessment = CmmcAssessment::from_node(&empty, source);
    assessment.problems.push(crate::model::cmmc::Problem {
        span,
        message: format!("the assessment cannot be read: {why}"),
        help: None,
    });
    assessment
}

/// What `assessment.yaml` sets for deadlines and points.
pub fn policy_of(assessment: &CmmcAssessment) -> CmmcPolicy {
    CmmcPolicy {
        conditional_date: assessment.conditional_date.map(|d| d.value),
        partial_mfa: assessment.partial_of("3.5.3") == Some(Partial::RemoteAndPrivilegedOnly),
        partial_crypto: assessment.partial_of(FIPS_EXCEPTION) == Some(Partial::NotFipsValidated),
    }
}

/// One requirement NOT MET, and what it costs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deduction {
    pub id: String,
    /// Points subtracted; `None` for 3.12.4.
    pub points: Option<u8>,
    /// The partial implementation that set the points, when one did.
    pub partial: Option<&'static str>,
    /// 32 CFR 170.21 allows it on a POA&M.
    pub poam_allowed: bool,
    /// Where its result is written in `assessment.yaml`.
    #[serde(skip)]
    pub span: Span,
}

/// Why Conditional status is not possible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Reason {
    /// `level: 1`: Level 1 allows no POA&M (170.21(a)(1)).
    LevelOne,
    /// 3.12.4 is not met: without a system security plan there is no assessment.
    NoSecurityPlan,
    /// Below 88 points (ratio under 0.8).
    BelowMinimum { score: i32 },
    /// A requirement 170.21(a)(2)(iii) keeps off POA&Ms is not met.
    Excluded { id: String },
    /// A requirement worth more than 1 point is not met (and is not 3.13.11 with encryption
    /// employed but not FIPS-validated).
    WorthMore { id: String, points: u8 },
    /// Some requirements have no result: the assessment is incomplete.
    NotAssessed { count: usize },
}

impl Reason {
    /// One line a person reads.
    pub fn text(&self) -> String {
        match self {
            Reason::LevelOne => "CMMC Level 1 allows no POA&M (32 CFR 170.21(a)(1)): every requirement must be met".into(),
            Reason::NoSecurityPlan => "3.12.4 (system security plan) is not met: without a system security plan there is no assessment and no score".into(),
            Reason::BelowMinimum { score } => format!(
                "the score {score} is below {CONDITIONAL_MINIMUM} (0.8 of 110, 32 CFR 170.21(a)(2)(i))"
            ),
            Reason::Excluded { id } => format!(
                "{id} is not met and 32 CFR 170.21(a)(2)(iii) never allows it on a POA&M"
            ),
            Reason::WorthMore { id, points } => format!(
                "{id} is not met and worth {points} points: only 1-point requirements (and 3.13.11 when encryption is employed but not FIPS-validated) may be on a POA&M (32 CFR 170.21(a)(2)(ii))"
            ),
            Reason::NotAssessed { count } => format!(
                "{count} requirement{} of 110 {} no result in assessment.yaml",
                if *count == 1 { "" } else { "s" },
                if *count == 1 { "has" } else { "have" }
            ),
        }
    }
}

/// Where the assessment leaves the contractor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every requirement met (or not applicable): Final status, no POA&M needed.
    Final,
    /// Not every requirement met, and 170.21 allows a POA&M for the rest.
    Conditional,
    /// Neither.
    NotEligible,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Final => "final",
            Status::Conditional => "conditional",
            Status::NotEligible => "not-eligible",
        }
    }
}

/// The SPRS score of an assessment and what it allows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    pub level: u8,
    /// 110 minus the deductions, never below −203; `None` when 3.12.4 is not met.
    pub score: Option<i32>,
    /// `score / 110`, the CMMC Level 2 ratio.
    pub ratio: Option<f64>,
    pub met: usize,
    pub not_met: usize,
    pub not_applicable: usize,
    /// Requirements with no result, in NIST order.
    pub not_assessed: Vec<&'static str>,
    /// Every requirement NOT MET, in NIST order.
    pub deductions: Vec<Deduction>,
    pub status: Status,
    /// Why Conditional status is not possible (empty when it is, or when Final).
    pub reasons: Vec<Reason>,
    pub conditional_date: Option<NaiveDate>,
    /// The Conditional status date + 180 days.
    pub closeout: Option<NaiveDate>,
}

/// Scores `assessment` as the DoD Assessment Methodology does and judges it by 32 CFR 170.21.
pub fn score(assessment: &CmmcAssessment) -> Score {
    let level = assessment.level.map_or(2, |l| l.value);
    let mut met = 0;
    let mut not_met = 0;
    let mut not_applicable = 0;
    let mut not_assessed = Vec::new();
    let mut deductions = Vec::new();
    for r in requirements() {
        match assessment.result(&r.id) {
            None => not_assessed.push(r.id.as_str()),
            Some(f) => match f.value {
                Finding::Met => met += 1,
                Finding::NotApplicable => not_applicable += 1,
                Finding::NotMet => {
                    not_met += 1;
                    let written = assessment.partial_of(&r.id);
                    let partial = written.filter(|p| Some(*p) == r.partial_kind());
                    let points = r.deduction(partial);
                    let excluded = NO_POAM.contains(&r.id.as_str());
                    let small = points == Some(1)
                        || (r.id == FIPS_EXCEPTION && partial == Some(Partial::NotFipsValidated));
                    deductions.push(Deduction {
                        id: r.id.clone(),
                        points,
                        partial: partial.map(Partial::name),
                        poam_allowed: !excluded && small,
                        span: f.span,
                    });
                }
            },
        }
    }
    let no_plan = deductions.iter().any(|d| d.points.is_none());
    let lost: i32 = deductions
        .iter()
        .filter_map(|d| d.points)
        .map(i32::from)
        .sum();
    let score = (!no_plan).then(|| (MAXIMUM - lost).max(FLOOR));
    let mut reasons = Vec::new();
    if level == 1 && not_met > 0 {
        reasons.push(Reason::LevelOne);
    }
    if no_plan {
        reasons.push(Reason::NoSecurityPlan);
    }
    if let Some(s) = score.filter(|s| *s < CONDITIONAL_MINIMUM) {
        reasons.push(Reason::BelowMinimum { score: s });
    }
    for d in &deductions {
        if NO_POAM.contains(&d.id.as_str()) {
            if d.points.is_some() {
                reasons.push(Reason::Excluded { id: d.id.clone() });
            }
        } else if let Some(points) = d.points.filter(|_| !d.poam_allowed) {
            reasons.push(Reason::WorthMore {
                id: d.id.clone(),
                points,
            });
        }
    }
    if !not_assessed.is_empty() {
        reasons.push(Reason::NotAssessed {
            count: not_assessed.len(),
        });
    }
    let status = if not_met == 0 && not_assessed.is_empty() {
        reasons.clear();
        Status::Final
    } else if reasons.is_empty() {
        Status::Conditional
    } else {
        Status::NotEligible
    };
    let conditional_date = assessment.conditional_date.map(|d| d.value);
    Score {
        level,
        score,
        ratio: score.map(|s| f64::from(s) / f64::from(MAXIMUM)),
        met,
        not_met,
        not_applicable,
        not_assessed,
        deductions,
        status,
        reasons,
        conditional_date,
        closeout: conditional_date.map(closeout),
    }
}

/// Problems of `partial:` the reader cannot see: a requirement with no partial value, a
/// partial implementation that is not the requirement's own, or a partial credit for a
/// requirement the results do not say is NOT MET. (span, message, help)
pub fn partial_problems(assessment: &CmmcAssessment) -> Vec<(Span, String, String)> {
    let mut out = Vec::new();
    for (id, partial) in &assessment.partial {
        let Some(r) = requirement(&id.value) else {
            continue;
        };
        match r.partial_kind() {
            None => out.push((
                id.span,
                format!("{} has no partial value: it is met or not met", r.id),
                "only 3.5.3 (remote-and-privileged-only) and 3.13.11 (not-fips-validated) have partial values".to_owned(),
            )),
            Some(kind) if kind != partial.value => out.push((
                partial.span,
                format!("`{}` is not the partial implementation of {}", partial.value.name(), r.id),
                format!("write `{}`", kind.name()),
            )),
            Some(_) => {
                if assessment.result(&r.id).map(|f| f.value) != Some(Finding::NotMet) {
                    out.push((
                        id.span,
                        format!("a partial value is for a requirement NOT MET, and {} is not written as not-met", r.id),
                        format!("write `\"{}\": not-met` under `results`, or remove this line", r.id),
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_have_110_requirements_with_the_methodology_values() {
        let all = requirements();
        assert_eq!(all.len(), 110);
        let count = |v: Option<u8>| {
            all.iter()
                .filter(|r| r.partial_value.is_none() && r.value == v)
                .count()
        };
        assert_eq!(count(Some(5)), 42);
        assert_eq!(count(Some(3)), 14);
        assert_eq!(count(Some(1)), 51);
        assert_eq!(count(None), 1);
        let partial: Vec<&str> = all
            .iter()
            .filter(|r| r.partial_value.is_some())
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(partial, ["3.5.3", "3.13.11"]);
        let total: i32 = all.iter().filter_map(|r| r.value).map(i32::from).sum();
        assert_eq!(MAXIMUM - total, FLOOR);
        assert_eq!(requirement("3.12.4").and_then(|r| r.value), None);
        assert_eq!(
            requirement("3.5.3").map(|r| r.family.as_str()),
            Some("Identification and Authentication")
        );
    }

    #[test]
    fn suggestions_read_rev3_and_practice_ids() {
        assert_eq!(suggestion("03.05.03"), Some("3.5.3"));
        assert_eq!(suggestion("IA.L2-3.5.3"), Some("3.5.3"));
        assert_eq!(
            suggestion("3.13.17").map(|s| s.starts_with("3.13.1")),
            Some(true)
        );
    }

    #[test]
    fn closeout_is_180_days_after_the_conditional_date() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert_eq!(closeout(day("2026-11-20")), day("2027-05-19"));
    }
}
