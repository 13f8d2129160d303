"""The fake service for tests that drive a workspace or a window: small result images, and its key
and endpoint in the environment as a user's shell would give them (no widgets imported here)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def fake(fake_dashscope: Any) -> Any:
    fake_dashscope.result_image_mode = "small"
    return fake_dashscope


@pytest.fixture
def env_key(monkeypatch: pytest.MonkeyPatch, fake: Any) -> Any:
    monkeypatch.setenv("DASHSCOPE_API_KEY", fake.api_key)
    monkeypatch.setenv("WAN27_API_BASE", fake.base_url)
    return fake
