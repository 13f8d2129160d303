"""Semantic colours (success, warning, error, muted) derived from the current palette.

Never hard-code a colour that only works on white: each semantic colour is a hue chosen for
legibility, then its lightness is pushed away from the window background, so the same code reads
well in light and dark schemes (STYLE.md: "use the palette").
"""

from __future__ import annotations

import enum
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap


class Tone(str, enum.Enum):
    ACTIVE = "active"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"
    MUTED = "muted"


# Hues (degrees) picked for meaning; saturation/lightness adapt to the background.
_HUES = {Tone.SUCCESS: 140, Tone.WARNING: 35, Tone.ERROR: 2}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def tone_color(tone: Tone, palette: QPalette | None = None) -> QColor:
    """A colour for `tone` that contrasts with the window background of `palette`."""
    palette = palette or QGuiApplication.palette()
    dark = is_dark(palette)
    if tone is Tone.ACTIVE:
        return QColor(palette.color(QPalette.ColorRole.Highlight))
    if tone is Tone.MUTED:
        return QColor(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText))
    lightness = 0.68 if dark else 0.36
    return QColor.fromHslF(_HUES[tone] / 360.0, 0.70, lightness)


_GLYPHS = {"queued": "…", "active": "", "done": "✓", "partial": "◐", "failed": "!", "canceled": "–",
           "interrupted": "!", "expired": "⌛"}


@lru_cache(maxsize=64)
def _status_pixmap(kind: str, rgb: int, dark: bool, size: int, dpr: float) -> QPixmap:
    pixmap = QPixmap(int(size * dpr), int(size * dpr))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor.fromRgba(rgb)
    rect = QRectF(1.5, 1.5, size - 3, size - 3)
    if kind == "active":
        # A ring with a filled quarter: reads as "in progress" without animation.
        painter.setPen(QPen(color, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect)
        painter.setBrush(color)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPie(rect.adjusted(2.5, 2.5, -2.5, -2.5), 90 * 16, -120 * 16)
    elif kind == "queued":
        painter.setPen(QPen(color, 1.6, Qt.PenStyle.DotLine))
        painter.drawEllipse(rect)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(rect)
        glyph = _GLYPHS.get(kind, "")
        if glyph:
            font = QFont()
            font.setBold(True)
            font.setPixelSize(int(size * 0.62))
            painter.setFont(font)
            painter.setPen(QColor("#1b1b1b") if dark else QColor("#ffffff"))
            painter.drawText(rect.translated(QPointF(0, -0.5)), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return pixmap


def status_icon(kind: str, tone: Tone, size: int = 16, palette: QPalette | None = None) -> QIcon:
    """A small round status badge drawn in the palette-derived colour of `tone`."""
    palette = palette or QGuiApplication.palette()
    app = QGuiApplication.instance()
    dpr = 1.0
    if app is not None and QGuiApplication.primaryScreen() is not None:
        dpr = QGuiApplication.primaryScreen().devicePixelRatio()
    color = tone_color(tone, palette)
    return QIcon(_status_pixmap(kind, color.rgba(), is_dark(palette), size, dpr))
