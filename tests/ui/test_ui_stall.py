# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""UI-stall probe: the event loop keeps turning while 4 jobs download real-size (2K) results.

A 5 ms QTimer records the largest gap between its ticks. The figure is printed (run with -s to see
it); the assertion is only a generous sanity bound, since timing budgets belong in benchmarks
(tests/benchmarks), not in pass/fail tests.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from PySide6.QtCore import QTimer

from tests.ui.main_window_support import env_key, fake, make_window, notifier  # noqa: F401 - fixtures
from wan27_desktop.api.models import GenerationRequest, RequestMode
from wan27_desktop.library import JobState

SANITY_BOUND_S = 2.0


class GapProbe:
    def __init__(self, interval_ms: int = 5) -> None:
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = 0.0

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    @property
    def max_gap(self) -> float:
        return max(self.gaps, default=0.0)

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.gaps)
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


def test_event_loop_keeps_turning_while_four_jobs_download(qtbot: Any, make_window: Any, env_key: Any) -> None:
    env_key.result_image_mode = "real"
    window = make_window()
    window.workspace.jobs.set_concurrency(4)
    # As when a person has written a prompt: the window has loaded the stage's code while idle.
    qtbot.waitUntil(lambda: "wan27_desktop.ui.stage.panel" in sys.modules, timeout=10_000)
    probe = GapProbe()
    probe.start()
    started = time.perf_counter()
    for index in range(4):
        window.workspace.submit(
            GenerationRequest(prompt=f"stall probe {index}", size="2K", n=1),
            RequestMode.ASYNC if index % 2 else RequestMode.SYNC,
        )
    board = window.workspace.board  # the job queue's dock is closed: nothing builds it during the probe

    def jobs() -> list[Any]:
        return [row for row in board.rows() if not row.placeholder]

    qtbot.waitUntil(lambda: len(jobs()) == 4 and all(row.state is JobState.DONE for row in jobs()), timeout=120_000)
    probe.stop()
    elapsed = time.perf_counter() - started
    landed = sum(row.images_done for row in jobs())
    print(
        f"\nUI stall probe: 4 jobs, {landed} x 2K PNG in {elapsed:.2f} s; "
        f"max event-loop gap {probe.max_gap * 1000:.1f} ms, p99 {probe.percentile(0.99) * 1000:.1f} ms, "
        f"{len(probe.gaps)} ticks"
    )
    assert landed == 4
    assert len(probe.gaps) > 10
    assert probe.max_gap < SANITY_BOUND_S
