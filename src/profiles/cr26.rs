//! `fedramp-cr26`: FedRAMP's 2026 vulnerability detection and response rules (evaluation,
//! N-ratings with IRV/LEV, reductions within the class's timeframes, accepted vulnerabilities).

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{
    ExportDeadline, ExportMapping, ExportMarker, NewItem, Scanned, StartDeadline, Starting,
    SystemProfile,
};
use crate::edit::NewValue;
use crate::model::vdr::Moment;
use crate::policy::cr26::evaluation_days;
use crate::policy::Policy;
use crate::view::{ItemView, VdrAssessmentView};

pub struct Cr26;

/// The workbook's description of Scheduled Completion Date under CR26.
const SCHEDULED_COMPLETION: &str = "fedramp-cr26: the item's next deadline, not a completion date: evaluate by (not yet evaluated), reduce by (below the current N-rating) or accept by (N1); empty once accepted or closed. The evaluation and every deadline are in Comments.";

/// How the exports' line on an item's CR26 state starts (see [`evaluation_line`]); an
/// imported workbook that poam exported under CR26 is known by it.
const EXPORT_LINE: &str = "fedramp-cr26, Class ";

/// Rev5 fields that move no deadline under CR26 (`vdr-legacy-field` notes the first four);
/// an imported workbook's values of them are kept as text in `comments`.
const REV5_ONLY: &[&str] = &[
    "risk",
    "due",
    "milestones",
    "milestone_changes",
    "vendor_dependency",
    "deviations",
];

impl SystemProfile for Cr26 {
    fn name(&self) -> &'static str {
        crate::policy::Profile::FedrampCr26.name()
    }

    // Writing and exchange

    /// Today's placeholders without the Rev5 rating, due date and milestone, and an empty
    /// `vdr:` evaluation to fill in by the class's evaluation deadline.
    fn new_item(
        &self,
        id: &str,
        request: &NewItem<'_>,
        today: NaiveDate,
        policy: &Policy,
    ) -> Result<Starting, String> {
        if request.risk.is_some() {
            return Err(format!(
                "`--risk` sets a Rev5 rating, which moves no deadline under `{}`: leave it out and evaluate the item in its `vdr:` block (irv, lev, pain)",
                self.name()
            ));
        }
        let text = |s: Option<&str>| NewValue::Str(s.unwrap_or_default().to_owned());
        let list = |items: &[String]| NewValue::List(items.iter().map(|s| text(Some(s))).collect());
        let mut fields = vec![
            ("id".to_owned(), text(Some(id))),
            ("title".to_owned(), text(request.title)),
            ("description".to_owned(), text(None)),
            ("controls".to_owned(), NewValue::List(Vec::new())),
            ("detector".to_owned(), text(request.detector)),
            ("detector_id".to_owned(), text(None)),
            ("assets".to_owned(), list(request.assets)),
            ("owner".to_owned(), text(None)),
            ("remediation".to_owned(), text(None)),
            ("detected".to_owned(), NewValue::Date(today)),
            ("status".to_owned(), text(Some("open"))),
            ("status_date".to_owned(), NewValue::Date(today)),
            ("vdr".to_owned(), stub(None)),
        ];
        if !request.cves.is_empty() {
            fields.push(("cves".to_owned(), list(request.cves)));
        }
        Ok(evaluation_start(fields, Some(today), policy))
    }

    /// An empty `vdr:` evaluation (the CVSS scores as its supplementary information); the
    /// scanner's severity stays in `scanner_severity`. No `risk`, `due` or milestone.
    fn scanned_item(&self, scanned: &Scanned<'_>, policy: &Policy) -> Starting {
        let cvss = cvss_text(scanned);
        let fields = vec![("vdr".to_owned(), stub(cvss))];
        evaluation_start(fields, Some(scanned.detected), policy)
    }

    /// The workbook's Rev5-only columns (ratings, due date, milestones, vendor dependency,
    /// deviations) become a paragraph of `comments`; an open item gets an empty `vdr:`
    /// evaluation. A closed item gets none: its `vdr.disposition` is for a person to say.
    fn imported_row(&self, fields: Vec<(String, NewValue)>, policy: &Policy) -> Starting {
        let mut kept = Vec::with_capacity(fields.len() + 1);
        let mut rev5 = Vec::new();
        let mut comments = None;
        let mut detected = None;
        let mut closed = false;
        for (key, value) in fields {
            match key.as_str() {
                k if REV5_ONLY.contains(&k) => rev5.push((key, value)),
                "comments" => comments = Some(value),
                _ => {
                    if key == "detected" {
                        if let NewValue::Date(date) = value {
                            detected = Some(date);
                        }
                    }
                    if key == "status" {
                        closed = matches!(&value, NewValue::Str(s) if s == "closed");
                    }
                    kept.push((key, value));
                }
            }
        }
        let mut text = match comments {
            Some(NewValue::Str(text)) => text,
            _ => String::new(),
        };
        // A workbook poam exported under CR26: its Comments start with the export's own line
        // and its Scheduled Completion Date is that line's deadline, not a Rev5 due date.
        if text.starts_with(EXPORT_LINE) {
            text = text
                .split_once("\n\n")
                .map_or_else(String::new, |(_, own)| own.to_owned());
            rev5.retain(|(key, _)| key != "due");
        }
        if !rev5.is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let _ = write!(
                text,
                "Rev5 POA&M columns of the imported workbook (informational under {}):",
                self.name()
            );
            for (key, value) in &rev5 {
                let _ = write!(text, "\n- {key}: {}", flat(value));
            }
        }
        if !text.is_empty() {
            kept.push(("comments".to_owned(), NewValue::Str(text)));
        }
        if closed {
            return Starting {
                fields: kept,
                ..Starting::default()
            };
        }
        kept.push(("vdr".to_owned(), stub(None)));
        evaluation_start(kept, detected, policy)
    }

    /// Scheduled Completion Date and the OSCAL deadline: the item's next CR26 deadline (see
    /// [`next_deadline`]); the evaluation and its deadlines lead the comments.
    fn export_mapping(&self, view: &ItemView) -> ExportMapping {
        let Some(v) = view.assessment.vdr.as_ref() else {
            return ExportMapping {
                scheduled_completion: None,
                deadline: None,
                comment: None,
                risk_props: Vec::new(),
            };
        };
        let next = next_deadline(view.assessment.open, v);
        let deadline = next.map(|(_, moment)| ExportDeadline {
            date: moment.date(),
            at: Some(moment.rfc3339()),
        });
        let mut props = vec![("cr26-class", v.class.to_owned())];
        if let Some(current) = &v.current_label {
            props.push(("pain-rating", current.clone()));
        }
        if let Some(evaluated) = v.evaluated.as_deref().and_then(Moment::parse) {
            props.push(("evaluated", evaluated.rfc3339()));
        }
        if let Some((kind, _)) = next {
            props.push(("deadline-kind", kind.to_owned()));
        }
        if v.accepted {
            props.push(("accepted", "yes".to_owned()));
        }
        ExportMapping {
            scheduled_completion: deadline.as_ref().map(|d| d.date),
            deadline,
            comment: Some(evaluation_line(view, v)),
            risk_props: props,
        }
    }

    fn export_marker(&self, policy: &Policy) -> Option<ExportMarker> {
        Some(ExportMarker {
            profile: self.name(),
            label: format!("{} (Class {})", self.name(), policy.class.label()),
            scheduled_completion: SCHEDULED_COMPLETION,
        })
    }

    fn reports_ver(&self) -> bool {
        true
    }
}

