//! Paths that may not exist yet.

use std::path::{Path, PathBuf};

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
