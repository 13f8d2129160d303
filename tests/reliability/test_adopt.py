"""Issue 14, item 3: adopt a task by its id, and see the account's recent tasks at the service.

A task made elsewhere (the official SDK here; another machine; a create whose answer was lost) is
fetched with `wan27 jobs fetch TASK_ID` or the GUI's Jobs › Fetch a Task by Id…: a job is journaled,
polled and its images land. `wan27 jobs remote` lists the account's Wan 2.7 tasks from the service's
task listing and marks the ones this library holds. Real HTTP to the fake, a real SQLite file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, run_cli
from tests.fake_dashscope import Fault
from tests.fake_dashscope.testkit import create_elsewhere
from tests.reliability.support import assert_library_clean
from wan27_desktop.api.models import Region
from wan27_desktop.jobs.runner import Connection
from wan27_desktop.library import JobState, Library


@pytest.fixture
def env(fake_dashscope, isolated_environment: Path) -> dict[str, str]:
    fake_dashscope.result_image_mode = "small"
    return cli_env(fake_dashscope, isolated_environment)


def _task_made_elsewhere(fake, model: str = "wan2.7-image", n: int = 2) -> str:
    """A task created by another program with the same key."""
    return str(create_elsewhere(fake, model, n)["output"]["task_id"])


def test_fetch_adopts_a_task_made_elsewhere_and_lands_its_images(env, fake_dashscope, isolated_environment: Path):
    task_id = _task_made_elsewhere(fake_dashscope)
    result = run_cli(["jobs", "fetch", task_id, "--poll-interval", "0.01"], env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    with Library.open(isolated_environment) as library:
        (job,) = library.jobs.find()
        assert (job.task_id, job.state, job.model) == (task_id, JobState.DONE, "wan2.7-image")
        saved = sorted(r.url for r in library.jobs.results_of(job.id) if r.status == "downloaded")
        assert saved == sorted(url for _, url in fake_dashscope.billed_images) and len(saved) == 2
        assert job.cost is not None  # the model came from the listing: priced, counted in the spend
        assert job.prompt == ""  # not invented: the service does not say what was asked
        for image in library.images.of_job(job.id):
            assert str(image.path) in result.stdout
        assert_library_clean(library)
    assert fake_dashscope.created_count == 1  # adopting never creates


def test_fetch_of_a_task_already_here_does_not_duplicate_it(env, fake_dashscope, isolated_environment: Path):
    task_id = _task_made_elsewhere(fake_dashscope)
    assert run_cli(["jobs", "fetch", task_id, "--poll-interval", "0.01"], env).returncode == 0
    again = run_cli(["jobs", "fetch", task_id, "--poll-interval", "0.01"], env)
    assert again.returncode == 0 and "already job 1" in again.stderr
    with Library.open(isolated_environment) as library:
        assert len(library.jobs.find()) == 1 and len(library.images.of_job(1)) == 2


def test_fetch_of_a_task_the_service_does_not_know_is_refused(env, fake_dashscope, isolated_environment: Path):
    result = run_cli(["jobs", "fetch", "0b1e2c3d-no-such-task"], env)
    assert result.returncode == 3 and "does not know task" in result.stderr and "Traceback" not in result.stderr
    with Library.open(isolated_environment) as library:
        assert library.jobs.find() == []  # nothing journaled for a task that is not there


def test_fetch_of_a_malformed_task_id_is_invalid_input(env, fake_dashscope):
    result = run_cli(["jobs", "fetch", "../../etc/passwd"], env)
    assert result.returncode == 2 and fake_dashscope.requests == []


def test_a_lost_create_answer_that_cannot_be_told_apart_is_fetched_into_its_job(
    env, fake_dashscope, isolated_environment: Path
):
    """The case the job cannot close on its own (tests/jobs/test_lost_answer.py has the rest):
    its answer was lost while another program of the account made a task of the same model. The job
    says where to look; the listing shows both tasks as not here; fetching ours lands it in the job
    whose answer was lost, which keeps its prompt; the other program's task stays not here."""
    other = _task_made_elsewhere(fake_dashscope, "wan2.7-image-pro", 1)
    fake_dashscope.add_fault(Fault("create", "drop", accept=True))
    lost = run_cli(["generate", "a fox", "-n", "2", "--size", "1K", "--poll-interval", "0.01"], env)
    assert lost.returncode == 4, lost.stderr  # network: the answer never came
    with Library.open(isolated_environment) as library:
        job = library.jobs.find()[0]
        assert (job.state, job.task_id, job.error_code) == (JobState.SUBMITTING, None, "AnswerLost")
        assert "Tasks at the Service" in job.error_hint and "jobs remote" in job.error_hint

    listed = run_cli(["jobs", "remote", "--since", "1h"], env)
    assert listed.returncode == 0, listed.stderr
    (ours,) = [task_id for task_id, task in fake_dashscope.tasks.items() if task.request.prompt == "a fox"]
    assert ours in listed.stdout and other in listed.stdout and listed.stdout.count("not here") == 2
    # Both were made while job 1's create answer was on its way: the listing says so for each.
    assert listed.stdout.count("made when job 1's answer was lost: fetch carries it on in that job") == 2
    assert "wan27 jobs fetch" in listed.stderr

    fetched = run_cli(["jobs", "fetch", ours, "--poll-interval", "0.01"], env)
    assert fetched.returncode == 0, fetched.stderr
    assert "fetched into this job" in fetched.stderr
    listed = run_cli(["jobs", "remote"], env)
    assert f"{ours}" in listed.stdout and listed.stdout.count("not here") == 1
    with Library.open(isolated_environment) as library:
        (job,) = library.jobs.find()  # no second job: the task went into the one that lost it
        assert (job.state, job.task_id, job.prompt) == (JobState.DONE, ours, "a fox")
        saved = sorted(r.url for r in library.jobs.results_of(job.id) if r.status == "downloaded")
        assert len(saved) == 2 and set(saved) <= {url for _, url in fake_dashscope.billed_images}
    assert fake_dashscope.created_count == 2  # ours once, the other program's once: nothing resent


