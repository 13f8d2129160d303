"""The main window: layout, menus and the first paint, over a `Workspace` that does the work.

The workspace (workspace/workspace.py) holds the draft, the service state, the jobs and the batches,
and offers the actions (submit, retry, cancel, resume, fetch); the panels bind to it. What stays
here is what needs a window: the splitter and the job dock, the menus and status bar, the dialogs
(key, settings, library move, welcome, the over-limit confirmation), the batch dialogs and windows
(`batch_ui`, made when first used) and desktop notifications.

Start-up does no blocking work on the UI thread: the key lookup (keyring), the journal, today's
spend and resuming unfinished jobs all run on pool threads after the window is shown (`start`).
The window works with no key and no network: the library is always browsable.

`MainWindow(deferred=True)` (what `wan27-desktop` uses, issue 7) is first only a shell: the saved
geometry, filled with the window's background colour, nothing with text (the first text sets up the
font database, ~5 ms), so it paints about as soon as a bare QMainWindow. The workspace, panels, job
dock, menus and status bar, and their modules (most of start-up's imports), come with
`finish_building()`, called after that first paint, with the saved dock, splitter and column state;
`built` is emitted then. Without `deferred` the constructor builds it all at once.
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

from wan27_desktop.api.models import Region
from wan27_desktop.settings import AppSettings, Theme
from wan27_desktop.ui.window import parts as parts

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QActionGroup
    from PySide6.QtWidgets import QMessageBox, QSplitter

    from wan27_desktop import keys
    from wan27_desktop.api.errors import WanError
    from wan27_desktop.api.models import GenerationRequest, RequestMode
    from wan27_desktop.library import ImportReport
    from wan27_desktop.ui.batch.controller import BatchUi
    from wan27_desktop.ui.dialogs.key import KeyDialog
    from wan27_desktop.ui.dialogs.library_move import LibraryMoveFlow
    from wan27_desktop.ui.dialogs.onboarding import WelcomeDialog
    from wan27_desktop.ui.dialogs.remote_tasks import RemoteTasksDialog
    from wan27_desktop.ui.dialogs.settings import SettingsDialog
    from wan27_desktop.ui.dialogs.shortcuts import ShortcutsDialog
    from wan27_desktop.ui.gallery.panel import GalleryPanel
    from wan27_desktop.ui.generate.panel import GenerationPanel
    from wan27_desktop.ui.jobs.notifications import NotifierLike
    from wan27_desktop.ui.jobs.queue_panel import JobQueuePanel
    from wan27_desktop.ui.stage.panel import StagePanel
    from wan27_desktop.ui.window.status_bar import AppStatusBar
    from wan27_desktop.workspace.jobs import JobRow
    from wan27_desktop.workspace.workspace import Workspace

# The workspace, the library, the panels and the status bar are imported where they are used, not
# here: on the deferred path they load after the shell's first paint.

log = logging.getLogger(__name__)
STAGE_WARM_UP_MS = 1500  # after the first paint and the journal's first read: the window is idle


class MainWindow(QMainWindow):
    """The window. `start()` kicks off the background work once the window is visible."""

    keyOriginChanged = Signal(str)
    journalLoaded = Signal()
    built = Signal()  # finish_building() made the panels (emitted once; at once in the constructor if not deferred)

    workspace: Workspace
    generation: GenerationPanel
    gallery: GalleryPanel
    queue_dock: QDockWidget
    _queue: JobQueuePanel | None = None
    status: AppStatusBar
    splitter: QSplitter
    centre_splitter: QSplitter
    stage: StagePanel | None = None  # the generation stage, built when the first job runs
    theme_group: QActionGroup | None = None  # View ▸ Theme (parts.build_menus)
    shortcuts_dialog: ShortcutsDialog | None = None  # Help ▸ Keyboard Shortcuts, made when first asked for
    _batch_ui: BatchUi | None = None  # Jobs ▸ New Batch… and Jobs ▸ Batches…, made when first used
    _over_limit_box: QMessageBox | None = None  # the last over-limit confirmation

    def __init__(
        self,
        *,
        data_dir: Path | None = None,
        settings: AppSettings | None = None,
        api_base: str | None = None,
        notifier: NotifierLike | None = None,
        poll_interval: tuple[float, float] | None = None,  # None: each request mode's own schedule
        parent: QWidget | None = None,
        deferred: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Wan 2.7 Desktop")  # the product name: not translated
        self.settings = settings or AppSettings()
        self._data_dir = data_dir or self.settings.library_dir  # the library root (moves: library_move.py)
        self._api_base = api_base or self.settings.custom_endpoint
        self._notifier = notifier  # else a Notifier, made when a job first ends out of sight (`notifier`)
        self._poll_interval = poll_interval
        self._key_dialog: KeyDialog | None = None
        self._built = False
        self._shown_once = False
        self._closing = False
        self._move_flow: LibraryMoveFlow | None = None  # while the library is being moved
        self._batches_seen: set[int] = set()  # batches whose rows have been on the stage this session
        self.actions_by_name: dict[str, QAction] = {}  # filled by build_menus
        self._build_shell()
        if not deferred:
            self.finish_building()

    @property
    def data_dir(self) -> Path:
        return self.workspace.data_dir if self._built else self._data_dir

    @property
    def api_base(self) -> str | None:
        return self.workspace.api_base if self._built else self._api_base

    def _build_shell(self) -> None:
        """What the first paint shows: the window where and as large as it was left, empty."""
        # The splitter goes in here once built; until then the window's own background shows
        # through (no flash of colour). A central widget that stays keeps the dock layout restored
        # in finish_building: replacing it on a shown window would lay the docks out anew.
        self.centre = QWidget(self)
        self.centre.setObjectName("centralArea")
        self._centre_layout = QVBoxLayout(self.centre)
        self._centre_layout.setContentsMargins(0, 0, 0, 0)
        self.setCentralWidget(self.centre)
        self.resize(1280, 800)
        geometry = self.settings.window_geometry
        if geometry:
            self.restoreGeometry(QByteArray(geometry))

    def is_built(self) -> bool:
        return self._built

    def finish_building(self) -> None:
        """The workspace, the panels, the job queue dock, the status bar and the menus, with the
        saved dock, splitter and column state. Idempotent; does nothing once the window is closing
        (closed before it was built)."""
        if self._built or self._closing:
            return
        from PySide6.QtWidgets import QSplitter

        from wan27_desktop.ui.window.status_bar import AppStatusBar
        from wan27_desktop.workspace.workspace import Workspace

        self.workspace = Workspace(
            self._data_dir, self.settings, api_base=self._api_base, poll_interval=self._poll_interval, parent=self
        )

        self.generation = parts.make_generation_panel(self, self.workspace)
        self.gallery = parts.make_centre(self, self._data_dir, load=False)  # reads once painted (start)
        # The stage goes above the gallery the first time a job runs (`show_stage`).
        self.centre_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.centre_splitter.setObjectName("centreSplitter")
        self.centre_splitter.setChildrenCollapsible(False)
        self.centre_splitter.addWidget(self.gallery)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.generation)
        self.splitter.addWidget(self.centre_splitter)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([440, 840])
        self._centre_layout.addWidget(self.splitter)

        # The job queue: a dock that starts closed (the stage shows what runs now; the queue is the
        # history), its table built the first time it is shown or asked for (`queue`).
        self.queue_dock = QDockWidget(self.tr("Jobs"), self)
        self.queue_dock.setObjectName("jobQueue")
        self.queue_dock.setAccessibleName(self.tr("Job queue"))
        self.queue_dock.visibilityChanged.connect(self._queue_dock_shown)
        self.queue_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.queue_dock)
        self.resizeDocks([self.queue_dock], [180], Qt.Orientation.Vertical)
        self.queue_dock.hide()  # unless the saved layout (restored below) has it open

        self.status = AppStatusBar(self)
        self.setStatusBar(self.status)
        self.status.bind(self.workspace.service)
        from wan27_desktop.workspace.draft_store import draft_path

        self.workspace.keep_draft(draft_path(self.settings.path.parent))
        self._built = True
        parts.build_menus(self)
        self._connect()
        self._restore_state()
        if self._shown_once:  # the deferred path: the shell is on screen already
            self._restore_splitter()
            self.focus_prompt()
        self.built.emit()

    # -- wiring -----------------------------------------------------------------------------------
    def _connect(self) -> None:
        workspace = self.workspace
        self.generation.generateRequested.connect(workspace.submit)
        workspace.keyNeeded.connect(self._key_needed)
        workspace.keySourceChanged.connect(lambda source: self.keyOriginChanged.emit(source.origin))
        workspace.issuesFound.connect(self.generation.show_issues)
        workspace.jobStartFailed.connect(lambda title, details: parts.show_error(self, title, details))
        workspace.overLimit.connect(self.confirm_over_limit)
        workspace.message.connect(self.status.showMessage)
        workspace.journalLoaded.connect(self.journalLoaded)
        workspace.journalFailed.connect(self._journal_failed)
        workspace.jobEnded.connect(self._job_ended)
        workspace.imageLanded.connect(self._image_landed)
        workspace.service.region_changed.connect(self.generation.set_region)
        workspace.board.added.connect(self._job_appeared)
        self.generation.activity.bind(workspace.board)
        self.generation.activity.stopRequested.connect(self.cancel_job)
        self._connect_gallery(self.gallery)

    @property
    def notifier(self) -> NotifierLike:
        """Desktop notifications and the taskbar alert (made on first use: a job that ends while the
        window is not active)."""
        if self._notifier is None:
            from wan27_desktop.ui.jobs.notifications import Notifier

            self._notifier = Notifier(self.windowIcon(), self)
        return self._notifier

    # -- the job queue ------------------------------------------------------------------------------
    @property
    def queue(self) -> JobQueuePanel:
        """The job queue's table, made the first time it is shown or asked for."""
        if self._queue is None:
            from wan27_desktop.ui.jobs.queue_panel import JobQueuePanel

            queue = JobQueuePanel(self, self.workspace.board)
            self.queue_dock.setWidget(queue)
            # Title, summary and job actions on one row; dragging it still moves the dock.
            self.queue_dock.setTitleBarWidget(queue.header)
            queue.cancelRequested.connect(self.cancel_job)
            queue.retryRequested.connect(self.retry_job)
            queue.resumeRequested.connect(self.resume_job)
            queue.showResultsRequested.connect(self.show_results)
            header = self.settings.state_blob("job_queue_header")
            if header:
                queue.view.horizontalHeader().restoreState(QByteArray(header))
            self._queue = queue
        return self._queue

    def _queue_dock_shown(self, visible: bool) -> None:
        if visible and self._queue is None:
            self.queue  # noqa: B018 - builds it, now that it is on screen

    def _connect_gallery(self, gallery: GalleryPanel) -> None:
        gallery.reusePromptRequested.connect(self.fill_prompt)
        gallery.reuseRequestReady.connect(self._reuse_request)
        gallery.useAsReferenceRequested.connect(self.generation.add_reference)
        gallery.extractPaletteRequested.connect(self.generation.set_palette_from_image)
        gallery.statusMessage.connect(lambda text: self.status.showMessage(text, 6000))
        gallery.openBatchRequested.connect(lambda batch_id: self.batch_ui.open_batch(batch_id))
        self._keep_stacking_choice(gallery)

    def prompt_edit(self) -> QWidget | None:
        if not self._built:
            return None
        return self.generation.editor

    # -- start-up ---------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if self._built:  # else finish_building does this
                self._restore_splitter()
                QTimer.singleShot(0, self.focus_prompt)

    def _restore_splitter(self) -> None:
        # Splitter sizes only stick once the window has its final geometry.
        splitter = self.settings.state_blob("main_splitter")
        if splitter:
            self.splitter.restoreState(QByteArray(splitter))

    def focus_prompt(self) -> None:
        edit = self.prompt_edit()
        if edit is not None:
            edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def start(self, *, resume: bool = True, check_key: bool = True) -> None:
        """Background start-up work; call once the window is shown (builds it first if deferred)."""
        if self._closing:
            return
        self.finish_building()
        self.gallery.load()
        if self.workspace.started:
            return
        self.focus_prompt()
        self.workspace.start(resume=resume, check_key=check_key)
        # The stage's code (and the image code it shows results with) loads once the window is idle,
        # so the first Generate does not freeze it; the stage itself is still built by the first job.
        QTimer.singleShot(STAGE_WARM_UP_MS, self, self._warm_up_stage)

    def _warm_up_stage(self) -> None:
        if self.stage is None and not self._closing:
            import wan27_desktop.ui.stage.panel  # noqa: F401 - loads the module, builds nothing

    def _journal_failed(self, details: str) -> None:
        self.status.showMessage(self.tr("The library could not be opened."), 10000)
        parts.show_error(self, self.tr("The library could not be opened"), details)

    def key_origin(self) -> str | None:
        return self.workspace.key_origin() if self._built else None

    # -- key --------------------------------------------------------------------------------------
    def _key_needed(self) -> None:
        if self._key_dialog is not None and self._key_dialog.isVisible():
            return
        self.open_key_dialog()

    def open_key_dialog(self, parent: QWidget | None = None) -> KeyDialog:
        """The key dialog (one at a time), modal to `parent` (the welcome dialog) or the window."""
        if self._key_dialog is not None and self._key_dialog.isVisible():
            self._key_dialog.raise_()
            return self._key_dialog
        from wan27_desktop.ui.dialogs.key import KeyDialog

        workspace = self.workspace
        bases = {region: workspace.api_base for region in Region} if workspace.api_base else None
        dialog = KeyDialog(parent or self, region=workspace.region, bases=bases)
        dialog.keySaved.connect(self._key_saved)
        dialog.keyChecked.connect(workspace.key_checked)
        dialog.finished.connect(lambda _result: workspace.key_dialog_closed())
        self._key_dialog = dialog
        dialog.open()
        return dialog

    def _key_saved(self, source: keys.KeySource) -> None:
        self.workspace.key_saved(source)

    # -- batches ----------------------------------------------------------------------------------
    @property
    def batch_ui(self) -> BatchUi:
        """Jobs ▸ New Batch…, Jobs ▸ Batches… and the batches' windows, made the first time they are
        needed (the batches themselves run in the workspace)."""
        if self._batch_ui is None:
            from wan27_desktop.ui.batch.controller import BatchUi

            self._batch_ui = BatchUi(self, self.workspace)
        return self._batch_ui

    # -- the generation stage ---------------------------------------------------------------------
    def _job_appeared(self, key: int) -> None:
        row = self.workspace.board.row(key)
        if row is None or not (row.placeholder or row.active):  # the journal's past: the job queue shows it
            return
        if row.batch_id is not None:
            # A batch's rows come one after another: the stage comes back for a batch's first row,
            # not for every row after the user hid it.
            if row.batch_id in self._batches_seen:
                return
            self._batches_seen.add(row.batch_id)
        self.show_stage()

    def show_stage(self) -> StagePanel:
        """The stage above the gallery: built the first time a job runs, shown again for each new one."""
        if self.stage is None:
            from wan27_desktop.ui.stage.panel import StagePanel

            stage = StagePanel(self.workspace.board, self.workspace.data_dir, self)
            stage.stopRequested.connect(self.cancel_job)
            stage.retryRequested.connect(self.retry_job)
            stage.openImageRequested.connect(lambda image_id: self.gallery.open_image(image_id))
            stage.hideRequested.connect(self.hide_stage)
            stage.largeToggled.connect(self._stage_large)
            self.centre_splitter.insertWidget(0, stage)
            self.stage = stage
            self._stage_large(False)
        if not self.stage.isVisible():
            self.stage.show()
        return self.stage

    def hide_stage(self) -> None:
        if self.stage is not None:
            self.stage.large_button.setChecked(False)
            self.stage.hide()
            self.gallery.setFocus()

    def _stage_large(self, large: bool) -> None:
        total = max(self.centre_splitter.height(), 400)
        # Normal: room for a card with two rows of tiles; larger: most of the height, for the preview.
        share = total * 3 // 4 if large else min(max(total * 2 // 5, 290), total - 150)
        self.centre_splitter.setSizes([share, total - share])

    # -- jobs -------------------------------------------------------------------------------------
    def _image_landed(self, image_id: int) -> None:
        self.gallery.notify_image_added(image_id)

    def _job_ended(self, row: JobRow) -> None:
        from wan27_desktop.library import JobState

        if self._closing or self.isActiveWindow():
            return
        failed = row.state in (JobState.FAILED, JobState.INTERRUPTED, JobState.EXPIRED) or row.idle
        titles = {
            JobState.FAILED: self.tr("Job failed"),
            JobState.INTERRUPTED: self.tr("Job interrupted"),
            JobState.EXPIRED: self.tr("Job expired"),
        }
        if row.idle:  # paused for the user: its create's answer was lost (the message says what to do)
            title = self.tr("Job paused")
        elif failed:
            title = titles[row.state]
        else:
            title = self.tr("Images ready")
        prompt = " ".join(row.prompt.split())
        message = (
            self.tr("%n image(s): {prompt}", "", row.images_done).format(prompt=prompt[:80])
            if not failed
            else row.error_message or self.tr("The job did not finish.")
        )
        self.notifier.notify(title, message, error=failed)
        self.notifier.alert(self)

    def confirm_over_limit(self, err: WanError, request: GenerationRequest, mode: RequestMode) -> QMessageBox:
        """A job would cross a spending limit: nothing was sent; send it only if the user says so."""
        from PySide6.QtWidgets import QMessageBox

        from wan27_desktop.i18n import error_message

        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Over the spending limit"),
            error_message(err),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("overLimitBox")
        send = box.addButton(self.tr("Send Anyway"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda button: self.workspace.submit(request, mode, over_limit=True) if button is send else None
        )
        if self._over_limit_box is not None:
            self._over_limit_box.deleteLater()  # one at a time; the last one stays for a look at it
        self._over_limit_box = box
        box.open()
        return box

    def cancel_job(self, job_id: int | None = None) -> bool:
        job_id = job_id if job_id is not None else self._selected_job_id()
        return job_id is not None and self.workspace.cancel(job_id)

    def retry_job(self, job_id: int | None = None) -> int | None:
        job_id = job_id if job_id is not None else self._selected_job_id()
        return None if job_id is None else self.workspace.retry(job_id)

    def resume_unfinished(self) -> None:
        self.workspace.resume_unfinished()

    def resume_job(self, job_id: int | None = None) -> bool:
        """Carry one paused job on (or try an expired one's links again); never resends a create."""
        job_id = job_id if job_id is not None else self._selected_job_id()
        return job_id is not None and self.workspace.resume_job(job_id)

    def show_remote_tasks(self, *, fetch_by_id: bool = False) -> RemoteTasksDialog:
        """Jobs › Tasks at the Service… / Fetch a Task by Id…: the account's recent tasks, and adopt one."""
        from wan27_desktop.ui.dialogs.remote_tasks import RemoteTasksDialog

        dialog = RemoteTasksDialog(
            self, load=self.workspace.remote_tasks, fetch=self.workspace.fetch, focus_id=fetch_by_id
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def fetch_task(self, task_id: str, model: str | None = None) -> int | None:
        """Adopt a task of the current key by its id: a job is journaled, polled and its images land."""
        return self.workspace.fetch(task_id, model)

    def _selected_job_id(self) -> int | None:
        if self._queue is None:
            return None
        row = self._queue.selected_job()
        return None if row is None else row.job_id

    def show_results(self, job_id: int) -> None:
        from wan27_desktop.library import ImageQuery

        self.gallery.set_query(ImageQuery(job_id=job_id))
        self.status.showMessage(
            self.tr("Showing the images of job {job}. View ▸ Show All Images to go back.").format(job=job_id), 0
        )
        self.gallery.setFocus()

    def show_all_images(self) -> None:
        self.gallery.show_all_images()
        self.status.clearMessage()

    # -- reuse from the gallery -------------------------------------------------------------------
    def fill_prompt(self, prompt: str) -> None:
        """Replace the prompt (undoably) and put the cursor there: reuse, the welcome's sample."""
        self.workspace.draft.prompt = prompt
        self.focus_prompt()

    def _reuse_request(self, request: GenerationRequest) -> None:
        self.workspace.draft.set_request(request)
        self.focus_prompt()

    # -- settings, theme --------------------------------------------------------------------------
    def open_settings(self) -> SettingsDialog:
        from wan27_desktop.ui.dialogs.settings import SettingsDialog

        api_base = self.workspace.api_base
        bases = {region: api_base for region in Region} if api_base else None
        dialog = SettingsDialog(self.settings, self, bases=bases)
        dialog.applied.connect(self._settings_applied)
        dialog.keyChanged.connect(lambda _region: self.workspace.refresh_key_source())
        dialog.libraryMoveRequested.connect(lambda folder: self.move_library(folder, dialog))
        dialog.set_library_dir(self.data_dir)
        dialog.open()
        return dialog

    def _settings_applied(self) -> None:
        self.workspace.apply_settings()
        parts.apply_theme(self.settings.theme)
        parts.sync_theme_actions(self)

    # -- moving the library ------------------------------------------------------------------------
    def move_library(self, target: Path, parent: QWidget | None = None) -> LibraryMoveFlow:
        """Move the library to `target` (Settings ▸ Library ▸ Move…); returns the LibraryMoveFlow.
        Refused while jobs or an import run: they write to the library being copied."""
        from wan27_desktop.ui.dialogs.library_move import LibraryMoveFlow

        if self._move_flow is not None:
            return self._move_flow
        flow = LibraryMoveFlow(
            parent or self,
            self.data_dir,
            target,
            app_data_dir=self.settings.path.parent,
            switch=self._switch_library,
            blocked=self.workspace.move_blocker,
        )

        def ended(_moved: bool) -> None:
            self._move_flow = None
            self.workspace.moving = False
            flow.deleteLater()  # a call still running (a discarded copy's cleanup) finishes first
            setter = getattr(parent, "set_library_dir", None)
            if callable(setter):
                setter(self.data_dir)

        flow.finished.connect(ended)
        self._move_flow = flow
        self.workspace.moving = True
        flow.start()
        return flow

    def jobs_in_progress(self) -> int:
        return self.workspace.jobs_in_progress()

    def _switch_library(self, folder: Path) -> None:
        """The verified copy becomes the library: saved first (a crash after this opens the new
        place), then the window reopens there. Raises OSError when the setting cannot be saved."""
        previous = self.settings.library_dir if self.settings.library_moved else None
        self.settings.library_dir = folder
        self.settings.sync()
        if not self.settings.status_ok():
            self.settings.library_dir = previous
            raise OSError(errno.EIO, self.tr("the settings file could not be written"), str(self.settings.path))
        self.reopen_library(folder)

    def reopen_library(self, folder: Path) -> None:
        """Point everything at the library in `folder`: jobs, gallery, journal, spend; unfinished
        jobs resume there, as at a start (a move waits until none runs)."""
        self._reopen_gallery(folder)
        self.workspace.reopen(folder)

    def _reopen_gallery(self, folder: Path) -> None:
        old = self.gallery
        new = parts.make_centre(self, folder)
        old.shutdown()  # its pools stop and close their connections to the old folder
        self.centre_splitter.replaceWidget(self.centre_splitter.indexOf(old), new)
        if self.stage is not None:
            self.stage.set_library(folder)
        old.deleteLater()
        self.gallery = new  # menu actions look the gallery up when triggered (parts.focus_library_search)
        parts.adopt_gallery(self, new)
        self._connect_gallery(new)

    def show_welcome(self) -> WelcomeDialog:
        """Help ▸ Welcome…: region and key, a sample prompt, where the library lives."""
        from wan27_desktop.ui.dialogs.onboarding import show_welcome

        return show_welcome(self)

    def set_theme(self, theme: Theme) -> None:
        self.settings.theme = theme
        parts.apply_theme(theme)

    # -- file menu --------------------------------------------------------------------------------
    def new_draft(self) -> bool:
        """File ▸ New: an empty prompt, no references, default parameters; Undo brings it back."""
        workspace = self.workspace
        if not workspace.new_draft():
            self.focus_prompt()
            return False
        self.generation.offer_undo(self.tr("New draft started."), workspace.undo_new_draft, workspace.forget_draft_undo)
        self.focus_prompt()
        return True

    def import_folder(self, folder: Path | None = None) -> None:
        from PySide6.QtWidgets import QFileDialog

        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Import images from folder"))
            if not chosen:
                return
            folder = Path(chosen)

        def done(report: ImportReport) -> None:
            self.status.showMessage(str(report), 10000)
            self.gallery.refresh()

        def failed(err: BaseException) -> None:
            from wan27_desktop.api.errors import WanError
            from wan27_desktop.i18n import error_details

            parts.show_error(
                self,
                self.tr("Import failed"),
                error_details(err) if isinstance(err, WanError) else f"{type(err).__name__}: {err}",
            )

        self.status.showMessage(self.tr("Importing {folder}…").format(folder=folder))
        self.workspace.import_folder(folder, done, failed)

    def export_selection(self) -> None:
        self.gallery.export_selection()

    # -- state ------------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        state = self.settings.window_state
        if state:
            self.restoreState(QByteArray(state))

    def _keep_stacking_choice(self, gallery: GalleryPanel) -> None:
        """Filters ▸ Stack image sets as the user left it, in every session and after a library move."""
        filters = gallery.filters
        filters.set_stacks_sets(self.settings.gallery_stack_sets)
        filters.stack_action.toggled.connect(self._stacking_toggled)

    def _stacking_toggled(self, stacked: bool) -> None:
        self.settings.gallery_stack_sets = stacked

    def save_state(self) -> None:
        self.settings.window_geometry = self.saveGeometry()
        if not self._built:  # closed before the panels were made: their saved layout stays as it was
            self.settings.sync()
            return
        self.settings.window_state = self.saveState()
        self.settings.set_state_blob("main_splitter", self.splitter.saveState())
        if self._queue is not None:  # else its saved columns stay as they were
            self.settings.set_state_blob("job_queue_header", self._queue.view.horizontalHeader().saveState())
        self.settings.sync()

    def shutdown(self) -> None:
        """Stop workers; jobs in flight stay resumable in the journal."""
        if self._closing:
            return
        self._closing = True
        if self._move_flow is not None:
            self._move_flow.cancel()  # a partial copy is removed; the library stays where it was
        if self._built:
            if self._queue is not None:
                self._queue.ticker.stop()
            if self._batch_ui is not None:
                self._batch_ui.shutdown()
            self.workspace.shutdown()
            if self.stage is not None:
                self.stage.shutdown()
            self.gallery.shutdown()
        close = getattr(self._notifier, "close", None)
        if callable(close):
            close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.shutdown()
        super().closeEvent(event)


def copy_diagnostics(window: MainWindow) -> str:
    text = parts.diagnostic_text(window)
    QGuiApplication.clipboard().setText(text)
    window.status.showMessage(
        QCoreApplication.translate(
            "MainWindow", "Diagnostic info copied to the clipboard (it never contains the key)."
        ),
        6000,
    )
    return text
