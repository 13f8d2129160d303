"""Fuzzing the API layer's public functions end to end (issue 8).

tests/api/test_fuzz_responses.py fuzzes the parsers on their own; here whatever a hostile server
can send goes through the real `DashScopeClient` (status mapping, Retry-After, retries, error
bodies) and `download_result` (redirects, caps, image verification) over an httpx transport, and
random requests go through validation, body building and the fake server's independent validator.
The only exceptions allowed out are `WanError` subclasses.
"""

from __future__ import annotations

import copy
import itertools
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fake_dashscope.validation import ApiError, InputPolicy, validate_body
from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.download import download_result, url_expires_at
from wan27_desktop.api.errors import ValidationError, WanError
from wan27_desktop.api.imageformat import verify_bytes
from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Model, PaletteColor
from wan27_desktop.api.request_body import build_body
from wan27_desktop.api.results import GenerationResult, TaskSnapshot, TaskSubmission
from wan27_desktop.api.retry import RetryPolicy, parse_retry_after
from wan27_desktop.api.validation import balance_ratios, check

FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
NO_WAIT = RetryPolicy(max_attempts=2, base_delay=0.0, max_delay=0.0, max_retry_after=0.0, sleep=lambda s: None)
KEY = "sk-fuzz-0123456789abcdef"
URL = "https://dashscope-result-intl.oss-cn-singapore.aliyuncs.com/a.png?Expires=1700000000&Signature=x"

# -- every documented response shape (§4.1-§4.4), to be mutated
SYNC_OK = {
    "request_id": "a3f4",
    "output": {
        "finished": True,
        "choices": [
            {"finish_reason": "stop", "message": {"role": "assistant", "content": [{"type": "image", "image": URL}]}}
        ],
    },
    "usage": {"image_count": 1, "size": "1024*1024", "input_tokens": 1, "output_tokens": 2, "total_tokens": 3},
}
CREATE_OK = {"request_id": "c", "output": {"task_id": "t-1", "task_status": "PENDING"}}
TASKS = [
    {"request_id": "q", "output": {"task_id": "t-1", "task_status": status, "submit_time": "2025-01-01 00:00:00.000"}}
    for status in ("PENDING", "RUNNING", "CANCELED", "UNKNOWN")
]
TASK_OK = {
    "request_id": "q",
    "output": {
        **SYNC_OK["output"],
        "task_id": "t-1",
        "task_status": "SUCCEEDED",
        "task_metrics": {"TOTAL": 2, "SUCCEEDED": 1, "FAILED": 1},
    },
    "usage": {"image_count": 1},
}
TASK_FAILED = {
    "request_id": "q",
    "output": {"task_id": "t-1", "task_status": "FAILED", "code": "DataInspectionFailed", "message": "blocked"},
}
ERROR = {"request_id": "e", "code": "Throttling.RateQuota", "message": "slow down"}
SHAPES = [SYNC_OK, CREATE_OK, *TASKS, TASK_OK, TASK_FAILED, ERROR, {"error": {"code": "InternalError"}}]

scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=False) | st.text(max_size=16)
keys = st.sampled_from(
    [
        "request_id",
        "output",
        "usage",
        "code",
        "message",
        "choices",
        "content",
        "image",
        "task_id",
        "task_status",
        "task_metrics",
        "image_count",
        "results",
        "url",
        "error",
    ]
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys | st.text(max_size=6), inner, max_size=4),
    max_leaves=16,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    document = copy.deepcopy(draw(st.sampled_from(SHAPES)))
    path = draw(st.sampled_from(_paths(document)))
    if not path:
        return draw(values)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if isinstance(parent, dict) and draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(values)
    return document


bodies = (
    mutated().map(lambda d: json.dumps(d).encode())
    | st.sampled_from(SHAPES).map(lambda d: json.dumps(d).encode())
    | st.binary(max_size=200)
    | st.sampled_from(
        [
            b"",
            b"<html><body>502 Bad Gateway</body></html>",
            b"null",
            b"[]",
            b"{",
            b"\xff\xfe\x00",
            b'{"a": ' * 3000,
            b"1e999999",
        ]
    )
)
statuses = st.sampled_from(
    [200, 201, 204, 301, 302, 400, 401, 403, 404, 408, 413, 415, 429, 500, 502, 503, 504]
) | st.integers(200, 599)
headers = st.fixed_dictionaries(
    {},
    optional={
        "Retry-After": st.text(max_size=30)
        | st.integers(-10, 10**12).map(str)
        | st.sampled_from(["Wed, 21 Oct 2015 07:28:00 GMT", "nan", "inf", "-1", "1e308"]),
        "x-request-id": st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
        "Content-Type": st.sampled_from(["application/json", "text/html", "image/png", "x/y"]),
        "Content-Encoding": st.sampled_from(["identity", "gzip", "deflate", "br", "bogus"]),
    },
)
answers = st.lists(st.tuples(statuses, bodies, headers), min_size=1, max_size=3)


