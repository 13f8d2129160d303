"""Dominant colours of an image, for "extract palette" (§3.3 colour_palette).

Median cut over a nearest-neighbour 64x64 sample (exact source colours survive: no blended edge
pixels), then a few k-means passes from those seeds. Median cut alone splits populations in
halves, so on a photo every colour would get ~1/count of the image; the k-means passes make each
share the fraction of pixels nearest to that colour. Pure Python, tens of ms, deterministic.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from wan27_desktop.api.validation import balance_ratios
from wan27_desktop.imaging import _codec

SAMPLE_SIDE = 64
REFINE_PASSES = 6

Colour = tuple[int, int, int]
_Bucket = list[tuple[Colour, int]]  # distinct colours with their pixel counts


def _sample(image: QImage) -> Counter[Colour]:
    image, _had_alpha = _codec.to_rgb8(image)
    if max(image.width(), image.height()) > SAMPLE_SIDE:
        image = image.scaled(
            SAMPLE_SIDE, SAMPLE_SIDE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
        )
    image = image.convertToFormat(QImage.Format.Format_RGBX8888)  # bytes R, G, B, X on any platform
    raw = bytes(image.constBits())
    stride, width = image.bytesPerLine(), image.width()
    counts: Counter[Colour] = Counter()
    for y in range(image.height()):
        row = raw[y * stride : y * stride + width * 4]
        counts.update(zip(row[0::4], row[1::4], row[2::4], strict=True))
    return counts


def _spread(bucket: _Bucket) -> tuple[int, int]:
    """(widest channel range, that channel) of a bucket."""
    best = (0, 0)
    for channel in range(3):
        values = [colour[channel] for colour, _ in bucket]
        best = max(best, (max(values) - min(values), channel), key=lambda item: item[0])
    return best


def _split(bucket: _Bucket, channel: int) -> tuple[_Bucket, _Bucket]:
    ordered = sorted(bucket, key=lambda item: (item[0][channel], item[0]))
    half = sum(count for _, count in ordered) / 2
    running = 0
    for index, (_, count) in enumerate(ordered):
        running += count
        if running >= half:
            cut = min(max(index + 1, 1), len(ordered) - 1)
            return ordered[:cut], ordered[cut:]
    return ordered[:-1], ordered[-1:]


def _mean(bucket: _Bucket) -> Colour:
    total = sum(count for _, count in bucket)
    return tuple(round(sum(colour[c] * count for colour, count in bucket) / total) for c in range(3))  # type: ignore[return-value]


def _refine(counts: Counter[Colour], seeds: list[Colour]) -> list[tuple[Colour, int]]:
    """Lloyd's k-means over the distinct sampled colours, weighted by their pixel counts."""
    centres = list(seeds)
    members: list[list[tuple[Colour, int]]] = []
    for _ in range(REFINE_PASSES):
        members = [[] for _ in centres]
        for colour, n in counts.items():
            nearest = min(
                range(len(centres)),
                key=lambda i: (
                    (colour[0] - centres[i][0]) ** 2
                    + (colour[1] - centres[i][1]) ** 2
                    + (colour[2] - centres[i][2]) ** 2,
                    i,
                ),
            )
            members[nearest].append((colour, n))
        moved = [_mean(group) if group else centre for group, centre in zip(members, centres, strict=True)]
        if moved == centres:
            break
        centres = moved
    return [(_mean(group), sum(n for _, n in group)) for group in members if group]


def extract_palette(source: str | Path | QImage, count: int = 5) -> list[tuple[str, float]]:
    """Up to `count` dominant colours as ('#RRGGBB', percent), most common first.

    Percentages have two decimals and sum to exactly 100.00 (§3.3). Fewer colours come back when
    the image has fewer distinct ones. Transparent areas count as white (as they are sent).
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    image = source if isinstance(source, QImage) else _codec.load_image(str(source), max_side=4 * SAMPLE_SIDE)
    if image.isNull():
        raise _codec.ImageFileError("The image to extract a palette from is empty.")
    buckets: list[_Bucket] = [sorted(_sample(image).items())]
    while len(buckets) < count:
        spreads = [(_spread(bucket), -index) for index, bucket in enumerate(buckets)]
        (width, channel), neg_index = max(spreads)
        if width == 0:
            break  # every bucket is a single colour
        low, high = _split(buckets.pop(-neg_index), channel)
        buckets += [low, high]
    counts = Counter(dict(colour_count for bucket in buckets for colour_count in bucket))
    merged: Counter[Colour] = Counter()
    for colour, n in _refine(counts, [_mean(bucket) for bucket in buckets]):
        merged[colour] += n  # two clusters may round to the same colour
    colours = sorted(merged)
    weights = [merged[colour] for colour in colours]
    shares = balance_ratios([float(w) for w in weights])
    ranked = sorted(zip(colours, shares, weights, strict=True), key=lambda item: (-item[2], item[0]))
    return [("#{:02X}{:02X}{:02X}".format(*colour), share) for colour, share, _ in ranked]
