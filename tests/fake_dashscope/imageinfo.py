"""Sniff the format and pixel size of an input image from its header bytes (pure Python).

The fake checks inputs the way §2.3 says the service does, without an imaging library: formats
PNG/JPEG/BMP/WEBP recognised by magic bytes, dimensions read from the headers. This is written
independently of the app's own checks so that the fake catches the client's mistakes.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass


class UnreadableImage(ValueError):
    """The bytes are not an image of a supported format, or its header is broken."""


@dataclass(frozen=True)
class ImageInfo:
    format: str  # "png" | "jpeg" | "bmp" | "webp"
    width: int
    height: int
    has_alpha: bool = False


def sniff(data: bytes) -> ImageInfo:
    """Format and size of `data`, or `UnreadableImage`."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg(data)
    if data.startswith(b"BM"):
        return _bmp(data)
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    raise UnreadableImage("unsupported image format (expected PNG, JPEG, BMP or WEBP)")


def _png(data: bytes) -> ImageInfo:
    # Walk the chunk list so that a truncated file (no IEND) is refused like a decoder would.
    pos = 8
    width = height = 0
    alpha = False
    seen_idat = False
    while True:
        if pos + 8 > len(data):
            raise UnreadableImage("PNG is truncated")
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise UnreadableImage("PNG is truncated")
        chunk = data[pos + 8 : pos + 8 + length]
        if pos == 8:
            if ctype != b"IHDR" or length != 13:
                raise UnreadableImage("PNG has no IHDR")
            (crc,) = struct.unpack(">I", data[pos + 8 + length : end])
            if zlib.crc32(ctype + chunk) != crc:
                raise UnreadableImage("PNG header CRC mismatch")
            width, height, _depth, colour = struct.unpack(">IIBB", chunk[:10])
            alpha = colour in (4, 6)
        elif ctype == b"IDAT":
            seen_idat = True
        elif ctype == b"tRNS":
            alpha = True
        elif ctype == b"IEND":
            break
        pos = end
    if not seen_idat or width == 0 or height == 0:
        raise UnreadableImage("PNG has no image data")
    return ImageInfo("png", width, height, alpha)


_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg(data: bytes) -> ImageInfo:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise UnreadableImage("JPEG marker expected")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (seglen,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _SOF_MARKERS:
            if pos + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            # A decoder needs the end of the scan; a cut-off file has no EOI marker near its end.
            if b"\xff\xd9" not in data[-4096:]:
                raise UnreadableImage("JPEG is truncated")
            if width == 0 or height == 0:
                raise UnreadableImage("JPEG has zero size")
            return ImageInfo("jpeg", width, height)
        pos += 2 + seglen
    raise UnreadableImage("JPEG has no frame header")


def _bmp(data: bytes) -> ImageInfo:
    if len(data) < 26:
        raise UnreadableImage("BMP is truncated")
    (header_size,) = struct.unpack("<I", data[14:18])
    if header_size == 12:
        width, height = struct.unpack("<HH", data[18:22])
    elif header_size >= 40 and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
    else:
        raise UnreadableImage("BMP header not understood")
    height = abs(height)  # negative height = top-down rows
    if width <= 0 or height == 0:
        raise UnreadableImage("BMP has zero size")
    return ImageInfo("bmp", width, height)


def _webp(data: bytes) -> ImageInfo:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        if data[23:26] != b"\x9d\x01\x2a":
            raise UnreadableImage("WEBP (lossy) start code missing")
        width, height = struct.unpack("<HH", data[26:30])
        return ImageInfo("webp", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and len(data) >= 25:
        if data[20] != 0x2F:
            raise UnreadableImage("WEBP (lossless) signature missing")
        (bits,) = struct.unpack("<I", data[21:25])
        return ImageInfo("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bool(bits >> 28 & 1))
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return ImageInfo("webp", width, height, bool(data[20] & 0x10))
    raise UnreadableImage("WEBP header not understood")
