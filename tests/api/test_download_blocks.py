"""Large results (issue 7): their space claimed up front, then written, hashed and verified in ~1 MiB
blocks on two worker threads, with early writeback. The same guarantees as for small files: the right
sha256 name, PNG verification before the file is accepted, nothing left behind on failure."""

from __future__ import annotations

import errno
import hashlib
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fake_dashscope import FakeDashScope, pngmaker
from wan27_desktop.api import download as download_module
from wan27_desktop.api import errors as E
from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.download import download_result
from wan27_desktop.api.models import GenerationRequest
from wan27_desktop.api.request_body import build_body

# 2048x2048 noise: ~12.6 MB, a dozen blocks and past the first writeback hint (8 MiB).
SIDE = 2048


@pytest.fixture(scope="module")
def noise_png() -> bytes:
    return pngmaker.noise_png(SIDE, SIDE, "download blocks test")


def mock_client(body: bytes) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body)))


def test_large_result_from_the_fake_is_named_by_its_sha256_and_verified(fake_dashscope: FakeDashScope, tmp_path: Path):
    fake_dashscope.result_image_mode = "noise"
    fake_dashscope.text_preset_aspects = ((1, 1),)  # a square 2K preset: SIDE x SIDE
    with DashScopeClient(fake_dashscope.api_key, fake_dashscope.base_url) as client:
        url = client.generate(build_body(GenerationRequest(prompt="p", n=1, size="2K"))).image_urls[0]
    progress: list[int] = []
    result = download_result(url, tmp_path, on_progress=lambda n, total: progress.append(n))
    data = result.path.read_bytes()
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.path == tmp_path / f"{result.sha256}.png"
    assert (result.format, result.width, result.height, result.size) == ("png", SIDE, SIDE, len(data))
    assert progress[-1] == len(data) and len(progress) > 1  # progress per socket read, not per block
    assert sorted(tmp_path.iterdir()) == [result.path]


def test_a_flipped_byte_deep_in_a_large_png_is_refused_and_nothing_is_kept(noise_png: bytes, tmp_path: Path):
    corrupt = bytearray(noise_png)
    corrupt[len(corrupt) * 2 // 3] ^= 0x40  # inside the IDAT, several blocks in
    with mock_client(bytes(corrupt)) as client, pytest.raises(E.DownloadError, match="CRC"):
        download_result("https://oss.example.com/a.png", tmp_path, client=client)
    assert list(tmp_path.iterdir()) == []


def test_a_large_png_whose_pixels_do_not_inflate_is_refused(tmp_path: Path):
    # Valid CRCs around a zlib stream that is cut short: only inflating it can tell.
    raw = os.urandom(3 * SIDE * 512 + 512)
    idat = zlib.compress(raw, 0)[:-100]
    body = pngmaker._png(SIDE, 512, idat)
    with mock_client(body) as client, pytest.raises(E.DownloadError, match="incomplete or corrupt"):
        download_result("https://oss.example.com/a.png", tmp_path, client=client)
    assert list(tmp_path.iterdir()) == []


def test_an_error_in_a_check_thread_reaches_the_caller_and_removes_the_temp_file(
    noise_png: bytes, tmp_path: Path, monkeypatch
):
    class BrokenVerifier(download_module.BodyVerifier):
        def feed(self, data: bytes | bytearray | memoryview) -> None:
            raise MemoryError("verifier ran out of memory")

    monkeypatch.setattr(download_module, "BodyVerifier", BrokenVerifier)
    with mock_client(noise_png) as client, pytest.raises(MemoryError, match="out of memory"):
        download_result("https://oss.example.com/a.png", tmp_path, client=client)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("hint", ["available", "unavailable", "failing"])
def test_the_writeback_hint_never_changes_the_file(noise_png: bytes, tmp_path: Path, monkeypatch, hint: str):
    calls: list[tuple[int, int]] = []

    def failing(fd: int, offset: int, length: int) -> bool:
        calls.append((offset, length))
        return False

    if hint == "unavailable":
        monkeypatch.setattr(download_module, "_sync_file_range", lambda: None)
    elif hint == "failing":
        monkeypatch.setattr(download_module, "_sync_file_range", lambda: failing)
    with mock_client(noise_png) as client:
        result = download_result("https://oss.example.com/a.png", tmp_path, client=client)
    assert result.path.read_bytes() == noise_png
    if hint == "failing":
        assert calls and calls[0][0] == 0  # asked again from the start after a refused hint
        assert all(offset == 0 for offset, _ in calls)


def test_a_full_disk_is_reported_before_the_body_is_downloaded(noise_png: bytes, tmp_path: Path, monkeypatch):
    sent: list[int] = []

    def body() -> Iterator[bytes]:
        for start in range(0, len(noise_png), 1 << 16):
            sent.append(start)
            yield noise_png[start : start + (1 << 16)]

    def no_room(fd: int, offset: int, length: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "posix_fallocate", no_room, raising=False)
    headers = {"Content-Length": str(len(noise_png))}
    with (
        httpx.Client(
            transport=httpx.MockTransport(lambda request: httpx.Response(200, headers=headers, content=body()))
        ) as client,
        pytest.raises(E.DownloadError) as raised,
    ):
        download_result("https://oss.example.com/a.png", tmp_path, client=client)
    assert raised.value.code == "DiskFull" and "disk is full" in str(raised.value)
    assert len(sent) <= 1  # refused up front, not after ~12 MB
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "posix_fallocate"), reason="no posix_fallocate on this platform")
def test_the_space_is_claimed_up_front_and_the_file_is_exactly_the_body(noise_png: bytes, tmp_path: Path, monkeypatch):
    claimed: list[tuple[int, int]] = []
    real = os.posix_fallocate

    def record(fd: int, offset: int, length: int) -> None:
        claimed.append((offset, length))
        real(fd, offset, length)

    monkeypatch.setattr(os, "posix_fallocate", record)
    with mock_client(noise_png) as client:
        result = download_result("https://oss.example.com/a.png", tmp_path, client=client)
    assert claimed == [(0, len(noise_png))]
    assert result.path.read_bytes() == noise_png and result.path.stat().st_size == len(noise_png)


