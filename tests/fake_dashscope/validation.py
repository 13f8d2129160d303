"""Validate a create body the way the reference says the service does (§2-§3.4).

Deliberately independent of `wan27_desktop.api.validation`: the fake must catch the client's bugs,
not share them. Where §9 says a fact is uncertain the fake is lenient (alpha PNGs accepted, custom
sizes checked by total pixels and ratio only, unknown parameters ignored, over-long prompts
truncated silently).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tests.fake_dashscope.imageinfo import ImageInfo, UnreadableImage, sniff

MODELS = ("wan2.7-image-pro", "wan2.7-image")
PRO = "wan2.7-image-pro"
MAX_PROMPT = 5000  # §2.1: longer text is truncated, not refused
MAX_IMAGES = 9  # §2.3
MIN_SIDE, MAX_SIDE, MAX_RATIO = 240, 8000, 8.0  # §2.3
MAX_IMAGE_BYTES = 20 * 1024 * 1024  # §2.3
PRESETS = {"1K": 1024, "2K": 2048, "4K": 4096}  # §3.1 pixel budgets (side of the square)
MIN_PIXELS = 768 * 768  # §3.1
SEED_MAX = 2147483647  # §3
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

_DATA_URI = re.compile(r"^data:([A-Za-z0-9.+/-]+);base64,(.*)$", re.DOTALL)
_CUSTOM = re.compile(r"^(\d{1,6})\*(\d{1,6})$")  # §3.1: asterisk only; "x" is a gateway convention
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_RATIO = re.compile(r"^(\d{1,3})\.(\d{2})%$")  # §3.3: two decimals


class ApiError(Exception):
    """An error answer: HTTP status + DashScope `code` + message (§4.4)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def invalid(message: str) -> ApiError:
    return ApiError(400, "InvalidParameter", message)


@dataclass
class InputImage:
    value: str  # as sent, possibly a long data URI
    kind: str  # "data" | "url" | "oss"
    info: ImageInfo | None  # None when the fake could not look at the pixels (remote URL, oss://)


@dataclass
class ParsedRequest:
    model: str
    prompt: str
    images: list[InputImage]
    n: int  # effective n (the service default when not sent)
    n_sent: bool
    size: str
    sequential: bool
    thinking_mode: bool | None
    seed: int | None
    watermark: bool
    bbox_list: list[Any] | None
    color_palette: list[Any] | None
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def mode(self) -> str:
        if self.images:
            return "image-set" if self.sequential else "edit"
        return "text-to-image-set" if self.sequential else "text-to-image"

    def output_size(self, text_aspect: tuple[int, int] = (1, 1)) -> tuple[int, int]:
        """The size the fake delivers: custom W*H as asked; a preset keeps its pixel budget, at the
        aspect ratio of the last input image (§2.2, §3.1) when its pixels are known, else at
        `text_aspect` (§9: text-to-image presets are not always square; the reference's 2K
        example is 2985*1405)."""
        custom = _CUSTOM.match(self.size)
        if custom:
            return int(custom.group(1)), int(custom.group(2))
        side = PRESETS[self.size]
        last = self.images[-1].info if self.images else None
        if last is None:
            if self.images:  # pixels unseen (a remote URL, oss://): square
                return side, side
            ratio = text_aspect[0] / text_aspect[1]
            return round(math.sqrt(side * side * ratio)), round(math.sqrt(side * side / ratio))
        ratio = last.width / last.height
        width = round(math.sqrt(side * side * ratio) / 16) * 16
        height = round(math.sqrt(side * side / ratio) / 16) * 16
        return max(16, width), max(16, height)


Fetcher = Callable[[str], bytes]  # fetch a loopback URL; raises OSError on failure


@dataclass
class InputPolicy:
    """How the fake treats image URLs (there is no internet here)."""

    fetch: Fetcher
    unreachable_urls: set[str] = field(default_factory=set)  # -> InvalidURL
    failing_urls: set[str] = field(default_factory=set)  # -> BadRequest.InputDownloadFailed
    oss_resolve: bool = False  # X-DashScope-OssResourceResolve: enable was sent