def _wire(extra: dict[str, str]) -> dict[str, bytes]:
    """Header values as raw bytes, as they arrive off the network (any byte, not only ASCII)."""
    return {name: value.encode("utf-8", "surrogatepass") for name, value in extra.items()}


def _client(answers_list: list[tuple[int, bytes, dict[str, str]]]) -> DashScopeClient:
    # Endless: throttling is tried again for a minute's budget (up to 12 tries), not 4.
    replies = itertools.cycle(answers_list)

    def handler(request: httpx.Request) -> httpx.Response:
        status, body, extra = next(replies)
        return httpx.Response(status, content=body, headers=_wire(extra))

    return DashScopeClient(
        KEY, "https://dashscope-intl.aliyuncs.com/api/v1", transport=httpx.MockTransport(handler), retry_policy=NO_WAIT
    )


def _only_wan_errors(call: Any) -> Any:
    try:
        return call()
    except WanError as err:
        assert err.message and err.hint
        assert KEY not in str(err) + err.hint
        return err


BODY = {
    "model": "wan2.7-image",
    "input": {"messages": [{"role": "user", "content": [{"text": "x"}]}]},
    "parameters": {"n": 1, "size": "1K"},
}


@FUZZ
@given(answers)
def test_client_generate_and_submit_raise_only_wan_errors(replies):
    with _client(replies) as client:
        result = _only_wan_errors(lambda: client.generate(BODY))
        assert isinstance(result, (GenerationResult, WanError))
        submission = _only_wan_errors(lambda: client.submit_task(BODY))
        assert isinstance(submission, (TaskSubmission, WanError))


@FUZZ
@given(answers)
def test_client_query_cancel_wait_and_key_check_raise_only_wan_errors(replies):
    ticks = iter(range(1000))
    with _client(replies) as client:
        assert isinstance(_only_wan_errors(lambda: client.query_task("t-1")), (TaskSnapshot, WanError))
        _only_wan_errors(lambda: client.cancel_task("t-1"))
        waited = _only_wan_errors(
            lambda: client.wait_for_task(
                "t-1", interval=(0, 0), deadline_s=3, sleep=lambda s: None, clock=lambda: float(next(ticks))
            )
        )
        assert isinstance(waited, (TaskSnapshot, WanError))
        check = _only_wan_errors(client.check_key)
        assert isinstance(check, WanError) or check.valid in (True, False)


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes(width * 3) for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


GOOD_PNG = _png(16, 16)


@st.composite
def image_bytes(draw: st.DrawFn) -> bytes:
    """A real PNG with bytes flipped, cut or appended; or a header declaring random dimensions."""
    kind = draw(st.sampled_from(["flip", "cut", "dims", "random"]))
    data = bytearray(GOOD_PNG)
    if kind == "flip":
        for index in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=6)):
            data[index] ^= draw(st.integers(1, 255))
    elif kind == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif kind == "dims":
        data[16:24] = struct.pack(">II", draw(st.integers(0, 2**32 - 1)), draw(st.integers(0, 2**32 - 1)))
    else:
        data = bytearray(draw(st.binary(max_size=300)))
    return bytes(data)


@FUZZ
@given(image_bytes())
def test_image_verification_raises_only_wan_errors(data):
    _only_wan_errors(lambda: verify_bytes(data))


download_answers = st.lists(
    st.tuples(
        st.sampled_from([200, 200, 200, 206, 301, 302, 307, 403, 404, 429, 500, 503]),
        image_bytes() | bodies,
        st.fixed_dictionaries(
            {},
            optional={
                "Location": st.text(max_size=40)
                | st.sampled_from(
                    ["https://other.example/a.png", "ftp://x/y", "//h/p", "http://[::1", "javascript:alert(1)"]
                ),
                "Retry-After": st.text(max_size=10),
                "Content-Encoding": st.sampled_from(["identity", "gzip", "br", "bogus"]),
            },
        ),
    ),
    min_size=1,
    max_size=4,
)


@FUZZ
@given(download_answers)
def test_download_raises_only_wan_errors_and_leaves_no_partial_file(tmp_path_factory, replies):
    dest = tmp_path_factory.mktemp("fuzz-download")
    stream = iter(replies * 20)

    def handler(request: httpx.Request) -> httpx.Response:
        assert "authorization" not in request.headers
        status, body, extra = next(stream)
        return httpx.Response(status, content=body, headers=_wire(extra))

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        result = _only_wan_errors(lambda: download_result(URL, dest, client=http, retry_policy=NO_WAIT, max_bytes=4096))
    names = sorted(p.name for p in dest.iterdir())
    if isinstance(result, WanError):
        assert names == [], names  # nothing half-written
    else:
        assert names == [result.path.name] and result.path.name.startswith(result.sha256)


