"""Helpers for the fake's own tests: request bodies and tiny input images built in pure Python."""

from __future__ import annotations

import base64
import ssl
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from tests.fake_dashscope.pngmaker import pattern_png

SYNC = "/services/aigc/multimodal-generation/generation"
ASYNC = "/services/aigc/image-generation/generation"
ASYNC_HEADERS = {"X-DashScope-Async": "enable"}

# Building httpx's default SSL context costs ~0.1 s per client; the fake is plain HTTP, so share one.
SSL_CONTEXT = ssl.create_default_context()


def get(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.get(url, verify=SSL_CONTEXT, **kwargs)


@contextmanager
def stream(url: str, **kwargs: Any) -> Iterator[httpx.Response]:
    with httpx.stream("GET", url, verify=SSL_CONTEXT, **kwargs) as response:
        yield response


def body(
    prompt: str = "a red fox", images: list[str] | None = None, model: str = "wan2.7-image-pro", **parameters: Any
) -> dict[str, Any]:
    """A create body; parameters default to n=1, size=1K, watermark=false."""
    content: list[dict[str, str]] = [{"text": prompt}]
    content += [{"image": image} for image in images or []]
    params = {"n": 1, "size": "1K", "watermark": False}
    params.update(parameters)
    params = {k: v for k, v in params.items() if v is not None}
    return {"model": model, "input": {"messages": [{"role": "user", "content": content}]}, "parameters": params}


def create_elsewhere(fake: Any, model: str = "wan2.7-image-pro", n: int = 1) -> dict[str, Any]:
    """An async create by another program of the same account (raw HTTP, as the SDK does it): the
    fake's answer, `{"request_id", "output": {"task_id", "task_status"}}`."""
    with httpx.Client(
        base_url=fake.base_url, headers={"Authorization": f"Bearer {fake.api_key}"}, verify=SSL_CONTEXT
    ) as other:
        response = other.post(ASYNC, json=body(model=model, n=n), headers=ASYNC_HEADERS)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def data_uri(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode()


def png(width: int = 320, height: int = 240) -> bytes:
    return pattern_png(width, height, "input")


def jpeg_header(width: int, height: int) -> bytes:
    """Just enough JPEG for a header parser: SOI, APP0, SOF0, EOI."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xda\x00\x02" + b"\x00" * 16 + b"\xff\xd9"


def bmp_header(width: int, height: int) -> bytes:
    dib = struct.pack("<IiiHHIIiiII", 40, width, -height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 54 + len(dib), 0, 0, 54) + dib


def webp_vp8x(width: int, height: int, alpha: bool = False) -> bytes:
    payload = (
        bytes([0x10 if alpha else 0, 0, 0, 0]) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    )
    chunk = b"VP8X" + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def webp_vp8l(width: int, height: int) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    payload = b"\x2f" + struct.pack("<I", bits)
    chunk = b"VP8L" + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def image_urls(response_json: dict[str, Any]) -> list[str]:
    return [
        item["image"]
        for choice in response_json["output"].get("choices", [])
        for item in choice["message"]["content"]
        if "image" in item
    ]
