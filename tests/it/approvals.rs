//! Who may decide (`decision-unauthorized`), on the repository of
//! tests/fixtures/git/approvals.sh: real SSH keys made by `ssh-keygen` and an OpenPGP key made
//! by `gpg` in the script, commits signed by git. Keys, and so commit ids and key
//! fingerprints, differ on every run: they are scrubbed from the messages.

use std::path::Path;

use crate::common::{build_repo, poam};

/// (item, message) of the `decision-unauthorized` findings of `poam lint ARGS` in `repo`,
/// commit ids and key fingerprints scrubbed; and the codes of every other history finding.
fn decisions(repo: &Path, args: &[&str]) -> (Vec<(String, String)>, Vec<String>) {
    let output = poam()
        .current_dir(repo)
        .arg("lint")
        .args(["--today", "2026-03-20", "--format", "json"])
        .args(args)
        .output()
        .expect("run poam");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let mut found = Vec::new();
    let mut others = Vec::new();
    for d in json["diagnostics"].as_array().expect("diagnostics") {
        let code = d["code"].as_str().unwrap_or_default();
        if code == "decision-unauthorized" {
            found.push((
                d["item"].as_str().unwrap_or_default().to_owned(),
                scrub(d["message"].as_str().unwrap_or_default()),
            ));
        } else if code.starts_with("waiver-") || code.starts_with("history-") {
            others.push(code.to_owned());
        }
    }
    (found, others)
}

