"""Network failures in plain words (`api/netreasons.py`), produced by real sockets, not mocks."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from wan27_desktop.api import netreasons
from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.errors import NetworkError
from wan27_desktop.api.retry import RetryPolicy


def _failure(url: str, timeout: float = 2.0) -> httpx.HTTPError:
    with pytest.raises(httpx.HTTPError) as raised:
        httpx.get(url, timeout=timeout)
    return raised.value


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP socket on 127.0.0.1 that accepts (the kernel's backlog) but never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock
    sock.close()


def test_a_refused_connection():
    exc = _failure("http://127.0.0.1:9/")  # nothing listens on the discard port
    assert netreasons.plain_reason(exc, netreasons.technical(exc)) == netreasons.REFUSED


def test_an_unknown_host():
    exc = _failure("http://no-such-host.invalid/")
    assert netreasons.plain_reason(exc, netreasons.technical(exc)) == netreasons.NO_DNS


def test_no_answer_in_time(listener: socket.socket):
    exc = _failure(f"http://127.0.0.1:{listener.getsockname()[1]}/", timeout=0.2)
    assert isinstance(exc, httpx.ReadTimeout)
    assert netreasons.plain_reason(exc, netreasons.technical(exc)) == netreasons.READ_TIMEOUT


def test_a_connection_closed_by_the_server(listener: socket.socket):
    def close_at_once() -> None:
        conn, _ = listener.accept()
        conn.recv(1024)
        conn.close()

    threading.Thread(target=close_at_once, daemon=True).start()
    exc = _failure(f"http://127.0.0.1:{listener.getsockname()[1]}/")
    assert netreasons.plain_reason(exc, netreasons.technical(exc)) == netreasons.CLOSED


def test_anything_else_keeps_the_technical_text():
    exc = httpx.DecodingError("bad gzip")
    assert netreasons.plain_reason(exc, netreasons.technical(exc)) == "DecodingError: bad gzip"


def test_the_client_message_says_it_plainly_and_the_log_keeps_the_details(caplog: pytest.LogCaptureFixture):
    with (
        DashScopeClient(
            "sk-netreasons-test", "http://127.0.0.1:9/api/v1", retry_policy=RetryPolicy(max_attempts=1)
        ) as client,
        pytest.raises(NetworkError) as raised,
    ):
        client.query_task("t-1")
    assert str(raised.value).startswith("The request to 127.0.0.1 failed: the connection was refused")
    assert raised.value.values["reason"] == netreasons.REFUSED
    assert "Connection refused" in caplog.text  # httpx's own words, for a bug report
