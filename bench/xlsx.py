#!/usr/bin/env python3
"""Times `poam export xlsx` on 10,000 generated items and `poam import xlsx` of the
resulting 10,000-row workbook; reports wall time and peak memory.

Usage: python3 bench/xlsx.py [--runs N] [--size 10000] [--binary PATH]
Builds the release binary (into $CARGO_TARGET_DIR when set), generates the items with
bench/gen_items.py into a temp folder, exports them several times and imports the workbook
into a fresh empty folder per run (all deleted only at the end), then prints the median wall times and the peak resident
memory of the slowest run. Compare figures from one run only: the machines are shared and noisy.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from common import cpu_model, release_binary, timed_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TODAY = "2026-11-25"


def report(name, walls, peak):
    print(f"{name}: median {statistics.median(walls) * 1000:7.1f} ms "
          f"(min {min(walls) * 1000:.1f}, max {max(walls) * 1000:.1f}), peak RSS {peak / 1024:.1f} MiB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--binary", help="time this poam binary instead of building one")
    args = parser.parse_args()
    binary = release_binary(args.binary)
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}")
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "items")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_items.py"), repo, str(args.size)], check=True)
        workbook = os.path.join(tmp, "poam.xlsx")
        export = [binary, "export", "xlsx", "-o", workbook, "--today", TODAY]
        timed_run(export, cwd=repo)  # warm the page cache
        walls, peak = [], 0
        for _ in range(args.runs):
            wall, rss = timed_run(export, cwd=repo)
            walls.append(wall)
            peak = max(peak, rss)
        report(f"export xlsx {args.size:>6} items", walls, peak)
        print(f"  workbook: {os.path.getsize(workbook) / 1024:.0f} KiB")

        walls, peak = [], 0
        for run in range(args.runs + 1):
            into = os.path.join(tmp, f"imported-{run}")
            os.mkdir(into)
            wall, rss = timed_run([binary, "import", "xlsx", workbook, "--into", into, "--today", TODAY], cwd=tmp)
            count = len(os.listdir(into))
            if count != args.size:
                sys.exit(f"import wrote {count} files, expected {args.size}")
            # Kept until the end: on ext4 without a journal (these machines), inodes freed in
            # the last minute are skipped one by one when new ones are allocated, so deleting
            # the last run's 10,000 files here would bill that to the next run.
            if run == 0:
                continue  # warm-up
            walls.append(wall)
            peak = max(peak, rss)
        report(f"import xlsx {args.size:>6} rows ", walls, peak)


if __name__ == "__main__":
    main()
