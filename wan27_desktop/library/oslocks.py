"""Advisory OS file locks that the kernel drops when their process dies, even by SIGKILL.

POSIX: `flock`, which belongs to the open file description: a second open of the same file - in
another process or in this one - cannot take a lock the first holds. Windows: `msvcrt.locking` on
the first byte (exclusive only; a shared request is taken exclusively, which is only stricter).
"""

from __future__ import annotations

import os
import sys

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
