"""Who has the library's database open, so that a rebuild or recover replaces the file only when
no other connection, in any process, has it.

Every `Library` holds a shared lock on `leases/open.lock` for as long as its connection is open.
Rebuild and recover take it exclusively for their whole run: refused (LibraryBusy) while another
window or command has the library open, and a library opened meanwhile waits for them (up to
`WAIT_S`), then opens the new database.

Why: a connection keeps the file it opened. Before this lock, a rebuild run in a terminal swapped
the database under an idle window, which went on writing to the replaced file: a job it journaled
afterwards was in neither the new database nor the window's next start (SQLite's "How To Corrupt"
§2.4, unlinking or renaming a database file while in use). Its WAL and shared-memory files, named
like the new database's, could also mix two databases' pages.

The locks are `flock` locks (POSIX), which a second descriptor of the same file cannot take, even in
the same process: another `Library` of this process counts as another user. Windows has no shared
file locks in Python's standard library, so there this is a no-op; SQLite opens its files without
delete sharing there, so the OS itself refuses to rename a database another connection has open, and
rebuild reports that refusal the same way (`rebuild._swap_in`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.library.errors import LibraryBusy, from_os_error
from wan27_desktop.library.oslocks import lock_within, open_lock_file, try_lock
from wan27_desktop.private_files import make_dirs

LOCK_NAME = "open.lock"
WAIT_S = 10.0  # an open waits this long for a rebuild's swap (SQLite's own busy timeout is as long)
_SOLE_TRIES, _PAUSE_S = 50, 0.02  # a short-lived open elsewhere holds it for milliseconds: wait those out
ENABLED = sys.platform != "win32"

# Lock files this process holds exclusively (rebuild, recover): its own opens need no shared lock.
_SOLE: Counter[str] = Counter()
_SOLE_LOCK = threading.Lock()


def lock_path(leases_dir: Path) -> Path:
    return leases_dir / LOCK_NAME


def shared(path: Path) -> int | None:
    """Hold `path` shared for one connection: the descriptor to close when it closes, or None when
    no lock is needed (Windows; this process holds it exclusively) or possible (a folder that
    cannot be written and has no lock file: a library nobody can rebuild either).

    Waits while a rebuild or recover holds it, up to `WAIT_S`, then raises LibraryBusy."""
    if not ENABLED:
        return None
    with _SOLE_LOCK:
        if _SOLE[str(path)]:
            return None
    try:
        fd = _open(path)
    except OSError:
        return None
    deadline = time.monotonic() + WAIT_S
    while not try_lock(fd, shared=True):
        if time.monotonic() > deadline:
            os.close(fd)
            raise LibraryBusy(
                QT_TRANSLATE_NOOP(
                    "WanError", "The library is being rebuilt or recovered by another Wan 2.7 window or command."
                ),
                code="LibraryMaintenance",
            )
        time.sleep(_PAUSE_S)
    return fd


@contextlib.contextmanager
def sole(path: Path, action: str) -> Iterator[None]:
    """Hold `path` exclusively for `action` ("rebuild", "recover"): refused with LibraryBusy while
    any other connection, in this process or another, holds it shared. Opens by this process
    meanwhile take no lock (`shared` returns None)."""
    if not ENABLED:
        yield
        return
    key = str(path)
    with _SOLE_LOCK:
        nested = bool(_SOLE[key])  # recover's rebuild: already ours
    fd = None if nested else _take_exclusive(path, action)
    with _SOLE_LOCK:
        _SOLE[key] += 1
    try:
        yield
    finally:
        with _SOLE_LOCK:
            _SOLE[key] -= 1
            if not _SOLE[key]:
                del _SOLE[key]
        if fd is not None:
            os.close(fd)  # closing the descriptor lets the lock go


def _take_exclusive(path: Path, action: str) -> int:
    try:
        fd = _open(path)
    except OSError as err:
        raise from_os_error(err, path.parent.parent) from err
    if lock_within(fd, _SOLE_TRIES, _PAUSE_S):
        return fd
    os.close(fd)
    raise LibraryBusy(
        QT_TRANSLATE_NOOP("WanError", "Cannot {action} now: another Wan 2.7 window or command has the library open."),
        values={"action": action},
        code="LibraryInUse",
        hint=QT_TRANSLATE_NOOP(
            "WanError",
            "Close the other Wan 2.7 windows and wait for other wan27 commands to finish, then try again.",
        ),
    )


def _open(path: Path) -> int:
    """A descriptor of the lock file (`open_lock_file`), its folder made first where it can be (a
    read-only library may still have the file). OSError as raised."""
    with contextlib.suppress(OSError):
        make_dirs(path.parent)
    return open_lock_file(path)
