//! `poam export dr ID`: FedRAMP's own Vulnerability Deviation Request form (v2.1, embedded
//! from `templates/dr/`), filled from one item and `poam.yaml`.
//!
//! The workbook is edited in place, not rebuilt: every zip entry but the DR Sheet's XML is
//! copied byte for byte (compressed as it was), and in the DR Sheet only the cells poam fills
//! change, each keeping its style; the form's sheets, data validations (the drop-down lists on
//! the Data Dictionary sheet), merged cells, drawings and styles stay the form's own. Values
//! are written as inline strings (the shared-strings table is left alone), dates as Excel
//! serial numbers in the form's date-formatted cells.
//!
//! The form's example rows (12 and 13, "V-1 Example", "V-2 Example", and a stray example value
//! in X14) are cleared: the item goes in row 12, the first data row, and a submitted form must
//! not carry FedRAMP's examples. The instructions sheet says to remove itself before
//! submitting; poam leaves that to the person submitting.
//!
//! [`mapping`] is the one table of what goes where; `docs/deviation-request.md` prints it.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use chrono::NaiveDate;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

use crate::config::System;
use crate::view::{display_id, ItemView};

/// FedRAMP's form, unmodified (`templates/dr/SOURCES.md` says where it comes from).
pub const FORM: &[u8] =
    include_bytes!("../../templates/dr/FedRAMP-Vulnerability-Deviation-Request-Form.xlsx");
/// The form's sheets, in order.
pub const SHEETS: [&str; 4] = [
    "Instructions",
    "DR Sheet",
    "Data Dictionary - Do Not Remove",
    "Record of Changes",
];
/// The sheet poam fills.
pub const DR_SHEET: &str = "DR Sheet";
/// Its part in the package (`xl/workbook.xml` relates `DR Sheet` to it).
const DR_SHEET_PART: &str = "xl/worksheets/sheet2.xml";
/// The first data row (Excel numbering): the item's row.
pub const DATA_ROW: u32 = 12;
/// Rows holding FedRAMP's examples, cleared.
const EXAMPLE_ROWS: std::ops::RangeInclusive<u32> = 12..=14;
/// Excel's limit on the characters of one cell.
const CELL_LIMIT: usize = 32_767;

/// A value written into a cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Date(NaiveDate),
    Number(f64),
}

/// One cell of the form poam fills, or would fill when the item had the data.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// `B12`.
    pub cell: &'static str,
    /// The form's label for it (`POA&M ID`).
    pub label: &'static str,
    /// Where the value comes from (`id`, `deviations.risk_adjustment.adjusted_risk`).
    pub source: &'static str,
    /// The value; `None` when the item (or poam.yaml) has nothing for it.
    pub value: Option<Value>,
    /// The form needs it for this request: an empty required cell is listed on stderr.
    pub required: bool,
}

/// The deviation types of a request, as the form's Type of DR list writes them.
fn dr_type(fp: bool, or: bool, ra: bool) -> Option<&'static str> {
    match (fp, or, ra) {
        (true, false, false) => Some("FP"),
        (false, true, true) => Some("OR RA"),
        (false, true, false) => Some("OR"),
        (false, false, true) => Some("RA"),
        _ => None,
    }
}

/// A rating as the form's lists write it: Critical counted as High, as FedRAMP counts it.
fn form_rating(risk: &str) -> Option<&'static str> {
    match risk {
        "critical" | "high" => Some("High"),
        "moderate" => Some("Moderate"),
        "low" => Some("Low"),
        _ => None,
    }
}

/// An impact level as the form writes it (`Low, Moderate, High`).
fn impact(text: &str) -> String {
    match text.trim().to_ascii_lowercase().as_str() {
        "low" | "li-saas" => "Low".to_owned(),
        "moderate" => "Moderate".to_owned(),
        "high" => "High".to_owned(),
        _ => text.to_owned(),
    }
}

fn text(value: Option<&str>) -> Option<Value> {
    value
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| Value::Text(t.to_owned()))
}

