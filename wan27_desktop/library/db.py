"""One SQLite connection per Library, shared by threads under a lock; writes never surface BUSY.

Concurrency strategy (issue 3): WAL so readers never block the writer; `busy_timeout` 10 s; every
write is a short `BEGIN IMMEDIATE` transaction (it takes the write lock up front, so it cannot fail
half-way with a lock upgrade); and, as a last resort, `BEGIN IMMEDIATE` itself is retried with
jittered back-off for up to a minute before a LibraryError is raised.

Failures the user can act on (a read-only folder, a full disk, an I/O error, real damage) leave
`read()`/`write()`/`connect()` as classified `LibraryError`s (`errors.from_sqlite`), never as raw
sqlite3 exceptions: every store reads and writes only through them. A new database file is built
aside and linked into place complete (`create_database`), so a 0-byte file is never a library
that was being created, and is never taken for a new one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import sqlite3
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TypeVar

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.library import presence as presence_lock
from wan27_desktop.library.errors import LibraryCorrupt, LibraryError, from_sqlite, sqlite_code
from wan27_desktop.private_files import open_new

BUSY_TIMEOUT_MS = 10_000
RETRY_FOR_S = 60.0
SQLITE_HEADER = b"SQLite format 3\x00"
T = TypeVar("T")
log = logging.getLogger("wan27.library")


def is_busy(err: sqlite3.OperationalError) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


# Codes that describe the disk or the file, not a bug in a statement: turned into LibraryErrors.
_ENVIRONMENT_CODES = frozenset(
    {3, 5, 6, 8, 10, 11, 13, 14, 26}
)  # PERM BUSY LOCKED READONLY IOERR CORRUPT FULL CANTOPEN NOTADB


def classified(err: sqlite3.Error, path: Path) -> BaseException:
    """The LibraryError for an environmental SQLite failure; other errors (a bug) unchanged."""
    if isinstance(err, sqlite3.OperationalError) and is_busy(err):
        return LibraryError(
            QT_TRANSLATE_NOOP("WanError", "The library is busy in another program and stayed locked: {reason}."),
            values={"reason": str(err)},
            hint=QT_TRANSLATE_NOOP("WanError", "Close other Wan 2.7 windows or commands and try again."),
        )
    if sqlite_code(err) in _ENVIRONMENT_CODES:
        return from_sqlite(err, path)
    return err


def _raise_classified(err: sqlite3.Error, path: Path) -> NoReturn:
    mapped = classified(err, path)
    if mapped is err:
        raise err
    raise mapped from err


def wal_has_content(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def create_database(path: Path, setup: Callable[[sqlite3.Connection], object]) -> bool:
    """Create the database at `path` complete or not at all: built under a temporary name (user-only
    permissions), set up, checkpointed, then linked into place. Returns False when another process
    created it first (theirs is kept). Raises a classified LibraryError."""
    temp = path.with_name(f"{path.name}.new-{uuid.uuid4().hex[:8]}")
    conn = connect(temp)
    try:
        try:
            setup(conn)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as err:
            _raise_classified(err, path)
        finally:
            conn.close()
        try:
            os.link(temp, path)  # fails if it exists: never replaces a database another process made
        except FileExistsError:
            return False
        except OSError:  # a filesystem without hard links
            if path.exists():
                return False
            os.replace(temp, path)
        return True
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def prepare_file(path: Path) -> None:
    """Create a missing database file user-only, and refuse one that is not an SQLite database
    (reading its first bytes catches a file overwritten under a WAL that still holds its first
    page). Raises a classified LibraryError.

    Opens and closes the file itself: only while no SQLite connection of this process has it open
    (`Database` makes sure). On POSIX, closing any descriptor of a file drops every lock the
    process holds on it, SQLite's too, after which another process may checkpoint and delete the
    WAL under live connections ("database disk image is malformed"; SQLite's "How To Corrupt"
    §2.2)."""
    try:
        if path.exists():
            if path.stat().st_size > 0:
                with path.open("rb") as handle:
                    if handle.read(16) != SQLITE_HEADER:
                        raise LibraryCorrupt(path, "not an SQLite database")
        else:
            # SQLite gives its -wal and -shm files the main file's permissions: user-only too.
            with contextlib.suppress(FileExistsError):
                os.close(open_new(path))
    except OSError as err:
        from wan27_desktop.library.errors import from_os_error

        raise from_os_error(err, path.parent) from err


def header_if_alone(path: Path) -> bytes | None:
    """The file's first 16 bytes, or None when a connection of this process has it open: reading
    them then would drop that connection's locks (see `prepare_file`). OSError as raised."""
    with Database._open_lock:
        if Database._open[os.path.realpath(path)] > 0:
            return None
        with path.open("rb") as handle:
            return handle.read(16)


