"""The job queue's table model: one row per job of the workspace's `JobBoard`, newest first.

The board (workspace/jobs.py) is the one record of what each job is doing; this model mirrors its
order for a QTableView and says how each row reads (columns, icons, tooltips). `apply_event`,
`apply_records` and the placeholder calls are the board's, kept here for callers that hold the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

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
from wan27_desktop.library import JobRecord, JobState
from wan27_desktop.ui.common.style import Tone, status_icon
from wan27_desktop.workspace.jobs import RETRYABLE, STATE_LABELS, JobBoard, JobRow, format_elapsed, state_name

if TYPE_CHECKING:
    from wan27_desktop.jobs.runner import JobEvent

__all__ = ["RETRYABLE", "STATE_LABELS", "JobQueueModel", "JobRow", "format_elapsed", "state_name"]

ModelIndex = QModelIndex | QPersistentModelIndex


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


def _format_cost(text: str) -> str:
    try:
        return format_cny(Decimal(text))
    except (InvalidOperation, ValueError):
        return text


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

    def __init__(self, parent: QObject | None = None, board: JobBoard | None = None) -> None:
        super().__init__(parent)
        self.board = board if board is not None else JobBoard(self)
        self._rows: list[JobRow] = self.board.rows()  # the board's order, mirrored for the view
        self._index: dict[int, int] = {}
        self._reindex()
        self.board.added.connect(self._board_added)
        self.board.removed.connect(self._board_removed)
        self.board.changed.connect(self._changed)
        self.board.stateChanged.connect(self.rowsChangedState)

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
            if col == self.COL_STATE and row.idle and row.state is JobState.QUEUED:
                return self.tr(
                    "Not sent: the window or command that queued it has ended. Nothing was billed; "
                    "it is closed at the next start."
                )
            if col == self.COL_STATE and row.idle:
                return self.tr("Not running: it resumes at the next start, or now with Jobs ▸ Resume Unfinished Jobs.")
            if col in (self.COL_STATE, self.COL_DETAILS) and row.running_elsewhere:
                return self.tr(
                    "Run by another Wan 2.7 window or the wan27 command ({who}), which saves its images: "
                    "they appear in the gallery. Stop it there."
                ).format(who=row.elsewhere)
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
            return row.one_line_prompt() or fallback
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
            if row.running_elsewhere:
                return self.tr("In another window or the wan27 command")
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

    def _reindex(self) -> None:
        self._index = {row.job_id: i for i, row in enumerate(self._rows)}

    def _board_added(self, key: int) -> None:
        position = self.board.position(key)
        row = self.board.row(key)
        if position is None or row is None or key in self._index:
            return
        position = min(position, len(self._rows))
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self._reindex()
        self.endInsertRows()

    def _board_removed(self, key: int, _position: int) -> None:
        position = self._index.get(key)
        if position is None:
            return
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._rows[position]
        self._reindex()
        self.endRemoveRows()

    def _changed(self, job_id: int) -> None:
        position = self._index.get(job_id)
        if position is not None:
            self.dataChanged.emit(self.index(position, 0), self.index(position, len(self.HEADERS) - 1))

    # what the board does, for callers holding the model
    def apply_records(self, records: Iterable[tuple[JobRecord, int]]) -> list[int]:
        return self.board.apply_records(records)

    def apply_event(self, event: JobEvent) -> bool:
        return self.board.apply_event(event)

    def add_placeholder(self, token: int, prompt: str) -> None:
        self.board.add_placeholder(token, prompt)

    def remove_placeholder(self, token: int) -> None:
        self.board.remove_placeholder(token)

    def mark_idle(self, job_id: int) -> None:
        self.board.mark_idle(job_id)

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
