//! Git objects are verified before poam builds an audit trail from them: a pack that does not
//! match its checksums is an error naming the file, and a damaged object (in a pack with fresh
//! checksums, or loose) an error naming the object (exit 2), never a different history; oversized
//! item versions are refused from their header; commit times poam cannot show are said.
//! Repositories come from tests/fixtures/git/objects.sh and are damaged here byte by byte.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{build_repo, poam};

fn git(repo: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .current_dir(repo)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Alice Example")
        .env("GIT_AUTHOR_EMAIL", "alice@example.com")
        .env("GIT_COMMITTER_NAME", "Alice Example")
        .env("GIT_COMMITTER_EMAIL", "alice@example.com")
        .env("GIT_AUTHOR_DATE", "2026-08-01T09:00:00+00:00")
        .env("GIT_COMMITTER_DATE", "2026-08-01T09:00:00+00:00")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .args(args)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("utf-8")
}

fn run(repo: &Path, args: &[&str], reader: &str) -> Output {
    poam()
        .current_dir(repo)
        .env("POAM_PACK_READER", reader)
        .args(args)
        .output()
        .expect("poam runs")
}

const LOG: &[&str] = &["log", "--format", "json", "--today", "2026-09-01"];
const LINT: &[&str] = &["lint", "--format", "json", "--today", "2026-09-01"];

/// One object of `git verify-pack -v`.
#[derive(Clone, Debug)]
struct Packed {
    id: String,
    kind: String,
    size: usize,
    offset: usize,
    /// The base of a delta.
    base: Option<String>,
}

fn pack_files(repo: &Path) -> (PathBuf, PathBuf) {
    let idx = std::fs::read_dir(repo.join(".git/objects/pack"))
        .expect("pack folder")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("a pack index");
    (idx.with_extension("pack"), idx)
}

fn listing(repo: &Path) -> Vec<Packed> {
    let (_, idx) = pack_files(repo);
    git(repo, &["verify-pack", "-v", idx.to_str().expect("utf-8")])
        .lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            (f.len() == 5 || f.len() == 7).then(|| Packed {
                id: f[0].to_owned(),
                kind: f[1].to_owned(),
                size: f[2].parse().expect("size"),
                offset: f[4].parse().expect("offset"),
                base: f.get(6).map(|s| (*s).to_owned()),
            })
        })
        .collect()
}

/// The blobs that are item versions (under poams/).
fn item_blobs(repo: &Path) -> Vec<String> {
    git(repo, &["rev-list", "--objects", "--all"])
        .lines()
        .filter(|line| line.contains(" poams/"))
        .map(|line| line[..40].to_owned())
        .collect()
}

/// A repository of four items, packed with offset deltas (git's default).
fn packed_repo() -> (tempfile::TempDir, PathBuf) {
    let (temp, repo) = build_repo("objects");
    git(&repo, &["repack", "-adfq", "--depth=10", "--window=10"]);
    (temp, repo)
}

/// Git's encoding of a delta's distance back to its base.
fn encode_offset(mut back: usize) -> Vec<u8> {
    let mut out = vec![(back & 0x7f) as u8];
    back >>= 7;
    while back > 0 {
        back -= 1;
        out.insert(0, 0x80 | (back & 0x7f) as u8);
        back >>= 7;
    }
    out
}

/// Writes the pack's checksums afresh after it was damaged (the pack's trailer, the index's
/// record of it, the index's own trailer), as someone damaging it on purpose would: the pack
/// then passes the checksum check, and only the check of each object's id is left to catch
/// the damage.
fn reseal(repo: &Path) {
    use sha1::Digest;
    let (pack, idx) = pack_files(repo);
    let mut pack_bytes = std::fs::read(&pack).expect("pack");
    let body = pack_bytes.len() - 20;
    let trailer: [u8; 20] = sha1::Sha1::digest(&pack_bytes[..body]).into();
    pack_bytes[body..].copy_from_slice(&trailer);
    let mut idx_bytes = std::fs::read(&idx).expect("idx");
    let at = idx_bytes.len() - 40;
    idx_bytes[at..at + 20].copy_from_slice(&trailer);
    let own: [u8; 20] = sha1::Sha1::digest(&idx_bytes[..at + 20]).into();
    idx_bytes[at + 20..].copy_from_slice(&own);
    for (path, bytes) in [(&pack, &pack_bytes), (&idx, &idx_bytes)] {
        std::fs::remove_file(path).expect("remove");
        std::fs::write(path, bytes).expect("write");
    }
}

