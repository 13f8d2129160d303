"""Tiny image builders for API tests: hand-made PNG chunks, and real JPEG/WebP via QtGui.

QtGui is fine here (tests, not the Qt-free API package): it gives independent, real encoders.
"""

from __future__ import annotations

import struct
import zlib


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def make_png(
    width: int = 64,
    height: int = 48,
    *,
    color_type: int = 2,
    bit_depth: int = 8,
    idat_parts: int = 1,
    interlace: int = 0,
    raw: bytes | None = None,
    stream: bytes | None = None,
) -> bytes:
    """A valid PNG (filter byte 0 on every row, grey-ish pixels); `stream` replaces its zlib stream."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    if raw is None:
        if interlace:
            raw = adam7_zero_rows(width, height, channels * bit_depth)
        else:
            row = b"\x00" + bytes((i * 7) & 0xFF for i in range((width * channels * bit_depth + 7) // 8))
            raw = row * height
    data = zlib.compress(raw) if stream is None else stream
    step = max(1, -(-len(data) // idat_parts))
    idats = b"".join(png_chunk(b"IDAT", data[i : i + step]) for i in range(0, len(data), step))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)
    extra = png_chunk(b"PLTE", bytes(range(48))) if color_type == 3 else b""
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + extra + idats + png_chunk(b"IEND", b"")


def adam7_zero_rows(width: int, height: int, bpp: int) -> bytes:
    out = b""
    for x0, y0, dx, dy in (
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ):
        w = (width - x0 + dx - 1) // dx
        h = (height - y0 + dy - 1) // dy
        if w and h:
            out += (b"\x00" + bytes((w * bpp + 7) // 8)) * h
    return out


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header declares a gigantic image (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + png_chunk(b"IEND", b"")
    )


def qt_encode(fmt: str, width: int = 300, height: int = 200, quality: int = -1) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(30, 120, 200))
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt, quality)
    return bytes(array.data())
