"""The job queue panel and its model, fed by JobEvents and journal records (no server needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from wan27_desktop.api.errors import ModerationError, NetworkError
from wan27_desktop.jobs.runner import JobEvent
from wan27_desktop.library import JobRecord, JobState
from wan27_desktop.ui.jobs.queue_panel import STATE_LABELS, JobQueueModel, JobQueuePanel, format_elapsed


def record(job_id: int, state: JobState, **fields: Any) -> JobRecord:
    created = fields.pop("created_at", datetime.now(timezone.utc).isoformat())
    base = JobRecord(
        id=job_id,
        state=state,
        model="wan2.7-image-pro",
        request_mode="async",
        region="sg",
        endpoint="http://127.0.0.1/api/v1",
        n=2,
        estimated_cost="0.60",
        cost=None,
        task_id=None,
        request_id=None,
        server_status=None,
        error_code=None,
        error_message=None,
        error_hint=None,
        usage=None,
        request_json={"input": {"messages": [{"role": "user", "content": [{"text": f"prompt {job_id}"}]}]}},
        created_at=created,
        updated_at=created,
        finished_at=None,
    )
    return replace(base, **fields)


@pytest.fixture
def panel(qtbot: Any) -> JobQueuePanel:
    widget = JobQueuePanel()
    qtbot.addWidget(widget)
    widget.resize(900, 240)
    widget.show()
    return widget


def cell(model: JobQueueModel, job_id: int, column: int) -> str:
    return model.index(model.row_of(job_id), column).data()


def test_format_elapsed_reads_like_a_clock() -> None:
    assert format_elapsed(0) == "0:00"
    assert format_elapsed(75) == "1:15"
    assert format_elapsed(3 * 3600 + 62) == "3:01:02"


def test_an_event_for_a_new_job_adds_a_row_on_top(panel: JobQueuePanel) -> None:
    model = panel.model
    assert model.apply_event(JobEvent(1, JobState.QUEUED)) is True
    assert model.apply_event(JobEvent(2, JobState.SUBMITTING)) is True
    assert model.apply_event(JobEvent(2, JobState.SUBMITTED, "PENDING")) is False
    assert [row.job_id for row in model.jobs()] == [2, 1]
    assert cell(model, 2, model.COL_STATE) == STATE_LABELS[JobState.SUBMITTED]
    assert cell(model, 2, model.COL_SERVER) == "Pending"
    assert model.index(0, model.COL_STATE).data(Qt.ItemDataRole.DecorationRole) is not None


def test_progress_counts_landed_images(panel: JobQueuePanel) -> None:
    model = panel.model
    model.apply_event(JobEvent(5, JobState.DOWNLOADING, images_expected=3))
    model.apply_event(JobEvent(5, JobState.DOWNLOADING, images_done=1, images_expected=3, image_id=10))
    assert cell(model, 5, model.COL_PROGRESS) == "1/3"
    model.apply_event(JobEvent(5, JobState.DONE, images_done=3, images_expected=3))
    assert cell(model, 5, model.COL_PROGRESS) == "3/3"


def test_one_timer_ticks_only_while_a_job_is_active(qtbot: Any, panel: JobQueuePanel) -> None:
    start = (datetime.now(timezone.utc) - timedelta(seconds=65)).isoformat()
    panel.apply_records([(record(1, JobState.RUNNING, created_at=start), 0)])
    assert panel.ticker.isActive()
    assert cell(panel.model, 1, JobQueueModel.COL_ELAPSED).startswith("1:0")
    ticks: list[object] = []
    panel.model.dataChanged.connect(lambda *args: ticks.append(args))
    qtbot.waitUntil(lambda: len(ticks) >= 1, timeout=3000)
    panel.apply_event(JobEvent(1, JobState.DONE, images_done=2, images_expected=2))
    qtbot.waitUntil(lambda: not panel.ticker.isActive(), timeout=3000)
    assert panel.findChildren(type(panel.ticker)) == [panel.ticker]


def test_finished_journal_job_shows_its_duration(panel: JobQueuePanel) -> None:
    created = datetime(2025, 1, 1, 12, 0, tzinfo=timezone.utc)
    job = record(
        3,
        JobState.DONE,
        created_at=created.isoformat(),
        finished_at=(created + timedelta(seconds=42)).isoformat(),
        cost="0.60",
    )
    panel.apply_records([(job, 2)])
    assert cell(panel.model, 3, JobQueueModel.COL_ELAPSED) == "0:42"
    assert cell(panel.model, 3, JobQueueModel.COL_PROGRESS) == "2/2"
    assert not panel.ticker.isActive()


def test_error_details_carry_code_hint_and_request_id(panel: JobQueuePanel) -> None:
    err = ModerationError("The prompt or an image was flagged.", code="DataInspectionFailed", request_id="req-9")
    panel.apply_event(JobEvent(7, JobState.FAILED, error=err))
    row = panel.model.job(7)
    text = cell(panel.model, 7, JobQueueModel.COL_DETAILS)
    assert "DataInspectionFailed" in text and "req-9" in text
    tooltip = panel.model.index(0, JobQueueModel.COL_DETAILS).data(Qt.ItemDataRole.ToolTipRole)
    assert f"What to do: {err.hint}" in tooltip
    panel.select_job(7)
    assert panel.copy_details() == row.details()
    assert QApplication.clipboard().text() == row.details()


def test_buttons_follow_the_selected_jobs_state(panel: JobQueuePanel) -> None:
    panel.apply_event(JobEvent(1, JobState.RUNNING, "RUNNING"))
    panel.apply_event(JobEvent(2, JobState.FAILED, error=NetworkError("offline")))
    panel.apply_event(JobEvent(3, JobState.DONE, images_done=1, images_expected=1))
    expectations = {1: (True, False, False), 2: (False, True, False), 3: (False, False, True)}
    for job_id, (cancel, retry, results) in expectations.items():
        panel.select_job(job_id)
        assert (panel.cancel_button.isEnabled(), panel.retry_button.isEnabled(), panel.results_button.isEnabled()) == (
            cancel,
            retry,
            results,
        ), job_id


def test_buttons_and_context_menu_emit_requests_for_the_selected_job(qtbot: Any, panel: JobQueuePanel) -> None:
    panel.apply_event(JobEvent(4, JobState.SUBMITTED, "PENDING"))
    panel.select_job(4)
    with qtbot.waitSignal(panel.cancelRequested) as blocker:
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [4]
    panel.apply_event(JobEvent(4, JobState.CANCELED))
    menu = panel.context_menu(panel.model.job(4))
    labels = {a.text(): a.isEnabled() for a in menu.actions() if a.text()}
    assert labels == {"Cancel": False, "Resume": False, "Retry": True, "Show results": False, "Copy details": True}
    with qtbot.waitSignal(panel.retryRequested) as blocker:
        next(a for a in menu.actions() if a.text() == "Retry").trigger()
    assert blocker.args == [4]


def test_a_journal_snapshot_never_rolls_back_a_newer_live_event(panel: JobQueuePanel) -> None:
    panel.apply_event(JobEvent(8, JobState.RUNNING, "RUNNING"))
    panel.apply_records([(record(8, JobState.SUBMITTED, server_status="PENDING"), 0)])
    assert panel.model.job(8).state is JobState.RUNNING
    assert panel.model.job(8).prompt == "prompt 8"
    panel.apply_records([(record(8, JobState.FAILED, error_code="X", request_id="r1"), 0)])
    assert panel.model.job(8).state is JobState.FAILED and panel.model.job(8).request_id == "r1"


def test_a_submission_waiting_for_a_slot_shows_at_once_and_gives_way_to_its_job(panel: JobQueuePanel) -> None:
    model = panel.model
    model.add_placeholder(3, "waiting for a worker")
    assert cell(model, -3, JobQueueModel.COL_STATE) == "Queued"
    assert cell(model, -3, JobQueueModel.COL_PROMPT) == "waiting for a worker"
    panel.select_job(-3)
    assert not panel.cancel_button.isEnabled(), "nothing to cancel before the job is journaled"
    model.apply_event(JobEvent(11, JobState.QUEUED))
    model.remove_placeholder(3)
    assert [row.job_id for row in model.jobs()] == [11]


def test_a_job_whose_worker_ended_unfinished_shows_as_paused(qtbot: Any, panel: JobQueuePanel) -> None:
    panel.apply_event(JobEvent(6, JobState.DOWNLOADING, images_expected=2))
    assert panel.ticker.isActive()
    panel.model.mark_idle(6)
    assert cell(panel.model, 6, JobQueueModel.COL_STATE) == "Paused"
    qtbot.waitUntil(lambda: not panel.ticker.isActive(), timeout=3000)
    panel.select_job(6)
    assert not panel.cancel_button.isEnabled()
    panel.apply_event(JobEvent(6, JobState.DOWNLOADING, images_done=1, images_expected=2))  # resumed
    assert cell(panel.model, 6, JobQueueModel.COL_STATE) == "Downloading"


def test_a_job_another_process_runs_is_shown_as_theirs_and_cannot_be_stopped_here(panel: JobQueuePanel) -> None:
    """`JournalWatch` feeds these: the job's record and who holds its lease."""
    board = panel.model.board
    board.apply_elsewhere([(record(5, JobState.SUBMITTED, server_status="RUNNING"), 0)], {5: "pid 4242 on vm"})
    row = panel.model.job(5)
    assert row is not None and row.running_elsewhere and not row.active
    assert cell(panel.model, 5, JobQueueModel.COL_DETAILS) == "In another window or the wan27 command"
    assert cell(panel.model, 5, JobQueueModel.COL_PROGRESS) == "0/2"
    tooltip = panel.model.index(0, JobQueueModel.COL_STATE).data(Qt.ItemDataRole.ToolTipRole)
    assert "pid 4242 on vm" in tooltip and "Stop it there" in tooltip
    assert panel.summary.text() == panel.tr("%n in other windows", "", 1)  # "1 in another window" in English
    panel.select_job(5)
    assert not panel.cancel_button.isEnabled() and not panel.resume_button.isEnabled()
    from wan27_desktop.ui.stage import texts

    assert texts.phase(row) == "At the service: pending · in another window or the wan27 command"
    assert texts.stop_button(row) is None  # no Cancel on the stage either

    board.apply_elsewhere([(record(5, JobState.SUBMITTED, server_status="RUNNING"), 0)], {})  # its process died
    assert row.idle and row.elsewhere is None and row.can_resume
    assert cell(panel.model, 5, JobQueueModel.COL_STATE) == row.state_label and panel.summary.text() == ""
    panel.select_job(5)
    assert panel.resume_button.isEnabled()

    board.apply_elsewhere([(record(5, JobState.DONE, cost="0.40"), 2)], {})  # resumed and finished elsewhere
    assert (row.state, row.idle, row.images_done) == (JobState.DONE, False, 2)

    board.apply_elsewhere([(record(6, JobState.QUEUED), 0)], {6: "pid 4343 on vm"})  # queued there, not sent yet
    queued = panel.model.job(6)
    assert queued is not None and queued.running_elsewhere and not queued.active
    board.apply_elsewhere([(record(6, JobState.QUEUED), 0)], {})  # its process ended before sending it
    assert queued.idle and not queued.can_resume
    tooltip = panel.model.index(panel.model.row_of(6), JobQueueModel.COL_STATE).data(Qt.ItemDataRole.ToolTipRole)
    assert "Nothing was billed" in tooltip and texts.phase(queued).startswith("Not sent")


