"""The job queue's rows and table model: one row per journaled job, newest first.

Events from the JobManager update a row in place; journal records (read on a worker) fill rows at
start and replace a finished row with the authoritative record (error code, hint, request id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from wan27_desktop import i18n
from wan27_desktop.api.pricing import format_cny
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.jobs.notices import CANCEL_REFUSED, NOTICE_CODES
from wan27_desktop.jobs.runner import JobEvent
from wan27_desktop.jobs.serialize import is_adopted
from wan27_desktop.library import JobRecord, JobState, parse_time
from wan27_desktop.ui.common.style import Tone, status_icon

ModelIndex = QModelIndex | QPersistentModelIndex


# English source texts; `state_name` translates them (context "JobState").
STATE_LABELS = {
    JobState.QUEUED: QT_TRANSLATE_NOOP("JobState", "Queued"),
    JobState.SUBMITTING: QT_TRANSLATE_NOOP("JobState", "Sending"),
    JobState.SUBMITTED: QT_TRANSLATE_NOOP("JobState", "Waiting for service"),
    JobState.RUNNING: QT_TRANSLATE_NOOP("JobState", "Generating"),
    JobState.DOWNLOADING: QT_TRANSLATE_NOOP("JobState", "Downloading"),
    JobState.DONE: QT_TRANSLATE_NOOP("JobState", "Done"),
    JobState.PARTIAL: QT_TRANSLATE_NOOP("JobState", "Partly done"),
    JobState.FAILED: QT_TRANSLATE_NOOP("JobState", "Failed"),
    JobState.CANCELED: QT_TRANSLATE_NOOP("JobState", "Canceled"),
    JobState.INTERRUPTED: QT_TRANSLATE_NOOP("JobState", "Interrupted"),
    JobState.EXPIRED: QT_TRANSLATE_NOOP("JobState", "Expired"),
}
PAUSED_LABEL = QT_TRANSLATE_NOOP("JobState", "Paused")
# A cancel the service refused: the task runs on and will be billed (its images land).
CANCEL_REFUSED_LABEL = QT_TRANSLATE_NOOP("JobState", "Running at the service")


def state_name(state: JobState) -> str:
    return QCoreApplication.translate("JobState", STATE_LABELS[state])


_STATE_LOOK: dict[JobState, tuple[str, Tone]] = {
    JobState.QUEUED: ("queued", Tone.MUTED),
    JobState.SUBMITTING: ("active", Tone.ACTIVE),
    JobState.SUBMITTED: ("active", Tone.ACTIVE),
    JobState.RUNNING: ("active", Tone.ACTIVE),
    JobState.DOWNLOADING: ("active", Tone.ACTIVE),
    JobState.DONE: ("done", Tone.SUCCESS),
    JobState.PARTIAL: ("partial", Tone.WARNING),
    JobState.FAILED: ("failed", Tone.ERROR),
    JobState.CANCELED: ("canceled", Tone.MUTED),
    JobState.INTERRUPTED: ("interrupted", Tone.WARNING),
    JobState.EXPIRED: ("expired", Tone.MUTED),
}

RETRYABLE = frozenset({JobState.FAILED, JobState.INTERRUPTED, JobState.CANCELED, JobState.EXPIRED})
# Where Cancel can still change what is billed (a queued job, a task not yet running) or must say it
# cannot (a sync request in flight); a downloading job is paid for, so it always lands.
CANCELLABLE = frozenset({JobState.QUEUED, JobState.SUBMITTING, JobState.SUBMITTED, JobState.RUNNING})


def format_elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 3600:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@dataclass
class JobRow:
    job_id: int
    state: JobState = JobState.QUEUED
    prompt: str = ""
    model: str = ""
    request_mode: str = ""
    n: int = 0
    created: datetime | None = None
    finished: datetime | None = None
    server_status: str | None = None
    images_done: int = 0
    images_expected: int = 0
    error_code: str | None = None
    error_message: str | None = None
    error_hint: str | None = None
    request_id: str | None = None
    task_id: str | None = None
    cost: str | None = None
    # News about a job that goes on (rate-limited and retrying, a refused cancel), in the UI language.
    notice: str | None = None
    notice_code: str | None = None
    adopted: bool = False  # fetched by its task id: its request is not known, so no Retry
    # The worker ended but the journal says unfinished (app stopping, poll deadline, a crash in the
    # worker): nothing runs until Jobs > Resume Unfinished or the next start.
    idle: bool = False

    @property
    def placeholder(self) -> bool:
        """Submitted, waiting for a free worker slot; not journaled yet (id is minus the token)."""
        return self.job_id < 0

    @property
    def active(self) -> bool:
        return not self.state.is_terminal and not self.idle

    @property
    def can_cancel(self) -> bool:
        return (
            self.active
            and not self.placeholder
            and self.state in CANCELLABLE
            and self.notice_code != CANCEL_REFUSED  # asked once; the service said no
        )

    @property
    def can_retry(self) -> bool:
        return self.state in RETRYABLE and not self.adopted

    @property
    def can_resume(self) -> bool:
        """A paused job (its worker ended, the journal says unfinished), or an expired one whose
        links may still work: Resume tries again, never resending a create."""
        return not self.placeholder and ((self.idle and self.state.is_unfinished) or self.state is JobState.EXPIRED)

    @property
    def has_results(self) -> bool:
        return self.images_done > 0

    def elapsed(self, now: datetime | None = None) -> float | None:
        if self.created is None:
            return None
        end = self.finished if self.finished is not None and not self.active else (now or _utcnow())
        return (end - self.created).total_seconds()

    def apply_record(self, job: JobRecord, images_done: int | None = None) -> None:
        self.state = job.state
        self.prompt = job.prompt
        self.model = job.model
        self.request_mode = job.request_mode
        self.n = job.n
        self.created = parse_time(job.created_at)
        self.finished = parse_time(job.finished_at)
        self.server_status = job.server_status
        self.request_id = job.request_id
        self.task_id = job.task_id
        self.cost = job.cost
        self.adopted = is_adopted(job.request_json)
        if job.error_code in NOTICE_CODES and not job.state.is_terminal:
            # Journaled news about a job that goes on (a refused cancel), not a failure.
            self.notice, self.notice_code = i18n.job_error_message(job), job.error_code
            self.error_code = self.error_message = self.error_hint = None
        else:
            self.notice = self.notice_code = None
            self.error_code = job.error_code
            self.error_message = i18n.job_error_message(job)
            self.error_hint = job.error_hint
        if images_done is not None:
            self.images_done = images_done
        # §4.1: usage.image_count is what was delivered; before that, n is what we asked for.
        self.images_expected = max(self.images_expected, self.images_done, job.n if job.state.is_unfinished else 0)

    def apply_event(self, event: JobEvent) -> None:
        self.idle = False
        self.state = event.state
        if self.created is None:
            self.created = _utcnow()
        if event.server_status:
            self.server_status = event.server_status
        if event.images_expected:
            self.images_expected = event.images_expected
        if event.images_done:
            self.images_done = max(self.images_done, event.images_done)
        if event.state.is_terminal:
            self.finished = self.finished or _utcnow()
        else:
            self.finished = None
        if event.notice is not None:
            self.notice, self.notice_code = i18n.error_message(event.notice), event.notice.code
        elif not (event.state is JobState.RUNNING and self.notice_code == CANCEL_REFUSED):
            self.notice = self.notice_code = None  # progress: the news is old
        err = event.error
        if err is not None:
            self.error_code = err.code or self.error_code or type(err).__name__
            self.error_message = i18n.error_message(err)  # translated now: its template is at hand
            self.error_hint = err.hint
            self.request_id = err.request_id or self.request_id
        elif event.state in (JobState.SUBMITTING, JobState.SUBMITTED, JobState.RUNNING):
            self.error_code = self.error_message = self.error_hint = None

    @property
    def state_label(self) -> str:
        if self.idle:
            return QCoreApplication.translate("JobState", PAUSED_LABEL)
        if self.state is JobState.RUNNING and self.notice_code == CANCEL_REFUSED:
            return QCoreApplication.translate("JobState", CANCEL_REFUSED_LABEL)
        return state_name(self.state)

    def details(self) -> str:
        """Everything someone needs to report or look up this job (never the key), in the UI language."""
        lines = [
            QCoreApplication.translate("JobRow", "Job {id}: {state}").format(id=self.job_id, state=self.state_label)
        ]
        if self.prompt:
            lines.append(QCoreApplication.translate("JobRow", "Prompt: {prompt}").format(prompt=self.prompt))
        if self.model:
            lines.append(
                QCoreApplication.translate("JobRow", "Model: {model} ({mode})").format(
                    model=self.model, mode=self.request_mode or "sync"
                )
            )
        if self.notice:
            lines.append(QCoreApplication.translate("JobRow", "Note: {message}").format(message=self.notice))
        if self.error_message:
            lines.append(
                QCoreApplication.translate("JobRow", "Error: {message}").format(
                    message=i18n.message_text(self.error_message)
                )
            )
        if self.error_code:
            lines.append(QCoreApplication.translate("JobRow", "Code: {code}").format(code=self.error_code))
        if self.error_hint:
            lines.append(
                QCoreApplication.translate("JobRow", "What to do: {hint}").format(hint=i18n.hint_text(self.error_hint))
            )
        if self.request_id:
            lines.append(QCoreApplication.translate("JobRow", "Request id: {id}").format(id=self.request_id))
        if self.task_id:
            lines.append(QCoreApplication.translate("JobRow", "Task id: {id}").format(id=self.task_id))
        if self.server_status:
            lines.append(
                QCoreApplication.translate("JobRow", "Server status: {status}").format(status=self.server_status)
            )
        if self.images_expected:
            lines.append(
                QCoreApplication.translate("JobRow", "Images: {done}/{expected}").format(
                    done=self.images_done, expected=self.images_expected
                )
            )
        return "\n".join(lines)


def _format_cost(text: str) -> str:
    try:
        return format_cny(Decimal(text))
    except (InvalidOperation, ValueError):
        return text


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


# -- model ----------------------------------------------------------------------------------------
class JobQueueModel(QAbstractTableModel):
    """Newest job first. Columns: state, prompt, elapsed, server, images, details."""

    COL_STATE, COL_PROMPT, COL_ELAPSED, COL_SERVER, COL_PROGRESS, COL_DETAILS = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("JobQueueModel", "State"),
        QT_TRANSLATE_NOOP("JobQueueModel", "Prompt"),
        QT_TRANSLATE_NOOP("JobQueueModel", "Elapsed"),
        QT_TRANSLATE_NOOP("JobQueueModel", "Server"),
        QT_TRANSLATE_NOOP("JobQueueModel", "Images"),
        QT_TRANSLATE_NOOP("JobQueueModel", "Details"),
    )
    JobIdRole = Qt.ItemDataRole.UserRole + 1

    rowsChangedState = Signal(int)  # job id whose state changed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[JobRow] = []
        self._index: dict[int, int] = {}

    # Qt API
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("JobQueueModel", self.HEADERS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (self.COL_ELAPSED, self.COL_PROGRESS):
            return int(Qt.AlignmentFlag.AlignCenter)  # over centred numbers
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == self.JobIdRole:
            return row.job_id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_STATE and row.idle:
                return self.tr("Not running: it resumes at the next start, or now with Jobs ▸ Resume Unfinished Jobs.")
            if col == self.COL_STATE and row.placeholder:
                return self.tr("Waiting for a free slot (Settings ▸ concurrency).")
            if col in (self.COL_DETAILS, self.COL_STATE) and (row.error_message or row.error_code or row.notice):
                return row.details()
            if col == self.COL_PROMPT:
                return row.prompt
            return None
        if role == Qt.ItemDataRole.DecorationRole and col == self.COL_STATE:
            kind, tone = ("queued", Tone.WARNING) if row.idle else _STATE_LOOK[row.state]
            return status_icon(kind, tone)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_ELAPSED, self.COL_PROGRESS):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("Job {id}: {text}").format(id=row.job_id, text=self._display(row, col))
        return None

    def _display(self, row: JobRow, col: int) -> str:
        if col == self.COL_STATE:
            return row.state_label
        if col == self.COL_PROMPT:
            fallback = "" if row.placeholder else self.tr("Job {id}").format(id=row.job_id)
            return " ".join(row.prompt.split()) or fallback
        if col == self.COL_ELAPSED:
            seconds = row.elapsed()
            return "" if seconds is None else format_elapsed(seconds)
        if col == self.COL_SERVER:
            return (row.server_status or "").title() if row.request_mode != "sync" or row.server_status else ""
        if col == self.COL_PROGRESS:
            if row.images_expected:
                return f"{row.images_done}/{row.images_expected}"
            return f"0/{row.n}" if row.n and row.active else ""
        if col == self.COL_DETAILS:
            if row.error_message or row.error_code:
                parts = [row.error_code or "", i18n.message_text(row.error_message)]
                text = " · ".join(p for p in parts if p)
                if row.request_id:
                    text += self.tr(" · request {id}").format(id=row.request_id)
                return text
            if row.notice:
                return row.notice
            if row.state in (JobState.DONE, JobState.PARTIAL) and row.cost:
                return _format_cost(row.cost)
            return ""
        return ""

    # rows
    def row_of(self, job_id: int) -> int | None:
        return self._index.get(job_id)

    def job(self, job_id: int) -> JobRow | None:
        position = self._index.get(job_id)
        return None if position is None else self._rows[position]

    def job_at(self, row: int) -> JobRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def jobs(self) -> list[JobRow]:
        return list(self._rows)

    def _ensure(self, job_id: int) -> tuple[JobRow, bool]:
        position = self._index.get(job_id)
        if position is not None:
            return self._rows[position], False
        # Newest first: a new job id is (almost always) the largest, so it goes on top.
        insert_at = 0
        while insert_at < len(self._rows) and self._rows[insert_at].job_id > job_id:
            insert_at += 1
        self.beginInsertRows(QModelIndex(), insert_at, insert_at)
        row = JobRow(job_id)
        self._rows.insert(insert_at, row)
        self._reindex()
        self.endInsertRows()
        return row, True

    def _reindex(self) -> None:
        self._index = {row.job_id: i for i, row in enumerate(self._rows)}

    def _changed(self, job_id: int) -> None:
        position = self._index[job_id]
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(self.HEADERS) - 1))

    def apply_records(self, records: Iterable[tuple[JobRecord, int]]) -> list[int]:
        """Journal rows (record, images landed). Returns ids that were not in the model before."""
        added = []
        for job, done in records:
            row, new = self._ensure(job.id)
            # An event newer than the journal snapshot wins for live jobs.
            if new or job.state.is_terminal or not row.active:
                before = row.state
                row.apply_record(job, done)
                if row.state != before:
                    self.rowsChangedState.emit(job.id)
            else:
                row.prompt, row.model, row.n = job.prompt, job.model, job.n
                row.request_mode = job.request_mode
                row.created = parse_time(job.created_at)
                row.request_id = row.request_id or job.request_id
                row.task_id = row.task_id or job.task_id
            self._changed(job.id)
            if new:
                added.append(job.id)
        return added

    def apply_event(self, event: JobEvent) -> bool:
        """Returns True when the row is new (the caller then fetches its record)."""
        row, new = self._ensure(event.job_id)
        before = row.state
        row.apply_event(event)
        self._changed(event.job_id)
        if row.state != before or new:
            self.rowsChangedState.emit(event.job_id)
        return new

    def add_placeholder(self, token: int, prompt: str) -> None:
        """A submitted request not journaled yet (all worker slots busy): shown at once, on top."""
        job_id = -token
        if job_id in self._index:
            return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, JobRow(job_id, JobState.QUEUED, prompt=prompt, created=_utcnow()))
        self._reindex()
        self.endInsertRows()
        self.rowsChangedState.emit(job_id)

    def remove_placeholder(self, token: int) -> None:
        position = self._index.get(-token)
        if position is None:
            return
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._rows[position]
        self._reindex()
        self.endRemoveRows()
        self.rowsChangedState.emit(-token)

    def mark_idle(self, job_id: int) -> None:
        row = self.job(job_id)
        if row is None or row.state.is_terminal or row.idle:
            return
        row.idle = True
        row.finished = _utcnow()
        self._changed(job_id)
        self.rowsChangedState.emit(job_id)

    def active_rows(self) -> list[int]:
        return [i for i, row in enumerate(self._rows) if row.active]

    def tick(self) -> bool:
        """Refresh the elapsed column of active rows; False when nothing is active."""
        active = self.active_rows()
        if not active:
            return False
        self.dataChanged.emit(
            self.index(min(active), self.COL_ELAPSED),
            self.index(max(active), self.COL_ELAPSED),
            [Qt.ItemDataRole.DisplayRole],
        )
        return True
