"""Run a journaled batch at the service's limits and never beyond (§6), crash-safe (issue 17).

`BatchScheduler.run()` blocks until every row it may touch has ended (or the batch is paused with
nothing in flight and then resumed, canceled or stopped). Its workers are plain threads, each with
its own `Library` connection and `JobRunner`; a row becomes a normal job at its turn:

1. wait for an in-progress slot of the account (library/budget.py; shared with every process of
   ours) - BEFORE the job is marked as being sent, so a crash while waiting costs nothing;
2. journal the job and link it to its row in one transaction (`BatchStore.link_row`): a row never
   gets a second job, whoever resumes it;
3. wait for a place in the account's send rate, again before the job is marked as being sent;
4. `JobRunner.run`: a 429 pauses every sender of the account and the create is tried again
   instead of failing the row (gate.py);
5. the slot is released when the task is no longer in progress on the service (the sync answer,
   or a terminal task status), so downloads never hold one.

Resuming (after a crash, a reboot, or Ctrl+C) takes the batch's lease (one process runs a batch),
then carries on every unfinished job of the batch the way `JobRunner.resume` does (never resending
a create), sends rows that were journaled as jobs but never sent, and makes jobs of the pending rows.

Pause: no further row is sent; rows in flight finish. Cancel: rows not yet sent are closed
("canceled", nothing billed); tasks still PENDING at the service are canceled there (§1.2); tasks
already running are seen through, since they will be billed. Stop (the app closes, Ctrl+C): nothing
new is sent, waiting jobs stay resumable, the batch state is kept for the next start.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wan27_desktop.api.errors import WanError
from wan27_desktop.api.models import RequestMode
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.jobs.batch.gate import GatedClient
from wan27_desktop.jobs.batch.journal import row_request
from wan27_desktop.jobs.batch.pacing import LearnedPolling
from wan27_desktop.jobs.batch.preview import DEFAULT_TASK_S, expected_duration
from wan27_desktop.jobs.runner import Connection, JobEvent, JobRunner
from wan27_desktop.library import JobRecord, JobState, Library
from wan27_desktop.library import batches as b
from wan27_desktop.library.batches import BatchCounts, BatchRow, RowTaken
from wan27_desktop.library.budget import (
    MAX_IN_PROGRESS,
    AccountBudget,
    BudgetCanceled,
    Permit,
    ProcessLiveness,
    Slot,
)

log = logging.getLogger("wan27.batch")

EXTRA_WORKERS = 2  # threads beyond the slots, so a freed slot is used while other rows download

_CANCELED_UNSENT = QT_TRANSLATE_NOOP("WanError", "The batch was canceled before this row was sent. Nothing was billed.")


class BatchBusy(WanError):
    default_hint = QT_TRANSLATE_NOOP("WanError", "Wait for it to finish there, or close that window or command.")


@dataclass(frozen=True)
class BatchUpdate:
    """A change worth showing: the batch's counts, its state, time left, and what just happened."""

    batch_id: int
    state: str
    counts: BatchCounts
    eta_s: float | None = None
    job_event: JobEvent | None = None
    finished_row: BatchRow | None = None
    finished_job: JobRecord | None = None  # the finished row's job, if it had one
    finished_images: tuple[str, ...] = ()  # paths of the finished row's images, in order
    throttled_for: float | None = None  # "rate-limited, retrying in N s"
    ended: bool = False  # the scheduler has returned


@dataclass
class _Item:
    position: int
    action: str  # "resume" an unfinished job, "run" a journaled but unsent job, "create" a job
    job_id: int | None = None


