"""DashScopeClient against httpx.MockTransport: exact control over every HTTP exchange."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest

from wan27_desktop import __version__
from wan27_desktop.api import errors as E
from wan27_desktop.api.client import (
    ASYNC_PATH,
    SYNC_PATH,
    DashScopeClient,
    check_key_regions,
    raise_for_task,
)
from wan27_desktop.api.models import Region
from wan27_desktop.api.results import TaskStatus
from wan27_desktop.api.retry import RetryPolicy

KEY = "sk-unit0test0key0abcdefghijklmn"
BASE = "https://dashscope-intl.aliyuncs.com/api/v1"
BODY = {
    "model": "wan2.7-image-pro",
    "input": {"messages": [{"role": "user", "content": [{"text": "x"}]}]},
    "parameters": {"size": "1K", "n": 1, "watermark": False},
}
SYNC_OK = {
    "request_id": "rid-ok",
    "output": {"choices": [{"message": {"content": [{"image": "https://r/x.png"}]}}]},
    "usage": {"image_count": 1, "size": "1024*1024"},
}


class Script:
    """A MockTransport handler that plays a list of answers and records requests."""

    def __init__(self, *answers: httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer


def ok(body: dict) -> httpx.Response:
    return httpx.Response(200, json=body)


def err(status: int, code: str | None = None, message: str = "m", headers: dict | None = None) -> httpx.Response:
    body = {"request_id": "rid-err", "message": message, **({"code": code} if code else {})}
    return httpx.Response(status, json=body, headers=headers)


def html(status: int = 502) -> httpx.Response:
    return httpx.Response(status, text="<html><body>Bad Gateway</body></html>", headers={"content-type": "text/html"})


def make(script: Script, sleeps: list[float] | None = None, **kwargs) -> DashScopeClient:
    sleeps = sleeps if sleeps is not None else []
    policy = kwargs.pop("retry_policy", None) or RetryPolicy(sleep=sleeps.append, rand=lambda: 0.5)
    return DashScopeClient(
        KEY, kwargs.pop("base_url", BASE), transport=httpx.MockTransport(script), retry_policy=policy, **kwargs
    )


# ------------------------------------------------------------------------------------ requests
def test_sync_generate_sends_the_documented_request():
    script = Script(ok(SYNC_OK))
    with make(script, workspace="ws-123") as client:
        result = client.generate(BODY)
    request = script.requests[0]
    assert request.method == "POST" and request.url.path == "/api/v1" + SYNC_PATH
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-dashscope-workspace"] == "ws-123"
    assert request.headers["user-agent"] == f"wan27-desktop/{__version__}"
    assert "x-dashscope-async" not in request.headers
    assert json.loads(request.content) == BODY
    assert result.image_urls == ("https://r/x.png",) and result.request_id == "rid-ok"


def test_async_submit_uses_the_async_path_and_header():
    script = Script(ok({"request_id": "c1", "output": {"task_id": "t-1", "task_status": "PENDING"}}))
    with make(script) as client:
        submission = client.submit_task(BODY)
    request = script.requests[0]
    assert request.url.path == "/api/v1" + ASYNC_PATH
    assert request.headers["x-dashscope-async"] == "enable"
    assert "x-dashscope-workspace" not in request.headers
    assert (submission.task_id, submission.request_id) == ("t-1", "c1")


def test_query_and_cancel_paths():
    script = Script(ok({"request_id": "q", "output": {"task_id": "t-1", "task_status": "RUNNING"}}))
    with make(script) as client:
        assert client.query_task("t-1").status is TaskStatus.RUNNING
    assert (script.requests[0].method, script.requests[0].url.path) == ("GET", "/api/v1/tasks/t-1")
    script = Script(ok({"request_id": "c"}))
    with make(script) as client:
        assert client.cancel_task("t-1") is None
    assert (script.requests[0].method, script.requests[0].url.path) == ("POST", "/api/v1/tasks/t-1/cancel")


def test_cancel_of_a_running_task_raises_the_mapped_error():
    with (
        make(Script(err(400, "UnsupportedOperation", "task is running"))) as client,
        pytest.raises(E.InvalidRequestError) as info,
    ):
        client.cancel_task("t-1")
    assert info.value.code == "UnsupportedOperation" and info.value.request_id == "rid-err"


@pytest.mark.parametrize("task_id", ["../secrets", "a/b", "", "x" * 200, "t 1"])
def test_task_ids_that_would_change_the_path_are_refused(task_id):
    script = Script(ok({}))
    with make(script) as client, pytest.raises(E.ValidationError):
        client.query_task(task_id)
    assert script.requests == []


# ------------------------------------------------------------------------- create retry rules
def test_create_retried_after_429_with_retry_after():
    sleeps: list[float] = []
    script = Script(err(429, "Throttling.RateQuota", headers={"Retry-After": "7"}), ok(SYNC_OK))
    with make(script, sleeps) as client:
        assert client.generate(BODY).request_id == "rid-ok"
    assert len(script.requests) == 2 and sleeps == [7.0]


def test_create_retried_after_5xx_with_service_error_body():
    script = Script(err(500, "InternalError"), err(503, "ModelUnavailable"), ok(SYNC_OK))
    with make(script) as client:
        assert client.generate(BODY).image_urls
    assert len(script.requests) == 3


def test_create_retried_after_connect_error_before_sending():
    script = Script(httpx.ConnectError("refused"), httpx.ConnectTimeout("slow connect"), ok(SYNC_OK))
    with make(script) as client:
        assert client.generate(BODY).image_urls
    assert len(script.requests) == 3


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("read timed out"),
        httpx.ReadError("reset"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.WriteTimeout("write timed out"),
    ],
)
def test_create_never_resubmitted_after_the_request_was_sent(failure):
    script = Script(failure, ok(SYNC_OK))
    with make(script) as client, pytest.raises(E.InterruptedCreateError) as info:
        client.generate(BODY)
    assert len(script.requests) == 1
    assert "interrupted" in str(info.value) and "may have been billed" in str(info.value)
    assert "no request id is known" in str(info.value)
    assert not info.value.retryable


def test_create_not_resubmitted_after_gateway_page():
    script = Script(html(504), ok(SYNC_OK))
    with make(script) as client, pytest.raises(E.InterruptedCreateError, match="HTTP 504"):
        client.submit_task(BODY)
    assert len(script.requests) == 1


def test_create_with_unreadable_200_is_interrupted_not_retried():
    script = Script(httpx.Response(200, content=b"{oops"), ok(SYNC_OK))
    with make(script) as client, pytest.raises(E.InterruptedCreateError, match="could not be read"):
        client.generate(BODY)
    assert len(script.requests) == 1


def test_async_create_without_task_id_is_interrupted_with_request_id():
    script = Script(ok({"request_id": "rid-7", "output": {}}))
    with make(script) as client, pytest.raises(E.InterruptedCreateError) as info:
        client.submit_task(BODY)
    assert info.value.request_id == "rid-7" and "rid-7" in str(info.value)


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "InvalidParameter", E.InvalidRequestError),
        (400, "DataInspectionFailed", E.ModerationError),
        (401, "InvalidApiKey", E.AuthError),
        (408, "RequestTimeOut", E.ServerError),
        (400, "Arrearage", E.QuotaError),
    ],
)
def test_create_not_retried_on_refusals(status, code, cls):
    script = Script(err(status, code), ok(SYNC_OK))
    with make(script) as client, pytest.raises(cls):
        client.generate(BODY)
    assert len(script.requests) == 1


def test_create_gives_up_after_max_attempts_with_the_last_error():
    script = Script(err(500, "InternalError"))
    with (
        make(script, retry_policy=RetryPolicy(max_attempts=3, sleep=lambda s: None)) as client,
        pytest.raises(E.ServerError),
    ):
        client.generate(BODY)
    assert len(script.requests) == 3


def test_create_backoff_waits_are_jittered_and_growing():
    sleeps: list[float] = []
    policy = RetryPolicy(max_attempts=4, base_delay=1.0, sleep=sleeps.append, rand=lambda: 0.999)
    with make(Script(err(500, "InternalError")), retry_policy=policy) as client, pytest.raises(E.ServerError):
        client.generate(BODY)
    assert [round(s, 2) for s in sleeps] == [1.0, 2.0, 4.0]
    assert not policy.can_retry(4)


def test_cancel_during_retry_wait_raises_canceled():
    cancelled = {"now": False}
    policy = RetryPolicy(sleep=lambda s: cancelled.update(now=True))
    with make(Script(err(429, "Throttling")), retry_policy=policy) as client, pytest.raises(E.Canceled):
        client.generate(BODY, should_cancel=lambda: cancelled["now"])


# ------------------------------------------------------------------------------ query retries
@pytest.mark.parametrize(
    "first",
    [
        httpx.ReadTimeout("t"),
        httpx.RemoteProtocolError("gone"),
        html(503),
        err(429, "Throttling"),
        httpx.Response(200, content=b"<html>proxy</html>"),
        err(500, "SystemError"),
    ],
)
def test_query_retries_transient_failures(first):
    script = Script(first, ok({"output": {"task_id": "t", "task_status": "RUNNING"}}))
    with make(script) as client:
        assert client.query_task("t").status is TaskStatus.RUNNING
    assert len(script.requests) == 2


def test_query_does_not_retry_auth_failure():
    script = Script(err(401, "InvalidApiKey"))
    with make(script) as client, pytest.raises(E.AuthError):
        client.query_task("t")
    assert len(script.requests) == 1


# ------------------------------------------------------------------------------ waiting
class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def task(status: str, **extra) -> httpx.Response:
    return ok({"request_id": "q", "output": {"task_id": "t", "task_status": status, **extra}})


def test_wait_polls_until_terminal_with_jittered_5_to_10_s_intervals():
    time_ = FakeTime()
    script = Script(
        task("PENDING"),
        task("RUNNING"),
        task("RUNNING"),
        task("SUCCEEDED", choices=[{"message": {"content": [{"image": "https://r/1.png"}]}}]),
    )
    seen: list[TaskStatus] = []
    with make(script, retry_policy=RetryPolicy(sleep=time_.sleep)) as client:
        snapshot = client.wait_for_task(
            "t", on_update=lambda s: seen.append(s.status), sleep=time_.sleep, clock=time_.clock
        )
    assert snapshot.status is TaskStatus.SUCCEEDED and snapshot.result.image_urls == ("https://r/1.png",)
    assert seen == [TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.RUNNING, TaskStatus.SUCCEEDED]
    assert len(time_.sleeps) == 3 and all(5.0 <= s <= 10.0 for s in time_.sleeps)
    assert len(set(time_.sleeps)) > 1  # jitter


def test_wait_returns_failed_snapshot_for_raise_for_task():
    time_ = FakeTime()
    script = Script(task("FAILED", code="DataInspectionFailed", message="blocked"))
    with make(script) as client:
        snapshot = client.wait_for_task("t", sleep=time_.sleep, clock=time_.clock)
    assert snapshot.status is TaskStatus.FAILED
    with pytest.raises(E.ModerationError):
        raise_for_task(snapshot)


def test_wait_raises_task_timeout_at_the_deadline():
    time_ = FakeTime()
    with make(Script(task("RUNNING"))) as client, pytest.raises(E.TaskTimeout):
        client.wait_for_task("t", deadline_s=60, sleep=time_.sleep, clock=time_.clock)
    assert 59.9 <= time_.now <= 60.1


def test_wait_is_cancellable():
    time_ = FakeTime()
    polls = {"n": 0}

    def answer(request):
        polls["n"] += 1
        return task("RUNNING")

    with make(Script(answer)) as client, pytest.raises(E.Canceled):
        client.wait_for_task("t", sleep=time_.sleep, clock=time_.clock, should_cancel=lambda: polls["n"] >= 2)
    assert polls["n"] == 2


def test_wait_keeps_polling_through_transient_failures_and_honours_retry_after():
    time_ = FakeTime()
    policy = RetryPolicy(max_attempts=1, sleep=time_.sleep)  # no inner retries: the poll loop retries
    script = Script(err(429, "Throttling", headers={"Retry-After": "30"}), html(503), task("SUCCEEDED"))
    with make(script, retry_policy=policy) as client:
        assert client.wait_for_task("t", sleep=time_.sleep, clock=time_.clock).status is TaskStatus.SUCCEEDED
    assert time_.sleeps[0] == 30.0 and 5.0 <= time_.sleeps[1] <= 10.0


def test_wait_stops_on_a_non_transient_error():
    time_ = FakeTime()
    with make(Script(err(401, "InvalidApiKey"))) as client, pytest.raises(E.AuthError):
        client.wait_for_task("t", sleep=time_.sleep, clock=time_.clock)


# ------------------------------------------------------------------------------ key checks
def test_check_key_valid_on_unknown_task():
    script = Script(task("UNKNOWN"))
    with make(script) as client:
        check = client.check_key()
    assert check.valid
    assert script.requests[0].url.path.startswith("/api/v1/tasks/")
    assert len(script.requests[0].url.path.rsplit("/", 1)[1]) == 36  # a uuid4


def test_check_key_invalid_on_401():
    with make(Script(err(401, "InvalidApiKey", "Invalid API-key provided."))) as client:
        check = client.check_key()
    assert not check.valid and check.code == "InvalidApiKey" and check.status == 401


def test_check_key_regions_finds_the_region_that_accepts_the_key():
    def answer(request):
        if request.url.host == "dashscope.aliyuncs.com":
            return task("UNKNOWN")
        return err(401, "InvalidApiKey")

    bases = {Region.SINGAPORE: Region.SINGAPORE.base_url, Region.BEIJING: Region.BEIJING.base_url}
    transport = httpx.MockTransport(answer)
    assert check_key_regions(KEY, bases, transport=transport) is Region.BEIJING


def test_check_key_regions_none_when_every_region_refuses():
    transport = httpx.MockTransport(lambda r: err(401, "InvalidApiKey"))
    bases = {Region.SINGAPORE: Region.SINGAPORE.base_url, Region.BEIJING: Region.BEIJING.base_url}
    assert check_key_regions(KEY, bases, transport=transport) is None


def test_check_key_regions_raises_when_a_region_could_not_be_asked():
    def answer(request):
        if request.url.host == "dashscope.aliyuncs.com":
            raise httpx.ConnectError("down")
        return err(401, "InvalidApiKey")

    bases = {Region.SINGAPORE: Region.SINGAPORE.base_url, Region.BEIJING: Region.BEIJING.base_url}
    with pytest.raises(E.NetworkError):
        check_key_regions(KEY, bases, transport=httpx.MockTransport(answer), retry_policy=RetryPolicy(max_attempts=1))


# ------------------------------------------------------------------------------ key hygiene
def test_key_never_appears_in_errors_reprs_or_logs(caplog):
    caplog.set_level(logging.DEBUG, logger="wan27.api")
    echo = err(400, "InvalidParameter", f"bad header Bearer {KEY}")
    script = Script(echo, err(401, "InvalidApiKey", f"key {KEY} invalid"), httpx.ReadTimeout(f"t {KEY}"))
    texts: list[str] = []
    with make(script) as client:
        texts.append(repr(client))
        for call in (lambda: client.generate(BODY), lambda: client.query_task("t"), lambda: client.submit_task(BODY)):
            with pytest.raises(E.WanError) as info:
                call()
            texts += [str(info.value), repr(info.value), info.value.details(), info.value.hint]
    texts += [r.getMessage() for r in caplog.records]
    assert texts and not [t for t in texts if KEY in t]
    assert any("<redacted>" in t for t in texts)  # the debug log shows headers, redacted


def test_malformed_key_is_refused_without_echoing_it():
    bad = KEY + "\n"
    for candidate in (bad + "x", "sk-ключ", ""):
        with pytest.raises(E.AuthError) as info:
            DashScopeClient(candidate, BASE, transport=httpx.MockTransport(lambda r: ok({})))
        assert KEY not in info.value.details()


# ------------------------------------------------------------------------------ endpoints
@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:8080/api/v1", "http://localhost/api/v1", "http://[::1]:9/api/v1", BASE]
)
def test_https_and_loopback_http_are_accepted(base):
    DashScopeClient(KEY, base).close()


@pytest.mark.parametrize(
    "base",
    ["http://dashscope-intl.aliyuncs.com/api/v1", "http://10.0.0.5/api/v1", "ftp://example.com/api/v1", "not a url"],
)
def test_plain_http_to_other_hosts_and_odd_schemes_are_refused(base):
    with pytest.raises(E.WanError) as info:
        DashScopeClient(KEY, base)
    assert KEY not in str(info.value)


def test_plain_http_allowed_only_when_explicitly_asked():
    DashScopeClient(KEY, "http://gateway.internal/api/v1", allow_insecure_http=True).close()


def test_one_http_client_per_object_and_close():
    client = DashScopeClient(KEY, BASE)
    inner = client._http
    client.close()
    assert inner.is_closed


def test_api_package_imports_no_qt():
    code = (
        "import sys, wan27_desktop.api.client, wan27_desktop.api.download, wan27_desktop.api.imageformat, "
        "wan27_desktop.api.responses, wan27_desktop.api.retry; "
        "sys.exit(1 if any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_error_details_list_what_is_known_and_take_a_translation():
    err = E.ServerError("The service had an internal error.", code="InternalError", status=500, request_id="r-1")
    assert err.details().splitlines() == [
        "The service had an internal error.",
        f"What to do: {err.hint}",
        "Code: InternalError",
        "HTTP status: 500",
        "Request id: r-1",
    ]
    bare = E.WanError("Something failed.")
    assert bare.details().splitlines() == ["Something failed.", f"What to do: {bare.hint}"]
    labels = {
        "What to do: {hint}": "建议：{hint}",
        "Code: {value}": "错误码：{value}",
        "HTTP status: {value}": "HTTP 状态：{value}",
        "Request id: {value}": "请求 ID：{value}",
    }
    translated = err.details(labels.__getitem__, message="服务端发生内部错误。", hint="请稍后重试。")
    assert translated.splitlines() == [
        "服务端发生内部错误。",
        "建议：请稍后重试。",
        "错误码：InternalError",
        "HTTP 状态：500",
        "请求 ID：r-1",
    ]
