# ruff: noqa: F811 - pytest fixtures imported from test_gallery_fixtures are redefined as arguments
"""The viewer opened from the grid: navigation, zoom/pan by mouse, metadata and lineage links, compare."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QToolButton
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
    assert field(viewer, "requested_size") == viewer.metadata.job.request_json["parameters"]["size"]  # type: ignore[union-attr]
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


def test_escape_closes_the_viewer_and_close_is_on_the_toolbar(qtbot: QtBot, panel: GalleryPanel) -> None:
    viewer = open_row(qtbot, panel, 0)
    close = viewer.toolbar.widgetForAction(viewer.close_action)
    assert close is not None and close.isVisible() and close.accessibleName() == "Close"
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)  # a window shortcut fires in the active window
    viewer.canvas.setFocus()
    qtbot.keyClick(viewer.canvas, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not viewer.isVisible())
    viewer = open_row(qtbot, panel, 1)
    qtbot.mouseClick(viewer.toolbar.widgetForAction(viewer.close_action), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not viewer.isVisible())


def test_every_toolbar_button_has_an_icon_a_name_and_a_tooltip(qtbot: QtBot, panel: GalleryPanel) -> None:
    viewer = open_row(qtbot, panel, 0)
    actions = [a for a in viewer.toolbar.actions() if not a.isSeparator() and a.objectName().startswith("viewer")]
    assert len(actions) >= 12
    for action in actions:
        button = viewer.toolbar.widgetForAction(action)
        assert not action.icon().isNull(), action.objectName()
        assert action.toolTip() and button is not None and button.accessibleName(), action.objectName()
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus, action.objectName()
    assert viewer.next_action.toolTip() == "Next image (Right)"


def test_the_backdrop_is_neutral_dark_in_a_light_theme(qtbot: QtBot, panel: GalleryPanel) -> None:
    viewer = open_row(qtbot, panel, 0)
    viewer.resize(1200, 800)
    qtbot.waitUntil(lambda: viewer.canvas.width() > 400)
    corner = viewer.canvas.grab().toImage().pixelColor(2, 2)
    assert corner.red() == corner.green() == corner.blue() < 60  # grey, dark


def test_ids_path_and_prompt_have_copy_buttons(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    record = panel.model.data(panel.model.index(0), Role.RECORD)
    lib.jobs.update(record.job_id, task_id="task-" + "7" * 40, request_id="req-" + "9" * 40)
    viewer = open_row(qtbot, panel, 0)
    qtbot.waitUntil(lambda: viewer.metadata.job is not None)
    names = {button.objectName() for button in viewer.metadata.copy_buttons()}
    assert names == {"copyPromptButton", "copy_request_id", "copy_task_id", "copy_file"}
    for button in viewer.metadata.copy_buttons():
        assert button.accessibleName().startswith("Copy ") and button.focusPolicy() & Qt.FocusPolicy.TabFocus
    button = viewer.metadata.findChild(QToolButton, "copy_task_id")
    with qtbot.waitSignal(viewer.metadata.copied):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "task-" + "7" * 40  # the whole id, though elided on screen
    qtbot.mouseClick(viewer.metadata.findChild(QToolButton, "copy_file"), Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == str(record.path)


def test_cost_reads_like_money_and_usage_as_fields(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    record = panel.model.data(panel.model.index(0), Role.RECORD)
    lib.jobs.update(record.job_id, cost="0.562065", usage={"image_count": 1, "size": "2048*2048", "input_tokens": 12})
    viewer = open_row(qtbot, panel, 0)
    qtbot.waitUntil(lambda: viewer.metadata.job is not None and field(viewer, "usage_image_count") != "")
    assert field(viewer, "cost") == "¥0.56"
    assert (field(viewer, "usage_image_count"), field(viewer, "usage_size"), field(viewer, "usage_input_tokens")) == (
        "1",
        "2048*2048",
        "12",
    )
    labels = [
        viewer.metadata.form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget().text()
        for row in range(viewer.metadata.form.rowCount())
        if viewer.metadata.form.itemAt(row, QFormLayout.ItemRole.LabelRole) is not None
    ]
    assert "Size" not in labels and labels.count("Requested size") == 1  # said once
    assert not any("{" in field(viewer, key) for key in ("usage_image_count", "cost"))


@pytest.mark.parametrize("width", [900, 1000, 1100, 1280, 1600])
def test_the_details_fit_their_panel_at_every_width(
    qtbot: QtBot, panel: GalleryPanel, lib: Library, width: int
) -> None:  # noqa: F811
    record = panel.model.data(panel.model.index(0), Role.RECORD)
    lib.jobs.update(record.job_id, task_id="task-" + "7" * 40, request_id="req-" + "9" * 40, cost="0.56")
    viewer = open_row(qtbot, panel, 0)
    qtbot.waitUntil(lambda: viewer.metadata.job is not None)
    viewer.resize(width, 760)
    QApplication.processEvents()
    details = viewer.metadata
    qtbot.waitUntil(lambda: details.viewport().width() > 0)
    body = details.widget()
    assert body.minimumSizeHint().width() <= details.viewport().width(), "the details ask for more width than they get"
    assert body.width() <= details.viewport().width()
    for label in body.findChildren(QLabel):
        if label.isVisible() and label.objectName().startswith("metadata_"):
            right = label.mapTo(details.viewport(), label.rect().topRight()).x()
            assert right <= details.viewport().width(), label.objectName()
            # What cannot wrap (an id, a path, a hash) must fit as shown: elided, never cut off.
            widest = max((label.fontMetrics().horizontalAdvance(w) for w in label.text().split()), default=0)
            assert widest <= label.contentsRect().width(), (label.objectName(), label.text())


def test_a_full_size_request_superseded_while_queued_is_never_decoded(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stage asks for every newest result of a batch as it lands; only the latest is shown.
    import threading

    from PySide6.QtGui import QColor, QImage

    from wan27_desktop.jobs.background import POOL_SIZES, named_pool
    from wan27_desktop.jobs.mailbox import Mailbox
    from wan27_desktop.ui.viewer import canvas

    paths = []
    for number in range(3):
        image = QImage(64, 48, QImage.Format.Format_RGB32)
        image.fill(QColor(40 * number, 90, 160))
        path = tmp_path / f"full-{number}.png"
        assert image.save(str(path))
        paths.append(str(path))
    decoded: list[str] = []
    real_reader = canvas.path_reader
    monkeypatch.setattr(canvas, "path_reader", lambda path: (decoded.append(path), real_reader(path))[1])
    release = threading.Event()
    busy = POOL_SIZES["viewer"]
    started = threading.Semaphore(0)
    pool = named_pool("viewer")
    for _ in range(busy):  # every viewer thread busy: the loads below queue
        pool.start(lambda: (started.release(), release.wait(10)))
    for _ in range(busy):
        assert started.acquire(timeout=10)
    loader = canvas.AsyncImageLoader()
    shown: list[tuple[str, int]] = []
    loader.loaded.connect(lambda slot, image: shown.append((slot, image.width())))
    for path in paths:
        loader.load(path, "stage")
    release.set()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert loader.wait(10_000)
    Mailbox.instance().drain()  # every result posted so far is delivered (only the latest shows)
    assert shown == [("stage", 64)] and decoded == [paths[-1]]


def test_a_load_with_a_fit_decodes_scaled_to_that_box(qtbot: QtBot, tmp_path: Path) -> None:
    """The stage's large preview asks for its pane's size, not for every pixel of a 4K result."""
    from PySide6.QtGui import QColor, QImage

    from wan27_desktop.ui.viewer import canvas

    path = tmp_path / "wide.png"
    image = QImage(1000, 600, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    assert image.save(str(path))
    loader = canvas.AsyncImageLoader()
    shown: list[tuple[str, int, int]] = []
    loader.loaded.connect(lambda slot, got: shown.append((slot, got.width(), got.height())))
    loader.load(str(path), "preview", fit_px=256)
    loader.load(str(path), "full")
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10_000)
    assert sorted(shown) == [("full", 1000, 600), ("preview", 256, 154)]


def test_background_loads_give_way_to_the_ui_thread_and_the_viewers_do_not(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stage's previews (nobody waits) run at a lower OS priority on their own pool; the viewer's
    decodes (a person waits) keep theirs."""
    import threading

    from PySide6.QtGui import QColor, QImage

    from wan27_desktop import thread_priority
    from wan27_desktop.ui.viewer import canvas

    path = tmp_path / "small.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    assert image.save(str(path))
    lowered: list[str] = []
    monkeypatch.setattr(
        thread_priority, "lower_current_thread", lambda: lowered.append(threading.current_thread().name)
    )
    shown: list[str] = []
    for background, slot in ((False, "viewer"), (True, "stage")):
        loader = canvas.AsyncImageLoader(background=background)
        loader.loaded.connect(lambda got_slot, _image: shown.append(got_slot))
        loader.load(str(path), slot, fit_px=32)
        qtbot.waitUntil(lambda slot=slot: slot in shown, timeout=10_000)
    assert shown == ["viewer", "stage"] and len(lowered) == 1
    assert lowered[0] != threading.main_thread().name
