"""The thumbnail disk cache: keyed by content hash, made once, atomically, next to the library."""

from __future__ import annotations

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
