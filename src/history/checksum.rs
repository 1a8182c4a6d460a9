//! Pack files are checked whole, against the checksums git wrote into them, before anything
//! reads an object.
//!
//! git ends every pack, pack index and multi-pack index with the SHA-1 of everything before
//! it, and an index also records the checksum of its pack. [`verify_packs`] checks all of them,
//! for the repository's object folder and its alternates, when [`super::open`] opens a
//! repository: before libgit2 or the pack reader reads an object. libgit2 reads a pack's
//! entries without checking the pack, and on some damaged packs it reads out of bounds (the
//! `pack` fuzz target found a SEGV in `packfile_unpack_header1` within seconds, see
//! `fuzz/known-crashes/README.md`): a damaged pack must not reach it. A mismatch is
//! [`HistoryError::DamagedPack`], naming the file, exit 2.
//!
//! This check is the first of two. It stops damage from the disk, a truncated copy or a byte
//! changed by hand; it cannot stop a pack rewritten with fresh checksums, which only someone
//! writing to `.git` on purpose makes. Against that the id of every object read is still
//! verified (`pack.rs`, and libgit2's strict hash verification), so the answer is never wrong
//! either way.
//!
//! Why the whole file, every run: the cheaper schemes are not sound. Remembering a verified
//! pack by name, size and modification time trusts what anyone who can write the file can set;
//! the pack's name (the checksum itself, in current git) says what the file claims, not what it
//! holds; checking only the objects poam reads leaves libgit2 reading unchecked entries (HEAD's
//! commit, the merge base and PR commits in PR mode, everything with `POAM_PACK_READER=off`).
//! What it costs, measured on 2026-12-06 (`bench/history.py --baseline`, interleaved, release
//! builds, 10,000 items, a 10.6 MB pack and index; docs/security.md, "Verified history"): within the
//! noise of two runs (`log` 1.18x and 0.87x, `lint --base` 0.94x and 1.08x); one SHA-1 pass
//! over those 10.6 MB takes about 14 ms here, some 2 % of `log` and 4 % of PR mode. It grows
//! with the packs' size; the packs are hashed in parallel.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha1::{Digest, Sha1};

use super::HistoryError;

/// Length of a SHA-1 checksum.
const CHECKSUM: usize = 20;
/// How deep alternates may name further alternates (git's and libgit2's limit).
const ALTERNATES_DEPTH: usize = 5;

/// Checks every pack, pack index and multi-pack index that reading the repository whose
/// common git folder is `git_dir` may touch. `Ok` when each matches its checksums.
pub(crate) fn verify_packs(git_dir: &Path) -> Result<(), HistoryError> {
    let mut files = Vec::new();
    for folder in object_folders(&git_dir.join("objects")) {
        files.extend(checked_files(&folder.join("pack")));
    }
    // The first damaged file in order, whichever thread finds it first.
    let results: Vec<Result<(), HistoryError>> = files.par_iter().map(verify).collect();
    results.into_iter().collect()
}

/// A file to check: a pack index with its pack, or a multi-pack index.
enum Checked {
    Index { idx: PathBuf, pack: PathBuf },
    MultiPackIndex(PathBuf),
}

/// The files of one `objects/pack` folder libgit2 reads: each `.idx` (its `.pack` with it),
/// and the `multi-pack-index`. A pack without an index is never read.
fn checked_files(pack_folder: &Path) -> Vec<Checked> {
    let mut idx_files: Vec<PathBuf> = std::fs::read_dir(pack_folder)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "idx"))
        .collect();
    idx_files.sort();
    let mut files: Vec<Checked> = idx_files
        .into_iter()
        .map(|idx| Checked::Index {
            pack: idx.with_extension("pack"),
            idx,
        })
        .collect();
    let midx = pack_folder.join("multi-pack-index");
    if midx.is_file() {
        files.push(Checked::MultiPackIndex(midx));
    }
    files
}

/// The object folder and those its alternates name, each once, as libgit2 follows them:
/// relative paths from the folder naming them, at most [`ALTERNATES_DEPTH`] deep.
fn object_folders(objects: &Path) -> Vec<PathBuf> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut pending = vec![(objects.to_path_buf(), 0)];
    while let Some((folder, depth)) = pending.pop() {
        let key = std::fs::canonicalize(&folder).unwrap_or_else(|_| folder.clone());
        if !seen.insert(key.clone()) {
            continue;
        }
        // An alternate by its plain path in messages, not `objects/../../..`.
        let folder = if depth == 0 { folder } else { key };
        if depth < ALTERNATES_DEPTH {
            let listed = std::fs::read_to_string(folder.join("info").join("alternates"));
            for line in listed.unwrap_or_default().lines().rev() {
                let line = line.trim_end();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                pending.push((folder.join(line), depth + 1));
            }
        }
        out.push(folder);
    }
    out
}

