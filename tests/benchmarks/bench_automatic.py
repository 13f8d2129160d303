"""What Automatic mode costs in latency (issue 14): the same 20-second generation sent through the
sync endpoint and in Automatic mode, side by side in the same run, measured to the job's end (every
image landed in the library).

    python -m tests.benchmarks.bench_automatic [--rounds 5] [--task-seconds 20]

Automatic sends through the asynchronous endpoint (a task id is journaled before anything can be
lost) and polls adaptively (api/polling.py); the budget is that it lands results no more than
1.5 s later than sync would, as a median over the rounds. Each round starts one sync job and one
Automatic job at the same moment, each with its own `JobRunner` and library, exactly as the app and
the CLI run them (default schedules, no test intervals). The fake runs in its own process: a sync
call answers after `--task-seconds`; a task is PENDING for half a second then RUNNING until
`--task-seconds` after its creation (its virtual clock; queries do not hurry it). Results are small
PNGs, so downloading costs both modes the same little. Prints one JSON line (see `common.emit`).
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.benchmarks import common

BUDGET_S = 1.5  # Automatic lands at most this much later than sync (median)
API_KEY = "sk-fake-bench-automatic-0000"

_FAKE_SCRIPT = """
import signal, sys, threading
from tests.fake_dashscope import FakeDashScope
key, seconds = sys.argv[1], float(sys.argv[2])
fake = FakeDashScope(api_key=key)
fake.result_image_mode = "small"
fake.store_results_on_answer = True  # a result host holds a result once it is reported
fake.sync_delay = seconds
fake.polls_pending = fake.polls_running = 10 ** 9  # only time drives a task
fake.pending_seconds, fake.running_seconds = 0.5, seconds - 0.5
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
with fake:
    print("WAN27_API_BASE=" + fake.base_url, flush=True)
    done.wait()
"""


@contextlib.contextmanager
def fake_server(task_seconds: float) -> Iterator[str]:
    proc, base = common.start_fake(_FAKE_SCRIPT, API_KEY, str(task_seconds))
    try:
        yield base
    finally:
        common.stop_process(proc)


def run_job(base: str, folder: Path, mode: Any, out: dict[str, float], name: str, start: threading.Barrier) -> None:
    """Journal one job, wait for the other mode's, then time `run` to the last image landed."""
    from wan27_desktop.api.models import GenerationRequest, Region
    from wan27_desktop.jobs.runner import Connection, JobRunner
    from wan27_desktop.library import JobState, Library

    with Library.open(folder) as library:
        runner = JobRunner(library, Connection(Region.SINGAPORE, base, API_KEY))
        try:
            job_id = runner.create(GenerationRequest("a lighthouse at dusk", n=1, size="1K", seed=7), mode)
            start.wait()
            began = time.monotonic()
            job = runner.run(job_id)
            out[name] = time.monotonic() - began
            if job.state is not JobState.DONE:
                raise RuntimeError(f"{name}: the job ended {job.state.value}: {job.error_message}")
        finally:
            runner.close()


def one_round(base: str, root: Path, number: int) -> dict[str, float]:
    from wan27_desktop.api.models import RequestMode

    times: dict[str, float] = {}
    start = threading.Barrier(2)
    threads = [
        threading.Thread(target=run_job, args=(base, root / f"{mode.value}-{number}", mode, times, mode.value, start))
        for mode in (RequestMode.SYNC, RequestMode.AUTO)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if set(times) != {"sync", "auto"}:
        raise RuntimeError(f"round {number} did not finish both jobs: {times}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--task-seconds", type=float, default=20.0)
    args = parser.parse_args()

    rounds: list[dict[str, float]] = []
    with fake_server(args.task_seconds) as base, tempfile.TemporaryDirectory(prefix="wan27-bench-auto-") as tmp:
        for number in range(args.rounds):
            times = one_round(base, Path(tmp), number)
            rounds.append(times)
            common.log(
                f"round {number + 1}: sync {times['sync']:.2f} s, automatic {times['auto']:.2f} s "
                f"(+{times['auto'] - times['sync']:.2f} s)"
            )
    lags = [r["auto"] - r["sync"] for r in rounds]
    median_lag = round(common.median(lags), 3)
    result = {
        "benchmark": "bench_automatic",
        "task_seconds": args.task_seconds,
        "rounds": args.rounds,
        "sync_s": common.summary([r["sync"] for r in rounds], scale=1.0, digits=3),
        "automatic_s": common.summary([r["auto"] for r in rounds], scale=1.0, digits=3),
        "lag_s": common.summary(lags, scale=1.0, digits=3),
        "automatic_lag_median_s": common.budget(median_lag, BUDGET_S),
        "environment": common.environment(),
    }
    result["ok"] = result["automatic_lag_median_s"]["ok"]
    common.emit(result)


if __name__ == "__main__":
    main()
