"""Library errors, in the project's one hierarchy so the UI and CLI show them like any other.

An SQLite failure is classified by `from_sqlite` (issue 14): a read-only folder, a file that cannot
be opened, a full disk and a disk I/O error each say what happened and what to do; only real
damage (SQLITE_CORRUPT / SQLITE_NOTADB) says "damaged - run `wan27 library recover`", because
following that hint on a healthy journal would throw its unfinished jobs away.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from wan27_desktop.api.errors import WanError
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    import sqlite3


class LibraryError(WanError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "Check that the library folder exists and is writable, then try again."
    )


class LibraryCorrupt(LibraryError):
    """The database file is damaged. The image files are intact and carry their own metadata."""

    def __init__(self, db_path: Path, detail: str) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP("WanError", "The library database {path} is damaged ({detail})."),
            values={"path": str(db_path), "detail": detail},
            code="LibraryCorrupt",
            hint=QT_TRANSLATE_NOOP(
                "WanError",
                "Rebuild the library from its image files with `wan27 library "
                "recover`; the damaged file is kept aside, never deleted.",
            ),
        )
        self.db_path = db_path


class LibraryEmptyFile(LibraryError):
    """The database file is there but empty (0 bytes) while the library holds files: never taken
    for a new library, which would hand out job ids the files already use."""

    def __init__(self, db_path: Path) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP(
                "WanError", "The library database {path} is empty (0 bytes), but the library folder holds images."
            ),
            values={"path": str(db_path)},
            code="LibraryEmpty",
            hint=QT_TRANSLATE_NOOP(
                "WanError",
                "Restore the file from a backup, or rebuild the index from the image files with "
                "`wan27 library recover` (the empty file is kept aside).",
            ),
        )
        self.db_path = db_path


class LibraryReadOnly(LibraryError):
    """SQLite could not write because the folder, the disk or the file is read-only."""

    default_hint = QT_TRANSLATE_NOOP(
        "WanError",
        "Make the library folder and its files writable for your user (or mount the disk read-write), "
        "then try again. Nothing is damaged: do not run `wan27 library recover`.",
    )


class LibraryCannotOpen(LibraryError):
    """SQLite could not open the file: a missing or unreachable folder, or no permission."""

    default_hint = QT_TRANSLATE_NOOP(
        "WanError",
        "Check that the library folder exists, that its disk is connected, and that your user may "
        "read and write it. Nothing is damaged: do not run `wan27 library recover`.",
    )


class LibraryDiskFull(LibraryError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "Free some space on that disk, then try again. Nothing was lost; the journal is intact."
    )


class LibraryIOError(LibraryError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError",
        "Check the disk (and its cable or network connection for an external or network drive), then "
        "try again. If it keeps happening, copy the library folder to a healthy disk.",
    )


class LibraryBusy(LibraryError):
    """Another process holds the library for work that must not overlap (a job, a rebuild)."""

    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "Wait until the other Wan 2.7 window or command has finished, then try again."
    )


class NotEnoughSpace(LibraryError):
    """Refused before sending: the results would not fit on the library's disk. Nothing was sent."""

    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "Free some space on that disk (or move the library), then try again. Nothing was sent or billed."
    )


class LibraryTooNew(LibraryError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "This library was written by a newer Wan 2.7 Desktop; update the app to open it."
    )


class NotFound(LibraryError):
    default_hint = QT_TRANSLATE_NOOP("WanError", "It may have been deleted; refresh the view.")


class ExportIncomplete(NotFound):
    """Some images could not be exported (their file is gone); the others were. `written` lists
    the files that were exported, `failed` the (image id, reason) of the rest."""

    def __init__(self, written: list[Path], failed: list[tuple[int, str]]) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP("WanError", "{failed} image(s) could not be exported: {reasons}"),
            values={"failed": len(failed), "reasons": "; ".join(reason for _, reason in failed)},
            code="ExportIncomplete",
            hint=QT_TRANSLATE_NOOP(
                "WanError",
                "The other images were exported. Restore the missing files from a backup, or move those "
                "images to the trash.",
            ),
        )
        self.written = list(written)
        self.failed = list(failed)


