"""Fetch a result image from its pre-signed URL (§1.3, §4.5) into a verified file on disk.

- The API key is never sent: results are downloaded by a separate `httpx.Client` that carries no
  credentials (a caller-supplied client is refused if it has any). Redirects (up to
  `MAX_REDIRECTS`, to any http(s) host) are followed by hand, so nothing is ever added to them.
- The body streams into a temp file in `dest_dir`; the size cap is enforced up front (Content-Length)
  and while streaming. The file must verify as a PNG/JPEG/WebP (`imageformat`), is fsynced, then
  atomically renamed to `<sha256>.<ext>`: no part of the name comes from the server.
- 429, 5xx, connection failures and truncated bodies are retried with the retry policy; a 403 for an
  expired link (`Expires=` in the past, or OSS's "Request has expired" body) is `ResultExpired`.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx

from .. import __version__
from .errors import DownloadError, NetworkError, ResultExpired, WanError
from .imageformat import verify_file
from .retry import CancelSignal, RetryPolicy, parse_retry_after, raise_if_cancelled

log = logging.getLogger("wan27.api")

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
MAX_REDIRECTS = 5
DOWNLOAD_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=30.0, pool=10.0)
DEFAULT_DEADLINE_S = 600.0  # a slow-loris body that trickles forever still ends
_EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp"}


@dataclass(frozen=True)
class DownloadedFile:
    path: Path
    sha256: str
    size: int
    format: str  # "png" | "jpeg" | "webp"
    width: int
    height: int


class _Retryable(Exception):
    """Internal: this attempt failed in a way worth another try."""

    def __init__(self, error: WanError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def url_expires_at(url: str) -> datetime | None:
    """When a signed OSS URL stops working (§4.5), from its query; None if it does not say.

    OSS V1 signatures carry `Expires=<unix seconds>`; V4 carry `x-oss-date` + `x-oss-expires`.
    """
    try:
        query = {k.lower(): v for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
    except ValueError:
        return None
    try:
        if "expires" in query:
            return datetime.fromtimestamp(int(query["expires"]), tz=timezone.utc)
        if "x-oss-date" in query and "x-oss-expires" in query:
            start = datetime.strptime(query["x-oss-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
            return datetime.fromtimestamp(start.timestamp() + int(query["x-oss-expires"]), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None
    return None


def new_download_client() -> httpx.Client:
    """A client with no credentials, for result hosts only. TLS verification stays on."""
    return httpx.Client(headers={"User-Agent": f"wan27-desktop/{__version__}"}, timeout=DOWNLOAD_TIMEOUT,
                        follow_redirects=False)


def download_result(url: str, dest_dir: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                    client: httpx.Client | None = None, retry_policy: RetryPolicy | None = None,
                    should_cancel: CancelSignal = None,
                    on_progress: Callable[[int, int | None], None] | None = None,
                    deadline_s: float = DEFAULT_DEADLINE_S) -> DownloadedFile:
    """Download one result into `dest_dir` as `<sha256>.<ext>`; see the module docstring."""
    if client is not None and (client.auth is not None or "authorization" in client.headers):
        raise ValueError("download_result needs a client without credentials; result URLs are pre-signed")
    dest_dir.mkdir(parents=True, exist_ok=True)
    policy = retry_policy or RetryPolicy()
    own_client = client is None
    http = client or new_download_client()
    try:
        attempt = 0
        while True:
            attempt += 1
            raise_if_cancelled(should_cancel, "The download")
            try:
                return _attempt(http, url, dest_dir, max_bytes, policy, should_cancel, on_progress,
                                deadline_s)
            except _Retryable as failure:
                if not policy.can_retry(attempt):
                    raise failure.error from None
                delay = policy.delay(attempt, failure.retry_after)
                log.info("download retry in %.1f s after attempt %d: %s", delay, attempt, failure.error)
                policy.wait(delay, should_cancel)
    finally:
        if own_client:
            http.close()


def _attempt(http: httpx.Client, url: str, dest_dir: Path, max_bytes: int, policy: RetryPolicy,
             should_cancel: CancelSignal, on_progress: Callable[[int, int | None], None] | None,
             deadline_s: float) -> DownloadedFile:
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            with http.stream("GET", current, follow_redirects=False) as response:
                if response.is_redirect:
                    current = _redirect_target(response)
                    continue
                _check_status(response, current, policy)
                return _save(response, dest_dir, max_bytes, should_cancel, on_progress, deadline_s)
        except httpx.InvalidURL as exc:
            raise DownloadError(f"The result URL is not valid: {exc}.", hint="Generate the image again.") from exc
        except httpx.TransportError as exc:
            raise _Retryable(NetworkError(f"The download from {_host(current)} failed: "
                                          f"{type(exc).__name__} {exc}".strip() + ".")) from exc
    raise DownloadError(f"The result URL redirected more than {MAX_REDIRECTS} times.")


def _redirect_target(response: httpx.Response) -> str:
    location = response.headers.get("Location")
    if not location:
        raise DownloadError(f"The result host answered HTTP {response.status_code} without a Location.")
    target = response.url.join(location)
    if target.scheme not in ("http", "https"):
        raise DownloadError(f"The result URL redirected to a {target.scheme!r} URL; refused.")
    log.info("download redirected from %s to %s", response.url.host, target.host)
    return str(target)


def _check_status(response: httpx.Response, url: str, policy: RetryPolicy) -> None:
    status = response.status_code
    if response.is_success:
        return
    body = _read_some(response)
    if status == 403:
        expires = url_expires_at(url)
        past = expires is not None and expires.timestamp() <= policy.clock()
        if past or b"expired" in body.lower():
            raise ResultExpired("The result link has expired" + (
                f" (it was valid until {expires:%Y-%m-%d %H:%M} UTC)" if expires else "") + ".",
                status=status)
        raise DownloadError("The result host refused the download (HTTP 403).", status=status)
    if status == 429 or status >= 500:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), policy.clock())
        raise _Retryable(DownloadError(f"The result host answered HTTP {status}.", status=status),
                         retry_after)
    raise DownloadError(f"The result host answered HTTP {status}.", status=status)


def _read_some(response: httpx.Response, limit: int = 65536) -> bytes:
    """The start of an error body (an OSS XML error is small); never the whole of a huge one."""
    data = b""
    try:
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) >= limit:
                break
    except httpx.TransportError:
        pass  # the status already tells us what we need; the body is only a detail
    return data[:limit]


def _save(response: httpx.Response, dest_dir: Path, max_bytes: int, should_cancel: CancelSignal,
          on_progress: Callable[[int, int | None], None] | None, deadline_s: float) -> DownloadedFile:
    total = _content_length(response)
    if total is not None and total > max_bytes:
        raise DownloadError(f"The result is {total:,} bytes, over the {max_bytes:,}-byte limit; refused.")
    fd, temp_name = tempfile.mkstemp(prefix=".wan27-", suffix=".part", dir=dest_dir)
    temp = Path(temp_name)
    digest = hashlib.sha256()
    received = 0
    started = time.monotonic()
    try:
        with os.fdopen(fd, "wb") as out:
            # No chunk_size: pieces arrive as the socket delivers them, so cancel, the cap and the
            # deadline are checked promptly. iter_bytes undoes any Content-Encoding: we keep the file.
            for chunk in response.iter_bytes():
                raise_if_cancelled(should_cancel, "The download")
                received += len(chunk)
                if received > max_bytes:
                    raise DownloadError(f"The result is over the {max_bytes:,}-byte limit; download stopped.")
                if time.monotonic() - started > deadline_s:
                    raise DownloadError(f"The result host is too slow ({received:,} bytes in "
                                        f"{deadline_s:g} s); download stopped.")
                digest.update(chunk)
                out.write(chunk)
                if on_progress is not None:
                    on_progress(received, total)
            if total is not None and received != total:
                raise _Retryable(DownloadError(f"The download was cut off ({received:,} of {total:,} bytes)."))
            out.flush()
            os.fsync(out.fileno())
        try:
            info = verify_file(temp)
        except DownloadError as exc:
            if total is None:  # without a length a truncated body only shows up as a broken image
                raise _Retryable(exc) from exc
            raise
        sha = digest.hexdigest()
        final = dest_dir / f"{sha}.{_EXTENSIONS[info.format]}"
        os.replace(temp, final)
        _fsync_dir(dest_dir)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return DownloadedFile(path=final, sha256=sha, size=received, format=info.format, width=info.width,
                          height=info.height)


def _identity(response: httpx.Response) -> bool:
    """Whether the body is sent as-is, so raw bytes are the file (and Content-Length counts them)."""
    return response.headers.get("Content-Encoding", "identity").strip().lower() in ("", "identity")


def _content_length(response: httpx.Response) -> int | None:
    if not _identity(response):
        return None  # the length is of the compressed body, not of the file
    try:
        value = int(response.headers.get("Content-Length", ""))
    except ValueError:
        return None
    return value if value >= 0 else None


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory for fsync; the rename is still atomic
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or "the result host"
    except httpx.InvalidURL:
        return "the result host"
