"""Library reads off the UI thread: a small QThreadPool whose threads each own a Library connection.

SQLite connections belong to the thread that opened them, so every pool thread opens its own
`Library` once and keeps it (the pool's threads never expire, so a thread's connection is reused).
Results travel back through the `Mailbox` (no Qt call on a worker); callbacks run on the UI thread.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from wan27_desktop.jobs.mailbox import Mailbox
from wan27_desktop.library import Library

log = logging.getLogger(__name__)


def _open_reader(data_dir: Path) -> Library:
    # The app's own Library already healed after a crash; extra connections skip that work.
    return Library.open(data_dir, reconcile=False)


class LibraryAccess:
    """One `Library` per thread for a data dir; `get()` from any thread returns that thread's own."""

    def __init__(self, data_dir: Path, opener: Callable[[Path], Library] | None = None) -> None:
        self.data_dir = Path(data_dir)
        self._opener = opener or _open_reader
        self._owns = opener is None  # a Library handed in belongs to its owner; we never close it
        self._lock = threading.Lock()
        self._by_thread: dict[int, Library] = {}

    def get(self) -> Library:
        ident = threading.get_ident()
        with self._lock:
            lib = self._by_thread.get(ident)
        if lib is None:
            lib = self._opener(self.data_dir)
            with self._lock:
                self._by_thread[ident] = lib
        return lib

    def close_all(self) -> None:
        """Close every connection (call after the pools are idle)."""
        with self._lock:
            libs = list(self._by_thread.values())
            self._by_thread.clear()
        for lib in libs if self._owns else ():
            close = getattr(lib, "close", None)
            if close is not None:
                close()


class DbWorker(QObject):
    """Runs `fn(lib)` on a pool thread and calls `on_done(result)` on the UI thread.

    Tokens can be cancelled: a cancelled job that has not started is skipped, and a finished one's
    callback is dropped. Errors are delivered to `on_error` (or logged and re-emitted as `failed`),
    never swallowed.
    """

    failed = Signal(object)  # the exception of a job that had no on_error

    def __init__(self, access: LibraryAccess, max_threads: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.access = access
        # Its own pool, not a named one (ui/common/background.py): each thread keeps a Library connection.
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.pool.setExpiryTimeout(-1)  # keep threads (and their connections) alive
        self._tokens = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None] | None]] = {}
        self._cancelled: set[int] = set()
        self._lock = threading.Lock()
        self._mailbox = Mailbox.instance()

    def submit(
        self,
        fn: Callable[[Library], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        token = next(self._tokens)
        self._callbacks[token] = (on_done, on_error)
        self.pool.start(lambda: self._run(token, fn))
        return token

    def cancel(self, token: int) -> None:
        if self._callbacks.pop(token, None) is not None:
            with self._lock:
                self._cancelled.add(token)

    def pending(self) -> int:
        return len(self._callbacks)

    def wait(self, msecs: int = 10_000) -> bool:
        return bool(self.pool.waitForDone(msecs))

    def shutdown(self) -> None:
        self._callbacks.clear()
        self.pool.clear()
        self.pool.waitForDone(30_000)
        self.access.close_all()

    def _run(self, token: int, fn: Callable[[Library], Any]) -> None:
        with self._lock:
            if token in self._cancelled:
                self._cancelled.discard(token)
                return
        result: Any = None
        error: BaseException | None = None
        try:
            result = fn(self.access.get())
        except Exception as exc:  # noqa: BLE001 - forwarded to the UI thread, not hidden
            error = exc
        self._mailbox.post(self, self._deliver, (token, result, error))

    def _deliver(self, message: tuple[int, Any, BaseException | None]) -> None:
        token, result, error = message
        callbacks = self._callbacks.pop(token, None)
        with self._lock:
            self._cancelled.discard(token)
        if callbacks is None:
            return
        on_done, on_error = callbacks
        if error is None:
            on_done(result)
        elif on_error is not None:
            assert isinstance(error, BaseException)
            on_error(error)
        else:
            log.error("library read failed: %s", error, exc_info=error if isinstance(error, BaseException) else None)
            self.failed.emit(error)
