"""Generate the bad-input corpus of reference images (issue 8), plus the image builders tests use.

Everything is made in code (QImage/QPainter, or bytes crafted by hand where Qt cannot write the
format), so nothing binary is committed. Run on demand:

    python -m tests.data.make_bad_inputs [OUT_DIR]     # default: tests/data/bad_inputs/ (gitignored)

`manifest.json` lists every file with what `inspect_reference` / `prepare_reference` must say:
expected "problem" (refused, message contains `contains`), "note" (accepted, a note contains it)
or "ok" (accepted, no notes from inspect). `detected_by: "prepare"` marks damage that only a full
decode finds. Matching is case-insensitive.
"""

from __future__ import annotations

import json
import random
import struct
import sys
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QRect, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter

DEFAULT_OUT = Path(__file__).resolve().parent / "bad_inputs"

# --------------------------------------------------------------------------- image builders


def pattern_image(width: int, height: int, *, alpha: bool = False) -> QImage:
    """A deterministic picture with structure (gradient + coloured blocks) so encoders behave
    like on real content. With `alpha`, the left third is fully transparent."""
    image = QImage(width, height, QImage.Format.Format_ARGB32 if alpha else QImage.Format.Format_RGB32)
    image.fill(QColor(0, 0, 0, 0) if alpha else QColor("white"))
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0, QColor("#1F3A5F"))
    gradient.setColorAt(1, QColor("#F2C14E"))
    left = width // 3 if alpha else 0
    painter.fillRect(QRect(left, 0, width - left, height), gradient)
    block = max(4, min(width, height) // 6)
    painter.fillRect(QRect(width - block - 2, 2, block, block), QColor("red"))
    painter.fillRect(QRect(width - block - 2, height - block - 2, block, block), QColor("lime"))
    painter.end()
    return image


def solid_image(width: int, height: int, colour: str = "#808080") -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    return image


def encode(image: QImage, fmt: str, quality: int = -1) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, fmt.upper(), quality):  # type: ignore[call-overload]
        raise RuntimeError(f"Qt cannot write {fmt}")
    data = bytes(buffer.data().data())
    buffer.close()
    return data


def exif_app1(orientation: int) -> bytes:
    """A minimal APP1 Exif segment: big-endian TIFF header, IFD0 with one Orientation (0x0112) tag."""
    ifd = struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0)
    payload = b"Exif\x00\x00" + b"MM\x00\x2a" + struct.pack(">I", 8) + ifd
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def with_exif_orientation(jpeg: bytes, orientation: int) -> bytes:
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + exif_app1(orientation) + jpeg[2:]


