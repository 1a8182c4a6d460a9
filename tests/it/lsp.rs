//! `poam lsp` driven as an editor drives it: real LSP messages (Content-Length framed
//! JSON-RPC) over the standard input and output of the real binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{copy_fixture, poam, TODAY};

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications received while waiting for a response.
    pending: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(dir: &Path) -> Client {
        Client::start_with(dir, &[])
    }

    /// A session with the environment variables `envs` set.
    fn start_with(dir: &Path, envs: &[(&str, &str)]) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("poam"))
            .args(["--today", TODAY, "lsp"])
            .current_dir(dir)
            .env("TZ", "UTC")
            .envs(envs.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("poam lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().expect("length");
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("JSON body");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            pending: Vec::new(),
            next_id: 1,
        }
    }

    /// A session in `root` with the item `uri` open (version 1) holding `text`.
    fn opened(root: &Path, uri_of_item: &str, text: &str) -> Client {
        Client::opened_with(root, uri_of_item, text, &[])
    }

    /// [`Client::opened`] with the environment variables `envs` set.
    fn opened_with(root: &Path, uri_of_item: &str, text: &str, envs: &[(&str, &str)]) -> Client {
        let mut client = Client::start_with(root, envs);
        client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri(root), "capabilities": {}}),
        );
        client.notify("initialized", json!({}));
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri_of_item, "languageId": "yaml", "version": 1, "text": text}}),
        );
        client
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn next(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next();
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
            self.pending.push(message);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        self.publication(uri)["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The messages that arrive before the next notification `method`, and its parameters.
    fn until_notified(&mut self, method: &str) -> (Vec<Value>, Value) {
        let mut before = Vec::new();
        loop {
            let message = if self.pending.is_empty() {
                self.next()
            } else {
                self.pending.remove(0)
            };
            if message["method"] == method {
                return (before, message["params"].clone());
            }
            before.push(message);
        }
    }

    /// The next `publishDiagnostics` parameters for `uri` (its diagnostics and version).
    fn publication(&mut self, uri: &str) -> Value {
        let is_ours = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(at) = self.pending.iter().position(is_ours) {
            return self.pending.remove(at)["params"].clone();
        }
        loop {
            let message = self.next();
            if is_ours(&message) {
                return message["params"].clone();
            }
            self.pending.push(message);
        }
    }
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn uri(path: &Path) -> String {
    let path = std::fs::canonicalize(path).expect("canonical path");
    format!("file://{}", path.display())
}

/// The position of the first `needle` in `text`, `after` bytes into it.
fn at(text: &str, needle: &str, after: usize) -> Value {
    let offset = text.find(needle).expect("needle in text") + after;
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": column})
}

#[test]
fn an_editor_session_gets_diagnostics_hover_completion_fixes_and_definitions() {
    let dir = copy_fixture("lsp");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    let file = root.join("poams/V-1.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    let item = uri(&file);
    let mut client = Client::start(&root);

    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&root), "capabilities": {}}),
    );
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    assert_eq!(init["capabilities"]["definitionProvider"], true);
    client.notify("initialized", json!({}));

    // Diagnostics as lint reports them, on open.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": item, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let found = client.diagnostics(&item);
    assert_eq!(codes(&found), ["word-case"], "{found:#?}");
    assert_eq!(found[0]["range"]["start"], at(&text, "Open", 0));
    assert_eq!(found[0]["severity"], 3);

    // On a change: the owner rules see the people file (a single-item check used to pass no
    // people file, so they stayed quiet).
    let changed = text.replace("owner: jdoe", "owner: jdo");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": item, "version": 2}, "contentChanges": [{"text": changed}]}),
    );
    let found = client.diagnostics(&item);
    assert_eq!(codes(&found), ["owner-unknown", "word-case"], "{found:#?}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": item, "version": 3}, "contentChanges": [{"text": text}]}),
    );
    assert_eq!(codes(&client.diagnostics(&item)), ["word-case"]);

    // Hover on the id: the item's standing as `poam show` prints it.
    let show = poam()
        .current_dir(&root)
        .args(["--today", TODAY, "--color", "never", "show", "V-1"])
        .output()
        .expect("show runs");
    let show = String::from_utf8_lossy(&show.stdout).into_owned();
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": item}, "position": at(&text, "id: V-1", 5)}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(shown.contains(&show), "hover:\n{shown}\nshow:\n{show}");
    // On a date: how far it is, then the standing.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": item}, "position": at(&text, "due: 2026-12-29", 6)}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(shown.starts_with("**2026-12-29**: in 34 days\n"), "{shown}");
    assert!(shown.contains(&show), "{shown}");

    // Completion: values from the schema and the people file, keys of the mapping.
    let labels = |result: &Value| -> Vec<String> {
        result
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| i["label"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let risk = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": item}, "position": at(&text, "risk: moderate", 6)}),
    );
    assert_eq!(labels(&risk), ["low", "moderate", "high", "critical"]);
    let owners = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": item}, "position": at(&text, "owner: jdoe", 7)}),
    );
    assert_eq!(labels(&owners), ["jdoe", "tnguyen", "platform-team"]);
    let keys = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": item}, "position": at(&text, "    description: Apply", 4)}),
    );
    assert_eq!(labels(&keys), ["id", "date", "description", "status"]);

    // A code action from the finding's fix.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": item},
            "range": {"start": at(&text, "Open", 0), "end": at(&text, "Open", 4)},
            "context": {"diagnostics": []}
        }),
    );
    let action = &actions[0];
    assert_eq!(action["title"], "write `open`");
    assert_eq!(action["kind"], "quickfix");
    let edits = &action["edit"]["changes"][&item];
    assert_eq!(
        edits,
        &json!([{"range": {"start": at(&text, "Open", 0), "end": at(&text, "Open", 1)}, "newText": "o"}])
    );

    // Go to definition: the owner's entry in people.yaml, the asset's in the inventory.
    let people = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": item}, "position": at(&text, "owner: jdoe", 8)}),
    );
    assert_eq!(people["uri"], uri(&root.join("people.yaml")));
    assert_eq!(people["range"]["start"], json!({"line": 1, "character": 6}));
    let asset = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": item}, "position": at(&text, "web-prod-01", 2)}),
    );
    assert_eq!(asset["uri"], uri(&root.join("inventory/web.yaml")));
    assert_eq!(asset["range"]["start"], json!({"line": 1, "character": 6}));

    // On save the history rules run too (here: no git repository, so none apply).
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": item}}),
    );
    assert_eq!(codes(&client.diagnostics(&item)), ["word-case"]);

    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown, Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("the server exits");
    assert!(status.success(), "{status:?}");
}

