# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""Issue 14 in the GUI: Automatic is the default request mode and Sync says what it risks; job rows
tell the truth (a refused cancel, rate-limited retries, Resume for paused and expired jobs, no Retry
for a fetched task); Jobs › Tasks at the Service… lists the account's tasks and fetches one."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.fake_dashscope.testkit import create_elsewhere
from tests.ui.main_window_support import env_key, fake, make_window, notifier  # noqa: F401 - fixtures
from tests.ui.test_job_queue import cell, record
from wan27_desktop.api.errors import RateLimitError, WanError
from wan27_desktop.api.models import RequestMode
from wan27_desktop.api.results import TaskStatus
from wan27_desktop.api.retry import RetryNotice
from wan27_desktop.api.tasklist import TaskSummary
from wan27_desktop.jobs import notices
from wan27_desktop.jobs.remote import RemoteTask
from wan27_desktop.jobs.runner import JobEvent
from wan27_desktop.library import JobState, Library
from wan27_desktop.ui.dialogs.remote_tasks import RemoteTasksDialog
from wan27_desktop.ui.generate.parameters import ParametersPanel
from wan27_desktop.ui.jobs.queue_panel import JobQueueModel, JobQueuePanel


# ------------------------------------------------------------------------------ request mode
@pytest.fixture
def params(qtbot: Any) -> ParametersPanel:
    widget = ParametersPanel()
    qtbot.addWidget(widget)
    widget.resize(420, 560)
    widget.show()
    return widget


def test_automatic_is_the_default_and_sync_says_it_cannot_be_recovered(qtbot: Any, params: ParametersPanel) -> None:
    assert params.request_mode() is RequestMode.AUTO
    assert params.request_combo.itemText(0).startswith("Automatic")
    assert not params.request_note.isVisible()
    params.request_combo.setFocus()
    qtbot.keyClick(params.request_combo, Qt.Key.Key_Down)  # by keyboard, as a person would
    assert params.request_mode() is RequestMode.SYNC
    assert params.request_note.isVisible() and params.request_note.accessibleName()
    assert "cannot be recovered if the app dies mid-request" in params.request_note.text()
    qtbot.keyClick(params.request_combo, Qt.Key.Key_Down)
    assert params.request_mode() is RequestMode.ASYNC and not params.request_note.isVisible()


def test_the_size_note_no_longer_promises_square_presets(params: ParametersPanel) -> None:
    assert "square" not in params.size_hint.text() or "not always square" in params.size_hint.text()
    assert "§" not in params.size_hint.text()


# ---------------------------------------------------------------------------------- job rows
@pytest.fixture
def panel(qtbot: Any) -> JobQueuePanel:
    widget = JobQueuePanel()
    qtbot.addWidget(widget)
    widget.resize(900, 260)
    widget.show()
    return widget


def test_a_refused_cancel_shows_running_will_be_billed_and_no_retry(panel: JobQueuePanel) -> None:
    panel.apply_event(JobEvent(5, JobState.RUNNING, "RUNNING"))
    panel.apply_event(JobEvent(5, JobState.RUNNING, "RUNNING", notice=notices.cancel_refused()))
    panel.select_job(5)
    assert cell(panel.model, 5, JobQueueModel.COL_STATE) == "Running at the service"
    assert "will be billed" in cell(panel.model, 5, JobQueueModel.COL_DETAILS)
    assert not panel.cancel_button.isEnabled() and not panel.retry_button.isEnabled()
    assert panel.error_details.isVisible() and "results will be saved" in panel.error_details.text()
    assert "Retry" not in panel.error_details.text()
    panel.apply_event(JobEvent(5, JobState.DOWNLOADING, images_expected=2))  # it ran: the images land
    assert cell(panel.model, 5, JobQueueModel.COL_STATE) == "Downloading"
    assert not panel.model.job(5).notice


