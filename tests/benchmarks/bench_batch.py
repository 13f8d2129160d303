"""Batch throughput and UI stall (issue 17): 100 rows run in the app against the fake with the
account's limits on (5 submissions/s, 5 tasks in progress, 429 beyond) and a task time of 3 s.

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.bench_batch [--rows 100] [--task-seconds 3]
        [--mode auto|sync|async] [--images 1000] [--diagnose] [--profile]

- The real `MainWindow` (gallery over a synthetic library, job queue, the batch's own window) in
  this process; the fake DashScope in a child process (its threads never take our GIL), where a sync
  call takes --task-seconds and an async task is RUNNING for --task-seconds.
- Throughput: rows finished per second, from starting the journaled batch until its last row is
  done, against the ideal of 5 tasks always in progress (5 / task time); budget >= 0.9x.
- UI stall: a 1 ms precise timer on the UI thread for the whole run (`_appload.GapProbe`, as in
  bench_ui_stall): the largest gap; budget <= 50 ms.
- Also reported: the same window's gaps while idle (the machine's own noise, for scale); the fake's
  own count of the most tasks in progress and the most submissions in one second, and how many it
  refused (must be 0: the batch keeps to the limits itself).
- --diagnose samples the UI thread's stack whenever a tick is 15 ms late and, for every gap over
  30 ms, says where its time went (`_appload.StallSampler`): the UI thread running, waiting for a
  CPU, or asleep (the GIL, a lock), the other threads' CPU and any garbage collection meanwhile.
  --profile: cProfile of the UI thread (to stderr). Figures of either run are not the budget's.
- --mode: auto (the app's default: the async endpoint, polled adaptively), sync or async (polled
  every 5-10 s as §6 recommends, so a 3 s task holds its slot up to a poll longer).
Prints one JSON line (see `common.emit`). Not a pytest test.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks import _appload, common
from tests.benchmarks.library_scale import build_synthetic_library

BUDGET_THROUGHPUT = 0.9
BUDGET_MAX_GAP_MS = 50.0

_FAKE = r"""
import json, signal, sys, threading
from tests.fake_dashscope import FakeDashScope
from tests.fake_dashscope.limits import AccountLimits

key, seconds = sys.argv[1], float(sys.argv[2])
fake = FakeDashScope(api_key=key)
fake.result_image_mode = "real"
fake.store_results_on_answer = True  # a result host holds a result once it is reported
fake.limits = AccountLimits()  # 5 submissions/s, 5 tasks in progress, 429 beyond (§6)
fake.sync_delay = seconds
fake.polls_pending = fake.polls_running = 10 ** 9
fake.pending_seconds, fake.running_seconds = 0.0, seconds
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
with fake:
    print("WAN27_API_BASE=" + fake.base_url, flush=True)
    done.wait()
    limits = fake.limits
    print("LIMITS " + json.dumps({
        "peak_in_progress": limits.peak_in_progress,
        "peak_per_second": limits.peak_per_second,
        "refused": [kind for kind in limits.refused if kind != "queries"],
        "queries_refused": limits.refused.count("queries"),
        "created": fake.created_count,
    }), flush=True)