fn list(values: &[String]) -> Option<Value> {
    let lines: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    (!lines.is_empty()).then(|| Value::Text(lines.join("\n")))
}

/// Why an item cannot be put on the form.
#[derive(Debug, thiserror::Error)]
pub enum DrError {
    #[error("item `{0}` requests no deviation: add `deviations.risk_adjustment`, `deviations.false_positive` or `deviations.operational_requirement` (a withdrawn or rejected one does not count)")]
    NoDeviation(String),
    #[error("item `{0}` requests a false positive together with another deviation; the form's Type of DR is FP, OR, OR RA or RA: withdraw one and export again")]
    Mixed(String),
    #[error("the deviation request form: {0}")]
    Workbook(String),
}

/// The form's fields for `view`, in cell order of the form: what each cell gets (or would get)
/// and whether the request needs it. `today` is the DR submission date.
pub fn mapping(view: &ItemView, system: &System, today: NaiveDate) -> Result<Vec<Field>, DrError> {
    let id = display_id(view);
    let live = |status: Option<&str>| !matches!(status, Some("withdrawn" | "rejected"));
    let d = &view.deviations;
    let ra = d.risk_adjustment.as_ref().filter(|r| live(r.status));
    let fp = d.false_positive.as_ref().filter(|r| live(r.status));
    let or = d
        .operational_requirement
        .as_ref()
        .filter(|r| live(r.status));
    let kind = match dr_type(fp.is_some(), or.is_some(), ra.is_some()) {
        Some(kind) => kind,
        None if fp.is_some() => return Err(DrError::Mixed(id)),
        None => return Err(DrError::NoDeviation(id)),
    };
    let mut rationales = Vec::new();
    for (name, rationale) in [
        ("Risk adjustment", ra.and_then(|r| r.rationale.as_deref())),
        ("False positive", fp.and_then(|r| r.rationale.as_deref())),
        (
            "Operational requirement",
            or.and_then(|r| r.rationale.as_deref()),
        ),
    ] {
        if let Some(rationale) = rationale.map(str::trim).filter(|r| !r.is_empty()) {
            rationales.push((name, rationale));
        }
    }
    let rationale = match rationales.as_slice() {
        [] => None,
        [(_, only)] => Some(Value::Text((*only).to_owned())),
        many => Some(Value::Text(
            many.iter()
                .map(|(name, r)| format!("{name}: {r}"))
                .collect::<Vec<_>>()
                .join("\n\n"),
        )),
    };
    let documents: Vec<String> = view
        .documents
        .iter()
        .filter_map(|doc| match (doc.kind.as_deref(), doc.name.as_deref()) {
            (Some(kind), Some(name)) => Some(format!("{kind} : {name}")),
            (None, Some(name)) => Some(name.to_owned()),
            _ => None,
        })
        .collect();
    let documents = list(&documents);
    let mut additional = Vec::new();
    if let Some(vendor) = &view.vendor_dependency {
        let mut line = format!(
            "Vendor dependency: {}",
            vendor.product.as_deref().unwrap_or("product not named")
        );
        if let Some(date) = vendor.last_checkin {
            line.push_str(&format!("; last vendor check-in {date}"));
        }
        if let Some(date) = vendor.fix_released {
            line.push_str(&format!("; fix released {date}"));
        }
        line.push('.');
        additional.push(line);
    }
    if let Some(comments) = view
        .comments
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        additional.push(comments.to_owned());
    }
    let additional = (!additional.is_empty()).then(|| Value::Text(additional.join("\n\n")));
    let moderate = view.risk == Some("moderate");
    let field = |cell, label, source, value, required| Field {
        cell,
        label,
        source,
        value,
        required,
    };
    let mut fields = vec![
        field(
            "A3",
            "CSP Name",
            "poam.yaml system.csp",
            text(system.csp.as_deref()),
            true,
        ),
        field(
            "B3",
            "System Name",
            "poam.yaml system.name",
            text(system.name.as_deref()),
            true,
        ),
        field(
            "C3",
            "Impact Level",
            "poam.yaml system.impact",
            system.impact.as_deref().map(|i| Value::Text(impact(i))),
            true,
        ),
        field(
            "E3",
            "DR Submission Date",
            "--today",
            Some(Value::Text(today.to_string())),
            true,
        ),
        field(
            "A7",
            "CSP Primary POC: Name",
            "(not kept by poam)",
            None,
            true,
        ),
        field(
            "B7",
            "CSP Primary POC: Title",
            "(not kept by poam)",
            None,
            true,
        ),
        field(
            "C7",
            "CSP Primary POC: Phone",
            "(not kept by poam)",
            None,
            true,
        ),
        field(
            "D7",
            "CSP Primary POC: Email",
            "(not kept by poam)",
            None,
            true,
        ),
        field(
            "A12",
            "DR Number",
            "1 (one item per form)",
            Some(Value::Number(1.0)),
            false,
        ),
        field("B12", "POA&M ID", "id", Some(Value::Text(id)), true),
        field(
            "C12",
            "Scan ID",
            "detector_id",
            text(view.detector_id.as_deref()),
            false,
        ),
        field("D12", "CVE", "cves (one a line)", list(&view.cves), false),
        field(
            "E12",
            "Assets Impacted",
            "assets (one a line)",
            list(&view.assets),
            true,
        ),
        field(
            "F12",
            "Vulnerability Name",
            "title",
            text(view.title.as_deref()),
            true,
        ),
        field(
            "G12",
            "Vulnerability Source",
            "detector",
            text(view.detector.as_deref()),
            true,
        ),
        field(
            "H12",
            "Initial Risk Rating",
            "risk (critical as High)",
            view.risk
                .and_then(form_rating)
                .map(|r| Value::Text(r.to_owned())),
            true,
        ),
        field("I12", "CVSS Base Score", "(not kept by poam)", None, false),
        field(
            "J12",
            "Original Detection Date",
            "detected",
            view.detected.map(Value::Date),
            true,
        ),
        field(
            "K12",
            "Tool-Provided Vulnerability Description",
            "description",
            text(view.description.as_deref()),
            true,
        ),
        field(
            "L12",
            "Tool-Provided Recommended Action",
            "remediation",
            text(view.remediation.as_deref()),
            false,
        ),
        field(
            "N12",
            "Type of DR",
            "deviations (the ones not withdrawn or rejected)",
            Some(Value::Text(kind.to_owned())),
            true,
        ),
        field(
            "O12",
            "Requested Risk Rating/Impact",
            "deviations.risk_adjustment.adjusted_risk",
            ra.and_then(|r| r.adjusted_risk)
                .and_then(form_rating)
                .map(|r| Value::Text(r.to_owned())),
            ra.is_some(),
        ),
        field(
            "P12",
            "Adjusted CVSS Score",
            "(not kept by poam)",
            None,
            ra.is_some(),
        ),
        field(
            "Q12",
            "DR Submission Date",
            "--today",
            Some(Value::Date(today)),
            true,
        ),
        field(
            "R12",
            "DR Rationale",
            "deviations.*.rationale (labelled when more than one)",
            rationale,
            true,
        ),
    ];
    if fp.is_some() {
        fields.push(field(
            "S12",
            "Evidence Description",
            "(not kept by poam)",
            None,
            true,
        ));
        fields.push(field(
            "T12",
            "List of Evidence Attachments",
            "documents (`type : name`, one a line)",
            documents.clone(),
            true,
        ));
    }
    if let Some(or) = or {
        fields.push(field(
            "U12",
            "Operational Impact Statement",
            "deviations.operational_requirement.rationale",
            text(or.rationale.as_deref()),
            true,
        ));
        fields.push(field(
            "V12",
            "Justification",
            "(not kept by poam)",
            None,
            moderate,
        ));
        fields.push(field(
            "W12",
            "List of Operational Requirement Attachments",
            "documents (`type : name`, one a line)",
            documents.clone(),
            true,
        ));
    }
    if ra.is_some() {
        for (cell, label) in [
            ("X12", "Attack Vector"),
            ("Y12", "Attack Vector Explanation"),
            ("Z12", "Attack Complexity"),
            ("AA12", "Attack Complexity Explanation"),
            ("AB12", "Privileges Required"),
            ("AC12", "Privileges Required Explanation"),
            ("AD12", "User Interaction"),
            ("AE12", "User Interaction Explanation"),
            ("AF12", "Impact Metrics: Confidentiality"),
            ("AG12", "Impact Metrics: Confidentiality Explanation"),
            ("AH12", "Impact Metrics: Integrity"),
            ("AI12", "Impact Metrics: Integrity Explanation"),
            ("AJ12", "Impact Metrics: Availability"),
            ("AK12", "Impact Metrics: Availability Explanation"),
            ("AL12", "Remediation Level"),
            ("AM12", "Remediation Level Explanation"),
        ] {
            fields.push(field(cell, label, "(not kept by poam)", None, true));
        }
        fields.push(field(
            "AN12",
            "List of Risk Reduction",
            "documents (`type : name`, one a line)",
            documents,
            true,
        ));
    }
    fields.push(field(
        "AO12",
        "Additional Information",
        "vendor_dependency, then comments",
        additional,
        false,
    ));
    Ok(fields)
}

