"""The job board: every job this window knows, newest first, for the job queue and the stage.

Apart from the rows themselves (`JobRow`, jobs.py): a window makes its board before its first full
paint, and the board has no rows until the journal is read or a job is submitted, after it. So
jobs.py (the row's dataclass, its texts and the date-time module) loads with the first row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from wan27_desktop.jobs.runner import JobEvent
    from wan27_desktop.library import JobRecord
    from wan27_desktop.workspace.jobs import JobRow


class JobBoard(QObject):
    """Every job row, newest first: placeholders of waiting submissions on top, then job ids
    descending. Changes are signalled by key (a job id, or minus a submission token)."""

    added = Signal(int)  # key; its position is `position(key)`
    changed = Signal(int)
    removed = Signal(int, int)  # key, the position it had
    stateChanged = Signal(int)  # key whose state (or presence) changed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[JobRow] = []
        self._index: dict[int, int] = {}

    # -- reading ------------------------------------------------------------------------------------
    def row(self, key: int) -> JobRow | None:
        position = self._index.get(key)
        return None if position is None else self._rows[position]

    def rows(self) -> list[JobRow]:
        return list(self._rows)

    def position(self, key: int) -> int | None:
        return self._index.get(key)

    def __len__(self) -> int:
        return len(self._rows)

    def at(self, position: int) -> JobRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def active(self) -> list[JobRow]:
        return [row for row in self._rows if row.active]

    # -- changing -----------------------------------------------------------------------------------
    def _ensure(
        self, job_id: int, batch_id: int | None = None, prepare: Callable[[JobRow], object] | None = None
    ) -> tuple[JobRow, bool]:
        """The row of `job_id`, made if new; `prepare` fills a new row in before `added` is
        signalled, so a view sees what it is (a journal row of the past is not a job starting)."""
        position = self._index.get(job_id)
        if position is not None:
            row = self._rows[position]
            if batch_id is not None:
                row.batch_id = batch_id
            return row, False
        from wan27_desktop.workspace.jobs import JobRow

        # Newest first: a new job id is (almost always) the largest, so it goes on top.
        insert_at = 0
        while insert_at < len(self._rows) and self._rows[insert_at].job_id > job_id:
            insert_at += 1
        row = JobRow(job_id, batch_id=batch_id)  # known before `added`: a view may treat it apart
        if prepare is not None:
            prepare(row)
        self._rows.insert(insert_at, row)
        self._reindex()
        self.added.emit(job_id)
        return row, True

    def _reindex(self) -> None:
        self._index = {row.job_id: i for i, row in enumerate(self._rows)}

    def _remove(self, key: int) -> JobRow | None:
        position = self._index.get(key)
        if position is None:
            return None
        row = self._rows.pop(position)
        self._reindex()
        self.removed.emit(key, position)
        return row

    def apply_records(
        self,
        records: Iterable[tuple[JobRecord, int]],
        batches: Mapping[int, int] | None = None,
        held_elsewhere: Mapping[int, str] | None = None,
    ) -> list[int]:
        """Journal rows (record, images landed); `batches` maps the ids of batch rows to their batch;
        `held_elsewhere` the jobs another window or command runs to who runs them.
        Returns ids that were not on the board before."""
        from wan27_desktop.library import parse_time

        added = []
        for job, done in records:

            def fill(row: JobRow, job: JobRecord = job, done: int = done) -> None:
                row.apply_record(job, done)
                if held_elsewhere and not job.state.is_terminal:  # queued there too: not only sent
                    row.elsewhere = held_elsewhere.get(job.id)

            row, new = self._ensure(job.id, (batches or {}).get(job.id), fill)
            if new:  # filled in before it was announced
                self.stateChanged.emit(job.id)
                added.append(job.id)
            elif job.state.is_terminal or not row.active:  # a live job's events are newer than the journal
                before = row.state
                row.apply_record(job, done)
                if row.state != before:
                    self.stateChanged.emit(job.id)
            else:
                row.prompt, row.model, row.n = job.prompt, job.model, job.n
                row.request_mode = job.request_mode
                row.is_set = bool(((job.request_json or {}).get("parameters") or {}).get("enable_sequential"))
                row.created = parse_time(job.created_at)
                row.request_id = row.request_id or job.request_id
                row.task_id = row.task_id or job.task_id
            self.changed.emit(job.id)
        return added

    def apply_elsewhere(
        self,
        records: Iterable[tuple[JobRecord, int]],
        held_elsewhere: Mapping[int, str],
        batches: Mapping[int, int] | None = None,
    ) -> list[int]:
        """What the journal says now of jobs this window does not run (`JournalWatch`): jobs another
        window or `wan27` command journaled or runs (`held_elsewhere`: job id -> who), as (record,
        images landed). A row of this window's own is left to its events. A job nobody runs any
        more (its process ended) is paused here: Resume carries it on. Returns the ids added."""
        from wan27_desktop.workspace.jobs import utcnow

        added = []
        for job, done in records:
            row = self.row(job.id)
            owner = held_elsewhere.get(job.id)
            if row is not None and row.elsewhere is None and (row.active or (owner is None and row.state == job.state)):
                continue  # running here (its events tell), or nothing new
            before = (row.state, row.elsewhere, row.idle) if row is not None else None

            def fill(row: JobRow, job: JobRecord = job, done: int = done, owner: str | None = owner) -> None:
                row.apply_record(job, done)
                row.elsewhere = None if job.state.is_terminal else owner  # queued or sent there
                idle = owner is None and not job.state.is_terminal  # its process ended: paused
                if idle and not row.idle:
                    row.finished = utcnow()  # as `mark_idle`: its clock stops
                row.idle = idle

            row, new = self._ensure(job.id, (batches or {}).get(job.id), fill)
            if not new:
                fill(row)
            self.changed.emit(job.id)
            if before is None or (row.state, row.elsewhere, row.idle) != before:
                self.stateChanged.emit(job.id)
            if new:
                added.append(job.id)
        return added

    def apply_event(self, event: JobEvent, batch_id: int | None = None) -> bool:
        """An event of the job manager, or of batch `batch_id`'s row. Returns True when the row is
        new (the caller then fetches its record)."""
        row, new = self._ensure(event.job_id, batch_id)
        before = row.state
        row.apply_event(event)
        self.changed.emit(event.job_id)
        if row.state != before or new:
            self.stateChanged.emit(event.job_id)
        return new

    def add_placeholder(self, token: int, prompt: str, n: int = 0, *, is_set: bool = False) -> JobRow:
        """A submitted request not journaled yet (all worker slots busy): shown at once, on top."""
        from wan27_desktop.library import JobState
        from wan27_desktop.workspace.jobs import JobRow, utcnow

        key = -token
        existing = self.row(key)
        if existing is not None:
            return existing
        row = JobRow(key, JobState.QUEUED, prompt=prompt, n=n, created=utcnow(), is_set=is_set, token=token)
        self._rows.insert(0, row)
        self._reindex()
        self.added.emit(key)
        self.stateChanged.emit(key)
        return row

    def remove_placeholder(self, token: int) -> JobRow | None:
        row = self._remove(-token)
        if row is not None:
            self.stateChanged.emit(-token)
        return row

    def journaled(self, token: int, job_id: int) -> None:
        """The submission `token` is journaled as `job_id`: the job takes its placeholder's place."""
        placeholder = self.remove_placeholder(token)
        row, _new = self._ensure(job_id)
        row.token = token
        if placeholder is not None:
            row.prompt = row.prompt or placeholder.prompt
            row.n = row.n or placeholder.n
            row.is_set = row.is_set or placeholder.is_set
            row.created = row.created or placeholder.created
        self.changed.emit(job_id)

    def mark_idle(self, job_id: int) -> None:
        row = self.row(job_id)
        if row is None or row.state.is_terminal or row.idle:
            return
        from wan27_desktop.workspace.jobs import utcnow

        row.idle = True
        row.retry_at = None
        row.finished = utcnow()
        self.changed.emit(job_id)
        self.stateChanged.emit(job_id)

    def mark_cancel_requested(self, job_id: int) -> None:
        row = self.row(job_id)
        if row is not None and row.active:
            row.cancel_requested = True
            self.changed.emit(job_id)
