"""Library errors, in the project's one hierarchy so the UI and CLI show them like any other."""

from __future__ import annotations

from pathlib import Path

from wan27_desktop.api.errors import WanError
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP


class LibraryError(WanError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "Check that the library folder exists and is writable, then try again."
    )


class LibraryCorrupt(LibraryError):
    """The database file cannot be read. The image files are intact and carry their own metadata."""

    def __init__(self, db_path: Path, detail: str) -> None:
        super().__init__(
            f"The library database {db_path} is damaged ({detail}).",
            code="LibraryCorrupt",
            hint=QT_TRANSLATE_NOOP(
                "WanError",
                "Rebuild the library from its image files with `wan27 library "
                "recover`; the damaged file is kept aside, never deleted.",
            ),
        )
        self.db_path = db_path


class LibraryTooNew(LibraryError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "This library was written by a newer Wan 2.7 Desktop; update the app to open it."
    )


class NotFound(LibraryError):
    default_hint = QT_TRANSLATE_NOOP("WanError", "It may have been deleted; refresh the view.")