fn assert_damaged(output: &Output, object: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        stderr.contains(object) && stderr.contains("git fsck"),
        "the error names {object} and suggests git fsck: {stderr}"
    );
}

/// The attack of the trail issue: one offset delta of an item version redirected to another
/// whole blob of the same size (two bytes changed, zlib untouched). The delta still applies,
/// so an unverified reader builds a different version of the item; `poam log` and `poam
/// lint` must fail, with both readers, naming the object.
#[test]
fn a_delta_redirected_to_another_base_is_an_error_not_another_history() {
    let (_temp, repo) = packed_repo();
    let intact = run(&repo, LOG, "on");
    assert!(intact.status.success(), "{intact:?}");
    let items = item_blobs(&repo);
    let objects = listing(&repo);
    let by_id = |id: &str| objects.iter().find(|o| o.id == id);
    let (pack, _) = pack_files(&repo);
    let mut bytes = std::fs::read(&pack).expect("pack");
    // A delta of an item version whose base is a whole blob, and another whole blob of the
    // base's size whose distance back encodes in as many bytes.
    let attack = objects
        .iter()
        .filter(|d| d.kind == "blob" && items.contains(&d.id))
        .find_map(|delta| {
            let base = by_id(delta.base.as_deref()?)?;
            if base.base.is_some() {
                return None;
            }
            let old = encode_offset(delta.offset - base.offset);
            objects
                .iter()
                .filter(|c| {
                    c.kind == "blob"
                        && c.base.is_none()
                        && c.id != base.id
                        && c.size == base.size
                        && c.offset < delta.offset
                })
                .find_map(|other| {
                    let new = encode_offset(delta.offset - other.offset);
                    (new.len() == old.len()).then(|| (delta.clone(), old.clone(), new))
                })
        });
    let (delta, old, new) = attack.expect("a delta to redirect");
    // The entry header: type and size (continuation bit), then the distance back.
    let mut at = delta.offset;
    while bytes[at] & 0x80 != 0 {
        at += 1;
    }
    at += 1;
    assert_eq!(&bytes[at..at + old.len()], &old[..]);
    bytes[at..at + new.len()].copy_from_slice(&new);
    let pack_mode = std::fs::metadata(&pack).expect("meta").permissions();
    let mut writable = pack_mode.clone();
    #[allow(clippy::permissions_set_readonly_false)]
    writable.set_readonly(false);
    std::fs::set_permissions(&pack, writable).expect("chmod");
    std::fs::write(&pack, &bytes).expect("write pack");
    // As damaged, the pack no longer matches its checksum: refused before any object is read.
    for reader in ["on", "off"] {
        assert_damaged(&run(&repo, LOG, reader), &pack.display().to_string());
    }
    reseal(&repo);
    // git agrees the pack is damaged.
    let fsck = std::process::Command::new("git")
        .current_dir(&repo)
        .args(["fsck", "--full"])
        .output()
        .expect("git fsck");
    assert!(!fsck.status.success(), "git fsck finds the damage");
    for reader in ["on", "off"] {
        assert_damaged(&run(&repo, LOG, reader), &delta.id);
        assert_damaged(&run(&repo, LINT, reader), &delta.id);
    }
}

/// Inflates a zlib stream that starts at the beginning of `data`.
fn inflate(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .read_to_end(&mut out)
        .expect("inflates");
    out
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).expect("deflate");
    encoder.finish().expect("deflate")
}

