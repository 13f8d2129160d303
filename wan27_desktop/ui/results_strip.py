"""A simple view of landed results: the fallback for the centre when the gallery cannot load.

Thumbnails are decoded and scaled on a pool thread as QImage (thread-safe, no QPixmap off the UI
thread); the pixmap is made in the slot.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QIcon, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

THUMB = 192


class _Signals(QObject):
    ready = Signal(int, QImage)


class _Decode(QRunnable):
    def __init__(self, image_id: int, path: Path, signals: _Signals) -> None:
        super().__init__()
        self._image_id, self._path, self._signals = image_id, path, signals

    def run(self) -> None:  # pool thread
        reader = QImageReader(str(self._path))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid():
            reader.setScaledSize(size.scaled(QSize(THUMB, THUMB), Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        self._signals.ready.emit(self._image_id, image)


class ResultsStrip(QListWidget):
    """Newest first; one tile per landed image."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsStrip")
        self.setAccessibleName("Results")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setGridSize(QSize(THUMB + 16, THUMB + 16))
        self.setUniformItemSizes(True)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.ready.connect(self._decoded)
        self._items: dict[int, QListWidgetItem] = {}

    def add_image(self, image_id: int, path: Path) -> None:
        if image_id in self._items:
            return
        item = QListWidgetItem(QIcon(), "")
        item.setToolTip(str(path))
        item.setData(Qt.ItemDataRole.UserRole, image_id)
        item.setSizeHint(QSize(THUMB + 16, THUMB + 16))
        self.insertItem(0, item)
        self._items[image_id] = item
        self._pool.start(_Decode(image_id, path, self._signals))

    def image_ids(self) -> list[int]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())]

    def _decoded(self, image_id: int, image: QImage) -> None:
        item = self._items.get(image_id)
        if item is not None and not image.isNull():
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def shutdown(self) -> None:
        self._pool.clear()
        self._pool.waitForDone(5000)
