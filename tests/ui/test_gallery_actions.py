"""`request_from_job`: reuse-all-parameters rebuilds exactly the request a stored job was made from."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage

from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Model, PaletteColor
from wan27_desktop.api.request_body import EncodedImage, build_body
from wan27_desktop.library import Library
from wan27_desktop.ui.gallery.actions import request_from_job


def png(path: Path, hue: int) -> Path:
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor.fromHsv(hue, 200, 200))
    image.save(str(path), "PNG")
    return path


def stored_body(request: GenerationRequest, *, keep_private: bool = True) -> dict[str, Any]:
    """What the job layer stores: build_body with data URIs as input:<sha>, original boxes aside."""
    encoded = []
    for image in request.images:
        if image.is_url:
            encoded.append(EncodedImage(image.source, image.boxes))
        else:
            # The service gets a scaled copy: boxes as sent are halved here, like a 2x downscale.
            encoded.append(EncodedImage("data:image/png;base64,AAAA", tuple(b.scaled(0.5) for b in image.boxes)))
    body = build_body(request, encoded)
    content = body["input"]["messages"][0]["content"]
    for item, image in zip(content[1:], request.images, strict=True):
        if not image.is_url:
            item["image"] = "input:" + hashlib.sha256(Path(image.source).read_bytes()).hexdigest()
    if keep_private:
        body["_wan27"] = {
            "boxes": [[b.as_list() for b in i.boxes] for i in request.images],
            "request_mode": "async",
            "sizes": None,
        }
    return body


def store(lib: Library, request: GenerationRequest, **kwargs: Any) -> int:
    local = [Path(i.source) for i in request.images if not i.is_url]
    return lib.jobs.create(
        stored_body(request, **kwargs),
        model=request.model.value,
        request_mode="async",
        region="sg",
        endpoint="http://127.0.0.1/api/v1",
        n=request.n,
        estimated_cost="0.60",
        inputs=local,
    )


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library.open(tmp_path / "data")
    yield lib  # type: ignore[misc]
    lib.close()


def with_stored_inputs(request: GenerationRequest, lib: Library, job_id: int) -> GenerationRequest:
    stored = iter(lib.jobs.get(job_id).inputs)
    images = tuple(i if i.is_url else i.replace(source=next(stored)) for i in request.images)
    return request.replace(images=images)


def test_edit_job_round_trips_references_boxes_and_palette(tmp_path: Path, library: Library) -> None:
    a, b = png(tmp_path / "a.png", 10), png(tmp_path / "b.png", 200)
    request = GenerationRequest(
        prompt="Put the cat from image 1 into image 2",
        model=Model.STANDARD,
        images=(ImageInput(str(a), (Box(10, 20, 110, 120), Box(200, 10, 300, 90))), ImageInput(str(b))),
        n=2,
        size="1K",
        seed=42,
        watermark=True,
        color_palette=(PaletteColor("#FF0000", 50.0), PaletteColor("#00FF00", 30.0), PaletteColor("#0000FF", 20.0)),
    )
    job_id = store(library, request)
    rebuilt = request_from_job(library.jobs.get(job_id), library)
    assert rebuilt == with_stored_inputs(request, library, job_id)
    assert all(Path(i.source).is_file() and "inputs" in i.source for i in rebuilt.images)
    assert rebuilt.images[0].boxes == (Box(10, 20, 110, 120), Box(200, 10, 300, 90))  # original pixels


def test_text_to_image_job_round_trips_thinking_and_custom_size(library: Library) -> None:
    request = GenerationRequest(
        prompt="a lighthouse", model=Model.PRO, n=4, size="2048*1152", seed=7, thinking_mode=False
    )
    assert request_from_job(library.jobs.get(store(library, request)), library) == request


def test_image_set_job_round_trips_sequential(library: Library) -> None:
    request = GenerationRequest(prompt="a comic in 6 panels", n=6, size="2K", enable_sequential=True)
    assert request_from_job(library.jobs.get(store(library, request)), library) == request


def test_url_references_stay_urls(library: Library) -> None:
    request = GenerationRequest(
        prompt="restyle image 1", images=(ImageInput("https://example.com/cat.png"),), size="1K"
    )
    assert request_from_job(library.jobs.get(store(library, request)), library) == request


def test_without_private_boxes_the_sent_bbox_list_is_used(tmp_path: Path, library: Library) -> None:
    a = png(tmp_path / "a.png", 30)
    request = GenerationRequest(
        prompt="edit image 1", images=(ImageInput(str(a), (Box(100, 100, 300, 200),)),), size="1K"
    )
    job_id = store(library, request, keep_private=False)
    rebuilt = request_from_job(library.jobs.get(job_id), library)
    assert rebuilt.images[0].boxes == (Box(50, 50, 150, 100),)  # as sent (halved)
    assert rebuilt.images[0].source == library.jobs.get(job_id).inputs[0]
