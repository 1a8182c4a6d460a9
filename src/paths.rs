//! Paths that may not exist yet, and what a walk of a folder of YAML files found at a path.

use std::path::{Path, PathBuf};

/// What a walk of a folder of YAML files (the items, the inventory) that does not follow links
/// found at a path, so regular files need no extra `stat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listed {
    /// A regular `.yaml` or `.yml` file.
    File,
    /// A link named as a YAML file.
    Symlink,
    /// A link to a folder, whatever its name: never walked, and reported rather than skipped
    /// in silence (its files would be missed without a word).
    LinkedFolder,
    /// A FIFO, socket or device named as a YAML file: never opened, since reading a FIFO
    /// would block.
    Other,
}

impl Listed {
    /// How the walk takes `entry`; `None` for a folder and for anything that is neither named
    /// as a YAML file nor a link to a folder.
    pub fn of(entry: &walkdir::DirEntry) -> Option<Listed> {
        let file_type = entry.file_type();
        let is_yaml = entry
            .path()
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml");
        if file_type.is_symlink() {
            // Links are rare: the extra `stat` costs nothing in the common case.
            if entry.path().is_dir() {
                Some(Listed::LinkedFolder)
            } else {
                is_yaml.then_some(Listed::Symlink)
            }
        } else if file_type.is_dir() || !is_yaml {
            None
        } else if file_type.is_file() {
            Some(Listed::File)
        } else {
            Some(Listed::Other)
        }
    }
}

/// The canonical form of `path` when its tail does not exist (yet): the longest existing
/// ancestor is resolved (symlinks, `..`) and the missing components are appended. On failure,
/// the path that could not be resolved and why.
pub fn canonical_lenient(path: &Path) -> Result<PathBuf, (PathBuf, std::io::Error)> {
    let mut missing = Vec::new();
    let mut existing = path;
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .map_err(|source| (existing.to_path_buf(), source))?;
    resolved.extend(missing.iter().rev());
    Ok(resolved)
}
