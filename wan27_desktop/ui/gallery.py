"""The gallery panel: filters, the thumbnail grid, the trash view, culling keys and image actions.

Everything that touches the library runs on the gallery's worker pool; the grid updates at once
from memory (optimistic) and the rows are re-read afterwards. The main window connects the
request signals (reuse prompt/parameters, use as reference, extract palette) to the workspace.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop.library import ImageQuery, ImageRecord, Library

from . import gallery_actions
from .gallery_delegate import ThumbnailDelegate
from .gallery_filters import GalleryFilters
from .gallery_model import GalleryModel
from .gallery_view import GalleryView
from .gallery_worker import DbWorker, LibraryAccess
from .thumbnail_loader import ThumbnailLoader

__all__ = ["GalleryPanel", "GalleryView", "GalleryModel"]

log = logging.getLogger(__name__)

EMPTY_LIBRARY = ("Your library is empty.\n\nType a prompt in the workspace and press Ctrl+Enter: "
                 "every image you generate lands here, kept on this computer.")
EMPTY_FILTERED = "No images match this search or these filters."
EMPTY_TRASH = "The trash is empty."


@dataclass
class _Undo:
    label: str
    ids: list[int]
    undo: Callable[[Library], Any]
    rows: list[int] = field(default_factory=list)  # rows removed from the view (trash)


class GalleryPanel(QWidget):
    """The whole gallery. Construct with a data dir (each pool thread opens its own Library) or an
    opened, thread-safe Library to share."""

    reusePromptRequested = Signal(str)
    reuseParametersRequested = Signal(int)  # job id
    reuseRequestReady = Signal(object)  # GenerationRequest rebuilt by request_from_job
    useAsReferenceRequested = Signal(str)
    extractPaletteRequested = Signal(str)
    statusMessage = Signal(str)
    selectionCountChanged = Signal(int)

    def __init__(self, data_dir: Path | None = None, library: Library | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("galleryPanel")
        if library is not None:
            access = LibraryAccess(getattr(library, "data_dir", data_dir or Path(".")),
                                   opener=lambda _dir: library)
        else:
            if data_dir is None:
                raise ValueError("GalleryPanel needs a data_dir or a Library")
            access = LibraryAccess(data_dir)
        self.access = access
        self.worker = DbWorker(access, max_threads=3, parent=self)
        self.writer = DbWorker(access, max_threads=1, parent=self)  # writes in order, one at a time
        self.loader = ThumbnailLoader(access, parent=self)
        self.model = GalleryModel(self.worker, parent=self)
        self._undo: list[_Undo] = []
        self._viewer: Any = None

        self.filters = GalleryFilters(self)
        self.view = GalleryView(self)
        self.delegate = ThumbnailDelegate(self.loader, self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.model)
        self.view.set_cell_size(self.filters.slider.value())
        self.delegate.tile = self.filters.slider.value()

        self.trash_bar = QWidget(self)
        self.trash_bar.setObjectName("galleryTrashBar")
        self.restore_button = QPushButton("Restore selected", self.trash_bar)
        self.restore_button.setObjectName("galleryRestoreButton")
        self.empty_button = QPushButton("Empty trash…", self.trash_bar)
        self.empty_button.setObjectName("galleryEmptyTrashButton")
        trash_layout = QHBoxLayout(self.trash_bar)
        trash_layout.setContentsMargins(6, 0, 6, 0)
        trash_label = QLabel("Trash: images here can be restored until you empty it.", self.trash_bar)
        trash_layout.addWidget(trash_label, 1)
        trash_layout.addWidget(self.restore_button)
        trash_layout.addWidget(self.empty_button)
        self.trash_bar.hide()

        self.trash_toggle = QToolButton(self.filters)
        self.trash_toggle.setObjectName("galleryTrashToggle")
        self.trash_toggle.setText("Trash")
        self.trash_toggle.setAccessibleName("Show trash")
        self.trash_toggle.setCheckable(True)
        filters_layout = self.filters.layout()
        assert isinstance(filters_layout, QHBoxLayout)
        filters_layout.insertWidget(filters_layout.count() - 2, self.trash_toggle)

        self.undo_bar = QWidget(self)
        self.undo_bar.setObjectName("galleryUndoBar")
        self.undo_label = QLabel(self.undo_bar)
        self.undo_button = QPushButton("Undo", self.undo_bar)
        self.undo_button.setObjectName("galleryUndoButton")
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(6, 0, 6, 0)
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filters)
        layout.addWidget(self.trash_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.undo_bar)

        self.filters.queryChanged.connect(self.set_query)
        self.filters.thumbSizeChanged.connect(self.view.set_cell_size)
        self.view.visibleRangeChanged.connect(self._visible_changed)
        self.loader.ready.connect(self._thumbnail_ready)
        self.model.countChanged.connect(self._count_changed)
        self.model.queryApplied.connect(self._count_changed)
        self.model.loadFailed.connect(self.statusMessage)
        self.view.rateRequested.connect(self.rate_selection)
        self.view.favouriteRequested.connect(self.toggle_favourite_selection)
        self.view.trashRequested.connect(self.trash_selection)
        self.view.undoRequested.connect(self.undo)
        self.view.openRequested.connect(self.open_viewer)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.trash_toggle.toggled.connect(self.show_trash)
        self.restore_button.clicked.connect(self.restore_selection)
        self.empty_button.clicked.connect(self.empty_trash)
        self.undo_button.clicked.connect(self.undo)
        self._undo_timer = QTimer(self, singleShot=True, interval=8000)
        self._undo_timer.timeout.connect(self.undo_bar.hide)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.selectionCountChanged.emit(len(self.view.selected_rows())))
        self._install_shortcuts()
        self.model.set_query(self.filters.query())

    # --- lifecycle --------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the pools (call before the Library closes / the window goes away)."""
        self.loader.shutdown()
        self.worker.pool.clear()
        self.worker.wait(30_000)
        self.writer.wait(30_000)
        if self._viewer is not None:
            self._viewer.close()
            self._viewer.loader.wait(30_000)
        self.access.close_all()

    def wait_idle(self, msecs: int = 10_000) -> bool:
        return self.worker.wait(msecs) and self.writer.wait(msecs)

    # --- queries ------------------------------------------------------------------------------------
    def set_query(self, query: ImageQuery) -> None:
        self.model.set_query(query)

    def query(self) -> ImageQuery:
        return self.model.query()

    def show_trash(self, trashed: bool) -> None:
        if self.trash_toggle.isChecked() != trashed:
            self.trash_toggle.setChecked(trashed)  # re-enters through toggled
            return
        self.trash_bar.setVisible(trashed)
        self.filters.set_trashed(trashed)

    def notify_image_added(self, image_id: int) -> None:
        """Call when a job lands an image: it appears at the top without moving what is in view."""
        self.model.notify_image_added(image_id)

    def refresh(self) -> None:
        self.model.refresh()

    def _count_changed(self, *_: object) -> None:
        count = self.model.rowCount()
        noun = "image" if count == 1 else "images"
        self.filters.count_label.setText(f"{count:,} {noun}")
        if count:
            self.view.set_empty_text("")
        elif self.model.query().trashed:
            self.view.set_empty_text(EMPTY_TRASH)
        elif self.filters.is_filtered():
            self.view.set_empty_text(EMPTY_FILTERED)
        else:
            self.view.set_empty_text(EMPTY_LIBRARY)
        self.empty_button.setEnabled(bool(count) and self.model.query().trashed)

    def _visible_changed(self, first: int, last: int) -> None:
        self.model.set_visible_range(first, last)
        ids = {r.id for r in (self.model.loaded_record(row) for row in range(first, last + 1)) if r is not None}
        self.loader.keep_only(ids)

    def _thumbnail_ready(self, image_id: int) -> None:
        first, last = self.view.visible_rows()
        for row in range(first, last + 1):
            record = self.model.loaded_record(row)
            if record is not None and record.id == image_id:
                self.view.viewport().update(self.view.visualRect(self.model.index(row)))

    # --- selection helpers -----------------------------------------------------------------------
    def selected_records(self) -> list[ImageRecord]:
        """Loaded records of the selection (the visible ones; see model.resolve_ids for all)."""
        return [r for r in (self.model.loaded_record(row) for row in self.view.selected_rows()) if r]

    def current_record(self) -> ImageRecord | None:
        index = self.view.currentIndex()
        return self.model.loaded_record(index.row()) if index.isValid() else None

    def _with_selection(self, action: Callable[[list[int], list[int]], None]) -> None:
        rows = self.view.selected_rows()
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        if rows:
            self.model.resolve_ids(rows, lambda ids: action(rows, ids))

    def _write(self, fn: Callable[[Library], Any], done: Callable[[Any], None] | None = None) -> None:
        self.writer.submit(fn, done or (lambda _result: None), self._write_failed)

    def _write_failed(self, error: BaseException) -> None:
        log.error("gallery write failed: %s", error)
        self.statusMessage.emit(str(error))
        self.model.refresh()

    def _needs_refresh_after(self, field_name: str) -> bool:
        q = self.model.query()
        if field_name == "rating":
            return q.min_rating > 0 or q.sort == "rating"
        if field_name == "favourite":
            return q.favourites_only
        return False

    # --- culling ------------------------------------------------------------------------------------
    def rate_selection(self, stars: int) -> None:
        def act(rows: list[int], ids: list[int]) -> None:
            before = {r.id: r.rating for r in self.selected_records()}
            self.model.update_records(ids, rating=stars)
            after = self.model.refresh if self._needs_refresh_after("rating") else None
            self._write(lambda lib: lib.set_rating(ids, stars), after and (lambda _r: after()))
            self._push_undo(_Undo(f"Rated {len(ids)} image(s) {stars}★", ids, _restore_ratings(before)),
                            show=False)
            self.statusMessage.emit(f"Rated {len(ids)} image(s) {'★' * stars or 'no stars'}")

        self._with_selection(act)

    def toggle_favourite_selection(self) -> None:
        def act(rows: list[int], ids: list[int]) -> None:
            records = self.selected_records()
            value = not all(r.favourite for r in records) if records else True
            before = {r.id: r.favourite for r in records}
            self.model.update_records(ids, favourite=value)
            after = self.model.refresh if self._needs_refresh_after("favourite") else None
            self._write(lambda lib: lib.set_favourite(ids, value), after and (lambda _r: after()))
            self._push_undo(_Undo("Favourite", ids, _restore_favourites(before)), show=False)

        self._with_selection(act)

    def trash_selection(self) -> None:
        if self.model.query().trashed:
            return  # in the trash, Delete does nothing; "Empty trash" is explicit

        def act(rows: list[int], ids: list[int]) -> None:
            self._remove_and_select(rows)
            self._write(lambda lib: lib.trash(ids))
            self._push_undo(_Undo(f"Moved {len(ids)} image(s) to the trash", ids,
                                  lambda lib: lib.restore(ids), rows=rows))

        self._with_selection(act)

    def restore_selection(self) -> None:
        if not self.model.query().trashed:
            return

        def act(rows: list[int], ids: list[int]) -> None:
            self._remove_and_select(rows)
            self._write(lambda lib: lib.restore(ids))
            self.statusMessage.emit(f"Restored {len(ids)} image(s)")

        self._with_selection(act)

    def _remove_and_select(self, rows: list[int]) -> None:
        first = min(rows)
        self.view.selectionModel().clear()
        self.model.remove_rows(rows)
        if self.model.rowCount():
            index = self.model.index(min(first, self.model.rowCount() - 1))
            self.view.setCurrentIndex(index)

    def undo(self) -> None:
        if not self._undo:
            return
        entry = self._undo.pop()
        self.undo_bar.hide()
        if entry.rows and not self.model.query().trashed:
            self.model.insert_known_rows(entry.rows)
        self._write(entry.undo, lambda _r: self.model.refresh())
        self.statusMessage.emit(f"Undone: {entry.label}")

    def can_undo(self) -> bool:
        return bool(self._undo)

    def _push_undo(self, entry: _Undo, show: bool = True) -> None:
        self._undo.append(entry)
        del self._undo[:-50]
        if show:
            self.undo_label.setText(entry.label + " — Ctrl+Z to undo")
            self.undo_bar.show()
            self._undo_timer.start()

    def empty_trash(self) -> None:
        count = self.model.rowCount() if self.model.query().trashed else None
        text = (f"Permanently delete {count:,} image(s) in the trash?" if count is not None
                else "Permanently delete every image in the trash?")
        if not self.confirm("Empty trash", text + " Their files are deleted; this cannot be undone."):
            return
        self._write(lambda lib: lib.empty_trash(), self._trash_emptied)

    def _trash_emptied(self, deleted: int) -> None:
        self.statusMessage.emit(f"Deleted {deleted} image(s) from the trash")
        self.model.refresh(reset=True)

    def confirm(self, title: str, text: str) -> bool:
        """Ask yes/no (tests replace this)."""
        answer = QMessageBox.question(self, title, text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def add_tags(self, tags: list[str]) -> None:
        def act(rows: list[int], ids: list[int]) -> None:
            self._write(lambda lib: lib.add_tags(ids, tags))

        self._with_selection(act)

    def _ask_tags(self) -> None:
        text, ok = QInputDialog.getText(self, "Tag images", "Tags (comma separated):")
        if ok:
            tags = [t.strip() for t in text.split(",") if t.strip()]
            if tags:
                self.add_tags(tags)

    # --- image actions ------------------------------------------------------------------------------
    def reuse_prompt(self, record: ImageRecord | None = None) -> None:
        record = record or self.current_record()
        if record is not None and record.prompt:
            self.reusePromptRequested.emit(record.prompt)

    def reuse_parameters(self, record: ImageRecord | None = None) -> None:
        record = record or self.current_record()
        if record is None or record.job_id is None:
            return
        job_id = record.job_id
        self.reuseParametersRequested.emit(job_id)
        self.worker.submit(lambda lib: gallery_actions.request_from_job(lib.get_job(job_id), lib),
                           self.reuseRequestReady.emit, self._write_failed)

    def use_as_reference(self, record: ImageRecord | None = None) -> None:
        record = record or self.current_record()
        if record is not None:
            self.useAsReferenceRequested.emit(str(record.path))

    def extract_palette(self, record: ImageRecord | None = None) -> None:
        record = record or self.current_record()
        if record is not None:
            self.extractPaletteRequested.emit(str(record.path))

    def copy_image(self) -> None:
        record = self.current_record()
        if record is not None and not gallery_actions.copy_image_to_clipboard(record.path):
            self.statusMessage.emit(f"Could not read {record.path}")

    def copy_prompt(self) -> None:
        record = self.current_record()
        if record is not None:
            gallery_actions.copy_text_to_clipboard(record.prompt or "")

    def reveal(self) -> None:
        record = self.current_record()
        if record is not None:
            gallery_actions.reveal_in_file_manager(record.path)

    def save_as(self) -> None:
        record = self.current_record()
        if record is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "Save image as", record.path.name,
                                                f"Image (*{record.path.suffix})")
        if target:
            # A byte copy keeps the embedded metadata (parameters, JSON, XMP) intact.
            self._write(lambda _lib: shutil.copyfile(record.path, target),
                        lambda _r: self.statusMessage.emit(f"Saved {target}"))

    def export_selection(self, dest: Path | None = None) -> None:
        if dest is None:
            chosen = QFileDialog.getExistingDirectory(self, "Export selected images to")
            if not chosen:
                return
            dest = Path(chosen)
        target = dest

        def act(rows: list[int], ids: list[int]) -> None:
            self._write(lambda lib: lib.export(ids, target),
                        lambda paths: self.statusMessage.emit(f"Exported {len(paths)} image(s) to {target}"))

        self._with_selection(act)

    def open_viewer(self, row: int) -> None:
        from .viewer import ImageViewer

        if self._viewer is None:
            self._viewer = ImageViewer(self.model, self.worker, self.loader, parent=self)
            self._viewer.reusePromptRequested.connect(self.reusePromptRequested)
            self._viewer.reuseParametersRequested.connect(lambda rec: self.reuse_parameters(rec))
            self._viewer.useAsReferenceRequested.connect(self.useAsReferenceRequested)
            self._viewer.rowChanged.connect(self._viewer_row_changed)
        self._viewer.show_row(row)
        self._viewer.show()
        self._viewer.raise_()
        self._viewer.activateWindow()

    def viewer(self) -> Any:
        return self._viewer

    def _viewer_row_changed(self, row: int) -> None:
        index = self.model.index(row)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def compare_selection(self) -> None:
        records = self.selected_records()[:2]
        if len(records) == 2:
            from .compare_view import CompareWindow

            window = CompareWindow(records[0], records[1], parent=self)
            window.show()

    # --- menus and shortcuts -----------------------------------------------------------------------
    def _install_shortcuts(self) -> None:
        def add(text: str, keys: QKeySequence | QKeySequence.StandardKey | str, slot: Callable[[], None]) -> QAction:
            action = QAction(text, self.view)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
            return action

        self.copy_action = add("Copy image", QKeySequence.StandardKey.Copy, self.copy_image)
        self.copy_prompt_action = add("Copy prompt", "Ctrl+Shift+C", self.copy_prompt)
        self.reuse_prompt_action = add("Reuse prompt", "Ctrl+R", self.reuse_prompt)
        self.reuse_parameters_action = add("Reuse all parameters", "Ctrl+Shift+R", self.reuse_parameters)
        self.export_action = add("Export selection…", "Ctrl+E", self.export_selection)
        self.save_action = add("Save as…", QKeySequence.StandardKey.Save, self.save_as)
        self.find_action = QAction("Search", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_action.triggered.connect(lambda: self.filters.search.setFocus())
        self.addAction(self.find_action)

    def _context_menu(self, point: QPoint) -> None:
        self.context_menu(point).popup(self.view.viewport().mapToGlobal(point))

    def context_menu(self, point: QPoint) -> QMenu:
        index = self.view.indexAt(point)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
        menu = QMenu(self)
        record = self.current_record()
        has = record is not None
        trashed = self.model.query().trashed
        for text, slot in (("Open", lambda: self.open_viewer(self.view.currentIndex().row())),
                           (None, None),
                           ("Reuse prompt", self.reuse_prompt),
                           ("Reuse all parameters", self.reuse_parameters),
                           ("Use as reference", self.use_as_reference),
                           ("Extract palette", self.extract_palette),
                           (None, None),
                           ("Copy image", self.copy_image),
                           ("Copy prompt", self.copy_prompt),
                           ("Save as…", self.save_as),
                           ("Export selection…", self.export_selection),
                           ("Reveal in file manager", self.reveal)):
            if text is None:
                menu.addSeparator()
                continue
            action = menu.addAction(text)
            action.setEnabled(has)
            action.triggered.connect(slot)
        compare = menu.addAction("Compare the two selected")
        compare.setEnabled(len(self.view.selected_rows()) == 2)
        compare.triggered.connect(self.compare_selection)
        menu.addSeparator()
        rate = menu.addMenu("Rate")
        for stars in range(6):
            action = rate.addAction("★" * stars if stars else "No rating")
            action.setShortcut(QKeySequence(str(stars)))
            action.triggered.connect(lambda _c=False, s=stars: self.rate_selection(s))
        favourite = menu.addAction("Toggle favourite")
        favourite.setShortcut(QKeySequence("F"))
        favourite.triggered.connect(self.toggle_favourite_selection)
        menu.addAction("Tag…").triggered.connect(self._ask_tags)
        menu.addSeparator()
        if trashed:
            menu.addAction("Restore").triggered.connect(self.restore_selection)
            menu.addAction("Empty trash…").triggered.connect(self.empty_trash)
        else:
            trash = menu.addAction("Move to trash")
            trash.setShortcut(QKeySequence(Qt.Key.Key_Delete))
            trash.triggered.connect(self.trash_selection)
        return menu


def _restore_ratings(before: dict[int, int]) -> Callable[[Library], None]:
    def undo(lib: Library) -> None:
        for rating in set(before.values()):
            lib.set_rating([i for i, r in before.items() if r == rating], rating)

    return undo


def _restore_favourites(before: dict[int, bool]) -> Callable[[Library], None]:
    def undo(lib: Library) -> None:
        for value in (True, False):
            ids = [i for i, v in before.items() if v is value]
            if ids:
                lib.set_favourite(ids, value)

    return undo
