"""The local library: SQLite index, image files with embedded metadata, job journal, spend ledger.

Qt-free (thumbnails call `wan27_desktop.imaging` lazily). See `library.py` for the layout on disk.
"""

from .base import parse_time
from .errors import LibraryCorrupt, LibraryError, LibraryTooNew, NotFound
from .library import Library
from .records import (
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
