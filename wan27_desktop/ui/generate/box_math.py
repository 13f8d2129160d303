"""Pure geometry for the box editor: where the image sits in the widget and how points map.

§3.2: boxes are absolute pixels of the original input image, origin top-left. The editor shows a
scaled preview, so every point goes through `ImageFit` (widget <-> original image pixels).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from wan27_desktop.api.models import Box

MIN_BOX_SIDE = 2  # image pixels; a click without a drag draws nothing


@dataclass(frozen=True)
class ImageFit:
    """The original image (`image_w` x `image_h`) drawn at `scale` with its top-left at (x0, y0)."""

    image_w: int
    image_h: int
    x0: float
    y0: float
    scale: float

    @property
    def shown_w(self) -> float:
        return self.image_w * self.scale

    @property
    def shown_h(self) -> float:
        return self.image_h * self.scale


def fit_image(image_w: int, image_h: int, widget_w: int, widget_h: int, margin: int = 0) -> ImageFit:
    """Scale the image to fit inside the widget and centre it."""
    if image_w <= 0 or image_h <= 0:
        raise ValueError("image size must be positive")
    avail_w = max(1, widget_w - 2 * margin)
    avail_h = max(1, widget_h - 2 * margin)
    scale = min(avail_w / image_w, avail_h / image_h)
    x0 = (widget_w - image_w * scale) / 2
    y0 = (widget_h - image_h * scale) / 2
    return ImageFit(image_w, image_h, x0, y0, scale)


def to_image(fit: ImageFit, x: float, y: float, clamp: bool = True) -> tuple[int, int]:
    """A widget point in original image pixels (rounded; clamped to the image by default)."""
    ix = round((x - fit.x0) / fit.scale)
    iy = round((y - fit.y0) / fit.scale)
    if clamp:
        ix = min(max(ix, 0), fit.image_w)
        iy = min(max(iy, 0), fit.image_h)
    return ix, iy


def to_widget(fit: ImageFit, ix: float, iy: float) -> tuple[float, float]:
    """An image pixel position in widget coordinates."""
    return fit.x0 + ix * fit.scale, fit.y0 + iy * fit.scale


def box_to_widget(fit: ImageFit, box: Box) -> tuple[float, float, float, float]:
    """(left, top, width, height) of a box in widget coordinates."""
    left, top = to_widget(fit, box.x1, box.y1)
    right, bottom = to_widget(fit, box.x2, box.y2)
    return left, top, right - left, bottom - top


def normalised_box(ax: int, ay: int, bx: int, by: int, image_w: int, image_h: int) -> Box | None:
    """The box spanned by two image points (any corner order), clamped; None when too small."""
    x1, x2 = sorted((min(max(ax, 0), image_w), min(max(bx, 0), image_w)))
    y1, y2 = sorted((min(max(ay, 0), image_h), min(max(by, 0), image_h)))
    if x2 - x1 < MIN_BOX_SIDE or y2 - y1 < MIN_BOX_SIDE:
        return None
    return Box(x1, y1, x2, y2)


def moved_box(box: Box, dx: int, dy: int, image_w: int, image_h: int) -> Box:
    """`box` moved by (dx, dy) image pixels, kept whole inside the image."""
    w, h = box.x2 - box.x1, box.y2 - box.y1
    x1 = min(max(box.x1 + dx, 0), image_w - w)
    y1 = min(max(box.y1 + dy, 0), image_h - h)
    return Box(x1, y1, x1 + w, y1 + h)


class Handle(str, Enum):
    """Where a press lands on a box: a corner, an edge, or inside (move)."""

    TOP_LEFT = "tl"
    TOP = "t"
    TOP_RIGHT = "tr"
    RIGHT = "r"
    BOTTOM_RIGHT = "br"
    BOTTOM = "b"
    BOTTOM_LEFT = "bl"
    LEFT = "l"
    MOVE = "move"


def handle_at(fit: ImageFit, box: Box, x: float, y: float, grab: float = 6.0) -> Handle | None:
    """Which handle of `box` a widget point grabs (corners win over edges), or None."""
    left, top, width, height = box_to_widget(fit, box)
    right, bottom = left + width, top + height
    if not (left - grab <= x <= right + grab and top - grab <= y <= bottom + grab):
        return None
    near_l, near_r = abs(x - left) <= grab, abs(x - right) <= grab
    near_t, near_b = abs(y - top) <= grab, abs(y - bottom) <= grab
    corners = {
        (True, False, True, False): Handle.TOP_LEFT,
        (False, True, True, False): Handle.TOP_RIGHT,
        (False, True, False, True): Handle.BOTTOM_RIGHT,
        (True, False, False, True): Handle.BOTTOM_LEFT,
    }
    key = (near_l, near_r, near_t, near_b)
    if key in corners:
        return corners[key]
    if near_t:
        return Handle.TOP
    if near_b:
        return Handle.BOTTOM
    if near_l:
        return Handle.LEFT
    if near_r:
        return Handle.RIGHT
    if left <= x <= right and top <= y <= bottom:
        return Handle.MOVE
    return None


def resized_box(box: Box, handle: Handle, ix: int, iy: int, image_w: int, image_h: int) -> Box:
    """`box` with the grabbed edge(s) dragged to image point (ix, iy); edges may cross over."""
    x1, y1, x2, y2 = box.x1, box.y1, box.x2, box.y2
    if handle in (Handle.TOP_LEFT, Handle.LEFT, Handle.BOTTOM_LEFT):
        x1 = ix
    if handle in (Handle.TOP_RIGHT, Handle.RIGHT, Handle.BOTTOM_RIGHT):
        x2 = ix
    if handle in (Handle.TOP_LEFT, Handle.TOP, Handle.TOP_RIGHT):
        y1 = iy
    if handle in (Handle.BOTTOM_LEFT, Handle.BOTTOM, Handle.BOTTOM_RIGHT):
        y2 = iy
    return normalised_box(x1, y1, x2, y2, image_w, image_h) or box
