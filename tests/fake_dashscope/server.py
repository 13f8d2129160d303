"""`FakeDashScope`: state, lifecycle and the public test API of the fake server.

See the package docstring (tests/fake_dashscope/__init__.py) for the contract.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import threading
import time
import urllib.request
import uuid
import zlib
from collections import OrderedDict
from collections.abc import Callable
from types import TracebackType
from typing import Any

from tests.fake_dashscope import pngmaker
from tests.fake_dashscope import tasks as t
from tests.fake_dashscope.api import ApiHandler
from tests.fake_dashscope.faults import OUTCOME_KINDS, Fault, FaultBook
from tests.fake_dashscope.limits import AccountLimits
from tests.fake_dashscope.results import ResultHandler, signed_query
from tests.fake_dashscope.transport import Listener, RecordedRequest
from tests.fake_dashscope.validation import MAX_IMAGE_BYTES, ParsedRequest

DEFAULT_API_KEY = "sk-fake-test-key-0000"
RESULT_MODES = ("real", "small", "noise")
_BUCKETS = {"sg": "dashscope-result-sgp", "cn": "dashscope-result-bj"}
_CACHE_BUDGET = 256 * 1024 * 1024  # bytes of generated PNGs kept for repeated downloads
TEXT_PRESET_ASPECTS = ((1, 1), (2985, 1405), (16, 9), (4, 3), (3, 4), (9, 16))
KEY_ID = "fake-api-key-id-0001"  # the listing's api_key_id of the one key the fake accepts


class FakeDashScope:
    """A faithful fake of the DashScope Wan 2.7 image API over real HTTP on 127.0.0.1."""

    def __init__(
        self,
        region: str = "sg",
        api_key: str = DEFAULT_API_KEY,
        *,
        port: int = 0,
        result_port: int = 0,
        verbose: bool = False,
    ) -> None:
        if region not in _BUCKETS:
            raise ValueError("region must be 'sg' or 'cn'")
        self.region = region
        self.api_key = api_key
        self.verbose = verbose
        # Knobs tests may change at any time (read when a task is created / a result generated).
        self.polls_pending = 1  # GET /tasks answers that still say PENDING
        self.polls_running = 1  # ... then RUNNING, then the terminal state
        self.pending_seconds: float | None = None  # optional virtual-clock driver of the lifecycle
        self.running_seconds: float | None = None
        self.result_image_mode = "real"
        # A result host holds a result from the moment the service reports it: with this, the fake
        # makes each result's bytes (and ETag) before it answers, not on the first download, so a
        # download's timing has only the download in it (the benchmarks). Off by default: a test
        # that never downloads should not pay for making the images.
        self.store_results_on_answer = False
        self.sync_delay = 0.0  # seconds a sync call "generates" before answering
        self.sequential_images: int | None = None  # image sets deliver min(n, this); None = n
        self.max_body_bytes = 32 * 1024 * 1024  # larger bodies get 413 BadRequest.TooLarge
        # §9: a text-to-image preset is not always square (the reference's own 2K example came
        # back 2985*1405): the aspect is picked from these by the prompt and seed. Pin one to test.
        self.text_preset_aspects: tuple[tuple[int, int], ...] = TEXT_PRESET_ASPECTS
        # §6: 5 submissions/s, 5 tasks in progress, 20 queries/s per account; 429 beyond.
        self.limits = AccountLimits()
        self.unreachable_urls: set[str] = set()  # image URLs answered with InvalidURL
        self.failing_urls: set[str] = set()  # image URLs answered with BadRequest.InputDownloadFailed
        self.internal_errors: list[str] = []  # bugs in the fake itself (a test can assert none)
        # Optional observer: called on the handler thread after each answer went out, with the
        # request, the HTTP status and time.monotonic() when sending began and ended (benchmarks).
        self.reply_hook: Callable[[RecordedRequest, int, float, float], None] | None = None

        self._ports = (port, result_port)
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._faults = FaultBook()
        self._requests: list[RecordedRequest] = []
        self._tasks: dict[str, t.Task] = {}
        self._results: dict[str, t.ResultImage] = {}
        self._cache: OrderedDict[str, tuple[bytes, str]] = OrderedDict()  # image id -> body, ETag
        self._cache_bytes = 0
        self._billed: list[tuple[str, str]] = []
        self._created = 0
        self._syncs_in_flight = 0
        self._clock_offset = 0.0
        self._secret = os.urandom(16)
        self._listeners: list[Listener] = []
        self._threads: list[threading.Thread] = []

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> FakeDashScope:
        if self._listeners:
            return self
        self._stopping.clear()
        self._listeners = [
            Listener(self, "api", ApiHandler, self._ports[0]),
            Listener(self, "result", ResultHandler, self._ports[1]),
        ]
        for listener in self._listeners:
            thread = threading.Thread(
                target=listener.serve_forever,
                kwargs={"poll_interval": 0.02},
                name=f"fake-dashscope-{listener.name}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Shut both listeners down promptly: wakes sleeping faults, closes keep-alive sockets,
        joins every handler thread."""
        self._stopping.set()
        # shutdown() waits up to one poll interval; wait for both listeners at once.
        stoppers = [threading.Thread(target=listener.shutdown) for listener in self._listeners]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for listener in self._listeners:
            listener.close_connections()
            listener.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listeners, self._threads = [], []

    def __enter__(self) -> FakeDashScope:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.base_url if self._listeners else "not started"
        return f"<FakeDashScope {self.region} {where}>"

    # -- addresses -------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._listener('api').port}/api/v1"

    @property
    def result_host(self) -> str:
        return f"http://127.0.0.1:{self._listener('result').port}"

    def _listener(self, name: str) -> Listener:
        for listener in self._listeners:
            if listener.name == name:
                return listener
        raise RuntimeError("FakeDashScope is not started")

    # -- what tests inspect ------------------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_for(self, op: str | None = None, listener: str | None = None) -> list[RecordedRequest]:
        """Recorded requests filtered by op ("sync", "create", "query", "cancel", "list", "download",
        "other") and/or listener ("api", "result")."""
        return [r for r in self.requests if (op is None or r.op == op) and (listener is None or r.listener == listener)]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    @property
    def tasks(self) -> dict[str, t.Task]:
        with self._lock:
            return dict(self._tasks)

    @property
    def created_count(self) -> int:
        with self._lock:
            return self._created

    @property
    def billed_images(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._billed)

    @property
    def faults(self) -> list[Fault]:
        """Faults not yet used up."""
        return self._faults.pending()

    # -- what tests control ------------------------------------------------------------------------
    def add_fault(self, fault: Fault) -> Fault:
        return self._faults.add(fault)

    def clear_faults(self) -> None:
        self._faults.clear()

    def now(self) -> float:
        """The virtual clock: wall-clock time plus everything passed to advance_clock()."""
        with self._lock:
            return time.time() + self._clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move the virtual clock: result URLs expire and tasks turn UNKNOWN after 24 h; tasks
        driven by pending_seconds/running_seconds progress (and bill) as time passes."""
        with self._lock:
            self._clock_offset += seconds
            now = self.now()
            for task in self._tasks.values():
                if task.pending_seconds is not None:
                    self._advance(task, now, at_query=False)

    def run_tasks(self) -> None:
        """Finish every unfinished task now, as the service would while nobody polls (so a test
        of a crashed client can see what was billed)."""
        with self._lock:
            now = self.now()
            for task in self._tasks.values():
                if task.status not in t.TERMINAL:
                    self._finish(task, now, None)

    # -- internals used by the handlers ------------------------------------------------------------
    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _replied(self, request: RecordedRequest, status: int, started: float) -> None:
        hook = self.reply_hook
        if hook is not None:
            hook(request, status, started, time.monotonic())

    def _sleep(self, seconds: float) -> None:
        self._stopping.wait(seconds)

    def _internal_error(self, text: str) -> None:
        with self._lock:
            self.internal_errors.append(text)

    def _count_create(self) -> None:
        with self._lock:
            self._created += 1

    def _sync_started(self) -> None:
        with self._lock:
            self._syncs_in_flight += 1

    def _sync_ended(self) -> None:
        with self._lock:
            self._syncs_in_flight -= 1

    def _in_progress(self) -> int:
        """§6 "tasks in progress": async tasks not ended (nor expired) plus sync calls being answered."""
        with self._lock:
            now = self.now()
            running = sum(
                1 for task in self._tasks.values() if task.status not in t.TERMINAL and not self._expired(task, now)
            )
            return running + self._syncs_in_flight

    def _list(self, query: dict[str, str], request_id: str) -> dict[str, Any]:
        """`GET /tasks` (§1.2 [SDK]): the account's tasks, newest first, filtered and paged."""
        filters = t.ListFilters.parse(query)
        with self._lock:
            now = self.now()
            tasks = [
                task for task in self._tasks.values() if not self._expired(task, now) and filters.matches(task, KEY_ID)
            ]
        tasks.sort(key=lambda task: task.submit_time, reverse=True)
        return t.list_body(request_id, tasks, filters, self.region, KEY_ID)

    def _fetch_input(self, url: str) -> bytes:
        """§2.4: the service downloads image URLs; here only loopback ones are really fetched."""
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                return bytes(response.read(MAX_IMAGE_BYTES + 1))
        except ValueError as exc:
            raise OSError(str(exc)) from None

    def _produce(self, request: ParsedRequest, fault: Fault | None, owner: str) -> t.Outcome:
        """Run a generation: the failure a fault asks for, or images that are then billed (§6)."""
        kind = fault.kind if fault is not None else None
        if kind == "moderation" and fault is not None:
            return t.Outcome(
                code=fault.get("code", "DataInspectionFailed"),
                message=fault.get("message", "Input data may contain inappropriate content."),
                status=int(fault.get("status", 400)),
            )
        if kind == "task_failed" and fault is not None:
            return t.Outcome(
                code=fault.get("code", "InternalError.Algo"),
                message=fault.get("message", "Algorithm process error."),
                status=int(fault.get("status", 500)),
            )
        count = request.n
        if request.sequential and self.sequential_images is not None:
            count = max(0, min(count, self.sequential_images))  # §3: n is a ceiling for sets
        outcome = t.Outcome()
        if kind == "partial" and fault is not None:
            count = max(0, min(request.n, int(fault.get("count", request.n - 1))))
            if fault.get("metrics", True):
                outcome.metrics = {"TOTAL": request.n, "SUCCEEDED": count, "FAILED": request.n - count}
            outcome.code, outcome.message = fault.get("code"), fault.get("message")
        elif kind == "empty" and fault is not None:
            count = 0
            outcome.empty_variant = fault.get("variant", "choices_empty")
        width, height = request.output_size(self._text_aspect(request))
        mode = self.result_image_mode
        if mode not in RESULT_MODES:
            raise ValueError(f"result_image_mode must be one of {RESULT_MODES}")
        if mode == "small":
            width, height = pngmaker.small_size(width, height)
        with self._lock:
            now = self.now()
            expires = int(now) + t.LIFETIME
            day = _dt.datetime.fromtimestamp(now).strftime("%Y%m%d")
            for index in range(count):
                image_id = uuid.uuid4().hex
                url = f"{self.result_host}/{_BUCKETS[self.region]}/{day}/{owner}/{image_id}.png?" + signed_query(
                    self._secret, image_id, expires
                )
                image = t.ResultImage(
                    image_id, owner, width, height, mode, expires, url, seed=f"{owner}/{index}/{request.seed}"
                )
                self._results[image_id] = image
                self._billed.append((owner, url))
                outcome.images.append(image)
        input_tokens = (
            12
            + len(request.prompt) // 2
            + sum((i.info.width * i.info.height // 784) if i.info else 1024 for i in request.images)
        )
        output_tokens = 2 * count
        outcome.usage = {
            "image_count": count,
            "size": f"{width}*{height}",
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "total_tokens": input_tokens + output_tokens,
        }
        return outcome

    def _text_aspect(self, request: ParsedRequest) -> tuple[int, int]:
        """The aspect a text-to-image preset comes out in: one of `text_preset_aspects`, picked by
        the prompt and seed, so the same request gives the same shape."""
        aspects = self.text_preset_aspects or ((1, 1),)
        return aspects[zlib.crc32(f"{request.prompt}|{request.seed}".encode()) % len(aspects)]

    def _create_task(self, request: ParsedRequest, fault: Fault | None, request_id: str) -> t.Task:
        with self._lock:
            task = t.Task(
                task_id=str(uuid.uuid4()),
                request_id=request_id,
                request=request,
                submit_time=self.now(),
                polls_pending=self.polls_pending,
                polls_running=self.polls_running,
                pending_seconds=self.pending_seconds,
                running_seconds=self.running_seconds,
                outcome_fault=fault,
            )
            self._tasks[task.task_id] = task
            self._created += 1
            return task

    def _expired(self, task: t.Task, now: float) -> bool:
        return now - task.submit_time > t.LIFETIME

    def _query(self, task_id: str, request_id: str) -> dict[str, Any]:
        with self._lock:
            task = self._tasks.get(task_id)
            now = self.now()
            if task is None or self._expired(task, now):
                return t.unknown_body(request_id, task_id)  # §4.3
            task.queries += 1
            finished_now = task.status not in t.TERMINAL
            self._advance(task, now, at_query=True)
            finished_now = finished_now and task.status in t.TERMINAL
            body = t.task_body(request_id, task)
        if finished_now and task.outcome is not None:
            self.store_results(task.outcome)  # outside the lock: other requests go on meanwhile
        return body

    def store_results(self, outcome: t.Outcome) -> None:
        """With `store_results_on_answer`, make the outcome's result objects now (see there)."""
        if self.store_results_on_answer:
            for image in outcome.images:
                self._result_object(image)

    def _cancel(self, task_id: str) -> bool:
        """§1.2: only PENDING tasks can be cancelled."""
        with self._lock:
            task = self._tasks.get(task_id)
            now = self.now()
            if task is None or self._expired(task, now):
                return False
            self._advance(task, now, at_query=False)
            if task.status != t.PENDING:
                return False
            task.status = t.CANCELED
            task.end_time = now
            return True

    def _advance(self, task: t.Task, now: float, *, at_query: bool) -> None:
        if task.status in t.TERMINAL:
            return
        due = task.stage_due(now)
        if due == t.RUNNING and task.status == t.PENDING:
            task.status = t.RUNNING
            task.scheduled_time = now
        elif due == "END":
            fault = task.outcome_fault
            if fault is None and at_query:
                fault = self._faults.take("query", OUTCOME_KINDS)
            self._finish(task, now, fault)

    def _finish(self, task: t.Task, now: float, fault: Fault | None) -> None:
        if task.scheduled_time is None:
            task.scheduled_time = now
        outcome = self._produce(task.request, fault or task.outcome_fault, task.task_id)
        task.outcome = outcome
        task.status = t.FAILED if outcome.failed else t.SUCCEEDED
        task.end_time = now

    def _result(self, image_id: str) -> t.ResultImage | None:
        with self._lock:
            return self._results.get(image_id)

    def _result_object(self, image: t.ResultImage) -> tuple[bytes, str]:
        """A result's body and ETag, as a result host stores them: made on the first download and
        kept (up to `_CACHE_BUDGET`), the ETag (the body's MD5, as OSS gives a simple upload) with it,
        so a download costs no hashing here."""
        with self._lock:
            cached = self._cache.get(image.image_id)
            if cached is not None:
                self._cache.move_to_end(image.image_id)
                return cached
        comment = f"wan27 fake result {image.image_id}"
        if image.mode == "noise":
            data = pngmaker.noise_png(image.width, image.height, comment)
        else:
            data = pngmaker.pattern_png(image.width, image.height, image.seed, comment)
        etag = '"' + hashlib.md5(data).hexdigest().upper() + '"'
        with self._lock:
            if image.image_id not in self._cache:
                self._cache[image.image_id] = (data, etag)
                self._cache_bytes += len(data)
            while self._cache_bytes > _CACHE_BUDGET and len(self._cache) > 1:
                _, (old, _old_etag) = self._cache.popitem(last=False)
                self._cache_bytes -= len(old)
            return self._cache[image.image_id]
