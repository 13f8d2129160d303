"""What `library recover` reads back from a damaged database (issue 14): the journal first.

Image files carry their own metadata, so a rebuild restores every image and the job that made it.
What only the database knows is the rest of the journal: unfinished async jobs and their task ids,
result URLs not downloaded yet, failed jobs and their costs, reference-image links; plus ratings,
favourites, tags and the trash. `salvage_into` copies every row of those it can still read.

A damaged page loses only its own rows: a table is read in key order, and when a read fails the
reader seeks past the damage (`WHERE key >= ?` jumps straight to a later page) and carries on.
The damaged file itself is never written to (it is read through a scratch copy, because opening a
WAL database for reading can write to it).
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wan27_desktop.library.rows import JOB_COLUMNS

_JOB_FIELDS = [c.strip() for c in JOB_COLUMNS.split(",")]
_MAX_STEP = 1 << 62


@dataclass(frozen=True)
class SalvageReport:
    jobs: int = 0
    results: int = 0
    input_links: int = 0
    annotated: int = 0
    unreadable: tuple[str, ...] = ()  # tables (or "the database") that could not be read in full

    def __str__(self) -> str:
        text = (
            f"salvaged from the damaged database: {self.jobs} job(s), {self.results} result link(s), "
            f"{self.input_links} reference link(s), ratings/tags/trash of {self.annotated} image(s)"
        )
        if self.unreadable:
            text += f"; partly unreadable: {', '.join(self.unreadable)}"
        return text


def readable_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str], key: str) -> tuple[list[Any], bool]:
    """Every row of `table` that can still be read, in `key` order (an integer: the rowid, or the
    first primary-key column of a WITHOUT ROWID table); and whether the whole table was read."""
    select = f"SELECT {key}, {', '.join(columns)} FROM {table}"
    rows: list[Any] = []
    seen: set[tuple[Any, ...]] = set()
    start: int | None = None
    complete = True
    while True:
        try:
            cursor = conn.execute(
                f"{select} ORDER BY {key}" if start is None else f"{select} WHERE {key} >= ? ORDER BY {key}",
                () if start is None else (start,),
            )
            for row in cursor:
                if row not in seen:  # a restart at the same key repeats the rows already read
                    seen.add(row)
                    rows.append(row[1:])
                start = row[0]
            return rows, complete
        except sqlite3.DatabaseError:
            complete = False
            start = _next_readable(conn, table, key, start)
            if start is None:
                return rows, complete


def _next_readable(conn: sqlite3.Connection, table: str, key: str, after: int | None) -> int | None:
    """The smallest key past `after` (the last key read) from which reading works again, skipping
    a damaged stretch; None when nothing readable follows."""
    base = after if after is not None else 0
    failed, step = base, 1
    while True:  # gallop until a seek lands beyond the damage...
        candidate = base + step
        if _probe(conn, table, key, candidate) is not None:
            break
        failed = candidate
        if step >= _MAX_STEP:
            return None
        step *= 2
    low, high = failed + 1, candidate  # ...then narrow down to where it ends
    while low < high:
        middle = (low + high) // 2
        if _probe(conn, table, key, middle) is None:
            low = middle + 1
        else:
            high = middle
    return None if _probe(conn, table, key, high) == "end" else high


def _probe(conn: sqlite3.Connection, table: str, key: str, at: int) -> str | None:
    """'row' or 'end' when a read from key `at` works, None when it hits the damage."""
    try:
        row = conn.execute(f"SELECT {key} FROM {table} WHERE {key} >= ? ORDER BY {key} LIMIT 1", (at,)).fetchone()
    except (sqlite3.DatabaseError, OverflowError):
        return None
    return "row" if row is not None else "end"


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return []


def salvage_into(fresh: sqlite3.Connection, damaged: Path, scratch_dir: Path) -> SalvageReport:
    """Copy the journal and the annotations readable in `damaged` into `fresh` (a rebuilt index,
    which already holds every job that has an image file). One transaction on `fresh`."""
    scratch = scratch_dir / f".salvage-{uuid.uuid4().hex[:8]}.sqlite3"
    try:
        try:
            shutil.copyfile(damaged, scratch)
            wal = Path(f"{damaged}-wal")
            if wal.exists():
                shutil.copyfile(wal, Path(f"{scratch}-wal"))
            old = sqlite3.connect(str(scratch), isolation_level=None)
        except (OSError, sqlite3.Error):
            return SalvageReport(unreadable=("the database",))
        try:
            return _salvage(fresh, old)
        finally:
            old.close()
    finally:
        for path in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
            with contextlib.suppress(OSError):
                path.unlink()


def _read(
    old: sqlite3.Connection, table: str, wanted: Sequence[str], key: str, unreadable: list[str]
) -> list[dict[str, Any]]:
    present = _columns(old, table)
    if not present:
        unreadable.append(table)
        return []
    columns = [c for c in wanted if c in present]
    rows, complete = readable_rows(old, table, columns, key)
    if not complete:
        unreadable.append(table)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _salvage(fresh: sqlite3.Connection, old: sqlite3.Connection) -> SalvageReport:
    unreadable: list[str] = []
    jobs = _read(old, "jobs", list(dict.fromkeys([*_JOB_FIELDS, "error_values"])), "id", unreadable)
    inputs = _read(old, "inputs", ["id", "sha256", "path", "bytes", "created_at"], "id", unreadable)
    links = _read(old, "job_inputs", ["job_id", "position", "input_id"], "job_id", unreadable)
    results = _read(
        old,
        "results",
        ["job_id", "idx", "url", "expires_at", "status", "error", "created_at", "attempts"],
        "id",
        unreadable,
    )
    images = _read(old, "images", ["id", "sha256", "rating", "favourite", "trashed", "trashed_at"], "id", unreadable)
    tags = _read(old, "tags", ["id", "name"], "id", unreadable)
    image_tags = _read(old, "image_tags", ["image_id", "tag_id"], "image_id", unreadable)
    kept_whole = {
        table: _read(old, table, _columns(fresh, table), key, unreadable)
        for table, key in (("batches", "id"), ("batch_rows", "batch_id"), ("spend_limits", "rowid"))
        if _columns(fresh, table)
    }

    fresh_columns = set(_columns(fresh, "jobs"))
    fresh.execute("BEGIN IMMEDIATE")
    try:
        kept_jobs = 0
        for job in jobs:
            row = {k: v for k, v in job.items() if k in fresh_columns}
            if not isinstance(row.get("id"), int) or row.get("state") is None or row.get("request_json") is None:
                continue
            names = list(row)
            fresh.execute(
                f"INSERT OR IGNORE INTO jobs({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [row[n] for n in names],
            )
            # The journal knows more than a file does (state, task id, errors): it wins.
            others = [n for n in names if n != "id"]
            fresh.execute(
                f"UPDATE jobs SET {', '.join(f'{n} = ?' for n in others)} WHERE id = ?",
                [*(row[n] for n in others), row["id"]],
            )
            kept_jobs += 1
        job_ids = {r[0] for r in fresh.execute("SELECT id FROM jobs")}

        sha_of_input = {}
        for item in inputs:
            if not item.get("sha256") or not item.get("path"):
                continue
            sha_of_input[item["id"]] = item["sha256"]
            fresh.execute(
                "INSERT OR IGNORE INTO inputs(sha256, path, bytes, created_at) VALUES (?, ?, ?, ?)",
                (item["sha256"], item["path"], item.get("bytes") or 0, item.get("created_at") or ""),
            )
        linked = 0
        for link in links:
            sha = sha_of_input.get(link["input_id"])
            if sha is None or link["job_id"] not in job_ids:
                continue
            linked += fresh.execute(
                "INSERT OR IGNORE INTO job_inputs(job_id, position, input_id) "
                "SELECT ?, ?, id FROM inputs WHERE sha256 = ?",
                (link["job_id"], link["position"], sha),
            ).rowcount

        kept_results = 0
        for result in results:
            if result["job_id"] not in job_ids or result.get("url") is None:
                continue
            fresh.execute(
                "INSERT INTO results(job_id, idx, url, expires_at, status, error, created_at, attempts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(job_id, idx) DO UPDATE SET url = excluded.url, "
                "expires_at = excluded.expires_at, error = excluded.error, attempts = excluded.attempts, "
                "status = CASE WHEN results.status = 'downloaded' THEN 'downloaded' ELSE excluded.status END",
                (
                    result["job_id"],
                    result["idx"],
                    result["url"],
                    result.get("expires_at"),
                    result.get("status") or "pending",
                    result.get("error"),
                    result.get("created_at") or "",
                    result.get("attempts") or 0,
                ),
            )
            kept_results += 1
        # A result the old journal called downloaded whose image is not among the files: fetch it again.
        fresh.execute(
            "UPDATE results SET status = 'pending' WHERE status = 'downloaded' AND NOT EXISTS "
            "(SELECT 1 FROM images i WHERE i.job_id = results.job_id AND i.idx = results.idx)"
        )

        annotated = 0
        sha_of_image = {}
        for image in images:
            sha_of_image[image["id"]] = image.get("sha256")
            if not (image.get("rating") or image.get("favourite") or image.get("trashed")):
                continue
            annotated += fresh.execute(
                "UPDATE images SET rating = ?, favourite = ?, trashed = ?, trashed_at = ? WHERE sha256 = ?",
                (
                    image.get("rating") or 0,
                    image.get("favourite") or 0,
                    image.get("trashed") or 0,
                    image.get("trashed_at"),
                    image.get("sha256"),
                ),
            ).rowcount
        name_of_tag = {tag["id"]: tag["name"] for tag in tags if tag.get("name")}
        for pair in image_tags:
            sha, name = sha_of_image.get(pair["image_id"]), name_of_tag.get(pair["tag_id"])
            if not sha or not name:
                continue
            fresh.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (name,))
            fresh.execute(
                "INSERT OR IGNORE INTO image_tags(image_id, tag_id) SELECT i.id, t.id FROM images i, tags t "
                "WHERE i.sha256 = ? AND t.name = ?",
                (sha, name),
            )
        batch_ids = {row["id"] for row in kept_whole.get("batches", [])}
        for table, rows in kept_whole.items():
            for row in rows:
                if table == "batch_rows":
                    if row.get("batch_id") not in batch_ids:
                        continue
                    if row.get("job_id") not in job_ids:
                        row = {**row, "job_id": None}  # its job's row was lost: the batch row stays
                names = list(row)
                fresh.execute(
                    f"INSERT OR IGNORE INTO {table}({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                    [row[n] for n in names],
                )
        fresh.execute("COMMIT")
    except BaseException:
        if fresh.in_transaction:
            fresh.execute("ROLLBACK")
        raise
    return SalvageReport(
        jobs=kept_jobs,
        results=kept_results,
        input_links=linked,
        annotated=annotated,
        unreadable=tuple(dict.fromkeys(unreadable)),
    )
