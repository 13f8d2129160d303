"""A simple large view of one reference (double click on a tile), with what the check found."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from wan27_desktop.ui.common.widgets import muted_color, named, small_font


class _FitImage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pixmap: QPixmap | None = None
        self.text = self.tr("Loading…")

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(800, 600)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        if self.pixmap is None:
            painter.setPen(muted_color(self.palette()))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.text)
            return
        size = self.pixmap.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        if size.width() > self.pixmap.width():  # never upscale a small image
            size = self.pixmap.size()
        x = (self.width() - size.width()) // 2
        y = (self.height() - size.height()) // 2
        painter.drawPixmap(x, y, size.width(), size.height(), self.pixmap)


class ReferenceViewer(QDialog):
    def __init__(self, title: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "referenceViewer", self.tr("Reference image viewer"))
        self.setWindowTitle(title)
        self.canvas = _FitImage(self)
        self.details = QLabel(details, self)
        self.details.setWordWrap(True)
        self.details.setFont(small_font(self))
        self.details.setTextFormat(Qt.TextFormat.RichText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.resize(860, 700)

    def set_image(self, image: QImage) -> None:
        self.canvas.pixmap = QPixmap.fromImage(image) if not image.isNull() else None
        self.canvas.update()

    def set_failed(self, message: str) -> None:
        self.canvas.text = message
        self.canvas.update()
