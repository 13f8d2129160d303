"""The bridge from batch schedulers to the UI: each batch runs on a plain thread of its own (its
scheduler has its own workers); what the UI shows reaches the UI thread through the Mailbox (no Qt
call on a worker, see jobs/mailbox.py), coalesced so a fast batch costs the UI at most one update
every FLUSH_MS, not one per event.

Signals (UI thread):
- `batchStarted(token, batch_id)`: a new batch is journaled and running
- `batchRefused(token, WanError)`: refused before anything was sent (a spending limit, no key...)
- `batchUpdated(BatchProgress)`: the latest counts, plus the rows that ended since the last one
- `batchEnded(batch_id)`: its scheduler returned (finished, paused with nothing in flight, stopped)
- `jobEvent(batch_id, JobEvent)`: every event of every row's job (the workspace's job board, so the
  job queue, the stage and the gallery show them)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from wan27_desktop.api.errors import WanError
from wan27_desktop.api.models import Region, RequestMode
from wan27_desktop.jobs.batch.journal import journal_batch
from wan27_desktop.jobs.batch.scheduler import BatchScheduler, BatchUpdate
from wan27_desktop.jobs.batch.sources import BatchPlan
from wan27_desktop.jobs.mailbox import Mailbox
from wan27_desktop.jobs.runner import Connection
from wan27_desktop.library import Library
from wan27_desktop.library.batches import BatchRow

log = logging.getLogger("wan27.batch.qt")

ConnectionProvider = Callable[[Region], Connection]
FLUSH_MS = 200
WINDOW_WAIT_S = 1.0  # the longest a new batch's first send waits for its window (`start(wait_for_window=True)`)


@dataclass
class BatchProgress:
    """What a batch's window shows: its latest update and the rows that ended since the last one."""

    batch_id: int
    update: BatchUpdate
    finished: list[BatchRow] = field(default_factory=list)
    throttled_for: float | None = None