/// Runs git in `dir` with fixed names and dates.
fn git(dir: &Path, args: &[&str], date: &str) {
    let status = Command::new("git")
        .args(["-c", "user.name=Ops", "-c", "user.email=ops@example.com"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn history_rules_speak_on_save_and_field_rules_on_change() {
    let dir = copy_fixture("lsp");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    git(&root, &["init", "-q"], "2026-11-01T09:00:00Z");
    git(&root, &["add", "."], "2026-11-01T09:00:00Z");
    git(&root, &["commit", "-qm", "V-1"], "2026-11-01T09:00:00Z");
    let file = root.join("poams/V-1.yaml");
    let moved = std::fs::read_to_string(&file)
        .expect("read")
        .replace("due: 2026-12-29", "due: 2026-12-30");
    std::fs::write(&file, &moved).expect("write");
    git(
        &root,
        &["commit", "-qam", "move the due date"],
        "2026-11-10T09:00:00Z",
    );

    let item = uri(&file);
    let mut client = Client::opened(&root, &item, &moved);
    // Opening runs the field and deadline rules only.
    assert_eq!(codes(&client.diagnostics(&item)), ["word-case"]);
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": item}}),
    );
    let found = client.diagnostics(&item);
    assert_eq!(codes(&found), ["word-case", "due-changed"], "{found:#?}");
    assert_eq!(found[1]["range"]["start"], at(&moved, "2026-12-30", 0));
    // The history findings stay through later changes, until the next save.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": item, "version": 2}, "contentChanges": [{"text": moved.replace("Open", "open")}]}),
    );
    assert_eq!(codes(&client.diagnostics(&item)), ["due-changed"]);
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().expect("exits").success());
}

