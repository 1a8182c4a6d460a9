#!/usr/bin/env python3
"""Times `poam lint` on 1,000 and 10,000 generated items; reports wall time and peak memory.

Usage: python3 bench/lint.py [--runs N] [--sizes 1000,10000] [--baseline BINARY]
Builds the release binary, generates the items with bench/gen_items.py into a temp folder,
then runs `poam lint --format json` several times per size and prints the median wall time
and the peak resident memory of the slowest run. With `--baseline`, another poam binary (an
older build) is timed in the same run, interleaved, and the ratio printed. Compare figures from
one run only: the machines are shared and noisy.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from common import cpu_model, release_binary, timed_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_once(binary, repo):
    argv = [binary, "lint", repo, "--today", "2026-11-25", "--format", "json", "--no-history"]
    return timed_run(argv, ok=(0, 1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--baseline", help="another poam binary to time in the same run")
    args = parser.parse_args()
    binary = release_binary()
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in [int(s) for s in args.sizes.split(",")]:
            repo = os.path.join(tmp, f"items-{size}")
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_items.py"), repo, str(size)], check=True)
            binaries = {"poam": binary}
            if args.baseline:
                binaries["baseline"] = args.baseline
            walls = {name: [] for name in binaries}
            peaks = {name: 0 for name in binaries}
            for path in binaries.values():
                run_once(path, repo)  # warm the page cache
            for _ in range(args.runs):
                for name, path in binaries.items():
                    wall, rss = run_once(path, repo)
                    walls[name].append(wall)
                    peaks[name] = max(peaks[name], rss)
            for name, times in walls.items():
                print(f"lint {size:>6} items ({name}): median {statistics.median(times) * 1000:7.1f} ms "
                      f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}), peak RSS {peaks[name] / 1024:.1f} MiB")
            if args.baseline:
                ratio = statistics.median(walls["poam"]) / statistics.median(walls["baseline"])
                print(f"lint {size:>6} items: poam / baseline = {ratio:.2f}")


if __name__ == "__main__":
    main()
