"""How a batch polls its tasks: it learns how long its tasks take and looks when one should be done.

A batch's rows are alike (one instruction, one size), so their tasks take about as long as each
other. A row holds one of the account's 5 in-progress slots until a poll sees its task end, so
every second between the end and that poll is a second the slot sits idle. Automatic polling
(api/polling.py) looks every 1-2 s; once a few rows have ended, this schedule looks at the time the
typical task ends, then every QUICK_S for a few seconds, then as Automatic does again (a task that
takes longer than the others is not polled quickly for long). Before anything is learned, and for a
task far from its expected end, it is Automatic polling unchanged. The account's query limit (20
a second, §6) is kept by the process-wide limiter every poll goes through.
"""

from __future__ import annotations

import statistics
import threading
from collections import deque

from wan27_desktop.api.polling import AUTOMATIC_POLLING, PollSchedule

QUICK_S = 0.25  # the pace around a task's expected end
QUICK_FOR_S = 3.0  # how long past the expected end that pace is kept
LEARN_FROM = 3  # tasks seen end before the expected end is trusted
REMEMBER = 20  # the most recent task times the expectation is taken from


class LearnedPolling:
    """A `PollSchedule` (api/polling.py) shared by a batch's workers; `learn` is thread-safe."""

    def __init__(self, fallback: PollSchedule = AUTOMATIC_POLLING) -> None:
        self.fallback = fallback
        self._times: deque[float] = deque(maxlen=REMEMBER)
        self._lock = threading.Lock()

    def learn(self, seconds: float) -> None:
        """A task was seen ended `seconds` after it was submitted."""
        if seconds > 0:
            with self._lock:
                self._times.append(seconds)

    def expected(self) -> float | None:
        """When a task is expected to have ended: a little before the median of the times seen
        (those include up to a poll of lateness, which this schedule shrinks)."""
        with self._lock:
            if len(self._times) < LEARN_FROM:
                return None
            return max(0.0, statistics.median(self._times) - QUICK_S)

    def delay(self, elapsed_s: float, rand: float) -> float:
        base = self.fallback.delay(elapsed_s, rand)
        expected = self.expected()
        if expected is None:
            return base
        if elapsed_s < expected:
            return max(0.05, min(base, expected - elapsed_s))  # never look later than the expected end
        if elapsed_s < expected + QUICK_FOR_S:
            return min(base, QUICK_S)
        return base