/// Commit ids and key fingerprints made by this run replaced by placeholders.
fn scrub(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(at) = rest.find("SHA256:") {
        out.push_str(&rest[..at]);
        out.push_str("SHA256:<fingerprint>");
        rest = &rest[at + 7..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/'))
            .unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    match out.find("(commit ") {
        Some(at) => {
            let id_end = at + "(commit ".len() + 7;
            format!("{}(commit <id>{}", &out[..at], &out[id_end..])
        }
        None => out,
    }
}

fn expected_required() -> Vec<(String, String)> {
    [
        ("V-10", "closing the item is in a commit whose signature is not valid: the SSH signature does not match the commit (commit <id> by Jane Doe on 2026-03-06)"),
        ("V-2", "closing the item is in an unsigned commit (its author is `bob`); `approvals.signatures: required` wants a signature by a person holding `isso` (commit <id> by Bob Builder on 2026-02-02)"),
        ("V-3", "closing the item is signed with SSH key SHA256:<fingerprint> by `bob`, who holds `engineer`; may decide: `isso` (commit <id> by Bob Builder on 2026-02-03)"),
        ("V-4", "closing the item is signed with SSH key SHA256:<fingerprint>, which no person of the people file lists under `keys:`; may decide: `isso` (commit <id> by Bob Builder on 2026-02-04)"),
        ("V-5", "closing the item is in an unsigned commit (its author is `jane`); `approvals.signatures: required` wants a signature by a person holding `isso` (commit <id> by Jane Doe on 2026-02-05)"),
        ("V-7", "closing the item was signed by the merge bot `web-flow`, authored by `bob` (bob@example.com), who holds `engineer`; may decide: `isso` (commit <id> by Bob Builder on 2026-02-07)"),
        ("V-8", "closing the item is signed with SSH key SHA256:<fingerprint> by `rita`, on 2026-03-05, after their `until: 2026-02-28`; may decide: `isso` (commit <id> by Rita Lee on 2026-03-05)"),
    ]
    .into_iter()
    .map(|(item, message)| (item.to_owned(), message.to_owned()))
    .collect()
}

#[test]
fn each_unauthorized_decision_is_named_alike_in_full_and_pull_request_mode() {
    let (_temp, repo) = build_repo("approvals");
    // V-1 (signed by the ISSO), V-6 (the ISSO's pull request squash-merged and signed by the
    // merge bot, `due` moved too) and V-9 (no decision) pass; findings come by file, V-10 first.
    let (full, others) = decisions(&repo, &[]);
    assert_eq!(full, expected_required());
    assert!(others.is_empty(), "{others:?}");
    // The pull request of every commit since `base`: the same decisions, the same commits.
    let (pr, _) = decisions(&repo, &["--base", "base"]);
    assert_eq!(pr, full);
}

/// The id of the commit whose message starts with `subject`.
fn commit_of(repo: &Path, subject: &str) -> String {
    let output = std::process::Command::new("git")
        .current_dir(repo)
        .args(["log", "--format=%H %s"])
        .output()
        .expect("git log");
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        .find_map(|line| {
            let (id, message) = line.split_once(' ')?;
            message.starts_with(subject).then(|| id.to_owned())
        })
        .expect("commit")
}

fn set_config(repo: &Path, from: &str, to: &str) {
    let path = repo.join("poam.yaml");
    let text = std::fs::read_to_string(&path).expect("poam.yaml");
    assert!(text.contains(from), "{from}");
    std::fs::write(&path, text.replace(from, to)).expect("write poam.yaml");
}

#[test]
fn a_history_waiver_acknowledges_one_decision() {
    let (_temp, repo) = build_repo("approvals");
    let commit = commit_of(&repo, "Close V-5");
    let waivers = format!(
        "history_waivers:\n  - commit: \"{}\"\n    rule: decision-unauthorized\n    reason: Jane approved V-5's closure in the March review; her key was not set up yet.\n",
        &commit[..12]
    );
    let path = repo.join("poam.yaml");
    let text = std::fs::read_to_string(&path).expect("poam.yaml");
    std::fs::write(&path, format!("{text}{waivers}")).expect("write");
    let (found, others) = decisions(&repo, &[]);
    let mut expected = expected_required();
    expected.retain(|(item, _)| item != "V-5");
    assert_eq!(found, expected);
    // The waiver matched: no `waiver-unmatched`.
    assert!(others.is_empty(), "{others:?}");
}

#[test]
fn author_mode_takes_the_author_email_and_off_checks_nobody() {
    let (_temp, repo) = build_repo("approvals");
    set_config(&repo, "signatures: required", "signatures: author");
    let (found, _) = decisions(&repo, &[]);
    let items: Vec<&str> = found.iter().map(|(item, _)| item.as_str()).collect();
    // Bob's closures, signed or not, and Rita's after her last day; Jane's unsigned commit
    // passes now.
    assert_eq!(items, ["V-2", "V-3", "V-4", "V-7", "V-8"]);
    assert_eq!(
        found[0].1,
        "closing the item was authored by `bob` (bob@example.com), who holds `engineer`; may decide: `isso` (commit <id> by Bob Builder on 2026-02-02)"
    );
    set_config(&repo, "signatures: author", "signatures: off");
    assert!(decisions(&repo, &[]).0.is_empty());
}

#[test]
fn a_decision_no_role_is_named_for_is_anybodys() {
    let (_temp, repo) = build_repo("approvals");
    // Near miss: V-6's `due` moved in the bot-signed commit authored by Jane passes; with
    // `due-change` given to nobody it is reported, and without `close` no closure is.
    set_config(
        &repo,
        "  close: [isso]\n  due-change: [isso]\n",
        "  due-change: []\n",
    );
    let (found, _) = decisions(&repo, &[]);
    assert_eq!(
        found,
        [(
            "V-6".to_owned(),
            "moving `due` was signed by the merge bot `web-flow`, authored by `jane` (jane@example.com), who holds `isso`; may decide: nobody (commit <id> by Jane Doe on 2026-02-06)".to_owned()
        )]
    );
}

/// `poam codeowners` in a copy of the codeowners fixture (outside git: the folder of
/// `poam.yaml` is the root), today fixed.
fn codeowners(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = poam()
        .current_dir(dir)
        .args(["codeowners", "--today", "2026-11-25"])
        .args(args)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("utf-8"),
    )
}

#[test]
fn codeowners_is_generated_then_stale_after_a_change_of_owner() {
    let temp = crate::common::copy_fixture("rules/codeowners-stale/near-miss");
    let dir = temp.path();
    let file = dir.join(".github/CODEOWNERS");
    // The team's own lines only: the block is appended after them.
    std::fs::write(&file, "# The team's own rules\n* @example/platform\n").expect("write");
    assert_eq!(codeowners(dir, &["--check"]).0, 1);
    assert_eq!(
        codeowners(dir, &[]),
        (0, "wrote .github/CODEOWNERS\n".to_owned())
    );
    let written = std::fs::read_to_string(&file).expect("read");
    assert_eq!(
        written,
        "# The team's own rules\n* @example/platform\n\n\
         # poam codeowners begin: generated by `poam codeowners` from the people file and `approvals:`; edit those, not these lines\n\
         /people.yaml @jdoe-gh @kpatel-ao\n\
         /poam.yaml @jdoe-gh @kpatel-ao\n\
         /poams/V-1.yaml @jdoe-gh\n\
         /poams/V-2.yaml @example/platform\n\
         # poam codeowners end\n"
    );
    // The fixture's own file is exactly this: generated, not hand-made.
    let fixture =
        crate::common::fixtures().join("rules/codeowners-stale/near-miss/.github/CODEOWNERS");
    assert_eq!(std::fs::read_to_string(fixture).expect("fixture"), written);
    assert_eq!(
        codeowners(dir, &["--check"]),
        (0, ".github/CODEOWNERS is up to date\n".to_owned())
    );
    // V-2 changes hands: the block is stale until written again, in place.
    let item = dir.join("poams/V-2.yaml");
    let text = std::fs::read_to_string(&item).expect("item");
    std::fs::write(
        &item,
        text.replace("owner: platform-team", "owner: tnguyen"),
    )
    .expect("write");
    assert_eq!(
        codeowners(dir, &["--check"]),
        (
            1,
            ".github/CODEOWNERS is stale: run `poam codeowners` and commit it\n".to_owned()
        )
    );
    let (code, json) = crate::common::lint_json(dir);
    assert_eq!(code, 1);
    assert_eq!(json["diagnostics"][0]["code"], "codeowners-stale");
    codeowners(dir, &[]);
    let rewritten = std::fs::read_to_string(&file).expect("read");
    assert_eq!(
        rewritten,
        written.replace(
            "/poams/V-2.yaml @example/platform",
            "/poams/V-2.yaml @tnguyen"
        )
    );
    // Tom leaves: his item has no handle to own it any more, and says so.
    let people = dir.join("people.yaml");
    let text = std::fs::read_to_string(&people).expect("people");
    std::fs::write(
        &people,
        text.replace(
            "  roles: [engineer]\n",
            "  roles: [engineer]\n  until: 2026-10-31\n",
        ),
    )
    .expect("write");
    codeowners(dir, &[]);
    let after = std::fs::read_to_string(&file).expect("read");
    assert!(
        after.contains("# /poams/V-2.yaml: owner `tnguyen` is past their `until: 2026-10-31`\n"),
        "{after}"
    );
    assert!(!after.contains("@tnguyen"), "{after}");
}

/// (code, item, message) of the `decision-unauthorized` and `history-rebase-merge` findings of
/// `poam lint ARGS` in `repo`, scrubbed, sorted.
fn gate_findings(repo: &Path, args: &[&str]) -> Vec<(String, String, String)> {
    let output = poam()
        .current_dir(repo)
        .arg("lint")
        .args(["--today", "2026-03-20", "--format", "json"])
        .args(args)
        .output()
        .expect("run poam");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let mut found: Vec<(String, String, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| {
            matches!(
                d["code"].as_str(),
                Some("decision-unauthorized" | "history-rebase-merge")
            )
        })
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["item"].as_str().unwrap_or_default().to_owned(),
                scrub(d["message"].as_str().unwrap_or_default()),
            )
        })
        .collect();
    found.sort();
    found
}

