"""Batches in the journal (issue 17): a batch, its rows, and which job each row became.

A row is journaled with its whole request when the batch is made, before anything is sent; it
becomes a normal job at its turn, and the job and the row's link to it are written in ONE
transaction (`link_row`, run inside `JobStore.create_job`), so a crash can never leave a row with
two jobs or a job without its row. A row that has a job is never given another one: that is what
"resuming never resubmits a created row" rests on.

One process at a time runs a batch: it holds the batch's lease (`owner`, a process token whose
liveness the caller checks, see budget.py), so two processes resuming the same batch cannot both
send its rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wan27_desktop.library.db import Database
from wan27_desktop.library.errors import NotFound
from wan27_desktop.library.jobstore import cost_from_usage, decimal_or_zero
from wan27_desktop.library.records import JobState
from wan27_desktop.library.times import utc_now

# Batch states. "running": rows are being sent (or will be on resume); "paused": the user paused
# it, or the process running it ended (in-flight rows still finish); "canceled": no further row is
# sent; "finished": every row has ended.
RUNNING, PAUSED, CANCELED, FINISHED = "running", "paused", "canceled", "finished"
BATCH_STATES = (RUNNING, PAUSED, CANCELED, FINISHED)
KINDS = ("images", "list", "matrix")

# Row states in batch_rows: "pending" (no job yet), "job" (see the job's own state), "canceled"
# (the batch was canceled before the row's turn: never sent), "failed" (refused locally at its
# turn, e.g. its reference image was unreadable: never sent).
ROW_PENDING, ROW_JOB, ROW_CANCELED, ROW_FAILED = "pending", "job", "canceled", "failed"


class RowTaken(Exception):
    """The row already has a job (another runner took it first): the new job must not exist."""


@dataclass(frozen=True)
class NewRow:
    position: int
    request_json: dict[str, Any]
    line: int | None = None
    labels: dict[str, str] | None = None


@dataclass(frozen=True)
class BatchRecord:
    id: int
    name: str
    kind: str
    source: str
    request_mode: str
    region: str
    endpoint: str
    state: str
    axes: tuple[tuple[str, tuple[str, ...]], ...]
    estimated_cost: str
    owner: str | None
    created_at: str
    updated_at: str
    finished_at: str | None


@dataclass(frozen=True)
class BatchRow:
    batch_id: int
    position: int
    line: int | None
    request_json: dict[str, Any]
    labels: dict[str, str]
    row_state: str
    job_id: int | None
    error: str | None
    job_state: JobState | None = None
    cost: Decimal = Decimal(0)
    estimated_cost: Decimal = Decimal(0)
    job_error_code: str | None = None  # its job's (a lost create answer waiting for its task: AnswerLost)
    job_error: str | None = None

    @property
    def status(self) -> str:
        """What the progress counts it as: queued, running, done, failed or canceled."""
        return row_status(self.row_state, self.job_state)


@dataclass(frozen=True)
class BatchCounts:
    """A batch's progress, counted from the journal."""

    total: int = 0
    queued: int = 0
    running: int = 0
    done: int = 0
    failed: int = 0
    canceled: int = 0
    spent: Decimal = Decimal(0)
    estimated_left: Decimal = Decimal(0)
    by_state: dict[str, int] = field(default_factory=dict)

    @property
    def finished(self) -> int:
        return self.done + self.failed + self.canceled

    @property
    def all_ended(self) -> bool:
        return self.total > 0 and self.finished == self.total


def row_status(row_state: str, job_state: JobState | None) -> str:
    if row_state == ROW_PENDING:
        return "queued"
    if row_state in (ROW_CANCELED, ROW_FAILED):
        return "canceled" if row_state == ROW_CANCELED else "failed"
    if job_state is None:  # the job was deleted from the journal: nothing more will happen
        return "failed"
    if job_state is JobState.QUEUED:
        return "queued"
    if job_state in (JobState.DONE, JobState.PARTIAL):
        return "done"
    if job_state is JobState.CANCELED:
        return "canceled"
    if job_state.is_terminal:
        return "failed"
    return "running"


