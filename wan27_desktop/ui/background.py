"""Run a function on a pool thread and deliver its result to the UI thread (no widgets off-thread)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from ..api.errors import WanError

log = logging.getLogger(__name__)


class _CallSignals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Call(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # kept alive by BackgroundWork until it reports
        self.signals = _CallSignals()
        self._fn = fn

    def run(self) -> None:  # pool thread: never touches widgets
        try:
            result = self._fn()
        except WanError as err:
            self.signals.failed.emit(err)
        except BaseException as err:
            self.signals.failed.emit(err)
            raise  # the top-level hook still reports what we did not expect
        else:
            self.signals.done.emit(result)


class BackgroundWork(QObject):
    """Run a function on a pool thread and hand its result (or error) to a slot on the UI thread."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._running: set[_Call] = set()

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             on_failed: Callable[[BaseException], None] | None = None) -> None:
        call = _Call(fn)

        def finish(handler: Callable[[Any], None] | None, value: Any) -> None:
            self._running.discard(call)
            if handler is not None and shiboken6.isValid(self):
                handler(value)

        def failed(err: BaseException) -> None:
            if on_failed is None:
                log.warning("background call failed: %s", err)
            finish(on_failed, err)

        call.signals.done.connect(lambda value: finish(on_done, value), Qt.ConnectionType.QueuedConnection)
        call.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        self._running.add(call)
        self.pool.start(call)

    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 5000) -> bool:
        return self.pool.waitForDone(msecs)
