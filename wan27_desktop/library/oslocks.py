"""Advisory OS file locks that the kernel drops when their process dies, even by SIGKILL.

POSIX: `flock`, which belongs to the open file description: a second open of the same file - in
another process or in this one - cannot take a lock the first holds. Windows: `msvcrt.locking` on
the first byte (exclusive only; a shared request is taken exclusively, which is only stricter).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from wan27_desktop.private_files import FILE_MODE, restrict_fd

if sys.platform == "win32":  # pragma: no cover - exercised on Windows CI only
    import msvcrt

    def try_lock(fd: int, *, shared: bool = False) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def try_lock(fd: int, *, shared: bool = False) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def open_lock_file(path: Path) -> int:
    """A descriptor to lock `path` with, created user-only if missing. A lock needs no write access,
    so where the file cannot be opened for writing (a read-only library) it is opened read-only;
    when neither works, the first error is raised."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except OSError as err:
        try:
            return os.open(path, os.O_RDONLY)
        except OSError:
            raise err from None
    restrict_fd(fd)
    return fd


def lock_within(fd: int, tries: int, pause: float, *, shared: bool = False) -> bool:
    """Take the lock on `fd`, trying `tries` times `pause` seconds apart (a holder that keeps it for
    an instant lets go meanwhile); False when it never came free."""
    for _ in range(tries):
        if try_lock(fd, shared=shared):
            return True
        time.sleep(pause)
    return False
