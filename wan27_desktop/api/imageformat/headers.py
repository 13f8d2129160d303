"""Facts an image's headers state, read without decoding a pixel: width and height (PNG, JPEG, WebP),
declared transparency, and whether the file's end is missing; plus the JPEG segment and WebP chunk
walkers that the download check and the library's metadata code share."""

from __future__ import annotations

import io
import mmap
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from wan27_desktop.api.imageformat.sniff import PNG_IEND, PNG_SIGNATURE, RESULT_FORMATS, sniff
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP


class ImageFormatError(ValueError):
    """Not an image of a format we handle, or a structure we refuse to read or touch."""


# JPEG frame headers carrying the size: SOF0-3, 5-7, 9-11, 13-15 (C4 is DHT, C8 JPG, CC DAC).
JPEG_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
JPEG_SOS = 0xDA
# Markers without a length field: TEM, RST0-7, and a repeated SOI.
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD9)})


def read_exact(stream: BinaryIO, count: int, what: str) -> bytes:
    data = stream.read(count)
    if len(data) != count:
        raise ImageFormatError(f"The image is truncated (cut off in {what}).")
    return data


def file_format(path: Path) -> str:
    """'png', 'jpeg' or 'webp' from the file's first bytes; raises `ImageFormatError` for anything else."""
    with path.open("rb") as handle:
        fmt = sniff(handle.read(12))
    if fmt not in RESULT_FORMATS:
        raise ImageFormatError(f"{path.name} is not a PNG, JPEG or WebP image")
    return fmt


def image_size(path: Path, fmt: str | None = None) -> tuple[int, int]:
    """(width, height) of a PNG, JPEG or WebP file as its headers declare them (EXIF orientation is
    not applied: these are the stored pixels)."""
    fmt = fmt or file_format(path)
    with path.open("rb") as handle:
        if fmt == "png":
            return png_size(handle.read(24))
        if fmt == "jpeg":
            return jpeg_size(handle)
        return webp_size(handle)


