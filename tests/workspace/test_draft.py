"""The draft: what Generate sends follows the mode rules; the saved form reads back the same and
tolerates what it cannot read."""

from __future__ import annotations

from typing import Any

from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Model, PaletteColor, RequestMode
from wan27_desktop.workspace.draft import DEFAULT_PALETTE, Draft, DraftReference, Parameters


def test_boxes_and_palette_are_kept_but_not_sent_in_image_set_mode(qapp: Any) -> None:
    draft = Draft()
    draft.references = (DraftReference("/pics/a.png", (Box(0, 0, 10, 10),)),)
    draft.palette_on = True
    assert draft.request().images[0].boxes == (Box(0, 0, 10, 10),)
    assert draft.request().color_palette == DEFAULT_PALETTE
    draft.set_parameter(sequential=True, n=4)
    request = draft.request()
    assert request.images == (ImageInput("/pics/a.png"),)
    assert request.color_palette == ()
    assert draft.references[0].boxes == (Box(0, 0, 10, 10),)  # still in the draft


def test_set_request_takes_every_value(qapp: Any) -> None:
    draft = Draft()
    request = GenerationRequest(
        prompt="a lighthouse",
        model=Model.STANDARD,
        images=(ImageInput("/pics/a.png", (Box(1, 2, 3, 4),)),),
        n=3,
        size="1K",
        seed=42,
        watermark=True,
        thinking_mode=False,
        color_palette=(PaletteColor("#112233", 100.0),),
    )
    draft.set_request(request, RequestMode.ASYNC)
    assert draft.request() == request
    assert draft.request_mode is RequestMode.ASYNC


def test_the_saved_form_reads_back_the_same_draft(qapp: Any) -> None:
    draft = Draft()
    draft.prompt = "two cats, image 1 style"
    draft.references = (DraftReference("/lib/inputs/ab/abc.png", (Box(5, 5, 50, 50),), "cat.png"),)
    draft.parameters = Parameters(model=Model.STANDARD, size="1536*1024", n=2, seed=7, thinking=False)
    draft.palette = (PaletteColor("#ABCDEF", 60.0), PaletteColor("#000000", 40.0))
    draft.palette_on = True
    draft.request_mode = RequestMode.ASYNC
    again = Draft()
    again.load_json(draft.to_json())
    assert again.to_json() == draft.to_json()
    assert again.references[0].display_name == "cat.png"


def test_an_unreadable_saved_draft_loads_what_it_can(qapp: Any) -> None:
    draft = Draft()
    draft.load_json(
        {
            "prompt": 12,
            "references": [{"source": ""}, "junk", {"source": "/a.png", "boxes": [[1, 2], [0, 0, 5, 5]]}],
            "parameters": {"model": "no-such-model", "n": "three", "seed": True},
            "request_mode": "telepathy",
            "palette": [{"hex": "#FFFFFF"}],
        }
    )
    assert draft.prompt == ""
    assert draft.references == (DraftReference("/a.png", (Box(0, 0, 5, 5),)),)
    assert draft.parameters == Parameters()
    assert draft.request_mode is RequestMode.AUTO  # the default
    assert draft.palette == DEFAULT_PALETTE and not draft.palette_on


def test_every_persisted_change_reports_modified(qapp: Any) -> None:
    draft = Draft()
    modified: list[str] = []
    draft.modified.connect(modified.append)
    draft.prompt = "x"
    draft.set_parameter(n=2)
    draft.add_reference("/a.png")
    assert modified == ["prompt", "parameters", "references"]
