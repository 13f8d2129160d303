"""Fixtures for library tests: a real SQLite library in tmp_path and tiny PNGs made with zlib + struct."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wan27_desktop.library import JobState, Library


def chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF)


def make_png(
    width: int = 8,
    height: int = 6,
    rgb: tuple[int, int, int] = (200, 30, 30),
    extra: bytes = b"",
    split_idat: bool = False,
) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    data = zlib.compress(raw)
    idat = chunk(b"IDAT", data[:5]) + chunk(b"IDAT", data[5:]) if split_idat else chunk(b"IDAT", data)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + extra
        + idat
        + chunk(b"IEND", b"")
    )


def make_jpeg(width: int = 16, height: int = 8) -> bytes:
    """A structurally valid JPEG header (APP0, SOF0, SOS) with a dummy scan: enough for containers."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    return b"\xff\xd8" + app0 + sof + sos + b"\x12\x34\x56\x78" + b"\xff\xd9"


def make_webp(width: int = 10, height: int = 12) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    vp8l = b"\x2f" + bits.to_bytes(4, "little") + b"\x00" * 5
    body = b"WEBP" + b"VP8L" + struct.pack("<I", len(vp8l)) + vp8l
    return b"RIFF" + struct.pack("<I", len(body)) + body


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    out, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        out.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return out


def request(
    prompt: str = "a red fox in the snow",
    *,
    refs: int = 0,
    n: int = 1,
    sequential: bool = False,
    seed: int | None = 7,
    size: str = "1K",
    model: str = "wan2.7-image-pro",
) -> dict[str, Any]:
    content: list[dict[str, Any]] = [{"text": prompt}] + [{"image": f"input:{i}"} for i in range(refs)]
    params: dict[str, Any] = {"n": n, "size": size, "watermark": False}
    if seed is not None:
        params["seed"] = seed
    if sequential:
        params["enable_sequential"] = True
    return {"model": model, "input": {"messages": [{"role": "user", "content": content}]}, "parameters": params}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def library(data_dir: Path) -> Iterator[Library]:
    with Library.open(data_dir) as lib:
        yield lib


class Maker:
    """Creates jobs and lands images the way the jobs layer does."""

    def __init__(self, library: Library, tmp: Path) -> None:
        self.library = library
        self.tmp = tmp
        self.counter = 0

    def download(
        self, rgb: tuple[int, int, int] | None = None, data: bytes | None = None, suffix: str = ".png"
    ) -> Path:
        self.counter += 1
        path = self.tmp / f"incoming-{self.counter}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if data is not None else make_png(rgb=rgb or (self.counter % 256, 80, 120)))
        return path

    def job(
        self,
        prompt: str = "a red fox in the snow",
        *,
        n: int = 1,
        refs: list[Path] = (),  # type: ignore[assignment]
        sequential: bool = False,
        model: str = "wan2.7-image-pro",
        region: str = "sg",
        state: JobState = JobState.SUBMITTING,
    ) -> int:
        return self.library.jobs.create(
            request(prompt, refs=len(refs), n=n, sequential=sequential, model=model),
            model=model,
            request_mode="async",
            region=region,
            endpoint="http://127.0.0.1:9/api/v1",
            n=n,
            estimated_cost="0.562065",
            state=state,
            inputs=list(refs),
        )

    def image(self, prompt: str = "a red fox in the snow", **kwargs: Any):  # -> ImageRecord
        job_id = self.job(prompt, **kwargs)
        self.library.jobs.add_results(job_id, ["https://result.invalid/0.png"], [None])
        return self.library.images.add(job_id, None, 0, self.download(), metadata={"job_id": job_id, "seed": 7})


@pytest.fixture
def maker(library: Library, tmp_path: Path) -> Maker:
    return Maker(library, tmp_path / "downloads")