_ROW_SELECT = (
    "SELECT r.batch_id, r.position, r.line, r.request_json, r.labels_json, r.state, r.job_id, r.error, "
    "j.state, j.cost, j.usage_json, j.region, j.model, j.estimated_cost, j.error_code, j.error_message "
    "FROM batch_rows r LEFT JOIN jobs j ON j.id = r.job_id"
)
_COUNT_SELECT = (
    "SELECT r.state, j.state, j.cost, j.usage_json, j.model, j.estimated_cost, "
    "CASE WHEN r.job_id IS NULL THEN json_extract(r.request_json, '$.model') END, "
    "CASE WHEN r.job_id IS NULL THEN coalesce(json_extract(r.request_json, '$.parameters.n'), 1) END "
    "FROM batch_rows r LEFT JOIN jobs j ON j.id = r.job_id WHERE r.batch_id = ?"
)
_COUNT_SELECT_PLAIN = (
    "SELECT r.state, j.state, j.cost, j.usage_json, j.model, j.estimated_cost, "
    "CASE WHEN r.job_id IS NULL THEN r.request_json END "
    "FROM batch_rows r LEFT JOIN jobs j ON j.id = r.job_id WHERE r.batch_id = ?"
)
_BATCH_COLUMNS = (
    "id, name, kind, source, request_mode, region, endpoint, state, axes_json, estimated_cost, owner, "
    "created_at, updated_at, finished_at"
)


