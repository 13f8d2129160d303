"""Box editor: widget <-> original-image mapping (pure) and drawing/moving/resizing by mouse (§3.2)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from wan27_desktop.api.models import Box
from wan27_desktop.ui.generate.box_editor import MARGIN, BoxEditor
from wan27_desktop.ui.generate.box_math import (
    Handle,
    fit_image,
    handle_at,
    moved_box,
    normalised_box,
    resized_box,
    to_image,
    to_widget,
)


def test_fit_letterboxes_a_wide_image() -> None:
    fit = fit_image(4000, 2000, 400, 400)
    assert fit.scale == pytest.approx(0.1)
    assert (fit.x0, fit.y0) == (0, pytest.approx(100))
    assert to_image(fit, 0, 100) == (0, 0)
    assert to_image(fit, 400, 300) == (4000, 2000)
    assert to_image(fit, 200, 200) == (2000, 1000)


def test_fit_with_margin_and_tall_image() -> None:
    fit = fit_image(1000, 2000, 500, 420, margin=10)
    assert fit.scale == pytest.approx(0.2)
    assert fit.x0 == pytest.approx(150) and fit.y0 == pytest.approx(10)


def test_points_outside_the_image_are_clamped() -> None:
    fit = fit_image(800, 600, 400, 300)
    assert to_image(fit, -50, -50) == (0, 0)
    assert to_image(fit, 1000, 1000) == (800, 600)
    assert to_image(fit, -50, -50, clamp=False) == (-100, -100)


@given(
    st.integers(240, 8000),
    st.integers(240, 8000),
    st.integers(100, 2000),
    st.integers(100, 2000),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_image_to_widget_round_trip_is_within_half_a_widget_pixel(
    iw: int, ih: int, ww: int, wh: int, fx: float, fy: float
) -> None:
    fit = fit_image(iw, ih, ww, wh)
    ix, iy = round(fx * iw), round(fy * ih)
    wx, wy = to_widget(fit, ix, iy)
    back = to_image(fit, wx, wy)
    assert back == (ix, iy)
    assert fit.x0 - 1e-6 <= wx <= fit.x0 + fit.shown_w + 1e-6


def test_normalised_box_orders_corners_and_rejects_clicks() -> None:
    assert normalised_box(500, 400, 100, 50, 1000, 1000) == Box(100, 50, 500, 400)
    assert normalised_box(10, 10, 11, 300, 1000, 1000) is None
    assert normalised_box(-20, -20, 2000, 50, 1000, 1000) == Box(0, 0, 1000, 50)


def test_move_keeps_the_box_inside() -> None:
    assert moved_box(Box(10, 10, 110, 60), -50, 5000, 1000, 800) == Box(0, 750, 100, 800)


def test_resize_by_corner_and_crossing_over() -> None:
    box = Box(100, 100, 300, 200)
    assert resized_box(box, Handle.BOTTOM_RIGHT, 400, 250, 1000, 1000) == Box(100, 100, 400, 250)
    assert resized_box(box, Handle.LEFT, 350, 0, 1000, 1000) == Box(300, 100, 350, 200)
    assert resized_box(box, Handle.TOP, 0, 150, 1000, 1000) == Box(100, 150, 300, 200)


def test_handle_hit_testing() -> None:
    fit = fit_image(1000, 1000, 100, 100)  # scale 0.1
    box = Box(200, 200, 600, 600)  # widget 20..60
    assert handle_at(fit, box, 20, 20) is Handle.TOP_LEFT
    assert handle_at(fit, box, 60, 40) is Handle.RIGHT
    assert handle_at(fit, box, 40, 40) is Handle.MOVE
    assert handle_at(fit, box, 90, 90) is None


def make_editor(qtbot: Any, boxes: tuple[Box, ...] = ()) -> BoxEditor:
    editor = BoxEditor(2000, 1000, boxes, "image 1 (test.png)")
    qtbot.addWidget(editor)
    editor.show()
    editor.canvas.setFixedSize(400 + 2 * MARGIN, 200 + 2 * MARGIN)  # scale exactly 0.2
    qtbot.waitUntil(lambda: editor.canvas.width() == 400 + 2 * MARGIN)
    image = QImage(200, 100, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    editor.set_image(image)
    return editor


def drag(qtbot: Any, widget: Any, start: tuple[int, int], end: tuple[int, int]) -> None:
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=QPoint(*start))
    middle = ((start[0] + end[0]) // 2, (start[1] + end[1]) // 2)
    qtbot.mouseMove(widget, QPoint(*middle))
    qtbot.mouseMove(widget, QPoint(*end))
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=QPoint(*end))


def test_drawing_a_box_gives_original_pixel_coordinates(qtbot: Any) -> None:
    editor = make_editor(qtbot)
    fit = editor.canvas.fit()
    assert fit.scale == pytest.approx(0.2)
    drag(qtbot, editor.canvas, (MARGIN + 40, MARGIN + 20), (MARGIN + 140, MARGIN + 120))
    assert editor.boxes() == (Box(200, 100, 700, 600),)
    assert "(200, 100) → (700, 600)" in editor.coords.text()
    assert "500 × 500 px" in editor.coords.text()


def test_at_most_two_boxes_and_a_third_is_refused(qtbot: Any) -> None:
    editor = make_editor(qtbot)
    drag(qtbot, editor.canvas, (MARGIN + 10, MARGIN + 10), (MARGIN + 50, MARGIN + 50))
    drag(qtbot, editor.canvas, (MARGIN + 100, MARGIN + 10), (MARGIN + 150, MARGIN + 50))
    with qtbot.waitSignal(editor.canvas.message, timeout=1000):
        drag(qtbot, editor.canvas, (MARGIN + 200, MARGIN + 100), (MARGIN + 300, MARGIN + 150))
    assert len(editor.boxes()) == 2
    assert "At most 2 boxes" in editor.message.text()


def test_click_without_drag_draws_nothing(qtbot: Any) -> None:
    editor = make_editor(qtbot)
    qtbot.mouseClick(editor.canvas, Qt.MouseButton.LeftButton, pos=QPoint(MARGIN + 60, MARGIN + 60))
    assert editor.boxes() == ()


def test_move_and_resize_by_mouse(qtbot: Any) -> None:
    editor = make_editor(qtbot, (Box(200, 100, 700, 600),))  # widget 40..140 x 20..120 (+MARGIN)
    drag(qtbot, editor.canvas, (MARGIN + 90, MARGIN + 70), (MARGIN + 110, MARGIN + 80))  # move by (20, 10) px
    assert editor.boxes() == (Box(300, 150, 800, 650),)
    drag(qtbot, editor.canvas, (MARGIN + 160, MARGIN + 130), (MARGIN + 200, MARGIN + 150))  # bottom-right corner
    assert editor.boxes() == (Box(300, 150, 1000, 750),)


def test_delete_by_key_and_button(qtbot: Any) -> None:
    editor = make_editor(qtbot, (Box(0, 0, 100, 100), Box(500, 500, 900, 900)))
    editor.canvas.set_selected(0)
    editor.canvas.setFocus()
    qtbot.keyClick(editor.canvas, Qt.Key.Key_Delete)
    assert editor.boxes() == (Box(500, 500, 900, 900),)
    editor.canvas.set_selected(0)
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert editor.boxes() == ()
    assert not editor.delete_button.isEnabled()


def test_arrow_keys_nudge_the_selected_box(qtbot: Any) -> None:
    editor = make_editor(qtbot, (Box(100, 100, 200, 200),))
    editor.canvas.setFocus()
    qtbot.keyClick(editor.canvas, Qt.Key.Key_Right)
    qtbot.keyClick(editor.canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert editor.boxes() == (Box(101, 110, 201, 210),)
