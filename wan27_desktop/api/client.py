"""The DashScope HTTP client for Wan 2.7 image (§1-§6). Blocking; run it off the UI thread.

One `httpx.Client` per `DashScopeClient`; use it as a context manager or call `close()`.

Retry rules (§5 idempotency):
- Queries, cancels and key checks retry on 429, 5xx, garbled answers and any connection failure,
  with exponential backoff + full jitter, honouring `Retry-After`.
- A create (sync generate or async submit) has no idempotency key, so it is retried only when the
  service demonstrably did not accept it: a 429, a 5xx carrying the service's own error body, or a
  connection that failed before the request went out (ConnectError / ConnectTimeout / PoolTimeout /
  ProxyError). After the request was sent - a read timeout, a dropped connection, a gateway 5xx page
  without the service's error body, or a 2xx we cannot read - it raises `InterruptedCreateError`
  ("interrupted, may have been billed") and never resubmits. `BadRequest.InputDownloadFailed` (the
  service could not fetch a reference URL; it ran nothing) is tried once more, as §5 says.
- Throttling (429) is retried for about a minute in all (retry.py); every retry is reported to an
  `on_retry` callback, so a job's row can say "Rate-limited, retrying in 8 s".
- A create reports through `on_sent` the moment its request's bytes start to leave (httpcore's
  trace of the request headers): until then a job interrupted is known not to have been sent.

The API key goes only into the Authorization header of requests to `base_url`: never into a
message, a repr, a log line or a URL. Result downloads use `download.py`, which has no key at all.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from wan27_desktop import __version__
from wan27_desktop.api import endpoint
from wan27_desktop.api.constants import CREATE_TIMEOUTS, POLL_DEADLINE_S, QUERY_TIMEOUTS
from wan27_desktop.api.errors import (
    AuthError,
    InputDownloadError,
    InterruptedCreateError,
    MalformedResponseError,
    NetworkError,
    RateLimitError,
    ServerError,
    TaskTimeout,
    ValidationError,
    ValidationIssue,
    WanError,
)
from wan27_desktop.api.models import Region
from wan27_desktop.api.netreasons import plain_reason, technical
from wan27_desktop.api.polling import REFERENCE_POLLING, TASK_QUERIES, PollSchedule, schedule_of
from wan27_desktop.api.responses import decode_json, error_from_response, parse_generation, parse_submission, parse_task
from wan27_desktop.api.responses import raise_for_task as raise_for_task
from wan27_desktop.api.results import GenerationResult, TaskSnapshot, TaskSubmission
from wan27_desktop.api.retry import (
    CancelSignal,
    OnRetry,
    RetryNotice,
    RetryPolicy,
    parse_retry_after,
    raise_if_cancelled,
)
from wan27_desktop.api.tasklist import TaskPage, is_task_id, parse_task_page
from wan27_desktop.api.tls import shared_ssl_context
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

log = logging.getLogger("wan27.api")
_REQUEST_CANCELED = QT_TRANSLATE_NOOP("WanError", "The request was canceled.")

USER_AGENT = f"wan27-desktop/{__version__}"
SYNC_PATH = "/services/aigc/multimodal-generation/generation"  # §1.2
ASYNC_PATH = "/services/aigc/image-generation/generation"  # §1.2: a different path from sync
# §4.1: sync calls can take minutes, so read >= 300 s; queries answer at once.
CREATE_TIMEOUT = httpx.Timeout(**CREATE_TIMEOUTS.as_dict())
QUERY_TIMEOUT = httpx.Timeout(**QUERY_TIMEOUTS.as_dict())

# Failures where the request certainly never reached the service: safe to resend even a create.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
# Failures once the request may have gone out: the connection broke, or the answer's body could
# not be decoded (a Content-Encoding that lies; httpx raises DecodingError, not a TransportError).
_FAILED_EXCHANGE = (httpx.TransportError, httpx.DecodingError)
_WORKSPACE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_T = TypeVar("_T")
_E = TypeVar("_E", bound=WanError)


@dataclass(frozen=True)
class KeyCheck:
    """The answer of a zero-cost key check (`GET /tasks/<random id>`)."""

    valid: bool
    message: str
    code: str | None = None
    request_id: str | None = None
    status: int | None = None


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers fit for a log line: credentials replaced."""
    secret = {"authorization", "proxy-authorization", "cookie"}
    return {k: ("<redacted>" if k.lower() in secret else v) for k, v in headers.items()}


