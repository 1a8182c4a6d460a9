#!/usr/bin/env python3
"""Times `poam export oscal` on generated items; reports wall time, peak memory and size.

Usage: python3 bench/oscal.py [--runs N] [--sizes 1000,10000] [--binary PATH] [--baseline BINARY]
Builds the release binary (into $CARGO_TARGET_DIR, else target/; `--binary` times that one
instead), generates the items with bench/gen_items.py into a temp folder, and times the export
(to a file, `-o`) twice per size: on the bare folder (no git, so no history) and on the same
items committed to a git repository (one commit, so the history walk and the risk-log lookups
are included). Prints the median wall time, the median CPU time (user + system) and the peak
resident memory of the slowest run. With `--baseline`, another poam binary (an older build) is
timed in the same run, interleaved, its document compared byte for byte with the new one, and
the ratio printed. Compare figures from one run only: the machines are shared and noisy.
"""
import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from common import cpu_model, release_binary

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_AUTHOR_DATE": "2026-11-25T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-25T00:00:00+00:00",
}


def commit_all(repo):
    env = dict(os.environ, **GIT_ENV)
    for argv in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "items"]):
        subprocess.run(argv, cwd=repo, env=env, check=True)


def timed_run(argv):
    """Wall time (s), CPU time (s, user + system) and peak RSS (KiB) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} failed: {proc.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--binary", help="time this poam binary instead of building one")
    parser.add_argument("--baseline", help="another poam binary to time in the same run")
    args = parser.parse_args()
    built = release_binary(args.binary)
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        # Private copies: a target folder shared with other checkouts may be rebuilt meanwhile.
        binaries = {"poam": os.path.join(tmp, "poam")}
        shutil.copy2(built, binaries["poam"])
        if args.baseline:
            binaries["baseline"] = os.path.join(tmp, "poam-baseline")
            shutil.copy2(args.baseline, binaries["baseline"])
        for size in [int(s) for s in args.sizes.split(",")]:
            for mode in ("folder", "git"):
                repo = os.path.join(tmp, f"items-{size}-{mode}")
                subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_items.py"), repo, str(size)],
                               check=True)
                if mode == "git":
                    commit_all(repo)
                outs = {name: os.path.join(tmp, f"{name}-oscal.json") for name in binaries}
                argvs = {name: [path, "-C", repo, "-q", "export", "oscal", "--today", "2026-11-25", "-o", outs[name]]
                         for name, path in binaries.items()}
                for argv in argvs.values():
                    timed_run(argv)  # warm the page cache
                walls = {name: [] for name in binaries}
                cpus = {name: [] for name in binaries}
                peaks = {name: 0 for name in binaries}
                for _ in range(args.runs):
                    for name, argv in argvs.items():
                        wall, cpu, rss = timed_run(argv)
                        walls[name].append(wall)
                        cpus[name].append(cpu)
                        peaks[name] = max(peaks[name], rss)
                megabytes = os.path.getsize(outs["poam"]) / 1e6
                for name in binaries:
                    print(f"export oscal {size:>6} items ({mode:>6}, {name}): median {statistics.median(walls[name]) * 1000:7.1f} ms "
                          f"(min {min(walls[name]) * 1000:.1f}, max {max(walls[name]) * 1000:.1f}), "
                          f"CPU {statistics.median(cpus[name]) * 1000:.0f} ms, peak RSS {peaks[name] / 1024:.1f} MiB, "
                          f"document {megabytes:.1f} MB")
                if args.baseline:
                    same = filecmp.cmp(outs["poam"], outs["baseline"], shallow=False)
                    ratio = statistics.median(walls["poam"]) / statistics.median(walls["baseline"])
                    print(f"export oscal {size:>6} items ({mode:>6}): poam / baseline = {ratio:.2f}, "
                          f"documents {'identical' if same else 'DIFFER'}")


if __name__ == "__main__":
    main()
