"""Turn a local reference image into the `data:` URI the service receives (§2.3, §2.4).

The original file is never modified. An image that already meets every rule is sent byte for
byte; anything else is decoded once (EXIF orientation applied), flattened onto white, converted
to 8-bit RGB, downscaled if needed and re-encoded. `PreparedImage.scale` tells the caller how to
move its boxes, because §3.2 boxes are in the pixels of the image *as sent*.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from wan27_desktop.api import rules
from wan27_desktop.api.errors import ReferenceImageError
from wan27_desktop.api.models import Box
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.imaging import _codec
from wan27_desktop.imaging.reference import DEFAULT_MAX_BYTES, DEFAULT_MAX_SIDE, analyse, megabytes, scaled_dims

JPEG_QUALITY = 92  # visually lossless for photos; what we re-encode with first
JPEG_FALLBACK_QUALITY = 85  # before we give up pixels to fit the byte budget
_MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# Below this many pixels a trial PNG costs little (a 1 MP PNG encodes in ~0.1 s); above it we
# first encode a horizontal band to estimate, because a full PNG of a 4096x2731 photo takes ~4 s
# to reach 12 MB and be thrown away.
_PNG_TRIAL_PIXELS = 1_000_000


@dataclass(frozen=True)
class PreparedImage:
    """A reference image ready for the wire. `scale` = sent pixels / original (oriented) pixels."""

    data_uri: str
    mime: str
    width: int
    height: int
    scale: float
    byte_size: int  # encoded bytes before base64 (the URI is about 4/3 of this)
    notes: tuple[str, ...] = ()
    original_size: tuple[int, int] = (0, 0)
    passed_through: bool = False  # the original file's bytes, unchanged


def scale_boxes(boxes: Iterable[Box], scale: float) -> tuple[Box, ...]:
    """§3.2: boxes follow the pixels as sent, so scale them by `PreparedImage.scale`."""
    if scale == 1.0:
        return tuple(boxes)
    return tuple(box.scaled(scale) for box in boxes)


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _png_estimate(image: QImage) -> int:
    """Encoded PNG size, extrapolated from a band through the middle of the image."""
    if image.width() * image.height() <= _PNG_TRIAL_PIXELS:
        return 0  # cheap enough to just try
    rows = max(64, image.height() // 8)
    band = image.copy(0, (image.height() - rows) // 2, image.width(), rows)
    return len(_codec.encode(band, "png")) * image.height() // rows


def _resized(image: QImage, size: tuple[int, int]) -> QImage:
    return image.scaled(
        size[0], size[1], Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def _encode_within(
    name: str,
    image: QImage,
    *,
    original: tuple[int, int],
    scale: float,
    lossless: bool,
    max_bytes: int,
    notes: list[str],
) -> tuple[bytes, str, QImage, float]:
    """Smallest-effort encoding within `max_bytes`: PNG (lossless sources), JPEG q92, JPEG q85,
    then smaller JPEGs. Returns (bytes, mime, the image as encoded, final scale)."""
    budget = f"to fit the {megabytes(max_bytes)} request budget"
    if lossless and _png_estimate(image) <= max_bytes * 0.9:
        data = _codec.encode(image, "png")
        if len(data) <= max_bytes:
            return data, "image/png", image, scale
    for quality in (JPEG_QUALITY, JPEG_FALLBACK_QUALITY):
        data = _codec.encode(image, "jpeg", quality)
        if len(data) <= max_bytes:
            notes.append(f"Re-encoded as JPEG (quality {quality}).")
            return data, "image/jpeg", image, scale
    before = (image.width(), image.height())
    for _attempt in range(8):
        # JPEG size is roughly proportional to pixel count; aim a little under the budget.
        scale *= math.sqrt(max_bytes / len(data)) * 0.95
        size = scaled_dims(*original, scale)
        if min(size) < rules.MIN_IMAGE_SIDE:
            break
        image = _resized(image, size)
        data = _codec.encode(image, "jpeg", JPEG_FALLBACK_QUALITY)
        if len(data) <= max_bytes:
            notes.append(
                f"Downscaled from {before[0]}×{before[1]} to {size[0]}×{size[1]} px and re-encoded "
                f"as JPEG (quality {JPEG_FALLBACK_QUALITY}) {budget}."
            )
            return data, "image/jpeg", image, scale
    raise ReferenceImageError(
        f"{name} cannot be made to fit the {megabytes(max_bytes)} request budget without going below "
        f"{rules.MIN_IMAGE_SIDE} px per side.",
        hint=QT_TRANSLATE_NOOP(
            "WanError", "Use fewer reference images in one request, or a less detailed (noisy) image."
        ),
    )


def prepare_reference(
    path: str | Path, *, max_side: int = DEFAULT_MAX_SIDE, max_bytes: int = DEFAULT_MAX_BYTES
) -> PreparedImage:
    """Read, check and encode one reference image as a `data:` URI (§2.4 way 2).

    `max_side` caps the longest side sent (default 4096, see reference.DEFAULT_MAX_SIDE);
    `max_bytes` caps the encoded bytes (before base64) and is clamped to the service's 20 MB.
    Raises ReferenceImageError for anything unusable. Safe to call from worker threads.
    """
    path = Path(path)
    max_bytes = min(max_bytes, rules.MAX_IMAGE_BYTES)
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise ReferenceImageError(
            QT_TRANSLATE_NOOP("WanError", "{name} does not exist (it may have been moved or deleted)."),
            values={"name": path.name},
        ) from err
    except OSError as err:
        raise ReferenceImageError(
            QT_TRANSLATE_NOOP("WanError", "{name} cannot be read: {reason}."),
            values={"name": path.name, "reason": err.strerror or str(err)},
        ) from err
    source = _codec.Source(data)
    try:
        return _prepare(path, data, source, max_side=max_side, max_bytes=max_bytes)
    finally:
        source.close()


def _prepare(path: Path, data: bytes, source: _codec.Source, *, max_side: int, max_bytes: int) -> PreparedImage:
    a = analyse(path.name, data, source.reader, max_side=max_side, max_bytes=max_bytes, suffix=path.suffix.lower())
    if a.problems:
        raise ReferenceImageError(" ".join(a.problems), hint=a.hints[0] if a.hints else None)
    original = (a.width, a.height)
    resize = a.target != original
    sendable_as_is = (
        a.format in _MIME
        and not resize
        and len(data) <= max_bytes
        and not a.has_alpha
        and a.plain_pixels
        and not a.transformed
        and not a.animated
    )
    image = _codec.read_scaled(source.reader, a.target if resize else None, fast_scaled_decode=a.format == "jpeg")
    if image.isNull():
        raise ReferenceImageError(
            f"{path.name} could not be decoded{_codec.reason(source.reader)}; the file may be damaged.",
            hint=QT_TRANSLATE_NOOP("WanError", "Re-export or re-download the image."),
        )
    if sendable_as_is:
        # Decoded only to prove the pixel data is intact; the service gets the original bytes.
        return PreparedImage(
            _data_uri(_MIME[a.format], data),
            _MIME[a.format],
            a.width,
            a.height,
            1.0,
            len(data),
            (),
            original,
            passed_through=True,
        )

    notes: list[str] = []
    if a.transformed:
        notes.append("Turned upright from its EXIF orientation.")
    if a.cmyk:
        notes.append("CMYK colour converted to RGB.")
    if a.deep:
        notes.append("16-bit colour converted to 8-bit RGB.")
    if a.animated:
        notes.append("Only the first frame of the animated WebP is sent.")
    image, had_alpha = _codec.to_rgb8(image)
    if had_alpha:
        notes.append("Transparency flattened onto white (the service does not accept alpha).")
    if resize:
        notes.append(
            f"Downscaled from {a.width}×{a.height} to {a.target[0]}×{a.target[1]} px "
            f"(longest side at most {min(max_side, rules.MAX_IMAGE_SIDE)} px)."
        )
    if len(data) > max_bytes:
        notes.append(
            f"The {megabytes(len(data))} file was re-encoded to fit the {megabytes(max_bytes)} request budget."
        )
    encoded, mime, image, scale = _encode_within(
        path.name, image, original=original, scale=a.scale, lossless=a.lossless, max_bytes=max_bytes, notes=notes
    )
    if mime == "image/png" and a.format != "png":
        notes.append(f"Re-encoded as PNG (from {a.format.upper()}).")
    return PreparedImage(
        _data_uri(mime, encoded), mime, image.width(), image.height(), scale, len(encoded), tuple(notes), original
    )