/// The keys of an evaluation, empty, in the documented order; `supplementary` when given.
fn stub(supplementary: Option<String>) -> NewValue {
    let mut entries: Vec<(String, NewValue)> = ["evaluated", "irv", "lev", "pain", "rationale"]
        .into_iter()
        .map(|k| (k.to_owned(), NewValue::Null))
        .collect();
    if let Some(text) = supplementary {
        entries.push(("supplementary".to_owned(), NewValue::Str(text)));
    }
    NewValue::Map(entries)
}

/// `fields` with the evaluate-by date (detection + the class's evaluation days) as the
/// `vdr:` comment and the reported deadline.
fn evaluation_start(
    fields: Vec<(String, NewValue)>,
    detected: Option<NaiveDate>,
    policy: &Policy,
) -> Starting {
    let days = evaluation_days(policy.class);
    let class = policy.class.label();
    let by = detected.map(|d| d + chrono::Days::new(u64::from(days)));
    let when = match by {
        Some(date) => format!("Evaluate by {date}"),
        None => "Evaluate".to_owned(),
    };
    Starting {
        fields,
        vdr_note: Some(format!(
            "{when}: Class {class} allows {days} days from detection (VER-TFR-EVU).\nRecord when it was evaluated, irv and lev (true/false), pain (1-5) and the rationale."
        )),
        deadline: by.map(|date| StartDeadline {
            kind: "evaluate by",
            date,
        }),
        rating: Some("not evaluated".to_owned()),
        needs_rating: false,
    }
}

/// `CVSS v3 base score 9.8 (Nessus: Critical)`; `None` without a score.
fn cvss_text(scanned: &Scanned<'_>) -> Option<String> {
    let mut scores = Vec::new();
    if let Some(score) = scanned.cvss3 {
        scores.push(format!("CVSS v3 base score {score:.1}"));
    }
    if let Some(score) = scanned.cvss2 {
        scores.push(format!("CVSS v2 base score {score:.1}"));
    }
    if scores.is_empty() {
        return None;
    }
    let severity = scanned.scanner_severity.trim();
    let source = if severity.is_empty() {
        scanned.detector.to_owned()
    } else {
        format!("{}: {severity}", scanned.detector)
    };
    Some(format!("{} ({source})", scores.join(", ")))
}

