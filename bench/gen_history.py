#!/usr/bin/env python3
"""Generate a synthetic POA&M git repository for benchmarking the history engine.

    python3 bench/gen_history.py OUT_DIR [--commits 20000] [--items 500] [--seed 1] [--initial 50]

Writes a git repository at OUT_DIR (branch main, checked out) whose items live in
OUT_DIR/poams. About a third of the commits touch items: new items (until --items exist),
appended milestone changes, status-date bumps, owner hand-overs, occasional bulk updates, and
closures that move the file into poams/closed/. The other commits change source files only.
Every author, date and choice is derived from the seed, so the commit ids are the same on every
machine. Uses `git fast-import`, so 20,000 commits take seconds. Standard library only.
"""

import argparse
import datetime as dt
import os
import random
import subprocess

START = dt.datetime(2020, 1, 6, 9, 0, tzinfo=dt.timezone.utc)
PEOPLE = [
    ("Alice Example", "alice@example.com"),
    ("Bob Builder", "bob@example.com"),
    ("Carol Compliance", "carol@example.com"),
    ("Dan Devops", "dan@example.com"),
]
PACKAGES = ["openssl", "nginx", "libxml2", "glibc", "sudo", "curl", "zlib", "expat", "sqlite", "python3"]
RISKS = [("high", 30), ("moderate", 90), ("low", 180)]


def item_text(item):
    lines = [
        f"id: {item['id']}",
        f"title: {item['package']} {item['version']} is out of date on {item['asset']}",
        "description: >-",
        f"  The installed {item['package']} package ({item['version']}) predates the vendor's",
        f"  security release that fixes {item['cve']}. Scanner plugin {item['plugin']} reported it",
        "  on the monthly authenticated scan.",
        "controls: [SI-2, RA-5, CM-6]",
        "detector: Nessus",
        f"detector_id: {item['plugin']}",
        f"assets: [{item['asset']}]",
        f"owner: {item['owner']}",
        f"remediation: Upgrade {item['package']} through the base image and redeploy.",
        f"detected: {item['detected']}",
        f"due: {item['due']}",
        f"risk: {item['risk']}",
        "milestones:",
        "  - id: 1",
        f"    date: {item['m1']}",
        "    description: Rebuild the base image with the patched package.",
        "  - id: 2",
        f"    date: {item['m2']}",
        "    description: Roll the image out to production.",
    ]
    if item["changes"]:
        lines.append("milestone_changes:")
        for change in item["changes"]:
            lines += [
                f"  - milestone: {change[0]}",
                f"    kind: {change[1]}",
                f"    date: {change[2]}",
                f"    description: {change[3]}",
            ]
    lines.append(f"status: {item['status']}")
    lines.append(f"status_date: {item['status_date']}")
    lines.append(f"cves: [{item['cve']}]")
    if item["status"] == "closed":
        lines += ["closed:", f"  date: {item['status_date']}", "  evidence: Rescan shows the fixed version."]
    return "\n".join(lines) + "\n"


