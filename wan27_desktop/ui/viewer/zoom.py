"""Zoom and pan arithmetic for the viewer and the compare view, free of widgets so it is unit-tested.

A view shows an image scaled by `scale` (view pixels per image pixel) and shifted by `offset`: the
image's top-left corner sits at `offset` in view coordinates. Every function returns a new state.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_SCALE = 0.02
MAX_SCALE = 32.0
WHEEL_STEP = 1.25  # one notch (120 units of angleDelta) zooms by 25 %


@dataclass(frozen=True)
class ViewState:
    scale: float
    offset_x: float
    offset_y: float


def fit_scale(image_w: int, image_h: int, view_w: int, view_h: int, upscale: bool = False) -> float:
    """The scale at which the whole image fits in the view; never enlarges unless `upscale`."""
    if image_w <= 0 or image_h <= 0 or view_w <= 0 or view_h <= 0:
        return 1.0
    scale = min(view_w / image_w, view_h / image_h)
    return scale if upscale else min(scale, 1.0)


def centred(scale: float, image_w: int, image_h: int, view_w: int, view_h: int) -> ViewState:
    """The image at `scale`, centred in the view."""
    return ViewState(scale, (view_w - image_w * scale) / 2, (view_h - image_h * scale) / 2)


def fit(image_w: int, image_h: int, view_w: int, view_h: int) -> ViewState:
    return centred(fit_scale(image_w, image_h, view_w, view_h), image_w, image_h, view_w, view_h)


def actual_size(
    image_w: int,
    image_h: int,
    view_w: int,
    view_h: int,
    device_pixel_ratio: float = 1.0,
) -> ViewState:
    """100 %: one image pixel per device pixel, so logical scale is 1 / devicePixelRatio."""
    return centred(1.0 / device_pixel_ratio, image_w, image_h, view_w, view_h)


def clamp_scale(scale: float) -> float:
    return max(MIN_SCALE, min(MAX_SCALE, scale))


def zoom_about(state: ViewState, factor: float, anchor_x: float, anchor_y: float) -> ViewState:
    """Zoom by `factor` keeping the image point under (anchor_x, anchor_y) fixed on screen."""
    new_scale = clamp_scale(state.scale * factor)
    # The image point under the anchor: p = (anchor - offset) / scale; keep it under the anchor.
    image_x = (anchor_x - state.offset_x) / state.scale
    image_y = (anchor_y - state.offset_y) / state.scale
    return ViewState(new_scale, anchor_x - image_x * new_scale, anchor_y - image_y * new_scale)


def wheel_factor(angle_delta_y: int) -> float:
    """A zoom factor for a wheel event; trackpads send fractions of a notch."""
    return float(WHEEL_STEP ** (angle_delta_y / 120.0))


def pan(state: ViewState, dx: float, dy: float) -> ViewState:
    return ViewState(state.scale, state.offset_x + dx, state.offset_y + dy)


def clamp_offset(state: ViewState, image_w: int, image_h: int, view_w: int, view_h: int) -> ViewState:
    """Keep the image from being dragged out of sight: an image smaller than the view stays centred on
    that axis; a larger one always covers the view on that axis."""

    def axis(offset: float, content: float, view: float) -> float:
        if content <= view:
            return (view - content) / 2
        return min(0.0, max(view - content, offset))

    return ViewState(
        state.scale,
        axis(state.offset_x, image_w * state.scale, view_w),
        axis(state.offset_y, image_h * state.scale, view_h),
    )


def image_point(state: ViewState, view_x: float, view_y: float) -> tuple[float, float]:
    """The image pixel (fractional) under a view point."""
    return (view_x - state.offset_x) / state.scale, (view_y - state.offset_y) / state.scale


def view_point(state: ViewState, image_x: float, image_y: float) -> tuple[float, float]:
    return state.offset_x + image_x * state.scale, state.offset_y + image_y * state.scale


def split_position(fraction: float, view_w: int) -> int:
    """The x of the compare split line for a slider fraction in [0, 1]."""
    return round(max(0.0, min(1.0, fraction)) * view_w)


def zoom_relative(
    zoom: float,
    pan_x: float,
    pan_y: float,
    factor: float,
    anchor_x: float,
    anchor_y: float,
    centre_x: float,
    centre_y: float,
) -> tuple[float, float, float]:
    """Compare view: a shared zoom/pan applied on top of each image's fit, p -> zoom*(p-c) + c + pan.
    Zoom by `factor` keeping the point under the anchor fixed; returns (zoom, pan_x, pan_y)."""
    new_zoom = max(MIN_SCALE, min(MAX_SCALE, zoom * factor))
    ratio = new_zoom / zoom
    return (
        new_zoom,
        anchor_x - centre_x - ratio * (anchor_x - centre_x - pan_x),
        anchor_y - centre_y - ratio * (anchor_y - centre_y - pan_y),
    )


def relative_state(
    base: ViewState,
    zoom: float,
    pan_x: float,
    pan_y: float,
    centre_x: float,
    centre_y: float,
) -> ViewState:
    """The concrete state of one image given its fit (`base`) and the shared zoom/pan."""
    return ViewState(
        base.scale * zoom,
        zoom * (base.offset_x - centre_x) + centre_x + pan_x,
        zoom * (base.offset_y - centre_y) + centre_y + pan_y,
    )
