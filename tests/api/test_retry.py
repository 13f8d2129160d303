"""RetryPolicy: full-jitter backoff, Retry-After, caps and cancellable waits."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wan27_desktop.api.errors import Canceled
from wan27_desktop.api.retry import RetryPolicy, is_cancelled, parse_retry_after


def test_backoff_is_full_jitter_between_zero_and_the_exponential_ceiling():
    low = RetryPolicy(base_delay=1.0, max_delay=30.0, rand=lambda: 0.0)
    high = RetryPolicy(base_delay=1.0, max_delay=30.0, rand=lambda: 0.999999)
    assert [low.backoff(a) for a in (1, 2, 3)] == [0.0, 0.0, 0.0]
    assert [round(high.backoff(a), 3) for a in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 8.0]


def test_backoff_is_capped():
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, rand=lambda: 0.999999)
    assert round(policy.backoff(10), 3) == 5.0


@given(attempt=st.integers(min_value=1, max_value=60), r=st.floats(min_value=0, max_value=0.999999))
def test_backoff_is_always_within_bounds(attempt, r):
    policy = RetryPolicy(base_delay=0.5, max_delay=20.0, rand=lambda: r)
    assert 0 <= policy.backoff(attempt) <= 20.0


def test_retry_after_seconds_wins_over_backoff():
    policy = RetryPolicy(rand=lambda: 0.999)
    assert policy.delay(1, 12.0) == 12.0
    assert policy.delay(1, "3") == 3.0


def test_retry_after_is_capped():
    assert RetryPolicy(max_retry_after=60).delay(1, 3600.0) == 60.0


def test_retry_after_http_date_is_relative_to_the_clock():
    now = datetime(2025, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
    header = format_datetime(now + timedelta(seconds=20), usegmt=True)
    policy = RetryPolicy(clock=now.timestamp)
    assert policy.delay(1, header) == pytest.approx(20.0)


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "nan", "Mon, 99 Foo 2025"])
def test_bad_retry_after_is_ignored(value):
    assert parse_retry_after(value, 0.0) is None


def test_retry_after_date_in_the_past_means_now():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=2_000_000_000) == 0.0


def test_can_retry_counts_the_first_attempt():
    policy = RetryPolicy(max_attempts=3)
    assert [policy.can_retry(a) for a in (1, 2, 3)] == [True, True, False]


def test_wait_uses_the_injected_sleep():
    slept: list[float] = []
    RetryPolicy(sleep=slept.append).wait(2.0)
    assert slept == [2.0]


def test_wait_with_a_callable_cancel_stops_early():
    slept: list[float] = []
    calls = iter([False, False, True])
    policy = RetryPolicy(sleep=slept.append)
    with pytest.raises(Canceled):
        policy.wait(10.0, lambda: next(calls))
    assert sum(slept) < 10.0


def test_wait_with_an_event_returns_as_soon_as_it_is_set():
    event = threading.Event()
    threading.Timer(0.05, event.set).start()
    with pytest.raises(Canceled):
        RetryPolicy().wait(30.0, event)  # would take 30 s if the event were ignored


def test_wait_refuses_to_start_when_already_cancelled():
    event = threading.Event()
    event.set()
    slept: list[float] = []
    with pytest.raises(Canceled):
        RetryPolicy(sleep=slept.append).wait(1.0, event)
    assert slept == []


def test_is_cancelled_accepts_event_callable_and_none():
    event = threading.Event()
    assert not is_cancelled(None)
    assert not is_cancelled(event)
    event.set()
    assert is_cancelled(event)
    assert is_cancelled(lambda: True)
