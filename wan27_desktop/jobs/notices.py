"""What a job says about money and waiting, in one place: the texts of the runner's notices and
outcomes that are not service errors (issue 14: the app never claims what the service did not say).

A *notice* is shown on a job's row while it keeps running (rate-limited and retrying, a refused
cancel, a sync request that cannot be stopped); an outcome here is a final word the runner writes to
the journal. Every text is a marked template (`QT_TRANSLATE_NOOP("WanError", ...)`) plus values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wan27_desktop.api.errors import Canceled, InterruptedCreateError, RateLimitError, WanError
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

if TYPE_CHECKING:  # a window shows these texts long before (if ever) a retry happens
    from wan27_desktop.api.retry import RetryNotice

# Error codes the journal keeps for notices (the job is still running; not a failure).
CANCEL_REFUSED = "CancelRefused"
NOTICE_CODES = frozenset({CANCEL_REFUSED})
NOT_SENT = "NotSent"
RESULT_UNAVAILABLE = "ResultUnavailable"
# A task create sent whose answer was lost, its task not found yet: Resume looks for it again.
ANSWER_LOST = "AnswerLost"


def retrying(notice: RetryNotice) -> WanError:
    """ "Rate-limited - retrying in 8 s, attempt 3" (§5: throttling waits, with backoff)."""
    values = {"seconds": max(1, round(notice.delay)), "attempt": notice.attempt}
    if isinstance(notice.error, RateLimitError):
        return WanError(
            QT_TRANSLATE_NOOP("WanError", "Rate-limited — retrying in {seconds} s, attempt {attempt}"),
            values=values,
            code="RateLimited",
            hint=QT_TRANSLATE_NOOP(
                "WanError", "Nothing to do: the account allows 5 requests a second and 5 tasks at a time."
            ),
        )
    return WanError(
        QT_TRANSLATE_NOOP("WanError", "A temporary problem — retrying in {seconds} s, attempt {attempt}"),
        values=values,
        code="Retrying",
        hint=notice.error.hint,
    )


def cancel_refused(request_id: str | None = None) -> WanError:
    """§1.2: only a PENDING task can be canceled; a running one is finished and billed."""
    return WanError(
        QT_TRANSLATE_NOOP(
            "WanError",
            "Running at the service — it will be billed; results will be saved. The service cancels "
            "only tasks that have not started.",
        ),
        code=CANCEL_REFUSED,
        request_id=request_id,
        hint=QT_TRANSLATE_NOOP("WanError", "Nothing to do: the images appear here when the task finishes."),
    )


def cancel_asked() -> WanError:
    return WanError(
        QT_TRANSLATE_NOOP("WanError", "Cancel requested — waiting for the service to confirm."),
        code="CancelRequested",
        hint=QT_TRANSLATE_NOOP("WanError", "Nothing is billed once the service confirms the cancel."),
    )


def cancel_not_asked(reason: WanError) -> WanError:
    return WanError(
        QT_TRANSLATE_NOOP(
            "WanError", "The service could not be asked to cancel ({reason}); the task may run and be billed."
        ),
        values={"reason": reason.message},
        code="CancelFailed",
        hint=QT_TRANSLATE_NOOP("WanError", "Its results will be saved if it runs; try Cancel again in a moment."),
    )


def sync_cannot_stop() -> WanError:
    """A sync request in flight: the service has it and gives no id to cancel it by (§5)."""
    return WanError(
        QT_TRANSLATE_NOOP(
            "WanError",
            "Cannot stop: the request is with the service, which may still bill it. Its images will "
            "be saved when the answer comes.",
        ),
        code="SyncInFlight",
        hint=QT_TRANSLATE_NOOP(
            "WanError", "Keep the app open until the answer comes; Automatic mode can be canceled while queued."
        ),
    )


def already_billed() -> WanError:
    return WanError(
        QT_TRANSLATE_NOOP("WanError", "Already billed: its images are being saved."),
        code="AlreadyBilled",
        hint=QT_TRANSLATE_NOOP("WanError", "Nothing to do: the images appear when they are saved."),
    )


def canceled_unsent() -> Canceled:
    return Canceled(
        QT_TRANSLATE_NOOP("WanError", "Canceled before it was sent. Nothing was billed."),
        hint=QT_TRANSLATE_NOOP("WanError", "Retry to send it."),
    )


def not_sent() -> WanError:
    """Interrupted before the request's bytes left (the journal says so): nothing was billed."""
    return WanError(
        QT_TRANSLATE_NOOP("WanError", "Interrupted before it was sent: not sent, not billed."),
        code=NOT_SENT,
        hint=QT_TRANSLATE_NOOP("WanError", "Retry to send it."),
    )


