"""Rebuilding the index from the image files' embedded metadata alone, into a fresh DB, then a swap.

The files are the truth for images, their prompts, parameters and jobs. When the old database is
still readable (`rebuild()` on a healthy library) it also gives back what files cannot carry:
ratings, favourites, tags, trash state, and journal rows of jobs without images (failed, unfinished).
`Library.recover` (a corrupt database) moves the bad file aside and rebuilds from files only.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.library.adoption import Adoption, image_folders, is_stale_temp, quarantine
from wan27_desktop.library.db import Database
from wan27_desktop.library.errors import LibraryError
from wan27_desktop.library.indexing import Indexer
from wan27_desktop.library.paths import DB_NAME, LibraryPaths
from wan27_desktop.library.pngmeta import PngError, read_metadata
from wan27_desktop.library.records import RebuildReport
from wan27_desktop.library.rows import JOB_COLUMNS
from wan27_desktop.library.schema import migrate

_JOB_FIELDS = [c.strip() for c in JOB_COLUMNS.split(",") if c.strip() != "id"]


def stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def rebuild_index(db: Database, paths: LibraryPaths, library_id: str, *, keep_annotations: bool) -> RebuildReport:
    """Re-index every image file into a fresh database, then swap it in for `db`'s file (every
    store holding `db` sees the new one). Needs no other program using the library."""
    new_path = paths.library_dir / f"{DB_NAME}.rebuild-{uuid.uuid4().hex[:8]}"
    files = _rebuild_candidates(paths)
    chosen_id = _library_id_from_files(files, library_id)
    fresh = Database(new_path)
    quarantined: list[Path] = []
    kept = 0
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
        with fresh.read() as conn:
            images = conn.execute("SELECT count(*) FROM images").fetchone()[0]
            jobs = conn.execute("SELECT count(*) FROM jobs").fetchone()[0]
    finally:
        fresh.close()
    backup = _swap_in(db, paths, new_path)
    return RebuildReport(images=images, jobs=jobs, quarantined=tuple(quarantined), annotations_kept=kept, backup=backup)


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


def _swap_in(db: Database, paths: LibraryPaths, new_path: Path) -> Path:
    """Atomically replace the DB file, keeping the old one as a backup; returns the backup path."""
    with db.lock:
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        wal = Path(f"{paths.db_path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            db.reopen()
            raise LibraryError(
                "Another program is using the library, so it cannot be swapped now.",
                hint=QT_TRANSLATE_NOOP("WanError", "Close other Wan 2.7 windows and commands, then rebuild again."),
            )
        backup = paths.library_dir / f"{DB_NAME}.before-rebuild-{stamp()}"
        try:
            os.link(paths.db_path, backup)
        except OSError:
            shutil.copy2(paths.db_path, backup)
        os.replace(new_path, paths.db_path)  # atomic: a crash leaves the old or the new DB, never none
        Path(f"{paths.db_path}-shm").unlink(missing_ok=True)
        db.reopen()
        migrate(db.conn)
    return backup


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
            "INSERT INTO results(job_id, idx, url, expires_at, status, error, created_at) "
            "SELECT job_id, idx, url, expires_at, status, error, created_at FROM old.results WHERE true "
            "ON CONFLICT(job_id, idx) DO UPDATE SET url = excluded.url, expires_at = excluded.expires_at, "
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
        conn.execute("COMMIT")
        return kept
    except sqlite3.DatabaseError:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return 0
    finally:
        conn.execute("DETACH DATABASE old")
