"""The fake's account limits (§6): 5 submissions a second, 5 tasks in progress, 429 beyond, off by
default; what it records for tests (peaks, refusals)."""

from __future__ import annotations

import threading

import httpx

from tests.fake_dashscope import FakeDashScope
from tests.fake_dashscope.limits import AccountLimits
from tests.fake_dashscope.testkit import ASYNC, ASYNC_HEADERS, SYNC, body


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _create(api: httpx.Client) -> httpx.Response:
    return api.post(ASYNC, json=body(), headers=ASYNC_HEADERS)


def test_limits_are_off_by_default(fake: FakeDashScope, api: httpx.Client) -> None:
    assert all(_create(api).status_code == 200 for _ in range(8))


def test_a_sixth_submission_within_a_second_is_throttled(fake: FakeDashScope, api: httpx.Client) -> None:
    clock = Clock()
    fake.limits = AccountLimits(in_progress=100, clock=clock)
    assert [_create(api).status_code for _ in range(5)] == [200] * 5
    refused = _create(api)
    assert refused.status_code == 429 and refused.json()["code"] == "Throttling.RateQuota"
    assert fake.created_count == 5  # nothing created or billed for the refused one
    clock.now += 1.0
    assert _create(api).status_code == 200
    assert (fake.limits.peak_per_second, fake.limits.refused_rate) == (5, 1)


def test_a_sixth_task_in_progress_is_throttled_until_one_ends(fake: FakeDashScope, api: httpx.Client) -> None:
    clock = Clock()
    fake.limits = AccountLimits(per_second=100, clock=clock)
    fake.polls_pending, fake.polls_running = 0, 0  # a task ends at its first query
    tasks = [_create(api).json()["output"]["task_id"] for _ in range(5)]
    refused = _create(api)
    assert refused.status_code == 429 and refused.json()["code"] == "Throttling"
    assert api.get(f"/tasks/{tasks[0]}").json()["output"]["task_status"] == "SUCCEEDED"
    assert _create(api).status_code == 200
    assert (fake.limits.peak_in_progress, fake.limits.refused_in_progress) == (5, 1)


def test_tasks_driven_by_the_clock_leave_progress_when_their_time_is_up(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.limits = AccountLimits(per_second=100)
    fake.polls_pending = fake.polls_running = 1000
    fake.pending_seconds, fake.running_seconds = 0, 30
    for _ in range(5):
        assert _create(api).status_code == 200
    assert _create(api).status_code == 429
    fake.advance_clock(31)  # nobody polled, but the service finished them
    assert _create(api).status_code == 200


def test_sync_calls_count_as_in_progress_while_they_are_answered(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.limits = AccountLimits(per_second=100, in_progress=2)
    fake.sync_delay = 30.0
    answers: list[int] = []

    def call() -> None:
        try:
            answers.append(api.post(SYNC, json=body()).status_code)
        except httpx.HTTPError:
            answers.append(0)  # cut off when the fake stops below: what the test ends with

    workers = [threading.Thread(target=call) for _ in range(2)]
    for worker in workers:
        worker.start()
    try:
        limits = fake.limits
        assert _wait_until(lambda: limits.sync_in_progress == 2), "the two calls were never both admitted"
        refused = api.post(SYNC, json=body())
        assert refused.status_code == 429
        assert fake.limits.peak_in_progress == 2
    finally:
        fake.stop()  # wakes the sleeping sync calls
        for worker in workers:
            worker.join()


def _wait_until(condition, timeout: float = 10.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    waiter = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            return False
        waiter.wait(0.01)
    return True
