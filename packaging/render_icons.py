"""Render the one SVG icon into every size and format the installers need (build step).

Writes build/icons/ (or the folder given as the first argument): hicolor PNGs 16-512 px,
wan27-desktop.ico (Windows), wan27-desktop.icns (macOS).
Uses QtSvg + QImageWriter, which PySide6-Essentials already ships: no extra imaging tool.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main(out_dir: Path = ROOT / "build" / "icons") -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ROOT / "resources" / "icons" / "wan27-desktop.svg"))
    if not renderer.isValid():
        print("the SVG icon did not load", file=sys.stderr)
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        target = out_dir / "hicolor" / f"{size}x{size}" / "apps" / "wan27-desktop.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(renderer, size).save(str(target), "PNG"):
            print(f"could not write {target}", file=sys.stderr)
            return 1
    render(renderer, 256).save(str(out_dir / "wan27-desktop.ico"), "ICO")
    render(renderer, 512).save(str(out_dir / "wan27-desktop.icns"), "ICNS")
    print(out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])) if len(sys.argv) > 1 else main())
