"""Paints one gallery tile: the thumbnail (or a placeholder), selection, rating, favourite, set badge.

Colours come from the palette so light and dark themes both work; badges drawn over a photo use
the palette's window colour, translucent, behind window-text, which reads on any image.

Image sets: a collapsed set is drawn as a stack of cards with a "▣ 4" badge (a click target, see
`set_badge_rect`); the tiles of an expanded set share a tinted background and say "▣ 2/4".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPaintDevice, QPainter, QPalette, QPen
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


def pill_box(
    tile: QRectF, text_width: int, text_height: int, corner: Qt.AlignmentFlag
) -> tuple[float, float, float, float]:
    """Where a badge pill sits in a corner of `tile`, as (x, y, width, height): its text plus
    padding, inset 5 px. Painting and the set badge's click target both place it here."""
    w, h = text_width + 10, text_height + 4
    x = tile.left() + 5 if corner & Qt.AlignmentFlag.AlignLeft else tile.right() - 5 - w
    y = tile.top() + 5 if corner & Qt.AlignmentFlag.AlignTop else tile.bottom() - 5 - h
    return x, y, w, h


SET_BADGE_CORNER = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop


def aspect_fit(
    width: int, height: int, x: float, y: float, box_w: float, box_h: float
) -> tuple[float, float, float, float]:
    """The largest rect with the image's aspect ratio centred in the box (x, y, box_w, box_h), as
    (x, y, width, height); the box itself for an image without a size."""
    if width <= 0 or height <= 0:
        return x, y, box_w, box_h
    scale = min(box_w / width, box_h / height)
    w, h = width * scale, height * scale
    return x + (box_w - w) / 2, y + (box_h - h) / 2, w, h


class TilePaint:
    """What every tile is painted with (colours, pens, the badge font and its metrics), made once per
    palette and font instead of once per tile.

    Shiboken releases the GIL around the C++ destructor of every Qt object a Python wrapper owns, so
    each temporary QColor, QPen, QFont or QRectF a paint makes costs the UI thread one GIL hand-off.
    While downloads and database reads run on other threads, a hand-off can cost it milliseconds
    (README ▸ Performance): a repaint of the grid made ~12 of them per tile. Tiles now draw with these
    objects and with the delegate's scratch rects, and the view paints without a QModelIndex per row.
    """

    __slots__ = (
        "key",
        "background",
        "set_background",
        "stack_pen",
        "stack_back",
        "stack_front",
        "placeholder",
        "placeholder_text",
        "pill_back",
        "pill_text",
        "control_back",
        "control_text",
        "selected_pen",
        "focus_pen",
        "font",
        "metrics",
        "widths",
    )

    def __init__(self, key: tuple[int, str, int], palette: QPalette, font: QFont, device: QPaintDevice | None) -> None:
        role = QPalette.ColorRole
        self.key = key
        self.background = palette.color(role.AlternateBase)
        # The tiles of an open set share a tint, so the set reads as one group in the grid.
        self.set_background = QColor(palette.color(role.Highlight))
        self.set_background.setAlpha(60)
        self.stack_pen = QPen(palette.color(role.Mid), 1)
        self.stack_back = palette.color(role.Midlight)
        self.stack_front = palette.color(role.Button)
        self.placeholder = palette.color(role.Midlight)
        self.placeholder_text = palette.color(role.PlaceholderText)
        self.pill_back = QColor(palette.color(role.Window))
        self.pill_back.setAlpha(200)
        self.pill_text = palette.color(role.WindowText)
        self.control_back = palette.color(role.Highlight)
        self.control_text = palette.color(role.HighlightedText)
        self.selected_pen = QPen(palette.color(role.Highlight), 3)
        self.focus_pen = QPen(palette.color(role.Highlight), 1, Qt.PenStyle.DotLine)
        self.font = badge_font(font)
        self.metrics = QFontMetrics(self.font, device) if device is not None else QFontMetrics(self.font)
        self.widths: dict[str, int] = {}

    def width(self, text: str) -> int:
        width = self.widths.get(text)
        if width is None:
            if len(self.widths) > 256:
                self.widths.clear()
            width = self.widths[text] = self.metrics.horizontalAdvance(text)
        return width


