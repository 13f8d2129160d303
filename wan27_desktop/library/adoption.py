"""Taking files into the index: orphans after a crash, a rebuild from files, and quarantine.

`Adoption` works over whichever database it is given: the live one (reconcile) or the fresh one a
rebuild fills. Quarantine and the folder walk touch only files, so they are plain functions.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from wan27_desktop.library.db import Database
from wan27_desktop.library.embedding import facts_of_metadata
from wan27_desktop.library.image_records import ImageRecord
from wan27_desktop.library.imagefiles import TEMP_PREFIX, image_size, sha256_of
from wan27_desktop.library.indexing import Indexer
from wan27_desktop.library.paths import LibraryPaths
from wan27_desktop.library.pngmeta import PngError, read_metadata
from wan27_desktop.library.records import JobState
from wan27_desktop.library.times import normalise_time, utc_now
from wan27_desktop.private_files import FILE_MODE, make_dirs

STALE_TEMP_S = 15 * 60  # a temp file this old is not being written by anyone any more


def quarantine(paths: LibraryPaths, path: Path, reason: str) -> Path:
    """Move a file we cannot index out of the library's folders (never delete), with a log line."""
    make_dirs(paths.quarantine_dir)
    target = paths.quarantine_dir / path.name
    counter = 1
    while target.exists():
        target = paths.quarantine_dir / f"{path.stem}.{counter}{path.suffix}"
        counter += 1
    shutil.move(str(path), target)
    log_path = paths.quarantine_dir / "quarantine.log"
    with os.fdopen(os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE), "a", encoding="utf-8") as log:
        log.write(f"{utc_now()}\t{reason}\t{path}\t{target.name}\n")
    return target


def is_stale_temp(path: Path) -> bool:
    if not path.name.startswith(TEMP_PREFIX):
        return False
    try:
        return time.time() - path.stat().st_mtime > STALE_TEMP_S
    except OSError:
        return False


def image_folders(paths: LibraryPaths) -> list[Path]:
    """Every images/YYYY/MM/DD folder (and any other folder under images/)."""
    if not paths.images_dir.is_dir():
        return []
    return sorted({Path(root) for root, _dirs, _files in os.walk(paths.images_dir)})


class Adoption:
    def __init__(self, db: Database, paths: LibraryPaths, indexer: Indexer, library_id: str) -> None:
        self.db = db
        self.paths = paths
        self.library_id = library_id
        self._indexer = indexer

    def adopt_file(self, path: Path, *, require_ours: bool) -> tuple[str, ImageRecord | None]:
        """Index a file already inside images/. Returns ('adopted'|'duplicate'|'unknown'|'unreadable', record).

        Our JSON links the file to its job and result index when it was written by this library
        (`library_id` matches), so an orphan left by a crash lands in the right slot exactly once.
        Files without our metadata are 'unknown' when `require_ours`, else adopted as plain images.
        """
        try:
            meta = read_metadata(path)
            width, height = image_size(path, meta["format"])
        except (PngError, OSError, ValueError) as err:
            return f"unreadable: {err}", None
        found = meta.get("wan27")
        if found is None and require_ours:
            return "unknown", None
        doc: dict[str, Any] = found or {}
        facts = facts_of_metadata(meta)
        created_at = normalise_time(str(doc.get("created_at") or "")) or datetime.fromtimestamp(
            path.stat().st_mtime, timezone.utc
        ).isoformat(timespec="microseconds")
        ours = doc.get("library_id") == self.library_id
        job_id = int(doc["job_id"]) if ours and isinstance(doc.get("job_id"), int) else None
        index = int(doc["index"]) if isinstance(doc.get("index"), int) else 0
        if job_id is not None:
            self._ensure_job(job_id, doc)
        record = self._indexer.insert(
            path=path,
            sha=sha256_of(path),
            size=path.stat().st_size,
            fmt=meta["format"],
            width=width,
            height=height,
            created_at=created_at,
            job_id=job_id,
            result_id=None,
            index=index,
            facts=facts,
            meta_json=None if job_id is not None else (found or _foreign_doc(meta)),
            keep_duplicate=True,
        )
        if record.path != path:
            return "duplicate", record
        return "adopted", record

    def _ensure_job(self, job_id: int, doc: dict[str, Any]) -> None:
        """Recreate a job row (and its result slot and inputs) from an image's document if needed."""
        now = utc_now()
        request = doc.get("request") or {}
        created = normalise_time(str(doc.get("job_created_at") or doc.get("created_at") or "")) or now
        with self.db.write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO jobs(id, state, model, request_mode, region, endpoint, n, estimated_cost, "
                "cost, task_id, request_id, usage_json, request_json, created_at, updated_at, finished_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    JobState.DONE.value,
                    str(doc.get("model") or ""),
                    str(doc.get("request_mode") or "sync"),
                    str(doc.get("region") or ""),
                    str(doc.get("endpoint") or ""),
                    int(doc.get("n") or (request.get("parameters") or {}).get("n") or 1),
                    str(doc.get("estimated_cost") or "0"),
                    doc.get("cost"),
                    doc.get("task_id"),
                    doc.get("request_id"),
                    json.dumps(doc["usage"]) if doc.get("usage") else None,
                    json.dumps(request, ensure_ascii=False),
                    created,
                    now,
                    now,
                ),
            )
            conn.execute(
                "INSERT OR IGNORE INTO results(job_id, idx, url, status, created_at) "
                "VALUES (?, ?, '', 'downloaded', ?)",
                (job_id, int(doc.get("index", 0)), now),
            )
            linked = conn.execute("SELECT count(*) FROM job_inputs WHERE job_id = ?", (job_id,)).fetchone()[0]
            if linked:
                return
            for position, sha in enumerate(doc.get("inputs") or []):
                found = _input_file(self.paths.inputs_dir, str(sha))
                if found is None:
                    continue
                conn.execute(
                    "INSERT OR IGNORE INTO inputs(sha256, path, bytes, created_at) VALUES (?, ?, ?, ?)",
                    (sha, self.paths.rel_path(found), found.stat().st_size, now),
                )
                conn.execute(
                    "INSERT OR IGNORE INTO job_inputs(job_id, position, input_id) "
                    "SELECT ?, ?, id FROM inputs WHERE sha256 = ?",
                    (job_id, position, sha),
                )


def _input_file(inputs_dir: Path, sha: str) -> Path | None:
    if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):
        return None
    folder = inputs_dir / sha[:2]
    matches = sorted(folder.glob(f"{sha}.*")) if folder.is_dir() else []
    return matches[0] if matches else None


def _foreign_doc(meta: dict[str, Any]) -> dict[str, Any] | None:
    parsed = meta.get("parameters")
    if parsed:
        return {"parameters": meta.get("text", {}).get("parameters"), "prompt": parsed.get("prompt")}
    return None
