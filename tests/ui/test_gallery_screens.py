# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""The gallery's looks, rendered offscreen: the grid with image-set stacks, an opened set, the trash,
the empty library, and the whole main window at 1280x800 (the filter bar must leave the generation
panel its room). With WAN27_WRITE_SCREENSHOTS=1 the gallery grabs are saved as
resources/screenshots/gallery_*.png and trash.png (for README); otherwise into tmp_path, so a plain
test run never changes the repository. Each test also asserts what the state must show."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPalette, QRadialGradient
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.main_window_support import make_window, notifier, screenshot_dir  # noqa: F401 - fixtures
from tests.ui.test_gallery_fixtures import request_json
from wan27_desktop import i18n
from wan27_desktop.library import ImageQuery, JobState, Library
from wan27_desktop.ui.gallery.model import Role
from wan27_desktop.ui.gallery.panel import GalleryPanel

PANEL_SIZE = (1200, 760)  # the gallery's share of a 1280x800 window, like the earlier shots
WINDOW_SIZE = (1280, 800)
FILTER_BAR_BUDGET = 480  # px: the generation panel needs the rest of a 1280 px window


@pytest.fixture
def shots(tmp_path: Path, qapp: QApplication) -> Iterator[Path]:
    target = screenshot_dir(tmp_path)
    if target == tmp_path:
        yield tmp_path
        return
    i18n.install_translators(qapp, "en")  # README pictures say "12 images", not "12 image(s)"
    yield target
    i18n.uninstall_translators(qapp)


def bokeh_png(path: Path, seed: int, width: int, height: int) -> Path:
    """A soft gradient with out-of-focus lights: reads as a photo at thumbnail size."""
    rng = random.Random(seed)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    hue = rng.randrange(360)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0, QColor.fromHsv(hue, 150, 230))
    gradient.setColorAt(1, QColor.fromHsv((hue + rng.randrange(40, 140)) % 360, 190, 130))
    painter.fillRect(image.rect(), gradient)
    painter.setPen(Qt.PenStyle.NoPen)
    for _ in range(9):
        radius = rng.uniform(0.06, 0.2) * min(width, height) * 2
        centre = QPointF(rng.uniform(0, width), rng.uniform(0, height))
        light = QRadialGradient(centre, radius)
        color = QColor.fromHsv(rng.randrange(360), 170, 255, 190)
        light.setColorAt(0, color)
        color.setAlpha(0)
        light.setColorAt(1, color)
        painter.setBrush(light)
        painter.drawEllipse(centre, radius, radius)
    painter.end()
    assert image.save(str(path), "PNG")
    return path


SHAPES = [(384, 256), (256, 384), (320, 320), (384, 256), (384, 216)]
PROMPTS = [
    "a lighthouse on a cliff at dusk",
    "paper boats on a rainy street, macro",
    "a fox in fresh snow",
    "isometric tiny greenhouse",
    "a cosy reading nook with a cat",
    "neon signs reflected in puddles",
    "a red kite over a grey beach",
    "watercolour city skyline",
]


def land(lib: Library, scratch: Path, number: int, *, n: int = 1, sequential: bool = False) -> list[int]:
    prompt = PROMPTS[number % len(PROMPTS)] + (" — four-panel story" if sequential else "")
    body = request_json(prompt, n=n, seed=number, sequential=sequential)
    job_id = lib.jobs.create(
        body,
        model="wan2.7-image-pro",
        request_mode="sync",
        region="sg",
        endpoint="http://127.0.0.1/api/v1",
        n=n,
        estimated_cost="0.56",
    )
    ids = []
    for index in range(n):
        width, height = SHAPES[(number + index) % len(SHAPES)]
        src = bokeh_png(scratch / f"{number}-{index}.png", number * 31 + index, width, height)
        ids.append(lib.images.add(job_id, None, index, src, metadata={"seed": number}).id)
    return ids