class BatchScheduler:
    def __init__(
        self,
        data_dir: Path,
        batch_id: int,
        connection: Connection,
        *,
        on_update: Callable[[BatchUpdate], None] | None = None,
        client_factory: Callable[[Connection], Any] | None = None,
        poll_interval: tuple[float, float] | None = None,
        max_in_progress: int = MAX_IN_PROGRESS,
        send: bool = True,
    ) -> None:
        """`client_factory` builds the raw client (default: DashScopeClient without its own create
        retries); it is always gated. `poll_interval`: None polls as each request mode does
        (Automatic adaptively, async every 5-10 s); a pair is for tests. `send=False` only carries
        on jobs already in flight and leaves the batch paused (the app's start: new rows wait until
        the user resumes it)."""
        self.data_dir = Path(data_dir)
        self.batch_id = batch_id
        self.connection = connection
        self._on_update = on_update
        self._raw_factory = client_factory or _raw_client
        self.poll_interval = poll_interval
        self.workers = max_in_progress + EXTRA_WORKERS
        self._send_allowed = send
        self._cond = threading.Condition()
        self._state = b.RUNNING
        self._persisted_state: str | None = None
        self._stopping = threading.Event()
        self._resume_items: deque[_Item] = deque()
        self._send_items: deque[_Item] = deque()
        self._busy = 0  # items workers are processing
        self._slots: dict[int, Slot] = {}  # job id -> its in-progress slot
        self._downloading: set[int] = set()  # jobs past the service: their results are billed
        self._submitted_at: dict[int, float] = {}  # job id -> when its task was created (monotonic)
        self._pacing = LearnedPolling()  # Automatic rows: polled when a task should be done
        self._runners: list[JobRunner] = []
        self._budget: AccountBudget | None = None
        self._mode = RequestMode.ASYNC
        self._started = time.monotonic()
        self._ended_here = 0
        self._last_counts = BatchCounts()
        self._lock = threading.Lock()

    # -- control (any thread) ---------------------------------------------------------------------
    def pause(self) -> None:
        self._set_state(b.PAUSED)

    def resume(self) -> None:
        self._send_allowed = True
        self._set_state(b.RUNNING)

    def cancel(self) -> None:
        self._set_state(b.CANCELED)

    def stop(self) -> None:
        """The app is closing (or Ctrl+C): send nothing more; jobs stay resumable as they are.
        A sync create already on the wire is seen through (its answer holds billed images)."""
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()

    @property
    def state(self) -> str:
        return self._state

    def in_flight(self) -> int:
        """Rows a worker is on right now (being sent, polled or downloaded)."""
        with self._cond:
            return self._busy

    def _set_state(self, state: str) -> None:
        with self._cond:
            if self._state in (b.CANCELED, b.FINISHED) and state != self._state:
                return  # a canceled batch is not resumed
            self._state = state
            self._cond.notify_all()

    # -- run --------------------------------------------------------------------------------------
    def run(self) -> BatchCounts:
        """Blocks until nothing more can happen: every row ended, or the batch is paused and
        nothing is in flight and it is not resumed, or `stop()`. Raises BatchBusy when another
        process runs this batch."""
        with Library.open(self.data_dir, reconcile=False) as library:
            liveness = ProcessLiveness.for_dir(library.library_dir / "sessions")
            store = library.batches
            batch = store.get_batch(self.batch_id)
            if not store.take_lease(self.batch_id, liveness.token, liveness.is_alive):
                raise BatchBusy(
                    QT_TRANSLATE_NOOP("WanError", "Batch {batch} is being run by another window or command."),
                    values={"batch": self.batch_id},
                )
            try:
                return self._run(library, batch)
            finally:
                store.release_lease(self.batch_id, liveness.token)

    def _run(self, library: Library, batch: b.BatchRecord) -> BatchCounts:
        self._budget = AccountBudget.shared(library.db_path, account=self.connection.base_url)
        self._mode = RequestMode(batch.request_mode)
        with self._cond:
            if batch.state in (b.CANCELED, b.FINISHED):
                self._state = batch.state
            elif not self._send_allowed:
                self._state = b.PAUSED  # the app's start: rows not yet sent wait for the user
            # else: running (also a paused batch: running it is resuming it), unless pause() or
            # cancel() was called before run() began
        self._plan(library)
        self._persist_state(library)
        self._emit(library)
        threads = [
            threading.Thread(target=self._worker, name=f"batch-{self.batch_id}-{i}", daemon=True)
            for i in range(self.workers)
        ]
        for thread in threads:
            thread.start()
        try:
            self._supervise(library, threads)
        except BaseException:
            self.stop()  # KeyboardInterrupt: everything stays resumable; re-raised
            raise
        counts = library.batches.counts(self.batch_id)
        if counts.all_ended and not self._stopping.is_set() and self._state != b.CANCELED:
            with self._cond:
                self._state = b.FINISHED
            library.batches.set_state(self.batch_id, b.FINISHED)
        self._emit(library, ended=True)
        return self._last_counts

    def _plan(self, library: Library) -> None:
        for row in library.batches.rows(self.batch_id):
            if row.row_state == b.ROW_PENDING:
                self._send_items.append(_Item(row.position, "create"))
            elif row.job_id is not None and row.job_state is JobState.QUEUED:
                self._send_items.append(_Item(row.position, "run", row.job_id))
            elif row.job_id is not None and row.job_state is not None and row.job_state.is_unfinished:
                self._resume_items.append(_Item(row.position, "resume", row.job_id))

    def _supervise(self, library: Library, threads: list[threading.Thread]) -> None:
        """The calling thread writes state changes to the journal until every worker is done, and
        follows a pause or cancel written there by another process (`wan27 batch pause|cancel`)."""
        while any(t.is_alive() for t in threads):
            if self._state != self._persisted_state:
                self._persist_state(library)
                self._emit(library)
            else:
                written = library.batches.get_batch(self.batch_id).state
                if written != self._persisted_state and written in (b.PAUSED, b.CANCELED):
                    self._set_state(written)
                    self._persist_state(library)
                    self._emit(library)
            with self._cond:
                self._cond.wait(0.25)
        if self._state != self._persisted_state:
            self._persist_state(library)

    def _persist_state(self, library: Library) -> None:
        state = self._state
        library.batches.set_state(self.batch_id, state)
        if state == b.CANCELED:
            self._cancel_unsent(library)
        self._persisted_state = state

    def _cancel_unsent(self, library: Library) -> None:
        """Rows not yet sent end as canceled; nothing of them was sent or billed."""
        with self._cond:
            items = list(self._send_items)
            self._send_items.clear()
            self._cond.notify_all()
        library.batches.cancel_pending(self.batch_id, _CANCELED_UNSENT)
        closer = JobRunner(library, None)
        for item in items:
            if item.action == "run" and item.job_id is not None:
                closer.cancel_unsent(item.job_id, _CANCELED_UNSENT)

    # -- workers ----------------------------------------------------------------------------------
    def _worker(self) -> None:
        try:
            with Library.open(self.data_dir, reconcile=False) as library:
                current: list[int | None] = [None]  # the job this worker is on
                prepaid: list[Permit] = []  # its first send, counted before it is marked as sending

                def canceled() -> bool:
                    return self._state == b.CANCELED

                def cancel_job() -> bool:
                    # A canceled batch stops what has not been sent and what the service has not
                    # started (the gate asks it to cancel a task and stops only if it did); a job
                    # already downloading holds billed images: never stopped.
                    return canceled() and current[0] not in self._downloading

                assert self._budget is not None
                budget, raw = self._budget, self._raw_factory

                def factory(connection: Connection) -> Any:
                    return GatedClient(
                        raw(connection),
                        budget,
                        should_stop=self._stopping.is_set,
                        cancel_requested=cancel_job,
                        on_throttled=self._throttled,
                        take_prepaid=lambda: prepaid.pop() if prepaid else None,
                    )

                runner = JobRunner(
                    library,
                    self.connection,
                    client_factory=factory,
                    on_event=lambda event: self._job_event(library, event),
                    poll_interval=self._poll_schedule(),
                    should_cancel=cancel_job,
                    should_stop=self._stopping.is_set,
                )
                with self._lock:
                    self._runners.append(runner)
                try:
                    while (item := self._next_item()) is not None:
                        current[0] = item.job_id
                        try:
                            self._process(library, runner, item, current, prepaid)
                        finally:
                            current[0] = None
                            with self._cond:
                                self._busy -= 1
                                self._cond.notify_all()
                finally:
                    runner.close()
        except Exception:
            log.exception("batch %s: a worker failed", self.batch_id)
            self.stop()

    def _poll_schedule(self) -> Any:
        """Automatic rows learn how long their tasks take (pacing.py); a test's fixed pace or an
        async batch's §6 pace (None: the runner's own) are kept as they are."""
        if self.poll_interval is None and self._mode is RequestMode.AUTO:
            return self._pacing
        return self.poll_interval

    def _next_item(self) -> _Item | None:
        with self._cond:
            while not self._stopping.is_set():
                if self._resume_items:
                    self._busy += 1
                    return self._resume_items.popleft()
                if self._state == b.RUNNING and self._send_allowed and self._send_items:
                    self._busy += 1
                    return self._send_items.popleft()
                may_send_later = bool(self._send_items) and self._send_allowed and self._state == b.PAUSED
                if self._busy == 0 and not may_send_later and self._state != b.CANCELED:
                    return None  # nothing in flight, nothing more to send
                if self._busy == 0 and self._state == b.CANCELED and not self._send_items:
                    return None
                self._cond.wait(0.5)
            return None

    def _process(
        self, library: Library, runner: JobRunner, item: _Item, current: list[int | None], prepaid: list[Permit]
    ) -> None:
        assert self._budget is not None
        if item.action == "resume":
            assert item.job_id is not None
            job = library.jobs.get(item.job_id)
            if job.state in (JobState.SUBMITTED, JobState.RUNNING):
                self._slots[job.id] = self._budget.take_running()  # in progress on the service now
            try:
                runner.resume(job.id)
            finally:
                self._release(job.id)
            self._row_ended(library, item.position)
            return
        try:
            slot = self._budget.acquire(lambda: self._stopping.is_set() or self._state != b.RUNNING)
        except BudgetCanceled:
            self._give_back(library, item)
            return
        job_id = item.job_id
        if item.action == "create":
            job_id = self._create(library, runner, item.position)
            if job_id is None:
                self._budget.release(slot)
                self._row_ended(library, item.position)
                return
        assert job_id is not None
        current[0] = job_id
        self._slots[job_id] = slot
        try:
            prepaid.append(self._budget.wait_send(lambda: self._stopping.is_set() or self._state != b.RUNNING))
        except BudgetCanceled:
            self._release(job_id)
            self._give_back(library, _Item(item.position, "run", job_id))
            return
        try:
            runner.run(job_id)
        finally:
            self._release(job_id)
            while prepaid:  # not used (the job ended before its create): its place is freed
                self._budget.withdraw(prepaid.pop())
        if library.jobs.get(job_id).state is JobState.QUEUED:  # stopped or canceled before it was sent
            self._give_back(library, _Item(item.position, "run", job_id))
            return
        self._row_ended(library, item.position)

    def _create(self, library: Library, runner: JobRunner, position: int) -> int | None:
        """The row's job, journaled and linked in one transaction; None if the row cannot be sent."""
        row = library.batches.row(self.batch_id, position)
        if row.row_state != b.ROW_PENDING:
            return None  # canceled meanwhile
        try:
            request = row_request(library, row.request_json)
            return runner.create(request, self._mode, on_insert=library.batches.link_row(self.batch_id, position))
        except RowTaken:
            return None
        except (WanError, OSError) as err:
            # Refused locally at its turn (a reference image became unreadable): never sent.
            message = err.message if isinstance(err, WanError) else str(err)
            library.batches.end_row(self.batch_id, position, b.ROW_FAILED, message)
            return None

    def _give_back(self, library: Library, item: _Item) -> None:
        """An item taken but not sent (paused, canceled or stopping meanwhile)."""
        with self._cond:
            canceled = self._state == b.CANCELED
            if not canceled:
                self._send_items.appendleft(item)
                self._cond.notify_all()
        if not canceled:
            return
        if item.action == "run" and item.job_id is not None:
            JobRunner(library, None).cancel_unsent(item.job_id, _CANCELED_UNSENT)
        else:
            library.batches.end_row(self.batch_id, item.position, b.ROW_CANCELED, _CANCELED_UNSENT)
        self._row_ended(library, item.position)

    def _release(self, job_id: int) -> None:
        with self._lock:
            slot = self._slots.pop(job_id, None)
        if slot is not None and self._budget is not None:
            self._budget.release(slot)

    # -- events -----------------------------------------------------------------------------------
    def _job_event(self, library: Library, event: JobEvent) -> None:
        if event.state is JobState.SUBMITTED and event.job_id not in self._submitted_at:
            self._submitted_at[event.job_id] = time.monotonic()
        if event.state is JobState.DOWNLOADING or event.state.is_terminal:
            submitted = self._submitted_at.pop(event.job_id, None)
            if submitted is not None and event.state is JobState.DOWNLOADING:
                self._pacing.learn(time.monotonic() - submitted)
            self._downloading.add(event.job_id)
            self._release(event.job_id)  # no longer in progress on the service
        self._emit(library, job_event=event, counts=event.state in _COUNTED)

    def _throttled(self, pause: float) -> None:
        if self._on_update is not None:
            self._on_update(BatchUpdate(self.batch_id, self._state, self._last_counts, throttled_for=pause))

    def _row_ended(self, library: Library, position: int) -> None:
        row = library.batches.row(self.batch_id, position)
        if row.status in ("queued", "running"):
            return  # e.g. downloads left to retry: resumed later
        with self._lock:
            self._ended_here += 1
        job = library.jobs.get(row.job_id) if row.job_id is not None else None
        images = tuple(str(image.path) for image in library.images.of_job(job.id)) if job else ()
        self._emit(library, finished_row=row, finished_job=job, finished_images=images)

    def _emit(
        self,
        library: Library,
        *,
        job_event: JobEvent | None = None,
        finished_row: BatchRow | None = None,
        finished_job: JobRecord | None = None,
        finished_images: tuple[str, ...] = (),
        counts: bool = True,
        ended: bool = False,
    ) -> None:
        if counts or finished_row is not None or ended:
            self._last_counts = library.batches.counts(self.batch_id)
        if self._on_update is None:
            return
        self._on_update(
            BatchUpdate(
                self.batch_id,
                self._state,
                self._last_counts,
                eta_s=self._eta(self._last_counts),
                job_event=job_event,
                finished_row=finished_row,
                finished_job=finished_job,
                finished_images=finished_images,
                ended=ended,
            )
        )

    def _eta(self, counts: BatchCounts) -> float | None:
        left = counts.queued + counts.running
        if left == 0:
            return 0.0
        elapsed = time.monotonic() - self._started
        if self._ended_here >= 2 and elapsed > 0:
            return left / (self._ended_here / elapsed)
        return expected_duration(left, DEFAULT_TASK_S)


