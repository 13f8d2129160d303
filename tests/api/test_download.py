"""Result downloads: against the fake's result host over real HTTP, plus MockTransport edge cases."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from tests.api.images import make_png
from tests.fake_dashscope import FakeDashScope, Fault
from wan27_desktop.api import errors as E
from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.download import download_result, url_expires_at
from wan27_desktop.api.models import GenerationRequest
from wan27_desktop.api.request_body import build_body
from wan27_desktop.api.retry import RetryPolicy

FAST = RetryPolicy(max_attempts=3, sleep=lambda s: None)


@pytest.fixture
def fake(fake_dashscope: FakeDashScope) -> FakeDashScope:
    fake_dashscope.result_image_mode = "small"
    fake_dashscope.text_preset_aspects = ((1, 1),)  # a square preset: the sizes below are exact
    return fake_dashscope


@pytest.fixture
def url(fake: FakeDashScope) -> str:
    with DashScopeClient(fake.api_key, fake.base_url) as client:
        return client.generate(build_body(GenerationRequest(prompt="p", n=1, size="1K"))).image_urls[0]


def leftovers(directory: Path) -> list[Path]:
    return sorted(directory.iterdir()) if directory.exists() else []


def test_download_verifies_and_names_the_file_by_hash(url, tmp_path: Path):
    progress: list[tuple[int, int | None]] = []
    result = download_result(url, tmp_path / "out", on_progress=lambda n, total: progress.append((n, total)))
    assert result.path == tmp_path / "out" / f"{result.sha256}.png"
    assert result.path.stat().st_size == result.size
    assert (result.format, result.width, result.height) == ("png", 256, 256)
    assert progress[-1] == (result.size, result.size)
    assert leftovers(tmp_path / "out") == [result.path]  # no temp file left behind


def test_truncated_download_is_retried(fake, url, tmp_path: Path):
    fake.add_fault(Fault("download", "reset_mid_body"))
    result = download_result(url, tmp_path, retry_policy=FAST)
    assert result.width == 256
    assert len(fake.requests_for(listener="result")) == 2


def test_persistent_truncation_fails_and_leaves_no_partial_file(fake, url, tmp_path: Path):
    fake.add_fault(Fault("download", "reset_mid_body", times=None))
    with pytest.raises(E.WanError) as info:
        download_result(url, tmp_path, retry_policy=FAST)
    assert info.value.retryable
    assert leftovers(tmp_path) == []
    assert len(fake.requests_for(listener="result")) == 3


def test_size_cap_refuses_declared_huge_body_early(fake, url, tmp_path: Path):
    fake.add_fault(Fault("download", "huge", size=50 * 1024 * 1024, declare=True))
    with pytest.raises(E.DownloadError, match="over the 1,048,576-byte limit"):
        download_result(url, tmp_path, max_bytes=1024 * 1024, retry_policy=FAST)
    assert leftovers(tmp_path) == []


def test_size_cap_enforced_while_streaming_undeclared_body(fake, url, tmp_path: Path):
    fake.add_fault(Fault("download", "huge", size=50 * 1024 * 1024, declare=False))
    with pytest.raises(E.DownloadError, match="download stopped"):
        download_result(url, tmp_path, max_bytes=1024 * 1024, retry_policy=FAST)
    assert leftovers(tmp_path) == []


def test_expired_link_after_24_hours_is_result_expired(fake, url, tmp_path: Path):
    fake.advance_clock(25 * 3600)
    with pytest.raises(E.ResultExpired):
        download_result(url, tmp_path, retry_policy=FAST)
    assert len(fake.requests_for(listener="result")) == 1  # not retried


def test_expired_fault_is_result_expired(fake, url, tmp_path: Path):
    fake.add_fault(Fault("download", "expired"))
    with pytest.raises(E.ResultExpired):
        download_result(url, tmp_path, retry_policy=FAST)


def test_tampered_signature_403_is_not_reported_as_expired(url, tmp_path: Path):
    with pytest.raises(E.DownloadError) as info:
        download_result(url.replace("Signature=", "Signature=x"), tmp_path, retry_policy=FAST)
    assert not isinstance(info.value, E.ResultExpired) and info.value.status == 403


def test_not_an_image_is_refused_and_removed(fake, url, tmp_path: Path):
    fake.add_fault(Fault("download", "not_image"))
    with pytest.raises(E.DownloadError, match="not an image"):
        download_result(url, tmp_path, retry_policy=FAST)
    assert leftovers(tmp_path) == []


def test_decompression_bomb_is_refused(fake, url, tmp_path: Path):
    fake.add_fault(Fault("download", "bomb"))
    with pytest.raises(E.DownloadError, match="bomb"):
        download_result(url, tmp_path, retry_policy=FAST)
    assert leftovers(tmp_path) == []


def test_redirect_to_another_host_is_followed_without_credentials(fake, url, tmp_path: Path):
    fake.add_fault(Fault("download", "redirect"))
    result = download_result(url, tmp_path, retry_policy=FAST)
    assert result.width == 256
    hosts = [r.headers["host"].split(":")[0] for r in fake.requests_for(listener="result")]
    assert hosts == ["127.0.0.1", "localhost"]
    assert all("authorization" not in r.headers for r in fake.requests_for(listener="result"))


def test_slow_loris_body_hits_the_deadline(fake, url, tmp_path: Path):
    fake.add_fault(Fault("download", "slow_body", delay=0.3, chunks=50))
    with pytest.raises(E.DownloadError, match="too slow"):
        download_result(url, tmp_path, retry_policy=FAST, deadline_s=0.5)
    assert leftovers(tmp_path) == []


def test_cancel_mid_download(fake, url, tmp_path: Path):
    fake.add_fault(Fault("download", "slow_body", delay=0.01, chunks=4))
    seen: list[int] = []
    with pytest.raises(E.Canceled):
        download_result(url, tmp_path, on_progress=lambda n, t: seen.append(n), should_cancel=lambda: bool(seen))
    assert leftovers(tmp_path) == []


def test_a_client_with_credentials_is_refused(url, tmp_path: Path):
    with httpx.Client(headers={"Authorization": "Bearer sk-nope"}) as client, pytest.raises(ValueError):
        download_result(url, tmp_path, client=client)


# ------------------------------------------------------------------------- MockTransport cases
def mock_client(handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_server_errors_are_retried_with_retry_after(tmp_path: Path):
    answers = [httpx.Response(503, headers={"Retry-After": "4"}), httpx.Response(200, content=make_png(8, 8))]
    sleeps: list[float] = []
    with mock_client(lambda r: answers.pop(0)) as client:
        result = download_result(
            "https://oss.example.com/a.png", tmp_path, client=client, retry_policy=RetryPolicy(sleep=sleeps.append)
        )
    assert result.width == 8 and sleeps == [4.0]


def test_403_with_past_expires_query_is_result_expired_even_without_body(tmp_path: Path):
    with mock_client(lambda r: httpx.Response(403)) as client, pytest.raises(E.ResultExpired, match="valid until"):
        download_result("https://oss.example.com/a.png?Expires=1000000000&Signature=x", tmp_path, client=client)


def test_too_many_redirects_are_refused(tmp_path: Path):
    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "/again"})

    with mock_client(loop) as client, pytest.raises(E.DownloadError, match="redirected more than"):
        download_result("https://oss.example.com/a.png", tmp_path, client=client)


def test_redirect_to_non_http_scheme_is_refused(tmp_path: Path):
    with (
        mock_client(lambda r: httpx.Response(302, headers={"Location": "file:///etc/passwd"})) as client,
        pytest.raises(E.DownloadError, match="refused"),
    ):
        download_result("https://oss.example.com/a.png", tmp_path, client=client)


def test_body_shorter_than_content_length_without_transport_error_is_retried(tmp_path: Path):
    png = make_png(8, 8)
    answers = [
        httpx.Response(200, content=png[:-5], headers={"Content-Length": str(len(png))}),
        httpx.Response(200, content=png),
    ]
    with mock_client(lambda r: answers.pop(0)) as client:
        assert download_result("https://oss.example.com/a.png", tmp_path, client=client, retry_policy=FAST).size == len(
            png
        )


def test_same_image_twice_lands_on_the_same_name(tmp_path: Path):
    with mock_client(lambda r: httpx.Response(200, content=make_png(8, 8))) as client:
        first = download_result("https://oss.example.com/a.png", tmp_path, client=client)
        second = download_result("https://oss.example.com/b.png", tmp_path, client=client)
    assert first.path == second.path and leftovers(tmp_path) == [first.path]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x/a.png?Expires=1700000000&Signature=s", datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)),
        (
            "https://x/a.png?x-oss-date=20250101T000000Z&x-oss-expires=86400&x-oss-signature=s",
            datetime(2025, 1, 2, tzinfo=timezone.utc),
        ),
        ("https://x/a.png", None),
        ("https://x/a.png?Expires=soon", None),
    ],
)
def test_url_expires_at(url, expected):
    assert url_expires_at(url) == expected
