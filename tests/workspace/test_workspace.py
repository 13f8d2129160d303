"""The workspace without widgets, against the fake service over real HTTP and a real library:
submit -> a placeholder at once -> the job's states -> every image landed; failures, a missing
key and cancel as a window would see them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.fake_dashscope.faults import Fault
from wan27_desktop.api.models import GenerationRequest, RequestMode
from wan27_desktop.library import JobState, Library
from wan27_desktop.workspace.jobs import JobRow
from wan27_desktop.workspace.service import Connectivity
from wan27_desktop.workspace.workspace import Workspace


def record_states(workspace: Workspace) -> dict[int, list[tuple[JobState, str | None]]]:
    """Every distinct (state, server status) each board row went through, in order."""
    seen: dict[int, list[tuple[JobState, str | None]]] = {}

    def changed(key: int) -> None:
        row = workspace.board.row(key)
        if row is None:
            return
        history = seen.setdefault(key, [])
        now = (row.state, row.server_status)
        if not history or history[-1] != now:
            history.append(now)

    workspace.board.added.connect(changed)
    workspace.board.changed.connect(changed)
    return seen


def only_job(workspace: Workspace) -> JobRow:
    rows = [row for row in workspace.board.rows() if not row.placeholder]
    assert len(rows) == 1, rows
    return rows[0]


def test_submit_shows_a_placeholder_then_each_state_then_every_image_landed(
    qtbot: Any, make_workspace: Any, env_key: Any, isolated_environment: Path
) -> None:
    env_key.polls_pending = 2
    env_key.polls_running = 2
    workspace = make_workspace()
    states = record_states(workspace)
    landed: list[int] = []
    workspace.imageLanded.connect(landed.append)
    workspace.draft.prompt = "a lighthouse at dusk"
    workspace.draft.set_parameter(n=3, size="1K")
    workspace.draft.request_mode = RequestMode.ASYNC

    token = workspace.submit()
    assert token is not None
    placeholder = workspace.board.row(-token)
    assert placeholder is not None and placeholder.placeholder  # on the board before anything is journaled
    assert (placeholder.state, placeholder.prompt, placeholder.expected) == (JobState.QUEUED, "a lighthouse at dusk", 3)

    qtbot.waitUntil(lambda: any(not row.placeholder for row in workspace.board.rows()), timeout=10_000)
    job = only_job(workspace)
    assert job.token == token and workspace.board.row(-token) is None  # the job took its placeholder's place
    qtbot.waitUntil(lambda: job.state is JobState.DONE and len(job.image_ids) == 3, timeout=20_000)

    seen = [state for state, _status in states[job.job_id]]
    assert seen[-1] is JobState.DONE
    for expected in (JobState.SUBMITTED, JobState.RUNNING, JobState.DOWNLOADING):
        assert expected in seen, seen
    statuses = [status for _state, status in states[job.job_id] if status]
    assert "PENDING" in statuses and "RUNNING" in statuses
    assert landed == job.image_ids
    with Library.open(isolated_environment, reconcile=False) as library:
        assert sorted(image.id for image in library.images.of_job(job.job_id)) == sorted(job.image_ids)
    assert (job.images_done, job.expected) == (3, 3)
    assert workspace.service.connectivity is Connectivity.ONLINE


def test_connectivity_is_not_checked_until_the_service_answers(qtbot: Any, make_workspace: Any, env_key: Any) -> None:
    workspace = make_workspace()
    assert workspace.service.connectivity is Connectivity.NOT_CHECKED
    workspace.submit(GenerationRequest(prompt="first contact", size="1K"), RequestMode.SYNC)
    qtbot.waitUntil(lambda: workspace.service.connectivity is Connectivity.ONLINE, timeout=20_000)


def test_a_failed_job_ends_with_the_services_code_and_is_reported(
    qtbot: Any, make_workspace: Any, env_key: Any
) -> None:
    env_key.add_fault(Fault("sync", "moderation"))
    workspace = make_workspace()
    ended: list[JobRow] = []
    workspace.jobEnded.connect(ended.append)
    workspace.submit(GenerationRequest(prompt="something the filter refuses", size="1K"), RequestMode.SYNC)
    qtbot.waitUntil(lambda: bool(ended), timeout=20_000)
    row = ended[0]
    assert row.state is JobState.FAILED
    assert row.error_code == "DataInspectionFailed" and row.error_message
    assert row.image_ids == []


def test_without_a_key_nothing_is_sent_until_one_is_saved(
    qtbot: Any, make_workspace: Any, fake: Any, no_keyring: None, monkeypatch: Any
) -> None:
    from wan27_desktop import keys
    from wan27_desktop.api.models import Region

    monkeypatch.setenv("WAN27_API_BASE", fake.base_url)
    workspace = make_workspace()
    assert workspace.key_origin() == "none"
    asked: list[bool] = []
    workspace.keyNeeded.connect(lambda: asked.append(True))
    assert workspace.submit(GenerationRequest(prompt="needs a key", size="1K"), RequestMode.SYNC) is None
    assert asked == [True] and workspace.waiting_for_key and len(workspace.board) == 0
    try:
        workspace.key_saved(keys.set_session_key(Region.SINGAPORE, fake.api_key))  # what the key dialog does
        qtbot.waitUntil(lambda: any(row.state is JobState.DONE for row in workspace.board.rows()), timeout=20_000)
        assert fake.created_count == 1
    finally:
        keys.set_session_key(Region.SINGAPORE, None)  # a session key outlives the test otherwise


def test_cancel_of_a_pending_task_is_what_the_service_confirms(qtbot: Any, make_workspace: Any, env_key: Any) -> None:
    env_key.polls_pending = 10**6
    workspace = make_workspace()
    workspace.submit(GenerationRequest(prompt="a slow task", size="1K"), RequestMode.ASYNC)
    qtbot.waitUntil(lambda: any(row.server_status == "PENDING" for row in workspace.board.rows()), timeout=10_000)
    job = only_job(workspace)
    assert workspace.cancel(job.job_id)
    assert job.cancel_requested and job.state is not JobState.CANCELED  # asked, not yet answered
    qtbot.waitUntil(lambda: job.state is JobState.CANCELED, timeout=10_000)
    assert env_key.requests_for(op="cancel")
    assert not workspace.cancel(job.job_id)  # nothing left to cancel


def test_a_job_whose_worker_stopped_is_paused_not_lost(qtbot: Any, make_workspace: Any, env_key: Any) -> None:
    env_key.polls_pending = 10**6
    workspace = make_workspace()
    workspace.submit(GenerationRequest(prompt="outlives its worker", size="1K"), RequestMode.ASYNC)
    qtbot.waitUntil(lambda: any(row.server_status == "PENDING" for row in workspace.board.rows()), timeout=10_000)
    job = only_job(workspace)
    workspace.jobs.shutdown()  # the worker stops waiting; the journal keeps the job resumable
    qtbot.waitUntil(lambda: job.idle, timeout=10_000)
    assert not job.active and job.state is JobState.SUBMITTED


def test_a_lost_answer_pauses_with_its_reason_and_its_fetched_task_lands_in_the_same_row(
    qtbot: Any, make_workspace: Any, env_key: Any
) -> None:
    """The create's answer was lost while another program of the account made a task too: the row
    pauses and says why (Resume looks again); fetching our task from Tasks at the Service carries
    it on in that row, which keeps its prompt, instead of a new row that knows nothing."""
    from tests.fake_dashscope.testkit import create_elsewhere

    create_elsewhere(env_key)
    env_key.add_fault(Fault("create", "drop", accept=True))
    workspace = make_workspace()
    workspace.submit(GenerationRequest(prompt="a fox at dawn", size="1K"), RequestMode.AUTO)
    qtbot.waitUntil(lambda: any(row.idle for row in workspace.board.rows()), timeout=20_000)
    job = only_job(workspace)
    assert (job.state, job.error_code) == (JobState.SUBMITTING, "AnswerLost")
    assert job.can_resume and not job.can_retry  # Resume looks again; a retry would bill again
    assert "2 tasks at the service were made then" in (job.error_message or "")
    assert workspace.service.connectivity is not Connectivity.OFFLINE  # the task list answered since

    (ours,) = [task_id for task_id, task in env_key.tasks.items() if task.request.prompt == "a fox at dawn"]
    workspace.fetch(ours)
    qtbot.waitUntil(lambda: job.state is JobState.DONE and len(job.image_ids) == 1, timeout=20_000)
    assert only_job(workspace) is job and job.prompt == "a fox at dawn" and not job.error_code
    assert env_key.created_count == 2  # ours and the other program's; nothing resent
