//! `poam migrate cr26`: what switching a repository to `fedramp-cr26` changes, and the
//! change itself: `profile` and `cr26` in `poam.yaml`, and a `vdr:` stub in each open item
//! that has none, all through the item editor (comments and layout kept).
//!
//! The plan is computed first and is the dry run's output; `--write` applies exactly it.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Cr26Class;
use crate::edit::{ItemDocument, Key, NewValue};
use crate::error::Error;
use crate::policy::cr26::evaluation_days;
use crate::workspace::Workspace;

/// The profile `poam migrate cr26` switches to, as `poam.yaml` names it.
const TARGET: &str = "fedramp-cr26";

/// One open item that needs an evaluation after the switch.
#[derive(Clone, Debug, Serialize)]
pub struct ToEvaluate {
    pub id: String,
    pub file: String,
    pub detected: Option<NaiveDate>,
    /// Detection + the class's evaluation days.
    pub evaluate_by: Option<NaiveDate>,
    /// The item has no `vdr:` yet: `--write` adds a stub.
    pub gets_stub: bool,
    /// Rev5 fields that become informational (`risk`, `due`, `deviations`, `vendor_dependency`).
    pub legacy: Vec<&'static str>,
}

/// What the switch does and what an engineer must still do.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    pub from_profile: &'static str,
    pub class: Cr26Class,
    pub config_file: Option<PathBuf>,
    pub set_profile: bool,
    pub set_class: bool,
    pub open_items: usize,
    pub to_evaluate: Vec<ToEvaluate>,
    /// Closed items without `vdr.disposition` (the detail report needs one).
    pub closed_without_disposition: Vec<String>,
    /// Files that could not be read as items (left alone).
    pub unreadable: Vec<String>,
    pub package_overview_uri: Option<String>,
}

/// Computes the plan for `class`.
pub fn plan(workspace: &Workspace, class: Cr26Class, uri: Option<&str>) -> Plan {
    let config = &workspace.config;
    let mut to_evaluate = Vec::new();
    let mut closed_without_disposition = Vec::new();
    let mut unreadable = Vec::new();
    let mut open_items = 0;
    for file in &workspace.items {
        let Some(item) = &file.item else {
            unreadable.push(file.source.name.clone());
            continue;
        };
        let id = item.id_text().unwrap_or("(no id)").to_owned();
        let vdr = item.vdr.as_ref();
        if item.is_closed() {
            if vdr.and_then(|v| v.disposition.as_ref()).is_none() {
                closed_without_disposition.push(id);
            }
            continue;
        }
        if !item.is_open() {
            continue;
        }
        open_items += 1;
        if vdr.and_then(|v| v.evaluated.as_ref()).is_some() {
            continue;
        }
        let detected = item.detected.as_ref().map(|d| d.value);
        let legacy = [
            ("risk", item.risk.is_some()),
            ("due", item.due.is_some()),
            ("deviations", item.deviations.is_some()),
            ("vendor_dependency", item.vendor_dependency.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, present)| present.then_some(k))
        .collect();
        to_evaluate.push(ToEvaluate {
            id,
            file: file.source.name.clone(),
            detected,
            evaluate_by: detected.map(|d| d + chrono::Days::new(u64::from(evaluation_days(class)))),
            gets_stub: vdr.is_none(),
            legacy,
        });
    }
    to_evaluate.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.file.cmp(&b.file)));
    closed_without_disposition.sort();
    Plan {
        from_profile: config.policy.profile.name(),
        class,
        config_file: config.file.clone(),
        set_profile: config.policy.profile.name() != TARGET,
        set_class: config.cr26.class != Some(class),
        open_items,
        to_evaluate,
        closed_without_disposition,
        unreadable,
        package_overview_uri: uri
            .map(str::to_owned)
            .or_else(|| config.cr26.package_overview_uri.clone()),
    }
}

/// The stub added to open items: the evaluation's keys, empty, in the documented order.
fn stub() -> NewValue {
    NewValue::Map(
        ["evaluated", "irv", "lev", "pain", "rationale"]
            .into_iter()
            .map(|k| (k.to_owned(), NewValue::Null))
            .collect(),
    )
}