/// A cell reference split: (`AB`, 12) → (27, 12), columns from 1.
fn split_cell(cell: &[u8]) -> Option<(u32, u32)> {
    let letters = cell.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let column = cell[..letters]
        .iter()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
    let row = std::str::from_utf8(&cell[letters..]).ok()?.parse().ok()?;
    Some((column, row))
}

/// Days since Excel's epoch (1899-12-30).
fn serial(date: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (date - epoch).num_days()
}

/// Text as XML 1.0 allows it: characters it cannot hold dropped, cut at Excel's cell limit.
fn cell_text(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .take(CELL_LIMIT)
        .collect()
}

/// The XML of cell `reference` with `style` holding `value` (empty when `None`).
fn cell_xml(reference: &str, style: Option<&str>, value: Option<&Value>) -> String {
    let style = style.map(|s| format!(" s=\"{s}\"")).unwrap_or_default();
    match value {
        None => format!("<c r=\"{reference}\"{style}/>"),
        Some(Value::Text(text)) => format!(
            "<c r=\"{reference}\"{style} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
            quick_xml::escape::escape(cell_text(text).as_str())
        ),
        Some(Value::Number(n)) => format!("<c r=\"{reference}\"{style}><v>{n}</v></c>"),
        Some(Value::Date(d)) => format!("<c r=\"{reference}\"{style}><v>{}</v></c>", serial(*d)),
    }
}

fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    start
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// The DR Sheet's XML with `values` ((column, row) → value) written and the example rows'
/// other cells emptied; every other byte as it was.
fn fill_sheet(
    xml: &[u8],
    values: &BTreeMap<(u32, u32), (String, Value)>,
) -> Result<Vec<u8>, DrError> {
    let fail = |e: &dyn std::fmt::Display| DrError::Workbook(format!("the DR Sheet's XML: {e}"));
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 4096));
    let mut written: std::collections::BTreeSet<(u32, u32)> = Default::default();
    let mut row: Option<u32> = None;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| fail(&e))?;
        match &event {
            Event::Eof => break,
            Event::Start(start) if start.name().as_ref() == "row" => {
                row = attribute(start, "r").and_then(|r| r.parse().ok());
            }
            Event::End(end) if end.name().as_ref() == "row" => {
                if let Some(r) = row {
                    // Cells of this row the sheet did not have: before the row closes.
                    for (place, (reference, value)) in values {
                        if place.1 == r && written.insert(*place) {
                            writer.get_mut().extend_from_slice(
                                cell_xml(reference, None, Some(value)).as_bytes(),
                            );
                        }
                    }
                }
                row = None;
            }
            Event::Start(start) | Event::Empty(start) if start.name().as_ref() == "c" => {
                let reference = attribute(start, "r").unwrap_or_default();
                let place = split_cell(reference.as_bytes());
                let fill = place.and_then(|(column, r)| values.get(&(column, r)));
                let clear = place.is_some_and(|(_, r)| EXAMPLE_ROWS.contains(&r));
                if let Some((column, r)) = place {
                    // Cells to fill that the row lacks, before the first cell after them.
                    for (at, (reference, value)) in values.range((0, r)..(column, r)) {
                        if at.1 == r && written.insert(*at) {
                            writer.get_mut().extend_from_slice(
                                cell_xml(reference, None, Some(value)).as_bytes(),
                            );
                        }
                    }
                }
                if fill.is_some() || clear {
                    let style = attribute(start, "s");
                    let value = fill.map(|(_, v)| v);
                    if matches!(event, Event::Start(_)) {
                        // Skip the original content up to its `</c>`.
                        let mut inner = Vec::new();
                        reader
                            .read_to_end_into(start.name(), &mut inner)
                            .map_err(|e| fail(&e))?;
                    }
                    writer.get_mut().extend_from_slice(
                        cell_xml(&reference, style.as_deref(), value).as_bytes(),
                    );
                    if let Some(place) = place.filter(|_| fill.is_some()) {
                        written.insert(place);
                    }
                    buf.clear();
                    continue;
                }
            }
            _ => {}
        }
        writer.write_event(event).map_err(|e| fail(&e))?;
        buf.clear();
    }
    if let Some((reference, _)) = values
        .iter()
        .find(|(place, _)| !written.contains(place))
        .map(|(_, v)| v)
    {
        return Err(DrError::Workbook(format!(
            "cell {reference} is not in a row of the DR Sheet"
        )));
    }
    Ok(writer.into_inner())
}