/// A value of the item format on one line: lists `a; b`, mappings `key: value, …`.
fn flat(value: &NewValue) -> String {
    match value {
        NewValue::Str(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        NewValue::Date(d) => d.to_string(),
        NewValue::Int(i) => i.to_string(),
        NewValue::Bool(b) => b.to_string(),
        NewValue::Null => String::new(),
        NewValue::List(items) => items
            .iter()
            .map(|item| match item {
                NewValue::Map(_) => format!("({})", flat(item)),
                _ => flat(item),
            })
            .collect::<Vec<_>>()
            .join("; "),
        NewValue::Map(entries) => entries
            .iter()
            .map(|(k, v)| match v {
                NewValue::Map(_) => format!("{k}: ({})", flat(v)),
                _ => format!("{k}: {}", flat(v)),
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The deadline that applies to the item now, with its kind: `evaluate-by` until it is
/// evaluated; then `reduce-by` (evaluation + the timeframe of its current N-rating); at N1,
/// which has no timeframe, `accept-by` (evaluation + 192 days, VER-TFR-MAV). An accepted
/// vulnerability has none, nor has a closed one.
pub(super) fn next_deadline(open: bool, v: &VdrAssessmentView) -> Option<(&'static str, Moment)> {
    if v.accepted || !open {
        return None;
    }
    let moment = |text: &Option<String>| text.as_deref().and_then(Moment::parse);
    if v.evaluated.is_none() {
        return moment(&v.evaluation_deadline).map(|m| ("evaluate-by", m));
    }
    if let Some(reduce) = moment(&v.reduction_deadline) {
        return Some(("reduce-by", reduce));
    }
    moment(&v.accept_deadline).map(|m| ("accept-by", m))
}

/// One line on the item's CR26 state for the exports' comments.
fn evaluation_line(view: &ItemView, v: &VdrAssessmentView) -> String {
    let mut out = format!("{EXPORT_LINE}{}: ", v.class.to_ascii_uppercase());
    match (&v.evaluated, &v.current_label) {
        (None, _) => out.push_str("not evaluated"),
        (Some(at), None) => {
            let _ = write!(out, "evaluation of {at} incomplete");
        }
        (Some(at), Some(current)) => {
            let _ = write!(out, "{current}, evaluated {at}");
            if let (Some(since), Some(initial)) = (&v.current_since, v.initial) {
                if Some(since) != v.evaluated.as_ref() {
                    let _ = write!(out, ", reduced from N{} on {since}", initial.pain);
                }
            }
        }
    }
    if v.accepted {
        out.push_str("; accepted");
        let on = view
            .vdr
            .as_ref()
            .and_then(|b| b.accepted.as_ref()?.date.as_ref());
        if let Some(on) = on {
            let _ = write!(out, " on {on}");
        }
    }
    let accept = |out: &mut String| {
        if let Some(accept) = &v.accept_deadline {
            let _ = write!(
                out,
                "; accept by {accept} unless fully mitigated or remediated"
            );
        }
    };
    match next_deadline(view.assessment.open, v) {
        Some(("evaluate-by", at)) => {
            let _ = write!(out, "; evaluate by {at}");
        }
        Some(("reduce-by", at)) => {
            let pain = v.current.map_or(0, |c| c.pain);
            let _ = write!(out, "; reduce below N{pain} by {at}");
            if v.accept_deadline != v.reduction_deadline {
                accept(&mut out);
            }
        }
        Some(_) => accept(&mut out),
        None => {}
    }
    if let Some(next) = &v.next_reduction_at {
        let pain = v
            .next_reduction_pain
            .map_or_else(String::new, |p| format!(" to N{p}"));
        let _ = write!(out, "; next reduction{pain} planned {next}");
    }
    if v.overdue {
        out.push_str("; overdue");
    }
    if let Some(disposition) = v.disposition {
        let _ = write!(out, "; disposition {disposition}");
    }
    out.push('.');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_heads_the_vdr_block_and_nothing_else_moves() {
        let fields = vec![
            ("id".to_owned(), NewValue::Str("V-1".into())),
            // A value that mentions `vdr:` at the start of a line of its own.
            ("description".to_owned(), NewValue::Str("a\nvdr: b".into())),
            ("vdr".to_owned(), stub(None)),
        ];
        let plain = crate::edit::render_new_item(&fields);
        let noted = super::super::render_new_item(&fields, Some("one\ntwo"));
        assert_eq!(
            noted,
            plain.replace("\nvdr:\n", "\nvdr:\n  # one\n  # two\n"),
            "{noted}"
        );
        assert_eq!(super::super::render_new_item(&fields, None), plain);
    }

    #[test]
    fn flat_values_keep_every_part() {
        let milestones = NewValue::List(vec![NewValue::Map(vec![
            ("id".into(), NewValue::Int(1)),
            ("date".into(), NewValue::Date(NaiveDate::MIN)),
            ("description".into(), NewValue::Str("Patch\n it".into())),
        ])]);
        assert_eq!(
            flat(&milestones),
            format!("(id: 1, date: {}, description: Patch it)", NaiveDate::MIN)
        );
    }
}
