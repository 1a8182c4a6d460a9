#!/usr/bin/env python3
"""Times `poam site` and `poam report` on a large generated repository.

Usage: python3 bench/site.py [--runs N] [--first N] [--commits 20000] [--items 10000] [--keep DIR] [--poam BIN]
                            [--baseline BIN]

Builds the release binary (unless --poam names one), generates a repository with
bench/gen_history.py (20,000 commits; 9,000 items recorded in the first commit, the rest
created along the way, about a third of the commits touching items), then times:
  - `poam site -o DIR`: first builds, each into a new empty folder (none deleted until the end:
    on ext4 without a journal, this machine's disk, creating files right after many were deleted
    is several times slower, so run the bench a few minutes after deleting a large folder), then
    rebuilds that replace one site,
  - `poam report` (the monthly Markdown summary, which walks the same full history), and
  - `poam report --base main` after a commit that changes one item (PR mode).

Targets (issue 8): `poam site` under 3 s; `poam report --base` with one changed item under
0.2 s. The machines are shared and noisy: compare figures from one run. `--baseline BIN` times
an older build's first builds in turn with this one's (the first builds only), and prints both.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from common import checkout_pr_branch, cpu_model, release_binary, timed_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GIT_ENV = dict(
    os.environ,
    GIT_CONFIG_NOSYSTEM="1",
    GIT_CONFIG_GLOBAL="/dev/null",
    GIT_AUTHOR_NAME="Bench",
    GIT_AUTHOR_EMAIL="bench@example.com",
    GIT_COMMITTER_NAME="Bench",
    GIT_COMMITTER_EMAIL="bench@example.com",
    GIT_AUTHOR_DATE="2022-06-01T12:00:00+00:00",
    GIT_COMMITTER_DATE="2022-06-01T12:00:00+00:00",
)
TODAY = "2026-11-25"


def measure(argv, cwd, runs, ok=(0,)):
    """One warm-up run, then `runs` timed runs: (median, min, max, peak RSS KiB)."""
    timed_run(argv, cwd=cwd, env=GIT_ENV, ok=ok)
    walls, peak = [], 0
    for _ in range(runs):
        wall, rss = timed_run(argv, cwd=cwd, env=GIT_ENV, ok=ok)
        walls.append(wall)
        peak = max(peak, rss)
    return statistics.median(walls), min(walls), max(walls), peak


def show(name, figures):
    median, low, high, peak = figures
    print(f"  {name:<34} median {median * 1000:7.0f} ms  (min {low * 1000:.0f}, max {high * 1000:.0f}), peak RSS {peak / 1024:.0f} MiB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--first", type=int, default=3, help="first builds to time, each into a new folder")
    parser.add_argument("--commits", type=int, default=20000)
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--keep", help="generate the repository here and keep it (reused when it exists)")
    parser.add_argument("--poam", help="time this binary instead of building one")
    parser.add_argument("--baseline", help="also time this binary's first builds, in turn with --poam's")
    args = parser.parse_args()
    poam = release_binary(args.poam)
    print(f"machine: {os.cpu_count()} cores (nproc), {cpu_model()}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        repo = args.keep or os.path.join(tmp, "repo")
        if not os.path.isdir(os.path.join(repo, ".git")):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, os.path.join(ROOT, "bench", "gen_history.py"), repo,
                 "--commits", str(args.commits), "--items", str(args.items),
                 "--initial", str(max(50, args.items * 9 // 10))],
                check=True,
            )
            print(f"generated in {time.perf_counter() - start:.1f} s")
        # First builds, each into a new folder, before this bench deletes anything: on ext4
        # without a journal (this machine) the kernel skips inodes freed in the last minutes
        # one at a time, so a build timed right after deleting a large folder measures that.
        builds = [("", poam)] + ([("baseline ", args.baseline)] if args.baseline else [])
        walls = {label: [] for label, _ in builds}
        peaks = {label: 0 for label, _ in builds}
        for n in range(args.first):
            # The builds in turn: a noisy moment hits both alike.
            for label, binary in builds:
                folder = os.path.join(tmp, f"first-{label.strip() or 'poam'}-{n}")
                wall, rss = timed_run([binary, "site", "--today", TODAY, "-q", "-o", folder], cwd=repo, env=GIT_ENV)
                walls[label].append(wall)
                peaks[label] = max(peaks[label], rss)
        print("poam site:")
        for label, _ in builds:
            runs = walls[label]
            show(f"{label}first build (empty folder, {args.first} runs)", (statistics.median(runs), min(runs), max(runs), peaks[label]))
        out = os.path.join(tmp, "site")
        site = [poam, "site", "--today", TODAY, "-q", "-o", out]
        show("rebuild (replaces the last one)", measure(site, repo, args.runs))
        pages = sum(len(files) for _, _, files in os.walk(out))
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(out) for f in files)
        print(f"  {pages} files, {size / 1e6:.0f} MB")
        shutil.rmtree(out)
        report = [poam, "report", "--today", TODAY, "-q"]
        print("poam report:")
        show("monthly (full history)", measure(report, repo, args.runs))
        checkout_pr_branch(repo, GIT_ENV)
        show("--base main, one changed item", measure(report + ["--base", "main"], repo, args.runs))
        lint = [poam, "lint", "--today", TODAY, "--format", "json"]
        show("(poam lint --base main, for scale)", measure(lint + ["--base", "main"], repo, args.runs, ok=(0, 1)))
        subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True, env=GIT_ENV)


if __name__ == "__main__":
    main()
