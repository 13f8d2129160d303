"""PNG chunks read and spliced without decoding a pixel: text chunks (tEXt / iTXt / zTXt) are read,
written and inserted before the first IDAT, so readers that stop early still see them; every other
chunk, IDAT included, is copied verbatim with its original CRC. What the texts mean is the
library's business (`library/pngmeta.py`).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from wan27_desktop.api.imageformat.headers import ImageFormatError
from wan27_desktop.api.imageformat.sniff import PNG_SIGNATURE

XMP_KEY = "XML:com.adobe.xmp"  # the keyword Adobe's XMP specification gives the packet's iTXt chunk
MAX_TEXT_BYTES = 8 * 1024 * 1024  # cap on one decompressed text chunk: metadata, not a zip bomb
TEXT_TYPES = (b"tEXt", b"iTXt", b"zTXt")
_COPY_BLOCK = 1024 * 1024


class _Writer(Protocol):
    def write(self, data: bytes, /) -> int: ...


@dataclass(frozen=True)
class TextChunk:
    keyword: str
    text: str
    kind: str = "iTXt"  # tEXt | iTXt | zTXt


def iter_chunks(handle: BinaryIO) -> Iterator[tuple[bytes, int, int]]:
    """Yield (type, data offset, length) for each chunk; the caller may read or skip the data."""
    if handle.read(8) != PNG_SIGNATURE:
        raise ImageFormatError("not a PNG file")
    while True:
        header = handle.read(8)
        if len(header) < 8:
            raise ImageFormatError("truncated PNG (no IEND)")
        length, ctype = struct.unpack(">I4s", header)
        if length > 0x7FFFFFFF or not ctype.isalpha():
            raise ImageFormatError(f"bad chunk header {ctype!r}")
        offset = handle.tell()
        yield ctype, offset, length
        handle.seek(offset + length + 4)
        if ctype == b"IEND":
            return


def make_chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF)


def make_text_chunk(chunk: TextChunk, *, compress: bool | None = None) -> bytes:
    keyword = chunk.keyword.encode("latin-1")
    if not 1 <= len(keyword) <= 79 or b"\0" in keyword:
        raise ValueError(f"invalid PNG text keyword {chunk.keyword!r}")
    if chunk.kind == "tEXt":
        return make_chunk(b"tEXt", keyword + b"\0" + chunk.text.encode("latin-1"))
    if chunk.kind == "zTXt":
        return make_chunk(b"zTXt", keyword + b"\0\0" + zlib.compress(chunk.text.encode("latin-1")))
    payload = chunk.text.encode("utf-8")
    if compress is None:
        compress = len(payload) > 4096 and chunk.keyword != XMP_KEY  # XMP stays plain for scanners
    if compress:
        payload = zlib.compress(payload)
    return make_chunk(b"iTXt", keyword + b"\0" + bytes([1 if compress else 0, 0]) + b"\0\0" + payload)


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, MAX_TEXT_BYTES)
    if inflater.unconsumed_tail:
        raise ImageFormatError("text chunk decompresses beyond the size cap")
    return out


def parse_text_chunk(ctype: bytes, data: bytes) -> TextChunk:
    keyword, sep, rest = data.partition(b"\0")
    if not sep:
        raise ImageFormatError("text chunk without keyword separator")
    key = keyword.decode("latin-1")
    if ctype == b"tEXt":
        return TextChunk(key, rest.decode("latin-1"), "tEXt")
    if ctype == b"zTXt":
        return TextChunk(key, _inflate(rest[1:]).decode("latin-1"), "zTXt")
    if len(rest) < 2:
        raise ImageFormatError("short iTXt chunk")
    compressed = rest[0] == 1
    _language, _, rest = rest[2:].partition(b"\0")
    _translated, _, text = rest.partition(b"\0")
    raw = _inflate(text) if compressed else text
    return TextChunk(key, raw.decode("utf-8", errors="replace"), "iTXt")


def read_text_chunks(path: Path) -> list[TextChunk]:
    """All text chunks with a valid CRC; pixel data is skipped with seeks, never read."""
    chunks: list[TextChunk] = []
    with path.open("rb") as handle:
        for ctype, offset, length in iter_chunks(handle):
            if ctype not in TEXT_TYPES:
                continue
            if length > MAX_TEXT_BYTES:
                continue
            handle.seek(offset)
            data = handle.read(length)
            (crc,) = struct.unpack(">I", handle.read(4))
            if zlib.crc32(ctype + data) & 0xFFFFFFFF != crc:
                continue  # a damaged chunk is ignored, not trusted
            try:
                chunks.append(parse_text_chunk(ctype, data))
            except (ImageFormatError, UnicodeDecodeError, zlib.error):
                continue
    return chunks


def text_keywords(path: Path) -> list[str]:
    """The keyword of every text chunk, in file order (pixel data is skipped with seeks)."""
    keywords = []
    with path.open("rb") as handle:
        for ctype, offset, length in iter_chunks(handle):
            if ctype in TEXT_TYPES:
                handle.seek(offset)
                keywords.append(handle.read(min(length, 80)).partition(b"\0")[0].decode("latin-1"))
    return keywords


def embed_text_chunks(source: Path, out: _Writer, chunks: list[TextChunk]) -> None:
    """Copy `source` to `out` chunk by chunk, dropping old text chunks with the keywords of `chunks`
    and inserting `chunks` before the first IDAT. Pixel chunks are copied byte for byte."""
    replace = {chunk.keyword for chunk in chunks}
    encoded = b"".join(make_text_chunk(chunk) for chunk in chunks)
    inserted = False
    with source.open("rb") as handle:
        out.write(PNG_SIGNATURE)
        for ctype, offset, length in iter_chunks(handle):
            if ctype == b"IDAT" and not inserted:
                out.write(encoded)
                inserted = True
            if ctype in TEXT_TYPES and length <= MAX_TEXT_BYTES:
                handle.seek(offset)
                keyword = handle.read(min(length, 80)).partition(b"\0")[0].decode("latin-1")
                if keyword in replace:
                    continue
            handle.seek(offset - 8)
            remaining = length + 12
            while remaining:
                block = handle.read(min(remaining, _COPY_BLOCK))
                if not block:
                    raise ImageFormatError("truncated PNG chunk")
                out.write(block)
                remaining -= len(block)
    if not inserted:
        raise ImageFormatError("PNG without image data")
