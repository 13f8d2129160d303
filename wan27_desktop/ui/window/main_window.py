"""The main window: generation panel | gallery in a splitter, the job queue dock, menus, status bar.

Start-up does no blocking work on the UI thread: the key lookup (keyring), the journal, today's
spend and resuming unfinished jobs all run on pool threads after the window is shown (`start`).
The window works with no key and no network: the library is always browsable.

`MainWindow(deferred=True)` (what `wan27-desktop` uses, issue 7) is first only a shell: the saved
geometry, filled with the window's background colour, nothing with text (the first text sets up the
font database, ~5 ms), so it paints about as soon as a bare QMainWindow. The panels, job dock,
menus, status bar and job manager, and their modules (most of start-up's imports), come with
`finish_building()`, called after that first paint, with the saved dock, splitter and column state;
`built` is emitted then. Without `deferred` the constructor builds it all at once.
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

from wan27_desktop.api.errors import NetworkError, ServiceError, ValidationError, WanError
from wan27_desktop.api.models import Region
from wan27_desktop.i18n import error_details, error_message
from wan27_desktop.settings import AppSettings, Theme
from wan27_desktop.ui.window import parts as parts

if TYPE_CHECKING:
    from decimal import Decimal

    from PySide6.QtGui import QAction

    from wan27_desktop import keys
    from wan27_desktop.api.models import GenerationRequest, RequestMode
    from wan27_desktop.jobs.runner import Connection, JobEvent
    from wan27_desktop.library import Library
    from wan27_desktop.ui.jobs.notifications import NotifierLike

# The job manager, the library, the panels and the status bar are imported where they are used, not
# here: on the deferred path they load after the shell's first paint.

log = logging.getLogger(__name__)

JOURNAL_ROWS = 200


class MainWindow(QMainWindow):
    """The workspace. `start()` kicks off the background work once the window is visible."""

    keyOriginChanged = Signal(str)
    journalLoaded = Signal()
    built = Signal()  # finish_building() made the panels (emitted once; at once in the constructor if not deferred)

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
        self.data_dir = data_dir or self.settings.library_dir  # the library root (moves: library_move.py)
        self.api_base = api_base or self.settings.custom_endpoint
        self._given_notifier = notifier  # else a Notifier, made in finish_building
        self._poll_interval = poll_interval
        self._region = self.settings.region
        self._key_source: keys.KeySource | None = None
        self._pending: tuple[GenerationRequest, RequestMode] | None = None
        self._tokens: dict[int, tuple[GenerationRequest, RequestMode]] = {}
        self._adopting: dict[int, str] = {}  # token -> task id being fetched
        self._key_dialog: Any = None
        self._built = False
        self._started = False
        self._shown_once = False
        self._resume_after_key = False
        self._closing = False
        self._reader: Library | None = None  # opened on a worker; thread-safe, read-mostly
        self._move_flow: Any = None  # a LibraryMoveFlow while the library is being moved
        self._imports = 0  # imports into the library still running (a move waits for them)
        self._journal_error = False
        self._resume_batches = False
        self.actions_by_name: dict[str, QAction] = {}  # filled by build_menus
        self._build_shell()
        if not deferred:
            self.finish_building()

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
        """The panels, the job queue dock, the status bar, the menus and the job manager, with the
        saved dock, splitter and column state. Idempotent; does nothing once the window is closing
        (closed before it was built)."""
        if self._built or self._closing:
            return
        from PySide6.QtWidgets import QSplitter

        from wan27_desktop.jobs.qt import JobManager
        from wan27_desktop.ui.common.background import BackgroundWork
        from wan27_desktop.ui.jobs.notifications import Notifier
        from wan27_desktop.ui.jobs.queue_panel import JobQueuePanel
        from wan27_desktop.ui.window.status_bar import AppStatusBar

        self.notifier: NotifierLike = self._given_notifier or Notifier(self.windowIcon(), self)
        self.background = BackgroundWork(self, pool="window")
        self.jobs = JobManager(
            self.data_dir,
            self._connection,
            concurrency=self.settings.concurrency,
            poll_interval=self._poll_interval,
            parent=self,
        )

        self.generation: Any = parts.make_generation_panel(self)
        self.gallery = parts.make_centre(self, self.data_dir)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.generation)
        self.splitter.addWidget(self.gallery)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([440, 840])
        self._centre_layout.addWidget(self.splitter)

        self.queue = JobQueuePanel(self)
        self.queue_dock = QDockWidget(self.tr("Jobs"), self)
        self.queue_dock.setObjectName("jobQueue")
        self.queue_dock.setAccessibleName(self.tr("Job queue"))
        self.queue_dock.setWidget(self.queue)
        # Title, summary and job actions on one row; dragging it still moves the dock.
        self.queue_dock.setTitleBarWidget(self.queue.header)
        self.queue_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.queue_dock)
        self.resizeDocks([self.queue_dock], [180], Qt.Orientation.Vertical)

        self.status = AppStatusBar(self)
        self.setStatusBar(self.status)
        self.status.set_region(self._region, self.api_base)
        from wan27_desktop.ui.batch.controller import BatchUi

        self.batch_ui = BatchUi(self)  # issue 17: Jobs ▸ New Batch…, Jobs ▸ Batches…, batch windows
        parts.build_menus(self)
        self._connect()
        self._built = True
        self._restore_state()
        if self._shown_once:  # the deferred path: the shell is on screen already
            self._restore_splitter()
            self.focus_prompt()
        self.built.emit()

    # -- wiring -----------------------------------------------------------------------------------
    def _connect(self) -> None:
        self.generation.generateRequested.connect(self.submit_request)
        self.jobs.jobCreated.connect(self._job_created)
        self.jobs.jobRefused.connect(self._job_refused)
        self.jobs.jobEvent.connect(self._job_event)
        self.jobs.jobFinished.connect(self._job_finished)
        self.batch_ui.manager.jobEvent.connect(self._job_event)  # a batch's rows are jobs too
        self.queue.cancelRequested.connect(self.cancel_job)
        self.queue.retryRequested.connect(self.retry_job)
        self.queue.resumeRequested.connect(self.resume_job)
        self.queue.showResultsRequested.connect(self.show_results)
        self._connect_gallery(self.gallery)

    def _connect_gallery(self, gallery: Any) -> None:
        gallery.reusePromptRequested.connect(self._reuse_prompt)
        gallery.reuseRequestReady.connect(self._reuse_request)
        gallery.useAsReferenceRequested.connect(lambda path: parts.call_panel(self, "add_reference", path))
        gallery.extractPaletteRequested.connect(lambda path: parts.call_panel(self, "set_palette_from_image", path))
        gallery.statusMessage.connect(lambda text: self.status.showMessage(text, 6000))
        self._keep_stacking_choice(gallery)

    def _connection(self) -> Connection:
        """Called by JobManager on worker threads (may block on the keyring)."""
        from wan27_desktop.jobs.connection import resolve_connection

        return resolve_connection(self._region, self.api_base)

    def prompt_edit(self) -> QWidget | None:
        if not self._built:
            return None
        return self.generation.findChild(QWidget, "promptEdit")

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
        if self._started or self._closing:
            return
        self.finish_building()
        self._started = True
        self.focus_prompt()
        if check_key:
            self.refresh_key_source()
        self._load_journal(resume=resume)

    def _load_journal(self, *, resume: bool) -> None:
        """Open the library (healing after a crash), read the journal and today's spend, resume."""
        from wan27_desktop.library import Library

        manager, data_dir = self.jobs, self.data_dir
        self._resume_batches = resume

        def load() -> tuple[Library, list[tuple[Any, int]], Decimal, list[int]]:
            library = Library.open(data_dir)
            records = [(job, len(library.images.of_job(job.id))) for job in library.jobs.find(limit=JOURNAL_ROWS)]
            spend = library.ledger.spend_today()
            resumed = manager.resume_unfinished(library) if resume else []  # QThreadPool.start is thread-safe
            return library, records, spend, resumed

        self.background.run(load, self._journal_loaded, self._journal_failed)

    def _journal_loaded(self, result: tuple[Library, list[tuple[Any, int]], Decimal, list[int]]) -> None:
        library, records, spend, resumed = result
        self._journal_error = False
        if self._closing or library.data_dir != self.data_dir:  # closing, or the library moved meanwhile
            library.close()
            return
        if self._reader is not None:
            self._reader.close()
        self._reader = library
        self.queue.apply_records(records)
        self.status.set_spend_today(spend)
        if self._resume_batches:
            self.batch_ui.resume_unfinished()
        if resumed:
            self.status.showMessage(
                self.tr("Resuming %n unfinished job(s) from the last session.", "", len(resumed)), 8000
            )
        self.journalLoaded.emit()

    def _journal_failed(self, err: BaseException) -> None:
        self._journal_error = True
        text = error_details(err) if isinstance(err, WanError) else f"{type(err).__name__}: {err}"
        self.status.showMessage(self.tr("The library could not be opened."), 10000)
        parts.show_error(self, self.tr("The library could not be opened"), text)

    def refresh_key_source(self) -> None:
        from wan27_desktop import keys

        region = self._region
        self.background.run(lambda: keys.resolve_key(region), self._key_resolved)

    def _key_resolved(self, source: keys.KeySource) -> None:
        if source.region is not self._region:
            return
        self._key_source = source
        self.status.set_key_origin(source.origin, source.problem)
        self.keyOriginChanged.emit(source.origin)

    def key_origin(self) -> str | None:
        return None if self._key_source is None else self._key_source.origin

    # -- generate ---------------------------------------------------------------------------------
    def submit_request(self, request: GenerationRequest, mode: RequestMode, *, over_limit: bool = False) -> int | None:
        """From the generation panel. With no key anywhere, ask for one first (KeyDialog).
        `over_limit`: the user confirmed sending past a spending limit."""
        if self._move_flow is not None:
            self.status.showMessage(
                self.tr("Not sent: the library is being moved. Generate again when the move has finished."), 10000
            )
            return None
        if self.key_origin() == "none":
            self._pending = (request, mode)
            self.open_key_dialog()
            return None
        token = self.jobs.submit(request, mode, over_limit=over_limit)
        self._tokens[token] = (request, mode)
        self.queue.model.add_placeholder(token, request.prompt)
        return token

    def _job_created(self, token: int, job_id: int) -> None:
        self._tokens.pop(token, None)
        self._adopting.pop(token, None)
        self.queue.model.remove_placeholder(token)
        self._fetch_job(job_id)

    def _job_refused(self, token: int, err: WanError) -> None:
        from wan27_desktop import keys
        from wan27_desktop.jobs.connection import NoKeyError

        task_id = self._adopting.pop(token, None)
        if task_id is not None and not isinstance(err, NoKeyError):
            self.status.showMessage(self.tr("Task {task} was not fetched.").format(task=task_id), 10000)
            parts.show_error(self, self.tr("The task could not be fetched"), error_details(err))
            return
        pending = self._tokens.pop(token, None)
        self.queue.model.remove_placeholder(token)
        if isinstance(err, NoKeyError):
            if pending is None:  # a resume (token 0) found no key: resume again once there is one
                self._resume_after_key = True
                if self._key_dialog is not None and self._key_dialog.isVisible():
                    return
            self._pending = pending or self._pending
            self._key_source = keys.KeySource(None, "none", self._region)
            self.status.set_key_origin("none")
            self.open_key_dialog()
            return
        from wan27_desktop.jobs.spending import SpendLimitExceeded

        if isinstance(err, SpendLimitExceeded) and pending is not None:
            self.confirm_over_limit(err, *pending)
            return
        if isinstance(err, ValidationError):
            parts.call_panel(self, "show_issues", err.issues)
            self.status.showMessage(self.tr("Not sent: {reason}").format(reason=error_message(err)), 10000)
            return
        self.status.showMessage(self.tr("Not sent: {reason}").format(reason=error_message(err)), 10000)
        parts.show_error(self, self.tr("The job could not start"), error_details(err))

    def confirm_over_limit(self, err: WanError, request: GenerationRequest, mode: RequestMode) -> Any:
        """A job would cross a spending limit: nothing was sent; send it only if the user says so."""
        from PySide6.QtWidgets import QMessageBox

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
            lambda button: self.submit_request(request, mode, over_limit=True) if button is send else None
        )
        self.status.showMessage(self.tr("Not sent: {reason}").format(reason=error_message(err)), 10000)
        self._over_limit_box = box
        box.open()
        return box

    def open_key_dialog(self, parent: QWidget | None = None) -> Any:
        """The key dialog (one at a time), modal to `parent` (the welcome dialog) or the window."""
        if self._key_dialog is not None and self._key_dialog.isVisible():
            self._key_dialog.raise_()
            return self._key_dialog
        from wan27_desktop.ui.dialogs.key import KeyDialog

        bases = {region: self.api_base for region in Region} if self.api_base else None
        dialog = KeyDialog(parent or self, region=self._region, bases=bases)
        dialog.keySaved.connect(self._key_saved)
        dialog.finished.connect(lambda _result: self._key_dialog_closed())
        self._key_dialog = dialog
        dialog.open()
        return dialog

    def _key_saved(self, source: keys.KeySource) -> None:
        if source.region is not self._region:
            self._region = source.region
            self.settings.region = source.region
            self.status.set_region(self._region, self.api_base)
        self._key_source = source
        self.status.set_key_origin(source.origin)
        self.keyOriginChanged.emit(source.origin)
        pending, self._pending = self._pending, None
        if pending is not None:
            self.submit_request(*pending)
        if self._resume_after_key:
            self._resume_after_key = False
            self.resume_unfinished()

    def _key_dialog_closed(self) -> None:
        if self._pending is not None and self.key_origin() == "none":
            self.status.showMessage(
                self.tr("Not sent: no API key. Add one in Settings or set DASHSCOPE_API_KEY."), 10000
            )
        self._pending = None

    # -- jobs -------------------------------------------------------------------------------------
    def _job_event(self, event: JobEvent) -> None:
        if self.queue.apply_event(event):
            self._fetch_job(event.job_id)
        self._note_connectivity(event)
        if event.image_id is not None:
            self._image_landed(event.image_id)
        if event.state.is_terminal:
            self._fetch_job(event.job_id)

    def _note_connectivity(self, event: JobEvent) -> None:
        from wan27_desktop.jobs.connection import NoKeyError
        from wan27_desktop.library import JobState

        err = event.error
        if isinstance(err, NetworkError):
            self.status.set_online(False)
        elif isinstance(err, ServiceError) and not isinstance(err, NoKeyError):
            self.status.set_online(True)  # the service answered, even if it said no
        elif err is None and event.state in (JobState.SUBMITTED, JobState.RUNNING, JobState.DOWNLOADING, JobState.DONE):
            self.status.set_online(True)

    def _image_landed(self, image_id: int) -> None:
        self.gallery.notify_image_added(image_id)

    def _fetch_job(self, job_id: int) -> None:
        from wan27_desktop.library import Library

        data_dir = self.data_dir
        reader = self._reader

        def fetch() -> tuple[Any, int]:
            library = reader or Library.open(data_dir, reconcile=False)
            try:
                return library.jobs.get(job_id), len(library.images.of_job(job_id))
            finally:
                if library is not reader:
                    library.close()

        def fetched(record: tuple[Any, int]) -> None:
            self.queue.apply_records([record])

        self.background.run(fetch, fetched)

    def _job_finished(self, job_id: int) -> None:
        from wan27_desktop.library import JobState

        self.refresh_spend()
        # The worker is gone: a job still unfinished in the journal is paused until resumed.
        self.queue.model.mark_idle(job_id)
        self._fetch_job(job_id)
        row = self.queue.model.job(job_id)
        if row is None or not row.state.is_terminal or self._closing:
            return
        if not self.isActiveWindow():
            failed = row.state in (JobState.FAILED, JobState.INTERRUPTED, JobState.EXPIRED)
            titles = {
                JobState.FAILED: self.tr("Job failed"),
                JobState.INTERRUPTED: self.tr("Job interrupted"),
                JobState.EXPIRED: self.tr("Job expired"),
            }
            title = titles[row.state] if failed else self.tr("Images ready")
            prompt = " ".join(row.prompt.split())
            message = (
                self.tr("%n image(s): {prompt}", "", row.images_done).format(prompt=prompt[:80])
                if not failed
                else row.error_message or self.tr("The job did not finish.")
            )
            self.notifier.notify(title, message, error=failed)
            self.notifier.alert(self)

    def refresh_spend(self) -> None:
        reader = self._reader
        if reader is not None:
            self.background.run(reader.ledger.spend_today, self.status.set_spend_today)

    def cancel_job(self, job_id: int | None = None) -> bool:
        job_id = job_id if job_id is not None else self._selected_job_id()
        if job_id is None:
            return False
        row = self.queue.model.job(job_id)
        if row is not None and not row.can_cancel:  # already billed, or the service said no
            return False
        if self.jobs.cancel(job_id):
            self.status.showMessage(self.tr("Canceling job {job}…").format(job=job_id), 4000)
            return True
        return False

    def retry_job(self, job_id: int | None = None) -> int | None:
        job_id = job_id if job_id is not None else self._selected_job_id()
        if job_id is None:
            return None
        row = self.queue.model.job(job_id)
        if row is not None and not row.can_retry:
            return None
        if self.key_origin() == "none":
            self.open_key_dialog()
            return None
        token = self.jobs.retry(job_id)
        self.queue.model.add_placeholder(token, row.prompt if row is not None else "")
        return token

    def resume_unfinished(self) -> None:
        from wan27_desktop.library import Library

        manager, data_dir = self.jobs, self.data_dir
        reader = self._reader

        def resume() -> list[int]:
            library = reader or Library.open(data_dir)
            ids = [job.id for job in library.jobs.unfinished() if not manager.is_active(job.id)]
            for job_id in ids:
                manager.resume(job_id)
            return ids

        def resumed(ids: list[int]) -> None:
            self.status.showMessage(
                self.tr("Resuming %n unfinished job(s).", "", len(ids))
                if ids
                else self.tr("No unfinished jobs to resume."),
                6000,
            )

        self.background.run(resume, resumed)

    def resume_job(self, job_id: int | None = None) -> bool:
        """Carry one paused job on (or try an expired one's links again); never resends a create."""
        job_id = job_id if job_id is not None else self._selected_job_id()
        row = self.queue.model.job(job_id) if job_id is not None else None
        if job_id is None or row is None or not row.can_resume or self.jobs.is_active(job_id):
            return False
        self.jobs.resume(job_id)
        self.status.showMessage(self.tr("Resuming job {job}…").format(job=job_id), 4000)
        return True

    def show_remote_tasks(self, *, fetch_by_id: bool = False) -> Any:
        """Jobs › Tasks at the Service… / Fetch a Task by Id…: the account's recent tasks, and adopt one."""
        from wan27_desktop.ui.dialogs.remote_tasks import RemoteTasksDialog

        dialog = RemoteTasksDialog(self, load=self._remote_tasks, fetch=self.fetch_task, focus_id=fetch_by_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _remote_tasks(self) -> list[Any]:
        """On a worker: the service's task listing for the current key, marked with the jobs here."""
        from wan27_desktop.jobs.remote import list_remote_tasks
        from wan27_desktop.library import Library

        reader = self._reader
        library = reader or Library.open(self.data_dir, reconcile=False)
        try:
            return list_remote_tasks(self._connection(), library)
        finally:
            if library is not reader:
                library.close()

    def fetch_task(self, task_id: str, model: str | None = None) -> int | None:
        """Adopt a task of the current key by its id: a job is journaled, polled and its images land."""
        if self.key_origin() == "none":
            self.open_key_dialog()
            return None
        token = self.jobs.adopt(task_id, model)
        self._adopting[token] = task_id
        self.status.showMessage(self.tr("Fetching task {task}…").format(task=task_id), 6000)
        return token

    def _selected_job_id(self) -> int | None:
        row = self.queue.selected_job()
        return None if row is None else row.job_id

    def show_results(self, job_id: int) -> None:
        from wan27_desktop.library import ImageQuery

        self.gallery.set_query(ImageQuery(job_id=job_id))
        self.status.showMessage(
            self.tr("Showing the images of job {job}. View ▸ Show All Images to go back.").format(job=job_id), 0
        )
        self.gallery.setFocus()

    def show_all_images(self) -> None:
        self.gallery.set_query(self.gallery.filters.query())
        self.status.clearMessage()

    # -- reuse from the gallery -------------------------------------------------------------------
    def _reuse_prompt(self, prompt: str) -> None:
        self.fill_prompt(prompt)

    def fill_prompt(self, prompt: str) -> None:
        """Replace the prompt (undoably) and put the cursor there: reuse, the welcome's sample."""
        if not parts.call_panel(self, "set_prompt", prompt):
            edit = self.prompt_edit()
            # replace_text (the prompt editor's) keeps the change undoable; setPlainText does not.
            setter = getattr(edit, "replace_text", None) or getattr(edit, "setPlainText", None)
            if callable(setter):
                setter(prompt)
        self.focus_prompt()

    def _reuse_request(self, request: GenerationRequest) -> None:
        parts.call_panel(self, "set_request", request)
        self.focus_prompt()

    # -- settings, theme --------------------------------------------------------------------------
    def open_settings(self) -> Any:
        from wan27_desktop.ui.dialogs.settings import SettingsDialog

        bases = {region: self.api_base for region in Region} if self.api_base else None
        dialog = SettingsDialog(self.settings, self, bases=bases)
        dialog.applied.connect(self._settings_applied)
        dialog.keyChanged.connect(lambda _region: self.refresh_key_source())
        dialog.libraryMoveRequested.connect(lambda folder: self.move_library(folder, dialog))
        dialog.set_library_dir(self.data_dir)
        dialog.open()
        return dialog

    def _settings_applied(self) -> None:
        self._region = self.settings.region
        self.api_base = self.settings.custom_endpoint or self.api_base
        self.jobs.set_concurrency(self.settings.concurrency)
        parts.call_panel(self, "set_region", self._region)
        self.status.set_region(self._region, self.api_base)
        parts.apply_theme(self.settings.theme)
        parts.sync_theme_actions(self)
        self.refresh_key_source()

    # -- moving the library ------------------------------------------------------------------------
    def move_library(self, target: Path, parent: QWidget | None = None) -> Any:
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
            blocked=self._move_blocker,
        )

        def ended(_moved: bool) -> None:
            self._move_flow = None
            flow.deleteLater()  # a call still running (a discarded copy's cleanup) finishes first
            setter = getattr(parent, "set_library_dir", None)
            if callable(setter):
                setter(self.data_dir)

        flow.finished.connect(ended)
        self._move_flow = flow
        flow.start()
        return flow

    def jobs_in_progress(self) -> int:
        """Jobs being journaled, queued for a slot or running in this window."""
        active = {
            row.job_id for row in self.queue.model.jobs() if not row.placeholder and self.jobs.is_active(row.job_id)
        }
        return max(len(active), self.jobs.active_count()) + len(self._tokens) + self.batch_ui.running_count()

    def _move_blocker(self) -> str | None:
        running = self.jobs_in_progress()
        if running:
            return self.tr(
                "%n job(s) are still running. Wait for them to finish, or cancel them in the job queue, "
                "then move the library.",
                "",
                running,
            )
        if self._imports:
            return self.tr("An import into the library is still running. Wait for it to finish, then move the library.")
        if self._journal_error:
            return self.tr(
                "The library could not be opened, so it cannot be moved. Restart the app to try "
                "again, or see the message shown at start."
            )
        if self._started and self._reader is None:
            return self.tr("The library is still opening. Try again in a moment.")
        return None

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
        log.info("library now in %s", folder)
        if self._reader is not None:
            self._reader.close()  # nothing uses it: the move waits for jobs and imports
            self._reader = None
        self.data_dir = folder
        self.jobs.data_dir = folder
        self.batch_ui.reopen(folder)
        self._reopen_gallery(folder)
        self._load_journal(resume=True)

    def _reopen_gallery(self, folder: Path) -> None:
        old = self.gallery
        new = parts.make_centre(self, folder)
        old.shutdown()  # its pools stop and close their connections to the old folder
        self.splitter.replaceWidget(self.splitter.indexOf(old), new)
        old.deleteLater()
        self.gallery = new  # menu actions look the gallery up when triggered (parts.focus_library_search)
        parts.adopt_gallery(self, new)
        self._connect_gallery(new)

    def show_welcome(self) -> Any:
        """Help ▸ Welcome…: region and key, a sample prompt, where the library lives."""
        from wan27_desktop.ui.dialogs.onboarding import show_welcome

        return show_welcome(self)

    def set_theme(self, theme: Theme) -> None:
        self.settings.theme = theme
        parts.apply_theme(theme)

    # -- file menu --------------------------------------------------------------------------------
    def import_folder(self, folder: Path | None = None) -> None:
        from PySide6.QtWidgets import QFileDialog

        from wan27_desktop.library import Library

        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Import images from folder"))
            if not chosen:
                return
            folder = Path(chosen)
        data_dir, target = self.data_dir, folder
        reader = self._reader

        def work() -> Any:
            library = reader or Library.open(data_dir)
            return library.maintenance.import_dir(target)

        def done(report: Any) -> None:
            self.status.showMessage(str(report), 10000)
            self.gallery.refresh()

        self.status.showMessage(self.tr("Importing {folder}…").format(folder=folder))

        def failed(err: BaseException) -> None:
            self._imports -= 1
            parts.show_error(
                self,
                self.tr("Import failed"),
                error_details(err) if isinstance(err, WanError) else f"{type(err).__name__}: {err}",
            )

        def finished(report: Any) -> None:
            self._imports -= 1
            done(report)

        self._imports += 1
        self.background.run(work, finished, failed)

    def export_selection(self) -> None:
        self.gallery.export_selection()

    # -- state ------------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        state = self.settings.window_state
        if state:
            self.restoreState(QByteArray(state))
        header = self.settings.state_blob("job_queue_header")
        if header:
            self.queue.view.horizontalHeader().restoreState(QByteArray(header))

    def _keep_stacking_choice(self, gallery: Any) -> None:
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
        self.settings.set_state_blob("job_queue_header", self.queue.view.horizontalHeader().saveState())
        self.settings.sync()

    def shutdown(self) -> None:
        """Stop workers; jobs in flight stay resumable in the journal."""
        if self._closing:
            return
        self._closing = True
        if self._move_flow is not None:
            self._move_flow.cancel()  # a partial copy is removed; the library stays where it was
        if self._built:
            self.queue.ticker.stop()
            self.batch_ui.shutdown()
            self.jobs.shutdown()
            self.background.wait(10_000)
            self.gallery.shutdown()
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        close = getattr(getattr(self, "notifier", None), "close", None)
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
