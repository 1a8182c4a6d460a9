#!/usr/bin/env python3
"""Times `poam lint` and `poam export emass` under `profile: dod-rmf` on generated items.

Usage: python3 bench/dod.py [--runs N] [--size N] [--templates navy,army] [--binary PATH]
Builds the release binary (unless --binary), generates SIZE DoD RMF items with
`bench/gen_items.py --profile dod-rmf` into a temp folder (a bare folder: no history), then
runs, interleaved, `poam lint --format json --no-history` and `poam export emass --template T
-o FILE` for each template, and prints the median wall time and the peak resident memory of
each. Checks that two exports of one template are byte for byte the same. Compare figures
from one run only: the machines are shared and noisy.
"""
import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile

from common import cpu_model, release_binary, timed_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TODAY = "2026-11-25"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--templates", default="navy,army")
    parser.add_argument("--binary", help="a poam binary to time instead of building one")
    args = parser.parse_args()
    binary = release_binary(args.binary)
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "dod")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_items.py"), repo, str(args.size),
                        "--profile", "dod-rmf"], check=True)
        jobs = {"lint": [binary, "lint", repo, "--today", TODAY, "--format", "json", "--no-history"]}
        for template in args.templates.split(","):
            out = os.path.join(tmp, f"{template}.xlsx")
            jobs[f"export emass {template}"] = [binary, "export", "emass", "-C", repo, "--template", template,
                                                "--today", TODAY, "-o", out]
        walls = {name: [] for name in jobs}
        peaks = {name: 0 for name in jobs}
        for argv in jobs.values():
            timed_run(argv, ok=(0, 1))  # warm the page cache
        for template in args.templates.split(","):
            first = os.path.join(tmp, f"{template}.xlsx")
            os.replace(first, first + ".first")
        for _ in range(args.runs):
            for name, argv in jobs.items():
                wall, rss = timed_run(argv, ok=(0, 1))
                walls[name].append(wall)
                peaks[name] = max(peaks[name], rss)
        for template in args.templates.split(","):
            out = os.path.join(tmp, f"{template}.xlsx")
            same = filecmp.cmp(out, out + ".first", shallow=False)
            print(f"export emass {template}: {os.path.getsize(out)} bytes, repeated runs identical: {same}")
            if not same:
                sys.exit(f"export emass {template} is not deterministic")
        for name, times in walls.items():
            print(f"{name:<22} {args.size} items: median {statistics.median(times) * 1000:7.1f} ms "
                  f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}), peak RSS {peaks[name] / 1024:.1f} MiB")
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
