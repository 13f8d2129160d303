"""Zoom/pan arithmetic of the viewer and compare view."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wan27_desktop.ui.viewer import zoom as vm

scales = st.floats(min_value=0.05, max_value=20)
coords = st.floats(min_value=-5000, max_value=5000)
factors = st.floats(min_value=0.2, max_value=5)


def test_fit_shrinks_large_images_and_never_enlarges_small_ones() -> None:
    assert vm.fit_scale(4000, 2000, 1000, 800) == pytest.approx(0.25)
    assert vm.fit_scale(200, 100, 1000, 800) == 1.0
    assert vm.fit_scale(200, 100, 1000, 800, upscale=True) == pytest.approx(5.0)
    state = vm.fit(4000, 2000, 1000, 800)
    assert (state.offset_x, state.offset_y) == (0, pytest.approx(150))


def test_actual_size_is_one_image_pixel_per_device_pixel() -> None:
    assert vm.actual_size(100, 100, 50, 50).scale == 1.0
    assert vm.actual_size(100, 100, 50, 50, device_pixel_ratio=2.0).scale == 0.5


@given(scales, coords, coords, factors, coords, coords)
def test_zoom_about_keeps_the_point_under_the_cursor(
    scale: float, ox: float, oy: float, factor: float, ax: float, ay: float
) -> None:
    state = vm.ViewState(scale, ox, oy)
    before = vm.image_point(state, ax, ay)
    after_state = vm.zoom_about(state, factor, ax, ay)
    if vm.MIN_SCALE < scale * factor < vm.MAX_SCALE:
        assert after_state.scale == pytest.approx(scale * factor)
    assert vm.image_point(after_state, ax, ay) == pytest.approx(before, abs=1e-6)


def test_zoom_is_clamped() -> None:
    assert vm.zoom_about(vm.ViewState(30, 0, 0), 10, 0, 0).scale == vm.MAX_SCALE
    assert vm.zoom_about(vm.ViewState(0.03, 0, 0), 0.1, 0, 0).scale == vm.MIN_SCALE


def test_wheel_notches_compose() -> None:
    assert vm.wheel_factor(120) == pytest.approx(vm.WHEEL_STEP)
    assert vm.wheel_factor(-120) * vm.wheel_factor(120) == pytest.approx(1.0)
    assert vm.wheel_factor(60) ** 2 == pytest.approx(vm.wheel_factor(120))


def test_pan_moves_and_clamp_keeps_image_in_view() -> None:
    state = vm.pan(vm.ViewState(2.0, 0, 0), -50, 30)
    assert (state.offset_x, state.offset_y) == (-50, 30)
    # 1000x1000 image at 2x in a 800x600 view: offsets stay within [view - content, 0].
    clamped = vm.clamp_offset(vm.ViewState(2.0, 500, -5000), 1000, 1000, 800, 600)
    assert (clamped.offset_x, clamped.offset_y) == (0, 600 - 2000)
    small = vm.clamp_offset(vm.ViewState(0.1, 300, -300), 1000, 1000, 800, 600)
    assert (small.offset_x, small.offset_y) == (350, 250)  # smaller than the view: centred


@given(scales, coords, coords, st.floats(0, 4000), st.floats(0, 4000))
def test_view_and_image_points_are_inverse(scale: float, ox: float, oy: float, x: float, y: float) -> None:
    state = vm.ViewState(scale, ox, oy)
    assert vm.image_point(state, *vm.view_point(state, x, y)) == pytest.approx((x, y), abs=1e-6)


@given(st.floats(0.1, 10), coords, coords, factors, st.floats(0, 800), st.floats(0, 600))
def test_compare_zoom_keeps_the_anchor_for_any_image_fit(
    zoom: float, px: float, py: float, factor: float, ax: float, ay: float
) -> None:
    centre = (400.0, 300.0)
    for base in (vm.fit(4000, 3000, 800, 600), vm.fit(500, 1000, 800, 600)):
        state = vm.relative_state(base, zoom, px, py, *centre)
        before = vm.image_point(state, ax, ay)
        new_zoom, npx, npy = vm.zoom_relative(zoom, px, py, factor, ax, ay, *centre)
        after = vm.image_point(vm.relative_state(base, new_zoom, npx, npy, *centre), ax, ay)
        if vm.MIN_SCALE < zoom * factor < vm.MAX_SCALE:
            assert after == pytest.approx(before, abs=1e-6)


def test_relative_state_at_zoom_one_is_the_fit() -> None:
    base = vm.fit(4000, 3000, 800, 600)
    assert vm.relative_state(base, 1.0, 0, 0, 400, 300) == base


def test_split_position_clamps() -> None:
    assert vm.split_position(0.5, 1000) == 500
    assert vm.split_position(-1, 1000) == 0
    assert vm.split_position(2, 1000) == 1000