fn verify(file: &Checked) -> Result<(), HistoryError> {
    match file {
        Checked::Index { idx, pack } => {
            let index = std::fs::read(idx).map_err(|e| unreadable(idx, &e))?;
            let recorded_pack = self_checked(idx, &index)?;
            let trailer = if pack.exists() {
                hash_file(pack)?
            } else {
                // libgit2 skips an index whose pack is gone.
                return Ok(());
            };
            if trailer != recorded_pack {
                return Err(damaged(
                    idx,
                    "it records another checksum for its pack than the pack ends with (the two \
                     files do not belong together)",
                ));
            }
            Ok(())
        }
        Checked::MultiPackIndex(midx) => {
            let bytes = std::fs::read(midx).map_err(|e| unreadable(midx, &e))?;
            self_checked(midx, &bytes).map(|_| ())
        }
    }
}

/// Checks that `bytes` end with the SHA-1 of what comes before; returns the 20 bytes before
/// that (an index's record of its pack's checksum; unused for a multi-pack index).
fn self_checked(path: &Path, bytes: &[u8]) -> Result<[u8; CHECKSUM], HistoryError> {
    let Some(body_len) = bytes.len().checked_sub(CHECKSUM) else {
        return Err(damaged(path, "it is shorter than its checksum"));
    };
    let (body, trailer) = bytes.split_at(body_len);
    if Sha1::digest(body).as_slice() != trailer {
        return Err(mismatch(path));
    }
    let mut recorded = [0u8; CHECKSUM];
    if let Some(before) = body_len.checked_sub(CHECKSUM) {
        recorded.copy_from_slice(&body[before..]);
    }
    Ok(recorded)
}

/// Hashes a pack without holding it in memory; returns its trailer once it matches.
fn hash_file(path: &Path) -> Result<[u8; CHECKSUM], HistoryError> {
    let mut file = File::open(path).map_err(|e| unreadable(path, &e))?;
    let len = file.metadata().map_err(|e| unreadable(path, &e))?.len();
    let Some(body_len) = len.checked_sub(CHECKSUM as u64) else {
        return Err(damaged(path, "it is shorter than its checksum"));
    };
    let mut hasher = Sha1::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut left = body_len;
    while left > 0 {
        let want = usize::try_from(left.min(buffer.len() as u64)).unwrap_or(buffer.len());
        file.read_exact(&mut buffer[..want])
            .map_err(|e| unreadable(path, &e))?;
        hasher.update(&buffer[..want]);
        left -= want as u64;
    }
    let mut trailer = [0u8; CHECKSUM];
    file.seek(SeekFrom::Start(body_len))
        .and_then(|_| file.read_exact(&mut trailer))
        .map_err(|e| unreadable(path, &e))?;
    if hasher.finalize().as_slice() != trailer {
        return Err(mismatch(path));
    }
    Ok(trailer)
}

fn mismatch(path: &Path) -> HistoryError {
    damaged(
        path,
        "its content does not match the SHA-1 checksum at its end",
    )
}

fn damaged(path: &Path, detail: &str) -> HistoryError {
    HistoryError::DamagedPack {
        path: path.to_path_buf(),
        detail: detail.to_owned(),
    }
}

