"""Task and result state of the fake, and the JSON bodies built from them (§4.1-§4.4)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from tests.fake_dashscope.validation import ParsedRequest

PENDING, RUNNING, SUCCEEDED, FAILED, CANCELED, UNKNOWN = (
    "PENDING",
    "RUNNING",
    "SUCCEEDED",
    "FAILED",
    "CANCELED",
    "UNKNOWN",
)
TERMINAL = frozenset({SUCCEEDED, FAILED, CANCELED, UNKNOWN})
LIFETIME = 24 * 3600  # §4.5: task data and result URLs live 24 h


def timestamp(epoch: float) -> str:
    """§4.3: 'YYYY-MM-DD HH:MM:SS.mmm', server-local time."""
    moment = _dt.datetime.fromtimestamp(epoch)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


@dataclass
class ResultImage:
    image_id: str
    owner: str  # request_id (sync) or task_id (async)
    width: int
    height: int
    mode: str  # result_image_mode when it was generated
    expires: int  # epoch seconds, the URL's Expires=
    url: str
    seed: str = ""  # drives the pattern colours, so images differ


@dataclass
class Outcome:
    """What a generation produced: images + usage, or a failure code."""

    images: list[ResultImage] = field(default_factory=list)
    usage: dict[str, Any] | None = None
    code: str | None = None  # set => failed
    message: str | None = None
    status: int = 400  # HTTP status when a sync call fails
    empty_variant: str | None = None  # "empty" fault: how the missing images look
    metrics: dict[str, int] | None = None  # "partial" fault: output.task_metrics

    @property
    def failed(self) -> bool:
        return self.code is not None


@dataclass
class Task:
    """One async task. `status` is the state last reported to a client (PENDING at creation)."""

    task_id: str
    request_id: str
    request: ParsedRequest
    submit_time: float
    polls_pending: int
    polls_running: int
    pending_seconds: float | None
    running_seconds: float | None
    status: str = PENDING
    queries: int = 0
    scheduled_time: float | None = None
    end_time: float | None = None
    outcome: Outcome | None = None
    outcome_fault: Any = None  # the Fault taken at create time, applied when the task ends

    def stage_due(self, now: float) -> str:
        """The state this task should be in after `self.queries` queries and at virtual `now`."""
        if self.status in TERMINAL:
            return self.status
        stage = 0
        if self.queries > self.polls_pending:
            stage = 1
        if self.queries > self.polls_pending + self.polls_running:
            stage = 2
        if self.pending_seconds is not None:
            elapsed = now - self.submit_time
            if elapsed >= self.pending_seconds:
                stage = max(stage, 1)
            if elapsed >= self.pending_seconds + (self.running_seconds or 0.0):
                stage = max(stage, 2)
        return (PENDING, RUNNING, "END")[stage]


# ---- bodies -----------------------------------------------------------------------------------


def error_body(request_id: str, code: str, message: str) -> dict[str, Any]:
    """§4.4."""
    return {"request_id": request_id, "code": code, "message": message}


def _choices(images: list[ResultImage], empty_variant: str | None) -> list[dict[str, Any]]:
    if empty_variant == "content_empty":
        return [{"finish_reason": "stop", "message": {"role": "assistant", "content": []}}]
    if empty_variant == "text_only":
        return [
            {
                "finish_reason": "stop",
                "message": {
                    "role": "assistant",
                    "content": [{"type": "text", "text": "Sorry, I could not generate an image for this request."}],
                },
            }
        ]
    # §4.1: one choices[] entry per image.
    return [
        {"finish_reason": "stop", "message": {"role": "assistant", "content": [{"type": "image", "image": image.url}]}}
        for image in images
    ]


def _result_output(outcome: Outcome) -> dict[str, Any]:
    output: dict[str, Any] = {"finished": True}
    if outcome.empty_variant != "no_choices":
        output["choices"] = _choices(outcome.images, outcome.empty_variant)
    if outcome.metrics is not None:
        output["task_metrics"] = dict(outcome.metrics)
    return output


def sync_body(request_id: str, outcome: Outcome) -> dict[str, Any]:
    """§4.1."""
    return {"request_id": request_id, "output": _result_output(outcome), "usage": dict(outcome.usage or {})}


def create_body(request_id: str, task: Task) -> dict[str, Any]:
    """§4.2."""
    return {"request_id": request_id, "output": {"task_id": task.task_id, "task_status": PENDING}}


def unknown_body(request_id: str, task_id: str) -> dict[str, Any]:
    """§4.3: unknown or expired ids are answered 200 with UNKNOWN."""
    return {"request_id": request_id, "output": {"task_id": task_id, "task_status": UNKNOWN}}


def task_body(request_id: str, task: Task) -> dict[str, Any]:
    """§4.3, one shape per state; usage only on SUCCEEDED, code/message on FAILED."""
    output: dict[str, Any] = {
        "task_id": task.task_id,
        "task_status": task.status,
        "submit_time": timestamp(task.submit_time),
    }
    if task.scheduled_time is not None:
        output["scheduled_time"] = timestamp(task.scheduled_time)
    if task.end_time is not None:
        output["end_time"] = timestamp(task.end_time)
    body: dict[str, Any] = {"request_id": request_id, "output": output}
    outcome = task.outcome
    if task.status == SUCCEEDED and outcome is not None:
        output.update(_result_output(outcome))
        if outcome.code:  # partial: code/message may accompany a success (§4.3)
            output["code"], output["message"] = outcome.code, outcome.message
        body["usage"] = dict(outcome.usage or {})
    elif task.status == FAILED and outcome is not None:
        output["code"], output["message"] = outcome.code, outcome.message
    return body


# ---- the task listing (§1.2 [SDK]) ------------------------------------------------------------

_LIST_STATUSES = frozenset({PENDING, RUNNING, SUCCEEDED, FAILED, CANCELED})
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class ListFilters:
    """`GET /tasks` query: times `YYYYMMDDhhmmss` (server-local, like the task timestamps), the
    model, a status, the key id, and paging (page 1 of 10 by default)."""

    start: float | None = None
    end: float | None = None
    model_name: str | None = None
    status: str | None = None
    api_key_id: str | None = None
    page_no: int = 1
    page_size: int = 10

    @classmethod
    def parse(cls, query: dict[str, str]) -> ListFilters:
        from tests.fake_dashscope.validation import invalid

        def when(name: str) -> float | None:
            text = query.get(name)
            if not text:
                return None
            try:
                return _dt.datetime.strptime(text, "%Y%m%d%H%M%S").timestamp()  # server-local
            except ValueError:
                raise invalid(f"{name} must be YYYYMMDDhhmmss, not {text!r}.") from None

        def number(name: str, default: int, high: int) -> int:
            text = query.get(name)
            if text is None or text == "":
                return default
            if not text.isdigit() or not 1 <= int(text) <= high:
                raise invalid(f"{name} must be a whole number from 1 to {high}, not {text!r}.")
            return int(text)

        status = query.get("status") or None
        if status is not None and status not in _LIST_STATUSES:
            raise invalid(f"status must be one of {sorted(_LIST_STATUSES)}, not {status!r}.")
        return cls(
            start=when("start_time"),
            end=when("end_time"),
            model_name=query.get("model_name") or None,
            status=status,
            api_key_id=query.get("api_key_id") or None,
            page_no=number("page_no", 1, 1_000_000),
            page_size=number("page_size", 10, MAX_PAGE_SIZE),
        )

    def matches(self, task: Task, key_id: str) -> bool:
        return (
            (self.start is None or task.submit_time >= self.start)
            and (self.end is None or task.submit_time <= self.end)
            and (self.model_name is None or task.request.model == self.model_name)
            and (self.status is None or task.status == self.status)
            and (self.api_key_id is None or self.api_key_id == key_id)
        )


def _millis(epoch: float | None) -> int | None:
    return None if epoch is None else int(epoch * 1000)


def list_body(request_id: str, tasks: list[Task], filters: ListFilters, region: str, key_id: str) -> dict[str, Any]:
    """The SDKs' AsyncTaskListResult: entries as AsyncTaskInfo, times in epoch milliseconds."""
    first = (filters.page_no - 1) * filters.page_size
    page = tasks[first : first + filters.page_size]
    return {
        "request_id": request_id,
        "data": [
            {
                "api_key_id": key_id,
                "caller_parent_id": "fake-account",
                "caller_uid": "fake-account",
                "gmt_create": _millis(task.submit_time),
                "start_time": _millis(task.scheduled_time),
                "end_time": _millis(task.end_time),
                "model_name": task.request.model,
                "region": {"sg": "ap-southeast-1", "cn": "cn-beijing"}.get(region, region),
                "request_id": task.request_id,
                "status": task.status,
                "task_id": task.task_id,
                "user_api_unique_key": f"apikey:v1:aigc:image-generation:{task.request.model}",
            }
            for task in page
        ],
        "total": len(tasks),
        "total_page": -(-len(tasks) // filters.page_size),
        "page_no": filters.page_no,
        "page_size": filters.page_size,
    }
