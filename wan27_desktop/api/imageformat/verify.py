"""Is a downloaded file really the PNG, JPEG or WebP image it claims to be, and how big is it?

The download path verifies a result in a worker thread before it is renamed into place (§8: verify
and record real dimensions). The checks are structural:

- PNG: signature, IHDR first, every chunk's CRC, at least one IDAT, IEND; the zlib stream is
  inflated (in bounded pieces, never held in memory) and must produce exactly the bytes IHDR implies.
  Its Adler-32 is not recomputed: the chunks' CRC-32s already cover every byte of it (`_IdatStream`).
  `PngVerifier` is a push parser, so a download checks the body in the same pass that writes it.
- JPEG: SOI, a frame header (SOF) with the size, a scan (SOS), and EOI at the end.
- WebP: RIFF/WEBP container whose length matches the file, and a VP8 / VP8L / VP8X size.

Declared sizes above `MAX_SIDE` per side or `MAX_PIXELS` in total are refused before anything is
decoded, which stops decompression bombs (a tiny file declaring a gigantic image). Every problem is
a `DownloadError` saying what is wrong.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import BinaryIO, NamedTuple

from wan27_desktop.api.errors import DownloadError
from wan27_desktop.api.imageformat import headers
from wan27_desktop.api.imageformat.headers import ImageFormatError
from wan27_desktop.api.imageformat.sniff import PNG_SIGNATURE, RESULT_FORMATS, sniff

MAX_SIDE = 16384
MAX_PIXELS = 100_000_000  # 4K output (§3.1) is ~16.8 MP; anything near this is not a Wan result
_READ = 1 << 20
_INFLATE_PIECE = 1 << 22  # inflate at most 4 MiB at a time

_PNG_BIT_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


class ImageInfo(NamedTuple):
    """What a verified image is: its format and the size its header declares."""

    format: str  # "png" | "jpeg" | "webp"
    width: int
    height: int


def verify_bytes(data: bytes) -> ImageInfo:
    return verify_stream(io.BytesIO(data), len(data))


def verify_file(path: Path) -> ImageInfo:
    with open(path, "rb") as stream:
        size = stream.seek(0, io.SEEK_END)
        stream.seek(0)
        return verify_stream(stream, size)


class BodyVerifier:
    """Verify a download while it streams: `feed` every piece, then `finish(path)` once it is on disk.

    A PNG (what Wan returns, §4.5) is checked in the same pass that writes it, so a 50 MB result is
    never read back; JPEG and WebP, whose checks seek, are verified from the finished file.
    """

    def __init__(self) -> None:
        self._head = bytearray()
        self._png: PngVerifier | None = None
        self._decided = False

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        if self._png is not None:
            self._png.feed(data)
        elif not self._decided:
            self._head += data
            if len(self._head) >= len(PNG_SIGNATURE):
                self._decided = True
                if self._head.startswith(PNG_SIGNATURE):
                    self._png = PngVerifier()
                    self._png.feed(self._head)
                self._head = bytearray()

    def finish(self, path: Path) -> ImageInfo:
        """What `verify_file(path)` would say of the whole body; raises `DownloadError`."""
        return self._png.finish() if self._png is not None else verify_file(path)


def verify_stream(stream: BinaryIO, size: int) -> ImageInfo:
    """Verify a seekable binary stream of `size` bytes; raises `DownloadError` saying what is wrong."""
    head = stream.read(32)
    stream.seek(0)
    kind = sniff(head)
    if kind == "png":
        return _verify_png(stream)
    if kind in RESULT_FORMATS:
        try:
            return _verify_jpeg(stream, size) if kind == "jpeg" else _verify_webp(stream, size)
        except ImageFormatError as exc:  # the shared header walkers' words, as a download problem
            raise DownloadError(str(exc)) from exc
    if not head:
        raise DownloadError("The downloaded file is empty.")
    if head.lstrip()[:1] in (b"<", b"{"):
        raise DownloadError("The download is a text/HTML/JSON document, not an image.")
    raise DownloadError("The downloaded file is not a PNG, JPEG or WebP image.")


def _check_dimensions(kind: str, width: int, height: int) -> ImageInfo:
    if width <= 0 or height <= 0:
        raise DownloadError(f"The {kind.upper()} declares an empty size {width}x{height}.")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise DownloadError(
            f"The {kind.upper()} declares {width}x{height} pixels, far beyond any Wan "
            "result; refused as a likely decompression bomb."
        )
    return ImageInfo(kind, width, height)


# ------------------------------------------------------------------------------------------ PNG
def _png_expected_bytes(width: int, height: int, bits_per_pixel: int, interlaced: bool) -> int:
    """Inflated IDAT size: per row one filter byte plus the packed pixels, per Adam7 pass if interlaced."""

    def rows(w: int, h: int) -> int:
        return 0 if w == 0 or h == 0 else h * (1 + (w * bits_per_pixel + 7) // 8)

    if not interlaced:
        return rows(width, height)
    return sum(rows((width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy) for x0, y0, dx, dy in _ADAM7)


def _verify_png(stream: BinaryIO) -> ImageInfo:
    verifier = PngVerifier()
    while not verifier.complete:
        piece = stream.read(_READ)
        if not piece:
            break
        verifier.feed(piece)
    return verifier.finish()


_SIGNATURE, _HEADER, _DATA, _CRC, _DONE = range(5)


class PngVerifier:
    """The PNG checks as a push parser: `feed` pieces of any size as they arrive, then `finish`.

    A download verifies the body in the same pass that hashes and writes it, instead of reading the
    file back (issue 7: 50 MB results). The first problem found is kept and raised by `finish`, so
    the caller decides when to report it (after its own cut-off check, as for a file).
    """

    def __init__(self) -> None:
        self._phase = _SIGNATURE
        self._pending = bytearray()  # a fixed-size field (signature, chunk header, CRC) being filled
        self._need = len(PNG_SIGNATURE)
        self._error: DownloadError | None = None
        self._info: ImageInfo | None = None
        self._expected = 0
        self._pixels = _IdatStream()
        self._seen_idat = False
        self._ctype = b""
        self._length = self._remaining = self._crc = 0
        self._header = b""
        self._pixel_error: DownloadError | None = None  # reported after the CRC, which says more

    @property
    def complete(self) -> bool:
        """IEND was reached or a problem was found: more bytes change nothing."""
        return self._phase == _DONE or self._error is not None

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        view = memoryview(data)
        position, size = 0, len(view)
        while position < size and not self.complete:
            if self._phase == _DATA:
                piece = view[position : position + self._remaining]
                position += len(piece)
                self._remaining -= len(piece)
                self._chunk_data(piece)
                if not self._remaining:
                    self._expect(_CRC, 4)
                continue
            piece = view[position : position + self._need - len(self._pending)]
            position += len(piece)
            self._pending += piece
            if len(self._pending) == self._need:
                field = bytes(self._pending)
                self._pending.clear()
                try:
                    self._field(field)
                except DownloadError as exc:
                    self._error = exc

    def finish(self) -> ImageInfo:
        """The image's format and size once the whole body was fed; raises `DownloadError`."""
        if self._error is not None:
            raise self._error
        if self._phase != _DONE:
            what = {
                _SIGNATURE: "the signature",
                _HEADER: "a chunk header",
                _DATA: f"the {self._name} chunk",
                _CRC: f"the {self._name} checksum",
            }[self._phase]
            raise DownloadError(f"The image is truncated (cut off in {what}).")
        assert self._info is not None  # the parser refuses any chunk before IHDR
        if not self._seen_idat:
            raise DownloadError("The PNG has no image data (IDAT).")
        self._pixels.finish(self._expected)
        return self._info

    @property
    def _name(self) -> str:
        return self._ctype.decode("latin-1")

    def _expect(self, phase: int, size: int) -> None:
        self._phase, self._need = phase, size

    def _field(self, field: bytes) -> None:
        if self._phase == _SIGNATURE:
            if field != PNG_SIGNATURE:
                raise DownloadError("The downloaded file is not a PNG, JPEG or WebP image.")
            self._expect(_HEADER, 8)
        elif self._phase == _HEADER:
            self._chunk_header(field)
        else:
            self._chunk_end(field)

    def _chunk_header(self, field: bytes) -> None:
        self._length, self._ctype = struct.unpack(">I4s", field)
        if self._length > 0x7FFFFFFF or not self._ctype.isalpha():
            raise DownloadError(f"The PNG has a corrupt chunk header ({self._name!r}, length {self._length}).")
        if self._info is None and self._ctype != b"IHDR":
            raise DownloadError("The PNG does not start with an IHDR header.")
        self._crc = zlib.crc32(self._ctype)
        self._remaining = self._length
        self._header = b""
        self._pixel_error = None
        if self._length:
            self._expect(_DATA, 0)
        else:
            self._expect(_CRC, 4)

    def _chunk_data(self, piece: memoryview) -> None:
        self._crc = zlib.crc32(piece, self._crc)
        if self._ctype == b"IDAT" and self._info is not None and self._pixel_error is None:
            try:
                self._pixels.feed(piece, self._expected)
            except DownloadError as exc:
                self._pixel_error = exc
        elif self._ctype == b"IHDR":
            self._header += piece

    def _chunk_end(self, field: bytes) -> None:
        (stored_crc,) = struct.unpack(">I", field)
        if stored_crc != self._crc & 0xFFFFFFFF:
            raise DownloadError(f"The PNG's {self._name} chunk fails its CRC check (corrupt download).")
        if self._pixel_error is not None:
            raise self._pixel_error
        self._expect(_HEADER, 8)
        if self._ctype == b"IHDR":
            if self._info is not None or self._length != 13:
                raise DownloadError("The PNG has a malformed IHDR header.")
            width, height, depth, color, compression, filtering, interlace = struct.unpack(">IIBBBBB", self._header)
            if depth not in _PNG_BIT_DEPTHS.get(color, ()) or compression or filtering or interlace > 1:
                raise DownloadError(f"The PNG header is invalid (colour type {color}, bit depth {depth}).")
            self._info = _check_dimensions("png", width, height)
            self._expected = _png_expected_bytes(width, height, depth * _PNG_CHANNELS[color], interlace == 1)
        elif self._ctype == b"IDAT":
            self._seen_idat = True
        elif self._ctype == b"IEND":
            self._phase = _DONE


