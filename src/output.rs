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

/// Writes `contents` to a temporary file beside `path`, syncs it, keeps the permissions of the
/// file it replaces, renames it over `path` and syncs the folder, so the new name survives a
/// crash too. On error the temporary file is removed.
pub fn replace_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    replace_atomically_with(path, |file| file.write_all(contents))
}

/// Like [`replace_atomically`], but the folder is not synced here: it is noted in `syncs`,
/// whose [`FolderSyncs::sync`] syncs each folder once after a batch of replacements. Each file
/// is still replaced whole or not at all; only the new names' survival of a crash waits for the
/// batch's end. (`lint --fix` of 10,000 files: 3.6 s with a folder sync per file, most of it
/// waiting for the disk; 2026-12-07.)
pub fn replace_atomically_deferring_folder_sync(
    path: &Path,
    contents: &[u8],
    syncs: &FolderSyncs,
) -> std::io::Result<()> {
    replace_unsynced(path, |file| file.write_all(contents))?;
    syncs.note(parent(path));
    Ok(())
}

/// The folders of a batch of replacements, synced once each at its end.
#[derive(Debug, Default)]
pub struct FolderSyncs {
    folders: std::sync::Mutex<std::collections::BTreeSet<PathBuf>>,
}

impl FolderSyncs {
    pub fn new() -> FolderSyncs {
        FolderSyncs::default()
    }

    fn note(&self, dir: &Path) {
        let mut folders = self
            .folders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !folders.contains(dir) {
            folders.insert(dir.to_path_buf());
        }
    }

    /// Syncs every noted folder; the first failure is returned with its folder.
    pub fn sync(self) -> Result<(), (PathBuf, std::io::Error)> {
        let folders = self
            .folders
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        folders
            .into_iter()
            .try_for_each(|folder| sync_folder(&folder).map_err(|err| (folder, err)))
    }
}

fn replace_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    replace_unsynced(path, write)?;
    sync_folder(parent(path))
}

/// Writes through a synced temporary file renamed over `path`; the folder is the caller's to
/// sync.
fn replace_unsynced(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = parent(path);
    let mut temp = temp_file(dir, path)?;
    {
        // Large writes pass the buffer by; small ones are gathered.
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, temp.as_file_mut());
        write(&mut buffered)?;
        buffered.flush()?;
    }
    if let Ok(meta) = std::fs::metadata(path) {
        temp.as_file().set_permissions(meta.permissions())?;
    }
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Several files replaced as one change: each new content is first written to a synced
/// temporary file beside its target ([`ReplaceSet::stage`]); only when every one is staged are
/// they renamed over their targets ([`ReplaceSet::commit`]). A failure while staging leaves
/// every target as it was; a set dropped before its commit removes its temporary files. (The
/// renames themselves are not one step, but they do not fail for want of space, unlike the
/// writes.)
#[derive(Debug, Default)]
pub struct ReplaceSet {
    /// (temporary file, target), in staging order; a temporary file not yet renamed is
    /// removed when it is dropped.
    staged: Vec<(tempfile::NamedTempFile, PathBuf)>,
}

impl ReplaceSet {
    pub fn new() -> ReplaceSet {
        ReplaceSet::default()
    }

    /// Writes `contents` to a temporary file beside `path`, with `path`'s permissions.
    pub fn stage(&mut self, path: &Path, contents: &[u8]) -> std::io::Result<()> {
        let mut temp = temp_file(parent(path), path)?;
        temp.write_all(contents)?;
        if let Ok(meta) = std::fs::metadata(path) {
            temp.as_file().set_permissions(meta.permissions())?;
        }
        temp.as_file().sync_all()?;
        self.staged.push((temp, path.to_path_buf()));
        Ok(())
    }

    /// How many files are staged.
    pub fn len(&self) -> usize {
        self.staged.len()
    }

    pub fn is_empty(&self) -> bool {
        self.staged.is_empty()
    }

    /// Renames every staged file over its target, in staging order, then syncs their folders.
    pub fn commit(mut self) -> std::io::Result<()> {
        let mut folders: Vec<PathBuf> = Vec::new();
        for (temp, target) in std::mem::take(&mut self.staged) {
            // A failed rename drops (removes) this temporary file; the rest go with `self`.
            temp.persist(&target).map_err(|e| e.error)?;
            let folder = parent(&target).to_path_buf();
            if !folders.contains(&folder) {
                folders.push(folder);
            }
        }
        folders.iter().try_for_each(|folder| sync_folder(folder))
    }
}

