"""The gallery panel: filters, the thumbnail grid, the trash view, culling keys and image actions.

Everything that touches the library runs on the gallery's worker pool; the grid updates at once
from memory (optimistic) and the rows are re-read afterwards. The main window connects the
request signals (reuse prompt/parameters, use as reference, extract palette) to the workspace.
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop.library import ImageQuery
from wan27_desktop.ui.gallery import actions as gallery_actions
from wan27_desktop.ui.gallery.filters import GalleryFilters
from wan27_desktop.ui.gallery.model import GalleryModel
from wan27_desktop.ui.gallery.view import GalleryView
from wan27_desktop.ui.gallery.worker import DbWorker, LibraryAccess

if TYPE_CHECKING:
    from wan27_desktop.library import ImageRecord, Library
    from wan27_desktop.library.batches import BatchCounts, BatchRecord
    from wan27_desktop.ui.common.thumbnails import ThumbnailLoader
    from wan27_desktop.ui.gallery.batchbar import BatchBar
    from wan27_desktop.ui.gallery.delegate import ThumbnailDelegate
    from wan27_desktop.ui.viewer.window import ImageViewer

__all__ = ["GalleryPanel", "GalleryView", "GalleryModel"]

log = logging.getLogger(__name__)


def display_path(path: Path) -> str:
    """A path as people read it: '~/…' under the home folder (not on Windows, where '~' means nothing)."""
    if sys.platform != "win32":
        try:
            return "~/" + path.relative_to(Path.home()).as_posix()
        except ValueError:
            pass
    return str(path)


def _drop_thumbnails(data_dir: Path, sha256: str) -> None:
    # On the worker: the image modules load there the first time, not with the gallery at start.
    from wan27_desktop.imaging.thumbnails import drop_thumbnails

    drop_thumbnails(data_dir, sha256)


class _Undo:
    """One undoable change. A plain class: a dataclass is compiled when its module loads (~1 ms
    before the full window), for a value made only when the user changes something."""

    __slots__ = ("label", "ids", "undo", "rows")

    def __init__(
        self, label: str, ids: list[int], undo: Callable[[Library], Any], rows: list[int] | None = None
    ) -> None:
        self.label = label
        self.ids = ids
        self.undo = undo
        self.rows = rows if rows is not None else []  # rows removed from the view (trash)


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
    openBatchRequested = Signal(int)  # the batch bar's "Batch Window" (batch id)

    def __init__(
        self,
        data_dir: Path | None = None,
        library: Library | None = None,
        parent: QWidget | None = None,
        *,
        load: bool = True,
    ) -> None:
        """`load=False`: read nothing until `load()` (the main window does that once it has painted,
        so the first query's worker does not compete with building and painting the window)."""
        super().__init__(parent)
        self._waiting: ImageQuery | None = None  # the query to run at load(), while not loaded yet
        self._deferred = not load
        self.setObjectName("galleryPanel")
        if library is not None:
            access = LibraryAccess(getattr(library, "data_dir", data_dir or Path(".")), opener=lambda _dir: library)
        else:
            if data_dir is None:
                raise ValueError("GalleryPanel needs a data_dir or a Library")
            access = LibraryAccess(data_dir)
        self.access = access
        self.worker = DbWorker(access, max_threads=3, parent=self)
        self.writer = DbWorker(access, max_threads=1, parent=self)  # writes in order, one at a time
        # The thumbnail loader and the tile painter come with the first rows (`load`, or at once
        # when not deferred): a window's first full paint shows no thumbnail yet.
        self._loader: ThumbnailLoader | None = None
        self._delegate: ThumbnailDelegate | None = None
        self.model = GalleryModel(self.worker, parent=self)
        self._undo: list[_Undo] = []
        self._viewer: ImageViewer | None = None
        self._empty_clears_filters = False
        self._batch_bar: BatchBar | None = None
        self._batch_reading = False  # one read of the shown batch's numbers at a time
        self._batch_read_due = False
        self._batches_reading = False  # the Batch submenu's list

        self.filters = GalleryFilters(self)
        self.view = GalleryView(self)
        self.view.setModel(self.model)
        self.view.set_cell_size(self.filters.slider.value())
        if load:
            self.filters.add_clear_button()
            self.delegate  # noqa: B018 - made now: rows are read at once

        self.trash_bar = QWidget(self)
        self.trash_bar.setObjectName("galleryTrashBar")
        self.restore_button = QPushButton(self.tr("Restore selected"), self.trash_bar)
        self.restore_button.setObjectName("galleryRestoreButton")
        self.empty_button = QPushButton(self.tr("Empty trash…"), self.trash_bar)
        self.empty_button.setObjectName("galleryEmptyTrashButton")
        trash_layout = QHBoxLayout(self.trash_bar)
        trash_layout.setContentsMargins(6, 0, 6, 0)
        trash_label = QLabel(self.tr("Trash: images here can be restored until you empty it."), self.trash_bar)
        trash_label.setWordWrap(True)
        trash_layout.addWidget(trash_label, 1)
        trash_layout.addWidget(self.restore_button)
        trash_layout.addWidget(self.empty_button)
        self.trash_bar.hide()

        self.trash_toggle = QToolButton(self.filters)
        self.trash_toggle.setObjectName("galleryTrashToggle")
        self.trash_toggle.setText(self.tr("Trash"))
        self.trash_toggle.setAccessibleName(self.tr("Show trash"))
        self.trash_toggle.setToolTip(self.tr("Show the trash (images you deleted, until you empty it)"))
        self.trash_toggle.setCheckable(True)
        self.filters.insert_bar_widget(self.trash_toggle)

        self.undo_bar = QWidget(self)
        self.undo_bar.setObjectName("galleryUndoBar")
        self.undo_label = QLabel(self.undo_bar)
        self.undo_button = QPushButton(self.tr("Undo"), self.undo_bar)
        self.undo_button.setObjectName("galleryUndoButton")
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(6, 0, 6, 0)
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.hide()

        layout = QVBoxLayout(self)
        self._layout = layout
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filters)
        layout.addWidget(self.trash_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.undo_bar)

        self.filters.queryChanged.connect(self.set_query)
        self.filters.thumbSizeChanged.connect(self._thumb_size_changed)
        self.filters.batchesWanted.connect(self._read_batches)
        self.view.visibleRangeChanged.connect(self._visible_changed)
        self.model.countChanged.connect(self._count_changed)
        self.model.queryApplied.connect(self._count_changed)
        self.model.loadFailed.connect(self.statusMessage)
        self.model.selectionStale.connect(
            lambda: self.statusMessage.emit(
                self.tr("The gallery changed while your selection was read, so nothing was done. Select again.")
            )
        )
        self.model.rowsShown.connect(self._release_thumbnails)
        self.model.loadFailed.connect(self._release_thumbnails)
        self.view.rateRequested.connect(self.rate_selection)
        self.view.favouriteRequested.connect(self.toggle_favourite_selection)
        self.view.trashRequested.connect(self.trash_selection)
        self.view.undoRequested.connect(self.undo)
        self.view.openRequested.connect(self.open_viewer)
        self.view.setToggleRequested.connect(self.toggle_set)
        self.view.empty_state.actionClicked.connect(self._empty_action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.trash_toggle.toggled.connect(self.show_trash)
        self.restore_button.clicked.connect(self.restore_selection)
        self.empty_button.clicked.connect(self.empty_trash)
        self.undo_button.clicked.connect(self.undo)
        self._undo_timer = QTimer(self, singleShot=True, interval=8000)
        self._undo_timer.timeout.connect(self.undo_bar.hide)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.selectionCountChanged.emit(len(self.view.selected_rows()))
        )
        self._install_shortcuts()
        self.set_query(self.filters.query())

    @property
    def loader(self) -> ThumbnailLoader:
        """Decodes the grid's thumbnails on a pool; made on first use."""
        if self._loader is None:
            from wan27_desktop.ui.common.thumbnails import ThumbnailLoader

            self._loader = ThumbnailLoader(self.access, parent=self)
            self._loader.ready.connect(self._thumbnail_ready)
        return self._loader

    def _release_thumbnails(self) -> None:
        if self._loader is not None:
            self._loader.release()

    @property
    def delegate(self) -> ThumbnailDelegate:
        """Paints the tiles; made with the first rows (until then the grid has none to paint)."""
        if self._delegate is None:
            from wan27_desktop.ui.gallery.delegate import ThumbnailDelegate

            self._delegate = ThumbnailDelegate(self.loader, self.view)
            self._delegate.tile = self.view.cell_size()
            self.view.setItemDelegate(self._delegate)
        return self._delegate

    def _thumb_size_changed(self, px: int) -> None:
        if self._delegate is not None:
            self._delegate.tile = px
        self.view.set_cell_size(px)

    def load(self) -> None:
        """Run the query that waited (see `load=False`); does nothing when already loading."""
        if self._deferred:
            self._deferred = False
            self.filters.add_clear_button()
            self.delegate  # noqa: B018 - made now, before the first rows arrive
            self.model.watch_library()  # before the first query (see there)
            self.model.set_query(self._waiting or self.filters.query())
            self._waiting = None

    # --- lifecycle --------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the pools (call before the Library closes / the window goes away)."""
        self.model.stop_watching()
        if self._loader is not None:
            self._loader.shutdown()
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
        """Show `query`. Sets the user opened stay open while the search or filters change."""
        self._sync_batch_bar(query.batch_id)
        if self._deferred:
            self._waiting = query
            return
        if query.collapse_sets and not query.expanded_jobs:
            query = query.replace(expanded_jobs=self.model.query().expanded_jobs)
        if query == self.model.query() and self.model.is_loaded():
            return  # e.g. the first letters of a search, which do not search yet: the grid is current
        if self._loader is not None:
            self._loader.hold()  # the new rows first; released when they are shown (or on failure)
        self.model.watch_library()  # images another window or the `wan27` command lands appear too
        self.model.set_query(query)

    def query(self) -> ImageQuery:
        if self._deferred and self._waiting is not None:
            return self._waiting  # what will be shown once loaded
        return self.model.query()

    def show_batch(self, batch_id: int) -> None:
        """Every image of one batch, its rows in order (the batch window's Show in Gallery): the
        trash and the other filters go off; the Batch filter's ✕ comes back."""
        if self.trash_toggle.isChecked():
            self.show_trash(False)
        self.filters.show_only_batch(batch_id)

    def show_all_images(self) -> None:
        """View ▸ Show All Images: leave a job's or a batch's view; the other filters stay."""
        self.filters.set_batch(None)
        self.set_query(self.filters.query())

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
        if self.model.count_pending():
            return  # the first page is shown; the count (and what the label says) follows in a moment
        count = self.model.rowCount()
        query = self.model.query()
        images = self.model.image_count()
        self.filters.count_label.set_count(self.tr("%Ln image(s)", "", images), self.locale().toString(images))
        self.filters.count_label.setToolTip(
            self.tr("Shown as %Ln tile(s): each image set is one stack", "", count) if images != count else ""
        )
        filtered = self.filters.is_filtered(besides_batch=True) and query.job_id is None
        self._empty_clears_filters = False
        if query.batch_id is not None and self._batch_bar is not None and self._batch_bar.isVisible():
            self._read_batch(query.batch_id)  # images landed: the batch's spend moved too
        if count:
            self.view.set_empty_text("")
        elif filtered:
            self._empty_clears_filters = True
            self.view.set_empty_text(
                self.tr("No images in the trash match this search or these filters.")
                if query.trashed
                else self.tr("No images match this search or these filters."),
                self.tr("Try other words, or clear the filters to see every image."),
                self.tr("Clear filters"),
            )
        elif query.trashed:
            self.view.set_empty_text(
                self.tr("Trash is empty"),
                self.tr("Images you delete (Del) wait here until you empty the trash; Ctrl+Z undoes a delete."),
            )
        elif query.job_id is not None:
            self.view.set_empty_text(
                self.tr("This job has no images in the library yet."),
                self.tr("View ▸ Show all images goes back to the whole library."),
            )
        elif query.batch_id is not None:
            self.view.set_empty_text(
                self.tr("This batch has no images in the library yet."),
                self.tr("View ▸ Show all images goes back to the whole library."),
                self.tr("Show all images"),
            )
        else:
            self.view.set_empty_text(
                self.tr("No images yet. Write a prompt on the left and press Ctrl+Enter — results land here."),
                self.tr("Your library lives on this computer, in {path}").format(path=display_path(self.library_dir())),
            )
        self.empty_button.setEnabled(bool(count) and query.trashed)

    def library_dir(self) -> Path:
        from wan27_desktop.library.paths import LIBRARY_DIRNAME  # with the library's layout, not the window

        return self.access.data_dir / LIBRARY_DIRNAME

    def _empty_action(self) -> None:
        if self._empty_clears_filters:
            self.filters.clear_filters()
        elif self.query().batch_id is not None:
            self.show_all_images()

    # --- batches (issue 17) -------------------------------------------------------------------------
    def _read_batches(self) -> None:
        """The Filters menu opens: its Batch submenu gets the library's newest batches (worker)."""
        if self._batches_reading:
            return
        self._batches_reading = True
        from wan27_desktop.ui.gallery.filters import BATCH_MENU_SIZE

        def done(batches: list[tuple[BatchRecord, BatchCounts]]) -> None:
            self._batches_reading = False
            self.filters.set_batches(batches)

        def failed(error: BaseException) -> None:
            self._batches_reading = False
            self._report(error)

        self.worker.submit(lambda lib: lib.batches.with_counts(BATCH_MENU_SIZE + 1), done, failed)

    @property
    def batch_bar(self) -> BatchBar:
        """The line over the grid while a batch is shown; made the first time one is."""
        if self._batch_bar is None:
            from wan27_desktop.ui.gallery.batchbar import BatchBar

            bar = BatchBar(self)
            bar.exportRequested.connect(lambda: self.export_batch())
            bar.openRequested.connect(lambda: self._open_batch())
            self._layout.insertWidget(self._layout.indexOf(self.view), bar)
            self._batch_bar = bar
        return self._batch_bar

    def _sync_batch_bar(self, batch_id: int | None) -> None:
        if batch_id is None:
            if self._batch_bar is not None:
                self._batch_bar.hide()
            return
        bar = self.batch_bar
        if bar.batch_id != batch_id:
            bar.show_reading(batch_id)
        bar.show()
        self._read_batch(batch_id)

    def _read_batch(self, batch_id: int) -> None:
        """The shown batch's record and counts (its spend), on the worker."""
        if self._batch_reading:
            self._batch_read_due = True
            return
        self._batch_reading = True

        def read(lib: Library) -> tuple[BatchRecord, BatchCounts]:
            return lib.batches.get_batch(batch_id), lib.batches.counts(batch_id)

        self.worker.submit(read, self._batch_read, lambda error: self._batch_read_failed(batch_id, error))

    def _batch_read(self, result: tuple[BatchRecord, BatchCounts]) -> None:
        batch, counts = result
        self.filters.remember_batch(batch, counts.total)
        if self.query().batch_id == batch.id and self._batch_bar is not None:
            self._batch_bar.show_batch(batch, counts)
        self._batch_read_ended()

    def _batch_read_failed(self, batch_id: int, error: BaseException) -> None:
        from wan27_desktop.library.errors import NotFound

        if isinstance(error, NotFound):
            if self.query().batch_id == batch_id and self._batch_bar is not None:
                self._batch_bar.show_missing(batch_id)
        else:
            self._report(error)
        self._batch_read_ended()

    def _batch_read_ended(self) -> None:
        self._batch_reading = False
        current = self.query().batch_id
        if self._batch_read_due or (self._batch_bar is not None and self._batch_bar.batch_id != current):
            self._batch_read_due = False
            if current is not None:
                self._read_batch(current)

    def _open_batch(self) -> None:
        batch_id = self.query().batch_id
        if batch_id is not None:
            self.openBatchRequested.emit(batch_id)

    def export_batch(self, dest: Path | None = None) -> None:
        """The batch bar's Export: the batch window's export (every row's images in row order and
        batch.csv) of the batch shown."""
        batch_id = self.query().batch_id
        if batch_id is None:
            return
        if dest is None:
            from PySide6.QtWidgets import QFileDialog

            chosen = QFileDialog.getExistingDirectory(self, self.tr("Export the batch to"))
            if not chosen:
                return
            dest = Path(chosen)
        from wan27_desktop.jobs.batch.export import ExportReport, export_batch

        target = dest

        def exported(report: ExportReport) -> None:
            self.statusMessage.emit(
                self.tr("%n image(s) and {csv} written to {folder}", "", len(report.files)).format(
                    csv=report.csv_path.name, folder=str(report.folder)
                )
            )

        self.statusMessage.emit(self.tr("Exporting batch {batch}…").format(batch=batch_id))
        self.writer.submit(lambda lib: export_batch(lib, batch_id, target), exported, self._report)

    def _report(self, error: BaseException) -> None:
        """A read or an export that failed, in words (a WanError's message and hint, translated)."""
        from wan27_desktop.api.errors import WanError
        from wan27_desktop.i18n import error_message

        log.error("gallery batch read or export failed: %s", error)
        self.statusMessage.emit(error_message(error) if isinstance(error, WanError) else str(error))

    # --- image sets ---------------------------------------------------------------------------------
    def toggle_set(self, row: int) -> None:
        """Open the image set at `row` in place, or close it (the badge, + / −, or the menu)."""
        badge = self.model.set_badge(row)
        if badge is None:
            return
        if badge.expanded:
            head_row = row - (badge.position - 1)
            current = self.view.currentIndex().row()
            self.model.collapse_set(badge.job_id)
            if head_row <= current < head_row + badge.size:
                self.view.setCurrentIndex(self.model.index(head_row))
            self.statusMessage.emit(self.tr("Closed a set of %n image(s)", "", badge.size))
        else:
            self.model.expand_set(row)
            self.statusMessage.emit(
                self.tr("Opened a set of %n image(s); press − or click its badge to close it.", "", badge.size)
            )

    def _visible_changed(self, first: int, last: int) -> None:
        self.model.set_visible_range(first, last)
        ids = {r.id for r in (self.model.loaded_record(row) for row in range(first, last + 1)) if r is not None}
        if self._loader is not None:  # else nothing is cached yet
            self._loader.keep_only(ids)

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
            self._write(lambda lib: lib.curation.set_rating(ids, stars), after and (lambda _r: after()))
            label = (
                self.tr("Rated %n image(s) {stars}", "", len(ids)).format(stars="★" * stars)
                if stars
                else self.tr("Cleared the rating of %n image(s)", "", len(ids))
            )
            self._push_undo(_Undo(label, ids, _restore_ratings(before)), show=False)
            self.statusMessage.emit(label)

        self._with_selection(act)

    def toggle_favourite_selection(self) -> None:
        def act(rows: list[int], ids: list[int]) -> None:
            records = self.selected_records()
            value = not all(r.favourite for r in records) if records else True
            before = {r.id: r.favourite for r in records}
            self.model.update_records(ids, favourite=value)
            after = self.model.refresh if self._needs_refresh_after("favourite") else None
            self._write(lambda lib: lib.curation.set_favourite(ids, value), after and (lambda _r: after()))
            label = (
                self.tr("Marked %n image(s) as favourite", "", len(ids))
                if value
                else self.tr("Removed %n image(s) from favourites", "", len(ids))
            )
            self._push_undo(_Undo(label, ids, _restore_favourites(before)), show=False)

        self._with_selection(act)

    def trash_selection(self) -> None:
        if self.model.query().trashed:
            return  # in the trash, Delete does nothing; "Empty trash" is explicit

        query = self.model.query()

        def act(rows: list[int], ids: list[int]) -> None:
            # A closed stack stands for its whole set: trashing it trashes every image it holds
            # (the ones this view shows). The writer learns which; undo restores exactly those.
            trashed: list[int] = list(ids)
            shown = sum(self._stack_size(r) for r in rows)
            entry = _Undo(
                self.tr("Moved %n image(s) to the trash", "", shown),
                trashed,
                lambda lib: lib.curation.restore(trashed),
                rows=rows,
            )

            def trash(lib: Library) -> int:
                from wan27_desktop.library.query import stacked_members

                trashed[:] = stacked_members(lib.images, query, ids)
                lib.curation.trash(trashed)
                return len(trashed)

            def written(count: int) -> None:
                entry.label = self.tr("Moved %n image(s) to the trash", "", count)
                if self._undo and self._undo[-1] is entry and self.undo_bar.isVisible():
                    self.undo_label.setText(self.tr("{action} — Ctrl+Z to undo").format(action=entry.label))
                self.model.refresh()  # the rows were removed at once; this re-reads what moved up

            self._remove_and_select(rows)
            self._write(trash, written)
            self._push_undo(entry)

        self._with_selection(act)

    def _stack_size(self, row: int) -> int:
        """How many images the row stands for: a closed stack's whole set, else 1."""
        badge = self.model.set_badge(row)
        return badge.size if badge is not None and not badge.expanded else 1

    def restore_selection(self) -> None:
        if not self.model.query().trashed:
            return

        def act(rows: list[int], ids: list[int]) -> None:
            self._remove_and_select(rows)
            self._write(lambda lib: lib.curation.restore(ids), lambda _r: self.model.refresh())
            self.statusMessage.emit(self.tr("Restored %n image(s)", "", len(ids)))

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
        self.statusMessage.emit(self.tr("Undone: {action}").format(action=entry.label))

    def _push_undo(self, entry: _Undo, show: bool = True) -> None:
        self._undo.append(entry)
        del self._undo[:-50]
        if show:
            self.undo_label.setText(self.tr("{action} — Ctrl+Z to undo").format(action=entry.label))
            self.undo_bar.show()
            self._undo_timer.start()

    def empty_trash(self) -> None:
        count = self.model.rowCount() if self.model.query().trashed else None
        text = (
            self.tr("Permanently delete %Ln image(s) in the trash?", "", count)
            if count is not None
            else self.tr("Permanently delete every image in the trash?")
        )
        if not self.confirm(
            self.tr("Empty trash"), text + " " + self.tr("Their files are deleted; this cannot be undone.")
        ):
            return
        self._write(
            lambda lib: lib.curation.empty_trash(on_gone=partial(_drop_thumbnails, lib.data_dir)), self._trash_emptied
        )

    def _trash_emptied(self, deleted: int) -> None:
        self.statusMessage.emit(self.tr("Deleted %n image(s) from the trash", "", deleted))
        self.model.refresh(reset=True)

    def confirm(self, title: str, text: str) -> bool:
        """Ask yes/no (tests replace this)."""
        from PySide6.QtWidgets import QMessageBox  # dialogs load when first used, not with the window

        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def add_tags(self, tags: list[str]) -> None:
        def act(rows: list[int], ids: list[int]) -> None:
            self._write(lambda lib: lib.curation.add_tags(ids, tags))

        self._with_selection(act)

    def _ask_tags(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self, self.tr("Tag images"), self.tr("Tags (comma separated):"))
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
        self.worker.submit(
            lambda lib: gallery_actions.request_from_job(lib.jobs.get(job_id), lib),
            self.reuseRequestReady.emit,
            self._write_failed,
        )

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
            self.statusMessage.emit(self.tr("Could not read {path}").format(path=record.path))

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
        from PySide6.QtWidgets import QFileDialog

        target, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save image as"),
            record.path.name,
            self.tr("Image (*{suffix})").format(suffix=record.path.suffix),
        )
        if target:
            # A byte copy keeps the embedded metadata (parameters, JSON, XMP) intact.
            self._write(
                lambda _lib: shutil.copyfile(record.path, target),
                lambda _r: self.statusMessage.emit(self.tr("Saved {path}").format(path=target)),
            )

    def export_selection(self, dest: Path | None = None) -> None:
        if dest is None:
            from PySide6.QtWidgets import QFileDialog

            chosen = QFileDialog.getExistingDirectory(self, self.tr("Export selected images to"))
            if not chosen:
                return
            dest = Path(chosen)
        target = dest

        def act(rows: list[int], ids: list[int]) -> None:
            self._write(
                lambda lib: lib.maintenance.export(ids, target),
                lambda paths: self.statusMessage.emit(
                    self.tr("Exported %n image(s) to {path}", "", len(paths)).format(path=target)
                ),
            )

        self._with_selection(act)

    def _ensure_viewer(self) -> ImageViewer:
        """The viewer, made the first time an image is opened (nothing of it is built before)."""
        from wan27_desktop.ui.viewer.window import ImageViewer

        if self._viewer is None:
            self._viewer = ImageViewer(self.model, self.worker, self.loader, parent=self)
            self._viewer.reusePromptRequested.connect(self.reusePromptRequested)
            self._viewer.reuseParametersRequested.connect(lambda rec: self.reuse_parameters(rec))
            self._viewer.useAsReferenceRequested.connect(self.useAsReferenceRequested)
            self._viewer.rowChanged.connect(self._viewer_row_changed)
        return self._viewer

    def open_viewer(self, row: int) -> None:
        viewer = self._ensure_viewer()
        viewer.show_row(row)
        self._raise_viewer(viewer)

    def open_image(self, image_id: int) -> None:
        """Open one image in the viewer: at its row when the grid shows it, else on its own (an image
        inside a collapsed set, or outside the current search)."""
        row = self.model.row_of(image_id)
        if row is not None:
            self.open_viewer(row)
            return

        def read(record: ImageRecord) -> None:
            viewer = self._ensure_viewer()
            viewer.show_record(record)
            self._raise_viewer(viewer)

        self.worker.submit(lambda lib: lib.images.get(image_id), read)

    def _raise_viewer(self, viewer: ImageViewer) -> None:
        viewer.show()
        viewer.raise_()
        viewer.activateWindow()

    def viewer(self) -> ImageViewer | None:
        return self._viewer

    def _viewer_row_changed(self, row: int) -> None:
        index = self.model.index(row)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def compare_selection(self) -> None:
        records = self.selected_records()[:2]
        if len(records) == 2:
            from wan27_desktop.ui.viewer.compare import CompareWindow

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

        self.copy_action = add(self.tr("Copy image"), QKeySequence.StandardKey.Copy, self.copy_image)
        self.copy_prompt_action = add(self.tr("Copy prompt"), "Ctrl+Shift+C", self.copy_prompt)
        self.reuse_prompt_action = add(self.tr("Reuse prompt"), "Ctrl+R", self.reuse_prompt)
        self.reuse_parameters_action = add(self.tr("Reuse all parameters"), "Ctrl+Shift+R", self.reuse_parameters)
        self.export_action = add(self.tr("Export selection…"), "Ctrl+E", self.export_selection)
        self.save_action = add(self.tr("Save as…"), QKeySequence.StandardKey.Save, self.save_as)
        self.find_action = QAction(self.tr("Search"), self)
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
        for text, slot in (
            (self.tr("Open"), lambda: self.open_viewer(self.view.currentIndex().row())),
            (None, None),
            (self.tr("Reuse prompt"), self.reuse_prompt),
            (self.tr("Reuse all parameters"), self.reuse_parameters),
            (self.tr("Use as reference"), self.use_as_reference),
            (self.tr("Extract palette"), self.extract_palette),
            (None, None),
            (self.tr("Copy image"), self.copy_image),
            (self.tr("Copy prompt"), self.copy_prompt),
            (self.tr("Save as…"), self.save_as),
            (self.tr("Export selection…"), self.export_selection),
            (self.tr("Reveal in file manager"), self.reveal),
        ):
            if text is None:
                menu.addSeparator()
                continue
            action = menu.addAction(text)
            action.setEnabled(has)
            action.triggered.connect(slot)
        row = self.view.currentIndex().row() if self.view.currentIndex().isValid() else -1
        badge = self.model.set_badge(row) if row >= 0 else None
        if badge is not None:
            text = (
                self.tr("Close this image set")
                if badge.expanded
                else self.tr("Open this image set (%n image(s))", "", badge.size)
            )
            toggle = menu.addAction(text)
            toggle.setShortcut(QKeySequence("-" if badge.expanded else "+"))
            toggle.triggered.connect(lambda _c=False, r=row: self.toggle_set(r))
        compare = menu.addAction(self.tr("Compare the two selected"))
        compare.setEnabled(len(self.view.selected_rows()) == 2)
        compare.triggered.connect(self.compare_selection)
        menu.addSeparator()
        rate = menu.addMenu(self.tr("Rate"))
        for stars in range(6):
            action = rate.addAction("★" * stars if stars else self.tr("No rating"))
            action.setShortcut(QKeySequence(str(stars)))
            action.triggered.connect(lambda _c=False, s=stars: self.rate_selection(s))
        favourite = menu.addAction(self.tr("Toggle favourite"))
        favourite.setShortcut(QKeySequence("F"))
        favourite.triggered.connect(self.toggle_favourite_selection)
        menu.addAction(self.tr("Tag…")).triggered.connect(self._ask_tags)
        menu.addSeparator()
        if trashed:
            menu.addAction(self.tr("Restore")).triggered.connect(self.restore_selection)
            menu.addAction(self.tr("Empty trash…")).triggered.connect(self.empty_trash)
        else:
            trash = menu.addAction(
                self.tr("Move to trash") if badge is None or badge.expanded else self.tr("Move the whole set to trash")
            )
            trash.setShortcut(QKeySequence(Qt.Key.Key_Delete))
            trash.triggered.connect(self.trash_selection)
        return menu


def _restore_ratings(before: dict[int, int]) -> Callable[[Library], None]:
    def undo(lib: Library) -> None:
        for rating in set(before.values()):
            lib.curation.set_rating([i for i, r in before.items() if r == rating], rating)

    return undo


def _restore_favourites(before: dict[int, bool]) -> Callable[[Library], None]:
    def undo(lib: Library) -> None:
        for value in (True, False):
            ids = [i for i, v in before.items() if v is value]
            if ids:
                lib.curation.set_favourite(ids, value)

    return undo
