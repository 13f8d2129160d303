"""What the gallery's actions do that is not a widget: rebuild a request from a stored job, put an
image on the clipboard, show a file in the file manager.

## The stored `request_json` this module reads (written by the job layer)
The `build_body()` dict (§2.1 shape) with every image `data:` URI replaced by `"input:<sha256>"`
(the content-addressed copy in the library's `inputs/`, listed in `JobRecord.inputs` in order), plus
an optional private key the service never sees:

    "_wan27": {"boxes": [[[x1, y1, x2, y2], ...], ...],   # per image, in ORIGINAL image pixels
               "request_mode": "sync" | "async",
               "sizes": ...}                              # (informational; not needed here)

The reader is tolerant: without `_wan27.boxes` it falls back to `parameters.bbox_list` (§3.2, pixels
as sent); http(s) image values are kept as URLs; a value it cannot map (an old `data:` URI) takes the
job's next stored input file in order; missing parameters take GenerationRequest's defaults.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QGuiApplication

from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Model, PaletteColor

if TYPE_CHECKING:
    from wan27_desktop.library import JobRecord, Library

INPUT_PREFIX = "input:"


def _content_items(request: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        content = request["input"]["messages"][0]["content"]
    except (KeyError, IndexError, TypeError):
        return []
    return [item for item in content if isinstance(item, dict)]


def _boxes(raw: Any) -> tuple[Box, ...]:
    boxes: list[Box] = []
    for entry in raw or ():
        if isinstance(entry, (list, tuple)) and len(entry) == 4:
            boxes.append(Box(*(int(round(float(v))) for v in entry)))
    return tuple(boxes)


def _ratio(value: Any) -> float:
    """§3.3: ratios are sent as "40.00%"; accept numbers too."""
    if isinstance(value, (int, float)):
        return float(value)
    match = re.match(r"\s*([0-9.]+)\s*%?\s*$", str(value))
    return float(match.group(1)) if match else 0.0


def _input_paths(job: JobRecord, lib: Library | None) -> tuple[dict[str, str], list[str]]:
    """sha256 -> stored input path, and the stored paths in order."""
    ordered = [str(p) for p in job.inputs]
    by_sha = {Path(p).stem.lower(): p for p in ordered}
    return by_sha, ordered


def request_from_job(job: JobRecord, lib: Library | None = None) -> GenerationRequest:
    """Rebuild the GenerationRequest a job was made from (prompt, every parameter, references and
    boxes), so "reuse parameters" fills the workspace exactly as it was."""
    request = job.request_json or {}
    params = request.get("parameters") or {}
    private = request.get("_wan27") or {}
    items = _content_items(request)
    prompt = next((item["text"] for item in items if isinstance(item.get("text"), str)), "")
    image_values = [str(item["image"]) for item in items if "image" in item]

    by_sha, ordered = _input_paths(job, lib)
    unused = list(ordered)
    sources: list[str] = []
    for value in image_values:
        if value.startswith(INPUT_PREFIX):
            sha = value[len(INPUT_PREFIX) :].strip().lower()
            path = by_sha.get(sha)
            if path is None and unused:
                path = unused[0]
            if path is not None:
                sources.append(path)
                if path in unused:
                    unused.remove(path)
                continue
            sources.append(value)  # the input file is gone; keep the reference visible as missing
        elif value.lower().startswith(("http://", "https://")):
            sources.append(value)
        elif unused:
            sources.append(unused.pop(0))
    if not image_values and ordered:
        sources = list(ordered)

    per_image_boxes: Sequence[Any] = private.get("boxes") or params.get("bbox_list") or []
    images = tuple(
        ImageInput(source, _boxes(per_image_boxes[i]) if i < len(per_image_boxes) else ())
        for i, source in enumerate(sources)
    )

    model_value = request.get("model") or job.model
    try:
        model = Model(model_value)
    except ValueError:
        model = Model.PRO
    palette = tuple(
        PaletteColor(str(c.get("hex", "")).upper(), _ratio(c.get("ratio")))
        for c in params.get("color_palette") or ()
        if isinstance(c, dict)
    )
    seed = params.get("seed")
    return GenerationRequest(
        prompt=prompt,
        model=model,
        images=images,
        n=int(params.get("n", 1)),
        size=str(params.get("size", "2K")),
        seed=int(seed) if seed is not None else None,
        watermark=bool(params.get("watermark", False)),
        thinking_mode=bool(params.get("thinking_mode", True)),
        enable_sequential=bool(params.get("enable_sequential", False)),
        color_palette=palette,
    )


def copy_image_to_clipboard(path: Path) -> bool:
    """Put the image (pixels) and its file URL on the clipboard; False if it cannot be read."""
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    if image.isNull():
        return False
    mime = QMimeData()
    mime.setImageData(image)
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    QGuiApplication.clipboard().setMimeData(mime)
    return True


def copy_text_to_clipboard(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


def reveal_in_file_manager(path: Path) -> bool:
    """Open the folder holding `path` (selecting the file is platform-specific; the folder is not)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent))))
