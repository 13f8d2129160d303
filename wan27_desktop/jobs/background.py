"""Background work for widgets and the workspace: one helper, named pools of stated sizes, results
on the UI thread. (In jobs/, below workspace/ and ui/, so both layers can use it.)

As napari's `_qt/qthreading.py` does, widgets make no thread pools of their own: `BackgroundWork`
runs a function on one of the pools named in `POOL_SIZES` and hands its result (or error) to the
UI thread through the `Mailbox` (jobs/mailbox.py), so a worker never makes a Qt call: no queued
signal is emitted off the UI thread. Small files the UI saves (prompt history, palettes) go to
`file_writer()`: one thread, so saves land in order, and a pending save finishes before exit.

Threads made elsewhere each say why at the line that makes them: the job manager's journal and
runner pools (jobs/qt.py), the gallery's database readers and the thumbnail loader (each thread
owns a Library connection), the download's check thread (api/ is Qt-free), the keyring probes
of diagnostics.py and selftest.py (a thread left behind if the keyring hangs), and a batch's
threads (jobs/batch/: its scheduler runs until the batch ends, with workers of its own).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread, QThreadPool

from wan27_desktop.api.errors import WanError
from wan27_desktop.jobs.mailbox import Mailbox

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)

Handler = Callable[[Any], None]

# The widgets' pools and their sizes. A pool is made on first use and lives as long as the app.
POOL_SIZES = {
    "window": 2,  # the main window: journal load, key look-up, spend, resume, library actions
    "dialogs": 2,  # Settings and the key dialog: keyring calls and key checks while a person waits
    "generate": QThread.idealThreadCount(),  # reference checks, previews, palettes: decoding, CPU-bound
    "viewer": 2,  # full-size decodes for the viewer and compare (a 4K PNG takes 100+ ms)
    "preview": 1,  # the stage's large preview: decodes of results as they land, at a lower OS priority
    "library-move": 1,  # moving the library: one long copy at a time
    "draft": 1,  # the draft's saves (workspace/draft_store.py): one at a time, so they land in order
    "batches": 2,  # batches: reading a source for the preview, a batch's rows, exports and grids
}
_pools: dict[str, QThreadPool] = {}
_file_writer: ThreadPoolExecutor | None = None
_file_writer_lock = threading.Lock()


def named_pool(name: str) -> QThreadPool:
    """The pool called `name` (a key of `POOL_SIZES`). Call it on the UI thread."""
    made = _pools.get(name)
    if made is None or not shiboken6.isValid(made):  # not made yet, or its application is gone
        made = _pools[name] = QThreadPool(QCoreApplication.instance())
        made.setObjectName(f"wan27-{name}")
        made.setMaxThreadCount(POOL_SIZES[name])
    return made


def file_writer() -> ThreadPoolExecutor:
    """The one thread that writes the UI's small files. Not a Qt pool: nothing goes back to the UI
    thread, callers wait on the returned futures, and Python joins it at exit, so no save is lost."""
    global _file_writer
    with _file_writer_lock:
        if _file_writer is None:
            from concurrent.futures import ThreadPoolExecutor  # at the first save, not at start

            _file_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wan27-file-writer")
        return _file_writer


class BackgroundWork(QObject):
    """`run(fn, on_done, on_failed)`: `fn()` on a pool thread, then `on_done(result)` or
    `on_failed(error)` on the UI thread. Handlers are dropped once this object is deleted (its
    widget closed while the call was running).

    Errors of the `expected` types go to `on_failed` only. Anything else also goes to `on_failed`
    (so a dialog leaves its busy state), then is re-raised on the worker so the app's top-level
    handler still reports what nobody expected.
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        pool: str | QThreadPool = "window",
        expected: tuple[type[BaseException], ...] = (WanError,),
    ) -> None:
        super().__init__(parent)
        self.pool = named_pool(pool) if isinstance(pool, str) else pool
        self.expected = expected
        self._mailbox = Mailbox.instance()
        self._running = 0  # UI thread: calls whose result has not been delivered
        self._unfinished = 0  # calls queued or running on a pool thread
        self._finished = threading.Condition()
        self._generation = 0  # calls started under an older generation were discarded

    def run(self, fn: Callable[[], Any], on_done: Handler | None = None, on_failed: Handler | None = None) -> None:
        self._running += 1
        with self._finished:
            self._unfinished += 1
        post = self._mailbox.post
        generation = self._generation

        def call() -> None:  # pool thread: no Qt calls, no widgets
            try:
                if generation != self._generation:
                    post(self, self._finish, None, None, False)
                    return
                try:
                    result = fn()
                except self.expected as err:
                    post(self, self._finish, on_failed, err, True)
                except BaseException as err:
                    post(self, self._finish, on_failed, err, True)
                    raise
                else:
                    post(self, self._finish, on_done, result, False)
            finally:
                with self._finished:
                    self._unfinished -= 1
                    self._finished.notify_all()

        self.pool.start(call)

    start = run  # the dialogs' name for it

    def discard_queued(self) -> None:
        """Calls that have not started yet will not run (their window closed); running ones finish."""
        self._generation += 1

    def _finish(self, handler: Handler | None, value: Any, failed: bool) -> None:
        self._running -= 1
        if handler is not None:
            handler(value)
        elif failed:
            log.warning("background call failed: %s", value)

    @property
    def busy(self) -> bool:
        """A call is running or its result has not been delivered yet."""
        return self._running > 0

    def wait(self, msecs: int = 5000) -> bool:
        """Wait until this object's calls have run (their results still arrive through the event
        loop); other users of the same pool are not waited for. False on timeout."""
        with self._finished:
            return self._finished.wait_for(lambda: self._unfinished == 0, timeout=msecs / 1000)
