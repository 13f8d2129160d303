"""HTTP plumbing shared by the fake's two listeners: threaded HTTP/1.1 with keep-alive, request
recording, and the response-level faults (slow, slow loris, drops, truncated bodies, replaced
answers). The API and result routes only return `Reply` values; this module puts them on the wire.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from tests.fake_dashscope.faults import RESPONSE_KINDS, Fault

if TYPE_CHECKING:
    from tests.fake_dashscope.server import FakeDashScope

REPLACING_KINDS = frozenset({"error", "throttle", "server_error", "drop", "invalid_json", "html"})


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake saw it (both listeners)."""

    method: str
    path: str  # without the query string
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    listener: str  # "api" | "result"
    op: str  # "sync" | "create" | "query" | "cancel" | "download" | "other"
    time: float  # real wall-clock time of arrival
    request_id: str

    @property
    def json(self) -> Any:
        """The body parsed as JSON (None when empty or not JSON)."""
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    # For bodies too large to hold in memory: yields chunks; `length` is the declared size
    # (None: no Content-Length, the body ends when the connection closes).
    stream: Callable[[], Iterator[bytes]] | None = None
    length: int | None = None


def json_reply(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Reply:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return Reply(status, data, "application/json", dict(headers or {}))


class Listener(ThreadingHTTPServer):
    """One "host" of the fake. Tracks open connections so stop() can end idle keep-alives."""

    daemon_threads = False
    block_on_close = True  # server_close() joins handler threads: no leaks

    def __init__(self, fake: FakeDashScope, name: str, handler: type[BaseHTTPRequestHandler], port: int = 0) -> None:
        self.fake = fake
        self.name = name
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def close_connections(self) -> None:
        with self.connections_lock:
            conns = list(self.connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class BaseHandler(BaseHTTPRequestHandler):
    """Reads, records, applies response faults, routes, writes."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    timeout = 120  # idle keep-alive connections end on their own even without stop()
    listener_name = "api"
    server: Listener

    # -- subclass hooks ------------------------------------------------------------------------
    def classify(self, method: str, path: str) -> str:
        raise NotImplementedError

    def route(self, request: RecordedRequest, oversized: bool) -> Reply:
        raise NotImplementedError

    def fault_reply(self, fault: Fault, request_id: str) -> Reply:
        raise NotImplementedError

    # -- plumbing ------------------------------------------------------------------------------
    @property
    def fake(self) -> FakeDashScope:
        return self.server.fake

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The `Date` header by the fake's clock (a server's Date and its task times share a clock),
        so `advance_clock` also plays a client whose own clock is behind."""
        return super().date_time_string(self.fake.now() if timestamp is None else timestamp)

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)

    def handle(self) -> None:
        # The client went away (or stop() shut the socket): nothing to answer.
        with contextlib.suppress(OSError):
            super().handle()

    def log_message(self, format: str, *args: Any) -> None:
        if self.fake.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _read_body(self) -> tuple[bytes, bool]:
        """The request body, and whether it exceeded the fake's cap (then it is discarded)."""
        cap = self.fake.max_body_bytes
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts, total = [], 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunk = self.rfile.read(size)
                self.rfile.readline()
                total += size
                if total <= cap:
                    parts.append(chunk)
            return (b"", True) if total > cap else (b"".join(parts), False)
        length = int(self.headers.get("Content-Length") or 0)
        if length <= cap:
            return self.rfile.read(length), False
        remaining = length
        while remaining > 0:  # drain, so the client can read the 413 instead of a broken pipe
            chunk = self.rfile.read(min(remaining, 1 << 20))
            if not chunk:
                break
            remaining -= len(chunk)
        return b"", True

    def _dispatch(self) -> None:
        request_id = str(uuid.uuid4())
        body, oversized = self._read_body()
        split = urlsplit(self.path)
        op = self.classify(self.command, split.path)
        request = RecordedRequest(
            method=self.command,
            path=split.path,
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            listener=self.listener_name,
            op=op,
            time=time.time(),
            request_id=request_id,
        )
        self.fake._record(request)
        fault = self.fake._faults.take(op, RESPONSE_KINDS)
        if fault is not None and fault.kind == "slow":
            self.fake._sleep(float(fault.get("delay", 1.0)))
        replacing = fault if fault is not None and fault.kind in REPLACING_KINDS else None
        try:
            # accept=True: the request is processed (created, billed) before its answer is lost.
            reply = None if replacing and not replacing.get("accept", False) else self.route(request, oversized)
            if replacing is not None:
                if replacing.kind == "drop":
                    self._drop()
                    return
                reply = self.fault_reply(replacing, request_id)
        except Exception as exc:  # a bug in the fake itself: answer 500 and keep it for the test
            self.fake._internal_error(f"{self.command} {self.path}: {exc!r}\n{traceback.format_exc()}")
            reply = json_reply(
                500, {"request_id": request_id, "code": "InternalError", "message": f"fake server bug: {exc!r}"}
            )
        assert reply is not None
        sending = time.monotonic()
        self._send(reply, fault)
        self.fake._replied(request, reply.status, sending)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send(self, reply: Reply, fault: Fault | None) -> None:
        if self.fake._stopping.is_set():  # stop() woke a sleeping fault: abandon, don't answer
            self._drop()
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.stream is not None:
            if reply.length is not None:
                self.send_header("Content-Length", str(reply.length))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            for chunk in reply.stream():
                if self.fake._stopping.is_set():
                    break
                self.wfile.write(chunk)
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if fault is not None and fault.kind == "reset_mid_body":
            self._write_truncated(reply.body, fault)
        elif fault is not None and fault.kind == "slow_body":
            self._write_slowly(reply.body, fault)
        else:
            self.wfile.write(reply.body)

    def _write_truncated(self, body: bytes, fault: Fault) -> None:
        """Part of the body under a full Content-Length, then close: a truncated transfer."""
        cut = fault.get("bytes")
        if cut is None:
            cut = int(len(body) * float(fault.get("fraction", 0.5)))
        self.wfile.write(body[: max(0, min(int(cut), len(body) - 1))])
        self.wfile.flush()
        self._drop()

    def _write_slowly(self, body: bytes, fault: Fault) -> None:
        """Slow loris: the body in pieces with pauses, each read succeeding but the whole crawling."""
        size = int(fault.get("chunk_size") or max(1, -(-len(body) // int(fault.get("chunks", 5)))))
        delay = float(fault.get("delay", 0.5))
        for start in range(0, len(body), size):
            if start:
                self.fake._sleep(delay)
                if self.fake._stopping.is_set():
                    self._drop()
                    return
            self.wfile.write(body[start : start + size])
            self.wfile.flush()
