"""The bridge from the Qt-free runner to the UI: QRunnables on a QThreadPool, results as signals.

Workers never touch widgets. Each worker opens its own `Library` (one SQLite connection per
thread) and its own HTTP client; progress crosses to the UI thread as queued signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..api.errors import WanError
from ..api.models import GenerationRequest, RequestMode
from ..api.rules import MAX_TASKS_IN_PROGRESS
from ..library import JobState, Library
from .runner import Connection, JobRunner

log = logging.getLogger("wan27.jobs.qt")

ConnectionProvider = Callable[[], "Connection | None"]


class _WorkerSignals(QObject):
    event = Signal(object)  # JobEvent
    created = Signal(int, int)  # token, job id
    refused = Signal(int, object)  # token, WanError
    finished = Signal(int)  # job id


class _JobTask(QRunnable):
    """Create (when given a request) and run one job, or resume / retry an existing one."""

    def __init__(self, manager: JobManager, *, token: int = 0, request: GenerationRequest | None = None,
                 request_mode: RequestMode = RequestMode.SYNC, job_id: int | None = None,
                 action: str = "run") -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._manager = manager
        self._signals = manager._signals
        self._token = token
        self._request = request
        self._request_mode = request_mode
        self._job_id = job_id
        self._action = action

    def run(self) -> None:  # worker thread
        cancel = threading.Event()
        stop = self._manager._stopping
        try:
            with Library.open(self._manager.data_dir) as library:
                runner = JobRunner(library, self._manager.connection_provider(),
                                   client_factory=self._manager.client_factory,
                                   on_event=self._signals.event.emit,
                                   poll_interval=self._manager.poll_interval,
                                   should_cancel=cancel.is_set, should_stop=stop.is_set)
                try:
                    self._work(runner, cancel)
                finally:
                    runner.close()
        except WanError as err:
            self._signals.refused.emit(self._token, err)
        finally:
            if self._job_id is not None:
                self._manager._forget(self._job_id)
                self._signals.finished.emit(self._job_id)

    def _work(self, runner: JobRunner, cancel: threading.Event) -> None:
        if self._action == "retry":
            assert self._job_id is not None
            self._job_id = runner.retry(self._job_id)
            self._signals.created.emit(self._token, self._job_id)
        elif self._request is not None:
            self._job_id = runner.create(self._request, self._request_mode)
            self._signals.created.emit(self._token, self._job_id)
        assert self._job_id is not None
        self._manager._register(self._job_id, cancel, runner)
        if cancel.is_set():
            return
        if self._action == "resume":
            runner.resume(self._job_id)
        else:
            runner.run(self._job_id)


class JobManager(QObject):
    """Owns the worker pool. Signals are delivered in the UI thread.

    - `jobCreated(token, job_id)`: a submitted request is journaled (token from `submit`)
    - `jobRefused(token, WanError)`: a request was refused before anything was sent
    - `jobEvent(JobEvent)`: any state change, server status, progress or landed image
    - `jobFinished(job_id)`: the worker for that job has ended (whatever the state)
    """

    jobCreated = Signal(int, int)
    jobRefused = Signal(int, object)
    jobEvent = Signal(object)
    jobFinished = Signal(int)

    def __init__(self, data_dir: Path, connection_provider: ConnectionProvider, *, concurrency: int = 2,
                 client_factory: Callable[[Connection], object] | None = None,
                 poll_interval: tuple[float, float] = (5.0, 10.0), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.connection_provider = connection_provider
        from .runner import _default_client_factory

        self.client_factory = client_factory or _default_client_factory
        self.poll_interval = poll_interval
        self._pool = QThreadPool(self)
        self.set_concurrency(concurrency)
        self._signals = _WorkerSignals(self)
        self._signals.event.connect(self.jobEvent)
        self._signals.created.connect(self.jobCreated)
        self._signals.refused.connect(self.jobRefused)
        self._signals.finished.connect(self.jobFinished)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._active: dict[int, tuple[threading.Event, JobRunner]] = {}
        self._next_token = 1

    def set_concurrency(self, count: int) -> None:
        # §6: the account allows 5 tasks in progress, shared by both models.
        self._pool.setMaxThreadCount(max(1, min(MAX_TASKS_IN_PROGRESS, count)))

    def concurrency(self) -> int:
        return self._pool.maxThreadCount()

    def submit(self, request: GenerationRequest, request_mode: RequestMode) -> int:
        """Queue a request; returns a token that `jobCreated`/`jobRefused` will carry."""
        token = self._next_token
        self._next_token += 1
        self._pool.start(_JobTask(self, token=token, request=request, request_mode=request_mode))
        return token

    def resume(self, job_id: int) -> None:
        self._pool.start(_JobTask(self, job_id=job_id, action="resume"))

    def retry(self, job_id: int) -> int:
        token = self._next_token
        self._next_token += 1
        self._pool.start(_JobTask(self, token=token, job_id=job_id, action="retry"))
        return token

    def resume_unfinished(self, library: Library) -> list[int]:
        """Resume every unfinished job of the journal (at start). Never resubmits a create."""
        ids = [job.id for job in library.unfinished_jobs()]
        for job_id in ids:
            self.resume(job_id)
        return ids

    def cancel(self, job_id: int) -> bool:
        """Ask a running job to stop: a PENDING task is canceled on the server, otherwise locally."""
        with self._lock:
            entry = self._active.get(job_id)
        if entry is None:
            return False
        entry[0].set()
        return True

    def is_active(self, job_id: int) -> bool:
        with self._lock:
            return job_id in self._active

    def active_count(self) -> int:
        with self._lock:
            return len(self._active)

    def shutdown(self, wait_ms: int = 3000) -> bool:
        """Stop waiting on every job (they stay resumable in the journal) and wait for workers."""
        self._stopping.set()
        with self._lock:
            for _cancel, runner in self._active.values():
                runner.abort()
        self._pool.clear()
        return self._pool.waitForDone(wait_ms)

    def _register(self, job_id: int, cancel: threading.Event, runner: JobRunner) -> None:
        with self._lock:
            self._active[job_id] = (cancel, runner)

    def _forget(self, job_id: int) -> None:
        with self._lock:
            self._active.pop(job_id, None)


def is_terminal(state: JobState) -> bool:
    return state in (JobState.DONE, JobState.PARTIAL, JobState.FAILED, JobState.CANCELED,
                     JobState.INTERRUPTED, JobState.EXPIRED)
