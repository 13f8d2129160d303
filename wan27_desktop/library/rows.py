"""How records are stored in and read back from rows: the column lists and the row -> record
decoders (the timestamp format: times.py). Plain functions every store calls, so no store inherits another's state."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from wan27_desktop.library.errors import NotFound
from wan27_desktop.library.image_records import ImageRecord
from wan27_desktop.library.job_records import JobRecord, ResultRecord
from wan27_desktop.library.paths import LibraryPaths
from wan27_desktop.library.records import JobState

IMAGE_COLUMNS = (
    "i.id, i.job_id, i.idx, i.path, i.sha256, i.width, i.height, i.bytes, i.created_at, i.rating, "
    "i.favourite, i.trashed_at, p.text, i.model, i.mode, i.seed, i.size_label, i.is_set, "
    "i.has_refs, i.result_id, i.missing"
)
IMAGE_FROM = "images i LEFT JOIN prompts p ON p.id = i.prompt_id"

JOB_COLUMNS = (
    "id, state, model, request_mode, region, endpoint, n, estimated_cost, cost, task_id, request_id, "
    "server_status, error_code, error_message, error_hint, usage_json, request_json, created_at, "
    "updated_at, finished_at, error_values, sent_at"
)

RESULT_COLUMNS = (
    "r.id, r.job_id, r.idx, r.url, r.expires_at, r.status, r.error, r.created_at, "
    "(SELECT i.id FROM images i WHERE i.job_id = r.job_id AND i.idx = r.idx), r.attempts"
)


# -- images ---------------------------------------------------------------------------------------
def image_from_row(paths: LibraryPaths, row: sqlite3.Row | tuple[Any, ...]) -> ImageRecord:
    """A row of IMAGE_COLUMNS -> its record."""
    return ImageRecord(
        id=row[0],
        job_id=row[1],
        index=row[2],
        path=paths.abs_path(row[3]),
        sha256=row[4],
        width=row[5],
        height=row[6],
        bytes=row[7],
        created_at=row[8],
        rating=row[9],
        favourite=bool(row[10]),
        trashed_at=row[11],
        prompt=row[12],
        model=row[13],
        mode=row[14],
        seed=row[15],
        size_label=row[16],
        is_set=bool(row[17]),
        has_refs=bool(row[18]),
        result_id=row[19],
        missing=bool(row[20]),
    )


def images_where(
    conn: sqlite3.Connection, paths: LibraryPaths, where: str, params: tuple[Any, ...] = (), order: str = "i.id"
) -> list[ImageRecord]:
    rows = conn.execute(f"SELECT {IMAGE_COLUMNS} FROM {IMAGE_FROM} WHERE {where} ORDER BY {order}", params)
    return [image_from_row(paths, row) for row in rows]


def image_by_id(conn: sqlite3.Connection, paths: LibraryPaths, image_id: int) -> ImageRecord:
    found = images_where(conn, paths, "i.id = ?", (image_id,))
    if not found:
        raise NotFound(f"Image {image_id} is not in the library.")
    return found[0]


def chunks(values: list[int], size: int = 500) -> Iterable[list[int]]:
    """`values` in pieces that fit SQLite's limit on bound variables."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


# -- jobs and results -----------------------------------------------------------------------------
def job_from_row(conn: sqlite3.Connection, paths: LibraryPaths, row: tuple[Any, ...]) -> JobRecord:
    """A row of JOB_COLUMNS -> its record (the job's inputs are read with `conn`)."""
    inputs = tuple(
        str(paths.abs_path(p))
        for (p,) in conn.execute(
            "SELECT n.path FROM job_inputs j JOIN inputs n ON n.id = j.input_id WHERE j.job_id = ? ORDER BY j.position",
            (row[0],),
        )
    )
    return JobRecord(
        id=row[0],
        state=JobState(row[1]),
        model=row[2],
        request_mode=row[3],
        region=row[4],
        endpoint=row[5],
        n=row[6],
        estimated_cost=row[7],
        cost=row[8],
        task_id=row[9],
        request_id=row[10],
        server_status=row[11],
        error_code=row[12],
        error_message=row[13],
        error_hint=row[14],
        usage=json.loads(row[15]) if row[15] else None,
        request_json=json.loads(row[16]),
        created_at=row[17],
        updated_at=row[18],
        finished_at=row[19],
        inputs=inputs,
        sent_at=row[21],
        **_error_text(row[20]),
    )


def _error_text(stored: str | None) -> dict[str, Any]:
    """`error_template` and `error_values` from the jobs.error_values column; nothing if absent or unreadable
    (the English `error_message` is always there to fall back on)."""
    if not stored:
        return {}
    try:
        data = json.loads(stored)
        template, values = data["template"], data["values"]
    except (ValueError, TypeError, KeyError):
        return {}
    if not isinstance(template, str) or not isinstance(values, dict):
        return {}
    return {"error_template": template, "error_values": values}


def result_from_row(row: tuple[Any, ...]) -> ResultRecord:
    """A row of RESULT_COLUMNS -> its record."""
    return ResultRecord(
        id=row[0],
        job_id=row[1],
        index=row[2],
        url=row[3],
        expires_at=row[4],
        status=row[5],
        error=row[6],
        created_at=row[7],
        image_id=row[8],
        attempts=row[9],
    )
