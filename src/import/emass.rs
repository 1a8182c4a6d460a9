//! `poam import emass`: an eMASS POA&M workbook back into item fields, in any of the four
//! layouts of [`crate::emass_template`], told apart by the header row (row 7).
//!
//! The branch templates take one row per milestone: a row with item cells starts an item, a
//! row with only milestone cells (J-O) adds a milestone to the item above. The RMF template
//! takes one row per item, its milestones as `(n) YYYY-MM-DD: description` text. Every cell
//! that cannot be converted is reported with its row, column and header, and the item is
//! skipped; the others still import. eMASS carries no detection date and no title: the title
//! is the description's first line, `detected` is left for a person (`missing-field` asks).
//!
//! Like `import xlsx`, this module only reads: writing files is the command's job.

use std::path::Path;

use calamine::{Data, Reader};

use super::xlsx::{
    cell_text, column_letter, normalized, open_workbook, read_cells, serial_date, text_date,
    Fields, ImportError, Imported, ImportedRow, RowProblem, Sheet, MAX_ID_BYTES,
};
use crate::edit::NewValue;
use crate::emass_template::{Field, Template, FIRST_DATA_ROW, HEADER_ROW, SHEET};
use crate::model::item::{is_valid_item_id, normalize_control};
use crate::model::rmf::{Level, MilestoneStatus, RawSeverity};

/// The longest title made from a description's first line.
const TITLE_CHARS: usize = 100;

/// Reads the eMASS workbook at `path`.
pub fn read(path: &Path) -> Result<(Template, Imported), ImportError> {
    let mut workbook = open_workbook(path, "poam reads eMASS workbooks as `.xlsx`")?;
    let names = workbook.sheet_names();
    let name = names
        .iter()
        .find(|n| n.as_str() == SHEET)
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| ImportError::NotATemplate {
            path: path.to_path_buf(),
            sheets: names.clone(),
        })?;
    let cells = read_cells(&mut workbook, &name).map_err(|message| ImportError::TooLarge {
        path: path.to_path_buf(),
        message,
    })?;
    let template = Template::ALL
        .into_iter()
        .find(|t| header_matches(&cells, *t))
        .ok_or_else(|| ImportError::Open {
            path: path.to_path_buf(),
            message: format!(
                "row 7 of sheet `{name}` is not the header row of an eMASS POA&M template (navy, army, marine-corps or rmf); its first headers are {}",
                first_headers(&cells)
            ),
        })?;
    Ok((template, read_sheet(&cells, template)))
}

/// Every header of `template` in row 7, as written (whitespace and case aside).
fn header_matches(cells: &Sheet, template: Template) -> bool {
    let columns = template.columns();
    let row_len = cells
        .rows
        .get(&HEADER_ROW)
        .map_or(0, |r| r.keys().filter(|c| **c >= 1).count());
    row_len == columns.iter().skip(1).count()
        && (0u32..).zip(&columns).skip(1).all(|(column, (header, _))| {
            matches!(cells.get(HEADER_ROW, column), Some(Data::String(s)) if normalized(s) == normalized(header))
        })
}

fn first_headers(cells: &Sheet) -> String {
    let headers: Vec<String> = cells
        .rows
        .get(&HEADER_ROW)
        .map(|r| {
            r.values()
                .take(4)
                .map(|d| format!("`{}`", d.to_string().trim()))
                .collect()
        })
        .unwrap_or_default();
    if headers.is_empty() {
        "none (the row is empty)".to_owned()
    } else {
        headers.join(", ")
    }
}

/// The rows of one item: its first row and its further milestone rows.
struct Group {
    first: u32,
    rows: Vec<u32>,
}

fn read_sheet(cells: &Sheet, template: Template) -> Imported {
    let columns = template.columns();
    let mut imported = Imported::default();
    let mut groups: Vec<Group> = Vec::new();
    for (&row, values) in cells.rows.range(FIRST_DATA_ROW..) {
        let filled = |milestone: bool| {
            values.iter().any(|(c, v)| {
                columns.get(*c as usize).is_some_and(|(_, f)| {
                    *f != Field::Unused && f.is_milestone() == milestone && !is_blank(v)
                })
            })
        };
        if filled(false) || !template.row_per_milestone() {
            if !filled(false) && !filled(true) {
                continue;
            }
            groups.push(Group {
                first: row,
                rows: vec![row],
            });
        } else if filled(true) {
            match groups.last_mut() {
                Some(group) => group.rows.push(row),
                None => imported.problems.push(problem(
                    row,
                    None,
                    "a milestone row before any item row: fill the item's cells on its first row"
                        .to_owned(),
                )),
            }
        }
    }
    for group in groups {
        match item(cells, template, &columns, &group) {
            Ok((id, fields)) => imported.rows.push(ImportedRow {
                sheet: SHEET,
                row: group.first + 1,
                id,
                fields,
            }),
            Err(p) => imported.problems.push(p),
        }
    }
    imported
}

