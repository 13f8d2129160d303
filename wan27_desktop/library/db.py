"""One SQLite connection per Library, shared by threads under a lock; writes never surface BUSY.

Concurrency strategy (issue 3): WAL so readers never block the writer; `busy_timeout` 10 s; every
write is a short `BEGIN IMMEDIATE` transaction (it takes the write lock up front, so it cannot fail
half-way with a lock upgrade); and, as a last resort, `BEGIN IMMEDIATE` itself is retried with
jittered back-off for up to a minute before a LibraryError is raised.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.library.errors import LibraryCorrupt, LibraryError

BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"
RETRY_FOR_S = 60.0
T = TypeVar("T")


def is_busy(err: sqlite3.OperationalError) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


def connect(path: Path, *, check_header: bool = True) -> sqlite3.Connection:
    """Open (or create) a database file with the library's pragmas. Raises LibraryCorrupt.

    `check_header` reads the file's first bytes itself, which catches a file overwritten under a
    WAL that still holds its first page. Only when no connection of this process has the file
    open (see `Database`): closing any descriptor of the file drops every POSIX lock this
    process holds on it, SQLite's too, after which another process may checkpoint and reset the
    WAL under live connections ("database disk image is malformed")."""
    if check_header and path.exists() and path.stat().st_size > 0:
        with path.open("rb") as handle:
            if handle.read(16) != SQLITE_HEADER:
                raise LibraryCorrupt(path, "not an SQLite database")
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # FULL: the journal is the record of money spent; a commit must survive power loss too.
        conn.execute("PRAGMA synchronous = FULL")
        _retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads the schema pages
    except sqlite3.DatabaseError as err:
        conn.close()
        if isinstance(err, sqlite3.OperationalError) and is_busy(err):
            raise LibraryError(
                QT_TRANSLATE_NOOP("WanError", "The library database {path} stayed locked: {reason}."),
                values={"path": str(path), "reason": str(err)},
            ) from err
        raise LibraryCorrupt(path, str(err)) from err
    return conn


def _retry_busy(action: Callable[[], T]) -> T:
    deadline = time.monotonic() + RETRY_FOR_S
    delay = 0.01
    while True:
        try:
            return action()
        except sqlite3.OperationalError as err:
            if not is_busy(err) or time.monotonic() > deadline:
                raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)


class Database:
    """A connection plus the lock that makes it safe to share between threads."""

    _open: Counter[str] = Counter()  # connections of this process per database file
    _open_lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path
        self._key = os.path.realpath(path)
        with Database._open_lock:
            first = Database._open[self._key] == 0
            Database._open[self._key] += 1
        try:
            self.conn = connect(path, check_header=first)
        except BaseException:
            self._forget()
            raise
        self.lock = threading.RLock()
        self._closed = False

    def _forget(self) -> None:
        with Database._open_lock:
            Database._open[self._key] -= 1
            if Database._open[self._key] <= 0:
                del Database._open[self._key]

    def reopen(self) -> None:
        """A fresh connection to the same file (after a rebuild swapped it), seen by every store
        holding this object. The caller holds `lock` and has closed the old connection."""
        with self.lock:
            self.conn = connect(self.path, check_header=False)  # our own rebuild wrote it

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction; rolled back if the body raises."""
        with self.lock:
            try:
                _retry_busy(lambda: self.conn.execute("BEGIN IMMEDIATE"))
            except sqlite3.OperationalError as err:
                raise LibraryError(
                    QT_TRANSLATE_NOOP(
                        "WanError", "The library is busy in another program and stayed locked: {reason}."
                    ),
                    values={"reason": str(err)},
                    hint=QT_TRANSLATE_NOOP("WanError", "Close other Wan 2.7 windows or commands and try again."),
                ) from err
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            _retry_busy(lambda: self.conn.execute("COMMIT"))

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs (WAL: never blocks, never blocked)."""
        with self.lock:
            if self.conn.in_transaction:  # nested inside write(): already consistent
                yield self.conn
                return
            self.conn.execute("BEGIN DEFERRED")
            try:
                yield self.conn
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")

    def close(self) -> None:
        with self.lock:
            self.conn.close()
            if not self._closed:
                self._closed = True
                self._forget()
