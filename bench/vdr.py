#!/usr/bin/env python3
"""Times `poam lint` under fedramp-cr26 against fedramp-rev5 on the same 10,000 items, and
`poam export ver`, in one run.

Usage: python3 bench/vdr.py [--runs N] [--size N]
Builds the release binary, generates the items with bench/gen_items.py (the Rev5 repository),
then copies them into a CR26 repository (Class C) where every item gains a deterministic `vdr:`
block (evaluation, reductions, next reduction, some accepted, some closed with a disposition).
The CR26 copies keep their Rev5 fields, as a migrated repository does, so every item also draws
one `vdr-legacy-field` note: about 15,000 findings against about 1,500 under Rev5.
Lints both, interleaved, and times `poam export ver --period 2026-11`. Prints medians and the
CR26/Rev5 ratio. Compare figures from one run only: the machines are shared and noisy.
"""
import argparse
import os
import re
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
        lint = lambda repo: [binary, "lint", repo, "--today", "2026-11-25", "--format", "json", "--no-history"]
        out = os.path.join(tmp, "ver")
        export = [binary, "export", "ver", "-C", cr26, "--period", "2026-11", "--today", "2026-11-25", "-o", out, "-q"]
        for argv in (lint(rev5), lint(cr26), export):
            timed_run(argv, ok=(0, 1))  # warm the page cache
        times = {"rev5": [], "cr26": [], "export": []}
        peak = {"rev5": 0, "cr26": 0, "export": 0}
        for _ in range(args.runs):
            for key, argv in (("rev5", lint(rev5)), ("cr26", lint(cr26)), ("export", export)):
                wall, rss = timed_run(argv, ok=(0, 1))
                times[key].append(wall)
                peak[key] = max(peak[key], rss)
        med = {k: statistics.median(v) * 1000 for k, v in times.items()}
        print(f"lint rev5  {args.size} items: median {med['rev5']:7.1f} ms, peak RSS {peak['rev5'] / 1024:.1f} MiB")
        print(f"lint cr26  {args.size} items: median {med['cr26']:7.1f} ms, peak RSS {peak['cr26'] / 1024:.1f} MiB "
              f"({med['cr26'] / med['rev5']:.2f}x rev5)")
        print(f"export ver {args.size} items: median {med['export']:7.1f} ms, peak RSS {peak['export'] / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
