"""Jobs of other windows and `wan27` commands in this window's job queue, live, and today's spend as
the library says it.

Every `WATCH_INTERVAL_MS` a worker asks the window's library connection whether anyone committed a
change since the last look (SQLite's `data_version`: one pragma, no table read), and whether the
processes running the jobs it follows still hold them (a killed process writes nothing). Only then it reads
the jobs journaled since the newest one on the board (a primary-key range), the unfinished jobs
(indexed by state), the rows it already follows, who holds which job (`Leases.held`), and today's
spend. The board (`JobBoard.apply_elsewhere`) shows another process's job as running there, follows
it to its end, and pauses it here when its process ends without finishing it (Resume carries it
on: nothing paid for is left behind). The status bar's spend then counts what other processes spent.
"""

from __future__ import annotations

import contextlib
import logging
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from collections.abc import Callable

    from wan27_desktop.jobs.background import BackgroundWork
    from wan27_desktop.library import JobRecord, Library
    from wan27_desktop.workspace.board import JobBoard
    from wan27_desktop.workspace.service import ServiceState

log = logging.getLogger("wan27.workspace")

WATCH_INTERVAL_MS = 2000


class JournalLook:
    """One look's answer, read on a worker. A plain class (see `JournalLoad`)."""

    __slots__ = ("version", "records", "held_elsewhere", "batch_of", "spend")

    def __init__(
        self,
        version: int,
        records: list[tuple[JobRecord, int]],
        held_elsewhere: dict[int, str],
        batch_of: dict[int, int],
        spend: Decimal,
    ) -> None:
        self.version = version
        self.records = records
        self.held_elsewhere = held_elsewhere
        self.batch_of = batch_of
        self.spend = spend


def look(
    library: Library, version: int | None, after_id: int, followed: list[int], elsewhere: list[int]
) -> JournalLook | None:
    """What changed in the journal since the look that saw `version` (None when nothing did).
    `followed`: jobs on the board to read again; `elsewhere`: those of them run by another process,
    whose leases are looked at even when nothing was written (a process killed writes nothing).
    Jobs this process holds are left out: their own events tell the board."""
    from wan27_desktop.library import NotFound

    now = library.db.data_version()
    held_elsewhere = None
    if now == version:
        if not elsewhere:
            return None
        held_elsewhere = library.leases.held(elsewhere=True)
        if all(job_id in held_elsewhere for job_id in elsewhere):
            return None
    jobs = {job.id: job for job in library.jobs.after(after_id)}
    jobs.update((job.id, job) for job in library.jobs.unfinished())
    for job_id in followed:
        if job_id not in jobs:
            with contextlib.suppress(NotFound):
                jobs[job_id] = library.jobs.get(job_id)
    here = library.leases.held_here()
    if held_elsewhere is None:
        held_elsewhere = library.leases.held(elsewhere=True)
    records = [(job, len(library.images.of_job(job.id))) for job_id, job in sorted(jobs.items()) if job_id not in here]
    return JournalLook(
        now,
        records,
        held_elsewhere,
        library.batches.batch_ids(job.id for job, _done in records),
        library.ledger.spend_today(),
    )


class JournalWatch(QObject):
    """Looks at the journal every `WATCH_INTERVAL_MS` while started (see the module)."""

    def __init__(
        self,
        board: JobBoard,
        service: ServiceState,
        background: BackgroundWork,
        reader: Callable[[], Library | None],
        ours: Callable[[JobRecord], bool],
        parent: QObject | None = None,
    ) -> None:
        """`reader()`: the window's library, or None; `ours(record)`: a job this window is starting
        without a lease yet (a task being fetched by its id)."""
        super().__init__(parent)
        self._board, self._service, self._background = board, service, background
        self._reader, self._ours = reader, ours
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.look_now)
        self._version: int | None = None
        self._library: Library | None = None  # whose version `_version` is
        self._busy = False
        self._failing = False

    def start(self, interval_ms: int = WATCH_INTERVAL_MS) -> None:
        self._timer.setInterval(interval_ms)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def look_now(self) -> None:
        library = self._reader()
        if library is None or self._busy:
            return  # no library yet, or the last look still runs (a busy library): skip this one
        if library is not self._library:  # another connection: its versions are its own
            self._library, self._version = library, None
        rows = [row for row in self._board.rows() if not row.placeholder]
        after_id = max((row.job_id for row in rows), default=0)
        followed = [row.job_id for row in rows if row.running_elsewhere or row.idle]
        elsewhere = [row.job_id for row in rows if row.running_elsewhere]
        version = self._version
        self._busy = True
        self._background.run(
            lambda: look(library, version, after_id, followed, elsewhere),
            lambda result: self._looked(library, result),
            self._failed,
        )

    def _looked(self, library: Library, result: JournalLook | None) -> None:
        self._busy = False
        self._failing = False
        if result is None or library is not self._reader():
            return
        self._version = result.version
        records = [(job, done) for job, done in result.records if not self._ours(job)]
        self._board.apply_elsewhere(records, result.held_elsewhere, result.batch_of)
        self._service.spend_today = result.spend

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        if not self._failing:  # said once; the next look tries again
            log.warning("the job queue cannot look at the journal: %s", error)
        self._failing = True
