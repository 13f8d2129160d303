"""Jobs ▸ Batches…: every batch of the library, newest first, with its state, progress and spend;
Open shows its window (from there: resume, cancel, gallery, export, grid)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop.api.pricing import format_cny
from wan27_desktop.i18n import batch_kind_name
from wan27_desktop.jobs.background import BackgroundWork
from wan27_desktop.library.batches import BatchCounts, BatchRecord
from wan27_desktop.ui.common.widgets import named


class BatchListDialog(QDialog):
    """`openRequested(batch_id)` when the user opens a batch."""

    openRequested = Signal(int)

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchListDialog")
        self.setWindowTitle(self.tr("Batches"))
        self.data_dir = data_dir
        self.batch_ids: list[int] = []
        self._work = BackgroundWork(self, pool="batches")
        layout = QVBoxLayout(self)
        self.empty = QLabel(self.tr("No batches yet: Jobs ▸ New Batch… makes one."), self)
        layout.addWidget(self.empty)
        self.table = named(QTableWidget(0, 6, self), "batchList", self.tr("Batches"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("#"), self.tr("Name"), self.tr("Kind"), self.tr("State"), self.tr("Done"), self.tr("Spent")]
        )
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = named(
            buttons.addButton(self.tr("&Open"), QDialogButtonBox.ButtonRole.ActionRole),
            "batchOpenButton",
            self.tr("Open the selected batch"),
        )
        self.open_button.clicked.connect(self.open_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 380)
        self.reload()

    def reload(self) -> None:
        from wan27_desktop.library import Library

        data_dir = self.data_dir

        def read() -> list[tuple[BatchRecord, BatchCounts]]:
            with Library.open(data_dir, reconcile=False) as library:
                return library.batches.with_counts()

        self._work.run(read, self._loaded)

    def _loaded(self, batches: list[tuple[BatchRecord, BatchCounts]]) -> None:
        self.batch_ids = [batch.id for batch, _ in batches]
        self.empty.setVisible(not batches)
        self.table.setRowCount(len(batches))
        states = {
            "running": self.tr("running"),
            "paused": self.tr("paused"),
            "canceled": self.tr("canceled"),
            "finished": self.tr("finished"),
        }
        for index, (batch, counts) in enumerate(batches):
            values = (
                str(batch.id),
                batch.name,
                batch_kind_name(batch.kind),
                states.get(batch.state, batch.state),
                f"{counts.done}/{counts.total}",
                format_cny(counts.spent),
            )
            for column, text in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(text))
        if batches:
            self.table.selectRow(0)
        self.open_button.setEnabled(bool(batches))

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.openRequested.emit(self.batch_ids[rows[0].row()])
