"""Fixtures for testing the fake itself with raw httpx (not the app's client)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.fake_dashscope import FakeDashScope
from tests.fake_dashscope.testkit import SSL_CONTEXT


@pytest.fixture
def fake() -> Iterator[FakeDashScope]:
    with FakeDashScope() as server:
        server.result_image_mode = "small"
        yield server
        assert server.internal_errors == []


@pytest.fixture
def api(fake: FakeDashScope) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=fake.base_url, headers={"Authorization": f"Bearer {fake.api_key}"}, timeout=10, verify=SSL_CONTEXT
    ) as client:
        yield client