@pytest.fixture
def showcase(tmp_path: Path) -> tuple[Path, dict[str, list[int]]]:
    """30 single images and three image sets (4, 3 and 5 images) among the newest, a few rated."""
    data = tmp_path / "showcase"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    made: dict[str, list[int]] = {"singles": []}
    with Library.open(data) as lib:
        for number in range(30):
            made["singles"] += land(lib, scratch, number)
            if number == 22:
                made["set5"] = land(lib, scratch, 100, n=5, sequential=True)
            if number == 26:
                made["set3"] = land(lib, scratch, 101, n=3, sequential=True)
        made["set4"] = land(lib, scratch, 102, n=4, sequential=True)
        made["singles"] += land(lib, scratch, 30)
        lib.curation.set_rating(made["singles"][-3:-1], 5)
        lib.curation.set_rating(made["singles"][20:22], 3)
        lib.curation.set_favourite([made["singles"][-2], made["set3"][0]], True)
    return data, made


def settle(qtbot: QtBot, panel: GalleryPanel) -> None:
    """No query, page or thumbnail work pending: what is on screen is final."""
    qtbot.waitUntil(lambda: panel.model.is_loaded() and not panel.model.is_busy(), timeout=10_000)
    qtbot.waitUntil(lambda: panel.wait_idle(50) and panel.loader.pending_count() == 0, timeout=20_000)
    first, last = panel.view.visible_rows()
    qtbot.waitUntil(
        lambda: all(panel.model.loaded_record(r) is not None for r in range(first, last + 1)), timeout=10_000
    )
    panel.grab()  # a paint asks for the thumbnails of every tile on screen
    qtbot.waitUntil(lambda: panel.loader.pending_count() == 0, timeout=20_000)
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def grab(widget: Any, path: Path, size: tuple[int, int]) -> QImage:
    widget.resize(*size)
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    image = widget.grab().toImage()
    assert (image.width(), image.height()) == (size[0] * image.devicePixelRatio(), size[1] * image.devicePixelRatio())
    assert image.save(str(path), "PNG")
    return image


@pytest.fixture
def shown(qtbot: QtBot, showcase: tuple[Path, dict[str, list[int]]], shots: Path) -> Iterator[GalleryPanel]:
    # `shots` first: with WAN27_WRITE_SCREENSHOTS the translators are installed before the panel is built.
    panel = GalleryPanel(showcase[0])
    qtbot.addWidget(panel)
    panel.resize(*PANEL_SIZE)
    panel.show()
    qtbot.waitExposed(panel)
    settle(qtbot, panel)
    panel.view.setFocus()
    yield panel
    panel.shutdown()


def badge_rows(panel: GalleryPanel) -> dict[int, Any]:
    return {
        row: panel.model.data(panel.model.index(row), Role.SET_BADGE)
        for row in range(panel.model.rowCount())
        if panel.model.data(panel.model.index(row), Role.SET_BADGE) is not None
    }


def test_grid_shows_each_image_set_as_one_stack(
    qtbot: QtBot, shown: GalleryPanel, shots: Path, showcase: tuple[Path, dict[str, list[int]]]
) -> None:
    made = showcase[1]
    assert shown.model.rowCount() == 31 + 3  # 31 single images, three stacks
    assert shown.model.image_count() == 31 + 12
    stacks = badge_rows(shown)
    assert sorted(b.size for b in stacks.values()) == [3, 4, 5]
    assert all(not b.expanded and b.position == 1 for b in stacks.values())
    assert {shown.model.loaded_record(r).id for r in stacks} == {
        made["set4"][0],
        made["set3"][0],  # type: ignore[union-attr]
        made["set5"][0],
    }
    shown.view.setCurrentIndex(shown.model.index(2))
    settle(qtbot, shown)
    grab(shown, shots / "gallery_grid.png", PANEL_SIZE)


