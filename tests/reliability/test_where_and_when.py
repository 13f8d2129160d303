"""Issue 14, items 4, 5 and 7: every job goes where it was sent; expiry is decided by the result
host, never by a (skewed) local clock; a job interrupted before its bytes left was not billed.

Real HTTP to one or two fakes (two "regions"), a real SQLite file, the real CLI for what a user runs.
"""

from __future__ import annotations

import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, run_cli
from tests.fake_dashscope import FakeDashScope, Fault
from tests.reliability.support import SleepLog, assert_library_clean, fast_client_factory
from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.jobs.runner import Connection, JobRunner
from wan27_desktop.library import JobState, Library

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
DAY = 24 * 3600


@pytest.fixture
def library(isolated_environment: Path) -> Iterator[Library]:
    with Library.open(isolated_environment) as lib:
        yield lib


def _runner(library: Library, fake: FakeDashScope, region: Region = Region.SINGAPORE) -> JobRunner:
    return JobRunner(
        library,
        Connection(region, fake.base_url, fake.api_key),
        client_factory=fast_client_factory(SleepLog()),
        poll_interval=(0.01, 0.01),
    )


# --------------------------------------------------------------------- item 4: where it was sent
@posix_only
def test_resume_polls_the_jobs_own_region_and_endpoint_whatever_the_settings_say_now(
    fake_dashscope: FakeDashScope, isolated_environment: Path
):
    fake_dashscope.result_image_mode = "small"
    with FakeDashScope(region="cn") as beijing:
        beijing.result_image_mode = "small"
        made_in_beijing = cli_env(beijing, isolated_environment)
        killed = run_cli(
            ["generate", "a fox", "--region", "cn", "--size", "1K", "--poll-interval", "0.01"],
            {**made_in_beijing, "WAN27_CRASHPOINT": "async_after_submit"},
        )
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        # Now the settings (environment) point at Singapore's endpoint.
        now_singapore = cli_env(fake_dashscope, isolated_environment)
        resumed = run_cli(["jobs", "resume", "--poll-interval", "0.01"], now_singapore)
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        assert fake_dashscope.requests == []  # nothing went to the current settings' endpoint
        with Library.open(isolated_environment) as library:
            (job,) = library.jobs.find()
            assert (job.state, job.region, job.endpoint) == (JobState.DONE, "cn", beijing.base_url)
            assert len(library.images.of_job(job.id)) == len(beijing.billed_images) == 1


def test_the_runner_uses_the_jobs_connection_for_poll_and_cancel(library: Library, fake_dashscope: FakeDashScope):
    with FakeDashScope(region="cn") as beijing:
        beijing.polls_pending = 1000
        beijing_runner = _runner(library, beijing, Region.BEIJING)
        job_id = beijing_runner.create(GenerationRequest("a fox"), RequestMode.AUTO)
        beijing_runner.poll_deadline_s = 0.2
        beijing_runner.run(job_id)
        beijing_runner.close()
        seen: list[tuple[Region, str]] = []

        def resolver(region: Region, endpoint: str) -> Connection:
            seen.append((region, endpoint))
            return Connection(region, endpoint, beijing.api_key)

        elsewhere = JobRunner(
            library,
            Connection(Region.SINGAPORE, fake_dashscope.base_url, fake_dashscope.api_key),
            connection_for=resolver,
        )
        try:
            job = elsewhere.cancel(job_id)
        finally:
            elsewhere.close()
        assert seen == [(Region.BEIJING, beijing.base_url)]  # the key looked up for the job's region
        assert job.state is JobState.CANCELED and len(beijing.requests_for("cancel")) == 1
        assert fake_dashscope.requests == []


