"""Structural verification of downloaded images (PNG, JPEG, WebP) without Qt or Pillow."""

from __future__ import annotations

import contextlib
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.api.images import bomb_png, make_png, png_chunk, qt_encode
from wan27_desktop.api.errors import DownloadError
from wan27_desktop.api.imageformat import ImageInfo, sniff, verify_bytes, verify_file


def test_valid_png_reports_format_and_size():
    assert verify_bytes(make_png(64, 48)) == ImageInfo("png", 64, 48)


@pytest.mark.parametrize(("color_type", "bit_depth"), [(0, 1), (0, 16), (2, 16), (3, 4), (4, 8), (6, 8)])
def test_png_colour_types_and_depths_are_accepted(color_type, bit_depth):
    assert verify_bytes(make_png(33, 7, color_type=color_type, bit_depth=bit_depth)).width == 33


def test_interlaced_png_is_accepted():
    assert verify_bytes(make_png(37, 19, interlace=1)) == ImageInfo("png", 37, 19)


def test_png_split_over_many_idat_chunks_is_accepted():
    assert verify_bytes(make_png(128, 128, idat_parts=7)).height == 128


def test_png_from_qt_encoder_is_accepted():
    assert verify_bytes(qt_encode("PNG", 300, 200)) == ImageInfo("png", 300, 200)


def test_png_with_bad_crc_is_refused():
    data = bytearray(make_png())
    data[-20] ^= 0xFF  # inside the IDAT payload
    with pytest.raises(DownloadError, match="CRC"):
        verify_bytes(bytes(data))


@pytest.mark.parametrize("keep", [8, 20, 40, -13, -1])
def test_truncated_png_is_refused(keep):
    with pytest.raises(DownloadError, match="truncated"):
        verify_bytes(make_png(64, 48)[:keep])


def test_png_without_idat_is_refused():
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
    with pytest.raises(DownloadError, match="IDAT"):
        verify_bytes(b"\x89PNG\r\n\x1a\n" + ihdr + png_chunk(b"IEND", b""))


def test_png_with_too_little_pixel_data_is_refused():
    with pytest.raises(DownloadError, match="incomplete"):
        verify_bytes(make_png(64, 48, raw=b"\x00" * 100))


def test_png_with_more_pixel_data_than_declared_is_refused():
    with pytest.raises(DownloadError, match="more pixel data"):
        verify_bytes(make_png(4, 4, raw=b"\x00" * 10_000))


def test_png_with_corrupt_deflate_stream_is_refused():
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
    data = b"\x89PNG\r\n\x1a\n" + ihdr + png_chunk(b"IDAT", b"\x78\x9c\xff\xff\xff garbage") + png_chunk(b"IEND", b"")
    with pytest.raises(DownloadError, match="corrupt"):
        verify_bytes(data)


def _rows(width: int, height: int) -> bytes:
    return (b"\x00" + bytes(range(3 * width))[: 3 * width]) * height


@pytest.mark.parametrize("wbits", [9, 12, 15])
def test_png_whose_zlib_stream_declares_a_small_window_is_accepted(wbits):
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    stream = packer.compress(_rows(40, 30)) + packer.flush()
    assert verify_bytes(make_png(40, 30, stream=stream)) == ImageInfo("png", 40, 30)


def test_png_whose_zlib_header_declares_the_smallest_window_is_accepted():
    # CINFO 0 (a 256-byte window) is valid RFC 1950, though zlib itself never writes it.
    stream = b"\x08\x1d" + zlib.compress(_rows(8, 4), 9)[2:]
    assert verify_bytes(make_png(8, 4, stream=stream)) == ImageInfo("png", 8, 4)


def test_png_with_one_byte_idat_chunks_is_accepted():
    # The zlib header and the Adler-32 trailer arrive split across chunks.
    stream = zlib.compress(_rows(8, 4))
    assert verify_bytes(make_png(8, 4, stream=stream, idat_parts=len(stream))) == ImageInfo("png", 8, 4)


@pytest.mark.parametrize(
    "header",
    [b"\x79\x18", b"\x78\x9d", b"\x88\x98", b"\x78\xbb"],
    ids=["not-deflate", "bad-check-bits", "window-too-large", "preset-dictionary"],
)
def test_png_with_a_bad_zlib_header_is_refused_even_with_good_crcs(header):
    stream = header + zlib.compress(_rows(8, 4))[2:]
    with pytest.raises(DownloadError, match="zlib header"):
        verify_bytes(make_png(8, 4, stream=stream))


@pytest.mark.parametrize("cut", [1, 4])
def test_png_whose_zlib_stream_lacks_its_checksum_is_refused(cut):
    # The Adler-32 is not recomputed (the CRCs cover it), but a stream without it is cut short.
    stream = zlib.compress(_rows(8, 4))[:-cut]
    with pytest.raises(DownloadError, match="incomplete or corrupt"):
        verify_bytes(make_png(8, 4, stream=stream))