def test_remote_lists_only_wan_tasks_of_the_window_newest_first(env, fake_dashscope):
    fake_dashscope.limits.enabled = False
    fake_dashscope.advance_clock(-3 * 3600)
    old = _task_made_elsewhere(fake_dashscope, "wan2.7-image", 1)  # submitted 3 h ago
    fake_dashscope.advance_clock(3 * 3600)
    first = _task_made_elsewhere(fake_dashscope, "wan2.7-image-pro", 1)
    second = _task_made_elsewhere(fake_dashscope, "wan2.7-image", 1)
    result = run_cli(["jobs", "remote", "--since", "2h", "--status", "pending"], env)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert [line.split()[0] for line in lines] == [second, first]  # not the 3-hour-old one
    assert old in run_cli(["jobs", "remote"], env).stdout  # the default window is the service's 24 h
    sent = fake_dashscope.requests_for("list")
    assert {r.query.get("model_name") for r in sent} == {"wan2.7-image-pro", "wan2.7-image"}
    assert all(len(r.query["start_time"]) == 14 and r.query["start_time"].isdigit() for r in sent)


@pytest.mark.parametrize("args", [["--since", "forever"], ["--status", "DONE"]])
def test_remote_refuses_bad_options(env, fake_dashscope, args):
    result = run_cli(["jobs", "remote", *args], env)
    assert result.returncode == 2 and fake_dashscope.requests == []


def test_the_runner_adopts_with_the_model_from_the_listing(fake_dashscope, isolated_environment: Path):
    from wan27_desktop.jobs.runner import JobRunner

    task_id = _task_made_elsewhere(fake_dashscope, "wan2.7-image-pro", 1)
    with Library.open(isolated_environment) as library:
        runner = JobRunner(
            library,
            Connection(Region.SINGAPORE, fake_dashscope.base_url, fake_dashscope.api_key),
            poll_interval=(0.01, 0.01),
        )
        try:
            job_id = runner.adopt(task_id)
            assert runner.adopt(task_id) == job_id  # held: the same job
            job = runner.resume(job_id)
        finally:
            runner.close()
        assert job.state is JobState.DONE and job.model == "wan2.7-image-pro"
        assert json.loads(json.dumps(job.request_json))["_wan27"]["adopted"] == task_id
