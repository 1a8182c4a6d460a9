#!/usr/bin/env python3
"""Times `poam lint --fix` on 10,000 generated items with one safe fix each (issue 25).

Usage: python3 bench/fix.py [--runs N] [--size 10000] [--binary PATH]
Generates the items with bench/gen_items.py, writes every item's `status` word with a capital
(`status: Open`: a `word-case` finding whose fix is safe), then for each run copies the
folder afresh and times `poam lint --no-history --fix --format json` on it: the lint, the
fixes written through the item editor (each file locked, edited, checked, renamed into
place) and the lint of what is left. Checks after the last run that every item was fixed.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from common import cpu_model, release_binary

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(argv):
    """Wall time and CPU time (user + system) of one run, output discarded: on a shared,
    loaded machine the CPU time says more than the wall time."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed ({code}): {proc.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = release_binary(args.binary)
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}")
    with tempfile.TemporaryDirectory() as tmp:
        pristine = os.path.join(tmp, "pristine")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_items.py"), pristine, str(args.size)], check=True)
        items = os.path.join(pristine, "poams")
        for name in os.listdir(items):
            path = os.path.join(items, name)
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            text, count = re.subn(r"^status: (open|closed)$", lambda m: "status: " + m.group(1).capitalize(), text, flags=re.M)
            assert count == 1, f"{name}: {count} status lines"
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        walls, cpus = [], []
        for run in range(args.runs + 1):
            repo = os.path.join(tmp, f"run-{run}")
            shutil.copytree(pristine, repo)
            argv = [binary, "lint", repo, "--today", "2026-11-25", "--format", "json", "--no-history", "--fix"]
            wall, cpu = timed(argv)
            if run > 0:  # the first run warms the page cache
                walls.append(wall)
                cpus.append(cpu)
            left = sum(1 for name in os.listdir(os.path.join(repo, "poams"))
                       if re.search(r"^status: [OC]", open(os.path.join(repo, "poams", name), encoding="utf-8").read(), re.M))
            assert left == 0, f"{left} items left unfixed"
            shutil.rmtree(repo)
        print(f"lint --fix {args.size} items, one safe fix each: median {statistics.median(walls) * 1000:.1f} ms "
              f"(min {min(walls) * 1000:.1f}, max {max(walls) * 1000:.1f}) over {len(walls)} runs; "
              f"CPU (user + system) median {statistics.median(cpus) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
