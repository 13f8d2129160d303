"""Thin, thread-safe wrappers over QImageReader / QImage encoding.

Only QtGui's image classes are used: QImage and QImageReader work without a QApplication and in
any thread, unlike QPixmap (which belongs to the GUI thread). No widget is ever touched here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QColorSpace,
    QImage,
    QImageIOHandler,
    QImageReader,
    QPainter,
    QPixelFormat,
)

from wan27_desktop.api.errors import WanError
from wan27_desktop.api.imageformat import sniff
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

# Decompression bombs: Qt refuses to allocate a decoded image above this many megabytes.
# 512 MB fits a full 8000x8000 8-bit decode (244 MB) and an 8000x8000 16-bit PNG (488 MB); bigger
# JPEGs are decoded already scaled down (libjpeg DCT scaling), so only the small result counts.
# The limit is process-wide in Qt; we only ever raise it, never lower what someone else chose.
ALLOCATION_LIMIT_MB = 512
if QImageReader.allocationLimit() < ALLOCATION_LIMIT_MB:
    QImageReader.setAllocationLimit(ALLOCATION_LIMIT_MB)


WHITE = QColor(255, 255, 255)


class Source:
    """A QImageReader over in-memory bytes; keeps the QBuffer alive as long as the reader."""

    def __init__(self, data: bytes) -> None:
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.reader = QImageReader(self._buffer)
        self.reader.setAutoTransform(True)
        _pin_format(self.reader, data[:1024])

    def close(self) -> None:
        self._buffer.close()


def path_reader(path: str) -> QImageReader:
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    try:
        with open(path, "rb") as handle:
            _pin_format(reader, handle.read(1024))
    except OSError:
        pass  # the reader reports the same problem with its own message
    return reader


# Formats we sniff reliably ourselves. Pinning the reader to one of them stops Qt from probing every
# plugin: the SVG probe builds a QTextStream, whose signal connection takes Qt's connection mutex
# while PySide still holds the GIL on this worker thread; a widget being destroyed on the UI thread
# at that moment holds the mutex and waits for the GIL - a deadlock seen in the test suite. Content
# we cannot name (an empty or half-written file, SVG, anything else) gets a format no plugin has,
# so it fails at once as unsupported instead of being probed: every image the app reads (results,
# library images, references: §2.3 accepts PNG, JPEG, BMP and WebP) is one we can name.
_PINNABLE = {
    "png": b"png",
    "jpeg": b"jpeg",
    "bmp": b"bmp",
    "webp": b"webp",
    "gif": b"gif",
    "tiff": b"tiff",
    "ico": b"ico",
}
_NO_PLUGIN = b"wan27-unrecognised"


def _pin_format(reader: QImageReader, head: bytes) -> None:
    """The format comes from the bytes (a PNG renamed to .jpg is still a PNG), decided by our sniff.
    Qt's own `setDecideFormatFromContent(True)` must stay off: it makes the reader ignore the format
    set here and probe every plugin by content, SVG included - the very probe this exists to avoid."""
    reader.setDecideFormatFromContent(False)
    reader.setFormat(_PINNABLE.get(sniff(head) or "", _NO_PLUGIN))
    reader.setAutoDetectImageFormat(False)


def _rotates(reader: QImageReader) -> bool:
    """True when the EXIF orientation turns the image by 90 degrees (width and height swap)."""
    return bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)


def qt_format(reader: QImageReader) -> str:
    """Qt's lower-case name for the format it reads, '' when it recognises none."""
    name = bytes(reader.format().data())
    return "" if name == _NO_PLUGIN else name.decode("ascii", "replace").lower()


def reason(reader: QImageReader) -> str:
    """Qt's error text as a parenthesised suffix, or '' when Qt has nothing useful to say."""
    text = reader.errorString()
    return "" if not text or text == "Unknown error" else f" ({text})"


def is_transformed(reader: QImageReader) -> bool:
    return reader.transformation() != QImageIOHandler.Transformation.TransformationNone


def oriented_size(reader: QImageReader) -> tuple[int, int] | None:
    """Width and height as shown (after EXIF orientation), from the header only; None if unknown."""
    size = reader.size()
    if not size.isValid() or size.width() <= 0 or size.height() <= 0:
        return None
    w, h = size.width(), size.height()
    return (h, w) if _rotates(reader) else (w, h)


# Stored pixel formats that a service expecting plain 8-bit RGB or grey can take unchanged.
_PLAIN_FORMATS = frozenset(
    {
        QImage.Format.Format_RGB32,
        QImage.Format.Format_RGB888,
        QImage.Format.Format_RGBX8888,
        QImage.Format.Format_BGR888,
        QImage.Format.Format_Grayscale8,
    }
)


def is_plain(fmt: QImage.Format) -> bool:
    return fmt in _PLAIN_FORMATS


