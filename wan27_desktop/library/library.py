"""`Library`: the product's memory - one SQLite index plus the image files it describes.

Layout under the data dir (issue 3):
    library/library.sqlite3            the index and job journal (WAL)
    library/images/YYYY/MM/DD/...      results, byte-for-byte plus metadata chunks
    library/inputs/<sha[:2]>/<sha>.ext reference images, content-addressed
    library/quarantine/                files reconcile could not index (never deleted)
    library/sessions/                  dirty markers of running sessions (see sessions.py)
    cache/thumbs/<sha[:2]>/<sha>-<size>.jpg

Threads: a Library owns one connection guarded by a lock, so it may be shared between threads;
GUI workers may equally open their own `Library` (cheap), which is what the pool does.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from wan27_desktop.library.base import DB_NAME, LIBRARY_DIRNAME
from wan27_desktop.library.batches import BatchStore
from wan27_desktop.library.curation import Curation
from wan27_desktop.library.db import Database
from wan27_desktop.library.errors import LibraryCorrupt
from wan27_desktop.library.images import ImageStore
from wan27_desktop.library.jobstore import JobStore
from wan27_desktop.library.ledger import Ledger
from wan27_desktop.library.rebuild import Rebuild, stamp
from wan27_desktop.library.records import RebuildReport, ReconcileReport
from wan27_desktop.library.schema import migrate
from wan27_desktop.library.sessions import SessionMarker, stale_markers
from wan27_desktop.library.spendlimits import SpendLimits


class Library(JobStore, ImageStore, Curation, Rebuild, Ledger):
    def __init__(self, data_dir: Path, *, db_path: Path | None = None) -> None:
        """Use `Library.open`; this does no recovery work."""
        self.data_dir = Path(data_dir)
        self.library_dir = self.data_dir / LIBRARY_DIRNAME
        self.library_dir.mkdir(parents=True, exist_ok=True)
        self._db = Database(db_path or self.library_dir / DB_NAME)
        try:
            migrate(self._db.conn)
            meta = dict(self._db.conn.execute("SELECT key, value FROM meta").fetchall())
        except Exception:
            self._db.close()
            raise
        self.library_id = meta["library_id"]
        self.fts_tokenizer = meta.get("fts_tokenizer", "none")
        self._marker = SessionMarker(self.library_dir / "sessions")
        self.batches = BatchStore(self._db)  # issue 17: batches and their rows
        self.spend_limits = SpendLimits(self._db)  # issue 17: daily and monthly limits per region
        self.last_reconcile: ReconcileReport | None = None

    @classmethod
    def open(cls, data_dir: Path, *, reconcile: bool = True) -> Library:
        """Open (creating if needed) the library in `data_dir`. Raises LibraryCorrupt with the
        recovery path when the database cannot be read.

        Cheap at 100k images: folders are only reconciled when a dead session's dirty marker
        lists them (a crash between writing a file and committing its row).
        """
        import sqlite3

        try:
            library = cls(data_dir)
        except sqlite3.DatabaseError as err:
            raise LibraryCorrupt(Path(data_dir) / LIBRARY_DIRNAME / DB_NAME, str(err)) from err
        if reconcile:
            library.heal_after_crash()
        return library

    def heal_after_crash(self) -> ReconcileReport | None:
        """Reconcile the folders listed by markers of sessions that died without closing."""
        markers = stale_markers(self._marker.sessions_dir)
        if not markers:
            return None
        try:
            dirs = sorted({d for marker in markers for d in marker.dirs})
            self.last_reconcile = self.reconcile(dirs)
        finally:
            for marker in markers:
                marker.release()
        return self.last_reconcile

    def _open_sibling(self, db_path: Path) -> Library:
        return type(self)(self.data_dir, db_path=db_path)

    @classmethod
    def recover(cls, data_dir: Path) -> RebuildReport:
        """Move a damaged database aside (never deleted) and rebuild the index from the files."""
        library_dir = Path(data_dir) / LIBRARY_DIRNAME
        db_path = library_dir / DB_NAME
        aside = None
        if db_path.exists():
            aside = library_dir / f"{DB_NAME}.corrupt-{stamp()}"
            os.replace(db_path, aside)
            for suffix in ("-wal", "-shm"):
                side = Path(f"{db_path}{suffix}")
                if side.exists():
                    os.replace(side, Path(f"{aside}{suffix}"))
        library = cls(data_dir)
        try:
            report = library.rebuild(keep_annotations=False)
        finally:
            library.close()
        return RebuildReport(
            images=report.images,
            jobs=report.jobs,
            quarantined=report.quarantined,
            moved_aside=aside,
            backup=report.backup,
        )

    def check_integrity(self) -> list[str]:
        """`PRAGMA integrity_check` (slow on big libraries: for tests and diagnostics). [] = healthy."""
        with self._db.read() as conn:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        return [] if rows == ["ok"] else rows

    def close(self) -> None:
        self._db.close()
        self._marker.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
