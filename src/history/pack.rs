//! Objects read straight from the repository's pack files.
//!
//! A history walk reads the same large trees, each a delta of another, thousands of times.
//! libgit2's pack reader caches only the bases it passes on the way to an object, copies a
//! cached base out before using it, and empties its whole 16 MB base cache whenever it is
//! full: on a 10,000-item folder (a 400 KB tree) it rebuilt about three trees per commit and
//! inflated a chain's full base again after every flush. This reader keeps every object it
//! builds, bases and results alike, in a least-recently-used cache of its own and hands out
//! shared buffers.
//!
//! It reads version 2 pack indexes of SHA-1 repositories. An object it cannot find (a loose
//! object, an alternate's) or cannot read (a base in another pack, a damaged entry) is left to
//! libgit2, which reads everything and reports damage in its own words.
//!
//! Every object handed out has been hashed and found to be the id asked for (SHA-1 of
//! `<type> <size>\0` and the content; the `sha1` crate, SHA-NI where the CPU has it), once per
//! cached build: a delta applied to the wrong base, or damage zlib does not see, never becomes
//! an answer. A mismatch is left to libgit2, whose strict verification turns it into an error.
//! Before that, the pack and its index were checked whole against their checksums when the
//! repository was opened (`checksum.rs`); the per-object check is what stands should someone
//! rewrite a pack with fresh checksums, and the `pack` fuzz target gives such packs to this
//! reader alone. `POAM_PACK_READER=off` turns this reader off (libgit2 reads everything, also
//! verified, after the same checksum check).
//!
//! What it costs and why this reader stays (2026-12-06, `bench/history.py --baseline`, 10,000
//! items, 4,000 commits of which 1,383 change items, a shared machine at load 24): `poam log`
//! 3.17 s verified against 2.86 s unverified (1.11x); with `POAM_PACK_READER=off` (libgit2,
//! collision-detecting SHA-1) 9.97 s. gitoxide was tried in a scratch crate reading the same
//! 21,399 objects (1.06 GB) in the walk's order: `gix` 0.91 (`max-performance`, its default
//! pack cache) 13.9 s unverified and 19.8 s with `Data::verify_checksum`, libgit2 3.1 s and
//! 22.8 s, against 3.2 s for poam's whole walk. So gix is not as fast here, and this reader is
//! kept.
//!
//! Plan for moving to gix, when it pays:
//! 1. Measure again with a larger delta-base cache (`Repository::object_cache_size` and a
//!    memory-capped pack cache); its default rebuilds the 400 KB items trees much as
//!    libgit2's did. Keep the check of every id (gix hashes with collision detection, `sha1dc`,
//!    which costs about as much as libgit2's; a plain SHA-1 on top of `try_find` is possible).
//! 2. Its costs today: it needs Rust 1.95 (poam builds with 1.89) and 142 crates (45 `gix-*`)
//!    for object reading alone, on top of git2, which `pr.rs` needs for merge bases and
//!    revision walks until those move too.
//! 3. When gix with verification is within 5 % of this reader on `bench/history.py` at 10,000
//!    items, replace `PackReader` in `raw::Objects` with a thread-local gix handle, keep
//!    `raw.rs`'s tree and commit parsing, run the `pack` fuzz target against both, then delete
//!    this file.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::{Decompress, FlushDecompress, Status};
use git2::{ObjectType, Oid};

const INDEX_MAGIC: &[u8; 4] = b"\xfftOc";
const INDEX_HEADER: usize = 8;
const FANOUT: usize = 256 * 4;
const OID_BYTES: usize = 20;
/// Pack entry types (git's `OBJ_*`).
const OFS_DELTA: u8 = 6;
const REF_DELTA: u8 = 7;
/// Memory the cache of built objects may hold, per reader: a walk reads its trees in history
/// order, so a delta chain (at most 50 long by default) is built once and then read down.
const CACHE_BYTES: usize = 32 << 20;
/// Objects larger than this are left to libgit2 (item files and trees are far smaller).
const LARGEST_INFLATED: usize = 1 << 30;
/// Objects larger than this are not cached: one would push out everything else.
const LARGEST_CACHED: usize = 16 << 20;

/// Why a packed object could not be read here (libgit2 then reads it).
#[derive(Debug)]
pub(crate) struct Unreadable;

/// The index of one pack: which objects it holds and where.
struct PackIndex {
    pack: PathBuf,
    /// The whole `.idx` file (version 2).
    index: Vec<u8>,
    count: usize,
}

