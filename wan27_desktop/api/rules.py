"""The service's rules, in one place. The UI, the CLI, validation and the fake server ask these.

Each constant cites the section of the reference (shared/api/WAN27_API.md) it comes from.
"""

from __future__ import annotations

import math
import re

from wan27_desktop.api.models import Mode, Model

MAX_PROMPT_CHARS = 5000  # §2.1: longer text is silently truncated by the service
MAX_IMAGES = 9  # §2.3
MIN_IMAGE_SIDE = 240  # §2.3
MAX_IMAGE_SIDE = 8000  # §2.3
MAX_IMAGE_RATIO = 8.0  # §2.3: within [1:8, 8:1]
MAX_IMAGE_BYTES = 20 * 1024 * 1024  # §2.3
INPUT_FORMATS = ("jpeg", "png", "bmp", "webp")  # §2.3

MAX_BOXES_PER_IMAGE = 2  # §3.2
PALETTE_MIN, PALETTE_MAX = 3, 10  # §3.3
SEED_MIN, SEED_MAX = 0, 2147483647  # §3

PRESETS = ("1K", "2K", "4K")  # §3.1
MIN_CUSTOM_PIXELS = 768 * 768  # §3.1
MAX_CUSTOM_PIXELS_4K = 4096 * 4096  # §3.1: Pro, pure text-to-image
MAX_CUSTOM_PIXELS = 2048 * 2048  # §3.1: every other case
MAX_OUTPUT_RATIO = 8.0  # §3.1

MAX_TASKS_IN_PROGRESS = 5  # §6: account-wide, shared by both models

_CUSTOM_SIZE = re.compile(r"^\s*(\d{1,5})\s*[*xX×]\s*(\d{1,5})\s*$")


def allows_4k(model: Model, mode: Mode) -> bool:
    """§3.1: 4K only for the Pro model in pure text-to-image with sequential off."""
    return model is Model.PRO and mode is Mode.TEXT_TO_IMAGE


def allowed_presets(model: Model, mode: Mode) -> tuple[str, ...]:
    return PRESETS if allows_4k(model, mode) else ("1K", "2K")


def max_custom_pixels(model: Model, mode: Mode) -> int:
    return MAX_CUSTOM_PIXELS_4K if allows_4k(model, mode) else MAX_CUSTOM_PIXELS


def output_pixels(size: str) -> int:
    """The most pixels a result of `size` may have (§3.1): a preset's budget (the service picks the
    aspect, e.g. 2K came back as 2985*1405 - the same ~4.2 MP), or W*H; unknown: the largest."""
    label = normalise_size(size)
    presets = {"1K": 1024 * 1024, "2K": MAX_CUSTOM_PIXELS, "4K": MAX_CUSTOM_PIXELS_4K}
    if label in presets:
        return presets[label]
    parsed = parse_custom_size(label)
    return parsed[0] * parsed[1] if parsed else MAX_CUSTOM_PIXELS_4K


def n_range(mode: Mode) -> tuple[int, int]:
    """§3: 1-4, or 1-12 for image sets (where n is a ceiling)."""
    return (1, 12) if mode.is_set else (1, 4)


def thinking_applies(mode: Mode) -> bool:
    """§3: thinking_mode is effective only with no images and sequential off."""
    return mode is Mode.TEXT_TO_IMAGE


def boxes_apply(mode: Mode) -> bool:
    """§3.2: boxes need at least one image and no image set."""
    return mode is Mode.EDIT


def palette_applies(mode: Mode) -> bool:
    """§3.3: palette only with enable_sequential=false."""
    return not mode.is_set


def thinking_disabled_reason(mode: Mode) -> str:
    if mode.has_images:
        return "Thinking mode applies only to text-to-image; it is ignored when reference images are used."
    return "Thinking mode does not apply to image sets."


def parse_custom_size(text: str) -> tuple[int, int] | None:
    """'1536*1024' (also 'x' or '×', which we normalise to '*') -> (1536, 1024); None if not W*H."""
    match = _CUSTOM_SIZE.match(text)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2))


def normalise_size(text: str) -> str:
    """The form we send: an upper-case preset or 'W*H' with an asterisk (§3.1)."""
    stripped = text.strip()
    if stripped.upper() in PRESETS:
        return stripped.upper()
    parsed = parse_custom_size(stripped)
    if parsed is None:
        return stripped
    return f"{parsed[0]}*{parsed[1]}"


def size_for_ratio(
    ratio_w: int, ratio_h: int, model: Model, mode: Mode, target_pixels: int | None = None
) -> tuple[int, int]:
    """A valid custom size with the given aspect ratio, near `target_pixels` (default: the 2K budget).

    Sides are multiples of 16 and the result always lies inside the pixel budget and ratio bounds.
    """
    ratio = max(1 / MAX_OUTPUT_RATIO, min(MAX_OUTPUT_RATIO, ratio_w / ratio_h))
    budget = max_custom_pixels(model, mode)
    target = max(MIN_CUSTOM_PIXELS, min(target_pixels or MAX_CUSTOM_PIXELS, budget))
    exact_h = math.sqrt(target / ratio)
    exact_w = exact_h * ratio
    w, h = int(exact_w // 16) * 16, int(exact_h // 16) * 16
    if w * h < MIN_CUSTOM_PIXELS:
        w, h = math.ceil(exact_w / 16) * 16, math.ceil(exact_h / 16) * 16
    # Rounding to 16 can push an extreme ratio just past 8:1; pull the long side back in.
    while w > h * MAX_OUTPUT_RATIO:
        w -= 16
    while h > w * MAX_OUTPUT_RATIO:
        h -= 16
    return w, h
