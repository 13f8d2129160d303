"""Fixtures for batch tests: the fake with the account's limits on, a library, and a helper that
journals a plan and runs it the way the app and the CLI do."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fake_dashscope import FakeDashScope
from tests.fake_dashscope.limits import AccountLimits
from wan27_desktop.api.models import GenerationRequest, Model, Region, RequestMode
from wan27_desktop.jobs.batch import sources
from wan27_desktop.jobs.batch.journal import journal_batch
from wan27_desktop.jobs.batch.scheduler import BatchScheduler, BatchUpdate
from wan27_desktop.jobs.runner import Connection
from wan27_desktop.library import Library

POLL = (0.02, 0.03)
SHARED = GenerationRequest(prompt="", model=Model.PRO, size="1K", n=1)


@pytest.fixture
def fake() -> Iterator[FakeDashScope]:
    with FakeDashScope() as server:
        server.result_image_mode = "small"
        server.limits = AccountLimits()  # §6: 5 submissions/s, 5 tasks in progress, 429 beyond
        yield server
        assert server.internal_errors == []


@pytest.fixture
def library(isolated_environment: Path) -> Iterator[Library]:
    with Library.open(isolated_environment) as lib:
        yield lib


@pytest.fixture
def connection(fake: FakeDashScope) -> Connection:
    return Connection(Region.SINGAPORE, fake.base_url, fake.api_key)


def prompts_plan(tmp_path: Path, count: int, **shared: object) -> sources.BatchPlan:
    path = tmp_path / "prompts.txt"
    path.write_text("".join(f"prompt number {i}\n" for i in range(count)), encoding="utf-8")
    request = SHARED if not shared else GenerationRequest(**{"prompt": "", "size": "1K", **shared})  # type: ignore[arg-type]
    return sources.from_list(path, request)


class Run:
    """A batch journaled from a plan, and its scheduler (run in this thread or a background one)."""

    def __init__(self, library: Library, plan: sources.BatchPlan, connection: Connection, mode: RequestMode) -> None:
        self.library = library
        self.batch_id = journal_batch(
            library, plan, region=Region.SINGAPORE, endpoint=connection.base_url, request_mode=mode
        )
        self.updates: list[BatchUpdate] = []
        self.hooks: list[Callable[[BatchUpdate], None]] = []
        self.scheduler = BatchScheduler(
            library.data_dir, self.batch_id, connection, on_update=self._update, poll_interval=POLL
        )
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def _update(self, update: BatchUpdate) -> None:
        self.updates.append(update)
        for hook in list(self.hooks):
            hook(update)

    def run(self):
        return self.scheduler.run()

    def start(self) -> None:
        def target() -> None:
            try:
                self.scheduler.run()
            except BaseException as error:  # reported by join()
                self.error = error

        self.thread = threading.Thread(target=target, daemon=True)
        self.thread.start()

    def join(self, timeout: float = 60) -> None:
        assert self.thread is not None
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the batch did not end"
        if self.error is not None:
            raise self.error

    def rows(self):
        return self.library.batches.rows(self.batch_id)


@pytest.fixture
def make_run(library: Library, connection: Connection) -> Callable[..., Run]:
    def make(plan: sources.BatchPlan, mode: RequestMode = RequestMode.ASYNC) -> Run:
        return Run(library, plan, connection, mode)

    return make


def wait_until(condition: Callable[[], bool], timeout: float = 30.0, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        pause.wait(0.01)


def sends_refused(fake: FakeDashScope) -> list[str]:
    """The submissions (creates) the fake's account limits refused with a 429; polls refused for
    the query rate do not count (a client polls again later)."""
    assert fake.limits is not None
    return [kind for kind in fake.limits.refused if kind != "queries"]