/// A repository whose item changed in `revisions` commits (a comment line each, so the
/// history walk reads every one), the last of which moves the due date (`due-changed`).
/// Returns the item's final text.
fn long_history(root: &Path, revisions: usize) -> String {
    git(root, &["init", "-q"], "2026-11-01T09:00:00Z");
    git(root, &["add", "."], "2026-11-01T09:00:00Z");
    git(root, &["commit", "-qm", "V-1"], "2026-11-01T09:00:00Z");
    let text = std::fs::read_to_string(root.join("poams/V-1.yaml")).expect("read");
    let mut stream = String::new();
    let mut last = text.clone();
    for n in 1..=revisions {
        last = format!("# revision {n}\n{text}");
        if n == revisions {
            last = last.replace("due: 2026-12-29", "due: 2026-12-30");
        }
        let message = format!("revision {n}");
        // 2026-11-01T10:00:00Z, a minute apart.
        let time = 1_761_991_200 + 60 * n;
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter Ops <ops@example.com> {time} +0000\ndata {}\n{message}\n",
            message.len()
        ));
        if n == 1 {
            stream.push_str("from refs/heads/main^0\n");
        }
        stream.push_str(&format!(
            "M 100644 inline poams/V-1.yaml\ndata {}\n{last}\n",
            last.len()
        ));
    }
    let mut import = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", root)
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import runs");
    import
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("stream");
    assert!(import.wait().expect("imports").success());
    git(root, &["reset", "-q", "--hard"], "2026-11-01T09:00:00Z");
    assert_eq!(
        std::fs::read_to_string(root.join("poams/V-1.yaml")).expect("read"),
        last
    );
    last
}

/// The `publishDiagnostics` notifications among `messages`.
fn publications(messages: &[Value]) -> Vec<&Value> {
    messages
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .collect()
}

#[test]
fn edits_are_answered_while_the_history_is_judged_and_a_later_save_supersedes_a_run() {
    let dir = copy_fixture("lsp");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    let text = long_history(&root, 30);
    let item = uri(&root.join("poams/V-1.yaml"));
    // Each history run's findings wait for `$/poam/releaseHistory`, so the order below is the
    // order of the messages, whatever a run takes.
    let hold = [("POAM_LSP_HOLD_HISTORY", "1")];
    let mut client = Client::opened_with(&root, &item, &text, &hold);
    assert_eq!(codes(&client.diagnostics(&item)), ["word-case"]);

    // A save starts a history run; the edit after it is answered with the field rules alone.
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": item}}),
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": item, "version": 2}, "contentChanges": [{"text": text.replace("Open", "open")}]}),
    );
    let edited = client.publication(&item);
    assert_eq!(edited["version"], 2);
    assert_eq!(
        codes(edited["diagnostics"].as_array().expect("list")),
        Vec::<String>::new()
    );
    // Requests are answered too, and nothing is published while the run is held.
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": item}, "position": {"line": 0, "character": 0}}),
    );
    let pending = std::mem::take(&mut client.pending);
    assert!(publications(&pending).is_empty(), "{pending:#?}");
    // Released: the history's findings, with the field findings of the text as it is now.
    client.notify("$/poam/releaseHistory", Value::Null);
    let (before, judged) = client.until_notified("$/poam/historyJudged");
    assert_eq!(judged, json!({"superseded": false}));
    let published = publications(&before);
    assert_eq!(published.len(), 1, "{before:#?}");
    assert_eq!(published[0]["params"]["version"], 2);
    assert_eq!(
        codes(
            published[0]["params"]["diagnostics"]
                .as_array()
                .expect("list")
        ),
        ["due-changed"]
    );

    // Two saves in a row: the first run is superseded, its findings dropped unpublished; the
    // second run follows it, and only its findings are published.
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": item}}),
    );
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": item}}),
    );
    client.notify("$/poam/releaseHistory", Value::Null);
    let (before, first) = client.until_notified("$/poam/historyJudged");
    assert_eq!(first, json!({"superseded": true}));
    assert!(
        publications(&before).is_empty(),
        "a superseded run published: {before:#?}"
    );
    client.notify("$/poam/releaseHistory", Value::Null);
    let (before, second) = client.until_notified("$/poam/historyJudged");
    assert_eq!(second, json!({"superseded": false}));
    let published = publications(&before);
    assert_eq!(published.len(), 1, "{before:#?}");
    assert_eq!(
        codes(
            published[0]["params"]["diagnostics"]
                .as_array()
                .expect("list")
        ),
        ["due-changed"]
    );
    client.request("shutdown", Value::Null);
    assert!(
        publications(&client.pending).is_empty(),
        "{:#?}",
        client.pending
    );
    client.notify("exit", Value::Null);
    assert!(client.child.wait().expect("exits").success());
}

