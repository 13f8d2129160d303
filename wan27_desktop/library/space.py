"""Space before money (issue 14): a job is not sent unless its results fit where the library lives.

A full disk used to be found only after the service had run (and billed) the job. Before sending,
the runner asks `check_room` with a conservative estimate: every image as the worst PNG its size
can make (4 bytes per pixel - RGBA, no compression - plus a filter byte per row, zlib's stored-block
overhead and our metadata chunks), plus one result's worth more while a download is in flight,
plus a margin for the journal. Real results are a fraction of that; refusing a job that would
have fit costs a retry, sending one that cannot land costs money.

Downloads land by rename where `incoming/` shares the library's disk, so a result needs its size
once; when `incoming/` is elsewhere, one result's worth is asked of that disk as well.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.library.errors import NotEnoughSpace

JOURNAL_MARGIN = 32 << 20  # the database, its WAL and thumbnails grow too
METADATA_BYTES = 256 << 10  # our text chunks (the request JSON with a 5,000-character prompt, XMP)
_STORED_BLOCK = 65535  # zlib stored (uncompressed) deflate blocks: 5 bytes of header each


def worst_case_png_bytes(pixels: int, *, width: int | None = None) -> int:
    """The largest PNG an image of `pixels` pixels can plausibly be: RGBA 8-bit, incompressible."""
    rows = width and max(1, pixels // width) or int(pixels**0.5) + 1
    raw = pixels * 4 + rows  # a filter byte leads every row
    deflate = raw + 5 * (raw // _STORED_BLOCK + 1) + 6  # stored blocks, zlib header and Adler-32
    idat_chunks = deflate // (1 << 16) + 1
    return 8 + 25 + 12 * idat_chunks + deflate + 12 + METADATA_BYTES


def bytes_needed(pixels_per_image: int, images: int) -> int:
    """What a job of `images` results of `pixels_per_image` pixels may take in the library: every
    result, one more in flight (a retried or replaced download), and the journal's margin."""
    one = worst_case_png_bytes(pixels_per_image)
    return (max(1, images) + 1) * one + JOURNAL_MARGIN


def nearest_existing(path: Path) -> Path:
    current = Path(path)
    while not current.exists() and current.parent != current:
        current = current.parent
    return current


def free_bytes(folder: Path) -> int:
    """Free space for this user on the disk holding `folder` (its nearest existing parent)."""
    return shutil.disk_usage(nearest_existing(folder)).free


def check_room(library_dir: Path, incoming_dir: Path, pixels_per_image: int, images: int) -> None:
    """Raise NotEnoughSpace (naming the folder and the space needed) unless the results of a job
    can land; see the module docstring for the estimate."""
    needed = bytes_needed(pixels_per_image, images)
    _require(library_dir, needed)
    if not _same_disk(library_dir, incoming_dir):
        _require(incoming_dir, worst_case_png_bytes(pixels_per_image))


def _require(folder: Path, needed: int) -> None:
    try:
        free = free_bytes(folder)
    except OSError:
        return  # cannot tell (an unusual filesystem): the download's own checks still apply
    if free < needed:
        raise NotEnoughSpace(
            QT_TRANSLATE_NOOP(
                "WanError",
                "Not enough free space in {folder}: this job may need up to {needed} for its results, "
                "and {free} is free. It was not sent.",
            ),
            values={"folder": str(folder), "needed": format_size(needed), "free": format_size(free)},
            code="NotEnoughSpace",
        )


def _same_disk(a: Path, b: Path) -> bool:
    def device(path: Path) -> int | None:
        try:
            return os.stat(nearest_existing(path)).st_dev
        except OSError:
            return None

    return device(a) == device(b)


def format_size(count: int) -> str:
    size = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"  # pragma: no cover - unreachable
