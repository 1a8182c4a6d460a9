//! The versions of one file outside the items folder (the people file) along the first-parent
//! history of HEAD: what the file said after each commit that changed it.
//!
//! The same raw walk as [`GitRepo::ids_ever`]: commits are read along the first parents, the
//! file's folder is found by tree id (remembered), and a blob is read only when its id differs
//! from the newer commit's, so a file that changed five times costs five reads however long
//! the history.

use std::path::Path;
use std::sync::Arc;

use git2::{ObjectType, Oid};

use super::walk::{ItemsLocation, ItemsTrees};
use super::{raw, CommitMeta, GitRepo, HistoryError, Parent};

/// What the file held after one commit that changed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileVersion {
    pub commit: Arc<CommitMeta>,
    /// The file's bytes; `None` when the commit deleted it.
    pub bytes: Option<Vec<u8>>,
}

impl GitRepo {
    /// Every version of the file at `path` (on disk, inside the work tree) along the
    /// first-parent history of HEAD, oldest first: one per commit that added, changed or
    /// deleted it. Empty when the file was never committed, lies outside the work tree, or the
    /// repository has no commits.
    pub fn file_versions(&self, path: &Path) -> Result<Vec<FileVersion>, HistoryError> {
        let path = super::canonical(&super::absolute(path)?)?;
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return Ok(Vec::new());
        };
        let mut components: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let Some(name) = components.pop() else {
            return Ok(Vec::new());
        };
        let Some(head) = self.head_commit()? else {
            return Ok(Vec::new());
        };
        let odb = self.objects()?;
        let mut folders = ItemsTrees::new(&odb, &ItemsLocation { components });
        let mut blob_of = |tree: Oid| -> Result<Option<Oid>, HistoryError> {
            let Some(folder) = folders.resolve(tree)? else {
                return Ok(None);
            };
            let object = raw::read(&odb, folder, ObjectType::Tree)?;
            Ok(raw::find_entry(object.data(), name.as_bytes())?
                .filter(raw::RawEntry::is_regular_file)
                .map(|entry| entry.id()))
        };
        let mut commit = raw::read_commit(&odb, head.id())?.ok_or_else(|| HistoryError::Git {
            context: "reading HEAD".to_owned(),
            message: format!("commit {} is missing", head.id()),
        })?;
        let mut blob = blob_of(commit.links.tree)?;
        // Newest first while walking: (commit, blob after it).
        let mut changes: Vec<(CommitMeta, Option<Oid>)> = Vec::new();
        loop {
            let (parent, parent_blob) = match self.first_parent(&odb, &commit)? {
                Parent::Commit(parent) => {
                    let parent_blob = blob_of(parent.links.tree)?;
                    (Some(parent), parent_blob)
                }
                Parent::Root | Parent::ShallowBoundary => (None, None),
            };
            if parent_blob != blob {
                changes.push((commit.meta(), blob));
            }
            match parent {
                Some(parent) => {
                    commit = parent;
                    blob = parent_blob;
                }
                None => break,
            }
        }
        changes
            .into_iter()
            .rev()
            .map(|(meta, blob)| {
                let bytes = match blob {
                    Some(id) => Some(raw::read(&odb, id, ObjectType::Blob)?.data().to_vec()),
                    None => None,
                };
                Ok(FileVersion {
                    commit: Arc::new(meta),
                    bytes,
                })
            })
            .collect()
    }
}

impl GitRepo {
    /// The bytes of the file at `path` (on disk, inside the work tree, which need not exist
    /// there) as commit `commit` (a full id) had it; `None` when that commit lacks it or it
    /// lies outside the work tree. The baseline of a pull request's check is read this way
    /// from its merge base.
    pub fn file_at(&self, commit: &str, path: &Path) -> Result<Option<Vec<u8>>, HistoryError> {
        let folder = path.parent().unwrap_or(Path::new("."));
        let folder = super::canonical(&super::absolute(folder)?)?;
        let Some(name) = path.file_name() else {
            return Ok(None);
        };
        let Ok(relative) = folder
            .join(name)
            .strip_prefix(&self.root)
            .map(Path::to_path_buf)
        else {
            return Ok(None);
        };
        let git = |err: git2::Error| HistoryError::Git {
            context: format!("reading {} at {commit}", relative.display()),
            message: err.message().to_owned(),
        };
        let oid = Oid::from_str(commit).map_err(git)?;
        let tree = self
            .repo
            .find_commit(oid)
            .map_err(git)?
            .tree()
            .map_err(git)?;
        let entry = match tree.get_path(&relative) {
            Ok(entry) => entry,
            Err(err) if err.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(err) => return Err(git(err)),
        };
        if entry.kind() != Some(ObjectType::Blob) {
            return Ok(None);
        }
        let blob = self.repo.find_blob(entry.id()).map_err(git)?;
        Ok(Some(blob.content().to_vec()))
    }
}