impl PackIndex {
    fn load(idx: &Path) -> Option<Self> {
        let index = std::fs::read(idx).ok()?;
        if index.len() < INDEX_HEADER + FANOUT || &index[..4] != INDEX_MAGIC {
            return None;
        }
        if u32::from_be_bytes(index[4..8].try_into().ok()?) != 2 {
            return None;
        }
        let count = be32(&index, INDEX_HEADER + 255 * 4)? as usize;
        // Names, checksums and 32-bit offsets, then the pack's and the index's own checksums.
        let minimum = INDEX_HEADER + FANOUT + count * (OID_BYTES + 8) + 2 * OID_BYTES;
        if index.len() < minimum {
            return None;
        }
        Some(Self {
            pack: idx.with_extension("pack"),
            index,
            count,
        })
    }

    fn names_at(&self) -> usize {
        INDEX_HEADER + FANOUT
    }

    /// The pack offset of `id`, when this pack holds it.
    fn find(&self, id: &[u8]) -> Option<u64> {
        let first = *id.first()? as usize;
        let low = match first {
            0 => 0,
            _ => be32(&self.index, INDEX_HEADER + (first - 1) * 4)? as usize,
        };
        let high = (be32(&self.index, INDEX_HEADER + first * 4)? as usize).min(self.count);
        let names = self.names_at();
        let (mut low, mut high) = (low, high);
        while low < high {
            let middle = low + (high - low) / 2;
            let at = names + middle * OID_BYTES;
            match self.index.get(at..at + OID_BYTES)?.cmp(id) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return self.offset(middle),
            }
        }
        None
    }

    fn offset(&self, position: usize) -> Option<u64> {
        let offsets = self.names_at() + self.count * (OID_BYTES + 4);
        let small = be32(&self.index, offsets + position * 4)?;
        if small & 0x8000_0000 == 0 {
            return Some(u64::from(small));
        }
        let large = offsets + self.count * 4 + (small & 0x7fff_ffff) as usize * 8;
        let bytes = self.index.get(large..large + 8)?;
        Some(u64::from_be_bytes(bytes.try_into().ok()?))
    }
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The indexes of every pack of a repository, loaded once and shared by the walk's threads.
pub(crate) struct Packs {
    indexes: Vec<PackIndex>,
}

impl Packs {
    /// The packs in `objects/pack` of the repository whose common git folder is `git_dir`.
    /// A pack whose index cannot be read is skipped: libgit2 reads its objects.
    pub fn load(git_dir: &Path) -> Arc<Self> {
        let folder = git_dir.join("objects").join("pack");
        let mut idx_files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|e| e == "idx"))
            .collect();
        // Newest packs first would suit fetches better, but any order finds every object;
        // sorting keeps the reads the same from run to run.
        idx_files.sort();
        let indexes = idx_files
            .iter()
            .filter_map(|idx| PackIndex::load(idx))
            .filter(|index| index.pack.is_file())
            .collect();
        Arc::new(Self { indexes })
    }

    /// No packs: every object is libgit2's to read.
    pub fn empty() -> Arc<Self> {
        Arc::new(Self {
            indexes: Vec::new(),
        })
    }
}

/// An object as the cache holds it.
#[derive(Clone)]
pub(crate) struct Packed {
    pub kind: ObjectType,
    /// A `Vec` behind the `Arc`: making an `Arc<[u8]>` from one copies it.
    pub data: Arc<Vec<u8>>,
}

/// Reads packed objects for one thread: its own file handles, inflater and cache.
pub(crate) struct PackReader {
    packs: Arc<Packs>,
    source: ReadAhead,
    inflater: Decompress,
    cache: Cache,
    hasher: Hasher,
}

/// Bytes read ahead from the packs. A walk reads commits, root trees, items trees and item
/// files, each kind from a region of its own in a pack and mostly in the order the pack keeps
/// them, and most objects are a few hundred bytes: a few windows read ahead serve many reads
/// each, where a read per object (libgit2 maps the packs into memory, which would need
/// `unsafe` here) cost more than the inflating.
struct ReadAhead {
    files: Vec<Option<File>>,
    windows: Vec<Window>,
    clock: u64,
}

/// Bytes of one pack from `start`, last used at `used` (a tick of [`ReadAhead::clock`]).
struct Window {
    pack: usize,
    start: u64,
    data: Vec<u8>,
    used: u64,
}

impl Window {
    fn covers(&self, pack: usize, at: u64, len: usize) -> bool {
        self.pack == pack
            && at >= self.start
            && at + len as u64 <= self.start + self.data.len() as u64
    }
}

/// How much a window reads at least, and how many are kept.
const WINDOW: usize = 16 << 10;
const WINDOWS: usize = 8;

impl ReadAhead {
    fn new(packs: &Packs) -> Self {
        Self {
            files: packs.indexes.iter().map(|_| None).collect(),
            windows: Vec::with_capacity(WINDOWS),
            clock: 0,
        }
    }

