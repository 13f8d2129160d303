# ruff: noqa: F811 - pytest fixtures imported from test_gallery_fixtures are redefined as arguments
"""The viewer opened from the grid: navigation, zoom/pan by mouse, metadata and lineage links, compare."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tests.ui.test_gallery_fixtures import add_job, gallery_data, lib, library_template, panel  # noqa: F401
from wan27_desktop.library import ImageQuery, Library
from wan27_desktop.ui.gallery.model import Role
from wan27_desktop.ui.gallery.panel import GalleryPanel
from wan27_desktop.ui.viewer import zoom as vm
from wan27_desktop.ui.viewer.compare import SIDE, CompareWindow
from wan27_desktop.ui.viewer.window import ImageViewer


def open_row(qtbot: QtBot, panel: GalleryPanel, row: int) -> ImageViewer:
    panel.view.setCurrentIndex(panel.model.index(row))
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    viewer = panel.viewer()
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.record is not None and not viewer.canvas.image.isNull())
    return viewer


def field(viewer: ImageViewer, name: str) -> str:
    label = viewer.metadata.findChild(QLabel, "metadata_" + name)
    return label.text() if label is not None else ""


def test_enter_opens_the_viewer_on_the_current_image(qtbot: QtBot, panel: GalleryPanel) -> None:
    record = panel.model.data(panel.model.index(2), Role.RECORD)
    viewer = open_row(qtbot, panel, 2)
    assert viewer.isVisible() and viewer.record.id == record.id  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: viewer.canvas.image.width() == record.width)  # the full-size file
    assert viewer.metadata.prompt.toPlainText() == record.prompt


def test_next_and_previous_walk_the_grid_and_follow_selection(qtbot: QtBot, panel: GalleryPanel) -> None:
    viewer = open_row(qtbot, panel, 0)
    viewer.next_action.trigger()
    assert viewer.row == 1
    assert viewer.record.id == panel.model.data(panel.model.index(1), Role.IMAGE_ID)  # type: ignore[union-attr]
    assert panel.view.currentIndex().row() == 1
    viewer.previous_action.trigger()
    assert viewer.row == 0 and not viewer.previous_action.isEnabled()


def test_wheel_zooms_around_the_cursor_and_drag_pans(qtbot: QtBot, panel: GalleryPanel) -> None:
    viewer = open_row(qtbot, panel, 0)
    canvas = viewer.canvas
    viewer.resize(1000, 700)
    qtbot.waitUntil(lambda: canvas.width() > 300)
    canvas.fit()
    canvas.zoom_by(20)  # larger than the view, so the zoom is not re-centred by the clamp
    scale = canvas.state.scale
    cursor = QPointF(canvas.width() / 2 + 20, canvas.height() / 2 + 10)
    before = vm.image_point(canvas.state, cursor.x(), cursor.y())
    event = QWheelEvent(
        cursor,
        canvas.mapToGlobal(cursor),
        QPoint(),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, event)
    assert canvas.state.scale == pytest.approx(scale * vm.WHEEL_STEP**2)
    assert vm.image_point(canvas.state, cursor.x(), cursor.y()) == pytest.approx(before, abs=0.5)
    start = canvas.state
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    qtbot.mouseMove(canvas, QPoint(280, 290))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(280, 290))
    assert (canvas.state.offset_x, canvas.state.offset_y) == pytest.approx((start.offset_x - 20, start.offset_y - 10))
    viewer.actual_action.trigger()
    assert canvas.zoom_percent() == pytest.approx(100)
    viewer.fit_action.trigger()
    assert canvas.fitting


def test_metadata_shows_parameters_ids_cost_and_dates(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    record = panel.model.data(panel.model.index(0), Role.RECORD)
    lib.jobs.update(record.job_id, task_id="task-123", request_id="req-456")
    viewer = open_row(qtbot, panel, 0)
    qtbot.waitUntil(lambda: viewer.metadata.job is not None)
    assert field(viewer, "seed") == str(record.seed)
    assert field(viewer, "task_id") == "task-123" and field(viewer, "request_id") == "req-456"
    assert field(viewer, "actual_size") == f"{record.width} × {record.height} px"
    assert field(viewer, "size") == viewer.metadata.job.request_json["parameters"]["size"]  # type: ignore[union-attr]
    assert "0.30" in field(viewer, "cost") and field(viewer, "created")
    with qtbot.waitSignal(viewer.metadata.copyPromptRequested) as copied:
        viewer.metadata.copy_button.click()
    assert copied.args == [record.prompt] and QApplication.clipboard().text() == record.prompt


def test_lineage_links_references_and_derived_images(
    qtbot: QtBot, panel: GalleryPanel, lib: Library, tmp_path: Path
) -> None:  # noqa: F811
    edited = lib.images.query(ImageQuery(with_references=True), 0, 1)[0]
    source = lib.images.get(lib.images.ids(ImageQuery(with_references=False))[0])
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    child_job = add_job(lib, scratch, 777, refs=[source.path])  # an image made from `source`
    child = lib.images.of_job(child_job)[0]
    viewer = ImageViewer(panel.model, panel.worker, panel.loader)
    qtbot.addWidget(viewer)
    viewer.show_record(edited)
    qtbot.waitUntil(lambda: len(viewer.metadata.inputs) == 2 and len(viewer.metadata.lineage_buttons()) >= 2)
    buttons = [b for b in viewer.metadata.lineage_buttons() if str(b.property("lineageKey")) in viewer.metadata.inputs]
    assert len(buttons) == 2
    with qtbot.waitSignal(viewer.metadata.referenceClicked) as clicked:
        qtbot.mouseClick(buttons[1], Qt.MouseButton.LeftButton)
    assert clicked.args == [viewer.metadata.inputs[1]] and Path(clicked.args[0]).is_file()
    viewer.show_record(source)
    qtbot.waitUntil(lambda: [d.id for d in viewer.metadata.derived] == [child.id])
    derived = next(b for b in viewer.metadata.lineage_buttons() if b.property("lineageKey") == f"id:{child.id}")
    with qtbot.waitSignal(viewer.metadata.derivedClicked) as chosen:
        qtbot.mouseClick(derived, Qt.MouseButton.LeftButton)
    assert chosen.args == [child.id]
    qtbot.waitUntil(lambda: viewer.record is not None and viewer.record.id == child.id)
    viewer.loader.wait()


def test_full_screen_toggles(qtbot: QtBot, panel: GalleryPanel) -> None:
    viewer = open_row(qtbot, panel, 0)
    viewer.fullscreen_action.trigger()
    qtbot.waitUntil(viewer.isFullScreen)
    viewer.fullscreen_action.trigger()
    qtbot.waitUntil(lambda: not viewer.isFullScreen())


def test_compare_loads_both_images_and_switches_modes(qtbot: QtBot, panel: GalleryPanel) -> None:
    left, right = (panel.model.data(panel.model.index(r), Role.RECORD) for r in (0, 1))
    window = CompareWindow(left, right)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.view.images[0].isNull() and not window.view.images[1].isNull())
    window.slider.setValue(250)
    assert window.view.split == pytest.approx(0.25)
    window.side.click()
    assert window.view.mode == SIDE and not window.slider.isEnabled()
    panes = window.view.panes()
    assert panes[0].right() < panes[1].left()
    window.loader.wait()