@FUZZ
@given(
    st.text(max_size=120)
    | st.sampled_from(
        [
            URL,
            "https://h/x.png?Expires=99999999999999999999",
            "https://h/?x-oss-date=20250101T000000Z&x-oss-expires=-5",
            "https://h/?x-oss-date=bad&x-oss-expires=1",
        ]
    )
)
def test_url_expiry_and_retry_after_parsing_never_raise(text):
    url_expires_at(text)
    seconds = parse_retry_after(text, 0.0)
    assert seconds is None or seconds >= 0


# ----------------------------------------------------------------------------- request validation

hexes = st.sampled_from(["#000000", "#FFFFFF", "#1f3a5f", "#GG0000", "red", "#12345", ""]) | st.from_regex(
    r"#[0-9A-F]{6}", fullmatch=True
)


@st.composite
def palettes(draw: st.DrawFn) -> tuple[PaletteColor, ...]:
    count = draw(st.integers(0, 12))
    if draw(st.booleans()) and count:
        ratios = balance_ratios(draw(st.lists(st.floats(0.5, 100), min_size=count, max_size=count)))
    else:
        ratios = draw(
            st.lists(
                st.floats(-5, 120, allow_nan=False) | st.sampled_from([33.33, 33.34, 25.0]),
                min_size=count,
                max_size=count,
            )
        )
    return tuple(PaletteColor(draw(hexes), ratio) for ratio in ratios)


sides = st.integers(0, 12000) | st.sampled_from([240, 767, 768, 1024, 2048, 2049, 4096, 4097, 5792, 6144])
sizes = (
    st.sampled_from(["1K", "2K", "4K", "1k", " 2K ", "8K", "", "1024*1024", "1024x1024", "1024×768"])
    | st.builds(lambda w, h: f"{w}*{h}", sides, sides)
    | st.text(max_size=12)
)
boxes = st.builds(Box, st.integers(-5, 3000), st.integers(-5, 3000), st.integers(-5, 3000), st.integers(-5, 3000))
images = st.lists(
    st.builds(
        ImageInput,
        st.sampled_from(["https://example.com/a.png", "http://example.com/b.jpg"]),
        st.lists(boxes, max_size=3).map(tuple),
    ),
    max_size=11,
).map(tuple)
prompts = st.text(max_size=40) | st.sampled_from(
    ["a fox", "x" * 5000, "x" * 5001, "שלום مرحبا", "a\x00b", "tab\tnew\nline", "\u200f", "  "]
)
requests = st.builds(
    GenerationRequest,
    prompt=prompts,
    model=st.sampled_from(list(Model)),
    images=images,
    n=st.integers(-2, 15),
    size=sizes,
    seed=st.none() | st.integers(-3, 2**31 + 3) | st.sampled_from([0, 2**31 - 1, 2**31, -1]),
    watermark=st.booleans(),
    thinking_mode=st.booleans(),
    enable_sequential=st.booleans(),
    color_palette=palettes(),
)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(requests)
def test_validation_returns_issues_or_the_body_builds_and_the_service_accepts_it(request):
    issues = check(request)  # never raises
    if issues:
        assert all(issue.field and issue.message for issue in issues)
        with pytest.raises(ValidationError):
            build_body(request)
        return
    body = build_body(request)
    json.dumps(body, allow_nan=False)
    # An independent implementation of §2-§3.4 (the fake's) must accept what ours lets through.
    try:
        validate_body(json.loads(json.dumps(body)), InputPolicy(fetch=lambda url: b""))
    except ApiError as err:
        pytest.fail(f"validation let through a request the service refuses: {err}")


def test_lying_content_encoding_is_a_readable_error_everywhere(tmp_path: Path) -> None:
    """Found by the fuzzer: `Content-Encoding: gzip` on a plain body made httpx raise DecodingError,
    which escaped the client and the downloader as a non-WanError."""
    from wan27_desktop.api.errors import InterruptedCreateError, NetworkError

    lying = [(200, json.dumps(CREATE_OK).encode(), {"Content-Encoding": "gzip"})]
    with _client(lying) as client:
        with pytest.raises(InterruptedCreateError):  # the create went out: never resent
            client.submit_task(BODY)
        with pytest.raises(NetworkError):
            client.query_task("t-1")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=GOOD_PNG, headers={"Content-Encoding": "gzip"})

    with httpx.Client(transport=httpx.MockTransport(handler)) as http, pytest.raises(NetworkError):
        download_result(URL, tmp_path, client=http, retry_policy=NO_WAIT)
    assert list(tmp_path.iterdir()) == []


def test_fuzz_module_is_reachable(tmp_path: Path) -> None:
    # Guards against the module silently collecting nothing (e.g. a strategy import failing).
    assert GOOD_PNG.startswith(b"\x89PNG") and verify_bytes(GOOD_PNG).width == 16
