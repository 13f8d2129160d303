"""Thumbnails (issue 7, item 6): images/second for 2K PNGs on 2 workers, and a warm gallery open
versus a cold one, measured in the same run.

    python -m tests.benchmarks.bench_thumbnails [--images 60] [--rounds 3] [--sources DIR]

Sources: `--images` distinct 2048x2048 photo-like PNGs (gradients, shapes, fine noise; ~5-7 MB each,
like real 2K results rather than the fake's flat patterns), made once with QtGui and cached in
`/tmp/wan27-bench-2k-pngs` (a marker file says the set is complete). They land in a fresh temp
library through `library.images.add`, so thumbnails are made the way the gallery makes them.

- `throughput`: `imaging.thumbnails.ensure_thumbnail` for every image, cold cache, with 1 and with 2 workers
  (`concurrent.futures`, as the gallery's worker pool), in images/second; the baseline is a bare
  full-size `QImageReader.read()` of the same files with the same workers (decode-only ceiling).
- `first_screen`: the first screenful (all `--images`) as the gallery opens it: `ensure_thumbnail`
  then `load_thumbnail_image` on 2 workers; cold (thumbnail cache emptied first) versus warm (cache
  kept). Budget: warm >= 10x faster than cold.
Prints one JSON line (see `common.emit`). Not a pytest test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.benchmarks import common

SOURCE_CACHE = Path("/tmp/wan27-bench-2k-pngs")
SOURCE_SIDE = 2048
SOURCE_VERSION = 1
WARM_BUDGET = 10.0


def make_source(path: Path, seed: int) -> None:
    """One photo-like 2K PNG: a gradient, translucent shapes and a fine noise texture."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter

    rng = random.Random(seed)
    image = QImage(SOURCE_SIDE, SOURCE_SIDE, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, SOURCE_SIDE, SOURCE_SIDE)
    gradient.setColorAt(0, QColor(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    gradient.setColorAt(1, QColor(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    painter.fillRect(image.rect(), gradient)
    painter.setPen(Qt.PenStyle.NoPen)
    for _ in range(250):
        painter.setBrush(QColor(rng.randrange(256), rng.randrange(256), rng.randrange(256), 80))
        painter.drawEllipse(
            rng.randrange(SOURCE_SIDE), rng.randrange(SOURCE_SIDE), rng.randrange(20, 500), rng.randrange(20, 500)
        )
    # Sensor-like grain: a random greyscale tile at low opacity keeps the PNG from compressing to nothing.
    grain = rng.randbytes(256 * 256)  # kept alive: the QImage below does not copy it
    noise = QImage(grain, 256, 256, 256, QImage.Format.Format_Grayscale8)
    painter.setOpacity(0.08)
    for y in range(0, SOURCE_SIDE, 256):
        for x in range(0, SOURCE_SIDE, 256):
            painter.drawImage(x, y, noise.mirrored((x // 256) % 2 == 1, (y // 256) % 2 == 1))
    painter.end()
    if not image.save(str(path), "PNG", 50):
        raise OSError(f"could not write {path}")


def ensure_sources(folder: Path, count: int) -> list[Path]:
    """`count` distinct source PNGs in `folder`, made (on 2 threads) only if the cached set is incomplete."""
    marker = folder / "complete.json"
    wanted = {"version": SOURCE_VERSION, "side": SOURCE_SIDE, "count": count}
    paths = [folder / f"source-{number:03d}.png" for number in range(count)]
    try:
        done = json.loads(marker.read_text())
    except (OSError, ValueError):
        done = {}
    if done.get("version") == SOURCE_VERSION and done.get("count", 0) >= count and all(p.exists() for p in paths):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    common.log(f"bench_thumbnails: making {count} 2K source PNGs in {folder} (cached for later runs)")
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda item: make_source(item[1], item[0]), enumerate(paths)))
    marker.write_text(json.dumps(wanted))
    return paths


def run_pool(workers: int, items: list[Any], action: Callable[[Any], object]) -> None:
    with ThreadPoolExecutor(workers) as pool:
        for _ in pool.map(action, items):
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--images", type=int, default=60, help="images per screenful / per round (default 60)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per figure (default 3; 5 for warm/cold)")
    parser.add_argument("--sources", type=Path, default=SOURCE_CACHE, help="cache of the source PNGs")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtGui import QImageReader

    from wan27_desktop.imaging import load_thumbnail_image
    from wan27_desktop.imaging.thumbnails import ensure_thumbnail, thumbs_dir
    from wan27_desktop.library import Library

    sources = ensure_sources(args.sources, args.images)
    data_dir = Path(tempfile.mkdtemp(prefix="wan27-bench-thumbs-"))
    try:
        library = Library.open(data_dir)
        images = [
            library.images.add(
                None, None, number, path, metadata={"prompt": f"thumbnail bench {number}"}, keep_source=True
            )
            for number, path in enumerate(sources)
        ]
        thumbs = thumbs_dir(data_dir)

        def make_tile(image: Any) -> Path:
            return ensure_thumbnail(data_dir, image)

        def clear_cache() -> None:
            shutil.rmtree(thumbs, ignore_errors=True)

        def decode(image: Any) -> None:
            if QImageReader(str(image.path)).read().isNull():
                raise RuntimeError(f"cannot decode {image.path}")

        def open_tile(image: Any) -> None:
            load_thumbnail_image(make_tile(image))

        count = len(images)
        throughput: dict[str, Any] = {}
        for workers in (1, 2):
            made, decoded = [], []
            for _ in range(args.rounds):
                clear_cache()
                made.append(common.time_call(lambda w=workers: run_pool(w, images, make_tile)))
                decoded.append(common.time_call(lambda w=workers: run_pool(w, images, decode)))
            throughput[f"workers_{workers}"] = {
                "thumbnails_per_s": round(count / common.median(made), 1),
                "decode_only_per_s": round(count / common.median(decoded), 1),
                "thumbnail_vs_decode": common.ratio(common.median(decoded), common.median(made)),
            }
        throughput["scaling_2_vs_1"] = common.ratio(
            throughput["workers_2"]["thumbnails_per_s"], throughput["workers_1"]["thumbnails_per_s"]
        )

        cold, warm = [], []
        for _ in range(max(5, args.rounds)):
            clear_cache()
            cold.append(common.time_call(lambda: run_pool(2, images, open_tile)))
            warm.append(common.time_call(lambda: run_pool(2, images, open_tile)))
        speedup = common.ratio(common.median(cold), common.median(warm), 1)
        library.close()
        result = {
            "benchmark": "thumbnails",
            "images": count,
            "source": {
                "side": SOURCE_SIDE,
                "format": "png",
                "mean_mb": round(sum(p.stat().st_size for p in sources) / count / 1e6, 2),
            },
            "throughput": throughput,
            "first_screen": {
                "cold_ms": common.summary(cold),
                "warm_ms": common.summary(warm),
                "warm_speedup": common.budget(speedup, WARM_BUDGET, at_least=True),
            },
            "peak_rss_mb": common.peak_rss_mb(),
            "environment": common.environment(),
        }
        result["ok"] = result["first_screen"]["warm_speedup"]["ok"]
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    common.emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
