//! `poam export emass`: the eMASS POA&M import workbook, in the layout of one of the four
//! templates of [`crate::emass_template`] (Navy, Army, Marine Corps, or the older generic
//! RMF one), written from scratch with rust_xlsxwriter.
//!
//! Row 1 is the classification banner, rows 2-6 the header block (filled from `poam.yaml`'s
//! `system:` and `emass:` and the people file), row 7 the template's headers character for
//! character, column A hidden and empty (branch templates). The branch templates take one row
//! per milestone, with the item's cells on its first row only; the RMF template takes one row
//! per item with the milestones as text. Output depends only on the views, the settings and
//! the date: the workbook's creation date is the export date, not the clock.
//!
//! Like every export this reads only item views: the eMASS status, the category and the
//! deadline are the profile's answers, computed before.

use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use super::xlsx::{excel_date, xlsx_error};
use super::ExportError;
use crate::config::Config;
use crate::emass_template::{BlockValue, Field, Template, FIRST_DATA_ROW, HEADER_ROW, SHEET};
use crate::model::rmf::RawSeverity;
use crate::people::People;
use crate::view::ItemView;

/// The header block's values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmassHeader {
    pub date_exported: Option<NaiveDate>,
    pub exported_by: String,
    pub component: String,
    pub system_name: String,
    pub registration_no: String,
    pub system_type: String,
    pub omb_project_id: String,
    pub poc_name: String,
    pub poc_phone: String,
    pub poc_email: String,
    pub security_costs: String,
}

impl EmassHeader {
    /// From `system.name`, `emass:` and the people file (`emass.poc` and
    /// `emass.exported_by` may name a person: their name, phone and email are used).
    pub fn new(config: &Config, people: Option<&People>, today: NaiveDate) -> EmassHeader {
        let get = |key: &str| config.emass(key).unwrap_or_default().to_owned();
        let person = |key: &str| {
            let id = config.emass(key)?;
            people?.get(id)
        };
        let poc = person("poc");
        EmassHeader {
            date_exported: Some(today),
            exported_by: person("exported_by")
                .and_then(|p| p.name.clone())
                .unwrap_or_else(|| get("exported_by")),
            component: get("component"),
            system_name: config.system.name.clone().unwrap_or_default(),
            registration_no: get("registration_no"),
            system_type: get("system_type"),
            omb_project_id: get("omb_project_id"),
            poc_name: poc
                .and_then(|p| p.name.clone())
                .unwrap_or_else(|| get("poc")),
            poc_phone: poc.and_then(|p| p.phone.clone()).unwrap_or_default(),
            poc_email: poc.and_then(|p| p.email.clone()).unwrap_or_default(),
            security_costs: get("security_costs"),
        }
    }

    fn text(&self, value: BlockValue) -> &str {
        match value {
            BlockValue::DateExported => "",
            BlockValue::ExportedBy => &self.exported_by,
            BlockValue::Component => &self.component,
            BlockValue::SystemName => &self.system_name,
            BlockValue::RegistrationNo => &self.registration_no,
            BlockValue::SystemType => &self.system_type,
            BlockValue::OmbProjectId => &self.omb_project_id,
            BlockValue::PocName => &self.poc_name,
            BlockValue::PocPhone => &self.poc_phone,
            BlockValue::PocEmail => &self.poc_email,
            BlockValue::SecurityCosts => &self.security_costs,
        }
    }
}