class _IdatStream:
    """The zlib stream split across a PNG's IDAT chunks: header checked, deflate data inflated, and
    the pixel bytes it yields counted (never kept).

    Issue 7: the deflate data is inflated raw, without recomputing the stream's Adler-32 over the
    inflated pixels (~12 ms per 50 MB, as much as inflating stored data). Every byte of the stream,
    trailer included, is already covered by the IDAT chunks' CRC-32, which proves it arrived as the
    server sent it; the trailer only has to be there.
    """

    _TRAILER = 4  # the Adler-32

    def __init__(self) -> None:
        self._header = b""
        self._inflater: zlib._Decompress | None = None
        self._trailer = 0
        self.produced = 0

    def feed(self, piece: memoryview, expected: int) -> None:
        if self._inflater is None:
            take = 2 - len(self._header)
            self._header += bytes(piece[:take])
            piece = piece[take:]
            if len(self._header) < 2:
                return
            _check_zlib_header(self._header)
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # the largest window inflates any smaller one
        if self._inflater.eof:
            self._trailer += len(piece)
            return
        self.produced += _inflate(self._inflater, piece, expected - self.produced)
        if self._inflater.eof:
            self._trailer += len(self._inflater.unused_data)

    def finish(self, expected: int) -> None:
        if self._inflater is not None and not self._inflater.eof:
            self.produced += _inflate(self._inflater, b"", expected - self.produced)
        if (
            self._inflater is None
            or not self._inflater.eof
            or self._trailer < self._TRAILER
            or self.produced != expected
        ):
            raise DownloadError(
                f"The PNG's image data is incomplete or corrupt ({self.produced:,} of {expected:,} bytes decoded)."
            )


