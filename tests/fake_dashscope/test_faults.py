"""Every fault kind, its scope (op) and its consumption (times)."""

from __future__ import annotations

import json
import struct
import threading
import time
from typing import Any

import httpx
import pytest

from tests.fake_dashscope import FakeDashScope, Fault
from tests.fake_dashscope.testkit import ASYNC, ASYNC_HEADERS, SYNC, body, get, image_urls, stream


def _create(api: httpx.Client, **parameters: Any) -> str:
    return str(api.post(ASYNC, json=body(**parameters), headers=ASYNC_HEADERS).json()["output"]["task_id"])


def _finish(api: httpx.Client, fake: FakeDashScope, task_id: str) -> dict:
    fake.run_tasks()
    return api.get(f"/tasks/{task_id}").json()


def _result_url(fake: FakeDashScope, api: httpx.Client) -> str:
    return image_urls(api.post(SYNC, json=body()).json())[0]


def _wait_for(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("condition not met")
        time.sleep(0.005)


# -- the Fault object ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "params"),
    [
        (("nowhere", "error"), {}),
        (("sync", "explode"), {}),
        (("sync", "expired"), {}),  # download-only kind
        (("cancel", "moderation"), {}),  # outcome kind on a cancel
        (("sync", "throttle"), {"retry_afterr": 3}),  # typo
        (("sync", "error"), {"times": 0}),
    ],
)
def test_fault_refuses_bad_definitions(args: tuple[str, str], params: dict) -> None:
    with pytest.raises(ValueError):
        Fault(*args, **params)


