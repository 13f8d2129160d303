"""Helpers for the main window tests: a window against the per-test data dir, a recording notifier,
and waits on the library (real SQLite) and the queue."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from wan27_desktop.library import JobState, Library
from wan27_desktop.settings import AppSettings
from wan27_desktop.ui.main_window import MainWindow

FAST_POLL = (0.05, 0.05)


class RecordingNotifier:
    def __init__(self) -> None:
        self.notifications: list[tuple[str, str, bool]] = []
        self.alerts: list[QWidget] = []

    def notify(self, title: str, message: str, *, error: bool = False) -> bool:
        self.notifications.append((title, message, error))
        return True

    def alert(self, window: QWidget) -> None:
        self.alerts.append(window)


@pytest.fixture
def fake(fake_dashscope: Any) -> Any:
    fake_dashscope.result_image_mode = "small"
    return fake_dashscope


@pytest.fixture
def env_key(monkeypatch: pytest.MonkeyPatch, fake: Any) -> Any:
    monkeypatch.setenv("DASHSCOPE_API_KEY", fake.api_key)
    monkeypatch.setenv("WAN27_API_BASE", fake.base_url)
    return fake


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def make_window(qtbot: Any, isolated_environment: Path, notifier: RecordingNotifier
                ) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def make(*, start: bool = True, show: bool = True, **kwargs: Any) -> MainWindow:
        kwargs.setdefault("poll_interval", FAST_POLL)
        kwargs.setdefault("notifier", notifier)
        window = MainWindow(data_dir=isolated_environment, settings=AppSettings(), **kwargs)
        qtbot.addWidget(window)
        windows.append(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
        if start:
            with qtbot.waitSignal(window.journalLoaded, timeout=10_000):
                window.start()
        return window

    yield make
    for window in windows:
        window.shutdown()


def prompt_edit(window: MainWindow) -> QWidget:
    edit = window.prompt_edit()
    assert edit is not None, "the generation panel has no promptEdit"
    return edit


def library_images(data_dir: Path) -> list[Any]:
    with Library.open(data_dir, reconcile=False) as library:
        return [image for job in library.list_jobs(limit=100) for image in library.images_of_job(job.id)]


def only_job(window: MainWindow) -> Any:
    jobs = journaled(window)
    assert len(jobs) == 1, [j.job_id for j in jobs]
    return jobs[0]


def wait_state(qtbot: Any, window: MainWindow, job_id: int, *states: JobState, timeout: int = 20_000) -> Any:
    def reached() -> None:
        row = window.queue.model.job(job_id)
        assert row is not None and row.state in states, None if row is None else row.state

    qtbot.waitUntil(reached, timeout=timeout)
    return window.queue.model.job(job_id)


def journaled(window: MainWindow) -> list[Any]:
    """Queue rows of journaled jobs (not the placeholders of submissions waiting for a slot)."""
    return [row for row in window.queue.model.jobs() if not row.placeholder]


def wait_for_job(qtbot: Any, window: MainWindow, count: int = 1, timeout: int = 10_000) -> list[Any]:
    qtbot.waitUntil(lambda: len(journaled(window)) >= count, timeout=timeout)
    return journaled(window)
