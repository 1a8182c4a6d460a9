//! The `pack` check, shared by the fuzz target (fuzz/fuzz_targets/pack.rs) and its regression
//! test (tests/it/fuzz_regressions.rs). Each input is a list of edits (a byte changed, or the
//! file cut short) to the pack or the index of a real repository (tests/fixtures/git/
//! objects.sh, packed with offset deltas or with deltas naming their base by id). The answers
//! on the damaged repository are compared with those on the pristine one: an error, or the
//! same answer, never a different one.
//!
//! The first byte picks the repository (bit 0) and whether the damaged files are resealed
//! (bit 1). As damaged, poam must refuse the pack before anything reads it, or, should the
//! edits cancel out, give the pristine history and objects with the pack reader and with
//! libgit2 alone. Resealed (the pack's and the index's checksums written afresh, as only
//! someone writing to `.git` on purpose would), the files pass the checksum check and the pack
//! reader alone reads every object: each must be missing or exactly the pristine object.
//! libgit2 is not given resealed packs: it reads some of them out of bounds
//! (fuzz/known-crashes/README.md).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use poam::history::{self, History, WalkOptions};

/// The type and bytes of an object.
type Object = Option<(String, Vec<u8>)>;

/// A repository built once, the bytes of its pack and index, and its answers.
struct Base {
    git_dir: PathBuf,
    pack_name: String,
    pack: Vec<u8>,
    idx: Vec<u8>,
    ids: Vec<String>,
    history: History,
    objects: Vec<Object>,
}

/// The two repositories and a folder for the runs.
pub struct Checker {
    root: PathBuf,
    bases: [Base; 2],
    runs: AtomicUsize,
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(args)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("utf-8")
}

fn base(root: &Path, script: &Path, offsets: bool) -> Base {
    let repo = root.join(if offsets { "ofs" } else { "ref" });
    let _ = std::fs::remove_dir_all(&repo);
    let status = Command::new("bash")
        .arg(script)
        .arg(&repo)
        .status()
        .expect("bash runs");
    assert!(status.success(), "fixture script failed");
    let setting = format!("repack.useDeltaBaseOffset={offsets}");
    git(&repo, &["-c", &setting, "repack", "-adfq", "--depth=10"]);
    git(&repo, &["prune-packed"]);
    let pack_dir = repo.join(".git/objects/pack");
    let idx_path = std::fs::read_dir(&pack_dir)
        .expect("pack folder")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("an index");
    let ids: Vec<String> = git(
        &repo,
        &[
            "cat-file",
            "--batch-all-objects",
            "--batch-check=%(objectname)",
        ],
    )
    .lines()
    .map(str::to_owned)
    .collect();
    let mut opened = history::open(&repo.join("poams")).expect("the pristine repository opens");
    let history = opened
        .full_history(WalkOptions::default())
        .expect("pristine history");
    opened.set_pack_reader(false);
    assert!(
        opened.full_history(WalkOptions::default()).ok().as_ref() == Some(&history),
        "the readers agree on the pristine repository"
    );
    let objects: Vec<Object> = ids
        .iter()
        .map(|id| opened.read_object(id).expect("pristine object"))
        .collect();
    assert!(objects.iter().all(Option::is_some), "every object reads");
    Base {
        git_dir: repo.join(".git"),
        pack_name: idx_path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("pack name")
            .to_owned(),
        pack: std::fs::read(idx_path.with_extension("pack")).expect("pack"),
        idx: std::fs::read(&idx_path).expect("idx"),
        ids,
        history,
        objects,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Applies the input's edits: five bytes each, `[what, offset (u32 LE)]`. Bit 0 of `what`
/// picks the index over the pack; bit 1 cuts the file at the offset; otherwise the byte there
/// changes: one bit flipped when bit 2 is set (its number in bits 5-7), else xored with the
/// offset's last byte.
fn mutate(pack: &mut Vec<u8>, idx: &mut Vec<u8>, edits: &[u8]) {
    for edit in edits.chunks_exact(5) {
        let file = if edit[0] & 1 == 0 {
            &mut *pack
        } else {
            &mut *idx
        };
        if file.is_empty() {
            continue;
        }
        let at = u32::from_le_bytes([edit[1], edit[2], edit[3], edit[4]]) as usize % file.len();
        if edit[0] & 2 != 0 {
            file.truncate(at);
        } else {
            file[at] ^= if edit[0] & 4 != 0 {
                1 << (edit[0] >> 5)
            } else {
                edit[4] | 1
            };
        }
    }
}

fn sha1(bytes: &[u8]) -> [u8; 20] {
    use sha1::Digest;
    sha1::Sha1::digest(bytes).into()
}

/// Writes the checksums afresh: the pack's trailer, the index's record of it and the
/// index's own trailer (files too short to hold them are left as they are).
fn reseal(pack: &mut [u8], idx: &mut [u8]) {
    let Some(pack_body) = pack.len().checked_sub(20) else {
        return;
    };
    let trailer = sha1(&pack[..pack_body]);
    pack[pack_body..].copy_from_slice(&trailer);
    let Some(idx_body) = idx.len().checked_sub(40) else {
        return;
    };
    idx[idx_body..idx_body + 20].copy_from_slice(&trailer);
    let own = sha1(&idx[..idx_body + 20]);
    idx[idx_body + 20..].copy_from_slice(&own);
}

impl Checker {
    /// Builds the two repositories under `root` with the fixture script `script`.
    pub fn new(root: &Path, script: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            bases: [base(root, script, true), base(root, script, false)],
            runs: AtomicUsize::new(0),
        }
    }

    pub fn check(&self, data: &[u8]) {
        let Some((&choice, edits)) = data.split_first() else {
            return;
        };
        let base = &self.bases[usize::from(choice & 1)];
        let resealed = choice & 2 != 0;
        let (mut pack, mut idx) = (base.pack.clone(), base.idx.clone());
        mutate(&mut pack, &mut idx, edits);
        if resealed {
            reseal(&mut pack, &mut idx);
        }
        // A fresh path per input: libgit2 keeps packs it has open by path.
        let run = self.runs.fetch_add(1, Ordering::Relaxed);
        let work = self.root.join(format!("run-{run}"));
        let git_dir = work.join(".git");
        copy_dir(&base.git_dir, &git_dir);
        let pack_dir = git_dir.join("objects/pack");
        for (extension, bytes) in [("pack", &pack), ("idx", &idx)] {
            // git writes packs read-only: replace the copy rather than write through it.
            let path = pack_dir.join(format!("{}.{extension}", base.pack_name));
            let _ = std::fs::remove_file(&path);
            std::fs::write(&path, bytes).expect("write");
        }
        if resealed {
            let read = history::read_packed_objects(&git_dir, &base.ids);
            for ((id, ours), pristine) in base.ids.iter().zip(&read).zip(&base.objects) {
                assert!(
                    ours.is_none() || ours == pristine,
                    "object {id} reads differently from a resealed pack"
                );
            }
        } else if let Ok(mut repo) = history::open(&work.join("poams")) {
            for reader in [true, false] {
                repo.set_pack_reader(reader);
                if let Ok(history) = repo.full_history(WalkOptions::default()) {
                    assert!(
                        history == base.history,
                        "another history (pack reader {reader})"
                    );
                }
                for (id, pristine) in base.ids.iter().zip(&base.objects) {
                    if let Ok(Some(object)) = repo.read_object(id) {
                        assert!(
                            Some(&object) == pristine.as_ref(),
                            "object {id} reads differently (pack reader {reader})"
                        );
                    }
                }
            }
        }
        let _ = std::fs::remove_dir_all(&work);
    }
}
