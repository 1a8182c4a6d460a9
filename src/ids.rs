//! New item ids: the next free number after a prefix, zero-padded like the widest existing id,
//! and a file created exclusively under that id, so two concurrent runs (`poam new`, a scanner
//! import) never take the same one.

use std::path::{Path, PathBuf};

use crate::edit::{self, EditError};

/// How many taken names a single allocation steps over before giving up.
const MAX_ATTEMPTS: u64 = 10_000;

/// The ids that follow `prefix` with a number, as (number, digits written).
fn numbered<'a>(prefix: &'a str, taken: &'a [&str]) -> impl Iterator<Item = (u64, usize)> + 'a {
    taken.iter().filter_map(move |id| {
        let digits = id.strip_prefix(prefix)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((digits.parse().ok()?, digits.len()))
    })
}

/// The first id to try after `taken` (ids and file stems of the items folder): one more than
/// the highest number after `prefix`, padded with zeros to the widest such number
/// (`V-0042` after `V-0041`; `V-1` when there are none).
pub fn next_id(prefix: &str, taken: &[&str]) -> String {
    let (highest, width) = numbered(prefix, taken).fold((0, 1), |(n, w), (number, digits)| {
        (n.max(number), w.max(digits))
    });
    format_id(prefix, highest + 1, width)
}

/// `prefix` and `number` padded with zeros to `width` digits.
pub fn format_id(prefix: &str, number: u64, width: usize) -> String {
    format!("{prefix}{number:0width$}")
}

/// Creates `<items_dir>/<id>.yaml` for the next free id with the text `render(id)`, taking the
/// name with an exclusive create: when another process took that name first, the next number
/// is tried. Returns the id and the path.
pub fn create_next_item(
    items_dir: &Path,
    prefix: &str,
    taken: &[&str],
    render: impl Fn(&str) -> String,
) -> Result<(String, PathBuf), EditError> {
    let first = next_id(prefix, taken);
    let width = first.len() - prefix.len();
    let start: u64 = first[prefix.len()..].parse().unwrap_or(1);
    let mut last_error = None;
    for number in start..start + MAX_ATTEMPTS {
        let id = format_id(prefix, number, width);
        let path = items_dir.join(format!("{id}.yaml"));
        match edit::create_new(&path, &render(&id)) {
            Ok(()) => return Ok((id, path)),
            Err(err @ EditError::Exists { .. }) => last_error = Some(err),
            Err(err) => return Err(err),
        }
    }
    Err(last_error.unwrap_or_else(|| EditError::Exists {
        path: items_dir.to_path_buf(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_id_pads_to_the_widest_number() {
        assert_eq!(next_id("V-", &[]), "V-1");
        assert_eq!(next_id("V-", &["V-1001", "V-1010", "V-7"]), "V-1011");
        assert_eq!(next_id("V-", &["V-0041", "V-3"]), "V-0042");
        assert_eq!(next_id("V-", &["V-99"]), "V-100");
        // Other prefixes and non-numeric tails do not count.
        assert_eq!(next_id("V-", &["POAM-77", "V-x12", "V-", "V-2a"]), "V-1");
        assert_eq!(next_id("POAM-", &["POAM-009", "V-1000"]), "POAM-010");
    }

    #[test]
    fn a_taken_name_moves_to_the_next_number() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("V-03.yaml"), "id: V-03\n").expect("write");
        let (id, path) = create_next_item(dir.path(), "V-", &["V-02"], |id| format!("id: {id}\n"))
            .expect("created");
        assert_eq!(id, "V-04");
        assert_eq!(std::fs::read_to_string(path).expect("read"), "id: V-04\n");
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