def maybe_billed(request_id: str | None) -> InterruptedCreateError:
    """A sync call interrupted after the request left, before its answer was journaled (a task
    create looks for its task instead: `JobRunner._find_lost_task`)."""
    return InterruptedCreateError(
        QT_TRANSLATE_NOOP("WanError", "Interrupted while sending; the request may have been accepted and billed."),
        request_id=request_id,
    )


def task_unknown_yet(task_id: str, request_id: str | None) -> WanError:
    """UNKNOWN within 24 h of sending: not expired by our clock; most often another account's key."""
    return WanError(
        QT_TRANSLATE_NOOP(
            "WanError",
            "The service does not know task {task_id} (UNKNOWN), although it was sent less than 24 hours ago.",
        ),
        values={"task_id": task_id},
        code="TaskUnknown",
        request_id=request_id,
        hint=QT_TRANSLATE_NOOP(
            "WanError",
            "Check that the key for this job's region belongs to the account that created the task, then "
            "resume the job.",
        ),
    )


def result_unavailable(rounds: int, last: WanError | None) -> WanError:
    if last is not None and last.status is not None and 400 <= last.status < 500:
        return WanError(
            QT_TRANSLATE_NOOP("WanError", "The result host refuses the image (HTTP {status}): {reason}"),
            values={"status": last.status, "reason": last.message},
            code=RESULT_UNAVAILABLE,
            hint=QT_TRANSLATE_NOOP(
                "WanError", "The link does not work; resume the job to try once more, or generate the image again."
            ),
        )
    return WanError(
        QT_TRANSLATE_NOOP("WanError", "The image could not be downloaded in {rounds} tries; last error: {reason}"),
        values={"rounds": rounds, "reason": last.message if last is not None else "-"},
        code=RESULT_UNAVAILABLE,
        hint=QT_TRANSLATE_NOOP(
            "WanError", "Resume the job to try again while its link is valid (24 hours), or generate the image again."
        ),
    )


def message_fields(err: WanError) -> dict[str, Any]:
    """An error's text as the job journal keeps it: the English message and the hint, plus the
    message's template and values when it has values, so the UI can show it in its language after a
    restart too (a message without values is its own template)."""
    return {
        "error_message": err.message,
        "error_hint": err.hint,
        "error_values": (err.template, err.values) if err.values else None,
    }


# -- a task create whose answer was lost (jobs/remote.py `find_lost_task`) ---------------------------
_LOOK_AGAIN = QT_TRANSLATE_NOOP(
    "WanError",
    "Resume looks for its task again (it never sends the request again); Jobs › Tasks at the Service "
    "lists the account's tasks.",
)


def looking_for_task() -> WanError:
    return WanError(
        QT_TRANSLATE_NOOP(
            "WanError", "The answer was lost after the request was sent; looking for its task at the service…"
        ),
        code="LookingForTask",
        hint=QT_TRANSLATE_NOOP("WanError", "Nothing to do: a task found is carried on, never sent again."),
    )


