#!/usr/bin/env python3
"""Times `poam lint` over the 10,000-item benchmark set with and without an inventory of 20,000
assets and a people file of 2,000, interleaved in one run, and prints the ratio (target: within
1.2x).

Usage: python3 bench/inventory.py [--runs N] [--size N] [--assets N] [--per-file N] [--people N]
                                  [--binary B [B2 ...]] [--keep DIR]
Builds the release binary, generates the items with bench/gen_items.py, then copies them into a
second repository whose `inventory/` holds every asset the items name (by its id, as FedRAMP
wants) and filler assets up to `--assets`, `--per-file` assets per file (default 100, so 200
group files), each asset with the Integrated Inventory Workbook's mandatory columns, two aliases
and a recent `last_scanned` (so the inventory adds the work of every check but few findings).
Every item's owner is the id of one of `--people` people (bench/people.py's file: one in fifty
departed, twenty teams); the repository without the inventory has the same owners as free text
and no people file. `--keep DIR` writes the two repositories to DIR/plain and
DIR/with-inventory and keeps them (for a profiler).
Compare figures from one run only: the machines are shared and noisy.
"""
import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

from common import cpu_model, release_binary
from people import people_file, set_owners

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_once(binary, repo):
    """Wall time (s), CPU time (user + system, s) and peak RSS (KiB) of one lint. CPU time is
    the steadier figure on a shared machine."""
    import time
    argv = [binary, "lint", repo, "--today", "2026-11-25", "--format", "json", "--no-history"]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed ({code}): {proc.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def asset_name(entry):
    """The asset part of an item's `assets` entry, as poam reads it (src/inventory.rs)."""
    entry = entry.strip()
    at = entry.find(" (")
    return entry[:at].rstrip() if at >= 0 and entry.endswith(")") else entry


def named_assets(repo):
    """Every asset the items of `repo` name, sorted."""
    names = set()
    for name in os.listdir(os.path.join(repo, "poams")):
        with open(os.path.join(repo, "poams", name), encoding="utf-8") as f:
            inside = False
            for line in f:
                if line.startswith("assets:"):
                    inside = True
                    continue
                if inside and line.startswith("  - "):
                    value = line[4:].strip()
                    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                        value = value[1:-1]
                    names.add(asset_name(value))
                elif inside:
                    inside = False
    return sorted(names)


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def asset_yaml(n, asset_id):
    container = re.search(r"/[^/ ]+:[^/ ]+$", asset_id) is not None
    lines = [
        f"- id: {quote(asset_id)}",
        f"  ip: 10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
        f"  aliases: [10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}, HOST{n:06d}]",
        "  virtual: true",
        "  public: false",
        "  authenticated_scan: true",
        "  baseline_configuration: CIS Level 2",
        "  os: Ubuntu 22.04.5 LTS",
        f"  asset_type: {'Container' if container else 'Server'}",
        "  hardware_model: AWS EC2 m6i.large",
        "  in_latest_scan: true",
        "  last_scanned: 2026-11-20",
        f"  diagram_label: Tier {n % 12}",
        "  function: Benchmark asset",
    ]
    return "\n".join(lines) + "\n"


def make_inventory(items_repo, repo, assets, per_file):
    shutil.copytree(os.path.join(items_repo, "poams"), os.path.join(repo, "poams"))
    shutil.copy(os.path.join(items_repo, "poam.yaml"), os.path.join(repo, "poam.yaml"))
    ids = named_assets(items_repo)
    ids += [f"filler-{n:05d}.example.internal" for n in range(max(0, assets - len(ids)))]
    os.makedirs(os.path.join(repo, "inventory"))
    for start in range(0, len(ids), per_file):
        with open(os.path.join(repo, "inventory", f"group-{start // per_file:04d}.yaml"), "w", encoding="utf-8") as f:
            for n in range(start, min(start + per_file, len(ids))):
                f.write(asset_yaml(n, ids[n]))
    return len(ids)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--assets", type=int, default=20000)
    parser.add_argument("--per-file", type=int, default=100)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--binary", nargs="+", help="poam binaries, timed in turn (default: the release build of this checkout)")
    parser.add_argument("--keep", help="write the repositories here and keep them")
    args = parser.parse_args()
    binaries = args.binary or [release_binary()]
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.keep:
            tmp = args.keep
            os.makedirs(tmp)
        plain = os.path.join(tmp, "plain")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_items.py"), plain, str(args.size)], check=True)
        rng = random.Random(20261206)
        if args.people:
            set_owners(plain, args.people, rng)
        with_inventory = os.path.join(tmp, "with-inventory")
        count = make_inventory(plain, with_inventory, args.assets, args.per_file)
        if args.people:
            with open(os.path.join(with_inventory, "people.yaml"), "w", encoding="utf-8", newline="\n") as fh:
                fh.write(people_file(args.people, rng))
        print(f"{args.size} items; inventory of {count} assets, {args.per_file} per file; {args.people} people")
        labels = [(b, label) for b in binaries for label in ("without", "with")]
        repos = {"without": plain, "with": with_inventory}
        times = {key: [] for key in labels}
        cpus = {key: [] for key in labels}
        peaks = {key: 0 for key in labels}
        for _ in range(args.runs):
            # Every binary and both repositories in turn: one noisy moment hits them all alike.
            for key in labels:
                wall, cpu, peak = run_once(key[0], repos[key[1]])
                times[key].append(wall)
                cpus[key].append(cpu)
                peaks[key] = max(peaks[key], peak)
        for binary in binaries:
            print(binary)
            medians = {label: statistics.median(times[(binary, label)]) for label in repos}
            cpu = {label: statistics.median(cpus[(binary, label)]) for label in repos}
            for label in ("without", "with"):
                print(f"  lint {label} inventory and people: {medians[label] * 1000:.1f} ms wall, {cpu[label] * 1000:.1f} ms CPU (medians of {args.runs}), {peaks[(binary, label)] / 1024:.0f} MiB peak")
            print(f"  ratio: {medians['with'] / medians['without']:.2f}x wall, {cpu['with'] / cpu['without']:.2f}x CPU (target: within 1.2x)")

if __name__ == "__main__":
    main()
