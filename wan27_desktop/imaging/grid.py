"""A labelled grid image (rows x columns, like the X/Y plot people know from local tools): each cell
holds one batch row's images side by side, column headings on top, row headings on the left.

QtGui only (QImage + QPainter); text needs a QGuiApplication for its fonts, which the app has and
the `wan27` command makes offscreen. The picture is for sharing, so it is always dark text on white,
whatever the app's theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

from wan27_desktop.imaging import _codec

GAP = 8
PAD = 16


@dataclass(frozen=True)
class Cell:
    images: tuple[Path, ...]  # the row's images, in order (none: `note` says why)
    note: str = ""


def render_grid(
    title: str,
    columns: Sequence[str],
    rows: Sequence[str],
    cells: Sequence[Sequence[Cell]],
    *,
    cell: int = 256,
    corner: str = "",
) -> QImage:
    """`cells[r][c]` is the cell at row r, column c. Images are fitted into `cell` x `cell` each."""
    per_cell = max([1] + [len(c.images) for row in cells for c in row])
    col_w = per_cell * cell + (per_cell - 1) * GAP
    font = QFont()
    font.setPixelSize(max(12, cell // 14))
    title_font = QFont(font)
    title_font.setPixelSize(font.pixelSize() + 4)
    title_font.setBold(True)
    metrics = QFontMetrics(font)
    line_h = metrics.height()
    label_w = min(max([metrics.horizontalAdvance(r) for r in rows] + [metrics.horizontalAdvance(corner), 40]), 2 * cell)
    label_w += GAP
    head_h = 3 * line_h  # column headings wrap over up to three lines
    title_h = QFontMetrics(title_font).height() + GAP if title else 0
    width = PAD * 2 + label_w + len(columns) * (col_w + GAP)
    height = PAD * 2 + title_h + head_h + len(rows) * (cell + GAP)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        ink = QColor("#202020")
        faint = QColor("#f0f0f0")
        y0 = PAD
        if title:
            painter.setFont(title_font)
            painter.setPen(ink)
            painter.drawText(QRect(PAD, y0, width - 2 * PAD, title_h), Qt.AlignmentFlag.AlignLeft, title)
            y0 += title_h
        painter.setFont(font)
        wrap = Qt.TextFlag.TextWordWrap
        centred = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom
        painter.drawText(QRect(PAD, y0, label_w - GAP, head_h), Qt.AlignmentFlag.AlignBottom | wrap, corner)
        for c, label in enumerate(columns):
            x = PAD + label_w + c * (col_w + GAP)
            painter.drawText(QRect(x, y0, col_w, head_h - GAP // 2), centred | wrap, label)
        top = y0 + head_h
        for r, label in enumerate(rows):
            y = top + r * (cell + GAP)
            painter.setPen(ink)
            right = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
            painter.drawText(QRect(PAD, y, label_w - GAP, cell), right | wrap, label)
            for c in range(len(columns)):
                x = PAD + label_w + c * (col_w + GAP)
                entry = cells[r][c] if r < len(cells) and c < len(cells[r]) else Cell(())
                _draw_cell(painter, entry, QRect(x, y, col_w, cell), cell, faint, ink)
    finally:
        painter.end()
    return image


def _draw_cell(painter: QPainter, entry: Cell, area: QRect, cell: int, faint: QColor, ink: QColor) -> None:
    if not entry.images:
        painter.fillRect(area, faint)
        painter.setPen(ink)
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, entry.note)
        return
    for index, path in enumerate(entry.images):
        box = QRect(area.x() + index * (cell + GAP), area.y(), cell, cell)
        try:
            picture = _codec.load_image(str(path), max_side=cell)
        except _codec.ImageFileError:
            painter.fillRect(box, faint)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, path.name)
            continue
        x = box.x() + (cell - picture.width()) // 2
        y = box.y() + (cell - picture.height()) // 2
        painter.drawImage(x, y, picture)


def png_bytes(image: QImage) -> bytes:
    return _codec.encode(image, "png")