fn is_blank(value: &Data) -> bool {
    match value {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn problem(row: u32, column: Option<(u32, &'static str)>, reason: String) -> RowProblem {
    RowProblem {
        sheet: SHEET.to_owned(),
        row: row + 1,
        column: column.map(|(c, header)| (column_letter(c), header)),
        reason,
    }
}

/// One cell of a row, read as the column's field wants it.
struct Cells<'a> {
    cells: &'a Sheet,
    columns: &'a [(&'static str, Field)],
}

impl Cells<'_> {
    fn column(&self, field: Field) -> Option<(u32, &'static str)> {
        (0u32..)
            .zip(self.columns)
            .find(|(_, (_, f))| *f == field)
            .map(|(c, (h, _))| (c, h.trim()))
    }

    fn text(&self, row: u32, field: Field) -> Result<Option<String>, RowProblem> {
        let Some((column, header)) = self.column(field) else {
            return Ok(None);
        };
        let Some(cell) = self.cells.get(row, column) else {
            return Ok(None);
        };
        cell_text(cell, ["Yes", "No"]).map_err(|e| problem(row, Some((column, header)), e))
    }

    fn date(&self, row: u32, field: Field) -> Result<Option<chrono::NaiveDate>, RowProblem> {
        let Some((column, header)) = self.column(field) else {
            return Ok(None);
        };
        let date = match self.cells.get(row, column) {
            None | Some(Data::Empty) => return Ok(None),
            Some(Data::DateTime(d)) => serial_date(d.as_f64()),
            Some(Data::Float(f)) => serial_date(*f),
            #[allow(clippy::cast_precision_loss)]
            Some(Data::Int(i)) => serial_date(*i as f64),
            Some(other) => match cell_text(other, ["", ""]) {
                Ok(Some(t)) => text_date(&t),
                Ok(None) => return Ok(None),
                Err(e) => return Err(problem(row, Some((column, header)), e)),
            },
        };
        date.map(Some).ok_or_else(|| {
            problem(
                row,
                Some((column, header)),
                format!(
                    "`{}` is not a date; write MM/DD/YYYY or YYYY-MM-DD",
                    self.cells
                        .get(row, column)
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                ),
            )
        })
    }

    fn level(&self, row: u32, field: Field) -> Result<Option<String>, RowProblem> {
        let Some(text) = self.text(row, field)? else {
            return Ok(None);
        };
        match Level::parse(&text) {
            Some(level) => Ok(Some(level.name().to_owned())),
            None => Err(problem(
                row,
                self.column(field),
                format!("`{text}` is not one of Very Low, Low, Moderate, High, Very High"),
            )),
        }
    }
}