def _check_zlib_header(header: bytes) -> None:
    """Raise `DownloadError` unless `header` is a zlib header (RFC 1950) PNG allows: deflate, a window
    of at most 32 KiB, a valid check value, no preset dictionary."""
    cmf, flg = header
    if cmf & 0x0F != 8 or cmf >> 4 > 7 or (cmf << 8 | flg) % 31 or flg & 0x20:
        raise DownloadError("The PNG's compressed image data is corrupt (invalid zlib header).")


def _inflate(inflater: zlib._Decompress, data: bytes | memoryview, allowed: int) -> int:
    """Inflate `data` in bounded pieces, returning how many bytes came out (never kept in memory)."""
    produced = 0
    try:
        while True:
            out = inflater.decompress(data, _INFLATE_PIECE)
            produced += len(out)
            if produced > allowed:
                raise DownloadError("The PNG holds more pixel data than its header declares.")
            if inflater.eof:  # what follows the stream is in unused_data
                break
            data = inflater.unconsumed_tail
            # A full piece may leave output pending inside zlib even when all input is consumed.
            if not data and len(out) < _INFLATE_PIECE:
                break
    except zlib.error as exc:
        raise DownloadError(f"The PNG's compressed image data is corrupt ({exc}).") from exc
    return produced


# ----------------------------------------------------------------------------------------- JPEG
def _verify_jpeg(stream: BinaryIO, size: int) -> ImageInfo:
    info: ImageInfo | None = None
    scan_start = 0
    for marker, offset, _length in headers.jpeg_segments(stream):
        if marker in headers.JPEG_SOF:
            info = _check_dimensions("jpeg", *headers.jpeg_frame_size(stream, offset))
        elif marker == headers.JPEG_SOS:
            if info is None:
                raise DownloadError("The JPEG has image data but no frame header (size).")
            scan_start = offset
    # EOI must close the file (a few bytes of padding after it are tolerated).
    stream.seek(max(scan_start, size - 4096))
    if b"\xff\xd9" not in stream.read():
        raise DownloadError("The JPEG is truncated (no end-of-image marker).")
    assert info is not None  # the walker ends at the first scan, which needs a frame header
    return info


# ----------------------------------------------------------------------------------------- WebP
def _verify_webp(stream: BinaryIO, size: int) -> ImageInfo:
    stream.seek(4)
    (riff_size,) = struct.unpack("<I", headers.read_exact(stream, 4, "the RIFF header"))
    end = riff_size + 8
    if end > size:
        raise DownloadError(f"The WebP is truncated ({size:,} of {end:,} bytes).")
    info: ImageInfo | None = None
    has_image = False
    for fourcc, offset, length in headers.webp_chunks(stream):
        if offset + length > end:
            raise DownloadError(f"The WebP's {fourcc!r} chunk runs past the end of the file.")
        stream.seek(offset)
        declared = headers.webp_chunk_size(fourcc, stream.read(min(length, 30)))
        if declared is not None and info is None:
            info = _check_dimensions("webp", *declared)
        has_image = has_image or fourcc in (b"VP8 ", b"VP8L", b"ANMF")
    if info is None or not has_image:
        raise DownloadError("The WebP contains no image data.")
    return info