def task_found(task_id: str, *, by_request_id: bool) -> WanError:
    return WanError(
        QT_TRANSLATE_NOOP(
            "WanError", "Its answer was lost; its task {task_id} was found at the service by its request id."
        )
        if by_request_id
        else QT_TRANSLATE_NOOP(
            "WanError",
            "Its answer was lost; its task {task_id} was found at the service: the only one made when it was sent.",
        ),
        values={"task_id": task_id},
        code="TaskFound",
        hint=QT_TRANSLATE_NOOP("WanError", "Nothing to do: its images are saved when the task finishes."),
    )


def task_fetched_into(task_id: str) -> WanError:
    return WanError(
        QT_TRANSLATE_NOOP(
            "WanError", "Task {task_id} was made when this job's answer was lost: it is fetched into this job."
        ),
        values={"task_id": task_id},
        code="TaskFound",
        hint=QT_TRANSLATE_NOOP("WanError", "Nothing to do: its images are saved when the task finishes."),
    )


def _lost(message: str, hint: str, request_id: str | None, **values: object) -> InterruptedCreateError:
    """The create's answer was lost and its task is not found yet: the job stays for Resume."""
    return InterruptedCreateError(message, values=values, code=ANSWER_LOST, request_id=request_id, hint=hint)


def task_not_found(request_id: str | None) -> InterruptedCreateError:
    return _lost(
        QT_TRANSLATE_NOOP(
            "WanError",
            "The answer was lost after the request was sent, and the service's task list shows no task "
            "made then: it may not have been accepted, or the list may not show it yet.",
        ),
        _LOOK_AGAIN,
        request_id,
    )


def task_ambiguous(count: int, request_id: str | None) -> InterruptedCreateError:
    return _lost(
        QT_TRANSLATE_NOOP(
            "WanError",
            "The answer was lost after the request was sent, and {count} tasks at the service were made "
            "then: which one is this job's cannot be told.",
        ),
        QT_TRANSLATE_NOOP(
            "WanError",
            "Fetch the right one from Jobs › Tasks at the Service (or 'wan27 jobs remote'); retrying would bill again.",
        ),
        request_id,
        count=count,
    )


def task_shared(rival: int, request_id: str | None) -> InterruptedCreateError:
    return _lost(
        QT_TRANSLATE_NOOP(
            "WanError",
            "The answer was lost after the request was sent. The service made one task then, but job "
            "{job} also lost its answer then and could have made it.",
        ),
        QT_TRANSLATE_NOOP(
            "WanError",
            "Jobs › Tasks at the Service (or 'wan27 jobs remote') can fetch it as a job of its own; retrying "
            "would bill again.",
        ),
        request_id,
        job=rival,
    )


def task_fetched_elsewhere(job: int, request_id: str | None) -> InterruptedCreateError:
    return _lost(
        QT_TRANSLATE_NOOP(
            "WanError",
            "The answer was lost after the request was sent. The one task the service made then was "
            "fetched by its id into job {job}.",
        ),
        QT_TRANSLATE_NOOP("WanError", "Nothing is lost: if that task was this job's, its images are in that job."),
        request_id,
        job=job,
    )


def task_list_unreadable(reason: WanError, request_id: str | None) -> InterruptedCreateError:
    return _lost(
        QT_TRANSLATE_NOOP(
            "WanError",
            "The answer was lost after the request was sent, and the service's task list could not be "
            "read to find its task ({reason}).",
        ),
        _LOOK_AGAIN,
        request_id,
        reason=reason.message,
    )


def task_never_found(request_id: str | None) -> InterruptedCreateError:
    return InterruptedCreateError(
        QT_TRANSLATE_NOOP(
            "WanError",
            "Interrupted while sending, and no task of this job appeared at the service in the 24 hours "
            "it keeps tasks; the request may still have been billed.",
        ),
        request_id=request_id,
        hint=QT_TRANSLATE_NOOP("WanError", "The console's bill shows whether it was."),
    )
