//! `poam lsp`: a language server over standard input and output, for item files and
//! `poam.yaml` (lsp-server and lsp-types, as rust-analyzer uses them: synchronous, no async
//! runtime).
//!
//! What it offers, all from the code the commands use:
//! - diagnostics as `poam lint` reports them: the field and deadline rules on every change
//!   of an item file (against the people file and the inventory, loaded once at the start),
//!   the history rules when the file is saved (one lint of the repository with history, on a
//!   worker thread so that diagnostics of edits and answers to requests never wait for it; a
//!   save during a run queues one more run, and a run a later save superseded is dropped; its
//!   findings stay until the next run's);
//! - hover on an item's `id` or on a date: the item's standing as `poam show` prints it;
//! - completion of keys (the documented keys of the mapping the cursor is in) and values
//!   (ratings, statuses and kinds, people, assets, controls, today's date);
//! - code actions from the findings' fixes (`poam lint --fix`), one per finding and one for
//!   every safe fix of the file;
//! - go to definition from an `owner` to its entry in the people file, and from an asset to
//!   its entry in the inventory.
//!
//! Positions are converted between byte offsets and the protocol's UTF-16 columns in
//! `text.rs`; what the cursor is on is found in the parsed tree in `cursor.rs`.
//!
//! For tests only, [`run`]'s `hold_history` (`POAM_LSP_HOLD_HISTORY=1`, see `commands::lsp`)
//! makes the order of a session independent of how long a history run takes: a run's findings
//! are held until the editor sends `$/poam/releaseHistory` (one run per release, released
//! early when the notification comes first), and each run, once judged, is followed by
//! `$/poam/historyJudged` with `{"superseded": bool}`. Nothing else changes.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use chrono::NaiveDate;
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types as lsp;
use serde_json::Value as Json;

use crate::code::{is_history_code, Severity};
use crate::config::Config;
use crate::diag::{Diagnostic, Safety};
use crate::error::Error;
use crate::inventory::Inventory;
use crate::kev::KevCatalog;
use crate::lint::{self, Elements, HistoryMode, LintInput};
use crate::model::item::Item;
use crate::people::People;
use crate::rules;
use crate::source::SourceFile;
use crate::workspace::{display_name, Workspace};

mod cursor;
mod text;

use cursor::Cursor;

/// Serves one editor session on standard input and output until it shuts down.
/// `config` names `poam.yaml` explicitly (`--config`); otherwise it is searched from the
/// editor's workspace folder.
/// `hold_history` holds each history run's findings until the editor releases them (tests
/// only: see the module comment).
pub fn run(today: NaiveDate, config: Option<&Path>, hold_history: bool) -> Result<(), Error> {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = to_json(capabilities());
    let params = connection
        .initialize(capabilities)
        .map_err(|e| Error::Refused(format!("the editor did not start the session: {e}")))?;
    let root = root_folder(&params);
    let mut server = Server::load(today, root.as_deref(), config)?;
    server.hold = hold_history.then(Hold::default);
    server.serve(&connection)?;
    drop(connection);
    io_threads
        .join()
        .map_err(|e| Error::Refused(format!("the editor connection failed: {e}")))?;
    Ok(())
}

fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some([":", " ", "-", "[", ","].map(str::to_owned).to_vec()),
            ..Default::default()
        }),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        ..Default::default()
    }
}

/// The editor's workspace folder: the first workspace folder, else the root URI.
fn root_folder(params: &Json) -> Option<PathBuf> {
    let uri = params
        .pointer("/workspaceFolders/0/uri")
        .or_else(|| params.get("rootUri"))
        .and_then(Json::as_str)?;
    text::uri_path(uri)
}

/// An open file and what it is.
struct Open {
    path: PathBuf,
    text: String,
    version: i32,
}

struct Server {
    today: NaiveDate,
    config: Config,
    /// What finding file names are relative to.
    root: PathBuf,
    items_dir: PathBuf,
    kev: Option<KevCatalog>,
    people: Option<People>,
    inventory: Option<Inventory>,
    open: HashMap<String, Open>,
    /// The history rules' findings of the last run, by file name.
    history: HashMap<String, Vec<Diagnostic>>,
    /// Whether a history run is under way, and whether a save came in since it started.
    judging: Judging,
    /// Tests only: the history runs' findings waiting for the editor to release them.
    hold: Option<Hold>,
}