def pixel_traits(fmt: QImage.Format) -> tuple[bool, bool, bool]:
    """(has_alpha, is_cmyk, is_16_bit) of a QImage format, as declared by a header."""
    if fmt == QImage.Format.Format_Invalid:
        return False, False, False
    pf = QImage.toPixelFormat(fmt)
    alpha = pf.alphaUsage() == QPixelFormat.AlphaUsage.UsesAlpha
    cmyk = pf.colorModel() == QPixelFormat.ColorModel.CMYK
    deep = pf.bitsPerPixel() > 32 or fmt == QImage.Format.Format_Grayscale16
    return alpha, cmyk, deep


def read_scaled(reader: QImageReader, target: tuple[int, int] | None, *, fast_scaled_decode: bool) -> QImage:
    """Decode with orientation applied; `target` is the wanted oriented size (None: full size).

    With `fast_scaled_decode` the decoder itself scales (libjpeg DCT scaling: ~3x faster and far
    less memory for a large JPEG; measured mean difference to a full decode + smooth scale < 0.4/255).
    Qt's scaled size is in the file's own orientation, so it is swapped for a 90-degree EXIF turn.
    Returns a null QImage on failure (reader.errorString() says why).
    """
    if target is not None:
        # Always let the reader scale: for JPEG the decoder scales (fast_scaled_decode), for other
        # formats QImageReader smooth-scales inside read(), which PySide runs without the GIL, while
        # QImage.scaled() keeps the GIL for the whole scale (a 4K image: 8-40 ms of a frozen UI,
        # issue 7). The pixels are identical to read() + scaled(SmoothTransformation).
        w, h = target
        reader.setScaledSize(QSize(h, w) if _rotates(reader) else QSize(w, h))
    image = reader.read()
    if image.isNull() or target is None:
        return image
    if (image.width(), image.height()) != target:
        image = image.scaled(
            target[0], target[1], Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    return image


def to_rgb8(image: QImage) -> tuple[QImage, bool]:
    """8-bit RGB with any transparency composited onto white; returns (image, had_alpha).

    §2.3 / §8: the service does not accept alpha, and white is what a transparent PNG looks like
    on a page. CMYK, 16-bit, indexed and greyscale sources all end up as RGB32.
    """
    space = image.colorSpace()
    if space.isValid() and space.colorModel() != QColorSpace.ColorModel.Rgb:
        # A CMYK or grey ICC profile cannot stay on RGB pixels; convert through it to sRGB.
        image = image.convertedToColorSpace(QColorSpace(QColorSpace.NamedColorSpace.SRgb), QImage.Format.Format_RGB32)
    if image.hasAlphaChannel():
        flat = QImage(image.size(), QImage.Format.Format_RGB32)
        flat.setColorSpace(image.colorSpace())
        flat.fill(WHITE)
        painter = QPainter(flat)
        painter.drawImage(0, 0, image)
        painter.end()
        return flat, True
    if image.format() != QImage.Format.Format_RGB32:
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    return image, False


def encode(image: QImage, fmt: str, quality: int = -1) -> bytes:
    """Encode to bytes in memory (format 'png', 'jpeg' or 'webp')."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide's stubs say bytes, but the binding only accepts str for the format here.
    ok = image.save(buffer, fmt.upper(), quality)  # type: ignore[call-overload]
    data = bytes(buffer.data().data())
    buffer.close()
    if not ok:
        raise OSError(f"Qt could not encode a {image.width()}x{image.height()} image as {fmt}")
    return data


NOT_READABLE = QT_TRANSLATE_NOOP("WanError", "{name} is not a readable image{reason}.")


class ImageFileError(WanError):
    """An image file (a result, a library image, a reference) cannot be read or written."""

    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "The file may be damaged, still being written, or not an image; try re-exporting it."
    )


def load_image(path: str, *, max_side: int | None = None) -> QImage:
    """Decode an image file upright (EXIF applied), optionally fitted within `max_side` pixels.

    Raises ImageFileError when the file is missing or not decodable.
    """
    reader = path_reader(path)
    try:
        size = oriented_size(reader)
        if size is None:
            raise ImageFileError(NOT_READABLE, values={"name": Path(path).name, "reason": reason(reader)})
        target = None
        if max_side is not None and max(size) > max_side:
            scale = max_side / max(size)
            target = (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))
        is_jpeg = qt_format(reader) in ("jpeg", "jpg")
        image = read_scaled(reader, target, fast_scaled_decode=is_jpeg)
        if image.isNull():
            raise ImageFileError(
                QT_TRANSLATE_NOOP("WanError", "{name} could not be decoded{reason}."),
                values={"name": Path(path).name, "reason": reason(reader)},
            )
        return image
    finally:
        reader.setFileName("")
