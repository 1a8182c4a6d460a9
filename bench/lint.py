#!/usr/bin/env python3
"""Times `poam lint` on 1,000 and 10,000 generated items; reports wall time and peak memory.

Usage: python3 bench/lint.py [--runs N] [--sizes 1000,10000]
Builds the release binary, generates the items with bench/gen_items.py into a temp folder,
then runs `poam lint --format json` several times per size and prints the median wall time
and the peak resident memory of the slowest run. Compare figures from one run only: the
machines are shared and noisy.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from common import cpu_model, timed_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_once(binary, repo):
    argv = [binary, "lint", repo, "--today", "2026-11-25", "--format", "json", "--no-history"]
    return timed_run(argv, ok=(0, 1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "poam")
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in [int(s) for s in args.sizes.split(",")]:
            repo = os.path.join(tmp, f"items-{size}")
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_items.py"), repo, str(size)], check=True)
            run_once(binary, repo)  # warm the page cache
            walls = []
            peak = 0
            for _ in range(args.runs):
                wall, rss = run_once(binary, repo)
                walls.append(wall)
                peak = max(peak, rss)
            print(f"lint {size:>6} items: median {statistics.median(walls) * 1000:7.1f} ms "
                  f"(min {min(walls) * 1000:.1f}, max {max(walls) * 1000:.1f}), peak RSS {peak / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
