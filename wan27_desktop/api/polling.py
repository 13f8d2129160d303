"""How often to ask the service about a task (§6), and the account-wide cap on those questions.

Automatic mode sends through the asynchronous endpoint so a task id is journaled before anything
can be lost; it must then land the result about as soon as a sync call would have returned it. So
`AdaptivePolling` asks soon after submission and backs off slowly: a poll every `floor` seconds at
first, stretching to `cap` seconds for long tasks. The wait between the task ending and our noticing
is then at most one interval (median half of it): ~0.5 s for a 20 s task, at most 2 s for any task.

§6 allows 20 task queries per second per account, shared by every job, window and process of the
account, and at most 5 tasks are in progress at once. One adaptive job asks at most once a second,
so 5 of them stay far below the limit; `TASK_QUERIES` caps this process's polls and listings at half
the account's limit anyway (leaving the other half to other processes), whatever the schedule or
the number of jobs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from wan27_desktop.api.constants import (
    ACCOUNT_QUERY_QPS,
    AUTO_POLL_CAP_S,
    AUTO_POLL_FIRST_S,
    AUTO_POLL_FLOOR_S,
    AUTO_POLL_STRETCH,
    POLL_INTERVAL_S,
)
from wan27_desktop.api.retry import CancelSignal, raise_if_cancelled

PROCESS_QUERY_QPS = ACCOUNT_QUERY_QPS / 2


class PollSchedule(Protocol):
    """The wait before the next task query, given the seconds since the task was submitted and a
    random number in [0, 1) for jitter."""

    def delay(self, elapsed_s: float, rand: float) -> float: ...


@dataclass(frozen=True)
class AdaptivePolling:
    """Soon after submission, then backing off: `first` seconds before the first query, then
    `elapsed / stretch` clamped to [floor, cap], give or take `jitter` (so jobs started together do
    not poll in lockstep)."""

    first: float = AUTO_POLL_FIRST_S
    floor: float = AUTO_POLL_FLOOR_S
    cap: float = AUTO_POLL_CAP_S
    stretch: float = AUTO_POLL_STRETCH
    jitter: float = 0.1

    def delay(self, elapsed_s: float, rand: float) -> float:
        base = self.first if elapsed_s < self.first else min(self.cap, max(self.floor, elapsed_s / self.stretch))
        return base * (1.0 + self.jitter * (2.0 * rand - 1.0))


@dataclass(frozen=True)
class FixedPolling:
    """Uniformly between `low` and `high` seconds (§6 recommends every 5-10 s)."""

    low: float = POLL_INTERVAL_S[0]
    high: float = POLL_INTERVAL_S[1]

    def delay(self, elapsed_s: float, rand: float) -> float:
        return self.low + (self.high - self.low) * rand


REFERENCE_POLLING = FixedPolling(*POLL_INTERVAL_S)
AUTOMATIC_POLLING = AdaptivePolling()


def schedule_of(interval: PollSchedule | tuple[float, float]) -> PollSchedule:
    """A schedule as given, or a (low, high) pair as a `FixedPolling`."""
    if isinstance(interval, tuple):
        return FixedPolling(*interval)
    return interval


class RateLimiter:
    """A token bucket: at most `rate` acquisitions per second on average, bursts of `burst`.
    Thread-safe; `acquire` waits (cancellably) for a token."""

    def __init__(self, rate: float, burst: float | None = None, *, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.burst = burst if burst is not None else rate
        self._clock = clock
        self._tokens = self.burst
        self._updated = clock()
        self._lock = threading.Lock()

    def _take(self) -> float:
        """Take a token if there is one (0.0), else the seconds until there will be."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) / self.rate

    def acquire(self, should_cancel: CancelSignal = None) -> None:
        while (wait := self._take()) > 0:
            raise_if_cancelled(should_cancel)
            time.sleep(min(wait, 0.25))


# Every poll and task listing of this process (all clients, all jobs) takes a token here.
TASK_QUERIES = RateLimiter(PROCESS_QUERY_QPS, burst=PROCESS_QUERY_QPS)
