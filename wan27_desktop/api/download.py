"""Fetch a result image from its pre-signed URL (§1.3, §4.5) into a verified file on disk.

- The API key is never sent: results are downloaded by a separate `httpx.Client` that carries no
  credentials (a caller-supplied client is refused if it has any). Redirects (up to
  `MAX_REDIRECTS`, to any http(s) host) are followed by hand, so nothing is ever added to them.
- The body streams into a temp file in `dest_dir` whose space is claimed up front; the size cap is
  enforced up front (Content-Length) and while streaming. The file must verify as a PNG/JPEG/WebP
  (`imageformat`), is fsynced, then atomically renamed to `<sha256>.<ext>`: no part of the name comes
  from the server.
- `stage_as=<name>` is for a download that is landed elsewhere at once and fetched again after a
  crash (the job runner). The file is `<name>.<ext>` (the caller's ids, so a download repeated after
  a crash replaces its leftover; its temp file `.wan27-<name>~*.part` names them too, so a resume
  knows whose it is). Alone it is copied by the library, which writes, hashes and fsyncs its own
  copy with the metadata: then no hash and no fsync here, which would be done twice.
- `insert_after_header` makes the download the final file in one write (issue 14: a result needs
  its size on disk once, not twice): given the body's first 33 bytes (a PNG's signature and IHDR
  chunk) it returns bytes to write right after them (the library's metadata chunks), and the file
  is hashed as written and fsynced, ready to be renamed into the library.
- Speed (issue 7): the body is read from the socket and written in ~1 MiB blocks; each block is
  hashed and verified on worker threads while the next one arrives, and the OS is asked to start
  writing to disk as the download goes, so the closing fsync is short. Nothing is read back.
- 429, 5xx, connection failures and truncated bodies are retried with the retry policy; a 403 for an
  expired link (`Expires=` in the past, or OSS's "Request has expired" body) is `ResultExpired`.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import queue
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx

from wan27_desktop import __version__
from wan27_desktop.api.constants import DOWNLOAD_DEADLINE_S, DOWNLOAD_MAX_BYTES, DOWNLOAD_TIMEOUTS, MAX_REDIRECTS
from wan27_desktop.api.errors import DownloadError, NetworkError, ResultExpired, WanError
from wan27_desktop.api.imageformat import EXTENSIONS, RESULT_FORMATS, BodyVerifier
from wan27_desktop.api.netreasons import plain_reason, technical
from wan27_desktop.api.retry import CancelSignal, RetryPolicy, parse_retry_after, raise_if_cancelled
from wan27_desktop.api.tls import shared_ssl_context
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

log = logging.getLogger("wan27.api")

DOWNLOAD_TIMEOUT = httpx.Timeout(**DOWNLOAD_TIMEOUTS.as_dict())
_RESULT_SUFFIXES = frozenset(EXTENSIONS[fmt] for fmt in RESULT_FORMATS)
_TEMP_PREFIX, _TEMP_SUFFIX, _OWNER_END = ".wan27-", ".part", "~"
_HEADER_BYTES = 33  # a PNG's signature (8) and IHDR chunk (25), which must come first
_STAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_BLOCK_BYTES = 1 << 20  # written, hashed and verified in ~1 MiB blocks (fewer syscalls and GIL hand-offs)
_HOST_ANSWERED = QT_TRANSLATE_NOOP("WanError", "The result host answered HTTP {status}.")
_DOWNLOAD_CANCELED = QT_TRANSLATE_NOOP("WanError", "The download was canceled.")
_DISK_FULL = {errno.ENOSPC} | ({errno.EDQUOT} if hasattr(errno, "EDQUOT") else set())


@dataclass(frozen=True)
class DownloadedFile:
    path: Path
    sha256: str | None  # None for a staged download (not hashed)
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
    context = shared_ssl_context()
    return httpx.Client(
        headers={"User-Agent": f"wan27-desktop/{__version__}"},
        timeout=DOWNLOAD_TIMEOUT,
        follow_redirects=False,
        verify=context,
    )


def download_result(
    url: str,
    dest_dir: Path,
    *,
    max_bytes: int = DOWNLOAD_MAX_BYTES,
    client: httpx.Client | None = None,
    retry_policy: RetryPolicy | None = None,
    should_cancel: CancelSignal = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    deadline_s: float = DOWNLOAD_DEADLINE_S,
    stage_as: str | None = None,
    insert_after_header: Callable[[bytes], bytes] | None = None,
) -> DownloadedFile:
    """Download one result into `dest_dir` as `<sha256>.<ext>`, or `<stage_as>.<ext>` for a staged
    download; see the module docstring."""
    if stage_as is not None and not _STAGE_NAME.fullmatch(stage_as):
        raise ValueError(f"stage_as must be 1-64 letters, digits, '-' or '_', not {stage_as!r}")
    if client is not None and (client.auth is not None or "authorization" in client.headers):
        raise ValueError("download_result needs a client without credentials; result URLs are pre-signed")
    dest_dir.mkdir(parents=True, exist_ok=True)
    policy = retry_policy or RetryPolicy()
    target = _Target(dest_dir, max_bytes, should_cancel, on_progress, deadline_s, stage_as, insert_after_header)
    own_client = client is None
    http = client or new_download_client()
    try:
        attempt = 0
        while True:
            attempt += 1
            raise_if_cancelled(should_cancel, _DOWNLOAD_CANCELED)
            try:
                return _attempt(http, url, policy, target)
            except _Retryable as failure:
                if not policy.can_retry(attempt):
                    raise failure.error from None
                delay = policy.delay(attempt, failure.retry_after)
                log.info("download retry in %.1f s after attempt %d: %s", delay, attempt, failure.error)
                policy.wait(delay, should_cancel)
    finally:
        if own_client:
            http.close()


@dataclass(frozen=True)
class _Target:
    """Where and how one download is saved (the arguments of `download_result`)."""

    dest_dir: Path
    max_bytes: int
    should_cancel: CancelSignal
    on_progress: Callable[[int, int | None], None] | None
    deadline_s: float
    stage_as: str | None
    insert_after_header: Callable[[bytes], bytes] | None = None

    @property
    def durable(self) -> bool:
        """Hashed and fsynced here: the file is kept as it is (not copied by the caller)."""
        return self.stage_as is None or self.insert_after_header is not None


def _attempt(http: httpx.Client, url: str, policy: RetryPolicy, target: _Target) -> DownloadedFile:
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            with http.stream("GET", current, follow_redirects=False) as response:
                if response.is_redirect:
                    current = _redirect_target(response)
                    continue
                _check_status(response, current, policy)
                return _save(response, target)
        except httpx.InvalidURL as exc:
            raise DownloadError(
                QT_TRANSLATE_NOOP("WanError", "The result URL is not valid: {reason}."),
                values={"reason": str(exc)},
                hint=QT_TRANSLATE_NOOP("WanError", "Generate the image again."),
            ) from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:  # DecodingError: a lying Content-Encoding
            raise _Retryable(
                NetworkError(
                    QT_TRANSLATE_NOOP("WanError", "The download from {host} failed: {reason}."),
                    values={"host": _host(current), "reason": plain_reason(exc, technical(exc))},
                )
            ) from exc
    raise DownloadError(
        QT_TRANSLATE_NOOP("WanError", "The result URL redirected more than {count} times."),
        values={"count": MAX_REDIRECTS},
    )


def _redirect_target(response: httpx.Response) -> str:
    location = response.headers.get("Location")
    if not location:
        raise DownloadError(
            QT_TRANSLATE_NOOP("WanError", "The result host answered HTTP {status} without a Location."),
            values={"status": response.status_code},
        )
    target = response.url.join(location)
    if target.scheme not in ("http", "https"):
        raise DownloadError(
            QT_TRANSLATE_NOOP("WanError", "The result URL redirected to a {scheme} URL; refused."),
            values={"scheme": repr(target.scheme)},
        )
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
            raise ResultExpired(
                "The result link has expired"
                + (f" (it was valid until {expires:%Y-%m-%d %H:%M} UTC)" if expires else "")
                + ".",
                status=status,
            )
        raise DownloadError("The result host refused the download (HTTP 403).", status=status)
    if status == 429 or status >= 500:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), policy.clock())
        raise _Retryable(DownloadError(_HOST_ANSWERED, status=status, values={"status": status}), retry_after)
    raise DownloadError(_HOST_ANSWERED, status=status, values={"status": status})


def _read_some(response: httpx.Response, limit: int = 65536) -> bytes:
    """The start of an error body (an OSS XML error is small); never the whole of a huge one."""
    data = b""
    try:
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) >= limit:
                break
    except (httpx.TransportError, httpx.DecodingError):
        pass  # the status already tells us what we need; the body is only a detail
    return data[:limit]


def _save(response: httpx.Response, target: _Target) -> DownloadedFile:
    dest_dir, max_bytes, durable = target.dest_dir, target.max_bytes, target.durable
    total = _content_length(response)
    if total is not None and total > max_bytes:
        raise DownloadError(
            QT_TRANSLATE_NOOP("WanError", "The result is {size} bytes, over the {limit}-byte limit; refused."),
            values={"size": f"{total:,}", "limit": f"{max_bytes:,}"},
        )
    try:
        prefix = _TEMP_PREFIX if target.stage_as is None else f"{_TEMP_PREFIX}{target.stage_as}{_OWNER_END}"
        fd, temp_name = tempfile.mkstemp(prefix=prefix, suffix=_TEMP_SUFFIX, dir=dest_dir)
    except OSError as exc:
        raise save_error(exc, dest_dir) from exc
    temp = Path(temp_name)
    checker = _BodyChecker(hash_body=durable)  # verified (and hashed) as it is written: nothing is read back
    open_fd: int | None = fd
    try:
        if total:
            _reserve(fd, total)
        received, written = _write_body(response, fd, checker, _Writeback(fd) if durable else None, target, total)
        if total is not None and received != total:
            raise _Retryable(
                DownloadError(
                    QT_TRANSLATE_NOOP("WanError", "The download was cut off ({size} of {total} bytes)."),
                    values={"size": f"{received:,}", "total": f"{total:,}"},
                )
            )
        if durable:
            os.fsync(fd)  # meanwhile the checker catches up
        open_fd = None
        os.close(fd)  # before the rename, which Windows refuses for an open file
        checker.close()
        try:
            info = checker.verifier.finish(temp)
        except DownloadError as exc:
            if total is None:  # without a length a truncated body only shows up as a broken image
                raise _Retryable(exc) from exc
            raise
        sha = checker.digest.hexdigest() if checker.digest is not None else None
        final = dest_dir / f"{target.stage_as or sha}{EXTENSIONS[info.format]}"
        os.replace(temp, final)
        if target.stage_as is None:  # a staged file's folder is not its home: it is renamed on at once
            _fsync_dir(dest_dir)
    except BaseException as exc:
        checker.abort()
        if open_fd is not None:
            os.close(open_fd)
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        if isinstance(exc, OSError):  # only local file operations raise OSError here (httpx wraps its own)
            raise save_error(exc, dest_dir) from exc
        raise
    return DownloadedFile(
        path=final, sha256=sha, size=written, format=info.format, width=info.width, height=info.height
    )


def _write_body(
    response: httpx.Response,
    fd: int,
    checker: _BodyChecker,
    writeback: _Writeback | None,
    target: _Target,
    total: int | None,
) -> tuple[int, int]:
    """Stream the body into `fd` in ~1 MiB blocks, each handed to the checker (and the write-back hint)
    once written; returns how many bytes came and how many the file holds (more when
    `insert_after_header` added some). Cancel, the size cap and the deadline are checked as pieces
    arrive: no chunk_size, so a piece is whatever the socket delivered. iter_bytes undoes any
    Content-Encoding: the file is the image."""
    received = written = 0
    pending: list[bytes] = []  # socket reads not yet written
    pending_bytes = 0
    started = time.monotonic()
    insert = target.insert_after_header

    def write_pending() -> None:
        nonlocal pending, pending_bytes, insert, written
        block = pending[0] if len(pending) == 1 else b"".join(pending)
        pending, pending_bytes = [], 0
        out = block
        if insert is not None:  # the first block: it holds the header (a body is never this short)
            out = block[:_HEADER_BYTES] + insert(block[:_HEADER_BYTES]) + block[_HEADER_BYTES:]
            insert = None
        _write_all(fd, out)
        written += len(out)
        checker.add(block, out)
        if writeback is not None:
            writeback.wrote(len(out))

    for chunk in response.iter_bytes():
        raise_if_cancelled(target.should_cancel, _DOWNLOAD_CANCELED)
        received += len(chunk)
        if received > target.max_bytes:
            raise DownloadError(
                QT_TRANSLATE_NOOP("WanError", "The result is over the {limit}-byte limit; download stopped."),
                values={"limit": f"{target.max_bytes:,}"},
            )
        if time.monotonic() - started > target.deadline_s:
            raise DownloadError(
                QT_TRANSLATE_NOOP(
                    "WanError", "The result host is too slow ({size} bytes in {seconds} s); download stopped."
                ),
                values={"size": f"{received:,}", "seconds": f"{target.deadline_s:g}"},
            )
        pending.append(chunk)
        pending_bytes += len(chunk)
        if pending_bytes >= _BLOCK_BYTES:
            write_pending()
        if target.on_progress is not None:
            target.on_progress(received, total)
    if pending:
        write_pending()
    return received, written


def _reserve(fd: int, size: int) -> None:
    """Claim the result's disk space before its body is read, where the OS can (`posix_fallocate`).

    A full disk is then reported at once instead of after most of the download, and the filesystem
    allocates the file in one go rather than block by block as it is written. Where it cannot do
    this (no such call, or a filesystem without it), the writes claim the space as they go.
    """
    if not hasattr(os, "posix_fallocate"):
        return
    try:
        os.posix_fallocate(fd, 0, size)
    except OSError as exc:
        if exc.errno in _DISK_FULL:
            raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def remove_stale_parts(dest_dir: Path, older_than_s: float = 2 * DOWNLOAD_DEADLINE_S, *, staged: bool = False) -> int:
    """Delete temp files a killed process left in `dest_dir`, and with `staged=True` (a folder of
    staged downloads only) staged results it never landed; returns how many went.

    A live download ends by its deadline, so a `.part` file untouched for twice the deadline
    belongs to no running download; a staged result is landed the moment its download ends, so one
    that old was left by a process that died in between (its job downloads it again on resume).
    """
    removed = 0
    cutoff = time.time() - older_than_s
    for entry in dest_dir.iterdir():
        name = entry.name
        stem, dot, ext = name.rpartition(".")
        stale_part = name.startswith(_TEMP_PREFIX) and name.endswith(_TEMP_SUFFIX)
        stale_staged = staged and dot + ext in _RESULT_SUFFIXES and bool(_STAGE_NAME.fullmatch(stem))
        if not (stale_part or stale_staged):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file() and entry.stat().st_mtime < cutoff:
                entry.unlink()
                removed += 1
    return removed


def stage_of(name: str) -> str | None:
    """The `stage_as` a file in a staging folder belongs to: its staged result `<stage>.<ext>` or
    a temp file `.wan27-<stage>~*.part` of a download still running or killed; None otherwise."""
    if name.startswith(_TEMP_PREFIX) and name.endswith(_TEMP_SUFFIX):
        stage, sep, _ = name[len(_TEMP_PREFIX) :].partition(_OWNER_END)
        return stage if sep and _STAGE_NAME.fullmatch(stage) else None
    stem, dot, ext = name.rpartition(".")
    return stem if dot + ext in _RESULT_SUFFIXES and _STAGE_NAME.fullmatch(stem) else None


def remove_abandoned(dest_dir: Path, abandoned: Callable[[str], bool]) -> int:
    """Delete, whatever their age, the staged results and temp files whose stage `abandoned(stage)`
    says no live process owns (the job runner asks the job leases); returns how many went."""
    removed = 0
    try:
        entries = list(dest_dir.iterdir())
    except OSError:
        return 0
    for entry in entries:
        stage = stage_of(entry.name)
        if stage is None or not abandoned(stage):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file():
                entry.unlink()
                removed += 1
    return removed


def save_error(exc: OSError, folder: Path) -> DownloadError:
    """A failed local write as a readable error; a full disk says so and how to carry on."""
    if exc.errno in _DISK_FULL:
        return DownloadError(
            QT_TRANSLATE_NOOP("WanError", "The disk is full: the result could not be saved in {folder}."),
            values={"folder": str(folder)},
            code="DiskFull",
            hint=QT_TRANSLATE_NOOP(
                "WanError", "Free some space on that disk, then resume the job; result links stay valid for 24 hours."
            ),
        )
    return DownloadError(
        QT_TRANSLATE_NOOP("WanError", "The result could not be saved in {folder}: {reason}."),
        values={"folder": str(folder), "reason": exc.strerror or str(exc)},
        code="SaveFailed",
        hint=QT_TRANSLATE_NOOP("WanError", "Check that the folder exists and is writable, then resume the job."),
    )


class _BodyChecker:
    """Image verification and (unless staged) sha256 of the body, each on its own worker thread, fed
    the ~1 MiB blocks the downloading thread writes.

    Issue 7: hashing, CRCs and inflating a 50 MB PNG cost as much CPU as receiving it. hashlib and
    zlib release the GIL on large buffers, so on other cores the hash and the verification run in
    parallel with each other and with the socket reads, the file writes and the fsync, which stay
    on the calling thread (where write errors are reported).
    """

    _QUEUED_BLOCKS = 16  # at most ~16 MiB in flight per worker; the downloading thread waits beyond that

    def __init__(self, *, hash_body: bool = True) -> None:
        self.digest = hashlib.sha256() if hash_body else None
        self.verifier = BodyVerifier()
        self._stop = False
        self._failure: BaseException | None = None
        self._workers = [_CheckWorker(self.verifier.feed, "wan27-download-verify", self)]
        if self.digest is not None:
            self._workers.append(_CheckWorker(self.digest.update, "wan27-download-hash", self))

    def add(self, block: bytes, written: bytes | None = None) -> None:
        """`block` of the body, and what was written to the file for it when that differs (the
        hash is of the file; the verifier checks the body as the host sent it)."""
        self._workers[0].queue.put(block)
        for worker in self._workers[1:]:
            worker.queue.put(block if written is None else written)

    def close(self) -> None:
        """Wait until every byte added is hashed and verified; re-raises a failure of a worker."""
        for worker in self._workers:
            worker.finish()
        if self._failure is not None:
            raise self._failure

    def abort(self) -> None:
        """Stop without finishing the queued work (the download failed)."""
        self._stop = True
        for worker in self._workers:
            worker.finish()

    def failed(self, exc: BaseException) -> None:
        if self._failure is None:
            self._failure = exc


class _CheckWorker:
    """One thread applying `consume` to each queued block, in order."""

    def __init__(self, consume: Callable[[bytes], object], name: str, owner: _BodyChecker) -> None:
        self.queue: queue.Queue[bytes | None] = queue.Queue(_BodyChecker._QUEUED_BLOCKS)
        self._consume = consume
        self._owner = owner
        # A plain thread: api/ is Qt-free, and this one lives exactly as long as one download's body.
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def finish(self) -> None:
        if self._thread.is_alive():
            self.queue.put(None)
            self._thread.join()

    def _run(self) -> None:
        owner = self._owner
        while (block := self.queue.get()) is not None:
            if owner._stop or owner._failure is not None:
                continue  # drain, so a waiting put() never blocks
            try:
                self._consume(block)
            except BaseException as exc:  # handed to the downloading thread by close()
                owner.failed(exc)


class _Writeback:
    """Start writing the file to disk while it downloads, so the fsync at the end waits for the last
    few MiB instead of all of them (a 50 MB result: ~23 ms -> ~2 ms). Only a hint to the OS (Linux
    `sync_file_range(SYNC_FILE_RANGE_WRITE)`: starts writeback, waits for nothing, keeps the pages
    cached for the thumbnailer); durability still comes from the fsync. Elsewhere it does nothing.
    """

    _EVERY_BYTES = 2 << 20  # every other block: measured best of 2, 4, 8 and 16 MiB (issue 7)

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._written = 0
        self._started = 0

    def wrote(self, size: int) -> None:
        self._written += size
        if self._written - self._started < self._EVERY_BYTES:
            return
        start_writeback = _sync_file_range()
        if start_writeback is not None and start_writeback(self._fd, self._started, self._written - self._started):
            self._started = self._written


_SYNC_FILE_RANGE: list[Callable[[int, int, int], bool] | None] = []  # loaded on first use
_SYNC_FILE_RANGE_LOCK = threading.Lock()


def _sync_file_range() -> Callable[[int, int, int], bool] | None:
    """libc's sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE) -> ok, or None off Linux."""
    with _SYNC_FILE_RANGE_LOCK:
        if not _SYNC_FILE_RANGE:
            _SYNC_FILE_RANGE.append(_load_sync_file_range())
        return _SYNC_FILE_RANGE[0]


def _load_sync_file_range() -> Callable[[int, int, int], bool] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        call = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):  # no such symbol (an unusual libc)
        return None
    call.argtypes = (ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint)
    call.restype = ctypes.c_int
    sync_file_range_write = 2  # SYNC_FILE_RANGE_WRITE in <fcntl.h>

    def start_writeback(fd: int, offset: int, length: int) -> bool:
        return call(fd, offset, length, sync_file_range_write) == 0

    return start_writeback


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
