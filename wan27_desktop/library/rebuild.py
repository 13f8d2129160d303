"""Rebuilding the index from the image files' embedded metadata alone, into a fresh DB, then a swap.

The files are the truth for images, their prompts, parameters and jobs. When the old database is
still readable (`rebuild()` on a healthy library) it also gives back what files cannot carry:
ratings, favourites, tags, trash state, and journal rows of jobs without images (failed, unfinished).
`Library.recover` (a damaged database) moves the bad file aside, rebuilds from the files, then
salvages every journal row the damaged copy still gives (`salvage.py`).

Rebuild and recover run under `Leases.exclusive`: never while a job runs in any process (its images
would land in the database being replaced). They also have the library to themselves
(`presence.sole`): never while another window or command has it open, which would go on writing to
the replaced file. The old database is kept as one copy, the latest (`OLD_COPY_KINDS`); a rebuild
killed half-way leaves a `.rebuild-*` file that the next `Library.open` removes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.crashpoints import crashpoint
from wan27_desktop.library.adoption import Adoption, image_folders, is_stale_temp, quarantine
from wan27_desktop.library.db import Database
from wan27_desktop.library.errors import LibraryBusy
from wan27_desktop.library.indexing import Indexer
from wan27_desktop.library.leases import Leases
from wan27_desktop.library.paths import DB_NAME, LibraryPaths
from wan27_desktop.library.pngmeta import PngError, read_metadata
from wan27_desktop.library.reports import RebuildReport
from wan27_desktop.library.rows import JOB_COLUMNS
from wan27_desktop.library.salvage import salvage_into
from wan27_desktop.library.schema import migrate

log = logging.getLogger("wan27.library")

_JOB_FIELDS = [c.strip() for c in JOB_COLUMNS.split(",") if c.strip() != "id"]
BACKUP_KIND, DAMAGED_KIND = "before-rebuild", "corrupt"
OLD_COPY_KINDS = (BACKUP_KIND, DAMAGED_KIND, "empty")
_TEMP_KINDS = ("rebuild", "new")
# Tables only the database knows, carried over whole: batches and their rows (issue 17, every job
# they name is carried over too) and the spending limits the user set.
CARRIED_TABLES = ("batches", "batch_rows", "spend_limits")
_NEW_DB_STALE_S = 600.0  # `create_database` needs milliseconds; one this old was abandoned


def stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def rebuild_index(
    db: Database,
    paths: LibraryPaths,
    library_id: str,
    *,
    keep_annotations: bool,
    salvage_from: Path | None = None,
    keep_backup: bool = True,
) -> RebuildReport:
    """Re-index every image file into a fresh database, then swap it in for `db`'s file (every
    store holding `db` sees the new one). The caller holds `Leases.exclusive`.

    `keep_annotations`: carry ratings, tags, trash and the journal over from `db` (readable).
    `salvage_from`: a damaged database to read the same back from, row by row.
    `keep_backup`: keep the replaced database as the one `before-rebuild` copy."""
    new_path = paths.library_dir / f"{DB_NAME}.rebuild-{uuid.uuid4().hex[:8]}"
    files = _rebuild_candidates(paths)
    chosen_id = _library_id_from_files(files, library_id)
    fresh = Database(new_path)
    quarantined: list[Path] = []
    kept = 0
    salvage = None
    try:
        migrate(fresh.conn)
        with fresh.write() as conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'library_id'", (chosen_id,))
        adoption = Adoption(fresh, paths, Indexer(fresh, paths), chosen_id)
        for path in files:
            outcome, _record = adoption.adopt_file(path, require_ours=False)
            if outcome not in ("adopted",):
                quarantined.append(quarantine(paths, path, outcome))
        if keep_annotations:
            kept = _carry_over(fresh.conn, paths.db_path)
        if salvage_from is not None:
            with fresh.lock:
                salvage = salvage_into(fresh.conn, salvage_from, paths.library_dir)
            kept = salvage.annotated
        with fresh.read() as conn:
            images = conn.execute("SELECT count(*) FROM images").fetchone()[0]
            jobs = conn.execute("SELECT count(*) FROM jobs").fetchone()[0]
    except BaseException:
        fresh.close()
        _remove_db_files(new_path)
        raise
    fresh.close()
    crashpoint("rebuild_before_swap")  # crash tests SIGKILL here: the next open removes new_path
    backup = _swap_in(db, paths, new_path, keep_backup=keep_backup)
    return RebuildReport(
        images=images,
        jobs=jobs,
        quarantined=tuple(quarantined),
        annotations_kept=kept,
        backup=backup,
        salvage=salvage,
    )


def _rebuild_candidates(paths: LibraryPaths) -> list[Path]:
    files = []
    for folder in image_folders(paths):
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if not entry.is_file():
                continue
            path = Path(entry.path)
            if path.name.startswith(".tmp-"):
                if is_stale_temp(path):
                    quarantine(paths, path, "incomplete write (temp file)")
                continue
            files.append(path)
    return files


def _library_id_from_files(files: list[Path], current: str) -> str:
    """Keep the id the files were written with, so their job ids are trusted again."""
    ids: Counter[str] = Counter()
    for path in files:
        try:
            doc = read_metadata(path).get("wan27") or {}
        except (PngError, OSError, ValueError):
            continue
        if isinstance(doc.get("library_id"), str):
            ids[doc["library_id"]] += 1
    if not ids or current in ids:
        return current
    return ids.most_common(1)[0][0]


def _swap_in(db: Database, paths: LibraryPaths, new_path: Path, *, keep_backup: bool = True) -> Path | None:
    """Atomically replace the DB file, keeping the old one as the backup; returns its path."""
    with db.lock:
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.close()  # `db` stays open for its stores: `reopen` below
        wal = Path(f"{paths.db_path}-wal")
        if wal.exists() and wal.stat().st_size > 0:  # only without the open lock (Windows): see presence.py
            _refuse_swap(db, new_path)
        backup = None
        if keep_backup:
            backup = old_copy_path(paths, BACKUP_KIND)
            try:
                os.link(paths.db_path, backup)
            except OSError:
                shutil.copy2(paths.db_path, backup)  # no other connection has the file (Database.sole_use)
        try:
            os.replace(new_path, paths.db_path)  # atomic: a crash leaves the old or the new DB, never none
        except PermissionError:  # Windows: another connection has the file open
            if backup is not None:
                backup.unlink(missing_ok=True)
            _refuse_swap(db, new_path)
        Path(f"{paths.db_path}-shm").unlink(missing_ok=True)
        db.reopen()
        migrate(db.conn)
    if backup is not None:
        prune_old_copies(paths, BACKUP_KIND, keep=backup)
    return backup


def _refuse_swap(db: Database, new_path: Path) -> NoReturn:
    db.reopen()
    _remove_db_files(new_path)
    raise LibraryBusy(
        QT_TRANSLATE_NOOP("WanError", "Another program is using the library, so its database cannot be replaced now."),
        code="LibraryInUse",
        hint=QT_TRANSLATE_NOOP("WanError", "Close other Wan 2.7 windows and commands, then rebuild again."),
    )


def old_copy_path(paths: LibraryPaths, kind: str) -> Path:
    base = paths.library_dir / f"{DB_NAME}.{kind}-{stamp()}"
    path, counter = base, 1
    while path.exists():
        counter += 1
        path = base.with_name(f"{base.name}.{counter}")
    return path


def old_copies(paths: LibraryPaths) -> list[Path]:
    """Database copies kept by rebuild and recover (at most one of each kind), oldest first."""
    if not paths.library_dir.is_dir():
        return []
    found = [
        p
        for p in paths.library_dir.iterdir()
        if any(p.name.startswith(f"{DB_NAME}.{kind}-") for kind in OLD_COPY_KINDS)
        and not p.name.endswith(("-wal", "-shm"))
    ]
    return sorted(found, key=lambda p: (re.findall(r"\d{8}-\d{6}", p.name) or [""])[-1] + p.name)


def prune_old_copies(paths: LibraryPaths, kind: str, *, keep: Path) -> list[Path]:
    """Keep one copy of each kind, the latest (`keep`): every rebuild used to keep a full copy."""
    removed = []
    for path in old_copies(paths):
        if path.name.startswith(f"{DB_NAME}.{kind}-") and path != keep:
            _remove_db_files(path)
            removed.append(path)
    return removed


def remove_interrupted(paths: LibraryPaths, leases: Leases) -> list[Path]:
    """At open: the temporary databases of a rebuild (or a first open) that was killed half-way.
    Only when no rebuild runs now (its lock is free) - and a first open's file only once old."""
    if not paths.library_dir.is_dir():
        return []
    candidates = [
        p
        for p in paths.library_dir.iterdir()
        if any(p.name.startswith(f"{DB_NAME}.{kind}-") for kind in _TEMP_KINDS) or p.name.startswith(".salvage-")
    ]
    if not candidates:
        return []
    removed: list[Path] = []
    with leases.idle() as idle:
        if not idle:
            return []
        for path in candidates:
            with contextlib.suppress(OSError):
                if path.name.startswith(f"{DB_NAME}.new-") and time.time() - path.stat().st_mtime < _NEW_DB_STALE_S:
                    continue
                path.unlink()
                removed.append(path)
    if removed:
        log.info("removed %d file(s) of an interrupted rebuild: %s", len(removed), [p.name for p in removed])
    return removed


