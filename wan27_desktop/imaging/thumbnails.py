"""Thumbnails for the gallery and reference strip, and quick header reads. Worker-thread safe:
only QImage/QImageReader, never QPixmap (the UI converts the QImage in its own thread)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtGui import QImage

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.imaging import _codec
from wan27_desktop.imaging._codec import ImageFileError

THUMBNAIL_JPEG_QUALITY = 85
THUMBNAIL_WEBP_QUALITY = 80


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
    dest.parent.mkdir(parents=True, exist_ok=True)
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
