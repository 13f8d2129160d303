"""When and how long to wait before trying a request again (§5, §6).

A `RetryPolicy` only answers questions ("how long before attempt k?", "may I try again?") and
waits in a cancellable way; *whether* a failure may be retried at all is the caller's decision
(a create is retried only when the service demonstrably did not accept it, see client.py).

Backoff is exponential with full jitter (a uniformly random wait in [0, min(cap, base * 2**k)]),
so many clients throttled at once do not come back in lockstep. A `Retry-After` header from the
service wins over the computed backoff, clamped to `max_retry_after`.

Throttling (429) is different: §5/§6 say it usually clears within a minute, so a throttled request
keeps trying for about that long (`throttle_budget` seconds of waiting in all) with "equal jitter"
(half the exponential step, plus up to as much again at random), instead of giving up after a few
seconds the way other transient failures do.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from wan27_desktop.api.constants import (
    MAX_ATTEMPTS,
    MAX_RETRY_AFTER_S,
    RETRY_BASE_DELAY_S,
    RETRY_MAX_DELAY_S,
    THROTTLE_BUDGET_S,
    THROTTLE_MAX_ATTEMPTS,
    THROTTLE_MAX_DELAY_S,
)
from wan27_desktop.api.errors import Canceled, RateLimitError, WanError
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

# Either an Event that is set to cancel, or a callable returning True to cancel.
CancelSignal = threading.Event | Callable[[], bool] | None

# Injected sleeps (tests) are called in slices this long so a cancel is noticed promptly.
_CANCEL_SLICE_S = 0.25
_OPERATION_CANCELED = QT_TRANSLATE_NOOP("WanError", "The operation was canceled.")


@dataclass(frozen=True)
class RetryNotice:
    """A request is about to be tried again: `attempt` is the number of the coming try, after a
    wait of `delay` seconds, because of `error`. Shown on the job's row ("Rate-limited ...")."""

    attempt: int
    delay: float
    error: WanError


OnRetry = Callable[[RetryNotice], None] | None


def is_cancelled(signal: CancelSignal) -> bool:
    if signal is None:
        return False
    if isinstance(signal, threading.Event):
        return signal.is_set()
    return bool(signal())


def raise_if_cancelled(signal: CancelSignal, message: str = _OPERATION_CANCELED) -> None:
    """Raise `Canceled(message)` if `signal` says so; `message` is a sentence marked for translation."""
    if is_cancelled(signal):
        raise Canceled(message)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date; None if absent/bad."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = None
    if seconds is not None:
        return seconds if seconds >= 0 and seconds == seconds else None  # rejects NaN
    import email.utils  # an HTTP date is rare here; the module costs ~10 ms at start-up (with calendar, locale)

    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, a maximum number of attempts and a cap.

    `max_attempts` counts every try including the first. `sleep`, `clock` (wall time, for HTTP
    dates in Retry-After) and `rand` (in [0, 1)) are injectable for tests.
    """

    max_attempts: int = MAX_ATTEMPTS
    base_delay: float = RETRY_BASE_DELAY_S
    max_delay: float = RETRY_MAX_DELAY_S
    max_retry_after: float = MAX_RETRY_AFTER_S
    throttle_budget: float = THROTTLE_BUDGET_S
    throttle_max_delay: float = THROTTLE_MAX_DELAY_S
    throttle_max_attempts: int = THROTTLE_MAX_ATTEMPTS
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    clock: Callable[[], float] = field(default=time.time, repr=False, compare=False)
    rand: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def can_retry(self, attempt: int, error: BaseException | None = None, waited: float = 0.0) -> bool:
        """`attempt` is the 1-based number of the try that just failed; `waited` the seconds
        already spent waiting between its tries (what bounds a throttled request)."""
        if isinstance(error, RateLimitError) and self.max_attempts > 1:  # max_attempts=1: never retry
            return attempt < self.throttle_max_attempts and waited < self.throttle_budget
        return attempt < self.max_attempts

    def backoff(self, attempt: int) -> float:
        """Full-jitter delay after the `attempt`-th (1-based) failure."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** max(0, attempt - 1)))
        return ceiling * self.rand()

    def throttle_backoff(self, attempt: int) -> float:
        """Equal-jitter delay after the `attempt`-th throttled try: never much shorter than the
        exponential step, so the minute's budget is spread over a handful of tries."""
        ceiling = min(self.throttle_max_delay, self.base_delay * (2 ** max(0, attempt - 1)))
        return ceiling * (0.5 + 0.5 * self.rand())

    def delay(
        self,
        attempt: int,
        retry_after: float | str | None = None,
        error: BaseException | None = None,
        waited: float = 0.0,
    ) -> float:
        """The wait before the next try: Retry-After when the service gave one, else the backoff.
        A throttled request's waits stop at `throttle_budget` in all."""
        if isinstance(retry_after, str):
            retry_after = parse_retry_after(retry_after, self.clock())
        throttled = isinstance(error, RateLimitError)
        if retry_after is not None:
            seconds = min(max(0.0, retry_after), self.max_retry_after)
        elif throttled:
            seconds = self.throttle_backoff(attempt)
        else:
            seconds = self.backoff(attempt)
        if throttled:
            seconds = min(seconds, max(0.0, self.throttle_budget - waited))
        return seconds

    def wait(self, seconds: float, should_cancel: CancelSignal = None) -> None:
        """Sleep `seconds`, waking early and raising `Canceled` when cancellation is requested."""
        raise_if_cancelled(should_cancel)
        if seconds <= 0:
            return
        if isinstance(should_cancel, threading.Event) and self.sleep is time.sleep:
            if should_cancel.wait(seconds):
                raise Canceled(_OPERATION_CANCELED)
            return
        remaining = seconds
        while remaining > 0:
            step = min(remaining, _CANCEL_SLICE_S) if should_cancel is not None else remaining
            self.sleep(step)
            remaining -= step
            raise_if_cancelled(should_cancel)


NO_RETRY = RetryPolicy(max_attempts=1)
