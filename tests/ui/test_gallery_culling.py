# ruff: noqa: F811 - pytest fixtures imported from test_gallery_fixtures are redefined as arguments
"""Keyboard culling (stars, F, Del + Ctrl+Z), trash view with restore and empty, new images landing,
and drag-out, driven through the grid the way a person does."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QUrl
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from tests.ui.test_gallery_fixtures import (  # noqa: F401 - fixtures
    ROWS,
    TOTAL,
    add_job,
    gallery_data,
    lib,
    library_template,
    panel,
)
from wan27_desktop.imaging.thumbnails import thumbnail_path
from wan27_desktop.library import ImageQuery, Library
from wan27_desktop.ui.gallery.model import IMAGE_IDS_MIME, Role, parse_image_ids
from wan27_desktop.ui.gallery.panel import GalleryPanel


def select_rows(panel: GalleryPanel, rows: list[int]) -> list[int]:
    selection = panel.view.selectionModel()
    panel.view.setCurrentIndex(panel.model.index(rows[0]))
    selection.clearSelection()
    for row in rows:
        selection.select(panel.model.index(row), QItemSelectionModel.SelectionFlag.Select)
    return [panel.model.data(panel.model.index(r), Role.IMAGE_ID) for r in rows]


def test_number_keys_rate_and_zero_clears(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    ids = select_rows(panel, [0, 1])
    qtbot.keyClick(panel.view, Qt.Key.Key_4)
    assert panel.model.data(panel.model.index(0), Role.RECORD).rating == 4  # shown at once
    qtbot.waitUntil(lambda: all(lib.images.get(i).rating == 4 for i in ids))
    qtbot.keyClick(panel.view, Qt.Key.Key_0)
    qtbot.waitUntil(lambda: all(lib.images.get(i).rating == 0 for i in ids))


def test_f_toggles_favourite(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    (image_id,) = select_rows(panel, [3])
    qtbot.keyClick(panel.view, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: lib.images.get(image_id).favourite)
    qtbot.keyClick(panel.view, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: not lib.images.get(image_id).favourite)


def test_arrow_keys_move_by_cell_and_by_line(qtbot: QtBot, panel: GalleryPanel) -> None:
    panel.view.setCurrentIndex(panel.model.index(0))
    qtbot.keyClick(panel.view, Qt.Key.Key_Right)
    assert panel.view.currentIndex().row() == 1
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    assert panel.view.currentIndex().row() == 1 + panel.view.geometry_now().columns
    qtbot.keyClick(panel.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert len(panel.view.selected_rows()) == 2


def test_delete_trashes_and_ctrl_z_restores(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    ids = select_rows(panel, [2, 3, 4])
    after = panel.model.data(panel.model.index(5), Role.IMAGE_ID)
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert panel.model.rowCount() == ROWS - 3  # removed in place at once
    assert panel.model.data(panel.model.index(2), Role.IMAGE_ID) == after  # neighbours kept, shifted
    assert panel.undo_bar.isVisibleTo(panel)
    qtbot.waitUntil(lambda: lib.images.count(ImageQuery(trashed=True)) == 3)
    assert panel.view.currentIndex().row() == 2  # culling continues with the next image
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: lib.images.count(ImageQuery(trashed=True)) == 0)
    qtbot.waitUntil(lambda: panel.model.rowCount() == ROWS)
    qtbot.waitUntil(lambda: [panel.model.data(panel.model.index(r), Role.IMAGE_ID) for r in (2, 3, 4)] == ids)


def test_trash_view_restores_and_empties_after_confirmation(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    ids = lib.images.ids(ImageQuery())[:4]
    lib.curation.trash(ids)
    with qtbot.waitSignal(panel.model.queryApplied):
        panel.trash_toggle.click()
    assert panel.model.query().trashed and panel.trash_bar.isVisibleTo(panel)
    assert panel.model.rowCount() == 4
    keep = select_rows(panel, [0])
    panel.restore_button.click()
    qtbot.waitUntil(lambda: not lib.images.get(keep[0]).trashed_at)
    qtbot.waitUntil(lambda: panel.wait_idle(10) and not panel.model.is_busy())  # the re-read after restoring
    assert panel.model.rowCount() == 3
    asked: list[str] = []
    panel.confirm = lambda title, text: asked.append(text) is not None  # type: ignore[method-assign]
    panel.empty_button.click()
    assert asked and "3" in asked[0]
    panel.confirm = lambda title, text: (asked.append(text), True)[1]  # type: ignore[method-assign]
    panel.empty_button.click()
    # The re-read after emptying; a queryApplied of the earlier restore may still be on its way, so
    # wait for what the trash view shows rather than for the next signal.
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=5000)
    assert lib.images.count(ImageQuery(trashed=True)) == 0
    assert lib.images.count(ImageQuery()) == TOTAL - 3
    assert panel.view.empty_text().startswith("Trash is empty")


def test_new_image_lands_at_top_without_moving_the_view(
    qtbot: QtBot, panel: GalleryPanel, lib: Library, tmp_path: Path
) -> None:  # noqa: F811
    bar = panel.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    qtbot.waitUntil(lambda: panel.model.visible_range()[0] > 0)
    first, _ = panel.view.visible_rows()
    anchor_row = first + panel.view.geometry_now().columns  # a fully visible item
    qtbot.waitUntil(lambda: panel.model.loaded_record(anchor_row) is not None)
    anchor_id = panel.model.loaded_record(anchor_row).id  # type: ignore[union-attr]
    y_before = panel.view.visualRect(panel.model.index(anchor_row)).top()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    job = add_job(lib, scratch, 999)
    new_id = lib.images.of_job(job)[0].id
    with qtbot.waitSignal(panel.model.rowsInserted, timeout=5000):
        panel.notify_image_added(new_id)
    assert panel.model.rowCount() == ROWS + 1
    row = anchor_row + 1
    qtbot.waitUntil(lambda: panel.model.loaded_record(row) is not None)
    assert panel.model.loaded_record(row).id == anchor_id  # type: ignore[union-attr]
    assert panel.view.visualRect(panel.model.index(row)).top() == y_before
    bar.setValue(0)
    qtbot.waitUntil(lambda: panel.model.data(panel.model.index(0), Role.IMAGE_ID) == new_id)


def test_new_image_appears_at_top_when_at_top(qtbot: QtBot, panel: GalleryPanel, lib: Library, tmp_path: Path) -> None:  # noqa: F811
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    new_id = lib.images.of_job(add_job(lib, scratch, 998))[0].id
    panel.notify_image_added(new_id)
    qtbot.waitUntil(lambda: panel.model.data(panel.model.index(0), Role.IMAGE_ID) == new_id)
    assert panel.view.verticalScrollBar().value() == 0


def test_drag_out_carries_real_file_urls_and_ids(qtbot: QtBot, panel: GalleryPanel) -> None:
    ids = select_rows(panel, [0, 1])
    indexes = [panel.model.index(r) for r in panel.view.selected_rows()]
    mime = panel.model.mimeData(indexes)
    urls = mime.urls()
    assert [QUrl.isLocalFile(u) for u in urls] == [True, True]
    assert all(Path(u.toLocalFile()).is_file() for u in urls)
    assert mime.hasFormat(IMAGE_IDS_MIME) and parse_image_ids(mime) == ids
    assert "text/uri-list" in panel.model.mimeTypes()


def test_context_menu_offers_actions_and_emits_requests(qtbot: QtBot, panel: GalleryPanel) -> None:
    select_rows(panel, [0])
    record = panel.current_record()
    assert record is not None
    menu = panel.context_menu(panel.view.visualRect(panel.model.index(0)).center())
    texts = [a.text() for a in menu.actions()]
    for wanted in (
        "Reuse prompt",
        "Reuse all parameters",
        "Use as reference",
        "Extract palette",
        "Copy image",
        "Save as…",
        "Export selection…",
        "Reveal in file manager",
        "Move to trash",
    ):
        assert wanted in texts
    with qtbot.waitSignal(panel.reusePromptRequested) as prompt:
        next(a for a in menu.actions() if a.text() == "Reuse prompt").trigger()
    assert prompt.args == [record.prompt]
    with qtbot.waitSignal(panel.useAsReferenceRequested) as ref:
        next(a for a in menu.actions() if a.text() == "Use as reference").trigger()
    assert ref.args == [str(record.path)]
    with qtbot.waitSignal(panel.extractPaletteRequested):
        next(a for a in menu.actions() if a.text() == "Extract palette").trigger()
    with qtbot.waitSignal(panel.reuseRequestReady, timeout=5000) as ready:
        next(a for a in menu.actions() if a.text() == "Reuse all parameters").trigger()
    assert ready.args[0].prompt == record.prompt


def test_copy_image_puts_pixels_and_url_on_clipboard(qtbot: QtBot, panel: GalleryPanel) -> None:
    from PySide6.QtGui import QGuiApplication

    select_rows(panel, [0])
    panel.copy_image()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasImage()
    assert isinstance(mime.imageData(), QImage) and not mime.imageData().isNull()
    assert mime.urls()[0].toLocalFile() == str(panel.current_record().path)  # type: ignore[union-attr]


def test_export_selection_copies_files_with_metadata(qtbot: QtBot, panel: GalleryPanel, tmp_path: Path) -> None:
    select_rows(panel, [0, 1, 2])
    dest = tmp_path / "exported"
    dest.mkdir()
    messages: list[str] = []
    panel.statusMessage.connect(messages.append)
    panel.export_selection(dest)
    qtbot.waitUntil(lambda: any("Exported 3" in m for m in messages))
    exported = sorted(dest.iterdir())
    assert len(exported) == 3
    assert all(b"wan27" in p.read_bytes() or b"parameters" in p.read_bytes() for p in exported)


def test_tags_are_added_to_the_selection(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    ids = select_rows(panel, [0, 1])
    panel.add_tags(["keeper"])
    qtbot.waitUntil(lambda: all("keeper" in lib.curation.tags_of(i) for i in ids))


def test_unreadable_thumbnail_shows_a_broken_tile(qtbot: QtBot, panel: GalleryPanel) -> None:
    record = panel.model.data(panel.model.index(0), Role.RECORD)
    qtbot.waitUntil(lambda: panel.loader.image(record, 160) is not None)
    panel.loader.forget(record.id)
    record.path.write_bytes(b"not an image")
    thumbs = thumbnail_path(panel.access.get().data_dir, record.sha256, 256)
    if thumbs.exists():
        thumbs.unlink()
    panel.loader.image(record, 160)
    qtbot.waitUntil(lambda: panel.loader.is_broken(record.id))
    assert panel.loader.image(record, 160) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
def test_thumbnails_are_decoded_on_threads_that_give_way_to_the_ui_thread(
    qtbot: QtBot,
    panel: GalleryPanel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wan27_desktop.ui.common import thumbnails

    record = panel.model.data(panel.model.index(0), Role.RECORD)
    qtbot.waitUntil(lambda: panel.loader.image(record, 160) is not None)
    decoded_at: list[int] = []
    real = thumbnails.read_scaled

    def read_scaled(path: Path, px: int) -> QImage:
        decoded_at.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return real(path, px)

    monkeypatch.setattr(thumbnails, "read_scaled", read_scaled)
    panel.loader.forget(record.id)
    qtbot.waitUntil(lambda: panel.loader.image(record, 160) is not None)
    ui_thread = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert decoded_at and all(nice > ui_thread for nice in decoded_at)
