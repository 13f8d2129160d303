"""This account's recent Wan 2.7 tasks at the service (`GET /tasks`, §1.2), and which of them this
library holds: what `wan27 jobs remote` and Jobs › Tasks at the Service show, so a user can adopt a
task that is missing (made on another machine, by the SDK, or lost to a crash) before the service
forgets it (24 h, §4.5). Blocking: the GUI calls it on a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from wan27_desktop.api.models import Model
from wan27_desktop.api.tasklist import TaskSummary, listing_window

if TYPE_CHECKING:
    from wan27_desktop.jobs.runner import Connection
    from wan27_desktop.library import JobRecord, Library
    from wan27_desktop.library.batches import BatchRow

STATUSES = ("PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED")
WAN_MODELS = tuple(model.value for model in Model)
PAGE_SIZE = 10  # §1.2's default; the service's largest page is not documented
MAX_PAGES = 20  # per model: 200 tasks a day is more than the account's 5-at-a-time allows to matter
TASK_LIFETIME = timedelta(hours=24)  # §4.5: task ids and result URLs live 24 h (the job runner's too)


@dataclass(frozen=True)
class RemoteTask:
    """A task at the service, and the job holding it here (None: not in this library). `lost_jobs`:
    for a task not here, the jobs whose create answer was lost while the service made it (one:
    fetching it carries it on in that job; several: it could be any one's)."""

    summary: TaskSummary
    job_id: int | None
    lost_jobs: tuple[int, ...] = ()


def _default_client(connection: Connection) -> Any:
    from wan27_desktop.api.client import DashScopeClient

    return DashScopeClient(connection.api_key, connection.base_url)


def wan_tasks(
    client: Any, *, since: timedelta = TASK_LIFETIME, status: str | None = None, now: datetime | None = None
) -> list[TaskSummary]:
    """The account's Wan 2.7 image tasks submitted in the last `since`, newest first."""
    return _listing(client, WAN_MODELS, since=since, status=status, now=now)[0]


def _listing(
    client: Any,
    models: tuple[str, ...],
    *,
    since: timedelta,
    status: str | None = None,
    now: datetime | None = None,
) -> tuple[list[TaskSummary], float | None]:
    """`models`' tasks submitted in the last `since`, newest first, and how far the service's clock
    is ahead of ours (None when its answers carry no `Date`)."""
    now = now or datetime.now(timezone.utc)
    start, end = listing_window(since, now)
    cutoff = now - since
    found: dict[str, TaskSummary] = {}
    offset: float | None = None
    for model in models:
        for page_no in range(1, MAX_PAGES + 1):
            page = client.list_tasks(
                start_time=start, end_time=end, model_name=model, status=status, page_no=page_no, page_size=PAGE_SIZE
            )
            if offset is None:
                offset = page.clock_offset_s
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
    return sorted(found.values(), key=lambda t: t.submitted or epoch, reverse=True), offset


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
    """`wan_tasks` for this connection, each marked with the job that holds it here, if any, and for
    one not here, the jobs whose create answer was lost while the service made it."""
    client = client_factory(connection)
    try:
        tasks, offset = _listing(client, WAN_MODELS, since=since, status=status)
    finally:
        client.close()
    held = library.jobs.jobs_of_tasks(task.task_id for task in tasks)
    lost = {model: lost_answer_jobs(library, model, connection.region.value) for model in WAN_MODELS}

    def lost_jobs(task: TaskSummary) -> tuple[int, ...]:
        if task.task_id in held:
            return ()
        return tuple(job.id for job in lost.get(task.model_name or "", ()) if made_while_lost(job, task, offset or 0.0))

    return [RemoteTask(task, held.get(task.task_id), lost_jobs(task)) for task in tasks]


# -- the task of a create whose answer was lost -----------------------------------------------------
# The service makes the task between the create's bytes leaving (the journal's `sent_at`) and its
# answer. Before: the clocks' resolution (the `Date` header has whole seconds). After: a large body
# still uploading, and the service's own queue.
LOST_TASK_BEFORE = timedelta(seconds=5)
LOST_TASK_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class LostTaskSearch:
    """What the service's task list says of a job whose create answer was lost (`find_lost_task`).

    `found`: the one task that can only be this job's; `candidates`: the tasks that could be;
    `rival`: another job with a lost answer that could have made the only candidate; `fetched_as`:
    the job here the only candidate was fetched into by its id."""

    found: TaskSummary | None
    candidates: tuple[TaskSummary, ...]
    by_request_id: bool = False
    rival: int | None = None
    fetched_as: int | None = None
    # Another job's create was on its way at the time and its answer may still come: once it has
    # (its task held), a look again may tell this job's task apart.
    settling: bool = False


def lost_answer_jobs(library: Library, model: str, region: str) -> list[JobRecord]:
    """Jobs of `model` sent to `region` whose create answer never came (no task id), sent in the
    last two days: each could own a task of the list made then."""
    from wan27_desktop.library import JobState, parse_time

    now = datetime.now(timezone.utc)
    found = []
    for job in library.jobs.find(states=[JobState.SUBMITTING, JobState.INTERRUPTED], limit=1000):
        sent = parse_time(job.sent_at) if job.sent_at else None
        mine = (job.model, job.region) == (model, region) and job.task_id is None
        if mine and sent is not None and now - sent < 2 * TASK_LIFETIME:
            found.append(job)
    return found


def paused_rows(library: Library, rows: Iterable[BatchRow]) -> set[int]:
    """Positions of batch rows whose create answer was lost and whose task is not told apart, that
    no process is looking for now: paused for the user, though the batch counts them unfinished."""
    from wan27_desktop.jobs.notices import ANSWER_LOST

    running = library.jobs.leased()
    return {
        row.position
        for row in rows
        if row.job_error_code == ANSWER_LOST and row.status == "running" and row.job_id not in running
    }


def made_while_lost(job: JobRecord, task: TaskSummary, offset_s: float) -> bool:
    """Whether the service made `task` while `job`'s create was on its way, by the service's clock
    (`offset_s`: how far it is ahead of ours). Times given as text in an unstated zone never match."""
    from wan27_desktop.library import parse_time

    sent = parse_time(job.sent_at) if job.sent_at else None
    if sent is None or task.submitted is None or not task.exact_times:
        return False
    centre = sent + timedelta(seconds=offset_s)
    return centre - LOST_TASK_BEFORE <= task.submitted <= centre + LOST_TASK_AFTER


def find_lost_task(client: Any, library: Library, job: JobRecord, *, request_id: str | None = None) -> LostTaskSearch:
    """The task `job`'s create made, when its answer was lost (a dropped connection, a crash).

    From the service's list of the job's model's tasks: the one with the create's request id when
    it is known (a 2xx that could not be read) and no job here holds it; else the one the service
    made while the create was on its way (`made_while_lost`, by the service's clock: ours is
    corrected by the `Date` header of its answers). It is `found` only when no other task could be
    it (one fetched here by its id counts) and no other job with a lost answer could have made it;
    otherwise `candidates` lists what the user can choose from. Raises WanError when the list
    cannot be read."""
    from wan27_desktop.jobs.serialize import is_adopted
    from wan27_desktop.library import JobState, parse_time

    now = datetime.now(timezone.utc)
    sent = parse_time(job.sent_at) if job.sent_at else None
    if sent is None:  # never sent: no task can be its
        return LostTaskSearch(None, ())
    since = min(TASK_LIFETIME, max(timedelta(0), now - sent) + LOST_TASK_AFTER + timedelta(hours=1))
    # The other jobs without a task id are read before the list, and who holds what after it: a job
    # whose answer arrives in between is then either still a rival or holds its task, never neither.
    rivals = [other for other in lost_answer_jobs(library, job.model, job.region) if other.id != job.id]
    # A rival still waiting for its create's answer (a live process holds it; a job looking for its
    # task is marked AnswerLost) will soon hold its own task: a look after that may tell ours apart.
    running = library.jobs.leased()
    waiting = [r for r in rivals if r.state is JobState.SUBMITTING and not r.error_code and r.id in running]
    tasks, listed_offset = _listing(client, (job.model,), since=since, now=now)
    offset = listed_offset or 0.0
    held = library.jobs.jobs_of_tasks(task.task_id for task in tasks)
    if request_id:
        same = [task for task in tasks if task.request_id == request_id and task.task_id not in held]
        if len(same) == 1:
            return LostTaskSearch(same[0], tuple(same), by_request_id=True)
    # Made while the create was on its way, and not a task a job got from its own create's answer:
    # one fetched here by its id may be the very task the lost answer made.
    fetched: dict[str, int] = {}
    made_then: list[TaskSummary] = []
    for task in tasks:
        if not made_while_lost(job, task, offset):
            continue
        holder = held.get(task.task_id)
        if holder is not None:
            if not is_adopted(library.jobs.get(holder).request_json):
                continue
            fetched[task.task_id] = holder
        made_then.append(task)
    candidates = tuple(made_then)
    settling = any(made_while_lost(r, task, offset) for r in waiting for task in candidates)
    if len(candidates) != 1:
        return LostTaskSearch(None, candidates, settling=settling)
    (task,) = candidates
    if task.task_id in fetched:
        return LostTaskSearch(None, candidates, fetched_as=fetched[task.task_id])
    for other in rivals:
        if made_while_lost(other, task, offset):  # it could be that job's
            return LostTaskSearch(None, candidates, rival=other.id, settling=settling)
    return LostTaskSearch(task, candidates)


def lost_job_of(library: Library, task: TaskSummary, region: str, offset_s: float | None) -> JobRecord | None:
    """The one job here whose create answer was lost while the service made `task` (the user fetches
    a task by its id: it goes into that job, which keeps its request); None when none or several."""
    if not task.model_name:
        return None
    lost = lost_answer_jobs(library, task.model_name, region)
    claimants = [job for job in lost if made_while_lost(job, task, offset_s or 0.0)]
    return claimants[0] if len(claimants) == 1 else None


def listed_task(client: Any, task_id: str) -> tuple[TaskSummary | None, float | None]:
    """A task as the service's list shows it (its model and when it was made; a task query says
    neither), and how far the service's clock is ahead of ours."""
    tasks, offset = _listing(client, WAN_MODELS, since=TASK_LIFETIME)
    return next((task for task in tasks if task.task_id == task_id), None), offset
