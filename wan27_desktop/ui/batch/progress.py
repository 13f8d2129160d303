"""A batch's window: progress (done, running, queued, failed), spend so far, time left, the rows in
order with their state, and pause/resume, cancel, show in the gallery, export and (matrix) grid.

Updates arrive coalesced from `BatchManager`; the rows are read from the journal on a worker at
most every RELOAD_MS while the batch runs, so a fast batch never keeps the UI thread busy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop.api.errors import WanError
from wan27_desktop.api.pricing import format_cny
from wan27_desktop.i18n import error_message
from wan27_desktop.jobs.background import BackgroundWork
from wan27_desktop.jobs.batch.qt import BatchProgress
from wan27_desktop.library import batches as b
from wan27_desktop.library.batches import BatchCounts, BatchRecord, BatchRow
from wan27_desktop.library.job_records import prompt_of_request
from wan27_desktop.ui.batch.dialog import duration_text
from wan27_desktop.ui.common.widgets import InlineMessage, named

RELOAD_MS = 1000


class BatchWindow(QDialog):
    """One batch. Signals carry its id: `pauseRequested`, `resumeRequested`, `cancelRequested`,
    `showInGalleryRequested`."""

    pauseRequested = Signal(int)
    resumeRequested = Signal(int)
    cancelRequested = Signal(int)
    showInGalleryRequested = Signal(int)
    loaded = Signal(int)  # the batch and its rows are shown (after every read)

    def __init__(self, batch_id: int, data_dir: Path, *, running: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchWindow")
        self.setWindowTitle(self.tr("Batch %1").replace("%1", str(batch_id)))
        self.batch_id = batch_id
        self.data_dir = data_dir
        self.running = running
        self.batch: BatchRecord | None = None
        self.counts = BatchCounts()
        self.eta_s: float | None = None
        self._work = BackgroundWork(self, pool="batches")
        self._reload_due = False
        self._loading = False
        self._prompts: dict[int, str] = {}  # row position -> what the Prompt column shows
        self._status_texts: dict[tuple[str, str], str] = {}
        self._answer_lost: set[int] = set()  # positions of rows paused with a lost create answer
        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_MS)
        self._reload_timer.timeout.connect(self.reload)
        self._notice_timer = QTimer(self, singleShot=True)
        self._notice_timer.timeout.connect(lambda: self.notice.clear_message())
        self._build()
        self.resize(760, 560)
        self.reload()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.title = named(QLabel(self), "batchTitle", self.tr("Batch"))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.bar = named(QProgressBar(self), "batchProgress", self.tr("Batch progress"))
        layout.addWidget(self.bar)
        self.counts_label = named(QLabel(self), "batchCounts", self.tr("Rows by state"))
        layout.addWidget(self.counts_label)
        self.spend_label = named(QLabel(self), "batchSpend", self.tr("Spend and time left"))
        layout.addWidget(self.spend_label)
        self.notice = InlineMessage("batchNotice", self.tr("Batch notice"), self)
        layout.addWidget(self.notice)
        self.rows_model = BatchRowsModel(
            [self.tr("#"), self.tr("Line"), self.tr("Prompt"), self.tr("State"), self.tr("Cost")], self
        )
        self.table = named(QTableView(self), "batchRows", self.tr("Batch rows"))
        self.table.setModel(self.rows_model)
        header = self.table.horizontalHeader()
        # Fixed widths, not ResizeToContents: that measures every row on every change.
        for column, width in ((0, 44), (1, 52), (3, 200), (4, 80)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.pause_button = named(QPushButton(self.tr("&Pause"), self), "batchPauseButton", self.tr("Pause the batch"))
        self.cancel_button = named(
            QPushButton(self.tr("Cancel &Batch…"), self), "batchCancelBatchButton", self.tr("Cancel the batch")
        )
        self.gallery_button = named(
            QPushButton(self.tr("Show in &Gallery"), self), "batchGalleryButton", self.tr("Show the batch's images")
        )
        self.export_button = named(
            QPushButton(self.tr("&Export…"), self), "batchExportButton", self.tr("Export the batch's images and CSV")
        )
        self.grid_button = named(
            QPushButton(self.tr("G&rid…"), self), "batchGridButton", self.tr("Save the matrix as a labelled grid")
        )
        close = named(QPushButton(self.tr("Close"), self), "batchCloseButton", self.tr("Close this window"))
        actions = (self.pause_button, self.cancel_button, self.gallery_button, self.export_button, self.grid_button)
        for button in actions:
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.pause_button.clicked.connect(self._pause_or_resume)
        self.cancel_button.clicked.connect(self.confirm_cancel)
        self.gallery_button.clicked.connect(lambda: self.showInGalleryRequested.emit(self.batch_id))
        self.export_button.clicked.connect(self.choose_export)
        self.grid_button.clicked.connect(self.choose_grid)
        close.clicked.connect(self.close)
        self._sync_buttons()

    # -- updates ---------------------------------------------------------------------------------------
    def apply_progress(self, progress: BatchProgress) -> None:
        update = progress.update
        self.counts = update.counts
        self.eta_s = update.eta_s
        if progress.throttled_for is not None:
            self.notice.show_message(
                self.tr("Rate-limited by the service: every row waits, retrying in {seconds} s.").format(
                    seconds=max(1, round(progress.throttled_for))
                ),
                "warn",
            )
            self._notice_timer.start(int(max(1.0, progress.throttled_for) * 1000) + 500)
        if self.batch is not None and update.state != self.batch.state:
            from dataclasses import replace

            self.batch = replace(self.batch, state=update.state)
            self._sync_buttons()
        self._show_counts()
        self._schedule_reload()

    def set_running(self, running: bool) -> None:
        self.running = running
        self._sync_buttons()
        self._schedule_reload(now=True)

    def _schedule_reload(self, *, now: bool = False) -> None:
        if now:
            self._reload_timer.start(0)
        elif not self._reload_timer.isActive():
            self._reload_timer.start(RELOAD_MS)

    def reload(self) -> None:
        """Read the batch and its rows (worker); at most one read at a time."""
        from wan27_desktop.library import Library

        if self._loading:
            self._reload_due = True
            return
        self._loading = True
        batch_id, data_dir = self.batch_id, self.data_dir
        requests = not self._prompts  # the rows' requests never change: read them once

        def read() -> tuple[BatchRecord, list[BatchRow], BatchCounts, set[int]]:
            from wan27_desktop.jobs.remote import paused_rows

            with Library.open(data_dir, reconcile=False) as library:
                store = library.batches
                rows = store.rows(batch_id, requests=requests)
                return store.get_batch(batch_id), rows, store.counts(batch_id), paused_rows(library, rows)

        self._work.run(read, self._loaded, self._load_failed)

    def _loaded(self, result: tuple[BatchRecord, list[BatchRow], BatchCounts, set[int]]) -> None:
        self._loading = False
        self.batch, rows, self.counts, self._answer_lost = result
        self.title.setText(
            self.tr("Batch {id}: {name}").format(id=self.batch.id, name=self.batch.name) + f"  ({self._state_text()})"
        )
        self.table.setColumnHidden(1, self.batch.kind != "list")  # source lines: lists only
        self._fill(rows)
        self._show_counts()
        self._sync_buttons()
        self.loaded.emit(self.batch_id)
        if self._reload_due:
            self._reload_due = False
            self._schedule_reload()

    def _load_failed(self, err: BaseException) -> None:
        self._loading = False
        self.notice.show_message(error_message(err) if isinstance(err, WanError) else str(err), "error")

    def _fill(self, rows: list[BatchRow]) -> None:
        lines = []
        for row in rows:
            if row.request_json:
                labels = " · ".join(row.labels.values())
                prompt = prompt_of_request(row.request_json)
                self._prompts[row.position] = f"{prompt}  [{labels}]" if labels else prompt
            lines.append(
                (
                    (
                        str(row.position + 1),
                        "" if row.line is None else str(row.line),
                        self._prompts.get(row.position, ""),
                        self._status_text(row),
                        format_cny(row.cost) if row.cost else "",
                    ),
                    row.error or row.job_error or "",
                )
            )
        self.rows_model.set_lines(lines)

    def _status_text(self, row: BatchRow) -> str:
        lost = row.position in self._answer_lost
        key = (row.status, "answer_lost" if lost else row.job_state.value if row.job_state is not None else "")
        text = self._status_texts.get(key)
        if text is None:  # translated once per kind of row, not once per row and reload
            texts = {
                "queued": self.tr("queued"),
                "running": self.tr("running"),
                "done": self.tr("done"),
                "failed": self.tr("failed"),
                "canceled": self.tr("canceled"),
            }
            details = {
                # A create's answer lost, its task not told apart yet: the tooltip says why.
                "answer_lost": self.tr("answer lost"),
                "interrupted": self.tr("interrupted, may have been billed"),
                "partially_done": self.tr("partly done"),
                "expired": self.tr("expired"),
            }
            text = texts.get(row.status, row.status)
            if key[1] == "answer_lost":  # not running: paused until its task is told apart
                text = self.tr("paused")
            if key[1] in details:
                text = f"{text} ({details[key[1]]})"
            self._status_texts[key] = text
        return text

    def _state_text(self) -> str:
        state = self.batch.state if self.batch is not None else ""
        return {
            b.RUNNING: self.tr("running") if self.running else self.tr("interrupted"),
            b.PAUSED: self.tr("paused"),
            b.CANCELED: self.tr("canceled"),
            b.FINISHED: self.tr("finished"),
        }.get(state, state)

    def _show_counts(self) -> None:
        counts = self.counts
        self.bar.setRange(0, max(1, counts.total))
        self.bar.setValue(counts.finished)
        paused = len(self._answer_lost)
        template = self.tr("Done {done} · Running {running} · Queued {queued} · Failed {failed} · Canceled {canceled}")
        text = template.format(
            done=counts.done,
            running=max(0, counts.running - paused),
            queued=counts.queued,
            failed=counts.failed,
            canceled=counts.canceled,
        )
        if paused:
            text += " · " + self.tr("Paused {paused} (answer lost)").format(paused=paused)
        self.counts_label.setText(text)
        spend = self.tr("Spent {spent} so far").format(spent=format_cny(counts.spent))
        if counts.estimated_left:
            spend += " · " + self.tr("up to {left} still to come").format(left=format_cny(counts.estimated_left))
        if self.running and self.eta_s and counts.queued + counts.running:
            spend += " · " + self.tr("about {time} left").format(time=duration_text(self.eta_s))
        self.spend_label.setText(spend)

    def _sync_buttons(self) -> None:
        state = self.batch.state if self.batch is not None else b.RUNNING
        open_rows = self.counts.queued + self.counts.running > 0 or self.batch is None
        ended = state in (b.CANCELED, b.FINISHED)
        paused = state == b.PAUSED or (state == b.RUNNING and not self.running)
        self.pause_button.setText(self.tr("&Resume") if paused else self.tr("&Pause"))
        self.pause_button.setAccessibleName(self.tr("Resume the batch") if paused else self.tr("Pause the batch"))
        self.pause_button.setEnabled(not ended and open_rows)
        self.cancel_button.setEnabled(not ended and open_rows)
        has_images = self.counts.done > 0
        self.export_button.setEnabled(self.batch is not None)
        self.gallery_button.setEnabled(has_images)
        self.grid_button.setVisible(self.batch is not None and self.batch.kind == "matrix")
        self.grid_button.setEnabled(has_images)

    # -- actions ----------------------------------------------------------------------------------------
    def _pause_or_resume(self) -> None:
        state = self.batch.state if self.batch is not None else b.RUNNING
        if state == b.PAUSED or not self.running:
            self.resumeRequested.emit(self.batch_id)
        else:
            self.pauseRequested.emit(self.batch_id)
        self._schedule_reload(now=True)

    def confirm_cancel(self) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Cancel the batch?"),
            self.tr(
                "Rows not yet sent are not sent (nothing billed); tasks still waiting at the service are "
                "canceled there. Tasks already running will be billed, so they finish and their images are kept."
            ),
            QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("batchCancelBox")
        yes = box.addButton(self.tr("Cancel Batch"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.buttonClicked.connect(lambda button: self.cancelRequested.emit(self.batch_id) if button is yes else None)
        self.cancel_box = box
        box.open()
        return box

    def choose_export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export the batch to"))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        from wan27_desktop.jobs.batch.export import export_batch
        from wan27_desktop.library import Library

        batch_id, data_dir = self.batch_id, self.data_dir

        def work() -> Any:
            with Library.open(data_dir, reconcile=False) as library:
                return export_batch(library, batch_id, folder)

        self.notice.show_message(self.tr("Exporting…"))
        self._work.run(
            work,
            lambda report: self.notice.show_message(
                self.tr("%n image(s) and {csv} written to {folder}", "", len(report.files)).format(
                    csv=report.csv_path.name, folder=str(report.folder)
                )
            ),
            self._action_failed,
        )

    def choose_grid(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the grid as"), "grid.png", self.tr("PNG (*.png)"))
        if path:
            self.grid_to(Path(path))

    def grid_to(self, path: Path) -> None:
        from wan27_desktop.jobs.batch.export import export_grid
        from wan27_desktop.library import Library

        batch_id, data_dir = self.batch_id, self.data_dir

        def work() -> Path:
            with Library.open(data_dir, reconcile=False) as library:
                return export_grid(library, batch_id, path)

        self.notice.show_message(self.tr("Drawing the grid…"))
        self._work.run(work, self._grid_saved, self._action_failed)

    def _grid_saved(self, saved: Path) -> None:
        self.notice.show_message(self.tr("Grid saved: {path}").format(path=str(saved)))

    def _action_failed(self, err: BaseException) -> None:
        self.notice.show_message(error_message(err) if isinstance(err, WanError) else str(err), "error")

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Escape:
            self.close()  # Escape closes the window, never cancels the batch
            return
        super().keyPressEvent(event)


_Line = tuple[tuple[str, str, str, str, str], str]  # the columns' texts, and the row's error (tooltip)


class BatchRowsModel(QAbstractTableModel):
    """The rows' texts; `set_lines` reports only the rows whose text changed."""

    def __init__(self, headers: list[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = headers
        self._lines: list[_Line] = []

    def set_lines(self, lines: list[_Line]) -> None:
        if len(lines) != len(self._lines):
            self.beginResetModel()
            self._lines = lines
            self.endResetModel()
            return
        changed = [index for index, (old, new) in enumerate(zip(self._lines, lines, strict=True)) if old != new]
        self._lines = lines
        if changed:
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], len(self._headers) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        texts, error = self._lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3 and error:
            return error
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def text(self, row: int, column: int) -> str:
        return self._lines[row][0][column]
