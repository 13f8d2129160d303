"""Semantic colours (success, warning, error, muted) derived from the current palette.

Never hard-code a colour that only works on white: each semantic colour is a hue chosen for
legibility, then its lightness is pushed away from the window background, so the same code reads
well in light and dark schemes.
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
# WCAG AA for normal text, with a little margin for antialiasing.
TEXT_CONTRAST = 4.6


def relative_luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio: 1.0 (the same) to 21.0 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on `background` (badges, pills, status glyphs)."""
    black, white = QColor(0x16, 0x17, 0x19), QColor(0xFF, 0xFF, 0xFF)
    return white if contrast_ratio(white, background) >= contrast_ratio(black, background) else black


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


@lru_cache(maxsize=64)
def _readable_hue(hue: int, background_rgb: int, dark: bool) -> int:
    background = QColor.fromRgb(background_rgb)
    # Start from a calm shade for the scheme, then step away from the background until it reads.
    saturation, lightness, step = (0.62, 0.60, 0.02) if dark else (0.72, 0.40, -0.02)
    color = QColor.fromHslF(hue / 360.0, saturation, lightness)
    while contrast_ratio(color, background) < TEXT_CONTRAST and 0.06 < lightness < 0.94:
        lightness += step
        color = QColor.fromHslF(hue / 360.0, saturation, lightness)
    return color.rgb()


def tone_color(tone: Tone, palette: QPalette | None = None) -> QColor:
    """A colour for `tone` that reads as text on the window background of `palette` (>= 4.6:1)."""
    palette = palette or QGuiApplication.palette()
    if tone is Tone.ACTIVE:
        return QColor(palette.color(QPalette.ColorRole.Highlight))
    if tone is Tone.MUTED:
        # PlaceholderText, not disabled text: muted labels are meant to be read.
        return QColor(palette.color(QPalette.ColorRole.PlaceholderText))
    window = palette.color(QPalette.ColorRole.Window)
    return QColor.fromRgb(_readable_hue(_HUES[tone], window.rgb(), is_dark(palette)))


_GLYPHS = {
    "queued": "…",
    "active": "",
    "done": "✓",
    "partial": "◐",
    "failed": "!",
    "canceled": "–",
    "interrupted": "!",
    "expired": "⌛",
}


@lru_cache(maxsize=64)
def _status_pixmap(kind: str, rgb: int, size: int, dpr: float, ring_rgb: int = 0) -> QPixmap:
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
        # On a selected row a thin ring in the selection's text colour keeps the badge's edge.
        painter.setPen(QPen(QColor.fromRgba(ring_rgb), 1.2) if ring_rgb else Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(rect)
        glyph = _GLYPHS.get(kind, "")
        if glyph:
            font = QFont()
            font.setBold(True)
            font.setPixelSize(int(size * 0.62))
            painter.setFont(font)
            painter.setPen(text_on(color))
            painter.drawText(rect.translated(QPointF(0, -0.5)), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return pixmap


def status_icon(kind: str, tone: Tone, size: int = 16, palette: QPalette | None = None) -> QIcon:
    """A small round status badge drawn in the palette-derived colour of `tone`, sharp at the
    screen's device pixel ratio. Selected rows get their own drawing: Qt's default would wash the
    colour out with the selection's, and a ring in the Highlight colour would vanish on it."""
    palette = palette or QGuiApplication.palette()
    app = QGuiApplication.instance()
    dpr = 1.0
    if app is not None and QGuiApplication.primaryScreen() is not None:
        dpr = QGuiApplication.primaryScreen().devicePixelRatio()
    color = tone_color(tone, palette)
    icon = QIcon(_status_pixmap(kind, color.rgba(), size, dpr))
    on_selection = palette.color(QPalette.ColorRole.HighlightedText)
    if tone in (Tone.ACTIVE, Tone.MUTED):
        selected = _status_pixmap(kind, on_selection.rgba(), size, dpr)
    else:
        selected = _status_pixmap(kind, color.rgba(), size, dpr, on_selection.rgba())
    icon.addPixmap(selected, QIcon.Mode.Selected)
    return icon
