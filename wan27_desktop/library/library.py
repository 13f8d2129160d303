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

import logging
import os
import sqlite3
from pathlib import Path
from types import TracebackType

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.library import presence
from wan27_desktop.library.batches import BatchStore
from wan27_desktop.library.curation import Curation
from wan27_desktop.library.db import (
    SQLITE_HEADER,
    Database,
    classified,
    create_database,
    header_if_alone,
    wal_has_content,
)
from wan27_desktop.library.errors import (
    LibraryCorrupt,
    LibraryEmptyFile,
    LibraryError,
    from_os_error,
    from_sqlite,
    is_corruption,
)
from wan27_desktop.library.images import ImageStore
from wan27_desktop.library.indexing import Indexer
from wan27_desktop.library.jobstore import JobStore
from wan27_desktop.library.leases import Leases
from wan27_desktop.library.ledger import Ledger
from wan27_desktop.library.maintenance import Maintenance
from wan27_desktop.library.paths import LibraryPaths
from wan27_desktop.library.rebuild import (
    DAMAGED_KIND,
    old_copies,
    old_copy_path,
    prune_old_copies,
    rebuild_index,
    remove_interrupted,
)
from wan27_desktop.library.reports import RebuildReport, ReconcileReport
from wan27_desktop.library.schema import migrate
from wan27_desktop.library.sessions import SessionMarker, stale_markers
from wan27_desktop.library.spendlimits import SpendLimits
from wan27_desktop.private_files import make_dirs

log = logging.getLogger("wan27.library")


