"""How a job's request is stored in the journal, and how it is read back for retry and reuse.

The stored form is the wire body (§2.1) with every `data:` image replaced by `input:<sha256>` (the
content-addressed copy of the original file in the library), plus a `_wan27` block with what the
wire body cannot say: original image sources, boxes in ORIGINAL pixels (the wire carries boxes in
the pixels as sent, §3.2), the request mode and the thinking setting when it was not sent.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Model, PaletteColor, RequestMode

INPUT_PREFIX = "input:"
FORMAT_VERSION = 1


def request_to_json(
    request: GenerationRequest, body: dict[str, Any], input_shas: list[str | None], request_mode: RequestMode
) -> dict[str, Any]:
    """The journal form of a request. `input_shas[i]` is the sha256 of local image i (None for URLs)."""
    stored = copy.deepcopy(body)
    content = stored["input"]["messages"][0]["content"]
    images = [item for item in content if "image" in item]
    for item, sha in zip(images, input_shas, strict=True):
        if sha is not None:
            item["image"] = INPUT_PREFIX + sha
    stored["_wan27"] = {
        "version": FORMAT_VERSION,
        "request_mode": request_mode.value,
        "sources": [image.source for image in request.images],
        "boxes": [[box.as_list() for box in image.boxes] for image in request.images],
        "thinking_mode": request.thinking_mode,
        "enable_sequential": request.enable_sequential,
    }
    return stored


def request_from_json(stored: dict[str, Any], input_paths: dict[str, Path] | None = None) -> GenerationRequest:
    """Rebuild the request a job was made from. Local images point at their library copies.

    `input_paths` maps sha256 -> path of the content-addressed copy; a missing copy falls back to
    the original source path. Lenient about missing keys: older or hand-made entries still load.
    """
    input_paths = input_paths or {}
    extra = stored.get("_wan27", {})
    params = stored.get("parameters", {})
    content = stored.get("input", {}).get("messages", [{}])[0].get("content", [])
    prompt = next((item["text"] for item in content if "text" in item), "")
    wire_images = [item["image"] for item in content if "image" in item]
    sources = extra.get("sources") or wire_images
    boxes = extra.get("boxes") or [[] for _ in wire_images]
    images = []
    for index, value in enumerate(wire_images):
        original = sources[index] if index < len(sources) else value
        source = original
        if value.startswith(INPUT_PREFIX):
            source = str(input_paths.get(value[len(INPUT_PREFIX) :], original))
        image_boxes = boxes[index] if index < len(boxes) else []
        images.append(ImageInput(source, tuple(Box(*b) for b in image_boxes)))
    palette = tuple(PaletteColor(c["hex"], float(str(c["ratio"]).rstrip("%"))) for c in params.get("color_palette", []))
    return GenerationRequest(
        prompt=prompt,
        model=Model(stored.get("model") or Model.PRO.value),
        images=tuple(images),
        n=int(params.get("n", 1)),
        size=str(params.get("size", "2K")),
        seed=params.get("seed"),
        watermark=bool(params.get("watermark", False)),
        thinking_mode=bool(params.get("thinking_mode", extra.get("thinking_mode", True))),
        enable_sequential=bool(params.get("enable_sequential", extra.get("enable_sequential", False))),
        color_palette=palette,
    )


def request_mode_of(stored: dict[str, Any]) -> RequestMode:
    return RequestMode(stored.get("_wan27", {}).get("request_mode", RequestMode.SYNC.value))


def adopted_request_json(task_id: str, model: str | None) -> dict[str, Any]:
    """The journal entry of a task made elsewhere (another machine, the SDK, a crashed create) and
    fetched by its id: the service does not say what was asked, so the request is empty and
    marked adopted (no prompt is invented; Retry is not offered)."""
    return {
        "model": model or "",
        "input": {"messages": [{"role": "user", "content": [{"text": ""}]}]},
        "parameters": {},
        "_wan27": {"version": FORMAT_VERSION, "request_mode": RequestMode.AUTO.value, "adopted": task_id},
    }


def is_adopted(stored: dict[str, Any]) -> bool:
    return bool(stored.get("_wan27", {}).get("adopted"))
