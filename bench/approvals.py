#!/usr/bin/env python3
"""Times `poam lint` with history with and without `approvals:` (issue 23).

Usage: python3 bench/approvals.py [--runs N] [--commits 20000] [--items 10000] [--keep DIR]
                                  [--poam BINARY]

Generates the history benchmark's repository the way bench/site.py does (bench/gen_history.py:
20,000 commits, 10,000 items, 9,000 of them in the first commit, closures along the way), then
times, interleaved in one run so all see the same machine load, `poam lint` with the full
history under three working-tree configurations:
  - `none`: poam.yaml as generated, no `approvals:` (the decision rule does not run);
  - `author`: `approvals: {close, reopen, due-change: [isso], signatures: author}` and a people
    file making one of the four generated authors the ISSO;
  - `required`: the same with `signatures: required` (the generated commits are unsigned, so
    every decision reads its commit's signature header and finds none).
Prints each median and its ratio to `none`, and the number of `decision-unauthorized` findings.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from common import cpu_model, release_binary, timed_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEOPLE = """- id: alice
  name: Alice Example
  email: alice@example.com
  roles: [engineer]
- id: bob
  name: Bob Builder
  email: bob@example.com
  roles: [engineer]
- id: carol
  name: Carol Compliance
  email: carol@example.com
  roles: [isso]
- id: dan
  name: Dan Devops
  email: dan@example.com
  roles: [engineer]
"""


def configure(repo, base_config, mode):
    text = base_config
    people = os.path.join(repo, "people.yaml")
    if mode == "none":
        if os.path.exists(people):
            os.remove(people)
    else:
        text += (
            "approvals:\n  close: [isso]\n  reopen: [isso]\n  due-change: [isso]\n"
            f"  signatures: {mode}\n"
        )
        with open(people, "w") as f:
            f.write(PEOPLE)
    with open(os.path.join(repo, "poam.yaml"), "w") as f:
        f.write(text)


LINT = ["lint", "--today", "2026-01-01", "--format", "json"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--commits", type=int, default=20000)
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--keep", help="generate the repository here (reused when it exists)")
    parser.add_argument("--poam", help="a poam binary (default: build this checkout)")
    args = parser.parse_args()
    binary = release_binary(args.poam)
    temp = None
    if args.keep:
        repo = args.keep
    else:
        temp = tempfile.mkdtemp(prefix="poam-approvals-")
        repo = os.path.join(temp, "repo")
    try:
        if not os.path.exists(os.path.join(repo, ".git")):
            subprocess.run(
                [sys.executable, os.path.join(ROOT, "bench", "gen_history.py"), repo,
                 "--commits", str(args.commits), "--items", str(args.items),
                 "--initial", str(max(50, args.items * 9 // 10))],
                check=True,
            )
        base_config = subprocess.run(
            ["git", "show", "HEAD:poam.yaml"], cwd=repo, check=True, capture_output=True, text=True
        ).stdout
        modes = ["none", "author", "required"]
        found = {}
        for mode in modes:
            configure(repo, base_config, mode)
            out = subprocess.run([binary] + LINT, cwd=repo, capture_output=True, text=True)
            diagnostics = json.loads(out.stdout)["diagnostics"]
            found[mode] = sum(1 for d in diagnostics if d["code"] == "decision-unauthorized")
        walls = {mode: [] for mode in modes}
        for _ in range(args.runs):
            for mode in modes:
                configure(repo, base_config, mode)
                wall, _ = timed_run([binary] + LINT, cwd=repo, ok=(0, 1))
                walls[mode].append(wall)
        configure(repo, base_config, "none")
        print(f"CPU: {cpu_model()}; load average {os.getloadavg()[0]:.1f}")
        none = statistics.median(walls["none"])
        for mode in modes:
            median = statistics.median(walls[mode])
            print(
                f"{mode:9} median {median * 1000:8.1f} ms  ({median / none:.2f}x none; "
                f"min {min(walls[mode]) * 1000:.1f}, max {max(walls[mode]) * 1000:.1f}); "
                f"decision-unauthorized: {found[mode]}"
            )
    finally:
        if temp:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
