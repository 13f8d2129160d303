"""The local library: SQLite index, image files with embedded metadata, job journal, spend ledger.

Qt-free: it imports no PySide6 and nothing from `wan27_desktop.imaging`, directly or through another
package (tests/library/test_layering.py checks it). `library.py` shows how a `Library` is composed of
its stores; `paths.py` shows the layout on disk.

`Library` (and with it the stores, SQLite, hashing, metadata) loads when first used, not with
the records: a window needs the records to draw its first rows, and opens a library only on a
worker thread (PEP 562 module `__getattr__`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wan27_desktop.library.errors import (
    ExportIncomplete,
    LibraryBusy,
    LibraryCorrupt,
    LibraryError,
    LibraryTooNew,
    NotEnoughSpace,
    NotFound,
)
from wan27_desktop.library.paths import LibraryPaths
from wan27_desktop.library.records import (
    ImageQuery,
    ImageRecord,
    ImportReport,
    JobRecord,
    JobState,
    RebuildReport,
    ReconcileReport,
    ResultRecord,
)
from wan27_desktop.library.rows import parse_time

if TYPE_CHECKING:
    from wan27_desktop.library.library import Library


def __getattr__(name: str) -> Any:
    if name == "Library":
        from wan27_desktop.library.library import Library

        return Library
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "parse_time",
    "ExportIncomplete",
    "LibraryBusy",
    "NotEnoughSpace",
    "ImageQuery",
    "ImageRecord",
    "ImportReport",
    "JobRecord",
    "JobState",
    "Library",
    "LibraryPaths",
    "LibraryCorrupt",
    "LibraryError",
    "LibraryTooNew",
    "NotFound",
    "RebuildReport",
    "ReconcileReport",
    "ResultRecord",
]
