"""The fake's pure-Python image helpers: header sniffing of inputs and PNG generation of results."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest

from tests.fake_dashscope import pngmaker
from tests.fake_dashscope.imageinfo import UnreadableImage, sniff
from tests.fake_dashscope.testkit import bmp_header, jpeg_header, webp_vp8l, webp_vp8x


def _decode_rgb_rows(data: bytes) -> tuple[int, int, bytes]:
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        if ctype == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.mark.parametrize(("mode", "size"), [("real", (1280, 720)), ("small", (256, 144)), ("noise", (1280, 720))])
def test_make_png_sizes(mode: str, size: tuple[int, int]) -> None:
    data = pngmaker.make_png(1280, 720, mode, "seed")
    width, height, raw = _decode_rgb_rows(data)
    assert (width, height) == size
    assert len(raw) == height * (width * 3 + 1)  # a complete, decodable image


def test_real_png_compresses_and_noise_does_not() -> None:
    real = pngmaker.make_png(1024, 1024, "real", "a")
    noise = pngmaker.make_png(1024, 1024, "noise", "a")
    assert len(real) < 200_000
    assert len(noise) > 1024 * 1024 * 3


def test_seed_changes_the_pixels() -> None:
    assert pngmaker.pattern_png(300, 300, "a") != pngmaker.pattern_png(300, 300, "b")
    assert pngmaker.pattern_png(300, 300, "a") == pngmaker.pattern_png(300, 300, "a")


def test_bomb_declares_dimensions_it_does_not_carry() -> None:
    data = pngmaker.bomb_png(50000, 40000)
    assert struct.unpack(">II", data[16:24]) == (50000, 40000)
    assert len(data) < 1024 * 1024


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pngmaker.pattern_png(300, 250, "x"), ("png", 300, 250)),
        (jpeg_header(1200, 800), ("jpeg", 1200, 800)),
        (bmp_header(640, 480), ("bmp", 640, 480)),
        (webp_vp8x(700, 300), ("webp", 700, 300)),
        (webp_vp8l(16000, 2), ("webp", 16000, 2)),
    ],
)
def test_sniff_reads_format_and_size(data: bytes, expected: tuple[str, int, int]) -> None:
    info = sniff(data)
    assert (info.format, info.width, info.height) == expected


def test_sniff_reads_lossy_webp() -> None:
    frame = b"\x00\x00\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", 800, 600) + b"\x00" * 10
    data = b"RIFF" + struct.pack("<I", 4 + 8 + len(frame)) + b"WEBPVP8 " + struct.pack("<I", len(frame)) + frame
    info = sniff(data)
    assert (info.format, info.width, info.height) == ("webp", 800, 600)


def test_sniff_sees_alpha() -> None:
    assert sniff(webp_vp8x(300, 300, alpha=True)).has_alpha
    assert not sniff(pngmaker.pattern_png(300, 300, "x")).has_alpha


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"GIF89a" + b"\x00" * 40,
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        pngmaker.pattern_png(300, 300, "x")[:-20],  # no IEND
        jpeg_header(300, 300)[:-2],  # no EOI
        b"\xff\xd8\xff\xe0\x00\x10JFIF",  # no frame header
    ],
)
def test_sniff_refuses_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadableImage):
        sniff(data)


def test_fake_does_not_share_the_apps_validation() -> None:
    # The fake must catch the client's bugs, so it may not reuse the client's rules.
    package = Path(__file__).parent
    for source in package.glob("*.py"):
        if source.name.startswith("test_"):
            continue
        imports = re.findall(r"^\s*(?:from|import)\s+(\S+)", source.read_text(), re.MULTILINE)
        assert not [name for name in imports if name.startswith("wan27_desktop")], source.name
