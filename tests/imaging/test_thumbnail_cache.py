"""The thumbnail disk cache: keyed by content hash, made once, atomically, next to the library."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.library.conftest import Maker
from wan27_desktop.imaging.thumbnails import drop_thumbnails, ensure_thumbnail, thumbnail_path
from wan27_desktop.library import Library


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "data") as lib:
        yield lib


@pytest.fixture
def maker(library: Library, tmp_path: Path) -> Maker:
    return Maker(library, tmp_path / "downloads")


def test_thumbnail_is_cached_by_hash_and_made_once(maker: Maker, library: Library):
    image = maker.image("thumb")
    calls = []

    def fake_maker(src: Path, dest: Path, size: int) -> tuple[int, int]:
        calls.append((src, size))
        dest.write_bytes(b"JPEG")
        return (size, size)

    path = ensure_thumbnail(library.data_dir, image, 128, maker=fake_maker)
    assert path == library.data_dir / "cache" / "thumbs" / image.sha256[:2] / f"{image.sha256}-128.jpg"
    assert ensure_thumbnail(library.data_dir, image, 128, maker=fake_maker) == path
    assert calls == [(image.path, 128)] and path.read_bytes() == b"JPEG"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp files left


def test_thumbnail_with_the_real_imaging_module(maker: Maker, library: Library):
    pytest.importorskip("PySide6.QtGui")
    image = maker.image("real thumb")
    path = ensure_thumbnail(library.data_dir, image, 64)
    assert path.read_bytes()[:3] == b"\xff\xd8\xff"


def test_drop_thumbnails_removes_every_size_of_one_hash_only(maker: Maker, library: Library):
    image, other = maker.image("drop me"), maker.image("keep me")
    made = [thumbnail_path(library.data_dir, image.sha256, size) for size in (64, 256)]
    kept = thumbnail_path(library.data_dir, other.sha256, 256)
    for path in [*made, kept]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"JPEG")
    drop_thumbnails(library.data_dir, image.sha256)
    assert not any(p.exists() for p in made) and kept.exists()


def test_threads_asking_for_the_same_thumbnail_at_once_make_it_once(maker: Maker, library: Library):
    # The gallery and the generation stage both ask for a just-landed image's thumbnail: the second
    # waits for the first instead of decoding the full image again.
    from wan27_desktop.imaging import thumbnails

    image = maker.image("asked twice")
    target = thumbnail_path(library.data_dir, image.sha256, 128)
    calls: list[Path] = []
    entered, release = threading.Event(), threading.Event()

    def slow_maker(src: Path, dest: Path, size: int) -> tuple[int, int]:
        calls.append(src)
        entered.set()
        release.wait(10)
        dest.write_bytes(b"JPEG")
        return (size, size)

    results: list[Path] = []

    def ask() -> None:
        results.append(ensure_thumbnail(library.data_dir, image, 128, maker=slow_maker))

    first = threading.Thread(target=ask)
    first.start()
    assert entered.wait(10)
    second = threading.Thread(target=ask)
    second.start()
    deadline = time.monotonic() + 10
    while thumbnails._locks.get(target, (None, 0))[1] < 2 and len(calls) < 2 and time.monotonic() < deadline:
        threading.Event().wait(0.001)  # until the second thread waits for the first (or made its own)
    release.set()
    first.join(10)
    second.join(10)
    assert calls == [image.path]
    assert results == [target, target] and target.read_bytes() == b"JPEG"
    assert thumbnails._locks == {}  # no lock kept once nobody needs it
