"""The fault matrix (issue 8): every fault of `fault_cases.CASES` through `JobRunner` + `Library` +
`DashScopeClient` against the fake server over real HTTP, exactly as the GUI and CLI run a job.

For every row: the right retry / no-retry (requests counted per operation), a clear message with
a hint, the job in the right state, nothing half-written in the library, and never a second
accepted create after an ambiguous one.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_dashscope import Fault
from tests.reliability.fault_cases import CASES, FaultCase
from tests.reliability.support import (
    POLL_INTERVAL,
    SleepLog,
    assert_library_clean,
    assert_readable,
    fast_client_factory,
    speed_up_downloads,
)
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.jobs.runner import Connection, JobEvent, JobRunner
from wan27_desktop.library import JobState, Library

DAY_AND_AN_HOUR = 25 * 3600


@pytest.fixture
def library(isolated_environment: Path) -> Iterator[Library]:
    with Library.open(isolated_environment) as lib:
        yield lib


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v1"  # nothing listens here once the socket is closed


def _runner(case: FaultCase, library: Library, fake, sleep: SleepLog, events: list[JobEvent]) -> JobRunner:
    base = _closed_port_url() if case.setup == "closed_port" else fake.base_url
    connection = Connection(Region.SINGAPORE, base, fake.api_key)

    def on_event(event: JobEvent) -> None:
        events.append(event)
        # §4.5 lifetimes, on the fake's virtual clock, at the moment the GUI would see the step.
        if case.setup in ("expire_task", "expire_task_only_at_the_service") and event.state is JobState.SUBMITTED:
            fake.advance_clock(DAY_AND_AN_HOUR)
            if case.setup == "expire_task":  # our journal agrees: the job was sent over a day ago
                _age_journal(library, event.job_id, DAY_AND_AN_HOUR)
        if case.setup == "expire_urls" and event.state is JobState.DOWNLOADING and not event.images_done:
            fake.advance_clock(DAY_AND_AN_HOUR)

    return JobRunner(
        library, connection, client_factory=fast_client_factory(sleep), on_event=on_event, poll_interval=POLL_INTERVAL
    )


def _age_journal(library: Library, job_id: int, seconds: float) -> None:
    import sqlite3
    from datetime import datetime, timedelta, timezone

    then = (datetime.now(timezone.utc) - timedelta(seconds=seconds)).isoformat()
    with sqlite3.connect(library.db_path) as db:
        db.execute("UPDATE jobs SET created_at = ?, sent_at = ? WHERE id = ?", (then, then, job_id))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fault(case: FaultCase, library: Library, fake_dashscope, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fake_dashscope
    fake.result_image_mode = "small"
    sleep = SleepLog()
    speed_up_downloads(monkeypatch, sleep)
    for op, kind, times, params in case.faults:
        fake.add_fault(Fault(op, kind, times=times, **params))
    events: list[JobEvent] = []
    runner = _runner(case, library, fake, sleep, events)
    try:
        mode = RequestMode(case.mode)
        job = runner.run(runner.create(GenerationRequest("a lighthouse at dusk", n=case.n, size="1K"), mode))

        # The job's state, and a message a person can act on.
        assert job.state is case.state, (job.state, job.error_code, job.error_message)
        if case.state is not JobState.DONE:
            assert_readable(job.error_message)
            assert job.error_hint and case.hint_has.lower() in job.error_hint.lower() + job.error_message.lower(), (
                job.error_hint
            )
            assert any(e.error is not None for e in events), "the UI was never told what went wrong"
        if case.code is not None:
            assert job.error_code == case.code, job.error_message

        # Retry or not: requests per operation, and never a second accepted create.
        for op, count in case.requests.items():
            assert len(fake.requests_for(op)) == count, (op, [r.path for r in fake.requests])
        if case.setup == "closed_port":
            assert fake.requests == []
        assert fake.created_count == case.created
        if case.waits_for is not None:
            assert case.waits_for in sleep.waits or sum(sleep.waits) >= case.waits_for, sleep.waits

        # What was paid for is in the library (or, for an ambiguous create, nothing claims to be).
        billed = sorted(url for _, url in fake.billed_images)
        saved = sorted(r.url for r in library.jobs.results_of(job.id) if r.status == "downloaded")
        images = library.images.of_job(job.id)
        expected_images = len(billed) if case.images is None else case.images
        assert len(images) == expected_images
        if case.state is JobState.DONE:
            assert saved == billed
        assert len({i.sha256 for i in images}) == len(images)
        assert_library_clean(library)
        # No request to the result host ever carries a credential (redirects included).
        for request in fake.requests_for(listener="result"):
            assert "authorization" not in request.headers
            assert fake.api_key not in str(request.headers) + request.path

        if case.resume_heals:
            fake.clear_faults()
            healed = runner.resume(job.id)
            assert healed.state is JobState.DONE, healed.error_message
            assert sorted(r.url for r in library.jobs.results_of(job.id) if r.status == "downloaded") == billed
            assert fake.created_count == case.created  # resume fetched; it never resubmitted
            assert_library_clean(library)
    finally:
        runner.close()
