"""Parsing of §4 response shapes and the §5 error-code table."""

from __future__ import annotations

import json

import pytest

from wan27_desktop.api import errors as E
from wan27_desktop.api.responses import (
    decode_json,
    error_for_code,
    error_from_response,
    parse_generation,
    parse_submission,
    parse_task,
    raise_for_task,
    task_error,
)
from wan27_desktop.api.results import TaskMetrics, TaskStatus

URL1 = "https://dashscope-result-intl.oss-cn-singapore.aliyuncs.com/a.png?Expires=1700000000&Signature=x"
URL2 = "https://dashscope-result-intl.oss-cn-singapore.aliyuncs.com/b.png?Expires=1700000000&Signature=y"

SYNC_OK = {  # §4.1 verbatim shape
    "request_id": "a3f4",
    "output": {
        "finished": True,
        "choices": [
            {"finish_reason": "stop", "message": {"role": "assistant", "content": [{"type": "image", "image": URL1}]}},
            {"finish_reason": "stop", "message": {"role": "assistant", "content": [{"image": URL2}]}},
        ],
    },
    "usage": {"image_count": 2, "size": "2985*1405", "input_tokens": 18790, "output_tokens": 2, "total_tokens": 18792},
}


def test_sync_result_collects_every_image_in_order():
    result = parse_generation(SYNC_OK)
    assert result.image_urls == (URL1, URL2)
    assert result.request_id == "a3f4"
    assert result.usage.image_count == 2
    assert result.usage.size == "2985*1405"
    assert result.usage.total_tokens == 18792


def test_sync_result_collects_images_without_type_and_skips_text_items():
    body = {
        "request_id": "r",
        "output": {
            "choices": [
                {
                    "message": {
                        "content": [
                            {"type": "text", "text": "hello"},
                            {"image": URL1},
                            {"type": "image"},
                            {"image": ""},
                        ]
                    }
                }
            ]
        },
    }
    assert parse_generation(body).image_urls == (URL1,)


def test_sync_result_tolerates_missing_usage_and_string_numbers():
    body = {"output": {"choices": []}, "usage": {"image_count": "3", "size": 5}}
    result = parse_generation(body)
    assert result.image_urls == ()
    assert result.usage.image_count == 3
    assert result.request_id is None


def test_sync_result_accepts_legacy_results_list():
    assert parse_generation({"output": {"results": [{"url": URL1}]}}).image_urls == (URL1,)


def test_sync_200_with_error_code_raises_the_mapped_error():
    with pytest.raises(E.ModerationError) as info:
        parse_generation({"request_id": "r9", "code": "DataInspectionFailed", "message": "blocked"})
    assert info.value.request_id == "r9"


def test_sync_result_without_output_is_malformed():
    with pytest.raises(E.MalformedResponseError):
        parse_generation({"request_id": "r"})


def test_async_create_gives_task_id_and_pending():
    submission = parse_submission({"request_id": "ccf4", "output": {"task_id": "8811b4a4", "task_status": "PENDING"}})
    assert (submission.task_id, submission.request_id, submission.status) == ("8811b4a4", "ccf4", TaskStatus.PENDING)


def test_async_create_without_task_id_is_malformed():
    with pytest.raises(E.MalformedResponseError, match="no task id"):
        parse_submission({"request_id": "ccf4", "output": {}})


@pytest.mark.parametrize("status", ["PENDING", "RUNNING", "CANCELED", "UNKNOWN"])
def test_task_states_parse(status):
    snapshot = parse_task(
        {
            "request_id": "q",
            "output": {"task_id": "t1", "task_status": status, "submit_time": "2025-01-01 10:00:00.000"},
        }
    )
    assert snapshot.status is TaskStatus(status)
    assert snapshot.result is None
    assert snapshot.submit_time == "2025-01-01 10:00:00.000"


def test_succeeded_task_has_result_and_usage():
    body = {
        "request_id": "q",
        "output": {
            **SYNC_OK["output"],
            "task_id": "t1",
            "task_status": "SUCCEEDED",
            "end_time": "2025-01-01 10:01:00.000",
        },
        "usage": {"image_count": 2},
    }
    snapshot = parse_task(body)
    assert snapshot.status is TaskStatus.SUCCEEDED
    assert snapshot.result is not None
    assert snapshot.result.image_urls == (URL1, URL2)
    assert snapshot.result.usage.image_count == 2
    assert snapshot.result.task_id == "t1"
    assert snapshot.end_time == "2025-01-01 10:01:00.000"


