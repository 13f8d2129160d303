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