/// One bit flipped in a whole item blob inside the pack, recompressed in place so zlib has
/// nothing to complain about: the pack reader's own path.
#[test]
fn a_bit_flipped_in_a_packed_item_version_is_an_error() {
    let (_temp, repo) = packed_repo();
    let items = item_blobs(&repo);
    let (pack, _) = pack_files(&repo);
    let mut bytes = std::fs::read(&pack).expect("pack");
    let objects = listing(&repo);
    let mut flipped = None;
    'objects: for object in objects
        .iter()
        .filter(|o| o.kind == "blob" && o.base.is_none() && items.contains(&o.id))
    {
        let mut data_at = object.offset;
        while bytes[data_at] & 0x80 != 0 {
            data_at += 1;
        }
        data_at += 1;
        let original = inflate(&bytes[data_at..]);
        let stored = deflate(&original).len();
        let room = objects
            .iter()
            .map(|o| o.offset)
            .filter(|&o| o > object.offset)
            .min()
            .unwrap_or(bytes.len() - 20)
            - data_at;
        // A flipped bit in a value (a digit of the due date, say), compressed no larger.
        for at in (0..original.len()).rev() {
            let mut changed = original.clone();
            changed[at] ^= 0x01;
            let compressed = deflate(&changed);
            if compressed.len() <= room && stored <= room {
                bytes[data_at..data_at + compressed.len()].copy_from_slice(&compressed);
                flipped = Some(object.id.clone());
                break 'objects;
            }
        }
    }
    let object = flipped.expect("a blob to damage");
    let mut writable = std::fs::metadata(&pack).expect("meta").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    writable.set_readonly(false);
    std::fs::set_permissions(&pack, writable).expect("chmod");
    std::fs::write(&pack, &bytes).expect("write pack");
    reseal(&repo);
    for reader in ["on", "off"] {
        assert_damaged(&run(&repo, LOG, reader), &object);
    }
}

/// A pack damaged anywhere (a bit of an entry header, of compressed data, of its checksum; its
/// index; a pack or index cut short) is refused before libgit2 or the pack reader reads an
/// object from it, naming the file, with both readers: libgit2 reads some damaged packs out of
/// bounds (fuzz/known-crashes/README.md).
#[test]
fn a_pack_that_does_not_match_its_checksum_is_refused_naming_the_file() {
    let (_temp, repo) = packed_repo();
    let (pack, idx) = pack_files(&repo);
    let (pack_bytes, idx_bytes) = (
        std::fs::read(&pack).expect("pack"),
        std::fs::read(&idx).expect("idx"),
    );
    let replace = |path: &Path, bytes: &[u8]| {
        std::fs::remove_file(path).expect("remove");
        std::fs::write(path, bytes).expect("write");
    };
    let flipped = |bytes: &[u8], at: usize| {
        let mut bytes = bytes.to_vec();
        bytes[at] ^= 0x04;
        bytes
    };
    let damages: Vec<(&PathBuf, Vec<u8>)> = vec![
        (&pack, flipped(&pack_bytes, 12)),
        (&pack, flipped(&pack_bytes, pack_bytes.len() / 2)),
        (&pack, flipped(&pack_bytes, pack_bytes.len() - 1)),
        (&pack, pack_bytes[..pack_bytes.len() - 100].to_vec()),
        (&idx, flipped(&idx_bytes, 8 + 255 * 4)),
        (&idx, idx_bytes[..idx_bytes.len() / 2].to_vec()),
    ];
    for (path, bytes) in damages {
        replace(path, &bytes);
        for reader in ["on", "off"] {
            let log = run(&repo, LOG, reader);
            assert_damaged(&log, &path.display().to_string());
            let stderr = String::from_utf8_lossy(&log.stderr);
            assert!(stderr.contains("git pack file"), "{stderr}");
            assert_damaged(&run(&repo, LINT, reader), &path.display().to_string());
        }
        replace(&pack, &pack_bytes);
        replace(&idx, &idx_bytes);
    }
    assert!(run(&repo, LOG, "on").status.success());
}

/// The same in a loose object, which libgit2 reads.
#[test]
fn a_bit_flipped_in_a_loose_item_version_is_an_error() {
    let (_temp, repo) = build_repo("objects");
    let blob = git(&repo, &["rev-parse", "HEAD~3:poams/V-1.yaml"]);
    let blob = blob.trim();
    let path = repo.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    let mut object = inflate(&std::fs::read(&path).expect("loose object"));
    let at = object.len() - 10;
    object[at] ^= 0x01;
    let mut writable = std::fs::metadata(&path).expect("meta").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    writable.set_readonly(false);
    std::fs::set_permissions(&path, writable).expect("chmod");
    std::fs::write(&path, deflate(&object)).expect("write object");
    assert_damaged(&run(&repo, LOG, "on"), blob);
    assert_damaged(&run(&repo, LINT, "on"), blob);
}

/// `POAM_PACK_READER=off` leaves every object to libgit2, with the same answer.
#[test]
fn the_pack_reader_can_be_switched_off_with_the_same_history() {
    let (_temp, repo) = packed_repo();
    let on = run(&repo, LOG, "on");
    let off = run(&repo, LOG, "off");
    assert!(
        on.status.success() && off.status.success(),
        "{on:?} {off:?}"
    );
    assert!(on.stdout == off.stdout, "the two readers disagree");
    assert!(String::from_utf8_lossy(&on.stdout).contains("V-4"));
}

