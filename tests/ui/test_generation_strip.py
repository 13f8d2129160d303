"""ReferenceStrip: real QMimeData drops (files, URLs, image data), paste, limit, reorder, problems."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from wan27_desktop.api.models import Box
from wan27_desktop.ui.generate.drop import IMAGE_IDS_MIME
from wan27_desktop.ui.generate.reference_item import ItemState
from wan27_desktop.ui.generate.reference_strip import ReferenceStrip
from wan27_desktop.ui.generate.reference_tiles import GAP, MARGIN, TILE
from wan27_desktop.ui.generate.reference_viewer import ReferenceViewer


def make_image(path: Path, width: int = 400, height: int = 300, colour: str = "#3366AA", alpha: bool = False) -> Path:
    image = QImage(width, height, QImage.Format.Format_ARGB32 if alpha else QImage.Format.Format_RGB32)
    image.fill(QColor(0, 0, 0, 0) if alpha else QColor(colour))
    if alpha:
        image.setPixelColor(1, 1, QColor(colour))
    assert image.save(str(path))
    return path


def png_bytes(colour: str = "#AA3366") -> bytes:
    image = QImage(320, 260, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


@pytest.fixture
def strip(qtbot: Any) -> ReferenceStrip:
    widget = ReferenceStrip()
    qtbot.addWidget(widget)
    widget.resize(420, 260)
    widget.show()
    return widget


def drop(widget: ReferenceStrip, mime: QMimeData, action: Qt.DropAction = Qt.DropAction.CopyAction) -> QDropEvent:
    """What a drag from another application delivers: drag-enter, then drop, with real QMimeData."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction | Qt.DropAction.LinkAction
    enter = QDragEnterEvent(QPoint(30, 30), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    event = QDropEvent(QPointF(30, 30), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    if action != Qt.DropAction.CopyAction:
        event.setDropAction(action)
    QApplication.sendEvent(widget, event)
    return event


def wait_ready(qtbot: Any, widget: ReferenceStrip) -> None:
    qtbot.waitUntil(lambda: widget.count() > 0 and not widget.busy(), timeout=10000)


def test_drop_files_from_the_file_manager(qtbot: Any, strip: ReferenceStrip, tmp_path: Path) -> None:
    a = make_image(tmp_path / "a.png")
    b = make_image(tmp_path / "b.jpg", 640, 480, "#22AA44")
    before = hashlib.sha256(a.read_bytes()).hexdigest()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(a)), QUrl.fromLocalFile(str(b))])
    with qtbot.waitSignal(strip.referencesChanged, timeout=1000):
        event = drop(strip, mime, Qt.DropAction.MoveAction)
    assert event.isAccepted()
    assert event.dropAction() == Qt.DropAction.CopyAction  # never "move": the original stays
    wait_ready(qtbot, strip)
    assert [item.source for item in strip.items()] == [str(a), str(b)]
    assert all(item.thumb is not None and not item.thumb.isNull() for item in strip.items())
    assert strip.problems() == []
    assert strip.items()[1].info.width == 640
    assert hashlib.sha256(a.read_bytes()).hexdigest() == before
    assert strip.count_label.text() == "2 / 9"


def test_drop_from_the_gallery(qtbot: Any, strip: ReferenceStrip, tmp_path: Path) -> None:
    path = make_image(tmp_path / "lib.png")
    mime = QMimeData()
    mime.setData(IMAGE_IDS_MIME, QByteArray(b"[42]"))
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop(strip, mime)
    wait_ready(qtbot, strip)
    assert strip.image_inputs()[0].source == str(path)


def test_drop_http_url_from_a_browser(strip: ReferenceStrip) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.com/photos/cat.jpg")])
    drop(strip, mime)
    item = strip.items()[0]
    assert item.source == "https://example.com/photos/cat.jpg"
    assert item.state is ItemState.REMOTE and item.name == "cat.jpg"
    assert not strip.busy()


def test_drop_url_as_plain_text(strip: ReferenceStrip) -> None:
    mime = QMimeData()
    mime.setText("https://example.com/a.png\n")
    drop(strip, mime)
    assert strip.image_inputs()[0].source == "https://example.com/a.png"