@pytest.fixture
def synced(monkeypatch) -> list[int]:
    """The file descriptors fsynced during the test (the real fsync still runs)."""
    calls: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return calls


def test_a_staged_download_is_verified_but_neither_hashed_nor_fsynced(
    noise_png: bytes, tmp_path: Path, synced: list[int], monkeypatch
):
    monkeypatch.setattr(download_module, "_sync_file_range", lambda: pytest.fail("no writeback for staging"))
    with mock_client(noise_png) as client:
        first = download_result("https://oss.example.com/a.png", tmp_path, client=client, stage_as="7-0")
        (tmp_path / "7-0.png").write_bytes(b"a leftover of a killed run")
        again = download_result("https://oss.example.com/a.png", tmp_path, client=client, stage_as="7-0")
        other = download_result("https://oss.example.com/a.png", tmp_path, client=client, stage_as="7-1")
    assert synced == []
    assert first.sha256 is None and (first.format, first.width, first.height) == ("png", SIDE, SIDE)
    assert first.path == again.path == tmp_path / "7-0.png" and other.path == tmp_path / "7-1.png"
    assert again.path.read_bytes() == noise_png == other.path.read_bytes()  # the leftover was replaced
    assert sorted(tmp_path.iterdir()) == [tmp_path / "7-0.png", tmp_path / "7-1.png"]


@pytest.mark.parametrize("name", ["", "../x", "a/b", "x" * 65, "a.png", "ä"])
def test_a_stage_name_must_be_plain(name: str, tmp_path: Path):
    with pytest.raises(ValueError, match="stage_as"):
        download_result("https://oss.example.com/a.png", tmp_path, stage_as=name)


def test_a_staged_download_still_refuses_a_corrupt_body(noise_png: bytes, tmp_path: Path):
    corrupt = bytearray(noise_png)
    corrupt[len(corrupt) // 2] ^= 0x01
    with mock_client(bytes(corrupt)) as client, pytest.raises(E.DownloadError, match="CRC"):
        download_result("https://oss.example.com/a.png", tmp_path, client=client, stage_as="1-0")
    assert list(tmp_path.iterdir()) == []


def test_the_durable_download_fsyncs_the_file_and_its_folder(noise_png: bytes, tmp_path: Path, synced: list[int]):
    with mock_client(noise_png) as client:
        result = download_result("https://oss.example.com/a.png", tmp_path, client=client)
    assert len(synced) == (2 if os.name == "posix" else 1)  # the file, then the folder after the rename
    assert result.sha256 == hashlib.sha256(noise_png).hexdigest()
