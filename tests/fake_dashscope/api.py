"""The DashScope API listener: routes of §1.2 under /api/v1, auth (§1.3), error shapes (§4.4)."""

from __future__ import annotations

import re

from tests.fake_dashscope import tasks as t
from tests.fake_dashscope.faults import OUTCOME_KINDS, Fault
from tests.fake_dashscope.transport import BaseHandler, RecordedRequest, Reply, json_reply
from tests.fake_dashscope.validation import ApiError, InputPolicy, ParsedRequest, parse_json, validate_body

PREFIX = "/api/v1"
SYNC_PATH = PREFIX + "/services/aigc/multimodal-generation/generation"
ASYNC_PATH = PREFIX + "/services/aigc/image-generation/generation"
_TASKS = PREFIX + "/tasks"
_TASK = re.compile(r"^/api/v1/tasks/([^/]+)$")
_CANCEL = re.compile(r"^/api/v1/tasks/([^/]+)/cancel$")

_SERVER_ERROR_CODES = {500: "InternalError", 502: "BadGateway", 503: "ServiceUnavailable", 504: "GatewayTimeout"}

PROXY_HTML = """<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html>
<head><title>{status} {reason}</title></head>
<body>
<h1>{status} {reason}</h1>
<p>The proxy server received an invalid response from an upstream server.<br/>
Sorry for the inconvenience.<br/>
Please report this message and include the following information to us.<br/>
Thank you very much!</p>
<table><tr><td>URL:</td><td>{path}</td></tr><tr><td>Server:</td><td>fake-gateway</td></tr></table>
<hr/>Powered by Tengine</body>
</html>
"""


def html_reply(status: int, path: str) -> Reply:
    reason = {502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}.get(status, "Error")
    body = PROXY_HTML.format(status=status, reason=reason, path=path).encode()
    return Reply(status, body, "text/html; charset=utf-8")


