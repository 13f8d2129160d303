"""The fake's account-level behaviour (issue 14): the §6 limits answered with 429, the task listing
(§1.2 [SDK]), queries of any task of the key, and text-to-image presets that are not always square
(§9: the reference's own 2K example came back 2985*1405)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.fake_dashscope import FakeDashScope
from tests.fake_dashscope.server import TEXT_PRESET_ASPECTS
from tests.fake_dashscope.testkit import ASYNC, ASYNC_HEADERS, SSL_CONTEXT, SYNC, body


def _create(api: httpx.Client, **parameters: Any) -> httpx.Response:
    return api.post(ASYNC, json=body(**parameters), headers=ASYNC_HEADERS)


def _task(api: httpx.Client, **parameters: Any) -> str:
    response = _create(api, **parameters)
    assert response.status_code == 200, response.text
    return str(response.json()["output"]["task_id"])


def _finish(api: httpx.Client, task_id: str) -> None:
    while api.get(f"/tasks/{task_id}").json()["output"]["task_status"] in ("PENDING", "RUNNING"):
        pass


# ------------------------------------------------------------------------------------------ limits
def test_a_sixth_task_in_progress_is_throttled_until_one_ends(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.limits.submissions_per_second = 100  # only the in-progress limit here
    tasks = [_task(api) for _ in range(5)]
    refused = _create(api)
    assert refused.status_code == 429 and refused.json()["code"] == "Throttling.RateQuota"
    assert "in progress" in refused.json()["message"]
    _finish(api, tasks[0])
    assert _create(api).status_code == 200
    assert fake.limits.refused == ["in_progress"]


def test_a_sixth_submission_within_a_second_is_throttled(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.polls_pending = fake.polls_running = 0
    fake.limits.tasks_in_progress = 100  # only the per-second limit here
    started = time.monotonic()
    answers = [api.post(SYNC, json=body()).status_code for _ in range(6)]
    if time.monotonic() - started < 1.0:  # a slow machine may spread them over more than a second
        assert answers == [200] * 5 + [429]
        assert fake.limits.refused == ["submissions"]
    assert fake.created_count == answers.count(200)


def test_more_than_20_queries_a_second_are_throttled(fake: FakeDashScope, api: httpx.Client) -> None:
    task_id = _task(api)
    started = time.monotonic()
    answers = [api.get(f"/tasks/{task_id}").status_code for _ in range(25)]
    if time.monotonic() - started < 1.0:
        assert answers.count(429) == 5 and answers[:20] == [200] * 20
    assert "queries" in fake.limits.refused or time.monotonic() - started >= 1.0


def test_limits_can_be_switched_off_for_a_test_that_needs_more(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.limits.enabled = False
    assert all(_create(api).status_code == 200 for _ in range(8))
    assert fake.limits.refused == []


# ------------------------------------------------------------------------------------------ listing
def test_listing_answers_the_sdk_shape_newest_first(fake: FakeDashScope, api: httpx.Client) -> None:
    first, second = _task(api), _task(api, model="wan2.7-image")
    response = api.get("/tasks", params={"page_no": 1, "page_size": 10})
    assert response.status_code == 200
    data = response.json()
    assert {"request_id", "data", "total", "total_page", "page_no", "page_size"} <= set(data)
    assert [entry["task_id"] for entry in data["data"]] == [second, first]
    entry = data["data"][0]
    assert entry["model_name"] == "wan2.7-image" and entry["status"] == "PENDING"
    assert isinstance(entry["gmt_create"], int) and entry["gmt_create"] > 1_600_000_000_000  # epoch ms
    assert (data["total"], data["total_page"], data["page_no"], data["page_size"]) == (2, 1, 1, 10)


def test_listing_filters_by_model_status_and_time_and_pages(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.limits.enabled = False
    fake.polls_pending = fake.polls_running = 0
    pro = [_task(api) for _ in range(3)]
    standard = _task(api, model="wan2.7-image")
    _finish(api, pro[0])
    by_model = api.get("/tasks", params={"model_name": "wan2.7-image"}).json()
    assert [e["task_id"] for e in by_model["data"]] == [standard]
    done = api.get("/tasks", params={"status": "SUCCEEDED"}).json()
    assert [e["task_id"] for e in done["data"]] == [pro[0]]
    page = api.get("/tasks", params={"model_name": "wan2.7-image-pro", "page_size": 2, "page_no": 2}).json()
    assert [e["task_id"] for e in page["data"]] == [pro[0]] and page["total_page"] == 2
    later = time.strftime("%Y%m%d%H%M%S", time.localtime(fake.now() + 3600))
    assert api.get("/tasks", params={"start_time": later}).json()["data"] == []


def test_listing_forgets_tasks_after_24_hours(fake: FakeDashScope, api: httpx.Client) -> None:
    _task(api)
    fake.advance_clock(24 * 3600 + 1)
    assert api.get("/tasks").json()["data"] == []


@pytest.mark.parametrize(
    "params", [{"page_size": "0"}, {"page_no": "x"}, {"status": "DONE"}, {"start_time": "2025-01-01"}]
)
def test_listing_refuses_bad_parameters(api: httpx.Client, params: dict[str, str]) -> None:
    response = api.get("/tasks", params=params)
    assert response.status_code == 400 and response.json()["code"] == "InvalidParameter"


# -------------------------------------------------------------------------------- any task of the key
def test_any_task_of_the_key_can_be_queried_from_another_connection(fake: FakeDashScope, api: httpx.Client) -> None:
    task_id = _task(api)
    with httpx.Client(
        base_url=fake.base_url, headers={"Authorization": f"Bearer {fake.api_key}"}, verify=SSL_CONTEXT
    ) as other:
        assert other.get(f"/tasks/{task_id}").json()["output"]["task_id"] == task_id


# ---------------------------------------------------------------------------------- preset aspects
def test_text_to_image_presets_are_not_always_square(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.limits.enabled = False
    fake.result_image_mode = "real"
    sizes = set()
    for seed in range(12):
        answer = api.post(SYNC, json=body(size="1K", seed=seed)).json()
        sizes.add(answer["usage"]["size"])
    assert "1024*1024" in sizes and len(sizes) > 1, sizes
    for size in sizes:
        width, height = (int(v) for v in size.split("*"))
        assert abs(width * height - 1024 * 1024) / (1024 * 1024) < 0.01  # the preset's pixel budget


def test_the_reference_example_shape_comes_back_at_2k(fake: FakeDashScope, api: httpx.Client) -> None:
    assert (2985, 1405) in TEXT_PRESET_ASPECTS
    fake.text_preset_aspects = ((2985, 1405),)
    fake.result_image_mode = "real"
    answer = api.post(SYNC, json=body(size="2K")).json()
    assert answer["usage"]["size"] == "2985*1405"


def test_a_pinned_square_aspect_gives_square_presets(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.text_preset_aspects = ((1, 1),)
    fake.result_image_mode = "real"
    assert api.post(SYNC, json=body(size="1K", seed=3)).json()["usage"]["size"] == "1024*1024"
