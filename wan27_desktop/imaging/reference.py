"""The quick check a reference image gets the moment it is dropped (§2.3), from its header only.

`inspect_reference` never decodes pixels: it reads the magic bytes, Qt's header (size, pixel
format, EXIF orientation) and the end of the file (to catch truncation). What `prepare_reference`
can fix (too big, alpha, CMYK, 16-bit, rotation) is a *note*; what it cannot is a *problem*.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImageReader

from wan27_desktop.api import rules
from wan27_desktop.api.imageformat import headers
from wan27_desktop.api.imageformat.sniff import DISPLAY_NAMES, sniff
from wan27_desktop.imaging import _codec

translate = QCoreApplication.translate  # pyside6-lupdate reads translate("Context", "text")

# Longest side we send by default. With reference images present the output is at most 2K
# (§3.1: 4K only for pure text-to-image, custom sizes <= 2048*2048 pixels), so 4096 px keeps twice
# the output's linear resolution for the model to read (and for box precision) while a typical
# photo encodes to 2-4 MB as JPEG q92 (measured: a 4096x2731 photo, 2.5 MB in 0.25 s).
DEFAULT_MAX_SIDE = 4096
# Encoded bytes per image before base64. §2.4: base64 adds a third and large bodies risk
# `BadRequest.TooLarge` (413), so 5 MiB keeps each image near 7 MB on the wire; callers sending
# several images pass a smaller share of their body budget (see `per_image_budget`).
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# A JPEG is decoded already scaled down, so only its decode time grows with size; 250 MP covers
# today's 200 MP phone sensors. Other formats decode at full size under Qt's allocation limit.
MAX_JPEG_PIXELS = 250_000_000
_MIB = 1024 * 1024


@dataclass(frozen=True)
class ReferenceInfo:
    """What the UI shows on a reference thumbnail: facts, problems (refused) and notes (fixed)."""

    path: Path
    format: str  # 'png' | 'jpeg' | 'bmp' | 'webp' | another lower-case name | 'unknown'
    width: int  # as shown, after EXIF orientation; 0 when unreadable
    height: int
    file_size: int
    has_alpha: bool
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Analysis:
    """Everything `inspect_reference` learns; `prepare_reference` acts on the same facts."""

    name: str
    file_size: int
    format: str = "unknown"
    width: int = 0
    height: int = 0
    stored_size: tuple[int, int] = (0, 0)
    target: tuple[int, int] = (0, 0)
    scale: float = 1.0
    has_alpha: bool = False
    cmyk: bool = False
    deep: bool = False
    transformed: bool = False
    plain_pixels: bool = False  # 8-bit RGB/grey as stored: safe to send unchanged
    lossless: bool = False
    animated: bool = False
    problems: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def info(self, path: Path) -> ReferenceInfo:
        return ReferenceInfo(
            path,
            self.format,
            self.width,
            self.height,
            self.file_size,
            self.has_alpha,
            tuple(self.problems),
            tuple(self.notes),
        )

    def refuse(self, message: str, hint: str | None = None) -> Analysis:
        self.problems.append(message)
        if hint:
            self.hints.append(hint)
        return self


def megabytes(size: int) -> str:
    """Human size in binary units, as the service's "20 MB" is read (rules.MAX_IMAGE_BYTES)."""
    if size < _MIB:
        return f"{max(1, round(size / 1024))} KB"
    value = size / _MIB
    return f"{value:.0f} MB" if value == int(value) or value >= 100 else f"{value:.1f} MB"


