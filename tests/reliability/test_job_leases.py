"""Job ownership across processes (issue 14, items 8 and 9): a running job is leased by the process
running it; another window or command never takes it for interrupted, never runs it a second
time, and cannot rebuild, recover or move the library under it. A killed owner's lease lapses at
once (the kernel drops its lock), so its job resumes.

The owner is the real `wan27` command in a child process, against the fake over real HTTP.
"""

from __future__ import annotations

import signal
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env
from tests.reliability.journal_support import cli, finish, kill, lease_held, start_cli, wait_for
from tests.reliability.support import POLL_INTERVAL, SleepLog, assert_library_clean, fast_client_factory
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.jobs.runner import Connection, JobEvent, JobRunner
from wan27_desktop.library import ImageQuery, JobState, Library, LibraryBusy
from wan27_desktop.library.move import MoveRefused, plan_move

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@pytest.fixture
def env(fake_dashscope, isolated_environment: Path) -> dict[str, str]:
    fake_dashscope.result_image_mode = "small"
    return cli_env(fake_dashscope, isolated_environment)


def _state(data_dir: Path, job_id: int = 1) -> JobState:
    with Library.open(data_dir, reconcile=False) as library:
        return library.jobs.get(job_id).state


def _downloads_per_url(fake) -> Counter[str]:
    return Counter(r.path for r in fake.requests_for("download"))


def _assert_finished_once(fake, data_dir: Path, images: int) -> None:
    with Library.open(data_dir) as library:
        (job,) = library.jobs.find()
        assert job.state is JobState.DONE, (job.state, job.error_message)
        assert job.error_code is None and job.error_message is None  # no stale "interrupted" mark
        assert len(library.images.of_job(job.id)) == images
        assert_library_clean(library)
    assert fake.created_count == 1
    assert set(_downloads_per_url(fake).values()) == {1}  # every result fetched by one process, once


def _connection(fake) -> Connection:
    return Connection(Region.SINGAPORE, fake.base_url, fake.api_key)


@pytest.mark.slow
def test_a_window_opened_while_the_cli_sends_a_job_leaves_it_alone(qtbot, env, fake_dashscope, isolated_environment):
    """Item 9: the GUI's start-up resume used to mark this job "interrupted - may have been billed"."""
    from wan27_desktop.jobs.qt import JobManager

    fake_dashscope.sync_delay = 3.0  # the service takes its time: the CLI waits in the create
    child = start_cli(["generate", "a red fox", "-n", "2", "--size", "1K", "--mode", "sync"], env)
    try:
        wait_for(lambda: len(fake_dashscope.requests_for("sync")) == 1 and lease_held(isolated_environment, 1), child)
        assert _state(isolated_environment) is JobState.SUBMITTING

        manager = JobManager(isolated_environment, lambda: _connection(fake_dashscope), poll_interval=POLL_INTERVAL)
        try:
            with Library.open(isolated_environment) as library:
                assert manager.resume_unfinished(library) == []  # running elsewhere: not resumed
                runner = JobRunner(library, _connection(fake_dashscope))
                assert runner.resume(1).state is JobState.SUBMITTING  # nor by a direct resume
                runner.close()
            assert not manager.is_active(1)
        finally:
            manager.shutdown()
        code, out, err = finish(child)
    finally:
        if child.poll() is None:
            kill(child)
    assert code == 0, err
    assert out.count(".png") == 2
    _assert_finished_once(fake_dashscope, isolated_environment, images=2)


@pytest.mark.slow
def test_a_second_command_resuming_while_the_owner_polls_leaves_the_job_to_it(
    env, fake_dashscope, isolated_environment
):
    fake_dashscope.polls_pending, fake_dashscope.polls_running = 20, 5
    child = start_cli(
        ["generate", "a harbour", "-n", "2", "--size", "1K", "--mode", "async", "--poll-interval", "0.05"], env
    )
    try:
        wait_for(lambda: len(fake_dashscope.requests_for("query")) >= 2 and lease_held(isolated_environment, 1), child)
        second = cli(["jobs", "resume", "--poll-interval", "0.01"], env)
        assert second.returncode == 0, second.stderr
        assert "job 1: running in another window or command (pid" in second.stdout
        code, _out, err = finish(child)
    finally:
        if child.poll() is None:
            kill(child)
    assert code == 0, err
    _assert_finished_once(fake_dashscope, isolated_environment, images=2)


@pytest.mark.slow
def test_a_killed_owners_lease_lapses_and_its_job_resumes(env, fake_dashscope, isolated_environment):
    fake_dashscope.polls_pending, fake_dashscope.polls_running = 20, 5
    child = start_cli(["generate", "a harbour", "--size", "1K", "--mode", "async", "--poll-interval", "0.05"], env)
    try:
        wait_for(lambda: len(fake_dashscope.requests_for("query")) >= 2, child)
        assert lease_held(isolated_environment, 1)
    finally:
        kill(child)
    assert not lease_held(isolated_environment, 1)  # SIGKILL: no heartbeat to wait out
    resumed = cli(["jobs", "resume", "--poll-interval", "0.01"], env)
    assert resumed.returncode == 0, resumed.stderr
    _assert_finished_once(fake_dashscope, isolated_environment, images=1)