def test_a_refused_cancel_read_from_the_journal_after_a_restart(panel: JobQueuePanel) -> None:
    refused = notices.cancel_refused()
    panel.apply_records(
        [
            (
                record(
                    9,
                    JobState.RUNNING,
                    error_code=refused.code,
                    error_message=refused.message,
                    error_hint=refused.hint,
                    server_status="RUNNING",
                ),
                0,
            )
        ]
    )
    row = panel.model.job(9)
    assert row.state_label == "Running at the service" and row.error_code is None and row.notice
    assert panel.summary.text() != "" and "attention" not in panel.summary.text()


def test_rate_limited_retries_show_on_the_row_and_clear_with_progress(panel: JobQueuePanel) -> None:
    notice = notices.retrying(RetryNotice(3, 8.0, RateLimitError("slow down")))
    panel.apply_event(JobEvent(2, JobState.SUBMITTING, notice=notice))
    assert cell(panel.model, 2, JobQueueModel.COL_DETAILS) == "Rate-limited — retrying in 8 s, attempt 3"
    panel.apply_event(JobEvent(2, JobState.SUBMITTED, "PENDING"))
    assert cell(panel.model, 2, JobQueueModel.COL_DETAILS) == ""


def test_resume_is_offered_for_paused_and_expired_jobs_by_button_and_menu(qtbot: Any, panel: JobQueuePanel) -> None:
    assert panel.resume_button.accessibleName() == "Resume job"
    panel.apply_event(JobEvent(3, JobState.DOWNLOADING, images_expected=2))
    panel.select_job(3)
    assert not panel.resume_button.isEnabled()  # running: nothing to resume
    panel.model.mark_idle(3)
    panel.select_job(3)
    assert panel.resume_button.isEnabled()
    with qtbot.waitSignal(panel.resumeRequested) as resumed:
        qtbot.mouseClick(panel.resume_button, Qt.MouseButton.LeftButton)
    assert resumed.args == [3]
    panel.apply_event(JobEvent(4, JobState.EXPIRED, error=WanError("The result link has expired.")))
    menu = panel.context_menu(panel.model.job(4))
    resume = next(a for a in menu.actions() if a.text() == "Resume")
    assert resume.isEnabled()
    panel.apply_event(JobEvent(6, JobState.DONE, images_done=1, images_expected=1))
    panel.select_job(6)
    assert not panel.resume_button.isEnabled()


def test_a_fetched_task_is_not_offered_retry(panel: JobQueuePanel) -> None:
    adopted = record(8, JobState.FAILED, request_json={"_wan27": {"adopted": "t-8"}}, error_code="X")
    panel.apply_records([(adopted, 0)])
    panel.select_job(8)
    assert not panel.retry_button.isEnabled()


# ------------------------------------------------------------------------ tasks at the service
def _tasks() -> list[RemoteTask]:
    now = datetime.now(timezone.utc)
    return [
        RemoteTask(TaskSummary("task-new", TaskStatus.SUCCEEDED, "wan2.7-image", submitted=now), None),
        RemoteTask(TaskSummary("task-held", TaskStatus.SUCCEEDED, "wan2.7-image-pro", submitted=now), 3),
    ]


def _dialog(qtbot: Any, load: Any, fetched: list[tuple[str, str | None]], **kwargs: Any) -> RemoteTasksDialog:
    dialog = RemoteTasksDialog(None, load=load, fetch=lambda task, model: fetched.append((task, model)), **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_dialog_lists_tasks_marks_the_held_ones_and_fetches_a_missing_one(qtbot: Any) -> None:
    fetched: list[tuple[str, str | None]] = []
    dialog = _dialog(qtbot, _tasks, fetched)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=5000)
    assert [dialog.table.item(r, 4).text() for r in range(2)] == ["Not here", "Job 3"]
    assert "not in this library" in dialog.status.text()
    dialog.table.setFocus()
    dialog.table.selectRow(1)
    assert not dialog.fetch_selected_button.isEnabled()  # already here
    dialog.table.selectRow(0)
    assert dialog.fetch_selected_button.isEnabled()
    qtbot.mouseClick(dialog.fetch_selected_button, Qt.MouseButton.LeftButton)
    assert fetched == [("task-new", "wan2.7-image")]


