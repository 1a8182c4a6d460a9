//! `poam rename person OLD NEW` and `poam rename asset OLD NEW`: one id changed everywhere it
//! is written, through the item editor (comments and layout kept).
//!
//! A person: the entry's `id` in the people file (the old id joins its `aliases`, so history
//! and items not yet changed still resolve), the teams' `members`, every inventory asset's
//! `system_owner` and `application_owner`, and every item's `owner`.
//! An asset: its `id` in the inventory (the old id joins its `aliases`, so scans and history
//! naming it still resolve), and every item's `assets:` entry that is the id, alone or with a
//! ` (port/PROTO)` or ` (package version)` detail after it. An id the inventory does not hold
//! (or a repository without one) is renamed in the items only, and the output says so.
//!
//! The plan is computed first, every file edited in memory and checked, and is the dry run's
//! output; `--write` stages every changed file and renames them into place only when all are
//! staged ([`ReplaceSet`]): a failure leaves every file as it was.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::edit::{ItemDocument, Key, NewValue};
use crate::error::Error;
use crate::model::Value;
use crate::output::ReplaceSet;
use crate::render::text::plural;
use crate::workspace::Workspace;

/// What is renamed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Element {
    Person,
    Asset,
}

impl Element {
    fn noun(self) -> &'static str {
        match self {
            Element::Person => "person",
            Element::Asset => "asset",
        }
    }
}

/// One value changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The file, named as findings name it.
    pub file: String,
    /// Where in the file, e.g. `owner`, `assets[2]`, `[0].id`.
    pub field: String,
    pub old: String,
    pub new: String,
}

/// The rename, planned: every change, and the documents already edited in memory.
#[derive(Debug)]
pub struct Plan {
    pub element: Element,
    pub old: String,
    pub new: String,
    pub changes: Vec<Change>,
    /// Said after the changes: why a part was left alone.
    pub note: Option<String>,
    documents: Vec<ItemDocument>,
}

/// Plans renaming `old` to `new`. Refuses an empty or unchanged id, a person `old` that is not
/// the id of exactly one entry, a `new` the people file already resolves, and an asset no item
/// names.
pub fn plan(workspace: &Workspace, element: Element, old: &str, new: &str) -> Result<Plan, Error> {
    let (old, new) = (old.trim(), new.trim());
    if old.is_empty() || new.is_empty() || old == new {
        return Err(Error::Refused(format!(
            "`poam rename {} OLD NEW` needs two different, non-empty ids",
            element.noun()
        )));
    }
    let mut plan = Plan {
        element,
        old: old.to_owned(),
        new: new.to_owned(),
        changes: Vec::new(),
        note: None,
        documents: Vec::new(),
    };
    // A file that cannot be read may name the id too: renaming "everywhere" must not skip it.
    let unreadable: Vec<&str> = workspace.unreadable().collect();
    if !unreadable.is_empty() {
        return Err(Error::Refused(format!(
            "cannot rename while {} cannot be read as an item{}: fix {} first (see `poam lint`)",
            unreadable.join(", "),
            if unreadable.len() == 1 { "" } else { "s" },
            if unreadable.len() == 1 { "it" } else { "them" },
        )));
    }
    match element {
        Element::Person => {
            plan_people_file(workspace, &mut plan)?;
            plan_inventory_owners(workspace, &mut plan)?;
        }
        Element::Asset => plan_inventory(workspace, &mut plan)?,
    }
    for file in &workspace.items {
        let Some(item) = &file.item else {
            continue;
        };
        let named = match element {
            Element::Person => item.owner.as_ref().is_some_and(|o| o.value.trim() == old),
            Element::Asset => item.assets.as_ref().is_some_and(|assets| {
                assets
                    .value
                    .iter()
                    .any(|a| renamed_asset(&a.value, old, new).is_some())
            }),
        };
        if !named {
            continue;
        }
        let mut doc = ItemDocument::from_text(file.path.clone(), file.source.text.to_string())?;
        let name = file.source.name.clone();
        match element {
            Element::Person => {
                doc.set(&[Key::from("owner")], NewValue::Str(new.to_owned()))?;
                plan.change(&name, "owner".to_owned(), old.to_owned());
            }
            Element::Asset => rename_assets(&mut doc, &name, &mut plan)?,
        }
        plan.documents.push(doc);
    }
    // An asset the inventory does not hold is known by the items that name it.
    if element == Element::Asset && plan.changes.is_empty() {
        return Err(Error::Refused(format!(
            "no item names asset `{old}` (alone or with a ` (port/PROTO)` detail): nothing to rename"
        )));
    }
    Ok(plan)
}

