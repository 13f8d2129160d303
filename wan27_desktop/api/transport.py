"""The result host's HTTP transport: httpx with larger socket reads (issue 7: download throughput).

httpcore's HTTP/1.1 connection reads its socket 64 KiB at a time, so a 50 MB result makes ~800 trips
through h11 and httpx's Python layers, each one also a GIL hand-off to the download's check threads.
Asking for up to `READ_BYTES` per read lets the kernel hand over all it has buffered in one call:
over plain HTTP on loopback (the fake, a LAN cache) that is ~15 % off a 50 MB download. Over TLS a
read still returns at most one TLS record (16 KiB), so nothing changes there.

Network backends are public httpcore API, but httpx 0.28 has no argument to pass one to
`HTTPTransport` (encode/httpx#3749), so the transport's pool is rebuilt with ours right after it is
made. Should a later httpx build its pool differently, its own stays: downloads are then only slower.
"""

from __future__ import annotations

import ssl
import typing

import httpcore
import httpx

READ_BYTES = 1 << 20
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)


class LargeReadStream(httpcore.NetworkStream):
    """A network stream that asks the socket for at least `READ_BYTES` per read."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max(max_bytes, READ_BYTES), timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, timeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return LargeReadStream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class LargeReadBackend(httpcore.NetworkBackend):
    """httpcore's own blocking-socket backend, its streams wrapped in `LargeReadStream`."""

    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return LargeReadStream(self._backend.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return LargeReadStream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def result_transport(ssl_context: ssl.SSLContext) -> httpx.HTTPTransport:
    """An `httpx.HTTPTransport` (HTTP/1.1, verifying with `ssl_context`) whose reads are large."""
    transport = httpx.HTTPTransport(verify=ssl_context, limits=LIMITS)
    default = getattr(transport, "_pool", None)
    if type(default) is httpcore.ConnectionPool:  # httpx's layout up to at least 0.28
        transport._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=LIMITS.max_connections,
            max_keepalive_connections=LIMITS.max_keepalive_connections,
            keepalive_expiry=LIMITS.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=LargeReadBackend(),
        )
        default.close()
    return transport