class BatchStore:
    """The batch tables of one library database. Every method is one committed transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- batches ----------------------------------------------------------------------------------
    def create_batch(
        self,
        *,
        name: str,
        kind: str,
        source: str,
        request_mode: str,
        region: str,
        endpoint: str,
        rows: Sequence[NewRow],
        estimated_cost: str,
        axes: Sequence[tuple[str, Sequence[str]]] = (),
        state: str = RUNNING,
    ) -> int:
        """Journal a batch and every row's request at once (nothing is sent yet)."""
        if kind not in KINDS:
            raise ValueError(f"unknown batch kind {kind!r}")
        now = utc_now()
        axes_json = json.dumps([[axis, list(values)] for axis, values in axes], ensure_ascii=False) if axes else None
        with self.db.write() as conn:
            cursor = conn.execute(
                f"INSERT INTO batches({_BATCH_COLUMNS.replace('id, ', '', 1)}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL)",
                (name, kind, source, request_mode, region, endpoint, state, axes_json, estimated_cost, now, now),
            )
            batch_id = int(cursor.lastrowid or 0)
            conn.executemany(
                "INSERT INTO batch_rows(batch_id, position, line, request_json, labels_json) VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        batch_id,
                        row.position,
                        row.line,
                        json.dumps(row.request_json, ensure_ascii=False),
                        json.dumps(row.labels, ensure_ascii=False) if row.labels else None,
                    )
                    for row in rows
                ],
            )
        return batch_id

    def get_batch(self, batch_id: int) -> BatchRecord:
        with self.db.read() as conn:
            row = conn.execute(f"SELECT {_BATCH_COLUMNS} FROM batches WHERE id = ?", (batch_id,)).fetchone()
        if row is None:
            raise NotFound(f"Batch {batch_id} is not in the journal.")
        return _batch_from_row(row)

    def list_batches(self, limit: int = 100) -> list[BatchRecord]:
        with self.db.read() as conn:
            rows = conn.execute(f"SELECT {_BATCH_COLUMNS} FROM batches ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_batch_from_row(row) for row in rows]

    def with_counts(self, limit: int = 100) -> list[tuple[BatchRecord, BatchCounts]]:
        """The newest `limit` batches with their progress and spend (Jobs ▸ Batches…, the gallery's
        Batch filter)."""
        return [(batch, self.counts(batch.id)) for batch in self.list_batches(limit)]

    def set_state(self, batch_id: int, state: str) -> None:
        if state not in BATCH_STATES:
            raise ValueError(f"unknown batch state {state!r}")
        now = utc_now()
        with self.db.write() as conn:
            found = conn.execute(
                "UPDATE batches SET state = ?, updated_at = ?, finished_at = ? WHERE id = ?",
                (state, now, now if state == FINISHED else None, batch_id),
            ).rowcount
        if not found:
            raise NotFound(f"Batch {batch_id} is not in the journal.")

    # -- rows -------------------------------------------------------------------------------------
    def rows(self, batch_id: int, *, requests: bool = True) -> list[BatchRow]:
        """Every row in order, with its job's state and cost. `requests=False` leaves each row's
        request out (empty): enough to follow progress, and much cheaper to read often."""
        select = _ROW_SELECT if requests else _ROW_SELECT.replace("r.request_json", "'{}'", 1)
        with self.db.read() as conn:
            found = conn.execute(f"{select} WHERE r.batch_id = ? ORDER BY r.position", (batch_id,)).fetchall()
        return [_row_from(row) for row in found]

    def row(self, batch_id: int, position: int) -> BatchRow:
        with self.db.read() as conn:
            found = conn.execute(
                f"{_ROW_SELECT} WHERE r.batch_id = ? AND r.position = ?", (batch_id, position)
            ).fetchone()
        if found is None:
            raise NotFound(f"Batch {batch_id} has no row {position}.")
        return _row_from(found)

    def link_row(self, batch_id: int, position: int) -> Callable[[sqlite3.Connection, int], None]:
        """The statement that makes a new job this row's, for `create_job(on_insert=...)`: run in
        the job's own transaction. Raises RowTaken (rolling the job back) if the row has a job."""

        def link(conn: sqlite3.Connection, job_id: int) -> None:
            updated = conn.execute(
                "UPDATE batch_rows SET job_id = ?, state = ? WHERE batch_id = ? AND position = ? AND job_id IS NULL "
                "AND state = ?",
                (job_id, ROW_JOB, batch_id, position, ROW_PENDING),
            ).rowcount
            if not updated:
                raise RowTaken(f"row {position} of batch {batch_id} is not pending")

        return link

    def end_row(self, batch_id: int, position: int, state: str, error: str | None = None) -> bool:
        """A pending row that will never be sent: canceled, or refused locally. False if the row is
        no longer pending (it has a job)."""
        if state not in (ROW_CANCELED, ROW_FAILED):
            raise ValueError(f"a row ends canceled or failed, not {state!r}")
        with self.db.write() as conn:
            return bool(
                conn.execute(
                    "UPDATE batch_rows SET state = ?, error = ? WHERE batch_id = ? AND position = ? AND state = ?",
                    (state, error, batch_id, position, ROW_PENDING),
                ).rowcount
            )

    def cancel_pending(self, batch_id: int, reason: str) -> int:
        """Cancel every row not yet sent (pending); returns how many. Rows with a job keep theirs."""
        with self.db.write() as conn:
            return int(
                conn.execute(
                    "UPDATE batch_rows SET state = ?, error = ? WHERE batch_id = ? AND state = ?",
                    (ROW_CANCELED, reason, batch_id, ROW_PENDING),
                ).rowcount
            )

    def counts(self, batch_id: int) -> BatchCounts:
        """The batch's progress. Cheap enough to ask after every event: one query, and a row's
        request is read (model and n, by SQLite's JSON functions) only while it has no job."""
        region = self.get_batch(batch_id).region
        with self.db.read() as conn:
            try:
                found = conn.execute(_COUNT_SELECT, (batch_id,)).fetchall()
            except sqlite3.OperationalError:  # an SQLite without JSON functions
                found = [
                    (*row[:6], request.get("model"), request.get("parameters", {}).get("n", 1))
                    for row in conn.execute(_COUNT_SELECT_PLAIN, (batch_id,))
                    for request in [json.loads(row[6]) if row[6] else {}]
                ]
        tally = {"queued": 0, "running": 0, "done": 0, "failed": 0, "canceled": 0}
        by_state: dict[str, int] = {}
        spent = left = Decimal(0)
        prices: dict[tuple[Any, Any], Decimal] = {}
        for row_state, job_state_text, cost, usage_json, model, estimated, row_model, row_n in found:
            job_state = JobState(job_state_text) if job_state_text else None
            status = row_status(row_state, job_state)
            tally[status] += 1
            key = job_state.value if job_state is not None else row_state
            by_state[key] = by_state.get(key, 0) + 1
            if cost is None and usage_json:
                cost = cost_from_usage(region, model, json.loads(usage_json))
            amount = decimal_or_zero(cost)
            spent += amount
            if status in ("queued", "running") and not amount:
                if job_state is not None:
                    left += decimal_or_zero(estimated)
                else:
                    if (row_model, row_n) not in prices:
                        prices[(row_model, row_n)] = estimate_of(
                            region, {"model": row_model, "parameters": {"n": row_n}}
                        )
                    left += prices[(row_model, row_n)]
        return BatchCounts(total=len(found), spent=spent, estimated_left=left, by_state=by_state, **tally)

    # -- membership -------------------------------------------------------------------------------
    def member_job_ids(self, job_ids: Iterable[int] | None = None) -> set[int]:
        """Which of `job_ids` (default: all jobs) belong to a batch: those the batch runner owns."""
        if job_ids is None:
            with self.db.read() as conn:
                return {r[0] for r in conn.execute("SELECT job_id FROM batch_rows WHERE job_id IS NOT NULL")}
        return set(self.batch_ids(job_ids))

    def batch_ids(self, job_ids: Iterable[int]) -> dict[int, int]:
        """The batch of each of `job_ids` that belongs to one (job id -> batch id)."""
        ids = [int(i) for i in job_ids]
        found: dict[int, int] = {}
        with self.db.read() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(
                    (int(r[0]), int(r[1]))
                    for r in conn.execute(f"SELECT job_id, batch_id FROM batch_rows WHERE job_id IN ({marks})", chunk)
                )
        return found

    def batch_of_job(self, job_id: int) -> tuple[int, int] | None:
        """(batch id, row position) of a job, or None for a job outside batches."""
        with self.db.read() as conn:
            row = conn.execute("SELECT batch_id, position FROM batch_rows WHERE job_id = ?", (job_id,)).fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def unfinished_batches(self) -> list[BatchRecord]:
        """Batches with a row still to send or a job still unfinished (resumed at start or by hand)."""
        with self.db.read() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT r.batch_id FROM batch_rows r LEFT JOIN jobs j ON j.id = r.job_id "
                    "WHERE r.state = ? OR (r.state = ? AND j.state IN (?, ?, ?, ?, ?)) ORDER BY r.batch_id",
                    (ROW_PENDING, ROW_JOB, *[s.value for s in _NOT_ENDED]),
                )
            ]
        return [self.get_batch(batch_id) for batch_id in ids]

    # -- the lease: one process runs a batch ------------------------------------------------------
    def take_lease(self, batch_id: int, owner: str, is_alive: Callable[[str], bool]) -> bool:
        """Make `owner` the process running this batch, unless another live process is."""
        with self.db.write() as conn:
            row = conn.execute("SELECT owner FROM batches WHERE id = ?", (batch_id,)).fetchone()
            if row is None:
                raise NotFound(f"Batch {batch_id} is not in the journal.")
            current = row[0]
            if current and current != owner and is_alive(current):
                return False
            conn.execute("UPDATE batches SET owner = ? WHERE id = ?", (owner, batch_id))
            return True

    def release_lease(self, batch_id: int, owner: str) -> None:
        with self.db.write() as conn:
            conn.execute("UPDATE batches SET owner = NULL WHERE id = ? AND owner = ?", (batch_id, owner))