/// The notification that releases one held history run, and the one that says a run was
/// judged (tests only: see the module comment).
const RELEASE_HISTORY: &str = "$/poam/releaseHistory";
const HISTORY_JUDGED: &str = "$/poam/historyJudged";

/// History runs' findings held until the editor releases them (tests only).
#[derive(Default)]
struct Hold {
    /// Findings of runs not released yet, oldest first.
    held: VecDeque<HashMap<String, Vec<Diagnostic>>>,
    /// Releases that came before the run they release.
    released: usize,
}

/// The history runs: at most one at a time, on a worker thread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Judging {
    #[default]
    Idle,
    /// A run is under way.
    Running,
    /// A run is under way and a save came in after it started: its result is stale, and
    /// another run follows.
    Superseded,
}

/// What the main loop waits for: a message from the editor, or a history run's findings.
enum Event {
    Editor(Message),
    History(HashMap<String, Vec<Diagnostic>>),
    /// The editor closed the connection, or sent what is not a message: nothing more will
    /// come, and a server waiting on would outlive its editor.
    EditorGone,
}

impl Server {
    fn load(
        today: NaiveDate,
        root: Option<&Path>,
        explicit: Option<&Path>,
    ) -> Result<Server, Error> {
        let config = Config::discover(root, explicit)?;
        let mut workspace = Workspace::open(config)?;
        // The items are read from the editor; the workspace's are not needed.
        let items = std::mem::take(&mut workspace.items);
        drop(items);
        let items_dir = std::fs::canonicalize(&workspace.config.items_dir)
            .unwrap_or_else(|_| workspace.config.items_dir.clone());
        Ok(Server {
            today,
            items_dir,
            root: workspace.display_root,
            config: workspace.config,
            kev: workspace.kev,
            people: workspace.people,
            inventory: workspace.inventory,
            open: HashMap::new(),
            history: HashMap::new(),
            judging: Judging::Idle,
            hold: None,
        })
    }

    /// Answers the editor until it shuts down. The editor's messages and the history runs'
    /// findings arrive on one channel: a thread forwards the former, the worker sends the
    /// latter.
    fn serve(&mut self, connection: &Connection) -> Result<(), Error> {
        let (events, received) = mpsc::channel();
        let editor = connection.receiver.clone();
        let forward = events.clone();
        std::thread::Builder::new()
            .name("poam-lsp-editor".to_owned())
            .spawn(move || {
                for message in editor {
                    if forward.send(Event::Editor(message)).is_err() {
                        return;
                    }
                }
                let _ = forward.send(Event::EditorGone);
            })
            .map_err(|e| Error::Refused(format!("cannot start the editor thread: {e}")))?;
        let mut shutting_down = false;
        for event in received {
            let message = match event {
                Event::History(found) => {
                    let found = match &mut self.hold {
                        Some(hold) if hold.released == 0 => {
                            hold.held.push_back(found);
                            None
                        }
                        Some(hold) => {
                            hold.released -= 1;
                            Some(found)
                        }
                        None => Some(found),
                    };
                    for out in found.map(|f| self.judged(f, &events)).unwrap_or_default() {
                        send(connection, Message::Notification(out))?;
                    }
                    continue;
                }
                Event::Editor(message) => message,
                Event::EditorGone => return Ok(()),
            };
            match message {
                Message::Request(request) if request.method == "shutdown" => {
                    shutting_down = true;
                    send(
                        connection,
                        Message::Response(Response::new_ok(request.id, Json::Null)),
                    )?;
                }
                Message::Request(request) if shutting_down => {
                    let response = Response::new_err(
                        request.id,
                        lsp_server::ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".to_owned(),
                    );
                    send(connection, Message::Response(response))?;
                }
                Message::Request(request) => {
                    let response = self.respond(request);
                    send(connection, Message::Response(response))?;
                }
                Message::Notification(note) if note.method == "exit" => return Ok(()),
                Message::Notification(note) if note.method == RELEASE_HISTORY => {
                    let Some(hold) = &mut self.hold else {
                        continue;
                    };
                    let Some(found) = hold.held.pop_front() else {
                        hold.released += 1;
                        continue;
                    };
                    for out in self.judged(found, &events) {
                        send(connection, Message::Notification(out))?;
                    }
                }
                Message::Notification(note) => {
                    for out in self.notified(note, &events) {
                        send(connection, Message::Notification(out))?;
                    }
                }
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn respond(&self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            "textDocument/hover" => params(request).map(|p| to_json(self.hover(&p))),
            "textDocument/completion" => params(request).map(|p| to_json(self.complete(&p))),
            "textDocument/codeAction" => params(request).map(|p| to_json(self.actions(&p))),
            "textDocument/definition" => params(request).map(|p| to_json(self.definition(&p))),
            other => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("poam does not answer `{other}`"),
                )
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => {
                Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, message)
            }
        }
    }

