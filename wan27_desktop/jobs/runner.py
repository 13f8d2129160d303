"""The job runner: journal first, then send; commit every fact the moment it is known (Qt-free).

Order of durable facts for one job (each a committed transaction before the next step):
  1. the job row (state queued) with the request, its content-addressed inputs, and where it goes
     (region and endpoint: resume, poll, cancel and fetch always use these, whatever the settings
     say later; the key is looked up for the job's region)
  2. `sent_at`, the moment the create's bytes start to leave: a job interrupted before that was
     not sent and not billed
  3. sync: request id, usage, cost and the result URLs; async/automatic: the task id, then the same
     on success
  4. each image, as it lands (file renamed into place, then its row)
A crash between any two steps is recovered by `resume`, which never resubmits a create (§5).

Money rules (issue 14): only a service-confirmed CANCELED makes a job canceled; a refused cancel
keeps polling and lands the (billed) images; a paid result always lands, whatever the user asked;
expiry is decided by the result host (403) or the service (task UNKNOWN after 24 h), never by the
local clock alone; a result whose link never works ends after `MAX_DOWNLOAD_ROUNDS`.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar, cast

from wan27_desktop.api import pricing
from wan27_desktop.api.constants import DOWNLOAD_ROUNDS, POLL_DEADLINE_S
from wan27_desktop.api.errors import (
    Canceled,
    InterruptedCreateError,
    InvalidRequestError,
    ReferenceImageError,
    ResultExpired,
    ServiceError,
    TaskCanceled,
    TaskTimeout,
    TaskUnknown,
    ValidationError,
    ValidationIssue,
    WanError,
)
from wan27_desktop.api.models import GenerationRequest, Model, Region, RequestMode
from wan27_desktop.api.polling import AUTOMATIC_POLLING, REFERENCE_POLLING, PollSchedule, schedule_of
from wan27_desktop.api.request_body import EncodedImage, build_body
from wan27_desktop.api.results import GenerationResult, TaskSnapshot, TaskStatus
from wan27_desktop.api.retry import RetryNotice
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.api.validation import validate
from wan27_desktop.crashpoints import crashpoint
from wan27_desktop.jobs import notices
from wan27_desktop.jobs.notices import ANSWER_LOST
from wan27_desktop.jobs.notices import message_fields as _message_fields
from wan27_desktop.jobs.remote import TASK_LIFETIME
from wan27_desktop.jobs.serialize import is_adopted, request_from_json, request_mode_of, request_to_json
from wan27_desktop.library import JobRecord, JobState, Library, parse_time
from wan27_desktop.private_files import make_dirs

log = logging.getLogger("wan27.jobs")
_Method = TypeVar("_Method", bound=Callable[..., Any])

MAX_BODY_BASE64 = 24 * 1024 * 1024
MAX_DOWNLOAD_ROUNDS = DOWNLOAD_ROUNDS  # each round is one download_result (itself with retries)
# When a create's answer was lost while other creates were on their way, their answers tell their
# tasks apart from this one's: look again after these pauses (seconds) while any is still due.
LOST_TASK_LOOKS_S = (0.0, 2.0, 5.0, 15.0)
# A lost answer's job whose list shows no candidate ends this long after the service stops keeping
# tasks (24 h): room for our clock and the service's to disagree.
LOST_TASK_CLOCK_MARGIN = timedelta(hours=1)
UNFINISHED = (JobState.SUBMITTING, JobState.SUBMITTED, JobState.RUNNING, JobState.DOWNLOADING)
_LOCAL_TROUBLE = ("DiskFull", "SaveFailed")  # our disk, not the result host: no round is counted


@dataclass(frozen=True)
class Connection:
    """Where to send, with which key. The key never leaves this object except in the auth header."""

    region: Region
    base_url: str
    api_key: str = field(repr=False)


@dataclass(frozen=True)
class JobEvent:
    """A change in a job that a UI or CLI may show. `notice` is news about a job that goes on
    (rate-limited and retrying, a refused cancel), never a failure."""

    job_id: int
    state: JobState
    server_status: str | None = None
    images_done: int = 0
    images_expected: int = 0
    image_id: int | None = None
    error: WanError | None = None
    notice: WanError | None = None


ClientFactory = Callable[[Connection], Any]
ConnectionResolver = Callable[[Region, str], Connection]


def _leased(method: _Method) -> _Method:
    """Work on a job only while holding its lease (issue 14: one process per job). When another
    process - or other work in this one - holds it, nothing is done and the job's record as it
    stands is returned: that owner carries it on and finishes it once."""

    @functools.wraps(method)
    def run_leased(self: JobRunner, job_id: int, *args: Any, **kwargs: Any) -> Any:
        lease = self.library.jobs.claim(job_id)
        if lease is None:
            log.info("job %s is run by another process; left to it", job_id)
            return self.library.jobs.get(job_id)
        with lease:
            return method(self, job_id, *args, **kwargs)

    return cast(_Method, run_leased)


def _default_client_factory(connection: Connection) -> Any:
    from wan27_desktop.api.client import DashScopeClient

    return DashScopeClient(connection.api_key, connection.base_url)


def _default_resolver(region: Region, endpoint: str) -> Connection:
    from wan27_desktop.jobs.connection import resolve_connection

    return resolve_connection(region, endpoint)


class JobRunner:
    """Runs journaled jobs against one library. One runner per thread.

    `connection` is where new jobs go (the current settings); a job already journaled always goes
    where it was sent, through `connection_for(region, endpoint)` when that differs.
    """

    def __init__(
        self,
        library: Library,
        connection: Connection | None,
        *,
        client_factory: ClientFactory = _default_client_factory,
        on_event: Callable[[JobEvent], None] | None = None,
        poll_interval: PollSchedule | tuple[float, float] | None = None,
        poll_deadline_s: float = POLL_DEADLINE_S,
        should_cancel: Callable[[], bool] | None = None,
        should_stop: Callable[[], bool] | None = None,
        connection_for: ConnectionResolver | None = None,
    ) -> None:
        self.library = library
        self.connection = connection
        self._client_factory = client_factory
        self._connection_for = connection_for or _default_resolver
        self._on_event = on_event
        # None: each mode's own schedule (Automatic adaptive, async §6's 5-10 s); else for every job.
        self.poll_interval = poll_interval
        self.poll_deadline_s = poll_deadline_s
        # `should_cancel`: the user canceled this job. `should_stop`: the app is closing; the job
        # must stay resumable, so stopping never changes its journaled state.
        self._user_cancel = should_cancel or (lambda: False)
        self._app_stop = should_stop or (lambda: False)
        self._cancel_asked = False  # the user's cancel was passed on to the service
        self._clients: dict[tuple[str, str], Any] = {}
        self._download_client: Any = None
        self._lock = threading.Lock()
        self._in_create = threading.Event()
        self._bytes_left = threading.Event()
        self._active: tuple[int, RequestMode] | None = None

    # -- public -------------------------------------------------------------------------------
    def create(
        self,
        request: GenerationRequest,
        request_mode: RequestMode,
        state: JobState = JobState.QUEUED,
        *,
        on_insert: Callable[[sqlite3.Connection, int], None] | None = None,
    ) -> int:
        """Journal a new job (validated, inputs copied into the library); nothing is sent yet.
        `on_insert` runs in the job's own transaction (see `JobStore.create_job`)."""
        validate(request)
        check_references(request)
        connection = self._require_connection()
        local_inputs = [Path(i.source) for i in request.images if not i.is_url]
        shas = [None if i.is_url else _sha256_of(Path(i.source)) for i in request.images]
        placeholder_body = build_body(request, [EncodedImage(i.source, i.boxes) for i in request.images])
        job_id = self.library.jobs.create(
            request_to_json(request, placeholder_body, shas, request_mode),
            model=request.model.value,
            request_mode=request_mode.value,
            region=connection.region.value,
            endpoint=connection.base_url,
            n=request.n,
            estimated_cost=str(pricing.estimate(connection.region, request.model, request.n)),
            state=state,
            inputs=local_inputs,
            on_insert=on_insert,
            hold=True,  # leased from the moment it is journaled until `run` lets go of it
        )
        self._emit(job_id, state)
        return job_id

    @_leased
    def run(self, job_id: int) -> JobRecord:
        """Send a journaled job and see it through; returns the final record. Never raises WanError."""
        job = self.library.jobs.get(job_id)
        mode = request_mode_of(job.request_json)
        self._active = (job_id, mode)
        self._cancel_asked = False  # per job: a runner may run several (a batch's workers do)
        try:
            self._check_space(job)
            body, request = self._prepare(job)
            if mode is RequestMode.SYNC:
                self._run_sync(job, body, request)
            else:
                self._run_async(job, body, request)
        except Canceled:
            self._create_canceled(job_id)
        except WanError as err:
            self._fail(job_id, err)
        finally:
            self._active = None
        return self.library.jobs.get(job_id)

    @_leased
    def resume(self, job_id: int) -> JobRecord:
        """Carry an unfinished job on after a crash or restart, without ever resubmitting it. An
        expired job is tried again: only the result host or the service can say it is gone."""
        job = self.library.jobs.get(job_id)
        self._active = (job_id, request_mode_of(job.request_json))
        self._cancel_asked = False
        try:
            self._resume(job)
        except WanError as err:
            self._fail(job_id, err)
        finally:
            self._active = None
        return self.library.jobs.get(job_id)

    def resume_all(self) -> list[int]:
        """Resume every unfinished job; returns their ids. Used at start and by `wan27 jobs resume`."""
        self.close_unsent_queued()
        ids = []
        unfinished = self.library.jobs.unfinished()
        in_batches = self.library.batches.member_job_ids(job.id for job in unfinished)
        running_elsewhere = self.library.jobs.leased()
        for job in unfinished:
            if job.id in in_batches:
                continue  # a batch's runner resumes its own rows (jobs/batch/scheduler.py)
            if job.id in running_elsewhere:
                continue  # its process carries it on
            ids.append(job.id)
            self.resume(job.id)
        return ids

    def close_unsent_queued(self) -> list[int]:
        """Jobs a previous session queued but never sent: close them as canceled (nothing billed).
        They are not sent on their own at start; the user can retry them. A batch's rows are left
        to the batch: the user confirmed the whole batch, and resuming it sends them. Jobs queued in a
        window that is still open are its own (leased)."""
        waiting_elsewhere = self.library.jobs.leased()
        ids = [job.id for job in self.library.jobs.find(states=[JobState.QUEUED], limit=10_000)]
        in_batches = self.library.batches.member_job_ids(ids)
        ids = [job_id for job_id in ids if job_id not in in_batches and job_id not in waiting_elsewhere]
        for job_id in ids:
            self.cancel_unsent(
                job_id,
                QT_TRANSLATE_NOOP(
                    "WanError", "Not sent: the app closed before this job's turn came. Nothing was billed."
                ),
            )
        return ids

    @_leased
    def cancel_unsent(
        self,
        job_id: int,
        message: str = QT_TRANSLATE_NOOP("WanError", "Canceled before it was sent. Nothing was billed."),
    ) -> None:
        self.library.jobs.update(
            job_id,
            state=JobState.CANCELED,
            error_code="Canceled",
            error_message=message,
            error_hint=QT_TRANSLATE_NOOP("WanError", "Retry to send it."),
        )
        self._emit(job_id, JobState.CANCELED, error=Canceled(message))

    def cancel(self, job_id: int, *, confirm_s: float = 30.0) -> JobRecord:
        """The user's Cancel for a job this runner is not running (`wan27 jobs cancel`); the same
        rules as a running job's cancel: a queued job closes unsent, a task is canceled only if the
        service confirms it (a refused cancel is recorded, the task will be billed and its images
        land), anything already with the service says so. Raises WanError when nothing can be done."""
        job = self.library.jobs.get(job_id)
        self._active = (job_id, request_mode_of(job.request_json))
        try:
            if job.state is JobState.QUEUED:
                if self.library.jobs.is_leased(job_id):  # its window would send it all the same
                    raise WanError(
                        QT_TRANSLATE_NOOP(
                            "WanError", "Job {job} is waiting for its turn in another Wan 2.7 window; cancel it there."
                        ),
                        values={"job": job_id},
                        code="RunningElsewhere",
                        hint=QT_TRANSLATE_NOOP("WanError", "Use Cancel on the job's row in that window."),
                    )
                self.cancel_unsent(job_id)
            elif job.state.is_terminal:
                raise WanError(
                    QT_TRANSLATE_NOOP("WanError", "Job {job} has already ended ({state}); there is nothing to cancel."),
                    values={"job": job_id, "state": job.state.value},
                    code="NothingToCancel",
                    hint=QT_TRANSLATE_NOOP("WanError", "See 'wan27 jobs show' for what it cost."),
                )
            elif job.task_id and job.state in (JobState.SUBMITTED, JobState.RUNNING):
                if self._cancel_at_service(job):
                    self._confirm_cancel(job, confirm_s)
            elif job.state is JobState.DOWNLOADING:
                raise notices.already_billed()
            else:  # a create in flight in another process: nothing to cancel it by (§5)
                raise notices.sync_cannot_stop()
        finally:
            self._active = None
        return self.library.jobs.get(job_id)

    def request_cancel(self) -> None:
        """Called from another thread (the UI's Cancel) after `should_cancel` turned true: say at
        once what a request already with the service means; polling acts on it by itself."""
        active = self._active
        if active is None:
            return
        job_id, mode = active
        if self._in_create.is_set() and self._bytes_left.is_set():
            self._emit(job_id, JobState.SUBMITTING, notice=notices.sync_cannot_stop())

    def adopt(self, task_id: str, connection: Connection | None = None, model: str | None = None) -> int:
        """A job for a task of this key that the service still keeps (made on another machine, by
        the SDK, or lost to a crash): journaled as submitted, to be resumed. A task this library
        already holds gives its job; a task made while exactly one job's create answer was lost
        goes into that job (`remote.lost_job_of`); a task the service does not know is refused
        (TaskUnknown)."""
        held = self.library.jobs.job_of_task(task_id)
        if held is not None:
            return held.id
        connection = connection or self._require_connection()
        client = self._client(connection)
        snapshot = client.query_task(task_id)
        if snapshot.status is TaskStatus.UNKNOWN:
            raise TaskUnknown(
                QT_TRANSLATE_NOOP(
                    "WanError", "The service does not know task {task_id} (for this key, region and endpoint)."
                ),
                values={"task_id": task_id},
                code="UNKNOWN",
                request_id=snapshot.request_id,
                hint=QT_TRANSLATE_NOOP(
                    "WanError",
                    "Tasks are kept for 24 hours, and only the account that made one can see it; check the "
                    "task id and the region.",
                ),
            )
        from wan27_desktop.jobs.remote import listed_task, lost_job_of
        from wan27_desktop.jobs.serialize import adopted_request_json

        try:
            listed, offset = listed_task(client, task_id)
        except WanError as err:  # a gateway without the listing: the cost stays unknown
            log.info("the task listing did not show task %s: %s", task_id, err)
            listed, offset = None, None
        if model is None and listed is not None:
            model = listed.model_name
        lost = None if listed is None else lost_job_of(self.library, listed, connection.region.value, offset)
        if lost is not None:
            # The task of a job whose create answer was lost: it goes on in that job, which keeps its
            # request (prompt, settings, references) instead of a new job that knows none of them.
            self._take_task(lost.id, task_id, snapshot.status, notices.task_fetched_into(task_id))
            return lost.id
        job_id = self.library.jobs.create(
            adopted_request_json(task_id, model),
            model=model or "",
            request_mode=RequestMode.AUTO.value,
            region=connection.region.value,
            endpoint=connection.base_url,
            n=0,  # not known: the images the task delivers count
            estimated_cost="0",
            state=JobState.SUBMITTED,
        )
        self.library.jobs.mark_sent(job_id)
        self.library.jobs.update(job_id, task_id=task_id, server_status=snapshot.status.value)
        self._emit(job_id, JobState.SUBMITTED, snapshot.status.value)
        return job_id

    def fail_unexpected(self, job_id: int, error: BaseException) -> None:
        """An unexpected error (a bug, a full disk the layers did not map): record a readable state
        instead of leaving the job looking unfinished. Best effort: the journal may be the problem."""
        message = f"Unexpected error: {type(error).__name__}: {error}"
        try:
            job = self.library.jobs.get(job_id)
            if job.state in UNFINISHED or job.state is JobState.QUEUED:
                self._fail(
                    job_id,
                    WanError(
                        message,
                        code="InternalError",
                        hint=QT_TRANSLATE_NOOP("WanError", "Copy the diagnostic info (Help menu) into a bug report."),
                    ),
                )
        except (WanError, OSError, sqlite3.Error):
            log.exception("could not record the failure of job %s", job_id)

    def retry_request(self, job_id: int) -> tuple[GenerationRequest, RequestMode]:
        """What a retry of `job_id` sends: its request and request mode, as journaled. A retry is a new
        job made from them (`create`), after the spending limits are checked on them; nothing is
        resubmitted automatically."""
        job = self.library.jobs.get(job_id)
        return self.request_of(job), request_mode_of(job.request_json)

    def request_of(self, job: JobRecord) -> GenerationRequest:
        paths = {Path(p).stem: Path(p) for p in job.inputs}
        return request_from_json(job.request_json, paths)

    def close(self) -> None:
        with self._lock:
            clients = [*self._clients.values(), self._download_client]
            self._clients, self._download_client = {}, None
        for client in clients:
            if client is not None:
                client.close()

    def abort(self) -> None:
        """Called from another thread when the app closes: a blocking sync create cannot be
        interrupted any other way, so drop its connection (the job becomes "interrupted - may have
        been billed"). Polling and downloads notice `should_stop` on their own."""
        if self._in_create.is_set():
            self.close()

    # -- steps --------------------------------------------------------------------------------
    def _prepare(self, job: JobRecord) -> tuple[dict[str, Any], GenerationRequest]:
        """The wire body: local images encoded now (off the UI thread), boxes scaled to match."""
        from wan27_desktop import imaging  # QtGui; imported here so the CLI's cheap paths stay light

        request = self.request_of(job)
        local_count = sum(1 for image in request.images if not image.is_url)
        # The reference gives no body limit but warns of 413 for big base64 bodies (§2.4, §5):
        # keep the whole request near MAX_BODY_BASE64 by sharing it between the local images.
        budget = imaging.per_image_budget(MAX_BODY_BASE64, max(local_count, 1))
        encoded = []
        for image in request.images:
            if image.is_url:
                encoded.append(EncodedImage(image.source, image.boxes))
                continue
            prepared = imaging.prepare_reference(Path(image.source), max_bytes=budget)
            # §3.2: boxes are in the pixels of the image as sent, so they follow any downscale.
            encoded.append(EncodedImage(prepared.data_uri, imaging.scale_boxes(image.boxes, prepared.scale)))
        return build_body(request, encoded), request

    def _create_kwargs(self, job_id: int) -> dict[str, Any]:
        """What every create is sent with: cancellable while nothing is in flight (a create is
        cancelled only between tries, never mid-request), `sent_at` journaled as its bytes leave,
        and each retry shown on the job's row."""
        return {
            "should_cancel": lambda: self._user_cancel() or self._app_stop(),
            "on_sent": lambda: self._sent(job_id),
            "on_retry": lambda notice: self._retrying(job_id, JobState.SUBMITTING, notice),
        }

    def _sent(self, job_id: int) -> None:
        self.library.jobs.mark_sent(job_id)  # journal first: if this fails, nothing is sent
        self._bytes_left.set()
        crashpoint("create_sent")

    def _run_sync(self, job: JobRecord, body: dict[str, Any], request: GenerationRequest) -> None:
        self.library.jobs.update(job.id, state=JobState.SUBMITTING)
        self._emit(job.id, JobState.SUBMITTING)
        crashpoint("sync_before_send")
        self._in_create.set()
        try:
            result = self._client_for(job).generate(body, **self._create_kwargs(job.id))
        except InterruptedCreateError as err:
            self._interrupted(job.id, err)
            return
        finally:
            self._in_create.clear()
            self._bytes_left.clear()
        crashpoint("sync_after_response")
        self._record_result(job, result)
        self._download_all(job.id)

    def _run_async(self, job: JobRecord, body: dict[str, Any], request: GenerationRequest) -> None:
        self.library.jobs.update(job.id, state=JobState.SUBMITTING)
        self._emit(job.id, JobState.SUBMITTING)
        crashpoint("async_before_submit")
        self._in_create.set()
        try:
            submission = self._client_for(job).submit_task(body, **self._create_kwargs(job.id))
        except InterruptedCreateError as err:
            lost: InterruptedCreateError | None = err
        else:
            lost = None
        finally:
            self._in_create.clear()
            self._bytes_left.clear()
        if lost is not None:
            self.library.jobs.mark_sent(job.id)  # it was (once only: a no-op when on_sent did it)
            self._find_lost_task(self.library.jobs.get(job.id), lost.request_id)
            return
        submitted_at = time.monotonic()
        # The task id is committed before the first poll, so a crash can always resume it (§5).
        self.library.jobs.update(
            job.id,
            state=JobState.SUBMITTED,
            task_id=submission.task_id,
            request_id=submission.request_id,
            server_status=submission.status.value,
        )
        self._emit(job.id, JobState.SUBMITTED, submission.status.value)
        crashpoint("async_after_submit")
        self._poll(self.library.jobs.get(job.id), submitted_at=submitted_at, query_first=False)

    def _schedule(self, job: JobRecord) -> PollSchedule:
        if self.poll_interval is not None:
            return schedule_of(self.poll_interval)
        mode = request_mode_of(job.request_json)
        return AUTOMATIC_POLLING if mode is RequestMode.AUTO else REFERENCE_POLLING

    def _poll(self, job: JobRecord, *, submitted_at: float | None = None, query_first: bool = True) -> None:
        assert job.task_id is not None
        last_status: list[str] = []
        if submitted_at is None:  # resumed: how long ago it was sent, by the journal
            sent = parse_time(job.sent_at or job.created_at)
            age = (datetime.now(timezone.utc) - sent).total_seconds() if sent is not None else 0.0
            submitted_at = time.monotonic() - max(0.0, age)

        def on_update(snapshot: TaskSnapshot) -> None:
            status = snapshot.status.value
            if last_status and last_status[-1] == status:
                return
            last_status.append(status)
            state = JobState.RUNNING if snapshot.status is TaskStatus.RUNNING else JobState.SUBMITTED
            self.library.jobs.update(job.id, state=state, server_status=status)
            self._emit(job.id, state, status)
            crashpoint("async_mid_poll")

        def on_retry(notice: RetryNotice) -> None:
            self._retrying(job.id, self.library.jobs.get(job.id).state, notice)

        client = self._client_for(job)
        while True:
            try:
                snapshot = client.wait_for_task(
                    job.task_id,
                    interval=self._schedule(job),
                    deadline_s=self.poll_deadline_s,
                    should_cancel=lambda: self._app_stop() or (self._user_cancel() and not self._cancel_asked),
                    on_update=on_update,
                    on_retry=on_retry,
                    submitted_at=submitted_at,
                    query_first=query_first,
                )
            except TaskTimeout as err:
                # Still resumable: the state stays submitted/running and the task id is kept.
                self.library.jobs.update(job.id, error_code="WaitTaskTimeout", **_message_fields(err))
                self._emit(job.id, self.library.jobs.get(job.id).state, error=err)
                return
            except Canceled:
                if self._app_stop():
                    return
                # The user's Cancel: ask the service, then keep polling until it says how it ended.
                self._cancel_asked = True
                self._cancel_at_service(self.library.jobs.get(job.id))
                query_first = True
                continue
            self._finish_task(job, snapshot)
            return

    def _cancel_at_service(self, job: JobRecord) -> bool:
        """Ask the service to cancel the job's task (§1.2: PENDING only). True when it took the
        request; the job is canceled only once a query says CANCELED. A refusal is journaled as a
        notice: the task runs, will be billed, and its images will land."""
        assert job.task_id is not None
        try:
            self._client_for(job).cancel_task(job.task_id)
        except InvalidRequestError as err:
            refused = notices.cancel_refused(err.request_id)
            self.library.jobs.update(
                job.id, state=JobState.RUNNING, error_code=refused.code, **_message_fields(refused)
            )
            self._emit(job.id, JobState.RUNNING, TaskStatus.RUNNING.value, notice=refused)
            return False
        except WanError as err:
            self._emit(job.id, job.state, notice=notices.cancel_not_asked(err))
            return False
        self._emit(job.id, job.state, notice=notices.cancel_asked())
        return True

    def _confirm_cancel(self, job: JobRecord, within_s: float) -> None:
        """After a cancel the service took: poll briefly for its word (CANCELED, or the task ran)."""
        assert job.task_id is not None
        try:
            snapshot = self._client_for(job).wait_for_task(
                job.task_id, interval=AUTOMATIC_POLLING, deadline_s=within_s, should_cancel=self._app_stop
            )
        except (TaskTimeout, Canceled):
            return  # not confirmed yet: the job stays as it was, resumable
        if snapshot.status is TaskStatus.CANCELED:
            self._finish_task(job, snapshot)
        # Anything else (it started after all): the job's runner, or a resume, lands it.

    def _finish_task(self, job: JobRecord, snapshot: TaskSnapshot) -> None:
        status = snapshot.status
        if status is TaskStatus.SUCCEEDED and snapshot.result is not None:
            self.library.jobs.update(job.id, server_status=status.value)
            self._record_result(job, snapshot.result)
            self._download_all(job.id)
            return
        if status is TaskStatus.CANCELED:
            err: WanError = TaskCanceled(
                QT_TRANSLATE_NOOP("WanError", "The task was canceled before it ran."),
                code="Canceled",
                request_id=snapshot.request_id,
            )
            self.library.jobs.update(
                job.id, state=JobState.CANCELED, server_status=status.value, error_code=err.code, **_message_fields(err)
            )
            self._emit(job.id, JobState.CANCELED, status.value, error=err)
            return
        if status is TaskStatus.UNKNOWN:
            self._task_unknown(self.library.jobs.get(job.id), snapshot.request_id)
            return
        from wan27_desktop.api.client import raise_for_task

        try:
            raise_for_task(snapshot)
        except WanError as failure:
            self.library.jobs.update(job.id, server_status=status.value)
            self._fail(job.id, failure)
            return
        # SUCCEEDED without images: the service billed nothing we can fetch.
        self._fail(job.id, WanError("The task succeeded but returned no images.", request_id=snapshot.request_id))

    def _task_unknown(self, job: JobRecord, request_id: str | None) -> None:
        """§4.3 UNKNOWN: expired only when the task is past its 24 h by our journal too; sooner, the
        job stays resumable (a key of another account, a service hiccup): no clock decides alone."""
        sent = parse_time(job.sent_at or job.created_at)
        if sent is not None and datetime.now(timezone.utc) - sent < TASK_LIFETIME:
            notice = notices.task_unknown_yet(job.task_id or "", request_id)
            self.library.jobs.update(job.id, error_code=notice.code, **_message_fields(notice))
            self._emit(job.id, job.state, error=notice)
            return
        err = TaskUnknown(
            QT_TRANSLATE_NOOP("WanError", "The service no longer knows this task (tasks are kept 24 hours)."),
            code="UNKNOWN",
            request_id=request_id,
        )
        self.library.jobs.update(
            job.id, state=JobState.EXPIRED, server_status="UNKNOWN", error_code=err.code, **_message_fields(err)
        )
        self._emit(job.id, JobState.EXPIRED, "UNKNOWN", error=err)

    def _record_result(self, job: JobRecord, result: GenerationResult) -> None:
        from wan27_desktop.api.download import url_expires_at

        if not result.image_urls:
            # §4.1: a 200 with no images; nothing to fetch and, per usage, usually nothing billed.
            raise ServiceError(
                "The service answered without any image (perhaps filtered).",
                code="NoImages",
                request_id=result.request_id,
                hint=QT_TRANSLATE_NOOP("WanError", "Try again, or change the prompt if it may have been filtered."),
            )
        usage = {k: v for k, v in vars(result.usage).items() if v is not None}
        billed = result.usage.image_count if result.usage.image_count is not None else len(result.image_urls)
        expires = [url_expires_at(url) for url in result.image_urls]  # informative: the host decides
        self.library.jobs.add_results(job.id, list(result.image_urls), [e.isoformat() if e else None for e in expires])
        self.library.jobs.update(
            job.id,
            state=JobState.DOWNLOADING,
            request_id=result.request_id or job.request_id,
            usage=usage,
            cost=_cost(job, billed),
        )
        self._emit(job.id, JobState.DOWNLOADING, images_expected=len(result.image_urls))
        crashpoint("after_results_recorded")

    def _download_all(self, job_id: int) -> None:
        """Land every result not landed yet. A paid result lands whatever the user asked; only the
        app closing stops this (the job stays resumable)."""
        from wan27_desktop.api.download import download_result, remove_abandoned, remove_stale_parts, save_error

        job = self.library.jobs.get(job_id)
        downloader = self._get_download_client()
        incoming = self.library.paths.incoming_dir
        make_dirs(incoming)
        remove_stale_parts(incoming, staged=True)  # what a process that was killed left behind
        remove_abandoned(incoming, functools.partial(self._abandoned_download, job_id))
        expected = len(self.library.jobs.results_of(job_id))
        last_error: WanError | None = None
        for result in self.library.jobs.pending_results(job_id):
            if self._app_stop():
                break
            downloaded = None
            try:
                crashpoint("before_download")
                # Written with its metadata as it downloads, then renamed into the library (one copy
                # on disk); a result not landed is downloaded again on resume, replacing this.
                landing = self.library.images.landing(job_id, result.index, functools.partial(self._metadata, job))
                downloaded = download_result(
                    result.url,
                    incoming,
                    client=downloader,
                    should_cancel=self._app_stop,
                    stage_as=f"{job_id}-{result.index}",
                    insert_after_header=landing.header,
                )
                crashpoint("after_download")
                image = self.library.images.land(landing, result.id, downloaded)
                crashpoint("after_image_committed")
            except ResultExpired as err:  # the result host said so (403 "Request has expired")
                self.library.jobs.mark_result(result.id, "expired", err.message, attempted=True)
                last_error = err
                continue
            except Canceled:
                break  # the app is closing: resumable
            except WanError as err:
                last_error = err
                if err.code in _LOCAL_TROUBLE:
                    self.library.jobs.mark_result(result.id, "failed", err.message)
                    continue
                permanent = err.status is not None and 400 <= err.status < 500 and err.status not in (408, 429)
                rounds = result.attempts + 1
                if permanent or rounds >= MAX_DOWNLOAD_ROUNDS:
                    last_error = notices.result_unavailable(rounds, err)
                    self.library.jobs.mark_result(result.id, "unavailable", last_error.message, attempted=True)
                else:
                    self.library.jobs.mark_result(result.id, "failed", err.message, attempted=True)
                continue
            except OSError as err:
                # Landing the file in the library failed (disk full, folder not writable): the
                # result stays resumable and the downloaded copy is not left behind in incoming/.
                if downloaded is not None:
                    downloaded.path.unlink(missing_ok=True)
                last_error = save_error(err, self.library.library_dir)
                self.library.jobs.mark_result(result.id, "failed", last_error.message)
                continue
            done = len(self.library.images.of_job(job_id))
            self._emit(
                job_id, JobState.DOWNLOADING, images_done=done, images_expected=max(expected, done), image_id=image.id
            )
        self._settle_downloads(job_id, last_error)

    def _settle_downloads(self, job_id: int, last_error: WanError | None) -> None:
        """Decide the final state from what landed; failures with tries left stay resumable."""
        results = self.library.jobs.results_of(job_id)
        downloaded = sum(1 for r in results if r.status == "downloaded")
        expired = sum(1 for r in results if r.status == "expired")
        retryable = [r for r in results if r.status in ("pending", "failed")]
        asked = self._exact_count(job_id)
        fewer = asked is not None and downloaded == len(results) < asked
        if retryable:
            state = JobState.DOWNLOADING  # resumed on next start or by `wan27 jobs resume`
        elif downloaded == len(results) and results:
            state = JobState.PARTIAL if fewer else JobState.DONE
        elif downloaded:
            state = JobState.PARTIAL
        else:
            state = JobState.EXPIRED if expired else JobState.FAILED
        fields: dict[str, Any] = {"state": state}
        if last_error is None and state is JobState.PARTIAL and fewer:
            last_error = WanError(
                QT_TRANSLATE_NOOP(
                    "WanError",
                    "The service returned {downloaded} of {asked} images; only the returned images are billed.",
                ),
                values={"downloaded": downloaded, "asked": asked},
                code="PartialResult",
                hint=QT_TRANSLATE_NOOP("WanError", "Generate again for the missing images."),
            )
        if last_error is not None and state is not JobState.DONE:
            # Like `_fail`: a code is always stored, so the UI and `jobs show` can name the failure.
            fields.update(error_code=last_error.code or type(last_error).__name__, **_message_fields(last_error))
        elif state is JobState.DONE:
            fields["clear_error"] = True  # no stale mark (a refused cancel, an earlier failed round)
        self.library.jobs.update(job_id, **fields)
        self._emit(
            job_id,
            state,
            images_done=downloaded,
            images_expected=len(results),
            error=last_error if state is not JobState.DONE else None,
        )

    def _exact_count(self, job_id: int) -> int | None:
        """The `n` the service must meet, or None in image-set mode, where `n` is only a ceiling
        (§3), and for an adopted task (its request is not known). Billing follows usage.image_count."""
        job = self.library.jobs.get(job_id)
        if is_adopted(job.request_json):
            return None
        return None if request_from_json(job.request_json).enable_sequential else job.n

    def _resume(self, job: JobRecord) -> None:
        if job.state is JobState.SUBMITTING:
            # We cannot know whether the create reached the service: never resend it (§5). But a
            # job whose bytes never left was not sent, so it was not billed either; and a task the
            # service made is found in its task list.
            if job.sent_at is None:
                self._interrupted(job.id, notices.not_sent())
            elif request_mode_of(job.request_json).uses_task:
                self._find_lost_task(job, job.request_id)
            else:
                self._interrupted(job.id, notices.maybe_billed(job.request_id))
            return
        if job.state is JobState.EXPIRED:
            # Expired before (perhaps by a skewed clock, or a link that failed then): try again.
            if self.library.jobs.reopen_results(job.id) or self.library.jobs.pending_results(job.id):
                self._download_all(job.id)
            elif job.task_id:
                self._poll(job)
            return
        if job.state in (JobState.SUBMITTED, JobState.RUNNING) and job.task_id:
            self._poll(job)  # the service decides whether the task is gone (UNKNOWN), not our clock
            return
        if job.state is JobState.DOWNLOADING or self.library.jobs.pending_results(job.id):
            self._download_all(job.id)

    def _find_lost_task(self, job: JobRecord, request_id: str | None) -> None:
        """A task create went out and its answer was lost (a dropped connection, a crash): find the
        task the service made in its task list (`remote.find_lost_task`) and carry it on, never
        sending the create again. Not found (yet), or not told apart from another: the job stays
        unfinished with the reason, so Resume (and the next start) look again. It ends as
        interrupted when the service keeps no task that old (24 h) and its list shows none that
        could be this job's, or, whatever the list says, two days after it was sent."""
        from wan27_desktop.jobs.remote import find_lost_task

        sent = parse_time(job.sent_at) if job.sent_at else None
        age = datetime.now(timezone.utc) - sent if sent is not None else timedelta(0)
        if age > 2 * TASK_LIFETIME:
            self._interrupted(job.id, notices.task_never_found(request_id))  # no list shows it any more
            return
        # Marked AnswerLost first: other jobs looking for their tasks do not wait for this one.
        looking = notices.looking_for_task()
        self.library.jobs.update(
            job.id, state=JobState.SUBMITTING, request_id=request_id, error_code=ANSWER_LOST, **_message_fields(looking)
        )
        self._emit(job.id, JobState.SUBMITTING, notice=looking)
        try:
            for wait_s in LOST_TASK_LOOKS_S:
                if not self._wait(wait_s):
                    return  # the app is closing: the job stays unfinished, looked for at the next start
                search = find_lost_task(self._client_for(job), self.library, job, request_id=request_id)
                if search.found is not None or not search.settling:
                    break
        except WanError as err:  # offline, the service down, a key to fix, a gateway without the list
            self._answer_lost(job.id, notices.task_list_unreadable(err, request_id))
            return
        if search.found is not None:
            task = search.found
            self._take_task(
                job.id, task.task_id, task.status, notices.task_found(task.task_id, by_request_id=search.by_request_id)
            )
            self._poll(self.library.jobs.get(job.id))
            return
        if search.fetched_as is not None:
            self._answer_lost(job.id, notices.task_fetched_elsewhere(search.fetched_as, request_id))
        elif search.rival is not None:
            self._answer_lost(job.id, notices.task_shared(search.rival, request_id))
        elif search.candidates:
            self._answer_lost(job.id, notices.task_ambiguous(len(search.candidates), request_id))
        elif age > TASK_LIFETIME + LOST_TASK_CLOCK_MARGIN:
            self._interrupted(job.id, notices.task_never_found(request_id))  # the service keeps none that old
        else:
            self._answer_lost(job.id, notices.task_not_found(request_id))

    def _take_task(self, job_id: int, task_id: str, status: TaskStatus, notice: WanError) -> None:
        """A job whose create answer was lost goes on with the task found for it: journaled as
        submitted with that task, its AnswerLost mark cleared, and said on its row."""
        self.library.jobs.update(
            job_id, state=JobState.SUBMITTED, task_id=task_id, server_status=status.value, clear_error=True
        )
        self._emit(job_id, JobState.SUBMITTED, status.value, notice=notice)

    def _wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; False at once when the app is closing."""
        deadline = time.monotonic() + seconds
        while not self._app_stop():
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            time.sleep(min(left, 0.05))
        return False

    def _answer_lost(self, job_id: int, err: WanError) -> None:
        """Unfinished, with the reason: Resume and the next start look for the task again."""
        self.library.jobs.update(job_id, state=JobState.SUBMITTING, error_code=err.code, **_message_fields(err))
        self._emit(job_id, JobState.SUBMITTING, error=err)

    # -- outcomes -----------------------------------------------------------------------------
    def _interrupted(self, job_id: int, err: WanError) -> None:
        self.library.jobs.update(
            job_id, state=JobState.INTERRUPTED, error_code=err.code or "Interrupted", **_message_fields(err)
        )
        self._emit(job_id, JobState.INTERRUPTED, error=err)

    def _create_canceled(self, job_id: int) -> None:
        """A create stopped between tries (nothing in flight; every earlier try was refused, so
        nothing was billed): the user's cancel closes it, the app closing leaves it queued (closed
        as not sent at the next start)."""
        if self._user_cancel():
            self.cancel_unsent(job_id)
            return
        self.library.jobs.update(job_id, state=JobState.QUEUED)
        self._emit(job_id, JobState.QUEUED)

    def _retrying(self, job_id: int, state: JobState, notice: RetryNotice) -> None:
        self._emit(job_id, state, notice=notices.retrying(notice))

    def _fail(self, job_id: int, err: WanError) -> None:
        self.library.jobs.update(
            job_id,
            state=JobState.FAILED,
            error_code=err.code or type(err).__name__,
            request_id=err.request_id,
            **_message_fields(err),
        )
        self._emit(job_id, JobState.FAILED, error=err)

    # -- helpers ------------------------------------------------------------------------------
    def _check_space(self, job: JobRecord) -> None:
        """Refuse to send (NotEnoughSpace, nothing billed) a job whose results could not land."""
        from wan27_desktop.api.rules import output_pixels
        from wan27_desktop.library.space import check_room

        params = job.request_json.get("parameters") or {}
        check_room(
            self.library.library_dir,
            self.library.paths.incoming_dir,
            output_pixels(str(params.get("size", "2K"))),
            max(job.n, 1),
        )

    def _abandoned_download(self, job_id: int, stage: str) -> bool:
        """Whether a download left in incoming/ (named `<job>-<index>`) is no live process's: this
        job's own (we hold its lease, so it is from a run that died), or a job nobody leases."""
        owner = stage.split("-", 1)[0]
        if not owner.isdigit():
            return False
        return int(owner) == job_id or not self.library.jobs.is_leased(int(owner))

    def _metadata(self, job: JobRecord, width: int, height: int) -> dict[str, Any]:
        request = job.request_json
        params = request.get("parameters", {})
        return {
            "job_id": job.id,
            "model": job.model,
            "region": job.region,
            "request_mode": job.request_mode,
            "task_id": job.task_id,
            "request_id": job.request_id,
            "seed": params.get("seed"),
            "size": params.get("size"),
            "actual_size": f"{width}*{height}",
            "request": request,
        }

    def _get_download_client(self) -> Any:
        """One credential-free client for every result host (result URLs never see the key)."""
        from wan27_desktop.api.download import new_download_client

        with self._lock:
            if self._download_client is None:
                self._download_client = new_download_client()
            return self._download_client

    def _client_for(self, job: JobRecord) -> Any:
        """The client for where this job was sent (its region and endpoint, the key of its region)."""
        current = self.connection
        if current is not None and (current.region.value, current.base_url) == (job.region, job.endpoint):
            return self._client(current)
        try:
            region = Region(job.region)
        except ValueError:
            raise WanError(
                QT_TRANSLATE_NOOP("WanError", "Job {job} names an unknown region {region}."),
                values={"job": job.id, "region": repr(job.region)},
            ) from None
        with self._lock:
            cached = self._clients.get((region.value, job.endpoint))
        if cached is not None:
            return cached
        return self._client(self._connection_for(region, job.endpoint))

    def _client(self, connection: Connection) -> Any:
        key = (connection.region.value, connection.base_url)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._client_factory(connection)
            return self._clients[key]

    def _require_connection(self) -> Connection:
        if self.connection is None:
            raise WanError(
                "No API key is set up.",
                hint=QT_TRANSLATE_NOOP("WanError", "Add a key in Settings or set DASHSCOPE_API_KEY."),
            )
        return self.connection

    def _emit(
        self,
        job_id: int,
        state: JobState,
        server_status: str | None = None,
        *,
        images_done: int = 0,
        images_expected: int = 0,
        image_id: int | None = None,
        error: WanError | None = None,
        notice: WanError | None = None,
    ) -> None:
        if self._on_event is not None:
            self._on_event(
                JobEvent(job_id, state, server_status, images_done, images_expected, image_id, error, notice)
            )


