//! Evidence files: where `documents[].path` points, what is there now, and copying a new file
//! in (`poam evidence add`). The rules `evidence-missing` and `evidence-altered` read the
//! [`EvidenceFiles`] lint gathers here; no rule touches the file system itself.
//!
//! A document's `path` is relative to the folder of `poam.yaml` (the repository's POA&M root),
//! `/`-separated, without `..` (the item reader refuses anything else), so it names a file
//! inside the repository. A symlink is not evidence: it is reported as such rather than
//! followed, because the file it points at has no history poam can vouch for.

use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// The evidence folder beside `poam.yaml` when `evidence.dir` does not name one.
pub const DEFAULT_EVIDENCE_DIR: &str = "evidence";

/// What is at a document's `path` now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileState {
    /// A regular file, with the SHA-256 of its bytes (lower-case hex).
    Present { sha256: String },
    /// Nothing is there.
    Missing,
    /// Something that is not a regular file: a folder, a symlink, a device.
    NotAFile { what: &'static str },
    /// The file is there but could not be read.
    Unreadable { reason: String },
}

/// The state of every document path the items name, by the path as written.
#[derive(Clone, Debug, Default)]
pub struct EvidenceFiles {
    states: BTreeMap<String, FileState>,
}

impl EvidenceFiles {
    /// Looks at each of `paths` (relative to `root`), hashing the files in parallel.
    pub fn gather<'a>(root: &Path, paths: impl Iterator<Item = &'a str>) -> EvidenceFiles {
        let mut unique: Vec<&str> = paths.collect();
        unique.sort_unstable();
        unique.dedup();
        let states = unique
            .par_iter()
            .map(|path| ((*path).to_owned(), state(root, path)))
            .collect();
        EvidenceFiles { states }
    }

    /// The state of `path` as written in an item; `None` when it was not gathered.
    pub fn get(&self, path: &str) -> Option<&FileState> {
        self.states.get(path)
    }

    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}

/// What is at `relative` (`/`-separated) under `root`, following no symlink: neither the
/// file nor a folder on the way (`evidence -> /home/runner` would hash, and `poam evidence
/// add` write, outside the repository).
pub fn state(root: &Path, relative: &str) -> FileState {
    let mut at = root.to_path_buf();
    let mut folders: Vec<&str> = relative.split('/').collect();
    folders.pop();
    for folder in folders {
        at.push(folder);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return FileState::NotAFile {
                    what: "inside a symlinked folder",
                }
            }
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return FileState::NotAFile {
                    what: "inside something that is not a folder",
                }
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return FileState::Missing,
            Err(err) => {
                return FileState::Unreadable {
                    reason: err.to_string(),
                }
            }
        }
    }
    state_of(&root.join(relative))
}

/// What is at `path`, without following a symlink.
fn state_of(path: &Path) -> FileState {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return FileState::Missing,
        Err(err) => {
            return FileState::Unreadable {
                reason: err.to_string(),
            }
        }
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        return FileState::NotAFile { what: "a symlink" };
    }
    if kind.is_dir() {
        return FileState::NotAFile { what: "a folder" };
    }
    if !kind.is_file() {
        return FileState::NotAFile {
            what: "not a regular file",
        };
    }
    match sha256_file(path) {
        Ok(sha256) => FileState::Present { sha256 },
        Err(err) => FileState::Unreadable {
            reason: err.to_string(),
        },
    }
}

/// The SHA-256 of a file's bytes, lower-case hex, read in blocks.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    sha256_of(&mut std::fs::File::open(path)?)
}

/// The SHA-256 of what `reader` gives until its end, lower-case hex.
fn sha256_of(file: &mut impl Read) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex(&hasher.finalize()))
}

/// The SHA-256 of `bytes`, lower-case hex.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// A file copied into the evidence folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    /// Relative to the folder of `poam.yaml`, `/`-separated: what the document's `path` holds.
    pub path: String,
    pub sha256: String,
    /// False when an identical file was already there (nothing was written).
    pub written: bool,
}

/// Why a file could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` is not a regular file", path.display())]
    NotAFile { path: PathBuf },
    #[error("`{}` has no usable file name (letters, digits, `.`, `_`, `-` and spaces, not starting with `.`)", path.display())]
    BadName { path: PathBuf },
    #[error("`{}` is {what}; evidence is copied only to a new regular file inside the repository", path.display())]
    NotAPlace { path: PathBuf, what: &'static str },
    #[error("`{}` already holds a different file; evidence is never overwritten: rename the new file and add it again", path.display())]
    Exists { path: PathBuf },
}

/// The name a copied file keeps: its own, when it is a plain file name.
pub fn evidence_name(file: &Path) -> Option<String> {
    let name = file.file_name()?.to_str()?;
    let plain = !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ' ' | '+'));
    plain.then(|| name.to_owned())
}