# SQLite primary result codes (sqlite3.h); Python 3.11+ puts the extended code on the exception.
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 3, 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 13, 14, 26
_BY_TEXT = (  # Python 3.10 has no error code: SQLite's fixed messages for the same codes
    ("readonly", _SQLITE_READONLY),
    ("unable to open", _SQLITE_CANTOPEN),
    ("disk is full", _SQLITE_FULL),
    ("disk i/o error", _SQLITE_IOERR),
    ("malformed", _SQLITE_CORRUPT),
    ("not a database", _SQLITE_NOTADB),
    ("access permission denied", _SQLITE_PERM),
)


def sqlite_code(err: sqlite3.Error) -> int | None:
    """The primary SQLite result code of an error, or None when it cannot be told."""
    code = getattr(err, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(err).lower()
    return next((value for needle, value in _BY_TEXT if needle in text), None)


def is_corruption(err: sqlite3.Error) -> bool:
    return sqlite_code(err) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def folder_is_read_only(folder: Path) -> bool:
    """The folder (or its disk) cannot be written by this user."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        pass
    return folder.is_dir() and not os.access(folder, os.W_OK)


def from_sqlite(err: sqlite3.Error, db_path: Path) -> LibraryError:
    """The right library error for an SQLite failure on `db_path`, with a hint that fits it."""
    code = sqlite_code(err)
    reason = str(err)
    folder = db_path.parent
    values = {"path": str(db_path), "folder": str(folder), "reason": reason}
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return LibraryCorrupt(db_path, reason)
    if code in (_SQLITE_READONLY, _SQLITE_PERM) or (code == _SQLITE_CANTOPEN and folder_is_read_only(folder)):
        return LibraryReadOnly(
            QT_TRANSLATE_NOOP("WanError", "The library in {folder} is read-only, so nothing can be saved ({reason})."),
            values=values,
            code="LibraryReadOnly",
        )
    if code == _SQLITE_CANTOPEN:
        return LibraryCannotOpen(
            QT_TRANSLATE_NOOP("WanError", "The library database {path} cannot be opened ({reason})."),
            values=values,
            code="LibraryCannotOpen",
        )
    if code == _SQLITE_FULL:
        return LibraryDiskFull(
            QT_TRANSLATE_NOOP("WanError", "The disk holding the library ({folder}) is full ({reason})."),
            values=values,
            code="DiskFull",
        )
    if code == _SQLITE_IOERR:
        return LibraryIOError(
            QT_TRANSLATE_NOOP(
                "WanError", "The disk holding the library ({folder}) reported a read or write error ({reason})."
            ),
            values=values,
            code="LibraryIOError",
        )
    return LibraryError(
        QT_TRANSLATE_NOOP("WanError", "The library database {path} could not be used ({reason})."),
        values=values,
        code="LibraryError",
    )


def from_os_error(err: OSError, folder: Path) -> LibraryError:
    """A failed file operation in the library folder, classified like SQLite's."""
    import errno

    values = {"folder": str(folder), "path": str(folder), "reason": err.strerror or str(err)}
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return LibraryReadOnly(
            QT_TRANSLATE_NOOP("WanError", "The library in {folder} is read-only, so nothing can be saved ({reason})."),
            values=values,
            code="LibraryReadOnly",
        )
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return LibraryDiskFull(
            QT_TRANSLATE_NOOP("WanError", "The disk holding the library ({folder}) is full ({reason})."),
            values=values,
            code="DiskFull",
        )
    if err.errno == errno.EIO:
        return LibraryIOError(
            QT_TRANSLATE_NOOP(
                "WanError", "The disk holding the library ({folder}) reported a read or write error ({reason})."
            ),
            values=values,
            code="LibraryIOError",
        )
    return LibraryCannotOpen(
        QT_TRANSLATE_NOOP("WanError", "The library folder {folder} cannot be used ({reason})."),
        values=values,
        code="LibraryCannotOpen",
    )
