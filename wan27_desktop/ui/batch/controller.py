"""The main window's batches: Jobs ▸ New Batch…, Jobs ▸ Batches… and one window per batch.

The batches themselves are the workspace's (`Workspace.batches`, a BatchManager): it runs them, puts
their rows' jobs on the job board, carries on the batches the last session left unfinished and
reports a batch that could not start. What is here is what needs widgets. The window makes it the
first time a batch menu action is used, so a session without batches never loads these modules.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from wan27_desktop.api.models import Region, RequestMode
from wan27_desktop.jobs.batch.qt import BatchManager, BatchProgress
from wan27_desktop.jobs.batch.sources import BatchPlan
from wan27_desktop.ui.batch.batches import BatchListDialog
from wan27_desktop.ui.batch.dialog import NewBatchDialog
from wan27_desktop.ui.batch.progress import BatchWindow

if TYPE_CHECKING:
    from wan27_desktop.ui.window.main_window import MainWindow
    from wan27_desktop.workspace.workspace import Workspace


class BatchUi(QObject):
    def __init__(self, window: MainWindow, workspace: Workspace) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.windows: dict[int, BatchWindow] = {}
        self.dialog: NewBatchDialog | None = None
        self.list_dialog: BatchListDialog | None = None
        self.manager.batchStarted.connect(self._started)
        self.manager.batchUpdated.connect(self._updated)
        self.manager.batchEnded.connect(self._ended)

    @property
    def manager(self) -> BatchManager:
        """The workspace's batch manager (rows poll as their request mode does, like single jobs)."""
        return self.workspace.batches

    # -- menu actions -----------------------------------------------------------------------------
    def new_batch(self, selection: tuple[Path, ...] = ()) -> NewBatchDialog:
        """Jobs ▸ New Batch…: the draft's parameters (the generation panel's) are the batch's shared ones."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        draft = self.workspace.draft
        shared, mode, region = draft.request(), draft.request_mode, self.workspace.region
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
        token = self.manager.start(plan, region, mode, name=name or None, over_limit=over_limit, wait_for_window=True)
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
        self.window.gallery.show_batch(batch_id)  # the gallery's Batch filter, rows in order
        self.window.status.showMessage(
            self.tr("Showing the images of batch {batch}. View ▸ Show All Images to go back.").format(batch=batch_id),
            0,
        )

    # -- manager signals (a refusal is the workspace's: it reaches the window as jobStartFailed) ------
    def _started(self, token: int, batch_id: int) -> None:
        window = self.open_batch(batch_id)
        window.set_running(True)
        # Its first rows are sent once the window shows them (BatchManager.start(wait_for_window)).
        window.loaded.connect(self.manager.window_ready, Qt.ConnectionType.SingleShotConnection)

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
        if self.list_dialog is not None and self.list_dialog.isVisible():
            self.list_dialog.reload()

    # -- the window's life --------------------------------------------------------------------------
    def new_batch_from_selection(self) -> NewBatchDialog:
        return self.new_batch(selected_image_paths(self.window))

    def running_count(self) -> int:
        return len(self.workspace.running_batches())

    def shutdown(self) -> None:
        """The window closes: the batch windows go (the workspace stops the batches themselves)."""
        for window in list(self.windows.values()):
            window.close()


def selected_image_paths(window: MainWindow) -> tuple[Path, ...]:
    """The gallery's selected images (for 'each image, one instruction')."""
    return tuple(Path(record.path) for record in window.gallery.selected_records() if record.path)