fn split(text: &str, separators: &[char]) -> Vec<String> {
    text.split(separators)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn str_list(items: Vec<String>) -> NewValue {
    NewValue::List(items.into_iter().map(NewValue::Str).collect())
}

/// The item of `group`: its id and fields.
fn item(
    cells: &Sheet,
    template: Template,
    columns: &[(&'static str, Field)],
    group: &Group,
) -> Result<(String, Fields), RowProblem> {
    let c = Cells { cells, columns };
    let row = group.first;
    let id = c.text(row, Field::ItemId)?.ok_or_else(|| {
        problem(
            row,
            c.column(Field::ItemId),
            "no POA&M Item ID: eMASS gives every item one; poam names the item file after it"
                .to_owned(),
        )
    })?;
    if !is_valid_item_id(&id) || id.len() > MAX_ID_BYTES {
        return Err(problem(
            row,
            c.column(Field::ItemId),
            format!("`{id}` is not a valid item id (letters, digits, `.`, `_` and `-`)"),
        ));
    }
    let mut fields: Fields = vec![("id".into(), NewValue::Str(id.clone()))];
    let mut rmf: Fields = Vec::new();
    let description = c.text(row, Field::Description)?;
    if let Some(description) = &description {
        let first = description.lines().next().unwrap_or_default().trim();
        let title: String = first.chars().take(TITLE_CHARS).collect();
        fields.push(("title".into(), NewValue::Str(title)));
        fields.push(("description".into(), NewValue::Str(description.clone())));
    }
    if let Some(text) = c.text(row, Field::Controls)? {
        let mut controls = Vec::new();
        for control in split(&text, &[';', ',', '\n']) {
            match normalize_control(&control) {
                Some(id) => controls.push(id),
                None => {
                    return Err(problem(
                        row,
                        c.column(Field::Controls),
                        format!("`{control}` is not a NIST SP 800-53 control id"),
                    ))
                }
            }
        }
        fields.push(("controls".into(), str_list(controls)));
    }
    if let Some(text) = c.text(row, Field::SecurityChecks)? {
        rmf.push((
            "security_checks".into(),
            str_list(split(&text, &[';', '\n'])),
        ));
    }
    if let Some(detector) = c.text(row, Field::IdentificationSourceDetails)? {
        fields.push(("detector".into(), NewValue::Str(detector)));
    }
    if let Some(assets) = c.text(row, Field::DevicesAffected)? {
        fields.push(("assets".into(), str_list(split(&assets, &['\n', ';']))));
    }
    if let Some(office) = c.text(row, Field::OfficeOrg)? {
        // `Organization, First Last, Phone, Email`: the name is the owner.
        let parts: Vec<&str> = office.split(',').map(str::trim).collect();
        let owner = match parts.as_slice() {
            [_, name, ..] if !name.is_empty() => (*name).to_owned(),
            _ => office.clone(),
        };
        fields.push(("owner".into(), NewValue::Str(owner)));
        rmf.push(("office_org".into(), NewValue::Str(office)));
    }
    if let Some(resources) = c.text(row, Field::Resources)? {
        fields.push(("resources".into(), NewValue::Str(resources)));
    }
    if let Some(recommendations) = c.text(row, Field::Recommendations)? {
        rmf.push(("recommendations".into(), NewValue::Str(recommendations)));
    }
    if let Some(due) = c.date(row, Field::ScheduledCompletion)? {
        fields.push(("due".into(), NewValue::Date(due)));
    }
    let (milestones, changes) = milestones(&c, template, group)?;
    if !milestones.is_empty() {
        fields.push(("milestones".into(), NewValue::List(milestones)));
    }
    if !changes.is_empty() {
        fields.push(("milestone_changes".into(), NewValue::List(changes)));
    }
    let comments = c.text(row, Field::Comments)?;
    let status_text = c.text(row, Field::Status)?.unwrap_or_default();
    let completion = c.date(row, Field::CompletionDate)?;
    let expires = c.date(row, Field::RiskAcceptedExpires)?;
    match status_text.to_ascii_lowercase().as_str() {
        "ongoing" => fields.push(("status".into(), NewValue::Str("open".into()))),
        "risk accepted" => {
            fields.push(("status".into(), NewValue::Str("open".into())));
            let mut accepted = Vec::new();
            if let Some(expires) = expires {
                accepted.push(("expires".to_owned(), NewValue::Date(expires)));
            }
            rmf.push((
                "risk_accepted".into(),
                if accepted.is_empty() {
                    NewValue::Null
                } else {
                    NewValue::Map(accepted)
                },
            ));
        }
        "completed" => {
            fields.push(("status".into(), NewValue::Str("closed".into())));
            let mut closed = Vec::new();
            if let Some(date) = completion {
                closed.push(("date".to_owned(), NewValue::Date(date)));
            }
            if let Some(evidence) = &comments {
                closed.push(("evidence".to_owned(), NewValue::Str(evidence.clone())));
            }
            fields.push(("closed".into(), NewValue::Map(closed)));
        }
        _ => {
            return Err(problem(
                row,
                c.column(Field::Status),
                format!("POA&M Status `{status_text}` is not Ongoing, Risk Accepted or Completed"),
            ))
        }
    }
    if let Some(comments) = comments {
        fields.push(("comments".into(), NewValue::Str(comments)));
    }
    if let Some(raw) = c.text(row, Field::RawSeverity)? {
        let parsed = RawSeverity::parse(&raw).ok_or_else(|| {
            problem(
                row,
                c.column(Field::RawSeverity),
                format!("Raw Severity `{raw}` is not I, II, III or Very Low..Very High"),
            )
        })?;
        rmf.push(("raw_severity".into(), NewValue::Str(parsed.name().into())));
    }
    for (field, key) in [
        (Field::Severity, "severity"),
        (Field::RelevanceOfThreat, "relevance_of_threat"),
        (Field::Likelihood, "likelihood"),
        (Field::Impact, "impact"),
        (Field::ResidualRisk, "residual_risk"),
        (Field::ResultingResidualRisk, "resulting_residual_risk"),
    ] {
        if let Some(level) = c.level(row, field)? {
            rmf.push((key.into(), NewValue::Str(level)));
        }
    }
    for (field, key) in [
        (Field::Mitigations, "mitigations"),
        (Field::PredisposingConditions, "predisposing_conditions"),
        (Field::ThreatDescription, "threat_description"),
        (Field::ImpactDescription, "impact_description"),
        (Field::IdentificationSource, "identification_source"),
    ] {
        if let Some(text) = c.text(row, field)? {
            rmf.push((key.into(), NewValue::Str(text)));
        }
    }
    let mut costs = Vec::new();
    for (_, field) in columns {
        if let Field::Cost(key) = field {
            if let Some(text) = c.text(row, *field)? {
                costs.push(((*key).to_owned(), NewValue::Str(text)));
            }
        }
    }
    if !costs.is_empty() {
        rmf.push(("costs".into(), NewValue::Map(costs)));
    }
    if !rmf.is_empty() {
        fields.push(("rmf".into(), NewValue::Map(rmf)));
    }
    Ok((id, fields))
}

/// The milestones (and `complete` changes for their completion dates) of `group`.
fn milestones(
    c: &Cells<'_>,
    template: Template,
    group: &Group,
) -> Result<(Vec<NewValue>, Vec<NewValue>), RowProblem> {
    let row = group.first;
    if !template.row_per_milestone() {
        let map = |fields: Vec<Fields>| fields.into_iter().map(NewValue::Map).collect();
        let planned = match c.text(row, Field::MilestonesText)? {
            Some(text) => super::xlsx::parse_milestones(&text)
                .map_err(|e| problem(row, c.column(Field::MilestonesText), e))?,
            None => Vec::new(),
        };
        let changes = match c.text(row, Field::MilestoneChanges)? {
            Some(text) => super::xlsx::parse_milestone_changes(&text)
                .map_err(|e| problem(row, c.column(Field::MilestoneChanges), e))?,
            None => Vec::new(),
        };
        return Ok((map(planned), map(changes)));
    }
    let mut milestones = Vec::new();
    let mut changes = Vec::new();
    for (n, &row) in (1i64..).zip(&group.rows) {
        let description = c.text(row, Field::MilestoneDescription)?;
        let date = c.date(row, Field::MilestoneScheduled)?;
        let status = c.text(row, Field::MilestoneStatus)?;
        let completed = c.date(row, Field::MilestoneCompleted)?;
        if description.is_none() && date.is_none() && status.is_none() && completed.is_none() {
            continue;
        }
        let id = match c.text(row, Field::MilestoneId)? {
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|i| *i >= 1)
                .ok_or_else(|| {
                    problem(
                        row,
                        c.column(Field::MilestoneId),
                        format!("Milestone ID `{text}` is not a positive whole number"),
                    )
                })?,
            None => n,
        };
        let date = date.ok_or_else(|| {
            problem(
                row,
                c.column(Field::MilestoneScheduled),
                "every milestone needs a scheduled completion date".to_owned(),
            )
        })?;
        let mut milestone = vec![
            ("id".to_owned(), NewValue::Int(id)),
            ("date".to_owned(), NewValue::Date(date)),
        ];
        if let Some(description) = description {
            milestone.push(("description".to_owned(), NewValue::Str(description)));
        }
        if let Some(status) = status {
            let parsed = MilestoneStatus::parse(&status).ok_or_else(|| {
                problem(
                    row,
                    c.column(Field::MilestoneStatus),
                    format!(
                        "Milestone Status `{status}` is not Open, In Progress, Completed or Archived"
                    ),
                )
            })?;
            milestone.push(("status".to_owned(), NewValue::Str(parsed.name().to_owned())));
        }
        milestones.push(NewValue::Map(milestone));
        if let Some(done) = completed {
            changes.push(NewValue::Map(vec![
                ("milestone".to_owned(), NewValue::Int(id)),
                ("kind".to_owned(), NewValue::Str("complete".to_owned())),
                ("date".to_owned(), NewValue::Date(done)),
                (
                    "description".to_owned(),
                    NewValue::Str("Completed (eMASS Milestone Completion Date).".to_owned()),
                ),
            ]));
        }
    }
    Ok((milestones, changes))
}
