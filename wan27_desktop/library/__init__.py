"""The local library: SQLite index, image files with embedded metadata, job journal, spend ledger.

Qt-free: it imports no PySide6 and nothing from `wan27_desktop.imaging`, directly or through another
package (tests/library/test_layering.py checks it). `library.py` shows how a `Library` is composed of
its stores; `paths.py` shows the layout on disk.
"""

from wan27_desktop.library.errors import (
    ExportIncomplete,
    LibraryBusy,
    LibraryCorrupt,
    LibraryError,
    LibraryTooNew,
    NotEnoughSpace,
    NotFound,
)
from wan27_desktop.library.library import Library
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
