"""Region boxes on one reference image (§3.2): draw up to 2 by dragging, move and resize them by
their edges and corners, delete them; coordinates are shown and returned in the ORIGINAL image's
pixels (the preview is scaled; `box_math` does the mapping).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop.api import rules
from wan27_desktop.api.models import Box
from wan27_desktop.ui.common.widgets import InlineMessage, muted_color, named, small_font
from wan27_desktop.ui.generate.box_math import (
    Handle,
    ImageFit,
    box_to_widget,
    fit_image,
    handle_at,
    moved_box,
    normalised_box,
    resized_box,
    to_image,
)

_CURSORS = {
    Handle.TOP_LEFT: Qt.CursorShape.SizeFDiagCursor,
    Handle.BOTTOM_RIGHT: Qt.CursorShape.SizeFDiagCursor,
    Handle.TOP_RIGHT: Qt.CursorShape.SizeBDiagCursor,
    Handle.BOTTOM_LEFT: Qt.CursorShape.SizeBDiagCursor,
    Handle.TOP: Qt.CursorShape.SizeVerCursor,
    Handle.BOTTOM: Qt.CursorShape.SizeVerCursor,
    Handle.LEFT: Qt.CursorShape.SizeHorCursor,
    Handle.RIGHT: Qt.CursorShape.SizeHorCursor,
    Handle.MOVE: Qt.CursorShape.SizeAllCursor,
}
MARGIN = 10


def describe_box(number: int, box: Box) -> str:
    text = QCoreApplication.translate("BoxEditor", "Box {number}: ({x1}, {y1}) → ({x2}, {y2}) · {width} × {height} px")
    return text.format(
        number=number, x1=box.x1, y1=box.y1, x2=box.x2, y2=box.y2, width=box.x2 - box.x1, height=box.y2 - box.y1
    )


class BoxCanvas(QWidget):
    """The image scaled to fit with its boxes on top. All state is in original image pixels."""

    boxesChanged = Signal()
    selectionChanged = Signal(int)
    message = Signal(str)

    def __init__(self, image_w: int, image_h: int, boxes: tuple[Box, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "boxCanvas", self.tr("Region box canvas"))
        self.setAccessibleDescription(
            self.tr(
                "Drag to draw a box; drag a box to move it; drag its edges to "
                "resize; Delete removes the selected box; arrow keys nudge it."
            )
        )
        self.image_w, self.image_h = image_w, image_h
        self._boxes: list[Box] = list(boxes)[: rules.MAX_BOXES_PER_IMAGE]
        self._selected = len(self._boxes) - 1
        self._pixmap: QPixmap | None = None
        self._loading_text = self.tr("Loading preview…")
        self._drag: tuple[Handle | None, int, tuple[int, int], Box | None] | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # --- state ---------------------------------------------------------------------------------
    def boxes(self) -> tuple[Box, ...]:
        return tuple(self._boxes)

    def selected(self) -> int:
        return self._selected

    def set_selected(self, index: int) -> None:
        index = index if 0 <= index < len(self._boxes) else -1
        if index != self._selected:
            self._selected = index
            self.selectionChanged.emit(index)
            self.update()

    def set_boxes(self, boxes: tuple[Box, ...]) -> None:
        self._boxes = list(boxes)[: rules.MAX_BOXES_PER_IMAGE]
        self._selected = min(self._selected, len(self._boxes) - 1)
        self.boxesChanged.emit()
        self.update()

    def delete_selected(self) -> bool:
        if not 0 <= self._selected < len(self._boxes):
            return False
        del self._boxes[self._selected]
        self._selected = len(self._boxes) - 1
        self.boxesChanged.emit()
        self.selectionChanged.emit(self._selected)
        self.update()
        return True

    def set_image(self, image: QImage) -> None:
        """The preview (any size: it is drawn scaled into the original's frame). UI thread only."""
        self._pixmap = QPixmap.fromImage(image) if not image.isNull() else None
        self.update()

    def set_loading_text(self, text: str) -> None:
        self._loading_text = text
        self.update()

    def fit(self) -> ImageFit:
        return fit_image(self.image_w, self.image_h, self.width(), self.height(), MARGIN)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(640, 440)

    # --- mouse ---------------------------------------------------------------------------------
    def _grab(self, x: float, y: float) -> tuple[int, Handle] | None:
        fit = self.fit()
        order = [self._selected] if 0 <= self._selected < len(self._boxes) else []
        order += [i for i in reversed(range(len(self._boxes))) if i != self._selected]
        for index in order:
            handle = handle_at(fit, self._boxes[index], x, y)
            if handle is not None:
                return index, handle
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self.setFocus()
        pos = event.position()
        point = to_image(self.fit(), pos.x(), pos.y())
        grabbed = self._grab(pos.x(), pos.y())
        if grabbed is not None:
            index, handle = grabbed
            self.set_selected(index)
            self._drag = (handle, index, point, self._boxes[index])
            return None
        fit = self.fit()
        inside = fit.x0 <= pos.x() <= fit.x0 + fit.shown_w and fit.y0 <= pos.y() <= fit.y0 + fit.shown_h
        if not inside:
            self.set_selected(-1)
            return None
        if len(self._boxes) >= rules.MAX_BOXES_PER_IMAGE:
            self.message.emit(
                self.tr("At most {count} boxes per image (§3.2): select one and press Delete to draw another.").format(
                    count=rules.MAX_BOXES_PER_IMAGE
                )
            )
            return None
        self._boxes.append(Box(point[0], point[1], point[0], point[1]))
        self._selected = len(self._boxes) - 1
        self._drag = (None, self._selected, point, None)  # None handle: drawing a new box
        self.selectionChanged.emit(self._selected)
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        pos = event.position()
        if self._drag is None:
            grabbed = self._grab(pos.x(), pos.y())
            self.setCursor(_CURSORS[grabbed[1]] if grabbed else Qt.CursorShape.CrossCursor)
            return
        handle, index, start, original = self._drag
        point = to_image(self.fit(), pos.x(), pos.y())
        if handle is None:
            drawn = normalised_box(start[0], start[1], point[0], point[1], self.image_w, self.image_h)
            self._boxes[index] = drawn or Box(start[0], start[1], start[0], start[1])
        elif handle is Handle.MOVE and original is not None:
            self._boxes[index] = moved_box(
                original, point[0] - start[0], point[1] - start[1], self.image_w, self.image_h
            )
        elif original is not None:
            self._boxes[index] = resized_box(original, handle, point[0], point[1], self.image_w, self.image_h)
        self.boxesChanged.emit()
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self._drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        handle, index, _start, _original = self._drag
        self._drag = None
        if handle is None:
            box = self._boxes[index]
            if normalised_box(box.x1, box.y1, box.x2, box.y2, self.image_w, self.image_h) is None:
                del self._boxes[index]  # a click, not a drag: no box
                self._selected = len(self._boxes) - 1
                self.selectionChanged.emit(self._selected)
        self.boxesChanged.emit()
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.delete_selected():
            return
        steps: dict[int, tuple[int, int]] = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in steps and 0 <= self._selected < len(self._boxes):
            factor = 10 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
            dx, dy = steps[key]
            self._boxes[self._selected] = moved_box(
                self._boxes[self._selected], dx * factor, dy * factor, self.image_w, self.image_h
            )
            self.boxesChanged.emit()
            self.update()
            return
        super().keyPressEvent(event)

    # --- painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        fit = self.fit()
        frame = QRectF(fit.x0, fit.y0, fit.shown_w, fit.shown_h)
        if self._pixmap is not None:
            painter.drawPixmap(frame, self._pixmap, QRectF(self._pixmap.rect()))
        else:
            painter.fillRect(frame, palette.color(QPalette.ColorRole.AlternateBase))
            painter.setPen(muted_color(palette))
            painter.drawText(frame, Qt.AlignmentFlag.AlignCenter, self._loading_text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        for index, box in enumerate(self._boxes):
            left, top, width, height = box_to_widget(fit, box)
            rect = QRectF(left, top, width, height)
            selected = index == self._selected
            # A dark halo under the accent keeps the outline visible on any image.
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(0, 0, 0, 150), 4))
            painter.drawRect(rect)
            fill = QColor(accent)
            fill.setAlpha(45 if selected else 20)
            painter.setBrush(fill)
            painter.setPen(QPen(accent if selected else QColor(255, 255, 255), 2))
            painter.drawRect(rect)
            self._draw_label(painter, rect, str(index + 1), accent)
            if selected:
                painter.setPen(QPen(QColor(0, 0, 0, 160), 1))
                painter.setBrush(QColor(255, 255, 255))
                for hx in (rect.left(), rect.center().x(), rect.right()):
                    for hy in (rect.top(), rect.center().y(), rect.bottom()):
                        if hx == rect.center().x() and hy == rect.center().y():
                            continue
                        painter.drawRect(QRectF(hx - 3.5, hy - 3.5, 7, 7))

    def _draw_label(self, painter: QPainter, rect: QRectF, text: str, accent: QColor) -> None:
        painter.setFont(small_font(self, 0))
        badge = QRectF(rect.left(), rect.top() - 18, 18, 18)
        if badge.top() < 0:
            badge.moveTop(rect.top())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawRoundedRect(badge, 3, 3)
        painter.setPen(self.palette().color(QPalette.ColorRole.HighlightedText))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)


