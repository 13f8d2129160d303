"""Build the JSON body of a create call (§2.1, §3): strict in what we send.

Images arrive already encoded (an http(s) URL or a `data:` URI) together with their boxes in the
pixels of the image as sent; `imaging.prepare_reference` does that for local files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wan27_desktop.api import rules
from wan27_desktop.api.models import Box, GenerationRequest
from wan27_desktop.api.validation import format_ratio, validate


@dataclass(frozen=True)
class EncodedImage:
    """One image as it goes on the wire, with its boxes in the pixels of that image."""

    value: str
    boxes: tuple[Box, ...] = ()


def build_body(request: GenerationRequest, images: list[EncodedImage] | None = None) -> dict[str, Any]:
    """The create body. Validates first, so an invalid request never becomes a body.

    `images` must match `request.images` one to one; when omitted, URL sources are used as they are
    (local files must be encoded by the caller).
    """
    validate(request)
    if images is None:
        images = [EncodedImage(i.source, i.boxes) for i in request.images]
    if len(images) != len(request.images):
        raise ValueError("one encoded image per request image")
    mode = request.mode
    # §2.1: exactly one message with one text object, then the images in order (§2.2 numbering).
    content: list[dict[str, str]] = [{"text": request.prompt}]
    content += [{"image": image.value} for image in images]
    # §3 / §8: always send n, size and watermark; the service's default n bills 4x.
    parameters: dict[str, Any] = {
        "size": rules.normalise_size(request.size),
        "n": request.n,
        "watermark": request.watermark,
    }
    if request.seed is not None:
        parameters["seed"] = request.seed
    if rules.thinking_applies(mode):
        parameters["thinking_mode"] = request.thinking_mode
    if mode.is_set:
        parameters["enable_sequential"] = True
    if rules.boxes_apply(mode) and any(image.boxes for image in images):
        # §3.2: one entry per image, [] for none, so indexes never shift.
        parameters["bbox_list"] = [[box.as_list() for box in image.boxes] for image in images]
    if request.color_palette and rules.palette_applies(mode):
        parameters["color_palette"] = [
            {"hex": c.hex.upper(), "ratio": format_ratio(c.ratio)} for c in request.color_palette
        ]
    return {
        "model": request.model.value,
        "input": {"messages": [{"role": "user", "content": content}]},
        "parameters": parameters,
    }
