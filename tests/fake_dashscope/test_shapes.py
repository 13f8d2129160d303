"""Exact response shapes (§4.1-§4.4), auth (§1.3), routing (§1.2) and request recording."""

from __future__ import annotations

import re
import uuid

import httpx

from tests.fake_dashscope import FakeDashScope
from tests.fake_dashscope.testkit import ASYNC, ASYNC_HEADERS, SSL_CONTEXT, SYNC, body, get, image_urls

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$")
USAGE_KEYS = {"image_count", "size", "input_tokens", "output_tokens", "total_tokens"}


def test_sync_success_has_one_choice_per_image_and_usage(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.result_image_mode = "real"
    response = api.post(SYNC, json=body(n=2, size="1536*1024"))
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"request_id", "output", "usage"}
    assert data["output"]["finished"] is True
    choices = data["output"]["choices"]
    assert len(choices) == 2
    for choice in choices:
        assert choice["finish_reason"] == "stop"
        assert choice["message"]["role"] == "assistant"
        assert choice["message"]["content"] == [{"type": "image", "image": choice["message"]["content"][0]["image"]}]
    usage = data["usage"]
    assert set(usage) == USAGE_KEYS
    assert usage["image_count"] == 2
    assert usage["size"] == "1536*1024"
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


def test_result_urls_are_signed_links_on_the_result_host(fake: FakeDashScope, api: httpx.Client) -> None:
    urls = image_urls(api.post(SYNC, json=body()).json())
    assert len(urls) == 1
    assert urls[0].startswith(fake.result_host + "/")
    assert re.search(r"\.png\?Expires=\d+&OSSAccessKeyId=\w+&Signature=\S+$", urls[0])
    assert not urls[0].startswith(fake.base_url)


def test_async_create_answers_task_id_and_pending(api: httpx.Client) -> None:
    response = api.post(ASYNC, json=body(), headers=ASYNC_HEADERS)
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"request_id", "output"}
    assert set(data["output"]) == {"task_id", "task_status"}
    assert data["output"]["task_status"] == "PENDING"
    uuid.UUID(data["output"]["task_id"])


def test_query_shapes_through_pending_running_succeeded(fake: FakeDashScope, api: httpx.Client) -> None:
    task_id = api.post(ASYNC, json=body(n=2), headers=ASYNC_HEADERS).json()["output"]["task_id"]
    pending, running, done = (api.get(f"/tasks/{task_id}").json() for _ in range(3))

    assert pending["output"]["task_status"] == "PENDING"
    assert set(pending["output"]) == {"task_id", "task_status", "submit_time"}
    assert "usage" not in pending

    assert running["output"]["task_status"] == "RUNNING"
    assert set(running["output"]) == {"task_id", "task_status", "submit_time", "scheduled_time"}
    assert "usage" not in running

    out = done["output"]
    assert out["task_status"] == "SUCCEEDED"
    assert {"task_id", "submit_time", "scheduled_time", "end_time", "finished", "choices"} <= set(out)
    for name in ("submit_time", "scheduled_time", "end_time"):
        assert TIMESTAMP.match(out[name]), out[name]
    assert out["task_id"] == task_id
    assert len(image_urls(done)) == 2
    assert set(done["usage"]) == USAGE_KEYS
    assert done["usage"]["image_count"] == 2
    assert all("request_id" in r for r in (pending, running, done))


def test_unknown_task_is_200_unknown(api: httpx.Client) -> None:
    task_id = str(uuid.uuid4())
    response = api.get(f"/tasks/{task_id}")
    assert response.status_code == 200
    assert response.json()["output"] == {"task_id": task_id, "task_status": "UNKNOWN"}
    assert response.json()["request_id"]


def test_missing_key_is_401_invalid_api_key(fake: FakeDashScope) -> None:
    response = get(f"{fake.base_url}/tasks/{uuid.uuid4()}")
    assert response.status_code == 401
    data = response.json()
    assert set(data) == {"request_id", "code", "message"}
    assert data["code"] == "InvalidApiKey"


def test_wrong_key_is_401_and_creates_nothing(fake: FakeDashScope) -> None:
    response = httpx.post(
        f"{fake.base_url}{SYNC}", json=body(), headers={"Authorization": "Bearer sk-fake-other-region-key"}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "InvalidApiKey"
    assert fake.created_count == 0
    assert fake.billed_images == []


def test_key_check_with_random_uuid_costs_nothing(fake: FakeDashScope, api: httpx.Client) -> None:
    assert api.get(f"/tasks/{uuid.uuid4()}").json()["output"]["task_status"] == "UNKNOWN"
    assert fake.created_count == 0
    assert fake.billed_images == []


def test_async_path_without_async_header_is_refused(fake: FakeDashScope, api: httpx.Client) -> None:
    response = api.post(ASYNC, json=body())
    assert response.status_code == 403
    assert response.json()["code"] == "AccessDenied"
    assert "synchronous" in response.json()["message"]
    assert fake.created_count == 0


def test_unknown_path_is_404_dashscope_error(api: httpx.Client) -> None:
    response = api.get("/services/aigc/text-generation/generation")
    assert response.status_code == 404
    assert set(response.json()) == {"request_id", "code", "message"}


def test_wrong_method_is_405(api: httpx.Client) -> None:
    response = api.get(SYNC)
    assert response.status_code == 405
    assert response.json()["code"] == "MethodNotAllowed"


def test_requests_are_recorded_with_lower_case_headers_and_json(fake: FakeDashScope, api: httpx.Client) -> None:
    sent = body(prompt="recorded")
    api.post(SYNC, json=sent, headers={"X-Custom-Thing": "yes"})
    record = fake.requests_for("sync")[0]
    assert record.method == "POST"
    assert record.path == "/api/v1" + SYNC
    assert record.headers["x-custom-thing"] == "yes"
    assert record.headers["authorization"] == f"Bearer {fake.api_key}"
    assert record.json == sent
    assert record.listener == "api"


def test_downloads_are_recorded_with_their_headers(fake: FakeDashScope, api: httpx.Client) -> None:
    url = image_urls(api.post(SYNC, json=body()).json())[0]
    get(url, headers={"Authorization": "Bearer leaked"})
    download = fake.requests_for("download")[0]
    assert download.listener == "result"
    assert download.headers["authorization"] == "Bearer leaked"
    assert "Expires" in download.query and "Signature" in download.query


def test_keep_alive_serves_many_requests_on_one_connection(fake: FakeDashScope) -> None:
    with httpx.Client(
        base_url=fake.base_url, headers={"Authorization": f"Bearer {fake.api_key}"}, verify=SSL_CONTEXT
    ) as client:
        ports = set()
        for _ in range(5):
            response = client.get(f"/tasks/{uuid.uuid4()}")
            stream = response.extensions["network_stream"]
            ports.add(stream.get_extra_info("client_addr")[1])
        assert len(ports) == 1
