"""The job runner against the fake server over real HTTP and a real SQLite library."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fake_dashscope import Fault
from wan27_desktop.api.errors import ValidationError
from wan27_desktop.api.models import GenerationRequest, ImageInput, RequestMode
from wan27_desktop.jobs.runner import JobEvent, JobRunner
from wan27_desktop.library import JobState, Library


def _billed_urls(fake) -> set[str]:
    return {url for _, url in fake.billed_images}


def _saved_urls(library: Library, job_id: int) -> set[str]:
    return {r.url for r in library.jobs.results_of(job_id) if r.status == "downloaded"}


def test_sync_job_lands_every_billed_image_in_the_library(runner: JobRunner, library: Library, fake_dashscope):
    job_id = runner.create(GenerationRequest("a red fox", n=2, size="1K", seed=5), RequestMode.SYNC)
    job = runner.run(job_id)
    assert job.state is JobState.DONE
    images = library.images.of_job(job_id)
    assert len(images) == 2 and all(Path(i.path).is_file() for i in images)
    assert _saved_urls(library, job_id) == _billed_urls(fake_dashscope)
    assert fake_dashscope.created_count == 1
    assert job.cost is not None and job.usage["image_count"] == 2


def test_async_job_commits_the_task_id_and_walks_the_states(
    runner: JobRunner, library: Library, fake_dashscope, events: list[JobEvent]
):
    fake_dashscope.polls_pending, fake_dashscope.polls_running = 2, 2
    job_id = runner.create(GenerationRequest("a comic", n=3, size="1K", enable_sequential=True), RequestMode.ASYNC)
    job = runner.run(job_id)
    assert job.state is JobState.DONE and job.task_id
    states = [e.state for e in events if e.job_id == job_id]
    assert states.index(JobState.SUBMITTED) < states.index(JobState.RUNNING) < states.index(JobState.DONE)
    assert len(library.images.of_job(job_id)) == len(fake_dashscope.billed_images)


def test_moderation_failure_fails_the_job_with_code_and_hint(runner: JobRunner, library: Library, fake_dashscope):
    fake_dashscope.add_fault(Fault("create", "moderation"))
    job = runner.run(runner.create(GenerationRequest("blocked"), RequestMode.ASYNC))
    assert job.state is JobState.FAILED
    assert job.error_code == "DataInspectionFailed" and job.error_hint
    assert library.images.of_job(job.id) == []


def test_invalid_reference_is_refused_before_anything_is_journaled(
    runner: JobRunner, library: Library, tmp_path: Path, fake_dashscope
):
    bogus = tmp_path / "notes.png"
    bogus.write_text("not an image")
    with pytest.raises(ValidationError) as raised:
        runner.create(GenerationRequest("edit", images=(ImageInput(str(bogus)),)), RequestMode.SYNC)
    assert raised.value.issues[0].field == "images[1]"
    assert library.jobs.find() == [] and fake_dashscope.requests == []


def test_expired_result_url_marks_the_job_expired_and_nothing_half_written(
    runner: JobRunner, library: Library, fake_dashscope
):
    fake_dashscope.add_fault(Fault("download", "expired", times=None))
    job = runner.run(runner.create(GenerationRequest("a fox", size="1K"), RequestMode.SYNC))
    assert job.state is JobState.EXPIRED
    assert library.images.of_job(job.id) == []
    incoming = library.data_dir / "incoming"
    assert not incoming.exists() or list(incoming.iterdir()) == []


def test_retry_creates_a_new_job_with_the_same_request(runner: JobRunner, library: Library, fake_dashscope):
    request = GenerationRequest("a fox", n=1, size="1K", seed=11)
    first = runner.run(runner.create(request, RequestMode.SYNC))
    second_id = runner.create(*runner.retry_request(first.id))
    assert second_id != first.id
    assert runner.request_of(library.jobs.get(second_id)) == request
    assert runner.run(second_id).state is JobState.DONE
    assert fake_dashscope.created_count == 2


def test_cancel_while_pending_cancels_on_the_server(library: Library, fake_dashscope):
    from wan27_desktop.api.models import Region
    from wan27_desktop.jobs.runner import Connection

    fake_dashscope.polls_pending = 10_000
    polls = []

    def cancel_after_two_polls() -> bool:
        polls.append(1)
        return len(polls) > 2

    connection = Connection(Region.SINGAPORE, fake_dashscope.base_url, fake_dashscope.api_key)
    runner = JobRunner(library, connection, poll_interval=(0.01, 0.01), should_cancel=cancel_after_two_polls)
    try:
        job = runner.run(runner.create(GenerationRequest("slow"), RequestMode.ASYNC))
    finally:
        runner.close()
    assert job.state is JobState.CANCELED
    assert any(r.path.endswith("/cancel") for r in fake_dashscope.requests)
    assert fake_dashscope.billed_images == []


def test_resume_never_resubmits_an_interrupted_create(runner: JobRunner, library: Library, fake_dashscope):
    job_id = runner.create(GenerationRequest("a fox"), RequestMode.SYNC)
    library.jobs.update(job_id, state=JobState.SUBMITTING)  # as if the app died while sending
    library.jobs.mark_sent(job_id)
    job = runner.resume(job_id)
    assert job.state is JobState.INTERRUPTED
    assert "may have been" in job.error_message
    assert fake_dashscope.created_count == 0


def test_resume_of_a_create_that_never_left_says_not_billed(runner: JobRunner, library: Library, fake_dashscope):
    job_id = runner.create(GenerationRequest("a fox"), RequestMode.SYNC)
    library.jobs.update(job_id, state=JobState.SUBMITTING)  # the app died before the bytes left
    job = runner.resume(job_id)
    assert (job.state, job.error_code) == (JobState.INTERRUPTED, "NotSent")
    assert "not billed" in job.error_message and "may have been" not in job.error_message
    assert fake_dashscope.created_count == 0


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name the fsynced files")
def test_a_result_is_written_once_with_its_metadata_and_renamed_into_the_library(
    runner: JobRunner, library: Library, fake_dashscope, monkeypatch
):
    # Issue 14: the download is the library's file - metadata written as it streams in, fsynced,
    # then renamed into images/ - so a result needs its size on disk once, and is never copied.
    import os

    from wan27_desktop.library import images as images_module
    from wan27_desktop.library.pngmeta import read_metadata

    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(images_module, "write_image_file", lambda *a, **k: pytest.fail("a result was copied"))
    job = runner.run(runner.create(GenerationRequest("a red fox", n=2, size="1K"), RequestMode.SYNC))
    assert job.state is JobState.DONE
    incoming = library.data_dir / "incoming"
    assert len([path for path in synced if path.startswith(str(incoming))]) == 2  # each file, once
    images = library.images.of_job(job.id)
    images_dir = str(Path(images[0].path).parent)
    assert images_dir in synced  # the folder, after the rename
    for image in images:
        doc = read_metadata(image.path)["wan27"]
        assert (doc["job_id"], doc["index"], doc["prompt"]) == (job.id, image.index, "a red fox")
        assert image.bytes == image.path.stat().st_size
    assert list(incoming.iterdir()) == []  # nothing staged is left behind
