"""Background work for the generation panel: inspect references, decode previews, save dropped
image data, extract palettes. Runs on the "generate" pool; results reach the UI thread via `BackgroundWork`.

Worker threads use `imaging` (QImage only) and never touch widgets or QPixmap (QPixmap belongs to the UI thread).
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from wan27_desktop import config
from wan27_desktop.api.errors import WanError
from wan27_desktop.jobs.background import BackgroundWork
from wan27_desktop.private_files import make_dirs

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

# QImage, QBuffer and the format sniffing are imported where a reference is inspected or saved: the
# panel (and this module) are built with the window, long before the first reference arrives.

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
    import hashlib

    from wan27_desktop import imaging  # deferred: QtGui image plugins load on first use

    stat = os.stat(path)
    key = hashlib.sha1(f"{os.path.abspath(path)}|{stat.st_size}|{stat.st_mtime_ns}|{side}".encode()).hexdigest()
    # JPEG: flattened onto white, which is how an image with transparency is sent (§2.3).
    dest = thumbs_dir() / f"{key}.jpg"
    if not dest.exists():
        imaging.make_thumbnail(path, dest, side)
    return imaging.load_thumbnail_image(dest)


class Worker(QObject):
    """Runs callables on a pool and reports back by token; owned by one widget.

    Built on `BackgroundWork`: a widget closed while its task runs simply stops receiving.
    """

    done = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._work = BackgroundWork(self, pool=pool if pool is not None else "generate", expected=(Exception,))
        self._next = 0
        self.pending: set[int] = set()

    def submit(self, fn: Callable[[], Any]) -> int:
        self._next += 1
        token = self._next
        self.pending.add(token)
        self._work.run(
            fn, lambda result: self._report(token, result, None), lambda error: self._report(token, None, error)
        )
        return token

    def _report(self, token: int, result: object, error: BaseException | None) -> None:
        self.pending.discard(token)
        if error is None:
            self.done.emit(token, result)
        elif isinstance(error, (WanError, OSError, ValueError)):
            self.failed.emit(token, str(error))
        else:
            # Not hidden: logged with its traceback and shown on the item, which would otherwise
            # wait forever for a result that will never come.
            log.error("background task failed", exc_info=error)
            self.failed.emit(token, f"Unexpected error: {error}")


def inspect_with_thumbnail(path: str) -> tuple[Any, QImage]:
    """§2.3 header check plus a tile thumbnail (null QImage when the file cannot be decoded)."""
    from PySide6.QtGui import QImage

    from wan27_desktop import imaging

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
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QImage

    from wan27_desktop.api.imageformat import EXTENSIONS, sniff

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
        suffix = EXTENSIONS.get(sniff(raw) or "", ".img")
    import hashlib

    folder = folder or refs_dir()
    dest = folder / f"{hashlib.sha256(raw).hexdigest()}{suffix}"
    if not dest.exists():
        make_dirs(folder)
        fd, tmp = tempfile.mkstemp(prefix=".drop.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(raw)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return str(dest)
