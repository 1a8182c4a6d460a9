#!/usr/bin/env python3
"""Times the git history engine against git itself on a generated repository.

Usage: python3 bench/history.py [--runs N] [--commits 20000] [--items 500] [--initial 50]
                                [--keep DIR [--reuse]] [--poam BINARY] [--baseline BINARY]

Builds the release binary, generates a repository with bench/gen_history.py (20,000 commits,
500 items, about a third of the commits touching items), then, in the same run and
interleaved so both see the same machine load:
  - `poam log --format json` over all items (the full audit trail), and
  - `git log -p --first-parent -- poams` (what git needs to show the same history),
and reports the medians and their ratio, beside the same `poam log` with the pack reader off
(`POAM_PACK_READER=off`: libgit2 reads every object, also verified). It then commits a change to one item on a branch
and times `poam lint --base main` (PR mode) next to `poam lint --no-history` (the same lint
without history), so the PR walk's own cost is the difference.

Targets (issue 3): full audit trail under 1 s and within 2x of the git command; PR mode with
one changed item under 0.2 s. The machines are shared and noisy: compare figures from one run.
"""
import argparse
import os
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


def run(argv, cwd, ok=(0,)):
    """Wall time (s) and peak RSS (KiB) of one run, output discarded."""
    return timed_run(argv, cwd=cwd, env=GIT_ENV, ok=ok)


def measure(commands, runs):
    """Runs each command once to warm caches, then `runs` times, interleaved."""
    for argv, cwd, ok in commands.values():
        run(argv, cwd, ok)
    walls = {name: [] for name in commands}
    peaks = {name: 0 for name in commands}
    for _ in range(runs):
        for name, (argv, cwd, ok) in commands.items():
            wall, rss = run(argv, cwd, ok)
            walls[name].append(wall)
            peaks[name] = max(peaks[name], rss)
    return {name: (statistics.median(w), min(w), max(w), peaks[name]) for name, w in walls.items()}


def show(name, figures):
    median, low, high, peak = figures
    print(f"  {name:<34} median {median * 1000:7.1f} ms  (min {low * 1000:.1f}, max {high * 1000:.1f}), peak RSS {peak / 1024:.0f} MiB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--commits", type=int, default=20000)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--initial", type=int, default=50, help="items in the first commit")
    parser.add_argument("--keep", help="generate the repository here and keep it")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: time the repository already there instead of generating it")
    parser.add_argument("--poam", help="the poam binary to time (default: build this checkout)")
    parser.add_argument("--baseline", help="another poam binary to time in the same run")
    args = parser.parse_args()
    poam = release_binary(args.poam)
    print(f"machine: {os.cpu_count()} cores (nproc), {cpu_model()}; {subprocess.run(['git', '--version'], capture_output=True, text=True).stdout.strip()}")
    with tempfile.TemporaryDirectory() as tmp:
        repo = args.keep or os.path.join(tmp, "repo")
        if not (args.reuse and args.keep and os.path.isdir(repo)):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, os.path.join(ROOT, "bench", "gen_history.py"), repo,
                 "--commits", str(args.commits), "--items", str(args.items),
                 "--initial", str(args.initial)],
                check=True,
            )
            print(f"generated in {time.perf_counter() - start:.1f} s")

        commands = {
            "poam log --format json": ([poam, "log", "--format", "json"], repo, (0,)),
            "git log -p --first-parent -- poams": (["git", "log", "-p", "--first-parent", "--", "poams"], repo, (0,)),
            "poam log, POAM_PACK_READER=off": (
                ["env", "POAM_PACK_READER=off", poam, "log", "--format", "json"], repo, (0,)),
        }
        if args.baseline:
            commands["baseline log --format json"] = ([args.baseline, "log", "--format", "json"], repo, (0,))
        full = measure(commands, args.runs)
        print("full audit trail:")
        for name, figures in full.items():
            show(name, figures)
        ratio = full["poam log --format json"][0] / full["git log -p --first-parent -- poams"][0]
        print(f"  ratio poam / git: {ratio:.2f}")
        print(f"  ratio poam / pack reader off: {full['poam log --format json'][0] / full['poam log, POAM_PACK_READER=off'][0]:.2f}")
        if args.baseline:
            print(f"  ratio poam / baseline: {full['poam log --format json'][0] / full['baseline log --format json'][0]:.2f}")

        # A pull request that changes one item.
        checkout_pr_branch(repo, GIT_ENV)
        lint = [poam, "lint", "--today", "2026-11-25", "--format", "json"]
        commands = {
            "poam lint --base main": (lint + ["--base", "main"], repo, (0, 1)),
            "poam lint --no-history": (lint + ["--no-history"], repo, (0, 1)),
        }
        if args.baseline:
            commands["baseline lint --base main"] = (
                [args.baseline] + lint[1:] + ["--base", "main"], repo, (0, 1))
        pr = measure(commands, args.runs)
        print("PR mode, one changed item:")
        for name, figures in pr.items():
            show(name, figures)
        walk = pr["poam lint --base main"][0] - pr["poam lint --no-history"][0]
        print(f"  PR history walk (difference of medians): {walk * 1000:.1f} ms")
        if args.baseline:
            print(f"  ratio poam / baseline (--base): {pr['poam lint --base main'][0] / pr['baseline lint --base main'][0]:.2f}")
        subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True, env=GIT_ENV)


if __name__ == "__main__":
    main()
