"""A faithful fake of DashScope's Wan 2.7 image API (shared/api/WAN27_API.md) over real HTTP.

    from tests.fake_dashscope import FakeDashScope, Fault
    with FakeDashScope(region="sg", api_key="sk-fake-test-key-0000") as fake:
        client = SomeClient(base_url=fake.base_url, api_key=fake.api_key)
        fake.add_fault(Fault("query", "throttle", times=2, retry_after=1))
        ...
        assert fake.requests[-1].headers["authorization"] == f"Bearer {fake.api_key}"

Two listeners on 127.0.0.1, random free ports, threaded HTTP/1.1 with keep-alive:
- `base_url` "http://127.0.0.1:<port>/api/v1": the API (§1.2): POST
  /services/aigc/multimodal-generation/generation (sync), POST /services/aigc/image-generation/generation
  (async create, needs `X-DashScope-Async: enable`, else 403 AccessDenied "current user api does not
  support synchronous calls"), GET /tasks/{id}, POST /tasks/{id}/cancel (PENDING only, else 400
  UnsupportedOperation; success answers `{"request_id": ...}`), GET /tasks?... (the key's task listing,
  §1.2 [SDK], in the official SDKs' shape). Unknown ids: 200 UNKNOWN. Other paths:
  404 NotFound; wrong method: 405 MethodNotAllowed. Missing/wrong Bearer key: 401 InvalidApiKey.
- `result_host` "http://127.0.0.1:<port2>": result PNGs at signed-looking URLs
  `/<bucket>/<yyyymmdd>/<owner id>/<hex id>.png?Expires=&OSSAccessKeyId=&Signature=`; after Expires
  (virtual clock) 403 OSS XML `AccessDenied` "Request has expired."; tampered signature 403
  `SignatureDoesNotMatch`; unknown object 404 `NoSuchKey`.

Public API (FakeDashScope):
  start() / stop() / context manager; base_url; result_host; api_key; region
  requests -> list[RecordedRequest] (.method .path .query .headers(lower-case) .body .json, plus
      .listener "api"|"result", .op, .time, .request_id); requests_for(op=None, listener=None);
      clear_requests()
  add_fault(Fault(op, kind, times=1, **params)); clear_faults(); faults (not yet used up)
  tasks -> dict[task_id, Task] (.status .queries .request .outcome .submit_time ...)
  created_count (accepted sync + async creates); billed_images -> [(request_id | task_id, url)]
  now(); advance_clock(seconds); run_tasks() (finish all unfinished tasks as if nobody polled)
  polls_pending, polls_running (default 1, 1): how many GET /tasks answers say PENDING, then RUNNING
  pending_seconds, running_seconds (default None): also drive the lifecycle by the virtual clock
  result_image_mode "real" | "small" | "noise"; sync_delay; sequential_images (cap for image sets);
  store_results_on_answer (default False): make result bytes before answering, not at first download;
  max_body_bytes (32 MiB -> 413 BadRequest.TooLarge); unreachable_urls (-> InvalidURL);
  failing_urls (-> BadRequest.InputDownloadFailed); internal_errors (bugs of the fake itself)
  limits (§6: 5 submissions/s, 5 tasks in progress, 20 queries/s -> 429; .enabled, .refused,
      .peak_in_progress and .peak_per_second: the most ever accepted)
  text_preset_aspects (text-to-image presets are not always square, §9; pin one for exact sizes)

Faults: op in sync|create|query|cancel|download|any; kinds and parameters:
  error(status=400, code="InvalidParameter", message, accept=False)
  throttle(retry_after=None, code="Throttling.RateQuota", status=429, accept=False)
  server_error(status=500, code by status, message, accept=False)
  slow(delay=1.0)                 sleep before answering (interruptible by stop())
  slow_body(delay=0.5, chunks=5 | chunk_size=N)   headers at once, body dribbled
  drop(accept=False)              close the socket, no response
  reset_mid_body(fraction=0.5 | bytes=N)   headers with the full Content-Length, part of the body, close
  invalid_json(status=200, body=..., accept=False); html(status=502, accept=False) proxy error page
  moderation(code="DataInspectionFailed")  sync: 400 error; async: the task ends FAILED with that code
  task_failed(code="InternalError.Algo", message, status=500 for sync)
  partial(count=n-1, metrics=True, code=None, message=None)  fewer images; usage.image_count=count
  empty(variant="choices_empty"|"content_empty"|"text_only"|"no_choices")  200 without images
  expired | not_image(content_type="text/html", body) | redirect(status=302, location=same object on
  "localhost") | huge(size=1 GiB, declare=True) | bomb(width=60000, height=60000)   downloads only
"accept=True" on a replacing fault processes the request first (the task is created / billed) and
then loses or replaces the answer: the "was it billed?" case. Outcome faults scoped to "query" are
taken by the query at which a task ends. Response faults are applied before authentication.
"""

from tests.fake_dashscope.faults import Fault
from tests.fake_dashscope.server import DEFAULT_API_KEY, FakeDashScope
from tests.fake_dashscope.transport import RecordedRequest

__all__ = ["DEFAULT_API_KEY", "FakeDashScope", "Fault", "RecordedRequest"]
