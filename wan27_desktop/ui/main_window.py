"""The main window: generation panel | gallery in a splitter, the job queue dock, menus, status bar.

Start-up does no blocking work on the UI thread: the key lookup (keyring), the journal, today's
spend and resuming unfinished jobs all run on pool threads after the window is shown (`start`).
The window works with no key and no network: the library is always browsable.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QSplitter, QWidget

from .. import config, keys
from ..api.errors import NetworkError, ServiceError, ValidationError, WanError
from ..api.models import GenerationRequest, Region, RequestMode
from ..jobs.connection import NoKeyError, resolve_connection
from ..jobs.qt import JobManager
from ..jobs.runner import Connection, JobEvent
from ..library import ImageQuery, JobState, Library
from ..settings import AppSettings, Theme
from . import main_window_parts as parts
from .job_queue import BackgroundWork, JobQueuePanel
from .notifications import Notifier, NotifierLike
from .status_bar import AppStatusBar

log = logging.getLogger(__name__)

JOURNAL_ROWS = 200


class MainWindow(QMainWindow):
    """The workspace. `start()` kicks off the background work once the window is visible."""

    keyOriginChanged = Signal(str)
    journalLoaded = Signal()

    def __init__(self, *, data_dir: Path | None = None, settings: AppSettings | None = None,
                 api_base: str | None = None, notifier: NotifierLike | None = None,
                 poll_interval: tuple[float, float] = (5.0, 10.0), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Wan 2.7 Desktop")
        self.data_dir = data_dir or config.data_dir()
        self.settings = settings or AppSettings()
        self.api_base = api_base or self.settings.custom_endpoint
        self.notifier: NotifierLike = notifier or Notifier(self.windowIcon(), self)
        self.background = BackgroundWork(self, max_threads=2)
        self._region = self.settings.region
        self._key_source: keys.KeySource | None = None
        self._pending: tuple[GenerationRequest, RequestMode] | None = None
        self._tokens: dict[int, tuple[GenerationRequest, RequestMode]] = {}
        self._key_dialog: Any = None
        self._started = False
        self._shown_once = False
        self._resume_after_key = False
        self._closing = False
        self._reader: Library | None = None  # opened on a worker; thread-safe, read-mostly
        self.actions_by_name: dict[str, QAction] = {}  # filled by build_menus

        self.jobs = JobManager(self.data_dir, self._connection, concurrency=self.settings.concurrency,
                               poll_interval=poll_interval, parent=self)

        self.generation: Any = parts.make_generation_panel(self)
        self.gallery, self.results = parts.make_centre(self, self.data_dir)
        centre: QWidget | None = self.gallery if self.gallery is not None else self.results
        assert centre is not None
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.generation)
        self.splitter.addWidget(centre)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([440, 840])
        self.setCentralWidget(self.splitter)

        self.queue = JobQueuePanel(self)
        self.queue_dock = QDockWidget("Jobs", self)
        self.queue_dock.setObjectName("jobQueue")
        self.queue_dock.setAccessibleName("Job queue")
        self.queue_dock.setWidget(self.queue)
        # Title, summary and job actions on one row; dragging it still moves the dock.
        self.queue_dock.setTitleBarWidget(self.queue.header)
        self.queue_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                    | QDockWidget.DockWidgetFeature.DockWidgetClosable
                                    | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.queue_dock)
        self.resizeDocks([self.queue_dock], [180], Qt.Orientation.Vertical)

        self.status = AppStatusBar(self)
        self.setStatusBar(self.status)
        self.status.set_region(self._region, self.api_base)

        parts.build_menus(self)
        self._connect()
        self.resize(1280, 800)
        self._restore_state()

    # -- wiring -----------------------------------------------------------------------------------
    def _connect(self) -> None:
        self.generation.generateRequested.connect(self.submit_request)
        self.jobs.jobCreated.connect(self._job_created)
        self.jobs.jobRefused.connect(self._job_refused)
        self.jobs.jobEvent.connect(self._job_event)
        self.jobs.jobFinished.connect(self._job_finished)
        self.queue.cancelRequested.connect(self.cancel_job)
        self.queue.retryRequested.connect(self.retry_job)
        self.queue.showResultsRequested.connect(self.show_results)
        if self.gallery is not None:
            gallery = self.gallery
            gallery.reusePromptRequested.connect(self._reuse_prompt)
            gallery.reuseRequestReady.connect(self._reuse_request)
            gallery.useAsReferenceRequested.connect(lambda path: parts.call_panel(self, "add_reference", path))
            gallery.extractPaletteRequested.connect(
                lambda path: parts.call_panel(self, "set_palette_from_image", path))
            gallery.statusMessage.connect(lambda text: self.status.showMessage(text, 6000))

    def _connection(self) -> Connection:
        """Called by JobManager on worker threads (may block on the keyring)."""
        return resolve_connection(self._region, self.api_base)

    def prompt_edit(self) -> QWidget | None:
        return self.generation.findChild(QWidget, "promptEdit")

    # -- start-up ---------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            # Splitter sizes only stick once the window has its final geometry.
            splitter = self.settings.state_blob("main_splitter")
            if splitter:
                self.splitter.restoreState(QByteArray(splitter))
            QTimer.singleShot(0, self.focus_prompt)

    def focus_prompt(self) -> None:
        edit = self.prompt_edit()
        if edit is not None:
            edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def start(self, *, resume: bool = True, check_key: bool = True) -> None:
        """Background start-up work; call once the window is shown."""
        if self._started:
            return
        self._started = True
        self.focus_prompt()
        if check_key:
            self.refresh_key_source()
        manager, data_dir = self.jobs, self.data_dir

        def load() -> tuple[Library, list[tuple[Any, int]], Decimal, list[int]]:
            library = Library.open(data_dir)
            records = [(job, len(library.images_of_job(job.id))) for job in library.list_jobs(limit=JOURNAL_ROWS)]
            spend = library.spend_today()
            resumed = manager.resume_unfinished(library) if resume else []  # QThreadPool.start is thread-safe
            return library, records, spend, resumed

        self.background.run(load, self._journal_loaded, self._journal_failed)

    def _journal_loaded(self, result: tuple[Library, list[tuple[Any, int]], Decimal, list[int]]) -> None:
        library, records, spend, resumed = result
        if self._closing:
            library.close()
            return
        self._reader = library
        self.queue.apply_records(records)
        self.status.set_spend_today(spend)
        if resumed:
            self.status.showMessage(f"Resuming {len(resumed)} unfinished job(s) from the last session.", 8000)
        self.journalLoaded.emit()

    def _journal_failed(self, err: BaseException) -> None:
        text = err.details() if isinstance(err, WanError) else f"{type(err).__name__}: {err}"
        self.status.showMessage("The library could not be opened.", 10000)
        parts.show_error(self, "The library could not be opened", text)

    def refresh_key_source(self) -> None:
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
    def submit_request(self, request: GenerationRequest, mode: RequestMode) -> int | None:
        """From the generation panel. With no key anywhere, ask for one first (KeyDialog)."""
        if self.key_origin() == "none":
            self._pending = (request, mode)
            self.open_key_dialog()
            return None
        token = self.jobs.submit(request, mode)
        self._tokens[token] = (request, mode)
        self.queue.model.add_placeholder(token, request.prompt)
        return token

    def _job_created(self, token: int, job_id: int) -> None:
        self._tokens.pop(token, None)
        self.queue.model.remove_placeholder(token)
        self._fetch_job(job_id)

    def _job_refused(self, token: int, err: WanError) -> None:
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
        if isinstance(err, ValidationError):
            parts.call_panel(self, "show_issues", err.issues)
            self.status.showMessage(f"Not sent: {err.message}", 10000)
            return
        self.status.showMessage(f"Not sent: {err.message}", 10000)
        parts.show_error(self, "The job could not start", err.details())

    def open_key_dialog(self) -> Any:
        if self._key_dialog is not None and self._key_dialog.isVisible():
            self._key_dialog.raise_()
            return self._key_dialog
        from .key_dialog import KeyDialog

        bases = {region: self.api_base for region in Region} if self.api_base else None
        dialog = KeyDialog(self, region=self._region, bases=bases)
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
            self.status.showMessage("Not sent: no API key. Add one in Settings or set DASHSCOPE_API_KEY.", 10000)
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
        err = event.error
        if isinstance(err, NetworkError):
            self.status.set_online(False)
        elif isinstance(err, ServiceError) and not isinstance(err, NoKeyError):
            self.status.set_online(True)  # the service answered, even if it said no
        elif err is None and event.state in (JobState.SUBMITTED, JobState.RUNNING, JobState.DOWNLOADING,
                                             JobState.DONE):
            self.status.set_online(True)

    def _image_landed(self, image_id: int) -> None:
        if self.gallery is not None:
            self.gallery.notify_image_added(image_id)
            return
        reader, strip = self._reader, self.results
        if reader is not None and strip is not None:
            self.background.run(lambda: reader.get_image(image_id),
                                lambda image: strip.add_image(image.id, image.path))

    def _fetch_job(self, job_id: int) -> None:
        data_dir = self.data_dir
        reader = self._reader

        def fetch() -> tuple[Any, int]:
            library = reader or Library.open(data_dir, reconcile=False)
            try:
                return library.get_job(job_id), len(library.images_of_job(job_id))
            finally:
                if library is not reader:
                    library.close()

        def fetched(record: tuple[Any, int]) -> None:
            self.queue.apply_records([record])

        self.background.run(fetch, fetched)

    def _job_finished(self, job_id: int) -> None:
        self.refresh_spend()
        # The worker is gone: a job still unfinished in the journal is paused until resumed.
        self.queue.model.mark_idle(job_id)
        self._fetch_job(job_id)
        row = self.queue.model.job(job_id)
        if row is None or not row.state.is_terminal or self._closing:
            return
        if not self.isActiveWindow():
            failed = row.state in (JobState.FAILED, JobState.INTERRUPTED, JobState.EXPIRED)
            title = f"Job {row.state.value.replace('_', ' ')}" if failed else "Images ready"
            prompt = " ".join(row.prompt.split())
            message = (f"{row.images_done} image(s): {prompt[:80]}" if not failed
                       else f"{row.error_message or 'The job did not finish.'}")
            self.notifier.notify(title, message, error=failed)
            self.notifier.alert(self)

    def refresh_spend(self) -> None:
        reader = self._reader
        if reader is not None:
            self.background.run(reader.spend_today, self.status.set_spend_today)

    def cancel_job(self, job_id: int | None = None) -> bool:
        job_id = job_id if job_id is not None else self._selected_job_id()
        if job_id is None:
            return False
        if self.jobs.cancel(job_id):
            self.status.showMessage(f"Canceling job {job_id}…", 4000)
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
        manager, data_dir = self.jobs, self.data_dir
        reader = self._reader

        def resume() -> list[int]:
            library = reader or Library.open(data_dir)
            ids = [job.id for job in library.unfinished_jobs() if not manager.is_active(job.id)]
            for job_id in ids:
                manager.resume(job_id)
            return ids

        def resumed(ids: list[int]) -> None:
            self.status.showMessage(f"Resuming {len(ids)} unfinished job(s)." if ids
                                    else "No unfinished jobs to resume.", 6000)

        self.background.run(resume, resumed)

    def _selected_job_id(self) -> int | None:
        row = self.queue.selected_job()
        return None if row is None else row.job_id

    def show_results(self, job_id: int) -> None:
        if self.gallery is not None:
            self.gallery.set_query(ImageQuery(job_id=job_id))
            self.status.showMessage(f"Showing the images of job {job_id}. View ▸ Show all images to go back.", 0)
            self.gallery.setFocus()

    def show_all_images(self) -> None:
        if self.gallery is not None:
            self.gallery.set_query(self.gallery.filters.query())
            self.status.clearMessage()

    # -- reuse from the gallery -------------------------------------------------------------------
    def _reuse_prompt(self, prompt: str) -> None:
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
        from .settings_dialog import SettingsDialog

        bases = {region: self.api_base for region in Region} if self.api_base else None
        dialog = SettingsDialog(self.settings, self, bases=bases)
        dialog.applied.connect(self._settings_applied)
        dialog.keyChanged.connect(lambda _region: self.refresh_key_source())
        dialog.libraryMoveRequested.connect(self._library_move_requested)
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

    def _library_move_requested(self, path: Path) -> None:
        parts.show_error(self, "Moving the library", "Moving the library to another folder is not available yet. "
                         f"Quit the app, move {self.data_dir} yourself and start with --data-dir {path}.")

    def set_theme(self, theme: Theme) -> None:
        self.settings.theme = theme
        parts.apply_theme(theme)

    # -- file menu --------------------------------------------------------------------------------
    def import_folder(self, folder: Path | None = None) -> None:
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, "Import images from folder")
            if not chosen:
                return
            folder = Path(chosen)
        data_dir, target = self.data_dir, folder
        reader = self._reader

        def work() -> Any:
            library = reader or Library.open(data_dir)
            return library.import_dir(target)

        def done(report: Any) -> None:
            self.status.showMessage(str(report), 10000)
            if self.gallery is not None:
                self.gallery.refresh()

        self.status.showMessage(f"Importing {folder}…")
        def failed(err: BaseException) -> None:
            parts.show_error(self, "Import failed", str(err))

        self.background.run(work, done, failed)

    def export_selection(self) -> None:
        if self.gallery is not None:
            self.gallery.export_selection()

    # -- state ------------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.window_geometry
        if geometry:
            self.restoreGeometry(QByteArray(geometry))
        state = self.settings.window_state
        if state:
            self.restoreState(QByteArray(state))
        header = self.settings.state_blob("job_queue_header")
        if header:
            self.queue.view.horizontalHeader().restoreState(QByteArray(header))

    def save_state(self) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.set_state_blob("main_splitter", self.splitter.saveState())
        self.settings.set_state_blob("job_queue_header", self.queue.view.horizontalHeader().saveState())
        self.settings.sync()

    def shutdown(self) -> None:
        """Stop workers; jobs in flight stay resumable in the journal."""
        if self._closing:
            return
        self._closing = True
        self.queue.ticker.stop()
        self.jobs.shutdown()
        self.background.wait(10_000)
        if self.gallery is not None:
            self.gallery.shutdown()
        if self.results is not None:
            self.results.shutdown()
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        close = getattr(self.notifier, "close", None)
        if callable(close):
            close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.shutdown()
        super().closeEvent(event)


def copy_diagnostics(window: MainWindow) -> str:
    text = parts.diagnostic_text(window)
    QGuiApplication.clipboard().setText(text)
    window.status.showMessage("Diagnostic info copied to the clipboard (it never contains the key).", 6000)
    return text
