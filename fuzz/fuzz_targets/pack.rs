//! The pack reader on damaged packs: each input is a list of edits (a byte changed, or the
//! file cut short) to the pack or the index of a real repository (tests/fixtures/git/
//! objects.sh, packed with offset deltas or with deltas naming their base by id). Every
//! object and the whole history read with the pack reader must give an error or exactly what
//! libgit2 alone gives with hash verification: never a different answer.
#![no_main]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use poam::history::{self, WalkOptions};

/// A repository built once per process, and the bytes of its pack and index.
struct Base {
    git_dir: PathBuf,
    pack_name: String,
    pack: Vec<u8>,
    idx: Vec<u8>,
    ids: Vec<String>,
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

fn scratch() -> PathBuf {
    std::env::temp_dir().join(format!("poam-fuzz-pack-{}", std::process::id()))
}

fn base(offsets: bool) -> Base {
    let root = scratch().join(if offsets { "ofs" } else { "ref" });
    let _ = std::fs::remove_dir_all(&root);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/git/objects.sh");
    let status = Command::new("bash")
        .arg(&script)
        .arg(&root)
        .status()
        .expect("bash runs");
    assert!(status.success(), "fixture script failed");
    let setting = format!("repack.useDeltaBaseOffset={offsets}");
    git(&root, &["-c", &setting, "repack", "-adfq", "--depth=10"]);
    git(&root, &["prune-packed"]);
    let pack_dir = root.join(".git/objects/pack");
    let idx_path = std::fs::read_dir(&pack_dir)
        .expect("pack folder")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("an index");
    let ids = git(
        &root,
        &[
            "cat-file",
            "--batch-all-objects",
            "--batch-check=%(objectname)",
        ],
    )
    .lines()
    .map(str::to_owned)
    .collect();
    Base {
        git_dir: root.join(".git"),
        pack_name: idx_path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("pack name")
            .to_owned(),
        pack: std::fs::read(idx_path.with_extension("pack")).expect("pack"),
        idx: std::fs::read(&idx_path).expect("idx"),
        ids,
    }
}

fn bases() -> &'static [Base; 2] {
    static BASES: OnceLock<[Base; 2]> = OnceLock::new();
    BASES.get_or_init(|| [base(true), base(false)])
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

static RUN: AtomicUsize = AtomicUsize::new(0);

fuzz_target!(|data: &[u8]| {
    let Some((&choice, edits)) = data.split_first() else {
        return;
    };
    let base = &bases()[usize::from(choice & 1)];
    let (mut pack, mut idx) = (base.pack.clone(), base.idx.clone());
    mutate(&mut pack, &mut idx, edits);
    // A fresh path per input: libgit2 keeps packs it has open by path.
    let run = RUN.fetch_add(1, Ordering::Relaxed);
    let work = scratch().join(format!("run-{run}"));
    let git_dir = work.join(".git");
    copy_dir(&base.git_dir, &git_dir);
    let pack_dir = git_dir.join("objects/pack");
    for (extension, bytes) in [("pack", &pack), ("idx", &idx)] {
        // git writes packs read-only: replace the copy rather than write through it.
        let path = pack_dir.join(format!("{}.{extension}", base.pack_name));
        let _ = std::fs::remove_file(&path);
        std::fs::write(&path, bytes).expect("write");
    }
    let items = work.join("poams");
    if let Ok(mut repo) = history::open(&items) {
        repo.set_pack_reader(true);
        let ours = repo.full_history(WalkOptions::default());
        repo.set_pack_reader(false);
        let theirs = repo.full_history(WalkOptions::default());
        if let (Ok(ours), Ok(theirs)) = (&ours, &theirs) {
            assert!(ours == theirs, "the pack reader gives another history");
        }
        for id in &base.ids {
            repo.set_pack_reader(true);
            let ours = repo.read_object(id);
            repo.set_pack_reader(false);
            let theirs = repo.read_object(id);
            if let (Ok(ours), Ok(theirs)) = (&ours, &theirs) {
                assert!(
                    ours.is_none() || theirs.is_none() || ours == theirs,
                    "object {id} reads differently"
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
});