    /// Up to `len` bytes of `pack` from `at` (fewer at the end of the file).
    fn bytes(
        &mut self,
        packs: &Packs,
        pack: usize,
        at: u64,
        len: usize,
    ) -> Result<&[u8], Unreadable> {
        self.clock += 1;
        let index = match self.windows.iter().position(|w| w.covers(pack, at, len)) {
            Some(index) => index,
            None => {
                let slot = self.files.get_mut(pack).ok_or(Unreadable)?;
                if slot.is_none() {
                    let path = &packs.indexes.get(pack).ok_or(Unreadable)?.pack;
                    *slot = Some(File::open(path).map_err(|_| Unreadable)?);
                }
                let file = slot.as_ref().ok_or(Unreadable)?;
                // The least recently used window is read again, once all are in use.
                let index = if self.windows.len() < WINDOWS {
                    self.windows.push(Window {
                        pack,
                        start: at,
                        data: Vec::new(),
                        used: 0,
                    });
                    self.windows.len() - 1
                } else {
                    (0..self.windows.len())
                        .min_by_key(|&i| self.windows[i].used)
                        .unwrap_or(0)
                };
                let window = &mut self.windows[index];
                window.data.resize(len.max(WINDOW), 0);
                let read = read_at(file, &mut window.data, at)?;
                window.data.truncate(read);
                window.pack = pack;
                window.start = at;
                index
            }
        };
        let window = &mut self.windows[index];
        window.used = self.clock;
        let from = usize::try_from(at - window.start).map_err(|_| Unreadable)?;
        let to = (from + len).min(window.data.len());
        Ok(&window.data[from..to])
    }
}

/// What an entry's header says.
struct Entry {
    kind: u8,
    size: usize,
    /// Where the compressed data starts.
    data_at: u64,
    /// For a delta: where its base is, in the same pack.
    base_at: Option<u64>,
}

impl PackReader {
    pub fn new(packs: Arc<Packs>) -> Self {
        Self {
            source: ReadAhead::new(&packs),
            packs,
            inflater: Decompress::new(true),
            cache: Cache::default(),
            hasher: Hasher::default(),
        }
    }

    /// The pack indexes this reader reads, for another thread's reader.
    pub fn packs(&self) -> Arc<Packs> {
        Arc::clone(&self.packs)
    }

    /// The object `id` if a pack holds it, it reads cleanly and its content hashes to `id`;
    /// `None` otherwise (libgit2 then reads it, verifying it too, and reports the damage).
    pub fn read(&mut self, id: Oid) -> Option<Packed> {
        let (pack, offset) = self.locate(id.as_bytes())?;
        if let Some(object) = self.cache.get_verified(pack, offset, id) {
            return Some(object);
        }
        let object = self.read_at(pack, offset).ok()?;
        // A delta built on the wrong base, or a flipped bit that zlib let through, gives other
        // bytes: never hand them out under this id.
        if self.hasher.id(&object) != id.as_bytes() {
            self.cache.forget(pack, offset);
            return None;
        }
        self.cache.set_verified(pack, offset, id);
        Some(object)
    }

    /// The type and size of object `id` from its pack entry's header (for a delta, from the
    /// start of the delta), without building it. `None` when no pack holds it or the header
    /// does not read.
    pub fn header(&mut self, id: Oid) -> Option<(ObjectType, usize)> {
        let (pack, offset) = self.locate(id.as_bytes())?;
        if let Some(object) = self.cache.get_verified(pack, offset, id) {
            return Some((object.kind, object.data.len()));
        }
        let entry = self.entry(pack, offset).ok()?;
        let Some(mut base_at) = entry.base_at else {
            return Some((object_type(entry.kind)?, entry.size));
        };
        // The target size opens the delta; the type is the end of the chain's.
        let size = self.delta_target_size(pack, &entry).ok()?;
        for _ in 0..MAX_CHAIN {
            let base = self.entry(pack, base_at).ok()?;
            match base.base_at {
                Some(next) => base_at = next,
                None => return Some((object_type(base.kind)?, size)),
            }
        }
        None
    }

    /// The size a delta entry builds, read from the first bytes of its inflated data.
    fn delta_target_size(&mut self, pack: usize, entry: &Entry) -> Result<usize, Unreadable> {
        // Two sizes of at most ten bytes each open a delta.
        let mut start = [0u8; 20];
        let want = start.len().min(entry.size);
        self.inflater.reset(true);
        let input = self.source.bytes(&self.packs, pack, entry.data_at, 64)?;
        self.inflater
            .decompress(input, &mut start[..want], FlushDecompress::None)
            .map_err(|_| Unreadable)?;
        let got = usize::try_from(self.inflater.total_out()).map_err(|_| Unreadable)?;
        let mut rest = &start[..got.min(want)];
        varint(&mut rest).ok_or(Unreadable)?;
        let target = varint(&mut rest).ok_or(Unreadable)?;
        usize::try_from(target).map_err(|_| Unreadable)
    }

