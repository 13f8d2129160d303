"""The result host's transport (issue 7): httpx with reads of up to 1 MiB, over plain HTTP and TLS."""

from __future__ import annotations

import ssl

import httpcore
import httpx
import pytest

from tests.fake_dashscope import FakeDashScope
from wan27_desktop.api import transport
from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.download import download_result, new_download_client
from wan27_desktop.api.models import GenerationRequest
from wan27_desktop.api.request_body import build_body
from wan27_desktop.api.tls import shared_ssl_context


class RecordingStream(httpcore.NetworkStream):
    """A stream that answers every read with one byte and remembers what was asked."""

    def __init__(self) -> None:
        self.asked: list[int] = []
        self.closed = False
        self.tls: tuple[ssl.SSLContext, str | None] | None = None

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.asked.append(max_bytes)
        return b"x"

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        upgraded = RecordingStream()
        upgraded.tls = (ssl_context, server_hostname)
        return upgraded

    def get_extra_info(self, info: str) -> object:
        return f"info:{info}"


@pytest.mark.parametrize("asked", [1, 65536, transport.READ_BYTES, 4 * transport.READ_BYTES])
def test_reads_ask_for_at_least_one_mebibyte(asked: int):
    inner = RecordingStream()
    assert transport.LargeReadStream(inner).read(asked) == b"x"
    assert inner.asked == [max(asked, transport.READ_BYTES)]


def test_the_tls_stream_reads_large_too_and_the_rest_passes_through():
    inner = RecordingStream()
    stream = transport.LargeReadStream(inner)
    context = ssl.create_default_context()
    upgraded = stream.start_tls(context, "oss.example.com")
    assert isinstance(upgraded, transport.LargeReadStream)
    upgraded.read(100)
    tls_inner = upgraded._stream  # type: ignore[attr-defined]
    assert tls_inner.tls == (context, "oss.example.com") and tls_inner.asked == [transport.READ_BYTES]
    assert stream.get_extra_info("client_addr") == "info:client_addr"
    stream.close()
    assert inner.closed


def test_the_download_client_uses_large_reads_and_verifies_tls():
    with new_download_client() as http:
        pool = http._transport._pool  # type: ignore[attr-defined]
        assert pool._ssl_context is shared_ssl_context()  # the verifying context, not a new default
        assert pool._ssl_context.verify_mode is ssl.CERT_REQUIRED
        assert pool._http1 and not pool._http2


def test_a_download_from_the_fake_runs_on_large_read_streams(tmp_path):
    with FakeDashScope(api_key="sk-transport-test") as fake, new_download_client() as http:
        fake.result_image_mode = "noise"
        with DashScopeClient(fake.api_key, fake.base_url) as client:
            url = client.generate(build_body(GenerationRequest(prompt="p", n=1, size="1024*1024"))).image_urls[0]
        with http.stream("GET", url) as response:
            assert isinstance(response.extensions["network_stream"], transport.LargeReadStream)
            body = response.read()
        result = download_result(url, tmp_path, client=http)
    assert result.path.read_bytes() == body and (result.width, result.height) == (1024, 1024)


def test_a_later_httpx_without_the_expected_pool_keeps_its_own(monkeypatch):
    class OtherPool:  # what a differently built httpx might hold
        def close(self) -> None:
            raise AssertionError("a pool we did not replace must not be closed")

    real_init = httpx.HTTPTransport.__init__

    def init(self: httpx.HTTPTransport, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        self._pool = OtherPool()  # type: ignore[assignment]

    monkeypatch.setattr(httpx.HTTPTransport, "__init__", init)
    made = transport.result_transport(shared_ssl_context())
    assert isinstance(made._pool, OtherPool)  # type: ignore[attr-defined]