const BOB_CLOSES: &str = "closing the item is signed with SSH key SHA256:<fingerprint> by `bob`, who holds `engineer`; may decide: `isso`";

#[test]
fn an_item_written_already_decided_is_a_decision_whatever_the_file_does() {
    let (_temp, repo) = build_repo("approvals_walkarounds");
    let bob = |item: &str, action: &str, date: &str| {
        (
            "decision-unauthorized".to_owned(),
            item.to_owned(),
            format!("{action} (commit <id> by Bob Builder on {date})"),
        )
    };
    let deviation = "deciding a deviation is signed with SSH key SHA256:<fingerprint> by `bob`, who holds `engineer`; may decide: `isso`";
    // Added closed (W-1), deleted and added back closed under another name (W-3), moved and
    // closed at once (W-4), added with its deviation approved (W-5), deleted and added back
    // closed under the same name (W-6), closed by the engineer before the ISSO closed it
    // again (W-7). The ISSO's own file added closed (W-2) passes.
    let mut full = vec![
        bob("W-1", BOB_CLOSES, "2026-02-01"),
        bob("W-3", BOB_CLOSES, "2026-02-03"),
        bob("W-4", BOB_CLOSES, "2026-02-04"),
        bob("W-5", deviation, "2026-02-05"),
        bob("W-6", BOB_CLOSES, "2026-02-06"),
        bob("W-7", BOB_CLOSES, "2026-02-07"),
    ];
    full.sort();
    assert_eq!(gate_findings(&repo, &[]), full);
    // The pull request of every commit since `base`: the same decisions at the same commits,
    // except W-7, whose net change is the ISSO's closure: a rebase merge would land the
    // engineer's on main, which `history-rebase-merge` says.
    let mut pr: Vec<_> = full.iter().filter(|f| f.1 != "W-7").cloned().collect();
    pr.push((
        "history-rebase-merge".to_owned(),
        "W-7".to_owned(),
        format!("a rebase or fast-forward merge would leave `decision-unauthorized` on main: {BOB_CLOSES} (commit <id> by Bob Builder on 2026-02-07)"),
    ));
    pr.push((
        "history-rebase-merge".to_owned(),
        "W-7".to_owned(),
        "a rebase or fast-forward merge would leave `reopened` on main: item went from `closed` back to `open` (commit <id> by Bob Builder on 2026-02-07)".to_owned(),
    ));
    pr.sort();
    assert_eq!(gate_findings(&repo, &["--base", "base"]), pr);
    // Squash-merged, the pull request lands as its net change: W-7 is fine.
    set_config(
        &repo,
        "signatures: required",
        "signatures: required\nmerge_strategy: squash",
    );
    let squash: Vec<_> = pr.iter().filter(|f| f.1 != "W-7").cloned().collect();
    assert_eq!(gate_findings(&repo, &["--base", "base"]), squash);
}