def test_badge_click_opens_the_set_in_place_and_again_closes_it(
    qtbot: QtBot, shown: GalleryPanel, shots: Path, showcase: tuple[Path, dict[str, list[int]]]
) -> None:
    made = showcase[1]
    row = next(r for r, b in badge_rows(shown).items() if b.size == 5)
    before = [shown.model.loaded_record(r).id for r in range(row + 1)]  # type: ignore[union-attr]
    rect = shown.view.visualRect(shown.model.index(row))
    badge = shown.delegate.set_badge_rect(rect, shown.view.font(), shown.model.set_badge(row))  # type: ignore[arg-type]
    y_of_stack = rect.top()
    with qtbot.waitSignal(shown.model.rowsInserted, timeout=5000):
        qtbot.mouseClick(shown.view.viewport(), Qt.MouseButton.LeftButton, pos=badge.center().toPoint())
    assert shown.model.rowCount() == 34 + 4
    assert [shown.model.loaded_record(r).id for r in range(row + 1)] == before  # type: ignore[union-attr]
    assert [shown.model.loaded_record(r).id for r in range(row, row + 5)] == made["set5"]  # type: ignore[union-attr]
    assert shown.view.visualRect(shown.model.index(row)).top() == y_of_stack
    settle(qtbot, shown)
    assert [shown.model.set_badge(r).position for r in range(row, row + 5)] == [1, 2, 3, 4, 5]  # type: ignore[union-attr]
    grab(shown, shots / "gallery_stack_expanded.png", PANEL_SIZE)
    with qtbot.waitSignal(shown.model.rowsRemoved, timeout=5000):
        qtbot.mouseClick(shown.view.viewport(), Qt.MouseButton.LeftButton, pos=badge.center().toPoint())
    assert shown.model.rowCount() == 34
    assert shown.model.set_badge(row) is not None and not shown.model.set_badge(row).expanded  # type: ignore[union-attr]


def test_trash_shows_every_image_of_a_trashed_stack(
    qtbot: QtBot, shown: GalleryPanel, shots: Path, showcase: tuple[Path, dict[str, list[int]]]
) -> None:
    made = showcase[1]
    row = next(r for r, b in badge_rows(shown).items() if b.size == 4)
    shown.view.setCurrentIndex(shown.model.index(row))
    qtbot.keyClick(shown.view, Qt.Key.Key_Delete)  # a closed stack: its whole set goes
    assert shown.model.rowCount() == 33
    with Library.open(showcase[0], reconcile=False) as lib:
        qtbot.waitUntil(lambda: lib.images.count(ImageQuery(trashed=True)) == 4)
        lib.curation.trash(made["singles"][3:5])
    assert "4" in shown.undo_label.text()
    with qtbot.waitSignal(shown.model.queryApplied, timeout=5000):
        shown.trash_toggle.click()
    settle(qtbot, shown)
    assert shown.model.rowCount() == 6 and badge_rows(shown) == {}  # the trash never stacks
    grab(shown, shots / "trash.png", PANEL_SIZE)


