"""The account's rate limits (§6), enforced as the service does: 429 beyond them.

- 5 task submissions per second (sync calls and async creates alike), a sliding one-second window;
- 5 tasks in progress (async tasks not yet ended, plus sync calls being answered);
- 20 task queries per second (`GET /tasks/{id}` and the listing).

On by default, like the real service (`fake.limits.enabled = False` switches all of them off for a
test that needs more, and says so). Counted per fake, i.e. per account.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable

from tests.fake_dashscope.validation import ApiError

SUBMISSIONS_PER_SECOND = 5
TASKS_IN_PROGRESS = 5
QUERIES_PER_SECOND = 20


class AccountLimits:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = True
        self.submissions_per_second = SUBMISSIONS_PER_SECOND
        self.tasks_in_progress = TASKS_IN_PROGRESS
        self.queries_per_second = QUERIES_PER_SECOND
        self.refused: list[str] = []  # one entry per 429 answered ("submissions", "in_progress", "queries")
        # The most ever accepted: tasks in progress at once, submissions within one second (batch tests
        # assert a client kept to the limits and used them all).
        self.peak_in_progress = 0
        self.peak_per_second = 0
        self._clock = clock
        self._lock = threading.Lock()
        self._submissions: collections.deque[float] = collections.deque()
        self._queries: collections.deque[float] = collections.deque()

    def admit_submission(self, in_progress: int) -> None:
        """Count one create (sync or async), or raise the 429 the service answers."""
        with self._lock:
            if not self.enabled:
                return
            now = self._clock()
            _prune(self._submissions, now)
            if len(self._submissions) >= self.submissions_per_second:
                self.refused.append("submissions")
                raise ApiError(429, "Throttling.RateQuota", "Requests rate limit exceeded, please try again later.")
            if in_progress >= self.tasks_in_progress:
                self.refused.append("in_progress")
                raise ApiError(
                    429,
                    "Throttling.RateQuota",
                    f"Too many tasks in progress: the account allows {self.tasks_in_progress}; please try again later.",
                )
            self._submissions.append(now)
            self.peak_per_second = max(self.peak_per_second, len(self._submissions))
            self.peak_in_progress = max(self.peak_in_progress, in_progress + 1)

    def admit_query(self) -> None:
        with self._lock:
            if not self.enabled:
                return
            now = self._clock()
            _prune(self._queries, now)
            if len(self._queries) >= self.queries_per_second:
                self.refused.append("queries")
                raise ApiError(429, "Throttling.RateQuota", "Requests rate limit exceeded, please try again later.")
            self._queries.append(now)


def _prune(window: collections.deque[float], now: float) -> None:
    while window and now - window[0] >= 1.0:
        window.popleft()