class ThumbnailDelegate(QStyledItemDelegate):
    def __init__(self, loader: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = loader
        self.tile = 160
        self._paints: TilePaint | None = None
        # Scratch rects, set for each tile (see TilePaint): the tile, the image in it, a badge.
        self._tile = QRectF()
        self._image = QRectF()
        self._box = QRectF()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(self.tile, self.tile)

    def paints(self, painter: QPainter, palette: QPalette) -> TilePaint:
        """The colours and badge font for tiles painted with `painter` in `palette` (cached until
        either changes); call once per paint event."""
        font = painter.font()
        device = painter.device()
        key = (palette.cacheKey(), font.key(), device.logicalDpiY() if device is not None else 0)
        if self._paints is None or self._paints.key != key:
            self._paints = TilePaint(key, palette, font, device)
        return self._paints

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Qt's entry point (one tile at a time); the gallery view calls `paint_tile` directly."""
        from PySide6.QtWidgets import QStyle  # with the first row: see theme.STARTED_IN_STYLE

        rect: QRect = option.rect
        state = option.state
        record: ImageRecord | None = index.data(Role.RECORD)
        badge: SetBadge | None = index.data(Role.SET_BADGE) if record is not None else None
        widget = option.widget
        self.paint_tile(
            painter,
            self.paints(painter, option.palette),
            (rect.x(), rect.y(), rect.width(), rect.height()),
            record,
            badge,
            selected=bool(state & QStyle.StateFlag.State_Selected),
            focused=bool(state & QStyle.StateFlag.State_HasFocus),
            dpr=widget.devicePixelRatioF() if widget is not None else 1.0,
        )

    def paint_tile(
        self,
        painter: QPainter,
        paints: TilePaint,
        cell: tuple[int, int, int, int],
        record: ImageRecord | None,
        badge: SetBadge | None,
        *,
        selected: bool,
        focused: bool,
        dpr: float,
    ) -> None:
        """One tile in the cell (x, y, width, height) of the viewport."""
        x, y, w, h = cell
        left, top = x + TILE_MARGIN, y + TILE_MARGIN
        width, height = w - 2 * TILE_MARGIN, h - 2 * TILE_MARGIN
        tile = self._tile
        tile.setRect(left, top, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(paints.set_background if badge is not None and badge.expanded else paints.background)
        painter.drawRoundedRect(tile, 4, 4)
        if record is not None:
            image = self.loader.image(record, decode_size(self.tile, dpr))
            stacked = badge is not None and not badge.expanded
            lift = 2 * STACK_OFFSET if stacked else 0
            inner = (left + 2, top + 2 + lift, width - 4 - lift, height - 4 - lift)
            size = (image.width(), image.height()) if image is not None else (record.width, record.height)
            target = self._image
            target.setRect(*aspect_fit(*size, *inner))
            if stacked:
                self._stack_cards(painter, paints, target)
            if image is not None:
                painter.drawImage(target, image)
            else:
                self._placeholder(painter, paints, target, broken=self.loader.is_broken(record.id))
            self._badges(painter, paints, record, badge)
        if selected:
            painter.setPen(paints.selected_pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            tile.setRect(left + 1.5, top + 1.5, width - 3, height - 3)
            painter.drawRoundedRect(tile, 4, 4)
        if focused:
            painter.setPen(paints.focus_pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            tile.setRect(left - 1, top - 1, width + 2, height + 2)
            painter.drawRoundedRect(tile, 5, 5)
        painter.restore()

    def _stack_cards(self, painter: QPainter, paints: TilePaint, image_rect: QRectF) -> None:
        """Two cards peeking out behind the image, up and to the right: "more images under this one"."""
        painter.setPen(paints.stack_pen)
        card = self._box
        for step in (2, 1):
            card.setRect(image_rect.x(), image_rect.y(), image_rect.width(), image_rect.height())
            card.translate(step * STACK_OFFSET, -step * STACK_OFFSET)
            painter.setBrush(paints.stack_back if step == 2 else paints.stack_front)
            painter.drawRect(card)
        painter.setPen(Qt.PenStyle.NoPen)

    def _placeholder(self, painter: QPainter, paints: TilePaint, rect: QRectF, broken: bool) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(paints.placeholder)
        painter.drawRect(rect)
        if broken:
            painter.setPen(paints.placeholder_text)
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignCenter, QCoreApplication.translate("ThumbnailDelegate", "missing")
            )

    def _badge(
        self, painter: QPainter, paints: TilePaint, text: str, corner: Qt.AlignmentFlag, control: bool = False
    ) -> None:
        """A pill in a corner of the tile; `control` pills (the set badge: click it) use the highlight
        colours."""
        box = self._box
        box.setRect(*pill_box(self._tile, paints.width(text), paints.metrics.height(), corner))
        h = box.height()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(paints.control_back if control else paints.pill_back)
        painter.drawRoundedRect(box, h / 2, h / 2)
        painter.setPen(paints.control_text if control else paints.pill_text)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _badges(self, painter: QPainter, paints: TilePaint, record: ImageRecord, badge: SetBadge | None) -> None:
        if self.tile < 72:
            return  # too small to read; the tooltip and metadata panel still say it
        painter.setFont(paints.font)
        if record.rating:
            self._badge(painter, paints, "★" * record.rating, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        if record.favourite:
            self._badge(painter, paints, "♥", Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        if badge is not None:
            self._badge(
                painter,
                paints,
                set_badge_text(badge),
                SET_BADGE_CORNER,
                control=True,
            )

    def set_badge_rect(self, tile_rect: QRect, font: QFont, badge: SetBadge) -> QRectF:
        """Where the set badge sits in a tile (the view hit-tests clicks with it). Empty when tiles
        are too small to show badges."""
        if self.tile < 72:
            return QRectF()
        tile = QRectF(tile_rect).adjusted(TILE_MARGIN, TILE_MARGIN, -TILE_MARGIN, -TILE_MARGIN)
        text = set_badge_text(badge)
        paints = self._paints
        if paints is not None and paints.key[1] == font.key():  # measured as the last paint did (its screen too)
            return QRectF(*pill_box(tile, paints.width(text), paints.metrics.height(), SET_BADGE_CORNER))
        metrics = QFontMetrics(badge_font(font))
        return QRectF(*pill_box(tile, metrics.horizontalAdvance(text), metrics.height(), SET_BADGE_CORNER))
