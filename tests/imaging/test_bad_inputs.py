"""The generated bad-input corpus (issue 8): every file is refused, noted or accepted as the
manifest says, by both the quick check and the real preparation."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QImageReader

from tests.data import make_bad_inputs as corpus
from tests.imaging.conftest import Corpus
from wan27_desktop.api.errors import ReferenceImageError
from wan27_desktop.imaging import inspect_reference, prepare_reference

CASE_PARAMS = [
    pytest.param(case.file, id=case.file, marks=[pytest.mark.slow] if case.slow else []) for case in corpus.CASES
]


def _has(texts: tuple[str, ...], needle: str) -> bool:
    return any(needle.lower() in text.lower() for text in texts)


def test_manifest_lists_at_least_twenty_image_cases_of_each_kind(bad_inputs: Corpus) -> None:
    entries = list(bad_inputs.manifest.values())
    assert len(entries) >= 20
    kinds = {entry["expected"] for entry in entries}
    assert kinds == {"problem", "note", "ok"}
    for entry in entries:
        assert entry["expected"] in ("problem", "note", "ok")
        assert bool(entry["contains"]) == (entry["expected"] != "ok"), entry


@pytest.mark.parametrize("name", CASE_PARAMS)
def test_inspect_reference_classifies_corpus_file(bad_inputs: Corpus, name: str) -> None:
    entry = bad_inputs.manifest[name]
    info = inspect_reference(bad_inputs.path(name))
    if entry["expected"] == "problem" and entry["detected_by"] == "inspect":
        assert _has(info.problems, entry["contains"]), info.problems
    elif entry["expected"] == "note":
        assert info.problems == ()
        assert _has(info.notes, entry["contains"]), info.notes
    elif entry["expected"] == "problem":  # damage only a full decode can find: header looks fine
        assert info.problems == ()
    else:
        assert (info.problems, info.notes) == ((), ())


@pytest.mark.parametrize("name", CASE_PARAMS)
def test_prepare_reference_refuses_or_fixes_corpus_file(bad_inputs: Corpus, name: str) -> None:
    entry = bad_inputs.manifest[name]
    path = bad_inputs.path(name)
    if entry["expected"] == "problem":
        with pytest.raises(ReferenceImageError) as caught:
            prepare_reference(path)
        assert entry["contains"].lower() in caught.value.message.lower()
        assert caught.value.hint
        return
    prepared = prepare_reference(path)
    assert min(prepared.width, prepared.height) >= 240
    assert max(prepared.width, prepared.height) <= 4096
    wanted = entry["prepare_contains"] if entry["prepare_contains"] is not None else entry["contains"]
    if entry["expected"] == "note" and wanted:
        assert _has(prepared.notes, wanted), prepared.notes


# The corpus is only worth something if each file really is what its name claims.


def test_corpus_gif_is_a_real_gif_that_qt_can_decode(bad_inputs: Corpus) -> None:
    reader = QImageReader(str(bad_inputs.path("animation.gif")))
    assert bytes(reader.format().data()) == b"gif"
    image = reader.read()
    assert (image.width(), image.height()) == (300, 300)
    # 20 px checkerboard: black at the origin, white one square to the right.
    assert (image.pixelColor(0, 0).name(), image.pixelColor(25, 0).name()) == ("#000000", "#ffffff")


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("cmyk.jpg", QImage.Format.Format_CMYK8888),
        ("rgb16.png", QImage.Format.Format_RGBX64),
        ("alpha.png", QImage.Format.Format_ARGB32),
        ("ok_indexed.png", QImage.Format.Format_Indexed8),
        ("ok_grey.jpg", QImage.Format.Format_Grayscale8),
    ],
)
def test_corpus_file_has_the_pixel_format_its_name_claims(bad_inputs: Corpus, name: str, stored: QImage.Format) -> None:
    assert QImageReader(str(bad_inputs.path(name))).imageFormat() == stored


def test_corpus_truncated_files_are_shorter_than_their_headers_declare(bad_inputs: Corpus) -> None:
    png = bad_inputs.path("truncated.png").read_bytes()
    assert png.startswith(b"\x89PNG") and b"IEND" not in png
    jpeg = bad_inputs.path("truncated.jpg").read_bytes()
    assert jpeg.startswith(b"\xff\xd8") and not jpeg.endswith(b"\xff\xd9")


@pytest.mark.slow
def test_corpus_script_writes_every_file_and_the_manifest(tmp_path: Path) -> None:
    assert corpus.main([str(tmp_path)]) == 0
    written = {p.name for p in tmp_path.iterdir()}
    assert {case.file for case in corpus.CASES} | {"manifest.json"} == written
