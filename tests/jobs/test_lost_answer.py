"""A task create whose answer was lost: the job finds its task in the service's task list.

The one window Automatic (the default) could not close on its own: the service made the task, and
its answer (the task id) never arrived: a dropped connection, a proxy's error page, a garbled 2xx, or
the app killed while the answer was on its way. Never resending the create (§5), the runner reads
the service's task list (`GET /tasks`) for the job's model and carries on the task made in the
moments after the create left, by the service's clock (its `Date` header corrects ours), when it is
the only one and no other job with a lost answer could have made it. Otherwise the job stays
unfinished and says why; Resume and the next start look again. Real HTTP to the fake, a real SQLite
file, the real CLI for the crash.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, run_cli
from tests.fake_dashscope import Fault
from tests.fake_dashscope.testkit import create_elsewhere
from tests.reliability.support import assert_library_clean
from tests.reliability.test_crash_points import _kill_when
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.jobs.notices import ANSWER_LOST
from wan27_desktop.jobs.runner import Connection, JobEvent, JobRunner
from wan27_desktop.library import JobState, Library


def _saved(library: Library, job_id: int) -> list[str]:
    return sorted(r.url for r in library.jobs.results_of(job_id) if r.status == "downloaded")


def _codes(events: list[JobEvent]) -> list[str]:
    return [e.notice.code for e in events if e.notice is not None and e.notice.code]


def test_a_lost_answer_finds_its_task_and_lands_it_with_the_jobs_own_prompt(
    runner: JobRunner, library: Library, fake_dashscope, events: list[JobEvent]
):
    fake_dashscope.add_fault(Fault("create", "drop", accept=True))  # the task is made; its answer lost
    job = runner.run(runner.create(GenerationRequest("a lighthouse at dusk", n=2, size="1K"), RequestMode.AUTO))

    assert job.state is JobState.DONE, (job.error_code, job.error_message)
    (task_id,) = fake_dashscope.tasks
    assert job.task_id == task_id
    assert job.prompt == "a lighthouse at dusk" and job.n == 2  # the job's own request, not an adopted stub
    assert _saved(library, job.id) == sorted(url for _, url in fake_dashscope.billed_images)
    assert len(library.images.of_job(job.id)) == 2
    assert job.cost is not None and not job.error_code  # priced; no stale mark once done
    assert fake_dashscope.created_count == 1  # never sent again
    assert _codes(events)[:2] == ["LookingForTask", "TaskFound"]
    listed = fake_dashscope.requests_for("list")
    assert listed and {r.query["model_name"] for r in listed} == {"wan2.7-image-pro"}
    assert_library_clean(library)


def test_a_lost_answer_is_found_when_our_clock_is_ten_minutes_behind(
    runner: JobRunner, library: Library, fake_dashscope
):
    """Task times are the service's; the `Date` header of its answers says how far ours is off."""
    fake_dashscope.advance_clock(600)  # the service's clock, and so its Date and task times, ahead
    fake_dashscope.add_fault(Fault("create", "drop", accept=True))
    job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.AUTO))
    assert job.state is JobState.DONE, job.error_message
    assert job.task_id == next(iter(fake_dashscope.tasks))
    assert fake_dashscope.created_count == 1


def test_a_crash_while_the_answer_was_on_its_way_is_found_by_jobs_resume(fake_dashscope, isolated_environment: Path):
    """SIGKILL after the service made the task, while its answer crawled in: `jobs resume` finds it."""
    fake_dashscope.result_image_mode = "small"
    env = cli_env(fake_dashscope, isolated_environment)
    fake_dashscope.add_fault(Fault("create", "slow_body", delay=5.0, chunks=20))
    _kill_when(["generate", "a red fox", "-n", "2", "--size", "1K"], env, lambda: fake_dashscope.created_count >= 1)
    with Library.open(isolated_environment) as library:
        (job,) = library.jobs.find()
        assert job.state is JobState.SUBMITTING and job.sent_at and job.task_id is None

    resumed = run_cli(["jobs", "resume", "--poll-interval", "0.01"], env)
    assert resumed.returncode == 0, resumed.stderr + resumed.stdout
    assert "found at the service" in resumed.stderr and "Traceback" not in resumed.stderr
    with Library.open(isolated_environment) as library:
        (job,) = library.jobs.find()
        assert (job.state, job.prompt) == (JobState.DONE, "a red fox")
        assert _saved(library, job.id) == sorted(url for _, url in fake_dashscope.billed_images)
        assert len(library.images.of_job(job.id)) == 2
        assert_library_clean(library)
    assert fake_dashscope.created_count == 1


