"""The job queue panel: a table of journaled jobs plus actions on the selected one.

The model (queue_model.py) mirrors the workspace's job board, which job events and the journal
(read on a worker) keep current. One QTimer for the whole view ticks the elapsed time of active jobs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop import i18n
from wan27_desktop.library import JobRecord, JobState
from wan27_desktop.ui.common.style import Tone, tone_color
from wan27_desktop.ui.jobs.queue_model import STATE_LABELS, JobQueueModel, JobRow, format_elapsed
from wan27_desktop.workspace.jobs import JobBoard

if TYPE_CHECKING:
    # Only for hints: the runner and what it needs load with the job manager, after the first paint.
    from wan27_desktop.jobs.runner import JobEvent

__all__ = ["STATE_LABELS", "JobQueueModel", "JobQueuePanel", "JobRow", "format_elapsed"]


# -- panel ----------------------------------------------------------------------------------------
def _tool_button(name: str, text: str, accessible: str, tip: str, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setObjectName(name)
    button.setText(text)
    button.setAccessibleName(accessible)
    button.setToolTip(tip)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setAutoRaise(True)
    return button


class JobQueuePanel(QWidget):
    """The queue: a table of jobs plus actions on the selected one (buttons, context menu, keys)."""

    cancelRequested = Signal(int)
    retryRequested = Signal(int)
    resumeRequested = Signal(int)
    showResultsRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None, board: JobBoard | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobQueuePanel")
        self.model = JobQueueModel(self, board)

        self.view = QTableView(self)
        self.view.setObjectName("jobTable")
        self.view.setAccessibleName(self.tr("Jobs"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        widths = {
            JobQueueModel.COL_STATE: 170,
            JobQueueModel.COL_PROMPT: 300,
            JobQueueModel.COL_ELAPSED: 70,
            JobQueueModel.COL_SERVER: 100,
            JobQueueModel.COL_PROGRESS: 70,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.doubleClicked.connect(lambda index: self._show_results_at(index.row()))

        self.title = QLabel(self.tr("Jobs"), self)
        self.title.setObjectName("jobQueueTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel(self)
        self.summary.setObjectName("jobQueueSummary")
        self.summary.setEnabled(False)  # the disabled text colour reads as secondary in both schemes
        self.cancel_button = _tool_button(
            "jobCancelButton",
            self.tr("Cancel"),
            self.tr("Cancel job"),
            self.tr("Cancel the selected job (Delete)"),
            self,
        )
        self.retry_button = _tool_button(
            "jobRetryButton",
            self.tr("Retry"),
            self.tr("Retry job"),
            self.tr("Run the selected job again as a new job"),
            self,
        )
        self.resume_button = _tool_button(
            "jobResumeButton",
            self.tr("Resume"),
            self.tr("Resume job"),
            self.tr("Carry the selected job on: fetch its task's images, or try its result links again"),
            self,
        )
        self.results_button = _tool_button(
            "jobShowResultsButton",
            self.tr("Show results"),
            self.tr("Show job results"),
            self.tr("Show this job's images in the gallery (double-click)"),
            self,
        )
        self.copy_button = _tool_button(
            "jobCopyDetailsButton",
            self.tr("Copy details"),
            self.tr("Copy job details"),
            self.tr("Copy the job's error, code, hint and request id"),
            self,
        )
        # The header can serve as a dock's title bar (MainWindow does that): one row, not two.
        self.header = QWidget(self)
        self.header.setObjectName("jobQueueHeader")
        bar = QHBoxLayout(self.header)
        bar.setContentsMargins(8, 3, 4, 3)
        bar.setSpacing(2)
        bar.addWidget(self.title)
        bar.addSpacing(8)
        bar.addWidget(self.summary, 1)
        for button in (
            self.cancel_button,
            self.resume_button,
            self.retry_button,
            self.results_button,
            self.copy_button,
        ):
            bar.addWidget(button)
        # The selected job's error in full (code, hint, request id), selectable for copying.
        self.error_details = QLabel(self)
        self.error_details.setObjectName("jobErrorDetails")
        self.error_details.setAccessibleName(self.tr("Job error details"))
        self.error_details.setWordWrap(True)
        self.error_details.setTextFormat(Qt.TextFormat.PlainText)
        self.error_details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.error_details.setContentsMargins(10, 6, 10, 6)
        self.error_details.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error_details)

        self.cancel_button.clicked.connect(lambda: self._act(self.cancelRequested, "can_cancel"))
        self.retry_button.clicked.connect(lambda: self._act(self.retryRequested, "can_retry"))
        self.resume_button.clicked.connect(lambda: self._act(self.resumeRequested, "can_resume"))
        self.results_button.clicked.connect(lambda: self._act(self.showResultsRequested, "has_results"))
        self.copy_button.clicked.connect(self.copy_details)
        self.cancel_action = QAction(self.tr("Cancel job"), self)
        self.cancel_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.cancel_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.cancel_action.triggered.connect(lambda: self._act(self.cancelRequested, "can_cancel"))
        self.copy_action = QAction(self.tr("Copy details"), self)
        self.copy_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy_details)
        self.view.addActions([self.cancel_action, self.copy_action])

        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.dataChanged.connect(self._update_buttons)
        self.model.rowsInserted.connect(self._update_buttons)
        self.model.rowsChangedState.connect(self._state_changed)
        # One timer for the whole view (not one per row): ticks only while a job is active.
        self.ticker = QTimer(self)
        self.ticker.setObjectName("jobQueueTicker")
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        self._update_buttons()
        self._update_summary()

    # -- feeding ----------------------------------------------------------------------------------
    def apply_event(self, event: JobEvent) -> bool:
        return self.model.apply_event(event)

    def apply_records(self, records: Iterable[tuple[JobRecord, int]]) -> list[int]:
        return self.model.apply_records(records)

    def _state_changed(self, _job_id: int) -> None:
        if self.model.active_rows() and not self.ticker.isActive():
            self.ticker.start()
        self._update_summary()

    def _tick(self) -> None:
        if not self.model.tick():
            self.ticker.stop()

    def _update_summary(self) -> None:
        jobs = self.model.jobs()
        active = sum(1 for j in jobs if j.active)
        elsewhere = sum(1 for j in jobs if j.running_elsewhere)
        failed = sum(1 for j in jobs if j.state in (JobState.FAILED, JobState.INTERRUPTED))
        parts = []
        if active:
            parts.append(self.tr("%n running", "", active))
        if elsewhere:
            parts.append(self.tr("%n in other windows", "", elsewhere))
        if failed:
            parts.append(self.tr("%n need attention", "", failed))
        if not jobs:
            parts.append(self.tr("Nothing yet: generated jobs appear here"))
        self.summary.setText(" · ".join(parts))

    # -- selection & actions ----------------------------------------------------------------------
    def selected_job(self) -> JobRow | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.job_at(rows[0].row())

    def select_job(self, job_id: int) -> None:
        position = self.model.row_of(job_id)
        if position is not None:
            self.view.selectRow(position)

    def _act(self, signal: Any, predicate: str) -> None:
        job = self.selected_job()
        if job is not None and getattr(job, predicate):
            signal.emit(job.job_id)

    def _show_results_at(self, row: int) -> None:
        job = self.model.job_at(row)
        if job is not None and job.has_results:
            self.showResultsRequested.emit(job.job_id)

    def copy_details(self) -> str:
        job = self.selected_job()
        if job is None:
            return ""
        text = job.details()
        QGuiApplication.clipboard().setText(text)
        return text

    def _update_buttons(self, *_: object) -> None:
        job = self.selected_job()
        self.cancel_button.setEnabled(bool(job and job.can_cancel))
        self.retry_button.setEnabled(bool(job and job.can_retry))
        self.resume_button.setEnabled(bool(job and job.can_resume))
        self.results_button.setEnabled(bool(job and job.has_results))
        self.copy_button.setEnabled(job is not None)
        self.cancel_action.setEnabled(bool(job and job.can_cancel))
        self._show_error(job)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._show_error(self.selected_job())  # its border colour follows a theme switch

    def _show_error(self, job: JobRow | None) -> None:
        if job is None or not (job.error_message or job.error_code or job.notice):
            self.error_details.hide()
            return
        if job.error_message or job.error_code:
            headline = ": ".join(p for p in (job.error_code, i18n.message_text(job.error_message)) if p)
        else:
            headline = job.notice or ""
        lines = [headline]
        if job.error_hint:
            lines.append(self.tr("What to do: {hint}").format(hint=i18n.hint_text(job.error_hint)))
        if job.request_id:
            lines.append(self.tr("Request id: {id}").format(id=job.request_id))
        self.error_details.setText("\n".join(lines))
        warning = job.state in (JobState.CANCELED, JobState.INTERRUPTED) or not (job.error_message or job.error_code)
        tone = Tone.WARNING if warning else Tone.ERROR
        color = tone_color(tone, self.palette())
        self.error_details.setStyleSheet(f"QLabel#jobErrorDetails {{ border-top: 1px solid {color.name()}; }}")
        self.error_details.show()

    def context_menu(self, job: JobRow) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("jobContextMenu")
        cancel = menu.addAction(self.tr("Cancel"), lambda: self.cancelRequested.emit(job.job_id))
        cancel.setEnabled(job.can_cancel)
        resume = menu.addAction(self.tr("Resume"), lambda: self.resumeRequested.emit(job.job_id))
        resume.setEnabled(job.can_resume)
        retry = menu.addAction(self.tr("Retry"), lambda: self.retryRequested.emit(job.job_id))
        retry.setEnabled(job.can_retry)
        results = menu.addAction(self.tr("Show results"), lambda: self.showResultsRequested.emit(job.job_id))
        results.setEnabled(job.has_results)
        menu.addSeparator()
        menu.addAction(self.tr("Copy details"), self.copy_details)
        return menu

    def _context_menu(self, point: QPoint) -> None:
        index = self.view.indexAt(point)
        if not index.isValid():
            return
        self.view.selectRow(index.row())
        job = self.model.job_at(index.row())
        if job is not None:
            self.context_menu(job).popup(self.view.viewport().mapToGlobal(point))