def test_png_not_starting_with_ihdr_is_refused():
    data = b"\x89PNG\r\n\x1a\n" + png_chunk(b"tEXt", b"a\x00b") + make_png()[8:]
    with pytest.raises(DownloadError, match="IHDR"):
        verify_bytes(data)


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (16385, 10), (10_001, 10_001), (0, 10)])
def test_png_declaring_absurd_dimensions_is_refused_before_decoding(width, height):
    with pytest.raises(DownloadError, match="bomb|empty size"):
        verify_bytes(bomb_png(width, height))


def test_png_at_largest_wan_output_size_passes_dimension_check():
    # §3.1: 4K at 8:1 is about 11585*1448; 4096*4096 is the largest square.
    assert verify_bytes(make_png(4096, 4096, color_type=0)).width == 4096


def test_valid_jpeg_reports_size():
    assert verify_bytes(qt_encode("JPEG", 300, 200)) == ImageInfo("jpeg", 300, 200)


def test_truncated_jpeg_is_refused():
    data = qt_encode("JPEG", 300, 200)
    with pytest.raises(DownloadError, match="truncated|end-of-image"):
        verify_bytes(data[: len(data) // 2])


def test_jpeg_without_frame_header_is_refused():
    with pytest.raises(DownloadError):
        verify_bytes(b"\xff\xd8\xff\xda\x00\x08" + b"\x00" * 6 + b"\xff\xd9")


def test_lossy_webp_reports_size():
    assert verify_bytes(qt_encode("WEBP", 300, 200, quality=80)) == ImageInfo("webp", 300, 200)


def test_lossless_webp_reports_size():
    assert verify_bytes(qt_encode("WEBP", 301, 199, quality=100)) == ImageInfo("webp", 301, 199)


def test_extended_webp_reports_canvas_size():
    vp8l = qt_encode("WEBP", 40, 30, quality=100)[12:]
    canvas = (39).to_bytes(3, "little") + (29).to_bytes(3, "little")
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + canvas
    body = b"WEBP" + vp8x + vp8l
    assert verify_bytes(b"RIFF" + struct.pack("<I", len(body)) + body) == ImageInfo("webp", 40, 30)


def test_truncated_webp_is_refused():
    data = qt_encode("WEBP", 300, 200, quality=80)
    with pytest.raises(DownloadError, match="truncated"):
        verify_bytes(data[:-10])


def test_webp_without_image_chunk_is_refused():
    body = b"WEBPJUNK" + struct.pack("<I", 2) + b"xx"
    with pytest.raises(DownloadError, match="no image data"):
        verify_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "empty"),
        (b"<?xml version='1.0'?><Error><Code>AccessDenied</Code></Error>", "not an image"),
        (b'{"code": "x"}', "not an image"),
        (b"GIF89a" + b"\x00" * 20, "not a PNG, JPEG or WebP"),
    ],
)
def test_non_images_are_refused_with_a_clear_message(data, match):
    with pytest.raises(DownloadError, match=match):
        verify_bytes(data)


def test_sniff_recognises_the_three_result_formats_and_not_a_bmp_fragment():
    assert sniff(make_png()[:12]) == "png"
    assert sniff(b"\xff\xd8\xff\xe0") == "jpeg"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBP") == "webp"
    assert sniff(b"BM\x00\x00") is None


def test_verify_file_reads_from_disk(tmp_path: Path):
    path = tmp_path / "x.png"
    path.write_bytes(make_png(10, 20))
    assert verify_file(path) == ImageInfo("png", 10, 20)


@settings(max_examples=300, deadline=None)
@given(
    data=st.binary(max_size=400),
    prefix=st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF\x20\x00\x00\x00WEBP"]),
)
def test_arbitrary_bytes_raise_only_download_error(data, prefix):
    with contextlib.suppress(DownloadError):
        verify_bytes(prefix + data)


@settings(max_examples=300, deadline=None)
@given(
    position=st.integers(min_value=0),
    value=st.integers(min_value=0, max_value=255),
    fmt=st.sampled_from(["png", "jpeg", "webp"]),
)
def test_mutated_images_raise_only_download_error(position, value, fmt):
    original = {"png": make_png(20, 10), "jpeg": qt_encode("JPEG", 40, 30), "webp": qt_encode("WEBP", 40, 30)}[fmt]
    data = bytearray(original)
    data[position % len(data)] = value
    try:
        info = verify_bytes(bytes(data))
    except DownloadError:
        return
    assert info.format == fmt


def test_png_mutation_anywhere_is_caught_by_crc():
    original = make_png(20, 10)
    for position in range(33, len(original) - 12):  # every byte of IDAT and its CRC
        data = bytearray(original)
        data[position] ^= 0x01
        with pytest.raises(DownloadError):
            verify_bytes(bytes(data))


def test_zlib_reference_stream_size_matches_expectation():
    # Guard for the helper itself: make_png's raw data is what IHDR implies.
    raw = zlib.decompress(make_png(7, 3)[41:-16])
    assert len(raw) == 3 * (1 + 7 * 3)
