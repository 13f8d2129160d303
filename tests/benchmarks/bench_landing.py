"""Landing latency (issue 7, item 4): from the moment the service sends its answer for a 2K image
to that image's thumbnail painted in the gallery.

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.bench_landing [--repeat 9] [--size 2K]
        [--mode noise|real] [--images 1000]

- The real `MainWindow` in this process (gallery over a 1,000-image synthetic library, newest
  first, scrolled to the top); the fake DashScope in a child process (`_appload.FakeProcess`).
- One sync job at a time (n=1). Start: `time.monotonic()` when the fake begins sending the answer
  to the sync call (its `reply_hook`; CLOCK_MONOTONIC is shared by both processes). End: the
  gallery viewport's first paint after the new image's thumbnail is decoded, completed (a
  high-priority event posted from that Paint is delivered after the paint is flushed).
- In between, all of it: parsing the answer, journaling, downloading the PNG from the result host,
  verifying it (sha256, CRCs, inflate), landing it in the library (metadata chunks, fsync, rename,
  SQLite), the job event reaching the UI thread, the gallery inserting the row, making the disk
  thumbnail and decoding it. Steps are reported from the fake's and the UI's timestamps.
- Sizes: --mode noise (default) sends an incompressible 2048x2048 PNG (12.6 MB, the worst case for
  download and verification); --mode real sends the fake's cheap pattern (small, compresses well).
- Budget: median <= 150 ms (the max is reported too). One untimed warm-up job first (the first job
  of a session imports the HTTP stack and the download path).
Prints one JSON line (see `common.emit`). Not a pytest test.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks import _appload, common
from tests.benchmarks.library_scale import build_synthetic_library

BUDGET_MS = 150.0


class _PaintClock:
    """Times the viewport's paint that first shows an armed image's thumbnail, once flushed."""

    def __init__(self, viewport: Any) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt

        clock = self
        self.viewport = viewport
        self.armed = False
        self.painted_at: float | None = None
        done_type = QEvent.Type(QEvent.registerEventType())

        class Watcher(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
                if clock.armed and event.type() == QEvent.Type.Paint:
                    clock.armed = False
                    QCoreApplication.postEvent(self, QEvent(done_type), Qt.EventPriority.HighEventPriority.value)
                return False

            def event(self, event: Any) -> bool:
                if event.type() == done_type:
                    clock.painted_at = time.monotonic()
                    return True
                return bool(super().event(event))

        self.watcher = Watcher()
        viewport.installEventFilter(self.watcher)

    def close(self) -> None:
        self.viewport.removeEventFilter(self.watcher)


def land_one(window: Any, fake: _appload.FakeProcess, size: str, number: int) -> dict[str, float]:
    """One sync job; milliseconds from the fake's answer to each later step."""
    from wan27_desktop.api.models import GenerationRequest, RequestMode

    gallery = window.gallery
    clock = _PaintClock(gallery.view.viewport())
    marks: dict[str, float] = {}
    image_ids: list[int] = []
    failures: list[str] = []

    def on_event(event: Any) -> None:
        if event.image_id is not None and not image_ids:
            image_ids.append(event.image_id)
            marks["event_on_ui"] = time.monotonic()
        if event.error is not None and event.state.is_terminal:
            failures.append(f"job {event.job_id} {event.state.value}: {event.error}")

    def on_ready(image_id: int) -> None:
        if image_ids and image_id == image_ids[0] and "thumbnail_decoded" not in marks:
            marks["thumbnail_decoded"] = time.monotonic()
            clock.armed = True

    def painted() -> bool:
        if failures:
            raise RuntimeError("; ".join(failures))
        return clock.painted_at is not None

    syncs_before = len(fake.replies_for("sync"))
    downloads_before = len(fake.replies_for("download"))
    window.workspace.jobs.jobEvent.connect(on_event)
    gallery.loader.ready.connect(on_ready)
    try:
        window.workspace.submit(
            GenerationRequest(prompt=f"landing benchmark {number}", size=size, n=1), RequestMode.SYNC
        )
        _appload.wait_until(painted, 60, "the thumbnail to be painted")
    finally:
        window.workspace.jobs.jobEvent.disconnect(on_event)
        gallery.loader.ready.disconnect(on_ready)
        clock.close()
    _appload.wait_until(lambda: len(fake.replies_for("download")) > downloads_before, 5, "the fake's reply log")
    sync = fake.replies_for("sync")[syncs_before]
    download = fake.replies_for("download")[downloads_before]
    assert clock.painted_at is not None
    start = sync.started
    steps = {
        "answer_sent": sync.ended,
        "download_started": download.started,
        "download_sent": download.ended,
        **marks,
        "painted": clock.painted_at,
    }
    return {name: round((value - start) * 1000, 1) for name, value in steps.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=9, help="timed jobs (default 9)")
    parser.add_argument("--size", default="2K", help="result size (default 2K)")
    parser.add_argument(
        "--mode",
        choices=["noise", "real"],
        default="noise",
        help="the fake's result PNGs: incompressible noise (default) or its cheap pattern",
    )
    parser.add_argument("--images", type=int, default=1000, help="synthetic library size (default 1000)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="wan27-bench-landing-"))
    samples: list[dict[str, float]] = []
    try:
        data_dir = work / "data"
        build_synthetic_library(data_dir, args.images)
        with _appload.FakeProcess(args.mode) as fake:
            _appload.prepare_environment(data_dir, fake.base_url)
            window = _appload.open_main_window(data_dir, 2)
            try:
                gallery = window.gallery
                _appload.wait_until(lambda: gallery.loader.pending_count() == 0, 60, "the first thumbnails")
                land_one(window, fake, args.size, 0)  # warm-up: the first job's imports and connections
                for number in range(1, args.repeat + 1):
                    _appload.pump(0.3)  # quiet between jobs: each one lands on an idle app
                    samples.append(land_one(window, fake, args.size, number))
                    common.log(f"bench_landing: job {number}: {samples[-1]['painted']} ms")
            finally:
                _appload.close_main_window(window)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    painted = [s["painted"] / 1000 for s in samples]
    steps = {name: round(common.median([s[name] for s in samples if name in s]), 1) for name in samples[0]}
    median_ms = round(common.median(painted) * 1000, 1)
    result: dict[str, Any] = {
        "benchmark": "landing",
        "size": args.size,
        "mode": args.mode,
        "library_images": args.images,
        "server_answer_to_thumbnail_painted_ms": common.summary(painted),
        "median_ms": common.budget(median_ms, BUDGET_MS),
        "median_steps_ms_after_answer": steps,
        "per_job": samples,
    }
    result["within_budget"] = {"median_ms": result["median_ms"]["ok"]}
    result["environment"] = common.environment()
    common.emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
