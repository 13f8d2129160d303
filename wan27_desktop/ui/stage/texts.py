"""What the generation stage and the Generate area say about a job, in the job lifecycle's words.

One place for these sentences, so the stage's cards, its tiles and the Generate area never
disagree. Cancel is offered where it can still act, and says what it will cost: nothing for a job
not sent or not started; for a task the service already runs, it asks, and a refusal ("Running at
the service — it will be billed; results will be saved", jobs/notices.py) is shown as it comes. A
request already with the service (sync) cannot be stopped, and says so. A rate-limited job shows
the time of its next try.
"""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QCoreApplication, QObject

from wan27_desktop import i18n
from wan27_desktop.library import JobState
from wan27_desktop.ui.common.style import Tone
from wan27_desktop.workspace.jobs import JobRow, StopKind, format_elapsed, state_name, stop_kind

translate = QCoreApplication.translate  # pyside6-lupdate reads translate("Context", "text")


class _Counted(QObject):
    """The texts with a number in them: pyside6-lupdate finds plural forms only in `self.tr`."""

    def done(self, count: int) -> str:
        return self.tr("Done: %n image(s)", "", count)

    def running(self, count: int) -> str:
        return self.tr("%n job(s) running", "", count)


_counted: _Counted | None = None


def _count() -> _Counted:
    global _counted
    if _counted is None:
        _counted = _Counted()
    return _counted


def retry_clock(moment: datetime) -> str:
    """The local time of a retry, to the second (12:04:31)."""
    return f"{moment.astimezone():%H:%M:%S}"


def phase(row: JobRow, now: datetime | None = None) -> str:
    """One line: where the job is now (and, for a job another process runs, that it does)."""
    text = _phase(row, now or datetime.now(timezone.utc))
    if row.running_elsewhere:
        return translate("Stage", "{phase} · in another window or the wan27 command").format(phase=text)
    return text


def _phase(row: JobRow, now: datetime) -> str:
    if row.placeholder:
        return translate("Stage", "Queued: being written to the journal")
    if row.idle and row.state is JobState.QUEUED:
        return translate("Stage", "Not sent: the window or command that queued it has ended; nothing was billed")
    if row.idle and row.error_message:  # why it stopped (the hint below says what to do)
        return translate("Stage", "Paused: {reason}").format(reason=row.error_message)
    if row.idle:
        return translate("Stage", "Paused: resumes at the next start, or with Jobs ▸ Resume Unfinished Jobs")
    if row.rate_limited and row.retry_at is not None:
        seconds = max(0, round((row.retry_at - now).total_seconds()))
        text = translate("Stage", "Rate-limited: retrying at {time} (in {seconds} s)").format(
            time=retry_clock(row.retry_at), seconds=seconds
        )
        if row.attempt:
            text += translate("Stage", ", attempt {attempt}").format(attempt=row.attempt)
        return text
    if row.active and row.notice:  # news from the job lifecycle: a refused cancel, a cancel asked...
        return row.notice
    if row.active and row.cancel_requested:
        return translate("Stage", "Cancel requested: waiting for the service to confirm")
    state = row.state
    if state is JobState.QUEUED:
        return translate("Stage", "Queued: waiting for a free slot")
    if state is JobState.SUBMITTING:
        if row.request_mode == "sync":
            return translate("Stage", "Sent: the service answers once the images are made (it cannot be stopped now)")
        return translate("Stage", "Sending")
    if state is JobState.SUBMITTED:
        return translate("Stage", "At the service: pending")
    if state is JobState.RUNNING:
        return translate("Stage", "At the service: running")
    if state is JobState.DOWNLOADING:
        count = row.expected
        return translate("Stage", "Downloading image {number} of {count}").format(
            number=min(row.images_done + 1, count), count=count
        )
    if state is JobState.DONE:
        return _count().done(row.images_done)
    if state is JobState.PARTIAL:
        return translate("Stage", "Partly done: {done} of {count} images").format(
            done=row.images_done, count=row.expected
        )
    message = i18n.message_text(row.error_message) if row.error_message else ""
    name = state_name(state)
    return f"{name}: {message}" if message else name


def tile_label(row: JobRow, index: int) -> str:
    """What the placeholder of image `index` (0-based) says while it has no picture."""
    if index < len(row.image_ids):
        return ""
    state = row.state
    if row.placeholder or state is JobState.QUEUED:
        return translate("Stage", "Queued")
    if row.idle:
        return translate("Stage", "Paused")
    if row.rate_limited:
        return translate("Stage", "Rate-limited")
    if row.cancel_refused:
        return translate("Stage", "Running")
    if state is JobState.SUBMITTING:
        return translate("Stage", "Sending")
    if state is JobState.SUBMITTED:
        return translate("Stage", "Pending")
    if state is JobState.RUNNING:
        return translate("Stage", "Running")
    if state is JobState.DOWNLOADING:
        return translate("Stage", "Downloading") if index == len(row.image_ids) else translate("Stage", "Waiting")
    if state in (JobState.DONE, JobState.PARTIAL):
        return translate("Stage", "Not returned")
    return state_name(state)


def tone(row: JobRow) -> Tone:
    if row.active:
        return Tone.WARNING if row.rate_limited else Tone.ACTIVE
    if row.idle or row.state in (JobState.PARTIAL, JobState.INTERRUPTED):
        return Tone.WARNING
    if row.state is JobState.FAILED:
        return Tone.ERROR
    if row.state is JobState.DONE:
        return Tone.SUCCESS
    return Tone.MUTED


def elapsed(row: JobRow) -> str:
    seconds = row.elapsed()
    return "" if seconds is None else format_elapsed(seconds)


def stop_button(row: JobRow) -> tuple[str, str] | None:
    """(button text, tooltip) for stopping `row`, or None when Cancel cannot act on it now."""
    kind = stop_kind(row)
    if kind is StopKind.FREE:
        if row.state is JobState.SUBMITTED:
            return translate("Stage", "Cancel"), translate(
                "Stage", "The service has not started this task: canceling it costs nothing."
            )
        return translate("Stage", "Cancel"), translate("Stage", "Not sent yet: canceling it costs nothing.")
    if kind is StopKind.ASK:
        return translate("Stage", "Cancel"), translate(
            "Stage",
            "The service is already running this task and cancels only tasks that have not started: "
            "it will most likely be billed, and its images are saved either way.",
        )
    return None


def running_summary(active: int) -> str:
    return _count().running(active)
