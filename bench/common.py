"""Helpers shared by the benchmark scripts in this folder."""
import os
import platform
import subprocess
import sys
import time


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def timed_run(argv, cwd=None, env=None, ok=(0,)):
    """Wall time (s) and peak RSS (KiB) of one run, output discarded.

    wait4 gives this child's own peak RSS, not that of earlier children."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        sys.exit(f"{' '.join(argv)} failed ({code}): {proc.stderr.read().decode()}")
    return wall, usage.ru_maxrss


def release_binary(given=None):
    """`given`, else the release build of this checkout (built now, into $CARGO_TARGET_DIR
    when set)."""
    if given:
        return given
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(root, "target")
    return os.path.join(target, "release", "poam")


def checkout_pr_branch(repo, env, item_name="POAM-0001.yaml"):
    """Checks out the `pr` branch: one commit on top of main that appends a comment to one item.
    A kept repository (--keep) has it from an earlier run; otherwise it is made here."""
    import os
    import subprocess
    has_pr = subprocess.run(["git", "rev-parse", "--verify", "-q", "pr"], cwd=repo, capture_output=True).returncode == 0
    if has_pr:
        subprocess.run(["git", "checkout", "-q", "pr"], cwd=repo, check=True, env=env)
        return
    subprocess.run(["git", "checkout", "-q", "-b", "pr"], cwd=repo, check=True, env=env)
    item = os.path.join(repo, "poams", item_name)
    if not os.path.exists(item):
        item = os.path.join(repo, "poams", "closed", item_name)
    with open(item, "a") as f:
        f.write("comments: Vendor contacted again.\n")
    subprocess.run(["git", "commit", "-q", "-am", "Comment on POAM-0001"], cwd=repo, check=True, env=env)
