#!/usr/bin/env python3
"""Times `poam import scan` on a generated Nessus file of 100,000 findings across 2,000 hosts.

Usage: python3 bench/import.py [--runs N] [--findings N] [--hosts H] [--binary PATH]

Builds the release binary, generates the scan with bench/gen_nessus.py, then in a fresh
repository times, as the median of N runs (peak RSS of the slowest):
  - the dry run into an empty repository (parse, group, plan, report);
  - the first import with --write (about 5,000 new item files, each saved atomically and synced),
    each run into a repository of its own;
  - the re-import with --write into those items (nothing changes, nothing is written);
  - the re-import of a re-scan with one host missing and one plugin gone (dry run).
Compare figures from one run only: the machines are shared and noisy.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from common import cpu_model, release_binary, timed_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fresh_repo(path):
    os.makedirs(os.path.join(path, "poams"))
    with open(os.path.join(path, "poam.yaml"), "w") as f:
        f.write("system: {name: Bench}\nimport: {default_owner: Bench Team}\n")


def import_argv(binary, scan, *extra):
    return [binary, "--today", "2026-11-25", "import", "scan", scan, "--report", "json", *extra]


def median_run(argv, cwd, runs):
    walls, peak = [], 0
    for _ in range(runs):
        wall, rss = timed_run(argv, cwd=cwd, ok=(0, 1))
        walls.append(wall)
        peak = max(peak, rss)
    return statistics.median(walls), min(walls), max(walls), peak


def report(label, figures):
    median, low, high, peak = figures
    print(f"{label:<44} median {median:6.2f} s (min {low:.2f}, max {high:.2f}), peak RSS {peak / 1024:.0f} MiB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--hosts", type=int, default=2_000)
    parser.add_argument("--binary", help="time this poam binary instead of building one")
    args = parser.parse_args()
    built = release_binary(args.binary)
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}")
    with tempfile.TemporaryDirectory() as tmp:
        # A copy, so another build into a shared target folder cannot swap it mid-run.
        binary = os.path.join(tmp, "poam")
        shutil.copy2(built, binary)
        scan = os.path.join(tmp, "scan.nessus")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_nessus.py"), scan,
                        "--findings", str(args.findings), "--hosts", str(args.hosts)], check=True)
        print(f"scan: {args.findings} findings, {args.hosts} hosts, {os.path.getsize(scan) / 1e6:.0f} MB")
        repo = os.path.join(tmp, "repo")
        fresh_repo(repo)
        timed_run(import_argv(binary, scan), cwd=repo)  # warm the page cache
        report("dry run into an empty repository", median_run(import_argv(binary, scan), repo, args.runs))
        # Each first import writes into a repository of its own, all deleted only at the end:
        # on ext4 without a journal (these machines) inodes freed in the last minute are
        # skipped one by one when new ones are allocated, so deleting the last run's 5,000
        # files before a run would bill that to the run.
        walls, peak = [], 0
        for run in range(args.runs):
            fresh = os.path.join(tmp, f"first-{run}")
            fresh_repo(fresh)
            wall, rss = timed_run(import_argv(binary, scan, "--write"), cwd=fresh, ok=(0, 1))
            walls.append(wall)
            peak = max(peak, rss)
        report("first import --write (new item files)",
               (statistics.median(walls), min(walls), max(walls), peak))
        timed_run(import_argv(binary, scan, "--write"), cwd=repo)
        items = len(os.listdir(os.path.join(repo, "poams")))
        report(f"re-import --write into {items} items (no change)",
               median_run(import_argv(binary, scan, "--write"), repo, args.runs))
        rescan = os.path.join(tmp, "rescan.nessus")
        with open(scan) as source, open(rescan, "w") as out:
            skipping = False
            for line in source:
                if line.strip() == '<ReportHost name="10.20.0.1">':
                    skipping = True
                if not skipping:
                    out.write(line)
                if skipping and "</ReportHost>" in line:
                    skipping = False
        report(f"re-scan dry run into {items} items (a host missing)",
               median_run(import_argv(binary, rescan), repo, args.runs))


if __name__ == "__main__":
    main()
