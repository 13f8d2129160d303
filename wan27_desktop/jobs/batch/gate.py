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
from wan27_desktop.api.retry import CancelSignal, is_cancelled
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
        on_sending: Callable[[], None] | None = None,
        take_prepaid: Callable[[], Permit | None] | None = None,
    ) -> None:
        """`should_stop`: the app is closing: stop waiting, leave everything resumable.
        `cancel_requested`: the user canceled: a create not yet sent is not sent, a task still
        PENDING is canceled at the service, a task already running is seen through (it will be
        billed). Either way a create that stops before it leaves raises NotSent (still queued).
        `on_sending`: called right before a create request goes out. `take_prepaid`: the send the
        scheduler already counted for this job, if any (used if still fresh)."""
        self._client = client
        self._take_prepaid = take_prepaid
        self._cancel_requested = cancel_requested
        self._on_sending = on_sending
        self._budget = budget
        self._should_stop = should_stop
        self._on_throttled = on_throttled
        self._rand = random.random
        self._waiter = threading.Event()  # never set: an interruptible sleep

    def generate(self, body: dict[str, Any], *, should_cancel: CancelSignal = None) -> Any:
        return self._create(lambda: self._client.generate(body, should_cancel=should_cancel), should_cancel)

    def submit_task(self, body: dict[str, Any], *, should_cancel: CancelSignal = None) -> Any:
        return self._create(lambda: self._client.submit_task(body, should_cancel=should_cancel), should_cancel)

    def wait_for_task(self, task_id: str, *, should_cancel: CancelSignal = None, **kwargs: Any) -> Any:
        """Poll as the wrapped client does; a cancel first asks the service to cancel the task and
        stops waiting only if it did (§1.2: PENDING tasks only), else the task is seen through."""
        service_refused = [False]

        def stop_waiting() -> bool:
            if self._should_stop():
                return True  # closing: the task stays resumable
            if service_refused[0] or not (is_cancelled(should_cancel) or self._cancel_requested()):
                return False
            try:
                self._client.cancel_task(task_id)
            except WanError as err:
                log.info("task %s was not canceled (%s): it is seen through", task_id, err.code)
                service_refused[0] = True
                return False
            return True

        return self._client.wait_for_task(task_id, should_cancel=stop_waiting, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)  # query_task, wait_for_task, cancel_task, close, ...

    def _create(self, send: Callable[[], Any], should_cancel: CancelSignal) -> Any:
        throttled = refused = 0

        def stop() -> bool:
            return self._should_stop() or self._cancel_requested() or is_cancelled(should_cancel)

        prepaid = self._take_prepaid() if self._take_prepaid is not None else None
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
            if self._on_sending is not None:
                self._on_sending()
            try:
                result = send()
            except InterruptedCreateError:
                raise  # it may have been accepted: never resent (§5)
            except RateLimitError as err:
                throttled += 1
                pause = self._budget.throttled(err.retry_after)
                log.info("create throttled (%s); every sender of the account waits %.1f s", err.code, pause)
                if self._on_throttled is not None:
                    self._on_throttled(pause)
                if throttled >= MAX_THROTTLED:
                    raise
                continue
            except (ServerError, NetworkError) as err:
                if not _demonstrably_refused(err):
                    raise
                refused += 1
                if refused >= MAX_REFUSED:
                    raise
                self._pause(min(30.0, 2.0**refused) * self._rand(), stop)
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
