"""Where a library keeps its files: one small value every store is given, instead of a base class.

Layout under the library root (`data_dir`, issue 3):
    library/library.sqlite3            the index and job journal (WAL)
    library/images/YYYY/MM/DD/...      results, byte-for-byte plus metadata chunks
    library/inputs/<sha[:2]>/<sha>.ext reference images, content-addressed
    library/quarantine/                files reconcile could not index (never deleted)
    library/sessions/                  dirty markers of running sessions (see sessions.py)
    library/leases/                    which process runs which job; rebuilds exclude jobs (leases.py)
    cache/                             thumbnails, owned by `imaging.thumbnails` (the library never reads it)
    incoming/                          downloads not landed yet, owned by the jobs layer
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

LIBRARY_DIRNAME = "library"
DB_NAME = "library.sqlite3"


@dataclass(frozen=True)
class LibraryPaths:
    data_dir: Path

    @property
    def library_dir(self) -> Path:
        return self.data_dir / LIBRARY_DIRNAME

    @property
    def db_path(self) -> Path:
        return self.library_dir / DB_NAME

    @property
    def images_dir(self) -> Path:
        return self.library_dir / "images"

    @property
    def inputs_dir(self) -> Path:
        return self.library_dir / "inputs"

    @property
    def quarantine_dir(self) -> Path:
        return self.library_dir / "quarantine"

    @property
    def sessions_dir(self) -> Path:
        return self.library_dir / "sessions"

    @property
    def leases_dir(self) -> Path:
        return self.library_dir / "leases"

    @property
    def incoming_dir(self) -> Path:
        """Downloads not landed yet; on the library's disk, so a landed result is renamed, not copied."""
        return self.data_dir / "incoming"

    def abs_path(self, rel: str) -> Path:
        """A path stored in the index ('images/2025/01/31/x.png', always '/') -> the file."""
        return self.library_dir / Path(*rel.split("/"))

    def rel_path(self, path: Path) -> str:
        return path.relative_to(self.library_dir).as_posix()


def day_dir_of(created_at: str) -> str:
    """'images/YYYY/MM/DD' in local time: the folder layout shows the day the user saw."""
    moment = datetime.fromisoformat(created_at).astimezone()
    return f"images/{moment:%Y/%m/%d}"


def safe_ext(path: Path, default: str = ".bin") -> str:
    ext = path.suffix.lower()
    return ext if re.fullmatch(r"\.[a-z0-9]{1,5}", ext) else default
