//! The streaming writer: the document's bytes, written while its items are built on the
//! rayon pool, a wave at a time, so neither the document nor its text is ever whole in memory.

use std::io::Write;
use std::sync::mpsc;

use serde::Serialize;

use super::build::{item_key, Builder, Definitions};
use super::model::Resource;
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
fn append_element<T: Serialize>(out: &mut Vec<u8>, value: &T, depth: usize) {
    out.extend_from_slice(b",\n");
    let _ = indent(out, depth);
    append(out, value, depth);
}

/// The opening of a document field: `"key": `.
fn field(out: &mut Vec<u8>, key: &str) {
    out.extend_from_slice(b"    \"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\": ");
}

/// Where the pieces of the document go, in order; `None` when they are no longer wanted.
type Sink<'s> = dyn FnMut(Vec<u8>) -> Option<()> + 's;

impl Builder<'_> {
    /// Writes the bytes of [`Builder::build`] serialised, without building the document:
    /// the shared definitions first (they come before the items), then each array of the
    /// document, wave by wave. A helper thread builds and serialises the items of a wave on
    /// the pool while this one writes the wave before it.
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
        let head = self.head(definitions);
        let mut text = Vec::with_capacity(1 << 16);
        text.extend_from_slice(b"{\n  \"plan-of-action-and-milestones\": {\n");
        field(&mut text, "uuid");
        append(&mut text, &head.uuid, 2);
        text.extend_from_slice(b",\n");
        field(&mut text, "metadata");
        append(&mut text, &head.metadata, 2);
        text.extend_from_slice(b",\n");
        field(&mut text, "import-ssp");
        append(&mut text, &head.import_ssp, 2);
        text.extend_from_slice(b",\n");
        field(&mut text, "system-id");
        append(&mut text, &head.system_id, 2);
        text.extend_from_slice(b",\n");
        if let Some(local) = &head.local_definitions {
            field(&mut text, "local-definitions");
            append(&mut text, local, 2);
            text.extend_from_slice(b",\n");
        }
        out.write_all(&text)?;
        if rayon::current_thread_index().is_some() {
            // Called on the pool: a helper thread waiting for the pool could be waiting for
            // this very thread. Build and write in turn.
            let mut failure = None;
            self.send_arrays(&head.system_resource, &mut |piece| {
                out.write_all(&piece)
                    .map_err(|err| failure = Some(err))
                    .ok()
            });
            return failure.map_or(Ok(()), Err);
        }
        let (pieces, received) = mpsc::sync_channel::<Vec<u8>>(2 * WAVE / BATCH);
        std::thread::scope(|scope| {
            let renderer = std::thread::Builder::new()
                .name("poam-oscal-render".to_owned())
                .spawn_scoped(scope, move || {
                    self.send_arrays(&head.system_resource, &mut |piece| pieces.send(piece).ok());
                });
            let mut result = Ok(());
            for piece in &received {
                result = out.write_all(&piece);
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

    /// Sends the document from `"observations"` to its end, in pieces; stops when the sink
    /// wants no more.
    fn send_arrays(&self, system_resource: &Resource, pieces: &mut Sink<'_>) {
        let items = self.input.items;
        let sent = (|| -> Option<()> {
            if !items.is_empty() {
                self.send_array(pieces, "observations", |out, view| {
                    let key = item_key(view);
                    let documents = self.documents(view, &key);
                    let mut defs = Definitions::default();
                    let observation = self.observation(&mut defs, view, &key, &documents);
                    append_element(out, &observation, 3);
                })?;
                self.send_array(pieces, "risks", |out, view| {
                    let mut defs = Definitions::default();
                    append_element(out, &self.risk(&mut defs, view, &item_key(view)), 3);
                })?;
                self.send_array(pieces, "poam-items", |out, view| {
                    append_element(out, &self.poam_item(view, &item_key(view)), 3);
                })?;
            } else {
                let mut empty = Vec::new();
                field(&mut empty, "poam-items");
                empty.extend_from_slice(b"[],\n");
                pieces(empty)?;
            }
            let mut back_matter = Vec::new();
            field(&mut back_matter, "back-matter");
            back_matter.extend_from_slice(b"{\n      \"resources\": [\n        ");
            append(&mut back_matter, system_resource, 4);
            pieces(back_matter)?;
            self.send_elements(pieces, false, |out, view| {
                for document in self.documents(view, &item_key(view)) {
                    append_element(out, &document, 4);
                }
            })?;
            pieces(b"\n      ]\n    }\n  }\n}\n".to_vec())
        })();
        // `None`: the writer stopped; it reports why.
        let _ = sent;
    }

    /// `"key": [`, one element per item (none is empty), `],`.
    fn send_array(
        &self,
        pieces: &mut Sink<'_>,
        key: &str,
        element: impl Fn(&mut Vec<u8>, &ItemView) + Sync,
    ) -> Option<()> {
        let mut open = Vec::new();
        field(&mut open, key);
        open.push(b'[');
        pieces(open)?;
        self.send_elements(pieces, true, element)?;
        pieces(b"\n    ],\n".to_vec())
    }

    /// The elements every item adds, serialised by batch on the pool, a wave at a time, in
    /// order; with `first`, the comma before the very first element is left out.
    fn send_elements(
        &self,
        pieces: &mut Sink<'_>,
        mut first: bool,
        element: impl Fn(&mut Vec<u8>, &ItemView) + Sync,
    ) -> Option<()> {
        use rayon::prelude::*;
        for wave in self.input.items.chunks(WAVE) {
            let batches: Vec<Vec<u8>> = wave
                .par_chunks(BATCH)
                .map(|views| {
                    let mut out = Vec::new();
                    for (n, view) in views.iter().enumerate() {
                        element(&mut out, view);
                        if n == 0 {
                            // Room for the rest if they are like the first, and a quarter more.
                            out.reserve(out.len() * (views.len() - 1) * 5 / 4);
                        }
                    }
                    out
                })
                .collect();
            for mut batch in batches {
                if batch.is_empty() {
                    continue;
                }
                if first {
                    batch.remove(0);
                    first = false;
                }
                pieces(batch)?;
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
            };
            let mut expected = serde_json::to_string_pretty(&document(&input)).expect("json");
            expected.push('\n');
            assert_eq!(render(&input), expected, "{items} items");
            // On a pool of one thread, which must not wait for itself.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .expect("pool");
            assert_eq!(
                pool.install(|| render(&input)),
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
