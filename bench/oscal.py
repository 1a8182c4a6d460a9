#!/usr/bin/env python3
"""Times `poam export oscal` on generated items; reports wall time, peak memory and size.

Usage: python3 bench/oscal.py [--runs N] [--sizes 1000,10000]
Builds the release binary (into $CARGO_TARGET_DIR, else target/), generates the items with
bench/gen_items.py into a temp folder, and times the export twice per size: on the bare folder
(no git, so no history) and on the same items committed to a git repository (one commit, so the
history walk and the risk-log lookups are included). Prints the median wall time and the peak
resident memory of the slowest run. Compare figures from one run only: the machines are shared
and noisy.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from common import cpu_model, timed_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_AUTHOR_DATE": "2026-11-25T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-25T00:00:00+00:00",
}


def commit_all(repo):
    env = dict(os.environ, **GIT_ENV)
    for argv in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "items"]):
        subprocess.run(argv, cwd=repo, env=env, check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        # A private copy: a target folder shared with other checkouts may be rebuilt meanwhile.
        binary = os.path.join(tmp, "poam")
        shutil.copy2(os.path.join(target, "release", "poam"), binary)
        for size in [int(s) for s in args.sizes.split(",")]:
            for mode in ("folder", "git"):
                repo = os.path.join(tmp, f"items-{size}-{mode}")
                subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_items.py"), repo, str(size)],
                               check=True)
                if mode == "git":
                    commit_all(repo)
                out = os.path.join(tmp, "poam-oscal.json")
                argv = [binary, "-C", repo, "-q", "export", "oscal", "--today", "2026-11-25", "-o", out]
                timed_run(argv)  # warm the page cache
                walls = []
                peak = 0
                for _ in range(args.runs):
                    wall, rss = timed_run(argv)
                    walls.append(wall)
                    peak = max(peak, rss)
                megabytes = os.path.getsize(out) / 1e6
                print(f"export oscal {size:>6} items ({mode:>6}): median {statistics.median(walls) * 1000:7.1f} ms "
                      f"(min {min(walls) * 1000:.1f}, max {max(walls) * 1000:.1f}), peak RSS {peak / 1024:.1f} MiB, "
                      f"document {megabytes:.1f} MB")


if __name__ == "__main__":
    main()