/// Copies `file` to `<root>/<dir>/<name>` (created as needed) without ever replacing a
/// different file: the copy is written to a temporary file beside the target, synced, then
/// linked into place only if nothing is there. An identical file already there is reused.
pub fn copy_in(root: &Path, dir: &str, file: &Path) -> Result<Copied, AddError> {
    let name = evidence_name(file).ok_or_else(|| AddError::BadName {
        path: file.to_path_buf(),
    })?;
    let meta = std::fs::metadata(file).map_err(|source| AddError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    if !meta.is_file() {
        return Err(AddError::NotAFile {
            path: file.to_path_buf(),
        });
    }
    let relative = format!("{}/{name}", dir.trim_end_matches('/'));
    let target = root.join(&relative);
    let sha256 = sha256_file(file).map_err(|source| AddError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    match state(root, &relative) {
        FileState::Missing => {}
        FileState::Present { sha256: there } if there == sha256 => {
            return Ok(Copied {
                path: relative,
                sha256,
                written: false,
            })
        }
        FileState::NotAFile { what } => return Err(AddError::NotAPlace { path: target, what }),
        _ => return Err(AddError::Exists { path: target }),
    }
    let folder = target.parent().unwrap_or(root);
    std::fs::create_dir_all(folder).map_err(|source| AddError::Write {
        path: folder.to_path_buf(),
        source,
    })?;

    let write = |source| AddError::Write {
        path: target.clone(),
        source,
    };
    let mut input = std::fs::File::open(file).map_err(|source| AddError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    crate::output::create_atomically_with(&target, None, |copy| {
        std::io::copy(&mut input, copy)?;
        // The bytes written are the bytes hashed: hash the copy, not only the original.
        copy.seek(std::io::SeekFrom::Start(0))?;
        if sha256_of(copy)? != sha256 {
            return Err(std::io::Error::other(
                "the file changed while it was copied",
            ));
        }
        Ok(())
    })
    .map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            AddError::Exists {
                path: target.clone(),
            }
        } else {
            write(source)
        }
    })?;
    Ok(Copied {
        path: relative,
        sha256,
        written: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_sha256sum() {
        // `printf 'abc' | sha256sum`
        assert_eq!(
            sha256_bytes(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.txt");
        std::fs::write(&file, b"abc").expect("write");
        assert_eq!(sha256_file(&file).expect("hash"), sha256_bytes(b"abc"));
    }

    #[test]
    fn states_name_what_is_there() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("f"), b"x").expect("write");
        std::fs::create_dir(dir.path().join("d")).expect("mkdir");
        let files = EvidenceFiles::gather(dir.path(), ["f", "d", "gone", "f"].into_iter());
        assert_eq!(files.len(), 3);
        assert_eq!(
            files.get("f"),
            Some(&FileState::Present {
                sha256: sha256_bytes(b"x")
            })
        );
        assert_eq!(
            files.get("d"),
            Some(&FileState::NotAFile { what: "a folder" })
        );
        assert_eq!(files.get("gone"), Some(&FileState::Missing));
    }

    #[test]
    fn copies_never_replace_a_different_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let source = dir.path().join("scan.txt");
        std::fs::write(&source, b"clean").expect("write");
        let root = dir.path().join("repo");
        let first = copy_in(&root, "evidence/V-1", &source).expect("copied");
        assert_eq!(first.path, "evidence/V-1/scan.txt");
        assert!(first.written);
        let again = copy_in(&root, "evidence/V-1", &source).expect("same file again");
        assert!(!again.written);
        std::fs::write(&source, b"changed").expect("write");
        let err = copy_in(&root, "evidence/V-1", &source).expect_err("different file");
        assert!(matches!(err, AddError::Exists { .. }), "{err}");
        assert_eq!(
            std::fs::read(root.join("evidence/V-1/scan.txt")).expect("read"),
            b"clean"
        );
        assert!(evidence_name(Path::new(".hidden")).is_none());
        assert!(evidence_name(Path::new("a;b")).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_copy_gets_the_permissions_of_a_new_file_and_leaves_no_temporary_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let source = dir.path().join("scan.txt");
        std::fs::write(&source, b"clean").expect("write");
        std::fs::set_permissions(&source, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let root = dir.path().join("repo");
        copy_in(&root, "evidence/V-1", &source).expect("copied");
        let folder = root.join("evidence/V-1");
        // What any other new file in that folder gets (0o666 less the umask); a temporary
        // file's owner-only 0o600 kept the evidence from the rest of the team.
        std::fs::write(folder.join("other"), b"x").expect("write");
        let mode = |name: &str| {
            std::fs::metadata(folder.join(name))
                .expect("metadata")
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode("scan.txt"), mode("other"));
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["other", "scan.txt"]);
    }
}