    /// Handles a notification; returns the diagnostics to publish.
    fn notified(&mut self, note: Notification, events: &mpsc::Sender<Event>) -> Vec<Notification> {
        match note.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(note.params)
                else {
                    return Vec::new();
                };
                let doc = p.text_document;
                let Some(path) = text::uri_path(doc.uri.as_str()) else {
                    return Vec::new();
                };
                let key = doc.uri.as_str().to_owned();
                self.open.insert(
                    key.clone(),
                    Open {
                        path,
                        text: doc.text,
                        version: doc.version,
                    },
                );
                self.publish(&key).into_iter().collect()
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(note.params)
                else {
                    return Vec::new();
                };
                let key = p.text_document.uri.as_str().to_owned();
                // Full synchronisation: the last change holds the whole text.
                let Some(change) = p.content_changes.into_iter().last() else {
                    return Vec::new();
                };
                let Some(open) = self.open.get_mut(&key) else {
                    return Vec::new();
                };
                open.text = change.text;
                open.version = p.text_document.version;
                self.publish(&key).into_iter().collect()
            }
            "textDocument/didSave" => {
                let Ok(p) = serde_json::from_value::<lsp::DidSaveTextDocumentParams>(note.params)
                else {
                    return Vec::new();
                };
                let key = p.text_document.uri.as_str().to_owned();
                if let (Some(text), Some(open)) = (p.text, self.open.get_mut(&key)) {
                    open.text = text;
                }
                // The findings are published when the run ends.
                self.judge(events);
                Vec::new()
            }
            "textDocument/didClose" => {
                if let Ok(p) =
                    serde_json::from_value::<lsp::DidCloseTextDocumentParams>(note.params)
                {
                    self.open.remove(p.text_document.uri.as_str());
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The diagnostics of an open file, as a notification.
    fn publish(&self, key: &str) -> Option<Notification> {
        let open = self.open.get(key)?;
        let uri: lsp::Uri = key.parse().ok()?;
        let (findings, name) = self.findings(open);
        let mut diagnostics: Vec<lsp::Diagnostic> = findings
            .iter()
            .map(|d| to_lsp_diagnostic(d, &open.text))
            .collect();
        if let Some(history) = name.as_deref().and_then(|name| self.history.get(name)) {
            diagnostics.extend(history.iter().map(|d| to_lsp_diagnostic(d, &open.text)));
        }
        Some(Notification::new(
            "textDocument/publishDiagnostics".to_owned(),
            lsp::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: Some(open.version),
            },
        ))
    }

    /// What kind of file `path` is.
    fn kind(&self, path: &Path) -> FileKind {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let same = |other: Option<PathBuf>| {
            other
                .and_then(|p| std::fs::canonicalize(p).ok())
                .is_some_and(|p| p == canonical)
        };
        if same(self.config.file.clone()) {
            return FileKind::Config;
        }
        if same(self.config.people_file())
            || self
                .config
                .inventory_path()
                .and_then(|p| std::fs::canonicalize(p).ok())
                .is_some_and(|p| canonical.starts_with(p))
        {
            return FileKind::Other;
        }
        let yaml = canonical
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml");
        if yaml && canonical.starts_with(&self.items_dir) {
            FileKind::Item
        } else {
            FileKind::Other
        }
    }

    /// The field and deadline findings of an open file as it now reads, and its name in
    /// findings (for an item file).
    fn findings(&self, open: &Open) -> (Vec<Diagnostic>, Option<String>) {
        if let Some(name) = self.linked_item(&open.path) {
            // As `poam lint` reports it: the link is not read, whatever it holds.
            let source = SourceFile::new(name.clone(), open.text.clone());
            let error = crate::parse::ParseError {
                message: crate::workspace::LINKED_ITEM.to_owned(),
                span: crate::model::Span::new(0, 0),
            };
            let finding = rules::parse_error(&source, &error);
            return (rules::apply_levels(&self.config, vec![finding]), Some(name));
        }
        let name = display_name(
            &std::fs::canonicalize(&open.path).unwrap_or_else(|_| open.path.clone()),
            &self.root,
        );
        match self.kind(&open.path) {
            FileKind::Item => (self.check_item(&name, &open.path, &open.text).0, Some(name)),
            FileKind::Config => (self.check_config(&name, &open.path, &open.text), None),
            FileKind::Other => (Vec::new(), None),
        }
    }

    /// The name of `path` in findings when it is a symlink named as an item file in the items
    /// folder, which `poam lint` does not read.
    fn linked_item(&self, path: &Path) -> Option<String> {
        let link = std::fs::symlink_metadata(path).ok()?;
        let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if !link.file_type().is_symlink() || !yaml {
            return None;
        }
        let place = std::fs::canonicalize(path.parent()?)
            .ok()?
            .join(path.file_name()?);
        place
            .starts_with(&self.items_dir)
            .then(|| display_name(&place, &self.root))
    }

    /// The item rules over one item file's text, with the people file and the inventory.
    fn check_item(&self, name: &str, path: &Path, text: &str) -> (Vec<Diagnostic>, Option<Item>) {
        let source = SourceFile::new(name.to_owned(), text.to_owned());
        let node = match crate::parse::parse_str(text) {
            Ok(node) => node,
            Err(error) => {
                let finding = rules::parse_error(&source, &error);
                return (rules::apply_levels(&self.config, vec![finding]), None);
            }
        };
        if node.as_map().is_none() {
            let error = crate::parse::ParseError {
                message: format!("an item must be a YAML mapping, found {}", node.kind()),
                span: node.span,
            };
            let finding = rules::parse_error(&source, &error);
            return (rules::apply_levels(&self.config, vec![finding]), None);
        }
        let item = Item::from_node(&node, text);
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // The evidence files this item names, read afresh: one may have changed on disk.
        let evidence = crate::evidence::EvidenceFiles::gather(
            &self.config.root,
            item.documents
                .iter()
                .flat_map(|documents| documents.value.iter())
                .filter_map(|document| document.path.as_ref().map(|p| p.value.as_str())),
        );
        let mut found = lint::check_item_with(
            &self.config,
            self.today,
            self.kev.as_ref(),
            Elements {
                people: self.people.as_ref(),
                inventory: self.inventory.as_ref(),
                evidence: Some(&evidence),
            },
            &source,
            &item,
            &stem,
            None,
        );
        crate::diag::sort(&mut found);
        (found, Some(item))
    }

    /// `poam.yaml` as the editor holds it: what keeps it from loading, else its own rules.
    fn check_config(&self, name: &str, path: &Path, text: &str) -> Vec<Diagnostic> {
        let source = SourceFile::new(name.to_owned(), text.to_owned());
        match Config::from_bytes(path, text.as_bytes()) {
            Ok(config) => rules::check_config(&config, &source),
            Err(Error::Config(error)) => error
                .problems
                .iter()
                .map(|problem| {
                    config_finding(
                        &source,
                        problem.span,
                        &problem.message,
                        problem.help.as_deref(),
                    )
                })
                .collect(),
            Err(other) => vec![config_finding(
                &source,
                crate::model::Span::new(0, 0),
                &other.to_string(),
                None,
            )],
        }
    }

    /// A save: starts a history run, or, when one is under way, marks it superseded so
    /// another follows it.
    fn judge(&mut self, events: &mpsc::Sender<Event>) {
        self.judging = match self.judging {
            Judging::Idle => spawn_history(self.today, self.config.clone(), events.clone()),
            Judging::Running | Judging::Superseded => Judging::Superseded,
        };
    }

    /// A history run ended: its findings replace the last ones and every open file's
    /// diagnostics are published again; unless a save came in meanwhile, whose run starts
    /// now and whose findings count instead.
    /// Under a hold, `$/poam/historyJudged` follows.
    fn judged(
        &mut self,
        found: HashMap<String, Vec<Diagnostic>>,
        events: &mpsc::Sender<Event>,
    ) -> Vec<Notification> {
        let superseded = self.judging == Judging::Superseded;
        let mut out = if superseded {
            self.judging = spawn_history(self.today, self.config.clone(), events.clone());
            Vec::new()
        } else {
            self.judging = Judging::Idle;
            self.history = found;
            let mut keys: Vec<String> = self.open.keys().cloned().collect();
            keys.sort();
            keys.iter().filter_map(|key| self.publish(key)).collect()
        };
        if self.hold.is_some() {
            out.push(Notification::new(
                HISTORY_JUDGED.to_owned(),
                serde_json::json!({ "superseded": superseded }),
            ));
        }
        out
    }

    fn open_at(&self, position: &lsp::TextDocumentPositionParams) -> Option<(&Open, usize)> {
        let open = self.open.get(position.text_document.uri.as_str())?;
        let offset = text::offset(&open.text, position.position);
        Some((open, offset))
    }

    fn hover(&self, p: &lsp::HoverParams) -> Option<lsp::Hover> {
        let (open, offset) = self.open_at(&p.text_document_position_params)?;
        if self.kind(&open.path) != FileKind::Item {
            return None;
        }
        let node = crate::parse::parse_str(&open.text).ok()?;
        let at = Cursor::find(&node, offset)?;
        let date = at
            .scalar
            .and_then(|s| crate::model::item::parse_date(s.trim()));
        let on_id = at.path_is(&["id"]);
        if !on_id && date.is_none() {
            return None;
        }
        let (_, item) = self.check_item("", &open.path, &open.text);
        let item = item?;
        let name = display_name(&open.path, &self.root);
        let view = crate::profiles::view(&name, &item, &self.config.policy, self.today);
        let mut value = String::new();
        if let Some(date) = date {
            value.push_str(&format!("**{date}**: {}\n\n", relative(date, self.today)));
        }
        value.push_str("```text\n");
        value.push_str(&crate::render::show::render(&view, false));
        value.push_str("```\n");
        Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            }),
            range: Some(text::range(&open.text, at.span)),
        })
    }

    fn complete(&self, p: &lsp::CompletionParams) -> Option<lsp::CompletionResponse> {
        let (open, offset) = self.open_at(&p.text_document_position)?;
        let kind = self.kind(&open.path);
        let context = cursor::context(&open.text, offset);
        let items = match (kind, context) {
            (FileKind::Item, cursor::Context::Key(parent)) => keys(item_keys(parent.as_deref())),
            (FileKind::Config, cursor::Context::Key(None)) => keys(config_keys()),
            (FileKind::Item, cursor::Context::Value(key)) => self.values(&key),
            _ => Vec::new(),
        };
        Some(lsp::CompletionResponse::Array(items))
    }

    /// The values `key` takes.
    fn values(&self, key: &str) -> Vec<lsp::CompletionItem> {
        let words = |names: &[&str], detail: &str| -> Vec<lsp::CompletionItem> {
            names
                .iter()
                .map(|name| completion(name, lsp::CompletionItemKind::ENUM_MEMBER, Some(detail)))
                .collect()
        };
        match key {
            "risk" | "adjusted_risk" => words(crate::model::item::Risk::NAMES, "rating"),
            "status" => words(
                &[
                    "open",
                    "closed",
                    "pending",
                    "approved",
                    "rejected",
                    "withdrawn",
                ],
                "status",
            ),
            "kind" => words(&["new", "update", "complete"], "milestone change"),
            "owner" => self.people.as_ref().map_or_else(Vec::new, |people| {
                people
                    .entries
                    .iter()
                    .map(|person| {
                        completion(
                            &person.id.value,
                            lsp::CompletionItemKind::REFERENCE,
                            person.name.as_deref(),
                        )
                    })
                    .collect()
            }),
            "assets" => self.inventory.as_ref().map_or_else(Vec::new, |inventory| {
                inventory
                    .assets
                    .iter()
                    .map(|asset| {
                        completion(
                            &asset.id.value,
                            lsp::CompletionItemKind::REFERENCE,
                            Some(asset.kind().as_str()),
                        )
                    })
                    .collect()
            }),
            "controls" => crate::catalog::Catalog::get()
                .controls
                .iter()
                .filter(|control| !control.withdrawn)
                .map(|control| {
                    completion(
                        control.label,
                        lsp::CompletionItemKind::CONSTANT,
                        Some(control.title),
                    )
                })
                .collect(),
            "detected" | "due" | "status_date" | "date" | "last_checkin" | "fix_released"
            | "kev_due" => vec![completion(
                &self.today.format("%Y-%m-%d").to_string(),
                lsp::CompletionItemKind::VALUE,
                Some("today"),
            )],
            _ => Vec::new(),
        }
    }

    fn actions(&self, p: &lsp::CodeActionParams) -> Option<Vec<lsp::CodeActionOrCommand>> {
        let open = self.open.get(p.text_document.uri.as_str())?;
        let (findings, _) = self.findings(open);
        let start = text::offset(&open.text, p.range.start);
        let end = text::offset(&open.text, p.range.end);
        let mut actions = Vec::new();
        let mut all = Vec::new();
        for finding in &findings {
            let Some(fix) = &finding.fix else {
                continue;
            };
            if fix.safety == Safety::Safe {
                all.push(fix);
            }
            let span = finding.location.span;
            if span.end < start || span.start > end {
                continue;
            }
            let Some(edit) = self.edit(open, &p.text_document.uri, &[fix]) else {
                continue;
            };
            let unsafe_note = if fix.safety == Safety::Unsafe {
                " (unsafe fix)"
            } else {
                ""
            };
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("{}{unsafe_note}", fix.title),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![to_lsp_diagnostic(finding, &open.text)]),
                edit: Some(edit),
                is_preferred: Some(fix.safety == Safety::Safe),
                ..Default::default()
            }));
        }
        if all.len() > 1 || (all.len() == 1 && actions.is_empty()) {
            if let Some(edit) = self.edit(open, &p.text_document.uri, &all) {
                actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: format!("poam: apply the {} safe fixes of this file", all.len()),
                    kind: Some(lsp::CodeActionKind::new("source.fixAll.poam")),
                    edit: Some(edit),
                    ..Default::default()
                }));
            }
        }
        Some(actions)
    }

    /// The edit that `fixes` make to the open file: one text edit over the changed part.
    fn edit(
        &self,
        open: &Open,
        uri: &lsp::Uri,
        fixes: &[&crate::diag::Fix],
    ) -> Option<lsp::WorkspaceEdit> {
        let (after, applied) = crate::fix::apply_to_text(&open.path, &open.text, fixes).ok()?;
        if applied == 0 {
            return None;
        }
        let edit = text::minimal_edit(&open.text, &after)?;
        #[allow(clippy::mutable_key_type)]
        let changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> =
            std::iter::once((uri.clone(), vec![edit])).collect();
        Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        })
    }

    fn definition(&self, p: &lsp::GotoDefinitionParams) -> Option<lsp::GotoDefinitionResponse> {
        let (open, offset) = self.open_at(&p.text_document_position_params)?;
        if self.kind(&open.path) != FileKind::Item {
            return None;
        }
        let node = crate::parse::parse_str(&open.text).ok()?;
        let at = Cursor::find(&node, offset)?;
        let value = at.scalar?.trim();
        if at.path_is(&["owner"]) {
            let people = self.people.as_ref()?;
            let person = people.get(value)?;
            let path = self.config.people_file()?;
            return Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location {
                uri: text::path_uri(&path)?,
                range: text::range(&people.source.text, person.id.span),
            }));
        }
        if at.top() == Some("assets") {
            let inventory = self.inventory.as_ref()?;
            let asset = inventory.resolve_entry(value)?.asset();
            let file = inventory.file(asset.file)?;
            let path = inventory.paths.get(asset.file)?;
            return Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location {
                uri: text::path_uri(path)?,
                range: text::range(&file.text, asset.id.span),
            }));
        }
        None
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileKind {
    Item,
    Config,
    Other,
}