def test_a_paused_job_says_why_it_stopped_and_what_to_do(panel: JobQueuePanel) -> None:
    """A job whose create answer was lost and whose task could not be told apart: the stage says
    why it is paused (not only that it resumes), the queue's details and Resume agree."""
    from wan27_desktop.jobs.notices import ANSWER_LOST, task_ambiguous
    from wan27_desktop.ui.stage import texts

    lost = task_ambiguous(2, None)
    board = panel.model.board
    board.apply_elsewhere(
        [(record(7, JobState.SUBMITTING, error_code=ANSWER_LOST, error_message=lost.message, error_hint=lost.hint), 0)],
        {},
    )
    row = panel.model.job(7)
    assert row is not None and row.idle and row.can_resume and not row.can_retry
    assert texts.phase(row) == f"Paused: {lost.message}"
    assert "2 tasks at the service were made then" in cell(panel.model, 7, JobQueueModel.COL_DETAILS)
    panel.select_job(7)
    assert panel.resume_button.isEnabled() and not panel.retry_button.isEnabled()
    paused = record(8, JobState.SUBMITTED, server_status="PENDING")  # paused with nothing to explain
    board.apply_elsewhere([(paused, 0)], {})
    assert texts.phase(panel.model.job(8)).startswith("Paused: resumes at the next start")
