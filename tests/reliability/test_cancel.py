"""Issue 14, items 2 and 3: a cancel that tells the truth. Only a service-confirmed CANCELED makes a
job canceled; a refused cancel (400 UnsupportedOperation: the task runs) is shown as such, the job
keeps polling, lands the billed images and counts them in the spend, and Retry is not suggested.
Stopping a sync request says the service may still bill it, and its answer still lands.
`wan27 jobs cancel` follows the same rules (JobRunner.cancel). Real HTTP to the fake, a real SQLite
file; the CLI and the Qt job manager as the user drives them.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, run_cli
from tests.reliability.support import assert_library_clean
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.jobs.runner import Connection, JobEvent, JobRunner
from wan27_desktop.library import JobState, Library

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@pytest.fixture
def library(isolated_environment: Path) -> Iterator[Library]:
    with Library.open(isolated_environment) as lib:
        yield lib


def _runner(library: Library, fake, events: list[JobEvent], press_at: str | None = None) -> JobRunner:
    """A runner whose user presses Cancel the moment the job's row shows the service status
    `press_at` (e.g. "PENDING", "RUNNING")."""
    cancel = threading.Event()
    connection = Connection(Region.SINGAPORE, fake.base_url, fake.api_key)

    def on_event(event: JobEvent) -> None:
        events.append(event)
        if press_at is not None and event.server_status == press_at:
            cancel.set()

    return JobRunner(library, connection, on_event=on_event, poll_interval=(0.01, 0.01), should_cancel=cancel.is_set)


def test_cancel_of_a_pending_task_is_canceled_only_once_the_service_confirms(library: Library, fake_dashscope):
    fake_dashscope.result_image_mode = "small"
    fake_dashscope.polls_pending = 1000
    events: list[JobEvent] = []
    runner = _runner(library, fake_dashscope, events, press_at="PENDING")
    try:
        job = runner.run(runner.create(GenerationRequest("a fox"), RequestMode.AUTO))
    finally:
        runner.close()
    assert job.state is JobState.CANCELED and job.server_status == "CANCELED"  # the service's word
    assert fake_dashscope.billed_images == [] and job.cost is None
    cancels = fake_dashscope.requests_for("cancel")
    assert len(cancels) == 1
    # Asked first; canceled only after a query said CANCELED.
    assert [r for r in fake_dashscope.requests_for("query") if r.time >= cancels[0].time]
    assert any(e.notice is not None and e.notice.code == "CancelRequested" for e in events)


def test_a_refused_cancel_keeps_polling_lands_the_images_and_counts_them(library: Library, fake_dashscope):
    fake_dashscope.result_image_mode = "small"
    fake_dashscope.polls_pending, fake_dashscope.polls_running = 1, 3
    events: list[JobEvent] = []
    runner = _runner(library, fake_dashscope, events, press_at="RUNNING")  # too late: §1.2 PENDING only
    try:
        job = runner.run(runner.create(GenerationRequest("a fox", n=2, size="1K"), RequestMode.AUTO))
    finally:
        runner.close()
    refused = [e.notice for e in events if e.notice is not None and e.notice.code == "CancelRefused"]
    assert refused and "will be billed" in refused[0].message and "results will be saved" in refused[0].message
    assert "retry" not in refused[0].hint.lower()  # Retry would bill a second time
    assert job.state is JobState.DONE and job.error_code is None  # the notice does not outlive the job
    saved = sorted(r.url for r in library.jobs.results_of(job.id) if r.status == "downloaded")
    assert saved == sorted(url for _, url in fake_dashscope.billed_images) and len(saved) == 2
    assert job.cost is not None and library.ledger.spend_today() == Decimal(job.cost) > 0  # the spend counts them
    assert fake_dashscope.created_count == 1  # nothing sent again
    assert_library_clean(library)


def test_the_journal_shows_the_refused_cancel_while_the_task_runs(library: Library, fake_dashscope):
    """After a restart mid-task the row still says why the job was not canceled."""
    fake_dashscope.polls_pending, fake_dashscope.polls_running = 0, 1000
    runner = _runner(library, fake_dashscope, [])
    try:
        job_id = runner.create(GenerationRequest("a fox"), RequestMode.AUTO)
        runner.poll_deadline_s = 0.3  # stop waiting (stays resumable), like an app that closes
        runner.run(job_id)
        job = runner.cancel(job_id)
    finally:
        runner.close()
    assert job.state is JobState.RUNNING and job.error_code == "CancelRefused"
    assert "will be billed" in job.error_message


# ----------------------------------------------------------------------------------- the CLI
@pytest.fixture
def env(fake_dashscope, isolated_environment: Path) -> dict[str, str]:
    fake_dashscope.result_image_mode = "small"
    return cli_env(fake_dashscope, isolated_environment)


def _killed_after_submit(env: dict[str, str], point: str = "async_after_submit") -> None:
    killed = run_cli(
        ["generate", "a fox", "-n", "2", "--size", "1K", "--poll-interval", "0.01"],
        {**env, "WAN27_CRASHPOINT": point},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr


@posix_only
def test_cli_cancel_of_a_pending_task_cancels_it(env, fake_dashscope, isolated_environment: Path):
    fake_dashscope.polls_pending = 1000
    _killed_after_submit(env)
    result = run_cli(["jobs", "cancel", "1"], env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "canceled" in result.stdout and "Traceback" not in result.stderr
    with Library.open(isolated_environment) as library:
        assert library.jobs.get(1).state is JobState.CANCELED
    assert fake_dashscope.billed_images == []


@posix_only
def test_cli_cancel_of_a_running_task_says_it_will_be_billed_and_lands_it(
    env, fake_dashscope, isolated_environment: Path
):
    fake_dashscope.polls_pending, fake_dashscope.polls_running = 0, 2
    _killed_after_submit(env, "async_mid_poll")  # killed once the service said RUNNING
    result = run_cli(["jobs", "cancel", "1", "--poll-interval", "0.01"], env)
    assert result.returncode == 3, result.stdout  # the service refused: not canceled
    assert "will be billed" in result.stdout and "results will be saved" in result.stdout
    assert "retry" not in result.stdout.lower() and "Traceback" not in result.stderr
    with Library.open(isolated_environment) as library:  # no process runs it: this command landed it
        job = library.jobs.get(1)
        assert job.state is JobState.DONE and len(library.images.of_job(1)) == len(fake_dashscope.billed_images) == 2
        assert all(str(image.path) in result.stdout for image in library.images.of_job(1))


@posix_only
def test_cli_cancel_refused_leaves_a_job_another_process_runs_to_it(env, fake_dashscope, isolated_environment: Path):
    fake_dashscope.polls_pending, fake_dashscope.polls_running = 0, 2
    _killed_after_submit(env, "async_mid_poll")
    with Library.open(isolated_environment) as library, library.leases.claim(1):  # as a window running it would
        result = run_cli(["jobs", "cancel", "1", "--poll-interval", "0.01"], env)
        assert result.returncode == 3, result.stdout
        assert "will be billed" in result.stdout and "Waiting for its results" not in result.stdout
        assert library.jobs.get(1).state is JobState.RUNNING  # left to its owner, which lands it


def test_cli_cancel_of_a_finished_job_is_refused_with_exit_3(env, fake_dashscope):
    assert run_cli(["generate", "a fox", "--size", "1K", "--poll-interval", "0.01"], env).returncode == 0
    result = run_cli(["jobs", "cancel", "1"], env)
    assert result.returncode == 3 and "nothing to cancel" in result.stderr and "Traceback" not in result.stderr


def test_cli_cancel_of_an_unknown_job_is_invalid_input(env):
    assert run_cli(["jobs", "cancel", "42"], env).returncode == 2


# ------------------------------------------------------------------------------ the GUI's Cancel
@pytest.fixture
def manager(qtbot, fake_dashscope, isolated_environment: Path):
    from wan27_desktop.jobs.qt import JobManager

    fake_dashscope.result_image_mode = "small"
    connection = Connection(Region.SINGAPORE, fake_dashscope.base_url, fake_dashscope.api_key)
    jobs = JobManager(isolated_environment, lambda: connection, concurrency=2, poll_interval=(0.01, 0.01))
    yield jobs
    jobs.shutdown()


def test_stopping_a_sync_job_says_it_may_be_billed_and_lands_the_answer(
    qtbot, manager, fake_dashscope, isolated_environment: Path
):
    fake_dashscope.sync_delay = 1.0
    events: list[JobEvent] = []
    manager.jobEvent.connect(events.append)
    with qtbot.waitSignal(manager.jobCreated, timeout=10_000) as created:
        manager.submit(GenerationRequest("a fox", n=2, size="1K"), RequestMode.SYNC)
    job_id = created.args[1]
    qtbot.waitUntil(lambda: len(fake_dashscope.requests_for("sync")) == 1, timeout=10_000)  # in flight
    with qtbot.waitSignal(manager.jobFinished, timeout=20_000):
        assert manager.cancel(job_id)
        qtbot.waitUntil(lambda: any(e.notice is not None for e in events), timeout=5_000)
        notice = next(e.notice for e in events if e.notice is not None)
        assert notice.code == "SyncInFlight" and "may still bill" in notice.message
    with Library.open(isolated_environment, reconcile=False) as library:
        job = library.jobs.get(job_id)
        assert job.state is JobState.DONE, job.error_message  # the answer came and landed
        assert len(library.images.of_job(job_id)) == len(fake_dashscope.billed_images) == 2
