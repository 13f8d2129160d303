"""Task lifecycle (§4.3), cancel (§1.2), lifetimes (§4.5), billing (§6) and result downloads."""

from __future__ import annotations

import struct
import threading
from typing import Any

import httpx

from tests.fake_dashscope import FakeDashScope
from tests.fake_dashscope.testkit import ASYNC, ASYNC_HEADERS, SSL_CONTEXT, SYNC, body, get, image_urls

DAY = 24 * 3600


def _create(api: httpx.Client, **parameters: Any) -> str:
    response = api.post(ASYNC, json=body(**parameters), headers=ASYNC_HEADERS)
    assert response.status_code == 200, response.text
    return str(response.json()["output"]["task_id"])


def _status(api: httpx.Client, task_id: str) -> str:
    return str(api.get(f"/tasks/{task_id}").json()["output"]["task_status"])


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_polls_pending_and_running_set_the_number_of_answers(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.polls_pending, fake.polls_running = 2, 3
    task_id = _create(api)
    seen = [_status(api, task_id) for _ in range(6)]
    assert seen == ["PENDING"] * 2 + ["RUNNING"] * 3 + ["SUCCEEDED"]


def test_zero_polls_succeed_on_the_first_query(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.polls_pending = fake.polls_running = 0
    assert _status(api, _create(api)) == "SUCCEEDED"


def test_terminal_state_is_stable(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.polls_pending = fake.polls_running = 0
    task_id = _create(api, n=2)
    first = api.get(f"/tasks/{task_id}").json()
    second = api.get(f"/tasks/{task_id}").json()
    assert first["output"] == second["output"]
    assert len(fake.billed_images) == 2


def test_virtual_clock_drives_the_lifecycle_when_configured(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.polls_pending = fake.polls_running = 1000
    fake.pending_seconds, fake.running_seconds = 10, 60
    task_id = _create(api)
    assert _status(api, task_id) == "PENDING"
    fake.advance_clock(11)
    assert _status(api, task_id) == "RUNNING"
    fake.advance_clock(60)
    assert fake.tasks[task_id].status == "SUCCEEDED"  # billed even before anyone asks
    assert len(fake.billed_images) == 1
    assert _status(api, task_id) == "SUCCEEDED"


def test_cancel_pending_task(fake: FakeDashScope, api: httpx.Client) -> None:
    task_id = _create(api, n=3)
    response = api.post(f"/tasks/{task_id}/cancel")
    assert response.status_code == 200
    assert set(response.json()) == {"request_id"}
    data = api.get(f"/tasks/{task_id}").json()
    assert data["output"]["task_status"] == "CANCELED"
    assert "usage" not in data
    assert fake.billed_images == []


def test_cancel_running_task_is_unsupported_operation(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.polls_pending = 0
    task_id = _create(api)
    assert _status(api, task_id) == "RUNNING"
    response = api.post(f"/tasks/{task_id}/cancel")
    assert response.status_code == 400
    assert response.json()["code"] == "UnsupportedOperation"
    assert set(response.json()) == {"request_id", "code", "message"}
    assert _status(api, task_id) == "SUCCEEDED"


def test_cancel_unknown_task_is_unsupported_operation(api: httpx.Client) -> None:
    response = api.post("/tasks/no-such-task/cancel")
    assert response.json()["code"] == "UnsupportedOperation"


def test_task_is_unknown_after_24_hours(fake: FakeDashScope, api: httpx.Client) -> None:
    task_id = _create(api)
    fake.advance_clock(DAY - 60)
    assert _status(api, task_id) == "PENDING"
    fake.advance_clock(120)
    assert _status(api, task_id) == "UNKNOWN"


def test_result_url_downloads_a_png_without_the_key(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.result_image_mode = "real"
    data = api.post(SYNC, json=body(size="1280*720")).json()
    (url,) = image_urls(data)
    download = get(url)
    assert download.status_code == 200
    assert download.headers["content-type"] == "image/png"
    assert _png_size(download.content) == (1280, 720)
    assert "authorization" not in fake.requests_for("download")[0].headers


def test_small_mode_caps_the_side_and_reports_the_real_size(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.result_image_mode = "small"
    data = api.post(SYNC, json=body(size="2048*1024")).json()
    assert data["usage"]["size"] == "256*128"
    assert _png_size(get(image_urls(data)[0]).content) == (256, 128)


def test_results_of_one_request_differ(fake: FakeDashScope, api: httpx.Client) -> None:
    urls = image_urls(api.post(SYNC, json=body(n=2)).json())
    first, second = (get(url).content for url in urls)
    assert first != second


def test_noise_mode_is_incompressible(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.result_image_mode = "noise"
    url = image_urls(api.post(SYNC, json=body(size="1024*1024")).json())[0]
    assert len(get(url).content) > 1024 * 1024 * 3


def test_a_result_is_a_stored_object_with_its_md5_as_etag(fake: FakeDashScope, api: httpx.Client) -> None:
    """OSS computes a simple upload's ETag (its MD5) when it stores it; every download gives the same."""
    import hashlib

    url = image_urls(api.post(SYNC, json=body()).json())[0]
    first, again = get(url), get(url)
    assert first.content == again.content
    assert first.headers["etag"] == again.headers["etag"] == f'"{hashlib.md5(first.content).hexdigest().upper()}"'


def test_results_can_be_stored_when_answered_as_a_result_host_holds_them(
    fake: FakeDashScope, api: httpx.Client, monkeypatch: Any
) -> None:
    """`store_results_on_answer` (the benchmarks): a result's bytes are made before the service
    reports it, so its download has only the download in it; by default on the first download."""
    from tests.fake_dashscope import pngmaker

    made: list[tuple[int, int]] = []
    real = pngmaker.pattern_png

    def pattern_png(width: int, height: int, *args: Any) -> bytes:
        made.append((width, height))
        return real(width, height, *args)

    monkeypatch.setattr(pngmaker, "pattern_png", pattern_png)
    url = image_urls(api.post(SYNC, json=body()).json())[0]
    assert made == []
    get(url)
    assert len(made) == 1  # made on its first download

    fake.store_results_on_answer = True
    url = image_urls(api.post(SYNC, json=body()).json())[0]
    assert len(made) == 2  # made before the sync answer
    fake.polls_pending = fake.polls_running = 0
    task_id = _create(api)
    assert len(made) == 2
    assert _status(api, task_id) == "SUCCEEDED" and len(made) == 3  # made by the query that ended it
    assert _status(api, task_id) == "SUCCEEDED" and len(made) == 3
    task_url = image_urls(api.get(f"/tasks/{task_id}").json())[0]
    assert get(url).status_code == get(task_url).status_code == 200 and len(made) == 3  # served as stored


def test_result_url_expires_after_24_hours_with_oss_xml(fake: FakeDashScope, api: httpx.Client) -> None:
    url = image_urls(api.post(SYNC, json=body()).json())[0]
    fake.advance_clock(DAY + 1)
    response = get(url)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/xml"
    assert "<Code>AccessDenied</Code>" in response.text
    assert "<Message>Request has expired.</Message>" in response.text


def test_tampered_signature_is_refused(fake: FakeDashScope, api: httpx.Client) -> None:
    url = image_urls(api.post(SYNC, json=body()).json())[0]
    response = get(url.replace("Expires=", "Expires=9"))
    assert response.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in response.text


def test_unknown_object_is_404_no_such_key(fake: FakeDashScope) -> None:
    response = get(f"{fake.result_host}/bucket/20250101/x/{'0' * 32}.png")
    assert response.status_code == 404
    assert "<Code>NoSuchKey</Code>" in response.text


def test_billing_counts_only_generated_images(fake: FakeDashScope, api: httpx.Client) -> None:
    api.post(SYNC, json=body(n=2))
    api.post(SYNC, json=body(n=9))  # refused: not billed
    fake.polls_pending = fake.polls_running = 0
    task_id = _create(api, n=3)
    assert fake.created_count == 2
    assert len(fake.billed_images) == 2  # the task has not finished yet
    _status(api, task_id)
    billed = fake.billed_images
    assert len(billed) == 5
    assert [owner for owner, _ in billed[2:]] == [task_id] * 3


def test_run_tasks_finishes_unpolled_tasks(fake: FakeDashScope, api: httpx.Client) -> None:
    task_id = _create(api, n=2)
    fake.run_tasks()
    assert fake.tasks[task_id].status == "SUCCEEDED"
    assert len(fake.billed_images) == 2


def test_image_sets_deliver_at_most_n(fake: FakeDashScope, api: httpx.Client) -> None:
    assert api.post(SYNC, json=body(n=6, enable_sequential=True)).json()["usage"]["image_count"] == 6
    fake.sequential_images = 3
    data = api.post(SYNC, json=body(n=6, enable_sequential=True)).json()
    assert data["usage"]["image_count"] == 3
    assert len(image_urls(data)) == 3


def test_concurrent_creates_are_all_counted(fake: FakeDashScope) -> None:
    fake.limits.enabled = False  # 40 creates at once, far beyond the account's limits: counting is tested here

    def create() -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {fake.api_key}"}, verify=SSL_CONTEXT) as client:
            for _ in range(5):
                client.post(fake.base_url + ASYNC, json=body(), headers=ASYNC_HEADERS)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake.created_count == 40
    assert len(fake.tasks) == 40