_NOT_ENDED = (JobState.QUEUED, JobState.SUBMITTING, JobState.SUBMITTED, JobState.RUNNING, JobState.DOWNLOADING)


def estimate_of(region: str, request_json: dict[str, Any]) -> Decimal:
    """§6 worst case of a row not yet made a job: n x the unit price (0 for an unpriced model)."""
    from wan27_desktop.api import pricing
    from wan27_desktop.api.models import Model, Region

    try:
        n = int(request_json.get("parameters", {}).get("n", 1))
        return pricing.estimate(Region(region), Model(request_json.get("model")), n)
    except (ValueError, KeyError, TypeError):
        return Decimal(0)


def _batch_from_row(row: tuple[Any, ...]) -> BatchRecord:
    axes = tuple((str(a), tuple(str(v) for v in values)) for a, values in json.loads(row[8])) if row[8] else ()
    return BatchRecord(
        id=row[0],
        name=row[1],
        kind=row[2],
        source=row[3],
        request_mode=row[4],
        region=row[5],
        endpoint=row[6],
        state=row[7],
        axes=axes,
        estimated_cost=row[9],
        owner=row[10],
        created_at=row[11],
        updated_at=row[12],
        finished_at=row[13],
    )


def _row_from(row: tuple[Any, ...]) -> BatchRow:
    job_state = JobState(row[8]) if row[8] else None
    cost = row[9]
    if cost is None and row[10]:
        cost = cost_from_usage(row[11], row[12], json.loads(row[10]))
    return BatchRow(
        batch_id=row[0],
        position=row[1],
        line=row[2],
        request_json=json.loads(row[3]),
        labels=json.loads(row[4]) if row[4] else {},
        row_state=row[5],
        job_id=row[6],
        error=row[7],
        job_state=job_state,
        cost=decimal_or_zero(cost),
        estimated_cost=decimal_or_zero(row[13]),
        job_error_code=row[14],
        job_error=row[15],
    )