/// Writes a new file at `path`, failing with [`std::io::ErrorKind::AlreadyExists`] when
/// something is there, and never showing a reader half of it: the contents go to a synced
/// temporary file (in `staging` when given, else beside `path`), which is then renamed to
/// `path` only if nothing is there, an exclusive step, and the folder synced.
pub fn create_atomically(
    path: &Path,
    contents: &[u8],
    staging: Option<&Path>,
) -> std::io::Result<()> {
    create_atomically_with(path, staging, |file| file.write_all(contents))
}

/// [`create_atomically`] with the contents written by `fill` into the temporary file, which
/// may also read them back to check them before the file is renamed into place (an evidence
/// copy is hashed there).
pub fn create_atomically_with(
    path: &Path,
    staging: Option<&Path>,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut temp = temp_file(staging.unwrap_or_else(|| parent(path)), path)?;
    fill(temp.as_file_mut())?;
    temp.as_file().sync_all()?;
    temp.persist_noclobber(path).map_err(|e| e.error)?;
    sync_folder(parent(path))
}

/// A temporary file in `dir` for `path` (`.NAME.XXXXXX.tmp`), removed when dropped unless it
/// is persisted. Created with the permissions a new file gets (`0o666` less the umask), not
/// the owner-only ones of a temporary file: it becomes the output.
fn temp_file(dir: &Path, path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A name near the file system's limit (255 bytes) must still leave room for the suffix.
    let mut end = name.len().min(100);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name.truncate(end);
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Syncs the folder `dir`, so a file just renamed into it is still there after a crash.
/// Only on unix: elsewhere a folder cannot be opened to be synced.
fn sync_folder(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The start of a staging folder's name: `.poam-staging.<pid>.<batch>.<n>`.
const STAGING_PREFIX: &str = ".poam-staging.";

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// True when process `pid` is known to be gone: `/proc` is there (Linux) and holds no entry
/// for it. Elsewhere nothing is known, and nothing is removed.
fn process_is_gone(pid: u32) -> bool {
    pid != std::process::id()
        && Path::new("/proc/self").exists()
        && !Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes the folders in `dir` that a poam run left behind: those whose name `owner` reads
/// as poam's own (it returns the process id in the name; `None` for every other name) and
/// whose process is gone. A folder of a run still going is left alone, and so is anything
/// poam did not name; a folder that cannot be removed is left for the next run.
pub fn remove_stale(dir: &Path, owner: impl Fn(&str) -> Option<u32>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(&owner) else {
            continue;
        };
        // Only real folders: a symlink with such a name is not poam's.
        if entry.file_type().is_ok_and(|t| t.is_dir()) && process_is_gone(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Threads that write many new files at once, each staging in a folder of its own: creating
/// files waits on the file system more than on the CPU, so more writers than cores help.
pub const WRITERS: usize = 8;

/// Hidden folders inside a folder where many new files are created at once, one per writer
/// thread, each holding that thread's temporary files. Creating files in one folder is
/// serialised by the folder's lock, and on a busy disk the inode each new file needs is slow
/// to find; spread over folders the threads find them in parallel, and the final renames
/// into the shared folder are cheap. Removed (with anything left in them) when dropped.
///
/// Kept for its figure: `bench/import.py`'s first `import scan --write` (about 5,000 new
/// files), interleaved on the loaded 2-core machine on 2026-12-06, took 1.065x as long with
/// every temporary file beside its target instead (3.08 s against 2.89 s, median of 3).
#[derive(Debug)]
pub struct Staging {
    dirs: Vec<PathBuf>,
}

impl Staging {
    /// `count` staging folders in `dir`; none (every temporary file beside its target) when
    /// they cannot be made, which is slower but still correct.
    pub fn new(dir: &Path, count: usize) -> Staging {
        // A run killed mid-write (kill -9, an out-of-memory kill) could not remove its own.
        remove_stale(dir, |name| {
            let rest = name.strip_prefix(STAGING_PREFIX)?;
            let (pid, tail) = rest.split_once('.')?;
            let (batch, n) = tail.split_once('.')?;
            all_digits(batch).then_some(())?;
            all_digits(n).then_some(())?;
            pid.parse().ok()
        });
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let batch = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut dirs = Vec::with_capacity(count);
        for n in 0..count {
            let staging = dir.join(format!(
                "{STAGING_PREFIX}{}.{batch}.{n}",
                std::process::id()
            ));
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

/// The canonical form of a path that may not exist yet (symlinks followed as far as it
/// exists), relative to the current folder: what an output path and a protected place are
/// compared as.
pub fn resolve_output(path: &Path) -> Result<PathBuf, Error> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?
            .join(path)
    };
    crate::paths::canonical_lenient(&absolute).map_err(|(path, source)| Error::Io { path, source })
}

/// Refuses `-o PATH` (a file, or the folder of `export ver`) when writing it would replace one
/// of poam's own inputs: a path that resolves (symlinks followed) inside the items folder
/// `items_dir`, to the config file `config_file`, to the people file or inside the inventory
/// (`elements`, each with what it is). `poam site -o` refuses a folder that holds the
/// repository or the items, and replaces only a site it built.
pub fn refuse_protected_output(
    out: &Path,
    items_dir: &Path,
    config_file: Option<&Path>,
    elements: &[(PathBuf, &str)],
) -> Result<(), Error> {
    let resolve = resolve_output;
    let target = resolve(out)?;
    if let Some(config) = config_file {
        if resolve(config)? == target {
            return Err(Error::Refused(format!(
                "refusing to write the output to `{}`: it is the configuration file; pick another file",
                out.display()
            )));
        }
    }
    if target.starts_with(resolve(items_dir)?) {
        return Err(Error::Refused(format!(
            "refusing to write the output to `{}`: it is inside the items folder `{}`, where it could replace an item file; pick a file outside it",
            out.display(),
            items_dir.display()
        )));
    }
    for (element, what) in elements {
        if target.starts_with(resolve(element)?) {
            return Err(Error::Refused(format!(
                "refusing to write the output to `{}`: it would replace {what} `{}`; pick another file",
                out.display(),
                element.display()
            )));
        }
    }
    Ok(())
}

/// Text for a spreadsheet cell (CSV), defused: a value beginning with `=`, `+`, `-`, `@`, a tab
/// or a carriage return is what Excel, LibreOffice and Sheets run as a formula (`=HYPERLINK(…)`,
/// `=cmd|' /C calc'!A0` from a scanner title), so it gets a leading `'`, which they show as
/// text (OWASP's advice for CSV injection). Other text is returned as it is.
pub fn spreadsheet_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_text_is_defused() {
        for formula in ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(spreadsheet_text(formula), format!("'{formula}"));
        }
        assert_eq!(spreadsheet_text("plain = text"), "plain = text");
        assert_eq!(spreadsheet_text(""), "");
    }

    #[test]
    fn a_replace_set_writes_all_or_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
        std::fs::write(&a, "old a\n").expect("write");
        std::fs::write(&b, "old b\n").expect("write");
        {
            let mut set = ReplaceSet::new();
            set.stage(&a, b"new a\n").expect("staged");
            // Dropped without a commit: nothing changes, nothing is left behind.
        }
        assert_eq!(std::fs::read(&a).expect("read"), b"old a\n");
        let mut set = ReplaceSet::new();
        set.stage(&a, b"new a\n").expect("staged");
        set.stage(&b, b"new b\n").expect("staged");
        assert_eq!(set.len(), 2);
        set.commit().expect("committed");
        assert_eq!(std::fs::read(&a).expect("read"), b"new a\n");
        assert_eq!(std::fs::read(&b).expect("read"), b"new b\n");
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 2);
    }

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

    #[cfg(unix)]
    #[test]
    fn written_files_get_a_new_file_s_permissions_and_leave_no_temporary_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, b"x").expect("write");
        let mode = |path: &Path| {
            std::fs::metadata(path)
                .expect("metadata")
                .permissions()
                .mode()
        };
        let replaced = dir.path().join("report.md");
        write_atomic(&replaced, "one\n").expect("written");
        write_atomic(&replaced, "two\n").expect("replaced");
        let created = dir.path().join("V-1.yaml");
        create_atomically(&created, b"id: V-1\n", None).expect("created");
        assert_eq!(mode(&replaced), mode(&plain), "not a temporary file's 0600");
        assert_eq!(mode(&created), mode(&plain));
        assert_eq!(std::fs::read(&replaced).expect("read"), b"two\n");
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 3);
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

/// A file made to be published beside others (the status site's downloads page lists each).
#[derive(Debug)]
pub struct Download {
    /// The file name.
    pub file: String,
    /// What the file is, in a few words.
    pub title: String,
    /// The contents, or why the file could not be made (shown where it would be offered).
    pub contents: Result<Vec<u8>, String>,
}