def check_references(request: GenerationRequest) -> None:
    """Refuse unusable local reference images and boxes outside them, before anything is journaled."""
    from wan27_desktop import imaging

    issues: list[ValidationIssue] = []
    for index, image in enumerate(request.images, start=1):
        if image.is_url:
            continue
        info = imaging.inspect_reference(Path(image.source))
        issues += [ValidationIssue(f"images[{index}]", problem) for problem in info.problems]
        if info.problems:
            continue
        for box in image.boxes:
            if box.x2 > info.width or box.y2 > info.height:
                issues.append(
                    ValidationIssue(
                        f"images[{index}].boxes",
                        f"Box {box.as_list()} lies outside image {index} ({info.width}x{info.height} pixels).",
                    )
                )
    if issues:
        raise ValidationError(issues)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError as err:
        raise ReferenceImageError(
            QT_TRANSLATE_NOOP("WanError", "Cannot read reference image {name}: {reason}."),
            values={"name": path.name, "reason": err.strerror or str(err)},
        ) from err


def _cost(job: JobRecord, billed: int) -> str | None:
    """§6: billed images x the unit price; None where there is no official price (an adopted task
    whose model is not known)."""
    try:
        return str(pricing.cost(Region(job.region), Model(job.model), billed))
    except ValueError:
        return None
