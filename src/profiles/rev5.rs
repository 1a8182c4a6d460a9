//! `fedramp-rev5`: the Rev5 POA&M (30/90/180 days, deviation requests, vendor dependencies,
//! milestones, escalation triggers).

use chrono::NaiveDate;

use super::{
    ExportDeadline, ExportMapping, ExportMarker, NewItem, Scanned, StartDeadline, Starting,
    SystemProfile,
};
use crate::edit::NewValue;
use crate::model::item::Risk;
use crate::policy::rev5::{days_for, new_item_deadline};
use crate::policy::Policy;
use crate::view::ItemView;

pub struct Rev5;

/// The rating `poam new` writes when `--risk` is not given.
const NEW_ITEM_RISK: Risk = Risk::Moderate;

/// What the import writes as the milestone of a scanned item.
const SCANNED_MILESTONE: &str = "Remediate on every asset and verify with a re-scan.";

impl SystemProfile for Rev5 {
    fn name(&self) -> &'static str {
        crate::policy::Profile::FedrampRev5.name()
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
        let days = days_for(&policy.deadlines, risk);
        let due = today + chrono::Days::new(u64::from(days));
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
            ("due".to_owned(), NewValue::Date(due)),
            ("risk".to_owned(), text(Some(risk.name()))),
            (
                "milestones".to_owned(),
                NewValue::List(vec![NewValue::Map(vec![
                    ("id".to_owned(), NewValue::Int(1)),
                    ("date".to_owned(), NewValue::Date(due)),
                    ("description".to_owned(), text(None)),
                ])]),
            ),
            ("status".to_owned(), text(Some("open"))),
            ("status_date".to_owned(), NewValue::Date(today)),
        ];
        if !request.cves.is_empty() {
            fields.push(("cves".to_owned(), list(request.cves)));
        }
        Ok(Starting {
            fields,
            vdr_note: None,
            deadline: Some(StartDeadline {
                kind: "due",
                date: due,
            }),
            rating: Some(risk.name().to_owned()),
            needs_rating: false,
        })
    }

    /// `risk` from the scan, `due` at the policy's deadline from detection (capped by the KEV
    /// due date; the KEV date alone when the scan gives no rating) and one milestone at it.
    fn scanned_item(&self, scanned: &Scanned<'_>, policy: &Policy) -> Starting {
        let due = match scanned.risk {
            Some(risk) => Some(new_item_deadline(
                &policy.deadlines,
                risk,
                scanned.detected,
                scanned.kev_due,
            )),
            None => scanned.kev_due,
        };
        let mut fields = Vec::new();
        if let Some(risk) = scanned.risk {
            fields.push(("risk".into(), NewValue::Str(risk.name().to_owned())));
        }
        if let Some(due) = due {
            fields.push(("due".into(), NewValue::Date(due)));
            fields.push((
                "milestones".into(),
                NewValue::List(vec![NewValue::Map(vec![
                    ("id".into(), NewValue::Int(1)),
                    ("date".into(), NewValue::Date(due)),
                    (
                        "description".into(),
                        NewValue::Str(SCANNED_MILESTONE.into()),
                    ),
                ])]),
            ));
        }
        Starting {
            fields,
            vdr_note: None,
            deadline: due.map(|date| StartDeadline { kind: "due", date }),
            rating: scanned.risk.map(|r| r.name().to_owned()),
            needs_rating: scanned.risk.is_none(),
        }
    }

    /// The workbook's columns, as read.
    fn imported_row(&self, fields: Vec<(String, NewValue)>, _policy: &Policy) -> Starting {
        Starting {
            fields,
            ..Starting::default()
        }
    }

    /// Scheduled Completion Date: `due`; the OSCAL deadline: `due`, else the policy deadline.
    fn export_mapping(&self, view: &ItemView) -> ExportMapping {
        ExportMapping {
            scheduled_completion: view.due,
            deadline: view
                .due
                .or(view.assessment.policy_deadline)
                .map(|date| ExportDeadline { date, at: None }),
            comment: None,
            risk_props: Vec::new(),
        }
    }

    /// The Rev5 template needs no marker: the exports are byte for byte what they were.
    fn export_marker(&self, _policy: &Policy) -> Option<ExportMarker> {
        None
    }

    fn reports_ver(&self) -> bool {
        false
    }
}
