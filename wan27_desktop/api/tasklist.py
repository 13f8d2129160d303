"""The account's task listing, `GET /tasks?start_time=&end_time=&model_name=&status=&page_no=&page_size=`
(§1.2, [SDK]): what it answers, read leniently, and the time format it takes.

The reference gives the path and parameters only. The official SDKs read the answer as
`{request_id, data: [...], total, total_page, page_no, page_size}`, each entry with `task_id`,
`status`, `model_name`, `request_id`, `region`, `api_key_id` and times `gmt_create`, `start_time`
and `end_time` in epoch milliseconds. We also accept `task_status` for `status`, times in seconds
or as `YYYY-MM-DD HH:MM:SS(.mmm)` text, and a list under `output` (where a task query keeps it).

§1.2 does not say in which time zone `start_time`/`end_time` are read, so `listing_window` widens
the window by a day on each side and callers filter on `submitted` (an epoch, unambiguous).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from wan27_desktop.api.errors import MalformedResponseError
from wan27_desktop.api.results import TaskStatus
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

_LISTING_TIME = "%Y%m%d%H%M%S"  # §1.2
# A task id as it may appear in a path: no '/', '..', spaces or anything that would change the URL.
TASK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
_ZONE_MARGIN = timedelta(days=1)  # the listing's time zone is not stated (§1.2)


@dataclass(frozen=True)
class TaskSummary:
    """One entry of the listing. `submitted`/`ended` are UTC; None when the service did not say."""

    task_id: str
    status: TaskStatus
    model_name: str | None = None
    request_id: str | None = None
    region: str | None = None
    submitted: datetime | None = None
    ended: datetime | None = None
    exact_times: bool = False  # the times were epochs (the SDKs' shape): no time zone to guess


@dataclass(frozen=True)
class TaskPage:
    tasks: tuple[TaskSummary, ...]
    page_no: int
    page_size: int
    total: int | None = None
    total_pages: int | None = None
    request_id: str | None = None
    # How far the service's clock is ahead of ours, from the answer's HTTP `Date` header (whole
    # seconds); None without one. Lets a caller compare its own times with the tasks'.
    clock_offset_s: float | None = None

    @property
    def has_more(self) -> bool:
        if self.total_pages is not None:
            return self.page_no < self.total_pages
        if self.total is not None:
            return self.page_no * self.page_size < self.total
        return len(self.tasks) >= self.page_size


def is_task_id(text: str) -> bool:
    return isinstance(text, str) and bool(TASK_ID.match(text))


def listing_window(since: timedelta, now: datetime | None = None) -> tuple[str, str]:
    """(start_time, end_time) covering the last `since` whatever zone the service reads them in."""
    now = now or datetime.now(timezone.utc)
    start = now - since - _ZONE_MARGIN
    end = now + _ZONE_MARGIN
    return start.strftime(_LISTING_TIME), end.strftime(_LISTING_TIME)


def parse_time(value: object) -> datetime | None:
    """Epoch milliseconds or seconds (number or digits), or 'YYYY-MM-DD HH:MM:SS(.mmm)' read as UTC."""
    if value is None or isinstance(value, bool):
        return None
    number: float | None = None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = float(value.strip())
    if number is not None:
        if number <= 0:
            return None
        seconds = number / 1000.0 if number > 1e11 else number  # ms since 1973 vs s before 5138
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", _LISTING_TIME):
            try:
                return datetime.strptime(value.strip(), fmt).replace(tzinfo=timezone.utc)
            except ValueError:
                continue
    return None


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _summary(entry: object) -> TaskSummary | None:
    if not isinstance(entry, Mapping):
        return None
    task_id = _text(entry.get("task_id"))
    if task_id is None:
        return None
    raw_status = _text(entry.get("status")) or _text(entry.get("task_status")) or ""
    try:
        status = TaskStatus(raw_status.upper())
    except ValueError:
        status = TaskStatus.UNKNOWN
    created = next((v for v in (entry.get("gmt_create"), entry.get("submit_time")) if parse_time(v)), None)
    return TaskSummary(
        task_id=task_id,
        status=status,
        model_name=_text(entry.get("model_name")) or _text(entry.get("model")),
        request_id=_text(entry.get("request_id")),
        region=_text(entry.get("region")),
        submitted=parse_time(created),
        ended=parse_time(entry.get("end_time")),
        exact_times=_is_epoch(created),
    )


def _is_epoch(value: object) -> bool:
    """A time given as a number (epoch): unambiguous, unlike text read in an unstated zone."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit())


def clock_offset(date_header: str | None, received: datetime | None = None) -> float | None:
    """Seconds the service's clock is ahead of ours: an HTTP `Date` header (RFC 9110, whole
    seconds, UTC) against when its answer arrived here; None without a readable header."""
    if not date_header:
        return None
    from email.utils import parsedate_to_datetime

    try:
        stamp = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError):
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    received = received or datetime.now(timezone.utc)
    # The header is truncated to the second: its middle is half a second later.
    return (stamp - received).total_seconds() + 0.5


def parse_task_page(
    data: Any, *, status: int | None = None, date_header: str | None = None, received: datetime | None = None
) -> TaskPage:
    """One page of the listing; entries without a task id are skipped, a page without a list is
    `MalformedResponseError`."""
    if not isinstance(data, Mapping):
        raise MalformedResponseError(
            QT_TRANSLATE_NOOP("WanError", "The task listing is not a JSON object."), status=status
        )
    body: Mapping[str, Any] = data
    entries = body.get("data")
    if entries is None and isinstance(body.get("output"), Mapping):
        body = {**body, **body["output"]}
        entries = body.get("data")
    if not isinstance(entries, list):
        raise MalformedResponseError(
            QT_TRANSLATE_NOOP("WanError", "The task listing has no list of tasks."),
            status=status,
            request_id=_text(data.get("request_id")),
        )
    tasks = tuple(t for t in (_summary(e) for e in entries) if t is not None)
    page_no = _int(body.get("page_no")) or 1
    page_size = _int(body.get("page_size")) or max(len(entries), 1)
    return TaskPage(
        tasks=tasks,
        page_no=page_no,
        page_size=page_size,
        total=_int(body.get("total")),
        total_pages=_int(body.get("total_page")),
        request_id=_text(data.get("request_id")),
        clock_offset_s=clock_offset(date_header, received),
    )
