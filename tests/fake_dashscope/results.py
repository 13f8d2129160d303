"""The result listener: a second "host" standing in for the OSS bucket behind result URLs.

URLs look pre-signed (`Expires`, `OSSAccessKeyId`, `Signature`); after `Expires` on the virtual clock
the answer is OSS's 403 XML (§4.5). It never needs, and tests assert it never gets, the API key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Iterator
from urllib.parse import quote
from xml.sax.saxutils import escape

from tests.fake_dashscope import pngmaker
from tests.fake_dashscope.api import fault_reply_json, html_reply
from tests.fake_dashscope.faults import DOWNLOAD_KINDS, Fault
from tests.fake_dashscope.transport import BaseHandler, RecordedRequest, Reply

OSS_ACCESS_KEY_ID = "LTAI5tFakeResultBucket"  # not a credential: the fake's own "bucket" id
_RESULT_PATH = re.compile(r"^/[^/]+/\d{8}/[^/]+/([0-9a-f]{32})\.png$")
_HUGE_CHUNK = bytes(256 * 1024)


def sign(secret: bytes, image_id: str, expires: int) -> str:
    digest = hmac.new(secret, f"GET\n{image_id}\n{expires}".encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed_query(secret: bytes, image_id: str, expires: int) -> str:
    return (
        f"Expires={expires}&OSSAccessKeyId={OSS_ACCESS_KEY_ID}"
        f"&Signature={quote(sign(secret, image_id, expires), safe='')}"
    )


def oss_error(status: int, code: str, message: str, request_id: str, **extra: str) -> Reply:
    fields = "".join(f"\n  <{k}>{escape(v)}</{k}>" for k, v in extra.items())
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>{escape(code)}</Code>\n'
        f"  <Message>{escape(message)}</Message>\n  <RequestId>{request_id}</RequestId>\n"
        f"  <HostId>fake-result-bucket.oss.aliyuncs.com</HostId>{fields}\n</Error>\n"
    ).encode()
    return Reply(status, body, "application/xml", {"x-oss-request-id": request_id})


def _gmt(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(epoch))


class ResultHandler(BaseHandler):
    listener_name = "result"
    server_version = "AliyunOSS"
    sys_version = ""

    def classify(self, method: str, path: str) -> str:
        return "download"

    def fault_reply(self, fault: Fault, request_id: str) -> Reply:
        kind = fault.kind
        if kind == "error":
            return oss_error(
                int(fault.get("status", 403)),
                fault.get("code", "AccessDenied"),
                fault.get("message", "Injected error."),
                request_id,
            )
        if kind == "throttle":
            reply = oss_error(
                int(fault.get("status", 503)),
                fault.get("code", "SlowDown"),
                fault.get("message", "Please reduce your request rate."),
                request_id,
            )
            if fault.get("retry_after") is not None:
                reply.headers["Retry-After"] = str(fault.get("retry_after"))
            return reply
        if kind == "server_error":
            return oss_error(
                int(fault.get("status", 500)),
                fault.get("code", "InternalError"),
                fault.get("message", "We encountered an internal error. Please try again."),
                request_id,
            )
        # Same proxy page / garbage as on the API host.
        if kind == "html":
            return html_reply(int(fault.get("status", 502)), self.path)
        return fault_reply_json(fault, request_id, self.path)

    def route(self, request: RecordedRequest, oversized: bool) -> Reply:
        fake = self.fake
        rid = request.request_id
        match = _RESULT_PATH.match(request.path)
        image = fake._result(match.group(1)) if match else None
        if request.method != "GET":
            return oss_error(405, "MethodNotAllowed", "The specified method is not allowed.", rid)
        if image is None:
            return oss_error(404, "NoSuchKey", "The specified key does not exist.", rid)
        fault = fake._faults.take("download", DOWNLOAD_KINDS)
        if fault is not None:
            return self._download_fault(fault, request, image.width, image.height)
        expires = request.query.get("Expires", "")
        if not expires.isdigit() or request.query.get("Signature") != sign(fake._secret, image.image_id, int(expires)):
            return oss_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
                rid,
            )
        now = fake.now()
        if now > int(expires):
            return self._expired(rid, int(expires), now)
        data, etag = fake._result_object(image)
        return Reply(
            200,
            data,
            "image/png",
            {
                "ETag": etag,
                "x-oss-request-id": rid,
                "x-oss-object-type": "Normal",
                "Accept-Ranges": "bytes",
            },
        )

    def _expired(self, rid: str, expires: int, now: float) -> Reply:
        return oss_error(403, "AccessDenied", "Request has expired.", rid, Expires=_gmt(expires), ServerTime=_gmt(now))

    def _download_fault(self, fault: Fault, request: RecordedRequest, width: int, height: int) -> Reply:
        rid = request.request_id
        kind = fault.kind
        if kind == "expired":
            return self._expired(rid, int(self.fake.now()) - 60, self.fake.now())
        if kind == "not_image":
            body = fault.get(
                "body", "<html><body><h1>Welcome to the hotel Wi-Fi</h1><p>Please log in to continue.</p></body></html>"
            )
            return Reply(
                200,
                body.encode() if isinstance(body, str) else body,
                fault.get("content_type", "text/html; charset=utf-8"),
            )
        if kind == "redirect":
            # Default: the same object on another host name ("localhost" instead of 127.0.0.1),
            # so a client that follows redirects can be checked for what it sends there.
            location = fault.get("location") or (f"http://localhost:{self.server.port}{self.path}")
            return Reply(int(fault.get("status", 302)), b"", "text/plain", {"Location": location})
        if kind == "bomb":
            data = pngmaker.bomb_png(int(fault.get("width", 60000)), int(fault.get("height", 60000)))
            return Reply(200, data, "image/png", {"x-oss-request-id": rid})
        if kind == "huge":
            size = int(fault.get("size", 1 << 30))
            prefix = pngmaker.png_prefix(width, height)

            def chunks() -> Iterator[bytes]:
                yield prefix
                sent = len(prefix)
                while sent < size:
                    piece = _HUGE_CHUNK[: size - sent]
                    sent += len(piece)
                    yield piece

            declare = fault.get("declare", True)
            return Reply(
                200, b"", "image/png", {"x-oss-request-id": rid}, stream=chunks, length=size if declare else None
            )
        raise AssertionError(kind)