def parse_json(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise invalid(f"The request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object.")
    return body


def validate_body(body: dict[str, Any], policy: InputPolicy) -> ParsedRequest:
    model = body.get("model")
    if model is None or model == "":
        raise ApiError(400, "BadRequest.EmptyModel", 'Required parameter "model" missing from request.')
    if not isinstance(model, str):
        raise invalid("model must be a string.")
    if model not in MODELS:
        raise ApiError(404, "ModelNotFound", f"Model not exist: {model}.")
    if body.get("input") is None:
        raise ApiError(400, "BadRequest.EmptyInput", 'Required parameter "input" missing from request.')
    # §2.1 marks parameters optional: missing means all defaults (n=4 is billed!); an explicit
    # null is what the service calls an empty parameters object.
    if "parameters" in body and body["parameters"] is None:
        raise ApiError(400, "BadRequest.EmptyParameters", 'Required parameter "parameters" missing from request.')
    params = body.get("parameters", {})
    if not isinstance(params, dict):
        raise invalid("parameters must be an object.")
    prompt, image_values = _parse_input(body["input"])
    images = [_resolve_image(value, i + 1, policy) for i, value in enumerate(image_values)]
    return _parse_parameters(model, prompt, images, params)


def _parse_input(inp: Any) -> tuple[str, list[str]]:
    if not isinstance(inp, dict):
        raise invalid("input must be an object.")
    messages = inp.get("messages")
    if not isinstance(messages, list) or not messages:
        raise invalid("input.messages must be a non-empty array.")
    if len(messages) != 1:  # §2.1: single-turn
        raise invalid("input.messages must contain exactly one message (single-turn only).")
    message = messages[0]
    if not isinstance(message, dict) or message.get("role") != "user":
        raise invalid('input.messages[0].role must be "user".')
    content = message.get("content")
    if not isinstance(content, list) or not content:
        raise invalid("input.messages[0].content must be a non-empty array.")
    texts: list[str] = []
    images: list[str] = []
    for index, item in enumerate(content):
        if not isinstance(item, dict) or len(item) != 1 or not ({"text", "image"} & item.keys()):
            raise invalid(f"content[{index}] must be one object with a single 'text' or 'image' key.")
        if "text" in item:
            if not isinstance(item["text"], str):
                raise invalid(f"content[{index}].text must be a string.")
            texts.append(item["text"])
        else:
            if not isinstance(item["image"], str) or not item["image"]:
                raise invalid(f"content[{index}].image must be a non-empty string.")
            images.append(item["image"])
    if len(texts) != 1:  # §2.1: exactly one text object
        raise invalid(f"content must hold exactly one text object, got {len(texts)}.")
    if not texts[0].strip():
        raise invalid("The text prompt must not be empty.")
    if len(images) > MAX_IMAGES:  # §2.3
        raise invalid(f"At most {MAX_IMAGES} input images are supported, got {len(images)}.")
    return texts[0][:MAX_PROMPT], images


def _resolve_image(value: str, number: int, policy: InputPolicy) -> InputImage:
    if value.startswith("data:"):
        return InputImage(value, "data", _check_pixels(_decode_data_uri(value, number), number))
    if value.startswith("oss://"):
        # §2.4: temp files need the resolve header; the fake cannot look inside them.
        if not policy.oss_resolve:
            raise ApiError(
                400,
                "InvalidURL",
                f"image {number}: oss:// URLs need the header X-DashScope-OssResourceResolve: enable.",
            )
        return InputImage(value, "oss", None)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApiError(400, "InvalidURL", f"image {number}: the url is invalid: {value[:80]}")
    if value in policy.unreachable_urls:
        raise ApiError(400, "InvalidURL", f"image {number}: the url is unreachable: {value[:200]}")
    if value in policy.failing_urls:
        raise ApiError(
            400, "BadRequest.InputDownloadFailed", f"image {number}: failed to download the input file: {value[:200]}"
        )
    if parts.hostname not in LOCAL_HOSTS:
        return InputImage(value, "url", None)  # no internet here: accept as-is
    try:
        data = policy.fetch(value)
    except OSError as exc:
        raise ApiError(
            400, "BadRequest.InputDownloadFailed", f"image {number}: failed to download the input file: {exc}"
        ) from None
    if len(data) > MAX_IMAGE_BYTES:
        raise invalid(f"image {number}: the file is larger than 20 MB.")
    return InputImage(value, "url", _check_pixels(data, number))


def _decode_data_uri(value: str, number: int) -> bytes:
    match = _DATA_URI.match(value)
    if not match:
        raise ApiError(400, "BadRequest.UnsupportedFileFormat", f"image {number}: expected data:<mime>;base64,<data>.")
    payload = match.group(2)
    # 4/3 of 20 MB plus padding: refuse before decoding a monster.
    if len(payload) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise invalid(f"image {number}: the file is larger than 20 MB.")
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(
            400, "BadRequest.UnsupportedFileFormat", f"image {number}: the base64 data cannot be decoded."
        ) from None
    if len(data) > MAX_IMAGE_BYTES:
        raise invalid(f"image {number}: the file is larger than 20 MB.")
    return data


def _check_pixels(data: bytes, number: int) -> ImageInfo:
    try:
        info = sniff(data)
    except UnreadableImage as exc:
        raise ApiError(400, "BadRequest.UnsupportedFileFormat", f"image {number}: {exc}.") from None
    if not (MIN_SIDE <= info.width <= MAX_SIDE and MIN_SIDE <= info.height <= MAX_SIDE):
        raise invalid(
            f"image {number}: width and height must be within [{MIN_SIDE}, {MAX_SIDE}] px, "
            f"got {info.width}x{info.height}."
        )
    if max(info.width, info.height) / min(info.width, info.height) > MAX_RATIO:
        raise invalid(f"image {number}: aspect ratio must be within [1:8, 8:1], got {info.width}x{info.height}.")
    return info


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_parameters(model: str, prompt: str, images: list[InputImage], params: dict[str, Any]) -> ParsedRequest:
    for name in ("watermark", "thinking_mode", "enable_sequential"):
        if name in params and not _is_bool(params[name]):
            raise invalid(f"parameters.{name} must be a boolean.")
    sequential = bool(params.get("enable_sequential", False))
    n_sent = "n" in params
    n = params.get("n", 12 if sequential else 4)  # §3: the default bills 4x (12 for sets)
    n_max = 12 if sequential else 4
    if not _is_int(n) or not 1 <= n <= n_max:
        raise invalid(f"parameters.n must be an integer in [1, {n_max}], got {n!r}.")
    seed = params.get("seed")
    if seed is not None and (not _is_int(seed) or not 0 <= seed <= SEED_MAX):
        raise invalid(f"parameters.seed must be an integer in [0, {SEED_MAX}], got {seed!r}.")
    size = params.get("size", "2K")
    pure_t2i = not images and not sequential
    _check_size(size, model, pure_t2i)
    bbox_list = params.get("bbox_list")
    if bbox_list is not None:
        _check_boxes(bbox_list, images, sequential)
    palette = params.get("color_palette")
    if palette is not None:
        _check_palette(palette, sequential)
    return ParsedRequest(
        model=model,
        prompt=prompt,
        images=images,
        n=n,
        n_sent=n_sent,
        size=size,
        sequential=sequential,
        # §3: thinking_mode is ignored outside text-to-image.
        thinking_mode=params.get("thinking_mode", True) if pure_t2i else None,
        seed=seed,
        watermark=bool(params.get("watermark", False)),
        bbox_list=bbox_list,
        color_palette=palette,
        parameters=params,
    )


def _check_size(size: Any, model: str, pure_t2i: bool) -> None:
    if not isinstance(size, str):
        raise invalid(f"parameters.size must be a string, got {size!r}.")
    four_k_ok = model == PRO and pure_t2i  # §3.1
    if size in PRESETS:
        if size == "4K" and not four_k_ok:
            raise invalid(
                "size 4K is only supported by wan2.7-image-pro for text-to-image "
                "without input images and with enable_sequential=false."
            )
        return
    match = _CUSTOM.match(size)
    if not match:
        raise invalid(f'parameters.size must be "1K", "2K", "4K" or "W*H", got {size!r}.')
    width, height = int(match.group(1)), int(match.group(2))
    max_pixels = 4096 * 4096 if four_k_ok else 2048 * 2048
    if width == 0 or height == 0 or not MIN_PIXELS <= width * height <= max_pixels:
        raise invalid(
            f"size {size}: total pixels must be within [768*768, {math.isqrt(max_pixels)}*{math.isqrt(max_pixels)}]."
        )
    if max(width, height) / min(width, height) > MAX_RATIO:
        raise invalid(f"size {size}: aspect ratio must be within [1:8, 8:1].")


def _check_boxes(bbox_list: Any, images: list[InputImage], sequential: bool) -> None:
    if not images:
        raise invalid("parameters.bbox_list requires at least one input image.")
    if sequential:
        raise invalid("parameters.bbox_list is not supported with enable_sequential=true.")
    if not isinstance(bbox_list, list) or len(bbox_list) != len(images):  # §3.2
        raise invalid(f"parameters.bbox_list must have one entry per input image ({len(images)}).")
    for i, (boxes, image) in enumerate(zip(bbox_list, images, strict=True), start=1):
        if not isinstance(boxes, list) or len(boxes) > 2:
            raise invalid(f"bbox_list[{i - 1}]: at most 2 boxes per image.")
        for box in boxes:
            if not isinstance(box, list) or len(box) != 4 or not all(_is_int(v) or isinstance(v, float) for v in box):
                raise invalid(f"bbox_list[{i - 1}]: each box is [x1, y1, x2, y2] in pixels.")
            x1, y1, x2, y2 = box
            if not (0 <= x1 < x2 and 0 <= y1 < y2):
                raise invalid(f"bbox_list[{i - 1}]: box {box} needs 0 <= x1 < x2 and 0 <= y1 < y2.")
            # Boxes are absolute pixels of the image as sent; a box beyond its edge means the
            # client scaled the image but not the box.
            info = image.info
            if info is not None and (x2 > info.width or y2 > info.height):
                raise invalid(f"bbox_list[{i - 1}]: box {box} lies outside image {i} ({info.width}x{info.height}).")


def _check_palette(palette: Any, sequential: bool) -> None:
    if sequential:  # §3.3
        raise invalid("parameters.color_palette is not supported with enable_sequential=true.")
    if not isinstance(palette, list) or not 3 <= len(palette) <= 10:
        raise invalid("parameters.color_palette must have 3 to 10 entries.")
    total = 0
    for i, entry in enumerate(palette):
        if not isinstance(entry, dict) or set(entry) != {"hex", "ratio"}:
            raise invalid(f'color_palette[{i}] must be {{"hex": "#RRGGBB", "ratio": "xx.xx%"}}.')
        if not isinstance(entry["hex"], str) or not _HEX.match(entry["hex"]):
            raise invalid(f"color_palette[{i}].hex must be #RRGGBB, got {entry['hex']!r}.")
        match = _RATIO.match(entry["ratio"]) if isinstance(entry["ratio"], str) else None
        if not match:
            raise invalid(f"color_palette[{i}].ratio must be a percentage with two decimals, got {entry['ratio']!r}.")
        total += int(match.group(1)) * 100 + int(match.group(2))
    if total != 10000:
        raise invalid(f"color_palette ratios must sum to 100.00%, got {total // 100}.{total % 100:02d}%.")
