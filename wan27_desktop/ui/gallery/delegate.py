"""Paints one gallery tile: the thumbnail (or a placeholder), selection, rating, favourite, set badge.

Colours come from the palette so light and dark themes both work; badges drawn over a photo use
the palette's window colour, translucent, behind window-text, which reads on any image.

Image sets: a collapsed set is drawn as a stack of cards with a "▣ 4" badge (a click target, see
`set_badge_rect`); the tiles of an expanded set share a tinted background and say "▣ 2/4".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyledItemDelegate, QWidget

from wan27_desktop.ui.common.thumbnails import ThumbnailLoader, decode_size
from wan27_desktop.ui.gallery.model import Role

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOptionViewItem  # the view makes them (once it has rows)

    from wan27_desktop.library.image_records import ImageRecord, SetBadge

TILE_MARGIN = 3
STACK_OFFSET = 4  # px between the cards of a collapsed stack


def set_badge_text(badge: SetBadge) -> str:
    if badge.expanded:
        return QCoreApplication.translate("ThumbnailDelegate", "▣ {position}/{size}").format(
            position=badge.position, size=badge.size
        )
    return QCoreApplication.translate("ThumbnailDelegate", "▣ {size}").format(size=badge.size)


def badge_font(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
    return small


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

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(self.tile, self.tile)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        from PySide6.QtWidgets import QStyle  # with the first row: see theme.STARTED_IN_STYLE

        palette = option.palette
        rect: QRect = option.rect
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        record: ImageRecord | None = index.data(Role.RECORD)
        badge: SetBadge | None = index.data(Role.SET_BADGE) if record is not None else None
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        tile = QRectF(rect).adjusted(TILE_MARGIN, TILE_MARGIN, -TILE_MARGIN, -TILE_MARGIN)
        painter.setPen(Qt.PenStyle.NoPen)
        background = QColor(palette.color(QPalette.ColorRole.AlternateBase))
        if badge is not None and badge.expanded:
            # The tiles of an open set share a tint, so the set reads as one group in the grid.
            background = QColor(palette.color(QPalette.ColorRole.Highlight))
            background.setAlpha(60)
        painter.setBrush(background)
        painter.drawRoundedRect(tile, 4, 4)
        if record is not None:
            widget = option.widget
            dpr = widget.devicePixelRatioF() if widget is not None else 1.0
            image = self.loader.image(record, decode_size(self.tile, dpr))
            stacked = badge is not None and not badge.expanded
            inner = (
                tile.adjusted(2, 2 + 2 * STACK_OFFSET, -2 - 2 * STACK_OFFSET, -2)
                if stacked
                else tile.adjusted(2, 2, -2, -2)
            )
            width, height = (image.width(), image.height()) if image is not None else (record.width, record.height)
            target = aspect_fit(width, height, inner)
            if stacked:
                self._stack_cards(painter, palette, target)
            if image is not None:
                painter.drawImage(target, image)
            else:
                self._placeholder(painter, palette, target, broken=self.loader.is_broken(record.id))
            self._badges(painter, palette, tile, record, badge)
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

    def _stack_cards(self, painter: QPainter, palette: QPalette, image_rect: QRectF) -> None:
        """Two cards peeking out behind the image, up and to the right: "more images under this one"."""
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        for step in (2, 1):
            card = image_rect.translated(step * STACK_OFFSET, -step * STACK_OFFSET)
            painter.setBrush(palette.color(QPalette.ColorRole.Midlight if step == 2 else QPalette.ColorRole.Button))
            painter.drawRect(card)
        painter.setPen(Qt.PenStyle.NoPen)

    def _placeholder(self, painter: QPainter, palette: QPalette, rect: QRectF, broken: bool) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Midlight))
        painter.drawRect(rect)
        if broken:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignCenter, QCoreApplication.translate("ThumbnailDelegate", "missing")
            )

    def _badge(
        self,
        painter: QPainter,
        palette: QPalette,
        anchor: QRectF,
        text: str,
        corner: Qt.AlignmentFlag,
        control: bool = False,
    ) -> QRectF:
        """A pill in a corner; `control` pills (the set badge: click it) use the highlight colours."""
        metrics = painter.fontMetrics()
        w = metrics.horizontalAdvance(text) + 10
        h = metrics.height() + 4
        x = anchor.left() + 5 if corner & Qt.AlignmentFlag.AlignLeft else anchor.right() - 5 - w
        y = anchor.top() + 5 if corner & Qt.AlignmentFlag.AlignTop else anchor.bottom() - 5 - h
        box = QRectF(x, y, w, h)
        if control:
            back = QColor(palette.color(QPalette.ColorRole.Highlight))
            fore = palette.color(QPalette.ColorRole.HighlightedText)
        else:
            back = QColor(palette.color(QPalette.ColorRole.Window))
            back.setAlpha(200)
            fore = palette.color(QPalette.ColorRole.WindowText)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(back)
        painter.drawRoundedRect(box, h / 2, h / 2)
        painter.setPen(fore)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        return box

    def _badges(
        self, painter: QPainter, palette: QPalette, tile: QRectF, record: ImageRecord, badge: SetBadge | None
    ) -> None:
        if self.tile < 72:
            return  # too small to read; the tooltip and metadata panel still say it
        painter.setFont(badge_font(painter.font()))
        if record.rating:
            self._badge(
                painter, palette, tile, "★" * record.rating, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
            )
        if record.favourite:
            self._badge(painter, palette, tile, "♥", Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        if badge is not None:
            self._badge(
                painter,
                palette,
                tile,
                set_badge_text(badge),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                control=True,
            )

    def set_badge_rect(self, tile_rect: QRect, font: QFont, badge: SetBadge) -> QRectF:
        """Where the set badge sits in a tile (the view hit-tests clicks with it). Empty when tiles
        are too small to show badges."""
        if self.tile < 72:
            return QRectF()
        metrics = QFontMetrics(badge_font(font))
        tile = QRectF(tile_rect).adjusted(TILE_MARGIN, TILE_MARGIN, -TILE_MARGIN, -TILE_MARGIN)
        return QRectF(
            tile.left() + 5, tile.top() + 5, metrics.horizontalAdvance(set_badge_text(badge)) + 10, metrics.height() + 4
        )
