"""Inserting one image row: the single place that decides what a duplicate is.

Shared by landing a download (`ImageStore.add`), importing a file and adopting an orphan
(`Maintenance`, `Adoption`), each of which is given the same kind of `Indexer`.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from wan27_desktop.library.db import Database
from wan27_desktop.library.embedding import ImageFacts
from wan27_desktop.library.image_records import ImageRecord
from wan27_desktop.library.paths import LibraryPaths
from wan27_desktop.library.rows import image_by_id, images_where


class Indexer:
    def __init__(self, db: Database, paths: LibraryPaths) -> None:
        self.db = db
        self.paths = paths

    def insert(
        self,
        *,
        path: Path,
        sha: str,
        size: int,
        fmt: str,
        width: int,
        height: int,
        created_at: str,
        job_id: int | None,
        result_id: int | None,
        index: int,
        facts: ImageFacts,
        meta_json: dict[str, Any] | None,
        origin_sha: str | None = None,
        keep_duplicate: bool = False,
    ) -> ImageRecord:
        rel = self.paths.rel_path(path)
        with self.db.write() as conn:
            if job_id is not None:
                clash = images_where(conn, self.paths, "i.job_id = ? AND i.idx = ?", (job_id, int(index)))
                if clash:  # another process landed it first; our copy is a duplicate we just made
                    if clash[0].path != path and not keep_duplicate:
                        path.unlink(missing_ok=True)
                    return clash[0]
                if result_id is None:
                    row = conn.execute(
                        "SELECT id FROM results WHERE job_id = ? AND idx = ?", (job_id, int(index))
                    ).fetchone()
                    result_id = row[0] if row else None
            same_path = images_where(conn, self.paths, "i.path = ?", (rel,))
            if same_path:
                return same_path[0]
            prompt_id = self._prompt_id(conn, facts.prompt)
            cursor = conn.execute(
                "INSERT INTO images(job_id, result_id, idx, path, sha256, origin_sha256, format, width, height, "
                "bytes, created_at, prompt_id, model, mode, seed, size_label, is_set, has_refs, meta_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    result_id,
                    int(index),
                    rel,
                    sha,
                    origin_sha,
                    fmt,
                    width,
                    height,
                    size,
                    created_at,
                    prompt_id,
                    facts.model,
                    facts.mode,
                    facts.seed,
                    facts.size_label,
                    int(facts.is_set),
                    int(facts.has_refs),
                    json.dumps(meta_json, ensure_ascii=False) if meta_json else None,
                ),
            )
            if result_id is not None:
                conn.execute("UPDATE results SET status = 'downloaded', error = NULL WHERE id = ?", (result_id,))
            return image_by_id(conn, self.paths, int(cursor.lastrowid or 0))

    @staticmethod
    def _prompt_id(conn: sqlite3.Connection, prompt: str | None) -> int | None:
        if not prompt:
            return None
        row = conn.execute("SELECT id FROM prompts WHERE text = ?", (prompt,)).fetchone()
        if row:
            return int(row[0])
        return int(conn.execute("INSERT INTO prompts(text) VALUES (?)", (prompt,)).lastrowid or 0)