class BoxEditor(QDialog):
    """Dialog around a BoxCanvas; `boxes()` is the result (original image pixels, ≤ 2 boxes)."""

    def __init__(
        self, image_w: int, image_h: int, boxes: tuple[Box, ...] = (), title: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        named(self, "boxEditorDialog", self.tr("Region box editor"))
        self.setWindowTitle(self.tr("Region boxes — {title}").format(title=title) if title else self.tr("Region boxes"))
        self.canvas = BoxCanvas(image_w, image_h, boxes, self)
        hint = QLabel(
            self.tr(
                "Drag on the image to draw up to {count} boxes for the region to edit. Drag a box to "
                "move it, its edges or corners to resize; Delete removes the selected box."
            ).format(count=rules.MAX_BOXES_PER_IMAGE),
            self,
        )
        hint.setWordWrap(True)
        self.size_label = QLabel(
            self.tr("Image: {width} × {height} px (coordinates are in these pixels)").format(
                width=image_w, height=image_h
            ),
            self,
        )
        self.size_label.setFont(small_font(self))
        self.coords = named(QLabel(self), "boxCoordsLabel", self.tr("Box coordinates"))
        self.coords.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = InlineMessage("boxMessage", self.tr("Box editor message"), self)
        self.delete_button = named(
            QPushButton(self.tr("Delete box"), self), "boxDeleteButton", self.tr("Delete selected box")
        )
        self.clear_button = named(
            QPushButton(self.tr("Clear all"), self), "boxClearButton", self.tr("Delete all boxes")
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("boxOkButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("boxCancelButton")
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.size_label)
        layout.addWidget(self.coords)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.delete_button.clicked.connect(self.canvas.delete_selected)
        self.clear_button.clicked.connect(lambda: self.canvas.set_boxes(()))
        self.canvas.boxesChanged.connect(self._refresh)
        self.canvas.selectionChanged.connect(lambda _i: self._refresh())
        self.canvas.message.connect(lambda text: self.message.show_message(text, "warn"))
        self.resize(720, 600)
        self._refresh()

    def boxes(self) -> tuple[Box, ...]:
        return self.canvas.boxes()

    def set_image(self, image: QImage) -> None:
        self.canvas.set_image(image)

    def _refresh(self) -> None:
        boxes = self.canvas.boxes()
        lines = [("▸ " if i == self.canvas.selected() else "  ") + describe_box(i + 1, b) for i, b in enumerate(boxes)]
        self.coords.setText("\n".join(lines) if lines else self.tr("No boxes: the whole image may be edited."))
        self.delete_button.setEnabled(0 <= self.canvas.selected() < len(boxes))
        self.clear_button.setEnabled(bool(boxes))
        if len(boxes) < rules.MAX_BOXES_PER_IMAGE:
            self.message.clear_message()
