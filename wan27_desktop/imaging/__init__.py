"""Reference-image preparation, thumbnails and palettes, with QtGui's QImage only.

Every function here is safe to call from worker threads and without a QApplication: only QImage,
QImageReader and QPainter-on-QImage are used, never QPixmap or widgets. Modules:
`reference` (fast header check, §2.3), `prepare` (the `data:` URI sent, §2.4), `thumbnails`,
`palette` (§3.3).
"""

from wan27_desktop.imaging._codec import ALLOCATION_LIMIT_MB, ImageFileError, path_reader
from wan27_desktop.imaging.palette import extract_palette
from wan27_desktop.imaging.prepare import PreparedImage, prepare_reference, scale_boxes
from wan27_desktop.imaging.reference import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_SIDE,
    MAX_JPEG_PIXELS,
    ReferenceInfo,
    inspect_reference,
    per_image_budget,
)
from wan27_desktop.imaging.thumbnails import image_size, load_thumbnail_image, make_thumbnail

__all__ = [
    "ALLOCATION_LIMIT_MB",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_SIDE",
    "MAX_JPEG_PIXELS",
    "ImageFileError",
    "PreparedImage",
    "ReferenceInfo",
    "extract_palette",
    "image_size",
    "inspect_reference",
    "load_thumbnail_image",
    "make_thumbnail",
    "path_reader",
    "per_image_budget",
    "prepare_reference",
    "scale_boxes",
]
