"""Compare two images side by side or overlaid with a split slider, zoomed and panned together.

Each image is fitted to its pane; one shared zoom/pan (`zoom.zoom_relative`) is applied on
top, so the same region of both stays under the cursor even when their pixel sizes differ.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPainter, QPalette, QPen, QWheelEvent
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton, QSlider, QVBoxLayout, QWidget

from wan27_desktop.library import ImageRecord
from wan27_desktop.ui.viewer import zoom as vm
from wan27_desktop.ui.viewer.canvas import BACKDROP, AsyncImageLoader

SIDE, SPLIT = "side", "split"


class CompareView(QWidget):
    splitChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareView")
        self.setAccessibleName(self.tr("Compare images"))
        self.images = [QImage(), QImage()]
        self.labels = ["", ""]
        self.mode = SPLIT
        self.split = 0.5
        self.zoom, self.pan_x, self.pan_y = 1.0, 0.0, 0.0
        self._drag: QPointF | None = None
        self._dragging_split = False
        self.setMinimumSize(320, 240)

    def set_image(self, which: int, image: QImage, label: str = "") -> None:
        self.images[which] = image
        self.labels[which] = label
        self.update()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.reset_view()

    def set_split(self, fraction: float) -> None:
        self.split = max(0.0, min(1.0, fraction))
        self.splitChanged.emit(self.split)
        self.update()

    def reset_view(self) -> None:
        self.zoom, self.pan_x, self.pan_y = 1.0, 0.0, 0.0
        self.update()

    def panes(self) -> list[QRectF]:
        full = QRectF(self.rect())
        if self.mode == SIDE:
            half = full.width() / 2
            return [QRectF(0, 0, half - 1, full.height()), QRectF(half + 1, 0, half - 1, full.height())]
        return [full, full]

    def state_for(self, which: int) -> vm.ViewState:
        pane = self.panes()[which]
        image = self.images[which]
        base = vm.fit(image.width(), image.height(), int(pane.width()), int(pane.height()))
        state = vm.relative_state(base, self.zoom, self.pan_x, self.pan_y, pane.width() / 2, pane.height() / 2)
        return vm.ViewState(state.scale, state.offset_x + pane.x(), state.offset_y + pane.y())

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), BACKDROP)  # the viewer's neutral dark backdrop (canvas.py)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        panes = self.panes()
        split_x = vm.split_position(self.split, self.width())
        for which in (0, 1):
            image = self.images[which]
            if image.isNull():
                continue
            clip = panes[which]
            if self.mode == SPLIT:
                clip = (
                    QRectF(0, 0, split_x, self.height())
                    if which == 0
                    else QRectF(split_x, 0, self.width() - split_x, self.height())
                )
            state = self.state_for(which)
            painter.save()
            painter.setClipRect(clip)
            painter.drawImage(
                QRectF(state.offset_x, state.offset_y, image.width() * state.scale, image.height() * state.scale), image
            )
            painter.restore()
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
        if self.mode == SPLIT:
            painter.drawLine(split_x, 0, split_x, self.height())
        else:
            painter.drawLine(self.width() // 2, 0, self.width() // 2, self.height())
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        for which, label in enumerate(self.labels):
            if label:
                area = (
                    QRectF(8, 6, self.width() / 2 - 16, 20)
                    if which == 0
                    else QRectF(self.width() / 2 + 8, 6, self.width() / 2 - 16, 20)
                )
                align = Qt.AlignmentFlag.AlignLeft if which == 0 else Qt.AlignmentFlag.AlignRight
                back = palette.color(QPalette.ColorRole.Window)
                back.setAlpha(190)
                metrics = painter.fontMetrics()
                text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(area.width()))
                w = metrics.horizontalAdvance(text) + 10
                box = QRectF(area.x() if which == 0 else area.right() - w, area.y(), w, area.height())
                painter.fillRect(box, back)
                painter.drawText(box, align | Qt.AlignmentFlag.AlignVCenter, " " + text + " ")

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y()
        if delta:
            pane = next((p for p in self.panes() if p.contains(event.position())), self.panes()[0])
            anchor = event.position() - pane.topLeft()
            self.zoom, self.pan_x, self.pan_y = vm.zoom_relative(
                self.zoom,
                self.pan_x,
                self.pan_y,
                vm.wheel_factor(delta),
                anchor.x(),
                anchor.y(),
                pane.width() / 2,
                pane.height() / 2,
            )
            self.update()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        if self.mode == SPLIT and abs(x - vm.split_position(self.split, self.width())) < 8:
            self._dragging_split = True
        else:
            self._drag = event.position()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging_split and self.width():
            self.set_split(event.position().x() / self.width())
        elif self._drag is not None:
            delta = event.position() - self._drag
            self._drag = event.position()
            self.pan_x += delta.x()
            self.pan_y += delta.y()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None
        self._dragging_split = False

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.reset_view()


class CompareWindow(QWidget):
    """A window comparing two library images; loads both full-size files off the UI thread."""

    def __init__(self, left: ImageRecord, right: ImageRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("compareWindow")
        self.setWindowTitle(self.tr("Compare — Wan 2.7"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1200, 760)
        self.records = (left, right)
        self.view = CompareView(self)
        self.side = QRadioButton(self.tr("Side by side"), self)
        self.side.setObjectName("compareSideBySide")
        self.overlay = QRadioButton(self.tr("Split slider"), self)
        self.overlay.setObjectName("compareSplit")
        self.overlay.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.side)
        group.addButton(self.overlay)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("compareSplitSlider")
        self.slider.setAccessibleName(self.tr("Split position"))
        self.slider.setRange(0, 1000)
        self.slider.setValue(500)
        self.slider.valueChanged.connect(lambda v: self.view.set_split(v / 1000))
        self.view.splitChanged.connect(lambda f: self.slider.setValue(round(f * 1000)))
        self.side.toggled.connect(self._mode_changed)
        bar = QHBoxLayout()
        bar.addWidget(self.overlay)
        bar.addWidget(self.side)
        bar.addWidget(self.slider, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.loader = AsyncImageLoader(self)
        self.loader.loaded.connect(self._loaded)
        for which, record in enumerate(self.records):
            self.view.labels[which] = self._label(record)
            self.loader.load(str(record.path), slot=str(which))

    @staticmethod
    def _label(record: ImageRecord) -> str:
        seed = (
            QCoreApplication.translate("CompareWindow", " · seed {seed}").format(seed=record.seed)
            if record.seed is not None
            else ""
        )
        return f"#{record.id} {record.width}×{record.height}{seed} — {(record.prompt or '')[:50]}"

    def _mode_changed(self) -> None:
        self.view.set_mode(SIDE if self.side.isChecked() else SPLIT)
        self.slider.setEnabled(not self.side.isChecked())

    def _loaded(self, slot: str, image: QImage) -> None:
        which = int(slot)
        self.view.set_image(which, image, self._label(self.records[which]))
