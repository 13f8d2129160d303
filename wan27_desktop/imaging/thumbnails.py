"""Thumbnails for the gallery and reference strip, their disk cache, and quick header reads.
Worker-thread safe: only QImage/QImageReader, never QPixmap (the UI converts the QImage in its own thread).

The cache lives under the library root, `cache/thumbs/<sha[:2]>/<sha>-<size>.jpg`, keyed by content
hash so identical images share one thumbnail. It is the library's neighbour, not its business: the
library stays Qt-free and only tells `empty_trash`'s caller which content is gone (`drop_thumbnails`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtGui import QImage

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.imaging import _codec
from wan27_desktop.imaging._codec import ImageFileError
from wan27_desktop.private_files import make_dirs, restrict

THUMBNAIL_JPEG_QUALITY = 85
THUMBNAIL_WEBP_QUALITY = 80
THUMBNAIL_SIZE = 256

ThumbnailMaker = Callable[[Path, Path, int], Any]


class ImageFile(Protocol):
    """What the cache needs of an image (a library `ImageRecord` is one)."""

    @property
    def path(self) -> Path: ...

    @property
    def sha256(self) -> str: ...


def image_size(path: str | Path) -> tuple[int, int]:
    """(width, height) as shown (after EXIF orientation), from the header only."""
    reader = _codec.path_reader(str(path))
    try:
        size = _codec.oriented_size(reader)
        if size is None:
            raise ImageFileError(_codec.NOT_READABLE, values={"name": Path(path).name, "reason": _codec.reason(reader)})
        return size
    finally:
        reader.setFileName("")


def _write_atomically(dest: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename: readers see the old file or the new, never half."""
    make_dirs(dest.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_thumbnail(src_path: str | Path, dest_path: str | Path, size: int = 256) -> tuple[int, int]:
    """Write a thumbnail whose longest side is `size` (smaller images keep their size).

    The format follows `dest_path`'s suffix: `.webp` keeps transparency, anything else is JPEG
    (flattened onto white). Returns the thumbnail's (width, height). Raises ImageFileError.
    """
    if size <= 0:
        raise ValueError("thumbnail size must be positive")
    dest = Path(dest_path)
    image = _codec.load_image(str(src_path), max_side=size)
    if dest.suffix.lower() == ".webp":
        if image.hasAlphaChannel():
            image = image.convertToFormat(QImage.Format.Format_ARGB32)
        else:
            image = image.convertToFormat(QImage.Format.Format_RGB32)
        data = _codec.encode(image, "webp", THUMBNAIL_WEBP_QUALITY)
    else:
        image, _had_alpha = _codec.to_rgb8(image)
        data = _codec.encode(image, "jpeg", THUMBNAIL_JPEG_QUALITY)
    try:
        _write_atomically(dest, data)
    except OSError as err:
        raise ImageFileError(
            QT_TRANSLATE_NOOP("WanError", "Cannot write thumbnail {name}: {reason}."),
            values={"name": dest.name, "reason": err.strerror or str(err)},
        ) from err
    return image.width(), image.height()


def load_thumbnail_image(path: str | Path) -> QImage:
    """Decode a thumbnail (or any small image) for a worker to hand to the UI thread."""
    return _codec.load_image(str(path))


# -- the disk cache -------------------------------------------------------------------------------


def thumbs_dir(data_dir: Path) -> Path:
    """The cache folder of the library rooted at `data_dir`."""
    return Path(data_dir) / "cache" / "thumbs"


def thumbnail_path(data_dir: Path, sha256: str, size: int = THUMBNAIL_SIZE) -> Path:
    """Cache location, keyed by content hash so identical images share one thumbnail."""
    return thumbs_dir(data_dir) / sha256[:2] / f"{sha256}-{int(size)}.jpg"


def ensure_thumbnail(
    data_dir: Path, image: ImageFile, size: int = THUMBNAIL_SIZE, *, maker: ThumbnailMaker | None = None
) -> Path:
    """Create the cached thumbnail if it is missing and return its path.

    Touches no database, so any worker thread may call it. Written to a temp name and renamed,
    so a reader never sees half a JPEG. Threads of this process asking for the same thumbnail at
    once (the gallery and the generation stage both want a just-landed image) make it once: the
    others wait for it instead of decoding the full image again. Another process racing still ends
    with a whole file.
    """
    target = thumbnail_path(data_dir, image.sha256, size)
    if target.exists():
        return target
    with _making(target):
        if target.exists():  # made by the thread we waited for
            return target
        make_dirs(target.parent)
        temp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.jpg")
        try:
            (maker or make_thumbnail)(image.path, temp, int(size))
            restrict(temp)  # a custom maker may not write it user-only
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
    return target


_locks: dict[Path, tuple[threading.Lock, int]] = {}  # target -> its lock, and how many threads use it
_locks_guard = threading.Lock()


@contextlib.contextmanager
def _making(target: Path) -> Iterator[None]:
    """Hold `target`'s lock (one per thumbnail being made; dropped when no thread needs it)."""
    with _locks_guard:
        lock, users = _locks.get(target, (None, 0))
        if lock is None:
            lock = threading.Lock()
        _locks[target] = (lock, users + 1)
    try:
        with lock:
            yield
    finally:
        with _locks_guard:
            users = _locks[target][1] - 1
            if users:
                _locks[target] = (lock, users)
            else:
                del _locks[target]


def drop_thumbnails(data_dir: Path, sha256: str) -> None:
    """Delete every cached size of one content hash (its last image left the library)."""
    folder = thumbs_dir(data_dir) / sha256[:2]
    if folder.is_dir():
        for thumb in folder.glob(f"{sha256}-*.jpg"):
            thumb.unlink(missing_ok=True)
