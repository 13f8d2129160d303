"""The painted row of reference thumbnails: number badges, problem borders, drag to reorder.

Reordering is an in-widget mouse drag (press, move, release) rather than a QDrag: the tile follows
the cursor and the slot it will land in is outlined; nothing leaves the widget.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from wan27_desktop.api import rules
from wan27_desktop.ui.common.widgets import badge_text_color, error_color, muted_color, named, small_font
from wan27_desktop.ui.generate.reference_item import ItemState, ReferenceItem

TILE = 84
GAP = 8
MARGIN = 4
BADGE = 20


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ReferenceTiles(QWidget):
    """Paints `items()` as tiles plus an "add" tile; reports what the user does by signals."""

    selectionChanged = Signal(int)
    moveRequested = Signal(int, int)  # from index, to index
    removeRequested = Signal(int)
    activated = Signal(int)  # double click / Enter: open large
    addRequested = Signal()
    contextRequested = Signal(int, QPoint)  # index (-1: empty area), global position
    keyAction = Signal(str)  # "paste", "boxes"

    def __init__(self, items: Callable[[], Sequence[ReferenceItem]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "referenceTiles", self.tr("Reference image thumbnails"))
        self._items = items
        self.selected = -1
        self._hover = -1
        self._hover_remove = False
        self._press: tuple[int, QPointF] | None = None
        self._dragging = False
        self._drag_pos = QPointF()
        self.drop_highlight = False
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    # --- geometry ------------------------------------------------------------------------------
    def _tile_count(self) -> int:
        count = len(self._items())
        return count + (1 if count < rules.MAX_IMAGES else 0)

    def _columns(self, width: int) -> int:
        return max(1, (width - 2 * MARGIN + GAP) // (TILE + GAP))

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        rows = max(1, math.ceil(self._tile_count() / self._columns(width)))
        return 2 * MARGIN + rows * TILE + (rows - 1) * GAP

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        width = max(self.width(), 4 * (TILE + GAP))
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(TILE + 2 * MARGIN, TILE + 2 * MARGIN)

    def tile_rect(self, index: int) -> QRect:
        cols = self._columns(self.width())
        row, col = divmod(index, cols)
        return QRect(MARGIN + col * (TILE + GAP), MARGIN + row * (TILE + GAP), TILE, TILE)

    def add_tile_rect(self) -> QRect | None:
        count = len(self._items())
        return self.tile_rect(count) if count < rules.MAX_IMAGES else None

    def _remove_rect(self, index: int) -> QRect:
        rect = self.tile_rect(index)
        return QRect(rect.right() - BADGE - 2, rect.top() + 3, BADGE, BADGE)

    def index_at(self, pos: QPointF | QPoint) -> int:
        point = QPoint(int(pos.x()), int(pos.y()))
        for index in range(len(self._items())):
            if self.tile_rect(index).contains(point):
                return index
        return -1

    def slot_at(self, pos: QPointF) -> int:
        """The index a dragged tile would take if dropped at `pos` (nearest tile slot)."""
        count = len(self._items())
        cols = self._columns(self.width())
        col = min(cols - 1, max(0, int((pos.x() - MARGIN + GAP / 2) // (TILE + GAP))))
        row = max(0, int((pos.y() - MARGIN + GAP / 2) // (TILE + GAP)))
        return min(count - 1, row * cols + col)

    def refresh(self) -> None:
        count = len(self._items())
        if self.selected >= count:
            self.select(count - 1)
        self.updateGeometry()
        self.update()

    def select(self, index: int) -> None:
        index = index if 0 <= index < len(self._items()) else -1
        if index != self.selected:
            self.selected = index
            self.selectionChanged.emit(index)
        self.update()

    # --- mouse ---------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position()
        index = self.index_at(pos)
        if event.button() != Qt.MouseButton.LeftButton:
            if index >= 0:
                self.select(index)
            return
        add_rect = self.add_tile_rect()
        if index < 0 and add_rect is not None and add_rect.contains(pos.toPoint()):
            self.addRequested.emit()
            return
        if index >= 0 and self._remove_rect(index).contains(pos.toPoint()):
            self.removeRequested.emit(index)
            return
        self.select(index)
        if index >= 0:
            self._press = (index, pos)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        pos = event.position()
        if self._press is not None:
            start = self._press[1]
            if not self._dragging and (pos - start).manhattanLength() >= QApplication.startDragDistance():
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging:
                self._drag_pos = pos
                self.update()
            return
        hover = self.index_at(pos)
        remove = hover >= 0 and self._remove_rect(hover).contains(pos.toPoint())
        if (hover, remove) != (self._hover, self._hover_remove):
            self._hover, self._hover_remove = hover, remove
            self.update()
        add_rect = self.add_tile_rect()
        over_add = add_rect is not None and add_rect.contains(pos.toPoint())
        self.setCursor(Qt.CursorShape.PointingHandCursor if remove or over_add else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        press, dragging = self._press, self._dragging
        self._press, self._dragging = None, False
        self.unsetCursor()
        if press is not None and dragging:
            target = self.slot_at(event.position())
            if target != press[0]:
                self.moveRequested.emit(press[0], target)
            self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        index = self.index_at(event.position())
        if index >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(index)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        self._hover, self._hover_remove = -1, False
        self.update()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt API)
        index = self.index_at(QPointF(event.pos()))
        self.select(index)
        self.contextRequested.emit(index, event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        count = len(self._items())
        if ctrl and key == Qt.Key.Key_V:
            self.keyAction.emit("paste")
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected >= 0:
            self.removeRequested.emit(self.selected)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.selected >= 0:
            self.activated.emit(self.selected)
        elif key == Qt.Key.Key_B and self.selected >= 0:
            self.keyAction.emit("boxes")
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and count:
            step = -1 if key == Qt.Key.Key_Left else 1
            target = min(count - 1, max(0, (self.selected if self.selected >= 0 else 0) + step))
            if ctrl and self.selected >= 0:
                if target != self.selected:
                    self.moveRequested.emit(self.selected, target)
            else:
                self.select(target)
        else:
            super().keyPressEvent(event)

    # --- tooltips ------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.index_at(QPointF(event.pos()))
            text = self.tooltip_for(index) if index >= 0 else ""
            add_rect = self.add_tile_rect()
            if not text and add_rect is not None and add_rect.contains(event.pos()):
                text = self.tr("Add reference images (or drop files, image URLs or image data here; Ctrl+V pastes)")
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def tooltip_for(self, index: int) -> str:
        item = self._items()[index]
        title = self.tr("image {number}").format(number=index + 1)
        lines = [f"<b>{html_escape(title)}</b> — {html_escape(item.name)}"]
        if item.info is not None and item.info.width:
            size_mb = item.info.file_size / (1024 * 1024)
            lines.append(f"{item.info.format.upper()} · {item.info.width} × {item.info.height} px · {size_mb:.1f} MB")
        elif item.is_url:
            lines.append(html_escape(item.source))
            lines.append(self.tr("A web image: the service downloads and checks it when you generate."))
        if item.state is ItemState.CHECKING:
            lines.append(self.tr("Checking…"))
        if item.boxes:
            lines.append(self.tr("%n region boxes", "", len(item.boxes)))
        colour = error_color(self.palette()).name()
        lines += [f"<span style='color:{colour}'>⚠ {html_escape(p)}</span>" for p in item.problems]
        lines += [f"<i>{html_escape(n)}</i>" for n in item.notes]
        return "<br>".join(lines)

    # --- painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        palette = self.palette()
        items = self._items()
        drag_from = self._press[0] if self._press is not None and self._dragging else -1
        for index, item in enumerate(items):
            if index == drag_from:
                self._paint_slot(painter, self.tile_rect(index), palette)
                continue
            self._paint_tile(painter, QRectF(self.tile_rect(index)), index, item, palette)
        add_rect = self.add_tile_rect()
        if add_rect is not None:
            self._paint_add_tile(painter, QRectF(add_rect), palette, empty=not items)
        if drag_from >= 0:
            target = self.slot_at(self._drag_pos)
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.tile_rect(target)).adjusted(-3, -3, 3, 3), 8, 8)
            floating = QRectF(0, 0, TILE, TILE)
            floating.moveCenter(self._drag_pos)
            painter.setOpacity(0.75)
            self._paint_tile(painter, floating, drag_from, items[drag_from], palette)
            painter.setOpacity(1.0)
        if self.drop_highlight:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 8, 8)

    def _paint_slot(self, painter: QPainter, rect: QRect, palette: QPalette) -> None:
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1, Qt.PenStyle.DotLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)

    def _paint_tile(self, painter: QPainter, rect: QRectF, index: int, item: ReferenceItem, palette: QPalette) -> None:
        clip = QPainterPath()
        clip.addRoundedRect(rect, 6, 6)
        painter.save()
        painter.setClipPath(clip)
        painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        if item.thumb is not None and not item.thumb.isNull():
            pix = item.thumb
            # Cover: crop the thumbnail to the square tile, centred.
            side = min(pix.width(), pix.height())
            source = QRectF((pix.width() - side) / 2, (pix.height() - side) / 2, side, side)
            painter.drawPixmap(rect, pix, source)
        else:
            painter.setPen(muted_color(palette))
            painter.setFont(small_font(self))
            text = {ItemState.SAVING: self.tr("Saving…"), ItemState.CHECKING: self.tr("Checking…")}.get(item.state)
            if text is None:
                text = f"🌐\n{item.name}" if item.is_url else (item.info.format.upper() if item.info else "?")
            painter.drawText(rect.adjusted(6, 6, -6, -6), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
        painter.restore()

        problems = bool(item.problems)
        selected = index == self.selected
        if problems:
            pen = QPen(error_color(palette), 2.5)
        elif selected:
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2.5)
        else:
            pen = QPen(palette.color(QPalette.ColorRole.Mid), 1)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        if selected and problems:  # show selection too, just inside the red frame
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 1.5))
            painter.drawRoundedRect(rect.adjusted(3, 3, -3, -3), 4, 4)

        badge_bg = error_color(palette) if problems else palette.color(QPalette.ColorRole.Highlight)
        badge_fg = badge_text_color(badge_bg) if problems else palette.color(QPalette.ColorRole.HighlightedText)
        self._badge(painter, QRectF(rect.left() + 4, rect.top() + 4, BADGE, BADGE), str(index + 1), badge_bg, badge_fg)
        if item.boxes:
            self._pill(painter, QRectF(rect.left() + 4, rect.bottom() - 4 - 16, 30, 16), f"▭{len(item.boxes)}", palette)
        corner = QRectF(rect.right() - 4 - 16, rect.bottom() - 4 - 16, 16, 16)
        if problems:
            self._badge(painter, corner, "!", error_color(palette), badge_text_color(error_color(palette)))
        elif item.notes:
            muted = QColor(palette.color(QPalette.ColorRole.Window))
            muted.setAlpha(220)
            self._badge(painter, corner, "i", muted, palette.color(QPalette.ColorRole.WindowText))
        if index == self._hover and not self._dragging and rect.topLeft() == QPointF(self.tile_rect(index).topLeft()):
            back = QColor(0, 0, 0, 200 if self._hover_remove else 140)
            self._badge(painter, QRectF(self._remove_rect(index)), "×", back, QColor("white"))

    def _badge(self, painter: QPainter, rect: QRectF, text: str, back: QColor, fore: QColor) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(back))
        painter.drawEllipse(rect)
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(int(rect.height() * 0.6))
        painter.setFont(font)
        painter.setPen(fore)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _pill(self, painter: QPainter, rect: QRectF, text: str, palette: QPalette) -> None:
        back = QColor(palette.color(QPalette.ColorRole.Window))
        back.setAlpha(220)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(back)
        painter.drawRoundedRect(rect, 8, 8)
        font = QFont(self.font())
        font.setPixelSize(11)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_add_tile(self, painter: QPainter, rect: QRectF, palette: QPalette, empty: bool) -> None:
        pen = QPen(palette.color(QPalette.ColorRole.Mid), 1.2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        painter.setPen(muted_color(palette))
        font = QFont(self.font())
        font.setPixelSize(26)
        painter.setFont(font)
        painter.drawText(rect.adjusted(0, -10, 0, -10), Qt.AlignmentFlag.AlignCenter, "+")
        painter.setFont(small_font(self))
        painter.drawText(rect.adjusted(0, 34, 0, 0), Qt.AlignmentFlag.AlignCenter, self.tr("Add"))
        if empty:
            text_rect = QRectF(rect.right() + 12, rect.top(), self.width() - rect.right() - 16, rect.height())
            painter.setFont(small_font(self, 0))
            painter.drawText(
                text_rect,
                Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                self.tr(
                    "Drop up to {count} images here — files, web images or image data — or "
                    "paste with Ctrl+V. No images: text to image."
                ).format(count=rules.MAX_IMAGES),
            )
