"""The fake refuses what §2-§3.4 say the service refuses, with the right code, and accepts what §9
leaves open."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest

from tests.fake_dashscope import FakeDashScope
from tests.fake_dashscope.testkit import (
    ASYNC,
    ASYNC_HEADERS,
    SYNC,
    bmp_header,
    body,
    data_uri,
    image_urls,
    jpeg_header,
    png,
    webp_vp8l,
    webp_vp8x,
)

PNG_320 = data_uri(png(320, 240))


def _without(key: str) -> dict[str, Any]:
    sent = body()
    del sent[key]
    return sent


def _with(path: list[Any], value: Any, sent: dict[str, Any] | None = None) -> dict[str, Any]:
    sent = copy.deepcopy(sent or body())
    target = sent
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return sent


PALETTE = [
    {"hex": "#1F3A5F", "ratio": "40.00%"},
    {"hex": "#F2C14E", "ratio": "35.00%"},
    {"hex": "#FAFAF7", "ratio": "25.00%"},
]

BAD_BODIES: dict[str, tuple[dict[str, Any], int, str]] = {
    "no model": (_without("model"), 400, "BadRequest.EmptyModel"),
    "empty model": (_with(["model"], ""), 400, "BadRequest.EmptyModel"),
    "unknown model": (_with(["model"], "wan2.6-image"), 404, "ModelNotFound"),
    "no input": (_without("input"), 400, "BadRequest.EmptyInput"),
    "null parameters": (_with(["parameters"], None), 400, "BadRequest.EmptyParameters"),
    "two messages": (_with(["input", "messages"], body()["input"]["messages"] * 2), 400, "InvalidParameter"),
    "assistant role": (_with(["input", "messages", 0, "role"], "assistant"), 400, "InvalidParameter"),
    "two texts": (_with(["input", "messages", 0, "content"], [{"text": "a"}, {"text": "b"}]), 400, "InvalidParameter"),
    "no text": (_with(["input", "messages", 0, "content"], [{"image": PNG_320}]), 400, "InvalidParameter"),
    "blank prompt": (body(prompt="   "), 400, "InvalidParameter"),
    "ten images": (body(images=[PNG_320] * 10), 400, "InvalidParameter"),
    "n 0": (body(n=0), 400, "InvalidParameter"),
    "n 5": (body(n=5), 400, "InvalidParameter"),
    "n 13 in a set": (body(n=13, enable_sequential=True), 400, "InvalidParameter"),
    "n as string": (body(n="1"), 400, "InvalidParameter"),
    "seed -1": (body(seed=-1), 400, "InvalidParameter"),
    "seed 2^31": (body(seed=2**31), 400, "InvalidParameter"),
    "watermark as string": (body(watermark="no"), 400, "InvalidParameter"),
    "size 3K": (body(size="3K"), 400, "InvalidParameter"),
    "size with x": (body(size="1024x1024"), 400, "InvalidParameter"),
    "size below 768^2": (body(size="767*768"), 400, "InvalidParameter"),
    "size above 2048^2 on standard": (body(model="wan2.7-image", size="2048*2049"), 400, "InvalidParameter"),
    "size above 4096^2 on pro": (body(size="4096*4097"), 400, "InvalidParameter"),
    "size ratio 9:1": (body(size="2700*300"), 400, "InvalidParameter"),
    "4K on standard": (body(model="wan2.7-image", size="4K"), 400, "InvalidParameter"),
    "4K with an image": (body(size="4K", images=[PNG_320]), 400, "InvalidParameter"),
    "4K in a set": (body(size="4K", enable_sequential=True), 400, "InvalidParameter"),
    "custom 3000*3000 with an image": (body(size="3000*3000", images=[PNG_320]), 400, "InvalidParameter"),
    "boxes without images": (body(bbox_list=[[[0, 0, 10, 10]]]), 400, "InvalidParameter"),
    "boxes count mismatch": (body(images=[PNG_320, PNG_320], bbox_list=[[[0, 0, 10, 10]]]), 400, "InvalidParameter"),
    "three boxes": (
        body(images=[PNG_320], bbox_list=[[[0, 0, 9, 9], [1, 1, 9, 9], [2, 2, 9, 9]]]),
        400,
        "InvalidParameter",
    ),
    "box outside the image": (body(images=[PNG_320], bbox_list=[[[0, 0, 321, 100]]]), 400, "InvalidParameter"),
    "inverted box": (body(images=[PNG_320], bbox_list=[[[50, 50, 10, 10]]]), 400, "InvalidParameter"),
    "boxes in a set": (
        body(images=[PNG_320], enable_sequential=True, bbox_list=[[[0, 0, 9, 9]]]),
        400,
        "InvalidParameter",
    ),
    "palette of 2": (body(color_palette=PALETTE[:2]), 400, "InvalidParameter"),
    "palette of 11": (
        body(color_palette=[{"hex": "#000000", "ratio": "9.10%"}] * 10 + [{"hex": "#000000", "ratio": "9.00%"}]),
        400,
        "InvalidParameter",
    ),
    "palette sums to 99.99%": (
        body(color_palette=PALETTE[:2] + [{"hex": "#FAFAF7", "ratio": "24.99%"}]),
        400,
        "InvalidParameter",
    ),
    "palette ratio one decimal": (
        body(color_palette=PALETTE[:2] + [{"hex": "#FAFAF7", "ratio": "25.0%"}]),
        400,
        "InvalidParameter",
    ),
    "palette bad hex": (
        body(color_palette=[{"hex": "1F3A5F", "ratio": "40.00%"}] + PALETTE[1:]),
        400,
        "InvalidParameter",
    ),
    "palette in a set": (body(color_palette=PALETTE, enable_sequential=True), 400, "InvalidParameter"),
    "image not base64": (
        body(images=["data:image/png;base64,!!!not base64!!!"]),
        400,
        "BadRequest.UnsupportedFileFormat",
    ),
    "data uri without base64": (body(images=["data:image/png,rawbytes"]), 400, "BadRequest.UnsupportedFileFormat"),
    "gif image": (
        body(images=[data_uri(b"GIF89a" + b"\x00" * 64, "image/gif")]),
        400,
        "BadRequest.UnsupportedFileFormat",
    ),
    "text file as png": (body(images=[data_uri(b"hello, I am text")]), 400, "BadRequest.UnsupportedFileFormat"),
    "truncated png": (body(images=[data_uri(png()[:200])]), 400, "BadRequest.UnsupportedFileFormat"),
    "239 px side": (body(images=[data_uri(png(239, 400))]), 400, "InvalidParameter"),
    "8001 px side": (body(images=[data_uri(jpeg_header(8001, 2000), "image/jpeg")]), 400, "InvalidParameter"),
    "image ratio 1:9": (body(images=[data_uri(bmp_header(250, 2250), "image/bmp")]), 400, "InvalidParameter"),
    "ftp url": (body(images=["ftp://example.com/a.png"]), 400, "InvalidURL"),
    "oss without resolve header": (body(images=["oss://dashscope-instant/abc/a.png"]), 400, "InvalidURL"),
}


@pytest.mark.parametrize("name", list(BAD_BODIES))
def test_bad_body_is_refused_with_the_service_code(name: str, fake: FakeDashScope, api: httpx.Client) -> None:
    sent, status, code = BAD_BODIES[name]
    response = api.post(SYNC, json=sent)
    assert (response.status_code, response.json()["code"]) == (status, code), response.json()["message"]
    assert set(response.json()) == {"request_id", "code", "message"}
    assert fake.created_count == 0
    assert fake.billed_images == []


def test_async_create_validates_the_same_way(fake: FakeDashScope, api: httpx.Client) -> None:
    response = api.post(ASYNC, json=body(n=5), headers=ASYNC_HEADERS)
    assert (response.status_code, response.json()["code"]) == (400, "InvalidParameter")
    assert fake.tasks == {}


def test_malformed_json_is_invalid_parameter(api: httpx.Client) -> None:
    response = api.post(SYNC, content=b'{"model": ', headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()["code"]) == (400, "InvalidParameter")


def test_body_over_the_cap_is_413_too_large(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.max_body_bytes = 100_000
    sent = body(images=[data_uri(b"\x89PNG" + b"\x00" * 120_000)])
    response = api.post(SYNC, content=json.dumps(sent).encode(), headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()["code"]) == (413, "BadRequest.TooLarge")


def test_image_over_20_mb_is_refused(api: httpx.Client) -> None:
    big = png(320, 240) + b"\x00" * (20 * 1024 * 1024)
    response = api.post(SYNC, json=body(images=[data_uri(big)]))
    assert (response.status_code, response.json()["code"]) == (400, "InvalidParameter")
    assert "20 MB" in response.json()["message"]


@pytest.mark.parametrize(
    "image",
    [
        data_uri(jpeg_header(1200, 800), "image/jpeg"),
        data_uri(bmp_header(640, 480), "image/bmp"),
        data_uri(webp_vp8x(640, 480), "image/webp"),
        data_uri(webp_vp8l(640, 480), "image/webp"),
    ],
    ids=["jpeg", "bmp", "webp-vp8x", "webp-vp8l"],
)
def test_supported_formats_are_accepted(image: str, api: httpx.Client) -> None:
    assert api.post(SYNC, json=body(images=[image])).status_code == 200


def test_alpha_png_is_accepted_because_9_says_it_is_uncertain(api: httpx.Client) -> None:
    # A colour-type-6 (RGBA) IHDR patched into a valid PNG, CRC fixed.
    import struct
    import zlib

    data = bytearray(png(320, 240))
    data[25] = 6
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    assert api.post(SYNC, json=body(images=[data_uri(bytes(data))])).status_code == 200


def test_per_side_bounds_are_not_enforced(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.result_image_mode = "real"
    # §9: total pixels and ratio are checked; a 3000 px side within the 2K budget is accepted.
    response = api.post(SYNC, json=body(model="wan2.7-image", size="3000*1000"))
    assert response.status_code == 200
    assert response.json()["usage"]["size"] == "3000*1000"


def test_4k_is_accepted_for_pro_text_to_image(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.result_image_mode = "real"
    response = api.post(SYNC, json=body(size="4K"))
    assert response.json()["usage"]["size"] == "4096*4096"


def test_missing_n_bills_the_default_four(fake: FakeDashScope, api: httpx.Client) -> None:
    response = api.post(SYNC, json=body(n=None))
    assert response.json()["usage"]["image_count"] == 4
    assert len(fake.billed_images) == 4


def test_missing_parameters_bill_the_default_four(fake: FakeDashScope, api: httpx.Client) -> None:
    sent = body()
    del sent["parameters"]
    assert api.post(SYNC, json=sent).json()["usage"]["image_count"] == 4


def test_missing_n_in_a_set_bills_twelve(fake: FakeDashScope, api: httpx.Client) -> None:
    assert api.post(SYNC, json=body(n=None, enable_sequential=True)).json()["usage"]["image_count"] == 12


def test_thinking_mode_is_ignored_with_images(fake: FakeDashScope, api: httpx.Client) -> None:
    api.post(ASYNC, json=body(images=[PNG_320], thinking_mode=True), headers=ASYNC_HEADERS)
    (task,) = fake.tasks.values()
    assert task.request.thinking_mode is None


def test_long_prompt_is_truncated_not_refused(fake: FakeDashScope, api: httpx.Client) -> None:
    api.post(ASYNC, json=body(prompt="x" * 6000), headers=ASYNC_HEADERS)
    (task,) = fake.tasks.values()
    assert len(task.request.prompt) == 5000


def test_valid_boxes_and_palette_are_accepted(api: httpx.Client) -> None:
    sent = body(images=[PNG_320, PNG_320], bbox_list=[[], [[10, 10, 320, 240], [0, 0, 5, 5]]], color_palette=PALETTE)
    assert api.post(SYNC, json=sent).status_code == 200


def test_preset_follows_the_last_image_ratio(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.result_image_mode = "real"
    sent = body(size="1K", images=[data_uri(png(400, 400)), data_uri(png(800, 400))])
    width, height = map(int, api.post(SYNC, json=sent).json()["usage"]["size"].split("*"))
    assert width / height == pytest.approx(2.0, rel=0.03)
    assert width * height == pytest.approx(1024 * 1024, rel=0.05)


def test_remote_url_is_accepted_as_is(api: httpx.Client) -> None:
    assert api.post(SYNC, json=body(images=["https://example.com/mug.jpg"])).status_code == 200


def test_loopback_url_is_fetched_and_checked(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.result_image_mode = "real"
    url = image_urls(api.post(SYNC, json=body(size="1024*1024")).json())[0]
    response = api.post(SYNC, json=body(size="1K", images=[url], bbox_list=[[[0, 0, 1024, 1024]]]))
    assert response.status_code == 200
    assert response.json()["usage"]["size"] == "1024*1024"
    refused = api.post(SYNC, json=body(images=[url], bbox_list=[[[0, 0, 1025, 10]]]))
    assert refused.json()["code"] == "InvalidParameter"


def test_loopback_url_that_fails_is_input_download_failed(fake: FakeDashScope, api: httpx.Client) -> None:
    response = api.post(SYNC, json=body(images=[fake.result_host + "/nothing/here.png"]))
    assert (response.status_code, response.json()["code"]) == (400, "BadRequest.InputDownloadFailed")


def test_registered_unreachable_url_is_invalid_url(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.unreachable_urls.add("https://example.com/gone.png")
    response = api.post(SYNC, json=body(images=["https://example.com/gone.png"]))
    assert (response.status_code, response.json()["code"]) == (400, "InvalidURL")


def test_registered_failing_url_is_input_download_failed(fake: FakeDashScope, api: httpx.Client) -> None:
    fake.failing_urls.add("https://example.com/flaky.png")
    response = api.post(SYNC, json=body(images=["https://example.com/flaky.png"]))
    assert response.json()["code"] == "BadRequest.InputDownloadFailed"


def test_oss_url_with_resolve_header_is_accepted(api: httpx.Client) -> None:
    response = api.post(
        SYNC,
        json=body(images=["oss://dashscope-instant/abc/a.png"]),
        headers={"X-DashScope-OssResourceResolve": "enable"},
    )
    assert response.status_code == 200