/// One lint of the repository with history on a thread of its own; its history findings, by
/// file, go to `events` (nowhere, when the server has stopped). The state of the runs after
/// starting one: `Idle` when no thread could be started.
fn spawn_history(today: NaiveDate, config: Config, events: mpsc::Sender<Event>) -> Judging {
    let run = move || {
        let input = LintInput {
            today,
            history: HistoryMode::Full,
            progress: false,
            sources: false,
        };
        let mut found: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        match Workspace::open(config).and_then(|ws| lint::lint(ws, &input)) {
            Ok(report) => {
                for finding in report.diagnostics {
                    if is_history_code(finding.code) {
                        found
                            .entry(finding.location.file.clone())
                            .or_default()
                            .push(finding);
                    }
                }
            }
            Err(error) => eprintln!("poam lsp: the history rules did not run: {error}"),
        }
        // A closed channel: the session ended while the history was judged.
        events.send(Event::History(found)).ok();
    };
    match std::thread::Builder::new()
        .name("poam-lsp-history".to_owned())
        .spawn(run)
    {
        Ok(_) => Judging::Running,
        Err(error) => {
            eprintln!("poam lsp: cannot start the history thread: {error}");
            Judging::Idle
        }
    }
}

fn send(connection: &Connection, message: Message) -> Result<(), Error> {
    connection
        .sender
        .send(message)
        .map_err(|e| Error::Refused(format!("the editor connection closed: {e}")))
}

fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, String> {
    serde_json::from_value(request.params).map_err(|e| e.to_string())
}

fn to_json<T: serde::Serialize>(value: T) -> Json {
    serde_json::to_value(value).unwrap_or(Json::Null)
}

/// A finding about `poam.yaml` that keeps it from loading.
fn config_finding(
    source: &SourceFile,
    span: crate::model::Span,
    message: &str,
    help: Option<&str>,
) -> Diagnostic {
    Diagnostic {
        code: crate::code::Code::ParseError,
        severity: Severity::Error,
        item: None,
        location: source.location(span),
        label: None,
        message: message.to_owned(),
        help: help.map(|h| std::borrow::Cow::Owned(h.to_owned())),
        related: Vec::new(),
        fix: None,
    }
}

fn to_lsp_diagnostic(finding: &Diagnostic, text: &str) -> lsp::Diagnostic {
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    lsp::Diagnostic {
        range: text::range(text, finding.location.span),
        severity: Some(match finding.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Note => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(
            finding.code.as_str().to_owned(),
        )),
        code_description: finding
            .code
            .help_uri()
            .parse()
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("poam".to_owned()),
        message,
        ..Default::default()
    }
}

/// `in 3 days`, `today`, `5 days ago`.
fn relative(date: NaiveDate, today: NaiveDate) -> String {
    let days = (date - today).num_days();
    match days {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        n if n > 0 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

fn completion(
    label: &str,
    kind: lsp::CompletionItemKind,
    detail: Option<&str>,
) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail: detail.map(str::to_owned),
        ..Default::default()
    }
}

