"""`Library`: the product's memory - one SQLite index plus the image files it describes.

A Library opens the database and holds one object per part of it, each over the same `Database`
(as qutebrowser's history holds its tables over one `sql.Database`):

    library.jobs         JobStore     the job journal: jobs, their inputs, result URLs
    library.images       ImageStore   landing downloads, reading and querying images
    library.curation     Curation     ratings, favourites, tags, the trash
    library.ledger       Ledger       spend by day and month
    library.maintenance  Maintenance  reconcile, import, export, rebuild

A store that needs another is given it when it is made (images land for a job, so `ImageStore`
gets the `JobStore`); none inherits from another. The layout on disk is in `paths.py`. Qt-free:
thumbnails are `imaging.thumbnails`' business.

Threads: a Library owns one connection guarded by a lock, so it may be shared between threads;
GUI workers may equally open their own `Library` (cheap), which is what the pool does.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from types import TracebackType

from wan27_desktop.library.batches import BatchStore
from wan27_desktop.library.curation import Curation
from wan27_desktop.library.db import Database
from wan27_desktop.library.errors import LibraryCorrupt
from wan27_desktop.library.images import ImageStore
from wan27_desktop.library.indexing import Indexer
from wan27_desktop.library.jobstore import JobStore
from wan27_desktop.library.ledger import Ledger
from wan27_desktop.library.maintenance import Maintenance
from wan27_desktop.library.paths import DB_NAME, LibraryPaths
from wan27_desktop.library.rebuild import stamp
from wan27_desktop.library.records import RebuildReport, ReconcileReport
from wan27_desktop.library.schema import migrate
from wan27_desktop.library.sessions import SessionMarker, stale_markers
from wan27_desktop.library.spendlimits import SpendLimits


class Library:
    def __init__(self, data_dir: Path) -> None:
        """Use `Library.open`; this does no recovery work."""
        self.paths = LibraryPaths(Path(data_dir))
        self.paths.library_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(self.paths.db_path)
        try:
            migrate(self.db.conn)
            meta = dict(self.db.conn.execute("SELECT key, value FROM meta").fetchall())
        except Exception:
            self.db.close()
            raise
        self.library_id: str = meta["library_id"]
        self.fts_tokenizer: str = meta.get("fts_tokenizer", "none")
        self.last_reconcile: ReconcileReport | None = None
        self._marker = SessionMarker(self.paths.sessions_dir)
        indexer = Indexer(self.db, self.paths)
        self.jobs = JobStore(self.db, self.paths)
        self.images = ImageStore(
            self.db,
            self.paths,
            jobs=self.jobs,
            indexer=indexer,
            marker=self._marker,
            library_id=self.library_id,
            fts_tokenizer=self.fts_tokenizer,
        )
        self.curation = Curation(self.db, self.paths)
        self.ledger = Ledger(self.db)
        self.maintenance = Maintenance(
            self.db, self.paths, images=self.images, indexer=indexer, marker=self._marker, library_id=self.library_id
        )
        self.batches = BatchStore(self.db)  # issue 17: batches and their rows
        self.spend_limits = SpendLimits(self.db)  # issue 17: daily and monthly limits per region

    @property
    def data_dir(self) -> Path:
        """The library root (what settings and `wan27 library move` name)."""
        return self.paths.data_dir

    @property
    def library_dir(self) -> Path:
        return self.paths.library_dir

    @property
    def db_path(self) -> Path:
        return self.paths.db_path

    @classmethod
    def open(cls, data_dir: Path, *, reconcile: bool = True) -> Library:
        """Open (creating if needed) the library in `data_dir`. Raises LibraryCorrupt with the
        recovery path when the database cannot be read.

        Cheap at 100k images: folders are only reconciled when a dead session's dirty marker
        lists them (a crash between writing a file and committing its row).
        """
        try:
            library = cls(data_dir)
        except sqlite3.DatabaseError as err:
            raise LibraryCorrupt(LibraryPaths(Path(data_dir)).db_path, str(err)) from err
        if reconcile:
            library.heal_after_crash()
        return library

    def heal_after_crash(self) -> ReconcileReport | None:
        """Reconcile the folders listed by markers of sessions that died without closing."""
        markers = stale_markers(self.paths.sessions_dir)
        if not markers:
            return None
        try:
            dirs = sorted({d for marker in markers for d in marker.dirs})
            self.last_reconcile = self.maintenance.reconcile(dirs)
        finally:
            for marker in markers:
                marker.release()
        return self.last_reconcile

    @classmethod
    def recover(cls, data_dir: Path) -> RebuildReport:
        """Move a damaged database aside (never deleted) and rebuild the index from the files."""
        paths = LibraryPaths(Path(data_dir))
        db_path = paths.db_path
        aside = None
        if db_path.exists():
            aside = paths.library_dir / f"{DB_NAME}.corrupt-{stamp()}"
            os.replace(db_path, aside)
            for suffix in ("-wal", "-shm"):
                side = Path(f"{db_path}{suffix}")
                if side.exists():
                    os.replace(side, Path(f"{aside}{suffix}"))
        library = cls(data_dir)
        try:
            report = library.maintenance.rebuild(keep_annotations=False)
        finally:
            library.close()
        return RebuildReport(
            images=report.images,
            jobs=report.jobs,
            quarantined=report.quarantined,
            moved_aside=aside,
            backup=report.backup,
        )

    def stats(self) -> dict[str, int]:
        """Counts and sizes (`wan27 library stats`)."""
        with self.db.read() as conn:
            images, trashed, total_bytes, missing = conn.execute(
                "SELECT count(*), coalesce(sum(trashed), 0), coalesce(sum(bytes), 0), coalesce(sum(missing), 0) "
                "FROM images"
            ).fetchone()
            jobs = conn.execute("SELECT count(*) FROM jobs").fetchone()[0]
        db_size = sum(p.stat().st_size for p in (self.db_path, Path(f"{self.db_path}-wal")) if p.exists())
        return {
            "images": images - trashed,
            "trashed": trashed,
            "missing": missing,
            "jobs": jobs,
            "bytes": total_bytes,
            "db_size": db_size,
        }

    def check_integrity(self) -> list[str]:
        """`PRAGMA integrity_check` (slow on big libraries: for tests and diagnostics). [] = healthy."""
        with self.db.read() as conn:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        return [] if rows == ["ok"] else rows

    def close(self) -> None:
        self.db.close()
        self._marker.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