    fn locate(&self, id: &[u8]) -> Option<(usize, u64)> {
        self.packs
            .indexes
            .iter()
            .enumerate()
            .find_map(|(pack, index)| Some((pack, index.find(id)?)))
    }

    fn read_at(&mut self, pack: usize, offset: u64) -> Result<Packed, Unreadable> {
        // Down the delta chain to a cached object or a whole one, then up again.
        let mut deltas: Vec<(u64, Entry)> = Vec::new();
        let mut at = offset;
        let mut object = loop {
            if let Some(hit) = self.cache.get(pack, at) {
                break hit;
            }
            let entry = self.entry(pack, at)?;
            if let Some(base_at) = entry.base_at {
                deltas.push((at, entry));
                if deltas.len() > MAX_CHAIN {
                    return Err(Unreadable);
                }
                at = base_at;
                continue;
            }
            let kind = object_type(entry.kind).ok_or(Unreadable)?;
            let data = Arc::new(self.inflate(pack, &entry)?);
            let object = Packed { kind, data };
            // A walk reads each commit once: caching them would only push trees out.
            if kind != ObjectType::Commit {
                self.cache.put(pack, at, &object);
            }
            break object;
        };
        while let Some((at, entry)) = deltas.pop() {
            let delta = self.inflate(pack, &entry)?;
            let data = Arc::new(apply_delta(&object.data, &delta).ok_or(Unreadable)?);
            object = Packed {
                kind: object.kind,
                data,
            };
            self.cache.put(pack, at, &object);
        }
        Ok(object)
    }

    /// Parses the entry header at `at`: type and size, then a delta's base.
    fn entry(&mut self, pack: usize, at: u64) -> Result<Entry, Unreadable> {
        // A header is at most 10 bytes of type and size and 10 of base offset (or 20 of id).
        let mut header = [0u8; 32];
        let available = {
            let bytes = self.source.bytes(&self.packs, pack, at, header.len())?;
            header[..bytes.len()].copy_from_slice(bytes);
            bytes.len()
        };
        let header = &header[..available];
        let mut bytes = header.iter().copied();
        let first = bytes.next().ok_or(Unreadable)?;
        let kind = (first >> 4) & 0x7;
        let mut size = u64::from(first & 0x0f);
        let mut shift = 4;
        let mut byte = first;
        while byte & 0x80 != 0 {
            byte = bytes.next().ok_or(Unreadable)?;
            if shift > 57 {
                return Err(Unreadable);
            }
            size |= u64::from(byte & 0x7f) << shift;
            shift += 7;
        }
        let mut used = header.len() - bytes.len();
        let base_at = match kind {
            OFS_DELTA => {
                let mut byte = bytes.next().ok_or(Unreadable)?;
                let mut back = u64::from(byte & 0x7f);
                while byte & 0x80 != 0 {
                    byte = bytes.next().ok_or(Unreadable)?;
                    back = back
                        .checked_add(1)
                        .and_then(|b| b.checked_mul(128))
                        .ok_or(Unreadable)?
                        | u64::from(byte & 0x7f);
                }
                used = header.len() - bytes.len();
                Some(
                    at.checked_sub(back)
                        .filter(|&b| back > 0 && b < at)
                        .ok_or(Unreadable)?,
                )
            }
            REF_DELTA => {
                let id = header.get(used..used + OID_BYTES).ok_or(Unreadable)?;
                used += OID_BYTES;
                // A base in another pack (or loose) is libgit2's to find.
                let (base_pack, base_at) = self.locate(id).ok_or(Unreadable)?;
                if base_pack != pack || base_at == at {
                    return Err(Unreadable);
                }
                Some(base_at)
            }
            _ => None,
        };
        Ok(Entry {
            kind,
            size: usize::try_from(size).map_err(|_| Unreadable)?,
            data_at: at + used as u64,
            base_at,
        })
    }

    /// Inflates an entry's data, which must come to exactly its declared size.
    fn inflate(&mut self, pack: usize, entry: &Entry) -> Result<Vec<u8>, Unreadable> {
        // A damaged size must not reserve memory the machine does not have.
        if entry.size > LARGEST_INFLATED {
            return Err(Unreadable);
        }
        let mut out = vec![0u8; entry.size];
        self.inflater.reset(true);
        let mut at = entry.data_at;
        // Compressed data is rarely much larger than the data (zlib adds 5 bytes per 16 KB
        // block at worst): one read usually holds the whole stream.
        let mut chunk = entry.size + entry.size / 1024 + 64;
        loop {
            let input = self.source.bytes(&self.packs, pack, at, chunk)?;
            if input.is_empty() {
                return Err(Unreadable);
            }
            let in_before = self.inflater.total_in();
            let out_before = self.inflater.total_out() as usize;
            let status =
                self.inflater
                    .decompress(input, &mut out[out_before..], FlushDecompress::None);
            let out_after = self.inflater.total_out() as usize;
            let consumed = self.inflater.total_in() - in_before;
            match status {
                Ok(Status::StreamEnd) if out_after == entry.size => return Ok(out),
                Ok(Status::Ok | Status::BufError) if consumed > 0 || out_after > out_before => {
                    at += consumed;
                    chunk = WINDOW;
                }
                _ => return Err(Unreadable),
            }
        }
    }
}