# ------------------------------------------------------------------- item 5: the host decides
def test_a_skewed_local_clock_expires_nothing(library: Library, fake_dashscope: FakeDashScope):
    """Result links that look two days old to our clock still download: only the host may say no."""
    fake_dashscope.result_image_mode = "small"
    fake_dashscope.advance_clock(-2 * DAY)  # the links' Expires= is a day in our past
    runner = _runner(library, fake_dashscope)
    try:
        job = runner.run(runner.create(GenerationRequest("a fox", n=2, size="1K"), RequestMode.SYNC))
    finally:
        runner.close()
    assert job.state is JobState.DONE, job.error_message
    assert len(library.images.of_job(job.id)) == len(fake_dashscope.billed_images) == 2
    assert len(fake_dashscope.requests_for("download")) == 2


def test_an_expired_job_whose_links_still_work_can_be_resumed(library: Library, fake_dashscope: FakeDashScope):
    fake_dashscope.result_image_mode = "small"
    fake_dashscope.add_fault(Fault("download", "expired", times=2))  # the host said "expired" once each
    runner = _runner(library, fake_dashscope)
    try:
        job = runner.run(runner.create(GenerationRequest("a fox", n=2, size="1K"), RequestMode.AUTO))
        assert job.state is JobState.EXPIRED and job.error_code == "ResultExpired"
        job = runner.resume(job.id)  # the user tries again: the links work after all
    finally:
        runner.close()
    assert job.state is JobState.DONE and job.error_code is None
    assert len(library.images.of_job(job.id)) == 2
    assert_library_clean(library)


@posix_only
def test_cli_resume_of_an_expired_job_by_id(fake_dashscope: FakeDashScope, isolated_environment: Path):
    fake_dashscope.result_image_mode = "small"
    env = cli_env(fake_dashscope, isolated_environment)
    fake_dashscope.add_fault(Fault("download", "expired", times=1))
    first = run_cli(["generate", "a fox", "--size", "1K", "--poll-interval", "0.01"], env)
    assert first.returncode == 3, first.stderr  # expired: the service's (host's) refusal
    again = run_cli(["jobs", "resume", "1", "--poll-interval", "0.01"], env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "job 1: done" in again.stdout


# ------------------------------------------------------------------- item 7: not sent, not billed
def test_on_sent_is_journaled_before_the_first_byte_and_only_then(fake_dashscope: FakeDashScope):
    seen_by_fake: list[int] = []

    def on_sent() -> None:
        seen_by_fake.append(len(fake_dashscope.requests_for("create")))

    fake_dashscope.add_fault(Fault("create", "throttle", times=1))
    with DashScopeClient(fake_dashscope.api_key, fake_dashscope.base_url) as client:
        client.submit_task(
            {
                "model": "wan2.7-image",
                "input": {"messages": [{"role": "user", "content": [{"text": "x"}]}]},
                "parameters": {"n": 1, "size": "1K", "watermark": False},
            },
            on_sent=on_sent,
        )
    assert seen_by_fake == [0, 1]  # once per try, each time before the fake had the request


def test_a_refused_connection_is_never_taken_for_a_sent_request(library: Library):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connection = Connection(Region.SINGAPORE, f"http://127.0.0.1:{port}/api/v1", "sk-test-0000")
    runner = JobRunner(library, connection, client_factory=fast_client_factory(SleepLog()))
    try:
        job = runner.run(runner.create(GenerationRequest("a fox"), RequestMode.AUTO))
    finally:
        runner.close()
    assert job.state is JobState.FAILED and job.sent_at is None  # failed to connect: never sent


@posix_only
def test_interrupted_before_sending_says_not_sent_not_billed(fake_dashscope: FakeDashScope, isolated_environment):
    env = cli_env(fake_dashscope, isolated_environment)
    killed = run_cli(["generate", "a fox"], {**env, "WAN27_CRASHPOINT": "async_before_submit"})
    assert killed.returncode == -signal.SIGKILL
    resumed = run_cli(["jobs", "resume"], env)
    assert resumed.returncode == 3 and "not sent, not billed" in resumed.stdout
    assert "may have been" not in resumed.stdout
    assert fake_dashscope.requests == []
