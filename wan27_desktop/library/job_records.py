"""The journal's records: one job (`JobRecord`) and one result URL of a job (`ResultRecord`), as
the library hands them to the jobs layer, the CLI and the job views; and what a stored request says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from wan27_desktop.library.records import JobState

# "failed": this round's download failed, tried again on resume; "unavailable": the host will
# never give it (a permanent refusal, or too many failed rounds); "expired": the host said so.
ResultStatus = Literal["pending", "downloaded", "failed", "expired", "unavailable"]


@dataclass(frozen=True)
class JobRecord:
    id: int
    state: JobState
    model: str
    request_mode: str
    region: str
    endpoint: str
    n: int
    estimated_cost: str
    cost: str | None
    task_id: str | None
    request_id: str | None
    server_status: str | None
    error_code: str | None
    error_message: str | None
    error_hint: str | None
    usage: dict[str, Any] | None
    request_json: dict[str, Any]
    created_at: str
    updated_at: str
    finished_at: str | None
    inputs: tuple[str, ...] = ()
    # The error message's template and values (`WanError.template`/`.values`), when it has values.
    error_template: str | None = None
    error_values: dict[str, Any] | None = None
    # When the create's bytes started to leave; None: never sent, so nothing was billed.
    sent_at: str | None = None

    @property
    def prompt(self) -> str:
        return prompt_of_request(self.request_json)


@dataclass(frozen=True)
class ResultRecord:
    """One result URL of a job (§4.1: one entry per image), persisted before it is downloaded."""

    id: int
    job_id: int
    index: int
    url: str
    expires_at: str | None
    status: ResultStatus
    error: str | None
    image_id: int | None
    created_at: str
    attempts: int = 0  # download rounds so far


def prompt_of_request(request: dict[str, Any]) -> str:
    """§2.1: the one text object of the single user message."""
    try:
        content = request["input"]["messages"][0]["content"]
    except (KeyError, IndexError, TypeError):
        return ""
    for item in content:
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            return item["text"]
    return ""


def image_count_of_request(request: dict[str, Any]) -> int:
    try:
        content = request["input"]["messages"][0]["content"]
    except (KeyError, IndexError, TypeError):
        return 0
    return sum(1 for item in content if isinstance(item, dict) and "image" in item)