def test_failed_task_is_a_snapshot_with_code_and_message():
    body = {
        "request_id": "q",
        "output": {
            "task_id": "t1",
            "task_status": "FAILED",
            "code": "DataInspectionFailed",
            "message": "Input data may contain inappropriate content.",
        },
    }
    snapshot = parse_task(body)
    assert snapshot.status is TaskStatus.FAILED
    assert snapshot.code == "DataInspectionFailed"
    assert isinstance(task_error(snapshot), E.ModerationError)


def test_task_metrics_are_tolerated():
    body = {
        "output": {
            "task_id": "t",
            "task_status": "SUCCEEDED",
            "choices": [],
            "task_metrics": {"TOTAL": 4, "SUCCEEDED": 3, "FAILED": 1},
        }
    }
    assert parse_task(body).task_metrics == TaskMetrics(total=4, succeeded=3, failed=1)


def test_unknown_task_state_is_treated_as_running():
    assert parse_task({"output": {"task_id": "t", "task_status": "SUSPENDED"}}).status is TaskStatus.RUNNING


def test_lower_case_task_state_is_accepted():
    assert parse_task({"output": {"task_id": "t", "task_status": "succeeded"}}).status is TaskStatus.SUCCEEDED


def test_task_id_falls_back_to_the_queried_id():
    assert parse_task({"output": {"task_status": "UNKNOWN"}}, task_id="abc").task_id == "abc"


def test_task_without_status_is_malformed():
    with pytest.raises(E.MalformedResponseError):
        parse_task({"output": {"task_id": "t"}})


def test_raise_for_task_maps_terminal_failures():
    def snap(status, code=None):
        return parse_task({"request_id": "q", "output": {"task_id": "t", "task_status": status, "code": code}})

    with pytest.raises(E.TaskCanceled):
        raise_for_task(snap("CANCELED"))
    with pytest.raises(E.TaskUnknown):
        raise_for_task(snap("UNKNOWN"))
    with pytest.raises(E.RateLimitError):
        raise_for_task(snap("FAILED", "Throttling"))
    with pytest.raises(E.ServerError):
        raise_for_task(snap("FAILED"))  # no code: the service's failure
    ok = snap("RUNNING")
    assert raise_for_task(ok) is ok


# ------------------------------------------------------------------------------------ §5 table
CODE_CASES = [
    (400, "InvalidParameter", E.InvalidRequestError),
    (400, "InvalidParameter.DataInspection", E.InvalidRequestError),
    (400, "DataInspectionFailed", E.ModerationError),
    (400, "IPInfringementSuspect", E.ModerationError),
    (400, "BadRequest.EmptyInput", E.InvalidRequestError),
    (400, "BadRequest.EmptyParameters", E.InvalidRequestError),
    (400, "BadRequest.EmptyModel", E.InvalidRequestError),
    (400, "InvalidURL", E.InvalidRequestError),
    (400, "Arrearage", E.QuotaError),
    (400, "UnsupportedOperation", E.InvalidRequestError),
    (401, "InvalidApiKey", E.AuthError),
    (403, "AccessDenied", E.AccessDeniedError),
    (403, "AccessDenied.Unpurchased", E.AccessDeniedError),
    (404, "ModelNotFound", E.InvalidRequestError),
    (404, "WorkSpaceNotFound", E.AccessDeniedError),
    (408, "RequestTimeOut", E.ServerError),
    (413, "BadRequest.TooLarge", E.PayloadTooLargeError),
    (415, "BadRequest.InputDownloadFailed", E.InputDownloadError),
    (415, "BadRequest.UnsupportedFileFormat", E.InvalidRequestError),
    (429, "Throttling", E.RateLimitError),
    (429, "Throttling.RateQuota", E.RateLimitError),
    (429, "Throttling.AllocationQuota", E.RateLimitError),
    (500, "InternalError", E.ServerError),
    (500, "InternalError.Algo", E.ServerError),
    (500, "InternalError.Timeout", E.ServerError),
    (500, "SystemError", E.ServerError),
    (500, "ModelServiceFailed", E.ServerError),
    (503, "ModelUnavailable", E.ServerError),
]