def test_drop_png_data_is_saved_by_content_hash(qtbot: Any, strip: ReferenceStrip, isolated_environment: Path) -> None:
    data = png_bytes()
    mime = QMimeData()
    mime.setData("image/png", QByteArray(data))
    mime.setUrls([QUrl("https://example.com/page-image.png")])  # browsers send both: data wins
    drop(strip, mime)
    assert strip.items()[0].state is ItemState.SAVING
    wait_ready(qtbot, strip)
    expected = isolated_environment / "refs" / f"{hashlib.sha256(data).hexdigest()}.png"
    assert strip.items()[0].source == str(expected)
    assert expected.read_bytes() == data
    assert strip.problems() == []


def test_drop_qt_image_data(qtbot: Any, strip: ReferenceStrip, isolated_environment: Path) -> None:
    image = QImage(300, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#123456"))
    mime = QMimeData()
    mime.setImageData(image)
    drop(strip, mime)
    wait_ready(qtbot, strip)
    saved = Path(strip.items()[0].source)
    assert saved.parent == isolated_environment / "refs" and saved.suffix == ".png"
    assert QImage(str(saved)).pixelColor(5, 5) == QColor("#123456")


def test_pasting_the_same_data_twice_stores_one_file(
    qtbot: Any, strip: ReferenceStrip, isolated_environment: Path
) -> None:
    image = QImage(300, 250, QImage.Format.Format_RGB32)
    image.fill(QColor("#010203"))
    for _ in range(2):
        # setImage, not setMimeData: the clipboard owns a QMimeData it is given, and PySide would
        # free it a second time at exit.
        QGuiApplication.clipboard().setImage(image)
        strip.tiles.setFocus()
        qtbot.keyClick(strip.tiles, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: strip.count() == 2 and not strip.busy(), timeout=10000)
    assert strip.items()[0].source == strip.items()[1].source
    assert len(list((isolated_environment / "refs").glob("*.png"))) == 1


def test_text_that_is_not_an_image_is_not_accepted(strip: ReferenceStrip) -> None:
    mime = QMimeData()
    mime.setText("just some words")
    event = drop(strip, mime)
    assert not event.isAccepted()
    assert strip.count() == 0


def test_tenth_image_is_refused_with_a_message(qtbot: Any, strip: ReferenceStrip, tmp_path: Path) -> None:
    path = make_image(tmp_path / "one.png")
    for _ in range(9):
        assert strip.add_reference(str(path))
    assert not strip.add_button.isEnabled()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with qtbot.waitSignal(strip.message, timeout=1000) as message:
        drop(strip, mime)
    assert strip.count() == 9
    assert "at most 9" in message.args[0]
    assert strip.inline.isVisible() and "at most 9" in strip.inline.text()


def test_dropping_more_than_fit_adds_what_fits(strip: ReferenceStrip, tmp_path: Path) -> None:
    path = make_image(tmp_path / "one.png")
    for _ in range(8):
        strip.add_reference(str(path))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))] * 3)
    drop(strip, mime)
    assert strip.count() == 9
    assert "2 images were not added" in strip.inline.text()


def test_problems_are_shown_on_the_thumbnail(qtbot: Any, strip: ReferenceStrip, tmp_path: Path) -> None:
    small = make_image(tmp_path / "small.png", 100, 80)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image at all")
    strip.add_references([str(small), str(broken)])
    wait_ready(qtbot, strip)
    problems = strip.problems()
    assert {number for number, _ in problems} == {1, 2}
    assert "240" in dict(problems)[1]
    tooltip = strip.tiles.tooltip_for(0)
    assert "240" in tooltip and "⚠" in tooltip


def test_alpha_is_a_note_not_a_problem(qtbot: Any, strip: ReferenceStrip, tmp_path: Path) -> None:
    path = make_image(tmp_path / "alpha.png", 300, 300, alpha=True)
    strip.add_reference(str(path))
    wait_ready(qtbot, strip)
    item = strip.items()[0]
    assert item.problems == []
    assert item.notes  # e.g. "transparency will be flattened"


