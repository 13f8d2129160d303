"""A DashScope client whose creates keep to the account's send rate and ride out throttling.

The job runner calls `generate` / `submit_task` once per job. Here each attempt first waits for a
place in the account's send rate (library/budget.py, shared by every process of ours), and a 429
pauses every sender of the account (`AccountBudget.throttled`) and is then tried again, instead of
failing the row. A create is resent only when the service demonstrably did not accept it (the same
rule as api/client.py, §5): a 429, a 5xx with the service's own error body, or a connection that
failed before the request went out; the wrapped client therefore does not retry creates itself.
Everything else (queries, cancels) passes through to the wrapped client unchanged.

The in-progress slot, and the first send's place in the rate, are taken by the scheduler before a
job is marked as being sent (`take_prepaid`): a job must not wait in the "submitting" state, which a
crash would turn into "interrupted, may have been billed". Only retries after a refusal wait here.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from wan27_desktop.api.errors import (
    InterruptedCreateError,
    NetworkError,
    NotSent,
    RateLimitError,
    ServerError,
    WanError,
)
from wan27_desktop.api.retry import CancelSignal, OnRetry, RetryNotice, is_cancelled
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.library.budget import AccountBudget, BudgetCanceled, Permit

log = logging.getLogger("wan27.batch.gate")

MAX_THROTTLED = 20  # 429s in a row for one create before the row fails (about 10+ minutes of pauses)
MAX_REFUSED = 3  # other demonstrably refused attempts (5xx with the service's body, not sent)

Notice = Callable[[float], None]  # called with the pause in seconds after a 429
_NOT_SENT = QT_TRANSLATE_NOOP("WanError", "Stopped before the request was sent. Nothing was billed.")


class GatedClient:
    """Wraps a DashScopeClient built with `retry_policy=NO_RETRY` (the gate retries creates)."""

    def __init__(
        self,
        client: Any,
        budget: AccountBudget,
        *,
        should_stop: Callable[[], bool] = lambda: False,
        cancel_requested: Callable[[], bool] = lambda: False,
        on_throttled: Notice | None = None,
        take_prepaid: Callable[[], Permit | None] | None = None,
    ) -> None:
        """`should_stop`: the app is closing; `cancel_requested`: the user canceled. Either way a
        create that has not left stops (NotSent: the job is as it was, never sent). `on_throttled`:
        called with the pause after a 429. `take_prepaid`: the send the scheduler already counted
        for this job, if any (used if still fresh)."""
        self._client = client
        self._budget = budget
        self._should_stop = should_stop
        self._cancel_requested = cancel_requested
        self._on_throttled = on_throttled
        self._take_prepaid = take_prepaid
        self._rand = random.random
        self._waiter = threading.Event()  # never set: an interruptible sleep

    def generate(self, body: dict[str, Any], **options: Any) -> Any:
        return self._create(self._client.generate, body, options)

    def submit_task(self, body: dict[str, Any], **options: Any) -> Any:
        return self._create(self._client.submit_task, body, options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)  # query_task, wait_for_task, cancel_task, close, ...

    def _create(self, send: Callable[..., Any], body: dict[str, Any], options: dict[str, Any]) -> Any:
        """`options`: the runner's `should_cancel`, `on_sent` (journals that the bytes left) and
        `on_retry` (shows "rate-limited, retrying in N s" on the job's row)."""
        should_cancel: CancelSignal = options.get("should_cancel")
        on_retry: OnRetry = options.get("on_retry")
        throttled = refused = 0
        prepaid = self._take_prepaid() if self._take_prepaid is not None else None

        def stop() -> bool:
            return self._should_stop() or self._cancel_requested() or is_cancelled(should_cancel)

        while True:
            if prepaid is not None and self._budget.is_fresh(prepaid):
                prepaid = None  # counted just before the job was marked as being sent
            else:
                if prepaid is not None:
                    self._budget.withdraw(prepaid)  # counted too long ago: count it again now
                    prepaid = None
                try:
                    self._budget.wait_send(stop)
                except BudgetCanceled:
                    raise NotSent(_NOT_SENT) from None
            try:
                result = send(body, should_cancel=should_cancel, on_sent=options.get("on_sent"))
            except InterruptedCreateError:
                raise  # it may have been accepted: never resent (§5)
            except RateLimitError as err:
                throttled += 1
                if throttled >= MAX_THROTTLED:
                    raise
                pause = self._budget.throttled(err.retry_after)
                log.info("create throttled (%s); every sender of the account waits %.1f s", err.code, pause)
                if self._on_throttled is not None:
                    self._on_throttled(pause)
                if on_retry is not None:
                    on_retry(RetryNotice(throttled + 1, pause, err))
                continue
            except (ServerError, NetworkError) as err:
                if not _demonstrably_refused(err):
                    raise
                refused += 1
                if refused >= MAX_REFUSED:
                    raise
                delay = min(30.0, 2.0**refused) * self._rand()
                if on_retry is not None:
                    on_retry(RetryNotice(refused + 1, delay, err))
                self._pause(delay, stop)
                continue
            self._budget.succeeded()
            return result

    def _pause(self, seconds: float, stop: Callable[[], bool]) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if stop():
                raise NotSent(_NOT_SENT)
            self._waiter.wait(min(0.1, left))


def _demonstrably_refused(err: WanError) -> bool:
    """The service did not take the request (see api/client.py): a 5xx with its own error code, or
    a connection that failed before anything was sent (the client raises NetworkError only then)."""
    if isinstance(err, ServerError):
        return err.code is not None and (err.status or 0) >= 500
    return type(err) is NetworkError  # subclasses (interrupted, unreadable answer) may have been taken
