"""What the service gives back (§4): a finished generation, an async task and its states, usage.

Apart from models.py (what a request is made of): a window builds requests long before it reads an
answer, and each of these frozen dataclasses costs about a millisecond to define at start-up.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Usage:
    """§4.1 `usage`; `image_count` is what is billed."""

    image_count: int | None = None
    size: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    total_tokens: int | None = None


@dataclass(frozen=True)
class GenerationResult:
    """A finished generation: result URLs (valid 24 h, §4.5) and usage."""

    request_id: str | None
    image_urls: tuple[str, ...]
    usage: Usage = field(default_factory=Usage)
    task_id: str | None = None


class TaskStatus(str, enum.Enum):
    """§4.3 task states."""

    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELED = "CANCELED"
    UNKNOWN = "UNKNOWN"

    @property
    def is_terminal(self) -> bool:
        return self not in (TaskStatus.PENDING, TaskStatus.RUNNING)


@dataclass(frozen=True)
class TaskSubmission:
    """§4.2: what an async create returns."""

    task_id: str
    request_id: str | None
    status: TaskStatus = TaskStatus.PENDING


@dataclass(frozen=True)
class TaskMetrics:
    """§4.3 `output.task_metrics` (older Wan APIs; tolerated, never relied on for billing)."""

    total: int | None = None
    succeeded: int | None = None
    failed: int | None = None


@dataclass(frozen=True)
class TaskSnapshot:
    """One answer of `GET /tasks/{id}` (§4.3). `result` is set only when SUCCEEDED."""

    task_id: str
    status: TaskStatus
    request_id: str | None = None
    result: GenerationResult | None = None
    code: str | None = None
    message: str | None = None
    submit_time: str | None = None
    scheduled_time: str | None = None
    end_time: str | None = None
    task_metrics: TaskMetrics | None = None