def gif89a(width: int, height: int) -> bytes:
    """A real (decodable) GIF, written by hand since Qt cannot write GIF: 9-bit LZW codes with a
    clear code every 250 pixels, so the code width never grows ("uncompressed" GIF)."""
    palette = bytes([0, 0, 0, 255, 255, 255] + [0] * (254 * 3))
    pixels = [((x // 20 + y // 20) % 2) for y in range(height) for x in range(width)]
    codes: list[int] = []
    for start in range(0, len(pixels), 250):
        codes.append(256)  # clear
        codes += pixels[start : start + 250]
    codes.append(257)  # end of information
    bits = 0
    nbits = 0
    stream = bytearray()
    for code in codes:
        bits |= code << nbits
        nbits += 9
        while nbits >= 8:
            stream.append(bits & 0xFF)
            bits >>= 8
            nbits -= 8
    if nbits:
        stream.append(bits & 0xFF)
    blocks = b"".join(
        bytes([len(stream[i : i + 255])]) + bytes(stream[i : i + 255]) for i in range(0, len(stream), 255)
    )
    return (
        b"GIF89a"
        + struct.pack("<HHBBB", width, height, 0xF7, 0, 0)
        + palette
        + b"\x2c"
        + struct.pack("<HHHHB", 0, 0, width, height, 0)
        + b"\x08"
        + blocks
        + b"\x00\x3b"
    )


def heic_bytes() -> bytes:
    """The start of an HEIF/HEIC file (ISO-BMFF `ftyp` box, brand heic); no decoder needed."""
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00\x00\x00\x08free" + bytes(200)


SVG_TEXT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" '
    'height="300"><rect width="400" height="300" fill="#1F3A5F"/></svg>\n'
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A decompression bomb: a tiny PNG whose header declares an enormous image."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(bytes(64)))
        + _png_chunk(b"IEND", b"")
    )


def corrupt_idat(png: bytes) -> bytes:
    """Overwrite bytes in the middle of the first IDAT chunk (its CRC no longer matches)."""
    start = png.index(b"IDAT") + 4
    length = struct.unpack(">I", png[start - 8 : start - 4])[0]
    middle = start + length // 2
    return png[:middle] + bytes(b ^ 0x5A for b in png[middle : middle + 64]) + png[middle + 64 :]


def noise_png(width: int, height: int, seed: int = 8) -> bytes:
    """Incompressible RGB noise: a PNG of about width*height*3 bytes."""
    raw = random.Random(seed).randbytes(width * height * 3)
    image = QImage(raw, width, height, width * 3, QImage.Format.Format_RGB888).copy()
    return encode(image, "png")


def transparent_indexed_png(width: int, height: int) -> bytes:
    """A palette PNG whose transparency lives in a tRNS chunk (not in the pixel format)."""
    image = pattern_image(width, height, alpha=True).convertToFormat(QImage.Format.Format_Indexed8)
    return encode(image, "png")


def animated_free_webp_alpha(width: int, height: int) -> bytes:
    image = pattern_image(width, height, alpha=True)
    return encode(image, "webp", 90)


# --------------------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Case:
    file: str
    expected: str  # "problem" | "note" | "ok"
    contains: str  # substring of the problem / note ("" for ok)
    build: Callable[[], bytes] = field(repr=False, compare=False)
    detected_by: str = "inspect"  # "prepare": only a full decode can notice
    prepare_contains: str | None = None  # prepare's note, when it differs from inspect's
    slow: bool = False

    def manifest_entry(self) -> dict[str, object]:
        entry = asdict(self)
        entry.pop("build")
        return entry


def _cut(data: bytes, fraction: float = 0.6) -> bytes:
    return data[: int(len(data) * fraction)]


def _photo_jpeg(width: int = 640, height: int = 480, quality: int = 90) -> bytes:
    return encode(pattern_image(width, height), "jpeg", quality)


CASES: tuple[Case, ...] = (
    # -- refused: not an image / unsupported format
    Case("zero_byte.png", "problem", "empty (0 bytes)", lambda: b""),
    Case("text_named.png", "problem", "not an image", lambda: b"This is a text file, not a picture.\n" * 20),
    Case(
        "html_error_page.jpg",
        "problem",
        "not an image",
        lambda: b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>\n",
    ),
    Case("animation.gif", "problem", "GIF is not supported", lambda: gif89a(300, 300)),
    Case("photo.heic", "problem", "HEIC is not supported", heic_bytes),
    Case("drawing.svg", "problem", "SVG is not supported", lambda: SVG_TEXT.encode()),
    Case("scan.tiff", "problem", "TIFF is not supported", lambda: encode(pattern_image(400, 300), "tiff")),
    Case("icon.ico", "problem", "ICO is not supported", lambda: encode(pattern_image(256, 256), "ico")),
    # -- refused: damaged
    Case("truncated.png", "problem", "truncated", lambda: _cut(encode(pattern_image(640, 480), "png"))),
    Case("truncated.jpg", "problem", "truncated", lambda: _cut(_photo_jpeg())),
    Case("truncated.webp", "problem", "truncated", lambda: _cut(encode(pattern_image(640, 480), "webp", 90))),
    Case("truncated.bmp", "problem", "truncated", lambda: _cut(encode(pattern_image(640, 480), "bmp"))),
    Case("header_garbage.png", "problem", "damaged", lambda: b"\x89PNG\r\n\x1a\n" + random.Random(3).randbytes(2000)),
    Case(
        "corrupt_idat.png",
        "problem",
        "could not be decoded",
        lambda: corrupt_idat(encode(pattern_image(640, 480), "png")),
        detected_by="prepare",
    ),
    # -- refused: outside §2.3 bounds, or a decompression bomb
    Case("side_239.png", "problem", "at least 240", lambda: encode(pattern_image(239, 400), "png")),
    Case("ratio_1_9.png", "problem", "between 1:8 and 8:1", lambda: encode(pattern_image(240, 2160), "png")),
    Case("ratio_9_1.jpg", "problem", "between 1:8 and 8:1", lambda: _photo_jpeg(2700, 300)),
    Case("bomb_100000px.png", "problem", "megapixels", bomb_png),
    # -- accepted with a note: prepare_reference fixes them
    Case("side_8001.png", "note", "downscaled", lambda: encode(pattern_image(8001, 1200), "png")),
    Case("huge_25mb.png", "note", "request budget", lambda: noise_png(2900, 2900), slow=True),
    Case("alpha.png", "note", "flattened onto white", lambda: encode(pattern_image(640, 480, alpha=True), "png")),
    Case("alpha.webp", "note", "flattened onto white", lambda: animated_free_webp_alpha(640, 480)),
    Case("palette_trns.png", "note", "flattened onto white", lambda: transparent_indexed_png(640, 480)),
    Case("exif_rotated.jpg", "note", "EXIF orientation", lambda: with_exif_orientation(_photo_jpeg(), 6)),
    Case(
        "cmyk.jpg",
        "note",
        "CMYK",
        lambda: encode(pattern_image(640, 480).convertToFormat(QImage.Format.Format_CMYK8888), "jpeg", 90),
    ),
    Case(
        "rgb16.png",
        "note",
        "16-bit",
        lambda: encode(pattern_image(640, 480).convertToFormat(QImage.Format.Format_RGBX64), "png"),
    ),
    Case(
        "png_named.jpg",
        "note",
        "name ends in .jpg",
        lambda: encode(pattern_image(640, 480), "png"),
        prepare_contains="",
    ),
    # -- accepted as they are (edge values included: bounds are inclusive)
    Case("ok_photo.jpg", "ok", "", _photo_jpeg),
    Case("ok_lossless.webp", "ok", "", lambda: encode(pattern_image(640, 480), "webp", 100)),
    Case("ok.bmp", "ok", "", lambda: encode(pattern_image(640, 480), "bmp")),
    Case("ok_240x240.png", "ok", "", lambda: encode(pattern_image(240, 240), "png")),
    Case("ok_ratio_8_1.png", "ok", "", lambda: encode(pattern_image(1920, 240), "png")),
    Case("ok_trailing_bytes.jpg", "ok", "", lambda: _photo_jpeg() + b"\x00" * 512),
    Case(
        "ok_grey.jpg",
        "ok",
        "",
        lambda: encode(pattern_image(640, 480).convertToFormat(QImage.Format.Format_Grayscale8), "jpeg", 90),
    ),
    Case(
        "ok_indexed.png",
        "ok",
        "",
        lambda: encode(
            pattern_image(640, 480).convertToFormat(
                QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
            ),
            "png",
        ),
    ),
)


def write_manifest(out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "manifest.json"
    path.write_text(json.dumps([case.manifest_entry() for case in CASES], indent=2) + "\n", encoding="utf-8")
    return path


def write_case(case: Case, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / case.file
    path.write_bytes(case.build())
    return path


def write_corpus(out_dir: Path, *, include_slow: bool = True) -> list[Path]:
    write_manifest(out_dir)
    return [write_case(case, out_dir) for case in CASES if include_slow or not case.slow]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else DEFAULT_OUT
    files = write_corpus(out_dir)
    print(f"wrote {len(files)} files and manifest.json to {out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
