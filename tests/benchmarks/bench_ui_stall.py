"""UI stall under load (issue 7, item 3): the UI thread's event-loop gaps while 5 jobs run at once,
each landing a large incompressible (4K noise, ~50 MB) PNG that the visible gallery then thumbnails;
versus the same probe on the same idle main window, in the same run.

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.bench_ui_stall [--jobs 5] [--size 4K] [--rounds 2]
        [--images 1000] [--idle-seconds 3] [--diagnose]

- The real `MainWindow` (generation panel, gallery over a 1,000-image synthetic library, job queue,
  JobManager with concurrency = --jobs) in this process; the fake DashScope in a child process
  (`_appload.FakeProcess`), answering sync calls with 4K noise PNGs.
- Probe: a 1 ms precise QTimer on the UI thread (`_appload.GapProbe`). Idle: the window shown and
  started, nothing running, for --idle-seconds. Load: from submitting the jobs until every image has
  landed and its thumbnail is decoded (the gallery repaints it), through download, verification,
  sha256, landing in the library (metadata chunks, fsync, rename, SQLite) and thumbnailing.
- Budgets: under load, the largest gap <= 50 ms and p99 <= 20 ms (worst of --rounds rounds).
- --diagnose: samples the UI thread's Python stack whenever a tick is 15 ms late and reports where
  it was (`_appload.StallSampler`); it adds a thread, so the figures of that run are not the budget's.
Prints one JSON line (see `common.emit`). Not a pytest test.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks import _appload, common
from tests.benchmarks.library_scale import build_synthetic_library

BUDGET_MAX_GAP_MS = 50.0
BUDGET_P99_GAP_MS = 20.0


def load_round(window: Any, jobs: int, size: str, diagnose: bool, timeout_s: float) -> dict[str, Any]:
    """Submit `jobs` sync jobs at once; probe until every image is landed and thumbnailed."""
    from wan27_desktop.api.models import GenerationRequest, Model, RequestMode

    gallery = window.gallery
    landed: list[int] = []
    ready: set[int] = set()

    failures: list[str] = []
    states: dict[int, str] = {}  # job id -> its last state, for the time-out's report

    def on_event(event: Any) -> None:
        states[event.job_id] = event.state.value
        if event.image_id is not None:
            landed.append(event.image_id)
        if event.error is not None and event.state.is_terminal:
            failures.append(f"job {event.job_id} {event.state.value}: {event.error}")

    def on_ready(image_id: int) -> None:
        ready.add(image_id)

    def thumbnails_shown() -> bool:
        if failures:
            raise RuntimeError("; ".join(failures))
        if len(landed) < jobs or not set(landed) <= ready:
            return False
        shown = 0
        for row in range(min(gallery.model.rowCount(), 50)):
            record = gallery.model.loaded_record(row)
            if record is not None and record.id in landed and gallery.loader.image(record, _tile_px(gallery)):
                shown += 1
        return shown >= jobs

    window.workspace.jobs.jobEvent.connect(on_event)
    gallery.loader.ready.connect(on_ready)
    probe = _appload.GapProbe()
    probe.start()
    started = time.monotonic()
    with _appload.stall_sampler(probe, diagnose) as sampler:
        for number in range(jobs):
            window.workspace.submit(
                GenerationRequest(prompt=f"ui stall benchmark {number}", model=Model.PRO, size=size, n=1),
                RequestMode.SYNC,
            )
        try:
            _appload.wait_until(thumbnails_shown, timeout_s, f"{jobs} images landed and thumbnailed")
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}\n{_describe_wait(window, landed, ready, states)}") from None
        _appload.pump(0.05)  # the repaint that shows the last thumbnail
    elapsed = time.monotonic() - started
    gaps = probe.stop()
    window.workspace.jobs.jobEvent.disconnect(on_event)
    gallery.loader.ready.disconnect(on_ready)
    result = _appload.gap_summary(gaps, elapsed)
    result["images_landed"] = len(landed)
    if sampler is not None:
        result["ui_thread_when_late"] = sampler.report()
    return result


def warm_up(window: Any) -> None:
    """One small job first: what the first job of a session imports and connects (httpx, the
    download path, thumbnailing) is done before the measured rounds."""
    load_round(window, 1, "1K", False, 120.0)


def _describe_wait(window: Any, landed: list[int], ready: set[int], states: dict[int, str]) -> str:
    """What a load round that timed out was waiting for: which landings, thumbnails and rows are missing."""
    gallery = window.gallery
    model, loader, px = gallery.model, gallery.loader, _tile_px(gallery)
    rows = []
    for row in range(min(model.rowCount(), 12)):
        record = model.loaded_record(row)
        if record is None:
            rows.append(f"{row}: not loaded")
        else:
            shown = " shown" if loader.image(record, px) is not None else ""
            rows.append(f"{row}: #{record.id}{shown}{' broken' if loader.is_broken(record.id) else ''}")
    return "\n".join(
        [
            f"  job states: {states}",
            f"  landed: {landed}; thumbnail ready: {sorted(ready)}; not ready: {sorted(set(landed) - ready)}",
            f"  gallery: {model.rowCount()} rows, reading {model.is_busy()}, count pending {model.count_pending()}, "
            f"visible {model.visible_range()} (view {gallery.view.visible_rows()}), pages {model.loaded_pages()}",
            f"  thumbnails: {loader.pending_count()} queued or decoding, {loader.cached_count()} cached, {px} px",
            f"  first rows: {'; '.join(rows)}",
        ]
    )


def _tile_px(gallery: Any) -> int:
    from wan27_desktop.ui.common.thumbnails import decode_size

    return decode_size(gallery.delegate.tile, gallery.view.devicePixelRatioF())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=5, help="concurrent jobs (default 5, the service's maximum)")
    parser.add_argument("--size", default="4K", help="result size (default 4K: 4096x4096 noise, ~50 MB)")
    parser.add_argument("--rounds", type=int, default=3, help="load rounds (default 3; the worst counts)")
    parser.add_argument("--images", type=int, default=1000, help="synthetic library size (default 1000)")
    parser.add_argument("--idle-seconds", type=float, default=3.0, help="idle baseline length (default 3)")
    parser.add_argument("--diagnose", action="store_true", help="sample the UI thread's stack when it is late")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the UI thread during the load rounds "
        "(to stderr; wall time, so waits for the GIL count in the callers)",
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per load round (default 300)")
    parser.add_argument(
        "--switch-interval",
        type=float,
        help="sys.setswitchinterval(seconds) for the run "
        "(default: whatever the app sets; CPython's own default is 0.005)",
    )
    args = parser.parse_args(argv)
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)

    work = Path(tempfile.mkdtemp(prefix="wan27-bench-stall-"))
    try:
        data_dir = work / "data"
        build_synthetic_library(data_dir, args.images)
        with _appload.FakeProcess("noise") as fake:
            _appload.prepare_environment(data_dir, fake.base_url)
            window = _appload.open_main_window(data_dir, args.jobs)
            try:
                gallery = window.gallery
                _appload.wait_until(lambda: gallery.loader.pending_count() == 0, 60, "the first thumbnails")
                _appload.pump(0.5)
                probe = _appload.GapProbe()
                probe.start()
                _appload.pump(args.idle_seconds)
                idle = _appload.gap_summary(probe.stop(), args.idle_seconds)
                common.log(f"bench_ui_stall: idle max gap {idle['max_gap_ms']} ms, p99 {idle['p99_gap_ms']} ms")
                before = len(sys.modules)
                warm_up(window)
                common.log(f"bench_ui_stall: the warm-up job imported {len(sys.modules) - before} modules")
                rounds = []
                profiler = cProfile.Profile() if args.profile else None
                for number in range(args.rounds):
                    if profiler is not None:
                        profiler.enable()
                    rounds.append(load_round(window, args.jobs, args.size, args.diagnose, args.timeout))
                    if profiler is not None:
                        profiler.disable()
                    common.log(
                        f"bench_ui_stall: load round {number + 1}: max gap {rounds[-1]['max_gap_ms']} ms, "
                        f"p99 {rounds[-1]['p99_gap_ms']} ms, {rounds[-1]['seconds']} s"
                    )
                    _appload.pump(1.0)
                if profiler is not None:
                    stats = pstats.Stats(profiler, stream=sys.stderr)
                    stats.sort_stats("tottime").print_stats(30)
                    stats.sort_stats("cumulative").print_stats(40)
            finally:
                _appload.close_main_window(window)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    worst_max = max(r["max_gap_ms"] for r in rounds)
    worst_p99 = max(r["p99_gap_ms"] for r in rounds)
    result: dict[str, Any] = {
        "benchmark": "ui_stall",
        "jobs": args.jobs,
        "size": args.size,
        "library_images": args.images,
        "idle": idle,
        "load_rounds": rounds,
        "max_gap_ms": common.budget(worst_max, BUDGET_MAX_GAP_MS),
        "p99_gap_ms": common.budget(worst_p99, BUDGET_P99_GAP_MS),
        "max_gap_vs_idle": common.ratio(worst_max, idle["max_gap_ms"], 2),
        "diagnose": args.diagnose,
        "switch_interval_s": sys.getswitchinterval(),
    }
    result["within_budget"] = {"max_gap_ms": result["max_gap_ms"]["ok"], "p99_gap_ms": result["p99_gap_ms"]["ok"]}
    result["environment"] = common.environment()
    common.emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