/// An item version over the size limit is a parse error of that version, decided from the
/// object's header: it is not inflated, from a pack or from a loose object.
#[test]
fn an_oversized_item_version_is_refused_without_being_read() {
    let (_temp, repo) = build_repo("objects");
    let limit = poam::parse::MAX_FILE_BYTES;
    let path = repo.join("poams/V-1.yaml");
    let original = std::fs::read_to_string(&path).expect("item");
    let mut big = original.clone();
    big.push_str("comments: |\n");
    while big.len() <= limit {
        big.push_str("  padding line of a file committed by mistake\n");
    }
    std::fs::write(&path, &big).expect("write");
    git(&repo, &["commit", "-qam", "V-1: a huge version"]);
    std::fs::write(&path, &original).expect("write");
    git(&repo, &["commit", "-qam", "V-1: back to normal"]);
    let expected = format!(
        "file is {} bytes; items may be at most {limit} bytes (this version was not read)",
        big.len()
    );
    for packed in [false, true] {
        if packed {
            git(&repo, &["repack", "-adfq"]);
        }
        for reader in ["on", "off"] {
            let output = run(&repo, LOG, reader);
            assert!(output.status.success(), "{output:?}");
            let log = String::from_utf8_lossy(&output.stdout);
            assert!(
                log.contains(&expected),
                "packed {packed}, reader {reader}: {log}"
            );
        }
    }
}

/// A committer time outside chrono's dates shows as 1970-01-01, and the log says so.
#[test]
fn a_commit_time_poam_cannot_show_is_warned_about() {
    let (_temp, repo) = build_repo("objects");
    let path = repo.join("poams/V-2.yaml");
    let text = std::fs::read_to_string(&path).expect("item");
    std::fs::write(&path, text.replace("risk: moderate", "risk: low")).expect("write");
    git(&repo, &["add", "-A"]);
    let tree = git(&repo, &["write-tree"]);
    let parent = git(&repo, &["rev-parse", "HEAD"]);
    let commit = format!(
        "tree {}\nparent {}\nauthor Alice Example <alice@example.com> 1785000000 +0000\n\
         committer Alice Example <alice@example.com> 99999999999999999 +0000\n\n\
         V-2: lower the risk, in the far future\n",
        tree.trim(),
        parent.trim()
    );
    let file = repo.join("commit.txt");
    std::fs::write(&file, commit).expect("write");
    let id = git(
        &repo,
        &[
            "hash-object",
            "-t",
            "commit",
            "-w",
            "--literally",
            "commit.txt",
        ],
    );
    std::fs::remove_file(&file).expect("remove");
    git(&repo, &["update-ref", "refs/heads/main", id.trim()]);
    let output = run(&repo, &["log", "V-2", "--today", "2026-09-01"], "on");
    assert!(output.status.success(), "{output:?}");
    let log = String::from_utf8_lossy(&output.stdout);
    let warning = format!(
        "warning: commit {} records a committer time `99999999999999999 +0000` that is missing \
         or outside the dates poam can show: its changes are dated 1970-01-01",
        id.trim()
    );
    assert!(log.contains(&warning), "{log}");
    assert!(log.contains("1970-01-01"), "{log}");
    let json = run(&repo, LOG, "on");
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(json["warnings"].as_array().map(Vec::len), Some(1), "{json}");
}

/// libgit2 cannot open SHA-256 repositories: the error says so plainly.
#[test]
fn a_sha256_repository_is_refused_by_name() {
    let temp = tempfile::tempdir().expect("temp dir");
    let repo = temp.path();
    git(repo, &["init", "-q", "--object-format=sha256"]);
    std::fs::write(repo.join("poam.yaml"), "items: poams\n").expect("write");
    std::fs::create_dir(repo.join("poams")).expect("mkdir");
    std::fs::write(
        repo.join("poams/V-1.yaml"),
        crate::common::valid_item("V-1"),
    )
    .expect("write");
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "one"]);
    let output = run(repo, LOG, "on");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the repository uses SHA-256 object ids; poam reads SHA-1 repositories"),
        "{stderr}"
    );
}
