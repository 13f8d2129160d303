"""What a file really is, from its bytes: format by magic number, truncation, header alpha flags.

Pure Python on purpose: these checks run before Qt decodes anything, cost a few microseconds, and
catch what Qt's header read cannot (a PNG or JPEG cut short still has a perfectly good header, and
Qt's JPEG decoder fills a truncated scan with grey instead of failing).
"""

from __future__ import annotations

import mmap
import struct

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

# Display names for formats people drop on us; §2.3 accepts only the first four.
ACCEPTED = ("jpeg", "png", "bmp", "webp")
DISPLAY_NAMES = {
    "jpeg": "JPEG",
    "png": "PNG",
    "bmp": "BMP",
    "webp": "WebP",
    "gif": "GIF",
    "heic": "HEIC",
    "avif": "AVIF",
    "svg": "SVG",
    "tiff": "TIFF",
    "ico": "ICO",
    "cur": "CUR",
    "icns": "ICNS",
    "tga": "TGA",
    "pbm": "PBM",
    "pgm": "PGM",
    "ppm": "PPM",
    "xbm": "XBM",
    "xpm": "XPM",
    "wbmp": "WBMP",
    "jxl": "JPEG XL",
    "psd": "PSD",
    "pdf": "PDF",
}
# Qt's plugin names for the same thing.
_QT_ALIASES = {"jpg": "jpeg", "jfif": "jpeg", "tif": "tiff", "svgz": "svg"}

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PNG_IEND = b"IEND\xaeB`\x82"
_HEIF_BRANDS = {
    b"heic": "heic",
    b"heix": "heic",
    b"hevc": "heic",
    b"hevx": "heic",
    b"heim": "heic",
    b"heis": "heic",
    b"mif1": "heic",
    b"msf1": "heic",
    b"avif": "avif",
    b"avis": "avif",
}


def normalise_qt_format(name: bytes | str) -> str:
    text = name.decode("ascii", "replace") if isinstance(name, bytes) else name
    text = text.lower()
    return _QT_ALIASES.get(text, text)


def sniff_format(head: bytes) -> str:
    """The format named by the first bytes of a file, or '' when they name none we know."""
    if head.startswith(_PNG_MAGIC):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"BM") and len(head) >= 26:
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(head[8:12], "")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:4] == b"\x00\x00\x01\x00":
        return "ico"
    if head[:4] == b"8BPS":
        return "psd"
    if head[:5] == b"%PDF-":
        return "pdf"
    if head[:2] == b"\xff\x0a" or head[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n":
        return "jxl"
    text = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "svg"
    return ""


def truncation(fmt: str, data: bytes | mmap.mmap) -> tuple[str, dict[str, int]] | None:
    """How the file is cut short, as a translatable template and its values (the caller
    translates, then formats), or None when its end looks intact.

    `data` is the whole file (bytes, or an mmap so a big file is not copied).
    """
    file_size = len(data)
    if fmt == "png":
        # Data after IEND is legal (and common), so search rather than compare the last bytes.
        if data.rfind(_PNG_IEND) >= 0:
            return None
        return QT_TRANSLATE_NOOP("ReferenceCheck", "the PNG data ends before its IEND chunk"), {}
    if fmt == "jpeg":
        # Entropy-coded data can never contain FFD9/FFDA (0xFF is stuffed), so the image is
        # complete only if an end-of-image marker follows the last start-of-scan. An EXIF
        # thumbnail has its own EOI, but it sits before the main scans.
        last_sos = data.rfind(b"\xff\xda")
        if last_sos < 0:
            return QT_TRANSLATE_NOOP("ReferenceCheck", "the JPEG has no image data (no start-of-scan marker)"), {}
        if data.rfind(b"\xff\xd9") < last_sos:
            return QT_TRANSLATE_NOOP("ReferenceCheck", "the JPEG data ends before its end-of-image marker"), {}
        return None
    if fmt == "webp" and file_size >= 12:
        declared = struct.unpack("<I", data[4:8])[0] + 8
        if declared > file_size:
            return (
                QT_TRANSLATE_NOOP(
                    "ReferenceCheck", "the WebP header declares {declared} bytes but the file has {size}"
                ),
                {"declared": declared, "size": file_size},
            )
        return None
    if fmt == "bmp" and file_size >= 6:
        declared = struct.unpack("<I", data[2:6])[0]
        if declared > file_size:
            return (
                QT_TRANSLATE_NOOP("ReferenceCheck", "the BMP header declares {declared} bytes but the file has {size}"),
                {"declared": declared, "size": file_size},
            )
        return None
    return None


def header_has_alpha(fmt: str, head: bytes) -> bool | None:
    """Alpha as declared in the header where Qt does not tell us (WebP) or may miss it (PNG tRNS).

    None means "cannot tell from the header".
    """
    if fmt == "png":
        if len(head) < 33:
            return None
        colour_type = head[25]
        if colour_type in (4, 6):  # grey+alpha, RGBA
            return True
        # A tRNS chunk (palette or colour-key transparency) sits between IHDR and the first IDAT.
        pos = 8
        while pos + 8 <= len(head):
            length, kind = struct.unpack(">I4s", head[pos : pos + 8])
            if kind == b"tRNS":
                return True
            if kind in (b"IDAT", b"IEND"):
                return False
            pos += 12 + length
        return None
    if fmt == "webp":
        chunk = head[12:16]
        if chunk == b"VP8X" and len(head) >= 21:
            return bool(head[20] & 0x10)
        if chunk == b"VP8L" and len(head) >= 25:
            # 14-bit width-1, 14-bit height-1, then the alpha_is_used bit (VP8L spec §3).
            bits = struct.unpack("<I", head[21:25])[0]
            return bool((bits >> 28) & 1)
        if chunk == b"VP8 ":
            return False
        return None
    return None


def webp_is_lossless(head: bytes) -> bool:
    return head[12:16] == b"VP8L"


def webp_is_animated(head: bytes) -> bool:
    return head[12:16] == b"VP8X" and len(head) >= 21 and bool(head[20] & 0x02)