#[test]
fn poam_yaml_gets_its_problems_and_its_keys() {
    let dir = copy_fixture("lsp");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    let config = uri(&root.join("poam.yaml"));
    let mut client = Client::start(&root);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&root), "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    let text = "items: poams\nrules: {no-such-rule: off}\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": config, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let found = client.diagnostics(&config);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["range"]["start"], at(text, "no-such-rule", 0));
    assert!(
        found[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("no-such-rule")),
        "{found:#?}"
    );
    let fixed = "items: poams\n";
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": config, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(client.diagnostics(&config), Vec::<Value>::new());
    let keys = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": config}, "position": {"line": 1, "character": 0}}),
    );
    let labels: Vec<&str> = keys
        .as_array()
        .map(|k| k.iter().filter_map(|i| i["label"].as_str()).collect())
        .unwrap_or_default();
    for key in ["items", "profile", "rules", "history_waivers"] {
        assert!(labels.contains(&key), "{key} in {labels:?}");
    }
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().expect("exits").success());
}

/// An item file that is a symlink gets the finding `poam lint` gives it, not the findings of
/// the file it points at, which lint does not read.
#[cfg(unix)]
#[test]
fn a_symlinked_item_gets_the_finding_lint_gives_it() {
    let dir = copy_fixture("lsp");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    let target = std::fs::read_to_string(root.join("poams/V-1.yaml")).expect("read");
    std::fs::write(root.join("elsewhere.yaml"), &target).expect("write");
    std::os::unix::fs::symlink("../elsewhere.yaml", root.join("poams/V-1.yaml.link.yaml"))
        .expect("link");
    let link = format!("file://{}", root.join("poams/V-1.yaml.link.yaml").display());
    let mut client = Client::opened(&root, &link, &target);
    let found = client.diagnostics(&link);
    assert_eq!(codes(&found), ["parse-error"], "{found:#?}");
    assert!(
        found[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("is a symlink")),
        "{found:#?}"
    );
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().expect("exits").success());
}

/// A server whose editor goes away ends instead of outliving it: when its input closes
/// without `exit` (the editor crashed or was killed), with 0; when the editor sends what is
/// not a message, with 2 and the reason.
#[test]
fn the_server_ends_when_its_editor_goes_away() {
    let dir = copy_fixture("lsp");
    let framed = |message: Value| {
        let body = message.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    };
    let start = framed(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": uri(dir.path()), "capabilities": {}}}))
        + &framed(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    for (after, code, says) in [
        ("", 0, ""),
        (
            "Content-Length: 10\r\n\r\n{not json}",
            2,
            "the editor connection failed: malformed LSP payload",
        ),
    ] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("poam"))
            .args(["--today", TODAY, "lsp"])
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("poam lsp starts");
        let mut stdin = child.stdin.take().expect("stdin");
        write!(stdin, "{start}{after}").expect("write");
        drop(stdin);
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > Duration::from_secs(30) {
                child.kill().expect("kill");
                panic!("poam lsp outlived its editor ({after:?})");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("read");
        assert_eq!(status.code(), Some(code), "{after:?}: {stderr}");
        assert!(stderr.contains(says), "{after:?}: {stderr}");
    }
}
