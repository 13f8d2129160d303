"""A workspace over the per-test library, talking to the fake DashScope server; no widgets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.service_fixtures import env_key, fake  # noqa: F401 - fixtures
from wan27_desktop.settings import AppSettings
from wan27_desktop.workspace.workspace import Workspace

FAST_POLL = (0.03, 0.03)


@pytest.fixture
def make_workspace(qtbot: Any, isolated_environment: Path) -> Iterator[Callable[..., Workspace]]:
    made: list[Workspace] = []

    def make(*, start: bool = True, **kwargs: Any) -> Workspace:
        kwargs.setdefault("poll_interval", FAST_POLL)
        workspace = Workspace(isolated_environment, AppSettings(), **kwargs)
        made.append(workspace)
        if start:
            with qtbot.waitSignal(workspace.journalLoaded, timeout=10_000):
                workspace.start()
            qtbot.waitUntil(lambda: workspace.key_origin() is not None)
        return workspace

    yield make
    for workspace in made:
        workspace.shutdown()
