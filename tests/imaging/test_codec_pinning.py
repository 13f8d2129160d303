"""Readers never probe Qt's image plugins (a deadlock with the GIL, see `_codec._pin_format`): the
format is pinned from the file's own bytes, and content we cannot name fails at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage

from wan27_desktop.imaging import _codec
from wan27_desktop.imaging._codec import ImageFileError, load_image, path_reader


def _encoded(fmt: str) -> bytes:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(0x3366AA)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt)
    return bytes(data.data())


@pytest.mark.parametrize(("fmt", "qt_name"), [("PNG", "png"), ("JPEG", "jpeg"), ("BMP", "bmp"), ("WEBP", "webp")])
def test_a_known_format_is_pinned_and_read(tmp_path: Path, fmt: str, qt_name: str):
    path = tmp_path / "picture.bin"  # the name says nothing: the bytes decide
    path.write_bytes(_encoded(fmt))
    reader = path_reader(str(path))
    assert not reader.autoDetectImageFormat() and not reader.decideFormatFromContent()
    assert _codec.qt_format(reader) == qt_name
    assert load_image(str(path)).size().width() == 40


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"plain text, no image",
        b'<?xml version="1.0"?><svg width="4"/>',
        b"\x00\x00\x02\x00" + bytes(40),
    ],  # an empty, text, SVG and TGA-like file
    ids=["empty", "text", "svg", "tga-like"],
)
def test_content_we_cannot_name_is_not_probed_and_fails_at_once(tmp_path: Path, content: bytes):
    path = tmp_path / "picture.png"
    path.write_bytes(content)
    reader = path_reader(str(path))
    assert not reader.autoDetectImageFormat()
    assert _codec.qt_format(reader) == ""  # no plugin was asked, so none claims it
    with pytest.raises(ImageFileError):
        load_image(str(path))


def test_a_readable_svg_is_still_not_probed(tmp_path: Path) -> None:
    """A valid SVG is content Qt's SVG plugin would read, but only by probing it: the reader must
    refuse it instead (Qt's decide-from-content mode would probe every plugin despite the pin)."""
    path = tmp_path / "picture.png"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    reader = path_reader(str(path))
    assert not reader.decideFormatFromContent()
    assert reader.read().isNull()
    with pytest.raises(ImageFileError):
        load_image(str(path))
    source = _codec.Source(path.read_bytes())
    try:
        assert source.reader.read().isNull()
    finally:
        source.close()
