# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""The main window end to end, offscreen, against the fake DashScope server over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QSplitter, QWidget

from tests.fake_dashscope import Fault
from tests.ui.main_window_support import (  # noqa: F401 - fixtures
    env_key,
    fake,
    library_images,
    make_window,
    notifier,
    only_job,
    prompt_edit,
    wait_for_job,
    wait_state,
)
from wan27_desktop.api.models import GenerationRequest, RequestMode
from wan27_desktop.library import JobState, Library


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """No key anywhere: no environment key (conftest) and a keyring backend that has nothing."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def type_and_generate(qtbot: Any, window: Any, text: str) -> None:
    edit = prompt_edit(window)
    edit.setFocus()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_controls_have_stable_object_names_and_accessible_names(make_window: Any, no_keyring: None) -> None:
    window = make_window()
    window.queue_dock.show()  # the job queue starts closed; its table is made when first shown
    for name in (
        "promptEdit",
        "generateButton",
        "jobQueue",
        "jobTable",
        "jobCancelButton",
        "jobRetryButton",
        "jobResumeButton",
        "jobShowResultsButton",
        "jobCopyDetailsButton",
        "statusRegion",
        "statusKey",
        "statusSpend",
        "statusConnectivity",
        "mainSplitter",
    ):
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        if isinstance(widget, QAbstractButton) or name in ("jobQueue", "jobTable"):
            assert widget.accessibleName(), name
    for name in (
        "actionImportFolder",
        "actionExport",
        "actionSettings",
        "actionQuit",
        "actionResumeUnfinished",
        "actionRetryJob",
        "actionCancelJob",
        "actionFetchTask",
        "actionRemoteTasks",
        "actionShortcuts",
        "actionAbout",
        "actionCopyDiagnostics",
        "actionShowJobQueue",
        "actionThemeDark",
    ):
        assert name in window.actions_by_name, name


def test_starts_not_checked_yet_without_key_with_focus_in_the_prompt(
    qtbot: Any, make_window: Any, no_keyring: None
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.key_origin() == "none")
    assert window.status.key_label.text() == "No key"
    # Nothing has been asked of the service yet: neither online nor offline is known.
    assert window.status.connectivity_label.text() == "Not checked yet"
    assert window.status.spend_label.text() == "Today: ¥0.00"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is prompt_edit(window))


def test_ctrl_enter_generates_an_image_into_the_library(
    qtbot: Any, make_window: Any, env_key: Any, isolated_environment: Any
) -> None:
    window = make_window()
    type_and_generate(qtbot, window, "a red kite over a grey beach")
    job = wait_for_job(qtbot, window)[0]
    done = wait_state(qtbot, window, job.job_id, JobState.DONE)
    images = library_images(isolated_environment)
    assert len(images) == done.images_done >= 1
    assert images[0].prompt == "a red kite over a grey beach"
    assert images[0].path.exists()
    assert env_key.created_count == 1
    assert "Online" in window.status.connectivity_label.text()
    assert window.status.key_label.text() == "Key: environment"


def test_async_job_runs_through_the_queue(
    qtbot: Any, make_window: Any, env_key: Any, isolated_environment: Any
) -> None:
    env_key.polls_pending = 2
    window = make_window()
    window.workspace.submit(GenerationRequest(prompt="a lighthouse at dusk", n=2, size="1K"), RequestMode.ASYNC)
    job = wait_for_job(qtbot, window)[0]
    qtbot.waitUntil(lambda: window.queue.model.job(job.job_id).server_status in ("PENDING", "RUNNING", "SUCCEEDED"))
    row = wait_state(qtbot, window, job.job_id, JobState.DONE)
    assert row.server_status == "SUCCEEDED"
    assert (row.images_done, row.images_expected) == (2, 2)
    model = window.queue.model
    position = model.row_of(job.job_id)
    assert model.index(position, model.COL_PROGRESS).data() == "2/2"
    assert model.index(position, model.COL_SERVER).data() == "Succeeded"
    assert len(library_images(isolated_environment)) == 2
    assert env_key.requests_for(op="create")


def test_cancel_a_pending_task_then_retry_it(qtbot: Any, make_window: Any, env_key: Any) -> None:
    env_key.polls_pending = 10**6  # the task stays PENDING until canceled
    window = make_window()
    window.workspace.submit(GenerationRequest(prompt="a slow task", size="1K"), RequestMode.ASYNC)
    job = wait_for_job(qtbot, window)[0]
    qtbot.waitUntil(lambda: window.queue.model.job(job.job_id).server_status == "PENDING")
    window.queue.select_job(job.job_id)
    assert window.queue.cancel_button.isEnabled()
    assert not window.queue.retry_button.isEnabled()
    qtbot.mouseClick(window.queue.cancel_button, Qt.MouseButton.LeftButton)
    row = wait_state(qtbot, window, job.job_id, JobState.CANCELED)
    assert env_key.requests_for(op="cancel"), "the PENDING task was not canceled on the server"
    assert row.error_code == "Canceled"
    qtbot.waitUntil(lambda: window.queue.retry_button.isEnabled())

    env_key.polls_pending = 1
    qtbot.mouseClick(window.queue.retry_button, Qt.MouseButton.LeftButton)
    jobs = wait_for_job(qtbot, window, count=2)
    retried = next(j for j in jobs if j.job_id != job.job_id)
    wait_state(qtbot, window, retried.job_id, JobState.DONE)
    assert window.queue.model.job(job.job_id).state is JobState.CANCELED


def test_error_row_shows_code_hint_and_request_id(qtbot: Any, make_window: Any, env_key: Any) -> None:
    env_key.add_fault(Fault("sync", "moderation"))
    window = make_window()
    window.workspace.submit(GenerationRequest(prompt="something the filter refuses", size="1K"), RequestMode.SYNC)
    job = wait_for_job(qtbot, window)[0]
    row = wait_state(qtbot, window, job.job_id, JobState.FAILED)
    qtbot.waitUntil(lambda: window.queue.model.job(job.job_id).request_id is not None)
    row = window.queue.model.job(job.job_id)
    assert row.error_code == "DataInspectionFailed"
    model = window.queue.model
    shown = model.index(model.row_of(job.job_id), model.COL_DETAILS).data()
    assert "DataInspectionFailed" in shown and row.request_id in shown
    window.queue.select_job(job.job_id)
    assert window.queue.retry_button.isEnabled() and not window.queue.cancel_button.isEnabled()
    qtbot.mouseClick(window.queue.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert "Code: DataInspectionFailed" in copied
    assert f"Request id: {row.request_id}" in copied
    assert f"What to do: {row.error_hint}" in copied and row.error_hint
    assert env_key.api_key not in copied
    assert "Online" in window.status.connectivity_label.text()  # the service answered


def _look_away(qtbot: Any, window: Any) -> None:
    """Another window takes the focus: the main window is not active, as when the user works elsewhere."""
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: other.isActiveWindow() and not window.isActiveWindow())


def test_notification_and_taskbar_alert_when_the_window_is_inactive(
    qtbot: Any, make_window: Any, env_key: Any, notifier: Any
) -> None:
    window = make_window()
    _look_away(qtbot, window)
    window.workspace.submit(GenerationRequest(prompt="done while away", size="1K"), RequestMode.SYNC)
    job = wait_for_job(qtbot, window)[0]
    wait_state(qtbot, window, job.job_id, JobState.DONE)
    qtbot.waitUntil(lambda: notifier.alerts == [window])
    assert len(notifier.notifications) == 1
    title, message, error = notifier.notifications[0]
    assert title == "Images ready" and "done while away" in message and not error


def test_a_job_paused_for_the_user_is_notified_when_the_window_is_inactive(
    qtbot: Any, make_window: Any, env_key: Any, notifier: Any
) -> None:
    """Its create's answer was lost and another program's task was made at the same moment: the job
    cannot tell its task apart and waits for the user, who is told (not only a finished job is)."""
    from tests.fake_dashscope.testkit import create_elsewhere

    create_elsewhere(env_key)
    env_key.add_fault(Fault("create", "drop", accept=True))
    window = make_window()
    _look_away(qtbot, window)
    window.workspace.submit(GenerationRequest(prompt="lost while away", size="1K"), RequestMode.AUTO)
    qtbot.waitUntil(lambda: notifier.alerts == [window], timeout=20_000)
    ((title, message, error),) = notifier.notifications
    assert title == "Job paused" and "2 tasks at the service were made then" in message and error


def test_no_notification_while_the_window_is_active(qtbot: Any, make_window: Any, env_key: Any, notifier: Any) -> None:
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    # Listening before the submit: a 1K sync job may finish before a later wait would begin.
    with qtbot.waitSignal(window.workspace.jobs.jobFinished, timeout=20_000):
        window.workspace.submit(GenerationRequest(prompt="done while watching", size="1K"), RequestMode.SYNC)
    job = wait_for_job(qtbot, window)[0]
    assert window.queue.model.job(job.job_id).state is JobState.DONE
    assert notifier.notifications == [] and notifier.alerts == []


def test_generate_without_any_key_opens_the_key_dialog(
    qtbot: Any, make_window: Any, no_keyring: None, fake: Any
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.key_origin() == "none")
    type_and_generate(qtbot, window, "needs a key first")
    qtbot.waitUntil(lambda: (d := window.findChild(QDialog, "keyDialog")) is not None and d.isVisible())
    assert fake.created_count == 0
    assert window.queue.model.jobs() == []


def test_generate_before_the_key_lookup_ends_also_asks_for_a_key(
    qtbot: Any, make_window: Any, no_keyring: None
) -> None:
    window = make_window()
    window.workspace.key_source = None  # as if the keyring lookup were still running
    window.workspace.submit(GenerationRequest(prompt="early bird", size="1K"), RequestMode.SYNC)
    # The worker's connection provider finds no key: the job is refused and the dialog opens.
    qtbot.waitUntil(lambda: (d := window.findChild(QDialog, "keyDialog")) is not None and d.isVisible())
    assert window.workspace.waiting_for_key


def test_no_key_dialog_when_dashscope_api_key_is_set(qtbot: Any, make_window: Any, env_key: Any) -> None:
    window = make_window()
    type_and_generate(qtbot, window, "the key comes from the environment")
    job = wait_for_job(qtbot, window)[0]
    wait_state(qtbot, window, job.job_id, JobState.DONE)
    assert window.findChild(QDialog, "keyDialog") is None


def test_journal_jobs_appear_at_start_and_unfinished_ones_resume(
    qtbot: Any, make_window: Any, env_key: Any, isolated_environment: Any
) -> None:
    body = {
        "model": "wan2.7-image",
        "input": {"messages": [{"role": "user", "content": [{"text": "old"}]}]},
        "parameters": {"n": 1, "size": "1K", "watermark": False},
    }
    with Library.open(isolated_environment) as library:
        failed = library.jobs.create(
            body,
            model="wan2.7-image",
            request_mode="sync",
            region="sg",
            endpoint=env_key.base_url,
            n=1,
            estimated_cost="0.2",
            state=JobState.SUBMITTING,
        )
        library.jobs.update(
            failed,
            state=JobState.FAILED,
            error_code="InternalError",
            error_message="boom",
            error_hint="try later",
            request_id="req-123",
        )
        # Crashed mid-send: resuming must never resend, it becomes "interrupted - may have been billed".
        sending = library.jobs.create(
            body,
            model="wan2.7-image",
            request_mode="sync",
            region="sg",
            endpoint=env_key.base_url,
            n=1,
            estimated_cost="0.2",
            state=JobState.SUBMITTING,
        )
    window = make_window()
    assert window.queue.model.job(failed).state is JobState.FAILED
    assert window.queue.model.job(failed).request_id == "req-123"
    wait_state(qtbot, window, sending, JobState.INTERRUPTED)
    assert env_key.created_count == 0


def test_window_geometry_and_splitter_state_persist(qtbot: Any, make_window: Any, no_keyring: None) -> None:
    window = make_window(start=False)
    window.resize(1280, 800)
    window.splitter.setSizes([330, 946])
    qtbot.waitUntil(lambda: window.splitter.sizes()[0] == 330)
    window.queue_dock.hide()
    window.close()
    again = make_window(start=False)
    # The offscreen screen is 800x600, so Qt clamps the restored geometry; give it the same size.
    again.resize(1280, 800)
    qtbot.waitUntil(lambda: again.findChild(QSplitter, "mainSplitter").sizes()[0] == 330)
    assert not again.queue_dock.isVisible()


def test_diagnostic_info_names_the_key_source_but_never_the_key(qtbot: Any, make_window: Any, env_key: Any) -> None:
    from wan27_desktop.ui.window.main_window import copy_diagnostics

    window = make_window()
    qtbot.waitUntil(lambda: window.key_origin() == "environment")
    text = copy_diagnostics(window)
    assert "Key source: environment" in text
    assert env_key.api_key not in text and env_key.api_key not in QApplication.clipboard().text()


def test_a_key_entered_in_the_dialog_sends_the_pending_request(
    qtbot: Any, make_window: Any, no_keyring: None, fake: Any, monkeypatch: Any
) -> None:
    from wan27_desktop import keys
    from wan27_desktop.api.models import Region

    monkeypatch.setenv("WAN27_API_BASE", fake.base_url)
    window = make_window()
    qtbot.waitUntil(lambda: window.key_origin() == "none")
    type_and_generate(qtbot, window, "sent once the key is in")
    qtbot.waitUntil(lambda: (d := window.findChild(QDialog, "keyDialog")) is not None and d.isVisible())
    dialog = window.findChild(QDialog, "keyDialog")
    try:
        qtbot.keyClicks(dialog.findChild(QWidget, "keyEdit"), fake.api_key)
        qtbot.waitUntil(
            lambda: (
                dialog.findChild(QAbstractButton, "keySessionButton").isVisible()
                and dialog.findChild(QAbstractButton, "keySessionButton").isEnabled()
            )
        )
        qtbot.mouseClick(dialog.findChild(QAbstractButton, "keySessionButton"), Qt.MouseButton.LeftButton)
        job = wait_for_job(qtbot, window)[0]
        wait_state(qtbot, window, job.job_id, JobState.DONE)
        assert window.status.key_label.text() == "Key: this session"
        assert fake.created_count == 1
    finally:
        keys.set_session_key(Region.SINGAPORE, None)


def test_unfinished_jobs_without_a_key_resume_after_the_key_is_given(
    qtbot: Any, make_window: Any, no_keyring: None, fake: Any, monkeypatch: Any, isolated_environment: Any
) -> None:
    from wan27_desktop import keys
    from wan27_desktop.api.client import DashScopeClient
    from wan27_desktop.api.models import Region
    from wan27_desktop.jobs.runner import Connection, JobRunner

    monkeypatch.setenv("WAN27_API_BASE", fake.base_url)
    with Library.open(isolated_environment) as library:  # an async job the last session left running
        runner = JobRunner(library, Connection(Region.SINGAPORE, fake.base_url, fake.api_key))
        job_id = runner.create(GenerationRequest(prompt="left running", size="1K"), RequestMode.ASYNC)
        body, _request = runner._prepare(library.jobs.get(job_id))
        with DashScopeClient(fake.api_key, fake.base_url) as client:
            submission = client.submit_task(body)
        library.jobs.update(job_id, state=JobState.SUBMITTED, task_id=submission.task_id, server_status="PENDING")
        runner.close()
        library.leases.release_reserved(job_id)  # that session ended, and its lease on the job with it
    window = make_window()
    qtbot.waitUntil(lambda: (d := window.findChild(QDialog, "keyDialog")) is not None and d.isVisible())
    assert window.queue.model.job(job_id).state is JobState.SUBMITTED
    try:
        window.workspace.key_saved(keys.set_session_key(Region.SINGAPORE, fake.api_key))
        wait_state(qtbot, window, job_id, JobState.DONE)
        assert fake.created_count == 1, "resuming must never resubmit"
    finally:
        keys.set_session_key(Region.SINGAPORE, None)


def test_the_job_queue_starts_closed_and_is_built_when_first_shown(make_window: Any, no_keyring: None) -> None:
    window = make_window()
    assert not window.queue_dock.isVisible() and window.findChild(QWidget, "jobTable") is None
    window.actions_by_name["actionShowJobQueue"].trigger()
    assert window.queue_dock.isVisible() and window.findChild(QWidget, "jobTable") is not None
    assert window.queue_dock.titleBarWidget() is window.queue.header