# ------------------------------------------------------------------------------------------ PNG
def png_size(head: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's first 24 bytes (signature and IHDR)."""
    if head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR" or len(head) < 24:
        raise ImageFormatError("not a PNG file")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


# ----------------------------------------------------------------------------------------- JPEG
def jpeg_segments(handle: BinaryIO) -> Iterator[tuple[int, int, int]]:
    """(marker, data offset, data length) of each JPEG segment after SOI, up to and including the
    first scan (SOS), whose data is its header. The caller may read or seek between segments."""
    size = handle.seek(0, io.SEEK_END)
    handle.seek(2)  # SOI
    while True:
        if read_exact(handle, 1, "a marker") != b"\xff":
            raise ImageFormatError("The JPEG has a corrupt segment structure.")
        marker = 0xFF
        while marker == 0xFF:  # fill bytes
            marker = read_exact(handle, 1, "a marker")[0]
        if marker in _JPEG_STANDALONE:
            continue
        if marker == 0xD9:
            raise ImageFormatError("The JPEG ends before any image data.")
        (length,) = struct.unpack(">H", read_exact(handle, 2, "a segment length"))
        if length < 2:
            raise ImageFormatError("The JPEG has a corrupt segment length.")
        offset = handle.tell()
        if offset + length - 2 > size:
            raise ImageFormatError("The image is truncated (cut off in a JPEG segment).")
        yield marker, offset, length - 2
        if marker == JPEG_SOS:
            return
        handle.seek(offset + length - 2)


def jpeg_frame_size(handle: BinaryIO, offset: int) -> tuple[int, int]:
    """(width, height) from the frame header (SOF) segment whose data starts at `offset`."""
    handle.seek(offset)
    _precision, height, width = struct.unpack(">BHH", read_exact(handle, 5, "the frame header"))
    return width, height


def jpeg_size(handle: BinaryIO) -> tuple[int, int]:
    for marker, offset, _length in jpeg_segments(handle):
        if marker in JPEG_SOF:
            return jpeg_frame_size(handle, offset)
    raise ImageFormatError("The JPEG has image data but no frame header (size).")


# ----------------------------------------------------------------------------------------- WebP
def webp_chunks(handle: BinaryIO) -> Iterator[tuple[bytes, int, int]]:
    """(fourcc, data offset, data length) of each chunk in the RIFF container, as far as the file
    goes; a chunk may declare more data than follows it (the caller decides whether that matters)."""
    size = handle.seek(0, io.SEEK_END)
    handle.seek(0)
    (riff_size,) = struct.unpack("<4xI", read_exact(handle, 8, "the RIFF header"))
    end = min(riff_size + 8, size)
    position = 12
    while position + 8 <= end:
        handle.seek(position)
        fourcc, length = struct.unpack("<4sI", read_exact(handle, 8, "a chunk header"))
        yield fourcc, position + 8, length
        position += 8 + length + (length & 1)  # chunks are padded to an even length


def webp_chunk_size(fourcc: bytes, data: bytes) -> tuple[int, int] | None:
    """(width, height) from the first bytes (up to 10) of a VP8X, VP8 or VP8L chunk; None for any
    other chunk."""
    if fourcc == b"VP8X":
        if len(data) < 10:
            raise ImageFormatError("The WebP has a malformed VP8X header.")
        return 1 + int.from_bytes(data[4:7], "little"), 1 + int.from_bytes(data[7:10], "little")
    if fourcc == b"VP8 ":
        if len(data) < 10 or data[3:6] != b"\x9d\x01\x2a":
            raise ImageFormatError("The WebP has a malformed VP8 frame header.")
        width, height = struct.unpack("<HH", data[6:10])
        return width & 0x3FFF, height & 0x3FFF
    if fourcc == b"VP8L":
        if len(data) < 5 or data[0] != 0x2F:
            raise ImageFormatError("The WebP has a malformed VP8L header.")
        (bits,) = struct.unpack("<I", data[1:5])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def webp_size(handle: BinaryIO) -> tuple[int, int]:
    for fourcc, offset, _length in webp_chunks(handle):
        handle.seek(offset)
        size = webp_chunk_size(fourcc, handle.read(10))
        if size is not None:
            return size
    raise ImageFormatError("The WebP contains no image data.")


def webp_is_lossless(head: bytes) -> bool:
    return head[12:16] == b"VP8L"


def webp_is_animated(head: bytes) -> bool:
    return head[12:16] == b"VP8X" and len(head) >= 21 and bool(head[20] & 0x02)


# ------------------------------------------------------------------------------ declared facts
def header_has_alpha(fmt: str, head: bytes) -> bool | None:
    """Alpha as declared in the header where Qt does not tell (WebP) or may miss it (PNG tRNS).

    None means "cannot tell from the header".
    """
    if fmt == "png":
        if len(head) < 33:
            return None
        colour_type = head[25]
        if colour_type in (4, 6):  # grey+alpha, RGBA
            return True
        # A tRNS chunk (palette or colour-key transparency) sits between IHDR and the first IDAT.
        pos = 8
        while pos + 8 <= len(head):
            length, kind = struct.unpack(">I4s", head[pos : pos + 8])
            if kind == b"tRNS":
                return True
            if kind in (b"IDAT", b"IEND"):
                return False
            pos += 12 + length
        return None
    if fmt == "webp":
        chunk = head[12:16]
        if chunk == b"VP8X" and len(head) >= 21:
            return bool(head[20] & 0x10)
        if chunk == b"VP8L" and len(head) >= 25:
            # 14-bit width-1, 14-bit height-1, then the alpha_is_used bit (VP8L spec §3).
            bits = struct.unpack("<I", head[21:25])[0]
            return bool((bits >> 28) & 1)
        if chunk == b"VP8 ":
            return False
        return None
    return None


def truncation(fmt: str, data: bytes | mmap.mmap) -> tuple[str, dict[str, int]] | None:
    """How the file is cut short, as a translatable template (context "ReferenceCheck") and its
    values (the caller translates, then formats), or None when its end looks intact.

    `data` is the whole file (bytes, or an mmap so a big file is not copied). A header reader
    (Qt's too) cannot see this: a PNG or JPEG cut short still has a perfectly good header, and Qt's
    JPEG decoder fills a truncated scan with grey instead of failing.
    """
    file_size = len(data)
    if fmt == "png":
        # Data after IEND is legal (and common), so search rather than compare the last bytes.
        if data.rfind(PNG_IEND) >= 0:
            return None
        return QT_TRANSLATE_NOOP("ReferenceCheck", "the PNG data ends before its IEND chunk"), {}
    if fmt == "jpeg":
        # Entropy-coded data can never contain FFD9/FFDA (0xFF is stuffed), so the image is
        # complete only if an end-of-image marker follows the last start-of-scan. An EXIF
        # thumbnail has its own EOI, but it sits before the main scans.
        last_sos = data.rfind(b"\xff\xda")
        if last_sos < 0:
            return QT_TRANSLATE_NOOP("ReferenceCheck", "the JPEG has no image data (no start-of-scan marker)"), {}
        if data.rfind(b"\xff\xd9") < last_sos:
            return QT_TRANSLATE_NOOP("ReferenceCheck", "the JPEG data ends before its end-of-image marker"), {}
        return None
    if fmt == "webp" and file_size >= 12:
        declared = struct.unpack("<I", data[4:8])[0] + 8
        if declared > file_size:
            return (
                QT_TRANSLATE_NOOP(
                    "ReferenceCheck", "the WebP header declares {declared} bytes but the file has {size}"
                ),
                {"declared": declared, "size": file_size},
            )
        return None
    if fmt == "bmp" and file_size >= 6:
        declared = struct.unpack("<I", data[2:6])[0]
        if declared > file_size:
            return (
                QT_TRANSLATE_NOOP("ReferenceCheck", "the BMP header declares {declared} bytes but the file has {size}"),
                {"declared": declared, "size": file_size},
            )
        return None
    return None
