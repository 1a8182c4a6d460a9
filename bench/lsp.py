#!/usr/bin/env python3
"""Times `poam lsp`'s diagnostics after a change of one item in a 10,000-item workspace
(issue 25).

Usage: python3 bench/lsp.py [--changes N] [--size 10000] [--binary PATH]
Generates the items with bench/gen_items.py, starts `poam lsp` in that folder as an editor
would (standard input and output, Content-Length framed JSON-RPC), opens one item, then sends
N changes of it (its `status` word alternately `open` and `Open`) one at a time and times each
from the moment the change is written to the moment its `publishDiagnostics` is read. Prints
the start-up time (initialize until the first diagnostics) and the median and slowest
change.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from common import cpu_model, release_binary

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive(proc):
    length = 0
    while True:
        line = proc.stdout.readline()
        if not line:
            sys.exit("poam lsp closed its output")
        line = line.strip()
        if not line:
            break
        if line.startswith(b"Content-Length:"):
            length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))


def wait_for(proc, pred):
    while True:
        message = receive(proc)
        if pred(message):
            return message


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=41)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = release_binary(args.binary)
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}")
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.realpath(os.path.join(tmp, "items"))
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_items.py"), repo, str(args.size)], check=True)
        path = os.path.join(repo, "poams", "V-1.yaml")
        text = open(path, encoding="utf-8").read()
        uri = "file://" + path
        started = time.perf_counter()
        proc = subprocess.Popen([binary, "--today", "2026-11-25", "lsp"], cwd=repo,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": {"processId": None, "rootUri": "file://" + repo, "capabilities": {}}})
        wait_for(proc, lambda m: m.get("id") == 1)
        send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
                    "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
        is_diagnostics = lambda m: m.get("method") == "textDocument/publishDiagnostics"
        wait_for(proc, is_diagnostics)
        startup = time.perf_counter() - started
        times = []
        for n in range(args.changes):
            changed = text.replace("\nstatus: open\n", "\nstatus: Open\n") if n % 2 == 0 else text
            sent = time.perf_counter()
            send(proc, {"jsonrpc": "2.0", "method": "textDocument/didChange",
                        "params": {"textDocument": {"uri": uri, "version": n + 2}, "contentChanges": [{"text": changed}]}})
            message = wait_for(proc, is_diagnostics)
            times.append(time.perf_counter() - sent)
            assert message["params"]["version"] == n + 2
        send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
        wait_for(proc, lambda m: m.get("id") == 2)
        send(proc, {"jsonrpc": "2.0", "method": "exit", "params": None})
        proc.wait(timeout=30)
        print(f"lsp start-up, {args.size} items: {startup * 1000:.1f} ms until the first diagnostics")
        print(f"lsp diagnostics after a change of one item, {args.size}-item workspace: median "
              f"{statistics.median(times) * 1000:.2f} ms (min {min(times) * 1000:.2f}, max {max(times) * 1000:.2f}) "
              f"over {len(times)} changes")


if __name__ == "__main__":
    main()
