"""Image files on disk: format sniffing, dimensions, JPEG/WebP metadata, and atomic writes.

No pixels are decoded here. PNG text chunks live in `pngmeta`; this module covers the other two
formats the library accepts. JPEG gets an APP1 XMP segment (with our JSON inside it) and a COM
segment with the A1111 text; WebP files are kept byte-for-byte (adding XMP would mean rewriting the
VP8X header) - their metadata lives in the database and is lost on a rebuild-from-files.
"""

from __future__ import annotations

import hashlib
import os
import struct
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from wan27_desktop.library.pngmeta import PARAMETERS_KEY, PNG_SIGNATURE, XMP_KEY, PngError, png_size
from wan27_desktop.private_files import make_dirs, open_new

XMP_APP1_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "webp": ".webp"}
TEMP_PREFIX = ".tmp-"


class ImageFormatError(PngError):
    """Not a PNG, JPEG or WebP file we can handle."""


def sniff_format(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(12)
    if head.startswith(PNG_SIGNATURE):
        return "png"
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    raise ImageFormatError(f"{path.name} is not a PNG, JPEG or WebP image")


def image_size(path: Path, fmt: str | None = None) -> tuple[int, int]:
    """(width, height) from the container headers."""
    fmt = fmt or sniff_format(path)
    if fmt == "png":
        return png_size(path)
    with path.open("rb") as handle:
        if fmt == "jpeg":
            return _jpeg_size(handle)
        return _webp_size(handle)


# -- JPEG -------------------------------------------------------------------------------------


def _jpeg_segments(handle: BinaryIO) -> list[tuple[int, int, int]]:
    """(marker, data offset, data length) of each header segment up to the scan (SOS)."""
    handle.seek(2)
    segments = []
    while True:
        byte = handle.read(1)
        while byte == b"\xff":
            marker_byte = handle.read(1)
            if marker_byte != b"\xff":
                break
        else:
            raise ImageFormatError("bad JPEG segment marker")
        if not marker_byte:
            raise ImageFormatError("truncated JPEG")
        marker = marker_byte[0]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            continue
        raw = handle.read(2)
        if len(raw) < 2:
            raise ImageFormatError("truncated JPEG")
        (length,) = struct.unpack(">H", raw)
        offset = handle.tell()
        segments.append((marker, offset, length - 2))
        if marker in (0xDA, 0xD9):  # start of scan / end: the header is over
            return segments
        handle.seek(offset + length - 2)


def _jpeg_size(handle: BinaryIO) -> tuple[int, int]:
    for marker, offset, _length in _jpeg_segments(handle):
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            handle.seek(offset + 1)
            height, width = struct.unpack(">HH", handle.read(4))
            return width, height
    raise ImageFormatError("JPEG without a frame header")


def _jpeg_texts(path: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    with path.open("rb") as handle:
        for marker, offset, length in _jpeg_segments(handle):
            if marker == 0xE1 and length > len(XMP_APP1_HEADER):
                handle.seek(offset)
                data = handle.read(length)
                if data.startswith(XMP_APP1_HEADER):
                    texts[XMP_KEY] = data[len(XMP_APP1_HEADER) :].decode("utf-8", errors="replace")
            elif marker == 0xFE:
                handle.seek(offset)
                texts[PARAMETERS_KEY] = handle.read(length).decode("utf-8", errors="replace")
    return texts


def embed_jpeg(source: Path, out: BinaryIO | HashingWriter, *, xmp: str, parameters: str) -> None:
    """Copy a JPEG adding an APP1 XMP segment and a COM segment; entropy-coded data is untouched."""
    xmp_data = XMP_APP1_HEADER + xmp.encode("utf-8")
    com_data = parameters.encode("utf-8")[:65533]
    if len(xmp_data) > 65533:
        raise ImageFormatError("XMP packet too large for one JPEG segment")
    with source.open("rb") as handle:
        segments = _jpeg_segments(handle)
        handle.seek(0)
        data = handle.read()
    ours = (
        b"\xff\xe1"
        + struct.pack(">H", len(xmp_data) + 2)
        + xmp_data
        + b"\xff\xfe"
        + struct.pack(">H", len(com_data) + 2)
        + com_data
    )
    out.write(b"\xff\xd8")
    inserted = False
    for marker, offset, length in segments:
        start = offset - 4  # the 0xFF, the marker and the two length bytes
        if not inserted and marker != 0xE0:  # JFIF (APP0) must stay first
            out.write(ours)
            inserted = True
        if marker == 0xDA:
            out.write(data[start:])
            return
        if (marker == 0xE1 and data[offset : offset + len(XMP_APP1_HEADER)] == XMP_APP1_HEADER) or marker == 0xFE:
            continue  # replaced by ours
        out.write(data[start : offset + length])
    raise ImageFormatError("JPEG without image data")


# -- WebP -------------------------------------------------------------------------------------


def _webp_chunks(handle: BinaryIO) -> list[tuple[bytes, int, int]]:
    handle.seek(0)
    header = handle.read(12)
    (riff_size,) = struct.unpack("<I", header[4:8])
    end = min(riff_size + 8, os.fstat(handle.fileno()).st_size)
    chunks = []
    position = 12
    while position + 8 <= end:
        handle.seek(position)
        ctype, length = struct.unpack("<4sI", handle.read(8))
        chunks.append((ctype, position + 8, length))
        position += 8 + length + (length & 1)
    return chunks


def _webp_size(handle: BinaryIO) -> tuple[int, int]:
    for ctype, offset, _length in _webp_chunks(handle):
        handle.seek(offset)
        data = handle.read(10)
        if ctype == b"VP8X":
            width = int.from_bytes(data[4:7], "little") + 1
            height = int.from_bytes(data[7:10], "little") + 1
            return width, height
        if ctype == b"VP8 " and data[3:6] == b"\x9d\x01\x2a":
            width, height = struct.unpack("<HH", data[6:10])
            return width & 0x3FFF, height & 0x3FFF
        if ctype == b"VP8L" and data[0] == 0x2F:
            bits = int.from_bytes(data[1:5], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise ImageFormatError("WebP without an image chunk")


def _webp_texts(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        for ctype, offset, length in _webp_chunks(handle):
            if ctype == b"XMP " and length < 8 * 1024 * 1024:
                handle.seek(offset)
                return {XMP_KEY: handle.read(length).decode("utf-8", errors="replace")}
    return {}


def text_entries(path: Path, fmt: str) -> dict[str, str]:
    """Keyword -> text for JPEG/WebP, using the PNG keywords so one interpreter serves all formats."""
    return _jpeg_texts(path) if fmt == "jpeg" else _webp_texts(path)


# -- atomic writes ----------------------------------------------------------------------------


class HashingWriter:
    """Writes through to a file while hashing, so the final name can carry the content hash."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.handle.write(data)


def fsync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(
    directory: Path, fill: Callable[[HashingWriter], None], name_for: Callable[[str], str]
) -> tuple[Path, str, int]:
    """Write via a temp file in `directory` (fill it, flush, fsync), then rename to `name_for(sha)`.

    Returns (path, sha256, bytes). A crash leaves either nothing or a `.tmp-*` file, never a torn image.
    """
    make_dirs(directory)
    temp = directory / f"{TEMP_PREFIX}{uuid.uuid4().hex}.part"
    try:
        with os.fdopen(open_new(temp), "wb") as handle:
            writer = HashingWriter(handle)
            fill(writer)
            handle.flush()
            os.fsync(handle.fileno())
        sha = writer.digest.hexdigest()
        final = directory / name_for(sha)
        os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(directory)
    return final, sha, writer.size


def copy_into(source: Path, out: HashingWriter) -> None:
    with source.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            out.write(block)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()