/// Longest delta chain followed (git's default depth is 50, `--depth` allows 4095).
const MAX_CHAIN: usize = 10_000;

fn object_type(kind: u8) -> Option<ObjectType> {
    match kind {
        1 => Some(ObjectType::Commit),
        2 => Some(ObjectType::Tree),
        3 => Some(ObjectType::Blob),
        4 => Some(ObjectType::Tag),
        _ => None,
    }
}

/// An object's SHA-1 id: the hash of `<type> <size>\0` and its content, as git computes it.
pub(crate) fn object_id(kind: ObjectType, data: &[u8]) -> [u8; OID_BYTES] {
    use sha1::Digest;
    let mut hasher = header_state(kind, data.len());
    hasher.update(data);
    hasher.finalize().into()
}

/// Hashes objects, resuming from the hash state of the last large object where the two share
/// their type, size and first bytes. A walk hashes one 10,000-entry items tree (400 KB) per
/// changed commit, and consecutive versions of it mostly differ in one entry, so about half of
/// each tree need not be hashed again. SHA-1 reads its input in order: the state after a
/// common prefix is the same for both objects.
#[derive(Default)]
struct Hasher {
    last: Option<Hashed>,
}

/// A hashed object and the hash state after its header and each [`CHECKPOINT`] bytes.
struct Hashed {
    kind: ObjectType,
    data: Arc<Vec<u8>>,
    states: Vec<sha1::Sha1>,
}

/// Bytes between two saved hash states.
const CHECKPOINT: usize = 4 << 10;

impl Hasher {
    fn id(&mut self, object: &Packed) -> [u8; OID_BYTES] {
        use sha1::Digest;
        let data = &object.data;
        if data.len() < 2 * CHECKPOINT {
            return object_id(object.kind, data);
        }
        // The saved states that still hold: those within the prefix both objects share.
        let mut states = match self.last.take() {
            Some(last) if last.kind == object.kind && last.data.len() == data.len() => {
                let prefix = common_prefix_len(&last.data, data);
                let mut states = last.states;
                states.truncate(prefix / CHECKPOINT + 1);
                states
            }
            _ => vec![header_state(object.kind, data.len())],
        };
        let mut state = states.last().cloned().unwrap_or_default();
        let mut at = (states.len() - 1) * CHECKPOINT;
        while at < data.len() {
            let end = (at + CHECKPOINT).min(data.len());
            state.update(&data[at..end]);
            at = end;
            if at < data.len() {
                states.push(state.clone());
            }
        }
        self.last = Some(Hashed {
            kind: object.kind,
            data: Arc::clone(data),
            states,
        });
        state.finalize().into()
    }
}

/// The hash state after an object's header, `<type> <size>\0`.
fn header_state(kind: ObjectType, len: usize) -> sha1::Sha1 {
    use sha1::Digest;
    let mut hasher = sha1::Sha1::new();
    hasher.update(kind.str().as_bytes());
    hasher.update(b" ");
    hasher.update(len.to_string().as_bytes());
    hasher.update(b"\0");
    hasher
}

fn common_prefix_len(a: &[u8], b: &[u8]) -> usize {
    let len = a.len().min(b.len());
    let mut at = 0;
    while at + CHECKPOINT <= len && a[at..at + CHECKPOINT] == b[at..at + CHECKPOINT] {
        at += CHECKPOINT;
    }
    at
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], at: u64) -> Result<usize, Unreadable> {
    use std::os::unix::fs::FileExt;
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read_at(&mut buffer[filled..], at + filled as u64) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(Unreadable),
        }
    }
    Ok(filled)
}

#[cfg(not(unix))]
fn read_at(file: &File, buffer: &mut [u8], at: u64) -> Result<usize, Unreadable> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(at)).map_err(|_| Unreadable)?;
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(Unreadable),
        }
    }
    Ok(filled)
}

