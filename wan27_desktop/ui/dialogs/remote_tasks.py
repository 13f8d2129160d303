"""Jobs › Tasks at the Service… and Jobs › Fetch a Task by Id…: the account's recent Wan 2.7 tasks as
the service lists them, marked with the job holding each one here, and a way to adopt any task of
this key by its id (made on another machine, by the SDK, or lost to a crash) while the service still
keeps it (24 h, §4.5).

Widgets only: listing the tasks (`load`, run on a worker) and fetching one (`fetch`) are callables
the main window passes in, built on the jobs layer (jobs/remote.py, JobManager.adopt).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop.api.errors import WanError
from wan27_desktop.api.tasklist import is_task_id
from wan27_desktop.i18n import error_message
from wan27_desktop.jobs.background import BackgroundWork
from wan27_desktop.ui.common.widgets import InlineMessage, named, set_text_role

Loader = Callable[[], Sequence[Any]]  # -> [jobs.remote.RemoteTask], on a worker thread
Fetcher = Callable[[str, "str | None"], object]  # (task id, model or None), on the UI thread

COL_TASK, COL_SUBMITTED, COL_STATUS, COL_MODEL, COL_HERE = range(5)


class RemoteTasksDialog(QDialog):
    def __init__(self, parent: QWidget | None, *, load: Loader, fetch: Fetcher, focus_id: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("remoteTasksDialog")
        self.setWindowTitle(self.tr("Tasks at the Service"))
        self.setAccessibleName(self.tr("Tasks at the service"))
        self._load = load
        self._fetch = fetch
        self._tasks: list[Any] = []
        self.background = BackgroundWork(self, pool="dialogs")  # the listing: network, a person waits

        intro = QLabel(
            self.tr(
                "Your account's Wan 2.7 tasks of the last 24 hours, as the service lists them. Fetch one that "
                "is not in this library to save its images; the service keeps a task for 24 hours."
            ),
            self,
        )
        intro.setWordWrap(True)

        self.id_edit = named(QLineEdit(self), "remoteTaskIdEdit", self.tr("Task id"))
        self.id_edit.setPlaceholderText(self.tr("Task id, e.g. 8811b4a4-…"))
        self.id_edit.setClearButtonEnabled(True)
        self.fetch_id_button = named(
            QPushButton(self.tr("&Fetch"), self),
            "remoteFetchIdButton",
            self.tr("Fetch the task with this id"),
            self.tr("Create a job for this task of your key and save its images"),
        )
        id_label = QLabel(self.tr("Task &id:"), self)
        id_label.setBuddy(self.id_edit)
        id_row = QHBoxLayout()
        id_row.addWidget(id_label)
        id_row.addWidget(self.id_edit, 1)
        id_row.addWidget(self.fetch_id_button)
        self.id_problem = InlineMessage("remoteTaskIdProblem", self.tr("Task id problem"), self)

        self.table = named(QTableWidget(0, 5, self), "remoteTasksTable", self.tr("Tasks at the service"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Task id"), self.tr("Submitted"), self.tr("Status"), self.tr("Model"), self.tr("In this library")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.status = named(QLabel(self), "remoteTasksStatus", self.tr("Task list status"))
        self.status.setWordWrap(True)

        self.refresh_button = named(
            QPushButton(self.tr("&Refresh"), self), "remoteRefreshButton", self.tr("Refresh the task list")
        )
        self.fetch_selected_button = named(
            QPushButton(self.tr("Fetch &Selected"), self),
            "remoteFetchSelectedButton",
            self.tr("Fetch the selected task"),
            self.tr("Create a job for the selected task and save its images"),
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.fetch_selected_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        # Enter in the id field fetches that id; it must not also press a default button (Close).
        for button in (*buttons.buttons(), self.fetch_id_button):
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(id_row)
        layout.addWidget(self.id_problem)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(760, 420)

        self.fetch_id_button.clicked.connect(self.fetch_typed_id)
        self.id_edit.returnPressed.connect(self.fetch_typed_id)
        self.id_edit.textChanged.connect(lambda _text: self.id_problem.hide())
        self.refresh_button.clicked.connect(self.refresh)
        self.fetch_selected_button.clicked.connect(self.fetch_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.fetch_selected())
        self._update_buttons()
        (self.id_edit if focus_id else self.table).setFocus()
        self.refresh()

    # -- listing ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.background.busy:
            return
        self.refresh_button.setEnabled(False)
        self._set_status(self.tr("Asking the service for your recent tasks…"), "muted")
        self.background.run(self._load, self._loaded, self._failed)

    def _loaded(self, tasks: Sequence[Any]) -> None:
        self._tasks = list(tasks)
        self.table.setRowCount(len(self._tasks))
        for row, task in enumerate(self._tasks):
            summary = task.summary
            submitted = summary.submitted.astimezone().strftime("%Y-%m-%d %H:%M:%S") if summary.submitted else "–"
            here = self._here(task)
            for column, text in enumerate(
                (summary.task_id, submitted, summary.status.value.title(), summary.model_name or "–", here)
            ):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row)
                if column == COL_HERE:
                    item.setToolTip(text)  # the whole note when the column is too narrow for it
                self.table.setItem(row, column, item)
        missing = sum(1 for task in self._tasks if task.job_id is None)
        if not self._tasks:
            self._set_status(self.tr("No Wan 2.7 tasks at the service in the last 24 hours."), "muted")
        elif missing:
            self._set_status(
                self.tr("%n task(s) are not in this library: select one and choose Fetch Selected.", "", missing),
                "warn",
            )
        else:
            self._set_status(self.tr("Every task listed is in this library."), "muted")
        self.refresh_button.setEnabled(True)
        self._update_buttons()

    def _here(self, task: Any) -> str:
        if task.job_id is not None:
            return self.tr("Job {id}").format(id=task.job_id)
        lost = task.lost_jobs
        if len(lost) == 1:
            return self.tr("Not here: made when job {id}'s answer was lost; fetching it carries it on there").format(
                id=lost[0]
            )
        if lost:
            return self.tr("Not here: made when the answers of jobs {ids} were lost; it could be any one's").format(
                ids=", ".join(str(job_id) for job_id in lost)
            )
        return self.tr("Not here")

    def _failed(self, err: BaseException) -> None:
        text = error_message(err) if isinstance(err, WanError) else str(err)
        self._set_status(self.tr("The task list could not be read: {reason}").format(reason=text), "error")
        self.refresh_button.setEnabled(True)

    def _set_status(self, text: str, role: str) -> None:
        self.status.setText(text)
        set_text_role(self.status, role)

    # -- fetching -----------------------------------------------------------------------------------
    def selected_task(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        return self._tasks[rows[0].row()] if rows and rows[0].row() < len(self._tasks) else None

    def _update_buttons(self) -> None:
        task = self.selected_task()
        self.fetch_selected_button.setEnabled(task is not None and task.job_id is None)

    def fetch_selected(self) -> bool:
        task = self.selected_task()
        if task is None or task.job_id is not None:
            return False
        self._fetch(task.summary.task_id, task.summary.model_name)
        self._fetching(task.summary.task_id)
        return True

    def fetch_typed_id(self) -> bool:
        task_id = self.id_edit.text().strip()
        if not is_task_id(task_id):
            self.id_problem.show_message(
                self.tr("That is not a task id: letters, digits, '-', '_' and '.', as the service gave it."), "error"
            )
            return False
        known = next((t for t in self._tasks if t.summary.task_id == task_id), None)
        self._fetch(task_id, known.summary.model_name if known is not None else None)
        self._fetching(task_id)
        self.id_edit.clear()
        return True

    def _fetching(self, task_id: str) -> None:
        self._set_status(
            self.tr("Fetching task {task}: it appears in the job queue and its images in the gallery.").format(
                task=task_id
            ),
            "muted",
        )
