"""The task listing as read (`api/tasklist.py`): which task times can be compared with ours, and how
far the service's clock is from ours (its `Date` header), leniently read and over real HTTP."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.tasklist import clock_offset, parse_task_page

NOW = datetime(2026, 12, 7, 10, 0, 0, tzinfo=timezone.utc)


def _page(entry: dict) -> object:
    return parse_task_page({"request_id": "r", "data": [{"task_id": "t-1", "status": "SUCCEEDED", **entry}]})


@pytest.mark.parametrize(
    ("entry", "exact"),
    [
        ({"gmt_create": 1_796_637_600_000}, True),  # the SDKs' shape: epoch milliseconds
        ({"gmt_create": "1796637600"}, True),  # epoch seconds as digits
        ({"submit_time": "2026-12-07 10:00:00.000"}, False),  # text in an unstated zone
        ({"gmt_create": "garbled", "submit_time": 1_796_637_600_000}, True),  # the first readable one
        ({}, False),
    ],
)
def test_only_epoch_times_count_as_exact(entry: dict, exact: bool) -> None:
    (task,) = _page(entry).tasks  # type: ignore[attr-defined]
    assert task.exact_times is exact
    assert (task.submitted is not None) is bool(entry)


@pytest.mark.parametrize(
    ("header", "offset"),
    [
        ("Mon, 07 Dec 2026 10:10:00 GMT", 600.5),  # the service ten minutes ahead (mid-second)
        ("Mon, 07 Dec 2026 09:59:58 GMT", -1.5),
        (None, None),
        ("", None),
        ("yesterday-ish", None),
    ],
)
def test_the_clock_offset_comes_from_the_date_header(header: str | None, offset: float | None) -> None:
    assert clock_offset(header, NOW) == offset
    page = parse_task_page({"data": []}, date_header=header, received=NOW)
    assert page.clock_offset_s == offset


def test_the_offset_over_real_http_follows_the_services_clock(fake_dashscope) -> None:
    with DashScopeClient(fake_dashscope.api_key, fake_dashscope.base_url) as client:
        level = client.list_tasks().clock_offset_s
        fake_dashscope.advance_clock(600)
        ahead = client.list_tasks().clock_offset_s
    assert level is not None and abs(level) < 2
    assert ahead is not None and 598 < ahead < 602