class Library:
    def __init__(self, data_dir: Path) -> None:
        """Use `Library.open`; this does no recovery work."""
        self.paths = LibraryPaths(Path(data_dir))
        try:
            make_dirs(self.paths.library_dir)
        except OSError as err:
            raise from_os_error(err, self.paths.library_dir) from err
        _ensure_database(self.paths)
        self.db = Database(self.paths.db_path, presence=presence.lock_path(self.paths.leases_dir))
        try:
            migrate(self.db.conn)
            meta = dict(self.db.conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as err:
            self.db.close()
            mapped = classified(err, self.paths.db_path)
            if mapped is err:
                raise
            raise mapped from err
        except BaseException:
            self.db.close()
            raise
        if not meta.get("library_id"):
            self.db.close()
            raise LibraryCorrupt(self.paths.db_path, "the library's own record (table meta) is gone")
        self.library_id: str = meta["library_id"]
        self.fts_tokenizer: str = meta.get("fts_tokenizer", "none")
        self.last_reconcile: ReconcileReport | None = None
        self._marker = SessionMarker(self.paths.sessions_dir)
        self.leases = Leases(self.paths.leases_dir)
        indexer = Indexer(self.db, self.paths)
        self.jobs = JobStore(self.db, self.paths, self.leases)
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
            self.db,
            self.paths,
            images=self.images,
            indexer=indexer,
            marker=self._marker,
            library_id=self.library_id,
            leases=self.leases,
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
            raise from_sqlite(err, LibraryPaths(Path(data_dir)).db_path) from err
        if reconcile:
            try:
                remove_interrupted(library.paths, library.leases)
                library.heal_after_crash()
            except BaseException:
                library.close()
                raise
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
    def recover(cls, data_dir: Path, *, force: bool = False) -> RebuildReport:
        """Set a damaged database aside (never deleted), rebuild the index from the image files,
        and salvage every journal row the damaged copy still gives: unfinished jobs keep their
        task ids and result links and can be resumed.

        Refused while a job runs in any process, and for a database that passes SQLite's
        integrity check unless `force` (`wan27 library rebuild` is the tool for a healthy one).
        Read-only folders, full disks and I/O errors are reported as such: recovering cannot help.
        """
        paths = LibraryPaths(Path(data_dir))
        try:
            make_dirs(paths.library_dir)
        except OSError as err:
            raise from_os_error(err, paths.library_dir) from err
        leases = Leases(paths.leases_dir)
        # The library to itself: another window's connection would go on using the file set aside.
        with leases.exclusive("recover"), presence.sole(presence.lock_path(paths.leases_dir), "recover"):
            db_path = paths.db_path
            problem = damage_of(db_path)
            if problem is None and not force and db_path.exists():
                raise LibraryError(
                    QT_TRANSLATE_NOOP(
                        "WanError",
                        "The library database {path} passed SQLite's integrity check: it is not damaged, "
                        "so it was left as it is.",
                    ),
                    values={"path": str(db_path)},
                    code="LibraryHealthy",
                    hint=QT_TRANSLATE_NOOP(
                        "WanError",
                        "To re-index the image files and keep the journal, run `wan27 library rebuild`. "
                        "To set this database aside anyway, run `wan27 library recover --force`.",
                    ),
                )
            aside = None
            if db_path.exists():
                aside = old_copy_path(paths, DAMAGED_KIND)
                os.replace(db_path, aside)
                for suffix in ("-wal", "-shm"):
                    side = Path(f"{db_path}{suffix}")
                    if side.exists():
                        os.replace(side, Path(f"{aside}{suffix}"))
                log.warning("recover: %s set aside as %s (%s)", db_path.name, aside.name, problem or "forced")
            library = cls(data_dir)
            try:
                report = rebuild_index(
                    library.db,
                    library.paths,
                    library.library_id,
                    keep_annotations=False,
                    salvage_from=aside,
                    keep_backup=False,  # the database it replaces is the empty one just made
                )
            finally:
                library.close()
            if aside is not None:
                prune_old_copies(paths, DAMAGED_KIND, keep=aside)
        return RebuildReport(
            images=report.images,
            jobs=report.jobs,
            quarantined=report.quarantined,
            moved_aside=aside,
            annotations_kept=report.annotations_kept,
            salvage=report.salvage,
        )

    def old_copies(self) -> list[Path]:
        """Database copies kept by rebuild and recover (one of each kind at most): `library
        stats` names them, so the user knows they exist and may delete them."""
        return old_copies(self.paths)

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

    def explain_empty(self, *, trashed: bool = False) -> None:
        """Called when a listing of the library (or the trash) came back empty: raises when that is
        not the truth. A damaged page can make a table or an index look empty without an error;
        the image files on disk and SQLite's integrity check tell damage from an empty library."""
        with self.db.read() as conn:
            rows = conn.execute("SELECT count(*) FROM images NOT INDEXED").fetchone()[0]
            hidden = conn.execute(
                "SELECT count(*) FROM images NOT INDEXED WHERE trashed = ?", (int(trashed),)
            ).fetchone()[0]
        if hidden == 0 and (rows or trashed or not _holds_files(self.paths, images_only=True)):
            return  # truly empty: no row of that kind, and (for the library) no file either
        problems = self.check_integrity()
        if problems:
            raise LibraryCorrupt(self.db_path, "; ".join(problems[:3]))
        if hidden:
            raise LibraryCorrupt(self.db_path, "an index lists none of the images the table holds")
        raise LibraryError(
            QT_TRANSLATE_NOOP(
                "WanError", "The index lists no images, but {folder} holds image files that are not in it."
            ),
            values={"folder": str(self.paths.images_dir)},
            code="UnindexedFiles",
            hint=QT_TRANSLATE_NOOP("WanError", "Run `wan27 library rebuild` to index them from their metadata."),
        )

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


def damage_of(db_path: Path) -> str | None:
    """Why the database at `db_path` is damaged, or None when it is healthy (or absent).

    Slow on a big library (`PRAGMA integrity_check` reads every page): for `recover` only.
    Raises the classified error when the file cannot be read at all for another reason (a
    read-only or unreachable folder, an I/O error): setting it aside would not help.
    """
    if not db_path.exists():
        return None
    try:
        size = db_path.stat().st_size
        if size == 0 and not wal_has_content(db_path):
            return "the file is empty (0 bytes)"
        header = header_if_alone(db_path) if size > 0 else None  # None: SQLite's own open tells below
        if header is not None and header != SQLITE_HEADER:
            return "not an SQLite database"
    except OSError as err:
        raise from_os_error(err, db_path.parent) from err
    try:
        conn = sqlite3.connect(str(db_path), isolation_level=None)
    except sqlite3.Error as err:
        if is_corruption(err):
            return str(err)
        raise from_sqlite(err, db_path) from err
    try:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.Error as err:
        if is_corruption(err):
            return str(err)
        raise from_sqlite(err, db_path) from err
    finally:
        conn.close()
    return None if rows == ["ok"] else "; ".join(rows[:5])


def _ensure_database(paths: LibraryPaths) -> None:
    """Create a missing database complete (never half-made), and refuse an empty one in a library
    that holds images: taking it for a new library would reuse the job ids those files carry."""
    db_path = paths.db_path
    try:
        size = db_path.stat().st_size
    except FileNotFoundError:
        create_database(db_path, migrate)
        return
    except OSError as err:
        raise from_os_error(err, paths.library_dir) from err
    if size > 0 or wal_has_content(db_path):
        return
    if _holds_files(paths):
        raise LibraryEmptyFile(db_path)
    # Nothing else in the library: a first open that died before its first write (older versions
    # created the file empty). Kept aside anyway - nothing of the user's is ever deleted here.
    aside = old_copy_path(paths, "empty")
    os.replace(db_path, aside)
    log.warning("the library database was empty and the library holds no files; kept as %s", aside.name)
    create_database(db_path, migrate)


def _holds_files(paths: LibraryPaths, *, images_only: bool = False) -> bool:
    for folder in (paths.images_dir,) if images_only else (paths.images_dir, paths.inputs_dir):
        for _root, _dirs, files in os.walk(folder):
            if files:
                return True
    return False
