"""The local library: SQLite index, image files with embedded metadata, job journal, spend ledger.

Qt-free: it imports no PySide6 and nothing from `wan27_desktop.imaging`, directly or through another
package (tests/library/test_layering.py checks it). `library.py` shows how a `Library` is composed of
its stores; `paths.py` shows the layout on disk.

`Library` (and with it the stores, SQLite, hashing, metadata), the journal's and the images'
records, the maintenance reports and `LibraryPaths` load when first used (PEP 562 module
`__getattr__`): a window needs only the job states and the gallery's query to draw itself, and opens
a library and reads the journal on a worker thread.
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
from wan27_desktop.library.records import ImageQuery, JobState
from wan27_desktop.library.times import parse_time

if TYPE_CHECKING:
    from wan27_desktop.library.image_records import ImageRecord
    from wan27_desktop.library.job_records import JobRecord, ResultRecord
    from wan27_desktop.library.library import Library
    from wan27_desktop.library.paths import LibraryPaths
    from wan27_desktop.library.reports import ImportReport, RebuildReport, ReconcileReport

_LAZY = {  # name -> the module that defines it, imported on first use
    "Library": "library",
    "LibraryPaths": "paths",
    "ImageRecord": "image_records",
    "JobRecord": "job_records",
    "ResultRecord": "job_records",
    "ImportReport": "reports",
    "RebuildReport": "reports",
    "ReconcileReport": "reports",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


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
