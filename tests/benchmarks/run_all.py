"""Run every benchmark in tests/benchmarks/ and print one combined JSON object (issue 7).

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.run_all [--only NAME ...] [--skip NAME ...]
        [--timeout SECONDS] [--output FILE] [--pretty] [--list]

Each benchmark is a script here that prints its figures as JSON on the last line of stdout. They run
one after another (never in parallel: they measure the machine) as subprocesses, `python -m
tests.benchmarks.<name>` from the repository root, each in its own process group so a timeout also
ends any server it started. A script that fails, times out, prints no JSON, or is asked for with
`--only` but does not exist is reported with that status; the runner itself always prints the JSON
and exits 0 only when every script ran and met its budgets (its `"ok"`, or every
`"within_budget"` entry).

The combined object: `{"ok", "started", "seconds", "environment", "benchmarks": {name: {"status",
"seconds", "returncode", "result" | "error", "stderr_tail"}}, "coverage": {issue item: [names]}}`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tests.benchmarks import common

NOT_BENCHMARKS = {"__init__", "common", "run_all"}
DEFAULT_TIMEOUT_S = 1200.0
STDERR_TAIL = 2000
# Issue 7's numbered figures (and issue 14's) and the words their scripts' names carry (for the
# coverage report).
ISSUE_ITEMS = {
    "1 start-up": ("startup", "start_up"),
    "2 gallery at 100k": ("gallery",),
    "3 UI stall under load": ("stall",),
    "4 landing latency": ("landing",),
    "5 download throughput": ("download",),
    "6 thumbnails": ("thumbnail",),
    "7 search": ("search",),
    "14 Automatic mode's latency vs sync (budget: median <= 1.5 s later; bench_automatic)": ("automatic",),
    "17 batches: throughput vs 5 in progress, UI stall (budgets: >= 0.9x, <= 50 ms; bench_batch)": ("batch",),
}


def discover(folder: Path = common.BENCH_DIR) -> list[str]:
    """Module names of the benchmark scripts in `folder` (every .py but helpers), sorted."""
    return sorted(p.stem for p in folder.glob("*.py") if p.stem not in NOT_BENCHMARKS and not p.stem.startswith("_"))


def parse_json_output(stdout: str) -> dict[str, Any] | None:
    """The script's JSON: its last non-empty line, or else a JSON object that ends its output
    (a script printing indented JSON); None when there is neither."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    if not lines:
        return None
    try:
        value = json.loads(lines[-1])
    except ValueError:
        value = None
    if isinstance(value, dict):
        return value
    text = stdout.rstrip()
    decoder = json.JSONDecoder()
    start = text.rfind("\n{")
    while start != -1:  # the last object that starts a line and runs to the end
        try:
            value, end = decoder.raw_decode(text, start + 1)
        except ValueError:
            value, end = None, -1
        if isinstance(value, dict) and end == len(text):
            return value
        start = text.rfind("\n{", 0, start)
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None
    return None


def run_one(name: str, timeout_s: float, folder: Path = common.BENCH_DIR) -> dict[str, Any]:
    """Run one benchmark script; never raises: every outcome is a status in the returned entry."""
    if not (folder / f"{name}.py").is_file():
        return {"status": "missing", "error": f"tests/benchmarks/{name}.py does not exist"}
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), PYTHONUNBUFFERED="1")
    started = time.perf_counter()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", f"tests.benchmarks.{name}"],
            cwd=common.REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
    except OSError as exc:
        return {"status": "failed", "error": f"could not start: {exc}"}
    timed_out = False
    try:
        stdout, stderr = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc)
        stdout, stderr = proc.communicate()
    entry: dict[str, Any] = {"seconds": round(time.perf_counter() - started, 1), "returncode": proc.returncode}
    result = parse_json_output(stdout or "")
    if timed_out:
        entry.update(status="timeout", error=f"no result within {timeout_s:g} s")
    elif proc.returncode != 0:
        entry.update(status="failed", error=f"exit code {proc.returncode}")
    elif result is None:
        entry.update(
            status="no_json",
            error="the last line of stdout is not a JSON object",
            stdout_tail=(stdout or "")[-STDERR_TAIL:],
        )
    else:
        entry["status"] = "ok"
    if result is not None:
        entry["result"] = result
    if entry["status"] != "ok" and stderr:
        entry["stderr_tail"] = stderr[-STDERR_TAIL:]
    return entry


def _kill_group(proc: subprocess.Popen[str]) -> None:
    """End the timed-out script and whatever it started (its own session, so only ours)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        proc.kill()


def budgets_met(result: dict[str, Any]) -> bool:
    """A script's own verdict: `"ok": false`, or any false in a `"within_budget"` mapping, fails it."""
    if result.get("ok") is False:
        return False
    within = result.get("within_budget")
    return all(within.values()) if isinstance(within, dict) else True


def coverage(names: list[str]) -> dict[str, list[str]]:
    """Which scripts cover each of issue 7's figures; an empty list shows a figure with no benchmark."""
    return {item: [n for n in names if any(word in n for word in words)] for item, words in ISSUE_ITEMS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="run only these (repeatable)")
    parser.add_argument("--skip", action="append", default=[], metavar="NAME", help="skip these (repeatable)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per script")
    parser.add_argument("--output", type=Path, help="also write the JSON to this file")
    parser.add_argument("--pretty", action="store_true", help="indent the JSON")
    parser.add_argument("--list", action="store_true", help="print the scripts that would run, then exit")
    args = parser.parse_args(argv)

    found = discover()
    names = [n.removesuffix(".py") for n in args.only] or found
    names = [n for n in names if n not in {s.removesuffix(".py") for s in args.skip}]
    if args.list:
        print("\n".join(names))
        return 0
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    benchmarks: dict[str, Any] = {}
    for name in names:
        common.log(f"run_all: {name} ...")
        benchmarks[name] = run_one(name, args.timeout)
        common.log(f"run_all: {name}: {benchmarks[name]['status']} ({benchmarks[name].get('seconds', 0)} s)")
    ok = bool(benchmarks) and all(
        entry["status"] == "ok" and budgets_met(entry.get("result", {})) for entry in benchmarks.values()
    )
    combined = {
        "ok": ok,
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - clock, 1),
        "environment": common.environment(),
        "benchmarks": benchmarks,
        "coverage": coverage(found),
    }
    text = json.dumps(combined, ensure_ascii=False, indent=2 if args.pretty else None, default=str)
    if args.output is not None:
        args.output.write_text(text + "\n", encoding="utf-8")
    print(text, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