def test_fault_is_consumed_times_then_normal(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("query", "server_error", times=2, status=503))
    codes = [api.get("/tasks/x").status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert fake.faults == []


def test_fault_with_times_none_lasts_until_cleared(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("query", "throttle", times=None))
    assert [api.get("/tasks/x").status_code for _ in range(4)] == [429] * 4
    fake.clear_faults()
    assert api.get("/tasks/x").status_code == 200


def test_fault_is_scoped_to_its_op(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("create", "server_error"))
    assert api.get("/tasks/x").status_code == 200
    assert api.post(SYNC, json=body()).status_code == 200
    assert api.post(ASYNC, json=body(), headers=ASYNC_HEADERS).status_code == 500


def test_any_op_fault_hits_the_next_request(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("any", "server_error", status=502))
    assert api.post("/tasks/x/cancel").status_code == 502


# -- response faults ------------------------------------------------------------------------------


def test_error_fault_has_the_error_shape_and_creates_nothing(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("sync", "error", status=400, code="Arrearage", message="Overdue."))
    response = api.post(SYNC, json=body())
    assert response.status_code == 400
    assert response.json() == {"request_id": response.json()["request_id"], "code": "Arrearage", "message": "Overdue."}
    assert fake.created_count == 0


def test_error_fault_with_accept_creates_then_answers_the_error(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("create", "server_error", accept=True))
    assert api.post(ASYNC, json=body(), headers=ASYNC_HEADERS).status_code == 500
    assert fake.created_count == 1
    assert len(fake.tasks) == 1


def test_throttle_with_retry_after(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("sync", "throttle", retry_after=7))
    response = api.post(SYNC, json=body())
    assert response.status_code == 429
    assert response.json()["code"] == "Throttling.RateQuota"
    assert response.headers["retry-after"] == "7"


def test_throttle_without_retry_after(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("query", "throttle"))
    response = api.get("/tasks/x")
    assert response.status_code == 429
    assert "retry-after" not in response.headers


@pytest.mark.parametrize(
    ("status", "code"), [(500, "InternalError"), (503, "ServiceUnavailable"), (504, "GatewayTimeout")]
)
def test_server_error_status_and_default_code(status: int, code: str, fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("query", "server_error", status=status))
    response = api.get("/tasks/x")
    assert (response.status_code, response.json()["code"]) == (status, code)


def test_server_error_custom_code(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("sync", "server_error", code="InternalError.Algo"))
    assert api.post(SYNC, json=body()).json()["code"] == "InternalError.Algo"


def test_slow_delays_the_headers(fake: FakeDashScope) -> None:
    fake.add_fault(Fault("query", "slow", delay=2))
    with pytest.raises(httpx.ReadTimeout):
        get(f"{fake.base_url}/tasks/x", headers={"Authorization": f"Bearer {fake.api_key}"}, timeout=0.2)


def test_slow_body_dribbles_the_whole_body(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("query", "slow_body", delay=0.05, chunks=4))
    started = time.monotonic()
    with api.stream("GET", "/tasks/x") as response:
        pieces = list(response.iter_raw())
    assert time.monotonic() - started >= 0.15  # three pauses happened
    assert len(pieces) >= 2
    assert json.loads(b"".join(pieces))["output"]["task_status"] == "UNKNOWN"


def test_drop_closes_without_a_response(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("sync", "drop"))
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(SYNC, json=body())
    assert fake.created_count == 0
    assert api.post(SYNC, json=body()).status_code == 200  # the client reconnects


def test_drop_with_accept_bills_a_lost_response(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("sync", "drop", accept=True))
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(SYNC, json=body(n=2))
    assert fake.created_count == 1
    assert len(fake.billed_images) == 2


def test_reset_mid_body_on_a_query(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("query", "reset_mid_body"))
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/tasks/x")


def test_reset_mid_body_truncates_a_download(fake: FakeDashScope, api: httpx.Client) -> None:
    url = _result_url(fake, api)
    fake.add_fault(Fault("download", "reset_mid_body", bytes=100))
    received = bytearray()
    with pytest.raises(httpx.RemoteProtocolError), stream(url) as response:
        declared = int(response.headers["content-length"])
        for chunk in response.iter_raw():
            received += chunk
    assert len(received) == 100 < declared


def test_invalid_json(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("query", "invalid_json"))
    response = api.get("/tasks/x")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_html_proxy_page(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("create", "html"))
    response = api.post(ASYNC, json=body(), headers=ASYNC_HEADERS)
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<html>" in response.text


# -- outcome faults -------------------------------------------------------------------------------


def test_moderation_on_sync_is_400_data_inspection_failed(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("sync", "moderation"))
    response = api.post(SYNC, json=body())
    assert (response.status_code, response.json()["code"]) == (400, "DataInspectionFailed")
    assert fake.billed_images == []
    assert fake.created_count == 0


def test_moderation_on_async_fails_the_task(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("create", "moderation"))
    task_id = _create(api)
    data = _finish(api, fake, task_id)
    out = data["output"]
    assert out["task_status"] == "FAILED"
    assert out["code"] == "DataInspectionFailed"
    assert out["message"]
    assert {"submit_time", "scheduled_time", "end_time"} <= set(out)
    assert "usage" not in data and "choices" not in out
    assert fake.billed_images == []
    assert fake.created_count == 1


def test_task_failed_scoped_to_query_fails_at_the_end(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.polls_pending = fake.polls_running = 0
    fake.add_fault(Fault("query", "task_failed", code="InternalError.Timeout", message="Timed out."))
    data = api.get(f"/tasks/{_create(api)}").json()
    assert (data["output"]["task_status"], data["output"]["code"]) == ("FAILED", "InternalError.Timeout")


def test_task_failed_on_sync_is_an_error_response(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("sync", "task_failed"))
    response = api.post(SYNC, json=body())
    assert (response.status_code, response.json()["code"]) == (500, "InternalError.Algo")


def test_partial_sync(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("sync", "partial", count=1))
    data = api.post(SYNC, json=body(n=3)).json()
    assert data["usage"]["image_count"] == 1
    assert len(image_urls(data)) == 1
    assert len(fake.billed_images) == 1


def test_partial_async_reports_task_metrics(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("create", "partial"))
    data = _finish(api, fake, _create(api, n=4))
    assert data["output"]["task_status"] == "SUCCEEDED"
    assert data["usage"]["image_count"] == 3
    assert data["output"]["task_metrics"] == {"TOTAL": 4, "SUCCEEDED": 3, "FAILED": 1}


@pytest.mark.parametrize("variant", ["choices_empty", "content_empty", "text_only", "no_choices"])
def test_empty_answers_200_without_images(variant: str, fake: FakeDashScope, api: httpx.Client) -> None:
    fake.add_fault(Fault("sync", "empty", variant=variant))
    response = api.post(SYNC, json=body())
    assert response.status_code == 200
    assert image_urls(response.json()) == []
    assert response.json()["usage"]["image_count"] == 0
    assert fake.billed_images == []


# -- download faults ------------------------------------------------------------------------------


def test_expired_download(fake: FakeDashScope, api: httpx.Client) -> None:
    url = _result_url(fake, api)
    fake.add_fault(Fault("download", "expired"))
    response = get(url)
    assert response.status_code == 403
    assert "Request has expired." in response.text
    assert get(url).status_code == 200


def test_not_image_download(fake: FakeDashScope, api: httpx.Client) -> None:
    url = _result_url(fake, api)
    fake.add_fault(Fault("download", "not_image"))
    response = get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert not response.content.startswith(b"\x89PNG")


def test_redirect_to_another_host(fake: FakeDashScope, api: httpx.Client) -> None:
    url = _result_url(fake, api)
    fake.add_fault(Fault("download", "redirect"))
    response = get(url)
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith("http://localhost:")
    followed = get(location)
    assert followed.content.startswith(b"\x89PNG")
    assert fake.requests_for("download")[-1].headers["host"].startswith("localhost:")


def test_huge_download_declares_a_giant_body(fake: FakeDashScope, api: httpx.Client) -> None:
    url = _result_url(fake, api)
    fake.add_fault(Fault("download", "huge", size=200 * 1024 * 1024))
    received = 0
    with stream(url) as response:
        assert int(response.headers["content-length"]) == 200 * 1024 * 1024
        for chunk in response.iter_raw():
            received += len(chunk)
            if received > 1024 * 1024:
                break  # a client's cap: stop reading and drop the connection
    assert received > 1024 * 1024


def test_huge_download_without_length(fake: FakeDashScope, api: httpx.Client) -> None:
    url = _result_url(fake, api)
    fake.add_fault(Fault("download", "huge", size=3 * 1024 * 1024, declare=False))
    response = get(url)
    assert "content-length" not in response.headers
    assert len(response.content) == 3 * 1024 * 1024


def test_bomb_declares_huge_dimensions(fake: FakeDashScope, api: httpx.Client) -> None:
    url = _result_url(fake, api)
    fake.add_fault(Fault("download", "bomb"))
    response = get(url)
    assert response.content.startswith(b"\x89PNG")
    assert struct.unpack(">II", response.content[16:24]) == (60000, 60000)
    assert len(response.content) < 1024 * 1024


def test_download_error_fault_is_oss_xml(fake: FakeDashScope, api: httpx.Client) -> None:
    url = _result_url(fake, api)
    fake.add_fault(Fault("download", "server_error", status=503))
    response = get(url)
    assert response.status_code == 503
    assert response.text.startswith("<?xml")


# -- shutdown -------------------------------------------------------------------------------------


def test_stop_interrupts_a_slow_fault_and_leaves_no_threads() -> None:
    fake = FakeDashScope().start()
    fake.add_fault(Fault("query", "slow", delay=60))
    errors: list[Exception] = []

    def query() -> None:
        try:
            get(f"{fake.base_url}/tasks/x", headers={"Authorization": f"Bearer {fake.api_key}"}, timeout=30)
        except httpx.HTTPError as exc:
            errors.append(exc)

    client = threading.Thread(target=query)
    client.start()
    _wait_for(lambda: fake.requests_for("query"))
    fake.stop()
    client.join(timeout=10)
    assert not client.is_alive()
    assert len(errors) == 1
    leftovers = [
        t.name
        for t in threading.enumerate()
        if t.name.startswith(("fake-dashscope", "Thread")) and t is not threading.current_thread()
    ]
    assert leftovers == []
