"""The account's submission budget, shared by every process of ours through the library (§6).

The service allows 5 task submissions per second and 5 tasks in progress per account; a batch
runs at exactly that and never beyond, even when another window or a `wan27` command uses the same
key. Every sender asks `acquire()` before a create: it returns a slot when fewer than 5 slots are
held and fewer than 5 creates were sent in the last second (plus a margin: our clock is not the
service's), and no throttling pause is in force; else it waits. The slot is released when the task
is no longer in progress (the sync answer, or a terminal task status). A 429 from the service
(`throttled`) pauses every sender of the account, with exponential backoff that later successes
lower again.

Where it lives: three small tables in the library's SQLite (budget_slots, budget_sends,
budget_throttle), on a connection of its own with `synchronous = NORMAL`: the budget is not money,
and losing its last second on a power cut costs nothing. A process that dies holding slots cannot
block the others: each process holds an OS lock on `library/sessions/<token>.alive` while it lives,
and a slot whose holder's lock can be taken is stale and removed.

Qt-free; one `AccountBudget` per (library, account) and process (`AccountBudget.shared`), so the
threads of one process wake each other at once instead of polling.
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from wan27_desktop.library.db import Database
from wan27_desktop.library.sessions import _try_lock

MAX_IN_PROGRESS = 5  # §6: tasks in progress per account
MAX_PER_SECOND = 5  # §6: task submissions per second per account
RATE_WINDOW_S = 1.15  # one second, plus a margin for the time a request takes to reach the service
FRESH_S = 0.1  # a send counted this long ago may still go out: it stays inside that margin
POLL_S = 0.2  # how often a waiting sender looks again for a slot freed by another process (this
# process's own releases wake it at once)
MAX_PAUSE_S = 60.0  # §6: throttling normally clears within a minute
ALIVE_SUFFIX = ".alive"


class BudgetCanceled(Exception):
    """`acquire` was asked to stop waiting (the job or batch was canceled or the app is closing)."""


@dataclass(frozen=True)
class Slot:
    id: int
    account: str


@dataclass(frozen=True)
class Permit:
    """One send counted in the account's rate at time `at`."""

    id: int
    at: float


@dataclass(frozen=True)
class BudgetState:
    in_progress: int
    sent_last_second: int
    paused_for: float  # seconds left of a throttling pause (0: none)


class ProcessLiveness:
    """This process's token, and whether another token's process still lives (see module doc)."""

    _by_dir: dict[Path, ProcessLiveness] = {}
    _registry_lock = threading.Lock()

    def __init__(self, sessions_dir: Path) -> None:
        self.sessions_dir = sessions_dir
        self.token = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        sessions_dir.mkdir(parents=True, exist_ok=True)
        self._handle: IO[str] | None = (sessions_dir / f"{self.token}{ALIVE_SUFFIX}").open("a+", encoding="utf-8")
        if not _try_lock(self._handle):
            raise OSError(f"cannot lock {self._handle.name}")
        self._seen: dict[str, tuple[bool, float]] = {}

    @classmethod
    def for_dir(cls, sessions_dir: Path) -> ProcessLiveness:
        with cls._registry_lock:
            found = cls._by_dir.get(sessions_dir)
            if found is None or found._handle is None:
                found = cls._by_dir[sessions_dir] = cls(sessions_dir)
            return found

    def is_alive(self, token: str) -> bool:
        """Whether the process that holds `token` still runs; cached for a second."""
        if token == self.token:
            return True
        cached = self._seen.get(token)
        now = time.monotonic()
        if cached is not None and now - cached[1] < 1.0:
            return cached[0]
        path = self.sessions_dir / f"{token}{ALIVE_SUFFIX}"
        try:
            handle = path.open("r+", encoding="utf-8")
        except OSError:
            alive = False  # no file: the process ended cleanly, or the token is not ours
        else:
            with handle:
                alive = not _try_lock(handle)
            if not alive:
                path.unlink(missing_ok=True)
        self._seen[token] = (alive, now)
        return alive

    def close(self) -> None:
        if self._handle is not None:
            path = Path(self._handle.name)
            path.unlink(missing_ok=True)
            self._handle.close()
            self._handle = None