def connect(path: Path, *, check_header: bool = True) -> sqlite3.Connection:
    """Open (or create) a database file with the library's pragmas. Raises a classified
    LibraryError (LibraryCorrupt only for real damage).

    `check_header`: `prepare_file` first. Only when no connection of this process has the file
    open; `Database` does that itself, under its lock."""
    if check_header:
        prepare_file(path)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as err:
        raise from_sqlite(err, path) from err
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
        raise from_sqlite(err, path) from err
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

    def __init__(self, path: Path, *, presence: Path | None = None) -> None:
        """`presence`: the library's open lock (`presence.lock_path`), held shared while this is
        open; for a library's own database, not a scratch one."""
        self.path = path
        self._key = os.path.realpath(path)
        self._presence = presence
        # Before anything reads the file: an open waits here while a rebuild swaps it.
        self._presence_fd = presence_lock.shared(presence) if presence is not None else None
        try:
            self._register()
        except BaseException:
            self._let_go_of_presence()
            raise
        try:
            self.conn = connect(path, check_header=False)
        except BaseException:
            self._forget()
            self._let_go_of_presence()
            raise
        self.lock = threading.RLock()
        self._closed = False

    def _register(self) -> None:
        with Database._open_lock:
            if Database._open[self._key] == 0:
                # No connection of ours has the file: check it now, before another thread may open
                # one (see prepare_file: our close would drop that connection's locks).
                prepare_file(self.path)
            Database._open[self._key] += 1

    def _let_go_of_presence(self) -> None:
        if self._presence_fd is not None:
            os.close(self._presence_fd)  # closing the descriptor lets the lock go
            self._presence_fd = None

    @contextmanager
    def sole_use(self, action: str) -> Iterator[None]:
        """Hold the database for `action` ("rebuild") with no other connection to it, in this
        process or another: refused with LibraryBusy while there is one (`presence`); opens
        elsewhere wait meanwhile. This object's own connection stays open throughout."""
        if self._presence is None:
            yield
            return
        with self.lock:
            self._let_go_of_presence()  # our own shared lock would refuse the exclusive one
            try:
                with presence_lock.sole(self._presence, action):
                    yield
            finally:
                try:
                    self._presence_fd = presence_lock.shared(self._presence)
                except LibraryError:  # only another rebuild could hold it now, and the caller excludes those
                    log.warning("the library's open lock could not be taken back after %s", action)

    def _forget(self) -> None:
        with Database._open_lock:
            Database._open[self._key] -= 1
            if Database._open[self._key] <= 0:
                del Database._open[self._key]

    def reopen(self) -> None:
        """A fresh connection to the same file (after a rebuild swapped it), seen by every store
        holding this object. The caller holds `lock` and has closed the old connection with
        `conn.close()` (not `close()`: this object stays open, counted and holding `presence`)."""
        with self.lock:
            self.conn = connect(self.path, check_header=False)  # our own rebuild wrote it

    def data_version(self) -> int:
        """A number that changes whenever another connection, of this process or another, commits
        a change (SQLite's `data_version`): a cheap look for news. Per connection: compare only
        values of the same object."""
        with self.lock:
            try:
                return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error as err:
                _raise_classified(err, self.path)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction; rolled back if the body raises."""
        with self.lock:
            try:
                _retry_busy(lambda: self.conn.execute("BEGIN IMMEDIATE"))
            except sqlite3.Error as err:
                _raise_classified(err, self.path)
            try:
                yield self.conn
            except BaseException as exc:
                self._abandon()
                if isinstance(exc, sqlite3.Error):
                    _raise_classified(exc, self.path)
                raise
            try:
                _retry_busy(lambda: self.conn.execute("COMMIT"))
            except sqlite3.Error as err:
                self._abandon()
                _raise_classified(err, self.path)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs (WAL: never blocks, never blocked)."""
        with self.lock:
            if self.conn.in_transaction:  # nested inside write(): already consistent
                yield self.conn
                return
            try:
                self.conn.execute("BEGIN DEFERRED")
            except sqlite3.Error as err:
                _raise_classified(err, self.path)
            try:
                yield self.conn
            except BaseException as exc:
                self._abandon()
                if isinstance(exc, sqlite3.Error):
                    _raise_classified(exc, self.path)
                raise
            try:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")
            except sqlite3.Error as err:
                self._abandon()
                _raise_classified(err, self.path)

    def _abandon(self) -> None:
        """End a failed transaction; the failure that got us here is the one worth reporting."""
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def close(self) -> None:
        with self.lock:
            self.conn.close()
            if not self._closed:
                self._closed = True
                self._forget()
                self._let_go_of_presence()
