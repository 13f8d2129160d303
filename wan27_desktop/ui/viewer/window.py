"""The large image viewer: fit / 100 % / wheel zoom about the cursor / drag to pan, previous/next
through the gallery's rows, full screen, compare, and the metadata panel beside the image.

It walks the gallery model's rows; the full-size file is decoded off the UI thread while the cached
thumbnail stands in, so next/previous is instant.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QSplitter, QToolBar, QVBoxLayout, QWidget

from wan27_desktop.library import ImageRecord
from wan27_desktop.ui.common.thumbnails import ThumbnailLoader, decode_size
from wan27_desktop.ui.gallery.model import GalleryModel
from wan27_desktop.ui.gallery.worker import DbWorker
from wan27_desktop.ui.viewer.canvas import AsyncImageLoader, ImageCanvas
from wan27_desktop.ui.viewer.details import MetadataPanel


class ImageViewer(QWidget):
    rowChanged = Signal(int)
    reusePromptRequested = Signal(str)
    reuseParametersRequested = Signal(object)  # ImageRecord
    useAsReferenceRequested = Signal(str)
    imageShown = Signal(int)  # image id, once the full-size image is on screen

    def __init__(
        self, model: GalleryModel, worker: DbWorker, thumbnails: ThumbnailLoader, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("imageViewer")
        self.setWindowTitle(self.tr("Wan 2.7 — Viewer"))
        self.resize(1200, 800)
        self.model = model
        self.thumbnails = thumbnails
        self.row = -1
        self.record: ImageRecord | None = None
        self.loader = AsyncImageLoader(self)
        self.loader.loaded.connect(self._full_loaded)

        self.canvas = ImageCanvas(self)
        self.metadata = MetadataPanel(worker, self)
        self.metadata.derivedClicked.connect(self._show_image_id)
        self.metadata.referenceClicked.connect(self._show_reference)
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("viewerToolbar")
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("viewerZoom")
        self.zoom_label.setMinimumWidth(90)

        def add(text: str, keys: list[str | QKeySequence.StandardKey], slot: object, name: str) -> QAction:
            action = QAction(text, self)
            action.setObjectName(name)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.triggered.connect(slot)
            self.toolbar.addAction(action)
            self.addAction(action)
            return action

        self.previous_action = add(self.tr("◀ Previous"), ["Left", "PgUp"], self.previous, "viewerPrevious")
        self.next_action = add(self.tr("Next ▶"), ["Right", "PgDown", "Space"], self.next, "viewerNext")
        self.toolbar.addSeparator()
        self.fit_action = add(self.tr("Fit"), ["Ctrl+0", "0"], self.canvas.fit, "viewerFit")
        self.actual_action = add("100%", ["Ctrl+1", "1"], self.canvas.actual_size, "viewerActualSize")
        add(self.tr("Zoom in"), ["Ctrl++", "+", "="], lambda: self.canvas.zoom_by(1.25), "viewerZoomIn")
        add(self.tr("Zoom out"), ["Ctrl+-", "-"], lambda: self.canvas.zoom_by(0.8), "viewerZoomOut")
        self.toolbar.addWidget(self.zoom_label)
        self.toolbar.addSeparator()
        self.fullscreen_action = add(self.tr("Full screen"), ["F11"], self.toggle_full_screen, "viewerFullScreen")
        self.fullscreen_action.setCheckable(True)
        self.compare_action = add(self.tr("Compare with next"), ["C"], self.compare_with_next, "viewerCompare")
        self.toolbar.addSeparator()
        add(self.tr("Reuse prompt"), ["Ctrl+R"], self._reuse_prompt, "viewerReusePrompt")
        add(self.tr("Reuse parameters"), ["Ctrl+Shift+R"], self._reuse_parameters, "viewerReuseParameters")
        add(self.tr("Use as reference"), [], self._use_as_reference, "viewerUseAsReference")
        add(self.tr("Close"), ["Esc"], self._escape, "viewerClose").setVisible(False)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.canvas)
        self.splitter.addWidget(self.metadata)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([880, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.splitter, 1)
        self.canvas.zoomChanged.connect(
            lambda pct: self.zoom_label.setText(self.tr("Zoom {percent}%").format(percent=f"{pct:.0f}"))
        )
        self.model.pageLoaded.connect(self._page_loaded)
        self.canvas.setFocus()

    # --- navigation ---------------------------------------------------------------------------------
    def show_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        self.row = row
        record = self.model.record(row)  # asks for the page when it is not loaded yet
        if record is None:
            self.canvas.placeholder_text = self._loading_text()
            self.canvas.set_image(self.canvas.image.__class__())
            return
        self.show_record(record)
        self.rowChanged.emit(row)
        self._update_actions()

    def show_record(self, record: ImageRecord) -> None:
        self.record = record
        untitled = self.tr("Image")  # outside the f-string: lupdate does not look inside one
        self.setWindowTitle(f"{(record.prompt or untitled)[:80]} — Wan 2.7")
        preview = self.thumbnails.image(record, decode_size(256, 1.0))
        if preview is not None:
            self.canvas.set_image(preview, preview=True, logical_size=(record.width, record.height))
        self.canvas.placeholder_text = self._loading_text()
        self.loader.load(str(record.path))
        self.metadata.show_image(record)

    def _loading_text(self) -> str:
        return self.tr("Loading…")

    def next(self) -> None:
        self.show_row(min(self.model.rowCount() - 1, self.row + 1))

    def previous(self) -> None:
        self.show_row(max(0, self.row - 1))

    def _update_actions(self) -> None:
        self.previous_action.setEnabled(self.row > 0)
        self.next_action.setEnabled(self.row < self.model.rowCount() - 1)

    def _page_loaded(self, page: int) -> None:
        if self.record is None or self.model.loaded_record(self.row) is None:
            return
        if self.canvas.placeholder_text == self._loading_text() and self.canvas.image.isNull():
            self.show_row(self.row)

    def _full_loaded(self, slot: str, image: object) -> None:
        from PySide6.QtGui import QImage

        assert isinstance(image, QImage)
        if image.isNull():
            self.canvas.placeholder_text = self.tr("This image file cannot be read (missing or damaged).")
            self.canvas.set_image(QImage())
            return
        self.canvas.set_image(image)
        if self.record is not None:
            self.imageShown.emit(self.record.id)

    def _show_image_id(self, image_id: int) -> None:
        row = self.model.row_of(image_id)
        if row is not None:
            self.show_row(row)
            return
        # Not in the current query's loaded pages: show it without moving the gallery.
        self.metadata.worker.submit(lambda lib: lib.images.get(image_id), self.show_record)

    def _show_reference(self, path: str) -> None:
        self.record = None
        self.setWindowTitle(self.tr("Reference — {path}").format(path=path))
        self.loader.load(path)

    # --- actions --------------------------------------------------------------------------------------
    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.fullscreen_action.setChecked(self.isFullScreen())

    def _escape(self) -> None:
        if self.isFullScreen():
            self.toggle_full_screen()
        else:
            self.close()

    def compare_with_next(self) -> None:
        other = self.model.loaded_record(self.row + 1)
        if self.record is not None and other is not None:
            from wan27_desktop.ui.viewer.compare import CompareWindow

            CompareWindow(self.record, other, parent=self).show()

    def _reuse_prompt(self) -> None:
        if self.record is not None and self.record.prompt:
            self.reusePromptRequested.emit(self.record.prompt)

    def _reuse_parameters(self) -> None:
        if self.record is not None:
            self.reuseParametersRequested.emit(self.record)

    def _use_as_reference(self) -> None:
        if self.record is not None:
            self.useAsReferenceRequested.emit(str(self.record.path))

    def closeEvent(self, event: object) -> None:
        self.loader.discard_queued()
        super().closeEvent(event)  # type: ignore[arg-type]
