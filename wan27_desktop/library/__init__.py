"""The local library: SQLite index, image files with embedded metadata, job journal, spend ledger.

Qt-free (thumbnails call `wan27_desktop.imaging` lazily). See `library.py` for the layout on disk.
"""

from wan27_desktop.library.base import parse_time
from wan27_desktop.library.errors import LibraryCorrupt, LibraryError, LibraryTooNew, NotFound
from wan27_desktop.library.library import Library
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

__all__ = [
    "parse_time",
    "ImageQuery",
    "ImageRecord",
    "ImportReport",
    "JobRecord",
    "JobState",
    "Library",
    "LibraryCorrupt",
    "LibraryError",
    "LibraryTooNew",
    "NotFound",
    "RebuildReport",
    "ReconcileReport",
    "ResultRecord",
]
