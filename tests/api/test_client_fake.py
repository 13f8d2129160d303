"""End-to-end: DashScopeClient against the fake DashScope server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import httpx
import pytest

from tests.api.images import make_png
from tests.api.test_responses import CODE_CASES
from tests.fake_dashscope import FakeDashScope, Fault
from wan27_desktop.api import errors as E
from wan27_desktop.api.client import DashScopeClient, check_key_regions, raise_for_task
from wan27_desktop.api.download import download_result
from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Model, Region
from wan27_desktop.api.request_body import EncodedImage, build_body
from wan27_desktop.api.results import TaskStatus
from wan27_desktop.api.retry import RetryPolicy

REQUEST = GenerationRequest(prompt="A red bicycle in the snow", model=Model.PRO, n=2, size="1K", seed=7)


def no_sleep(seconds: float) -> None:
    pass


def wait_until(condition, timeout: float = 10.0) -> None:
    """Wait for a condition on the fake (it finishes work on its own threads)."""
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "condition not met in time"
        time.sleep(0.01)


@pytest.fixture
def fake(fake_dashscope: FakeDashScope) -> FakeDashScope:
    fake_dashscope.result_image_mode = "small"
    return fake_dashscope


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(fake: FakeDashScope, sleeps: list[float]):
    policy = RetryPolicy(sleep=sleeps.append, rand=lambda: 0.5)
    with DashScopeClient(fake.api_key, fake.base_url, retry_policy=policy) as c:
        yield c


def test_sync_flow_generates_and_downloads_every_billed_image(fake, client, tmp_path: Path):
    body = build_body(REQUEST)
    result = client.generate(body)
    files = [download_result(url, tmp_path) for url in result.image_urls]
    assert fake.created_count == 1
    assert len(files) == result.usage.image_count == 2
    assert {url for _, url in fake.billed_images} == set(result.image_urls)
    assert all(f.path.exists() and f.format == "png" for f in files)
    sent = fake.requests_for(op="sync")[0]
    assert sent.json == body
    assert sent.headers["authorization"] == f"Bearer {fake.api_key}"


def test_async_flow_submits_polls_and_downloads(fake, client, tmp_path: Path):
    submission = client.submit_task(build_body(REQUEST))
    assert fake.requests_for(op="create")[0].headers["x-dashscope-async"] == "enable"
    states: list[TaskStatus] = []
    snapshot = client.wait_for_task(submission.task_id, sleep=no_sleep, on_update=lambda s: states.append(s.status))
    assert snapshot.status is TaskStatus.SUCCEEDED
    assert states[0] is TaskStatus.PENDING and TaskStatus.RUNNING in states
    files = [download_result(url, tmp_path) for url in raise_for_task(snapshot).result.image_urls]
    assert len(files) == snapshot.result.usage.image_count == 2
    assert fake.created_count == 1


def test_real_mode_result_dimensions_match_usage(fake, client, tmp_path: Path):
    fake.result_image_mode = "real"
    request = GenerationRequest(prompt="wide", n=1, size="1536*768")
    result = client.generate(build_body(request))
    downloaded = download_result(result.image_urls[0], tmp_path)
    assert f"{downloaded.width}*{downloaded.height}" == result.usage.size


def test_edit_with_data_uri_references_and_boxes_is_accepted(fake, client):
    uri = "data:image/png;base64," + base64.b64encode(make_png(320, 240)).decode()
    boxes = (Box(10, 10, 100, 100),)
    request = GenerationRequest(
        prompt="put image 1 in the box of image 2",
        n=1,
        size="1K",
        images=(ImageInput("a.png"), ImageInput("b.png", boxes)),
    )
    body = build_body(request, [EncodedImage(uri), EncodedImage(uri, boxes)])
    result = client.generate(body)
    assert len(result.image_urls) == 1
    assert fake.requests_for(op="sync")[0].json["parameters"]["bbox_list"] == [[], [[10, 10, 100, 100]]]


def test_async_moderation_failure_is_a_failed_snapshot(fake, client):
    fake.add_fault(Fault("create", "moderation"))
    submission = client.submit_task(build_body(REQUEST))
    snapshot = client.wait_for_task(submission.task_id, sleep=no_sleep)
    assert snapshot.status is TaskStatus.FAILED and snapshot.code == "DataInspectionFailed"
    with pytest.raises(E.ModerationError) as info:
        raise_for_task(snapshot)
    assert info.value.hint == E.ModerationError.default_hint


def test_sync_moderation_failure_raises(fake, client):
    fake.add_fault(Fault("sync", "moderation"))
    with pytest.raises(E.ModerationError) as info:
        client.generate(build_body(REQUEST))
    assert info.value.request_id and info.value.status == 400


@pytest.mark.parametrize(("status", "code", "cls"), CODE_CASES, ids=[c[1] for c in CODE_CASES])
def test_every_error_code_over_http(fake, status, code, cls):
    fake.add_fault(Fault("sync", "error", times=None, status=status, code=code, message=f"about {code}"))
    policy = RetryPolicy(max_attempts=2, sleep=no_sleep)
    with DashScopeClient(fake.api_key, fake.base_url, retry_policy=policy) as c, pytest.raises(cls) as info:
        c.generate(build_body(REQUEST))
    assert (info.value.code, info.value.status, info.value.message) == (code, status, f"about {code}")
    assert info.value.request_id
    assert fake.created_count == 0


def test_throttled_create_is_retried_after_retry_after(fake, client, sleeps):
    fake.add_fault(Fault("sync", "throttle", retry_after=3))
    assert client.generate(build_body(REQUEST)).image_urls
    assert sleeps == [3.0]
    assert fake.created_count == 1 and len(fake.requests_for(op="sync")) == 2


def test_server_error_on_create_is_retried_once_accepted_once(fake, client):
    fake.add_fault(Fault("create", "server_error", times=2, status=500))
    assert client.submit_task(build_body(REQUEST)).task_id
    assert fake.created_count == 1 and len(fake.requests_for(op="create")) == 3


def test_no_resubmit_after_read_timeout(fake):
    fake.add_fault(Fault("sync", "slow", delay=1.0))
    timeout = httpx.Timeout(connect=5.0, read=0.2, write=5.0, pool=5.0)
    with (
        DashScopeClient(fake.api_key, fake.base_url, timeout=timeout, retry_policy=RetryPolicy(sleep=no_sleep)) as c,
        pytest.raises(E.InterruptedCreateError) as info,
    ):
        c.generate(build_body(REQUEST))
    assert "may have been billed" in str(info.value) and "no request id is known" in str(info.value)
    wait_until(lambda: fake.created_count == 1)  # the fake answers after its delay: it did run (and bill)
    assert len(fake.requests_for(op="sync")) == 1


def test_no_resubmit_after_dropped_connection_on_accepted_create(fake, client):
    fake.add_fault(Fault("create", "drop", accept=True))
    with pytest.raises(E.InterruptedCreateError):
        client.submit_task(build_body(REQUEST))
    assert fake.created_count == 1 and len(fake.tasks) == 1
    assert len(fake.requests_for(op="create")) == 1


def test_no_resubmit_after_gateway_page_on_create(fake, client):
    fake.add_fault(Fault("sync", "html", status=502))
    with pytest.raises(E.InterruptedCreateError, match="HTTP 502"):
        client.generate(build_body(REQUEST))
    assert len(fake.requests_for(op="sync")) == 1


def test_no_resubmit_after_invalid_json_on_accepted_create(fake, client):
    fake.add_fault(Fault("sync", "invalid_json", accept=True))
    with pytest.raises(E.InterruptedCreateError):
        client.generate(build_body(REQUEST))
    assert fake.created_count == 1 and len(fake.requests_for(op="sync")) == 1


def test_create_retried_when_connection_is_refused(fake):
    # A port nobody listens on: the connection fails before anything is sent, so retrying is safe.
    policy = RetryPolicy(max_attempts=3, sleep=no_sleep)
    base = fake.base_url.rsplit(":", 1)[0] + ":9/api/v1"
    with DashScopeClient(fake.api_key, base, retry_policy=policy) as c, pytest.raises(E.NetworkError) as info:
        c.generate(build_body(REQUEST))
    assert not isinstance(info.value, E.InterruptedCreateError)


@pytest.mark.parametrize(
    "fault",
    [
        Fault("query", "throttle", retry_after=1),
        Fault("query", "server_error", status=503),
        Fault("query", "html", status=502),
        Fault("query", "invalid_json"),
        Fault("query", "drop"),
        Fault("query", "reset_mid_body"),
    ],
)
def test_query_survives_transient_faults(fake, client, fault):
    task_id = client.submit_task(build_body(REQUEST)).task_id
    fake.add_fault(fault)
    assert client.wait_for_task(task_id, sleep=no_sleep).status is TaskStatus.SUCCEEDED
    assert fake.created_count == 1


def test_wait_honours_cancel(fake, client):
    fake.polls_pending = 1000
    task_id = client.submit_task(build_body(REQUEST)).task_id
    polls = []
    with pytest.raises(E.Canceled):
        client.wait_for_task(task_id, sleep=no_sleep, on_update=polls.append, should_cancel=lambda: len(polls) >= 3)
    assert len(polls) == 3


def test_cancel_pending_task(fake, client):
    fake.polls_pending = 1000
    task_id = client.submit_task(build_body(REQUEST)).task_id
    client.cancel_task(task_id)
    snapshot = client.query_task(task_id)
    assert snapshot.status is TaskStatus.CANCELED
    with pytest.raises(E.TaskCanceled):
        raise_for_task(snapshot)


def test_cancel_running_task_is_refused(fake, client):
    fake.polls_pending = 0
    task_id = client.submit_task(build_body(REQUEST)).task_id
    client.wait_for_task(task_id, sleep=no_sleep)
    with pytest.raises(E.InvalidRequestError) as info:
        client.cancel_task(task_id)
    assert info.value.code == "UnsupportedOperation"


def test_task_expires_to_unknown_after_24_hours(fake, client):
    task_id = client.submit_task(build_body(REQUEST)).task_id
    client.wait_for_task(task_id, sleep=no_sleep)
    fake.advance_clock(25 * 3600)
    snapshot = client.query_task(task_id)
    assert snapshot.status is TaskStatus.UNKNOWN
    with pytest.raises(E.TaskUnknown):
        raise_for_task(snapshot)


def test_partial_result_has_fewer_images_and_matching_usage(fake, client):
    fake.add_fault(Fault("sync", "partial", count=1))
    result = client.generate(build_body(REQUEST))
    assert len(result.image_urls) == result.usage.image_count == 1


@pytest.mark.parametrize("variant", ["choices_empty", "content_empty", "text_only", "no_choices"])
def test_empty_result_parses_to_no_images(fake, client, variant):
    fake.add_fault(Fault("sync", "empty", variant=variant))
    assert client.generate(build_body(REQUEST)).image_urls == ()


def test_check_key_valid_and_invalid(fake):
    with DashScopeClient(fake.api_key, fake.base_url) as c:
        assert c.check_key().valid
    with DashScopeClient("sk-wrong-key-000000000000000", fake.base_url) as c:
        check = c.check_key()
    assert not check.valid and check.code == "InvalidApiKey"
    assert fake.created_count == 0  # zero cost


def test_check_key_regions_tells_singapore_from_beijing():
    with (
        FakeDashScope(region="sg", api_key="sk-sg-key-00000000000000000") as sg,
        FakeDashScope(region="cn", api_key="sk-cn-key-00000000000000000") as cn,
    ):
        bases = {Region.SINGAPORE: sg.base_url, Region.BEIJING: cn.base_url}
        assert check_key_regions(cn.api_key, bases) is Region.BEIJING
        assert check_key_regions(sg.api_key, bases) is Region.SINGAPORE
        assert check_key_regions("sk-neither-0000000000000000", bases) is None


def test_key_is_never_sent_to_the_result_host(fake, client, tmp_path: Path):
    result = client.generate(build_body(REQUEST))
    fake.add_fault(Fault("download", "redirect"))
    for url in result.image_urls:
        download_result(url, tmp_path)
    result_requests = fake.requests_for(listener="result")
    assert len(result_requests) == 3  # one redirected: 302 + follow-up
    for request in result_requests:
        assert "authorization" not in request.headers
        assert fake.api_key not in repr(request.headers) + request.path + repr(request.query)