def tile_centre(index: int) -> QPoint:
    cols = (420 - 2 * MARGIN + GAP) // (TILE + GAP)
    row, col = divmod(index, cols)
    return QPoint(MARGIN + col * (TILE + GAP) + TILE // 2, MARGIN + row * (TILE + GAP) + TILE // 2)


def test_drag_to_reorder_emits_the_mapping(qtbot: Any, strip: ReferenceStrip, tmp_path: Path) -> None:
    paths = [str(make_image(tmp_path / f"{i}.png", colour=f"#00{i}0{i}0")) for i in range(3)]
    strip.add_references(paths)
    strip.set_boxes(0, (Box(1, 2, 30, 40),))
    with qtbot.waitSignal(strip.reordered, timeout=1000) as moved:
        qtbot.mousePress(strip.tiles, Qt.MouseButton.LeftButton, pos=tile_centre(0))
        qtbot.mouseMove(strip.tiles, tile_centre(1))
        qtbot.mouseMove(strip.tiles, tile_centre(2))
        qtbot.mouseRelease(strip.tiles, Qt.MouseButton.LeftButton, pos=tile_centre(2))
    assert moved.args[0] == {1: 3, 2: 1, 3: 2}
    assert [item.source for item in strip.items()] == [paths[1], paths[2], paths[0]]
    assert strip.boxes(2) == (Box(1, 2, 30, 40),)  # the boxes went with their image


def test_keyboard_move_and_delete(qtbot: Any, strip: ReferenceStrip, tmp_path: Path) -> None:
    paths = [str(make_image(tmp_path / f"{i}.png")) for i in range(3)]
    strip.add_references(paths)
    strip.select(0)
    strip.tiles.setFocus()
    with qtbot.waitSignal(strip.reordered, timeout=1000) as moved:
        qtbot.keyClick(strip.tiles, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert moved.args[0] == {1: 2, 2: 1, 3: 3}
    with qtbot.waitSignal(strip.reordered, timeout=1000) as removed:
        qtbot.keyClick(strip.tiles, Qt.Key.Key_Delete)
    assert removed.args[0] == {1: 1, 2: None, 3: 2}
    assert [item.source for item in strip.items()] == [paths[1], paths[2]]


def test_hover_remove_button_removes(qtbot: Any, strip: ReferenceStrip, tmp_path: Path) -> None:
    strip.add_reference(str(make_image(tmp_path / "x.png")))
    rect = strip.tiles.tile_rect(0)
    qtbot.mouseMove(strip.tiles, rect.center())
    qtbot.mouseClick(strip.tiles, Qt.MouseButton.LeftButton, pos=QPoint(rect.right() - 10, rect.top() + 12))
    assert strip.count() == 0


def test_box_editor_stores_boxes_on_the_reference(qtbot: Any, strip: ReferenceStrip, tmp_path: Path) -> None:
    strip.add_reference(str(make_image(tmp_path / "big.png", 1200, 800)))
    wait_ready(qtbot, strip)
    editor = strip.open_box_editor(0)
    assert editor is not None and editor.isVisible()
    assert (editor.canvas.image_w, editor.canvas.image_h) == (1200, 800)
    qtbot.waitUntil(lambda: editor.canvas._pixmap is not None, timeout=10000)
    editor.canvas.set_boxes((Box(100, 100, 400, 300),))
    editor.accept()
    assert strip.boxes(0) == (Box(100, 100, 400, 300),)


def test_box_editing_is_off_for_web_images_and_when_disallowed(strip: ReferenceStrip, tmp_path: Path) -> None:
    strip.add_reference("https://example.com/a.jpg")
    assert strip.open_box_editor(0) is None
    assert not strip.boxes_button.isEnabled()
    assert "local image" in strip.boxes_button.toolTip()
    strip.set_boxes_allowed(False, "Region boxes cannot be used with image sets (§3.2).")
    assert "image sets" in strip.boxes_button.toolTip()


def test_double_click_opens_the_viewer(qtbot: Any, strip: ReferenceStrip, tmp_path: Path) -> None:
    strip.add_reference(str(make_image(tmp_path / "v.png")))
    wait_ready(qtbot, strip)
    qtbot.mouseDClick(strip.tiles, Qt.MouseButton.LeftButton, pos=tile_centre(0))
    viewer = strip.findChild(ReferenceViewer, "referenceViewer")
    assert viewer is not None and viewer.isVisible()
    qtbot.waitUntil(lambda: viewer.canvas.pixmap is not None, timeout=10000)
    viewer.close()