fn keys(names: Vec<String>) -> Vec<lsp::CompletionItem> {
    names
        .into_iter()
        .map(|name| lsp::CompletionItem {
            insert_text: Some(format!("{name}: ")),
            label: name,
            kind: Some(lsp::CompletionItemKind::FIELD),
            ..Default::default()
        })
        .collect()
}

/// The documented keys of the item mapping named `parent` (the item itself when `None`).
fn item_keys(parent: Option<&str>) -> Vec<String> {
    use crate::model::item::*;
    let keys: &[&str] = match parent {
        None => ITEM_KEYS,
        Some("milestones") => MILESTONE_KEYS,
        Some("milestone_changes") => MILESTONE_CHANGE_KEYS,
        Some("vendor_dependency") => VENDOR_KEYS,
        Some("deviations") => DEVIATIONS_KEYS,
        Some("risk_adjustment") => RISK_ADJUSTMENT_KEYS,
        Some("false_positive" | "operational_requirement") => DEVIATION_KEYS,
        Some("documents") => DOCUMENT_KEYS,
        Some("closed") => CLOSED_KEYS,
        Some(_) => &[],
    };
    keys.iter().map(|k| (*k).to_owned()).collect()
}

/// The top-level keys of `poam.yaml`, from its schema.
fn config_keys() -> Vec<String> {
    let schema: Json = serde_json::from_str(&crate::schema::config_schema()).unwrap_or(Json::Null);
    schema
        .get("properties")
        .and_then(Json::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}
