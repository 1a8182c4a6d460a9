//! The streaming writer: the document's bytes, written while its items are built on the
//! rayon pool, a wave at a time, so neither the document nor its text is ever whole in memory
//! (issue 21's review measured serialising the built document instead at 1.29x the CPU and
//! twice the peak memory).
//!
//! The text around the items is not written by hand: it is the typed document itself,
//! serialised with its large arrays replaced by markers ([`Streamed`]), and the items'
//! elements are streamed into the markers' places. Taking the skeleton from the document
//! cost nothing measurable (`bench/oscal.py`, 10,000 items, against the byte-literal
//! skeleton in the same run, 2026-12-06, 2 loaded cores: wall 1.00x without git and 0.94x
//! with it, CPU 677 against 657 ms and 1008 against 1005 ms, peak memory 133 against 132 MiB
//! and 246 against 247 MiB; documents byte-identical).

use std::io::Write;
use std::sync::mpsc;

use serde::Serialize;

use super::build::{item_key, Builder, Definitions};
use super::model::Streamed;
use crate::render::pretty::{append, indent};
use crate::view::ItemView;

/// Items built and serialised together: few enough that the pool stays balanced, enough that
/// the buffers are few.
const BATCH: usize = 32;

/// Items whose serialised objects are in memory at once (and as many more waiting to be
/// written): the document is written while it is built, and never held whole.
const WAVE: usize = 8 * BATCH;

/// Appends `value` as an element of an array at `depth - 1`: `,`, a line break, the
/// indentation, the value.
fn append_element<T: Serialize>(
    out: &mut Vec<u8>,
    value: &T,
    depth: usize,
) -> serde_json::Result<()> {
    out.extend_from_slice(b",\n");
    indent(out, depth).map_err(serde_json::Error::io)?;
    append(out, value, depth)
}

/// Where the pieces of the document go, in order, or the failure that ends them (an element
/// that could not be serialised); `None` when they are no longer wanted.
type Sink<'s> = dyn FnMut(std::io::Result<Vec<u8>>) -> Option<()> + 's;

/// The arrays the writer streams (an element or more per item), in document order.
#[derive(Clone, Copy, Debug)]
enum Array {
    Observations,
    Risks,
    PoamItems,
    Documents,
}

impl Array {
    const ALL: [Array; 4] = [
        Array::Observations,
        Array::Risks,
        Array::PoamItems,
        Array::Documents,
    ];

    /// The array in the skeleton: its marker, or nothing when there are no items to stream
    /// (the array is written whole then: empty).
    fn skeleton<T>(self, no_items: bool) -> Streamed<T> {
        if no_items {
            Streamed::whole(Vec::new())
        } else {
            Streamed::marked(self.marker())
        }
    }

    /// The skeleton's stand-in for the array's streamed elements. It starts with a control
    /// character, so it is written `"\u0001…"`, and it stands alone on its line as an array
    /// element: no value of the skeleton can look like that (the user's text there only ever
    /// follows a key).
    fn marker(self) -> &'static str {
        match self {
            Array::Observations => "\u{1}observations",
            Array::Risks => "\u{1}risks",
            Array::PoamItems => "\u{1}poam-items",
            Array::Documents => "\u{1}documents",
        }
    }
}

/// A run of the skeleton's text, then (unless it is the last) the array whose elements follow.
struct Piece {
    text: Vec<u8>,
    place: Option<Place>,
}

/// Where a streamed array's elements go.
struct Place {
    array: Array,
    /// The elements' depth (their indentation is two spaces a level).
    depth: usize,
    /// Whether the array has elements before the streamed ones (the back matter's system
    /// resource): then the first streamed element takes a comma too.
    after_leading: bool,
}

