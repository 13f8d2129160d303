"""PNG text chunks in pure Python: written with correct CRCs, read back, pixels untouched."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest

from tests.library.conftest import chunk, make_jpeg, make_png, make_webp, png_chunks
from wan27_desktop.api.imageformat import pngchunks
from wan27_desktop.api.imageformat.pngchunks import TextChunk
from wan27_desktop.library import pngmeta
from wan27_desktop.library.imagefiles import embed_jpeg, image_size, sniff_format


def _embed(tmp_path: Path, source: bytes, chunks: list[TextChunk]) -> bytes:
    src = tmp_path / "src.png"
    src.write_bytes(source)
    out = io.BytesIO()
    pngchunks.embed_text_chunks(src, out, chunks)
    return out.getvalue()


def test_embedded_chunks_round_trip_with_valid_crcs(tmp_path: Path):
    text = [
        TextChunk("parameters", "a fox\nSeed: 1", "tEXt"),
        TextChunk("wan27", '{"k": "狐狸"}', "iTXt"),
        TextChunk("Comment", "z" * 100, "zTXt"),
    ]
    data = _embed(tmp_path, make_png(), text)
    for ctype, body in png_chunks(data):
        assert chunk(ctype, body) in data  # every chunk's CRC recomputes to what was written
    path = tmp_path / "out.png"
    path.write_bytes(data)
    assert pngchunks.read_text_chunks(path) == text


def test_pixel_chunks_are_byte_identical_and_text_goes_before_idat(tmp_path: Path):
    source = make_png(split_idat=True, extra=chunk(b"gAMA", b"\x00\x00\xb1\x8f"))
    data = _embed(tmp_path, source, [TextChunk("wan27", "{}")])
    original = [c for c in png_chunks(source) if c[0] != b"IEND"]
    written = png_chunks(data)
    assert [c for c in written if c[0] in (b"IDAT", b"IHDR", b"gAMA")] == original
    kinds = [c[0] for c in written]
    assert kinds.index(b"iTXt") < kinds.index(b"IDAT")


def test_embedding_replaces_our_keywords_but_keeps_others(tmp_path: Path):
    first = _embed(tmp_path, make_png(), [TextChunk("wan27", "old"), TextChunk("Author", "me", "tEXt")])
    second = _embed(tmp_path, first, [TextChunk("wan27", "new")])
    path = tmp_path / "twice.png"
    path.write_bytes(second)
    assert {(c.keyword, c.text) for c in pngchunks.read_text_chunks(path)} == {("wan27", "new"), ("Author", "me")}


def test_chunk_with_bad_crc_is_ignored(tmp_path: Path):
    bad = chunk(b"tEXt", b"parameters\x00evil")[:-1] + b"\x00"
    path = tmp_path / "bad.png"
    path.write_bytes(make_png(extra=bad))
    assert pngchunks.read_text_chunks(path) == []


def test_compressed_itxt_over_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pngchunks, "MAX_TEXT_BYTES", 1000)
    payload = b"wan27\x00\x01\x00\x00\x00" + zlib.compress(b"x" * 5000)
    path = tmp_path / "bomb.png"
    path.write_bytes(make_png(extra=chunk(b"iTXt", payload)))
    assert pngchunks.read_text_chunks(path) == []


def test_non_png_is_refused(tmp_path: Path):
    path = tmp_path / "x.png"
    path.write_bytes(b"not a png at all")
    with pytest.raises(pngmeta.PngError):
        pngchunks.read_text_chunks(path)


def test_a1111_parameters_are_parsed_leniently():
    text = (
        "masterpiece, a castle\nwith towers\nNegative prompt: blurry, low quality\n"
        "Steps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234567, Size: 512x768, "
        'Model hash: abc123, Model: sdxl_base, Lora hashes: "a: 1, b: 2", Version: v1.6.0'
    )
    parsed = pngmeta.parse_parameters(text)
    assert parsed["prompt"] == "masterpiece, a castle\nwith towers"
    assert parsed["negative_prompt"] == "blurry, low quality"
    assert parsed["seed"] == 1234567
    assert (parsed["width"], parsed["height"]) == (512, 768)
    assert parsed["model"] == "sdxl_base"
    assert parsed["params"]["Lora hashes"] == "a: 1, b: 2"


def test_a1111_text_without_parameter_line_is_all_prompt():
    parsed = pngmeta.parse_parameters("just a prompt, with commas")
    assert parsed["prompt"] == "just a prompt, with commas"
    assert parsed["params"] == {}


def test_our_parameters_text_round_trips_through_the_a1111_parser():
    text = pngmeta.build_parameters(
        "一只狐狸", {"Model": "wan2.7-image", "Seed": 9, "Size": "1024x768", "Task id": "t-1", "Note": "a, b"}
    )
    parsed = pngmeta.parse_parameters(text)
    assert parsed["prompt"] == "一只狐狸"
    assert (parsed["seed"], parsed["width"], parsed["model"]) == (9, 1024, "wan2.7-image")
    assert parsed["params"]["Note"] == "a, b"


def test_xmp_packet_carries_digital_source_type_and_description():
    packet = pngmeta.build_xmp(
        prompt="a <b> & c", source_type=pngmeta.SOURCE_COMPOSITE, created="2025-01-01", extra_json='{"a": 1}'
    )
    parsed = pngmeta.parse_xmp(packet)
    assert parsed["digital_source_type"] == pngmeta.SOURCE_COMPOSITE
    assert parsed["description"] == "a <b> & c"
    assert parsed["wan27_json"] == '{"a": 1}'


def test_read_metadata_interprets_all_three_chunks(tmp_path: Path):
    chunks = [
        TextChunk("parameters", "p\nSeed: 5, Size: 8x6", "tEXt"),
        TextChunk("wan27", '{"job_id": 3}'),
        TextChunk(
            "XML:com.adobe.xmp", pngmeta.build_xmp(prompt="p", source_type=pngmeta.SOURCE_GENERATED, created="now")
        ),
    ]
    path = tmp_path / "m.png"
    path.write_bytes(_embed(tmp_path, make_png(), chunks))
    meta = pngmeta.read_metadata(path)
    assert meta["format"] == "png"
    assert meta["wan27"] == {"job_id": 3}
    assert meta["parameters"]["seed"] == 5
    assert meta["xmp"]["digital_source_type"] == pngmeta.SOURCE_GENERATED


def test_jpeg_gets_xmp_and_comment_without_touching_the_scan(tmp_path: Path):
    src = tmp_path / "a.jpg"
    src.write_bytes(make_jpeg())
    out = io.BytesIO()
    embed_jpeg(
        src,
        out,
        xmp=pngmeta.build_xmp(
            prompt="fox", source_type=pngmeta.SOURCE_GENERATED, created="x", extra_json='{"job_id": 1}'
        ),
        parameters="fox\nSeed: 1",
    )
    dest = tmp_path / "b.jpg"
    dest.write_bytes(out.getvalue())
    assert out.getvalue().endswith(make_jpeg()[make_jpeg().index(b"\xff\xda") :])
    assert image_size(dest) == (16, 8)
    meta = pngmeta.read_metadata(dest)
    assert meta["wan27"] == {"job_id": 1}
    assert meta["parameters"]["seed"] == 1


def test_formats_and_sizes_are_sniffed_from_headers(tmp_path: Path):
    cases = (
        ("a.png", make_png(8, 6), "png", (8, 6)),
        ("b.jpg", make_jpeg(16, 8), "jpeg", (16, 8)),
        ("c.webp", make_webp(10, 12), "webp", (10, 12)),
    )
    for name, data, fmt, size in cases:
        path = tmp_path / name
        path.write_bytes(data)
        assert (sniff_format(path), image_size(path)) == (fmt, size)
