//! Writing files atomically: a reader never sees half a file, and a failed write leaves the old
//! one intact. Reports, exports and item edits all write through here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::Error;

/// Writes `contents` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, contents: impl AsRef<[u8]>) -> Result<(), Error> {
    replace_atomically(path, contents.as_ref()).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Like [`write_atomic`], with the contents written by `write` (through a buffer): a large
/// document need not be one string first.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    replace_atomically_with(path, write).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes `contents` to an exclusive temporary file beside `path` (named after the process and
/// a counter, so concurrent writers never share one), syncs it, keeps the permissions of the
/// file it replaces, and renames it over `path`. On error the temporary file is removed.
pub fn replace_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    replace_atomically_with(path, |file| file.write_all(contents))
}

fn replace_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let temp = temp_path(parent(path), path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)?;
    let result = (|| {
        // Large writes pass the buffer by; small ones are gathered.
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut file);
        write(&mut buffered)?;
        buffered.flush()?;
        drop(buffered);
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

/// Writes a new file at `path`, failing with [`std::io::ErrorKind::AlreadyExists`] when
/// something is there, and never showing a reader half of it: the contents go to a synced
/// temporary file (in `staging` when given, else beside `path`), which is then hard-linked to
/// `path`, an exclusive step. One new inode per file: on a busy ext4 creating inodes is what
/// costs, so the old "reserve the name, then rename over it" took twice as long. Where hard
/// links are not supported, the name is reserved exclusively and the temporary file renamed
/// over it.
pub fn create_atomically(
    path: &Path,
    contents: &[u8],
    staging: Option<&Path>,
) -> std::io::Result<()> {
    let temp = temp_path(staging.unwrap_or_else(|| parent(path)), path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)?;
    let result = (|| {
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        match std::fs::hard_link(&temp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            Err(_) => {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)?;
                std::fs::rename(&temp, path)
            }
        }
    })();
    let _ = std::fs::remove_file(&temp);
    result
}

/// Threads that write many new files at once, each staging in a folder of its own: creating
/// files waits on the file system more than on the CPU, so more writers than cores help.
pub const WRITERS: usize = 8;

/// Hidden folders inside a folder where many new files are created at once, one per writer
/// thread, each holding that thread's temporary files. Creating files in one folder is
/// serialised by the folder's lock, and on a busy disk the inode each new file needs is slow
/// to find; spread over folders the threads find them in parallel, and the final hard links
/// into the shared folder are cheap. Removed (with anything left in them) when dropped.
#[derive(Debug)]
pub struct Staging {
    dirs: Vec<PathBuf>,
}

impl Staging {
    /// `count` staging folders in `dir`; none (every temporary file beside its target) when
    /// they cannot be made, which is slower but still correct.
    pub fn new(dir: &Path, count: usize) -> Staging {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let batch = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut dirs = Vec::with_capacity(count);
        for n in 0..count {
            let staging = dir.join(format!(".poam-staging.{}.{batch}.{n}", std::process::id()));
            match std::fs::create_dir(&staging) {
                Ok(()) => dirs.push(staging),
                Err(_) => break,
            }
        }
        Staging { dirs }
    }

    /// The staging folder of the current rayon worker thread (the first one elsewhere).
    pub fn for_this_thread(&self) -> Option<&Path> {
        self.for_writer(rayon::current_thread_index().unwrap_or(0))
    }

    /// The staging folder of writer thread `writer` (counted from 0).
    pub fn for_writer(&self, writer: usize) -> Option<&Path> {
        match self.dirs.len() {
            0 => None,
            len => self.dirs.get(writer % len).map(PathBuf::as_path),
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for dir in &self.dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A temporary file name in `dir` for `path`, named after the process and a counter, so
/// concurrent writers never share one.
fn temp_path(dir: &Path, path: &Path) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_written_once_and_never_over_another() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("V-1.yaml");
        create_atomically(&path, b"id: V-1\n", None).expect("created");
        let again = create_atomically(&path, b"id: other\n", None).expect_err("exists");
        assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).expect("read"), b"id: V-1\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["V-1.yaml"], "no temporary file is left");
    }

    #[test]
    fn staged_files_land_in_the_folder_and_the_staging_folders_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        {
            let staging = Staging::new(dir.path(), 3);
            assert_eq!(staging.dirs.len(), 3);
            for n in 0..6 {
                let path = dir.path().join(format!("V-{n}.yaml"));
                let stage = staging.dirs.get(n % 3).map(PathBuf::as_path);
                create_atomically(&path, b"x\n", stage).expect("created");
            }
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["V-0.yaml", "V-1.yaml", "V-2.yaml", "V-3.yaml", "V-4.yaml", "V-5.yaml"]
        );
    }
}