def test_another_task_made_at_the_same_time_is_not_guessed_at(
    runner: JobRunner, library: Library, fake_dashscope, events: list[JobEvent]
):
    """Two tasks of the model made as the create left (another program of the account made one):
    which is ours cannot be told, so neither is taken; the job says so and stays resumable."""
    create_elsewhere(fake_dashscope)
    fake_dashscope.add_fault(Fault("create", "drop", accept=True))
    job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.AUTO))

    assert (job.state, job.error_code, job.task_id) == (JobState.SUBMITTING, ANSWER_LOST, None)
    assert "2 tasks at the service were made then" in job.error_message
    assert "Tasks at the Service" in job.error_hint and "bill again" in job.error_hint
    assert fake_dashscope.requests_for("query") == []  # neither task was touched
    assert library.images.of_job(job.id) == []
    assert any(e.error is not None and e.error.code == ANSWER_LOST for e in events)


def test_a_task_another_lost_answer_could_have_made_is_not_taken(runner: JobRunner, library: Library, fake_dashscope):
    """One task, two jobs whose answers were lost at that time: it could be either's."""
    other = runner.create(GenerationRequest("a bear", size="1K"), RequestMode.AUTO)
    library.jobs.update(other, state=JobState.INTERRUPTED, error_code="Interrupted", error_message="lost")
    library.jobs.mark_sent(other)
    fake_dashscope.add_fault(Fault("create", "drop", accept=True))
    job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.AUTO))
    assert (job.state, job.error_code, job.task_id) == (JobState.SUBMITTING, ANSWER_LOST, None)
    assert f"job {other} also lost its answer then" in job.error_message
    assert fake_dashscope.requests_for("query") == []


def test_a_task_held_by_a_job_here_or_of_another_model_is_not_a_candidate(
    runner: JobRunner, library: Library, fake_dashscope
):
    held = runner.run(runner.create(GenerationRequest("held", size="1K"), RequestMode.AUTO))
    assert held.state is JobState.DONE and held.task_id
    create_elsewhere(fake_dashscope, model="wan2.7-image")  # the other model
    fake_dashscope.add_fault(Fault("create", "drop", accept=True))
    job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.AUTO))
    assert job.state is JobState.DONE, job.error_message
    assert job.task_id not in (held.task_id, None)
    assert fake_dashscope.tasks[job.task_id].request.model == "wan2.7-image-pro"
    assert fake_dashscope.created_count == 3  # ours twice (one answer lost), the other program's once


def test_no_task_made_stays_resumable_and_resume_looks_again(
    runner: JobRunner, library: Library, fake_dashscope, events: list[JobEvent]
):
    """The connection died before the service made a task: the list shows none. The job does not
    claim it was billed or not; it stays resumable, and Resume looks again without sending."""
    fake_dashscope.add_fault(Fault("create", "drop"))  # dropped before the service took it
    job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.AUTO))
    assert (job.state, job.error_code) == (JobState.SUBMITTING, ANSWER_LOST)
    assert "shows no task made then" in job.error_message and "Resume looks" in job.error_hint
    assert fake_dashscope.created_count == 0

    again = runner.resume(job.id)
    assert (again.state, again.error_code) == (JobState.SUBMITTING, ANSWER_LOST)
    assert len(fake_dashscope.requests_for("list")) == 2
    assert len(fake_dashscope.requests_for("create")) == 1  # looked again; never sent again