/// The skeleton's text cut at its markers, each marker and the separator before it left out
/// (the streamed elements bring their own).
fn cut(skeleton: &[u8]) -> std::io::Result<Vec<Piece>> {
    let malformed = |array: Array| {
        std::io::Error::other(format!("the OSCAL skeleton has no place for {array:?}"))
    };
    let mut pieces = Vec::new();
    let mut rest = skeleton;
    for array in Array::ALL {
        let token = serde_json::to_vec(array.marker())?;
        // Without items the item arrays are written whole (empty) and have no marker.
        let Some(at) = memchr::memmem::find(rest, &token) else {
            continue;
        };
        let line = rest[..at]
            .iter()
            .rposition(|b| *b == b'\n')
            .ok_or_else(|| malformed(array))?;
        let indentation = &rest[line + 1..at];
        if !indentation.iter().all(|b| *b == b' ') {
            return Err(malformed(array));
        }
        let (before, after_leading) = match line.checked_sub(1).map(|i| rest[i]) {
            Some(b'[') => (&rest[..line], false),
            Some(b',') => (&rest[..line - 1], true),
            _ => return Err(malformed(array)),
        };
        pieces.push(Piece {
            text: before.to_vec(),
            place: Some(Place {
                array,
                depth: indentation.len() / 2,
                after_leading,
            }),
        });
        rest = &rest[at + token.len()..];
    }
    pieces.push(Piece {
        text: rest.to_vec(),
        place: None,
    });
    Ok(pieces)
}

