"""Shared fixtures: offscreen Qt, an isolated data dir per test, and the fake DashScope server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir and no key or endpoint from the developer's shell."""
    data = tmp_path / "wan27-data"
    monkeypatch.setenv("WAN27_DATA_DIR", str(data))
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    monkeypatch.delenv("WAN27_API_BASE", raising=False)
    return data


@pytest.fixture
def fake_dashscope() -> Iterator[object]:
    """A running fake DashScope server on 127.0.0.1 (see tests/fake_dashscope)."""
    from tests.fake_dashscope import FakeDashScope

    with FakeDashScope() as fake:
        yield fake
