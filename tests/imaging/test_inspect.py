"""inspect_reference: the header-only check run when an image is dropped (§2.3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.data.make_bad_inputs import corrupt_idat, encode, pattern_image, with_exif_orientation
from tests.imaging.conftest import save, write
from wan27_desktop.imaging import ReferenceInfo, image_size, inspect_reference, prepare_reference
from wan27_desktop.imaging.reference import per_image_budget


def test_plain_jpeg_reports_format_size_and_file_size(tmp_path: Path) -> None:
    path = save(pattern_image(640, 480), tmp_path / "photo.jpg", "jpeg", 90)
    info = inspect_reference(path)
    assert info == ReferenceInfo(path, "jpeg", 640, 480, path.stat().st_size, False, (), ())
    assert info.ok


def test_exif_orientation_6_swaps_width_and_height(tmp_path: Path) -> None:
    path = write(tmp_path / "rotated.jpg", with_exif_orientation(encode(pattern_image(640, 480), "jpeg", 90), 6))
    info = inspect_reference(path)
    assert (info.width, info.height) == (480, 640)
    assert any("EXIF orientation (stored as 640×480 px)" in note for note in info.notes)


def test_side_below_minimum_names_the_value_and_the_allowed_range(tmp_path: Path) -> None:
    info = inspect_reference(save(pattern_image(500, 239), tmp_path / "short.png", "png"))
    assert info.problems == ("Image is 500×239 px; each side must be at least 240 px (allowed 240–8000 px).",)


def test_ratio_just_over_eight_is_a_problem_and_exactly_eight_is_not(tmp_path: Path) -> None:
    over = inspect_reference(save(pattern_image(1921, 240), tmp_path / "over.png", "png"))
    exact = inspect_reference(save(pattern_image(240, 1920), tmp_path / "exact.png", "png"))
    assert over.problems == ("Aspect ratio is 8:1 (1921×240 px); it must be between 1:8 and 8:1.",)
    assert exact.problems == ()


def test_side_over_service_limit_is_a_note_naming_the_downscaled_size(tmp_path: Path) -> None:
    info = inspect_reference(save(pattern_image(8001, 1200), tmp_path / "wide.png", "png"))
    assert info.problems == ()
    assert info.notes == (
        "Will be downscaled from 8001×1200 to 4096×614 px (longest side at most 4096 px; "
        "the service accepts at most 8000 px).",
    )


def test_downscale_note_matches_what_prepare_actually_sends(tmp_path: Path) -> None:
    path = save(pattern_image(3000, 1000), tmp_path / "wide.png", "png")
    info = inspect_reference(path, max_side=1024)
    prepared = prepare_reference(path, max_side=1024)
    assert f"to {prepared.width}×{prepared.height} px" in info.notes[0]
    assert (prepared.width, prepared.height) == (1024, 341)


def test_image_at_the_default_max_side_gets_no_note(tmp_path: Path) -> None:
    info = inspect_reference(save(pattern_image(4096, 300), tmp_path / "edge.png", "png"))
    assert info.notes == ()


def test_file_over_the_byte_budget_is_a_note_not_a_problem(tmp_path: Path) -> None:
    path = save(pattern_image(1200, 900), tmp_path / "bmp.bmp", "bmp")  # 24-bit, uncompressed: 3.1 MiB
    info = inspect_reference(path, max_bytes=1024 * 1024)
    assert info.problems == ()
    assert info.notes == ("The file is 3.1 MB; it will be re-encoded to fit the 1 MB request budget.",)


def test_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    info = inspect_reference(tmp_path / "gone.png")
    assert info.problems == ("gone.png does not exist (it may have been moved or deleted).",)
    assert (info.format, info.width, info.height) == ("unknown", 0, 0)


def test_directory_is_a_problem(tmp_path: Path) -> None:
    folder = tmp_path / "folder.png"
    folder.mkdir()
    assert inspect_reference(folder).problems == ("folder.png is a folder, not an image file.",)


def test_header_only_check_does_not_decode_pixel_data(tmp_path: Path) -> None:
    # Damage inside the compressed pixels is invisible to a header read (prepare finds it).
    path = write(tmp_path / "damaged.png", corrupt_idat(encode(pattern_image(640, 480), "png")))
    assert inspect_reference(path).problems == ()


def test_decompression_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    from tests.data.make_bad_inputs import bomb_png

    info = inspect_reference(write(tmp_path / "bomb.png", bomb_png(20000, 20000)))
    assert info.problems == ("Image is 20000×20000 px (400 megapixels); at most 134 megapixels can be decoded safely.",)


def test_image_size_reads_the_header_after_orientation(tmp_path: Path) -> None:
    path = write(tmp_path / "r.jpg", with_exif_orientation(encode(pattern_image(300, 260), "jpeg", 90), 8))
    assert image_size(path) == (260, 300)


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [
        (28 * 1024 * 1024, 4, 5 * 1024 * 1024),  # plenty: capped at the default
        (8 * 1024 * 1024, 4, 1536 * 1024),  # base64 of 4 x 1.5 MiB = 8 MiB
        (10, 3, 64 * 1024),  # never below a usable floor
    ],
)
def test_per_image_budget_splits_a_base64_body_budget(total: int, count: int, expected: int) -> None:
    assert per_image_budget(total, count) == expected
