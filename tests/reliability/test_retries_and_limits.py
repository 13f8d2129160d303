"""Issue 14, items 6, 8 and the polling of item 1: throttling waits about a minute and the job's row
says so; results whose link never works end instead of "downloading" forever; several jobs polling
at once stay within the account's 20 queries a second; and the bad inputs of item 10 are refused
with exit 2 and nothing sent. Real HTTP to the fake (its §6 limits on), a real SQLite file.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, run_cli
from tests.fake_dashscope import FakeDashScope, Fault
from tests.reliability.support import FAST_TIMEOUT, SleepLog
from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.api.polling import AUTOMATIC_POLLING, FixedPolling
from wan27_desktop.api.retry import RetryPolicy
from wan27_desktop.jobs.runner import MAX_DOWNLOAD_ROUNDS, Connection, JobEvent, JobRunner
from wan27_desktop.library import JobState, Library


@pytest.fixture
def library(isolated_environment: Path) -> Iterator[Library]:
    with Library.open(isolated_environment) as lib:
        yield lib


def _runner(library: Library, fake: FakeDashScope, events: list[JobEvent], sleep: SleepLog) -> JobRunner:
    def factory(connection: Connection) -> DashScopeClient:
        # The product's retry policy (1 s base, the minute's budget), with the waits recorded, not slept.
        return DashScopeClient(
            connection.api_key,
            connection.base_url,
            timeout=FAST_TIMEOUT,
            query_timeout=FAST_TIMEOUT,
            retry_policy=RetryPolicy(sleep=sleep),
        )

    return JobRunner(
        library,
        Connection(Region.SINGAPORE, fake.base_url, fake.api_key),
        client_factory=factory,
        on_event=events.append,
        poll_interval=(0.01, 0.01),
    )


# ------------------------------------------------------------------------------ throttling (§5/§6)
def test_throttling_for_half_a_minute_is_waited_out_and_shown_on_the_row(library: Library, fake_dashscope):
    fake_dashscope.result_image_mode = "small"
    fake_dashscope.add_fault(Fault("create", "throttle", times=6))
    events: list[JobEvent] = []
    sleep = SleepLog()
    runner = _runner(library, fake_dashscope, events, sleep)
    try:
        job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.AUTO))
    finally:
        runner.close()
    assert job.state is JobState.DONE, job.error_message  # the old ~7 s gave up here
    assert sleep.total > 15, sleep.waits
    notices = [e.notice for e in events if e.notice is not None]
    assert [n.values["attempt"] for n in notices] == [2, 3, 4, 5, 6, 7]
    assert all(n.message.startswith("Rate-limited — retrying in ") for n in notices)
    assert notices[2].message == f"Rate-limited — retrying in {notices[2].values['seconds']} s, attempt 4"
    assert fake_dashscope.created_count == 1


def test_throttling_that_outlasts_the_minute_fails_readably(library: Library, fake_dashscope):
    fake_dashscope.add_fault(Fault("create", "throttle", times=None))
    sleep = SleepLog()
    runner = _runner(library, fake_dashscope, [], sleep)
    try:
        job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.AUTO))
    finally:
        runner.close()
    assert job.state is JobState.FAILED and job.error_code == "Throttling.RateQuota"
    assert 50 <= sleep.total <= 60.5, sleep.waits
    assert fake_dashscope.created_count == 0  # refused each time: nothing billed


# -------------------------------------------------------------- results that never download (item 8)
def test_a_link_the_host_refuses_for_good_settles_the_job_at_once(library: Library, fake_dashscope):
    fake_dashscope.result_image_mode = "small"
    fake_dashscope.add_fault(Fault("download", "error", times=None, status=404, code="NoSuchKey"))
    runner = _runner(library, fake_dashscope, [], SleepLog())
    try:
        job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.SYNC))
    finally:
        runner.close()
    assert job.state is JobState.FAILED and job.error_code == "ResultUnavailable"
    assert "404" in job.error_message and job.error_hint
    assert [r.status for r in library.jobs.results_of(job.id)] == ["unavailable"]
    assert library.jobs.unfinished() == []  # not "downloading" forever


def test_a_link_that_keeps_failing_ends_after_a_bounded_number_of_rounds(library: Library, fake_dashscope):
    fake_dashscope.result_image_mode = "small"
    fake_dashscope.add_fault(Fault("download", "server_error", times=None, status=503))
    runner = _runner(library, fake_dashscope, [], SleepLog())
    try:
        job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.SYNC))
        rounds = 1
        while job.state is JobState.DOWNLOADING:  # each start of the app, or `wan27 jobs resume`
            job = runner.resume(job.id)
            rounds += 1
            assert rounds <= MAX_DOWNLOAD_ROUNDS
    finally:
        runner.close()
    assert rounds == MAX_DOWNLOAD_ROUNDS
    assert job.state is JobState.FAILED and job.error_code == "ResultUnavailable"
    assert f"{MAX_DOWNLOAD_ROUNDS} tries" in job.error_message
    (result,) = library.jobs.results_of(job.id)
    assert (result.status, result.attempts) == ("unavailable", MAX_DOWNLOAD_ROUNDS)


def test_jobs_resume_exits_3_when_a_resumed_job_ends_failed(fake_dashscope, isolated_environment: Path):
    fake_dashscope.result_image_mode = "small"
    env = cli_env(fake_dashscope, isolated_environment)
    killed = run_cli(
        ["generate", "a fox", "--size", "1K", "--poll-interval", "0.01"],
        {**env, "WAN27_CRASHPOINT": "after_results_recorded"},
    )
    assert killed.returncode != 0
    fake_dashscope.add_fault(Fault("download", "error", times=None, status=404, code="NoSuchKey"))
    resumed = run_cli(["jobs", "resume"], env)
    assert resumed.returncode == 3, resumed.stdout + resumed.stderr
    assert "job 1: failed" in resumed.stdout and "Traceback" not in resumed.stderr


# --------------------------------------------------------------------- polling within §6 limits
def test_the_adaptive_schedule_asks_soon_then_backs_off_within_the_account_limit():
    assert AUTOMATIC_POLLING.delay(0.0, 0.5) == pytest.approx(1.0)
    assert AUTOMATIC_POLLING.delay(20.0, 0.5) == pytest.approx(1.0)  # ~0.5 s median wait at 20 s
    assert AUTOMATIC_POLLING.delay(60.0, 0.5) == pytest.approx(2.0)  # at most ~1 s median later, ever
    assert AUTOMATIC_POLLING.delay(600.0, 0.5) == pytest.approx(2.0)
    fastest = min(AUTOMATIC_POLLING.delay(t, 0.0) for t in range(0, 600))
    assert 5 / fastest <= 20  # 5 tasks in progress (§6) polling flat out: within 20 queries/s


@pytest.mark.slow
def test_five_jobs_polling_at_once_stay_within_twenty_queries_a_second(library: Library, fake_dashscope):
    fake_dashscope.result_image_mode = "small"
    fake_dashscope.polls_pending, fake_dashscope.polls_running = 6, 2
    connection = Connection(Region.SINGAPORE, fake_dashscope.base_url, fake_dashscope.api_key)
    ids = []
    runner = JobRunner(library, connection)
    for index in range(5):  # the account's 5 tasks in progress
        ids.append(runner.create(GenerationRequest(f"fox {index}", size="1K"), RequestMode.AUTO))
    runner.close()
    finals: list[JobState] = []

    def run(job_id: int) -> None:
        with Library.open(library.data_dir, reconcile=False) as own:
            # Polling as fast as a schedule could ask: the process-wide cap must hold anyway.
            worker = JobRunner(own, connection, poll_interval=FixedPolling(0.0, 0.001))
            try:
                finals.append(worker.run(job_id).state)
            finally:
                worker.close()

    threads = [threading.Thread(target=run, args=(job_id,)) for job_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert finals == [JobState.DONE] * 5
    times = sorted(r.time for r in fake_dashscope.requests_for("query"))
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 20, busiest
    assert "queries" not in fake_dashscope.limits.refused


# ---------------------------------------------------------------------- bad inputs (item 10)
@pytest.fixture
def env(fake_dashscope, isolated_environment: Path) -> dict[str, str]:
    return cli_env(fake_dashscope, isolated_environment)


def _no_job_and_nothing_sent(fake, data_dir: Path) -> None:
    assert fake.requests == []
    if (data_dir / "library" / "library.sqlite3").exists():
        with Library.open(data_dir) as library:
            assert library.jobs.find() == []


def test_a_prompt_argument_that_is_not_utf8_is_refused(env, fake_dashscope, isolated_environment):
    result = subprocess.run(
        [sys.executable, "-m", "wan27_desktop.cli", "generate", b"a fox \xff\xfe in snow"],
        env=env,
        capture_output=True,
        timeout=60,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, stderr
    assert "UTF-8" in stderr and "Traceback" not in stderr
    _no_job_and_nothing_sent(fake_dashscope, isolated_environment)


def test_a_prompt_file_that_is_not_utf8_is_refused(env, fake_dashscope, isolated_environment):
    result = subprocess.run(
        [sys.executable, "-m", "wan27_desktop.cli", "generate", "-"],
        env=env,
        input="un renard roux dans la neige".encode("latin-1") + b" \xe9t\xe9",
        capture_output=True,
        timeout=60,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2 and "UTF-8" in stderr and "Traceback" not in stderr
    _no_job_and_nothing_sent(fake_dashscope, isolated_environment)


@pytest.mark.parametrize("base", ["https://dashscope-intl.aliyuncs.com", "{fake_root}", "{fake_root}/api"])
def test_an_api_base_without_api_v1_is_refused_with_a_hint(base, env, fake_dashscope, isolated_environment):
    base = base.format(fake_root=fake_dashscope.base_url.removesuffix("/api/v1"))
    result = run_cli(["generate", "a fox", "--api-base", base], env)
    assert result.returncode == 2, result.stderr
    assert "/api/v1" in result.stderr and "Traceback" not in result.stderr
    _no_job_and_nothing_sent(fake_dashscope, isolated_environment)


def test_an_environment_endpoint_without_api_v1_is_refused_too(fake_dashscope, isolated_environment):
    env = cli_env(fake_dashscope, isolated_environment, WAN27_API_BASE=fake_dashscope.base_url[: -len("/api/v1")])
    result = run_cli(["generate", "a fox"], env)
    assert result.returncode == 2 and "/api/v1" in result.stderr
    _no_job_and_nothing_sent(fake_dashscope, isolated_environment)


@pytest.mark.parametrize("palette", ["", "   "])
def test_an_empty_palette_is_refused_not_ignored(palette, env, fake_dashscope, isolated_environment):
    result = run_cli(["generate", "a fox", "--palette", palette], env)
    assert result.returncode == 2 and "--palette" in result.stderr and "Traceback" not in result.stderr
    _no_job_and_nothing_sent(fake_dashscope, isolated_environment)