class BatchManager(QObject):
    batchStarted = Signal(int, int)
    batchRefused = Signal(int, object)
    batchUpdated = Signal(object)
    batchEnded = Signal(int)
    jobEvent = Signal(int, object)

    def __init__(
        self,
        data_dir: Path,
        connection_provider: ConnectionProvider,
        *,
        poll_interval: tuple[float, float] | None = None,
        client_factory: Callable[[Connection], Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`connection_provider(region)` resolves the key (it may block: called on a worker)."""
        super().__init__(parent)
        self.data_dir = data_dir
        self.connection_provider = connection_provider
        self.poll_interval = poll_interval
        self.client_factory = client_factory
        self._mailbox = Mailbox.instance()
        self._lock = threading.Lock()
        self._schedulers: dict[int, BatchScheduler] = {}
        self._threads: dict[int, threading.Thread] = {}
        self._pending: dict[int, BatchProgress] = {}
        # What a batch's window shows changes many times a second; it is shown at most every
        # FLUSH_MS (rows that ended meanwhile are all kept in the next update).
        self._flush_timer = QTimer(self, singleShot=True, interval=FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush)
        self._next_token = 1
        self._window_waits: dict[int, threading.Event] = {}  # batch id -> set once its window is up

    # -- starting -----------------------------------------------------------------------------------
    def start(
        self,
        plan: BatchPlan,
        region: Region,
        request_mode: RequestMode,
        *,
        name: str | None = None,
        over_limit: bool = False,
        wait_for_window: bool = False,
    ) -> int:
        """Journal `plan` and run it; returns a token for `batchStarted`/`batchRefused`. The spending
        limits are checked again here (the journal may have moved since the preview).

        `wait_for_window`: the first row is sent only once `window_ready(batch_id)` is called (or
        after WINDOW_WAIT_S). The window that `batchStarted` opens, its rows and its first paint
        then have the UI thread to themselves, and the first rows' jobs, cards and events come after
        them instead of in the same few turns of the event loop (the largest UI stall of a batch
        came from that moment). It costs the batch a fraction of a second, once."""
        token = self._next_token
        self._next_token += 1

        def begin() -> None:
            from wan27_desktop.jobs.batch.preview import make_preview
            from wan27_desktop.jobs.spending import SpendLimitExceeded

            try:
                connection = self.connection_provider(region)
                with Library.open(self.data_dir, reconcile=False) as library:
                    preview = make_preview(plan, region, library)
                    if preview.over_limit and not over_limit:
                        period, limit, spent = preview.crossings[0]
                        assert preview.spend is not None
                        raise SpendLimitExceeded(preview.spend, preview.cost, period, limit, spent)
                    batch_id = journal_batch(
                        library, plan, region=region, endpoint=connection.base_url, request_mode=request_mode, name=name
                    )
            except (WanError, OSError) as err:
                self._refused(token, err if isinstance(err, WanError) else WanError(str(err)))
                return
            shown = threading.Event() if wait_for_window else None
            if shown is not None:
                with self._lock:
                    self._window_waits[batch_id] = shown
            self._run(
                batch_id, connection, send=True, started=lambda: self.batchStarted.emit(token, batch_id), shown=shown
            )

        # A thread of its own: the scheduler blocks until the batch ends (daemon: the app may quit
        # meanwhile; everything stays resumable in the journal).
        threading.Thread(target=begin, name="batch-start", daemon=True).start()
        return token

    def resume(self, batch_id: int) -> None:
        """Carry a paused or interrupted batch on (or unpause one that is running here)."""
        with self._lock:
            running = self._schedulers.get(batch_id)
        if running is not None:
            running.resume()
            return

        def begin() -> None:
            try:
                with Library.open(self.data_dir, reconcile=False) as library:
                    region = Region(library.batches.get_batch(batch_id).region)
                connection = self.connection_provider(region)
            except WanError as err:
                self._refused(0, err)
                return
            self._run(batch_id, connection, send=True)

        threading.Thread(target=begin, name=f"batch-{batch_id}-resume", daemon=True).start()

    def resume_in_flight(self, batch_ids: list[int]) -> None:
        """At start: carry on the jobs of these batches already sent (they are paid for); rows not
        yet sent wait until the user resumes the batch, which shows as paused meanwhile."""
        for batch_id in batch_ids:

            def begin(batch_id: int = batch_id) -> None:
                try:
                    with Library.open(self.data_dir, reconcile=False) as library:
                        region = Region(library.batches.get_batch(batch_id).region)
                    connection = self.connection_provider(region)
                except WanError as err:
                    log.info("batch %s not resumed at start: %s", batch_id, err)
                    return
                self._run(batch_id, connection, send=False)

            threading.Thread(target=begin, name=f"batch-{batch_id}-start", daemon=True).start()

    # -- control (UI thread) --------------------------------------------------------------------------
    def pause(self, batch_id: int) -> bool:
        return self._control(batch_id, "pause")

    def cancel(self, batch_id: int) -> bool:
        """Cancel a running batch; one not running here is canceled in the journal directly."""
        if self._control(batch_id, "cancel"):
            return True

        def cancel_idle() -> None:
            from wan27_desktop.jobs.batch.scheduler import cancel_idle_batch

            with Library.open(self.data_dir, reconcile=False) as library:
                cancel_idle_batch(library, batch_id)
            self._post(lambda: self.batchEnded.emit(batch_id))

        threading.Thread(target=cancel_idle, name=f"batch-{batch_id}-cancel", daemon=True).start()
        return False

    def window_ready(self, batch_id: int) -> None:
        """The window of a batch started with `wait_for_window` is up: its rows may be sent."""
        with self._lock:
            shown = self._window_waits.pop(batch_id, None)
        if shown is not None:
            shown.set()

    def is_running(self, batch_id: int) -> bool:
        with self._lock:
            return batch_id in self._schedulers

    def running(self) -> list[int]:
        with self._lock:
            return sorted(self._schedulers)

    def shutdown(self, wait_s: float = 3.0) -> bool:
        """Stop every batch; jobs stay resumable. True if every scheduler ended in time."""
        with self._lock:
            schedulers = list(self._schedulers.values())
            threads = list(self._threads.values())
        for scheduler in schedulers:
            scheduler.stop()
        for thread in threads:
            thread.join(wait_s)
        return not any(thread.is_alive() for thread in threads)

    def _control(self, batch_id: int, action: str) -> bool:
        with self._lock:
            scheduler = self._schedulers.get(batch_id)
        if scheduler is None:
            return False
        getattr(scheduler, action)()
        return True

    # -- running (batch threads) ----------------------------------------------------------------------
    def _run(
        self,
        batch_id: int,
        connection: Connection,
        *,
        send: bool,
        started: Callable[[], None] | None = None,
        shown: threading.Event | None = None,
    ) -> None:
        """Run the batch on this thread; `started` is posted once pause/cancel can reach it, and
        then the run waits for `shown` (at most WINDOW_WAIT_S)."""
        scheduler = BatchScheduler(
            self.data_dir,
            batch_id,
            connection,
            on_update=self._on_update,
            client_factory=self.client_factory,
            poll_interval=self.poll_interval,
            send=send,
        )
        with self._lock:
            if batch_id in self._schedulers:
                return  # already running here
            self._schedulers[batch_id] = scheduler
            self._threads[batch_id] = threading.current_thread()
        if started is not None:
            self._post(started)
        try:
            if shown is not None:
                shown.wait(WINDOW_WAIT_S)  # a pause, cancel or stop meanwhile is seen by run()
                with self._lock:
                    self._window_waits.pop(batch_id, None)
            scheduler.run()
        except WanError as err:  # BatchBusy: another process runs it
            self._refused(0, err)
        except Exception:
            log.exception("batch %s stopped on an unexpected error", batch_id)
            raise
        finally:
            with self._lock:
                self._schedulers.pop(batch_id, None)
                self._threads.pop(batch_id, None)
            self._post(lambda: self.batchEnded.emit(batch_id))

    def _on_update(self, update: BatchUpdate) -> None:
        if update.job_event is not None:
            event, batch_id = update.job_event, update.batch_id
            self._post(lambda: self.jobEvent.emit(batch_id, event))
        with self._lock:
            progress = self._pending.get(update.batch_id)
            first = progress is None
            if progress is None:
                progress = self._pending[update.batch_id] = BatchProgress(update.batch_id, update)
            if update.throttled_for is not None:
                progress.throttled_for = update.throttled_for
            else:
                progress.update = update
            if update.finished_row is not None:
                progress.finished.append(update.finished_row)
        if first or update.ended:
            self._post(self._schedule_flush)

    def _schedule_flush(self) -> None:  # UI thread
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:  # UI thread: at most every FLUSH_MS
        with self._lock:
            pending = list(self._pending.values())
            self._pending.clear()
        for progress in pending:
            self.batchUpdated.emit(progress)

    def _refused(self, token: int, error: WanError) -> None:
        self._post(lambda: self.batchRefused.emit(token, error))

    def _post(self, fn: Callable[[], None]) -> None:
        self._mailbox.post(self, fn)
