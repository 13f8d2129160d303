"""Python's cyclic garbage collector runs on the UI thread only, between events.

CPython collects in whichever thread crosses the allocation threshold. In this app that is often a
pool thread (HTTP, SQLite, image decoding), and a reference cycle that holds a Qt object made on
the UI thread (a widget, a font, a timer, a model) is then destroyed on that thread: undefined
behaviour in Qt, which corrupts its per-thread caches and crashes later somewhere unrelated (seen
here as a rare segfault inside font metrics in the viewer's details). A collection on the UI thread
inside a widget's event handler can likewise free widgets under Qt's own dispatch.

So a GUI process turns automatic collection off and collects from a timer on the UI thread, at the
top of the event loop, generation by generation with Python's own thresholds: the same amount of
collection as before, in the one place Qt objects may die (the pattern calibre and pyqtgraph use).
The `wan27` command keeps Python's default: it makes no widgets.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer

# Often enough that garbage never piles up between two looks; a look that finds nothing due costs
# one gc.get_count().
INTERVAL_MS = 250
FULL_EVERY_S = 10.0


class UiThreadCollector(QObject):
    """Runs the collections Python would have run, on the thread this object lives in."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.setObjectName("uiThreadCollector")
        self.thresholds = gc.get_threshold()
        self.collections = [0, 0, 0]  # per generation, for the diagnostics and the tests
        self._last_full = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def due(self) -> int:
        """The oldest generation to collect now, or -1 for none. Python's rule: once more objects
        were made than freed past the first threshold, collect the oldest generation whose count
        passed its threshold. A full collection (generation 2) walks every object of the process;
        Python spaces those by how many long-lived objects are new, which it does not expose, so
        here they are at least FULL_EVERY_S apart."""
        t0, t1, t2 = self.thresholds
        c0, c1, c2 = gc.get_count()
        if t0 <= 0 or c0 <= t0:
            return -1
        if c2 > t2 and time.monotonic() - self._last_full >= FULL_EVERY_S:
            return 2
        return 1 if c1 > t1 else 0

    def collect_due(self) -> int:
        generation = self.due()
        if generation >= 0:
            gc.collect(generation)
            self.collections[generation] += 1
            if generation == 2:
                self._last_full = time.monotonic()
        return generation


def installed() -> UiThreadCollector | None:
    """The application's collector, if one was installed."""
    app = QCoreApplication.instance()
    return app.findChild(UiThreadCollector, "uiThreadCollector") if app is not None else None


def collect_on_ui_thread(app: QCoreApplication | None = None) -> UiThreadCollector:
    """Install the collector on the application (once); automatic collection stops. Call on the UI
    thread right after the QApplication exists."""
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("collect_on_ui_thread needs a QApplication first")
    existing = app.findChild(UiThreadCollector, "uiThreadCollector")
    if existing is not None:
        return existing
    collector = UiThreadCollector(app)
    gc.disable()
    app.aboutToQuit.connect(gc.enable)  # what runs after the loop (shutdown, atexit) collects as usual
    return collector