/// Applies the plan: `poam.yaml` first, then the stubs. Returns the files written.
pub fn write(workspace: &Workspace, plan: &Plan) -> Result<Vec<String>, Error> {
    let edit_error = |e: crate::edit::EditError| Error::Export(e.to_string());
    let mut written = Vec::new();
    let Some(config_file) = &plan.config_file else {
        return Err(Error::Export(
            "`poam migrate cr26 --write` needs a poam.yaml to set the profile in; create one with `items:` naming the items folder".to_owned(),
        ));
    };
    if plan.set_profile || plan.set_class || plan.package_overview_uri.is_some() {
        let mut doc = ItemDocument::open(config_file).map_err(edit_error)?;
        if plan.set_profile {
            doc.set(&[Key::from("profile")], NewValue::Str(TARGET.into()))
                .map_err(edit_error)?;
        }
        if plan.set_class {
            doc.set(
                &[Key::from("cr26"), Key::from("class")],
                NewValue::Str(plan.class.name().into()),
            )
            .map_err(edit_error)?;
        }
        if let Some(uri) = &plan.package_overview_uri {
            doc.set(
                &[Key::from("cr26"), Key::from("package_overview_uri")],
                NewValue::Str(uri.clone()),
            )
            .map_err(edit_error)?;
        }
        doc.save().map_err(edit_error)?;
        written.push(config_file.display().to_string());
    }
    for entry in plan.to_evaluate.iter().filter(|e| e.gets_stub) {
        let Some(file) = workspace.items.iter().find(|f| f.source.name == entry.file) else {
            continue;
        };
        let mut doc = ItemDocument::from_text(file.path.clone(), file.source.text.to_string())
            .map_err(edit_error)?;
        doc.set(&[Key::from("vdr")], stub()).map_err(edit_error)?;
        doc.save().map_err(edit_error)?;
        written.push(entry.file.clone());
    }
    Ok(written)
}

/// The plan as text for a terminal.
pub fn describe(plan: &Plan, write: bool) -> String {
    let mut out = String::new();
    let verb = if write { "Switched" } else { "Would switch" };
    let _ = writeln!(
        out,
        "{verb} from `{}` to `fedramp-cr26`, Class {}.",
        plan.from_profile,
        plan.class.label()
    );
    if plan.set_profile || plan.set_class {
        let _ = writeln!(
            out,
            "  poam.yaml: profile: fedramp-cr26, cr26.class: {}",
            plan.class.name()
        );
    }
    match &plan.package_overview_uri {
        Some(uri) => {
            let _ = writeln!(out, "  cr26.package_overview_uri: {uri}");
        }
        None => {
            let _ = writeln!(
                out,
                "  cr26.package_overview_uri is not set: `poam export ver` needs it (--uri)"
            );
        }
    }
    let stubs = plan.to_evaluate.iter().filter(|e| e.gets_stub).count();
    let _ = writeln!(
        out,
        "{} open items; {} need an evaluation (irv, lev, pain, rationale){}.",
        plan.open_items,
        plan.to_evaluate.len(),
        if stubs > 0 {
            format!(
                "; {} {} a `vdr:` stub",
                stubs,
                if write { "got" } else { "would get" }
            )
        } else {
            String::new()
        }
    );
    for e in &plan.to_evaluate {
        let by = e
            .evaluate_by
            .map(|d| format!(", evaluate by {d}"))
            .unwrap_or_default();
        let detected = e
            .detected
            .map(|d| format!("detected {d}"))
            .unwrap_or_else(|| "no detection date".to_owned());
        let legacy = if e.legacy.is_empty() {
            String::new()
        } else {
            format!("; informational now: {}", e.legacy.join(", "))
        };
        let _ = writeln!(out, "  {} ({}): {detected}{by}{legacy}", e.id, e.file);
    }
    if !plan.closed_without_disposition.is_empty() {
        let _ = writeln!(
            out,
            "{} closed items need `vdr.disposition` for the detail report: {}",
            plan.closed_without_disposition.len(),
            plan.closed_without_disposition.join(", ")
        );
    }
    if !plan.unreadable.is_empty() {
        let _ = writeln!(
            out,
            "Left alone (not readable as items): {}",
            plan.unreadable.join(", ")
        );
    }
    if !write {
        let _ = writeln!(
            out,
            "Dry run: nothing was written. Run with --write to apply."
        );
    }
    out
}
