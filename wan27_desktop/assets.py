"""The app's icons and the files under the top-level `resources/` folder (found by
resource_files.py, wherever the app was installed from).

Icons (`icon(name)`): monochrome SVGs are tinted with the palette at paint time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from wan27_desktop.resource_files import resource as resource
from wan27_desktop.resource_files import resources_dir as resources_dir


def app_icon_path() -> Path:
    return resource("icons", "wan27-desktop.svg")


def icon_path(name: str) -> Path:
    return resource("icons", f"{name}.svg")


def icon_names() -> list[str]:
    """Every icon shipped in resources/icons (without the .svg)."""
    return sorted(path.stem for path in resource("icons").glob("*.svg"))


def icon(name: str) -> QIcon:
    """The icon `resources/icons/<name>.svg`, crisp at any device pixel ratio.

    A monochrome icon (drawn with `currentColor`) is tinted at paint time with the application
    palette's text colour (disabled and selected states too), so it reads in light and dark themes
    and follows a theme switch without being reloaded. A full-colour icon is used as drawn.
    """
    svg = _svg_bytes(name)
    if b"currentColor" not in svg:
        return QIcon(str(icon_path(name)))
    return QIcon(TintedSvgIconEngine(svg))


@lru_cache(maxsize=64)
def _svg_bytes(name: str) -> bytes:
    # A few hundred bytes, read once per icon for the life of the process.
    return icon_path(name).read_bytes()


def tint_color(mode: QIcon.Mode = QIcon.Mode.Normal, palette: QPalette | None = None) -> QColor:
    palette = palette or QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)


@lru_cache(maxsize=256)
def _render_tinted(svg: bytes, rgba: int, width: int, height: int, scale: float) -> QPixmap:
    color = QColor.fromRgba(rgba)
    data = svg.replace(b"currentColor", color.name(QColor.NameFormat.HexRgb).encode())
    renderer = QSvgRenderer(QByteArray(data))
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
    pixmap = QPixmap(max(1, round(width * scale)), max(1, round(height * scale)))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setOpacity(color.alphaF())
    renderer.render(painter, QRectF(0, 0, pixmap.width(), pixmap.height()))
    painter.end()
    pixmap.setDevicePixelRatio(scale)  # drawn at device pixels: sharp at 150% and 200%
    return pixmap


class TintedSvgIconEngine(QIconEngine):
    """Renders a `currentColor` SVG in the palette's text colour for the icon's mode."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self._svg = svg

    def scaledPixmap(
        self,
        size: QSize,
        mode: QIcon.Mode,
        state: QIcon.State,  # noqa: N802 (Qt API)
        scale: float,
    ) -> QPixmap:
        return _render_tinted(self._svg, tint_color(mode).rgba(), size.width(), size.height(), float(scale))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        device = painter.device()
        scale = device.devicePixelRatioF() if device is not None else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:  # noqa: N802 (Qt API)
        return size

    def clone(self) -> QIconEngine:
        return TintedSvgIconEngine(self._svg)

    def key(self) -> str:
        return "wan27-tinted-svg"

    def isNull(self) -> bool:  # noqa: N802 (Qt API)
        return not self._svg
