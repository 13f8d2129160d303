"""The account's limits (§6), off unless a test turns them on: `fake.limits = AccountLimits()`.

At most `per_second` task submissions (sync calls and async creates) accepted in any one-second
window, and at most `in_progress` tasks in progress (async tasks not yet terminal, plus sync calls
being answered). A submission beyond either is refused with 429 before anything is created or
billed, as the service does. The limits also keep what tests assert on: the most tasks ever in
progress at once, the most submissions ever accepted within one second, and how many were refused.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

WINDOW_S = 1.0


class LimitRefused(Exception):
    """A submission the account's limits refuse: answered 429 with this code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class AccountLimits:
    def __init__(self, per_second: int = 5, in_progress: int = 5, *, clock: Callable[[], float] | None = None) -> None:
        import time

        self.per_second = per_second
        self.in_progress = in_progress
        self._clock = clock or time.monotonic
        self._lock = threading.Lock()
        self._accepted: deque[float] = deque()
        self._sync_running = 0
        self.peak_in_progress = 0
        self.peak_per_second = 0
        self.refused_rate = 0
        self.refused_in_progress = 0

    @property
    def sync_in_progress(self) -> int:
        with self._lock:
            return self._sync_running

    @property
    def refused(self) -> int:
        return self.refused_rate + self.refused_in_progress

    def admit(self, tasks_in_progress: int, *, sync: bool) -> None:
        """Accept one submission or raise LimitRefused. `tasks_in_progress`: async tasks of the
        account not yet terminal. A sync submission counts as in progress until `sync_done`."""
        with self._lock:
            now = self._clock()
            while self._accepted and self._accepted[0] <= now - WINDOW_S:
                self._accepted.popleft()
            if len(self._accepted) >= self.per_second:
                self.refused_rate += 1
                raise LimitRefused("Throttling.RateQuota", "Requests rate limit exceeded, please try again later.")
            running = tasks_in_progress + self._sync_running
            if running >= self.in_progress:
                self.refused_in_progress += 1
                raise LimitRefused("Throttling", "Too many tasks in progress for this account; please try again later.")
            self._accepted.append(now)
            if sync:
                self._sync_running += 1
            self.peak_per_second = max(self.peak_per_second, len(self._accepted))
            self.peak_in_progress = max(self.peak_in_progress, running + 1)

    def sync_done(self) -> None:
        with self._lock:
            self._sync_running = max(0, self._sync_running - 1)

    def note_in_progress(self, tasks_in_progress: int) -> None:
        """Async tasks counted at a query (they may have been created by someone else)."""
        with self._lock:
            self.peak_in_progress = max(self.peak_in_progress, tasks_in_progress + self._sync_running)
