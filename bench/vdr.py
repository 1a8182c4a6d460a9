#!/usr/bin/env python3
"""Times `poam lint` under fedramp-cr26 against fedramp-rev5, and `poam export ver`, in one run.

Usage: python3 bench/vdr.py [--runs N] [--size N]
Builds the release binary, generates the items with bench/gen_items.py (the Rev5 repository),
then copies them into a CR26 repository (Class C) where every item gains a deterministic `vdr:`
block (evaluation, reductions, next reduction, some accepted, some closed with a disposition).
The CR26 copies keep their Rev5 fields, as a migrated repository does, so every item also draws
one `vdr-legacy-field` note: about 15,000 findings against about 1,500 under Rev5.

Two comparisons, both against a Rev5 lint timed in the same run:
- the profile alone: the CR26 item files linted under fedramp-cr26 and under fedramp-rev5
  (the same files, only `profile:` differs: what choosing the profile costs);
- the migration: the CR26 item files under fedramp-cr26 against the Rev5 item files (without
  `vdr:` blocks, 14.5 % smaller) under fedramp-rev5.
A fourth lint, the CR26 repository with `rules: {vdr-legacy-field: off}`, shows what the
10,000 notes cost. Lints the four interleaved, times `poam export ver --period 2026-11`, prints
medians and the ratios. Compare figures from one run only: the machines are shared and noisy.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

from common import cpu_model, release_binary, timed_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CR26_CONFIG = """items: poams
profile: fedramp-cr26
cr26:
  class: c
  package_overview_uri: https://example.com/fedramp/package-overview
"""


def vdr_block(n, detected, closed):
    """A `vdr:` block for item number n (deterministic)."""
    pain = 1 + n % 5
    irv = "true" if n % 3 == 0 else "false"
    lev = "true" if n % 4 == 0 else "false"
    lines = [
        "vdr:",
        f"  evaluated: {detected}T{n % 24:02d}:00:00Z",
        f"  irv: {irv}",
        f"  lev: {lev}",
        f"  pain: {pain}",
        "  rationale: Reachability and exploitability from the asset inventory and the exploit feeds.",
    ]
    if pain >= 3 and n % 2 == 0:
        lines += ["  reductions:", f"    - {{at: {detected}T23:00:00Z, pain: {pain - 1}, note: Compensating control}}"]
        pain -= 1
    if closed:
        lines.append("  disposition: remediated" if n % 7 else "  disposition: fully-mitigated")
    elif n % 11 == 0:
        lines.append("  accepted: {date: 2026-11-20, rationale: Required by an agency integration.}")
    elif pain >= 2:
        lines.append(f"  next_reduction: {{at: 2026-12-{1 + n % 28:02d}, pain: {pain - 1}}}")
        if n % 5 == 0:
            lines.append("  overdue: Waiting for the vendor's fix.")
    return "\n".join(lines) + "\n"


def make_cr26(rev5, cr26):
    os.makedirs(os.path.join(cr26, "poams"))
    with open(os.path.join(cr26, "poam.yaml"), "w") as f:
        f.write(CR26_CONFIG)
    for name in sorted(os.listdir(os.path.join(rev5, "poams"))):
        with open(os.path.join(rev5, "poams", name)) as f:
            text = f.read()
        n = int(re.sub(r"\D", "", name) or 0)
        detected = re.search(r"^detected: (\S+)", text, re.M).group(1)
        closed = re.search(r"^status: closed", text, re.M) is not None
        with open(os.path.join(cr26, "poams", name), "w") as f:
            f.write(text + vdr_block(n, detected, closed))


def make_same_files(rev5, cr26, same):
    """The CR26 item files under the Rev5 repository's `poam.yaml`."""
    shutil.copytree(os.path.join(cr26, "poams"), os.path.join(same, "poams"))
    shutil.copy(os.path.join(rev5, "poam.yaml"), os.path.join(same, "poam.yaml"))


def make_note_off(cr26, off):
    """The CR26 repository with the `vdr-legacy-field` note turned off."""
    shutil.copytree(os.path.join(cr26, "poams"), os.path.join(off, "poams"))
    with open(os.path.join(off, "poam.yaml"), "w") as f:
        f.write(CR26_CONFIG + "rules:\n  vdr-legacy-field: off\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", type=int, default=10000)
    args = parser.parse_args()
    binary = release_binary()
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}")
    with tempfile.TemporaryDirectory() as tmp:
        rev5 = os.path.join(tmp, "rev5")
        cr26 = os.path.join(tmp, "cr26")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_items.py"), rev5, str(args.size)], check=True)
        make_cr26(rev5, cr26)
        same = os.path.join(tmp, "cr26-as-rev5")
        make_same_files(rev5, cr26, same)
        off = os.path.join(tmp, "cr26-note-off")
        make_note_off(cr26, off)
        lint = lambda repo: [binary, "lint", repo, "--today", "2026-11-25", "--format", "json", "--no-history"]
        out = os.path.join(tmp, "ver")
        export = [binary, "export", "ver", "-C", cr26, "--period", "2026-11", "--today", "2026-11-25", "-o", out, "-q"]
        runs = {"rev5": lint(rev5), "same": lint(same), "cr26": lint(cr26), "off": lint(off), "export": export}
        for argv in runs.values():
            timed_run(argv, ok=(0, 1))  # warm the page cache
        times = {key: [] for key in runs}
        peak = {key: 0 for key in runs}
        for _ in range(args.runs):
            for key, argv in runs.items():
                wall, rss = timed_run(argv, ok=(0, 1))
                times[key].append(wall)
                peak[key] = max(peak[key], rss)
        med = {k: statistics.median(v) * 1000 for k, v in times.items()}
        line = lambda key, what: f"{what}: median {med[key]:7.1f} ms, peak RSS {peak[key] / 1024:.1f} MiB"
        print(line("rev5", f"lint rev5 files, fedramp-rev5, {args.size} items"))
        print(line("same", f"lint cr26 files, fedramp-rev5, {args.size} items"))
        print(line("cr26", f"lint cr26 files, fedramp-cr26, {args.size} items"))
        print(line("off", f"lint cr26 files, fedramp-cr26, vdr-legacy-field off, {args.size} items"))
        print(f"the profile alone (same files):  {med['cr26'] / med['same']:.2f}x")
        print(f"the migration (rev5 files):      {med['cr26'] / med['rev5']:.2f}x")
        print(f"the profile, note off:           {med['off'] / med['same']:.2f}x")
        print(f"the migration, note off:         {med['off'] / med['rev5']:.2f}x")
        print(line("export", f"export ver {args.size} items"))


if __name__ == "__main__":
    main()
