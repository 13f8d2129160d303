"""This account's recent Wan 2.7 tasks at the service (`GET /tasks`, §1.2), and which of them this
library holds: what `wan27 jobs remote` and Jobs › Tasks at the Service show, so a user can adopt a
task that is missing (made on another machine, by the SDK, or lost to a crash) before the service
forgets it (24 h, §4.5). Blocking: the GUI calls it on a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from wan27_desktop.api.models import Model
from wan27_desktop.api.tasklist import TaskSummary, listing_window

if TYPE_CHECKING:
    from wan27_desktop.jobs.runner import Connection
    from wan27_desktop.library import Library

STATUSES = ("PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED")
WAN_MODELS = tuple(model.value for model in Model)
PAGE_SIZE = 10  # §1.2's default; the service's largest page is not documented
MAX_PAGES = 20  # per model: 200 tasks a day is more than the account's 5-at-a-time allows to matter
TASK_LIFETIME = timedelta(hours=24)  # §4.5


@dataclass(frozen=True)
class RemoteTask:
    """A task at the service, and the job holding it here (None: not in this library)."""

    summary: TaskSummary
    job_id: int | None


def _default_client(connection: Connection) -> Any:
    from wan27_desktop.api.client import DashScopeClient

    return DashScopeClient(connection.api_key, connection.base_url)


def wan_tasks(
    client: Any, *, since: timedelta = TASK_LIFETIME, status: str | None = None, now: datetime | None = None
) -> list[TaskSummary]:
    """The account's Wan 2.7 image tasks submitted in the last `since`, newest first."""
    now = now or datetime.now(timezone.utc)
    start, end = listing_window(since, now)
    cutoff = now - since
    found: dict[str, TaskSummary] = {}
    for model in WAN_MODELS:
        for page_no in range(1, MAX_PAGES + 1):
            page = client.list_tasks(
                start_time=start, end_time=end, model_name=model, status=status, page_no=page_no, page_size=PAGE_SIZE
            )
            for task in page.tasks:
                if task.model_name not in (None, model):
                    continue  # lenient: a service that ignored the filter
                if task.submitted is not None and task.submitted < cutoff:
                    continue  # the window was widened for the unknown time zone (tasklist.py)
                if status is not None and task.status.value != status:
                    continue
                found.setdefault(task.task_id, task if task.model_name else _with_model(task, model))
            if not page.tasks or not page.has_more:
                break
    epoch = datetime.min.replace(tzinfo=timezone.utc)
    return sorted(found.values(), key=lambda t: t.submitted or epoch, reverse=True)


def _with_model(task: TaskSummary, model: str) -> TaskSummary:
    from dataclasses import replace

    return replace(task, model_name=model)


def list_remote_tasks(
    connection: Connection,
    library: Library,
    *,
    since: timedelta = TASK_LIFETIME,
    status: str | None = None,
    client_factory: Callable[[Connection], Any] = _default_client,
) -> list[RemoteTask]:
    """`wan_tasks` for this connection, each marked with the job that holds it here, if any."""
    client = client_factory(connection)
    try:
        tasks = wan_tasks(client, since=since, status=status)
    finally:
        client.close()
    held = library.jobs.jobs_of_tasks(task.task_id for task in tasks)
    return [RemoteTask(task, held.get(task.task_id)) for task in tasks]


def model_of_task(client: Any, task_id: str) -> str | None:
    """Which Wan 2.7 model made a task, from the listing (a task query does not say); None when
    the listing does not show it (then the job's cost stays unknown rather than guessed)."""
    for task in wan_tasks(client):
        if task.task_id == task_id:
            return task.model_name
    return None