/// Builds an object from its base and a git delta: the two sizes, then copy and insert
/// instructions. `None` when the delta does not fit the base or its own declared size.
pub(crate) fn apply_delta(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let mut rest = delta;
    let base_size = varint(&mut rest)?;
    let target_size = varint(&mut rest)?;
    if base_size != base.len() as u64 {
        return None;
    }
    let target_size = usize::try_from(target_size).ok()?;
    // The delta's instructions bound what they can produce: refuse a size they cannot reach
    // before reserving it.
    if target_size > rest.len().saturating_mul(0x10000) {
        return None;
    }
    let mut out = Vec::with_capacity(target_size);
    while let Some((&op, tail)) = rest.split_first() {
        rest = tail;
        if op & 0x80 != 0 {
            let mut offset = 0usize;
            let mut size = 0usize;
            for bit in 0..4 {
                if op & (1 << bit) != 0 {
                    let (&byte, tail) = rest.split_first()?;
                    rest = tail;
                    offset |= usize::from(byte) << (8 * bit);
                }
            }
            for bit in 0..3 {
                if op & (0x10 << bit) != 0 {
                    let (&byte, tail) = rest.split_first()?;
                    rest = tail;
                    size |= usize::from(byte) << (8 * bit);
                }
            }
            if size == 0 {
                size = 0x10000;
            }
            let copied = base.get(offset..offset.checked_add(size)?)?;
            if out.len() + copied.len() > target_size {
                return None;
            }
            out.extend_from_slice(copied);
        } else if op != 0 {
            let inserted = rest.get(..usize::from(op))?;
            rest = &rest[usize::from(op)..];
            if out.len() + inserted.len() > target_size {
                return None;
            }
            out.extend_from_slice(inserted);
        } else {
            return None;
        }
    }
    (out.len() == target_size).then_some(out)
}

/// A little-endian base-128 size, as deltas start with.
fn varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    let mut shift = 0;
    loop {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        if shift > 63 {
            return None;
        }
        value |= u64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
}

/// Built objects by pack and offset, the least recently used dropped first once they hold
/// more than [`CACHE_BYTES`].
#[derive(Default)]
struct Cache {
    /// The object, when it was last used, and the id it was checked against (a damaged
    /// index could name one offset twice).
    entries: HashMap<(usize, u64), (Packed, u64, Option<Oid>)>,
    by_use: BTreeMap<u64, (usize, u64)>,
    clock: u64,
    bytes: usize,
}

impl Cache {
    fn get(&mut self, pack: usize, at: u64) -> Option<Packed> {
        self.touch(pack, at).map(|(object, _)| object)
    }

    /// The object at `at` if it is cached and was checked to be `id`.
    fn get_verified(&mut self, pack: usize, at: u64, id: Oid) -> Option<Packed> {
        self.touch(pack, at)
            .and_then(|(object, verified)| (verified == Some(id)).then_some(object))
    }

    fn touch(&mut self, pack: usize, at: u64) -> Option<(Packed, Option<Oid>)> {
        let (object, used, verified) = self.entries.get_mut(&(pack, at))?;
        self.clock += 1;
        self.by_use.remove(used);
        *used = self.clock;
        self.by_use.insert(self.clock, (pack, at));
        Some((object.clone(), *verified))
    }

    fn set_verified(&mut self, pack: usize, at: u64, id: Oid) {
        if let Some((_, _, verified)) = self.entries.get_mut(&(pack, at)) {
            *verified = Some(id);
        }
    }

    fn forget(&mut self, pack: usize, at: u64) {
        if let Some((old, used, _)) = self.entries.remove(&(pack, at)) {
            self.by_use.remove(&used);
            self.bytes -= old.data.len();
        }
    }