/// The form with `fields` written: zip in, zip out, only the DR Sheet's XML rewritten.
pub fn workbook(fields: &[Field]) -> Result<Vec<u8>, DrError> {
    let fail = |e: &dyn std::fmt::Display| DrError::Workbook(e.to_string());
    let values: BTreeMap<(u32, u32), (String, Value)> = fields
        .iter()
        .filter_map(|f| {
            let place = split_cell(f.cell.as_bytes())?;
            Some((place, (f.cell.to_owned(), f.value.clone()?)))
        })
        .collect();
    let mut archive = zip::ZipArchive::new(Cursor::new(FORM)).map_err(|e| fail(&e))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(FORM.len() + 8192)));
    for index in 0..archive.len() {
        let name = archive
            .by_index_raw(index)
            .map_err(|e| fail(&e))?
            .name()
            .map_err(|e| fail(&e))?
            .into_owned();
        if name == DR_SHEET_PART {
            let mut entry = archive.by_index(index).map_err(|e| fail(&e))?;
            let mut xml = Vec::new();
            entry.read_to_end(&mut xml).map_err(|e| fail(&e))?;
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .last_modified_time(entry.last_modified().unwrap_or_default());
            drop(entry);
            let filled = fill_sheet(&xml, &values)?;
            out.start_file(name, options).map_err(|e| fail(&e))?;
            out.write_all(&filled).map_err(|e| fail(&e))?;
        } else {
            let entry = archive.by_index_raw(index).map_err(|e| fail(&e))?;
            out.raw_copy_file(entry).map_err(|e| fail(&e))?;
        }
    }
    Ok(out.finish().map_err(|e| fail(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_split() {
        assert_eq!(split_cell(b"B12"), Some((2, 12)));
        assert_eq!(split_cell(b"AO12"), Some((41, 12)));
        assert_eq!(split_cell(b"12"), None);
    }

    #[test]
    fn dr_types_are_the_forms() {
        assert_eq!(dr_type(false, true, true), Some("OR RA"));
        assert_eq!(dr_type(true, false, false), Some("FP"));
        assert_eq!(dr_type(true, true, false), None);
        assert_eq!(dr_type(false, false, false), None);
    }

    #[test]
    fn dates_are_excel_serials() {
        let date = NaiveDate::from_ymd_opt(2018, 5, 6).expect("date");
        assert_eq!(serial(date), 43226);
    }
}