@pytest.mark.slow
def test_two_resumes_at_once_fetch_each_result_once(env, fake_dashscope, isolated_environment):
    import subprocess

    fake_dashscope.polls_pending, fake_dashscope.polls_running = 3, 3
    killed = subprocess.run(
        [sys.executable, "-m", "wan27_desktop.cli", "generate", "a harbour", "-n", "3", "--size", "1K",
         "--mode", "async", "--poll-interval", "0.01"],
        env={**env, "WAN27_CRASHPOINT": "async_after_submit"},
        capture_output=True,
        check=False,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL
    resumers = [start_cli(["jobs", "resume", "--poll-interval", "0.02"], env) for _ in range(2)]
    results = [finish(p) for p in resumers]
    assert [code for code, _, _ in results] == [0, 0], results
    _assert_finished_once(fake_dashscope, isolated_environment, images=3)


@pytest.mark.slow
def test_rebuild_recover_and_move_are_refused_while_a_job_runs_elsewhere(
    env, fake_dashscope, isolated_environment, tmp_path
):
    """Item 8: a rebuild swapped the database under a running job, whose images then vanished."""
    assert cli(["generate", "a lighthouse", "--size", "1K"], env).returncode == 0
    fake_dashscope.polls_pending, fake_dashscope.polls_running = 25, 5
    child = start_cli(["generate", "a harbour", "--size", "1K", "--mode", "async", "--poll-interval", "0.05"], env)
    try:
        wait_for(lambda: lease_held(isolated_environment, 2), child)
        for args in (["library", "rebuild"], ["library", "recover", "--force"]):
            refused = cli(args, env)
            assert refused.returncode != 0, refused.stdout
            assert "while 1 job(s) run: job 2 (pid" in refused.stderr, refused.stderr
        with pytest.raises(MoveRefused) as move:
            plan_move(isolated_environment, tmp_path / "elsewhere")
        assert move.value.values["count"] == "1"
        code, _out, err = finish(child)
    finally:
        if child.poll() is None:
            kill(child)
    assert code == 0, err
    library_dir = isolated_environment / "library"
    assert not [p for p in library_dir.iterdir() if ".before-rebuild-" in p.name or ".corrupt-" in p.name]
    for _ in range(2):  # and once it is done, rebuild works and keeps both jobs' images
        assert cli(["library", "rebuild"], env).returncode == 0
    listing = cli(["library", "list"], env)
    assert "a harbour" in listing.stdout and "a lighthouse" in listing.stdout


def test_a_job_waiting_for_its_turn_is_not_closed_by_another_process(fake_dashscope, isolated_environment):
    """Journaled but not sent yet (a window's queue): leased from the moment it is written, so a
    window starting elsewhere does not close it as "never sent" (what its start-up does first)."""
    import subprocess

    other_start = (
        "import sys; from pathlib import Path; from wan27_desktop.jobs.runner import JobRunner; "
        "from wan27_desktop.library import Library\n"
        "with Library.open(Path(sys.argv[1])) as library: print(JobRunner(library, None).close_unsent_queued())"
    )
    with Library.open(isolated_environment) as library:
        runner = JobRunner(
            library,
            _connection(fake_dashscope),
            client_factory=fast_client_factory(SleepLog()),
            poll_interval=POLL_INTERVAL,
        )
        try:
            job_id = runner.create(GenerationRequest("a fox", size="1K"), RequestMode.SYNC)
            other = subprocess.run(
                [sys.executable, "-c", other_start, str(isolated_environment)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert other.returncode == 0, other.stderr
            assert other.stdout.strip() == "[]"
            assert library.jobs.get(job_id).state is JobState.QUEUED
            assert runner.run(job_id).state is JobState.DONE
        finally:
            runner.close()
    assert not lease_held(isolated_environment, job_id)  # let go when done


def test_a_job_that_finishes_clears_a_stale_error_mark(fake_dashscope, isolated_environment):
    """What another process wrote while this one worked (the old start-up resume wrote "Interrupted")
    is not true once every image has landed."""
    fake_dashscope.result_image_mode = "small"
    with Library.open(isolated_environment) as library:

        def meddle(event: JobEvent) -> None:
            if event.state is JobState.DOWNLOADING and not event.images_done:
                with Library.open(isolated_environment, reconcile=False) as other:
                    other.jobs.update(event.job_id, error_code="Interrupted", error_message="may have been billed")

        runner = JobRunner(
            library,
            _connection(fake_dashscope),
            client_factory=fast_client_factory(SleepLog()),
            on_event=meddle,
            poll_interval=POLL_INTERVAL,
        )
        try:
            job = runner.run(runner.create(GenerationRequest("a fox", n=2, size="1K"), RequestMode.ASYNC))
        finally:
            runner.close()
        assert job.state is JobState.DONE
        assert (job.error_code, job.error_message, job.error_hint) == (None, None, None)
        assert len(library.images.query(ImageQuery(), 0, 10)) == 2


def test_a_job_cannot_start_while_the_library_is_rebuilt(isolated_environment):
    with Library.open(isolated_environment) as library:
        with library.leases.exclusive("rebuild"), pytest.raises(LibraryBusy) as busy:
            library.jobs.create(
                {"input": {}},
                model="m",
                request_mode="sync",
                region="sg",
                endpoint="e",
                n=1,
                estimated_cost="0",
                hold=True,
            )
        assert "rebuilt" in busy.value.message
        assert library.jobs.find() == []  # nothing journaled, so nothing can be sent