def _raw_client(connection: Connection) -> Any:
    """DashScopeClient without create retries: the gate retries what may be retried (gate.py)."""
    from wan27_desktop.api.client import DashScopeClient
    from wan27_desktop.api.retry import NO_RETRY

    return DashScopeClient(connection.api_key, connection.base_url, retry_policy=NO_RETRY)


_COUNTED = frozenset(
    {
        JobState.SUBMITTING,
        JobState.DOWNLOADING,
        JobState.DONE,
        JobState.PARTIAL,
        JobState.FAILED,
        JobState.CANCELED,
        JobState.INTERRUPTED,
        JobState.EXPIRED,
    }
)


def cancel_idle_batch(library: Library, batch_id: int) -> int:
    """Cancel a batch from outside its runner: mark it canceled (a process running it follows),
    and if no process runs it, close its unsent rows here. Returns the rows closed here."""
    store = library.batches
    store.set_state(batch_id, b.CANCELED)
    batch = store.get_batch(batch_id)
    liveness = ProcessLiveness.for_dir(library.library_dir / "sessions")
    if batch.owner and liveness.is_alive(batch.owner):
        return 0
    closed = store.cancel_pending(batch_id, _CANCELED_UNSENT)
    closer = JobRunner(library, None)
    for row in store.rows(batch_id):
        if row.job_id is not None and row.job_state is JobState.QUEUED:
            closer.cancel_unsent(row.job_id, _CANCELED_UNSENT)
            closed += 1
    return closed