@pytest.mark.parametrize(("status", "code", "cls"), CODE_CASES, ids=[c[1] for c in CODE_CASES])
def test_every_documented_code_maps_to_its_class(status, code, cls):
    body = json.dumps({"request_id": "rid-1", "code": code, "message": f"msg for {code}"}).encode()
    error = error_from_response(status, body, retry_after=7.0)
    assert type(error) is cls
    assert (error.code, error.message, error.request_id, error.status) == (code, f"msg for {code}", "rid-1", status)
    assert error.hint and error.hint.strip()
    assert "rid-1" in str(error) and code in str(error)
    if cls is E.RateLimitError:
        assert error.retry_after == 7.0


@pytest.mark.parametrize(("status", "code", "cls"), CODE_CASES, ids=[c[1] for c in CODE_CASES])
def test_code_wins_over_a_contradicting_status(status, code, cls):
    # §9: statuses are unconfirmed; the same code under another status maps the same way.
    assert type(error_for_code(code, "m", status=200 if status >= 400 else 500)) is cls


def test_code_specific_hints_differ_from_class_defaults():
    assert "PNG or JPEG" in error_for_code("InvalidParameter.DataInspection", "m").hint
    assert "top up" in error_for_code("Arrearage", "m").hint
    assert "intellectual property" in error_for_code("IPInfringementSuspect", "m").hint
    assert error_for_code("InvalidApiKey", "m").hint == E.AuthError.default_hint


def test_unknown_code_in_a_known_family_uses_the_family():
    assert type(error_for_code("Throttling.NewThing", "m", status=400)) is E.RateLimitError
    assert type(error_for_code("InternalError.Whatever", "m", status=400)) is E.ServerError


def test_unknown_code_falls_back_to_status():
    assert type(error_for_code("Brand.New", "m", status=401)) is E.AuthError
    assert type(error_for_code("Brand.New", "m", status=502)) is E.ServerError
    assert type(error_for_code("Brand.New", "m", status=None)) is E.ServiceError


def test_burst_message_without_code_is_rate_limited_with_burst_hint():
    error = error_from_response(429, b'{"message": "Request rate increased too quickly"}')
    assert type(error) is E.RateLimitError
    assert "burst" in error.hint


def test_burst_message_under_throttling_code_gets_burst_hint():
    error = error_for_code("Throttling", "Request rate increased too quickly, please slow down")
    assert "burst" in error.hint


def test_free_quota_exceeded_is_a_quota_error_not_a_retry():
    error = error_for_code("Throttling.AllocationQuota", "Free allocated quota exceeded.", status=429)
    assert type(error) is E.QuotaError
    assert not error.retryable


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_error_without_json_is_a_server_error(status):
    error = error_from_response(status, b"")
    assert type(error) is E.ServerError
    assert error.code is None and error.status == status
    assert error.retryable


def test_html_proxy_page_is_described_as_such():
    error = error_from_response(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>")
    assert type(error) is E.ServerError
    assert "HTML" in error.message
    assert "<h1>" not in error.message


def test_invalid_json_error_body_maps_by_status():
    assert type(error_from_response(401, b"{not json")) is E.AuthError
    assert type(error_from_response(429, b"{not json", retry_after=3)) is E.RateLimitError


def test_gateway_wrapped_error_object_is_read():
    body = b'{"error": {"code": "InvalidApiKey", "message": "bad key"}, "request_id": "r"}'
    error = error_from_response(401, body)
    assert type(error) is E.AuthError and error.request_id == "r"


def test_error_message_is_cleaned_and_bounded():
    error = error_for_code("InvalidParameter", "a\x00b\x1b[31m" + "x" * 5000)
    assert "\x00" not in error.message and "\x1b" not in error.message
    assert len(error.message) <= 501


def test_decode_json_refuses_html_and_non_objects():
    with pytest.raises(E.MalformedResponseError, match="HTML"):
        decode_json(b"<!DOCTYPE html><html></html>", status=200)
    with pytest.raises(E.MalformedResponseError, match="invalid JSON"):
        decode_json(b"\xff\xfe garbage")
    with pytest.raises(E.MalformedResponseError, match="not an object"):
        decode_json(b"[1, 2]")