def test_the_dialog_names_the_jobs_whose_answer_was_lost_when_a_task_was_made(qtbot: Any) -> None:
    now = datetime.now(timezone.utc)

    def load() -> list[RemoteTask]:
        return [
            RemoteTask(TaskSummary("t-one", TaskStatus.SUCCEEDED, "wan2.7-image", submitted=now), None, (7,)),
            RemoteTask(TaskSummary("t-two", TaskStatus.RUNNING, "wan2.7-image", submitted=now), None, (7, 8)),
        ]

    dialog = _dialog(qtbot, load, [])
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=5000)
    one, two = (dialog.table.item(r, 4).text() for r in range(2))
    assert one.startswith("Not here") and "job 7's answer was lost" in one and "carries it on there" in one
    assert "jobs 7, 8 were lost" in two and "any one's" in two
    assert dialog.table.item(1, 4).toolTip() == two  # whole, however narrow the column


def test_fetch_by_id_by_keyboard_and_a_bad_id_is_explained(qtbot: Any) -> None:
    fetched: list[tuple[str, str | None]] = []
    dialog = _dialog(qtbot, lambda: [], fetched, focus_id=True)
    qtbot.waitUntil(lambda: "No Wan 2.7 tasks" in dialog.status.text(), timeout=5000)
    assert dialog.focusWidget() is dialog.id_edit and dialog.id_edit.accessibleName() == "Task id"
    qtbot.keyClicks(dialog.id_edit, "../etc/passwd")
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)
    assert fetched == [] and dialog.id_problem.isVisible() and "not a task id" in dialog.id_problem.text()
    dialog.id_edit.clear()
    qtbot.keyClicks(dialog.id_edit, "8811b4a4-0000-1111")
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)
    assert fetched == [("8811b4a4-0000-1111", None)]
    for widget in (dialog.id_edit, dialog.fetch_id_button, dialog.table, dialog.refresh_button):
        assert widget.accessibleName() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_a_listing_that_fails_says_why(qtbot: Any) -> None:
    def fail() -> list[RemoteTask]:
        raise WanError("The request to the service failed: offline.")

    dialog = _dialog(qtbot, fail, [])
    qtbot.waitUntil(lambda: "could not be read" in dialog.status.text(), timeout=5000)
    assert "offline" in dialog.status.text() and dialog.refresh_button.isEnabled()


def test_jobs_menu_fetches_a_task_made_elsewhere_into_the_library(
    qtbot: Any, make_window: Any, env_key: Any, isolated_environment: Any
) -> None:
    task_id = create_elsewhere(env_key, "wan2.7-image", 2)["output"]["task_id"]
    window = make_window()
    window.actions_by_name["actionRemoteTasks"].trigger()
    dialog = window.findChild(RemoteTasksDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert dialog.table.item(0, 0).text() == task_id and dialog.table.item(0, 4).text() == "Not here"
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.fetch_selected_button, Qt.MouseButton.LeftButton)

    def landed() -> bool:
        with Library.open(isolated_environment, reconcile=False) as library:
            jobs = library.jobs.find()
            return bool(jobs) and jobs[0].state is JobState.DONE and len(library.images.of_job(jobs[0].id)) == 2

    qtbot.waitUntil(landed, timeout=20_000)
    qtbot.waitUntil(lambda: window.queue.model.job(1) is not None, timeout=5000)
    row = window.queue.model.job(1)
    assert row.task_id == task_id and not row.can_retry
    dialog.refresh()
    qtbot.waitUntil(lambda: dialog.table.item(0, 4).text() == "Job 1", timeout=10_000)
    assert "actionFetchTask" in window.actions_by_name
    dialog.close()
    QApplication.processEvents()