/// The asset entry `entry` with `old` renamed to `new`, when it names `old`.
fn renamed_asset(entry: &str, old: &str, new: &str) -> Option<String> {
    let entry = entry.trim();
    if entry == old {
        return Some(new.to_owned());
    }
    let detail = entry.strip_prefix(old)?;
    detail.starts_with(" (").then(|| format!("{new}{detail}"))
}

fn rename_assets(doc: &mut ItemDocument, name: &str, plan: &mut Plan) -> Result<(), Error> {
    let assets = doc.get(&[Key::from("assets")]).map(|n| n.value.clone());
    let edits: Vec<(Vec<Key>, String, String, String)> = match assets {
        Some(Value::Seq(entries)) => entries
            .iter()
            .enumerate()
            .filter_map(|(index, entry)| {
                let Value::Str(text) = &entry.value else {
                    return None;
                };
                let renamed = renamed_asset(text, &plan.old, &plan.new)?;
                Some((
                    vec![Key::from("assets"), Key::from(index)],
                    format!("assets[{index}]"),
                    text.clone(),
                    renamed,
                ))
            })
            .collect(),
        Some(Value::Str(text)) => renamed_asset(&text, &plan.old, &plan.new)
            .map(|renamed| {
                (
                    vec![Key::from("assets")],
                    "assets".to_owned(),
                    text,
                    renamed,
                )
            })
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    for (path, field, old, new) in edits {
        doc.set(&path, NewValue::Str(new.clone()))?;
        plan.changes.push(Change {
            file: name.to_owned(),
            field,
            old,
            new,
        });
    }
    Ok(())
}

impl Plan {
    /// Records `field` of `file` changing from `old` to the new id.
    fn change(&mut self, file: &str, field: String, old: String) {
        self.changes.push(Change {
            file: file.to_owned(),
            field,
            old,
            new: self.new.clone(),
        });
    }
}

/// The inventory's part: the asset's `id`, the old id kept in its `aliases`. Refuses an old id
/// that is only an alias or that several assets hold, and a new id the inventory already
/// resolves; an old id it does not hold leaves it alone, with a note.
fn plan_inventory(workspace: &Workspace, plan: &mut Plan) -> Result<(), Error> {
    let Some(inventory) = &workspace.inventory else {
        plan.note = Some("There is no inventory: only the items' `assets` are changed.".into());
        return Ok(());
    };
    let holders: Vec<&crate::inventory::Asset> = inventory
        .assets
        .iter()
        .filter(|a| a.id.value == plan.old)
        .collect();
    let asset = match holders.as_slice() {
        [] => {
            if let Some(resolved) = inventory.resolve(&plan.old) {
                return Err(Error::Refused(format!(
                    "`{}` is an alias of the asset `{}`: rename `{}` instead",
                    plan.old,
                    resolved.asset().id.value,
                    resolved.asset().id.value
                )));
            }
            plan.note = Some(format!(
                "`{}` is not an asset of the inventory: only the items' `assets` are changed.",
                plan.old
            ));
            return Ok(());
        }
        [asset] => *asset,
        more => {
            return Err(Error::Refused(format!(
                "`{}` is the id of {} assets of the inventory (inventory-duplicate-id): give each its own id first",
                plan.old,
                more.len()
            )))
        }
    };
    if let Some(resolved) = inventory.resolve(&plan.new) {
        return Err(Error::Refused(format!(
            "`{}` already names the asset `{}` in the inventory: pick an id no asset holds",
            plan.new,
            resolved.asset().id.value
        )));
    }
    let (Some(source), Some(path)) = (inventory.file(asset.file), inventory.paths.get(asset.file))
    else {
        return Err(Error::Refused(format!(
            "the inventory file of asset `{}` is not known",
            plan.old
        )));
    };
    let file = source.name.clone();
    let mut doc = ItemDocument::from_text(path.clone(), source.text.to_string())?;
    let has_old_id = |node: &crate::model::Node| {
        node.as_map()
            .and_then(|m| m.iter().find(|e| e.key == "id"))
            .is_some_and(|e| matches!(&e.value.value, Value::Str(s) if s.trim() == plan.old))
    };
    // One asset per file is a mapping at the root; a group is a list of them.
    let position = match &doc.node().value {
        Value::Seq(entries) => entries.iter().position(has_old_id).map(Some),
        _ => has_old_id(doc.node()).then_some(None),
    };
    let Some(position) = position else {
        return Err(Error::Refused(format!(
            "asset `{}` was not found where {file} was read",
            plan.old
        )));
    };
    let (at, prefix) = match position {
        Some(index) => (vec![Key::from(index)], format!("[{index}].")),
        None => (Vec::new(), String::new()),
    };
    let key = |name: &str| [at.as_slice(), &[Key::from(name)]].concat();
    doc.set(&key("id"), NewValue::Str(plan.new.clone()))?;
    plan.change(&file, format!("{prefix}id"), plan.old.clone());
    doc.append(&key("aliases"), NewValue::Str(plan.old.clone()))?;
    plan.changes.push(Change {
        file,
        field: format!("{prefix}aliases"),
        old: String::new(),
        new: format!("+ {}", plan.old),
    });
    plan.documents.push(doc);
    Ok(())
}

/// The inventory's part of a person's rename: every asset's `system_owner` and
/// `application_owner` that is the old id.
fn plan_inventory_owners(workspace: &Workspace, plan: &mut Plan) -> Result<(), Error> {
    let Some(inventory) = &workspace.inventory else {
        return Ok(());
    };
    for (index, source) in inventory.files.iter().enumerate() {
        let named = inventory.assets.iter().any(|a| {
            a.file == index
                && ["system_owner", "application_owner"]
                    .iter()
                    .any(|k| a.text(k) == Some(plan.old.as_str()))
        });
        let Some(path) = inventory.paths.get(index).filter(|_| named) else {
            continue;
        };
        let mut doc = ItemDocument::from_text(path.clone(), source.text.to_string())?;
        // One asset per file is a mapping at the root; a group is a list of them.
        let assets: Vec<(Vec<Key>, String)> = match &doc.node().value {
            Value::Seq(entries) => (0..entries.len())
                .map(|i| (vec![Key::from(i)], format!("[{i}].")))
                .collect(),
            _ => vec![(Vec::new(), String::new())],
        };
        for (at, prefix) in assets {
            for key in ["system_owner", "application_owner"] {
                let path = [at.as_slice(), &[Key::from(key)]].concat();
                let is_old = doc
                    .get(&path)
                    .is_some_and(|n| matches!(&n.value, Value::Str(s) if s.trim() == plan.old));
                if is_old {
                    doc.set(&path, NewValue::Str(plan.new.clone()))?;
                    plan.change(&source.name, format!("{prefix}{key}"), plan.old.clone());
                }
            }
        }
        plan.documents.push(doc);
    }
    Ok(())
}

/// The people file's part: the entry's id (old id kept as an alias) and the teams' members.
fn plan_people_file(workspace: &Workspace, plan: &mut Plan) -> Result<(), Error> {
    let (Some(people), Some(path)) = (&workspace.people, workspace.config.people_file()) else {
        return Err(Error::Refused(format!(
            "there is no people file to rename `{}` in: create people.yaml beside poam.yaml (or name one with `people:`)",
            plan.old
        )));
    };
    let file = people.source.name.clone();
    if !people.has_id(&plan.old) {
        let why = match people.get(&plan.old) {
            Some(holder) => format!(
                "`{}` is an alias of `{}`: rename `{}` instead",
                plan.old, holder.id.value, holder.id.value
            ),
            None => match people.nearest(&plan.old) {
                Some(near) => format!(
                    "`{}` is not a person or team of {file}; did you mean `{near}`?",
                    plan.old
                ),
                None => format!("`{}` is not a person or team of {file}", plan.old),
            },
        };
        return Err(Error::Refused(why));
    }
    let holders = people
        .entries
        .iter()
        .filter(|p| p.id.value == plan.old)
        .count();
    if holders > 1 {
        return Err(Error::Refused(format!(
            "`{}` is the id of {holders} entries of {file} (people-duplicate-id): give each its own id first",
            plan.old
        )));
    }
    if let Some(holder) = people.get(&plan.new) {
        return Err(Error::Refused(format!(
            "`{}` is already {} in {file}: pick an id no entry holds",
            plan.new,
            if holder.id.value == plan.new {
                "an entry's id".to_owned()
            } else {
                format!("an alias of `{}`", holder.id.value)
            }
        )));
    }
    let mut doc = ItemDocument::from_text(path.clone(), people.source.text.to_string())?;
    let entries = match &doc.node().value {
        Value::Seq(entries) => entries.clone(),
        _ => Vec::new(),
    };
    for (index, entry) in entries.iter().enumerate() {
        let id = entry
            .as_map()
            .and_then(|m| m.iter().find(|e| e.key == "id"))
            .and_then(|e| match &e.value.value {
                Value::Str(s) => Some(s.trim().to_owned()),
                _ => None,
            });
        if id.as_deref() == Some(plan.old.as_str()) {
            doc.set(
                &[Key::from(index), Key::from("id")],
                NewValue::Str(plan.new.clone()),
            )?;
            plan.change(&file, format!("[{index}].id"), plan.old.clone());
            doc.append(
                &[Key::from(index), Key::from("aliases")],
                NewValue::Str(plan.old.clone()),
            )?;
            plan.changes.push(Change {
                file: file.clone(),
                field: format!("[{index}].aliases"),
                old: String::new(),
                new: format!("+ {}", plan.old),
            });
        }
        let members = entry
            .as_map()
            .and_then(|m| m.iter().find(|e| e.key == "members"))
            .map(|e| e.value.value.clone());
        let Some(Value::Seq(members)) = members else {
            continue;
        };
        for (at, member) in members.iter().enumerate() {
            if matches!(&member.value, Value::Str(s) if s.trim() == plan.old) {
                doc.set(
                    &[Key::from(index), Key::from("members"), Key::from(at)],
                    NewValue::Str(plan.new.clone()),
                )?;
                plan.change(&file, format!("[{index}].members[{at}]"), plan.old.clone());
            }
        }
    }
    plan.documents.push(doc);
    Ok(())
}

/// Writes every changed file as one change (see the module comment). Returns the files
/// written.
pub fn write(plan: &mut Plan) -> Result<Vec<PathBuf>, Error> {
    let mut set = ReplaceSet::new();
    let mut written = Vec::new();
    for doc in &mut plan.documents {
        if doc.stage(&mut set)? {
            written.push(doc.path().to_path_buf());
        }
    }
    set.commit().map_err(|source| Error::Write {
        path: written.first().cloned().unwrap_or_default(),
        source,
    })?;
    // The documents hold the files' locks until here.
    plan.documents.clear();
    Ok(written)
}

/// The plan as text for a terminal.
pub fn describe(plan: &Plan, write: bool) -> String {
    let mut out = String::new();
    let noun = plan.element.noun();
    let verb = if write { "Renamed" } else { "Would rename" };
    let _ = writeln!(out, "{verb} {noun} `{}` to `{}`:", plan.old, plan.new);
    for change in &plan.changes {
        if change.old.is_empty() {
            let _ = writeln!(out, "  {}: {}: {}", change.file, change.field, change.new);
        } else {
            let _ = writeln!(
                out,
                "  {}: {}: `{}` -> `{}`",
                change.file, change.field, change.old, change.new
            );
        }
    }
    let files: std::collections::BTreeSet<&str> =
        plan.changes.iter().map(|c| c.file.as_str()).collect();
    let _ = writeln!(
        out,
        "{} in {}.",
        plural(plan.changes.len(), "change"),
        plural(files.len(), "file")
    );
    if let Some(note) = &plan.note {
        let _ = writeln!(out, "{note}");
    }
    if !write && !plan.changes.is_empty() {
        let _ = writeln!(out, "Nothing was written: run again with --write.");
    }
    out
}