fn unreadable(path: &Path, err: &std::io::Error) -> HistoryError {
    damaged(path, &format!("it cannot be read ({err})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(repo: &Path, args: &[&str]) -> String {
        let output = std::process::Command::new("git")
            .current_dir(repo)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Alice")
            .env("GIT_AUTHOR_EMAIL", "alice@example.com")
            .env("GIT_COMMITTER_NAME", "Alice")
            .env("GIT_COMMITTER_EMAIL", "alice@example.com")
            .args(args)
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {output:?}");
        String::from_utf8(output.stdout).expect("utf-8")
    }

    /// A packed repository with one commit of `name`.
    fn packed(root: &Path, name: &str) -> PathBuf {
        let repo = root.join(name);
        std::fs::create_dir_all(&repo).expect("mkdir");
        git(&repo, &["init", "-q"]);
        std::fs::write(repo.join(format!("{name}.txt")), "some text\n".repeat(50)).expect("write");
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-qm", name]);
        git(&repo, &["repack", "-adq"]);
        repo
    }

    fn pack_file(repo: &Path, extension: &str) -> PathBuf {
        std::fs::read_dir(repo.join(".git/objects/pack"))
            .expect("pack folder")
            .map(|e| e.expect("entry").path())
            .find(|p| p.extension().is_some_and(|e| e == extension))
            .expect("pack file")
    }

    /// Replaces a read-only file git wrote.
    fn rewrite(path: &Path, bytes: &[u8]) {
        std::fs::remove_file(path).expect("remove");
        std::fs::write(path, bytes).expect("write");
    }

    fn damaged_file(result: Result<(), HistoryError>) -> PathBuf {
        match result {
            Err(HistoryError::DamagedPack { path, .. }) => path,
            other => panic!("expected a damaged pack, got {other:?}"),
        }
    }

    #[test]
    fn intact_packs_pass_and_every_damage_names_its_file() {
        let temp = tempfile::tempdir().expect("temp dir");
        let repo = packed(temp.path(), "one");
        let git_dir = repo.join(".git");
        verify_packs(&git_dir).expect("an intact pack verifies");
        let (pack, idx) = (pack_file(&repo, "pack"), pack_file(&repo, "idx"));
        let (pack_bytes, idx_bytes) = (
            std::fs::read(&pack).expect("pack"),
            std::fs::read(&idx).expect("idx"),
        );
        // A bit anywhere in the pack, its trailer included; a pack cut short.
        for at in [0, 12, pack_bytes.len() / 2, pack_bytes.len() - 1] {
            let mut bytes = pack_bytes.clone();
            bytes[at] ^= 0x10;
            rewrite(&pack, &bytes);
            assert_eq!(damaged_file(verify_packs(&git_dir)), pack, "bit at {at}");
        }
        for len in [0, 19, pack_bytes.len() - 1] {
            rewrite(&pack, &pack_bytes[..len]);
            assert_eq!(damaged_file(verify_packs(&git_dir)), pack, "cut at {len}");
        }
        rewrite(&pack, &pack_bytes);
        // The same for its index.
        for at in [0, 8, idx_bytes.len() - 30, idx_bytes.len() - 1] {
            let mut bytes = idx_bytes.clone();
            bytes[at] ^= 0x01;
            rewrite(&idx, &bytes);
            assert_eq!(damaged_file(verify_packs(&git_dir)), idx, "bit at {at}");
        }
        rewrite(&idx, &idx_bytes);
        verify_packs(&git_dir).expect("restored");
    }

    /// An index and pack that each match their own checksum but not each other (another
    /// pack's index under this name).
    #[test]
    fn an_index_of_another_pack_is_refused() {
        let temp = tempfile::tempdir().expect("temp dir");
        let one = packed(temp.path(), "one");
        let two = packed(temp.path(), "two");
        let idx = pack_file(&one, "idx");
        rewrite(&idx, &std::fs::read(pack_file(&two, "idx")).expect("idx"));
        let error = verify_packs(&one.join(".git")).expect_err("refused");
        assert!(
            error.to_string().contains("do not belong together")
                && error.to_string().contains("git fsck"),
            "{error}"
        );
    }

    /// An alternate's packs are read by libgit2 too: they are checked the same way.
    #[test]
    fn packs_of_alternates_are_checked() {
        let temp = tempfile::tempdir().expect("temp dir");
        let one = packed(temp.path(), "one");
        let two = packed(temp.path(), "two");
        let alternates = one.join(".git/objects/info/alternates");
        std::fs::write(&alternates, "# shared objects\n../../../two/.git/objects\n")
            .expect("write");
        verify_packs(&one.join(".git")).expect("both intact");
        let pack = pack_file(&two, "pack");
        let mut bytes = std::fs::read(&pack).expect("pack");
        bytes[20] ^= 0x01;
        rewrite(&pack, &bytes);
        assert_eq!(damaged_file(verify_packs(&one.join(".git"))), pack);
    }

    #[test]
    fn a_damaged_multi_pack_index_is_refused() {
        let temp = tempfile::tempdir().expect("temp dir");
        let repo = packed(temp.path(), "one");
        git(&repo, &["multi-pack-index", "write"]);
        let midx = repo.join(".git/objects/pack/multi-pack-index");
        verify_packs(&repo.join(".git")).expect("intact");
        let mut bytes = std::fs::read(&midx).expect("midx");
        bytes[10] ^= 0x01;
        rewrite(&midx, &bytes);
        assert_eq!(damaged_file(verify_packs(&repo.join(".git"))), midx);
    }
}
