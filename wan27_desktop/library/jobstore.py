"""The job journal's storage: jobs, their content-addressed inputs, and result URLs.

Every method is one committed transaction, so the jobs layer can "persist before it acts" (issue 3):
the job row exists before the request leaves, the task id before the first poll, the result URLs
before the first download.

Which process runs a job is its lease (`leases.py`): `create(hold=True)` leases the job in the
transaction that journals it, `claim` leases an existing one, `leased` says who holds which.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.library.db import Database
from wan27_desktop.library.errors import LibraryError, NotFound
from wan27_desktop.library.imagefiles import atomic_write, copy_into, sha256_of
from wan27_desktop.library.job_records import JobRecord, ResultRecord
from wan27_desktop.library.leases import Lease, Leases
from wan27_desktop.library.paths import LibraryPaths, safe_ext
from wan27_desktop.library.records import UNFINISHED_STATES, JobState
from wan27_desktop.library.rows import JOB_COLUMNS, RESULT_COLUMNS, job_from_row, result_from_row
from wan27_desktop.library.times import normalise_time, utc_now

_UNSET: Any = object()


def cost_from_usage(region: str, model: str, usage: dict[str, Any] | None) -> str | None:
    """§4.1/§6: cost = usage.image_count x unit price, prices from api.pricing (their only home)."""
    if not usage or usage.get("image_count") is None:
        return None
    from wan27_desktop.api import pricing
    from wan27_desktop.api.models import Model, Region

    try:
        return str(pricing.cost(Region(region), Model(model), int(usage["image_count"])))
    except (ValueError, KeyError):
        return None  # a custom endpoint or an unknown model: no official price


class JobStore:
    """`library.jobs`: the journal's tables (jobs, inputs, job_inputs, results)."""

    def __init__(self, db: Database, paths: LibraryPaths, leases: Leases | None = None) -> None:
        self.db = db
        self.paths = paths
        self.leases = leases if leases is not None else Leases(paths.leases_dir)

    # -- ownership --------------------------------------------------------------------------------
    def claim(self, job_id: int) -> Lease | None:
        """Lease a job for this thread's work on it; None when another process (or other work in
        this one) runs it. Release the lease when done (it is a context manager)."""
        return self.leases.claim(job_id)

    def leased(self) -> dict[int, str]:
        """Jobs running right now, in any process: job id -> who runs it."""
        return self.leases.held()

    def is_leased(self, job_id: int) -> bool:
        return self.leases.is_held(job_id)

    # -- inputs -----------------------------------------------------------------------------------
    def store_input(self, source: Path) -> tuple[str, Path]:
        """Copy a reference image into inputs/<sha[:2]>/<sha>.<ext> (content-addressed, once)."""
        sha = sha256_of(source)
        ext = safe_ext(source)
        folder = self.paths.inputs_dir / sha[:2]
        existing = sorted(folder.glob(f"{sha}.*")) if folder.is_dir() else []
        if existing:
            return sha, existing[0]
        path, written_sha, _size = atomic_write(folder, lambda out: copy_into(source, out), lambda s: f"{s}{ext}")
        if written_sha != sha:
            path.unlink(missing_ok=True)
            raise LibraryError(
                QT_TRANSLATE_NOOP("WanError", "Reference image {name} changed while it was being copied."),
                values={"name": source.name},
                hint=QT_TRANSLATE_NOOP("WanError", "Try again once the file is no longer being written."),
            )
        return sha, path

    def _link_inputs(self, conn: Any, job_id: int, stored: Sequence[tuple[str, Path]]) -> None:
        for position, (sha, path) in enumerate(stored):
            conn.execute(
                "INSERT OR IGNORE INTO inputs(sha256, path, bytes, created_at) VALUES (?, ?, ?, ?)",
                (sha, self.paths.rel_path(path), path.stat().st_size, utc_now()),
            )
            (input_id,) = conn.execute("SELECT id FROM inputs WHERE sha256 = ?", (sha,)).fetchone()
            conn.execute(
                "INSERT OR REPLACE INTO job_inputs(job_id, position, input_id) VALUES (?, ?, ?)",
                (job_id, position, input_id),
            )

    # -- jobs -------------------------------------------------------------------------------------
    def create(
        self,
        request_json: dict[str, Any],
        *,
        model: str,
        request_mode: str,
        region: str,
        endpoint: str,
        n: int,
        estimated_cost: str,
        state: JobState = JobState.SUBMITTING,
        inputs: Iterable[Path] = (),
        hold: bool = False,
        on_insert: Callable[[sqlite3.Connection, int], None] | None = None,
    ) -> int:
        """Journal a job. Input files are copied first (outside the transaction), then one commit.

        `hold`: lease the job to this process in the same transaction (released by the runner,
        or when the process ends), so no other process takes it for abandoned meanwhile.
        `on_insert(conn, job_id)` runs inside that transaction (a batch links its row to the job
        there, so neither exists without the other); if it raises, no job is journaled."""
        stored = [self.store_input(Path(p)) for p in inputs]
        now = utc_now()
        state = JobState(state)
        reserved: Lease | None = None
        try:
            with self.db.write() as conn:
                cursor = conn.execute(
                    "INSERT INTO jobs(state, model, request_mode, region, endpoint, n, estimated_cost, request_json, "
                    "created_at, updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        state.value,
                        model,
                        request_mode,
                        region,
                        endpoint,
                        int(n),
                        str(estimated_cost),
                        json.dumps(request_json, ensure_ascii=False),
                        now,
                        now,
                        now if state.is_terminal else None,
                    ),
                )
                job_id = int(cursor.lastrowid or 0)
                self._link_inputs(conn, job_id, stored)
                if on_insert is not None:
                    on_insert(conn, job_id)
                if hold:
                    reserved = self.leases.reserve(job_id)
                    if reserved is None:  # a stale lease of a job id reused after a recover: still running
                        raise LibraryError(
                            QT_TRANSLATE_NOOP("WanError", "Job {job} is leased by another process."),
                            values={"job": job_id},
                        )
        except BaseException:
            if reserved is not None:
                reserved.release()
            raise
        return job_id

    def update(
        self,
        job_id: int,
        *,
        state: JobState | None = None,
        task_id: str | None = None,
        request_id: str | None = None,
        server_status: str | None = None,
        error_code: str | None = None,
        error_message: str | None = None,
        error_hint: str | None = None,
        error_values: tuple[str, Mapping[str, Any]] | None = None,
        usage: dict[str, Any] | None = None,
        cost: str | None = None,
        clear_error: bool = False,
    ) -> None:
        """Set the given fields (None = leave unchanged) in one committed transaction.

        `error_values` is the message's (template, values) when it has values; a new `error_message`
        without them clears the old ones. `clear_error` removes the error code, message and hint (a
        job that finished well keeps no stale mark).

        A usage with `image_count` and no explicit cost fills `cost` from the §6 price table.
        """
        fields: dict[str, Any] = {}
        for name, value in (
            ("task_id", task_id),
            ("request_id", request_id),
            ("server_status", server_status),
            ("error_code", error_code),
            ("error_message", error_message),
            ("error_hint", error_hint),
            ("cost", cost),
        ):
            if value is not None:
                fields[name] = str(value)
        if error_message is not None:
            fields["error_values"] = (
                json.dumps(
                    {"template": error_values[0], "values": dict(error_values[1])}, ensure_ascii=False, default=str
                )
                if error_values
                else None
            )
        if clear_error:
            fields.update(error_code=None, error_message=None, error_hint=None, error_values=None)
        if usage is not None:
            fields["usage_json"] = json.dumps(usage, ensure_ascii=False)
        now = utc_now()
        fields["updated_at"] = now
        if state is not None:
            state = JobState(state)
            fields["state"] = state.value
            fields["finished_at"] = now if state.is_terminal else None
            if state is JobState.DONE:
                # Done means every image landed: an error mark left by an earlier step, or by
                # another process that took the job for interrupted, is no longer true.
                for name in ("error_code", "error_message", "error_hint", "error_values"):
                    fields.setdefault(name, None)
        with self.db.write() as conn:
            row = conn.execute("SELECT region, model, cost FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                raise NotFound(f"Job {job_id} is not in the journal.")
            if usage is not None and cost is None and row[2] is None:
                computed = cost_from_usage(row[0], row[1], usage)
                if computed is not None:
                    fields["cost"] = computed
            assignments = ", ".join(f"{name} = ?" for name in fields)
            conn.execute(f"UPDATE jobs SET {assignments} WHERE id = ?", (*fields.values(), job_id))

    def mark_sent(self, job_id: int) -> None:
        """The create's bytes are about to leave: from now on the job may have been billed. Once."""
        with self.db.write() as conn:
            conn.execute("UPDATE jobs SET sent_at = ? WHERE id = ? AND sent_at IS NULL", (utc_now(), job_id))

    def job_of_task(self, task_id: str) -> JobRecord | None:
        """The job holding this service task (the oldest, should there be several), or None."""
        with self.db.read() as conn:
            row = conn.execute(
                f"SELECT {JOB_COLUMNS} FROM jobs WHERE task_id = ? ORDER BY id LIMIT 1", (task_id,)
            ).fetchone()
            return None if row is None else job_from_row(conn, self.paths, row)

    def jobs_of_tasks(self, task_ids: Iterable[str]) -> dict[str, int]:
        """{task id: job id} for those of `task_ids` this library holds."""
        ids = list(dict.fromkeys(task_ids))
        found: dict[str, int] = {}
        with self.db.read() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                rows = conn.execute(
                    f"SELECT task_id, min(id) FROM jobs WHERE task_id IN ({','.join('?' * len(chunk))}) "
                    "GROUP BY task_id",
                    chunk,
                )
                found.update({task_id: job_id for task_id, job_id in rows})
        return found

    def get(self, job_id: int) -> JobRecord:
        with self.db.read() as conn:
            row = conn.execute(f"SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                raise NotFound(f"Job {job_id} is not in the journal.")
            return job_from_row(conn, self.paths, row)

    def find(
        self, states: Iterable[JobState] | None = None, limit: int = 200, newest_first: bool = True
    ) -> list[JobRecord]:
        where, params = "1", []
        if states is not None:
            values = [JobState(s).value for s in states]
            if not values:
                return []
            where = f"state IN ({','.join('?' * len(values))})"
            params = values
        order = "DESC" if newest_first else "ASC"
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT {JOB_COLUMNS} FROM jobs WHERE {where} ORDER BY created_at {order}, id {order} LIMIT ?",
                (*params, int(limit)),
            ).fetchall()
            return [job_from_row(conn, self.paths, row) for row in rows]

    def after(self, job_id: int, limit: int = 200) -> list[JobRecord]:
        """Jobs journaled after `job_id` (a primary-key range: cheap at any size), oldest first."""
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT {JOB_COLUMNS} FROM jobs WHERE id > ? ORDER BY id LIMIT ?", (int(job_id), int(limit))
            ).fetchall()
            return [job_from_row(conn, self.paths, row) for row in rows]

    def unfinished(self) -> list[JobRecord]:
        """Jobs the service may still hold results for, oldest first (resumed on start)."""
        return self.find(UNFINISHED_STATES, limit=1_000_000, newest_first=False)

    # -- results ----------------------------------------------------------------------------------
    def add_results(self, job_id: int, urls: list[str], expires_at: list[str | None]) -> list[ResultRecord]:
        """Persist result URLs (§4.1 one per image) before downloading. Idempotent per (job, index);
        a result not yet downloaded takes the newer URL (a re-query may return fresh signatures)."""
        if len(urls) != len(expires_at):
            raise ValueError("urls and expires_at must have the same length")
        now = utc_now()
        with self.db.write() as conn:
            for index, (url, expires) in enumerate(zip(urls, expires_at, strict=True)):
                conn.execute(
                    "INSERT INTO results(job_id, idx, url, expires_at, status, created_at) "
                    "VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT(job_id, idx) DO UPDATE SET "
                    "url = excluded.url, expires_at = excluded.expires_at WHERE results.status != 'downloaded'",
                    (job_id, index, url, normalise_time(expires) or expires, now),
                )
        return self.results_of(job_id)

    def results_of(self, job_id: int) -> list[ResultRecord]:
        with self.db.read() as conn:
            rows = conn.execute(f"SELECT {RESULT_COLUMNS} FROM results r WHERE r.job_id = ? ORDER BY r.idx", (job_id,))
            return [result_from_row(row) for row in rows]

    def pending_results(self, job_id: int) -> list[ResultRecord]:
        """Results still to download: status pending or failed (a failed download is tried again
        until the result host says it expired, or the runner gives up on it)."""
        return [r for r in self.results_of(job_id) if r.status in ("pending", "failed")]

    def mark_result(self, result_id: int, status: str, error: str | None = None, *, attempted: bool = False) -> None:
        """Record a result's new status; `attempted` counts one more download round."""
        if status not in ("failed", "expired", "pending", "unavailable"):
            raise ValueError(f"status must be 'failed', 'expired', 'unavailable' or 'pending', not {status!r}")
        with self.db.write() as conn:
            conn.execute(
                "UPDATE results SET status = ?, error = ?, attempts = attempts + ? "
                "WHERE id = ? AND status != 'downloaded'",
                (status, error, int(attempted), result_id),
            )

    def reopen_results(self, job_id: int) -> int:
        """Give a job's expired or given-up results another round (the user resumed it: the links
        may still work); returns how many."""
        with self.db.write() as conn:
            cursor = conn.execute(
                "UPDATE results SET status = 'pending', attempts = 0 WHERE job_id = ? "
                "AND status IN ('expired', 'unavailable')",
                (job_id,),
            )
            return cursor.rowcount


def decimal_or_zero(text: str | None) -> Decimal:
    try:
        return Decimal(text) if text else Decimal(0)
    except InvalidOperation:
        return Decimal(0)