def test_empty_library_says_what_to_do(
    qtbot: QtBot, tmp_path: Path, shots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # the path reads like a real one: ~/.local/share/…
    data = tmp_path / ".local" / "share" / "Wan27Desktop"
    panel = GalleryPanel(data)
    qtbot.addWidget(panel)
    panel.resize(*PANEL_SIZE)
    panel.show()
    settle(qtbot, panel)
    text = panel.view.empty_text()
    assert "Ctrl+Enter" in text and "~/.local/share/Wan27Desktop/library" in text
    assert panel.view.empty_state.isVisible()
    assert not panel.view.empty_state.button.isVisibleTo(panel)  # nothing to clear
    grab(panel, shots / "gallery_empty.png", PANEL_SIZE)
    panel.shutdown()


def test_the_grid_paints_on_the_base_colour_like_a_qt_viewport(qtbot: QtBot, tmp_path: Path) -> None:
    """The view makes its own viewport (asking Qt for its made one is slow in PySide the first time):
    it must look like Qt's, the palette's Base behind the tiles and the empty state."""
    panel = GalleryPanel(tmp_path / "data")
    qtbot.addWidget(panel)
    panel.resize(*PANEL_SIZE)
    panel.show()
    settle(qtbot, panel)
    viewport = panel.view.viewport()
    assert panel.view.empty_state.parentWidget() is viewport
    assert viewport.backgroundRole() == QPalette.ColorRole.Base and viewport.autoFillBackground()
    corner = viewport.grab().toImage().pixelColor(4, 4)
    assert corner == viewport.palette().color(QPalette.ColorRole.Base)
    assert corner != panel.palette().color(QPalette.ColorRole.Window)  # not the window's colour
    panel.shutdown()


def _tiles_painted_by_qt(panel: GalleryPanel, rows: list[int]) -> dict[int, QImage]:
    """Each row's tile as Qt's own item painting draws it: the delegate's `paint` with an option
    from the view, on the viewport's background (what the view's fast path must match)."""
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    view = panel.view
    base = view.viewport().palette().color(QPalette.ColorRole.Base)
    tiles = {}
    for row in rows:
        index = panel.model.index(row)
        rect = view.visualRect(index)
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = rect.translated(-rect.topLeft())
        if view.selectionModel().isSelected(index):
            option.state |= QStyle.StateFlag.State_Selected
        if view.hasFocus() and index == view.currentIndex():
            option.state |= QStyle.StateFlag.State_HasFocus
        image = QImage(rect.size(), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(base)
        painter = QPainter(image)
        painter.setFont(view.viewport().font())
        panel.delegate.paint(painter, option, index)
        painter.end()
        tiles[row] = image
    return tiles


def test_the_grid_paints_every_tile_as_the_delegate_paints_it_for_qt(qtbot: QtBot, shown: GalleryPanel) -> None:
    """The view paints tiles straight from the model with shared colours and scratch rects (each
    temporary Qt object costs the UI thread a GIL hand-off); Qt's per-item path builds everything per
    tile. Both must draw the same pixels: stacks, ratings, a favourite, a selection of separate rows,
    the focused current row, and again after a theme change."""
    from PySide6.QtCore import QItemSelectionModel

    view = shown.view
    stacks = badge_rows(shown)
    rows = [*sorted(stacks), 0, 1, 2, 3, 5]
    select = QItemSelectionModel.SelectionFlag.Select
    view.selectionModel().select(shown.model.index(1), select)
    view.selectionModel().select(shown.model.index(3), select)
    view.selectionModel().setCurrentIndex(shown.model.index(5), QItemSelectionModel.SelectionFlag.NoUpdate)
    view.setFocus()
    settle(qtbot, shown)
    palette = QPalette(shown.palette())
    for theme in ("as is", "dark highlight"):
        if theme == "dark highlight":
            palette.setColor(QPalette.ColorRole.Highlight, QColor("#8b008b"))
            palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#203040"))
            shown.setPalette(palette)
            settle(qtbot, shown)
        visible = [r for r in rows if view.visualRect(shown.model.index(r)).bottom() < view.viewport().height()]
        assert len(visible) >= 6 and any(r in stacks for r in visible), visible
        grid = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        for row, expected in _tiles_painted_by_qt(shown, visible).items():
            rect = view.visualRect(shown.model.index(row))
            assert grid.copy(rect) == expected, f"row {row} ({theme}) differs from Qt's item painting"
        selected = grid.pixelColor(view.visualRect(shown.model.index(1)).topLeft() + QPoint(5, 40))
        assert selected == palette.color(QPalette.ColorRole.Highlight)  # the selection ring, in this theme


def test_a_set_badge_is_clicked_where_it_is_painted(qtbot: QtBot, shown: GalleryPanel) -> None:
    """The click target of every set badge on screen is the pill the grid painted: inside its edges
    the pixels are the badge's colour, just outside them they are not (a larger font too)."""
    view = shown.view
    stacks = badge_rows(shown)
    for point_size in (None, 15):
        if point_size is not None:
            font = view.font()
            font.setPointSize(point_size)
            view.setFont(font)
            settle(qtbot, shown)
        grid = view.viewport().grab().toImage()
        badge_colour = view.palette().color(QPalette.ColorRole.Highlight)
        shown_rows = [r for r in stacks if view.visualRect(shown.model.index(r)).bottom() < view.viewport().height()]
        assert shown_rows
        for row in shown_rows:
            rect = view.visualRect(shown.model.index(row))
            box = shown.delegate.set_badge_rect(rect, view.font(), stacks[row]).toAlignedRect()
            middle = box.center().y()
            # The pill's ends are round: probe its middle row, 4 px in from and 2 px out of each end.
            assert grid.pixelColor(box.left() + 4, middle) == badge_colour, (row, point_size)
            assert grid.pixelColor(box.right() - 4, middle) == badge_colour, (row, point_size)
            assert grid.pixelColor(box.left() - 2, middle) != badge_colour, (row, point_size)
            assert grid.pixelColor(box.right() + 2, middle) != badge_colour, (row, point_size)
            assert view.set_badge_at(box.center()) == row
            assert view.set_badge_at(QPoint(box.right() + 3, middle)) == -1


def test_filter_bar_leaves_the_generation_panel_its_room(qtbot: QtBot, make_window: Any, tmp_path: Path) -> None:
    window = make_window()
    window.resize(*WINDOW_SIZE)
    gallery = window.gallery
    assert gallery is not None
    settle(qtbot, gallery)
    bar = gallery.filters
    assert bar.minimumSizeHint().width() <= FILTER_BAR_BUDGET
    # Every control of the bar is on screen at 1280 px, none squeezed below its own minimum.
    for widget in (bar.search, bar.sort, bar.more, gallery.trash_toggle, bar.count_label, bar.slider):
        assert widget.isVisible() and widget.width() >= widget.minimumSizeHint().width(), widget.objectName()
    assert window.generation.width() >= 400
    grab(window, tmp_path / "main_gallery_1280.png", WINDOW_SIZE)  # to look at; not a README picture


def test_the_viewer_shows_one_image_with_its_details(
    qtbot: QtBot, shown: GalleryPanel, shots: Path, showcase: tuple[Path, dict[str, list[int]]]
) -> None:
    row = next(r for r in range(shown.model.rowCount()) if shown.model.set_badge(r) is None)
    record = shown.model.loaded_record(row)
    assert record is not None
    with Library.open(showcase[0], reconcile=False) as lib:
        lib.jobs.update(
            record.job_id,
            task_id="0385dc79-5ff8-4d82-bcb6-8f2e1a0ee9c1",
            request_id="7574ee8f-38a3-4b1e-9280-11c33ab46e45",
            cost="0.562065",
            usage={"image_count": 1, "size": "2048*2048"},
            state=JobState.DONE,  # its image landed: the job is done, as in real use
        )
    shown.open_viewer(row)
    viewer = shown.viewer()
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.metadata.job is not None and not viewer.canvas.image.isNull(), timeout=10_000)
    qtbot.waitUntil(lambda: not viewer.canvas._preview, timeout=10_000)  # the full image, not the thumbnail
    viewer.canvas.fit()
    grab(viewer, shots / "viewer.png", (1200, 760))
    viewer.close()


def test_compare_shows_two_images_side_by_side(qtbot: QtBot, shown: GalleryPanel, shots: Path) -> None:
    from wan27_desktop.ui.viewer.compare import CompareWindow

    first, second = (shown.model.loaded_record(r) for r in (3, 4))
    assert first is not None and second is not None
    window = CompareWindow(first, second, parent=shown)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not any(image.isNull() for image in window.view.images), timeout=10_000)
    grab(window, shots / "compare.png", (1200, 700))
    window.close()
