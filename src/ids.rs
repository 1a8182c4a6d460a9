//! New item ids: the prefix (`V-` unless `id_prefix:` says otherwise) and the number after the
//! highest one in use, zero-padded to the widest existing id (`V-0042` after `V-0041`).
//!
//! Numbers are never reused: the next id follows the highest in use or ever held in the items
//! folder's git history ([`ids_in_history`]), so an id freed by a deleted item (which
//! `item-deleted` reports from history) does not come back for a different weakness and
//! `poam log` never mixes two items. The file name is taken with an exclusive create, so two
//! writers never share an id.

use std::path::{Path, PathBuf};

use crate::edit::{create_new, EditError};
use crate::error::Error;
use crate::history::HistoryError;

/// Every id (and item file name) the items folder held along the first-parent history of
/// HEAD, for the callers of [`allocate`] to count as taken. Outside git there is no history:
/// none. A history that cannot be read is an error, not a silent chance of reuse.
pub fn ids_in_history(items_dir: &Path) -> Result<Vec<String>, Error> {
    let repo = match crate::history::open(items_dir) {
        Ok(repo) => repo,
        Err(
            HistoryError::NotARepo { .. }
            | HistoryError::Bare { .. }
            | HistoryError::OutsideWorkTree { .. },
        ) => return Ok(Vec::new()),
        Err(err) => return Err(Error::history(err)),
    };
    let ids = repo.ids_ever().map_err(|err| Error::HistoryWhile {
        context: "reading the ids used in history",
        source: err.into(),
    })?;
    Ok(ids.into_iter().collect())
}

/// An id and the file it lives in (`<items_dir>/<id>.yaml`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewId {
    pub id: String,
    pub path: PathBuf,
}

/// Hands out ids after the highest `prefix` + number in use.
#[derive(Clone, Debug)]
pub struct IdAllocator {
    items_dir: PathBuf,
    prefix: String,
    width: usize,
    next: u64,
}

/// Ids numbered from here on are not counted on from: counting on from `V-18446744073709551615`
/// (the largest u64) found no next number and looped for ever.
const COUNTED_BELOW: u64 = 1_000_000_000_000_000_000;

/// An allocator for `items_dir`, counting from the highest id of `existing` that is `prefix`
/// followed by digits only.
pub fn allocate(items_dir: &Path, prefix: &str, existing: &[&str]) -> IdAllocator {
    let mut highest = 0;
    let mut width = 0;
    for digits in existing.iter().filter_map(|id| id.strip_prefix(prefix)) {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        // A number of 19 digits or more is nobody's numbering: such an id is skipped, its
        // width too (it stays taken: a new id is a smaller number).
        let Some(number) = digits.parse::<u64>().ok().filter(|n| *n < COUNTED_BELOW) else {
            continue;
        };
        width = width.max(digits.len());
        highest = highest.max(number);
    }
    IdAllocator {
        items_dir: items_dir.to_path_buf(),
        prefix: prefix.to_owned(),
        width,
        next: highest.saturating_add(1),
    }
}

/// `prefix` and `number` padded with zeros to `width` digits.
pub fn format_id(prefix: &str, number: u64, width: usize) -> String {
    format!("{prefix}{number:0width$}")
}

/// Creates `<items_dir>/<id>.yaml` for the next free id after `taken` with the text
/// `render(id)` (`poam new`). Returns the id and the path.
pub fn create_next_item(
    items_dir: &Path,
    prefix: &str,
    taken: &[&str],
    render: impl Fn(&str) -> String,
) -> Result<(String, PathBuf), EditError> {
    let new = allocate(items_dir, prefix, taken).create(render)?;
    Ok((new.id, new.path))
}

impl IdAllocator {
    /// The next id whose file does not exist yet. Reserves nothing on disk: [`Self::create`]
    /// does that.
    pub fn next_id(&mut self) -> NewId {
        loop {
            let id = format_id(&self.prefix, self.next, self.width);
            self.next = self.next.saturating_add(1);
            let path = self.items_dir.join(format!("{id}.yaml"));
            if !path.exists() {
                return NewId { id, path };
            }
        }
    }

    /// Writes a new item file under the next free id, taking the name exclusively; when
    /// another writer took it first, moves on to the following id. `render` gives the file's
    /// text for an id.
    pub fn create(&mut self, render: impl Fn(&str) -> String) -> Result<NewId, EditError> {
        loop {
            let new = self.next_id();
            match create_new(&new.path, &render(&new.id)) {
                Ok(()) => return Ok(new),
                Err(EditError::Exists { .. }) => continue,
                Err(other) => return Err(other),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_follows_the_highest_and_keeps_the_width() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ids = allocate(dir.path(), "V-", &["V-007", "V-12", "X-99", "V-a1", "V-"]);
        assert_eq!(ids.next_id().id, "V-013");
        assert_eq!(ids.next_id().id, "V-014");
        let mut fresh = allocate(dir.path(), "POAM-", &[]);
        assert_eq!(fresh.next_id().id, "POAM-1");
    }

    #[test]
    fn numbers_too_large_to_count_on_from_are_skipped() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("V-13.yaml"), "id: V-13\n").expect("write");
        let mut ids = allocate(
            dir.path(),
            "V-",
            &[
                "V-12",
                "V-18446744073709551615",
                "V-999999999999999999999",
                "V-1000000000000000000",
            ],
        );
        assert_eq!(ids.next_id().id, "V-14");
        let mut below = allocate(dir.path(), "V-", &["V-999999999999999999"]);
        assert_eq!(below.next_id().id, "V-1000000000000000000");
    }

    #[test]
    fn a_taken_file_name_is_skipped() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("V-2.yaml"), "id: V-2\n").expect("write");
        let mut ids = allocate(dir.path(), "V-", &["V-1"]);
        let created = ids.create(|id| format!("id: {id}\n")).expect("created");
        assert_eq!(created.id, "V-3");
        assert_eq!(
            std::fs::read_to_string(&created.path).expect("read"),
            "id: V-3\n"
        );
    }

    #[test]
    fn concurrent_allocations_never_share_an_id() {
        let dir = tempfile::tempdir().expect("temp dir");
        let ids: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        create_next_item(dir.path(), "V-", &["V-1"], |id| format!("id: {id}\n"))
                            .expect("created")
                            .0
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 8, "{ids:?}");
        assert_eq!(unique.first().map(String::as_str), Some("V-2"));
    }
}