    fn put(&mut self, pack: usize, at: u64, object: &Packed) {
        let size = object.data.len();
        if size > LARGEST_CACHED || self.entries.contains_key(&(pack, at)) {
            return;
        }
        while self.bytes + size > CACHE_BYTES {
            let Some((_, key)) = self.by_use.pop_first() else {
                break;
            };
            if let Some((old, _, _)) = self.entries.remove(&key) {
                self.bytes -= old.data.len();
            }
        }
        self.clock += 1;
        self.entries
            .insert((pack, at), (object.clone(), self.clock, None));
        self.by_use.insert(self.clock, (pack, at));
        self.bytes += size;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::Repository;

    fn git(repo: &Path, args: &[&str]) -> String {
        let output = std::process::Command::new("git")
            .current_dir(repo)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Alice")
            .env("GIT_AUTHOR_EMAIL", "alice@example.com")
            .env("GIT_COMMITTER_NAME", "Alice")
            .env("GIT_COMMITTER_EMAIL", "alice@example.com")
            .env("GIT_AUTHOR_DATE", "2025-01-01T09:00:00+00:00")
            .env("GIT_COMMITTER_DATE", "2025-01-01T09:00:00+00:00")
            .args(args)
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {output:?}");
        String::from_utf8(output.stdout).expect("utf-8")
    }

    /// Every object of a packed repository (many similar trees and blobs, so long delta
    /// chains) reads here exactly as libgit2 reads it, with offset deltas and with deltas
    /// naming their base by id, and from a reader whose cache is cold or warm.
    #[test]
    fn every_packed_object_reads_as_libgit2_reads_it() {
        let temp = tempfile::tempdir().expect("temp dir");
        let repo_path = temp.path();
        git(repo_path, &["init", "-q"]);
        for step in 0..60 {
            for file in 0..40 {
                let path = repo_path.join(format!("file-{file:02}.txt"));
                let mut text = std::fs::read_to_string(&path).unwrap_or_default();
                if file % 7 == step % 7 {
                    text.push_str(&format!("line {step} of file {file}\n"));
                }
                std::fs::write(&path, text).expect("write");
            }
            git(repo_path, &["add", "-A"]);
            git(
                repo_path,
                &["commit", "-qm", &format!("step {step}"), "--allow-empty"],
            );
        }
        let repo = Repository::open(repo_path).expect("open");
        for offsets in ["true", "false"] {
            git(
                repo_path,
                &[
                    "-c",
                    &format!("repack.useDeltaBaseOffset={offsets}"),
                    "repack",
                    "-adfq",
                    "--depth=50",
                    "--window=50",
                ],
            );
            let ids: Vec<Oid> = git(
                repo_path,
                &[
                    "cat-file",
                    "--batch-all-objects",
                    "--batch-check=%(objectname)",
                ],
            )
            .lines()
            .map(|line| Oid::from_str(line).expect("object id"))
            .collect();
            assert!(ids.len() > 200, "{} objects", ids.len());
            let packs = Packs::load(repo.commondir());
            assert_eq!(packs.indexes.len(), 1);
            let odb = repo.odb().expect("odb");
            let mut reader = PackReader::new(Arc::clone(&packs));
            // Newest first, as a walk reads, then oldest first on the warm cache.
            for id in ids.iter().chain(ids.iter().rev()) {
                let ours = reader.read(*id).expect("packed object reads");
                let theirs = odb.read(*id).expect("libgit2 reads it");
                assert_eq!(ours.kind, theirs.kind(), "{id}");
                assert!(ours.data.as_slice() == theirs.data(), "{id} differs");
            }
            assert!(reader.read(Oid::ZERO_SHA1).is_none());
        }
    }

    #[test]
    fn a_damaged_pack_is_left_to_libgit2() {
        let temp = tempfile::tempdir().expect("temp dir");
        let repo_path = temp.path();
        git(repo_path, &["init", "-q"]);
        std::fs::write(repo_path.join("a.txt"), "some text\n".repeat(50)).expect("write");
        git(repo_path, &["add", "-A"]);
        git(repo_path, &["commit", "-qm", "one"]);
        git(repo_path, &["repack", "-adq"]);
        let repo = Repository::open(repo_path).expect("open");
        let packs = Packs::load(repo.commondir());
        let blob = Oid::from_str(git(repo_path, &["rev-parse", "HEAD:a.txt"]).trim()).expect("id");
        let pack = packs.indexes[0].pack.clone();
        let bytes = std::fs::read(&pack).expect("pack");
        // Every byte after the pack header overwritten: no entry reads, nothing panics.
        let mut damaged = bytes.clone();
        for byte in damaged.iter_mut().skip(12) {
            *byte = 0xff;
        }
        std::fs::write(&pack, &damaged).expect("write pack");
        assert!(PackReader::new(Arc::clone(&packs)).read(blob).is_none());
        // Cut off inside the object's data: the same.
        let at = packs.indexes[0].find(blob.as_bytes()).expect("indexed") as usize;
        std::fs::write(&pack, &bytes[..at + 4]).expect("write pack");
        assert!(PackReader::new(Arc::clone(&packs)).read(blob).is_none());
    }

    /// An index that names one entry under two ids (a damaged offset table): the entry is
    /// handed out only under the id it hashes to, cached or not.
    #[test]
    fn an_object_is_handed_out_only_under_the_id_it_hashes_to() {
        let temp = tempfile::tempdir().expect("temp dir");
        let repo_path = temp.path();
        git(repo_path, &["init", "-q"]);
        std::fs::write(repo_path.join("a.txt"), "first file\n").expect("write");
        std::fs::write(repo_path.join("b.txt"), "other file\n").expect("write");
        git(repo_path, &["add", "-A"]);
        git(repo_path, &["commit", "-qm", "one"]);
        git(repo_path, &["repack", "-adq"]);
        let repo = Repository::open(repo_path).expect("open");
        let a = Oid::from_str(git(repo_path, &["rev-parse", "HEAD:a.txt"]).trim()).expect("id");
        let b = Oid::from_str(git(repo_path, &["rev-parse", "HEAD:b.txt"]).trim()).expect("id");
        let packs = Packs::load(repo.commondir());
        let intact = PackReader::new(Arc::clone(&packs))
            .read(b)
            .expect("b reads");
        assert_eq!(intact.data.as_slice(), b"other file\n");
        // b's offset in the index becomes a's.
        let index = &packs.indexes[0];
        let position = |id: Oid| {
            (0..index.count)
                .find(|&i| {
                    let at = index.names_at() + i * OID_BYTES;
                    &index.index[at..at + OID_BYTES] == id.as_bytes()
                })
                .expect("indexed")
        };
        let offsets = index.names_at() + index.count * (OID_BYTES + 4);
        let (pa, pb) = (offsets + position(a) * 4, offsets + position(b) * 4);
        let mut damaged = index.index.clone();
        let a_offset: [u8; 4] = damaged[pa..pa + 4].try_into().expect("4 bytes");
        damaged[pb..pb + 4].copy_from_slice(&a_offset);
        let idx_path = index.pack.with_extension("idx");
        let mut writable = std::fs::metadata(&idx_path).expect("meta").permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        writable.set_readonly(false);
        std::fs::set_permissions(&idx_path, writable).expect("chmod");
        std::fs::write(&idx_path, &damaged).expect("write index");
        let packs = Packs::load(repo.commondir());
        let mut reader = PackReader::new(packs);
        assert!(reader.read(b).is_none(), "a's bytes under b's id");
        assert_eq!(
            reader.read(a).expect("a reads").data.as_slice(),
            b"first file\n"
        );
        // a is now cached and verified: still not b.
        assert!(reader.read(b).is_none(), "a's cached bytes under b's id");
    }

    /// Hashing resumed from a saved state gives the id a hash from scratch gives, whatever
    /// the two objects share.
    #[test]
    fn resumed_hashes_equal_hashes_from_scratch() {
        let mut hasher = Hasher::default();
        let base: Vec<u8> = (0..40_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut variants = vec![base.clone()];
        for at in [0, 1, CHECKPOINT - 1, CHECKPOINT, 3 * CHECKPOINT + 5, 39_999] {
            let mut v = base.clone();
            v[at] ^= 0x20;
            variants.push(v);
        }
        variants.push(base[..39_000].to_vec());
        variants.push(base.clone());
        for kind in [ObjectType::Tree, ObjectType::Blob] {
            for data in &variants {
                let object = Packed {
                    kind,
                    data: Arc::new(data.clone()),
                };
                assert_eq!(hasher.id(&object), object_id(kind, data));
            }
        }
        // Known id: `git hash-object` of an empty blob.
        assert_eq!(
            Oid::from_bytes(&object_id(ObjectType::Blob, b""))
                .expect("id")
                .to_string(),
            "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
        );
    }

    /// A delta from its parts: sizes, then raw instruction bytes.
    fn delta(base: usize, target: usize, ops: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for mut value in [base, target] {
            loop {
                let byte = (value & 0x7f) as u8;
                value >>= 7;
                if value == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
        }
        out.extend_from_slice(ops);
        out
    }

    #[test]
    fn a_delta_copies_and_inserts() {
        let base = b"hello, world";
        // Copy 5 bytes from offset 0, insert "!!", copy 5 bytes from offset 7.
        let ops = [0x90, 5, 2, b'!', b'!', 0x91, 7, 5];
        assert_eq!(
            apply_delta(base, &delta(12, 12, &ops)).as_deref(),
            Some(&b"hello!!world"[..])
        );
    }

    #[test]
    fn a_copy_of_size_zero_means_sixty_four_kib() {
        let base = vec![7u8; 0x10000];
        let out = apply_delta(&base, &delta(0x10000, 0x10000, &[0x80])).expect("applies");
        assert_eq!(out.len(), 0x10000);
    }

    #[test]
    fn a_delta_that_does_not_fit_is_refused() {
        let base = b"short";
        // Wrong base size.
        assert!(apply_delta(base, &delta(6, 5, &[0x90, 5])).is_none());
        // A copy past the base's end.
        assert!(apply_delta(base, &delta(5, 9, &[0x91, 1, 9])).is_none());
        // Output longer than declared.
        assert!(apply_delta(base, &delta(5, 2, &[0x90, 5])).is_none());
        // Output shorter than declared.
        assert!(apply_delta(base, &delta(5, 9, &[0x90, 5])).is_none());
        // Instruction 0 is reserved; an insert runs past the delta's end.
        assert!(apply_delta(base, &delta(5, 1, &[0])).is_none());
        assert!(apply_delta(base, &delta(5, 3, &[3, b'a'])).is_none());
        // A huge declared size is refused before anything is reserved.
        assert!(apply_delta(base, &delta(5, 1 << 40, &[0x90, 5])).is_none());
        // Truncated sizes.
        assert!(apply_delta(base, &[0x85]).is_none());
    }
}
