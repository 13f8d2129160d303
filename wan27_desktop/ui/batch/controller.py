"""The main window's batches: the BatchManager, Jobs ▸ New Batch…, Jobs ▸ Batches…, one window per
batch, and the batches the last session left unfinished (their jobs in flight resume at start; rows
not yet sent wait until the user resumes the batch).

Kept apart from the window so the window only adds two menu actions and wires a few signals.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from wan27_desktop.api.errors import WanError
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.i18n import error_details, error_message
from wan27_desktop.jobs.batch.qt import BatchManager, BatchProgress
from wan27_desktop.jobs.batch.sources import BatchPlan
from wan27_desktop.ui.batch.batches import BatchListDialog
from wan27_desktop.ui.batch.dialog import NewBatchDialog
from wan27_desktop.ui.batch.progress import BatchWindow

if TYPE_CHECKING:
    from wan27_desktop.ui.window.main_window import MainWindow


class BatchUi(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        from wan27_desktop.jobs.connection import resolve_connection

        self.window = window
        # Rows poll as their request mode does, like single jobs (and as fast as the window's jobs
        # when it is told to poll at a fixed pace: tests).
        poll = getattr(window, "_poll_interval", None)
        self.manager = BatchManager(
            window.data_dir,
            lambda region: resolve_connection(region, window.api_base),
            poll_interval=poll if isinstance(poll, tuple) else None,
            parent=self,
        )
        self.windows: dict[int, BatchWindow] = {}
        self.dialog: NewBatchDialog | None = None
        self.list_dialog: BatchListDialog | None = None
        self._resumed_at_start = False
        self.manager.batchStarted.connect(self._started)
        self.manager.batchRefused.connect(self._refused)
        self.manager.batchUpdated.connect(self._updated)
        self.manager.batchEnded.connect(self._ended)

    # -- menu actions -----------------------------------------------------------------------------
    def new_batch(self, selection: tuple[Path, ...] = ()) -> NewBatchDialog:
        """Jobs ▸ New Batch…: the generation panel's parameters are the batch's shared ones."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        panel = self.window.generation
        current = getattr(panel, "current_request", None)
        shared = current() if callable(current) else GenerationRequest("")
        mode_of = getattr(panel, "request_mode", None)
        mode = mode_of() if callable(mode_of) else RequestMode.ASYNC
        region = getattr(self.window, "_region", Region.SINGAPORE)
        dialog = NewBatchDialog(shared, mode, region, self.window.data_dir, selection=selection, parent=self.window)
        dialog.startRequested.connect(lambda plan, mode, name, over: self.start(plan, region, mode, name, over))
        self.dialog = dialog
        dialog.open()
        return dialog

    def show_batches(self) -> BatchListDialog:
        if self.list_dialog is not None and self.list_dialog.isVisible():
            self.list_dialog.reload()
            self.list_dialog.raise_()
            return self.list_dialog
        dialog = BatchListDialog(self.window.data_dir, self.window)
        dialog.openRequested.connect(self.open_batch)
        self.list_dialog = dialog
        dialog.show()
        return dialog

    def start(self, plan: BatchPlan, region: Region, mode: RequestMode, name: str, over_limit: bool) -> int:
        token = self.manager.start(plan, region, mode, name=name or None, over_limit=over_limit)
        self.window.status.showMessage(self.tr("Starting the batch…"), 4000)
        return token

    def open_batch(self, batch_id: int) -> BatchWindow:
        window = self.windows.get(batch_id)
        if window is None:
            window = BatchWindow(
                batch_id, self.window.data_dir, running=self.manager.is_running(batch_id), parent=self.window
            )
            window.pauseRequested.connect(self.manager.pause)
            window.resumeRequested.connect(self.manager.resume)
            window.cancelRequested.connect(self.manager.cancel)
            window.showInGalleryRequested.connect(self.show_in_gallery)
            window.finished.connect(lambda _result, batch_id=batch_id: self.windows.pop(batch_id, None))
            self.windows[batch_id] = window
        window.show()
        window.raise_()
        return window

    def show_in_gallery(self, batch_id: int) -> None:
        from wan27_desktop.library import ImageQuery

        self.window.gallery.set_query(ImageQuery(batch_id=batch_id, sort="oldest"))
        self.window.status.showMessage(
            self.tr("Showing the images of batch {batch}. View ▸ Show All Images to go back.").format(batch=batch_id),
            0,
        )

    # -- the start of a session ---------------------------------------------------------------------
    def resume_unfinished(self) -> None:
        """Once the journal is loaded: jobs in flight of unfinished batches carry on; a batch that
        was running shows as paused (nothing new is sent until the user resumes it)."""
        if self._resumed_at_start:
            return
        self._resumed_at_start = True
        from wan27_desktop.library import Library

        data_dir = self.window.data_dir

        def find() -> list[int]:
            with Library.open(data_dir, reconcile=False) as library:
                return [batch.id for batch in library.batches.unfinished_batches()]

        def found(ids: list[int]) -> None:
            if not ids:
                return
            self.manager.resume_in_flight(ids)
            self.window.status.showMessage(
                self.tr("%n batch(es) from the last session are paused: Jobs ▸ Batches… to resume.", "", len(ids)),
                10000,
            )

        self.window.background.run(find, found)

    # -- manager signals ----------------------------------------------------------------------------
    def _started(self, token: int, batch_id: int) -> None:
        self.open_batch(batch_id).set_running(True)

    def _refused(self, token: int, err: WanError) -> None:
        self.window.status.showMessage(self.tr("Batch not started: {reason}").format(reason=error_message(err)), 10000)
        from wan27_desktop.ui.window import parts

        parts.show_error(self.window, self.tr("The batch could not start"), error_details(err))

    def _updated(self, progress: BatchProgress) -> None:
        window = self.windows.get(progress.batch_id)
        if window is not None:
            running = self.manager.is_running(progress.batch_id)  # an update may come after the end
            if window.running != running:
                window.set_running(running)
            window.apply_progress(progress)

    def _ended(self, batch_id: int) -> None:
        window = self.windows.get(batch_id)
        if window is not None:
            window.set_running(self.manager.is_running(batch_id))
        self.window.refresh_spend()
        if self.list_dialog is not None and self.list_dialog.isVisible():
            self.list_dialog.reload()

    # -- the window's life --------------------------------------------------------------------------
    def reopen(self, folder: Path) -> None:
        """The library moved (nothing was running): batches live there now."""
        self.manager.data_dir = folder
        self._resumed_at_start = False

    def new_batch_from_selection(self) -> NewBatchDialog:
        return self.new_batch(selected_image_paths(self.window))

    def running_count(self) -> int:
        return len(self.manager.running())

    def shutdown(self) -> None:
        self.manager.shutdown()
        for window in list(self.windows.values()):
            window.close()


def selected_image_paths(window: Any) -> tuple[Path, ...]:
    """The gallery's selected images (for 'each image, one instruction'), if the gallery says."""
    selected = getattr(window.gallery, "selected_records", None)
    if not callable(selected):
        return ()
    return tuple(Path(record.path) for record in selected() if getattr(record, "path", None))