def _check_api_key(api_key: str) -> str:
    key = api_key.strip() if isinstance(api_key, str) else ""
    if not key:
        raise AuthError("No API key is set.")
    # A header cannot carry these; httpx would echo the bad value (and so the key) in its error.
    if not key.isascii() or not key.isprintable() or any(ch.isspace() for ch in key):
        raise AuthError(
            "The API key contains spaces, line breaks or non-ASCII characters; it was not sent.",
            hint=QT_TRANSLATE_NOOP("WanError", "Paste the key again exactly as shown in the Model Studio console."),
        )
    return key


def _check_task_id(task_id: str) -> str:
    if not is_task_id(task_id):
        raise ValidationError([ValidationIssue("task_id", f"{str(task_id)[:80]!r} is not a task id.")])
    return task_id


class DashScopeClient:
    """Blocking client for one key, one endpoint (region or custom base URL) and optional workspace."""

    def __init__(
        self,
        api_key: str,
        base_url: str,
        *,
        timeout: httpx.Timeout = CREATE_TIMEOUT,
        query_timeout: httpx.Timeout = QUERY_TIMEOUT,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        workspace: str | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        self._key = _check_api_key(api_key)
        # The key travels in a header: never in clear text to another machine.
        self.base_url = endpoint.normalise(base_url, allow_plain_http=allow_insecure_http)
        if workspace is not None and not _WORKSPACE.match(workspace):
            raise ValidationError(
                [ValidationIssue("workspace", "The workspace id may contain only letters, digits, '-' and '_'.")]
            )
        self.workspace = workspace
        self.timeout = timeout
        self.query_timeout = query_timeout
        self.retry_policy = retry_policy or RetryPolicy()
        headers = {"Authorization": f"Bearer {self._key}", "User-Agent": USER_AGENT, "Accept": "application/json"}
        if workspace:
            headers["X-DashScope-WorkSpace"] = workspace  # §1.3 [SDK]
        # TLS verification is never turned off (the shared context verifies; one context for the
        # process saves ~17 ms per client, issue 7). Redirects are not followed, so the
        # Authorization header can only ever go to base_url.
        self._http = httpx.Client(
            headers=headers, timeout=timeout, transport=transport, follow_redirects=False, verify=shared_ssl_context()
        )

    def __repr__(self) -> str:
        return f"DashScopeClient(base_url={self.base_url!r}, workspace={self.workspace!r}, key=<set>)"

    def __enter__(self) -> DashScopeClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------------------ operations
    def generate(
        self,
        body: dict[str, Any],
        *,
        should_cancel: CancelSignal = None,
        on_sent: Callable[[], None] | None = None,
        on_retry: OnRetry = None,
    ) -> GenerationResult:
        """Synchronous generate/edit (§1.2, §4.1). The result may hold fewer images than asked for."""
        return self._create(SYNC_PATH, body, {}, parse_generation, should_cancel, on_sent, on_retry)

    def submit_task(
        self,
        body: dict[str, Any],
        *,
        should_cancel: CancelSignal = None,
        on_sent: Callable[[], None] | None = None,
        on_retry: OnRetry = None,
    ) -> TaskSubmission:
        """Async create (§1.2, §4.2). Persist the returned task_id before polling (§5)."""
        return self._create(
            ASYNC_PATH, body, {"X-DashScope-Async": "enable"}, parse_submission, should_cancel, on_sent, on_retry
        )

    def query_task(self, task_id: str, *, should_cancel: CancelSignal = None, on_retry: OnRetry = None) -> TaskSnapshot:
        """One `GET /tasks/{id}` (§4.3). FAILED/CANCELED/UNKNOWN come back as snapshots; see
        `raise_for_task`."""
        task_id = _check_task_id(task_id)
        return self._idempotent(
            "GET",
            f"/tasks/{task_id}",
            lambda response: parse_task(self._json(response), task_id=task_id, status=response.status_code),
            should_cancel,
            on_retry,
        )

    def cancel_task(self, task_id: str, *, should_cancel: CancelSignal = None, on_retry: OnRetry = None) -> None:
        """§1.2: only PENDING tasks can be cancelled; otherwise the service's error is raised
        (400 `UnsupportedOperation`: the task is running and will be billed)."""
        task_id = _check_task_id(task_id)
        self._idempotent("POST", f"/tasks/{task_id}/cancel", lambda response: None, should_cancel, on_retry)

    def list_tasks(
        self,
        *,
        start_time: str | None = None,
        end_time: str | None = None,
        model_name: str | None = None,
        status: str | None = None,
        page_no: int = 1,
        page_size: int = 10,
        should_cancel: CancelSignal = None,
    ) -> TaskPage:
        """One page of the account's tasks, `GET /tasks?...` (§1.2 [SDK]). Times are
        `YYYYMMDDhhmmss`; the service keeps tasks for 24 h (§4.5)."""
        params: dict[str, str] = {"page_no": str(int(page_no)), "page_size": str(int(page_size))}
        for name, value in (
            ("start_time", start_time),
            ("end_time", end_time),
            ("model_name", model_name),
            ("status", status),
        ):
            if value is not None:
                params[name] = value
        TASK_QUERIES.acquire(should_cancel)
        return self._idempotent(
            "GET",
            "/tasks",
            lambda response: parse_task_page(
                self._json(response), status=response.status_code, date_header=response.headers.get("Date")
            ),
            should_cancel,
            None,
            params=params,
        )

    def wait_for_task(
        self,
        task_id: str,
        *,
        interval: PollSchedule | tuple[float, float] = REFERENCE_POLLING,
        deadline_s: float = POLL_DEADLINE_S,
        should_cancel: CancelSignal = None,
        on_update: Callable[[TaskSnapshot], None] | None = None,
        on_retry: OnRetry = None,
        submitted_at: float | None = None,
        query_first: bool = True,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> TaskSnapshot:
        """Poll until the task is terminal and return that snapshot (FAILED etc. included).

        `interval` is a schedule (polling.py) or a (low, high) pair of seconds, §6's 5-10 s by
        default; `submitted_at` (on `clock`, monotonic by default) is when the task was created, so
        an adaptive schedule knows how long it has run; `query_first=False` waits one interval
        before the first query (a task just created is PENDING). Polls until a local deadline (the
        task stays resumable for 24 h). Transient query failures (429, 5xx, network) are retried on
        the same cadence, honouring Retry-After. Raises `TaskTimeout` at the deadline and `Canceled`
        when cancelled.
        """
        clock = clock or time.monotonic
        schedule = schedule_of(interval)
        started = clock()
        submitted = started if submitted_at is None else submitted_at
        deadline = started + deadline_s
        last_error: WanError | None = None
        if not query_first:
            self._poll_pause(schedule.delay(clock() - submitted, self.retry_policy.rand()), sleep, should_cancel)
        while True:
            raise_if_cancelled(should_cancel, QT_TRANSLATE_NOOP("WanError", "Waiting for the task was canceled."))
            retry_after: float | None = None
            TASK_QUERIES.acquire(should_cancel)  # §6: 20 queries/s per account, shared by every job
            try:
                snapshot = self.query_task(task_id, should_cancel=should_cancel, on_retry=on_retry)
            except (NetworkError, ServerError, RateLimitError) as exc:
                if not exc.retryable:
                    raise
                last_error = exc
                retry_after = getattr(exc, "retry_after", None)
                log.warning("task %s: query failed, will poll again: %s", task_id, exc)
            else:
                last_error = None
                if on_update is not None:
                    on_update(snapshot)
                if snapshot.status.is_terminal:
                    return snapshot
            remaining = deadline - clock()
            if remaining <= 0:
                if last_error is None:
                    raise TaskTimeout(
                        QT_TRANSLATE_NOOP(
                            "WanError",
                            "Task {task_id} did not finish within {seconds} s; it may still finish on the service.",
                        ),
                        values={"task_id": task_id, "seconds": f"{deadline_s:g}"},
                    )
                raise TaskTimeout(
                    QT_TRANSLATE_NOOP(
                        "WanError",
                        "Task {task_id} did not finish within {seconds} s "
                        "(last error: {error}); it may still finish on the "
                        "service.",
                    ),
                    values={"task_id": task_id, "seconds": f"{deadline_s:g}", "error": str(last_error)},
                )
            delay = schedule.delay(clock() - submitted, self.retry_policy.rand())
            if retry_after is not None:
                delay = max(delay, min(retry_after, self.retry_policy.max_retry_after))
            self._poll_pause(min(delay, remaining), sleep, should_cancel)

    def _poll_pause(self, delay: float, sleep: Callable[[float], None] | None, should_cancel: CancelSignal) -> None:
        if sleep is not None:
            sleep(delay)
        else:
            self.retry_policy.wait(delay, should_cancel)

    def check_key(self) -> KeyCheck:
        """Zero-cost key check: `GET /tasks/<random uuid4>` is 200/UNKNOWN for a valid key, 401 if not."""
        try:
            snapshot = self.query_task(str(uuid.uuid4()))
        except AuthError as exc:
            return KeyCheck(
                valid=False, message=exc.message, code=exc.code, request_id=exc.request_id, status=exc.status
            )
        return KeyCheck(
            valid=True, message="The API key is valid for this endpoint.", request_id=snapshot.request_id, status=200
        )

    # ------------------------------------------------------------------------------ plumbing
    def _create(
        self,
        path: str,
        body: dict[str, Any],
        extra: dict[str, str],
        parse: Callable[[Any], _T],
        should_cancel: CancelSignal,
        on_sent: Callable[[], None] | None,
        on_retry: OnRetry,
    ) -> _T:
        try:
            # allow_nan=False: NaN is not JSON; better a local error than a 400 after a round trip.
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        except (TypeError, ValueError) as exc:
            raise ValidationError([ValidationIssue("body", f"The request cannot be encoded as JSON: {exc}")]) from exc
        try:
            return self._create_attempts(path, content, extra, parse, should_cancel, on_sent, on_retry)
        except WanError as exc:
            raise self._scrubbed(exc)  # noqa: B904 - same exception, re-raised with its traceback

    def _create_attempts(
        self,
        path: str,
        content: bytes,
        extra: dict[str, str],
        parse: Callable[[Any], _T],
        should_cancel: CancelSignal,
        on_sent: Callable[[], None] | None,
        on_retry: OnRetry,
    ) -> _T:
        headers = {"Content-Type": "application/json", **extra}
        attempt = 0
        waited = 0.0
        input_download_retried = False
        while True:
            attempt += 1
            raise_if_cancelled(should_cancel, _REQUEST_CANCELED)
            error: WanError
            try:
                response = self._send(
                    "POST", path, content=content, headers=headers, timeout=self.timeout, on_sent=on_sent
                )
            except _NOT_SENT as exc:
                error = NetworkError(
                    QT_TRANSLATE_NOOP("WanError", "Could not connect to {host}: {reason}."),
                    values={"host": self._host, "reason": self._reason(exc)},
                )
            except _FAILED_EXCHANGE as exc:
                raise InterruptedCreateError(
                    QT_TRANSLATE_NOOP(
                        "WanError",
                        "The generation was interrupted and may have been billed: the connection failed "
                        "after the request was sent ({reason}); no request id is known.",
                    ),
                    values={"reason": self._reason(exc)},
                ) from exc
            else:
                if response.is_success:
                    try:
                        return parse(self._json(response))
                    except MalformedResponseError as exc:
                        raise InterruptedCreateError(
                            QT_TRANSLATE_NOOP(
                                "WanError",
                                "The generation was interrupted and may have been billed: the service "
                                "accepted the request but its answer could not be read; request id "
                                "{request_id}.",
                            )
                            if exc.request_id
                            else QT_TRANSLATE_NOOP(
                                "WanError",
                                "The generation was interrupted and may have been billed: the service "
                                "accepted the request but its answer could not be read; no request id "
                                "is known.",
                            ),
                            values={"request_id": exc.request_id or ""},
                            request_id=exc.request_id,
                        ) from exc
                error = self._error(response)
                demonstrably_refused = isinstance(error, RateLimitError) or (
                    isinstance(error, ServerError) and error.code is not None and response.status_code >= 500
                )
                if isinstance(error, InputDownloadError) and not input_download_retried:
                    # §5: the service could not fetch a reference URL and ran nothing; retry once.
                    input_download_retried = True
                    waited += self._pause(attempt, error, should_cancel, on_retry, waited)
                    continue
                if response.status_code >= 500 and error.code is None:
                    # A gateway page, not the service's own error: the service may have run the job.
                    raise InterruptedCreateError(
                        QT_TRANSLATE_NOOP(
                            "WanError",
                            "The generation was interrupted and may have been billed: a gateway answered "
                            "HTTP {status} without the service's error body; no request id is known.",
                        ),
                        values={"status": response.status_code},
                    ) from error
                if not demonstrably_refused:
                    raise error
            if not self.retry_policy.can_retry(attempt, error, waited):
                raise error
            waited += self._pause(attempt, error, should_cancel, on_retry, waited)

    def _idempotent(
        self,
        method: str,
        path: str,
        parse: Callable[[httpx.Response], _T],
        should_cancel: CancelSignal,
        on_retry: OnRetry,
        params: dict[str, str] | None = None,
    ) -> _T:
        try:
            return self._idempotent_attempts(method, path, parse, should_cancel, on_retry, params)
        except WanError as exc:
            raise self._scrubbed(exc)  # noqa: B904 - same exception, re-raised with its traceback

    def _idempotent_attempts(
        self,
        method: str,
        path: str,
        parse: Callable[[httpx.Response], _T],
        should_cancel: CancelSignal,
        on_retry: OnRetry,
        params: dict[str, str] | None,
    ) -> _T:
        attempt = 0
        waited = 0.0
        while True:
            attempt += 1
            raise_if_cancelled(should_cancel, _REQUEST_CANCELED)
            error: WanError
            try:
                response = self._send(method, path, timeout=self.query_timeout, params=params)
            except _FAILED_EXCHANGE as exc:
                error = NetworkError(
                    QT_TRANSLATE_NOOP("WanError", "The request to {host} failed: {reason}."),
                    values={"host": self._host, "reason": self._reason(exc)},
                )
            else:
                if response.is_success:
                    try:
                        return parse(response)
                    except MalformedResponseError as exc:
                        error = exc
                else:
                    error = self._error(response)
            if not error.retryable or not self.retry_policy.can_retry(attempt, error, waited):
                raise error
            waited += self._pause(attempt, error, should_cancel, on_retry, waited)

    def _send(
        self,
        method: str,
        path: str,
        *,
        timeout: httpx.Timeout,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        on_sent: Callable[[], None] | None = None,
    ) -> httpx.Response:
        started = time.monotonic()
        extensions: dict[str, Any] = {}
        if on_sent is not None:
            extensions["trace"] = _bytes_leaving(on_sent)
        try:
            response = self._http.request(
                method,
                self.base_url + path,
                content=content,
                headers=headers,
                params=params,
                timeout=timeout,
                extensions=extensions or None,
            )
        except _FAILED_EXCHANGE as exc:
            log.warning("%s %s failed after %.1f s: %s", method, path, time.monotonic() - started, self._describe(exc))
            raise
        log.info(
            "%s %s -> %s in %.1f s (request id %s)",
            method,
            path,
            response.status_code,
            time.monotonic() - started,
            _request_id_of(response) or "unknown",
        )
        if log.isEnabledFor(logging.DEBUG):
            log.debug("request headers %s", redact_headers(response.request.headers))
        return response

    def _json(self, response: httpx.Response) -> Any:
        return decode_json(response.content, status=response.status_code)

    def _error(self, response: httpx.Response) -> WanError:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self.retry_policy.clock())
        return error_from_response(
            response.status_code, response.content, retry_after=retry_after, request_id=_request_id_of(response)
        )

    def _pause(
        self, attempt: int, error: WanError, should_cancel: CancelSignal, on_retry: OnRetry, waited: float
    ) -> float:
        """Wait before the next try (telling `on_retry` first); returns the seconds waited."""
        delay = self.retry_policy.delay(attempt, getattr(error, "retry_after", None), error, waited)
        log.info("retrying in %.1f s after attempt %d: %s", delay, attempt, error)
        if on_retry is not None:
            on_retry(RetryNotice(attempt + 1, delay, self._scrubbed(error)))
        self.retry_policy.wait(delay, should_cancel)
        return delay

    def _scrubbed(self, error: _E) -> _E:
        """Remove the key from anything the server echoed back into a message or hint."""
        if self._key in error.message:
            error.message = error.message.replace(self._key, "<api key>")
            error.args = (error.message,)
        if self._key in error.hint:
            error.hint = error.hint.replace(self._key, "<api key>")
        return error

    def _describe(self, exc: httpx.HTTPError) -> str:
        """An httpx error as text for a log line, with the key redacted just in case."""
        return technical(exc).replace(self._key, "<api key>")

    def _reason(self, exc: httpx.HTTPError) -> str:
        """An httpx error for a message: a plain phrase where one fits, else `_describe`."""
        return plain_reason(exc, self._describe(exc))

    @property
    def _host(self) -> str:
        return httpx.URL(self.base_url).host


def _bytes_leaving(on_sent: Callable[[], None]) -> Callable[[str, dict[str, Any]], None]:
    """An httpcore trace callback calling `on_sent` once, just before the request's first bytes
    (its headers) are written to the connection: after connecting, so a refused or failed connection
    is never taken for a sent request. Should `on_sent` raise (the journal cannot be written), the
    request is abandoned before anything left."""
    called = False

    def trace(event: str, info: dict[str, Any]) -> None:
        nonlocal called
        if not called and event.endswith(".send_request_headers.started"):
            called = True
            on_sent()

    return trace


def _request_id_of(response: httpx.Response) -> str | None:
    # Not documented in §4; some gateways echo one. The body's request_id is preferred when present.
    return response.headers.get("x-request-id") or response.headers.get("x-dashscope-request-id")


def check_key_regions(
    api_key: str,
    bases: Mapping[Region, str],
    *,
    transport: httpx.BaseTransport | None = None,
    retry_policy: RetryPolicy | None = None,
    allow_insecure_http: bool = False,
) -> Region | None:
    """Which region's endpoint accepts this key (keys are region-bound, §1.1); None if none does.

    Tries the regions in the order given. Raises the first network or service error if no region
    accepted the key and at least one could not be asked (so "no region" is never a guess).
    """
    failure: WanError | None = None
    for region, base in bases.items():
        try:
            with DashScopeClient(
                api_key, base, transport=transport, retry_policy=retry_policy, allow_insecure_http=allow_insecure_http
            ) as client:
                if client.check_key().valid:
                    return region
        except AuthError:
            raise  # a malformed key: no region will take it
        except WanError as exc:
            log.warning("key check against %s failed: %s", region.value, exc)
            failure = failure or exc
    if failure is not None:
        raise failure
    return None
