"""Image files on disk: JPEG/WebP metadata, and atomic writes.

No pixels are decoded here. Formats, sizes and PNG text chunks are `api.imageformat`'s (re-exported
here under the library's names); this module covers the metadata of the other two formats the
library accepts. JPEG gets an APP1 XMP segment (with our JSON inside it) and a COM segment with the
A1111 text; WebP files are kept byte-for-byte (adding XMP would mean rewriting the VP8X header) -
their metadata lives in the database and is lost on a rebuild-from-files.
"""

from __future__ import annotations

import hashlib
import os
import struct
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

# EXTENSIONS, ImageFormatError and image_size are offered to the library's modules under this roof too.
from wan27_desktop.api.imageformat import EXTENSIONS, ImageFormatError, file_format, image_size  # noqa: F401
from wan27_desktop.api.imageformat.headers import jpeg_segments, webp_chunks
from wan27_desktop.library.pngmeta import PARAMETERS_KEY, XMP_KEY
from wan27_desktop.private_files import make_dirs, open_new

sniff_format = file_format  # the library's name for it
XMP_APP1_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
TEMP_PREFIX = ".tmp-"


# -- JPEG -------------------------------------------------------------------------------------


def _jpeg_texts(path: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    with path.open("rb") as handle:
        for marker, offset, length in jpeg_segments(handle):
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
        segments = list(jpeg_segments(handle))
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


def _webp_texts(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        for ctype, offset, length in webp_chunks(handle):
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
