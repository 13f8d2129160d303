"""prepare_reference: what actually goes on the wire (§2.3, §2.4) and how boxes follow it (§3.2)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter

from tests.data.make_bad_inputs import encode, noise_png, pattern_image, solid_image, with_exif_orientation
from tests.imaging.conftest import decode_image, decode_uri, save, write
from wan27_desktop.api.errors import ReferenceImageError
from wan27_desktop.api.models import Box
from wan27_desktop.imaging import prepare_reference, scale_boxes


def _is_red(colour: QColor) -> bool:
    return colour.red() > 200 and colour.green() < 60 and colour.blue() < 60


def _is_white(colour: QColor) -> bool:
    return min(colour.red(), colour.green(), colour.blue()) > 240


@pytest.mark.parametrize(
    ("fmt", "suffix", "mime"),
    [("jpeg", "jpg", "image/jpeg"), ("png", "png", "image/png"), ("webp", "webp", "image/webp")],
)
def test_image_within_limits_is_sent_byte_for_byte(tmp_path: Path, fmt: str, suffix: str, mime: str) -> None:
    path = save(pattern_image(800, 600), tmp_path / f"plain.{suffix}", fmt, 90)
    prepared = prepare_reference(path)
    assert decode_uri(prepared.data_uri) == (mime, path.read_bytes())
    assert (prepared.mime, prepared.width, prepared.height, prepared.scale) == (mime, 800, 600, 1.0)
    assert prepared.passed_through and prepared.notes == ()
    assert prepared.byte_size == path.stat().st_size


def test_bmp_is_re_encoded_losslessly_as_png(tmp_path: Path) -> None:
    source = pattern_image(640, 480)
    prepared = prepare_reference(save(source, tmp_path / "shot.bmp", "bmp"))
    mime, data = decode_uri(prepared.data_uri)
    sent, _, _ = decode_image(data)
    assert mime == "image/png" and not prepared.passed_through
    assert sent.convertToFormat(QImage.Format.Format_RGB32) == source.convertToFormat(QImage.Format.Format_RGB32)


@pytest.mark.slow
def test_large_jpeg_is_downscaled_to_the_default_longest_side(tmp_path: Path) -> None:
    path = save(pattern_image(6000, 4000), tmp_path / "camera.jpg", "jpeg", 90)
    prepared = prepare_reference(path)
    sent, _, _ = decode_image(decode_uri(prepared.data_uri)[1])
    assert (prepared.width, prepared.height) == (sent.width(), sent.height()) == (4096, 2731)
    assert prepared.scale == pytest.approx(4096 / 6000)
    assert prepared.original_size == (6000, 4000)
    assert "Downscaled from 6000×4000 to 4096×2731 px (longest side at most 4096 px)." in prepared.notes


def test_boxes_scaled_by_prepared_scale_land_on_the_same_pixels(tmp_path: Path) -> None:
    # §3.2: boxes are in the pixels of the image as sent; a downscale must move them with it.
    image = solid_image(3000, 2000, "white")
    painter = QPainter(image)
    painter.fillRect(QRect(1500, 1000, 300, 200), QColor("red"))  # box [1500, 1000, 1800, 1200]
    painter.end()
    path = save(image, tmp_path / "boxed.png", "png")
    prepared = prepare_reference(path, max_side=1200)
    sent, _, _ = decode_image(decode_uri(prepared.data_uri)[1])
    assert prepared.scale == pytest.approx(0.4)
    (box, whole) = scale_boxes([Box(1500, 1000, 1800, 1200), Box(0, 0, 3000, 2000)], prepared.scale)
    assert box == Box(600, 400, 720, 480)
    assert whole == Box(0, 0, sent.width(), sent.height())
    assert _is_red(sent.pixelColor(box.x1 + 2, box.y1 + 2)) and _is_red(sent.pixelColor(box.x2 - 3, box.y2 - 3))
    assert _is_white(sent.pixelColor(box.x1 - 3, box.y1 - 3)) and _is_white(sent.pixelColor(box.x2 + 2, box.y2 + 2))


def test_scale_boxes_leaves_boxes_alone_at_scale_one() -> None:
    boxes = (Box(1, 2, 3, 4),)
    assert scale_boxes(boxes, 1.0) == boxes


def test_transparency_is_flattened_onto_white(tmp_path: Path) -> None:
    prepared = prepare_reference(save(pattern_image(600, 400, alpha=True), tmp_path / "cutout.png", "png"))
    sent, stored, _ = decode_image(decode_uri(prepared.data_uri)[1])
    assert not sent.hasAlphaChannel() and stored != QImage.Format.Format_ARGB32
    assert sent.pixelColor(0, 0) == QColor("white")  # the left third was fully transparent
    assert "Transparency flattened onto white (the service does not accept alpha)." in prepared.notes


def test_exif_orientation_is_applied_to_the_pixels_sent(tmp_path: Path) -> None:
    stored = solid_image(640, 480, "white")
    painter = QPainter(stored)
    painter.fillRect(QRect(0, 0, 80, 80), QColor("red"))  # top-left as stored
    painter.end()
    path = write(tmp_path / "phone.jpg", with_exif_orientation(encode(stored, "jpeg", 95), 6))
    prepared = prepare_reference(path)
    sent, _, _ = decode_image(decode_uri(prepared.data_uri)[1])
    assert (prepared.width, prepared.height) == (sent.width(), sent.height()) == (480, 640)
    # Orientation 6 turns the picture 90 degrees clockwise: stored top-left becomes top-right.
    assert _is_red(sent.pixelColor(470, 10)) and _is_white(sent.pixelColor(10, 10))
    assert "Turned upright from its EXIF orientation." in prepared.notes


def test_cmyk_jpeg_is_sent_as_rgb(tmp_path: Path) -> None:
    cmyk = solid_image(400, 300, "red").convertToFormat(QImage.Format.Format_CMYK8888)
    prepared = prepare_reference(save(cmyk, tmp_path / "print.jpg", "jpeg", 95))
    sent, stored, _ = decode_image(decode_uri(prepared.data_uri)[1])
    assert stored == QImage.Format.Format_RGB32
    assert _is_red(sent.pixelColor(200, 150))


def test_16_bit_png_is_sent_as_8_bit(tmp_path: Path) -> None:
    deep = pattern_image(400, 300).convertToFormat(QImage.Format.Format_RGBX64)
    prepared = prepare_reference(save(deep, tmp_path / "deep.png", "png"))
    data = decode_uri(prepared.data_uri)[1]
    assert data[24] == 8  # IHDR bit depth
    assert "16-bit colour converted to 8-bit RGB." in prepared.notes


def test_byte_budget_forces_a_smaller_jpeg(tmp_path: Path) -> None:
    path = write(tmp_path / "noise.png", noise_png(1000, 1000))  # ~3 MB incompressible
    prepared = prepare_reference(path, max_bytes=300_000)
    mime, data = decode_uri(prepared.data_uri)
    sent, _, _ = decode_image(data)
    assert mime == "image/jpeg" and len(data) == prepared.byte_size <= 300_000
    assert prepared.scale < 1.0
    assert (sent.width(), sent.height()) == (round(1000 * prepared.scale), round(1000 * prepared.scale))


def test_budget_that_cannot_be_met_above_240_px_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "noise.png", noise_png(600, 600))
    with pytest.raises(ReferenceImageError, match="cannot be made to fit the 2 KB request budget"):
        prepare_reference(path, max_bytes=2000)


def test_original_file_is_never_modified(tmp_path: Path) -> None:
    path = write(tmp_path / "keep.jpg", with_exif_orientation(encode(pattern_image(640, 480), "jpeg", 90), 6))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    prepare_reference(path, max_side=300)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.jpg"]


def test_refusal_carries_a_message_and_a_specific_hint(tmp_path: Path) -> None:
    with pytest.raises(ReferenceImageError) as caught:
        prepare_reference(save(pattern_image(239, 300), tmp_path / "tiny.png", "png"))
    assert caught.value.message == "Image is 239×300 px; each side must be at least 240 px (allowed 240–8000 px)."
    assert "larger image" in caught.value.hint


def test_missing_file_raises_reference_image_error(tmp_path: Path) -> None:
    with pytest.raises(ReferenceImageError, match="gone.jpg does not exist"):
        prepare_reference(tmp_path / "gone.jpg")


def test_worker_threads_prepare_concurrently_with_identical_results(tmp_path: Path) -> None:
    paths = [save(pattern_image(900 + 37 * i, 700), tmp_path / f"r{i}.png", "png") for i in range(4)]
    paths += [
        write(tmp_path / f"e{i}.jpg", with_exif_orientation(encode(pattern_image(700, 500 + 11 * i), "jpeg", 90), 6))
        for i in range(4)
    ]
    expected = [prepare_reference(p, max_side=512) for p in paths]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda p: prepare_reference(p, max_side=512), paths * 3))
    assert results == expected * 3


def test_works_without_any_qapplication(tmp_path: Path) -> None:
    # The CLI and job workers use imaging with no QApplication; plugins (JPEG, WebP) must still load.
    save(pattern_image(640, 480), tmp_path / "a.webp", "webp", 90)
    write(tmp_path / "b.jpg", with_exif_orientation(encode(pattern_image(640, 480), "jpeg", 90), 6))
    script = (
        "import sys; from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from wan27_desktop import imaging\n"
        "d = Path(sys.argv[1])\n"
        "assert QCoreApplication.instance() is None\n"
        "a = imaging.prepare_reference(d / 'a.webp'); b = imaging.prepare_reference(d / 'b.jpg')\n"
        "t = imaging.make_thumbnail(d / 'b.jpg', d / 't.webp', 128)\n"
        "print(a.mime, b.width, b.height, t)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["image/webp", "480", "640", "(96,", "128)"]


def test_exif_rotated_jpeg_downscaled_in_the_decoder_keeps_its_shape(tmp_path: Path) -> None:
    # Qt's scaled decode works in the file's stored orientation; the target must be turned with it.
    stored = solid_image(1600, 1200, "white")
    painter = QPainter(stored)
    painter.fillRect(QRect(0, 0, 200, 200), QColor("red"))
    painter.end()
    path = write(tmp_path / "phone.jpg", with_exif_orientation(encode(stored, "jpeg", 95), 6))
    prepared = prepare_reference(path, max_side=800)
    sent, _, _ = decode_image(decode_uri(prepared.data_uri)[1])
    assert (sent.width(), sent.height()) == (600, 800)
    assert _is_red(sent.pixelColor(590, 10)) and _is_white(sent.pixelColor(590, 110))
    assert _is_white(sent.pixelColor(10, 10))


def test_decoder_scaled_size_is_given_in_the_stored_orientation(tmp_path: Path) -> None:
    # Otherwise Qt would squash the image on decode and a second resize would hide the damage.
    from wan27_desktop.imaging import _codec

    path = write(tmp_path / "phone.jpg", with_exif_orientation(encode(pattern_image(1600, 1200), "jpeg", 90), 6))
    reader = _codec.path_reader(str(path))
    image = _codec.read_scaled(reader, (600, 800), fast_scaled_decode=True)
    assert reader.scaledSize().toTuple() == (800, 600)
    assert image.size().toTuple() == (600, 800)
