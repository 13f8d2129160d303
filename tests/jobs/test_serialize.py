"""The journal's request form round-trips every mode exactly (retry and reuse depend on it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Model, PaletteColor, RequestMode
from wan27_desktop.api.request_body import EncodedImage, build_body
from wan27_desktop.jobs.serialize import INPUT_PREFIX, request_from_json, request_mode_of, request_to_json

CASES = {
    "text_to_image": GenerationRequest("a fox", n=2, size="4K", seed=7, thinking_mode=False),
    "text_to_image_set": GenerationRequest("a comic", n=12, size="1K", enable_sequential=True),
    "edit_with_boxes": GenerationRequest(
        "put image 2 into the box",
        model=Model.STANDARD,
        size="1536*1024",
        watermark=True,
        images=(ImageInput("/refs/a.png"), ImageInput("/refs/b.png", (Box(10, 20, 300, 400),))),
        color_palette=(PaletteColor("#112233", 50.0), PaletteColor("#445566", 30.0), PaletteColor("#778899", 20.0)),
    ),
    "image_set_with_url": GenerationRequest(
        "storyboard", n=6, enable_sequential=True, images=(ImageInput("https://example.com/x.jpg"),)
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_request_round_trips_through_the_journal_form(name: str) -> None:
    request = CASES[name]
    shas = [None if image.is_url else f"{index:064x}" for index, image in enumerate(request.images)]
    body = build_body(
        request, [EncodedImage(i.source if i.is_url else "data:image/png;base64,AAAA", i.boxes) for i in request.images]
    )
    stored = request_to_json(request, body, shas, RequestMode.ASYNC)
    paths = {sha: Path(image.source) for sha, image in zip(shas, request.images, strict=True) if sha}
    assert request_from_json(stored, paths) == request
    assert request_mode_of(stored) is RequestMode.ASYNC


def test_stored_form_never_keeps_image_bytes() -> None:
    request = CASES["edit_with_boxes"]
    body = build_body(request, [EncodedImage("data:image/png;base64,SECRETBYTES", ()) for _ in request.images])
    stored = request_to_json(request, body, ["a" * 64, "b" * 64], RequestMode.SYNC)
    assert "SECRETBYTES" not in repr(stored)
    images = [item["image"] for item in stored["input"]["messages"][0]["content"] if "image" in item]
    assert images == [INPUT_PREFIX + "a" * 64, INPUT_PREFIX + "b" * 64]


def test_missing_library_copy_falls_back_to_the_original_path() -> None:
    request = CASES["edit_with_boxes"]
    body = build_body(request)
    stored = request_to_json(request, body, ["c" * 64, "d" * 64], RequestMode.SYNC)
    rebuilt = request_from_json(stored, {})
    assert [i.source for i in rebuilt.images] == ["/refs/a.png", "/refs/b.png"]


def test_lenient_with_a_bare_wire_body() -> None:
    body = {
        "model": "wan2.7-image",
        "input": {"messages": [{"role": "user", "content": [{"text": "hi"}]}]},
        "parameters": {"size": "1K", "n": 3, "color_palette": [{"hex": "#000000", "ratio": "40.00%"}]},
    }
    rebuilt = request_from_json(body)
    assert rebuilt.model is Model.STANDARD and rebuilt.n == 3 and rebuilt.color_palette[0].ratio == 40.0
    assert request_mode_of(body) is RequestMode.SYNC
