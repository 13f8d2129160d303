"""Hand results from worker threads to the UI thread without any Qt call on the worker.

Why not a queued signal: emitting from a worker holds the GIL while Qt takes the sender's
connection lock. If the UI thread is destroying a Python-subclassed QObject at that moment, it
holds that lock (Qt's lock pool is shared by address) and asks Shiboken for the GIL: both threads
wait forever. Seen in the test suite about once in five runs.

So a worker only does pure-Python work: it puts `(fn, args)` on a `SimpleQueue` and writes one
byte to a socket pair. A `QSocketNotifier` on the UI thread wakes up, drains the queue and calls
each `fn` there. Nothing polls, and idle costs nothing. Socket pairs work on every platform Qt's
socket notifier supports (Windows included).

The queue and the socket pair come from the C modules `_queue` and `_socket` where they exist: the
`queue` and `socket` modules around them cost ~6 ms at start-up (socket.py builds several large
enums), and the window makes its mailbox before its first full paint. (`socket.socketpair` is the
fallback: on Windows it is written in Python.)

A wake-up runs callbacks for at most `SLICE_SECONDS`, then returns to the event loop and wakes
itself again for the rest: a burst (five batch rows ending at once, each with its events, records
and thumbnails) is spread over several turns of the loop, with input, painting and timers handled
between them, instead of holding the UI thread for the whole burst. Order is kept: the rest stay
at the head of the queue.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from _queue import Empty, SimpleQueue
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, QThread

try:
    from _socket import socketpair
except ImportError:  # Windows: socket.py makes the pair
    from socket import socketpair

if TYPE_CHECKING:
    import _socket

log = logging.getLogger(__name__)


def _close(*sockets: _socket.socket) -> None:
    for sock in sockets:
        sock.close()


_Item = tuple[QObject | None, Callable[..., Any], tuple[Any, ...]]

# The most one wake-up spends on callbacks before the event loop runs again (a frame at 60 Hz is
# 16 ms); one callback that takes longer still runs whole.
SLICE_SECONDS = 0.008


class Mailbox(QObject):
    """`post(owner, fn, *args)` from any thread; `fn(*args)` later runs on the UI thread, unless
    `owner` (a QObject) was deleted in the meantime."""

    _instance: Mailbox | None = None
    _instance_lock = threading.Lock()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: SimpleQueue[_Item] = SimpleQueue()
        self._reader, self._writer = socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._woken = False  # a wake byte is on its way; benign race: at worst one extra byte
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._deliver)
        reader, writer = self._reader, self._writer
        self.destroyed.connect(lambda *_: _close(reader, writer))

    @classmethod
    def instance(cls) -> Mailbox:
        """The application's mailbox, created on first use. Call it from the UI thread (owners
        do so in their constructors and keep the reference for their workers)."""
        with cls._instance_lock:
            box = cls._instance
            if box is None or not shiboken6.isValid(box):
                app = QCoreApplication.instance()
                if app is not None and QThread.currentThread() is not app.thread():
                    raise RuntimeError("Mailbox.instance() must first be called on the UI thread")
                box = cls._instance = Mailbox(app)
            return box

    def post(self, owner: QObject | None, fn: Callable[..., Any], *args: Any) -> None:
        """Any thread. No Qt call happens here, so it cannot take part in a Qt-lock deadlock."""
        self._queue.put((owner, fn, args))
        if not self._woken:
            self._wake()

    def drain(self) -> None:
        """UI thread: run everything posted so far (also callable directly, e.g. before closing)."""
        self._clear_wake()
        while self._run_next():
            pass

    def _deliver(self) -> None:
        """The notifier's slot: callbacks for at most SLICE_SECONDS, the rest on the loop's next turn."""
        self._clear_wake()
        deadline = time.monotonic() + SLICE_SECONDS
        while self._run_next():
            if time.monotonic() >= deadline and not self._queue.empty():
                self._wake()
                return

    def _clear_wake(self) -> None:
        try:
            while self._reader.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass
        self._woken = False  # before reading the queue: a post after this line sends a new byte

    def _wake(self) -> None:
        self._woken = True
        try:
            self._writer.send(b"\0")
        except BlockingIOError:
            pass  # the buffer is full of wake bytes already: the UI thread will drain anyway
        except OSError:
            pass  # closed: the application is shutting down, nobody is left to deliver to

    def _run_next(self) -> bool:
        """Run the oldest callback; False when there was none."""
        try:
            owner, fn, args = self._queue.get_nowait()
        except Empty:
            return False
        if owner is not None and not shiboken6.isValid(owner):
            return True  # its widget is gone; nobody is waiting for this result
        try:
            fn(*args)
        except Exception:  # one bad callback must not starve the others; still reported
            log.exception("callback from a worker failed")
            sys.excepthook(*sys.exc_info())
        return True

    def pending(self) -> int:
        return self._queue.qsize()
