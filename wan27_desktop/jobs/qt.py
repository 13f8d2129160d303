"""The bridge from the Qt-free runner to the UI: QRunnables on a QThreadPool, results as signals.

Two pools: a one-thread journal pool writes every new job (state queued) the moment the user asks,
so a request waiting for a free slot is never only in memory; the run pool (concurrency 1-5, §6)
then sends it. Workers never touch widgets. Each worker opens its own `Library` (one SQLite
connection per thread) and its own HTTP client; progress crosses to the UI thread through the
`Mailbox` (no Qt call on a worker, see mailbox.py) and is re-emitted there as signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from wan27_desktop.api.constants import JOB_CONCURRENCY
from wan27_desktop.api.errors import WanError
from wan27_desktop.api.models import GenerationRequest, RequestMode
from wan27_desktop.api.polling import PollSchedule
from wan27_desktop.api.rules import MAX_TASKS_IN_PROGRESS
from wan27_desktop.jobs.mailbox import Mailbox
from wan27_desktop.jobs.runner import Connection, ConnectionResolver, JobRunner
from wan27_desktop.library import Library

log = logging.getLogger("wan27.jobs.qt")

ConnectionProvider = Callable[[], "Connection | None"]


class _Task(QRunnable):
    """Base: one runner on its own library connection, errors turned into signals."""

    def __init__(self, manager: JobManager, *, token: int = 0, job_id: int | None = None) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._manager = manager
        self._token = token
        self._job_id = job_id

    def run(self) -> None:  # worker thread
        cancel = self._manager._cancel_event(self._job_id) if self._job_id is not None else threading.Event()
        try:
            with Library.open(self._manager.data_dir, reconcile=False) as library:
                runner = JobRunner(
                    library,
                    self._connection(),
                    client_factory=self._manager.client_factory,
                    on_event=partial(self._manager._post, "jobEvent"),
                    poll_interval=self._manager.poll_interval,
                    should_cancel=cancel.is_set,
                    should_stop=self._manager._stopping.is_set,
                    connection_for=self._manager.connection_for,
                )
                try:
                    self._work(runner, library, cancel)
                except WanError:
                    raise
                except Exception as error:
                    # Not expected: leave a readable state in the journal, then let the app's
                    # top-level handler report it (re-raised below).
                    if self._job_id is not None:
                        runner.fail_unexpected(self._job_id, error)
                    raise
                finally:
                    runner.close()
        except WanError as err:
            self._manager._post("jobRefused", self._token, err)
        finally:
            self._done()

    def _connection(self) -> Connection | None:
        return self._manager.connection_provider()

    def _work(self, runner: JobRunner, library: Library, cancel: threading.Event) -> None:
        raise NotImplementedError

    def _done(self) -> None:
        pass


class _JournalTask(_Task):
    """Write a new job (or a retry of one) to the journal, then hand it to the run pool."""

    def __init__(
        self,
        manager: JobManager,
        *,
        token: int,
        request: GenerationRequest | None = None,
        request_mode: RequestMode = RequestMode.SYNC,
        retry_of: int | None = None,
        over_limit: bool = False,
    ) -> None:
        super().__init__(manager, token=token)
        self._request = request
        self._request_mode = request_mode
        self._retry_of = retry_of
        self._over_limit = over_limit

    def _connection(self) -> Connection | None:
        # Journaling needs the region and endpoint; a missing key refuses the request right here.
        return self._manager.connection_provider()

    def _work(self, runner: JobRunner, library: Library, cancel: threading.Event) -> None:
        from wan27_desktop.jobs.spending import SpendLimitExceeded, check_limits, request_estimate

        if self._retry_of is not None:  # a retry is billed again: the same limits apply
            request, mode = runner.retry_request(self._retry_of)
        else:
            assert self._request is not None
            request, mode = self._request, self._request_mode
        connection = runner.connection
        if connection is not None:  # issue 17: a spending limit is checked before journaling
            try:
                estimate = request_estimate(connection.region, request)
                check_limits(library, connection.region, estimate, override=self._over_limit)
            except SpendLimitExceeded as refused:
                refused.request = (request, mode)
                raise
        job_id = runner.create(request, mode)
        self._manager._cancel_event(job_id)  # cancellable from now on, even while waiting for a slot
        self._manager._post("jobCreated", self._token, job_id)
        self._manager._start_run(job_id, "run")


class _AdoptTask(_Task):
    """Fetch a task of this key by its id (made elsewhere, or lost): journal it, then land it."""

    def __init__(self, manager: JobManager, *, token: int, task_id: str, model: str | None) -> None:
        super().__init__(manager, token=token)
        self._task_id = task_id
        self._model = model

    def _work(self, runner: JobRunner, library: Library, cancel: threading.Event) -> None:
        job_id = runner.adopt(self._task_id, model=self._model)
        self._manager._post("jobCreated", self._token, job_id)
        if not self._manager.is_active(job_id):
            self._manager._cancel_event(job_id)
            self._manager._start_run(job_id, "resume")


class _RunTask(_Task):
    """Send a journaled job (or resume one) and see it through."""

    def __init__(self, manager: JobManager, *, job_id: int, action: str) -> None:
        super().__init__(manager, job_id=job_id)
        self._action = action

    def _work(self, runner: JobRunner, library: Library, cancel: threading.Event) -> None:
        assert self._job_id is not None
        self._manager._register_runner(self._job_id, runner)
        if self._action == "resume":
            runner.resume(self._job_id)
        elif cancel.is_set() or self._manager._stopping.is_set():
            if cancel.is_set():
                runner.cancel_unsent(self._job_id)
            # On shutdown the job simply stays queued in the journal; nothing was sent.
        else:
            runner.run(self._job_id)

    def _done(self) -> None:
        assert self._job_id is not None
        self._manager._forget(self._job_id)
        self._manager._post("jobFinished", self._job_id)


class JobManager(QObject):
    """Owns the worker pools. Signals are delivered in the UI thread.

    - `jobCreated(token, job_id)`: a submitted request is journaled (token from `submit`/`retry`)
    - `jobRefused(token, WanError)`: a request was refused before anything was sent
    - `jobEvent(JobEvent)`: any state change, server status, progress or landed image
    - `jobFinished(job_id)`: the worker for that job has ended (whatever the state)
    """

    jobCreated = Signal(int, int)
    jobRefused = Signal(int, object)
    jobEvent = Signal(object)
    jobFinished = Signal(int)

    def __init__(
        self,
        data_dir: Path,
        connection_provider: ConnectionProvider,
        *,
        concurrency: int = JOB_CONCURRENCY,
        client_factory: Callable[[Connection], object] | None = None,
        poll_interval: PollSchedule | tuple[float, float] | None = None,
        connection_for: ConnectionResolver | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        from wan27_desktop.jobs.runner import _default_client_factory, _default_resolver

        self.data_dir = data_dir
        self.connection_provider = connection_provider
        # A journaled job goes where it was sent: its region's key at its endpoint (issue 14).
        self.connection_for = connection_for or _default_resolver
        self.client_factory = client_factory or _default_client_factory
        self.poll_interval = poll_interval  # None: each request mode's own schedule
        # Not the widgets' named pools (jobs/background.py): one journal thread keeps requests
        # in the order they were made, and shutdown clears and waits for the runner pool alone.
        self._journal_pool = QThreadPool(self)
        self._journal_pool.setMaxThreadCount(1)
        self._pool = QThreadPool(self)  # sized by the concurrency setting (set_concurrency)
        self.set_concurrency(concurrency)
        self._mailbox = Mailbox.instance()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._cancels: dict[int, threading.Event] = {}
        self._runners: dict[int, JobRunner] = {}
        self._next_token = 1

    def set_concurrency(self, count: int) -> None:
        # §6: the account allows 5 tasks in progress, shared by both models.
        self._pool.setMaxThreadCount(max(1, min(MAX_TASKS_IN_PROGRESS, count)))

    def concurrency(self) -> int:
        return self._pool.maxThreadCount()

    def submit(self, request: GenerationRequest, request_mode: RequestMode, *, over_limit: bool = False) -> int:
        """Journal a request now and queue it to run; returns a token for `jobCreated`/`jobRefused`.
        A request that would cross a spending limit is refused (SpendLimitExceeded) unless
        `over_limit` (the user confirmed)."""
        token = self._take_token()
        self._journal_pool.start(
            _JournalTask(self, token=token, request=request, request_mode=request_mode, over_limit=over_limit)
        )
        return token

    def retry(self, job_id: int, *, over_limit: bool = False) -> int:
        """A new job with the same request (never automatic: the user asked); refused like a submit
        when it would cross a spending limit, unless `over_limit`."""
        token = self._take_token()
        self._journal_pool.start(_JournalTask(self, token=token, retry_of=job_id, over_limit=over_limit))
        return token

    def resume(self, job_id: int) -> None:
        self._cancel_event(job_id)
        self._start_run(job_id, "resume")

    def adopt(self, task_id: str, model: str | None = None) -> int:
        """Fetch a task of the current key by its id and land its images (Jobs › Fetch a Task by
        Id…); returns a token for `jobCreated` (the task's job, new or already held) or `jobRefused`
        (e.g. the service does not know the task)."""
        token = self._take_token()
        self._journal_pool.start(_AdoptTask(self, token=token, task_id=task_id, model=model))
        return token

    def resume_unfinished(self, library: Library) -> list[int]:
        """At start: resume every unfinished job of the journal (never resubmitting a create), and
        close jobs a previous session queued but never sent."""
        JobRunner(library, None).close_unsent_queued()
        unfinished = [job.id for job in library.jobs.unfinished()]
        in_batches = library.batches.member_job_ids(unfinished)  # their batch resumes them
        running_elsewhere = library.jobs.leased()  # another window or the `wan27` command runs them
        ids = [job_id for job_id in unfinished if job_id not in in_batches and job_id not in running_elsewhere]
        for job_id in ids:
            self.resume(job_id)
        return ids

    def cancel(self, job_id: int) -> bool:
        """The user's Cancel (the same rules as `wan27 jobs cancel`): a queued job is closed unsent;
        a task is canceled only when the service confirms it, and one it refuses (already running)
        goes on, is billed and lands; a request already with the service says so and lands its
        answer. False when this manager does not run the job."""
        with self._lock:
            event = self._cancels.get(job_id)
            runner = self._runners.get(job_id)
        if event is None:
            return False
        event.set()
        if runner is not None:
            runner.request_cancel()
        return True

    def is_active(self, job_id: int) -> bool:
        with self._lock:
            return job_id in self._cancels

    def active_count(self) -> int:
        with self._lock:
            return len(self._runners)

    def shutdown(self, wait_ms: int = 3000) -> bool:
        """Stop waiting on every job; each stays in the journal (queued, or resumable)."""
        self._stopping.set()
        self._journal_pool.waitForDone(wait_ms)  # a request being journaled is written, not lost
        with self._lock:
            runners = list(self._runners.values())
        for runner in runners:
            runner.abort()
        self._pool.clear()  # queued jobs stay queued in the journal; closed as unsent at next start
        done = self._pool.waitForDone(wait_ms)
        from wan27_desktop.library import LibraryPaths
        from wan27_desktop.library.leases import Leases

        leases = Leases(LibraryPaths(self.data_dir).leases_dir)
        with self._lock:
            never_started = list(self._cancels)
        for job_id in never_started:  # their leases, held since they were journaled, go now
            leases.release_reserved(job_id)
        return done

    # -- internals (called from worker threads) -----------------------------------------------
    def _post(self, signal: str, *args: object) -> None:
        """Emit `signal(*args)` on the UI thread (never from the worker itself, see mailbox.py)."""
        self._mailbox.post(self, lambda: getattr(self, signal).emit(*args))

    def _take_token(self) -> int:
        token = self._next_token
        self._next_token += 1
        return token

    def _start_run(self, job_id: int, action: str) -> None:
        if not self._stopping.is_set():
            self._pool.start(_RunTask(self, job_id=job_id, action=action))

    def _cancel_event(self, job_id: int) -> threading.Event:
        with self._lock:
            return self._cancels.setdefault(job_id, threading.Event())

    def _register_runner(self, job_id: int, runner: JobRunner) -> None:
        with self._lock:
            self._runners[job_id] = runner

    def _forget(self, job_id: int) -> None:
        with self._lock:
            self._cancels.pop(job_id, None)
            self._runners.pop(job_id, None)