def test_a_day_on_with_no_task_listed_the_job_ends_interrupted(runner: JobRunner, library: Library, fake_dashscope):
    """Tasks live 24 h (§4.5): once no list can show this job's task and this one shows none that
    could be it, looking again would find nothing; an hour short of that, it looks again."""
    fake_dashscope.add_fault(Fault("create", "drop"))
    job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.AUTO))
    for hours, state in ((24.5, JobState.SUBMITTING), (25.5, JobState.INTERRUPTED)):
        then = (datetime.now(timezone.utc) - timedelta(hours=hours)).isoformat()
        with sqlite3.connect(library.db_path) as db:
            db.execute("UPDATE jobs SET created_at = ?, sent_at = ? WHERE id = ?", (then, then, job.id))
        again = runner.resume(job.id)
        assert again.state is state, (hours, again.error_message)
    assert "in the 24 hours it keeps tasks" in again.error_message
    assert len(fake_dashscope.requests_for("list")) == 3  # each look read the list
    assert fake_dashscope.created_count == 0


def test_after_two_days_a_job_whose_task_never_appeared_ends_interrupted(
    runner: JobRunner, library: Library, fake_dashscope
):
    fake_dashscope.add_fault(Fault("create", "drop"))
    job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.AUTO))
    then = (datetime.now(timezone.utc) - timedelta(days=2, hours=1)).isoformat()
    with sqlite3.connect(library.db_path) as db:
        db.execute("UPDATE jobs SET created_at = ?, sent_at = ? WHERE id = ?", (then, then, job.id))
    listed = len(fake_dashscope.requests_for("list"))
    ended = runner.resume(job.id)
    assert ended.state is JobState.INTERRUPTED
    assert "may still have been billed" in ended.error_message and "bill" in ended.error_hint
    assert len(fake_dashscope.requests_for("list")) == listed  # no list shows a task that old
    assert fake_dashscope.created_count == 0


def test_a_task_list_that_cannot_be_read_keeps_the_job_resumable(runner: JobRunner, library: Library, fake_dashscope):
    fake_dashscope.add_fault(Fault("create", "drop", accept=True))
    # After the create, the list is refused (a key the service no longer takes, say).
    fake_dashscope.add_fault(Fault("any", "error", times=None, status=403, code="AccessDenied", message="No."))
    job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.AUTO))
    assert (job.state, job.error_code) == (JobState.SUBMITTING, ANSWER_LOST)
    assert "could not be read" in job.error_message

    fake_dashscope.clear_faults()  # the service is back: Resume finds the task and lands it
    done = runner.resume(job.id)
    assert done.state is JobState.DONE, done.error_message
    assert _saved(library, job.id) == sorted(url for _, url in fake_dashscope.billed_images)
    assert fake_dashscope.created_count == 1


def test_a_known_request_id_picks_the_task_among_several(library: Library, fake_dashscope):
    """A 2xx that could not be read may still name its request id; the list gives each task's."""
    from wan27_desktop.api.client import DashScopeClient
    from wan27_desktop.jobs.remote import find_lost_task

    runner = JobRunner(library, Connection(Region.SINGAPORE, fake_dashscope.base_url, fake_dashscope.api_key))
    try:
        job_id = runner.create(GenerationRequest("a fox", size="1K"), RequestMode.AUTO)
    finally:
        runner.close()
    library.jobs.mark_sent(job_id)
    first, second = create_elsewhere(fake_dashscope), create_elsewhere(fake_dashscope)
    with DashScopeClient(fake_dashscope.api_key, fake_dashscope.base_url) as client:
        job = library.jobs.get(job_id)
        by_time = find_lost_task(client, library, job)
        by_id = find_lost_task(client, library, job, request_id=second["request_id"])
    assert by_time.found is None and len(by_time.candidates) == 2
    assert by_id.found is not None and by_id.by_request_id
    assert by_id.found.task_id == second["output"]["task_id"] != first["output"]["task_id"]


