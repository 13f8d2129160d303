"""Is this file really a PNG, JPEG or WebP image, and how big does it say it is?

Pure Python (no Qt, no Pillow) so the download path can verify a result in a worker thread before
it is renamed into place (§8: verify and record real dimensions). The checks are structural:

- PNG: signature, IHDR first, every chunk's CRC, at least one IDAT, IEND; the zlib stream is
  inflated (in bounded pieces, never held in memory) and must produce exactly the bytes IHDR implies.
- JPEG: SOI, a frame header (SOF) with the size, a scan (SOS), and EOI at the end.
- WebP: RIFF/WEBP container whose length matches the file, and a VP8 / VP8L / VP8X size.

Declared sizes above `MAX_SIDE` per side or `MAX_PIXELS` in total are refused before anything is
decoded, which stops decompression bombs (a tiny file declaring a gigantic image).
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import BinaryIO, NamedTuple

from .errors import DownloadError

MAX_SIDE = 16384
MAX_PIXELS = 100_000_000  # 4K output (§3.1) is ~16.8 MP; anything near this is not a Wan result
_READ = 1 << 20
_INFLATE_PIECE = 1 << 22  # inflate at most 4 MiB at a time

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_BIT_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
# JPEG frame headers carrying the size: SOF0-3, 5-7, 9-11, 13-15 (C4 is DHT, C8 JPG, CC DAC).
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}


class ImageInfo(NamedTuple):
    format: str  # "png" | "jpeg" | "webp"
    width: int
    height: int


def sniff(head: bytes) -> str | None:
    """The format from the first bytes (12 are enough), or None."""
    if head.startswith(PNG_SIGNATURE):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def verify_bytes(data: bytes) -> ImageInfo:
    return verify_stream(io.BytesIO(data), len(data))


def verify_file(path: Path) -> ImageInfo:
    with open(path, "rb") as stream:
        size = stream.seek(0, io.SEEK_END)
        stream.seek(0)
        return verify_stream(stream, size)


verify_image_file = verify_file  # the name the jobs tests use


def verify_stream(stream: BinaryIO, size: int) -> ImageInfo:
    """Verify a seekable binary stream of `size` bytes; raises `DownloadError` saying what is wrong."""
    head = stream.read(32)
    stream.seek(0)
    kind = sniff(head)
    if kind == "png":
        return _verify_png(stream)
    if kind == "jpeg":
        return _verify_jpeg(stream, size)
    if kind == "webp":
        return _verify_webp(stream, size)
    if not head:
        raise DownloadError("The downloaded file is empty.")
    if head.lstrip()[:1] in (b"<", b"{"):
        raise DownloadError("The download is a text/HTML/JSON document, not an image.")
    raise DownloadError("The downloaded file is not a PNG, JPEG or WebP image.")


def _check_dimensions(kind: str, width: int, height: int) -> ImageInfo:
    if width <= 0 or height <= 0:
        raise DownloadError(f"The {kind.upper()} declares an empty size {width}x{height}.")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise DownloadError(f"The {kind.upper()} declares {width}x{height} pixels, far beyond any Wan "
                            "result; refused as a likely decompression bomb.")
    return ImageInfo(kind, width, height)


def _read_exact(stream: BinaryIO, count: int, what: str) -> bytes:
    data = stream.read(count)
    if len(data) != count:
        raise DownloadError(f"The image is truncated (cut off in {what}).")
    return data


# ------------------------------------------------------------------------------------------ PNG
def _png_expected_bytes(width: int, height: int, bits_per_pixel: int, interlaced: bool) -> int:
    """Inflated IDAT size: per row one filter byte plus the packed pixels, per Adam7 pass if interlaced."""
    def rows(w: int, h: int) -> int:
        return 0 if w == 0 or h == 0 else h * (1 + (w * bits_per_pixel + 7) // 8)

    if not interlaced:
        return rows(width, height)
    return sum(rows((width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy)
               for x0, y0, dx, dy in _ADAM7)


def _verify_png(stream: BinaryIO) -> ImageInfo:
    stream.read(len(PNG_SIGNATURE))
    info: ImageInfo | None = None
    expected = produced = 0
    inflater = zlib.decompressobj()
    seen_idat = False
    while True:
        length, ctype = struct.unpack(">I4s", _read_exact(stream, 8, "a chunk header"))
        name = ctype.decode("latin-1")
        if length > 0x7FFFFFFF or not ctype.isalpha():
            raise DownloadError(f"The PNG has a corrupt chunk header ({name!r}, length {length}).")
        if info is None and ctype != b"IHDR":
            raise DownloadError("The PNG does not start with an IHDR header.")
        crc = zlib.crc32(ctype)
        remaining = length
        header = b""
        pixel_error: DownloadError | None = None  # reported after the CRC, which says more
        while remaining:
            piece = _read_exact(stream, min(remaining, _READ), f"the {name} chunk")
            remaining -= len(piece)
            crc = zlib.crc32(piece, crc)
            if ctype == b"IDAT" and info is not None and pixel_error is None:
                try:
                    produced += _inflate(inflater, piece, expected - produced)
                except DownloadError as exc:
                    pixel_error = exc
            elif ctype == b"IHDR":
                header += piece
        (stored_crc,) = struct.unpack(">I", _read_exact(stream, 4, f"the {name} checksum"))
        if stored_crc != crc & 0xFFFFFFFF:
            raise DownloadError(f"The PNG's {name} chunk fails its CRC check (corrupt download).")
        if pixel_error is not None:
            raise pixel_error
        if ctype == b"IHDR":
            if info is not None or length != 13:
                raise DownloadError("The PNG has a malformed IHDR header.")
            width, height, depth, color, compression, filtering, interlace = struct.unpack(">IIBBBBB", header)
            if depth not in _PNG_BIT_DEPTHS.get(color, ()) or compression or filtering or interlace > 1:
                raise DownloadError(f"The PNG header is invalid (colour type {color}, bit depth {depth}).")
            info = _check_dimensions("png", width, height)
            expected = _png_expected_bytes(width, height, depth * _PNG_CHANNELS[color], interlace == 1)
        elif ctype == b"IDAT":
            seen_idat = True
        elif ctype == b"IEND":
            break
    assert info is not None  # the loop refuses any chunk before IHDR
    if not seen_idat:
        raise DownloadError("The PNG has no image data (IDAT).")
    produced += _inflate(inflater, b"", expected - produced)
    if not inflater.eof or produced != expected:
        raise DownloadError(f"The PNG's image data is incomplete or corrupt ({produced:,} of "
                            f"{expected:,} bytes decoded).")
    return info


def _inflate(inflater: zlib._Decompress, data: bytes, allowed: int) -> int:
    """Inflate `data` in bounded pieces, returning how many bytes came out (never kept in memory)."""
    produced = 0
    try:
        while True:
            out = inflater.decompress(data, _INFLATE_PIECE)
            produced += len(out)
            if produced > allowed:
                raise DownloadError("The PNG holds more pixel data than its header declares.")
            data = inflater.unconsumed_tail
            # A full piece may leave output pending inside zlib even when all input is consumed.
            if not data and len(out) < _INFLATE_PIECE:
                break
    except zlib.error as exc:
        raise DownloadError(f"The PNG's compressed image data is corrupt ({exc}).") from exc
    return produced


# ----------------------------------------------------------------------------------------- JPEG
def _verify_jpeg(stream: BinaryIO, size: int) -> ImageInfo:
    stream.read(2)  # SOI
    info: ImageInfo | None = None
    while True:
        byte = _read_exact(stream, 1, "a marker")
        if byte != b"\xff":
            raise DownloadError("The JPEG has a corrupt segment structure.")
        marker = 0xFF
        while marker == 0xFF:  # fill bytes
            marker = _read_exact(stream, 1, "a marker")[0]
        if marker in _JPEG_STANDALONE:
            continue
        if marker == 0xD9:
            raise DownloadError("The JPEG ends before any image data.")
        (length,) = struct.unpack(">H", _read_exact(stream, 2, "a segment length"))
        if length < 2:
            raise DownloadError("The JPEG has a corrupt segment length.")
        if marker in _JPEG_SOF:
            _precision, height, width = struct.unpack(">BHH", _read_exact(stream, 5, "the frame header"))
            info = _check_dimensions("jpeg", width, height)
            stream.seek(length - 7, io.SEEK_CUR)
        elif marker == 0xDA:
            if info is None:
                raise DownloadError("The JPEG has image data but no frame header (size).")
            scan_start = stream.tell()
            break
        else:
            stream.seek(length - 2, io.SEEK_CUR)
        if stream.tell() > size:
            raise DownloadError("The image is truncated (cut off in a JPEG segment).")
    # EOI must close the file (a few bytes of padding after it are tolerated).
    tail_start = max(scan_start, size - 4096)
    stream.seek(tail_start)
    tail = stream.read()
    if b"\xff\xd9" not in tail:
        raise DownloadError("The JPEG is truncated (no end-of-image marker).")
    return info


# ----------------------------------------------------------------------------------------- WebP
def _verify_webp(stream: BinaryIO, size: int) -> ImageInfo:
    riff, riff_size, _webp = struct.unpack("<4sI4s", _read_exact(stream, 12, "the RIFF header"))
    if riff_size + 8 > size:
        raise DownloadError(f"The WebP is truncated ({size:,} of {riff_size + 8:,} bytes).")
    end = riff_size + 8
    info: ImageInfo | None = None
    has_image = False
    position = 12
    while position + 8 <= end:
        stream.seek(position)
        fourcc, length = struct.unpack("<4sI", _read_exact(stream, 8, "a chunk header"))
        if position + 8 + length > end:
            raise DownloadError(f"The WebP's {fourcc!r} chunk runs past the end of the file.")
        data = stream.read(min(length, 30))
        if fourcc == b"VP8X" and info is None:
            if len(data) < 10:
                raise DownloadError("The WebP has a malformed VP8X header.")
            width = 1 + int.from_bytes(data[4:7], "little")
            height = 1 + int.from_bytes(data[7:10], "little")
            info = _check_dimensions("webp", width, height)
        elif fourcc == b"VP8 ":
            if len(data) < 10 or data[3:6] != b"\x9d\x01\x2a":
                raise DownloadError("The WebP has a malformed VP8 frame header.")
            width, height = (v & 0x3FFF for v in struct.unpack("<HH", data[6:10]))
            info = info or _check_dimensions("webp", width, height)
            has_image = True
        elif fourcc == b"VP8L":
            if len(data) < 5 or data[0] != 0x2F:
                raise DownloadError("The WebP has a malformed VP8L header.")
            (bits,) = struct.unpack("<I", data[1:5])
            info = info or _check_dimensions("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            has_image = True
        elif fourcc == b"ANMF":
            has_image = True
        position += 8 + length + (length & 1)  # chunks are padded to an even length
    if info is None or not has_image:
        raise DownloadError("The WebP contains no image data.")
    return info