def new_item(number, when, rng):
    risk, days = rng.choice(RISKS)
    detected = when.date() - dt.timedelta(days=rng.randint(0, 10))
    package = rng.choice(PACKAGES)
    return {
        "id": f"POAM-{number:04d}",
        "package": package,
        "version": f"{rng.randint(1, 3)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
        "asset": f"{rng.choice(['web', 'api', 'db', 'worker'])}-{rng.randint(1, 40):02d}.example.internal",
        "cve": f"CVE-{rng.randint(2018, 2025)}-{rng.randint(1000, 49999)}",
        "plugin": rng.randint(100000, 199999),
        "owner": rng.choice(PEOPLE)[0],
        "detected": detected.isoformat(),
        "due": (detected + dt.timedelta(days=days)).isoformat(),
        "risk": risk,
        "m1": (detected + dt.timedelta(days=days // 3)).isoformat(),
        "m2": (detected + dt.timedelta(days=2 * days // 3)).isoformat(),
        "changes": [],
        "status": "open",
        "status_date": when.date().isoformat(),
        "closed_dir": False,
    }


def path_of(item):
    folder = "poams/closed" if item["closed_dir"] else "poams"
    return f"{folder}/{item['id']}.yaml"


def data(text):
    raw = text.encode()
    return b"data %d\n" % len(raw) + raw + b"\n"


def generate(out, commits, item_target, seed, initial=50):
    rng = random.Random(seed)
    stream = []
    items = []
    open_items = []
    source_files = {f"src/module_{n:02d}.txt": 0 for n in range(40)}
    next_number = 1
    touching = 0
    for index in range(commits):
        when = START + dt.timedelta(hours=index)
        name, email = PEOPLE[rng.randrange(len(PEOPLE))]
        ops = []
        if index == 0:
            message = "Start the system repo"
            ops.append(("M", "README.md", "# Example SaaS\n"))
            ops.append(("M", "poam.yaml", "items: poams\n"))
            for _ in range(initial):
                item = new_item(next_number, when, rng)
                next_number += 1
                items.append(item)
                open_items.append(item)
                ops.append(("M", path_of(item), item_text(item)))
        elif rng.random() < 1 / 3:
            touching += 1
            if next_number <= item_target and (rng.random() < 0.15 or not open_items):
                item = new_item(next_number, when, rng)
                next_number += 1
                items.append(item)
                open_items.append(item)
                message = f"Record {item['id']}"
                ops.append(("M", path_of(item), item_text(item)))
            else:
                bulk = rng.random() < 0.08
                chosen = rng.sample(open_items, min(len(open_items), rng.randint(2, 6))) if bulk else [rng.choice(open_items)]
                today = when.date().isoformat()
                for item in chosen:
                    old_path = path_of(item)
                    roll = rng.random()
                    if bulk or roll < 0.3:
                        item["status_date"] = today
                    elif roll < 0.7:
                        milestone = rng.choice([1, 2])
                        kind = rng.choice(["update", "complete"])
                        item["changes"].append((milestone, kind, today, f"Milestone {milestone} {kind}d after review."))
                        item["status_date"] = today
                    elif roll < 0.97:
                        item["owner"] = rng.choice(PEOPLE)[0]
                        item["status_date"] = today
                    else:
                        item["status"] = "closed"
                        item["status_date"] = today
                        item["closed_dir"] = True
                        open_items.remove(item)
                    if path_of(item) != old_path:
                        ops.append(("D", old_path, None))
                    ops.append(("M", path_of(item), item_text(item)))
                message = "Bulk status update" if bulk else f"Update {chosen[0]['id']}"
                if not open_items:
                    open_items.append(items[0])
        else:
            path = rng.choice(sorted(source_files))
            source_files[path] += 1
            message = f"Work on {path}"
            ops.append(("M", path, f"{path} revision {source_files[path]}\n" * 8))
        stamp = f"{int(when.timestamp())} +0000"
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"author {name} <{email}> {stamp}\ncommitter {name} <{email}> {stamp}\n".encode())
        stream.append(data(message))
        for op, path, text in ops:
            if op == "D":
                stream.append(f"D {path}\n".encode())
            else:
                stream.append(f"M 100644 inline {path}\n".encode())
                stream.append(data(text))
        stream.append(b"\n")
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
    os.makedirs(out, exist_ok=True)
    subprocess.run(["git", "init", "-q", out], check=True, env=env)
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], cwd=out, check=True, env=env)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=out, input=b"".join(stream), check=True, env=env)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=out, check=True, env=env)
    return touching, next_number - 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--commits", type=int, default=20000)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--initial", type=int, default=50, help="items recorded in the first commit")
    args = parser.parse_args()
    touching, created = generate(args.out, args.commits, args.items, args.seed, args.initial)
    print(f"{args.commits} commits, {touching} touching items, {created} items")


if __name__ == "__main__":
    main()
