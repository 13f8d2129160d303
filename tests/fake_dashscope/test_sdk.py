"""The official `dashscope` SDK against the fake: a second, independent reading of the protocol
(`ImageGeneration.call / async_call / fetch / wait / cancel / list`). Where the SDK and our client
both work against the fake, the fake follows what the service's own SDK expects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fake_dashscope import FakeDashScope

dashscope = pytest.importorskip("dashscope")
from dashscope.aigc.image_generation import ImageGeneration  # noqa: E402

MESSAGES = [{"role": "user", "content": [{"text": "a lighthouse at dusk"}]}]


@pytest.fixture
def sdk(fake: FakeDashScope, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """The SDK pointed at the fake (its base URL is a module global), and the arguments every
    call takes."""
    monkeypatch.setattr(dashscope, "base_http_api_url", fake.base_url)
    yield {"api_key": fake.api_key}


def test_sdk_call_generates_synchronously(fake: FakeDashScope, sdk: dict[str, Any]) -> None:
    response = ImageGeneration.call(model="wan2.7-image-pro", messages=MESSAGES, n=2, size="1K", **sdk)
    assert response.status_code == 200, response.message
    images = [item["image"] for choice in response.output.choices for item in choice.message.content]
    assert len(images) == 2 and response.usage.image_count == 2
    assert fake.requests_for(op="sync")[0].json["parameters"]["n"] == 2


def test_sdk_async_call_fetch_and_wait(fake: FakeDashScope, sdk: dict[str, Any]) -> None:
    fake.polls_pending = fake.polls_running = 1
    created = ImageGeneration.async_call(model="wan2.7-image", messages=MESSAGES, n=1, size="1K", **sdk)
    assert created.status_code == 200 and created.output.task_status == "PENDING"
    assert fake.requests_for(op="create")[0].headers["x-dashscope-async"] == "enable"
    fetched = ImageGeneration.fetch(created, **sdk)
    assert fetched.status_code == 200 and fetched.output.task_status == "PENDING"
    done = ImageGeneration.wait(created, **sdk)
    assert done.status_code == 200 and done.output.task_status == "SUCCEEDED"
    assert done.usage.image_count == 1
    assert [url for _, url in fake.billed_images] == [done.output.choices[0].message.content[0]["image"]]


def test_sdk_cancel_of_a_pending_task_and_refusal_for_a_running_one(fake: FakeDashScope, sdk: dict[str, Any]) -> None:
    pending = ImageGeneration.async_call(model="wan2.7-image-pro", messages=MESSAGES, n=1, size="1K", **sdk)
    assert ImageGeneration.cancel(pending, **sdk).status_code == 200
    assert ImageGeneration.fetch(pending, **sdk).output.task_status == "CANCELED"

    fake.polls_pending = 0
    running = ImageGeneration.async_call(model="wan2.7-image-pro", messages=MESSAGES, n=1, size="1K", **sdk)
    assert ImageGeneration.fetch(running, **sdk).output.task_status == "RUNNING"
    refused = ImageGeneration.cancel(running, **sdk)
    assert refused.status_code == 400 and refused.code == "UnsupportedOperation"


def test_sdk_list_pages_through_the_accounts_tasks(fake: FakeDashScope, sdk: dict[str, Any]) -> None:
    ids = [
        ImageGeneration.async_call(model="wan2.7-image-pro", messages=MESSAGES, n=1, size="1K", **sdk).output.task_id
        for _ in range(3)
    ]
    first = ImageGeneration.list(page_no=1, page_size=2, model_name="wan2.7-image-pro", **sdk)
    assert first.status_code == 200, first.message
    second = ImageGeneration.list(page_no=2, page_size=2, model_name="wan2.7-image-pro", **sdk)
    listed = [entry["task_id"] for entry in first.output["data"] + second.output["data"]]
    assert listed == list(reversed(ids))
    assert first.output["total"] == 3 and first.output["total_page"] == 2
    pending = ImageGeneration.list(status="PENDING", **sdk)
    assert {entry["task_id"] for entry in pending.output["data"]} == set(ids)


def test_our_client_reads_what_the_sdk_made(fake: FakeDashScope, sdk: dict[str, Any]) -> None:
    """A task made by the SDK (another program, another machine) is listed and queried by ours."""
    from wan27_desktop.api.client import DashScopeClient

    task_id = ImageGeneration.async_call(model="wan2.7-image", messages=MESSAGES, n=1, size="1K", **sdk).output.task_id
    with DashScopeClient(fake.api_key, fake.base_url) as client:
        page = client.list_tasks(model_name="wan2.7-image")
        assert [task.task_id for task in page.tasks] == [task_id]
        assert page.tasks[0].model_name == "wan2.7-image" and page.tasks[0].submitted is not None
        assert client.query_task(task_id).task_id == task_id