class AccountBudget:
    """Slots and the send rate of one account, shared across the processes using one library."""

    _shared: dict[tuple[Path, str], AccountBudget] = {}
    _registry_lock = threading.Lock()

    def __init__(
        self,
        db_path: Path,
        account: str,
        *,
        max_in_progress: int = MAX_IN_PROGRESS,
        max_per_second: int = MAX_PER_SECOND,
        liveness: ProcessLiveness | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db_path = db_path
        self.account = account
        self.max_in_progress = max_in_progress
        self.max_per_second = max_per_second
        self.liveness = liveness or ProcessLiveness.for_dir(db_path.parent / "sessions")
        self._clock = clock
        self._db = Database(db_path)  # never a second descriptor of the file: see db.connect
        self._conn = self._db.conn
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._changed = threading.Condition()

    @classmethod
    def shared(cls, db_path: Path, account: str) -> AccountBudget:
        """The process's budget for this library and account (its threads share it)."""
        key = (Path(db_path), account)
        with cls._registry_lock:
            found = cls._shared.get(key)
            if found is None:
                found = cls._shared[key] = cls(Path(db_path), account)
            return found

    # -- senders ----------------------------------------------------------------------------------
    def acquire(self, should_stop: Callable[[], bool] | None = None, *, timeout: float | None = None) -> Slot:
        """Wait for a slot (fewer than `max_in_progress` held, no throttling pause): taken before a
        job is marked as being sent, and held while its task is in progress. Raises BudgetCanceled
        when `should_stop` says so (checked at least every POLL_S) or `timeout` passes."""
        return self._wait(self._try_slot, should_stop, timeout)

    def wait_send(self, should_stop: Callable[[], bool] | None = None, *, timeout: float | None = None) -> Permit:
        """Wait for a place in the send rate (and the end of a throttling pause), and count this
        send: called right before each create request goes out, retries included."""
        permit: Permit = self._wait(self._try_send, should_stop, timeout)
        return permit

    def is_fresh(self, permit: Permit) -> bool:
        """Whether a send counted at `permit` may still go out now without breaking the rate: it
        must leave within FRESH_S of being counted (the margin of RATE_WINDOW_S)."""
        return self._clock() - permit.at <= FRESH_S

    def withdraw(self, permit: Permit) -> None:
        """A counted send that will not go out (or not now): its place is freed."""
        with self._db.write():
            self._conn.execute("DELETE FROM budget_sends WHERE rowid = ?", (permit.id,))
        with self._changed:
            self._changed.notify_all()

    def _wait(
        self,
        attempt: Callable[[], tuple[Any, float]],
        should_stop: Callable[[], bool] | None,
        timeout: float | None,
    ) -> Any:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if should_stop is not None and should_stop():
                raise BudgetCanceled("stopped waiting for the account's budget")
            got, wait = attempt()
            if got is not None:
                return got
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BudgetCanceled("the account's budget stayed full")
                wait = min(wait, left)
            with self._changed:
                self._changed.wait(min(wait, POLL_S) if should_stop is not None else wait)

    def take_running(self) -> Slot:
        """A task already in progress on the service (a job resumed after a restart): counted at
        once, never waited for, so new sends leave room for it."""
        with self._db.write():
            return self._insert_slot()

    def release(self, slot: Slot) -> None:
        with self._db.write():
            self._conn.execute("DELETE FROM budget_slots WHERE id = ?", (slot.id,))
        with self._changed:
            self._changed.notify_all()

    def throttled(self, retry_after: float | None = None) -> float:
        """The service answered 429: pause every sender of the account. Returns the pause (s)."""
        now = self._clock()
        with self._db.write():
            row = self._conn.execute(
                "SELECT not_before, level FROM budget_throttle WHERE account = ?", (self.account,)
            ).fetchone()
            level = min((row[1] if row else 0) + 1, 7)
            backoff = min(MAX_PAUSE_S, 2.0 ** (level - 1)) * (0.5 + random.random() / 2)
            pause = min(MAX_PAUSE_S, retry_after) if retry_after is not None else backoff
            not_before = max(row[0] if row else 0.0, now + pause)
            self._conn.execute(
                "INSERT INTO budget_throttle(account, not_before, level) VALUES (?, ?, ?) "
                "ON CONFLICT(account) DO UPDATE SET not_before = excluded.not_before, level = excluded.level",
                (self.account, not_before, level),
            )
        return not_before - now

    def succeeded(self) -> None:
        """A create was accepted: throttling backs off one step."""
        with self._db.write():
            self._conn.execute(
                "UPDATE budget_throttle SET level = level - 1 WHERE account = ? AND level > 0", (self.account,)
            )

    def state(self) -> BudgetState:
        now = self._clock()
        with self._db.read():
            slots = self._conn.execute(
                "SELECT count(*) FROM budget_slots WHERE account = ?", (self.account,)
            ).fetchone()[0]
            sent = self._conn.execute(
                "SELECT count(*) FROM budget_sends WHERE account = ? AND sent_at > ?", (self.account, now - 1.0)
            ).fetchone()[0]
            row = self._conn.execute(
                "SELECT not_before FROM budget_throttle WHERE account = ?", (self.account,)
            ).fetchone()
        return BudgetState(int(slots), int(sent), max(0.0, (row[0] if row else 0.0) - now))

    def close(self) -> None:
        with self._registry_lock:
            self._shared.pop((self.db_path, self.account), None)
        self._db.close()

    # -- internals --------------------------------------------------------------------------------
    def _try_slot(self) -> tuple[Slot | None, float]:
        """One look under the write lock: a slot, or how long to wait before looking again."""
        with self._db.write():
            now = self._clock()
            pause = self._pause_left(now)
            if pause > 0:
                return None, pause
            if self._held() >= self.max_in_progress:
                self._drop_dead_holders()
                if self._held() >= self.max_in_progress:
                    return None, POLL_S
            return self._insert_slot(now), 0.0

    def _try_send(self) -> tuple[Permit | None, float]:
        with self._db.write():
            now = self._clock()
            pause = self._pause_left(now)
            if pause > 0:
                return None, pause
            self._conn.execute(
                "DELETE FROM budget_sends WHERE account = ? AND sent_at <= ?", (self.account, now - RATE_WINDOW_S)
            )
            sent, oldest = self._conn.execute(
                "SELECT count(*), min(sent_at) FROM budget_sends WHERE account = ?", (self.account,)
            ).fetchone()
            if sent >= self.max_per_second:
                return None, max(0.001, oldest + RATE_WINDOW_S - now)
            cursor = self._conn.execute("INSERT INTO budget_sends(account, sent_at) VALUES (?, ?)", (self.account, now))
            return Permit(int(cursor.lastrowid or 0), now), 0.0

    def _pause_left(self, now: float) -> float:
        row = self._conn.execute("SELECT not_before FROM budget_throttle WHERE account = ?", (self.account,)).fetchone()
        return max(0.0, row[0] - now) if row is not None else 0.0

    def _held(self) -> int:
        return int(
            self._conn.execute("SELECT count(*) FROM budget_slots WHERE account = ?", (self.account,)).fetchone()[0]
        )

    def _drop_dead_holders(self) -> None:
        holders = [r[0] for r in self._conn.execute("SELECT DISTINCT holder FROM budget_slots")]
        for holder in holders:
            if not self.liveness.is_alive(holder):
                self._conn.execute("DELETE FROM budget_slots WHERE holder = ?", (holder,))

    def _insert_slot(self, now: float | None = None) -> Slot:
        now = self._clock() if now is None else now
        cursor = self._conn.execute(
            "INSERT INTO budget_slots(account, holder, acquired_at) VALUES (?, ?, ?)",
            (self.account, self.liveness.token, now),
        )
        return Slot(int(cursor.lastrowid or 0), self.account)