/// Office/Org as eMASS wants it: `Organization, First Last, Phone, Email`, built from the
/// owner's entry in the people file; `rmf.office_org` when written; else the owner as written.
pub fn office_org(view: &ItemView, people: Option<&People>) -> Option<String> {
    if let Some(written) = view.rmf.as_ref().and_then(|r| r.office_org.clone()) {
        return Some(written);
    }
    let owner = view.owner.as_deref()?;
    let Some(person) = people.and_then(|p| p.get(owner)) else {
        return Some(owner.to_owned());
    };
    let parts = [
        person.organization.as_deref(),
        person.name.as_deref(),
        person.phone.as_deref(),
        person.email.as_deref(),
    ];
    Some(
        parts
            .iter()
            .map(|p| p.unwrap_or_default().replace(',', " ").trim().to_owned())
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// One cell of a row.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Text(String),
    Date(NaiveDate),
}

/// Trimmed text, `None` when blank (the import reads cells trimmed: the round trip holds).
fn text(value: Option<impl Into<String>>) -> Option<Value> {
    value
        .map(Into::into)
        .map(|t: String| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .map(Value::Text)
}

/// Raw Severity as `template` writes it: `I`/`II`/`III` (RMF) or the five-level scale.
fn raw_severity(name: &str, template: Template) -> Option<String> {
    let raw = RawSeverity::parse(name)?;
    let cat = crate::policy::dod::Cat::of(raw);
    Some(if template.legacy_raw_severity() {
        match cat {
            crate::policy::dod::Cat::CatI => "I",
            crate::policy::dod::Cat::CatII => "II",
            crate::policy::dod::Cat::CatIII => "III",
        }
        .to_owned()
    } else {
        match raw {
            RawSeverity::Level(level) => level.label(),
            _ => cat.level().label(),
        }
        .to_owned()
    })
}

/// The item-level value of `field`.
fn item_value(
    field: Field,
    view: &ItemView,
    template: Template,
    people: Option<&People>,
) -> Option<Value> {
    let rmf = view.rmf.as_ref();
    let level = |l: Option<&'static str>| text(l);
    match field {
        Field::Unused | Field::MilestoneComments => None,
        Field::ItemId => text(view.id.clone()),
        Field::Description => text(view.description.clone().or_else(|| view.title.clone())),
        Field::Controls => text(Some(view.controls.join("; "))),
        Field::SecurityChecks => text(rmf.map(|r| r.security_checks.join("; "))),
        Field::Status => text(rmf.map(|r| r.emass_status)),
        Field::ScheduledCompletion => view.due.map(Value::Date),
        Field::RiskAcceptedExpires => rmf.and_then(|r| r.risk_accepted_expires).map(Value::Date),
        Field::CompletionDate => view.closed.as_ref().and_then(|c| c.date).map(Value::Date),
        Field::MilestonesText => text(Some(super::milestones_text(view))),
        Field::MilestoneChanges => text(Some(super::milestone_changes_text(view))),
        Field::IdentificationSource => text(rmf.and_then(|r| r.identification_source.clone())),
        Field::IdentificationSourceDetails => text(view.detector.clone()),
        Field::OfficeOrg => text(office_org(view, people)),
        Field::Resources => text(view.resources.clone()),
        Field::Comments => text(
            view.comments
                .clone()
                .or_else(|| view.closed.as_ref().and_then(|c| c.evidence.clone())),
        ),
        Field::RawSeverity => text(
            rmf.and_then(|r| r.raw_severity)
                .and_then(|r| raw_severity(r, template)),
        ),
        Field::DevicesAffected => text(Some(view.assets.join("\n"))),
        Field::Mitigations => text(rmf.and_then(|r| r.mitigations.clone())),
        Field::PredisposingConditions => text(rmf.and_then(|r| r.predisposing_conditions.clone())),
        Field::Severity => level(rmf.and_then(|r| r.severity)),
        Field::RelevanceOfThreat => level(rmf.and_then(|r| r.relevance_of_threat)),
        Field::ThreatDescription => text(rmf.and_then(|r| r.threat_description.clone())),
        Field::Likelihood => level(rmf.and_then(|r| r.likelihood)),
        Field::Impact => level(rmf.and_then(|r| r.impact)),
        Field::ImpactDescription => text(rmf.and_then(|r| r.impact_description.clone())),
        Field::ResidualRisk => level(rmf.and_then(|r| r.residual_risk)),
        Field::Recommendations => text(
            rmf.and_then(|r| r.recommendations.clone())
                .or_else(|| view.remediation.clone()),
        ),
        Field::ResultingResidualRisk => level(rmf.and_then(|r| r.resulting_residual_risk)),
        Field::Cost(key) => text(rmf.and_then(|r| {
            r.costs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
        })),
        Field::MilestoneId
        | Field::MilestoneDescription
        | Field::MilestoneStatus
        | Field::MilestoneScheduled
        | Field::MilestoneCompleted => None,
    }
}

/// The value of a milestone column for the `index`th milestone of `view`.
fn milestone_value(field: Field, view: &ItemView, index: usize) -> Option<Value> {
    let milestone = view.milestones.get(index)?;
    let status = view
        .rmf
        .as_ref()
        .and_then(|r| {
            r.milestone_status
                .iter()
                .find(|(id, _)| *id == milestone.id)
                .map(|(_, s)| *s)
        })
        .and_then(crate::model::rmf::MilestoneStatus::parse)
        .or(milestone
            .completed
            .map(|_| crate::model::rmf::MilestoneStatus::Completed));
    match field {
        Field::MilestoneId => text(Some(milestone.id.to_string())),
        Field::MilestoneDescription => text(milestone.description.clone()),
        Field::MilestoneStatus => text(status.map(|s| s.label())),
        Field::MilestoneScheduled => Some(Value::Date(milestone.date)),
        Field::MilestoneCompleted => milestone.completed.map(Value::Date),
        _ => None,
    }
}

/// The workbook of `views` (callers pass them sorted by id) in `template`'s layout.
pub fn workbook(
    views: &[ItemView],
    template: Template,
    header: &EmassHeader,
    people: Option<&People>,
) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let mut properties = DocProperties::new().set_title("eMASS POA&M");
    if let Some(date) = header.date_exported {
        properties = properties.set_creation_datetime(&excel_date(date)?);
    }
    workbook.set_properties(&properties);
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET).map_err(xlsx_error)?;
    let columns = template.columns();
    write_layout(sheet, template, header, &columns)?;
    let formats = Formats::new();
    let mut row = FIRST_DATA_ROW;
    for view in views {
        let rows = if template.row_per_milestone() {
            view.milestones.len().max(1)
        } else {
            1
        };
        for index in 0..rows {
            for (column, (_, field)) in (0u16..).zip(&columns) {
                let value = if field.is_milestone() {
                    milestone_value(*field, view, index)
                } else if index == 0 {
                    item_value(*field, view, template, people)
                } else {
                    None
                };
                match value {
                    Some(Value::Text(t)) => sheet
                        .write_string_with_format(row, column, t, &formats.text)
                        .map(|_| ()),
                    Some(Value::Date(d)) => sheet
                        .write_datetime_with_format(row, column, excel_date(d)?, &formats.date)
                        .map(|_| ()),
                    None => Ok(()),
                }
                .map_err(xlsx_error)?;
            }
            row += 1;
        }
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

struct Formats {
    text: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        Formats {
            date: text.clone().set_num_format("mm/dd/yyyy"),
            text,
        }
    }
}

/// Row 1's banner, rows 2-6's block, row 7's headers; column A hidden (branch templates).
fn write_layout(
    sheet: &mut Worksheet,
    template: Template,
    header: &EmassHeader,
    columns: &[(&'static str, Field)],
) -> Result<(), ExportError> {
    let last = u16::try_from(columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
    let banner = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_font_color(rust_xlsxwriter::Color::RGB(0x00C0_0000));
    sheet
        .merge_range(0, 0, 0, last, template.banner(), &banner)
        .map_err(xlsx_error)?;
    let label = Format::new().set_bold().set_border(FormatBorder::Thin);
    let value = Format::new().set_border(FormatBorder::Thin);
    let date = value.clone().set_num_format("mm/dd/yyyy");
    for cell in template.block() {
        write_span(sheet, cell.label_at, cell.label, &label)?;
        if cell.value == BlockValue::DateExported {
            let (r1, c1, r2, c2) = cell.value_at;
            match header.date_exported {
                Some(day) => {
                    sheet
                        .merge_range(r1, c1, r2, c2, "", &date)
                        .map_err(xlsx_error)?;
                    sheet
                        .write_datetime_with_format(r1, c1, excel_date(day)?, &date)
                        .map_err(xlsx_error)?;
                }
                None => write_span(sheet, cell.value_at, "", &value)?,
            }
        } else {
            write_span(sheet, cell.value_at, header.text(cell.value), &value)?;
        }
    }
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    for (column, (text, _)) in (0u16..).zip(columns) {
        if text.is_empty() {
            continue;
        }
        sheet
            .write_string_with_format(HEADER_ROW, column, *text, &head)
            .map_err(xlsx_error)?;
        sheet.set_column_width(column, 22).map_err(xlsx_error)?;
    }
    if template.hides_column_a() {
        sheet.set_column_hidden(0).map_err(xlsx_error)?;
    }
    sheet
        .set_freeze_panes(FIRST_DATA_ROW, 0)
        .map_err(xlsx_error)?;
    Ok(())
}

/// `text` in the cells `at`, merged when they are more than one.
fn write_span(
    sheet: &mut Worksheet,
    at: (u32, u16, u32, u16),
    text: &str,
    format: &Format,
) -> Result<(), ExportError> {
    let (r1, c1, r2, c2) = at;
    if (r1, c1) == (r2, c2) {
        sheet
            .write_string_with_format(r1, c1, text, format)
            .map(|_| ())
    } else {
        sheet.merge_range(r1, c1, r2, c2, text, format).map(|_| ())
    }
    .map_err(xlsx_error)
}
