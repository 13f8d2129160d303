"""Shared helpers for the benchmark scripts (issue 7): timing with medians, RSS, ratios, JSON output.

Every figure the issue budgets is a ratio against a baseline measured in the same run, because these
machines are noisy: measure the baseline and the subject interleaved (`interleaved`), take medians,
and report `ratio(...)` with its budget via `budget(...)`. A script ends by calling `emit(result)`,
which prints the whole result as ONE JSON line, the last line of stdout (what `run_all` reads).

Importing this module has no side effects (no Qt, no server, no files), so pytest may import it.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent.parent


def stop_process(proc: subprocess.Popen[Any]) -> None:
    """Terminate a helper process (fake server, Xvfb), killing it if it has not gone in 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start_fake(script: str, *args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    """Run a fake DashScope script (`python -c script args...`) in a child process, the way every
    benchmark does, so the fake's threads do not share our GIL. The script prints
    `WAN27_API_BASE=<url>` once it serves; returns the process (its stdout still open for what the
    script prints next) and that URL. Stop it with `stop_process`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("WAN27_API_BASE="):
            return proc, line.split("=", 1)[1].strip()
    stop_process(proc)
    raise RuntimeError(f"the fake DashScope did not start (exit code {proc.poll()})")


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th): no interpolation to invent values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def run_until(condition: Callable[[], bool], timeout_s: float) -> float | None:
    """Run the Qt event loop until `condition()` holds; the time.monotonic() it was seen true, or
    None on time-out. An exception from `condition` ends the wait and is raised here.

    A nested QEventLoop that sleeps until events come, as app.exec() does; `condition` is checked
    every 2 ms. A processEvents() spin would keep a core and the GIL busy, and slow the very worker
    threads a benchmark waits for (on two cores it more than doubled a gallery search's page read).
    A QApplication must exist.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    seen: list[float] = []
    errors: list[BaseException] = []
    deadline = time.monotonic() + timeout_s

    def check() -> bool:
        try:
            if condition():
                seen.append(time.monotonic())
                return True
        except BaseException as exc:  # handed to the caller below
            errors.append(exc)
            return True
        return time.monotonic() > deadline

    if not check():
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(2)
        timer.timeout.connect(lambda: check() and loop.quit())
        timer.start()
        loop.exec()
        timer.stop()
    if errors:
        raise errors[0]
    return seen[0] if seen else None


def time_call(action: Callable[[], object]) -> float:
    """Seconds one call of `action` takes (perf_counter)."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def repeat_timed(action: Callable[[], object], repeat: int, *, warmup: int = 1) -> list[float]:
    """Seconds for each of `repeat` calls, after `warmup` untimed calls."""
    for _ in range(warmup):
        action()
    return [time_call(action) for _ in range(repeat)]


def interleaved(
    actions: dict[str, Callable[[], object]],
    repeat: int,
    *,
    warmup: int = 1,
    between: Callable[[], object] | None = None,
) -> dict[str, list[float]]:
    """Time several actions round-robin (a, b, c, a, b, c, ...) so drift and noise hit them alike.

    The starting action rotates each round, so none always runs first after a pause. `between` runs
    untimed after every call (e.g. deleting the file a download wrote).
    """
    names = list(actions)
    for _ in range(warmup):
        for name in names:
            actions[name]()
            if between is not None:
                between()
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(repeat):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(time_call(actions[name]))
            if between is not None:
                between()
    return samples


def summary(samples: Sequence[float], *, scale: float = 1000.0, digits: int = 2) -> dict[str, float]:
    """median / p95 / min / max of seconds, as milliseconds by default."""
    return {
        "median": round(median(samples) * scale, digits),
        "p95": round(percentile(samples, 95) * scale, digits),
        "min": round(min(samples) * scale, digits),
        "max": round(max(samples) * scale, digits),
        "n": len(samples),
    }


def ratio(subject: float, baseline: float, digits: int = 3) -> float | None:
    """subject / baseline, rounded; None when the baseline is zero or missing."""
    if not baseline or math.isnan(baseline) or math.isnan(subject):
        return None
    return round(subject / baseline, digits)


def budget(value: float | None, limit: float, *, at_least: bool = False) -> dict[str, Any]:
    """A figure with its budget: `{"value", "budget", "ok"}`; `at_least` for floors (throughput)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return {"value": None, "budget": (">= " if at_least else "<= ") + f"{limit:g}", "ok": False}
    ok = value >= limit if at_least else value <= limit
    return {"value": value, "budget": (">= " if at_least else "<= ") + f"{limit:g}", "ok": ok}


def rss_mb() -> float | None:
    """Current resident set size in MB (Linux /proc; None elsewhere)."""
    return _status_field("VmRSS")


def peak_rss_mb() -> float | None:
    """Peak resident set size in MB (Linux VmHWM; falls back to getrusage's ru_maxrss)."""
    peak = _status_field("VmHWM")
    if peak is not None:
        return peak
    try:
        import resource
    except ImportError:
        return None
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kb / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _status_field(field: str) -> float | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def environment() -> dict[str, Any]:
    """Enough about the machine to compare runs: Python, platform, CPUs."""
    return {"python": platform.python_version(), "platform": platform.platform(terse=True), "cpus": os.cpu_count()}


def emit(result: dict[str, Any]) -> None:
    """Print `result` as one JSON line: the last stdout line of every benchmark script."""
    sys.stdout.flush()
    print(json.dumps(result, ensure_ascii=False, allow_nan=False, default=str), flush=True)


def log(message: str) -> None:
    """Progress for people, on stderr, so stdout's last line stays the JSON."""
    print(message, file=sys.stderr, flush=True)
