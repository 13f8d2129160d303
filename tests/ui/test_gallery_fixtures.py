"""A real library of small real images for the gallery and viewer tests (no tests here).

Built once per session into a template folder (each image goes through `library.images.add`, like a
landed result), then copied into each test's tmp_path so tests can change it freely.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from wan27_desktop.library import Library
from wan27_desktop.ui.gallery.panel import GalleryPanel

PROMPTS = [
    "a red cat on a sofa",
    "blue dog in the snow",
    "green forest at dawn",
    "猫在窗台上",
    "portrait of an astronaut",
    "watercolour city skyline",
]
SINGLE_JOBS = 120  # one image each
SET_JOBS = 10  # three images each
EDIT_JOBS = 10  # one image from two references (with boxes)
TOTAL = SINGLE_JOBS + SET_JOBS * 3 + EDIT_JOBS
ROWS = TOTAL - SET_JOBS * 2  # the gallery stacks each set into one tile by default


def _png(path: Path, i: int, w: int = 96, h: int = 64) -> Path:
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(QColor.fromHsv((i * 37) % 360, 160, 200))
    assert image.save(str(path), "PNG")
    return path


def request_json(
    prompt: str,
    *,
    model: str = "wan2.7-image-pro",
    n: int = 1,
    seed: int | None = None,
    images: list[str] | None = None,
    sequential: bool = False,
    boxes: list[list[list[int]]] | None = None,
    palette: bool = False,
) -> dict[str, object]:
    content: list[dict[str, str]] = [{"text": prompt}] + [{"image": value} for value in images or []]
    params: dict[str, object] = {"size": "2K" if not images else "1K", "n": n, "watermark": False}
    if seed is not None:
        params["seed"] = seed
    if not images and not sequential:
        params["thinking_mode"] = True
    if sequential:
        params["enable_sequential"] = True
    if boxes:
        params["bbox_list"] = [[[v // 2 for v in box] for box in per] for per in boxes]  # "as sent"
    if palette:
        params["color_palette"] = [
            {"hex": "#FF0000", "ratio": "50.00%"},
            {"hex": "#00FF00", "ratio": "30.00%"},
            {"hex": "#0000FF", "ratio": "20.00%"},
        ]
    body: dict[str, object] = {
        "model": model,
        "input": {"messages": [{"role": "user", "content": content}]},
        "parameters": params,
    }
    body["_wan27"] = {"boxes": boxes or [], "request_mode": "sync", "sizes": None}
    return body


def add_job(
    lib: Library,
    scratch: Path,
    i: int,
    *,
    n: int = 1,
    sequential: bool = False,
    refs: list[Path] | None = None,
    boxes: list[list[list[int]]] | None = None,
) -> int:
    import hashlib

    prompt = f"{PROMPTS[i % len(PROMPTS)]} #{i}"
    model = "wan2.7-image-pro" if i % 2 == 0 else "wan2.7-image"
    images = [f"input:{hashlib.sha256(p.read_bytes()).hexdigest()}" for p in refs or []]
    body = request_json(
        prompt,
        model=model,
        n=n,
        seed=1000 + i,
        images=images,
        sequential=sequential,
        boxes=boxes,
        palette=not sequential and i % 3 == 0,
    )
    job_id = lib.jobs.create(
        body,
        model=model,
        request_mode="sync",
        region="sg",
        endpoint="http://127.0.0.1/api/v1",
        n=n,
        estimated_cost="0.30",
        inputs=refs or [],
    )
    for index in range(n):
        src = _png(scratch / f"r{i}-{index}.png", i * 7 + index)
        lib.images.add(job_id, None, index, src, metadata={"seed": 1000 + i})
    return job_id


def build_library(data_dir: Path) -> None:
    scratch = data_dir.parent / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    lib = Library.open(data_dir)
    try:
        i = 0
        for _ in range(SINGLE_JOBS):
            add_job(lib, scratch, i)
            i += 1
        for _ in range(SET_JOBS):
            add_job(lib, scratch, i, n=3, sequential=True)
            i += 1
        for _ in range(EDIT_JOBS):
            refs = [_png(scratch / f"ref{i}-{k}.png", 500 + i * 3 + k, 320, 240) for k in range(2)]
            add_job(lib, scratch, i, refs=refs, boxes=[[[10, 20, 110, 120]], []])
            i += 1
    finally:
        lib.close()
    shutil.rmtree(scratch)


@pytest.fixture(scope="session")
def library_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gallery-template") / "data"
    build_library(root)
    return root


@pytest.fixture
def gallery_data(library_template: Path, tmp_path: Path) -> Path:
    """A private copy of the template library (images, thumbnails cache dir and database)."""
    target = tmp_path / "gallery-data"
    shutil.copytree(library_template, target)
    return target


@pytest.fixture
def lib(gallery_data: Path) -> Iterator[Library]:
    library = Library.open(gallery_data)
    yield library
    library.close()


@pytest.fixture
def panel(qtbot, gallery_data: Path) -> Iterator[GalleryPanel]:
    """A shown gallery over the shared library, loaded and focused (keys go to the grid)."""
    widget = GalleryPanel(gallery_data)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitUntil(widget.model.is_loaded)
    widget.view.setFocus()
    yield widget
    widget.shutdown()
