"""Batches and spending limits in the workspace, without widgets, against the fake over real HTTP
and a real library: a batch's rows are jobs on the board (no Cancel of their own; the batch is
paused or canceled as a whole), they count as jobs in progress, a batch the last session left
unfinished carries on its jobs in flight at start and sends nothing new, and a request over a
spending limit is not sent until it is confirmed (issue 17 in the workspace of issue 16)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.fake_dashscope.faults import Fault
from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.jobs.batch import sources
from wan27_desktop.jobs.batch.journal import journal_batch, row_request
from wan27_desktop.jobs.runner import Connection, JobRunner
from wan27_desktop.jobs.spending import SpendLimitExceeded
from wan27_desktop.library import JobState, Library
from wan27_desktop.library import batches as b
from wan27_desktop.workspace.workspace import Workspace


def prompts(tmp_path: Path, count: int) -> sources.BatchPlan:
    path = tmp_path / "prompts.txt"
    path.write_text("".join(f"row {i}: a lighthouse\n" for i in range(count)), encoding="utf-8")
    return sources.from_list(path, GenerationRequest("", size="1K"))


def release(fake: Any) -> None:
    for task in fake.tasks.values():
        task.polls_pending = task.queries


def batch_rows(workspace: Workspace) -> list[Any]:
    return [row for row in workspace.board.rows() if row.batch_id is not None]


def test_a_batchs_rows_are_jobs_on_the_board_and_count_as_in_progress(
    qtbot: Any, make_workspace: Any, env_key: Any, tmp_path: Path
) -> None:
    env_key.polls_pending = 10**6  # held at the service until released below
    workspace = make_workspace()
    assert workspace.jobs_in_progress() == 0 and workspace.move_blocker() is None
    with qtbot.waitSignal(workspace.batches.batchStarted, timeout=20_000) as started:
        workspace.batches.start(prompts(tmp_path, 3), Region.SINGAPORE, RequestMode.ASYNC, name="three")
    batch_id = started.args[1]
    qtbot.waitUntil(
        lambda: len([r for r in batch_rows(workspace) if r.server_status == "PENDING"]) == 3, timeout=20_000
    )
    rows = batch_rows(workspace)
    assert {row.batch_id for row in rows} == {batch_id}
    assert all(row.active and not row.can_cancel for row in rows)  # the batch's window stops them, as a batch
    assert workspace.cancel(rows[0].job_id) is False
    assert rows[0].one_line_prompt() == f"Batch {batch_id} · {rows[0].prompt}"
    assert f"Batch: {batch_id}" in rows[0].details()
    assert workspace.jobs_in_progress() == 3
    blocker = workspace.move_blocker()
    assert blocker is not None and "Jobs ▸ Batches…" in blocker

    release(env_key)
    qtbot.waitUntil(lambda: all(row.state is JobState.DONE for row in batch_rows(workspace)), timeout=30_000)
    qtbot.waitUntil(lambda: not workspace.running_batches(), timeout=20_000)
    assert workspace.jobs_in_progress() == 0 and workspace.move_blocker() is None
    assert all(len(row.image_ids) == 1 for row in batch_rows(workspace))
    with Library.open(workspace.data_dir, reconcile=False) as library:
        spent = library.ledger.spend_today()
    assert spent > 0
    qtbot.waitUntil(lambda: workspace.service.spend_today == spent, timeout=10_000)  # the status bar's figure


def test_a_batch_left_unfinished_carries_on_what_was_sent_and_waits_for_the_rest(
    qtbot: Any, make_workspace: Any, env_key: Any, tmp_path: Path, isolated_environment: Path
) -> None:
    connection = Connection(Region.SINGAPORE, env_key.base_url, env_key.api_key)
    with Library.open(isolated_environment) as library:  # the last session: row 0 sent, rows 1 and 2 not
        batch_id = journal_batch(
            library, prompts(tmp_path, 3), region=Region.SINGAPORE, endpoint=env_key.base_url,
            request_mode=RequestMode.ASYNC,
        )  # fmt: skip
        library.batches.set_state(batch_id, b.RUNNING)
        runner = JobRunner(library, connection)
        row = library.batches.row(batch_id, 0)
        job_id = runner.create(
            row_request(library, row.request_json), RequestMode.ASYNC, on_insert=library.batches.link_row(batch_id, 0)
        )
        body, _request = runner._prepare(library.jobs.get(job_id))
        with DashScopeClient(env_key.api_key, env_key.base_url) as client:
            task = client.submit_task(body)
        library.jobs.update(job_id, state=JobState.SUBMITTED, task_id=task.task_id, server_status="PENDING")
        runner.close()
    messages: list[str] = []
    workspace = make_workspace(start=False)
    workspace.message.connect(lambda text, _ms: messages.append(text))
    with qtbot.waitSignal(workspace.journalLoaded, timeout=10_000):
        workspace.start()
    assert workspace.board.row(job_id) is not None and workspace.board.row(job_id).batch_id == batch_id
    assert "1 batch(es) from the last session are paused: Jobs ▸ Batches… to resume." in messages
    qtbot.waitUntil(lambda: workspace.board.row(job_id).state is JobState.DONE, timeout=30_000)
    qtbot.waitUntil(lambda: not workspace.running_batches(), timeout=20_000)
    assert env_key.created_count == 1  # nothing new was sent: the user resumes the batch
    with Library.open(isolated_environment, reconcile=False) as library:
        assert library.batches.get_batch(batch_id).state == b.PAUSED
        assert [r.status for r in library.batches.rows(batch_id)] == ["done", "queued", "queued"]


def test_over_a_spending_limit_nothing_is_sent_until_it_is_confirmed(
    qtbot: Any, make_workspace: Any, env_key: Any, isolated_environment: Path
) -> None:
    with Library.open(isolated_environment, reconcile=False) as library:
        library.spend_limits.set_limits("sg", Decimal("0.10"), None)
    workspace = make_workspace()
    request = GenerationRequest(prompt="a lighthouse", size="1K")
    with qtbot.waitSignal(workspace.overLimit, timeout=10_000) as refused:
        assert workspace.submit(request, RequestMode.SYNC) is not None
    err, asked, mode = refused.args
    assert isinstance(err, SpendLimitExceeded) and (asked, mode) == (request, RequestMode.SYNC)
    assert env_key.requests == [] and len(workspace.board) == 0  # no placeholder left behind
    workspace.submit(asked, mode, over_limit=True)  # what "Send Anyway" does
    qtbot.waitUntil(lambda: any(row.state is JobState.DONE for row in workspace.board.rows()), timeout=20_000)
    assert env_key.created_count == 1


def test_a_retry_over_a_spending_limit_waits_for_the_same_confirmation(
    qtbot: Any, make_workspace: Any, env_key: Any, isolated_environment: Path
) -> None:
    workspace = make_workspace()
    env_key.add_fault(Fault("sync", "moderation"))  # the first try fails (not billed): Retry is offered
    workspace.submit(GenerationRequest(prompt="a lighthouse", size="1K"), RequestMode.SYNC)
    qtbot.waitUntil(lambda: any(row.state is JobState.FAILED for row in workspace.board.rows()), timeout=20_000)
    (job_id,) = [row.job_id for row in workspace.board.rows()]
    with Library.open(isolated_environment, reconcile=False) as library:
        library.spend_limits.set_limits("sg", Decimal("0.50"), None)  # a retry would bill ¥0.56
    with qtbot.waitSignal(workspace.overLimit, timeout=10_000) as refused:
        assert workspace.retry(job_id) is not None
    err, asked, mode = refused.args
    assert isinstance(err, SpendLimitExceeded) and (asked.prompt, asked.size, mode) == ("a lighthouse", "1K", mode)
    assert env_key.created_count == 0 and len(workspace.board) == 1  # not sent, no placeholder left
    workspace.submit(asked, mode, over_limit=True)  # "Send Anyway"
    qtbot.waitUntil(lambda: env_key.created_count == 1, timeout=20_000)


def test_a_batch_started_for_its_window_sends_nothing_until_the_window_is_up(
    qtbot: Any, make_workspace: Any, env_key: Any, tmp_path: Path, isolated_environment: Path
) -> None:
    """The GUI starts a batch with `wait_for_window`: its window opens and shows its rows with the UI
    thread to itself, and the first row is sent after `window_ready` (the largest UI stall of a
    batch came from both at once)."""
    workspace = make_workspace()
    with qtbot.waitSignal(workspace.batches.batchStarted, timeout=20_000) as started:
        workspace.batches.start(
            prompts(tmp_path, 2), Region.SINGAPORE, RequestMode.ASYNC, name="two", wait_for_window=True
        )
    batch_id = started.args[1]
    qtbot.wait(300)  # well inside WINDOW_WAIT_S: the rows wait for the window
    assert env_key.created_count == 0
    with Library.open(isolated_environment, reconcile=False) as library:
        assert [row.job_id for row in library.batches.rows(batch_id)] == [None, None]  # not even journaled
    workspace.batches.window_ready(batch_id)
    qtbot.waitUntil(lambda: not workspace.running_batches(), timeout=30_000)
    assert env_key.created_count == 2
    assert all(row.state is JobState.DONE for row in batch_rows(workspace))


def test_a_batch_whose_window_never_comes_up_starts_anyway(
    qtbot: Any, make_workspace: Any, env_key: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from wan27_desktop.jobs.batch import qt as batch_qt

    monkeypatch.setattr(batch_qt, "WINDOW_WAIT_S", 0.2)
    workspace = make_workspace()
    with qtbot.waitSignal(workspace.batches.batchEnded, timeout=30_000):
        workspace.batches.start(
            prompts(tmp_path, 1), Region.SINGAPORE, RequestMode.ASYNC, name="one", wait_for_window=True
        )
    assert env_key.created_count == 1
