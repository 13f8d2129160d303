"""JobManager: requests are journaled at once, queued jobs can be canceled, nothing is only in memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.jobs.qt import JobManager
from wan27_desktop.jobs.runner import Connection, JobRunner
from wan27_desktop.library import JobState, Library


@pytest.fixture
def manager(qtbot, fake_dashscope, isolated_environment: Path):
    fake_dashscope.result_image_mode = "small"
    connection = Connection(Region.SINGAPORE, fake_dashscope.base_url, fake_dashscope.api_key)
    jobs = JobManager(isolated_environment, lambda: connection, concurrency=1, poll_interval=(0.02, 0.02))
    yield jobs
    jobs.shutdown()


def _state(data_dir: Path, job_id: int) -> JobState:
    with Library.open(data_dir, reconcile=False) as library:
        return library.jobs.get(job_id).state


def _created(qtbot, manager: JobManager, request: GenerationRequest, mode: RequestMode) -> int:
    with qtbot.waitSignal(manager.jobCreated, timeout=10_000) as created:
        manager.submit(request, mode)
    return created.args[1]


def test_a_request_waiting_for_a_slot_is_journaled_and_can_be_canceled_unsent(
    qtbot, manager: JobManager, fake_dashscope, isolated_environment: Path
):
    fake_dashscope.polls_pending = 100_000  # the first job holds the only slot
    first = _created(qtbot, manager, GenerationRequest("first"), RequestMode.ASYNC)
    qtbot.waitUntil(lambda: fake_dashscope.created_count == 1, timeout=10_000)
    second = _created(qtbot, manager, GenerationRequest("second"), RequestMode.ASYNC)
    assert _state(isolated_environment, second) is JobState.QUEUED  # on disk before any slot is free

    assert manager.cancel(second)
    assert manager.cancel(first)
    qtbot.waitUntil(lambda: _state(isolated_environment, second) is JobState.CANCELED, timeout=10_000)
    qtbot.waitUntil(lambda: _state(isolated_environment, first) is JobState.CANCELED, timeout=10_000)
    assert fake_dashscope.created_count == 1  # the queued job was never sent
    assert any(r.path.endswith("/cancel") for r in fake_dashscope.requests)


def test_jobs_queued_at_shutdown_stay_in_the_journal_and_close_unsent_at_next_start(
    qtbot, manager: JobManager, fake_dashscope, isolated_environment: Path
):
    fake_dashscope.polls_pending = 100_000
    _created(qtbot, manager, GenerationRequest("first"), RequestMode.ASYNC)
    qtbot.waitUntil(lambda: fake_dashscope.created_count == 1, timeout=10_000)
    queued = _created(qtbot, manager, GenerationRequest("waiting"), RequestMode.SYNC)
    assert manager.shutdown()
    assert _state(isolated_environment, queued) is JobState.QUEUED

    with Library.open(isolated_environment) as library:
        closed = JobRunner(library, None).close_unsent_queued()
        job = library.jobs.get(queued)
    assert closed == [queued] and job.state is JobState.CANCELED and "Nothing was billed" in job.error_message
    assert fake_dashscope.created_count == 1


def test_an_unexpected_error_leaves_a_readable_failed_job(
    qtbot, manager: JobManager, monkeypatch, isolated_environment: Path
):
    def broken_run(self, job_id):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(JobRunner, "run", broken_run)
    reported = []
    monkeypatch.setattr("sys.excepthook", lambda *exc: reported.append(exc[1]))
    job_id = _created(qtbot, manager, GenerationRequest("boom"), RequestMode.SYNC)
    qtbot.waitUntil(lambda: _state(isolated_environment, job_id) is JobState.FAILED, timeout=10_000)
    with Library.open(isolated_environment, reconcile=False) as library:
        assert "simulated bug" in library.jobs.get(job_id).error_message
    qtbot.waitUntil(lambda: any(isinstance(e, RuntimeError) for e in reported), timeout=5_000)  # not hidden
