//! Every item id the items folder ever held, for handing out new ids that were never used: an
//! id freed by a deleted item must not come back for a different weakness (`poam log` would
//! mix the two).
//!
//! Cheaper than [`GitRepo::full_history`]: the same first-parent walk and tree comparison, but
//! no file is parsed. Each version that appears (a file added or changed) is read once (by blob
//! id) and only its top-level `id:` line looked at; every file name counts too, since a file
//! holds its name even when its `id` is missing or unreadable.

use std::collections::{BTreeSet, HashSet};

use git2::ObjectType;

use super::walk::{ItemsTrees, TreeDiffer};
use super::{raw, GitRepo, HistoryError, Parent};

impl GitRepo {
    /// Every id (and file name without `.yaml`/`.yml`) of every item file version along the
    /// first-parent history of HEAD. Empty in a repository without commits.
    pub fn ids_ever(&self) -> Result<BTreeSet<String>, HistoryError> {
        let mut ids = BTreeSet::new();
        let Some(head) = self.head_commit()? else {
            return Ok(ids);
        };
        let odb = self.objects()?;
        let mut items_trees = ItemsTrees::new(&odb, &self.location);
        let mut differ = TreeDiffer::new(&odb, &self.location);
        let mut read_blobs = HashSet::new();
        let mut changes = Vec::new();
        let mut commit = raw::read_commit(&odb, head.id())?.ok_or_else(|| HistoryError::Git {
            context: "reading HEAD".to_owned(),
            message: format!("commit {} is missing", head.id()),
        })?;
        let mut items = items_trees.resolve(commit.links.tree)?;
        loop {
            let (parent, parent_items) = match self.first_parent(&odb, &commit)? {
                Parent::Commit(parent) => {
                    let parent_items = items_trees.resolve(parent.links.tree)?;
                    (Some(parent), parent_items)
                }
                Parent::Root | Parent::ShallowBoundary => (None, None),
            };
            if parent_items != items {
                changes.clear();
                differ.diff(parent_items, items, &mut changes)?;
                for (path, blob) in changes.iter().filter_map(|c| c.new.as_ref()) {
                    let name = path.rsplit('/').next().unwrap_or(path);
                    let stem = name
                        .strip_suffix(".yaml")
                        .or_else(|| name.strip_suffix(".yml"))
                        .unwrap_or(name);
                    ids.insert(stem.to_owned());
                    if read_blobs.insert(*blob) {
                        let object = raw::read(&odb, *blob, ObjectType::Blob)?;
                        let text = String::from_utf8_lossy(object.data());
                        if let Some(id) = crate::parse::top_level_scalar(&text, "id") {
                            ids.insert(id);
                        }
                    }
                }
            }
            match parent {
                Some(parent) => {
                    commit = parent;
                    items = parent_items;
                }
                None => break,
            }
        }
        Ok(ids)
    }
}
