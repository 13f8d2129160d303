"""What the fake's account limits record for tests that check a client kept to them (batches): the
most submissions accepted within one second and the most tasks in progress at once."""

from __future__ import annotations

import httpx

from tests.fake_dashscope import FakeDashScope
from tests.fake_dashscope.limits import AccountLimits
from tests.fake_dashscope.testkit import ASYNC, ASYNC_HEADERS, body


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _create(api: httpx.Client) -> httpx.Response:
    return api.post(ASYNC, json=body(), headers=ASYNC_HEADERS)


def test_peaks_count_what_was_accepted_not_what_was_refused(fake: FakeDashScope, api: httpx.Client) -> None:
    clock = Clock()
    fake.limits = AccountLimits(clock=clock)
    fake.polls_pending = fake.polls_running = 10_000  # nothing ends: every task stays in progress
    assert [_create(api).status_code for _ in range(3)] == [200] * 3
    clock.now += 1.0
    assert [_create(api).status_code for _ in range(3)] == [200, 200, 429]  # the 6th in progress
    assert (fake.limits.peak_per_second, fake.limits.peak_in_progress) == (3, 5)
    assert fake.limits.refused == ["in_progress"]