def error_reply(status: int, request_id: str, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    return json_reply(status, t.error_body(request_id, code, message), headers)


def fault_reply_json(fault: Fault, request_id: str, path: str) -> Reply:
    """The answer a replacing fault puts in place of the real one, for the API host."""
    kind = fault.kind
    if kind == "error":
        return error_reply(
            int(fault.get("status", 400)),
            request_id,
            fault.get("code", "InvalidParameter"),
            fault.get("message", "Injected error."),
        )
    if kind == "throttle":
        headers = {}
        if fault.get("retry_after") is not None:
            headers["Retry-After"] = str(fault.get("retry_after"))
        return error_reply(
            int(fault.get("status", 429)),
            request_id,
            fault.get("code", "Throttling.RateQuota"),
            fault.get("message", "Requests rate limit exceeded, please try again later."),
            headers,
        )
    if kind == "server_error":
        status = int(fault.get("status", 500))
        return error_reply(
            status,
            request_id,
            fault.get("code", _SERVER_ERROR_CODES.get(status, "InternalError")),
            fault.get("message", "An internal error has occured, please try again later."),
        )
    if kind == "html":
        return html_reply(int(fault.get("status", 502)), path)
    if kind == "invalid_json":
        body = fault.get("body", '{"request_id": "' + request_id + '", "output": {"task_')
        return Reply(int(fault.get("status", 200)), body.encode() if isinstance(body, str) else body)
    raise AssertionError(kind)


class ApiHandler(BaseHandler):
    listener_name = "api"
    server_version = "istio-envoy"
    sys_version = ""

    def classify(self, method: str, path: str) -> str:
        if path == SYNC_PATH:
            return "sync"
        if path == ASYNC_PATH:
            return "create"
        if _CANCEL.match(path):
            return "cancel"
        if _TASK.match(path):
            return "query"
        if path.rstrip("/") == _TASKS:
            return "list"
        return "other"

    def fault_reply(self, fault: Fault, request_id: str) -> Reply:
        return fault_reply_json(fault, request_id, self.path)

    def route(self, request: RecordedRequest, oversized: bool) -> Reply:
        fake = self.fake
        rid = request.request_id
        if not request.path.startswith(PREFIX + "/"):
            return error_reply(404, rid, "NotFound", f"The requested path {request.path} was not found.")
        auth = request.headers.get("authorization")
        scheme, _, key = (auth or "").partition(" ")
        if not auth:
            return error_reply(401, rid, "InvalidApiKey", "No API-key provided.")
        if scheme.lower() != "bearer" or key.strip() != fake.api_key:
            return error_reply(401, rid, "InvalidApiKey", "Invalid API-key provided.")
        expected = {"sync": "POST", "create": "POST", "cancel": "POST", "query": "GET", "list": "GET"}.get(request.op)
        if expected is None:
            return error_reply(404, rid, "NotFound", f"The requested path {request.path} was not found.")
        if request.method != expected:
            return error_reply(
                405, rid, "MethodNotAllowed", f"Method {request.method} is not allowed for {request.path}."
            )
        try:
            if request.op == "sync":
                return self._sync(request, oversized)
            if request.op == "create":
                return self._create(request, oversized)
            if request.op == "list":
                fake.limits.admit_query()
                return json_reply(200, fake._list(request.query, rid))
            task_match = _CANCEL.match(request.path) or _TASK.match(request.path)
            assert task_match is not None
            if request.op == "query":
                fake.limits.admit_query()
                return json_reply(200, fake._query(task_match.group(1), rid))
            return self._cancel(task_match.group(1), rid)
        except ApiError as exc:
            return error_reply(exc.status, rid, exc.code, exc.message)

    def _parse(self, request: RecordedRequest, oversized: bool) -> ParsedRequest:
        if oversized:
            raise ApiError(
                413,
                "BadRequest.TooLarge",
                f"Payload Too Large: the request body exceeds {self.fake.max_body_bytes} bytes.",
            )
        fake = self.fake
        policy = InputPolicy(
            fetch=fake._fetch_input,
            unreachable_urls=set(fake.unreachable_urls),
            failing_urls=set(fake.failing_urls),
            oss_resolve=request.headers.get("x-dashscope-ossresourceresolve", "").lower() == "enable",
        )
        return validate_body(parse_json(request.body), policy)

    def _sync(self, request: RecordedRequest, oversized: bool) -> Reply:
        # The async header is ignored on the sync path; the answer is always synchronous.
        fake = self.fake
        fake.limits.admit_submission(fake._in_progress())  # §6: a sync call is a task in progress too
        parsed = self._parse(request, oversized)
        fault = fake._faults.take("sync", OUTCOME_KINDS)
        fake._sync_started()
        try:
            if fake.sync_delay:
                fake._sleep(fake.sync_delay)
            outcome = fake._produce(parsed, fault, request.request_id)
            fake.store_results(outcome)  # stored before the answer, as a result host holds them
        finally:
            fake._sync_ended()
        if outcome.failed:
            return error_reply(outcome.status, request.request_id, outcome.code or "", outcome.message or "")
        fake._count_create()
        return json_reply(200, t.sync_body(request.request_id, outcome))

    def _create(self, request: RecordedRequest, oversized: bool) -> Reply:
        if request.headers.get("x-dashscope-async", "").lower() != "enable":
            # What DashScope answers for a sync call on an async-only path.
            raise ApiError(403, "AccessDenied", "current user api does not support synchronous calls")
        fake = self.fake
        fake.limits.admit_submission(fake._in_progress())  # §6: 5 submissions/s, 5 in progress
        parsed = self._parse(request, oversized)
        fault = fake._faults.take("create", OUTCOME_KINDS)
        task = fake._create_task(parsed, fault, request.request_id)
        return json_reply(200, t.create_body(request.request_id, task))

    def _cancel(self, task_id: str, request_id: str) -> Reply:
        if not self.fake._cancel(task_id):
            raise ApiError(
                400,
                "UnsupportedOperation",
                "Failed to cancel the task, please confirm if the task is in PENDING status.",
            )
        return json_reply(200, {"request_id": request_id})
