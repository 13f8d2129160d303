"""Real PNG bytes for fake results, in pure Python (zlib + struct; no Qt, no Pillow).

- "real": the requested size, a cheap tile pattern whose colours depend on a seed, so different
  results differ; it compresses well and encodes a 2K image in a few tens of milliseconds.
- "small": same pattern, scaled so the longer side is at most 256 px.
- "noise": the requested size, random rows stored uncompressed (for download benchmarks).
"""

from __future__ import annotations

import hashlib
import os
import struct
import zlib

SMALL_MAX_SIDE = 256
_TILE = 64


def _chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data))


def _png(width: int, height: int, idat: bytes, comment: str = "") -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    parts = [b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", ihdr)]
    if comment:
        parts.append(_chunk(b"tEXt", b"Comment\x00" + comment.encode("latin-1", "replace")))
    parts += [_chunk(b"IDAT", idat), _chunk(b"IEND", b"")]
    return b"".join(parts)


def small_size(width: int, height: int) -> tuple[int, int]:
    """The size a "small" result gets: the same aspect ratio, longer side <= 256 px."""
    scale = min(1.0, SMALL_MAX_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _colours(seed: str) -> tuple[bytes, bytes, bytes]:
    digest = hashlib.sha256(seed.encode()).digest()
    return digest[0:3], digest[3:6], digest[6:9]


def pattern_png(width: int, height: int, seed: str, comment: str = "") -> bytes:
    """A checkerboard of two seed-derived colours with a band of a third; compresses very well."""
    a, b, c = _colours(seed)
    pairs = width // (2 * _TILE) + 1
    row_ab = b"\x00" + ((a * _TILE + b * _TILE) * pairs)[: width * 3]
    row_ba = b"\x00" + ((b * _TILE + a * _TILE) * pairs)[: width * 3]
    row_c = b"\x00" + c * width
    band_start, band_end = height // 2 - height // 16, height // 2 + height // 16
    rows = []
    for y in range(height):
        if band_start <= y < band_end:
            rows.append(row_c)
        else:
            rows.append(row_ab if (y // _TILE) % 2 == 0 else row_ba)
    return _png(width, height, zlib.compress(b"".join(rows), 1), comment)


def noise_png(width: int, height: int, comment: str = "") -> bytes:
    """Incompressible pixels; zlib level 0 (stored blocks) keeps encoding as fast as copying."""
    raw = bytearray()
    row_bytes = width * 3
    noise = os.urandom(row_bytes * height)
    for y in range(height):
        raw += b"\x00"
        raw += noise[y * row_bytes : (y + 1) * row_bytes]
    return _png(width, height, zlib.compress(bytes(raw), 0), comment)


def make_png(width: int, height: int, mode: str, seed: str, comment: str = "") -> bytes:
    if mode == "noise":
        return noise_png(width, height, comment)
    if mode == "small":
        width, height = small_size(width, height)
    elif mode != "real":
        raise ValueError(f"unknown result_image_mode {mode!r}")
    return pattern_png(width, height, seed, comment)


def png_prefix(width: int, height: int) -> bytes:
    """Signature + IHDR only: the start of a PNG, used to open a "huge" body convincingly."""
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))


_BOMB_CACHE: dict[tuple[int, int], bytes] = {}


def bomb_png(width: int = 60000, height: int = 60000) -> bytes:
    """A small, well-formed-looking PNG whose IHDR declares gigapixel dimensions.

    The IDAT holds 32 MiB of zero rows compressed (~32 KiB): a decoder that trusts the header
    allocates width*height*3 bytes (10 GB at the default) before noticing the data runs short.
    """
    key = (width, height)
    if key not in _BOMB_CACHE:
        idat = zlib.compress(bytes(32 * 1024 * 1024), 9)
        _BOMB_CACHE[key] = _png(width, height, idat, "decompression bomb")
    return _BOMB_CACHE[key]
