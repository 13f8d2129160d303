"""The viewer's drawing surface (fit / 100 % / wheel zoom about the cursor / drag to pan) and the
off-thread full-size image loader. The arithmetic is in `zoom.py`."""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from wan27_desktop.imaging import path_reader
from wan27_desktop.jobs.background import BackgroundWork
from wan27_desktop.ui.viewer import zoom as vm

BACKDROP = QColor(0x26, 0x26, 0x26)
BACKDROP_TEXT = QColor(0xB8, 0xB8, 0xB8)  # 7.9:1 on the backdrop


class AsyncImageLoader(QObject):
    """Decodes full-size images on the "viewer" pool (a 4K PNG takes 100+ ms); only the latest
    request per slot is delivered, and a request that is no longer the latest when a thread is free
    for it is not decoded at all (the stage asks for each newest result of a batch as it lands)."""

    loaded = Signal(str, QImage)

    def __init__(self, parent: QObject | None = None, *, background: bool = False) -> None:
        """`background`: nobody waits for these decodes (the stage's preview of each result as it
        lands): they run on the "preview" pool, whose thread gives way to the UI thread for the CPU
        (thread_priority.py); the viewer's own decodes keep their priority (a person waits)."""
        super().__init__(parent)
        self._background = background
        self._work = BackgroundWork(self, pool="preview" if background else "viewer", expected=())
        self._tokens = itertools.count(1)
        self._latest: dict[str, int] = {}

    def load(self, path: str, slot: str = "main", fit_px: int | None = None) -> None:
        """Decode `path` for `slot`: full size, or with `fit_px` scaled to fit a box of that many
        physical pixels (a preview pane: a 4K result at full size is 64 MB to keep and to scale
        down on the UI thread at every paint)."""
        token = next(self._tokens)
        latest = self._latest  # the plain dict, read on the pool thread (no Qt object there)
        latest[slot] = token

        background = self._background

        def read() -> QImage:  # pool thread
            if latest.get(slot) != token:
                return QImage()  # superseded while queued: never delivered, so never decoded
            if background:
                from wan27_desktop.thread_priority import lower_current_thread

                lower_current_thread()  # the "preview" pool does nothing else: its thread stays low
            if fit_px is not None:
                from wan27_desktop.ui.common.thumbnails import read_scaled

                return read_scaled(Path(path), fit_px)
            reader = path_reader(path)
            reader.setAutoTransform(True)
            return reader.read()

        self._work.run(read, lambda image: self._deliver(token, slot, image))

    def _deliver(self, token: int, slot: str, image: QImage) -> None:
        if self._latest.get(slot) == token:
            self.loaded.emit(slot, image)

    def discard_queued(self) -> None:
        """Decodes not started yet are dropped (the window closed)."""
        self._work.discard_queued()

    def wait(self, msecs: int = 10_000) -> bool:
        return self._work.wait(msecs)


class ImageCanvas(QWidget):
    """Shows one image. `fit()` / `actual_size()`; wheel zooms about the cursor; drag pans."""

    zoomChanged = Signal(float)  # image pixels per device pixel (1.0 = 100 %)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("viewerCanvas")
        self.setAccessibleName(self.tr("Image"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.image = QImage()
        self.state = vm.ViewState(1.0, 0.0, 0.0)
        self.fitting = True
        self._drag: QPointF | None = None
        self._preview = False
        self.placeholder_text = ""

    def set_image(
        self,
        image: QImage,
        preview: bool = False,
        logical_size: tuple[int, int] | None = None,
    ) -> None:
        """Show `image`. A preview (the thumbnail while the full image loads) is drawn stretched to
        `logical_size`, the full image's pixels, so the view does not jump when the full one lands."""
        keep_view = not self.fitting and not self._preview and not preview and not self.image.isNull()
        self.image = image
        self._preview = preview
        self._logical = logical_size if preview and logical_size else (image.width(), image.height())
        if not keep_view or self.fitting:
            self.fit()
        else:
            self._clamp()
        self.update()

    def image_size(self) -> tuple[int, int]:
        return getattr(self, "_logical", (self.image.width(), self.image.height()))

    def fit(self) -> None:
        self.fitting = True
        w, h = self.image_size()
        self.state = vm.fit(w, h, self.width(), self.height())
        self.update()
        self.zoomChanged.emit(self.zoom_percent())

    def actual_size(self) -> None:
        self.fitting = False
        w, h = self.image_size()
        self.state = vm.clamp_offset(
            vm.actual_size(w, h, self.width(), self.height(), self.devicePixelRatioF()),
            w,
            h,
            self.width(),
            self.height(),
        )
        self.update()
        self.zoomChanged.emit(self.zoom_percent())

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        anchor = anchor or QPointF(self.width() / 2, self.height() / 2)
        self.fitting = False
        self.state = vm.zoom_about(self.state, factor, anchor.x(), anchor.y())
        self._clamp()
        self.update()
        self.zoomChanged.emit(self.zoom_percent())

    def zoom_percent(self) -> float:
        return self.state.scale * self.devicePixelRatioF() * 100

    def _clamp(self) -> None:
        w, h = self.image_size()
        self.state = vm.clamp_offset(self.state, w, h, self.width(), self.height())

    # --- events -----------------------------------------------------------------------------------------
    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        # A neutral dark backdrop, in light and dark themes alike (as image viewers do): colours are
        # judged against grey, not against the theme's white or its tinted dark.
        painter.fillRect(self.rect(), BACKDROP)
        if self.image.isNull():
            painter.setPen(BACKDROP_TEXT)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder_text)
            return
        w, h = self.image_size()
        target = QRectF(self.state.offset_x, self.state.offset_y, w * self.state.scale, h * self.state.scale)
        # Smooth when shrinking; nearest pixels when magnified so 100 %+ shows true pixels.
        painter.setRenderHint(
            QPainter.RenderHint.SmoothPixmapTransform,
            self.state.scale * self.devicePixelRatioF() < 1.0 or self._preview,
        )
        painter.drawImage(target, self.image)

    def resizeEvent(self, event: object) -> None:
        if self.fitting:
            self.fit()
        else:
            self._clamp()

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y()
        if delta:
            self.zoom_by(vm.wheel_factor(delta), event.position())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            delta = event.position() - self._drag
            self._drag = event.position()
            self.fitting = False
            self.state = vm.pan(self.state, delta.x(), delta.y())
            self._clamp()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.fitting:
            self.actual_size()
        else:
            self.fit()
