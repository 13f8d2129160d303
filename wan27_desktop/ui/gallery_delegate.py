"""Paints one gallery tile: the thumbnail (or a placeholder), selection, rating, favourite, set badge.

Colours come from the palette so light and dark themes both work; badges drawn over a photo use
the palette's window colour, translucent, behind window-text, which reads on any image.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from wan27_desktop.library import ImageRecord

from .gallery_model import Role
from .thumbnail_loader import ThumbnailLoader, decode_size

TILE_MARGIN = 3


def aspect_fit(width: int, height: int, box: QRectF) -> QRectF:
    """The largest rect with the image's aspect ratio centred in `box`."""
    if width <= 0 or height <= 0:
        return box
    scale = min(box.width() / width, box.height() / height)
    w, h = width * scale, height * scale
    return QRectF(box.x() + (box.width() - w) / 2, box.y() + (box.height() - h) / 2, w, h)


class ThumbnailDelegate(QStyledItemDelegate):
    def __init__(self, loader: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = loader
        self.tile = 160
        self.set_counts: dict[int, int] = {}  # job id -> images, for collapsed set badges

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(self.tile, self.tile)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        palette = option.palette
        rect: QRect = option.rect
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        record: ImageRecord | None = index.data(Role.RECORD)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        tile = QRectF(rect).adjusted(TILE_MARGIN, TILE_MARGIN, -TILE_MARGIN, -TILE_MARGIN)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
        painter.drawRoundedRect(tile, 4, 4)
        if record is not None:
            widget = option.widget
            dpr = widget.devicePixelRatioF() if widget is not None else 1.0
            image = self.loader.image(record, decode_size(self.tile, dpr))
            inner = tile.adjusted(2, 2, -2, -2)
            if image is not None:
                painter.drawImage(aspect_fit(image.width(), image.height(), inner), image)
            else:
                self._placeholder(painter, palette, aspect_fit(record.width, record.height, inner),
                                  broken=self.loader.is_broken(record.id))
            self._badges(painter, palette, tile, record)
        if selected:
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 3)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(tile.adjusted(1.5, 1.5, -1.5, -1.5), 4, 4)
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(tile.adjusted(-1, -1, 1, 1), 5, 5)
        painter.restore()

    def _placeholder(self, painter: QPainter, palette: QPalette, rect: QRectF, broken: bool) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Midlight))
        painter.drawRect(rect)
        if broken:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "missing")

    def _badge(self, painter: QPainter, palette: QPalette, anchor: QRectF, text: str,
               corner: Qt.AlignmentFlag) -> QRectF:
        metrics = painter.fontMetrics()
        w = metrics.horizontalAdvance(text) + 10
        h = metrics.height() + 4
        x = anchor.left() + 5 if corner & Qt.AlignmentFlag.AlignLeft else anchor.right() - 5 - w
        y = anchor.top() + 5 if corner & Qt.AlignmentFlag.AlignTop else anchor.bottom() - 5 - h
        box = QRectF(x, y, w, h)
        back = QColor(palette.color(QPalette.ColorRole.Window))
        back.setAlpha(200)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(back)
        painter.drawRoundedRect(box, h / 2, h / 2)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        return box

    def _badges(self, painter: QPainter, palette: QPalette, tile: QRectF, record: ImageRecord) -> None:
        if self.tile < 72:
            return  # too small to read; the tooltip and metadata panel still say it
        font = QFont(painter.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        if record.rating:
            self._badge(painter, palette, tile, "★" * record.rating,
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        if record.favourite:
            self._badge(painter, palette, tile, "♥", Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        count = self.set_counts.get(record.job_id or -1)
        if count and count > 1:
            self._badge(painter, palette, tile, f"▣ {count}", Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def set_badge_rect(self, tile_rect: QRect, painter_font: QFont, count: int) -> QRectF:
        """Where the set badge sits in a tile (for hit-testing clicks)."""
        from PySide6.QtGui import QFontMetrics

        font = QFont(painter_font)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        metrics = QFontMetrics(font)
        tile = QRectF(tile_rect).adjusted(TILE_MARGIN, TILE_MARGIN, -TILE_MARGIN, -TILE_MARGIN)
        return QRectF(tile.left() + 5, tile.top() + 5, metrics.horizontalAdvance(f"▣ {count}") + 10,
                      metrics.height() + 4)
