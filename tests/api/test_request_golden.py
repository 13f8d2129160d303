"""Request bodies for each §3.4 mode match hand-written golden JSON (tests/api/golden/*.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wan27_desktop.api.errors import ValidationError
from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Model, PaletteColor
from wan27_desktop.api.request_body import EncodedImage, build_body

GOLDEN = Path(__file__).parent / "golden"

CASES: dict[str, tuple[GenerationRequest, list[EncodedImage] | None]] = {
    "text_to_image": (
        GenerationRequest(
            prompt="A lighthouse at dawn, watercolour", model=Model.PRO, n=2, size="4k", seed=42, thinking_mode=True
        ),
        None,
    ),
    "text_to_image_set": (
        GenerationRequest(
            prompt="A four-panel comic about a cat learning to fly",
            model=Model.STANDARD,
            n=8,
            size="1536x1024",
            watermark=True,
            enable_sequential=True,
            thinking_mode=True,
        ),
        None,
    ),
    "edit_bbox": (
        GenerationRequest(
            prompt="Place the logo from image 1 inside the box on the mug in image 2",
            images=(
                ImageInput("https://example.com/logo.png"),
                ImageInput("/home/me/mug.png", (Box(989, 515, 1138, 681), Box(10, 20, 30, 40))),
                ImageInput("https://example.com/table.jpg"),
            ),
        ),
        [
            EncodedImage("https://example.com/logo.png"),
            EncodedImage("data:image/png;base64,iVBORw0KGgo=", (Box(989, 515, 1138, 681), Box(10, 20, 30, 40))),
            EncodedImage("https://example.com/table.jpg"),
        ],
    ),
    "edit_no_boxes": (
        GenerationRequest(
            prompt="Make it night time",
            model=Model.STANDARD,
            n=4,
            size="2048*1152",
            seed=0,
            images=(ImageInput("https://example.com/street.jpg"),),
        ),
        None,
    ),
    "image_set": (
        GenerationRequest(
            prompt="A storyboard of this character (image 1) visiting the place in image 2",
            n=12,
            size="1K",
            enable_sequential=True,
            images=(ImageInput("https://example.com/character.png"), ImageInput("https://example.com/place.jpg")),
        ),
        None,
    ),
    "palette": (
        GenerationRequest(
            prompt="A minimalist poster of a mountain",
            size="1K",
            thinking_mode=False,
            color_palette=(PaletteColor("#1f3a5f", 40), PaletteColor("#F2C14E", 35.0), PaletteColor("#fafaf7", 25)),
        ),
        None,
    ),
    "edit_palette": (
        GenerationRequest(
            prompt="Recolour the room",
            images=(ImageInput("https://example.com/room.jpg"),),
            color_palette=(
                PaletteColor("#112233", 33.34),
                PaletteColor("#445566", 33.33),
                PaletteColor("#778899", 33.33),
            ),
        ),
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_body_matches_golden(name):
    request, images = CASES[name]
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert build_body(request, images) == expected


def test_every_golden_file_has_a_case():
    assert {p.stem for p in GOLDEN.glob("*.json")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_body_always_sends_n_size_and_watermark(name):
    # §8.3: the service's default n bills 4x, so n is never left out.
    request, images = CASES[name]
    parameters = build_body(request, images)["parameters"]
    assert {"n", "size", "watermark"} <= parameters.keys()


@pytest.mark.parametrize("name", sorted(CASES))
def test_body_never_sends_unsupported_parameters(name):
    request, images = CASES[name]
    parameters = build_body(request, images)["parameters"]
    assert not {"negative_prompt", "prompt_extend"} & parameters.keys()  # §3: not in the 2.7 list


def test_bbox_list_has_one_entry_per_image_in_order():
    request, images = CASES["edit_bbox"]
    bbox_list = build_body(request, images)["parameters"]["bbox_list"]
    assert len(bbox_list) == len(request.images)
    assert bbox_list[0] == [] and bbox_list[2] == []


def test_invalid_request_never_becomes_a_body():
    with pytest.raises(ValidationError):
        build_body(GenerationRequest(prompt="x", size="4K", images=(ImageInput("https://e.com/a.png"),)))