def _remove_db_files(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _carry_over(conn: sqlite3.Connection, old_db: Path) -> int:
    """Copy what files cannot carry from the old DB. Returns how many images got annotations back."""
    try:
        conn.execute("ATTACH DATABASE ? AS old", (str(old_db),))
    except sqlite3.DatabaseError:
        return 0
    try:
        conn.execute("BEGIN IMMEDIATE")
        kept = 0
        for sha, rating, favourite, trashed, trashed_at in conn.execute(
            "SELECT sha256, rating, favourite, trashed, trashed_at FROM old.images "
            "WHERE rating != 0 OR favourite != 0 OR trashed != 0"
        ).fetchall():
            kept += conn.execute(
                "UPDATE images SET rating = ?, favourite = ?, trashed = ?, trashed_at = ? WHERE sha256 = ?",
                (rating, favourite, trashed, trashed_at, sha),
            ).rowcount
        for sha, name in conn.execute(
            "SELECT i.sha256, t.name FROM old.image_tags it JOIN old.images i ON i.id = it.image_id "
            "JOIN old.tags t ON t.id = it.tag_id"
        ).fetchall():
            conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (name,))
            conn.execute(
                "INSERT OR IGNORE INTO image_tags(image_id, tag_id) SELECT i.id, t.id FROM images i, "
                "tags t WHERE i.sha256 = ? AND t.name = ?",
                (sha, name),
            )
        fields = ", ".join(_JOB_FIELDS)
        conn.execute(f"INSERT OR IGNORE INTO jobs(id, {fields}) SELECT id, {fields} FROM old.jobs")
        conn.execute(
            f"UPDATE jobs SET ({fields}) = (SELECT {fields} FROM old.jobs o WHERE o.id = jobs.id) "
            "WHERE id IN (SELECT id FROM old.jobs)"
        )
        conn.execute(
            "INSERT INTO results(job_id, idx, url, expires_at, status, error, created_at, attempts) "
            "SELECT job_id, idx, url, expires_at, status, error, created_at, attempts FROM old.results WHERE true "
            "ON CONFLICT(job_id, idx) DO UPDATE SET url = excluded.url, expires_at = excluded.expires_at, "
            "attempts = excluded.attempts, "
            "error = excluded.error, status = CASE WHEN results.status = 'downloaded' THEN 'downloaded' "
            "ELSE excluded.status END"
        )
        conn.execute(
            "INSERT OR IGNORE INTO inputs(sha256, path, bytes, created_at) "
            "SELECT sha256, path, bytes, created_at FROM old.inputs"
        )
        conn.execute(
            "INSERT OR IGNORE INTO job_inputs(job_id, position, input_id) "
            "SELECT j.job_id, j.position, n2.id FROM old.job_inputs j JOIN old.inputs n ON n.id = j.input_id "
            "JOIN main.inputs n2 ON n2.sha256 = n.sha256"
        )
        for table in CARRIED_TABLES:  # the same schema on both sides: the old one was migrated on open
            conn.execute(f"INSERT OR IGNORE INTO {table} SELECT * FROM old.{table}")
        conn.execute("COMMIT")
        return kept
    except sqlite3.DatabaseError:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return 0
    finally:
        conn.execute("DETACH DATABASE old")
