"""Background work for the generation panel: inspect references, decode previews, save dropped
image data, extract palettes. Runs on a QThreadPool; results reach the UI thread as queued signals.

Worker threads use `imaging` (QImage only) and never touch widgets or QPixmap (STYLE.md).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QIODevice, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from .. import config
from ..api.errors import WanError

log = logging.getLogger("wan27.ui.generation")

THUMB_SIDE = 192  # reference tiles are ~84 px; 2x for HiDPI, with room to spare
PREVIEW_SIDE = 1600  # box editor / large view


def refs_dir() -> Path:
    """Where dropped or pasted image data is kept (originals elsewhere are never modified)."""
    return config.data_dir() / "refs"


def thumbs_dir() -> Path:
    return config.data_dir() / "refs" / "thumbs"


def cached_preview(path: str, side: int) -> QImage:
    """A decoded copy of `path` no larger than `side`, through a file cache keyed by the file's
    identity (path, size, mtime) so reopening a reference does not decode the original again."""
    from .. import imaging  # deferred: QtGui image plugins load on first use

    stat = os.stat(path)
    key = hashlib.sha1(f"{os.path.abspath(path)}|{stat.st_size}|{stat.st_mtime_ns}|{side}".encode()).hexdigest()
    # JPEG: flattened onto white, which is how an image with transparency is sent (§2.3).
    dest = thumbs_dir() / f"{key}.jpg"
    if not dest.exists():
        imaging.make_thumbnail(path, dest, side)
    return imaging.load_thumbnail_image(dest)


class TaskSignals(QObject):
    """Created in the UI thread, so its queued emissions are delivered there."""

    done = Signal(int, object)  # token, result
    failed = Signal(int, str)  # token, message


class _Task(QRunnable):
    def __init__(self, token: int, fn: Callable[[], Any], signals: TaskSignals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._token = token
        self._fn = fn
        self._signals = signals

    def run(self) -> None:  # worker thread
        try:
            result = self._fn()
        except (WanError, OSError, ValueError) as err:
            self._signals.failed.emit(self._token, str(err))
            return
        except Exception as err:
            # Not hidden: logged with its traceback and shown on the item, which would otherwise
            # wait forever for a result that will never come.
            log.exception("background task failed")
            self._signals.failed.emit(self._token, f"Unexpected error: {err}")
            return
        self._signals.done.emit(self._token, result)


class Worker(QObject):
    """Runs callables on a pool and reports back by token; owned by one widget.

    The signals object has no parent and is kept alive by the running task, so a widget closed
    while its task runs simply stops receiving (its connections die with it).
    """

    done = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._next = 0
        self._signals = TaskSignals()
        self._signals.done.connect(self.done)
        self._signals.failed.connect(self.failed)
        self.pending: set[int] = set()
        self.done.connect(self._finished)
        self.failed.connect(self._finished)

    def submit(self, fn: Callable[[], Any]) -> int:
        self._next += 1
        self.pending.add(self._next)
        self._pool.start(_Task(self._next, fn, self._signals))
        return self._next

    def _finished(self, token: int, _result: object) -> None:
        self.pending.discard(token)


def inspect_with_thumbnail(path: str) -> tuple[Any, QImage]:
    """§2.3 header check plus a tile thumbnail (null QImage when the file cannot be decoded)."""
    from .. import imaging

    info = imaging.inspect_reference(path)
    thumb = QImage()
    if info.width > 0:
        try:
            thumb = cached_preview(path, THUMB_SIDE)
        except (WanError, OSError):
            thumb = QImage()  # the tile shows the problem from `info` instead
    return info, thumb


def save_image_data(data: bytes | QImage, folder: Path | None = None) -> str:
    """Store dropped/pasted image data as `refs/<sha256>.<ext>` and return its path.

    Encoded bytes (image/png, image/jpeg ...) are kept as they are; a QImage is encoded as PNG.
    The same content always gets the same name, so pasting twice stores one file.
    """
    if isinstance(data, QImage):
        if data.isNull():
            raise ValueError("The dropped image is empty.")
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not data.save(buffer, "PNG"):  # type: ignore[call-overload]  # the stub says bytes; only str works
            raise ValueError("The dropped image could not be encoded as PNG.")
        raw = bytes(buffer.data().data())
        suffix = ".png"
    else:
        raw = bytes(data)
        suffix = _suffix_for(raw)
    folder = folder or refs_dir()
    dest = folder / f"{hashlib.sha256(raw).hexdigest()}{suffix}"
    if not dest.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".drop.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(raw)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return str(dest)


def _suffix_for(raw: bytes) -> str:
    if raw.startswith(b"\x89PNG"):
        return ".png"
    if raw.startswith(b"\xff\xd8"):
        return ".jpg"
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return ".webp"
    if raw.startswith(b"BM"):
        return ".bmp"
    return ".img"
