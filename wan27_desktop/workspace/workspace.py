"""The workspace: the draft, the service state and the jobs, with the actions a window offers.

What `MainWindow` used to do as a controller lives here, without widgets: submit, retry, cancel,
resume and fetch go through the job manager (jobs/qt.py), batches through the batch manager
(jobs/batch/qt.py, issue 17: their rows are jobs on the same board), and everything that touches
the library (journal, spend, import) runs on a pool thread through `BackgroundWork`, its results
delivered on the UI thread. A request that would cross a spending limit is not sent: `overLimit`
says so, and only `submit(..., over_limit=True)` (the user confirmed) sends it anyway. Windows
and panels bind to the observable parts (`draft`, `service`, `board`) and connect to the signals
below for what needs a person: a key, an error to read, a confirmation, a notification.

QtCore only. The job and batch managers and the library are imported when first used, so building
a window over a workspace does not load them before its first paint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from wan27_desktop.api.errors import NetworkError, ServiceError, ValidationError, WanError
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.i18n import error_details, error_message
from wan27_desktop.jobs.background import BackgroundWork
from wan27_desktop.jobs.notices import ANSWER_LOST
from wan27_desktop.workspace.board import JobBoard
from wan27_desktop.workspace.draft import DEFAULT_PALETTE, Draft, Parameters
from wan27_desktop.workspace.draft_store import DraftStore
from wan27_desktop.workspace.journal_watch import JournalWatch
from wan27_desktop.workspace.service import Connectivity, ServiceState

if TYPE_CHECKING:
    from wan27_desktop import keys
    from wan27_desktop.jobs.batch.qt import BatchManager
    from wan27_desktop.jobs.qt import JobManager
    from wan27_desktop.jobs.remote import RemoteTask
    from wan27_desktop.jobs.runner import Connection, JobEvent
    from wan27_desktop.library import ImportReport, JobRecord, Library
    from wan27_desktop.settings import AppSettings
    from wan27_desktop.workspace.jobs import JobRow

log = logging.getLogger(__name__)

JOURNAL_ROWS = 200


class JournalLoad:
    """What start-up reads from the library on a worker. A plain class: a dataclass or a NamedTuple
    is compiled when this module loads, before the full window."""

    __slots__ = ("library", "records", "batch_of", "spend", "resumed", "unfinished_batches", "held_elsewhere")

    def __init__(
        self,
        library: Library,
        records: list[tuple[JobRecord, int]],
        batch_of: dict[int, int],  # job id -> batch id, for the records that are a batch's rows
        spend: Decimal,
        resumed: list[int],  # jobs resumed (batches resume their own rows)
        unfinished_batches: list[int],  # carried on here: their jobs in flight; new rows wait for the user
        held_elsewhere: dict[int, str],  # job id -> the other window or command running it
    ) -> None:
        self.library = library
        self.records = records
        self.batch_of = batch_of
        self.spend = spend
        self.resumed = resumed
        self.unfinished_batches = unfinished_batches
        self.held_elsewhere = held_elsewhere


class Workspace(QObject):
    """One library, one draft, the jobs of this window. Signals are delivered on the UI thread.

    - `keyNeeded()`: a request waits for a key (the window opens the key dialog)
    - `issuesFound(issues)`: the service or the runner refused the request's values
    - `jobStartFailed(title, details)`: a job (or a batch) could not start, for a message box
    - `overLimit(err, request, mode)`: not sent, it would cross a spending limit (SpendLimitExceeded);
      `submit(request, mode, over_limit=True)` sends it if the user says so
    - `message(text, ms)`: a transient line for the status bar
    - `journalLoaded()` / `journalFailed(details)`: the library was opened (or could not be)
    - `jobEnded(JobRow)`: a job of this session reached a final state, or paused for the user (its
      create's answer lost and its task not told apart: `row.idle`)
    - `imageLanded(image_id)`: a result is in the library
    """

    keyNeeded = Signal()
    issuesFound = Signal(object)
    jobStartFailed = Signal(str, str)
    overLimit = Signal(object, object, object)
    message = Signal(str, int)
    journalLoaded = Signal()
    journalFailed = Signal(str)
    jobEnded = Signal(object)
    imageLanded = Signal(int)
    keySourceChanged = Signal(object)  # keys.KeySource

    def __init__(
        self,
        data_dir: Path,
        settings: AppSettings,
        *,
        api_base: str | None = None,
        poll_interval: tuple[float, float] | None = None,  # None: each request mode's own schedule
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.settings = settings
        self.api_base = api_base
        self.poll_interval = poll_interval
        self.draft = Draft(self)
        self.draft.request_mode = settings.request_mode  # the default from Settings
        self.service = ServiceState(settings.region, api_base, self)
        self.board = JobBoard(self)
        self.background = BackgroundWork(self, pool="window")
        self.key_source: keys.KeySource | None = None
        self.reader: Library | None = None  # opened on a worker; thread-safe, read-mostly
        self.moving = False  # the library is being moved: nothing may be sent
        self.journal_error = False
        self.imports = 0  # imports into the library still running (a move waits for them)
        self.started = False
        self._closing = False
        self._jobs: JobManager | None = None
        self._batches: BatchManager | None = None
        self.draft_store: DraftStore | None = None
        self._cleared_draft: dict[str, object] | None = None  # what File ▸ New cleared, for its undo
        self._pending: tuple[GenerationRequest, RequestMode] | None = None
        self._adopting: dict[int, str] = {}  # token -> the task id being fetched
        self._tokens: dict[int, tuple[GenerationRequest, RequestMode]] = {}
        self._resume_after_key = False
        self.journal_watch = JournalWatch(
            self.board, self.service, self.background, lambda: self.reader, self._is_ours, self
        )

    # -- the draft ----------------------------------------------------------------------------------
    def keep_draft(self, path: Path) -> bool:
        """Restore the draft saved in `path` and keep saving it there; True when one was restored."""
        self.draft_store = DraftStore(self.draft, path, lambda: self.data_dir, self)
        return self.draft_store.restore()

    def new_draft(self) -> bool:
        """File ▸ New: an empty draft (parameters back to their defaults). False when it was empty
        already; otherwise `undo_new_draft()` brings the cleared one back."""
        if self.draft.is_empty() and self.draft.parameters == Parameters() and not self.draft.palette_on:
            return False
        self._cleared_draft = self.draft.snapshot()
        self.draft.references = ()
        self.draft.parameters = Parameters()
        self.draft.palette = DEFAULT_PALETTE
        self.draft.palette_on = False
        self.draft.request_mode = self.settings.request_mode
        self.draft.prompt = ""
        return True

    def can_undo_new_draft(self) -> bool:
        return self._cleared_draft is not None

    def undo_new_draft(self) -> bool:
        cleared, self._cleared_draft = self._cleared_draft, None
        if cleared is None:
            return False
        self.draft.load_json(cleared)
        return True

    def forget_draft_undo(self) -> None:
        self._cleared_draft = None

    # -- the job manager ----------------------------------------------------------------------------
    @property
    def jobs(self) -> JobManager:
        """The job manager, made on first use (its modules are most of what a job needs)."""
        if self._jobs is None:
            from wan27_desktop.jobs.qt import JobManager

            manager = JobManager(
                self.data_dir,
                self._connection,
                concurrency=self.settings.concurrency,
                poll_interval=self.poll_interval,
                parent=self,
            )
            manager.jobCreated.connect(self._job_created)
            manager.jobRefused.connect(self._job_refused)
            manager.jobEvent.connect(self._job_event)
            manager.jobFinished.connect(self._job_finished)
            self._jobs = manager
        return self._jobs

    def _connection(self) -> Connection:
        """Called by the job manager on worker threads (may block on the keyring)."""
        from wan27_desktop.jobs.connection import resolve_connection

        return resolve_connection(self.service.region, self.api_base)

    # -- batches --------------------------------------------------------------------------------------
    @property
    def batches(self) -> BatchManager:
        """The batch manager (issue 17), made on first use. Its rows' job events feed the board, so
        the job queue and the stage show them; a batch that ends updates today's spend."""
        if self._batches is None:
            from wan27_desktop.jobs.batch.qt import BatchManager

            manager = BatchManager(self.data_dir, self._batch_connection, poll_interval=self.poll_interval, parent=self)
            manager.jobEvent.connect(self._batch_job_event)
            manager.batchRefused.connect(self._batch_refused)
            manager.batchEnded.connect(lambda _batch_id: self.refresh_spend())
            self._batches = manager
        return self._batches

    def _batch_connection(self, region: Region) -> Connection:
        """Called by the batch manager on its threads: a batch keeps the region it was made for."""
        from wan27_desktop.jobs.connection import resolve_connection

        return resolve_connection(region, self.api_base)

    def running_batches(self) -> list[int]:
        """Batches whose scheduler runs in this window (running, or paused with rows left to send)."""
        return [] if self._batches is None else self._batches.running()

    def _batch_refused(self, _token: int, err: WanError) -> None:
        self.message.emit(self.tr("Batch not started: {reason}").format(reason=error_message(err)), 10000)
        self.jobStartFailed.emit(self.tr("The batch could not start"), error_details(err))

    def _carry_on_batches(self, batch_ids: list[int]) -> None:
        """Unfinished batches of the journal: their jobs in flight carry on (paid for); rows not yet
        sent wait until the user resumes the batch, which shows as paused meanwhile."""
        waiting = [batch_id for batch_id in batch_ids if batch_id not in self.running_batches()]
        if not waiting:
            return
        self.batches.resume_in_flight(waiting)
        self.message.emit(
            self.tr("%n batch(es) from the last session are paused: Jobs ▸ Batches… to resume.", "", len(waiting)),
            10000,
        )

    @property
    def region(self) -> Region:
        return self.service.region

    # -- start-up -----------------------------------------------------------------------------------
    def start(self, *, resume: bool = True, check_key: bool = True) -> None:
        """Background start-up work: the key lookup, the journal, today's spend, resuming."""
        if self.started or self._closing:
            return
        self.started = True
        if check_key:
            self.refresh_key_source()
        self.load_journal(resume=resume)

    def load_journal(self, *, resume: bool) -> None:
        """Open the library (healing after a crash), read the journal and today's spend, resume."""
        from wan27_desktop.library import Library

        manager, data_dir = self.jobs, self.data_dir

        def load() -> JournalLoad:
            library = Library.open(data_dir)
            records = [(job, len(library.images.of_job(job.id))) for job in library.jobs.find(limit=JOURNAL_ROWS)]
            resumed = manager.resume_unfinished(library) if resume else []  # QThreadPool.start is thread-safe
            return JournalLoad(
                library,
                records,
                batch_of=library.batches.batch_ids(job.id for job, _done in records),
                spend=library.ledger.spend_today(),
                resumed=resumed,
                unfinished_batches=[batch.id for batch in library.batches.unfinished_batches()] if resume else [],
                held_elsewhere=library.leases.held(elsewhere=True),  # after resuming: what is left is theirs
            )

        self.background.run(load, self._journal_loaded, self._journal_failed)

    def _journal_loaded(self, result: JournalLoad) -> None:
        library = result.library
        self.journal_error = False
        if self._closing or library.data_dir != self.data_dir:  # closing, or the library moved meanwhile
            library.close()
            return
        if self.reader is not None:
            self.reader.close()
        self.reader = library
        self.board.apply_records(result.records, result.batch_of, result.held_elsewhere)
        self.service.spend_today = result.spend
        self.journal_watch.start()  # other windows' and commands' jobs, and their spend
        if result.resumed:
            self.message.emit(
                self.tr("Resuming %n unfinished job(s) from the last session.", "", len(result.resumed)), 8000
            )
        if result.unfinished_batches:
            self._carry_on_batches(result.unfinished_batches)
        self.journalLoaded.emit()

    def _journal_failed(self, err: BaseException) -> None:
        self.journal_error = True
        self.journalFailed.emit(error_details(err) if isinstance(err, WanError) else f"{type(err).__name__}: {err}")

    # -- key ------------------------------------------------------------------------------------------
    def refresh_key_source(self) -> None:
        from wan27_desktop import keys

        region = self.service.region
        self.background.run(lambda: keys.resolve_key(region), self._key_resolved)

    def _key_resolved(self, source: keys.KeySource) -> None:
        if source.region is not self.service.region:
            return
        self._set_key_source(source)

    def _set_key_source(self, source: keys.KeySource) -> None:
        self.key_source = source
        self.service.key_problem = source.problem
        self.service.key_origin = source.origin
        self.keySourceChanged.emit(source)

    def key_origin(self) -> str | None:
        return None if self.key_source is None else self.key_source.origin

    def key_saved(self, source: keys.KeySource) -> None:
        """A key was stored or chosen for this session (the key dialog): send what waited for it."""
        if source.region is not self.service.region:
            self.settings.region = source.region
            self.service.set_region(source.region, self.api_base)
        self._set_key_source(source)
        pending, self._pending = self._pending, None
        if pending is not None:
            self.submit(*pending)
        if self._resume_after_key:
            self._resume_after_key = False
            self.resume_unfinished()

    def key_checked(self, reached: bool) -> None:
        """A key check answered (`reached`: the service said something) or found no network."""
        self.service.connectivity = Connectivity.ONLINE if reached else Connectivity.OFFLINE

    def key_dialog_closed(self) -> None:
        if self._pending is not None and self.key_origin() == "none":
            self.message.emit(self.tr("Not sent: no API key. Add one in Settings or set DASHSCOPE_API_KEY."), 10000)
        self._pending = None

    @property
    def waiting_for_key(self) -> bool:
        return self._pending is not None or self._resume_after_key

    # -- settings -------------------------------------------------------------------------------------
    def apply_settings(self) -> None:
        """The settings changed (Settings dialog): region, endpoint, concurrency, key source."""
        self.api_base = self.settings.custom_endpoint or self.api_base
        self.service.set_region(self.settings.region, self.api_base)
        if self._jobs is not None:
            self._jobs.set_concurrency(self.settings.concurrency)
        self.refresh_key_source()

    # -- actions --------------------------------------------------------------------------------------
    def submit(
        self, request: GenerationRequest | None = None, mode: RequestMode | None = None, *, over_limit: bool = False
    ) -> int | None:
        """Send `request` (by default the draft's). With no key anywhere, ask for one first. One that
        would cross a spending limit is refused (`overLimit`) unless `over_limit`: the user confirmed.
        Returns the submission's token, or None when nothing was sent."""
        if request is None:
            request = self.draft.request()
        if mode is None:
            mode = self.draft.request_mode
        if self.moving:
            self.message.emit(
                self.tr("Not sent: the library is being moved. Generate again when the move has finished."), 10000
            )
            return None
        if self.key_origin() == "none":
            self._pending = (request, mode)
            self.keyNeeded.emit()
            return None
        token = self.jobs.submit(request, mode, over_limit=over_limit)
        self._tokens[token] = (request, mode)
        self.board.add_placeholder(token, request.prompt, request.n, is_set=request.enable_sequential)
        return token

    def retry(self, job_id: int) -> int | None:
        """A new job with the same request (never automatic: the user asked)."""
        row = self.board.row(job_id)
        if row is not None and not row.can_retry:
            return None
        if self.key_origin() == "none":
            self.keyNeeded.emit()
            return None
        token = self.jobs.retry(job_id)
        self.board.add_placeholder(
            token, row.prompt if row is not None else "", row.n if row else 0, is_set=bool(row and row.is_set)
        )
        return token

    def cancel(self, job_id: int) -> bool:
        """The user's Cancel; what happens is the service's answer (jobs/notices.py): a queued job is
        closed unsent, a task is canceled only when the service confirms it, one it refuses (already
        running) goes on, is billed and lands; a request already with the service says so and lands."""
        row = self.board.row(job_id)
        if row is not None and not row.can_cancel:  # already billed, or the service said no
            return False
        if self._jobs is None or not self._jobs.cancel(job_id):
            return False
        self.board.mark_cancel_requested(job_id)
        self.message.emit(self.tr("Canceling job {job}…").format(job=job_id), 4000)
        return True

    def resume_unfinished(self) -> None:
        from wan27_desktop.library import Library

        manager, data_dir, reader = self.jobs, self.data_dir, self.reader

        def resume() -> tuple[list[int], list[int]]:
            library = reader or Library.open(data_dir)
            unfinished = [job.id for job in library.jobs.unfinished() if not manager.is_active(job.id)]
            in_batches = library.batches.member_job_ids(unfinished)  # their batch carries them on
            ids = [job_id for job_id in unfinished if job_id not in in_batches]
            for job_id in ids:
                manager.resume(job_id)
            return ids, [batch.id for batch in library.batches.unfinished_batches()]

        def resumed(result: tuple[list[int], list[int]]) -> None:
            ids, batches = result
            self.message.emit(
                self.tr("Resuming %n unfinished job(s).", "", len(ids))
                if ids
                else self.tr("No unfinished jobs to resume."),
                6000,
            )
            if batches:
                self._carry_on_batches(batches)

        self.background.run(resume, resumed)

    def fetch(self, task_id: str, model: str | None = None) -> int | None:
        """Adopt a task of this key by its id (made elsewhere, or lost): journal it, poll it, land it
        (Jobs › Fetch a Task by Id…). With no key, ask for one first."""
        if self.key_origin() == "none":
            self.keyNeeded.emit()
            return None
        token = self.jobs.adopt(task_id, model)
        self._adopting[token] = task_id
        self.board.add_placeholder(token, self.tr("Task {task}").format(task=task_id))
        self.message.emit(self.tr("Fetching task {task}…").format(task=task_id), 6000)
        return token

    def resume_job(self, job_id: int) -> bool:
        """Carry one paused job on (or try an expired one's links again); never resends a create."""
        row = self.board.row(job_id)
        if row is None or not row.can_resume or self.jobs.is_active(job_id):
            return False
        self.jobs.resume(job_id)
        self.message.emit(self.tr("Resuming job {job}…").format(job=job_id), 4000)
        return True

    def remote_tasks(self) -> list[RemoteTask]:
        """On a worker: the service's task listing for the current key, marked with the jobs here."""
        from wan27_desktop.jobs.remote import list_remote_tasks
        from wan27_desktop.library import Library

        reader = self.reader
        library = reader or Library.open(self.data_dir, reconcile=False)
        try:
            return list_remote_tasks(self._connection(), library)
        finally:
            if library is not reader:
                library.close()

    def _is_ours(self, job: JobRecord) -> bool:
        """A job this window runs without holding its lease yet (a task being fetched by its id)."""
        return job.task_id in self._adopting.values() or (self._jobs is not None and self._jobs.is_active(job.id))

    # -- what the job manager says --------------------------------------------------------------------
    def _job_created(self, token: int, job_id: int) -> None:
        self._tokens.pop(token, None)
        self._adopting.pop(token, None)
        self.board.journaled(token, job_id)
        self.fetch_job(job_id)

    def _job_refused(self, token: int, err: WanError) -> None:
        from wan27_desktop import keys
        from wan27_desktop.jobs.connection import NoKeyError
        from wan27_desktop.jobs.spending import SpendLimitExceeded

        task_id = self._adopting.pop(token, None)
        if task_id is not None and not isinstance(err, NoKeyError):
            self.board.remove_placeholder(token)
            self.message.emit(self.tr("Task {task} was not fetched.").format(task=task_id), 10000)
            self.jobStartFailed.emit(self.tr("The task could not be fetched"), error_details(err))
            return
        pending = self._tokens.pop(token, None)
        self.board.remove_placeholder(token)
        if isinstance(err, NoKeyError):
            if pending is None:  # a resume (token 0) found no key: resume again once there is one
                self._resume_after_key = True
            self._pending = pending or self._pending
            self._set_key_source(keys.KeySource(None, "none", self.service.region))
            self.keyNeeded.emit()
            return
        reason = self.tr("Not sent: {reason}").format(reason=error_message(err))
        self.message.emit(reason, 10000)
        if isinstance(err, SpendLimitExceeded):
            asked = pending or err.request  # a retry's request comes with the refusal
            if asked is not None:
                self.overLimit.emit(err, *asked)  # nothing was sent; the window asks
                return
        if isinstance(err, ValidationError):
            self.issuesFound.emit(err.issues)
            return
        self.jobStartFailed.emit(self.tr("The job could not start"), error_details(err))

    def _job_event(self, event: JobEvent) -> None:
        self._apply_event(event, None)

    def _batch_job_event(self, batch_id: int, event: JobEvent) -> None:
        self._apply_event(event, batch_id)
        if event.state.is_terminal:
            self.refresh_spend()  # a batch's row has no jobFinished of its own

    def _apply_event(self, event: JobEvent, batch_id: int | None) -> None:
        if self.board.apply_event(event, batch_id):
            self.fetch_job(event.job_id)
        self._note_connectivity(event)
        if event.image_id is not None:
            self.imageLanded.emit(event.image_id)
        if event.state.is_terminal:
            self.fetch_job(event.job_id)

    def _note_connectivity(self, event: JobEvent) -> None:
        from wan27_desktop.jobs.connection import NoKeyError
        from wan27_desktop.library import JobState

        err = event.error
        if err is not None and err.code == ANSWER_LOST:
            return  # the create's answer was lost, but the service's task list may have answered since
        if isinstance(err, NetworkError):
            self.service.connectivity = Connectivity.OFFLINE
        elif isinstance(err, ServiceError) and not isinstance(err, NoKeyError):
            self.service.connectivity = Connectivity.ONLINE  # the service answered, even if it said no
        elif err is None and event.state in (JobState.SUBMITTED, JobState.RUNNING, JobState.DOWNLOADING, JobState.DONE):
            self.service.connectivity = Connectivity.ONLINE

    def _job_finished(self, job_id: int) -> None:
        self.refresh_spend()
        # The worker is gone: a job still unfinished in the journal is paused until resumed.
        self.board.mark_idle(job_id)
        self.fetch_job(job_id)
        row = self.board.row(job_id)
        needs_user = row is not None and row.idle and row.error_code == ANSWER_LOST
        if row is not None and (row.state.is_terminal or needs_user) and not self._closing:
            self.jobEnded.emit(row)

    def fetch_job(self, job_id: int) -> None:
        """Read one job's journal row (and how many of its images landed) into the board."""
        from wan27_desktop.library import Library

        data_dir, reader = self.data_dir, self.reader

        def fetch() -> tuple[JobRecord, int]:
            library = reader or Library.open(data_dir, reconcile=False)
            try:
                return library.jobs.get(job_id), len(library.images.of_job(job_id))
            finally:
                if library is not reader:
                    library.close()

        def fetched(record: tuple[JobRecord, int]) -> None:
            self.board.apply_records([record])

        self.background.run(fetch, fetched)

    def refresh_spend(self) -> None:
        reader = self.reader
        if reader is not None:
            self.background.run(reader.ledger.spend_today, self._spend_read)

    def _spend_read(self, amount: Decimal) -> None:
        self.service.spend_today = amount

    # -- the library ----------------------------------------------------------------------------------
    def import_folder(
        self,
        folder: Path,
        on_done: Callable[[ImportReport], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        """Add the images of `folder` to the library (on a worker)."""
        from wan27_desktop.library import Library

        data_dir, reader = self.data_dir, self.reader

        def work() -> ImportReport:
            library = reader or Library.open(data_dir)
            return library.maintenance.import_dir(folder)

        def failed(err: BaseException) -> None:
            self.imports -= 1
            on_failed(err)

        def finished(report: ImportReport) -> None:
            self.imports -= 1
            on_done(report)

        self.imports += 1
        self.background.run(work, finished, failed)

    def jobs_in_progress(self) -> int:
        """Jobs being journaled, queued for a slot or running in this window, batches' rows included
        (a batch running here counts at least once, even paused with nothing in flight)."""
        singles = len(self._tokens)
        if self._jobs is not None:
            active = {
                row.job_id for row in self.board.rows() if not row.placeholder and self._jobs.is_active(row.job_id)
            }
            singles += max(len(active), self._jobs.active_count())
        batches = self.running_batches()
        in_batches = sum(1 for row in self.board.rows() if row.active and row.batch_id in batches)
        return singles + max(in_batches, len(batches))

    def move_blocker(self) -> str | None:
        """Why the library cannot be moved right now (None: it can)."""
        running = self.jobs_in_progress()
        if running and self.running_batches():
            return self.tr(
                "%n job(s) are still running, some in a batch. Wait for them to finish, or cancel them in the "
                "job queue and the batch in its window (Jobs ▸ Batches…), then move the library.",
                "",
                running,
            )
        if running:
            return self.tr(
                "%n job(s) are still running. Wait for them to finish, or cancel them in the job queue, "
                "then move the library.",
                "",
                running,
            )
        if self.imports:
            return self.tr("An import into the library is still running. Wait for it to finish, then move the library.")
        if self.journal_error:
            return self.tr(
                "The library could not be opened, so it cannot be moved. Restart the app to try "
                "again, or see the message shown at start."
            )
        if self.started and self.reader is None:
            return self.tr("The library is still opening. Try again in a moment.")
        return None

    def reopen(self, folder: Path) -> None:
        """Point jobs, journal and spend at the library in `folder`; unfinished jobs resume there."""
        log.info("library now in %s", folder)
        if self.reader is not None:
            self.reader.close()  # nothing uses it: the move waits for jobs and imports
            self.reader = None
        self.data_dir = folder
        self.jobs.data_dir = folder
        if self._batches is not None:
            self._batches.data_dir = folder  # nothing runs there now: the move waited for batches too
        self.load_journal(resume=True)

    # -- reading for others ---------------------------------------------------------------------------
    def running(self) -> list[JobRow]:
        """Jobs of this window still in progress (placeholders included), newest first."""
        return self.board.active()

    def shutdown(self) -> None:
        """Stop workers; jobs in flight stay resumable in the journal."""
        if self._closing:
            return
        self._closing = True
        self.journal_watch.stop()
        if self.draft_store is not None:
            self.draft_store.close()  # the last edits are on disk before anything else stops
        if self._batches is not None:
            self._batches.shutdown()  # sends nothing more; every row stays resumable in the journal
        if self._jobs is not None:
            self._jobs.shutdown()
        self.background.wait(10_000)
        if self.reader is not None:
            self.reader.close()
            self.reader = None