def test_a_sync_request_whose_answer_was_lost_is_not_looked_for(runner: JobRunner, fake_dashscope):
    """A sync call has no task to look up (§5): it says it may have been billed, as before."""
    fake_dashscope.add_fault(Fault("sync", "drop", accept=True))
    job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.SYNC))
    assert job.state is JobState.INTERRUPTED and "may have been billed" in job.error_message
    assert fake_dashscope.requests_for("list") == []


def test_a_create_still_on_its_way_is_waited_for_then_the_task_is_told_apart(
    library: Library, fake_dashscope, monkeypatch: pytest.MonkeyPatch, isolated_environment: Path
):
    """Job B's create is on its way (5 jobs run at once) when job A's answer is lost: B's task, not
    yet its, makes two candidates. Once B's answer is journaled, A looks again and takes its own.
    A job nobody runs any more (its process died) is not waited for: see the rival test above."""
    from wan27_desktop.jobs import runner as runner_module

    monkeypatch.setattr(runner_module, "LOST_TASK_LOOKS_S", (0.0, 0.5))
    fake_dashscope.result_image_mode = "small"
    connection = Connection(Region.SINGAPORE, fake_dashscope.base_url, fake_dashscope.api_key)
    answered: list[bool] = []

    def b_answered(request, _status, _started, _ended) -> None:
        # B's answer arrives once A's first look has read the list (B's own process, say: its own
        # connection). Whichever of A's reads comes after it, that look cannot tell the tasks apart.
        if request.op == "list" and not answered:
            answered.append(True)
            with Library.open(isolated_environment, reconcile=False) as other:
                other.jobs.update(b, state=JobState.SUBMITTED, task_id=b_task)

    runner = JobRunner(library, connection, poll_interval=(0.01, 0.01))
    b_lease = None
    try:
        b = runner.create(GenerationRequest("job b", size="1K"), RequestMode.AUTO)
        b_lease = library.jobs.claim(b)  # a worker of this process runs it
        library.jobs.update(b, state=JobState.SUBMITTING)
        library.jobs.mark_sent(b)  # on its way
        b_task = create_elsewhere(fake_dashscope)["output"]["task_id"]  # what B's create made
        fake_dashscope.add_fault(Fault("create", "drop", accept=True))
        fake_dashscope.reply_hook = b_answered
        job = runner.run(runner.create(GenerationRequest("job a", size="1K"), RequestMode.AUTO))
    finally:
        fake_dashscope.reply_hook = None
        runner.close()
        if b_lease is not None:
            b_lease.release()
    assert answered == [True]
    assert job.state is JobState.DONE, job.error_message
    assert job.task_id not in (None, b_task) and fake_dashscope.tasks[job.task_id].request.prompt == "job a"
    assert len(fake_dashscope.requests_for("list")) == 2  # looked, waited for B, looked again


def test_a_task_already_fetched_by_its_id_is_named_not_taken_again(runner: JobRunner, library: Library, fake_dashscope):
    """The task was fetched by its id into a job of its own while the list could not say when it
    was made (so not into the job that lost it): the job names that job instead of waiting."""
    fake_dashscope.add_fault(Fault("create", "drop", accept=True))
    fake_dashscope.add_fault(Fault("list", "error", status=403, code="AccessDenied", message="No."))
    job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.AUTO))
    assert (job.state, job.error_code) == (JobState.SUBMITTING, ANSWER_LOST)  # the list was refused once

    (task_id,) = fake_dashscope.tasks
    fake_dashscope.add_fault(Fault("list", "error", status=403, code="AccessDenied", message="No."))
    fetched = runner.adopt(task_id)  # the list refused again: the model and time are not known
    assert fetched != job.id
    again = runner.resume(job.id)
    assert (again.state, again.error_code, again.task_id) == (JobState.SUBMITTING, ANSWER_LOST, None)
    assert f"fetched by its id into job {fetched}" in again.error_message
    assert fake_dashscope.created_count == 1