def per_image_budget(total_base64_bytes: int, count: int) -> int:
    """Raw bytes each of `count` images may take so their base64 (4/3 larger) fits a body budget."""
    if count <= 0:
        return DEFAULT_MAX_BYTES
    return max(64 * 1024, min(DEFAULT_MAX_BYTES, total_base64_bytes * 3 // 4 // count))


def scaled_dims(width: int, height: int, scale: float) -> tuple[int, int]:
    """Pixel size after scaling by `scale`, rounded the same way as `Box.scaled` (so boxes fit)."""
    if scale == 1.0:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def plan_scale(width: int, height: int, max_side: int) -> float:
    """Scale that fits the longest side within `max_side` (and the §2.3 8000 px), never upscaling,
    and never pushing the short side below the §2.3 minimum of 240 px."""
    limit = min(max_side, rules.MAX_IMAGE_SIDE)
    scale = min(1.0, limit / max(width, height))
    return max(scale, min(1.0, rules.MIN_IMAGE_SIDE / min(width, height)))


def _ratio_text(width: int, height: int) -> str:
    if width >= height:
        return f"{width / height:.3g}:1"
    return f"1:{height / width:.3g}"


def full_decode_pixel_limit(deep: bool) -> int:
    return _codec.ALLOCATION_LIMIT_MB * _MIB // (8 if deep else 4)


def analyse(
    name: str, data: bytes | mmap.mmap, reader: QImageReader, *, max_side: int, max_bytes: int, suffix: str = ""
) -> Analysis:
    """The shared check behind `inspect_reference` and `prepare_reference` (header only).

    Texts are translated where they are made (QCoreApplication.translate is thread-safe); the
    CLI installs no translator, so it prints the English source."""
    a = Analysis(name=name, file_size=len(data))
    if not len(data):
        return a.refuse(
            translate("ReferenceCheck", "{name} is empty (0 bytes).").format(name=name),
            translate("ReferenceCheck", "The file was probably not saved or copied completely."),
        )
    head = bytes(data[:65536])
    # The reader is pinned to this format (or to none: `_codec.path_reader`), so Qt names no other.
    fmt = sniff(head) or "unknown"
    a.format = fmt
    display = DISPLAY_NAMES.get(fmt, fmt.upper())
    if fmt not in rules.INPUT_FORMATS:
        if fmt == "unknown":
            return a.refuse(
                translate(
                    "ReferenceCheck", "{name} is not an image: its content is not JPEG, PNG, BMP or WebP data."
                ).format(name=name),
                translate("ReferenceCheck", "Pick an image file; renaming a file does not convert it."),
            )
        return a.refuse(
            translate("ReferenceCheck", "{format} is not supported; use JPEG, PNG, BMP or WebP.").format(
                format=display
            ),
            translate(
                "ReferenceCheck", "Convert the {format} image to JPEG or PNG in an image editor, then add it again."
            ).format(format=display),
        )
    size = _codec.oriented_size(reader)
    if size is None:
        return a.refuse(
            translate("ReferenceCheck", "{name} is damaged: its {format} header cannot be read{reason}.").format(
                name=name, format=display, reason=_codec.reason(reader)
            ),
            translate("ReferenceCheck", "Re-export or re-download the image."),
        )
    cut = headers.truncation(fmt, data)
    if cut:
        return a.refuse(
            translate("ReferenceCheck", "{name} is damaged: {detail} (the file is truncated).").format(
                name=name, detail=translate("ReferenceCheck", cut[0]).format(**cut[1])
            ),
            translate("ReferenceCheck", "Re-export or re-download the image; the copy is incomplete."),
        )
    a.width, a.height = size
    stored = reader.size()
    a.stored_size = (stored.width(), stored.height())
    a.transformed = _codec.is_transformed(reader)
    stored_format = reader.imageFormat()
    alpha, a.cmyk, a.deep = _codec.pixel_traits(stored_format)
    declared_alpha = headers.header_has_alpha(fmt, head)
    a.has_alpha = declared_alpha if declared_alpha is not None else alpha
    a.plain_pixels = _codec.is_plain(stored_format) or (fmt == "webp" and declared_alpha is False)
    a.lossless = fmt in ("png", "bmp") or (fmt == "webp" and headers.webp_is_lossless(head))
    a.animated = fmt == "webp" and headers.webp_is_animated(head)

    w, h = a.width, a.height
    pixel_limit = MAX_JPEG_PIXELS if fmt == "jpeg" else full_decode_pixel_limit(a.deep)
    if w * h > pixel_limit:
        return a.refuse(
            translate(
                "ReferenceCheck",
                "Image is {w}×{h} px ({mp:,.0f} megapixels); at most {limit:,.0f} megapixels can be decoded safely.",
            ).format(w=w, h=h, mp=w * h / 1e6, limit=pixel_limit / 1e6),
            translate("ReferenceCheck", "Reduce the image to at most 8000 px per side in an image editor."),
        )
    if min(w, h) < rules.MIN_IMAGE_SIDE:
        a.refuse(
            translate(
                "ReferenceCheck", "Image is {w}×{h} px; each side must be at least {min} px (allowed {min}–{max} px)."
            ).format(w=w, h=h, min=rules.MIN_IMAGE_SIDE, max=rules.MAX_IMAGE_SIDE),
            translate("ReferenceCheck", "Use a larger image; small images cannot be upscaled without losing detail."),
        )
    if max(w, h) > rules.MAX_IMAGE_RATIO * min(w, h):
        a.refuse(
            translate("ReferenceCheck", "Aspect ratio is {ratio} ({w}×{h} px); it must be between 1:8 and 8:1.").format(
                ratio=_ratio_text(w, h), w=w, h=h
            ),
            translate("ReferenceCheck", "Crop the image to a less extreme shape."),
        )
    if a.problems:
        return a

    a.scale = plan_scale(w, h, max_side)
    a.target = scaled_dims(w, h, a.scale)
    if a.target != (w, h):
        why = translate("ReferenceCheck", "longest side at most {px} px").format(px=min(max_side, rules.MAX_IMAGE_SIDE))
        if max(w, h) > rules.MAX_IMAGE_SIDE:
            why += translate("ReferenceCheck", "; the service accepts at most {px} px").format(px=rules.MAX_IMAGE_SIDE)
        a.notes.append(
            translate("ReferenceCheck", "Will be downscaled from {w}×{h} to {tw}×{th} px ({why}).").format(
                w=w, h=h, tw=a.target[0], th=a.target[1], why=why
            )
        )
    if a.file_size > max_bytes:
        over = ""
        if a.file_size > rules.MAX_IMAGE_BYTES:
            over = translate("ReferenceCheck", " (the service accepts at most {size})").format(
                size=megabytes(rules.MAX_IMAGE_BYTES)
            )
        a.notes.append(
            translate(
                "ReferenceCheck", "The file is {size}; it will be re-encoded to fit the {budget} request budget{over}."
            ).format(size=megabytes(a.file_size), budget=megabytes(max_bytes), over=over)
        )
    if a.has_alpha:
        a.notes.append(
            translate(
                "ReferenceCheck", "Transparency will be flattened onto white (the service does not accept alpha)."
            )
        )
    if a.cmyk:
        a.notes.append(translate("ReferenceCheck", "CMYK colour will be converted to RGB."))
    if a.deep:
        a.notes.append(translate("ReferenceCheck", "16-bit colour will be converted to 8-bit RGB."))
    if a.transformed:
        a.notes.append(
            translate(
                "ReferenceCheck", "Will be turned upright from its EXIF orientation (stored as {w}×{h} px)."
            ).format(w=a.stored_size[0], h=a.stored_size[1])
        )
    if a.animated:
        a.notes.append(translate("ReferenceCheck", "Only the first frame of this animated WebP will be sent."))
    named = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".bmp": "bmp", ".webp": "webp"}.get(suffix)
    if named and named != fmt:
        a.notes.append(
            translate("ReferenceCheck", "The file is a {format} image although its name ends in {suffix}.").format(
                format=display, suffix=suffix
            )
        )
    return a


def inspect_reference(
    path: str | Path, *, max_side: int = DEFAULT_MAX_SIDE, max_bytes: int = DEFAULT_MAX_BYTES
) -> ReferenceInfo:
    """Check a reference image against §2.3 from its header; fast enough for a drop handler.

    Safe in any thread. Never raises for a bad file: everything wrong is in `problems`.
    """
    path = Path(path)
    name = path.name
    try:
        with path.open("rb") as handle:
            if path.stat().st_size == 0:
                return analyse(name, b"", _codec.path_reader(str(path)), max_side=max_side, max_bytes=max_bytes).info(
                    path
                )
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                reader = _codec.path_reader(str(path))
                try:
                    result = analyse(
                        name, data, reader, max_side=max_side, max_bytes=max_bytes, suffix=path.suffix.lower()
                    )
                finally:
                    reader.setFileName("")  # release the file (Windows keeps it locked otherwise)
                return result.info(path)
    except FileNotFoundError:
        problem = f"{name} does not exist (it may have been moved or deleted)."
    except IsADirectoryError:
        problem = f"{name} is a folder, not an image file."
    except OSError as err:
        problem = f"{name} cannot be read: {err.strerror or err}."
    return ReferenceInfo(path, "unknown", 0, 0, 0, False, (problem,), ())
