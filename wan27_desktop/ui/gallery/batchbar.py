"""The line over the grid while the gallery shows one batch (issue 17): which batch, its rows and what
it has cost, with the batch's export (images + CSV, the batch window's own) and its window.

The panel reads the batch (`BatchStore.get_batch` and `counts`, the numbers the batch window shows)
on its worker and hands them here. Made the first time a batch is shown, not with the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from wan27_desktop.api.pricing import format_cny

if TYPE_CHECKING:
    from wan27_desktop.library.batches import BatchCounts, BatchRecord


class BatchBar(QWidget):
    """`exportRequested` / `openRequested` for the batch shown (`batch_id`)."""

    exportRequested = Signal()
    openRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("galleryBatchBar")
        self.batch_id: int | None = None
        self.summary = QLabel(self)
        self.summary.setObjectName("galleryBatchSummary")
        self.summary.setAccessibleName(self.tr("Batch shown"))
        self.summary.setWordWrap(True)
        self.export_button = QPushButton(self.tr("E&xport Batch…"), self)
        self.export_button.setObjectName("galleryBatchExport")
        self.export_button.setAccessibleName(self.tr("Export the batch's images and CSV"))
        self.export_button.setToolTip(
            self.tr("Every row's images in row order, and a CSV of prompts, parameters, costs and ids")
        )
        self.open_button = QPushButton(self.tr("Batch &Window"), self)
        self.open_button.setObjectName("galleryBatchOpen")
        self.open_button.setAccessibleName(self.tr("Open the batch's window"))
        self.open_button.setToolTip(self.tr("Progress, pause and resume, cancel and the matrix grid"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 2)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.export_button)
        layout.addWidget(self.open_button)
        self.export_button.clicked.connect(self.exportRequested)
        self.open_button.clicked.connect(self.openRequested)

    def show_reading(self, batch_id: int) -> None:
        """A batch was chosen; its numbers follow from the worker."""
        self.batch_id = batch_id
        self.summary.setText(self.tr("Batch #{id}").format(id=batch_id))

    def show_batch(self, batch: BatchRecord, counts: BatchCounts) -> None:
        self.batch_id = batch.id
        text = self.tr("Batch #{id} “{name}”: %n row(s), {done} done · spent {spent}", "", counts.total).format(
            id=batch.id, name=batch.name, done=counts.done, spent=format_cny(counts.spent)
        )
        if counts.estimated_left:
            text += " · " + self.tr("up to {left} still to come").format(left=format_cny(counts.estimated_left))
        self.summary.setText(text)
        self.export_button.setEnabled(True)
        self.open_button.setEnabled(True)

    def show_missing(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.summary.setText(self.tr("Batch #{id} is no longer in the library.").format(id=batch_id))
        self.export_button.setEnabled(False)
        self.open_button.setEnabled(False)

    def text(self) -> str:
        return self.summary.text()
