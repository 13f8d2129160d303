"""Fuzzing (issue 8): whatever the service or a proxy sends, parsers raise only WanError subclasses."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.api.test_responses import SYNC_OK
from wan27_desktop.api.errors import WanError
from wan27_desktop.api.responses import (
    decode_json,
    error_from_response,
    parse_generation,
    parse_submission,
    parse_task,
    task_error,
)
from wan27_desktop.api.results import GenerationResult, TaskSnapshot, TaskSubmission

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
known_keys = st.sampled_from(
    [
        "request_id",
        "output",
        "usage",
        "code",
        "message",
        "choices",
        "message",
        "content",
        "image",
        "task_id",
        "task_status",
        "task_metrics",
        "image_count",
        "results",
        "url",
        "error",
        "TOTAL",
    ]
)
shaped_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(known_keys, inner, max_size=5),
    max_leaves=25,
)

TASK_OK = {
    "request_id": "q",
    "output": {**SYNC_OK["output"], "task_id": "t", "task_status": "SUCCEEDED"},
    "usage": {"image_count": 2},
}
CREATE_OK = {"request_id": "c", "output": {"task_id": "t", "task_status": "PENDING"}}
SHAPES = [SYNC_OK, TASK_OK, CREATE_OK, {"request_id": "r", "code": "Throttling", "message": "m"}]


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, prefix + (index,))
    return out


@st.composite
def mutated_shapes(draw):
    """A documented response with one subtree replaced by something random (or deleted)."""
    document = copy.deepcopy(draw(st.sampled_from(SHAPES)))
    path = draw(st.sampled_from(_paths(document)))
    if not path:
        return draw(shaped_values)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(shaped_values)
    return document


def _only_wan_errors(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except WanError:
        return None


@settings(max_examples=400, deadline=None)
@given(mutated_shapes() | shaped_values | json_values)
def test_parse_generation_raises_only_wan_errors(document):
    result = _only_wan_errors(parse_generation, document)
    assert result is None or isinstance(result, GenerationResult)
    if result is not None:
        assert all(isinstance(url, str) and url for url in result.image_urls)


@settings(max_examples=400, deadline=None)
@given(mutated_shapes() | shaped_values | json_values)
def test_parse_submission_raises_only_wan_errors(document):
    result = _only_wan_errors(parse_submission, document)
    assert result is None or (isinstance(result, TaskSubmission) and isinstance(result.task_id, str))


@settings(max_examples=400, deadline=None)
@given(mutated_shapes() | shaped_values | json_values, st.none() | st.just("queried-id"))
def test_parse_task_raises_only_wan_errors(document, task_id):
    snapshot = _only_wan_errors(parse_task, document, task_id=task_id)
    if snapshot is not None:
        assert isinstance(snapshot, TaskSnapshot)
        error = task_error(snapshot)
        assert error is None or isinstance(error, WanError)


@settings(max_examples=400, deadline=None)
@given(
    st.integers(min_value=300, max_value=599),
    (mutated_shapes() | shaped_values | json_values).map(lambda v: json.dumps(v).encode()) | st.binary(max_size=200),
    st.none() | st.floats(min_value=0, max_value=1e6),
)
def test_error_from_response_always_returns_a_wan_error(status, body, retry_after):
    error = error_from_response(status, body, retry_after=retry_after)
    assert isinstance(error, WanError)
    assert isinstance(error.message, str) and error.message
    assert isinstance(error.hint, str) and error.hint
    assert error.code is None or isinstance(error.code, str)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_decode_json_raises_only_wan_errors(raw):
    result = _only_wan_errors(decode_json, raw)
    assert result is None or isinstance(result, dict)


def test_deeply_nested_json_is_a_wan_error_not_a_recursion_error():
    deep = b"[" * 100_000 + b"]" * 100_000
    result = _only_wan_errors(decode_json, deep)
    assert result is None


# ------------------------------------------------------------------ through the client, over HTTP
_STATUSES = st.sampled_from([200, 200, 200, 201, 400, 401, 403, 404, 408, 413, 429, 500, 502, 503, 504])
_BODIES = (mutated_shapes() | shaped_values).map(lambda v: json.dumps(v).encode()) | st.binary(max_size=120)


@settings(max_examples=200, deadline=None)
@given(_STATUSES, _BODIES, st.sampled_from(["generate", "submit_task", "query_task", "cancel_task", "check_key"]))
def test_client_operations_raise_only_wan_errors(status, body, operation):
    import httpx

    from wan27_desktop.api.client import DashScopeClient
    from wan27_desktop.api.retry import RetryPolicy

    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    with DashScopeClient(
        "sk-fuzz-key-000000000000000",
        "https://dashscope-intl.aliyuncs.com/api/v1",
        transport=transport,
        retry_policy=RetryPolicy(max_attempts=1),
    ) as client:
        call = getattr(client, operation)
        args = ({"model": "m"},) if operation in ("generate", "submit_task") else ("t-1",)
        _only_wan_errors(call, *args[: 0 if operation == "check_key" else 1])
