"""Local validation of a request against §2.3, §3 and §3.4, before anything is sent.

`check(request)` returns every issue found (empty when the request is valid); `validate(request)`
raises `ValidationError` with all of them. Messages name the field, the value and what is allowed.
Reference images are checked for readability, format and pixel bounds by `imaging.py`, which needs
QtGui; here we check only what the request itself says. Messages are templates marked for
translation (`translatable.py`); each issue keeps its template and values for the UI.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from wan27_desktop.api import rules
from wan27_desktop.api.errors import ValidationError, ValidationIssue
from wan27_desktop.api.models import GenerationRequest, Mode, Model, PaletteColor
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def check(request: GenerationRequest) -> list[ValidationIssue]:
    mode = request.mode
    issues: list[ValidationIssue] = []
    issues += check_prompt(request.prompt)
    issues += _check_model(request.model)
    issues += _check_images(request, mode)
    issues += check_n(request.n, mode)
    issues += check_size(request.size, request.model, mode)
    issues += check_seed(request.seed)
    issues += check_palette(request.color_palette, mode)
    return issues


def validate(request: GenerationRequest) -> None:
    issues = check(request)
    if issues:
        raise ValidationError(issues)


def check_prompt(prompt: str) -> list[ValidationIssue]:
    if not prompt.strip():
        return [
            ValidationIssue.of(
                "prompt",
                QT_TRANSLATE_NOOP("ValidationIssue", "The prompt is empty; describe the image or the edit you want."),
            )
        ]
    if len(prompt) > rules.MAX_PROMPT_CHARS:
        return [
            ValidationIssue.of(
                "prompt",
                QT_TRANSLATE_NOOP(
                    "ValidationIssue",
                    "The prompt has {count:,} characters; the limit is {limit:,} "
                    "(the service would silently cut the rest).",
                ),
                count=len(prompt),
                limit=rules.MAX_PROMPT_CHARS,
            )
        ]
    if any("\ud800" <= ch <= "\udfff" for ch in prompt):
        # Bytes that are not UTF-8 (a prompt file in another encoding; argv decoded with
        # surrogateescape): JSON cannot carry them, and the service would read garbage.
        return [
            ValidationIssue.of(
                "prompt",
                QT_TRANSLATE_NOOP(
                    "ValidationIssue",
                    "The prompt contains bytes that are not UTF-8 text; save it as UTF-8 and try again.",
                ),
            )
        ]
    if any(_is_disallowed_control(ch) for ch in prompt):
        return [
            ValidationIssue.of(
                "prompt",
                QT_TRANSLATE_NOOP("ValidationIssue", "The prompt contains invisible control characters; remove them."),
            )
        ]
    return []


def _is_disallowed_control(ch: str) -> bool:
    # Newlines and tabs are fine in a prompt; other C0/C1 controls are paste accidents.
    code = ord(ch)
    return (code < 0x20 and ch not in "\n\r\t") or 0x7F <= code <= 0x9F


def _check_model(model: object) -> list[ValidationIssue]:
    if not isinstance(model, Model):
        allowed = ", ".join(m.value for m in Model)
        return [
            ValidationIssue.of(
                "model",
                QT_TRANSLATE_NOOP("ValidationIssue", "Unknown model {model!r}; use one of {allowed}."),
                model=model,
                allowed=allowed,
            )
        ]
    return []


def _check_images(request: GenerationRequest, mode: Mode) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    count = len(request.images)
    if count > rules.MAX_IMAGES:
        issues.append(
            ValidationIssue.of(
                "images",
                QT_TRANSLATE_NOOP("ValidationIssue", "{count} reference images; at most {limit} are allowed."),
                count=count,
                limit=rules.MAX_IMAGES,
            )
        )
    for index, image in enumerate(request.images, start=1):
        field = f"images[{index}]"
        if not image.source.strip():
            issues.append(
                ValidationIssue.of(
                    field, QT_TRANSLATE_NOOP("ValidationIssue", "Image {index} has no file or URL."), index=index
                )
            )
        if not image.boxes:
            continue
        if not rules.boxes_apply(mode):
            issues.append(
                ValidationIssue.of(
                    f"{field}.boxes",
                    QT_TRANSLATE_NOOP(
                        "ValidationIssue",
                        "Region boxes cannot be used with image sets; turn off the image set or remove the boxes.",
                    ),
                )
            )
            continue
        if len(image.boxes) > rules.MAX_BOXES_PER_IMAGE:
            issues.append(
                ValidationIssue.of(
                    f"{field}.boxes",
                    QT_TRANSLATE_NOOP(
                        "ValidationIssue", "Image {index} has {count} boxes; at most {limit} per image are allowed."
                    ),
                    index=index,
                    count=len(image.boxes),
                    limit=rules.MAX_BOXES_PER_IMAGE,
                )
            )
        for box in image.boxes:
            if min(box.x1, box.y1, box.x2, box.y2) < 0 or box.x2 <= box.x1 or box.y2 <= box.y1:
                issues.append(
                    ValidationIssue.of(
                        f"{field}.boxes",
                        QT_TRANSLATE_NOOP(
                            "ValidationIssue",
                            "Box {box} on image {index} is not a rectangle with "
                            "x1 < x2 and y1 < y2 in non-negative pixels.",
                        ),
                        box=box.as_list(),
                        index=index,
                    )
                )
    return issues


def check_n(n: int, mode: Mode) -> list[ValidationIssue]:
    low, high = rules.n_range(mode)
    if isinstance(n, bool) or not isinstance(n, int) or not low <= n <= high:
        if mode.is_set:
            template = QT_TRANSLATE_NOOP(
                "ValidationIssue",
                "Number of images n={n!r} is out of range; in image-set mode it must be {low}-{high}.",
            )
        else:
            template = QT_TRANSLATE_NOOP(
                "ValidationIssue",
                "Number of images n={n!r} is out of range; without image set it must be {low}-{high}.",
            )
        return [ValidationIssue.of("n", template, n=n, low=low, high=high)]
    return []


def check_size(size: str, model: Model, mode: Mode) -> list[ValidationIssue]:
    text = size.strip()
    if text.upper() in rules.PRESETS:
        preset = text.upper()
        if preset not in rules.allowed_presets(model, mode):
            return [ValidationIssue.of("size", _why_no_4k(model, mode))]
        return []
    parsed = rules.parse_custom_size(text)
    if parsed is None:
        return [
            ValidationIssue.of(
                "size",
                QT_TRANSLATE_NOOP(
                    "ValidationIssue", "Size {size!r} is not 1K, 2K, 4K or a custom width*height such as 1536*1024."
                ),
                size=size,
            )
        ]
    width, height = parsed
    if width <= 0 or height <= 0:
        return [
            ValidationIssue.of(
                "size",
                QT_TRANSLATE_NOOP("ValidationIssue", "Size {width}*{height} must have positive sides."),
                width=width,
                height=height,
            )
        ]
    pixels = width * height
    budget = rules.max_custom_pixels(model, mode)
    side = 4096 if budget == rules.MAX_CUSTOM_PIXELS_4K else 2048
    if not rules.MIN_CUSTOM_PIXELS <= pixels <= budget:
        return [
            ValidationIssue.of(
                "size",
                QT_TRANSLATE_NOOP(
                    "ValidationIssue",
                    "Size {width}*{height} has {pixels:,} pixels; {model} in {mode} mode "
                    "allows 768*768 ({minimum:,}) to {side}*{side} ({budget:,}).",
                ),
                width=width,
                height=height,
                pixels=pixels,
                model=model.value,
                mode=mode.value,
                minimum=rules.MIN_CUSTOM_PIXELS,
                side=side,
                budget=budget,
            )
        ]
    if max(width / height, height / width) > rules.MAX_OUTPUT_RATIO:
        return [
            ValidationIssue.of(
                "size",
                QT_TRANSLATE_NOOP(
                    "ValidationIssue",
                    "Size {width}*{height} is wider than 1:8 or 8:1; choose a less extreme aspect ratio.",
                ),
                width=width,
                height=height,
            )
        ]
    return []


def _why_no_4k(model: Model, mode: Mode) -> str:
    if model is not Model.PRO:
        return QT_TRANSLATE_NOOP("ValidationIssue", "4K needs wan2.7-image-pro; wan2.7-image goes up to 2K.")
    if mode.has_images:
        return QT_TRANSLATE_NOOP(
            "ValidationIssue",
            "4K needs wan2.7-image-pro text-to-image with no reference images; use 1K, 2K or W*H up to 2048*2048.",
        )
    return QT_TRANSLATE_NOOP(
        "ValidationIssue", "4K needs wan2.7-image-pro text-to-image, no image set; use 1K, 2K or W*H up to 2048*2048."
    )


def check_seed(seed: int | None) -> list[ValidationIssue]:
    if seed is None:
        return []
    if isinstance(seed, bool) or not isinstance(seed, int) or not rules.SEED_MIN <= seed <= rules.SEED_MAX:
        return [
            ValidationIssue.of(
                "seed",
                QT_TRANSLATE_NOOP(
                    "ValidationIssue", "Seed {seed!r} is out of range; use {low} to {high}, or leave it random."
                ),
                seed=seed,
                low=rules.SEED_MIN,
                high=rules.SEED_MAX,
            )
        ]
    return []


def check_palette(palette: tuple[PaletteColor, ...], mode: Mode) -> list[ValidationIssue]:
    if not palette:
        return []
    if not rules.palette_applies(mode):
        return [
            ValidationIssue.of(
                "color_palette",
                QT_TRANSLATE_NOOP(
                    "ValidationIssue",
                    "A colour palette cannot be used with image sets; turn off the image set or clear the palette.",
                ),
            )
        ]
    issues: list[ValidationIssue] = []
    if not rules.PALETTE_MIN <= len(palette) <= rules.PALETTE_MAX:
        issues.append(
            ValidationIssue.of(
                "color_palette",
                QT_TRANSLATE_NOOP("ValidationIssue", "The palette has {count} colours; use {low} to {high}."),
                count=len(palette),
                low=rules.PALETTE_MIN,
                high=rules.PALETTE_MAX,
            )
        )
    for color in palette:
        if not _HEX.match(color.hex):
            issues.append(
                ValidationIssue.of(
                    "color_palette",
                    QT_TRANSLATE_NOOP("ValidationIssue", "Colour {hex!r} is not #RRGGBB."),
                    hex=color.hex,
                )
            )
        if not 0 < color.ratio <= 100:
            issues.append(
                ValidationIssue.of(
                    "color_palette",
                    QT_TRANSLATE_NOOP(
                        "ValidationIssue", "Colour {hex} has ratio {ratio}%; each must be above 0 and at most 100%."
                    ),
                    hex=color.hex,
                    ratio=color.ratio,
                )
            )
    total = sum(format_ratio_decimal(c.ratio) for c in palette)
    if total != Decimal("100.00"):
        issues.append(
            ValidationIssue.of(
                "color_palette",
                QT_TRANSLATE_NOOP(
                    "ValidationIssue", "Palette ratios add up to {total}%; they must total exactly 100.00%."
                ),
                total=total,
            )
        )
    return issues


def format_ratio_decimal(ratio: float) -> Decimal:
    """A ratio as sent: two decimals, half-up (§3.3)."""
    return Decimal(str(ratio)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_ratio(ratio: float) -> str:
    """§3.3: a percentage string with two decimals, e.g. 40 -> '40.00%'."""
    return f"{format_ratio_decimal(ratio)}%"


def balance_ratios(weights: list[float]) -> list[float]:
    """Scale weights to percentages with two decimals that sum to exactly 100.00.

    Uses the largest-remainder method so rounding never leaves 99.99% or 100.01%.
    """
    if not weights:
        return []
    if any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    total = sum(weights)
    cents = [w * 10000 / total for w in weights]
    floors = [int(c) for c in cents]
    shortfall = 10000 - sum(floors)
    by_remainder = sorted(range(len(weights)), key=lambda i: cents[i] - floors[i], reverse=True)
    for i in by_remainder[:shortfall]:
        floors[i] += 1
    return [f / 100 for f in floors]
