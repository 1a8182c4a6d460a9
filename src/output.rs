//! Writing files atomically: a reader never sees half a file, and a failed write leaves the old
//! one intact. Reports, exports and item edits all write through here.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::Error;

/// Writes `contents` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, contents: impl AsRef<[u8]>) -> Result<(), Error> {
    replace_atomically(path, contents.as_ref()).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes `contents` to an exclusive temporary file beside `path` (named after the process and
/// a counter, so concurrent writers never share one), syncs it, keeps the permissions of the
/// file it replaces, and renames it over `path`. On error the temporary file is removed.
pub fn replace_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)?;
    let result = (|| {
        file.write_all(contents)?;
        if let Ok(meta) = std::fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
