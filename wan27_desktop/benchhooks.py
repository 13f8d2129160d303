"""Start-up benchmark hook (issue 7): say when the main window was first painted, then exit.

Inert unless `WAN27_BENCH_STARTUP` is set, so the app can always call it:

    benchhooks.watch_first_paint(window)   # in run_gui, just before window.show()

With `WAN27_BENCH_STARTUP=1` the process prints one line on stdout when the window's first paint has
completed, a second one when the first paint after its panels were built has completed, then ends
at once:

    WAN27_BENCH first_paint <time.monotonic()>
    WAN27_BENCH full_ui <time.monotonic()>

The app paints a shell first (`MainWindow(deferred=True)`) and builds the panels after that paint;
a window built in one go (the bare QMainWindow, or a window without `is_built`/`built`) reports
`full_ui` at the same moment as `first_paint`.

`time.monotonic()` is CLOCK_MONOTONIC on Linux, one clock for every process, so the benchmark
(`tests/benchmarks/bench_startup.py`) subtracts the time it read just before starting this process.
With `WAN27_BENCH_STARTUP=gallery` it also waits for the gallery's first paint that shows rows
(`first_rows <t>`) and its visible thumbnails (`thumbnails <t>`), for the benchmark's notes.

"Completed": the top-level window receives the first Paint event of its first backing-store sync;
its children are painted in the same sync and the result flushed to the screen before control goes
back to the event loop. A high-priority posted event is delivered right after that, ahead of any
other posted event, and is when the time is read. Nothing else is hooked: the window's own event
filter sees only the window's events, so the hook costs nothing measurable.

Imports nothing at module level beyond the standard library; Qt is imported when a hook is set.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

ENV = "WAN27_BENCH_STARTUP"
MARKER = "WAN27_BENCH"
_GALLERY_TIMEOUT_S = 30.0

_keep: list[Any] = []  # the watchers live as long as the process
_watched: set[int] = set()
before_exit: list[Any] = []  # callables run just before the process ends (a profiler's dump)


def enabled() -> bool:
    return bool(os.environ.get(ENV))


def report(event: str) -> None:
    """One `WAN27_BENCH <event> <monotonic seconds>` line on stdout, flushed at once."""
    sys.stdout.write(f"{MARKER} {event} {time.monotonic():.6f}\n")
    sys.stdout.flush()


def finish() -> None:
    """End the process now: the figure is taken; nothing after it is measured or needed."""
    for action in before_exit:
        action()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def watch_first_paint(window: Any) -> None:
    """Report the first completed paint of `window` (and, in gallery mode, of its gallery); no-op
    unless `WAN27_BENCH_STARTUP` is set. Call before `window.show()`."""
    mode = os.environ.get(ENV, "")
    if not mode or id(window) in _watched:  # a launcher may already have hooked this window
        return
    _watched.add(id(window))
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt

    done_type = QEvent.Type(QEvent.registerEventType())

    class _FirstPaint(QObject):
        def __init__(self, target: Any, on_painted: Any) -> None:
            super().__init__()
            self._target = target
            self._on_painted = on_painted
            self._armed = True
            target.installEventFilter(self)

        def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
            if self._armed and obj is self._target and event.type() == QEvent.Type.Paint:
                self._armed = False
                # Delivered once the sync that sent this Paint has painted every child and flushed.
                QCoreApplication.postEvent(self, QEvent(done_type), Qt.EventPriority.HighEventPriority.value)
            return False

        def event(self, event: Any) -> bool:
            if event.type() == done_type:
                self._target.removeEventFilter(self)
                self._on_painted()
                return True
            return bool(super().event(event))

    def full_ui_painted() -> None:
        report("full_ui")
        if mode != "gallery":
            finish()
        _watch_gallery(window, _FirstPaint)

    def window_painted() -> None:
        report("first_paint")
        is_built = getattr(window, "is_built", None)
        if not callable(is_built) or is_built():
            full_ui_painted()
            return
        painted = [False]

        def once() -> None:
            if not painted[0]:
                painted[0] = True
                full_ui_painted()

        def built() -> None:
            # The first sync after the build repaints the window and its new centre; whichever
            # Paint comes first, the report waits until that whole sync has been flushed.
            for target in (window, window.centralWidget()):
                _keep.append(_FirstPaint(target, once))

        window.built.connect(built)

    _keep.append(_FirstPaint(window, window_painted))


def _watch_gallery(window: Any, watcher_type: Any) -> None:
    """Gallery mode: report its first paint with rows, then when its visible thumbnails are in."""
    from PySide6.QtCore import QTimer

    gallery: Any = getattr(window, "gallery", None)
    view: Any = getattr(gallery, "view", None)
    model: Any = getattr(gallery, "model", None)
    if view is None or model is None:
        report("no_gallery")
        finish()
        return
    deadline = time.monotonic() + _GALLERY_TIMEOUT_S
    state = {"rows": False}

    def thumbnails_done() -> bool:
        loader = getattr(gallery, "loader", None)
        visible = getattr(view, "visible_rows", None)
        if loader is None or visible is None:
            return True
        first, last = visible()
        for row in range(first, last + 1):
            record = model.loaded_record(row)
            if record is None:
                return False
            tile = getattr(getattr(gallery, "delegate", None), "tile", 160)
            if loader.image(record, tile) is None and not loader.is_broken(record.id):
                return False
        return True

    def rows_painted() -> None:
        report("first_rows")
        state["rows"] = True
        poll()

    def poll() -> None:
        if time.monotonic() > deadline:
            report("timeout")
            finish()
        if not state["rows"]:
            if model.rowCount() > 0 and model.is_loaded():
                _keep.append(watcher_type(view.viewport(), rows_painted))
                view.viewport().update()
                return
        elif thumbnails_done():
            report("thumbnails")
            finish()
        QTimer.singleShot(5, poll)

    poll()
