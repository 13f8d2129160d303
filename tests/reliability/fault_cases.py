"""The fault matrix as data: one row per fault, what the product must do, and how we check it.

`test_fault_matrix.py` runs every row against the fake server through `JobRunner`; `fault_table.py`
prints the same rows as the README table. Keeping them in one list means the table cannot drift
from what is tested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wan27_desktop.library import JobState

DONE, FAILED, INTERRUPTED, PARTIAL = JobState.DONE, JobState.FAILED, JobState.INTERRUPTED, JobState.PARTIAL
SUBMITTING = JobState.SUBMITTING
EXPIRED, DOWNLOADING = JobState.EXPIRED, JobState.DOWNLOADING


@dataclass(frozen=True)
class FaultCase:
    id: str
    fault: str  # what goes wrong, for the table
    expected: str  # what the product does, for the table
    mode: str  # "sync" | "async"
    faults: tuple[tuple[str, str, int | None, dict[str, Any]], ...] = ()
    state: JobState = DONE
    created: int = 1  # fake.created_count afterwards: never more than one accepted create
    requests: dict[str, int] = field(default_factory=dict)  # exact request counts per op
    code: str | None = None  # the job's error_code
    images: int | None = None  # images in the library (default: every billed image)
    n: int = 1
    setup: str | None = None  # "closed_port" | "expire_task" | "expire_urls"
    resume_heals: bool = False  # after the fault clears, `resume` lands every billed image
    waits_for: float | None = None  # a backoff of exactly this many seconds (Retry-After honoured)
    hint_has: str = ""  # the hint (what to do) names this

    @property
    def outcome(self) -> str:
        extra = " → resume completes it" if self.resume_heals else ""
        return f"{self.state.value}{extra}; creates accepted: {self.created}"


def _f(op: str, kind: str, times: int | None = 1, **params: Any) -> tuple[str, str, int | None, dict[str, Any]]:
    return (op, kind, times, params)


# §5: codes the client must not retry on a create (a resend could bill twice or cannot succeed).
NOT_RETRIED = (
    (400, "InvalidParameter", "check the parameters"),
    (400, "InvalidParameter.DataInspection", "PNG or JPEG"),
    (400, "DataInspectionFailed", "moderation"),
    (400, "IPInfringementSuspect", "intellectual property"),
    (400, "BadRequest.EmptyInput", "bug"),
    (400, "BadRequest.EmptyParameters", "bug"),
    (400, "BadRequest.EmptyModel", "bug"),
    (400, "InvalidURL", "URL"),
    (400, "Arrearage", "top up"),
    (400, "UnsupportedOperation", "does not allow"),
    (401, "InvalidApiKey", "region"),
    (403, "AccessDenied", "console"),
    (403, "AccessDenied.Unpurchased", "Activate"),
    (404, "ModelNotFound", "region"),
    (404, "WorkSpaceNotFound", "workspace"),
    (408, "RequestTimeOut", "asynchronous"),  # ambiguous for a create: may have run, so not resent
    (413, "BadRequest.TooLarge", "smaller"),
    (415, "BadRequest.UnsupportedFileFormat", "convert"),
)
# §5: codes that prove the service did not take the job: retried with backoff, then it succeeds.
RETRIED = (
    (429, "Throttling"),
    (429, "Throttling.RateQuota"),
    (429, "Throttling.AllocationQuota"),
    (500, "InternalError"),
    (500, "InternalError.Algo"),
    (500, "InternalError.Timeout"),
    (500, "SystemError"),
    (500, "ModelServiceFailed"),
    (503, "ModelUnavailable"),
)
GATEWAY = (502, 503, 504)


def _code_cases() -> list[FaultCase]:
    cases = []
    for mode, op in (("sync", "sync"), ("async", "create")):
        for status, code, hint in NOT_RETRIED:
            cases.append(
                FaultCase(
                    f"{mode}-{code}",
                    f"{mode} create → {status} {code}",
                    "not retried; job failed with the service's code and a hint",
                    mode,
                    (_f(op, "error", status=status, code=code, message=f"{code}."),),
                    FAILED,
                    0,
                    {op: 1},
                    code,
                    0,
                    hint_has=hint,
                )
            )
        cases.append(
            FaultCase(
                f"{mode}-free-quota",
                f"{mode} create → 429 Throttling.AllocationQuota 'Free allocated quota exceeded'",
                "not retried (waiting will not help); hint: enable paid usage",
                mode,
                (
                    _f(
                        op,
                        "error",
                        status=429,
                        code="Throttling.AllocationQuota",
                        message="Free allocated quota exceeded.",
                    ),
                ),
                FAILED,
                0,
                {op: 1},
                "Throttling.AllocationQuota",
                0,
                hint_has="paid usage",
            )
        )
        download_failed = "BadRequest.InputDownloadFailed"
        cases.append(
            FaultCase(
                f"{mode}-{download_failed}-once",
                f"{mode} create → 415 {download_failed} once",
                "retried once (§5: the service ran nothing), then done",
                mode,
                (_f(op, "error", status=415, code=download_failed),),
                DONE,
                1,
                {op: 2},
            )
        )
        cases.append(
            FaultCase(
                f"{mode}-{download_failed}",
                f"{mode} create → 415 {download_failed} every time",
                "retried once, then failed with the code and a hint",
                mode,
                (_f(op, "error", times=None, status=415, code=download_failed),),
                FAILED,
                0,
                {op: 2},
                download_failed,
                0,
                hint_has="public",
            )
        )
        for status, code in RETRIED:
            cases.append(
                FaultCase(
                    f"{mode}-{code}-retried",
                    f"{mode} create → {status} {code} once",
                    "retried with backoff, then done; one create accepted",
                    mode,
                    (_f(op, "error", status=status, code=code),),
                    DONE,
                    1,
                    {op: 2},
                )
            )
        cases.append(
            FaultCase(
                f"{mode}-burst-429-retried",
                f"{mode} create → 429 'Request rate increased too quickly' (no code)",
                "retried with backoff, then done",
                mode,
                (_f(op, "error", status=429, code="", message="Request rate increased too quickly"),),
                DONE,
                1,
                {op: 2},
            )
        )
        for status in GATEWAY:
            cases.append(
                FaultCase(
                    f"{mode}-gateway-{status}-retried",
                    f"{mode} create → {status} with the service's error body",
                    "retried, then done",
                    mode,
                    (_f(op, "server_error", status=status),),
                    DONE,
                    1,
                    {op: 2},
                )
            )
    return cases


CASES: list[FaultCase] = _code_cases() + [
    # -- throttling with and without Retry-After
    FaultCase(
        "sync-429-retry-after",
        "sync create → 429 with Retry-After: 3",
        "waits exactly 3 s (Retry-After), retries once, done",
        "sync",
        (_f("sync", "throttle", retry_after=3),),
        DONE,
        1,
        {"sync": 2},
        waits_for=3.0,
    ),
    FaultCase(
        "async-429-no-retry-after",
        "async create → 429 without Retry-After ×2",
        "exponential backoff with jitter, done",
        "async",
        (_f("create", "throttle", times=2),),
        DONE,
        1,
        {"create": 3},
    ),
    FaultCase(
        "query-429-retry-after",
        "task query → 429 with Retry-After: 2 ×2",
        "keeps polling after 2 s, done",
        "async",
        (_f("query", "throttle", times=2, retry_after=2),),
        DONE,
        1,
        {"query": 5},
        waits_for=2.0,
    ),
    FaultCase(
        "download-429",
        "result download → 503 SlowDown",
        "retried, done",
        "sync",
        (_f("download", "throttle"),),
        DONE,
        1,
        {"download": 2},
    ),
    # -- 5xx bursts
    FaultCase(
        "sync-5xx-burst",
        "sync create → 500 InternalError ×2",
        "retried (service said it did not run), done",
        "sync",
        (_f("sync", "server_error", times=2),),
        DONE,
        1,
        {"sync": 3},
    ),
    FaultCase(
        "sync-5xx-storm",
        "sync create → 500 InternalError every time",
        "3 attempts, then failed with 'retry in a moment'; nothing billed",
        "sync",
        (_f("sync", "server_error", times=None),),
        FAILED,
        0,
        {"sync": 3},
        "InternalError",
        0,
        hint_has="retry",
    ),
    FaultCase(
        "query-5xx-burst",
        "task query → 503 ×4",
        "keeps polling, done",
        "async",
        (_f("query", "server_error", times=4, status=503),),
        DONE,
        1,
        {"query": 7},
    ),
    FaultCase(
        "download-5xx-burst",
        "result download → 502 ×2",
        "retried, done",
        "sync",
        (_f("download", "server_error", times=2, status=502),),
        DONE,
        1,
        {"download": 3},
    ),
    FaultCase(
        "sync-html-502-accepted",
        "sync create → proxy HTML 502 (job ran and was billed)",
        "NOT resent: interrupted, 'may have been billed'",
        "sync",
        (_f("sync", "html", accept=True),),
        INTERRUPTED,
        1,
        {"sync": 1},
        images=0,
        hint_has="billed",
    ),
    FaultCase(
        "async-html-502-accepted",
        "async create → proxy HTML 502 (task was created)",
        "NOT resent: its task found in the task list (the only one made as it was sent), done",
        "async",
        (_f("create", "html", accept=True),),
        DONE,
        1,
        {"create": 1, "list": 1},
    ),
    FaultCase(
        "query-html-502",
        "task query → proxy HTML 502 ×2",
        "keeps polling, done",
        "async",
        (_f("query", "html", times=2),),
        DONE,
        1,
        {"query": 5},
    ),
    # -- connection refused / reset
    FaultCase(
        "sync-connection-refused",
        "sync create → connection refused (closed port)",
        "retried (never sent), then failed: check the connection",
        "sync",
        (),
        FAILED,
        0,
        {},
        "NetworkError",
        0,
        setup="closed_port",
        hint_has="connection",
    ),
    FaultCase(
        "async-connection-refused",
        "async create → connection refused (closed port)",
        "retried, then failed: check the connection",
        "async",
        (),
        FAILED,
        0,
        {},
        "NetworkError",
        0,
        setup="closed_port",
        hint_has="connection",
    ),
    FaultCase(
        "sync-reset-accepted",
        "sync create → connection reset after the service took it",
        "NOT resent: interrupted, 'may have been billed'",
        "sync",
        (_f("sync", "drop", accept=True),),
        INTERRUPTED,
        1,
        {"sync": 1},
        images=0,
        hint_has="billed",
    ),
    FaultCase(
        "sync-reset-not-accepted",
        "sync create → connection reset before the service took it",
        "NOT resent (the client cannot tell): interrupted",
        "sync",
        (_f("sync", "drop"),),
        INTERRUPTED,
        0,
        {"sync": 1},
        images=0,
        hint_has="billed",
    ),
    FaultCase(
        "async-reset-accepted",
        "async create → connection reset after the task was created",
        "NOT resent: its task found in the task list (the only one made as it was sent), done",
        "async",
        (_f("create", "drop", accept=True),),
        DONE,
        1,
        {"create": 1, "list": 1},
    ),
    FaultCase(
        "async-reset-not-accepted",
        "async create → connection reset before the service made a task",
        "NOT resent: paused, 'no task made then'; Resume looks again",
        "async",
        (_f("create", "drop"),),
        SUBMITTING,
        0,
        {"create": 1, "list": 1},
        code="AnswerLost",
        images=0,
        hint_has="Resume looks for its task again",
    ),
    FaultCase(
        "query-reset",
        "task query → connection reset ×2",
        "keeps polling, done",
        "async",
        (_f("query", "drop", times=2),),
        DONE,
        1,
        {"query": 5},
    ),
    FaultCase(
        "download-reset",
        "result download → connection reset",
        "retried, done",
        "sync",
        (_f("download", "drop"),),
        DONE,
        1,
        {"download": 2},
    ),
    FaultCase(
        "sync-reset-mid-body",
        "sync create → answer cut off mid-body",
        "NOT resent: interrupted",
        "sync",
        (_f("sync", "reset_mid_body"),),
        INTERRUPTED,
        1,
        {"sync": 1},
        images=0,
        hint_has="billed",
    ),
    FaultCase(
        "download-reset-mid-body",
        "result download → cut off mid-body once",
        "partial file discarded, retried, done",
        "sync",
        (_f("download", "reset_mid_body"),),
        DONE,
        1,
        {"download": 3},
        n=2,
    ),
    FaultCase(
        "download-reset-mid-body-always",
        "result download → cut off mid-body every time",
        "3 attempts, partial files discarded; job stays resumable",
        "sync",
        (_f("download", "reset_mid_body", times=None),),
        DOWNLOADING,
        1,
        {"download": 3},
        "NetworkError",
        0,
        resume_heals=True,
    ),
    # -- slow loris
    FaultCase(
        "download-slow-loris",
        "result download → body dribbled (0.5 s gaps)",
        "read timeout, retried, done",
        "sync",
        (_f("download", "slow_body", delay=0.5),),
        DONE,
        1,
        {"download": 2},
    ),
    FaultCase(
        "query-slow-loris",
        "task query → body dribbled",
        "read timeout, polls again, done",
        "async",
        (_f("query", "slow_body", delay=0.5),),
        DONE,
        1,
        {"query": 3},
    ),
    FaultCase(
        "query-slow-headers",
        "task query → no headers for 0.6 s",
        "read timeout, polls again, done",
        "async",
        (_f("query", "slow", delay=0.6),),
        DONE,
        1,
        {"query": 4},
    ),
    FaultCase(
        "sync-slow-loris",
        "sync create → answer dribbled past the read timeout",
        "NOT resent: interrupted, 'may have been billed'",
        "sync",
        (_f("sync", "slow_body", delay=0.5),),
        INTERRUPTED,
        1,
        {"sync": 1},
        images=0,
        hint_has="billed",
    ),
    # -- garbled answers
    FaultCase(
        "sync-invalid-json",
        "sync create → 200 with invalid JSON (billed)",
        "NOT resent: interrupted",
        "sync",
        (_f("sync", "invalid_json", accept=True),),
        INTERRUPTED,
        1,
        {"sync": 1},
        images=0,
        hint_has="billed",
    ),
    FaultCase(
        "async-invalid-json",
        "async create → 200 with invalid JSON (task created)",
        "NOT resent: its task found in the task list, done",
        "async",
        (_f("create", "invalid_json", accept=True),),
        DONE,
        1,
        {"create": 1, "list": 1},
    ),
    FaultCase(
        "query-invalid-json",
        "task query → invalid JSON ×2",
        "keeps polling, done",
        "async",
        (_f("query", "invalid_json", times=2),),
        DONE,
        1,
        {"query": 5},
    ),
    # -- outcomes
    *[
        FaultCase(
            f"sync-empty-{variant}",
            f"sync → 200 with no images ({variant})",
            "failed: 'answered without any image'; nothing to fetch",
            "sync",
            (_f("sync", "empty", variant=variant),),
            FAILED,
            1,
            {"sync": 1, "download": 0},
            "NoImages",
            0,
            hint_has="prompt",
        )
        for variant in ("choices_empty", "content_empty", "text_only", "no_choices")
    ],
    FaultCase(
        "async-empty",
        "async task SUCCEEDED with no images",
        "failed: 'answered without any image'",
        "async",
        (_f("create", "empty"),),
        FAILED,
        1,
        {"create": 1, "download": 0},
        "NoImages",
        0,
    ),
    FaultCase(
        "async-moderation",
        "async task FAILED DataInspectionFailed",
        "failed with the code; hint: change the prompt; not resubmitted",
        "async",
        (_f("create", "moderation"),),
        FAILED,
        1,
        {"create": 1},
        "DataInspectionFailed",
        0,
        hint_has="moderation",
    ),
    FaultCase(
        "async-task-failed",
        "async task FAILED InternalError.Algo",
        "failed with the code; not resubmitted (a resend bills again)",
        "async",
        (_f("create", "task_failed"),),
        FAILED,
        1,
        {"create": 1},
        "InternalError.Algo",
        0,
        hint_has="retry",
    ),
    FaultCase(
        "sync-partial",
        "sync → 1 of 2 images (usage.image_count=1)",
        "partially done: the delivered image is saved, cost counts 1",
        "sync",
        (_f("sync", "partial"),),
        PARTIAL,
        1,
        {"sync": 1, "download": 1},
        n=2,
    ),
    FaultCase(
        "async-partial",
        "async task → 1 of 2 images, task_metrics FAILED=1",
        "partially done: the delivered image is saved",
        "async",
        (_f("create", "partial"),),
        PARTIAL,
        1,
        {"create": 1, "download": 1},
        n=2,
    ),
    # -- lifetimes (§4.5)
    FaultCase(
        "async-task-unknown-early",
        "task UNKNOWN although the journal sent it less than 24 h ago (a skewed clock, another account's key)",
        "not expired: stays resumable with 'check the key'; not resubmitted",
        "async",
        (),
        JobState.SUBMITTED,
        1,
        {"create": 1, "query": 1},
        "TaskUnknown",
        0,
        setup="expire_task_only_at_the_service",
        hint_has="key",
    ),
    FaultCase(
        "async-task-unknown-24h",
        "task UNKNOWN (polled after 24 h)",
        "expired: 'tasks are kept 24 hours'; not resubmitted",
        "async",
        (),
        EXPIRED,
        1,
        {"create": 1, "query": 1},
        "UNKNOWN",
        0,
        setup="expire_task",
        hint_has="24 hours",
    ),
    FaultCase(
        "sync-url-expired",
        "result download → 403 'Request has expired'",
        "expired, not retried",
        "sync",
        (_f("download", "expired", times=None),),
        EXPIRED,
        1,
        {"download": 1},
        "ResultExpired",
        0,
        hint_has="24 hours",
    ),
    FaultCase(
        "async-urls-expired-24h",
        "result URLs older than 24 h",
        "expired, not retried",
        "async",
        (),
        EXPIRED,
        1,
        {"download": 2},
        "ResultExpired",
        0,
        n=2,
        setup="expire_urls",
    ),
    # -- hostile result hosts
    FaultCase(
        "download-redirect",
        "result download → 302 to another host",
        "followed; no key sent there",
        "sync",
        (_f("download", "redirect"),),
        DONE,
        1,
        {"download": 2},
    ),
    FaultCase(
        "download-not-image",
        "result download → 200 captive-portal HTML",
        "refused (not an image), nothing saved; resumable",
        "sync",
        (_f("download", "not_image", times=None),),
        DOWNLOADING,
        1,
        {"download": 1},
        "DownloadError",
        0,
        resume_heals=True,
    ),
    FaultCase(
        "download-huge-declared",
        "result download → 1 GiB (Content-Length)",
        "refused before reading; resumable",
        "sync",
        (_f("download", "huge", times=None),),
        DOWNLOADING,
        1,
        {"download": 1},
        "DownloadError",
        0,
        resume_heals=True,
    ),
    FaultCase(
        "download-huge-streamed",
        "result download → endless body, no Content-Length",
        "stopped at the 100 MB cap, partial file removed; resumable",
        "sync",
        (_f("download", "huge", times=None, size=160 * 1024 * 1024, declare=False),),
        DOWNLOADING,
        1,
        {"download": 1},
        "DownloadError",
        0,
        resume_heals=True,
    ),
    FaultCase(
        "download-bomb",
        "result download → PNG declaring 60000×60000",
        "refused from the header, nothing decoded; resumable",
        "sync",
        (_f("download", "bomb", times=None),),
        DOWNLOADING,
        1,
        {"download": 1},
        "DownloadError",
        0,
        resume_heals=True,
    ),
]
