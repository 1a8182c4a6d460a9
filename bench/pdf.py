#!/usr/bin/env python3
"""Times the native PDF of the monthly report on 10,000 generated items (issue 24: under 10 s).

Usage: python3 bench/pdf.py [--runs N] [--items 10000] [--poam BIN] [--keep DIR]

Builds the release binary (unless --poam names one), generates the items with
bench/gen_items.py into a bare folder (no git history: the history walk is the site bench's),
then times, interleaved, `poam report --format md` (the same gathering and summary, rendered as
Markdown) and `poam report --format pdf` (the same, typeset by typst into a tagged PDF), and
prints the medians, the PDF's size and page count (when pdfinfo is installed) and whether two
PDF runs gave the same bytes. Compare figures from one run: the machine is shared and noisy.
"""
import argparse
import hashlib
import os
import shutil
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
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--poam", help="time this binary instead of building one")
    parser.add_argument("--keep", help="generate the items here and keep them (reused when present)")
    args = parser.parse_args()
    poam = release_binary(args.poam)
    print(f"machine: {os.cpu_count()} cores (nproc), {cpu_model()}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        repo = args.keep or os.path.join(tmp, "items")
        if not os.path.isdir(repo):
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_items.py"), repo, str(args.items)], check=True)
        pdf = os.path.join(tmp, "report.pdf")
        md = os.path.join(tmp, "report.md")
        argv = {
            "md": [poam, "report", repo, "--today", TODAY, "--format", "md", "-o", md],
            "pdf": [poam, "report", repo, "--today", TODAY, "--format", "pdf", "-o", pdf],
        }
        for command in argv.values():
            timed_run(command)  # warm-up
        walls = {name: [] for name in argv}
        peaks = {name: 0 for name in argv}
        digests = set()
        for _ in range(args.runs):
            for name, command in argv.items():
                wall, rss = timed_run(command)
                walls[name].append(wall)
                peaks[name] = max(peaks[name], rss)
                if name == "pdf":
                    with open(pdf, "rb") as f:
                        digests.add(hashlib.sha256(f.read()).hexdigest())
        for name, times in walls.items():
            print(f"report --format {name:<3} {args.items} items: median {statistics.median(times) * 1000:7.0f} ms "
                  f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}), peak RSS {peaks[name] / 1024:.0f} MiB")
        size = os.path.getsize(pdf)
        pages = ""
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
            pages = next((l.split(":", 1)[1].strip() for l in info.splitlines() if l.startswith("Pages:")), "")
        print(f"PDF: {size / 1024 / 1024:.1f} MiB, {pages or '?'} pages; {len(digests)} distinct output(s) over {args.runs} runs")


if __name__ == "__main__":
    main()