#[test]
fn a_cat_i_item_is_closed_or_risk_accepted_by_the_cat_i_approver_under_dod_rmf() {
    let (_temp, repo) = build_repo("approvals_cat_i");
    let cat_i = "closing or risk-accepting a CAT I item is signed with SSH key SHA256:<fingerprint> by `jane`, who holds `isso`; may decide: `cat-i-approver`";
    let jane = |item: &str, date: &str| {
        (
            "decision-unauthorized".to_owned(),
            item.to_owned(),
            format!("{cat_i} (commit <id> by Jane Doe on {date})"),
        )
    };
    // D-1 closed by an ISSO, D-4 (Very High) risk-accepted by her, D-5 lowered to CAT III and
    // closed in one commit. D-2 (closed by the CAT I approver) and D-3 (CAT II) pass.
    let expected = vec![
        jane("D-1", "2026-02-01"),
        jane("D-4", "2026-02-04"),
        jane("D-5", "2026-02-05"),
    ];
    assert_eq!(gate_findings(&repo, &[]), expected);
    assert_eq!(gate_findings(&repo, &["--base", "base"]), expected);
    // `approvals.cat-i` names the roles instead of the profile's default.
    set_config(&repo, "close: [isso]", "close: [isso]\n  cat-i: [isso]");
    assert_eq!(gate_findings(&repo, &[]), Vec::new());
}

#[test]
fn a_pull_request_to_be_squash_merged_is_judged_as_the_squash_commit_will_be() {
    let (_temp, repo) = build_repo("approvals");
    set_config(&repo, "approvals:", "merge_strategy: squash\napprovals:");
    // Full history is unchanged: its commits are what landed.
    let (full, _) = decisions(&repo, &[]);
    assert_eq!(full, expected_required());
    // The pull request's decisions will land in a squash commit the merge bot signs, which
    // stands for its author: each is judged by the author of the commit that made it. The
    // ISSO's unsigned (V-5) and tampered (V-10) closures pass; the engineer's fail however
    // they were signed; the former ISSO's fails by date.
    let squash = |item: &str, who: &str, email: &str, why: &str, name: &str, date: &str| {
        (
            item.to_owned(),
            format!("closing the item was to be squash-merged and signed by the merge bot `web-flow`, authored by `{who}` ({email}), {why}; may decide: `isso` (commit <id> by {name} on {date})"),
        )
    };
    let bob = |item: &str, date: &str| {
        squash(
            item,
            "bob",
            "bob@example.com",
            "who holds `engineer`",
            "Bob Builder",
            date,
        )
    };
    let expected = vec![
        bob("V-2", "2026-02-02"),
        bob("V-3", "2026-02-03"),
        bob("V-4", "2026-02-04"),
        bob("V-7", "2026-02-07"),
        squash(
            "V-8",
            "rita",
            "rita@example.com",
            "on 2026-03-05, after their `until: 2026-02-28`",
            "Rita Lee",
            "2026-03-05",
        ),
    ];
    let (mut pr, _) = decisions(&repo, &["--base", "base"]);
    pr.sort();
    assert_eq!(pr, expected);
}
