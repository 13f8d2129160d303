"""Thumbnails (atomic, upright, aspect kept) and palette extraction (§3.3 percentages)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter

from tests.data.make_bad_inputs import encode, pattern_image, solid_image, with_exif_orientation
from tests.imaging.conftest import save, write
from wan27_desktop.imaging import ImageFileError, extract_palette, load_thumbnail_image, make_thumbnail


def test_thumbnail_of_a_2048_png_is_a_256_jpeg(tmp_path: Path) -> None:
    dest = tmp_path / "thumbs" / "a.jpg"
    size = make_thumbnail(save(pattern_image(2048, 2048), tmp_path / "big.png", "png"), dest)
    reader = QImageReader(str(dest))
    assert size == (256, 256)
    assert bytes(reader.format().data()) == b"jpeg" and reader.size().toTuple() == (256, 256)


@pytest.mark.parametrize(
    ("source", "expected"), [((1000, 500), (256, 128)), ((300, 900), (85, 256)), ((100, 50), (100, 50))]
)
def test_thumbnail_keeps_aspect_and_never_upscales(
    tmp_path: Path, source: tuple[int, int], expected: tuple[int, int]
) -> None:
    src = save(pattern_image(*source), tmp_path / "src.png", "png")
    assert make_thumbnail(src, tmp_path / "t.jpg") == expected
    assert load_thumbnail_image(tmp_path / "t.jpg").size().toTuple() == expected


def test_webp_thumbnail_keeps_transparency_and_jpeg_flattens_it(tmp_path: Path) -> None:
    src = save(pattern_image(600, 400, alpha=True), tmp_path / "cut.png", "png")
    make_thumbnail(src, tmp_path / "t.webp", 128)
    make_thumbnail(src, tmp_path / "t.jpg", 128)
    assert load_thumbnail_image(tmp_path / "t.webp").pixelColor(2, 2).alpha() == 0
    flat = load_thumbnail_image(tmp_path / "t.jpg").pixelColor(2, 2)
    assert (flat.alpha(), min(flat.red(), flat.green(), flat.blue()) > 245) == (255, True)


def test_thumbnail_of_exif_rotated_jpeg_is_upright(tmp_path: Path) -> None:
    src = write(tmp_path / "r.jpg", with_exif_orientation(encode(pattern_image(640, 480), "jpeg", 90), 6))
    assert make_thumbnail(src, tmp_path / "t.jpg") == (192, 256)


def test_thumbnail_replaces_the_old_file_and_leaves_no_temp_files(tmp_path: Path) -> None:
    dest = write(tmp_path / "t.jpg", b"old thumbnail")
    make_thumbnail(save(pattern_image(500, 500), tmp_path / "s.png", "png"), dest, 64)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.png", "t.jpg"]
    assert load_thumbnail_image(dest).size().toTuple() == (64, 64)


def test_failed_thumbnail_keeps_the_existing_one(tmp_path: Path) -> None:
    dest = write(tmp_path / "t.jpg", b"old thumbnail")
    with pytest.raises(ImageFileError, match="not a readable image"):
        make_thumbnail(write(tmp_path / "notes.png", b"just text"), dest)
    assert dest.read_bytes() == b"old thumbnail"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.png", "t.jpg"]


def test_thumbnail_write_error_is_an_image_file_error(tmp_path: Path) -> None:
    blocker = write(tmp_path / "not_a_dir", b"")
    with pytest.raises(ImageFileError, match="Cannot write thumbnail"):
        make_thumbnail(save(pattern_image(300, 300), tmp_path / "s.png", "png"), blocker / "t.jpg")


def test_load_thumbnail_image_refuses_non_images(tmp_path: Path) -> None:
    with pytest.raises(ImageFileError):
        load_thumbnail_image(write(tmp_path / "x.webp", b"RIFF0000WEBPnope"))


def _three_colours() -> QImage:
    image = QImage(400, 200, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.fillRect(QRect(0, 0, 200, 200), QColor("#1F3A5F"))  # 50 %
    painter.fillRect(QRect(200, 0, 120, 200), QColor("#F2C14E"))  # 30 %
    painter.fillRect(QRect(320, 0, 80, 200), QColor("#FAFAF7"))  # 20 %
    painter.end()
    return image


def _cents(palette: list[tuple[str, float]]) -> int:
    return sum(round(share * 100) for _, share in palette)


def test_palette_of_three_colours_finds_them_with_their_shares(tmp_path: Path) -> None:
    palette = extract_palette(save(_three_colours(), tmp_path / "three.png", "png"), count=5)
    assert [hex_ for hex_, _ in palette] == ["#1F3A5F", "#F2C14E", "#FAFAF7"]
    assert [share for _, share in palette] == pytest.approx([50, 30, 20], abs=1.0)
    assert _cents(palette) == 10000  # §3.3: exactly 100.00 %


def test_palette_accepts_a_qimage_and_is_deterministic() -> None:
    image = pattern_image(640, 480)
    first = extract_palette(image, count=6)
    assert first == extract_palette(image, count=6)
    assert len(first) == 6 and _cents(first) == 10000
    assert all(len(hex_) == 7 and hex_.startswith("#") for hex_, _ in first)


def test_palette_merges_down_to_the_requested_count() -> None:
    palette = extract_palette(_three_colours(), count=2)
    assert len(palette) == 2 and _cents(palette) == 10000
    assert palette[0] == ("#1F3A5F", 50.0)


def test_palette_counts_transparent_pixels_as_white() -> None:
    image = QImage(100, 100, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    assert extract_palette(image) == [("#FFFFFF", 100.0)]


def test_palette_of_a_single_colour_jpeg_file(tmp_path: Path) -> None:
    palette = extract_palette(save(solid_image(300, 300, "#808080"), tmp_path / "g.jpg", "jpeg", 95))
    assert palette == [("#808080", 100.0)]


def test_palette_count_must_be_positive() -> None:
    with pytest.raises(ValueError):
        extract_palette(pattern_image(64, 64), count=0)


def test_palette_shares_follow_pixel_populations_not_median_splits() -> None:
    # 70 % a gently shaded navy, 30 % yellow. Median cut alone halves the navy population and
    # lumps yellow with one half; the k-means passes give each colour its real share.
    image = QImage(100, 100, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    for x in range(70):
        painter.fillRect(QRect(x, 0, 1, 100), QColor(31 + x // 5, 58 + x // 5, 95 + x // 5))
    painter.fillRect(QRect(70, 0, 30, 100), QColor("#F2C14E"))
    painter.end()
    palette = extract_palette(image, count=2)
    assert [share for _, share in palette] == pytest.approx([70.0, 30.0], abs=1.0)
    assert palette[1][0] == "#F2C14E"
