"""The retry rules issue 14 changed, against httpx.MockTransport: throttling waits about a minute
(not ~7 s), `BadRequest.InputDownloadFailed` is tried once more, every retry is reported, a create
says when its bytes leave, and an endpoint without /api/v1 is refused before anything is sent."""

from __future__ import annotations

import pytest

from tests.api.test_client_unit import BODY, KEY, SYNC_OK, Script, err, make, ok
from wan27_desktop.api import endpoint
from wan27_desktop.api import errors as E
from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.retry import RetryNotice, RetryPolicy


def test_throttling_keeps_trying_for_about_a_minute_then_gives_up():
    sleeps: list[float] = []
    policy = RetryPolicy(sleep=sleeps.append, rand=lambda: 0.5)
    script = Script(err(429, "Throttling.RateQuota"))
    with make(script, retry_policy=policy) as client, pytest.raises(E.RateLimitError):
        client.generate(BODY)
    assert 55.0 <= sum(sleeps) <= 60.0, sleeps  # §6: throttling usually clears within a minute
    assert sleeps == sorted(sleeps[:5]) + sleeps[5:]  # growing, then capped
    assert max(sleeps) <= policy.throttle_max_delay
    assert len(script.requests) == len(sleeps) + 1


def test_throttling_that_clears_within_the_minute_lands():
    sleeps: list[float] = []
    policy = RetryPolicy(sleep=sleeps.append, rand=lambda: 0.5)
    script = Script(*[err(429, "Throttling")] * 6, ok(SYNC_OK))
    with make(script, retry_policy=policy) as client:
        assert client.generate(BODY).request_id == "rid-ok"
    assert len(script.requests) == 7 and sum(sleeps) > 20  # more than the old ~7 s


def test_every_retry_is_reported_with_its_wait_and_attempt_number():
    notices: list[RetryNotice] = []
    script = Script(err(429, "Throttling", headers={"Retry-After": "8"}), err(429, "Throttling"), ok(SYNC_OK))
    with make(script) as client:
        client.generate(BODY, on_retry=notices.append)
    assert [(n.attempt, round(n.delay, 2)) for n in notices] == [(2, 8.0), (3, 1.5)]
    assert all(isinstance(n.error, E.RateLimitError) for n in notices)


def test_input_download_failed_is_retried_once_then_reported():
    script = Script(err(400, "BadRequest.InputDownloadFailed"))
    with make(script) as client, pytest.raises(E.InputDownloadError):
        client.generate(BODY)
    assert len(script.requests) == 2


def test_input_download_failed_once_then_success():
    script = Script(err(400, "BadRequest.InputDownloadFailed"), ok(SYNC_OK))
    with make(script) as client:
        assert client.generate(BODY).request_id == "rid-ok"
    assert len(script.requests) == 2


@pytest.mark.parametrize(
    "base",
    ["https://dashscope-intl.aliyuncs.com", "https://dashscope-intl.aliyuncs.com/api", "http://127.0.0.1:9/v1"],
)
def test_an_endpoint_without_api_v1_is_refused_with_a_hint(base: str):
    with pytest.raises(E.ValidationError) as raised:
        endpoint.normalise(base)
    assert "/api/v1" in raised.value.message and raised.value.issues[0].field == "endpoint"
    with pytest.raises(E.ValidationError):
        DashScopeClient(KEY, base)


def test_an_endpoint_with_api_v1_and_a_trailing_slash_is_fine():
    assert endpoint.normalise("https://gw.example.com/api/v1/") == "https://gw.example.com/api/v1"
