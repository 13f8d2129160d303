"""Read what the service answers (§4) and turn error codes into exceptions (§5).

Lenient in what we accept: unknown fields are ignored, missing optional fields become None, and
numbers sent as strings are read. But never blind: anything we cannot make sense of raises a
`WanError` subclass (usually `MalformedResponseError`), never a KeyError or TypeError.

Errors are chosen by `code` first (§9: HTTP statuses are not all confirmed); the HTTP status is
used only when the body carries no code. The whole mapping is the one table `_CODE_TABLE`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any

from wan27_desktop.api.errors import (
    AccessDeniedError,
    AuthError,
    InputDownloadError,
    InvalidRequestError,
    MalformedResponseError,
    ModerationError,
    PayloadTooLargeError,
    QuotaError,
    RateLimitError,
    ServerError,
    ServiceError,
    TaskCanceled,
    TaskUnknown,
    WanError,
)
from wan27_desktop.api.results import GenerationResult, TaskMetrics, TaskSnapshot, TaskStatus, TaskSubmission, Usage
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

log = logging.getLogger("wan27.api")

_MAX_MESSAGE_CHARS = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# ---------------------------------------------------------------------------------------------
# Error codes (§5): code -> (exception class, code-specific hint or None for the class default).
# ---------------------------------------------------------------------------------------------
_CODE_TABLE: dict[str, tuple[type[ServiceError], str | None]] = {
    "InvalidParameter": (InvalidRequestError, None),
    "InvalidParameter.DataInspection": (
        InvalidRequestError,
        "Moderation could not read an image's format; re-save it as PNG or JPEG and send it again.",
    ),
    "DataInspectionFailed": (ModerationError, None),
    "IPInfringementSuspect": (
        ModerationError,
        "The request looks like it may infringe intellectual property (a brand, "
        "character or artwork); change the prompt or images before retrying.",
    ),
    "BadRequest.EmptyInput": (
        InvalidRequestError,
        "The request had no input; this is a bug in Wan 2.7 Desktop, please report it.",
    ),
    "BadRequest.EmptyParameters": (
        InvalidRequestError,
        "The request had no parameters; this is a bug in Wan 2.7 Desktop, please report it.",
    ),
    "BadRequest.EmptyModel": (
        InvalidRequestError,
        "The request named no model; this is a bug in Wan 2.7 Desktop, please report it.",
    ),
    "InvalidURL": (
        InvalidRequestError,
        "A reference image URL is invalid or not reachable by the service; fix the URL or use a local file instead.",
    ),
    "Arrearage": (
        QuotaError,
        "The account has an overdue payment; top up in the Alibaba Cloud console, then try again.",
    ),
    "UnsupportedOperation": (
        InvalidRequestError,
        "The service does not allow this operation here (for example cancelling a task that already started).",
    ),
    "InvalidApiKey": (AuthError, None),
    "AccessDenied": (
        AccessDeniedError,
        "The key may not use this model, or the workspace or region does not match the "
        "key; check Settings › API key and the Model Studio console.",
    ),
    "AccessDenied.Unpurchased": (AccessDeniedError, None),
    "ModelNotFound": (
        InvalidRequestError,
        "The model name is unknown to this endpoint; check the region and custom endpoint in Settings.",
    ),
    "WorkSpaceNotFound": (
        AccessDeniedError,
        "The workspace id is wrong or belongs to another region; check it in Settings.",
    ),
    "RequestTimeOut": (ServerError, "The service timed out; retry, or use asynchronous mode for big jobs."),
    "BadRequest.TooLarge": (PayloadTooLargeError, None),
    "BadRequest.InputDownloadFailed": (InputDownloadError, None),
    "BadRequest.UnsupportedFileFormat": (
        InvalidRequestError,
        "A reference image is in a format the service does not take; convert it to PNG or JPEG.",
    ),
    "Throttling": (RateLimitError, None),
    "Throttling.RateQuota": (RateLimitError, "Too many requests per second; this usually clears within a minute."),
    "Throttling.AllocationQuota": (
        RateLimitError,
        "The account's quota is exhausted for now; wait a minute and retry.",
    ),
    "InternalError": (ServerError, None),
    "InternalError.Algo": (
        ServerError,
        "The model failed on this input; retry, and if it keeps failing change the prompt or images.",
    ),
    "InternalError.Timeout": (ServerError, None),
    "SystemError": (ServerError, None),
    "ModelServiceFailed": (ServerError, None),
    "ModelUnavailable": (ServerError, "The model is temporarily unavailable; try again later."),
}
# Codes not listed above but sharing a family prefix (e.g. a new "Throttling.Foo").
_PREFIX_TABLE: tuple[tuple[str, type[ServiceError]], ...] = (
    ("Throttling", RateLimitError),
    ("InternalError", ServerError),
    ("DataInspection", ModerationError),
    ("InvalidApiKey", AuthError),
    ("AccessDenied", AccessDeniedError),
    ("BadRequest", InvalidRequestError),
    ("InvalidParameter", InvalidRequestError),
)
_BURST_MESSAGE = "request rate increased too quickly"  # §5: burst protection, sometimes with no code
_BURST_HINT = "Requests were sent in a burst; slow down and retry in a few seconds."
_FREE_QUOTA_HINT = (
    "The free quota is used up; enable paid usage in the Model Studio console (or turn "
    "off 'stop when free quota is used up') before retrying."
)


def _class_for_status(status: int | None) -> type[ServiceError]:
    """Fallback only when the body has no code (§9: branch on code, not status)."""
    if status is None:
        return ServiceError
    if status == 401:
        return AuthError
    if status == 403:
        return AccessDeniedError
    if status == 413:
        return PayloadTooLargeError
    if status == 429:
        return RateLimitError
    if status == 408 or status >= 500:
        return ServerError
    if 400 <= status < 500:
        return InvalidRequestError
    return ServiceError


def error_for_code(
    code: str | None,
    message: str | None,
    *,
    request_id: str | None = None,
    status: int | None = None,
    retry_after: float | None = None,
) -> ServiceError:
    """The exception for a service error `code` (§5), falling back to `status` when there is no code."""
    code = code.strip() if isinstance(code, str) and code.strip() else None
    text = clean_message(message)
    hint: str | None = None
    if code in _CODE_TABLE:
        cls, hint = _CODE_TABLE[code]
    elif code is not None and any(code.startswith(p) for p, _ in _PREFIX_TABLE):
        cls = next(c for p, c in _PREFIX_TABLE if code.startswith(p))
    elif text and _BURST_MESSAGE in text.lower():
        cls, hint = RateLimitError, _BURST_HINT
    else:
        cls = _class_for_status(status)
    if cls is RateLimitError and text and _BURST_MESSAGE in text.lower():
        hint = _BURST_HINT
    if code == "Throttling.AllocationQuota" and text and "free" in text.lower():
        # §5: free quota exceeded will not clear by waiting; the user has to enable billing.
        cls, hint = QuotaError, _FREE_QUOTA_HINT
    kwargs: dict[str, Any] = {"code": code, "request_id": request_id, "status": status, "hint": hint}
    if not text:  # the service said nothing: our own sentence, translatable
        text, kwargs["values"] = _default_message(cls, status), {"status": status}
    if cls is RateLimitError:
        return RateLimitError(text, retry_after=retry_after, **kwargs)
    return cls(text, **kwargs)


# What an error says when the service sent no message: (without a status, with one).
_DEFAULT_MESSAGES: dict[type[ServiceError] | None, tuple[str, str]] = {
    AuthError: (
        QT_TRANSLATE_NOOP("WanError", "The API key was rejected."),
        QT_TRANSLATE_NOOP("WanError", "The API key was rejected (HTTP {status})."),
    ),
    AccessDeniedError: (
        QT_TRANSLATE_NOOP("WanError", "Access to the model was denied."),
        QT_TRANSLATE_NOOP("WanError", "Access to the model was denied (HTTP {status})."),
    ),
    RateLimitError: (
        QT_TRANSLATE_NOOP("WanError", "The service is throttling requests."),
        QT_TRANSLATE_NOOP("WanError", "The service is throttling requests (HTTP {status})."),
    ),
    ServerError: (
        QT_TRANSLATE_NOOP("WanError", "The service had an internal error."),
        QT_TRANSLATE_NOOP("WanError", "The service had an internal error (HTTP {status})."),
    ),
    PayloadTooLargeError: (
        QT_TRANSLATE_NOOP("WanError", "The request was too large for the service."),
        QT_TRANSLATE_NOOP("WanError", "The request was too large for the service (HTTP {status})."),
    ),
    None: (
        QT_TRANSLATE_NOOP("WanError", "The service refused the request."),
        QT_TRANSLATE_NOOP("WanError", "The service refused the request (HTTP {status})."),
    ),
}


def _default_message(cls: type[ServiceError], status: int | None) -> str:
    bare, with_status = _DEFAULT_MESSAGES.get(cls, _DEFAULT_MESSAGES[None])
    return with_status if status else bare


def clean_message(message: object) -> str | None:
    """A server message fit for display: a string, no control characters, bounded length."""
    if message is None:
        return None
    text = message if isinstance(message, str) else str(message)
    text = _CONTROL.sub(" ", text).strip()
    if len(text) > _MAX_MESSAGE_CHARS:
        text = text[:_MAX_MESSAGE_CHARS].rstrip() + "…"
    return text or None


def _string(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# ---------------------------------------------------------------------------------------------
# Bodies
# ---------------------------------------------------------------------------------------------
def decode_json(content: bytes | str, *, status: int | None = None, request_id: str | None = None) -> dict[str, Any]:
    """The JSON object in a response body, or `MalformedResponseError` (HTML page, garbage, a list)."""
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        kind = "an HTML page" if _looks_like_html(content) else "invalid JSON"
        raise MalformedResponseError(
            f"The service answered with {kind} instead of its JSON" + (f" (HTTP {status})" if status else "") + ".",
            status=status,
            request_id=request_id,
        ) from exc
    if not isinstance(data, dict):
        raise MalformedResponseError(
            "The service answered with JSON that is not an object.", status=status, request_id=request_id
        )
    return data


def _looks_like_html(content: bytes | str) -> bool:
    head = content[:512].lstrip()
    if isinstance(head, bytes):
        head = head.decode("latin-1")
    return head[:1] == "<" or "<html" in head.lower()


def error_from_response(
    status: int, content: bytes | str, *, retry_after: float | None = None, request_id: str | None = None
) -> ServiceError:
    """The exception for an HTTP error answer (§4.4), whatever its body looks like.

    A JSON body with a code maps through the code table; a gateway page (HTML, empty, garbage) maps
    by HTTP status and says so, since such a body did not come from the service itself.
    """
    try:
        data: Mapping[str, Any] | None = decode_json(content, status=status)
    except MalformedResponseError:
        data = None
    if data is not None:
        # Some gateways wrap the error as {"error": {...}}; §4.4 puts it at the top level.
        inner = _mapping(data.get("error")) or data
        code = _string(inner.get("code")) or _string(data.get("code"))
        message = inner.get("message") if inner.get("message") is not None else data.get("message")
        rid = _string(data.get("request_id")) or _string(inner.get("request_id")) or request_id
        if code or message is not None:
            return error_for_code(code, clean_message(message), request_id=rid, status=status, retry_after=retry_after)
        request_id = rid
    if _looks_like_html(content):
        message = QT_TRANSLATE_NOOP(
            "WanError", "The request failed: an HTML error page (HTTP {status}) from a proxy or gateway."
        )
    elif not content.strip():
        message = QT_TRANSLATE_NOOP("WanError", "The request failed: HTTP {status} with an empty body.")
    else:
        message = QT_TRANSLATE_NOOP("WanError", "The request failed: HTTP {status} with an unreadable body.")
    cls = _class_for_status(status)
    values = {"status": status}
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=retry_after, status=status, request_id=request_id, values=values)
    return cls(message, status=status, request_id=request_id, values=values)


def body_error(data: Mapping[str, Any], status: int | None = None) -> ServiceError | None:
    """An error carried in a 2xx body (some gateways do that): a code and no output."""
    code = _string(data.get("code"))
    if code and not isinstance(data.get("output"), Mapping):
        return error_for_code(code, data.get("message"), request_id=_string(data.get("request_id")), status=status)
    return None


def _usage(value: object) -> Usage:
    usage = _mapping(value)
    return Usage(
        image_count=_int(usage.get("image_count")),
        size=_string(usage.get("size")),
        input_tokens=_int(usage.get("input_tokens")),
        output_tokens=_int(usage.get("output_tokens")),
        total_tokens=_int(usage.get("total_tokens")),
    )


def image_urls(output: Mapping[str, Any]) -> tuple[str, ...]:
    """Every image URL in an output, in order (§4.1: collect every item with an `image` key)."""
    urls: list[str] = []
    for choice in _list(output.get("choices")):
        message = _mapping(_mapping(choice).get("message"))
        content = message.get("content")
        items = content if isinstance(content, list) else [content]
        for item in items:
            url = _string(_mapping(item).get("image"))
            if url:
                urls.append(url)
    # Older Wan task APIs list results as output.results[].url; accept them too.
    for item in _list(output.get("results")):
        url = _string(_mapping(item).get("url"))
        if url:
            urls.append(url)
    return tuple(urls)


def _require_mapping(data: object, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise MalformedResponseError(f"The service's {what} answer is not a JSON object.")
    return data


def parse_generation(data: object, *, status: int | None = None) -> GenerationResult:
    """A sync result (§4.1). May hold fewer images than asked for, or none (partial/empty results)."""
    body = _require_mapping(data, "generation")
    error = body_error(body, status)
    if error is not None:
        raise error
    request_id = _string(body.get("request_id"))
    output = body.get("output")
    if not isinstance(output, Mapping):
        raise MalformedResponseError("The service's answer has no output.", request_id=request_id, status=status)
    return GenerationResult(
        request_id=request_id,
        image_urls=image_urls(output),
        usage=_usage(body.get("usage")),
        task_id=_string(output.get("task_id")),
    )


def parse_submission(data: object, *, status: int | None = None) -> TaskSubmission:
    """An async create answer (§4.2)."""
    body = _require_mapping(data, "task creation")
    error = body_error(body, status)
    if error is not None:
        raise error
    request_id = _string(body.get("request_id"))
    output = _mapping(body.get("output"))
    task_id = _string(output.get("task_id"))
    if not task_id:
        raise MalformedResponseError(
            "The service accepted the task but sent no task id.", request_id=request_id, status=status
        )
    return TaskSubmission(
        task_id=task_id, request_id=request_id, status=_status(output.get("task_status"), default=TaskStatus.PENDING)
    )


def _status(value: object, *, default: TaskStatus | None = None) -> TaskStatus:
    text = _string(value)
    if text is None:
        if default is not None:
            return default
        raise MalformedResponseError("The task answer has no task_status.")
    try:
        return TaskStatus(text.upper())
    except ValueError:
        # Lenient: a state we do not know is treated as still running; the local deadline bounds it.
        log.warning("unknown task_status %r treated as RUNNING", text[:40])
        return TaskStatus.RUNNING


def parse_task(data: object, *, task_id: str | None = None, status: int | None = None) -> TaskSnapshot:
    """A task query answer (§4.3), in any state. FAILED comes back as a snapshot, not an exception."""
    body = _require_mapping(data, "task query")
    request_id = _string(body.get("request_id"))
    output = body.get("output")
    if not isinstance(output, Mapping):
        error = body_error(body, status)
        if error is not None:
            raise error
        raise MalformedResponseError("The task answer has no output.", request_id=request_id, status=status)
    task_status = _status(output.get("task_status"))
    the_id = _string(output.get("task_id")) or task_id
    if not the_id:
        raise MalformedResponseError("The task answer has no task id.", request_id=request_id)
    metrics_raw = output.get("task_metrics")
    metrics = None
    if isinstance(metrics_raw, Mapping):
        metrics = TaskMetrics(
            total=_int(metrics_raw.get("TOTAL")),
            succeeded=_int(metrics_raw.get("SUCCEEDED")),
            failed=_int(metrics_raw.get("FAILED")),
        )
    result = None
    if task_status is TaskStatus.SUCCEEDED:
        # §4.3: usage is present only on SUCCEEDED.
        result = GenerationResult(
            request_id=request_id, image_urls=image_urls(output), usage=_usage(body.get("usage")), task_id=the_id
        )
    return TaskSnapshot(
        task_id=the_id,
        status=task_status,
        request_id=request_id,
        result=result,
        code=_string(output.get("code")) or _string(body.get("code")),
        message=clean_message(output.get("message") if output.get("message") is not None else body.get("message")),
        submit_time=_string(output.get("submit_time")),
        scheduled_time=_string(output.get("scheduled_time")),
        end_time=_string(output.get("end_time")),
        task_metrics=metrics,
    )


def task_error(snapshot: TaskSnapshot) -> WanError | None:
    """The exception a terminal, unsuccessful task stands for (§4.3); None otherwise."""
    if snapshot.status is TaskStatus.FAILED:
        if snapshot.code is not None:
            return error_for_code(snapshot.code, snapshot.message, request_id=snapshot.request_id)
        # No code and no status to go by: a failed task is the service's failure.
        text = clean_message(snapshot.message)
        if text:
            return ServerError(text, request_id=snapshot.request_id)
        return ServerError(
            QT_TRANSLATE_NOOP("WanError", "Task {task_id} failed."),
            values={"task_id": snapshot.task_id},
            request_id=snapshot.request_id,
        )
    if snapshot.status is TaskStatus.CANCELED:
        return TaskCanceled(
            QT_TRANSLATE_NOOP("WanError", "Task {task_id} was canceled."),
            values={"task_id": snapshot.task_id},
            request_id=snapshot.request_id,
        )
    if snapshot.status is TaskStatus.UNKNOWN:
        return TaskUnknown(
            QT_TRANSLATE_NOOP(
                "WanError",
                "Task {task_id} is unknown to the service (expired after 24 h, or never created with this key).",
            ),
            values={"task_id": snapshot.task_id},
            request_id=snapshot.request_id,
        )
    return None


def raise_for_task(snapshot: TaskSnapshot) -> TaskSnapshot:
    """Raise for FAILED / CANCELED / UNKNOWN; return the snapshot otherwise (for chaining)."""
    error = task_error(snapshot)
    if error is not None:
        raise error
    return snapshot
