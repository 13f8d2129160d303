"""Library at scale (issue 3): build a synthetic 100,000-image library and time what users feel.

    python -m tests.benchmarks.library_scale [--count 100000] [--dir DIR] [--keep]

Prints JSON: build time, open time, FTS search time (median of several English and Chinese
queries), single images.add time (median of 20), count + first page per sort order, DB size.
Targets: open <= 200 ms, search <= 30 ms, insert <= 10 ms. Not a pytest test (timing budgets
belong in benchmarks, not assertions).

`build_synthetic_library(data_dir, count)` is reused by the gallery benchmark (issue 5). Rows point
at real files: a few dozen distinct small PNGs (each carrying our metadata), hard-linked (copied
where links are unsupported) into the images/YYYY/MM/DD layout under per-row names, so every row's
path exists and thumbnails vary. Hard-linked rows share their source file's sha256.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import struct
import sys
import tempfile
import time
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

from wan27_desktop.library import ImageQuery, JobState, Library
from wan27_desktop.library.imagefiles import sha256_of
from wan27_desktop.library.paths import DB_NAME, LIBRARY_DIRNAME

DISTINCT_FILES = 48
IMAGES_PER_JOB = 4

_SUBJECTS_EN = [
    "a red fox",
    "an old lighthouse",
    "a cyberpunk street",
    "a bowl of ramen",
    "a snow leopard",
    "a paper boat",
    "a glass teapot",
    "a koi pond",
    "a vintage motorcycle",
    "a mountain village",
    "a robot gardener",
    "a jazz trio",
    "a desert caravan",
    "a floating island",
    "a tiny astronaut",
]
_STYLES_EN = [
    "watercolor",
    "oil painting",
    "studio photo",
    "isometric 3D render",
    "ink sketch",
    "pixel art",
    "cinematic lighting",
    "soft pastel",
    "film noir",
    "ukiyo-e woodblock",
]
_PLACES_EN = [
    "at dawn",
    "in heavy rain",
    "under neon lights",
    "on a misty morning",
    "at golden hour",
    "in a snowstorm",
    "by the sea",
    "in a bamboo forest",
    "on Mars",
    "inside a library",
]
_SUBJECTS_ZH = [
    "一只红色的狐狸",
    "古老的灯塔",
    "赛博朋克街道",
    "一碗拉面",
    "雪豹",
    "纸船",
    "玻璃茶壶",
    "锦鲤池",
    "复古摩托车",
    "山间村庄",
    "机器人园丁",
    "爵士三重奏",
    "沙漠驼队",
    "漂浮的岛屿",
    "小小宇航员",
]
_STYLES_ZH = [
    "水彩画",
    "油画",
    "棚拍照片",
    "等距三维渲染",
    "水墨素描",
    "像素艺术",
    "电影感光影",
    "柔和粉彩",
    "黑色电影",
    "浮世绘木刻",
]
_PLACES_ZH = [
    "在黎明时分",
    "在大雨中",
    "在霓虹灯下",
    "在雾蒙蒙的早晨",
    "在黄金时刻",
    "在暴风雪中",
    "在海边",
    "在竹林里",
    "在火星上",
    "在图书馆里",
]
_MODELS = ["wan2.7-image-pro", "wan2.7-image"]


def tiny_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid RGB PNG made with zlib + struct (a soft gradient so thumbnails are not flat)."""
    rows = []
    for y in range(height):
        shade = y * 96 // max(height - 1, 1)
        pixel = bytes((min(255, rgb[0] + shade), rgb[1], max(0, rgb[2] - shade)))
        rows.append(b"\x00" + pixel * width)

    def chunk(ctype: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def _prompt(rng: random.Random, job: int) -> str:
    if rng.random() < 0.3:
        return f"{rng.choice(_SUBJECTS_ZH)}，{rng.choice(_STYLES_ZH)}，{rng.choice(_PLACES_ZH)}，编号{job}"
    return f"{rng.choice(_SUBJECTS_EN)}, {rng.choice(_STYLES_EN)}, {rng.choice(_PLACES_EN)}, variation {job}"


def _request(prompt: str, model: str, n: int, refs: int, sequential: bool, seed: int) -> dict:
    content: list[dict] = [{"text": prompt}] + [{"image": f"input:{'0' * 63}{i}"} for i in range(refs)]
    params: dict = {"n": n, "size": "2K", "watermark": False, "seed": seed}
    if sequential:
        params["enable_sequential"] = True
    return {"model": model, "input": {"messages": [{"role": "user", "content": content}]}, "parameters": params}


def _make_sources(data_dir: Path) -> list[tuple[Path, str, int, int]]:
    """Distinct small PNG files (outside the library folder) that rows are linked to."""
    folder = data_dir / "synthetic-sources"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    sources = []
    for number in range(DISTINCT_FILES):
        width, height = rng.choice([(64, 64), (96, 64), (64, 96), (80, 80)])
        path = folder / f"source-{number:02d}.png"
        path.write_bytes(tiny_png(width, height, (rng.randrange(40, 200), rng.randrange(256), rng.randrange(96, 256))))
        sources.append((path, sha256_of(path), width, height))
    return sources


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def build_synthetic_library(data_dir: Path, count: int) -> None:
    """Create a library of `count` images in `data_dir` (which should not hold a library yet).

    One transaction with executemany for jobs, results, prompts (FTS via triggers) and images;
    newest image first in time, spread over the last year; ~30% Chinese prompts; a mix of models,
    modes, ratings, favourites, sets, references and a few trashed images.
    """
    data_dir = Path(data_dir)
    Library.open(data_dir).close()  # schema, migrations, library id
    library_dir = data_dir / LIBRARY_DIRNAME
    sources = _make_sources(data_dir)
    rng = random.Random(42)
    now = datetime.now(timezone.utc)
    span = timedelta(days=365)
    jobs, results, prompts, images = [], [], [], []
    made_dirs: set[Path] = set()
    jobs_needed = (count + IMAGES_PER_JOB - 1) // IMAGES_PER_JOB
    image_number = 0
    for job in range(1, jobs_needed + 1):
        n = min(IMAGES_PER_JOB, count - image_number)
        created = now - span * (1 - job / jobs_needed)
        created_at = created.isoformat(timespec="microseconds")
        model = rng.choice(_MODELS)
        refs = rng.choice([0, 0, 0, 1, 2])
        sequential = rng.random() < 0.15
        prompt = _prompt(rng, job)
        seed = rng.randrange(2**31)
        from wan27_desktop.api.models import Mode

        mode = Mode.of(refs, sequential).value
        request = _request(prompt, model, n, refs, sequential, seed)
        jobs.append(
            (
                job,
                JobState.DONE.value,
                model,
                "sync",
                "sg",
                "https://dashscope-intl.aliyuncs.com/api/v1",
                n,
                "2.248260" if model == _MODELS[0] else "0.880708",
                None,
                None,
                f"req-{job}",
                json.dumps({"image_count": n}),
                json.dumps(request, ensure_ascii=False),
                created_at,
                created_at,
                created_at,
            )
        )
        prompts.append((job, prompt))
        day_dir = library_dir / "images" / created.astimezone().strftime("%Y/%m/%d")
        if day_dir not in made_dirs:
            day_dir.mkdir(parents=True, exist_ok=True)
            made_dirs.add(day_dir)
        for index in range(n):
            image_number += 1
            source, sha, width, height = sources[image_number % len(sources)]
            name = f"{job}-{index}-{sha[:12]}.png"
            _link(source, day_dir / name)
            results.append(
                (
                    image_number,
                    job,
                    index,
                    f"https://example.invalid/{job}/{index}.png",
                    None,
                    "downloaded",
                    None,
                    created_at,
                )
            )
            rating = rng.choice([0, 0, 0, 0, 1, 2, 3, 4, 5])
            trashed_at = created_at if rng.random() < 0.01 else None
            images.append(
                (
                    image_number,
                    job,
                    image_number,
                    index,
                    (day_dir / name).relative_to(library_dir).as_posix(),
                    sha,
                    "png",
                    width,
                    height,
                    source.stat().st_size,
                    created_at,
                    rating,
                    int(rng.random() < 0.05),
                    1 if trashed_at else 0,
                    trashed_at,
                    job,
                    model,
                    mode,
                    seed,
                    "2K",
                    int(sequential),
                    int(refs > 0),
                )
            )
    conn = __import__("sqlite3").connect(str(library_dir / DB_NAME), isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO jobs(id, state, model, request_mode, region, endpoint, n, estimated_cost, cost, "
        "task_id, request_id, usage_json, request_json, created_at, updated_at, finished_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        jobs,
    )
    conn.executemany("INSERT INTO prompts(id, text) VALUES (?, ?)", prompts)
    conn.executemany(
        "INSERT INTO results(id, job_id, idx, url, expires_at, status, error, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        results,
    )
    conn.executemany(
        "INSERT INTO images(id, job_id, result_id, idx, path, sha256, format, width, height, bytes, "
        "created_at, rating, favourite, trashed, trashed_at, prompt_id, model, mode, seed, size_label, "
        "is_set, has_refs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        images,
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA optimize")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def _median_ms(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(_ms(start))
    return round(statistics.median(times), 2)


def measure(data_dir: Path) -> dict:
    figures: dict = {}
    start = time.perf_counter()
    library = Library.open(data_dir)
    figures["open_ms"] = _ms(start)
    library.close()
    figures["open_ms_median_of_5"] = _median_ms(lambda: Library.open(data_dir).close(), 5)
    with Library.open(data_dir) as library:
        queries = [
            "red fox",
            "灯塔",
            "cyberpunk",
            "赛博朋克街道",
            "watercolor golden",
            "拉面",
            "tiny astronaut",
            "雪豹 水彩",
            "variation 4242",
            "ink",
        ]
        per_query = {q: _median_ms(lambda q=q: library.images.search_prompts(q, 50), 3) for q in queries}
        figures["fts_search_ms_median"] = round(statistics.median(per_query.values()), 2)
        figures["fts_search_ms_by_query"] = per_query

        def text_page(q: str) -> None:
            query = ImageQuery(text=q)
            library.images.count(query)
            library.images.query(query, 0, 200)

        figures["text_filter_count_plus_page_ms_median"] = round(
            statistics.median(_median_ms(lambda q=q: text_page(q), 3) for q in queries), 2
        )
        for sort in ("newest", "oldest", "rating"):
            query = ImageQuery(sort=sort)
            figures[f"count_plus_first_page_{sort}_ms"] = _median_ms(
                lambda query=query: (library.images.count(query), library.images.query(query, 0, 200)), 5
            )
        deep = ImageQuery()
        figures["page_at_offset_90000_ms"] = _median_ms(lambda: library.images.query(deep, 90_000, 200), 5)
        fav = ImageQuery(favourites_only=True, min_rating=3, model="wan2.7-image")
        figures["filtered_count_plus_page_ms"] = _median_ms(
            lambda: (library.images.count(fav), library.images.query(fav, 0, 200)), 5
        )
        figures["image_ids_all_ms"] = _median_ms(lambda: library.images.ids(ImageQuery()), 3)
        figures["insert_add_image_ms_median_of_20"] = _insert_median(library, data_dir)
        figures["images"] = library.stats()["images"] + library.stats()["trashed"]
    db = data_dir / LIBRARY_DIRNAME / DB_NAME
    figures["db_size_mb"] = round(sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists()) / 1e6, 1)
    return figures


def _insert_median(library: Library, data_dir: Path) -> float:
    incoming = data_dir / "incoming"
    incoming.mkdir(exist_ok=True)
    payload = tiny_png(256, 256, (10, 120, 200))
    request = _request("benchmark insert, 基准测试", "wan2.7-image", 20, 0, False, 1)
    job_id = library.jobs.create(
        request,
        model="wan2.7-image",
        request_mode="async",
        region="sg",
        endpoint="https://dashscope-intl.aliyuncs.com/api/v1",
        n=20,
        estimated_cost="4.40354",
        state=JobState.DOWNLOADING,
    )
    library.jobs.add_results(job_id, [f"https://example.invalid/bench/{i}.png" for i in range(20)], [None] * 20)
    times = []
    for index in range(20):
        downloaded = incoming / f"download-{index}.png"
        downloaded.write_bytes(payload[:-12] + payload[-12:])
        start = time.perf_counter()
        library.images.add(job_id, None, index, downloaded, metadata={"job_id": job_id})
        times.append(_ms(start))
    return round(statistics.median(times), 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, help="where to build (default: a temp dir, removed unless --keep)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    data_dir = args.dir or Path(tempfile.mkdtemp(prefix="wan27-scale-"))
    try:
        start = time.perf_counter()
        build_synthetic_library(data_dir, args.count)
        build_s = round(time.perf_counter() - start, 2)
        figures = {"count": args.count, "build_s": build_s, "sqlite": __import__("sqlite3").sqlite_version}
        figures.update(measure(data_dir))
        figures["targets"] = {"open_ms": 200, "fts_search_ms": 30, "insert_ms": 10}
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
