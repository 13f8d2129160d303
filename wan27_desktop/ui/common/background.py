"""Run a function on a pool thread and deliver its result to the UI thread (no widgets off-thread).

The one helper every widget uses for background work. Results travel through the `Mailbox`
(jobs/mailbox.py), so a worker never makes a Qt call: no queued signal is emitted off the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool

from wan27_desktop.api.errors import WanError
from wan27_desktop.jobs.mailbox import Mailbox

log = logging.getLogger(__name__)

Handler = Callable[[Any], None]


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
        max_threads: int = 2,
        *,
        pool: QThreadPool | None = None,
        expected: tuple[type[BaseException], ...] = (WanError,),
    ) -> None:
        super().__init__(parent)
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(max_threads)
        self.pool = pool
        self.expected = expected
        self._mailbox = Mailbox.instance()
        self._running = 0

    def run(self, fn: Callable[[], Any], on_done: Handler | None = None, on_failed: Handler | None = None) -> None:
        self._running += 1
        post = self._mailbox.post

        def call() -> None:  # pool thread: no Qt calls, no widgets
            try:
                result = fn()
            except self.expected as err:
                post(self, self._finish, on_failed, err, True)
            except BaseException as err:
                post(self, self._finish, on_failed, err, True)
                raise
            else:
                post(self, self._finish, on_done, result, False)

        self.pool.start(call)

    start = run  # the dialogs' name for it

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
        """Wait for the pool's threads (results still arrive through the event loop)."""
        return bool(self.pool.waitForDone(msecs))