"""


def run_batch(
    window: Any, rows: int, mode: Any, work: Path, timeout_s: float, diagnose: bool = False
) -> dict[str, Any]:
    """Journal and run a batch of `rows` prompts through the app; probe the UI thread meanwhile."""
    from wan27_desktop.api.models import GenerationRequest, Region
    from wan27_desktop.jobs.batch import sources

    path = work / f"prompts-{rows}-{time.monotonic_ns()}.txt"
    path.write_text("".join(f"benchmark row {i}: a lighthouse at dusk\n" for i in range(rows)), encoding="utf-8")
    plan = sources.from_list(path, GenerationRequest("", size="1K"))
    manager = window.batch_ui.manager
    started: list[int] = []
    ended: list[int] = []
    finished_at: list[float] = []
    done_rows: list[int] = []

    def on_started(_token: int, batch_id: int) -> None:
        started.append(batch_id)

    def on_updated(progress: Any) -> None:
        counts = progress.update.counts
        if counts.total and counts.done + counts.failed + counts.canceled == counts.total and not finished_at:
            finished_at.append(time.monotonic())
            done_rows.append(counts.done)

    def on_ended(batch_id: int) -> None:
        ended.append(batch_id)

    manager.batchStarted.connect(on_started)
    manager.batchUpdated.connect(on_updated)
    manager.batchEnded.connect(on_ended)
    probe = _appload.GapProbe()
    probe.start()
    began = time.monotonic()
    with _appload.stall_sampler(probe, diagnose) as sampler:
        window.batch_ui.start(plan, Region.SINGAPORE, mode, f"bench {rows}", True)
        _appload.wait_until(lambda: bool(started) and started[0] in ended, timeout_s, f"{rows} rows")
        _appload.pump(0.2)  # the window's last repaint
    probe.stop()
    manager.batchStarted.disconnect(on_started)
    manager.batchUpdated.disconnect(on_updated)
    manager.batchEnded.disconnect(on_ended)
    end = finished_at[0] if finished_at else time.monotonic()
    result = probe.summary(end - began)
    result["rows_done"] = done_rows[0] if done_rows else 0
    result["batch_seconds"] = round(end - began, 2)
    if sampler is not None:
        result["ui_thread_when_late"] = sampler.report()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100, help="rows in the batch (default 100)")
    parser.add_argument("--task-seconds", type=float, default=3.0, help="the fake's task time (default 3)")
    parser.add_argument(
        "--mode", choices=("auto", "sync", "async"), default="auto", help="request mode (default auto, the app's)"
    )
    parser.add_argument("--images", type=int, default=1000, help="synthetic library size (default 1000)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds for the batch (default 600)")
    parser.add_argument("--idle-seconds", type=float, default=3.0, help="idle baseline length (default 3)")
    parser.add_argument("--diagnose", action="store_true", help="sample the UI thread's stack when it is late")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the UI thread during the measured batch (to stderr)"
    )
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="wan27-bench-batch-"))
    limits: dict[str, Any] = {}
    idle: dict[str, Any] = {}
    try:
        data_dir = work / "data"
        build_synthetic_library(data_dir, args.images)
        proc, base_url = common.start_fake(_FAKE, _appload.API_KEY, str(args.task_seconds))
        try:
            _appload.prepare_environment(data_dir, base_url)
            from wan27_desktop.api.models import RequestMode

            mode = RequestMode(args.mode)
            window = _appload.open_main_window(data_dir, 2)
            try:
                _appload.wait_until(lambda: window.gallery.loader.pending_count() == 0, 60, "the first thumbnails")
                probe = _appload.GapProbe()  # the same window idle, for scale (the machine's noise)
                probe.start()
                _appload.pump(args.idle_seconds)
                idle = _appload.gap_summary(probe.stop(), args.idle_seconds)
                warm = run_batch(window, 5, mode, work, 120)  # imports and first connections
                common.log(f"bench_batch: warm-up batch of 5 in {warm['batch_seconds']} s")
                _appload.pump(args.task_seconds + 1)  # the warm-up's slots are free again
                profiler = cProfile.Profile() if args.profile else None
                if profiler is not None:
                    profiler.enable()
                measured = run_batch(window, args.rows, mode, work, args.timeout, args.diagnose)
                if profiler is not None:
                    profiler.disable()
                    stats = pstats.Stats(profiler, stream=sys.stderr)
                    stats.sort_stats("tottime").print_stats(40)
                    stats.sort_stats("cumulative").print_stats(60)
            finally:
                _appload.close_main_window(window)
        finally:
            proc.send_signal(signal.SIGTERM)
            out, _ = proc.communicate(timeout=30)
            for line in out.splitlines():
                if line.startswith("LIMITS "):
                    limits = json.loads(line[len("LIMITS ") :])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ideal_per_s = 5 / args.task_seconds  # §6: 5 tasks in progress, each task_seconds long
    actual_per_s = measured["rows_done"] / measured["batch_seconds"] if measured["batch_seconds"] else 0.0
    result: dict[str, Any] = {
        "benchmark": "batch",
        "rows": args.rows,
        "task_seconds": args.task_seconds,
        "mode": args.mode,
        "library_images": args.images,
        "rows_per_second": round(actual_per_s, 3),
        "ideal_rows_per_second": round(ideal_per_s, 3),
        "ideal_seconds": round(args.rows / ideal_per_s, 1),
        "throughput_vs_ideal": common.budget(round(actual_per_s / ideal_per_s, 3), BUDGET_THROUGHPUT, at_least=True),
        "max_gap_ms": common.budget(measured["max_gap_ms"], BUDGET_MAX_GAP_MS),
        "probe": measured,
        "idle": idle,
        "fake_limits": limits,
    }
    result["within_budget"] = {
        "throughput_vs_ideal": result["throughput_vs_ideal"]["ok"],
        "max_gap_ms": result["max_gap_ms"]["ok"],
        "never_beyond_the_limits": limits.get("refused") == [] and limits.get("peak_in_progress", 99) <= 5,
        "every_row_done": measured["rows_done"] == args.rows,
    }
    result["environment"] = common.environment()
    common.emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
