"""Fixtures for job tests: a library in the per-test data dir and a fast-polling runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wan27_desktop.api.models import Region
from wan27_desktop.jobs.runner import Connection, JobEvent, JobRunner
from wan27_desktop.library import Library


@pytest.fixture
def library(isolated_environment: Path) -> Iterator[Library]:
    with Library.open(isolated_environment) as lib:
        yield lib


@pytest.fixture
def events() -> list[JobEvent]:
    return []


@pytest.fixture
def runner(library: Library, fake_dashscope, events: list[JobEvent]) -> Iterator[JobRunner]:
    fake_dashscope.result_image_mode = "small"
    connection = Connection(Region.SINGAPORE, fake_dashscope.base_url, fake_dashscope.api_key)
    job_runner = JobRunner(library, connection, on_event=events.append, poll_interval=(0.01, 0.02))
    yield job_runner
    job_runner.close()