impl Builder<'_> {
    /// Writes the bytes of [`Builder::build`] serialised, without building the document. The
    /// shared definitions come first (they precede the items); with them the document is
    /// built as a skeleton, its large arrays replaced by markers, and serialised; then the
    /// skeleton's text is written with each array's elements streamed into its marker's
    /// place, wave by wave. A helper thread builds and serialises the items of a wave on the
    /// pool while this one writes the wave before it.
    pub(super) fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        use rayon::prelude::*;
        let definitions = self
            .input
            .items
            .par_chunks(BATCH)
            .map(|views| {
                let mut definitions = Definitions::default();
                for view in views {
                    self.register(&mut definitions, view);
                }
                definitions
            })
            .reduce(Definitions::default, |mut all, more| {
                all.merge(more);
                all
            });
        let empty = self.input.items.is_empty();
        let skeleton = self.head(definitions).document(
            Array::Observations.skeleton(empty),
            Array::Risks.skeleton(empty),
            Array::PoamItems.skeleton(empty),
            Array::Documents.skeleton(false),
        );
        let mut text = serde_json::to_vec_pretty(&skeleton)?;
        text.push(b'\n');
        let skeleton = cut(&text)?;
        drop(text);
        if rayon::current_thread_index().is_some() {
            // Called on the pool: a helper thread waiting for the pool could be waiting for
            // this very thread. Build and write in turn.
            let mut failure = None;
            self.send_pieces(skeleton, &mut |piece| {
                piece
                    .and_then(|piece| out.write_all(&piece))
                    .map_err(|err| failure = Some(err))
                    .ok()
            });
            return failure.map_or(Ok(()), Err);
        }
        let (pieces, received) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(2 * WAVE / BATCH);
        std::thread::scope(|scope| {
            let renderer = std::thread::Builder::new()
                .name("poam-oscal-render".to_owned())
                .spawn_scoped(scope, move || {
                    self.send_pieces(skeleton, &mut |piece| pieces.send(piece).ok());
                });
            let mut result = Ok(());
            for piece in &received {
                result = piece.and_then(|piece| out.write_all(&piece));
                if result.is_err() {
                    break;
                }
            }
            // Dropping the receiver stops the renderer at its next piece.
            drop(received);
            match renderer {
                Ok(renderer) => {
                    if let Err(panic) = renderer.join() {
                        std::panic::resume_unwind(panic);
                    }
                }
                Err(err) => result = Err(err),
            }
            result
        })
    }

    /// Sends the skeleton's text with every array's elements in their places; stops when the
    /// sink wants no more (the writer stopped, and reports why).
    fn send_pieces(&self, skeleton: Vec<Piece>, pieces: &mut Sink<'_>) {
        for piece in skeleton {
            if pieces(Ok(piece.text)).is_none() {
                return;
            }
            if let Some(place) = piece.place {
                if self.send_array(pieces, &place).is_none() {
                    return;
                }
            }
        }
    }

    /// The elements of one streamed array, in order.
    fn send_array(&self, pieces: &mut Sink<'_>, place: &Place) -> Option<()> {
        let depth = place.depth;
        let first = !place.after_leading;
        match place.array {
            Array::Observations => self.send_elements(pieces, first, |out, view| {
                let key = item_key(view);
                let documents = self.documents(view, &key);
                let mut defs = Definitions::default();
                let observation = self.observation(&mut defs, view, &key, &documents);
                append_element(out, &observation, depth)
            }),
            Array::Risks => self.send_elements(pieces, first, |out, view| {
                let mut defs = Definitions::default();
                append_element(out, &self.risk(&mut defs, view, &item_key(view)), depth)
            }),
            Array::PoamItems => self.send_elements(pieces, first, |out, view| {
                append_element(out, &self.poam_item(view, &item_key(view)), depth)
            }),
            Array::Documents => self.send_elements(pieces, first, |out, view| {
                for document in self.documents(view, &item_key(view)) {
                    append_element(out, &document, depth)?;
                }
                Ok(())
            }),
        }
    }

    /// The elements every item adds, serialised by batch on the pool, a wave at a time, in
    /// order; with `first`, the comma before the very first element is left out.
    fn send_elements(
        &self,
        pieces: &mut Sink<'_>,
        mut first: bool,
        element: impl Fn(&mut Vec<u8>, &ItemView) -> serde_json::Result<()> + Sync,
    ) -> Option<()> {
        use rayon::prelude::*;
        for wave in self.input.items.chunks(WAVE) {
            let batches: serde_json::Result<Vec<Vec<u8>>> = wave
                .par_chunks(BATCH)
                .map(|views| {
                    let mut out = Vec::new();
                    for (n, view) in views.iter().enumerate() {
                        element(&mut out, view)?;
                        if n == 0 {
                            // Room for the rest if they are like the first, and a quarter more.
                            out.reserve(out.len() * (views.len() - 1) * 5 / 4);
                        }
                    }
                    Ok(out)
                })
                .collect();
            let batches = match batches {
                Ok(batches) => batches,
                Err(err) => {
                    // The writer stops at the failure and reports it.
                    pieces(Err(err.into()));
                    return None;
                }
            };
            for mut batch in batches {
                if batch.is_empty() {
                    continue;
                }
                if first {
                    batch.remove(0);
                    first = false;
                }
                pieces(Ok(batch))?;
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;

    use super::super::build::instant;
    use super::super::{document, render, ExportInput};
    use super::*;
    use crate::config::System;
    use crate::model::item::Item;

    #[test]
    fn parallel_json_is_serde_json_pretty() {
        let system = System {
            csp: Some("Example Cloud".into()),
            name: Some("Example SaaS".into()),
            impact: Some("moderate".into()),
            fedramp_id: None,
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        let logs = BTreeMap::new();
        // Across batches too, and with items without documents.
        for items in [0, 1, 3, BATCH * 2 + 5, WAVE * 2 + 5] {
            let views: Vec<ItemView> = (0..items).map(|n| sample_view(n, today)).collect();
            let input = ExportInput {
                system: &system,
                today,
                last_modified: instant(today),
                items: &views,
                logs: &logs,
                profile: crate::profiles::of(policy().profile),
                marker: None,
                people: None,
                inventory: None,
            };
            let mut expected = serde_json::to_string_pretty(&document(&input)).expect("json");
            expected.push('\n');
            assert_eq!(render(&input).expect("renders"), expected, "{items} items");
            // On a pool of one thread, which must not wait for itself.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .expect("pool");
            assert_eq!(
                pool.install(|| render(&input).expect("renders")),
                expected,
                "{items} items, pool"
            );
        }
    }

    /// The policy of a folder without `poam.yaml`.
    fn policy() -> crate::policy::Policy {
        crate::config::Config::for_items_dir(std::path::Path::new(".")).policy
    }

    fn sample_view(n: usize, today: NaiveDate) -> ItemView {
        use crate::model::Node;
        let text = format!(
            "id: V-{n}\ntitle: Item {n}\ndescription: \"two\\nlines\"\ncontrols: [AC-2]\n\
             detector: Nessus\ndetector_id: 1{n}\nassets: [host-{n}, shared]\nowner: Jane\n\
             remediation: Patch.\ndetected: 2026-10-01\ndue: 2026-10-31\nrisk: high\n\
             milestones:\n  - id: 1\n    date: 2026-10-20\n    description: Patch.\n\
             status: open\n"
        );
        let documents = format!("documents:\n  - {{type: Scan Report, name: scan-{n}.nessus}}\n");
        let text = if n % 3 == 2 { text } else { text + &documents };
        let (_, node): (String, Node) = crate::parse::parse_bytes(text.as_bytes()).expect("item");
        let item = Item::from_node(&node, "poams/V.yaml");
        let policy = policy();
        let assessment = crate::policy::assess(&item, &policy, today, None);
        crate::profiles::of(policy.profile).view("poams/V.yaml", &item, &assessment, &policy)
    }
}
