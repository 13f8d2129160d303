"""The jobs this window knows, as one board that the job queue and the generation stage both show.

A `JobRow` is what is known of one job: from the journal (a `JobRecord`, read on a worker) and from
live `JobEvent`s of the job manager and of batches (a batch's row is a job too, `batch_id` says
whose; its batch pauses or cancels it, so it has no Cancel of its own). A request submitted but not
journaled yet (every slot busy) has a row of its own under the key `-token`; once journaled, its
job row remembers the token, so a view can put the job where its placeholder was. One `JobBoard`
(board.py) holds them all, newest first; this module loads with the board's first row.

QtCore only: the texts here are translated with `QCoreApplication.translate` where they are shown.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from wan27_desktop import i18n
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.jobs.notices import CANCEL_REFUSED, NOTICE_CODES
from wan27_desktop.jobs.serialize import is_adopted
from wan27_desktop.library import JobState, parse_time
from wan27_desktop.workspace.board import JobBoard as JobBoard  # its home is board.py; imported from here too

if TYPE_CHECKING:
    from wan27_desktop.jobs.runner import JobEvent
    from wan27_desktop.library import JobRecord

# English source texts; `state_name` translates them (context "JobState").
STATE_LABELS = {
    JobState.QUEUED: QT_TRANSLATE_NOOP("JobState", "Queued"),
    JobState.SUBMITTING: QT_TRANSLATE_NOOP("JobState", "Sending"),
    JobState.SUBMITTED: QT_TRANSLATE_NOOP("JobState", "Waiting for service"),
    JobState.RUNNING: QT_TRANSLATE_NOOP("JobState", "Generating"),
    JobState.DOWNLOADING: QT_TRANSLATE_NOOP("JobState", "Downloading"),
    JobState.DONE: QT_TRANSLATE_NOOP("JobState", "Done"),
    JobState.PARTIAL: QT_TRANSLATE_NOOP("JobState", "Partly done"),
    JobState.FAILED: QT_TRANSLATE_NOOP("JobState", "Failed"),
    JobState.CANCELED: QT_TRANSLATE_NOOP("JobState", "Canceled"),
    JobState.INTERRUPTED: QT_TRANSLATE_NOOP("JobState", "Interrupted"),
    JobState.EXPIRED: QT_TRANSLATE_NOOP("JobState", "Expired"),
}
PAUSED_LABEL = QT_TRANSLATE_NOOP("JobState", "Paused")
# A cancel the service refused: the task runs on and will be billed (its images land).
CANCEL_REFUSED_LABEL = QT_TRANSLATE_NOOP("JobState", "Running at the service")

RETRYABLE = frozenset({JobState.FAILED, JobState.INTERRUPTED, JobState.CANCELED, JobState.EXPIRED})
# Where Cancel can still change what is billed (a queued job, a task not yet running) or must say it
# cannot (a sync request in flight); a downloading job is paid for, so it always lands.
CANCELLABLE = frozenset({JobState.QUEUED, JobState.SUBMITTING, JobState.SUBMITTED, JobState.RUNNING})
# Notices of a job that is throttled and tries again later (jobs/notices.py: `retrying`).
RETRY_NOTICES = frozenset({"RateLimited", "Retrying"})


class StopKind(enum.Enum):
    """What Cancel means for a job now, so a button can say it honestly (jobs/notices.py decides)."""

    NONE = "none"  # nothing to stop: ended, already asked, refused, or paid for (downloading)
    FREE = "free"  # not sent, or not started at the service: canceling costs nothing
    ASK = "ask"  # running at the service: it cancels only tasks that have not started; likely billed
    IN_FLIGHT = "in-flight"  # a sync request with the service: it cannot be stopped; it may be billed


def stop_kind(row: JobRow) -> StopKind:
    if not row.can_cancel or row.cancel_requested:
        return StopKind.NONE
    if row.state is JobState.QUEUED:
        return StopKind.FREE
    if row.state is JobState.SUBMITTING:
        return StopKind.IN_FLIGHT if row.request_mode == "sync" else StopKind.FREE
    if row.state is JobState.SUBMITTED and (row.server_status or "PENDING") == "PENDING":
        return StopKind.FREE
    return StopKind.ASK


def state_name(state: JobState) -> str:
    return QCoreApplication.translate("JobState", STATE_LABELS[state])


def format_elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 3600:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class JobRow:
    job_id: int
    state: JobState = JobState.QUEUED
    prompt: str = ""
    model: str = ""
    request_mode: str = ""
    n: int = 0
    created: datetime | None = None
    finished: datetime | None = None
    server_status: str | None = None
    images_done: int = 0
    images_expected: int = 0
    error_code: str | None = None
    error_message: str | None = None
    error_hint: str | None = None
    request_id: str | None = None
    task_id: str | None = None
    cost: str | None = None
    # The worker ended but the journal says unfinished (app stopping, poll deadline, a crash in the
    # worker): nothing runs until Jobs > Resume Unfinished or the next start.
    idle: bool = False
    is_set: bool = False  # image-set mode: `n` is a ceiling, the set may have fewer
    token: int = 0  # the submission this job came from (0: a resumed or journal-only job)
    image_ids: list[int] = field(default_factory=list)  # landed images, in the order they landed
    # Throttled (429): when the next attempt goes out, and which attempt that is.
    retry_at: datetime | None = None
    attempt: int = 0
    cancel_requested: bool = False  # the user asked; the outcome is what the service says
    # News about a job that goes on (rate-limited and retrying, a refused cancel), in the UI language.
    notice: str | None = None
    notice_code: str | None = None
    adopted: bool = False  # fetched by its task id: its request is not known, so no Retry
    batch_id: int | None = None  # a row of this batch: the batch's window pauses or cancels it
    # Run by another window or `wan27` command (who: "pid 123 on host since …"): shown as the journal
    # says, never stopped or resumed from here, not counted as this window's work.
    elsewhere: str | None = None

    @property
    def placeholder(self) -> bool:
        """Submitted, waiting for a free worker slot; not journaled yet (id is minus the token)."""
        return self.job_id < 0

    @property
    def active(self) -> bool:
        """Running in this window (not paused, not another process's)."""
        return not self.state.is_terminal and not self.idle and self.elsewhere is None

    @property
    def running_elsewhere(self) -> bool:
        return self.elsewhere is not None and not self.state.is_terminal

    @property
    def can_cancel(self) -> bool:
        return (
            self.active
            and not self.placeholder
            and self.state in CANCELLABLE
            and self.notice_code != CANCEL_REFUSED  # asked once; the service said no
            and self.batch_id is None  # its batch's scheduler runs it: the batch is canceled as a whole
        )

    @property
    def can_retry(self) -> bool:
        return self.state in RETRYABLE and not self.adopted

    @property
    def can_resume(self) -> bool:
        """A paused job (its worker ended, the journal says unfinished), or an expired one whose
        links may still work: Resume tries again, never resending a create."""
        return not self.placeholder and ((self.idle and self.state.is_unfinished) or self.state is JobState.EXPIRED)

    @property
    def cancel_refused(self) -> bool:
        return self.active and self.notice_code == CANCEL_REFUSED

    @property
    def has_results(self) -> bool:
        return self.images_done > 0

    @property
    def rate_limited(self) -> bool:
        return self.retry_at is not None and self.active

    @property
    def expected(self) -> int:
        """How many images to make room for: what the service said it returns, else what was asked."""
        return max(self.images_expected, self.images_done, len(self.image_ids), self.n if self.active else 0, 1)

    def elapsed(self, now: datetime | None = None) -> float | None:
        if self.created is None:
            return None
        end = self.finished if self.finished is not None and not self.active else (now or utcnow())
        return (end - self.created).total_seconds()

    def apply_record(self, job: JobRecord, images_done: int | None = None) -> None:
        self.state = job.state
        self.prompt = job.prompt
        self.model = job.model
        self.request_mode = job.request_mode
        self.n = job.n
        self.is_set = bool(((job.request_json or {}).get("parameters") or {}).get("enable_sequential"))
        self.created = parse_time(job.created_at)
        self.finished = parse_time(job.finished_at)
        self.server_status = job.server_status
        self.request_id = job.request_id
        self.task_id = job.task_id
        self.cost = job.cost
        self.adopted = is_adopted(job.request_json)
        if job.error_code in NOTICE_CODES and not job.state.is_terminal:
            # Journaled news about a job that goes on (a refused cancel), not a failure.
            self.notice, self.notice_code = i18n.job_error_message(job), job.error_code
            self.error_code = self.error_message = self.error_hint = None
        else:
            self.notice = self.notice_code = None
            self.error_code = job.error_code
            self.error_message = i18n.job_error_message(job)
            self.error_hint = job.error_hint
        if images_done is not None:
            self.images_done = images_done
        if not job.state.is_unfinished:
            self.retry_at = None
            self.cancel_requested = False
        # §4.1: usage.image_count is what was delivered; before that, n is what we asked for.
        self.images_expected = max(self.images_expected, self.images_done, job.n if job.state.is_unfinished else 0)

    def apply_event(self, event: JobEvent) -> None:
        self.idle = False
        self.state = event.state
        if self.created is None:
            self.created = utcnow()
        if event.server_status:
            self.server_status = event.server_status
        if event.images_expected:
            self.images_expected = event.images_expected
        if event.images_done:
            self.images_done = max(self.images_done, event.images_done)
        if event.image_id is not None and event.image_id not in self.image_ids:
            self.image_ids.append(event.image_id)
        if event.state.is_terminal:
            self.finished = self.finished or utcnow()
        else:
            self.finished = None
        notice = event.notice
        if notice is not None:
            self.notice, self.notice_code = i18n.error_message(notice), notice.code
        elif not (event.state is JobState.RUNNING and self.notice_code == CANCEL_REFUSED):
            self.notice = self.notice_code = None  # progress: the news is old
        # A throttled attempt says when the next one goes out; any other news clears it.
        if notice is not None and notice.code in RETRY_NOTICES and not event.state.is_terminal:
            seconds, attempt = notice.values.get("seconds"), notice.values.get("attempt")
            self.retry_at = utcnow() + timedelta(seconds=seconds if isinstance(seconds, (int, float)) else 0)
            self.attempt = attempt if isinstance(attempt, int) else 0
        else:
            self.retry_at, self.attempt = None, 0
        err = event.error
        if err is not None:
            self.error_code = err.code or self.error_code or type(err).__name__
            self.error_message = i18n.error_message(err)  # translated now: its template is at hand
            self.error_hint = err.hint
            self.request_id = err.request_id or self.request_id
        elif event.state in (JobState.SUBMITTING, JobState.SUBMITTED, JobState.RUNNING):
            self.error_code = self.error_message = self.error_hint = None

    def one_line_prompt(self) -> str:
        """The prompt on one line, after its batch when it is a batch's row ("Batch 3 · …")."""
        prompt = " ".join(self.prompt.split())
        if self.batch_id is None:
            return prompt
        return QCoreApplication.translate("JobRow", "Batch {batch} · {prompt}").format(
            batch=self.batch_id, prompt=prompt
        )

    @property
    def state_label(self) -> str:
        if self.idle:
            return QCoreApplication.translate("JobState", PAUSED_LABEL)
        if self.state is JobState.RUNNING and self.notice_code == CANCEL_REFUSED:
            return QCoreApplication.translate("JobState", CANCEL_REFUSED_LABEL)
        return state_name(self.state)

    def details(self) -> str:
        """Everything someone needs to report or look up this job (never the key), in the UI language."""
        lines = [
            QCoreApplication.translate("JobRow", "Job {id}: {state}").format(id=self.job_id, state=self.state_label)
        ]
        if self.batch_id is not None:
            lines.append(QCoreApplication.translate("JobRow", "Batch: {batch}").format(batch=self.batch_id))
        if self.running_elsewhere:
            lines.append(QCoreApplication.translate("JobRow", "Run by: {who}").format(who=self.elsewhere))
        if self.prompt:
            lines.append(QCoreApplication.translate("JobRow", "Prompt: {prompt}").format(prompt=self.prompt))
        if self.model:
            lines.append(
                QCoreApplication.translate("JobRow", "Model: {model} ({mode})").format(
                    model=self.model, mode=self.request_mode or "sync"
                )
            )
        if self.notice:
            lines.append(QCoreApplication.translate("JobRow", "Note: {message}").format(message=self.notice))
        if self.error_message:
            lines.append(
                QCoreApplication.translate("JobRow", "Error: {message}").format(
                    message=i18n.message_text(self.error_message)
                )
            )
        if self.error_code:
            lines.append(QCoreApplication.translate("JobRow", "Code: {code}").format(code=self.error_code))
        if self.error_hint:
            lines.append(
                QCoreApplication.translate("JobRow", "What to do: {hint}").format(hint=i18n.hint_text(self.error_hint))
            )
        if self.request_id:
            lines.append(QCoreApplication.translate("JobRow", "Request id: {id}").format(id=self.request_id))
        if self.task_id:
            lines.append(QCoreApplication.translate("JobRow", "Task id: {id}").format(id=self.task_id))
        if self.server_status:
            lines.append(
                QCoreApplication.translate("JobRow", "Server status: {status}").format(status=self.server_status)
            )
        if self.images_expected:
            lines.append(
                QCoreApplication.translate("JobRow", "Images: {done}/{expected}").format(
                    done=self.images_done, expected=self.images_expected
                )
            )
        return "\n".join(lines)
